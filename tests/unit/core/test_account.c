/* core/account.c: roles, logins and the password policy, at their boundaries. */
#include "testutil.h"

#include "core/account.h"

static void
expect(int rc, struct err *e, const char *field, const char *reason, const char *what)
{
    if (reason == NULL) {
        if (rc != 0)
            fail_msg("%s: want ok, got %s/%s (%s)", what, e->field, e->reason, e->detail);
        return;
    }
    if (rc != -1 || e->code != ERR_INVALID || strcmp(e->field, field) != 0 ||
        strcmp(e->reason, reason) != 0)
        fail_msg("%s: want %s/%s, got rc %d %s/%s", what, field, reason, rc,
                 e->field ? e->field : "-", e->reason ? e->reason : "-");
}

static void
test_roles(void **state)
{
    size_t n = 0;

    (void)state;
    for (const char *const *r = core_roles_staff; *r != NULL; r++)
        n++;
    assert_int_equal(n, 8);
    assert_true(core_role_is_company("admin"));
    assert_true(core_role_is_company("auditor"));
    assert_true(core_role_is_company("centre"));
    assert_true(core_role_is_company("executive"));
    assert_false(core_role_is_company("manager"));
    assert_false(core_role_is_company("operator"));
}

static void
test_logins(void **state)
{
    static const struct { const char *login, *reason; } rows[] = {
        { "zhangwei", NULL }, { "li.na", NULL }, { "op-01", NULL }, { "a_b", NULL },
        { "ab", NULL }, { "abcdefghijabcdefghijabcdefghijab", NULL },   /* 32 */
        { "", "empty" }, { "a", "too_short" },
        { "abcdefghijabcdefghijabcdefghijabc", "too_long" },            /* 33 */
        { "1abc", "bad_format" }, { "Zhang", "bad_format" }, { "zhang wei", "bad_format" },
        { "张伟", "bad_format" }, { "a/b", "bad_format" }, { ".ab", "bad_format" },
    };

    (void)state;
    for (size_t i = 0; i < TEST_ARRAY_LEN(rows); i++) {
        struct err e = { 0 };
        expect(core_login_check(rows[i].login, &e), &e, "login", rows[i].reason, rows[i].login);
    }
}

static void
test_passwords(void **state)
{
    static const struct { const char *pw, *login, *reason; } rows[] = {
        { "Abcdefgh12", "lina", NULL },                  /* 10 chars, three classes */
        { "Abcdefgh1", "lina", "too_short" },            /* 9 */
        { "abcdefgh12", "lina", "too_simple" },          /* two classes */
        { "abcdefgh!2", "lina", NULL },                  /* lower, digit, other */
        { "correct horse battery", "lina", NULL },       /* passphrase: 21 chars */
        { "abcdefghijklmnop", "lina", NULL },            /* 16: long enough alone */
        { "abcdefghijklmno", "lina", "too_simple" },     /* 15 */
        { "投诉处理很重要ab12", "lina", NULL },          /* CJK is "other"; 11 chars */
        { "投诉处理很重要", "lina", "too_short" },       /* 7 characters, 21 bytes */
        { "Zhangwei2026!", "zhangwei", "contains_login" },
        { "xxZHANGWEIxx1!", "zhangwei", "contains_login" },
        { "Password123", "lina", "common" },             /* the list is compared without case */
        { "password123", "lina", "too_simple" },
        { "Qwertyuiop1", "lina", NULL },
        { "1q2w3e4r5t", "lina", "too_simple" },
        { "Admin123456", "lina", "common" },             /* compared without case */
        { "Woaini1314", "lina", "common" },
        { "Woaini13145", "lina", NULL },
        { "Abc\x01" "defgh12", "lina", "bad_character" },
    };
    char longpw[CORE_PASSWORD_MAX + 2];

    (void)state;
    for (size_t i = 0; i < TEST_ARRAY_LEN(rows); i++) {
        struct err e = { 0 };
        expect(core_password_check(rows[i].pw, rows[i].login, &e), &e, "password",
               rows[i].reason, rows[i].pw);
    }
    memset(longpw, 'a', sizeof(longpw) - 1);
    longpw[sizeof(longpw) - 1] = '\0';
    {
        struct err e = { 0 };
        expect(core_password_check(longpw, "lina", &e), &e, "password", "too_long", "129 bytes");
    }
    longpw[CORE_PASSWORD_MAX] = '\0';
    {
        struct err e = { 0 };
        expect(core_password_check(longpw, "lina", &e), &e, "password", NULL, "128 bytes");
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roles),
        cmocka_unit_test(test_logins),
        cmocka_unit_test(test_passwords),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
