#ifndef KESU_HTTP_HANDLERS_H
#define KESU_HTTP_HANDLERS_H

/*
 * Internals of the HTTP layer: the request and reply structs, the route
 * table's types and every handler. Nothing outside src/http/ includes this.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "core/perm.h"
#include "core/workflow.h"
#include "store/store.h"
#include "store/writer.h"
#include "util/arena.h"
#include "util/config.h"
#include "util/err.h"
#include "util/i18n.h"
#include "util/sbuf.h"
#include "util/secret.h"
#include "util/timesrc.h"
#include "util/version.h"
#include "util/workq.h"

struct MHD_Connection;
struct store_pool;
struct throttle;

enum http_method { HTTP_GET, HTTP_HEAD, HTTP_POST, HTTP_PUT, HTTP_PATCH, HTTP_DELETE,
                   HTTP_OPTIONS, HTTP_OTHER };

/* A handler returns 0 (reply ready), -1 (error in e) or this: a write was submitted. */
#define HTTP_PENDING 1

#define HTTP_PARAMS_MAX 4
#define HTTP_QUERY_MAX 32      /* query parameters accepted */
#define HTTP_HEADERS_MAX 8     /* extra reply headers */

struct kv {
    const char *key;
    const char *value;
};

struct reply {
    int status;                        /* 0 until set */
    const char *content_type;          /* static string */
    char *body;                        /* alloc_malloc'd, handed to MHD; or static if body_static */
    size_t len;
    bool body_static;
    const char *cache_control;         /* static string; NULL: no-store */
    struct kv headers[HTTP_HEADERS_MAX];  /* values from the request arena */
    size_t n_headers;
};

struct server {
    const struct config *cfg;
    struct store_pool *readers;
    struct store_writer *writer;
    const char *store_name;            /* "sqlite" */
    struct timesrc clock;              /* where r->now comes from (tests move it) */
    /* sign-in (h_session.c) */
    struct workq *login_queue;         /* password checks, bounded */
    struct throttle *throttle_login;   /* failures per login */
    struct throttle *throttle_address; /* failures per client address */
    char dummy_hash[128];              /* checked for unknown logins, so they take as long */
    /* the customer portal (h_portal.c) */
    struct throttle *portal_number;    /* wrong phones per complaint number */
    struct throttle *portal_address;   /* wrong phones per client address */
    struct throttle *portal_filings;   /* complaints filed per client address */
};

struct req {
    struct server *srv;
    struct MHD_Connection *conn;
    struct arena *arena;
    enum http_method method;
    const char *path;                  /* decoded, from the arena */
    const char *raw_query;             /* after '?', not decoded; "" when none */
    const char *params[HTTP_PARAMS_MAX];  /* path parameters, in route order */
    const struct route *route;
    struct principal *who;             /* NULL: nobody signed in */
    struct credential *cred;           /* the session or token behind `who` */
    struct sbuf body;                  /* request body, capped */
    bool body_over;                    /* the body passed its cap */
    int64_t now;                       /* the server clock at arrival */
    enum i18n_lang lang;
    struct store *rd;                  /* read connection, returned when the request ends */
    struct store_job job;              /* a pending write */
    int state;                         /* server.c's */
    struct err err;                    /* the outcome of a pending write */
    struct reply reply;
    void *ctx;                         /* the handler's state across a pending write */
    /* after a pending write committed: build the reply on the HTTP thread */
    int (*finish)(struct req *r, struct err *e);
};

typedef int (*handler_fn)(struct req *r, struct err *e);

enum route_body { BODY_NONE, BODY_JSON, BODY_UPLOAD };

struct route {
    enum http_method method;
    const char *pattern;               /* "/api/complaints/:number" */
    handler_fn handler;
    enum route_body body;
    enum perm perm;                    /* what the caller must hold (core/perm.h) */
};

/* static.c: the web front end's files, for GET and HEAD outside /api/ */
int h_static(struct req *r, struct err *e);
extern const struct route http_static_route;
bool http_is_static_path(enum http_method m, const char *path);
/*
 * The file under web/ a URL path names ("/" → "/index.html", "/portal" →
 * "/portal.html"), or NULL for a name no file of ours has: a dot file, "..",
 * "//", characters outside [A-Za-z0-9/._-], or longer than 200 bytes.
 */
const char *http_static_resolve(const char *url_path);

/* routes.c */
extern const struct route http_routes[];
extern const size_t http_routes_count;
/*
 * Find the route for (method, path). Fills params. Returns NULL and sets
 * `e` to ERR_NOT_FOUND (no_route) or ERR_METHOD (with `allow` listing the
 * methods, e.g. "GET, POST") when the path exists with other methods.
 */
const struct route *http_route_find(enum http_method m, const char *path,
                                    const char *params[HTTP_PARAMS_MAX], char *allow,
                                    size_t allow_size, struct err *e);
const char *http_method_name(enum http_method m);
/*
 * The customer portal's routes (public, under /api/portal/) are anonymous:
 * credentials are not even looked at, so a staff cookie riding along
 * neither lends staff rights nor asks for a CSRF token.
 */
bool http_route_anonymous(const struct route *rt);
enum http_method http_method_parse(const char *s);

/* query.c: parsing outside input (fuzzed) */
/*
 * Split a raw query string into decoded pairs (percent-decoding and '+' as
 * space). Fails with ERR_INVALID on bad escapes ("bad_format"), NUL bytes or
 * invalid UTF-8 ("bad_utf8"), or more than HTTP_QUERY_MAX parameters
 * ("too_long"); the field is the parameter's name when known.
 */
int http_query_parse(const char *raw, size_t len, struct arena *a, struct kv **out, size_t *n,
                     struct err *e);
/* Percent-decode a path; rejects %00, bad escapes and invalid UTF-8 (ERR_NOT_FOUND). */
char *http_path_decode(const char *raw, size_t len, struct arena *a, struct err *e);
/*
 * The value of cookie `name` in a Cookie header value ("a=1; kesu_session=x"),
 * copied to the arena, surrounding quotes removed; NULL when absent (or the
 * header is NULL). Pairs without '=' are skipped.
 */
const char *http_cookie_get(const char *header, const char *name, struct arena *a);
/* "Bearer <token>" -> the token, copied; NULL for another scheme or a malformed value. */
const char *http_bearer_token(const char *header, struct arena *a);
/* A page size "1".."max" ("bad_value" when not a whole number, "out_of_range" outside). */
int http_limit_parse(const char *value, int max, int *out, struct err *e);
/* Pick the language of an Accept-Language header value (NULL: the default). */
enum i18n_lang http_lang_pick(const char *header, enum i18n_lang fallback);

/* decode.c: request bodies and parameters to checked structs (fuzzed) */
int http_decode_complaint(const char *body, size_t len, int tz_min, struct arena *a,
                          struct complaint_new *out, struct err *e);
/* {"complainant": {...}}: a further complainant of a collective complaint */
int http_decode_person(const char *body, size_t len, struct arena *a, struct complainant_new *out,
                       struct err *e);
/*
 * "attempts": [{"method": "phone", "at": "2026-11-20T10:00+08:00", "note": "..."}] of an
 * object: at most CORE_ATTEMPTS_MAX (out[] holds that many), method from
 * core_contact_methods, at defaults to now and may not be ahead of it; none: *n 0.
 */
struct contact_attempt {
    const char *method, *note;
    int64_t at;
};
int http_decode_attempts(json_t *root, int tz_min, int64_t now, struct arena *a,
                         struct contact_attempt *out, size_t *n, struct err *e);
struct event_body {
    const char *type, *text, *author;
};
int http_decode_event(const char *body, size_t len, struct arena *a, struct event_body *out,
                      struct err *e);
/*
 * GET /api/complaints parameters. `handler` values are "me" or logins
 * (http_is_login), left for the caller to resolve "me"; `clock` values are
 * "overdue" "due_soon"; `returned` is "1". `now` is left 0 for the caller.
 */
int http_decode_list_query(const struct kv *q, size_t n, int tz_min, struct arena *a,
                           struct complaint_query *out, struct err *e);
/* "me" or a well-formed login (core/account.h: 2..32 of a-z 0-9 . _ -, a letter first). */
bool http_is_login(const char *s);
/*
 * A flat JSON object of known members (sign-in, reveal, tokens, users):
 * unknown members are refused ("unknown_field"), every error names the
 * member. TEXT is trimmed and checked like complaint text (max in
 * characters, an empty optional one counts as absent); SECRET is taken byte
 * for byte (max in bytes); LIST is an array of at most max codes
 * (a-z A-Z 0-9 _ - .), NULL-terminated in *list.
 */
#define HTTP_BODY_FIELDS_MAX 12
/*
 * PARAGRAPH is TEXT that may hold line breaks (reasons, results); ENUM a
 * string from `values` (else "bad_value"); INT a whole number in
 * [min, max] ("too_small", "too_large"); BOOL a boolean; AMOUNT yuan as a
 * number or decimal text into fen (like loss_amount); FLAGS an object of
 * the complaint flags, true/false, into the bits set (`num` gets the
 * cleared ones). For INT, BOOL, AMOUNT and FLAGS `given` says whether the
 * member was there (not null).
 */
enum body_field_kind { BODY_FIELD_TEXT, BODY_FIELD_SECRET, BODY_FIELD_LIST,
                       BODY_FIELD_PARAGRAPH, BODY_FIELD_ENUM, BODY_FIELD_INT, BODY_FIELD_BOOL,
                       BODY_FIELD_AMOUNT, BODY_FIELD_FLAGS };
struct body_field {
    const char *key;                   /* NULL ends the array */
    enum body_field_kind kind;
    bool required;
    size_t max;
    const char **text;                 /* TEXT, SECRET, PARAGRAPH, ENUM: NULL when absent */
    const char ***list;                /* LIST */
    size_t *n;
    const char *const *values;         /* ENUM */
    int64_t min;                       /* INT */
    int64_t *num;                      /* INT, AMOUNT (fen); FLAGS: the bits set false */
    bool *flag;                        /* BOOL; FLAGS: unused */
    unsigned *bits;                    /* FLAGS: the bits set true */
    bool *given;                       /* INT, BOOL, AMOUNT, FLAGS */
};
int http_decode_fields(const char *body, size_t len, const struct body_field *fields,
                       struct arena *a, struct err *e);
/*
 * The same on an object already parsed (by http_load_object, which refuses
 * what is not a UTF-8 JSON object with "bad_utf8", "bad_json" or
 * "not_object"), for bodies with members of other shapes: those named in
 * `others` (NULL-terminated, or NULL) are allowed and left to the caller.
 */
json_t *http_load_object(const char *body, size_t len, struct err *e);
int http_decode_fields_in(json_t *root, const struct body_field *fields,
                          const char *const *others, struct arena *a, struct err *e);
/*
 * decode_portal.c (fuzzed). A complaint filed through the customer portal:
 * {"project"*, "building", "unit", "name", "phone"*, "subject"*, "content"*,
 * "demands", "category", "lang"} checked by the rules of POST
 * /api/complaints (channel web, received_at now) and core_complaint_check;
 * errors name the portal's members ("phone", "name"). *lang: "zh", "en" or
 * NULL.
 */
int http_decode_portal_complaint(const char *body, size_t len, int tz_min, int64_t now,
                                 struct arena *a, struct complaint_new *out, const char **lang,
                                 struct err *e);
/*
 * {"building": 1..20 characters, "units": ["101", ...]} of POST
 * /api/projects/{code}/units: 1..HTTP_UNITS_MAX names of 1..HTTP_PLACE_MAX
 * characters each, trimmed (errors name "units[i]"; the list: "units"
 * required, bad_type, empty, too_many).
 */
#define HTTP_UNITS_MAX 500
#define HTTP_PLACE_MAX 20      /* characters of a building or unit name */
int http_decode_units(const char *body, size_t len, struct arena *a, const char **building,
                      const char ***units, size_t *n, struct err *e);
/* A project, category or department code: 1..64 of a-z A-Z 0-9 _ - */
bool http_is_code(const char *s);
/* Cursors are "<sort letter><key>.<id>"; the sort must match. */
char *http_cursor_make(struct arena *a, enum store_sort sort, const struct complaint *last);

/*
 * render.c: stored records to JSON (new references, caller decrefs). Phone,
 * e-mail and unit come out masked: full is the detail view, not unmasking.
 */
json_t *render_complaint(const struct complaint *c, int tz_min, bool full_contact);
/* {role, project, department}: in accounts, sessions and audit details alike */
json_t *render_membership(const struct membership *m);
json_t *render_memberships(const struct membership *m, size_t n);
/* Unmasked name, phone, e-mail, building and unit: only for an audited reveal. */
json_t *render_contact(const struct complaint *c);
json_t *render_event(const struct event *ev, int tz_min);
json_t *render_attachment(const struct attachment *a, const char *number, int tz_min);
json_t *render_time(int64_t t, int tz_min);
json_t *render_person(const struct person *p);           /* masked */
json_t *render_compensation(const struct compensation *c, int tz_min);
json_t *render_followup(const struct followup *f, int tz_min);
json_t *render_history_item(const struct history_item *h, int tz_min);

/* reply.c: the one place errors become responses */
int http_reply_json(struct req *r, int status, json_t *body);     /* steals body */
int http_reply_text(struct req *r, int status, const char *content_type, char *body, size_t len);
void http_reply_error(struct req *r, const struct err *e);
int http_reply_header(struct req *r, const char *name, const char *value);
const char *http_header(struct req *r, const char *name);
int http_error_status(enum err_code code);

/* server.c */
struct store *http_reader(struct req *r, struct err *e);   /* the request's read connection */
/* Give the read connection back early (before waiting on a body or a write). */
void http_reader_release(struct req *r);
/* Suspend the request and hand r->job to the writer; returns HTTP_PENDING. */
int http_submit(struct req *r, store_job_run_fn run);
/*
 * The same in two steps, for work done elsewhere first (a password check on
 * the login queue): suspend on the HTTP thread, then from any thread either
 * hand the request to the writer or end it with an error. Exactly one of
 * the two, once, after http_suspend; the handler returns HTTP_PENDING.
 */
void http_suspend(struct req *r);
void http_write_suspended(struct req *r, store_job_run_fn run);
void http_fail_suspended(struct req *r, const struct err *e);
/*
 * h_session.c: run fn(r) on the bounded login queue (password hashing and
 * checks, never on an HTTP thread). 0 when queued; when the queue is full,
 * -1: the request already ends with e (503 busy, Retry-After: 1), and the
 * caller may still clean up its state before returning HTTP_PENDING.
 */
int http_login_queue(struct req *r, workq_fn fn, struct err *e);
/*
 * The client's IP address as text ("127.0.0.1", "::1"), from the request's
 * arena; NULL when unknown (no connection, another address family, no
 * memory). It reads only what MHD recorded when it accepted the connection,
 * so a write job may call it on the writer thread while the request waits.
 */
const char *http_client_address(struct req *r);

/*
 * h_complaint.c: the complaint named by the path's :number, or ERR_NOT_FOUND;
 * also ERR_NOT_FOUND, alike, when it is outside the projects where the caller
 * holds the route's permission.
 */
struct complaint *http_path_complaint(struct store *st, struct req *r, struct err *e);

/*
 * life.c: the common path of every action on a complaint (issue 4). The
 * write job loads the complaint named by :number (404 outside the caller's
 * projects), checks the action against the status (core/workflow.h; 409),
 * calls apply with the status the action leads to, reloads the complaint,
 * re-runs the grading rules when regrade is set, writes the audit entry
 * `audit` and answers with the whole complaint (or calls reply).
 */
struct life_spec {
    enum wf_action action;
    const char *audit;                 /* "complaint.assign" */
    int (*apply)(struct store *st, struct req *r, struct complaint *c, const char *next,
                 void *in, struct err *e);
    bool regrade;                      /* facts may have changed */
    bool propagate;                    /* similar complaints may change grade too */
    bool created;                      /* 201, not 200 */
    const char *via;                   /* "portal": said in the audit entry; NULL: staff */
    /* NULL: answer with the complaint */
    int (*reply)(struct store *st, struct req *r, const struct complaint *c, void *in,
                 struct err *e);
};
int life_submit(struct req *r, const struct life_spec *spec, void *in, struct err *e);
/* An event on c by the caller at r->now; data (stolen) may be NULL. */
int life_event(struct store *st, struct req *r, const struct complaint *c, const char *type,
               const char *visibility, const char *text, json_t *data, struct err *e);
int life_change(struct store *st, const struct complaint *c, const struct complaint_change *ch,
                struct err *e);
/* Re-run the grading rules on c (raising only); propagate: its similar complaints too. */
int life_regrade(struct store *st, struct req *r, struct complaint *c, bool propagate,
                 struct err *e);
struct grade_facts;
struct grade_preset;
/* The grading preset in use. */
int life_preset(struct store *st, struct req *r, const struct grade_preset **out,
                struct err *e);
/* The codes of the rules that hold for c now, "A5,B1" ("" none), from the arena. */
int life_rules_holding(struct store *st, struct req *r, const struct complaint *c,
                       const char **codes, struct err *e);
struct svc_ctx;
/* The service context of a request: its arena, now, the caller as actor. */
void life_ctx(struct req *r, struct svc_ctx *x);
/* h_complaint.c: the whole complaint as GET shows it (c as loaded, with people), as the reply. */
int http_reply_complaint(struct store *st, struct req *r, struct complaint *c, int status,
                         struct err *e);
/*
 * h_complaint.c: register `in` inside a write job, as staff and the portal
 * both do: the complaint, its grade (and its similar complaints'), clocks
 * and escalation, the customer's acknowledgement and the webhook event.
 * The caller writes the audit entry and the reply.
 */
int http_register(struct store *st, struct req *r, struct complaint_new *in,
                  struct complaint **out, struct err *e);
/*
 * h_life.c: the customer's answer to a resolution, for the staff routes
 * and the portal alike (apply functions of a life_spec; `in` is one of
 * these). Closing schedules the follow-up call and tells the customer;
 * by_customer says in the event that the customer acted (the portal).
 */
struct life_close {
    const char *response, *note;       /* core_close_responses; note may be NULL */
    const struct contact_attempt *attempts;
    size_t n_attempts;
    bool by_customer;
};
int life_close_apply(struct store *st, struct req *r, struct complaint *c, const char *next,
                     void *in, struct err *e);
struct life_dispute {
    const char *reason;
    bool by_customer;
};
int life_dispute_apply(struct store *st, struct req *r, struct complaint *c, const char *next,
                       void *in, struct err *e);
/*
 * h_attachment.c: store an upload of c (the attachment, its event, its
 * audit entry) inside a write job. by_customer: uploaded through the portal.
 */
int http_attachment_add(struct store *st, struct req *r, const struct complaint *c,
                        struct attachment_new *in, bool by_customer, struct attachment **out,
                        struct err *e);
/* The ?name= of an upload, checked (field "name"), trimmed, in the arena. */
int http_upload_name(struct req *r, const char **name, struct err *e);
/* The image type of these bytes by their magic ("image/jpeg", png, gif, webp), or NULL. */
const char *http_image_type(const unsigned char *p, size_t n);

/* auth.c */
#define AUTH_COOKIE "kesu_session"
/*
 * Identify the caller (session cookie or Bearer token) and check the route's
 * permission and, for a session changing state, the CSRF token. 401 when
 * the route needs a user and there is none or the credential no longer
 * admits; 403 when the user lacks the permission everywhere.
 */
int http_authorize(struct req *r, struct err *e);
/*
 * Narrow a filter of project codes to where the caller holds `perm`: one
 * named outside them is 400 `project` `unknown`, as one that does not
 * exist; none named becomes all of theirs (left empty when that is every
 * project). Held nowhere: 403, never an empty filter, which reads as all.
 */
int http_scope_filter(struct req *r, enum perm perm, struct store_filter *project,
                      struct err *e);
/* ERR_NOT_FOUND unless the caller holds the route's permission in `project`. */
int http_scope_check(struct req *r, const char *project, struct err *e);
/*
 * Append to the audit log inside a write job, as the caller from the
 * caller's address. detail: JSON object text or NULL.
 */
int http_audit(struct store *st, struct req *r, const char *action, const char *object,
               const char *detail, struct err *e);
/* The same with the detail as a JSON object, which it steals (NULL: out of memory). */
int http_audit_json(struct store *st, struct req *r, const char *action, const char *object,
                    json_t *detail, struct err *e);

/* handlers */
int h_health(struct req *r, struct err *e);
int h_openapi(struct req *r, struct err *e);
int h_category_list(struct req *r, struct err *e);
int h_project_list(struct req *r, struct err *e);
int h_unit_list(struct req *r, struct err *e);
int h_complaint_create(struct req *r, struct err *e);
int h_complaint_get(struct req *r, struct err *e);
int h_complaint_list(struct req *r, struct err *e);
int h_event_list(struct req *r, struct err *e);
int h_event_create(struct req *r, struct err *e);
int h_attachment_list(struct req *r, struct err *e);
int h_attachment_create(struct req *r, struct err *e);
int h_attachment_get(struct req *r, struct err *e);
int h_session_create(struct req *r, struct err *e);
int h_session_get(struct req *r, struct err *e);
int h_session_delete(struct req *r, struct err *e);
int h_session_password(struct req *r, struct err *e);
int h_contact_reveal(struct req *r, struct err *e);
int h_export_complaints(struct req *r, struct err *e);
int h_audit_list(struct req *r, struct err *e);
int h_token_list(struct req *r, struct err *e);
int h_token_create(struct req *r, struct err *e);
int h_token_revoke(struct req *r, struct err *e);
int h_user_list(struct req *r, struct err *e);
int h_user_create(struct req *r, struct err *e);
int h_user_status(struct req *r, struct err *e);
int h_user_password(struct req *r, struct err *e);
int h_user_role(struct req *r, struct err *e);
/* the life of a complaint (h_life.c, life.c) */
int h_complaint_accept(struct req *r, struct err *e);
int h_complaint_triage(struct req *r, struct err *e);
int h_complaint_assign(struct req *r, struct err *e);
int h_complaint_return(struct req *r, struct err *e);
int h_complaint_invalidate(struct req *r, struct err *e);
int h_complaint_facts(struct req *r, struct err *e);
int h_complaint_person_add(struct req *r, struct err *e);
int h_grade_get(struct req *r, struct err *e);
int h_grade_evaluate(struct req *r, struct err *e);
int h_compensation_create(struct req *r, struct err *e);
int h_compensation_decide(struct req *r, struct err *e);
int h_complaint_agreement(struct req *r, struct err *e);
int h_complaint_resolve(struct req *r, struct err *e);
int h_complaint_close(struct req *r, struct err *e);
int h_complaint_dispute(struct req *r, struct err *e);
int h_complaint_reopen(struct req *r, struct err *e);
int h_complaint_archive(struct req *r, struct err *e);
int h_case_mark(struct req *r, struct err *e);
/* h_followup.c: follow-up calls and the centre's sampling list */
int h_followup_list(struct req *r, struct err *e);
int h_followup_get(struct req *r, struct err *e);
int h_followup_record(struct req *r, struct err *e);
int h_sample_create(struct req *r, struct err *e);
int h_sample_list(struct req *r, struct err *e);
/* h_case.c: the case library and customers' history */
int h_case_list(struct req *r, struct err *e);
int h_case_get(struct req *r, struct err *e);
int h_history_get(struct req *r, struct err *e);
int h_customer_history(struct req *r, struct err *e);
/* h_reference.c: reference data the administrator edits */
int h_category_create(struct req *r, struct err *e);
int h_category_update(struct req *r, struct err *e);
int h_subcategory_update(struct req *r, struct err *e);
int h_department_list(struct req *r, struct err *e);
int h_staff_list(struct req *r, struct err *e);
int h_dispatch_list(struct req *r, struct err *e);
int h_dispatch_put(struct req *r, struct err *e);
int h_grade_rule_list(struct req *r, struct err *e);
int h_grade_rule_put(struct req *r, struct err *e);
/*
 * A condition of the grading language (grading and escalation rules) checked
 * and rewritten canonically into the arena, so the stored text always
 * parses; NULL stays NULL. Errors name the field "condition".
 */
int http_condition_canonical(struct req *r, const char **text, struct err *e);
/* ---- calendar (issue 5): h_calendar.c ---- */
int h_calendar_get(struct req *r, struct err *e);
int h_calendar_put(struct req *r, struct err *e);
int h_calendar_day_put(struct req *r, struct err *e);
int h_calendar_import(struct req *r, struct err *e);
/* ---- end of calendar ---- */
/* ---- notifications (issue 5): h_notify.c ---- */
/* write jobs record notifications (notify_staff, notify_event, notify_customer) */
#include "notify/notify.h"
/* server.c starts and stops the sender */
#include "notify/sender.h"
/* the caller's inbox */
int h_notification_list(struct req *r, struct err *e);
int h_notification_unread(struct req *r, struct err *e);
int h_notification_read(struct req *r, struct err *e);
int h_notification_read_all(struct req *r, struct err *e);
/* webhooks, the outbox and its dead letters, customer message templates (config.admin) */
int h_webhook_list(struct req *r, struct err *e);
int h_webhook_create(struct req *r, struct err *e);
int h_webhook_update(struct req *r, struct err *e);
int h_delivery_list(struct req *r, struct err *e);
int h_delivery_get(struct req *r, struct err *e);
int h_delivery_replay(struct req *r, struct err *e);
int h_template_list(struct req *r, struct err *e);
int h_template_put(struct req *r, struct err *e);
/* ---- end of notifications ---- */
/* ---- deadlines (issue 5): h_clock.c ---- */
int h_clock_pause(struct req *r, struct err *e);
int h_clock_resume(struct req *r, struct err *e);
int h_clock_policy_list(struct req *r, struct err *e);
int h_clock_policy_put(struct req *r, struct err *e);
int h_escalation_rule_list(struct req *r, struct err *e);
int h_escalation_rule_put(struct req *r, struct err *e);
int h_notice_list(struct req *r, struct err *e);
int h_notice_ack(struct req *r, struct err *e);
int h_scheduler_get(struct req *r, struct err *e);
/* ---- end of deadlines ---- */
/* ---- customer portal (issue 6): h_portal.c; anonymous routes ---- */
/* server.c makes and frees the portal's throttles with the server */
int http_portal_start(struct server *srv, struct err *e);
void http_portal_stop(struct server *srv);
int h_portal_form(struct req *r, struct err *e);
int h_portal_file(struct req *r, struct err *e);
int h_portal_attachment(struct req *r, struct err *e);
int h_portal_track(struct req *r, struct err *e);
int h_portal_confirm(struct req *r, struct err *e);
int h_portal_rating(struct req *r, struct err *e);
/* ---- end of customer portal ---- */
/* ---- projects (issue 6): h_project.c ---- */
int h_project_create(struct req *r, struct err *e);
int h_unit_create(struct req *r, struct err *e);
/* ---- end of projects ---- */

/* idem.c: Idempotency-Key for any create route */
/*
 * Check the request's Idempotency-Key header. Returns 0 with *key NULL when
 * absent, 0 with *key set when present and well formed, -1 when malformed.
 * Also computes the request hash (method, path, body) into hash.
 */
int idem_key(struct req *r, const char **key, unsigned char hash[32], struct err *e);
/*
 * Inside a write job: if the key was used, fill r->reply with the first
 * response (returns 1), or fail with ERR_CONFLICT key_reused when the request
 * differs; returns 0 when the key is new.
 */
int idem_replay(struct store *st, struct req *r, const char *key, const unsigned char hash[32],
                struct err *e);
/* Inside a write job, after r->reply is ready: remember it under the key. */
int idem_remember(struct store *st, struct req *r, const char *key, const unsigned char hash[32],
                  struct err *e);

#endif
