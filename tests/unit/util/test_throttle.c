/* util/throttle.c: failure counters with exponential back-off, bounded memory. */
#include "testutil.h"

#include "util/alloc.h"
#include "util/throttle.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>

#define SEC 1000
#define MIN (60 * SEC)
#define HOUR (60 * MIN)
#define T0 ((int64_t)1700000000000)    /* some time in 2023, in ms */

/* The account policy of issue 3. */
static const struct throttle_policy account = { 3, SEC, 15 * MIN, HOUR };

static void
test_free_failures_then_a_delay(void **state)
{
    struct throttle *t = throttle_new(&account, 64);

    (void)state;
    assert_non_null(t);
    assert_int_equal(throttle_wait(t, "alice", T0), 0);
    for (int i = 0; i < 3; i++) {
        throttle_fail(t, "alice", T0);
        assert_int_equal(throttle_wait(t, "alice", T0), 0);
    }
    throttle_fail(t, "alice", T0 + 10);                     /* the first one that counts */
    assert_int_equal(throttle_wait(t, "alice", T0 + 10), SEC);
    assert_int_equal(throttle_wait(t, "alice", T0 + 410), 600);
    assert_int_equal(throttle_wait(t, "alice", T0 + 10 + SEC - 1), 1);
    assert_int_equal(throttle_wait(t, "alice", T0 + 10 + SEC), 0);
    throttle_free(t);
}

/* An attempt counted in advance and then not run is taken back, one at a time. */
static void
test_forgive(void **state)
{
    struct throttle *t = throttle_new(&account, 64);

    (void)state;
    assert_non_null(t);
    throttle_forgive(t, "nobody");                           /* unknown: nothing happens */
    assert_int_equal(throttle_entries(t), 0);
    for (int i = 0; i < 4; i++)
        throttle_fail(t, "alice", T0);
    assert_int_equal(throttle_wait(t, "alice", T0), SEC);
    throttle_forgive(t, "alice");                            /* back to 3: free again */
    assert_int_equal(throttle_wait(t, "alice", T0), 0);
    throttle_fail(t, "alice", T0);
    assert_int_equal(throttle_wait(t, "alice", T0), SEC);    /* the 4th again, not the 5th */
    for (int i = 0; i < 4; i++)
        throttle_forgive(t, "alice");
    assert_int_equal(throttle_entries(t), 0);                /* at zero the entry goes */
    throttle_forgive(t, "alice");
    assert_int_equal(throttle_entries(t), 0);
    throttle_free(t);
}

static void
test_delays_double_up_to_the_cap(void **state)
{
    /* failure n past the free ones waits 2^(n-1) s, until 15 min */
    static const int64_t want[] = {
        1 * SEC, 2 * SEC, 4 * SEC, 8 * SEC, 16 * SEC, 32 * SEC, 64 * SEC, 128 * SEC,
        256 * SEC, 512 * SEC, 15 * MIN, 15 * MIN, 15 * MIN,
    };
    struct throttle *t = throttle_new(&account, 64);
    int64_t now = T0;

    (void)state;
    for (int i = 0; i < 3; i++)
        throttle_fail(t, "bob", now);
    for (size_t i = 0; i < TEST_ARRAY_LEN(want); i++) {
        throttle_fail(t, "bob", now);
        assert_int_equal(throttle_wait(t, "bob", now), want[i]);
        now += want[i];                                     /* tries again as soon as allowed */
        assert_int_equal(throttle_wait(t, "bob", now), 0);
    }
    /* far past the cap the counter must not overflow the delay */
    for (int i = 0; i < 1000; i++)
        throttle_fail(t, "bob", now);
    assert_int_equal(throttle_wait(t, "bob", now), 15 * MIN);
    throttle_free(t);
}

static void
test_success_clears(void **state)
{
    struct throttle *t = throttle_new(&account, 64);

    (void)state;
    for (int i = 0; i < 6; i++)
        throttle_fail(t, "carol", T0);
    assert_true(throttle_wait(t, "carol", T0) > 0);
    assert_int_equal(throttle_entries(t), 1);
    throttle_success(t, "carol");
    assert_int_equal(throttle_wait(t, "carol", T0), 0);
    assert_int_equal(throttle_entries(t), 0);
    /* the count starts again from zero: three free failures */
    for (int i = 0; i < 3; i++)
        throttle_fail(t, "carol", T0);
    assert_int_equal(throttle_wait(t, "carol", T0), 0);
    throttle_success(t, "nobody");                          /* an unknown key is fine */
    throttle_free(t);
}

static void
test_quiet_keys_are_forgotten(void **state)
{
    struct throttle *t = throttle_new(&account, 64);

    (void)state;
    for (int i = 0; i < 20; i++)
        throttle_fail(t, "dave", T0);
    assert_int_equal(throttle_wait(t, "dave", T0 + 10 * MIN), 5 * MIN);
    assert_int_equal(throttle_wait(t, "dave", T0 + 15 * MIN), 0);
    assert_int_equal(throttle_entries(t), 1);               /* waited out, not yet forgotten */
    /* one millisecond before forget_ms it is still counted... */
    throttle_fail(t, "erin", T0);
    throttle_fail(t, "erin", T0);
    throttle_fail(t, "erin", T0);
    throttle_fail(t, "erin", T0 + HOUR - 1);                /* 4th: counted, from the 3rd */
    assert_int_equal(throttle_wait(t, "erin", T0 + HOUR - 1), SEC);
    /* ...at forget_ms after the latest failure it is gone, and counts from zero */
    assert_int_equal(throttle_wait(t, "erin", T0 + 2 * HOUR - 1), 0);
    throttle_fail(t, "erin", T0 + 2 * HOUR - 1);
    assert_int_equal(throttle_wait(t, "erin", T0 + 2 * HOUR - 1), 0);
    assert_int_equal(throttle_entries(t), 1);               /* dave was pruned too */
    throttle_free(t);
}

static void
test_keys_are_independent(void **state)
{
    struct throttle *t = throttle_new(&account, 64);

    (void)state;
    for (int i = 0; i < 5; i++)
        throttle_fail(t, "frank", T0);
    assert_int_equal(throttle_wait(t, "frank", T0), 2 * SEC);
    assert_int_equal(throttle_wait(t, "Frank", T0), 0);    /* keys are compared exactly */
    assert_int_equal(throttle_wait(t, "frank ", T0), 0);
    assert_int_equal(throttle_wait(t, "", T0), 0);
    throttle_fail(t, "grace", T0);
    throttle_success(t, "grace");
    assert_int_equal(throttle_wait(t, "frank", T0), 2 * SEC);  /* untouched by grace */
    assert_int_equal(throttle_entries(t), 1);
    throttle_free(t);
}

static void
test_full_table_forgets_the_oldest_failure(void **state)
{
    static const struct throttle_policy strict = { 0, SEC, MIN, HOUR };
    struct throttle *t = throttle_new(&strict, 4);
    char key[16];

    (void)state;
    for (int i = 0; i < 4; i++) {
        snprintf(key, sizeof(key), "k%d", i);
        throttle_fail(t, key, T0 + i);
    }
    throttle_fail(t, "k0", T0 + 10);                        /* k0 is now the newest */
    throttle_fail(t, "k4", T0 + 11);                        /* full: k1 makes room */
    assert_int_equal(throttle_entries(t), 4);
    assert_int_equal(throttle_wait(t, "k1", T0 + 11), 0);
    assert_int_equal(throttle_wait(t, "k0", T0 + 11), 2 * SEC - 1);
    assert_int_equal(throttle_wait(t, "k2", T0 + 11), SEC - 9);
    assert_int_equal(throttle_wait(t, "k3", T0 + 11), SEC - 8);
    assert_int_equal(throttle_wait(t, "k4", T0 + 11), SEC);
    throttle_free(t);
}

static void
test_sprayed_keys_never_allocate(void **state)
{
    struct throttle *t = throttle_new(&account, 100);
    char key[32];

    (void)state;
    alloc_fail_at(1000000000, 0);                           /* count allocations from here */
    for (int i = 0; i < 100000; i++) {
        snprintf(key, sizeof(key), "203.0.113.%d:%d", i % 256, i);
        throttle_fail(t, key, T0 + i);
        assert_true(throttle_entries(t) <= 100);
    }
    assert_int_equal(alloc_fail_at(0, 0), 0);
    assert_int_equal(throttle_entries(t), 100);
    /* the latest 100 are the ones kept */
    assert_int_equal(throttle_wait(t, "203.0.113.159:99999", T0 + 99999), 0);
    for (int i = 0; i < 3; i++)
        throttle_fail(t, "203.0.113.159:99999", T0 + 99999);
    assert_int_equal(throttle_wait(t, "203.0.113.159:99999", T0 + 99999), SEC);
    throttle_free(t);
}

static void
test_bad_arguments_are_made_safe(void **state)
{
    static const struct throttle_policy odd = { -5, 0, -1, 0 };
    struct throttle *t = throttle_new(&odd, 0);

    (void)state;
    assert_non_null(t);
    throttle_fail(t, "a", T0);
    assert_int_equal(throttle_wait(t, "a", T0), 1);         /* base and max become 1 ms */
    throttle_fail(t, "b", T0);                              /* capacity 1: a makes room */
    assert_int_equal(throttle_entries(t), 1);
    throttle_free(t);
    throttle_free(NULL);
}

static void
test_huge_cap_does_not_overflow(void **state)
{
    static const struct throttle_policy p = { 0, 1, INT64_MAX, INT64_MAX };
    struct throttle *t = throttle_new(&p, 1);

    (void)state;
    for (int i = 0; i < 62; i++)
        throttle_fail(t, "z", T0);
    assert_int_equal(throttle_wait(t, "z", T0), (int64_t)1 << 61);
    throttle_fail(t, "z", T0);
    assert_int_equal(throttle_wait(t, "z", T0), (int64_t)1 << 62);
    for (int i = 0; i < 100; i++)    /* the next doubling would pass INT64_MAX */
        throttle_fail(t, "z", T0);
    assert_int_equal(throttle_wait(t, "z", T0), INT64_MAX);
    throttle_free(t);
}

static void
test_out_of_memory(void **state)
{
    struct throttle *t = NULL;

    (void)state;
    for (unsigned long n = 1; t == NULL; n++) {
        alloc_fail_at(n, 1);
        t = throttle_new(&account, 1000);
        alloc_fail_at(0, 0);
        assert_true(n < 10);
    }
    throttle_fail(t, "x", T0);
    throttle_free(t);
}

/* Many threads on one table: shared keys change under them, own keys must stay exact. */
#define THREADS 8
#define ROUNDS 20000

struct hammer {
    struct throttle *t;
    int id;
    int64_t own_wait;    /* OUT: the wait of the thread's own key at the end */
};

static void *
hammer_main(void *arg)
{
    struct hammer *h = arg;
    char shared[16], own[16];
    unsigned r = (unsigned)h->id * 2654435761u + 1;

    snprintf(own, sizeof(own), "own%d", h->id);
    for (int i = 0; i < ROUNDS; i++) {
        r = r * 1103515245u + 12345u;
        snprintf(shared, sizeof(shared), "s%u", (r >> 16) % 12);
        switch ((r >> 8) % 4) {
        case 0:
        case 1:
            throttle_fail(h->t, shared, T0 + i);
            break;
        case 2:
            (void)throttle_wait(h->t, shared, T0 + i);
            break;
        default:
            throttle_success(h->t, shared);
            break;
        }
        if (i % 1000 == 0)
            throttle_fail(h->t, own, T0);                   /* 20 failures in all */
    }
    h->own_wait = throttle_wait(h->t, own, T0);
    return NULL;
}

static void
hammer(size_t capacity, bool own_exact)
{
    static const struct throttle_policy p = { 3, SEC, 15 * MIN, 10 * HOUR };
    struct throttle *t = throttle_new(&p, capacity);
    pthread_t th[THREADS];
    struct hammer h[THREADS];

    for (int i = 0; i < THREADS; i++) {
        h[i] = (struct hammer){ t, i, -1 };
        assert_int_equal(pthread_create(&th[i], NULL, hammer_main, &h[i]), 0);
    }
    for (int i = 0; i < THREADS; i++)
        assert_int_equal(pthread_join(th[i], NULL), 0);
    assert_true(throttle_entries(t) <= capacity);
    for (int i = 0; i < THREADS && own_exact; i++)
        assert_int_equal(h[i].own_wait, 15 * MIN);          /* 17 counted failures: capped */
    throttle_free(t);
}

static void
test_many_threads(void **state)
{
    (void)state;
    hammer(64, true);       /* room for all 20 keys: nothing is lost */
    hammer(5, false);       /* constant eviction under contention */
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_free_failures_then_a_delay),
        cmocka_unit_test(test_delays_double_up_to_the_cap),
        cmocka_unit_test(test_success_clears),
        cmocka_unit_test(test_forgive),
        cmocka_unit_test(test_quiet_keys_are_forgotten),
        cmocka_unit_test(test_keys_are_independent),
        cmocka_unit_test(test_full_table_forgets_the_oldest_failure),
        cmocka_unit_test(test_sprayed_keys_never_allocate),
        cmocka_unit_test(test_bad_arguments_are_made_safe),
        cmocka_unit_test(test_huge_cap_does_not_overflow),
        cmocka_unit_test(test_out_of_memory),
        cmocka_unit_test(test_many_threads),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
