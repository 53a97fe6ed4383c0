#include "store/store.h"
#include "store/store_sqlite.h"

struct store *
store_open(const char *url, struct err *e)
{
    /* only SQLite so far; a "postgresql://" URL will pick the PostgreSQL backend */
    return store_sqlite_open(url, e);
}

void
store_close(struct store *st)
{
    if (st != NULL)
        st->ops->close(st);
}
