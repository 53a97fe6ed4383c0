/*
 * The pure parts of the customer portal and of project administration
 * (issue 6): image types known by their bytes (http_image_type), the body
 * of a complaint filed by a customer (http_decode_portal_complaint) and the
 * units an administrator adds (http_decode_units). One table row per bad
 * input with its field and reason, the good inputs with what they decode
 * to, and the allocation fault loop of STYLE §6.
 */
#include "testutil.h"

#include "http/handlers.h"
#include "util/alloc.h"

#include <stdio.h>
#include <stdlib.h>

#define TZ 480                       /* +08:00 */
#define NOW 1795000030LL             /* not a whole minute: received_at is trimmed */

/* ---- image types ---- */

static void
test_image_type(void **state)
{
    static const struct {
        const char *bytes;
        size_t n;
        const char *want;
    } rows[] = {
        { "\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16, "image/png" },
        { "\x89PNG\r\n\x1a\n", 8, "image/png" },
        { "\x89PNG\r\n\x1a", 7, NULL },                  /* cut short */
        { "\xff\xd8\xff\xe0\0\x10JFIF", 10, "image/jpeg" },
        { "\xff\xd8\xff", 3, "image/jpeg" },
        { "\xff\xd8", 2, NULL },
        { "GIF89a\x01\0\x01\0", 10, "image/gif" },
        { "GIF87a", 6, "image/gif" },
        { "GIF88a", 6, NULL },
        { "RIFF\x24\0\0\0WEBPVP8 ", 16, "image/webp" },
        { "RIFF\x24\0\0\0WAVEfmt ", 16, NULL },           /* a recording, not an image */
        { "RIFF\x24\0\0\0WEB", 11, NULL },
        { "\0\0\0\x18" "ftypheic", 12, NULL },            /* HEIC: not taken from the portal */
        { "%PDF-1.4\n", 9, NULL },
        { "<svg xmlns=", 11, NULL },                      /* scripts in an "image": never */
        { "<html><img src=x>", 17, NULL },
        { "just text", 9, NULL },
        { "", 0, NULL },
    };

    (void)state;
    for (size_t i = 0; i < TEST_ARRAY_LEN(rows); i++) {
        const char *got = http_image_type((const unsigned char *)rows[i].bytes, rows[i].n);
        if ((got == NULL) != (rows[i].want == NULL) ||
            (got != NULL && strcmp(got, rows[i].want) != 0))
            fail_msg("row %zu: got %s, want %s", i, got ? got : "NULL",
                     rows[i].want ? rows[i].want : "NULL");
    }
    assert_null(http_image_type(NULL, 0));
}

/* ---- a complaint filed by a customer ---- */

#define FILING(more)                                                                             \
    "{\"project\":\"HY\",\"phone\":\"138 1234 5678\",\"subject\":\"电梯停运\","                  \
    "\"content\":\"从早上起停运\"" more "}"

static const char full_filing[] =
    "{\"project\":\"HY\",\"building\":\" 3栋 \",\"unit\":\"2单元1202\",\"name\":\" 王先生 \","
    "\"phone\":\"+86 138-1234-5678\",\"subject\":\" 电梯停运 \",\"content\":\"第一行\\n第二行\","
    "\"demands\":\"尽快修好\",\"category\":\"equipment\",\"lang\":\"en\"}";

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

static void
test_filing_full(void **state)
{
    struct fixture *f = *state;
    struct complaint_new c;
    const char *lang;
    struct err e = { 0 };

    if (http_decode_portal_complaint(full_filing, strlen(full_filing), TZ, NOW, f->a, &c, &lang,
                                     &e) != 0)
        fail_msg("%s/%s: %s", e.field, e.reason, e.detail);
    assert_string_equal(c.channel, "web");
    assert_string_equal(c.kind, "complaint");
    assert_string_equal(c.project, "HY");
    assert_string_equal(c.building, "3栋");
    assert_string_equal(c.unit, "2单元1202");
    assert_string_equal(c.complainant.name, "王先生");
    assert_string_equal(c.complainant.phone, "13812345678");
    assert_null(c.complainant.email);
    assert_false(c.complainant.anonymous);
    assert_string_equal(c.subject, "电梯停运");
    assert_string_equal(c.content, "第一行\n第二行");
    assert_string_equal(c.demands, "尽快修好");
    assert_string_equal(c.category, "equipment");
    assert_null(c.subcategory);
    assert_null(c.received_by);
    assert_int_equal(c.headcount, 1);
    assert_int_equal(c.flags, 0);
    assert_false(c.has_loss);
    /* received now, to the minute */
    assert_true(c.has_received_at);
    assert_true(c.received_at == NOW - NOW % 60);
    assert_string_equal(lang, "en");
}

static void
test_filing_minimal(void **state)
{
    struct fixture *f = *state;
    static const char body[] = FILING("");
    struct complaint_new c;
    const char *lang = "x";
    struct err e = { 0 };

    assert_int_equal(http_decode_portal_complaint(body, strlen(body), TZ, NOW, f->a, &c, &lang,
                                                  &e),
                     0);
    assert_null(lang);
    assert_null(c.building);
    assert_null(c.complainant.name);
    assert_null(c.category);
    assert_string_equal(c.complainant.phone, "13812345678");
    /* an optional member that is empty or null counts as absent */
    static const char blanks[] = FILING(",\"name\":\"  \",\"demands\":null,\"lang\":null");
    assert_int_equal(http_decode_portal_complaint(blanks, strlen(blanks), TZ, NOW, f->a, &c,
                                                  &lang, &e),
                     0);
    assert_null(c.complainant.name);
    assert_null(c.demands);
    assert_null(lang);
}

static void
test_filing_bad(void **state)
{
    static const struct {
        const char *body;
        const char *field, *reason;
    } rows[] = {
        { "", "body", "bad_json" },
        { "[]", "body", "not_object" },
        { "{\"project\":", "body", "bad_json" },
        { "{\"project\":\"HY\",\"subject\":\"x\",\"content\":\"y\"}", "phone", "required" },
        { FILING(",\"phone\":null"), "body", "bad_json" },    /* the member given twice */
        { "{\"project\":\"HY\",\"phone\":\"12345\",\"subject\":\"x\",\"content\":\"y\"}", "phone",
          "bad_length" },
        { "{\"project\":\"HY\",\"phone\":13812345678,\"subject\":\"x\",\"content\":\"y\"}",
          "phone", "bad_type" },
        { "{\"project\":\"HY\",\"phone\":\"+1 202 555 0100\",\"subject\":\"x\",\"content\":\"y\"}",
          "phone", "bad_country_code" },
        { "{\"phone\":\"13812345678\",\"subject\":\"x\",\"content\":\"y\"}", "project",
          "required" },
        { "{\"project\":\"HY\",\"phone\":\"13812345678\",\"content\":\"y\"}", "subject",
          "required" },
        { "{\"project\":\"HY\",\"phone\":\"13812345678\",\"subject\":\" \",\"content\":\"y\"}",
          "subject", "empty" },
        { "{\"project\":\"HY\",\"phone\":\"13812345678\",\"subject\":\"x\"}", "content",
          "required" },
        { "{\"project\":\"HY\",\"phone\":\"13812345678\",\"subject\":\"a\\u0001\",\"content\":\"y\"}",
          "subject", "bad_character" },
        { FILING(",\"name\":42"), "name", "bad_type" },
        { FILING(",\"unit\":\"101\""), "unit", "requires_building" },
        { FILING(",\"lang\":\"fr\""), "lang", "bad_value" },
        { FILING(",\"channel\":\"phone\""), "channel", "unknown_field" },
        { FILING(",\"complainant\":{}"), "complainant", "unknown_field" },
        { FILING(",\"email\":\"a@b.cn\""), "email", "unknown_field" },
        { FILING(",\"received_at\":\"2026-01-01T00:00+08:00\""), "received_at", "unknown_field" },
        { FILING(",\"subcategory\":\"lift\""), "subcategory", "unknown_field" },
        { FILING(",\"flags\":{}"), "flags", "unknown_field" },
    };
    struct fixture *f = *state;

    for (size_t i = 0; i < TEST_ARRAY_LEN(rows); i++) {
        struct complaint_new c;
        const char *lang;
        struct err e = { 0 };
        int rc;

        arena_reset(f->a);
        rc = http_decode_portal_complaint(rows[i].body, strlen(rows[i].body), TZ, NOW, f->a, &c,
                                          &lang, &e);
        if (rc != -1 || e.code != ERR_INVALID || e.field == NULL ||
            strcmp(e.field, rows[i].field) != 0 || strcmp(e.reason, rows[i].reason) != 0)
            fail_msg("row %zu %s: rc %d, got %s/%s (%s), want %s/%s", i, rows[i].body, rc,
                     e.field ? e.field : "NULL", e.reason ? e.reason : "NULL", e.detail,
                     rows[i].field, rows[i].reason);
    }
}

/* ---- units ---- */

static void
test_units_good(void **state)
{
    static const char body[] = "{\"building\":\" 1栋 \",\"units\":[\"101\",\" 1单元102 \","
                               "\"1单元101\",\"101\"]}";
    struct fixture *f = *state;
    const char *building, **units;
    size_t n;
    struct err e = { 0 };

    if (http_decode_units(body, strlen(body), f->a, &building, &units, &n, &e) != 0)
        fail_msg("%s/%s", e.field, e.reason);
    assert_string_equal(building, "1栋");
    assert_int_equal(n, 4);
    assert_string_equal(units[0], "101");
    assert_string_equal(units[1], "1单元102");
    assert_string_equal(units[2], "1单元101");
    assert_string_equal(units[3], "101");   /* duplicates are the store's to count */
}

static void
test_units_limits(void **state)
{
    struct fixture *f = *state;
    size_t size = 64 * (HTTP_UNITS_MAX + 2) + 64;
    char *body = malloc(size);
    const char *building, **units;
    size_t n, o;
    struct err e = { 0 };

    /* exactly HTTP_UNITS_MAX units of exactly HTTP_PLACE_MAX characters, in a building of as many */
    assert_non_null(body);
    o = (size_t)snprintf(body, size, "{\"building\":\"%s\",\"units\":[",
                        "栋栋栋栋栋栋栋栋栋栋栋栋栋栋栋栋栋栋栋栋");
    for (int i = 0; i < HTTP_UNITS_MAX; i++)
        o += (size_t)snprintf(body + o, size - o, "%s\"单元单元单元单元单元单元单元单元%04d\"", i ? "," : "",
                             i);
    memcpy(body + o, "]}", 3);
    if (http_decode_units(body, strlen(body), f->a, &building, &units, &n, &e) != 0)
        fail_msg("%s/%s: %s", e.field, e.reason, e.detail);
    assert_int_equal(n, HTTP_UNITS_MAX);
    /* one more is too many: "]}" at o becomes another unit */
    memcpy(body + o, ",\"x\"]}", 7);
    arena_reset(f->a);
    assert_int_equal(http_decode_units(body, strlen(body), f->a, &building, &units, &n, &e), -1);
    assert_string_equal(e.field, "units");
    assert_string_equal(e.reason, "too_many");
    assert_null(units);
    assert_int_equal(n, 0);
    free(body);
}

static void
test_units_bad(void **state)
{
    static const struct {
        const char *body;
        const char *field, *reason;
    } rows[] = {
        { "", "body", "bad_json" },
        { "{\"units\":[\"101\"]}", "building", "required" },
        { "{\"building\":\"\",\"units\":[\"101\"]}", "building", "empty" },
        { "{\"building\":7,\"units\":[\"101\"]}", "building", "bad_type" },
        { "{\"building\":\"栋栋栋栋栋栋栋栋栋栋栋栋栋栋栋栋栋栋栋栋栋\",\"units\":[\"101\"]}",
          "building", "too_long" },
        { "{\"building\":\"1栋\"}", "units", "required" },
        { "{\"building\":\"1栋\",\"units\":null}", "units", "required" },
        { "{\"building\":\"1栋\",\"units\":\"101\"}", "units", "bad_type" },
        { "{\"building\":\"1栋\",\"units\":{}}", "units", "bad_type" },
        { "{\"building\":\"1栋\",\"units\":[]}", "units", "empty" },
        { "{\"building\":\"1栋\",\"units\":[\"101\",null]}", "units[1]", "bad_type" },
        { "{\"building\":\"1栋\",\"units\":[[\"101\"]]}", "units[0]", "bad_type" },
        { "{\"building\":\"1栋\",\"units\":[\" \"]}", "units[0]", "empty" },
        { "{\"building\":\"1栋\",\"units\":[\"1\\u00000\"]}", "units[0]", "bad_character" },
        { "{\"building\":\"1栋\",\"units\":[\"1\\t01\"]}", "units[0]", "bad_character" },
        { "{\"building\":\"1栋\",\"units\":[\"123456789012345678901\"]}", "units[0]",
          "too_long" },
        { "{\"building\":\"1栋\",\"units\":[\"101\"],\"floor\":3}", "floor", "unknown_field" },
    };
    struct fixture *f = *state;

    for (size_t i = 0; i < TEST_ARRAY_LEN(rows); i++) {
        const char *building, **units;
        size_t n = 9;
        struct err e = { 0 };
        int rc;

        arena_reset(f->a);
        rc = http_decode_units(rows[i].body, strlen(rows[i].body), f->a, &building, &units, &n,
                               &e);
        if (rc != -1 || e.code != ERR_INVALID || e.field == NULL ||
            strcmp(e.field, rows[i].field) != 0 || strcmp(e.reason, rows[i].reason) != 0)
            fail_msg("row %zu %s: rc %d, got %s/%s (%s), want %s/%s", i, rows[i].body, rc,
                     e.field ? e.field : "NULL", e.reason ? e.reason : "NULL", e.detail,
                     rows[i].field, rows[i].reason);
        assert_int_equal(n, 0);
    }
}

/* ---- allocation failures ---- */

/*
 * Fail allocation n (and every later one) for n = 1, 2, ... until the call
 * completes without reaching a failure: each failing run reports ERR_NOMEM
 * (or ERR_TOO_LARGE from the arena, or bad_json: jansson reports some of
 * its failed allocations as a syntax error), and LeakSanitizer checks that
 * nothing leaks.
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
run_filing(struct arena *a, struct err *e)
{
    struct complaint_new c;
    const char *lang;

    return http_decode_portal_complaint(full_filing, strlen(full_filing), TZ, NOW, a, &c, &lang,
                                        e);
}

static int
run_units(struct arena *a, struct err *e)
{
    static const char body[] = "{\"building\":\"1栋\",\"units\":[\"101\",\"102\",\"103\"]}";
    const char *building, **units;
    size_t n;

    return http_decode_units(body, strlen(body), a, &building, &units, &n, e);
}

static void
test_faults(void **state)
{
    (void)state;
    fault_loop("filing", run_filing);
    fault_loop("units", run_units);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_image_type),
        cmocka_unit_test_setup_teardown(test_filing_full, setup, teardown),
        cmocka_unit_test_setup_teardown(test_filing_minimal, setup, teardown),
        cmocka_unit_test_setup_teardown(test_filing_bad, setup, teardown),
        cmocka_unit_test_setup_teardown(test_units_good, setup, teardown),
        cmocka_unit_test_setup_teardown(test_units_limits, setup, teardown),
        cmocka_unit_test_setup_teardown(test_units_bad, setup, teardown),
        cmocka_unit_test(test_faults),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
