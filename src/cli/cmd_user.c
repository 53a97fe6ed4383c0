/*
 * `kesu user`: staff accounts from the command line, for the first
 * administrator and for scripts. Passwords never appear on the command line
 * (where `ps` and shell history would keep them): they come on standard
 * input, or are generated and shown once.
 */
#include "cli/cli.h"
#include "cli/text.h"
#include "core/account.h"
#include "core/complaint.h"
#include "store/store.h"
#include "util/arena.h"
#include "util/password.h"
#include "util/phone.h"
#include "util/str.h"
#include "util/ts.h"
#include "util/utf8.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ROLES_MAX 16

struct user_args {
    const char *login;
    const char *name, *phone, *email;
    bool password_stdin;
    struct membership roles[ROLES_MAX];
    size_t n_roles;
};

/* "handler@HY" -> role handler in project HY; "admin" -> company-wide. */
static int
parse_role(char *text, struct membership *m, struct err *e)
{
    char *at = strchr(text, '@');

    memset(m, 0, sizeof(*m));
    if (at != NULL) {
        *at = '\0';
        m->project = at + 1;
        if (m->project[0] == '\0')
            return err_set(e, ERR_INVALID, "role", "bad_format", "no project after '@'");
    }
    m->role = text;
    if (!str_in(text, core_roles_staff))
        return err_set(e, ERR_INVALID, "role", "bad_value", "unknown role '%s'", text);
    return 0;
}

/*
 * Take out what cli_options does not know (--role may repeat, --password-stdin
 * has no value, LOGIN is positional); what is left goes to cli_options. An
 * option that takes a value keeps the next word with it; the first other
 * word is the LOGIN.
 */
static int
split_args(int argc, char **argv, struct user_args *u, char **rest, int *n_rest, struct err *e)
{
    static const char *const with_value[] = { "--name", "--phone", "--email", "--db",
                                              "--config", "--listen", NULL };

    *n_rest = 0;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--password-stdin") == 0) {
            u->password_stdin = true;
        } else if (strcmp(argv[i], "--role") == 0 && i + 1 < argc) {
            if (u->n_roles == ROLES_MAX)
                return err_set(e, ERR_INVALID, "role", "too_long", "more than %d roles",
                               ROLES_MAX);
            if (parse_role(argv[++i], &u->roles[u->n_roles++], e) < 0)
                return -1;
        } else if (str_in(argv[i], with_value)) {
            rest[(*n_rest)++] = argv[i];
            if (i + 1 < argc)
                rest[(*n_rest)++] = argv[++i];
        } else if (argv[i][0] != '-' && u->login == NULL) {
            u->login = argv[i];
        } else {
            rest[(*n_rest)++] = argv[i];
        }
    }
    return 0;
}

/* One line from standard input, without its line end. */
static int
read_password(char *out, size_t size, struct err *e)
{
    size_t n;

    if (fgets(out, (int)size, stdin) == NULL)
        return err_set(e, ERR_INVALID, "password", "empty", "nothing on standard input");
    n = strcspn(out, "\r\n");
    if (out[n] == '\0' && n == size - 1)
        return err_set(e, ERR_INVALID, "password", "too_long", "line too long");
    out[n] = '\0';
    return 0;
}

/*
 * The password to set: from standard input (checked against the policy) or
 * generated. Its hash goes into `hash`; `shown` is set when it must be
 * printed once.
 */
static int
new_password(const struct user_args *u, char hash[PASSWORD_HASH_MAX], char *shown,
             size_t shown_size, struct err *e)
{
    char pw[CORE_PASSWORD_MAX + 2];
    int rc;

    shown[0] = '\0';
    if (u->password_stdin) {
        if (read_password(pw, sizeof(pw), e) < 0 || core_password_check(pw, u->login, e) < 0)
            rc = -1;
        else
            rc = password_hash(pw, hash, e);
        sodium_memzero(pw, sizeof(pw));
        return rc;
    }
    password_generate(shown, shown_size - 1 < 20 ? shown_size - 1 : 20);
    return password_hash(shown, hash, e);
}

static int
check_new_user(struct user_args *u, struct arena *a, struct err *e)
{
    struct phone ph;

    if (core_login_check(u->login, e) < 0)
        return -1;
    if (u->name == NULL || u->name[0] == '\0')
        return err_set(e, ERR_INVALID, "staff.name", "required", "--name is required");
    if (core_text_check("staff.name", u->name, strlen(u->name), CORE_NAME_MAX, false, e) < 0)
        return -1;
    if (u->email != NULL && core_email_check("email", u->email, e) < 0)
        return -1;
    if (u->phone != NULL) {
        if (phone_parse(u->phone, strlen(u->phone), &ph, "phone", e) < 0)
            return -1;
        u->phone = arena_strdup(a, ph.norm);
    }
    return 0;
}

static int
user_add(struct store *st, struct user_args *u, int64_t now, struct err *e)
{
    struct arena *a = arena_new(1 << 20);
    char hash[PASSWORD_HASH_MAX], shown[32];
    struct staff_new in;
    int rc = -1;

    if (a == NULL)
        return err_set(e, ERR_NOMEM, NULL, "nomem", "arena");
    if (check_new_user(u, a, e) < 0 || new_password(u, hash, shown, sizeof(shown), e) < 0)
        goto out;
    in = (struct staff_new){ .login = u->login, .name = u->name, .phone = u->phone,
                             .email = u->email, .password_hash = hash };
    if (store_tx_begin(st, e) < 0)
        goto out;
    if (st->ops->staff_add(st, &in, now, e) < 0 ||
        cli_audit_append(st, "user.add", u->login, NULL, now, e) < 0) {
        store_tx_rollback(st);
        goto out;
    }
    for (size_t i = 0; i < u->n_roles; i++)
        if (st->ops->membership_add(st, u->login, &u->roles[i], e) < 0 ||
            cli_audit_role(st, u->login, &u->roles[i], now, e) < 0) {
            store_tx_rollback(st);
            goto out;
        }
    if (store_tx_commit(st, e) < 0) {
        store_tx_rollback(st);
        goto out;
    }
    printf(cli_text(MSG_USER_ADDED), u->login);
    if (shown[0] != '\0')
        printf(cli_text(MSG_PASSWORD_ONCE), u->login, shown);
    rc = 0;
out:
    sodium_memzero(shown, sizeof(shown));
    arena_free(a);
    return rc;
}

static int
user_list(struct store *st, struct err *e)
{
    struct arena *a = arena_new(64u << 20);
    struct staff *list;
    size_t n;

    if (a == NULL)
        return err_set(e, ERR_NOMEM, NULL, "nomem", "arena");
    if (st->ops->staff_list(st, a, &list, &n, e) < 0) {
        arena_free(a);
        return -1;
    }
    fputs(cli_text(MSG_USER_LIST_HEAD), stdout);
    for (size_t i = 0; i < n; i++) {
        printf("%s\t%s\t%s\t%s\t", list[i].login, list[i].name, list[i].status,
               list[i].has_password ? "yes" : "-");
        for (size_t r = 0; r < list[i].n_memberships; r++) {
            const struct membership *m = &list[i].memberships[r];
            printf("%s%s%s%s", r ? "," : "", m->role, m->project ? "@" : "",
                   m->project ? m->project : "");
        }
        putchar('\n');
    }
    arena_free(a);
    return 0;
}

static int
user_passwd(struct store *st, struct user_args *u, int64_t now, struct err *e)
{
    char hash[PASSWORD_HASH_MAX], shown[32];
    int rc;

    rc = new_password(u, hash, shown, sizeof(shown), e);
    if (rc == 0)
        rc = store_tx_begin(st, e);
    if (rc == 0 && (st->ops->staff_set_password(st, u->login, hash, now, e) < 0 ||
                    cli_audit_append(st, "user.password", u->login, NULL, now, e) < 0 ||
                    store_tx_commit(st, e) < 0)) {
        store_tx_rollback(st);
        rc = -1;
    }
    sodium_memzero(hash, sizeof(hash));
    if (rc == 0) {
        printf(cli_text(MSG_PASSWORD_SET), u->login);
        if (shown[0] != '\0')
            printf(cli_text(MSG_PASSWORD_ONCE), u->login, shown);
    }
    sodium_memzero(shown, sizeof(shown));
    return rc;
}

static int
user_set_status(struct store *st, const char *login, const char *status, int64_t now,
                struct err *e)
{
    const char *detail = strcmp(status, "disabled") == 0 ? "{\"status\":\"disabled\"}"
                                                         : "{\"status\":\"active\"}";

    if (store_tx_begin(st, e) < 0)
        return -1;
    if (st->ops->staff_set_status(st, login, status, e) < 0 ||
        cli_audit_append(st, "user.status", login, detail, now, e) < 0 ||
        store_tx_commit(st, e) < 0) {
        store_tx_rollback(st);
        return -1;
    }
    return 0;
}

int
cli_user(int argc, char **argv)
{
    static const char *const extra[] = { "--name", "--phone", "--email", NULL };
    const char *values[3];
    char *rest[64];
    struct user_args u = { 0 };
    struct config cfg;
    struct store *st;
    struct err e = { 0 };
    const char *cmd = argc > 0 ? argv[0] : "";
    int n_rest, rc;

    if (argc == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
        fputs(cli_text(MSG_USAGE_USER), argc == 0 ? stderr : stdout);
        return argc == 0 ? 2 : 0;
    }
    if (argc > 64 || split_args(argc - 1, argv + 1, &u, rest, &n_rest, &e) < 0) {
        cli_error("user", &e);
        return 2;
    }
    rc = cli_options(n_rest, rest, cli_text(MSG_USAGE_USER), extra, values, &cfg);
    if (rc != 0)
        return rc > 0 ? 0 : 2;
    u.name = values[0];
    u.phone = values[1];
    u.email = values[2];
    if (strcmp(cmd, "list") != 0 && u.login == NULL) {
        if (!str_in(cmd, (const char *const[]){ "add", "disable", "enable", "passwd", NULL })) {
            fprintf(stderr, cli_text(MSG_UNKNOWN_COMMAND), cmd);
            fputs(cli_text(MSG_USAGE_USER), stderr);
            return 2;
        }
        fputs(cli_text(MSG_NEEDS_LOGIN), stderr);
        fputs(cli_text(MSG_USAGE_USER), stderr);
        return 2;
    }
    st = cli_store_open(&cfg);
    if (st == NULL)
        return 1;
    if (strcmp(cmd, "add") == 0)
        rc = user_add(st, &u, ts_now() + cfg.clock_offset, &e);
    else if (strcmp(cmd, "list") == 0)
        rc = user_list(st, &e);
    else if (strcmp(cmd, "disable") == 0 || strcmp(cmd, "enable") == 0)
        rc = user_set_status(st, u.login, cmd[0] == 'd' ? "disabled" : "active",
                             ts_now() + cfg.clock_offset, &e);
    else if (strcmp(cmd, "passwd") == 0)
        rc = user_passwd(st, &u, ts_now() + cfg.clock_offset, &e);
    else {
        store_close(st);
        fprintf(stderr, cli_text(MSG_UNKNOWN_COMMAND), cmd);
        fputs(cli_text(MSG_USAGE_USER), stderr);
        return 2;
    }
    if (rc == 0 && (cmd[0] == 'd' || cmd[0] == 'e'))
        printf(cli_text(MSG_USER_STATUS), u.login, cmd[0] == 'd' ? "disabled" : "active");
    store_close(st);
    if (rc < 0) {
        cli_error(cmd, &e);
        return e.code == ERR_INVALID ? 2 : 1;
    }
    return 0;
}

int
cli_first_admin(struct store *st, int64_t now, struct err *e)
{
    struct user_args u = { .login = "admin", .name = "系统管理员", .n_roles = 1 };
    const char *given = getenv("KESU_ADMIN_PASSWORD");
    char hash[PASSWORD_HASH_MAX], shown[32] = "";
    struct staff_new in;
    int64_t admins = 0;
    int rc;

    if (st->ops->role_count(st, "admin", &admins, e) < 0)
        return -1;
    if (admins > 0)
        return 0;
    u.roles[0] = (struct membership){ .role = "admin" };
    if (given != NULL) {
        if (core_password_check(given, u.login, e) < 0 || password_hash(given, hash, e) < 0)
            return -1;
    } else if (new_password(&u, hash, shown, sizeof(shown), e) < 0) {
        return -1;
    }
    in = (struct staff_new){ .login = u.login, .name = u.name, .password_hash = hash };
    rc = store_tx_begin(st, e);
    if (rc == 0 && (st->ops->staff_add(st, &in, now, e) < 0 ||
                    cli_audit_append(st, "user.add", u.login, NULL, now, e) < 0 ||
                    st->ops->membership_add(st, u.login, &u.roles[0], e) < 0 ||
                    cli_audit_role(st, u.login, &u.roles[0], now, e) < 0 ||
                    store_tx_commit(st, e) < 0)) {
        store_tx_rollback(st);
        rc = -1;
    }
    if (rc == 0) {
        printf(cli_text(MSG_ADMIN_CREATED), u.login);
        if (shown[0] != '\0')
            printf(cli_text(MSG_PASSWORD_ONCE), u.login, shown);
    }
    sodium_memzero(shown, sizeof(shown));
    return rc;
}
