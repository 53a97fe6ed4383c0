/*
 * `kesu token`: API tokens for integrations (issue 3, item 3), from the
 * command line. A token is shown once, on standard output and alone on its
 * line so that a script can capture it; everything said about it goes to
 * standard error. The store keeps only its SHA-256.
 */
#include "cli/cli.h"
#include "cli/text.h"
#include "core/complaint.h"
#include "core/perm.h"
#include "store/store.h"
#include "util/arena.h"
#include "util/secret.h"
#include "util/str.h"
#include "util/ts.h"
#include "util/utf8.h"

#include <errno.h>
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TOKEN_ARGS_MAX 64

struct token_args {
    const char *cmd;           /* add | list | revoke */
    const char *id_text;       /* revoke: the positional ID */
    const char *name, *login, *scopes, *project;
};

/* The usage, with the permission names from core/perm.c, so they cannot drift. */
static const char *
usage(void)
{
    static char buf[4096];
    char names[512] = "";
    size_t used = 0, line = 0;

    for (int p = 0; p < PERM_COUNT; p++) {
        const char *name = core_perm_name((enum perm)p);
        const char *sep = used == 0 ? "" : line + 1 + strlen(name) > 72 ? "\n  " : " ";
        if (core_perm_parse(name) < 0)
            continue;          /* not a scope a token may carry */
        int w = snprintf(names + used, sizeof(names) - used, "%s%s", sep, name);
        if (w < 0 || (size_t)w >= sizeof(names) - used)
            break;
        used += (size_t)w;
        line = sep[0] == '\n' ? strlen(name) : line + (size_t)w;
    }
    snprintf(buf, sizeof(buf), cli_text(MSG_USAGE_TOKEN), names);
    return buf;
}

/* "*" when every permission, else the names in permission order. */
static void
scopes_text(uint32_t scopes, char *buf, size_t size)
{
    if (scopes == CORE_SCOPES_ALL)
        snprintf(buf, size, "*");
    else
        core_scopes_format(scopes, buf, size);
}

static void
when_text(int64_t t, int tz_min, char out[TS_FORMAT_MAX])
{
    if (t == 0)
        snprintf(out, TS_FORMAT_MAX, "-");
    else
        ts_format(t, tz_min, out);
}

/*
 * Take out the one positional word (the ID of revoke); options and their
 * values go on to cli_options. An option that takes a value keeps the next
 * word with it, so `--name 7` is a name and `--scopes *` a scope list.
 * A second positional word is an error (returns -1, the word in *extra_word).
 */
static int
split_args(int argc, char **argv, struct token_args *t, char **rest, int *n_rest,
           const char **extra_word)
{
    static const char *const with_value[] = { "--name", "--user", "--scopes", "--project",
                                              "--db", "--config", "--listen", NULL };

    *n_rest = 0;
    for (int i = 0; i < argc; i++) {
        if (str_in(argv[i], with_value)) {
            rest[(*n_rest)++] = argv[i];
            if (i + 1 < argc)
                rest[(*n_rest)++] = argv[++i];
        } else if (argv[i][0] == '-') {
            rest[(*n_rest)++] = argv[i];
        } else if (t->id_text == NULL && strcmp(t->cmd, "revoke") == 0) {
            t->id_text = argv[i];
        } else {
            *extra_word = argv[i];
            return -1;
        }
    }
    return 0;
}

static int
parse_id(const char *s, int64_t *out)
{
    char *end;
    long long v;

    errno = 0;
    v = strtoll(s, &end, 10);
    if (*s < '0' || *s > '9' || *end != '\0' || errno != 0 || v <= 0)
        return -1;
    *out = v;
    return 0;
}

/* The audit detail of token.create: JSON built by jansson, never the token. */
static char *
create_detail(int64_t id, const struct token_new *in, const char *scopes)
{
    json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s?}", "id", (json_int_t)id, "name", in->name,
                          "login", in->login, "scopes", scopes, "project", in->project);
    char *detail = o ? json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS) : NULL;

    json_decref(o);
    return detail;
}

/*
 * Check what can be checked before the store: the name as any short text,
 * the login's form, the scope list. Field "name", "login", "scopes".
 */
static int
check_add(const struct token_args *t, uint32_t *scopes, struct err *e)
{
    if (!utf8_is_valid(t->name, strlen(t->name)))
        return err_set(e, ERR_INVALID, "name", "bad_utf8", "--name is not UTF-8");
    if (core_text_check("name", t->name, strlen(t->name), CORE_NAME_MAX, false, e) < 0 ||
        core_login_check(t->login, e) < 0 || core_scopes_parse(t->scopes, scopes, e) < 0)
        return -1;
    if (t->project != NULL && t->project[0] == '\0')
        return err_set(e, ERR_INVALID, "project", "empty", "--project is empty");
    return 0;
}

static int
token_add(struct store *st, const struct token_args *t, int64_t now, struct err *e)
{
    char secret[SECRET_TEXT], scopes[512];
    struct token_new in = { .name = t->name, .login = t->login, .project = t->project,
                            .created_at = now };
    char *detail = NULL;
    int64_t id = 0;
    int rc = -1;

    if (check_add(t, &in.scopes, e) < 0)
        return -1;
    scopes_text(in.scopes, scopes, sizeof(scopes));
    secret_new(secret, in.token_hash);
    if (store_tx_begin(st, e) < 0)
        goto out;
    if (st->ops->token_create(st, &in, &id, e) < 0)
        goto out_rollback;
    detail = create_detail(id, &in, scopes);
    if (detail == NULL) {
        err_set(e, ERR_NOMEM, NULL, "nomem", "audit detail");
        goto out_rollback;
    }
    if (cli_audit_append(st, "token.create", in.name, detail, now, e) < 0 ||
        store_tx_commit(st, e) < 0)
        goto out_rollback;
    /* the token alone on stdout, for scripts; what it is, on stderr */
    printf("%s%s\n", SECRET_TOKEN_PREFIX, secret);
    fflush(stdout);
    fprintf(stderr, cli_text(MSG_TOKEN_CREATED), in.name, (long long)id, in.login);
    rc = 0;
    goto out;
out_rollback:
    store_tx_rollback(st);
out:
    free(detail);
    sodium_memzero(secret, sizeof(secret));
    sodium_memzero(in.token_hash, sizeof(in.token_hash));
    return rc;
}

static int
token_list(struct store *st, int tz_min, struct err *e)
{
    struct arena *a = arena_new(64u << 20);
    struct credential *list;
    size_t n;

    if (a == NULL)
        return err_set(e, ERR_NOMEM, NULL, "nomem", "arena");
    if (st->ops->token_list(st, a, &list, &n, e) < 0) {
        arena_free(a);
        return -1;
    }
    fputs(cli_text(MSG_TOKEN_LIST_HEAD), stdout);
    for (size_t i = 0; i < n; i++) {
        const struct credential *c = &list[i];
        char scopes[512], created[TS_FORMAT_MAX], used[TS_FORMAT_MAX], revoked[TS_FORMAT_MAX];
        scopes_text(c->scopes, scopes, sizeof(scopes));
        when_text(c->created_at, tz_min, created);
        when_text(c->last_used_at, tz_min, used);
        when_text(c->revoked_at, tz_min, revoked);
        printf("%lld\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", (long long)c->id, c->name, c->owner.login,
               scopes, c->project ? c->project : "-", created, used, revoked);
    }
    arena_free(a);
    return 0;
}

/*
 * Revoke token `id`. Returns 1 when there is nothing to revoke (no such
 * token, or revoked already: said on stderr), -1 when the store failed.
 */
static int
token_revoke(struct store *st, int64_t id, int tz_min, int64_t now, struct err *e)
{
    struct arena *a = arena_new(16u << 20);
    const struct credential *found = NULL;
    struct credential *list;
    char when[TS_FORMAT_MAX], detail[64];
    size_t n;
    int rc = -1;

    if (a == NULL)
        return err_set(e, ERR_NOMEM, NULL, "nomem", "arena");
    if (store_tx_begin(st, e) < 0)
        goto out;
    /* looked up in the transaction that revokes, so the name logged is the one revoked */
    if (st->ops->token_list(st, a, &list, &n, e) < 0)
        goto out_rollback;
    for (size_t i = 0; i < n && found == NULL; i++)
        if (list[i].id == id)
            found = &list[i];
    if (found == NULL || found->revoked_at != 0) {
        if (found == NULL) {
            fprintf(stderr, cli_text(MSG_TOKEN_NOT_FOUND), (long long)id);
        } else {
            ts_format(found->revoked_at, tz_min, when);
            fprintf(stderr, cli_text(MSG_TOKEN_WAS_REVOKED), (long long)id, found->name, when);
        }
        rc = 1;
        goto out_rollback;
    }
    snprintf(detail, sizeof(detail), "{\"id\":%lld}", (long long)id);
    if (st->ops->credential_revoke(st, CREDENTIAL_TOKEN, id, now, e) < 0 ||
        cli_audit_append(st, "token.revoke", found->name, detail, now, e) < 0 ||
        store_tx_commit(st, e) < 0)
        goto out_rollback;
    printf(cli_text(MSG_TOKEN_REVOKED), (long long)id, found->name);
    rc = 0;
    goto out;
out_rollback:
    store_tx_rollback(st);
out:
    arena_free(a);
    return rc;
}

/* Report a failure of `token <cmd>`; returns the exit status. */
static int
report(const struct token_args *t, const struct err *e)
{
    char what[32];

    if (e->field != NULL && strcmp(e->field, "name") == 0) {
        if (e->reason != NULL && strcmp(e->reason, "exists") == 0) {
            fprintf(stderr, cli_text(MSG_TOKEN_EXISTS), t->name);
            return 1;
        }
        fprintf(stderr, cli_text(MSG_TOKEN_NAME), i18n_reason(cli_lang(), e->reason));
        return 2;
    }
    snprintf(what, sizeof(what), "token %s", t->cmd);
    cli_error(what, e);
    return e->code == ERR_INVALID ? 2 : 1;
}

int
cli_token(int argc, char **argv)
{
    static const char *const extra[] = { "--name", "--user", "--scopes", "--project", NULL };
    const char *values[4], *extra_word = NULL;
    char *rest[TOKEN_ARGS_MAX];
    struct token_args t = { .cmd = argc > 0 ? argv[0] : "" };
    struct config cfg;
    struct store *st;
    struct err e = { 0 };
    int64_t id = 0, now;
    int n_rest, rc;

    if (argc == 0 || strcmp(t.cmd, "--help") == 0 || strcmp(t.cmd, "-h") == 0) {
        fputs(usage(), argc == 0 ? stderr : stdout);
        return argc == 0 ? 2 : 0;
    }
    if (!str_in(t.cmd, (const char *const[]){ "add", "list", "revoke", NULL })) {
        fprintf(stderr, cli_text(MSG_UNKNOWN_COMMAND), t.cmd);
        fputs(usage(), stderr);
        return 2;
    }
    if (argc - 1 > TOKEN_ARGS_MAX) {
        fprintf(stderr, cli_text(MSG_UNEXPECTED_ARG), argv[TOKEN_ARGS_MAX + 1]);
        return 2;
    }
    if (split_args(argc - 1, argv + 1, &t, rest, &n_rest, &extra_word) < 0) {
        fprintf(stderr, cli_text(MSG_UNEXPECTED_ARG), extra_word);
        fputs(usage(), stderr);
        return 2;
    }
    rc = cli_options(n_rest, rest, usage(), extra, values, &cfg);
    if (rc != 0)
        return rc > 0 ? 0 : 2;
    t.name = values[0];
    t.login = values[1];
    t.scopes = values[2];
    t.project = values[3];
    if (strcmp(t.cmd, "add") == 0 && (t.name == NULL || t.login == NULL || t.scopes == NULL)) {
        fputs(cli_text(MSG_TOKEN_NEEDS), stderr);
        fputs(usage(), stderr);
        return 2;
    }
    if (strcmp(t.cmd, "add") != 0 && (t.name || t.login || t.scopes || t.project)) {
        fprintf(stderr, cli_text(MSG_UNKNOWN_OPTION),
                t.name ? "--name" : t.login ? "--user" : t.scopes ? "--scopes" : "--project");
        fputs(usage(), stderr);
        return 2;
    }
    if (strcmp(t.cmd, "revoke") == 0) {
        if (t.id_text == NULL) {
            fputs(cli_text(MSG_TOKEN_NEEDS_ID), stderr);
            fputs(usage(), stderr);
            return 2;
        }
        if (parse_id(t.id_text, &id) < 0) {
            fprintf(stderr, cli_text(MSG_TOKEN_BAD_ID), t.id_text);
            return 2;
        }
    }
    st = cli_store_open(&cfg);
    if (st == NULL)
        return 1;
    now = ts_now() + cfg.clock_offset;
    if (strcmp(t.cmd, "add") == 0)
        rc = token_add(st, &t, now, &e);
    else if (strcmp(t.cmd, "list") == 0)
        rc = token_list(st, cfg.tz_offset_min, &e);
    else
        rc = token_revoke(st, id, cfg.tz_offset_min, now, &e);
    store_close(st);
    if (rc < 0)
        return report(&t, &e);
    return rc;
}
