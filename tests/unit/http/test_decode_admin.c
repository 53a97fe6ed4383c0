/*
 * http/decode_admin.c: the bodies and the query of the administration and
 * privacy routes. One table row per (decoder, bad input, field, reason);
 * the good inputs with what they decode to; the edges (trimming, empty
 * optionals, numbers at their limits); and the allocation fault loop of
 * STYLE §6.
 */
#include "testutil.h"

#include "http/decode_admin.h"
#include "util/alloc.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>

#define TZ 480                       /* the deployment's zone: +08:00 */
#define T_NOV1 1793462400LL          /* 2026-11-01T00:00+08:00 */
#define T_DEC1 1796054400LL          /* 2026-12-01T00:00+08:00 */

/* A user body with `more` members after login and name. */
#define USER(more) "{\"login\":\"wangwu\",\"name\":\"王五\"" more "}"
#define TOKEN(more) "{\"name\":\"hotline CTI\",\"login\":\"lina\"" more "}"
#define EXPORT(more) "{\"purpose\":\"月度回访\"" more "}"

static const char full_user[] =
    "{\"login\":\"wangwu\",\"name\":\" 王五 \",\"phone\":\"138 1234 5678\","
    "\"email\":\"w@example.com\",\"password\":\"Correct-Horse-9x\",\"roles\":["
    "{\"role\":\"handler\",\"project\":\"HY\",\"department\":\"kefu\"},"
    "{\"role\":\"handler\",\"project\":\"JX\"},{\"role\":\"centre\",\"project\":null}]}";

static const char full_token[] =
    TOKEN(",\"scopes\":[\"complaint.read\",\"complaint.create\"],\"project\":\"HY\"");

static const char full_export[] =
    EXPORT(",\"project\":\"HY\",\"status\":[\"registered\",\"closed\"],"
           "\"from\":\"2026-11-01\",\"to\":\"2026-11-30\",\"masked\":true");

struct fixture {
    struct arena *a;
};

static int
setup(void **state)
{
    static struct fixture f;

    f.a = arena_new(4 << 20);
    if (f.a == NULL)
        return -1;
    *state = &f;
    return 0;
}

static int
teardown(void **state)
{
    struct fixture *f = *state;

    arena_free(f->a);
    return 0;
}

/* Split "a=1&b=2" (no escapes in these tests) into pairs, then decode. */
static int
decode_audit(const char *query, struct arena *a, struct audit_query *q, struct err *e)
{
    struct kv *kv;
    size_t n;

    assert_int_equal(http_query_parse(query, strlen(query), a, &kv, &n, e), 0);
    return http_decode_audit_query(kv, n, TZ, q, e);
}

/*
 * Run decoder `which` (u user, r role, s status, p password for "wangwu",
 * t token, v reveal, x export, a audit query, i token id) on `input`.
 */
static int
decode(char which, const char *input, struct arena *a, struct err *e)
{
    size_t len = strlen(input);
    struct user_body u;
    struct membership m;
    struct token_body t;
    struct reveal_body v;
    struct export_body x;
    struct audit_query q;
    const char *s;
    int64_t id;

    switch (which) {
    case 'u':
        return http_decode_user(input, len, a, &u, e);
    case 'r':
        return http_decode_role(input, len, a, &m, e);
    case 's':
        return http_decode_user_status(input, len, a, &s, e);
    case 'p':
        return http_decode_user_password(input, len, "wangwu", a, &s, e);
    case 't':
        return http_decode_token(input, len, a, &t, e);
    case 'v':
        return http_decode_reveal(input, len, a, &v, e);
    case 'x':
        return http_decode_export(input, len, TZ, a, &x, e);
    case 'a':
        return decode_audit(input, a, &q, e);
    case 'i':
        return http_decode_token_id(input, &id, e);
    }
    fail_msg("no decoder '%c'", which);
    return -1;
}

struct bad {
    char which;
    const char *input;
    const char *field;
    const char *reason;
};

static const struct bad bad_rows[] = {
    /* the body as a whole, through load_mixed and http_decode_fields alike */
    { 'u', "", "body", "bad_json" },
    { 'u', "{", "body", "bad_json" },
    { 'u', "[]", "body", "not_object" },
    { 'u', "\"x\"", "body", "not_object" },
    { 'u', "{\"login\":\"a\",\"login\":\"b\"}", "body", "bad_json" },
    { 'u', USER(",\"roles\":[],\"roles\":[]"), "body", "bad_json" },
    { 'u', "{\"login\":\"wang\xff\",\"name\":\"x\"}", "body", "bad_utf8" },
    { 'r', "", "body", "bad_json" },
    { 't', "[1]", "body", "not_object" },
    { 'x', "nope", "body", "bad_json" },
    /* users */
    { 'u', "{\"name\":\"王五\"}", "login", "required" },
    { 'u', "{\"login\":\"wangwu\"}", "name", "required" },
    { 'u', USER(",\"x\":1"), "x", "unknown_field" },
    { 'u', "{\"login\":\"Wang Wu\",\"name\":\"王五\"}", "login", "bad_format" },
    { 'u', "{\"login\":\"w\",\"name\":\"王五\"}", "login", "too_short" },
    { 'u', "{\"login\":7,\"name\":\"王五\"}", "login", "bad_type" },
    { 'u', "{\"login\":\"wangwu\",\"name\":\"王\\u0000五\"}", "name", "bad_character" },
    { 'u', USER(",\"phone\":\"12\""), "phone", "bad_length" },
    { 'u', USER(",\"email\":\"nope\""), "email", "bad_email" },
    { 'u', USER(",\"password\":\"short\""), "password", "too_short" },
    { 'u', USER(",\"password\":\"my-wangwu-Secret-99\""), "password", "contains_login" },
    { 'u', USER(",\"password\":7"), "password", "bad_type" },
    { 'u', USER(",\"roles\":{}"), "roles", "bad_type" },
    { 'u', USER(",\"roles\":[1]"), "roles[0]", "bad_type" },
    { 'u', USER(",\"roles\":[{}]"), "roles[0].role", "required" },
    { 'u', USER(",\"roles\":[{\"role\":7}]"), "roles[0].role", "bad_type" },
    { 'u', USER(",\"roles\":[{\"role\":\"\"}]"), "roles[0].role", "empty" },
    { 'u', USER(",\"roles\":[{\"role\":\"boss\",\"project\":\"HY\"}]"), "roles[0].role",
      "bad_value" },
    { 'u', USER(",\"roles\":[{\"role\":\"handler\"}]"), "roles[0].project", "required" },
    { 'u', USER(",\"roles\":[{\"role\":\"admin\",\"project\":\"HY\"}]"), "roles[0].project",
      "company_role" },
    { 'u', USER(",\"roles\":[{\"role\":\"handler\",\"project\":\"H Y\"}]"), "roles[0].project",
      "bad_value" },
    { 'u', USER(",\"roles\":[{\"role\":\"handler\",\"project\":\"HY\",\"department\":[]}]"),
      "roles[0].department", "bad_type" },
    { 'u', USER(",\"roles\":[{\"role\":\"handler\",\"project\":\"HY\",\"x\":1}]"), "roles[0].x",
      "unknown_field" },
    { 'u', USER(",\"roles\":[{\"role\":\"centre\"},{\"role\":\"centre\"}]"), "roles[1]",
      "repeated" },
    { 'u', USER(",\"roles\":[{\"role\":\"centre\"},{\"role\":\"handler\",\"project\":\"HY\"},"
                "{\"role\":\"handler\",\"project\":\"HY\"}]"),
      "roles[2]", "repeated" },
    /* one role */
    { 'r', "{}", "role", "required" },
    { 'r', "{\"role\":\"auditor\",\"project\":\"HY\"}", "project", "company_role" },
    { 'r', "{\"role\":\"operator\"}", "project", "required" },
    { 'r', "{\"role\":\"handler\",\"project\":\"HY\",\"y\":1}", "y", "unknown_field" },
    { 'r', "{\"role\":\"handler\",\"project\":\"HY\",\"department\":\"客服\"}", "department",
      "bad_value" },
    /* status and password */
    { 's', "{}", "status", "required" },
    { 's', "{\"status\":\"gone\"}", "status", "bad_value" },
    { 's', "{\"status\":\"active\",\"why\":\"x\"}", "why", "unknown_field" },
    { 'p', "{\"password\":\"wangwu-Secret-99\"}", "password", "contains_login" },
    { 'p', "{\"password\":\"aaaaaaaaaaaa\"}", "password", "too_simple" },
    { 'p', "{\"new\":\"x\"}", "new", "unknown_field" },
    /* tokens */
    { 't', TOKEN(""), "scopes", "required" },
    { 't', TOKEN(",\"scopes\":\"*\""), "scopes", "bad_type" },
    { 't', TOKEN(",\"scopes\":[]"), "scopes", "empty" },
    { 't', TOKEN(",\"scopes\":[7]"), "scopes[0]", "bad_type" },
    { 't', TOKEN(",\"scopes\":[\"*\",\"export\"]"), "scopes[0]", "unknown" },
    { 't', TOKEN(",\"scopes\":[\"export\",\"*\"]"), "scopes[1]", "unknown" },
    { 't', TOKEN(",\"scopes\":[\"export\",\"export\"]"), "scopes[1]", "repeated" },
    { 't', TOKEN(",\"scopes\":[\"public\"]"), "scopes[0]", "unknown" },
    { 't', TOKEN(",\"scopes\":[\"export\\u0000\"]"), "scopes[0]", "unknown" },
    { 't', TOKEN(",\"scopes\":[\"export\"],\"project\":\"H Y\""), "project", "bad_value" },
    { 't', "{\"name\":\"x\",\"login\":\"LINA\",\"scopes\":[\"export\"]}", "login", "bad_format" },
    { 't', "{\"login\":\"lina\",\"scopes\":[\"export\"]}", "name", "required" },
    /* token ids: not a number is no token at all */
    { 'i', "0", "id", "unknown" },
    { 'i', "-1", "id", "unknown" },
    { 'i', "+1", "id", "unknown" },
    { 'i', " 1", "id", "unknown" },
    { 'i', "1a", "id", "unknown" },
    { 'i', "", "id", "unknown" },
    { 'i', "9223372036854775808", "id", "unknown" },
    { 'i', "99999999999999999999", "id", "unknown" },
    /* revealing contact details */
    { 'v', "{}", "purpose", "required" },
    { 'v', "{\"purpose\":\"   \"}", "purpose", "empty" },
    { 'v', "{\"purpose\":\"x\"}", "purpose", "too_short" },
    { 'v', "{\"purpose\":\" 回 \"}", "purpose", "too_short" },
    { 'v', "{\"purpose\":\"回电\",\"fields\":[]}", "fields", "empty" },
    { 'v', "{\"purpose\":\"回电\",\"fields\":\"phone\"}", "fields", "bad_type" },
    { 'v', "{\"purpose\":\"回电\",\"fields\":[\"ssn\"]}", "fields", "bad_value" },
    { 'v', "{\"purpose\":\"回电\",\"fields\":[\"phone\",\"phone\"]}", "fields", "repeated" },
    { 'v', "{\"purpose\":\"回电\",\"fields\":[\"a\",\"b\",\"c\",\"d\",\"e\"]}", "fields",
      "too_many" },
    { 'v', "{\"purpose\":\"回电\",\"number\":\"x\"}", "number", "unknown_field" },
    /* exports */
    { 'x', "{}", "purpose", "required" },
    { 'x', EXPORT(",\"masked\":\"yes\""), "masked", "bad_type" },
    { 'x', EXPORT(",\"masked\":1"), "masked", "bad_type" },
    { 'x', EXPORT(",\"status\":\"closed\""), "status", "bad_type" },
    { 'x', EXPORT(",\"status\":[\"nope\"]"), "status", "bad_value" },
    { 'x', EXPORT(",\"status\":[\"closed\",\"closed\"]"), "status", "repeated" },
    { 'x', EXPORT(",\"project\":\"H Y\""), "project", "bad_value" },
    { 'x', EXPORT(",\"from\":\"yesterday\""), "from", "bad_format" },
    { 'x', EXPORT(",\"to\":\"2026-02-30\""), "to", "bad_date" },
    { 'x', EXPORT(",\"from\":\"2026-11-02\",\"to\":\"2026-11-01\""), "to", "before_from" },
    { 'x', EXPORT(",\"fields\":[\"phone\"]"), "fields", "unknown_field" },
    /* the audit query */
    { 'a', "foo=1", "foo", "unknown_parameter" },
    { 'a', "limit=5&limit=6", "limit", "repeated" },
    { 'a', "limit=0", "limit", "bad_value" },
    { 'a', "limit=-1", "limit", "bad_value" },
    { 'a', "limit=abc", "limit", "bad_value" },
    { 'a', "limit=501", "limit", "out_of_range" },
    { 'a', "before=0", "before", "bad_value" },
    { 'a', "before=1.5", "before", "bad_value" },
    { 'a', "actor=Bad", "actor", "bad_format" },
    { 'a', "actor=", "actor", "empty" },
    { 'a', "action=user.", "action", "bad_format" },
    { 'a', "action=.*", "action", "bad_format" },
    { 'a', "action=*", "action", "bad_format" },
    { 'a', "action=user.*.*", "action", "bad_format" },
    { 'a', "action=User.add", "action", "bad_format" },
    { 'a', "action=user..add", "action", "bad_format" },
    { 'a', "complaint=abc", "complaint", "bad_format" },
    { 'a', "object=admin&complaint=KS-2026-000001", "complaint", "exclusive" },
    { 'a', "complaint=KS-2026-000001&object=admin", "complaint", "exclusive" },
    { 'a', "object=", "object", "empty" },
    { 'a', "from=x", "from", "bad_format" },
    { 'a', "from=2026-11-02&to=2026-11-01", "to", "before_from" },
};

static void
test_bad_rows(void **state)
{
    struct fixture *f = *state;

    for (size_t i = 0; i < TEST_ARRAY_LEN(bad_rows); i++) {
        const struct bad *b = &bad_rows[i];
        struct err e = { 0 };
        int rc = decode(b->which, b->input, f->a, &e);

        if (rc == 0)
            fail_msg("row %zu (%c %s): accepted", i, b->which, b->input);
        if ((e.field == NULL || strcmp(e.field, b->field) != 0) ||
            strcmp(e.reason, b->reason) != 0)
            fail_msg("row %zu (%c %s): got %s/%s, want %s/%s", i, b->which, b->input,
                     e.field ? e.field : "NULL", e.reason, b->field, b->reason);
        assert_int_equal(e.code, b->which == 'i' ? ERR_NOT_FOUND : ERR_INVALID);
    }
}

static void
test_user_full(void **state)
{
    struct fixture *f = *state;
    struct user_body u;
    struct err e = { 0 };

    assert_int_equal(http_decode_user(full_user, strlen(full_user), f->a, &u, &e), 0);
    assert_string_equal(u.login, "wangwu");
    assert_string_equal(u.name, "王五");                /* trimmed */
    assert_string_equal(u.phone, "13812345678");        /* canonical */
    assert_string_equal(u.email, "w@example.com");
    assert_string_equal(u.password, "Correct-Horse-9x");
    assert_int_equal(u.n_roles, 3);
    assert_string_equal(u.roles[0].role, "handler");
    assert_string_equal(u.roles[0].project, "HY");
    assert_string_equal(u.roles[0].department, "kefu");
    assert_string_equal(u.roles[1].project, "JX");
    assert_null(u.roles[1].department);
    assert_string_equal(u.roles[2].role, "centre");
    assert_null(u.roles[2].project);                    /* null is absent */
}

static void
test_user_minimal(void **state)
{
    struct fixture *f = *state;
    static const char body[] = USER(",\"phone\":\"\",\"email\":null,\"roles\":null");
    struct user_body u;
    struct err e = { 0 };

    assert_int_equal(http_decode_user(body, strlen(body), f->a, &u, &e), 0);
    assert_null(u.phone);     /* an empty optional text is absent */
    assert_null(u.email);
    assert_null(u.password);  /* generate one */
    assert_int_equal(u.n_roles, 0);
}

/* The same role in another project or department is another membership. */
static void
test_user_roles_alike_but_not_same(void **state)
{
    struct fixture *f = *state;
    static const char body[] =
        USER(",\"roles\":[{\"role\":\"handler\",\"project\":\"HY\"},"
             "{\"role\":\"handler\",\"project\":\"HY\",\"department\":\"kefu\"},"
             "{\"role\":\"handler\",\"project\":\"JX\"},"
             "{\"role\":\"supervisor\",\"project\":\"HY\"}]");
    struct user_body u;
    struct err e = { 0 };

    assert_int_equal(http_decode_user(body, strlen(body), f->a, &u, &e), 0);
    assert_int_equal(u.n_roles, 4);
}

static void
test_user_roles_limit(void **state)
{
    struct fixture *f = *state;
    char body[4096];
    size_t used;
    struct user_body u;

    for (int count = ADMIN_ROLES_MAX; count <= ADMIN_ROLES_MAX + 1; count++) {
        struct err e = { 0 };
        used = (size_t)snprintf(body, sizeof(body), "%s", "{\"login\":\"wangwu\",\"name\":\"x\","
                                                          "\"roles\":[");
        for (int i = 0; i < count; i++)
            used += (size_t)snprintf(body + used, sizeof(body) - used,
                                     "%s{\"role\":\"handler\",\"project\":\"P%d\"}", i ? "," : "",
                                     i);
        snprintf(body + used, sizeof(body) - used, "]}");
        if (count == ADMIN_ROLES_MAX) {
            assert_int_equal(http_decode_user(body, strlen(body), f->a, &u, &e), 0);
            assert_int_equal(u.n_roles, ADMIN_ROLES_MAX);
        } else {
            assert_int_equal(http_decode_user(body, strlen(body), f->a, &u, &e), -1);
            assert_string_equal(e.field, "roles");
            assert_string_equal(e.reason, "too_many");
        }
    }
}

static void
test_role_and_status(void **state)
{
    struct fixture *f = *state;
    static const char role[] = "{\"role\":\"supervisor\",\"project\":\"JX\",\"department\":\"\"}";
    static const char company[] = "{\"role\":\"auditor\"}";
    static const char status[] = "{\"status\":\" disabled \"}";
    struct membership m;
    const char *s;
    struct err e = { 0 };

    assert_int_equal(http_decode_role(role, strlen(role), f->a, &m, &e), 0);
    assert_string_equal(m.role, "supervisor");
    assert_string_equal(m.project, "JX");
    assert_null(m.department);
    assert_int_equal(http_decode_role(company, strlen(company), f->a, &m, &e), 0);
    assert_string_equal(m.role, "auditor");
    assert_null(m.project);
    assert_int_equal(http_decode_user_status(status, strlen(status), f->a, &s, &e), 0);
    assert_string_equal(s, "disabled");
}

static void
test_password_bodies(void **state)
{
    struct fixture *f = *state;
    static const char given[] = "{\"password\":\" Correct-Horse-9x\"}";
    const char *pw = "marker";
    struct err e = { 0 };

    assert_int_equal(http_decode_user_password("{}", 2, "wangwu", f->a, &pw, &e), 0);
    assert_null(pw);
    pw = "marker";
    assert_int_equal(http_decode_user_password("{\"password\":\"\"}", 15, "wangwu", f->a, &pw, &e),
                     0);
    assert_null(pw);          /* empty is absent, as for every optional member */
    assert_int_equal(http_decode_user_password(given, strlen(given), "wangwu", f->a, &pw, &e), 0);
    assert_string_equal(pw, " Correct-Horse-9x");   /* a secret is taken byte for byte */
}

static void
test_token_good(void **state)
{
    struct fixture *f = *state;
    static const char all[] = TOKEN(",\"scopes\":[\"*\"],\"project\":null");
    struct token_body t;
    struct err e = { 0 };

    assert_int_equal(http_decode_token(full_token, strlen(full_token), f->a, &t, &e), 0);
    assert_string_equal(t.name, "hotline CTI");
    assert_string_equal(t.login, "lina");
    assert_string_equal(t.project, "HY");
    assert_int_equal(t.scopes, (1u << PERM_COMPLAINT_READ) | (1u << PERM_COMPLAINT_CREATE));
    assert_int_equal(http_decode_token(all, strlen(all), f->a, &t, &e), 0);
    assert_int_equal(t.scopes, CORE_SCOPES_ALL);
    assert_null(t.project);
}

static void
test_token_id(void **state)
{
    int64_t id = 0;
    struct err e = { 0 };

    (void)state;
    assert_int_equal(http_decode_token_id("42", &id, &e), 0);
    assert_int_equal(id, 42);
    assert_int_equal(http_decode_token_id("9223372036854775807", &id, &e), 0);
    assert_true(id == INT64_MAX);
    assert_int_equal(e.code, ERR_OK);
}

static void
test_reveal(void **state)
{
    struct fixture *f = *state;
    static const char all[] = "{\"purpose\":\"  回电核实维修时间 \"}";
    static const char some[] = "{\"purpose\":\"回电\",\"fields\":[\"unit\",\"phone\"]}";
    struct reveal_body v;
    struct err e = { 0 };
    char purpose[512];

    assert_int_equal(http_decode_reveal(all, strlen(all), f->a, &v, &e), 0);
    assert_string_equal(v.purpose, "回电核实维修时间");
    assert_int_equal(v.fields, CONTACT_ALL);
    assert_int_equal(http_decode_reveal(some, strlen(some), f->a, &v, &e), 0);
    assert_int_equal(v.fields, CONTACT_UNIT | CONTACT_PHONE);
    assert_string_equal(http_contact_field_name(CONTACT_EMAIL), "email");
    /* 200 characters (not bytes) is the most */
    for (int chars = ADMIN_PURPOSE_MAX; chars <= ADMIN_PURPOSE_MAX + 1; chars++) {
        size_t o = (size_t)snprintf(purpose, sizeof(purpose), "{\"purpose\":\"");
        for (int i = 0; i < chars; i++, o += 2)
            memcpy(purpose + o, "é", 2);
        snprintf(purpose + o, sizeof(purpose) - o, "\"}");
        err_clear(&e);
        assert_int_equal(http_decode_reveal(purpose, strlen(purpose), f->a, &v, &e),
                         chars == ADMIN_PURPOSE_MAX ? 0 : -1);
    }
    assert_string_equal(e.reason, "too_long");
}

static void
test_export(void **state)
{
    struct fixture *f = *state;
    static const char one_day[] = EXPORT(",\"from\":\"2026-11-01\",\"to\":\"2026-11-01\"");
    static const char one_second[] =
        EXPORT(",\"from\":\"2026-11-01T00:00:00\",\"to\":\"2026-11-01T00:00:00+08:00\"");
    struct export_body x;
    struct err e = { 0 };

    assert_int_equal(http_decode_export(full_export, strlen(full_export), TZ, f->a, &x, &e), 0);
    assert_string_equal(x.purpose, "月度回访");
    assert_string_equal(x.project, "HY");
    assert_int_equal(x.status.n, 2);
    assert_string_equal(x.status.values[1], "closed");
    assert_true(x.has_from && x.from == T_NOV1);
    assert_true(x.has_to && x.to == T_DEC1);        /* through the 30th */
    assert_true(x.masked);
    assert_int_equal(http_decode_export(one_day, strlen(one_day), TZ, f->a, &x, &e), 0);
    assert_true(x.to - x.from == 86400);
    assert_int_equal(http_decode_export(one_second, strlen(one_second), TZ, f->a, &x, &e), 0);
    assert_true(x.to - x.from == 1);
    assert_int_equal(http_decode_export(EXPORT(""), strlen(EXPORT("")), TZ, f->a, &x, &e), 0);
    assert_null(x.project);
    assert_int_equal(x.status.n, 0);
    assert_false(x.has_from || x.has_to || x.masked);
}

static void
test_audit_query(void **state)
{
    struct fixture *f = *state;
    struct audit_query q;
    struct err e = { 0 };

    assert_int_equal(decode_audit("", f->a, &q, &e), 0);
    assert_int_equal(q.limit, ADMIN_AUDIT_LIMIT);
    assert_null(q.actor);
    assert_null(q.object);
    assert_null(q.action);
    assert_true(q.before_id == 0 && !q.has_from && !q.has_to);
    assert_int_equal(decode_audit("actor=admin&action=user.*&from=2026-11-01&to=2026-11-30&"
                                  "before=99&limit=500",
                                  f->a, &q, &e),
                     0);
    assert_string_equal(q.actor, "admin");
    assert_string_equal(q.action, "user.*");
    assert_true(q.from == T_NOV1 && q.to == T_DEC1);
    assert_true(q.before_id == 99);
    assert_int_equal(q.limit, 500);
    assert_int_equal(decode_audit("complaint=KS-2026-000001&action=session.login_failed", f->a,
                                  &q, &e),
                     0);
    assert_string_equal(q.object, "KS-2026-000001");
    assert_string_equal(q.action, "session.login_failed");
    assert_int_equal(decode_audit("object=hotline CTI&limit=1", f->a, &q, &e), 0);
    assert_string_equal(q.object, "hotline CTI");
    assert_int_equal(q.limit, 1);
}

/* ---- allocation failures ---- */

/*
 * Fail allocation n (and every later one) for n = 1, 2, ... until the call
 * completes without reaching a failure: each failing run must report
 * ERR_NOMEM or ERR_TOO_LARGE, and LeakSanitizer checks nothing leaks.
 * jansson reports some failed allocations as a syntax error (see
 * test_decode.c), and the bodies are parsed twice (load_mixed, then
 * http_decode_fields), so body/bad_json is let through as well.
 */
static void
fault_loop(const char *what, int (*run)(struct arena *a, struct err *e))
{
    unsigned long n, failures = 0;

    alloc_setup_json();
    for (n = 1; n < 100000; n++) {
        struct arena *a = arena_new(1 << 20);
        struct err e = { 0 };
        unsigned long calls;
        int rc;

        assert_non_null(a);
        alloc_fail_at(n, 1);
        rc = run(a, &e);
        calls = alloc_fail_at(0, 0);
        arena_free(a);
        if (calls < n) {
            if (rc != 0)
                fail_msg("%s: fails without an injected failure: %s", what, e.detail);
            break;
        }
        if (rc == 0)
            continue;
        failures++;
        if (e.code == ERR_INVALID && strcmp(e.reason, "bad_json") == 0)
            continue;
        if (e.code != ERR_NOMEM && e.code != ERR_TOO_LARGE)
            fail_msg("%s: allocation %lu failed: code %d %s/%s (%s)", what, n, e.code,
                     e.field ? e.field : "NULL", e.reason ? e.reason : "NULL", e.detail);
    }
    assert_true(failures > 0);
    print_message("%s: %lu allocations failed in turn\n", what, n - 1);
    json_set_alloc_funcs(malloc, free);
}

static int
run_user(struct arena *a, struct err *e)
{
    struct user_body u;
    int rc = http_decode_user(full_user, strlen(full_user), a, &u, e);

    if (rc == 0)
        assert_int_equal(u.n_roles, 3);
    return rc;
}

static int
run_token(struct arena *a, struct err *e)
{
    struct token_body t;

    return http_decode_token(full_token, strlen(full_token), a, &t, e);
}

static int
run_export(struct arena *a, struct err *e)
{
    struct export_body x;
    int rc = http_decode_export(full_export, strlen(full_export), TZ, a, &x, e);

    if (rc == 0)
        assert_true(x.masked && x.status.n == 2);
    return rc;
}

static void
test_faults(void **state)
{
    (void)state;
    fault_loop("user", run_user);
    fault_loop("token", run_token);
    fault_loop("export", run_export);
    /* the audit query allocates nothing: its strings are the parsed parameters */
}

/* A request arena too small for the body: an error, never a crash. */
static void
test_small_arena(void **state)
{
    (void)state;
    for (size_t limit = 16; limit <= 2048; limit += 16) {
        struct arena *a = arena_new(limit);
        struct user_body u;
        struct err e = { 0 };
        int rc;

        assert_non_null(a);
        rc = http_decode_user(full_user, strlen(full_user), a, &u, &e);
        if (rc != 0 && e.code != ERR_NOMEM && e.code != ERR_TOO_LARGE)
            fail_msg("limit %zu: code %d %s/%s", limit, e.code, e.field ? e.field : "NULL",
                     e.reason);
        arena_free(a);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_bad_rows, setup, teardown),
        cmocka_unit_test_setup_teardown(test_user_full, setup, teardown),
        cmocka_unit_test_setup_teardown(test_user_minimal, setup, teardown),
        cmocka_unit_test_setup_teardown(test_user_roles_alike_but_not_same, setup, teardown),
        cmocka_unit_test_setup_teardown(test_user_roles_limit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_role_and_status, setup, teardown),
        cmocka_unit_test_setup_teardown(test_password_bodies, setup, teardown),
        cmocka_unit_test_setup_teardown(test_token_good, setup, teardown),
        cmocka_unit_test(test_token_id),
        cmocka_unit_test_setup_teardown(test_reveal, setup, teardown),
        cmocka_unit_test_setup_teardown(test_export, setup, teardown),
        cmocka_unit_test_setup_teardown(test_audit_query, setup, teardown),
        cmocka_unit_test(test_faults),
        cmocka_unit_test(test_small_arena),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
