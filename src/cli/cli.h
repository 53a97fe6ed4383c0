#ifndef KESU_CLI_CLI_H
#define KESU_CLI_CLI_H

#include <stdint.h>

#include "util/err.h"

#include "util/config.h"

/*
 * The subcommands of `kesu`. Each takes the arguments after its name and
 * returns the process exit status: 0 success, 1 failure, 2 bad usage.
 */
int cli_init(int argc, char **argv);
int cli_serve(int argc, char **argv);
int cli_demo(int argc, char **argv);
int cli_user(int argc, char **argv);
int cli_audit(int argc, char **argv);
int cli_token(int argc, char **argv);
int cli_tick(int argc, char **argv);

/*
 * Create the first administrator, "admin", when no active staff member holds
 * the admin role: password from KESU_ADMIN_PASSWORD (checked against the
 * policy) or generated and printed once. Does nothing when there is one.
 */
struct store;
int cli_first_admin(struct store *st, int64_t now, struct err *e);

/*
 * Options every command shares: --config FILE, --db PATH, --listen ADDR,
 * plus `extra` ones the command names (NULL-terminated, e.g. "--preset").
 * Loads the configuration (defaults, file, environment, flags) into cfg and
 * the values of extra options into extra_values (NULL when not given).
 * Prints the error and returns -1 on bad usage; returns 1 when --help was asked.
 */
int cli_options(int argc, char **argv, const char *usage, const char *const *extra,
                const char **extra_values, struct config *cfg);

/*
 * Open the store of cfg->db_path and check that `kesu init` brought it to
 * STORE_SCHEMA_VERSION. On failure prints why and returns NULL.
 */
struct store *cli_store_open(const struct config *cfg);

/*
 * Record a change in the audit log, inside the transaction that makes it.
 * The command line has no session: the actor is the system (NULL) and the
 * address "cli". `detail` is JSON text or NULL for {}; callers put no
 * secret in it (no password or its hash, no token, no phone or e-mail).
 */
int cli_audit_append(struct store *st, const char *action, const char *object, const char *detail,
                     int64_t now, struct err *e);

/* "user.role" for `login`: which role, and in which project (null: company-wide). */
struct membership;
int cli_audit_role(struct store *st, const char *login, const struct membership *m, int64_t now,
                   struct err *e);

/* Print "kesu: <what>: <detail>" for an error. */
struct err;
void cli_error(const char *what, const struct err *e);

#endif
