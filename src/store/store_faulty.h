#ifndef KESU_STORE_STORE_FAULTY_H
#define KESU_STORE_STORE_FAULTY_H

#include <stdbool.h>

#include "store/store.h"

/*
 * A test backend that wraps another store and fails on demand, as SQLite's
 * test VFSes fail the Nth I/O call. Every op forwards to the inner store; a
 * fallible op (one that takes a `struct err *`) first counts the call and,
 * when it is the one chosen, fails with ERR_STORE (reason "store") without
 * calling the inner store at all. The void ops (close, tx_rollback,
 * savepoint_rollback) cannot fail, so they always forward and are not
 * counted. ops->name is "faulty".
 *
 * The counters are guarded by a mutex, so a test may arm the store on one
 * thread while another (the writer) uses it.
 */

/*
 * Wrap `inner`, which the new store owns from now on: closing the wrapper
 * closes `inner` too. No fault is armed. On failure (ERR_NOMEM) `inner` is
 * closed and NULL returned; a NULL `inner` gives NULL and leaves `e` as it
 * is, so `store_faulty_wrap(store_sqlite_open(path, e), e)` chains.
 */
struct store *store_faulty_wrap(struct store *inner, struct err *e);

/*
 * Make the `n`th fallible call from now fail (1 = the next one); 0 = never.
 * Resets the counters of store_faulty_calls() and store_faulty_injected().
 */
void store_faulty_fail_at(struct store *st, long n);

/* Like store_faulty_fail_at(), but the `n`th call and every later one fail. */
void store_faulty_fail_sticky(struct store *st, long n);

/*
 * Make the `n`th call of the op named `op` ("tx_commit", "event_append", the
 * member names of struct store_ops) from now fail; other ops pass. `sticky`
 * keeps failing that op afterwards. `op` must be a static string.
 */
void store_faulty_fail_op(struct store *st, const char *op, long n, bool sticky);

/* Fallible calls made since the last store_faulty_fail_*() (or the wrap). */
long store_faulty_calls(struct store *st);

/* Failures injected since the last store_faulty_fail_*() (or the wrap). */
long store_faulty_injected(struct store *st);

/* The wrapped store, still owned by the wrapper (for backend-specific checks). */
struct store *store_faulty_inner(struct store *st);

#endif
