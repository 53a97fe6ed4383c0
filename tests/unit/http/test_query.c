/*
 * http/query.c: query strings, paths and Accept-Language, all outside input.
 */
#include "testutil.h"

#include "http/handlers.h"

#include <stdio.h>
#include <stdlib.h>

static int
setup(void **state)
{
    struct arena *a = arena_new(1 << 20);

    *state = a;
    return a == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
    arena_free(*state);
    return 0;
}

/* Parse exactly `len` bytes of `raw`, from a heap copy so ASan sees over-reads. */
static int
parse(struct arena *a, const char *raw, size_t len, struct kv **out, size_t *n, struct err *e)
{
    char *copy = malloc(len ? len : 1);
    int rc;

    assert_non_null(copy);
    memcpy(copy, raw, len);
    rc = http_query_parse(copy, len, a, out, n, e);
    free(copy);
    return rc;
}

struct good_row {
    const char *raw;
    size_t n;
    const char *pairs[8][2];
};

static const struct good_row good_rows[] = {
    { "", 0, { { NULL } } },
    { "a=1", 1, { { "a", "1" } } },
    { "a=1&b=2", 2, { { "a", "1" }, { "b", "2" } } },
    { "q=%E7%94%B5%E6%A2%AF", 1, { { "q", "电梯" } } },
    { "q=%e7%94%b5%e6%a2%af", 1, { { "q", "电梯" } } },
    { "q=电梯", 1, { { "q", "电梯" } } },           /* raw UTF-8 is accepted as is */
    { "q=a+b", 1, { { "q", "a b" } } },
    { "q=a%2Bb", 1, { { "q", "a+b" } } },
    { "q=a%20b", 1, { { "q", "a b" } } },
    { "a+b=c+d", 1, { { "a b", "c d" } } },
    { "%71=1", 1, { { "q", "1" } } },               /* names are decoded too */
    { "a=1&&b=2", 2, { { "a", "1" }, { "b", "2" } } },
    { "&a=1&", 1, { { "a", "1" } } },
    { "&&&", 0, { { NULL } } },
    { "a", 1, { { "a", "" } } },
    { "a=", 1, { { "a", "" } } },
    { "a&b", 2, { { "a", "" }, { "b", "" } } },
    { "=1", 1, { { "", "1" } } },
    { "=", 1, { { "", "" } } },
    { "a=b=c", 1, { { "a", "b=c" } } },
    { "a=%3D%26", 1, { { "a", "=&" } } },
    { "a=1&a=2", 2, { { "a", "1" }, { "a", "2" } } },  /* repeats are the decoder's business */
    { "received_to=2026-11-30T23%3A59%2B08%3A00", 1,
      { { "received_to", "2026-11-30T23:59+08:00" } } },
    { "status=received%2Cregistered&limit=50", 2,
      { { "status", "received,registered" }, { "limit", "50" } } },
    { "q=%F0%A0%AE%B7", 1, { { "q", "𠮷" } } },
    { "q=%E3%80%80", 1, { { "q", "\xe3\x80\x80" } } },
};

static void
test_query_good(void **state)
{
    struct arena *a = *state;

    for (size_t i = 0; i < TEST_ARRAY_LEN(good_rows); i++) {
        const struct good_row *r = &good_rows[i];
        struct kv *kv = NULL;
        size_t n = 99;
        struct err e = { 0 };

        if (parse(a, r->raw, strlen(r->raw), &kv, &n, &e) != 0)
            fail_msg("'%s': %s", r->raw, e.detail);
        assert_int_equal(e.code, ERR_OK);
        if (n != r->n)
            fail_msg("'%s': %zu pairs, want %zu", r->raw, n, r->n);
        for (size_t j = 0; j < n; j++) {
            if (strcmp(kv[j].key, r->pairs[j][0]) != 0 || strcmp(kv[j].value, r->pairs[j][1]) != 0)
                fail_msg("'%s' pair %zu: '%s'='%s'", r->raw, j, kv[j].key, kv[j].value);
        }
    }
}

/* Only `len` bytes count: what follows is never read. */
static void
test_query_len(void **state)
{
    struct arena *a = *state;
    struct kv *kv;
    size_t n;
    struct err e = { 0 };

    assert_int_equal(parse(a, "a=1&b=2", 3, &kv, &n, &e), 0);
    assert_int_equal(n, 1);
    assert_string_equal(kv[0].value, "1");
}

struct bad_row {
    const char *raw;
    const char *field;   /* NULL: no field */
    const char *reason;
};

static const struct bad_row bad_rows[] = {
    { "a=%00", "a", "bad_character" },
    { "%00=1", NULL, "bad_character" },
    { "q=a%00b", "q", "bad_character" },
    { "a=%G1", "a", "bad_format" },
    { "a=%1G", "a", "bad_format" },
    { "a=%4", "a", "bad_format" },
    { "a=%", "a", "bad_format" },
    { "a=%%41", "a", "bad_format" },
    { "%zz=1", NULL, "bad_format" },
    { "q=%FF", "q", "bad_utf8" },
    { "q=%C3%28", "q", "bad_utf8" },
    { "q=%E7%94", "q", "bad_utf8" },             /* truncated sequence */
    { "q=%C0%AF", "q", "bad_utf8" },             /* overlong '/' */
    { "q=%ED%A0%80", "q", "bad_utf8" },          /* surrogate */
    { "q=%F4%90%80%80", "q", "bad_utf8" },       /* past U+10FFFF */
    { "q=\xff", "q", "bad_utf8" },               /* raw bad byte */
    { "\xe7\x94=1", NULL, "bad_utf8" },
    { "ok=1&q=%FF", "q", "bad_utf8" },
};

static void
test_query_bad(void **state)
{
    struct arena *a = *state;

    for (size_t i = 0; i < TEST_ARRAY_LEN(bad_rows); i++) {
        const struct bad_row *r = &bad_rows[i];
        struct kv *kv = (struct kv *)0x1;
        size_t n = 77;
        struct err e = { 0 };
        int rc = parse(a, r->raw, strlen(r->raw), &kv, &n, &e);

        if (rc != -1 || e.code != ERR_INVALID || strcmp(e.reason, r->reason) != 0)
            fail_msg("'%s': rc %d code %d reason %s", r->raw, rc, e.code,
                     e.reason ? e.reason : "NULL");
        if (r->field == NULL)
            assert_null(e.field);
        else if (e.field == NULL || strcmp(e.field, r->field) != 0)
            fail_msg("'%s': field %s, want %s", r->raw, e.field ? e.field : "NULL", r->field);
        /* outputs untouched on failure */
        assert_ptr_equal(kv, (struct kv *)0x1);
        assert_int_equal(n, 77);
    }
}

/* An escape cut off by `len` is bad, even though the bytes after it are hex. */
static void
test_query_escape_cut_by_len(void **state)
{
    struct arena *a = *state;
    struct kv *kv;
    size_t n;
    struct err e = { 0 };

    assert_int_equal(parse(a, "a=%41", 4, &kv, &n, &e), -1);
    assert_string_equal(e.reason, "bad_format");
}

/* HTTP_QUERY_MAX parameters are fine; one more is too_long. */
static void
test_query_max(void **state)
{
    struct arena *a = *state;
    char raw[1024];
    size_t o = 0;
    struct kv *kv;
    size_t n;
    struct err e = { 0 };

    for (int i = 0; i < HTTP_QUERY_MAX; i++)
        o += (size_t)snprintf(raw + o, sizeof(raw) - o, "%sp%d=%d", i ? "&" : "", i, i);
    assert_int_equal(parse(a, raw, o, &kv, &n, &e), 0);
    assert_int_equal(n, HTTP_QUERY_MAX);
    assert_string_equal(kv[HTTP_QUERY_MAX - 1].key, "p31");
    /* empty pieces do not count */
    o += (size_t)snprintf(raw + o, sizeof(raw) - o, "&&&");
    assert_int_equal(parse(a, raw, o, &kv, &n, &e), 0);
    assert_int_equal(n, HTTP_QUERY_MAX);
    o += (size_t)snprintf(raw + o, sizeof(raw) - o, "x=1");
    assert_int_equal(parse(a, raw, o, &kv, &n, &e), -1);
    assert_int_equal(e.code, ERR_INVALID);
    assert_string_equal(e.reason, "too_long");
}

/* An arena that runs out is an allocation failure, not bad input. */
static void
test_query_small_arena(void **state)
{
    struct arena *a = arena_new(64);
    struct kv *kv;
    size_t n;
    struct err e = { 0 };

    (void)state;
    assert_non_null(a);
    assert_int_equal(parse(a, "a=1", 3, &kv, &n, &e), -1);
    assert_true(e.code == ERR_NOMEM || e.code == ERR_TOO_LARGE);
    arena_free(a);

    /* room for the table but not for the last value */
    for (size_t limit = 512; limit <= 1024; limit += 16) {
        a = arena_new(limit);
        e = (struct err){ 0 };
        if (parse(a, "alpha=1111111111111111&beta=22222222222222222222&gamma=3333333333333333",
                  71, &kv, &n, &e) != 0)
            assert_true(e.code == ERR_NOMEM || e.code == ERR_TOO_LARGE);
        arena_free(a);
    }
}

/* ---- paths ---- */

static void
test_path_decode(void **state)
{
    static const struct {
        const char *raw, *want;
    } good[] = {
        { "/api/complaints/KS-2026-000123", "/api/complaints/KS-2026-000123" },
        { "/api/projects/%E5%8D%8E%E8%8B%91/units", "/api/projects/华苑/units" },
        { "/api/projects/华苑/units", "/api/projects/华苑/units" },
        { "/a+b", "/a+b" },                 /* '+' is a plus in a path */
        { "/a%20b", "/a b" },
        { "/a%2Fb", "/a/b" },
        { "/", "/" },
        { "", "" },
    };
    static const char *const bad[] = {
        "/a%00", "/%G1", "/%4", "/%", "/%FF", "/%C0%AF", "/%ED%A0%80", "/\xff",
    };
    struct arena *a = *state;

    for (size_t i = 0; i < TEST_ARRAY_LEN(good); i++) {
        struct err e = { 0 };
        char *p = http_path_decode(good[i].raw, strlen(good[i].raw), a, &e);

        if (p == NULL)
            fail_msg("'%s': %s", good[i].raw, e.detail);
        assert_string_equal(p, good[i].want);
    }
    for (size_t i = 0; i < TEST_ARRAY_LEN(bad); i++) {
        struct err e = { 0 };
        char *p = http_path_decode(bad[i], strlen(bad[i]), a, &e);

        if (p != NULL)
            fail_msg("'%s' accepted as '%s'", bad[i], p);
        assert_int_equal(e.code, ERR_NOT_FOUND);
        assert_string_equal(e.reason, "no_route");
    }
    /* length honoured */
    {
        struct err e = { 0 };
        char *p = http_path_decode("/api/health?x", 11, a, &e);

        assert_non_null(p);
        assert_string_equal(p, "/api/health");
    }
}

/* ---- Accept-Language ---- */

static void
test_lang_pick(void **state)
{
    static const struct {
        const char *header;
        enum i18n_lang fallback, want;
    } rows[] = {
        { NULL, I18N_ZH, I18N_ZH },
        { NULL, I18N_EN, I18N_EN },
        { "", I18N_ZH, I18N_ZH },
        { "en", I18N_ZH, I18N_EN },
        { "EN", I18N_ZH, I18N_EN },
        { "zh", I18N_EN, I18N_ZH },
        { "en-US", I18N_ZH, I18N_EN },
        { "en-US,en;q=0.9", I18N_ZH, I18N_EN },
        { "zh-CN,zh;q=0.9,en;q=0.8", I18N_ZH, I18N_ZH },
        { "zh-CN,zh;q=0.9,en;q=0.8", I18N_EN, I18N_ZH },
        { "zh-TW", I18N_EN, I18N_ZH },
        { "zh-Hans-CN", I18N_EN, I18N_ZH },
        { "fr", I18N_ZH, I18N_ZH },
        { "fr", I18N_EN, I18N_EN },
        { "fr-FR,fr;q=0.9", I18N_ZH, I18N_ZH },
        { "fr-FR,fr;q=0.9,en;q=0.5", I18N_ZH, I18N_EN },
        { "en;q=0", I18N_ZH, I18N_ZH },
        { "en;q=0.0", I18N_ZH, I18N_ZH },
        { "en;q=0, zh;q=0", I18N_EN, I18N_EN },
        { "en;q=0.5,zh;q=0.8", I18N_ZH, I18N_ZH },
        { "en;q=0.5,zh;q=0.8", I18N_EN, I18N_ZH },
        { "zh;q=0.5,en;q=0.8", I18N_ZH, I18N_EN },
        { "en;q=0.9,zh;q=0.9", I18N_ZH, I18N_EN },    /* a tie: the first wins */
        { "zh;q=0.9,en;q=0.9", I18N_EN, I18N_ZH },
        { "en ; q=0.5", I18N_ZH, I18N_EN },
        { "  en  ", I18N_ZH, I18N_EN },
        { "*", I18N_ZH, I18N_ZH },
        { "*", I18N_EN, I18N_EN },
        { "english", I18N_ZH, I18N_ZH },
        { "eng", I18N_ZH, I18N_ZH },
        { "en_US", I18N_ZH, I18N_ZH },
        { "zhx", I18N_EN, I18N_EN },
        { "e", I18N_ZH, I18N_ZH },
        { "en;q=2", I18N_ZH, I18N_ZH },
        { "en;q=-1", I18N_ZH, I18N_ZH },
        { "en;q=abc", I18N_ZH, I18N_ZH },
        { "en;q=", I18N_ZH, I18N_ZH },
        { "en;q=nan", I18N_ZH, I18N_ZH },
        { "en;q=inf", I18N_ZH, I18N_ZH },
        { ";;;,,,q=", I18N_ZH, I18N_ZH },
        { ",,,", I18N_EN, I18N_EN },
        { ";q=1", I18N_ZH, I18N_ZH },
        { "en;level=1;q=0.7", I18N_ZH, I18N_EN },
        { "\xff\xfe", I18N_ZH, I18N_ZH },
        { "zh\xe4\xb8\xad", I18N_EN, I18N_EN },
    };

    (void)state;
    for (size_t i = 0; i < TEST_ARRAY_LEN(rows); i++) {
        enum i18n_lang got = http_lang_pick(rows[i].header, rows[i].fallback);

        if (got != rows[i].want)
            fail_msg("'%s' (fallback %d): got %d want %d",
                     rows[i].header ? rows[i].header : "NULL", rows[i].fallback, got,
                     rows[i].want);
    }
}

/* Long and odd headers: only a valid enum comes back, and nothing is read past the NUL. */
static void
test_lang_pick_long(void **state)
{
    char *h = malloc(8193);
    enum i18n_lang got;

    (void)state;
    assert_non_null(h);
    for (size_t i = 0; i < 8192; i++)
        h[i] = ",;q= en"[i % 7];
    h[8192] = '\0';
    got = http_lang_pick(h, I18N_ZH);
    assert_true(got == I18N_ZH || got == I18N_EN);
    memcpy(h + 8190, "en", 2);
    got = http_lang_pick(h, I18N_ZH);
    assert_true(got == I18N_ZH || got == I18N_EN);
    free(h);
}

static void
test_cookie(void **state)
{
    struct arena *a = *state;
    static const struct { const char *header, *want; } rows[] = {
        { "kesu_session=abc", "abc" },
        { "a=1; kesu_session=abc; b=2", "abc" },
        { "a=1;kesu_session=abc", "abc" },
        { "kesu_session=\"abc\"", "abc" },
        { "kesu_session=abc  ", "abc" },
        { "kesu_session=", "" },
        { "xkesu_session=abc", NULL },
        { "kesu_sessionx=abc", NULL },
        { "kesu_session", NULL },
        { "junk; ;; kesu_session=z", "z" },
        { "", NULL },
        { "a=1; kesu_session=first; kesu_session=second", "first" },
    };

    for (size_t i = 0; i < TEST_ARRAY_LEN(rows); i++) {
        const char *got = http_cookie_get(rows[i].header, "kesu_session", a);
        if (rows[i].want == NULL ? got != NULL : got == NULL || strcmp(got, rows[i].want) != 0)
            fail_msg("'%s': want %s, got %s", rows[i].header, rows[i].want ? rows[i].want : "NULL",
                     got ? got : "NULL");
    }
    assert_null(http_cookie_get(NULL, "kesu_session", a));
}

static void
test_bearer(void **state)
{
    struct arena *a = *state;
    static const struct { const char *header, *want; } rows[] = {
        { "Bearer kesu_abc", "kesu_abc" },
        { "bearer kesu_abc", "kesu_abc" },
        { "Bearer   kesu_abc  ", "kesu_abc" },
        { "Bearer ", NULL },
        { "Bearer", NULL },
        { "Basic dXNlcjpwYXNz", NULL },
        { "Bearer a b", NULL },
        { "", NULL },
    };

    for (size_t i = 0; i < TEST_ARRAY_LEN(rows); i++) {
        const char *got = http_bearer_token(rows[i].header, a);
        if (rows[i].want == NULL ? got != NULL : got == NULL || strcmp(got, rows[i].want) != 0)
            fail_msg("'%s': want %s, got %s", rows[i].header, rows[i].want ? rows[i].want : "NULL",
                     got ? got : "NULL");
    }
    assert_null(http_bearer_token(NULL, a));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_query_good, setup, teardown),
        cmocka_unit_test_setup_teardown(test_query_len, setup, teardown),
        cmocka_unit_test_setup_teardown(test_query_bad, setup, teardown),
        cmocka_unit_test_setup_teardown(test_query_escape_cut_by_len, setup, teardown),
        cmocka_unit_test_setup_teardown(test_query_max, setup, teardown),
        cmocka_unit_test(test_query_small_arena),
        cmocka_unit_test_setup_teardown(test_path_decode, setup, teardown),
        cmocka_unit_test(test_lang_pick),
        cmocka_unit_test_setup_teardown(test_cookie, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bearer, setup, teardown),
        cmocka_unit_test(test_lang_pick_long),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
