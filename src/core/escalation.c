#include "core/escalation.h"
#include "core/account.h"
#include "core/grading.h"

#include <string.h>

const struct escalation_def core_escalation_presets[] = {
    { "E-REPAIR-20D", "repair = 1 and reopenings >= 2 and unresolved_days >= 20", "centre",
      NULL, true, 24, "维修反复返工超过20天仍未解决，移交公司客服部",
      "Repairs redone repeatedly for more than 20 days: to the company service centre" },
    { "E-DELAY-7D", "overdue_days >= 7", "manager", NULL, true, 24,
      "超过时限7天以上（如影响装修），由服务中心经理督办",
      "Overdue by 7 days or more (e.g. holding up a renovation): the centre manager supervises" },
    { "E-REPAIRS-UNHAPPY", "repair = 1 and reopenings >= 2", "manager", NULL, false, 24,
      "多次维修后业主仍不满意", "The owner is still dissatisfied after several repairs" },
    { "E-LEAK-2D", "loss >= 10000 and unresolved_days >= 2", "centre", NULL, true, 24,
      "严重损失（如严重渗漏）协调2天仍未解决", "Serious loss (e.g. a bad leak) unresolved after 2 days" },
    { "E-COMPENSATION", "compensation > 1000", "manager", NULL, false, 24,
      "赔偿金额超出项目权限", "Compensation beyond the project's authority" },
    { "E-LEADERSHIP", "vip = 1", "centre", NULL, true, 24, "上级领导交办的投诉",
      "Referred by leadership" },
    { "E-MANY-OWNERS", "headcount >= 10", "centre", NULL, true, 24, "群体投诉（10人以上）",
      "Many owners complaining together (10 or more)" },
    { "E-INJURY", "injury = 1", "centre", NULL, true, 24, "人身伤害等严重个案",
      "A severe individual case: someone was hurt" },
    { "E-MAJOR", "top = 1", "executive", NULL, true, 24, "重大投诉：报总经理",
      "A major complaint: the general manager is informed" },
    { NULL, NULL, NULL, NULL, false, 0, NULL, NULL },
};

static bool
is_staff_role(const char *role)
{
    for (size_t i = 0; role != NULL && core_roles_staff[i] != NULL; i++)
        if (strcmp(core_roles_staff[i], role) == 0)
            return true;
    return false;
}

int
core_escalation_check(const struct escalation_def *d, struct err *e)
{
    struct grade_condition cond;

    if (d->code == NULL || !core_grade_rule_code_ok(d->code))
        return err_set(e, ERR_INVALID, "code", "bad_value",
                       "a rule code is 1 to 32 of A-Z a-z 0-9 _ -");
    if (core_grade_condition_parse(d->condition, &cond, e) < 0)
        return -1;
    if (!is_staff_role(d->target_role))
        return err_set(e, ERR_INVALID, "target_role", "bad_value", "not a staff role");
    if (d->ack_hours < 1 || d->ack_hours > CORE_ESCALATION_ACK_MAX)
        return err_set(e, ERR_INVALID, "ack_hours", "out_of_range", "ack_hours is 1 to %d",
                       CORE_ESCALATION_ACK_MAX);
    return 0;
}

const char *
core_escalation_next_role(const char *role)
{
    static const char *const chain[][2] = {
        { "operator", "supervisor" }, { "handler", "supervisor" },
        { "supervisor", "manager" },  { "manager", "executive" },
        { "centre", "executive" },
    };

    for (size_t i = 0; role != NULL && i < sizeof(chain) / sizeof(chain[0]); i++)
        if (strcmp(chain[i][0], role) == 0)
            return chain[i][1];
    return NULL;
}
