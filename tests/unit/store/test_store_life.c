#include "testutil.h"
#include "testutil_store.h"

/*
 * The store ops of migration 5, the life of a complaint: changes to a
 * complaint, further complainants, similar complaints, compensation,
 * follow-ups, the case library, a complainant's history, and the reference
 * data an administrator edits (categories, departments, dispatch rules,
 * grading rules). Like test_store_contract.c, every contract test runs on
 * every backend of `backends[]`; the tests that look inside the SQLite
 * database (the upgrade from version 4, triggers, query plans) come last.
 */

#include "core/complaint.h"
#include "core/grading.h"
#include "core/perm.h"
#include "store/fts.h"
#include "store/schema_sqlite.h"
#include "store/store.h"
#include "store/store_faulty.h"
#include "store/store_sqlite.h"
#include "util/arena.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>

#define ARENA_LIMIT (64u << 20)

/* ---- backends ---- */

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

/* ---- fixture ---- */

struct fx {
    const struct backend *b;
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

#define assert_str_or_null(a, b)                                                               \
    do {                                                                                       \
        const char *a_ = (a), *b_ = (b);                                                       \
        if (a_ == NULL || b_ == NULL)                                                          \
            assert_ptr_equal(a_, b_);                                                          \
        else                                                                                   \
            assert_string_equal(a_, b_);                                                       \
    } while (0)

static void
assert_err_(int rc, struct err *e, enum err_code code, const char *field, const char *reason,
            const char *call, const char *file, int line)
{
    if (rc != -1)
        fail_msg("%s:%d: %s: expected -1, got %d", file, line, call, rc);
    if (e->code != code)
        fail_msg("%s:%d: %s: expected code %d, got %d (%s)", file, line, call, (int)code,
                 (int)e->code, e->detail);
    if (field != NULL && (e->field == NULL || strcmp(e->field, field) != 0))
        fail_msg("%s:%d: %s: expected field '%s', got '%s'", file, line, call, field,
                 e->field ? e->field : "(null)");
    if (reason != NULL && (e->reason == NULL || strcmp(e->reason, reason) != 0))
        fail_msg("%s:%d: %s: expected reason '%s', got '%s'", file, line, call, reason,
                 e->reason ? e->reason : "(null)");
    *e = (struct err){ 0 };
}
/* Expect an error with this code, field and reason (NULL: any), then clear it. */
#define assert_err(call, e, code, field, reason)                                               \
    assert_err_((call), (e), (code), (field), (reason), #call, __FILE__, __LINE__)

static int
setup_fresh(void **state)
{
    const struct backend *b = *state;
    struct fx *f = calloc(1, sizeof(*f));
    struct err e = { 0 };

    if (f == NULL)
        return -1;
    f->b = b;
    snprintf(f->dir, sizeof(f->dir), "/tmp/kesu-life-XXXXXX");
    if (mkdtemp(f->dir) == NULL)
        return -1;
    f->st = b->open(f->dir, &e);
    f->a = arena_new(ARENA_LIMIT);
    if (f->st == NULL || f->a == NULL) {
        fprintf(stderr, "cannot open %s store: %s\n", b->name, e.detail);
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

/*
 * Two projects with buildings and units; alice, bob and carol; departments
 * "eng" in P1 and P2 and "service" of the company.
 */
static void
seed(struct fx *f)
{
    static const struct staff_new staff[] = {
        { .login = "alice", .name = "王丽" },
        { .login = "bob", .name = "李强" },
        { .login = "carol", .name = "陈静" },
    };
    struct store *st = f->st;
    struct err e = { 0 };
    int version = 0;

    assert_ok(store_migrate(st, "property", at(2026, 1, 1, 0, 0), &version, &e), &e);
    assert_int_equal(version, STORE_SCHEMA_VERSION);
    assert_ok(st->ops->project_add(st, "P1", "翠湖花园", NULL, 0, &e), &e);
    assert_ok(st->ops->project_add(st, "P2", "海峡大厦", "HX", 0, &e), &e);
    assert_ok(st->ops->building_add(st, "P1", "1栋", 0, &e), &e);
    assert_ok(st->ops->building_add(st, "P1", "2栋", 1, &e), &e);
    assert_ok(st->ops->building_add(st, "P2", "A座", 0, &e), &e);
    assert_ok(st->ops->unit_add(st, "P1", "1栋", "101", &e), &e);
    assert_ok(st->ops->unit_add(st, "P1", "1栋", "102", &e), &e);
    assert_ok(st->ops->unit_add(st, "P2", "A座", "1001", &e), &e);
    for (size_t i = 0; i < TEST_ARRAY_LEN(staff); i++)
        assert_ok(st->ops->staff_add(st, &staff[i], 0, &e), &e);
    assert_ok(st->ops->department_add(st, "P1", "eng", "工程部", &e), &e);
    assert_ok(st->ops->department_add(st, "P2", "eng", "工程部", &e), &e);
    assert_ok(st->ops->department_add(st, NULL, "service", "客服中心", &e), &e);
}

static int
setup_seeded(void **state)
{
    if (setup_fresh(state) < 0)
        return -1;
    seed(*state);
    return 0;
}

static void
complaint_init(struct complaint_new *c, int64_t received_at, const char *phone)
{
    core_complaint_new_init(c);
    c->channel = "phone";
    c->has_received_at = true;
    c->received_at = received_at;
    c->project = "P1";
    c->building = "1栋";
    c->unit = "101";
    c->category = "building";
    c->subcategory = "leak";
    c->subject = "楼上漏水";
    c->content = "卫生间天花板漏水,已经一周。";
    c->complainant.name = "张三";
    c->complainant.phone = phone;
    c->complainant.anonymous = phone == NULL;
}

static struct complaint *
create(struct fx *f, const struct complaint_new *c)
{
    struct complaint *out = NULL;
    struct err e = { 0 };

    assert_ok(store_tx_begin(f->st, &e), &e);
    assert_ok(f->st->ops->complaint_create(f->st, c, "KS", TZ, c->received_at + 60, f->a, &out,
                                           &e), &e);
    assert_ok(store_tx_commit(f->st, &e), &e);
    assert_non_null(out);
    return out;
}

static struct complaint *
create_simple(struct fx *f, int64_t received_at, const char *phone)
{
    struct complaint_new in;

    complaint_init(&in, received_at, phone);
    return create(f, &in);
}

static struct complaint *
get(struct fx *f, const char *number)
{
    struct complaint *c = NULL;
    struct err e = { 0 };

    assert_ok(f->st->ops->complaint_get(f->st, number, f->a, &c, &e), &e);
    return c;
}

static void
update_ok(struct fx *f, int64_t id, const struct complaint_change *ch)
{
    struct err e = { 0 };

    assert_ok(f->st->ops->complaint_update(f->st, id, ch, &e), &e);
}

/* ---- migration 5 and the grading rules ---- */

static void
assert_rules_are(struct fx *f, const char *name)
{
    const struct grade_preset *p = core_grade_preset_find(name);
    struct grade_rule_row *rows;
    const char *preset;
    size_t n, i;
    struct err e = { 0 };

    assert_non_null(p);
    assert_ok(f->st->ops->grade_rule_list(f->st, f->a, &preset, &rows, &n, &e), &e);
    assert_string_equal(preset, name);
    for (i = 0; p->rules[i].code != NULL; i++) {
        assert_true(i < n);
        assert_string_equal(rows[i].code, p->rules[i].code);
        assert_string_equal(rows[i].grade, p->rules[i].grade);
        assert_string_equal(rows[i].condition, p->rules[i].condition);
        assert_string_equal(rows[i].description_zh, p->rules[i].description_zh);
        assert_string_equal(rows[i].description_en, p->rules[i].description_en);
        assert_true(rows[i].enabled);
        if (i > 0)
            assert_true(rows[i].sort > rows[i - 1].sort);
    }
    assert_int_equal(n, i);
}

static void
test_fresh_has_property_rules(void **state)
{
    struct fx *f = *state;
    struct err e = { 0 };
    int version = -1;

    assert_ok(store_migrate(f->st, NULL, at(2026, 1, 1, 0, 0), &version, &e), &e);
    assert_int_equal(version, STORE_SCHEMA_VERSION);
    assert_rules_are(f, "property");
    /* migrating again seeds nothing twice */
    assert_ok(store_migrate(f->st, NULL, at(2026, 1, 2, 0, 0), &version, &e), &e);
    assert_rules_are(f, "property");
}

static void
test_grade_preset_set(void **state)
{
    struct fx *f = *state;
    struct store *st = f->st;
    struct grade_rule_row *rows;
    struct grade_rule_row mine = { .code = "X1", .grade = "hot", .condition = "headcount >= 5",
                                   .description_zh = "五人", .enabled = false, .sort = 99 };
    struct complaint *c;
    const char *preset;
    size_t n;
    struct err e = { 0 };

    assert_err(st->ops->grade_preset_set(st, "no-such", &e), &e, ERR_INVALID, "grading",
               "unknown");
    assert_err(st->ops->grade_preset_set(st, NULL, &e), &e, ERR_INVALID, "grading", "unknown");
    /* the same again: nothing changes, edits stay */
    assert_ok(st->ops->grade_rule_put(st, &(struct grade_rule_row){ .code = "A1", .grade = "B",
                                                                    .condition = "raised >= 3",
                                                                    .enabled = false },
                                      &e), &e);
    assert_ok(st->ops->grade_preset_set(st, "property", &e), &e);
    assert_ok(st->ops->grade_rule_list(st, f->a, &preset, &rows, &n, &e), &e);
    assert_string_equal(rows[0].code, "A1");
    assert_string_equal(rows[0].grade, "B");
    assert_string_equal(rows[0].condition, "raised >= 3");
    assert_string_equal(rows[0].description_zh, "");
    assert_false(rows[0].enabled);

    /* another one, while nothing is graded: its rules replace the stored ones */
    assert_ok(st->ops->grade_preset_set(st, "realestate", &e), &e);
    assert_rules_are(f, "realestate");

    /* rule_put: a new rule goes last; a replaced one keeps its place */
    assert_err(st->ops->grade_rule_put(st, &(struct grade_rule_row){ .code = "X0", .grade = "A",
                                                                     .condition = "media = 1" },
                                       &e), &e, ERR_INVALID, "grade", "unknown");
    assert_err(st->ops->grade_rule_put(st, &(struct grade_rule_row){ .grade = "hot",
                                                                     .condition = "media = 1" },
                                       &e), &e, ERR_INVALID, "code", "required");
    assert_err(st->ops->grade_rule_put(st, &(struct grade_rule_row){ .code = "X0",
                                                                     .grade = "hot" },
                                       &e), &e, ERR_INVALID, "condition", "required");
    assert_ok(st->ops->grade_rule_put(st, &mine, &e), &e);
    assert_ok(st->ops->grade_rule_put(st, &(struct grade_rule_row){ .code = "hot-media",
                                                                    .grade = "major",
                                                                    .condition = "media = 1",
                                                                    .enabled = true },
                                      &e), &e);
    assert_ok(st->ops->grade_rule_list(st, f->a, &preset, &rows, &n, &e), &e);
    assert_string_equal(preset, "realestate");
    assert_int_equal(n, 11);
    assert_string_equal(rows[10].code, "X1");
    assert_false(rows[10].enabled);
    assert_string_equal(rows[10].description_en, "");
    assert_string_equal(rows[4].code, "hot-media");
    assert_string_equal(rows[4].grade, "major");

    /* once a complaint has a grade, the preset stays */
    c = create_simple(f, at(2026, 3, 1, 9, 0), "13800000001");
    update_ok(f, c->id, &(struct complaint_change){ .grade = "hot" });
    assert_err(st->ops->grade_preset_set(st, "three-level", &e), &e, ERR_CONFLICT, "grading",
               "preset_set");
    assert_ok(st->ops->grade_preset_set(st, "realestate", &e), &e);
    assert_ok(st->ops->grade_rule_list(st, f->a, &preset, &rows, &n, &e), &e);
    assert_string_equal(preset, "realestate");
    assert_int_equal(n, 11);
    /* the grade cleared: free again */
    update_ok(f, c->id, &(struct complaint_change){ .grade = "" });
    assert_ok(st->ops->grade_preset_set(st, "three-level", &e), &e);
    assert_rules_are(f, "three-level");
}

/* ---- complaint_update ---- */

static void
test_update_fields(void **state)
{
    struct fx *f = *state;
    struct complaint *c = create_simple(f, at(2026, 3, 1, 9, 0), "13800000001"), *g;
    struct complaint_page page;
    struct complaint_query q = { .limit = 10 };
    struct err e = { 0 };

    /* new columns of a new complaint */
    g = get(f, c->number);
    assert_null(g->department_code);
    assert_null(g->handler_login);
    assert_int_equal(g->raised, 1);
    assert_int_equal(g->reopenings, 0);
    assert_null(g->grade_overrides);
    assert_null(g->result);
    assert_null(g->close_response);
    assert_int_equal(g->resolved_at, 0);
    assert_int_equal(g->closed_at, 0);
    assert_false(g->is_case);
    assert_int_equal(g->n_people, 0);

    update_ok(f, c->id, &(struct complaint_change){
        .status = "resolved", .kind = "claim", .nature = "valid", .grade = "B",
        .comm_type = "complaint", .category = "equipment", .subcategory = "lift",
        .department = "eng", .handler = "bob", .grade_overrides = "A1,B2",
        .result = "已修复", .close_response = "agreed",
        .has_headcount = true, .headcount = 4, .has_flags = true, .flags = 5,
        .has_loss = true, .loss_fen = 123456, .has_raised = true, .raised = 2,
        .has_reopenings = true, .reopenings = 1, .has_resolved_at = true,
        .resolved_at = at(2026, 3, 2, 9, 0), .has_closed_at = true,
        .closed_at = at(2026, 3, 3, 9, 0), .has_case = true, .is_case = true });
    g = get(f, c->number);
    assert_string_equal(g->status, "resolved");
    assert_string_equal(g->kind, "claim");
    assert_string_equal(g->nature, "valid");
    assert_string_equal(g->grade, "B");
    assert_string_equal(g->comm_type, "complaint");
    assert_string_equal(g->category_code, "equipment");
    assert_string_equal(g->subcategory_code, "lift");
    assert_string_equal(g->department_code, "eng");
    assert_string_equal(g->department_name, "工程部");
    assert_string_equal(g->handler_login, "bob");
    assert_string_equal(g->handler_name, "李强");
    assert_string_equal(g->grade_overrides, "A1,B2");
    assert_string_equal(g->result, "已修复");
    assert_string_equal(g->close_response, "agreed");
    assert_int_equal(g->headcount, 4);
    assert_int_equal(g->flags, 5);
    assert_true(g->has_loss);
    assert_int_equal(g->loss_fen, 123456);
    assert_int_equal(g->raised, 2);
    assert_int_equal(g->reopenings, 1);
    assert_int_equal(g->resolved_at, at(2026, 3, 2, 9, 0));
    assert_int_equal(g->closed_at, at(2026, 3, 3, 9, 0));
    assert_true(g->is_case);
    /* untouched */
    assert_string_equal(g->subject, c->subject);
    assert_string_equal(g->project_code, "P1");
    assert_string_equal(g->building, "1栋");

    /* the list's rows carry the new columns too */
    assert_ok(f->st->ops->complaint_list(f->st, &q, f->a, &page, &e), &e);
    assert_int_equal(page.n, 1);
    assert_string_equal(page.items[0].department_code, "eng");
    assert_string_equal(page.items[0].handler_login, "bob");
    assert_int_equal(page.items[0].raised, 2);
    assert_int_equal(page.items[0].closed_at, at(2026, 3, 3, 9, 0));
    assert_true(page.items[0].is_case);

    /* "" and 0 clear, loss_clear clears the loss; nothing set changes nothing */
    update_ok(f, c->id, &(struct complaint_change){
        .grade = "", .comm_type = "", .department = "", .handler = "", .grade_overrides = "",
        .result = "", .close_response = "", .subcategory = "", .has_loss = true,
        .loss_clear = true, .has_resolved_at = true, .has_closed_at = true, .has_case = true });
    update_ok(f, c->id, &(struct complaint_change){ 0 });
    g = get(f, c->number);
    assert_null(g->grade);
    assert_null(g->comm_type);
    assert_null(g->department_code);
    assert_null(g->handler_login);
    assert_null(g->grade_overrides);
    assert_null(g->result);
    assert_null(g->close_response);
    assert_null(g->subcategory_code);
    assert_string_equal(g->category_code, "equipment");
    assert_false(g->has_loss);
    assert_int_equal(g->resolved_at, 0);
    assert_int_equal(g->closed_at, 0);
    assert_false(g->is_case);
    assert_string_equal(g->status, "resolved");
    assert_int_equal(g->headcount, 4);
}

static void
test_update_references(void **state)
{
    struct fx *f = *state;
    struct store *st = f->st;
    struct complaint *c = create_simple(f, at(2026, 3, 1, 9, 0), "13800000001"), *g;
    struct complaint_new in;
    struct err e = { 0 };

    /* a department of the project first, else the company's */
    update_ok(f, c->id, &(struct complaint_change){ .department = "service" });
    assert_string_equal(get(f, c->number)->department_code, "service");
    assert_err(st->ops->complaint_update(st, c->id,
                                         &(struct complaint_change){ .department = "nope" }, &e),
               &e, ERR_INVALID, "department", "unknown");
    update_ok(f, c->id, &(struct complaint_change){ .department = "eng" });

    /* a project change takes the department of the same code in the new project */
    update_ok(f, c->id, &(struct complaint_change){ .project = "P2" });
    g = get(f, c->number);
    assert_string_equal(g->project_code, "P2");
    assert_string_equal(g->department_code, "eng");
    assert_ok(st->ops->department_add(st, "P1", "only1", "一号部", &e), &e);
    update_ok(f, c->id, &(struct complaint_change){ .project = "P1", .department = "only1" });
    assert_string_equal(get(f, c->number)->department_code, "only1");
    update_ok(f, c->id, &(struct complaint_change){ .project = "P2" });
    assert_null(get(f, c->number)->department_code);
    /* ... and the department named with it is looked up in the new project */
    assert_err(st->ops->complaint_update(st, c->id, &(struct complaint_change){
                   .project = "P1", .department = "nope" }, &e),
               &e, ERR_INVALID, "department", "unknown");
    assert_string_equal(get(f, c->number)->project_code, "P2");

    /* a category change drops the old subcategory; a subcategory is the new category's */
    update_ok(f, c->id, &(struct complaint_change){ .category = "building" });
    g = get(f, c->number);
    assert_string_equal(g->category_code, "building");
    assert_string_equal(g->subcategory_code, "leak");
    update_ok(f, c->id, &(struct complaint_change){ .category = "equipment" });
    assert_null(get(f, c->number)->subcategory_code);
    assert_err(st->ops->complaint_update(st, c->id, &(struct complaint_change){
                   .category = "building", .subcategory = "lift" }, &e),
               &e, ERR_INVALID, "subcategory", "unknown");
    update_ok(f, c->id, &(struct complaint_change){ .subcategory = "lift" });
    assert_string_equal(get(f, c->number)->subcategory_code, "lift");

    /* unknown references, by field */
    assert_err(st->ops->complaint_update(st, c->id,
                                         &(struct complaint_change){ .project = "P9" }, &e),
               &e, ERR_INVALID, "project", "unknown");
    assert_err(st->ops->complaint_update(st, c->id,
                                         &(struct complaint_change){ .category = "nope" }, &e),
               &e, ERR_INVALID, "category", "unknown");
    assert_err(st->ops->complaint_update(st, c->id,
                                         &(struct complaint_change){ .subcategory = "nope" },
                                         &e),
               &e, ERR_INVALID, "subcategory", "unknown");
    assert_err(st->ops->complaint_update(st, c->id,
                                         &(struct complaint_change){ .handler = "nobody" }, &e),
               &e, ERR_INVALID, "handler", "unknown");
    /* a complaint without category has no subcategory to set */
    complaint_init(&in, at(2026, 3, 1, 10, 0), "13800000002");
    in.category = NULL;
    in.subcategory = NULL;
    g = create(f, &in);
    assert_err(st->ops->complaint_update(st, g->id,
                                         &(struct complaint_change){ .subcategory = "leak" }, &e),
               &e, ERR_INVALID, "subcategory", "unknown");
    /* a retired category or subcategory */
    assert_ok(st->ops->category_update(st, NULL, "dispute",
                                       &(struct category_change){ .has_retired = true,
                                                                  .retired = true }, &e), &e);
    assert_err(st->ops->complaint_update(st, c->id,
                                         &(struct complaint_change){ .category = "dispute" }, &e),
               &e, ERR_INVALID, "category", "retired");
    assert_ok(st->ops->category_update(st, "equipment", "hvac",
                                       &(struct category_change){ .has_retired = true,
                                                                  .retired = true }, &e), &e);
    assert_err(st->ops->complaint_update(st, c->id, &(struct complaint_change){
                   .category = "equipment", .subcategory = "hvac" }, &e),
               &e, ERR_INVALID, "subcategory", "retired");

    /* bad values and a missing complaint */
    assert_err(st->ops->complaint_update(st, c->id, &(struct complaint_change){ .status = "" },
                                         &e),
               &e, ERR_INVALID, "status", "required");
    assert_err(st->ops->complaint_update(st, c->id, &(struct complaint_change){
                   .has_headcount = true, .headcount = 0 }, &e),
               &e, ERR_INVALID, "headcount", "out_of_range");
    assert_err(st->ops->complaint_update(st, c->id, &(struct complaint_change){
                   .has_raised = true, .raised = 0 }, &e),
               &e, ERR_INVALID, "raised", "out_of_range");
    assert_err(st->ops->complaint_update(st, 999999, &(struct complaint_change){ .kind = "x" },
                                         &e),
               &e, ERR_NOT_FOUND, "id", "unknown");
    assert_err(st->ops->complaint_update(st, 999999, &(struct complaint_change){ 0 }, &e), &e,
               ERR_NOT_FOUND, "id", "unknown");

    /* nothing half-done by the refused changes */
    g = get(f, c->number);
    assert_string_equal(g->project_code, "P2");
    assert_string_equal(g->category_code, "equipment");
    assert_string_equal(g->subcategory_code, "lift");
    assert_null(g->handler_login);
    assert_int_equal(g->headcount, 1);
}

/* ---- further complainants ---- */

static void
test_person_add(void **state)
{
    struct fx *f = *state;
    struct store *st = f->st;
    struct complaint *c = create_simple(f, at(2026, 3, 1, 9, 0), "13800000001"), *g;
    struct complaint *other = create_simple(f, at(2026, 3, 1, 10, 0), "13900000009");
    struct complainant_new li = { .name = "李四", .phone = "13900000009", .role = "owner" };
    struct complainant_new wang = { .name = "王五", .email = "wang@example.com",
                                    .role = "tenant" };
    struct complainant_new anon = { .role = "other", .anonymous = true };
    int64_t id;
    int seq = 0;
    struct err e = { 0 };

    assert_ok(st->ops->person_add(st, c->id, &li, at(2026, 3, 2, 0, 0), &seq, &e), &e);
    assert_int_equal(seq, 2);
    assert_ok(st->ops->person_add(st, c->id, &wang, at(2026, 3, 2, 0, 0), &seq, &e), &e);
    assert_int_equal(seq, 3);
    assert_ok(st->ops->person_add(st, c->id, &anon, at(2026, 3, 2, 0, 0), &seq, &e), &e);
    assert_int_equal(seq, 4);
    g = get(f, c->number);
    assert_int_equal(g->n_people, 3);
    /* linked by phone as registration links: the same person as the other complaint's */
    assert_int_equal(g->people[0].seq, 2);
    assert_int_equal(g->people[0].complainant_id, other->complainant_id);
    assert_string_equal(g->people[0].name, "李四");
    assert_string_equal(g->people[0].phone, "13900000009");
    assert_null(g->people[0].email);
    assert_string_equal(g->people[0].role, "owner");
    assert_false(g->people[0].anonymous);
    assert_true(g->people[1].complainant_id != 0);
    assert_string_equal(g->people[1].email, "wang@example.com");
    assert_int_equal(g->people[2].complainant_id, 0);
    assert_true(g->people[2].anonymous);
    assert_null(g->people[2].name);
    /* by id too */
    assert_ok(st->ops->complaint_get_by_id(st, c->id, f->a, &g, &e), &e);
    assert_string_equal(g->number, c->number);
    assert_int_equal(g->n_people, 3);
    assert_err(st->ops->complaint_get_by_id(st, 999999, f->a, &g, &e), &e, ERR_NOT_FOUND, "id",
               "unknown");
    /* the other complaint has none */
    assert_int_equal(get(f, other->number)->n_people, 0);

    /* a person already on the complaint, by phone or e-mail, or its own complainant */
    assert_err(st->ops->person_add(st, c->id, &li, 0, &seq, &e), &e, ERR_CONFLICT, "phone",
               "exists");
    assert_err(st->ops->person_add(st, c->id, &wang, 0, &seq, &e), &e, ERR_CONFLICT, "email",
               "exists");
    assert_err(st->ops->person_add(st, c->id,
                                   &(struct complainant_new){ .phone = "13800000001",
                                                              .role = "owner" },
                                   0, &seq, &e),
               &e, ERR_CONFLICT, "phone", "exists");
    /* anonymous people without contact can be many */
    assert_ok(st->ops->person_add(st, c->id, &anon, 0, &seq, &e), &e);
    assert_int_equal(seq, 5);
    assert_err(st->ops->person_add(st, 999999, &li, 0, &seq, &e), &e, ERR_NOT_FOUND,
               "complaint_id", "unknown");
    assert_err(st->ops->person_add(st, c->id, &(struct complainant_new){ .phone = "13700000000" },
                                   0, &seq, &e),
               &e, ERR_INVALID, "role", "required");

    /* complainant_by_phone */
    assert_ok(st->ops->complainant_by_phone(st, "13900000009", &id, &e), &e);
    assert_int_equal(id, other->complainant_id);
    assert_ok(st->ops->complainant_by_phone(st, "13000000000", &id, &e), &e);
    assert_int_equal(id, 0);
    assert_ok(st->ops->complainant_by_phone(st, NULL, &id, &e), &e);
    assert_int_equal(id, 0);
}

/* ---- similar complaints ---- */

static int
similar(struct fx *f, const struct similar_query *q, int64_t **ids, size_t *n)
{
    struct err e = { 0 };
    int distinct = -1;

    assert_ok(f->st->ops->similar_find(f->st, q, f->a, ids, n, &distinct, &e), &e);
    return distinct;
}

static void
test_similar_find(void **state)
{
    struct fx *f = *state;
    struct store *st = f->st;
    int64_t t0 = at(2026, 5, 1, 9, 0), *ids;
    struct similar_query q = { .project = "P1", .category = "building", .building = "1栋",
                               .from = t0, .to = t0 + 30 * 86400 };
    struct complaint *c[8];
    struct complaint_new in;
    size_t n;
    struct err e = { 0 };

    /* two complainants, one of them twice */
    c[0] = create_simple(f, t0, "13800000001");
    c[1] = create_simple(f, t0 + 86400, "13800000002");
    c[2] = create_simple(f, t0 + 2 * 86400, "13800000001");
    assert_int_equal(similar(f, &q, &ids, &n), 2);
    assert_int_equal(n, 3);
    /* newest first */
    assert_int_equal(ids[0], c[2]->id);
    assert_int_equal(ids[1], c[1]->id);
    assert_int_equal(ids[2], c[0]->id);
    /* a third one, in the other unit */
    complaint_init(&in, t0 + 3 * 86400, "13800000003");
    in.unit = "102";
    c[3] = create(f, &in);
    assert_int_equal(similar(f, &q, &ids, &n), 3);
    assert_int_equal(n, 4);
    /* narrowed to unit 101: two complainants again */
    q.unit = "101";
    assert_int_equal(similar(f, &q, &ids, &n), 2);
    assert_int_equal(n, 3);
    q.unit = NULL;
    /* two anonymous ones count as two */
    c[4] = create_simple(f, t0 + 4 * 86400, NULL);
    c[5] = create_simple(f, t0 + 5 * 86400, NULL);
    assert_int_equal(get(f, c[4]->number)->complainant_id, 0);
    assert_int_equal(similar(f, &q, &ids, &n), 5);
    assert_int_equal(n, 6);
    /* an invalid one is not similar */
    update_ok(f, c[5]->id, &(struct complaint_change){ .status = "invalid" });
    assert_int_equal(similar(f, &q, &ids, &n), 4);
    assert_int_equal(n, 5);
    /* the window's ends are in it */
    q.from = t0 + 86400;
    q.to = t0 + 2 * 86400;
    assert_int_equal(similar(f, &q, &ids, &n), 2);
    assert_int_equal(n, 2);
    q.from = t0 + 86400 + 60;
    q.to = t0 + 2 * 86400 - 60;
    assert_int_equal(similar(f, &q, &ids, &n), 0);
    assert_int_equal(n, 0);
    q.from = t0;
    q.to = t0 + 30 * 86400;
    /* other buildings, categories and projects are not similar */
    complaint_init(&in, t0, "13800000004");
    in.building = "2栋";
    in.unit = NULL;
    create(f, &in);
    complaint_init(&in, t0, "13800000005");
    in.category = "equipment";
    in.subcategory = NULL;
    create(f, &in);
    complaint_init(&in, t0, "13800000006");
    in.project = "P2";
    in.building = "A座";
    in.unit = NULL;
    create(f, &in);
    assert_int_equal(similar(f, &q, &ids, &n), 4);
    assert_int_equal(n, 5);
    q.project = "P2";
    q.building = "A座";
    assert_int_equal(similar(f, &q, &ids, &n), 1);
    assert_int_equal(n, 1);
    q.project = "P1";
    q.building = "1栋";
    /* without a category or building nothing is similar */
    q.category = NULL;
    assert_int_equal(similar(f, &q, &ids, &n), 0);
    assert_int_equal(n, 0);
    q.category = "building";
    q.building = NULL;
    assert_int_equal(similar(f, &q, &ids, &n), 0);
    q.building = "1栋";
    /* unknown references */
    q.project = "P9";
    assert_err(st->ops->similar_find(st, &q, f->a, &ids, &n, &(int){ 0 }, &e), &e, ERR_INVALID,
               "project", "unknown");
    q.project = "P1";
    q.category = "nope";
    assert_err(st->ops->similar_find(st, &q, f->a, &ids, &n, &(int){ 0 }, &e), &e, ERR_INVALID,
               "category", "unknown");
    q.category = "building";
    q.building = "9栋";
    assert_err(st->ops->similar_find(st, &q, f->a, &ids, &n, &(int){ 0 }, &e), &e, ERR_INVALID,
               "building", "unknown");
    q.building = "1栋";
    q.unit = "999";
    assert_err(st->ops->similar_find(st, &q, f->a, &ids, &n, &(int){ 0 }, &e), &e, ERR_INVALID,
               "unit", "unknown");
}

/* ---- compensation ---- */

static void
test_compensations(void **state)
{
    struct fx *f = *state;
    struct store *st = f->st;
    struct complaint *c = create_simple(f, at(2026, 3, 1, 9, 0), "13800000001");
    struct complaint *d = create_simple(f, at(2026, 3, 1, 10, 0), "13800000002");
    struct compensation_new in = { .complaint_id = c->id, .type = "refund", .amount_fen = 50000,
                                   .reason = "漏水损坏地板", .status = "proposed",
                                   .proposed_by = "alice", .at = at(2026, 3, 2, 9, 0) };
    struct compensation *list;
    int64_t id1, id2, id3;
    size_t n;
    struct err e = { 0 };

    assert_ok(st->ops->compensation_add(st, &in, &id1, &e), &e);
    in.status = "pending_approval";
    in.amount_fen = 2000000;
    in.type = "cash";
    in.reason = NULL;
    in.at = at(2026, 3, 2, 10, 0);
    assert_ok(st->ops->compensation_add(st, &in, &id2, &e), &e);
    assert_true(id2 > id1);
    in.complaint_id = d->id;
    assert_ok(st->ops->compensation_add(st, &in, &id3, &e), &e);

    /* refused */
    in.complaint_id = c->id;
    in.status = "approved";
    assert_err(st->ops->compensation_add(st, &in, &id3, &e), &e, ERR_INVALID, "status",
               "bad_value");
    in.status = "proposed";
    in.proposed_by = "nobody";
    assert_err(st->ops->compensation_add(st, &in, &id3, &e), &e, ERR_INVALID, "proposed_by",
               "unknown");
    in.proposed_by = "alice";
    in.complaint_id = 999999;
    assert_err(st->ops->compensation_add(st, &in, &id3, &e), &e, ERR_NOT_FOUND, "complaint_id",
               "unknown");
    in.complaint_id = c->id;
    in.amount_fen = -1;
    assert_err(st->ops->compensation_add(st, &in, &id3, &e), &e, ERR_INVALID, "amount",
               "out_of_range");

    /* decisions */
    assert_ok(st->ops->compensation_decide(st, c->id, id2, "approved", "bob", "情况属实",
                                           at(2026, 3, 3, 9, 0), &e), &e);
    assert_ok(st->ops->compensation_decide(st, c->id, id1, "agreed", "alice", NULL,
                                           at(2026, 3, 4, 9, 0), &e), &e);
    assert_err(st->ops->compensation_decide(st, d->id, id1, "agreed", "alice", NULL, 0, &e), &e,
               ERR_NOT_FOUND, "id", "unknown");
    assert_err(st->ops->compensation_decide(st, c->id, 999999, "agreed", "alice", NULL, 0, &e),
               &e, ERR_NOT_FOUND, "id", "unknown");
    assert_err(st->ops->compensation_decide(st, c->id, id1, "proposed", "alice", NULL, 0, &e),
               &e, ERR_INVALID, "status", "bad_value");
    assert_err(st->ops->compensation_decide(st, c->id, id1, "agreed", "nobody", NULL, 0, &e),
               &e, ERR_INVALID, "decided_by", "unknown");

    assert_ok(st->ops->compensation_list(st, c->id, f->a, &list, &n, &e), &e);
    assert_int_equal(n, 2);
    assert_int_equal(list[0].id, id1);
    assert_int_equal(list[0].complaint_id, c->id);
    assert_string_equal(list[0].type, "refund");
    assert_string_equal(list[0].reason, "漏水损坏地板");
    assert_int_equal(list[0].amount_fen, 50000);
    assert_string_equal(list[0].status, "agreed");
    assert_string_equal(list[0].proposed_by, "alice");
    /* agreed without a decision: the agreement has its own author and time */
    assert_null(list[0].decided_by);
    assert_int_equal(list[0].decided_at, 0);
    assert_string_equal(list[0].agreed_by, "alice");
    assert_int_equal(list[0].agreed_at, at(2026, 3, 4, 9, 0));
    assert_null(list[0].decision_reason);
    assert_int_equal(list[0].proposed_at, at(2026, 3, 2, 9, 0));
    assert_int_equal(list[1].id, id2);
    assert_string_equal(list[1].type, "cash");
    assert_null(list[1].reason);
    assert_string_equal(list[1].status, "approved");
    assert_string_equal(list[1].decided_by, "bob");
    assert_string_equal(list[1].decision_reason, "情况属实");
    assert_null(list[1].agreed_by);
    /* agreeing to an approved one keeps the approver and the decision */
    assert_ok(st->ops->compensation_decide(st, c->id, id2, "agreed", "alice", NULL,
                                           at(2026, 3, 5, 9, 0), &e), &e);
    assert_ok(st->ops->compensation_list(st, c->id, f->a, &list, &n, &e), &e);
    assert_string_equal(list[1].status, "agreed");
    assert_string_equal(list[1].decided_by, "bob");
    assert_int_equal(list[1].decided_at, at(2026, 3, 3, 9, 0));
    assert_string_equal(list[1].decision_reason, "情况属实");
    assert_string_equal(list[1].agreed_by, "alice");
    assert_int_equal(list[1].agreed_at, at(2026, 3, 5, 9, 0));
    assert_ok(st->ops->compensation_list(st, d->id, f->a, &list, &n, &e), &e);
    assert_int_equal(n, 1);
    assert_string_equal(list[0].status, "pending_approval");
    assert_null(list[0].decided_by);
    assert_int_equal(list[0].decided_at, 0);
    assert_ok(st->ops->compensation_list(st, 999999, f->a, &list, &n, &e), &e);
    assert_int_equal(n, 0);
}

/* ---- follow-ups ---- */

static int64_t
followup_ok(struct fx *f, int64_t complaint_id, const char *kind, int cycle, const char *assignee,
            int64_t due)
{
    struct followup_new in = { .complaint_id = complaint_id, .kind = kind, .assignee = assignee,
                               .cycle = cycle, .created_at = due - 7 * 86400, .due_at = due,
                               .month = strcmp(kind, "sample") == 0 ? "2026-03" : NULL };
    struct err e = { 0 };
    int64_t id = 0;

    assert_ok(f->st->ops->followup_create(f->st, &in, &id, &e), &e);
    assert_true(id > 0);
    return id;
}

static size_t
followups(struct fx *f, const struct followup_query *q, struct followup **out)
{
    struct err e = { 0 };
    size_t n = 0;

    assert_ok(f->st->ops->followup_list(f->st, q, f->a, out, &n, &e), &e);
    return n;
}

static void
test_followup_create_get_list(void **state)
{
    struct fx *f = *state;
    struct store *st = f->st;
    struct complaint *c = create_simple(f, at(2026, 3, 1, 9, 0), "13800000001");
    struct complaint_new in;
    struct complaint *d;
    int64_t due = at(2026, 3, 10, 18, 0), r0, s0, r1, d0;
    struct followup_new dup = { .complaint_id = c->id, .kind = "regular", .cycle = 0,
                                .created_at = 1, .due_at = 2 };
    struct followup *fl, *one;
    int64_t id;
    struct err e = { 0 };

    complaint_init(&in, at(2026, 3, 1, 10, 0), "13800000002");
    in.project = "P2";
    in.building = "A座";
    in.unit = NULL;
    d = create(f, &in);
    r0 = followup_ok(f, c->id, "regular", 0, "alice", due + 3600);
    s0 = followup_ok(f, c->id, "sample", 0, "bob", due);
    r1 = followup_ok(f, c->id, "regular", 1, NULL, due + 7200);
    d0 = followup_ok(f, d->id, "regular", 0, "alice", due - 3600);

    /* one of each kind per cycle */
    assert_err(st->ops->followup_create(st, &dup, &id, &e), &e, ERR_CONFLICT, "kind", "exists");
    dup.kind = "sample";
    assert_err(st->ops->followup_create(st, &dup, &id, &e), &e, ERR_CONFLICT, "kind", "exists");
    dup.kind = "other";
    assert_err(st->ops->followup_create(st, &dup, &id, &e), &e, ERR_INVALID, "kind",
               "bad_value");
    dup.kind = "regular";
    dup.cycle = 2;
    dup.assignee = "nobody";
    assert_err(st->ops->followup_create(st, &dup, &id, &e), &e, ERR_INVALID, "assignee",
               "unknown");
    dup.assignee = NULL;
    dup.complaint_id = 999999;
    assert_err(st->ops->followup_create(st, &dup, &id, &e), &e, ERR_NOT_FOUND, "complaint_id",
               "unknown");

    /* get */
    assert_ok(st->ops->followup_get(st, s0, f->a, &one, &e), &e);
    assert_int_equal(one->id, s0);
    assert_int_equal(one->complaint_id, c->id);
    assert_string_equal(one->number, c->number);
    assert_string_equal(one->project_code, "P1");
    assert_string_equal(one->subject, c->subject);
    assert_string_equal(one->kind, "sample");
    assert_string_equal(one->month, "2026-03");
    assert_int_equal(one->cycle, 0);
    assert_string_equal(one->assignee_login, "bob");
    assert_string_equal(one->assignee_name, "李强");
    assert_string_equal(one->status, "open");
    assert_int_equal(one->created_at, due - 7 * 86400);
    assert_int_equal(one->due_at, due);
    assert_int_equal(one->done_at, 0);
    assert_null(one->done_by);
    assert_null(one->outcome);
    assert_null(one->satisfaction);
    assert_int_equal(one->score, 0);
    assert_int_equal(one->n_ratings, 0);
    assert_ok(st->ops->followup_get(st, r1, f->a, &one, &e), &e);
    assert_null(one->assignee_login);
    assert_null(one->month);
    assert_err(st->ops->followup_get(st, 999999, f->a, &one, &e), &e, ERR_NOT_FOUND, "id",
               "unknown");

    /* lists, oldest due first */
    assert_int_equal(followups(f, &(struct followup_query){ .limit = 10 }, &fl), 4);
    assert_int_equal(fl[0].id, d0);
    assert_int_equal(fl[1].id, s0);
    assert_int_equal(fl[2].id, r0);
    assert_int_equal(fl[3].id, r1);
    assert_int_equal(followups(f, &(struct followup_query){ .limit = 2 }, &fl), 2);
    assert_int_equal(followups(f, &(struct followup_query){ .status = "open", .limit = 10 }, &fl),
                     4);
    assert_int_equal(followups(f, &(struct followup_query){ .status = "done", .limit = 10 }, &fl),
                     0);
    assert_int_equal(followups(f, &(struct followup_query){ .assignee = "alice", .limit = 10 },
                               &fl), 2);
    assert_int_equal(fl[0].id, d0);
    assert_int_equal(fl[1].id, r0);
    assert_int_equal(followups(f, &(struct followup_query){ .kind = "sample", .limit = 10 }, &fl),
                     1);
    assert_int_equal(fl[0].id, s0);
    assert_int_equal(followups(f, &(struct followup_query){ .month = "2026-03", .limit = 10 },
                               &fl), 1);
    assert_int_equal(followups(f, &(struct followup_query){ .month = "2026-04", .limit = 10 },
                               &fl), 0);
    assert_int_equal(followups(f, &(struct followup_query){ .complaint_id = d->id, .limit = 10 },
                               &fl), 1);
    assert_int_equal(fl[0].id, d0);
    assert_int_equal(followups(f, &(struct followup_query){ .project = { .values = { "P2" },
                                                                         .n = 1 },
                                                            .limit = 10 },
                               &fl), 1);
    assert_string_equal(fl[0].project_code, "P2");
    assert_int_equal(followups(f, &(struct followup_query){ .project = { .values = { "P1", "P2" },
                                                                         .n = 2 },
                                                            .status = "open",
                                                            .kind = "regular",
                                                            .assignee = "alice",
                                                            .limit = 10 },
                               &fl), 2);

    /* refused queries */
    assert_err(st->ops->followup_list(st, &(struct followup_query){ .limit = 0 }, f->a, &fl,
                                      &(size_t){ 0 }, &e),
               &e, ERR_INVALID, "limit", "out_of_range");
    assert_err(st->ops->followup_list(st, &(struct followup_query){ .limit = 501 }, f->a, &fl,
                                      &(size_t){ 0 }, &e),
               &e, ERR_INVALID, "limit", "out_of_range");
    assert_err(st->ops->followup_list(st, &(struct followup_query){ .status = "x", .limit = 5 },
                                      f->a, &fl, &(size_t){ 0 }, &e),
               &e, ERR_INVALID, "status", "bad_value");
    assert_err(st->ops->followup_list(st, &(struct followup_query){ .kind = "x", .limit = 5 },
                                      f->a, &fl, &(size_t){ 0 }, &e),
               &e, ERR_INVALID, "kind", "bad_value");
    assert_err(st->ops->followup_list(st, &(struct followup_query){ .assignee = "nobody",
                                                                    .limit = 5 },
                                      f->a, &fl, &(size_t){ 0 }, &e),
               &e, ERR_INVALID, "assignee", "unknown");
    assert_err(st->ops->followup_list(st, &(struct followup_query){ .project = { .values = { "P9" },
                                                                                 .n = 1 },
                                                                    .limit = 5 },
                                      f->a, &fl, &(size_t){ 0 }, &e),
               &e, ERR_INVALID, "project", "unknown");
}

static void
test_followup_done(void **state)
{
    struct fx *f = *state;
    struct store *st = f->st;
    struct complaint *c = create_simple(f, at(2026, 3, 1, 9, 0), "13800000001");
    struct complainant_new li = { .name = "李四", .phone = "13900000009", .role = "owner" };
    int64_t id = followup_ok(f, c->id, "regular", 0, "alice", at(2026, 3, 10, 18, 0));
    struct followup_rating ratings[] = {
        { .person = 2, .satisfaction = "fair", .score = 3, .comment = "还行" },
        { .person = 1, .satisfaction = "satisfied" },
    };
    struct followup_outcome o = { .outcome = "reached", .attempts = 2,
                                  .satisfaction = "satisfied", .score = 5, .comment = "很好",
                                  .done_by = "bob", .done_at = at(2026, 3, 8, 10, 0),
                                  .ratings = ratings, .n_ratings = 2 };
    struct followup_rating bad[] = { { .person = 3, .satisfaction = "fair" } };
    struct followup_rating twice[] = { { .person = 2 }, { .person = 2 } };
    struct followup_outcome wrong = o;
    struct followup *one, *fl;
    int seq;
    struct err e = { 0 };

    assert_ok(st->ops->person_add(st, c->id, &li, 0, &seq, &e), &e);
    /* refused before anything is written */
    wrong.ratings = bad;
    wrong.n_ratings = 1;
    assert_err(st->ops->followup_done(st, id, &wrong, &e), &e, ERR_INVALID, "ratings.person",
               "unknown");
    wrong.ratings = twice;
    wrong.n_ratings = 2;
    assert_err(st->ops->followup_done(st, id, &wrong, &e), &e, ERR_INVALID, "ratings.person",
               "repeated");
    wrong.ratings = (struct followup_rating[]){ { .person = 0 } };
    wrong.n_ratings = 1;
    assert_err(st->ops->followup_done(st, id, &wrong, &e), &e, ERR_INVALID, "ratings.person",
               "out_of_range");
    wrong = o;
    wrong.done_by = "nobody";
    assert_err(st->ops->followup_done(st, id, &wrong, &e), &e, ERR_INVALID, "done_by",
               "unknown");
    wrong.done_by = "bob";
    wrong.outcome = NULL;
    assert_err(st->ops->followup_done(st, id, &wrong, &e), &e, ERR_INVALID, "outcome",
               "required");
    assert_ok(st->ops->followup_get(st, id, f->a, &one, &e), &e);
    assert_string_equal(one->status, "open");

    assert_ok(st->ops->followup_done(st, id, &o, &e), &e);
    assert_ok(st->ops->followup_get(st, id, f->a, &one, &e), &e);
    assert_string_equal(one->status, "done");
    assert_int_equal(one->done_at, at(2026, 3, 8, 10, 0));
    assert_string_equal(one->done_by, "bob");
    assert_string_equal(one->outcome, "reached");
    assert_int_equal(one->attempts, 2);
    assert_string_equal(one->satisfaction, "satisfied");
    assert_int_equal(one->score, 5);
    assert_string_equal(one->comment, "很好");
    assert_int_equal(one->n_ratings, 2);
    assert_int_equal(one->ratings[0].person, 1);
    assert_string_equal(one->ratings[0].satisfaction, "satisfied");
    assert_int_equal(one->ratings[0].score, 0);
    assert_null(one->ratings[0].comment);
    assert_int_equal(one->ratings[1].person, 2);
    assert_string_equal(one->ratings[1].satisfaction, "fair");
    assert_int_equal(one->ratings[1].score, 3);
    assert_string_equal(one->ratings[1].comment, "还行");

    /* twice: a conflict; unknown: not found */
    assert_err(st->ops->followup_done(st, id, &o, &e), &e, ERR_CONFLICT, "status", "done");
    assert_err(st->ops->followup_done(st, 999999, &o, &e), &e, ERR_NOT_FOUND, "id", "unknown");
    assert_int_equal(followups(f, &(struct followup_query){ .status = "open", .limit = 10 }, &fl),
                     0);
    assert_int_equal(followups(f, &(struct followup_query){ .status = "done", .limit = 10 }, &fl),
                     1);
    assert_int_equal(fl[0].n_ratings, 0);    /* lists do not load ratings */
}

static void
test_closed_between(void **state)
{
    struct fx *f = *state;
    struct store *st = f->st;
    int64_t from = at(2026, 3, 1, 0, 0), to = at(2026, 4, 1, 0, 0);
    struct complaint *c[5];
    struct closed_item *items;
    size_t n;
    struct err e = { 0 };
    const int64_t closed[] = { from - 60, from, to - 60, to, 0 };

    for (int i = 0; i < 5; i++) {
        c[i] = create_simple(f, at(2026, 2, 1, 9, i), "13800000001");
        if (closed[i] != 0)
            update_ok(f, c[i]->id, &(struct complaint_change){ .has_closed_at = true,
                                                                .closed_at = closed[i],
                                                                .has_reopenings = true,
                                                                .reopenings = i });
    }
    assert_ok(st->ops->closed_between(st, from, to, f->a, &items, &n, &e), &e);
    assert_int_equal(n, 2);
    assert_int_equal(items[0].id, c[1]->id);
    assert_string_equal(items[0].number, c[1]->number);
    assert_string_equal(items[0].project_code, "P1");
    assert_int_equal(items[0].reopenings, 1);
    assert_int_equal(items[1].id, c[2]->id);
    assert_int_equal(items[1].reopenings, 2);
    assert_ok(st->ops->closed_between(st, to, to + 86400, f->a, &items, &n, &e), &e);
    assert_int_equal(n, 1);
    assert_int_equal(items[0].id, c[3]->id);
    assert_ok(st->ops->closed_between(st, 0, 1, f->a, &items, &n, &e), &e);
    assert_int_equal(n, 0);
}

static void
test_staff_in_role(void **state)
{
    struct fx *f = *state;
    struct store *st = f->st;
    struct complaint *c = create_simple(f, at(2026, 3, 1, 9, 0), "13800000001");
    struct staff_new dave = { .login = "dave", .name = "赵六" };
    struct staff_load *l;
    size_t n;
    struct err e = { 0 };

    assert_ok(st->ops->staff_add(st, &dave, 0, &e), &e);
    assert_ok(st->ops->membership_add(st, "bob", &(struct membership){ .role = "centre",
                                                                       .project = "P1" }, &e),
              &e);
    assert_ok(st->ops->membership_add(st, "alice", &(struct membership){ .role = "centre",
                                                                         .project = "P1",
                                                                         .department = "eng" },
                                      &e), &e);
    /* company-wide, another project, another role, disabled: not counted */
    assert_ok(st->ops->membership_add(st, "carol", &(struct membership){ .role = "centre" }, &e),
              &e);
    assert_ok(st->ops->membership_add(st, "carol", &(struct membership){ .role = "centre",
                                                                         .project = "P2" }, &e),
              &e);
    assert_ok(st->ops->membership_add(st, "carol", &(struct membership){ .role = "handler",
                                                                         .project = "P1" }, &e),
              &e);
    assert_ok(st->ops->membership_add(st, "dave", &(struct membership){ .role = "centre",
                                                                        .project = "P1" }, &e),
              &e);
    assert_ok(st->ops->staff_set_status(st, "dave", "disabled", &e), &e);
    followup_ok(f, c->id, "regular", 0, "bob", at(2026, 3, 10, 0, 0));
    followup_ok(f, c->id, "sample", 0, "bob", at(2026, 3, 11, 0, 0));
    followup_ok(f, c->id, "regular", 1, "alice", at(2026, 3, 12, 0, 0));
    assert_ok(st->ops->followup_done(st, followup_ok(f, c->id, "sample", 1, "alice", 0),
                                     &(struct followup_outcome){ .outcome = "reached",
                                                                 .done_by = "alice" },
                                     &e), &e);

    assert_ok(st->ops->staff_in_role(st, "P1", "centre", f->a, &l, &n, &e), &e);
    assert_int_equal(n, 2);
    assert_string_equal(l[0].login, "alice");
    assert_string_equal(l[0].name, "王丽");
    assert_int_equal(l[0].open_followups, 1);
    assert_string_equal(l[1].login, "bob");
    assert_int_equal(l[1].open_followups, 2);
    assert_ok(st->ops->staff_in_role(st, "P2", "handler", f->a, &l, &n, &e), &e);
    assert_int_equal(n, 0);
    assert_err(st->ops->staff_in_role(st, "P9", "centre", f->a, &l, &n, &e), &e, ERR_INVALID,
               "project", "unknown");
    assert_err(st->ops->staff_in_role(st, "P1", "boss", f->a, &l, &n, &e), &e, ERR_INVALID,
               "role", "bad_value");
}

/* ---- cases ---- */

static void
test_cases(void **state)
{
    struct fx *f = *state;
    struct store *st = f->st;
    struct complaint *c = create_simple(f, at(2026, 3, 1, 9, 0), "13800000001");
    struct complaint_new in;
    struct complaint *d;
    struct case_entry *k, *list;
    size_t n;
    struct err e = { 0 };

    complaint_init(&in, at(2026, 3, 2, 9, 0), "13800000002");
    in.subject = "电梯困人";
    in.category = "equipment";
    in.subcategory = "lift";
    d = create(f, &in);
    update_ok(f, d->id, &(struct complaint_change){ .grade = "A" });

    assert_err(st->ops->case_get(st, c->id, f->a, &k, &e), &e, ERR_NOT_FOUND, "complaint_id",
               "unknown");
    assert_ok(st->ops->case_put(st, c->id, "防水层老化", NULL, "alice", at(2026, 4, 1, 9, 0), &e),
              &e);
    assert_ok(st->ops->case_put(st, d->id, "维保不到位", "每月检查", "bob", at(2026, 4, 2, 9, 0),
                                &e), &e);
    assert_true(get(f, c->number)->is_case);
    assert_ok(st->ops->case_get(st, d->id, f->a, &k, &e), &e);
    assert_int_equal(k->complaint_id, d->id);
    assert_string_equal(k->number, d->number);
    assert_string_equal(k->project_code, "P1");
    assert_string_equal(k->grade, "A");
    assert_string_equal(k->category_code, "equipment");
    assert_string_equal(k->subject, "电梯困人");
    assert_string_equal(k->summary, "维保不到位");
    assert_string_equal(k->lessons, "每月检查");
    assert_string_equal(k->marked_by, "bob");
    assert_int_equal(k->marked_at, at(2026, 4, 2, 9, 0));
    assert_ok(st->ops->case_get(st, c->id, f->a, &k, &e), &e);
    assert_null(k->lessons);
    assert_null(k->grade);

    /* newest first; q in subject, summary or lessons */
    assert_ok(st->ops->case_list(st, NULL, 10, f->a, &list, &n, &e), &e);
    assert_int_equal(n, 2);
    assert_int_equal(list[0].complaint_id, d->id);
    assert_int_equal(list[1].complaint_id, c->id);
    assert_ok(st->ops->case_list(st, "", 1, f->a, &list, &n, &e), &e);
    assert_int_equal(n, 1);
    assert_ok(st->ops->case_list(st, "电梯", 10, f->a, &list, &n, &e), &e);
    assert_int_equal(n, 1);
    assert_int_equal(list[0].complaint_id, d->id);
    assert_ok(st->ops->case_list(st, "老化", 10, f->a, &list, &n, &e), &e);
    assert_int_equal(n, 1);
    assert_int_equal(list[0].complaint_id, c->id);
    assert_ok(st->ops->case_list(st, "每月", 10, f->a, &list, &n, &e), &e);
    assert_int_equal(n, 1);
    assert_ok(st->ops->case_list(st, "%", 10, f->a, &list, &n, &e), &e);
    assert_int_equal(n, 0);

    /* re-marking replaces the text */
    assert_ok(st->ops->case_put(st, c->id, "防水层老化,未及时处理", "定期巡查屋面", "bob",
                                at(2026, 4, 3, 9, 0), &e), &e);
    assert_ok(st->ops->case_get(st, c->id, f->a, &k, &e), &e);
    assert_string_equal(k->summary, "防水层老化,未及时处理");
    assert_string_equal(k->lessons, "定期巡查屋面");
    assert_string_equal(k->marked_by, "bob");
    assert_ok(st->ops->case_list(st, NULL, 10, f->a, &list, &n, &e), &e);
    assert_int_equal(n, 2);
    assert_int_equal(list[0].complaint_id, c->id);

    assert_err(st->ops->case_put(st, 999999, "x", NULL, "alice", 0, &e), &e, ERR_NOT_FOUND,
               "complaint_id", "unknown");
    assert_err(st->ops->case_put(st, c->id, "x", NULL, "nobody", 0, &e), &e, ERR_INVALID,
               "marked_by", "unknown");
    assert_err(st->ops->case_put(st, c->id, NULL, NULL, "alice", 0, &e), &e, ERR_INVALID,
               "summary", "required");
    assert_err(st->ops->case_list(st, NULL, 0, f->a, &list, &n, &e), &e, ERR_INVALID, "limit",
               "out_of_range");
}

/* ---- history ---- */

static void
test_history(void **state)
{
    struct fx *f = *state;
    struct store *st = f->st;
    struct complaint *c[4];
    struct complainant_new zhang = { .name = "张三", .phone = "13800000001", .role = "owner" };
    struct history_item *h;
    int64_t id;
    size_t n;
    int seq;
    struct err e = { 0 };

    c[0] = create_simple(f, at(2026, 1, 1, 9, 0), "13800000001");
    c[1] = create_simple(f, at(2026, 2, 1, 9, 0), "13800000001");
    c[2] = create_simple(f, at(2026, 3, 1, 9, 0), "13800000002");  /* joined as person 2 */
    c[3] = create_simple(f, at(2026, 4, 1, 9, 0), "13800000001");
    assert_ok(st->ops->person_add(st, c[2]->id, &zhang, 0, &seq, &e), &e);
    update_ok(f, c[0]->id, &(struct complaint_change){ .grade = "C", .status = "closed" });
    /* c[0]: two follow-ups done, the later one counts; compensation agreed summed */
    id = followup_ok(f, c[0]->id, "regular", 0, NULL, 0);
    assert_ok(st->ops->followup_done(st, id, &(struct followup_outcome){
                  .outcome = "reached", .satisfaction = "dissatisfied", .done_by = "alice",
                  .done_at = at(2026, 1, 10, 0, 0) }, &e), &e);
    id = followup_ok(f, c[0]->id, "sample", 0, NULL, 0);
    assert_ok(st->ops->followup_done(st, id, &(struct followup_outcome){
                  .outcome = "reached", .satisfaction = "satisfied", .done_by = "alice",
                  .done_at = at(2026, 1, 20, 0, 0) }, &e), &e);
    followup_ok(f, c[0]->id, "regular", 1, NULL, 0);   /* open: not counted */
    for (int i = 0; i < 3; i++) {
        struct compensation_new k = { .complaint_id = c[0]->id, .type = "cash",
                                      .amount_fen = 1000 * (i + 1), .status = "proposed",
                                      .proposed_by = "alice" };
        assert_ok(st->ops->compensation_add(st, &k, &id, &e), &e);
        if (i < 2)
            assert_ok(st->ops->compensation_decide(st, c[0]->id, id, "agreed", "alice", NULL, 0,
                                                   &e), &e);
    }

    assert_ok(st->ops->history_list(st, c[0]->complainant_id, c[3]->id, 10, f->a, &h, &n, &e),
              &e);
    assert_int_equal(n, 3);
    assert_string_equal(h[0].number, c[2]->number);
    assert_string_equal(h[1].number, c[1]->number);
    assert_string_equal(h[2].number, c[0]->number);
    assert_string_equal(h[2].project_code, "P1");
    assert_string_equal(h[2].subject, c[0]->subject);
    assert_string_equal(h[2].status, "closed");
    assert_string_equal(h[2].grade, "C");
    assert_int_equal(h[2].received_at, at(2026, 1, 1, 9, 0));
    assert_string_equal(h[2].satisfaction, "satisfied");
    assert_int_equal(h[2].compensation_fen, 3000);
    assert_null(h[1].grade);
    assert_null(h[1].satisfaction);
    assert_int_equal(h[1].compensation_fen, 0);
    assert_ok(st->ops->history_list(st, c[0]->complainant_id, 0, 2, f->a, &h, &n, &e), &e);
    assert_int_equal(n, 2);
    assert_string_equal(h[0].number, c[3]->number);
    assert_ok(st->ops->history_list(st, c[2]->complainant_id, c[2]->id, 10, f->a, &h, &n, &e),
              &e);
    assert_int_equal(n, 0);
    assert_ok(st->ops->history_list(st, 0, 0, 10, f->a, &h, &n, &e), &e);
    assert_int_equal(n, 0);
    assert_err(st->ops->history_list(st, 1, 0, 0, f->a, &h, &n, &e), &e, ERR_INVALID, "limit",
               "out_of_range");
}

/* ---- categories, departments, dispatch ---- */

static const struct category *
category(struct fx *f, const char *code, const char *sub)
{
    struct category *all;
    const char *preset;
    size_t n;
    struct err e = { 0 };

    assert_ok(f->st->ops->category_list(f->st, f->a, &preset, &all, &n, &e), &e);
    for (size_t i = 0; i < n; i++) {
        if (strcmp(all[i].code, code) != 0)
            continue;
        if (sub == NULL)
            return &all[i];
        for (size_t j = 0; j < all[i].n_subs; j++)
            if (strcmp(all[i].subs[j].code, sub) == 0)
                return &all[i].subs[j];
    }
    return NULL;
}

static void
test_categories(void **state)
{
    struct fx *f = *state;
    struct store *st = f->st;
    const struct category *c;
    struct category *all;
    const char *preset;
    size_t n;
    struct category_new top = { .code = "parking", .name_zh = "停车", .name_en = "Parking" };
    struct category_new sub = { .parent = "parking", .code = "fees", .name_zh = "停车费",
                                .name_en = "Parking fees", .description_zh = "月卡与临停" };
    struct err e = { 0 };

    assert_ok(st->ops->category_add(st, &top, &e), &e);
    assert_ok(st->ops->category_add(st, &sub, &e), &e);
    /* last among its siblings */
    assert_ok(st->ops->category_list(st, f->a, &preset, &all, &n, &e), &e);
    assert_string_equal(all[n - 1].code, "parking");
    assert_int_equal(all[n - 1].n_subs, 1);
    c = category(f, "parking", "fees");
    assert_non_null(c);
    assert_string_equal(c->name_en, "Parking fees");
    assert_string_equal(c->description_zh, "月卡与临停");
    assert_string_equal(c->description_en, "");
    assert_false(c->retired);

    /* refused */
    assert_err(st->ops->category_add(st, &top, &e), &e, ERR_CONFLICT, "code", "exists");
    assert_err(st->ops->category_add(st, &sub, &e), &e, ERR_CONFLICT, "code", "exists");
    sub.parent = "nope";
    assert_err(st->ops->category_add(st, &sub, &e), &e, ERR_INVALID, "parent", "unknown");
    sub.parent = "building";
    sub.name_en = NULL;
    assert_err(st->ops->category_add(st, &sub, &e), &e, ERR_INVALID, "name_en", "required");
    sub.name_en = "Fees";
    sub.code = NULL;
    assert_err(st->ops->category_add(st, &sub, &e), &e, ERR_INVALID, "code", "required");
    /* the same code under another parent is another category */
    sub.code = "fees";
    assert_ok(st->ops->category_add(st, &sub, &e), &e);

    /* update and retire */
    assert_ok(st->ops->category_update(st, "parking", "fees", &(struct category_change){
                  .name_zh = "停车收费", .description_en = "Monthly and hourly" }, &e), &e);
    c = category(f, "parking", "fees");
    assert_string_equal(c->name_zh, "停车收费");
    assert_string_equal(c->name_en, "Parking fees");
    assert_string_equal(c->description_zh, "月卡与临停");
    assert_string_equal(c->description_en, "Monthly and hourly");
    assert_ok(st->ops->category_update(st, NULL, "parking", &(struct category_change){
                  .has_retired = true, .retired = true }, &e), &e);
    assert_true(category(f, "parking", NULL)->retired);
    assert_string_equal(category(f, "parking", NULL)->name_zh, "停车");
    /* a retired parent takes no new subcategory */
    sub.parent = "parking";
    sub.code = "other";
    assert_err(st->ops->category_add(st, &sub, &e), &e, ERR_INVALID, "parent", "retired");
    assert_ok(st->ops->category_update(st, NULL, "parking", &(struct category_change){
                  .has_retired = true, .retired = false }, &e), &e);
    assert_false(category(f, "parking", NULL)->retired);

    assert_err(st->ops->category_update(st, NULL, "nope", &(struct category_change){ 0 }, &e),
               &e, ERR_NOT_FOUND, "code", "unknown");
    assert_err(st->ops->category_update(st, "nope", "fees", &(struct category_change){ 0 }, &e),
               &e, ERR_NOT_FOUND, "parent", "unknown");
    assert_err(st->ops->category_update(st, "parking", "nope", &(struct category_change){ 0 },
                                        &e),
               &e, ERR_NOT_FOUND, "code", "unknown");
    assert_err(st->ops->category_update(st, NULL, "parking",
                                        &(struct category_change){ .name_zh = "" }, &e),
               &e, ERR_INVALID, "name_zh", "required");
}

static void
test_departments_and_dispatch(void **state)
{
    struct fx *f = *state;
    struct store *st = f->st;
    struct department *d;
    struct dispatch_rule *r;
    const char *dep;
    size_t n;
    struct err e = { 0 };

    /* departments: the company's first, then by project */
    assert_ok(st->ops->department_list(st, NULL, f->a, &d, &n, &e), &e);
    assert_int_equal(n, 3);
    assert_string_equal(d[0].code, "service");
    assert_null(d[0].project);
    assert_string_equal(d[0].name, "客服中心");
    assert_string_equal(d[1].code, "eng");
    assert_string_equal(d[1].project, "P1");
    assert_string_equal(d[2].project, "P2");
    assert_ok(st->ops->department_add(st, "P2", "sec", "秩序部", &e), &e);
    assert_ok(st->ops->department_list(st, "P2", f->a, &d, &n, &e), &e);
    assert_int_equal(n, 3);
    assert_string_equal(d[0].code, "service");
    assert_string_equal(d[1].code, "eng");
    assert_string_equal(d[2].code, "sec");
    assert_err(st->ops->department_list(st, "P9", f->a, &d, &n, &e), &e, ERR_INVALID, "project",
               "unknown");

    /* rules: for every project, and a project's own */
    assert_ok(st->ops->dispatch_put(st, "equipment", NULL, "eng", &e), &e);
    assert_ok(st->ops->dispatch_put(st, "building", NULL, "eng", &e), &e);
    assert_ok(st->ops->dispatch_put(st, "security", "P2", "sec", &e), &e);
    assert_ok(st->ops->dispatch_put(st, "security", NULL, "service", &e), &e);
    assert_ok(st->ops->dispatch_find(st, "security", "P2", f->a, &dep, &e), &e);
    assert_string_equal(dep, "sec");
    assert_ok(st->ops->dispatch_find(st, "security", "P1", f->a, &dep, &e), &e);
    assert_string_equal(dep, "service");
    assert_ok(st->ops->dispatch_find(st, "security", NULL, f->a, &dep, &e), &e);
    assert_string_equal(dep, "service");
    assert_ok(st->ops->dispatch_find(st, "equipment", "P1", f->a, &dep, &e), &e);
    assert_string_equal(dep, "eng");
    assert_ok(st->ops->dispatch_find(st, "service", "P1", f->a, &dep, &e), &e);
    assert_null(dep);
    assert_ok(st->ops->dispatch_find(st, NULL, "P1", f->a, &dep, &e), &e);
    assert_null(dep);
    assert_ok(st->ops->dispatch_list(st, f->a, &r, &n, &e), &e);
    assert_int_equal(n, 4);
    assert_string_equal(r[0].category, "building");
    assert_null(r[0].project);
    assert_string_equal(r[1].category, "equipment");
    assert_string_equal(r[2].category, "security");
    assert_null(r[2].project);
    assert_string_equal(r[2].department, "service");
    assert_string_equal(r[3].category, "security");
    assert_string_equal(r[3].project, "P2");
    assert_string_equal(r[3].department, "sec");

    /* replace keeps one rule (and its id); NULL removes */
    {
        int64_t id = r[2].id;
        assert_ok(st->ops->dispatch_put(st, "security", NULL, "eng", &e), &e);
        assert_ok(st->ops->dispatch_list(st, f->a, &r, &n, &e), &e);
        assert_int_equal(n, 4);
        assert_int_equal(r[2].id, id);
        assert_string_equal(r[2].department, "eng");
    }
    assert_ok(st->ops->dispatch_put(st, "security", "P2", NULL, &e), &e);
    assert_ok(st->ops->dispatch_find(st, "security", "P2", f->a, &dep, &e), &e);
    assert_string_equal(dep, "eng");
    assert_ok(st->ops->dispatch_put(st, "security", NULL, NULL, &e), &e);
    assert_ok(st->ops->dispatch_put(st, "security", NULL, NULL, &e), &e);   /* nothing left */
    assert_ok(st->ops->dispatch_find(st, "security", "P2", f->a, &dep, &e), &e);
    assert_null(dep);
    assert_ok(st->ops->dispatch_list(st, f->a, &r, &n, &e), &e);
    assert_int_equal(n, 2);

    /* refused */
    assert_err(st->ops->dispatch_put(st, "nope", NULL, "eng", &e), &e, ERR_INVALID, "category",
               "unknown");
    assert_err(st->ops->dispatch_put(st, "equipment", "P9", "eng", &e), &e, ERR_INVALID,
               "project", "unknown");
    assert_err(st->ops->dispatch_put(st, "equipment", NULL, "nope", &e), &e, ERR_INVALID,
               "department", "unknown");
    assert_err(st->ops->dispatch_put(st, "equipment", "P1", "sec", &e), &e, ERR_INVALID,
               "department", "unknown");
    assert_ok(st->ops->dispatch_put(st, "equipment", "P1", "service", &e), &e);
    assert_ok(st->ops->category_update(st, NULL, "dispute", &(struct category_change){
                  .has_retired = true, .retired = true }, &e), &e);
    assert_err(st->ops->dispatch_put(st, "dispute", NULL, "eng", &e), &e, ERR_INVALID,
               "category", "retired");
    assert_ok(st->ops->dispatch_put(st, "dispute", NULL, NULL, &e), &e);
    assert_err(st->ops->dispatch_find(st, "nope", "P1", f->a, &dep, &e), &e, ERR_INVALID,
               "category", "unknown");
    assert_err(st->ops->dispatch_find(st, "equipment", "P9", f->a, &dep, &e), &e, ERR_INVALID,
               "project", "unknown");
}

/* ---- SQLite only: the upgrade, the triggers, the plans ---- */

static void
exec_ok(sqlite3 *db, const char *sql)
{
    char *msg = NULL;

    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
        fail_msg("%s: %s", sql, msg ? msg : "?");
}

static sqlite3 *
open_raw(struct fx *f)
{
    char path[512];
    sqlite3 *db = NULL;
    struct err e = { 0 };

    snprintf(path, sizeof(path), "%s/kesu.db", f->dir);
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                                     NULL), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    assert_ok(fts_cjk_register(db, &e), &e);
    return db;
}

static int64_t
scalar(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st;
    int64_t n = -1;

    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    if (sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

/*
 * A database as a version-4 kesu left it (migrations 1 to 4 as recorded, a
 * project, a complaint, two API tokens: one made with "*", stored as the 12
 * permissions of the time, and one with a single scope), then migrated.
 */
static void
test_migrate_from_v4(void **state)
{
    static const char data[] =
        "INSERT INTO settings (key, value) VALUES ('taxonomy_preset', 'property');"
        "INSERT INTO projects (id, code, name, created_at) VALUES (1, 'P1', '翠湖花园', 0);"
        "INSERT INTO staff (id, login, name, created_at) VALUES (1, 'alice', '王丽', 0);"
        "INSERT INTO number_series (prefix, year, last) VALUES ('KS', 2025, 1);"
        "INSERT INTO complaints (id, number, status, kind, nature, channel, received_at,"
        " registered_at, received_by, project_id, c_name, c_phone, c_role, headcount, subject,"
        " content) VALUES (1, 'KS-2025-000001', 'registered', 'complaint', 'undetermined',"
        " 'phone', 1750000020, 1750000080, 1, 1, '张三', '13800138000', 'owner', 1,"
        " '电梯故障', '3号电梯经常停运。');"
        "INSERT INTO api_tokens (id, token_hash, name, staff_id, scopes, created_at) VALUES"
        " (1, x'01', 'all', 1, 4095, 0), (2, x'02', 'one', 1, 4, 0);";
    struct fx *f = *state;
    sqlite3 *db = open_raw(f);
    sqlite3_stmt *st;
    struct complaint *c;
    struct err e = { 0 };
    int version = -1;

    exec_ok(db, "BEGIN");
    exec_ok(db, "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY,"
                " name TEXT NOT NULL, applied_at INTEGER NOT NULL)");
    for (const struct sqlite_migration *m = sqlite_migrations; m->version <= 4; m++) {
        exec_ok(db, m->sql);
        assert_int_equal(sqlite3_prepare_v2(db, "INSERT INTO schema_migrations"
                                                " VALUES (?1, ?2, 0)", -1, &st, NULL),
                         SQLITE_OK);
        sqlite3_bind_int(st, 1, m->version);
        sqlite3_bind_text(st, 2, m->name, -1, SQLITE_STATIC);
        assert_int_equal(sqlite3_step(st), SQLITE_DONE);
        sqlite3_finalize(st);
    }
    exec_ok(db, data);
    exec_ok(db, "COMMIT");
    sqlite3_close(db);

    assert_ok(f->st->ops->health(f->st, &version, &e), &e);
    assert_int_equal(version, 4);
    assert_ok(store_migrate(f->st, NULL, at(2026, 1, 1, 0, 0), &version, &e), &e);
    assert_int_equal(version, STORE_SCHEMA_VERSION);
    assert_rules_are(f, "property");
    c = get(f, "KS-2025-000001");
    assert_int_equal(c->raised, 1);
    assert_int_equal(c->reopenings, 0);
    assert_null(c->department_code);
    assert_null(c->handler_login);
    assert_int_equal(c->closed_at, 0);
    assert_false(c->is_case);
    assert_int_equal(c->n_people, 0);
    db = open_raw(f);
    assert_int_equal(scalar(db, "SELECT scopes FROM api_tokens WHERE id = 1"), CORE_SCOPES_ALL);
    assert_int_equal(scalar(db, "SELECT scopes FROM api_tokens WHERE id = 2"), 4);
    assert_int_equal(CORE_SCOPES_ALL, 524287);
    assert_int_equal(scalar(db, "SELECT value = 'property' FROM settings"
                                " WHERE key = 'grading_preset'"), 1);
    sqlite3_close(db);
    /* the old complaint takes part in the new life */
    update_ok(f, c->id, &(struct complaint_change){ .has_closed_at = true, .closed_at = 5 });
    assert_int_equal(get(f, "KS-2025-000001")->closed_at, 5);
}

static void
test_sqlite_records_never_deleted(void **state)
{
    static const char *const refused[] = {
        "DELETE FROM compensations", "DELETE FROM followups", "DELETE FROM followup_ratings",
        "DELETE FROM complaint_people", "DELETE FROM cases",
    };
    struct fx *f = *state;
    struct store *st = f->st;
    struct complaint *c = create_simple(f, at(2026, 3, 1, 9, 0), "13800000001");
    struct complainant_new li = { .name = "李四", .phone = "13900000009", .role = "owner" };
    struct compensation_new k = { .complaint_id = c->id, .type = "cash", .amount_fen = 1,
                                  .status = "proposed", .proposed_by = "alice" };
    struct followup_outcome o = { .outcome = "reached", .done_by = "alice",
                                  .ratings = &(struct followup_rating){ .person = 2 },
                                  .n_ratings = 1 };
    int64_t id;
    int seq;
    sqlite3 *db;
    struct err e = { 0 };

    assert_ok(st->ops->person_add(st, c->id, &li, 0, &seq, &e), &e);
    assert_ok(st->ops->compensation_add(st, &k, &id, &e), &e);
    assert_ok(st->ops->followup_done(st, followup_ok(f, c->id, "regular", 0, NULL, 0), &o, &e),
              &e);
    assert_ok(st->ops->case_put(st, c->id, "x", NULL, "alice", 0, &e), &e);
    db = open_raw(f);
    for (size_t i = 0; i < TEST_ARRAY_LEN(refused); i++) {
        int rc = sqlite3_exec(db, refused[i], NULL, NULL, NULL);
        if (rc == SQLITE_OK)
            fail_msg("the database accepted: %s", refused[i]);
        assert_int_equal(rc & 0xFF, SQLITE_CONSTRAINT);
    }
    assert_int_equal(scalar(db, "SELECT count(*) FROM compensations"), 1);
    assert_int_equal(scalar(db, "SELECT count(*) FROM followups"), 1);
    assert_int_equal(scalar(db, "SELECT count(*) FROM followup_ratings"), 1);
    assert_int_equal(scalar(db, "SELECT count(*) FROM complaint_people"), 1);
    assert_int_equal(scalar(db, "SELECT count(*) FROM cases"), 1);
    /* configuration may go */
    exec_ok(db, "DELETE FROM dispatch_rules");
    sqlite3_close(db);
}

/* The plan of `sql` as one line: "detail; detail; ...". */
static void
plan(sqlite3 *db, const char *sql, char *out, size_t size)
{
    char q[2048];
    sqlite3_stmt *st;
    size_t len = 0;

    snprintf(q, sizeof(q), "EXPLAIN QUERY PLAN %s", sql);
    if (sqlite3_prepare_v2(db, q, -1, &st, NULL) != SQLITE_OK)
        fail_msg("%s: %s", q, sqlite3_errmsg(db));
    out[0] = '\0';
    while (sqlite3_step(st) == SQLITE_ROW && len < size)
        len += (size_t)snprintf(out + len, size - len, "%s%s", len ? "; " : "",
                                (const char *)sqlite3_column_text(st, 3));
    sqlite3_finalize(st);
    print_message("plan: %s\n  -> %s\n", sql, out);
}

/*
 * The queries of similar_find, closed_between and the follow-up lists, as
 * store_sqlite.c writes them, use the indexes of migration 5; the list of
 * complaints by project (and category) keeps its plan with the new
 * indexes' statistics in place (they must not lure the list, which walks the
 * time index in order, into a sort).
 */
static void
test_sqlite_query_plans(void **state)
{
    static const char similar_where[] =
        " FROM complaints WHERE project_id = ?1 AND category_id = ?2 AND building_id = ?3"
        " AND received_at BETWEEN ?4 AND ?5 AND (?6 IS NULL OR unit_id = ?6)"
        " AND status <> 'invalid'";
    struct fx *f = *state;
    struct err e = { 0 };
    char sql[1024], p[2048];
    sqlite3 *db;

    assert_ok(f->st->ops->maintain(f->st, &e), &e);
    db = open_raw(f);
    /* the index covers both queries: no table row is read, no sort is made */
    snprintf(sql, sizeof(sql), "SELECT id%s ORDER BY received_at DESC LIMIT ?7", similar_where);
    plan(db, sql, p, sizeof(p));
    assert_non_null(strstr(p, "USING COVERING INDEX complaints_similar (project_id=? AND "
                              "category_id=? AND building_id=? AND received_at>? AND "
                              "received_at<?)"));
    assert_null(strstr(p, "TEMP B-TREE"));
    snprintf(sql, sizeof(sql),
             "SELECT count(*) FROM (SELECT DISTINCT coalesce(complainant_id, -id)%s LIMIT ?7)",
             similar_where);
    plan(db, sql, p, sizeof(p));
    assert_non_null(strstr(p, "USING COVERING INDEX complaints_similar"));
    plan(db, "SELECT c.id, c.number, p.code, c.reopenings FROM complaints c"
             " JOIN projects p ON p.id = c.project_id"
             " WHERE c.closed_at >= ?1 AND c.closed_at < ?2 ORDER BY c.id",
         p, sizeof(p));
    assert_non_null(strstr(p, "USING INDEX complaints_closed (closed_at>? AND closed_at<?)"));
    plan(db, "SELECT f.id FROM followups f WHERE 1 AND f.status = 'open'"
             " ORDER BY f.due_at, f.id LIMIT 10",
         p, sizeof(p));
    assert_non_null(strstr(p, "followups_open_due"));
    plan(db, "SELECT f.id FROM followups f WHERE 1 AND f.status = 'open' AND f.assignee_id = ?1"
             " ORDER BY f.due_at, f.id LIMIT 10",
         p, sizeof(p));
    assert_non_null(strstr(p, "followups_open_assignee (assignee_id=?)"));
    plan(db, "SELECT c.id FROM complaints c WHERE 1 AND c.project_id IN (SELECT id FROM projects"
             " WHERE 1 AND code IN (?1)) ORDER BY c.received_at DESC, c.id DESC LIMIT 21",
         p, sizeof(p));
    assert_null(strstr(p, "complaints_similar"));
    assert_null(strstr(p, "TEMP B-TREE"));
    plan(db, "SELECT c.id FROM complaints c WHERE 1 AND c.project_id IN (SELECT id FROM projects"
             " WHERE 1 AND code IN (?1)) AND c.category_id IN (SELECT id FROM categories"
             " WHERE parent_id = 0 AND code IN (?2)) ORDER BY c.received_at DESC, c.id DESC"
             " LIMIT 21",
         p, sizeof(p));
    assert_null(strstr(p, "complaints_similar"));
    assert_null(strstr(p, "TEMP B-TREE"));
    plan(db, "SELECT c.id, (SELECT f.satisfaction FROM followups f WHERE f.complaint_id = c.id"
             " AND f.status = 'done' ORDER BY f.done_at DESC, f.id DESC LIMIT 1),"
             " (SELECT coalesce(sum(k.amount_fen), 0) FROM compensations k"
             " WHERE k.complaint_id = c.id AND k.status = 'agreed')"
             " FROM (SELECT id FROM complaints WHERE complainant_id = ?1"
             " UNION SELECT complaint_id FROM complaint_people WHERE complainant_id = ?1) h"
             " CROSS JOIN complaints c ON c.id = h.id JOIN projects p ON p.id = c.project_id"
             " WHERE c.id <> ?2 ORDER BY c.received_at DESC, c.id DESC LIMIT ?3",
         p, sizeof(p));
    assert_non_null(strstr(p, "INDEX complaints_complainant (complainant_id=?)"));
    assert_non_null(strstr(p, "INDEX complaint_people_complainant (complainant_id=?)"));
    assert_non_null(strstr(p, "SEARCH c USING INTEGER PRIMARY KEY (rowid=?)"));
    assert_null(strstr(p, "complaints_received"));
    sqlite3_close(db);
}

/* ---- the suite ---- */

#define T(fn, setup) { #fn, fn, setup }

static const struct {
    const char *name;
    void (*fn)(void **);
    int (*setup)(void **);
} contract[] = {
    T(test_fresh_has_property_rules, setup_fresh),
    T(test_grade_preset_set, setup_seeded),
    T(test_update_fields, setup_seeded),
    T(test_update_references, setup_seeded),
    T(test_person_add, setup_seeded),
    T(test_similar_find, setup_seeded),
    T(test_compensations, setup_seeded),
    T(test_followup_create_get_list, setup_seeded),
    T(test_followup_done, setup_seeded),
    T(test_closed_between, setup_seeded),
    T(test_staff_in_role, setup_seeded),
    T(test_cases, setup_seeded),
    T(test_history, setup_seeded),
    T(test_categories, setup_seeded),
    T(test_departments_and_dispatch, setup_seeded),
};

int
main(void)
{
    struct CMUnitTest tests[TEST_ARRAY_LEN(contract)];
    const struct CMUnitTest sqlite_only[] = {
        cmocka_unit_test_prestate_setup_teardown(test_migrate_from_v4, setup_fresh, teardown,
                                                 &backends[0]),
        cmocka_unit_test_prestate_setup_teardown(test_sqlite_records_never_deleted,
                                                 setup_seeded, teardown, &backends[0]),
        cmocka_unit_test_prestate_setup_teardown(test_sqlite_query_plans, setup_seeded,
                                                 teardown, &backends[0]),
    };
    int failed = 0;

    for (size_t b = 0; b < TEST_ARRAY_LEN(backends); b++) {
        for (size_t i = 0; i < TEST_ARRAY_LEN(contract); i++)
            tests[i] = (struct CMUnitTest){ contract[i].name, contract[i].fn, contract[i].setup,
                                            teardown, &backends[b] };
        failed += cmocka_run_group_tests_name(backends[b].name, tests, NULL, NULL);
    }
    failed += cmocka_run_group_tests_name("sqlite only", sqlite_only, NULL, NULL);
    return failed != 0;
}
