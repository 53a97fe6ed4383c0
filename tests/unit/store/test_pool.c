#include "testutil.h"

/* The pool of read connections: reuse, the bound, waiting, and a failed open. */

#include "store/pool.h"
#include "store/store.h"
#include "store/store_sqlite.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#define LONG_WAIT_MS 20000    /* "forever" for a test; a hang would show as this */

struct fx {
    char dir[256];
    char path[512];
};

static int
setup(void **state)
{
    struct fx *f = calloc(1, sizeof(*f));
    struct store *st;
    struct err e = { 0 };
    int version;

    if (f == NULL)
        return -1;
    snprintf(f->dir, sizeof(f->dir), "/tmp/kesu-pool-XXXXXX");
    if (mkdtemp(f->dir) == NULL)
        return -1;
    snprintf(f->path, sizeof(f->path), "%s/kesu.db", f->dir);
    st = store_sqlite_open(f->path, &e);
    if (st == NULL || store_migrate(st, NULL, 0, &version, &e) < 0) {
        fprintf(stderr, "setup: %s\n", e.detail);
        return -1;
    }
    store_close(st);
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    struct fx *f = *state;
    char side[600];

    unlink(f->path);
    snprintf(side, sizeof(side), "%s-wal", f->path);
    unlink(side);
    snprintf(side, sizeof(side), "%s-shm", f->path);
    unlink(side);
    rmdir(f->dir);
    free(f);
    return 0;
}

static void
assert_usable(struct store *st)
{
    struct err e = { 0 };
    int version = -1;

    assert_non_null(st);
    if (st->ops->health(st, &version, &e) < 0)
        fail_msg("health: %s", e.detail);
    assert_int_equal(version, STORE_SCHEMA_VERSION);
}

static void
test_pool_reuses_connections(void **state)
{
    struct fx *f = *state;
    struct err e = { 0 };
    struct store_pool *p = store_pool_new(f->path, 2, &e);
    struct store *a, *b, *c, *d;

    assert_non_null(p);
    a = store_pool_get(p, &e);
    assert_usable(a);
    store_pool_put(p, a);
    /* the one put back is handed out again, not a new one */
    b = store_pool_get(p, &e);
    assert_ptr_equal(b, a);
    c = store_pool_get(p, &e);
    assert_usable(c);
    assert_ptr_not_equal(c, a);
    store_pool_put(p, b);
    store_pool_put(p, c);
    d = store_pool_get(p, &e);
    assert_true(d == a || d == c);
    store_pool_put(p, d);
    store_pool_put(p, NULL);    /* a no-op */
    assert_int_equal(e.code, ERR_OK);
    store_pool_free(p);
    store_pool_free(NULL);
}

static void
test_pool_bounded_then_busy(void **state)
{
    struct fx *f = *state;
    struct err e = { 0 };
    struct store_pool *p = store_pool_new_timeout(f->path, 2, 100, &e);
    struct store *a, *b, *c;
    struct timespec t0, t1;
    long waited_ms;

    assert_non_null(p);
    a = store_pool_get(p, &e);
    b = store_pool_get(p, &e);
    assert_usable(a);
    assert_usable(b);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    c = store_pool_get(p, &e);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    assert_null(c);
    assert_int_equal(e.code, ERR_BUSY);
    /* it waited rather than failing at once (a lower bound only: no timing upper bound) */
    waited_ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
    assert_true(waited_ms >= 90);

    /* a connection back makes the next get succeed with it */
    store_pool_put(p, b);
    e = (struct err){ 0 };
    c = store_pool_get(p, &e);
    assert_ptr_equal(c, b);
    store_pool_put(p, a);
    store_pool_put(p, c);
    store_pool_free(p);
}

struct waiter {
    struct store_pool *p;
    struct store *got;
    struct err e;
    atomic_bool started;
};

static void *
waiter_main(void *arg)
{
    struct waiter *w = arg;

    atomic_store(&w->started, true);
    w->got = store_pool_get(w->p, &w->e);
    return NULL;
}

static void
test_pool_waiter_gets_returned_connection(void **state)
{
    struct fx *f = *state;
    struct err e = { 0 };
    struct waiter w = { .got = NULL };
    struct store *a;
    pthread_t t;

    w.p = store_pool_new_timeout(f->path, 1, LONG_WAIT_MS, &e);
    assert_non_null(w.p);
    a = store_pool_get(w.p, &e);
    assert_usable(a);
    assert_int_equal(pthread_create(&t, NULL, waiter_main, &w), 0);
    while (!atomic_load(&w.started))
        usleep(1000);
    usleep(20000);     /* most likely waiting by now; correct either way */
    store_pool_put(w.p, a);
    pthread_join(t, NULL);
    assert_int_equal(w.e.code, ERR_OK);
    assert_ptr_equal(w.got, a);
    store_pool_put(w.p, w.got);
    store_pool_free(w.p);
}

#define THREADS 8
#define ROUNDS 200
#define POOL_SIZE 3

struct shared {
    struct store_pool *p;
    atomic_int in_use, max_in_use, failures;
    pthread_mutex_t lock;
    struct store *seen[THREADS * ROUNDS];
    size_t n_seen;
};

static void *
user_main(void *arg)
{
    struct shared *s = arg;

    for (int i = 0; i < ROUNDS; i++) {
        struct err e = { 0 };
        struct store *st = store_pool_get(s->p, &e);
        int version = -1, now;

        if (st == NULL) {
            atomic_fetch_add(&s->failures, 1);
            continue;
        }
        now = atomic_fetch_add(&s->in_use, 1) + 1;
        for (int m = atomic_load(&s->max_in_use); now > m;)
            if (atomic_compare_exchange_weak(&s->max_in_use, &m, now))
                break;
        if (st->ops->health(st, &version, &e) < 0 || version != STORE_SCHEMA_VERSION)
            atomic_fetch_add(&s->failures, 1);
        pthread_mutex_lock(&s->lock);
        s->seen[s->n_seen++] = st;
        pthread_mutex_unlock(&s->lock);
        atomic_fetch_sub(&s->in_use, 1);
        store_pool_put(s->p, st);
    }
    return NULL;
}

static void
test_pool_many_threads_stay_in_bound(void **state)
{
    struct fx *f = *state;
    struct err e = { 0 };
    struct shared *s = calloc(1, sizeof(*s));
    pthread_t t[THREADS];
    struct store *distinct[THREADS * ROUNDS];
    size_t n_distinct = 0;

    assert_non_null(s);
    s->p = store_pool_new_timeout(f->path, POOL_SIZE, LONG_WAIT_MS, &e);
    assert_non_null(s->p);
    pthread_mutex_init(&s->lock, NULL);
    for (int i = 0; i < THREADS; i++)
        assert_int_equal(pthread_create(&t[i], NULL, user_main, s), 0);
    for (int i = 0; i < THREADS; i++)
        pthread_join(t[i], NULL);
    assert_int_equal(atomic_load(&s->failures), 0);
    assert_int_equal(s->n_seen, THREADS * ROUNDS);
    assert_true(atomic_load(&s->max_in_use) <= POOL_SIZE);
    for (size_t i = 0; i < s->n_seen; i++) {
        size_t k;
        for (k = 0; k < n_distinct; k++)
            if (distinct[k] == s->seen[i])
                break;
        if (k == n_distinct)
            distinct[n_distinct++] = s->seen[i];
    }
    /* never more connections than the size, and they were reused */
    assert_true(n_distinct >= 1 && n_distinct <= POOL_SIZE);
    pthread_mutex_destroy(&s->lock);
    store_pool_free(s->p);
    free(s);
}

static void
test_pool_failed_open_frees_its_slot(void **state)
{
    struct err e = { 0 };
    struct store_pool *p;
    struct store *st;

    (void)state;
    p = store_pool_new_timeout("/nonexistent-kesu-dir/none/kesu.db", 1, LONG_WAIT_MS, &e);
    assert_non_null(p);
    for (int i = 0; i < 3; i++) {
        /* the open's own error, every time: a leaked slot would make this ERR_BUSY */
        e = (struct err){ 0 };
        st = store_pool_get(p, &e);
        assert_null(st);
        assert_int_equal(e.code, ERR_STORE);
    }
    store_pool_free(p);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_pool_reuses_connections, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pool_bounded_then_busy, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pool_waiter_gets_returned_connection, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_pool_many_threads_stay_in_bound, setup, teardown),
        cmocka_unit_test(test_pool_failed_open_frees_its_slot),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
