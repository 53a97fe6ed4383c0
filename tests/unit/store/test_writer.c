#include "testutil.h"

/*
 * The group-commit writer: many submitters at once, all committed with
 * gapless numbers, in groups; the batch limit; errors reach the submitter;
 * stopping finishes what is queued. Failures inside batches are in
 * test_store_faults.c.
 */

#include "core/complaint.h"
#include "store/store.h"
#include "store/store_sqlite.h"
#include "store/writer.h"
#include "util/arena.h"
#include "util/ts.h"

#include <pthread.h>
#include <sched.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define TZ 480
#define THREADS 8
#define JOBS_PER_THREAD 200

struct fx {
    char dir[256];
    char path[512];
};

static int64_t
now_2026(void)
{
    struct ts_civil c = { 2026, 5, 20, 9, 0, 0, 0 };

    return ts_from_civil(&c, TZ);
}

static int
setup(void **state)
{
    static const struct staff_new alice = { .login = "alice", .name = "王丽" };
    struct fx *f = calloc(1, sizeof(*f));
    struct store *st;
    struct err e = { 0 };
    int version;

    if (f == NULL)
        return -1;
    snprintf(f->dir, sizeof(f->dir), "/tmp/kesu-writer-XXXXXX");
    if (mkdtemp(f->dir) == NULL)
        return -1;
    snprintf(f->path, sizeof(f->path), "%s/kesu.db", f->dir);
    st = store_sqlite_open(f->path, &e);
    if (st == NULL || store_migrate(st, NULL, 0, &version, &e) < 0 ||
        st->ops->project_add(st, "P1", "翠湖花园", NULL, 0, &e) < 0 ||
        st->ops->staff_add(st, &alice, 0, &e) < 0) {
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

static struct store_writer *
writer_start(struct fx *f, size_t batch_max)
{
    struct err e = { 0 };
    struct store *st = store_sqlite_open(f->path, &e);
    struct store_writer *w;

    assert_non_null(st);
    w = store_writer_start(st, batch_max, &e);
    assert_non_null(w);
    return w;
}

/* The numbers in the database, in id order, are KS-2026-000001 .. n. */
static void
assert_numbers_gapless(struct fx *f, int n)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    int i = 0;

    assert_int_equal(sqlite3_open_v2(f->path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT number FROM complaints ORDER BY id", -1, &st,
                                        NULL),
                     SQLITE_OK);
    while (sqlite3_step(st) == SQLITE_ROW) {
        char want[32];
        snprintf(want, sizeof(want), "KS-2026-%06d", ++i);
        assert_string_equal((const char *)sqlite3_column_text(st, 0), want);
    }
    sqlite3_finalize(st);
    assert_int_equal(i, n);
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*) FROM events", -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(st, 0), 2 * n);
    sqlite3_finalize(st);
    sqlite3_close(db);
}

/* ---- a job that registers a complaint and adds a note ---- */

struct reg {
    struct arena *a;
    const char *phone;
    int64_t seq;             /* out: the number's sequence */
};

static int
reg_run(struct store *st, struct store_job *job, struct err *e)
{
    struct reg *r = job->ctx;
    struct complaint_new in;
    struct complaint *c;
    struct event_new note = { .type = "note", .visibility = "internal", .author = "alice",
                              .text = "已受理", .at = now_2026() };
    struct event *ev;
    const char *dash;

    core_complaint_new_init(&in);
    in.channel = "phone";
    in.has_received_at = true;
    in.received_at = now_2026();
    in.project = "P1";
    in.subject = "电梯故障";
    in.content = "电梯停在两层之间";
    in.complainant.phone = r->phone;
    if (st->ops->complaint_create(st, &in, "KS", TZ, now_2026(), r->a, &c, e) < 0)
        return -1;
    note.complaint_id = c->id;
    if (st->ops->event_append(st, &note, r->a, &ev, e) < 0)
        return -1;
    dash = strrchr(c->number, '-');
    r->seq = dash ? strtoll(dash + 1, NULL, 10) : -1;
    return 0;
}

/* ---- a job that holds the writer until it is opened ---- */

struct gate {
    struct store_job job;    /* first */
    pthread_mutex_t lock;
    pthread_cond_t cond;
    bool started, open, finished;
    atomic_int *arrived;     /* if set, also wait until this reaches `want` */
    int want;
};

static int
gate_run(struct store *st, struct store_job *job, struct err *e)
{
    struct gate *g = (struct gate *)job;

    (void)st;
    (void)e;
    pthread_mutex_lock(&g->lock);
    g->started = true;
    pthread_cond_broadcast(&g->cond);
    while (!g->open)
        pthread_cond_wait(&g->cond, &g->lock);
    pthread_mutex_unlock(&g->lock);
    if (g->arrived != NULL) {
        while (atomic_load(g->arrived) < g->want)
            usleep(1000);
        usleep(20000);   /* let the last arrivals reach the queue: grouping, not correctness */
    }
    return 0;
}

static void
gate_done(struct store_job *job, int rc, const struct err *e)
{
    struct gate *g = (struct gate *)job;

    (void)rc;
    (void)e;
    pthread_mutex_lock(&g->lock);
    g->finished = true;
    pthread_cond_broadcast(&g->cond);
    pthread_mutex_unlock(&g->lock);
}

static void
gate_submit(struct store_writer *w, struct gate *g)
{
    memset(g, 0, sizeof(*g));
    pthread_mutex_init(&g->lock, NULL);
    pthread_cond_init(&g->cond, NULL);
    g->job.run = gate_run;
    g->job.done = gate_done;
    store_writer_submit(w, &g->job);
    pthread_mutex_lock(&g->lock);
    while (!g->started)
        pthread_cond_wait(&g->cond, &g->lock);
    pthread_mutex_unlock(&g->lock);
}

static void
gate_open(struct gate *g)
{
    pthread_mutex_lock(&g->lock);
    g->open = true;
    pthread_cond_broadcast(&g->cond);
    pthread_mutex_unlock(&g->lock);
}

static void
gate_wait_finished(struct gate *g)
{
    pthread_mutex_lock(&g->lock);
    while (!g->finished)
        pthread_cond_wait(&g->cond, &g->lock);
    pthread_mutex_unlock(&g->lock);
    pthread_mutex_destroy(&g->lock);
    pthread_cond_destroy(&g->cond);
}

/* ---- many submitters ---- */

struct submitter {
    struct store_writer *w;
    atomic_int *arrived;
    int index;
    int64_t seqs[JOBS_PER_THREAD];
    int failures;
    char phone[16];
};

static void *
submitter_main(void *arg)
{
    struct submitter *s = arg;
    struct reg r = { .a = arena_new(1u << 24), .phone = s->phone };

    snprintf(s->phone, sizeof(s->phone), "1390000%04d", s->index);
    for (int i = 0; i < JOBS_PER_THREAD; i++) {
        struct err e = { 0 };
        if (i == 0)
            atomic_fetch_add(s->arrived, 1);
        r.seq = -1;
        if (r.a == NULL || store_writer_run(s->w, reg_run, &r, &e) < 0) {
            s->failures++;
            continue;
        }
        s->seqs[i] = r.seq;
        arena_reset(r.a);
    }
    arena_free(r.a);
    return NULL;
}

static int
cmp_seq(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

    return x < y ? -1 : x > y;
}

static void
test_writer_many_threads(void **state)
{
    struct fx *f = *state;
    struct store_writer *w = writer_start(f, 64);
    struct submitter *subs = calloc(THREADS, sizeof(*subs));
    int64_t *all = calloc(THREADS * JOBS_PER_THREAD, sizeof(*all));
    struct store_writer_stats stats;
    atomic_int arrived = 0;
    pthread_t t[THREADS];
    struct gate g;
    size_t n = 0;

    assert_non_null(subs);
    assert_non_null(all);
    /* hold the writer until every thread has submitted its first job, so they group */
    gate_submit(w, &g);
    g.arrived = &arrived;
    g.want = THREADS;
    for (int i = 0; i < THREADS; i++) {
        subs[i].w = w;
        subs[i].arrived = &arrived;
        subs[i].index = i;
        assert_int_equal(pthread_create(&t[i], NULL, submitter_main, &subs[i]), 0);
    }
    gate_open(&g);
    for (int i = 0; i < THREADS; i++)
        pthread_join(t[i], NULL);
    gate_wait_finished(&g);

    for (int i = 0; i < THREADS; i++) {
        assert_int_equal(subs[i].failures, 0);
        for (int j = 0; j < JOBS_PER_THREAD; j++) {
            /* one thread's jobs ran one after the other, so its numbers rise */
            if (j > 0)
                assert_true(subs[i].seqs[j] > subs[i].seqs[j - 1]);
            all[n++] = subs[i].seqs[j];
        }
    }
    qsort(all, n, sizeof(*all), cmp_seq);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(all[i], (int64_t)i + 1);

    store_writer_stats(w, &stats);
    assert_int_equal(stats.jobs, THREADS * JOBS_PER_THREAD + 1);
    assert_true(stats.commits <= stats.jobs);
    assert_true(stats.commits >= (THREADS * JOBS_PER_THREAD) / 64);
    assert_true(stats.max_batch > 1);
    assert_true(stats.max_batch <= 64);
    print_message("writer: %lu jobs in %lu commits, largest group %lu\n", stats.jobs,
                  stats.commits, stats.max_batch);
    store_writer_stop(w);
    assert_numbers_gapless(f, THREADS * JOBS_PER_THREAD);
    free(subs);
    free(all);
}

/* ---- queued jobs: the batch limit and stopping ---- */

struct counter {
    pthread_mutex_t lock;
    int done, failed;
};

struct heap_job {
    struct store_job job;       /* first */
    struct reg reg;
    struct counter *count;
};

static int
heap_run(struct store *st, struct store_job *job, struct err *e)
{
    struct heap_job *h = (struct heap_job *)job;

    return reg_run(st, &(struct store_job){ .ctx = &h->reg }, e);
}

/* Frees the job, as a submitter that does not wait may: the writer must not touch it again. */
static void
heap_done(struct store_job *job, int rc, const struct err *e)
{
    struct heap_job *h = (struct heap_job *)job;
    struct counter *c = h->count;

    (void)e;
    arena_free(h->reg.a);
    free(h);
    pthread_mutex_lock(&c->lock);
    c->done++;
    c->failed += rc != 0;
    pthread_mutex_unlock(&c->lock);
}

static void
submit_heap_jobs(struct store_writer *w, struct counter *c, int n)
{
    for (int i = 0; i < n; i++) {
        struct heap_job *h = calloc(1, sizeof(*h));
        assert_non_null(h);
        h->reg.a = arena_new(1u << 22);
        assert_non_null(h->reg.a);
        h->reg.phone = "13900001111";
        h->count = c;
        h->job.run = heap_run;
        h->job.done = heap_done;
        store_writer_submit(w, &h->job);
    }
}

/* Ten jobs queued behind a held writer with batch_max 4: groups of 4, 4 and 2. */
static void
test_writer_stats_groups(void **state)
{
    struct fx *f = *state;
    struct store_writer *w = writer_start(f, 4);
    struct counter c = { .done = 0 };
    struct store_writer_stats stats;
    struct gate g;

    pthread_mutex_init(&c.lock, NULL);
    gate_submit(w, &g);
    submit_heap_jobs(w, &c, 10);
    gate_open(&g);
    gate_wait_finished(&g);
    for (;;) {
        int done;
        pthread_mutex_lock(&c.lock);
        done = c.done;
        pthread_mutex_unlock(&c.lock);
        if (done == 10)
            break;
        usleep(1000);
    }
    /* and one more job on its own */
    {
        struct reg r = { .a = arena_new(1u << 22), .phone = "13900002222" };
        struct err e = { 0 };
        assert_int_equal(store_writer_run(w, reg_run, &r, &e), 0);
        assert_int_equal(r.seq, 11);
        arena_free(r.a);
    }
    store_writer_stats(w, &stats);
    assert_int_equal(stats.jobs, 12);
    assert_int_equal(stats.max_batch, 4);
    assert_int_equal(stats.commits, 5);      /* gate, 4, 4, 2, the last one */
    store_writer_stop(w);
    assert_int_equal(c.done, 10);
    assert_numbers_gapless(f, 11);
    pthread_mutex_destroy(&c.lock);
}

struct stopper {
    struct gate *g;
    atomic_bool stop_called;
};

static void *
opener_main(void *arg)
{
    struct stopper *s = arg;

    while (!atomic_load(&s->stop_called))
        usleep(1000);
    usleep(20000);     /* most likely inside store_writer_stop by now; correct either way */
    gate_open(s->g);
    return NULL;
}

static void
test_writer_stop_drains_queue(void **state)
{
    struct fx *f = *state;
    struct store_writer *w = writer_start(f, 16);
    struct counter c = { .done = 0 };
    struct stopper s = { .stop_called = false };
    struct gate g;
    pthread_t t;

    pthread_mutex_init(&c.lock, NULL);
    gate_submit(w, &g);
    submit_heap_jobs(w, &c, 100);
    s.g = &g;
    assert_int_equal(pthread_create(&t, NULL, opener_main, &s), 0);
    atomic_store(&s.stop_called, true);
    store_writer_stop(w);    /* returns only when all 100 queued jobs are done */
    assert_int_equal(c.done, 100);
    assert_int_equal(c.failed, 0);
    pthread_join(t, NULL);
    gate_wait_finished(&g);
    assert_numbers_gapless(f, 100);
    pthread_mutex_destroy(&c.lock);
    store_writer_stop(NULL);   /* a no-op */
}

/* ---- submitting while the writer closes ---- */

struct hammer {
    struct store_writer *w;
    atomic_long submitted, done, busy;
    atomic_bool close_returned;
};

struct tiny_job {
    struct store_job job;    /* first */
    struct hammer *h;
};

static int
tiny_run(struct store *st, struct store_job *job, struct err *e)
{
    (void)st;
    (void)job;
    (void)e;
    return 0;
}

static void
tiny_done(struct store_job *job, int rc, const struct err *e)
{
    struct tiny_job *t = (struct tiny_job *)job;
    struct hammer *h = t->h;

    if (rc < 0 && e->code == ERR_BUSY)
        atomic_fetch_add(&h->busy, 1);
    free(t);
    atomic_fetch_add(&h->done, 1);
}

#define HAMMER_MAX 5000000L   /* a close that never returns while jobs keep coming */

static void *
hammer_main(void *arg)
{
    struct hammer *h = arg;
    bool last = false;

    /* submit until refused, and once more after the close returned: every job must end */
    while (!last && atomic_load(&h->submitted) < HAMMER_MAX) {
        struct tiny_job *t = calloc(1, sizeof(*t));
        if (t == NULL)
            break;
        last = atomic_load(&h->close_returned);
        t->h = h;
        t->job.run = tiny_run;
        t->job.done = tiny_done;
        atomic_fetch_add(&h->submitted, 1);
        store_writer_submit(h->w, &t->job);
        if (atomic_load(&h->submitted) % 64 == 0)
            sched_yield();    /* let the closing thread run (valgrind runs one at a time) */
    }
    return NULL;
}

/*
 * Jobs submitted while the writer closes: each one is either run or refused
 * with ERR_BUSY, none is queued after the thread's last look at the queue
 * (it would never end), and the close does not wait for a stream of new jobs.
 */
static void
test_writer_submit_while_closing_loses_nothing(void **state)
{
    struct fx *f = *state;

    for (int round = 0; round < 40; round++) {
        struct hammer h = { .w = NULL };
        struct err e = { 0 };
        struct store *st = store_sqlite_open(f->path, &e);
        pthread_t t;
        int waited = 0;

        assert_non_null(st);
        assert_int_equal(st->ops->set_durable(st, false, &e), 0);
        h.w = store_writer_start(st, 64, &e);
        assert_non_null(h.w);
        assert_int_equal(pthread_create(&t, NULL, hammer_main, &h), 0);
        while (atomic_load(&h.submitted) < 50 + 10 * round)
            usleep(100);
        store_writer_close(h.w);     /* the writer stays allocated: submits are refused */
        atomic_store(&h.close_returned, true);
        pthread_join(t, NULL);
        if (atomic_load(&h.submitted) >= HAMMER_MAX)
            fail_msg("round %d: the close waited for %ld jobs", round, HAMMER_MAX);
        while (atomic_load(&h.done) < atomic_load(&h.submitted) && waited++ < 2000)
            usleep(1000);
        if (atomic_load(&h.done) != atomic_load(&h.submitted))
            fail_msg("round %d: %ld jobs submitted, %ld ended", round,
                     atomic_load(&h.submitted), atomic_load(&h.done));
        assert_true(atomic_load(&h.busy) >= 1);
        store_writer_close(h.w);     /* again: a no-op */
        store_writer_stop(h.w);
    }
}

static int
fail_with_reason(struct store *st, struct store_job *job, struct err *e)
{
    (void)st;
    (void)job;
    return err_set(e, ERR_CONFLICT, "status", "closed", "the complaint is closed");
}

static int
fail_without_reason(struct store *st, struct store_job *job, struct err *e)
{
    (void)st;
    (void)job;
    (void)e;
    return -1;
}

static void
test_writer_run_reports_errors(void **state)
{
    struct fx *f = *state;
    struct store_writer *w = writer_start(f, 8);
    struct reg r = { .a = arena_new(1u << 22), .phone = "13900003333" };
    struct err e = { 0 };

    assert_int_equal(store_writer_run(w, fail_with_reason, NULL, &e), -1);
    assert_int_equal(e.code, ERR_CONFLICT);
    assert_string_equal(e.field, "status");
    assert_string_equal(e.reason, "closed");
    e = (struct err){ 0 };
    /* a job that fails without saying why is a bug, and reported as one */
    assert_int_equal(store_writer_run(w, fail_without_reason, NULL, &e), -1);
    assert_int_equal(e.code, ERR_INTERNAL);
    e = (struct err){ 0 };
    assert_int_equal(store_writer_run(w, reg_run, &r, &e), 0);
    assert_int_equal(e.code, ERR_OK);
    assert_int_equal(r.seq, 1);
    /* the caller's error is untouched on success and its first error kept on failure */
    e = (struct err){ .code = ERR_BUSY };
    assert_int_equal(store_writer_run(w, fail_with_reason, NULL, &e), -1);
    assert_int_equal(e.code, ERR_BUSY);
    store_writer_stop(w);
    arena_free(r.a);
    assert_numbers_gapless(f, 1);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_writer_many_threads, setup, teardown),
        cmocka_unit_test_setup_teardown(test_writer_stats_groups, setup, teardown),
        cmocka_unit_test_setup_teardown(test_writer_stop_drains_queue, setup, teardown),
        cmocka_unit_test_setup_teardown(test_writer_run_reports_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_writer_submit_while_closing_loses_nothing, setup,
                                        teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
