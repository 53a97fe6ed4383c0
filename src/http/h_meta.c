/* Health, the API document and reference data (categories, projects, units). */
#include "http/handlers.h"

#include <string.h>

/* docs/openapi.json, linked in by assets.S */
extern const char kesu_openapi_json[];
extern const char kesu_openapi_json_end[];

static int
nomem(struct err *e)
{
    return err_set(e, ERR_NOMEM, NULL, "nomem", "out of memory");
}

int
h_health(struct req *r, struct err *e)
{
    struct store *st = http_reader(r, e);
    int version = 0;

    if (st == NULL || st->ops->health(st, &version, e) < 0) {
        /* the store is not reachable: say so in the body the monitor reads */
        err_set(e, ERR_BUSY, NULL, "store", "health check failed");
        return -1;
    }
    return http_reply_json(r, 200,
                           json_pack("{s:s, s:s, s:s, s:i, s:o}", "status", "ok", "version",
                                     KESU_VERSION, "store", st->ops->name, "schema_version",
                                     version, "time",
                                     render_time(r->now, r->srv->cfg->tz_offset_min))) < 0
               ? nomem(e)
               : 0;
}

int
h_openapi(struct req *r, struct err *e)
{
    (void)e;
    r->reply.status = 200;
    r->reply.content_type = "application/json; charset=utf-8";
    r->reply.body = (char *)(uintptr_t)kesu_openapi_json;
    r->reply.len = (size_t)(kesu_openapi_json_end - kesu_openapi_json);
    r->reply.body_static = true;
    return 0;
}

static json_t *
render_category(const struct category *c, bool with_subs)
{
    json_t *o = json_pack("{s:s, s:s, s:s, s:s?, s:s?, s:b}", "code", c->code, "name_zh",
                          c->name_zh, "name_en", c->name_en, "description_zh", c->description_zh,
                          "description_en", c->description_en, "retired", c->retired);
    json_t *subs;

    if (o == NULL || !with_subs)
        return o;
    subs = json_array();
    for (size_t i = 0; subs != NULL && i < c->n_subs; i++)
        json_array_append_new(subs, render_category(&c->subs[i], false));
    json_object_set_new(o, "subcategories", subs ? subs : json_array());
    return o;
}

int
h_category_list(struct req *r, struct err *e)
{
    struct store *st = http_reader(r, e);
    struct category *cats;
    const char *preset;
    size_t n;
    json_t *items;

    if (st == NULL || st->ops->category_list(st, r->arena, &preset, &cats, &n, e) < 0)
        return -1;
    items = json_array();
    for (size_t i = 0; items != NULL && i < n; i++)
        json_array_append_new(items, render_category(&cats[i], true));
    if (items == NULL)
        return nomem(e);
    return http_reply_json(r, 200, json_pack("{s:s, s:o}", "preset", preset, "items", items)) < 0
               ? nomem(e)
               : 0;
}

int
h_project_list(struct req *r, struct err *e)
{
    struct store *st = http_reader(r, e);
    struct project *ps;
    size_t n;
    json_t *items;

    if (st == NULL || st->ops->project_list(st, r->arena, &ps, &n, e) < 0)
        return -1;
    items = json_array();
    for (size_t i = 0; items != NULL && i < n; i++) {
        json_t *b = json_array();
        for (size_t j = 0; b != NULL && j < ps[i].n_buildings; j++)
            json_array_append_new(b, json_string(ps[i].buildings[j]));
        json_array_append_new(items,
                              json_pack("{s:s, s:s, s:s, s:o}", "code", ps[i].code, "name",
                                        ps[i].name, "number_prefix",
                                        ps[i].number_prefix ? ps[i].number_prefix
                                                            : r->srv->cfg->number_prefix,
                                        "buildings", b ? b : json_array()));
    }
    if (items == NULL)
        return nomem(e);
    return http_reply_json(r, 200, json_pack("{s:o}", "items", items)) < 0 ? nomem(e) : 0;
}

int
h_unit_list(struct req *r, struct err *e)
{
    struct store *st;
    struct kv *params;
    const char **units, *building = NULL;
    size_t n, n_units;
    json_t *items;

    if (http_query_parse(r->raw_query, strlen(r->raw_query), r->arena, &params, &n, e) < 0)
        return -1;
    for (size_t i = 0; i < n; i++) {
        if (strcmp(params[i].key, "building") != 0)
            return err_set(e, ERR_INVALID, params[i].key, "unknown_parameter", "unknown");
        if (building != NULL)
            return err_set(e, ERR_INVALID, "building", "repeated", "given twice");
        building = params[i].value;
    }
    if (building == NULL || building[0] == '\0')
        return err_set(e, ERR_INVALID, "building", "required", "building missing");
    st = http_reader(r, e);
    if (st == NULL || st->ops->unit_list(st, r->params[0], building, r->arena, &units, &n_units,
                                         e) < 0)
        return -1;
    items = json_array();
    for (size_t i = 0; items != NULL && i < n_units; i++)
        json_array_append_new(items, json_string(units[i]));
    if (items == NULL)
        return nomem(e);
    return http_reply_json(r, 200, json_pack("{s:o}", "items", items)) < 0 ? nomem(e) : 0;
}
