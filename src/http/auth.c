/*
 * Who is asking, and may they (issue 3, items 3 and 5). Every request
 * passes here after routing and before its body is read: an upload from
 * nobody is refused from its headers.
 *
 *   - A session is a cookie holding 32 random bytes; an API token is
 *     "kesu_" + 32 random bytes in "Authorization: Bearer". The store keeps
 *     only their SHA-256, so a stolen database opens no door.
 *   - A cookie rides along with any request the browser makes, so a request
 *     that changes state on a session must also carry the session's CSRF
 *     token in X-CSRF-Token (a page of another site cannot read it).
 *     SameSite=Strict already stops most of this; the token stops the rest.
 *   - The route says which permission it needs (routes.c); core/perm.c
 *     says who holds it. Project scope is checked where the project is
 *     known: http_path_complaint, the list and the create handlers.
 */
#include "http/handlers.h"
#include "core/session.h"
#include "util/alloc.h"
#include "util/secret.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#define TOUCH_EVERY 60   /* seconds: the idle clock need not be finer */

/* The credential the request presents: its kind and secret; *secret NULL when none. */
static int
presented(struct req *r, enum credential_kind *kind, const char **secret, struct err *e)
{
    const char *authz = http_header(r, "Authorization");

    *secret = NULL;
    if (authz != NULL) {
        const char *tok = http_bearer_token(authz, r->arena);
        size_t plen = strlen(SECRET_TOKEN_PREFIX);
        if (tok == NULL || strncmp(tok, SECRET_TOKEN_PREFIX, plen) != 0 ||
            !secret_well_formed(tok + plen))
            return err_set(e, ERR_UNAUTHENTICATED, "Authorization", "bad_format",
                           "expected Bearer kesu_<token>");
        *kind = CREDENTIAL_TOKEN;
        *secret = tok + plen;
        return 0;
    }
    *secret = http_cookie_get(http_header(r, "Cookie"), AUTH_COOKIE, r->arena);
    *kind = CREDENTIAL_SESSION;
    if (*secret != NULL && !secret_well_formed(*secret))
        return err_set(e, ERR_UNAUTHENTICATED, "session", "invalid", "malformed session cookie");
    return 0;
}

struct touch {
    struct store_job job;
    enum credential_kind kind;
    int64_t id, now;
};

static int
touch_run(struct store *st, struct store_job *job, struct err *e)
{
    struct touch *t = job->ctx;

    return st->ops->credential_touch(st, t->kind, t->id, t->now, e);
}

static void
touch_done(struct store_job *job, int rc, const struct err *e)
{
    (void)rc;
    (void)e;
    alloc_free(job->ctx);
}

/*
 * Record use now and then, without making the request wait: the idle clock
 * is coarse, and a lost touch only brings the idle limit a minute closer.
 */
static void
touch_later(struct req *r, const struct credential *c)
{
    struct touch *t;

    if (r->now - c->last_used_at < TOUCH_EVERY)
        return;
    t = alloc_malloc(sizeof(*t));
    if (t == NULL)
        return;
    memset(t, 0, sizeof(*t));
    t->kind = c->kind;
    t->id = c->id;
    t->now = r->now;
    t->job.run = touch_run;
    t->job.done = touch_done;
    t->job.ctx = t;
    store_writer_submit(r->srv->writer, &t->job);
}

static int
identify(struct req *r, struct err *e)
{
    enum credential_kind kind;
    const char *secret;
    unsigned char hash[STORE_SECRET_HASH];
    struct credential *c;
    struct store *st;
    struct credential_facts f;

    if (presented(r, &kind, &secret, e) < 0 || secret == NULL)
        return e->code == ERR_OK ? 0 : -1;
    secret_hash(secret, hash);
    if ((st = http_reader(r, e)) == NULL)
        return -1;
    if (st->ops->credential_find(st, kind, hash, r->arena, &c, e) < 0) {
        if (e->code != ERR_NOT_FOUND)
            return -1;
        err_clear(e);
        return err_set(e, ERR_UNAUTHENTICATED, kind == CREDENTIAL_SESSION ? "session" : "token",
                       "invalid", "no such credential");
    }
    f = (struct credential_facts){
        .is_session = kind == CREDENTIAL_SESSION, .created_at = c->created_at,
        .last_used_at = c->last_used_at, .expires_at = c->expires_at,
        .revoked_at = c->revoked_at, .owner_active = strcmp(c->owner.status, "active") == 0,
        .password_changed_at = c->owner.password_changed_at,
    };
    if (core_credential_check(&f, r->now, r->srv->cfg->session_idle, e) < 0)
        return -1;
    r->cred = c;
    r->who = arena_zalloc(r->arena, sizeof(*r->who));
    if (r->who == NULL)
        return err_set(e, ERR_NOMEM, NULL, "nomem", "principal");
    *r->who = (struct principal){
        .staff_id = c->owner.id, .login = c->owner.login, .name = c->owner.name,
        .memberships = c->owner.memberships, .n_memberships = c->owner.n_memberships,
        .scopes = c->scopes, .project_limit = c->project,
    };
    touch_later(r, c);
    return 0;
}

static bool
changes_state(enum http_method m)
{
    return m != HTTP_GET && m != HTTP_HEAD && m != HTTP_OPTIONS;
}

static int
check_csrf(struct req *r, struct err *e)
{
    const char *sent = http_header(r, "X-CSRF-Token");
    size_t n;

    if (r->cred == NULL || r->cred->kind != CREDENTIAL_SESSION || !changes_state(r->method))
        return 0;
    n = strlen(r->cred->csrf);
    if (sent == NULL || strlen(sent) != n || sodium_memcmp(sent, r->cred->csrf, n) != 0)
        return err_set(e, ERR_FORBIDDEN, "X-CSRF-Token", sent ? "mismatch" : "missing",
                       "state change on a session without its CSRF token");
    return 0;
}

int
http_authorize(struct req *r, struct err *e)
{
    enum perm need = r->route->perm;

    /* the portal acts for the customer only: whatever staff credential rides along is ignored */
    if (http_route_anonymous(r->route)) {
        r->who = NULL;
        r->cred = NULL;
        return 0;
    }
    if (identify(r, e) < 0) {
        if (need != PERM_PUBLIC)
            return -1;
        /* a stale cookie must not stop anyone from signing in again */
        err_clear(e);
        r->who = NULL;
        r->cred = NULL;
    }
    if (need == PERM_PUBLIC)
        return 0;
    if (r->who == NULL)
        return err_set(e, ERR_UNAUTHENTICATED, NULL, "sign_in_required", "sign in first");
    if (check_csrf(r, e) < 0)
        return -1;
    if (!core_can(r->who, need, NULL))
        return err_set(e, ERR_FORBIDDEN, NULL, "forbidden", "needs %s", core_perm_name(need));
    return 0;
}

int
http_scope_check(struct req *r, const char *project, struct err *e)
{
    if (core_can(r->who, r->route->perm, project))
        return 0;
    return err_set(e, ERR_NOT_FOUND, NULL, "not_found", "outside the user's projects");
}

int
http_audit(struct store *st, struct req *r, const char *action, const char *object,
           const char *detail, struct err *e)
{
    struct audit_entry en = { .at = r->now, .actor = r->who ? r->who->login : NULL,
                              .address = http_client_address(r), .action = action,
                              .object = object, .detail = detail ? detail : "{}" };

    return st->ops->audit_append(st, &en, e);
}

int
http_audit_json(struct store *st, struct req *r, const char *action, const char *object,
                json_t *detail, struct err *e)
{
    char *text = detail ? json_dumps(detail, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    int rc;

    json_decref(detail);
    if (text == NULL)
        return err_set(e, ERR_NOMEM, NULL, "nomem", "audit detail");
    rc = http_audit(st, r, action, object, text, e);
    free(text);
    return rc;
}

int
http_scope_filter(struct req *r, enum perm perm, struct store_filter *project, struct err *e)
{
    const char *mine[STORE_FILTER_MAX];
    size_t n;
    bool all;

    for (size_t i = 0; i < project->n; i++)
        if (!core_can(r->who, perm, project->values[i]))
            return err_set(e, ERR_INVALID, "project", "unknown", "outside the caller's projects");
    if (project->n > 0)
        return 0;
    if (core_can_where(r->who, perm, mine, STORE_FILTER_MAX, &n, &all, e) < 0)
        return -1;
    if (all)
        return 0;
    /* an empty filter would be every project: never for someone with none */
    if (n == 0)
        return err_set(e, ERR_FORBIDDEN, NULL, "forbidden", "%s held in no project",
                       core_perm_name(perm));
    memcpy(project->values, mine, n * sizeof(mine[0]));
    project->n = n;
    return 0;
}
