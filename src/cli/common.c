/*
 * What several `kesu` subcommands share once they hold a store: opening it
 * at the right schema version, and recording their changes in the audit log.
 */
#include "cli/cli.h"
#include "cli/text.h"
#include "store/store.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>

struct store *
cli_store_open(const struct config *cfg)
{
    struct err e = { 0 };
    struct store *st = store_open(cfg->db_path, &e);
    int version = 0;

    if (st == NULL || st->ops->health(st, &version, &e) < 0) {
        cli_error(cfg->db_path, &e);
        store_close(st);
        return NULL;
    }
    if (version != STORE_SCHEMA_VERSION) {
        fprintf(stderr, cli_text(MSG_NOT_INITIALISED), cfg->db_path, cfg->db_path);
        store_close(st);
        return NULL;
    }
    return st;
}

int
cli_audit_append(struct store *st, const char *action, const char *object, const char *detail,
                 int64_t now, struct err *e)
{
    struct audit_entry en = { .at = now, .address = "cli", .action = action, .object = object,
                              .detail = detail ? detail : "{}" };

    return st->ops->audit_append(st, &en, e);
}

int
cli_audit_role(struct store *st, const char *login, const struct membership *m, int64_t now,
               struct err *e)
{
    json_t *o = json_pack("{s:s, s:s?}", "role", m->role, "project", m->project);
    char *detail = o ? json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    int rc;

    json_decref(o);
    if (detail == NULL)
        return err_set(e, ERR_NOMEM, NULL, "nomem", "audit detail");
    rc = cli_audit_append(st, "user.role", login, detail, now, e);
    free(detail);
    return rc;
}
