#ifndef KESU_UTIL_TS_H
#define KESU_UTIL_TS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

/*
 * Time. A point in time is int64 seconds since the Unix epoch (UTC). The
 * deployment's zone is a fixed offset in minutes east of UTC (China: +480; it
 * has no daylight saving). No function here reads the global TZ or calls
 * localtime(): the offset is always passed in.
 */

struct ts_civil {
    int year;   /* 1970..9999 (1969 or 10000 at the ends, seen off UTC) */
    int month;  /* 1..12 */
    int day;    /* 1..31 */
    int hour;   /* 0..23 */
    int minute; /* 0..59 */
    int second; /* 0..59 */
    int wday;   /* 0 = Sunday .. 6 = Saturday */
};

#define TS_FORMAT_MAX 32  /* "2026-11-22T14:30:00+08:00" and its NUL fit */
#define TS_MIN 0LL                     /* 1970-01-01T00:00:00Z */
#define TS_MAX 253402300799LL          /* 9999-12-31T23:59:59Z */

/*
 * Days since 1970-01-01 of a proleptic Gregorian date (negative before). Not
 * validated: a month outside 1..12 carries into the year and a day past the
 * month's end into the next month (2026-01-32 is 2026-02-01).
 */
int64_t ts_days_from_civil(int year, int month, int day);
/* Inverse of ts_days_from_civil. */
void ts_civil_from_days(int64_t days, int *year, int *month, int *day);
/*
 * Calendar fields of t in the zone `tz_min`. t is clamped to TS_MIN..TS_MAX
 * and tz_min to -1439..1439, so the year is 1969..10000.
 */
void ts_to_civil(int64_t t, int tz_min, struct ts_civil *out);
/*
 * The point in time of local calendar fields (wday ignored). Fields are not
 * validated and carry over as in ts_days_from_civil (hour 24 is the next day).
 */
int64_t ts_from_civil(const struct ts_civil *c, int tz_min);
/* Days in a month (leap years counted); 0 for a month outside 1..12. */
int ts_days_in_month(int year, int month);

/*
 * Parse an ISO 8601 / RFC 3339 date or date-time as people and programs send it:
 *   2026-11-22                       (date only: *date_only = true, time 00:00 local)
 *   2026-11-22T14:30  2026-11-22 14:30  2026-11-22T14:30:05  2026-11-22T14:30:05.123
 *   any of those with Z, +08:00, +0800 or +08 at the end
 * Without a zone the deployment offset `tz_min` applies. Fractional seconds
 * (after '.' or ',', any number of digits) are accepted and dropped. 't' and
 * 'z' may be lower case (RFC 3339). A zone may be -23:59..+23:59. Leading or
 * trailing white space is not accepted.
 * Fails with ERR_INVALID naming `field`, reason one of "empty", "bad_format",
 * "bad_date" (e.g. 2026-02-30), "bad_time" (e.g. 24:00, 12:60, and the leap
 * second :60), "bad_offset", "out_of_range" (the instant is outside
 * TS_MIN..TS_MAX: 1970-01-01 in +08:00 is, 1969-12-31T19:00-05:00 is not).
 * `date_only` may be NULL. `out` and `date_only` are written only on success.
 */
int ts_parse(const char *s, size_t len, int tz_min, int64_t *out, bool *date_only,
             const char *field, struct err *e);

/*
 * Parse a NUL-terminated zone offset "+08:00", "-05:30", "+0800", "+08", "Z"
 * (or "z") into minutes, -1439..1439; -1 on error, *minutes_out untouched.
 */
int ts_parse_offset(const char *s, int *minutes_out);

/*
 * Write t as "2026-11-22T14:30:00+08:00" (or "...Z" when tz_min is 0); returns
 * the length. t and tz_min are clamped as in ts_to_civil; only TS_MAX seen
 * east of UTC gives a five-digit year ("10000-01-01T07:59:59+08:00").
 */
size_t ts_format(int64_t t, int tz_min, char out[TS_FORMAT_MAX]);

/* The wall clock, seconds since the epoch. The only function here that reads a clock. */
int64_t ts_now(void);

#endif
