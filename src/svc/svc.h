#ifndef KESU_SVC_SVC_H
#define KESU_SVC_SVC_H

/*
 * Services: the steps shared by the HTTP layer and the scheduler, each run
 * inside a write transaction (a writer job) on the write connection: the
 * grading rules applied to a complaint, its clocks kept in step with its
 * state, escalation, and the events and notifications they make. Core
 * decides; these load what core needs, store what it decided and say so in
 * the timeline. Callers pass who acts (NULL: kesu itself) and `now`.
 */
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/clock.h"
#include "core/grading.h"
#include "store/store.h"
#include "util/arena.h"
#include "util/err.h"

struct svc_ctx {
    struct arena *a;
    int64_t now;
    const char *actor;          /* staff login; NULL: kesu (the scheduler) */
    int tz_min;
};

/* An event on c by ctx->actor at ctx->now; data (stolen) may be NULL. */
int svc_event(struct store *st, const struct svc_ctx *x, const struct complaint *c,
              const char *type, const char *visibility, const char *text, json_t *data,
              struct err *e);

/* ---- grading (grade.c) ---- */
struct svc_rules {
    const struct grade_preset *preset;
    struct grade_rule *rule;
    struct grade_rule_row *row;
    size_t n;
};
int svc_rules_load(struct store *st, const struct svc_ctx *x, struct svc_rules *out,
                   struct err *e);
/* One past the highest number of similar complainants a rule asks about. */
int svc_similar_cap(const struct svc_rules *rs);
/* Distinct complainants of complaints similar to c (ids too when non-NULL). */
int svc_similar_of(struct store *st, const struct svc_ctx *x, const struct complaint *c, int cap,
                   int64_t **ids, size_t *n, int *distinct, struct err *e);
/* The facts of c that need no store (handling facts are 0). */
void svc_facts(const struct complaint *c, int64_t now, int similar, struct grade_facts *f);
/* The handling facts: overdue clocks, compensation undecided, top grade. */
int svc_facts_handling(struct store *st, const struct svc_ctx *x, const struct complaint *c,
                       const struct grade_preset *preset, struct grade_facts *f,
                       struct err *e);
/* Re-run the grading rules on c (raising only); propagate: its similar complaints too. */
int svc_regrade(struct store *st, const struct svc_ctx *x, struct complaint *c, bool propagate,
                struct err *e);

/* ---- clocks (clocks.c) ---- */
/*
 * Bring c's clocks in step with c as stored: start those whose duty arose
 * (registration starts them at received_at), stop those whose duty is done
 * (accepted, resolved, nature settled), cancel those that no longer apply
 * (grade lowered), re-time running ones whose limit changed with the grade,
 * start the follow-up clock on closing and the resolve clock again on
 * reopening; then set the complaint's next age point.
 */
int svc_clocks_sync(struct store *st, const struct svc_ctx *x, const struct complaint *c,
                    struct err *e);
/* An event that meets clocks: "reply" (first response, urgent reply, centre answer, progress), "report". */
int svc_clocks_on_event(struct store *st, const struct svc_ctx *x, const struct complaint *c,
                        const char *type, struct err *e);
/*
 * The follow-up call of clock cycle `cycle` was made: that clock is met (or
 * missed). Clock cycles count from 1 (the complaint's reopenings + 1); a
 * follow-up's own cycle counts from 0.
 */
int svc_clocks_followup_done(struct store *st, const struct svc_ctx *x, int64_t complaint_id,
                             int cycle, struct err *e);
/*
 * Pause (pause true) or resume the running clock `kind` of c, with a reason
 * and an event. Not running: ERR_CONFLICT ("clock", "not_running"); already
 * paused / not paused: ERR_CONFLICT ("clock", "paused" / "not_paused").
 */
int svc_clock_pause(struct store *st, const struct svc_ctx *x, const struct complaint *c,
                    enum clock_kind kind, bool pause, const char *reason, struct err *e);
/* Clocks as JSON (an array, [] when out of memory), with their states at `now`. */
json_t *svc_clocks_render(const struct clock_row *rows, size_t n, int64_t now, int tz_min);
/* When c's customer is next owed an answer (the earliest running answer clock's due time); 0: none. */
int svc_next_answer_at(struct store *st, const struct svc_ctx *x, const struct complaint *c,
                       int64_t *at, struct err *e);
/* The promised time of c's next answer to the customer, formatted, or NULL. */
const char *svc_promised(struct store *st, const struct svc_ctx *x, const struct complaint *c,
                         struct err *e);

/* ---- escalation (escalate.c) ---- */
/* Apply the escalation rules that hold for c and have not escalated it yet. */
int svc_escalate(struct store *st, const struct svc_ctx *x, struct complaint *c, struct err *e);
/*
 * Tell the staff holding `role` for c (its handler for "handler" and the
 * follow-up caller for "followup_assignee"; the supervisors when there is
 * none) a message of `kind`; dedup makes it once per recipient.
 */
int svc_tell_role(struct store *st, const struct svc_ctx *x, const struct complaint *c,
                  const char *role, const char *kind, const char *title_zh,
                  const char *title_en, const char *dedup, struct err *e);

/* ---- the scheduler's due points (due.c) ---- */
struct svc_tick {
    int reminders, overdue, regraded, notices, backfilled;
};
/*
 * Handle at most `limit` due points of each queue at `now`: reminders and
 * overdue clocks, age points, unacknowledged notices, complaints to
 * backfill. Idempotent: every step is conditional on the row still being
 * due, so running it twice does nothing twice. *more when a queue was full.
 */
int svc_due_run(struct store *st, const struct svc_ctx *x, int limit, struct svc_tick *out,
                bool *more, struct err *e);

#endif
