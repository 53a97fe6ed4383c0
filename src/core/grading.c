/*
 * Grading rules (DOMAIN §4): the condition language, rule evaluation, and
 * the "automatic grading only raises" decision. The presets themselves are
 * data in grading_presets.c.
 */
#include "core/grading.h"

#include <stdio.h>
#include <string.h>

#define VALUE_MAX 1000000000000LL       /* 10^12: above any loss in yuan or any count */
#define SECONDS_PER_DAY 86400

static const char *const fact_names[GF_COUNT] = {
    [GF_HEADCOUNT] = "headcount",
    [GF_RAISED] = "raised",
    [GF_LOSS] = "loss",
    [GF_INJURY] = "injury",
    [GF_MEDIA] = "media",
    [GF_LAWSUIT] = "lawsuit",
    [GF_THREAT_MEDIA] = "threat_media",
    [GF_THREAT_LAWSUIT] = "threat_lawsuit",
    [GF_VIP] = "vip",
    [GF_UNRESOLVED_DAYS] = "unresolved_days",
    [GF_REOPENINGS] = "reopenings",
    [GF_SIMILAR] = "similar_complainants",
    [GF_VALID] = "valid",
    [GF_COMPLAINT] = "complaint",
    [GF_REPAIR] = "repair",
    [GF_OVERDUE] = "overdue",
    [GF_OVERDUE_DAYS] = "overdue_days",
    [GF_COMPENSATION] = "compensation",
    [GF_TOP] = "top",
};

/* Indexed by enum grade_op; the longer operators are tried first when parsing. */
static const char *const op_texts[] = {
    [GOP_GE] = ">=", [GOP_GT] = ">", [GOP_LE] = "<=", [GOP_LT] = "<", [GOP_EQ] = "=",
};
static const enum grade_op ops_longest_first[] = { GOP_GE, GOP_LE, GOP_GT, GOP_LT, GOP_EQ };

const char *
core_grade_fact_name(enum grade_fact f)
{
    return (unsigned)f < GF_COUNT ? fact_names[f] : NULL;
}

int
core_grade_fact_parse(const char *name, size_t len)
{
    for (int f = 0; name != NULL && f < GF_COUNT; f++)
        if (strlen(fact_names[f]) == len && memcmp(fact_names[f], name, len) == 0)
            return f;
    return -1;
}

/* ---- the condition parser ---- */

static bool
is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static bool
is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool
is_word_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) || c == '_';
}

static char
lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* The parser's position in the text; `pos` is a byte offset, for messages. */
struct cursor {
    const char *s;
    size_t pos;
};

static void
skip_spaces(struct cursor *c)
{
    while (is_space(c->s[c->pos]))
        c->pos++;
}

static size_t
word_length(const struct cursor *c)
{
    size_t n = 0;

    while (is_word_char(c->s[c->pos + n]))
        n++;
    return n;
}

/* The detail's form is read back by i18n_condition_message() (util/i18n.c): keep them in step. */
static int
syntax_error(const struct cursor *c, const char *expected, struct err *e)
{
    return err_set(e, ERR_INVALID, "condition", "bad_syntax", "at byte %zu: expected %s", c->pos,
                   expected);
}

static int
parse_fact(struct cursor *c, enum grade_fact *out, struct err *e)
{
    size_t len = word_length(c);
    int f;

    if (len == 0)
        return syntax_error(c, "a fact such as headcount", e);
    f = core_grade_fact_parse(c->s + c->pos, len);
    if (f < 0)
        return err_set(e, ERR_INVALID, "condition", "unknown", "unknown fact \"%.*s\"",
                       len > 40 ? 40 : (int)len, c->s + c->pos);
    c->pos += len;
    *out = (enum grade_fact)f;
    return 0;
}

static int
parse_op(struct cursor *c, enum grade_op *out, struct err *e)
{
    for (size_t i = 0; i < sizeof(ops_longest_first) / sizeof(ops_longest_first[0]); i++) {
        const char *t = op_texts[ops_longest_first[i]];
        size_t len = strlen(t);

        if (strncmp(c->s + c->pos, t, len) == 0) {
            c->pos += len;
            *out = ops_longest_first[i];
            return 0;
        }
    }
    return syntax_error(c, "one of >= > <= < =", e);
}

/* A whole number without sign; digits run on past 10^12 only to report out_of_range. */
static int
parse_value(struct cursor *c, int64_t *out, struct err *e)
{
    int64_t v = 0;
    bool too_big = false;

    if (!is_digit(c->s[c->pos]))
        return syntax_error(c, "a whole number", e);
    for (; is_digit(c->s[c->pos]); c->pos++) {
        if (!too_big)
            v = v * 10 + (c->s[c->pos] - '0');
        if (v > VALUE_MAX)
            too_big = true;
    }
    if (is_word_char(c->s[c->pos]))
        return syntax_error(c, "a space after the number", e);
    if (too_big)
        return err_set(e, ERR_INVALID, "condition", "out_of_range",
                       "a value is above 1000000000000");
    *out = v;
    return 0;
}

static int
parse_comparison(struct cursor *c, struct grade_cond *out, struct err *e)
{
    skip_spaces(c);
    if (parse_fact(c, &out->fact, e) < 0)
        return -1;
    skip_spaces(c);
    if (parse_op(c, &out->op, e) < 0)
        return -1;
    skip_spaces(c);
    if (parse_value(c, &out->value, e) < 0)
        return -1;
    if (out->fact == GF_SIMILAR && out->value > CORE_GRADE_SIMILAR_MAX)
        return err_set(e, ERR_INVALID, "condition", "out_of_range",
                       "similar_complainants is counted up to %d", CORE_GRADE_SIMILAR_MAX);
    return 0;
}

/* "and" in any case, as a whole word. */
static bool
take_and(struct cursor *c)
{
    const char *p = c->s + c->pos;

    if (word_length(c) != 3 || lower(p[0]) != 'a' || lower(p[1]) != 'n' || lower(p[2]) != 'd')
        return false;
    c->pos += 3;
    return true;
}

static bool
blank(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (!is_space(s[i]))
            return false;
    return true;
}

int
core_grade_condition_parse(const char *text, struct grade_condition *out, struct err *e)
{
    struct grade_condition parsed;
    struct cursor c = { text, 0 };
    size_t len = text == NULL ? 0 : strnlen(text, CORE_GRADE_COND_TEXT_MAX + 1);

    if (len > CORE_GRADE_COND_TEXT_MAX)
        return err_set(e, ERR_INVALID, "condition", "too_long", "condition longer than %d bytes",
                       CORE_GRADE_COND_TEXT_MAX);
    if (blank(text, len))
        return err_set(e, ERR_INVALID, "condition", "empty", "condition is empty");
    memset(&parsed, 0, sizeof(parsed));
    for (;;) {
        if (parse_comparison(&c, &parsed.c[parsed.n], e) < 0)
            return -1;
        parsed.n++;
        skip_spaces(&c);
        if (text[c.pos] == '\0')
            break;
        if (!take_and(&c))
            return syntax_error(&c, "\"and\" or the end", e);
        if (parsed.n == CORE_GRADE_CONDS_MAX)
            return err_set(e, ERR_INVALID, "condition", "too_many",
                           "more than %d comparisons", CORE_GRADE_CONDS_MAX);
    }
    *out = parsed;
    return 0;
}

void
core_grade_condition_format(const struct grade_condition *c, char *buf, size_t size)
{
    size_t used = 0;

    if (size == 0)
        return;
    buf[0] = '\0';
    for (size_t i = 0; i < c->n && i < CORE_GRADE_CONDS_MAX; i++) {
        const struct grade_cond *k = &c->c[i];
        const char *fact = core_grade_fact_name(k->fact);
        const char *op = (unsigned)k->op <= GOP_EQ ? op_texts[k->op] : "?";
        int n = snprintf(buf + used, size - used, "%s%s %s %lld", i > 0 ? " and " : "",
                         fact != NULL ? fact : "?", op, (long long)k->value);

        if (n < 0 || (size_t)n >= size - used)
            return;                     /* truncated, still NUL-terminated */
        used += (size_t)n;
    }
}

static bool
comparison_holds(const struct grade_cond *k, const struct grade_facts *f)
{
    int64_t v = (unsigned)k->fact < GF_COUNT ? f->v[k->fact] : 0;

    switch (k->op) {
    case GOP_GE: return v >= k->value;
    case GOP_GT: return v > k->value;
    case GOP_LE: return v <= k->value;
    case GOP_LT: return v < k->value;
    case GOP_EQ: return v == k->value;
    }
    return false;
}

bool
core_grade_condition_holds(const struct grade_condition *c, const struct grade_facts *f)
{
    /* an empty condition never parses; holding vacuously would grade everything */
    if (c->n == 0)
        return false;
    for (size_t i = 0; i < c->n && i < CORE_GRADE_CONDS_MAX; i++)
        if (!comparison_holds(&c->c[i], f))
            return false;
    return true;
}

bool
core_grade_rule_code_ok(const char *code)
{
    size_t n = code == NULL ? 0 : strnlen(code, CORE_GRADE_RULE_CODE_MAX + 1);

    if (n == 0 || n > CORE_GRADE_RULE_CODE_MAX)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!is_word_char(code[i]) && code[i] != '-')
            return false;
    return true;
}

/* ---- grades and rules ---- */

int
core_grade_rank(const struct grade_preset *p, const char *grade)
{
    for (int i = 0; grade != NULL && p->levels[i].code != NULL; i++)
        if (strcmp(p->levels[i].code, grade) == 0)
            return i;
    return -1;
}

static int
level_count(const struct grade_preset *p)
{
    int n = 0;

    while (p->levels[n].code != NULL)
        n++;
    return n;
}

/* Is `code` one of the comma-separated `list` (spaces around codes tolerated)? */
static bool
in_code_list(const char *list, const char *code)
{
    size_t len = strlen(code);

    for (const char *p = list; p != NULL && *p != '\0';) {
        const char *end = strchr(p, ',');
        const char *stop = end != NULL ? end : p + strlen(p);

        while (p < stop && is_space(*p))
            p++;
        while (stop > p && is_space(stop[-1]))
            stop--;
        if ((size_t)(stop - p) == len && memcmp(p, code, len) == 0)
            return true;
        p = end != NULL ? end + 1 : NULL;
    }
    return false;
}

/* core_grade_evaluate, leaving out the rules named in `ignored` (NULL: none). */
static void
evaluate_except(const struct grade_preset *p, const struct grade_rule *rules, size_t n_rules,
                const struct grade_facts *f, const char *ignored, struct grade_result *out)
{
    int levels = level_count(p);
    int best = levels;                  /* no rule yet */

    memset(out, 0, sizeof(*out));
    for (size_t i = 0; i < n_rules; i++) {
        const struct grade_rule *r = &rules[i];
        int rank = core_grade_rank(p, r->grade);

        if (!r->enabled || rank < 0 || !core_grade_condition_holds(&r->cond, f))
            continue;
        if (r->code != NULL && in_code_list(ignored, r->code))
            continue;
        if (out->n_fired < CORE_GRADE_FIRED_MAX)
            out->fired[out->n_fired++] = r->code;
        if (rank < best) {              /* strictly: the first rule of a grade names it */
            best = rank;
            out->grade = p->levels[rank].code;
            out->rule = r->code;
        }
    }
    if (best == levels && levels > 0)
        out->grade = p->levels[levels - 1].code;
}

void
core_grade_evaluate(const struct grade_preset *p, const struct grade_rule *rules,
                    size_t n_rules, const struct grade_facts *f, struct grade_result *out)
{
    evaluate_except(p, rules, n_rules, f, NULL, out);
}

/* A grade not in the preset ranks below the lowest, so any grade of the preset replaces it. */
static int
rank_or_below_lowest(const struct grade_preset *p, const char *grade)
{
    int rank = core_grade_rank(p, grade);

    return rank >= 0 ? rank : level_count(p);
}

bool
core_grade_decide(const struct grade_preset *p, const struct grade_rule *rules,
                  size_t n_rules, const struct grade_facts *f, const char *current,
                  const char *overridden, const char **grade, const char **rule)
{
    struct grade_result r;

    evaluate_except(p, rules, n_rules, f, overridden, &r);
    if (r.grade == NULL)
        return false;                   /* a preset without levels */
    if (current != NULL && core_grade_rank(p, r.grade) >= rank_or_below_lowest(p, current))
        return false;
    *grade = r.grade;
    *rule = r.rule;
    return true;
}

int
core_grade_manual_check(const struct grade_preset *p, const char *current,
                        const char *wanted, const char *reason, struct err *e)
{
    int to = core_grade_rank(p, wanted);
    bool lowering;

    if (to < 0)
        return err_set(e, ERR_INVALID, "grade", "unknown", "not a grade of preset %s", p->name);
    lowering = current != NULL && to > rank_or_below_lowest(p, current);
    if (lowering && (reason == NULL || blank(reason, strlen(reason))))
        return err_set(e, ERR_INVALID, "reason", "required", "lowering a grade needs a reason");
    return lowering ? 1 : 0;
}

int64_t
core_grade_unresolved_days(int64_t received_at, int64_t now, bool open)
{
    if (!open || received_at >= now)
        return 0;
    /* unsigned: the difference of two extreme times does not fit in int64_t */
    return (int64_t)(((uint64_t)now - (uint64_t)received_at) / SECONDS_PER_DAY);
}
