/* util/password.c: argon2id hashing, verification, generated passwords. */
#include "testutil.h"

#include "core/account.h"
#include "util/password.h"

#include <sodium.h>

static int
setup(void **state)
{
    (void)state;
    return sodium_init() < 0 ? -1 : 0;
}

static void
test_hash_and_verify(void **state)
{
    char h1[PASSWORD_HASH_MAX], h2[PASSWORD_HASH_MAX];
    struct err e = { 0 };

    (void)state;
    assert_int_equal(password_hash("投诉处理很重要ab12", h1, &e), 0);
    assert_int_equal(strncmp(h1, "$argon2id$", 10), 0);
    assert_true(password_verify(h1, "投诉处理很重要ab12"));
    assert_false(password_verify(h1, "投诉处理很重要ab13"));
    assert_false(password_verify(h1, ""));
    assert_false(password_needs_rehash(h1));
    /* salted: the same password hashes differently */
    assert_int_equal(password_hash("投诉处理很重要ab12", h2, &e), 0);
    assert_string_not_equal(h1, h2);
    assert_true(password_verify(h2, "投诉处理很重要ab12"));
}

static void
test_verify_rejects_what_is_not_argon2id(void **state)
{
    (void)state;
    assert_false(password_verify(NULL, "x"));
    assert_false(password_verify("", "x"));
    assert_false(password_verify("$argon2i$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$aGFzaA", "x"));
    assert_false(password_verify("plain-text-password", "plain-text-password"));
    assert_false(password_verify("$argon2id$garbage", "x"));
}

static void
test_generated_passwords_meet_the_policy(void **state)
{
    char a[33], b[33];

    (void)state;
    for (int i = 0; i < 200; i++) {
        struct err e = { 0 };
        password_generate(a, 20);
        assert_int_equal(strlen(a), 20);
        if (core_password_check(a, "admin", &e) != 0)
            fail_msg("'%s': %s", a, e.reason);
        assert_null(strpbrk(a, "0O1lI"));
    }
    password_generate(a, 4);             /* asks for too little: gets 16 */
    assert_int_equal(strlen(a), 16);
    password_generate(a, 32);
    password_generate(b, 32);
    assert_string_not_equal(a, b);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hash_and_verify),
        cmocka_unit_test(test_verify_rejects_what_is_not_argon2id),
        cmocka_unit_test(test_generated_passwords_meet_the_policy),
    };

    return cmocka_run_group_tests(tests, setup, NULL);
}
