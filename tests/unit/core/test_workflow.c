/*
 * core/workflow.c: every (action, status) pair against a table written
 * again here, from DOMAIN §6 and the header, as the list of what is
 * allowed; everything not listed must be refused.
 */
#include "testutil.h"

#include <stdio.h>

#include "core/complaint.h"
#include "core/workflow.h"

struct allowed {
    const char *action, *status, *next;
};

static const struct allowed allowed[] = {
    { "accept", "received", "registered" },

    { "assign", "registered", "in_progress" },
    { "assign", "in_progress", "in_progress" },     /* reassign (改派) */

    { "return", "in_progress", "registered" },

    { "invalidate", "received", "invalid" },
    { "invalidate", "registered", "invalid" },
    { "invalidate", "in_progress", "invalid" },

    { "resolve", "in_progress", "resolved" },
    { "close", "resolved", "closed" },
    { "dispute", "resolved", "in_progress" },
    { "follow_up", "closed", "followed_up" },

    { "reopen", "resolved", "in_progress" },
    { "reopen", "closed", "in_progress" },
    { "reopen", "followed_up", "in_progress" },

    { "archive", "followed_up", "archived" },
    { "archive", "invalid", "archived" },

    { "triage", "received", "received" },
    { "triage", "registered", "registered" },
    { "triage", "in_progress", "in_progress" },
    { "triage", "resolved", "resolved" },

    { "facts", "received", "received" },
    { "facts", "registered", "registered" },
    { "facts", "in_progress", "in_progress" },
    { "facts", "resolved", "resolved" },
    { "facts", "closed", "closed" },
    { "facts", "followed_up", "followed_up" },

    { "negotiate", "in_progress", "in_progress" },

    { "approve", "in_progress", "in_progress" },
    { "approve", "resolved", "resolved" },

    { "note", "received", "received" },
    { "note", "registered", "registered" },
    { "note", "in_progress", "in_progress" },
    { "note", "resolved", "resolved" },
    { "note", "closed", "closed" },
    { "note", "followed_up", "followed_up" },
    { "note", "invalid", "invalid" },

    { "case", "resolved", "resolved" },
    { "case", "closed", "closed" },
    { "case", "followed_up", "followed_up" },
    { "case", "archived", "archived" },
};

static const char *const action_list[] = {
    "accept", "assign", "return", "invalidate", "resolve", "close", "dispute", "follow_up",
    "reopen", "archive", "triage", "facts", "negotiate", "approve", "note", "case",
};

static const struct allowed *
expected(const char *action, const char *status)
{
    for (size_t i = 0; i < TEST_ARRAY_LEN(allowed); i++)
        if (strcmp(allowed[i].action, action) == 0 && strcmp(allowed[i].status, status) == 0)
            return &allowed[i];
    return NULL;
}

static void
test_every_pair(void **state)
{
    size_t checked = 0, permitted = 0;

    (void)state;
    assert_int_equal(TEST_ARRAY_LEN(action_list), WF_ACTION_COUNT);
    for (int a = 0; a < WF_ACTION_COUNT; a++) {
        for (int s = 0; s < WF_STATUS_COUNT; s++) {
            const char *action = core_wf_action_name((enum wf_action)a);
            const char *status = core_wf_status_name((enum wf_status)s);
            const struct allowed *want = expected(action, status);
            const char *next = "untouched";
            struct err e = { 0 };
            int rc = core_wf_next(status, (enum wf_action)a, &next, &e);

            if (want != NULL) {
                if (rc != 0)
                    fail_msg("%s in %s refused: %s", action, status, e.detail);
                assert_string_equal(next, want->next);
                assert_int_equal(e.code, ERR_OK);
                assert_true(core_wf_allowed((enum wf_status)s, (enum wf_action)a));
                permitted++;
            } else {
                char message[160];

                if (rc == 0)
                    fail_msg("%s in %s allowed (-> %s)", action, status, next);
                assert_int_equal(e.code, ERR_CONFLICT);
                assert_string_equal(e.field, "status");
                assert_string_equal(e.reason, "not_allowed");
                snprintf(message, sizeof(message), "cannot %s a complaint that is %s", action,
                         status);
                assert_string_equal(e.detail, message);
                assert_string_equal(next, "untouched");
                assert_false(core_wf_allowed((enum wf_status)s, (enum wf_action)a));
            }
            checked++;
        }
    }
    assert_int_equal(checked, (size_t)WF_ACTION_COUNT * WF_STATUS_COUNT);
    assert_int_equal(permitted, TEST_ARRAY_LEN(allowed));
}

static void
test_message_example(void **state)
{
    const char *next = NULL;
    struct err e = { 0 };

    (void)state;
    assert_int_equal(core_wf_next("registered", WF_RESOLVE, &next, &e), -1);
    assert_string_equal(e.detail, "cannot resolve a complaint that is registered");
}

static void
test_unknown_status(void **state)
{
    const char *bad[] = { "", "Received", "open", "in progress", "archived ", NULL };

    (void)state;
    for (size_t i = 0; i < TEST_ARRAY_LEN(bad); i++) {
        const char *next = "untouched";
        struct err e = { 0 };

        assert_int_equal(core_wf_next(bad[i], WF_NOTE, &next, &e), -1);
        assert_int_equal(e.code, ERR_INVALID);
        assert_string_equal(e.field, "status");
        assert_string_equal(e.reason, "unknown");
        assert_string_equal(next, "untouched");
        assert_int_equal(core_wf_status_parse(bad[i]), -1);
    }
}

static void
test_out_of_range_values(void **state)
{
    (void)state;
    assert_null(core_wf_status_name(WF_STATUS_COUNT));
    assert_null(core_wf_status_name((enum wf_status)-1));
    assert_null(core_wf_action_name(WF_ACTION_COUNT));
    assert_false(core_wf_allowed(WF_STATUS_COUNT, WF_NOTE));
    assert_false(core_wf_allowed(WF_RECEIVED, WF_ACTION_COUNT));
}

static void
test_names_round_trip(void **state)
{
    (void)state;
    /* the statuses are the registry's, in the same order */
    for (int s = 0; s < WF_STATUS_COUNT; s++) {
        assert_non_null(core_statuses[s]);
        assert_string_equal(core_wf_status_name((enum wf_status)s), core_statuses[s]);
        assert_int_equal(core_wf_status_parse(core_statuses[s]), s);
    }
    assert_null(core_statuses[WF_STATUS_COUNT]);
    for (int a = 0; a < WF_ACTION_COUNT; a++) {
        assert_string_equal(core_wf_action_name((enum wf_action)a), action_list[a]);
        assert_int_equal(core_wf_action_parse(action_list[a]), a);
    }
    assert_int_equal(core_wf_action_parse("Accept"), -1);
    assert_int_equal(core_wf_action_parse("followup"), -1);
    assert_int_equal(core_wf_action_parse(""), -1);
    assert_int_equal(core_wf_action_parse(NULL), -1);
}

static void
test_actions_lists(void **state)
{
    (void)state;
    for (int s = 0; s < WF_STATUS_COUNT; s++) {
        const char *status = core_wf_status_name((enum wf_status)s);
        enum wf_action out[WF_ACTION_COUNT + 1];
        size_t n = core_wf_actions(status, out, TEST_ARRAY_LEN(out)), j = 0;

        for (int a = 0; a < WF_ACTION_COUNT; a++) {
            if (expected(action_list[a], status) == NULL)
                continue;
            if (j >= n)
                fail_msg("%s: action %s missing from the list", status, action_list[a]);
            assert_int_equal(out[j], a);    /* in enum order */
            j++;
        }
        assert_int_equal(n, j);
    }
}

static void
test_actions_examples_and_limits(void **state)
{
    enum wf_action out[WF_ACTION_COUNT];
    size_t n;

    (void)state;
    n = core_wf_actions("archived", out, TEST_ARRAY_LEN(out));
    assert_int_equal(n, 1);
    assert_int_equal(out[0], WF_CASE);

    n = core_wf_actions("received", out, TEST_ARRAY_LEN(out));
    assert_int_equal(n, 5);
    assert_int_equal(out[0], WF_ACCEPT);
    assert_int_equal(out[1], WF_INVALIDATE);
    assert_int_equal(out[2], WF_TRIAGE);
    assert_int_equal(out[3], WF_FACTS);
    assert_int_equal(out[4], WF_NOTE);

    /* at most max, the first ones */
    n = core_wf_actions("in_progress", out, 2);
    assert_int_equal(n, 2);
    assert_int_equal(out[0], WF_ASSIGN);
    assert_int_equal(out[1], WF_RETURN);
    assert_int_equal(core_wf_actions("in_progress", out, 0), 0);
    assert_int_equal(core_wf_actions("nonsense", out, TEST_ARRAY_LEN(out)), 0);
}

static void
test_is_open(void **state)
{
    (void)state;
    assert_true(core_wf_is_open("received"));
    assert_true(core_wf_is_open("registered"));
    assert_true(core_wf_is_open("in_progress"));
    assert_false(core_wf_is_open("resolved"));
    assert_false(core_wf_is_open("closed"));
    assert_false(core_wf_is_open("followed_up"));
    assert_false(core_wf_is_open("archived"));
    assert_false(core_wf_is_open("invalid"));
    assert_false(core_wf_is_open("open"));
    assert_false(core_wf_is_open(""));
}

/* A whole life, and a dispute and a reopening on the way, through core_wf_next only. */
static void
test_a_life(void **state)
{
    static const enum wf_action steps[] = {
        WF_ACCEPT, WF_ASSIGN, WF_ASSIGN, WF_RETURN, WF_ASSIGN, WF_RESOLVE, WF_DISPUTE,
        WF_RESOLVE, WF_CLOSE, WF_FOLLOW_UP, WF_REOPEN, WF_RESOLVE, WF_CLOSE, WF_FOLLOW_UP,
        WF_ARCHIVE, WF_CASE,
    };
    static const char *const after[] = {
        "registered", "in_progress", "in_progress", "registered", "in_progress", "resolved",
        "in_progress", "resolved", "closed", "followed_up", "in_progress", "resolved",
        "closed", "followed_up", "archived", "archived",
    };
    const char *status = "received";

    (void)state;
    for (size_t i = 0; i < TEST_ARRAY_LEN(steps); i++) {
        struct err e = { 0 };

        assert_int_equal(core_wf_next(status, steps[i], &status, &e), 0);
        assert_string_equal(status, after[i]);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_pair),
        cmocka_unit_test(test_message_example),
        cmocka_unit_test(test_unknown_status),
        cmocka_unit_test(test_out_of_range_values),
        cmocka_unit_test(test_names_round_trip),
        cmocka_unit_test(test_actions_lists),
        cmocka_unit_test(test_actions_examples_and_limits),
        cmocka_unit_test(test_is_open),
        cmocka_unit_test(test_a_life),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
