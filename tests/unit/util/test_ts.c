#include "testutil.h"

#include "util/ts.h"

#include <stdio.h>

#define CN 480 /* China, minutes east of UTC */

/* Expected values were computed independently (Python's datetime). */
static const struct {
    const char *in;
    int tz;
    int64_t t;
    bool date_only;
} good[] = {
    {"2026-01-01T00:00+08:00", 0, 1767196800, false},
    {"2026-01-01", CN, 1767196800, true},
    {"2026-11-22", CN, 1795276800, true},
    {"2026-11-22", -300, 1795323600, true},
    {"2026-11-22Z", CN, 1795276800 + 8 * 3600, true},
    {"2026-11-22+08:00", 0, 1795276800, true},
    {"2026-11-22T14:30", CN, 1795329000, false},
    {"2026-11-22 14:30", CN, 1795329000, false},
    {"2026-11-22t14:30", CN, 1795329000, false},
    {"2026-11-22T14:30:05", CN, 1795329005, false},
    {"2026-11-22T14:30:05.123", CN, 1795329005, false},
    {"2026-11-22T14:30:05.999999999", CN, 1795329005, false},
    {"2026-11-22T14:30:05,5", CN, 1795329005, false},
    {"2026-11-22T14:30:05.1Z", CN, 1795357805, false},
    /* offsets */
    {"2026-11-22T06:30Z", CN, 1795329000, false},
    {"2026-11-22T06:30z", CN, 1795329000, false},
    {"2026-11-22T14:30+08:00", 0, 1795329000, false},
    {"2026-11-22T14:30+0800", 0, 1795329000, false},
    {"2026-11-22T14:30+08", 0, 1795329000, false},
    {"2026-11-22T14:30:05.5+08:00", 0, 1795329005, false},
    {"2026-11-22T14:30-05:30", CN, 1795377600, false},
    {"2026-11-22T14:30-0530", CN, 1795377600, false},
    {"2026-11-22T14:30:00-00:00", CN, 1795357800, false},
    {"2026-11-22T14:30+23:59", 0, 1795357800 - 1439 * 60, false},
    /* leap years and month ends */
    {"2024-02-29", CN, 1709136000, true},
    {"2000-02-29", CN, 951753600, true},
    {"2026-01-31", CN, 1769788800, true},
    {"2026-04-30T12:00", CN, 1777521600, false},
    {"2026-12-31T23:59:59Z", CN, 1798761599, false},
    {"2026-11-22T23:59", CN, 1795363140, false},
    /* both ends of the range */
    {"1970-01-01T00:00:00Z", CN, 0, false},
    {"1970-01-01T08:00+08:00", 0, 0, false},
    {"1970-01-01", 0, 0, true},
    {"1969-12-31T19:00-05:00", 0, 0, false}, /* the instant counts, not the year */
    {"9999-12-31T23:59:59Z", CN, TS_MAX, false},
    {"9999-12-31T23:59:59.999Z", CN, TS_MAX, false},
    {"9999-12-31", 0, TS_MAX - 86399, true},
};

static const struct {
    const char *in;
    size_t len; /* 0: strlen(in) */
    int tz;
    const char *reason;
} bad[] = {
    {"", 0, CN, "empty"},
    /* format */
    {" 2026-11-22", 0, CN, "bad_format"},
    {"2026-11-22 ", 0, CN, "bad_format"},
    {"2026-11-22\n", 0, CN, "bad_format"},
    {"2026-1-22", 0, CN, "bad_format"},
    {"26-11-22", 0, CN, "bad_format"},
    {"2026/11/22", 0, CN, "bad_format"},
    {"20261122", 0, CN, "bad_format"},
    {"2026-11", 0, CN, "bad_format"},
    {"2026-11-", 0, CN, "bad_format"},
    {"2026-11-2", 0, CN, "bad_format"},
    {"2026-11-22T", 0, CN, "bad_format"},
    {"2026-11-22T14", 0, CN, "bad_format"},
    {"2026-11-22T14:", 0, CN, "bad_format"},
    {"2026-11-22T14:3", 0, CN, "bad_format"},
    {"2026-11-22T1430", 0, CN, "bad_format"},
    {"2026-11-22T14:30:", 0, CN, "bad_format"},
    {"2026-11-22T14:30:5", 0, CN, "bad_format"},
    {"2026-11-22T14:30:05.", 0, CN, "bad_format"},
    {"2026-11-22T14:30.5", 0, CN, "bad_format"},
    {"2026-11-22T14:30 +08:00", 0, CN, "bad_format"},
    {"2026-11-22X", 0, CN, "bad_format"},
    {"2026-11-22T14:30:05.12a", 0, CN, "bad_format"},
    {"+2026-11-22", 0, CN, "bad_format"},
    {"-026-11-22", 0, CN, "bad_format"},
    {"2026-11-22\0junk", 15, CN, "bad_format"},
    {"２０２６-11-22", 0, CN, "bad_format"},
    /* date */
    {"2026-02-29", 0, CN, "bad_date"},
    {"2026-02-30", 0, CN, "bad_date"},
    {"1900-02-29", 0, CN, "bad_date"},
    {"2100-02-29", 0, CN, "bad_date"},
    {"2026-04-31", 0, CN, "bad_date"},
    {"2026-01-32", 0, CN, "bad_date"},
    {"2026-01-00", 0, CN, "bad_date"},
    {"2026-00-10", 0, CN, "bad_date"},
    {"2026-13-01", 0, CN, "bad_date"},
    {"2026-02-30T24:00", 0, CN, "bad_date"}, /* the date is checked first */
    /* time */
    {"2026-11-22T24:00", 0, CN, "bad_time"},
    {"2026-11-22T12:60", 0, CN, "bad_time"},
    {"2026-11-22T23:59:60", 0, CN, "bad_time"},
    {"2026-11-22T99:99", 0, CN, "bad_time"},
    /* offset */
    {"2026-11-22T14:30+8", 0, CN, "bad_offset"},
    {"2026-11-22T14:30+08:0", 0, CN, "bad_offset"},
    {"2026-11-22T14:30+080", 0, CN, "bad_offset"},
    {"2026-11-22T14:30+08:", 0, CN, "bad_offset"},
    {"2026-11-22T14:30+24:00", 0, CN, "bad_offset"},
    {"2026-11-22T14:30+08:60", 0, CN, "bad_offset"},
    {"2026-11-22T14:30+08:00:00", 0, CN, "bad_offset"},
    {"2026-11-22T14:30+08:00 ", 0, CN, "bad_offset"},
    {"2026-11-22T14:30+08:00Z", 0, CN, "bad_offset"},
    {"2026-11-22T14:30Zulu", 0, CN, "bad_offset"},
    {"2026-11-22T14:30-", 0, CN, "bad_offset"},
    {"2026-11-22-", 0, CN, "bad_offset"},
    /* range */
    {"1969-12-31T23:59:59Z", 0, CN, "out_of_range"},
    {"1970-01-01T00:00+08:00", 0, 0, "out_of_range"},
    {"1970-01-01", 0, CN, "out_of_range"}, /* local midnight is before 1970 UTC */
    {"0000-01-01", 0, CN, "out_of_range"},
    {"9999-12-31T23:59:59-00:01", 0, CN, "out_of_range"},
    {"9999-12-31T23:59", 0, -60, "out_of_range"},
};

static void
test_ts_parse_good(void **state)
{
    (void)state;
    for (size_t i = 0; i < TEST_ARRAY_LEN(good); i++) {
        struct err e = {0};
        int64_t t = -12345;
        bool date_only = !good[i].date_only;

        if (ts_parse(good[i].in, strlen(good[i].in), good[i].tz, &t, &date_only, "at", &e) != 0)
            fail_msg("case %zu '%s': %s", i, good[i].in, e.detail);
        assert_int_equal(e.code, ERR_OK);
        if (t != good[i].t)
            fail_msg("case %zu '%s': %lld, want %lld", i, good[i].in, (long long)t,
                     (long long)good[i].t);
        assert_int_equal(date_only, good[i].date_only);
        /* date_only is optional */
        assert_int_equal(ts_parse(good[i].in, strlen(good[i].in), good[i].tz, &t, NULL, "at", &e),
                         0);
    }
}

static void
test_ts_parse_bad(void **state)
{
    (void)state;
    for (size_t i = 0; i < TEST_ARRAY_LEN(bad); i++) {
        size_t len = bad[i].len ? bad[i].len : strlen(bad[i].in);
        struct err e = {0};
        int64_t t = -12345;
        bool date_only = true;

        if (ts_parse(bad[i].in, len, bad[i].tz, &t, &date_only, "received_at", &e) != -1)
            fail_msg("case %zu '%s' accepted as %lld", i, bad[i].in, (long long)t);
        assert_int_equal(e.code, ERR_INVALID);
        if (strcmp(e.reason, bad[i].reason) != 0)
            fail_msg("case %zu '%s': reason %s, want %s", i, bad[i].in, e.reason, bad[i].reason);
        assert_string_equal(e.field, "received_at");
        assert_int_equal(t, -12345); /* outputs untouched on failure */
        assert_true(date_only);
    }
}

static void
test_ts_parse_length_honoured(void **state)
{
    struct err e = {0};
    int64_t t;

    (void)state;
    assert_int_equal(ts_parse("2026-01-01T00:00+08:00garbage", 22, 0, &t, NULL, "at", &e), 0);
    assert_int_equal(t, 1767196800);
    assert_int_equal(ts_parse(NULL, 0, 0, &t, NULL, "at", &e), -1);
    assert_string_equal(e.reason, "empty");
    /* first error wins */
    assert_int_equal(ts_parse("x", 1, 0, &t, NULL, "other", &e), -1);
    assert_string_equal(e.reason, "empty");
    assert_string_equal(e.field, "at");
}

static void
test_ts_parse_offset(void **state)
{
    static const struct {
        const char *in;
        int ok;
        int min;
    } cases[] = {
        {"+08:00", 0, 480},  {"-05:30", 0, -330},  {"+0800", 0, 480},  {"+08", 0, 480},
        {"Z", 0, 0},         {"z", 0, 0},          {"-00:00", 0, 0},   {"+00:00", 0, 0},
        {"+23:59", 0, 1439}, {"-23:59", 0, -1439}, {"+05:45", 0, 345}, {"+14:00", 0, 840},
        {"", -1, 0},         {"+", -1, 0},         {"+8", -1, 0},      {"+24:00", -1, 0},
        {"+08:60", -1, 0},   {"08:00", -1, 0},     {"+08:00 ", -1, 0}, {" +08:00", -1, 0},
        {"UTC", -1, 0},      {"+080", -1, 0},      {"+08:000", -1, 0}, {"+08:0", -1, 0},
        {"ZZ", -1, 0},       {"+８", -1, 0},       {"+0a:00", -1, 0},
    };

    (void)state;
    for (size_t i = 0; i < TEST_ARRAY_LEN(cases); i++) {
        int m = 99999;
        int rc = ts_parse_offset(cases[i].in, &m);

        if (rc != cases[i].ok)
            fail_msg("case %zu '%s': rc %d", i, cases[i].in, rc);
        assert_int_equal(m, cases[i].ok == 0 ? cases[i].min : 99999);
    }
    assert_int_equal(ts_parse_offset(NULL, &(int){0}), -1);
}

static void
test_ts_format(void **state)
{
    static const struct {
        int64_t t;
        int tz;
        const char *out;
    } cases[] = {
        {0, 0, "1970-01-01T00:00:00Z"},
        {0, CN, "1970-01-01T08:00:00+08:00"},
        {0, -300, "1969-12-31T19:00:00-05:00"},
        {1767196800, CN, "2026-01-01T00:00:00+08:00"},
        {1795329005, CN, "2026-11-22T14:30:05+08:00"},
        {1795377600, -330, "2026-11-22T14:30:00-05:30"},
        {1795357800, 1439, "2026-11-23T14:29:00+23:59"},
        {TS_MAX, 0, "9999-12-31T23:59:59Z"},
        {TS_MAX, CN, "10000-01-01T07:59:59+08:00"},
        /* clamped so the year stays printable */
        {-1, 0, "1970-01-01T00:00:00Z"},
        {INT64_MIN, 0, "1970-01-01T00:00:00Z"},
        {INT64_MAX, 0, "9999-12-31T23:59:59Z"},
        {0, 100000, "1970-01-01T23:59:00+23:59"},
        {0, -100000, "1969-12-31T00:01:00-23:59"},
    };
    char out[TS_FORMAT_MAX];

    (void)state;
    for (size_t i = 0; i < TEST_ARRAY_LEN(cases); i++) {
        size_t n = ts_format(cases[i].t, cases[i].tz, out);
        if (strcmp(out, cases[i].out) != 0)
            fail_msg("case %zu: '%s', want '%s'", i, out, cases[i].out);
        assert_int_equal(n, strlen(cases[i].out));
    }
}

/* format(parse(x)) == x for text already in the canonical form. */
static void
test_ts_round_trip(void **state)
{
    static const struct {
        const char *s;
        int tz;
    } cases[] = {
        {"2026-11-22T14:30:05+08:00", CN},  {"2026-01-01T00:00:00+08:00", CN},
        {"2024-02-29T23:59:59+08:00", CN},  {"2000-02-29T12:00:00Z", 0},
        {"1970-01-01T00:00:00Z", 0},        {"1970-01-01T08:00:00+08:00", CN},
        {"9999-12-31T23:59:59Z", 0},        {"2026-03-08T02:30:00-05:30", -330},
        {"2026-12-31T23:59:59+05:45", 345},
    };
    char out[TS_FORMAT_MAX];

    (void)state;
    for (size_t i = 0; i < TEST_ARRAY_LEN(cases); i++) {
        struct err e = {0};
        int64_t t;

        assert_int_equal(ts_parse(cases[i].s, strlen(cases[i].s), 0, &t, NULL, "at", &e), 0);
        ts_format(t, cases[i].tz, out);
        assert_string_equal(out, cases[i].s);
    }
}

static void
test_ts_to_civil(void **state)
{
    static const struct {
        int64_t t;
        int tz;
        struct ts_civil c;
    } cases[] = {
        {0, 0, {1970, 1, 1, 0, 0, 0, 4}},               /* a Thursday */
        {1795329005, CN, {2026, 11, 22, 14, 30, 5, 0}}, /* a Sunday */
        {1795276800, CN, {2026, 11, 22, 0, 0, 0, 0}},
        {1795276799, CN, {2026, 11, 21, 23, 59, 59, 6}},
        {1795363140 + 3600, CN, {2026, 11, 23, 0, 59, 0, 1}},
        {1795357800 + 6 * 3600, 0, {2026, 11, 22, 20, 30, 0, 0}},
        {1795357800 + 6 * 3600, CN, {2026, 11, 23, 4, 30, 0, 1}},
        {1709136000, CN, {2024, 2, 29, 0, 0, 0, 4}},
        {946684800, 0, {2000, 1, 1, 0, 0, 0, 6}},
        {0, -300, {1969, 12, 31, 19, 0, 0, 3}},
        {TS_MAX, 0, {9999, 12, 31, 23, 59, 59, 5}},
        {-86400 * 400LL, 0, {1970, 1, 1, 0, 0, 0, 4}}, /* clamped */
    };

    (void)state;
    for (size_t i = 0; i < TEST_ARRAY_LEN(cases); i++) {
        struct ts_civil c;

        ts_to_civil(cases[i].t, cases[i].tz, &c);
        if (memcmp(&c, &cases[i].c, sizeof(c)) != 0)
            fail_msg("case %zu: %04d-%02d-%02d %02d:%02d:%02d wday %d", i, c.year, c.month, c.day,
                     c.hour, c.minute, c.second, c.wday);
    }
}

static void
test_ts_from_civil(void **state)
{
    struct ts_civil c = {2026, 1, 1, 0, 0, 0, 3 /* ignored */};

    (void)state;
    assert_int_equal(ts_from_civil(&c, CN), 1767196800);
    assert_int_equal(ts_from_civil(&c, 0), 1767196800 + 8 * 3600);
    c = (struct ts_civil){1970, 1, 1, 0, 0, 0, 0};
    assert_int_equal(ts_from_civil(&c, 0), 0);
    assert_int_equal(ts_from_civil(&c, CN), -8 * 3600);
    c = (struct ts_civil){9999, 12, 31, 23, 59, 59, 0};
    assert_int_equal(ts_from_civil(&c, 0), TS_MAX);
    /* fields past their end carry over: useful for "day + 1" */
    c = (struct ts_civil){2026, 1, 32, 0, 0, 0, 0};
    assert_int_equal(ts_from_civil(&c, CN), 1767196800 + 31 * 86400LL);
    c = (struct ts_civil){2025, 13, 1, 0, 0, 0, 0};
    assert_int_equal(ts_from_civil(&c, CN), 1767196800);
    c = (struct ts_civil){2026, 1, 1, 24, 0, 0, 0};
    assert_int_equal(ts_from_civil(&c, CN), 1767196800 + 86400);
    c = (struct ts_civil){2026, 0, 1, 0, 0, 0, 0};
    assert_int_equal(ts_from_civil(&c, 0), ts_days_from_civil(2025, 12, 1) * 86400);

    /* every minute offset round-trips through ts_to_civil */
    for (int tz = -1439; tz <= 1439; tz += 7) {
        struct ts_civil back;
        ts_to_civil(1795329005, tz, &back);
        assert_int_equal(ts_from_civil(&back, tz), 1795329005);
    }
}

static void
test_ts_days_anchors(void **state)
{
    static const struct {
        int y, m, d;
        int64_t days;
    } cases[] = {
        {1970, 1, 1, 0},         {1969, 12, 31, -1},    {2000, 1, 1, 10957},
        {2000, 3, 1, 11017},     {2024, 2, 29, 19782},  {2026, 1, 1, 20454},
        {2026, 11, 22, 20779},   {1600, 1, 1, -135140}, {2400, 12, 31, 157419},
        {9999, 12, 31, 2932896},
    };

    (void)state;
    for (size_t i = 0; i < TEST_ARRAY_LEN(cases); i++) {
        int y, m, d;

        assert_int_equal(ts_days_from_civil(cases[i].y, cases[i].m, cases[i].d), cases[i].days);
        ts_civil_from_days(cases[i].days, &y, &m, &d);
        assert_int_equal(y, cases[i].y);
        assert_int_equal(m, cases[i].m);
        assert_int_equal(d, cases[i].d);
    }
}

/*
 * Walk day by day across 1600..2400 (both century rules, ~292k days): each day
 * must follow the previous one by the calendar's own rules, and the two
 * functions must be inverse.
 */
static void
test_ts_days_walk(void **state)
{
    int64_t first = ts_days_from_civil(1600, 1, 1);
    int64_t last = ts_days_from_civil(2400, 12, 31);
    int py = 1599, pm = 12, pd = 31;

    (void)state;
    for (int64_t n = first; n <= last; n++) {
        int y, m, d;

        ts_civil_from_days(n, &y, &m, &d);
        if (pd < ts_days_in_month(py, pm)) {
            assert_true(y == py && m == pm && d == pd + 1);
        } else if (pm < 12) {
            assert_true(y == py && m == pm + 1 && d == 1);
        } else {
            assert_true(y == py + 1 && m == 1 && d == 1);
        }
        if (ts_days_from_civil(y, m, d) != n)
            fail_msg("day %lld: %04d-%02d-%02d maps back wrongly", (long long)n, y, m, d);
        py = y, pm = m, pd = d;
    }
    assert_true(py == 2400 && pm == 12 && pd == 31);
}

static void
test_ts_days_in_month(void **state)
{
    static const struct {
        int y, m, n;
    } cases[] = {
        {2026, 1, 31},  {2026, 2, 28}, {2024, 2, 29}, {2000, 2, 29}, {1900, 2, 28}, {2100, 2, 28},
        {2026, 4, 30},  {2026, 6, 30}, {2026, 7, 31}, {2026, 8, 31}, {2026, 9, 30}, {2026, 11, 30},
        {2026, 12, 31}, {2026, 0, 0},  {2026, 13, 0}, {2026, -1, 0},
    };

    (void)state;
    for (size_t i = 0; i < TEST_ARRAY_LEN(cases); i++)
        assert_int_equal(ts_days_in_month(cases[i].y, cases[i].m), cases[i].n);
}

static void
test_ts_now(void **state)
{
    (void)state;
    assert_true(ts_now() > 1700000000); /* 2023-11-14: after this code was written */
    assert_true(ts_now() < TS_MAX);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ts_parse_good),
        cmocka_unit_test(test_ts_parse_bad),
        cmocka_unit_test(test_ts_parse_length_honoured),
        cmocka_unit_test(test_ts_parse_offset),
        cmocka_unit_test(test_ts_format),
        cmocka_unit_test(test_ts_round_trip),
        cmocka_unit_test(test_ts_to_civil),
        cmocka_unit_test(test_ts_from_civil),
        cmocka_unit_test(test_ts_days_anchors),
        cmocka_unit_test(test_ts_days_walk),
        cmocka_unit_test(test_ts_days_in_month),
        cmocka_unit_test(test_ts_now),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
