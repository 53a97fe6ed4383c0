#ifndef KESU_UTIL_SECRET_H
#define KESU_UTIL_SECRET_H

/*
 * Session and API-token secrets: 32 bytes from the CSPRNG as unpadded
 * base64url (43 characters). Only their SHA-256 is ever stored, so a copy
 * of the database opens no door. An API token is written SECRET_TOKEN_PREFIX
 * followed by the secret; the hash is of the secret alone. The server
 * (http/auth.c) and `kesu token add` both make them here.
 */
#define SECRET_BYTES 32
#define SECRET_TEXT 44            /* 43 characters and a NUL */
#define SECRET_HASH 32            /* bytes of SHA-256 */
#define SECRET_TOKEN_PREFIX "kesu_"

/* A new secret as text, and its hash. sodium_init() must have run. */
void secret_new(char text[SECRET_TEXT], unsigned char hash[SECRET_HASH]);
void secret_hash(const char *text, unsigned char hash[SECRET_HASH]);
/* Exactly what secret_new makes: 43 characters of A-Z a-z 0-9 - _. */
int secret_well_formed(const char *text);

#endif
