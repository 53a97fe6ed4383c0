#ifndef KESU_CORE_PRIVACY_H
#define KESU_CORE_PRIVACY_H

#include <stddef.h>

/*
 * Masking of customers' personal data (DOMAIN §11): what a list or a role
 * that does not need the data shows instead. Phone numbers are masked by
 * util/phone.h (138****5678). Pure: no I/O.
 */

/* Enough for any masked value of an input up to CORE_MASK_MAX bytes. */
#define CORE_MASK_MAX 256

/*
 * "wang.xiao@example.com" -> "w***@example.com": the first character of the
 * local part (a whole UTF-8 character), then "***", then the domain, which
 * says little about the person. Without an '@' the whole value is "***".
 */
void core_mask_email(const char *email, char out[CORE_MASK_MAX]);

/*
 * "2单元1803" -> "2单元****": everything up to the last character that is
 * not an ASCII digit stays (the staircase, which handlers route by); the
 * digits after it, which name the door, become '*'. A unit of digits only
 * is all '*'. A unit that ends in a non-digit ("商铺A") is "***" whole,
 * since there is no door number to hide apart from the rest.
 */
void core_mask_unit(const char *unit, char out[CORE_MASK_MAX]);

#endif
