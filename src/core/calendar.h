#ifndef KESU_CORE_CALENDAR_H
#define KESU_CORE_CALENDAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

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

#endif
