/* Stored records to JSON. The shapes are documented in docs/api.md and docs/openapi.json. */
#include "http/handlers.h"
#include "core/privacy.h"
#include "util/phone.h"
#include "util/ts.h"

#include <string.h>

json_t *
render_time(int64_t t, int tz_min)
{
    char buf[TS_FORMAT_MAX];

    ts_format(t, tz_min, buf);
    return json_string(buf);
}

static json_t *
text_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

static json_t *
named(const char *code, const char *zh, const char *en)
{
    if (code == NULL)
        return json_null();
    return json_pack("{s:s, s:s?, s:s?}", "code", code, "name_zh", zh, "name_en", en);
}

static json_t *
render_flags(unsigned flags)
{
    json_t *o = json_object();

    for (const struct core_flag_name *f = core_flag_names; o && f->name; f++)
        json_object_set_new(o, f->name, json_boolean((flags & f->bit) != 0));
    return o;
}

static json_t *
masked_unit(const char *unit)
{
    char out[CORE_MASK_MAX];

    if (unit == NULL)
        return json_null();
    core_mask_unit(unit, out);
    return json_string(out);
}

/*
 * Contact details are always masked here (DOMAIN §11); the unmasked ones
 * come only from POST .../contact, which is audited (render_contact).
 */
static json_t *
render_complainant(const struct complaint *c, bool full)
{
    char phone[PHONE_NORM_MAX], email[CORE_MASK_MAX];

    if (c->c_phone != NULL)
        phone_mask(c->c_phone, phone);
    if (c->c_email != NULL)
        core_mask_email(c->c_email, email);
    if (!full)
        return json_pack("{s:o, s:o}", "name", text_or_null(c->c_name), "phone",
                         c->c_phone ? json_string(phone) : json_null());
    return json_pack("{s:o, s:o, s:o, s:o, s:s, s:b}", "id",
                     c->complainant_id ? json_integer(c->complainant_id) : json_null(), "name",
                     text_or_null(c->c_name), "phone",
                     c->c_phone ? json_string(phone) : json_null(), "email",
                     c->c_email ? json_string(email) : json_null(), "role", c->c_role,
                     "anonymous", c->c_anonymous);
}

json_t *
render_contact(const struct complaint *c)
{
    return json_pack("{s:s, s:o, s:o, s:o, s:o, s:o}", "number", c->number, "name",
                     text_or_null(c->c_name), "phone", text_or_null(c->c_phone), "email",
                     text_or_null(c->c_email), "building", text_or_null(c->building), "unit",
                     text_or_null(c->unit));
}

static json_t *
time_or_null(int64_t t, int tz_min)
{
    return t ? render_time(t, tz_min) : json_null();
}

static json_t *
person_or_null(const char *login, const char *name)
{
    return login ? json_pack("{s:s, s:s?}", "login", login, "name", name) : json_null();
}

json_t *
render_person(const struct person *p)
{
    char phone[PHONE_NORM_MAX], email[CORE_MASK_MAX];

    if (p->phone != NULL)
        phone_mask(p->phone, phone);
    if (p->email != NULL)
        core_mask_email(p->email, email);
    return json_pack("{s:i, s:o, s:o, s:o, s:s, s:b}", "seq", p->seq, "name",
                     text_or_null(p->name), "phone", p->phone ? json_string(phone) : json_null(),
                     "email", p->email ? json_string(email) : json_null(), "role", p->role,
                     "anonymous", p->anonymous);
}

/* Who handles it and how far it got (issue 4); people masked like the complainant. */
static void
render_handling(json_t *o, const struct complaint *c, int tz_min)
{
    json_t *people = json_array();

    for (size_t i = 0; people != NULL && i < c->n_people; i++)
        json_array_append_new(people, render_person(&c->people[i]));
    json_object_set_new(o, "department",
                        c->department_code ? json_pack("{s:s, s:s?}", "code", c->department_code,
                                                       "name", c->department_name)
                                           : json_null());
    json_object_set_new(o, "handler", person_or_null(c->handler_login, c->handler_name));
    json_object_set_new(o, "raised", json_integer(c->raised));
    json_object_set_new(o, "reopenings", json_integer(c->reopenings));
    json_object_set_new(o, "grade_overrides", text_or_null(c->grade_overrides));
    json_object_set_new(o, "result", text_or_null(c->result));
    json_object_set_new(o, "close_response", text_or_null(c->close_response));
    json_object_set_new(o, "resolved_at", time_or_null(c->resolved_at, tz_min));
    json_object_set_new(o, "closed_at", time_or_null(c->closed_at, tz_min));
    json_object_set_new(o, "is_case", json_boolean(c->is_case));
    json_object_set_new(o, "people", people ? people : json_array());
}

json_t *
render_complaint(const struct complaint *c, int tz_min, bool full)
{
    json_t *o = json_pack(
        "{s:s, s:s, s:s, s:s, s:o, s:s, s:o, s:o, s:o, s:{s:s, s:s}, s:o, s:o, s:o, s:i, s:s,"
        " s:o}",
        "number", c->number, "status", c->status, "kind", c->kind, "nature", c->nature, "grade",
        text_or_null(c->grade), "channel", c->channel, "comm_type", text_or_null(c->comm_type),
        "received_at", render_time(c->received_at, tz_min), "registered_at",
        render_time(c->registered_at, tz_min), "project", "code", c->project_code, "name",
        c->project_name, "building", text_or_null(c->building), "unit", masked_unit(c->unit),
        "complainant", render_complainant(c, full), "headcount", c->headcount, "subject",
        c->subject, "category", named(c->category_code, c->category_zh, c->category_en));
    char amount[32];

    if (o == NULL)
        return o;
    /* a list's work columns; the full view names the department (render_handling) */
    json_object_set_new(o, "handler", person_or_null(c->handler_login, c->handler_name));
    json_object_set_new(o, "department", text_or_null(c->department_code));
    if (!full)
        return o;
    if (c->has_loss)
        core_amount_format(c->loss_fen, amount, sizeof(amount));
    json_object_set_new(o, "received_by",
                        c->received_by_login
                            ? json_pack("{s:s, s:s?}", "login", c->received_by_login, "name",
                                        c->received_by_name)
                            : json_null());
    json_object_set_new(o, "content", json_string(c->content));
    json_object_set_new(o, "demands", text_or_null(c->demands));
    json_object_set_new(o, "subcategory",
                        named(c->subcategory_code, c->subcategory_zh, c->subcategory_en));
    json_object_set_new(o, "flags", render_flags(c->flags));
    json_object_set_new(o, "loss_amount", c->has_loss ? json_string(amount) : json_null());
    render_handling(o, c, tz_min);
    return o;
}

json_t *
render_event(const struct event *ev, int tz_min)
{
    json_error_t jerr;
    json_t *data = json_loads(ev->data ? ev->data : "{}", 0, &jerr);

    if (data == NULL)
        data = json_object();
    return json_pack("{s:i, s:s, s:o, s:o, s:s, s:o, s:o}", "seq", ev->seq, "type", ev->type,
                     "at", render_time(ev->at, tz_min), "author",
                     ev->author_login ? json_pack("{s:s, s:s?}", "login", ev->author_login,
                                                  "name", ev->author_name)
                                      : json_null(),
                     "visibility", ev->visibility, "text", text_or_null(ev->text), "data", data);
}

json_t *
render_attachment(const struct attachment *a, const char *number, int tz_min)
{
    char url[160];

    snprintf(url, sizeof(url), "/api/complaints/%s/attachments/%lld", number, (long long)a->id);
    return json_pack("{s:I, s:s, s:s, s:I, s:s, s:o, s:s}", "id", (json_int_t)a->id, "name",
                     a->name, "content_type", a->content_type, "size", (json_int_t)a->size,
                     "sha256", a->sha256_hex, "uploaded_at", render_time(a->uploaded_at, tz_min),
                     "url", url);
}

json_t *
render_membership(const struct membership *m)
{
    return json_pack("{s:s, s:o, s:o}", "role", m->role, "project", text_or_null(m->project),
                     "department", text_or_null(m->department));
}

json_t *
render_memberships(const struct membership *m, size_t n)
{
    json_t *a = json_array();

    for (size_t i = 0; a != NULL && i < n; i++)
        if (json_array_append_new(a, render_membership(&m[i])) < 0) {
            json_decref(a);
            return NULL;
        }
    return a;
}

static json_t *
amount_json(int64_t fen)
{
    char amount[32];

    core_amount_format(fen, amount, sizeof(amount));
    return json_string(amount);
}

json_t *
render_compensation(const struct compensation *c, int tz_min)
{
    return json_pack("{s:I, s:s, s:o, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "id",
                     (json_int_t)c->id, "type", c->type, "amount", amount_json(c->amount_fen),
                     "reason", c->reason, "status", c->status, "proposed_by",
                     text_or_null(c->proposed_by), "proposed_at",
                     render_time(c->proposed_at, tz_min), "decided_by",
                     text_or_null(c->decided_by), "decided_at",
                     time_or_null(c->decided_at, tz_min), "decision_reason",
                     text_or_null(c->decision_reason), "agreed_by", text_or_null(c->agreed_by),
                     "agreed_at", time_or_null(c->agreed_at, tz_min));
}

json_t *
render_followup(const struct followup *f, int tz_min)
{
    json_t *ratings = json_array();
    json_t *o;

    for (size_t i = 0; ratings != NULL && i < f->n_ratings; i++)
        json_array_append_new(
            ratings, json_pack("{s:i, s:s, s:o, s:o}", "person", f->ratings[i].person,
                               "satisfaction", f->ratings[i].satisfaction, "score",
                               f->ratings[i].score ? json_integer(f->ratings[i].score)
                                                   : json_null(),
                               "comment", text_or_null(f->ratings[i].comment)));
    o = json_pack("{s:I, s:s, s:s, s:o, s:i, s:o, s:s, s:o, s:o, s:o}", "id", (json_int_t)f->id,
                  "number", f->number, "kind", f->kind, "month", text_or_null(f->month),
                  "cycle", f->cycle, "assignee",
                  person_or_null(f->assignee_login, f->assignee_name), "status", f->status,
                  "created_at", render_time(f->created_at, tz_min), "due_at",
                  render_time(f->due_at, tz_min), "done_at", time_or_null(f->done_at, tz_min));
    if (o == NULL) {
        json_decref(ratings);
        return NULL;
    }
    json_object_set_new(o, "project", text_or_null(f->project_code));
    json_object_set_new(o, "subject", text_or_null(f->subject));
    json_object_set_new(o, "done_by", text_or_null(f->done_by));
    json_object_set_new(o, "outcome", text_or_null(f->outcome));
    json_object_set_new(o, "attempts", json_integer(f->attempts));
    json_object_set_new(o, "satisfaction", text_or_null(f->satisfaction));
    json_object_set_new(o, "score", f->score ? json_integer(f->score) : json_null());
    json_object_set_new(o, "comment", text_or_null(f->comment));
    json_object_set_new(o, "ratings", ratings ? ratings : json_array());
    return o;
}

json_t *
render_history_item(const struct history_item *h, int tz_min)
{
    return json_pack("{s:s, s:s, s:o, s:s, s:s, s:o, s:o, s:o}", "number", h->number, "project",
                     h->project_code, "received_at", render_time(h->received_at, tz_min),
                     "subject", h->subject, "status", h->status, "grade", text_or_null(h->grade),
                     "satisfaction", text_or_null(h->satisfaction), "compensation",
                     amount_json(h->compensation_fen));
}
