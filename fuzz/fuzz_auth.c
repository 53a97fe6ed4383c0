/*
 * Fuzz what a sign-in reads from outside: the Cookie and Authorization
 * headers and the flat body decoder (http_decode_fields, here with the
 * sign-in body). The first byte picks the target. Invariants:
 *   - a cookie value found is a substring of the header without ';';
 *   - a bearer token found is non-empty and has no space or tab;
 *   - an accepted sign-in body has a login (trimmed, 1..64 characters,
 *     valid UTF-8) and a password of 1..128 bytes without NUL, and a
 *     scopes list of codes; a refusal is ERR_INVALID naming a field, or
 *     ERR_NOMEM / ERR_TOO_LARGE.
 */
#include "core/account.h"
#include "http/handlers.h"
#include "util/utf8.h"

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

static void
fuzz_headers(const char *text, struct arena *a)
{
    const char *v = http_cookie_get(text, "kesu_session", a);
    const char *t = http_bearer_token(text, a);

    if (v != NULL) {
        CHECK(strchr(v, ';') == NULL);
        CHECK(strstr(text, v) != NULL);
    }
    if (t != NULL) {
        CHECK(*t != '\0');
        CHECK(strpbrk(t, " \t") == NULL);
    }
}

static void
fuzz_body(const char *body, size_t len, struct arena *a)
{
    const char *login = NULL, *password = NULL, **scopes = NULL;
    size_t n_scopes = 0;
    const struct body_field fields[] = {
        { .key = "login", .kind = BODY_FIELD_TEXT, .required = true, .max = 64, .text = &login },
        { .key = "password", .kind = BODY_FIELD_SECRET, .required = true, .max = CORE_PASSWORD_MAX,
          .text = &password },
        { .key = "scopes", .kind = BODY_FIELD_LIST, .max = 8, .list = &scopes, .n = &n_scopes },
        { .key = NULL },
    };
    struct err e = { 0 };

    if (http_decode_fields(body, len, fields, a, &e) == 0) {
        CHECK(login != NULL && password != NULL);
        CHECK(utf8_is_valid(login, strlen(login)) && utf8_len_chars(login, strlen(login)) <= 64);
        CHECK(strlen(password) >= 1 && strlen(password) <= CORE_PASSWORD_MAX);
        CHECK(n_scopes <= 8);
        for (size_t i = 0; i < n_scopes; i++)
            CHECK(scopes[i] != NULL && strlen(scopes[i]) >= 1 && strlen(scopes[i]) <= 64);
        CHECK(scopes == NULL || scopes[n_scopes] == NULL);
    } else {
        CHECK(e.code != ERR_OK && e.reason != NULL);
        CHECK(e.code != ERR_INVALID || e.field != NULL);
        CHECK(e.code == ERR_INVALID || e.code == ERR_NOMEM || e.code == ERR_TOO_LARGE);
    }
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *buf;
    struct arena *a;

    if (size == 0)
        return 0;
    buf = malloc(size);
    a = arena_new(1 << 20);
    CHECK(buf != NULL && a != NULL);
    memcpy(buf, data + 1, size - 1);
    if (data[0] & 1) {
        buf[size - 1] = '\0';   /* headers are C strings */
        fuzz_headers(buf, a);
    } else {
        fuzz_body(buf, size - 1, a);
    }
    arena_free(a);
    free(buf);
    return 0;
}
