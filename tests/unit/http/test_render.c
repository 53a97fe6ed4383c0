/* render.c and reply.c: the JSON shapes of records and of errors. */
#include "testutil.h"

#include "http/handlers.h"
#include "util/alloc.h"

#include <jansson.h>
#include <string.h>

#define TZ 480

static struct complaint
sample(void)
{
    struct complaint c = {
        .id = 7, .number = "KS-2026-000007", .status = "registered", .kind = "complaint",
        .nature = "undetermined", .channel = "phone", .received_at = 1767225600,
        .registered_at = 1767225660, .project_code = "HY", .project_name = "华苑花园",
        .building = "3栋", .unit = "2单元1202", .complainant_id = 17, .c_name = "王先生",
        .c_phone = "13812345678", .c_role = "owner", .headcount = 1, .subject = "电梯困人𠮷",
        .content = "内容\n第二行", .category_code = "equipment", .category_zh = "设备管理类",
        .category_en = "Equipment management", .flags = CORE_FLAG_INJURY | CORE_FLAG_VIP,
        .has_loss = true, .loss_fen = 120050,
    };
    return c;
}

static const char *
str_of(json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

static void
test_summary_masks_and_omits(void **state)
{
    struct complaint c = sample();
    json_t *o = render_complaint(&c, TZ, false);
    json_t *who;

    (void)state;
    assert_non_null(o);
    who = json_object_get(o, "complainant");
    assert_string_equal(str_of(who, "phone"), "138****5678");
    assert_string_equal(str_of(who, "name"), "王先生");
    assert_null(json_object_get(who, "email"));
    assert_null(json_object_get(o, "content"));       /* lists carry no body text */
    assert_null(json_object_get(o, "flags"));
    assert_string_equal(str_of(o, "received_at"), "2026-01-01T08:00:00+08:00");
    assert_true(json_is_null(json_object_get(o, "grade")));
    assert_string_equal(str_of(json_object_get(o, "category"), "name_zh"), "设备管理类");
    json_decref(o);
}

static void
test_contact_masked_until_revealed(void **state)
{
    struct complaint c = sample();
    json_t *full, *summary, *contact;

    (void)state;
    c.c_email = "wang.xiao@example.com";
    full = render_complaint(&c, TZ, true);
    summary = render_complaint(&c, TZ, false);
    contact = render_contact(&c);
    assert_non_null(full);
    assert_non_null(summary);
    assert_non_null(contact);
    assert_string_equal(str_of(full, "unit"), "2单元****");
    assert_string_equal(str_of(summary, "unit"), "2单元****");
    assert_string_equal(str_of(full, "building"), "3栋");
    assert_string_equal(str_of(json_object_get(full, "complainant"), "email"), "w***@example.com");
    assert_string_equal(str_of(contact, "phone"), "13812345678");
    assert_string_equal(str_of(contact, "email"), "wang.xiao@example.com");
    assert_string_equal(str_of(contact, "unit"), "2单元1202");
    assert_string_equal(str_of(contact, "number"), c.number);
    json_decref(full);
    json_decref(summary);
    json_decref(contact);
}

static void
test_full_has_everything(void **state)
{
    struct complaint c = sample();
    json_t *o = render_complaint(&c, TZ, true);
    json_t *flags, *who;

    (void)state;
    assert_non_null(o);
    who = json_object_get(o, "complainant");
    /* the detail view masks too: unmasked contact comes only from an audited reveal */
    assert_string_equal(str_of(who, "phone"), "138****5678");
    assert_int_equal(json_integer_value(json_object_get(who, "id")), 17);
    assert_true(json_is_null(json_object_get(who, "email")));
    assert_string_equal(str_of(o, "content"), "内容\n第二行");
    assert_string_equal(str_of(o, "subject"), "电梯困人𠮷");
    assert_string_equal(str_of(o, "loss_amount"), "1200.50");
    assert_true(json_is_null(json_object_get(o, "subcategory")));
    assert_true(json_is_null(json_object_get(o, "received_by")));
    flags = json_object_get(o, "flags");
    assert_true(json_is_true(json_object_get(flags, "injury")));
    assert_true(json_is_true(json_object_get(flags, "vip")));
    assert_true(json_is_false(json_object_get(flags, "media")));
    assert_int_equal(json_object_size(flags), 6);
    json_decref(o);
}

static void
test_full_without_loss_or_phone(void **state)
{
    struct complaint c = sample();
    json_t *o;

    (void)state;
    c.has_loss = false;
    c.c_phone = NULL;
    c.c_email = "w@example.com";
    c.complainant_id = 0;
    o = render_complaint(&c, TZ, true);
    assert_true(json_is_null(json_object_get(o, "loss_amount")));
    assert_true(json_is_null(json_object_get(json_object_get(o, "complainant"), "phone")));
    assert_true(json_is_null(json_object_get(json_object_get(o, "complainant"), "id")));
    json_decref(o);
    o = render_complaint(&c, TZ, false);
    assert_true(json_is_null(json_object_get(json_object_get(o, "complainant"), "phone")));
    json_decref(o);
}

static void
test_event_shapes(void **state)
{
    struct event ev = { .seq = 2, .type = "note", .visibility = "internal", .text = "已联系",
                        .author_login = "lina", .author_name = "李娜", .data = "{\"a\":1}",
                        .at = 1767225600 };
    json_t *o = render_event(&ev, TZ);

    (void)state;
    assert_int_equal(json_integer_value(json_object_get(o, "seq")), 2);
    assert_string_equal(str_of(json_object_get(o, "author"), "name"), "李娜");
    assert_int_equal(json_integer_value(json_object_get(json_object_get(o, "data"), "a")), 1);
    json_decref(o);
    /* stored data that is not JSON still renders, as an empty object */
    ev.data = "not json";
    ev.author_login = NULL;
    ev.text = NULL;
    o = render_event(&ev, TZ);
    assert_true(json_is_object(json_object_get(o, "data")));
    assert_int_equal(json_object_size(json_object_get(o, "data")), 0);
    assert_true(json_is_null(json_object_get(o, "author")));
    assert_true(json_is_null(json_object_get(o, "text")));
    json_decref(o);
}

static void
test_attachment_url(void **state)
{
    struct attachment a = { .id = 12, .name = "照片.jpg", .content_type = "image/jpeg",
                            .size = 3, .uploaded_at = 0 };
    json_t *o;

    (void)state;
    memcpy(a.sha256_hex, "ab", 3);
    o = render_attachment(&a, "KS-2026-000007", 0);
    assert_string_equal(str_of(o, "url"), "/api/complaints/KS-2026-000007/attachments/12");
    assert_string_equal(str_of(o, "uploaded_at"), "1970-01-01T00:00:00Z");
    json_decref(o);
}

/* ---- reply.c ---- */

static json_t *
error_body(struct req *r)
{
    json_error_t jerr;
    json_t *o = json_loadb(r->reply.body, r->reply.len, 0, &jerr);

    assert_non_null(o);
    return json_object_get(o, "error") ? o : (json_decref(o), NULL);
}

static void
test_error_status_table(void **state)
{
    static const struct { enum err_code code; int status; } rows[] = {
        { ERR_INVALID, 400 }, { ERR_FORBIDDEN, 403 }, { ERR_NOT_FOUND, 404 },
        { ERR_METHOD, 405 },  { ERR_CONFLICT, 409 },  { ERR_TOO_LARGE, 413 },
        { ERR_UNSUPPORTED, 415 }, { ERR_BUSY, 503 },  { ERR_NOMEM, 503 },
        { ERR_STORE, 500 },   { ERR_INTERNAL, 500 }, { ERR_UNAUTHENTICATED, 401 },
        { ERR_RATE_LIMITED, 429 },
    };

    (void)state;
    for (size_t i = 0; i < TEST_ARRAY_LEN(rows); i++)
        assert_int_equal(http_error_status(rows[i].code), rows[i].status);
}

static void
test_error_body_in_both_languages(void **state)
{
    struct req r;
    struct err e = { 0 };
    json_t *o, *err;

    (void)state;
    memset(&r, 0, sizeof(r));
    r.path = "/api/complaints";
    err_set(&e, ERR_INVALID, "complainant.phone", "bad_length", "11 digits expected");
    http_reply_error(&r, &e);
    assert_int_equal(r.reply.status, 400);
    assert_string_equal(r.reply.content_type, "application/json; charset=utf-8");
    o = error_body(&r);
    err = json_object_get(o, "error");
    assert_string_equal(str_of(err, "code"), "invalid");
    assert_string_equal(str_of(err, "field"), "complainant.phone");
    assert_string_equal(str_of(err, "reason"), "bad_length");
    assert_string_equal(str_of(err, "message"), "投诉人电话:号码位数不对");
    /* the English-only detail is for the log, never the client */
    assert_null(strstr(r.reply.body, "11 digits"));
    json_decref(o);

    r.lang = I18N_EN;
    http_reply_error(&r, &e);
    o = error_body(&r);
    assert_string_equal(str_of(json_object_get(o, "error"), "message"),
                        "complainant's phone has the wrong number of digits");
    json_decref(o);
    alloc_free(r.reply.body);
}

static void
test_error_without_field(void **state)
{
    struct req r;
    struct err e = { 0 };
    json_t *o;

    (void)state;
    memset(&r, 0, sizeof(r));
    r.path = "/api/nothing";
    err_set(&e, ERR_NOT_FOUND, NULL, "no_route", "no route");
    http_reply_error(&r, &e);
    assert_int_equal(r.reply.status, 404);
    o = error_body(&r);
    assert_true(json_is_null(json_object_get(json_object_get(o, "error"), "field")));
    assert_string_equal(str_of(json_object_get(o, "error"), "message"), "没有这个接口");
    json_decref(o);
    alloc_free(r.reply.body);
}

/* With no memory left for the JSON, the reply is still a valid 503. */
static void
test_error_when_out_of_memory(void **state)
{
    struct req r;
    struct err e = { 0 };

    (void)state;
    memset(&r, 0, sizeof(r));
    r.path = "/api/complaints";
    err_set(&e, ERR_INVALID, "subject", "too_long", "x");
    alloc_setup_json();
    alloc_fail_at(1, 1);
    http_reply_error(&r, &e);
    alloc_fail_at(0, 0);
    assert_int_equal(r.reply.status, 503);
    assert_true(r.reply.body_static);
    assert_non_null(strstr(r.reply.body, "out_of_memory"));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_summary_masks_and_omits),
        cmocka_unit_test(test_full_has_everything),
        cmocka_unit_test(test_contact_masked_until_revealed),
        cmocka_unit_test(test_full_without_loss_or_phone),
        cmocka_unit_test(test_event_shapes),
        cmocka_unit_test(test_attachment_url),
        cmocka_unit_test(test_error_status_table),
        cmocka_unit_test(test_error_body_in_both_languages),
        cmocka_unit_test(test_error_without_field),
        cmocka_unit_test(test_error_when_out_of_memory),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
