/*
 * `kesu tick`: the deadline scheduler's work done once, from the command
 * line (cron, tests, or a server run with scheduler = false). The same
 * batches as the thread inside `kesu serve`, under the same lease.
 */
#include "cli/cli.h"
#include "cli/text.h"
#include "sched/sched.h"
#include "store/store.h"
#include "util/arena.h"
#include "util/timesrc.h"

#include <stdio.h>
#include <string.h>

#define BATCH_ARENA (64u << 20)

/* One transaction of work; *held false when another process holds the lease. */
static int
one_batch(struct store *st, const struct config *cfg, const char *holder, int64_t now,
          struct svc_tick *total, bool *held, bool *more, struct err *e)
{
    struct arena *a = arena_new(BATCH_ARENA);
    struct svc_ctx x = { .a = a, .now = now, .actor = NULL, .tz_min = cfg->tz_offset_min };
    struct svc_tick t = { 0 };
    int rc;

    if (a == NULL)
        return err_set(e, ERR_NOMEM, NULL, "nomem", "arena");
    rc = store_tx_begin(st, e);
    if (rc == 0)
        rc = sched_batch(st, holder, cfg->scheduler_lease, cfg->scheduler_batch, &x, &t, held,
                         more, e);
    if (rc == 0)
        rc = store_tx_commit(st, e);
    if (rc < 0)
        store_tx_rollback(st);
    arena_free(a);
    total->reminders += t.reminders;
    total->overdue += t.overdue;
    total->regraded += t.regraded;
    total->notices += t.notices;
    total->backfilled += t.backfilled;
    return rc;
}

int
cli_tick(int argc, char **argv)
{
    struct config cfg;
    struct store *st;
    struct timesrc clock;
    struct svc_tick total = { 0 };
    struct err e = { 0 };
    char holder[128];
    bool held = false, more = true;
    int rc;

    rc = cli_options(argc, argv, cli_text(MSG_USAGE_TICK), NULL, NULL, &cfg);
    if (rc != 0)
        return rc > 0 ? 0 : 2;
    if (timesrc_init(&clock, &cfg, &e) < 0) {
        cli_error("tick", &e);
        return 2;
    }
    if ((st = cli_store_open(&cfg)) == NULL)
        return 1;
    sched_holder_name(holder, sizeof(holder));
    while (more && (rc = one_batch(st, &cfg, holder, timesrc_now(&clock), &total, &held, &more,
                                   &e)) == 0 && held)
        ;
    if (rc == 0 && !held) {
        struct lease l;
        struct arena *a = arena_new(1u << 20);
        if (a != NULL && st->ops->lease_get(st, "deadlines", a, &l, &e) == 0)
            fprintf(stderr, cli_text(MSG_TICK_NOT_HELD), l.holder);
        arena_free(a);
        store_close(st);
        return 1;
    }
    /* let the next scheduler take over at once rather than wait for the lease to expire */
    if (rc == 0)
        rc = st->ops->lease_acquire(st, "deadlines", holder, 0, 0, &held, &e);
    store_close(st);
    if (rc < 0) {
        cli_error("tick", &e);
        return 1;
    }
    printf(cli_text(MSG_TICK_DONE), total.reminders, total.overdue, total.regraded,
           total.notices, total.backfilled);
    return 0;
}
