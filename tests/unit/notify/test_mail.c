#include "testutil.h"

/*
 * E-mail messages (notify/mail.h): the headers, the RFC 2047 subject
 * decoded back to the same UTF-8, folding, the base64 body with CRLF line
 * breaks, and addresses that could forge a header refused.
 */

#include "notify/mail.h"
#include "util/utf8.h"

#include <sodium.h>
#include <stdlib.h>

#define MAX (1u << 20)

static const char subject_zh[] = "您的投诉已受理(编号 KS-2026-000123),我们将尽快处理并答复您的诉求";
static const char body_zh[] = "王先生,您好!\n\n您反映的“电梯困人”已受理。\n承诺答复时间:尽快。\n";

static char *
build(const char *to, const char *subject, const char *body, struct err *e)
{
    struct notify_mail m = { "kesu@example.com", to, subject, body, 1700000000, 480, 42 };
    struct sbuf out;
    char *s;

    sbuf_init(&out, MAX);
    if (notify_mail_build(&m, &out, e) < 0) {
        sbuf_release(&out);
        return NULL;
    }
    s = strdup(out.buf);
    sbuf_release(&out);
    return s;
}

/* The value of header `name` (its first line) in msg, copied; NULL when absent. */
static char *
header(const char *msg, const char *name)
{
    size_t n = strlen(name);
    const char *p = msg;

    while (p != NULL && *p && !(p[0] == '\r' && p[1] == '\n')) {
        if (strncmp(p, name, n) == 0 && p[n] == ':') {
            const char *v = p + n + 2, *end = strstr(v, "\r\n");
            return strndup(v, (size_t)(end - v));
        }
        p = strstr(p, "\r\n");
        p = p ? p + 2 : NULL;
    }
    return NULL;
}

/* Decode "=?UTF-8?B?...?=" words separated by folding back to the text. */
static char *
decode_subject(const char *msg)
{
    const char *p = strstr(msg, "\r\nSubject: ") + 11;
    char *out = calloc(1, 4096);
    size_t len = 0;

    while (strncmp(p, "=?UTF-8?B?", 10) == 0) {
        const char *end = strstr(p + 10, "?=");
        size_t got = 0;

        assert_non_null(end);
        /* RFC 2047: an encoded-word is at most 75 characters */
        assert_true((size_t)(end + 2 - p) <= 75);
        assert_int_equal(sodium_base642bin((unsigned char *)out + len, 4096 - len, p + 10,
                                           (size_t)(end - p - 10), NULL, &got, NULL,
                                           sodium_base64_VARIANT_ORIGINAL),
                         0);
        len += got;
        p = end + 2;
        if (strncmp(p, "\r\n ", 3) != 0)
            break;
        p += 3;
    }
    return out;
}

static void
test_headers(void **state)
{
    struct err e = { 0 };
    char *msg = build("wang@example.com", subject_zh, body_zh, &e), *v;

    (void)state;
    assert_non_null(msg);
    assert_string_equal((v = header(msg, "Date")), "Wed, 15 Nov 2023 06:13:20 +0800");
    free(v);
    assert_string_equal((v = header(msg, "From")), "<kesu@example.com>");
    free(v);
    assert_string_equal((v = header(msg, "To")), "<wang@example.com>");
    free(v);
    assert_string_equal((v = header(msg, "Message-ID")), "<kesu.delivery.42@example.com>");
    free(v);
    assert_string_equal((v = header(msg, "X-Kesu-Delivery")), "42");
    free(v);
    assert_string_equal((v = header(msg, "MIME-Version")), "1.0");
    free(v);
    assert_string_equal((v = header(msg, "Content-Type")), "text/plain; charset=UTF-8");
    free(v);
    assert_string_equal((v = header(msg, "Content-Transfer-Encoding")), "base64");
    free(v);
    /* every line ends in CRLF, none is longer than 998 */
    for (const char *p = msg; *p;) {
        const char *eol = strstr(p, "\r\n");
        assert_non_null(eol);
        assert_true(eol - p <= 998);
        assert_null(memchr(p, '\n', (size_t)(eol - p)));
        p = eol + 2;
    }
    free(msg);
}

static void
test_subject_round_trip(void **state)
{
    static const char *const subjects[] = { subject_zh, "Your complaint has been received",
                                            "短", "a", "€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€" };
    struct err e = { 0 };

    (void)state;
    for (size_t i = 0; i < TEST_ARRAY_LEN(subjects); i++) {
        char *msg = build("wang@example.com", subjects[i], "x", &e), *got;

        assert_non_null(msg);
        got = decode_subject(msg);
        assert_string_equal(got, subjects[i]);
        free(got);
        free(msg);
    }
}

/* Folded into several words, each whole characters: no word decodes to broken UTF-8. */
static void
test_subject_folding(void **state)
{
    struct sbuf out;
    const char *p;
    int words = 0;

    (void)state;
    sbuf_init(&out, MAX);
    assert_int_equal(notify_mail_encode_subject(subject_zh, &out), 0);
    for (p = out.buf; (p = strstr(p, "=?UTF-8?B?")) != NULL; p += 10) {
        const char *end = strstr(p + 10, "?=");
        unsigned char bin[128];
        size_t got = 0;

        assert_int_equal(sodium_base642bin(bin, sizeof(bin), p + 10, (size_t)(end - p - 10),
                                           NULL, &got, NULL, sodium_base64_VARIANT_ORIGINAL),
                         0);
        assert_true(got <= 45);
        /* whole characters: each word is valid UTF-8 on its own */
        assert_true(got > 0);
        assert_true(utf8_is_valid((const char *)bin, got));
        words++;
    }
    assert_true(words >= 2);   /* 87 bytes of UTF-8, at most 45 a word */
    assert_non_null(strstr(out.buf, "?=\r\n =?UTF-8?B?"));
    sbuf_release(&out);
}

static void
test_body_base64_crlf(void **state)
{
    struct err e = { 0 };
    char *msg = build("wang@example.com", "s", body_zh, &e);
    const char *b64 = strstr(msg, "\r\n\r\n") + 4;
    char joined[4096] = "";
    unsigned char bin[4096];
    size_t got = 0, len = 0;

    (void)state;
    /* lines of at most 76 characters */
    for (const char *p = b64; *p;) {
        const char *eol = strstr(p, "\r\n");
        assert_true(eol - p <= 76);
        memcpy(joined + len, p, (size_t)(eol - p));
        len += (size_t)(eol - p);
        p = eol + 2;
    }
    assert_int_equal(sodium_base642bin(bin, sizeof(bin) - 1, joined, len, NULL, &got, NULL,
                                       sodium_base64_VARIANT_ORIGINAL),
                     0);
    bin[got] = '\0';
    assert_string_equal((char *)bin,
                        "王先生,您好!\r\n\r\n您反映的“电梯困人”已受理。\r\n承诺答复时间:尽快。\r\n");
    free(msg);
}

static void
test_bad_addresses(void **state)
{
    static const char *const bad[] = {
        "", "no-at-sign", "@example.com", "wang@", "wang@example.com\r\nBcc: x@evil.com",
        "wang @example.com", "<wang@example.com>", "wang@a@b", "\"w\"@example.com",
        "a,b@example.com",
    };
    struct err e = { 0 };

    (void)state;
    for (size_t i = 0; i < TEST_ARRAY_LEN(bad); i++) {
        e = (struct err){ 0 };
        assert_null(build(bad[i], "s", "b", &e));
        assert_int_equal(e.code, ERR_INVALID);
        assert_string_equal(e.field, "to");
        assert_string_equal(e.reason, "bad_email");
    }
    assert_true(notify_mail_address_ok("wang.xiao+kesu@example.com.cn"));
}

static void
test_bad_text(void **state)
{
    struct err e = { 0 };

    (void)state;
    assert_null(build("wang@example.com", "bad \xff", "b", &e));
    assert_string_equal(e.reason, "bad_utf8");
    e = (struct err){ 0 };
    /* a subject with a line break cannot add a header: it is encoded */
    {
        char *msg = build("wang@example.com", "x\r\nBcc: evil@example.com", "b", &e);
        assert_non_null(msg);
        assert_null(strstr(msg, "Bcc:"));
        free(msg);
    }
}

static void
test_too_large(void **state)
{
    struct notify_mail m = { "kesu@example.com", "w@example.com", "s", "0123456789", 0, 0, 1 };
    struct sbuf out;
    struct err e = { 0 };

    (void)state;
    sbuf_init(&out, 100);
    assert_int_equal(notify_mail_build(&m, &out, &e), -1);
    assert_int_equal(e.code, ERR_TOO_LARGE);
    sbuf_release(&out);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_headers),
        cmocka_unit_test(test_subject_round_trip),
        cmocka_unit_test(test_subject_folding),
        cmocka_unit_test(test_body_base64_crlf),
        cmocka_unit_test(test_bad_addresses),
        cmocka_unit_test(test_bad_text),
        cmocka_unit_test(test_too_large),
    };

    if (sodium_init() < 0)
        return 1;
    return cmocka_run_group_tests(tests, NULL, NULL);
}
