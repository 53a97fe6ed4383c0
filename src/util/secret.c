#include "util/secret.h"

#include <sodium.h>
#include <string.h>

void
secret_new(char text[SECRET_TEXT], unsigned char hash[SECRET_HASH])
{
    unsigned char raw[SECRET_BYTES];

    randombytes_buf(raw, sizeof(raw));
    sodium_bin2base64(text, SECRET_TEXT, raw, sizeof(raw),
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(raw, sizeof(raw));
    secret_hash(text, hash);
}

void
secret_hash(const char *text, unsigned char hash[SECRET_HASH])
{
    crypto_hash_sha256(hash, (const unsigned char *)text, strlen(text));
}

int
secret_well_formed(const char *s)
{
    size_t n = strlen(s);

    if (n != SECRET_TEXT - 1)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_'))
            return 0;
    }
    return 1;
}
