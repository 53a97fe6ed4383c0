/*
 * Reference data the administrator edits (`config.admin`) and everyone
 * signed in reads: categories, departments, the dispatch catalogue (派单目录)
 * and the grading rules (DOMAIN §3, §4).
 *
 *   - Each change is one write job with its audit entry, so the log says who
 *     changed which rule when; the references a change names are checked in
 *     the same job, against what the store holds at that moment.
 *   - Categories are never deleted: complaints keep pointing at them, so a
 *     category that is no longer wanted is retired instead.
 *   - A grading rule's condition is stored in its canonical text
 *     (core_grade_condition_format), so what the explanation of a grade
 *     shows is what the rules engine reads.
 */
#include "http/handlers.h"
#include "core/grading.h"

#include <stdlib.h>
#include <string.h>

#define CODE_MAX 64
#define NAME_ZH_MAX 50
#define NAME_EN_MAX 100
#define DESCRIPTION_MAX 1000
#define RULE_DESCRIPTION_MAX 500
#define GRADE_MAX 32
#define CONDITION_TEXT 512   /* canonical text: spaced out, longer than what was typed */

static int
nomem(struct err *e)
{
    return err_set(e, ERR_NOMEM, NULL, "nomem", "out of memory");
}

static int
reply(struct req *r, int status, json_t *body, struct err *e)
{
    if (body == NULL)
        return nomem(e);
    return http_reply_json(r, status, body) < 0 ? nomem(e) : 0;
}

static json_t *
str_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

/* A body of only these members; an empty body counts as {}. */
static int
decode(struct req *r, const struct body_field *fields, struct err *e)
{
    if (r->body.len == 0)
        return http_decode_fields("{}", 2, fields, r->arena, e);
    return http_decode_fields(r->body.buf, r->body.len, fields, r->arena, e);
}

/* Category codes are lower case (project codes are upper case): a-z 0-9 _ - */
static bool
category_code_ok(const char *s)
{
    if (s == NULL || !http_is_code(s))
        return false;
    for (; *s; s++)
        if (*s >= 'A' && *s <= 'Z')
            return false;
    return true;
}

/* ---- categories ---- */

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

static struct category *
category_in(struct category *list, size_t n, const char *code)
{
    for (size_t i = 0; code != NULL && i < n; i++)
        if (strcmp(list[i].code, code) == 0)
            return &list[i];
    return NULL;
}

/*
 * The category (parent NULL) or subcategory as stored now, or NULL; *top
 * is the parent's record when parent is given and exists.
 */
static int
category_find(struct store *st, struct req *r, const char *parent, const char *code,
              struct category **top, struct category **out, struct err *e)
{
    struct category *cats;
    const char *preset;
    size_t n;

    *top = NULL;
    *out = NULL;
    if (st->ops->category_list(st, r->arena, &preset, &cats, &n, e) < 0)
        return -1;
    if (parent == NULL) {
        *out = category_in(cats, n, code);
        return 0;
    }
    *top = category_in(cats, n, parent);
    if (*top != NULL)
        *out = category_in((*top)->subs, (*top)->n_subs, code);
    return 0;
}

/* "repair" or "repair/leak": how the audit log names a category */
static const char *
category_path(struct req *r, const char *parent, const char *code)
{
    const char *p = parent ? arena_printf(r->arena, "%s/%s", parent, code) : code;

    return p ? p : code;
}

static int
reply_category(struct store *st, struct req *r, const char *parent, const char *code,
               int status, struct err *e)
{
    struct category *top, *c;

    if (category_find(st, r, parent, code, &top, &c, e) < 0)
        return -1;
    if (c == NULL)
        return err_set(e, ERR_INTERNAL, NULL, "internal", "category %s vanished", code);
    return reply(r, status, render_category(c, parent == NULL), e);
}

/* POST /api/categories */

static int
category_create_run(struct store *st, struct store_job *job, struct err *e)
{
    struct req *r = job->ctx;
    struct category_new *in = r->ctx;
    struct category *top, *c;

    if (category_find(st, r, in->parent, in->code, &top, &c, e) < 0)
        return -1;
    if (in->parent != NULL && top == NULL)
        return err_set(e, ERR_INVALID, "parent", "unknown", "no category '%s'", in->parent);
    /* what nobody may choose any more gets nothing new under it */
    if (top != NULL && top->retired)
        return err_set(e, ERR_INVALID, "parent", "retired", "category '%s' is retired",
                       in->parent);
    if (c != NULL)
        return err_set(e, ERR_CONFLICT, "code", "exists", "category '%s' exists", in->code);
    if (st->ops->category_add(st, in, e) < 0) {
        if (e->code == ERR_CONFLICT && e->field == NULL)
            e->field = "code";
        return -1;
    }
    if (http_audit_json(st, r, "category.create", category_path(r, in->parent, in->code),
                        json_pack("{s:o, s:s, s:s, s:s}", "parent", str_or_null(in->parent),
                                  "code", in->code, "name_zh", in->name_zh, "name_en",
                                  in->name_en),
                        e) < 0)
        return -1;
    return reply_category(st, r, in->parent, in->code, 201, e);
}

int
h_category_create(struct req *r, struct err *e)
{
    struct category_new *in = arena_zalloc(r->arena, sizeof(*in));

    if (in == NULL)
        return nomem(e);
    const struct body_field fields[] = {
        { .key = "parent", .kind = BODY_FIELD_TEXT, .max = CODE_MAX, .text = &in->parent },
        { .key = "code", .kind = BODY_FIELD_TEXT, .required = true, .max = CODE_MAX,
          .text = &in->code },
        { .key = "name_zh", .kind = BODY_FIELD_TEXT, .required = true, .max = NAME_ZH_MAX,
          .text = &in->name_zh },
        { .key = "name_en", .kind = BODY_FIELD_TEXT, .required = true, .max = NAME_EN_MAX,
          .text = &in->name_en },
        { .key = "description_zh", .kind = BODY_FIELD_PARAGRAPH, .max = DESCRIPTION_MAX,
          .text = &in->description_zh },
        { .key = "description_en", .kind = BODY_FIELD_PARAGRAPH, .max = DESCRIPTION_MAX,
          .text = &in->description_en },
        { .key = NULL },
    };
    if (decode(r, fields, e) < 0)
        return -1;
    if (!category_code_ok(in->code))
        return err_set(e, ERR_INVALID, "code", "bad_format", "not a-z 0-9 _ -");
    /* a parent that could not be a code is one that does not exist */
    if (in->parent != NULL && !category_code_ok(in->parent))
        return err_set(e, ERR_INVALID, "parent", "unknown", "not a category code");
    r->ctx = in;
    return http_submit(r, category_create_run);
}

/* PATCH /api/categories/:code and /api/categories/:parent/:code */

struct category_patch {
    const char *parent, *code;
    struct category_change ch;
};

static json_t *
change_detail(const struct category_patch *p)
{
    json_t *d = json_pack("{s:o, s:s}", "parent", str_or_null(p->parent), "code", p->code);

    if (d == NULL)
        return NULL;
    if (p->ch.name_zh)
        json_object_set_new(d, "name_zh", json_string(p->ch.name_zh));
    if (p->ch.name_en)
        json_object_set_new(d, "name_en", json_string(p->ch.name_en));
    if (p->ch.description_zh)
        json_object_set_new(d, "description_zh", json_true());   /* changed; the text is long */
    if (p->ch.description_en)
        json_object_set_new(d, "description_en", json_true());
    if (p->ch.has_retired)
        json_object_set_new(d, "retired", json_boolean(p->ch.retired));
    return d;
}

static int
category_update_run(struct store *st, struct store_job *job, struct err *e)
{
    struct req *r = job->ctx;
    struct category_patch *p = r->ctx;
    struct category *top, *c;

    if (category_find(st, r, p->parent, p->code, &top, &c, e) < 0)
        return -1;
    if (c == NULL)
        return err_set(e, ERR_NOT_FOUND, "code", "unknown", "no category '%s'", p->code);
    if (st->ops->category_update(st, p->parent, p->code, &p->ch, e) < 0 ||
        http_audit_json(st, r, "category.update", category_path(r, p->parent, p->code),
                        change_detail(p), e) < 0)
        return -1;
    return reply_category(st, r, p->parent, p->code, 200, e);
}

static int
category_patch(struct req *r, const char *parent, const char *code, struct err *e)
{
    struct category_patch *p = arena_zalloc(r->arena, sizeof(*p));

    if (p == NULL)
        return nomem(e);
    const struct body_field fields[] = {
        { .key = "name_zh", .kind = BODY_FIELD_TEXT, .max = NAME_ZH_MAX, .text = &p->ch.name_zh },
        { .key = "name_en", .kind = BODY_FIELD_TEXT, .max = NAME_EN_MAX, .text = &p->ch.name_en },
        { .key = "description_zh", .kind = BODY_FIELD_PARAGRAPH, .max = DESCRIPTION_MAX,
          .text = &p->ch.description_zh },
        { .key = "description_en", .kind = BODY_FIELD_PARAGRAPH, .max = DESCRIPTION_MAX,
          .text = &p->ch.description_en },
        { .key = "retired", .kind = BODY_FIELD_BOOL, .flag = &p->ch.retired,
          .given = &p->ch.has_retired },
        { .key = NULL },
    };
    /* the path names the category: one that could not exist is not found */
    if ((parent != NULL && !category_code_ok(parent)) || !category_code_ok(code))
        return err_set(e, ERR_NOT_FOUND, "code", "unknown", "not a category code");
    if (decode(r, fields, e) < 0)
        return -1;
    if (!p->ch.name_zh && !p->ch.name_en && !p->ch.description_zh && !p->ch.description_en &&
        !p->ch.has_retired)
        return err_set(e, ERR_INVALID, NULL, "nothing_to_change", "no member given");
    p->parent = parent;
    p->code = code;
    r->ctx = p;
    return http_submit(r, category_update_run);
}

int
h_category_update(struct req *r, struct err *e)
{
    return category_patch(r, NULL, r->params[0], e);
}

int
h_subcategory_update(struct req *r, struct err *e)
{
    return category_patch(r, r->params[0], r->params[1], e);
}

/* ---- departments ---- */

static int
project_exists(struct store *st, struct req *r, const char *code, struct err *e)
{
    struct project *ps;
    size_t n;

    if (st->ops->project_list(st, r->arena, &ps, &n, e) < 0)
        return -1;
    for (size_t i = 0; i < n; i++)
        if (strcmp(ps[i].code, code) == 0)
            return 0;
    return err_set(e, ERR_INVALID, "project", "unknown", "no project '%s'", code);
}

/* GET /api/departments?project=CODE: the project's and the company's; all when none */
int
h_department_list(struct req *r, struct err *e)
{
    struct kv *params;
    size_t n, n_deps;
    const char *project = NULL;
    struct department *deps;
    struct store *st;
    json_t *a;

    if (http_query_parse(r->raw_query, strlen(r->raw_query), r->arena, &params, &n, e) < 0)
        return -1;
    for (size_t i = 0; i < n; i++) {
        if (strcmp(params[i].key, "project") != 0)
            return err_set(e, ERR_INVALID, params[i].key, "unknown_parameter", "unknown");
        if (project != NULL)
            return err_set(e, ERR_INVALID, "project", "repeated", "given twice");
        project = params[i].value;
        if (!http_is_code(project))
            return err_set(e, ERR_INVALID, "project", "bad_value", "not a project code");
    }
    /* a typo is "unknown", not an empty list */
    if ((st = http_reader(r, e)) == NULL || (project && project_exists(st, r, project, e) < 0) ||
        st->ops->department_list(st, project, r->arena, &deps, &n_deps, e) < 0)
        return -1;
    a = json_array();
    for (size_t i = 0; a != NULL && i < n_deps; i++)
        if (json_array_append_new(a, json_pack("{s:s, s:s, s:o}", "code", deps[i].code, "name",
                                               deps[i].name, "project",
                                               str_or_null(deps[i].project))) < 0) {
            json_decref(a);
            a = NULL;
        }
    return reply(r, 200, a ? json_pack("{s:o}", "items", a) : NULL, e);
}

/* ---- GET /api/staff: who can be picked (the dispatch dialog's handler picker) ---- */

#define STAFF_PICK_MAX 500

/* Does membership m hold `perm` (any permission when perm < 0) in `project`? */
static bool
holds_in(const struct membership *m, const char *project, int perm)
{
    if (m->project != NULL && strcmp(m->project, project) != 0)
        return false;
    return perm < 0 || core_role_has(m->role, (enum perm)perm);
}

static int
by_name(const void *pa, const void *pb)
{
    const struct staff *a = *(const struct staff *const *)pa, *b = *(const struct staff *const *)pb;
    int c = strcmp(a->name, b->name);

    return c != 0 ? c : strcmp(a->login, b->login);
}

/* The roles that put s on the list, each role and project once. */
static json_t *
picked_roles(const struct staff *s, const char *project, int perm)
{
    json_t *roles = json_array();

    for (size_t i = 0; roles != NULL && i < s->n_memberships; i++) {
        const struct membership *m = &s->memberships[i];
        bool seen = false;
        if (!holds_in(m, project, perm))
            continue;
        for (size_t j = 0; j < i && !seen; j++) {
            const struct membership *o = &s->memberships[j];
            seen = holds_in(o, project, perm) && strcmp(o->role, m->role) == 0 &&
                   (o->project == NULL) == (m->project == NULL);
        }
        if (!seen)
            json_array_append_new(roles, json_pack("{s:s, s:o}", "role", m->role, "project",
                                                   str_or_null(m->project)));
    }
    return roles;
}

/*
 * GET /api/staff?project=CODE&perm=NAME: active staff holding the permission
 * (any, without perm) in the project, by name, at most 500. For those who
 * dispatch there (complaint.triage) and for user administrators.
 */
int
h_staff_list(struct req *r, struct err *e)
{
    struct kv *params;
    size_t n, n_staff, n_picked = 0;
    const char *project = NULL, *perm_name = NULL;
    int perm = -1;
    struct staff *staff;
    const struct staff **picked;
    struct store *st;
    json_t *items;

    if (http_query_parse(r->raw_query, strlen(r->raw_query), r->arena, &params, &n, e) < 0)
        return -1;
    for (size_t i = 0; i < n; i++) {
        const char **slot = strcmp(params[i].key, "project") == 0 ? &project
                            : strcmp(params[i].key, "perm") == 0  ? &perm_name
                                                                  : NULL;
        if (slot == NULL)
            return err_set(e, ERR_INVALID, params[i].key, "unknown_parameter", "unknown");
        if (*slot != NULL)
            return err_set(e, ERR_INVALID, slot == &project ? "project" : "perm", "repeated",
                           "given twice");
        *slot = params[i].value;
    }
    if (project == NULL || project[0] == '\0')
        return err_set(e, ERR_INVALID, "project", "required", "which project");
    if (!http_is_code(project))
        return err_set(e, ERR_INVALID, "project", "bad_value", "not a project code");
    if (perm_name != NULL && (perm = core_perm_parse(perm_name)) < 0)
        return err_set(e, ERR_INVALID, "perm", "unknown", "no permission '%s'", perm_name);
    if ((st = http_reader(r, e)) == NULL || project_exists(st, r, project, e) < 0)
        return -1;
    if (!core_can(r->who, PERM_COMPLAINT_TRIAGE, project) &&
        !core_can(r->who, PERM_USER_ADMIN, NULL))
        return err_set(e, ERR_FORBIDDEN, NULL, "forbidden",
                       "needs complaint.triage in %s, or user.admin", project);
    if (st->ops->staff_list(st, r->arena, &staff, &n_staff, e) < 0)
        return -1;
    picked = arena_alloc(r->arena, (n_staff + 1) * sizeof(*picked));
    if (picked == NULL)
        return nomem(e);
    for (size_t i = 0; i < n_staff; i++) {
        bool holds = false;
        if (strcmp(staff[i].status, "active") != 0)
            continue;
        for (size_t k = 0; k < staff[i].n_memberships && !holds; k++)
            holds = holds_in(&staff[i].memberships[k], project, perm);
        if (holds)
            picked[n_picked++] = &staff[i];
    }
    qsort(picked, n_picked, sizeof(*picked), by_name);
    if ((items = json_array()) == NULL)
        return nomem(e);
    for (size_t i = 0; i < n_picked && i < STAFF_PICK_MAX; i++)
        json_array_append_new(items, json_pack("{s:s, s:s, s:o}", "login", picked[i]->login,
                                               "name", picked[i]->name, "roles",
                                               picked_roles(picked[i], project, perm)));
    return reply(r, 200, json_pack("{s:o}", "items", items), e);
}

/* ---- the dispatch catalogue ---- */

static int
reply_dispatch(struct store *st, struct req *r, struct err *e)
{
    struct dispatch_rule *rules;
    size_t n;
    json_t *a;

    if (st->ops->dispatch_list(st, r->arena, &rules, &n, e) < 0)
        return -1;
    a = json_array();
    for (size_t i = 0; a != NULL && i < n; i++)
        if (json_array_append_new(a, json_pack("{s:I, s:s, s:o, s:s}", "id",
                                               (json_int_t)rules[i].id, "category",
                                               rules[i].category, "project",
                                               str_or_null(rules[i].project), "department",
                                               rules[i].department)) < 0) {
            json_decref(a);
            a = NULL;
        }
    return reply(r, 200, a ? json_pack("{s:o}", "items", a) : NULL, e);
}

int
h_dispatch_list(struct req *r, struct err *e)
{
    struct store *st = http_reader(r, e);

    return st == NULL ? -1 : reply_dispatch(st, r, e);
}

struct dispatch_body {
    const char *category, *project, *department;   /* department NULL: remove the rule */
};

/* The references of a rule, as stored now: a top-level category, a project, a department. */
static int
dispatch_refs_check(struct store *st, struct req *r, const struct dispatch_body *b,
                    struct err *e)
{
    struct category *top, *c;
    struct department *deps;
    size_t n;

    if (category_find(st, r, NULL, b->category, &top, &c, e) < 0)
        return -1;
    if (c == NULL)
        return err_set(e, ERR_INVALID, "category", "unknown", "no category '%s'", b->category);
    /* a retired category is never chosen, so it is not dispatched: its rules can only go */
    if (c->retired && b->department != NULL)
        return err_set(e, ERR_INVALID, "category", "retired", "category '%s' is retired",
                       b->category);
    if (b->project != NULL && project_exists(st, r, b->project, e) < 0)
        return -1;
    if (b->department == NULL)
        return 0;
    /* the project's and the company's departments; for every project, any of them */
    if (st->ops->department_list(st, b->project, r->arena, &deps, &n, e) < 0)
        return -1;
    for (size_t i = 0; i < n; i++)
        if (strcmp(deps[i].code, b->department) == 0)
            return 0;
    return err_set(e, ERR_INVALID, "department", "unknown", "no department '%s'", b->department);
}

static int
dispatch_put_run(struct store *st, struct store_job *job, struct err *e)
{
    struct req *r = job->ctx;
    struct dispatch_body *b = r->ctx;

    if (dispatch_refs_check(st, r, b, e) < 0 ||
        st->ops->dispatch_put(st, b->category, b->project, b->department, e) < 0 ||
        http_audit_json(st, r, "dispatch.put", b->category,
                        json_pack("{s:s, s:o, s:o}", "category", b->category, "project",
                                  str_or_null(b->project), "department",
                                  str_or_null(b->department)),
                        e) < 0)
        return -1;
    return reply_dispatch(st, r, e);
}

int
h_dispatch_put(struct req *r, struct err *e)
{
    struct dispatch_body *b = arena_zalloc(r->arena, sizeof(*b));
    json_t *root;
    int rc;

    if (b == NULL)
        return nomem(e);
    const struct body_field fields[] = {
        { .key = "category", .kind = BODY_FIELD_TEXT, .required = true, .max = CODE_MAX,
          .text = &b->category },
        { .key = "project", .kind = BODY_FIELD_TEXT, .max = CODE_MAX, .text = &b->project },
        { .key = "department", .kind = BODY_FIELD_TEXT, .max = CODE_MAX,
          .text = &b->department },
        { .key = NULL },
    };
    root = http_load_object(r->body.len ? r->body.buf : "{}", r->body.len ? r->body.len : 2, e);
    if (root == NULL)
        return -1;
    /* null removes the rule; leaving it out is more likely a mistake than a wish */
    rc = json_object_get(root, "department") == NULL
             ? err_set(e, ERR_INVALID, "department", "required", "department or null")
             : http_decode_fields_in(root, fields, NULL, r->arena, e);
    json_decref(root);
    if (rc < 0)
        return -1;
    /* codes that could not be codes name nothing that exists */
    if (!category_code_ok(b->category))
        return err_set(e, ERR_INVALID, "category", "unknown", "not a category code");
    if (b->project != NULL && !http_is_code(b->project))
        return err_set(e, ERR_INVALID, "project", "unknown", "not a project code");
    if (b->department != NULL && !http_is_code(b->department))
        return err_set(e, ERR_INVALID, "department", "unknown", "not a department code");
    r->ctx = b;
    return http_submit(r, dispatch_put_run);
}

/* ---- grading rules ---- */

static json_t *
render_rule(const struct grade_rule_row *g)
{
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:b, s:i}", "code", g->code, "grade", g->grade,
                     "condition", g->condition, "description_zh",
                     g->description_zh ? g->description_zh : "", "description_en",
                     g->description_en ? g->description_en : "", "enabled", g->enabled, "sort",
                     g->sort);
}

static json_t *
render_levels(const struct grade_preset *p)
{
    json_t *a = json_array();

    for (const struct grade_level *l = p ? p->levels : NULL; a != NULL && l && l->code; l++)
        if (json_array_append_new(a, json_pack("{s:s, s:s, s:s}", "code", l->code, "name_zh",
                                               l->name_zh, "name_en", l->name_en)) < 0) {
            json_decref(a);
            a = NULL;
        }
    return a;
}

int
h_grade_rule_list(struct req *r, struct err *e)
{
    struct store *st = http_reader(r, e);
    struct grade_rule_row *rows;
    const char *preset;
    size_t n;
    json_t *rules, *levels;

    if (st == NULL || st->ops->grade_rule_list(st, r->arena, &preset, &rows, &n, e) < 0)
        return -1;
    rules = json_array();
    for (size_t i = 0; rules != NULL && i < n; i++)
        if (json_array_append_new(rules, render_rule(&rows[i])) < 0) {
            json_decref(rules);
            rules = NULL;
        }
    levels = render_levels(core_grade_preset_find(preset));
    if (rules == NULL || levels == NULL) {
        json_decref(rules);
        json_decref(levels);
        return nomem(e);
    }
    return reply(r, 200,
                 json_pack("{s:s, s:o, s:o}", "preset", preset, "levels", levels, "rules", rules),
                 e);
}

struct rule_put {
    const char *code, *grade, *condition, *description_zh, *description_en;
    bool enabled, has_enabled;
};

static const struct grade_rule_row *
rule_in(const struct grade_rule_row *rows, size_t n, const char *code)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(rows[i].code, code) == 0)
            return &rows[i];
    return NULL;
}

/* A new rule needs every member but enabled; an existing one keeps what is not given. */
static int
rule_merge(const struct rule_put *p, const struct grade_rule_row *old,
           struct grade_rule_row *row, struct err *e)
{
    if (old == NULL) {
        const char *missing = !p->grade ? "grade" : !p->condition ? "condition"
                            : !p->description_zh ? "description_zh"
                            : !p->description_en ? "description_en" : NULL;
        if (missing != NULL)
            return err_set(e, ERR_INVALID, missing, "required", "a new rule needs %s", missing);
        *row = (struct grade_rule_row){ .code = p->code, .enabled = true };
    } else {
        if (!p->grade && !p->condition && !p->description_zh && !p->description_en &&
            !p->has_enabled)
            return err_set(e, ERR_INVALID, NULL, "nothing_to_change", "no member given");
        *row = *old;
    }
    row->grade = p->grade ? p->grade : row->grade;
    row->condition = p->condition ? p->condition : row->condition;
    row->description_zh = p->description_zh ? p->description_zh : row->description_zh;
    row->description_en = p->description_en ? p->description_en : row->description_en;
    row->enabled = p->has_enabled ? p->enabled : row->enabled;
    return 0;
}

static int
reply_rule(struct store *st, struct req *r, const char *code, int status, struct err *e)
{
    struct grade_rule_row *rows;
    const struct grade_rule_row *g;
    const char *preset;
    size_t n;

    if (st->ops->grade_rule_list(st, r->arena, &preset, &rows, &n, e) < 0)
        return -1;
    if ((g = rule_in(rows, n, code)) == NULL)
        return err_set(e, ERR_INTERNAL, NULL, "internal", "rule %s vanished", code);
    return reply(r, status, render_rule(g), e);
}

static int
grade_rule_put_run(struct store *st, struct store_job *job, struct err *e)
{
    struct req *r = job->ctx;
    struct rule_put *p = r->ctx;
    struct grade_rule_row *rows, row;
    const struct grade_rule_row *old;
    const char *preset;
    size_t n;

    if (st->ops->grade_rule_list(st, r->arena, &preset, &rows, &n, e) < 0)
        return -1;
    old = rule_in(rows, n, p->code);
    if (rule_merge(p, old, &row, e) < 0)
        return -1;
    /* checked against the preset in use now: it may change until a complaint has a grade */
    if (core_grade_rank(core_grade_preset_find(preset), row.grade) < 0)
        return err_set(e, ERR_INVALID, "grade", "unknown", "not a grade of preset %s", preset);
    if (st->ops->grade_rule_put(st, &row, e) < 0 ||
        http_audit_json(st, r, "grading.rule_put", p->code,
                        json_pack("{s:s, s:s, s:s, s:b, s:b}", "code", row.code, "grade",
                                  row.grade, "condition", row.condition, "enabled", row.enabled,
                                  "created", old == NULL),
                        e) < 0)
        return -1;
    return reply_rule(st, r, p->code, old == NULL ? 201 : 200, e);
}

int
http_condition_canonical(struct req *r, const char **text, struct err *e)
{
    struct grade_condition cond;
    char buf[CONDITION_TEXT];

    if (*text == NULL)
        return 0;
    if (core_grade_condition_parse(*text, &cond, e) < 0)
        return -1;
    core_grade_condition_format(&cond, buf, sizeof(buf));
    *text = arena_strdup(r->arena, buf);
    return *text ? 0 : nomem(e);
}

int
h_grade_rule_put(struct req *r, struct err *e)
{
    struct rule_put *p = arena_zalloc(r->arena, sizeof(*p));

    if (p == NULL)
        return nomem(e);
    const struct body_field fields[] = {
        { .key = "grade", .kind = BODY_FIELD_TEXT, .max = GRADE_MAX, .text = &p->grade },
        { .key = "condition", .kind = BODY_FIELD_TEXT, .max = CORE_GRADE_COND_TEXT_MAX,
          .text = &p->condition },
        { .key = "description_zh", .kind = BODY_FIELD_PARAGRAPH, .max = RULE_DESCRIPTION_MAX,
          .text = &p->description_zh },
        { .key = "description_en", .kind = BODY_FIELD_PARAGRAPH, .max = RULE_DESCRIPTION_MAX,
          .text = &p->description_en },
        { .key = "enabled", .kind = BODY_FIELD_BOOL, .flag = &p->enabled,
          .given = &p->has_enabled },
        { .key = NULL },
    };
    if (!core_grade_rule_code_ok(r->params[0]))
        return err_set(e, ERR_INVALID, "code", "bad_format", "1..32 of A-Z a-z 0-9 _ -");
    p->code = r->params[0];
    if (decode(r, fields, e) < 0 || http_condition_canonical(r, &p->condition, e) < 0)
        return -1;
    r->ctx = p;
    return http_submit(r, grade_rule_put_run);
}
