/*
 * Escalation beyond grades (DOMAIN §5) and telling the people responsible:
 * rules that are data, each escalating a complaint once; supervision
 * notices (督办) for the receiver to acknowledge.
 */
#include "svc/svc.h"
#include "core/account.h"
#include "core/escalation.h"
#include "core/workflow.h"
#include "notify/notify.h"

#include <string.h>

#define NOTIFY_PER_ROLE_MAX 50   /* a role with more members than this is told in its first 50 */

static int
nomem(struct err *e)
{
    return err_set(e, ERR_NOMEM, NULL, "nomem", "out of memory");
}

/* The logins standing for `role` on c. */
static int
logins_for(struct store *st, const struct svc_ctx *x, const struct complaint *c,
           const char *role, const char ***logins, size_t *n, struct err *e)
{
    if (strcmp(role, "handler") == 0 && c->handler_login != NULL) {
        const char **l = arena_alloc(x->a, sizeof(*l));
        if (l == NULL)
            return nomem(e);
        l[0] = c->handler_login;
        *logins = l;
        *n = 1;
        return 0;
    }
    if (strcmp(role, "followup_assignee") == 0) {
        struct followup_query q = { .complaint_id = c->id, .limit = 500 };
        struct followup *f;
        size_t nf;
        if (st->ops->followup_list(st, &q, x->a, &f, &nf, e) < 0)
            return -1;
        for (size_t i = nf; i > 0; i--) {
            if (f[i - 1].assignee_login != NULL && strcmp(f[i - 1].status, "open") == 0) {
                const char **l = arena_alloc(x->a, sizeof(*l));
                if (l == NULL)
                    return nomem(e);
                l[0] = f[i - 1].assignee_login;
                *logins = l;
                *n = 1;
                return 0;
            }
        }
    }
    /* nobody named: the supervisors of the project stand in */
    if (strcmp(role, "handler") == 0 || strcmp(role, "followup_assignee") == 0)
        role = "supervisor";
    return st->ops->staff_responsible(st, core_role_is_company(role) ? NULL : c->project_code,
                                      role, x->a, logins, n, e);
}

int
svc_tell_role(struct store *st, const struct svc_ctx *x, const struct complaint *c,
              const char *role, const char *kind, const char *title_zh, const char *title_en,
              const char *dedup, struct err *e)
{
    const char **logins;
    size_t n;

    if (logins_for(st, x, c, role, &logins, &n, e) < 0)
        return -1;
    for (size_t i = 0; i < n && i < NOTIFY_PER_ROLE_MAX; i++) {
        struct notify_msg m = {
            .kind = kind,
            .complaint_id = c->id,
            .number = c->number,
            .title_zh = title_zh,
            .title_en = title_en,
            .dedup = dedup,
        };
        if (notify_staff(st, logins[i], &m, x->now, NULL, e) < 0)
            return -1;
    }
    return 0;
}

/* All the facts an escalation rule may ask about. */
static int
facts_all(struct store *st, const struct svc_ctx *x, const struct complaint *c,
          const struct svc_rules *rs, struct grade_facts *f, struct err *e)
{
    size_t n;
    int similar;

    if (svc_similar_of(st, x, c, svc_similar_cap(rs), NULL, &n, &similar, e) < 0)
        return -1;
    svc_facts(c, x->now, similar, f);
    return svc_facts_handling(st, x, c, rs->preset, f, e);
}

static int
issue_notice(struct store *st, const struct svc_ctx *x, const struct complaint *c,
             const struct escalation_rule_row *r, struct err *e)
{
    struct notice_new in = {
        .complaint_id = c->id,
        .source = r->code,
        .level = 1,
        .to_role = r->target_role,
        .project = core_role_is_company(r->target_role) ? NULL : c->project_code,
        .text = r->description_zh,
        .issued_at = x->now,
        .ack_due_at = x->now + (int64_t)r->ack_hours * 3600,
    };
    int64_t id;
    char *title_zh, *title_en, *dedup;

    if (st->ops->notice_add(st, &in, &id, e) < 0)
        return -1;
    if (id == 0)
        return 0;
    title_zh = arena_printf(x->a, "督办：投诉 %s（%s），请在 %d 小时内确认", c->number,
                            r->description_zh, r->ack_hours);
    title_en = arena_printf(x->a, "Supervision notice: complaint %s (%s); acknowledge within %d h",
                            c->number, r->description_en, r->ack_hours);
    dedup = arena_printf(x->a, "notice:%lld", (long long)id);
    if (title_zh == NULL || title_en == NULL || dedup == NULL)
        return nomem(e);
    if (svc_event(st, x, c, "notice_issued", "internal", r->description_zh,
                  json_pack("{s:I, s:s, s:s, s:i}", "notice", (json_int_t)id, "rule", r->code,
                            "to_role", r->target_role, "level", 1),
                  e) < 0)
        return -1;
    return svc_tell_role(st, x, c, r->target_role, "notice", title_zh, title_en, dedup, e);
}

static int
move_department(struct store *st, const struct svc_ctx *x, struct complaint *c,
                const struct escalation_rule_row *r, struct err *e)
{
    struct complaint_change ch = { .department = r->target_department };

    if (r->target_department == NULL || r->target_department[0] == '\0' ||
        (c->department_code != NULL && strcmp(c->department_code, r->target_department) == 0))
        return 0;
    if (st->ops->complaint_update(st, c->id, &ch, e) < 0)
        return -1;
    return svc_event(st, x, c, "department_changed", "internal", r->description_zh,
                     json_pack("{s:o, s:s, s:s}", "from",
                               c->department_code ? json_string(c->department_code)
                                                  : json_null(),
                               "to", r->target_department, "rule", r->code),
                     e);
}

static int
escalate_one(struct store *st, const struct svc_ctx *x, struct complaint *c,
             const struct escalation_rule_row *r, struct err *e)
{
    bool added;
    char *title_zh, *title_en, *dedup, *payload;

    if (st->ops->escalation_add(st, c->id, r->code, x->now, &added, e) < 0)
        return -1;
    if (!added)
        return 0;
    if (svc_event(st, x, c, "escalated", "internal", r->description_zh,
                  json_pack("{s:s, s:s, s:s, s:o, s:b}", "rule", r->code, "condition",
                            r->condition, "to_role", r->target_role, "department",
                            r->target_department ? json_string(r->target_department)
                                                 : json_null(),
                            "notice", r->notice),
                  e) < 0 ||
        move_department(st, x, c, r, e) < 0)
        return -1;
    title_zh = arena_printf(x->a, "投诉 %s 已升级：%s", c->number, r->description_zh);
    title_en = arena_printf(x->a, "Complaint %s escalated: %s", c->number, r->description_en);
    dedup = arena_printf(x->a, "escalated:%lld:%s", (long long)c->id, r->code);
    payload = arena_printf(x->a, "{\"number\":\"%s\",\"rule\":\"%s\",\"to_role\":\"%s\"}",
                           c->number, r->code, r->target_role);
    if (title_zh == NULL || title_en == NULL || dedup == NULL || payload == NULL)
        return nomem(e);
    if (svc_tell_role(st, x, c, r->target_role, "escalated", title_zh, title_en, dedup, e) < 0 ||
        notify_event(st, "complaint.escalated", payload, dedup, x->now, e) < 0)
        return -1;
    return r->notice ? issue_notice(st, x, c, r, e) : 0;
}

int
svc_escalate(struct store *st, const struct svc_ctx *x, struct complaint *c, struct err *e)
{
    struct escalation_rule_row *rules;
    struct svc_rules rs;
    struct grade_facts f;
    size_t n;
    bool facts_ready = false;

    if (!core_wf_is_open(c->status))
        return 0;
    if (st->ops->escalation_rule_list(st, x->a, &rules, &n, e) < 0)
        return -1;
    for (size_t i = 0; i < n; i++) {
        struct grade_condition cond;
        struct err ignored = { 0 };
        if (!rules[i].enabled ||
            core_grade_condition_parse(rules[i].condition, &cond, &ignored) < 0)
            continue;
        if (!facts_ready) {
            if (svc_rules_load(st, x, &rs, e) < 0 || facts_all(st, x, c, &rs, &f, e) < 0)
                return -1;
            facts_ready = true;
        }
        if (core_grade_condition_holds(&cond, &f) && escalate_one(st, x, c, &rules[i], e) < 0)
            return -1;
    }
    return 0;
}
