#include "testutil.h"

#include "util/phone.h"

#include <stdio.h>

struct good_case {
    const char *in;
    const char *norm;
    enum phone_kind kind;
};

struct bad_case {
    const char *in;
    size_t len; /* 0: strlen(in) */
    const char *reason;
};

static const struct good_case good[] = {
    /* mobile, every form in the header */
    {"13812345678", "13812345678", PHONE_MOBILE},
    {"138-1234-5678", "13812345678", PHONE_MOBILE},
    {"138 1234 5678", "13812345678", PHONE_MOBILE},
    {"138.1234.5678", "13812345678", PHONE_MOBILE},
    {"+86 138 1234 5678", "13812345678", PHONE_MOBILE},
    {"+8613812345678", "13812345678", PHONE_MOBILE},
    {"+86-138-1234-5678", "13812345678", PHONE_MOBILE},
    {"(+86) 138 1234 5678", "13812345678", PHONE_MOBILE},
    {"008613812345678", "13812345678", PHONE_MOBILE},
    {"0086 138 1234 5678", "13812345678", PHONE_MOBILE},
    {"86 13812345678", "13812345678", PHONE_MOBILE},
    {"8613812345678", "13812345678", PHONE_MOBILE},
    {"+86 0138 1234 5678", "13812345678", PHONE_MOBILE}, /* stray trunk 0 */
    {"  13812345678\t", "13812345678", PHONE_MOBILE},
    /* both ends of the mobile prefix range */
    {"13012345678", "13012345678", PHONE_MOBILE},
    {"19912345678", "19912345678", PHONE_MOBILE},
    /* full-width input from Chinese IMEs */
    {"１３８１２３４５６７８", "13812345678", PHONE_MOBILE},
    {"＋８６　１３８－１２３４－５６７８", "13812345678", PHONE_MOBILE},
    {"（０１０）１２３４５６７８", "010-12345678", PHONE_LANDLINE},
    /* landline: 010 and 02X take 8 digits */
    {"010-12345678", "010-12345678", PHONE_LANDLINE},
    {"(010)12345678", "010-12345678", PHONE_LANDLINE},
    {"(010) 1234 5678", "010-12345678", PHONE_LANDLINE},
    {"01012345678", "010-12345678", PHONE_LANDLINE},
    {"010.1234.5678", "010-12345678", PHONE_LANDLINE},
    {"020-87654321", "020-87654321", PHONE_LANDLINE},
    {"029 12345678", "029-12345678", PHONE_LANDLINE},
    /* 0[3-9]XX takes 7 or 8 digits */
    {"0755 1234567", "0755-1234567", PHONE_LANDLINE},
    {"0755-12345678", "0755-12345678", PHONE_LANDLINE},
    {"0371-61234567", "0371-61234567", PHONE_LANDLINE},
    {"0999 7654321", "0999-7654321", PHONE_LANDLINE},
    /* landline from abroad */
    {"+86 10 12345678", "010-12345678", PHONE_LANDLINE},
    {"+86 (0)10 12345678", "010-12345678", PHONE_LANDLINE},
    {"+86 010 12345678", "010-12345678", PHONE_LANDLINE},
    {"+86-755-12345678", "0755-12345678", PHONE_LANDLINE},
    {"+86 755 1234567", "0755-1234567", PHONE_LANDLINE},
    {"0086 10 12345678", "010-12345678", PHONE_LANDLINE},
    /* service numbers */
    {"400-123-4567", "400-123-4567", PHONE_SERVICE},
    {"4001234567", "400-123-4567", PHONE_SERVICE},
    {"800 123 4567", "800-123-4567", PHONE_SERVICE},
    {"400.123.4567", "400-123-4567", PHONE_SERVICE},
    {"+86 400 123 4567", "400-123-4567", PHONE_SERVICE},
    /* extensions, every marker */
    {"010-12345678转123", "010-12345678-123", PHONE_LANDLINE},
    {"010-12345678 转 123", "010-12345678-123", PHONE_LANDLINE},
    {"010-12345678 ext 123", "010-12345678-123", PHONE_LANDLINE},
    {"010-12345678 ext.123", "010-12345678-123", PHONE_LANDLINE},
    {"010-12345678 EXT. 123", "010-12345678-123", PHONE_LANDLINE},
    {"010-12345678x123", "010-12345678-123", PHONE_LANDLINE},
    {"010-12345678 X 123", "010-12345678-123", PHONE_LANDLINE},
    {"010-12345678#123", "010-12345678-123", PHONE_LANDLINE},
    {"010-12345678 x1", "010-12345678-1", PHONE_LANDLINE},
    {"0755-1234567 x 123456", "0755-1234567-123456", PHONE_LANDLINE},
    {"400-123-4567 转 8", "400-123-4567-8", PHONE_SERVICE},
    /* our own canonical form with its dash extension */
    {"010-12345678-123", "010-12345678-123", PHONE_LANDLINE},
    {"0755-1234567-8", "0755-1234567-8", PHONE_LANDLINE},
    {"0755-12345678-123456", "0755-12345678-123456", PHONE_LANDLINE},
    {"400-123-4567-12", "400-123-4567-12", PHONE_SERVICE},
    {"+86 10 12345678-123", "010-12345678-123", PHONE_LANDLINE},
    /* a split subscriber number is not an extension */
    {"0755-1234-5678", "0755-12345678", PHONE_LANDLINE},
    {"0755-123-4567", "0755-1234567", PHONE_LANDLINE},
};

static const struct bad_case bad[] = {
    {"", 0, "empty"},
    {"   ", 0, "empty"},
    {"\t \t", 0, "empty"},
    {"　", 0, "empty"}, /* U+3000 only */
    /* characters */
    {"138a12345678", 0, "bad_character"},
    {"138_1234_5678", 0, "bad_character"},
    {"138/1234/5678", 0, "bad_character"},
    {"13812345678+", 0, "bad_character"},
    {"++8613812345678", 0, "bad_character"},
    {"138\x80"
     "12345678",
     0, "bad_character"},             /* not UTF-8 */
    {"\xE8\xBD", 0, "bad_character"}, /* truncated 转 */
    {"138\0"
     "12345678",
     12, "bad_character"}, /* NUL inside */
    {"１３８１２３４５６７８ａ", 0, "bad_character"},
    {"010-12345678 ex 12", 0, "bad_character"},
    {"010-12345678 x 12a", 0, "bad_character"},
    /* country codes */
    {"+1 212 555 1234", 0, "bad_country_code"},
    {"+852 2345 6789", 0, "bad_country_code"},
    {"001 212 555 1234", 0, "bad_country_code"},
    {"+", 0, "bad_country_code"},
    {"+8", 0, "bad_country_code"},
    /* mobile length and prefix */
    {"138123456789", 0, "bad_length"}, /* 12 digits */
    {"1381234567", 0, "bad_length"},   /* 10 digits */
    {"+86 138123456789", 0, "bad_length"},
    {"12345678901", 0, "bad_mobile"},
    {"10012345678", 0, "bad_mobile"},
    {"11012345678", 0, "bad_mobile"},
    {"+86 12345678901", 0, "bad_mobile"},
    {"--", 0, "bad_length"},
    {"()", 0, "bad_length"},
    {"+86", 0, "bad_length"},
    /* landline lengths, both sides */
    {"010-1234567", 0, "bad_length"},
    {"010-123456789", 0, "bad_length"},
    {"020-1234567", 0, "bad_length"},
    {"0755-123456", 0, "bad_length"},
    {"0755-123456789", 0, "bad_length"},
    {"010", 0, "bad_length"},
    {"0", 0, "bad_length"},
    {"0123456789012345678901234567", 0, "bad_length"},
    /* area codes */
    {"011-12345678", 0, "bad_area_code"},
    {"0100-1234567", 0, "bad_area_code"},
    {"010-01234567", 0, "bad_area_code"}, /* subscriber starts with 0 */
    {"0755-0123456", 0, "bad_area_code"},
    {"62345678", 0, "bad_area_code"}, /* no area code */
    {"5551234567", 0, "bad_area_code"},
    {"+86 00 12345678", 0, "bad_area_code"},
    /* service */
    {"400-123-456", 0, "bad_length"},
    {"800-123-45678", 0, "bad_length"},
    /* extensions */
    {"010-12345678转", 0, "bad_extension"},
    {"010-12345678 ext", 0, "bad_extension"},
    {"010-12345678 x 1234567", 0, "bad_extension"}, /* 7 digits */
    {"13812345678 转 123", 0, "bad_extension"},
    {"13812345678x1", 0, "bad_extension"},
    {"010-12345678 x1 x2", 0, "bad_extension"},
    {"010-12345678 转 1 # 2", 0, "bad_extension"},
    /* a dash group too long for an extension leaves too many digits */
    {"010-12345678-1234567", 0, "bad_length"},
    {"13812345678-123", 0, "bad_length"},
};

static void
test_phone_good(void **state)
{
    (void)state;
    for (size_t i = 0; i < TEST_ARRAY_LEN(good); i++) {
        struct err e = {0};
        struct phone p;

        memset(&p, 0xAA, sizeof(p));
        if (phone_parse(good[i].in, strlen(good[i].in), &p, "phone", &e) != 0)
            fail_msg("case %zu '%s': %s", i, good[i].in, e.detail);
        assert_int_equal(e.code, ERR_OK); /* untouched on success */
        assert_string_equal(p.norm, good[i].norm);
        assert_int_equal(p.kind, good[i].kind);
    }
}

/* The canonical form is itself accepted and maps to itself. */
static void
test_phone_norm_reparses(void **state)
{
    (void)state;
    for (size_t i = 0; i < TEST_ARRAY_LEN(good); i++) {
        struct err e = {0};
        struct phone p;

        assert_int_equal(phone_parse(good[i].norm, strlen(good[i].norm), &p, "phone", &e), 0);
        assert_string_equal(p.norm, good[i].norm);
        assert_int_equal(p.kind, good[i].kind);
    }
}

static void
test_phone_bad(void **state)
{
    (void)state;
    for (size_t i = 0; i < TEST_ARRAY_LEN(bad); i++) {
        size_t len = bad[i].len ? bad[i].len : strlen(bad[i].in);
        struct err e = {0};
        struct phone p, before;

        memset(&p, 0x5A, sizeof(p));
        before = p;
        if (phone_parse(bad[i].in, len, &p, "contact_phone", &e) != -1)
            fail_msg("case %zu '%s' accepted as '%s'", i, bad[i].in, p.norm);
        assert_int_equal(e.code, ERR_INVALID);
        assert_non_null(e.reason);
        if (strcmp(e.reason, bad[i].reason) != 0)
            fail_msg("case %zu '%s': reason %s, want %s", i, bad[i].in, e.reason, bad[i].reason);
        assert_string_equal(e.field, "contact_phone");
        assert_true(strlen(e.detail) > 0);
        assert_memory_equal(&p, &before, sizeof(p)); /* out untouched on failure */
    }
}

static void
test_phone_null_and_first_error(void **state)
{
    struct err e = {0};
    struct phone p;

    (void)state;
    assert_int_equal(phone_parse(NULL, 0, &p, "phone", &e), -1);
    assert_string_equal(e.reason, "empty");

    /* an earlier error is kept */
    assert_int_equal(phone_parse("x", 1, &p, "other", &e), -1);
    assert_string_equal(e.reason, "empty");
    assert_string_equal(e.field, "phone");

    /* the length is honoured: no reading past it */
    err_clear(&e);
    assert_int_equal(phone_parse("13812345678999", 11, &p, "phone", &e), 0);
    assert_string_equal(p.norm, "13812345678");
}

static void
test_phone_mask(void **state)
{
    static const struct {
        const char *norm, *masked;
    } cases[] = {
        {"13812345678", "138****5678"},
        {"010-12345678", "010-****5678"},
        {"0755-12345678", "0755-****5678"},
        {"0755-1234567", "0755-***4567"},
        {"010-12345678-123", "010-****5678-***"},
        {"0755-1234567-123456", "0755-***4567-******"},
        {"400-123-4567", "400-123-4567"},
        {"800-123-4567", "800-123-4567"},
        {"400-123-4567-12", "400-123-4567-**"},
        /* not canonical: never more than the last four digits */
        {"", ""},
        {"123456", "**3456"},
        {"12345678901234567890123456789012345", "***************************8901"},
    };
    char out[PHONE_NORM_MAX];

    (void)state;
    for (size_t i = 0; i < TEST_ARRAY_LEN(cases); i++) {
        memset(out, 'Z', sizeof(out));
        phone_mask(cases[i].norm, out);
        if (strcmp(out, cases[i].masked) != 0)
            fail_msg("case %zu '%s': '%s', want '%s'", i, cases[i].norm, out, cases[i].masked);
    }
}

/* Every parsed number masks without showing the middle digits. */
static void
test_phone_mask_parsed(void **state)
{
    (void)state;
    for (size_t i = 0; i < TEST_ARRAY_LEN(good); i++) {
        struct err e = {0};
        char out[PHONE_NORM_MAX];
        struct phone p;

        assert_int_equal(phone_parse(good[i].in, strlen(good[i].in), &p, "phone", &e), 0);
        phone_mask(p.norm, out);
        assert_int_equal(strlen(out), strlen(p.norm));
        if (p.kind == PHONE_SERVICE)
            assert_memory_equal(out, p.norm, 12);
        else
            assert_non_null(strstr(out, "***"));
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_phone_good), cmocka_unit_test(test_phone_norm_reparses),
        cmocka_unit_test(test_phone_bad),  cmocka_unit_test(test_phone_null_and_first_error),
        cmocka_unit_test(test_phone_mask), cmocka_unit_test(test_phone_mask_parsed),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
