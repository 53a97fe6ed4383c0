#ifndef KESU_STORE_WRITER_H
#define KESU_STORE_WRITER_H

#include <stddef.h>

#include "store/store.h"

/*
 * Group commit. Every write goes to one writer thread that owns the write
 * connection. It takes all the jobs waiting (up to `batch_max`), runs each in
 * its own savepoint inside one transaction, commits once and only then tells
 * each job how it ended. So a job's success means "on disk", one fsync serves
 * many requests, and a job that fails is rolled back alone without touching
 * the others in its group.
 */

struct store_job;

/*
 * Called on the writer thread inside the transaction. Returns 0 or -1 with
 * `e` set; on -1 everything it wrote is rolled back. It must not keep
 * pointers into the store beyond the call.
 */
typedef int (*store_job_run_fn)(struct store *st, struct store_job *job, struct err *e);

/*
 * Called on the writer thread once per job, after the commit (rc 0) or the
 * rollback (rc -1, `e` says why). Called exactly once, and the job is not
 * touched by the writer afterwards, so this may free or reuse it.
 */
typedef void (*store_job_done_fn)(struct store_job *job, int rc, const struct err *e);

struct store_job {
    store_job_run_fn run;
    store_job_done_fn done;
    void *ctx;                   /* the submitter's */
    /* the writer's, not to be touched by the submitter */
    struct store_job *next;
    int rc;
    struct err err;
};

struct store_writer;

/* Start the writer thread on `st`, which it owns from now on. NULL on failure. */
struct store_writer *store_writer_start(struct store *st, size_t batch_max, struct err *e);

/* Queue a job; never blocks on the database. */
void store_writer_submit(struct store_writer *w, struct store_job *job);

/* Submit and wait for the outcome; returns the job's rc, its error in `e`. */
int store_writer_run(struct store_writer *w, store_job_run_fn run, void *ctx, struct err *e);

/*
 * Finish the jobs queued, stop the thread and close the store. Jobs
 * submitted afterwards are not run: their done() is called at once, on the
 * submitting thread, with ERR_BUSY (a server shutting down answers 503).
 */
void store_writer_close(struct store_writer *w);

/* store_writer_close, then free the writer. NULL is a no-op. */
void store_writer_stop(struct store_writer *w);

/* Counters for the log and benchmarks. */
struct store_writer_stats {
    unsigned long commits;   /* transactions committed */
    unsigned long jobs;      /* jobs finished */
    unsigned long max_batch; /* largest group */
};
void store_writer_stats(struct store_writer *w, struct store_writer_stats *out);

#endif
