#ifndef KESU_UTIL_WORKQ_H
#define KESU_UTIL_WORKQ_H

#include <stddef.h>

#include "util/err.h"

/*
 * A fixed pool of worker threads behind a bounded queue, for work too slow
 * for the HTTP threads (password checks: argon2id, ~0.1 s of a core each).
 * A full queue refuses at once instead of waiting, so a flood of logins is
 * answered 503 quickly and never holds the threads other requests need.
 * All memory is allocated by workq_new: the queue is a ring of queue_max slots.
 */
struct workq;

/*
 * Called once, on a worker thread, for each job accepted by workq_submit.
 * `arg` is the submitter's; the queue neither reads nor frees it. Jobs run
 * in the order submitted, up to `threads` at once; one that blocks holds a
 * worker for as long.
 */
typedef void (*workq_fn)(void *arg);

/*
 * Start `threads` workers (0 counts as 1) and a queue of queue_max jobs (0
 * counts as 1). Workers inherit the caller's signal mask: start the queue
 * after blocking the signals the main thread waits for. ERR_NOMEM, or
 * ERR_INTERNAL when a thread cannot start (those started are stopped).
 */
struct workq *workq_new(unsigned threads, size_t queue_max, struct err *e);

/*
 * Queue fn(arg). Never blocks: when queue_max jobs already wait, or the
 * queue is stopping, fails at once with ERR_BUSY, reason "busy", and fn
 * will not be called. On success `e` is untouched.
 */
int workq_submit(struct workq *q, workq_fn fn, void *arg, struct err *e);

/* Jobs queued and not yet started (for the health page). */
size_t workq_waiting(struct workq *q);

/*
 * Stop: jobs already queued still run, then the workers are joined and the
 * memory freed. Submissions during the drain are refused with ERR_BUSY.
 * Must not be called from a job. workq_free(NULL) is a no-op.
 */
void workq_free(struct workq *q);

#endif
