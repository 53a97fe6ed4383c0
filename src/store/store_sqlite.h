#ifndef KESU_STORE_STORE_SQLITE_H
#define KESU_STORE_STORE_SQLITE_H

#include "store/store.h"

/* Open (creating if needed) the SQLite database at `path`. NULL on failure. */
struct store *store_sqlite_open(const char *path, struct err *e);

#endif
