#include "core/clock.h"

#include <string.h>

static const char *const kind_names[CK_COUNT] = {
    "accept", "first_response", "urgent_report", "urgent_reply", "centre_report",
    "centre_answer", "resolve", "progress", "followup",
};

static const char *const unit_names[CU_COUNT] = { "hours", "days", "working_days",
                                                  "working_hours" };

static const char *const state_names[] = { "running", "paused", "due_soon", "overdue",
                                           "met", "missed", "cancelled" };

static int
parse_name(const char *const *names, int n, const char *name)
{
    for (int i = 0; name != NULL && i < n; i++)
        if (strcmp(names[i], name) == 0)
            return i;
    return -1;
}

const char *
core_clock_name(enum clock_kind k)
{
    return (unsigned)k < CK_COUNT ? kind_names[k] : NULL;
}

int
core_clock_parse(const char *name)
{
    return parse_name(kind_names, CK_COUNT, name);
}

const char *
core_clock_label(enum clock_kind k, bool zh)
{
    static const char *const labels[CK_COUNT][2] = {
        { "受理", "acceptance" },
        { "首次答复", "first response" },
        { "紧急上报", "urgent report to the leader" },
        { "紧急答复", "urgent reply" },
        { "上报服务中心", "report to the service centre" },
        { "服务中心初步答复", "the centre's initial answer" },
        { "处理完结", "resolution" },
        { "进展通报", "progress report" },
        { "回访", "follow-up call" },
    };

    return (unsigned)k < CK_COUNT ? labels[k][zh ? 0 : 1] : NULL;
}

const char *
core_clock_unit_name(enum clock_unit u)
{
    return (unsigned)u < CU_COUNT ? unit_names[u] : NULL;
}

int
core_clock_unit_parse(const char *name)
{
    return parse_name(unit_names, CU_COUNT, name);
}

const char *
core_clock_state_name(enum clock_state s)
{
    return (unsigned)s <= CS_CANCELLED ? state_names[s] : NULL;
}

int
core_clock_limit_check(const struct clock_limit *l, struct err *e)
{
    if (l->amount < 1 || l->amount > CORE_CLOCK_AMOUNT_MAX)
        return err_set(e, ERR_INVALID, "amount", "out_of_range", "amount is 1 to %d",
                       CORE_CLOCK_AMOUNT_MAX);
    if ((unsigned)l->unit >= CU_COUNT)
        return err_set(e, ERR_INVALID, "unit", "bad_value", "unknown unit");
    if (l->remind_percent < 0 || l->remind_percent > 99)
        return err_set(e, ERR_INVALID, "remind_percent", "out_of_range",
                       "remind_percent is 0 (never) to 99");
    return 0;
}

/* DOMAIN §5's table. */
void
core_clock_default(enum clock_kind k, bool top, struct clock_limit *out)
{
    static const struct clock_limit defaults[CK_COUNT] = {
        [CK_ACCEPT] = { 1, CU_WORKING_DAYS, 80, true },
        [CK_FIRST_RESPONSE] = { 24, CU_HOURS, 80, true },
        [CK_URGENT_REPORT] = { 1, CU_HOURS, 50, true },
        [CK_URGENT_REPLY] = { 2, CU_HOURS, 50, true },
        [CK_CENTRE_REPORT] = { 4, CU_HOURS, 75, true },
        [CK_CENTRE_ANSWER] = { 24, CU_HOURS, 80, true },
        [CK_RESOLVE] = { 2, CU_DAYS, 80, true },
        [CK_PROGRESS] = { 7, CU_DAYS, 80, true },
        [CK_FOLLOWUP] = { 7, CU_DAYS, 80, true },
    };
    *out = defaults[(unsigned)k < CK_COUNT ? k : CK_RESOLVE];
    if (k == CK_RESOLVE && top)
        *out = (struct clock_limit){ 20, CU_WORKING_DAYS, 80, true };
}

int64_t
core_clock_due(const struct calendar *cal, const struct clock_limit *l, int64_t start,
               int64_t ext)
{
    switch (l->unit) {
    case CU_HOURS:
        return start + (int64_t)l->amount * 3600 + ext;
    case CU_DAYS:
        return start + (int64_t)l->amount * 86400 + ext;
    case CU_WORKING_DAYS:
        return cal_add_working_days(cal, start, l->amount + (int)ext);
    case CU_WORKING_HOURS:
        return cal_add_working_minutes(cal, start, (int64_t)l->amount * 60 + ext);
    case CU_COUNT:
        break;
    }
    return start;
}

int64_t
core_clock_pause_ext(const struct calendar *cal, const struct clock_limit *l, int64_t from,
                     int64_t to)
{
    if (to <= from)
        return 0;
    switch (l->unit) {
    case CU_HOURS:
    case CU_DAYS:
        return to - from;
    case CU_WORKING_DAYS:
        return cal_working_days_between(cal, from, to);
    case CU_WORKING_HOURS:
        return cal_working_minutes_between(cal, from, to);
    case CU_COUNT:
        break;
    }
    return 0;
}

int64_t
core_clock_remind_at(int64_t start, int64_t due, int percent)
{
    if (percent <= 0 || due <= start)
        return 0;
    return start + (due - start) * percent / 100;
}

enum clock_state
core_clock_state(const struct clock_rec *c, int64_t now)
{
    if (c->cancelled)
        return CS_CANCELLED;
    if (c->stopped_at != 0)
        return c->stopped_at <= c->due_at ? CS_MET : CS_MISSED;
    /* a paused clock does not run out; one paused after it had is still overdue */
    if (c->paused_at != 0)
        return c->paused_at >= c->due_at ? CS_OVERDUE : CS_PAUSED;
    if (now >= c->due_at)
        return CS_OVERDUE;
    if (c->remind_at != 0 && now >= c->remind_at)
        return CS_DUE_SOON;
    return CS_RUNNING;
}

int64_t
core_clock_next_at(const struct clock_rec *c, bool reminded, bool overdue_marked)
{
    if (c->cancelled || c->stopped_at != 0 || c->paused_at != 0 || overdue_marked)
        return 0;
    if (!reminded && c->remind_at != 0 && c->remind_at < c->due_at)
        return c->remind_at;
    return c->due_at;
}

/* Channels where the customer is not on the line: someone must accept in writing. */
static bool
written_channel(const char *channel)
{
    static const char *const written[] = { "letter", "email", "web", "wechat", "media",
                                           "government", NULL };

    for (size_t i = 0; channel != NULL && written[i] != NULL; i++)
        if (strcmp(channel, written[i]) == 0)
            return true;
    return false;
}

void
core_clock_applies(const struct clock_facts *f, bool out[CK_COUNT])
{
    bool urgent = f->top || f->injury;

    memset(out, 0, CK_COUNT * sizeof(out[0]));
    if (!f->open)
        return;
    out[CK_ACCEPT] = written_channel(f->channel);
    out[CK_FIRST_RESPONSE] = true;
    out[CK_URGENT_REPORT] = urgent;
    out[CK_URGENT_REPLY] = urgent;
    out[CK_CENTRE_REPORT] = f->undetermined;
    out[CK_CENTRE_ANSWER] = f->top;
    out[CK_RESOLVE] = true;
    out[CK_PROGRESS] = f->top;
}

static void
set_roles(const char *roles[CORE_CLOCK_ROLES_MAX + 1], const char *a, const char *b)
{
    roles[0] = a;
    roles[1] = b;
    roles[2] = NULL;
}

void
core_clock_reminded(enum clock_kind k, const char *roles[CORE_CLOCK_ROLES_MAX + 1])
{
    switch (k) {
    case CK_ACCEPT:
        set_roles(roles, "supervisor", NULL);
        break;
    case CK_CENTRE_ANSWER:
        set_roles(roles, "centre", NULL);
        break;
    case CK_FOLLOWUP:
        set_roles(roles, "followup_assignee", NULL);
        break;
    default:
        set_roles(roles, "handler", NULL);
        break;
    }
}

void
core_clock_escalated(enum clock_kind k, int grade_rank, const char *roles[CORE_CLOCK_ROLES_MAX + 1])
{
    if (k == CK_CENTRE_ANSWER || k == CK_FOLLOWUP) {
        set_roles(roles, "centre", NULL);
        return;
    }
    if (grade_rank == 0)
        set_roles(roles, "executive", "centre");
    else if (grade_rank == 1)
        set_roles(roles, "manager", NULL);
    else
        set_roles(roles, "supervisor", NULL);
}
