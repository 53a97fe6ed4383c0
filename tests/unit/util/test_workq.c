/* util/workq.c: a fixed pool of workers behind a bounded queue that never blocks. */
#include "testutil.h"

#include "util/alloc.h"
#include "util/workq.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <unistd.h>

/* A job that holds its worker until the test opens the gate. */
struct gate {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    int started;    /* blockers that have begun */
    bool open;
};

static struct gate gate;

static void
gate_init(void)
{
    pthread_mutex_init(&gate.lock, NULL);
    pthread_cond_init(&gate.cond, NULL);
    gate.started = 0;
    gate.open = false;
}

static void
gate_release(void)
{
    pthread_mutex_destroy(&gate.lock);
    pthread_cond_destroy(&gate.cond);
}

static void
blocker(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&gate.lock);
    gate.started++;
    pthread_cond_broadcast(&gate.cond);
    while (!gate.open)
        pthread_cond_wait(&gate.cond, &gate.lock);
    pthread_mutex_unlock(&gate.lock);
}

static void
wait_started(int n)
{
    pthread_mutex_lock(&gate.lock);
    while (gate.started < n)
        pthread_cond_wait(&gate.cond, &gate.lock);
    pthread_mutex_unlock(&gate.lock);
}

static void
gate_open(void)
{
    pthread_mutex_lock(&gate.lock);
    gate.open = true;
    pthread_cond_broadcast(&gate.cond);
    pthread_mutex_unlock(&gate.lock);
}

static void
count(void *arg)
{
    atomic_fetch_add((atomic_int *)arg, 1);
}

static void
test_jobs_run(void **state)
{
    struct err e = { 0 };
    struct workq *q = workq_new(4, 100, &e);
    atomic_int n = 0;

    (void)state;
    assert_non_null(q);
    for (int i = 0; i < 100; i++)
        assert_int_equal(workq_submit(q, count, &n, &e), 0);
    workq_free(q);
    assert_int_equal(atomic_load(&n), 100);
    assert_int_equal(e.code, ERR_OK);    /* untouched on success */
}

static void
test_full_queue_is_busy_at_once(void **state)
{
    struct err e = { 0 };
    struct workq *q = workq_new(2, 3, &e);
    atomic_int n = 0;

    (void)state;
    gate_init();
    assert_int_equal(workq_submit(q, blocker, NULL, &e), 0);
    assert_int_equal(workq_submit(q, blocker, NULL, &e), 0);
    wait_started(2);                      /* both workers are held */
    assert_int_equal(workq_waiting(q), 0);
    for (size_t i = 1; i <= 3; i++) {
        assert_int_equal(workq_submit(q, count, &n, &e), 0);
        assert_int_equal(workq_waiting(q), i);
    }
    /* would hang here if submit waited for room */
    assert_int_equal(workq_submit(q, count, &n, &e), -1);
    assert_int_equal(e.code, ERR_BUSY);
    assert_string_equal(e.reason, "busy");
    assert_int_equal(workq_waiting(q), 3);
    gate_open();
    workq_free(q);
    assert_int_equal(atomic_load(&n), 3);  /* the refused job never ran */
    gate_release();
}

static void *
open_later(void *arg)
{
    (void)arg;
    usleep(50 * 1000);    /* most likely after workq_free began; correct either way */
    gate_open();
    return NULL;
}

static void
test_free_runs_what_is_queued(void **state)
{
    struct err e = { 0 };
    struct workq *q = workq_new(1, 10, &e);
    atomic_int n = 0;
    pthread_t opener;

    (void)state;
    gate_init();
    assert_int_equal(workq_submit(q, blocker, NULL, &e), 0);
    wait_started(1);
    for (int i = 0; i < 10; i++)
        assert_int_equal(workq_submit(q, count, &n, &e), 0);
    assert_int_equal(workq_waiting(q), 10);
    assert_int_equal(pthread_create(&opener, NULL, open_later, NULL), 0);
    workq_free(q);                         /* returns only when all ten have run */
    assert_int_equal(atomic_load(&n), 10);
    pthread_join(opener, NULL);
    gate_release();
    workq_free(NULL);
}

static void
test_ring_wraps(void **state)
{
    struct err e = { 0 };
    struct workq *q = workq_new(1, 2, &e);
    atomic_int n = 0;

    (void)state;
    /* many more jobs than slots, one at a time: head and tail go round the ring */
    for (int i = 0; i < 1000; i++) {
        while (workq_submit(q, count, &n, &e) < 0) {
            assert_int_equal(e.code, ERR_BUSY);
            err_clear(&e);
            sched_yield();
        }
    }
    workq_free(q);
    assert_int_equal(atomic_load(&n), 1000);
}

/* Several submitters at once; refusals are retried, so every job runs exactly once. */
#define SUBMITTERS 8
#define JOBS 5000

struct submitter {
    struct workq *q;
    atomic_int *ran;
    int other;   /* OUT: failures that were not ERR_BUSY */
};

static void *
submit_many(void *arg)
{
    struct submitter *s = arg;

    for (int i = 0; i < JOBS; i++) {
        struct err e = { 0 };
        while (workq_submit(s->q, count, s->ran, &e) < 0) {
            if (e.code != ERR_BUSY)    /* checked by the main thread: cmocka asserts there */
                s->other++;
            err_clear(&e);
            sched_yield();
        }
    }
    return NULL;
}

static void
test_many_submitters(void **state)
{
    struct err e = { 0 };
    struct workq *q = workq_new(4, 16, &e);
    struct submitter s[SUBMITTERS];
    pthread_t th[SUBMITTERS];
    atomic_int ran = 0;

    (void)state;
    for (int i = 0; i < SUBMITTERS; i++) {
        s[i] = (struct submitter){ q, &ran, 0 };
        assert_int_equal(pthread_create(&th[i], NULL, submit_many, &s[i]), 0);
    }
    for (int i = 0; i < SUBMITTERS; i++) {
        pthread_join(th[i], NULL);
        assert_int_equal(s[i].other, 0);
    }
    assert_true(workq_waiting(q) <= 16);
    workq_free(q);
    assert_int_equal(atomic_load(&ran), SUBMITTERS * JOBS);
}

static void
test_zero_sizes_count_as_one(void **state)
{
    struct err e = { 0 };
    struct workq *q = workq_new(0, 0, &e);
    atomic_int n = 0;

    (void)state;
    assert_non_null(q);
    gate_init();
    assert_int_equal(workq_submit(q, blocker, NULL, &e), 0);
    wait_started(1);
    assert_int_equal(workq_submit(q, count, &n, &e), 0);
    assert_int_equal(workq_submit(q, count, &n, &e), -1);
    gate_open();
    workq_free(q);
    assert_int_equal(atomic_load(&n), 1);
    gate_release();
}

static void
test_out_of_memory(void **state)
{
    struct workq *q = NULL;
    atomic_int n = 0;

    (void)state;
    for (unsigned long i = 1; q == NULL; i++) {
        struct err e = { 0 };
        alloc_fail_at(i, 1);
        q = workq_new(3, 8, &e);
        alloc_fail_at(0, 0);
        if (q == NULL) {
            assert_int_equal(e.code, ERR_NOMEM);
            assert_string_equal(e.reason, "nomem");
        }
        assert_true(i < 10);
    }
    assert_int_equal(workq_submit(q, count, &n, NULL), 0);
    workq_free(q);
    assert_int_equal(atomic_load(&n), 1);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_jobs_run),
        cmocka_unit_test(test_full_queue_is_busy_at_once),
        cmocka_unit_test(test_free_runs_what_is_queued),
        cmocka_unit_test(test_ring_wraps),
        cmocka_unit_test(test_many_submitters),
        cmocka_unit_test(test_zero_sizes_count_as_one),
        cmocka_unit_test(test_out_of_memory),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
