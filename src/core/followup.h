#ifndef KESU_CORE_FOLLOWUP_H
#define KESU_CORE_FOLLOWUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

/*
 * Resolution, compensation and follow-up rules (DOMAIN §6 steps 4-7, §8).
 * Pure: no I/O, no clock.
 */

/* Value sets, NULL-terminated, in the order the API documents them. */
extern const char *const core_compensation_types[];  /* refund replacement reservice apology fee_waiver cash other */
extern const char *const core_close_responses[];     /* agreed not_reachable */
extern const char *const core_contact_methods[];     /* phone sms visit wechat email letter */
extern const char *const core_followup_outcomes[];   /* reached not_reached refused */
extern const char *const core_satisfactions[];       /* satisfied fair dissatisfied (满意 基本满意 不满意) */
extern const char *const core_reopen_sources[];      /* second_complaint followup customer */

/* True when s is one of the NULL-terminated set. */
bool core_in_set(const char *const *set, const char *s);

#define CORE_FOLLOWUP_DAYS 7            /* a follow-up call is due within a week of closing */
#define CORE_ATTEMPTS_MAX 20            /* contact attempts recorded at most */

/*
 * Does a compensation of `amount_fen` need a manager's approval? Above the
 * threshold (strictly), it does; threshold_fen < 0 means never.
 */
bool core_compensation_needs_approval(int64_t amount_fen, int64_t threshold_fen);

/*
 * Closing (field names as in the API): a result must have been recorded
 * ("result" "required"); response "agreed" needs nothing more;
 * "not_reachable" needs at least one attempt ("attempts" "required").
 */
int core_close_check(const char *result, const char *response, size_t attempts,
                     struct err *e);

/*
 * A follow-up's outcome: "reached" needs a satisfaction ("satisfaction"
 * "required"); "not_reached" needs at least one attempt; a score, when
 * given (score_given), is 1..5 ("score" "out_of_range").
 */
int core_followup_check(const char *outcome, const char *satisfaction, bool score_given,
                        int score, size_t attempts, struct err *e);

/* Does the outcome offer reopening? (reached and dissatisfied) */
bool core_followup_offers_reopen(const char *outcome, const char *satisfaction);

/* One staff member who could make a follow-up call, with their open follow-ups. */
struct followup_candidate {
    const char *login;
    int open;                           /* follow-ups assigned and not done */
};

/*
 * Who calls back: never the person who handled the complaint (`handler`,
 * may be NULL); among the others the one with the fewest open follow-ups,
 * ties broken by login. NULL when nobody is left.
 */
const char *core_followup_assignee(const struct followup_candidate *c, size_t n,
                                   const char *handler);

/*
 * The company's sampling list (DOMAIN §5: at least 20 % of a month's closed
 * complaints get a second follow-up by the service centre). Picks
 * ceil(n * percent / 100) of the n numbers: those whose keyed hash of
 * (month, number) is smallest, so the same month and numbers always give
 * the same pick whatever their order, and a pick stays picked as more
 * complaints of the month close (unless pushed out by a smaller hash).
 * picked[i] is set for numbers[i]; returns how many were picked.
 * percent 0..100 (clamped). A number listed twice is one key; such ties go
 * by the number's text, so the input order never matters. Needs no memory
 * beyond picked[]: about 64 counting passes over the numbers (some 0.15 s
 * for 100 000 numbers).
 */
size_t core_sample_pick(const char *month, const char *const *numbers, size_t n, int percent,
                        bool *picked);

/* The 64-bit hash core_sample_pick ranks by; exposed for tests. */
uint64_t core_sample_key(const char *month, const char *number);

#endif
