/*
 * The working-day calendar over the API (issue 5, DOMAIN §5): everyone
 * signed in reads it, so that any due date can be explained; the
 * administrator (`config.admin`) edits it.
 *
 *   - The deployment has one calendar; a project may have its own, with its
 *     own weekly pattern and hours and its own exceptions over the
 *     deployment's (store.h). Asking about a project answers with the
 *     calendar that applies to it and says which one that is.
 *   - The shipped schedule is unchecked until an administrator confirms it
 *     (`"checked": true`): the answer says so, and where it came from.
 *   - Every change is one write job with its audit entry, which records the
 *     state before and after: calendars are configuration, changed in place,
 *     so the log is their history.
 *   - An iCalendar file is parsed (util/ics.h) and turned into days on the
 *     HTTP thread; the write job only writes them, all or nothing.
 */
#include "http/handlers.h"
#include "core/calendar.h"
#include "util/ics.h"
#include "util/ts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CODE_MAX 64
#define HHMM_MAX 5                 /* "09:00" */
#define IMPORT_DAYS_MAX 3660       /* days one import may write: ten years of holidays are far fewer */

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
text_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

static int
tz(const struct req *r)
{
    return r->srv->cfg->tz_offset_min;
}

static json_t *
time_or_null(int64_t t, int tz_min)
{
    return t ? render_time(t, tz_min) : json_null();
}

/* ---- values as the API writes them ---- */

/* ISO weekday, 1 = Monday .. 7 = Sunday, as people in China count (周一 .. 周日) */
static int
iso_weekday(int64_t day)
{
    int w = cal_weekday(day);

    return w == 0 ? 7 : w;
}

static json_t *
render_weekdays(unsigned weekly)
{
    json_t *a = json_array();

    for (int iso = 1; a != NULL && iso <= 7; iso++)
        if ((weekly >> (iso % 7)) & 1u && json_array_append_new(a, json_integer(iso)) < 0) {
            json_decref(a);
            return NULL;
        }
    return a;
}

/* "09:00"; the end of the day is "24:00" */
static json_t *
render_hhmm(int minutes)
{
    char buf[8];

    minutes = minutes < 0 ? 0 : minutes > 1440 ? 1440 : minutes;   /* the store keeps them so */
    snprintf(buf, sizeof(buf), "%02d:%02d", minutes / 60, minutes % 60);
    return json_string(buf);
}

static json_t *
render_date(int64_t day)
{
    char buf[CAL_DATE_TEXT];

    cal_date_format(day, buf);
    return json_string(buf);
}

static const char *
layer(bool own)
{
    return own ? "project" : "deployment";
}

/* "HH:MM" into minutes of the day; "24:00" only when end_of_day. */
static int
hhmm_parse(const char *s, const char *field, bool end_of_day, int *minutes, struct err *e)
{
    int h, m;

    if (strlen(s) != 5 || s[2] != ':' || s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9' ||
        s[3] < '0' || s[3] > '9' || s[4] < '0' || s[4] > '9')
        return err_set(e, ERR_INVALID, field, "bad_format", "not HH:MM");
    h = (s[0] - '0') * 10 + (s[1] - '0');
    m = (s[3] - '0') * 10 + (s[4] - '0');
    if (m > 59 || h > 24 || (h == 24 && (m != 0 || !end_of_day)))
        return err_set(e, ERR_INVALID, field, "bad_time", "no such time of day");
    *minutes = h * 60 + m;
    return 0;
}

/* A project named in a query or body: a code that could not exist names no project. */
static int
project_code_check(const char *project, struct err *e)
{
    if (project != NULL && !http_is_code(project))
        return err_set(e, ERR_INVALID, "project", "unknown", "not a project code");
    return 0;
}

static int
current_year(const struct req *r)
{
    struct ts_civil c;

    ts_to_civil(r->now, tz(r), &c);
    return c.year;
}

/* ---- the calendar as GET shows it ---- */

static json_t *
render_day(const struct calendar_day *d, int tz_min)
{
    return json_pack("{s:o, s:i, s:s, s:s, s:s, s:o, s:o}", "date", render_date(d->day),
                     "weekday", iso_weekday(d->day), "kind", cal_kind_name(d->kind), "name",
                     d->name ? d->name : "", "calendar", layer(d->own), "updated_by",
                     text_or_null(d->updated_by), "updated_at", time_or_null(d->updated_at, tz_min));
}

/* Working days of [from, to] under the record's pattern and its exceptions of those days. */
static int
working_days(const struct calendar_record *rec, int64_t from, int64_t to)
{
    struct calendar c = { .weekly = rec->weekly, .work_start = rec->work_start,
                          .work_end = rec->work_end };
    size_t k = 0;
    int n = 0;

    for (int64_t d = from; d <= to; d++) {
        while (k < rec->n_days && rec->days[k].day < d)
            k++;
        if (k < rec->n_days && rec->days[k].day == d)
            n += rec->days[k].kind == CAL_WORKDAY;
        else
            n += cal_is_working_day(&c, d);
    }
    return n;
}

static json_t *
render_record(const struct calendar_record *rec, int year, int tz_min)
{
    int64_t from = ts_days_from_civil(year, 1, 1), to = ts_days_from_civil(year, 12, 31);
    json_t *days = json_array(), *o;

    for (size_t i = 0; days != NULL && i < rec->n_days; i++)
        if (json_array_append_new(days, render_day(&rec->days[i], tz_min)) < 0) {
            json_decref(days);
            days = NULL;
        }
    if (days == NULL)
        return NULL;
    o = json_pack("{s:s, s:o, s:o, s:o, s:o, s:s, s:b, s:o, s:o, s:o, s:o, s:i, s:i, s:o}",
                  "calendar", layer(rec->own), "project", text_or_null(rec->project),
                  "weekdays", render_weekdays(rec->weekly), "work_start",
                  render_hhmm(rec->work_start), "work_end", render_hhmm(rec->work_end), "source",
                  rec->source ? rec->source : "", "checked", rec->checked, "checked_by",
                  text_or_null(rec->checked_by), "checked_at",
                  time_or_null(rec->checked_at, tz_min), "updated_by",
                  text_or_null(rec->updated_by), "updated_at",
                  time_or_null(rec->updated_at, tz_min), "year", year, "working_days",
                  working_days(rec, from, to), "days", days);
    return o;
}

static int
reply_calendar(struct store *st, struct req *r, const char *project, int year, int status,
               struct err *e)
{
    struct calendar_record rec;

    if (st->ops->calendar_get(st, project, ts_days_from_civil(year, 1, 1),
                              ts_days_from_civil(year, 12, 31), r->arena, &rec, e) < 0)
        return -1;
    return reply(r, status, render_record(&rec, year, tz(r)), e);
}

/* ---- GET /api/calendar?year=2026&project=HY ---- */

static int
year_parse(const char *s, int *year, struct err *e)
{
    int y = 0;

    if (strlen(s) != 4 || strspn(s, "0123456789") != 4)
        return err_set(e, ERR_INVALID, "year", "bad_value", "not a four-digit year");
    for (int i = 0; i < 4; i++)
        y = y * 10 + (s[i] - '0');
    if (y < 1970)
        return err_set(e, ERR_INVALID, "year", "out_of_range", "before 1970");
    *year = y;
    return 0;
}

int
h_calendar_get(struct req *r, struct err *e)
{
    const char *project = NULL, *year_text = NULL;
    struct kv *params;
    struct store *st;
    size_t n;
    int year;

    if (http_query_parse(r->raw_query, strlen(r->raw_query), r->arena, &params, &n, e) < 0)
        return -1;
    for (size_t i = 0; i < n; i++) {
        const char **slot = strcmp(params[i].key, "project") == 0 ? &project
                          : strcmp(params[i].key, "year") == 0    ? &year_text
                                                                  : NULL;
        if (slot == NULL)
            return err_set(e, ERR_INVALID, params[i].key, "unknown_parameter", "unknown");
        if (*slot != NULL)
            return err_set(e, ERR_INVALID, params[i].key, "repeated", "given twice");
        *slot = params[i].value;
    }
    year = current_year(r);
    if ((year_text != NULL && year_parse(year_text, &year, e) < 0) ||
        project_code_check(project, e) < 0 || (st = http_reader(r, e)) == NULL)
        return -1;
    return reply_calendar(st, r, project, year, 200, e);
}

/* ---- PUT /api/calendar ---- */

struct cal_put {
    const char *project;
    bool has_weekly, has_start, has_end, has_checked;
    unsigned weekly;
    int work_start, work_end;
    const char *source;
    bool checked;
};

/* "weekdays": [1, 2, 3, 4, 5]: ISO weekdays, none twice, at least one. */
static int
weekdays_decode(json_t *v, unsigned *weekly, struct err *e)
{
    json_t *item;
    size_t i;

    *weekly = 0;
    if (!json_is_array(v))
        return err_set(e, ERR_INVALID, "weekdays", "bad_type", "not an array");
    if (json_array_size(v) == 0)
        return err_set(e, ERR_INVALID, "weekdays", "empty", "no working weekday");
    json_array_foreach(v, i, item) {
        json_int_t d;
        if (!json_is_integer(item))
            return err_set(e, ERR_INVALID, "weekdays", "bad_type", "item %zu not an integer", i);
        d = json_integer_value(item);
        if (d < 1 || d > 7)
            return err_set(e, ERR_INVALID, "weekdays", "out_of_range", "1 (Monday) .. 7 (Sunday)");
        if (*weekly & (1u << (d % 7)))
            return err_set(e, ERR_INVALID, "weekdays", "repeated", "weekday %d twice", (int)d);
        *weekly |= 1u << (d % 7);
    }
    return 0;
}

static json_t *
settings_detail(const struct calendar_record *rec)
{
    return json_pack("{s:o, s:o, s:o, s:s, s:b}", "weekdays", render_weekdays(rec->weekly),
                     "work_start", render_hhmm(rec->work_start), "work_end",
                     render_hhmm(rec->work_end), "source", rec->source ? rec->source : "",
                     "checked", rec->checked);
}

/* The change to make, the hours merged with those in force; ERR_INVALID when they cross. */
static int
change_build(const struct cal_put *p, const struct calendar_record *now, struct req *r,
             struct calendar_change *ch, struct err *e)
{
    *ch = (struct calendar_change){
        .project = p->project, .has_weekly = p->has_weekly, .weekly = p->weekly,
        .has_hours = p->has_start || p->has_end,
        .work_start = p->has_start ? p->work_start : now->work_start,
        .work_end = p->has_end ? p->work_end : now->work_end,
        .source = p->source, .has_checked = p->has_checked, .checked = p->checked,
        .by = r->who->login, .at = r->now,
    };
    if (ch->has_hours && ch->work_end <= ch->work_start)
        return err_set(e, ERR_INVALID, p->has_end ? "work_end" : "work_start",
                       p->has_end ? "before_from" : "out_of_range",
                       "the working day must end after it starts");
    /* a project's first PUT makes its calendar, even with nothing else */
    if (!ch->has_weekly && !ch->has_hours && !ch->source && !ch->has_checked &&
        (p->project == NULL || now->own))
        return err_set(e, ERR_INVALID, NULL, "nothing_to_change", "no member given");
    return 0;
}

static int
calendar_put_run(struct store *st, struct store_job *job, struct err *e)
{
    struct req *r = job->ctx;
    struct cal_put *p = r->ctx;
    struct calendar_record before, after;
    struct calendar_change ch;
    bool created = false;

    if (st->ops->calendar_get(st, p->project, 0, -1, r->arena, &before, e) < 0 ||
        change_build(p, &before, r, &ch, e) < 0 ||
        st->ops->calendar_put(st, &ch, &created, e) < 0 ||
        st->ops->calendar_get(st, p->project, 0, -1, r->arena, &after, e) < 0 ||
        http_audit_json(st, r, "calendar.put", p->project ? p->project : "deployment",
                        json_pack("{s:o, s:b, s:o, s:o}", "project", text_or_null(p->project),
                                  "created", created, "before", settings_detail(&before),
                                  "after", settings_detail(&after)),
                        e) < 0)
        return -1;
    return reply_calendar(st, r, p->project, current_year(r), created ? 201 : 200, e);
}

static int
put_hours(struct cal_put *p, const char *start, const char *end, struct err *e)
{
    if (start != NULL && hhmm_parse(start, "work_start", false, &p->work_start, e) < 0)
        return -1;
    if (end != NULL && hhmm_parse(end, "work_end", true, &p->work_end, e) < 0)
        return -1;
    if (end != NULL && p->work_end == 0)
        return err_set(e, ERR_INVALID, "work_end", "before_from", "00:00 ends no working day");
    p->has_start = start != NULL;
    p->has_end = end != NULL;
    return 0;
}

int
h_calendar_put(struct req *r, struct err *e)
{
    static const char *const others[] = { "weekdays", NULL };
    struct cal_put *p = arena_zalloc(r->arena, sizeof(*p));
    const char *start = NULL, *end = NULL;
    json_t *root, *weekdays;
    int rc;

    if (p == NULL)
        return nomem(e);
    const struct body_field fields[] = {
        { .key = "project", .kind = BODY_FIELD_TEXT, .max = CODE_MAX, .text = &p->project },
        { .key = "work_start", .kind = BODY_FIELD_TEXT, .max = HHMM_MAX, .text = &start },
        { .key = "work_end", .kind = BODY_FIELD_TEXT, .max = HHMM_MAX, .text = &end },
        { .key = "source", .kind = BODY_FIELD_TEXT, .max = CAL_SOURCE_MAX, .text = &p->source },
        { .key = "checked", .kind = BODY_FIELD_BOOL, .flag = &p->checked,
          .given = &p->has_checked },
        { .key = NULL },
    };
    root = http_load_object(r->body.len ? r->body.buf : "{}", r->body.len ? r->body.len : 2, e);
    if (root == NULL)
        return -1;
    rc = http_decode_fields_in(root, fields, others, r->arena, e);
    weekdays = json_object_get(root, "weekdays");
    if (rc == 0 && weekdays != NULL && !json_is_null(weekdays)) {
        rc = weekdays_decode(weekdays, &p->weekly, e);
        p->has_weekly = rc == 0;
    }
    json_decref(root);
    if (rc < 0 || put_hours(p, start, end, e) < 0 || project_code_check(p->project, e) < 0)
        return -1;
    r->ctx = p;
    return http_submit(r, calendar_put_run);
}

/* ---- PUT /api/calendar/days/:date ---- */

struct day_put {
    int64_t day;
    const char *kind;              /* "holiday" | "workday" | "normal" */
    const char *name, *project;
};

/* The day as it now is for the calendar that applies: its exception, if any. */
static json_t *
render_day_state(const struct calendar_record *rec, int64_t day, const char *result, bool created)
{
    const struct calendar_day *d = rec->n_days > 0 ? &rec->days[0] : NULL;
    struct calendar c = { .weekly = rec->weekly };
    bool working = d != NULL ? d->kind == CAL_WORKDAY : cal_is_working_day(&c, day);

    return json_pack("{s:o, s:i, s:s, s:s, s:b, s:o, s:o, s:s, s:b}", "date", render_date(day),
                     "weekday", iso_weekday(day), "kind", d ? cal_kind_name(d->kind) : "normal",
                     "name", d && d->name ? d->name : "", "working", working, "calendar",
                     d ? json_string(layer(d->own)) : json_null(), "project",
                     text_or_null(rec->project), "result", result, "created", created);
}

static json_t *
day_detail(const struct calendar_record *rec)
{
    const struct calendar_day *d = rec->n_days > 0 ? &rec->days[0] : NULL;

    if (d == NULL)
        return json_pack("{s:s}", "kind", "normal");
    return json_pack("{s:s, s:s, s:s}", "kind", cal_kind_name(d->kind), "name", d->name,
                     "calendar", layer(d->own));
}

static const char *
day_result(const struct calendar_days_result *res)
{
    return res->added ? "added" : res->changed ? "changed" : res->removed ? "removed"
                                                                          : "unchanged";
}

static int
day_put_run(struct store *st, struct store_job *job, struct err *e)
{
    struct req *r = job->ctx;
    struct day_put *p = r->ctx;
    struct calendar_day_change ch = { .day = p->day, .kind = cal_kind_parse(p->kind),
                                      .name = p->name };
    struct calendar_record before, after;
    struct calendar_days_result res;
    char date[CAL_DATE_TEXT];
    const char *object;

    cal_date_format(p->day, date);
    object = p->project ? arena_printf(r->arena, "%s:%s", p->project, date) : date;
    if (object == NULL)
        return nomem(e);
    if (st->ops->calendar_get(st, p->project, p->day, p->day, r->arena, &before, e) < 0 ||
        st->ops->calendar_days_put(st, p->project, &ch, 1, r->who->login, r->now, &res, e) < 0 ||
        st->ops->calendar_get(st, p->project, p->day, p->day, r->arena, &after, e) < 0 ||
        http_audit_json(st, r, "calendar.day_put", object,
                        json_pack("{s:s, s:o, s:s, s:s, s:s, s:b, s:o, s:o}", "date", date,
                                  "project", text_or_null(p->project), "kind", p->kind, "name",
                                  p->name ? p->name : "", "result", day_result(&res), "created",
                                  res.created, "before", day_detail(&before), "after",
                                  day_detail(&after)),
                        e) < 0)
        return -1;
    return reply(r, 200, render_day_state(&after, p->day, day_result(&res), res.created), e);
}

int
h_calendar_day_put(struct req *r, struct err *e)
{
    static const char *const kinds[] = { "holiday", "workday", "normal", NULL };
    struct day_put *p = arena_zalloc(r->arena, sizeof(*p));
    const char *date = r->params[0];

    if (p == NULL)
        return nomem(e);
    const struct body_field fields[] = {
        { .key = "kind", .kind = BODY_FIELD_ENUM, .required = true, .values = kinds,
          .text = &p->kind },
        { .key = "name", .kind = BODY_FIELD_TEXT, .max = CAL_NAME_MAX, .text = &p->name },
        { .key = "project", .kind = BODY_FIELD_TEXT, .max = CODE_MAX, .text = &p->project },
        { .key = NULL },
    };
    if (cal_date_parse(date, strlen(date), "date", &p->day, e) < 0 ||
        http_decode_fields(r->body.len ? r->body.buf : "{}", r->body.len ? r->body.len : 2, fields,
                           r->arena, e) < 0 ||
        project_code_check(p->project, e) < 0)
        return -1;
    if (strcmp(p->kind, "normal") == 0)
        p->name = NULL;   /* a day without an exception has no name */
    r->ctx = p;
    return http_submit(r, day_put_run);
}

/* ---- POST /api/calendar/import ---- */

struct import {
    const char *ics, *project;
    size_t n_events;
    struct calendar_day_change *days;   /* sorted, one per day */
    size_t n_days;
};

/* A day of an event, with the event's place in the file (the first event names the day). */
struct import_day {
    int64_t day;
    enum cal_kind kind;
    const char *name;
    size_t event;
};

static int
import_day_cmp(const void *pa, const void *pb)
{
    const struct import_day *a = pa, *b = pb;

    if (a->day != b->day)
        return a->day < b->day ? -1 : 1;
    return a->event < b->event ? -1 : a->event > b->event;
}

/*
 * The days of the events, sorted, one per day: a day in two events keeps
 * the first event's name; a day that is a holiday in one event and a
 * working day in another is refused ("ics" "conflict"): which one was
 * meant cannot be guessed.
 */
static int
import_days(struct req *r, const struct ics_event *ev, size_t n, struct import *im,
            struct err *e)
{
    struct import_day *all;
    size_t total = 0, k = 0;

    for (size_t i = 0; i < n; i++)
        if ((total += (size_t)(ev[i].last - ev[i].first + 1)) > IMPORT_DAYS_MAX)
            return err_set(e, ERR_INVALID, "ics", "too_many", "more than %d days",
                           IMPORT_DAYS_MAX);
    all = arena_alloc(r->arena, total * sizeof(*all));
    im->days = arena_alloc(r->arena, total * sizeof(*im->days));
    if (all == NULL || im->days == NULL)
        return nomem(e);
    for (size_t i = 0; i < n; i++)
        for (int64_t d = ev[i].first; d <= ev[i].last; d++)
            all[k++] = (struct import_day){ d, ev[i].kind == ICS_WORKDAY ? CAL_WORKDAY : CAL_HOLIDAY,
                                            ev[i].name, i };
    qsort(all, total, sizeof(*all), import_day_cmp);
    im->n_days = 0;
    for (size_t i = 0; i < total; i++) {
        struct calendar_day_change *last = im->n_days ? &im->days[im->n_days - 1] : NULL;
        if (last != NULL && last->day == all[i].day) {
            char date[CAL_DATE_TEXT];
            if (last->kind == all[i].kind)
                continue;
            cal_date_format(all[i].day, date);
            return err_set(e, ERR_INVALID, "ics", "conflict",
                           "%s is both a holiday and a working day", date);
        }
        im->days[im->n_days++] = (struct calendar_day_change){ all[i].day, all[i].kind,
                                                               all[i].name };
    }
    return 0;
}

static int
import_run(struct store *st, struct store_job *job, struct err *e)
{
    struct req *r = job->ctx;
    struct import *im = r->ctx;
    struct calendar_days_result res;
    json_t *body;

    if (st->ops->calendar_days_put(st, im->project, im->days, im->n_days, r->who->login, r->now,
                                   &res, e) < 0)
        return -1;
    body = json_pack("{s:s, s:o, s:b, s:I, s:I, s:o, s:o, s:i, s:i, s:i}", "calendar",
                     layer(im->project != NULL), "project", text_or_null(im->project), "created",
                     res.created, "events", (json_int_t)im->n_events, "days",
                     (json_int_t)im->n_days, "from", render_date(im->days[0].day), "to",
                     render_date(im->days[im->n_days - 1].day), "added", res.added, "changed",
                     res.changed, "unchanged", res.unchanged);
    if (body == NULL ||
        http_audit_json(st, r, "calendar.import", im->project ? im->project : "deployment",
                        json_deep_copy(body), e) < 0) {
        json_decref(body);
        return body == NULL ? nomem(e) : -1;
    }
    return reply(r, 200, body, e);
}

int
h_calendar_import(struct req *r, struct err *e)
{
    struct import *im = arena_zalloc(r->arena, sizeof(*im));
    struct ics_event *events;

    if (im == NULL)
        return nomem(e);
    const struct body_field fields[] = {
        { .key = "ics", .kind = BODY_FIELD_SECRET, .required = true, .max = ICS_TEXT_MAX,
          .text = &im->ics },
        { .key = "project", .kind = BODY_FIELD_TEXT, .max = CODE_MAX, .text = &im->project },
        { .key = NULL },
    };
    if (http_decode_fields(r->body.len ? r->body.buf : "{}", r->body.len ? r->body.len : 2, fields,
                           r->arena, e) < 0 ||
        project_code_check(im->project, e) < 0 ||
        ics_parse(im->ics, strlen(im->ics), r->arena, &events, &im->n_events, e) < 0 ||
        import_days(r, events, im->n_events, im, e) < 0)
        return -1;
    r->ctx = im;
    return http_submit(r, import_run);
}
