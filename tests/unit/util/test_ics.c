/*
 * util/ics.c: holiday files as calendar applications and the published
 * Chinese feeds write them (CRLF, folded lines, escapes, several calendars
 * in one file), how the kind of a day is decided, and every refusal.
 */
#include "testutil.h"

#include <libical/ical.h>
#include <stdio.h>
#include <stdlib.h>

#include "util/arena.h"
#include "util/ics.h"
#include "util/ts.h"

#define ARENA (4u << 20)

static int64_t
date(int y, int m, int d)
{
    return ts_days_from_civil(y, m, d);
}

struct parsed {
    struct arena *a;
    struct ics_event *ev;
    size_t n;
    struct err e;
    int rc;
};

static void
parse(const char *text, struct parsed *p)
{
    *p = (struct parsed){ .a = arena_new(ARENA) };
    assert_non_null(p->a);
    p->rc = ics_parse(text, strlen(text), p->a, &p->ev, &p->n, &p->e);
}

static void
release(struct parsed *p)
{
    arena_free(p->a);
}

#define CAL(events) "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//kesu//test//ZH\r\n" events "END:VCALENDAR\r\n"
#define EVENT(props) "BEGIN:VEVENT\r\n" props "END:VEVENT\r\n"

/* Refused with this reason on field "ics"; the outputs untouched. */
static void
expect_refusal(const char *text, const char *reason)
{
    struct arena *a = arena_new(ARENA);
    struct ics_event *ev = (struct ics_event *)(uintptr_t)1;
    size_t n = 77;
    struct err e = { 0 };

    assert_non_null(a);
    if (ics_parse(text, strlen(text), a, &ev, &n, &e) != -1)
        fail_msg("accepted, want %s:\n%s", reason, text);
    assert_int_equal(e.code, ERR_INVALID);
    assert_non_null(e.field);
    assert_string_equal(e.field, "ics");
    if (strcmp(e.reason, reason) != 0)
        fail_msg("reason %s (%s), want %s:\n%s", e.reason, e.detail, reason, text);
    assert_ptr_equal(ev, (struct ics_event *)(uintptr_t)1);
    assert_int_equal(n, 77);
    assert_int_equal(icalerrno, ICAL_NO_ERROR);   /* nothing left behind for the next parse */
    arena_free(a);
}

/* ---- what is read ---- */

static void
test_typical_chinese_feed(void **state)
{
    static const char text[] =
        CAL("X-WR-CALNAME:中国节假日\r\n"
            EVENT("UID:2026-chunjie@kesu\r\nDTSTAMP:20251104T120000Z\r\n"
                  "DTSTART;VALUE=DATE:20260215\r\nDTEND;VALUE=DATE:20260224\r\n"
                  "SUMMARY:春节\r\n")
            EVENT("UID:2026-ban1@kesu\r\nDTSTART;VALUE=DATE:20260214\r\n"
                  "DTEND;VALUE=DATE:20260215\r\nSUMMARY:春节补班\r\n")
            EVENT("UID:2026-ban2@kesu\r\nDTSTART;VALUE=DATE:20260228\r\n"
                  "SUMMARY:上班(调休)\r\n")
            EVENT("UID:2026-qm@kesu\r\nDTSTART;VALUE=DATE:20260404\r\nDURATION:P3D\r\n"
                  "SUMMARY:清明节\r\n"));
    struct parsed p;

    (void)state;
    parse(text, &p);
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.n, 4);
    assert_int_equal(p.ev[0].first, date(2026, 2, 15));
    assert_int_equal(p.ev[0].last, date(2026, 2, 23));   /* DTEND is exclusive */
    assert_int_equal(p.ev[0].kind, ICS_HOLIDAY);
    assert_string_equal(p.ev[0].name, "春节");
    assert_int_equal(p.ev[1].first, date(2026, 2, 14));
    assert_int_equal(p.ev[1].last, date(2026, 2, 14));
    assert_int_equal(p.ev[1].kind, ICS_WORKDAY);
    assert_int_equal(p.ev[2].first, date(2026, 2, 28));  /* no DTEND: one day */
    assert_int_equal(p.ev[2].last, date(2026, 2, 28));
    assert_int_equal(p.ev[2].kind, ICS_WORKDAY);
    assert_string_equal(p.ev[2].name, "上班(调休)");
    assert_int_equal(p.ev[3].first, date(2026, 4, 4));
    assert_int_equal(p.ev[3].last, date(2026, 4, 6));
    assert_int_equal(p.ev[3].kind, ICS_HOLIDAY);
    release(&p);
}

static void
test_kind_decisions(void **state)
{
    static const char text[] =
        CAL(EVENT("DTSTART;VALUE=DATE:20261010\r\nSUMMARY:National Day WORKDAY\r\n")
            EVENT("DTSTART;VALUE=DATE:20261001\r\nSUMMARY:国庆节 (不上班)\r\n"
                  "X-KESU-KIND:Holiday\r\n")
            EVENT("DTSTART;VALUE=DATE:20260920\r\nSUMMARY:公司年会\r\nX-KESU-KIND: workday \r\n")
            EVENT("DTSTART;VALUE=DATE:20261002\r\n"));
    struct parsed p;

    (void)state;
    parse(text, &p);
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.n, 4);
    assert_int_equal(p.ev[0].kind, ICS_WORKDAY);   /* "workday" in any case */
    assert_int_equal(p.ev[1].kind, ICS_HOLIDAY);   /* the property wins over 班 */
    assert_int_equal(p.ev[2].kind, ICS_WORKDAY);   /* the property, white space around it */
    assert_int_equal(p.ev[3].kind, ICS_HOLIDAY);   /* no summary: a holiday */
    assert_string_equal(p.ev[3].name, "");
    release(&p);
}

static void
test_folding_escapes_and_names(void **state)
{
    static const char text[] =
        "BEGIN:VCALENDAR\nVERSION:2.0\n"
        "BEGIN:VEVENT\nDTSTART;VALUE=DATE:2026\n 0619\nDTEND;VALUE=DATE:20260622\n"
        "SUMMARY:端午\n\t节\\, 放假\\n三天\n"
        "END:VEVENT\n"
        "BEGIN:VEVENT\nDTSTART;VALUE=DATE:20260101\n"
        "SUMMARY:一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十"
        "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十\n"
        "END:VEVENT\n"
        "END:VCALENDAR\n";
    struct parsed p;

    (void)state;
    parse(text, &p);
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.n, 2);
    assert_int_equal(p.ev[0].first, date(2026, 6, 19));   /* a folded DTSTART */
    assert_int_equal(p.ev[0].last, date(2026, 6, 21));
    assert_string_equal(p.ev[0].name, "端午节, 放假 三天");   /* \n became a space */
    assert_int_equal(strlen(p.ev[1].name), ICS_NAME_MAX * 3);  /* cut at 50 characters */
    release(&p);
}

static void
test_cancelled_and_concatenated(void **state)
{
    static const char text[] =
        CAL(EVENT("DTSTART;VALUE=DATE:20260501\r\nDTEND;VALUE=DATE:20260506\r\nSUMMARY:劳动节\r\n")
            EVENT("DTSTART;VALUE=DATE:20260502\r\nSTATUS:CANCELLED\r\nSUMMARY:取消\r\n"))
        CAL(EVENT("DTSTART;VALUE=DATE:20260509\r\nSUMMARY:劳动节补班\r\n"
                  "BEGIN:VALARM\r\nACTION:DISPLAY\r\nTRIGGER:-PT15M\r\nEND:VALARM\r\n"));
    struct parsed p;

    (void)state;
    parse(text, &p);
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.n, 2);
    assert_int_equal(p.ev[0].last, date(2026, 5, 5));
    assert_int_equal(p.ev[1].first, date(2026, 5, 9));
    assert_int_equal(p.ev[1].kind, ICS_WORKDAY);
    release(&p);
    expect_refusal(CAL(EVENT("DTSTART;VALUE=DATE:20260502\r\nSTATUS:CANCELLED\r\n")), "no_events");
}

static void
test_limits_accepted(void **state)
{
    static const char year[] =
        CAL(EVENT("DTSTART;VALUE=DATE:20280101\r\nDTEND;VALUE=DATE:20290101\r\n"));  /* 366 days */
    char *text = malloc(ICS_TEXT_MAX + 1);
    size_t len = 0;
    struct parsed p;

    (void)state;
    parse(year, &p);
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.ev[0].last - p.ev[0].first + 1, ICS_RANGE_MAX);
    release(&p);
    /* exactly ICS_EVENTS_MAX events */
    assert_non_null(text);
    len += (size_t)snprintf(text + len, ICS_TEXT_MAX - len, "BEGIN:VCALENDAR\n");
    for (int i = 0; i < ICS_EVENTS_MAX; i++)
        len += (size_t)snprintf(text + len, ICS_TEXT_MAX - len,
                                "BEGIN:VEVENT\nDTSTART;VALUE=DATE:2026%02d%02d\nEND:VEVENT\n",
                                1 + i % 12, 1 + i % 28);
    len += (size_t)snprintf(text + len, ICS_TEXT_MAX - len, "END:VCALENDAR\n");
    assert_true(len < ICS_TEXT_MAX);
    parse(text, &p);
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.n, ICS_EVENTS_MAX);
    release(&p);
    free(text);
}

/* ---- refusals ---- */

static void
test_refuse_text(void **state)
{
    char *big = malloc(ICS_TEXT_MAX + 2);
    struct arena *a = arena_new(ARENA);
    struct ics_event *ev;
    size_t n;
    struct err e = { 0 };
    static const char nul[] = "BEGIN:VCALENDAR\n\0BEGIN:VEVENT\n";

    (void)state;
    expect_refusal("", "empty");
    assert_int_equal(ics_parse(NULL, 0, a, &ev, &n, &e), -1);
    assert_string_equal(e.reason, "empty");
    assert_non_null(big);
    memset(big, 'A', ICS_TEXT_MAX + 1);
    big[ICS_TEXT_MAX + 1] = '\0';
    expect_refusal(big, "too_long");
    free(big);
    e = (struct err){ 0 };
    assert_int_equal(ics_parse(nul, sizeof(nul) - 1, a, &ev, &n, &e), -1);
    assert_string_equal(e.reason, "bad_character");
    expect_refusal("BEGIN:VCALENDAR\nSUMMARY:\xe6\x98\n", "bad_utf8");
    arena_free(a);
}

static void
test_refuse_not_a_calendar(void **state)
{
    (void)state;
    expect_refusal("hello", "not_vcalendar");
    expect_refusal("\r\n\r\n", "not_vcalendar");
    expect_refusal("BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20260101\r\nEND:VEVENT\r\n", "not_vcalendar");
    expect_refusal("BEGIN:VCALENDARX\r\n", "not_vcalendar");
    expect_refusal("{\"ics\": \"BEGIN:VCALENDAR\"}", "not_vcalendar");
    /* a component outside the calendar */
    expect_refusal(CAL(EVENT("DTSTART;VALUE=DATE:20260101\r\n"))
                   EVENT("DTSTART;VALUE=DATE:20260102\r\n"), "not_vcalendar");
    expect_refusal(CAL(""), "no_events");
    expect_refusal("BEGIN:VCALENDAR\r\n", "no_events");
}

static void
test_refuse_shape(void **state)
{
    char text[2048];
    size_t len = 0;
    char *many;

    (void)state;
    /* nine components deep */
    len += (size_t)snprintf(text + len, sizeof(text) - len, "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\n");
    for (int i = 0; i < ICS_DEPTH_MAX - 1; i++)
        len += (size_t)snprintf(text + len, sizeof(text) - len, "BEGIN:VALARM\r\n");
    expect_refusal(text, "too_many");
    /* ICS_EVENTS_MAX + 1 events, in lower case too */
    many = malloc(ICS_TEXT_MAX);
    assert_non_null(many);
    len = (size_t)snprintf(many, ICS_TEXT_MAX, "BEGIN:VCALENDAR\n");
    for (int i = 0; i <= ICS_EVENTS_MAX; i++)
        len += (size_t)snprintf(many + len, ICS_TEXT_MAX - len,
                                "begin:vevent\nDTSTART;VALUE=DATE:20260101\nend:vevent\n");
    expect_refusal(many, "too_many");
    free(many);
}

static void
test_refuse_events(void **state)
{
    static const struct { const char *props; const char *reason; } cases[] = {
        { "SUMMARY:没有日期\r\n", "missing_date" },
        { "DTSTART;VALUE=DATE:garbage\r\n", "bad_format" },
        { "DTSTART;VALUE=DATE:20260101\r\nDTEND;VALUE=DATE:soon\r\n", "bad_format" },
        { "DTSTART:20260215T090000\r\n", "not_all_day" },
        { "DTSTART;TZID=Asia/Shanghai:20260215T090000\r\n", "not_all_day" },
        { "DTSTART;VALUE=DATE:20260101\r\nRRULE:FREQ=YEARLY\r\n", "recurring" },
        { "DTSTART;VALUE=DATE:20260101\r\nRDATE;VALUE=DATE:20270101\r\n", "recurring" },
        { "DTSTART;VALUE=DATE:20260101\r\nDTEND;VALUE=DATE:20260101\r\n", "bad_range" },
        { "DTSTART;VALUE=DATE:20260105\r\nDTEND;VALUE=DATE:20260101\r\n", "bad_range" },
        { "DTSTART;VALUE=DATE:20260101\r\nDTEND:20260102T000000\r\n", "bad_range" },
        { "DTSTART;VALUE=DATE:20260101\r\nDURATION:PT1H\r\n", "bad_range" },
        { "DTSTART;VALUE=DATE:20260101\r\nDURATION:P0D\r\n", "bad_range" },
        { "DTSTART;VALUE=DATE:20260101\r\nDURATION:-P1D\r\n", "bad_range" },
        { "DTSTART;VALUE=DATE:20260101\r\nDTEND;VALUE=DATE:20270103\r\n", "range_too_long" },
        { "DTSTART;VALUE=DATE:20260101\r\nDURATION:P53W\r\n", "range_too_long" },
        { "DTSTART;VALUE=DATE:19691231\r\n", "out_of_range" },
        { "DTSTART;VALUE=DATE:20260230\r\n", "bad_date" },
        { "DTSTART;VALUE=DATE:20260101\r\nX-KESU-KIND:maybe\r\n", "bad_kind" },
        { "DTSTART;VALUE=DATE:20260101\r\nX-KESU-KIND:holidays\r\n", "bad_kind" },
        { "DTSTART;VALUE=DATE:20260101\r\nX-KESU-KIND:\r\n", "bad_format" },  /* libical: empty value */
        { "DTSTART;VALUE=DATE:20260101\r\nx-kesu-kind:holiday\r\n", "bad_format" },  /* libical: X- names upper case */
    };
    char text[1024];

    (void)state;
    for (size_t i = 0; i < TEST_ARRAY_LEN(cases); i++) {
        /* a good event first: the bad one is refused wherever it is */
        snprintf(text, sizeof(text),
                 CAL(EVENT("DTSTART;VALUE=DATE:20260601\r\nSUMMARY:好\r\n") EVENT("%s")),
                 cases[i].props);
        expect_refusal(text, cases[i].reason);
    }
}

static void
test_refuse_malformed_lines(void **state)
{
    (void)state;
    /* a bare CR, a line without a name, END before BEGIN, BEGIN with parameters or no name */
    expect_refusal(CAL(EVENT("DTSTART;VALUE=DATE:20260101\rSUMMARY:x\r\n")), "bad_format");
    expect_refusal(CAL(EVENT("DTSTART;VALUE=DATE:20260101\r\njust words\r\n")), "bad_format");
    expect_refusal(CAL(EVENT("DTSTART;VALUE=DATE:20260101\r\n: no name\r\n")), "bad_format");
    expect_refusal(CAL(EVENT("DTSTART;VALUE=DATE:20260101\r\n")) "END:VCALENDAR\r\n", "bad_format");
    expect_refusal(CAL("BEGIN;X=1:VEVENT\r\nDTSTART;VALUE=DATE:20260101\r\nEND:VEVENT\r\n"),
                   "bad_format");
    expect_refusal(CAL(EVENT("DTSTART;VALUE=DATE:20260101\r\n") "BEGIN: \r\n"), "bad_format");
    expect_refusal(CAL(EVENT("DTSTART;VALUE=DATE:20260101\r\n") "END\t:VEVENT\r\n"), "bad_format");
}

static void
test_properties_not_read_do_not_matter(void **state)
{
    /* what kesu does not read never reaches libical: bad parameters, odd properties */
    static const char text[] =
        "BEGIN:VCALENDAR\r\nX-FOO;BAR:x\r\nTASK-MODE:VCALENDAR\r\n"
        "BEGIN:VEVENT\r\nDTSTAMP:garbage\r\nDESCRIPTION;X=\"unclosed:\r\n"
        "DTSTART;VALUE=DATE:20260101\r\nSUMMARY:元旦\r\nEND:VEVENT\r\nEND:VCALENDAR";
    struct parsed p;

    (void)state;
    parse(text, &p);   /* and the last line needs no line break */
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.n, 1);
    assert_int_equal(p.ev[0].first, date(2026, 1, 1));
    assert_string_equal(p.ev[0].name, "元旦");
    release(&p);
}

static void
test_error_names_the_event(void **state)
{
    static const char text[] =
        CAL(EVENT("DTSTART;VALUE=DATE:20260601\r\n") EVENT("DTSTART;VALUE=DATE:20260602\r\n")
            EVENT("DTSTART:20260603T100000\r\n"));
    struct parsed p;

    (void)state;
    parse(text, &p);
    assert_int_equal(p.rc, -1);
    assert_non_null(strstr(p.e.detail, "event 3"));
    release(&p);
}

static void
test_arena_limit(void **state)
{
    static const char text[] =
        CAL(EVENT("DTSTART;VALUE=DATE:20260601\r\nSUMMARY:端午节\r\n"));
    size_t limits[] = { 16, 64, 200, 300 };

    (void)state;
    for (size_t i = 0; i < TEST_ARRAY_LEN(limits); i++) {
        struct arena *a = arena_new(limits[i]);
        struct ics_event *ev = NULL;
        size_t n = 0;
        struct err e = { 0 };
        int rc = ics_parse(text, strlen(text), a, &ev, &n, &e);

        /* either it fits or it says the arena was too small */
        if (rc < 0)
            assert_int_equal(e.code, ERR_TOO_LARGE);
        else
            assert_int_equal(n, 1);
        arena_free(a);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_typical_chinese_feed),
        cmocka_unit_test(test_kind_decisions),
        cmocka_unit_test(test_folding_escapes_and_names),
        cmocka_unit_test(test_cancelled_and_concatenated),
        cmocka_unit_test(test_limits_accepted),
        cmocka_unit_test(test_refuse_text),
        cmocka_unit_test(test_refuse_not_a_calendar),
        cmocka_unit_test(test_refuse_shape),
        cmocka_unit_test(test_refuse_events),
        cmocka_unit_test(test_refuse_malformed_lines),
        cmocka_unit_test(test_properties_not_read_do_not_matter),
        cmocka_unit_test(test_error_names_the_event),
        cmocka_unit_test(test_arena_limit),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
