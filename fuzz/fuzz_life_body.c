/*
 * Fuzz the decoders of the workflow routes (issue 4): the body_field kinds
 * they are built from (http_decode_fields_in with every kind), the contact
 * attempts of closing a complaint (http_decode_attempts) and a further
 * complainant (http_decode_person). The first byte picks the decoder:
 *   f  a body with a member of every field kind
 *   a  {"attempts": [...]} of a close request
 *   p  {"complainant": {...}} of POST .../people
 * Invariants:
 *   - what is accepted keeps its promises: enums from their sets, integers
 *     within bounds, amounts in fen within the loss limit, flags only known
 *     bits and never both set and cleared, attempts at most
 *     CORE_ATTEMPTS_MAX with a known method and a time not ahead of now,
 *     a person with a phone, an e-mail or anonymity;
 *   - a refusal is ERR_INVALID with a field and a reason, or ERR_NOMEM.
 */
#include "http/handlers.h"
#include "core/followup.h"
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

#define NOW 1795000000LL   /* a fixed "now", so that runs repeat */

static bool
in_set(const char *s, const char *const *set)
{
    for (; *set != NULL; set++)
        if (strcmp(s, *set) == 0)
            return true;
    return false;
}

static void
check_refusal(int rc, const struct err *e)
{
    CHECK(rc < 0);
    CHECK(e->code == ERR_INVALID || e->code == ERR_NOMEM);
    if (e->code == ERR_INVALID)
        CHECK(e->reason != NULL && e->reason[0] != '\0');
}

static void
check_text(const char *s, size_t max)
{
    if (s == NULL)
        return;
    CHECK(s[0] != '\0');
    CHECK(utf8_is_valid(s, strlen(s)));
    CHECK(utf8_len_chars(s, strlen(s)) <= max);
}

static void
fuzz_fields(const char *body, size_t len, struct arena *a)
{
    static const char *const colours[] = { "red", "green", NULL };
    const char *text = NULL, *para = NULL, *colour = NULL, **list = NULL;
    size_t n_list = 0;
    int64_t count = -1, amount = -1, cleared = 0;
    unsigned set = 0;
    bool flag = false, has_count = false, has_flag = false, has_amount = false, has_flags = false;
    const struct body_field fields[] = {
        { .key = "text", .kind = BODY_FIELD_TEXT, .max = 20, .text = &text },
        { .key = "para", .kind = BODY_FIELD_PARAGRAPH, .max = 200, .text = &para },
        { .key = "colour", .kind = BODY_FIELD_ENUM, .values = colours, .text = &colour },
        { .key = "count", .kind = BODY_FIELD_INT, .min = 1, .max = 99, .num = &count,
          .given = &has_count },
        { .key = "flag", .kind = BODY_FIELD_BOOL, .flag = &flag, .given = &has_flag },
        { .key = "amount", .kind = BODY_FIELD_AMOUNT, .num = &amount, .given = &has_amount },
        { .key = "flags", .kind = BODY_FIELD_FLAGS, .bits = &set, .num = &cleared,
          .given = &has_flags },
        { .key = "list", .kind = BODY_FIELD_LIST, .max = 5, .list = &list, .n = &n_list },
        { .key = NULL },
    };
    struct err e = { 0 };
    json_t *root = http_load_object(body, len, &e);
    int rc;

    if (root == NULL) {
        check_refusal(-1, &e);
        return;
    }
    rc = http_decode_fields_in(root, fields, NULL, a, &e);
    json_decref(root);
    if (rc < 0) {
        check_refusal(rc, &e);
        return;
    }
    check_text(text, 20);
    check_text(para, 200);
    CHECK(colour == NULL || in_set(colour, colours));
    CHECK(!has_count || (count >= 1 && count <= 99));
    CHECK(!has_amount || (amount >= 0 && amount <= CORE_LOSS_MAX_FEN));
    CHECK((set & (unsigned)cleared) == 0);
    CHECK(n_list <= 5);
}

static void
fuzz_attempts(const char *body, size_t len, struct arena *a)
{
    struct contact_attempt out[CORE_ATTEMPTS_MAX];
    size_t n = 99;
    struct err e = { 0 };
    json_t *root = http_load_object(body, len, &e);
    int rc;

    if (root == NULL) {
        check_refusal(-1, &e);
        return;
    }
    rc = http_decode_attempts(root, 480, NOW, a, out, &n, &e);
    json_decref(root);
    if (rc < 0) {
        check_refusal(rc, &e);
        return;
    }
    CHECK(n <= CORE_ATTEMPTS_MAX);
    for (size_t i = 0; i < n; i++) {
        CHECK(out[i].method != NULL && in_set(out[i].method, core_contact_methods));
        CHECK(out[i].at <= NOW + CORE_FUTURE_SKEW);
        check_text(out[i].note, 2000);
    }
}

static void
fuzz_person(const char *body, size_t len, struct arena *a)
{
    struct complainant_new p;
    struct err e = { 0 };
    int rc = http_decode_person(body, len, a, &p, &e);

    if (rc < 0) {
        check_refusal(rc, &e);
        return;
    }
    CHECK(p.anonymous || p.phone != NULL || p.email != NULL);
    CHECK(p.role != NULL && in_set(p.role, core_roles));
    check_text(p.name, CORE_NAME_MAX);
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
    case 'a':
        fuzz_attempts(buf, size - 1, a);
        break;
    case 'p':
        fuzz_person(buf, size - 1, a);
        break;
    default:
        fuzz_fields(buf, size - 1, a);
        break;
    }
    arena_free(a);
    free(buf);
    return 0;
}
