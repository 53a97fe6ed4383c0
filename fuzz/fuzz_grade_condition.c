/*
 * Fuzz core_grade_condition_parse() on arbitrary bytes (an administrator
 * types the conditions). Invariants checked:
 *   - an accepted condition has 1..CORE_GRADE_CONDS_MAX comparisons of
 *     known facts and operators with values in 0..10^12;
 *   - its canonical text fits CORE_GRADE_COND_TEXT_MAX, parses again to
 *     the same condition, and formats again to the same text (a fixed
 *     point);
 *   - core_grade_condition_holds() agrees with the comparisons read one by
 *     one, on facts taken from the input;
 *   - as a rule of any preset, automatic grading never lowers a grade;
 *   - a refused text is ERR_INVALID on "condition" with a reason from the
 *     header's list, and the output is untouched.
 */
#include "core/grading.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #cond);           \
            __builtin_trap();                                                                      \
        }                                                                                          \
    } while (0)

static bool
known_reason(const char *r)
{
    static const char *const reasons[] = { "empty", "too_long", "bad_syntax", "unknown",
                                           "too_many", "out_of_range" };

    for (size_t i = 0; i < sizeof(reasons) / sizeof(reasons[0]); i++)
        if (strcmp(r, reasons[i]) == 0)
            return true;
    return false;
}

static void
check_shape(const struct grade_condition *c)
{
    CHECK(c->n >= 1 && c->n <= CORE_GRADE_CONDS_MAX);
    for (size_t i = 0; i < c->n; i++) {
        CHECK((unsigned)c->c[i].fact < GF_COUNT);
        CHECK((unsigned)c->c[i].op <= GOP_EQ);
        CHECK(c->c[i].value >= 0 && c->c[i].value <= 1000000000000LL);
    }
}

static bool
same(const struct grade_condition *a, const struct grade_condition *b)
{
    if (a->n != b->n)
        return false;
    for (size_t i = 0; i < a->n; i++)
        if (a->c[i].fact != b->c[i].fact || a->c[i].op != b->c[i].op ||
            a->c[i].value != b->c[i].value)
            return false;
    return true;
}

static void
check_round_trip(const struct grade_condition *c)
{
    /* larger than the limit, to see that the canonical text keeps within it */
    char text[2 * CORE_GRADE_COND_TEXT_MAX], again_text[2 * CORE_GRADE_COND_TEXT_MAX];
    struct grade_condition again;
    struct err e = { 0 };

    core_grade_condition_format(c, text, sizeof(text));
    CHECK(strlen(text) <= CORE_GRADE_COND_TEXT_MAX);
    CHECK(core_grade_condition_parse(text, &again, &e) == 0);
    CHECK(same(c, &again));
    core_grade_condition_format(&again, again_text, sizeof(again_text));
    CHECK(strcmp(text, again_text) == 0);
}

/* Facts from the input's bytes: small numbers, so comparisons land on both sides. */
static struct grade_facts
facts_from(const uint8_t *data, size_t size)
{
    struct grade_facts f;

    for (int i = 0; i < GF_COUNT; i++)
        f.v[i] = size > 0 ? data[(size_t)i % size] % 40 : 0;
    return f;
}

static bool
compare(int64_t v, enum grade_op op, int64_t value)
{
    switch (op) {
    case GOP_GE: return v >= value;
    case GOP_GT: return v > value;
    case GOP_LE: return v <= value;
    case GOP_LT: return v < value;
    case GOP_EQ: return v == value;
    }
    return false;
}

static void
check_holds(const struct grade_condition *c, const struct grade_facts *f)
{
    bool all = true;

    for (size_t i = 0; i < c->n; i++)
        all = all && compare(f->v[c->c[i].fact], c->c[i].op, c->c[i].value);
    CHECK(core_grade_condition_holds(c, f) == all);
}

/* raised from `current` (NULL: none yet) to `grade`, or not at all */
static void
check_raise(const struct grade_preset *p, const char *current, bool raised, const char *grade)
{
    if (!raised)
        CHECK(current != NULL);
    else if (current != NULL)
        CHECK(core_grade_rank(p, grade) < core_grade_rank(p, current));
    else
        CHECK(core_grade_rank(p, grade) >= 0);
}

/* The condition as the rule of each grade of each preset: grading never lowers. */
static void
check_only_raises(const struct grade_condition *c, const struct grade_facts *f)
{
    bool holds = core_grade_condition_holds(c, f);

    for (const struct grade_preset *p = core_grade_presets; p->name != NULL; p++) {
        for (int level = 0; p->levels[level].code != NULL; level++) {
            struct grade_rule rule = { "fuzz", p->levels[level].code, *c, true };
            struct grade_result r;

            core_grade_evaluate(p, &rule, 1, f, &r);
            CHECK(r.n_fired == (holds ? 1u : 0u));
            if (holds)
                CHECK(core_grade_rank(p, r.grade) == level && strcmp(r.rule, "fuzz") == 0);
            else
                CHECK(r.rule == NULL && p->levels[core_grade_rank(p, r.grade) + 1].code == NULL);
            for (int from = -1; from == -1 || p->levels[from].code != NULL; from++) {
                const char *current = from < 0 ? NULL : p->levels[from].code;
                const char *grade = NULL, *code = NULL;

                check_raise(p, current,
                            core_grade_decide(p, &rule, 1, f, current, NULL, &grade, &code), grade);
                /* overridden, the rule raises nothing but a first grade */
                grade = NULL;
                if (core_grade_decide(p, &rule, 1, f, current, "x,fuzz", &grade, &code))
                    CHECK(code == NULL);
            }
        }
    }
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* exactly `size` bytes and a NUL, so ASan catches a read past the end */
    char *text = malloc(size + 1);
    struct grade_condition c;
    struct err e = { 0 };

    CHECK(text != NULL);
    memcpy(text, data, size);
    text[size] = '\0';
    memset(&c, 0x5A, sizeof(c));
    if (core_grade_condition_parse(text, &c, &e) == 0) {
        struct grade_facts f = facts_from(data, size);

        CHECK(e.code == ERR_OK);
        check_shape(&c);
        check_round_trip(&c);
        check_holds(&c, &f);
        check_only_raises(&c, &f);
    } else {
        CHECK(e.code == ERR_INVALID);
        CHECK(e.field != NULL && strcmp(e.field, "condition") == 0);
        CHECK(e.reason != NULL && known_reason(e.reason));
        CHECK(((unsigned char *)&c)[0] == 0x5A);
    }

    /* the other text-taking functions on the same bytes */
    (void)core_grade_rule_code_ok(text);
    (void)core_grade_fact_parse(text, strlen(text));

    free(text);
    return 0;
}
