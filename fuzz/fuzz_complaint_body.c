/*
 * Fuzz the registration body: http_decode_complaint() and then
 * core_complaint_check() on arbitrary bytes. Invariants checked:
 *   - an accepted body has channel, kind, role (and comm_type when set) from
 *     their value sets, and project, subject and content set;
 *   - every string is NUL-terminated valid UTF-8 without NUL inside, trimmed,
 *     non-empty, free of control characters (tab/CR/LF only in multi-line
 *     text) and within its limit counted in characters;
 *   - headcount is 1..100000, a loss 0..100000000 yuan, flags known bits,
 *     received_at (when given) inside TS_MIN..TS_MAX;
 *   - the phone is canonical: it parses again to itself; the e-mail passes
 *     core_email_check();
 *   - after core_complaint_check() succeeds, received_at is on a minute and
 *     not more than CORE_FUTURE_SKEW ahead, unit implies building,
 *     subcategory implies category, and a named complainant has a contact;
 *   - a refusal is an error with a code, and for ERR_INVALID a field and a
 *     reason from docs/api.md's list.
 */
#include "http/handlers.h"
#include "util/phone.h"
#include "util/ts.h"
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

#define NOW 1795329037LL     /* 2026-11-22T14:30:37+08:00 */

static bool
in_set(const char *s, const char *const *set)
{
    for (; *set != NULL; set++)
        if (*set == s)       /* the decoder hands out the table's own pointers */
            return true;
    return false;
}

static bool
known_reason(const char *r)
{
    static const char *const reasons[] = {
        "required", "empty", "too_long", "bad_type", "bad_value", "bad_character",
        "unknown_field", "too_small", "too_large", "bad_format", "bad_date", "bad_time",
        "bad_offset", "out_of_range", "in_future", "missing_time", "requires_building",
        "requires_category", "bad_email", "negative", "too_many_decimals", "bad_country_code",
        "bad_mobile", "bad_area_code", "bad_length", "bad_extension", "bad_json", "not_object",
        "bad_utf8",
    };

    for (size_t i = 0; i < sizeof(reasons) / sizeof(reasons[0]); i++)
        if (strcmp(r, reasons[i]) == 0)
            return true;
    return false;
}

static bool
is_space_edge(const char *s, size_t len, bool at_end)
{
    unsigned char c = (unsigned char)(at_end ? s[len - 1] : s[0]);

    if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
        return true;
    if (len >= 3) {
        const char *p = at_end ? s + len - 3 : s;
        return memcmp(p, "\xe3\x80\x80", 3) == 0;
    }
    return false;
}

/* A decoded text: NULL only when optional. */
static void
check_text(const char *s, bool required, size_t max_chars, bool multiline)
{
    size_t len;

    if (s == NULL) {
        CHECK(!required);
        return;
    }
    len = strlen(s);
    CHECK(len > 0);
    CHECK(utf8_is_valid(s, len));
    CHECK(utf8_len_chars(s, len) <= max_chars);
    CHECK(!utf8_has_control(s, len, multiline));
    CHECK(!is_space_edge(s, len, false) && !is_space_edge(s, len, true));
}

static void
check_decoded(const struct complaint_new *c)
{
    struct phone again;
    struct err e = { 0 };

    CHECK(c->channel != NULL && in_set(c->channel, core_channels));
    CHECK(c->kind != NULL && (strcmp(c->kind, "complaint") == 0 || in_set(c->kind, core_kinds)));
    CHECK(c->comm_type == NULL || in_set(c->comm_type, core_comm_types));
    CHECK(c->complainant.role != NULL &&
          (strcmp(c->complainant.role, "other") == 0 || in_set(c->complainant.role, core_roles)));
    check_text(c->received_by, false, 64, false);
    check_text(c->project, true, 64, false);
    check_text(c->building, false, 64, false);
    check_text(c->unit, false, 64, false);
    check_text(c->subject, true, CORE_SUBJECT_MAX, false);
    check_text(c->content, true, CORE_CONTENT_MAX, true);
    check_text(c->demands, false, CORE_DEMANDS_MAX, true);
    check_text(c->category, false, 64, false);
    check_text(c->subcategory, false, 64, false);
    check_text(c->complainant.name, false, CORE_NAME_MAX, false);
    check_text(c->complainant.email, false, CORE_EMAIL_MAX, false);
    if (c->complainant.email != NULL)
        CHECK(core_email_check("e", c->complainant.email, &e) == 0);
    if (c->complainant.phone != NULL) {
        const char *p = c->complainant.phone;
        CHECK(strlen(p) > 0 && strlen(p) < PHONE_NORM_MAX);
        CHECK(phone_parse(p, strlen(p), &again, "p", &e) == 0);
        CHECK(strcmp(again.norm, p) == 0);
    }
    CHECK(c->headcount >= 1 && c->headcount <= CORE_HEADCOUNT_MAX);
    if (c->has_loss)
        CHECK(c->loss_fen >= 0 && c->loss_fen <= CORE_LOSS_MAX_FEN);
    else
        CHECK(c->loss_fen == 0);
    CHECK((c->flags & ~0x3Fu) == 0);
    if (c->has_received_at)
        CHECK(c->received_at >= TS_MIN && c->received_at <= TS_MAX);
}

static void
check_checked(const struct complaint_new *c)
{
    CHECK(c->has_received_at);
    CHECK(c->received_at % 60 == 0);
    CHECK(c->received_at <= NOW + CORE_FUTURE_SKEW);
    CHECK(c->unit == NULL || c->building != NULL);
    CHECK(c->subcategory == NULL || c->category != NULL);
    CHECK(c->complainant.anonymous || c->complainant.phone != NULL ||
          c->complainant.email != NULL);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* exactly `size` bytes, so ASan catches a read past the end */
    char *buf = malloc(size ? size : 1);
    struct arena *a = arena_new(1 << 20);
    struct complaint_new c;
    struct err e = { 0 };

    CHECK(buf != NULL && a != NULL);
    memcpy(buf, data, size);
    if (http_decode_complaint(buf, size, 480, a, &c, &e) == 0) {
        CHECK(e.code == ERR_OK);
        check_decoded(&c);
        if (core_complaint_check(&c, NOW, &e) == 0) {
            CHECK(e.code == ERR_OK);
            check_checked(&c);
        } else {
            CHECK(e.code == ERR_INVALID && e.field != NULL && e.reason != NULL);
            CHECK(known_reason(e.reason));
        }
    } else {
        CHECK(e.code != ERR_OK && e.reason != NULL);
        if (e.code == ERR_INVALID) {
            /* a member named "" is reported by its (empty) name */
            CHECK(e.field != NULL &&
                  (e.field[0] != '\0' || strcmp(e.reason, "unknown_field") == 0));
            CHECK(known_reason(e.reason));
        } else {
            CHECK(e.code == ERR_NOMEM || e.code == ERR_TOO_LARGE);
        }
    }
    arena_free(a);
    free(buf);
    return 0;
}
