/*
 * `kesu audit verify`: walk the audit log in id order and check every link
 * of its hash chain (core/audit.h). A log of millions of entries is read in
 * pages, each from a reset arena, so memory stays flat.
 */
#include "cli/cli.h"
#include "cli/text.h"
#include "core/audit.h"
#include "store/store.h"
#include "util/arena.h"

#include <stdio.h>
#include <string.h>

#define PAGE 1000
#define PAGE_ARENA (64u << 20)   /* a page of entries with their detail text */

static struct store *
open_store(const struct config *cfg)
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
        fprintf(stderr, cli_text(MSG_SCHEMA_MISMATCH), cfg->db_path, version,
                STORE_SCHEMA_VERSION, cfg->db_path);
        store_close(st);
        return NULL;
    }
    return st;
}

static enum cli_msg
reason_text(const char *reason)
{
    if (strcmp(reason, "gap") == 0)
        return MSG_AUDIT_GAP;
    if (strcmp(reason, "broken_link") == 0)
        return MSG_AUDIT_BROKEN_LINK;
    return MSG_AUDIT_ALTERED;
}

/*
 * Check the whole chain. Returns 1 when an entry fails its check (printed),
 * 0 when every entry holds, -1 when the store failed (in `e`).
 */
static int
verify(struct store *st, struct err *e)
{
    struct arena *a = arena_new(PAGE_ARENA);
    unsigned char prev[CORE_AUDIT_HASH] = { 0 };   /* the genesis link */
    int64_t last = 0;
    char head[2 * CORE_AUDIT_HASH + 1] = "-";
    int rc = -1;

    if (a == NULL)
        return err_set(e, ERR_NOMEM, NULL, "nomem", "arena");
    for (;;) {
        struct audit_entry *page;
        size_t n;
        arena_reset(a);
        if (st->ops->audit_scan(st, last, PAGE, a, &page, &n, e) < 0)
            goto out;
        if (n == 0)
            break;
        for (size_t i = 0; i < n; i++) {
            struct err bad = { 0 };
            if (core_audit_check(&page[i], last + 1, prev, &bad) < 0) {
                printf(cli_text(MSG_AUDIT_BROKEN), (long long)page[i].id,
                       cli_text(reason_text(bad.reason)), bad.reason);
                rc = 1;
                goto out;
            }
            last = page[i].id;
            memcpy(prev, page[i].hash, sizeof(prev));
        }
    }
    if (last > 0)
        for (size_t i = 0; i < CORE_AUDIT_HASH; i++)
            snprintf(head + 2 * i, 3, "%02x", prev[i]);
    /* the last hash is printed so it can be kept elsewhere: the chain alone cannot show a cut tail */
    printf(cli_text(MSG_AUDIT_OK), (long long)last, head);
    rc = 0;
out:
    arena_free(a);
    return rc;
}

int
cli_audit(int argc, char **argv)
{
    struct config cfg;
    struct store *st;
    struct err e = { 0 };
    int rc;

    if (argc == 0 || strcmp(argv[0], "--help") == 0 || strcmp(argv[0], "-h") == 0) {
        fputs(cli_text(MSG_USAGE_AUDIT), argc == 0 ? stderr : stdout);
        return argc == 0 ? 2 : 0;
    }
    if (strcmp(argv[0], "verify") != 0) {
        fprintf(stderr, cli_text(MSG_UNKNOWN_COMMAND), argv[0]);
        fputs(cli_text(MSG_USAGE_AUDIT), stderr);
        return 2;
    }
    rc = cli_options(argc - 1, argv + 1, cli_text(MSG_USAGE_AUDIT), NULL, NULL, &cfg);
    if (rc != 0)
        return rc > 0 ? 0 : 2;
    st = open_store(&cfg);
    if (st == NULL)
        return 1;
    rc = verify(st, &e);
    store_close(st);
    if (rc < 0) {
        cli_error("audit verify", &e);
        return 1;
    }
    return rc;
}
