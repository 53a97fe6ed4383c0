/*
 * Administration over the API (issue 3, items 1, 3 and 7): staff accounts
 * and their roles, API tokens, and the auditors' view of the audit log.
 *
 *   - Passwords are hashed on the login queue (argon2id is 0.1 s of a core:
 *     never on an HTTP thread), then written by the writer. A password the
 *     administrator does not type is generated and shown once, in the reply.
 *   - A token is shown once, at creation; the store keeps only its SHA-256.
 *   - Every change is audited in the transaction that makes it. The details
 *     say who did what to which account; never a password, a hash, a token,
 *     a phone number or an e-mail address (core/audit.h). Staff contact
 *     details are not customers' data, so the administrator sees them whole
 *     in the list, but they stay out of the log all the same.
 *   - Reading the audit log is not itself audited: it holds no customers'
 *     data, only who touched what.
 */
#include "http/decode_admin.h"
#include "util/password.h"
#include "util/workq.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PASSWORD_SHOWN_LEN 20    /* characters of a generated password, as `kesu user` makes */

static int
nomem(struct err *e)
{
    return err_set(e, ERR_NOMEM, NULL, "nomem", "out of memory");
}

static int
reply(struct req *r, int status, json_t *body, struct err *e)
{
    return http_reply_json(r, status, body) < 0 ? nomem(e) : 0;
}

static json_t *
text_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

/* 0 is "never" in the store's records */
static json_t *
time_or_null(int64_t t, int tz_min)
{
    return t ? render_time(t, tz_min) : json_null();
}

/*
 * A JSON array of n records of `size` bytes each, rendered one by one; NULL
 * when out of memory. The callbacks take the record as void so one loop
 * serves every list here.
 */
typedef json_t *(*render_fn)(const void *record, int tz_min);

static json_t *
render_list(const void *records, size_t n, size_t size, render_fn render, int tz_min)
{
    json_t *a = json_array();

    for (size_t i = 0; a != NULL && i < n; i++)
        if (json_array_append_new(a, render((const char *)records + i * size, tz_min)) < 0) {
            json_decref(a);
            return NULL;
        }
    return a;
}

/* An account as the administrator sees it; never the password hash. */
static json_t *
render_staff(const struct staff *s, int tz_min)
{
    return json_pack("{s:s, s:s, s:o, s:o, s:s, s:b, s:o, s:o, s:o}", "login", s->login, "name",
                     s->name, "phone", text_or_null(s->phone), "email", text_or_null(s->email),
                     "status", s->status, "has_password", s->has_password, "roles",
                     render_memberships(s->memberships, s->n_memberships), "created_at",
                     time_or_null(s->created_at, tz_min), "password_changed_at",
                     time_or_null(s->password_changed_at, tz_min));
}

static json_t *
staff_item(const void *s, int tz_min)
{
    return render_staff(s, tz_min);
}

static int
reply_staff(struct req *r, int status, const struct staff *s, struct err *e)
{
    return reply(r, status, render_staff(s, r->srv->cfg->tz_offset_min), e);
}

/* ---- GET /api/users ---- */

int
h_user_list(struct req *r, struct err *e)
{
    struct store *st = http_reader(r, e);
    struct staff *list;
    size_t n;

    if (st == NULL || st->ops->staff_list(st, r->arena, &list, &n, e) < 0)
        return -1;
    return reply(r, 200,
                 json_pack("{s:o}", "items",
                           render_list(list, n, sizeof(*list), staff_item,
                                       r->srv->cfg->tz_offset_min)),
                 e);
}

/* ---- passwords: hashed on the login queue, then written ---- */

/* A request that sets a password, across the login queue and the writer (r->ctx). */
struct account_ctx {
    struct user_body in;            /* a reset uses only login and password */
    store_job_run_fn run;           /* the write, once the password is hashed */
    char shown[PASSWORD_SHOWN_LEN + 1];   /* generated: in the reply once, "" when typed */
    char hash[PASSWORD_HASH_MAX];
    struct err hash_err;
    int revoked;                    /* sessions a reset ended */
    struct staff *staff;            /* the account as stored, for the reply */
};

static void
forget_typed(struct account_ctx *cx)
{
    if (cx->in.password != NULL)
        sodium_memzero((void *)(uintptr_t)cx->in.password, strlen(cx->in.password));
}

/* On a login-queue thread: hash the typed or a generated password, then hand over to the writer. */
static void
hash_then_write(void *arg)
{
    struct req *r = arg;
    struct account_ctx *cx = r->ctx;
    const char *password = cx->in.password;
    int rc;

    if (password == NULL) {
        password_generate(cx->shown, PASSWORD_SHOWN_LEN);
        password = cx->shown;
    }
    rc = password_hash(password, cx->hash, &cx->hash_err);
    forget_typed(cx);
    if (rc < 0) {
        sodium_memzero(cx->shown, sizeof(cx->shown));
        http_fail_suspended(r, &cx->hash_err);
        return;
    }
    http_write_suspended(r, cx->run);
}

/* Queue the hashing; a full queue is 503 now, not a wait (as for sign-in). */
static int
queue_hash(struct req *r, struct account_ctx *cx, store_job_run_fn run, struct err *e)
{
    cx->run = run;
    r->ctx = cx;
    if (http_login_queue(r, hash_then_write, e) < 0)
        forget_typed(cx);
    return HTTP_PENDING;
}

/*
 * The generated password goes into the reply and is wiped here. When the
 * write fails it is never shown and opens nothing: no account holds it.
 */
static int
add_shown(json_t *body, struct account_ctx *cx)
{
    int rc = 0;

    if (body != NULL && cx->shown[0] != '\0')
        rc = json_object_set_new(body, "password", json_string(cx->shown));
    sodium_memzero(cx->shown, sizeof(cx->shown));
    return rc;
}

/*
 * Add a role inside the write. The store names the reference at fault
 * ("project"); `prefix` puts it where the client wrote it ("roles[1].").
 * The account itself is the subject of the path: missing, it is 404.
 */
static int
add_membership(struct store *st, struct req *r, const char *login, const struct membership *m,
               const char *prefix, struct err *e)
{
    const char *field;

    if (st->ops->membership_add(st, login, m, e) == 0)
        return 0;
    if (e->code == ERR_CONFLICT && e->field == NULL)
        e->field = "role";    /* held already */
    if (e->field == NULL || (e->code != ERR_INVALID && e->code != ERR_CONFLICT))
        return -1;
    if (strcmp(e->field, "login") == 0) {
        e->code = ERR_NOT_FOUND;
        e->reason = "unknown";
    } else if ((field = arena_printf(r->arena, "%s%s", prefix, e->field)) != NULL) {
        e->field = field;
    }
    return -1;
}

/* A role granted, in the write: the membership and its "user.role" entry, as `kesu user` writes. */
static int
grant(struct store *st, struct req *r, const char *login, const struct membership *m,
      const char *prefix, struct err *e)
{
    if (add_membership(st, r, login, m, prefix, e) < 0)
        return -1;
    return http_audit_json(st, r, "user.role", login, render_membership(m), e);
}

/* ---- POST /api/users ---- */

static int
user_create_finish(struct req *r, struct err *e)
{
    struct account_ctx *cx = r->ctx;
    json_t *body = render_staff(cx->staff, r->srv->cfg->tz_offset_min);

    if (add_shown(body, cx) < 0) {
        json_decref(body);
        body = NULL;
    }
    return reply(r, 201, body, e);
}

static int
user_create_run(struct store *st, struct store_job *job, struct err *e)
{
    struct req *r = job->ctx;
    struct account_ctx *cx = r->ctx;
    const struct user_body *u = &cx->in;
    struct staff_new in = { .login = u->login, .name = u->name, .phone = u->phone,
                            .email = u->email, .password_hash = cx->hash };

    if (st->ops->staff_add(st, &in, r->now, e) < 0) {
        if (e->code == ERR_CONFLICT && e->field == NULL)
            e->field = "login";    /* taken */
        return -1;
    }
    /* the name and roles, and whether the password was generated; the contact details stay out */
    if (http_audit_json(st, r, "user.add", u->login,
                        json_pack("{s:s, s:o, s:b}", "name", u->name, "roles",
                                  render_memberships(u->roles, u->n_roles),
                                  "password_generated", u->password == NULL),
                        e) < 0)
        return -1;
    for (size_t i = 0; i < u->n_roles; i++) {
        const char *prefix = arena_printf(r->arena, "roles[%zu].", i);
        if (grant(st, r, u->login, &u->roles[i], prefix ? prefix : "", e) < 0)
            return -1;
    }
    if (st->ops->staff_get(st, u->login, r->arena, &cx->staff, e) < 0)
        return -1;
    r->finish = user_create_finish;
    return 0;
}

int
h_user_create(struct req *r, struct err *e)
{
    struct account_ctx *cx = arena_zalloc(r->arena, sizeof(*cx));

    if (cx == NULL)
        return nomem(e);
    if (http_decode_user(r->body.buf, r->body.len, r->arena, &cx->in, e) < 0) {
        forget_typed(cx);
        return -1;
    }
    return queue_hash(r, cx, user_create_run, e);
}

/* ---- POST /api/users/:login/password ---- */

static int
user_password_finish(struct req *r, struct err *e)
{
    struct account_ctx *cx = r->ctx;
    json_t *body = json_pack("{s:s, s:i}", "login", cx->in.login, "sessions_revoked",
                             cx->revoked);

    if (add_shown(body, cx) < 0) {
        json_decref(body);
        body = NULL;
    }
    return reply(r, 200, body, e);
}

static int
user_password_run(struct store *st, struct store_job *job, struct err *e)
{
    struct req *r = job->ctx;
    struct account_ctx *cx = r->ctx;

    if (st->ops->staff_set_password(st, cx->in.login, cx->hash, r->now, e) < 0 ||
        st->ops->session_revoke_staff(st, cx->in.login, r->now, &cx->revoked, e) < 0 ||
        http_audit_json(st, r, "user.password", cx->in.login,
                        json_pack("{s:s, s:i}", "by", "admin", "sessions_revoked", cx->revoked),
                        e) < 0)
        return -1;
    r->finish = user_password_finish;
    return 0;
}

/* The account of the path, on the read connection; ERR_NOT_FOUND when there is none. */
static struct staff *
path_staff(struct req *r, struct err *e)
{
    struct store *st = http_reader(r, e);
    struct staff *s = NULL;

    if (st == NULL || st->ops->staff_get(st, r->params[0], r->arena, &s, e) < 0)
        return NULL;
    return s;
}

int
h_user_password(struct req *r, struct err *e)
{
    struct account_ctx *cx = arena_zalloc(r->arena, sizeof(*cx));

    if (cx == NULL)
        return nomem(e);
    cx->in.login = r->params[0];
    if (http_decode_user_password(r->body.buf, r->body.len, cx->in.login, r->arena,
                                  &cx->in.password, e) < 0 ||
        path_staff(r, e) == NULL) {    /* before spending a hash on nobody */
        forget_typed(cx);
        return -1;
    }
    return queue_hash(r, cx, user_password_run, e);
}

/* ---- POST /api/users/:login/status ---- */

struct status_ctx {
    const char *status;             /* "active" | "disabled" */
    struct staff *staff;            /* loaded in the write, then changed */
};

static int
staff_finish(struct req *r, struct err *e)
{
    struct status_ctx *cx = r->ctx;

    return reply_staff(r, 200, cx->staff, e);
}

static int
user_status_run(struct store *st, struct store_job *job, struct err *e)
{
    struct req *r = job->ctx;
    struct status_ctx *cx = r->ctx;
    const char *before;
    int revoked = 0;

    if (st->ops->staff_get(st, r->params[0], r->arena, &cx->staff, e) < 0)
        return -1;
    before = cx->staff->status;
    if (st->ops->staff_set_status(st, cx->staff->login, cx->status, e) < 0)
        return -1;
    /* sign-in checks the status anyway; ending the sessions makes it visible at once */
    if (strcmp(cx->status, "disabled") == 0 &&
        st->ops->session_revoke_staff(st, cx->staff->login, r->now, &revoked, e) < 0)
        return -1;
    if (http_audit_json(st, r, "user.status", cx->staff->login,
                        json_pack("{s:s, s:s, s:i}", "before", before, "after", cx->status,
                                  "sessions_revoked", revoked),
                        e) < 0)
        return -1;
    cx->staff->status = cx->status;
    r->finish = staff_finish;
    return 0;
}

int
h_user_status(struct req *r, struct err *e)
{
    struct status_ctx *cx = arena_zalloc(r->arena, sizeof(*cx));

    if (cx == NULL)
        return nomem(e);
    if (http_decode_user_status(r->body.buf, r->body.len, r->arena, &cx->status, e) < 0)
        return -1;
    /*
     * Not oneself: the request would end the caller's own session halfway,
     * and the last administrator could lock everyone out of account
     * administration for good. Since no administrator can disable
     * themselves, one active administrator always remains.
     */
    if (strcmp(cx->status, "disabled") == 0 && strcmp(r->params[0], r->who->login) == 0)
        return err_set(e, ERR_CONFLICT, NULL, "self", "an administrator cannot disable themselves");
    r->ctx = cx;
    return http_submit(r, user_status_run);
}

/* ---- POST /api/users/:login/roles ---- */

struct role_ctx {
    struct status_ctx base;         /* staff, for staff_finish */
    struct membership m;
};

static int
user_role_run(struct store *st, struct store_job *job, struct err *e)
{
    struct req *r = job->ctx;
    struct role_ctx *cx = r->ctx;

    if (grant(st, r, r->params[0], &cx->m, "", e) < 0 ||
        st->ops->staff_get(st, r->params[0], r->arena, &cx->base.staff, e) < 0)
        return -1;
    r->finish = staff_finish;
    return 0;
}

int
h_user_role(struct req *r, struct err *e)
{
    struct role_ctx *cx = arena_zalloc(r->arena, sizeof(*cx));

    if (cx == NULL)
        return nomem(e);
    if (http_decode_role(r->body.buf, r->body.len, r->arena, &cx->m, e) < 0)
        return -1;
    r->ctx = cx;
    return http_submit(r, user_role_run);
}

/* ---- API tokens ---- */

static json_t *
render_scopes(uint32_t scopes)
{
    json_t *a = json_array();

    for (int p = PERM_COMPLAINT_READ; a != NULL && p < PERM_COUNT; p++)
        if ((scopes & (1u << p)) && json_array_append_new(a, json_string(core_perm_name(p))) < 0) {
            json_decref(a);
            return NULL;
        }
    return a;
}

/* A token's record; never its secret or the hash of it. */
static json_t *
render_token(const struct credential *c, int tz_min)
{
    return json_pack("{s:I, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o}", "id", (json_int_t)c->id,
                     "name", c->name, "login", c->owner.login, "scopes", render_scopes(c->scopes),
                     "project", text_or_null(c->project), "created_at",
                     render_time(c->created_at, tz_min), "created_by",
                     text_or_null(c->created_by), "last_used_at",
                     time_or_null(c->last_used_at, tz_min), "revoked_at",
                     time_or_null(c->revoked_at, tz_min));
}

static json_t *
token_item(const void *c, int tz_min)
{
    return render_token(c, tz_min);
}

int
h_token_list(struct req *r, struct err *e)
{
    struct store *st = http_reader(r, e);
    struct credential *list;
    size_t n;

    if (st == NULL || st->ops->token_list(st, r->arena, &list, &n, e) < 0)
        return -1;
    return reply(r, 200,
                 json_pack("{s:o}", "items",
                           render_list(list, n, sizeof(*list), token_item,
                                       r->srv->cfg->tz_offset_min)),
                 e);
}

struct token_ctx {
    struct token_body in;
    char secret[SECRET_TEXT];
    unsigned char hash[STORE_SECRET_HASH];
    struct credential made;         /* what the reply shows */
};

static int
token_create_finish(struct req *r, struct err *e)
{
    struct token_ctx *cx = r->ctx;
    json_t *body = render_token(&cx->made, r->srv->cfg->tz_offset_min);
    char *text = arena_printf(r->arena, "%s%s", SECRET_TOKEN_PREFIX, cx->secret);

    sodium_memzero(cx->secret, sizeof(cx->secret));
    if (body != NULL &&
        (text == NULL || json_object_set_new(body, "token", json_string(text)) < 0)) {
        json_decref(body);
        body = NULL;
    }
    if (text != NULL)
        sodium_memzero(text, strlen(text));
    return reply(r, 201, body, e);
}

/* What `kesu token add` writes too: id, name, owner's login, scopes as text, project. */
static json_t *
token_detail(const struct token_ctx *cx, const char *scopes)
{
    return json_pack("{s:I, s:s, s:s, s:s, s:s?}", "id", (json_int_t)cx->made.id, "name",
                     cx->in.name, "login", cx->in.login, "scopes", scopes, "project",
                     cx->in.project);
}

static int
token_create_run(struct store *st, struct store_job *job, struct err *e)
{
    struct req *r = job->ctx;
    struct token_ctx *cx = r->ctx;
    struct token_new in = { .name = cx->in.name, .login = cx->in.login,
                            .scopes = cx->in.scopes, .project = cx->in.project,
                            .created_by = r->who->login, .created_at = r->now };
    char scopes[256];

    core_scopes_format(cx->in.scopes, scopes, sizeof(scopes));
    memcpy(in.token_hash, cx->hash, sizeof(in.token_hash));
    if (st->ops->token_create(st, &in, &cx->made.id, e) < 0 ||
        http_audit_json(st, r, "token.create", cx->in.name, token_detail(cx, scopes), e) < 0)
        return -1;
    cx->made = (struct credential){ .kind = CREDENTIAL_TOKEN, .id = cx->made.id,
                                    .created_at = r->now, .name = cx->in.name,
                                    .scopes = cx->in.scopes, .project = cx->in.project,
                                    .created_by = r->who->login,
                                    .owner = { .login = cx->in.login } };
    r->finish = token_create_finish;
    return 0;
}

int
h_token_create(struct req *r, struct err *e)
{
    struct token_ctx *cx = arena_zalloc(r->arena, sizeof(*cx));

    if (cx == NULL)
        return nomem(e);
    if (http_decode_token(r->body.buf, r->body.len, r->arena, &cx->in, e) < 0)
        return -1;
    secret_new(cx->secret, cx->hash);
    r->ctx = cx;
    return http_submit(r, token_create_run);
}

struct revoke_ctx {
    int64_t id;
    struct credential *token;       /* found in the write, shown in the reply */
};

static int
token_revoke_finish(struct req *r, struct err *e)
{
    struct revoke_ctx *cx = r->ctx;

    return reply(r, 200, render_token(cx->token, r->srv->cfg->tz_offset_min), e);
}

static int
find_token(struct store *st, struct req *r, int64_t id, struct credential **out, struct err *e)
{
    struct credential *list;
    size_t n;

    if (st->ops->token_list(st, r->arena, &list, &n, e) < 0)
        return -1;
    for (size_t i = 0; i < n; i++)
        if (list[i].id == id) {
            *out = &list[i];
            return 0;
        }
    return err_set(e, ERR_NOT_FOUND, "id", "unknown", "no token %lld", (long long)id);
}

static int
token_revoke_run(struct store *st, struct store_job *job, struct err *e)
{
    struct req *r = job->ctx;
    struct revoke_ctx *cx = r->ctx;
    struct credential *t = NULL;

    if (find_token(st, r, cx->id, &t, e) < 0)
        return -1;
    /* said here rather than by the store, whose "revoked" asks a user to sign in again */
    if (t->revoked_at != 0)
        return err_set(e, ERR_CONFLICT, "id", "already_revoked", "token %lld is revoked",
                       (long long)cx->id);
    if (st->ops->credential_revoke(st, CREDENTIAL_TOKEN, cx->id, r->now, e) < 0 ||
        http_audit_json(st, r, "token.revoke", t->name,
                        json_pack("{s:I, s:s}", "id", (json_int_t)t->id, "login", t->owner.login),
                        e) < 0)
        return -1;
    t->revoked_at = r->now;
    cx->token = t;
    r->finish = token_revoke_finish;
    return 0;
}

int
h_token_revoke(struct req *r, struct err *e)
{
    struct revoke_ctx *cx = arena_zalloc(r->arena, sizeof(*cx));

    if (cx == NULL)
        return nomem(e);
    if (http_decode_token_id(r->params[0], &cx->id, e) < 0)
        return -1;
    r->ctx = cx;
    return http_submit(r, token_revoke_run);
}

/* ---- GET /api/audit ---- */

/* The detail as stored: a JSON object; anything else (never written) is kept as text. */
static json_t *
render_detail(const char *text)
{
    json_error_t jerr;
    json_t *o = json_loads(text, 0, &jerr);

    if (o != NULL && json_is_object(o))
        return o;
    json_decref(o);
    return json_pack("{s:s}", "text", text);
}

static json_t *
render_entry(const void *record, int tz_min)
{
    const struct audit_entry *en = record;
    char hex[CORE_AUDIT_HASH * 2 + 1];

    sodium_bin2hex(hex, sizeof(hex), en->hash, sizeof(en->hash));
    return json_pack("{s:I, s:o, s:o, s:o, s:s, s:o, s:o, s:s}", "id", (json_int_t)en->id, "at",
                     render_time(en->at, tz_min), "actor", text_or_null(en->actor), "address",
                     text_or_null(en->address), "action", en->action, "object",
                     text_or_null(en->object), "detail", render_detail(en->detail), "hash", hex);
}

int
h_audit_list(struct req *r, struct err *e)
{
    int tz = r->srv->cfg->tz_offset_min;
    struct audit_query q;
    struct audit_entry *items;
    struct kv *params;
    size_t n_params, n;
    bool more;
    struct store *st;

    if (http_query_parse(r->raw_query, strlen(r->raw_query), r->arena, &params, &n_params, e) < 0 ||
        http_decode_audit_query(params, n_params, tz, &q, e) < 0 ||
        (st = http_reader(r, e)) == NULL ||
        st->ops->audit_query(st, &q, r->arena, &items, &n, &more, e) < 0)
        return -1;
    return reply(r, 200,
                 json_pack("{s:o, s:o}", "items",
                           render_list(items, n, sizeof(*items), render_entry, tz), "next_before",
                           more && n > 0 ? json_integer(items[n - 1].id) : json_null()),
                 e);
}
