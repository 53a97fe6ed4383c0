#ifndef KESU_CORE_WORKFLOW_H
#define KESU_CORE_WORKFLOW_H

#include <stdbool.h>
#include <stddef.h>

#include "util/err.h"

/*
 * The life of a complaint (DOMAIN §6): which action may be taken in which
 * status, and the status it leads to. One table, pure: no I/O. Who may take
 * an action is the permission matrix's (core/perm.h); this says only when.
 *
 *   received --accept--> registered --assign--> in_progress --resolve--> resolved
 *   resolved --close--> closed --follow_up--> followed_up --archive--> archived
 *   resolved --dispute--> in_progress        (the customer does not agree)
 *   in_progress --return--> registered       (退单: back to the dispatcher)
 *   resolved, closed, followed_up --reopen--> in_progress   (二次投诉)
 *   received, registered, in_progress --invalidate--> invalid --archive--> archived
 *
 * The other actions keep the status and are allowed only in some of them
 * (triage until the complaint is closed, notes in every status but archived).
 */

enum wf_status {
    WF_RECEIVED, WF_REGISTERED, WF_IN_PROGRESS, WF_RESOLVED, WF_CLOSED,
    WF_FOLLOWED_UP, WF_ARCHIVED, WF_INVALID,
    WF_STATUS_COUNT
};

enum wf_action {
    WF_ACCEPT,       /* received -> registered */
    WF_ASSIGN,       /* registered -> in_progress (dispatch); in_progress stays (reassign 改派) */
    WF_RETURN,       /* in_progress -> registered (退单) */
    WF_INVALIDATE,   /* received, registered, in_progress -> invalid */
    WF_RESOLVE,      /* in_progress -> resolved */
    WF_CLOSE,        /* resolved -> closed: the customer agreed, or cannot be reached */
    WF_DISPUTE,      /* resolved -> in_progress: the customer does not agree */
    WF_FOLLOW_UP,    /* closed -> followed_up */
    WF_REOPEN,       /* resolved, closed, followed_up -> in_progress */
    WF_ARCHIVE,      /* followed_up, invalid -> archived */
    /* actions that keep the status */
    WF_TRIAGE,       /* kind, nature, category, grade, project, department: received..resolved */
    WF_FACTS,        /* headcount, flags, loss, times raised, complainants: all but archived, invalid */
    WF_NEGOTIATE,    /* solutions, compensation proposals, agreement: in_progress */
    WF_APPROVE,      /* a manager decides on a compensation: in_progress, resolved */
    WF_NOTE,         /* notes, replies, attachments: all but archived */
    WF_CASE,         /* mark as a case: resolved, closed, followed_up, archived */
    WF_ACTION_COUNT
};

/* "received", ...; NULL for an out-of-range value. */
const char *core_wf_status_name(enum wf_status s);
/* -1 when not a status */
int core_wf_status_parse(const char *name);
/* "accept", "assign", ...: the names the API uses */
const char *core_wf_action_name(enum wf_action a);
int core_wf_action_parse(const char *name);

/*
 * May `a` be taken in `status`? On success *next is the status afterwards
 * (the same one for the actions that keep it). Otherwise ERR_CONFLICT, field
 * "status", reason "not_allowed", with a message naming the action and the
 * status ("cannot resolve a complaint that is registered"). An unknown
 * status is ERR_INVALID.
 */
int core_wf_next(const char *status, enum wf_action a, const char **next, struct err *e);

/* The same as a predicate. */
bool core_wf_allowed(enum wf_status s, enum wf_action a);

/*
 * The actions allowed in `status`, in enum order, into out[] (at most max);
 * returns how many. For the API's "actions" member: what a user may do next.
 */
size_t core_wf_actions(const char *status, enum wf_action *out, size_t max);

/* Open: not yet resolved (received, registered, in_progress). Age-based grading counts these. */
bool core_wf_is_open(const char *status);

#endif
