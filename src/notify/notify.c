/*
 * Notifications (notify.h): what is to be told, recorded in the caller's
 * write transaction. Nothing here touches the network: the inbox row and
 * the deliveries (e-mails, webhook requests) are rows, and the sender
 * (sender.c) delivers the deliveries after the commit.
 *
 *   - Idempotent: every record carries the caller's dedup key, and the
 *     store refuses a second one with the same key and recipient, so a job
 *     run twice tells nobody twice.
 *   - Each function makes its own small arena for what it loads, freed
 *     before it returns: the callers are writer jobs of many kinds.
 *   - Customers' contact details go only where they are needed (the
 *     SMS/WeChat gateways' webhook, the customer's own e-mail) and those
 *     deliveries are marked personal, which the administrators' view of
 *     the outbox hides.
 */
#include "notify/notify.h"
#include "notify/template.h"
#include "util/arena.h"
#include "util/ts.h"

#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WORK_ARENA (256u << 10)
#define TYPE_MAX 64
#define DEDUP_MAX 200

/* Set once at start-up by notify_configure, read by the writer's jobs afterwards. */
static struct {
    bool email;                   /* an SMTP relay is configured */
    bool en;                      /* customers and e-mails in English (else Chinese) */
    int tz_min;
} conf = { false, false, 480 };

void
notify_configure(const struct config *cfg)
{
    conf.email = cfg->smtp_url[0] != '\0';
    conf.en = strcmp(cfg->lang, "en") == 0;
    conf.tz_min = cfg->tz_offset_min;
}

static int
nomem(struct err *e)
{
    return err_set(e, ERR_NOMEM, NULL, "nomem", "out of memory");
}

/* Pass on an error found while looking something up, unless one is recorded already. */
static int
pass_on(const struct err *got, struct err *e)
{
    return err_set(e, got->code, got->field, got->reason, "%s", got->detail);
}

/* ---- pure helpers ---- */

int64_t
notify_backoff(int base, int k)
{
    int64_t wait = base < 1 ? 1 : base;

    for (int i = 1; i < k && wait < NOTIFY_BACKOFF_MAX; i++)
        wait *= 2;
    return wait < NOTIFY_BACKOFF_MAX ? wait : NOTIFY_BACKOFF_MAX;
}

void
notify_after_attempt(bool ok, int attempts, int max_attempts, int base, int64_t now,
                     const char **status, int64_t *next)
{
    *next = now;
    if (ok)
        *status = "delivered";
    else if (attempts >= max_attempts)
        *status = "dead";
    else {
        *status = "pending";
        *next = now + notify_backoff(base, attempts);
    }
}

void
notify_sign(const char *secret, int64_t timestamp, const char *body, size_t len,
            char hex[NOTIFY_SIGNATURE_HEX])
{
    crypto_auth_hmacsha256_state st;
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    char ts[24];
    int n = snprintf(ts, sizeof(ts), "%lld.", (long long)timestamp);

    crypto_auth_hmacsha256_init(&st, (const unsigned char *)secret, strlen(secret));
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)ts, (unsigned long long)n);
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)body, len);
    crypto_auth_hmacsha256_final(&st, mac);
    sodium_bin2hex(hex, NOTIFY_SIGNATURE_HEX, mac, sizeof(mac));
    sodium_memzero(&st, sizeof(st));
}

bool
notify_event_type_ok(const char *type)
{
    size_t len = type ? strlen(type) : 0;
    bool dot = false;

    if (len == 0 || len > TYPE_MAX || type[0] < 'a' || type[0] > 'z' || type[len - 1] == '.')
        return false;
    for (size_t i = 0; i < len; i++) {
        char c = type[i];
        if (c == '.') {
            if (type[i + 1] == '.')
                return false;
            dot = true;
        } else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) {
            return false;
        }
    }
    return dot;
}

/* One entry of a filter, [p, p + n): "*", "complaint.*" or a type. */
static bool
entry_matches(const char *p, size_t n, const char *type)
{
    if (n == 1 && p[0] == '*')
        return true;
    if (n >= 2 && p[n - 1] == '*' && p[n - 2] == '.')
        return strncmp(type, p, n - 1) == 0;
    return strlen(type) == n && strncmp(type, p, n) == 0;
}

bool
notify_event_matches(const char *filter, const char *type)
{
    const char *p = filter;

    while (p != NULL && *p) {
        size_t n = strcspn(p, ",");
        if (entry_matches(p, n, type))
            return true;
        p = p[n] ? p + n + 1 : NULL;
    }
    return false;
}

int
notify_webhook_body(int64_t id, const char *type, int64_t at, int tz_min, const char *data,
                    struct sbuf *out, struct err *e)
{
    char when[TS_FORMAT_MAX];

    /* types are checked codes (no character to escape); data is stored JSON object text */
    if (!notify_event_type_ok(type))
        return err_set(e, ERR_INTERNAL, NULL, "internal", "event type '%s'", type);
    ts_format(at, tz_min, when);
    sbuf_addf(out, "{\"id\":%lld,\"type\":\"%s\",\"at\":\"%s\",\"data\":", (long long)id, type,
              when);
    sbuf_adds(out, data && *data ? data : "{}");
    sbuf_addc(out, '}');
    return out->failed ? nomem(e) : 0;
}

/* ---- staff ---- */

static const char *
in_lang(const char *zh, const char *en)
{
    return conf.en ? en : zh;
}

/* The e-mail that goes with an inbox message: in the deployment's language. */
static int
staff_email(struct store *st, const struct staff *s, const struct notify_msg *m, int64_t now,
            struct arena *a, struct err *e)
{
    const char *title = in_lang(m->title_zh, m->title_en);
    const char *body = in_lang(m->body_zh, m->body_en);
    const char *text;
    struct delivery_new d;
    int64_t id;

    if (body == NULL)
        body = title;
    if (m->number != NULL)
        text = arena_printf(a, "%s\n\n%s%s\n", body, conf.en ? "Complaint: " : "投诉编号:",
                            m->number);
    else
        text = arena_printf(a, "%s\n", body);
    if (text == NULL)
        return nomem(e);
    d = (struct delivery_new){
        .channel = "email",
        .recipient = s->email,
        .event = m->kind,
        .complaint_id = m->complaint_id,
        .subject = title,
        .body = text,
        .created_at = now,
    };
    return st->ops->delivery_add(st, &d, &id, e);
}

int
notify_staff(struct store *st, const char *login, const struct notify_msg *m, int64_t now,
             bool *sent, struct err *e)
{
    struct arena *a = arena_new(WORK_ARENA);
    struct err lookup = { 0 };
    struct staff *s = NULL;
    struct notification_new in;
    int64_t id = 0;
    int rc = -1;

    if (sent != NULL)
        *sent = false;
    if (a == NULL)
        return nomem(e);
    if (st->ops->staff_get(st, login, a, &s, &lookup) < 0) {
        /* a recipient may have left: nobody to tell is not a failure */
        rc = lookup.code == ERR_NOT_FOUND ? 0 : pass_on(&lookup, e);
        goto out;
    }
    if (strcmp(s->status, "active") != 0) {
        rc = 0;
        goto out;
    }
    in = (struct notification_new){
        .login = login,
        .complaint_id = m->complaint_id,
        .kind = m->kind,
        .title_zh = m->title_zh,
        .title_en = m->title_en,
        .body_zh = m->body_zh,
        .body_en = m->body_en,
        .dedup = m->dedup,
        .created_at = now,
    };
    if (st->ops->notification_add(st, &in, &id, e) < 0)
        goto out;
    /* the same message was there: it was e-mailed then too */
    if (id != 0 && conf.email && s->email != NULL && s->email[0] != '\0' &&
        staff_email(st, s, m, now, a, e) < 0)
        goto out;
    if (sent != NULL)
        *sent = id != 0;
    rc = 0;
out:
    arena_free(a);
    return rc;
}

/* ---- events to webhooks ---- */

/* A payload must be a JSON object: the sender embeds it as it is. */
static int
payload_check(const char *payload, struct err *e)
{
    json_error_t jerr;
    json_t *v = json_loads(payload, 0, &jerr);
    bool object = v != NULL && json_is_object(v);

    json_decref(v);
    if (!object)
        return err_set(e, ERR_INTERNAL, NULL, "internal", "event payload is not a JSON object");
    return 0;
}

/* One delivery per active webhook taking `type`; *count says how many new ones. */
static int
record_event(struct store *st, const char *type, const char *payload, int64_t complaint_id,
             bool personal, const char *dedup, int64_t now, struct arena *a, int *count,
             struct err *e)
{
    struct webhook *hooks;
    size_t n;

    if (!notify_event_type_ok(type))
        return err_set(e, ERR_INTERNAL, NULL, "internal", "bad event type");
    if (payload == NULL)
        payload = "{}";
    if (payload_check(payload, e) < 0 || st->ops->webhook_list(st, a, &hooks, &n, e) < 0)
        return -1;
    for (size_t i = 0; i < n; i++) {
        struct delivery_new d;
        int64_t id;

        if (!hooks[i].active || !notify_event_matches(hooks[i].events, type))
            continue;
        d = (struct delivery_new){
            .channel = "webhook",
            .webhook_id = hooks[i].id,
            .event = type,
            .complaint_id = complaint_id,
            .body = payload,
            .personal = personal,
            .dedup = dedup,
            .created_at = now,
        };
        if (st->ops->delivery_add(st, &d, &id, e) < 0)
            return -1;
        *count += id != 0;
    }
    return 0;
}

/* Does an active webhook take `type`? (Whether a message is worth rendering at all.) */
static int
any_subscriber(struct store *st, const char *type, struct arena *a, bool *yes, struct err *e)
{
    struct webhook *hooks;
    size_t n;

    *yes = false;
    if (st->ops->webhook_list(st, a, &hooks, &n, e) < 0)
        return -1;
    for (size_t i = 0; i < n && !*yes; i++)
        *yes = hooks[i].active && notify_event_matches(hooks[i].events, type);
    return 0;
}

int
notify_event(struct store *st, const char *type, const char *payload, const char *dedup,
             int64_t now, struct err *e)
{
    struct arena *a = arena_new(WORK_ARENA);
    int count = 0, rc;

    if (a == NULL)
        return nomem(e);
    rc = record_event(st, type, payload, 0, false, dedup, now, a, &count, e);
    arena_free(a);
    return rc;
}

static json_t *
text_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

int
notify_complaint_event(struct store *st, const char *type, const struct complaint *c,
                       const char *dedup, int64_t now, struct err *e)
{
    char received[TS_FORMAT_MAX];
    json_t *o;
    char *payload;
    struct arena *a;
    int count = 0, rc;

    ts_format(c->received_at, conf.tz_min, received);
    o = json_pack("{s:s, s:s, s:s, s:o, s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:s}", "number",
                  c->number, "project", c->project_code, "status", c->status, "grade",
                  text_or_null(c->grade), "kind", c->kind, "nature", c->nature, "channel",
                  c->channel, "category", text_or_null(c->category_code), "subcategory",
                  text_or_null(c->subcategory_code), "department",
                  text_or_null(c->department_code), "handler", text_or_null(c->handler_login),
                  "received_at", received);
    payload = o ? json_dumps(o, JSON_COMPACT) : NULL;
    json_decref(o);
    if (payload == NULL || (a = arena_new(WORK_ARENA)) == NULL) {
        free(payload);
        return nomem(e);
    }
    rc = record_event(st, type, payload, c->id, false, dedup, now, a, &count, e);
    arena_free(a);
    free(payload);
    return rc;
}

/* ---- customers ---- */

static const struct {
    const char *code, *zh, *en;
} status_names[] = {
    { "received", "已接收", "received" },
    { "registered", "已受理", "registered" },
    { "in_progress", "处理中", "being handled" },
    { "resolved", "已处理", "resolved" },
    { "closed", "已办结", "closed" },
    { "followed_up", "已回访", "followed up" },
    { "archived", "已归档", "archived" },
    { "invalid", "无效投诉", "not a valid complaint" },
};

static const char *
status_text(const char *code)
{
    for (size_t i = 0; code != NULL && i < sizeof(status_names) / sizeof(status_names[0]); i++)
        if (strcmp(status_names[i].code, code) == 0)
            return in_lang(status_names[i].zh, status_names[i].en);
    return code;
}

/* The message as the customer reads it: subject and body rendered from the template. */
struct customer_msg {
    const char *code, *lang, *subject, *body;
};

static int
render(struct arena *a, const char *text, const struct tpl_var *vars, size_t n,
       const char **out, struct err *e)
{
    struct sbuf sb;
    int rc;

    sbuf_init(&sb, TPL_OUT_MAX);
    rc = tpl_render(text, strlen(text), vars, n, &sb, e);
    if (rc == 0 && (*out = arena_strndup(a, sb.buf, sb.len)) == NULL)
        rc = nomem(e);
    sbuf_release(&sb);
    return rc;
}

static int
customer_msg(struct store *st, const struct complaint *c, const char *code, const char *due,
             struct arena *a, struct customer_msg *m, struct err *e)
{
    struct message_template *t;
    const struct tpl_var vars[] = {
        { "number", c->number },
        { "name", c->c_name && *c->c_name ? c->c_name : in_lang("客户", "customer") },
        { "subject", c->subject },
        { "project", c->project_name },
        { "status", status_text(c->status) },
        { "due", due ? due : in_lang("尽快", "as soon as possible") },
        { "result", c->result },
    };
    struct err lookup = { 0 };

    m->code = code;
    m->lang = conf.en ? "en" : "zh";
    if (st->ops->template_get(st, code, m->lang, a, &t, &lookup) < 0) {
        if (lookup.code == ERR_NOT_FOUND)
            return err_set(e, ERR_INTERNAL, NULL, "internal", "no customer template '%s'", code);
        return pass_on(&lookup, e);
    }
    if (render(a, t->subject, vars, sizeof(vars) / sizeof(vars[0]), &m->subject, e) < 0 ||
        render(a, t->body, vars, sizeof(vars) / sizeof(vars[0]), &m->body, e) < 0)
        return -1;
    return 0;
}

/* What the SMS / WeChat gateways get: the message, the number and the customer's contacts. */
static char *
customer_payload(const struct complaint *c, const struct customer_msg *m, const char *due)
{
    json_t *o = json_pack("{s:s, s:s, s:s, s:s?, s:s?, s:s?, s:s, s:s, s:s?}", "number",
                          c->number, "template", m->code, "lang", m->lang, "name", c->c_name,
                          "phone", c->c_phone, "email", c->c_email, "subject", m->subject,
                          "body", m->body, "due", due);
    char *text = o ? json_dumps(o, JSON_COMPACT) : NULL;

    json_decref(o);
    return text;
}

/* The "message" event on the complaint's timeline, which the customer may see. */
static int
message_event(struct store *st, const struct complaint *c, const struct customer_msg *m,
              bool email, int webhooks, int64_t now, struct arena *a, struct err *e)
{
    json_t *channels = json_array(), *data;
    char *text = NULL;
    struct event_new ev;
    struct event *made;
    int rc = -1;

    if (channels != NULL && email)
        json_array_append_new(channels, json_string("email"));
    if (channels != NULL && webhooks > 0)
        json_array_append_new(channels, json_string("webhook"));
    data = channels ? json_pack("{s:s, s:s, s:s, s:o}", "template", m->code, "lang", m->lang,
                                "subject", m->subject, "channels", channels)
                    : NULL;
    if (data == NULL || (text = json_dumps(data, JSON_COMPACT)) == NULL) {
        json_decref(data);
        return nomem(e);
    }
    json_decref(data);
    ev = (struct event_new){
        .complaint_id = c->id,
        .type = "message",
        .visibility = "customer",
        .text = m->body,
        .data = text,
        .at = now,
    };
    rc = st->ops->event_append(st, &ev, a, &made, e);
    free(text);
    return rc;
}

static bool
given(const char *s)
{
    return s != NULL && s[0] != '\0';
}

static const char *
default_dedup(const struct complaint *c, const char *code, char buf[DEDUP_MAX])
{
    if (strcmp(code, "acknowledged") == 0)
        snprintf(buf, DEDUP_MAX, "customer/%lld/acknowledged", (long long)c->id);
    else if (strcmp(code, "resolved") == 0 || strcmp(code, "followup") == 0)
        snprintf(buf, DEDUP_MAX, "customer/%lld/%s/%d", (long long)c->id, code, c->reopenings);
    else
        return NULL;
    return buf;
}

int
notify_customer(struct store *st, const struct complaint *c, const char *code, const char *due,
                int64_t now, struct err *e)
{
    char buf[DEDUP_MAX];

    return notify_customer_dedup(st, c, code, due, default_dedup(c, code, buf), now, NULL, e);
}

static int
customer_email(struct store *st, const struct complaint *c, const struct customer_msg *m,
               const char *dedup, int64_t now, int64_t *id, struct err *e)
{
    char event[TYPE_MAX + 16];
    struct delivery_new d;

    snprintf(event, sizeof(event), "customer.%s", m->code);
    d = (struct delivery_new){
        .channel = "email",
        .recipient = c->c_email,
        .event = event,
        .complaint_id = c->id,
        .subject = m->subject,
        .body = m->body,
        .personal = true,
        .dedup = dedup,
        .created_at = now,
    };
    return st->ops->delivery_add(st, &d, id, e);
}

int
notify_customer_dedup(struct store *st, const struct complaint *c, const char *code,
                      const char *due, const char *dedup, int64_t now, int *recorded,
                      struct err *e)
{
    struct arena *a;
    struct customer_msg m;
    char *payload = NULL;
    int64_t mail = 0;
    int hooks = 0, rc = -1;
    bool email = conf.email && given(c->c_email), gateway;

    if (recorded != NULL)
        *recorded = 0;
    /* an anonymous customer without contact details cannot be told anything */
    if (!given(c->c_phone) && !given(c->c_email))
        return 0;
    if ((a = arena_new(WORK_ARENA)) == NULL)
        return nomem(e);
    /* most registrations have no channel to the customer: render nothing then */
    if (any_subscriber(st, "customer.message", a, &gateway, e) < 0)
        goto out;
    if (!email && !gateway) {
        rc = 0;
        goto out;
    }
    if (customer_msg(st, c, code, due, a, &m, e) < 0)
        goto out;
    if (email && customer_email(st, c, &m, dedup, now, &mail, e) < 0)
        goto out;
    if ((payload = customer_payload(c, &m, due)) == NULL) {
        nomem(e);
        goto out;
    }
    if (record_event(st, "customer.message", payload, c->id, true, dedup, now, a, &hooks, e) < 0)
        goto out;
    /* the timeline says what went out; nothing new went out, nothing to say */
    if ((mail != 0 || hooks > 0) &&
        message_event(st, c, &m, mail != 0, hooks, now, a, e) < 0)
        goto out;
    if (recorded != NULL)
        *recorded = (mail != 0) + hooks;
    rc = 0;
out:
    free(payload);
    arena_free(a);
    return rc;
}
