#ifndef KESU_SCHED_SCHED_H
#define KESU_SCHED_SCHED_H

#include <stdbool.h>
#include <stdint.h>

#include "store/store.h"
#include "store/writer.h"
#include "svc/svc.h"
#include "util/config.h"
#include "util/err.h"
#include "util/timesrc.h"

/*
 * The deadline scheduler (issue 5): a thread of `kesu serve` that, every
 * scheduler_interval_ms, takes the lease "deadlines" and handles what is
 * due (svc_due_run) through the writer, batch after batch until nothing
 * is left. Several processes on one database: only the lease holder works;
 * the lease is renewed in the transaction of every batch, so a process
 * that lost it (stopped, or slower than scheduler_lease seconds) stops at
 * once and another one takes over when it expires.
 */
struct sched;

struct sched *sched_start(const struct config *cfg, struct store_writer *writer,
                          const struct timesrc *clock, struct err *e);
/* Finish the batch in hand and stop. NULL is a no-op. */
void sched_stop(struct sched *s);

/*
 * One batch inside the caller's transaction (the thread's writer job, or
 * `kesu tick`): take or renew the lease for `holder` until now + ttl; when
 * held, handle at most `limit` due points of each queue and record the
 * tick. *held false: another process holds the lease, nothing was done.
 */
int sched_batch(struct store *st, const char *holder, int ttl, int limit, struct svc_ctx *x,
                struct svc_tick *t, bool *held, bool *more, struct err *e);

/* A holder name for this process: "<host>:<pid>:<random>". */
void sched_holder_name(char *buf, size_t size);

#endif
