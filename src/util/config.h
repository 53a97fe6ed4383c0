#ifndef KESU_UTIL_CONFIG_H
#define KESU_UTIL_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "util/err.h"

/*
 * Configuration: defaults, then the file (kesu.conf), then environment
 * variables (KESU_<KEY upper-cased>, e.g. KESU_LISTEN), then command-line
 * flags, each overriding the one before. Every source goes through
 * config_set(), so one function validates every key.
 *
 * File format: UTF-8 text, one `key = value` per line; blank lines and lines
 * whose first non-blank character is '#' are ignored; the value runs to the
 * end of the line with surrounding white space removed and may be wrapped in
 * double quotes (to keep leading/trailing spaces or a '#'). No sections, no
 * comments after a value (a '#' there is part of the value), no escapes. A
 * UTF-8 byte order mark at the start and CRLF line ends are accepted. A key
 * given twice takes its last value.
 */

#define CONFIG_PATH_MAX 1024

struct config {
    char listen_host[256];          /* listen = 127.0.0.1:8080 (host part; "[::1]:8080" is
                                       stored as "::1", as getaddrinfo wants it) */
    int listen_port;                /* 0..65535; 0: the OS chooses (tests) */
    char db_path[CONFIG_PATH_MAX];  /* db = kesu.db: 1-1023 bytes, no control characters */
    char number_prefix[17];         /* number_prefix = KS: 1-16 of A-Z 0-9 */
    int tz_offset_min;              /* timezone = +08:00, as minutes -1439..1439 */
    size_t body_max;                /* body_max = 262144: JSON request bodies, bytes (1 KiB..16 MiB) */
    size_t attachment_max;          /* attachment_max = 20971520 bytes (1 KiB..1 GiB) */
    int threads;                    /* threads = 0 (0: one per core), 0..64 */
    int connection_limit;           /* connection_limit = 1024, 1..100000 */
    int connection_timeout;         /* connection_timeout = 30 seconds, 1..3600 */
    int batch_max;                  /* batch_max = 256: most writes grouped in one commit, 1..10000 */
    int session_idle;               /* session_idle = 7200 seconds without a request ends a
                                       session, 60..604800 */
    int session_max;                /* session_max = 43200 seconds: a session's absolute
                                       limit (a shift), 300..2592000 */
    bool cookie_secure;             /* cookie_secure = false: mark the session cookie Secure
                                       (set true behind HTTPS) */
    int login_threads;              /* login_threads = 1: threads checking passwords, 1..16 */
    int login_queue;                /* login_queue = 16: password checks waiting at most;
                                       beyond, 503 at once, 1..1000 */
    int login_failures_free;        /* login_failures_free = 3: failed sign-ins of one login
                                       before each further one must wait (1 s, 2 s, 4 s ...) */
    int address_failures_free;      /* address_failures_free = 20: the same per client address
                                       (raise it when many staff share one NAT address) */
    int compensation_approval;      /* compensation_approval = 1000 yuan: a compensation above
                                       this needs a manager's approval; -1 never, -1..10^8 */
    int followup_sample_percent;    /* followup_sample_percent = 20: share of a month's closed
                                       complaints the centre calls again, 0..100 */
    int portal_filings_per_hour;    /* portal_filings_per_hour = 10: complaints one client
                                       address may file through the customer portal before
                                       it must wait an hour, 1..100000 */
    char log_level[8];              /* log_level = info: error|warn|info|debug */
    char lang[3];                   /* lang = zh: default language of messages, zh|en */
    long long clock_offset;         /* clock_offset = 0: seconds added to the wall clock
                                       (tests), -TS_MAX..TS_MAX */
    char clock_fixed[40];           /* clock_fixed = "": a fixed time the clock shows
                                       ("2026-02-10T09:00+08:00"); tests only */
    char clock_file[CONFIG_PATH_MAX]; /* clock_file = "": read the time from this file
                                       (one ISO time) at every reading; tests move time */
    char web_root[CONFIG_PATH_MAX]; /* web_root = "": serve the web front end from this
                                       directory instead of the copy built in (development) */
    /* deadlines (issue 5) */
    bool scheduler;                 /* scheduler = true: run the deadline scheduler in serve */
    int scheduler_interval_ms;      /* scheduler_interval_ms = 30000: between ticks, 50..3600000 */
    int scheduler_lease;            /* scheduler_lease = 120 seconds a lease lasts, 2..86400 */
    int scheduler_batch;            /* scheduler_batch = 200: due points per transaction, 1..10000 */
    /* notifications (issue 5) */
    char smtp_url[256];             /* smtp_url = "": the relay, smtp://host:port ("" no e-mail) */
    char smtp_from[256];            /* smtp_from = kesu@localhost: the sender address */
    char smtp_user[128];            /* smtp_user = "": for a relay that wants to sign in */
    char smtp_password[128];        /* smtp_password = "" (never logged) */
    int delivery_attempts;          /* delivery_attempts = 6: tries before the dead-letter list,
                                       1..50 */
    int delivery_backoff;           /* delivery_backoff = 30 seconds before the 2nd try, doubling
                                       after each (30 s, 60 s, 120 s ...), 1..86400 */
    int delivery_timeout;           /* delivery_timeout = 10 seconds per try, 1..300 */
    int delivery_interval_ms;       /* delivery_interval_ms = 1000: how often the sender looks
                                       for due deliveries, 20..600000 */
};

void config_defaults(struct config *c);

/*
 * Set one key from text. Fails with ERR_INVALID, reason "unknown_key" or
 * "bad_value" (detail says what is expected); for "bad_value" `field` is the
 * key, for "unknown_key" it is NULL (the name is not a static string) and the
 * name is in detail. Numbers are plain decimal: no spaces, no suffixes, a
 * sign only on clock_offset. Writes nothing on failure.
 */
int config_set(struct config *c, const char *key, const char *value, struct err *e);

/*
 * Parse a whole file's text. On failure `e->detail` starts with
 * "<origin>:<line>: " so the message points at the line (origin NULL:
 * "config"), and `c` is unchanged: a file applies whole or not at all.
 * Besides config_set's reasons, "bad_syntax" (field NULL): a line without
 * '=', nothing before '=', a value opened with '"' that does not end with
 * one, or a line that is not UTF-8.
 */
int config_parse(struct config *c, const char *text, size_t len, const char *origin,
                 struct err *e);

/*
 * Read and parse a file; ERR_NOT_FOUND ("not_found") when it does not exist,
 * ERR_FORBIDDEN ("unreadable") when we may not read it, ERR_INVALID
 * ("unreadable") when reading fails otherwise (e.g. a directory),
 * ERR_TOO_LARGE over 1 MiB, ERR_NOMEM.
 */
int config_load_file(struct config *c, const char *path, struct err *e);

/*
 * Apply KESU_* variables from `envp` (NULL-terminated, like environ; NULL is
 * allowed). Values are taken as they are: no trimming, no quotes. Variables
 * that name no key (the test scripts set KESU_BIN) are ignored. All or
 * nothing, like config_parse; detail starts with "env KESU_<NAME>: ".
 */
int config_load_env(struct config *c, char *const *envp, struct err *e);

#endif
