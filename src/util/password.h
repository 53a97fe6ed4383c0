#ifndef KESU_UTIL_PASSWORD_H
#define KESU_UTIL_PASSWORD_H

#include <stdbool.h>
#include <stddef.h>

#include "util/err.h"

/*
 * Password hashing with argon2id (libsodium crypto_pwhash), in libsodium's
 * self-describing string form, so that parameters can be raised later and
 * old hashes still verify. About 0.1 s of one core and 64 MiB per hash:
 * callers that take passwords from the network must bound how many run at
 * once. sodium_init() must have run.
 */
#define PASSWORD_HASH_MAX 128    /* crypto_pwhash_STRBYTES */

/* Hash `password` into out (NUL-terminated). ERR_NOMEM when the 64 MiB are not there. */
int password_hash(const char *password, char out[PASSWORD_HASH_MAX], struct err *e);

/* True when `password` matches `hash`; takes the same time for a wrong password. */
bool password_verify(const char *hash, const char *password);

/* True when `hash` was made with weaker parameters than password_hash uses now. */
bool password_needs_rehash(const char *hash);

/*
 * A random password from the CSPRNG that meets the policy of core/account.h:
 * `len` characters (>= 16) of an alphabet without look-alikes (no 0/O, 1/l/I),
 * with at least one lower, one upper case letter and one digit. `out`
 * holds len + 1 bytes.
 */
void password_generate(char *out, size_t len);

#endif
