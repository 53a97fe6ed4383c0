#include "testutil.h"

/* {{placeholder}} templates (notify/template.h): checking and rendering, edge cases. */

#include "notify/template.h"

#include <stdlib.h>

static const struct tpl_var vars[] = {
    { "number", "KS-2026-000123" },
    { "name", "王先生" },
    { "subject", "电梯困人" },
    { "due", NULL },
};

/* Render `text` with vars; the output, or NULL with *e set. The caller frees. */
static char *
rendered(const char *text, struct err *e)
{
    struct sbuf out;
    char *s;

    sbuf_init(&out, TPL_OUT_MAX);
    if (tpl_render(text, strlen(text), vars, TEST_ARRAY_LEN(vars), &out, e) < 0) {
        sbuf_release(&out);
        return NULL;
    }
    s = strdup(out.buf);
    sbuf_release(&out);
    return s;
}

static void
assert_renders(const char *text, const char *want)
{
    struct err e = { 0 };
    char *got = rendered(text, &e);

    if (got == NULL)
        fail_msg("'%s' did not render: %s", text, e.detail);
    assert_string_equal(got, want);
    free(got);
}

static void
test_render_substitutes(void **state)
{
    (void)state;
    assert_renders("您的投诉编号为 {{number}}。", "您的投诉编号为 KS-2026-000123。");
    assert_renders("{{name}},您好!{{subject}}", "王先生,您好!电梯困人");
    assert_renders("{{number}}{{number}}", "KS-2026-000123KS-2026-000123");
    assert_renders("", "");
    assert_renders("no placeholders at all", "no placeholders at all");
}

static void
test_render_spaces_inside_braces(void **state)
{
    (void)state;
    assert_renders("[{{ number }}]", "[KS-2026-000123]");
    assert_renders("[{{   name}}]", "[王先生]");
}

static void
test_render_null_and_missing_values(void **state)
{
    (void)state;
    /* NULL value: nothing; a name without a var: nothing (tpl_check refuses it first) */
    assert_renders("by {{due}}.", "by .");
    assert_renders("x{{result}}y", "xy");
}

static void
test_render_single_braces_are_text(void **state)
{
    (void)state;
    assert_renders("{a} } { }} {", "{a} } { }} {");
    assert_renders("{{number}}}", "KS-2026-000123}");
    assert_renders("{{number}}{x", "KS-2026-000123{x");
}

/* A value is never read as a template: a customer's subject cannot expand anything. */
static void
test_values_are_not_expanded(void **state)
{
    static const struct tpl_var tricky[] = { { "subject", "{{number}} {{" } };
    struct sbuf out;
    struct err e = { 0 };

    (void)state;
    sbuf_init(&out, TPL_OUT_MAX);
    assert_int_equal(tpl_render("<{{subject}}>", 13, tricky, 1, &out, &e), 0);
    assert_string_equal(out.buf, "<{{number}} {{>");
    sbuf_release(&out);
}

static void
check_refused(const char *text, const char *reason)
{
    struct err e = { 0 };

    if (tpl_check(text, strlen(text), tpl_customer_names, "body", &e) != -1)
        fail_msg("'%s' was accepted", text);
    assert_int_equal(e.code, ERR_INVALID);
    assert_string_equal(e.field, "body");
    assert_string_equal(e.reason, reason);
}

static void
test_check_refuses_malformed(void **state)
{
    static const char *const bad[] = {
        "{{", "{{}}", "{{ }}", "x {{number", "{{number}", "{{number} }", "{{Number}}",
        "{{num-ber}}", "{{ name x }}", "{{{number}}}", "{{abcdefghijklmnopqrstuvwxyz0123456}}",
        "{{名字}}", "a{{number}}b{{",
    };

    (void)state;
    for (size_t i = 0; i < TEST_ARRAY_LEN(bad); i++)
        check_refused(bad[i], "bad_placeholder");
}

static void
test_check_refuses_unknown_names(void **state)
{
    struct err e = { 0 };

    (void)state;
    check_refused("{{numbr}}", "unknown_placeholder");
    check_refused("ok {{number}} then {{phone}}", "unknown_placeholder");
    /* the field is the caller's */
    assert_int_equal(tpl_check("{{x}}", 5, tpl_customer_names, "subject", &e), -1);
    assert_string_equal(e.field, "subject");
    /* names NULL: any well-formed name */
    e = (struct err){ 0 };
    assert_int_equal(tpl_check("{{anything_at_all}}", 19, NULL, "body", &e), 0);
}

static void
test_check_accepts(void **state)
{
    static const char *const good[] = {
        "", "text only", "{{number}}", "{{ number }}", "{a}", "}}", "{ {number}}",
        "{{number}}{{name}}{{subject}}{{project}}{{status}}{{due}}{{result}}",
        "多行\n文本 {{due}}\n",
    };
    struct err e = { 0 };

    (void)state;
    for (size_t i = 0; i < TEST_ARRAY_LEN(good); i++)
        if (tpl_check(good[i], strlen(good[i]), tpl_customer_names, "body", &e) != 0)
            fail_msg("'%s' refused: %s", good[i], e.detail);
}

/* The longest name is TPL_NAME_MAX characters; one more is malformed. */
static void
test_name_length_boundary(void **state)
{
    static const char *const names32[] = { "abcdefghijklmnopqrstuvwxyz012345", NULL };
    struct err e = { 0 };

    (void)state;
    assert_int_equal(strlen(names32[0]), TPL_NAME_MAX);
    assert_int_equal(tpl_check("{{abcdefghijklmnopqrstuvwxyz012345}}", 36, names32, "body", &e),
                     0);
    assert_int_equal(
        tpl_check("{{abcdefghijklmnopqrstuvwxyz0123456}}", 37, NULL, "body", &e), -1);
    assert_string_equal(e.reason, "bad_placeholder");
}

static void
test_bad_bytes(void **state)
{
    struct err e = { 0 };
    struct sbuf out;

    (void)state;
    assert_int_equal(tpl_check("bad \xff utf8", 10, tpl_customer_names, "body", &e), -1);
    assert_string_equal(e.reason, "bad_utf8");
    e = (struct err){ 0 };
    assert_int_equal(tpl_check("nul \0 byte", 10, tpl_customer_names, "body", &e), -1);
    assert_string_equal(e.reason, "bad_character");
    e = (struct err){ 0 };
    sbuf_init(&out, TPL_OUT_MAX);
    assert_int_equal(tpl_render("nul \0 byte", 10, vars, 1, &out, &e), -1);
    assert_int_equal(e.code, ERR_INVALID);
    sbuf_release(&out);
}

/* Many copies of a long value pass the output cap: ERR_TOO_LARGE, not a huge message. */
static void
test_output_cap(void **state)
{
    char *big = malloc(40000), *text = malloc(4 * 10 + 1);
    struct tpl_var v = { "result", big };
    struct sbuf out;
    struct err e = { 0 };

    (void)state;
    assert_non_null(big);
    assert_non_null(text);
    memset(big, 'x', 39999);
    big[39999] = '\0';
    memcpy(text, "{{result}}{{result}}", 21);    /* two copies pass 64 KiB */
    sbuf_init(&out, TPL_OUT_MAX * 2);
    assert_int_equal(tpl_render(text, strlen(text), &v, 1, &out, &e), -1);
    assert_int_equal(e.code, ERR_TOO_LARGE);
    /* one copy fits */
    e = (struct err){ 0 };
    sbuf_reset(&out);
    assert_int_equal(tpl_render(text, 10, &v, 1, &out, &e), 0);
    assert_int_equal(out.len, 39999);
    sbuf_release(&out);
    free(big);
    free(text);
}

/* Rendering appends: what was in the buffer stays. */
static void
test_render_appends(void **state)
{
    struct sbuf out;
    struct err e = { 0 };

    (void)state;
    sbuf_init(&out, TPL_OUT_MAX);
    sbuf_adds(&out, "Subject: ");
    assert_int_equal(tpl_render("{{number}}", 10, vars, TEST_ARRAY_LEN(vars), &out, &e), 0);
    assert_string_equal(out.buf, "Subject: KS-2026-000123");
    sbuf_release(&out);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_render_substitutes),
        cmocka_unit_test(test_render_spaces_inside_braces),
        cmocka_unit_test(test_render_null_and_missing_values),
        cmocka_unit_test(test_render_single_braces_are_text),
        cmocka_unit_test(test_values_are_not_expanded),
        cmocka_unit_test(test_check_refuses_malformed),
        cmocka_unit_test(test_check_refuses_unknown_names),
        cmocka_unit_test(test_check_accepts),
        cmocka_unit_test(test_name_length_boundary),
        cmocka_unit_test(test_bad_bytes),
        cmocka_unit_test(test_output_cap),
        cmocka_unit_test(test_render_appends),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
