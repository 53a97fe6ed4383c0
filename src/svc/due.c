/*
 * The scheduler's due points (DOMAIN §5): reminders before a clock runs
 * out, the overdue mark when it has (the next level up is told, the rules
 * look again), the age-based grading and escalation rules on the days they
 * can change, supervision notices nobody acknowledged, and the clocks of
 * complaints older than the clocks themselves.
 *
 * Exactly once: each step changes its row only while the row still says it
 * is due (clock_update expects the next_at it read; notice_escalated needs
 * the notice open), and the event and the messages come after that change
 * in the same transaction. A second run, or a second scheduler, finds
 * nothing due; a scheduler that was down finds everything due at once and
 * does each once: a reminder whose clock ran out meanwhile is folded into
 * the overdue mark.
 */
#include "svc/svc.h"
#include "core/account.h"
#include "core/escalation.h"
#include "notify/notify.h"
#include "util/ts.h"

#include <string.h>

static int
nomem(struct err *e)
{
    return err_set(e, ERR_NOMEM, NULL, "nomem", "out of memory");
}

static const char *
when(const struct svc_ctx *x, int64_t t)
{
    struct ts_civil c;

    ts_to_civil(t, x->tz_min, &c);
    return arena_printf(x->a, "%04d-%02d-%02d %02d:%02d", c.year, c.month, c.day, c.hour,
                        c.minute);
}

static int
tell_roles(struct store *st, const struct svc_ctx *x, const struct complaint *c,
           const char *const *roles, const char *kind, const char *zh, const char *en,
           const char *dedup, struct err *e)
{
    for (size_t i = 0; roles[i] != NULL; i++)
        if (svc_tell_role(st, x, c, roles[i], kind, zh, en, dedup, e) < 0)
            return -1;
    return 0;
}

static int
remind(struct store *st, const struct svc_ctx *x, struct complaint *c, struct clock_row *r,
       enum clock_kind kind, struct svc_tick *out, struct err *e)
{
    struct clock_row before = *r;
    const char *roles[CORE_CLOCK_ROLES_MAX + 1];
    const char *due = when(x, r->due_at), *zh, *en, *dedup;
    char iso[TS_FORMAT_MAX];
    bool updated;

    r->reminded_at = x->now;
    r->next_at = r->due_at;
    if (st->ops->clock_update(st, r, before.next_at, before.stopped_at, &updated, e) < 0)
        return -1;
    if (!updated)
        return 0;
    zh = arena_printf(x->a, "投诉 %s 的「%s」将于 %s 到期", c->number,
                      core_clock_label(kind, true), due);
    en = arena_printf(x->a, "Complaint %s: %s due at %s", c->number,
                      core_clock_label(kind, false), due);
    dedup = arena_printf(x->a, "reminder:%lld", (long long)r->id);
    if (due == NULL || zh == NULL || en == NULL || dedup == NULL)
        return nomem(e);
    ts_format(r->due_at, x->tz_min, iso);
    core_clock_reminded(kind, roles);
    if (svc_event(st, x, c, "reminder", "internal", zh,
                  json_pack("{s:s, s:i, s:s}", "clock", r->kind, "cycle", r->cycle, "due_at",
                            iso),
                  e) < 0 ||
        tell_roles(st, x, c, roles, "reminder", zh, en, dedup, e) < 0)
        return -1;
    out->reminders++;
    return 0;
}

static int
mark_overdue(struct store *st, const struct svc_ctx *x, struct complaint *c,
             struct clock_row *r, enum clock_kind kind, struct svc_tick *out, bool *updated,
             struct err *e)
{
    struct clock_row before = *r;
    const char *roles[CORE_CLOCK_ROLES_MAX + 1], *up[CORE_CLOCK_ROLES_MAX + 1];
    const struct grade_preset *preset;
    struct svc_rules rs;
    const char *due = when(x, r->due_at), *zh, *en, *dedup, *payload;
    char iso[TS_FORMAT_MAX];
    int rank;

    r->overdue_at = x->now;
    r->next_at = 0;
    if (st->ops->clock_update(st, r, before.next_at, before.stopped_at, updated, e) < 0)
        return -1;
    if (!*updated)
        return 0;
    if (svc_rules_load(st, x, &rs, e) < 0)
        return -1;
    preset = rs.preset;
    rank = c->grade != NULL ? core_grade_rank(preset, c->grade) : -1;
    zh = arena_printf(x->a, "投诉 %s 的「%s」已超时（截止 %s）", c->number,
                      core_clock_label(kind, true), due);
    en = arena_printf(x->a, "Complaint %s: %s overdue (due %s)", c->number,
                      core_clock_label(kind, false), due);
    dedup = arena_printf(x->a, "overdue:%lld", (long long)r->id);
    ts_format(r->due_at, x->tz_min, iso);
    payload = arena_printf(x->a, "{\"number\":\"%s\",\"clock\":\"%s\",\"cycle\":%d,"
                                 "\"due_at\":\"%s\",\"grade\":%s%s%s}",
                           c->number, r->kind, r->cycle, iso, c->grade ? "\"" : "",
                           c->grade ? c->grade : "null", c->grade ? "\"" : "");
    if (due == NULL || zh == NULL || en == NULL || dedup == NULL || payload == NULL)
        return nomem(e);
    core_clock_reminded(kind, roles);
    core_clock_escalated(kind, rank < 0 ? 9 : rank, up);
    if (svc_event(st, x, c, "overdue", "internal", zh,
                  json_pack("{s:s, s:i, s:s, s:[s, s*]}", "clock", r->kind, "cycle", r->cycle,
                            "due_at", iso, "notified", up[0], up[1]),
                  e) < 0 ||
        tell_roles(st, x, c, roles, "overdue", zh, en, dedup, e) < 0 ||
        tell_roles(st, x, c, up, "overdue", zh, en, dedup, e) < 0 ||
        notify_event(st, "complaint.overdue", payload, dedup, x->now, e) < 0)
        return -1;
    out->overdue++;
    return 0;
}

/* After a clock ran out or a day passed: the rules look again. */
static int
look_again(struct store *st, const struct svc_ctx *x, struct complaint *c, struct err *e)
{
    const char *grade = c->grade;

    if (svc_regrade(st, x, c, false, e) < 0 || svc_escalate(st, x, c, e) < 0)
        return -1;
    /* a new grade re-timed the clocks already; the age point moves on in any case */
    if (grade == c->grade && svc_clocks_sync(st, x, c, e) < 0)
        return -1;
    return 0;
}

static int
due_clock(struct store *st, const struct svc_ctx *x, struct clock_row *r, struct svc_tick *out,
          struct err *e)
{
    struct complaint *c;
    struct clock_row before = *r;
    int kind = core_clock_parse(r->kind);
    bool updated;

    if (kind < 0 || st->ops->complaint_get_by_id(st, r->complaint_id, x->a, &c, e) < 0)
        return -1;
    if (x->now >= r->due_at && r->overdue_at == 0) {
        if (mark_overdue(st, x, c, r, (enum clock_kind)kind, out, &updated, e) < 0)
            return -1;
        /* not updated: changed since it was read (re-timed by a new grade); its new next_at says */
        return updated ? look_again(st, x, c, e) : 0;
    }
    if (r->reminded_at == 0 && r->remind_at != 0 && x->now >= r->remind_at)
        return remind(st, x, c, r, (enum clock_kind)kind, out, e);
    /* nothing due after all (re-timed meanwhile): look again at the right time */
    r->next_at = r->overdue_at != 0 ? 0 : r->due_at;
    return st->ops->clock_update(st, r, before.next_at, before.stopped_at, &updated, e);
}

static int
due_age(struct store *st, const struct svc_ctx *x, int64_t id, struct svc_tick *out,
        struct err *e)
{
    struct complaint *c;
    const char *grade;

    if (st->ops->complaint_get_by_id(st, id, x->a, &c, e) < 0)
        return -1;
    grade = c->grade;
    if (look_again(st, x, c, e) < 0)
        return -1;
    if (grade != c->grade)
        out->regraded++;
    return 0;
}

static int
due_notice(struct store *st, const struct svc_ctx *x, const struct notice *n,
           struct svc_tick *out, struct err *e)
{
    const char *next = core_escalation_next_role(n->to_role), *zh, *en, *dedup;
    struct complaint *c;
    bool updated;
    int64_t id = 0;

    if (st->ops->notice_escalated(st, n->id, x->now, &updated, e) < 0)
        return -1;
    if (!updated)
        return 0;
    if (st->ops->complaint_get_by_id(st, n->complaint_id, x->a, &c, e) < 0)
        return -1;
    if (next != NULL) {
        struct notice_new in = {
            .complaint_id = n->complaint_id,
            .source = n->source,
            .level = n->level + 1,
            .to_role = next,
            .project = core_role_is_company(next) ? NULL : c->project_code,
            .text = n->text,
            .issued_at = x->now,
            .ack_due_at = x->now + (n->ack_due_at - n->issued_at),
        };
        if (st->ops->notice_add(st, &in, &id, e) < 0)
            return -1;
    }
    zh = arena_printf(x->a, "督办未确认：投诉 %s（%s），已上报%s", c->number, n->text,
                      next ? next : "（已至最高层级）");
    en = arena_printf(x->a, "Supervision notice not acknowledged: complaint %s, raised to %s",
                      c->number, next ? next : "(top level reached)");
    dedup = arena_printf(x->a, "notice:%lld", (long long)id);
    if (zh == NULL || en == NULL || dedup == NULL)
        return nomem(e);
    if (svc_event(st, x, c, "notice_overdue", "internal", zh,
                  json_pack("{s:I, s:s, s:i, s:o, s:I}", "notice", (json_int_t)n->id, "to_role",
                            n->to_role, "level", n->level, "raised_to",
                            next ? json_string(next) : json_null(), "new_notice",
                            (json_int_t)id),
                  e) < 0)
        return -1;
    if (id != 0 && svc_tell_role(st, x, c, next, "notice", zh, en, dedup, e) < 0)
        return -1;
    out->notices++;
    return 0;
}

/*
 * A complaint older than the clocks gets them for the record, without
 * alarms: those already run out are marked overdue quietly, and no age
 * point is set (its rules run again when something next happens to it).
 * Else an upgrade of a database of old open complaints would tell every
 * supervisor of every one of them at once.
 */
static int
backfill_quietly(struct store *st, const struct svc_ctx *x, const struct complaint *c,
                 struct err *e)
{
    struct clock_row *rows;
    size_t n;
    bool updated;

    if (svc_clocks_sync(st, x, c, e) < 0 ||
        st->ops->clock_list(st, c->id, x->a, &rows, &n, e) < 0)
        return -1;
    for (size_t i = 0; i < n; i++) {
        struct clock_row before = rows[i];
        if (rows[i].stopped_at != 0 || rows[i].cancelled || rows[i].due_at > x->now ||
            rows[i].overdue_at != 0)
            continue;
        rows[i].overdue_at = x->now;
        rows[i].next_at = 0;
        if (st->ops->clock_update(st, &rows[i], before.next_at, before.stopped_at, &updated,
                                  e) < 0)
            return -1;
    }
    return st->ops->age_point_set(st, c->id, 0, e);
}

static int
backfill(struct store *st, const struct svc_ctx *x, int limit, struct svc_tick *out,
         bool *more, struct err *e)
{
    int64_t *ids;
    size_t n;

    if (st->ops->backfill_next(st, limit, x->a, &ids, &n, e) < 0)
        return -1;
    for (size_t i = 0; i < n; i++) {
        struct complaint *c;
        if (st->ops->complaint_get_by_id(st, ids[i], x->a, &c, e) < 0 ||
            backfill_quietly(st, x, c, e) < 0)
            return -1;
        out->backfilled++;
    }
    if (n == (size_t)limit)
        *more = true;
    return n > 0 ? st->ops->lease_backfilled(st, "deadlines", ids[n - 1], e) : 0;
}

int
svc_due_run(struct store *st, const struct svc_ctx *x, int limit, struct svc_tick *out,
            bool *more, struct err *e)
{
    struct clock_row *clocks;
    struct notice *notices;
    int64_t *ids;
    size_t n;

    *more = false;
    if (st->ops->clock_due(st, x->now, limit, x->a, &clocks, &n, e) < 0)
        return -1;
    for (size_t i = 0; i < n; i++)
        if (due_clock(st, x, &clocks[i], out, e) < 0)
            return -1;
    *more = *more || n == (size_t)limit;
    if (st->ops->age_due(st, x->now, limit, x->a, &ids, &n, e) < 0)
        return -1;
    for (size_t i = 0; i < n; i++)
        if (due_age(st, x, ids[i], out, e) < 0)
            return -1;
    *more = *more || n == (size_t)limit;
    if (st->ops->notice_due(st, x->now, limit, x->a, &notices, &n, e) < 0)
        return -1;
    for (size_t i = 0; i < n; i++)
        if (due_notice(st, x, &notices[i], out, e) < 0)
            return -1;
    *more = *more || n == (size_t)limit;
    return backfill(st, x, limit, out, more, e);
}
