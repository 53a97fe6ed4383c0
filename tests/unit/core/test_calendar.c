/*
 * core/calendar.c: working days across weekends, holidays and make-up
 * working days (调休), working minutes across nights and weekends, the
 * between-functions, odd calendars, dates as text, and the built-in Chinese
 * schedule. Random calendars are checked against a day-by-day count that
 * is too slow for the server but obviously right.
 */
#include "testutil.h"

#include <stdio.h>

#include "core/calendar.h"
#include "util/err.h"
#include "util/ts.h"

#define TZ 480                 /* +08:00 */
#define DAY 86400
#define HOUR 3600

/* A local time in +08:00. */
static int64_t
at(int y, int mo, int d, int h, int mi)
{
    struct ts_civil c = { y, mo, d, h, mi, 0, 0 };

    return ts_from_civil(&c, TZ);
}

static int64_t
date(int y, int m, int d)
{
    return ts_days_from_civil(y, m, d);
}

/* The deployment's default: Monday to Friday, 09:00-18:00, the official schedule. */
static void
china(struct calendar *c)
{
    cal_init_default(c, TZ);
    c->days = cal_cn_default;
    c->n_days = cal_cn_default_count;
}

#define assert_time(got, want)                                                                     \
    do {                                                                                           \
        int64_t got_ = (got), want_ = (want);                                                      \
        if (got_ != want_) {                                                                       \
            char g_[TS_FORMAT_MAX], w_[TS_FORMAT_MAX];                                             \
            ts_format(got_, TZ, g_);                                                               \
            ts_format(want_, TZ, w_);                                                              \
            fail_msg("%s: got %s, want %s", #got, g_, w_);                                         \
        }                                                                                          \
    } while (0)

/* ---- a day-by-day oracle ---- */

static bool
slow_is_working(const struct calendar *c, int64_t day)
{
    unsigned w = c->weekly & CAL_WEEKLY_ALL ? c->weekly & CAL_WEEKLY_ALL : CAL_WEEKLY_ALL;

    for (size_t i = 0; c->days != NULL && i < c->n_days; i++)
        if (c->days[i].day == day && (c->days[i].kind == CAL_HOLIDAY || c->days[i].kind == CAL_WORKDAY))
            return c->days[i].kind == CAL_WORKDAY;
    return (w >> cal_weekday(day)) & 1u;
}

static int64_t
slow_add_days(const struct calendar *c, int64_t day, int n)
{
    while (n > 0)
        if (slow_is_working(c, ++day))
            n--;
    return day;
}

static int64_t
slow_days_between(const struct calendar *c, int64_t a, int64_t b)
{
    int64_t n = 0;

    for (int64_t d = a + 1; d <= b; d++)
        n += slow_is_working(c, d);
    return n;
}

/* Working minutes in [a, b), minute by minute (a and b whole minutes). */
static int64_t
slow_minutes_between(const struct calendar *c, int64_t a, int64_t b)
{
    int64_t n = 0;

    for (int64_t t = a; t < b; t += 60) {
        int64_t local = t + (int64_t)c->tz_min * 60, day = local / DAY, minute = local % DAY / 60;
        if (slow_is_working(c, day) && minute >= c->work_start && minute < c->work_end)
            n++;
    }
    return n;
}

/* A small deterministic generator, so a failure can be reproduced. */
static uint64_t
next_rand(uint64_t *s)
{
    *s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
    return *s >> 33;
}

/* ---- the built-in schedule ---- */

static void
test_cal_date_macro_matches_ts(void **state)
{
    (void)state;
    for (int64_t d = date(1970, 3, 1); d <= date(2200, 12, 31); d++) {
        int y, m, dd;
        ts_civil_from_days(d, &y, &m, &dd);
        if (CAL_DATE(y, m, dd) != d)
            fail_msg("CAL_DATE(%d, %d, %d) = %lld, want %lld", y, m, dd,
                     (long long)CAL_DATE(y, m, dd), (long long)d);
    }
    assert_int_equal(CAL_DATE(2026, 1, 1), 20454);
    assert_int_equal(CAL_DATE(9999, 12, 31), CAL_DAY_MAX);
}

static void
test_weekday(void **state)
{
    (void)state;
    assert_int_equal(cal_weekday(0), 4);                    /* 1970-01-01, Thursday */
    assert_int_equal(cal_weekday(date(2026, 2, 14)), 6);    /* Saturday */
    assert_int_equal(cal_weekday(date(2026, 1, 4)), 0);     /* Sunday */
    assert_int_equal(cal_weekday(date(2026, 2, 16)), 1);    /* Monday */
    assert_int_equal(cal_weekday(-1), 3);                   /* 1969-12-31, Wednesday */
    assert_int_equal(cal_weekday(-7), 4);
}

static void
test_cn_schedule_shape(void **state)
{
    int holidays[2] = { 0 }, workdays[2] = { 0 };

    (void)state;
    assert_true(cal_exceptions_ok(cal_cn_default, cal_cn_default_count));
    assert_string_equal(cal_cn_source, "国务院办公厅通知 (内置，请核对)");
    assert_int_equal(cal_cn_years_count, 2);
    for (size_t i = 0; i < cal_cn_default_count; i++) {
        const struct cal_exception *x = &cal_cn_default[i];
        int y, m, d, wd = cal_weekday(x->day);
        ts_civil_from_days(x->day, &y, &m, &d);
        assert_true(y == 2025 || y == 2026);
        assert_true(x->name != NULL && x->name[0] != '\0');
        if (x->kind == CAL_WORKDAY) {
            /* a make-up working day is always a weekend day */
            if (wd != 0 && wd != 6)
                fail_msg("%d-%02d-%02d is a make-up day but not a weekend day", y, m, d);
            workdays[y - 2025]++;
        } else {
            holidays[y - 2025]++;
        }
    }
    /* 2025: 元旦 1 + 春节 8 + 清明 3 + 劳动节 5 + 端午 3 + 国庆中秋 8 */
    assert_int_equal(holidays[0], 28);
    assert_int_equal(workdays[0], 5);
    /* 2026: 元旦 3 + 春节 9 + 清明 3 + 劳动节 5 + 端午 3 + 中秋 3 + 国庆 7 */
    assert_int_equal(holidays[1], 33);
    assert_int_equal(workdays[1], 6);
}

static void
test_cn_schedule_days(void **state)
{
    static const struct { int y, m, d; bool working; } days[] = {
        { 2026, 1, 1, false }, { 2026, 1, 3, false }, { 2026, 1, 4, true },  /* Sunday, make-up */
        { 2026, 2, 13, true }, { 2026, 2, 14, true }, { 2026, 2, 15, false },
        { 2026, 2, 23, false }, { 2026, 2, 24, true }, { 2026, 2, 28, true },
        { 2026, 3, 1, false },  { 2026, 4, 6, false }, { 2026, 4, 7, true },
        { 2026, 5, 5, false },  { 2026, 5, 9, true },  { 2026, 5, 10, false },
        { 2026, 6, 19, false }, { 2026, 9, 20, true }, { 2026, 9, 25, false },
        { 2026, 10, 7, false }, { 2026, 10, 8, true }, { 2026, 10, 10, true },
        { 2026, 10, 11, false },
        { 2025, 1, 1, false },  { 2025, 1, 2, true },  { 2025, 1, 26, true },
        { 2025, 1, 27, true },  { 2025, 1, 28, false }, { 2025, 2, 4, false },
        { 2025, 2, 8, true },   { 2025, 4, 27, true }, { 2025, 5, 31, false },
        { 2025, 9, 28, true },  { 2025, 10, 8, false }, { 2025, 10, 9, true },
        { 2025, 10, 11, true },
    };
    struct calendar c;

    (void)state;
    china(&c);
    for (size_t i = 0; i < TEST_ARRAY_LEN(days); i++)
        if (cal_is_working_day(&c, date(days[i].y, days[i].m, days[i].d)) != days[i].working)
            fail_msg("%d-%02d-%02d: want %s", days[i].y, days[i].m, days[i].d,
                     days[i].working ? "working" : "off");
    /* both years have 248 working days (counted by hand from the notices) */
    assert_int_equal(cal_working_days_between(&c, at(2024, 12, 31, 12, 0), at(2025, 12, 31, 12, 0)),
                     248);
    assert_int_equal(cal_working_days_between(&c, at(2025, 12, 31, 12, 0), at(2026, 12, 31, 12, 0)),
                     248);
    assert_non_null(cal_find(&c, date(2026, 2, 14)));
    assert_string_equal(cal_find(&c, date(2026, 2, 14))->name, "春节调休上班");
    assert_null(cal_find(&c, date(2026, 2, 24)));
}

/* ---- adding working days ---- */

static void
test_twenty_days_over_spring_festival(void **state)
{
    struct calendar c;

    (void)state;
    china(&c);
    /*
     * Registered Tuesday 2026-02-10. The day itself does not count.
     *   Feb 11 Wed 1, 12 Thu 2, 13 Fri 3, 14 Sat (make-up) 4,
     *   Feb 15-23 春节 off,
     *   Feb 24 Tue 5, 25 Wed 6, 26 Thu 7, 27 Fri 8, 28 Sat (make-up) 9, Mar 1 Sun off,
     *   Mar 2-6 Mon-Fri 10-14, Mar 9-13 Mon-Fri 15-19, Mar 16 Mon 20.
     * Due at the end of Monday 2026-03-16.
     */
    assert_time(cal_add_working_days(&c, at(2026, 2, 10, 10, 30), 20), at(2026, 3, 17, 0, 0));
    assert_int_equal(cal_working_day_after(&c, date(2026, 2, 10), 20), date(2026, 3, 16));
    /* without the schedule: Feb 11-13, 16-20, 23-27, Mar 2-6, 9, 10 */
    c.days = NULL;
    c.n_days = 0;
    assert_time(cal_add_working_days(&c, at(2026, 2, 10, 10, 30), 20), at(2026, 3, 11, 0, 0));
}

static void
test_friday_and_holiday_eves(void **state)
{
    struct calendar c;

    (void)state;
    china(&c);
    /* a Friday registration with 1 working day: the end of Monday */
    assert_time(cal_add_working_days(&c, at(2026, 3, 13, 15, 0), 1), at(2026, 3, 17, 0, 0));
    /* a registration late on Friday night is still Friday in +08:00 */
    assert_time(cal_add_working_days(&c, at(2026, 3, 13, 23, 59), 1), at(2026, 3, 17, 0, 0));
    /* registered on Saturday: Monday is the first working day after it */
    assert_time(cal_add_working_days(&c, at(2026, 3, 14, 10, 0), 1), at(2026, 3, 17, 0, 0));
    /* the day before 劳动节: May 1-5 off, due at the end of Wednesday May 6 */
    assert_time(cal_add_working_days(&c, at(2026, 4, 30, 9, 0), 1), at(2026, 5, 7, 0, 0));
    /* a Friday before a make-up Sunday: Sunday 2026-09-20 counts */
    assert_time(cal_add_working_days(&c, at(2026, 9, 18, 9, 0), 1), at(2026, 9, 21, 0, 0));
    /* the make-up Saturday before 春节 counts: Feb 13 (Fri) + 1 = Feb 14 */
    assert_time(cal_add_working_days(&c, at(2026, 2, 13, 17, 0), 1), at(2026, 2, 15, 0, 0));
    /* and the next one is after the holiday */
    assert_time(cal_add_working_days(&c, at(2026, 2, 13, 17, 0), 2), at(2026, 2, 25, 0, 0));
    /* registered during the holiday: the first day back */
    assert_time(cal_add_working_days(&c, at(2026, 2, 17, 8, 0), 1), at(2026, 2, 25, 0, 0));
    /* n <= 0 adds nothing */
    assert_time(cal_add_working_days(&c, at(2026, 2, 17, 8, 0), 0), at(2026, 2, 17, 8, 0));
    assert_time(cal_add_working_days(&c, at(2026, 2, 17, 8, 0), -3), at(2026, 2, 17, 8, 0));
}

static void
test_days_across_years_and_long_spans(void **state)
{
    struct calendar c;

    (void)state;
    china(&c);
    /* 2025-12-31 (Wed): Jan 1-3 off, Sunday Jan 4 is the make-up day */
    assert_int_equal(cal_working_day_after(&c, date(2025, 12, 31), 1), date(2026, 1, 4));
    assert_int_equal(cal_working_day_after(&c, date(2025, 12, 31), 2), date(2026, 1, 5));
    /* past the last exception only the weekly pattern counts: 5 a week */
    assert_int_equal(cal_working_day_after(&c, date(2026, 12, 31), 5), date(2027, 1, 7));
    assert_int_equal(cal_working_day_after(&c, date(2027, 1, 1), 5 * 1000), date(2027, 1, 1) + 7 * 1000);
    /* a long count through both years' exceptions agrees with the day-by-day count */
    for (int n = 1; n <= 600; n += 7)
        assert_int_equal(cal_working_day_after(&c, date(2024, 12, 20), n),
                         slow_add_days(&c, date(2024, 12, 20), n));
}

static void
test_days_between(void **state)
{
    struct calendar c;

    (void)state;
    china(&c);
    /* Friday 15:00 to Monday 10:00: Monday only */
    assert_int_equal(cal_working_days_between(&c, at(2026, 3, 13, 15, 0), at(2026, 3, 16, 10, 0)), 1);
    /* the same day: none; backwards: none */
    assert_int_equal(cal_working_days_between(&c, at(2026, 3, 16, 9, 0), at(2026, 3, 16, 18, 0)), 0);
    assert_int_equal(cal_working_days_between(&c, at(2026, 3, 16, 9, 0), at(2026, 3, 13, 9, 0)), 0);
    /* registered 2026-02-10, it is now 2026-03-16: 20 working days have passed */
    assert_int_equal(cal_working_days_between(&c, at(2026, 2, 10, 10, 30), at(2026, 3, 16, 12, 0)), 20);
    /* the holiday week: Feb 14 (make-up Saturday) only */
    assert_int_equal(cal_working_days_between(&c, at(2026, 2, 13, 12, 0), at(2026, 2, 23, 12, 0)), 1);
}

/* ---- working minutes ---- */

static void
test_minutes_across_nights_and_weekends(void **state)
{
    struct calendar c;

    (void)state;
    china(&c);
    /* inside the day */
    assert_time(cal_add_working_minutes(&c, at(2026, 3, 10, 10, 0), 90), at(2026, 3, 10, 11, 30));
    /* reaching closing time exactly stays on that day */
    assert_time(cal_add_working_minutes(&c, at(2026, 3, 11, 17, 0), 60), at(2026, 3, 11, 18, 0));
    /* across the night */
    assert_time(cal_add_working_minutes(&c, at(2026, 3, 10, 17, 30), 60), at(2026, 3, 11, 9, 30));
    /* before opening and after closing: counting starts at the next opening */
    assert_time(cal_add_working_minutes(&c, at(2026, 3, 11, 7, 0), 30), at(2026, 3, 11, 9, 30));
    assert_time(cal_add_working_minutes(&c, at(2026, 3, 11, 19, 0), 30), at(2026, 3, 12, 9, 30));
    /* across the weekend: Friday 17:00 + 2 h = Monday 10:00 */
    assert_time(cal_add_working_minutes(&c, at(2026, 3, 13, 17, 0), 120), at(2026, 3, 16, 10, 0));
    /* from Saturday: Monday's first hours */
    assert_time(cal_add_working_minutes(&c, at(2026, 3, 14, 11, 0), 60), at(2026, 3, 16, 10, 0));
    /* the make-up Saturday before 春节 works, then nothing until Feb 24 */
    assert_time(cal_add_working_minutes(&c, at(2026, 2, 13, 17, 0), 240), at(2026, 2, 14, 12, 0));
    assert_time(cal_add_working_minutes(&c, at(2026, 2, 13, 17, 0), 60 + 540 + 480),
                at(2026, 2, 24, 17, 0));
    /* exactly a whole day ends at closing time, not at the next opening */
    assert_time(cal_add_working_minutes(&c, at(2026, 3, 16, 9, 0), 540), at(2026, 3, 16, 18, 0));
    assert_time(cal_add_working_minutes(&c, at(2026, 3, 16, 9, 0), 541), at(2026, 3, 17, 9, 1));
    /* seconds are kept */
    assert_time(cal_add_working_minutes(&c, at(2026, 3, 16, 9, 0) + 30, 1), at(2026, 3, 16, 9, 1) + 30);
    /* nothing to add */
    assert_time(cal_add_working_minutes(&c, at(2026, 3, 14, 11, 0), 0), at(2026, 3, 14, 11, 0));
    assert_time(cal_add_working_minutes(&c, at(2026, 3, 14, 11, 0), -5), at(2026, 3, 14, 11, 0));
}

static void
test_minutes_between(void **state)
{
    struct calendar c;

    (void)state;
    china(&c);
    assert_int_equal(cal_working_minutes_between(&c, at(2026, 3, 13, 17, 0), at(2026, 3, 16, 10, 0)), 120);
    assert_int_equal(cal_working_minutes_between(&c, at(2026, 3, 16, 7, 0), at(2026, 3, 16, 20, 0)), 540);
    assert_int_equal(cal_working_minutes_between(&c, at(2026, 3, 16, 10, 0), at(2026, 3, 16, 10, 0)), 0);
    assert_int_equal(cal_working_minutes_between(&c, at(2026, 3, 16, 11, 0), at(2026, 3, 16, 10, 0)), 0);
    /* a whole week around 春节: Feb 13 (Fri) 9 h + Feb 14 (Sat) 9 h */
    assert_int_equal(cal_working_minutes_between(&c, at(2026, 2, 13, 0, 0), at(2026, 2, 24, 0, 0)),
                     2 * 540);
    /* inside the night: nothing */
    assert_int_equal(cal_working_minutes_between(&c, at(2026, 3, 16, 19, 0), at(2026, 3, 17, 8, 0)), 0);
    /* partial minutes are dropped */
    assert_int_equal(cal_working_minutes_between(&c, at(2026, 3, 16, 10, 0), at(2026, 3, 16, 10, 0) + 119), 1);
}

/* ---- odd calendars ---- */

static void
test_empty_weekly_counts_every_day(void **state)
{
    static const struct cal_exception off[] = {
        { CAL_DATE(2026, 3, 17), CAL_HOLIDAY, "停电" },
    };
    struct calendar c;

    (void)state;
    cal_init_default(&c, TZ);
    c.weekly = 0;
    /* Monday + 3 = Thursday: no day is skipped, and nothing loops */
    assert_int_equal(cal_working_day_after(&c, date(2026, 3, 16), 3), date(2026, 3, 19));
    assert_true(cal_is_working_day(&c, date(2026, 3, 15)));   /* a Sunday */
    /* holidays still count as holidays */
    c.days = off;
    c.n_days = TEST_ARRAY_LEN(off);
    assert_int_equal(cal_working_day_after(&c, date(2026, 3, 16), 3), date(2026, 3, 20));
    /* only bits above Saturday: the same */
    c.weekly = 0x80;
    assert_int_equal(cal_working_day_after(&c, date(2026, 3, 16), 3), date(2026, 3, 20));
    assert_int_equal(cal_working_days_between(&c, at(2026, 3, 16, 12, 0), at(2026, 3, 23, 12, 0)), 6);
}

static void
test_odd_patterns(void **state)
{
    static const struct cal_exception odd[] = {
        { CAL_DATE(2026, 3, 22), CAL_HOLIDAY, "" },        /* a Sunday off */
        { CAL_DATE(2026, 3, 24), (enum cal_kind)7, "?" },   /* an unknown kind: ignored */
    };
    struct calendar c;

    (void)state;
    cal_init_default(&c, TZ);
    c.weekly = 1u << 0;   /* Sundays only */
    /* Monday 2026-03-16 + 2 working days: Sundays 22 and 29 */
    assert_int_equal(cal_working_day_after(&c, date(2026, 3, 16), 2), date(2026, 3, 29));
    c.days = odd;
    c.n_days = TEST_ARRAY_LEN(odd);
    assert_int_equal(cal_working_day_after(&c, date(2026, 3, 16), 2), date(2026, 4, 5));
    assert_false(cal_is_working_day(&c, date(2026, 3, 24)));   /* a Tuesday, by the pattern */
    assert_false(cal_exceptions_ok(odd, TEST_ARRAY_LEN(odd)));
    /* an array missing but a count given: no exceptions */
    c.days = NULL;
    c.n_days = 5;
    assert_int_equal(cal_working_day_after(&c, date(2026, 3, 16), 2), date(2026, 3, 29));
    assert_null(cal_find(&c, date(2026, 3, 22)));
}

static void
test_odd_hours_count_the_whole_day(void **state)
{
    struct calendar c;

    (void)state;
    cal_init_default(&c, TZ);
    c.work_start = 600;
    c.work_end = 600;   /* empty: the whole day */
    assert_time(cal_add_working_minutes(&c, at(2026, 3, 16, 23, 30), 60), at(2026, 3, 17, 0, 30));
    c.work_start = -5;
    c.work_end = 2000;
    assert_int_equal(cal_working_minutes_between(&c, at(2026, 3, 16, 0, 0), at(2026, 3, 17, 0, 0)), 1440);
    /* a night shift is not expressible: work_start > work_end is the whole day too */
    c.work_start = 1200;
    c.work_end = 360;
    assert_int_equal(cal_working_minutes_between(&c, at(2026, 3, 16, 0, 0), at(2026, 3, 17, 0, 0)), 1440);
}

static void
test_zone_decides_the_day(void **state)
{
    struct calendar c;

    (void)state;
    china(&c);
    /* 2026-02-13T20:00Z is Saturday 04:00 in +08:00, the make-up day */
    assert_int_equal(cal_day_of(&c, ts_days_from_civil(2026, 2, 13) * DAY + 20 * HOUR),
                     date(2026, 2, 14));
    /* in UTC the same instant is still Friday */
    c.tz_min = 0;
    assert_int_equal(cal_day_of(&c, ts_days_from_civil(2026, 2, 13) * DAY + 20 * HOUR),
                     date(2026, 2, 13));
    /* times before the epoch are clamped */
    assert_int_equal(cal_day_of(&c, -5 * DAY), 0);
}

static void
test_huge_counts(void **state)
{
    struct calendar c;
    int64_t t;

    (void)state;
    china(&c);
    /* a million working days: counted in whole weeks, not day by day */
    assert_int_equal(cal_working_day_after(&c, date(2027, 1, 1), 1000000), date(2027, 1, 1) + 1400000);
    /* minutes beyond CAL_MINUTES_MAX are capped: still a real time */
    t = cal_add_working_minutes(&c, at(2026, 3, 16, 9, 0), INT64_MAX);
    assert_true(t > at(2026, 3, 16, 9, 0));
    assert_int_equal(t, cal_add_working_minutes(&c, at(2026, 3, 16, 9, 0), CAL_MINUTES_MAX));
    /* the ends of time do not overflow */
    (void)cal_add_working_days(&c, INT64_MAX, 3);
    (void)cal_add_working_days(&c, INT64_MIN, 3);
    assert_int_equal(cal_working_minutes_between(&c, INT64_MIN, INT64_MAX),
                     cal_working_minutes_between(&c, TS_MIN, TS_MAX));
}

/* ---- random calendars against the day-by-day count ---- */

static void
random_calendar(uint64_t *seed, struct calendar *c, struct cal_exception *buf, size_t max)
{
    int64_t day = date(2026, 1, 1) + (int64_t)(next_rand(seed) % 5);
    size_t n = next_rand(seed) % max;

    cal_init_default(c, TZ);
    c->weekly = (unsigned)(next_rand(seed) % 256);   /* 0 and high bits too */
    c->work_start = (int)(next_rand(seed) % 720);
    c->work_end = c->work_start + 1 + (int)(next_rand(seed) % 720);
    for (size_t i = 0; i < n; i++) {
        buf[i].day = day;
        buf[i].kind = next_rand(seed) % 2 ? CAL_HOLIDAY : CAL_WORKDAY;
        buf[i].name = "";
        day += 1 + (int64_t)(next_rand(seed) % 9);
    }
    c->days = buf;
    c->n_days = n;
}

static void
test_random_calendars_against_oracle(void **state)
{
    struct cal_exception buf[40];
    uint64_t seed = 20260210;

    (void)state;
    for (int round = 0; round < 300; round++) {
        struct calendar c;
        int64_t from, to;
        int n;

        random_calendar(&seed, &c, buf, TEST_ARRAY_LEN(buf));
        from = date(2025, 12, 20) + (int64_t)(next_rand(&seed) % 100);
        to = from + (int64_t)(next_rand(&seed) % 200);
        n = 1 + (int)(next_rand(&seed) % 80);
        for (int64_t d = from; d < from + 30; d++)
            assert_int_equal(cal_is_working_day(&c, d), slow_is_working(&c, d));
        assert_int_equal(cal_working_day_after(&c, from, n), slow_add_days(&c, from, n));
        assert_int_equal(cal_working_days_between(&c, from * DAY - TZ * 60 + 5 * HOUR,
                                                  to * DAY - TZ * 60 + 20 * HOUR),
                         slow_days_between(&c, from, to));
    }
}

static void
test_random_minutes_round_trip(void **state)
{
    struct cal_exception buf[12];
    uint64_t seed = 4711;

    (void)state;
    for (int round = 0; round < 200; round++) {
        struct calendar c;
        int64_t t, due, m;

        random_calendar(&seed, &c, buf, TEST_ARRAY_LEN(buf));
        t = at(2026, 1, 1, 0, 0) + (int64_t)(next_rand(&seed) % (40 * 1440)) * 60;
        m = 1 + (int64_t)(next_rand(&seed) % 3000);
        due = cal_add_working_minutes(&c, t, m);
        /* the time added is the working time between, and none of it is wasted at the end */
        assert_int_equal(cal_working_minutes_between(&c, t, due), m);
        assert_int_equal(cal_working_minutes_between(&c, t, due - 60), m - 1);
        if (round % 10 == 0)
            assert_int_equal(slow_minutes_between(&c, t, due), m);
    }
}

static void
test_random_days_round_trip(void **state)
{
    struct cal_exception buf[30];
    uint64_t seed = 99;

    (void)state;
    for (int round = 0; round < 300; round++) {
        struct calendar c;
        int64_t t, due;
        int n;

        random_calendar(&seed, &c, buf, TEST_ARRAY_LEN(buf));
        t = at(2026, 1, 1, 0, 0) + (int64_t)(next_rand(&seed) % (60 * 1440)) * 60;
        n = 1 + (int)(next_rand(&seed) % 60);
        due = cal_add_working_days(&c, t, n);
        /* due is the end of a working day, the n-th after the day of t */
        assert_int_equal(cal_working_days_between(&c, t, due - 1), n);
        assert_true(cal_is_working_day(&c, cal_day_of(&c, due - 1)));
        assert_int_equal((due + TZ * 60) % DAY, 0);
    }
}

/* ---- dates and kinds as text ---- */

static void
test_date_text(void **state)
{
    static const struct { const char *s; const char *reason; } bad[] = {
        { "", "bad_format" },           { "2026-2-14", "bad_format" },
        { "2026-02-14T00:00", "bad_format" }, { "2026/02/14", "bad_format" },
        { "２０２６-02-14", "bad_format" }, { "2026-02-1x", "bad_format" },
        { " 2026-02-14", "bad_format" }, { "2026-02-30", "bad_date" },
        { "2026-13-01", "bad_date" },   { "2026-00-10", "bad_date" },
        { "2025-02-29", "bad_date" },   { "1969-12-31", "out_of_range" },
        { "0000-01-01", "out_of_range" },
    };
    char out[CAL_DATE_TEXT];
    int64_t day = -1;
    struct err e = { 0 };

    (void)state;
    assert_int_equal(cal_date_parse("2026-02-14", 10, "date", &day, &e), 0);
    assert_int_equal(day, date(2026, 2, 14));
    assert_int_equal(cal_date_parse("2024-02-29", 10, "date", &day, &e), 0);
    assert_int_equal(cal_date_parse("9999-12-31", 10, "date", &day, &e), 0);
    assert_int_equal(day, CAL_DAY_MAX);
    assert_int_equal(cal_date_parse("1970-01-01", 10, "date", &day, &e), 0);
    assert_int_equal(day, 0);
    for (size_t i = 0; i < TEST_ARRAY_LEN(bad); i++) {
        day = -42;
        e = (struct err){ 0 };
        assert_int_equal(cal_date_parse(bad[i].s, strlen(bad[i].s), "date", &day, &e), -1);
        assert_int_equal(e.code, ERR_INVALID);
        assert_string_equal(e.field, "date");
        if (strcmp(e.reason, bad[i].reason) != 0)
            fail_msg("'%s': reason %s, want %s", bad[i].s, e.reason, bad[i].reason);
        assert_int_equal(day, -42);   /* untouched */
    }
    assert_int_equal(cal_date_parse(NULL, 0, "date", &day, &e), -1);
    assert_int_equal(cal_date_format(date(2026, 2, 14), out), 10);
    assert_string_equal(out, "2026-02-14");
    cal_date_format(-3, out);
    assert_string_equal(out, "1970-01-01");
    cal_date_format(INT64_MAX, out);
    assert_string_equal(out, "9999-12-31");
    for (int64_t d = 0; d < CAL_DAY_MAX; d += 997) {
        int64_t back;
        cal_date_format(d, out);
        assert_int_equal(cal_date_parse(out, strlen(out), "date", &back, &e), 0);
        assert_int_equal(back, d);
    }
}

static void
test_kind_text(void **state)
{
    (void)state;
    assert_string_equal(cal_kind_name(CAL_HOLIDAY), "holiday");
    assert_string_equal(cal_kind_name(CAL_WORKDAY), "workday");
    assert_null(cal_kind_name((enum cal_kind)0));
    assert_int_equal(cal_kind_parse("holiday"), CAL_HOLIDAY);
    assert_int_equal(cal_kind_parse("workday"), CAL_WORKDAY);
    assert_int_equal(cal_kind_parse("normal"), 0);
    assert_int_equal(cal_kind_parse("Holiday"), 0);
    assert_int_equal(cal_kind_parse(NULL), 0);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cal_date_macro_matches_ts),
        cmocka_unit_test(test_weekday),
        cmocka_unit_test(test_cn_schedule_shape),
        cmocka_unit_test(test_cn_schedule_days),
        cmocka_unit_test(test_twenty_days_over_spring_festival),
        cmocka_unit_test(test_friday_and_holiday_eves),
        cmocka_unit_test(test_days_across_years_and_long_spans),
        cmocka_unit_test(test_days_between),
        cmocka_unit_test(test_minutes_across_nights_and_weekends),
        cmocka_unit_test(test_minutes_between),
        cmocka_unit_test(test_empty_weekly_counts_every_day),
        cmocka_unit_test(test_odd_patterns),
        cmocka_unit_test(test_odd_hours_count_the_whole_day),
        cmocka_unit_test(test_zone_decides_the_day),
        cmocka_unit_test(test_huge_counts),
        cmocka_unit_test(test_random_calendars_against_oracle),
        cmocka_unit_test(test_random_minutes_round_trip),
        cmocka_unit_test(test_random_days_round_trip),
        cmocka_unit_test(test_date_text),
        cmocka_unit_test(test_kind_text),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
