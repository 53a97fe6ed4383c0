#include "sched/sched.h"
#include "util/alloc.h"
#include "util/arena.h"
#include "util/log.h"

#include <errno.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define LEASE "deadlines"
#define BATCH_ARENA (64u << 20)

struct sched {
    struct store_writer *writer;
    const struct timesrc *clock;
    int interval_ms, ttl, limit, tz_min;
    char holder[128];
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    bool stop;
    bool held;              /* for the log: report changes of hands once */
};

void
sched_holder_name(char *buf, size_t size)
{
    char host[64] = "kesu";
    unsigned char r[4];

    gethostname(host, sizeof(host) - 1);
    host[sizeof(host) - 1] = '\0';
    randombytes_buf(r, sizeof(r));
    snprintf(buf, size, "%s:%ld:%02x%02x%02x%02x", host, (long)getpid(), r[0], r[1], r[2], r[3]);
}

static char *
summary_json(struct arena *a, const struct svc_tick *t)
{
    return arena_printf(a,
                        "{\"reminders\":%d,\"overdue\":%d,\"regraded\":%d,\"notices\":%d,"
                        "\"backfilled\":%d}",
                        t->reminders, t->overdue, t->regraded, t->notices, t->backfilled);
}

int
sched_batch(struct store *st, const char *holder, int ttl, int limit, struct svc_ctx *x,
            struct svc_tick *t, bool *held, bool *more, struct err *e)
{
    const char *summary;

    *more = false;
    if (st->ops->lease_acquire(st, LEASE, holder, x->now, ttl, held, e) < 0)
        return -1;
    if (!*held)
        return 0;
    memset(t, 0, sizeof(*t));
    if (svc_due_run(st, x, limit, t, more, e) < 0)
        return -1;
    summary = summary_json(x->a, t);
    if (summary == NULL)
        return err_set(e, ERR_NOMEM, NULL, "nomem", "out of memory");
    return st->ops->lease_ticked(st, LEASE, holder, x->now, summary, e);
}

/* ---- the thread ---- */

struct batch_job {
    struct sched *s;
    struct svc_tick tick;
    bool held, more;
};

static int
run_batch(struct store *st, struct store_job *job, struct err *e)
{
    struct batch_job *b = job->ctx;
    struct arena *a = arena_new(BATCH_ARENA);
    struct svc_ctx x;
    int rc;

    if (a == NULL)
        return err_set(e, ERR_NOMEM, NULL, "nomem", "out of memory");
    x.a = a;
    x.now = timesrc_now(b->s->clock);
    x.actor = NULL;
    x.tz_min = b->s->tz_min;
    rc = sched_batch(st, b->s->holder, b->s->ttl, b->s->limit, &x, &b->tick, &b->held, &b->more,
                     e);
    arena_free(a);
    return rc;
}

static bool
stopping(struct sched *s)
{
    bool stop;

    pthread_mutex_lock(&s->lock);
    stop = s->stop;
    pthread_mutex_unlock(&s->lock);
    return stop;
}

static void
tick(struct sched *s)
{
    struct batch_job b = { .s = s };
    struct err e = { 0 };

    do {
        if (store_writer_run(s->writer, run_batch, &b, &e) < 0) {
            log_warn("scheduler: batch failed: %s", e.detail);
            return;
        }
        if (b.held != s->held)
            log_info("scheduler: %s the lease as %s", b.held ? "holds" : "lost", s->holder);
        s->held = b.held;
        if (b.tick.reminders || b.tick.overdue || b.tick.regraded || b.tick.notices ||
            b.tick.backfilled)
            log_info("scheduler: %d reminders, %d overdue, %d regraded, %d notices, "
                     "%d backfilled%s",
                     b.tick.reminders, b.tick.overdue, b.tick.regraded, b.tick.notices,
                     b.tick.backfilled, b.more ? ", more to do" : "");
    } while (b.held && b.more && !stopping(s));
}

static void *
loop(void *arg)
{
    struct sched *s = arg;

    for (;;) {
        struct timespec until;

        tick(s);
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += s->interval_ms / 1000;
        until.tv_nsec += (long)(s->interval_ms % 1000) * 1000000L;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        pthread_mutex_lock(&s->lock);
        while (!s->stop && pthread_cond_timedwait(&s->wake, &s->lock, &until) != ETIMEDOUT)
            ;
        if (s->stop) {
            pthread_mutex_unlock(&s->lock);
            return NULL;
        }
        pthread_mutex_unlock(&s->lock);
    }
}

struct sched *
sched_start(const struct config *cfg, struct store_writer *writer, const struct timesrc *clock,
            struct err *e)
{
    struct sched *s = alloc_malloc(sizeof(*s));

    if (s == NULL) {
        err_set(e, ERR_NOMEM, NULL, "nomem", "scheduler");
        return NULL;
    }
    memset(s, 0, sizeof(*s));
    s->writer = writer;
    s->clock = clock;
    s->interval_ms = cfg->scheduler_interval_ms;
    s->ttl = cfg->scheduler_lease;
    s->limit = cfg->scheduler_batch;
    s->tz_min = cfg->tz_offset_min;
    sched_holder_name(s->holder, sizeof(s->holder));
    pthread_mutex_init(&s->lock, NULL);
    pthread_cond_init(&s->wake, NULL);
    if (pthread_create(&s->thread, NULL, loop, s) != 0) {
        pthread_cond_destroy(&s->wake);
        pthread_mutex_destroy(&s->lock);
        alloc_free(s);
        err_set(e, ERR_INTERNAL, NULL, "internal", "cannot start the scheduler thread");
        return NULL;
    }
    return s;
}

/* Give the lease up (expired at once), so another process need not wait for it to run out. */
static int
release(struct store *st, struct store_job *job, struct err *e)
{
    struct sched *s = job->ctx;
    bool held;

    return st->ops->lease_acquire(st, LEASE, s->holder, 0, 0, &held, e);
}

void
sched_stop(struct sched *s)
{
    struct err e = { 0 };

    if (s == NULL)
        return;
    pthread_mutex_lock(&s->lock);
    s->stop = true;
    pthread_cond_signal(&s->wake);
    pthread_mutex_unlock(&s->lock);
    pthread_join(s->thread, NULL);
    if (s->held && store_writer_run(s->writer, release, s, &e) < 0)
        log_warn("scheduler: could not give the lease up: %s", e.detail);
    pthread_cond_destroy(&s->wake);
    pthread_mutex_destroy(&s->lock);
    alloc_free(s);
}
