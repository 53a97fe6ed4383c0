/*
 * The deadline ops of the store (migration 8): the seeded policy and rules,
 * clocks and their conditional update (what makes the scheduler exactly-once),
 * the due queues, the lease, escalations and supervision notices.
 */
#include "testutil.h"
#include "testutil_store.h"

#include <sqlite3.h>
#include <stdlib.h>

#include "core/complaint.h"
#include "store/store.h"
#include "util/arena.h"

#define ARENA_LIMIT (16u << 20)

struct fx {
    char dir[256];
    struct store *st;
    struct arena *a;
    int64_t complaint_id;
};

#define assert_ok(call, e)                                                                     \
    do {                                                                                       \
        if ((call) < 0)                                                                        \
            fail_msg("%s failed: %s (code %d, field %s)", #call, (e)->detail, (int)(e)->code, \
                     (e)->field ? (e)->field : "-");                                           \
    } while (0)

static int
setup(void **state)
{
    struct fx *f = calloc(1, sizeof(*f));
    struct err e = { 0 };
    struct complaint_new c;
    struct complaint *out;
    char path[300];
    int version = 0;
    static const struct staff_new alice = { .login = "alice", .name = "王丽" };
    static const struct staff_new bob = { .login = "bob", .name = "李强" };
    static const struct staff_new carol = { .login = "carol", .name = "陈静" };

    if (f == NULL)
        return -1;
    snprintf(f->dir, sizeof(f->dir), "/tmp/kesu-sched-XXXXXX");
    if (mkdtemp(f->dir) == NULL)
        return -1;
    snprintf(path, sizeof(path), "%s/kesu.db", f->dir);
    f->st = store_open(path, &e);
    f->a = arena_new(ARENA_LIMIT);
    if (f->st == NULL || f->a == NULL)
        return -1;
    assert_ok(store_migrate(f->st, "property", at(2026, 1, 1, 0, 0), &version, &e), &e);
    assert_ok(f->st->ops->project_add(f->st, "P1", "翠湖花园", NULL, 0, &e), &e);
    assert_ok(f->st->ops->project_add(f->st, "P2", "海峡大厦", "HX", 0, &e), &e);
    assert_ok(f->st->ops->staff_add(f->st, &alice, 0, &e), &e);
    assert_ok(f->st->ops->staff_add(f->st, &bob, 0, &e), &e);
    assert_ok(f->st->ops->staff_add(f->st, &carol, 0, &e), &e);
    assert_ok(f->st->ops->membership_add(f->st, "alice",
                                         &(struct membership){ "supervisor", "P1", NULL }, &e), &e);
    assert_ok(f->st->ops->membership_add(f->st, "bob",
                                         &(struct membership){ "supervisor", "P2", NULL }, &e), &e);
    assert_ok(f->st->ops->membership_add(f->st, "carol",
                                         &(struct membership){ "supervisor", NULL, NULL }, &e), &e);
    core_complaint_new_init(&c);
    c.channel = "phone";
    c.has_received_at = true;
    c.received_at = at(2026, 3, 2, 10, 0);
    c.project = "P1";
    c.subject = "楼上漏水";
    c.content = "卫生间天花板漏水";
    c.complainant.name = "张三";
    c.complainant.phone = "13812345678";
    assert_ok(store_tx_begin(f->st, &e), &e);
    assert_ok(f->st->ops->complaint_create(f->st, &c, "KS", TZ, c.received_at, f->a, &out, &e), &e);
    assert_ok(store_tx_commit(f->st, &e), &e);
    f->complaint_id = out->id;
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

static void
test_policy_and_rules_are_seeded(void **state)
{
    struct fx *f = *state;
    struct clock_policy_row *p;
    struct escalation_rule_row *r;
    size_t n;
    struct err e = { 0 };
    bool star = false, top = false;

    assert_ok(f->st->ops->clock_policy_list(f->st, f->a, &p, &n, &e), &e);
    for (size_t i = 0; i < n; i++) {
        if (strcmp(p[i].grade, "*") == 0 && strcmp(p[i].clock, "resolve") == 0)
            star = p[i].amount == 2 && strcmp(p[i].unit, "days") == 0;
        if (strcmp(p[i].grade, "A") == 0 && strcmp(p[i].clock, "resolve") == 0)
            top = p[i].amount == 20 && strcmp(p[i].unit, "working_days") == 0;
    }
    assert_true(star);
    assert_true(top);
    assert_ok(f->st->ops->escalation_rule_list(f->st, f->a, &r, &n, &e), &e);
    assert_true(n >= 9);
    assert_string_equal(r[0].code, "E-REPAIR-20D");
    assert_int_equal(r[0].sort, 1);
}

/* Only grades of the preset in use (or '*') have policy rows, also after the preset changes. */
static void
test_policy_has_only_the_presets_grades(void **state)
{
    struct fx *f = *state;
    struct clock_policy_row *p;
    size_t n;
    struct err e = { 0 };
    bool top = false;

    assert_ok(f->st->ops->clock_policy_list(f->st, f->a, &p, &n, &e), &e);
    for (size_t i = 0; i < n; i++)
        assert_true(strcmp(p[i].grade, "*") == 0 || strcmp(p[i].grade, "A") == 0);
    assert_ok(f->st->ops->grade_preset_set(f->st, "realestate", &e), &e);
    assert_ok(f->st->ops->clock_policy_list(f->st, f->a, &p, &n, &e), &e);
    for (size_t i = 0; i < n; i++) {
        assert_true(strcmp(p[i].grade, "*") == 0 || strcmp(p[i].grade, "major") == 0);
        if (strcmp(p[i].grade, "major") == 0 && strcmp(p[i].clock, "resolve") == 0)
            top = p[i].amount == 20 && strcmp(p[i].unit, "working_days") == 0;
    }
    assert_true(top);
}

static struct clock_row
row(const struct fx *f, const char *kind, int cycle, int64_t next)
{
    return (struct clock_row){ .complaint_id = f->complaint_id, .kind = kind, .cycle = cycle,
                               .started_at = 100, .amount = 2, .unit = "days",
                               .remind_percent = 80, .due_at = 1000, .remind_at = 800,
                               .next_at = next };
}

static void
test_clock_update_is_conditional(void **state)
{
    struct fx *f = *state;
    struct clock_row r = row(f, "resolve", 1, 800), *list;
    struct err e = { 0 };
    int64_t id;
    size_t n;
    bool updated;

    assert_ok(f->st->ops->clock_insert(f->st, &r, &id, &e), &e);
    assert_int_equal(f->st->ops->clock_insert(f->st, &r, &id, &e), -1);
    assert_int_equal(e.code, ERR_CONFLICT);
    assert_string_equal(e.field, "clock");
    e = (struct err){ 0 };
    r.id = id;
    r.reminded_at = 850;
    r.next_at = 1000;
    /* the first scheduler to act wins ... */
    assert_ok(f->st->ops->clock_update(f->st, &r, 800, 0, &updated, &e), &e);
    assert_true(updated);
    /* ... a second one, having read the same due point, changes nothing */
    r.reminded_at = 900;
    assert_ok(f->st->ops->clock_update(f->st, &r, 800, 0, &updated, &e), &e);
    assert_false(updated);
    assert_ok(f->st->ops->clock_list(f->st, f->complaint_id, f->a, &list, &n, &e), &e);
    assert_int_equal(n, 1);
    assert_int_equal(list[0].reminded_at, 850);
    assert_int_equal(list[0].next_at, 1000);
    r.id = 999999;
    assert_int_equal(f->st->ops->clock_update(f->st, &r, 0, 0, &updated, &e), -1);
    assert_int_equal(e.code, ERR_NOT_FOUND);
}

static void
test_due_queues(void **state)
{
    struct fx *f = *state;
    struct clock_row a = row(f, "resolve", 1, 500), b = row(f, "first_response", 1, 300),
                     c = row(f, "accept", 1, 0), *due;
    struct err e = { 0 };
    int64_t id, *ids;
    size_t n;

    assert_ok(f->st->ops->clock_insert(f->st, &a, &id, &e), &e);
    assert_ok(f->st->ops->clock_insert(f->st, &b, &id, &e), &e);
    assert_ok(f->st->ops->clock_insert(f->st, &c, &id, &e), &e);
    assert_ok(f->st->ops->clock_due(f->st, 400, 10, f->a, &due, &n, &e), &e);
    assert_int_equal(n, 1);
    assert_string_equal(due[0].kind, "first_response");
    assert_ok(f->st->ops->clock_due(f->st, 10000, 10, f->a, &due, &n, &e), &e);
    assert_int_equal(n, 2);   /* a clock without next_at is never due */
    assert_string_equal(due[1].kind, "resolve");
    assert_ok(f->st->ops->clock_due(f->st, 10000, 1, f->a, &due, &n, &e), &e);
    assert_int_equal(n, 1);
    assert_int_equal(f->st->ops->clock_due(f->st, 0, 0, f->a, &due, &n, &e), -1);
    e = (struct err){ 0 };
    assert_ok(f->st->ops->age_point_set(f->st, f->complaint_id, 700, &e), &e);
    assert_ok(f->st->ops->age_due(f->st, 699, 10, f->a, &ids, &n, &e), &e);
    assert_int_equal(n, 0);
    assert_ok(f->st->ops->age_due(f->st, 700, 10, f->a, &ids, &n, &e), &e);
    assert_int_equal(n, 1);
    assert_ok(f->st->ops->age_point_set(f->st, f->complaint_id, 0, &e), &e);
    assert_ok(f->st->ops->age_due(f->st, 10000, 10, f->a, &ids, &n, &e), &e);
    assert_int_equal(n, 0);
}

static void
test_due_clocks_are_found_through_the_index(void **state)
{
    struct fx *f = *state;
    sqlite3 *db = NULL;
    sqlite3_stmt *q;
    char path[300];
    bool indexed = false;

    snprintf(path, sizeof(path), "%s/kesu.db", f->dir);
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "EXPLAIN QUERY PLAN SELECT id FROM clocks WHERE next_at"
                                        " IS NOT NULL AND next_at <= 5 ORDER BY next_at LIMIT 9",
                                        -1, &q, NULL),
                     SQLITE_OK);
    while (sqlite3_step(q) == SQLITE_ROW)
        indexed = indexed || strstr((const char *)sqlite3_column_text(q, 3), "clocks_next") != NULL;
    sqlite3_finalize(q);
    sqlite3_close(db);
    assert_true(indexed);
}

static void
test_one_lease_holder(void **state)
{
    struct fx *f = *state;
    struct err e = { 0 };
    struct lease l;
    bool held;

    assert_ok(f->st->ops->lease_acquire(f->st, "deadlines", "A", 1000, 60, &held, &e), &e);
    assert_true(held);
    assert_ok(f->st->ops->lease_acquire(f->st, "deadlines", "B", 1030, 60, &held, &e), &e);
    assert_false(held);
    assert_ok(f->st->ops->lease_acquire(f->st, "deadlines", "A", 1030, 60, &held, &e), &e);
    assert_true(held);   /* renewed until 1090 */
    assert_ok(f->st->ops->lease_acquire(f->st, "deadlines", "B", 1089, 60, &held, &e), &e);
    assert_false(held);
    assert_ok(f->st->ops->lease_acquire(f->st, "deadlines", "B", 1090, 60, &held, &e), &e);
    assert_true(held);   /* expired: taken over */
    assert_ok(f->st->ops->lease_acquire(f->st, "deadlines", "A", 1100, 60, &held, &e), &e);
    assert_false(held);
    assert_ok(f->st->ops->lease_ticked(f->st, "deadlines", "A", 1100, "{\"x\":1}", &e), &e);
    assert_ok(f->st->ops->lease_ticked(f->st, "deadlines", "B", 1100, "{\"overdue\":2}", &e), &e);
    assert_ok(f->st->ops->lease_get(f->st, "deadlines", f->a, &l, &e), &e);
    assert_string_equal(l.holder, "B");
    assert_int_equal(l.ticks, 1);   /* only the holder's tick counts */
    assert_string_equal(l.last, "{\"overdue\":2}");
    /* giving it up: expired at once */
    assert_ok(f->st->ops->lease_acquire(f->st, "deadlines", "B", 0, 0, &held, &e), &e);
    assert_ok(f->st->ops->lease_acquire(f->st, "deadlines", "A", 1101, 60, &held, &e), &e);
    assert_true(held);
    assert_int_equal(f->st->ops->lease_get(f->st, "nope", f->a, &l, &e), -1);
    assert_int_equal(e.code, ERR_NOT_FOUND);
}

static void
test_escalations_and_notices(void **state)
{
    struct fx *f = *state;
    struct err e = { 0 };
    bool added, updated;
    int64_t id, again;
    struct notice *n, *list;
    size_t count;
    const char *const roles[] = { "supervisor", NULL };
    struct notice_new in = { .complaint_id = f->complaint_id, .source = "E-X", .level = 1,
                             .to_role = "supervisor", .project = "P1", .text = "督办",
                             .issued_at = 100, .ack_due_at = 200 };

    assert_ok(f->st->ops->escalation_add(f->st, f->complaint_id, "E-X", 100, &added, &e), &e);
    assert_true(added);
    assert_ok(f->st->ops->escalation_add(f->st, f->complaint_id, "E-X", 200, &added, &e), &e);
    assert_false(added);
    assert_ok(f->st->ops->notice_add(f->st, &in, &id, &e), &e);
    assert_true(id > 0);
    assert_ok(f->st->ops->notice_add(f->st, &in, &again, &e), &e);
    assert_int_equal(again, 0);
    assert_ok(f->st->ops->notice_list(f->st,
                                      &(struct notice_query){ .roles = roles, .open_only = true,
                                                              .limit = 10 },
                                      f->a, &list, &count, &e),
              &e);
    assert_int_equal(count, 1);
    assert_string_equal(list[0].project, "P1");
    assert_ok(f->st->ops->notice_due(f->st, 199, 10, f->a, &list, &count, &e), &e);
    assert_int_equal(count, 0);
    assert_ok(f->st->ops->notice_due(f->st, 200, 10, f->a, &list, &count, &e), &e);
    assert_int_equal(count, 1);
    assert_ok(f->st->ops->notice_escalated(f->st, id, 200, &updated, &e), &e);
    assert_true(updated);
    assert_ok(f->st->ops->notice_escalated(f->st, id, 201, &updated, &e), &e);
    assert_false(updated);
    assert_ok(f->st->ops->notice_ack(f->st, id, "alice", "收到", 300, &e), &e);
    assert_int_equal(f->st->ops->notice_ack(f->st, id, "alice", NULL, 301, &e), -1);
    assert_int_equal(e.code, ERR_CONFLICT);
    e = (struct err){ 0 };
    assert_ok(f->st->ops->notice_get(f->st, id, f->a, &n, &e), &e);
    assert_string_equal(n->acked_by, "alice");
    assert_int_equal(n->acked_at, 300);
    assert_int_equal(f->st->ops->notice_get(f->st, id + 100, f->a, &n, &e), -1);
    assert_int_equal(e.code, ERR_NOT_FOUND);
}

static void
test_responsible_staff(void **state)
{
    struct fx *f = *state;
    struct err e = { 0 };
    const char **logins;
    size_t n;

    /* P1's own supervisor and the company-wide one; never P2's */
    assert_ok(f->st->ops->staff_responsible(f->st, "P1", "supervisor", f->a, &logins, &n, &e), &e);
    assert_int_equal(n, 2);
    assert_string_equal(logins[0], "alice");
    assert_string_equal(logins[1], "carol");
    assert_ok(f->st->ops->staff_responsible(f->st, NULL, "supervisor", f->a, &logins, &n, &e), &e);
    assert_int_equal(n, 1);
    assert_string_equal(logins[0], "carol");
    assert_int_equal(f->st->ops->staff_responsible(f->st, "P1", "boss", f->a, &logins, &n, &e), -1);
    assert_string_equal(e.field, "role");
    e = (struct err){ 0 };
    assert_int_equal(f->st->ops->staff_responsible(f->st, "NOPE", "supervisor", f->a, &logins, &n,
                                                   &e),
                     -1);
    assert_string_equal(e.field, "project");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_policy_and_rules_are_seeded, setup, teardown),
        cmocka_unit_test_setup_teardown(test_policy_has_only_the_presets_grades, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_clock_update_is_conditional, setup, teardown),
        cmocka_unit_test_setup_teardown(test_due_queues, setup, teardown),
        cmocka_unit_test_setup_teardown(test_due_clocks_are_found_through_the_index, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_one_lease_holder, setup, teardown),
        cmocka_unit_test_setup_teardown(test_escalations_and_notices, setup, teardown),
        cmocka_unit_test_setup_teardown(test_responsible_staff, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
