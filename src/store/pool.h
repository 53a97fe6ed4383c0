#ifndef KESU_STORE_POOL_H
#define KESU_STORE_POOL_H

#include <stddef.h>

#include "store/store.h"

/*
 * A bounded pool of read connections, opened on first need. Reads run on
 * the HTTP threads; in WAL mode they never wait for the writer.
 */
struct store_pool;

struct store_pool *store_pool_new(const char *url, size_t size, struct err *e);
/* The same, with store_pool_get waiting at most `timeout_ms` (store_pool_new: 5000). */
struct store_pool *store_pool_new_timeout(const char *url, size_t size, int timeout_ms,
                                          struct err *e);
/*
 * A connection for this thread's use until store_pool_put. Opens one while fewer
 * than `size` are open; otherwise waits for a store_pool_put, and fails with
 * ERR_BUSY after the pool's timeout (5 s), or with the error of a failed open.
 */
struct store *store_pool_get(struct store_pool *p, struct err *e);
void store_pool_put(struct store_pool *p, struct store *st);
void store_pool_free(struct store_pool *p);  /* all connections must be back */

#endif
