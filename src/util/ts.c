#include "util/ts.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#define SECS_PER_DAY 86400
#define OFFSET_MAX_MIN (23 * 60 + 59) /* RFC 3339 allows any +HH:MM */

/*
 * The calendar is computed in 400-year eras (146097 days each, the Gregorian
 * cycle), with years starting on 1 March so the leap day falls at the end of
 * the year and month lengths follow a simple pattern. 719468 is the number of
 * days from 0000-03-01 to 1970-01-01.
 */
#define DAYS_PER_ERA 146097
#define EPOCH_SHIFT 719468

static int64_t
floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;

    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

static bool
is_leap(int64_t y)
{
    return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
}

/* ts_days_from_civil over int64, with month outside 1..12 carried into the year. */
static int64_t
days_from_civil64(int64_t y, int64_t m, int64_t d)
{
    int64_t era, yoe, doy, doe, mp;

    y += floor_div(m - 1, 12);
    m -= floor_div(m - 1, 12) * 12;
    if (m <= 2)
        y--; /* Jan and Feb belong to the previous March year */
    era = floor_div(y, 400);
    yoe = y - era * 400;              /* 0..399 */
    mp = (m + 9) % 12;                /* March = 0 .. February = 11 */
    doy = (153 * mp + 2) / 5 + d - 1; /* month lengths 31,30,31,30,31 repeat from March */
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * DAYS_PER_ERA + doe - EPOCH_SHIFT;
}

int64_t
ts_days_from_civil(int year, int month, int day)
{
    return days_from_civil64(year, month, day);
}

void
ts_civil_from_days(int64_t days, int *year, int *month, int *day)
{
    int64_t z, era, doe, yoe, doy, mp, m;

    /* keep the year inside int; callers stay far inside this anyway */
    if (days > INT64_C(365) * 2000000000)
        days = INT64_C(365) * 2000000000;
    if (days < -INT64_C(365) * 2000000000)
        days = -INT64_C(365) * 2000000000;
    z = days + EPOCH_SHIFT;
    era = floor_div(z, DAYS_PER_ERA);
    doe = z - era * DAYS_PER_ERA;                                /* 0..146096 */
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365; /* 0..399 */
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);               /* 0..365 */
    mp = (5 * doy + 2) / 153;                                    /* 0..11 */
    *day = (int)(doy - (153 * mp + 2) / 5 + 1);
    m = mp < 10 ? mp + 3 : mp - 9;
    *month = (int)m;
    *year = (int)(yoe + era * 400 + (m <= 2));
}

int
ts_days_in_month(int year, int month)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

    if (month < 1 || month > 12)
        return 0;
    if (month == 2 && is_leap(year))
        return 29;
    return days[month - 1];
}

static int64_t
clamp64(int64_t v, int64_t lo, int64_t hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

void
ts_to_civil(int64_t t, int tz_min, struct ts_civil *out)
{
    int64_t local, days, secs;

    t = clamp64(t, TS_MIN, TS_MAX);
    tz_min = (int)clamp64(tz_min, -OFFSET_MAX_MIN, OFFSET_MAX_MIN);
    local = t + (int64_t)tz_min * 60;
    days = floor_div(local, SECS_PER_DAY);
    secs = local - days * SECS_PER_DAY;
    ts_civil_from_days(days, &out->year, &out->month, &out->day);
    out->hour = (int)(secs / 3600);
    out->minute = (int)(secs / 60 % 60);
    out->second = (int)(secs % 60);
    out->wday = (int)((days % 7 + 7 + 4) % 7); /* 1970-01-01 was a Thursday */
}

int64_t
ts_from_civil(const struct ts_civil *c, int tz_min)
{
    int64_t days = days_from_civil64(c->year, c->month, c->day);

    return days * SECS_PER_DAY + (int64_t)c->hour * 3600 + (int64_t)c->minute * 60 + c->second -
           (int64_t)tz_min * 60;
}

/* Reads exactly `n` ASCII digits at p[*i..]; -1 if they are not all there. */
static int
digits(const char *p, size_t len, size_t *i, size_t n)
{
    int v = 0;

    if (len - *i < n)
        return -1;
    for (size_t k = 0; k < n; k++) {
        char c = p[*i + k];
        if (c < '0' || c > '9')
            return -1;
        v = v * 10 + (c - '0');
    }
    *i += n;
    return v;
}

/*
 * Parse a zone at p[0..len): "Z", "z", "+HH", "+HHMM", "+HH:MM" (or '-'),
 * all of it and nothing after. 0 on success.
 */
static int
parse_offset(const char *p, size_t len, int *minutes)
{
    size_t i = 1;
    int h, m = 0, sign;

    if (len == 1 && (p[0] == 'Z' || p[0] == 'z')) {
        *minutes = 0;
        return 0;
    }
    if (len == 0 || (p[0] != '+' && p[0] != '-'))
        return -1;
    sign = p[0] == '-' ? -1 : 1;
    if ((h = digits(p, len, &i, 2)) < 0)
        return -1;
    if (i < len) {
        if (p[i] == ':')
            i++;
        if ((m = digits(p, len, &i, 2)) < 0)
            return -1;
    }
    if (i != len || h > 23 || m > 59)
        return -1;
    *minutes = sign * (h * 60 + m);
    return 0;
}

int
ts_parse_offset(const char *s, int *minutes_out)
{
    if (s == NULL)
        return -1;
    return parse_offset(s, strlen(s), minutes_out);
}

static int
fail(struct err *e, const char *field, const char *reason, const char *what)
{
    return err_set(e, ERR_INVALID, field, reason, "%s: %s", field ? field : "time", what);
}

int
ts_parse(const char *s, size_t len, int tz_min, int64_t *out, bool *date_only, const char *field,
         struct err *e)
{
    struct ts_civil c = {0};
    bool no_time = true;
    size_t i = 0;
    int offset = tz_min;
    int64_t t;

    if (s == NULL || len == 0)
        return fail(e, field, "empty", "no date given");
    if ((c.year = digits(s, len, &i, 4)) < 0 || i == len || s[i++] != '-' ||
        (c.month = digits(s, len, &i, 2)) < 0 || i == len || s[i++] != '-' ||
        (c.day = digits(s, len, &i, 2)) < 0)
        return fail(e, field, "bad_format", "expected YYYY-MM-DD");
    if (i < len && (s[i] == 'T' || s[i] == 't' || s[i] == ' ')) {
        i++;
        no_time = false;
        if ((c.hour = digits(s, len, &i, 2)) < 0 || i == len || s[i++] != ':' ||
            (c.minute = digits(s, len, &i, 2)) < 0)
            return fail(e, field, "bad_format", "expected HH:MM after the date");
        if (i < len && s[i] == ':') {
            i++;
            if ((c.second = digits(s, len, &i, 2)) < 0)
                return fail(e, field, "bad_format", "expected two digits of seconds");
            if (i < len && (s[i] == '.' || s[i] == ',')) {
                size_t first = ++i;
                /* a complaint is timed to the minute: fractions are dropped */
                while (i < len && s[i] >= '0' && s[i] <= '9')
                    i++;
                if (i == first)
                    return fail(e, field, "bad_format", "expected digits after the decimal point");
            }
        }
    }
    if (i < len) {
        if (s[i] != 'Z' && s[i] != 'z' && s[i] != '+' && s[i] != '-')
            return fail(e, field, "bad_format", "unexpected text after the date-time");
        if (parse_offset(s + i, len - i, &offset) < 0)
            return fail(e, field, "bad_offset", "expected Z, +HH:MM, +HHMM or +HH");
    }
    if (c.month < 1 || c.month > 12 || c.day < 1 || c.day > ts_days_in_month(c.year, c.month))
        return fail(e, field, "bad_date", "no such day");
    if (c.hour > 23 || c.minute > 59 || c.second > 59)
        return fail(e, field, "bad_time", "no such time of day");
    t = ts_from_civil(&c, offset);
    if (t < TS_MIN || t > TS_MAX)
        return fail(e, field, "out_of_range", "outside 1970..9999");
    *out = t;
    if (date_only != NULL)
        *date_only = no_time;
    return 0;
}

size_t
ts_format(int64_t t, int tz_min, char out[TS_FORMAT_MAX])
{
    struct ts_civil c;
    int n, off;

    tz_min = (int)clamp64(tz_min, -OFFSET_MAX_MIN, OFFSET_MAX_MIN);
    ts_to_civil(t, tz_min, &c);
    n = snprintf(out, TS_FORMAT_MAX, "%04d-%02d-%02dT%02d:%02d:%02d", c.year, c.month, c.day,
                 c.hour, c.minute, c.second);
    if (tz_min == 0) {
        n += snprintf(out + n, TS_FORMAT_MAX - (size_t)n, "Z");
    } else {
        off = tz_min < 0 ? -tz_min : tz_min;
        n += snprintf(out + n, TS_FORMAT_MAX - (size_t)n, "%c%02d:%02d", tz_min < 0 ? '-' : '+',
                      off / 60, off % 60);
    }
    return (size_t)n;
}

int64_t
ts_now(void)
{
    struct timespec now;

    /* CLOCK_REALTIME cannot fail with a valid clock id and pointer */
    clock_gettime(CLOCK_REALTIME, &now);
    return (int64_t)now.tv_sec;
}
