/*
 * Notifications over the API (DOMAIN §14; notify/notify.h):
 *
 *   - The inbox: every signed-in user reads and marks only their own
 *     notifications. Another's id is answered like one that does not
 *     exist (404), so ids tell nobody what others were sent.
 *   - Webhooks (config.admin): the signing secret comes from the CSPRNG,
 *     is shown once in the answer that creates or rotates it, and never
 *     again: not in lists, not in the audit log, not in the server log.
 *   - The outbox of deliveries, with every attempt, and its dead-letter
 *     list (status=dead), which an administrator replays. Deliveries that
 *     carry a customer's contact details (personal) show neither the
 *     address unmasked nor the payload: administrators read no complaint
 *     data (docs/permissions.md).
 *   - Customer message templates: an administrator edits the text; the
 *     placeholders are checked against notify/template.h's list, so a
 *     typo is a 400 naming "subject" or "body", not a blank in a message.
 * Every administrator's change is one write job with its audit entry.
 */
#include "http/handlers.h"
#include "core/privacy.h"
#include "notify/template.h"

#include <curl/curl.h>
#include <errno.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define INBOX_DEFAULT 50
#define INBOX_MAX 200              /* store: notification_query.limit */
#define DELIVERY_DEFAULT 50
#define DELIVERY_MAX 500           /* store: delivery_query.limit */
#define WEBHOOK_NAME_MAX 100
#define WEBHOOK_URL_MAX 2000       /* bytes */
#define EVENTS_MAX 32              /* entries of a webhook's filter */
#define EVENT_MAX 64
#define SECRET_PREFIX "whsec_"
#define TEMPLATE_SUBJECT_MAX 200   /* characters */
#define TEMPLATE_BODY_MAX 4000

static int
nomem(struct err *e)
{
    return err_set(e, ERR_NOMEM, NULL, "nomem", "out of memory");
}

static int
reply(struct req *r, int status, json_t *body, struct err *e)
{
    if (body == NULL)
        return nomem(e);
    return http_reply_json(r, status, body) < 0 ? nomem(e) : 0;
}

static json_t *
str_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

static json_t *
time_or_null(int64_t t, int tz_min)
{
    return t != 0 ? render_time(t, tz_min) : json_null();
}

static int
tz(const struct req *r)
{
    return r->srv->cfg->tz_offset_min;
}

/*
 * The parameters of a query, by name: each of `names` at most once
 * ("repeated"), no other ("unknown_parameter"); values[i] NULL when absent.
 */
static int
query_take(struct req *r, const char *const *names, const char **values, struct err *e)
{
    struct kv *params;
    size_t n, k;

    if (http_query_parse(r->raw_query, strlen(r->raw_query), r->arena, &params, &n, e) < 0)
        return -1;
    for (k = 0; names[k] != NULL; k++)
        values[k] = NULL;
    for (size_t i = 0; i < n; i++) {
        for (k = 0; names[k] != NULL && strcmp(names[k], params[i].key) != 0; k++)
            ;
        if (names[k] == NULL)
            return err_set(e, ERR_INVALID, params[i].key, "unknown_parameter", "unknown");
        if (values[k] != NULL)
            return err_set(e, ERR_INVALID, names[k], "repeated", "given twice");
        values[k] = params[i].value;
    }
    return 0;
}

static bool
positive_id(const char *s, int64_t *out)
{
    char *end;
    long long n;

    if (s == NULL || s[0] < '1' || s[0] > '9')
        return false;
    errno = 0;
    n = strtoll(s, &end, 10);
    if (*end != '\0' || errno != 0 || n <= 0)
        return false;
    *out = n;
    return true;
}

/* An id in the path: one that could not be an id names nothing (404). */
static int
path_id(struct req *r, int64_t *out, struct err *e)
{
    if (!positive_id(r->params[0], out))
        return err_set(e, ERR_NOT_FOUND, "id", "unknown", "malformed id");
    return 0;
}

/* ?before=<id>: the page below the last id seen */
static int
before_parse(const char *value, int64_t *out, struct err *e)
{
    if (value != NULL && !positive_id(value, out))
        return err_set(e, ERR_INVALID, "before", "bad_value", "not a positive id");
    return 0;
}

static int
enum_param(const char *field, const char *value, const char *const *set, const char **out,
           struct err *e)
{
    for (size_t i = 0; set[i] != NULL; i++)
        if (strcmp(set[i], value) == 0) {
            *out = set[i];
            return 0;
        }
    return err_set(e, ERR_INVALID, field, "bad_value", "not an allowed value");
}

/* A body of only these members; an empty body counts as {}. */
static int
decode(struct req *r, const struct body_field *fields, struct err *e)
{
    if (r->body.len == 0)
        return http_decode_fields("{}", 2, fields, r->arena, e);
    return http_decode_fields(r->body.buf, r->body.len, fields, r->arena, e);
}

/* ---- the inbox ---- */

static json_t *
render_notification(const struct notification *n, enum i18n_lang lang, int tz_min)
{
    bool en = lang == I18N_EN;

    return json_pack("{s:I, s:s, s:o, s:s, s:o, s:s, s:s, s:o, s:o, s:o, s:b, s:o}", "id",
                     (json_int_t)n->id, "kind", n->kind, "complaint", str_or_null(n->number),
                     "title", en ? n->title_en : n->title_zh, "body",
                     str_or_null(en ? n->body_en : n->body_zh), "title_zh", n->title_zh,
                     "title_en", n->title_en, "body_zh", str_or_null(n->body_zh), "body_en",
                     str_or_null(n->body_en), "created_at", render_time(n->created_at, tz_min),
                     "read", n->read_at != 0, "read_at", time_or_null(n->read_at, tz_min));
}

static json_t *
render_notifications(struct req *r, const struct notification *items, size_t n)
{
    json_t *a = json_array();

    for (size_t i = 0; a != NULL && i < n; i++)
        if (json_array_append_new(a, render_notification(&items[i], r->lang, tz(r))) < 0) {
            json_decref(a);
            a = NULL;
        }
    return a;
}

/* "1" / "true" or "0" / "false" */
static int
flag_param(const char *field, const char *value, bool *out, struct err *e)
{
    if (strcmp(value, "1") == 0 || strcmp(value, "true") == 0)
        *out = true;
    else if (strcmp(value, "0") == 0 || strcmp(value, "false") == 0)
        *out = false;
    else
        return err_set(e, ERR_INVALID, field, "bad_value", "not 1, 0, true or false");
    return 0;
}

/* GET /api/notifications?unread=1&limit=50&before=ID */
int
h_notification_list(struct req *r, struct err *e)
{
    static const char *const names[] = { "unread", "limit", "before", NULL };
    struct notification_query q = { .login = r->who->login, .limit = INBOX_DEFAULT };
    struct notification *items = NULL;
    const char *v[4];
    struct store *st;
    int64_t unread = 0;
    size_t n = 0;
    bool more = false;
    json_t *a;

    if (query_take(r, names, v, e) < 0 ||
        (v[0] && flag_param("unread", v[0], &q.unread_only, e) < 0) ||
        (v[1] && http_limit_parse(v[1], INBOX_MAX, &q.limit, e) < 0) ||
        before_parse(v[2], &q.before_id, e) < 0)
        return -1;
    if ((st = http_reader(r, e)) == NULL ||
        st->ops->notification_list(st, &q, r->arena, &items, &n, &more, e) < 0 ||
        st->ops->notification_unread(st, r->who->login, &unread, e) < 0)
        return -1;
    if ((a = render_notifications(r, items, n)) == NULL)
        return nomem(e);
    return reply(r, 200,
                 json_pack("{s:o, s:I, s:o}", "items", a, "unread", (json_int_t)unread,
                           "next_before",
                           more ? json_integer((json_int_t)items[n - 1].id) : json_null()),
                 e);
}

/* GET /api/notifications/unread-count */
int
h_notification_unread(struct req *r, struct err *e)
{
    struct store *st = http_reader(r, e);
    int64_t unread = 0;

    if (st == NULL || st->ops->notification_unread(st, r->who->login, &unread, e) < 0)
        return -1;
    return reply(r, 200, json_pack("{s:I}", "unread", (json_int_t)unread), e);
}

struct read_ctx {
    int64_t id;
};

static int
notification_read_run(struct store *st, struct store_job *job, struct err *e)
{
    struct req *r = job->ctx;
    struct read_ctx *cx = r->ctx;
    struct notification *n;

    if (st->ops->notification_read(st, r->who->login, cx->id, r->now, r->arena, &n, e) < 0)
        return -1;
    return reply(r, 200, render_notification(n, r->lang, tz(r)), e);
}

/* POST /api/notifications/:id/read */
int
h_notification_read(struct req *r, struct err *e)
{
    struct read_ctx *cx = arena_zalloc(r->arena, sizeof(*cx));

    if (cx == NULL)
        return nomem(e);
    if (path_id(r, &cx->id, e) < 0)
        return -1;
    r->ctx = cx;
    return http_submit(r, notification_read_run);
}

static int
notification_read_all_run(struct store *st, struct store_job *job, struct err *e)
{
    struct req *r = job->ctx;
    int64_t marked = 0;

    if (st->ops->notification_read_all(st, r->who->login, r->now, &marked, e) < 0)
        return -1;
    return reply(r, 200, json_pack("{s:I, s:i}", "marked", (json_int_t)marked, "unread", 0), e);
}

/* POST /api/notifications/read-all */
int
h_notification_read_all(struct req *r, struct err *e)
{
    (void)e;
    return http_submit(r, notification_read_all_run);
}

/* ---- webhooks ---- */

/* "complaint" or "complaint.sla": the part before ".*" of a prefix entry */
static bool
event_prefix_ok(const char *p, size_t n)
{
    char buf[EVENT_MAX + 8];

    if (n == 0 || n > EVENT_MAX)
        return false;
    /* a prefix is a type without its last segment: check it with one added */
    memcpy(buf, p, n);
    memcpy(buf + n, ".x", 3);
    return notify_event_type_ok(buf);
}

/* "*", a type ("complaint.overdue") or a prefix ("complaint.*") */
static bool
event_filter_ok(const char *s)
{
    size_t n = strlen(s);

    if (strcmp(s, "*") == 0)
        return true;
    if (n > 2 && s[n - 1] == '*' && s[n - 2] == '.')
        return event_prefix_ok(s, n - 2);
    return notify_event_type_ok(s);
}

/*
 * "events": a non-empty array of filters, kept as "a,b,c". Absent:
 * `fallback` ("*" on creation, NULL: unchanged on a change).
 */
static int
events_decode(json_t *root, struct req *r, const char *fallback, const char **out,
              struct err *e)
{
    json_t *arr = json_object_get(root, "events"), *v;
    struct sbuf sb;
    size_t i;

    *out = fallback;
    if (arr == NULL || json_is_null(arr))
        return 0;
    if (!json_is_array(arr))
        return err_set(e, ERR_INVALID, "events", "bad_type", "not an array");
    if (json_array_size(arr) == 0)
        return err_set(e, ERR_INVALID, "events", "empty", "no event");
    if (json_array_size(arr) > EVENTS_MAX)
        return err_set(e, ERR_INVALID, "events", "too_many", "over %d events", EVENTS_MAX);
    sbuf_init(&sb, EVENTS_MAX * (EVENT_MAX + 1));
    json_array_foreach(arr, i, v) {
        const char *s = json_string_value(v);
        if (s == NULL) {
            sbuf_release(&sb);
            return err_set(e, ERR_INVALID, "events", "bad_type", "not a string");
        }
        if (!event_filter_ok(s)) {
            sbuf_release(&sb);
            return err_set(e, ERR_INVALID, "events", "bad_value",
                           "not *, a type such as complaint.overdue or a prefix complaint.*");
        }
        if (i > 0)
            sbuf_addc(&sb, ',');
        sbuf_adds(&sb, s);
    }
    *out = sb.failed ? NULL : arena_strndup(r->arena, sb.buf, sb.len);
    sbuf_release(&sb);
    return *out ? 0 : nomem(e);
}

/*
 * An absolute http:// or https:// URL with a host (libcurl's parser, the
 * same that sends); the host into *host for the audit log, which keeps no
 * path or query (they may hold a receiver's token).
 */
static int
url_check(struct req *r, const char *url, const char **host, struct err *e)
{
    CURLU *u = curl_url();
    char *scheme = NULL, *h = NULL;
    int rc = 0;

    if (u == NULL)
        return nomem(e);
    if (strlen(url) > WEBHOOK_URL_MAX)
        rc = err_set(e, ERR_INVALID, "url", "too_long", "over %d bytes", WEBHOOK_URL_MAX);
    else if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
             curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
             curl_url_get(u, CURLUPART_HOST, &h, 0) != CURLUE_OK || h[0] == '\0')
        rc = err_set(e, ERR_INVALID, "url", "bad_format", "not an absolute URL");
    else if (strcasecmp(scheme, "http") != 0 && strcasecmp(scheme, "https") != 0)
        rc = err_set(e, ERR_INVALID, "url", "bad_format", "not http:// or https://");
    else if (host != NULL && (*host = arena_strdup(r->arena, h)) == NULL)
        rc = nomem(e);
    curl_free(scheme);
    curl_free(h);
    curl_url_cleanup(u);
    return rc;
}

/* Split "a,b" into a JSON array. */
static json_t *
render_events(const char *events)
{
    json_t *a = json_array();
    const char *p = events;

    while (a != NULL && p != NULL && *p) {
        size_t n = strcspn(p, ",");
        if (json_array_append_new(a, json_stringn(p, n)) < 0) {
            json_decref(a);
            return NULL;
        }
        p = p[n] ? p + n + 1 : NULL;
    }
    return a;
}

/* Never the secret: that is added once, by the answer that makes it. */
static json_t *
render_webhook(const struct webhook *w, int tz_min)
{
    json_t *events = render_events(w->events);

    if (events == NULL)
        return NULL;
    return json_pack("{s:I, s:s, s:s, s:o, s:b, s:o, s:o}", "id", (json_int_t)w->id, "name",
                     w->name, "url", w->url, "events", events, "active", w->active,
                     "created_at", render_time(w->created_at, tz_min), "updated_at",
                     render_time(w->updated_at, tz_min));
}

/* A webhook as stored now, with its new secret when one was made. */
static int
reply_webhook(struct store *st, struct req *r, int64_t id, const char *secret, int status,
              struct err *e)
{
    struct webhook *w;
    json_t *o;

    if (st->ops->webhook_get(st, id, r->arena, &w, e) < 0)
        return -1;
    if ((o = render_webhook(w, tz(r))) == NULL)
        return nomem(e);
    if (secret != NULL)
        json_object_set_new(o, "secret", json_string(secret));
    return reply(r, status, o, e);
}

int
h_webhook_list(struct req *r, struct err *e)
{
    struct store *st = http_reader(r, e);
    struct webhook *items;
    size_t n;
    json_t *a;

    if (st == NULL || st->ops->webhook_list(st, r->arena, &items, &n, e) < 0)
        return -1;
    a = json_array();
    for (size_t i = 0; a != NULL && i < n; i++)
        if (json_array_append_new(a, render_webhook(&items[i], tz(r))) < 0) {
            json_decref(a);
            a = NULL;
        }
    return reply(r, 200, a ? json_pack("{s:o}", "items", a) : NULL, e);
}

/* A new signing secret: 32 bytes from the CSPRNG (util/secret.h), prefixed. */
static const char *
new_secret(struct req *r)
{
    char text[SECRET_TEXT];
    unsigned char hash[SECRET_HASH];
    const char *s;

    secret_new(text, hash);
    s = arena_printf(r->arena, SECRET_PREFIX "%s", text);
    sodium_memzero(text, sizeof(text));
    return s;
}

struct webhook_ctx {
    struct webhook_new in;
    struct webhook_change ch;
    int64_t id;
    const char *host;             /* of the URL, for the audit log */
    bool rotate;
};

static int
webhook_create_run(struct store *st, struct store_job *job, struct err *e)
{
    struct req *r = job->ctx;
    struct webhook_ctx *cx = r->ctx;

    if (st->ops->webhook_add(st, &cx->in, &cx->id, e) < 0 ||
        http_audit_json(st, r, "webhook.create", cx->in.name,
                        json_pack("{s:I, s:s, s:s, s:s}", "id", (json_int_t)cx->id, "name",
                                  cx->in.name, "host", cx->host, "events", cx->in.events),
                        e) < 0)
        return -1;
    return reply_webhook(st, r, cx->id, cx->in.secret, 201, e);
}

/* POST /api/webhooks {"name", "url", "events"?} */
int
h_webhook_create(struct req *r, struct err *e)
{
    struct webhook_ctx *cx = arena_zalloc(r->arena, sizeof(*cx));
    static const char *const others[] = { "events", NULL };
    json_t *root;
    int rc;

    if (cx == NULL)
        return nomem(e);
    const struct body_field fields[] = {
        { .key = "name", .kind = BODY_FIELD_TEXT, .required = true, .max = WEBHOOK_NAME_MAX,
          .text = &cx->in.name },
        { .key = "url", .kind = BODY_FIELD_SECRET, .required = true, .max = WEBHOOK_URL_MAX,
          .text = &cx->in.url },
        { .key = NULL },
    };
    if ((root = http_load_object(r->body.len ? r->body.buf : "{}", r->body.len ? r->body.len : 2,
                                 e)) == NULL)
        return -1;
    rc = http_decode_fields_in(root, fields, others, r->arena, e) < 0 ||
                 events_decode(root, r, "*", &cx->in.events, e) < 0
             ? -1
             : 0;
    json_decref(root);
    if (rc < 0 || url_check(r, cx->in.url, &cx->host, e) < 0)
        return -1;
    if ((cx->in.secret = new_secret(r)) == NULL)
        return nomem(e);
    cx->in.created_at = r->now;
    r->ctx = cx;
    return http_submit(r, webhook_create_run);
}

static json_t *
webhook_change_detail(const struct webhook_ctx *cx, const struct webhook *w)
{
    json_t *d = json_pack("{s:I, s:s}", "id", (json_int_t)w->id, "name", w->name);

    if (d == NULL)
        return NULL;
    if (cx->ch.url != NULL)
        json_object_set_new(d, "host", json_string(cx->host));
    if (cx->ch.events != NULL)
        json_object_set_new(d, "events", json_string(cx->ch.events));
    if (cx->ch.has_active)
        json_object_set_new(d, "active", json_boolean(cx->ch.active));
    if (cx->rotate)
        json_object_set_new(d, "secret_rotated", json_true());
    return d;
}

static int
webhook_update_run(struct store *st, struct store_job *job, struct err *e)
{
    struct req *r = job->ctx;
    struct webhook_ctx *cx = r->ctx;
    struct webhook *w;

    if (st->ops->webhook_get(st, cx->id, r->arena, &w, e) < 0 ||
        st->ops->webhook_update(st, cx->id, &cx->ch, r->now, e) < 0 ||
        http_audit_json(st, r, "webhook.update", w->name, webhook_change_detail(cx, w), e) < 0)
        return -1;
    return reply_webhook(st, r, cx->id, cx->ch.secret, 200, e);
}

/* PATCH /api/webhooks/:id {"url"?, "events"?, "active"?, "rotate_secret"?} */
int
h_webhook_update(struct req *r, struct err *e)
{
    struct webhook_ctx *cx = arena_zalloc(r->arena, sizeof(*cx));
    static const char *const others[] = { "events", NULL };
    bool has_rotate = false;
    json_t *root;
    int rc;

    if (cx == NULL)
        return nomem(e);
    const struct body_field fields[] = {
        { .key = "url", .kind = BODY_FIELD_SECRET, .max = WEBHOOK_URL_MAX, .text = &cx->ch.url },
        { .key = "active", .kind = BODY_FIELD_BOOL, .flag = &cx->ch.active,
          .given = &cx->ch.has_active },
        { .key = "rotate_secret", .kind = BODY_FIELD_BOOL, .flag = &cx->rotate,
          .given = &has_rotate },
        { .key = NULL },
    };
    if (path_id(r, &cx->id, e) < 0)
        return -1;
    if ((root = http_load_object(r->body.len ? r->body.buf : "{}", r->body.len ? r->body.len : 2,
                                 e)) == NULL)
        return -1;
    rc = http_decode_fields_in(root, fields, others, r->arena, e) < 0 ||
                 events_decode(root, r, NULL, &cx->ch.events, e) < 0
             ? -1
             : 0;
    json_decref(root);
    if (rc < 0 || (cx->ch.url != NULL && url_check(r, cx->ch.url, &cx->host, e) < 0))
        return -1;
    if (cx->ch.url == NULL && cx->ch.events == NULL && !cx->ch.has_active && !cx->rotate)
        return err_set(e, ERR_INVALID, NULL, "nothing_to_change", "no member given");
    if (cx->rotate && (cx->ch.secret = new_secret(r)) == NULL)
        return nomem(e);
    r->ctx = cx;
    return http_submit(r, webhook_update_run);
}

/* ---- deliveries and the dead-letter list ---- */

/* What an administrator may see of where it went: a customer's address only masked. */
static json_t *
render_recipient(const struct delivery *d)
{
    char masked[CORE_MASK_MAX];

    if (d->recipient == NULL)
        return json_null();
    if (!d->personal)
        return json_string(d->recipient);
    core_mask_email(d->recipient, masked);
    return json_string(masked);
}

/* The content, unless it holds a customer's contact details. */
static json_t *
render_payload(const struct delivery *d)
{
    json_error_t jerr;
    json_t *v;

    if (d->personal || d->body == NULL)
        return json_null();
    if (strcmp(d->channel, "email") == 0)
        return json_pack("{s:s?, s:s}", "subject", d->subject, "body", d->body);
    v = json_loads(d->body, 0, &jerr);
    return v ? v : json_string(d->body);
}

static json_t *
render_delivery(const struct delivery *d, int tz_min)
{
    json_t *hook = d->webhook_id ? json_pack("{s:I, s:s?}", "id", (json_int_t)d->webhook_id,
                                             "name", d->webhook_name)
                                 : json_null();

    return json_pack(
        "{s:I, s:s, s:s, s:s, s:o, s:o, s:o, s:b, s:i, s:i, s:o, s:o, s:o, s:o, s:o}", "id",
        (json_int_t)d->id, "channel", d->channel, "event", d->event, "status", d->status,
        "webhook", hook ? hook : json_null(), "recipient", render_recipient(d), "complaint",
        str_or_null(d->number), "personal", d->personal, "attempts", d->attempts, "replays",
        d->replays, "last_status", d->last_status ? json_integer(d->last_status) : json_null(),
        "last_error", str_or_null(d->last_error), "next_attempt_at",
        strcmp(d->status, "pending") == 0 ? render_time(d->next_attempt_at, tz_min)
                                          : json_null(),
        "created_at", render_time(d->created_at, tz_min), "delivered_at",
        time_or_null(d->delivered_at, tz_min));
}

static json_t *
render_attempt(const struct delivery_attempt *t, int tz_min)
{
    return json_pack("{s:o, s:i, s:o, s:b, s:o}", "at", render_time(t->at, tz_min),
                     "duration_ms", t->duration_ms, "status",
                     t->status ? json_integer(t->status) : json_null(), "ok", t->ok, "error",
                     str_or_null(t->error));
}

/* GET /api/deliveries?status=dead&channel=webhook&limit=50&before=ID */
int
h_delivery_list(struct req *r, struct err *e)
{
    static const char *const names[] = { "status", "channel", "limit", "before", NULL };
    static const char *const statuses[] = { "pending", "delivered", "dead", NULL };
    static const char *const channels[] = { "webhook", "email", NULL };
    struct delivery_query q = { .limit = DELIVERY_DEFAULT };
    struct delivery *items = NULL;
    const char *v[5];
    struct store *st;
    size_t n = 0;
    bool more = false;
    json_t *a;

    if (query_take(r, names, v, e) < 0 ||
        (v[0] && enum_param("status", v[0], statuses, &q.status, e) < 0) ||
        (v[1] && enum_param("channel", v[1], channels, &q.channel, e) < 0) ||
        (v[2] && http_limit_parse(v[2], DELIVERY_MAX, &q.limit, e) < 0) ||
        before_parse(v[3], &q.before_id, e) < 0)
        return -1;
    if ((st = http_reader(r, e)) == NULL ||
        st->ops->delivery_list(st, &q, r->arena, &items, &n, &more, e) < 0)
        return -1;
    a = json_array();
    for (size_t i = 0; a != NULL && i < n; i++)
        if (json_array_append_new(a, render_delivery(&items[i], tz(r))) < 0) {
            json_decref(a);
            a = NULL;
        }
    if (a == NULL)
        return nomem(e);
    return reply(r, 200,
                 json_pack("{s:o, s:o}", "items", a, "next_before",
                           more ? json_integer((json_int_t)items[n - 1].id) : json_null()),
                 e);
}

/* One delivery with its payload (unless personal) and every attempt. */
static int
reply_delivery(struct store *st, struct req *r, int64_t id, struct err *e)
{
    struct delivery *d;
    struct delivery_attempt *tries;
    size_t n;
    json_t *o, *log;

    if (st->ops->delivery_get(st, id, r->arena, &d, &tries, &n, e) < 0)
        return -1;
    o = render_delivery(d, tz(r));
    log = json_array();
    for (size_t i = 0; log != NULL && i < n; i++)
        if (json_array_append_new(log, render_attempt(&tries[i], tz(r))) < 0) {
            json_decref(log);
            log = NULL;
        }
    if (o == NULL || log == NULL) {
        json_decref(o);
        json_decref(log);
        return nomem(e);
    }
    json_object_set_new(o, "payload", render_payload(d));
    json_object_set_new(o, "attempt_log", log);
    return reply(r, 200, o, e);
}

/* GET /api/deliveries/:id */
int
h_delivery_get(struct req *r, struct err *e)
{
    struct store *st;
    int64_t id;

    if (path_id(r, &id, e) < 0 || (st = http_reader(r, e)) == NULL)
        return -1;
    return reply_delivery(st, r, id, e);
}

static int
delivery_replay_run(struct store *st, struct store_job *job, struct err *e)
{
    struct req *r = job->ctx;
    struct read_ctx *cx = r->ctx;
    const char *object = arena_printf(r->arena, "delivery %lld", (long long)cx->id);

    if (object == NULL)
        return nomem(e);
    if (st->ops->delivery_replay(st, cx->id, r->now, e) < 0 ||
        http_audit_json(st, r, "delivery.replay", object,
                        json_pack("{s:I}", "id", (json_int_t)cx->id), e) < 0)
        return -1;
    return reply_delivery(st, r, cx->id, e);
}

/* POST /api/deliveries/:id/replay: a dead letter back to pending, with a fresh budget */
int
h_delivery_replay(struct req *r, struct err *e)
{
    struct read_ctx *cx = arena_zalloc(r->arena, sizeof(*cx));

    if (cx == NULL)
        return nomem(e);
    if (path_id(r, &cx->id, e) < 0)
        return -1;
    r->ctx = cx;
    return http_submit(r, delivery_replay_run);
}

/* ---- customer message templates ---- */

static json_t *
render_template(const struct message_template *t, int tz_min)
{
    return json_pack("{s:s, s:s, s:s, s:s, s:o, s:o}", "code", t->code, "lang", t->lang,
                     "subject", t->subject, "body", t->body, "updated_at",
                     render_time(t->updated_at, tz_min), "updated_by",
                     str_or_null(t->updated_by));
}

int
h_template_list(struct req *r, struct err *e)
{
    struct store *st = http_reader(r, e);
    struct message_template *items;
    json_t *a, *names;
    size_t n;

    if (st == NULL || st->ops->template_list(st, r->arena, &items, &n, e) < 0)
        return -1;
    a = json_array();
    for (size_t i = 0; a != NULL && i < n; i++)
        if (json_array_append_new(a, render_template(&items[i], tz(r))) < 0) {
            json_decref(a);
            a = NULL;
        }
    names = json_array();
    for (size_t i = 0; names != NULL && tpl_customer_names[i] != NULL; i++)
        json_array_append_new(names, json_string(tpl_customer_names[i]));
    if (a == NULL || names == NULL) {
        json_decref(a);
        json_decref(names);
        return nomem(e);
    }
    return reply(r, 200, json_pack("{s:o, s:o}", "items", a, "placeholders", names), e);
}

struct template_ctx {
    const char *code, *lang, *subject, *body;
};

static int
template_put_run(struct store *st, struct store_job *job, struct err *e)
{
    struct req *r = job->ctx;
    struct template_ctx *cx = r->ctx;
    struct message_template *old, t;
    const char *object = arena_printf(r->arena, "%s/%s", cx->code, cx->lang);

    if (object == NULL)
        return nomem(e);
    if (st->ops->template_get(st, cx->code, cx->lang, r->arena, &old, e) < 0)
        return -1;
    t = *old;
    t.subject = cx->subject ? cx->subject : old->subject;
    t.body = cx->body ? cx->body : old->body;
    t.updated_at = r->now;
    t.updated_by = r->who->login;
    if (st->ops->template_put(st, &t, e) < 0 ||
        http_audit_json(st, r, "template.put", object,
                        json_pack("{s:s, s:s, s:b, s:b}", "code", t.code, "lang", t.lang,
                                  "subject", cx->subject != NULL, "body", cx->body != NULL),
                        e) < 0)
        return -1;
    return reply(r, 200, render_template(&t, tz(r)), e);
}

/* A template's code as the store names them: 1..32 of a-z and '_'. */
static bool
template_code_ok(const char *s)
{
    size_t n = strlen(s);

    if (n == 0 || n > 32)
        return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || *s == '_'))
            return false;
    return true;
}

/* PUT /api/message-templates/:code/:lang {"subject"?, "body"?} */
int
h_template_put(struct req *r, struct err *e)
{
    struct template_ctx *cx = arena_zalloc(r->arena, sizeof(*cx));

    if (cx == NULL)
        return nomem(e);
    const struct body_field fields[] = {
        { .key = "subject", .kind = BODY_FIELD_TEXT, .max = TEMPLATE_SUBJECT_MAX,
          .text = &cx->subject },
        { .key = "body", .kind = BODY_FIELD_PARAGRAPH, .max = TEMPLATE_BODY_MAX,
          .text = &cx->body },
        { .key = NULL },
    };
    /* the path names a template: one that could not exist is not found */
    if (!template_code_ok(r->params[0]))
        return err_set(e, ERR_NOT_FOUND, "code", "unknown", "not a template code");
    if (strcmp(r->params[1], "zh") != 0 && strcmp(r->params[1], "en") != 0)
        return err_set(e, ERR_NOT_FOUND, "lang", "unknown", "not zh or en");
    cx->code = r->params[0];
    cx->lang = r->params[1];
    if (decode(r, fields, e) < 0)
        return -1;
    if (cx->subject == NULL && cx->body == NULL)
        return err_set(e, ERR_INVALID, NULL, "nothing_to_change", "no member given");
    if ((cx->subject &&
         tpl_check(cx->subject, strlen(cx->subject), tpl_customer_names, "subject", e) < 0) ||
        (cx->body && tpl_check(cx->body, strlen(cx->body), tpl_customer_names, "body", e) < 0))
        return -1;
    r->ctx = cx;
    return http_submit(r, template_put_run);
}
