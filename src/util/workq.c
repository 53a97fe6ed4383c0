#include "util/workq.h"
#include "util/alloc.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

struct job {
    workq_fn fn;
    void *arg;
};

struct workq {
    pthread_mutex_t lock; /* guards the ring and stopping */
    pthread_cond_t wake;  /* a job was queued, or stopping was set */
    struct job *ring;     /* max slots, allocated once */
    size_t max;           /* most jobs waiting */
    size_t head;          /* slot of the oldest waiting job */
    size_t count;         /* jobs waiting */
    bool stopping;        /* workq_free began: refuse, drain, end */
    unsigned n_threads;   /* workers started, all to be joined */
    pthread_t *threads;
};

/* The next job, or false when the queue is empty and stopping: the worker ends. */
static bool
take(struct workq *q, struct job *out)
{
    bool got = false;

    pthread_mutex_lock(&q->lock);
    while (q->count == 0 && !q->stopping)
        pthread_cond_wait(&q->wake, &q->lock);
    if (q->count > 0) {
        *out = q->ring[q->head];
        q->head = (q->head + 1) % q->max;
        q->count--;
        got = true;
    }
    pthread_mutex_unlock(&q->lock);
    return got;
}

static void *
worker_main(void *arg)
{
    struct workq *q = arg;
    struct job job;

    pthread_setname_np(pthread_self(), "kesu-workq");
    while (take(q, &job))
        job.fn(job.arg);
    return NULL;
}

/* Wake every worker and wait for them: they run what is queued, then end. */
static void
stop_and_join(struct workq *q)
{
    pthread_mutex_lock(&q->lock);
    q->stopping = true;
    pthread_cond_broadcast(&q->wake);
    pthread_mutex_unlock(&q->lock);
    for (unsigned i = 0; i < q->n_threads; i++)
        pthread_join(q->threads[i], NULL);
}

static void
release(struct workq *q)
{
    pthread_mutex_destroy(&q->lock);
    pthread_cond_destroy(&q->wake);
    alloc_free(q->threads);
    alloc_free(q->ring);
    alloc_free(q);
}

static struct workq *
alloc_queue(unsigned threads, size_t queue_max)
{
    struct workq *q = alloc_malloc(sizeof(*q));

    if (q == NULL)
        return NULL;
    memset(q, 0, sizeof(*q));
    q->max = queue_max;
    if (queue_max <= SIZE_MAX / sizeof(*q->ring)) /* else the size would wrap: no memory */
        q->ring = alloc_malloc(queue_max * sizeof(*q->ring));
    q->threads = alloc_malloc(threads * sizeof(*q->threads));
    if (q->ring == NULL || q->threads == NULL) {
        alloc_free(q->ring);
        alloc_free(q->threads);
        alloc_free(q);
        return NULL;
    }
    return q;
}

struct workq *
workq_new(unsigned threads, size_t queue_max, struct err *e)
{
    struct workq *q;

    q = alloc_queue(threads ? threads : 1, queue_max ? queue_max : 1);
    if (q == NULL) {
        err_set(e, ERR_NOMEM, NULL, "nomem", "work queue");
        return NULL;
    }
    pthread_mutex_init(&q->lock, NULL);
    pthread_cond_init(&q->wake, NULL);
    for (unsigned n = threads ? threads : 1; q->n_threads < n; q->n_threads++) {
        if (pthread_create(&q->threads[q->n_threads], NULL, worker_main, q) != 0) {
            err_set(e, ERR_INTERNAL, NULL, "internal", "cannot start work queue thread %u of %u",
                    q->n_threads + 1, n);
            stop_and_join(q);
            release(q);
            return NULL;
        }
    }
    return q;
}

int
workq_submit(struct workq *q, workq_fn fn, void *arg, struct err *e)
{
    size_t waiting;

    pthread_mutex_lock(&q->lock);
    waiting = q->count;
    if (waiting < q->max && !q->stopping) {
        q->ring[(q->head + q->count) % q->max] = (struct job){fn, arg};
        q->count++;
        pthread_cond_signal(&q->wake);
        pthread_mutex_unlock(&q->lock);
        return 0;
    }
    pthread_mutex_unlock(&q->lock);
    if (waiting < q->max)
        return err_set(e, ERR_BUSY, NULL, "busy", "the work queue is stopping");
    return err_set(e, ERR_BUSY, NULL, "busy", "%zu jobs already wait", waiting);
}

size_t
workq_waiting(struct workq *q)
{
    size_t n;

    pthread_mutex_lock(&q->lock);
    n = q->count;
    pthread_mutex_unlock(&q->lock);
    return n;
}

void
workq_free(struct workq *q)
{
    if (q == NULL)
        return;
    stop_and_join(q);
    release(q);
}
