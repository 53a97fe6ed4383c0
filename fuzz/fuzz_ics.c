/*
 * Fuzz ics_parse() (util/ics.h) on arbitrary bytes: an administrator
 * uploads iCalendar files from anywhere. Invariants checked:
 *   - an accepted file gives 1..ICS_EVENTS_MAX events, each a range of
 *     1..ICS_RANGE_MAX days within 1970-01-01 .. 9999-12-31, of a known
 *     kind, named by valid UTF-8 of at most ICS_NAME_MAX characters with no
 *     control character and no space at either end;
 *   - a refused file is ERR_INVALID on "ics" with a reason from the
 *     header's list (or the arena's ERR_TOO_LARGE / ERR_NOMEM), and the
 *     outputs are untouched;
 *   - libical's per-thread error number is left clear either way.
 */
#include "util/arena.h"
#include "util/ics.h"
#include "util/ts.h"
#include "util/utf8.h"

#include <libical/ical.h>
#include <stdbool.h>
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
    static const char *const reasons[] = {
        "empty",        "too_long",  "bad_character", "bad_utf8",     "not_vcalendar",
        "too_many",     "no_events", "bad_format",    "missing_date", "bad_date",
        "not_all_day",  "recurring", "bad_range",     "range_too_long", "out_of_range",
        "bad_kind",
    };

    for (size_t i = 0; i < sizeof(reasons) / sizeof(reasons[0]); i++)
        if (strcmp(r, reasons[i]) == 0)
            return true;
    return false;
}

static void
check_event(const struct ics_event *ev)
{
    size_t len;

    CHECK(ev->first >= 0 && ev->first <= ev->last);
    CHECK(ev->last <= ts_days_from_civil(9999, 12, 31));
    CHECK(ev->last - ev->first + 1 <= ICS_RANGE_MAX);
    CHECK(ev->kind == ICS_HOLIDAY || ev->kind == ICS_WORKDAY);
    CHECK(ev->name != NULL);
    len = strlen(ev->name);
    CHECK(utf8_is_valid(ev->name, len));
    CHECK(utf8_len_chars(ev->name, len) <= ICS_NAME_MAX);
    CHECK(!utf8_has_control(ev->name, len, false));
    for (size_t i = 0; i < len; i++)
        CHECK((unsigned char)ev->name[i] >= 0x20);
    CHECK(len == 0 || (ev->name[0] != ' ' && ev->name[len - 1] != ' '));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* exactly `size` bytes, no NUL after them: ASan catches a read past the end */
    char *text = malloc(size ? size : 1);
    struct arena *a = arena_new(16u << 20);
    struct ics_event *ev = (struct ics_event *)(uintptr_t)8;
    size_t n = 99;
    struct err e = { 0 };

    CHECK(text != NULL && a != NULL);
    memcpy(text, data, size);
    if (ics_parse(text, size, a, &ev, &n, &e) == 0) {
        CHECK(e.code == ERR_OK);
        CHECK(n >= 1 && n <= ICS_EVENTS_MAX);
        for (size_t i = 0; i < n; i++)
            check_event(&ev[i]);
    } else {
        CHECK(e.reason != NULL);
        if (e.code == ERR_INVALID) {
            CHECK(e.field != NULL && strcmp(e.field, "ics") == 0);
            CHECK(known_reason(e.reason));
        } else {
            CHECK(e.code == ERR_TOO_LARGE || e.code == ERR_NOMEM);
        }
        CHECK(ev == (struct ics_event *)(uintptr_t)8 && n == 99);
    }
    CHECK(icalerrno == ICAL_NO_ERROR);
    arena_free(a);
    free(text);
    return 0;
}
