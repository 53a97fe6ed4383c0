/* Registering, reading and listing complaints. */
#include "http/handlers.h"
#include "notify/notify.h"
#include "svc/svc.h"

#include <stdlib.h>
#include <string.h>

static int
nomem(struct err *e)
{
    return err_set(e, ERR_NOMEM, NULL, "nomem", "out of memory");
}

/* A complaint with what GET shows of it, loaded in the request's arena. */
struct loaded {
    struct complaint *c;
    struct event *events;
    struct attachment *atts;
    struct compensation *comps;
    struct followup *fups;
    struct history_item *history;
    size_t n_events, n_atts, n_comps, n_fups, n_history;
    struct clock_row *clocks;
    size_t n_clocks;
    int64_t now;                /* for the clocks' states */
};

#define HISTORY_SHOWN 20

static json_t *
render_actions(const char *status)
{
    enum wf_action acts[WF_ACTION_COUNT];
    size_t n = core_wf_actions(status, acts, WF_ACTION_COUNT);
    json_t *a = json_array();

    for (size_t i = 0; a != NULL && i < n; i++)
        json_array_append_new(a, json_string(core_wf_action_name(acts[i])));
    return a;
}

/* Each list member built by `one`, appended; NULL when out of memory. */
#define RENDER_LIST(arr, items, n, expr)                                                      \
    do {                                                                                      \
        for (size_t i_ = 0; (arr) != NULL && i_ < (n); i_++)                                  \
            if (json_array_append_new((arr), (expr)) < 0) {                                   \
                json_decref(arr);                                                             \
                (arr) = NULL;                                                                 \
            }                                                                                 \
    } while (0)

/* The complaint as GET returns it: all fields, its attachments and its timeline. */
static json_t *
render_full(const struct loaded *l, int tz, struct err *e)
{
    const struct complaint *c = l->c;
    json_t *o = render_complaint(c, tz, true);
    json_t *timeline = json_array(), *attachments = json_array(), *comps = json_array();
    json_t *fups = json_array(), *history = json_array(), *actions = render_actions(c->status);

    RENDER_LIST(timeline, l->events, l->n_events, render_event(&l->events[i_], tz));
    RENDER_LIST(attachments, l->atts, l->n_atts, render_attachment(&l->atts[i_], c->number, tz));
    RENDER_LIST(comps, l->comps, l->n_comps, render_compensation(&l->comps[i_], tz));
    RENDER_LIST(fups, l->fups, l->n_fups, render_followup(&l->fups[i_], tz));
    RENDER_LIST(history, l->history, l->n_history, render_history_item(&l->history[i_], tz));
    if (o == NULL || !timeline || !attachments || !comps || !fups || !history || !actions) {
        json_decref(o);
        json_decref(timeline);
        json_decref(attachments);
        json_decref(comps);
        json_decref(fups);
        json_decref(history);
        json_decref(actions);
        nomem(e);
        return NULL;
    }
    json_object_set_new(o, "clocks", svc_clocks_render(l->clocks, l->n_clocks, l->now, tz));
    json_object_set_new(o, "actions", actions);
    json_object_set_new(o, "compensations", comps);
    json_object_set_new(o, "followups", fups);
    json_object_set_new(o, "history", history);
    json_object_set_new(o, "attachments", attachments);
    json_object_set_new(o, "timeline", timeline);
    return o;
}

/* The complainant's earlier complaints, in the projects the caller may read. */
static int
load_history(struct store *st, struct req *r, const struct complaint *c, struct loaded *out,
             struct err *e)
{
    size_t kept = 0;

    if (st->ops->history_list(st, c->complainant_id, c->id, HISTORY_SHOWN, r->arena,
                              &out->history, &out->n_history, e) < 0)
        return -1;
    for (size_t i = 0; i < out->n_history; i++)
        if (core_can(r->who, PERM_COMPLAINT_READ, out->history[i].project_code))
            out->history[kept++] = out->history[i];
    out->n_history = kept;
    return 0;
}

static int
load_clocks(struct store *st, struct req *r, const struct complaint *c, struct loaded *out,
            struct err *e)
{
    out->now = r->now;
    return st->ops->clock_list(st, c->id, r->arena, &out->clocks, &out->n_clocks, e);
}

static int
load_full(struct store *st, struct req *r, struct complaint *c, struct loaded *out,
          struct err *e)
{
    struct followup_query fq = { .complaint_id = c->id, .limit = 100 };

    memset(out, 0, sizeof(*out));
    out->c = c;
    if (load_clocks(st, r, c, out, e) < 0 ||
        st->ops->event_list(st, c->id, r->arena, &out->events, &out->n_events, e) < 0 ||
        st->ops->attachment_list(st, c->id, r->arena, &out->atts, &out->n_atts, e) < 0 ||
        st->ops->compensation_list(st, c->id, r->arena, &out->comps, &out->n_comps, e) < 0 ||
        st->ops->followup_list(st, &fq, r->arena, &out->fups, &out->n_fups, e) < 0)
        return -1;
    return c->complainant_id == 0 ? 0 : load_history(st, r, c, out, e);
}

/*
 * The same for a complaint registered in this transaction: it has no
 * attachment, compensation or follow-up yet, its grade was set on it in
 * place, and its complainant's history is the caller's to load.
 */
static int
load_new(struct store *st, struct req *r, struct complaint *c, struct loaded *out,
         struct err *e)
{
    memset(out, 0, sizeof(*out));
    out->c = c;
    if (load_clocks(st, r, c, out, e) < 0)
        return -1;
    return st->ops->event_list(st, c->id, r->arena, &out->events, &out->n_events, e);
}

static int
reply_full(struct req *r, int status, const struct loaded *l, struct err *e)
{
    json_t *body = render_full(l, r->srv->cfg->tz_offset_min, e);

    if (body == NULL || http_reply_json(r, status, body) < 0)
        return e->code ? -1 : nomem(e);
    return 0;
}

int
http_reply_complaint(struct store *st, struct req *r, struct complaint *c, int status,
                     struct err *e)
{
    struct loaded l;

    if (load_full(st, r, c, &l, e) < 0)
        return -1;
    return reply_full(r, status, &l, e);
}

struct create_ctx {
    struct complaint_new in;
    const char *key;            /* Idempotency-Key or NULL */
    unsigned char hash[32];
    struct loaded made;         /* what was stored, for the reply */
};

static int
add_location(struct req *r, const char *number)
{
    const char *loc = arena_printf(r->arena, "/api/complaints/%s", number);

    return http_reply_header(r, "Location", loc);
}

/* On a replay, the Location comes from the stored body. */
static void
add_location_from_body(struct req *r)
{
    json_error_t jerr;
    json_t *o = json_loadb(r->reply.body, r->reply.len, 0, &jerr);
    const char *number = o ? json_string_value(json_object_get(o, "number")) : NULL;

    if (number != NULL)
        add_location(r, arena_strdup(r->arena, number));
    json_decref(o);
}

static int
create_reply(struct req *r, struct err *e)
{
    struct create_ctx *cx = r->ctx;

    if (reply_full(r, 201, &cx->made, e) < 0)
        return -1;
    return add_location(r, cx->made.c->number) < 0 ? nomem(e) : 0;
}

/*
 * After the commit, on the HTTP thread: the writer does only what must be
 * in the transaction. The complainant's history is read here, on a read
 * connection, so that intake does not wait for it.
 */
static int
create_finish(struct req *r, struct err *e)
{
    struct create_ctx *cx = r->ctx;
    struct store *rd;

    if (cx->made.c->complainant_id != 0 &&
        ((rd = http_reader(r, e)) == NULL || load_history(rd, r, cx->made.c, &cx->made, e) < 0))
        return -1;
    return create_reply(r, e);
}

int
http_register(struct store *st, struct req *r, struct complaint_new *in, struct complaint **out,
              struct err *e)
{
    const struct config *cfg = r->srv->cfg;
    struct complaint *c;
    struct svc_ctx x;
    const char *promised;

    /* graded as it is registered, and its similar complaints with it (DOMAIN §4) */
    life_ctx(r, &x);
    if (st->ops->complaint_create(st, in, cfg->number_prefix, cfg->tz_offset_min, r->now,
                                  r->arena, &c, e) < 0 ||
        life_regrade(st, r, c, true, e) < 0 || svc_clocks_sync(st, &x, c, e) < 0 ||
        svc_escalate(st, &x, c, e) < 0 ||
        /* the customer's acknowledgement and the webhooks, sent once this commits */
        (promised = svc_promised(st, &x, c, e)) == NULL ||
        notify_customer(st, c, "acknowledged", promised[0] ? promised : NULL, r->now, e) < 0 ||
        notify_complaint_event(st, "complaint.created", c, NULL, r->now, e) < 0)
        return -1;
    *out = c;
    return 0;
}

static int
create_run(struct store *st, struct store_job *job, struct err *e)
{
    struct req *r = job->ctx;
    struct create_ctx *cx = r->ctx;
    struct complaint *c;
    int replayed = 0;

    if (cx->key != NULL && (replayed = idem_replay(st, r, cx->key, cx->hash, e)) < 0)
        return -1;
    if (replayed) {
        add_location_from_body(r);
        return 0;
    }
    if (http_register(st, r, &cx->in, &c, e) < 0 ||
        http_audit(st, r, "complaint.create", c->number, NULL, e) < 0 ||
        load_new(st, r, c, &cx->made, e) < 0)
        return -1;
    if (cx->key == NULL) {
        r->finish = create_finish;
        return 0;
    }
    /* the first answer is kept with the key, so it is made here, in the transaction */
    if ((c->complainant_id != 0 && load_history(st, r, c, &cx->made, e) < 0) ||
        create_reply(r, e) < 0 || idem_remember(st, r, cx->key, cx->hash, e) < 0)
        return -1;
    return 0;
}

int
h_complaint_create(struct req *r, struct err *e)
{
    struct create_ctx *cx = arena_zalloc(r->arena, sizeof(*cx));

    if (cx == NULL)
        return nomem(e);
    if (idem_key(r, &cx->key, cx->hash, e) < 0 ||
        http_decode_complaint(r->body.buf, r->body.len, r->srv->cfg->tz_offset_min, r->arena,
                              &cx->in, e) < 0 ||
        core_complaint_check(&cx->in, r->now, e) < 0)
        return -1;
    /* a project outside the caller's is one that does not exist, as for the store */
    if (!core_can(r->who, PERM_COMPLAINT_CREATE, cx->in.project))
        return err_set(e, ERR_INVALID, "project", "unknown", "outside the caller's projects");
    if (cx->in.received_by == NULL)
        cx->in.received_by = r->who->login;
    r->ctx = cx;
    return http_submit(r, create_run);
}

struct complaint *
http_path_complaint(struct store *st, struct req *r, struct err *e)
{
    struct complaint *c = NULL;

    if (!core_number_is_wellformed(r->params[0])) {
        err_set(e, ERR_NOT_FOUND, "number", "unknown", "malformed number");
        return NULL;
    }
    if (st->ops->complaint_get(st, r->params[0], r->arena, &c, e) < 0)
        return NULL;
    /* outside the caller's projects it does not exist: the same answer as a missing one */
    if (!core_can(r->who, r->route->perm, c->project_code)) {
        err_set(e, ERR_NOT_FOUND, "number", "unknown", "outside the caller's projects");
        return NULL;
    }
    return c;
}

int
h_complaint_get(struct req *r, struct err *e)
{
    struct store *st = http_reader(r, e);
    struct complaint *c;
    struct loaded l;

    if (st == NULL || (c = http_path_complaint(st, r, e)) == NULL ||
        load_full(st, r, c, &l, e) < 0)
        return -1;
    return reply_full(r, 200, &l, e);
}

int
h_complaint_list(struct req *r, struct err *e)
{
    struct complaint_query q;
    struct complaint_page page;
    struct kv *params;
    size_t n;
    struct store *st;
    json_t *items, *body;
    const char *next = NULL;

    if (http_query_parse(r->raw_query, strlen(r->raw_query), r->arena, &params, &n, e) < 0 ||
        http_decode_list_query(params, n, r->srv->cfg->tz_offset_min, r->arena, &q, e) < 0 ||
        http_scope_filter(r, PERM_COMPLAINT_READ, &q.project, e) < 0)
        return -1;
    /* "me" is the caller (for a token, its owner) */
    for (size_t i = 0; i < q.handler.n; i++)
        if (strcmp(q.handler.values[i], "me") == 0)
            q.handler.values[i] = r->who->login;
    q.now = r->now;
    st = http_reader(r, e);
    if (st == NULL || st->ops->complaint_list(st, &q, r->arena, &page, e) < 0)
        return -1;
    items = json_array();
    for (size_t i = 0; items != NULL && i < page.n; i++)
        if (json_array_append_new(items, render_complaint(&page.items[i],
                                                          r->srv->cfg->tz_offset_min, false)) < 0) {
            json_decref(items);
            items = NULL;
        }
    if (page.more && page.n > 0)
        next = http_cursor_make(r->arena, q.sort, &page.items[page.n - 1]);
    body = items ? json_pack("{s:o, s:s?}", "items", items, "next_cursor", next) : NULL;
    if (body == NULL)
        return nomem(e);
    return http_reply_json(r, 200, body) < 0 ? nomem(e) : 0;
}

/* ---- events ---- */

struct event_ctx {
    struct event_body in;
    const char *key;
    unsigned char hash[32];
};

/* DOMAIN §14: a reply reaches the customer, with when the next answer is due. */
static int
tell_progress(struct store *st, const struct svc_ctx *x, const struct complaint *c,
              struct err *e)
{
    const char *due = svc_promised(st, x, c, e);

    if (due == NULL)
        return -1;
    return notify_customer(st, c, "progress", due[0] ? due : NULL, x->now, e);
}

static int
event_run(struct store *st, struct store_job *job, struct err *e)
{
    struct req *r = job->ctx;
    struct event_ctx *cx = r->ctx;
    struct complaint *c;
    struct event *ev;
    struct event_new in;
    struct svc_ctx x;
    int replayed = 0;

    if (cx->key != NULL && (replayed = idem_replay(st, r, cx->key, cx->hash, e)) != 0)
        return replayed < 0 ? -1 : 0;
    /* a solution is part of negotiating (in progress); notes go anywhere but the archive */
    if ((c = http_path_complaint(st, r, e)) == NULL ||
        core_wf_next(c->status, strcmp(cx->in.type, "solution") == 0 ? WF_NEGOTIATE : WF_NOTE,
                     &(const char *){ NULL }, e) < 0)
        return -1;
    in = (struct event_new){
        .complaint_id = c->id,
        .type = cx->in.type,
        .visibility = strcmp(cx->in.type, "reply") == 0 ? "customer" : "internal",
        .author = cx->in.author,
        .text = cx->in.text,
        .at = r->now,
    };
    life_ctx(r, &x);
    /* a reply answers the customer, a report informs the leader: clocks stop */
    if (st->ops->event_append(st, &in, r->arena, &ev, e) < 0 ||
        svc_clocks_on_event(st, &x, c, ev->type, e) < 0 ||
        (strcmp(ev->type, "reply") == 0 && tell_progress(st, &x, c, e) < 0))
        return -1;
    /* the type is one of the decoder's fixed set; the text stays out of the log */
    if (http_audit_json(st, r, "event.append", c->number,
                        json_pack("{s:i, s:s}", "seq", ev->seq, "type", ev->type), e) < 0)
        return -1;
    if (http_reply_json(r, 201, render_event(ev, r->srv->cfg->tz_offset_min)) < 0)
        return nomem(e);
    if (cx->key != NULL && idem_remember(st, r, cx->key, cx->hash, e) < 0)
        return -1;
    return 0;
}

int
h_event_create(struct req *r, struct err *e)
{
    struct event_ctx *cx = arena_zalloc(r->arena, sizeof(*cx));

    if (cx == NULL)
        return nomem(e);
    if (idem_key(r, &cx->key, cx->hash, e) < 0 ||
        http_decode_event(r->body.buf, r->body.len, r->arena, &cx->in, e) < 0)
        return -1;
    /* the author is whoever is signed in; naming another is refused, not ignored */
    if (cx->in.author != NULL && strcmp(cx->in.author, r->who->login) != 0)
        return err_set(e, ERR_INVALID, "author", "not_self", "author is the signed-in user");
    cx->in.author = r->who->login;
    r->ctx = cx;
    return http_submit(r, event_run);
}

int
h_event_list(struct req *r, struct err *e)
{
    struct store *st = http_reader(r, e);
    struct complaint *c;
    struct event *events;
    size_t n;
    json_t *items;

    if (st == NULL || (c = http_path_complaint(st, r, e)) == NULL ||
        st->ops->event_list(st, c->id, r->arena, &events, &n, e) < 0)
        return -1;
    items = json_array();
    for (size_t i = 0; items != NULL && i < n; i++)
        json_array_append_new(items, render_event(&events[i], r->srv->cfg->tz_offset_min));
    if (items == NULL)
        return nomem(e);
    return http_reply_json(r, 200, json_pack("{s:o}", "items", items)) < 0 ? nomem(e) : 0;
}

