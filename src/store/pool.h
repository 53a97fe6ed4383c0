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
/* A connection for this thread's use until store_pool_put; ERR_BUSY after a 5 s wait. */
struct store *store_pool_get(struct store_pool *p, struct err *e);
void store_pool_put(struct store_pool *p, struct store *st);
void store_pool_free(struct store_pool *p);  /* all connections must be back */

#endif
