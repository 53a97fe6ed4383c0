#ifndef KESU_UTIL_UTF8_H
#define KESU_UTIL_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * UTF-8 helpers. "Valid" means RFC 3629: shortest form, no surrogates, at most
 * U+10FFFF. Lengths named _chars count code points; everything else is bytes.
 */

/*
 * Decode one code point from s[0..len). On success stores it in *cp and
 * returns its byte length (1-4); returns 0 on an invalid or truncated sequence.
 */
size_t utf8_decode(const unsigned char *s, size_t len, uint32_t *cp);

bool utf8_is_valid(const char *s, size_t len);

/* Code points in a valid string. */
size_t utf8_len_chars(const char *s, size_t len);

/* Bytes of the longest prefix of at most `max_chars` code points. */
size_t utf8_prefix_bytes(const char *s, size_t len, size_t max_chars);

/* True for ASCII control characters other than tab, LF and CR, and for DEL. */
bool utf8_has_control(const char *s, size_t len, bool allow_newlines);

#endif
