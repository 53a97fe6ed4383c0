/*
 * core/followup.c: the value sets, the approval threshold, the checks on
 * closing and on a follow-up's outcome, who makes the call, and the
 * monthly sampling list (exact size, order-independence, months differ,
 * earlier picks stay).
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>

#include "core/followup.h"

#define NUMBERS_MAX 20000
#define NUMBER_LEN 24

static char number_text[NUMBERS_MAX][NUMBER_LEN];

/* "KS-2026-000001"...: n numbers as the registry writes them */
static void
make_numbers(const char **numbers, size_t n, size_t first)
{
    assert_true(first + n <= NUMBERS_MAX);
    for (size_t i = 0; i < n; i++) {
        snprintf(number_text[first + i], NUMBER_LEN, "KS-2026-%06zu", first + i + 1);
        numbers[i] = number_text[first + i];
    }
}

/* A fixed shuffle (a small LCG), so a failure reproduces. */
static void
shuffle(const char **numbers, size_t n, uint64_t seed)
{
    for (size_t i = n; i > 1; i--) {
        size_t j;
        const char *t;

        seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
        j = (size_t)((seed >> 33) % i);
        t = numbers[i - 1];
        numbers[i - 1] = numbers[j];
        numbers[j] = t;
    }
}

static size_t
count_true(const bool *b, size_t n)
{
    size_t c = 0;

    for (size_t i = 0; i < n; i++)
        c += b[i];
    return c;
}

static bool
picked_number(const char **numbers, const bool *picked, size_t n, const char *number)
{
    for (size_t i = 0; i < n; i++)
        if (picked[i] && strcmp(numbers[i], number) == 0)
            return true;
    return false;
}

static void
assert_error(const struct err *e, enum err_code code, const char *field, const char *reason)
{
    assert_int_equal(e->code, code);
    assert_string_equal(e->field, field);
    assert_string_equal(e->reason, reason);
}

/* ---- value sets ---- */

static void
assert_set(const char *const *set, const char *const *want, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        assert_non_null(set[i]);
        assert_string_equal(set[i], want[i]);
        assert_true(core_in_set(set, want[i]));
    }
    assert_null(set[n]);
}

static void
test_value_sets(void **state)
{
    static const char *const types[] = {
        "refund", "replacement", "reservice", "apology", "fee_waiver", "cash", "other",
    };
    static const char *const responses[] = { "agreed", "not_reachable" };
    static const char *const methods[] = { "phone", "sms", "visit", "wechat", "email", "letter" };
    static const char *const outcomes[] = { "reached", "not_reached", "refused" };
    static const char *const satisfactions[] = { "satisfied", "fair", "dissatisfied" };
    static const char *const sources[] = { "second_complaint", "followup", "customer" };

    (void)state;
    assert_set(core_compensation_types, types, TEST_ARRAY_LEN(types));
    assert_set(core_close_responses, responses, TEST_ARRAY_LEN(responses));
    assert_set(core_contact_methods, methods, TEST_ARRAY_LEN(methods));
    assert_set(core_followup_outcomes, outcomes, TEST_ARRAY_LEN(outcomes));
    assert_set(core_satisfactions, satisfactions, TEST_ARRAY_LEN(satisfactions));
    assert_set(core_reopen_sources, sources, TEST_ARRAY_LEN(sources));

    assert_false(core_in_set(core_satisfactions, NULL));
    assert_false(core_in_set(core_satisfactions, ""));
    assert_false(core_in_set(core_satisfactions, "Satisfied"));
    assert_false(core_in_set(core_satisfactions, "satisfied "));
}

static void
test_compensation_threshold(void **state)
{
    (void)state;
    assert_false(core_compensation_needs_approval(100000, 100000));     /* 1000.00 yuan */
    assert_true(core_compensation_needs_approval(100001, 100000));
    assert_false(core_compensation_needs_approval(0, 100000));
    assert_false(core_compensation_needs_approval(0, 0));
    assert_true(core_compensation_needs_approval(1, 0));                /* every one */
    assert_false(core_compensation_needs_approval(INT64_MAX, -1));      /* never */
    assert_false(core_compensation_needs_approval(1, INT64_MIN));
}

/* ---- closing ---- */

static void
test_close_check(void **state)
{
    struct err e = { 0 };

    (void)state;
    assert_int_equal(core_close_check("更换了水管", "agreed", 0, &e), 0);
    assert_int_equal(core_close_check("更换了水管", "not_reachable", 1, &e), 0);
    assert_int_equal(core_close_check("更换了水管", "not_reachable", CORE_ATTEMPTS_MAX, &e), 0);
    assert_int_equal(core_close_check("更换了水管", "agreed", 3, &e), 0);
    assert_int_equal(e.code, ERR_OK);

    /* no result recorded: a conflict with the complaint's state */
    assert_int_equal(core_close_check(NULL, "agreed", 0, &e), -1);
    assert_error(&e, ERR_CONFLICT, "result", "required");
    err_clear(&e);
    assert_int_equal(core_close_check("", "agreed", 0, &e), -1);
    assert_error(&e, ERR_CONFLICT, "result", "required");
    err_clear(&e);

    assert_int_equal(core_close_check("done", "not_reachable", 0, &e), -1);
    assert_error(&e, ERR_INVALID, "attempts", "required");
    err_clear(&e);
    assert_int_equal(core_close_check("done", "agreed", CORE_ATTEMPTS_MAX + 1, &e), -1);
    assert_error(&e, ERR_INVALID, "attempts", "out_of_range");
    err_clear(&e);

    assert_int_equal(core_close_check("done", "disagreed", 0, &e), -1);
    assert_error(&e, ERR_INVALID, "response", "unknown");
    err_clear(&e);
    assert_int_equal(core_close_check("done", NULL, 0, &e), -1);
    assert_error(&e, ERR_INVALID, "response", "required");
    err_clear(&e);
    assert_int_equal(core_close_check("done", "", 0, &e), -1);
    assert_error(&e, ERR_INVALID, "response", "required");
    err_clear(&e);

    /* the request's own mistakes are named before the complaint's state */
    assert_int_equal(core_close_check(NULL, "maybe", 0, &e), -1);
    assert_error(&e, ERR_INVALID, "response", "unknown");
    err_clear(&e);
    assert_int_equal(core_close_check(NULL, "not_reachable", 0, &e), -1);
    assert_error(&e, ERR_INVALID, "attempts", "required");
}

/* ---- follow-up ---- */

static void
test_followup_check_accepts(void **state)
{
    struct err e = { 0 };

    (void)state;
    assert_int_equal(core_followup_check("reached", "satisfied", false, 0, 1, &e), 0);
    assert_int_equal(core_followup_check("reached", "fair", true, 1, 0, &e), 0);
    assert_int_equal(core_followup_check("reached", "dissatisfied", true, 5, 2, &e), 0);
    assert_int_equal(core_followup_check("not_reached", NULL, false, 0, 1, &e), 0);
    assert_int_equal(core_followup_check("not_reached", NULL, false, 0, CORE_ATTEMPTS_MAX, &e), 0);
    assert_int_equal(core_followup_check("refused", NULL, false, 0, 0, &e), 0);
    assert_int_equal(core_followup_check("refused", NULL, false, 99, 0, &e), 0);  /* not given */
    assert_int_equal(e.code, ERR_OK);
}

static void
test_followup_check_refuses(void **state)
{
    static const struct {
        const char *outcome, *satisfaction;
        bool score_given;
        int score;
        size_t attempts;
        const char *field, *reason;
    } cases[] = {
        { NULL, "satisfied", false, 0, 1, "outcome", "required" },
        { "", "satisfied", false, 0, 1, "outcome", "required" },
        { "answered", "satisfied", false, 0, 1, "outcome", "unknown" },
        { "Reached", "satisfied", false, 0, 1, "outcome", "unknown" },
        { "reached", NULL, false, 0, 1, "satisfaction", "required" },
        { "reached", "happy", false, 0, 1, "satisfaction", "unknown" },
        { "reached", "", false, 0, 1, "satisfaction", "unknown" },
        { "refused", "happy", false, 0, 0, "satisfaction", "unknown" },
        { "not_reached", NULL, false, 0, 0, "attempts", "required" },
        { "reached", "fair", false, 0, CORE_ATTEMPTS_MAX + 1, "attempts", "out_of_range" },
        { "reached", "fair", true, 0, 1, "score", "out_of_range" },
        { "reached", "fair", true, 6, 1, "score", "out_of_range" },
        { "reached", "fair", true, -1, 1, "score", "out_of_range" },
        { "refused", NULL, true, 0, 0, "score", "out_of_range" },
    };

    (void)state;
    for (size_t i = 0; i < TEST_ARRAY_LEN(cases); i++) {
        struct err e = { 0 };

        if (core_followup_check(cases[i].outcome, cases[i].satisfaction, cases[i].score_given,
                                cases[i].score, cases[i].attempts, &e) != -1)
            fail_msg("case %zu accepted", i);
        if (strcmp(e.field, cases[i].field) != 0 || strcmp(e.reason, cases[i].reason) != 0)
            fail_msg("case %zu: %s %s, want %s %s", i, e.field, e.reason, cases[i].field,
                     cases[i].reason);
        assert_int_equal(e.code, ERR_INVALID);
    }
}

static void
test_offers_reopen(void **state)
{
    (void)state;
    assert_true(core_followup_offers_reopen("reached", "dissatisfied"));
    assert_false(core_followup_offers_reopen("reached", "fair"));
    assert_false(core_followup_offers_reopen("reached", "satisfied"));
    assert_false(core_followup_offers_reopen("not_reached", "dissatisfied"));
    assert_false(core_followup_offers_reopen("refused", "dissatisfied"));
    assert_false(core_followup_offers_reopen(NULL, "dissatisfied"));
    assert_false(core_followup_offers_reopen("reached", NULL));
}

/* ---- who calls back ---- */

static void
test_assignee(void **state)
{
    const struct followup_candidate staff[] = {
        { "wang", 2 }, { "zhao", 1 }, { "li", 1 }, { "chen", 0 }, { "sun", 4 },
    };

    (void)state;
    /* the fewest open follow-ups; never the handler */
    assert_string_equal(core_followup_assignee(staff, 5, NULL), "chen");
    assert_string_equal(core_followup_assignee(staff, 5, "chen"), "li");   /* li < zhao */
    assert_string_equal(core_followup_assignee(staff, 5, "li"), "chen");
    assert_string_equal(core_followup_assignee(staff, 3, "li"), "zhao");
    assert_string_equal(core_followup_assignee(staff, 1, "zhao"), "wang");
    assert_string_equal(core_followup_assignee(staff + 4, 1, "nobody"), "sun");
    /* nobody left */
    assert_null(core_followup_assignee(staff, 1, "wang"));
    assert_null(core_followup_assignee(staff, 0, NULL));

    /* ties by login whatever the order */
    {
        const struct followup_candidate tied[] = { { "zz", 3 }, { "ab", 3 }, { "b", 3 } };
        assert_string_equal(core_followup_assignee(tied, 3, NULL), "ab");
        assert_string_equal(core_followup_assignee(tied, 3, "ab"), "b");
    }
}

/* ---- the sampling list ---- */

static void
test_sample_key(void **state)
{
    size_t high = 0;
    const char *numbers[10000];

    (void)state;
    assert_true(core_sample_key("2026-10", "KS-2026-000001") ==
                core_sample_key("2026-10", "KS-2026-000001"));
    assert_true(core_sample_key("2026-10", "KS-2026-000001") !=
                core_sample_key("2026-11", "KS-2026-000001"));
    assert_true(core_sample_key("2026-10", "KS-2026-000001") !=
                core_sample_key("2026-10", "KS-2026-000002"));
    /* the separator keeps month and number apart */
    assert_true(core_sample_key("2026-1", "0KS") != core_sample_key("2026-10", "KS"));
    assert_true(core_sample_key("", "") != 0);

    /* well mixed: the top bit of consecutive numbers is a fair coin */
    make_numbers(numbers, TEST_ARRAY_LEN(numbers), 0);
    for (size_t i = 0; i < TEST_ARRAY_LEN(numbers); i++)
        high += core_sample_key("2026-10", numbers[i]) >> 63;
    assert_in_range(high, 4700, 5300);
}

static void
test_sample_exact_size(void **state)
{
    static const struct {
        size_t n;
        int percent;
        size_t k;
    } cases[] = {
        { 0, 20, 0 }, { 1, 20, 1 }, { 4, 20, 1 }, { 5, 20, 1 }, { 6, 20, 2 }, { 10, 20, 2 },
        { 11, 20, 3 }, { 101, 20, 21 }, { 1000, 20, 200 }, { 7, 0, 0 }, { 7, 100, 7 },
        { 7, 50, 4 }, { 3, 1, 1 }, { 1000, 0, 0 }, { 1000, 100, 1000 }, { 10, -5, 0 },
        { 10, 150, 10 },
    };
    const char *numbers[1000];
    bool picked[1000];

    (void)state;
    for (size_t i = 0; i < TEST_ARRAY_LEN(cases); i++) {
        size_t n = cases[i].n, got;

        make_numbers(numbers, n, 0);
        memset(picked, 0x5A, sizeof(picked));
        got = core_sample_pick("2026-10", numbers, n, cases[i].percent, picked);
        if (got != cases[i].k || count_true(picked, n) != cases[i].k)
            fail_msg("n=%zu %d%%: picked %zu (%zu marked), want %zu", n, cases[i].percent, got,
                     count_true(picked, n), cases[i].k);
        for (size_t j = 0; j < n; j++)
            assert_true(picked[j] == true || picked[j] == false);
    }
}

static int
by_key(const void *a, const void *b)
{
    uint64_t ka = core_sample_key("2026-10", *(const char *const *)a);
    uint64_t kb = core_sample_key("2026-10", *(const char *const *)b);

    return ka < kb ? -1 : ka > kb;
}

/* The pick is exactly the k smallest keys (checked against a sort). */
static void
test_sample_is_the_smallest_keys(void **state)
{
    static const char *numbers[NUMBERS_MAX], *sorted[NUMBERS_MAX];
    static bool picked[NUMBERS_MAX];
    size_t n = NUMBERS_MAX, k;

    (void)state;
    make_numbers(numbers, n, 0);
    memcpy(sorted, numbers, sizeof(numbers));
    qsort(sorted, n, sizeof(sorted[0]), by_key);
    k = core_sample_pick("2026-10", numbers, n, 20, picked);
    assert_int_equal(k, n / 5);
    for (size_t i = 0; i < n; i++) {
        uint64_t key = core_sample_key("2026-10", numbers[i]);
        bool small = key <= core_sample_key("2026-10", sorted[k - 1]);

        assert_int_equal(picked[i], small);
    }
}

static void
test_sample_ignores_order(void **state)
{
    const char *numbers[1000], *shuffled[1000];
    bool picked[1000], picked2[1000];
    size_t n = TEST_ARRAY_LEN(numbers);

    (void)state;
    make_numbers(numbers, n, 0);
    memcpy(shuffled, numbers, sizeof(numbers));
    assert_int_equal(core_sample_pick("2026-10", numbers, n, 20, picked), 200);
    for (uint64_t seed = 1; seed <= 5; seed++) {
        shuffle(shuffled, n, seed);
        assert_int_equal(core_sample_pick("2026-10", shuffled, n, 20, picked2), 200);
        for (size_t i = 0; i < n; i++)
            assert_int_equal(picked2[i], picked_number(numbers, picked, n, shuffled[i]));
    }
}

static void
test_sample_months_differ(void **state)
{
    const char *numbers[1000];
    bool october[1000], november[1000];
    size_t n = TEST_ARRAY_LEN(numbers), both = 0;

    (void)state;
    make_numbers(numbers, n, 0);
    core_sample_pick("2026-10", numbers, n, 20, october);
    core_sample_pick("2026-11", numbers, n, 20, november);
    for (size_t i = 0; i < n; i++)
        both += october[i] && november[i];
    /* independent picks of 200 share about 40 */
    assert_in_range(both, 1, 100);
}

/* A month's list as complaints keep closing: earlier picks mostly stay. */
static void
test_sample_is_stable_as_the_month_grows(void **state)
{
    const char *numbers[1000];
    bool half[1000], full[1000];
    size_t kept = 0;

    (void)state;
    make_numbers(numbers, TEST_ARRAY_LEN(numbers), 0);
    assert_int_equal(core_sample_pick("2026-10", numbers, 500, 20, half), 100);
    assert_int_equal(core_sample_pick("2026-10", numbers, 1000, 20, full), 200);
    for (size_t i = 0; i < 500; i++)
        kept += half[i] && full[i];
    assert_in_range(kept, 80, 100);

    /* a larger share of the same numbers keeps every earlier pick */
    assert_int_equal(core_sample_pick("2026-10", numbers, 500, 40, full), 200);
    for (size_t i = 0; i < 500; i++)
        if (half[i])
            assert_true(full[i]);
}

/* A number listed twice is one key: ties are broken the same whatever the order. */
static void
test_sample_duplicates(void **state)
{
    const char *a[] = { "X", "Y", "X", "Z", "X", "Y" };
    const char *b[] = { "Y", "X", "Z", "X", "Y", "X" };
    bool pa[6], pb[6];
    size_t xa = 0, xb = 0, ya = 0, yb = 0;

    (void)state;
    for (int percent = 0; percent <= 100; percent += 10) {
        size_t k = core_sample_pick("2026-10", a, 6, percent, pa);

        assert_int_equal(core_sample_pick("2026-10", b, 6, percent, pb), k);
        assert_int_equal(count_true(pa, 6), k);
        assert_int_equal(count_true(pb, 6), k);
        xa = xb = ya = yb = 0;
        for (size_t i = 0; i < 6; i++) {
            xa += pa[i] && strcmp(a[i], "X") == 0;
            xb += pb[i] && strcmp(b[i], "X") == 0;
            ya += pa[i] && strcmp(a[i], "Y") == 0;
            yb += pb[i] && strcmp(b[i], "Y") == 0;
        }
        assert_int_equal(xa, xb);
        assert_int_equal(ya, yb);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_value_sets),
        cmocka_unit_test(test_compensation_threshold),
        cmocka_unit_test(test_close_check),
        cmocka_unit_test(test_followup_check_accepts),
        cmocka_unit_test(test_followup_check_refuses),
        cmocka_unit_test(test_offers_reopen),
        cmocka_unit_test(test_assignee),
        cmocka_unit_test(test_sample_key),
        cmocka_unit_test(test_sample_exact_size),
        cmocka_unit_test(test_sample_is_the_smallest_keys),
        cmocka_unit_test(test_sample_ignores_order),
        cmocka_unit_test(test_sample_months_differ),
        cmocka_unit_test(test_sample_is_stable_as_the_month_grows),
        cmocka_unit_test(test_sample_duplicates),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
