/*
 * Working days and working time (DOMAIN §5). Pure: no I/O, no clock.
 *
 * A day is working by its exception when it has one, else by the weekly
 * pattern. The counting functions never walk day by day over long spans:
 * between two exceptions only the weekly pattern applies, so whole weeks are
 * counted with the pattern's population count and at most six days are
 * looked at one by one; exceptions are found by binary search.
 */
#include "core/calendar.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "util/err.h"
#include "util/ts.h"

#define SECS_PER_DAY 86400
#define MINUTES_PER_DAY 1440

/* ---- the rules for odd calendars (calendar.h) ---- */

static unsigned
pattern(const struct calendar *c)
{
    unsigned w = c->weekly & CAL_WEEKLY_ALL;

    return w != 0 ? w : CAL_WEEKLY_ALL;
}

/* Working hours as seconds of the day, [*start, *end). */
static void
hours(const struct calendar *c, int64_t *start, int64_t *end)
{
    if (c->work_start >= 0 && c->work_start < c->work_end && c->work_end <= MINUTES_PER_DAY) {
        *start = (int64_t)c->work_start * 60;
        *end = (int64_t)c->work_end * 60;
    } else {
        *start = 0;
        *end = SECS_PER_DAY;
    }
}

static int64_t
clamp_time(int64_t t)
{
    return t < TS_MIN ? TS_MIN : t > TS_MAX ? TS_MAX : t;
}

static int64_t
floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;

    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

static int
popcount7(unsigned w)
{
    int n = 0;

    for (int d = 0; d < 7; d++)
        n += (w >> d) & 1u;
    return n;
}

static bool
in_pattern(unsigned w, int64_t day)
{
    return (w >> cal_weekday(day)) & 1u;
}

/* ---- lookups ---- */

int
cal_weekday(int64_t day)
{
    return (int)(((day % 7) + 7 + 4) % 7);
}

/* How many exceptions there are (none without an array). */
static size_t
n_exceptions(const struct calendar *c)
{
    return c->days != NULL ? c->n_days : 0;
}

/* Index of the first exception on or after `day` (n_exceptions(c) when none). */
static size_t
lower_bound(const struct calendar *c, int64_t day)
{
    size_t lo = 0, hi = n_exceptions(c);

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (c->days[mid].day < day)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

const struct cal_exception *
cal_find(const struct calendar *c, int64_t day)
{
    size_t i = lower_bound(c, day);

    if (i < n_exceptions(c) && c->days[i].day == day)
        return &c->days[i];
    return NULL;
}

/* Whether a day with this exception works, under pattern w. */
static bool
exception_works(unsigned w, const struct cal_exception *x)
{
    if (x->kind == CAL_HOLIDAY)
        return false;
    if (x->kind == CAL_WORKDAY)
        return true;
    return in_pattern(w, x->day);
}

bool
cal_is_working_day(const struct calendar *c, int64_t day)
{
    const struct cal_exception *x = cal_find(c, day);
    unsigned w = pattern(c);

    return x != NULL ? exception_works(w, x) : in_pattern(w, day);
}

void
cal_init_default(struct calendar *c, int tz_min)
{
    *c = (struct calendar){
        .weekly = CAL_WEEKLY_DEFAULT,
        .work_start = CAL_WORK_START_DEFAULT,
        .work_end = CAL_WORK_END_DEFAULT,
        .tz_min = tz_min,
    };
}

int64_t
cal_day_of(const struct calendar *c, int64_t t)
{
    return floor_div(clamp_time(t) + (int64_t)c->tz_min * 60, SECS_PER_DAY);
}

/* The first second of `day` in the calendar's zone. */
static int64_t
day_start(const struct calendar *c, int64_t day)
{
    return day * SECS_PER_DAY - (int64_t)c->tz_min * 60;
}

/* ---- counting by the weekly pattern alone ---- */

/* Days d with a < d <= b whose weekday is in pattern w. */
static int64_t
pattern_days_between(unsigned w, int64_t a, int64_t b)
{
    int64_t n, found;
    int first;

    if (b <= a)
        return 0;
    n = b - a;
    found = n / 7 * popcount7(w);
    first = cal_weekday(a + 1);   /* whole weeks leave the weekday where it was */
    for (int64_t j = 0; j < n % 7; j++)
        found += (w >> ((first + j) % 7)) & 1u;
    return found;
}

/* The k-th day after `day` (k >= 1) whose weekday is in pattern w (not empty). */
static int64_t
pattern_day_after(unsigned w, int64_t day, int64_t k)
{
    int64_t per_week = popcount7(w), weeks;

    if (k < 1)
        return day;   /* callers pass k >= 1; never loop on a bug */
    weeks = (k - 1) / per_week;
    day += weeks * 7;
    k -= weeks * per_week;   /* 1 .. per_week: found within the next 7 days */
    for (;;) {
        day++;
        if (in_pattern(w, day) && --k == 0)
            return day;
    }
}

/* +1 for a make-up working day the pattern has off, -1 for a holiday it has on. */
static int
exception_shift(unsigned w, const struct cal_exception *x)
{
    return (int)exception_works(w, x) - (int)in_pattern(w, x->day);
}

/* Working days d with a < d <= b. */
static int64_t
working_days_between(const struct calendar *c, int64_t a, int64_t b)
{
    unsigned w = pattern(c);
    int64_t found;

    if (b <= a)
        return 0;
    found = pattern_days_between(w, a, b);
    for (size_t i = lower_bound(c, a + 1); i < n_exceptions(c) && c->days[i].day <= b; i++)
        found += exception_shift(w, &c->days[i]);
    return found;
}

/*
 * The n-th working day after `day` (n >= 1): from exception to exception,
 * the stretch before each counted by the pattern in one step.
 */
static int64_t
working_day_after(const struct calendar *c, int64_t day, int64_t n)
{
    unsigned w = pattern(c);
    int64_t left = n;

    for (size_t i = lower_bound(c, day + 1); i < n_exceptions(c); i++) {
        const struct cal_exception *x = &c->days[i];
        int64_t before = pattern_days_between(w, day, x->day - 1);
        if (before >= left)
            return pattern_day_after(w, day, left);
        left -= before;
        if (exception_works(w, x) && --left == 0)
            return x->day;
        day = x->day;
    }
    return pattern_day_after(w, day, left);
}

/* ---- the contract ---- */

int64_t
cal_working_day_after(const struct calendar *c, int64_t day, int n)
{
    return n <= 0 ? day : working_day_after(c, day, n);
}

int64_t
cal_add_working_days(const struct calendar *c, int64_t t, int n)
{
    if (n <= 0)
        return t;
    return day_start(c, working_day_after(c, cal_day_of(c, t), n) + 1);
}

int
cal_working_days_between(const struct calendar *c, int64_t a, int64_t b)
{
    int64_t n;

    if (b <= a)
        return 0;
    n = working_days_between(c, cal_day_of(c, a), cal_day_of(c, b));
    return n > INT_MAX ? INT_MAX : (int)n;
}

int64_t
cal_add_working_minutes(const struct calendar *c, int64_t t, int64_t minutes)
{
    int64_t start, end, per_day, need, day, sec, k, rest;

    if (minutes <= 0)
        return t;
    hours(c, &start, &end);
    per_day = end - start;
    need = (minutes < CAL_MINUTES_MAX ? minutes : CAL_MINUTES_MAX) * 60;
    t = clamp_time(t);
    day = cal_day_of(c, t);
    sec = t - day_start(c, day);
    if (sec < end && cal_is_working_day(c, day)) {
        int64_t from = sec > start ? sec : start;
        if (need <= end - from)
            return day_start(c, day) + from + need;
        need -= end - from;
    }
    /* whole working days after this one; the last one only partly */
    k = (need + per_day - 1) / per_day;
    rest = need - (k - 1) * per_day;
    return day_start(c, working_day_after(c, day, k)) + start + rest;
}

/* Working seconds of `day` before its second `sec`. */
static int64_t
worked_before(const struct calendar *c, int64_t day, int64_t sec, int64_t start, int64_t end)
{
    if (!cal_is_working_day(c, day))
        return 0;
    sec = sec < start ? start : sec > end ? end : sec;
    return sec - start;
}

int64_t
cal_working_minutes_between(const struct calendar *c, int64_t a, int64_t b)
{
    int64_t start, end, da, db, sa, sb, secs;

    if (b <= a)
        return 0;
    hours(c, &start, &end);
    a = clamp_time(a);
    b = clamp_time(b);
    da = cal_day_of(c, a);
    db = cal_day_of(c, b);
    sa = a - day_start(c, da);
    sb = b - day_start(c, db);
    if (da == db) {
        secs = worked_before(c, db, sb, start, end) - worked_before(c, da, sa, start, end);
    } else {
        secs = (cal_is_working_day(c, da) ? end - start - worked_before(c, da, sa, start, end) : 0) +
               working_days_between(c, da, db - 1) * (end - start) +
               worked_before(c, db, sb, start, end);
    }
    return secs / 60;
}

bool
cal_exceptions_ok(const struct cal_exception *days, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (days[i].kind != CAL_HOLIDAY && days[i].kind != CAL_WORKDAY)
            return false;
        if (i > 0 && days[i - 1].day >= days[i].day)
            return false;
    }
    return true;
}

/* ---- dates and kinds as text ---- */

static bool
digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

static int
number(const char *s, size_t n)
{
    int v = 0;

    for (size_t i = 0; i < n; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

int
cal_date_parse(const char *s, size_t len, const char *field, int64_t *day, struct err *e)
{
    int y, m, d;

    if (s == NULL || len != 10 || s[4] != '-' || s[7] != '-' || !digits(s, 4) ||
        !digits(s + 5, 2) || !digits(s + 8, 2))
        return err_set(e, ERR_INVALID, field, "bad_format", "not YYYY-MM-DD");
    y = number(s, 4);
    m = number(s + 5, 2);
    d = number(s + 8, 2);
    if (m < 1 || m > 12 || d < 1 || d > ts_days_in_month(y, m))
        return err_set(e, ERR_INVALID, field, "bad_date", "no such date");
    if (y < 1970)
        return err_set(e, ERR_INVALID, field, "out_of_range", "before 1970");
    *day = ts_days_from_civil(y, m, d);
    return 0;
}

size_t
cal_date_format(int64_t day, char out[CAL_DATE_TEXT])
{
    int y, m, d;

    day = day < 0 ? 0 : day > CAL_DAY_MAX ? CAL_DAY_MAX : day;
    ts_civil_from_days(day, &y, &m, &d);
    snprintf(out, CAL_DATE_TEXT, "%04d-%02d-%02d", y, m, d);
    return 10;
}

const char *
cal_kind_name(enum cal_kind k)
{
    return k == CAL_HOLIDAY ? "holiday" : k == CAL_WORKDAY ? "workday" : NULL;
}

enum cal_kind
cal_kind_parse(const char *s)
{
    if (s != NULL && strcmp(s, "holiday") == 0)
        return CAL_HOLIDAY;
    if (s != NULL && strcmp(s, "workday") == 0)
        return CAL_WORKDAY;
    return (enum cal_kind)0;
}
