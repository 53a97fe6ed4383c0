#include "store/writer.h"
#include "util/alloc.h"
#include "util/log.h"

#include <pthread.h>
#include <stdbool.h>
#include <string.h>

struct store_writer {
    struct store *st;
    size_t batch_max;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    struct store_job *head, *tail;  /* queue, oldest first */
    bool stopping;                  /* asked to stop: drain the queue, then end */
    bool closed;                    /* the thread ended: refuse new jobs */
    struct store_writer_stats stats;
};

/*
 * Run one job in its own savepoint. Returns -1 only when the transaction is
 * no longer sound (a failed job could not be undone): then the whole group
 * must be rolled back, and `why` says so.
 */
static int
run_one(struct store *st, struct store_job *job, struct err *why)
{
    memset(&job->err, 0, sizeof(job->err));
    job->rc = -1;
    if (st->ops->savepoint(st, &job->err) < 0)
        return 0;
    if (job->run(st, job, &job->err) < 0) {
        if (job->err.code == ERR_OK)
            err_set(&job->err, ERR_INTERNAL, NULL, "internal", "job failed without a reason");
        return st->ops->savepoint_rollback(st, why);
    }
    if (st->ops->savepoint_release(st, &job->err) < 0)
        return st->ops->savepoint_rollback(st, why);
    job->rc = 0;
    return 0;
}

static void
fail_all(struct store_job *batch, const struct err *why)
{
    for (struct store_job *j = batch; j != NULL; j = j->next)
        if (j->rc == 0) {
            j->rc = -1;
            j->err = *why;
        }
}

static void
run_batch(struct store_writer *w, struct store_job *batch)
{
    struct err e = { 0 };
    struct store_job *j, *next;
    unsigned long n = 0;
    bool committed = false;

    for (j = batch; j != NULL; j = j->next)
        j->rc = 0;
    if (store_tx_begin(w->st, &e) < 0) {
        fail_all(batch, &e);
    } else {
        /* a job that cannot be undone sinks the group: those run and those not yet */
        for (j = batch; j != NULL && run_one(w->st, j, &e) == 0; j = j->next)
            ;
        if (e.code != ERR_OK) {
            log_error("writer: cannot undo a failed job, the group is rolled back: %s", e.detail);
            store_tx_rollback(w->st);
            fail_all(batch, &e);
        } else if (store_tx_commit(w->st, &e) < 0) {
            log_error("writer: commit failed: %s", e.detail);
            store_tx_rollback(w->st);
            fail_all(batch, &e);
        } else {
            committed = true;
        }
    }
    for (j = batch; j != NULL; j = j->next)
        n++;
    /* counted before anyone is told, so a submitter that saw its job end sees it counted */
    pthread_mutex_lock(&w->lock);
    w->stats.commits += committed;
    w->stats.jobs += n;
    pthread_mutex_unlock(&w->lock);
    for (j = batch; j != NULL; j = next) {
        next = j->next;    /* done() may free the job */
        j->done(j, j->rc, &j->err);
    }
}

static void *
writer_main(void *arg)
{
    struct store_writer *w = arg;

    pthread_setname_np(pthread_self(), "kesu-writer");
    for (;;) {
        struct store_job *batch, *last;
        size_t n = 1;

        pthread_mutex_lock(&w->lock);
        while (w->head == NULL && !w->stopping)
            pthread_cond_wait(&w->wake, &w->lock);
        if (w->head == NULL) {
            pthread_mutex_unlock(&w->lock);
            break;
        }
        batch = last = w->head;
        while (last->next != NULL && n < w->batch_max) {
            last = last->next;
            n++;
        }
        w->head = last->next;
        if (w->head == NULL)
            w->tail = NULL;
        last->next = NULL;
        if (n > w->stats.max_batch)
            w->stats.max_batch = n;
        pthread_mutex_unlock(&w->lock);
        run_batch(w, batch);
    }
    return NULL;
}

struct store_writer *
store_writer_start(struct store *st, size_t batch_max, struct err *e)
{
    struct store_writer *w = alloc_malloc(sizeof(*w));

    if (w == NULL) {
        err_set(e, ERR_NOMEM, NULL, "nomem", "writer");
        return NULL;
    }
    memset(w, 0, sizeof(*w));
    w->st = st;
    w->batch_max = batch_max ? batch_max : 1;
    pthread_mutex_init(&w->lock, NULL);
    pthread_cond_init(&w->wake, NULL);
    if (pthread_create(&w->thread, NULL, writer_main, w) != 0) {
        pthread_mutex_destroy(&w->lock);
        pthread_cond_destroy(&w->wake);
        alloc_free(w);
        err_set(e, ERR_INTERNAL, NULL, "internal", "cannot start the writer thread");
        return NULL;
    }
    return w;
}

void
store_writer_submit(struct store_writer *w, struct store_job *job)
{
    job->next = NULL;
    pthread_mutex_lock(&w->lock);
    /*
     * Refused from the moment a close is asked for, not only once it is done:
     * the thread ends when it finds the queue empty while stopping, so a job
     * queued after that look would never run, and a steady stream of jobs
     * would keep the drain from ever ending.
     */
    if (w->closed || w->stopping) {
        pthread_mutex_unlock(&w->lock);
        memset(&job->err, 0, sizeof(job->err));
        err_set(&job->err, ERR_BUSY, NULL, "busy", "the writer has stopped");
        job->rc = -1;
        job->done(job, -1, &job->err);
        return;
    }
    if (w->tail != NULL)
        w->tail->next = job;
    else
        w->head = job;
    w->tail = job;
    pthread_cond_signal(&w->wake);
    pthread_mutex_unlock(&w->lock);
}

/* A job waited for by its submitter. */
struct sync_job {
    struct store_job job;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    bool finished;
};

static void
sync_done(struct store_job *job, int rc, const struct err *e)
{
    struct sync_job *s = (struct sync_job *)job;

    (void)rc;
    (void)e;
    pthread_mutex_lock(&s->lock);
    s->finished = true;
    pthread_cond_signal(&s->cond);
    pthread_mutex_unlock(&s->lock);
}

int
store_writer_run(struct store_writer *w, store_job_run_fn run, void *ctx, struct err *e)
{
    struct sync_job s = { .job = { .run = run, .done = sync_done, .ctx = ctx } };

    pthread_mutex_init(&s.lock, NULL);
    pthread_cond_init(&s.cond, NULL);
    store_writer_submit(w, &s.job);
    pthread_mutex_lock(&s.lock);
    while (!s.finished)
        pthread_cond_wait(&s.cond, &s.lock);
    pthread_mutex_unlock(&s.lock);
    pthread_mutex_destroy(&s.lock);
    pthread_cond_destroy(&s.cond);
    if (s.job.rc < 0 && e != NULL && e->code == ERR_OK)
        *e = s.job.err;
    return s.job.rc;
}

void
store_writer_stats(struct store_writer *w, struct store_writer_stats *out)
{
    pthread_mutex_lock(&w->lock);
    *out = w->stats;
    pthread_mutex_unlock(&w->lock);
}

void
store_writer_close(struct store_writer *w)
{
    bool was_closed;

    pthread_mutex_lock(&w->lock);
    was_closed = w->closed;
    w->stopping = true;
    pthread_cond_signal(&w->wake);
    pthread_mutex_unlock(&w->lock);
    if (was_closed)
        return;
    pthread_join(w->thread, NULL);
    pthread_mutex_lock(&w->lock);
    w->closed = true;
    pthread_mutex_unlock(&w->lock);
    store_close(w->st);
    w->st = NULL;
}

void
store_writer_stop(struct store_writer *w)
{
    if (w == NULL)
        return;
    store_writer_close(w);
    pthread_mutex_destroy(&w->lock);
    pthread_cond_destroy(&w->wake);
    alloc_free(w);
}
