#ifndef KESU_UTIL_PHONE_H
#define KESU_UTIL_PHONE_H

#include <stddef.h>

#include "util/err.h"

/*
 * Chinese telephone numbers as people type them, turned into one canonical
 * form so the same person is found again by phone (DOMAIN §10).
 *
 * Accepted (spaces, tabs, '-', '.', '(' ')' anywhere are ignored; full-width
 * digits, '－' '（' '）' '＋' and the ideographic space U+3000, as Chinese
 * IMEs type them, count as their ASCII forms):
 *   mobile    13812345678, 138-1234-5678, +86 138 1234 5678, 008613812345678,
 *             +86-138..., 86 13812345678            -> "13812345678"
 *             (11 digits, 1[3-9]XXXXXXXXX)
 *   landline  010-12345678, (010)12345678, 0755 1234567, +86 10 12345678,
 *             +86 (0)10 12345678, +86 010 12345678  -> "010-12345678", "0755-1234567"
 *             area code: 010 or 02X (3 digits) with an 8-digit subscriber number;
 *             0[3-9]XX (4 digits) with a 7- or 8-digit subscriber number;
 *             the subscriber number does not start with 0. (A leading 1 is
 *             not real but is accepted: example numbers such as 010-12345678
 *             are used throughout tests and demo data.)
 *   service   400-123-4567, 4001234567, 800 123 4567 -> "400-123-4567"
 *   extension after a landline or service number: "转123", "ext 123", "ext.123",
 *             "x123", "#123" (markers in any case; 1-6 digits)
 *                                                   -> "010-12345678-123"
 *             A last '-' group of 1-6 digits is also an extension when the
 *             digits before it already form a whole landline or service
 *             number, so the canonical form parses to itself ("0755-1234567-8"
 *             keeps its extension; "0755-1234-5678" is 0755-12345678).
 * Anything else fails with ERR_INVALID naming `field`, reason one of:
 *   "empty" (nothing but white space), "bad_character" (also bad UTF-8 or a
 *   '+' not at the start), "bad_country_code" (a +CC or 00CC other than 86),
 *   "bad_mobile" (11 digits starting with 1 but not a valid mobile prefix),
 *   "bad_area_code" (no such area code, none at all, or a subscriber number
 *   starting with 0), "bad_length", "bad_extension" (none after the marker,
 *   more than 6 digits, two markers, or one after a mobile number).
 * `out` is written only on success.
 */
enum phone_kind { PHONE_MOBILE, PHONE_LANDLINE, PHONE_SERVICE };

#define PHONE_NORM_MAX 32

struct phone {
    enum phone_kind kind;
    char norm[PHONE_NORM_MAX]; /* canonical form, NUL-terminated */
};

int phone_parse(const char *s, size_t len, struct phone *out, const char *field,
                struct err *e);

/*
 * Write a masked form of a canonical number into out (size PHONE_NORM_MAX):
 * mobile "138****5678"; landline: the area code and the last four digits
 * ("010-****5678", "0755-***4567"); service numbers are public and returned
 * whole. Digits of an extension are masked too, for every kind, since it may
 * reach one person ("010-****5678-***", "400-123-4567-**"). Text that is not
 * a canonical number shows at most its last four digits. `norm` must be
 * NUL-terminated; at most PHONE_NORM_MAX - 1 bytes of it are read.
 */
void phone_mask(const char *norm, char *out);

#endif
