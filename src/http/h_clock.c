/*
 * Deadlines over HTTP (issue 5; DOMAIN §5): pausing and resuming a
 * complaint's clock, the time-limit policy, the escalation rules, the
 * supervision notices and the scheduler's state.
 */
#include "http/handlers.h"
#include "core/account.h"
#include "core/clock.h"
#include "core/escalation.h"
#include "core/grading.h"
#include "svc/svc.h"
#include "util/ts.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define REASON_MAX 500
#define DESCRIPTION_MAX 200
#define NOTICES_MAX 500

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

static int
decode(struct req *r, const struct body_field *fields, struct err *e)
{
    if (r->body.len == 0)
        return http_decode_fields("{}", 2, fields, r->arena, e);
    return http_decode_fields(r->body.buf, r->body.len, fields, r->arena, e);
}

static json_t *
time_json(int64_t t, int tz_min)
{
    return t != 0 ? render_time(t, tz_min) : json_null();
}

/* ---- POST /api/complaints/:number/clocks/:clock/pause and /resume ---- */

struct pause_ctx {
    enum clock_kind kind;
    bool pause;
    const char *reason;
};

static int
pause_run(struct store *st, struct store_job *job, struct err *e)
{
    struct req *r = job->ctx;
    struct pause_ctx *p = r->ctx;
    struct complaint *c;
    struct svc_ctx x;

    life_ctx(r, &x);
    if ((c = http_path_complaint(st, r, e)) == NULL)
        return -1;
    if (!core_wf_is_open(c->status) && p->kind != CK_FOLLOWUP)
        return err_set(e, ERR_CONFLICT, "status", "not_allowed", "the complaint is %s",
                       c->status);
    if (svc_clock_pause(st, &x, c, p->kind, p->pause, p->reason, e) < 0 ||
        http_audit_json(st, r, p->pause ? "clock.pause" : "clock.resume", c->number,
                        json_pack("{s:s}", "clock", core_clock_name(p->kind)), e) < 0)
        return -1;
    return http_reply_complaint(st, r, c, 200, e);
}

static int
pause_or_resume(struct req *r, bool pause, struct err *e)
{
    struct pause_ctx *p = arena_zalloc(r->arena, sizeof(*p));
    int kind;

    if (p == NULL)
        return nomem(e);
    const struct body_field fields[] = {
        { .key = "reason", .kind = BODY_FIELD_PARAGRAPH, .required = true, .max = REASON_MAX,
          .text = &p->reason },
        { .key = NULL },
    };
    if ((kind = core_clock_parse(r->params[1])) < 0)
        return err_set(e, ERR_NOT_FOUND, "clock", "unknown", "no clock '%s'", r->params[1]);
    if (decode(r, fields, e) < 0)
        return -1;
    p->kind = (enum clock_kind)kind;
    p->pause = pause;
    r->ctx = p;
    return http_submit(r, pause_run);
}

int
h_clock_pause(struct req *r, struct err *e)
{
    return pause_or_resume(r, true, e);
}

int
h_clock_resume(struct req *r, struct err *e)
{
    return pause_or_resume(r, false, e);
}

/* ---- the time-limit policy ---- */

static json_t *
render_policy(const struct clock_policy_row *p, int tz_min)
{
    int kind = core_clock_parse(p->clock);

    return json_pack("{s:s, s:s, s:s, s:s, s:i, s:s, s:i, s:b, s:o}", "grade", p->grade, "clock",
                     p->clock, "label_zh",
                     kind >= 0 ? core_clock_label((enum clock_kind)kind, true) : "", "label_en",
                     kind >= 0 ? core_clock_label((enum clock_kind)kind, false) : "", "amount",
                     p->amount, "unit", p->unit, "remind_percent", p->remind_percent, "enabled",
                     p->enabled, "updated_at", time_json(p->updated_at, tz_min));
}

int
h_clock_policy_list(struct req *r, struct err *e)
{
    struct store *st = http_reader(r, e);
    struct clock_policy_row *rows;
    size_t n;
    json_t *items;

    if (st == NULL || st->ops->clock_policy_list(st, r->arena, &rows, &n, e) < 0)
        return -1;
    if ((items = json_array()) == NULL)
        return nomem(e);
    for (size_t i = 0; i < n; i++)
        json_array_append_new(items, render_policy(&rows[i], r->srv->cfg->tz_offset_min));
    return reply(r, 200, json_pack("{s:o}", "items", items), e);
}

struct policy_put {
    const char *grade;
    enum clock_kind kind;
    const char *unit;
    int64_t amount, remind;
    bool enabled, has_amount, has_remind, has_enabled;
};

static const char *const unit_values[] = { "hours", "days", "working_days", "working_hours",
                                           NULL };

static const struct clock_policy_row *
policy_find(const struct clock_policy_row *rows, size_t n, const char *grade, const char *clock)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(rows[i].grade, grade) == 0 && strcmp(rows[i].clock, clock) == 0)
            return &rows[i];
    return NULL;
}

static int
policy_put_run(struct store *st, struct store_job *job, struct err *e)
{
    struct req *r = job->ctx;
    struct policy_put *p = r->ctx;
    const struct grade_preset *preset;
    struct clock_policy_row *rows, row;
    const struct clock_policy_row *old, *any;
    struct clock_limit l;
    size_t n;

    if (strcmp(p->grade, "*") != 0 &&
        (life_preset(st, r, &preset, e) < 0 || core_grade_rank(preset, p->grade) < 0))
        return e->code ? -1
                       : err_set(e, ERR_NOT_FOUND, "grade", "unknown",
                                 "not a grade of the preset in use");
    if (st->ops->clock_policy_list(st, r->arena, &rows, &n, e) < 0)
        return -1;
    old = policy_find(rows, n, p->grade, core_clock_name(p->kind));
    any = policy_find(rows, n, "*", core_clock_name(p->kind));
    /* a grade's first row starts from what applied to it: the '*' row, or the default */
    if (old != NULL || any != NULL) {
        row = old ? *old : *any;
    } else {
        core_clock_default(p->kind, false, &l);
        row = (struct clock_policy_row){ .amount = l.amount, .unit = core_clock_unit_name(l.unit),
                                         .remind_percent = l.remind_percent,
                                         .enabled = l.enabled };
    }
    row.grade = p->grade;
    row.clock = core_clock_name(p->kind);
    row.updated_at = r->now;
    if (!p->unit && !p->has_amount && !p->has_remind && !p->has_enabled)
        return err_set(e, ERR_INVALID, NULL, "nothing_to_change", "no member given");
    row.unit = p->unit ? p->unit : row.unit;
    row.amount = p->has_amount ? (int)p->amount : row.amount;
    row.remind_percent = p->has_remind ? (int)p->remind : row.remind_percent;
    row.enabled = p->has_enabled ? p->enabled : row.enabled;
    if (st->ops->clock_policy_put(st, &row, e) < 0 ||
        http_audit_json(st, r, "clock.policy_put", row.clock,
                        json_pack("{s:s, s:s, s:i, s:s, s:i, s:b}", "grade", row.grade, "clock",
                                  row.clock, "amount", row.amount, "unit", row.unit,
                                  "remind_percent", row.remind_percent, "enabled", row.enabled),
                        e) < 0)
        return -1;
    return reply(r, old == NULL ? 201 : 200, render_policy(&row, r->srv->cfg->tz_offset_min), e);
}

int
h_clock_policy_put(struct req *r, struct err *e)
{
    struct policy_put *p = arena_zalloc(r->arena, sizeof(*p));
    int kind;

    if (p == NULL)
        return nomem(e);
    const struct body_field fields[] = {
        { .key = "amount", .kind = BODY_FIELD_INT, .min = 1, .max = CORE_CLOCK_AMOUNT_MAX,
          .num = &p->amount, .given = &p->has_amount },
        { .key = "unit", .kind = BODY_FIELD_ENUM, .values = unit_values, .text = &p->unit },
        { .key = "remind_percent", .kind = BODY_FIELD_INT, .min = 0, .max = 99,
          .num = &p->remind, .given = &p->has_remind },
        { .key = "enabled", .kind = BODY_FIELD_BOOL, .flag = &p->enabled,
          .given = &p->has_enabled },
        { .key = NULL },
    };
    if ((kind = core_clock_parse(r->params[1])) < 0)
        return err_set(e, ERR_NOT_FOUND, "clock", "unknown", "no clock '%s'", r->params[1]);
    if (strcmp(r->params[0], "*") != 0 && !http_is_code(r->params[0]))
        return err_set(e, ERR_NOT_FOUND, "grade", "unknown", "not a grade");
    p->grade = r->params[0];
    p->kind = (enum clock_kind)kind;
    if (decode(r, fields, e) < 0)
        return -1;
    r->ctx = p;
    return http_submit(r, policy_put_run);
}

/* ---- escalation rules ---- */

static json_t *
render_escalation(const struct escalation_rule_row *x)
{
    return json_pack("{s:s, s:s, s:s, s:o, s:b, s:i, s:s, s:s, s:b, s:i}", "code", x->code,
                     "condition", x->condition, "target_role", x->target_role,
                     "target_department",
                     x->target_department ? json_string(x->target_department) : json_null(),
                     "notice", x->notice, "ack_hours", x->ack_hours, "description_zh",
                     x->description_zh, "description_en", x->description_en, "enabled",
                     x->enabled, "sort", x->sort);
}

int
h_escalation_rule_list(struct req *r, struct err *e)
{
    struct store *st = http_reader(r, e);
    struct escalation_rule_row *rows;
    size_t n;
    json_t *items;

    if (st == NULL || st->ops->escalation_rule_list(st, r->arena, &rows, &n, e) < 0)
        return -1;
    if ((items = json_array()) == NULL)
        return nomem(e);
    for (size_t i = 0; i < n; i++)
        json_array_append_new(items, render_escalation(&rows[i]));
    return reply(r, 200, json_pack("{s:o}", "items", items), e);
}

struct escalation_put {
    struct escalation_def d;
    const char *department;
    int64_t ack_hours;
    bool notice, enabled, has_notice, has_ack, has_enabled;
};

static const struct escalation_rule_row *
escalation_find(const struct escalation_rule_row *rows, size_t n, const char *code)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(rows[i].code, code) == 0)
            return &rows[i];
    return NULL;
}

static int
department_exists(struct store *st, struct req *r, const char *code, struct err *e)
{
    struct department *d;
    size_t n;

    if (st->ops->department_list(st, NULL, r->arena, &d, &n, e) < 0)
        return -1;
    for (size_t i = 0; i < n; i++)
        if (strcmp(d[i].code, code) == 0)
            return 0;
    return err_set(e, ERR_INVALID, "target_department", "unknown", "no department '%s'", code);
}

/* A new rule needs condition, target_role and both descriptions; an existing one keeps the rest. */
static int
escalation_merge(const struct escalation_put *p, const struct escalation_rule_row *old,
                 struct escalation_rule_row *row, struct err *e)
{
    if (old == NULL) {
        const char *missing = !p->d.condition ? "condition" : !p->d.target_role ? "target_role"
                            : !p->d.description_zh ? "description_zh"
                            : !p->d.description_en ? "description_en" : NULL;
        if (missing != NULL)
            return err_set(e, ERR_INVALID, missing, "required", "a new rule needs %s", missing);
        *row = (struct escalation_rule_row){ .code = p->d.code, .enabled = true,
                                             .ack_hours = 24 };
    } else {
        *row = *old;
    }
    row->condition = p->d.condition ? p->d.condition : row->condition;
    row->target_role = p->d.target_role ? p->d.target_role : row->target_role;
    if (p->department != NULL)
        row->target_department = p->department[0] ? p->department : NULL;
    row->notice = p->has_notice ? p->notice : row->notice;
    row->ack_hours = p->has_ack ? (int)p->ack_hours : row->ack_hours;
    row->description_zh = p->d.description_zh ? p->d.description_zh : row->description_zh;
    row->description_en = p->d.description_en ? p->d.description_en : row->description_en;
    row->enabled = p->has_enabled ? p->enabled : row->enabled;
    return 0;
}

static int
escalation_put_run(struct store *st, struct store_job *job, struct err *e)
{
    struct req *r = job->ctx;
    struct escalation_put *p = r->ctx;
    struct escalation_rule_row *rows, row;
    const struct escalation_rule_row *old;
    struct escalation_def check;
    size_t n;
    bool created;

    if (st->ops->escalation_rule_list(st, r->arena, &rows, &n, e) < 0)
        return -1;
    old = escalation_find(rows, n, p->d.code);
    created = old == NULL;
    if (escalation_merge(p, old, &row, e) < 0)
        return -1;
    check = (struct escalation_def){ .code = row.code, .condition = row.condition,
                                     .target_role = row.target_role, .ack_hours = row.ack_hours };
    if (core_escalation_check(&check, e) < 0 ||
        (row.target_department != NULL && department_exists(st, r, row.target_department, e) < 0))
        return -1;
    if (st->ops->escalation_rule_put(st, &row, e) < 0 ||
        st->ops->escalation_rule_list(st, r->arena, &rows, &n, e) < 0 ||
        http_audit_json(st, r, "escalation.rule_put", row.code,
                        json_pack("{s:s, s:s, s:s, s:b, s:b, s:b}", "code", row.code,
                                  "condition", row.condition, "target_role", row.target_role,
                                  "notice", row.notice, "enabled", row.enabled, "created",
                                  created),
                        e) < 0)
        return -1;
    if ((old = escalation_find(rows, n, row.code)) == NULL)
        return err_set(e, ERR_INTERNAL, NULL, "internal", "rule %s vanished", row.code);
    return reply(r, created ? 201 : 200, render_escalation(old), e);
}

static const char *const role_values[] = { "operator", "handler", "supervisor", "manager",
                                           "executive", "centre", "auditor", "admin", NULL };

int
h_escalation_rule_put(struct req *r, struct err *e)
{
    struct escalation_put *p = arena_zalloc(r->arena, sizeof(*p));

    if (p == NULL)
        return nomem(e);
    const struct body_field fields[] = {
        { .key = "condition", .kind = BODY_FIELD_TEXT, .max = CORE_GRADE_COND_TEXT_MAX,
          .text = &p->d.condition },
        { .key = "target_role", .kind = BODY_FIELD_ENUM, .values = role_values,
          .text = &p->d.target_role },
        { .key = "target_department", .kind = BODY_FIELD_TEXT, .max = 64,
          .text = &p->department },
        { .key = "notice", .kind = BODY_FIELD_BOOL, .flag = &p->notice,
          .given = &p->has_notice },
        { .key = "ack_hours", .kind = BODY_FIELD_INT, .min = 1, .max = CORE_ESCALATION_ACK_MAX,
          .num = &p->ack_hours, .given = &p->has_ack },
        { .key = "description_zh", .kind = BODY_FIELD_PARAGRAPH, .max = DESCRIPTION_MAX,
          .text = &p->d.description_zh },
        { .key = "description_en", .kind = BODY_FIELD_PARAGRAPH, .max = DESCRIPTION_MAX,
          .text = &p->d.description_en },
        { .key = "enabled", .kind = BODY_FIELD_BOOL, .flag = &p->enabled,
          .given = &p->has_enabled },
        { .key = NULL },
    };
    if (!core_grade_rule_code_ok(r->params[0]))
        return err_set(e, ERR_INVALID, "code", "bad_format", "1..32 of A-Z a-z 0-9 _ -");
    p->d.code = r->params[0];
    if (decode(r, fields, e) < 0 || http_condition_canonical(r, &p->d.condition, e) < 0)
        return -1;
    if (p->department != NULL && p->department[0] != '\0' && !http_is_code(p->department))
        return err_set(e, ERR_INVALID, "target_department", "bad_character",
                       "a department code is 1..64 of a-z A-Z 0-9 _ -");
    if (!p->d.condition && !p->d.target_role && !p->department && !p->has_notice &&
        !p->has_ack && !p->d.description_zh && !p->d.description_en && !p->has_enabled)
        return err_set(e, ERR_INVALID, NULL, "nothing_to_change", "no member given");
    r->ctx = p;
    return http_submit(r, escalation_put_run);
}

/* ---- supervision notices ---- */

/* Does the caller hold `role` where the notice applies (its project, or company-wide)? */
static bool
receives(const struct principal *who, const struct notice *n)
{
    for (size_t i = 0; who != NULL && i < who->n_memberships; i++) {
        const struct membership *m = &who->memberships[i];
        if (strcmp(m->role, n->to_role) != 0)
            continue;
        if (m->project == NULL || (n->project != NULL && strcmp(m->project, n->project) == 0))
            return true;
    }
    return false;
}

static json_t *
render_notice(const struct notice *n, int tz)
{
    return json_pack("{s:I, s:s, s:s, s:i, s:s, s:o, s:s, s:o, s:o, s:o, s:o, s:o, s:o}", "id",
                     (json_int_t)n->id, "number", n->number, "source", n->source, "level",
                     n->level, "to_role", n->to_role, "project",
                     n->project ? json_string(n->project) : json_null(), "text", n->text,
                     "issued_at", time_json(n->issued_at, tz), "ack_due_at",
                     time_json(n->ack_due_at, tz), "acked_at", time_json(n->acked_at, tz),
                     "acked_by", n->acked_by ? json_string(n->acked_by) : json_null(),
                     "ack_note", n->ack_note ? json_string(n->ack_note) : json_null(),
                     "escalated_at", time_json(n->escalated_at, tz));
}

/* The caller's roles, NULL-terminated, each once. */
static const char **
roles_of(struct req *r)
{
    const struct principal *who = r->who;
    const char **roles = arena_zalloc(r->arena, (who->n_memberships + 1) * sizeof(*roles));
    size_t k = 0;

    for (size_t i = 0; roles != NULL && i < who->n_memberships; i++) {
        bool seen = false;
        for (size_t j = 0; j < k; j++)
            seen = seen || strcmp(roles[j], who->memberships[i].role) == 0;
        if (!seen)
            roles[k++] = who->memberships[i].role;
    }
    return roles;
}

int
h_notice_list(struct req *r, struct err *e)
{
    struct store *st = http_reader(r, e);
    struct notice_query q = { .limit = NOTICES_MAX };
    struct notice *items;
    struct kv *params;
    size_t n, n_params;
    json_t *arr;
    int limit = 50;

    if (http_query_parse(r->raw_query, strlen(r->raw_query), r->arena, &params, &n_params, e) < 0)
        return -1;
    for (size_t i = 0; i < n_params; i++) {
        const struct kv *p = &params[i];
        if (strcmp(p->key, "open") == 0) {
            if (strcmp(p->value, "1") != 0 && strcmp(p->value, "true") != 0 &&
                strcmp(p->value, "0") != 0 && strcmp(p->value, "false") != 0)
                return err_set(e, ERR_INVALID, "open", "bad_value", "open is true or false");
            q.open_only = p->value[0] == '1' || p->value[0] == 't';
        } else if (strcmp(p->key, "limit") == 0) {
            if (http_limit_parse(p->value, NOTICES_MAX, &limit, e) < 0)
                return -1;
        } else {
            return err_set(e, ERR_INVALID, p->key, "unknown_parameter", "unknown parameter");
        }
    }
    if (st == NULL || (q.roles = roles_of(r)) == NULL)
        return st == NULL ? -1 : nomem(e);
    if (q.roles[0] == NULL)
        return reply(r, 200, json_pack("{s:[]}", "items"), e);
    if (st->ops->notice_list(st, &q, r->arena, &items, &n, e) < 0)
        return -1;
    if ((arr = json_array()) == NULL)
        return nomem(e);
    for (size_t i = 0; i < n && json_array_size(arr) < (size_t)limit; i++)
        if (receives(r->who, &items[i]))
            json_array_append_new(arr, render_notice(&items[i], r->srv->cfg->tz_offset_min));
    return reply(r, 200, json_pack("{s:o}", "items", arr), e);
}

struct ack_ctx {
    int64_t id;
    const char *note;
};

static int
ack_run(struct store *st, struct store_job *job, struct err *e)
{
    struct req *r = job->ctx;
    struct ack_ctx *a = r->ctx;
    struct notice *n;
    struct complaint *c;
    struct svc_ctx x;

    life_ctx(r, &x);
    if (st->ops->notice_get(st, a->id, r->arena, &n, e) < 0)
        return -1;
    /* someone else's notice does not exist for the caller */
    if (!receives(r->who, n))
        return err_set(e, ERR_NOT_FOUND, "id", "unknown", "no such notice for the caller");
    if (st->ops->notice_ack(st, a->id, r->who->login, a->note, r->now, e) < 0 ||
        st->ops->complaint_get_by_id(st, n->complaint_id, r->arena, &c, e) < 0 ||
        svc_event(st, &x, c, "notice_acked", "internal", a->note,
                  json_pack("{s:I, s:s, s:i}", "notice", (json_int_t)n->id, "to_role",
                            n->to_role, "level", n->level),
                  e) < 0 ||
        http_audit_json(st, r, "notice.ack", c->number,
                        json_pack("{s:I}", "notice", (json_int_t)n->id), e) < 0 ||
        st->ops->notice_get(st, a->id, r->arena, &n, e) < 0)
        return -1;
    return reply(r, 200, render_notice(n, r->srv->cfg->tz_offset_min), e);
}

int
h_notice_ack(struct req *r, struct err *e)
{
    struct ack_ctx *a = arena_zalloc(r->arena, sizeof(*a));
    char *end;

    if (a == NULL)
        return nomem(e);
    const struct body_field fields[] = {
        { .key = "note", .kind = BODY_FIELD_PARAGRAPH, .max = REASON_MAX, .text = &a->note },
        { .key = NULL },
    };
    errno = 0;
    a->id = strtoll(r->params[0], &end, 10);
    if (r->params[0][0] < '1' || r->params[0][0] > '9' || *end != '\0' || errno != 0)
        return err_set(e, ERR_NOT_FOUND, "id", "unknown", "no such notice");
    if (decode(r, fields, e) < 0)
        return -1;
    r->ctx = a;
    return http_submit(r, ack_run);
}

/* ---- GET /api/scheduler ---- */

int
h_scheduler_get(struct req *r, struct err *e)
{
    struct store *st = http_reader(r, e);
    struct lease l;
    json_error_t jerr;
    json_t *last;
    int tz = r->srv->cfg->tz_offset_min;

    if (st == NULL || st->ops->lease_get(st, "deadlines", r->arena, &l, e) < 0)
        return -1;
    last = json_loads(l.last, 0, &jerr);
    return reply(r, 200,
                 json_pack("{s:o, s:o, s:b, s:o, s:I, s:o, s:{s:I, s:I}, s:o}", "holder",
                           l.holder[0] ? json_string(l.holder) : json_null(), "expires_at",
                           time_json(l.expires_at, tz), "held", l.expires_at > r->now,
                           "ticked_at", time_json(l.ticked_at, tz), "ticks",
                           (json_int_t)l.ticks, "last", last ? last : json_object(),
                           "backfill", "done_to", (json_int_t)l.backfill_after, "until",
                           (json_int_t)l.backfill_until, "now", render_time(r->now, tz)),
                 e);
}
