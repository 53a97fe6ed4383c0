#ifndef KESU_CORE_CLOCK_H
#define KESU_CORE_CLOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/calendar.h"
#include "util/err.h"

/*
 * The clocks of a complaint (DOMAIN §5 "time limits"): each measures one
 * duty against a limit that depends on the grade, in wall hours or days or
 * in working days or hours of the calendar. Pure: the caller passes `now`
 * and the calendar.
 *
 * A clock starts when its duty arises, runs to its due time, can be paused
 * while the company waits for the customer (the pause is added back on
 * resuming) and stops when the duty is done: met when on time, missed when
 * late. A clock whose duty no longer applies (the grade was lowered, the
 * complaint declared invalid) is cancelled.
 */

enum clock_kind {
    CK_ACCEPT,          /* accept a complaint that came in writing: 1 working day */
    CK_FIRST_RESPONSE,  /* first answer to the customer: 24 hours */
    CK_URGENT_REPORT,   /* urgent: report to the responsible leader: 1 hour */
    CK_URGENT_REPLY,    /* urgent: reply to the customer: 2 hours */
    CK_CENTRE_REPORT,   /* nature unclear: report to the service centre: 4 hours */
    CK_CENTRE_ANSWER,   /* major: the centre's initial answer to the customer: 24 hours */
    CK_RESOLVE,         /* resolve and close: 2 days; the top grade 20 working days */
    CK_PROGRESS,        /* major: a progress report at least weekly (repeats) */
    CK_FOLLOWUP,        /* the follow-up call after closing: 7 days */
    CK_COUNT
};

enum clock_unit { CU_HOURS, CU_DAYS, CU_WORKING_DAYS, CU_WORKING_HOURS, CU_COUNT };

enum clock_state { CS_RUNNING, CS_PAUSED, CS_DUE_SOON, CS_OVERDUE, CS_MET, CS_MISSED,
                   CS_CANCELLED };

/* "accept", "first_response", ...; NULL outside the enum */
const char *core_clock_name(enum clock_kind k);
/* -1 when unknown */
int core_clock_parse(const char *name);
/* For people: "首次答复" / "first response". */
const char *core_clock_label(enum clock_kind k, bool zh);
const char *core_clock_unit_name(enum clock_unit u);   /* "hours" "days" "working_days" "working_hours" */
int core_clock_unit_parse(const char *name);
const char *core_clock_state_name(enum clock_state s); /* "running" "paused" "due_soon" ... */

#define CORE_CLOCK_AMOUNT_MAX 1000       /* of any unit */

/* A limit of the time-limit policy. */
struct clock_limit {
    int amount;                 /* 1..CORE_CLOCK_AMOUNT_MAX */
    enum clock_unit unit;
    int remind_percent;         /* remind when this share of the time is used; 0: never, 1..99 */
    bool enabled;
};

/* amount 1..max, remind 0..99 (ERR_INVALID "amount" / "remind_percent", "out_of_range"). */
int core_clock_limit_check(const struct clock_limit *l, struct err *e);

/* The shipped defaults of DOMAIN §5; `top`: for the highest grade of the preset. */
void core_clock_default(enum clock_kind k, bool top, struct clock_limit *out);

/*
 * The due time of a clock started at `start`, extended by `ext` (what its
 * pauses added: seconds for hours and days, working days for working days,
 * working minutes for working hours).
 */
int64_t core_clock_due(const struct calendar *cal, const struct clock_limit *l, int64_t start,
                       int64_t ext);
/*
 * What a pause from `from` to `to` adds, in the unit's measure (see ext
 * above): the whole pause for wall clocks; the working days after the day
 * the pause began, up to the day it ended, for working days (a pause within
 * one day adds nothing); the working minutes inside it for working hours.
 */
int64_t core_clock_pause_ext(const struct calendar *cal, const struct clock_limit *l,
                             int64_t from, int64_t to);
/* When to remind: `percent` of the way from start to due; 0 when percent is 0. */
int64_t core_clock_remind_at(int64_t start, int64_t due, int percent);

/* A clock as recorded. */
struct clock_rec {
    enum clock_kind kind;
    int cycle;                  /* progress reports repeat; reopening starts a new cycle */
    int64_t started_at, due_at;
    int64_t remind_at;          /* 0: no reminder */
    int64_t paused_at;          /* 0: not paused */
    int64_t stopped_at;         /* 0: still running or paused */
    bool cancelled;             /* stopped because it no longer applies */
};

/* The state shown at `now`. */
enum clock_state core_clock_state(const struct clock_rec *c, int64_t now);

/*
 * When the scheduler must look at the clock next (0: never): the reminder
 * while it is not sent and not overdue, the due time while it is not
 * marked overdue, nothing when paused or stopped.
 */
int64_t core_clock_next_at(const struct clock_rec *c, bool reminded, bool overdue_marked);

/*
 * Which clocks a complaint has: from its channel, whether it is urgent
 * (top grade, or someone was hurt), major (top grade), whether its handler
 * has it with the nature still undetermined (then the service centre must
 * be told within 4 hours), and open. `out[k]` is set for each clock that applies now
 * (CK_FOLLOWUP never: it starts when the complaint is closed).
 */
struct clock_facts {
    const char *channel;
    bool top, injury, open;
    bool undetermined;          /* nature undetermined while a handler has it (in progress) */
};
void core_clock_applies(const struct clock_facts *f, bool out[CK_COUNT]);

/*
 * Who must act on a clock, as roles of the complaint's project (DOMAIN §5
 * "who must act"): reminded before it runs out. And when it has run out,
 * the next level up by grade rank (0 the highest): the general manager and
 * the service centre for the top grade, the service-centre manager for the
 * second, the customer-service supervisor below. `roles` gets at most
 * CORE_CLOCK_ROLES_MAX names, NULL-terminated; "handler" means the
 * complaint's handler (or, while none is assigned, the supervisors).
 */
#define CORE_CLOCK_ROLES_MAX 4
void core_clock_reminded(enum clock_kind k, const char *roles[CORE_CLOCK_ROLES_MAX + 1]);
void core_clock_escalated(enum clock_kind k, int grade_rank,
                          const char *roles[CORE_CLOCK_ROLES_MAX + 1]);

#endif
