/*
 * Fuzz the outside input of the customer portal and of project
 * administration (issue 6). The first byte picks what the rest is:
 *   c  the body of POST /api/portal/complaints (http_decode_portal_complaint)
 *   u  the body of POST /api/projects/{code}/units (http_decode_units)
 *   i  the bytes of a photo from the portal (http_image_type)
 * Invariants:
 *   - a filing accepted is a web complaint of a named customer with a
 *     canonical phone, received now (to the minute), its texts non-empty
 *     UTF-8 within their limits, lang "zh", "en" or absent;
 *   - units accepted are 1..HTTP_UNITS_MAX names of 1..HTTP_PLACE_MAX
 *     characters on one line, in a building of as many;
 *   - a refusal is ERR_INVALID with a field and a reason, or ERR_NOMEM,
 *     and names the portal's members, never the staff body's
 *     ("complainant.phone"), unless the customer sent one so named;
 *   - an image type is one of the four, and only for bytes that start so.
 */
#include "http/handlers.h"
#include "util/phone.h"
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

#define NOW 1795000030LL   /* a fixed "now", so that runs repeat */

static void
check_refusal(int rc, const struct err *e)
{
    CHECK(rc < 0);
    CHECK(e->code == ERR_INVALID || e->code == ERR_NOMEM);
    if (e->code == ERR_INVALID) {
        CHECK(e->reason != NULL && e->reason[0] != '\0');
        CHECK(e->field != NULL);
        /* only a member the customer sent under that name may be called so */
        CHECK(strncmp(e->field, "complainant.", 12) != 0 ||
              strcmp(e->reason, "unknown_field") == 0);
    }
}

static void
check_text(const char *s, size_t max, bool required)
{
    if (s == NULL) {
        CHECK(!required);
        return;
    }
    CHECK(s[0] != '\0');
    CHECK(utf8_is_valid(s, strlen(s)));
    CHECK(utf8_len_chars(s, strlen(s)) <= max);
}

static void
fuzz_filing(const char *body, size_t len, struct arena *a)
{
    struct complaint_new c;
    const char *lang;
    struct err e = { 0 };
    struct phone again;
    int rc = http_decode_portal_complaint(body, len, 480, NOW, a, &c, &lang, &e);

    if (rc < 0) {
        check_refusal(rc, &e);
        return;
    }
    CHECK(strcmp(c.channel, "web") == 0);
    CHECK(c.has_received_at && c.received_at == NOW - NOW % 60);
    CHECK(!c.complainant.anonymous && c.complainant.email == NULL);
    CHECK(c.complainant.phone != NULL);
    /* the canonical form parses to itself: it finds the complaint again */
    CHECK(phone_parse(c.complainant.phone, strlen(c.complainant.phone), &again, "phone", &e) == 0);
    CHECK(strcmp(again.norm, c.complainant.phone) == 0);
    check_text(c.project, 64, true);
    check_text(c.subject, CORE_SUBJECT_MAX, true);
    check_text(c.content, CORE_CONTENT_MAX, true);
    check_text(c.demands, CORE_DEMANDS_MAX, false);
    check_text(c.complainant.name, CORE_NAME_MAX, false);
    CHECK(c.unit == NULL || c.building != NULL);
    CHECK(c.subcategory == NULL && c.flags == 0 && !c.has_loss && c.headcount == 1);
    CHECK(lang == NULL || strcmp(lang, "zh") == 0 || strcmp(lang, "en") == 0);
}

static void
fuzz_units(const char *body, size_t len, struct arena *a)
{
    const char *building, **units;
    size_t n = 99;
    struct err e = { 0 };
    int rc = http_decode_units(body, len, a, &building, &units, &n, &e);

    if (rc < 0) {
        check_refusal(rc, &e);
        CHECK(units == NULL && n == 0);
        return;
    }
    check_text(building, HTTP_PLACE_MAX, true);
    CHECK(n >= 1 && n <= HTTP_UNITS_MAX);
    for (size_t i = 0; i < n; i++) {
        check_text(units[i], HTTP_PLACE_MAX, true);
        CHECK(strpbrk(units[i], "\r\n\t") == NULL);
    }
}

static void
fuzz_image(const unsigned char *p, size_t n)
{
    const char *type = http_image_type(p, n);

    if (type == NULL)
        return;
    if (strcmp(type, "image/png") == 0)
        CHECK(n >= 8 && p[0] == 0x89 && p[1] == 'P');
    else if (strcmp(type, "image/jpeg") == 0)
        CHECK(n >= 3 && p[0] == 0xFF && p[1] == 0xD8);
    else if (strcmp(type, "image/gif") == 0)
        CHECK(n >= 6 && memcmp(p, "GIF8", 4) == 0);
    else
        CHECK(strcmp(type, "image/webp") == 0 && n >= 12 && memcmp(p + 8, "WEBP", 4) == 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct arena *a;
    char *buf;

    if (size < 1)
        return 0;
    /* exactly the body's bytes, so ASan catches a read past the end */
    buf = malloc(size - 1 ? size - 1 : 1);
    a = arena_new(1 << 20);
    CHECK(buf != NULL && a != NULL);
    memcpy(buf, data + 1, size - 1);
    switch (data[0]) {
    case 'u':
        fuzz_units(buf, size - 1, a);
        break;
    case 'i':
        fuzz_image((const unsigned char *)buf, size - 1);
        break;
    default:
        fuzz_filing(buf, size - 1, a);
        break;
    }
    arena_free(a);
    free(buf);
    return 0;
}
