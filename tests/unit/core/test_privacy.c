/* core/privacy.c and core/session.c: masking, and when a credential stops admitting. */
#include "testutil.h"

#include "core/privacy.h"
#include "core/session.h"

static void
test_mask_email(void **state)
{
    static const struct { const char *in, *out; } rows[] = {
        { "wang.xiao@example.com", "w***@example.com" },
        { "a@b.cn", "a***@b.cn" },
        { "王小明@例子.中国", "王***@例子.中国" },   /* a whole character, not a byte */
        { "noat", "***" },
        { "@example.com", "***" },
        { "x@y@z.com", "x***@z.com" },
    };
    char out[CORE_MASK_MAX];

    (void)state;
    for (size_t i = 0; i < TEST_ARRAY_LEN(rows); i++) {
        core_mask_email(rows[i].in, out);
        assert_string_equal(out, rows[i].out);
    }
}

static void
test_mask_email_long(void **state)
{
    char in[600], out[CORE_MASK_MAX];

    (void)state;
    memset(in, 'd', sizeof(in) - 1);
    in[0] = 'u';
    in[1] = '@';
    in[sizeof(in) - 1] = '\0';
    core_mask_email(in, out);
    assert_true(strlen(out) < CORE_MASK_MAX);
    assert_memory_equal(out, "u***@", 5);
}

static void
test_mask_unit(void **state)
{
    static const struct { const char *in, *out; } rows[] = {
        { "2单元1803", "2单元****" },
        { "A-1203", "A-****" },
        { "1203", "****" },
        { "商铺A", "***" },
        { "", "***" },
    };
    char out[CORE_MASK_MAX];

    (void)state;
    for (size_t i = 0; i < TEST_ARRAY_LEN(rows); i++) {
        core_mask_unit(rows[i].in, out);
        assert_string_equal(out, rows[i].out);
    }
}

static const char *
check(struct credential_facts f, int64_t now)
{
    static struct err e;

    memset(&e, 0, sizeof(e));
    if (core_credential_check(&f, now, 7200, &e) == 0)
        return "ok";
    assert_int_equal(e.code, ERR_UNAUTHENTICATED);
    return e.reason;
}

static void
test_session_rules(void **state)
{
    struct credential_facts s = { .is_session = true, .created_at = 1000, .last_used_at = 1000,
                                  .expires_at = 1000 + 43200, .owner_active = true };
    struct credential_facts f;

    (void)state;
    assert_string_equal(check(s, 1000), "ok");
    assert_string_equal(check(s, 1000 + 7199), "ok");
    assert_string_equal(check(s, 1000 + 7200), "idle");
    f = s;
    f.last_used_at = 40000;
    assert_string_equal(check(f, 44199), "ok");
    assert_string_equal(check(f, 44200), "expired");     /* used, yet past the absolute limit */
    f = s;
    f.revoked_at = 1500;
    assert_string_equal(check(f, 1600), "revoked");
    f = s;
    f.owner_active = false;
    assert_string_equal(check(f, 1001), "disabled");
    f = s;
    f.password_changed_at = 1001;
    assert_string_equal(check(f, 1002), "password_changed");
    f.password_changed_at = 1000;                        /* changed, then signed in, same second */
    assert_string_equal(check(f, 1002), "ok");
}

static void
test_token_rules(void **state)
{
    struct credential_facts t = { .is_session = false, .created_at = 1000, .owner_active = true,
                                  .password_changed_at = 5000 };
    struct credential_facts f;
    struct err e = { 0 };

    (void)state;
    /* no idle or absolute limit, and the owner's password does not matter */
    assert_string_equal(check(t, 1000 + 365 * 86400), "ok");
    f = t;
    f.revoked_at = 2000;
    assert_string_equal(check(f, 3000), "revoked");
    f = t;
    f.owner_active = false;
    assert_int_equal(core_credential_check(&f, 3000, 7200, &e), -1);
    assert_string_equal(e.field, "token");
    assert_string_equal(e.reason, "disabled");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mask_email),
        cmocka_unit_test(test_mask_email_long),
        cmocka_unit_test(test_mask_unit),
        cmocka_unit_test(test_session_rules),
        cmocka_unit_test(test_token_rules),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
