/*
 * core/grading.c: the condition language (parse, format, errors), every
 * rule of every preset at its boundaries, the grades DOMAIN §4 expects of
 * typical facts, "automatic grading only raises", manual changes and the
 * age fact.
 */
#include "testutil.h"

#include <stdio.h>

#include "core/grading.h"

#define RULES_MAX 64
#define DAY 86400
#define NOW 1780000000              /* 2026-05-28, any time will do */

/* ---- helpers ---- */

struct loaded {
    const struct grade_preset *p;
    struct grade_rule r[RULES_MAX];
    size_t n;
};

/* Every rule of the preset, parsed (a preset that does not parse fails here). */
static void
load(const char *name, struct loaded *out)
{
    out->p = core_grade_preset_find(name);
    if (out->p == NULL)
        fail_msg("no preset %s", name);
    out->n = 0;
    for (const struct grade_rule_def *d = out->p->rules; d->code != NULL; d++) {
        struct grade_rule *r = &out->r[out->n++];
        struct err e = { 0 };

        assert_true(out->n <= RULES_MAX);
        if (core_grade_condition_parse(d->condition, &r->cond, &e) != 0)
            fail_msg("%s rule %s: \"%s\": %s", name, d->code, d->condition, e.detail);
        r->code = d->code;
        r->grade = d->grade;
        r->enabled = true;
    }
}

/*
 * Facts from "name=value name=value": a first complaint of one person
 * (headcount 1, raised 1) and nothing else unless the spec says so.
 */
static struct grade_facts
facts(const char *spec)
{
    struct grade_facts f;
    const char *p = spec;

    memset(&f, 0, sizeof(f));
    f.v[GF_HEADCOUNT] = 1;
    f.v[GF_RAISED] = 1;
    for (;;) {
        const char *eq;
        char *end;
        int fact;

        while (*p == ' ')
            p++;
        if (*p == '\0')
            break;
        eq = strchr(p, '=');
        assert_non_null(eq);
        fact = core_grade_fact_parse(p, (size_t)(eq - p));
        if (fact < 0)
            fail_msg("test spec: no fact %.*s", (int)(eq - p), p);
        f.v[fact] = strtoll(eq + 1, &end, 10);
        p = end;
    }
    return f;
}

static bool
fired(const struct grade_result *r, const char *code)
{
    for (size_t i = 0; i < r->n_fired; i++)
        if (strcmp(r->fired[i], code) == 0)
            return true;
    return false;
}

static struct grade_result
evaluate(const struct loaded *l, const char *spec)
{
    struct grade_result r;
    struct grade_facts f = facts(spec);

    memset(&r, 0x5A, sizeof(r));
    core_grade_evaluate(l->p, l->r, l->n, &f, &r);
    return r;
}

static void
parse_ok(const char *text, struct grade_condition *out)
{
    struct err e = { 0 };

    if (core_grade_condition_parse(text, out, &e) != 0)
        fail_msg("\"%s\" refused: %s", text, e.detail);
    assert_int_equal(e.code, ERR_OK);
}

static void
parse_fails(const char *text, const char *reason)
{
    struct grade_condition c;
    struct err e = { 0 };

    memset(&c, 0x5A, sizeof(c));
    if (core_grade_condition_parse(text, &c, &e) == 0)
        fail_msg("\"%s\" accepted, want %s", text ? text : "(null)", reason);
    assert_int_equal(e.code, ERR_INVALID);
    assert_string_equal(e.field, "condition");
    if (strcmp(e.reason, reason) != 0)
        fail_msg("\"%s\": reason %s (%s), want %s", text, e.reason, e.detail, reason);
    assert_int_equal(((unsigned char *)&c)[0], 0x5A);     /* out untouched */
}

static void
assert_same_condition(const struct grade_condition *a, const struct grade_condition *b)
{
    assert_int_equal(a->n, b->n);
    for (size_t i = 0; i < a->n; i++) {
        assert_int_equal(a->c[i].fact, b->c[i].fact);
        assert_int_equal(a->c[i].op, b->c[i].op);
        assert_int_equal(a->c[i].value, b->c[i].value);
    }
}

/* ---- the presets as data ---- */

static void
test_presets_parse_and_are_canonical(void **state)
{
    size_t presets = 0;

    (void)state;
    for (const struct grade_preset *p = core_grade_presets; p->name != NULL; p++, presets++) {
        assert_ptr_equal(core_grade_preset_find(p->name), p);
        assert_non_null(p->levels[0].code);
        for (const struct grade_rule_def *d = p->rules; d->code != NULL; d++) {
            struct grade_condition c, again;
            char text[CORE_GRADE_COND_TEXT_MAX + 1];

            assert_true(core_grade_rule_code_ok(d->code));
            if (core_grade_rank(p, d->grade) < 0)
                fail_msg("%s rule %s: grade %s not in the preset", p->name, d->code, d->grade);
            parse_ok(d->condition, &c);
            core_grade_condition_format(&c, text, sizeof(text));
            assert_string_equal(text, d->condition);  /* shipped in the canonical form */
            parse_ok(text, &again);
            assert_same_condition(&c, &again);
            assert_non_null(d->description_zh);
            assert_non_null(d->description_en);
        }
    }
    assert_int_equal(presets, 3);
    assert_non_null(core_grade_preset_find("property"));
    assert_non_null(core_grade_preset_find("realestate"));
    assert_non_null(core_grade_preset_find("three-level"));
    assert_null(core_grade_preset_find("Property"));
    assert_null(core_grade_preset_find(NULL));
}

/*
 * Every comparison of every rule of every preset, exactly at its boundary
 * (the rule holds) and one step past it (the rule does not): whatever the
 * shipped numbers, >= is not > and = is not >=.
 */
static void
test_every_rule_at_its_boundaries(void **state)
{
    (void)state;
    for (const struct grade_preset *p = core_grade_presets; p->name != NULL; p++) {
        struct loaded l;

        load(p->name, &l);
        for (size_t i = 0; i < l.n; i++) {
            const struct grade_condition *c = &l.r[i].cond;
            struct grade_facts at;
            struct grade_result r;

            memset(&at, 0, sizeof(at));
            for (size_t k = 0; k < c->n; k++) {
                const struct grade_cond *k1 = &c->c[k];
                at.v[k1->fact] = k1->op == GOP_GT ? k1->value + 1
                               : k1->op == GOP_LT ? k1->value - 1 : k1->value;
            }
            core_grade_evaluate(l.p, l.r, l.n, &at, &r);
            if (!fired(&r, l.r[i].code))
                fail_msg("%s %s does not hold at its boundary", p->name, l.r[i].code);
            assert_true(core_grade_rank(l.p, r.grade) <= core_grade_rank(l.p, l.r[i].grade));

            for (size_t k = 0; k < c->n; k++) {
                const struct grade_cond *k1 = &c->c[k];
                struct grade_facts past = at;

                past.v[k1->fact] = k1->op == GOP_GE ? k1->value - 1
                                 : k1->op == GOP_GT ? k1->value
                                 : k1->op == GOP_LE ? k1->value + 1
                                 : k1->op == GOP_LT ? k1->value : k1->value + 1;
                core_grade_evaluate(l.p, l.r, l.n, &past, &r);
                if (fired(&r, l.r[i].code))
                    fail_msg("%s %s holds with %s one step past %lld", p->name, l.r[i].code,
                             core_grade_fact_name(k1->fact), (long long)k1->value);
            }
        }
    }
}

/* What DOMAIN §4 says of typical facts, written from the document, not from the tables. */
struct expectation {
    const char *preset, *facts, *grade, *rule;   /* rule NULL: none held */
};

static const struct expectation expectations[] = {
    /* property: nothing but an inquiry, a plain complaint */
    { "property", "", "D", NULL },
    { "property", "complaint=0 valid=1", "D", NULL },            /* an inquiry (咨询) */
    { "property", "complaint=1", "C", "C1" },
    { "property", "complaint=1 valid=1", "C", "C1" },
    /* collective: 3-9 is B, 10 or more is A */
    { "property", "complaint=1 headcount=2", "C", "C1" },
    { "property", "complaint=1 headcount=3", "B", "B1" },
    { "property", "complaint=1 headcount=9", "B", "B1" },
    { "property", "complaint=1 headcount=10", "A", "A5" },
    /* the same complaint from 3 complainants within a month */
    { "property", "complaint=1 similar_complainants=2", "C", "C1" },
    { "property", "complaint=1 similar_complainants=3", "B", "B2" },
    /* raised twice and still unresolved (valid) */
    { "property", "complaint=1 valid=1 raised=1", "C", "C1" },
    { "property", "complaint=1 valid=1 raised=2", "A", "A1" },
    { "property", "complaint=1 valid=0 raised=2", "C", "C1" },
    /* loss of 10,000 yuan or more, injury */
    { "property", "complaint=1 loss=9999", "C", "C1" },
    { "property", "complaint=1 loss=10000", "A", "A2-loss" },
    { "property", "complaint=1 injury=1", "A", "A2-injury" },
    /* a month unresolved (valid) */
    { "property", "complaint=1 valid=1 unresolved_days=29", "C", "C1" },
    { "property", "complaint=1 valid=1 unresolved_days=30", "A", "A3" },
    { "property", "complaint=1 valid=0 unresolved_days=30", "C", "C1" },
    /* lawsuit and media are A; their threat is B; vip alone changes nothing */
    { "property", "complaint=1 lawsuit=1", "A", "A4-lawsuit" },
    { "property", "complaint=1 media=1", "A", "A4-media" },
    { "property", "complaint=1 threat_lawsuit=1", "B", "B4-lawsuit" },
    { "property", "complaint=1 threat_media=1", "B", "B4-media" },
    { "property", "complaint=1 vip=1", "C", "C1" },
    { "property", "complaint=0 vip=1", "D", NULL },
    /* a collective complaint a week unresolved: B either way, B1 names it */
    { "property", "complaint=1 headcount=3 valid=1 unresolved_days=7", "B", "B1" },
    /* the first rule of the highest grade names it */
    { "property", "complaint=1 headcount=12 media=1 injury=1", "A", "A2-injury" },

    /* realestate: major > hot > important > general */
    { "realestate", "", "general", NULL },
    { "realestate", "complaint=1 valid=1", "general", NULL },
    { "realestate", "reopenings=0", "general", NULL },
    { "realestate", "reopenings=1", "important", "important-reopened" },
    { "realestate", "headcount=2", "general", NULL },
    { "realestate", "headcount=3", "hot", "hot-collective" },
    { "realestate", "headcount=9", "hot", "hot-collective" },
    { "realestate", "headcount=10", "major", "major-collective" },
    { "realestate", "similar_complainants=2", "general", NULL },
    { "realestate", "similar_complainants=3", "hot", "hot-similar" },
    { "realestate", "valid=1 unresolved_days=6", "general", NULL },
    { "realestate", "valid=1 unresolved_days=7", "hot", "hot-overdue" },
    { "realestate", "valid=1 unresolved_days=29", "hot", "hot-overdue" },
    { "realestate", "valid=1 unresolved_days=30", "major", "major-overdue" },
    { "realestate", "valid=0 unresolved_days=30", "general", NULL },
    { "realestate", "lawsuit=1", "major", "major-lawsuit" },
    { "realestate", "media=1", "major", "major-media" },
    { "realestate", "threat_media=1", "hot", "hot-media" },
    { "realestate", "threat_lawsuit=1", "hot", "hot-lawsuit" },
    { "realestate", "loss=10000 injury=1", "general", NULL },   /* not rules of this preset */
    { "realestate", "reopenings=1 headcount=3", "hot", "hot-collective" },

    /* three-level: major / important / minor */
    { "three-level", "", "minor", NULL },
    { "three-level", "complaint=1", "minor", NULL },
    { "three-level", "valid=1", "minor", NULL },
    { "three-level", "complaint=1 valid=1", "important", "important-fault" },
    { "three-level", "headcount=2", "minor", NULL },
    { "three-level", "headcount=3", "important", "important-collective" },
    { "three-level", "headcount=10", "important", "important-collective" },
    { "three-level", "valid=1 raised=1", "minor", NULL },
    { "three-level", "valid=1 raised=2", "major", "major-raised" },
    { "three-level", "injury=1", "major", "major-injury" },
    { "three-level", "loss=9999", "minor", NULL },
    { "three-level", "loss=10000", "major", "major-loss" },
    { "three-level", "valid=1 unresolved_days=29", "minor", NULL },
    { "three-level", "valid=1 unresolved_days=30", "major", "major-overdue" },
};

static void
test_expected_grades(void **state)
{
    (void)state;
    for (size_t i = 0; i < TEST_ARRAY_LEN(expectations); i++) {
        const struct expectation *x = &expectations[i];
        struct loaded l;
        struct grade_result r;

        load(x->preset, &l);
        r = evaluate(&l, x->facts);
        if (strcmp(r.grade, x->grade) != 0)
            fail_msg("%s {%s}: grade %s, want %s", x->preset, x->facts, r.grade, x->grade);
        if (x->rule == NULL ? r.rule != NULL : r.rule == NULL || strcmp(r.rule, x->rule) != 0)
            fail_msg("%s {%s}: rule %s, want %s", x->preset, x->facts, r.rule ? r.rule : "NULL",
                     x->rule ? x->rule : "NULL");
        if (x->rule == NULL)
            assert_int_equal(r.n_fired, 0);
        else
            assert_true(fired(&r, x->rule));
    }
}

/* B3 and A3 are counted on the side: they fire, though another rule names the grade. */
static void
test_fired_lists_every_rule_in_order(void **state)
{
    struct loaded l;
    struct grade_result r;

    (void)state;
    load("property", &l);
    r = evaluate(&l, "complaint=1 headcount=3 valid=1 unresolved_days=6");
    assert_false(fired(&r, "B3"));
    r = evaluate(&l, "complaint=1 headcount=3 valid=1 unresolved_days=7");
    assert_string_equal(r.grade, "B");
    assert_string_equal(r.rule, "B1");
    assert_int_equal(r.n_fired, 3);
    assert_string_equal(r.fired[0], "B1");
    assert_string_equal(r.fired[1], "B3");
    assert_string_equal(r.fired[2], "C1");

    r = evaluate(&l, "complaint=1 headcount=10 valid=1 unresolved_days=30 raised=2");
    assert_string_equal(r.grade, "A");
    assert_string_equal(r.rule, "A1");
    assert_int_equal(r.n_fired, 6);
    assert_string_equal(r.fired[0], "A1");
    assert_string_equal(r.fired[1], "A3");
    assert_string_equal(r.fired[2], "A5");
    assert_string_equal(r.fired[3], "B1");
    assert_string_equal(r.fired[4], "B3");
    assert_string_equal(r.fired[5], "C1");
}

static void
test_disabled_and_foreign_rules_are_skipped(void **state)
{
    struct loaded l;
    struct grade_result r;

    (void)state;
    load("property", &l);
    for (size_t i = 0; i < l.n; i++)
        if (strcmp(l.r[i].code, "A5") == 0)
            l.r[i].enabled = false;
    r = evaluate(&l, "complaint=1 headcount=10");
    assert_string_equal(r.grade, "B");
    assert_string_equal(r.rule, "B1");
    assert_false(fired(&r, "A5"));

    /* a rule implying a grade the preset does not have */
    l.r[l.n] = l.r[0];
    l.r[l.n].code = "Z1";
    l.r[l.n].grade = "Z";
    parse_ok("headcount >= 1", &l.r[l.n].cond);
    l.n++;
    r = evaluate(&l, "");
    assert_string_equal(r.grade, "D");
    assert_null(r.rule);
    assert_false(fired(&r, "Z1"));
}

/* Later rules of a higher grade win; among equals the first in array order names it. */
static void
test_rule_order(void **state)
{
    const struct grade_preset *p = core_grade_preset_find("property");
    struct grade_rule r[3];
    struct grade_facts f = facts("headcount=5");
    struct grade_result out;

    (void)state;
    memset(r, 0, sizeof(r));
    r[0] = (struct grade_rule){ "c-first", "C", { { { GF_HEADCOUNT, GOP_GE, 1 } }, 1 }, true };
    r[1] = (struct grade_rule){ "b-second", "B", { { { GF_HEADCOUNT, GOP_GE, 2 } }, 1 }, true };
    r[2] = (struct grade_rule){ "b-third", "B", { { { GF_HEADCOUNT, GOP_GE, 3 } }, 1 }, true };
    core_grade_evaluate(p, r, 3, &f, &out);
    assert_string_equal(out.grade, "B");
    assert_string_equal(out.rule, "b-second");
    assert_int_equal(out.n_fired, 3);

    core_grade_evaluate(p, r, 0, &f, &out);
    assert_string_equal(out.grade, "D");
    assert_null(out.rule);
    assert_int_equal(out.n_fired, 0);
}

static void
test_fired_is_capped(void **state)
{
    const struct grade_preset *p = core_grade_preset_find("property");
    struct grade_rule r[CORE_GRADE_FIRED_MAX + 8];
    static char codes[CORE_GRADE_FIRED_MAX + 8][8];
    struct grade_facts f = facts("");
    struct grade_result out;

    (void)state;
    for (size_t i = 0; i < TEST_ARRAY_LEN(r); i++) {
        snprintf(codes[i], sizeof(codes[i]), "r%zu", i);
        r[i] = (struct grade_rule){ codes[i], "C", { { { GF_HEADCOUNT, GOP_GE, 1 } }, 1 }, true };
    }
    /* the last one, past the cap, still decides the grade */
    r[TEST_ARRAY_LEN(r) - 1].grade = "A";
    core_grade_evaluate(p, r, TEST_ARRAY_LEN(r), &f, &out);
    assert_int_equal(out.n_fired, CORE_GRADE_FIRED_MAX);
    assert_string_equal(out.fired[CORE_GRADE_FIRED_MAX - 1], codes[CORE_GRADE_FIRED_MAX - 1]);
    assert_string_equal(out.grade, "A");
    assert_string_equal(out.rule, codes[TEST_ARRAY_LEN(r) - 1]);
}

/* ---- only raises ---- */

static bool
decide(const struct loaded *l, const char *spec, const char *current, const char *overridden,
       const char **grade, const char **rule)
{
    struct grade_facts f = facts(spec);

    *grade = "untouched";
    *rule = "untouched";
    return core_grade_decide(l->p, l->r, l->n, &f, current, overridden, grade, rule);
}

static void
test_decide_first_grade(void **state)
{
    struct loaded l;
    const char *grade, *rule;

    (void)state;
    load("property", &l);
    /* no grade yet: set even the lowest, for want of any rule */
    assert_true(decide(&l, "complaint=0", NULL, NULL, &grade, &rule));
    assert_string_equal(grade, "D");
    assert_null(rule);
    assert_true(decide(&l, "complaint=1 headcount=4", NULL, NULL, &grade, &rule));
    assert_string_equal(grade, "B");
    assert_string_equal(rule, "B1");
}

static void
test_decide_only_raises(void **state)
{
    struct loaded l;
    const char *grade, *rule;

    (void)state;
    load("property", &l);
    assert_true(decide(&l, "complaint=1 headcount=10", "B", NULL, &grade, &rule));
    assert_string_equal(grade, "A");
    assert_string_equal(rule, "A5");
    assert_true(decide(&l, "complaint=1", "D", NULL, &grade, &rule));
    assert_string_equal(grade, "C");
    assert_string_equal(rule, "C1");

    /* equal: nothing to do */
    assert_false(decide(&l, "complaint=1 headcount=3", "B", NULL, &grade, &rule));
    assert_string_equal(grade, "untouched");
    assert_string_equal(rule, "untouched");
    /* lower: never */
    assert_false(decide(&l, "complaint=1", "A", NULL, &grade, &rule));
    assert_false(decide(&l, "complaint=0", "C", NULL, &grade, &rule));
    assert_false(decide(&l, "complaint=1 headcount=9", "A", NULL, &grade, &rule));
    assert_string_equal(grade, "untouched");

    /* a grade not of the preset (the preset changed): anything replaces it */
    assert_true(decide(&l, "complaint=0", "major", NULL, &grade, &rule));
    assert_string_equal(grade, "D");
    assert_null(rule);
}

/*
 * A person lowered A to C: the rules that held then (A5, B1, C1) are
 * remembered as overridden and do not raise it again; a rule that starts
 * to hold later still does.
 */
static void
test_decide_respects_overridden(void **state)
{
    struct loaded l;
    const char *grade, *rule;

    (void)state;
    load("property", &l);
    assert_false(decide(&l, "complaint=1 headcount=12", "C", "A5,B1,C1", &grade, &rule));
    assert_false(decide(&l, "complaint=1 headcount=12", "C", " A5 , B1 ,C1 ", &grade, &rule));
    /* only A5 overridden: B1 still holds and is above C */
    assert_true(decide(&l, "complaint=1 headcount=12", "C", "A5", &grade, &rule));
    assert_string_equal(grade, "B");
    assert_string_equal(rule, "B1");
    /* a new rule */
    assert_true(decide(&l, "complaint=1 headcount=12 media=1", "C", "A5,B1,C1", &grade, &rule));
    assert_string_equal(grade, "A");
    assert_string_equal(rule, "A4-media");
    assert_true(decide(&l, "complaint=1 headcount=12 similar_complainants=3", "C", "A5,B1,C1",
                       &grade, &rule));
    assert_string_equal(grade, "B");
    assert_string_equal(rule, "B2");
    /* a code is matched whole, not as a prefix */
    assert_true(decide(&l, "complaint=1 headcount=12", "C", "A,A55,B,B1", &grade, &rule));
    assert_string_equal(grade, "A");
    assert_string_equal(rule, "A5");
    /* empty list, empty items */
    assert_true(decide(&l, "complaint=1 headcount=12", "C", "", &grade, &rule));
    assert_true(decide(&l, "complaint=1 headcount=12", "C", ",,", &grade, &rule));
    assert_string_equal(rule, "A5");
}

static void
test_manual_check(void **state)
{
    const struct grade_preset *p = core_grade_preset_find("property");
    struct err e = { 0 };

    (void)state;
    assert_int_equal(core_grade_manual_check(p, "C", "A", NULL, &e), 0);    /* raising */
    assert_int_equal(core_grade_manual_check(p, "B", "B", NULL, &e), 0);
    assert_int_equal(core_grade_manual_check(p, NULL, "D", NULL, &e), 0);
    assert_int_equal(core_grade_manual_check(p, "major", "D", NULL, &e), 0);
    assert_int_equal(core_grade_manual_check(p, "A", "C", "客户撤回集体投诉", &e), 1);
    assert_int_equal(e.code, ERR_OK);

    assert_int_equal(core_grade_manual_check(p, "A", "C", NULL, &e), -1);
    assert_int_equal(e.code, ERR_INVALID);
    assert_string_equal(e.field, "reason");
    assert_string_equal(e.reason, "required");
    err_clear(&e);
    assert_int_equal(core_grade_manual_check(p, "A", "B", " \t", &e), -1);
    assert_string_equal(e.reason, "required");
    err_clear(&e);
    assert_int_equal(core_grade_manual_check(p, "A", "B", "", &e), -1);
    err_clear(&e);

    assert_int_equal(core_grade_manual_check(p, "A", "E", "a reason", &e), -1);
    assert_int_equal(e.code, ERR_INVALID);
    assert_string_equal(e.field, "grade");
    assert_string_equal(e.reason, "unknown");
    err_clear(&e);
    assert_int_equal(core_grade_manual_check(p, "A", "major", "a reason", &e), -1);
    assert_string_equal(e.reason, "unknown");
    err_clear(&e);
    assert_int_equal(core_grade_manual_check(p, "A", NULL, "a reason", &e), -1);
    assert_string_equal(e.reason, "unknown");
}

static void
test_rank(void **state)
{
    const struct grade_preset *p = core_grade_preset_find("realestate");

    (void)state;
    assert_int_equal(core_grade_rank(p, "major"), 0);
    assert_int_equal(core_grade_rank(p, "hot"), 1);
    assert_int_equal(core_grade_rank(p, "important"), 2);
    assert_int_equal(core_grade_rank(p, "general"), 3);
    assert_int_equal(core_grade_rank(p, "A"), -1);
    assert_int_equal(core_grade_rank(p, ""), -1);
    assert_int_equal(core_grade_rank(p, NULL), -1);
}

/* ---- the age fact ---- */

static void
test_unresolved_days(void **state)
{
    (void)state;
    assert_int_equal(core_grade_unresolved_days(NOW - 7 * DAY + 1, NOW, true), 6);
    assert_int_equal(core_grade_unresolved_days(NOW - 7 * DAY, NOW, true), 7);
    assert_int_equal(core_grade_unresolved_days(NOW - 30 * DAY + 1, NOW, true), 29);
    assert_int_equal(core_grade_unresolved_days(NOW - 30 * DAY, NOW, true), 30);
    assert_int_equal(core_grade_unresolved_days(NOW - DAY + 1, NOW, true), 0);
    assert_int_equal(core_grade_unresolved_days(NOW, NOW, true), 0);
    assert_int_equal(core_grade_unresolved_days(NOW + 3 * DAY, NOW, true), 0);   /* skew */
    assert_int_equal(core_grade_unresolved_days(NOW - 40 * DAY, NOW, false), 0);  /* resolved */
    assert_int_equal(core_grade_unresolved_days(INT64_MIN, INT64_MAX, true),
                     (int64_t)(UINT64_MAX / DAY));
}

/* B3 and A3 from timestamps, as the caller computes the facts */
static void
test_age_rules_from_timestamps(void **state)
{
    struct loaded l;
    struct grade_facts f = facts("complaint=1 headcount=3 valid=1");
    struct grade_result r;

    (void)state;
    load("property", &l);
    f.v[GF_UNRESOLVED_DAYS] = core_grade_unresolved_days(NOW - 7 * DAY + 1, NOW, true);
    core_grade_evaluate(l.p, l.r, l.n, &f, &r);
    assert_false(fired(&r, "B3"));
    f.v[GF_UNRESOLVED_DAYS] = core_grade_unresolved_days(NOW - 7 * DAY, NOW, true);
    core_grade_evaluate(l.p, l.r, l.n, &f, &r);
    assert_true(fired(&r, "B3"));
    assert_string_equal(r.grade, "B");

    f.v[GF_UNRESOLVED_DAYS] = core_grade_unresolved_days(NOW - 30 * DAY + 1, NOW, true);
    core_grade_evaluate(l.p, l.r, l.n, &f, &r);
    assert_string_equal(r.grade, "B");
    f.v[GF_UNRESOLVED_DAYS] = core_grade_unresolved_days(NOW - 30 * DAY, NOW, true);
    core_grade_evaluate(l.p, l.r, l.n, &f, &r);
    assert_string_equal(r.grade, "A");
    assert_string_equal(r.rule, "A3");
    /* resolved complaints do not age */
    f.v[GF_UNRESOLVED_DAYS] = core_grade_unresolved_days(NOW - 30 * DAY, NOW, false);
    core_grade_evaluate(l.p, l.r, l.n, &f, &r);
    assert_false(fired(&r, "A3"));
    assert_false(fired(&r, "B3"));
}

/* ---- the condition language ---- */

static void
test_fact_names(void **state)
{
    static const char *const names[] = {
        "headcount", "raised", "loss", "injury", "media", "lawsuit", "threat_media",
        "threat_lawsuit", "vip", "unresolved_days", "reopenings", "similar_complainants",
        "valid", "complaint", "repair", "overdue", "overdue_days", "compensation", "top",
    };

    (void)state;
    assert_int_equal(TEST_ARRAY_LEN(names), GF_COUNT);
    for (int f = 0; f < GF_COUNT; f++) {
        assert_string_equal(core_grade_fact_name((enum grade_fact)f), names[f]);
        assert_int_equal(core_grade_fact_parse(names[f], strlen(names[f])), f);
    }
    assert_null(core_grade_fact_name(GF_COUNT));
    /* a slice of a longer text */
    assert_int_equal(core_grade_fact_parse("threat_media >= 1", 12), GF_THREAT_MEDIA);
    assert_int_equal(core_grade_fact_parse("threat_media", 6), -1);
    assert_int_equal(core_grade_fact_parse("Headcount", 9), -1);
    assert_int_equal(core_grade_fact_parse("", 0), -1);
}

static void
test_parse_shapes(void **state)
{
    struct grade_condition c;

    (void)state;
    parse_ok("headcount >= 10", &c);
    assert_int_equal(c.n, 1);
    assert_int_equal(c.c[0].fact, GF_HEADCOUNT);
    assert_int_equal(c.c[0].op, GOP_GE);
    assert_int_equal(c.c[0].value, 10);

    parse_ok("valid = 1 and unresolved_days >= 30", &c);
    assert_int_equal(c.n, 2);
    assert_int_equal(c.c[0].fact, GF_VALID);
    assert_int_equal(c.c[0].op, GOP_EQ);
    assert_int_equal(c.c[1].fact, GF_UNRESOLVED_DAYS);
    assert_int_equal(c.c[1].value, 30);

    parse_ok("loss>0 and loss<5000 and headcount<=2 and vip=0", &c);
    assert_int_equal(c.n, CORE_GRADE_CONDS_MAX);
    assert_int_equal(c.c[0].op, GOP_GT);
    assert_int_equal(c.c[1].op, GOP_LT);
    assert_int_equal(c.c[1].value, 5000);
    assert_int_equal(c.c[2].op, GOP_LE);
    assert_int_equal(c.c[3].op, GOP_EQ);

    parse_ok("loss >= 0", &c);
    assert_int_equal(c.c[0].value, 0);
    parse_ok("loss >= 1000000000000", &c);
    assert_int_equal(c.c[0].value, 1000000000000LL);
    parse_ok("loss >= 000000000000000000000001", &c);   /* leading zeros are only zeros */
    assert_int_equal(c.c[0].value, 1);
}

/* Spacing and the case of "and" are free; the canonical text is one form. */
static void
test_whitespace_and_canonical_form(void **state)
{
    static const char *const variants[] = {
        "headcount >= 3 and valid = 1",
        "headcount>=3 and valid=1",
        "  headcount   >=   3   and   valid   =   1  ",
        "\theadcount\t>=\t3\nand\r\nvalid=1\n",
        "headcount >= 3 AND valid = 1",
        "headcount >= 3 And valid = 1",
        "headcount >= 03 and valid = 1",
    };
    struct grade_condition first;

    (void)state;
    parse_ok(variants[0], &first);
    for (size_t i = 0; i < TEST_ARRAY_LEN(variants); i++) {
        struct grade_condition c;
        char text[CORE_GRADE_COND_TEXT_MAX + 1];

        parse_ok(variants[i], &c);
        assert_same_condition(&c, &first);
        core_grade_condition_format(&c, text, sizeof(text));
        assert_string_equal(text, "headcount >= 3 and valid = 1");
    }
}

/* Every fact with every operator and edge values formats and parses back the same. */
static void
test_format_parse_round_trip(void **state)
{
    static const int64_t values[] = { 0, 1, 9, 10, 9999, 10000, 1000000000000LL };

    (void)state;
    for (int f = 0; f < GF_COUNT; f++)
        for (int op = GOP_GE; op <= GOP_EQ; op++)
            for (size_t v = 0; v < TEST_ARRAY_LEN(values); v++) {
                struct grade_condition c = { 0 }, again;
                char text[CORE_GRADE_COND_TEXT_MAX + 1];

                /* the fact alone, and joined with the longest comparison there can be */
                c.c[0] = (struct grade_cond){ (enum grade_fact)f, (enum grade_op)op, values[v] };
                c.n = 1;
                core_grade_condition_format(&c, text, sizeof(text));
                if (f == GF_SIMILAR && values[v] > CORE_GRADE_SIMILAR_MAX) {
                    parse_fails(text, "out_of_range");   /* counted up to the cap only */
                    continue;
                }
                parse_ok(text, &again);
                assert_same_condition(&c, &again);
                for (size_t k = 1; k < CORE_GRADE_CONDS_MAX; k++)
                    c.c[k] = (struct grade_cond){ GF_UNRESOLVED_DAYS, GOP_LE, 1000000000000LL };
                c.n = CORE_GRADE_CONDS_MAX;
                core_grade_condition_format(&c, text, sizeof(text));
                assert_true(strlen(text) <= CORE_GRADE_COND_TEXT_MAX);
                parse_ok(text, &again);
                assert_same_condition(&c, &again);
            }
}

static void
test_format_small_buffer(void **state)
{
    struct grade_condition c;
    char small[12];

    (void)state;
    parse_ok("headcount >= 3 and valid = 1", &c);
    memset(small, 'Z', sizeof(small));
    core_grade_condition_format(&c, small, sizeof(small));
    assert_true(memchr(small, '\0', sizeof(small)) != NULL);
    assert_int_equal(strncmp(small, "headcount", 9), 0);
    core_grade_condition_format(&c, small, 0);     /* writes nothing */
}

static void
test_holds(void **state)
{
    struct grade_condition c;
    struct grade_facts f = facts("headcount=5 loss=100");

    (void)state;
    parse_ok("headcount > 4", &c);
    assert_true(core_grade_condition_holds(&c, &f));
    parse_ok("headcount > 5", &c);
    assert_false(core_grade_condition_holds(&c, &f));
    parse_ok("headcount <= 5 and loss < 101", &c);
    assert_true(core_grade_condition_holds(&c, &f));
    parse_ok("headcount <= 5 and loss < 100", &c);
    assert_false(core_grade_condition_holds(&c, &f));
    parse_ok("headcount = 5 and headcount >= 5 and headcount <= 5", &c);
    assert_true(core_grade_condition_holds(&c, &f));
    c.n = 0;                                      /* never parsed so: holds for nobody */
    assert_false(core_grade_condition_holds(&c, &f));
}

static void
test_parse_errors(void **state)
{
    char text[CORE_GRADE_COND_TEXT_MAX + 2];

    (void)state;
    parse_fails(NULL, "empty");
    parse_fails("", "empty");
    parse_fails("   ", "empty");
    parse_fails("\t\r\n", "empty");

    /* exactly the limit is fine, one byte more is not */
    memset(text, ' ', sizeof(text));
    memcpy(text, "headcount >= 1", 14);
    text[CORE_GRADE_COND_TEXT_MAX] = '\0';
    {
        struct grade_condition c;
        parse_ok(text, &c);
    }
    text[CORE_GRADE_COND_TEXT_MAX] = ' ';
    text[CORE_GRADE_COND_TEXT_MAX + 1] = '\0';
    parse_fails(text, "too_long");

    parse_fails("headcount", "bad_syntax");
    parse_fails("headcount >=", "bad_syntax");
    parse_fails(">= 3", "bad_syntax");
    parse_fails("headcount >= -1", "bad_syntax");
    parse_fails("headcount >= +1", "bad_syntax");
    parse_fails("headcount => 3", "bad_syntax");
    parse_fails("headcount == 3", "bad_syntax");
    parse_fails("headcount != 3", "bad_syntax");
    parse_fails("headcount ≥ 3", "bad_syntax");
    parse_fails("headcount >= 3.5", "bad_syntax");
    parse_fails("headcount >= 1e3", "bad_syntax");
    parse_fails("headcount >= 10abc", "bad_syntax");
    parse_fails("headcount >= 3 or valid = 1", "bad_syntax");
    parse_fails("headcount >= 3 valid = 1", "bad_syntax");
    parse_fails("headcount >= 3 and", "bad_syntax");
    parse_fails("headcount >= 3 and ", "bad_syntax");
    parse_fails("headcount >= 3 andvalid = 1", "bad_syntax");
    parse_fails("headcount >= 3 && valid = 1", "bad_syntax");
    parse_fails("and headcount >= 3", "unknown");           /* "and" is not a fact */
    parse_fails("headcount >= 3;", "bad_syntax");
    parse_fails("(headcount >= 3)", "bad_syntax");
    parse_fails("人数 >= 3", "bad_syntax");
    parse_fails("headcount >= valid", "bad_syntax");

    parse_fails("heads >= 3", "unknown");
    parse_fails("Headcount >= 3", "unknown");
    parse_fails("valid = 1 and sentiment = 1", "unknown");

    parse_fails("loss >= 1000000000001", "out_of_range");
    parse_fails("loss >= 99999999999999999999999999999999", "out_of_range");
    /* similar complaints are counted up to CORE_GRADE_SIMILAR_MAX, no further */
    parse_fails("similar_complainants >= 1001", "out_of_range");
    {
        struct grade_condition c;
        parse_ok("similar_complainants >= 1000", &c);
        assert_int_equal(c.c[0].value, 1000);
    }

    parse_fails("vip = 0 and vip = 0 and vip = 0 and vip = 0 and vip = 0", "too_many");
}

static void
test_parse_error_messages(void **state)
{
    struct grade_condition c;
    struct err e = { 0 };

    (void)state;
    assert_int_equal(core_grade_condition_parse("valid = 1 and sentiment = 1", &c, &e), -1);
    assert_non_null(strstr(e.detail, "sentiment"));
    err_clear(&e);
    assert_int_equal(core_grade_condition_parse("headcount >= 3 or valid = 1", &c, &e), -1);
    assert_non_null(strstr(e.detail, "at byte 15"));
    err_clear(&e);
    /* a very long unknown name does not overflow the message */
    assert_int_equal(core_grade_condition_parse(
                         "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
                         "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa >= 1",
                         &c, &e),
                     -1);
    assert_string_equal(e.reason, "unknown");
    assert_true(strlen(e.detail) < sizeof(e.detail));
}

static void
test_rule_codes(void **state)
{
    char longest[CORE_GRADE_RULE_CODE_MAX + 2];

    (void)state;
    assert_true(core_grade_rule_code_ok("A1"));
    assert_true(core_grade_rule_code_ok("A2-injury"));
    assert_true(core_grade_rule_code_ok("major_overdue-2"));
    assert_true(core_grade_rule_code_ok("-"));
    memset(longest, 'x', sizeof(longest));
    longest[CORE_GRADE_RULE_CODE_MAX] = '\0';
    assert_true(core_grade_rule_code_ok(longest));
    longest[CORE_GRADE_RULE_CODE_MAX] = 'x';
    longest[CORE_GRADE_RULE_CODE_MAX + 1] = '\0';
    assert_false(core_grade_rule_code_ok(longest));
    assert_false(core_grade_rule_code_ok(""));
    assert_false(core_grade_rule_code_ok(NULL));
    assert_false(core_grade_rule_code_ok("A 1"));
    assert_false(core_grade_rule_code_ok("A.1"));
    assert_false(core_grade_rule_code_ok("A1,B1"));
    assert_false(core_grade_rule_code_ok("重大"));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_presets_parse_and_are_canonical),
        cmocka_unit_test(test_every_rule_at_its_boundaries),
        cmocka_unit_test(test_expected_grades),
        cmocka_unit_test(test_fired_lists_every_rule_in_order),
        cmocka_unit_test(test_disabled_and_foreign_rules_are_skipped),
        cmocka_unit_test(test_rule_order),
        cmocka_unit_test(test_fired_is_capped),
        cmocka_unit_test(test_decide_first_grade),
        cmocka_unit_test(test_decide_only_raises),
        cmocka_unit_test(test_decide_respects_overridden),
        cmocka_unit_test(test_manual_check),
        cmocka_unit_test(test_rank),
        cmocka_unit_test(test_unresolved_days),
        cmocka_unit_test(test_age_rules_from_timestamps),
        cmocka_unit_test(test_fact_names),
        cmocka_unit_test(test_parse_shapes),
        cmocka_unit_test(test_whitespace_and_canonical_form),
        cmocka_unit_test(test_format_parse_round_trip),
        cmocka_unit_test(test_format_small_buffer),
        cmocka_unit_test(test_holds),
        cmocka_unit_test(test_parse_errors),
        cmocka_unit_test(test_parse_error_messages),
        cmocka_unit_test(test_rule_codes),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
