/*
 * The SQLite backend's ops for sched (issue 5). See store.h for the contracts.
 */
#include "store/sqlite_int.h"

int
sqlx_seed_sched(struct store *st, int64_t now, struct err *e)
{
    (void)st;
    (void)now;
    (void)e;
    return 0;
}
