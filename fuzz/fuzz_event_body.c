/*
 * Fuzz the event body: http_decode_event() on arbitrary bytes. Invariants:
 *   - an accepted body has type "note" or "reply" and a text that is valid
 *     UTF-8, trimmed, non-empty, 1..10000 characters, without control
 *     characters other than tab, CR and LF; an author, when given, is one
 *     line of at most 64 characters;
 *   - a refusal is ERR_INVALID with a field and a reason from docs/api.md,
 *     or ERR_NOMEM / ERR_TOO_LARGE.
 */
#include "http/handlers.h"
#include "util/utf8.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                             \
    do {                                                                        \
        if (!(cond)) {                                                          \
            fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, \
                    #cond);                                                     \
            __builtin_trap();                                                   \
        }                                                                       \
    } while (0)

static bool
known_reason(const char *r)
{
    static const char *const reasons[] = { "required", "empty", "too_long", "bad_type",
                                           "bad_value", "bad_character", "unknown_field",
                                           "bad_json", "not_object", "bad_utf8" };

    for (size_t i = 0; i < sizeof(reasons) / sizeof(reasons[0]); i++)
        if (strcmp(r, reasons[i]) == 0)
            return true;
    return false;
}

static bool
edge_space(const char *s, size_t len)
{
    static const char ws[] = " \t\r\n";

    if (strchr(ws, s[0]) != NULL || strchr(ws, s[len - 1]) != NULL)
        return true;
    return len >= 3 && (memcmp(s, "\xe3\x80\x80", 3) == 0 ||
                        memcmp(s + len - 3, "\xe3\x80\x80", 3) == 0);
}

static void
check_text(const char *s, size_t max_chars, bool multiline)
{
    size_t len = strlen(s);

    CHECK(len > 0);
    CHECK(utf8_is_valid(s, len));
    CHECK(utf8_len_chars(s, len) <= max_chars);
    CHECK(!utf8_has_control(s, len, multiline));
    CHECK(!edge_space(s, len));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* exactly `size` bytes, so ASan catches a read past the end */
    char *buf = malloc(size ? size : 1);
    struct arena *a = arena_new(1 << 20);
    struct event_body ev;
    struct err e = { 0 };

    CHECK(buf != NULL && a != NULL);
    memcpy(buf, data, size);
    if (http_decode_event(buf, size, a, &ev, &e) == 0) {
        CHECK(e.code == ERR_OK);
        CHECK(ev.type != NULL && (strcmp(ev.type, "note") == 0 || strcmp(ev.type, "reply") == 0));
        CHECK(ev.text != NULL);
        check_text(ev.text, CORE_EVENT_TEXT_MAX, true);
        if (ev.author != NULL)
            check_text(ev.author, 64, false);
    } else {
        CHECK(e.code != ERR_OK && e.reason != NULL);
        if (e.code == ERR_INVALID) {
            CHECK(e.field != NULL && known_reason(e.reason));
        } else {
            CHECK(e.code == ERR_NOMEM || e.code == ERR_TOO_LARGE);
        }
    }
    arena_free(a);
    free(buf);
    return 0;
}
