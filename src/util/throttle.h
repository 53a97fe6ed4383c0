#ifndef KESU_UTIL_THROTTLE_H
#define KESU_UTIL_THROTTLE_H

#include <stddef.h>
#include <stdint.h>

/*
 * Failure counters with exponential back-off, keyed by a string (a login, or
 * a client address), for slowing down password guessing (issue 3).
 *
 * Memory is fixed at creation: `capacity` entries, never more, however many
 * different keys arrive. An entry holds a 16-byte keyed digest of the key,
 * not its text, so no login or address outlives the call that passed it and
 * no entry grows with its key. The digest key comes from the CSPRNG at
 * creation: nobody outside can compute which keys share a bucket, so chains
 * stay short (O(1) expected per call) and two keys cannot be made to collide.
 *
 * When the table is full, a new key takes the entry whose latest failure is
 * the oldest (entries quiet for forget_ms are dropped first anyway, being the
 * oldest). Consequence: someone who makes `capacity` failed attempts with
 * other keys after a victim's latest failure erases that victim's count.
 * Each of those attempts goes through the per-address throttle and pays for
 * a password check in the bounded queue, so size the table well above the
 * failures a burst can make within forget_ms (at most 48 bytes an entry:
 * 65536 entries take 3 MiB). Refusing new keys instead would let the same flood
 * switch throttling off for every key not yet seen, and blocking them would
 * lock everybody out; forgetting the oldest is the least harmful.
 *
 * All calls are thread-safe (one mutex, held for a few hundred nanoseconds;
 * the digest is computed outside it). Times are milliseconds on any clock
 * that does not go back, passed by the caller so tests control them.
 */
struct throttle_policy {
    int free_failures; /* failures that cost nothing (kesu: 3 per login, 20 per address) */
    int64_t base_ms;   /* the first delay (1000) */
    int64_t max_ms;    /* the longest delay (15 min) */
    int64_t forget_ms; /* an entry without a failure for this long is forgotten (1 h) */
};

struct throttle;

/*
 * A table of `capacity` entries (0 counts as 1; at most THROTTLE_CAPACITY_MAX).
 * The policy is copied. NULL when memory runs out or libsodium cannot start.
 */
#define THROTTLE_CAPACITY_MAX ((size_t)1 << 24)
struct throttle *throttle_new(const struct throttle_policy *p, size_t capacity);
void throttle_free(struct throttle *t); /* throttle_free(NULL) is a no-op */

/*
 * 0 when `key` may try at now_ms; otherwise the milliseconds until it may
 * (> 0, at most max_ms). A key seen nowhere, or quiet for forget_ms, gets 0.
 */
int64_t throttle_wait(struct throttle *t, const char *key, int64_t now_ms);

/*
 * Count a failed attempt at now_ms. After free_failures failures, each one
 * delays the next try: base_ms after the first failure past the free ones,
 * then 2 * base_ms, 4 * base_ms... capped at max_ms, counted from the latest
 * failure. Failures during a wait count too: callers check throttle_wait
 * first and do not try while it is positive.
 */
void throttle_fail(struct throttle *t, const char *key, int64_t now_ms);

/* A successful attempt: forget `key`. */
void throttle_success(struct throttle *t, const char *key);

/* Entries in use, at most the capacity (for the health page and tests). */
/*
 * Take back one failure of `key` (an attempt counted in advance that never
 * ran, e.g. refused because the queue was full); the wait it caused, if
 * any, is not shortened.
 */
void throttle_forgive(struct throttle *t, const char *key);
size_t throttle_entries(struct throttle *t);

#endif
