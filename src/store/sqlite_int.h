#ifndef KESU_STORE_SQLITE_INT_H
#define KESU_STORE_SQLITE_INT_H

/*
 * Internals of the SQLite backend shared by its files: store_sqlite.c holds
 * the registry, accounts and the life of a complaint; the ops of later
 * features live in files of their own (store_sqlite_<area>.c) and reach the
 * connection and the common helpers through this header. Nothing outside
 * src/store/store_sqlite*.c includes it.
 */
#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/store.h"
#include "util/arena.h"
#include "util/err.h"

/* The connection of a struct store of the SQLite backend. */
sqlite3 *sqlx_db(struct store *st);
/*
 * A statement for `sql`, prepared on first use on this connection and kept
 * until it closes. `sql` must be a string literal (or otherwise live as long
 * as the program): statements are found again by its address. Reset and
 * clear it with sqlx_done after use.
 */
sqlite3_stmt *sqlx_stmt(struct store *st, const char *sql, struct err *e);
void sqlx_done(sqlite3_stmt *stmt);
/* Map an SQLite result code to an error (ERR_BUSY, ERR_NOMEM, ERR_STORE); returns -1. */
int sqlx_fail(struct store *st, int rc, const char *what, struct err *e);
/* Run SQL without results (several statements allowed). */
int sqlx_exec(struct store *st, const char *sql, struct err *e);
/* Step a statement that changes rows to its end; then sqlx_done. */
int sqlx_step_done(struct store *st, sqlite3_stmt *stmt, const char *what, struct err *e);
/* Bind text, NULL as SQL NULL. */
int sqlx_bind_text(sqlite3_stmt *stmt, int i, const char *s);
/* A column as an arena string (NULL stays NULL); *oom set when the arena is full. */
const char *sqlx_col_text(sqlite3_stmt *stmt, int i, struct arena *a, bool *oom);
/* ERR_TOO_LARGE when the arena reached its limit, else ERR_NOMEM; returns -1. */
int sqlx_oom(struct arena *a, struct err *e);
/*
 * Step through the rows of `stmt`, reading each with rd into an array of
 * `size`-byte items (zeroed first) from the arena. Does not reset stmt.
 */
typedef int (*sqlx_row_fn)(sqlite3_stmt *stmt, struct arena *a, void *item);
int sqlx_rows(struct store *st, sqlite3_stmt *stmt, struct arena *a, size_t size, sqlx_row_fn rd,
              const char *what, void **out, size_t *n, struct err *e);

/*
 * Code run in the transaction of a migration, after its SQL: the defaults
 * that are data (the official holiday schedule, message templates, the
 * time-limit policy and escalation rules). Each in its area's file.
 */
int sqlx_seed_calendar(struct store *st, int64_t now, struct err *e);  /* migration 6 */
int sqlx_seed_notify(struct store *st, int64_t now, struct err *e);    /* migration 7 */
int sqlx_seed_sched(struct store *st, int64_t now, struct err *e);     /* migration 8 */
/*
 * The time-limit policy fitted to grading preset p: rows of grades that are
 * not p's levels are removed, and p's top grade gets its resolve row (20
 * working days) unless it has one. When the policy is seeded (migration 8),
 * repaired (migration 9) and when the grading preset changes.
 */
struct grade_preset;
int sqlx_policy_levels(struct store *st, const struct grade_preset *p, int64_t now,
                       struct err *e);

#endif
