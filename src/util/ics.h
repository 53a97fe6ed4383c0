#ifndef KESU_UTIL_ICS_H
#define KESU_UTIL_ICS_H

#include <stddef.h>
#include <stdint.h>

#include "util/arena.h"
#include "util/err.h"

/*
 * iCalendar (RFC 5545) files of holidays, as calendar applications and the
 * published Chinese holiday feeds write them, parsed with libical into day
 * ranges. Outside input: every refusal is ERR_INVALID on the field "ics"
 * with a reason, and the parser is fuzzed (fuzz/fuzz_ics.c).
 *
 * What is read: every VEVENT of the VCALENDAR (or of each one, when several
 * are concatenated), an all-day event with DTSTART;VALUE=DATE and DTEND
 * (exclusive, as RFC 5545 says) or DURATION in whole days or weeks, or
 * neither (one day). Cancelled events (STATUS:CANCELLED) are skipped. The
 * kind: an X-KESU-KIND property ("holiday" or "workday", any case) decides;
 * else a SUMMARY containing 班 (上班, 补班) or "workday" (any case) is a
 * make-up working day; else a holiday.
 */

#define ICS_TEXT_MAX 262144     /* bytes of text accepted */
#define ICS_EVENTS_MAX 1000     /* events in one file */
#define ICS_RANGE_MAX 366       /* days of one event */
#define ICS_NAME_MAX 50         /* characters of a SUMMARY kept (it is cut, not refused) */
#define ICS_DEPTH_MAX 8         /* components inside components (VCALENDAR > VEVENT > VALARM) */

enum ics_kind { ICS_HOLIDAY = 1, ICS_WORKDAY = 2 };

struct ics_event {
    int64_t first, last;        /* days since 1970-01-01, inclusive; last >= first */
    enum ics_kind kind;
    const char *name;           /* the SUMMARY, control characters as spaces, trimmed; "" none */
};

/*
 * Parse `len` bytes of iCalendar text (NUL bytes refused, no NUL needed at
 * the end) into events in file order, from the arena. Refusals (field
 * "ics"): "empty"; "too_long" (over ICS_TEXT_MAX); "bad_character" (NUL);
 * "bad_utf8"; "not_vcalendar" (the first line is not BEGIN:VCALENDAR);
 * "bad_format" (a line that is not NAME:value or has a bare CR, END before
 * BEGIN, BEGIN or END with parameters or without a name); "too_many" (more
 * than ICS_EVENTS_MAX events, or components nested deeper than
 * ICS_DEPTH_MAX); "no_events" (none, or all cancelled); and per event:
 * "bad_format" (libical could not read one of its properties), "missing_date"
 * (no DTSTART), "bad_date" (20260230), "not_all_day" (a date-time, not
 * a date), "recurring" (RRULE or RDATE: holidays move each year),
 * "bad_range" (DTEND not after DTSTART, a DTEND that is not a date, or a
 * DURATION not in whole days), "range_too_long" (over ICS_RANGE_MAX days),
 * "out_of_range" (a year before 1970 or after 9999), "bad_kind" (an
 * X-KESU-KIND other than holiday or workday). e->detail names the event
 * (its number, from 1) for the log. ERR_NOMEM / ERR_TOO_LARGE when memory
 * or the arena runs out. *out and *n are written only on success.
 *
 * libical sees only the lines kesu reads (BEGIN, END, DTSTART, DTEND,
 * DURATION, SUMMARY, STATUS, RRULE, RDATE, X-KESU-KIND), after the checks
 * above, so the other properties of a file cannot trip it, and what libical
 * would report on stderr (END before BEGIN) is refused first. Its global
 * settings are left alone; its error number (icalerrno, per thread) is
 * cleared before and after, and its per-thread scratch buffers are freed
 * before returning.
 */
int ics_parse(const char *text, size_t len, struct arena *a, struct ics_event **out, size_t *n,
              struct err *e);

#endif
