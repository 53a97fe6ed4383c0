#include "cli/cli.h"
#include "store/store.h"
#include "util/ts.h"

#include <stdio.h>

static const char usage[] =
    "usage: kesu init [--db PATH] [--config FILE] [--preset NAME]\n"
    "\n"
    "Create the database, or bring an existing one up to the current schema.\n"
    "Safe to run again: migrations already applied are skipped.\n"
    "\n"
    "  --db PATH       database file (default kesu.db; env KESU_DB)\n"
    "  --config FILE   configuration file (default ./kesu.conf when present)\n"
    "  --preset NAME   category taxonomy for a new database: property (default),\n"
    "                  realestate, generic, hospital\n";

int
cli_init(int argc, char **argv)
{
    static const char *const extra[] = { "--preset", NULL };
    const char *values[1];
    struct config cfg;
    struct err e = { 0 };
    struct store *st;
    int rc, version = 0;

    rc = cli_options(argc, argv, usage, extra, values, &cfg);
    if (rc != 0)
        return rc > 0 ? 0 : 2;
    st = store_open(cfg.db_path, &e);
    if (st == NULL) {
        cli_error(cfg.db_path, &e);
        return 1;
    }
    rc = store_migrate(st, values[0], ts_now() + cfg.clock_offset, &version, &e);
    store_close(st);
    if (rc < 0) {
        cli_error("init", &e);
        return 1;
    }
    printf("kesu: database '%s' is at schema version %d\n", cfg.db_path, version);
    return 0;
}
