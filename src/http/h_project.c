/*
 * Projects and their buildings and units (issue 6): the administrator adds
 * them (`config.admin`); everyone reads them (h_meta.c), the customer
 * portal too. Nothing is renamed or removed here: complaints point at them
 * and their numbers may carry a project's prefix. Each change is one write
 * job with its audit entry.
 */
#include "http/handlers.h"

#include <string.h>

#define PROJECT_CODE_MIN 2
#define PROJECT_CODE_MAX 8
#define PROJECT_NAME_MAX 50
#define PREFIX_MAX 16

static int
nomem(struct err *e)
{
    return err_set(e, ERR_NOMEM, NULL, "nomem", "out of memory");
}

/* A project code: 2..8 of A-Z 0-9 (upper case: category codes are the lower-case ones). */
static bool
project_code_ok(const char *s)
{
    size_t n = strlen(s);

    if (n < PROJECT_CODE_MIN || n > PROJECT_CODE_MAX)
        return false;
    for (; *s; s++)
        if (!((*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9')))
            return false;
    return true;
}

/* ---- POST /api/projects ---- */

struct project_in {
    const char *code, *name, *prefix;
};

static int
project_create_run(struct store *st, struct store_job *job, struct err *e)
{
    struct req *r = job->ctx;
    struct project_in *in = r->ctx;
    /* a project without a prefix of its own numbers its complaints with the deployment's */
    const char *shown = in->prefix ? in->prefix : r->srv->cfg->number_prefix;

    if (st->ops->project_add(st, in->code, in->name, in->prefix, r->now, e) < 0) {
        if (e->code == ERR_CONFLICT)
            e->field = "code";
        return -1;
    }
    if (http_audit_json(st, r, "project.create", in->code,
                        json_pack("{s:s, s:s, s:s?}", "code", in->code, "name", in->name,
                                  "number_prefix", in->prefix),
                        e) < 0)
        return -1;
    return http_reply_json(r, 201,
                           json_pack("{s:s, s:s, s:s, s:[]}", "code", in->code, "name", in->name,
                                     "number_prefix", shown, "buildings")) < 0
               ? nomem(e)
               : 0;
}

int
h_project_create(struct req *r, struct err *e)
{
    struct project_in *in = arena_zalloc(r->arena, sizeof(*in));

    if (in == NULL)
        return nomem(e);
    const struct body_field fields[] = {
        { .key = "code", .kind = BODY_FIELD_TEXT, .required = true, .max = 64,
          .text = &in->code },
        { .key = "name", .kind = BODY_FIELD_TEXT, .required = true, .max = PROJECT_NAME_MAX,
          .text = &in->name },
        { .key = "number_prefix", .kind = BODY_FIELD_TEXT, .max = PREFIX_MAX,
          .text = &in->prefix },
        { .key = NULL },
    };
    if (http_decode_fields(r->body.buf, r->body.len, fields, r->arena, e) < 0)
        return -1;
    if (!project_code_ok(in->code))
        return err_set(e, ERR_INVALID, "code", "bad_format", "2..8 of A-Z 0-9");
    if (in->prefix != NULL && !core_prefix_is_valid(in->prefix))
        return err_set(e, ERR_INVALID, "number_prefix", "bad_format", "1..16 of A-Z 0-9");
    r->ctx = in;
    return http_submit(r, project_create_run);
}

/* ---- POST /api/projects/:code/units ---- */

struct units_in {
    const char *project, *building;
    const char **units;
    size_t n;
    int added, existing;
};

/* The project as stored, or 404 (the path names it), as GET .../units answers. */
static int
project_find(struct store *st, struct req *r, const char *code, struct project **out,
             struct err *e)
{
    struct project *ps;
    size_t n;

    if (st->ops->project_list(st, r->arena, &ps, &n, e) < 0)
        return -1;
    for (size_t i = 0; i < n; i++)
        if (strcmp(ps[i].code, code) == 0) {
            *out = &ps[i];
            return 0;
        }
    return err_set(e, ERR_NOT_FOUND, "project", "unknown", "no project '%s'", code);
}

/* The building, made (listed after the others) when the project has none of that name. */
static int
building_ensure(struct store *st, struct req *r, struct units_in *in, struct err *e)
{
    struct project *p = NULL;

    if (project_find(st, r, in->project, &p, e) < 0)
        return -1;
    for (size_t i = 0; i < p->n_buildings; i++)
        if (strcmp(p->buildings[i], in->building) == 0)
            return 0;
    return st->ops->building_add(st, in->project, in->building, (int)p->n_buildings + 1, e);
}

/* Add each unit; one there already is counted, not refused, so a list can be sent again. */
static int
units_add(struct store *st, struct units_in *in, struct err *e)
{
    for (size_t i = 0; i < in->n; i++) {
        struct err one = { 0 };
        if (st->ops->unit_add(st, in->project, in->building, in->units[i], &one) == 0) {
            in->added++;
        } else if (one.code == ERR_CONFLICT) {
            in->existing++;
        } else {
            *e = one;
            return -1;
        }
    }
    return 0;
}

static int
units_run(struct store *st, struct store_job *job, struct err *e)
{
    struct req *r = job->ctx;
    struct units_in *in = r->ctx;

    if (building_ensure(st, r, in, e) < 0 || units_add(st, in, e) < 0 ||
        http_audit_json(st, r, "project.units", in->project,
                        json_pack("{s:s, s:i, s:i}", "building", in->building, "added",
                                  in->added, "existing", in->existing),
                        e) < 0)
        return -1;
    return http_reply_json(r, 201,
                           json_pack("{s:s, s:i, s:i}", "building", in->building, "added",
                                     in->added, "existing", in->existing)) < 0
               ? nomem(e)
               : 0;
}

int
h_unit_create(struct req *r, struct err *e)
{
    struct units_in *in = arena_zalloc(r->arena, sizeof(*in));

    if (in == NULL)
        return nomem(e);
    in->project = r->params[0];
    if (http_decode_units(r->body.buf, r->body.len, r->arena, &in->building, &in->units, &in->n,
                          e) < 0)
        return -1;
    r->ctx = in;
    return http_submit(r, units_run);
}
