/*
 * The common path of every action on a complaint (issue 4; DOMAIN §6): in
 * one write job, load the complaint (404 outside the caller's projects),
 * ask core/workflow.c whether the action may be taken in its status (409
 * otherwise), let the action make its changes and events, re-run the
 * grading rules when facts may have changed, write the audit entry, and
 * answer with the complaint as it now is. Either all of it commits or none.
 */
#include "http/handlers.h"
#include "core/grading.h"

#include <stdlib.h>
#include <string.h>

#define SIMILAR_WINDOW (30 * 86400)    /* DOMAIN §4: "within one month" */
#define PROPAGATE_MAX 50               /* similar complaints re-graded with a new one */
/*
 * Distinct complainants counted at most: the rules ask about a handful (3
 * in every preset), so counting stops one past the highest threshold
 * instead of reading a busy building's whole month; never beyond this
 * (PUT /api/grading-rules refuses a threshold above it).
 */
#define SIMILAR_CAP (CORE_GRADE_SIMILAR_MAX + 1)

static int
nomem(struct err *e)
{
    return err_set(e, ERR_NOMEM, NULL, "nomem", "out of memory");
}

int
life_event(struct store *st, struct req *r, const struct complaint *c, const char *type,
           const char *visibility, const char *text, json_t *data, struct err *e)
{
    char *json = data ? json_dumps(data, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    struct event *ev;
    struct event_new in = {
        .complaint_id = c->id,
        .type = type,
        .visibility = visibility,
        .author = r->who ? r->who->login : NULL,
        .text = text,
        .data = json,
        .at = r->now,
    };
    int rc;

    json_decref(data);
    if (data != NULL && json == NULL)
        return nomem(e);
    rc = st->ops->event_append(st, &in, r->arena, &ev, e);
    free(json);
    return rc;
}

/* ---- grading ---- */

struct rules {
    const struct grade_preset *preset;
    struct grade_rule *rule;
    struct grade_rule_row *row;
    size_t n;
};

static int
rules_load(struct store *st, struct req *r, struct rules *out, struct err *e)
{
    const char *preset = NULL;
    struct grade_rule_row *rows;
    size_t n;

    if (st->ops->grade_rule_list(st, r->arena, &preset, &rows, &n, e) < 0)
        return -1;
    out->preset = core_grade_preset_find(preset);
    if (out->preset == NULL)
        return err_set(e, ERR_INTERNAL, NULL, "internal", "grading preset '%s'", preset);
    out->rule = arena_zalloc(r->arena, (n ? n : 1) * sizeof(*out->rule));
    if (out->rule == NULL)
        return nomem(e);
    out->row = rows;
    out->n = 0;
    for (size_t i = 0; i < n; i++) {
        struct grade_rule *g = &out->rule[out->n];
        struct err ignored = { 0 };
        /* a rule is checked when it is stored; one that no longer parses is skipped, not fatal */
        if (core_grade_condition_parse(rows[i].condition, &g->cond, &ignored) < 0)
            continue;
        g->code = rows[i].code;
        g->grade = rows[i].grade;
        g->enabled = rows[i].enabled;
        out->row[out->n++] = rows[i];
    }
    return 0;
}

static const struct grade_rule_row *
rules_row(const struct rules *rs, const char *code)
{
    for (size_t i = 0; code != NULL && i < rs->n; i++)
        if (strcmp(rs->row[i].code, code) == 0)
            return &rs->row[i];
    return NULL;
}

/* One past the highest number of similar complainants a rule asks about. */
static int
similar_cap(const struct rules *rs)
{
    int64_t top = 1;

    for (size_t i = 0; i < rs->n; i++)
        for (size_t k = 0; rs->rule[i].enabled && k < rs->rule[i].cond.n; k++)
            if (rs->rule[i].cond.c[k].fact == GF_SIMILAR && rs->rule[i].cond.c[k].value > top)
                top = rs->rule[i].cond.c[k].value;
    return top + 1 < SIMILAR_CAP ? (int)top + 1 : SIMILAR_CAP;
}

static bool
kind_is_complaint(const char *kind)
{
    return strcmp(kind, "complaint") == 0 || strcmp(kind, "claim") == 0 ||
           strcmp(kind, "repair") == 0;
}

/*
 * Distinct complainants of complaints similar to c, in the month up to it;
 * with ids non-NULL, the ids of those complaints too.
 */
static int
similar_of(struct store *st, struct req *r, const struct complaint *c, int cap, int64_t **ids,
           size_t *n, int *distinct, struct err *e)
{
    struct similar_query q = {
        .project = c->project_code,
        .category = c->category_code,
        .building = c->building,
        .unit = c->unit,
        .from = c->received_at - SIMILAR_WINDOW,
        .to = c->received_at,
        .cap = cap,
    };

    if (ids != NULL)
        *ids = NULL;
    *n = 0;
    *distinct = 1;
    if (c->category_code == NULL || c->building == NULL)
        return 0;
    if (st->ops->similar_find(st, &q, r->arena, ids, n, distinct, e) < 0)
        return -1;
    if (*distinct < 1)
        *distinct = 1;
    return 0;
}

void
life_facts(const struct complaint *c, int64_t now, int similar, struct grade_facts *f)
{
    memset(f, 0, sizeof(*f));
    f->v[GF_HEADCOUNT] = c->headcount;
    f->v[GF_RAISED] = c->raised;
    f->v[GF_LOSS] = c->has_loss ? c->loss_fen / 100 : 0;
    f->v[GF_INJURY] = (c->flags & CORE_FLAG_INJURY) != 0;
    f->v[GF_MEDIA] = (c->flags & CORE_FLAG_MEDIA) != 0;
    f->v[GF_LAWSUIT] = (c->flags & CORE_FLAG_LAWSUIT) != 0;
    f->v[GF_THREAT_MEDIA] = (c->flags & CORE_FLAG_THREAT_MEDIA) != 0;
    f->v[GF_THREAT_LAWSUIT] = (c->flags & CORE_FLAG_THREAT_LAWSUIT) != 0;
    f->v[GF_VIP] = (c->flags & CORE_FLAG_VIP) != 0;
    f->v[GF_UNRESOLVED_DAYS] =
        core_grade_unresolved_days(c->received_at, now, core_wf_is_open(c->status));
    f->v[GF_REOPENINGS] = c->reopenings;
    f->v[GF_SIMILAR] = similar;
    f->v[GF_VALID] = strcmp(c->nature, "valid") == 0;
    f->v[GF_COMPLAINT] = kind_is_complaint(c->kind);
}

/* Raise c's grade when the rules say so, with an event naming the rule. */
static int
regrade_one(struct store *st, struct req *r, struct complaint *c, const struct rules *rs,
            int similar, bool *changed, struct err *e)
{
    struct grade_facts f;
    struct grade_result res;
    const char *grade, *rule;
    const struct grade_rule_row *row;
    struct complaint_change ch = { 0 };
    json_t *fired, *data;

    *changed = false;
    life_facts(c, r->now, similar, &f);
    if (!core_grade_decide(rs->preset, rs->rule, rs->n, &f, c->grade, c->grade_overrides, &grade,
                           &rule))
        return 0;
    core_grade_evaluate(rs->preset, rs->rule, rs->n, &f, &res);
    fired = json_array();
    for (size_t i = 0; fired != NULL && i < res.n_fired; i++)
        json_array_append_new(fired, json_string(res.fired[i]));
    row = rules_row(rs, rule);
    data = json_pack("{s:o, s:s, s:s, s:o, s:o, s:o}", "from", c->grade ? json_string(c->grade)
                                                                         : json_null(),
                     "to", grade, "by", "rules", "rule", rule ? json_string(rule) : json_null(),
                     "condition", row ? json_string(row->condition) : json_null(), "fired",
                     fired ? fired : json_array());
    if (data == NULL)
        return nomem(e);
    ch.grade = grade;
    if (st->ops->complaint_update(st, c->id, &ch, e) < 0) {
        json_decref(data);
        return -1;
    }
    if (life_event(st, r, c, "grade_changed", "internal",
                   row ? row->description_zh : NULL,
                   data, e) < 0)
        return -1;
    c->grade = grade;
    *changed = true;
    return 0;
}

/*
 * Did this count just reach a rule's threshold on similar complaints? Only
 * then can the earlier complaints of the group change grade: each count is
 * reached once as the group grows, so a busy group (a lift out for a day,
 * a hundred calls) re-grades its members once, not on every new call.
 */
static bool
similar_threshold_reached(const struct rules *rs, int distinct)
{
    struct grade_facts now = { 0 }, before = { 0 };

    now.v[GF_SIMILAR] = distinct;
    before.v[GF_SIMILAR] = distinct - 1;
    for (size_t i = 0; i < rs->n; i++) {
        const struct grade_condition *cond = &rs->rule[i].cond;
        for (size_t k = 0; rs->rule[i].enabled && k < cond->n; k++) {
            struct grade_condition one = { .c = { cond->c[k] }, .n = 1 };
            if (cond->c[k].fact == GF_SIMILAR && core_grade_condition_holds(&one, &now) &&
                !core_grade_condition_holds(&one, &before))
                return true;
        }
    }
    return false;
}

int
life_regrade(struct store *st, struct req *r, struct complaint *c, bool propagate,
             struct err *e)
{
    struct rules rs;
    int64_t *ids;
    size_t n;
    int distinct;
    bool changed;

    if (rules_load(st, r, &rs, e) < 0 ||
        similar_of(st, r, c, similar_cap(&rs), NULL, &n, &distinct, e) < 0 ||
        regrade_one(st, r, c, &rs, distinct, &changed, e) < 0)
        return -1;
    if (!propagate || distinct < 2 || !similar_threshold_reached(&rs, distinct))
        return 0;
    if (similar_of(st, r, c, similar_cap(&rs), &ids, &n, &distinct, e) < 0)
        return -1;
    /* the complaints of this month's group are similar to each other too: they share the count */
    for (size_t i = 0; i < n && i < PROPAGATE_MAX; i++) {
        struct complaint *other;
        if (ids[i] == c->id)
            continue;
        if (st->ops->complaint_get_by_id(st, ids[i], r->arena, &other, e) < 0 ||
            regrade_one(st, r, other, &rs, distinct, &changed, e) < 0)
            return -1;
    }
    return 0;
}

int
life_preset(struct store *st, struct req *r, const struct grade_preset **out, struct err *e)
{
    struct rules rs;

    if (rules_load(st, r, &rs, e) < 0)
        return -1;
    *out = rs.preset;
    return 0;
}

int
life_rules_holding(struct store *st, struct req *r, const struct complaint *c,
                   const char **codes, struct err *e)
{
    struct rules rs;
    struct grade_facts f;
    struct grade_result res;
    struct sbuf sb;
    size_t n;
    int similar;

    if (rules_load(st, r, &rs, e) < 0 ||
        similar_of(st, r, c, similar_cap(&rs), NULL, &n, &similar, e) < 0)
        return -1;
    life_facts(c, r->now, similar, &f);
    core_grade_evaluate(rs.preset, rs.rule, rs.n, &f, &res);
    sbuf_init(&sb, 4096);
    for (size_t i = 0; i < res.n_fired; i++)
        sbuf_addf(&sb, "%s%s", i ? "," : "", res.fired[i]);
    *codes = sb.failed ? NULL : arena_strdup(r->arena, sb.buf);
    sbuf_release(&sb);
    return *codes ? 0 : nomem(e);
}

/* ---- the grade explained: GET /api/complaints/:number/grade ---- */

static json_t *
explain(struct req *r, const struct complaint *c, const struct rules *rs, int similar)
{
    struct grade_facts f;
    struct grade_result res;
    json_t *facts = json_object(), *rules = json_array(), *levels = json_array();

    life_facts(c, r->now, similar, &f);
    core_grade_evaluate(rs->preset, rs->rule, rs->n, &f, &res);
    for (int i = 0; facts != NULL && i < GF_COUNT; i++)
        json_object_set_new(facts, core_grade_fact_name((enum grade_fact)i),
                            json_integer(f.v[i]));
    for (size_t i = 0; rules != NULL && i < rs->n; i++) {
        bool holds = rs->rule[i].enabled && core_grade_condition_holds(&rs->rule[i].cond, &f);
        json_array_append_new(
            rules, json_pack("{s:s, s:s, s:s, s:s, s:s, s:b, s:b}", "code", rs->row[i].code,
                             "grade", rs->row[i].grade, "condition", rs->row[i].condition,
                             "description_zh", rs->row[i].description_zh, "description_en",
                             rs->row[i].description_en, "enabled", rs->row[i].enabled, "holds",
                             holds));
    }
    for (const struct grade_level *l = rs->preset->levels; levels && l->code; l++)
        json_array_append_new(levels, json_pack("{s:s, s:s, s:s}", "code", l->code, "name_zh",
                                                l->name_zh, "name_en", l->name_en));
    return json_pack("{s:s, s:o, s:s, s:o, s:s, s:o, s:o, s:o, s:o}", "number", c->number,
                     "grade", c->grade ? json_string(c->grade) : json_null(), "preset",
                     rs->preset->name, "levels", levels ? levels : json_array(),
                     "rules_grade", res.grade, "rule", res.rule ? json_string(res.rule)
                                                                : json_null(),
                     "overridden", c->grade_overrides ? json_string(c->grade_overrides)
                                                      : json_null(),
                     "facts", facts ? facts : json_object(), "rules",
                     rules ? rules : json_array());
}

int
h_grade_get(struct req *r, struct err *e)
{
    struct store *st = http_reader(r, e);
    struct complaint *c;
    struct rules rs;
    size_t n;
    int distinct;
    json_t *body;

    if (st == NULL || (c = http_path_complaint(st, r, e)) == NULL ||
        rules_load(st, r, &rs, e) < 0 ||
        similar_of(st, r, c, similar_cap(&rs), NULL, &n, &distinct, e) < 0)
        return -1;
    body = explain(r, c, &rs, distinct);
    if (body == NULL)
        return nomem(e);
    return http_reply_json(r, 200, body) < 0 ? nomem(e) : 0;
}

/* ---- the write job ---- */

struct life_job {
    const struct life_spec *spec;
    void *in;
    const char *key;
    unsigned char hash[32];
};

static int
life_run(struct store *st, struct store_job *job, struct err *e)
{
    struct req *r = job->ctx;
    struct life_job *lj = r->ctx;
    const struct life_spec *spec = lj->spec;
    struct complaint *c;
    const char *next;
    int replayed = 0;
    int status = spec->created ? 201 : 200;

    if (lj->key != NULL && (replayed = idem_replay(st, r, lj->key, lj->hash, e)) != 0)
        return replayed < 0 ? -1 : 0;
    if ((c = http_path_complaint(st, r, e)) == NULL ||
        core_wf_next(c->status, spec->action, &next, e) < 0 ||
        spec->apply(st, r, c, next, lj->in, e) < 0)
        return -1;
    /* what the action changed, as stored, is what the rules and the answer see */
    if (st->ops->complaint_get_by_id(st, c->id, r->arena, &c, e) < 0 ||
        (spec->regrade && life_regrade(st, r, c, spec->propagate, e) < 0))
        return -1;
    if (http_audit_json(st, r, spec->audit, c->number,
                        json_pack("{s:s, s:s}", "action", core_wf_action_name(spec->action),
                                  "status", c->status),
                        e) < 0)
        return -1;
    if (spec->reply != NULL) {
        if (spec->reply(st, r, c, lj->in, e) < 0)
            return -1;
    } else if (http_reply_complaint(st, r, c, status, e) < 0) {
        return -1;
    }
    if (lj->key != NULL && idem_remember(st, r, lj->key, lj->hash, e) < 0)
        return -1;
    return 0;
}

int
life_submit(struct req *r, const struct life_spec *spec, void *in, struct err *e)
{
    struct life_job *lj = arena_zalloc(r->arena, sizeof(*lj));

    if (lj == NULL)
        return nomem(e);
    lj->spec = spec;
    lj->in = in;
    if (idem_key(r, &lj->key, lj->hash, e) < 0)
        return -1;
    r->ctx = lj;
    return http_submit(r, life_run);
}

int
life_change(struct store *st, const struct complaint *c, const struct complaint_change *ch,
            struct err *e)
{
    return st->ops->complaint_update(st, c->id, ch, e);
}
