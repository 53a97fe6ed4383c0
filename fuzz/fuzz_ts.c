/*
 * Fuzz ts_parse() and ts_parse_offset() on arbitrary bytes. Invariants checked:
 *   - an accepted time lies in TS_MIN..TS_MAX; ts_format() of it in UTC parses
 *     back to the same time, and so does its form in the parse's own zone
 *     whenever that has a four-digit year;
 *   - ts_to_civil() and ts_from_civil() are inverse on it, and the civil
 *     fields are in their documented ranges;
 *   - a refused input is ERR_INVALID on the given field with a reason from
 *     the header's list, and the outputs are untouched;
 *   - an accepted offset is within +-23:59.
 */
#include "util/ts.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #cond);           \
            __builtin_trap();                                                                      \
        }                                                                                          \
    } while (0)

static bool
known_reason(const char *r)
{
    static const char *const reasons[] = {"empty",    "bad_format", "bad_date",
                                          "bad_time", "bad_offset", "out_of_range"};

    for (size_t i = 0; i < sizeof(reasons) / sizeof(reasons[0]); i++)
        if (strcmp(r, reasons[i]) == 0)
            return true;
    return false;
}

static void
check_reparse(int64_t t, int tz)
{
    char out[TS_FORMAT_MAX];
    struct err e = {0};
    size_t n = ts_format(t, tz, out);
    int64_t back = -1;

    CHECK(n == strlen(out) && n < TS_FORMAT_MAX);
    if (out[4] != '-')
        return; /* year 10000 in a zone east of UTC: not ISO 8601's four digits */
    if (ts_parse(out, n, tz == 0 ? 123 : -tz, &back, NULL, "at", &e) != 0)
        fprintf(stderr, "'%s': %s\n", out, e.detail);
    CHECK(e.code == ERR_OK && back == t);
}

static void
check_civil(int64_t t, int tz)
{
    struct ts_civil c;

    ts_to_civil(t, tz, &c);
    CHECK(c.month >= 1 && c.month <= 12 && c.day >= 1 &&
          c.day <= ts_days_in_month(c.year, c.month));
    CHECK(c.hour >= 0 && c.hour <= 23 && c.minute >= 0 && c.minute <= 59 && c.second >= 0 &&
          c.second <= 59 && c.wday >= 0 && c.wday <= 6);
    CHECK(ts_from_civil(&c, tz) == t);
}

static void
parse_in(const char *buf, size_t size, int tz)
{
    struct err e = {0};
    int64_t t = -7;
    bool date_only = false;

    if (ts_parse(buf, size, tz, &t, &date_only, "at", &e) == 0) {
        CHECK(e.code == ERR_OK);
        CHECK(t >= TS_MIN && t <= TS_MAX);
        check_reparse(t, 0);
        check_reparse(t, tz);
        check_civil(t, tz);
        check_civil(t, 0);
    } else {
        CHECK(e.code == ERR_INVALID);
        CHECK(e.field != NULL && strcmp(e.field, "at") == 0);
        CHECK(e.reason != NULL && known_reason(e.reason));
        CHECK(t == -7 && !date_only);
    }
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* exactly `size` bytes, so ASan catches a read past the end */
    char *buf = malloc(size ? size : 1);
    char *text = malloc(size + 1);
    int minutes = 99999;

    CHECK(buf != NULL && text != NULL);
    memcpy(buf, data, size);
    parse_in(buf, size, 480);
    parse_in(buf, size, -330);
    parse_in(buf, size, 0);

    memcpy(text, data, size);
    text[size] = '\0';
    if (ts_parse_offset(text, &minutes) == 0)
        CHECK(minutes >= -1439 && minutes <= 1439);
    else
        CHECK(minutes == 99999);

    free(text);
    free(buf);
    return 0;
}
