/*
 * http/decode.c: request bodies and list parameters into checked structs.
 * One table row per (field, bad input, field path, reason) for every rule of
 * docs/api.md that the decoder owns; the good inputs and the defaults; the
 * character-not-byte lengths; trimming; the list query; and the allocation
 * fault loop of STYLE §6.
 */
#include "testutil.h"

#include "http/handlers.h"
#include "store/fts.h"
#include "util/alloc.h"
#include "util/utf8.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>

#define TZ 480                       /* the deployment's zone: +08:00 */
#define T_DOC 1795329000LL           /* 2026-11-22T14:30+08:00 */
#define T_NOV1 1793462400LL          /* 2026-11-01T00:00+08:00 */
#define T_DEC1 1796054400LL          /* 2026-12-01T00:00+08:00 */

/* The register example of docs/api.md (content filled in). */
static const char full_body[] =
    "{\"channel\":\"phone\",\"kind\":\"complaint\",\"comm_type\":\"venting\","
    "\"received_at\":\"2026-11-22T14:30+08:00\",\"received_by\":\"zhangwei\","
    "\"project\":\"HY\",\"building\":\"3栋\",\"unit\":\"2单元1202\","
    "\"complainant\":{\"name\":\"王先生\",\"phone\":\"138 1234 5678\","
    "\"email\":\"wang@example.com\",\"role\":\"owner\",\"anonymous\":false},"
    "\"headcount\":1,\"subject\":\"电梯困人\","
    "\"content\":\"3号楼2单元电梯停在12楼与13楼之间,业主被困40分钟。\","
    "\"demands\":\"尽快维修并书面说明\",\"category\":\"equipment\",\"subcategory\":\"lift\","
    "\"flags\":{\"injury\":false,\"media\":false,\"lawsuit\":false,\"threat_media\":false,"
    "\"threat_lawsuit\":false,\"vip\":false},\"loss_amount\":\"1200.50\"}";

static const char min_body[] =
    "{\"channel\":\"web\",\"project\":\"HY\",\"complainant\":{\"phone\":\"13812345678\"},"
    "\"subject\":\"漏水\",\"content\":\"楼上漏水\"}";

static const char event_body[] =
    "{\"type\":\"note\",\"text\":\"已电话联系业主,约定明天上门\",\"author\":\"lina\"}";

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

/* A string of `unit` repeated `times` times, from the arena. */
static char *
repeat(struct arena *a, const char *unit, size_t times)
{
    size_t n = strlen(unit);
    char *s = arena_alloc(a, n * times + 1);

    assert_non_null(s);
    for (size_t i = 0; i < times; i++)
        memcpy(s + i * n, unit, n);
    s[n * times] = '\0';
    return s;
}

/*
 * `base` with the member at dotted `path` set to `value` (a jansson value,
 * stolen) or deleted (value NULL). Returns JSON text from the arena.
 */
static char *
mutate(struct arena *a, const char *base, const char *path, json_t *value)
{
    json_error_t jerr;
    json_t *root = json_loads(base, 0, &jerr);
    json_t *parent = root;
    char key[64];
    const char *p = path, *dot;
    char *text, *out;

    assert_non_null(root);
    while ((dot = strchr(p, '.')) != NULL) {
        assert_true((size_t)(dot - p) < sizeof(key));
        memcpy(key, p, (size_t)(dot - p));
        key[dot - p] = '\0';
        parent = json_object_get(parent, key);
        assert_non_null(parent);
        p = dot + 1;
    }
    if (value == NULL)
        json_object_del(parent, p);
    else
        assert_int_equal(json_object_set_new(parent, p, value), 0);
    text = json_dumps(root, JSON_COMPACT);
    assert_non_null(text);
    out = arena_strdup(a, text);
    free(text);
    json_decref(root);
    return out;
}

static json_t *
jv(const char *text)
{
    json_error_t jerr;
    json_t *v = json_loads(text, JSON_DECODE_ANY, &jerr);

    if (v == NULL)
        fail_msg("bad test JSON '%s': %s", text, jerr.text);
    return v;
}

static int
decode(struct arena *a, const char *body, struct complaint_new *c, struct err *e)
{
    return http_decode_complaint(body, strlen(body), TZ, a, c, e);
}

static void
expect_invalid(int rc, const struct err *e, const char *field, const char *reason,
               const char *what)
{
    if (rc != -1 || e->code != ERR_INVALID || e->field == NULL || e->reason == NULL ||
        strcmp(e->field, field) != 0 || strcmp(e->reason, reason) != 0)
        fail_msg("%s: want %s/%s, got rc %d code %d %s/%s (%s)", what, field, reason, rc,
                 e->code, e->field ? e->field : "NULL", e->reason ? e->reason : "NULL",
                 e->detail);
}

/* ---- complaint: one row per rule ---- */

#define DEL NULL
struct bad_row {
    const char *path;    /* member to replace or delete */
    const char *json;    /* new value as JSON text; DEL: remove the member */
    const char *unit;    /* instead of json: a string of `unit` ... */
    size_t times;        /* ... repeated this often */
    const char *field;   /* expected field path */
    const char *reason;  /* expected reason */
};
#define ROW(path, json, field, reason) { path, json, NULL, 0, field, reason }
#define REP(path, unit, times, field, reason) { path, NULL, unit, times, field, reason }

static const struct bad_row complaint_rows[] = {
    /* channel: required, one of nine */
    ROW("channel", DEL, "channel", "required"),
    ROW("channel", "null", "channel", "required"),
    ROW("channel", "\"\"", "channel", "empty"),
    ROW("subject", "\"a\\u0000b\"", "subject", "bad_character"),
    ROW("content", "\"\\u0000\"", "content", "bad_character"),
    ROW("channel", "\"fax\"", "channel", "bad_value"),
    ROW("channel", "\"PHONE\"", "channel", "bad_value"),
    ROW("channel", "\"电话\"", "channel", "bad_value"),
    ROW("channel", "1", "channel", "bad_type"),
    ROW("channel", "[\"phone\"]", "channel", "bad_type"),
    ROW("channel", "{}", "channel", "bad_type"),
    /* kind, comm_type: optional enums */
    ROW("kind", "\"bug\"", "kind", "bad_value"),
    ROW("kind", "\"\"", "kind", "empty"),
    ROW("kind", "true", "kind", "bad_type"),
    ROW("comm_type", "\"angry\"", "comm_type", "bad_value"),
    ROW("comm_type", "{}", "comm_type", "bad_type"),
    /* received_at: a date-time, not a date */
    ROW("received_at", "\"2026-11-22\"", "received_at", "missing_time"),
    ROW("received_at", "\"2026-11-22+08:00\"", "received_at", "missing_time"),
    ROW("received_at", "\"2026-02-30T10:00\"", "received_at", "bad_date"),
    ROW("received_at", "\"2026-13-01T10:00\"", "received_at", "bad_date"),
    ROW("received_at", "\"2026-11-22T24:00\"", "received_at", "bad_time"),
    ROW("received_at", "\"2026-11-22T14:60\"", "received_at", "bad_time"),
    ROW("received_at", "\"2026-11-22T14:30:60\"", "received_at", "bad_time"),
    ROW("received_at", "\"2026-11-22T14:30+24:00\"", "received_at", "bad_offset"),
    ROW("received_at", "\"2026-11-22T14:30+8\"", "received_at", "bad_offset"),
    ROW("received_at", "\"2026/11/22 14:30\"", "received_at", "bad_format"),
    ROW("received_at", "\"yesterday\"", "received_at", "bad_format"),
    ROW("received_at", "\"2026-11-22T14\"", "received_at", "bad_format"),
    ROW("received_at", "\"2026-11-22T14:30 PM\"", "received_at", "bad_format"),
    ROW("received_at", "\"\"", "received_at", "empty"),
    ROW("received_at", "\"1969-12-31T23:59Z\"", "received_at", "out_of_range"),
    ROW("received_at", "1795329000", "received_at", "bad_type"),
    ROW("received_at", "{}", "received_at", "bad_type"),
    /* received_by: an optional login */
    ROW("received_by", "5", "received_by", "bad_type"),
    ROW("received_by", "\"zhang\\u0001wei\"", "received_by", "bad_character"),
    REP("received_by", "z", 65, "received_by", "too_long"),
    /* project: required */
    ROW("project", DEL, "project", "required"),
    ROW("project", "null", "project", "required"),
    ROW("project", "\"\"", "project", "empty"),
    ROW("project", "\"   \"", "project", "empty"),
    ROW("project", "\"\\t\\r\\n\"", "project", "empty"),
    ROW("project", "\"\\u3000\\u3000\"", "project", "empty"),
    ROW("project", "7", "project", "bad_type"),
    ROW("project", "[\"HY\"]", "project", "bad_type"),
    ROW("project", "\"H\\u0007Y\"", "project", "bad_character"),
    ROW("project", "\"HY\\nX\"", "project", "bad_character"),
    REP("project", "P", 65, "project", "too_long"),
    /* building, unit: optional names */
    ROW("building", "1", "building", "bad_type"),
    REP("building", "栋", 65, "building", "too_long"),
    ROW("building", "\"3\\u0000栋\"", "building", "bad_character"),
    ROW("unit", "[]", "unit", "bad_type"),
    REP("unit", "单", 65, "unit", "too_long"),
    ROW("unit", "\"1202\\u001f\"", "unit", "bad_character"),
    /* complainant: a required object with known members */
    ROW("complainant", DEL, "complainant", "required"),
    ROW("complainant", "null", "complainant", "required"),
    ROW("complainant", "\"王先生\"", "complainant", "bad_type"),
    ROW("complainant", "[]", "complainant", "bad_type"),
    ROW("complainant", "true", "complainant", "bad_type"),
    ROW("complainant.x", "1", "complainant.x", "unknown_field"),
    ROW("complainant.Phone", "\"13812345678\"", "complainant.Phone", "unknown_field"),
    ROW("complainant.id", "17", "complainant.id", "unknown_field"),
    ROW("complainant.name", "1", "complainant.name", "bad_type"),
    ROW("complainant.name", "\"王\\u0001\"", "complainant.name", "bad_character"),
    ROW("complainant.name", "\"王\\n先生\"", "complainant.name", "bad_character"),
    REP("complainant.name", "王", 51, "complainant.name", "too_long"),
    REP("complainant.name", "𠮷", 51, "complainant.name", "too_long"),
    ROW("complainant.phone", "13812345678", "complainant.phone", "bad_type"),
    ROW("complainant.phone", "\"12345\"", "complainant.phone", "bad_length"),
    ROW("complainant.phone", "\"138123456789\"", "complainant.phone", "bad_length"),
    ROW("complainant.phone", "\"+1 415 555 0100\"", "complainant.phone", "bad_country_code"),
    ROW("complainant.phone", "\"12012345678\"", "complainant.phone", "bad_mobile"),
    ROW("complainant.phone", "\"010-02345678\"", "complainant.phone", "bad_area_code"),
    ROW("complainant.phone", "\"13812345678 转 12\"", "complainant.phone", "bad_extension"),
    ROW("complainant.phone", "\"call me\"", "complainant.phone", "bad_character"),
    ROW("complainant.email", "1", "complainant.email", "bad_type"),
    ROW("complainant.email", "\"wang\"", "complainant.email", "bad_email"),
    ROW("complainant.email", "\"wang@example\"", "complainant.email", "bad_email"),
    ROW("complainant.email", "\"@example.com\"", "complainant.email", "bad_email"),
    ROW("complainant.email", "\"a@b@example.com\"", "complainant.email", "bad_email"),
    ROW("complainant.email", "\"wang@.com\"", "complainant.email", "bad_email"),
    ROW("complainant.email", "\"wang@example.\"", "complainant.email", "bad_email"),
    ROW("complainant.email", "\"wang li@example.com\"", "complainant.email", "bad_email"),
    ROW("complainant.email", "\"<wang@example.com>\"", "complainant.email", "bad_email"),
    ROW("complainant.role", "\"boss\"", "complainant.role", "bad_value"),
    ROW("complainant.role", "\"Owner\"", "complainant.role", "bad_value"),
    ROW("complainant.role", "1", "complainant.role", "bad_type"),
    ROW("complainant.anonymous", "\"yes\"", "complainant.anonymous", "bad_type"),
    ROW("complainant.anonymous", "\"true\"", "complainant.anonymous", "bad_type"),
    ROW("complainant.anonymous", "1", "complainant.anonymous", "bad_type"),
    /* headcount: an integer 1..100000 */
    ROW("headcount", "0", "headcount", "too_small"),
    ROW("headcount", "-5", "headcount", "too_small"),
    ROW("headcount", "-9223372036854775807", "headcount", "too_small"),
    ROW("headcount", "100001", "headcount", "too_large"),
    ROW("headcount", "9223372036854775807", "headcount", "too_large"),
    ROW("headcount", "1.5", "headcount", "bad_type"),
    ROW("headcount", "2.0", "headcount", "bad_type"),
    ROW("headcount", "\"3\"", "headcount", "bad_type"),
    ROW("headcount", "true", "headcount", "bad_type"),
    ROW("headcount", "[]", "headcount", "bad_type"),
    /* subject: required, 1..100 chars, no control characters at all */
    ROW("subject", DEL, "subject", "required"),
    ROW("subject", "null", "subject", "required"),
    ROW("subject", "\"\"", "subject", "empty"),
    ROW("subject", "\" \\u3000 \\t\"", "subject", "empty"),
    ROW("subject", "1", "subject", "bad_type"),
    ROW("subject", "[\"电梯\"]", "subject", "bad_type"),
    REP("subject", "电", 101, "subject", "too_long"),
    REP("subject", "𠮷", 101, "subject", "too_long"),
    REP("subject", "a", 101, "subject", "too_long"),
    ROW("subject", "\"电梯\\n困人\"", "subject", "bad_character"),
    ROW("subject", "\"电梯\\t困人\"", "subject", "bad_character"),
    ROW("subject", "\"电梯\\u007f\"", "subject", "bad_character"),
    ROW("subject", "\"\\u001b[31m红\"", "subject", "bad_character"),
    /* content: required, 1..20000 chars, newlines and tabs allowed */
    ROW("content", DEL, "content", "required"),
    ROW("content", "null", "content", "required"),
    ROW("content", "\"\"", "content", "empty"),
    ROW("content", "\"\\n\\n\\r\\n\"", "content", "empty"),
    ROW("content", "[]", "content", "bad_type"),
    ROW("content", "\"a\\u0002b\"", "content", "bad_character"),
    ROW("content", "\"\\u007f\"", "content", "bad_character"),
    ROW("content", "\"line\\fbreak\"", "content", "bad_character"),
    REP("content", "中", 20001, "content", "too_long"),
    /* demands: optional, <= 2000 chars */
    ROW("demands", "1", "demands", "bad_type"),
    ROW("demands", "\"\\u0001\"", "demands", "bad_character"),
    REP("demands", "求", 2001, "demands", "too_long"),
    /* category, subcategory: optional codes */
    ROW("category", "1", "category", "bad_type"),
    REP("category", "c", 65, "category", "too_long"),
    ROW("subcategory", "{}", "subcategory", "bad_type"),
    REP("subcategory", "s", 65, "subcategory", "too_long"),
    /* flags: an object of known booleans */
    ROW("flags", "\"injury\"", "flags", "bad_type"),
    ROW("flags", "[]", "flags", "bad_type"),
    ROW("flags", "true", "flags", "bad_type"),
    ROW("flags.x", "true", "flags.x", "unknown_field"),
    ROW("flags.Injury", "true", "flags.Injury", "unknown_field"),
    ROW("flags.injury", "\"yes\"", "flags.injury", "bad_type"),
    ROW("flags.injury", "\"true\"", "flags.injury", "bad_type"),
    ROW("flags.injury", "1", "flags.injury", "bad_type"),
    ROW("flags.vip", "0", "flags.vip", "bad_type"),
    ROW("flags.threat_lawsuit", "{}", "flags.threat_lawsuit", "bad_type"),
    /* loss_amount: >= 0, <= 2 decimals, <= 100000000, number or decimal string */
    ROW("loss_amount", "-1", "loss_amount", "negative"),
    ROW("loss_amount", "-0.5", "loss_amount", "negative"),
    ROW("loss_amount", "\"-1\"", "loss_amount", "negative"),
    ROW("loss_amount", "\"-0.01\"", "loss_amount", "negative"),
    ROW("loss_amount", "\"1.005\"", "loss_amount", "too_many_decimals"),
    ROW("loss_amount", "1.005", "loss_amount", "too_many_decimals"),
    ROW("loss_amount", "0.001", "loss_amount", "too_many_decimals"),
    ROW("loss_amount", "12000.505", "loss_amount", "too_many_decimals"),
    ROW("loss_amount", "1234567.891", "loss_amount", "too_many_decimals"),
    ROW("loss_amount", "99999999.999", "loss_amount", "too_many_decimals"),
    ROW("loss_amount", "0.0001", "loss_amount", "too_many_decimals"),
    ROW("loss_amount", "\"100000000.01\"", "loss_amount", "too_large"),
    ROW("loss_amount", "100000000.01", "loss_amount", "too_large"),
    ROW("loss_amount", "100000001", "loss_amount", "too_large"),
    ROW("loss_amount", "9223372036854775807", "loss_amount", "too_large"),
    ROW("loss_amount", "1e9", "loss_amount", "too_large"),
    ROW("loss_amount", "1e300", "loss_amount", "too_large"),
    ROW("loss_amount", "\"999999999999999999999\"", "loss_amount", "too_large"),
    ROW("loss_amount", "\"1e3\"", "loss_amount", "bad_format"),
    ROW("loss_amount", "\"abc\"", "loss_amount", "bad_format"),
    ROW("loss_amount", "\"1.2.3\"", "loss_amount", "bad_format"),
    ROW("loss_amount", "\".\"", "loss_amount", "bad_format"),
    ROW("loss_amount", "\"1,000\"", "loss_amount", "bad_format"),
    ROW("loss_amount", "\"¥100\"", "loss_amount", "bad_format"),
    ROW("loss_amount", "\"１００\"", "loss_amount", "bad_format"),
    ROW("loss_amount", "true", "loss_amount", "bad_type"),
    ROW("loss_amount", "[]", "loss_amount", "bad_type"),
    ROW("loss_amount", "{}", "loss_amount", "bad_type"),
    /* unknown members at the top level */
    ROW("foo", "1", "foo", "unknown_field"),
    ROW("Channel", "\"phone\"", "Channel", "unknown_field"),
    ROW("number", "\"KS-2026-000001\"", "number", "unknown_field"),
    ROW("status", "\"closed\"", "status", "unknown_field"),
    ROW("grade", "null", "grade", "unknown_field"),
    ROW("电话", "\"13812345678\"", "电话", "unknown_field"),
};

static void
test_complaint_bad_rows(void **state)
{
    struct fixture *f = *state;

    for (size_t i = 0; i < TEST_ARRAY_LEN(complaint_rows); i++) {
        const struct bad_row *r = &complaint_rows[i];
        struct complaint_new c;
        struct err e = { 0 };
        char *body, what[160];

        /* a \u0000 inside a string cannot be loaded with the default flags */
        if (r->json != NULL && strstr(r->json, "\\u0000") != NULL) {
            char *cut = mutate(f->a, full_body, r->path, json_string("PLACEHOLDER"));
            char *at = strstr(cut, "\"PLACEHOLDER\"");
            assert_non_null(at);
            body = arena_printf(f->a, "%.*s%s%s", (int)(at - cut), cut, r->json,
                                at + strlen("\"PLACEHOLDER\""));
        } else {
            json_t *v = r->unit ? json_string(repeat(f->a, r->unit, r->times))
                                : r->json ? jv(r->json) : NULL;
            body = mutate(f->a, full_body, r->path, v);
        }
        snprintf(what, sizeof(what), "row %zu (%s = %.40s)", i, r->path,
                 r->unit ? r->unit : r->json ? r->json : "deleted");
        expect_invalid(decode(f->a, body, &c, &e), &e, r->field, r->reason, what);
        arena_reset(f->a);
    }
}

struct raw_row {
    const char *body;
    size_t len;          /* 0: strlen */
    const char *reason;  /* the field is always "body" */
};

static const struct raw_row raw_rows[] = {
    { "", 0, "bad_json" },
    { "   ", 0, "bad_json" },
    { "{", 0, "bad_json" },
    { "{\"channel\":\"phone\",}", 0, "bad_json" },
    { "{channel:\"phone\"}", 0, "bad_json" },
    { "{'channel':'phone'}", 0, "bad_json" },
    { "{} {}", 0, "bad_json" },
    { "{}x", 0, "bad_json" },
    { "{}\0", 3, "bad_json" },
    /* duplicate keys, at the top and inside */
    { "{\"channel\":\"phone\",\"channel\":\"web\"}", 0, "bad_json" },
    { "{\"complainant\":{\"name\":\"a\",\"name\":\"b\"}}", 0, "bad_json" },
    { "{\"flags\":{\"vip\":true,\"vip\":false}}", 0, "bad_json" },
    /* NUL in a key, bad UTF-8 (said apart from bad JSON), lone surrogates */
    { "{\"sub\\u0000ject\":\"a\"}", 0, "bad_json" },
    { "{\"subject\":\"\xff\"}", 0, "bad_utf8" },
    { "{\"subject\":\"\xe7\x94\"}", 0, "bad_utf8" },
    { "{\"subject\":\"\xc0\xaf\"}", 0, "bad_utf8" },
    { "{\"subject\":\"\xed\xa0\x80\"}", 0, "bad_utf8" },
    { "{\"subject\":\"\\ud800\"}", 0, "bad_json" },
    { "{\"subject\":\"\\udc00x\"}", 0, "bad_json" },
    { "\xef\xbb\xbf{}", 0, "bad_json" },
    /* numbers jansson cannot hold */
    { "{\"headcount\":1e400}", 0, "bad_json" },
    { "{\"headcount\":99999999999999999999}", 0, "bad_json" },
    /* not an object */
    { "[]", 0, "not_object" },
    { "[{\"channel\":\"phone\"}]", 0, "not_object" },
    { "\"phone\"", 0, "not_object" },
    { "1", 0, "not_object" },
    { "null", 0, "not_object" },
    { "true", 0, "not_object" },
};

static void
test_complaint_bad_raw(void **state)
{
    struct fixture *f = *state;

    for (size_t i = 0; i < TEST_ARRAY_LEN(raw_rows); i++) {
        const struct raw_row *r = &raw_rows[i];
        size_t len = r->len ? r->len : strlen(r->body);
        char *copy = malloc(len ? len : 1);     /* exactly len bytes: ASan sees over-reads */
        struct complaint_new c;
        struct err e = { 0 };
        char what[64];

        assert_non_null(copy);
        memcpy(copy, r->body, len);
        snprintf(what, sizeof(what), "raw row %zu", i);
        expect_invalid(http_decode_complaint(copy, len, TZ, f->a, &c, &e), &e, "body",
                       r->reason, what);
        free(copy);
        arena_reset(f->a);
    }
}

/* The same rows through the event decoder's shared helpers. */
static void
test_event_bad_raw(void **state)
{
    struct fixture *f = *state;

    for (size_t i = 0; i < TEST_ARRAY_LEN(raw_rows); i++) {
        const struct raw_row *r = &raw_rows[i];
        size_t len = r->len ? r->len : strlen(r->body);
        struct event_body ev;
        struct err e = { 0 };
        char what[64];

        snprintf(what, sizeof(what), "raw row %zu", i);
        expect_invalid(http_decode_event(r->body, len, f->a, &ev, &e), &e, "body", r->reason,
                       what);
        arena_reset(f->a);
    }
}

/* The length argument is honoured: the text after it is never read. */
static void
test_complaint_len_is_honoured(void **state)
{
    struct fixture *f = *state;
    char *body = arena_printf(f->a, "%sgarbage", full_body);
    struct complaint_new c;
    struct err e = { 0 };

    assert_int_equal(http_decode_complaint(body, strlen(full_body), TZ, f->a, &c, &e), 0);
    assert_int_equal(e.code, ERR_OK);
    e = (struct err){ 0 };
    expect_invalid(http_decode_complaint("{}x", 2, TZ, f->a, &c, &e), &e, "channel", "required",
                   "{} of {}x");
}

/* ---- complaint: good inputs ---- */

static void
test_complaint_full_doc_example(void **state)
{
    struct fixture *f = *state;
    struct complaint_new c;
    struct err e = { 0 };

    assert_int_equal(decode(f->a, full_body, &c, &e), 0);
    assert_int_equal(e.code, ERR_OK);
    assert_string_equal(c.channel, "phone");
    assert_string_equal(c.kind, "complaint");
    assert_string_equal(c.comm_type, "venting");
    assert_true(c.has_received_at);
    assert_int_equal(c.received_at, T_DOC);
    assert_string_equal(c.received_by, "zhangwei");
    assert_string_equal(c.project, "HY");
    assert_string_equal(c.building, "3栋");
    assert_string_equal(c.unit, "2单元1202");
    assert_string_equal(c.complainant.name, "王先生");
    assert_string_equal(c.complainant.phone, "13812345678");
    assert_string_equal(c.complainant.email, "wang@example.com");
    assert_string_equal(c.complainant.role, "owner");
    assert_false(c.complainant.anonymous);
    assert_int_equal(c.headcount, 1);
    assert_string_equal(c.subject, "电梯困人");
    assert_string_equal(c.content, "3号楼2单元电梯停在12楼与13楼之间,业主被困40分钟。");
    assert_string_equal(c.demands, "尽快维修并书面说明");
    assert_string_equal(c.category, "equipment");
    assert_string_equal(c.subcategory, "lift");
    assert_int_equal(c.flags, 0);
    assert_true(c.has_loss);
    assert_int_equal(c.loss_fen, 120050);

    /* and the rules across fields accept it */
    assert_int_equal(core_complaint_check(&c, T_DOC, &e), 0);
    assert_int_equal(c.received_at, T_DOC);
}

static void
test_complaint_defaults(void **state)
{
    struct fixture *f = *state;
    struct complaint_new c;
    struct err e = { 0 };

    assert_int_equal(decode(f->a, min_body, &c, &e), 0);
    assert_string_equal(c.channel, "web");
    assert_string_equal(c.kind, "complaint");
    assert_null(c.comm_type);
    assert_false(c.has_received_at);
    assert_null(c.received_by);
    assert_string_equal(c.project, "HY");
    assert_null(c.building);
    assert_null(c.unit);
    assert_null(c.complainant.name);
    assert_string_equal(c.complainant.phone, "13812345678");
    assert_null(c.complainant.email);
    assert_string_equal(c.complainant.role, "other");
    assert_false(c.complainant.anonymous);
    assert_int_equal(c.headcount, 1);
    assert_null(c.demands);
    assert_null(c.category);
    assert_null(c.subcategory);
    assert_int_equal(c.flags, 0);
    assert_false(c.has_loss);
}

/* null for every optional member is the same as leaving it out. */
static void
test_complaint_nulls_are_absent(void **state)
{
    static const char *const optional[] = {
        "kind", "comm_type", "received_at", "received_by", "building", "unit",
        "complainant.name", "complainant.phone", "complainant.email", "complainant.role",
        "complainant.anonymous", "headcount", "demands", "category", "subcategory",
        "flags", "loss_amount",
    };
    struct fixture *f = *state;
    const char *body = full_body;
    struct complaint_new c;
    struct err e = { 0 };

    for (size_t i = 0; i < TEST_ARRAY_LEN(optional); i++)
        body = mutate(f->a, body, optional[i], json_null());
    assert_int_equal(decode(f->a, body, &c, &e), 0);
    assert_string_equal(c.kind, "complaint");
    assert_null(c.comm_type);
    assert_false(c.has_received_at);
    assert_null(c.received_by);
    assert_null(c.building);
    assert_null(c.unit);
    assert_null(c.complainant.name);
    assert_null(c.complainant.phone);
    assert_null(c.complainant.email);
    assert_string_equal(c.complainant.role, "other");
    assert_false(c.complainant.anonymous);
    assert_int_equal(c.headcount, 1);
    assert_null(c.demands);
    assert_null(c.category);
    assert_null(c.subcategory);
    assert_int_equal(c.flags, 0);
    assert_false(c.has_loss);
    /* without phone or e-mail the cross-field rule asks for the phone */
    expect_invalid(core_complaint_check(&c, T_DOC, &e), &e, "complainant.phone", "required",
                   "no contact");
}

/* Optional strings that are empty or only white space become NULL. */
static void
test_complaint_empty_optionals_are_null(void **state)
{
    static const char *const optional[] = {
        "received_by", "building", "unit", "complainant.name", "complainant.phone",
        "complainant.email", "demands", "category", "subcategory",
    };
    static const char *const blanks[] = { "", "   ", "\t\n", "\xe3\x80\x80", " \xe3\x80\x80\r\n" };
    struct fixture *f = *state;

    for (size_t b = 0; b < TEST_ARRAY_LEN(blanks); b++) {
        const char *body = full_body;
        struct complaint_new c;
        struct err e = { 0 };

        for (size_t i = 0; i < TEST_ARRAY_LEN(optional); i++)
            body = mutate(f->a, body, optional[i], json_string(blanks[b]));
        body = mutate(f->a, body, "complainant.anonymous", json_true());
        if (decode(f->a, body, &c, &e) != 0)
            fail_msg("blank %zu: %s/%s", b, e.field, e.reason);
        assert_null(c.received_by);
        assert_null(c.building);
        assert_null(c.unit);
        assert_null(c.complainant.name);
        assert_null(c.complainant.phone);
        assert_null(c.complainant.email);
        assert_null(c.demands);
        assert_null(c.category);
        assert_null(c.subcategory);
        assert_true(c.complainant.anonymous);
        assert_int_equal(core_complaint_check(&c, T_DOC, &e), 0);
        arena_reset(f->a);
    }
}

/* White space around strings (ASCII and U+3000) is dropped; inside it stays. */
static void
test_complaint_trimming(void **state)
{
    static const struct {
        const char *path, *in, *want;
    } rows[] = {
        { "subject", "  电梯困人 \t", "电梯困人" },
        { "subject", "\xe3\x80\x80电梯困人\xe3\x80\x80", "电梯困人" },
        { "subject", "\xe3\x80\x80 \xe3\x80\x80电梯 困人 \xe3\x80\x80", "电梯 困人" },
        { "subject", "电梯\xe3\x80\x80困人", "电梯\xe3\x80\x80困人" },
        { "content", "\n\n 第一行\n第二行\t\n\r\n", "第一行\n第二行" },
        { "content", "a\n\n\nb", "a\n\n\nb" },
        { "project", " HY ", "HY" },
        { "building", "\xe3\x80\x80" "3栋 ", "3栋" },
        { "unit", "\t2单元1202", "2单元1202" },
        { "received_by", " zhangwei\n", "zhangwei" },
        { "demands", "  尽快维修  ", "尽快维修" },
        { "category", " equipment ", "equipment" },
        { "subcategory", "lift\xe3\x80\x80", "lift" },
        { "complainant.name", "\xe3\x80\x80王先生\xe3\x80\x80", "王先生" },
        { "complainant.email", " wang@example.com ", "wang@example.com" },
        { "complainant.phone", "\xe3\x80\x80 138 1234 5678 ", "13812345678" },
    };
    struct fixture *f = *state;

    for (size_t i = 0; i < TEST_ARRAY_LEN(rows); i++) {
        const char *body = mutate(f->a, full_body, rows[i].path, json_string(rows[i].in));
        struct complaint_new c;
        struct err e = { 0 };
        const char *got = NULL;

        if (decode(f->a, body, &c, &e) != 0)
            fail_msg("row %zu: %s/%s", i, e.field, e.reason);
        if (strcmp(rows[i].path, "subject") == 0)
            got = c.subject;
        else if (strcmp(rows[i].path, "content") == 0)
            got = c.content;
        else if (strcmp(rows[i].path, "project") == 0)
            got = c.project;
        else if (strcmp(rows[i].path, "building") == 0)
            got = c.building;
        else if (strcmp(rows[i].path, "unit") == 0)
            got = c.unit;
        else if (strcmp(rows[i].path, "received_by") == 0)
            got = c.received_by;
        else if (strcmp(rows[i].path, "demands") == 0)
            got = c.demands;
        else if (strcmp(rows[i].path, "category") == 0)
            got = c.category;
        else if (strcmp(rows[i].path, "subcategory") == 0)
            got = c.subcategory;
        else if (strcmp(rows[i].path, "complainant.name") == 0)
            got = c.complainant.name;
        else if (strcmp(rows[i].path, "complainant.email") == 0)
            got = c.complainant.email;
        else if (strcmp(rows[i].path, "complainant.phone") == 0)
            got = c.complainant.phone;
        assert_non_null(got);
        if (strcmp(got, rows[i].want) != 0)
            fail_msg("row %zu: got '%s' want '%s'", i, got, rows[i].want);
        arena_reset(f->a);
    }
}

/* Strings with a fixed set of values and dates are trimmed too ("Strings are trimmed"). */
static void
test_complaint_trimming_enums_and_times(void **state)
{
    struct fixture *f = *state;
    const char *body = full_body;
    struct complaint_new c;
    struct err e = { 0 };

    body = mutate(f->a, body, "channel", json_string(" visit "));
    body = mutate(f->a, body, "kind", json_string("\xe3\x80\x80repair"));
    body = mutate(f->a, body, "comm_type", json_string("help\n"));
    body = mutate(f->a, body, "complainant.role", json_string(" tenant"));
    body = mutate(f->a, body, "received_at", json_string(" 2026-11-22T14:30+08:00 "));
    if (decode(f->a, body, &c, &e) != 0)
        fail_msg("%s/%s", e.field, e.reason);
    assert_string_equal(c.channel, "visit");
    assert_string_equal(c.kind, "repair");
    assert_string_equal(c.comm_type, "help");
    assert_string_equal(c.complainant.role, "tenant");
    assert_int_equal(c.received_at, T_DOC);
    /* blank enum strings are not values */
    body = mutate(f->a, full_body, "channel", json_string("  "));
    e = (struct err){ 0 };
    expect_invalid(decode(f->a, body, &c, &e), &e, "channel", "empty", "blank channel");
    body = mutate(f->a, full_body, "received_at", json_string(" "));
    e = (struct err){ 0 };
    expect_invalid(decode(f->a, body, &c, &e), &e, "received_at", "empty", "blank time");
}

/* Limits count characters (code points), not bytes: both sides of each. */
static void
test_complaint_lengths_in_chars(void **state)
{
    static const struct {
        const char *path, *unit;
        size_t max;
    } rows[] = {
        { "subject", "电", CORE_SUBJECT_MAX },
        { "subject", "𠮷", CORE_SUBJECT_MAX },   /* 4 bytes, one character */
        { "subject", "a", CORE_SUBJECT_MAX },
        { "subject", "é", CORE_SUBJECT_MAX },
        { "content", "中", CORE_CONTENT_MAX },
        { "content", "𠮷", CORE_CONTENT_MAX },
        { "demands", "求", CORE_DEMANDS_MAX },
        { "complainant.name", "王", CORE_NAME_MAX },
        { "complainant.name", "𠮷", CORE_NAME_MAX },
        { "received_by", "z", 64 },
        { "project", "项", 64 },
        { "building", "栋", 64 },
        { "unit", "单", 64 },
        { "category", "c", 64 },
        { "subcategory", "s", 64 },
    };
    struct fixture *f = *state;

    for (size_t i = 0; i < TEST_ARRAY_LEN(rows); i++) {
        for (size_t extra = 0; extra <= 1; extra++) {
            char *s = repeat(f->a, rows[i].unit, rows[i].max + extra);
            const char *body = mutate(f->a, full_body, rows[i].path, json_string(s));
            struct complaint_new c;
            struct err e = { 0 };
            char what[96];
            int rc = decode(f->a, body, &c, &e);

            snprintf(what, sizeof(what), "%s of %zu x %s", rows[i].path, rows[i].max + extra,
                     rows[i].unit);
            if (extra == 0) {
                if (rc != 0)
                    fail_msg("%s: %s/%s", what, e.field, e.reason);
                assert_int_equal(utf8_len_chars(s, strlen(s)), rows[i].max);
            } else {
                expect_invalid(rc, &e, rows[i].path, "too_long", what);
            }
            arena_reset(f->a);
        }
    }
}

/* The e-mail limit is 254 characters; 255 is too long, before the format check. */
static void
test_complaint_email_length(void **state)
{
    struct fixture *f = *state;
    const char *domain = "@example.com";     /* 12 characters */
    struct complaint_new c;
    struct err e = { 0 };
    char *ok = arena_printf(f->a, "%s%s", repeat(f->a, "a", 254 - 12), domain);
    char *bad = arena_printf(f->a, "%s%s", repeat(f->a, "a", 255 - 12), domain);

    assert_int_equal(strlen(ok), 254);
    assert_int_equal(decode(f->a, mutate(f->a, full_body, "complainant.email", json_string(ok)),
                            &c, &e),
                     0);
    assert_string_equal(c.complainant.email, ok);
    expect_invalid(decode(f->a, mutate(f->a, full_body, "complainant.email", json_string(bad)), &c,
                          &e),
                   &e, "complainant.email", "too_long", "255-char e-mail");
}

static void
test_complaint_enums_accepted(void **state)
{
    static const struct {
        const char *path;
        const char *const *values;
    } sets[] = {
        { "channel", core_channels },
        { "kind", core_kinds },
        { "comm_type", core_comm_types },
        { "complainant.role", core_roles },
    };
    struct fixture *f = *state;
    size_t n = 0;

    for (size_t s = 0; s < TEST_ARRAY_LEN(sets); s++) {
        for (const char *const *v = sets[s].values; *v != NULL; v++, n++) {
            const char *body = mutate(f->a, full_body, sets[s].path, json_string(*v));
            struct complaint_new c;
            struct err e = { 0 };
            const char *got;

            if (decode(f->a, body, &c, &e) != 0)
                fail_msg("%s=%s: %s/%s", sets[s].path, *v, e.field, e.reason);
            got = s == 0 ? c.channel : s == 1 ? c.kind : s == 2 ? c.comm_type
                                                          : c.complainant.role;
            assert_string_equal(got, *v);
            arena_reset(f->a);
        }
    }
    assert_int_equal(n, 9 + 5 + 3 + 4);   /* the counts docs/api.md lists */
}

static void
test_complaint_flags(void **state)
{
    static const struct {
        const char *name;
        unsigned bit;
    } rows[] = {
        { "injury", CORE_FLAG_INJURY },
        { "media", CORE_FLAG_MEDIA },
        { "lawsuit", CORE_FLAG_LAWSUIT },
        { "threat_media", CORE_FLAG_THREAT_MEDIA },
        { "threat_lawsuit", CORE_FLAG_THREAT_LAWSUIT },
        { "vip", CORE_FLAG_VIP },
    };
    struct fixture *f = *state;
    const char *all = full_body;
    struct complaint_new c;
    struct err e = { 0 };
    char path[32];

    for (size_t i = 0; i < TEST_ARRAY_LEN(rows); i++) {
        snprintf(path, sizeof(path), "flags.%s", rows[i].name);
        assert_int_equal(decode(f->a, mutate(f->a, full_body, path, json_true()), &c, &e), 0);
        assert_int_equal(c.flags, rows[i].bit);
        all = mutate(f->a, all, path, json_true());
    }
    assert_int_equal(decode(f->a, all, &c, &e), 0);
    assert_int_equal(c.flags, 0x3F);
    /* an empty object and a partial one */
    assert_int_equal(decode(f->a, mutate(f->a, full_body, "flags", jv("{}")), &c, &e), 0);
    assert_int_equal(c.flags, 0);
    assert_int_equal(
        decode(f->a, mutate(f->a, full_body, "flags", jv("{\"vip\":true,\"media\":null}")), &c,
               &e),
        0);
    assert_int_equal(c.flags, CORE_FLAG_VIP);
}

static void
test_complaint_loss_forms(void **state)
{
    static const struct {
        const char *json;
        int64_t fen;
    } rows[] = {
        { "\"1200.50\"", 120050 },
        { "\"1200.5\"", 120050 },
        { "\"1200\"", 120000 },
        { "\"1200.\"", 120000 },
        { "\".5\"", 50 },
        { "\"0\"", 0 },
        { "\"0.05\"", 5 },
        { "\"1.10\"", 110 },
        { "\" 12.30 \"", 1230 },
        { "\"100000000\"", 10000000000LL },
        { "\"100000000.00\"", 10000000000LL },
        { "\"00012\"", 1200 },
        { "0", 0 },
        { "1200", 120000 },
        { "100000000", 10000000000LL },
        { "1200.5", 120050 },
        { "1200.50", 120050 },
        { "0.05", 5 },
        { "0.1", 10 },
        { "19.99", 1999 },
        { "0.29", 29 },
        { "1e2", 10000 },
        { "100000000.0", 10000000000LL },
        { "99999999.99", 9999999999LL },
        { "-0.0", 0 },
    };
    struct fixture *f = *state;

    for (size_t i = 0; i < TEST_ARRAY_LEN(rows); i++) {
        const char *body = mutate(f->a, full_body, "loss_amount", jv(rows[i].json));
        struct complaint_new c;
        struct err e = { 0 };

        if (decode(f->a, body, &c, &e) != 0)
            fail_msg("loss %s: %s/%s (%s)", rows[i].json, e.field, e.reason, e.detail);
        assert_true(c.has_loss);
        if (c.loss_fen != rows[i].fen)
            fail_msg("loss %s: got %lld want %lld", rows[i].json, (long long)c.loss_fen,
                     (long long)rows[i].fen);
        arena_reset(f->a);
    }
}

static void
test_complaint_received_at_forms(void **state)
{
    static const struct {
        const char *in;
        int64_t t;
    } rows[] = {
        { "2026-11-22T14:30+08:00", T_DOC },
        { "2026-11-22T14:30:00+08:00", T_DOC },
        { "2026-11-22T14:30+0800", T_DOC },
        { "2026-11-22T14:30+08", T_DOC },
        { "2026-11-22T06:30Z", T_DOC },
        { "2026-11-22t06:30z", T_DOC },
        { "2026-11-22T01:30-05:00", T_DOC },
        { "2026-11-22T14:30", T_DOC },          /* no zone: the deployment's */
        { "2026-11-22 14:30", T_DOC },
        { "2026-11-22T14:30:45", T_DOC + 45 },  /* seconds dropped later, by core */
        { "2026-11-22T14:30:45.999+08:00", T_DOC + 45 },
    };
    struct fixture *f = *state;

    for (size_t i = 0; i < TEST_ARRAY_LEN(rows); i++) {
        const char *body = mutate(f->a, full_body, "received_at", json_string(rows[i].in));
        struct complaint_new c;
        struct err e = { 0 };

        if (decode(f->a, body, &c, &e) != 0)
            fail_msg("%s: %s/%s", rows[i].in, e.field, e.reason);
        assert_true(c.has_received_at);
        if (c.received_at != rows[i].t)
            fail_msg("%s: got %lld", rows[i].in, (long long)c.received_at);
        assert_int_equal(core_complaint_check(&c, T_DOC + 60, &e), 0);
        assert_int_equal(c.received_at, T_DOC);
        arena_reset(f->a);
    }
}

static void
test_complaint_headcount_bounds(void **state)
{
    static const struct {
        const char *json;
        int want;
    } rows[] = { { "1", 1 }, { "2", 2 }, { "99999", 99999 }, { "100000", 100000 } };
    struct fixture *f = *state;

    for (size_t i = 0; i < TEST_ARRAY_LEN(rows); i++) {
        struct complaint_new c;
        struct err e = { 0 };

        assert_int_equal(
            decode(f->a, mutate(f->a, full_body, "headcount", jv(rows[i].json)), &c, &e), 0);
        assert_int_equal(c.headcount, rows[i].want);
    }
}

static void
test_complaint_phone_canonical(void **state)
{
    static const struct {
        const char *in, *want;
    } rows[] = {
        { "+86 138-1234-5678", "13812345678" },
        { "１３８１２３４５６７８", "13812345678" },
        { "(010) 1234 5678", "010-12345678" },
        { "010-12345678 转 123", "010-12345678-123" },
        { "400 123 4567", "400-123-4567" },
    };
    struct fixture *f = *state;

    for (size_t i = 0; i < TEST_ARRAY_LEN(rows); i++) {
        struct complaint_new c;
        struct err e = { 0 };

        assert_int_equal(decode(f->a,
                                mutate(f->a, full_body, "complainant.phone",
                                       json_string(rows[i].in)),
                                &c, &e),
                         0);
        assert_string_equal(c.complainant.phone, rows[i].want);
    }
}

/* Multi-line text keeps its newlines and tabs. */
static void
test_complaint_multiline(void **state)
{
    struct fixture *f = *state;
    struct complaint_new c;
    struct err e = { 0 };
    const char *body = mutate(f->a, full_body, "content", json_string("第一行\r\n\t第二行"));

    body = mutate(f->a, body, "demands", json_string("一、维修\n二、道歉"));
    assert_int_equal(decode(f->a, body, &c, &e), 0);
    assert_string_equal(c.content, "第一行\r\n\t第二行");
    assert_string_equal(c.demands, "一、维修\n二、道歉");
}

/* ---- events ---- */

static const struct bad_row event_rows[] = {
    ROW("type", DEL, "type", "required"),
    ROW("type", "null", "type", "required"),
    ROW("type", "\"memo\"", "type", "bad_value"),
    ROW("type", "\"registered\"", "type", "bad_value"),
    ROW("type", "\"attachment\"", "type", "bad_value"),
    ROW("type", "\"Note\"", "type", "bad_value"),
    ROW("type", "\"\"", "type", "empty"),
    ROW("type", "1", "type", "bad_type"),
    ROW("text", DEL, "text", "required"),
    ROW("text", "null", "text", "required"),
    ROW("text", "\"\"", "text", "empty"),
    ROW("text", "\" \\n\\u3000\\t\"", "text", "empty"),
    ROW("text", "5", "text", "bad_type"),
    ROW("text", "\"a\\u0001\"", "text", "bad_character"),
    ROW("text", "\"a\\u007f\"", "text", "bad_character"),
    REP("text", "记", 10001, "text", "too_long"),
    REP("text", "𠮷", 10001, "text", "too_long"),
    ROW("author", "5", "author", "bad_type"),
    ROW("author", "{}", "author", "bad_type"),
    ROW("author", "\"li\\nna\"", "author", "bad_character"),
    REP("author", "l", 65, "author", "too_long"),
    ROW("visibility", "\"customer\"", "visibility", "unknown_field"),
    ROW("data", "{}", "data", "unknown_field"),
};

static void
test_event_bad_rows(void **state)
{
    struct fixture *f = *state;

    for (size_t i = 0; i < TEST_ARRAY_LEN(event_rows); i++) {
        const struct bad_row *r = &event_rows[i];
        json_t *v = r->unit ? json_string(repeat(f->a, r->unit, r->times))
                            : r->json ? jv(r->json) : NULL;
        const char *body = mutate(f->a, event_body, r->path, v);
        struct event_body ev;
        struct err e = { 0 };
        char what[96];

        snprintf(what, sizeof(what), "event row %zu (%s)", i, r->path);
        expect_invalid(http_decode_event(body, strlen(body), f->a, &ev, &e), &e, r->field,
                       r->reason, what);
        arena_reset(f->a);
    }
}

static void
test_event_good(void **state)
{
    struct fixture *f = *state;
    struct event_body ev;
    struct err e = { 0 };
    const char *body;
    char *s;

    assert_int_equal(http_decode_event(event_body, strlen(event_body), f->a, &ev, &e), 0);
    assert_string_equal(ev.type, "note");
    assert_string_equal(ev.text, "已电话联系业主,约定明天上门");
    assert_string_equal(ev.author, "lina");

    body = "{\"type\":\"reply\",\"text\":\"\\u3000 您好:\\n\\t已安排维修。 \"}";
    assert_int_equal(http_decode_event(body, strlen(body), f->a, &ev, &e), 0);
    assert_string_equal(ev.type, "reply");
    assert_string_equal(ev.text, "您好:\n\t已安排维修。");
    assert_null(ev.author);

    body = "{\"type\":\"note\",\"text\":\"x\",\"author\":\"  \"}";
    assert_int_equal(http_decode_event(body, strlen(body), f->a, &ev, &e), 0);
    assert_null(ev.author);
    body = "{\"type\":\"note\",\"text\":\"x\",\"author\":null}";
    assert_int_equal(http_decode_event(body, strlen(body), f->a, &ev, &e), 0);
    assert_null(ev.author);

    /* 10000 characters exactly, four bytes each */
    s = repeat(f->a, "𠮷", CORE_EVENT_TEXT_MAX);
    body = mutate(f->a, event_body, "text", json_string(s));
    assert_int_equal(http_decode_event(body, strlen(body), f->a, &ev, &e), 0);
    assert_int_equal(strlen(ev.text), 4 * CORE_EVENT_TEXT_MAX);
    assert_int_equal(e.code, ERR_OK);
}

/* ---- list parameters ---- */

static int
list(struct arena *a, const struct kv *q, size_t n, struct complaint_query *out, struct err *e)
{
    return http_decode_list_query(q, n, TZ, a, out, e);
}

static void
test_list_defaults(void **state)
{
    struct fixture *f = *state;
    struct complaint_query q;
    struct err e = { 0 };

    memset(&q, 0x5A, sizeof(q));
    assert_int_equal(list(f->a, NULL, 0, &q, &e), 0);
    assert_int_equal(q.project.n, 0);
    assert_int_equal(q.status.n, 0);
    assert_int_equal(q.category.n, 0);
    assert_int_equal(q.kind.n, 0);
    assert_int_equal(q.channel.n, 0);
    assert_false(q.has_from);
    assert_false(q.has_to);
    assert_null(q.match);
    assert_int_equal(q.sort, STORE_SORT_RECEIVED_DESC);
    assert_false(q.has_cursor);
    assert_int_equal(q.limit, 20);
}

static void
test_list_every_parameter(void **state)
{
    struct fixture *f = *state;
    const struct kv params[] = {
        { "project", "HY" },
        { "status", "received,registered" },
        { "category", "equipment,hygiene-2" },
        { "kind", "complaint" },
        { "channel", "phone,web,email" },
        { "received_from", "2026-11-01" },
        { "received_to", "2026-11-30" },
        { "q", "电梯 漏水" },
        { "sort", "received_at" },
        { "limit", "50" },
        { "cursor", "R1795329000.42" },
    };
    struct complaint_query q;
    struct err e = { 0 };

    if (list(f->a, params, TEST_ARRAY_LEN(params), &q, &e) != 0)
        fail_msg("%s/%s: %s", e.field, e.reason, e.detail);
    assert_int_equal(q.project.n, 1);
    assert_string_equal(q.project.values[0], "HY");
    assert_int_equal(q.status.n, 2);
    assert_string_equal(q.status.values[0], "received");
    assert_string_equal(q.status.values[1], "registered");
    assert_int_equal(q.category.n, 2);
    assert_string_equal(q.category.values[0], "equipment");
    assert_string_equal(q.category.values[1], "hygiene-2");
    assert_int_equal(q.kind.n, 1);
    assert_string_equal(q.kind.values[0], "complaint");
    assert_int_equal(q.channel.n, 3);
    assert_string_equal(q.channel.values[2], "email");
    assert_true(q.has_from);
    assert_int_equal(q.from, T_NOV1);
    assert_true(q.has_to);
    assert_int_equal(q.to, T_DEC1);     /* the whole of 30 November */
    assert_non_null(q.match);
    assert_true(strlen(q.match) > 0);
    assert_int_equal(q.sort, STORE_SORT_RECEIVED_ASC);
    assert_int_equal(q.limit, 50);
    assert_true(q.has_cursor);
    assert_int_equal(q.cursor_key, 1795329000);
    assert_int_equal(q.cursor_id, 42);
}

static void
test_list_enum_values(void **state)
{
    static const struct {
        const char *key;
        const char *const *values;
    } sets[] = {
        { "status", core_statuses },
        { "kind", core_kinds },
        { "channel", core_channels },
    };
    struct fixture *f = *state;

    for (size_t s = 0; s < TEST_ARRAY_LEN(sets); s++) {
        char joined[512] = "";
        size_t count = 0;
        struct complaint_query q;
        struct err e = { 0 };
        struct kv p;
        const struct store_filter *flt;

        for (const char *const *v = sets[s].values; *v != NULL; v++, count++) {
            struct kv one = { sets[s].key, *v };
            assert_int_equal(list(f->a, &one, 1, &q, &e), 0);
            strncat(joined, count ? "," : "", sizeof(joined) - strlen(joined) - 1);
            strncat(joined, *v, sizeof(joined) - strlen(joined) - 1);
        }
        p = (struct kv){ sets[s].key, joined };
        assert_int_equal(list(f->a, &p, 1, &q, &e), 0);
        flt = s == 0 ? &q.status : s == 1 ? &q.kind : &q.channel;
        assert_int_equal(flt->n, count);
        for (size_t i = 0; i < count; i++)
            assert_string_equal(flt->values[i], sets[s].values[i]);
    }
}

/* STORE_FILTER_MAX values fit; one more is too_long. */
static void
test_list_filter_max(void **state)
{
    struct fixture *f = *state;
    char *ok = repeat(f->a, "phone,", STORE_FILTER_MAX);
    char *over = repeat(f->a, "phone,", STORE_FILTER_MAX + 1);
    struct complaint_query q;
    struct err e = { 0 };
    struct kv p;

    ok[strlen(ok) - 1] = '\0';
    over[strlen(over) - 1] = '\0';
    p = (struct kv){ "channel", ok };
    assert_int_equal(list(f->a, &p, 1, &q, &e), 0);
    assert_int_equal(q.channel.n, STORE_FILTER_MAX);
    p = (struct kv){ "channel", over };
    expect_invalid(list(f->a, &p, 1, &q, &e), &e, "channel", "too_long", "17 channels");
}

struct list_bad_row {
    const char *key, *value;
    const char *field, *reason;
};

static const struct list_bad_row list_rows[] = {
    { "project", "", "project", "bad_value" },
    { "status", "", "status", "bad_value" },
    { "status", "open", "status", "bad_value" },
    { "status", "received,", "status", "bad_value" },
    { "status", ",received", "status", "bad_value" },
    { "status", "received,,registered", "status", "bad_value" },
    { "status", "received,bogus", "status", "bad_value" },
    { "status", "Received", "status", "bad_value" },
    { "kind", "bug", "kind", "bad_value" },
    { "kind", "complaint;inquiry", "kind", "bad_value" },
    { "channel", "fax", "channel", "bad_value" },
    { "channel", "phone web", "channel", "bad_value" },
    { "category", "", "category", "bad_value" },
    { "category", "equip ment", "category", "bad_value" },   /* unknown codes are the store's to refuse */
    { "category", "设备", "category", "bad_value" },
    { "category", "a b", "category", "bad_value" },
    { "category", "equipment,", "category", "bad_value" },
    { "received_from", "", "received_from", "empty" },
    { "received_from", "2026-02-30", "received_from", "bad_date" },
    { "received_from", "2026-11-01T25:00", "received_from", "bad_time" },
    { "received_from", "2026-11-01T10:00+99:00", "received_from", "bad_offset" },
    { "received_from", "yesterday", "received_from", "bad_format" },
    { "received_from", "1969-12-31", "received_from", "out_of_range" },
    { "received_to", "2026-13-01", "received_to", "bad_date" },
    { "received_to", "20261101", "received_to", "bad_format" },
    { "q", "", "q", "empty" },
    { "q", "!!! ，。", "q", "empty" },
    { "sort", "", "sort", "bad_value" },
    { "sort", "newest", "sort", "bad_value" },
    { "sort", "-subject", "sort", "bad_value" },
    { "sort", "received_at,registered_at", "sort", "bad_value" },
    { "limit", "", "limit", "bad_value" },
    { "limit", "abc", "limit", "bad_value" },
    { "limit", "10x", "limit", "bad_value" },
    { "limit", "1.5", "limit", "bad_value" },
    { "limit", "99999999999999999999", "limit", "bad_value" },
    { "limit", "0", "limit", "out_of_range" },
    { "limit", "-1", "limit", "out_of_range" },
    { "limit", "101", "limit", "out_of_range" },
    { "limit", "1000", "limit", "out_of_range" },
    { "cursor", "", "cursor", "bad_cursor" },
    { "cursor", "r", "cursor", "bad_cursor" },
    { "cursor", "r1795329000", "cursor", "bad_cursor" },
    { "cursor", "r1795329000.", "cursor", "bad_cursor" },
    { "cursor", "r.42", "cursor", "bad_cursor" },
    { "cursor", "rabc.42", "cursor", "bad_cursor" },
    { "cursor", "r1795329000.x", "cursor", "bad_cursor" },
    { "cursor", "r1795329000.42x", "cursor", "bad_cursor" },
    { "cursor", "r-1.42", "cursor", "bad_cursor" },
    { "cursor", "r1.-42", "cursor", "bad_cursor" },
    { "cursor", "r99999999999999999999.1", "cursor", "bad_cursor" },
    { "cursor", "x1795329000.42", "cursor", "bad_cursor" },
    { "cursor", "R1795329000.42", "cursor", "bad_cursor" },   /* default sort is 'r' */
    { "cursor", "g42.42", "cursor", "bad_cursor" },
    { "Limit", "10", "Limit", "unknown_parameter" },
    { "foo", "1", "foo", "unknown_parameter" },
    { "", "1", "", "unknown_parameter" },
    { "page", "2", "page", "unknown_parameter" },
};

static void
test_list_bad_rows(void **state)
{
    struct fixture *f = *state;

    for (size_t i = 0; i < TEST_ARRAY_LEN(list_rows); i++) {
        struct kv p = { list_rows[i].key, list_rows[i].value };
        struct complaint_query q;
        struct err e = { 0 };
        char what[96];

        snprintf(what, sizeof(what), "list row %zu (%s=%s)", i, p.key, p.value);
        expect_invalid(list(f->a, &p, 1, &q, &e), &e, list_rows[i].field, list_rows[i].reason,
                       what);
        arena_reset(f->a);
    }
}

static void
test_list_repeated(void **state)
{
    static const char *const keys[] = {
        "project", "status", "category", "kind", "channel", "received_from", "received_to",
        "q", "sort", "limit",
    };
    static const char *const values[] = {
        "HY", "received", "equipment", "complaint", "phone", "2026-11-01", "2026-11-30",
        "电梯", "received_at", "10",
    };
    struct fixture *f = *state;

    for (size_t i = 0; i < TEST_ARRAY_LEN(keys); i++) {
        struct kv p[3] = { { keys[i], values[i] }, { "limit", "5" }, { keys[i], values[i] } };
        struct complaint_query q;
        struct err e = { 0 };
        size_t n = strcmp(keys[i], "limit") == 0 ? 2 : 3;

        if (n == 2)
            p[1] = p[2];
        expect_invalid(list(f->a, p, n, &q, &e), &e, keys[i], "repeated", keys[i]);
    }
    /* the cursor, too, even with different values */
    {
        struct kv p[2] = { { "cursor", "r1.1" }, { "cursor", "r2.2" } };
        struct complaint_query q;
        struct err e = { 0 };

        expect_invalid(list(f->a, p, 2, &q, &e), &e, "cursor", "repeated", "cursor");
    }
}

/* received_to is inclusive: a date means through that day, a time through that second. */
static void
test_list_date_ranges(void **state)
{
    static const struct {
        const char *from, *to;
        int64_t want_from, want_to;
        const char *reason;     /* NULL: accepted */
    } rows[] = {
        { "2026-11-01", "2026-11-30", T_NOV1, T_DEC1, NULL },
        { "2026-11-01", "2026-11-01", T_NOV1, T_NOV1 + 86400, NULL },
        { "2026-11-22T14:30", "2026-11-22T14:30", T_DOC, T_DOC + 1, NULL },
        { "2026-11-22T14:30", "2026-11-22", T_DOC, T_DOC - 870 * 60 + 86400, NULL },
        { "2026-11-22T06:30Z", "2026-11-22T14:30:59+08:00", T_DOC, T_DOC + 60, NULL },
        { "2026-11-02", "2026-11-01", 0, 0, "before_from" },
        { "2026-11-22T14:30", "2026-11-22T14:29:59", 0, 0, "before_from" },
        { "2026-11-23", "2026-11-22T23:59", 0, 0, "before_from" },
    };
    struct fixture *f = *state;

    for (size_t i = 0; i < TEST_ARRAY_LEN(rows); i++) {
        struct kv p[2] = { { "received_from", rows[i].from }, { "received_to", rows[i].to } };
        struct complaint_query q;
        struct err e = { 0 };
        int rc = list(f->a, p, 2, &q, &e);
        char what[64];

        snprintf(what, sizeof(what), "range row %zu", i);
        if (rows[i].reason != NULL) {
            expect_invalid(rc, &e, "received_to", rows[i].reason, what);
            continue;
        }
        if (rc != 0)
            fail_msg("%s: %s/%s", what, e.field, e.reason);
        assert_int_equal(q.from, rows[i].want_from);
        assert_int_equal(q.to, rows[i].want_to);
        assert_true(q.to > q.from);
    }
    /* either end alone */
    {
        struct kv p = { "received_to", "2026-11-30" };
        struct complaint_query q;
        struct err e = { 0 };

        assert_int_equal(list(f->a, &p, 1, &q, &e), 0);
        assert_false(q.has_from);
        assert_true(q.has_to);
        assert_int_equal(q.to, T_DEC1);
    }
}

static void
test_list_limit_bounds(void **state)
{
    static const struct {
        const char *in;
        int want;
    } rows[] = { { "1", 1 }, { "2", 2 }, { "20", 20 }, { "99", 99 }, { "100", 100 },
                 { "007", 7 } };
    struct fixture *f = *state;

    for (size_t i = 0; i < TEST_ARRAY_LEN(rows); i++) {
        struct kv p = { "limit", rows[i].in };
        struct complaint_query q;
        struct err e = { 0 };

        assert_int_equal(list(f->a, &p, 1, &q, &e), 0);
        assert_int_equal(q.limit, rows[i].want);
    }
}

static void
test_list_sorts(void **state)
{
    static const struct {
        const char *in;
        enum store_sort want;
    } rows[] = {
        { "-received_at", STORE_SORT_RECEIVED_DESC },
        { "received_at", STORE_SORT_RECEIVED_ASC },
        { "-registered_at", STORE_SORT_REGISTERED_DESC },
        { "registered_at", STORE_SORT_REGISTERED_ASC },
    };
    struct fixture *f = *state;

    for (size_t i = 0; i < TEST_ARRAY_LEN(rows); i++) {
        struct kv p = { "sort", rows[i].in };
        struct complaint_query q;
        struct err e = { 0 };

        assert_int_equal(list(f->a, &p, 1, &q, &e), 0);
        assert_int_equal(q.sort, rows[i].want);
    }
}

/* A cursor made for one sort reads back under it, before or after `sort`, and no other. */
static void
test_list_cursor_round_trip(void **state)
{
    static const char *const sorts[] = { "-received_at", "received_at", "-registered_at",
                                         "registered_at" };
    static const struct complaint lasts[] = {
        { .id = 42, .received_at = T_DOC },
        { .id = 1, .received_at = 0 },
        { .id = 9007199254740993LL, .received_at = 253402300799LL },
    };
    struct fixture *f = *state;

    for (size_t l = 0; l < TEST_ARRAY_LEN(lasts); l++) {
        for (size_t s = 0; s < TEST_ARRAY_LEN(sorts); s++) {
            char *cur = http_cursor_make(f->a, (enum store_sort)s, &lasts[l]);
            bool by_received = s == STORE_SORT_RECEIVED_DESC || s == STORE_SORT_RECEIVED_ASC;

            assert_non_null(cur);
            for (size_t other = 0; other < TEST_ARRAY_LEN(sorts); other++) {
                struct kv before[2] = { { "cursor", cur }, { "sort", sorts[other] } };
                struct kv after[2] = { { "sort", sorts[other] }, { "cursor", cur } };
                struct complaint_query q;
                struct err e = { 0 };
                int rc1 = list(f->a, before, 2, &q, &e);
                int rc2;

                if (other == s) {
                    assert_int_equal(rc1, 0);
                    assert_true(q.has_cursor);
                    assert_int_equal(q.cursor_key, by_received ? lasts[l].received_at
                                                               : lasts[l].id);
                    assert_int_equal(q.cursor_id, lasts[l].id);
                    rc2 = list(f->a, after, 2, &q, &e);
                    assert_int_equal(rc2, 0);
                    assert_int_equal(q.cursor_id, lasts[l].id);
                } else {
                    expect_invalid(rc1, &e, "cursor", "bad_cursor", cur);
                    e = (struct err){ 0 };
                    expect_invalid(list(f->a, after, 2, &q, &e), &e, "cursor", "bad_cursor",
                                   cur);
                }
            }
            /* without sort: good only for the default */
            {
                struct kv p = { "cursor", cur };
                struct complaint_query q;
                struct err e = { 0 };
                int rc = list(f->a, &p, 1, &q, &e);

                if (s == STORE_SORT_RECEIVED_DESC)
                    assert_int_equal(rc, 0);
                else
                    expect_invalid(rc, &e, "cursor", "bad_cursor", cur);
            }
        }
    }
}

/* q becomes the MATCH expression store/fts.h builds for the same text. */
static void
test_list_q_match(void **state)
{
    static const char *const inputs[] = { "电梯", "电梯 漏水", "电", "elevator 电梯坏了",
                                          "\"; DROP TABLE complaints; --", "𠮷野家" };
    struct fixture *f = *state;

    for (size_t i = 0; i < TEST_ARRAY_LEN(inputs); i++) {
        struct kv p = { "q", inputs[i] };
        struct complaint_query q;
        struct err e = { 0 };
        struct sbuf sb;

        if (list(f->a, &p, 1, &q, &e) != 0)
            fail_msg("q=%s: %s/%s", inputs[i], e.field, e.reason);
        assert_non_null(q.match);
        assert_true(q.match[0] != '\0');
        sbuf_init(&sb, 8192);
        assert_int_equal(fts_query_build(inputs[i], strlen(inputs[i]), &sb, &e), 0);
        assert_string_equal(q.match, sb.buf);
        sbuf_release(&sb);
    }
}

/* The first error wins; nothing after it changes the report. */
static void
test_list_first_error_wins(void **state)
{
    struct fixture *f = *state;
    struct kv p[3] = { { "limit", "0" }, { "foo", "1" }, { "sort", "x" } };
    struct complaint_query q;
    struct err e = { 0 };

    expect_invalid(list(f->a, p, 3, &q, &e), &e, "limit", "out_of_range", "first");
}

/* ---- allocation failures (STYLE §6) ---- */

/*
 * How many allocations jansson makes to parse `body`: the decoders parse
 * first, so these are allocations 1..N of a decode.
 */
static unsigned long
parse_allocs(const char *body)
{
    json_error_t jerr;
    json_t *root;
    unsigned long n;

    alloc_setup_json();
    alloc_fail_at(~0UL, 0);     /* count without failing */
    root = json_loadb(body, strlen(body), JSON_REJECT_DUPLICATES, &jerr);
    n = alloc_fail_at(0, 0);
    assert_non_null(root);
    json_decref(root);
    return n;
}

/*
 * Fail allocation n (and every later one) for n = 1, 2, ... until the call
 * completes without reaching a failure. Each failing run must report
 * ERR_NOMEM (or ERR_TOO_LARGE); LeakSanitizer checks nothing leaks.
 *
 * NEEDSWORK: jansson turns a failed allocation of a string token into a
 * syntax error ("string or '}' expected"), which decode.c cannot tell from
 * bad JSON, so a failure among the first `in_parser` allocations may also
 * end as body/bad_json. Telling them apart needs a per-thread "an allocation
 * failed" flag in util/alloc.c.
 */
static void
fault_loop(const char *what, unsigned long in_parser, int (*run)(struct arena *a, struct err *e))
{
    unsigned long n;
    unsigned long failures = 0, as_bad_json = 0;

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
        if (calls < n) {         /* the failure was never reached: done */
            if (rc != 0)
                fail_msg("%s: fails without an injected failure: %s/%s", what,
                         e.reason ? e.reason : "NULL", e.detail);
            break;
        }
        if (rc == 0)
            continue;           /* a failure that was absorbed is fine */
        failures++;
        if (n <= in_parser && e.code == ERR_INVALID && strcmp(e.reason, "bad_json") == 0) {
            as_bad_json++;
            continue;
        }
        if (e.code != ERR_NOMEM && e.code != ERR_TOO_LARGE)
            fail_msg("%s: allocation %lu failed: code %d %s/%s (%s)", what, n, e.code,
                     e.field ? e.field : "NULL", e.reason ? e.reason : "NULL", e.detail);
    }
    assert_true(n > in_parser);     /* every allocation, in the parser and after, was failed */
    assert_true(failures > 0);
    print_message("%s: %lu allocations failed in turn (%lu in the parser, %lu of those "
                  "reported as bad_json)\n", what, n - 1, in_parser, as_bad_json);
    json_set_alloc_funcs(malloc, free);
}

/*
 * The register example with a long content and demands, so that the arena
 * needs blocks beyond its first (16 KiB) one: allocations after the parse.
 */
static char big_body[sizeof(full_body) + 3 * 8000 + 64];

static void
make_big_body(void)
{
    const char *at = strstr(full_body, "\"content\":\"");
    size_t head = (size_t)(at - full_body) + strlen("\"content\":\"");
    size_t o = head;

    memcpy(big_body, full_body, head);
    for (int i = 0; i < 8000; i++, o += 3)
        memcpy(big_body + o, "电", 3);
    memcpy(big_body + o, strchr(full_body + head, '"'), strlen(strchr(full_body + head, '"')) + 1);
}

static int
run_full_complaint(struct arena *a, struct err *e)
{
    struct complaint_new c;
    int rc = http_decode_complaint(big_body, strlen(big_body), TZ, a, &c, e);

    if (rc == 0) {
        assert_string_equal(c.subject, "电梯困人");
        assert_int_equal(utf8_len_chars(c.content, strlen(c.content)), 8000);
        assert_string_equal(c.complainant.phone, "13812345678");
        assert_int_equal(c.loss_fen, 120050);
    }
    return rc;
}

static int
run_event(struct arena *a, struct err *e)
{
    struct event_body ev;

    return http_decode_event(event_body, strlen(event_body), a, &ev, e);
}

static int
run_list(struct arena *a, struct err *e)
{
    const struct kv params[] = {
        { "status", "received,registered" }, { "q", "电梯 漏水 elevator" },
        { "received_from", "2026-11-01" },   { "received_to", "2026-11-30" },
        { "sort", "received_at" },           { "cursor", "R1795329000.42" },
    };
    struct complaint_query q;

    return http_decode_list_query(params, TEST_ARRAY_LEN(params), TZ, a, &q, e);
}

static void
test_fault_complaint(void **state)
{
    (void)state;
    make_big_body();
    fault_loop("complaint", parse_allocs(big_body), run_full_complaint);
}

static void
test_fault_event(void **state)
{
    (void)state;
    fault_loop("event", parse_allocs(event_body), run_event);
}

static void
test_fault_list(void **state)
{
    (void)state;
    fault_loop("list", 0, run_list);
}

/* A request arena too small for the body: an error, never a crash or a partial struct. */
static void
test_complaint_small_arena(void **state)
{
    (void)state;
    for (size_t limit = 16; limit <= 1024; limit += 16) {
        struct arena *a = arena_new(limit);
        struct complaint_new c;
        struct err e = { 0 };
        int rc;

        assert_non_null(a);
        rc = http_decode_complaint(full_body, strlen(full_body), TZ, a, &c, &e);
        if (rc != 0 && e.code != ERR_NOMEM && e.code != ERR_TOO_LARGE)
            fail_msg("limit %zu: code %d %s", limit, e.code, e.detail);
        arena_free(a);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_complaint_bad_rows, setup, teardown),
        cmocka_unit_test_setup_teardown(test_complaint_bad_raw, setup, teardown),
        cmocka_unit_test_setup_teardown(test_event_bad_raw, setup, teardown),
        cmocka_unit_test_setup_teardown(test_complaint_len_is_honoured, setup, teardown),
        cmocka_unit_test_setup_teardown(test_complaint_full_doc_example, setup, teardown),
        cmocka_unit_test_setup_teardown(test_complaint_defaults, setup, teardown),
        cmocka_unit_test_setup_teardown(test_complaint_nulls_are_absent, setup, teardown),
        cmocka_unit_test_setup_teardown(test_complaint_empty_optionals_are_null, setup, teardown),
        cmocka_unit_test_setup_teardown(test_complaint_trimming, setup, teardown),
        cmocka_unit_test_setup_teardown(test_complaint_trimming_enums_and_times, setup, teardown),
        cmocka_unit_test_setup_teardown(test_complaint_lengths_in_chars, setup, teardown),
        cmocka_unit_test_setup_teardown(test_complaint_email_length, setup, teardown),
        cmocka_unit_test_setup_teardown(test_complaint_enums_accepted, setup, teardown),
        cmocka_unit_test_setup_teardown(test_complaint_flags, setup, teardown),
        cmocka_unit_test_setup_teardown(test_complaint_loss_forms, setup, teardown),
        cmocka_unit_test_setup_teardown(test_complaint_received_at_forms, setup, teardown),
        cmocka_unit_test_setup_teardown(test_complaint_headcount_bounds, setup, teardown),
        cmocka_unit_test_setup_teardown(test_complaint_phone_canonical, setup, teardown),
        cmocka_unit_test_setup_teardown(test_complaint_multiline, setup, teardown),
        cmocka_unit_test_setup_teardown(test_event_bad_rows, setup, teardown),
        cmocka_unit_test_setup_teardown(test_event_good, setup, teardown),
        cmocka_unit_test_setup_teardown(test_list_defaults, setup, teardown),
        cmocka_unit_test_setup_teardown(test_list_every_parameter, setup, teardown),
        cmocka_unit_test_setup_teardown(test_list_enum_values, setup, teardown),
        cmocka_unit_test_setup_teardown(test_list_filter_max, setup, teardown),
        cmocka_unit_test_setup_teardown(test_list_bad_rows, setup, teardown),
        cmocka_unit_test_setup_teardown(test_list_repeated, setup, teardown),
        cmocka_unit_test_setup_teardown(test_list_date_ranges, setup, teardown),
        cmocka_unit_test_setup_teardown(test_list_limit_bounds, setup, teardown),
        cmocka_unit_test_setup_teardown(test_list_sorts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_list_cursor_round_trip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_list_q_match, setup, teardown),
        cmocka_unit_test_setup_teardown(test_list_first_error_wins, setup, teardown),
        cmocka_unit_test(test_fault_complaint),
        cmocka_unit_test(test_fault_event),
        cmocka_unit_test(test_fault_list),
        cmocka_unit_test(test_complaint_small_arena),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
