#include "cli/cli.h"
#include "cli/text.h"
#include "http/http.h"
#include "store/store.h"
#include "util/log.h"
#include "util/ts.h"

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

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
        fprintf(stderr, cli_text(MSG_SCHEMA_MISMATCH), cfg->db_path, have, want, cfg->db_path);
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

    rc = cli_options(argc, argv, cli_text(MSG_USAGE_SERVE), NULL, NULL, &cfg);
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
    fprintf(stderr, cli_text(MSG_LISTENING), cfg.listen_host, port, cfg.db_path);
    sigwait(&set, &sig);
    log_info("serve: stopping on signal %d", sig);
    http_server_stop(srv);
    return 0;
}
