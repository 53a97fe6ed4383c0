#ifndef KESU_CORE_GRADING_H
#define KESU_CORE_GRADING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

/*
 * Grading rules (DOMAIN §4): a grade is computed from the facts kesu holds,
 * by rules that are data. A rule is a condition and the grade it implies;
 * the grade of a complaint is at least the highest grade of the rules that
 * hold. Pure: no I/O, no clock (the caller computes the facts at `now`).
 *
 * A condition is text an administrator can read and edit:
 *     headcount >= 10
 *     valid = 1 and unresolved_days >= 30
 * facts (below) compared with >=, >, <=, <, = to a whole number, joined by
 * "and" (at most CORE_GRADE_CONDS_MAX); "or" is two rules. Flags are 0/1.
 *
 * Automatic grading only raises: core_grade_decide never lowers. A person
 * may lower a grade with a reason; the rules that held then are remembered
 * as overridden and do not raise it again (a rule that starts to hold later
 * still does).
 */

enum grade_fact {
    GF_HEADCOUNT,        /* headcount: people complaining together */
    GF_RAISED,           /* raised: times the customer raised it (1 the first time) */
    GF_LOSS,             /* loss: economic loss in whole yuan (0 when none) */
    GF_INJURY,           /* injury: 1 when someone was hurt */
    GF_MEDIA,            /* media: exposed by the media */
    GF_LAWSUIT,          /* lawsuit: a lawsuit was started */
    GF_THREAT_MEDIA,     /* threat_media */
    GF_THREAT_LAWSUIT,   /* threat_lawsuit */
    GF_VIP,              /* vip: referred by leadership */
    GF_UNRESOLVED_DAYS,  /* unresolved_days: whole days since received while open, else 0 */
    GF_REOPENINGS,       /* reopenings */
    GF_SIMILAR,          /* similar_complainants: distinct complainants of similar complaints
                            in the same project within 30 days, this one included */
    GF_VALID,            /* valid: nature is "valid" */
    GF_COMPLAINT,        /* complaint: kind is complaint, claim or repair (not inquiry, suggestion) */
    /* facts of its handling (issue 5), for escalation rules as much as grading */
    GF_REPAIR,           /* repair: kind is repair */
    GF_OVERDUE,          /* overdue: clocks past their due time and not done */
    GF_OVERDUE_DAYS,     /* overdue_days: whole days the most overdue of them is late */
    GF_COMPENSATION,     /* compensation: yuan proposed or awaiting approval, not yet decided */
    GF_TOP,              /* top: the grade is the preset's highest */
    GF_COUNT
};

/* "headcount", ...; -1 for an unknown name. */
const char *core_grade_fact_name(enum grade_fact f);
int core_grade_fact_parse(const char *name, size_t len);

struct grade_facts {
    int64_t v[GF_COUNT];
};

enum grade_op { GOP_GE, GOP_GT, GOP_LE, GOP_LT, GOP_EQ };

#define CORE_GRADE_CONDS_MAX 4
#define CORE_GRADE_COND_TEXT_MAX 200    /* bytes of a condition's text */
#define CORE_GRADE_RULE_CODE_MAX 32     /* a rule code: 1..32 of A-Z a-z 0-9 _ - */
/*
 * The highest similar_complainants a condition may name: the count of
 * similar complaints stops there (a busy building's month is not read
 * whole for every new complaint). Higher is "out_of_range".
 */
#define CORE_GRADE_SIMILAR_MAX 1000

struct grade_cond {
    enum grade_fact fact;
    enum grade_op op;
    int64_t value;                      /* 0 .. 10^12 */
};

struct grade_condition {
    struct grade_cond c[CORE_GRADE_CONDS_MAX];
    size_t n;                           /* >= 1 */
};

/*
 * Parse a condition's text (field "condition"). Reasons: "empty",
 * "too_long", "bad_syntax" (message says where), "unknown" (a fact that
 * does not exist, named in the message), "too_many" (more than
 * CORE_GRADE_CONDS_MAX comparisons), "out_of_range" (a value).
 */
int core_grade_condition_parse(const char *text, struct grade_condition *out, struct err *e);
/* The canonical text ("headcount >= 10 and valid = 1") into buf. */
void core_grade_condition_format(const struct grade_condition *c, char *buf, size_t size);
bool core_grade_condition_holds(const struct grade_condition *c, const struct grade_facts *f);

/* True for a rule code: 1..32 of A-Z a-z 0-9 _ - */
bool core_grade_rule_code_ok(const char *code);

/* A grade of a scheme, highest first in the scheme's list. */
struct grade_level {
    const char *code, *name_zh, *name_en;
};

/* A rule as shipped in a preset (and as stored; the store adds nothing but order). */
struct grade_rule_def {
    const char *code;
    const char *grade;
    const char *condition;              /* text, parsed by core_grade_condition_parse */
    const char *description_zh, *description_en;
};

struct grade_preset {
    const char *name;                   /* "property", "realestate", "three-level" */
    const struct grade_level *levels;   /* highest first, ended by a NULL code */
    const struct grade_rule_def *rules; /* ended by a NULL code */
};

/* property (default), realestate, three-level; ended by a NULL name */
extern const struct grade_preset core_grade_presets[];
const struct grade_preset *core_grade_preset_find(const char *name);

/* A rule ready to evaluate. */
struct grade_rule {
    const char *code;
    const char *grade;
    struct grade_condition cond;
    bool enabled;
};

/*
 * 0 for the highest grade of the preset, 1 for the next, ...; -1 when
 * `grade` is not one of the preset's.
 */
int core_grade_rank(const struct grade_preset *p, const char *grade);

#define CORE_GRADE_FIRED_MAX 32

struct grade_result {
    const char *grade;                  /* the highest grade implied; the lowest level when none */
    const char *rule;                   /* the first enabled rule implying it, or NULL */
    const char *fired[CORE_GRADE_FIRED_MAX];  /* every enabled rule that holds, in rule order */
    size_t n_fired;
};

/* Evaluate enabled rules on the facts; rules with a grade outside the preset are skipped. */
void core_grade_evaluate(const struct grade_preset *p, const struct grade_rule *rules,
                         size_t n_rules, const struct grade_facts *f, struct grade_result *out);

/*
 * Decide an automatic change from the current grade (NULL: none yet) and
 * the rules that hold, ignoring the overridden ones (a comma-separated list
 * of rule codes, or NULL). Returns true when the grade must be raised (or
 * set for the first time), with *grade and *rule (the rule that fired; NULL
 * when the lowest level is set for want of any rule). Never lowers.
 */
bool core_grade_decide(const struct grade_preset *p, const struct grade_rule *rules,
                       size_t n_rules, const struct grade_facts *f, const char *current,
                       const char *overridden, const char **grade, const char **rule);

/*
 * A person sets the grade (field "grade"): it must be a grade of the preset
 * ("unknown"); lowering it needs a reason ("required", field "reason").
 * Returns 1 when it is a lowering, 0 otherwise.
 */
int core_grade_manual_check(const struct grade_preset *p, const char *current,
                            const char *wanted, const char *reason, struct err *e);

/* The facts of the age rules, from the complaint's received time and status. */
int64_t core_grade_unresolved_days(int64_t received_at, int64_t now, bool open);

#endif
