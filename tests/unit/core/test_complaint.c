/*
 * core/complaint.c: rules across fields, text and e-mail checks, amounts and
 * complaint numbers. Boundaries on both sides.
 */
#include "testutil.h"

#include "core/complaint.h"

#include <stdio.h>

#define NOW 1795329037LL     /* 2026-11-22T14:30:37+08:00 */
#define MINUTE(t) ((t) - (t) % 60)

static void
expect_err(int rc, const struct err *e, const char *field, const char *reason, const char *what)
{
    if (rc != -1 || e->code != ERR_INVALID || e->field == NULL || e->reason == NULL ||
        strcmp(e->field, field) != 0 || strcmp(e->reason, reason) != 0)
        fail_msg("%s: want %s/%s, got rc %d code %d %s/%s", what, field, reason, rc, e->code,
                 e->field ? e->field : "NULL", e->reason ? e->reason : "NULL");
}

/* A complaint that passes every rule. */
static void
valid(struct complaint_new *c)
{
    core_complaint_new_init(c);
    c->channel = "phone";
    c->project = "HY";
    c->subject = "电梯困人";
    c->content = "业主被困";
    c->complainant.phone = "13812345678";
}

static void
test_new_init_defaults(void **state)
{
    struct complaint_new c;

    (void)state;
    memset(&c, 0x5A, sizeof(c));
    core_complaint_new_init(&c);
    assert_string_equal(c.kind, "complaint");
    assert_int_equal(c.headcount, 1);
    assert_string_equal(c.complainant.role, "other");
    assert_false(c.complainant.anonymous);
    assert_null(c.channel);
    assert_null(c.comm_type);
    assert_false(c.has_received_at);
    assert_false(c.has_loss);
    assert_int_equal(c.flags, 0);
    assert_null(c.complainant.phone);
    assert_null(c.complainant.email);
}

static void
test_check_received_at_default(void **state)
{
    struct complaint_new c;
    struct err e = { 0 };

    (void)state;
    valid(&c);
    assert_int_equal(core_complaint_check(&c, NOW, &e), 0);
    assert_int_equal(e.code, ERR_OK);
    assert_true(c.has_received_at);
    assert_int_equal(c.received_at, MINUTE(NOW));   /* trimmed to the minute */
}

/* Up to CORE_FUTURE_SKEW seconds ahead is allowed; one more is in_future. */
static void
test_check_future_skew(void **state)
{
    static const struct {
        int64_t ahead;
        bool ok;
    } rows[] = {
        { -86400 * 365, true }, { -1, true }, { 0, true }, { 1, true }, { 299, true },
        { 300, true }, { 301, false }, { 3600, false }, { 86400 * 365, false },
    };

    (void)state;
    assert_int_equal(CORE_FUTURE_SKEW, 300);
    for (size_t i = 0; i < TEST_ARRAY_LEN(rows); i++) {
        struct complaint_new c;
        struct err e = { 0 };
        char what[48];
        int rc;

        valid(&c);
        c.has_received_at = true;
        c.received_at = NOW + rows[i].ahead;
        rc = core_complaint_check(&c, NOW, &e);
        snprintf(what, sizeof(what), "now%+lld", (long long)rows[i].ahead);
        if (rows[i].ok) {
            if (rc != 0)
                fail_msg("%s: %s", what, e.reason);
            assert_int_equal(c.received_at, MINUTE(NOW + rows[i].ahead));
        } else {
            expect_err(rc, &e, "received_at", "in_future", what);
        }
    }
}

/* Seconds are dropped; a time already on the minute stays. */
static void
test_check_trims_to_minute(void **state)
{
    static const int64_t base = 1795329000LL;    /* 14:30:00 */
    static const struct {
        int64_t in, out;
    } rows[] = {
        { base, base }, { base + 1, base }, { base + 59, base }, { base + 60, base + 60 },
        { base - 1, base - 60 }, { 0, 0 }, { 59, 0 },
    };

    (void)state;
    for (size_t i = 0; i < TEST_ARRAY_LEN(rows); i++) {
        struct complaint_new c;
        struct err e = { 0 };

        valid(&c);
        c.has_received_at = true;
        c.received_at = rows[i].in;
        assert_int_equal(core_complaint_check(&c, base + 3600, &e), 0);
        assert_int_equal(c.received_at, rows[i].out);
        assert_int_equal(c.received_at % 60, 0);
    }
}

static void
test_check_cross_field(void **state)
{
    struct complaint_new c;
    struct err e;

    (void)state;
    /* unit needs building */
    valid(&c);
    c.unit = "2单元1202";
    e = (struct err){ 0 };
    expect_err(core_complaint_check(&c, NOW, &e), &e, "unit", "requires_building", "unit");
    c.building = "3栋";
    e = (struct err){ 0 };
    assert_int_equal(core_complaint_check(&c, NOW, &e), 0);

    /* building alone is fine */
    valid(&c);
    c.building = "3栋";
    assert_int_equal(core_complaint_check(&c, NOW, &e), 0);

    /* subcategory needs category */
    valid(&c);
    c.subcategory = "lift";
    e = (struct err){ 0 };
    expect_err(core_complaint_check(&c, NOW, &e), &e, "subcategory", "requires_category",
               "subcategory");
    c.category = "equipment";
    e = (struct err){ 0 };
    assert_int_equal(core_complaint_check(&c, NOW, &e), 0);

    /* contact: phone or e-mail unless anonymous */
    valid(&c);
    c.complainant.phone = NULL;
    e = (struct err){ 0 };
    expect_err(core_complaint_check(&c, NOW, &e), &e, "complainant.phone", "required",
               "no contact");
    c.complainant.name = "王先生";
    e = (struct err){ 0 };
    expect_err(core_complaint_check(&c, NOW, &e), &e, "complainant.phone", "required",
               "a name is not a contact");
    c.complainant.email = "wang@example.com";
    e = (struct err){ 0 };
    assert_int_equal(core_complaint_check(&c, NOW, &e), 0);
    c.complainant.email = NULL;
    c.complainant.anonymous = true;
    e = (struct err){ 0 };
    assert_int_equal(core_complaint_check(&c, NOW, &e), 0);
}

/* The first rule that fails is the one reported, in the order the header gives. */
static void
test_check_first_error(void **state)
{
    struct complaint_new c;
    struct err e = { 0 };

    (void)state;
    valid(&c);
    c.has_received_at = true;
    c.received_at = NOW + 3600;
    c.unit = "1202";
    c.subcategory = "lift";
    c.complainant.phone = NULL;
    expect_err(core_complaint_check(&c, NOW, &e), &e, "received_at", "in_future", "all four");
    c.received_at = NOW;
    e = (struct err){ 0 };
    expect_err(core_complaint_check(&c, NOW, &e), &e, "unit", "requires_building", "three");
    c.unit = NULL;
    e = (struct err){ 0 };
    expect_err(core_complaint_check(&c, NOW, &e), &e, "subcategory", "requires_category", "two");
    /* an earlier error in e is kept */
    e = (struct err){ 0 };
    err_set(&e, ERR_INVALID, "subject", "empty", "earlier");
    assert_int_equal(core_complaint_check(&c, NOW, &e), -1);
    assert_string_equal(e.field, "subject");
}

static void
test_text_check(void **state)
{
    static const struct {
        const char *s;
        size_t max;
        bool multiline;
        const char *reason;   /* NULL: accepted */
    } rows[] = {
        { "电梯困人", 100, false, NULL },
        { "", 100, false, "empty" },
        { "a\tb", 100, false, "bad_character" },
        { "a\nb", 100, false, "bad_character" },
        { "a\rb", 100, false, "bad_character" },
        { "a\tb\nc\r\nd", 100, true, NULL },
        { "a\x01", 100, true, "bad_character" },
        { "a\x1f", 100, true, "bad_character" },
        { "\x7f", 100, true, "bad_character" },
        { "\x1b[0m", 100, true, "bad_character" },
        { "\f", 100, true, "bad_character" },
        { "\v", 100, true, "bad_character" },
        { "abc", 3, false, NULL },
        { "abcd", 3, false, "too_long" },
        { "中文字", 3, false, NULL },
        { "中文字符", 3, false, "too_long" },
        { "𠮷𠮷𠮷", 3, false, NULL },
        { "𠮷𠮷𠮷𠮷", 3, false, "too_long" },
        { "é", 1, false, NULL },
        { "\xe3\x80\x80", 1, false, NULL },
        /* control characters are found before the length is counted */
        { "abcd\x01", 3, false, "bad_character" },
    };

    (void)state;
    for (size_t i = 0; i < TEST_ARRAY_LEN(rows); i++) {
        struct err e = { 0 };
        int rc = core_text_check("subject", rows[i].s, strlen(rows[i].s), rows[i].max,
                                 rows[i].multiline, &e);
        char what[32];

        snprintf(what, sizeof(what), "text row %zu", i);
        if (rows[i].reason == NULL) {
            if (rc != 0)
                fail_msg("%s: %s", what, e.reason);
            assert_int_equal(e.code, ERR_OK);
        } else {
            expect_err(rc, &e, "subject", rows[i].reason, what);
        }
    }
    /* the length argument counts, not the NUL */
    {
        struct err e = { 0 };
        assert_int_equal(core_text_check("t", "abcdef", 3, 3, false, &e), 0);
    }
}

/* 100 Chinese characters: 300 bytes, within the subject limit; 101 is not. */
static void
test_text_check_subject_limit(void **state)
{
    char buf[4 * 101 + 1];
    struct err e = { 0 };

    (void)state;
    for (int i = 0; i < 101; i++)
        memcpy(buf + 3 * i, "电", 3);
    assert_int_equal(core_text_check("subject", buf, 300, CORE_SUBJECT_MAX, false, &e), 0);
    expect_err(core_text_check("subject", buf, 303, CORE_SUBJECT_MAX, false, &e), &e, "subject",
               "too_long", "101 chars");
    for (int i = 0; i < 101; i++)
        memcpy(buf + 4 * i, "𠮷", 4);
    e = (struct err){ 0 };
    assert_int_equal(core_text_check("subject", buf, 400, CORE_SUBJECT_MAX, false, &e), 0);
    expect_err(core_text_check("subject", buf, 404, CORE_SUBJECT_MAX, false, &e), &e, "subject",
               "too_long", "101 astral chars");
}

static void
test_email_check(void **state)
{
    static const char *const good[] = {
        "wang@example.com", "a@b.c", "a.b+c@mail.example.cn", "王@例子.中国", "x@localhost.localdomain",
        "first.last@sub.domain.example.com",
    };
    static const char *const bad[] = {
        "", "wang", "wang@example", "@example.com", "a@b@example.com", "wang@.com",
        "wang@example.", "wang li@example.com", "wang@exa mple.com", "<wang@example.com>",
        "wang@example.com,li@example.com", "wang;@example.com", "\"wang\"@example.com",
        "wang@", "@", "wang\t@example.com", "wang@example.com\n",
    };

    (void)state;
    for (size_t i = 0; i < TEST_ARRAY_LEN(good); i++) {
        struct err e = { 0 };
        if (core_email_check("complainant.email", good[i], &e) != 0)
            fail_msg("'%s' refused: %s", good[i], e.reason);
    }
    for (size_t i = 0; i < TEST_ARRAY_LEN(bad); i++) {
        struct err e = { 0 };
        expect_err(core_email_check("complainant.email", bad[i], &e), &e, "complainant.email",
                   "bad_email", bad[i]);
    }
}

/* 254 characters is the limit, counted in characters. */
static void
test_email_length(void **state)
{
    char buf[1024];
    struct err e = { 0 };
    size_t local;

    (void)state;
    local = 254 - strlen("@example.com");
    memset(buf, 'a', local);
    memcpy(buf + local, "@example.com", sizeof("@example.com"));
    assert_int_equal(strlen(buf), 254);
    assert_int_equal(core_email_check("email", buf, &e), 0);
    memmove(buf + 1, buf, strlen(buf) + 1);
    expect_err(core_email_check("email", buf, &e), &e, "email", "too_long", "255");
    /* 240 Chinese characters and the domain: 732 bytes, 252 characters */
    for (int i = 0; i < 240; i++)
        memcpy(buf + 3 * i, "王", 3);
    memcpy(buf + 720, "@example.com", sizeof("@example.com"));
    e = (struct err){ 0 };
    assert_int_equal(core_email_check("email", buf, &e), 0);
}

struct amount_row {
    const char *s;
    int64_t fen;
    const char *reason;   /* NULL: accepted */
};

static const struct amount_row amount_rows[] = {
    { "0", 0, NULL },
    { "0.5", 50, NULL },
    { "0.05", 5, NULL },
    { "0.50", 50, NULL },
    { "1.10", 110, NULL },
    { "1.1", 110, NULL },
    { "1", 100, NULL },
    { "1200.50", 120050, NULL },
    { ".5", 50, NULL },
    { "5.", 500, NULL },
    { "007", 700, NULL },
    { "1.000", 100, NULL },          /* trailing zeros past two decimals change nothing */
    { "99999999.99", 9999999999LL, NULL },
    { "100000000", 10000000000LL, NULL },
    { "100000000.00", 10000000000LL, NULL },
    { "100000000.000", 10000000000LL, NULL },
    { "0000000000000100000000", 10000000000LL, NULL },
    { "1.005", 0, "too_many_decimals" },
    { "0.001", 0, "too_many_decimals" },
    { "1.0001", 0, "too_many_decimals" },
    { "100000000.01", 0, "too_large" },
    { "100000001", 0, "too_large" },
    { "1000000000", 0, "too_large" },
    { "99999999999999999999999999", 0, "too_large" },
    { "-1", 0, "negative" },
    { "-0.01", 0, "negative" },
    { "", 0, "bad_format" },
    { ".", 0, "bad_format" },
    { "1e3", 0, "bad_format" },
    { "1.2.3", 0, "bad_format" },
    { "abc", 0, "bad_format" },
    { "1,000", 0, "bad_format" },
    { " 1", 0, "bad_format" },
    { "1 ", 0, "bad_format" },
    { "+", 0, "bad_format" },
    { "++1", 0, "bad_format" },
    { "0x10", 0, "bad_format" },
    { "１", 0, "bad_format" },
    { "1..2", 0, "bad_format" },
    { "..", 0, "bad_format" },
};

static void
test_amount_parse(void **state)
{
    (void)state;
    for (size_t i = 0; i < TEST_ARRAY_LEN(amount_rows); i++) {
        const struct amount_row *r = &amount_rows[i];
        int64_t fen = -12345;
        struct err e = { 0 };
        int rc = core_amount_parse("loss_amount", r->s, strlen(r->s), &fen, &e);

        if (r->reason == NULL) {
            if (rc != 0)
                fail_msg("'%s': %s", r->s, e.reason);
            if (fen != r->fen)
                fail_msg("'%s': %lld fen, want %lld", r->s, (long long)fen, (long long)r->fen);
        } else {
            expect_err(rc, &e, "loss_amount", r->reason, r->s);
            assert_int_equal(fen, -12345);     /* untouched on failure */
        }
    }
}

/* Only `len` bytes are read. */
static void
test_amount_parse_len(void **state)
{
    int64_t fen = 0;
    struct err e = { 0 };

    (void)state;
    assert_int_equal(core_amount_parse("x", "12345", 2, &fen, &e), 0);
    assert_int_equal(fen, 1200);
    assert_int_equal(core_amount_parse("x", "1.5xyz", 3, &fen, &e), 0);
    assert_int_equal(fen, 150);
    assert_int_equal(core_amount_parse("x", "1.5", 0, &fen, &e), -1);
    assert_string_equal(e.reason, "bad_format");
}

static void
test_amount_format(void **state)
{
    static const struct {
        int64_t fen;
        const char *want;
    } rows[] = {
        { 0, "0.00" }, { 5, "0.05" }, { 50, "0.50" }, { 99, "0.99" }, { 100, "1.00" },
        { 110, "1.10" }, { 120050, "1200.50" }, { 9999999999LL, "99999999.99" },
        { 10000000000LL, "100000000.00" },
    };

    (void)state;
    for (size_t i = 0; i < TEST_ARRAY_LEN(rows); i++) {
        char out[24];
        int64_t back = -1;
        struct err e = { 0 };

        core_amount_format(rows[i].fen, out, sizeof(out));
        assert_string_equal(out, rows[i].want);
        /* and it parses back */
        assert_int_equal(core_amount_parse("x", out, strlen(out), &back, &e), 0);
        assert_int_equal(back, rows[i].fen);
    }
}

static void
test_number_format(void **state)
{
    static const struct {
        const char *prefix;
        int year;
        int64_t seq;
        const char *want;
    } rows[] = {
        { "KS", 2026, 123, "KS-2026-000123" },
        { "KS", 2026, 1, "KS-2026-000001" },
        { "KS", 2026, 0, "KS-2026-000000" },
        { "KS", 2026, 999999, "KS-2026-999999" },
        { "KS", 2026, 1000000, "KS-2026-1000000" },    /* 7 digits: wider, not cut */
        { "KS", 2026, 1234567, "KS-2026-1234567" },
        { "HY1", 2027, 42, "HY1-2027-000042" },
        { "ABCDEFGHIJKLMNOP", 9999, 999999999999LL, "ABCDEFGHIJKLMNOP-9999-999999999999" },
    };

    (void)state;
    for (size_t i = 0; i < TEST_ARRAY_LEN(rows); i++) {
        char out[64];
        size_t n = core_number_format(out, sizeof(out), rows[i].prefix, rows[i].year,
                                      rows[i].seq);

        assert_int_equal(n, strlen(rows[i].want));
        assert_string_equal(out, rows[i].want);
        assert_true(core_number_is_wellformed(out));
        /* exactly enough room, and one byte short */
        assert_int_equal(core_number_format(out, n + 1, rows[i].prefix, rows[i].year,
                                            rows[i].seq),
                         n);
        assert_int_equal(core_number_format(out, n, rows[i].prefix, rows[i].year, rows[i].seq),
                         0);
    }
}

static void
test_number_wellformed(void **state)
{
    static const char *const good[] = {
        "KS-2026-000123", "KS-2026-1234567", "A-0000-000000", "HY1-2026-000001",
        "ABCDEFGHIJKLMNOP-2026-000001", "KS-2026-999999999999",
    };
    static const char *const bad[] = {
        "", "KS", "KS-", "KS-2026", "KS-2026-", "KS-20", "KS-2026-00012", "ks-2026-000123",
        "KS-26-000123", "KS2026000123", "-2026-000123", "KS-2026-000123x", "KS-202a-000123",
        "KS-2026_000123", "KS-2026-0001234567890", "ABCDEFGHIJKLMNOPQ-2026-000001",
        "K S-2026-000123", "KS-2026-+00123", "KS-2026-000 123", "KS--2026-000123",
        "KS-2026-000123-1", "华苑-2026-000123", "KS-02026-000123",
    };

    (void)state;
    for (size_t i = 0; i < TEST_ARRAY_LEN(good); i++)
        if (!core_number_is_wellformed(good[i]))
            fail_msg("'%s' refused", good[i]);
    for (size_t i = 0; i < TEST_ARRAY_LEN(bad); i++)
        if (core_number_is_wellformed(bad[i]))
            fail_msg("'%s' accepted", bad[i]);
}

static void
test_prefix_valid(void **state)
{
    static const char *const good[] = { "KS", "A", "Z9", "0", "ABCDEFGHIJKLMNOP", "HY2026" };
    static const char *const bad[] = { "", "ks", "K-S", "K S", "ABCDEFGHIJKLMNOPQ", "华",
                                       "KS\n", "K_S", "Ks" };

    (void)state;
    for (size_t i = 0; i < TEST_ARRAY_LEN(good); i++)
        assert_true(core_prefix_is_valid(good[i]));
    for (size_t i = 0; i < TEST_ARRAY_LEN(bad); i++)
        if (core_prefix_is_valid(bad[i]))
            fail_msg("'%s' accepted", bad[i]);
}

static void
test_initial_status_event(void **state)
{
    size_t n = 0;

    (void)state;
    for (const char *const *ch = core_channels; *ch != NULL; ch++, n++) {
        bool later = strcmp(*ch, "web") == 0 || strcmp(*ch, "email") == 0;
        const char *want = later ? "received" : "registered";

        assert_string_equal(core_initial_status(*ch), want);
        assert_string_equal(core_initial_event(*ch), want);
        /* every initial status is a status */
        bool known = false;
        for (const char *const *s = core_statuses; *s != NULL; s++)
            known = known || strcmp(*s, core_initial_status(*ch)) == 0;
        assert_true(known);
    }
    assert_int_equal(n, 9);
}

/* The value sets hold what docs/api.md lists, in that order. */
static void
test_value_sets(void **state)
{
    static const char *const channels[] = { "phone", "visit", "letter", "email", "web",
                                            "wechat", "media", "government", "internal" };
    static const char *const kinds[] = { "complaint", "inquiry", "suggestion", "repair",
                                         "claim" };
    static const char *const comm[] = { "help", "inquiry", "venting" };
    static const char *const roles[] = { "owner", "tenant", "prospect", "other" };
    static const char *const flags[] = { "injury", "media", "lawsuit", "threat_media",
                                         "threat_lawsuit", "vip" };
    unsigned seen = 0;

    (void)state;
    for (size_t i = 0; i < TEST_ARRAY_LEN(channels); i++)
        assert_string_equal(core_channels[i], channels[i]);
    assert_null(core_channels[TEST_ARRAY_LEN(channels)]);
    for (size_t i = 0; i < TEST_ARRAY_LEN(kinds); i++)
        assert_string_equal(core_kinds[i], kinds[i]);
    assert_null(core_kinds[TEST_ARRAY_LEN(kinds)]);
    for (size_t i = 0; i < TEST_ARRAY_LEN(comm); i++)
        assert_string_equal(core_comm_types[i], comm[i]);
    assert_null(core_comm_types[TEST_ARRAY_LEN(comm)]);
    for (size_t i = 0; i < TEST_ARRAY_LEN(roles); i++)
        assert_string_equal(core_roles[i], roles[i]);
    assert_null(core_roles[TEST_ARRAY_LEN(roles)]);
    for (size_t i = 0; i < TEST_ARRAY_LEN(flags); i++) {
        assert_string_equal(core_flag_names[i].name, flags[i]);
        assert_int_equal(seen & core_flag_names[i].bit, 0);   /* distinct bits */
        seen |= core_flag_names[i].bit;
    }
    assert_null(core_flag_names[TEST_ARRAY_LEN(flags)].name);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_new_init_defaults),
        cmocka_unit_test(test_check_received_at_default),
        cmocka_unit_test(test_check_future_skew),
        cmocka_unit_test(test_check_trims_to_minute),
        cmocka_unit_test(test_check_cross_field),
        cmocka_unit_test(test_check_first_error),
        cmocka_unit_test(test_text_check),
        cmocka_unit_test(test_text_check_subject_limit),
        cmocka_unit_test(test_email_check),
        cmocka_unit_test(test_email_length),
        cmocka_unit_test(test_amount_parse),
        cmocka_unit_test(test_amount_parse_len),
        cmocka_unit_test(test_amount_format),
        cmocka_unit_test(test_number_format),
        cmocka_unit_test(test_number_wellformed),
        cmocka_unit_test(test_prefix_valid),
        cmocka_unit_test(test_initial_status_event),
        cmocka_unit_test(test_value_sets),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
