#include "core/audit.h"

#include <sodium.h>
#include <string.h>

/*
 * The canonical encoding, fed to the hash piece by piece: a version byte,
 * then id and at as 8 bytes big-endian, then each text field as a tag byte
 * (0: NULL, 1: text) followed, for text, by its length in 8 bytes
 * big-endian and its bytes. The lengths make field boundaries unambiguous
 * ("ab","c" differs from "a","bc"); the tag keeps NULL apart from "". The
 * version byte lets a later format be told apart from this one.
 */
#define ENCODING_VERSION 1

static void
add_u64(crypto_hash_sha256_state *h, uint64_t v)
{
    unsigned char b[8];

    for (int i = 7; i >= 0; i--) {
        b[i] = (unsigned char)(v & 0xFF);
        v >>= 8;
    }
    crypto_hash_sha256_update(h, b, sizeof(b));
}

static void
add_text(crypto_hash_sha256_state *h, const char *s)
{
    unsigned char tag = s != NULL;
    size_t n;

    crypto_hash_sha256_update(h, &tag, 1);
    if (s == NULL)
        return;
    n = strlen(s);
    add_u64(h, (uint64_t)n);
    crypto_hash_sha256_update(h, (const unsigned char *)s, n);
}

static void
compute(const struct audit_entry *en, const unsigned char prev[CORE_AUDIT_HASH],
        unsigned char out[CORE_AUDIT_HASH])
{
    static const unsigned char version = ENCODING_VERSION;
    crypto_hash_sha256_state h;

    crypto_hash_sha256_init(&h);
    crypto_hash_sha256_update(&h, prev, CORE_AUDIT_HASH);
    crypto_hash_sha256_update(&h, &version, 1);
    add_u64(&h, (uint64_t)en->id);
    add_u64(&h, (uint64_t)en->at);
    add_text(&h, en->actor);
    add_text(&h, en->address);
    add_text(&h, en->action);
    add_text(&h, en->object);
    add_text(&h, en->detail);
    crypto_hash_sha256_final(&h, out);
}

void
core_audit_seal(struct audit_entry *en, const unsigned char prev[CORE_AUDIT_HASH])
{
    unsigned char p[CORE_AUDIT_HASH];

    memcpy(p, prev, sizeof(p));    /* prev may be en->prev_hash itself */
    memcpy(en->prev_hash, p, sizeof(p));
    compute(en, p, en->hash);
}

int
core_audit_check(const struct audit_entry *en, int64_t expected_id,
                 const unsigned char expected_prev[CORE_AUDIT_HASH], struct err *e)
{
    unsigned char want[CORE_AUDIT_HASH];

    if (en->id != expected_id)
        return err_set(e, ERR_CONFLICT, "audit", "gap", "entry %lld: expected entry %lld",
                       (long long)en->id, (long long)expected_id);
    if (sodium_memcmp(en->prev_hash, expected_prev, CORE_AUDIT_HASH) != 0)
        return err_set(e, ERR_CONFLICT, "audit", "broken_link",
                       "entry %lld: prev_hash is not the previous entry's hash",
                       (long long)en->id);
    compute(en, en->prev_hash, want);
    if (sodium_memcmp(en->hash, want, CORE_AUDIT_HASH) != 0)
        return err_set(e, ERR_CONFLICT, "audit", "altered",
                       "entry %lld: hash does not match its content", (long long)en->id);
    return 0;
}
