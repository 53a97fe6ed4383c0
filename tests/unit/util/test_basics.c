/*
 * The small utilities everything stands on: util/arena, util/sbuf,
 * util/utf8, util/err and util/i18n. Invariants are checked after every
 * operation (git's strbuf tests).
 */
#include "testutil.h"

#include "util/alloc.h"
#include "util/arena.h"
#include "util/err.h"
#include "core/grading.h"
#include "util/i18n.h"
#include "util/sbuf.h"
#include "util/utf8.h"

#include <stdio.h>
#include <stdlib.h>

/* ---- arena ---- */

static void
test_arena_alignment(void **state)
{
    static const size_t sizes[] = { 1, 2, 3, 7, 8, 15, 16, 17, 31, 33, 100, 1000, 5000, 0, 1 };
    struct arena *a = arena_new(1 << 20);

    (void)state;
    assert_non_null(a);
    assert_int_equal(arena_used(a), 0);
    for (size_t i = 0; i < TEST_ARRAY_LEN(sizes); i++) {
        size_t before = arena_used(a);
        unsigned char *p = arena_alloc(a, sizes[i]);

        assert_non_null(p);
        assert_int_equal((uintptr_t)p % 16, 0);
        memset(p, 0xAB, sizes[i]);            /* ASan: the whole size is usable */
        assert_int_equal(arena_used(a) - before, (sizes[i] + 15) / 16 * 16);
    }
    arena_free(a);
}

/* The limit counts bytes handed out (rounded to 16); past it: NULL and the flag. */
static void
test_arena_limit(void **state)
{
    struct arena *a = arena_new(64);

    (void)state;
    assert_non_null(a);
    assert_non_null(arena_alloc(a, 48));
    assert_false(arena_over_limit(a));
    assert_null(arena_alloc(a, 17));           /* 48 + 32 > 64 */
    assert_true(arena_over_limit(a));
    assert_int_equal(arena_used(a), 48);
    assert_non_null(arena_alloc(a, 16));       /* exactly up to the limit */
    assert_int_equal(arena_used(a), 64);
    assert_null(arena_alloc(a, 1));
    assert_true(arena_over_limit(a));
    assert_null(arena_strdup(a, "x"));
    assert_null(arena_printf(a, "%d", 1));
    assert_null(arena_zalloc(a, 1));
    /* a size whose rounding overflows */
    assert_null(arena_alloc(a, SIZE_MAX));
    assert_null(arena_alloc(a, SIZE_MAX - 7));

    /* reset empties it and clears the flag; it keeps working */
    arena_reset(a);
    assert_false(arena_over_limit(a));
    assert_int_equal(arena_used(a), 0);
    assert_non_null(arena_alloc(a, 64));
    arena_free(a);
}

/* Allocations bigger than a block, many blocks, reset, and reuse. */
static void
test_arena_blocks_and_reset(void **state)
{
    struct arena *a = arena_new(64 << 20);

    (void)state;
    assert_non_null(a);
    for (int round = 0; round < 3; round++) {
        char *big = arena_alloc(a, 100000);
        char *small[200];

        assert_non_null(big);
        memset(big, 'x', 100000);
        for (int i = 0; i < 200; i++) {
            small[i] = arena_printf(a, "item %d of round %d", i, round);
            assert_non_null(small[i]);
        }
        for (int i = 0; i < 200; i++) {
            char want[64];
            snprintf(want, sizeof(want), "item %d of round %d", i, round);
            assert_string_equal(small[i], want);
        }
        assert_int_equal(big[99999], 'x');
        arena_reset(a);
        assert_int_equal(arena_used(a), 0);
    }
    arena_free(a);
    arena_free(NULL);
}

static void
test_arena_strings(void **state)
{
    struct arena *a = arena_new(1 << 20);
    char *s;
    unsigned char *z;
    char long_text[40000];

    (void)state;
    assert_non_null(a);
    s = arena_strndup(a, "电梯困人", 6);
    assert_string_equal(s, "电梯");
    s = arena_strndup(a, "abc", 0);
    assert_string_equal(s, "");
    s = arena_strndup(a, "a\0b", 3);      /* copies n bytes, NUL included */
    assert_int_equal(s[2], 'b');
    assert_int_equal(s[3], '\0');
    s = arena_strdup(a, "王先生");
    assert_string_equal(s, "王先生");
    s = arena_printf(a, "%s-%04d-%06lld", "KS", 2026, 123LL);
    assert_string_equal(s, "KS-2026-000123");
    s = arena_printf(a, "%s", "");
    assert_string_equal(s, "");
    memset(long_text, 'y', sizeof(long_text) - 1);
    long_text[sizeof(long_text) - 1] = '\0';
    s = arena_printf(a, "<%s>", long_text);    /* larger than a block */
    assert_non_null(s);
    assert_int_equal(strlen(s), sizeof(long_text) + 1);
    z = arena_zalloc(a, 100);
    for (int i = 0; i < 100; i++)
        assert_int_equal(z[i], 0);
    arena_free(a);
}

/* When malloc itself fails: NULL, but not "over the limit". */
static void
test_arena_malloc_failure(void **state)
{
    struct arena *a;

    (void)state;
    alloc_fail_at(1, 0);
    assert_null(arena_new(1 << 20));
    alloc_fail_at(2, 0);                      /* the struct, then its first block */
    assert_null(arena_new(1 << 20));          /* and nothing leaks */
    alloc_fail_at(0, 0);

    a = arena_new(1 << 20);
    assert_non_null(a);
    alloc_fail_at(1, 0);
    assert_null(arena_alloc(a, 20000));       /* needs a new block */
    alloc_fail_at(0, 0);
    assert_false(arena_over_limit(a));
    assert_non_null(arena_alloc(a, 20000));   /* and later it works again */
    arena_free(a);
}

/* ---- sbuf ---- */

static void
check_sbuf(const struct sbuf *sb)
{
    assert_non_null(sb->buf);
    assert_int_equal(sb->buf[sb->len], '\0');
    if (sb->cap > 0)
        assert_true(sb->len < sb->cap);
    else
        assert_int_equal(sb->len, 0);
    assert_true(sb->len <= sb->max);
    if (sb->over_max)
        assert_true(sb->failed);
}

static void
test_sbuf_growth(void **state)
{
    struct sbuf sb;
    size_t want = 0;

    (void)state;
    sbuf_init(&sb, 1 << 20);
    check_sbuf(&sb);
    assert_string_equal(sb.buf, "");
    for (int i = 0; i < 5000; i++) {
        assert_int_equal(sbuf_adds(&sb, "电梯"), 0);
        want += 6;
        check_sbuf(&sb);
        assert_int_equal(sb.len, want);
    }
    assert_int_equal(sbuf_addc(&sb, '!'), 0);
    assert_int_equal(sbuf_addf(&sb, "%d-%s", 42, "x"), 0);
    assert_int_equal(sbuf_add(&sb, "", 0), 0);
    check_sbuf(&sb);
    assert_string_equal(sb.buf + want, "!42-x");
    assert_false(sb.failed);
    sbuf_release(&sb);
    check_sbuf(&sb);
    assert_int_equal(sb.len, 0);
    sbuf_release(&sb);     /* twice is fine */
}

/* Appends that would pass max fail, and the failure sticks until reset. */
static void
test_sbuf_cap(void **state)
{
    struct sbuf sb;

    (void)state;
    sbuf_init(&sb, 10);
    assert_int_equal(sbuf_adds(&sb, "0123456789"), 0);     /* exactly max */
    check_sbuf(&sb);
    assert_false(sb.failed);
    assert_int_equal(sbuf_addc(&sb, 'x'), -1);
    assert_true(sb.failed);
    assert_true(sb.over_max);
    check_sbuf(&sb);
    assert_string_equal(sb.buf, "0123456789");          /* unchanged */
    /* sticky: even an append that would fit fails */
    assert_int_equal(sbuf_add(&sb, "", 0), -1);
    assert_int_equal(sbuf_addf(&sb, "%s", ""), -1);
    assert_string_equal(sb.buf, "0123456789");
    /* reset clears it and keeps the capacity */
    {
        size_t cap = sb.cap;
        sbuf_reset(&sb);
        check_sbuf(&sb);
        assert_false(sb.failed);
        assert_false(sb.over_max);
        assert_int_equal(sb.len, 0);
        assert_int_equal(sb.cap, cap);
    }
    assert_int_equal(sbuf_addf(&sb, "%s", "01234567890"), -1);   /* 11 > 10 via addf */
    assert_true(sb.over_max);
    assert_string_equal(sb.buf, "");
    sbuf_release(&sb);

    /* a single huge append cannot wrap the size check */
    sbuf_init(&sb, 100);
    assert_int_equal(sbuf_addc(&sb, 'a'), 0);
    assert_int_equal(sbuf_add(&sb, "b", SIZE_MAX), -1);
    assert_true(sb.over_max);
    sbuf_release(&sb);

    /* max 0: only empty appends */
    sbuf_init(&sb, 0);
    assert_int_equal(sbuf_add(&sb, "", 0), 0);
    check_sbuf(&sb);
    assert_int_equal(sbuf_addc(&sb, 'a'), -1);
    sbuf_release(&sb);
}

static void
test_sbuf_detach(void **state)
{
    struct sbuf sb;
    size_t len = 99;
    char *p;

    (void)state;
    sbuf_init(&sb, 100);
    sbuf_adds(&sb, "投诉");
    p = sbuf_detach(&sb, &len);
    assert_string_equal(p, "投诉");
    assert_int_equal(len, 6);
    check_sbuf(&sb);
    assert_int_equal(sb.len, 0);
    assert_int_equal(sb.cap, 0);
    assert_int_equal(sb.max, 100);
    alloc_free(p);
    /* an empty buffer detaches as an allocated "" */
    p = sbuf_detach(&sb, NULL);
    assert_non_null(p);
    assert_string_equal(p, "");
    alloc_free(p);
    /* usable afterwards */
    assert_int_equal(sbuf_adds(&sb, "again"), 0);
    assert_string_equal(sb.buf, "again");
    sbuf_release(&sb);
}

/* malloc failure: failed but not over_max; the content so far survives. */
static void
test_sbuf_nomem(void **state)
{
    struct sbuf sb;

    (void)state;
    sbuf_init(&sb, 1 << 20);
    alloc_fail_at(1, 0);
    assert_int_equal(sbuf_adds(&sb, "x"), -1);
    alloc_fail_at(0, 0);
    assert_true(sb.failed);
    assert_false(sb.over_max);
    check_sbuf(&sb);
    sbuf_reset(&sb);
    assert_int_equal(sbuf_adds(&sb, "abc"), 0);
    alloc_fail_at(1, 0);
    assert_int_equal(sbuf_add(&sb, "0123456789012345678901234567890123456789012345678901234567890123",
                              64),
                     -1);
    alloc_fail_at(0, 0);
    assert_string_equal(sb.buf, "abc");
    check_sbuf(&sb);
    sbuf_release(&sb);
}

/* ---- utf8 ---- */

struct decode_row {
    const char *bytes;
    size_t len;
    size_t want_n;     /* 0: invalid */
    uint32_t want_cp;
};

static const struct decode_row decode_rows[] = {
    { "A", 1, 1, 0x41 },
    { "\x00", 1, 1, 0 },
    { "\x7f", 1, 1, 0x7F },
    { "\xc2\x80", 2, 2, 0x80 },
    { "\xc3\xa9", 2, 2, 0xE9 },
    { "\xdf\xbf", 2, 2, 0x7FF },
    { "\xe0\xa0\x80", 3, 3, 0x800 },
    { "\xe4\xb8\xad", 3, 3, 0x4E2D },             /* 中 */
    { "\xe3\x80\x80", 3, 3, 0x3000 },
    { "\xed\x9f\xbf", 3, 3, 0xD7FF },
    { "\xee\x80\x80", 3, 3, 0xE000 },
    { "\xef\xbf\xbf", 3, 3, 0xFFFF },
    { "\xf0\x90\x80\x80", 4, 4, 0x10000 },
    { "\xf0\xa0\xae\xb7", 4, 4, 0x20BB7 },        /* 𠮷 */
    { "\xf4\x8f\xbf\xbf", 4, 4, 0x10FFFF },
    { "\xe4\xb8\xad\xe6", 4, 3, 0x4E2D },         /* only the first is decoded */
    /* overlong forms */
    { "\xc0\x80", 2, 0, 0 },
    { "\xc0\xaf", 2, 0, 0 },
    { "\xc1\xbf", 2, 0, 0 },
    { "\xe0\x80\x80", 3, 0, 0 },
    { "\xe0\x9f\xbf", 3, 0, 0 },
    { "\xf0\x80\x80\x80", 4, 0, 0 },
    { "\xf0\x8f\xbf\xbf", 4, 0, 0 },
    /* surrogates */
    { "\xed\xa0\x80", 3, 0, 0 },
    { "\xed\xad\xbf", 3, 0, 0 },
    { "\xed\xbf\xbf", 3, 0, 0 },
    /* past U+10FFFF */
    { "\xf4\x90\x80\x80", 4, 0, 0 },
    { "\xf5\x80\x80\x80", 4, 0, 0 },
    { "\xf7\xbf\xbf\xbf", 4, 0, 0 },
    { "\xf8\x88\x80\x80\x80", 5, 0, 0 },
    { "\xfe", 1, 0, 0 },
    { "\xff", 1, 0, 0 },
    /* lone or bad continuation bytes */
    { "\x80", 1, 0, 0 },
    { "\xbf", 1, 0, 0 },
    { "\xc3\x28", 2, 0, 0 },
    { "\xe4\x41\xad", 3, 0, 0 },
    { "\xe4\xb8\x41", 3, 0, 0 },
    { "\xf0\xa0\xae\x41", 4, 0, 0 },
    { "\xc3\xc3", 2, 0, 0 },
    /* truncated */
    { "\xc3", 1, 0, 0 },
    { "\xe4\xb8", 2, 0, 0 },
    { "\xe4", 1, 0, 0 },
    { "\xf0\xa0\xae", 3, 0, 0 },
    { "\xf0", 1, 0, 0 },
    { "", 0, 0, 0 },
};

static void
test_utf8_decode(void **state)
{
    (void)state;
    for (size_t i = 0; i < TEST_ARRAY_LEN(decode_rows); i++) {
        const struct decode_row *r = &decode_rows[i];
        unsigned char *copy = malloc(r->len ? r->len : 1);   /* exact: ASan sees over-reads */
        uint32_t cp = 0xDEADBEEF;
        size_t n;

        assert_non_null(copy);
        memcpy(copy, r->bytes, r->len);
        n = utf8_decode(copy, r->len, &cp);
        if (n != r->want_n)
            fail_msg("row %zu: length %zu, want %zu", i, n, r->want_n);
        if (n > 0 && cp != r->want_cp)
            fail_msg("row %zu: U+%04X, want U+%04X", i, cp, r->want_cp);
        /* a string of just this sequence is valid exactly when it decodes whole */
        assert_int_equal(utf8_is_valid((const char *)copy, r->len), n == r->len);
        free(copy);
    }
}

static void
test_utf8_is_valid(void **state)
{
    (void)state;
    assert_true(utf8_is_valid("", 0));
    assert_true(utf8_is_valid("电梯困人 elevator 𠮷", strlen("电梯困人 elevator 𠮷")));
    assert_true(utf8_is_valid("a\0b", 3));
    assert_false(utf8_is_valid("电梯\xff", 7));
    assert_false(utf8_is_valid("电梯", 5));       /* cut inside a character */
    assert_true(utf8_is_valid("电梯\xff", 6));    /* the length is honoured */
}

static void
test_utf8_len_chars(void **state)
{
    static const struct {
        const char *s;
        size_t chars;
    } rows[] = {
        { "", 0 }, { "abc", 3 }, { "中文", 2 }, { "𠮷", 1 }, { "𠮷野家", 3 },
        { "a中𠮷é", 4 }, { "\xe3\x80\x80", 1 }, { "a\nb", 3 },
    };

    (void)state;
    for (size_t i = 0; i < TEST_ARRAY_LEN(rows); i++)
        assert_int_equal(utf8_len_chars(rows[i].s, strlen(rows[i].s)), rows[i].chars);
    assert_int_equal(utf8_len_chars("中文", 3), 1);
}

static void
test_utf8_prefix_bytes(void **state)
{
    static const struct {
        const char *s;
        size_t max_chars, bytes;
    } rows[] = {
        { "中文字", 0, 0 }, { "中文字", 1, 3 }, { "中文字", 2, 6 }, { "中文字", 3, 9 },
        { "中文字", 4, 9 }, { "a𠮷b", 1, 1 }, { "a𠮷b", 2, 5 }, { "a𠮷b", 3, 6 },
        { "", 5, 0 }, { "abc", 2, 2 },
    };

    (void)state;
    for (size_t i = 0; i < TEST_ARRAY_LEN(rows); i++) {
        size_t n = utf8_prefix_bytes(rows[i].s, strlen(rows[i].s), rows[i].max_chars);

        assert_int_equal(n, rows[i].bytes);
        /* the cut lies between code points */
        assert_true(utf8_is_valid(rows[i].s, n));
        assert_int_equal(utf8_len_chars(rows[i].s, n),
                         rows[i].max_chars < utf8_len_chars(rows[i].s, strlen(rows[i].s))
                             ? rows[i].max_chars
                             : utf8_len_chars(rows[i].s, strlen(rows[i].s)));
    }
}

static void
test_utf8_has_control(void **state)
{
    static const struct {
        const char *s;
        size_t len;
        bool single_line, multi_line;   /* expected with allow_newlines false / true */
    } rows[] = {
        { "abc", 3, false, false },
        { "电梯困人", 12, false, false },
        { "a\tb", 3, true, false },
        { "a\nb", 3, true, false },
        { "a\rb", 3, true, false },
        { "a\x01", 2, true, true },
        { "a\x1f", 2, true, true },
        { "\x7f", 1, true, true },
        { "\x00", 1, true, true },
        { "\f", 1, true, true },
        { "\v", 1, true, true },
        { "\x1b", 1, true, true },
        { " ~", 2, false, false },
        { "\xc2\x85", 2, false, false },   /* C1 controls are not ASCII controls */
        { "", 0, false, false },
    };

    (void)state;
    for (size_t i = 0; i < TEST_ARRAY_LEN(rows); i++) {
        assert_int_equal(utf8_has_control(rows[i].s, rows[i].len, false), rows[i].single_line);
        assert_int_equal(utf8_has_control(rows[i].s, rows[i].len, true), rows[i].multi_line);
    }
}

/* ---- err ---- */

static void
test_err_first_wins(void **state)
{
    struct err e = { 0 };

    (void)state;
    assert_int_equal(err_set(&e, ERR_INVALID, "complainant.phone", "bad_length", "%d digits", 5),
                     -1);
    assert_int_equal(e.code, ERR_INVALID);
    assert_string_equal(e.field, "complainant.phone");
    assert_string_equal(e.reason, "bad_length");
    assert_string_equal(e.detail, "5 digits");
    assert_int_equal(err_set(&e, ERR_NOMEM, NULL, "nomem", "later"), -1);
    assert_int_equal(e.code, ERR_INVALID);
    assert_string_equal(e.field, "complainant.phone");
    assert_string_equal(e.reason, "bad_length");
    assert_string_equal(e.detail, "5 digits");
    err_clear(&e);
    assert_int_equal(e.code, ERR_OK);
    assert_null(e.field);
    assert_null(e.reason);
    assert_string_equal(e.detail, "");
    assert_int_equal(err_set(&e, ERR_NOMEM, NULL, "nomem", "now"), -1);
    assert_int_equal(e.code, ERR_NOMEM);
    assert_null(e.field);
    /* NULL is allowed and still says -1 */
    assert_int_equal(err_set(NULL, ERR_INVALID, "x", "y", "z"), -1);
}

static void
test_err_detail_truncated(void **state)
{
    struct err e = { 0 };
    char long_text[1000];

    (void)state;
    memset(long_text, 'x', sizeof(long_text) - 1);
    long_text[sizeof(long_text) - 1] = '\0';
    memset(e.detail, 'Q', sizeof(e.detail));
    err_set(&e, ERR_INTERNAL, NULL, "internal", "%s", long_text);
    assert_int_equal(strlen(e.detail), sizeof(e.detail) - 1);
}

static void
test_err_code_names(void **state)
{
    static const struct {
        enum err_code code;
        const char *name;
    } rows[] = {
        { ERR_OK, "ok" },
        { ERR_INVALID, "invalid" },
        { ERR_FORBIDDEN, "forbidden" },
        { ERR_NOT_FOUND, "not_found" },
        { ERR_METHOD, "method_not_allowed" },
        { ERR_CONFLICT, "conflict" },
        { ERR_TOO_LARGE, "too_large" },
        { ERR_UNSUPPORTED, "unsupported_media_type" },
        { ERR_BUSY, "busy" },
        { ERR_NOMEM, "out_of_memory" },
        { ERR_STORE, "store_error" },
        { ERR_INTERNAL, "internal" },
        { ERR_UNAUTHENTICATED, "unauthenticated" },
        { ERR_RATE_LIMITED, "rate_limited" },
    };

    (void)state;
    for (size_t i = 0; i < TEST_ARRAY_LEN(rows); i++)
        assert_string_equal(err_code_name(rows[i].code), rows[i].name);
    assert_string_equal(err_code_name((enum err_code)99), "internal");
    assert_string_equal(err_code_name((enum err_code)-1), "internal");
}

/* ---- i18n ---- */

/*
 * Every reason key passed to err_set() anywhere in src/, extracted with
 *   grep -rn 'err_set' src/ (the fourth argument, literals and the values
 *   of the variables passed: phone.c's and ts.c's fail(), query.c's `why`)
 * Keep it complete: a reason missing from the catalog reaches the user as
 * a generic message.
 */
static const char *const used_reasons[] = {
    /* docs/api.md's input reasons */
    "required", "empty", "too_long", "bad_type", "bad_value", "bad_character", "unknown",
    "unknown_field", "unknown_parameter", "repeated", "too_small", "too_large", "bad_format",
    "bad_date", "bad_time", "bad_offset", "out_of_range", "in_future", "missing_time",
    "requires_building", "requires_category", "bad_email", "negative", "too_many_decimals",
    "bad_country_code", "bad_mobile", "bad_area_code", "bad_length", "bad_extension",
    "bad_json", "not_object", "bad_cursor", "before_from", "bad_utf8", "key_reused",
    "content_mismatch", "unsupported_type", "unsupported_content_type", "body_too_large",
    "no_route",
    /* the rest */
    "method_not_allowed", "busy", "nomem", "store", "internal", "cannot_open", "preset_set",
    "exists", "fts5", "bad_syntax", "unknown_key", "not_found", "unreadable",
    /* the life of a complaint (issue 4) */
    "not_allowed", "nothing_to_change", "cannot_handle", "not_handler", "not_pending",
    "not_approved", "not_major", "handler_cannot_follow_up", "company_only", "done", "retired",
    "too_many", "disabled", "masked_digits",
    /* ---- calendar (issue 5) ---- */
    "not_vcalendar", "no_events", "missing_date", "not_all_day", "recurring", "bad_range",
    "range_too_long", "bad_kind", "conflict",
    /* ---- end of calendar ---- */
    /* ---- notifications (issue 5) ---- */
    "unknown_placeholder", "bad_placeholder", "not_dead", "not_pending", "bad_email",
    "bad_utf8", "bad_character", "empty", "too_many",
    /* ---- end of notifications ---- */
    /* ---- deadlines (issue 5) ---- */
    "not_running", "paused", "not_paused",
    /* ---- end of deadlines ---- */
    /* ---- customer portal and projects (issue 6) ---- */
    "rate_limited", "not_image", "closed_for_upload", "already_rated", "too_many", "exists",
    "not_found", "bad_format",
    /* ---- end of customer portal and projects ---- */
};

static void
test_i18n_every_reason(void **state)
{
    const char *generic_zh = i18n_reason(I18N_ZH, "no such reason, surely");
    const char *generic_en = i18n_reason(I18N_EN, "no such reason, surely");

    (void)state;
    for (size_t i = 0; i < TEST_ARRAY_LEN(used_reasons); i++) {
        const char *zh = i18n_reason(I18N_ZH, used_reasons[i]);
        const char *en = i18n_reason(I18N_EN, used_reasons[i]);

        if (zh == NULL || zh[0] == '\0' || strcmp(zh, generic_zh) == 0)
            fail_msg("reason '%s' has no Chinese text", used_reasons[i]);
        if (en == NULL || en[0] == '\0' || strcmp(en, generic_en) == 0)
            fail_msg("reason '%s' has no English text", used_reasons[i]);
        assert_true(utf8_is_valid(zh, strlen(zh)));
        assert_true(strcmp(zh, en) != 0);
    }
}

static void
test_i18n_unknown_reason(void **state)
{
    (void)state;
    assert_string_equal(i18n_reason(I18N_ZH, "xyz"), "不符合要求");
    assert_string_equal(i18n_reason(I18N_EN, "xyz"), "is not acceptable");
    assert_string_equal(i18n_reason(I18N_EN, NULL), "is not acceptable");
}

static void
test_i18n_fields(void **state)
{
    static const char *const unknown = "flags.sparkle";

    (void)state;
    assert_string_equal(i18n_field(I18N_ZH, "complainant.phone"), "投诉人电话");
    assert_string_equal(i18n_field(I18N_EN, "complainant.phone"), "complainant's phone");
    /* positions in a list do not change what a field is called */
    assert_string_equal(i18n_field(I18N_ZH, "roles[3].project"), "角色所在项目");
    assert_string_equal(i18n_field(I18N_EN, "roles[0].role"), "role");
    assert_string_equal(i18n_field(I18N_EN, "roles[0"), "roles");  /* an unclosed index is dropped */
    /* an unknown field is shown as its path */
    assert_ptr_equal(i18n_field(I18N_ZH, unknown), unknown);
    assert_ptr_equal(i18n_field(I18N_EN, unknown), unknown);
    assert_null(i18n_field(I18N_ZH, NULL));
}

static void
test_i18n_message(void **state)
{
    char out[256];
    size_t n;

    (void)state;
    /* the example of docs/api.md */
    n = i18n_message(I18N_ZH, "complainant.phone", "bad_length", out, sizeof(out));
    assert_string_equal(out, "投诉人电话:号码位数不对");
    assert_int_equal(n, strlen(out));
    i18n_message(I18N_EN, "complainant.phone", "bad_length", out, sizeof(out));
    assert_string_equal(out, "complainant's phone has the wrong number of digits");
    i18n_message(I18N_ZH, NULL, "no_route", out, sizeof(out));
    assert_string_equal(out, "没有这个接口");
    i18n_message(I18N_EN, "x.y", "required", out, sizeof(out));
    assert_string_equal(out, "x.y is required");
    /* cut to the buffer, NUL-terminated, length of what was written */
    n = i18n_message(I18N_EN, "complainant.phone", "bad_length", out, 10);
    assert_int_equal(n, 9);
    assert_string_equal(out, "complaina");
}

/* A condition's syntax error names the byte and what was expected; an unknown fact its name. */
static void
test_i18n_condition_message(void **state)
{
    static const char *const conditions[] = { "headcount >=", "headcount >> 1", "bogus >= 1",
                                              "headcount >= 1 or x", ">= 1", "headcount >= 1x" };
    char out[256];
    struct grade_condition cond;
    (void)state;

    for (size_t i = 0; i < TEST_ARRAY_LEN(conditions); i++) {
        struct err e = { 0 };
        char generic[256];
        assert_int_equal(core_grade_condition_parse(conditions[i], &cond, &e), -1);
        i18n_message(I18N_ZH, e.field, e.reason, generic, sizeof(generic));
        i18n_condition_message(I18N_ZH, e.field, e.reason, e.detail, out, sizeof(out));
        /* every parse error of these kinds gets its own message, in both languages */
        assert_string_not_equal(out, generic);
        assert_true(utf8_is_valid(out, strlen(out)));
        i18n_condition_message(I18N_EN, e.field, e.reason, e.detail, out, sizeof(out));
        assert_null(strstr(out, "is not acceptable"));
    }
    {
        struct err e = { 0 };
        core_grade_condition_parse("headcount >=", &cond, &e);
        i18n_condition_message(I18N_ZH, e.field, e.reason, e.detail, out, sizeof(out));
        assert_string_equal(out, "规则条件:第 12 字节处格式不对,应为整数");
        i18n_condition_message(I18N_EN, e.field, e.reason, e.detail, out, sizeof(out));
        assert_string_equal(out, "rule condition has a syntax error at byte 12: expected a whole number");
    }
    {
        struct err e = { 0 };
        core_grade_condition_parse("bogus >= 1", &cond, &e);
        i18n_condition_message(I18N_ZH, e.field, e.reason, e.detail, out, sizeof(out));
        assert_string_equal(out, "规则条件:没有名为“bogus”的事实");
        i18n_condition_message(I18N_EN, e.field, e.reason, e.detail, out, sizeof(out));
        assert_string_equal(out, "rule condition: there is no fact \"bogus\"");
    }
    /* other reasons, or a detail of another form: the plain message */
    i18n_condition_message(I18N_ZH, "condition", "too_many", "more than 4", out, sizeof(out));
    assert_string_equal(out, "规则条件:数量太多");
    i18n_condition_message(I18N_EN, "condition", "bad_syntax", "garbled", out, sizeof(out));
    assert_string_equal(out, "rule condition has a syntax error");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_arena_alignment),
        cmocka_unit_test(test_arena_limit),
        cmocka_unit_test(test_arena_blocks_and_reset),
        cmocka_unit_test(test_arena_strings),
        cmocka_unit_test(test_arena_malloc_failure),
        cmocka_unit_test(test_sbuf_growth),
        cmocka_unit_test(test_sbuf_cap),
        cmocka_unit_test(test_sbuf_detach),
        cmocka_unit_test(test_sbuf_nomem),
        cmocka_unit_test(test_utf8_decode),
        cmocka_unit_test(test_utf8_is_valid),
        cmocka_unit_test(test_utf8_len_chars),
        cmocka_unit_test(test_utf8_prefix_bytes),
        cmocka_unit_test(test_utf8_has_control),
        cmocka_unit_test(test_err_first_wins),
        cmocka_unit_test(test_err_detail_truncated),
        cmocka_unit_test(test_err_code_names),
        cmocka_unit_test(test_i18n_every_reason),
        cmocka_unit_test(test_i18n_unknown_reason),
        cmocka_unit_test(test_i18n_fields),
        cmocka_unit_test(test_i18n_message),
        cmocka_unit_test(test_i18n_condition_message),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
