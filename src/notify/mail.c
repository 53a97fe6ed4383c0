/* E-mail messages (mail.h): RFC 5322 headers, RFC 2047 subject, base64 UTF-8 body. */
#include "notify/mail.h"
#include "util/ts.h"
#include "util/utf8.h"

#include <sodium.h>
#include <string.h>

#define WORD_BYTES 45        /* bytes in one encoded-word: 60 base64 characters, 72 in all */
#define BODY_LINE_BYTES 57   /* bytes per body line: 76 base64 characters */

bool
notify_mail_address_ok(const char *addr)
{
    const char *at;

    if (addr == NULL || addr[0] == '\0' || strlen(addr) > 254)
        return false;
    for (const unsigned char *p = (const unsigned char *)addr; *p; p++)
        if (*p <= ' ' || *p == 0x7f || strchr("<>\",;()[]\\", *p) != NULL)
            return false;
    at = strchr(addr, '@');
    return at != NULL && at != addr && at[1] != '\0' && strchr(at + 1, '@') == NULL;
}

static void
add_base64(struct sbuf *out, const unsigned char *p, size_t n)
{
    char buf[4 * ((BODY_LINE_BYTES + 2) / 3) + 1];

    sodium_bin2base64(buf, sizeof(buf), p, n, sodium_base64_VARIANT_ORIGINAL);
    sbuf_adds(out, buf);
}

/* The number of bytes of s (len left) to take: at most max, never cutting a character. */
static size_t
take(const char *s, size_t len, size_t max)
{
    size_t n = 0;

    while (n < len) {
        uint32_t cp;
        size_t k = utf8_decode((const unsigned char *)s + n, len - n, &cp);
        if (k == 0)
            k = 1;                       /* not reached for valid UTF-8 */
        if (n + k > max)
            break;
        n += k;
    }
    return n == 0 && len > 0 ? (len < max ? len : max) : n;
}

int
notify_mail_encode_subject(const char *subject, struct sbuf *out)
{
    size_t len = strlen(subject), pos = 0;

    if (len == 0)
        return sbuf_adds(out, "=?UTF-8?B?" "?=");   /* split: "?" "?=" is no trigraph */
    while (pos < len) {
        size_t n = take(subject + pos, len - pos, WORD_BYTES);
        if (pos > 0)
            sbuf_adds(out, "\r\n ");
        sbuf_adds(out, "=?UTF-8?B?");
        add_base64(out, (const unsigned char *)subject + pos, n);
        sbuf_adds(out, "?=");
        pos += n;
    }
    return out->failed ? -1 : 0;
}

/* "Tue, 10 Feb 2026 09:00:00 +0800" (RFC 5322 section 3.3) */
static void
add_date(struct sbuf *out, int64_t t, int tz_min)
{
    static const char *const days[] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
    static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
    struct ts_civil c;
    int off = tz_min < 0 ? -tz_min : tz_min;

    ts_to_civil(t, tz_min, &c);
    sbuf_addf(out, "%s, %d %s %04d %02d:%02d:%02d %c%02d%02d", days[c.wday % 7], c.day,
              months[(c.month - 1) % 12], c.year, c.hour, c.minute, c.second,
              tz_min < 0 ? '-' : '+', off / 60, off % 60);
}

/* The body with bare LF made CRLF (the canonical form of text/plain), then base64 in lines. */
static int
add_body(struct sbuf *out, const char *body)
{
    struct sbuf crlf;
    int rc = 0;

    sbuf_init(&crlf, out->max);
    for (const char *p = body; *p; p++) {
        if (*p == '\n' && (p == body || p[-1] != '\r'))
            sbuf_addc(&crlf, '\r');
        sbuf_addc(&crlf, *p);
    }
    if (crlf.failed) {
        out->failed = true;
        out->over_max = crlf.over_max;
        rc = -1;
    }
    for (size_t pos = 0; rc == 0 && pos < crlf.len; pos += BODY_LINE_BYTES) {
        size_t n = crlf.len - pos < BODY_LINE_BYTES ? crlf.len - pos : BODY_LINE_BYTES;
        add_base64(out, (const unsigned char *)crlf.buf + pos, n);
        sbuf_adds(out, "\r\n");
    }
    sbuf_release(&crlf);
    return rc;
}

/* The domain of the sender's address, for the Message-ID. */
static const char *
domain_of(const char *from)
{
    const char *at = strchr(from, '@');

    return at != NULL ? at + 1 : "localhost";
}

int
notify_mail_build(const struct notify_mail *m, struct sbuf *out, struct err *e)
{
    if (!notify_mail_address_ok(m->from))
        return err_set(e, ERR_INVALID, "from", "bad_email", "not a plain e-mail address");
    if (!notify_mail_address_ok(m->to))
        return err_set(e, ERR_INVALID, "to", "bad_email", "not a plain e-mail address");
    if (m->subject == NULL || m->body == NULL ||
        !utf8_is_valid(m->subject, strlen(m->subject)) ||
        !utf8_is_valid(m->body, strlen(m->body)))
        return err_set(e, ERR_INVALID, "body", "bad_utf8", "subject or body not UTF-8");
    sbuf_adds(out, "Date: ");
    add_date(out, m->date, m->tz_min);
    sbuf_addf(out, "\r\nFrom: <%s>\r\nTo: <%s>\r\nSubject: ", m->from, m->to);
    notify_mail_encode_subject(m->subject, out);
    sbuf_addf(out, "\r\nMessage-ID: <kesu.delivery.%lld@%s>\r\n", (long long)m->delivery_id,
              domain_of(m->from));
    sbuf_addf(out, "X-Kesu-Delivery: %lld\r\n", (long long)m->delivery_id);
    sbuf_adds(out, "MIME-Version: 1.0\r\n"
                   "Content-Type: text/plain; charset=UTF-8\r\n"
                   "Content-Transfer-Encoding: base64\r\n"
                   "\r\n");
    if (add_body(out, m->body) < 0 || out->failed) {
        if (out->over_max)
            return err_set(e, ERR_TOO_LARGE, "body", "too_large", "message too large");
        return err_set(e, ERR_NOMEM, NULL, "nomem", "building a message");
    }
    return 0;
}
