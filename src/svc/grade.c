/*
 * The grading rules applied to a complaint (DOMAIN §4), for the HTTP layer
 * (on every change of facts) and the scheduler (age-based rules on time).
 */
#include "svc/svc.h"
#include "core/workflow.h"

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
svc_event(struct store *st, const struct svc_ctx *x, const struct complaint *c, const char *type,
          const char *visibility, const char *text, json_t *data, struct err *e)
{
    char *json = data ? json_dumps(data, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    struct event *ev;
    struct event_new in = {
        .complaint_id = c->id,
        .type = type,
        .visibility = visibility,
        .author = x->actor,
        .text = text,
        .data = json,
        .at = x->now,
    };
    int rc;

    json_decref(data);
    if (data != NULL && json == NULL)
        return nomem(e);
    rc = st->ops->event_append(st, &in, x->a, &ev, e);
    free(json);
    return rc;
}

int
svc_rules_load(struct store *st, const struct svc_ctx *x, struct svc_rules *out, struct err *e)
{
    const char *preset = NULL;
    struct grade_rule_row *rows;
    size_t n;

    if (st->ops->grade_rule_list(st, x->a, &preset, &rows, &n, e) < 0)
        return -1;
    out->preset = core_grade_preset_find(preset);
    if (out->preset == NULL)
        return err_set(e, ERR_INTERNAL, NULL, "internal", "grading preset '%s'", preset);
    out->rule = arena_zalloc(x->a, (n ? n : 1) * sizeof(*out->rule));
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
rules_row(const struct svc_rules *rs, const char *code)
{
    for (size_t i = 0; code != NULL && i < rs->n; i++)
        if (strcmp(rs->row[i].code, code) == 0)
            return &rs->row[i];
    return NULL;
}

int
svc_similar_cap(const struct svc_rules *rs)
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

int
svc_similar_of(struct store *st, const struct svc_ctx *x, const struct complaint *c, int cap,
               int64_t **ids, size_t *n, int *distinct, struct err *e)
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
    if (st->ops->similar_find(st, &q, x->a, ids, n, distinct, e) < 0)
        return -1;
    if (*distinct < 1)
        *distinct = 1;
    return 0;
}

void
svc_facts(const struct complaint *c, int64_t now, int similar, struct grade_facts *f)
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
    f->v[GF_REPAIR] = strcmp(c->kind, "repair") == 0;
}

int
svc_facts_handling(struct store *st, const struct svc_ctx *x, const struct complaint *c,
                   const struct grade_preset *preset, struct grade_facts *f, struct err *e)
{
    struct clock_row *clocks;
    struct compensation *comp;
    size_t n;
    int64_t late = 0, yuan_fen = 0;

    if (st->ops->clock_list(st, c->id, x->a, &clocks, &n, e) < 0)
        return -1;
    f->v[GF_OVERDUE] = 0;
    for (size_t i = 0; i < n; i++) {
        if (clocks[i].stopped_at != 0 || clocks[i].cancelled || x->now < clocks[i].due_at)
            continue;
        f->v[GF_OVERDUE]++;
        if (x->now - clocks[i].due_at > late)
            late = x->now - clocks[i].due_at;
    }
    f->v[GF_OVERDUE_DAYS] = late / 86400;
    if (st->ops->compensation_list(st, c->id, x->a, &comp, &n, e) < 0)
        return -1;
    for (size_t i = 0; i < n; i++)
        if (strcmp(comp[i].status, "proposed") == 0 ||
            strcmp(comp[i].status, "pending_approval") == 0)
            yuan_fen += comp[i].amount_fen;
    f->v[GF_COMPENSATION] = yuan_fen / 100;
    f->v[GF_TOP] = c->grade != NULL && core_grade_rank(preset, c->grade) == 0;
    return 0;
}

/* Raise c's grade when the rules say so, with an event naming the rule. */
static int
regrade_one(struct store *st, const struct svc_ctx *x, struct complaint *c,
            const struct svc_rules *rs, int similar, struct err *e)
{
    struct grade_facts f;
    struct grade_result res;
    const char *grade, *rule;
    const struct grade_rule_row *row;
    struct complaint_change ch = { 0 };
    json_t *fired, *data;

    svc_facts(c, x->now, similar, &f);
    if (svc_facts_handling(st, x, c, rs->preset, &f, e) < 0)
        return -1;
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
    if (svc_event(st, x, c, "grade_changed", "internal", row ? row->description_zh : NULL, data,
                  e) < 0)
        return -1;
    c->grade = grade;
    /* a new grade brings other limits and duties */
    return svc_clocks_sync(st, x, c, e);
}

/*
 * Did this count just reach a rule's threshold on similar complaints? Only
 * then can the earlier complaints of the group change grade: each count is
 * reached once as the group grows, so a busy group (a lift out for a day,
 * a hundred calls) re-grades its members once, not on every new call.
 */
static bool
similar_threshold_reached(const struct svc_rules *rs, int distinct)
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
svc_regrade(struct store *st, const struct svc_ctx *x, struct complaint *c, bool propagate,
            struct err *e)
{
    struct svc_rules rs;
    int64_t *ids;
    size_t n;
    int distinct;

    if (svc_rules_load(st, x, &rs, e) < 0 ||
        svc_similar_of(st, x, c, svc_similar_cap(&rs), NULL, &n, &distinct, e) < 0 ||
        regrade_one(st, x, c, &rs, distinct, e) < 0)
        return -1;
    if (!propagate || distinct < 2 || !similar_threshold_reached(&rs, distinct))
        return 0;
    if (svc_similar_of(st, x, c, svc_similar_cap(&rs), &ids, &n, &distinct, e) < 0)
        return -1;
    /* the complaints of this month's group are similar to each other too: they share the count */
    for (size_t i = 0; i < n && i < PROPAGATE_MAX; i++) {
        struct complaint *other;
        if (ids[i] == c->id)
            continue;
        if (st->ops->complaint_get_by_id(st, ids[i], x->a, &other, e) < 0 ||
            regrade_one(st, x, other, &rs, distinct, e) < 0)
            return -1;
    }
    return 0;
}
