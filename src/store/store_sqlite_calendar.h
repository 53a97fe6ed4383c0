#ifndef KESU_STORE_STORE_SQLITE_CALENDAR_H
#define KESU_STORE_STORE_SQLITE_CALENDAR_H

/* The SQLite backend's calendar ops (store.h, migration 6), for its ops table. */
#include "store/store.h"

int sqc_calendar_load(struct store *st, const char *project, struct arena *a,
                      struct calendar *out, struct err *e);
int sqc_calendar_get(struct store *st, const char *project, int64_t from, int64_t to,
                     struct arena *a, struct calendar_record *out, struct err *e);
int sqc_calendar_put(struct store *st, const struct calendar_change *ch, bool *created,
                     struct err *e);
int sqc_calendar_days_put(struct store *st, const char *project,
                          const struct calendar_day_change *days, size_t n, const char *by,
                          int64_t at, struct calendar_days_result *out, struct err *e);

#endif
