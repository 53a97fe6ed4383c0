#ifndef KESU_STORE_SCHEMA_SQLITE_H
#define KESU_STORE_SCHEMA_SQLITE_H

/*
 * The SQLite schema as numbered migrations. A migration is never edited once
 * released: a change is a new entry at the end. `kesu init` applies the ones
 * a database lacks, each in its own transaction, and records them in
 * schema_migrations.
 */
struct sqlite_migration {
    int version;
    const char *name;
    const char *sql;
};

extern const struct sqlite_migration sqlite_migrations[];  /* ends with { 0, NULL, NULL } */

#endif
