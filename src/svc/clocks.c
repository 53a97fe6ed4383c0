/*
 * A complaint's clocks kept in step with its state (DOMAIN §5). Rather than
 * each action starting and stopping clocks by hand, every change ends with
 * svc_clocks_sync, which compares what should run with what runs: one
 * place decides, and a clock can never be forgotten by a new action.
 */
#include "svc/svc.h"
#include "core/workflow.h"
#include "util/ts.h"

#include <string.h>

#define DAY 86400

static int
nomem(struct err *e)
{
    return err_set(e, ERR_NOMEM, NULL, "nomem", "out of memory");
}

/* What a sync needs: the policy, the calendar of the project, the clocks. */
struct clockset {
    struct clock_policy_row *policy;
    size_t n_policy;
    struct calendar cal;
    struct clock_row *rows;
    size_t n;
};

static int
clockset_load(struct store *st, const struct svc_ctx *x, const struct complaint *c,
              struct clockset *cs, struct err *e)
{
    memset(cs, 0, sizeof(*cs));
    if (st->ops->clock_policy_list(st, x->a, &cs->policy, &cs->n_policy, e) < 0 ||
        st->ops->calendar_load(st, c->project_code, x->a, &cs->cal, e) < 0 ||
        st->ops->clock_list(st, c->id, x->a, &cs->rows, &cs->n, e) < 0)
        return -1;
    cs->cal.tz_min = x->tz_min;
    return 0;
}

/* The limit of `kind` for a grade: its own row, else the '*' row, else the default. */
static void
limit_for(const struct clockset *cs, enum clock_kind kind, const char *grade,
          struct clock_limit *out)
{
    const char *name = core_clock_name(kind);
    const struct clock_policy_row *any = NULL, *own = NULL;

    for (size_t i = 0; i < cs->n_policy; i++) {
        const struct clock_policy_row *p = &cs->policy[i];
        if (strcmp(p->clock, name) != 0)
            continue;
        if (strcmp(p->grade, "*") == 0)
            any = p;
        else if (grade != NULL && strcmp(p->grade, grade) == 0)
            own = p;
    }
    if (own == NULL)
        own = any;
    if (own == NULL) {
        core_clock_default(kind, false, out);
        return;
    }
    out->amount = own->amount;
    out->unit = (enum clock_unit)core_clock_unit_parse(own->unit);
    out->remind_percent = own->remind_percent;
    out->enabled = own->enabled;
    if ((int)out->unit < 0)
        core_clock_default(kind, false, out);
}

static void
limit_of_row(const struct clock_row *r, struct clock_limit *out)
{
    int unit = core_clock_unit_parse(r->unit);

    out->amount = r->amount;
    out->unit = unit < 0 ? CU_HOURS : (enum clock_unit)unit;
    out->remind_percent = r->remind_percent;
    out->enabled = true;
}

static void
rec_of_row(const struct clock_row *r, struct clock_rec *out)
{
    int kind = core_clock_parse(r->kind);

    memset(out, 0, sizeof(*out));
    out->kind = kind < 0 ? CK_RESOLVE : (enum clock_kind)kind;
    out->cycle = r->cycle;
    out->started_at = r->started_at;
    out->due_at = r->due_at;
    out->remind_at = r->remind_at;
    out->paused_at = r->paused_at;
    out->stopped_at = r->stopped_at;
    out->cancelled = r->cancelled;
}

/* Set due, reminder and next_at of a row from its limit, start and extension. */
static void
retime(const struct clockset *cs, struct clock_row *r, int64_t now)
{
    struct clock_limit l;
    struct clock_rec rec;

    limit_of_row(r, &l);
    r->due_at = core_clock_due(&cs->cal, &l, r->started_at, r->ext);
    r->remind_at = core_clock_remind_at(r->started_at, r->due_at, l.remind_percent);
    /* moved later than a reminder or an overdue mark already made: they may come again */
    if (r->reminded_at != 0 && r->remind_at > now)
        r->reminded_at = 0;
    if (r->overdue_at != 0 && r->due_at > now)
        r->overdue_at = 0;
    rec_of_row(r, &rec);
    r->next_at = core_clock_next_at(&rec, r->reminded_at != 0, r->overdue_at != 0);
}

/* The latest cycle of a kind, or NULL. */
static struct clock_row *
latest(const struct clockset *cs, enum clock_kind kind)
{
    struct clock_row *best = NULL;
    const char *name = core_clock_name(kind);

    for (size_t i = 0; i < cs->n; i++)
        if (strcmp(cs->rows[i].kind, name) == 0 && (best == NULL || cs->rows[i].cycle > best->cycle))
            best = &cs->rows[i];
    return best;
}

static bool
running(const struct clock_row *r)
{
    return r != NULL && r->stopped_at == 0 && !r->cancelled;
}

static int
write_row(struct store *st, struct clock_row *r, const struct clock_row *before, struct err *e)
{
    bool updated;

    if (st->ops->clock_update(st, r, before->next_at, before->stopped_at, &updated, e) < 0)
        return -1;
    /* a row changed under us can only be the scheduler of another process: leave it be */
    return 0;
}

static int
start(struct store *st, const struct svc_ctx *x, const struct clockset *cs,
      const struct complaint *c, enum clock_kind kind, int cycle, int64_t at, struct err *e)
{
    struct clock_limit l;
    struct clock_row r = { 0 };
    int64_t id;
    struct err conflict = { 0 };

    limit_for(cs, kind, c->grade, &l);
    if (!l.enabled)
        return 0;
    r.complaint_id = c->id;
    r.kind = core_clock_name(kind);
    r.cycle = cycle;
    r.started_at = at;
    r.amount = l.amount;
    r.unit = core_clock_unit_name(l.unit);
    r.remind_percent = l.remind_percent;
    retime(cs, &r, x->now);
    if (st->ops->clock_insert(st, &r, &id, &conflict) < 0) {
        if (conflict.code == ERR_CONFLICT)
            return 0;      /* started already (a concurrent scheduler's backfill) */
        *e = conflict;
        return -1;
    }
    return 0;
}

static int
stop(struct store *st, const struct svc_ctx *x, struct clock_row *r, bool cancel,
     struct err *e)
{
    struct clock_row before = *r;

    r->stopped_at = x->now;
    r->cancelled = cancel;
    r->next_at = 0;
    return write_row(st, r, &before, e);
}

/* Whether the complaint's state shows the duty of `kind` done. */
static bool
done_by_state(const struct complaint *c, enum clock_kind kind)
{
    switch (kind) {
    case CK_ACCEPT:
        /* written complaints arrive "received"; accepting makes them "registered" */
        return strcmp(c->status, "received") != 0;
    case CK_RESOLVE:
        return c->resolved_at != 0 || !core_wf_is_open(c->status);
    case CK_CENTRE_REPORT:
        return strcmp(c->nature, "undetermined") != 0;
    default:
        return false;
    }
}

/* A running clock whose limit differs from the policy for the grade now. */
static int
follow_grade(struct store *st, const struct svc_ctx *x, const struct clockset *cs,
             const struct complaint *c, enum clock_kind kind, struct clock_row *r,
             struct err *e)
{
    struct clock_limit l;
    struct clock_row before = *r;

    limit_for(cs, kind, c->grade, &l);
    if (l.amount == r->amount && strcmp(core_clock_unit_name(l.unit), r->unit) == 0 &&
        l.remind_percent == r->remind_percent)
        return 0;
    /* what pauses added is measured in the old unit: it carries over only within one */
    if (strcmp(core_clock_unit_name(l.unit), r->unit) != 0)
        r->ext = 0;
    r->amount = l.amount;
    r->unit = core_clock_unit_name(l.unit);
    r->remind_percent = l.remind_percent;
    if (r->paused_at == 0)
        retime(cs, r, x->now);
    else {
        struct clock_limit nl;
        limit_of_row(r, &nl);
        r->due_at = core_clock_due(&cs->cal, &nl, r->started_at, r->ext);
        r->remind_at = core_clock_remind_at(r->started_at, r->due_at, nl.remind_percent);
    }
    return write_row(st, r, &before, e);
}

static int
sync_kind(struct store *st, const struct svc_ctx *x, const struct clockset *cs,
          const struct complaint *c, enum clock_kind kind, bool want, struct err *e)
{
    struct clock_row *cur = latest(cs, kind);
    bool done = done_by_state(c, kind);
    struct clock_limit l;

    if (running(cur)) {
        if (done)
            return stop(st, x, cur, false, e);
        if (!want)
            return stop(st, x, cur, true, e);
        return follow_grade(st, x, cs, c, kind, cur, e);
    }
    limit_for(cs, kind, c->grade, &l);
    if (!want || done || !l.enabled)
        return 0;
    if (cur == NULL)
        /* the clocks of registration run from when the customer complained */
        return start(st, x, cs, c, kind, 1, cs->n == 0 ? c->received_at : x->now, e);
    if (cur->cancelled)
        return start(st, x, cs, c, kind, cur->cycle + 1, x->now, e);
    /* reopened: handling starts again */
    if (kind == CK_RESOLVE && cur->cycle < c->reopenings + 1)
        return start(st, x, cs, c, kind, c->reopenings + 1, x->now, e);
    return 0;
}

static int
sync_followup(struct store *st, const struct svc_ctx *x, const struct clockset *cs,
              const struct complaint *c, struct err *e)
{
    struct clock_row *cur = latest(cs, CK_FOLLOWUP);
    int cycle = c->reopenings + 1;
    bool closed = c->closed_at != 0 && !core_wf_is_open(c->status) &&
                  strcmp(c->status, "invalid") != 0;

    /* the call was made (followed_up, then archived): the clock is met, or missed if late */
    bool called = strcmp(c->status, "followed_up") == 0 || strcmp(c->status, "archived") == 0;

    if (running(cur) && !closed)
        return stop(st, x, cur, true, e);
    if (running(cur) && called)
        return stop(st, x, cur, false, e);
    if (closed && !called && (cur == NULL || cur->cycle < cycle))
        return start(st, x, cs, c, CK_FOLLOWUP, cycle, c->closed_at, e);
    return 0;
}

/* ---- age points ---- */

/* The next whole-day boundary after `now` where a comparison on days since `from` can change. */
static void
consider_days(const struct grade_condition *cond, enum grade_fact fact, int64_t from,
              int64_t now, int64_t *next)
{
    for (size_t k = 0; k < cond->n; k++) {
        int64_t d[2] = { cond->c[k].value, cond->c[k].value + 1 };
        if (cond->c[k].fact != fact)
            continue;
        for (int j = 0; j < 2; j++) {
            int64_t at = from + d[j] * DAY;
            if (at > now && (*next == 0 || at < *next))
                *next = at;
        }
    }
}

static int
age_point(struct store *st, const struct svc_ctx *x, const struct clockset *cs,
          const struct complaint *c, struct err *e)
{
    struct svc_rules rs;
    struct escalation_rule_row *esc;
    size_t n_esc;
    int64_t next = 0, most_late = 0;

    if (!core_wf_is_open(c->status))
        return st->ops->age_point_set(st, c->id, 0, e);
    if (svc_rules_load(st, x, &rs, e) < 0 ||
        st->ops->escalation_rule_list(st, x->a, &esc, &n_esc, e) < 0)
        return -1;
    for (size_t i = 0; i < cs->n; i++)
        if (running(&cs->rows[i]) && cs->rows[i].due_at <= x->now &&
            (most_late == 0 || cs->rows[i].due_at < most_late))
            most_late = cs->rows[i].due_at;
    for (size_t i = 0; i < rs.n; i++)
        if (rs.rule[i].enabled)
            consider_days(&rs.rule[i].cond, GF_UNRESOLVED_DAYS, c->received_at, x->now, &next);
    for (size_t i = 0; i < n_esc; i++) {
        struct grade_condition cond;
        struct err ignored = { 0 };
        if (!esc[i].enabled || core_grade_condition_parse(esc[i].condition, &cond, &ignored) < 0)
            continue;
        consider_days(&cond, GF_UNRESOLVED_DAYS, c->received_at, x->now, &next);
        if (most_late != 0)
            consider_days(&cond, GF_OVERDUE_DAYS, most_late, x->now, &next);
    }
    return st->ops->age_point_set(st, c->id, next, e);
}

int
svc_clocks_sync(struct store *st, const struct svc_ctx *x, const struct complaint *c,
                struct err *e)
{
    struct clockset cs;
    struct svc_rules rs;
    bool applies[CK_COUNT];
    struct clock_facts f;

    if (clockset_load(st, x, c, &cs, e) < 0 || svc_rules_load(st, x, &rs, e) < 0)
        return -1;
    f.channel = c->channel;
    f.top = c->grade != NULL && core_grade_rank(rs.preset, c->grade) == 0;
    f.injury = (c->flags & CORE_FLAG_INJURY) != 0;
    f.undetermined = strcmp(c->nature, "undetermined") == 0 &&
                     strcmp(c->status, "in_progress") == 0;
    f.open = core_wf_is_open(c->status) && strcmp(c->status, "resolved") != 0;
    core_clock_applies(&f, applies);
    /* a complaint resolved but not yet closed still owes its answers, not its resolution */
    for (int k = 0; k < CK_COUNT; k++) {
        if (k == CK_FOLLOWUP)
            continue;
        if (sync_kind(st, x, &cs, c, (enum clock_kind)k, applies[k], e) < 0)
            return -1;
    }
    if (sync_followup(st, x, &cs, c, e) < 0)
        return -1;
    /* what was just written is what the age point must see */
    if (st->ops->clock_list(st, c->id, x->a, &cs.rows, &cs.n, e) < 0)
        return -1;
    return age_point(st, x, &cs, c, e);
}

int
svc_clocks_on_event(struct store *st, const struct svc_ctx *x, const struct complaint *c,
                    const char *type, struct err *e)
{
    static const enum clock_kind replies[] = { CK_FIRST_RESPONSE, CK_URGENT_REPLY,
                                               CK_CENTRE_ANSWER, CK_PROGRESS };
    static const enum clock_kind reports[] = { CK_URGENT_REPORT, CK_CENTRE_REPORT };
    const enum clock_kind *kinds;
    size_t n;
    struct clockset cs;

    if (strcmp(type, "reply") == 0) {
        kinds = replies;
        n = sizeof(replies) / sizeof(replies[0]);
    } else if (strcmp(type, "report") == 0) {
        kinds = reports;
        n = sizeof(reports) / sizeof(reports[0]);
    } else {
        return 0;
    }
    if (clockset_load(st, x, c, &cs, e) < 0)
        return -1;
    for (size_t i = 0; i < n; i++) {
        struct clock_row *cur = latest(&cs, kinds[i]);
        if (!running(cur))
            continue;
        if (stop(st, x, cur, false, e) < 0)
            return -1;
        /* progress is reported at least weekly: the next week starts with this report */
        if (kinds[i] == CK_PROGRESS &&
            start(st, x, &cs, c, CK_PROGRESS, cur->cycle + 1, x->now, e) < 0)
            return -1;
    }
    return 0;
}

int
svc_clocks_followup_done(struct store *st, const struct svc_ctx *x, int64_t complaint_id,
                         int cycle, struct err *e)
{
    struct clock_row *rows;
    size_t n;

    if (st->ops->clock_list(st, complaint_id, x->a, &rows, &n, e) < 0)
        return -1;
    for (size_t i = 0; i < n; i++)
        if (strcmp(rows[i].kind, "followup") == 0 && rows[i].cycle == cycle && running(&rows[i]))
            return stop(st, x, &rows[i], false, e);
    return 0;
}

int
svc_clock_pause(struct store *st, const struct svc_ctx *x, const struct complaint *c,
                enum clock_kind kind, bool pause, const char *reason, struct err *e)
{
    struct clockset cs;
    struct clock_row *cur, before;
    struct clock_limit l;
    int64_t paused_for = 0;
    char due[TS_FORMAT_MAX];

    if (clockset_load(st, x, c, &cs, e) < 0)
        return -1;
    cur = latest(&cs, kind);
    if (!running(cur))
        return err_set(e, ERR_CONFLICT, "clock", "not_running", "the %s clock is not running",
                       core_clock_name(kind));
    if (pause && cur->paused_at != 0)
        return err_set(e, ERR_CONFLICT, "clock", "paused", "the clock is paused already");
    if (!pause && cur->paused_at == 0)
        return err_set(e, ERR_CONFLICT, "clock", "not_paused", "the clock is not paused");
    before = *cur;
    if (pause) {
        cur->paused_at = x->now;
        cur->next_at = 0;
    } else {
        limit_of_row(cur, &l);
        paused_for = x->now - cur->paused_at;
        cur->ext += core_clock_pause_ext(&cs.cal, &l, cur->paused_at, x->now);
        cur->paused_at = 0;
        retime(&cs, cur, x->now);
    }
    if (write_row(st, cur, &before, e) < 0)
        return -1;
    ts_format(cur->due_at, x->tz_min, due);
    return svc_event(st, x, c, pause ? "clock_paused" : "clock_resumed", "internal", reason,
                     pause ? json_pack("{s:s}", "clock", core_clock_name(kind))
                           : json_pack("{s:s, s:I, s:s}", "clock", core_clock_name(kind),
                                       "paused_seconds", (json_int_t)paused_for, "due_at", due),
                     e);
}

/* ---- views ---- */

static json_t *
time_or_null(int64_t t, int tz_min)
{
    char buf[TS_FORMAT_MAX];

    if (t == 0)
        return json_null();
    ts_format(t, tz_min, buf);
    return json_string(buf);
}

json_t *
svc_clocks_render(const struct clock_row *rows, size_t n, int64_t now, int tz_min)
{
    json_t *out = json_array();

    for (size_t i = 0; out != NULL && i < n; i++) {
        struct clock_rec rec;
        int kind = core_clock_parse(rows[i].kind);
        rec_of_row(&rows[i], &rec);
        json_array_append_new(
            out, json_pack("{s:s, s:s, s:s, s:i, s:s, s:{s:i, s:s}, s:o, s:o, s:o, s:o, s:o, s:o,"
                           " s:o}",
                           "clock", rows[i].kind, "label_zh",
                           kind >= 0 ? core_clock_label((enum clock_kind)kind, true) : "",
                           "label_en",
                           kind >= 0 ? core_clock_label((enum clock_kind)kind, false) : "",
                           "cycle", rows[i].cycle, "state",
                           core_clock_state_name(core_clock_state(&rec, now)), "limit",
                           "amount", rows[i].amount, "unit", rows[i].unit, "started_at",
                           time_or_null(rows[i].started_at, tz_min), "due_at",
                           time_or_null(rows[i].due_at, tz_min), "remind_at",
                           time_or_null(rows[i].remind_at, tz_min), "paused_at",
                           time_or_null(rows[i].paused_at, tz_min), "reminded_at",
                           time_or_null(rows[i].reminded_at, tz_min), "overdue_at",
                           time_or_null(rows[i].overdue_at, tz_min), "stopped_at",
                           time_or_null(rows[i].stopped_at, tz_min)));
    }
    return out != NULL ? out : json_array();
}

int
svc_next_answer_at(struct store *st, const struct svc_ctx *x, const struct complaint *c,
                   int64_t *at, struct err *e)
{
    static const char *const answers[] = { "urgent_reply", "first_response", "centre_answer",
                                           "progress", "resolve", NULL };
    struct clock_row *rows;
    size_t n;

    *at = 0;
    if (st->ops->clock_list(st, c->id, x->a, &rows, &n, e) < 0)
        return -1;
    for (size_t i = 0; i < n; i++) {
        bool answer = false;
        for (size_t k = 0; answers[k] != NULL; k++)
            answer = answer || strcmp(rows[i].kind, answers[k]) == 0;
        if (answer && running(&rows[i]) && (*at == 0 || rows[i].due_at < *at))
            *at = rows[i].due_at;
    }
    return 0;
}

const char *
svc_promised(struct store *st, const struct svc_ctx *x, const struct complaint *c,
             struct err *e)
{
    int64_t best;
    char buf[TS_FORMAT_MAX];
    const char *out;
    struct ts_civil t;

    if (svc_next_answer_at(st, x, c, &best, e) < 0)
        return NULL;
    if (best == 0)
        return "";
    ts_to_civil(best, x->tz_min, &t);
    snprintf(buf, sizeof(buf), "%04d-%02d-%02d %02d:%02d", t.year, t.month, t.day, t.hour,
             t.minute);
    if ((out = arena_strdup(x->a, buf)) == NULL)
        nomem(e);
    return out;
}
