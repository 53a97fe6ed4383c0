/*
 * Actions on a complaint (issue 4; DOMAIN §6): accept, triage, dispatch,
 * return, invalidate, facts, people, compensation, agreement, resolve,
 * close, dispute, reopen, archive, case. Each decodes its body here, on the
 * HTTP thread, and hands an apply function to life.c, which runs it in a
 * write job after checking the status. Every change is an event.
 */
#include "http/handlers.h"
#include "notify/notify.h"
#include "core/followup.h"
#include "core/grading.h"
#include "util/ts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REASON_MAX 2000      /* characters of a reason, a result, a solution */
#define CODE_MAX 64
#define DAY 86400

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

/* A body that is only the members in fields (an empty body counts as {}). */
static int
decode(struct req *r, const struct body_field *fields, struct err *e)
{
    if (r->body.len == 0)
        return http_decode_fields("{}", 2, fields, r->arena, e);
    return http_decode_fields(r->body.buf, r->body.len, fields, r->arena, e);
}

static bool
same(const char *a, const char *b)
{
    return (a == NULL && b == NULL) || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

/* One field's change as an event "<field>_changed" {from, to}, the reason as its text. */
static int
changed_event(struct store *st, struct req *r, const struct complaint *c, const char *field,
              const char *from, const char *to, const char *reason, struct err *e)
{
    char type[48];

    snprintf(type, sizeof(type), "%s_changed", field);
    return life_event(st, r, c, type, "internal", reason,
                      json_pack("{s:o, s:o}", "from", str_or_null(from), "to", str_or_null(to)),
                      e);
}

/* ---- accept ---- */

struct note_body {
    const char *note;
};

static int
accept_apply(struct store *st, struct req *r, struct complaint *c, const char *next, void *in,
             struct err *e)
{
    struct note_body *b = in;
    struct complaint_change ch = { .status = next };

    return life_change(st, c, &ch, e) < 0 ? -1
           : life_event(st, r, c, "accepted", "internal", b->note, NULL, e);
}

static const struct life_spec accept_spec = {
    .action = WF_ACCEPT, .audit = "complaint.accept", .apply = accept_apply, .regrade = true,
};

int
h_complaint_accept(struct req *r, struct err *e)
{
    struct note_body *b = arena_zalloc(r->arena, sizeof(*b));
    const struct body_field fields[] = {
        { .key = "note", .kind = BODY_FIELD_PARAGRAPH, .max = REASON_MAX, .text = &b->note },
        { .key = NULL },
    };

    if (b == NULL)
        return nomem(e);
    return decode(r, fields, e) < 0 ? -1 : life_submit(r, &accept_spec, b, e);
}

/* ---- triage: kind, nature, comm_type, category, grade, project ---- */

struct triage_body {
    const char *kind, *nature, *comm_type, *category, *subcategory, *grade, *project, *reason;
};

static int
triage_grade(struct store *st, struct req *r, const struct complaint *c, const char *wanted,
             const char *reason, struct complaint_change *ch, struct err *e)
{
    const struct grade_preset *preset;
    int lowering;

    if (life_preset(st, r, &preset, e) < 0 ||
        (lowering = core_grade_manual_check(preset, c->grade, wanted, reason, e)) < 0)
        return -1;
    ch->grade = wanted;
    /* lowering overrides the rules that hold now: they must not raise it straight back */
    if (lowering && life_rules_holding(st, r, c, &ch->grade_overrides, e) < 0)
        return -1;
    return life_event(st, r, c, "grade_changed", "internal", reason,
                      json_pack("{s:o, s:s, s:s, s:b, s:o}", "from", str_or_null(c->grade), "to",
                                wanted, "by", "person", "lowered", lowering != 0, "overridden",
                                str_or_null(ch->grade_overrides)),
                      e);
}

static int
triage_apply(struct store *st, struct req *r, struct complaint *c, const char *next, void *in,
             struct err *e)
{
    struct triage_body *b = in;
    struct complaint_change ch = { .status = NULL };
    int changes = 0;

    (void)next;
#define TRIAGE_FIELD(name, current)                                                            \
    if (b->name != NULL && !same(b->name, current)) {                                           \
        ch.name = b->name;                                                                      \
        if (changed_event(st, r, c, #name, current, b->name, b->reason, e) < 0)                 \
            return -1;                                                                          \
        changes++;                                                                              \
    }
    TRIAGE_FIELD(kind, c->kind)
    TRIAGE_FIELD(nature, c->nature)
    TRIAGE_FIELD(comm_type, c->comm_type)
    TRIAGE_FIELD(category, c->category_code)
    TRIAGE_FIELD(subcategory, c->subcategory_code)
    TRIAGE_FIELD(project, c->project_code)
#undef TRIAGE_FIELD
    if (ch.project != NULL) {
        /* department and handler belong to the old project: dispatch again */
        if (!core_can(r->who, PERM_COMPLAINT_TRIAGE, ch.project))
            return err_set(e, ERR_INVALID, "project", "unknown", "outside the caller's projects");
        ch.department = c->department_code ? "" : NULL;
        ch.handler = c->handler_login ? "" : NULL;
    }
    if (b->grade != NULL && !same(b->grade, c->grade)) {
        if (triage_grade(st, r, c, b->grade, b->reason, &ch, e) < 0)
            return -1;
        changes++;
    }
    if (changes == 0)
        return err_set(e, ERR_INVALID, NULL, "nothing_to_change",
                       "every value given is the complaint's already");
    return life_change(st, c, &ch, e);
}

static const struct life_spec triage_spec = {
    .action = WF_TRIAGE, .audit = "complaint.triage", .apply = triage_apply, .regrade = true,
    .propagate = true,
};

int
h_complaint_triage(struct req *r, struct err *e)
{
    static const char *const natures[] = { "valid", "assisted", "undetermined", NULL };
    struct triage_body *b = arena_zalloc(r->arena, sizeof(*b));
    const struct body_field fields[] = {
        { .key = "kind", .kind = BODY_FIELD_ENUM, .values = core_kinds, .text = &b->kind },
        { .key = "nature", .kind = BODY_FIELD_ENUM, .values = natures, .text = &b->nature },
        { .key = "comm_type", .kind = BODY_FIELD_ENUM, .values = core_comm_types,
          .text = &b->comm_type },
        { .key = "category", .kind = BODY_FIELD_TEXT, .max = CODE_MAX, .text = &b->category },
        { .key = "subcategory", .kind = BODY_FIELD_TEXT, .max = CODE_MAX,
          .text = &b->subcategory },
        { .key = "grade", .kind = BODY_FIELD_TEXT, .max = CODE_MAX, .text = &b->grade },
        { .key = "project", .kind = BODY_FIELD_TEXT, .max = CODE_MAX, .text = &b->project },
        { .key = "reason", .kind = BODY_FIELD_PARAGRAPH, .required = true, .max = REASON_MAX,
          .text = &b->reason },
        { .key = NULL },
    };

    if (b == NULL)
        return nomem(e);
    if (decode(r, fields, e) < 0)
        return -1;
    return life_submit(r, &triage_spec, b, e);
}

/* ---- assign (派单) and reassign (改派) ---- */

struct assign_body {
    const char *department, *handler, *reason;
};

/* A handler must be active and able to handle complaints of the project. */
static int
handler_check(struct store *st, struct req *r, const char *login, const char *project,
              struct err *e)
{
    struct staff *s;
    struct principal p;
    struct err lookup = { 0 };

    if (st->ops->staff_get(st, login, r->arena, &s, &lookup) < 0) {
        if (lookup.code != ERR_NOT_FOUND) {
            *e = lookup;
            return -1;
        }
        return err_set(e, ERR_INVALID, "handler", "unknown", "no staff member '%s'", login);
    }
    p = (struct principal){ .staff_id = s->id, .login = s->login, .name = s->name,
                            .memberships = s->memberships, .n_memberships = s->n_memberships,
                            .scopes = CORE_SCOPES_ALL };
    if (strcmp(s->status, "active") != 0)
        return err_set(e, ERR_INVALID, "handler", "disabled", "'%s' is disabled", login);
    if (!core_can(&p, PERM_COMPLAINT_HANDLE, project))
        return err_set(e, ERR_INVALID, "handler", "cannot_handle",
                       "'%s' cannot handle complaints of %s", login, project);
    return 0;
}

/* 改派: a dispatch after an earlier one, even one returned (退单) since */
static int
dispatched_before(struct store *st, struct req *r, const struct complaint *c, bool *before,
                  struct err *e)
{
    struct event *ev;
    size_t n;

    *before = strcmp(c->status, "in_progress") == 0;
    if (*before)
        return 0;
    if (st->ops->event_list(st, c->id, r->arena, &ev, &n, e) < 0)
        return -1;
    for (size_t i = 0; i < n && !*before; i++)
        *before = strcmp(ev[i].type, "assigned") == 0 || strcmp(ev[i].type, "returned") == 0;
    return 0;
}

/* DOMAIN §14: the handler is told on assignment. */
static int
tell_handler(struct store *st, struct req *r, const struct complaint *c, const char *login,
             struct err *e)
{
    struct notify_msg m = {
        .kind = "assigned",
        .complaint_id = c->id,
        .number = c->number,
        .title_zh = arena_printf(r->arena, "投诉 %s 已派给您：%s", c->number, c->subject),
        .title_en = arena_printf(r->arena, "Complaint %s is assigned to you: %s", c->number,
                                 c->subject),
    };

    if (m.title_zh == NULL || m.title_en == NULL)
        return nomem(e);
    return notify_staff(st, login, &m, r->now, NULL, e);
}

static int
assign_apply(struct store *st, struct req *r, struct complaint *c, const char *next, void *in,
             struct err *e)
{
    struct assign_body *b = in;
    struct complaint_change ch = { .status = next };
    const char *dept = b->department;
    bool by_rule = false;
    bool again;

    if (dispatched_before(st, r, c, &again, e) < 0)
        return -1;
    if (dept == NULL && c->category_code != NULL) {
        if (st->ops->dispatch_find(st, c->category_code, c->project_code, r->arena, &dept, e) < 0)
            return -1;
        by_rule = dept != NULL;
    }
    if (dept == NULL && b->handler == NULL)
        return err_set(e, ERR_INVALID, "department", "required",
                       "no dispatch rule for this category: name a department or a handler");
    if (b->handler != NULL && handler_check(st, r, b->handler, c->project_code, e) < 0)
        return -1;
    if (same(dept, c->department_code) && same(b->handler, c->handler_login))
        return err_set(e, ERR_INVALID, NULL, "nothing_to_change", "already assigned so");
    ch.department = dept ? dept : "";
    ch.handler = b->handler ? b->handler : "";
    if (life_change(st, c, &ch, e) < 0 ||
        life_event(st, r, c, again ? "reassigned" : "assigned", "internal", b->reason,
                   json_pack("{s:o, s:o, s:o, s:o, s:b}", "department", str_or_null(dept),
                             "handler", str_or_null(b->handler), "from_department",
                             str_or_null(c->department_code), "from_handler",
                             str_or_null(c->handler_login), "by_dispatch_rule", by_rule),
                   e) < 0)
        return -1;
    return b->handler != NULL ? tell_handler(st, r, c, b->handler, e) : 0;
}

static const struct life_spec assign_spec = {
    .action = WF_ASSIGN, .audit = "complaint.assign", .apply = assign_apply, .regrade = true,
};

int
h_complaint_assign(struct req *r, struct err *e)
{
    struct assign_body *b = arena_zalloc(r->arena, sizeof(*b));
    const struct body_field fields[] = {
        { .key = "department", .kind = BODY_FIELD_TEXT, .max = CODE_MAX, .text = &b->department },
        { .key = "handler", .kind = BODY_FIELD_TEXT, .max = CORE_LOGIN_MAX * 2,
          .text = &b->handler },
        { .key = "reason", .kind = BODY_FIELD_PARAGRAPH, .max = REASON_MAX, .text = &b->reason },
        { .key = NULL },
    };

    if (b == NULL)
        return nomem(e);
    return decode(r, fields, e) < 0 ? -1 : life_submit(r, &assign_spec, b, e);
}

/* ---- return a dispatch (退单), invalidate, dispute, archive: a reason and a status ---- */

struct reason_body {
    const char *reason;
};

static int
return_apply(struct store *st, struct req *r, struct complaint *c, const char *next, void *in,
             struct err *e)
{
    struct reason_body *b = in;
    struct complaint_change ch = { .status = next, .department = "", .handler = "",
                                   .has_returned = true, .returned = true };
    bool is_handler = c->handler_login && strcmp(c->handler_login, r->who->login) == 0;

    /* the handler gives it back; a supervisor may too, on the handler's word */
    if (!is_handler && !core_can(r->who, PERM_COMPLAINT_TRIAGE, c->project_code))
        return err_set(e, ERR_FORBIDDEN, NULL, "not_handler",
                       "only the handler or a supervisor returns a dispatch");
    if (life_change(st, c, &ch, e) < 0)
        return -1;
    return life_event(st, r, c, "returned", "internal", b->reason,
                      json_pack("{s:o, s:o}", "department", str_or_null(c->department_code),
                                "handler", str_or_null(c->handler_login)),
                      e);
}

static int
invalidate_apply(struct store *st, struct req *r, struct complaint *c, const char *next,
                 void *in, struct err *e)
{
    struct reason_body *b = in;
    struct complaint_change ch = { .status = next, .nature = "invalid" };

    if (life_change(st, c, &ch, e) < 0)
        return -1;
    return life_event(st, r, c, "invalidated", "internal", b->reason,
                      json_pack("{s:s, s:s}", "from", c->status, "nature_from", c->nature), e);
}

int
life_dispute_apply(struct store *st, struct req *r, struct complaint *c, const char *next,
                   void *in, struct err *e)
{
    struct life_dispute *b = in;
    struct complaint_change ch = { .status = next, .result = "", .has_resolved_at = true };
    json_t *data = json_pack("{s:o}", "result", str_or_null(c->result));

    if (data != NULL && b->by_customer)
        json_object_set_new(data, "by", json_string("customer"));
    if (life_change(st, c, &ch, e) < 0) {
        json_decref(data);
        return -1;
    }
    return life_event(st, r, c, "disputed", "internal", b->reason, data, e);
}

static int
dispute_apply(struct store *st, struct req *r, struct complaint *c, const char *next, void *in,
              struct err *e)
{
    struct reason_body *b = in;
    struct life_dispute d = { .reason = b->reason };

    return life_dispute_apply(st, r, c, next, &d, e);
}

static int
archive_apply(struct store *st, struct req *r, struct complaint *c, const char *next, void *in,
              struct err *e)
{
    struct reason_body *b = in;
    struct complaint_change ch = { .status = next };

    if (life_change(st, c, &ch, e) < 0)
        return -1;
    return life_event(st, r, c, "archived", "internal", b->reason,
                      json_pack("{s:s}", "from", c->status), e);
}

static const struct life_spec return_spec = {
    .action = WF_RETURN, .audit = "complaint.return", .apply = return_apply,
};
static const struct life_spec invalidate_spec = {
    .action = WF_INVALIDATE, .audit = "complaint.invalidate", .apply = invalidate_apply,
};
static const struct life_spec dispute_spec = {
    .action = WF_DISPUTE, .audit = "complaint.dispute", .apply = dispute_apply, .regrade = true,
};
static const struct life_spec archive_spec = {
    .action = WF_ARCHIVE, .audit = "complaint.archive", .apply = archive_apply,
};

static int
reason_submit(struct req *r, const struct life_spec *spec, bool required, struct err *e)
{
    struct reason_body *b = arena_zalloc(r->arena, sizeof(*b));
    const struct body_field fields[] = {
        { .key = "reason", .kind = BODY_FIELD_PARAGRAPH, .required = required,
          .max = REASON_MAX, .text = &b->reason },
        { .key = NULL },
    };

    if (b == NULL)
        return nomem(e);
    return decode(r, fields, e) < 0 ? -1 : life_submit(r, spec, b, e);
}

int
h_complaint_return(struct req *r, struct err *e)
{
    return reason_submit(r, &return_spec, true, e);
}

int
h_complaint_invalidate(struct req *r, struct err *e)
{
    return reason_submit(r, &invalidate_spec, true, e);
}

int
h_complaint_dispute(struct req *r, struct err *e)
{
    return reason_submit(r, &dispute_spec, true, e);
}

int
h_complaint_archive(struct req *r, struct err *e)
{
    return reason_submit(r, &archive_spec, false, e);
}

/* ---- facts: headcount, flags, loss, raised again ---- */

struct facts_body {
    int64_t headcount, loss_fen, flags_cleared;
    unsigned flags_set;
    bool has_headcount, has_loss, has_flags, raised_again, has_raised;
    const char *reason;
};

static json_t *
flag_names(unsigned bits)
{
    json_t *a = json_array();

    for (const struct core_flag_name *f = core_flag_names; a && f->name; f++)
        if (bits & f->bit)
            json_array_append_new(a, json_string(f->name));
    return a;
}

static int
facts_apply(struct store *st, struct req *r, struct complaint *c, const char *next, void *in,
            struct err *e)
{
    struct facts_body *b = in;
    struct complaint_change ch = { .status = NULL };
    json_t *data = json_object();
    unsigned flags = (c->flags | b->flags_set) & ~(unsigned)b->flags_cleared;
    char from[32], to[32];

    (void)next;
    if (data == NULL)
        return nomem(e);
    if (b->has_headcount && b->headcount != c->headcount) {
        ch.has_headcount = true;
        ch.headcount = (int)b->headcount;
        json_object_set_new(data, "headcount", json_pack("{s:i, s:I}", "from", c->headcount, "to",
                                                         (json_int_t)b->headcount));
    }
    if (b->has_flags && flags != c->flags) {
        ch.has_flags = true;
        ch.flags = flags;
        json_object_set_new(data, "flags", json_pack("{s:o, s:o}", "set",
                                                     flag_names(flags & ~c->flags), "cleared",
                                                     flag_names(c->flags & ~flags)));
    }
    if (b->has_loss && (!c->has_loss || c->loss_fen != b->loss_fen)) {
        ch.has_loss = true;
        ch.loss_fen = b->loss_fen;
        core_amount_format(c->loss_fen, from, sizeof(from));
        core_amount_format(b->loss_fen, to, sizeof(to));
        json_object_set_new(data, "loss_amount", json_pack("{s:o, s:s}", "from",
                                                           c->has_loss ? json_string(from)
                                                                       : json_null(),
                                                           "to", to));
    }
    if (b->has_raised && b->raised_again) {
        ch.has_raised = true;
        ch.raised = c->raised + 1;
        json_object_set_new(data, "raised", json_pack("{s:i, s:i}", "from", c->raised, "to",
                                                      c->raised + 1));
    }
    if (json_object_size(data) == 0) {
        json_decref(data);
        return err_set(e, ERR_INVALID, NULL, "nothing_to_change",
                       "every value given is the complaint's already");
    }
    if (life_change(st, c, &ch, e) < 0) {
        json_decref(data);
        return -1;
    }
    return life_event(st, r, c, "facts_changed", "internal", b->reason, data, e);
}

static const struct life_spec facts_spec = {
    .action = WF_FACTS, .audit = "complaint.facts", .apply = facts_apply, .regrade = true,
    .propagate = true,
};

int
h_complaint_facts(struct req *r, struct err *e)
{
    struct facts_body *b = arena_zalloc(r->arena, sizeof(*b));
    const struct body_field fields[] = {
        { .key = "headcount", .kind = BODY_FIELD_INT, .min = 1, .max = CORE_HEADCOUNT_MAX,
          .num = &b->headcount, .given = &b->has_headcount },
        { .key = "flags", .kind = BODY_FIELD_FLAGS, .bits = &b->flags_set,
          .num = &b->flags_cleared, .given = &b->has_flags },
        { .key = "loss_amount", .kind = BODY_FIELD_AMOUNT, .num = &b->loss_fen,
          .given = &b->has_loss },
        { .key = "raised_again", .kind = BODY_FIELD_BOOL, .flag = &b->raised_again,
          .given = &b->has_raised },
        { .key = "reason", .kind = BODY_FIELD_PARAGRAPH, .max = REASON_MAX, .text = &b->reason },
        { .key = NULL },
    };

    if (b == NULL)
        return nomem(e);
    return decode(r, fields, e) < 0 ? -1 : life_submit(r, &facts_spec, b, e);
}

/* ---- a further complainant of a collective complaint ---- */

static int
person_apply(struct store *st, struct req *r, struct complaint *c, const char *next, void *in,
             struct err *e)
{
    struct complainant_new *p = in;
    struct complaint_change ch = { .status = NULL };
    int seq;

    (void)next;
    if (st->ops->person_add(st, c->id, p, r->now, &seq, e) < 0)
        return -1;
    /* headcount counts the people named, or more when the names are not all known */
    if (c->headcount < seq) {
        ch.has_headcount = true;
        ch.headcount = seq;
        if (life_change(st, c, &ch, e) < 0)
            return -1;
    }
    return life_event(st, r, c, "person_added", "internal", NULL,
                      json_pack("{s:i, s:s, s:b, s:i}", "seq", seq, "role", p->role, "anonymous",
                                p->anonymous, "headcount", seq > c->headcount ? seq
                                                                              : c->headcount),
                      e);
}

static const struct life_spec person_spec = {
    .action = WF_FACTS, .audit = "complaint.person_add", .apply = person_apply, .regrade = true,
    .propagate = true, .created = true,
};

int
h_complaint_person_add(struct req *r, struct err *e)
{
    struct complainant_new *p = arena_zalloc(r->arena, sizeof(*p));

    if (p == NULL)
        return nomem(e);
    if (http_decode_person(r->body.buf, r->body.len, r->arena, p, e) < 0)
        return -1;
    return life_submit(r, &person_spec, p, e);
}

/* ---- grade on demand ---- */

static int
nothing_apply(struct store *st, struct req *r, struct complaint *c, const char *next, void *in,
              struct err *e)
{
    (void)st, (void)r, (void)c, (void)next, (void)in, (void)e;
    return 0;
}

static const struct life_spec evaluate_spec = {
    .action = WF_FACTS, .audit = "complaint.grade_evaluate", .apply = nothing_apply,
    .regrade = true, .propagate = true,
};

int
h_grade_evaluate(struct req *r, struct err *e)
{
    const struct body_field fields[] = { { .key = NULL } };

    return decode(r, fields, e) < 0 ? -1 : life_submit(r, &evaluate_spec, NULL, e);
}

/* ---- compensation (赔偿, DOMAIN §8) ---- */

struct comp_body {
    const char *type, *reason;
    int64_t amount_fen;
    bool has_amount;
};

static int
comp_apply(struct store *st, struct req *r, struct complaint *c, const char *next, void *in,
           struct err *e)
{
    struct comp_body *b = in;
    int64_t threshold = r->srv->cfg->compensation_approval < 0
                            ? -1
                            : (int64_t)r->srv->cfg->compensation_approval * 100;
    bool approval = core_compensation_needs_approval(b->amount_fen, threshold);
    struct compensation_new cn = {
        .complaint_id = c->id, .type = b->type, .amount_fen = b->amount_fen,
        .reason = b->reason, .status = approval ? "pending_approval" : "proposed",
        .proposed_by = r->who->login, .at = r->now,
    };
    int64_t id;
    char amount[32];

    (void)next;
    if (st->ops->compensation_add(st, &cn, &id, e) < 0)
        return -1;
    core_amount_format(b->amount_fen, amount, sizeof(amount));
    return life_event(st, r, c, "compensation_proposed", "internal", b->reason,
                      json_pack("{s:I, s:s, s:s, s:b}", "compensation", (json_int_t)id, "type",
                                b->type, "amount", amount, "needs_approval", approval),
                      e);
}

static const struct life_spec comp_spec = {
    .action = WF_NEGOTIATE, .audit = "compensation.propose", .apply = comp_apply,
    .created = true,
};

int
h_compensation_create(struct req *r, struct err *e)
{
    struct comp_body *b = arena_zalloc(r->arena, sizeof(*b));
    const struct body_field fields[] = {
        { .key = "type", .kind = BODY_FIELD_ENUM, .required = true,
          .values = core_compensation_types, .text = &b->type },
        { .key = "amount", .kind = BODY_FIELD_AMOUNT, .required = true, .num = &b->amount_fen,
          .given = &b->has_amount },
        { .key = "reason", .kind = BODY_FIELD_PARAGRAPH, .required = true, .max = REASON_MAX,
          .text = &b->reason },
        { .key = NULL },
    };

    if (b == NULL)
        return nomem(e);
    return decode(r, fields, e) < 0 ? -1 : life_submit(r, &comp_spec, b, e);
}

struct decision_body {
    bool approve, has_approve;
    const char *reason;
    int64_t id;
};

static const struct compensation *
comp_find(struct store *st, struct req *r, const struct complaint *c, int64_t id,
          struct err *e)
{
    struct compensation *list;
    size_t n;

    if (st->ops->compensation_list(st, c->id, r->arena, &list, &n, e) < 0)
        return NULL;
    for (size_t i = 0; i < n; i++)
        if (list[i].id == id)
            return &list[i];
    err_set(e, ERR_NOT_FOUND, "compensation", "unknown", "no compensation %lld on %s",
            (long long)id, c->number);
    return NULL;
}

static int
decision_apply(struct store *st, struct req *r, struct complaint *c, const char *next, void *in,
               struct err *e)
{
    struct decision_body *b = in;
    const struct compensation *cp = comp_find(st, r, c, b->id, e);
    const char *status = b->approve ? "approved" : "rejected";

    (void)next;
    if (cp == NULL)
        return -1;
    if (strcmp(cp->status, "pending_approval") != 0)
        return err_set(e, ERR_CONFLICT, "compensation", "not_pending",
                       "compensation %lld is %s, not waiting for approval", (long long)b->id,
                       cp->status);
    if (!b->approve && b->reason == NULL)
        return err_set(e, ERR_INVALID, "reason", "required", "a rejection says why");
    if (st->ops->compensation_decide(st, c->id, b->id, status, r->who->login, b->reason, r->now,
                                     e) < 0)
        return -1;
    return life_event(st, r, c, b->approve ? "compensation_approved" : "compensation_rejected",
                      "internal", b->reason,
                      json_pack("{s:I}", "compensation", (json_int_t)b->id), e);
}

static const struct life_spec decision_spec = {
    .action = WF_APPROVE, .audit = "compensation.decide", .apply = decision_apply,
};

int
h_compensation_decide(struct req *r, struct err *e)
{
    struct decision_body *b = arena_zalloc(r->arena, sizeof(*b));
    const struct body_field fields[] = {
        { .key = "approve", .kind = BODY_FIELD_BOOL, .required = true, .flag = &b->approve,
          .given = &b->has_approve },
        { .key = "reason", .kind = BODY_FIELD_PARAGRAPH, .max = REASON_MAX, .text = &b->reason },
        { .key = NULL },
    };
    char *end;

    if (b == NULL)
        return nomem(e);
    b->id = strtoll(r->params[1], &end, 10);
    if (*end != '\0' || b->id <= 0 || r->params[1][0] == '0')
        return err_set(e, ERR_NOT_FOUND, "compensation", "unknown", "malformed id");
    return decode(r, fields, e) < 0 ? -1 : life_submit(r, &decision_spec, b, e);
}

/* ---- agreement with the customer ---- */

struct agreement_body {
    const char *solution, *confirmation;
    const char **ids;
    size_t n_ids;
};

static int
agreement_apply(struct store *st, struct req *r, struct complaint *c, const char *next,
                void *in, struct err *e)
{
    struct agreement_body *b = in;
    json_t *ids = json_array();

    (void)next;
    for (size_t i = 0; i < b->n_ids; i++) {
        char *end;
        long long id = strtoll(b->ids[i], &end, 10);
        const struct compensation *cp;
        if (*end != '\0' || id <= 0) {
            json_decref(ids);
            return err_set(e, ERR_INVALID, "compensations", "bad_value", "'%s' is not an id",
                           b->ids[i]);
        }
        if ((cp = comp_find(st, r, c, id, e)) == NULL) {
            json_decref(ids);
            e->code = ERR_INVALID;   /* a reference in the body, not the resource asked for */
            return -1;
        }
        if (strcmp(cp->status, "proposed") != 0 && strcmp(cp->status, "approved") != 0) {
            json_decref(ids);
            return err_set(e, ERR_CONFLICT, "compensations", "not_approved",
                           "compensation %lld is %s", id, cp->status);
        }
        if (st->ops->compensation_decide(st, c->id, id, "agreed", r->who->login, NULL, r->now,
                                         e) < 0) {
            json_decref(ids);
            return -1;
        }
        json_array_append_new(ids, json_integer(id));
    }
    return life_event(st, r, c, "agreement", "customer", b->solution,
                      json_pack("{s:s, s:o}", "confirmation", b->confirmation, "compensations",
                                ids ? ids : json_array()),
                      e);
}

static const struct life_spec agreement_spec = {
    .action = WF_NEGOTIATE, .audit = "complaint.agreement", .apply = agreement_apply,
};

int
h_complaint_agreement(struct req *r, struct err *e)
{
    static const char *const confirmations[] = { "signature", "written", "verbal", "recorded",
                                                 NULL };
    struct agreement_body *b = arena_zalloc(r->arena, sizeof(*b));
    const struct body_field fields[] = {
        { .key = "solution", .kind = BODY_FIELD_PARAGRAPH, .required = true, .max = REASON_MAX,
          .text = &b->solution },
        { .key = "confirmation", .kind = BODY_FIELD_ENUM, .required = true,
          .values = confirmations, .text = &b->confirmation },
        { .key = "compensations", .kind = BODY_FIELD_LIST, .max = 20, .list = &b->ids,
          .n = &b->n_ids },
        { .key = NULL },
    };

    json_t *root, *ids, *item;
    size_t i;
    int rc;

    if (b == NULL)
        return nomem(e);
    root = http_load_object(r->body.len ? r->body.buf : "{}", r->body.len ? r->body.len : 2, e);
    if (root == NULL)
        return -1;
    /* compensation ids as the API shows them (numbers) or as text: both are accepted */
    ids = json_object_get(root, "compensations");
    json_array_foreach(ids, i, item) {
        char text[24];
        if (!json_is_integer(item))
            continue;
        snprintf(text, sizeof(text), "%lld", (long long)json_integer_value(item));
        json_array_set_new(ids, i, json_string(text));
    }
    rc = http_decode_fields_in(root, fields, NULL, r->arena, e);
    json_decref(root);
    return rc < 0 ? -1 : life_submit(r, &agreement_spec, b, e);
}

/* ---- resolve ---- */

struct resolve_body {
    const char *result;
};

static int
resolve_apply(struct store *st, struct req *r, struct complaint *c, const char *next, void *in,
              struct err *e)
{
    struct resolve_body *b = in;
    struct complaint_change ch = { .status = next, .result = b->result, .has_resolved_at = true,
                                   .resolved_at = r->now };
    struct complaint told = *c;

    if (life_change(st, c, &ch, e) < 0 ||
        life_event(st, r, c, "resolved", "customer", b->result, NULL, e) < 0)
        return -1;
    /* DOMAIN §14: the customer is told of the resolution */
    told.status = next;
    told.result = b->result;
    return notify_customer(st, &told, "resolved", NULL, r->now, e);
}

static const struct life_spec resolve_spec = {
    .action = WF_RESOLVE, .audit = "complaint.resolve", .apply = resolve_apply,
};

int
h_complaint_resolve(struct req *r, struct err *e)
{
    struct resolve_body *b = arena_zalloc(r->arena, sizeof(*b));
    const struct body_field fields[] = {
        { .key = "result", .kind = BODY_FIELD_PARAGRAPH, .required = true, .max = REASON_MAX,
          .text = &b->result },
        { .key = NULL },
    };

    if (b == NULL)
        return nomem(e);
    return decode(r, fields, e) < 0 ? -1 : life_submit(r, &resolve_spec, b, e);
}

/* ---- close: the customer's response, and the follow-up call it schedules ---- */

struct close_body {
    struct life_close close;
    struct contact_attempt attempts[CORE_ATTEMPTS_MAX];
};

static json_t *
attempts_json(struct req *r, const struct life_close *b)
{
    json_t *a = json_array();

    for (size_t i = 0; a != NULL && i < b->n_attempts; i++)
        json_array_append_new(a, json_pack("{s:s, s:o, s:o}", "method", b->attempts[i].method,
                                           "at", render_time(b->attempts[i].at,
                                                             r->srv->cfg->tz_offset_min),
                                           "note", str_or_null(b->attempts[i].note)));
    return a;
}

/* The follow-up call: a supervisor of the project, never the handler (DOMAIN §6.7). */
static int
schedule_followup(struct store *st, struct req *r, const struct complaint *c, struct err *e)
{
    struct staff_load *sup;
    struct followup_candidate *cand;
    size_t n;
    const char *who;
    int64_t id;
    struct followup_new fn;

    if (st->ops->staff_in_role(st, c->project_code, "supervisor", r->arena, &sup, &n, e) < 0)
        return -1;
    cand = arena_zalloc(r->arena, (n ? n : 1) * sizeof(*cand));
    if (cand == NULL)
        return nomem(e);
    for (size_t i = 0; i < n; i++)
        cand[i] = (struct followup_candidate){ sup[i].login, sup[i].open_followups };
    who = core_followup_assignee(cand, n, c->handler_login);
    fn = (struct followup_new){ .complaint_id = c->id, .kind = "regular", .assignee = who,
                                .cycle = c->reopenings, .created_at = r->now,
                                .due_at = r->now + CORE_FOLLOWUP_DAYS * DAY };
    if (st->ops->followup_create(st, &fn, &id, e) < 0)
        return -1;
    return life_event(st, r, c, "followup_scheduled", "internal", NULL,
                      json_pack("{s:I, s:o, s:o}", "followup", (json_int_t)id, "assignee",
                                str_or_null(who), "due_at",
                                render_time(fn.due_at, r->srv->cfg->tz_offset_min)),
                      e);
}

int
life_close_apply(struct store *st, struct req *r, struct complaint *c, const char *next,
                 void *in, struct err *e)
{
    struct life_close *b = in;
    struct complaint_change ch = { .status = next, .close_response = b->response,
                                   .has_closed_at = true, .closed_at = r->now };
    struct complaint told = *c;
    json_t *data;

    if (core_close_check(c->result, b->response, b->n_attempts, e) < 0 ||
        life_change(st, c, &ch, e) < 0)
        return -1;
    data = json_pack("{s:s, s:o}", "response", b->response, "attempts", attempts_json(r, b));
    if (data != NULL && b->by_customer)
        json_object_set_new(data, "by", json_string("customer"));
    if (life_event(st, r, c, "closed", "customer", b->note, data, e) < 0 ||
        schedule_followup(st, r, c, e) < 0)
        return -1;
    /* DOMAIN §14: the customer learns the complaint is closed and a follow-up call will come */
    told.status = next;
    return notify_customer(st, &told, "followup", NULL, r->now, e);
}

static int
close_apply(struct store *st, struct req *r, struct complaint *c, const char *next, void *in,
            struct err *e)
{
    struct close_body *b = in;

    b->close.attempts = b->attempts;
    return life_close_apply(st, r, c, next, &b->close, e);
}

static const struct life_spec close_spec = {
    .action = WF_CLOSE, .audit = "complaint.close", .apply = close_apply,
};

int
h_complaint_close(struct req *r, struct err *e)
{
    static const char *const others[] = { "attempts", NULL };
    struct close_body *b = arena_zalloc(r->arena, sizeof(*b));
    const struct body_field fields[] = {
        { .key = "response", .kind = BODY_FIELD_ENUM, .required = true,
          .values = core_close_responses, .text = &b->close.response },
        { .key = "note", .kind = BODY_FIELD_PARAGRAPH, .max = REASON_MAX,
          .text = &b->close.note },
        { .key = NULL },
    };
    json_t *root;
    int rc;

    if (b == NULL)
        return nomem(e);
    root = http_load_object(r->body.len ? r->body.buf : "{}", r->body.len ? r->body.len : 2, e);
    if (root == NULL)
        return -1;
    rc = http_decode_fields_in(root, fields, others, r->arena, e) < 0 ||
         http_decode_attempts(root, r->srv->cfg->tz_offset_min, r->now, r->arena, b->attempts,
                              &b->close.n_attempts, e) < 0;
    json_decref(root);
    return rc ? -1 : life_submit(r, &close_spec, b, e);
}

/* ---- reopen (二次投诉) ---- */

struct reopen_body {
    const char *reason, *source;
};

static int
reopen_apply(struct store *st, struct req *r, struct complaint *c, const char *next, void *in,
             struct err *e)
{
    struct reopen_body *b = in;
    bool again = strcmp(b->source, "followup") != 0;   /* the customer raised it once more */
    struct complaint_change ch = {
        .status = next, .has_reopenings = true, .reopenings = c->reopenings + 1,
        .has_raised = again, .raised = c->raised + 1, .result = "", .close_response = "",
        .has_resolved_at = true, .has_closed_at = true,
    };

    if (life_change(st, c, &ch, e) < 0)
        return -1;
    return life_event(st, r, c, "reopened", "internal", b->reason,
                      json_pack("{s:s, s:s, s:i}", "source", b->source, "from", c->status,
                                "reopenings", c->reopenings + 1),
                      e);
}

static const struct life_spec reopen_spec = {
    .action = WF_REOPEN, .audit = "complaint.reopen", .apply = reopen_apply, .regrade = true,
};

int
h_complaint_reopen(struct req *r, struct err *e)
{
    struct reopen_body *b = arena_zalloc(r->arena, sizeof(*b));
    const struct body_field fields[] = {
        { .key = "reason", .kind = BODY_FIELD_PARAGRAPH, .required = true, .max = REASON_MAX,
          .text = &b->reason },
        { .key = "source", .kind = BODY_FIELD_ENUM, .values = core_reopen_sources,
          .text = &b->source },
        { .key = NULL },
    };

    if (b == NULL)
        return nomem(e);
    if (decode(r, fields, e) < 0)
        return -1;
    if (b->source == NULL)
        b->source = "second_complaint";
    return life_submit(r, &reopen_spec, b, e);
}

/* ---- the case library (案例) ---- */

struct case_body {
    const char *summary, *lessons;
};

static int
case_apply(struct store *st, struct req *r, struct complaint *c, const char *next, void *in,
           struct err *e)
{
    struct case_body *b = in;
    const struct grade_preset *preset;
    int rank;

    (void)next;
    if (life_preset(st, r, &preset, e) < 0)
        return -1;
    /* A and B in the property preset: the two highest grades of any preset */
    rank = c->grade ? core_grade_rank(preset, c->grade) : -1;
    if (rank < 0 || rank > 1)
        return err_set(e, ERR_CONFLICT, "grade", "not_major",
                       "only complaints of the two highest grades become cases");
    if (st->ops->case_put(st, c->id, b->summary, b->lessons, r->who->login, r->now, e) < 0)
        return -1;
    return life_event(st, r, c, c->is_case ? "case_updated" : "case_marked", "internal", NULL,
                      NULL, e);
}

static const struct life_spec case_spec = {
    .action = WF_CASE, .audit = "case.mark", .apply = case_apply,
};

int
h_case_mark(struct req *r, struct err *e)
{
    struct case_body *b = arena_zalloc(r->arena, sizeof(*b));
    const struct body_field fields[] = {
        { .key = "summary", .kind = BODY_FIELD_PARAGRAPH, .required = true, .max = REASON_MAX,
          .text = &b->summary },
        { .key = "lessons", .kind = BODY_FIELD_PARAGRAPH, .required = true, .max = REASON_MAX,
          .text = &b->lessons },
        { .key = NULL },
    };

    if (b == NULL)
        return nomem(e);
    return decode(r, fields, e) < 0 ? -1 : life_submit(r, &case_spec, b, e);
}
