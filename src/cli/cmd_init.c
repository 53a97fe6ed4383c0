#include "cli/cli.h"
#include "cli/text.h"
#include "core/grading.h"
#include "store/store.h"
#include "util/arena.h"
#include "util/ts.h"

#include <stdio.h>
#include <string.h>

/*
 * Choose the grading preset; a change is recorded in the audit log
 * ("grading.preset", the new preset, {"from": the old one}) in the same
 * transaction. The preset in use again: nothing to do, nothing recorded.
 */
static int
set_grading(struct store *st, const char *preset, int64_t now, struct err *e)
{
    struct arena *a = arena_new(1 << 20);
    struct grade_rule_row *rows;
    const char *have = NULL;
    char detail[128];
    size_t n;
    int rc = -1;

    if (a == NULL)
        return err_set(e, ERR_NOMEM, NULL, "nomem", "grading");
    if (st->ops->grade_rule_list(st, a, &have, &rows, &n, e) < 0)
        goto out;
    if (strcmp(have, preset) == 0) {
        rc = 0;
        goto out;
    }
    /* both names are presets' own (core/grading_presets.c): nothing to escape */
    snprintf(detail, sizeof(detail), "{\"from\":\"%s\"}", have);
    if (store_tx_begin(st, e) < 0)
        goto out;
    if (st->ops->grade_preset_set(st, preset, e) < 0 ||
        cli_audit_append(st, "grading.preset", preset, detail, now, e) < 0 ||
        store_tx_commit(st, e) < 0) {
        store_tx_rollback(st);
        goto out;
    }
    rc = 0;
out:
    arena_free(a);
    return rc;
}

/*
 * `kesu init [--preset NAME] [--grading NAME]`: migrate, then choose the
 * grading preset when one is named (migration 5 starts every database on
 * "property"; choosing the one in use again changes nothing, so the option
 * can stay in a deployment script), then the first administrator.
 */
int
cli_init(int argc, char **argv)
{
    static const char *const extra[] = { "--preset", "--grading", NULL };
    const char *values[2];
    struct config cfg;
    struct err e = { 0 };
    struct store *st;
    int rc, version = 0;

    rc = cli_options(argc, argv, cli_text(MSG_USAGE_INIT), extra, values, &cfg);
    if (rc != 0)
        return rc > 0 ? 0 : 2;
    /* a misspelt scheme stops the run before anything is written */
    if (values[1] != NULL && core_grade_preset_find(values[1]) == NULL) {
        fprintf(stderr, cli_text(MSG_GRADING_UNKNOWN), values[1]);
        fputs(cli_text(MSG_USAGE_INIT), stderr);
        return 2;
    }
    st = store_open(cfg.db_path, &e);
    if (st == NULL) {
        cli_error(cfg.db_path, &e);
        return 1;
    }
    rc = store_migrate(st, values[0], ts_now() + cfg.clock_offset, &version, &e);
    if (rc == 0 && values[1] != NULL)
        rc = set_grading(st, values[1], ts_now() + cfg.clock_offset, &e);
    if (rc == 0)
        rc = cli_first_admin(st, ts_now() + cfg.clock_offset, &e);
    store_close(st);
    if (rc < 0) {
        cli_error("init", &e);
        return 1;
    }
    printf(cli_text(MSG_SCHEMA_AT), cfg.db_path, version);
    if (values[1] != NULL)
        printf(cli_text(MSG_GRADING_AT), cfg.db_path, values[1]);
    return 0;
}
