/* core/clock.c and core/escalation.c: limits, due times on the calendar, pauses, states. */
#include "testutil.h"

#include "core/calendar.h"
#include "core/clock.h"
#include "core/escalation.h"
#include "util/ts.h"

#define TZ 480
#define H 3600
#define D 86400

/* A local time in +08:00. */
static int64_t
at(int y, int mo, int d, int h, int mi)
{
    struct ts_civil c = { .year = y, .month = mo, .day = d, .hour = h, .minute = mi };

    return ts_from_civil(&c, TZ);
}

/* The calendar kesu ships: the official 2025-2026 schedule. */
static void
china(struct calendar *c)
{
    cal_init_default(c, TZ);
    c->days = cal_cn_default;
    c->n_days = cal_cn_default_count;
}

static const struct clock_limit HOURS24 = { 24, CU_HOURS, 80, true };
static const struct clock_limit DAYS2 = { 2, CU_DAYS, 80, true };
static const struct clock_limit WD20 = { 20, CU_WORKING_DAYS, 80, true };
static const struct clock_limit WD1 = { 1, CU_WORKING_DAYS, 80, true };
static const struct clock_limit WH4 = { 4, CU_WORKING_HOURS, 50, true };

static void
test_names(void **state)
{
    (void)state;
    for (int k = 0; k < CK_COUNT; k++) {
        assert_non_null(core_clock_name((enum clock_kind)k));
        assert_int_equal(core_clock_parse(core_clock_name((enum clock_kind)k)), k);
        assert_non_null(core_clock_label((enum clock_kind)k, true));
        assert_string_not_equal(core_clock_label((enum clock_kind)k, true),
                                core_clock_label((enum clock_kind)k, false));
    }
    assert_int_equal(core_clock_parse("resolve"), CK_RESOLVE);
    assert_int_equal(core_clock_parse("Resolve"), -1);
    assert_int_equal(core_clock_parse(NULL), -1);
    assert_null(core_clock_name(CK_COUNT));
    for (int u = 0; u < CU_COUNT; u++)
        assert_int_equal(core_clock_unit_parse(core_clock_unit_name((enum clock_unit)u)), u);
    assert_int_equal(core_clock_unit_parse("weeks"), -1);
    assert_string_equal(core_clock_state_name(CS_DUE_SOON), "due_soon");
    assert_string_equal(core_clock_state_name(CS_CANCELLED), "cancelled");
}

static void
test_defaults_follow_the_domain_table(void **state)
{
    struct clock_limit l;

    (void)state;
    core_clock_default(CK_RESOLVE, false, &l);
    assert_int_equal(l.amount, 2);
    assert_int_equal(l.unit, CU_DAYS);
    core_clock_default(CK_RESOLVE, true, &l);
    assert_int_equal(l.amount, 20);
    assert_int_equal(l.unit, CU_WORKING_DAYS);
    core_clock_default(CK_ACCEPT, false, &l);
    assert_int_equal(l.amount, 1);
    assert_int_equal(l.unit, CU_WORKING_DAYS);
    core_clock_default(CK_URGENT_REPORT, false, &l);
    assert_int_equal(l.amount * 3600, 1 * H);
    core_clock_default(CK_URGENT_REPLY, false, &l);
    assert_int_equal(l.amount, 2);
    core_clock_default(CK_CENTRE_REPORT, false, &l);
    assert_int_equal(l.amount, 4);
    core_clock_default(CK_FOLLOWUP, false, &l);
    assert_int_equal(l.amount, 7);
    assert_int_equal(l.unit, CU_DAYS);
}

static void
test_limit_check(void **state)
{
    struct err e = { 0 };
    struct clock_limit l = HOURS24;

    (void)state;
    assert_int_equal(core_clock_limit_check(&l, &e), 0);
    l.amount = 0;
    assert_int_equal(core_clock_limit_check(&l, &e), -1);
    assert_string_equal(e.field, "amount");
    e = (struct err){ 0 };
    l = HOURS24;
    l.remind_percent = 100;
    assert_int_equal(core_clock_limit_check(&l, &e), -1);
    assert_string_equal(e.field, "remind_percent");
}

static void
test_hour_clocks_run_on_wall_time_across_midnight(void **state)
{
    struct calendar cal;

    (void)state;
    china(&cal);
    /* 23:30 on a Friday + 24 h: Saturday 23:30, weekend or not */
    assert_int_equal(core_clock_due(&cal, &HOURS24, at(2026, 3, 6, 23, 30), 0),
                     at(2026, 3, 7, 23, 30));
    assert_int_equal(core_clock_due(&cal, &DAYS2, at(2026, 3, 6, 23, 30), 0),
                     at(2026, 3, 8, 23, 30));
    /* what pauses added is added on */
    assert_int_equal(core_clock_due(&cal, &HOURS24, at(2026, 3, 6, 23, 30), 2 * H),
                     at(2026, 3, 8, 1, 30));
}

static void
test_working_days_over_the_spring_festival(void **state)
{
    struct calendar cal;

    (void)state;
    china(&cal);
    /*
     * Registered Tue 2026-02-10: Feb 11, 12, 13 (3), Sat 14 make-up (4), 15-23 off,
     * Feb 24-27 (8), Sat 28 make-up (9), Mar 2-6 (14), Mar 9-13 (19), Mar 16 (20):
     * due at the end of Monday 16 March.
     */
    assert_int_equal(core_clock_due(&cal, &WD20, at(2026, 2, 10, 9, 30), 0),
                     at(2026, 3, 17, 0, 0));
    /* the same start on plain weekdays only (no holidays): 20 days after Feb 10 = Mar 10 */
    {
        struct calendar plain;
        cal_init_default(&plain, TZ);
        assert_int_equal(core_clock_due(&plain, &WD20, at(2026, 2, 10, 9, 30), 0),
                         at(2026, 3, 11, 0, 0));
    }
    /* Friday 15:00 + 1 working day: the end of Monday */
    assert_int_equal(core_clock_due(&cal, &WD1, at(2026, 3, 6, 15, 0), 0), at(2026, 3, 10, 0, 0));
    /* before a holiday: Thursday 30 April 2026 + 1: May 1-5 off, Wed 6 May */
    assert_int_equal(core_clock_due(&cal, &WD1, at(2026, 4, 30, 15, 0), 0), at(2026, 5, 7, 0, 0));
    /* a make-up Saturday counts: Friday 8 May + 1 = Saturday 9 May */
    assert_int_equal(core_clock_due(&cal, &WD1, at(2026, 5, 8, 15, 0), 0), at(2026, 5, 10, 0, 0));
    /* started on a holiday: the first working day after it */
    assert_int_equal(core_clock_due(&cal, &WD1, at(2026, 10, 3, 10, 0), 0), at(2026, 10, 9, 0, 0));
    /* ext adds working days */
    assert_int_equal(core_clock_due(&cal, &WD1, at(2026, 3, 6, 15, 0), 1), at(2026, 3, 11, 0, 0));
}

static void
test_working_hours(void **state)
{
    struct calendar cal;

    (void)state;
    china(&cal);
    /* Friday 16:00 + 4 working hours (09:00-18:00): 2 h Friday, 2 h Monday → Monday 11:00 */
    assert_int_equal(core_clock_due(&cal, &WH4, at(2026, 3, 6, 16, 0), 0), at(2026, 3, 9, 11, 0));
    /* from the evening: the count starts at the next opening */
    assert_int_equal(core_clock_due(&cal, &WH4, at(2026, 3, 9, 20, 0), 0), at(2026, 3, 10, 13, 0));
}

static void
test_pauses(void **state)
{
    struct calendar cal;

    (void)state;
    china(&cal);
    /* wall clocks: the whole pause */
    assert_int_equal(core_clock_pause_ext(&cal, &DAYS2, at(2026, 3, 2, 10, 0), at(2026, 3, 5, 10, 0)),
                     3 * D);
    assert_int_equal(core_clock_pause_ext(&cal, &DAYS2, at(2026, 3, 5, 10, 0), at(2026, 3, 2, 10, 0)),
                     0);
    /* working days: those after the day it began, up to the day it ended */
    assert_int_equal(core_clock_pause_ext(&cal, &WD20, at(2026, 3, 2, 15, 0), at(2026, 3, 2, 17, 0)),
                     0);
    assert_int_equal(core_clock_pause_ext(&cal, &WD20, at(2026, 3, 2, 15, 0), at(2026, 3, 4, 10, 0)),
                     2);
    /* Friday to Monday: only Monday */
    assert_int_equal(core_clock_pause_ext(&cal, &WD20, at(2026, 3, 6, 15, 0), at(2026, 3, 9, 10, 0)),
                     1);
    /* working hours: the working minutes inside */
    assert_int_equal(core_clock_pause_ext(&cal, &WH4, at(2026, 3, 6, 17, 0), at(2026, 3, 9, 10, 0)),
                     120);
    /* a pause moves the due time by that much */
    {
        int64_t start = at(2026, 3, 2, 10, 0);
        int64_t ext = core_clock_pause_ext(&cal, &DAYS2, at(2026, 3, 2, 12, 0), at(2026, 3, 3, 12, 0));
        assert_int_equal(core_clock_due(&cal, &DAYS2, start, ext), at(2026, 3, 5, 10, 0));
    }
}

static void
test_reminder_points(void **state)
{
    (void)state;
    assert_int_equal(core_clock_remind_at(1000, 1000 + 48 * H, 80), 1000 + 48 * H * 80 / 100);
    assert_int_equal(core_clock_remind_at(1000, 1000 + H, 50), 1000 + H / 2);
    assert_int_equal(core_clock_remind_at(1000, 1000 + H, 0), 0);
    assert_int_equal(core_clock_remind_at(1000, 1000, 80), 0);
}

static void
test_states(void **state)
{
    struct clock_rec c = { .kind = CK_RESOLVE, .cycle = 1, .started_at = 0, .due_at = 100,
                           .remind_at = 80 };
    struct clock_rec p;

    (void)state;
    assert_int_equal(core_clock_state(&c, 10), CS_RUNNING);
    assert_int_equal(core_clock_state(&c, 80), CS_DUE_SOON);
    assert_int_equal(core_clock_state(&c, 100), CS_OVERDUE);
    p = c;
    p.paused_at = 50;
    assert_int_equal(core_clock_state(&p, 500), CS_PAUSED);   /* a paused clock does not run out */
    p.paused_at = 150;
    assert_int_equal(core_clock_state(&p, 500), CS_OVERDUE);  /* paused after it had */
    p = c;
    p.stopped_at = 100;
    assert_int_equal(core_clock_state(&p, 500), CS_MET);
    p.stopped_at = 101;
    assert_int_equal(core_clock_state(&p, 500), CS_MISSED);
    p.cancelled = true;
    assert_int_equal(core_clock_state(&p, 500), CS_CANCELLED);
}

static void
test_next_at(void **state)
{
    struct clock_rec c = { .kind = CK_RESOLVE, .due_at = 100, .remind_at = 80 };
    struct clock_rec p = c;

    (void)state;
    assert_int_equal(core_clock_next_at(&c, false, false), 80);
    assert_int_equal(core_clock_next_at(&c, true, false), 100);
    assert_int_equal(core_clock_next_at(&c, true, true), 0);
    c.remind_at = 0;
    assert_int_equal(core_clock_next_at(&c, false, false), 100);
    p.paused_at = 50;
    assert_int_equal(core_clock_next_at(&p, false, false), 0);
    p.paused_at = 0;
    p.stopped_at = 90;
    assert_int_equal(core_clock_next_at(&p, false, false), 0);
}

static void
test_which_clocks_apply(void **state)
{
    bool on[CK_COUNT];
    struct clock_facts f = { .channel = "phone", .open = true };

    (void)state;
    core_clock_applies(&f, on);
    assert_false(on[CK_ACCEPT]);
    assert_true(on[CK_FIRST_RESPONSE]);
    assert_true(on[CK_RESOLVE]);
    assert_false(on[CK_URGENT_REPORT]);
    assert_false(on[CK_PROGRESS]);
    assert_false(on[CK_FOLLOWUP]);
    f.channel = "web";
    core_clock_applies(&f, on);
    assert_true(on[CK_ACCEPT]);
    f.injury = true;
    core_clock_applies(&f, on);
    assert_true(on[CK_URGENT_REPORT]);
    assert_true(on[CK_URGENT_REPLY]);
    assert_false(on[CK_CENTRE_ANSWER]);
    f.top = true;
    core_clock_applies(&f, on);
    assert_true(on[CK_CENTRE_ANSWER]);
    assert_true(on[CK_PROGRESS]);
    f.undetermined = true;
    core_clock_applies(&f, on);
    assert_true(on[CK_CENTRE_REPORT]);
    f.open = false;
    core_clock_applies(&f, on);
    for (int k = 0; k < CK_COUNT; k++)
        assert_false(on[k]);
}

static void
test_who_is_told(void **state)
{
    const char *roles[CORE_CLOCK_ROLES_MAX + 1];

    (void)state;
    core_clock_reminded(CK_RESOLVE, roles);
    assert_string_equal(roles[0], "handler");
    assert_null(roles[1]);
    core_clock_reminded(CK_ACCEPT, roles);
    assert_string_equal(roles[0], "supervisor");
    core_clock_escalated(CK_RESOLVE, 0, roles);
    assert_string_equal(roles[0], "executive");
    assert_string_equal(roles[1], "centre");
    assert_null(roles[2]);
    core_clock_escalated(CK_RESOLVE, 1, roles);
    assert_string_equal(roles[0], "manager");
    core_clock_escalated(CK_RESOLVE, 2, roles);
    assert_string_equal(roles[0], "supervisor");
    core_clock_escalated(CK_FOLLOWUP, 2, roles);
    assert_string_equal(roles[0], "centre");
}

static void
test_escalation_rules(void **state)
{
    struct err e = { 0 };
    struct escalation_def d = { "E-X", "overdue >= 1", "manager", NULL, true, 24, "x", "x" };

    (void)state;
    for (const struct escalation_def *p = core_escalation_presets; p->code != NULL; p++) {
        struct err pe = { 0 };
        if (core_escalation_check(p, &pe) < 0)
            fail_msg("preset %s: %s", p->code, pe.detail);
    }
    assert_int_equal(core_escalation_check(&d, &e), 0);
    d.target_role = "boss";
    assert_int_equal(core_escalation_check(&d, &e), -1);
    assert_string_equal(e.field, "target_role");
    e = (struct err){ 0 };
    d.target_role = "manager";
    d.ack_hours = 0;
    assert_int_equal(core_escalation_check(&d, &e), -1);
    assert_string_equal(e.field, "ack_hours");
    e = (struct err){ 0 };
    d.ack_hours = 24;
    d.condition = "overdue >= ";
    assert_int_equal(core_escalation_check(&d, &e), -1);
    assert_string_equal(e.field, "condition");
    assert_string_equal(core_escalation_next_role("handler"), "supervisor");
    assert_string_equal(core_escalation_next_role("supervisor"), "manager");
    assert_string_equal(core_escalation_next_role("manager"), "executive");
    assert_string_equal(core_escalation_next_role("centre"), "executive");
    assert_null(core_escalation_next_role("executive"));
    assert_null(core_escalation_next_role("auditor"));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_defaults_follow_the_domain_table),
        cmocka_unit_test(test_limit_check),
        cmocka_unit_test(test_hour_clocks_run_on_wall_time_across_midnight),
        cmocka_unit_test(test_working_days_over_the_spring_festival),
        cmocka_unit_test(test_working_hours),
        cmocka_unit_test(test_pauses),
        cmocka_unit_test(test_reminder_points),
        cmocka_unit_test(test_states),
        cmocka_unit_test(test_next_at),
        cmocka_unit_test(test_which_clocks_apply),
        cmocka_unit_test(test_who_is_told),
        cmocka_unit_test(test_escalation_rules),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
