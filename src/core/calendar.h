#ifndef KESU_CORE_CALENDAR_H
#define KESU_CORE_CALENDAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

/*
 * Working days (DOMAIN §5): a weekly pattern, public holidays and China's
 * make-up working days (调休: a Saturday or Sunday that is a working day),
 * and the working hours of a working day. Pure: no I/O, no clock. Days are
 * whole days since 1970-01-01 in the calendar's zone (ts_days_from_civil).
 */

#define CAL_WEEKLY_DEFAULT 0x3Eu      /* Monday..Friday: bit d is weekday d, 0 = Sunday */
#define CAL_WORK_START_DEFAULT 540    /* 09:00, minutes after midnight */
#define CAL_WORK_END_DEFAULT 1080     /* 18:00 */

enum cal_kind { CAL_HOLIDAY = 1, CAL_WORKDAY = 2 };

/* A day that differs from the weekly pattern: a holiday, or a make-up working day. */
struct cal_exception {
    int64_t day;
    enum cal_kind kind;
    const char *name;                 /* "春节", may be "" */
};

struct calendar {
    unsigned weekly;                  /* bit d set: weekday d is a working day */
    int work_start, work_end;         /* working hours, minutes of the day, start < end */
    int tz_min;                       /* the zone the days are in, minutes east of UTC */
    const struct cal_exception *days; /* sorted by day, no day twice */
    size_t n_days;
};

/* Monday to Friday, 09:00-18:00, no exceptions, in zone tz_min. */
void cal_init_default(struct calendar *c, int tz_min);
/* The day (days since the epoch, in the calendar's zone) that t falls on. */
int64_t cal_day_of(const struct calendar *c, int64_t t);
bool cal_is_working_day(const struct calendar *c, int64_t day);
/*
 * The end (24:00 local, i.e. 00:00 of the next day) of the n-th working
 * day after the day t falls on (n >= 1): registered on Friday 15:00, one
 * working day is due at the end of Monday (or later when Monday is a
 * holiday). The day of t itself never counts, working or not.
 */
int64_t cal_add_working_days(const struct calendar *c, int64_t t, int n);
/*
 * t plus `minutes` of working time: only the working hours of working days
 * count. From outside working hours the count starts at the next opening.
 */
int64_t cal_add_working_minutes(const struct calendar *c, int64_t t, int64_t minutes);
/* Minutes of working time in [a, b) (0 when b <= a). */
int64_t cal_working_minutes_between(const struct calendar *c, int64_t a, int64_t b);
/* Working days d with day(a) < d <= day(b) (0 when b <= a). */
int cal_working_days_between(const struct calendar *c, int64_t a, int64_t b);

/*
 * The rules behind every function above, for odd calendars (the store and
 * the API never make them, but a calendar is plain data):
 *   - bits of `weekly` above 6 are ignored, and a pattern without any
 *     working weekday counts as every day a working day: a deadline that
 *     falls due on calendar days is better than one that never does;
 *   - working hours outside 0 <= work_start < work_end <= 1440 count as the
 *     whole day;
 *   - an exception of another kind than holiday or workday is ignored.
 * Exceptions are found by binary search, and whole weeks between them are
 * counted at once: adding n working days costs O(log n_days + the
 * exceptions passed + 7), whatever n is. Times are clamped to TS_MIN..TS_MAX
 * (util/ts.h) before use.
 */

#define CAL_WEEKLY_ALL 0x7Fu          /* every day of the week */
#define CAL_NAME_MAX 50               /* characters of an exception's name */
#define CAL_DATE_TEXT 11              /* "2026-02-15" and its NUL */
#define CAL_DAY_MAX 2932896           /* 9999-12-31, the last day a date may name */
/* More minutes than this (100 years) count as this many in cal_add_working_minutes. */
#define CAL_MINUTES_MAX (100LL * 366 * 1440)

/*
 * Days since 1970-01-01 of a date, as an integer constant expression (for
 * tables such as cal_cn_default); the same as ts_days_from_civil for
 * 1970-03-01 .. 9999-12-31 and month 1..12.
 */
#define CAL_DATE(y, m, d)                                                                          \
    ((int64_t)(((y) - ((m) <= 2)) / 400) * 146097 +                                               \
     (((y) - ((m) <= 2)) % 400) * 365 + (((y) - ((m) <= 2)) % 400) / 4 -                          \
     (((y) - ((m) <= 2)) % 400) / 100 + (153 * ((m) > 2 ? (m) - 3 : (m) + 9) + 2) / 5 + (d) - 1 - \
     719468)

/* The weekday of a day: 0 = Sunday .. 6 = Saturday (1970-01-01 was a Thursday, 4). */
int cal_weekday(int64_t day);
/* The exception on `day`, or NULL. */
const struct cal_exception *cal_find(const struct calendar *c, int64_t day);
/* The n-th working day after `day` (n >= 1; n <= 0 gives `day`). */
int64_t cal_working_day_after(const struct calendar *c, int64_t day, int n);
/* True when the exceptions are sorted by day, no day twice, and of known kinds. */
bool cal_exceptions_ok(const struct cal_exception *days, size_t n);

/*
 * A date as people and the API write it, "2026-02-15" exactly, into days
 * since the epoch. Fails with ERR_INVALID naming `field`: "bad_format" (not
 * YYYY-MM-DD), "bad_date" (2026-02-30), "out_of_range" (before 1970 or after
 * 9999). `day` is written only on success.
 */
int cal_date_parse(const char *s, size_t len, const char *field, int64_t *day, struct err *e);
/* "2026-02-15"; returns 10. Days are clamped to 1970-01-01 .. 9999-12-31. */
size_t cal_date_format(int64_t day, char out[CAL_DATE_TEXT]);
/* "holiday", "workday"; NULL for another kind. */
const char *cal_kind_name(enum cal_kind k);
/* The kind of a name; 0 when it is neither. */
enum cal_kind cal_kind_parse(const char *s);

/*
 * The official schedule of China's public holidays and make-up working days
 * (国务院办公厅 notices), shipped as data in calendar_cn.c and copied into
 * the deployment's calendar when the database is created. Sorted by day.
 * cal_cn_source says where it came from and that an administrator must
 * check it; cal_cn_years lists the years it covers.
 */
extern const struct cal_exception cal_cn_default[];
extern const size_t cal_cn_default_count;
extern const char cal_cn_source[];
extern const int cal_cn_years[];
extern const size_t cal_cn_years_count;

#endif
