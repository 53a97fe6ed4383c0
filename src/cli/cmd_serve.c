#include "cli/cli.h"
#include "http/http.h"
#include "store/store.h"
#include "util/log.h"
#include "util/ts.h"

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

static const char usage[] =
    "usage: kesu serve [--db PATH] [--listen HOST:PORT] [--config FILE]\n"
    "\n"
    "Serve the HTTP API (and later the web front end) until SIGINT or SIGTERM.\n"
    "The database must have been created with `kesu init`.\n"
    "\n"
    "  --db PATH           database file (default kesu.db; env KESU_DB)\n"
    "  --listen HOST:PORT  address to listen on (default 127.0.0.1:8080; port 0\n"
    "                      picks a free port; env KESU_LISTEN)\n"
    "  --config FILE       configuration file (default ./kesu.conf when present)\n"
    "\n"
    "Every setting of kesu.conf can also be given as KESU_<KEY>, e.g.\n"
    "KESU_ATTACHMENT_MAX=10485760 or KESU_CLOCK_OFFSET=86400.\n";

/* Refuse to serve a database that `kesu init` has not brought up to date. */
static int
check_schema(const struct config *cfg)
{
    struct err e = { 0 };
    struct store *st = store_open(cfg->db_path, &e);
    int have = 0, want = 0, rc;

    if (st == NULL) {
        cli_error(cfg->db_path, &e);
        return -1;
    }
    rc = st->ops->health(st, &have, &e);
    store_close(st);
    if (rc < 0) {
        cli_error(cfg->db_path, &e);
        return -1;
    }
    want = STORE_SCHEMA_VERSION;
    if (have != want) {
        fprintf(stderr,
                "kesu: database '%s' is at schema version %d, this kesu needs %d:"
                " run `kesu init --db %s` first\n",
                cfg->db_path, have, want, cfg->db_path);
        return -1;
    }
    return 0;
}

int
cli_serve(int argc, char **argv)
{
    struct config cfg;
    struct http_server *srv;
    struct err e = { 0 };
    enum log_level level = LOG_INFO;
    sigset_t set;
    int rc, port = 0, sig = 0;

    rc = cli_options(argc, argv, usage, NULL, NULL, &cfg);
    if (rc != 0)
        return rc > 0 ? 0 : 2;
    if (log_level_parse(cfg.log_level, &level) == 0)
        log_set_level(level);
    if (check_schema(&cfg) < 0)
        return 1;
    /* block the signals in every thread; this one waits for them */
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);
    srv = http_server_start(&cfg, &port, &e);
    if (srv == NULL) {
        cli_error("serve", &e);
        return 1;
    }
    fprintf(stderr, "kesu: listening on http://%s:%d (database '%s')\n", cfg.listen_host, port,
            cfg.db_path);
    sigwait(&set, &sig);
    log_info("serve: stopping on signal %d", sig);
    http_server_stop(srv);
    return 0;
}
