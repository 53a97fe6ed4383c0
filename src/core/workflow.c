/*
 * The life of a complaint (DOMAIN §6) as one table: for each action and
 * each status, the status the action leads to, or NO when the action is
 * not allowed there. Everything else in this file only reads the table.
 */
#include "core/workflow.h"

#include <string.h>

static const char *const status_names[WF_STATUS_COUNT] = {
    [WF_RECEIVED] = "received",
    [WF_REGISTERED] = "registered",
    [WF_IN_PROGRESS] = "in_progress",
    [WF_RESOLVED] = "resolved",
    [WF_CLOSED] = "closed",
    [WF_FOLLOWED_UP] = "followed_up",
    [WF_ARCHIVED] = "archived",
    [WF_INVALID] = "invalid",
};

static const char *const action_names[WF_ACTION_COUNT] = {
    [WF_ACCEPT] = "accept",
    [WF_ASSIGN] = "assign",
    [WF_RETURN] = "return",
    [WF_INVALIDATE] = "invalidate",
    [WF_RESOLVE] = "resolve",
    [WF_CLOSE] = "close",
    [WF_DISPUTE] = "dispute",
    [WF_FOLLOW_UP] = "follow_up",
    [WF_REOPEN] = "reopen",
    [WF_ARCHIVE] = "archive",
    [WF_TRIAGE] = "triage",
    [WF_FACTS] = "facts",
    [WF_NEGOTIATE] = "negotiate",
    [WF_APPROVE] = "approve",
    [WF_NOTE] = "note",
    [WF_CASE] = "case",
};

/* Short names so that the table below reads as a grid. */
enum {
    RCV = WF_RECEIVED,
    REG = WF_REGISTERED,
    INP = WF_IN_PROGRESS,
    RES = WF_RESOLVED,
    CLO = WF_CLOSED,
    FUP = WF_FOLLOWED_UP,
    ARC = WF_ARCHIVED,
    INV = WF_INVALID,
    NO = -1,                            /* not allowed */
};

/*
 * Rows are actions, columns statuses; a cell is the status after the
 * action. Choices worth knowing:
 *   - a resolved complaint is not closed yet: the customer may still
 *     dispute it, and triage, facts and approvals may still change;
 *   - an invalid complaint keeps its notes open (why it was invalid) but
 *     takes no facts; only archiving moves it on;
 *   - an archived complaint is read-only except that it may be marked as
 *     a case for training (案例).
 */
static const signed char next_status[WF_ACTION_COUNT][WF_STATUS_COUNT] = {
    /*                 received registered in_progress resolved closed followed_up archived invalid */
    [WF_ACCEPT] =     { REG,     NO,        NO,         NO,      NO,    NO,         NO,      NO },
    [WF_ASSIGN] =     { NO,      INP,       INP,        NO,      NO,    NO,         NO,      NO },
    [WF_RETURN] =     { NO,      NO,        REG,        NO,      NO,    NO,         NO,      NO },
    [WF_INVALIDATE] = { INV,     INV,       INV,        NO,      NO,    NO,         NO,      NO },
    [WF_RESOLVE] =    { NO,      NO,        RES,        NO,      NO,    NO,         NO,      NO },
    [WF_CLOSE] =      { NO,      NO,        NO,         CLO,     NO,    NO,         NO,      NO },
    [WF_DISPUTE] =    { NO,      NO,        NO,         INP,     NO,    NO,         NO,      NO },
    [WF_FOLLOW_UP] =  { NO,      NO,        NO,         NO,      FUP,   NO,         NO,      NO },
    [WF_REOPEN] =     { NO,      NO,        NO,         INP,     INP,   INP,        NO,      NO },
    [WF_ARCHIVE] =    { NO,      NO,        NO,         NO,      NO,    ARC,        NO,      ARC },
    [WF_TRIAGE] =     { RCV,     REG,       INP,        RES,     NO,    NO,         NO,      NO },
    [WF_FACTS] =      { RCV,     REG,       INP,        RES,     CLO,   FUP,        NO,      NO },
    [WF_NEGOTIATE] =  { NO,      NO,        INP,        NO,      NO,    NO,         NO,      NO },
    [WF_APPROVE] =    { NO,      NO,        INP,        RES,     NO,    NO,         NO,      NO },
    [WF_NOTE] =       { RCV,     REG,       INP,        RES,     CLO,   FUP,        NO,      INV },
    [WF_CASE] =       { NO,      NO,        NO,         RES,     CLO,   FUP,        ARC,     NO },
};

const char *
core_wf_status_name(enum wf_status s)
{
    return (unsigned)s < WF_STATUS_COUNT ? status_names[s] : NULL;
}

int
core_wf_status_parse(const char *name)
{
    for (int s = 0; name != NULL && s < WF_STATUS_COUNT; s++)
        if (strcmp(name, status_names[s]) == 0)
            return s;
    return -1;
}

const char *
core_wf_action_name(enum wf_action a)
{
    return (unsigned)a < WF_ACTION_COUNT ? action_names[a] : NULL;
}

int
core_wf_action_parse(const char *name)
{
    for (int a = 0; name != NULL && a < WF_ACTION_COUNT; a++)
        if (strcmp(name, action_names[a]) == 0)
            return a;
    return -1;
}

bool
core_wf_allowed(enum wf_status s, enum wf_action a)
{
    if ((unsigned)s >= WF_STATUS_COUNT || (unsigned)a >= WF_ACTION_COUNT)
        return false;
    return next_status[a][s] != NO;
}

int
core_wf_next(const char *status, enum wf_action a, const char **next, struct err *e)
{
    int s = core_wf_status_parse(status);

    if (s < 0)
        return err_set(e, ERR_INVALID, "status", "unknown", "unknown status");
    if (!core_wf_allowed((enum wf_status)s, a))
        return err_set(e, ERR_CONFLICT, "status", "not_allowed",
                       "cannot %s a complaint that is %s",
                       (unsigned)a < WF_ACTION_COUNT ? action_names[a] : "?", status_names[s]);
    *next = status_names[next_status[a][s]];
    return 0;
}

size_t
core_wf_actions(const char *status, enum wf_action *out, size_t max)
{
    int s = core_wf_status_parse(status);
    size_t n = 0;

    if (s < 0)
        return 0;
    for (int a = 0; a < WF_ACTION_COUNT && n < max; a++)
        if (next_status[a][s] != NO)
            out[n++] = (enum wf_action)a;
    return n;
}

bool
core_wf_is_open(const char *status)
{
    int s = core_wf_status_parse(status);

    return s == WF_RECEIVED || s == WF_REGISTERED || s == WF_IN_PROGRESS;
}
