/*
 * Idempotency-Key: a client that did not see our answer (timeout, lost
 * connection, double click) sends the same request with the same key and
 * gets the first answer back instead of a second complaint. The check and
 * the record happen inside the write job, in the same transaction as the
 * write, so two copies racing each other still make one complaint.
 */
#include "http/handlers.h"
#include "util/alloc.h"

#include <sodium.h>
#include <string.h>

#define IDEM_KEY_MAX 128

int
idem_key(struct req *r, const char **key, unsigned char hash[32], struct err *e)
{
    const char *k = http_header(r, "Idempotency-Key");
    crypto_hash_sha256_state st;
    const char *m = http_method_name(r->method);
    size_t n;

    *key = NULL;
    if (k == NULL)
        return 0;
    n = strlen(k);
    if (n > IDEM_KEY_MAX)
        return err_set(e, ERR_INVALID, "Idempotency-Key", "too_long", "key of %zu bytes", n);
    if (n == 0)
        return err_set(e, ERR_INVALID, "Idempotency-Key", "empty", "empty key");
    for (size_t i = 0; i < n; i++)
        if (k[i] < 0x21 || k[i] > 0x7E)
            return err_set(e, ERR_INVALID, "Idempotency-Key", "bad_format",
                           "key must be printable ASCII");
    crypto_hash_sha256_init(&st);
    crypto_hash_sha256_update(&st, (const unsigned char *)m, strlen(m) + 1);
    crypto_hash_sha256_update(&st, (const unsigned char *)r->path, strlen(r->path) + 1);
    crypto_hash_sha256_update(&st, (const unsigned char *)r->body.buf, r->body.len);
    crypto_hash_sha256_final(&st, hash);
    *key = k;
    return 0;
}

int
idem_replay(struct store *st, struct req *r, const char *key, const unsigned char hash[32],
            struct err *e)
{
    struct idem_record rec;
    struct err mine = { 0 };
    char *body;

    if (st->ops->idem_get(st, key, r->arena, &rec, &mine) < 0) {
        if (mine.code == ERR_NOT_FOUND)
            return 0;
        *e = mine;
        return -1;
    }
    if (sodium_memcmp(rec.request_hash, hash, 32) != 0)
        return err_set(e, ERR_CONFLICT, "Idempotency-Key", "key_reused",
                       "key used before for a different request");
    body = alloc_malloc(strlen(rec.body) + 1);
    if (body == NULL)
        return err_set(e, ERR_NOMEM, NULL, "nomem", "replay");
    memcpy(body, rec.body, strlen(rec.body) + 1);
    http_reply_text(r, rec.status, "application/json; charset=utf-8", body, strlen(body));
    http_reply_header(r, "Idempotent-Replayed", "true");
    return 1;
}

int
idem_remember(struct store *st, struct req *r, const char *key, const unsigned char hash[32],
              struct err *e)
{
    struct idem_record rec;

    memcpy(rec.request_hash, hash, 32);
    rec.status = r->reply.status;
    rec.body = r->reply.body;
    return st->ops->idem_put(st, key, &rec, r->now, e);
}
