#ifndef KESU_CORE_ESCALATION_H
#define KESU_CORE_ESCALATION_H

#include <stdbool.h>

#include "util/err.h"

/*
 * Escalation beyond grades (DOMAIN §5): rules that are data. A rule is a
 * condition over the complaint's facts and clocks (the grading language of
 * core/grading.h, with the facts overdue, overdue_days, compensation,
 * repair and top), the role it goes to (in the complaint's project, or the
 * company's for company-level roles), optionally a department the case
 * moves to, and whether it issues a supervision notice (督办) that its
 * receiver must acknowledge within ack_hours, or it goes one level up.
 */
struct escalation_def {
    const char *code, *condition, *target_role, *target_department;
    bool notice;
    int ack_hours;
    const char *description_zh, *description_en;
};

/* The shipped rules (DOMAIN §5's list), ended by a NULL code. */
extern const struct escalation_def core_escalation_presets[];

#define CORE_ESCALATION_ACK_MAX 720       /* hours: a month */

/*
 * Check a rule: code (core_grade_rule_code_ok; "code" "bad_value"),
 * condition (core_grade_condition_parse's reasons, field "condition"),
 * target_role one of the staff roles ("target_role" "bad_value"), ack_hours
 * 1..CORE_ESCALATION_ACK_MAX ("ack_hours" "out_of_range").
 */
int core_escalation_check(const struct escalation_def *d, struct err *e);

/*
 * The next level up from a role when a notice is not acknowledged: handler
 * → supervisor → manager → executive; operator → supervisor; centre →
 * executive. NULL at the top (the executive) and for roles outside the
 * chain (auditor, admin).
 */
const char *core_escalation_next_role(const char *role);

#endif
