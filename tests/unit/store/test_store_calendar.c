#include "testutil.h"
#include "testutil_store.h"

/*
 * The store ops of migration 6, the working-day calendar: the shipped
 * schedule after migrating, settings, exceptions and their counts, a
 * project's calendar over the deployment's, and every refusal (nothing
 * written). Every test runs on every backend of `backends[]`.
 */

#include "core/calendar.h"
#include "store/store.h"
#include "store/store_faulty.h"
#include "store/store_sqlite.h"
#include "util/arena.h"

#include <stdio.h>
#include <stdlib.h>

#define ARENA_LIMIT (16u << 20)
#define MIGRATED_AT 1767225600   /* 2026-01-01T00:00:00Z */

/* ---- backends and fixture ---- */

struct backend {
    const char *name;
    struct store *(*open)(const char *dir, struct err *e);
};

static struct store *
open_sqlite(const char *dir, struct err *e)
{
    char path[512];

    snprintf(path, sizeof(path), "%s/kesu.db", dir);
    return store_sqlite_open(path, e);
}

static struct store *
open_faulty_sqlite(const char *dir, struct err *e)
{
    return store_faulty_wrap(open_sqlite(dir, e), e);
}

static struct backend backends[] = {
    { "sqlite", open_sqlite },
    { "faulty(sqlite), no fault armed", open_faulty_sqlite },
};

struct fx {
    char dir[256];
    struct store *st;
    struct arena *a;
};

#define assert_ok(call, e)                                                                     \
    do {                                                                                       \
        if ((call) < 0)                                                                        \
            fail_msg("%s failed: %s (code %d, field %s)", #call, (e)->detail, (int)(e)->code, \
                     (e)->field ? (e)->field : "-");                                           \
    } while (0)

static void
assert_err_(int rc, struct err *e, enum err_code code, const char *field, const char *reason,
            const char *call, int line)
{
    if (rc != -1)
        fail_msg("line %d: %s: expected -1, got %d", line, call, rc);
    if (e->code != code || (field && (!e->field || strcmp(e->field, field) != 0)) ||
        (reason && (!e->reason || strcmp(e->reason, reason) != 0)))
        fail_msg("line %d: %s: got code %d field %s reason %s (%s)", line, call, (int)e->code,
                 e->field ? e->field : "-", e->reason ? e->reason : "-", e->detail);
    *e = (struct err){ 0 };
}
#define assert_err(call, e, code, field, reason)                                               \
    assert_err_((call), (e), (code), (field), (reason), #call, __LINE__)

static int
setup(void **state)
{
    const struct backend *b = *state;
    struct fx *f = calloc(1, sizeof(*f));
    struct err e = { 0 };
    int version = 0;

    if (f == NULL)
        return -1;
    snprintf(f->dir, sizeof(f->dir), "/tmp/kesu-calendar-XXXXXX");
    if (mkdtemp(f->dir) == NULL)
        return -1;
    f->st = b->open(f->dir, &e);
    f->a = arena_new(ARENA_LIMIT);
    if (f->st == NULL || f->a == NULL ||
        store_migrate(f->st, "property", MIGRATED_AT, &version, &e) < 0 ||
        f->st->ops->project_add(f->st, "P1", "翠湖花园", NULL, 0, &e) < 0 ||
        f->st->ops->project_add(f->st, "P2", "海峡大厦", NULL, 0, &e) < 0) {
        fprintf(stderr, "cannot set up %s store: %s\n", b->name, e.detail);
        return -1;
    }
    {
        const struct staff_new alice = { .login = "alice", .name = "王丽" };
        if (f->st->ops->staff_add(f->st, &alice, 0, &e) < 0)
            return -1;
    }
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    struct fx *f = *state;

    store_close(f->st);
    arena_free(f->a);
    remove_tree(f->dir);
    free(f);
    return 0;
}

static int64_t
date(int y, int m, int d)
{
    return ts_days_from_civil(y, m, d);
}

/* The loaded calendar's exception on `day`, or NULL. */
static const struct cal_exception *
loaded(struct fx *f, const char *project, int64_t day, struct calendar *c)
{
    struct err e = { 0 };

    assert_ok(f->st->ops->calendar_load(f->st, project, f->a, c, &e), &e);
    assert_true(cal_exceptions_ok(c->days, c->n_days));
    return cal_find(c, day);
}

/* ---- the tests ---- */

static void
test_migration_ships_the_schedule(void **state)
{
    struct fx *f = *state;
    struct calendar c;
    struct calendar_record rec;
    struct err e = { 0 };

    assert_ok(f->st->ops->calendar_load(f->st, NULL, f->a, &c, &e), &e);
    assert_int_equal(c.weekly, CAL_WEEKLY_DEFAULT);
    assert_int_equal(c.work_start, 540);
    assert_int_equal(c.work_end, 1080);
    assert_int_equal(c.n_days, cal_cn_default_count);
    for (size_t i = 0; i < c.n_days; i++) {
        assert_int_equal(c.days[i].day, cal_cn_default[i].day);
        assert_int_equal(c.days[i].kind, cal_cn_default[i].kind);
        assert_string_equal(c.days[i].name, cal_cn_default[i].name);
    }
    assert_ok(f->st->ops->calendar_get(f->st, NULL, date(2026, 2, 1), date(2026, 2, 28), f->a, &rec, &e),
              &e);
    assert_false(rec.own);
    assert_null(rec.project);
    assert_string_equal(rec.source, cal_cn_source);
    assert_false(rec.checked);
    assert_null(rec.checked_by);
    assert_int_equal(rec.checked_at, 0);
    assert_int_equal(rec.updated_at, MIGRATED_AT);
    assert_null(rec.updated_by);
    assert_int_equal(rec.n_days, 11);   /* Feb 14, 15..23, 28 */
    assert_int_equal(rec.days[0].day, date(2026, 2, 14));
    assert_int_equal(rec.days[0].kind, CAL_WORKDAY);
    assert_false(rec.days[0].own);
    /* a project without its own calendar has the deployment's */
    assert_ok(f->st->ops->calendar_load(f->st, "P1", f->a, &c, &e), &e);
    assert_int_equal(c.n_days, cal_cn_default_count);
    assert_ok(f->st->ops->calendar_get(f->st, "P1", 0, -1, f->a, &rec, &e), &e);
    assert_false(rec.own);
    assert_string_equal(rec.project, "P1");
    assert_int_equal(rec.n_days, 0);
}

static void
test_unknown_project(void **state)
{
    struct fx *f = *state;
    struct calendar c;
    struct calendar_record rec;
    struct calendar_change ch = { .project = "ZZ", .has_checked = true, .checked = true };
    struct calendar_day_change d = { date(2026, 3, 2), CAL_HOLIDAY, "x" };
    struct calendar_days_result res;
    struct err e = { 0 };

    assert_err(f->st->ops->calendar_load(f->st, "ZZ", f->a, &c, &e), &e, ERR_INVALID, "project",
               "unknown");
    assert_err(f->st->ops->calendar_get(f->st, "ZZ", 0, 1, f->a, &rec, &e), &e, ERR_INVALID,
               "project", "unknown");
    assert_err(f->st->ops->calendar_put(f->st, &ch, NULL, &e), &e, ERR_INVALID, "project",
               "unknown");
    assert_err(f->st->ops->calendar_days_put(f->st, "ZZ", &d, 1, NULL, 1, &res, &e), &e,
               ERR_INVALID, "project", "unknown");
}

static void
test_settings(void **state)
{
    struct fx *f = *state;
    struct calendar_change ch = { .has_checked = true, .checked = true, .by = "alice", .at = 5000 };
    struct calendar_record rec;
    struct calendar c;
    bool created = true;
    struct err e = { 0 };

    assert_ok(f->st->ops->calendar_put(f->st, &ch, &created, &e), &e);
    assert_false(created);
    assert_ok(f->st->ops->calendar_get(f->st, NULL, 0, -1, f->a, &rec, &e), &e);
    assert_true(rec.checked);
    assert_string_equal(rec.checked_by, "alice");
    assert_int_equal(rec.checked_at, 5000);
    assert_string_equal(rec.updated_by, "alice");
    assert_int_equal(rec.updated_at, 5000);
    assert_string_equal(rec.source, cal_cn_source);   /* not given: kept */
    /* pattern and hours; checked stays as it was when not given */
    ch = (struct calendar_change){ .has_weekly = true, .weekly = 0x7E, .has_hours = true,
                                   .work_start = 480, .work_end = 1440, .source = "行政部",
                                   .at = 6000 };
    assert_ok(f->st->ops->calendar_put(f->st, &ch, NULL, &e), &e);
    assert_ok(f->st->ops->calendar_get(f->st, NULL, 0, -1, f->a, &rec, &e), &e);
    assert_int_equal(rec.weekly, 0x7E);
    assert_int_equal(rec.work_start, 480);
    assert_int_equal(rec.work_end, 1440);
    assert_string_equal(rec.source, "行政部");
    assert_true(rec.checked);
    assert_null(rec.updated_by);
    /* unchecking clears who and when */
    ch = (struct calendar_change){ .has_checked = true, .checked = false, .at = 7000 };
    assert_ok(f->st->ops->calendar_put(f->st, &ch, NULL, &e), &e);
    assert_ok(f->st->ops->calendar_get(f->st, NULL, 0, -1, f->a, &rec, &e), &e);
    assert_false(rec.checked);
    assert_null(rec.checked_by);
    assert_int_equal(rec.checked_at, 0);
    assert_ok(f->st->ops->calendar_load(f->st, NULL, f->a, &c, &e), &e);
    assert_int_equal(c.weekly, 0x7E);
    assert_int_equal(c.work_end, 1440);
}

static void
test_settings_refused(void **state)
{
    static const struct {
        struct calendar_change ch;
        const char *field, *reason;
    } bad[] = {
        { { .has_weekly = true, .weekly = 0 }, "weekdays", "empty" },
        { { .has_weekly = true, .weekly = 0x80 }, "weekdays", "empty" },
        { { .has_weekly = true, .weekly = 0xFF }, "weekdays", "bad_value" },
        { { .has_hours = true, .work_start = -1, .work_end = 600 }, "work_start", "out_of_range" },
        { { .has_hours = true, .work_start = 1440, .work_end = 1441 }, "work_start", "out_of_range" },
        { { .has_hours = true, .work_start = 600, .work_end = 600 }, "work_end", "before_from" },
        { { .has_hours = true, .work_start = 600, .work_end = 1441 }, "work_end", "out_of_range" },
        { { .has_checked = true, .checked = true, .by = "nobody" }, "updated_by", "unknown" },
        { { .source = "\xff" }, "source", "bad_utf8" },
    };
    struct fx *f = *state;
    struct calendar_record rec;
    struct err e = { 0 };

    for (size_t i = 0; i < TEST_ARRAY_LEN(bad); i++) {
        struct calendar_change ch = bad[i].ch;
        ch.at = 9999;
        assert_err(f->st->ops->calendar_put(f->st, &ch, NULL, &e), &e, ERR_INVALID, bad[i].field,
                   bad[i].reason);
    }
    {
        char source[CAL_SOURCE_MAX * 3 + 4] = { 0 };
        struct calendar_change ch = { .source = source };
        for (int i = 0; i <= CAL_SOURCE_MAX; i++)
            memcpy(source + 3 * i, "源", 3);
        assert_err(f->st->ops->calendar_put(f->st, &ch, NULL, &e), &e, ERR_INVALID, "source",
                   "too_long");
    }
    /* nothing was written, and no project calendar made by a refused change */
    assert_ok(f->st->ops->calendar_get(f->st, NULL, 0, -1, f->a, &rec, &e), &e);
    assert_int_equal(rec.updated_at, MIGRATED_AT);
    assert_int_equal(rec.weekly, CAL_WEEKLY_DEFAULT);
    {
        struct calendar_change ch = { .project = "P1", .has_weekly = true, .weekly = 0 };
        assert_err(f->st->ops->calendar_put(f->st, &ch, NULL, &e), &e, ERR_INVALID, "weekdays",
                   "empty");
        assert_ok(f->st->ops->calendar_get(f->st, "P1", 0, -1, f->a, &rec, &e), &e);
        assert_false(rec.own);
    }
}

static void
test_days_counts(void **state)
{
    struct fx *f = *state;
    const struct calendar_day_change first[] = {
        { date(2026, 3, 2), CAL_HOLIDAY, "公司假日" },          /* added */
        { date(2026, 3, 7), CAL_WORKDAY, NULL },               /* added, a Saturday */
        { date(2026, 2, 15), CAL_HOLIDAY, "春节" },             /* as shipped: unchanged */
        { date(2026, 2, 16), CAL_HOLIDAY, "春节假期" },          /* renamed: changed */
        { date(2026, 2, 14), 0, NULL },                        /* removed */
        { date(2026, 3, 9), 0, NULL },                         /* nothing there: unchanged */
    };
    struct calendar_days_result res;
    struct calendar_record rec;
    struct calendar c;
    struct err e = { 0 };

    assert_ok(f->st->ops->calendar_days_put(f->st, NULL, first, TEST_ARRAY_LEN(first), "alice",
                                            8000, &res, &e),
              &e);
    assert_int_equal(res.added, 2);
    assert_int_equal(res.changed, 1);
    assert_int_equal(res.removed, 1);
    assert_int_equal(res.unchanged, 2);
    assert_false(res.created);
    assert_non_null(loaded(f, NULL, date(2026, 3, 2), &c));
    assert_string_equal(cal_find(&c, date(2026, 3, 2))->name, "公司假日");
    assert_string_equal(cal_find(&c, date(2026, 3, 7))->name, "");
    assert_int_equal(cal_find(&c, date(2026, 3, 7))->kind, CAL_WORKDAY);
    assert_string_equal(cal_find(&c, date(2026, 2, 16))->name, "春节假期");
    assert_null(cal_find(&c, date(2026, 2, 14)));
    assert_int_equal(c.n_days, cal_cn_default_count + 1);
    assert_true(cal_is_working_day(&c, date(2026, 3, 7)));
    assert_false(cal_is_working_day(&c, date(2026, 3, 2)));
    assert_ok(f->st->ops->calendar_get(f->st, NULL, date(2026, 3, 1), date(2026, 3, 31), f->a, &rec,
                                       &e),
              &e);
    assert_int_equal(rec.n_days, 2);
    assert_string_equal(rec.days[0].updated_by, "alice");
    assert_int_equal(rec.days[0].updated_at, 8000);
    assert_int_equal(rec.updated_at, 8000);   /* the calendar records the change */
    /* nothing to do changes nothing, not even the calendar's time */
    assert_ok(f->st->ops->calendar_days_put(f->st, NULL, first + 5, 1, NULL, 9000, &res, &e), &e);
    assert_int_equal(res.unchanged, 1);
    assert_ok(f->st->ops->calendar_get(f->st, NULL, 0, -1, f->a, &rec, &e), &e);
    assert_int_equal(rec.updated_at, 8000);
}

static void
test_days_refused(void **state)
{
    struct fx *f = *state;
    char long_name[CAL_NAME_MAX * 3 + 4] = { 0 };
    struct calendar_day_change days[2] = { { date(2026, 3, 2), CAL_HOLIDAY, "好" } };
    struct calendar_days_result res = { 0 };
    struct calendar c;
    struct err e = { 0 };

    for (int i = 0; i <= CAL_NAME_MAX; i++)
        memcpy(long_name + 3 * i, "假", 3);
    /* the second of two is bad: the first is not written either */
    days[1] = (struct calendar_day_change){ -1, CAL_HOLIDAY, "" };
    assert_err(f->st->ops->calendar_days_put(f->st, NULL, days, 2, NULL, 1, &res, &e), &e,
               ERR_INVALID, "date", "out_of_range");
    days[1] = (struct calendar_day_change){ CAL_DAY_MAX + 1, CAL_HOLIDAY, "" };
    assert_err(f->st->ops->calendar_days_put(f->st, NULL, days, 2, NULL, 1, &res, &e), &e,
               ERR_INVALID, "date", "out_of_range");
    days[1] = (struct calendar_day_change){ date(2026, 3, 3), (enum cal_kind)9, "" };
    assert_err(f->st->ops->calendar_days_put(f->st, NULL, days, 2, NULL, 1, &res, &e), &e,
               ERR_INVALID, "kind", "bad_value");
    days[1] = (struct calendar_day_change){ date(2026, 3, 3), CAL_HOLIDAY, long_name };
    assert_err(f->st->ops->calendar_days_put(f->st, NULL, days, 2, NULL, 1, &res, &e), &e,
               ERR_INVALID, "name", "too_long");
    days[1] = (struct calendar_day_change){ date(2026, 3, 3), CAL_HOLIDAY, "\xe5\x81" };
    assert_err(f->st->ops->calendar_days_put(f->st, NULL, days, 2, NULL, 1, &res, &e), &e,
               ERR_INVALID, "name", "bad_utf8");
    assert_err(f->st->ops->calendar_days_put(f->st, NULL, days, 1, "nobody", 1, &res, &e), &e,
               ERR_INVALID, "updated_by", "unknown");
    assert_null(loaded(f, NULL, date(2026, 3, 2), &c));
    assert_int_equal(c.n_days, cal_cn_default_count);
}

static void
test_project_over_deployment(void **state)
{
    struct fx *f = *state;
    const struct calendar_day_change p1_days[] = {
        { date(2026, 2, 16), CAL_WORKDAY, "值班" },   /* over the deployment's 春节 */
        { date(2026, 3, 20), CAL_HOLIDAY, "停电" },   /* a day of its own */
    };
    struct calendar_change ch = { .project = "P1", .has_weekly = true, .weekly = 0x7E, .at = 100 };
    struct calendar_days_result res;
    struct calendar_record rec;
    struct calendar c;
    bool created = false;
    struct err e = { 0 };

    assert_ok(f->st->ops->calendar_put(f->st, &ch, &created, &e), &e);
    assert_true(created);
    assert_ok(f->st->ops->calendar_put(f->st, &ch, &created, &e), &e);
    assert_false(created);
    assert_ok(f->st->ops->calendar_days_put(f->st, "P1", p1_days, 2, "alice", 200, &res, &e), &e);
    assert_int_equal(res.added, 2);
    assert_false(res.created);
    /* P1: its pattern, its exceptions over the deployment's */
    assert_int_equal(loaded(f, "P1", date(2026, 2, 16), &c)->kind, CAL_WORKDAY);
    assert_int_equal(c.weekly, 0x7E);
    assert_int_equal(c.n_days, cal_cn_default_count + 1);
    assert_int_equal(cal_find(&c, date(2026, 2, 17))->kind, CAL_HOLIDAY);
    assert_non_null(cal_find(&c, date(2026, 3, 20)));
    assert_true(cal_is_working_day(&c, date(2026, 3, 21)));   /* a Saturday: P1 works */
    assert_ok(f->st->ops->calendar_get(f->st, "P1", date(2026, 2, 15), date(2026, 2, 17), f->a, &rec,
                                       &e),
              &e);
    assert_true(rec.own);
    assert_int_equal(rec.n_days, 3);
    assert_false(rec.days[0].own);
    assert_true(rec.days[1].own);
    assert_string_equal(rec.days[1].name, "值班");
    assert_false(rec.days[2].own);
    assert_string_equal(rec.source, cal_cn_source);   /* copied from the deployment's */
    /* the deployment's and P2's are untouched */
    assert_int_equal(loaded(f, NULL, date(2026, 2, 16), &c)->kind, CAL_HOLIDAY);
    assert_int_equal(c.weekly, CAL_WEEKLY_DEFAULT);
    assert_null(loaded(f, "P2", date(2026, 3, 20), &c));
    assert_int_equal(c.weekly, CAL_WEEKLY_DEFAULT);
    /* removing P1's exception uncovers the deployment's */
    {
        const struct calendar_day_change normal = { date(2026, 2, 16), 0, NULL };
        assert_ok(f->st->ops->calendar_days_put(f->st, "P1", &normal, 1, NULL, 300, &res, &e), &e);
        assert_int_equal(res.removed, 1);
    }
    assert_int_equal(loaded(f, "P1", date(2026, 2, 16), &c)->kind, CAL_HOLIDAY);
    /* a day written for P2 makes P2's calendar, with the deployment's settings */
    {
        const struct calendar_day_change d = { date(2026, 4, 1), CAL_HOLIDAY, "" };
        assert_ok(f->st->ops->calendar_days_put(f->st, "P2", &d, 1, NULL, 400, &res, &e), &e);
        assert_true(res.created);
        assert_ok(f->st->ops->calendar_get(f->st, "P2", 0, -1, f->a, &rec, &e), &e);
        assert_true(rec.own);
        assert_int_equal(rec.weekly, CAL_WEEKLY_DEFAULT);
        assert_int_equal(rec.updated_at, 400);
    }
}

static void
test_arena_limit(void **state)
{
    struct fx *f = *state;
    struct arena *small = arena_new(256);
    struct calendar c;
    struct err e = { 0 };

    assert_non_null(small);
    assert_err(f->st->ops->calendar_load(f->st, NULL, small, &c, &e), &e, ERR_TOO_LARGE, NULL, NULL);
    arena_free(small);
}

/* ---- the suite ---- */

#define T(fn) { #fn, fn }

static const struct {
    const char *name;
    void (*fn)(void **);
} contract[] = {
    T(test_migration_ships_the_schedule),
    T(test_unknown_project),
    T(test_settings),
    T(test_settings_refused),
    T(test_days_counts),
    T(test_days_refused),
    T(test_project_over_deployment),
    T(test_arena_limit),
};

int
main(void)
{
    struct CMUnitTest tests[TEST_ARRAY_LEN(contract)];
    int failed = 0;

    for (size_t b = 0; b < TEST_ARRAY_LEN(backends); b++) {
        for (size_t i = 0; i < TEST_ARRAY_LEN(contract); i++)
            tests[i] = (struct CMUnitTest){ contract[i].name, contract[i].fn, setup, teardown,
                                            &backends[b] };
        failed += cmocka_run_group_tests_name(backends[b].name, tests, NULL, NULL);
    }
    return failed != 0;
}
