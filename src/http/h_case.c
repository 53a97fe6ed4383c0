/*
 * The case library (案例, DOMAIN §10) and customers' history.
 *
 *   - Cases are for training: every signed-in member of staff reads all of
 *     them, whatever their projects. So what they show is the case's own
 *     text with personal data masked: a run of seven or more digits (a
 *     phone, an ID card or a contract number written into the summary) keeps
 *     only its first three and last four digits.
 *   - A complainant's history lists their earlier complaints, only in the
 *     projects where the caller may read complaints; it never shows a phone
 *     number, even the one asked about.
 */
#include "http/handlers.h"
#include "util/phone.h"

#include <stdlib.h>
#include <string.h>

#define CASES_DEFAULT 50
#define CASES_MAX 100
#define CASE_Q_MAX 100       /* characters of a search */
#define HISTORY_MAX 50
#define PHONE_TEXT_MAX 64    /* characters of a phone number as typed */
#define DIGITS_MASKED 7      /* runs this long are masked */

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

static bool
is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/*
 * Mask every run of DIGITS_MASKED or more ASCII digits in s: the first
 * three and the last four stay, each digit between becomes '*'
 * (13812345678 -> 138****5678). A new string from the arena; NULL for NULL.
 */
static const char *
mask_digits(struct arena *a, const char *s)
{
    char *out;
    size_t i = 0;

    if (s == NULL || (out = arena_strdup(a, s)) == NULL)
        return NULL;
    while (out[i] != '\0') {
        size_t run = 0;
        while (is_digit(out[i + run]))
            run++;
        /* a mobile keeps 3 + 4 digits, as everywhere (138****5678); shorter runs 2 + 2 */
        if (run >= 11)
            memset(out + i + 3, '*', run - 7);
        else if (run >= DIGITS_MASKED)
            memset(out + i + 2, '*', run - 4);
        i += run ? run : 1;
    }
    return out;
}

static size_t
longest_digit_run(const char *s)
{
    size_t best = 0, run = 0;

    for (; *s; s++) {
        run = is_digit(*s) ? run + 1 : 0;
        if (run > best)
            best = run;
    }
    return best;
}

static json_t *
masked_or_null(struct arena *a, const char *s)
{
    const char *m = mask_digits(a, s);

    return m ? json_string(m) : json_null();
}

static json_t *
render_case(struct req *r, const struct case_entry *c)
{
    return json_pack("{s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "number", c->number,
                     "project", c->project_code, "grade",
                     c->grade ? json_string(c->grade) : json_null(), "category",
                     c->category_code ? json_string(c->category_code) : json_null(), "subject",
                     masked_or_null(r->arena, c->subject), "summary",
                     masked_or_null(r->arena, c->summary), "lessons",
                     masked_or_null(r->arena, c->lessons), "marked_by",
                     c->marked_by ? json_string(c->marked_by) : json_null(), "marked_at",
                     render_time(c->marked_at, r->srv->cfg->tz_offset_min));
}

/* ---- GET /api/cases?q=&limit= ---- */

static int
cases_query(struct req *r, const char **q, int *limit, struct err *e)
{
    struct kv *params;
    size_t n;
    bool seen_q = false, seen_limit = false;

    if (http_query_parse(r->raw_query, strlen(r->raw_query), r->arena, &params, &n, e) < 0)
        return -1;
    for (size_t i = 0; i < n; i++) {
        const char *k = params[i].key, *v = params[i].value;
        if (strcmp(k, "q") == 0) {
            if (seen_q)
                return err_set(e, ERR_INVALID, "q", "repeated", "given twice");
            seen_q = true;
            /* an empty search is no search: every case */
            if (v[0] != '\0' && core_text_check("q", v, strlen(v), CASE_Q_MAX, false, e) < 0)
                return -1;
            if (longest_digit_run(v) >= DIGITS_MASKED)
                return err_set(e, ERR_INVALID, "q", "masked_digits",
                               "a search cannot look for a number the cases mask");
            *q = v[0] ? v : NULL;
        } else if (strcmp(k, "limit") == 0) {
            if (seen_limit)
                return err_set(e, ERR_INVALID, "limit", "repeated", "given twice");
            seen_limit = true;
            if (http_limit_parse(v, CASES_MAX, limit, e) < 0)
                return -1;
        } else {
            return err_set(e, ERR_INVALID, k, "unknown_parameter", "unknown");
        }
    }
    return 0;
}

int
h_case_list(struct req *r, struct err *e)
{
    const char *q = NULL;
    int limit = CASES_DEFAULT;
    struct case_entry *items;
    size_t n;
    struct store *st;
    json_t *a;

    if (cases_query(r, &q, &limit, e) < 0 || (st = http_reader(r, e)) == NULL ||
        st->ops->case_list(st, q, limit, r->arena, &items, &n, e) < 0)
        return -1;
    a = json_array();
    for (size_t i = 0; a != NULL && i < n; i++)
        if (json_array_append_new(a, render_case(r, &items[i])) < 0) {
            json_decref(a);
            a = NULL;
        }
    return reply(r, 200, a ? json_pack("{s:o}", "items", a) : NULL, e);
}

/* ---- GET /api/cases/:number ---- */

static int
not_a_case(struct err *e)
{
    return err_set(e, ERR_NOT_FOUND, "number", "unknown", "no such case");
}

int
h_case_get(struct req *r, struct err *e)
{
    struct store *st;
    struct complaint *c;
    struct case_entry *ce;
    struct err lookup = { 0 };

    if (!core_number_is_wellformed(r->params[0]))
        return not_a_case(e);
    if ((st = http_reader(r, e)) == NULL)
        return -1;
    /* any complaint's number may be asked: one that is not a case is not found, alike */
    if (st->ops->complaint_get(st, r->params[0], r->arena, &c, &lookup) < 0 ||
        st->ops->case_get(st, c->id, r->arena, &ce, &lookup) < 0) {
        if (lookup.code != ERR_NOT_FOUND) {
            *e = lookup;
            return -1;
        }
        return not_a_case(e);
    }
    return reply(r, 200, render_case(r, ce), e);
}

/* ---- history ---- */

/* A complainant's earlier complaints the caller may read; complainant 0: none. */
static int
history_reply(struct store *st, struct req *r, int64_t complainant, int64_t exclude,
              const char *number, const char *project, struct err *e)
{
    struct history_item *items = NULL;
    size_t n = 0;
    json_t *a = json_array();

    if (a == NULL)
        return nomem(e);
    if (complainant != 0 &&
        st->ops->history_list(st, complainant, exclude, HISTORY_MAX, r->arena, &items, &n, e) < 0) {
        json_decref(a);
        return -1;
    }
    for (size_t i = 0; a != NULL && i < n; i++) {
        if (!core_can(r->who, PERM_COMPLAINT_READ, items[i].project_code) ||
            (project != NULL && strcmp(project, items[i].project_code) != 0))
            continue;
        if (json_array_append_new(a, render_history_item(&items[i],
                                                         r->srv->cfg->tz_offset_min)) < 0) {
            json_decref(a);
            a = NULL;
        }
    }
    if (a == NULL)
        return nomem(e);
    return reply(r, 200,
                 number ? json_pack("{s:s, s:o}", "number", number, "items", a)
                        : json_pack("{s:o}", "items", a),
                 e);
}

/* GET /api/complaints/:number/history */
int
h_history_get(struct req *r, struct err *e)
{
    struct store *st = http_reader(r, e);
    struct complaint *c;

    if (st == NULL || (c = http_path_complaint(st, r, e)) == NULL)
        return -1;
    return history_reply(st, r, c->complainant_id, c->id, c->number, NULL, e);
}

/* POST /api/customers/history {"phone": "..."}: before registering, who is calling? */
int
h_customer_history(struct req *r, struct err *e)
{
    const char *text = NULL, *project = NULL;
    const struct body_field fields[] = {
        { .key = "phone", .kind = BODY_FIELD_TEXT, .required = true, .max = PHONE_TEXT_MAX,
          .text = &text },
        { .key = "project", .kind = BODY_FIELD_TEXT, .max = 64, .text = &project },
        { .key = NULL },
    };
    struct phone p;
    struct store *st;
    int64_t id = 0;

    if (http_decode_fields(r->body.len ? r->body.buf : "{}", r->body.len ? r->body.len : 2,
                           fields, r->arena, e) < 0 ||
        phone_parse(text, strlen(text), &p, "phone", e) < 0)
        return -1;
    /* registering in one project, the operator may narrow the history to it */
    if (project != NULL && !core_can(r->who, PERM_COMPLAINT_READ, project))
        return err_set(e, ERR_INVALID, "project", "unknown", "outside the caller's projects");
    if ((st = http_reader(r, e)) == NULL ||
        st->ops->complainant_by_phone(st, p.norm, &id, e) < 0)
        return -1;
    return history_reply(st, r, id, 0, NULL, project, e);
}
