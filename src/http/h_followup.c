/*
 * Follow-up calls (回访, DOMAIN §6 step 7) and the service centre's monthly
 * sampling list (DOMAIN §5: a second call to a share of each month's closed
 * complaints).
 *
 *   - A follow-up is seen only in the projects where the caller holds
 *     `followup`; outside them it does not exist (404, as a missing one).
 *   - Recording a call is one write job: the follow-up is marked done, a
 *     regular one moves the complaint to followed_up, an event goes on the
 *     complaint's timeline and an entry into the audit log. The customer's
 *     comment is on the (internal) event, never in the audit detail.
 *   - The person who handled the complaint never makes its follow-up call:
 *     the assignment avoids them, and recording refuses them as well, since
 *     anyone holding `followup` in the project may record a call.
 *   - Sampling picks by a keyed hash of (month, number) (core/followup.h), so
 *     asking again for the same month picks the same complaints and creates
 *     nothing new.
 */
#include "http/handlers.h"
#include "svc/svc.h"
#include "core/followup.h"
#include "util/ts.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define DAY 86400
#define COMMENT_MAX 2000     /* characters of a comment */
#define LIST_DEFAULT 100
#define LIST_MAX 500         /* store: followup_query.limit is 1..500 */
#define RATINGS_MAX 200      /* other complainants rated in one call */
#define SAMPLE_DUE_DAYS 7

static int
nomem(struct err *e)
{
    return err_set(e, ERR_NOMEM, NULL, "nomem", "out of memory");
}

static json_t *
str_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

static int
reply(struct req *r, int status, json_t *body, struct err *e)
{
    if (body == NULL)
        return nomem(e);
    return http_reply_json(r, status, body) < 0 ? nomem(e) : 0;
}

/* ---- query parameters ---- */

/* "YYYY-MM": a four-digit year and a month 01..12; *year and *month when not NULL. */
static int
month_parse(const char *s, int *year, int *month, struct err *e)
{
    int y = 0, m;

    if (s == NULL || strlen(s) != 7 || s[4] != '-')
        return err_set(e, ERR_INVALID, "month", "bad_format", "not YYYY-MM");
    for (int i = 0; i < 7; i++)
        if (i != 4 && (s[i] < '0' || s[i] > '9'))
            return err_set(e, ERR_INVALID, "month", "bad_format", "not YYYY-MM");
    for (int i = 0; i < 4; i++)
        y = y * 10 + (s[i] - '0');
    m = (s[5] - '0') * 10 + (s[6] - '0');
    if (y < 1970 || m < 1 || m > 12)
        return err_set(e, ERR_INVALID, "month", "bad_format", "not a month of 1970..9999");
    if (year != NULL)
        *year = y;
    if (month != NULL)
        *month = m;
    return 0;
}

/* "HY,JX" into a filter of codes. */
static int
projects_parse(const char *value, struct arena *a, struct store_filter *f, struct err *e)
{
    char *copy = arena_strdup(a, value), *p = copy;

    if (copy == NULL)
        return nomem(e);
    f->n = 0;
    while (p != NULL) {
        char *comma = strchr(p, ',');
        if (comma != NULL)
            *comma = '\0';
        if (!http_is_code(p))
            return err_set(e, ERR_INVALID, "project", "bad_value", "not a project code");
        if (f->n == STORE_FILTER_MAX)
            return err_set(e, ERR_INVALID, "project", "too_many", "over %d projects",
                           STORE_FILTER_MAX);
        f->values[f->n++] = p;
        p = comma ? comma + 1 : NULL;
    }
    return 0;
}

/*
 * The parameters of a query, by name: each of `names` at most once
 * ("repeated"), no other ("unknown_parameter"). values[i] is NULL when
 * names[i] was not given.
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

static int
reply_followups(struct req *r, const struct followup *items, size_t n, struct err *e)
{
    json_t *a = json_array();

    for (size_t i = 0; a != NULL && i < n; i++)
        if (json_array_append_new(a, render_followup(&items[i], r->srv->cfg->tz_offset_min)) < 0) {
            json_decref(a);
            a = NULL;
        }
    return reply(r, 200, a ? json_pack("{s:o}", "items", a) : NULL, e);
}

/* Run a scoped query on the read connection and answer with its items. */
static int
list_and_reply(struct req *r, struct followup_query *q, struct err *e)
{
    struct followup *items = NULL;
    size_t n = 0;
    struct store *st;

    if (http_scope_filter(r, PERM_FOLLOWUP, &q->project, e) < 0 ||
        (st = http_reader(r, e)) == NULL ||
        st->ops->followup_list(st, q, r->arena, &items, &n, e) < 0)
        return -1;
    return reply_followups(r, items, n, e);
}

/* ---- GET /api/followups ---- */

enum { Q_STATUS, Q_KIND, Q_ASSIGNEE, Q_MONTH, Q_PROJECT, Q_LIMIT };

static int
assignee_parse(struct req *r, const char *value, const char **out, struct err *e)
{
    struct err bad = { 0 };

    if (strcmp(value, "me") == 0) {
        *out = r->who->login;
        return 0;
    }
    if (core_login_check(value, &bad) < 0)
        return err_set(e, ERR_INVALID, "assignee", bad.reason, "not a login");
    *out = value;
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

int
h_followup_list(struct req *r, struct err *e)
{
    static const char *const names[] = { "status", "kind", "assignee", "month", "project",
                                         "limit", NULL };
    static const char *const statuses[] = { "open", "done", NULL };
    static const char *const kinds[] = { "regular", "sample", NULL };
    const char *v[7];
    struct followup_query q = { .limit = LIST_DEFAULT };

    if (query_take(r, names, v, e) < 0 ||
        (v[Q_STATUS] && enum_param("status", v[Q_STATUS], statuses, &q.status, e) < 0) ||
        (v[Q_KIND] && enum_param("kind", v[Q_KIND], kinds, &q.kind, e) < 0) ||
        (v[Q_ASSIGNEE] && assignee_parse(r, v[Q_ASSIGNEE], &q.assignee, e) < 0) ||
        (v[Q_MONTH] && month_parse(v[Q_MONTH], NULL, NULL, e) < 0) ||
        (v[Q_PROJECT] && projects_parse(v[Q_PROJECT], r->arena, &q.project, e) < 0) ||
        (v[Q_LIMIT] && http_limit_parse(v[Q_LIMIT], LIST_MAX, &q.limit, e) < 0))
        return -1;
    q.month = v[Q_MONTH];
    return list_and_reply(r, &q, e);
}

/* ---- GET /api/followups/:id ---- */

static int
id_parse(const char *s, int64_t *out, struct err *e)
{
    char *end;
    long long n;

    errno = 0;
    n = strtoll(s, &end, 10);
    if (s[0] < '1' || s[0] > '9' || *end != '\0' || errno != 0 || n <= 0)
        return err_set(e, ERR_NOT_FOUND, "followup", "unknown", "malformed id");
    *out = n;
    return 0;
}

/* The follow-up of the path, or ERR_NOT_FOUND; outside the caller's projects alike. */
static struct followup *
followup_load(struct store *st, struct req *r, int64_t id, struct err *e)
{
    struct followup *f = NULL;
    struct err lookup = { 0 };

    if (st->ops->followup_get(st, id, r->arena, &f, &lookup) < 0) {
        if (lookup.code != ERR_NOT_FOUND) {
            *e = lookup;
            return NULL;
        }
        f = NULL;
    }
    if (f == NULL || !core_can(r->who, PERM_FOLLOWUP, f->project_code)) {
        err_set(e, ERR_NOT_FOUND, "followup", "unknown", "no follow-up %lld", (long long)id);
        return NULL;
    }
    return f;
}

int
h_followup_get(struct req *r, struct err *e)
{
    struct store *st;
    struct followup *f;
    int64_t id;

    if (id_parse(r->params[0], &id, e) < 0 || (st = http_reader(r, e)) == NULL ||
        (f = followup_load(st, r, id, e)) == NULL)
        return -1;
    return reply(r, 200, render_followup(f, r->srv->cfg->tz_offset_min), e);
}

/* ---- POST /api/followups/:id: the call's outcome ---- */

struct record_ctx {
    int64_t id;
    const char *outcome, *satisfaction, *comment;
    int64_t attempts, score;
    bool has_attempts, has_score;
    struct followup_rating *ratings;
    size_t n_ratings;
};

/* Prefix a member's error with where it is: "ratings[2].score". */
static int
at_rating(struct req *r, size_t i, struct err *e)
{
    const char *field = e->field ? arena_printf(r->arena, "ratings[%zu].%s", i, e->field) : NULL;

    if (field != NULL)
        e->field = field;
    return -1;
}

static int
decode_rating(struct req *r, json_t *item, size_t i, struct followup_rating *out, struct err *e)
{
    int64_t person = 0, score = 0;
    bool has_person = false, has_score = false;
    const struct body_field fields[] = {
        { .key = "person", .kind = BODY_FIELD_INT, .required = true, .min = 2,
          .max = CORE_HEADCOUNT_MAX, .num = &person, .given = &has_person },
        { .key = "satisfaction", .kind = BODY_FIELD_ENUM, .required = true,
          .values = core_satisfactions, .text = &out->satisfaction },
        { .key = "score", .kind = BODY_FIELD_INT, .min = 1, .max = 5, .num = &score,
          .given = &has_score },
        { .key = "comment", .kind = BODY_FIELD_PARAGRAPH, .max = COMMENT_MAX,
          .text = &out->comment },
        { .key = NULL },
    };

    if (!json_is_object(item))
        return err_set(e, ERR_INVALID, "ratings", "bad_type", "item %zu is not an object", i);
    if (http_decode_fields_in(item, fields, NULL, r->arena, e) < 0)
        return at_rating(r, i, e);
    out->person = (int)person;
    out->score = has_score ? (int)score : 0;
    return 0;
}

/* "ratings": [{"person": 2, "satisfaction": "fair", "score": 3, "comment": "..."}] */
static int
decode_ratings(struct req *r, json_t *root, struct record_ctx *cx, struct err *e)
{
    json_t *list = json_object_get(root, "ratings"), *item;
    size_t i;

    if (list == NULL || json_is_null(list))
        return 0;
    if (!json_is_array(list))
        return err_set(e, ERR_INVALID, "ratings", "bad_type", "not an array");
    if (json_array_size(list) > RATINGS_MAX)
        return err_set(e, ERR_INVALID, "ratings", "too_many", "over %d", RATINGS_MAX);
    cx->ratings = arena_zalloc(r->arena, (json_array_size(list) + 1) * sizeof(*cx->ratings));
    if (cx->ratings == NULL)
        return nomem(e);
    json_array_foreach(list, i, item) {
        if (decode_rating(r, item, i, &cx->ratings[i], e) < 0)
            return -1;
        for (size_t j = 0; j < i; j++)
            if (cx->ratings[j].person == cx->ratings[i].person)
                return err_set(e, ERR_INVALID, "ratings", "repeated", "person %d twice",
                               cx->ratings[i].person);
    }
    cx->n_ratings = i;
    return 0;
}

static int
decode_record(struct req *r, struct record_ctx *cx, struct err *e)
{
    static const char *const others[] = { "ratings", NULL };
    const struct body_field fields[] = {
        { .key = "outcome", .kind = BODY_FIELD_ENUM, .required = true,
          .values = core_followup_outcomes, .text = &cx->outcome },
        { .key = "attempts", .kind = BODY_FIELD_INT, .min = 0, .max = CORE_ATTEMPTS_MAX,
          .num = &cx->attempts, .given = &cx->has_attempts },
        { .key = "satisfaction", .kind = BODY_FIELD_ENUM, .values = core_satisfactions,
          .text = &cx->satisfaction },
        { .key = "score", .kind = BODY_FIELD_INT, .min = 1, .max = 5, .num = &cx->score,
          .given = &cx->has_score },
        { .key = "comment", .kind = BODY_FIELD_PARAGRAPH, .max = COMMENT_MAX,
          .text = &cx->comment },
        { .key = NULL },
    };
    json_t *root = http_load_object(r->body.len ? r->body.buf : "{}",
                                    r->body.len ? r->body.len : 2, e);
    int rc;

    if (root == NULL)
        return -1;
    rc = http_decode_fields_in(root, fields, others, r->arena, e) < 0 ||
         decode_ratings(r, root, cx, e) < 0;
    json_decref(root);
    if (rc)
        return -1;
    return core_followup_check(cx->outcome, cx->satisfaction, cx->has_score, (int)cx->score,
                               (size_t)cx->attempts, e);
}

/* Every person rated is one of the complaint's further complainants (seq 2, 3, ...). */
static int
ratings_check(const struct complaint *c, const struct record_ctx *cx, struct err *e)
{
    for (size_t i = 0; i < cx->n_ratings; i++) {
        bool found = false;
        for (size_t j = 0; j < c->n_people && !found; j++)
            found = c->people[j].seq == cx->ratings[i].person;
        if (!found)
            return err_set(e, ERR_INVALID, "ratings", "unknown",
                           "person %d is not a complainant of this complaint",
                           cx->ratings[i].person);
    }
    return 0;
}

/* May the caller record this call on this complaint now? Status checks by the follow-up's kind. */
static int
record_allowed(struct req *r, const struct followup *f, const struct complaint *c,
               const char **next, struct err *e)
{
    *next = NULL;
    if (strcmp(f->status, "open") != 0)
        return err_set(e, ERR_CONFLICT, "followup", "done", "follow-up %lld was recorded already",
                       (long long)f->id);
    if (c->handler_login != NULL && strcmp(c->handler_login, r->who->login) == 0)
        return err_set(e, ERR_FORBIDDEN, NULL, "handler_cannot_follow_up",
                       "the handler of a complaint does not make its follow-up call");
    /* a sample is the centre's second call: the complaint stays where it is */
    if (strcmp(f->kind, "regular") != 0)
        return 0;
    return core_wf_next(c->status, WF_FOLLOW_UP, next, e);
}

static int
record_event(struct store *st, struct req *r, const struct complaint *c,
             const struct followup *f, const struct record_ctx *cx, bool reopen, struct err *e)
{
    json_t *data = json_pack("{s:I, s:s, s:s, s:o, s:o, s:i, s:b}", "followup", (json_int_t)f->id,
                             "kind", f->kind, "outcome", cx->outcome, "satisfaction",
                             str_or_null(cx->satisfaction), "score",
                             cx->has_score ? json_integer(cx->score) : json_null(), "attempts",
                             (int)cx->attempts, "reopen_offered", reopen);

    if (data == NULL)
        return nomem(e);
    /* the customer's own words go on the timeline; internal, like every call note */
    return life_event(st, r, c, "followed_up", "internal", cx->comment, data, e);
}

static int
record_done(struct store *st, struct req *r, const struct followup *f, struct record_ctx *cx,
            struct err *e)
{
    struct followup_outcome o = {
        .outcome = cx->outcome, .attempts = (int)cx->attempts, .satisfaction = cx->satisfaction,
        .score = cx->has_score ? (int)cx->score : 0, .comment = cx->comment,
        .done_by = r->who->login, .done_at = r->now, .ratings = cx->ratings,
        .n_ratings = cx->n_ratings,
    };

    if (st->ops->followup_done(st, f->id, &o, e) < 0) {
        /* recorded by someone else between our read and this write */
        if (e->code == ERR_CONFLICT && e->field == NULL)
            e->field = "followup";
        return -1;
    }
    return 0;
}

static int
record_reply(struct store *st, struct req *r, int64_t id, const char *number, const char *status,
             bool reopen, struct err *e)
{
    struct followup *f;
    json_t *fj;

    if (st->ops->followup_get(st, id, r->arena, &f, e) < 0)
        return -1;
    fj = render_followup(f, r->srv->cfg->tz_offset_min);
    if (fj == NULL)
        return nomem(e);
    return reply(r, 200,
                 json_pack("{s:o, s:b, s:{s:s, s:s}}", "followup", fj, "reopen_offered", reopen,
                           "complaint", "number", number, "status", status),
                 e);
}

static int
record_run(struct store *st, struct store_job *job, struct err *e)
{
    struct req *r = job->ctx;
    struct record_ctx *cx = r->ctx;
    struct followup *f;
    struct complaint *c;
    const char *next;
    struct svc_ctx x;
    bool reopen = core_followup_offers_reopen(cx->outcome, cx->satisfaction);

    /* complaint_get, not by id: only it loads the further complainants the ratings name */
    if ((f = followup_load(st, r, cx->id, e)) == NULL ||
        st->ops->complaint_get(st, f->number, r->arena, &c, e) < 0 ||
        record_allowed(r, f, c, &next, e) < 0 || ratings_check(c, cx, e) < 0)
        return -1;
    if (next != NULL &&
        life_change(st, c, &(struct complaint_change){ .status = next }, e) < 0)
        return -1;
    life_ctx(r, &x);
    if (record_done(st, r, f, cx, e) < 0 || record_event(st, r, c, f, cx, reopen, e) < 0 ||
        (strcmp(f->kind, "regular") == 0 &&
         svc_clocks_followup_done(st, &x, c->id, f->cycle + 1, e) < 0) ||
        http_audit_json(st, r, "followup.record", c->number,
                        json_pack("{s:I, s:s, s:s}", "followup", (json_int_t)f->id, "kind",
                                  f->kind, "outcome", cx->outcome),
                        e) < 0)
        return -1;
    return record_reply(st, r, f->id, c->number, next ? next : c->status, reopen, e);
}

int
h_followup_record(struct req *r, struct err *e)
{
    struct record_ctx *cx = arena_zalloc(r->arena, sizeof(*cx));

    if (cx == NULL)
        return nomem(e);
    if (id_parse(r->params[0], &cx->id, e) < 0 || decode_record(r, cx, e) < 0)
        return -1;
    r->ctx = cx;
    return http_submit(r, record_run);
}

/* ---- POST /api/followup-samples: the month's sampling list ---- */

struct sample_ctx {
    const char *month;
    const char *project;               /* only this project's picks, or NULL: all the caller's */
    int year, mon;
    int64_t percent;
    bool has_percent;
    size_t closed, created;
    json_t *picked;                    /* numbers, for the reply */
};

static int
sample_one(struct store *st, struct req *r, const struct closed_item *it, struct sample_ctx *cx,
           struct err *e)
{
    struct followup_new fn = {
        .complaint_id = it->id, .kind = "sample", .assignee = r->who->login, .month = cx->month,
        .cycle = it->reopenings, .created_at = r->now, .due_at = r->now + SAMPLE_DUE_DAYS * DAY,
    };
    struct complaint c = { .id = it->id, .number = it->number };   /* all an event needs */
    struct err made = { 0 };
    int64_t id;

    if (json_array_append_new(cx->picked, json_string(it->number)) < 0)
        return nomem(e);
    if (st->ops->followup_create(st, &fn, &id, &made) < 0) {
        /* picked on an earlier request for this month: not new, not an error */
        if (made.code == ERR_CONFLICT)
            return 0;
        *e = made;
        return -1;
    }
    cx->created++;
    return life_event(st, r, &c, "sample_picked", "internal", NULL,
                      json_pack("{s:I, s:s, s:s}", "followup", (json_int_t)id, "month",
                                cx->month, "assignee", r->who->login),
                      e);
}

static int
sample_pick(struct store *st, struct req *r, struct sample_ctx *cx, struct err *e)
{
    int tz = r->srv->cfg->tz_offset_min;
    struct ts_civil from = { .year = cx->year, .month = cx->mon, .day = 1 };
    struct ts_civil to = { .year = cx->year, .month = cx->mon + 1, .day = 1 };  /* 13 carries */
    struct closed_item *items;
    const char **numbers;
    bool *picked;
    size_t n;

    if (st->ops->closed_between(st, ts_from_civil(&from, tz), ts_from_civil(&to, tz), r->arena,
                                &items, &n, e) < 0)
        return -1;
    numbers = arena_zalloc(r->arena, (n ? n : 1) * sizeof(*numbers));
    picked = arena_zalloc(r->arena, (n ? n : 1) * sizeof(*picked));
    if (numbers == NULL || picked == NULL)
        return nomem(e);
    for (size_t i = 0; i < n; i++)
        numbers[i] = items[i].number;
    core_sample_pick(cx->month, numbers, n, (int)cx->percent, picked);
    cx->closed = n;
    /*
     * The pick is made over the whole company's month, so it is the same
     * whoever draws it; each caller takes on the picks in their projects.
     */
    for (size_t i = 0; i < n; i++) {
        if (!picked[i] || !core_can(r->who, PERM_FOLLOWUP, items[i].project_code) ||
            (cx->project != NULL && strcmp(cx->project, items[i].project_code) != 0))
            continue;
        if (sample_one(st, r, &items[i], cx, e) < 0)
            return -1;
    }
    return 0;
}

static int
sample_run(struct store *st, struct store_job *job, struct err *e)
{
    struct req *r = job->ctx;
    struct sample_ctx *cx = r->ctx;
    size_t k;

    json_decref(cx->picked);           /* a retried job starts again */
    cx->picked = json_array();
    cx->created = 0;
    if (cx->picked == NULL)
        return nomem(e);
    if (sample_pick(st, r, cx, e) < 0)
        goto fail;
    k = json_array_size(cx->picked);
    if (http_audit_json(st, r, "followup.sample", cx->month,
                        json_pack("{s:s, s:i, s:I, s:I, s:I}", "month", cx->month, "percent",
                                  (int)cx->percent, "closed", (json_int_t)cx->closed, "picked",
                                  (json_int_t)k, "created", (json_int_t)cx->created),
                        e) < 0)
        goto fail;
    if (reply(r, 200,
              json_pack("{s:s, s:i, s:I, s:I, s:I, s:O}", "month", cx->month, "percent",
                        (int)cx->percent, "closed", (json_int_t)cx->closed, "picked",
                        (json_int_t)k, "created", (json_int_t)cx->created, "items", cx->picked),
              e) < 0)
        goto fail;
    json_decref(cx->picked);
    cx->picked = NULL;
    return 0;
fail:
    json_decref(cx->picked);
    cx->picked = NULL;
    return -1;
}

int
h_sample_create(struct req *r, struct err *e)
{
    struct sample_ctx *cx = arena_zalloc(r->arena, sizeof(*cx));

    if (cx == NULL)
        return nomem(e);
    const struct body_field fields[] = {
        { .key = "month", .kind = BODY_FIELD_TEXT, .required = true, .max = 7,
          .text = &cx->month },
        { .key = "percent", .kind = BODY_FIELD_INT, .min = 0, .max = 100, .num = &cx->percent,
          .given = &cx->has_percent },
        { .key = "project", .kind = BODY_FIELD_TEXT, .max = 64, .text = &cx->project },
        { .key = NULL },
    };
    if (http_decode_fields(r->body.len ? r->body.buf : "{}", r->body.len ? r->body.len : 2,
                           fields, r->arena, e) < 0 ||
        month_parse(cx->month, &cx->year, &cx->mon, e) < 0)
        return -1;
    /* a project outside the caller's is one that does not exist, as in every list */
    if (cx->project != NULL && !core_can(r->who, PERM_FOLLOWUP, cx->project))
        return err_set(e, ERR_INVALID, "project", "unknown", "outside the caller's projects");
    if (!cx->has_percent)
        cx->percent = r->srv->cfg->followup_sample_percent;
    r->ctx = cx;
    return http_submit(r, sample_run);
}

/* ---- GET /api/followup-samples?month=YYYY-MM ---- */

int
h_sample_list(struct req *r, struct err *e)
{
    static const char *const names[] = { "month", "project", NULL };
    const char *v[3];
    struct followup_query q = { .kind = "sample", .limit = LIST_MAX };

    if (query_take(r, names, v, e) < 0)
        return -1;
    if (v[0] == NULL)
        return err_set(e, ERR_INVALID, "month", "required", "month missing");
    if (month_parse(v[0], NULL, NULL, e) < 0 ||
        (v[1] != NULL && projects_parse(v[1], r->arena, &q.project, e) < 0))
        return -1;
    q.month = v[0];
    return list_and_reply(r, &q, e);
}
