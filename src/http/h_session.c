/*
 * Signing in and out (issue 3, items 3 and 4).
 *
 * A sign-in goes through three threads: the HTTP thread decodes, checks the
 * throttles and loads the password hash; a login-queue thread runs argon2id
 * (0.1 s of a core: never on an HTTP thread, and never more than
 * login_queue of them waiting, so a flood is answered 503 at once); the
 * writer records the session and the audit entry. An unknown login is
 * checked against a dummy hash and written to the audit log like a wrong
 * password, so neither the answer nor its timing tells them apart.
 */
#include "http/handlers.h"
#include "core/account.h"
#include "util/password.h"
#include "util/throttle.h"
#include "util/workq.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct login_ctx {
    const char *login, *password, *fresh;    /* fresh: a new password (change) */
    const char *address;
    const char *hash;                        /* the staff's, or the dummy */
    char key[CORE_LOGIN_MAX * 2 + 1];        /* the login as the throttle counts it */
    bool known;                              /* active staff with a password */
    bool ok;                                 /* the password matched */
    char fresh_hash[PASSWORD_HASH_MAX];
    char secret[SECRET_TEXT];
    char csrf[SECRET_TEXT];
    unsigned char secret_hash[STORE_SECRET_HASH];
    struct staff *staff;
    struct err hash_err;
};

static int
nomem(struct err *e)
{
    return err_set(e, ERR_NOMEM, NULL, "nomem", "out of memory");
}

/* The password lives in the request arena until the check; then it is wiped. */
static void
forget_passwords(struct login_ctx *cx)
{
    if (cx->password != NULL)
        sodium_memzero((void *)(uintptr_t)cx->password, strlen(cx->password));
    if (cx->fresh != NULL)
        sodium_memzero((void *)(uintptr_t)cx->fresh, strlen(cx->fresh));
}

static void
throttle_key(const char *login, char out[CORE_LOGIN_MAX * 2 + 1])
{
    size_t i;

    for (i = 0; login[i] != '\0' && i < CORE_LOGIN_MAX * 2; i++)
        out[i] = (login[i] >= 'A' && login[i] <= 'Z') ? (char)(login[i] - 'A' + 'a') : login[i];
    out[i] = '\0';
}

/* The throttles count in milliseconds of the real clock (a wait of 1 s is 1 s). */
static int64_t
clock_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * 429 with Retry-After while the login or the address must wait. An attempt
 * on a login is counted as failed when it is let through, and forgiven if it
 * succeeds: counted only after the check, a burst of simultaneous guesses
 * would all pass before the first failure was recorded. The address is
 * counted on failure only, or a busy office behind one address would be
 * throttled by its own successful sign-ins.
 */
static int
check_throttles(struct req *r, struct login_ctx *cx, struct err *e)
{
    int64_t now_ms = clock_ms(), wait;

    throttle_key(cx->login, cx->key);
    wait = throttle_wait(r->srv->throttle_login, cx->key, now_ms);
    if (cx->address != NULL) {
        int64_t w = throttle_wait(r->srv->throttle_address, cx->address, now_ms);
        wait = w > wait ? w : wait;
    }
    if (wait <= 0) {
        throttle_fail(r->srv->throttle_login, cx->key, now_ms);
        return 0;
    }
    http_reply_header(r, "Retry-After", arena_printf(r->arena, "%lld", (long long)(wait + 999) / 1000));
    return err_set(e, ERR_RATE_LIMITED, NULL, "too_many_attempts", "wait %lld ms",
                   (long long)wait);
}

/* The login's failure was counted by check_throttles; a success forgives it. */
static void
record_outcome(struct req *r, const struct login_ctx *cx)
{
    if (cx->ok)
        throttle_success(r->srv->throttle_login, cx->key);
    else if (cx->address != NULL)
        throttle_fail(r->srv->throttle_address, cx->address, clock_ms());
}

/* Load the hash to check against: the staff's when they may sign in, else the dummy. */
static int
load_hash(struct req *r, struct login_ctx *cx, struct err *e)
{
    struct store *st = http_reader(r, e);
    struct err miss = { 0 };

    if (st == NULL)
        return -1;
    cx->hash = r->srv->dummy_hash;
    if (core_login_check(cx->login, &miss) < 0)
        return 0;
    if (st->ops->staff_get(st, cx->login, r->arena, &cx->staff, &miss) < 0) {
        if (miss.code != ERR_NOT_FOUND)
            return err_set(e, miss.code, miss.field, miss.reason, "%s", miss.detail);
        cx->staff = NULL;
        return 0;
    }
    if (cx->staff->password_hash != NULL && strcmp(cx->staff->status, "active") == 0) {
        cx->hash = cx->staff->password_hash;
        cx->known = true;
    }
    return 0;
}

/* ---- POST /api/session ---- */

static const char *
session_cookie(struct req *r, const char *value, int max_age)
{
    return arena_printf(r->arena, "%s=%s; Path=/; Max-Age=%d; HttpOnly; SameSite=Strict%s",
                        AUTH_COOKIE, value, max_age,
                        r->srv->cfg->cookie_secure ? "; Secure" : "");
}

static int
login_finish(struct req *r, struct err *e)
{
    struct login_ctx *cx = r->ctx;
    const struct config *cfg = r->srv->cfg;
    json_t *body;

    if (!cx->ok)
        return err_set(e, ERR_UNAUTHENTICATED, NULL, "bad_credentials",
                       "unknown login or wrong password");
    body = json_pack("{s:{s:s, s:s, s:o}, s:s, s:o, s:i}", "user", "login", cx->staff->login,
                     "name", cx->staff->name, "roles", render_memberships(cx->staff->memberships, cx->staff->n_memberships), "csrf_token",
                     cx->csrf, "expires_at",
                     render_time(r->now + cfg->session_max, cfg->tz_offset_min), "idle_timeout",
                     cfg->session_idle);
    if (http_reply_json(r, 200, body) < 0 ||
        http_reply_header(r, "Set-Cookie", session_cookie(r, cx->secret, cfg->session_max)) < 0)
        return nomem(e);
    return 0;
}

static int
login_run(struct store *st, struct store_job *job, struct err *e)
{
    struct req *r = job->ctx;
    struct login_ctx *cx = r->ctx;
    struct session_new in = { .login = cx->login, .csrf = cx->csrf, .address = cx->address,
                              .created_at = r->now,
                              .expires_at = r->now + r->srv->cfg->session_max };
    struct audit_entry en = { .at = r->now, .address = cx->address, .detail = "{}" };
    struct err bad = { 0 };
    int64_t id;

    r->finish = login_finish;
    if (!cx->ok) {
        /* the login as typed, only when it could be one: a password typed there stays out */
        en.action = "session.login_failed";
        en.object = core_login_check(cx->login, &bad) == 0 ? cx->login : NULL;
        return st->ops->audit_append(st, &en, e);
    }
    memcpy(in.token_hash, cx->secret_hash, sizeof(in.token_hash));
    if (st->ops->session_create(st, &in, &id, e) < 0)
        return -1;
    en.action = "session.login";
    en.actor = cx->login;
    en.object = cx->login;
    return st->ops->audit_append(st, &en, e);
}

static void
login_check(void *arg)
{
    struct req *r = arg;
    struct login_ctx *cx = r->ctx;

    cx->ok = password_verify(cx->hash, cx->password) && cx->known;
    forget_passwords(cx);
    record_outcome(r, cx);
    if (cx->ok) {
        secret_new(cx->secret, cx->secret_hash);
        unsigned char unused[STORE_SECRET_HASH];
        secret_new(cx->csrf, unused);
    }
    http_write_suspended(r, login_run);
}

int
http_login_queue(struct req *r, workq_fn fn, struct err *e)
{
    http_suspend(r);
    if (workq_submit(r->srv->login_queue, fn, r, e) == 0)
        return 0;
    http_reply_header(r, "Retry-After", "1");
    http_fail_suspended(r, e);
    return -1;
}

/* A full queue takes back the attempt check_throttles counted: a busy server is no guess. */
static int
queue_check(struct req *r, workq_fn fn, struct err *e)
{
    struct login_ctx *cx = r->ctx;

    if (http_login_queue(r, fn, e) < 0)
        throttle_forgive(r->srv->throttle_login, cx->key);
    return HTTP_PENDING;
}

int
h_session_create(struct req *r, struct err *e)
{
    struct login_ctx *cx = arena_zalloc(r->arena, sizeof(*cx));
    const struct body_field fields[] = {
        { .key = "login", .kind = BODY_FIELD_TEXT, .required = true, .max = 64, .text = &cx->login },
        { .key = "password", .kind = BODY_FIELD_SECRET, .required = true, .max = CORE_PASSWORD_MAX,
          .text = &cx->password },
        { .key = NULL },
    };

    if (cx == NULL)
        return nomem(e);
    if (http_decode_fields(r->body.buf, r->body.len, fields, r->arena, e) < 0)
        return -1;
    cx->address = http_client_address(r);
    r->ctx = cx;
    if (check_throttles(r, cx, e) < 0) {
        forget_passwords(cx);
        return -1;
    }
    if (load_hash(r, cx, e) < 0) {
        throttle_forgive(r->srv->throttle_login, cx->key);   /* the store failed, not the guess */
        forget_passwords(cx);
        return -1;
    }
    return queue_check(r, login_check, e);
}

/* ---- GET /api/session ---- */

static json_t *
render_permissions(struct req *r)
{
    json_t *o = json_object();
    const char *where[STORE_FILTER_MAX];
    size_t n;
    bool all;
    struct err e = { 0 };

    for (int p = PERM_COMPLAINT_READ; o != NULL && p < PERM_COUNT; p++) {
        json_t *v;
        if (core_can_where(r->who, (enum perm)p, where, STORE_FILTER_MAX, &n, &all, &e) < 0)
            continue;
        if (!all && n == 0)
            continue;
        v = all ? json_string("*") : json_array();
        for (size_t i = 0; !all && v != NULL && i < n; i++)
            json_array_append_new(v, json_string(where[i]));
        json_object_set_new(o, core_perm_name((enum perm)p), v);
    }
    return o;
}

int
h_session_get(struct req *r, struct err *e)
{
    const struct credential *c = r->cred;
    const struct config *cfg = r->srv->cfg;
    bool session = c->kind == CREDENTIAL_SESSION;
    json_t *body;

    body = json_pack("{s:{s:s, s:s, s:o}, s:s, s:o, s:s?, s:o, s:o}", "user", "login",
                     c->owner.login, "name", c->owner.name, "roles", render_memberships(c->owner.memberships, c->owner.n_memberships),
                     "via", session ? "session" : "token", "permissions", render_permissions(r),
                     "csrf_token", session ? c->csrf : NULL, "expires_at",
                     session ? render_time(c->expires_at, cfg->tz_offset_min) : json_null(),
                     "token", session ? json_null()
                                      : json_pack("{s:I, s:s, s:s?}", "id", (json_int_t)c->id,
                                                  "name", c->name, "project", c->project));
    return http_reply_json(r, 200, body) < 0 ? nomem(e) : 0;
}

/* ---- DELETE /api/session ---- */

static int
need_session(struct req *r, struct err *e)
{
    if (r->cred->kind == CREDENTIAL_SESSION)
        return 0;
    return err_set(e, ERR_INVALID, "Authorization", "not_a_session",
                   "an API token is revoked by an administrator, not signed out");
}

static int
logout_finish(struct req *r, struct err *e)
{
    if (http_reply_text(r, 204, "application/json; charset=utf-8", NULL, 0) < 0 ||
        http_reply_header(r, "Set-Cookie", session_cookie(r, "", 0)) < 0)
        return nomem(e);
    return 0;
}

static int
logout_run(struct store *st, struct store_job *job, struct err *e)
{
    struct req *r = job->ctx;

    if (st->ops->credential_revoke(st, CREDENTIAL_SESSION, r->cred->id, r->now, e) < 0 ||
        http_audit(st, r, "session.logout", r->who->login, NULL, e) < 0)
        return -1;
    r->finish = logout_finish;
    return 0;
}

int
h_session_delete(struct req *r, struct err *e)
{
    if (need_session(r, e) < 0)
        return -1;
    return http_submit(r, logout_run);
}

/* ---- POST /api/session/password ---- */

static int
password_finish(struct req *r, struct err *e)
{
    struct login_ctx *cx = r->ctx;

    if (!cx->ok)
        return err_set(e, ERR_INVALID, "current", "wrong", "the current password is wrong");
    return logout_finish(r, e);
}

static int
password_run(struct store *st, struct store_job *job, struct err *e)
{
    struct req *r = job->ctx;
    struct login_ctx *cx = r->ctx;
    char detail[64];
    int n = 0;

    r->finish = password_finish;
    if (!cx->ok)
        return http_audit(st, r, "user.password_failed", r->who->login, NULL, e);
    if (st->ops->staff_set_password(st, r->who->login, cx->fresh_hash, r->now, e) < 0 ||
        st->ops->session_revoke_staff(st, r->who->login, r->now, &n, e) < 0)
        return -1;
    snprintf(detail, sizeof(detail), "{\"by\":\"self\",\"sessions_revoked\":%d}", n);
    return http_audit(st, r, "user.password", r->who->login, detail, e);
}

static void
password_check(void *arg)
{
    struct req *r = arg;
    struct login_ctx *cx = r->ctx;

    cx->ok = password_verify(cx->hash, cx->password) && cx->known;
    record_outcome(r, cx);
    if (cx->ok && password_hash(cx->fresh, cx->fresh_hash, &cx->hash_err) < 0) {
        forget_passwords(cx);
        http_fail_suspended(r, &cx->hash_err);
        return;
    }
    forget_passwords(cx);
    http_write_suspended(r, password_run);
}

int
h_session_password(struct req *r, struct err *e)
{
    struct login_ctx *cx = arena_zalloc(r->arena, sizeof(*cx));
    const struct body_field fields[] = {
        { .key = "current", .kind = BODY_FIELD_SECRET, .required = true, .max = CORE_PASSWORD_MAX,
          .text = &cx->password },
        { .key = "new", .kind = BODY_FIELD_SECRET, .required = true, .max = CORE_PASSWORD_MAX,
          .text = &cx->fresh },
        { .key = NULL },
    };

    if (cx == NULL)
        return nomem(e);
    if (need_session(r, e) < 0 ||
        http_decode_fields(r->body.buf, r->body.len, fields, r->arena, e) < 0)
        return -1;
    cx->login = r->who->login;
    cx->address = http_client_address(r);
    r->ctx = cx;
    if (core_password_check(cx->fresh, cx->login, e) < 0) {
        e->field = "new";
        forget_passwords(cx);
        return -1;
    }
    if (check_throttles(r, cx, e) < 0 || load_hash(r, cx, e) < 0) {
        forget_passwords(cx);
        return -1;
    }
    return queue_check(r, password_check, e);
}
