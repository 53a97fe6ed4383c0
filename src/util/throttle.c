#include "util/throttle.h"
#include "util/alloc.h"

#include <limits.h>
#include <pthread.h>
#include <sodium.h>
#include <stdbool.h>
#include <string.h>

#define NIL UINT32_MAX  /* no entry: end of a chain or list */
#define DIGEST_BYTES 16 /* 2^64 keys before two are likely to share one: never */
#define PRUNE_MAX 2     /* forgotten entries dropped per failure: more than one, so they drain */

struct entry {
    unsigned char digest[DIGEST_BYTES]; /* keyed BLAKE2b of the key; the key itself is not kept */
    int64_t last_ms;                    /* the latest failure */
    int failures;                       /* since the latest success; saturates at INT_MAX */
    uint32_t chain;                     /* next in the same bucket, or in the free list */
    uint32_t newer, older;              /* neighbours in the recency list */
};

struct throttle {
    pthread_mutex_t lock;                                /* guards everything below but hash_key */
    struct throttle_policy policy;                       /* normalised copy */
    unsigned char hash_key[crypto_generichash_KEYBYTES]; /* CSPRNG; read-only after creation */
    struct entry *entries;                               /* capacity of them, allocated once */
    uint32_t *buckets;                                   /* n_buckets chain heads */
    uint32_t n_buckets;                                  /* a power of two >= capacity */
    uint32_t capacity;
    uint32_t used;           /* entries in buckets, the rest are free */
    uint32_t free_list;      /* unused entries, linked through chain */
    uint32_t newest, oldest; /* ends of the list ordered by latest failure */
};

/* Values a caller may get wrong become ones that keep the arithmetic finite. */
static struct throttle_policy
normalise(const struct throttle_policy *p)
{
    struct throttle_policy n = *p;

    if (n.free_failures < 0)
        n.free_failures = 0;
    if (n.base_ms < 1)
        n.base_ms = 1; /* the doubling loop ends only if base grows */
    if (n.max_ms < n.base_ms)
        n.max_ms = n.base_ms;
    if (n.forget_ms < 1)
        n.forget_ms = 1;
    return n;
}

static uint32_t
buckets_for(uint32_t capacity)
{
    uint32_t n = 1;

    while (n < capacity)
        n <<= 1;
    return n;
}

static void
init_tables(struct throttle *t)
{
    memset(t->buckets, 0xff, (size_t)t->n_buckets * sizeof(*t->buckets)); /* all NIL */
    for (uint32_t i = 0; i < t->capacity; i++)
        t->entries[i].chain = i + 1 < t->capacity ? i + 1 : NIL;
    t->free_list = 0;
    t->used = 0;
    t->newest = t->oldest = NIL;
}

struct throttle *
throttle_new(const struct throttle_policy *p, size_t capacity)
{
    struct throttle *t;

    if (sodium_init() < 0) /* randombytes_buf needs it; idempotent */
        return NULL;
    if (capacity == 0)
        capacity = 1;
    if (capacity > THROTTLE_CAPACITY_MAX)
        capacity = THROTTLE_CAPACITY_MAX;
    t = alloc_malloc(sizeof(*t));
    if (t == NULL)
        return NULL;
    memset(t, 0, sizeof(*t));
    t->policy = normalise(p);
    t->capacity = (uint32_t)capacity;
    t->n_buckets = buckets_for(t->capacity);
    t->entries = alloc_malloc(capacity * sizeof(*t->entries));
    t->buckets = alloc_malloc((size_t)t->n_buckets * sizeof(*t->buckets));
    if (t->entries == NULL || t->buckets == NULL || pthread_mutex_init(&t->lock, NULL) != 0) {
        alloc_free(t->entries);
        alloc_free(t->buckets);
        alloc_free(t);
        return NULL;
    }
    randombytes_buf(t->hash_key, sizeof(t->hash_key));
    init_tables(t);
    return t;
}

void
throttle_free(struct throttle *t)
{
    if (t == NULL)
        return;
    pthread_mutex_destroy(&t->lock);
    alloc_free(t->entries);
    alloc_free(t->buckets);
    sodium_memzero(t->hash_key, sizeof(t->hash_key));
    alloc_free(t);
}

/*
 * One keyed hash gives both the stored digest and the bucket: keyed BLAKE2b
 * is a PRF, so its first bytes are as unpredictable as a SipHash of the key
 * would be, and a second hash per call would buy nothing.
 */
static void
digest_of(const struct throttle *t, const char *key, unsigned char out[DIGEST_BYTES])
{
    crypto_generichash(out, DIGEST_BYTES, (const unsigned char *)key, strlen(key), t->hash_key,
                       sizeof(t->hash_key));
}

static uint32_t
bucket_of(const struct throttle *t, const unsigned char digest[DIGEST_BYTES])
{
    uint32_t h;

    memcpy(&h, digest, sizeof(h));
    return h & (t->n_buckets - 1);
}

static uint32_t
find(const struct throttle *t, const unsigned char digest[DIGEST_BYTES])
{
    uint32_t i = t->buckets[bucket_of(t, digest)];

    while (i != NIL && memcmp(t->entries[i].digest, digest, DIGEST_BYTES) != 0)
        i = t->entries[i].chain;
    return i;
}

/* The recency list: newest failure at one end, the eviction candidate at the other. */
static void
list_unlink(struct throttle *t, uint32_t i)
{
    struct entry *x = &t->entries[i];

    if (x->newer != NIL)
        t->entries[x->newer].older = x->older;
    else
        t->newest = x->older;
    if (x->older != NIL)
        t->entries[x->older].newer = x->newer;
    else
        t->oldest = x->newer;
}

static void
list_push_newest(struct throttle *t, uint32_t i)
{
    struct entry *x = &t->entries[i];

    x->newer = NIL;
    x->older = t->newest;
    if (t->newest != NIL)
        t->entries[t->newest].newer = i;
    else
        t->oldest = i;
    t->newest = i;
}

static void
chain_unlink(struct throttle *t, uint32_t i)
{
    uint32_t *link = &t->buckets[bucket_of(t, t->entries[i].digest)];

    while (*link != i)
        link = &t->entries[*link].chain;
    *link = t->entries[i].chain;
}

static void
remove_entry(struct throttle *t, uint32_t i)
{
    chain_unlink(t, i);
    list_unlink(t, i);
    t->entries[i].chain = t->free_list;
    t->free_list = i;
    t->used--;
}

/* A fresh entry for `digest`, taking the oldest one's place when none is free. */
static uint32_t
insert(struct throttle *t, const unsigned char digest[DIGEST_BYTES], int64_t now_ms)
{
    uint32_t i, b = bucket_of(t, digest);
    struct entry *x;

    if (t->free_list == NIL)
        remove_entry(t, t->oldest);
    i = t->free_list;
    x = &t->entries[i];
    t->free_list = x->chain;
    memcpy(x->digest, digest, DIGEST_BYTES);
    x->failures = 0;
    x->last_ms = now_ms;
    x->chain = t->buckets[b];
    t->buckets[b] = i;
    list_push_newest(t, i);
    t->used++;
    return i;
}

/* Milliseconds since the latest failure; 0 when another thread's later `now` got in first. */
static int64_t
quiet_ms(const struct entry *x, int64_t now_ms)
{
    return now_ms > x->last_ms ? now_ms - x->last_ms : 0;
}

static bool
forgotten(const struct throttle *t, const struct entry *x, int64_t now_ms)
{
    return quiet_ms(x, now_ms) >= t->policy.forget_ms;
}

/* The delay after `failures` failures: 0, then base, 2 * base, ... max. */
static int64_t
delay_ms(const struct throttle_policy *p, int failures)
{
    int64_t d = p->base_ms;

    if (failures <= p->free_failures)
        return 0;
    /* at most 63 rounds: d >= 1 doubles until it passes max_ms */
    for (int n = failures - p->free_failures - 1; n > 0 && d < p->max_ms; n--)
        d = d > p->max_ms / 2 ? p->max_ms : d * 2;
    return d < p->max_ms ? d : p->max_ms;
}

/* The entry for `digest`, or NIL; one quiet for forget_ms is dropped on the way. */
static uint32_t
find_live(struct throttle *t, const unsigned char digest[DIGEST_BYTES], int64_t now_ms)
{
    uint32_t i = find(t, digest);

    if (i != NIL && forgotten(t, &t->entries[i], now_ms)) {
        remove_entry(t, i);
        return NIL;
    }
    return i;
}

int64_t
throttle_wait(struct throttle *t, const char *key, int64_t now_ms)
{
    unsigned char digest[DIGEST_BYTES];
    int64_t wait = 0;
    uint32_t i;

    digest_of(t, key, digest);
    pthread_mutex_lock(&t->lock);
    i = find_live(t, digest, now_ms);
    if (i != NIL) {
        int64_t d = delay_ms(&t->policy, t->entries[i].failures);
        int64_t q = quiet_ms(&t->entries[i], now_ms);
        wait = q < d ? d - q : 0;
    }
    pthread_mutex_unlock(&t->lock);
    return wait;
}

/* Drop a few forgotten entries from the old end, so entries counts live ones. */
static void
prune(struct throttle *t, int64_t now_ms)
{
    for (int n = 0; n < PRUNE_MAX && t->oldest != NIL; n++) {
        if (!forgotten(t, &t->entries[t->oldest], now_ms))
            break;
        remove_entry(t, t->oldest);
    }
}

void
throttle_fail(struct throttle *t, const char *key, int64_t now_ms)
{
    unsigned char digest[DIGEST_BYTES];
    struct entry *x;
    uint32_t i;

    digest_of(t, key, digest);
    pthread_mutex_lock(&t->lock);
    prune(t, now_ms);
    i = find_live(t, digest, now_ms);
    if (i == NIL)
        i = insert(t, digest, now_ms);
    x = &t->entries[i];
    if (x->failures < INT_MAX)
        x->failures++;
    if (now_ms > x->last_ms) /* never back: the list stays in order of latest failure */
        x->last_ms = now_ms;
    list_unlink(t, i);
    list_push_newest(t, i);
    pthread_mutex_unlock(&t->lock);
}

void
throttle_success(struct throttle *t, const char *key)
{
    unsigned char digest[DIGEST_BYTES];
    uint32_t i;

    digest_of(t, key, digest);
    pthread_mutex_lock(&t->lock);
    i = find(t, digest);
    if (i != NIL)
        remove_entry(t, i);
    pthread_mutex_unlock(&t->lock);
}

void
throttle_forgive(struct throttle *t, const char *key)
{
    unsigned char digest[DIGEST_BYTES];
    uint32_t i;

    digest_of(t, key, digest);
    pthread_mutex_lock(&t->lock);
    i = find(t, digest);
    if (i != NIL && t->entries[i].failures > 0 && --t->entries[i].failures == 0)
        remove_entry(t, i);
    pthread_mutex_unlock(&t->lock);
}

size_t
throttle_entries(struct throttle *t)
{
    size_t n;

    pthread_mutex_lock(&t->lock);
    n = t->used;
    pthread_mutex_unlock(&t->lock);
    return n;
}
