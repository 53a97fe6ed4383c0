/*
 * The customer portal (issue 6): customers file a complaint, add photos,
 * follow it and answer its resolution, without an account.
 *
 *   - Nobody signs in. A complaint is found by its number together with
 *     the complainant's phone (compared normalised, util/phone.h). A wrong
 *     phone is answered exactly like an unknown number, 404 `number`
 *     `not_found`, and both count as a failure per client address and per
 *     number, throttled like password guessing (429 with Retry-After).
 *   - The routes are anonymous (routes.c): a staff cookie or token riding
 *     along is not even looked at, so it neither lends staff rights nor
 *     asks for a CSRF token.
 *   - The work is done by the staff routes' own code (registration,
 *     attachments, close, dispute) with nobody signed in, as the scheduler
 *     acts: events have no author and say "by": "customer", audit entries
 *     have no actor and say "via": "portal" (the client address is there).
 *   - What a customer sees is a view of its own (portal_view): no notes,
 *     no staff, no grade, no departments, no other complaints.
 */
#include "http/handlers.h"
#include "core/followup.h"
#include "core/privacy.h"
#include "svc/svc.h"
#include "util/phone.h"
#include "util/throttle.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PHOTOS_MAX 6                 /* photos one complaint takes from the portal */
#define UPLOAD_WINDOW (24 * 3600)    /* seconds after filing during which photos are taken */
#define COMMENT_MAX 2000             /* why the customer does not accept the result */
#define RATING_COMMENT_MAX 500
#define NUMBER_MAX 64
#define PHONE_MAX 64
#define HOUR_MS (3600 * 1000LL)
#define THROTTLE_ENTRIES 65536

static int
nomem(struct err *e)
{
    return err_set(e, ERR_NOMEM, NULL, "nomem", "out of memory");
}

/* ---- throttles ---- */

int
http_portal_start(struct server *srv, struct err *e)
{
    const struct config *cfg = srv->cfg;
    /* wrong phones are failed sign-ins: the same free failures and back-off */
    const struct throttle_policy per_number = { cfg->login_failures_free, 1000, 15 * 60 * 1000,
                                                HOUR_MS };
    const struct throttle_policy per_address = { cfg->address_failures_free, 1000,
                                                 15 * 60 * 1000, HOUR_MS };
    /* each filing counts as a "failure": the one past the limit waits an hour from the latest */
    const struct throttle_policy filings = { cfg->portal_filings_per_hour - 1, HOUR_MS, HOUR_MS,
                                             HOUR_MS };

    srv->portal_number = throttle_new(&per_number, THROTTLE_ENTRIES);
    srv->portal_address = throttle_new(&per_address, THROTTLE_ENTRIES);
    srv->portal_filings = throttle_new(&filings, THROTTLE_ENTRIES);
    if (srv->portal_number == NULL || srv->portal_address == NULL ||
        srv->portal_filings == NULL)
        return err_set(e, ERR_NOMEM, NULL, "nomem", "portal throttles");
    return 0;
}

void
http_portal_stop(struct server *srv)
{
    throttle_free(srv->portal_number);
    throttle_free(srv->portal_address);
    throttle_free(srv->portal_filings);
    srv->portal_number = srv->portal_address = srv->portal_filings = NULL;
}

/* The throttles count in milliseconds of the real clock (a wait of 1 s is 1 s). */
static int64_t
clock_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int
too_many(struct req *r, int64_t wait_ms, struct err *e)
{
    http_reply_header(r, "Retry-After",
                      arena_printf(r->arena, "%lld", (long long)(wait_ms + 999) / 1000));
    return err_set(e, ERR_RATE_LIMITED, NULL, "rate_limited", "wait %lld ms", (long long)wait_ms);
}

/* 429 while this address or this number must wait after wrong phones. */
static int
lookup_allowed(struct req *r, const char *address, const char *number, struct err *e)
{
    int64_t now = clock_ms();
    int64_t wait = throttle_wait(r->srv->portal_number, number, now);

    if (address != NULL) {
        int64_t w = throttle_wait(r->srv->portal_address, address, now);
        wait = w > wait ? w : wait;
    }
    return wait > 0 ? too_many(r, wait, e) : 0;
}

/* A wrong phone, an unknown or a malformed number: one answer, one failure counted. */
static void
not_found(struct req *r, const char *address, const char *number, struct err *e)
{
    int64_t now = clock_ms();

    throttle_fail(r->srv->portal_number, number, now);
    if (address != NULL)
        throttle_fail(r->srv->portal_address, address, now);
    err_set(e, ERR_NOT_FOUND, "number", "not_found", "no complaint with this number and phone");
}

/* ---- finding a complaint by number and phone ---- */

/* The phone as the customer typed it, normalised; errors name `field`. */
static int
phone_norm(const char *raw, const char *field, struct phone *out, struct err *e)
{
    if (raw == NULL || raw[0] == '\0')
        return err_set(e, ERR_INVALID, field, "required", "the phone is missing");
    return phone_parse(raw, strlen(raw), out, field, e);
}

/* Numbers are upper case; a customer may type them otherwise. */
static const char *
number_upper(struct req *r, const char *number)
{
    char *s = arena_strdup(r->arena, number);

    for (char *p = s; p != NULL && *p; p++)
        if (*p >= 'a' && *p <= 'z')
            *p = (char)(*p - 'a' + 'A');
    return s;
}

/*
 * The complaint `number` when `phone` is its complainant's, read on the
 * request's read connection; NULL with e set otherwise. A right phone
 * clears the number's failures, as a successful sign-in clears a login's.
 */
static struct complaint *
portal_find(struct req *r, const char *number, const struct phone *phone, struct err *e)
{
    const char *address = http_client_address(r);
    struct complaint *c = NULL;
    struct err miss = { 0 };
    struct store *st;

    if ((number = number_upper(r, number)) == NULL) {
        nomem(e);
        return NULL;
    }
    if (lookup_allowed(r, address, number, e) < 0)
        return NULL;
    if (!core_number_is_wellformed(number)) {
        not_found(r, address, number, e);
        return NULL;
    }
    if ((st = http_reader(r, e)) == NULL)
        return NULL;
    if (st->ops->complaint_get(st, number, r->arena, &c, &miss) < 0) {
        if (miss.code != ERR_NOT_FOUND)
            *e = miss;
        else
            not_found(r, address, number, e);
        return NULL;
    }
    if (c->c_phone == NULL || strcmp(c->c_phone, phone->norm) != 0) {
        not_found(r, address, number, e);
        return NULL;
    }
    throttle_success(r->srv->portal_number, number);
    return c;
}

/*
 * The complaint of the path's :number for this phone; the write job that
 * follows finds it by the path again, so the path takes the number as stored.
 */
static struct complaint *
portal_path_find(struct req *r, const struct phone *phone, struct err *e)
{
    struct complaint *c = portal_find(r, r->params[0], phone, e);

    if (c != NULL)
        r->params[0] = c->number;
    return c;
}

/* ---- the customer's view ---- */

/* The event's data member `key` is the string `value`. */
static bool
data_says(const struct event *ev, const char *key, const char *value)
{
    json_error_t jerr;
    json_t *data = json_loads(ev->data ? ev->data : "{}", 0, &jerr);
    const char *v = json_string_value(json_object_get(data, key));
    bool yes = v != NULL && strcmp(v, value) == 0;

    json_decref(data);
    return yes;
}

/* A photo the customer added through the portal (http_attachment_add marks them). */
static bool
is_portal_photo(const struct event *ev)
{
    return strcmp(ev->type, "attachment") == 0 && data_says(ev, "by", "customer");
}

static int
count_photos(const struct event *ev, size_t n)
{
    int photos = 0;

    for (size_t i = 0; i < n; i++)
        photos += is_portal_photo(&ev[i]);
    return photos;
}

static const struct event *
find_rating(const struct event *ev, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(ev[i].type, "customer_rating") == 0)
            return &ev[i];
    return NULL;
}

static json_t *
time_or_null(int64_t t, int tz)
{
    return t ? render_time(t, tz) : json_null();
}

static json_t *
render_rating(const struct event *ev, int tz)
{
    json_error_t jerr;
    json_t *data, *out;

    if (ev == NULL)
        return json_null();
    data = json_loads(ev->data ? ev->data : "{}", 0, &jerr);
    out = json_pack("{s:s?, s:s?, s:o}", "satisfaction",
                    json_string_value(json_object_get(data, "satisfaction")), "comment", ev->text,
                    "at", render_time(ev->at, tz));
    json_decref(data);
    return out;
}

/* Replies addressed to the customer, oldest first: {at, text}. */
static json_t *
render_replies(const struct event *ev, size_t n, int tz)
{
    json_t *a = json_array();

    for (size_t i = 0; a != NULL && i < n; i++)
        if (strcmp(ev[i].type, "reply") == 0 && strcmp(ev[i].visibility, "customer") == 0)
            json_array_append_new(a, json_pack("{s:o, s:s?}", "at", render_time(ev[i].at, tz),
                                                "text", ev[i].text));
    return a;
}

static bool
is_status(const struct complaint *c, const char *status)
{
    return strcmp(c->status, status) == 0;
}

/* May the customer rate it: closed (or followed up), not rated yet. Archived is final. */
static bool
can_rate(const struct complaint *c, const struct event *rating)
{
    return rating == NULL && (is_status(c, "closed") || is_status(c, "followed_up"));
}

static json_t *
view_json(const struct complaint *c, const struct event *ev, size_t n, int64_t next, int tz)
{
    const struct event *rating = find_rating(ev, n);
    char phone[PHONE_NORM_MAX], unit[CORE_MASK_MAX];
    json_t *o;

    if (c->c_phone != NULL)
        phone_mask(c->c_phone, phone);
    if (c->unit != NULL)
        core_mask_unit(c->unit, unit);
    o = json_pack("{s:s, s:s, s:s, s:s, s:s?, s:{s:s, s:s}, s:s?, s:s?, s:s?}", "number",
                  c->number, "status", c->status, "subject", c->subject, "content", c->content,
                  "demands", c->demands, "project", "code", c->project_code, "name",
                  c->project_name, "building", c->building, "unit", c->unit ? unit : NULL,
                  "phone", c->c_phone ? phone : NULL);
    if (o == NULL)
        return NULL;
    json_object_set_new(o, "received_at", render_time(c->received_at, tz));
    json_object_set_new(o, "next_answer_by", time_or_null(next, tz));
    json_object_set_new(o, "replies", render_replies(ev, n, tz));
    json_object_set_new(o, "resolution",
                        c->result && c->result[0]
                            ? json_pack("{s:o, s:s}", "at", time_or_null(c->resolved_at, tz),
                                        "text", c->result)
                            : json_null());
    json_object_set_new(o, "photos", json_integer(count_photos(ev, n)));
    json_object_set_new(o, "can_confirm", json_boolean(is_status(c, "resolved")));
    json_object_set_new(o, "can_rate", json_boolean(can_rate(c, rating)));
    json_object_set_new(o, "rating", render_rating(rating, tz));
    return o;
}

/* The customer's view of c, from store st, as the reply. */
static int
reply_view(struct store *st, struct req *r, const struct complaint *c, int status,
           struct err *e)
{
    struct svc_ctx x;
    struct event *ev;
    size_t n;
    int64_t next;

    life_ctx(r, &x);
    if (st->ops->event_list(st, c->id, r->arena, &ev, &n, e) < 0 ||
        svc_next_answer_at(st, &x, c, &next, e) < 0)
        return -1;
    return http_reply_json(r, status, view_json(c, ev, n, next, r->srv->cfg->tz_offset_min)) < 0
               ? nomem(e)
               : 0;
}

static int
reply_view_ok(struct store *st, struct req *r, const struct complaint *c, void *in,
              struct err *e)
{
    (void)in;
    return reply_view(st, r, c, 200, e);
}

static int
reply_view_created(struct store *st, struct req *r, const struct complaint *c, void *in,
                   struct err *e)
{
    (void)in;
    return reply_view(st, r, c, 201, e);
}

/* ---- GET /api/portal/form ---- */

static json_t *
form_projects(const struct project *ps, size_t n)
{
    json_t *items = json_array();

    for (size_t i = 0; items != NULL && i < n; i++) {
        json_t *b = json_array();
        for (size_t j = 0; b != NULL && j < ps[i].n_buildings; j++)
            json_array_append_new(b, json_string(ps[i].buildings[j]));
        json_array_append_new(items, json_pack("{s:s, s:s, s:o}", "code", ps[i].code, "name",
                                               ps[i].name, "buildings", b ? b : json_array()));
    }
    return items;
}

/* The categories a customer may choose: the top level, not retired. */
static json_t *
form_categories(const struct category *cats, size_t n)
{
    json_t *items = json_array();

    for (size_t i = 0; items != NULL && i < n; i++)
        if (!cats[i].retired)
            json_array_append_new(
                items, json_pack("{s:s, s:s, s:s, s:s?, s:s?}", "code", cats[i].code, "name_zh",
                                 cats[i].name_zh, "name_en", cats[i].name_en, "description_zh",
                                 cats[i].description_zh, "description_en",
                                 cats[i].description_en));
    return items;
}

int
h_portal_form(struct req *r, struct err *e)
{
    struct store *st = http_reader(r, e);
    struct project *ps;
    struct category *cats;
    const char *preset;
    size_t n_ps, n_cats;
    json_t *projects, *categories;

    if (st == NULL || st->ops->project_list(st, r->arena, &ps, &n_ps, e) < 0 ||
        st->ops->category_list(st, r->arena, &preset, &cats, &n_cats, e) < 0)
        return -1;
    projects = form_projects(ps, n_ps);
    categories = form_categories(cats, n_cats);
    if (projects == NULL || categories == NULL) {
        json_decref(projects);
        json_decref(categories);
        return nomem(e);
    }
    return http_reply_json(r, 200,
                           json_pack("{s:o, s:o, s:I, s:i}", "projects", projects, "categories",
                                     categories, "attachment_max",
                                     (json_int_t)r->srv->cfg->attachment_max, "photos_max",
                                     PHOTOS_MAX)) < 0
               ? nomem(e)
               : 0;
}

/* ---- POST /api/portal/complaints ---- */

struct file_ctx {
    struct complaint_new in;
    const char *address;         /* counted against its filings; NULL: unknown */
};

/* A filing counted in advance that was not stored after all. */
static void
file_forgive(struct req *r, const struct file_ctx *fx)
{
    if (fx->address != NULL)
        throttle_forgive(r->srv->portal_filings, fx->address);
}

static int
file_reply(struct store *st, struct req *r, const struct complaint *c, struct err *e)
{
    const int tz = r->srv->cfg->tz_offset_min;
    char phone[PHONE_NORM_MAX];
    struct svc_ctx x;
    int64_t next;

    life_ctx(r, &x);
    if (svc_next_answer_at(st, &x, c, &next, e) < 0)
        return -1;
    phone_mask(c->c_phone, phone);
    return http_reply_json(r, 201,
                           json_pack("{s:s, s:s, s:o, s:o, s:s}", "number", c->number, "status",
                                     c->status, "received_at", render_time(c->received_at, tz),
                                     "answer_by", time_or_null(next, tz), "phone", phone)) < 0
               ? nomem(e)
               : 0;
}

static int
file_run(struct store *st, struct store_job *job, struct err *e)
{
    struct req *r = job->ctx;
    struct file_ctx *fx = r->ctx;
    struct complaint *c;

    if (http_register(st, r, &fx->in, &c, e) < 0 ||
        http_audit_json(st, r, "complaint.create", c->number, json_pack("{s:s}", "via", "portal"),
                        e) < 0 ||
        file_reply(st, r, c, e) < 0) {
        file_forgive(r, fx);
        return -1;
    }
    return 0;
}

int
h_portal_file(struct req *r, struct err *e)
{
    struct file_ctx *fx = arena_zalloc(r->arena, sizeof(*fx));
    const char *lang;
    int64_t now = clock_ms(), wait;

    if (fx == NULL)
        return nomem(e);
    fx->address = http_client_address(r);
    if (fx->address != NULL &&
        (wait = throttle_wait(r->srv->portal_filings, fx->address, now)) > 0)
        return too_many(r, wait, e);
    if (http_decode_portal_complaint(r->body.buf, r->body.len, r->srv->cfg->tz_offset_min,
                                     r->now, r->arena, &fx->in, &lang, e) < 0)
        return -1;
    if (lang != NULL)
        r->lang = strcmp(lang, "en") == 0 ? I18N_EN : I18N_ZH;
    /* counted as it is let through, so a burst cannot slip past; forgiven if it fails */
    if (fx->address != NULL)
        throttle_fail(r->srv->portal_filings, fx->address, now);
    r->ctx = fx;
    return http_submit(r, file_run);
}

/* ---- POST /api/portal/complaints/:number/attachments ---- */

/* Photos help while it is being handled: within a day of filing, before it is resolved. */
static int
upload_allowed(struct store *st, struct req *r, const struct complaint *c, struct err *e)
{
    struct event *ev;
    size_t n;

    if (r->now - c->registered_at > UPLOAD_WINDOW || !core_wf_is_open(c->status))
        return err_set(e, ERR_CONFLICT, NULL, "closed_for_upload",
                       "photos only within 24 h of filing and before the resolution");
    if (st->ops->event_list(st, c->id, r->arena, &ev, &n, e) < 0)
        return -1;
    if (count_photos(ev, n) >= PHOTOS_MAX)
        return err_set(e, ERR_CONFLICT, "photos", "too_many", "at most %d photos", PHOTOS_MAX);
    return 0;
}

static int
upload_run(struct store *st, struct store_job *job, struct err *e)
{
    struct req *r = job->ctx;
    struct attachment_new *in = r->ctx;
    struct complaint *c;
    struct attachment *at;

    /* counted here, in the writer, so that simultaneous uploads cannot pass the limit */
    if ((c = http_path_complaint(st, r, e)) == NULL || upload_allowed(st, r, c, e) < 0 ||
        http_attachment_add(st, r, c, in, true, &at, e) < 0)
        return -1;
    return http_reply_json(r, 201,
                           json_pack("{s:I, s:s, s:I, s:s}", "id", (json_int_t)at->id, "name",
                                     at->name, "size", (json_int_t)at->size, "content_type",
                                     at->content_type)) < 0
               ? nomem(e)
               : 0;
}

int
h_portal_attachment(struct req *r, struct err *e)
{
    struct attachment_new *in = arena_zalloc(r->arena, sizeof(*in));
    struct phone phone;
    const char *name, *type;

    if (in == NULL)
        return nomem(e);
    if (phone_norm(http_header(r, "X-Kesu-Phone"), "X-Kesu-Phone", &phone, e) < 0 ||
        portal_path_find(r, &phone, e) == NULL || http_upload_name(r, &name, e) < 0)
        return -1;
    if (r->body.len == 0)
        return err_set(e, ERR_INVALID, "body", "empty", "empty file");
    /* the type is what the bytes are, whatever the browser called them */
    type = http_image_type((const unsigned char *)r->body.buf, r->body.len);
    if (type == NULL)
        return err_set(e, ERR_UNSUPPORTED, "body", "not_image", "not JPEG, PNG, WebP or GIF");
    *in = (struct attachment_new){ .name = name, .content_type = type, .data = r->body.buf,
                                   .size = r->body.len, .at = r->now };
    crypto_hash_sha256(in->sha256, (const unsigned char *)r->body.buf, r->body.len);
    r->ctx = in;
    return http_submit(r, upload_run);
}

/* ---- POST /api/portal/track ---- */

int
h_portal_track(struct req *r, struct err *e)
{
    const char *number = NULL, *raw_phone = NULL;
    const struct body_field fields[] = {
        { .key = "number", .kind = BODY_FIELD_TEXT, .required = true, .max = NUMBER_MAX,
          .text = &number },
        { .key = "phone", .kind = BODY_FIELD_TEXT, .required = true, .max = PHONE_MAX,
          .text = &raw_phone },
        { .key = NULL },
    };
    struct phone phone;
    struct complaint *c;
    struct store *st;

    if (http_decode_fields(r->body.buf, r->body.len, fields, r->arena, e) < 0 ||
        phone_norm(raw_phone, "phone", &phone, e) < 0 ||
        (c = portal_find(r, number, &phone, e)) == NULL || (st = http_reader(r, e)) == NULL)
        return -1;
    return reply_view(st, r, c, 200, e);
}

/* ---- POST /api/portal/complaints/:number/confirm ---- */

/* The handler (or the supervisors) learn at once that the customer said no. */
static int
tell_disputed(struct store *st, struct req *r, const struct complaint *c, struct err *e)
{
    struct svc_ctx x;
    const char *zh = arena_printf(r->arena, "客户不认可投诉 %s 的处理结果：%s", c->number,
                                  c->subject);
    const char *en = arena_printf(r->arena, "The customer does not accept the result of %s: %s",
                                  c->number, c->subject);

    if (zh == NULL || en == NULL)
        return nomem(e);
    life_ctx(r, &x);
    return svc_tell_role(st, &x, c, "handler", "customer_disputed", zh, en, NULL, e);
}

static int
reject_apply(struct store *st, struct req *r, struct complaint *c, const char *next, void *in,
             struct err *e)
{
    return life_dispute_apply(st, r, c, next, in, e) < 0 ? -1 : tell_disputed(st, r, c, e);
}

static const struct life_spec confirm_spec = {
    .action = WF_CLOSE, .audit = "complaint.close", .apply = life_close_apply, .via = "portal",
    .reply = reply_view_ok,
};
static const struct life_spec reject_spec = {
    .action = WF_DISPUTE, .audit = "complaint.dispute", .apply = reject_apply, .regrade = true,
    .via = "portal", .reply = reply_view_ok,
};

int
h_portal_confirm(struct req *r, struct err *e)
{
    const char *raw_phone = NULL, *comment = NULL;
    bool accept = false, given = false;
    const struct body_field fields[] = {
        { .key = "phone", .kind = BODY_FIELD_TEXT, .required = true, .max = PHONE_MAX,
          .text = &raw_phone },
        { .key = "accept", .kind = BODY_FIELD_BOOL, .required = true, .flag = &accept,
          .given = &given },
        { .key = "comment", .kind = BODY_FIELD_PARAGRAPH, .max = COMMENT_MAX, .text = &comment },
        { .key = NULL },
    };
    struct phone phone;

    if (http_decode_fields(r->body.buf, r->body.len, fields, r->arena, e) < 0)
        return -1;
    if (!accept && comment == NULL)
        return err_set(e, ERR_INVALID, "comment", "required", "say what is not right");
    if (phone_norm(raw_phone, "phone", &phone, e) < 0 ||
        portal_path_find(r, &phone, e) == NULL)
        return -1;
    if (accept) {
        struct life_close *b = arena_zalloc(r->arena, sizeof(*b));
        if (b == NULL)
            return nomem(e);
        *b = (struct life_close){ .response = "agreed", .note = comment, .by_customer = true };
        return life_submit(r, &confirm_spec, b, e);
    }
    struct life_dispute *d = arena_zalloc(r->arena, sizeof(*d));
    if (d == NULL)
        return nomem(e);
    *d = (struct life_dispute){ .reason = comment, .by_customer = true };
    return life_submit(r, &reject_spec, d, e);
}

/* ---- POST /api/portal/complaints/:number/rating ---- */

struct rating_body {
    const char *phone, *satisfaction, *comment;
};

/* One rating per complaint, once it is closed; kept as an event, so never changed or deleted. */
static int
rating_apply(struct store *st, struct req *r, struct complaint *c, const char *next, void *in,
             struct err *e)
{
    struct rating_body *b = in;
    struct event *ev;
    size_t n;

    (void)next;
    if (!is_status(c, "closed") && !is_status(c, "followed_up"))
        return err_set(e, ERR_CONFLICT, "status", "not_allowed", "rated once it is closed");
    if (st->ops->event_list(st, c->id, r->arena, &ev, &n, e) < 0)
        return -1;
    if (find_rating(ev, n) != NULL)
        return err_set(e, ERR_CONFLICT, NULL, "already_rated", "rated already");
    return life_event(st, r, c, "customer_rating", "customer", b->comment,
                      json_pack("{s:s, s:s}", "satisfaction", b->satisfaction, "by", "customer"),
                      e);
}

static const struct life_spec rating_spec = {
    .action = WF_NOTE, .audit = "complaint.rating", .apply = rating_apply, .created = true,
    .via = "portal", .reply = reply_view_created,
};

int
h_portal_rating(struct req *r, struct err *e)
{
    struct rating_body *b = arena_zalloc(r->arena, sizeof(*b));
    struct phone phone;

    if (b == NULL)
        return nomem(e);
    const struct body_field fields[] = {
        { .key = "phone", .kind = BODY_FIELD_TEXT, .required = true, .max = PHONE_MAX,
          .text = &b->phone },
        { .key = "satisfaction", .kind = BODY_FIELD_ENUM, .required = true,
          .values = core_satisfactions, .text = &b->satisfaction },
        { .key = "comment", .kind = BODY_FIELD_PARAGRAPH, .max = RATING_COMMENT_MAX,
          .text = &b->comment },
        { .key = NULL },
    };
    if (http_decode_fields(r->body.buf, r->body.len, fields, r->arena, e) < 0 ||
        phone_norm(b->phone, "phone", &phone, e) < 0 ||
        portal_path_find(r, &phone, e) == NULL)
        return -1;
    return life_submit(r, &rating_spec, b, e);
}
