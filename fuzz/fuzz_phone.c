/*
 * Fuzz phone_parse() on arbitrary bytes. Invariants checked:
 *   - an accepted number's norm is NUL-terminated ASCII of digits and '-'
 *     inside PHONE_NORM_MAX, shaped as its kind says, and parses again to the
 *     same norm and kind (the canonical form is a fixed point);
 *   - phone_mask() of it keeps the length, changes only digits and only to
 *     '*', and hides at least four digits of a personal (non-400/800) number;
 *   - a refused input is ERR_INVALID on the given field with a reason from
 *     the header's list, and the output is untouched;
 *   - phone_mask() on any NUL-terminated text does not crash.
 */
#include "util/phone.h"

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
    static const char *const reasons[] = {"empty",        "bad_character", "bad_country_code",
                                          "bad_mobile",   "bad_area_code", "bad_length",
                                          "bad_extension"};

    for (size_t i = 0; i < sizeof(reasons) / sizeof(reasons[0]); i++)
        if (strcmp(r, reasons[i]) == 0)
            return true;
    return false;
}

static void
check_shape(const struct phone *p)
{
    size_t n = strnlen(p->norm, PHONE_NORM_MAX);

    CHECK(n > 0 && n < PHONE_NORM_MAX);
    for (size_t i = 0; i < n; i++)
        CHECK((p->norm[i] >= '0' && p->norm[i] <= '9') || p->norm[i] == '-');
    CHECK(p->norm[0] != '-' && p->norm[n - 1] != '-');
    CHECK(strstr(p->norm, "--") == NULL);
    switch (p->kind) {
    case PHONE_MOBILE:
        CHECK(n == 11 && p->norm[0] == '1' && p->norm[1] >= '3');
        break;
    case PHONE_LANDLINE:
        CHECK(p->norm[0] == '0' && strchr(p->norm, '-') != NULL);
        break;
    case PHONE_SERVICE:
        CHECK(n >= 12 && (memcmp(p->norm, "400-", 4) == 0 || memcmp(p->norm, "800-", 4) == 0));
        break;
    default:
        CHECK(!"unknown kind");
    }
}

static void
check_mask(const struct phone *p)
{
    char out[PHONE_NORM_MAX];
    size_t n = strlen(p->norm), hidden = 0;

    memset(out, 'Z', sizeof(out));
    phone_mask(p->norm, out);
    CHECK(strlen(out) == n);
    for (size_t i = 0; i < n; i++) {
        if (out[i] == p->norm[i])
            continue;
        CHECK(out[i] == '*' && p->norm[i] >= '0' && p->norm[i] <= '9');
        hidden++;
    }
    if (p->kind != PHONE_SERVICE)
        CHECK(hidden >= 3);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* exactly `size` bytes, so ASan catches a read past the end */
    char *buf = malloc(size ? size : 1);
    char *text = malloc(size + 1);
    char masked[PHONE_NORM_MAX];
    struct phone p, again;
    struct err e = {0};

    CHECK(buf != NULL && text != NULL);
    memcpy(buf, data, size);
    memset(&p, 0x5A, sizeof(p));
    if (phone_parse(buf, size, &p, "phone", &e) == 0) {
        CHECK(e.code == ERR_OK);
        check_shape(&p);
        CHECK(phone_parse(p.norm, strlen(p.norm), &again, "phone", &e) == 0);
        CHECK(strcmp(again.norm, p.norm) == 0 && again.kind == p.kind);
        check_mask(&p);
    } else {
        CHECK(e.code == ERR_INVALID);
        CHECK(e.field != NULL && strcmp(e.field, "phone") == 0);
        CHECK(e.reason != NULL && known_reason(e.reason));
        CHECK(p.norm[0] == 0x5A);
    }

    memcpy(text, data, size);
    text[size] = '\0';
    phone_mask(text, masked);
    CHECK(strlen(masked) < PHONE_NORM_MAX);

    free(text);
    free(buf);
    return 0;
}
