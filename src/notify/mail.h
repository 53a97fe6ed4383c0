#ifndef KESU_NOTIFY_MAIL_H
#define KESU_NOTIFY_MAIL_H

#include <stdbool.h>
#include <stdint.h>

#include "util/err.h"
#include "util/sbuf.h"

/*
 * E-mail messages as the sender hands them to the SMTP relay: RFC 5322
 * with MIME, UTF-8 throughout. The subject is an RFC 2047 encoded-word
 * (base64, folded so that no encoded-word passes 75 characters and no
 * character is cut); the body is text/plain; charset=UTF-8 in base64, its
 * line breaks made CRLF first. Pure: no I/O, the time is a parameter.
 */

struct notify_mail {
    const char *from, *to;        /* bare addresses: "kesu@example.com" */
    const char *subject, *body;   /* UTF-8 */
    int64_t date;                 /* seconds since the epoch */
    int tz_min;                   /* the zone the Date header is written in */
    int64_t delivery_id;          /* X-Kesu-Delivery and the Message-ID: the same on a resend */
};

/*
 * Append the whole message (headers, blank line, body; CRLF line ends) to
 * out. An address that is empty, holds white space, control characters,
 * '<', '>', '"', ',' or no '@': ERR_INVALID ("from" or "to", "bad_email"),
 * so no header can be forged through one. Subject or body not UTF-8:
 * ERR_INVALID "bad_utf8". No memory or past out->max: ERR_NOMEM or
 * ERR_TOO_LARGE.
 */
int notify_mail_build(const struct notify_mail *m, struct sbuf *out, struct err *e);

/* An address notify_mail_build accepts. */
bool notify_mail_address_ok(const char *addr);

/*
 * The subject as encoded-words "=?UTF-8?B?...?=", separated by CRLF and a
 * space (header folding), appended to out.
 */
int notify_mail_encode_subject(const char *subject, struct sbuf *out);

#endif
