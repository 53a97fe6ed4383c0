#include "util/password.h"

#include <sodium.h>
#include <string.h>

#define OPSLIMIT crypto_pwhash_OPSLIMIT_INTERACTIVE
#define MEMLIMIT crypto_pwhash_MEMLIMIT_INTERACTIVE

int
password_hash(const char *password, char out[PASSWORD_HASH_MAX], struct err *e)
{
    if (crypto_pwhash_str_alg(out, password, strlen(password), OPSLIMIT, MEMLIMIT,
                              crypto_pwhash_ALG_ARGON2ID13) != 0)
        return err_set(e, ERR_NOMEM, NULL, "nomem", "argon2id: not enough memory");
    return 0;
}

bool
password_verify(const char *hash, const char *password)
{
    if (hash == NULL || strncmp(hash, "$argon2id$", 10) != 0)
        return false;
    return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}

bool
password_needs_rehash(const char *hash)
{
    return crypto_pwhash_str_needs_rehash(hash, OPSLIMIT, MEMLIMIT) != 0;
}

void
password_generate(char *out, size_t len)
{
    static const char lower[] = "abcdefghijkmnopqrstuvwxyz";
    static const char upper[] = "ABCDEFGHJKLMNPQRSTUVWXYZ";
    static const char digits[] = "23456789";
    static const char all[] = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    if (len < 16)
        len = 16;
    for (;;) {
        bool l = false, u = false, d = false;
        for (size_t i = 0; i < len; i++) {
            char c = all[randombytes_uniform(sizeof(all) - 1)];
            l |= strchr(lower, c) != NULL;
            u |= strchr(upper, c) != NULL;
            d |= strchr(digits, c) != NULL;
            out[i] = c;
        }
        out[len] = '\0';
        if (l && u && d)
            return;
    }
}
