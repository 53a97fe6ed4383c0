/*
 * Fuzz the decoders of the administration and privacy routes
 * (http/decode_admin.c). The first byte picks the decoder, the rest is its
 * input:
 *   u  POST /api/users body          r  POST /api/users/:login/roles body
 *   s  .../status body               p  .../password body (login "wangwei")
 *   t  POST /api/tokens body         i  the :id of DELETE /api/tokens/:id
 *   v  POST .../contact body         x  POST /api/exports/complaints body
 *   a  GET /api/audit raw query string (through http_query_parse)
 * Invariants:
 *   - what is accepted is what the routes promise: logins, passwords and
 *     phones that pass their own checks again; roles from the list, a project
 *     exactly for the project roles, no role twice; scopes and contact fields
 *     within their masks and not empty; statuses from the value set, no
 *     repeats; a time range that ends after it starts; limit 1..500;
 *   - a refusal is ERR_INVALID with a field and a reason from the list
 *     below (ERR_NOT_FOUND "id" for a token id), or ERR_NOMEM / ERR_TOO_LARGE.
 */
#include "http/decode_admin.h"
#include "core/account.h"
#include "core/complaint.h"
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

static bool
one_of(const char *s, const char *const *set)
{
    for (; *set != NULL; set++)
        if (strcmp(s, *set) == 0)
            return true;
    return false;
}

static const char *const reasons[] = {
    "required", "empty", "too_long", "too_short", "too_many", "bad_type", "bad_value",
    "bad_character", "unknown_field", "unknown_parameter", "repeated", "bad_json", "not_object",
    "bad_utf8", "bad_format", "bad_date", "bad_time", "bad_offset", "out_of_range",
    "before_from", "bad_email", "bad_country_code", "bad_mobile", "bad_area_code", "bad_length",
    "bad_extension", "too_simple", "contains_login", "common", "unknown", "company_role",
    "exclusive", NULL,
};

static bool
is_code(const char *s)
{
    if (s[0] == '\0' || strlen(s) > 64)
        return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              *s == '_' || *s == '-'))
            return false;
    return true;
}

static void
check_text(const char *s, size_t max_chars)
{
    size_t len = strlen(s);

    CHECK(len > 0 && utf8_is_valid(s, len));
    CHECK(utf8_len_chars(s, len) <= max_chars);
    CHECK(!utf8_has_control(s, len, false));
}

static void
check_membership(const struct membership *m)
{
    CHECK(m->role != NULL && one_of(m->role, core_roles_staff));
    CHECK(core_role_is_company(m->role) == (m->project == NULL));
    if (m->project != NULL)
        CHECK(is_code(m->project));
    if (m->department != NULL)
        CHECK(is_code(m->department));
}

static bool
same_text(const char *x, const char *y)
{
    return x == NULL ? y == NULL : y != NULL && strcmp(x, y) == 0;
}

static bool
same_membership(const struct membership *x, const struct membership *y)
{
    return strcmp(x->role, y->role) == 0 && same_text(x->project, y->project) &&
           same_text(x->department, y->department);
}

static void
check_user(const struct user_body *u)
{
    struct err e = { 0 };
    struct phone ph;

    CHECK(core_login_check(u->login, &e) == 0);
    check_text(u->name, CORE_NAME_MAX);
    if (u->phone != NULL) {
        CHECK(phone_parse(u->phone, strlen(u->phone), &ph, "phone", &e) == 0);
        CHECK(strcmp(ph.norm, u->phone) == 0);
    }
    if (u->email != NULL)
        CHECK(core_email_check("email", u->email, &e) == 0);
    if (u->password != NULL)
        CHECK(core_password_check(u->password, u->login, &e) == 0);
    CHECK(u->n_roles <= ADMIN_ROLES_MAX);
    for (size_t i = 0; i < u->n_roles; i++) {
        check_membership(&u->roles[i]);
        for (size_t j = 0; j < i; j++)
            CHECK(!same_membership(&u->roles[i], &u->roles[j]));
    }
}

static void
check_range(bool has_from, int64_t from, bool has_to, int64_t to)
{
    if (has_from && has_to)
        CHECK(from < to);
}

static void
check_export(const struct export_body *x)
{
    check_text(x->purpose, ADMIN_PURPOSE_MAX);
    CHECK(utf8_len_chars(x->purpose, strlen(x->purpose)) >= ADMIN_PURPOSE_MIN);
    if (x->project != NULL)
        CHECK(is_code(x->project));
    CHECK(x->status.n <= STORE_FILTER_MAX);
    for (size_t i = 0; i < x->status.n; i++) {
        CHECK(one_of(x->status.values[i], core_statuses));
        for (size_t j = 0; j < i; j++)
            CHECK(strcmp(x->status.values[i], x->status.values[j]) != 0);
    }
    check_range(x->has_from, x->from, x->has_to, x->to);
}

static void
check_audit(const struct audit_query *q)
{
    struct err e = { 0 };

    CHECK(q->limit >= 1 && q->limit <= ADMIN_AUDIT_LIMIT_MAX);
    CHECK(q->before_id >= 0);
    if (q->actor != NULL)
        CHECK(core_login_check(q->actor, &e) == 0);
    if (q->object != NULL)
        check_text(q->object, ADMIN_OBJECT_MAX);
    if (q->action != NULL) {
        size_t n = strlen(q->action);
        CHECK(n > 0 && q->action[0] != '.' && q->action[n - 1] != '.');
        CHECK(strchr(q->action, '*') == NULL || strcmp(q->action + n - 2, ".*") == 0);
    }
    check_range(q->has_from, q->from, q->has_to, q->to);
}

static void
check_refusal(const struct err *e)
{
    CHECK(e->code != ERR_OK && e->reason != NULL);
    if (e->code == ERR_INVALID)
        CHECK(e->field != NULL && one_of(e->reason, reasons));
    else
        CHECK(e->code == ERR_NOMEM || e->code == ERR_TOO_LARGE);
}

static void
decode_audit(const char *buf, size_t size, struct arena *a, struct err *e)
{
    struct kv *kv;
    size_t n;
    struct audit_query q;

    if (http_query_parse(buf, size, a, &kv, &n, e) < 0)
        return;      /* query.c's own, fuzzed by fuzz_list_query */
    if (http_decode_audit_query(kv, n, 480, &q, e) < 0)
        check_refusal(e);
    else
        check_audit(&q);
}

static void
decode_token_id(const char *buf, size_t size)
{
    char text[32];
    int64_t id = 0;
    struct err e = { 0 };

    if (size >= sizeof(text) || memchr(buf, '\0', size) != NULL)
        return;
    memcpy(text, buf, size);
    text[size] = '\0';
    if (http_decode_token_id(text, &id, &e) == 0)
        CHECK(id > 0 && text[0] >= '0' && text[0] <= '9');
    else
        CHECK(e.code == ERR_NOT_FOUND && strcmp(e.field, "id") == 0);
}

static void
decode_one(char which, const char *buf, size_t size, struct arena *a)
{
    struct user_body u;
    struct membership m;
    struct token_body t;
    struct reveal_body v;
    struct export_body x;
    const char *s;
    struct err e = { 0 };
    int rc = 0;

    switch (which) {
    case 'u':
        if ((rc = http_decode_user(buf, size, a, &u, &e)) == 0)
            check_user(&u);
        break;
    case 'r':
        if ((rc = http_decode_role(buf, size, a, &m, &e)) == 0)
            check_membership(&m);
        break;
    case 's':
        if ((rc = http_decode_user_status(buf, size, a, &s, &e)) == 0)
            CHECK(strcmp(s, "active") == 0 || strcmp(s, "disabled") == 0);
        break;
    case 'p':
        if ((rc = http_decode_user_password(buf, size, "wangwei", a, &s, &e)) == 0 && s)
            CHECK(core_password_check(s, "wangwei", &e) == 0);
        break;
    case 't':
        if ((rc = http_decode_token(buf, size, a, &t, &e)) == 0) {
            CHECK(t.scopes != 0 && (t.scopes & ~CORE_SCOPES_ALL) == 0);
            check_text(t.name, ADMIN_TOKEN_NAME_MAX);
            CHECK(core_login_check(t.login, &e) == 0);
            CHECK(t.project == NULL || is_code(t.project));
        }
        break;
    case 'v':
        if ((rc = http_decode_reveal(buf, size, a, &v, &e)) == 0) {
            CHECK(v.fields != 0 && (v.fields & ~(unsigned)CONTACT_ALL) == 0);
            check_text(v.purpose, ADMIN_PURPOSE_MAX);
        }
        break;
    case 'x':
        if ((rc = http_decode_export(buf, size, 480, a, &x, &e)) == 0)
            check_export(&x);
        break;
    case 'a':
        decode_audit(buf, size, a, &e);
        return;
    case 'i':
        decode_token_id(buf, size);
        return;
    default:
        return;
    }
    if (rc == 0)
        CHECK(e.code == ERR_OK);
    else
        check_refusal(&e);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct arena *a;
    char *buf;

    if (size == 0)
        return 0;
    /* exactly the input's bytes, so ASan catches a read past the end */
    buf = malloc(size - 1 ? size - 1 : 1);
    a = arena_new(1 << 20);
    CHECK(buf != NULL && a != NULL);
    memcpy(buf, data + 1, size - 1);
    decode_one((char)data[0], buf, size - 1, a);
    arena_free(a);
    free(buf);
    return 0;
}
