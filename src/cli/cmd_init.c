#include "cli/cli.h"
#include "cli/text.h"
#include "store/store.h"
#include "util/ts.h"

#include <stdio.h>

int
cli_init(int argc, char **argv)
{
    static const char *const extra[] = { "--preset", NULL };
    const char *values[1];
    struct config cfg;
    struct err e = { 0 };
    struct store *st;
    int rc, version = 0;

    rc = cli_options(argc, argv, cli_text(MSG_USAGE_INIT), extra, values, &cfg);
    if (rc != 0)
        return rc > 0 ? 0 : 2;
    st = store_open(cfg.db_path, &e);
    if (st == NULL) {
        cli_error(cfg.db_path, &e);
        return 1;
    }
    rc = store_migrate(st, values[0], ts_now() + cfg.clock_offset, &version, &e);
    if (rc == 0)
        rc = cli_first_admin(st, ts_now() + cfg.clock_offset, &e);
    store_close(st);
    if (rc < 0) {
        cli_error("init", &e);
        return 1;
    }
    printf(cli_text(MSG_SCHEMA_AT), cfg.db_path, version);
    return 0;
}
