#include "testutil.h"
#include "testutil_store.h"

/*
 * The store contract: one suite, written against store/store.h only, run on
 * every backend in `backends[]` (STYLE §5, §6). A new backend (PostgreSQL)
 * adds one line there and must pass unchanged. Tests that look inside one
 * backend's database (the SQLite triggers, row counts) are a separate group
 * at the end.
 */

#include "core/audit.h"
#include "core/complaint.h"
#include "core/perm.h"
#include "core/taxonomy.h"
#include "store/fts.h"
#include "store/schema_sqlite.h"
#include "store/store.h"
#include "store/store_faulty.h"
#include "store/store_sqlite.h"
#include "util/alloc.h"
#include "util/arena.h"
#include "util/sbuf.h"
#include "util/ts.h"

#include <dirent.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define TZ 480              /* China, +08:00 */
#define ARENA_LIMIT (256u << 20)
#define DATASET_N 60

/* ---- backends ---- */

struct backend {
    const char *name;
    /*
     * A store on a fresh, empty database. `dir` is a new mkdtemp directory for
     * this test: SQLite keeps its file there; a server backend (PostgreSQL)
     * can derive a database or schema name from it.
     */
    struct store *(*open)(const char *dir, struct err *e);
    /* After the store is closed: drop what open created outside `dir`; NULL if nothing. */
    void (*destroy)(const char *dir);
    /*
     * Before open: make the database a kesu at schema version 1 left behind,
     * holding V1_* below, for the upgrade test. The store itself only ever
     * migrates to the newest version, so this is built by hand.
     */
    void (*make_v1)(const char *dir);
    /* The same for schema version 3 (before sessions and tokens), holding V3_* below. */
    void (*make_v3)(const char *dir);
};

#define FILTER(...) { .values = { __VA_ARGS__ }, .n = sizeof((const char *[]){ __VA_ARGS__ }) / sizeof(const char *) }

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

/* What make_v1 leaves in the database. */
#define V1_NUMBER "KS-2025-000001"
#define V1_SUBJECT "电梯故障"
#define V1_ALICE_CREATED 1000
#define STR_(x) #x
#define STR(x) STR_(x)

static void
exec_ok(sqlite3 *db, const char *sql)
{
    char *msg = NULL;

    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
        fail_msg("%s: %s", sql, msg ? msg : "?");
}

/*
 * A database as a kesu of schema version `upto` left it: migrations 1 to
 * upto, recorded as kesu recorded them, and nothing else. Returns the open
 * connection inside a transaction; old_sqlite_done() commits and closes.
 */
static sqlite3 *
old_sqlite(const char *dir, int upto)
{
    char path[512];
    sqlite3 *db = NULL;
    sqlite3_stmt *st;
    struct err e = { 0 };

    snprintf(path, sizeof(path), "%s/kesu.db", dir);
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                                     NULL), SQLITE_OK);
    if (fts_cjk_register(db, &e) < 0)             /* complaint_fts needs its tokenizer */
        fail_msg("fts_cjk_register: %s", e.detail);
    exec_ok(db, "BEGIN");
    exec_ok(db, "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY,"
                " name TEXT NOT NULL, applied_at INTEGER NOT NULL)");
    for (const struct sqlite_migration *m = sqlite_migrations; m->version <= upto; m++) {
        assert_non_null(m->sql);
        exec_ok(db, m->sql);
        assert_int_equal(sqlite3_prepare_v2(db, "INSERT INTO schema_migrations"
                                                " VALUES (?1, ?2, 0)", -1, &st, NULL),
                         SQLITE_OK);
        sqlite3_bind_int(st, 1, m->version);
        sqlite3_bind_text(st, 2, m->name, -1, SQLITE_STATIC);
        assert_int_equal(sqlite3_step(st), SQLITE_DONE);
        sqlite3_finalize(st);
    }
    return db;
}

static void
old_sqlite_done(sqlite3 *db)
{
    exec_ok(db, "COMMIT");
    assert_int_equal(sqlite3_close(db), SQLITE_OK);
}

/*
 * Version 1, then rows as the version-1 store wrote them: the preset
 * setting, one category, one project, two staff, and a complaint of alice's
 * with its first event, number and search entry. Values are constants;
 * nothing comes from outside the test.
 */
static void
make_v1_sqlite(const char *dir)
{
    static const char data[] =
        "INSERT INTO settings (key, value) VALUES ('taxonomy_preset', 'property');"
        "INSERT INTO categories (id, code, name_zh, name_en) VALUES"
        " (1, 'equipment', '设备设施', 'Equipment');"
        "INSERT INTO projects (id, code, name, created_at) VALUES (1, 'P1', '翠湖花园', 0);"
        "INSERT INTO staff (id, login, name, created_at) VALUES"
        " (1, 'alice', '王丽', " STR(V1_ALICE_CREATED) "), (2, 'bob', '李强', 2000);"
        "INSERT INTO number_series (prefix, year, last) VALUES ('KS', 2025, 1);"
        "INSERT INTO complaints (id, number, status, kind, nature, channel, received_at,"
        " registered_at, received_by, project_id, c_name, c_phone, c_role, headcount, subject,"
        " content, category_id) VALUES (1, '" V1_NUMBER "', 'registered', 'complaint',"
        " 'undetermined', 'phone', 1750000020, 1750000080, 1, 1, '张三', '13800138000',"
        " 'owner', 1, '" V1_SUBJECT "', '3号电梯经常停运。', 1);"
        "INSERT INTO events (complaint_id, seq, type, at, author_id, visibility, data) VALUES"
        " (1, 1, 'registered', 1750000080, 1, 'customer', '{}');"
        "INSERT INTO complaint_fts (rowid, subject, content, demands, who)"
        " SELECT fts_key, subject, content, demands, who FROM complaint_search;";
    sqlite3 *db = old_sqlite(dir, 1);

    exec_ok(db, data);
    old_sqlite_done(db);
}

/* What make_v3 leaves in the database. */
#define V3_PASSWORD_CHANGED 3000
#define V3_AUDIT_N 2

/* The version-3 log: entries sealed as the version-3 store sealed them. */
static void
v3_audit(struct audit_entry en[V3_AUDIT_N])
{
    static const unsigned char zeros[CORE_AUDIT_HASH];

    en[0] = (struct audit_entry){ .id = 1, .at = 2000, .address = "cli", .action = "user.add",
                                  .object = "alice", .detail = "{}" };
    en[1] = (struct audit_entry){ .id = 2, .at = V3_PASSWORD_CHANGED, .actor = "alice",
                                  .address = "127.0.0.1", .action = "user.passwd",
                                  .object = "alice", .detail = "{}" };
    core_audit_seal(&en[0], zeros);
    core_audit_seal(&en[1], en[0].hash);
}

/*
 * Version 3: a project, alice with a password and an administrator's
 * membership, a department, and two audit log entries.
 */
static void
make_v3_sqlite(const char *dir)
{
    static const char data[] =
        "INSERT INTO settings (key, value) VALUES ('taxonomy_preset', 'property');"
        "INSERT INTO projects (id, code, name, created_at) VALUES (1, 'P1', '翠湖花园', 0);"
        "INSERT INTO staff (id, login, name, created_at, password_hash, password_changed_at)"
        " VALUES (1, 'alice', '王丽', 2000, 'argon2id-v3', " STR(V3_PASSWORD_CHANGED) ");"
        "INSERT INTO departments (id, project_id, code, name) VALUES (1, 1, 'ENG', '工程部');"
        "INSERT INTO memberships (staff_id, project_id, department_id, role) VALUES"
        " (1, 0, 0, 'admin'), (1, 1, 1, 'handler');";
    struct audit_entry en[V3_AUDIT_N];
    sqlite3 *db = old_sqlite(dir, 3);
    sqlite3_stmt *st;

    exec_ok(db, data);
    v3_audit(en);
    for (size_t i = 0; i < V3_AUDIT_N; i++) {
        assert_int_equal(sqlite3_prepare_v2(db, "INSERT INTO audit_log (id, at, actor, address,"
                                                " action, object, detail, prev_hash, hash)"
                                                " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                                            -1, &st, NULL), SQLITE_OK);
        sqlite3_bind_int64(st, 1, en[i].id);
        sqlite3_bind_int64(st, 2, en[i].at);
        sqlite3_bind_text(st, 3, en[i].actor, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, en[i].address, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 5, en[i].action, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 6, en[i].object, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 7, en[i].detail, -1, SQLITE_STATIC);
        sqlite3_bind_blob(st, 8, en[i].prev_hash, CORE_AUDIT_HASH, SQLITE_STATIC);
        sqlite3_bind_blob(st, 9, en[i].hash, CORE_AUDIT_HASH, SQLITE_STATIC);
        assert_int_equal(sqlite3_step(st), SQLITE_DONE);
        sqlite3_finalize(st);
    }
    old_sqlite_done(db);
}

static struct backend backends[] = {
    { "sqlite", open_sqlite, NULL, make_v1_sqlite, make_v3_sqlite },
    { "faulty(sqlite), no fault armed", open_faulty_sqlite, NULL, make_v1_sqlite,
      make_v3_sqlite },
};

/* ---- fixture ---- */

struct fx {
    const struct backend *b;
    char dir[256];
    struct store *st;
    struct arena *a;
    struct complaint *rows[DATASET_N];   /* the list tests' data set, in creation order */
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
assert_err_(int rc, const struct err *e, enum err_code code, const char *field, const char *call,
            const char *file, int line)
{
    if (rc != -1)
        fail_msg("%s:%d: %s: expected -1, got %d", file, line, call, rc);
    if (e->code != code)
        fail_msg("%s:%d: %s: expected code %d, got %d (%s)", file, line, call, (int)code,
                 (int)e->code, e->detail);
    if (field != NULL && (e->field == NULL || strcmp(e->field, field) != 0))
        fail_msg("%s:%d: %s: expected field '%s', got '%s'", file, line, call, field,
                 e->field ? e->field : "(null)");
}
#define assert_err(call, e, code, field) assert_err_((call), (e), (code), (field), #call, __FILE__, __LINE__)



static int
setup_at(void **state, int version)
{
    const struct backend *b = *state;
    struct fx *f = calloc(1, sizeof(*f));
    struct err e = { 0 };

    if (f == NULL)
        return -1;
    f->b = b;
    snprintf(f->dir, sizeof(f->dir), "/tmp/kesu-contract-XXXXXX");
    if (mkdtemp(f->dir) == NULL)
        return -1;
    if (version == 1)
        b->make_v1(f->dir);
    else if (version == 3)
        b->make_v3(f->dir);
    f->st = b->open(f->dir, &e);
    f->a = arena_new(ARENA_LIMIT);
    if (f->st == NULL || f->a == NULL) {
        fprintf(stderr, "cannot open %s store: %s\n", b->name, e.detail);
        return -1;
    }
    *state = f;
    return 0;
}

/* A store on a fresh, empty database. */
static int
setup_fresh(void **state)
{
    return setup_at(state, 0);
}

/* A store on a database at schema version 1 (see make_v1 in struct backend). */
static int
setup_v1(void **state)
{
    return setup_at(state, 1);
}

/* A store on a database at schema version 3 (see make_v3 in struct backend). */
static int
setup_v3(void **state)
{
    return setup_at(state, 3);
}

static int
teardown(void **state)
{
    struct fx *f = *state;

    store_close(f->st);
    arena_free(f->a);
    if (f->b->destroy != NULL)
        f->b->destroy(f->dir);
    remove_tree(f->dir);
    free(f);
    return 0;
}

/* Reference data every complaint test uses. */
static void
seed(struct fx *f)
{
    static const struct staff_new staff[] = {
        { .login = "alice", .name = "王丽" },
        { .login = "bob", .name = "李强" },
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
    assert_ok(st->ops->unit_add(st, "P1", "1栋", "1单元101", &e), &e);
    assert_ok(st->ops->unit_add(st, "P1", "1栋", "1单元102", &e), &e);
    assert_ok(st->ops->unit_add(st, "P1", "2栋", "2单元201", &e), &e);
    assert_ok(st->ops->unit_add(st, "P2", "A座", "1001", &e), &e);
    for (size_t i = 0; i < TEST_ARRAY_LEN(staff); i++)
        assert_ok(st->ops->staff_add(st, &staff[i], 0, &e), &e);
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
complaint_init(struct complaint_new *c, int64_t received_at)
{
    core_complaint_new_init(c);
    c->channel = "phone";
    c->has_received_at = true;
    c->received_at = received_at;
    c->project = "P1";
    c->subject = "电梯故障";
    c->content = "3号电梯经常停运，请尽快维修。";
    c->complainant.name = "张三";
    c->complainant.phone = "13800138000";
}

static struct complaint *
create_in_tx(struct fx *f, const struct complaint_new *c, int64_t now)
{
    struct complaint *out = NULL;
    struct err e = { 0 };

    assert_ok(store_tx_begin(f->st, &e), &e);
    assert_ok(f->st->ops->complaint_create(f->st, c, "KS", TZ, now, f->a, &out, &e), &e);
    assert_ok(store_tx_commit(f->st, &e), &e);
    assert_non_null(out);
    return out;
}

static void
assert_number(const struct complaint *c, const char *prefix, int year, int seq)
{
    char want[64];

    snprintf(want, sizeof(want), "%s-%d-%06d", prefix, year, seq);
    assert_string_equal(c->number, want);
}

static void
assert_complaint_equal(const struct complaint *x, const struct complaint *y)
{
    assert_int_equal(x->id, y->id);
    assert_string_equal(x->number, y->number);
    assert_str_or_null(x->status, y->status);
    assert_str_or_null(x->kind, y->kind);
    assert_str_or_null(x->nature, y->nature);
    assert_str_or_null(x->grade, y->grade);
    assert_str_or_null(x->channel, y->channel);
    assert_str_or_null(x->comm_type, y->comm_type);
    assert_int_equal(x->received_at, y->received_at);
    assert_int_equal(x->registered_at, y->registered_at);
    assert_str_or_null(x->received_by_login, y->received_by_login);
    assert_str_or_null(x->received_by_name, y->received_by_name);
    assert_str_or_null(x->project_code, y->project_code);
    assert_str_or_null(x->project_name, y->project_name);
    assert_str_or_null(x->building, y->building);
    assert_str_or_null(x->unit, y->unit);
    assert_int_equal(x->complainant_id, y->complainant_id);
    assert_str_or_null(x->c_name, y->c_name);
    assert_str_or_null(x->c_phone, y->c_phone);
    assert_str_or_null(x->c_email, y->c_email);
    assert_str_or_null(x->c_role, y->c_role);
    assert_int_equal(x->c_anonymous, y->c_anonymous);
    assert_int_equal(x->headcount, y->headcount);
    assert_str_or_null(x->subject, y->subject);
    assert_str_or_null(x->content, y->content);
    assert_str_or_null(x->demands, y->demands);
    assert_str_or_null(x->category_code, y->category_code);
    assert_str_or_null(x->category_zh, y->category_zh);
    assert_str_or_null(x->category_en, y->category_en);
    assert_str_or_null(x->subcategory_code, y->subcategory_code);
    assert_str_or_null(x->subcategory_zh, y->subcategory_zh);
    assert_str_or_null(x->subcategory_en, y->subcategory_en);
    assert_int_equal(x->flags, y->flags);
    assert_int_equal(x->has_loss, y->has_loss);
    if (x->has_loss)
        assert_int_equal(x->loss_fen, y->loss_fen);
}

static const struct taxonomy_entry *
taxonomy_entry(const char *preset, const char *code, const char *sub)
{
    const struct taxonomy_preset *p = core_taxonomy_find(preset);

    for (const struct taxonomy_entry *t = p->entries; t->code != NULL; t++) {
        if (strcmp(t->code, code) != 0)
            continue;
        if (sub == NULL)
            return t;
        for (const struct taxonomy_entry *s = t->subs; s != NULL && s->code != NULL; s++)
            if (strcmp(s->code, sub) == 0)
                return s;
    }
    fail_msg("no category %s/%s in preset %s", code, sub ? sub : "-", preset);
    return NULL;
}

/* ---- migrate ---- */

static void
test_migrate_fresh_then_again(void **state)
{
    struct fx *f = *state;
    struct store *st = f->st;
    struct err e = { 0 };
    int version = -1;

    /* a database nobody migrated reports version 0, so `kesu serve` can say "run init" */
    assert_ok(st->ops->health(st, &version, &e), &e);
    assert_int_equal(version, 0);

    version = -1;
    assert_ok(store_migrate(st, NULL, 1000, &version, &e), &e);
    assert_int_equal(version, STORE_SCHEMA_VERSION);
    assert_ok(st->ops->health(st, &version, &e), &e);
    assert_int_equal(version, STORE_SCHEMA_VERSION);

    /* again: nothing to do, no error, same version, with the same preset or none */
    version = -1;
    assert_ok(store_migrate(st, NULL, 2000, &version, &e), &e);
    assert_int_equal(version, STORE_SCHEMA_VERSION);
    version = -1;
    assert_ok(store_migrate(st, "property", 3000, &version, &e), &e);
    assert_int_equal(version, STORE_SCHEMA_VERSION);
}

static void
test_migrate_presets(void **state)
{
    struct fx *f = *state;
    struct store *st = f->st;
    struct err e = { 0 };
    struct category *cats;
    const char *preset = NULL;
    size_t n;
    int version = -1;

    /* an unknown preset is refused before anything is created */
    assert_err(store_migrate(st, "no-such-preset", 1000, &version, &e), &e, ERR_INVALID,
               "preset");
    e = (struct err){ 0 };
    assert_ok(st->ops->health(st, &version, &e), &e);
    assert_int_equal(version, 0);

    assert_ok(store_migrate(st, "realestate", 1000, &version, &e), &e);
    assert_int_equal(version, STORE_SCHEMA_VERSION);

    /* another preset on an initialised database: conflict, and nothing changes */
    assert_err(store_migrate(st, "property", 2000, &version, &e), &e, ERR_CONFLICT, "preset");
    e = (struct err){ 0 };
    assert_err(store_migrate(st, "no-such-preset", 2000, &version, &e), &e, ERR_INVALID,
               "preset");
    e = (struct err){ 0 };
    assert_ok(st->ops->category_list(st, f->a, &preset, &cats, &n, &e), &e);
    assert_string_equal(preset, "realestate");
    assert_string_equal(cats[0].code, core_taxonomy_find("realestate")->entries[0].code);

    /* the same preset again is fine */
    assert_ok(store_migrate(st, "realestate", 3000, &version, &e), &e);
    assert_int_equal(version, STORE_SCHEMA_VERSION);
}

static void
test_maintain(void **state)
{
    struct fx *f = *state;
    struct store *st = f->st;
    struct complaint_query q = { .limit = 10, .project = FILTER("P1") };
    struct complaint_page page;
    struct complaint_new in;
    struct err e = { 0 };

    seed(f);
    assert_ok(st->ops->maintain(st, &e), &e);
    complaint_init(&in, at(2026, 2, 1, 9, 0));
    create_in_tx(f, &in, at(2026, 2, 1, 9, 0));
    /* again, and with data: upkeep changes no facts */
    assert_ok(st->ops->maintain(st, &e), &e);
    assert_ok(st->ops->complaint_list(st, &q, f->a, &page, &e), &e);
    assert_int_equal(page.n, 1);
    assert_number(&page.items[0], "KS", 2026, 1);
    assert_number(create_in_tx(f, &in, at(2026, 2, 1, 9, 1)), "KS", 2026, 2);
}

/* ---- reference data ---- */

static void
test_reference_adds(void **state)
{
    struct fx *f = *state;
    struct store *st = f->st;
    struct staff_new alice = { .login = "alice", .name = "另一个王丽" };
    struct err e = { 0 };
    struct project *ps;
    const char **units;
    size_t n;

    seed(f);
    assert_err(st->ops->project_add(st, "P1", "又一个", NULL, 0, &e), &e, ERR_CONFLICT, NULL);
    e = (struct err){ 0 };
    assert_err(st->ops->building_add(st, "P1", "1栋", 5, &e), &e, ERR_CONFLICT, NULL);
    e = (struct err){ 0 };
    assert_err(st->ops->unit_add(st, "P1", "1栋", "1单元101", &e), &e, ERR_CONFLICT, NULL);
    e = (struct err){ 0 };
    assert_err(st->ops->staff_add(st, &alice, 0, &e), &e, ERR_CONFLICT, NULL);
    e = (struct err){ 0 };

    /* references that do not exist */
    assert_err(st->ops->building_add(st, "NOPE", "1栋", 0, &e), &e, ERR_INVALID, "project");
    e = (struct err){ 0 };
    assert_err(st->ops->unit_add(st, "NOPE", "1栋", "101", &e), &e, ERR_INVALID, "project");
    e = (struct err){ 0 };
    assert_err(st->ops->unit_add(st, "P1", "9栋", "101", &e), &e, ERR_INVALID, "building");
    e = (struct err){ 0 };
    assert_err(st->ops->unit_add(st, "P2", "1栋", "101", &e), &e, ERR_INVALID, "building");
    e = (struct err){ 0 };

    /* names are unique per parent only */
    assert_ok(st->ops->building_add(st, "P2", "1栋", 1, &e), &e);
    assert_ok(st->ops->unit_add(st, "P1", "2栋", "1单元101", &e), &e);

    /* nothing the failures touched changed */
    assert_ok(st->ops->project_list(st, f->a, &ps, &n, &e), &e);
    assert_int_equal(n, 2);
    assert_string_equal(ps[0].name, "翠湖花园");
    assert_int_equal(ps[0].n_buildings, 2);
    assert_int_equal(ps[1].n_buildings, 2);
    assert_ok(st->ops->unit_list(st, "P1", "1栋", f->a, &units, &n, &e), &e);
    assert_int_equal(n, 2);
}

/* ---- complaint_create ---- */

static void
test_create_fields_and_number(void **state)
{
    struct fx *f = *state;
    struct store *st = f->st;
    const struct taxonomy_entry *cat = taxonomy_entry("property", "equipment", NULL);
    const struct taxonomy_entry *sub = taxonomy_entry("property", "equipment", "lift");
    int64_t now = at(2026, 3, 2, 9, 30);
    struct complaint_new in;
    struct complaint *c, *got;
    struct err e = { 0 };

    seed(f);
    complaint_init(&in, now - 3600);
    in.channel = "visit";
    in.kind = "repair";
    in.comm_type = "help";
    in.received_by = "alice";
    in.building = "1栋";
    in.unit = "1单元101";
    in.complainant.email = "zhang@example.com";
    in.complainant.role = "owner";
    in.headcount = 3;
    in.demands = "尽快修好，赔偿误工";
    in.category = "equipment";
    in.subcategory = "lift";
    in.flags = CORE_FLAG_INJURY | CORE_FLAG_VIP;
    in.has_loss = true;
    in.loss_fen = 120050;

    c = create_in_tx(f, &in, now);
    assert_number(c, "KS", 2026, 1);
    assert_true(core_number_is_wellformed(c->number));
    assert_true(c->id > 0);
    assert_string_equal(c->status, "registered");
    assert_string_equal(c->nature, "undetermined");
    assert_null(c->grade);
    assert_string_equal(c->channel, "visit");
    assert_string_equal(c->kind, "repair");
    assert_string_equal(c->comm_type, "help");
    assert_int_equal(c->received_at, now - 3600);
    assert_int_equal(c->registered_at, now);
    assert_string_equal(c->received_by_login, "alice");
    assert_string_equal(c->received_by_name, "王丽");
    assert_string_equal(c->project_code, "P1");
    assert_string_equal(c->project_name, "翠湖花园");
    assert_string_equal(c->building, "1栋");
    assert_string_equal(c->unit, "1单元101");
    assert_true(c->complainant_id > 0);
    assert_string_equal(c->c_name, "张三");
    assert_string_equal(c->c_phone, "13800138000");
    assert_string_equal(c->c_email, "zhang@example.com");
    assert_string_equal(c->c_role, "owner");
    assert_false(c->c_anonymous);
    assert_int_equal(c->headcount, 3);
    assert_string_equal(c->subject, in.subject);
    assert_string_equal(c->content, in.content);
    assert_string_equal(c->demands, in.demands);
    assert_string_equal(c->category_code, "equipment");
    assert_string_equal(c->category_zh, cat->name_zh);
    assert_string_equal(c->category_en, cat->name_en);
    assert_string_equal(c->subcategory_code, "lift");
    assert_string_equal(c->subcategory_zh, sub->name_zh);
    assert_string_equal(c->subcategory_en, sub->name_en);
    assert_int_equal(c->flags, CORE_FLAG_INJURY | CORE_FLAG_VIP);
    assert_true(c->has_loss);
    assert_int_equal(c->loss_fen, 120050);

    assert_ok(st->ops->complaint_get(st, c->number, f->a, &got, &e), &e);
    assert_complaint_equal(got, c);

    /* the optional parts absent: NULL and false come back, not "" or 0-as-value */
    complaint_init(&in, now);
    in.complainant.phone = "13900139000";
    c = create_in_tx(f, &in, now);
    assert_number(c, "KS", 2026, 2);
    assert_null(c->comm_type);
    assert_null(c->received_by_login);
    assert_null(c->received_by_name);
    assert_null(c->building);
    assert_null(c->unit);
    assert_null(c->c_email);
    assert_null(c->demands);
    assert_null(c->category_code);
    assert_null(c->subcategory_code);
    assert_int_equal(c->flags, 0);
    assert_false(c->has_loss);
    assert_string_equal(c->kind, "complaint");
    assert_string_equal(c->c_role, "other");
    assert_ok(st->ops->complaint_get(st, c->number, f->a, &got, &e), &e);
    assert_complaint_equal(got, c);
}

/* The year of the number is the year of `now` in the zone passed, not UTC's. */
static void
test_create_number_year_from_now_and_tz(void **state)
{
    struct fx *f = *state;
    struct store *st = f->st;
    int64_t now = at(2027, 1, 1, 0, 30);    /* 2026-12-31T16:30Z */
    struct complaint_new in;
    struct complaint *c = NULL;
    struct err e = { 0 };

    seed(f);
    complaint_init(&in, at(2026, 12, 31, 23, 0));
    c = create_in_tx(f, &in, now);
    assert_number(c, "KS", 2027, 1);

    /* the same instant seen in UTC is still 2026; received_at plays no part */
    assert_ok(store_tx_begin(st, &e), &e);
    assert_ok(st->ops->complaint_create(st, &in, "KS", 0, now, f->a, &c, &e), &e);
    assert_ok(store_tx_commit(st, &e), &e);
    assert_number(c, "KS", 2026, 1);

    /* the prefix argument is used for projects without their own */
    assert_ok(store_tx_begin(st, &e), &e);
    assert_ok(st->ops->complaint_create(st, &in, "ZZ9", TZ, now, f->a, &c, &e), &e);
    assert_ok(store_tx_commit(st, &e), &e);
    assert_number(c, "ZZ9", 2027, 1);
}

static void
test_create_project_prefix(void **state)
{
    struct fx *f = *state;
    int64_t now = at(2026, 5, 1, 10, 0);
    struct complaint_new in;

    seed(f);
    complaint_init(&in, now);
    assert_number(create_in_tx(f, &in, now), "KS", 2026, 1);
    in.project = "P2";
    in.building = "A座";
    assert_number(create_in_tx(f, &in, now), "HX", 2026, 1);
    assert_number(create_in_tx(f, &in, now), "HX", 2026, 2);
    in.project = "P1";
    in.building = NULL;
    assert_number(create_in_tx(f, &in, now), "KS", 2026, 2);
}

static void
test_create_gapless(void **state)
{
    struct fx *f = *state;
    struct store *st = f->st;
    int64_t now = at(2026, 6, 1, 8, 0);
    struct complaint_new in;
    struct complaint *c;
    struct err e = { 0 };
    int seq = 0;

    seed(f);
    complaint_init(&in, now);
    /* one per transaction, then several per transaction */
    for (int i = 0; i < 40; i++)
        assert_number(create_in_tx(f, &in, now + i), "KS", 2026, ++seq);
    for (int t = 0; t < 8; t++) {
        assert_ok(store_tx_begin(st, &e), &e);
        for (int i = 0; i < 10; i++) {
            assert_ok(st->ops->complaint_create(st, &in, "KS", TZ, now, f->a, &c, &e), &e);
            assert_number(c, "KS", 2026, ++seq);
        }
        assert_ok(store_tx_commit(st, &e), &e);
    }
    for (int i = 1; i <= seq; i++) {
        char number[32];
        snprintf(number, sizeof(number), "KS-2026-%06d", i);
        assert_ok(st->ops->complaint_get(st, number, f->a, &c, &e), &e);
        assert_string_equal(c->number, number);
    }
}

static void
test_create_rollback_returns_number(void **state)
{
    struct fx *f = *state;
    struct store *st = f->st;
    int64_t now = at(2026, 6, 1, 8, 0);
    struct complaint_new in;
    struct complaint *c, *got;
    struct err e = { 0 };

    seed(f);
    complaint_init(&in, now);
    assert_number(create_in_tx(f, &in, now), "KS", 2026, 1);

    /* a whole transaction rolled back */
    assert_ok(store_tx_begin(st, &e), &e);
    in.subject = "回滚的投诉";
    assert_ok(st->ops->complaint_create(st, &in, "KS", TZ, now, f->a, &c, &e), &e);
    assert_number(c, "KS", 2026, 2);
    store_tx_rollback(st);
    assert_err(st->ops->complaint_get(st, "KS-2026-000002", f->a, &got, &e), &e, ERR_NOT_FOUND,
               NULL);
    e = (struct err){ 0 };

    in.subject = "保留的投诉";
    c = create_in_tx(f, &in, now);
    assert_number(c, "KS", 2026, 2);

    /* a savepoint rolled back inside a transaction that commits (the writer's way) */
    assert_ok(store_tx_begin(st, &e), &e);
    assert_ok(st->ops->savepoint(st, &e), &e);
    assert_ok(st->ops->complaint_create(st, &in, "KS", TZ, now, f->a, &c, &e), &e);
    assert_number(c, "KS", 2026, 3);
    assert_int_equal(st->ops->savepoint_rollback(st, &e), 0);
    assert_ok(st->ops->savepoint(st, &e), &e);
    in.subject = "保存点之后";
    assert_ok(st->ops->complaint_create(st, &in, "KS", TZ, now, f->a, &c, &e), &e);
    assert_number(c, "KS", 2026, 3);
    assert_ok(st->ops->savepoint_release(st, &e), &e);
    assert_ok(store_tx_commit(st, &e), &e);

    assert_ok(st->ops->complaint_get(st, "KS-2026-000002", f->a, &got, &e), &e);
    assert_string_equal(got->subject, "保留的投诉");
    assert_ok(st->ops->complaint_get(st, "KS-2026-000003", f->a, &got, &e), &e);
    assert_string_equal(got->subject, "保存点之后");
    assert_number(create_in_tx(f, &in, now), "KS", 2026, 4);
}

static void
test_create_new_year_restarts(void **state)
{
    struct fx *f = *state;
    struct complaint_new in;

    seed(f);
    complaint_init(&in, at(2026, 12, 31, 23, 0));
    for (int i = 1; i <= 3; i++)
        assert_number(create_in_tx(f, &in, at(2026, 12, 31, 23, 59)), "KS", 2026, i);
    assert_number(create_in_tx(f, &in, at(2027, 1, 1, 0, 0)), "KS", 2027, 1);
    assert_number(create_in_tx(f, &in, at(2027, 1, 1, 0, 1)), "KS", 2027, 2);
    /* a late registration of last year's complaint continues last year's series */
    assert_number(create_in_tx(f, &in, at(2026, 12, 31, 23, 59)), "KS", 2026, 4);
}

struct bad_ref {
    const char *field;
    const char *project, *building, *unit, *received_by, *category, *subcategory;
};

static void
test_create_unknown_reference(void **state)
{
    static const struct bad_ref cases[] = {
        { "project", "NOPE", NULL, NULL, NULL, NULL, NULL },
        { "building", "P1", "9栋", NULL, NULL, NULL, NULL },
        { "building", "P1", "A座", NULL, NULL, NULL, NULL },          /* P2's building */
        { "unit", "P1", "1栋", "999", NULL, NULL, NULL },
        { "unit", "P1", "1栋", "2单元201", NULL, NULL, NULL },      /* 2栋's unit */
        { "received_by", "P1", NULL, NULL, "nobody", NULL, NULL },
        { "category", "P1", NULL, NULL, NULL, "nope", NULL },
        { "category", "P1", NULL, NULL, NULL, "lift", NULL },         /* a subcategory */
        { "subcategory", "P1", NULL, NULL, NULL, "equipment", "nope" },
        { "subcategory", "P1", NULL, NULL, NULL, "equipment", "leak" }, /* building's */
        { "subcategory", "P1", NULL, NULL, NULL, "equipment", "equipment" },
    };
    struct fx *f = *state;
    struct store *st = f->st;
    int64_t now = at(2026, 7, 1, 9, 0);
    struct complaint_page page;
    struct complaint_query q = { .limit = 100 };
    struct complaint_new in;
    struct complaint *c;
    int seq = 0;

    seed(f);
    for (size_t i = 0; i < TEST_ARRAY_LEN(cases); i++) {
        struct err e = { 0 };
        char phone[16];

        complaint_init(&in, now);
        snprintf(phone, sizeof(phone), "1370000%04zu", i);
        in.complainant.phone = phone;     /* a new complainant each time */
        in.project = cases[i].project;
        in.building = cases[i].building;
        in.unit = cases[i].unit;
        in.received_by = cases[i].received_by;
        in.category = cases[i].category;
        in.subcategory = cases[i].subcategory;
        c = NULL;
        /* in a transaction that then commits: the failed create itself left nothing */
        assert_ok(store_tx_begin(st, &e), &e);
        assert_err(st->ops->complaint_create(st, &in, "KS", TZ, now, f->a, &c, &e), &e,
                   ERR_INVALID, cases[i].field);
        assert_null(c);
        e = (struct err){ 0 };
        complaint_init(&in, now);
        assert_ok(st->ops->complaint_create(st, &in, "KS", TZ, now, f->a, &c, &e), &e);
        assert_number(c, "KS", 2026, ++seq);
        assert_ok(store_tx_commit(st, &e), &e);
    }
    {
        struct err e = { 0 };
        assert_ok(st->ops->complaint_list(st, &q, f->a, &page, &e), &e);
        assert_int_equal(page.n, seq);
        for (size_t i = 0; i < page.n; i++)
            assert_string_equal(page.items[i].c_phone, "13800138000");
    }
}

static void
test_complainant_reuse(void **state)
{
    struct fx *f = *state;
    int64_t now = at(2026, 7, 1, 9, 0);
    struct complaint_new in;
    struct complaint *a1, *a2, *b, *m1, *m2, *n, *anon, *anon2;

    seed(f);
    complaint_init(&in, now);
    in.complainant.phone = "13800000001";
    in.complainant.name = "张三";
    a1 = create_in_tx(f, &in, now);
    in.complainant.name = "张先生";     /* the name as given on each complaint */
    in.complainant.email = "zhang@example.com";
    a2 = create_in_tx(f, &in, now);
    assert_true(a1->complainant_id > 0);
    assert_int_equal(a1->complainant_id, a2->complainant_id);
    assert_string_equal(a1->c_name, "张三");
    assert_string_equal(a2->c_name, "张先生");
    assert_null(a1->c_email);
    assert_string_equal(a2->c_email, "zhang@example.com");

    in.complainant.phone = "13800000002";
    in.complainant.email = NULL;
    b = create_in_tx(f, &in, now);
    assert_true(b->complainant_id > 0);
    assert_true(b->complainant_id != a1->complainant_id);

    /* no phone: found again by e-mail */
    in.complainant.phone = NULL;
    in.complainant.email = "li@example.com";
    m1 = create_in_tx(f, &in, now);
    m2 = create_in_tx(f, &in, now);
    assert_true(m1->complainant_id > 0);
    assert_int_equal(m1->complainant_id, m2->complainant_id);
    assert_true(m1->complainant_id != a1->complainant_id);
    assert_true(m1->complainant_id != b->complainant_id);
    assert_null(m1->c_phone);
    in.complainant.email = "wang@example.com";
    n = create_in_tx(f, &in, now);
    assert_true(n->complainant_id != m1->complainant_id);

    /* anonymous: nobody to find again */
    in.complainant.email = NULL;
    in.complainant.name = NULL;
    in.complainant.anonymous = true;
    anon = create_in_tx(f, &in, now);
    anon2 = create_in_tx(f, &in, now);
    assert_int_equal(anon->complainant_id, 0);
    assert_int_equal(anon2->complainant_id, 0);
    assert_true(anon->c_anonymous);
    assert_null(anon->c_name);
    assert_null(anon->c_phone);
    assert_null(anon->c_email);
}

static void
test_initial_status_per_channel(void **state)
{
    struct fx *f = *state;
    struct store *st = f->st;
    int64_t now = at(2026, 8, 1, 9, 0);
    struct complaint_new in;

    seed(f);
    for (size_t i = 0; core_channels[i] != NULL; i++) {
        const char *ch = core_channels[i];
        bool later = strcmp(ch, "web") == 0 || strcmp(ch, "email") == 0;
        const char *want = later ? "received" : "registered";
        struct complaint *c;
        struct event *ev;
        struct err e = { 0 };
        size_t n;

        complaint_init(&in, now);
        in.channel = ch;
        in.received_by = i % 2 ? "bob" : NULL;
        c = create_in_tx(f, &in, now + (int64_t)i);
        assert_string_equal(c->status, want);
        assert_ok(st->ops->event_list(st, c->id, f->a, &ev, &n, &e), &e);
        assert_int_equal(n, 1);
        assert_int_equal(ev[0].seq, 1);
        assert_int_equal(ev[0].complaint_id, c->id);
        assert_string_equal(ev[0].type, want);
        assert_int_equal(ev[0].at, now + (int64_t)i);
        assert_non_null(ev[0].data);
        if (in.received_by) {
            assert_string_equal(ev[0].author_login, "bob");
            assert_string_equal(ev[0].author_name, "李强");
        } else {
            assert_null(ev[0].author_login);
        }
    }
}

static void
test_complaint_get_not_found(void **state)
{
    static const char *const numbers[] = { "KS-2026-000002", "KS-2025-000001", "HX-2026-000001",
                                           "", "x'; DROP TABLE complaints; --" };
    struct fx *f = *state;
    struct store *st = f->st;
    struct complaint_new in;
    struct complaint *c;

    seed(f);
    complaint_init(&in, at(2026, 1, 5, 9, 0));
    create_in_tx(f, &in, at(2026, 1, 5, 9, 0));
    for (size_t i = 0; i < TEST_ARRAY_LEN(numbers); i++) {
        struct err e = { 0 };
        c = NULL;
        assert_err(st->ops->complaint_get(st, numbers[i], f->a, &c, &e), &e, ERR_NOT_FOUND,
                   NULL);
        assert_null(c);
    }
}

/* ---- events ---- */

static void
test_event_append_and_list(void **state)
{
    struct fx *f = *state;
    struct store *st = f->st;
    int64_t now = at(2026, 8, 1, 9, 0);
    struct complaint_new in;
    struct complaint *c1, *c2;
    struct event_new ev = { 0 };
    struct event *out, *list;
    struct err e = { 0 };
    size_t n;

    seed(f);
    complaint_init(&in, now);
    c1 = create_in_tx(f, &in, now);
    c2 = create_in_tx(f, &in, now);

    assert_ok(store_tx_begin(st, &e), &e);
    for (int i = 0; i < 3; i++) {
        ev = (struct event_new){ .complaint_id = c1->id, .type = "note",
                                 .visibility = i == 1 ? "customer" : "internal",
                                 .author = i == 0 ? "alice" : NULL,
                                 .text = i == 2 ? NULL : "已联系业主，约定明天上门",
                                 .data = i == 1 ? "{\"k\":1}" : NULL, .at = now + 60 * (i + 1) };
        assert_ok(st->ops->event_append(st, &ev, f->a, &out, &e), &e);
        assert_int_equal(out->seq, i + 2);
        assert_int_equal(out->complaint_id, c1->id);
        assert_true(out->id > 0);
        assert_string_equal(out->type, "note");
        assert_int_equal(out->at, now + 60 * (i + 1));
        assert_string_equal(out->data, i == 1 ? "{\"k\":1}" : "{}");
        if (i == 0) {
            assert_string_equal(out->author_login, "alice");
            assert_string_equal(out->author_name, "王丽");
        }
    }
    /* another complaint's numbering is its own */
    ev = (struct event_new){ .complaint_id = c2->id, .type = "reply", .visibility = "customer",
                             .text = "您好", .at = now };
    assert_ok(st->ops->event_append(st, &ev, f->a, &out, &e), &e);
    assert_int_equal(out->seq, 2);

    /* an author who does not exist: ERR_INVALID naming "author", nothing appended */
    ev = (struct event_new){ .complaint_id = c1->id, .type = "note", .visibility = "internal",
                             .author = "mallory", .text = "x", .at = now };
    out = NULL;
    assert_err(st->ops->event_append(st, &ev, f->a, &out, &e), &e, ERR_INVALID, "author");
    assert_null(out);
    e = (struct err){ 0 };
    assert_ok(store_tx_commit(st, &e), &e);

    assert_ok(st->ops->event_list(st, c1->id, f->a, &list, &n, &e), &e);
    assert_int_equal(n, 4);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(list[i].seq, (int)i + 1);
        assert_int_equal(list[i].complaint_id, c1->id);
        if (i > 0)
            assert_true(list[i].id > list[i - 1].id);
    }
    assert_string_equal(list[1].author_login, "alice");
    assert_string_equal(list[1].author_name, "王丽");
    assert_string_equal(list[1].visibility, "internal");
    assert_string_equal(list[1].text, "已联系业主，约定明天上门");
    assert_string_equal(list[1].data, "{}");
    assert_null(list[2].author_login);
    assert_null(list[2].author_name);
    assert_string_equal(list[2].visibility, "customer");
    assert_string_equal(list[2].data, "{\"k\":1}");
    assert_null(list[3].text);
    assert_int_equal(list[3].at, now + 180);

    assert_ok(st->ops->event_list(st, c2->id, f->a, &list, &n, &e), &e);
    assert_int_equal(n, 2);
    assert_string_equal(list[1].type, "reply");

    /* a complaint without events (none exists with this id) lists nothing */
    assert_ok(st->ops->event_list(st, c2->id + 1000, f->a, &list, &n, &e), &e);
    assert_int_equal(n, 0);

    /* an event for a complaint that does not exist is refused */
    ev = (struct event_new){ .complaint_id = c2->id + 1000, .type = "note",
                             .visibility = "internal", .at = now };
    assert_ok(store_tx_begin(st, &e), &e);
    assert_int_equal(st->ops->event_append(st, &ev, f->a, &out, &e), -1);
    assert_int_not_equal(e.code, ERR_OK);
    store_tx_rollback(st);
}

/* ---- attachments ---- */

static void
sha256(const void *data, size_t n, unsigned char out[32])
{
    crypto_hash_sha256(out, data, n);
}

static void
to_hex(const unsigned char *in, size_t n, char *out)
{
    for (size_t i = 0; i < n; i++)
        snprintf(out + 2 * i, 3, "%02x", in[i]);
}

static struct attachment *
attach(struct fx *f, int64_t complaint_id, const char *name, const void *data, size_t size,
       const unsigned char *sha_override)
{
    struct attachment_new in = { .complaint_id = complaint_id, .name = name,
                                  .content_type = "application/octet-stream", .data = data,
                                  .size = size, .at = at(2026, 8, 2, 10, 0) };
    struct attachment *out = NULL;
    struct err e = { 0 };

    if (sha_override)
        memcpy(in.sha256, sha_override, 32);
    else
        sha256(data, size, in.sha256);
    assert_ok(store_tx_begin(f->st, &e), &e);
    assert_ok(f->st->ops->attachment_add(f->st, &in, f->a, &out, &e), &e);
    assert_ok(store_tx_commit(f->st, &e), &e);
    return out;
}

static void
check_bytes(struct fx *f, int64_t complaint_id, int64_t id, const void *want, size_t size)
{
    struct attachment *meta = NULL;
    void *data = NULL;
    struct err e = { 0 };

    assert_ok(f->st->ops->attachment_get(f->st, complaint_id, id, f->a, &meta, &data, &e), &e);
    assert_non_null(meta);
    assert_non_null(data);
    assert_int_equal(meta->id, id);
    assert_int_equal(meta->complaint_id, complaint_id);
    assert_int_equal(meta->size, (int64_t)size);
    if (size > 0)
        assert_memory_equal(data, want, size);
    alloc_free(data);
}

static void
test_attachments(void **state)
{
    struct fx *f = *state;
    struct store *st = f->st;
    int64_t now = at(2026, 8, 1, 9, 0);
    size_t size = 200 * 1024 + 3;
    unsigned char *bytes = malloc(size), *other = malloc(size), sha[32];
    char hex[65];
    struct complaint_new in;
    struct complaint *c1, *c2;
    struct attachment *a1, *a2, *a3, *a4, *a5, *list, *meta;
    void *data;
    struct err e = { 0 };
    size_t n;

    assert_non_null(bytes);
    assert_non_null(other);
    for (size_t i = 0; i < size; i++) {
        bytes[i] = (unsigned char)(i * 131 + (i >> 8));    /* every byte value, NULs too */
        other[i] = (unsigned char)~bytes[i];
    }
    seed(f);
    complaint_init(&in, now);
    c1 = create_in_tx(f, &in, now);
    c2 = create_in_tx(f, &in, now);

    a1 = attach(f, c1->id, "现场照片.jpg", bytes, size, NULL);
    sha256(bytes, size, sha);
    to_hex(sha, 32, hex);
    assert_true(a1->id > 0);
    assert_int_equal(a1->complaint_id, c1->id);
    assert_string_equal(a1->name, "现场照片.jpg");
    assert_string_equal(a1->content_type, "application/octet-stream");
    assert_int_equal(a1->size, (int64_t)size);
    assert_string_equal(a1->sha256_hex, hex);
    assert_int_equal(a1->uploaded_at, at(2026, 8, 2, 10, 0));
    check_bytes(f, c1->id, a1->id, bytes, size);

    /* the same bytes again, on another complaint: a new attachment, the same content */
    a2 = attach(f, c2->id, "copy.bin", bytes, size, NULL);
    assert_true(a2->id != a1->id);
    assert_string_equal(a2->sha256_hex, hex);
    check_bytes(f, c2->id, a2->id, bytes, size);

    /*
     * Stored once, keyed by the SHA-256 the caller computed: a third attachment
     * that claims the same digest for other bytes gets the stored bytes, which
     * shows that no second copy was written.
     */
    a3 = attach(f, c1->id, "liar.bin", other, size, sha);
    check_bytes(f, c1->id, a3->id, bytes, size);

    /* different bytes, different content; an empty file round-trips too */
    a4 = attach(f, c1->id, "other.bin", other, size, NULL);
    check_bytes(f, c1->id, a4->id, other, size);
    a5 = attach(f, c1->id, "empty.txt", NULL, 0, NULL);
    assert_int_equal(a5->size, 0);
    check_bytes(f, c1->id, a5->id, NULL, 0);

    assert_ok(st->ops->attachment_list(st, c1->id, f->a, &list, &n, &e), &e);
    assert_int_equal(n, 4);
    assert_int_equal(list[0].id, a1->id);
    assert_int_equal(list[1].id, a3->id);
    assert_int_equal(list[2].id, a4->id);
    assert_int_equal(list[3].id, a5->id);
    assert_string_equal(list[0].name, "现场照片.jpg");
    assert_string_equal(list[0].sha256_hex, hex);
    assert_int_equal(list[0].size, (int64_t)size);
    assert_int_equal(list[0].uploaded_at, at(2026, 8, 2, 10, 0));
    assert_ok(st->ops->attachment_list(st, c2->id, f->a, &list, &n, &e), &e);
    assert_int_equal(n, 1);
    assert_ok(st->ops->attachment_list(st, c2->id + 100, f->a, &list, &n, &e), &e);
    assert_int_equal(n, 0);

    /* an attachment asked for under another complaint does not exist there */
    meta = NULL;
    data = NULL;
    assert_err(st->ops->attachment_get(st, c2->id, a1->id, f->a, &meta, &data, &e), &e,
               ERR_NOT_FOUND, NULL);
    assert_null(data);
    e = (struct err){ 0 };
    assert_err(st->ops->attachment_get(st, c1->id, a5->id + 100, f->a, &meta, &data, &e), &e,
               ERR_NOT_FOUND, NULL);
    assert_null(data);
    free(bytes);
    free(other);
}

/* ---- idempotency ---- */

static void
test_idem(void **state)
{
    struct fx *f = *state;
    struct store *st = f->st;
    struct idem_record rec = { .status = 201, .body = "{\"number\":\"KS-2026-000001\",\"说明\":\"已登记\"}" };
    struct idem_record got, other = { .status = 500, .body = "{}" };
    struct err e = { 0 };

    seed(f);
    for (int i = 0; i < 32; i++) {
        rec.request_hash[i] = (unsigned char)(i * 7 + 1);
        other.request_hash[i] = (unsigned char)i;
    }
    assert_err(st->ops->idem_get(st, "key-1", f->a, &got, &e), &e, ERR_NOT_FOUND, NULL);
    e = (struct err){ 0 };
    assert_ok(store_tx_begin(st, &e), &e);
    assert_ok(st->ops->idem_put(st, "key-1", &rec, 1000, &e), &e);
    assert_ok(store_tx_commit(st, &e), &e);
    memset(&got, 0, sizeof(got));
    assert_ok(st->ops->idem_get(st, "key-1", f->a, &got, &e), &e);
    assert_memory_equal(got.request_hash, rec.request_hash, 32);
    assert_int_equal(got.status, 201);
    assert_string_equal(got.body, rec.body);

    /* the first response stays: a second put under the key fails */
    assert_ok(store_tx_begin(st, &e), &e);
    assert_int_equal(st->ops->idem_put(st, "key-1", &other, 2000, &e), -1);
    assert_int_not_equal(e.code, ERR_OK);
    store_tx_rollback(st);
    e = (struct err){ 0 };
    assert_ok(st->ops->idem_get(st, "key-1", f->a, &got, &e), &e);
    assert_int_equal(got.status, 201);
    assert_memory_equal(got.request_hash, rec.request_hash, 32);

    /* keys are exact: case and neighbours do not match */
    assert_err(st->ops->idem_get(st, "KEY-1", f->a, &got, &e), &e, ERR_NOT_FOUND, NULL);
    e = (struct err){ 0 };
    assert_err(st->ops->idem_get(st, "key-", f->a, &got, &e), &e, ERR_NOT_FOUND, NULL);
}

/* ---- reference lists ---- */

static void
test_category_list(void **state)
{
    struct fx *f = *state;
    struct store *st = f->st;
    const struct taxonomy_preset *p = core_taxonomy_find("property");
    struct category *cats;
    const char *preset = NULL;
    struct err e = { 0 };
    size_t n, i = 0;

    seed(f);
    assert_ok(st->ops->category_list(st, f->a, &preset, &cats, &n, &e), &e);
    assert_string_equal(preset, "property");
    assert_int_equal(n, 9);
    for (const struct taxonomy_entry *t = p->entries; t->code != NULL; t++, i++) {
        size_t j = 0;
        assert_true(i < n);
        assert_string_equal(cats[i].code, t->code);
        assert_string_equal(cats[i].name_zh, t->name_zh);
        assert_string_equal(cats[i].name_en, t->name_en);
        assert_non_null(cats[i].description_zh);
        assert_non_null(cats[i].description_en);
        assert_false(cats[i].retired);
        assert_true(cats[i].n_subs > 0);
        for (const struct taxonomy_entry *s = t->subs; s != NULL && s->code != NULL; s++, j++) {
            assert_true(j < cats[i].n_subs);
            assert_string_equal(cats[i].subs[j].code, s->code);
            assert_string_equal(cats[i].subs[j].name_zh, s->name_zh);
            assert_string_equal(cats[i].subs[j].name_en, s->name_en);
            assert_int_equal(cats[i].subs[j].n_subs, 0);
        }
        assert_int_equal(j, cats[i].n_subs);
    }
    assert_int_equal(i, n);
}

static void
test_project_list(void **state)
{
    struct fx *f = *state;
    struct store *st = f->st;
    struct project *ps;
    struct err e = { 0 };
    size_t n;

    assert_ok(store_migrate(st, NULL, 0, &(int){ 0 }, &e), &e);
    assert_ok(st->ops->project_list(st, f->a, &ps, &n, &e), &e);
    assert_int_equal(n, 0);

    seed(f);
    assert_ok(st->ops->project_add(st, "P3", "空项目", "E3", 0, &e), &e);
    assert_ok(st->ops->project_list(st, f->a, &ps, &n, &e), &e);
    assert_int_equal(n, 3);
    assert_string_equal(ps[0].code, "P1");
    assert_string_equal(ps[0].name, "翠湖花园");
    assert_null(ps[0].number_prefix);
    assert_int_equal(ps[0].n_buildings, 2);
    assert_string_equal(ps[0].buildings[0], "1栋");
    assert_string_equal(ps[0].buildings[1], "2栋");
    assert_string_equal(ps[1].code, "P2");
    assert_string_equal(ps[1].number_prefix, "HX");
    assert_int_equal(ps[1].n_buildings, 1);
    assert_string_equal(ps[1].buildings[0], "A座");
    assert_string_equal(ps[2].code, "P3");
    assert_int_equal(ps[2].n_buildings, 0);

    /* buildings come in their sort order, not the order they were added */
    assert_ok(st->ops->building_add(st, "P3", "后", 9, &e), &e);
    assert_ok(st->ops->building_add(st, "P3", "前", 1, &e), &e);
    assert_ok(st->ops->project_list(st, f->a, &ps, &n, &e), &e);
    assert_int_equal(ps[2].n_buildings, 2);
    assert_string_equal(ps[2].buildings[0], "前");
    assert_string_equal(ps[2].buildings[1], "后");
}

/* No limit on how many projects or buildings a company has (one had 600 offices). */
static void
test_project_list_large(void **state)
{
    struct fx *f = *state;
    struct store *st = f->st;
    struct project *ps;
    struct err e = { 0 };
    char code[16], name[32];
    size_t n;

    assert_ok(store_migrate(st, NULL, 0, &(int){ 0 }, &e), &e);
    assert_ok(store_tx_begin(st, &e), &e);
    for (int p = 0; p < 600; p++) {
        snprintf(code, sizeof(code), "P%03d", p);
        assert_ok(st->ops->project_add(st, code, "项目", NULL, 0, &e), &e);
    }
    for (int b = 0; b < 1500; b++) {
        snprintf(name, sizeof(name), "%d栋", b);
        assert_ok(st->ops->building_add(st, "P599", name, b, &e), &e);
    }
    assert_ok(store_tx_commit(st, &e), &e);
    assert_ok(st->ops->project_list(st, f->a, &ps, &n, &e), &e);
    assert_int_equal(n, 600);
    assert_string_equal(ps[599].code, "P599");
    assert_int_equal(ps[599].n_buildings, 1500);
    assert_string_equal(ps[599].buildings[1499], "1499栋");
    assert_int_equal(ps[598].n_buildings, 0);
}

/* The search index orders by the minute, so the store takes whole minutes only. */
static void
test_create_needs_whole_minutes(void **state)
{
    struct fx *f = *state;
    struct store *st = f->st;
    struct complaint_new in;
    struct complaint *c;
    struct err e = { 0 };
    int64_t now = at(2026, 5, 1, 10, 0);

    seed(f);
    complaint_init(&in, now - 3600 + 30);
    assert_int_equal(st->ops->complaint_create(st, &in, "KS", TZ, now, f->a, &c, &e), -1);
    assert_int_equal(e.code, ERR_INVALID);
    assert_string_equal(e.field, "received_at");
}

static void
test_unit_list(void **state)
{
    struct fx *f = *state;
    struct store *st = f->st;
    const char **units;
    struct err e = { 0 };
    size_t n;

    seed(f);
    assert_ok(st->ops->unit_list(st, "P1", "1栋", f->a, &units, &n, &e), &e);
    assert_int_equal(n, 2);
    assert_string_equal(units[0], "1单元101");
    assert_string_equal(units[1], "1单元102");
    assert_ok(st->ops->unit_list(st, "P2", "A座", f->a, &units, &n, &e), &e);
    assert_int_equal(n, 1);
    assert_string_equal(units[0], "1001");
    assert_ok(st->ops->building_add(st, "P2", "B座", 1, &e), &e);
    assert_ok(st->ops->unit_list(st, "P2", "B座", f->a, &units, &n, &e), &e);
    assert_int_equal(n, 0);

    /* a project that does not exist is not found (404); a wrong building is bad input */
    assert_err(st->ops->unit_list(st, "NOPE", "1栋", f->a, &units, &n, &e), &e, ERR_NOT_FOUND,
               NULL);
    e = (struct err){ 0 };
    assert_err(st->ops->unit_list(st, "P1", "9栋", f->a, &units, &n, &e), &e, ERR_INVALID,
               "building");
    e = (struct err){ 0 };
    assert_err(st->ops->unit_list(st, "P2", "1栋", f->a, &units, &n, &e), &e, ERR_INVALID,
               "building");
}

/* ---- staff and organisation ---- */

/* Stands for an argon2id string: the store keeps it without looking inside. */
#define HASH_1 "$argon2id$v=19$m=65536,t=3,p=1$c2FsdHNhbHQ$aGFzaC1vbmU"
#define HASH_2 "$argon2id$v=19$m=65536,t=3,p=1$b3RoZXJzYWx0$aGFzaC10d28"

static const char *const all_roles[] = {
    "operator", "handler", "supervisor", "manager", "executive", "centre", "auditor", "admin",
};

static struct staff *
staff_get_ok(struct fx *f, const char *login)
{
    struct staff *s = NULL;
    struct err e = { 0 };

    assert_ok(f->st->ops->staff_get(f->st, login, f->a, &s, &e), &e);
    assert_non_null(s);
    return s;
}

static void
assert_membership(const struct membership *m, const char *role, const char *project,
                  const char *department)
{
    assert_string_equal(m->role, role);
    assert_str_or_null(m->project, project);
    assert_str_or_null(m->department, department);
}

static void
assert_reason(const struct err *e, const char *reason)
{
    assert_non_null(e->reason);
    assert_string_equal(e->reason, reason);
}

static void
test_staff_add_get_list(void **state)
{
    static const struct staff_new chen = {
        .login = "chen", .name = "陈晓东", .phone = "13912345678",
        .email = "chen.xiaodong@example.cn", .password_hash = HASH_1,
    };
    static const struct staff_new abe = { .login = "abe", .name = "欧阳娜娜" };
    static const char *const by_login[] = { "abe", "alice", "bob", "chen" };
    struct fx *f = *state;
    struct store *st = f->st;
    int64_t now = at(2026, 3, 1, 9, 30);
    struct staff *s, *all;
    struct err e = { 0 };
    size_t n = 99;

    /* nobody yet */
    assert_ok(store_migrate(st, NULL, 0, &(int){ 0 }, &e), &e);
    assert_ok(st->ops->staff_list(st, f->a, &all, &n, &e), &e);
    assert_int_equal(n, 0);

    seed(f);
    assert_ok(st->ops->staff_add(st, &chen, now, &e), &e);
    assert_ok(st->ops->staff_add(st, &abe, now + 60, &e), &e);

    s = staff_get_ok(f, "chen");
    assert_true(s->id > 0);
    assert_string_equal(s->login, "chen");
    assert_string_equal(s->name, "陈晓东");
    assert_string_equal(s->phone, "13912345678");
    assert_string_equal(s->email, "chen.xiaodong@example.cn");
    assert_string_equal(s->status, "active");
    assert_true(s->has_password);
    assert_string_equal(s->password_hash, HASH_1);
    assert_int_equal(s->created_at, now);
    assert_int_equal(s->password_changed_at, now);
    assert_int_equal(s->n_memberships, 0);

    /* without a hash the account exists but cannot log in, and was never given a password */
    s = staff_get_ok(f, "abe");
    assert_string_equal(s->name, "欧阳娜娜");
    assert_null(s->phone);
    assert_null(s->email);
    assert_string_equal(s->status, "active");
    assert_false(s->has_password);
    assert_null(s->password_hash);
    assert_int_equal(s->created_at, now + 60);
    assert_int_equal(s->password_changed_at, 0);

    /* logins are exact */
    assert_err(st->ops->staff_get(st, "Chen", f->a, &s, &e), &e, ERR_NOT_FOUND, "login");
    e = (struct err){ 0 };
    assert_err(st->ops->staff_get(st, "nobody", f->a, &s, &e), &e, ERR_NOT_FOUND, "login");
    e = (struct err){ 0 };

    /* the list: everyone, by login, and never a hash */
    assert_ok(st->ops->staff_list(st, f->a, &all, &n, &e), &e);
    assert_int_equal(n, TEST_ARRAY_LEN(by_login));
    for (size_t i = 0; i < n; i++) {
        assert_string_equal(all[i].login, by_login[i]);
        assert_string_equal(all[i].status, "active");
        assert_null(all[i].password_hash);
        assert_int_equal(all[i].n_memberships, 0);
    }
    assert_string_equal(all[0].name, "欧阳娜娜");
    assert_false(all[0].has_password);
    assert_string_equal(all[1].name, "王丽");
    assert_true(all[3].has_password);
    assert_string_equal(all[3].phone, "13912345678");
    assert_string_equal(all[3].email, "chen.xiaodong@example.cn");
    assert_int_equal(all[3].password_changed_at, now);
}

static void
test_staff_status(void **state)
{
    static const char *const bad[] = { "Disabled", "deleted", "", "active " };
    struct fx *f = *state;
    struct store *st = f->st;
    struct staff *all;
    struct err e = { 0 };
    size_t n;

    seed(f);
    assert_ok(st->ops->staff_set_status(st, "bob", "disabled", &e), &e);
    assert_string_equal(staff_get_ok(f, "bob")->status, "disabled");
    assert_string_equal(staff_get_ok(f, "alice")->status, "active");
    assert_ok(st->ops->staff_list(st, f->a, &all, &n, &e), &e);
    assert_int_equal(n, 2);
    assert_string_equal(all[0].status, "active");
    assert_string_equal(all[1].status, "disabled");

    /* back, and again: setting the status it has is no error */
    assert_ok(st->ops->staff_set_status(st, "bob", "active", &e), &e);
    assert_ok(st->ops->staff_set_status(st, "bob", "active", &e), &e);
    assert_string_equal(staff_get_ok(f, "bob")->status, "active");

    for (size_t i = 0; i < TEST_ARRAY_LEN(bad); i++) {
        assert_err(st->ops->staff_set_status(st, "bob", bad[i], &e), &e, ERR_INVALID, "status");
        assert_reason(&e, "bad_value");
        e = (struct err){ 0 };
    }
    assert_err(st->ops->staff_set_status(st, "bob", NULL, &e), &e, ERR_INVALID, "status");
    e = (struct err){ 0 };
    assert_string_equal(staff_get_ok(f, "bob")->status, "active");

    assert_err(st->ops->staff_set_status(st, "ghost", "disabled", &e), &e, ERR_NOT_FOUND,
               "login");
    e = (struct err){ 0 };
    assert_ok(st->ops->staff_list(st, f->a, &all, &n, &e), &e);
    assert_int_equal(n, 2);
}

static void
test_staff_password(void **state)
{
    struct fx *f = *state;
    struct store *st = f->st;
    int64_t t1 = at(2026, 4, 1, 8, 0), t2 = at(2026, 4, 2, 8, 0);
    struct staff *s, *all;
    struct err e = { 0 };
    size_t n;

    seed(f);
    s = staff_get_ok(f, "bob");
    assert_false(s->has_password);
    assert_int_equal(s->password_changed_at, 0);

    assert_ok(st->ops->staff_set_password(st, "bob", HASH_1, t1, &e), &e);
    s = staff_get_ok(f, "bob");
    assert_true(s->has_password);
    assert_string_equal(s->password_hash, HASH_1);
    assert_int_equal(s->password_changed_at, t1);
    assert_int_equal(s->created_at, 0);              /* only the password changed */
    assert_string_equal(s->name, "李强");

    assert_ok(st->ops->staff_set_password(st, "bob", HASH_2, t2, &e), &e);
    s = staff_get_ok(f, "bob");
    assert_string_equal(s->password_hash, HASH_2);
    assert_int_equal(s->password_changed_at, t2);
    assert_false(staff_get_ok(f, "alice")->has_password);

    assert_ok(st->ops->staff_list(st, f->a, &all, &n, &e), &e);
    assert_true(all[1].has_password);
    assert_null(all[1].password_hash);

    assert_err(st->ops->staff_set_password(st, "ghost", HASH_1, t2, &e), &e, ERR_NOT_FOUND,
               "login");
    e = (struct err){ 0 };
    assert_err(st->ops->staff_set_password(st, "bob", NULL, t2 + 60, &e), &e, ERR_INVALID,
               "password");
    e = (struct err){ 0 };
    s = staff_get_ok(f, "bob");
    assert_string_equal(s->password_hash, HASH_2);
    assert_int_equal(s->password_changed_at, t2);
}

static void
test_departments(void **state)
{
    struct fx *f = *state;
    struct store *st = f->st;
    struct err e = { 0 };

    seed(f);
    assert_ok(st->ops->department_add(st, NULL, "CS", "客服中心", &e), &e);
    assert_ok(st->ops->department_add(st, "P1", "ENG", "工程部", &e), &e);
    /* codes are unique per project, and the company is a level of its own */
    assert_ok(st->ops->department_add(st, "P2", "ENG", "工程部", &e), &e);
    assert_ok(st->ops->department_add(st, "P1", "CS", "客服组", &e), &e);

    assert_err(st->ops->department_add(st, NULL, "CS", "又一个", &e), &e, ERR_CONFLICT, NULL);
    assert_reason(&e, "exists");
    e = (struct err){ 0 };
    assert_err(st->ops->department_add(st, "P1", "ENG", "又一个", &e), &e, ERR_CONFLICT, NULL);
    assert_reason(&e, "exists");
    e = (struct err){ 0 };
    assert_err(st->ops->department_add(st, "NOPE", "ENG", "工程部", &e), &e, ERR_INVALID,
               "project");
    assert_reason(&e, "unknown");
}

static void
test_memberships(void **state)
{
    static const struct membership alice_has[] = {
        { .role = "handler", .project = "P2", .department = "ENG" },
        { .role = "admin" },
        { .role = "supervisor", .project = "P2" },
        { .role = "handler", .project = "P1", .department = "ENG" },
        { .role = "centre", .department = "CS" },
    };
    static const struct {
        const char *login;
        struct membership m;
        enum err_code code;
        const char *field, *reason;
    } refused[] = {
        { "ghost", { .role = "handler" }, ERR_INVALID, "login", "unknown" },
        { "bob", { .role = "handler", .project = "NOPE" }, ERR_INVALID, "project", "unknown" },
        { "bob", { .role = "handler", .department = "XX" }, ERR_INVALID, "department",
          "unknown" },
        /* a company department is not one of a project's, nor the other way round */
        { "bob", { .role = "handler", .project = "P1", .department = "CS" }, ERR_INVALID,
          "department", "unknown" },
        { "bob", { .role = "handler", .department = "ENG" }, ERR_INVALID, "department",
          "unknown" },
        /* nor is another project's */
        { "bob", { .role = "handler", .project = "P1", .department = "SEC" }, ERR_INVALID,
          "department", "unknown" },
        { "bob", { .role = "boss" }, ERR_INVALID, "role", "bad_value" },
        { "bob", { .role = "Admin" }, ERR_INVALID, "role", "bad_value" },
        { "bob", { .role = "" }, ERR_INVALID, "role", "bad_value" },
        { "bob", { .role = NULL }, ERR_INVALID, "role", NULL },
        /* held already */
        { "alice", { .role = "admin" }, ERR_CONFLICT, NULL, "exists" },
        { "alice", { .role = "handler", .project = "P1", .department = "ENG" }, ERR_CONFLICT,
          NULL, "exists" },
    };
    struct fx *f = *state;
    struct store *st = f->st;
    struct staff *s, *all;
    struct err e = { 0 };
    size_t n;

    seed(f);
    assert_ok(st->ops->department_add(st, NULL, "CS", "客服中心", &e), &e);
    assert_ok(st->ops->department_add(st, "P1", "ENG", "工程部", &e), &e);
    assert_ok(st->ops->department_add(st, "P2", "ENG", "工程部", &e), &e);
    assert_ok(st->ops->department_add(st, "P2", "SEC", "秩序部", &e), &e);
    for (size_t i = 0; i < TEST_ARRAY_LEN(alice_has); i++)
        assert_ok(st->ops->membership_add(st, "alice", &alice_has[i], &e), &e);

    /* company-wide first, then by project and department in the order they were made */
    s = staff_get_ok(f, "alice");
    assert_int_equal(s->n_memberships, 5);
    assert_membership(&s->memberships[0], "admin", NULL, NULL);
    assert_membership(&s->memberships[1], "centre", NULL, "CS");
    assert_membership(&s->memberships[2], "handler", "P1", "ENG");
    assert_membership(&s->memberships[3], "supervisor", "P2", NULL);
    assert_membership(&s->memberships[4], "handler", "P2", "ENG");

    for (size_t i = 0; i < TEST_ARRAY_LEN(refused); i++) {
        int rc = st->ops->membership_add(st, refused[i].login, &refused[i].m, &e);
        if (rc != -1 || e.code != refused[i].code)
            fail_msg("case %zu: rc %d, code %d (%s)", i, rc, (int)e.code, e.detail);
        assert_str_or_null(e.field, refused[i].field);
        if (refused[i].reason != NULL)
            assert_reason(&e, refused[i].reason);
        e = (struct err){ 0 };
    }
    assert_int_equal(staff_get_ok(f, "alice")->n_memberships, 5);
    assert_int_equal(staff_get_ok(f, "bob")->n_memberships, 0);

    /* every role can be held; the list carries memberships too */
    for (size_t i = 0; i < TEST_ARRAY_LEN(all_roles); i++)
        assert_ok(st->ops->membership_add(st, "bob", &(struct membership){ .role = all_roles[i] },
                                          &e), &e);
    assert_ok(st->ops->staff_list(st, f->a, &all, &n, &e), &e);
    assert_int_equal(n, 2);
    assert_int_equal(all[0].n_memberships, 5);
    assert_membership(&all[0].memberships[4], "handler", "P2", "ENG");
    assert_int_equal(all[1].n_memberships, TEST_ARRAY_LEN(all_roles));
    for (size_t i = 0; i < TEST_ARRAY_LEN(all_roles); i++) {
        size_t j = 0;
        while (j < all[1].n_memberships && strcmp(all[1].memberships[j].role, all_roles[i]) != 0)
            j++;
        if (j == all[1].n_memberships)
            fail_msg("bob does not hold %s", all_roles[i]);
        assert_membership(&all[1].memberships[j], all_roles[i], NULL, NULL);
    }
}

/* role_count answers "is there still an administrator?": people, active ones only. */
static void
test_role_count(void **state)
{
    static const struct staff_new carol = { .login = "carol", .name = "刘芳" };
    struct fx *f = *state;
    struct store *st = f->st;
    struct err e = { 0 };
    int64_t n = -1;

    seed(f);
    assert_ok(st->ops->staff_add(st, &carol, 0, &e), &e);
    for (size_t i = 0; i < TEST_ARRAY_LEN(all_roles); i++) {
        n = -1;
        assert_ok(st->ops->role_count(st, all_roles[i], &n, &e), &e);
        assert_int_equal(n, 0);
    }
    assert_ok(st->ops->membership_add(st, "alice", &(struct membership){ .role = "admin" }, &e),
              &e);
    assert_ok(st->ops->membership_add(st, "bob",
                                      &(struct membership){ .role = "admin", .project = "P1" },
                                      &e), &e);
    /* a second admin membership of alice's is still one person */
    assert_ok(st->ops->membership_add(st, "alice",
                                      &(struct membership){ .role = "admin", .project = "P2" },
                                      &e), &e);
    assert_ok(st->ops->membership_add(st, "carol", &(struct membership){ .role = "handler" },
                                      &e), &e);
    assert_ok(st->ops->role_count(st, "admin", &n, &e), &e);
    assert_int_equal(n, 2);
    assert_ok(st->ops->role_count(st, "handler", &n, &e), &e);
    assert_int_equal(n, 1);
    assert_ok(st->ops->role_count(st, "auditor", &n, &e), &e);
    assert_int_equal(n, 0);

    assert_ok(st->ops->staff_set_status(st, "bob", "disabled", &e), &e);
    assert_ok(st->ops->role_count(st, "admin", &n, &e), &e);
    assert_int_equal(n, 1);
    assert_ok(st->ops->staff_set_status(st, "alice", "disabled", &e), &e);
    assert_ok(st->ops->role_count(st, "admin", &n, &e), &e);
    assert_int_equal(n, 0);
    assert_ok(st->ops->staff_set_status(st, "bob", "active", &e), &e);
    assert_ok(st->ops->role_count(st, "admin", &n, &e), &e);
    assert_int_equal(n, 1);

    n = 7;
    assert_err(st->ops->role_count(st, "boss", &n, &e), &e, ERR_INVALID, "role");
    assert_reason(&e, "bad_value");
    e = (struct err){ 0 };
    assert_err(st->ops->role_count(st, NULL, &n, &e), &e, ERR_INVALID, "role");
    assert_int_equal(n, 7);      /* untouched on failure */
}

/* Each limit the staff readers can hit is ERR_TOO_LARGE with the outputs untouched. */
static void
test_staff_arena_limit(void **state)
{
    struct fx *f = *state;
    struct store *st = f->st;
    struct err e = { 0 };
    size_t limit;
    bool got_list = false, got_one = false;

    seed(f);
    assert_ok(st->ops->department_add(st, "P1", "ENG", "工程部", &e), &e);
    /* ten memberships each: every role company-wide, two in P1, one of them in ENG */
    for (size_t i = 0; i < 20; i++) {
        struct membership m = { .role = all_roles[(i / 2) % TEST_ARRAY_LEN(all_roles)] };
        if (i / 2 >= TEST_ARRAY_LEN(all_roles))
            m.project = "P1";
        if (i / 2 == 9)
            m.department = "ENG";
        assert_ok(st->ops->membership_add(st, i % 2 ? "alice" : "bob", &m, &e), &e);
    }
    for (limit = 0; limit < 64 * 1024 && !(got_list && got_one); limit += 8) {
        struct arena *a = arena_new(limit);
        struct staff *out = (struct staff *)&limit, *one = (struct staff *)&limit;
        size_t n = 12345;
        int rc;

        assert_non_null(a);
        if (!got_list) {
            rc = st->ops->staff_list(st, a, &out, &n, &e);
            if (rc == 0) {
                got_list = true;
                assert_int_equal(n, 2);
                assert_int_equal(out[0].n_memberships + out[1].n_memberships, 20);
            } else {
                assert_int_equal(e.code, ERR_TOO_LARGE);
                assert_ptr_equal(out, (struct staff *)&limit);
                assert_int_equal(n, 12345);
            }
            e = (struct err){ 0 };
        }
        arena_reset(a);
        if (!got_one) {
            rc = st->ops->staff_get(st, "alice", a, &one, &e);
            if (rc == 0) {
                got_one = true;
                assert_int_equal(one->n_memberships, 10);
            } else {
                assert_int_equal(e.code, ERR_TOO_LARGE);
                assert_ptr_equal(one, (struct staff *)&limit);
            }
            e = (struct err){ 0 };
        }
        arena_free(a);
    }
    assert_true(got_list && got_one);
}

/* A database of schema version 1 migrates to this one and keeps what it held. */
static void
test_migrate_from_v1(void **state)
{
    struct fx *f = *state;
    struct store *st = f->st;
    struct complaint_query q = { .limit = 10 };
    struct complaint_page page;
    struct complaint_new in;
    struct complaint *c;
    struct event *evs;
    struct staff *s, *all;
    struct sbuf match;
    struct err e = { 0 };
    int64_t n;
    size_t count;
    int version = -1;

    assert_ok(st->ops->health(st, &version, &e), &e);
    assert_int_equal(version, 1);
    assert_ok(store_migrate(st, NULL, at(2026, 1, 1, 0, 0), &version, &e), &e);
    assert_int_equal(version, STORE_SCHEMA_VERSION);
    assert_ok(st->ops->health(st, &version, &e), &e);
    assert_int_equal(version, STORE_SCHEMA_VERSION);
    /* the preset came along: another one is still refused */
    assert_err(store_migrate(st, "realestate", at(2026, 1, 1, 0, 1), &version, &e), &e,
               ERR_CONFLICT, "preset");
    e = (struct err){ 0 };

    /* staff: kept as they were, active, without login data yet */
    s = staff_get_ok(f, "alice");
    assert_string_equal(s->name, "王丽");
    assert_int_equal(s->created_at, V1_ALICE_CREATED);
    assert_string_equal(s->status, "active");
    assert_false(s->has_password);
    assert_null(s->password_hash);
    assert_int_equal(s->password_changed_at, 0);
    assert_null(s->phone);
    assert_null(s->email);
    assert_int_equal(s->n_memberships, 0);
    assert_ok(st->ops->staff_list(st, f->a, &all, &count, &e), &e);
    assert_int_equal(count, 2);
    assert_string_equal(all[1].login, "bob");
    assert_string_equal(all[1].name, "李强");

    /* the complaint, its timeline and its search entry */
    assert_ok(st->ops->complaint_get(st, V1_NUMBER, f->a, &c, &e), &e);
    assert_string_equal(c->subject, V1_SUBJECT);
    assert_string_equal(c->received_by_login, "alice");
    assert_string_equal(c->received_by_name, "王丽");
    assert_string_equal(c->project_code, "P1");
    assert_string_equal(c->category_code, "equipment");
    assert_string_equal(c->c_phone, "13800138000");
    assert_ok(st->ops->event_list(st, c->id, f->a, &evs, &count, &e), &e);
    assert_int_equal(count, 1);
    assert_string_equal(evs[0].author_login, "alice");
    sbuf_init(&match, 4096);
    assert_ok(fts_query_build("电梯", strlen("电梯"), &match, &e), &e);
    q.match = match.buf;
    assert_ok(st->ops->complaint_list(st, &q, f->a, &page, &e), &e);
    sbuf_release(&match);
    assert_int_equal(page.n, 1);
    assert_string_equal(page.items[0].number, V1_NUMBER);

    /* the new columns and tables work on the old rows */
    assert_ok(st->ops->staff_set_password(st, "alice", HASH_1, at(2026, 1, 2, 0, 0), &e), &e);
    assert_ok(st->ops->department_add(st, "P1", "ENG", "工程部", &e), &e);
    assert_ok(st->ops->membership_add(st, "alice",
                                      &(struct membership){ .role = "admin" }, &e), &e);
    assert_ok(st->ops->membership_add(st, "bob",
                                      &(struct membership){ .role = "handler", .project = "P1",
                                                            .department = "ENG" },
                                      &e), &e);
    assert_ok(st->ops->role_count(st, "admin", &n, &e), &e);
    assert_int_equal(n, 1);
    s = staff_get_ok(f, "bob");
    assert_int_equal(s->n_memberships, 1);
    assert_membership(&s->memberships[0], "handler", "P1", "ENG");

    /* and the number series goes on where version 1 left it */
    complaint_init(&in, at(2025, 7, 1, 9, 0));
    in.received_by = "bob";
    assert_number(create_in_tx(f, &in, at(2025, 7, 1, 9, 5)), "KS", 2025, 2);

    /* again: nothing to do, nothing lost */
    assert_ok(store_migrate(st, NULL, at(2026, 1, 3, 0, 0), &version, &e), &e);
    assert_int_equal(version, STORE_SCHEMA_VERSION);
    assert_true(staff_get_ok(f, "alice")->has_password);
    assert_int_equal(staff_get_ok(f, "alice")->n_memberships, 1);
}

/* ---- complaint_list: a data set and an oracle ---- */

static const char *const texts[] = {
    "电梯故障困人", "楼上漏水严重", "车位被占用", "夜间噪音扰民",
    "物业费收费不合理", "水管爆裂漏水", "电梯门夹人", "垃圾清运不及时",
};
static const char *const names[] = { "张三", "李四", "王五", "赵六", NULL };

struct cat_pick { const char *category, *subcategory; };
static const struct cat_pick cat_picks[] = {
    { NULL, NULL }, { "equipment", "lift" }, { "building", "leak" },
    { "security", "vehicle" }, { "equipment", NULL }, { "environment", "noise" },
};

/* received_at: ten distinct minutes, so many complaints share one (ties) */
static int64_t
dataset_received(int i)
{
    return at(2026, 9, 1, 8, 0) + (int64_t)((i * 7) % 10) * 3600;
}

static int
setup_dataset(void **state)
{
    struct fx *f;

    if (setup_seeded(state) < 0)
        return -1;
    f = *state;
    for (int i = 0; i < DATASET_N; i++) {
        struct complaint_new in;
        char content[256];
        bool p2 = i % 3 == 2;

        complaint_init(&in, dataset_received(i));
        in.project = p2 ? "P2" : "P1";
        in.building = p2 ? (i % 2 ? "A座" : NULL) : (i % 2 ? "1栋" : "2栋");
        in.unit = p2 ? (i % 2 ? "1001" : NULL) : (i % 2 ? "1单元101" : NULL);
        in.channel = core_channels[i % 9];
        in.kind = core_kinds[i % 5];
        in.category = cat_picks[i % 6].category;
        in.subcategory = cat_picks[i % 6].subcategory;
        in.subject = texts[i % 8];
        snprintf(content, sizeof(content), "%s，请尽快处理。", texts[(i * 3 + 1) % 8]);
        in.content = content;
        in.demands = i % 4 == 1 ? "赔偿损失" : NULL;
        in.complainant.name = names[i % 5];
        in.complainant.phone = NULL;
        in.complainant.email = NULL;
        in.complainant.anonymous = names[i % 5] == NULL;
        if (!in.complainant.anonymous) {
            char phone[16];
            snprintf(phone, sizeof(phone), "1380000%04d", i % 7);
            in.complainant.phone = arena_strdup(f->a, phone);
        }
        /* registration times rise with creation, three per minute (ties there too) */
        f->rows[i] = create_in_tx(f, &in, at(2026, 9, 2, 8, 0) + (i / 3) * 60);
    }
    return 0;
}

static bool
in_filter(const struct store_filter *flt, const char *v)
{
    if (flt->n == 0)
        return true;
    for (size_t i = 0; i < flt->n; i++)
        if (v != NULL && strcmp(flt->values[i], v) == 0)
            return true;
    return false;
}

static bool
has_text(const char *field, const char *term)
{
    return field != NULL && strstr(field, term) != NULL;
}

/* Every space-separated term of `search` occurs in one of the searchable fields. */
static bool
matches(const struct complaint *c, const char *search)
{
    char buf[256], *p, *save = NULL;

    if (search == NULL)
        return true;
    snprintf(buf, sizeof(buf), "%s", search);
    /* the search box ignores punctuation: here ， and 。 (3 bytes each) */
    for (p = buf; *p != '\0'; p++)
        if (strncmp(p, "，", 3) == 0 || strncmp(p, "。", 3) == 0)
            memset(p, ' ', 3);
    for (p = strtok_r(buf, " ", &save); p != NULL; p = strtok_r(NULL, " ", &save))
        if (!has_text(c->subject, p) && !has_text(c->content, p) && !has_text(c->demands, p) &&
            !has_text(c->c_name, p) && !has_text(c->building, p) && !has_text(c->unit, p))
            return false;
    return true;
}

static bool
oracle_keeps(const struct complaint_query *q, const char *search, const struct complaint *c)
{
    return in_filter(&q->project, c->project_code) &&
           in_filter(&q->status, c->status) && in_filter(&q->category, c->category_code) &&
           in_filter(&q->kind, c->kind) && in_filter(&q->channel, c->channel) &&
           (!q->has_from || c->received_at >= q->from) && (!q->has_to || c->received_at < q->to) &&
           matches(c, search);
}

static enum store_sort oracle_sort;

static int
cmp_i64(int64_t a, int64_t b)
{
    return a < b ? -1 : a > b;
}

static int
oracle_cmp(const void *pa, const void *pb)
{
    const struct complaint *a = *(const struct complaint *const *)pa;
    const struct complaint *b = *(const struct complaint *const *)pb;
    int r;

    switch (oracle_sort) {
    case STORE_SORT_RECEIVED_ASC:
        r = cmp_i64(a->received_at, b->received_at);
        return r ? r : cmp_i64(a->id, b->id);
    case STORE_SORT_REGISTERED_DESC:
        r = cmp_i64(b->registered_at, a->registered_at);
        return r ? r : cmp_i64(b->id, a->id);
    case STORE_SORT_REGISTERED_ASC:
        r = cmp_i64(a->registered_at, b->registered_at);
        return r ? r : cmp_i64(a->id, b->id);
    case STORE_SORT_RECEIVED_DESC:
    default:
        r = cmp_i64(b->received_at, a->received_at);
        return r ? r : cmp_i64(b->id, a->id);
    }
}

/*
 * Run `q` (with `search` turned into its MATCH expression) page by page with
 * the cursor taken from each page's last item, and compare the whole walk
 * with the oracle: same complaints, same order, no duplicates, no omissions.
 * Returns how many complaints matched.
 */
static size_t
check_query(struct fx *f, const struct complaint_query *q0, const char *search)
{
    struct complaint_query q = *q0;
    const struct complaint *want[DATASET_N];
    struct sbuf match;
    size_t n_want = 0, seen = 0;
    int pages = 0;

    sbuf_init(&match, 4096);
    if (search != NULL) {
        struct err e = { 0 };
        assert_ok(fts_query_build(search, strlen(search), &match, &e), &e);
        q.match = match.buf;
    }
    for (int i = 0; i < DATASET_N; i++)
        if (oracle_keeps(&q, search, f->rows[i]))
            want[n_want++] = f->rows[i];
    oracle_sort = q.sort;
    qsort(want, n_want, sizeof(want[0]), oracle_cmp);

    q.has_cursor = false;
    for (;;) {
        struct complaint_page page;
        struct err e = { 0 };

        assert_ok(f->st->ops->complaint_list(f->st, &q, f->a, &page, &e), &e);
        assert_true(page.n <= (size_t)q.limit);
        assert_true(++pages <= DATASET_N + 1);
        for (size_t i = 0; i < page.n; i++) {
            if (seen >= n_want)
                fail_msg("search '%s': page %d returned %s beyond the %zu expected",
                         search ? search : "-", pages, page.items[i].number, n_want);
            if (page.items[i].id != want[seen]->id)
                fail_msg("search '%s': page %d item %zu: got %s, want %s",
                         search ? search : "-", pages, i, page.items[i].number,
                         want[seen]->number);
            assert_complaint_equal(&page.items[i], want[seen]);
            seen++;
        }
        if (!page.more)
            break;
        /* a page that says more follows is full */
        assert_int_equal(page.n, (size_t)q.limit);
        {
            const struct complaint *last = &page.items[page.n - 1];
            bool by_id = q.sort == STORE_SORT_REGISTERED_ASC ||
                         q.sort == STORE_SORT_REGISTERED_DESC;
            q.has_cursor = true;
            q.cursor_key = by_id ? last->id : last->received_at;
            q.cursor_id = last->id;
        }
    }
    assert_int_equal(seen, n_want);
    sbuf_release(&match);
    return n_want;
}


/* The list fails with ERR_INVALID naming `field`, reason "unknown". */
static void
assert_list_error(struct fx *f, const struct complaint_query *q, const char *field)
{
    struct complaint_page page;
    struct err e = { 0 };

    assert_int_equal(f->st->ops->complaint_list(f->st, q, f->a, &page, &e), -1);
    assert_int_equal(e.code, ERR_INVALID);
    assert_string_equal(e.field, field);
    assert_string_equal(e.reason, "unknown");
}

static void
test_list_filters_alone(void **state)
{
    struct fx *f = *state;
    struct complaint_query q;
    size_t n;

    /* no filter: everything */
    q = (struct complaint_query){ .limit = 100 };
    assert_int_equal(check_query(f, &q, NULL), DATASET_N);
    q.limit = 1;
    assert_int_equal(check_query(f, &q, NULL), DATASET_N);

    q = (struct complaint_query){ .limit = 100, .project = FILTER("P2") };
    n = check_query(f, &q, NULL);
    assert_int_equal(n, DATASET_N / 3);
    q.project = (struct store_filter)FILTER("P1");
    assert_int_equal(check_query(f, &q, NULL), DATASET_N - DATASET_N / 3);
    q.project = (struct store_filter)FILTER("P1", "P2");
    assert_int_equal(check_query(f, &q, NULL), DATASET_N);
    /* a code that does not exist is an error, not an empty page */
    q.project = (struct store_filter)FILTER("P1", "NOPE");
    assert_list_error(f, &q, "project");

    q = (struct complaint_query){ .limit = 100, .status = FILTER("received") };
    assert_true(check_query(f, &q, NULL) > 0);
    q.status = (struct store_filter)FILTER("registered");
    assert_true(check_query(f, &q, NULL) > 0);
    q.status = (struct store_filter)FILTER("received", "registered");
    assert_int_equal(check_query(f, &q, NULL), DATASET_N);
    q.status = (struct store_filter)FILTER("closed");
    assert_int_equal(check_query(f, &q, NULL), 0);

    /* category: the top-level category, whichever subcategory */
    q = (struct complaint_query){ .limit = 100, .category = FILTER("equipment") };
    assert_int_equal(check_query(f, &q, NULL), 2 * DATASET_N / 6);
    q.category = (struct store_filter)FILTER("building", "security");
    assert_int_equal(check_query(f, &q, NULL), 2 * DATASET_N / 6);
    q.category = (struct store_filter)FILTER("lift");     /* a subcategory is not a category */
    assert_list_error(f, &q, "category");
    q.category = (struct store_filter)FILTER("weather");
    assert_list_error(f, &q, "category");

    q = (struct complaint_query){ .limit = 100, .kind = FILTER("repair") };
    assert_int_equal(check_query(f, &q, NULL), DATASET_N / 5);
    q.kind = (struct store_filter)FILTER("complaint", "claim", "inquiry");
    assert_int_equal(check_query(f, &q, NULL), 3 * DATASET_N / 5);

    q = (struct complaint_query){ .limit = 100, .channel = FILTER("web") };
    assert_true(check_query(f, &q, NULL) > 0);
    q.channel = (struct store_filter)FILTER("phone", "email", "media");
    assert_true(check_query(f, &q, NULL) > 0);

    q = (struct complaint_query){ .limit = 100, .has_from = true,
                                  .from = dataset_received(0) + 3 * 3600 };
    assert_true(check_query(f, &q, NULL) > 0);
    q = (struct complaint_query){ .limit = 100, .has_to = true,
                                  .to = dataset_received(0) + 3 * 3600 };
    assert_true(check_query(f, &q, NULL) > 0);
}

static void
test_list_filters_combined(void **state)
{
    struct fx *f = *state;
    struct complaint_query q;

    q = (struct complaint_query){ .limit = 100, .project = FILTER("P1"),
                                  .status = FILTER("registered"),
                                  .category = FILTER("equipment", "building") };
    assert_true(check_query(f, &q, NULL) > 0);
    q.kind = (struct store_filter)FILTER("complaint", "repair", "claim", "suggestion");
    assert_true(check_query(f, &q, NULL) > 0);
    q.has_from = true;
    q.from = dataset_received(0) + 2 * 3600;
    q.has_to = true;
    q.to = dataset_received(0) + 8 * 3600;
    assert_true(check_query(f, &q, NULL) > 0);
    q.channel = (struct store_filter)FILTER("phone", "visit", "letter", "wechat", "media");
    check_query(f, &q, NULL);
    q.limit = 2;
    check_query(f, &q, NULL);

    /* with a search, in every sort */
    for (int s = 0; s < 4; s++) {
        q = (struct complaint_query){ .limit = 3, .sort = (enum store_sort)s, .project = FILTER("P1"),
                                      .category = FILTER("equipment", "building", "security") };
        assert_true(check_query(f, &q, "漏水") > 0);
        q.status = (struct store_filter)FILTER("registered");
        q.has_from = true;
        q.from = dataset_received(0) + 1 * 3600;
        check_query(f, &q, "水");
    }
    /* filters that exclude each other */
    q = (struct complaint_query){ .limit = 100, .project = FILTER("P2"), .channel = FILTER("web"),
                                  .status = FILTER("registered") };
    assert_int_equal(check_query(f, &q, NULL), 0);
}

static void
test_list_date_range(void **state)
{
    struct fx *f = *state;
    int64_t t3 = dataset_received(0) + 3 * 3600, t6 = dataset_received(0) + 6 * 3600;
    struct complaint_query q = { .limit = 100, .has_from = true, .from = t3, .has_to = true,
                                 .to = t6 };
    size_t n_at_t3 = 0, n_at_t6 = 0, n_between = 0;

    for (int i = 0; i < DATASET_N; i++) {
        n_at_t3 += f->rows[i]->received_at == t3;
        n_at_t6 += f->rows[i]->received_at == t6;
        n_between += f->rows[i]->received_at >= t3 && f->rows[i]->received_at < t6;
    }
    assert_true(n_at_t3 > 0 && n_at_t6 > 0);
    /* [from, to): from is in, to is out */
    assert_int_equal(check_query(f, &q, NULL), n_between);
    q.from = t3;
    q.to = t3 + 1;
    assert_int_equal(check_query(f, &q, NULL), n_at_t3);
    q.from = t3 + 1;
    q.to = t6;
    assert_int_equal(check_query(f, &q, NULL), n_between - n_at_t3);
    q.from = t6;
    q.to = t6;
    assert_int_equal(check_query(f, &q, NULL), 0);
    q.from = t6;
    q.to = t3;
    assert_int_equal(check_query(f, &q, NULL), 0);
    q.from = t6 - 1;
    q.to = t6 + 1;
    assert_int_equal(check_query(f, &q, NULL), n_at_t6);
    for (int s = 0; s < 4; s++) {
        q = (struct complaint_query){ .limit = 4, .sort = (enum store_sort)s, .has_from = true,
                                      .from = t3, .has_to = true, .to = t6 };
        assert_int_equal(check_query(f, &q, NULL), n_between);
    }
}

static void
test_list_sorts_and_pages(void **state)
{
    static const int limits[] = { 7, 1, 2, 6, 59, 60, 61, 100 };
    struct fx *f = *state;

    for (int s = 0; s < 4; s++)
        for (size_t l = 0; l < TEST_ARRAY_LEN(limits); l++) {
            struct complaint_query q = { .limit = limits[l], .sort = (enum store_sort)s };
            assert_int_equal(check_query(f, &q, NULL), DATASET_N);
            q.project = (struct store_filter)FILTER("P1");
            check_query(f, &q, NULL);
        }
}

/* The default (received, newest first) walk by hand: the shape a client sees. */
static void
test_list_keyset_walk_limit_7(void **state)
{
    struct fx *f = *state;
    struct complaint_query q = { .limit = 7, .sort = STORE_SORT_RECEIVED_DESC };
    bool seen[DATASET_N] = { false };
    int64_t last_key = INT64_MAX, last_id = INT64_MAX;
    int pages = 0, total = 0;

    for (;;) {
        struct complaint_page page;
        struct err e = { 0 };

        assert_ok(f->st->ops->complaint_list(f->st, &q, f->a, &page, &e), &e);
        pages++;
        for (size_t i = 0; i < page.n; i++) {
            const struct complaint *c = &page.items[i];
            int k;
            /* strictly after the previous item in (received_at, id) descending */
            assert_true(c->received_at < last_key ||
                        (c->received_at == last_key && c->id < last_id));
            last_key = c->received_at;
            last_id = c->id;
            for (k = 0; k < DATASET_N; k++)
                if (f->rows[k]->id == c->id)
                    break;
            assert_true(k < DATASET_N);
            assert_false(seen[k]);
            seen[k] = true;
            total++;
        }
        if (!page.more)
            break;
        q.has_cursor = true;
        q.cursor_key = page.items[page.n - 1].received_at;
        q.cursor_id = page.items[page.n - 1].id;
    }
    assert_int_equal(total, DATASET_N);
    assert_int_equal(pages, (DATASET_N + 6) / 7);
}

static void
test_list_search_chinese(void **state)
{
    static const struct { const char *search; bool some; } cases[] = {
        { "水", true },  { "梯", true },   { "赔", true },  { "张", true },   { "栋", true },
        { "座", true },  { "扰", true },   { "漏水", true }, { "电梯", true }, { "噪音", true },
        { "李四", true }, { "单元", true }, { "漏水严", true }, { "电梯故", true },
        { "收费不", true }, { "困人", true }, { "水漏", false }, { "梯电", false },
        { "漏水漏水", false }, { "漏 水", true }, { "电梯 漏水", true }, { "水 车", false },
        { "赔偿 楼上", true }, { "垃圾清运不及时", true }, { "请尽快处理", true },
        { "，漏水。", true }, { "鑫", false },
    };
    struct fx *f = *state;

    for (size_t i = 0; i < TEST_ARRAY_LEN(cases); i++) {
        struct complaint_query q = { .limit = 100 };
        size_t n = check_query(f, &q, cases[i].search);
        if ((n > 0) != cases[i].some)
            fail_msg("search '%s': %zu results", cases[i].search, n);
        q.limit = 7;
        check_query(f, &q, cases[i].search);
    }
}

/* ---- SQLite only: what the database itself refuses, and rows left behind ---- */

/* ---- audit log ---- */

static struct audit_entry
audit_sample(const char *action, const char *object, int64_t now)
{
    return (struct audit_entry){ .at = now, .address = "127.0.0.1", .action = action,
                                 .object = object, .detail = "{\"seq\":1}" };
}

/* Walk the whole log through audit_scan pages of `page` and check the chain; returns the count. */
static int64_t
audit_verify_all(struct fx *f, size_t page)
{
    unsigned char prev[CORE_AUDIT_HASH] = { 0 };
    int64_t last = 0;
    struct err e = { 0 };

    for (;;) {
        struct audit_entry *items;
        size_t n;
        assert_ok(f->st->ops->audit_scan(f->st, last, page, f->a, &items, &n, &e), &e);
        assert_true(n <= page);
        if (n == 0)
            return last;
        for (size_t i = 0; i < n; i++) {
            assert_ok(core_audit_check(&items[i], last + 1, prev, &e), &e);
            last = items[i].id;
            memcpy(prev, items[i].hash, sizeof(prev));
        }
    }
}

static void
test_audit_append_chain(void **state)
{
    struct fx *f = *state;
    int64_t now = at(2026, 8, 1, 9, 0);
    struct audit_entry en[3] = {
        audit_sample("complaint.create", "KS-2026-000001", now),
        audit_sample("event.append", "KS-2026-000001", now + 1),
        audit_sample("user.add", NULL, now + 2),
    };
    static const unsigned char zeros[CORE_AUDIT_HASH];
    struct audit_entry *items;
    size_t n;
    struct err e = { 0 };
    int version = 0;

    assert_ok(store_migrate(f->st, "property", now, &version, &e), &e);
    /* an empty log scans as empty */
    assert_ok(f->st->ops->audit_scan(f->st, 0, 10, f->a, &items, &n, &e), &e);
    assert_int_equal(n, 0);
    en[2].actor = "alice";
    en[2].address = NULL;
    en[2].detail = NULL;    /* stored as {} */
    assert_ok(store_tx_begin(f->st, &e), &e);
    for (size_t i = 0; i < TEST_ARRAY_LEN(en); i++)
        assert_ok(f->st->ops->audit_append(f->st, &en[i], &e), &e);
    assert_ok(store_tx_commit(f->st, &e), &e);
    /* ids consecutive from 1, each linked to the one before, the first to zeros */
    for (size_t i = 0; i < TEST_ARRAY_LEN(en); i++)
        assert_int_equal(en[i].id, (int64_t)i + 1);
    assert_memory_equal(en[0].prev_hash, zeros, CORE_AUDIT_HASH);
    assert_memory_equal(en[1].prev_hash, en[0].hash, CORE_AUDIT_HASH);
    assert_memory_equal(en[2].prev_hash, en[1].hash, CORE_AUDIT_HASH);
    /* read back as written */
    assert_ok(f->st->ops->audit_scan(f->st, 0, 10, f->a, &items, &n, &e), &e);
    assert_int_equal(n, 3);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(items[i].id, en[i].id);
        assert_int_equal(items[i].at, en[i].at);
        assert_string_equal(items[i].action, en[i].action);
        assert_memory_equal(items[i].prev_hash, en[i].prev_hash, CORE_AUDIT_HASH);
        assert_memory_equal(items[i].hash, en[i].hash, CORE_AUDIT_HASH);
    }
    assert_string_equal(items[0].object, "KS-2026-000001");
    assert_string_equal(items[0].address, "127.0.0.1");
    assert_null(items[0].actor);
    assert_string_equal(items[2].actor, "alice");
    assert_null(items[2].address);
    assert_null(items[2].object);
    assert_string_equal(items[2].detail, "{}");
    assert_int_equal(audit_verify_all(f, 10), 3);
}

/* A rolled-back entry leaves nothing behind and the next one takes its id and link. */
static void
test_audit_rollback_continues_chain(void **state)
{
    struct fx *f = *state;
    int64_t now = at(2026, 8, 1, 9, 0);
    struct audit_entry a = audit_sample("complaint.create", "KS-2026-000001", now);
    struct audit_entry lost = audit_sample("complaint.create", "KS-2026-000002", now);
    struct audit_entry b = audit_sample("complaint.create", "KS-2026-000002", now + 60);
    struct audit_entry *items;
    size_t n;
    struct err e = { 0 };
    int version = 0;

    assert_ok(store_migrate(f->st, "property", now, &version, &e), &e);
    assert_ok(store_tx_begin(f->st, &e), &e);
    assert_ok(f->st->ops->audit_append(f->st, &a, &e), &e);
    assert_ok(store_tx_commit(f->st, &e), &e);
    assert_ok(store_tx_begin(f->st, &e), &e);
    assert_ok(f->st->ops->audit_append(f->st, &lost, &e), &e);
    assert_int_equal(lost.id, 2);
    store_tx_rollback(f->st);
    assert_ok(f->st->ops->audit_scan(f->st, 0, 10, f->a, &items, &n, &e), &e);
    assert_int_equal(n, 1);
    assert_ok(store_tx_begin(f->st, &e), &e);
    assert_ok(f->st->ops->audit_append(f->st, &b, &e), &e);
    assert_ok(store_tx_commit(f->st, &e), &e);
    assert_int_equal(b.id, 2);
    assert_memory_equal(b.prev_hash, a.hash, CORE_AUDIT_HASH);
    assert_int_equal(audit_verify_all(f, 10), 2);
}

/* Paging: every entry once, in order, whatever the page size. */
static void
test_audit_scan_pages(void **state)
{
    static const size_t pages[] = { 1, 2, 7, 25, 26, 1000 };
    struct fx *f = *state;
    int64_t now = at(2026, 8, 1, 9, 0);
    struct audit_entry *items;
    size_t n;
    struct err e = { 0 };
    int version = 0;

    assert_ok(store_migrate(f->st, "property", now, &version, &e), &e);
    assert_ok(store_tx_begin(f->st, &e), &e);
    for (int i = 0; i < 25; i++) {
        struct audit_entry en = audit_sample("event.append", i % 2 ? "KS-2026-000001" : NULL,
                                             now + i);
        assert_ok(f->st->ops->audit_append(f->st, &en, &e), &e);
    }
    assert_ok(store_tx_commit(f->st, &e), &e);
    for (size_t p = 0; p < TEST_ARRAY_LEN(pages); p++)
        assert_int_equal(audit_verify_all(f, pages[p]), 25);
    assert_ok(f->st->ops->audit_scan(f->st, 20, 100, f->a, &items, &n, &e), &e);
    assert_int_equal(n, 5);
    assert_int_equal(items[0].id, 21);
    assert_ok(f->st->ops->audit_scan(f->st, 25, 100, f->a, &items, &n, &e), &e);
    assert_int_equal(n, 0);
}

/* ---- the auditors' query ---- */

#define AQ_N 48

static const char *const aq_actions[] = {
    "complaint.create", "complaint.close", "complaint", "complaints.export",
    "event.append",     "login",           "user.add",  "user_add",
};
static const char *const aq_actors[] = { "alice", "bob", NULL };
static const char *const aq_objects[] = { "KS-2026-000001", "KS-2026-000002", "alice", NULL };

/* `at` is not in id order (i * 7 mod AQ_N minutes): time filters must not lean on ids */
static int64_t
aq_at(int i)
{
    return at(2026, 8, 1, 9, 0) + (int64_t)((i * 7) % AQ_N) * 60;
}

/* Entry i (id i + 1) of the query tests' log. */
static struct audit_entry
aq_entry(int i)
{
    struct audit_entry en = audit_sample(aq_actions[i % TEST_ARRAY_LEN(aq_actions)],
                                         aq_objects[i % TEST_ARRAY_LEN(aq_objects)], aq_at(i));

    en.actor = aq_actors[i % TEST_ARRAY_LEN(aq_actors)];
    return en;
}

static int
setup_audit_log(void **state)
{
    struct fx *f;
    struct err e = { 0 };
    int version = 0;

    if (setup_fresh(state) < 0)
        return -1;
    f = *state;
    assert_ok(store_migrate(f->st, "property", 0, &version, &e), &e);
    assert_ok(store_tx_begin(f->st, &e), &e);
    for (int i = 0; i < AQ_N; i++) {
        struct audit_entry en = aq_entry(i);
        assert_ok(f->st->ops->audit_append(f->st, &en, &e), &e);
    }
    assert_ok(store_tx_commit(f->st, &e), &e);
    return 0;
}

static bool
same_or_unset(const char *want, const char *have)
{
    return want == NULL || (have != NULL && strcmp(want, have) == 0);
}

/* The oracle: does entry i (id i + 1) pass every filter of q? */
static bool
aq_keeps(const struct audit_query *q, int i)
{
    struct audit_entry en = aq_entry(i);
    size_t n = q->action ? strlen(q->action) : 0;

    if (q->before_id != 0 && i + 1 >= q->before_id)
        return false;
    if (!same_or_unset(q->actor, en.actor) || !same_or_unset(q->object, en.object))
        return false;
    if (q->has_from && en.at < q->from)
        return false;
    if (q->has_to && en.at >= q->to)
        return false;
    if (n > 0 && q->action[n - 1] == '*')
        return strncmp(en.action, q->action, n - 1) == 0;
    return q->action == NULL || strcmp(en.action, q->action) == 0;
}

/*
 * Page through the query with q->limit, following before_id, and check the
 * pages join up to exactly what the oracle keeps, newest first, with `more`
 * on every page but the last. Returns how many matched.
 */
static size_t
aq_check(struct fx *f, const struct audit_query *q0)
{
    struct audit_query q = *q0;
    int64_t want[AQ_N];
    size_t n_want = 0, seen = 0;
    struct err e = { 0 };

    for (int i = AQ_N - 1; i >= 0; i--)
        if (aq_keeps(q0, i))
            want[n_want++] = i + 1;
    for (int pages = 0;; pages++) {
        struct audit_entry *items;
        size_t n;
        bool more;
        assert_true(pages <= AQ_N + 1);
        assert_ok(f->st->ops->audit_query(f->st, &q, f->a, &items, &n, &more, &e), &e);
        assert_true(n <= (size_t)q.limit);
        for (size_t i = 0; i < n; i++) {
            if (seen >= n_want || items[i].id != want[seen])
                fail_msg("actor %s object %s action %s limit %d: entry %zu is id %lld",
                         q0->actor ? q0->actor : "-", q0->object ? q0->object : "-",
                         q0->action ? q0->action : "-", q0->limit, seen,
                         (long long)items[i].id);
            assert_true(aq_keeps(q0, (int)items[i].id - 1));
            seen++;
        }
        if (!more)
            break;
        assert_int_equal(n, q.limit);
        q.before_id = items[n - 1].id;
    }
    assert_int_equal(seen, n_want);
    return n_want;
}

static void
test_audit_query_filters(void **state)
{
    static const int limits[] = { 1, 2, 7, 500 };
    struct fx *f = *state;
    int64_t t0 = aq_at(0);
    const struct audit_query filters[] = {
        { .actor = "alice" },
        { .actor = "nobody" },
        { .object = "KS-2026-000001" },
        { .object = "alice" },
        { .action = "login" },
        /* exact: "complaint" is not "complaint.create" */
        { .action = "complaint" },
        /* a prefix: not "complaints.export" nor "complaint" */
        { .action = "complaint.*" },
        /* a prefix without the dot takes both */
        { .action = "complaint*" },
        { .action = "*" },
        /* no pattern syntax: _ and % are themselves */
        { .action = "user_*" },
        { .action = "user%*" },
        { .action = "user.add*" },
        { .has_from = true, .from = t0 + 10 * 60 },
        { .has_to = true, .to = t0 + 10 * 60 },
        { .has_from = true, .from = t0 + 5 * 60, .has_to = true, .to = t0 + 17 * 60 },
        { .has_from = true, .from = t0 + 5 * 60, .has_to = true, .to = t0 + 5 * 60 },
        { .actor = "bob", .action = "complaint.*" },
        { .actor = "alice", .object = "KS-2026-000002" },
        { .object = "KS-2026-000001", .action = "complaint.create", .has_from = true,
          .from = t0 + 3 * 60 },
        { .actor = "bob", .has_from = true, .from = t0 + 20 * 60, .has_to = true,
          .to = t0 + 40 * 60 },
        { .action = "event.append", .has_to = true, .to = t0 + 30 * 60 },
        { .before_id = 30 },
        { .actor = "alice", .before_id = 13 },
        { .before_id = 1 },
        { 0 },
    };

    for (size_t i = 0; i < TEST_ARRAY_LEN(filters); i++) {
        for (size_t l = 0; l < TEST_ARRAY_LEN(limits); l++) {
            struct audit_query q = filters[i];
            q.limit = limits[l];
            aq_check(f, &q);
        }
    }
    /* the oracle is not vacuous */
    assert_int_equal(aq_check(f, &(struct audit_query){ .limit = 500 }), AQ_N);
    assert_int_equal(aq_check(f, &(struct audit_query){ .action = "complaint.*", .limit = 9 }),
                     AQ_N / 4);
    assert_int_equal(aq_check(f, &(struct audit_query){ .action = "complaint*", .limit = 9 }),
                     AQ_N / 2);
    assert_int_equal(aq_check(f, &(struct audit_query){ .action = "user%*", .limit = 9 }), 0);
}

/* A page: entries whole, newest first; `more` exactly when older matches remain. */
static void
test_audit_query_page(void **state)
{
    struct fx *f = *state;
    struct audit_query q = { .action = "login", .limit = 3 };
    struct audit_entry want = aq_entry(AQ_N - 3), *items;
    size_t n, per_action = AQ_N / TEST_ARRAY_LEN(aq_actions);
    bool more = false;
    struct err e = { 0 };

    assert_ok(f->st->ops->audit_query(f->st, &q, f->a, &items, &n, &more, &e), &e);
    assert_int_equal(n, 3);
    assert_true(more);
    /* the newest login is entry AQ_N - 3 */
    assert_int_equal(items[0].id, AQ_N - 2);
    assert_int_equal(items[0].at, want.at);
    assert_str_or_null(items[0].actor, want.actor);
    assert_string_equal(items[0].address, "127.0.0.1");
    assert_string_equal(items[0].action, "login");
    assert_str_or_null(items[0].object, want.object);
    assert_string_equal(items[0].detail, "{\"seq\":1}");
    assert_ok(core_audit_check(&items[1], items[1].id, items[1].prev_hash, &e), &e);
    assert_int_equal(items[1].id, items[0].id - (int64_t)TEST_ARRAY_LEN(aq_actions));

    /* exactly `limit` left: the page is full and nothing follows */
    q.limit = (int)per_action - 1;
    q.before_id = items[0].id;
    assert_ok(f->st->ops->audit_query(f->st, &q, f->a, &items, &n, &more, &e), &e);
    assert_int_equal(n, per_action - 1);
    assert_false(more);
    /* past the oldest: empty */
    q.before_id = items[n - 1].id;
    more = true;
    assert_ok(f->st->ops->audit_query(f->st, &q, f->a, &items, &n, &more, &e), &e);
    assert_int_equal(n, 0);
    assert_false(more);
}

static void
test_audit_query_limit(void **state)
{
    static const int bad[] = { 0, -1, 501, 100000, INT32_MIN, INT32_MAX };
    struct fx *f = *state;
    struct audit_entry *items;
    size_t n;
    bool more;
    struct err e = { 0 };

    for (size_t i = 0; i < TEST_ARRAY_LEN(bad); i++) {
        struct audit_query q = { .limit = bad[i] };
        assert_err(f->st->ops->audit_query(f->st, &q, f->a, &items, &n, &more, &e), &e,
                   ERR_INVALID, "limit");
        assert_reason(&e, "out_of_range");
        e = (struct err){ 0 };
    }
    assert_ok(f->st->ops->audit_query(f->st, &(struct audit_query){ .limit = 500 }, f->a, &items,
                                      &n, &more, &e), &e);
    assert_int_equal(n, AQ_N);
    assert_false(more);
}

/* ---- sessions and API tokens ---- */

/* A secret's hash made of one repeated byte: distinct per test value, easy to read. */
static void
secret(unsigned char out[STORE_SECRET_HASH], int byte)
{
    memset(out, byte, STORE_SECRET_HASH);
}

static int64_t
session_ok(struct fx *f, const char *login, int byte, int64_t created, int64_t expires)
{
    struct session_new in = { .login = login, .csrf = "csrf-token", .address = "10.0.0.7",
                              .created_at = created, .expires_at = expires };
    struct err e = { 0 };
    int64_t id = 0;

    secret(in.token_hash, byte);
    assert_ok(f->st->ops->session_create(f->st, &in, &id, &e), &e);
    assert_true(id > 0);
    return id;
}

static struct credential *
find_ok(struct fx *f, enum credential_kind kind, int byte)
{
    unsigned char hash[STORE_SECRET_HASH];
    struct credential *c = NULL;
    struct err e = { 0 };

    secret(hash, byte);
    assert_ok(f->st->ops->credential_find(f->st, kind, hash, f->a, &c, &e), &e);
    assert_non_null(c);
    assert_int_equal(c->kind, kind);
    return c;
}

/* seed() and alice as a company administrator and a handler of P1, with a password */
static void
seed_accounts(struct fx *f, int64_t now)
{
    struct store *st = f->st;
    struct err e = { 0 };

    seed(f);
    assert_ok(st->ops->staff_set_password(st, "alice", HASH_1, now, &e), &e);
    assert_ok(st->ops->membership_add(st, "alice", &(struct membership){ .role = "admin" }, &e),
              &e);
    assert_ok(st->ops->membership_add(st, "alice",
                                      &(struct membership){ .role = "handler", .project = "P1" },
                                      &e), &e);
}

static void
assert_alice(const struct staff *s, int64_t password_changed)
{
    assert_true(s->id > 0);
    assert_string_equal(s->login, "alice");
    assert_string_equal(s->name, "王丽");
    assert_string_equal(s->status, "active");
    assert_true(s->has_password);
    assert_null(s->password_hash);
    assert_int_equal(s->password_changed_at, password_changed);
    assert_int_equal(s->n_memberships, 2);
    assert_membership(&s->memberships[0], "admin", NULL, NULL);
    assert_membership(&s->memberships[1], "handler", "P1", NULL);
}

static void
test_session_create_find_touch(void **state)
{
    struct fx *f = *state;
    struct store *st = f->st;
    int64_t now = at(2026, 5, 1, 9, 0), id, other;
    unsigned char hash[STORE_SECRET_HASH];
    struct session_new in = { .login = "ghost", .csrf = "x", .created_at = now,
                              .expires_at = now + 3600 };
    struct credential *c;
    struct err e = { 0 };

    seed_accounts(f, now - 60);
    id = session_ok(f, "alice", 0xA1, now, now + 8 * 3600);
    c = find_ok(f, CREDENTIAL_SESSION, 0xA1);
    assert_int_equal(c->id, id);
    assert_int_equal(c->created_at, now);
    assert_int_equal(c->last_used_at, now);    /* the idle clock starts at sign-in */
    assert_int_equal(c->expires_at, now + 8 * 3600);
    assert_int_equal(c->revoked_at, 0);
    assert_string_equal(c->csrf, "csrf-token");
    assert_null(c->name);
    assert_int_equal(c->scopes, CORE_SCOPES_ALL);
    assert_null(c->project);
    assert_null(c->created_by);
    assert_alice(&c->owner, now - 60);

    /* a second session of the same person, without an address */
    in.login = "bob";
    secret(in.token_hash, 0xB0);
    in.address = NULL;
    assert_ok(st->ops->session_create(st, &in, &other, &e), &e);
    assert_true(other > id);
    c = find_ok(f, CREDENTIAL_SESSION, 0xB0);
    assert_string_equal(c->owner.login, "bob");
    assert_int_equal(c->owner.n_memberships, 0);
    assert_false(c->owner.has_password);

    /* touch moves the idle clock of that session only */
    assert_ok(st->ops->credential_touch(st, CREDENTIAL_SESSION, id, now + 600, &e), &e);
    assert_int_equal(find_ok(f, CREDENTIAL_SESSION, 0xA1)->last_used_at, now + 600);
    assert_int_equal(find_ok(f, CREDENTIAL_SESSION, 0xB0)->last_used_at, now);

    /* unknown: a hash, an id, a login; a session is not a token */
    secret(hash, 0xEE);
    assert_err(st->ops->credential_find(st, CREDENTIAL_SESSION, hash, f->a, &c, &e), &e,
               ERR_NOT_FOUND, NULL);
    e = (struct err){ 0 };
    secret(hash, 0xA1);
    assert_err(st->ops->credential_find(st, CREDENTIAL_TOKEN, hash, f->a, &c, &e), &e,
               ERR_NOT_FOUND, NULL);
    e = (struct err){ 0 };
    assert_err(st->ops->credential_touch(st, CREDENTIAL_SESSION, other + 100, now, &e), &e,
               ERR_NOT_FOUND, "id");
    e = (struct err){ 0 };
    in.login = "ghost";
    secret(in.token_hash, 0xC0);
    assert_err(st->ops->session_create(st, &in, &other, &e), &e, ERR_INVALID, "login");
    assert_reason(&e, "unknown");
    e = (struct err){ 0 };
    /* a hash is one session's only */
    in.login = "bob";
    secret(in.token_hash, 0xA1);
    assert_err(st->ops->session_create(st, &in, &other, &e), &e, ERR_CONFLICT, NULL);
    e = (struct err){ 0 };
    in.csrf = NULL;
    secret(in.token_hash, 0xC1);
    assert_err(st->ops->session_create(st, &in, &other, &e), &e, ERR_INVALID, "csrf");
}

/* Revoked or expired sessions are still found, as they are: the caller decides. */
static void
test_session_revoke(void **state)
{
    struct fx *f = *state;
    struct store *st = f->st;
    int64_t now = at(2026, 5, 1, 9, 0), id, old;
    struct credential *c;
    struct err e = { 0 };

    seed_accounts(f, now);
    old = session_ok(f, "alice", 0x01, now - 86400, now - 3600);   /* expired */
    id = session_ok(f, "alice", 0x02, now, now + 3600);
    assert_int_equal(find_ok(f, CREDENTIAL_SESSION, 0x01)->expires_at, now - 3600);

    assert_ok(st->ops->credential_revoke(st, CREDENTIAL_SESSION, id, now + 60, &e), &e);
    c = find_ok(f, CREDENTIAL_SESSION, 0x02);
    assert_int_equal(c->id, id);
    assert_int_equal(c->revoked_at, now + 60);
    assert_alice(&c->owner, now);
    /* the first revocation stands */
    assert_err(st->ops->credential_revoke(st, CREDENTIAL_SESSION, id, now + 120, &e), &e,
               ERR_CONFLICT, "id");
    assert_reason(&e, "revoked");
    e = (struct err){ 0 };
    assert_int_equal(find_ok(f, CREDENTIAL_SESSION, 0x02)->revoked_at, now + 60);
    assert_err(st->ops->credential_revoke(st, CREDENTIAL_SESSION, id + 100, now, &e), &e,
               ERR_NOT_FOUND, "id");
    e = (struct err){ 0 };
    /* ids are per kind: there is no token with that id */
    assert_err(st->ops->credential_revoke(st, CREDENTIAL_TOKEN, id, now, &e), &e,
               ERR_NOT_FOUND, "id");
    e = (struct err){ 0 };
    /* an expired session can still be revoked explicitly (sign-out after the limit) */
    assert_ok(st->ops->credential_revoke(st, CREDENTIAL_SESSION, old, now, &e), &e);
    assert_int_equal(find_ok(f, CREDENTIAL_SESSION, 0x01)->revoked_at, now);
    /* touching a revoked session records the use and changes nothing else */
    assert_ok(st->ops->credential_touch(st, CREDENTIAL_SESSION, id, now + 180, &e), &e);
    c = find_ok(f, CREDENTIAL_SESSION, 0x02);
    assert_int_equal(c->last_used_at, now + 180);
    assert_int_equal(c->revoked_at, now + 60);
}

static void
test_session_revoke_staff(void **state)
{
    struct fx *f = *state;
    struct store *st = f->st;
    int64_t now = at(2026, 5, 1, 9, 0), id;
    int n = -1;
    struct err e = { 0 };

    seed_accounts(f, now);
    for (int i = 0; i < 3; i++)
        session_ok(f, "alice", 0x10 + i, now - 60, now + 3600);
    id = session_ok(f, "alice", 0x20, now - 60, now + 3600);
    assert_ok(st->ops->credential_revoke(st, CREDENTIAL_SESSION, id, now - 30, &e), &e);
    session_ok(f, "alice", 0x21, now - 7200, now - 3600);    /* expired: not live */
    session_ok(f, "bob", 0x30, now - 60, now + 3600);

    assert_ok(st->ops->session_revoke_staff(st, "alice", now, &n, &e), &e);
    assert_int_equal(n, 3);
    for (int i = 0; i < 3; i++)
        assert_int_equal(find_ok(f, CREDENTIAL_SESSION, 0x10 + i)->revoked_at, now);
    /* revoked before keeps its time; expired stays as it ended; bob is untouched */
    assert_int_equal(find_ok(f, CREDENTIAL_SESSION, 0x20)->revoked_at, now - 30);
    assert_int_equal(find_ok(f, CREDENTIAL_SESSION, 0x21)->revoked_at, 0);
    assert_int_equal(find_ok(f, CREDENTIAL_SESSION, 0x30)->revoked_at, 0);

    /* again: nothing live is left */
    n = -1;
    assert_ok(st->ops->session_revoke_staff(st, "alice", now + 60, &n, &e), &e);
    assert_int_equal(n, 0);
    n = -1;
    assert_ok(st->ops->session_revoke_staff(st, "bob", now, &n, &e), &e);
    assert_int_equal(n, 1);
    assert_err(st->ops->session_revoke_staff(st, "ghost", now, &n, &e), &e, ERR_NOT_FOUND,
               "login");
}

static int64_t
token_ok(struct fx *f, const struct token_new *in0, int byte)
{
    struct token_new in = *in0;
    struct err e = { 0 };
    int64_t id = 0;

    secret(in.token_hash, byte);
    assert_ok(f->st->ops->token_create(f->st, &in, &id, &e), &e);
    assert_true(id > 0);
    return id;
}

static void
test_token_create_find(void **state)
{
    struct fx *f = *state;
    struct store *st = f->st;
    int64_t now = at(2026, 5, 1, 9, 0), id;
    const uint32_t scopes = (1u << PERM_COMPLAINT_READ) | (1u << PERM_COMPLAINT_CREATE);
    struct token_new cti = { .name = "hotline CTI", .login = "alice", .scopes = scopes,
                             .project = "P1", .created_by = "bob", .created_at = now };
    struct token_new in;
    struct credential *c;
    struct err e = { 0 };

    seed_accounts(f, now - 60);
    id = token_ok(f, &cti, 0x71);
    c = find_ok(f, CREDENTIAL_TOKEN, 0x71);
    assert_int_equal(c->id, id);
    assert_string_equal(c->name, "hotline CTI");
    assert_int_equal(c->scopes, scopes);
    assert_string_equal(c->project, "P1");
    assert_string_equal(c->created_by, "bob");
    assert_int_equal(c->created_at, now);
    assert_int_equal(c->last_used_at, 0);     /* never used */
    assert_int_equal(c->expires_at, 0);
    assert_int_equal(c->revoked_at, 0);
    assert_null(c->csrf);
    assert_alice(&c->owner, now - 60);

    /* every scope bit survives, and no project, no creator (the command line) */
    in = (struct token_new){ .name = "nightly export", .login = "bob",
                             .scopes = CORE_SCOPES_ALL, .created_at = now };
    token_ok(f, &in, 0x72);
    c = find_ok(f, CREDENTIAL_TOKEN, 0x72);
    assert_int_equal(c->scopes, CORE_SCOPES_ALL);
    assert_null(c->project);
    assert_null(c->created_by);
    assert_string_equal(c->owner.login, "bob");

    assert_ok(st->ops->credential_touch(st, CREDENTIAL_TOKEN, id, now + 5, &e), &e);
    assert_int_equal(find_ok(f, CREDENTIAL_TOKEN, 0x71)->last_used_at, now + 5);
    assert_int_equal(find_ok(f, CREDENTIAL_TOKEN, 0x72)->last_used_at, 0);
    assert_err(st->ops->credential_touch(st, CREDENTIAL_TOKEN, id + 100, now, &e), &e,
               ERR_NOT_FOUND, "id");
}

static void
test_token_refused(void **state)
{
    static const struct {
        struct token_new in;
        enum err_code code;
        const char *field, *reason;
    } refused[] = {
        { { .name = "n1", .login = "ghost" }, ERR_INVALID, "login", "unknown" },
        { { .name = "n2", .login = "alice", .project = "NOPE" }, ERR_INVALID, "project",
          "unknown" },
        { { .name = "hotline CTI", .login = "bob" }, ERR_CONFLICT, "name", "exists" },
        { { .name = NULL, .login = "bob" }, ERR_INVALID, "name", "required" },
    };
    struct fx *f = *state;
    struct store *st = f->st;
    struct token_new cti = { .name = "hotline CTI", .login = "alice", .scopes = 1 };
    struct credential *c;
    struct err e = { 0 };
    size_t n;
    int64_t id;

    seed_accounts(f, 0);
    token_ok(f, &cti, 0x71);
    for (size_t i = 0; i < TEST_ARRAY_LEN(refused); i++) {
        struct token_new in = refused[i].in;
        secret(in.token_hash, 0x80 + (int)i);
        if (st->ops->token_create(st, &in, &id, &e) != -1 || e.code != refused[i].code)
            fail_msg("case %zu: code %d (%s)", i, (int)e.code, e.detail);
        assert_str_or_null(e.field, refused[i].field);
        assert_reason(&e, refused[i].reason);
        e = (struct err){ 0 };
    }
    /* a hash is one token's only */
    cti.name = "other";
    secret(cti.token_hash, 0x71);
    assert_err(st->ops->token_create(st, &cti, &id, &e), &e, ERR_CONFLICT, NULL);
    e = (struct err){ 0 };
    assert_ok(st->ops->token_list(st, f->a, &c, &n, &e), &e);
    assert_int_equal(n, 1);
}

/* A name is free again once its token is revoked; the list keeps both. */
static void
test_token_reuse_name_and_list(void **state)
{
    struct fx *f = *state;
    struct store *st = f->st;
    int64_t now = at(2026, 5, 1, 9, 0), first, second, third;
    struct token_new in = { .name = "hotline CTI", .login = "alice", .scopes = 3,
                            .project = "P2", .created_at = now };
    struct credential *list;
    struct err e = { 0 };
    size_t n = 99;

    seed_accounts(f, now);
    assert_ok(st->ops->token_list(st, f->a, &list, &n, &e), &e);
    assert_int_equal(n, 0);
    first = token_ok(f, &in, 0x01);
    assert_ok(st->ops->credential_revoke(st, CREDENTIAL_TOKEN, first, now + 10, &e), &e);
    assert_err(st->ops->credential_revoke(st, CREDENTIAL_TOKEN, first, now + 20, &e), &e,
               ERR_CONFLICT, "id");
    assert_reason(&e, "revoked");
    e = (struct err){ 0 };
    in.created_at = now + 30;
    in.project = NULL;
    in.login = "bob";
    second = token_ok(f, &in, 0x02);
    /* live again under that name: taken */
    secret(in.token_hash, 0x03);
    assert_err(st->ops->token_create(st, &in, &third, &e), &e, ERR_CONFLICT, "name");
    e = (struct err){ 0 };
    in.name = "hotline CTI 2";
    third = token_ok(f, &in, 0x03);

    assert_ok(st->ops->token_list(st, f->a, &list, &n, &e), &e);
    assert_int_equal(n, 3);
    assert_int_equal(list[0].id, first);
    assert_int_equal(list[1].id, second);
    assert_int_equal(list[2].id, third);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(list[i].kind, CREDENTIAL_TOKEN);
        assert_int_equal(list[i].scopes, 3);
        assert_int_equal(list[i].owner.n_memberships, 0);   /* not loaded */
        assert_null(list[i].owner.password_hash);
        assert_null(list[i].csrf);
    }
    assert_string_equal(list[0].name, "hotline CTI");
    assert_int_equal(list[0].revoked_at, now + 10);
    assert_string_equal(list[0].project, "P2");
    assert_string_equal(list[0].owner.login, "alice");
    assert_string_equal(list[0].owner.name, "王丽");
    assert_string_equal(list[1].name, "hotline CTI");
    assert_int_equal(list[1].revoked_at, 0);
    assert_null(list[1].project);
    assert_int_equal(list[1].created_at, now + 30);
    assert_string_equal(list[1].owner.login, "bob");
    assert_string_equal(list[1].owner.name, "李强");
    assert_string_equal(list[2].name, "hotline CTI 2");
    /* both "hotline CTI" tokens are found by their own hash, the revoked one as revoked */
    assert_int_equal(find_ok(f, CREDENTIAL_TOKEN, 0x01)->revoked_at, now + 10);
    assert_int_equal(find_ok(f, CREDENTIAL_TOKEN, 0x02)->id, second);
}

/* A database of schema version 3 migrates to this one and keeps what it held. */
static void
test_migrate_from_v3(void **state)
{
    struct fx *f = *state;
    struct store *st = f->st;
    struct audit_entry want[V3_AUDIT_N], *items;
    struct token_new tok = { .name = "cti", .login = "alice", .scopes = 1, .project = "P1" };
    struct audit_entry en = audit_sample("token.create", "cti", 4000);
    struct credential *c;
    struct staff *s;
    struct err e = { 0 };
    int version = -1;
    size_t n;
    bool more;

    assert_ok(st->ops->health(st, &version, &e), &e);
    assert_int_equal(version, 3);
    assert_ok(store_migrate(st, NULL, at(2026, 1, 1, 0, 0), &version, &e), &e);
    assert_int_equal(version, STORE_SCHEMA_VERSION);

    /* the account as it was */
    s = staff_get_ok(f, "alice");
    assert_string_equal(s->password_hash, "argon2id-v3");
    assert_int_equal(s->password_changed_at, V3_PASSWORD_CHANGED);
    assert_int_equal(s->n_memberships, 2);
    assert_membership(&s->memberships[0], "admin", NULL, NULL);
    assert_membership(&s->memberships[1], "handler", "P1", "ENG");

    /* the log as it was, and the chain goes on from it */
    v3_audit(want);
    assert_ok(st->ops->audit_scan(st, 0, 10, f->a, &items, &n, &e), &e);
    assert_int_equal(n, V3_AUDIT_N);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(items[i].id, want[i].id);
        assert_string_equal(items[i].action, want[i].action);
        assert_memory_equal(items[i].hash, want[i].hash, CORE_AUDIT_HASH);
    }
    assert_ok(store_tx_begin(st, &e), &e);
    assert_ok(st->ops->audit_append(st, &en, &e), &e);
    assert_ok(store_tx_commit(st, &e), &e);
    assert_int_equal(audit_verify_all(f, 2), V3_AUDIT_N + 1);
    /* the old entries answer the new query */
    assert_ok(st->ops->audit_query(st, &(struct audit_query){ .object = "alice", .limit = 5 },
                                   f->a, &items, &n, &more, &e), &e);
    assert_int_equal(n, 2);
    assert_int_equal(items[0].id, 2);
    assert_string_equal(items[0].actor, "alice");
    assert_ok(st->ops->audit_query(st, &(struct audit_query){ .action = "user.*", .limit = 5 },
                                   f->a, &items, &n, &more, &e), &e);
    assert_int_equal(n, 2);

    /* the new tables work with the old rows */
    session_ok(f, "alice", 0x44, 5000, 9000);
    c = find_ok(f, CREDENTIAL_SESSION, 0x44);
    assert_int_equal(c->owner.n_memberships, 2);
    assert_int_equal(c->owner.password_changed_at, V3_PASSWORD_CHANGED);
    token_ok(f, &tok, 0x45);
    assert_string_equal(find_ok(f, CREDENTIAL_TOKEN, 0x45)->project, "P1");

    /* again: nothing to do, nothing lost */
    assert_ok(store_migrate(st, NULL, at(2026, 1, 3, 0, 0), &version, &e), &e);
    assert_int_equal(version, STORE_SCHEMA_VERSION);
    assert_int_equal(find_ok(f, CREDENTIAL_SESSION, 0x44)->expires_at, 9000);
}

static sqlite3 *
open_raw(struct fx *f)
{
    char path[512];
    sqlite3 *db = NULL;
    struct err e = { 0 };

    snprintf(path, sizeof(path), "%s/kesu.db", f->dir);
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    assert_ok(fts_cjk_register(db, &e), &e);     /* complaint_fts needs its tokenizer */
    return db;
}

static int64_t
count_rows(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st;
    int64_t n = -1;

    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    if (sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

static void
test_sqlite_refuses_rewriting_history(void **state)
{
    static const char *const refused[] = {
        "UPDATE events SET text = 'rewritten'",
        "UPDATE events SET type = 'closed' WHERE seq = 1",
        "DELETE FROM events",
        "DELETE FROM events WHERE seq = 1",
        "DELETE FROM complaints",
        "UPDATE complaints SET number = 'KS-2026-999999'",
        "DELETE FROM attachments",
    };
    struct fx *f = *state;
    int64_t now = at(2026, 8, 1, 9, 0);
    struct complaint_new in;
    struct complaint *c;
    sqlite3 *db;

    seed(f);
    complaint_init(&in, now);
    c = create_in_tx(f, &in, now);
    attach(f, c->id, "a.txt", "abc", 3, NULL);
    db = open_raw(f);
    for (size_t i = 0; i < TEST_ARRAY_LEN(refused); i++) {
        int rc = sqlite3_exec(db, refused[i], NULL, NULL, NULL);
        if (rc == SQLITE_OK)
            fail_msg("the database accepted: %s", refused[i]);
        assert_int_equal(rc & 0xFF, SQLITE_CONSTRAINT);
    }
    assert_int_equal(count_rows(db, "SELECT count(*) FROM complaints"), 1);
    assert_int_equal(count_rows(db, "SELECT count(*) FROM events"), 1);
    assert_int_equal(count_rows(db, "SELECT count(*) FROM events WHERE text IS NULL"), 1);
    assert_int_equal(count_rows(db, "SELECT count(*) FROM attachments"), 1);
    assert_int_equal(count_rows(db, "SELECT count(*) FROM complaints WHERE number ="
                                    " 'KS-2026-000001'"), 1);
    /* what may change still can: the status of a complaint */
    assert_int_equal(sqlite3_exec(db, "UPDATE complaints SET status = 'in_progress'", NULL, NULL,
                                  NULL), SQLITE_OK);
    sqlite3_close(db);
}

static void
test_sqlite_failed_create_leaves_no_rows(void **state)
{
    static const char *const tables[] = {
        "SELECT count(*) FROM complaints", "SELECT count(*) FROM events",
        "SELECT count(*) FROM complainants", "SELECT coalesce(sum(last), 0) FROM number_series",
        "SELECT count(*) FROM complaint_fts",
    };
    struct fx *f = *state;
    struct store *st = f->st;
    int64_t now = at(2026, 8, 1, 9, 0), before[TEST_ARRAY_LEN(tables)];
    struct complaint_new in;
    struct complaint *c;
    struct err e = { 0 };
    sqlite3 *db;

    seed(f);
    complaint_init(&in, now);
    create_in_tx(f, &in, now);
    db = open_raw(f);
    for (size_t i = 0; i < TEST_ARRAY_LEN(tables); i++)
        before[i] = count_rows(db, tables[i]);

    complaint_init(&in, now);
    in.complainant.phone = "13999999999";     /* would be a new complainant */
    in.category = "equipment";
    in.subcategory = "leak";
    assert_ok(store_tx_begin(st, &e), &e);
    assert_err(st->ops->complaint_create(st, &in, "KS", TZ, now, f->a, &c, &e), &e, ERR_INVALID,
               "subcategory");
    e = (struct err){ 0 };
    in.subcategory = NULL;
    in.received_by = "ghost";
    assert_err(st->ops->complaint_create(st, &in, "KS", TZ, now, f->a, &c, &e), &e, ERR_INVALID,
               "received_by");
    e = (struct err){ 0 };
    assert_ok(store_tx_commit(st, &e), &e);
    for (size_t i = 0; i < TEST_ARRAY_LEN(tables); i++)
        assert_int_equal(count_rows(db, tables[i]), before[i]);
    sqlite3_close(db);
}

/* The audit log is append-only in the database itself (migration 3's triggers). */
static void
test_sqlite_audit_append_only(void **state)
{
    static const char *const refused[] = {
        "UPDATE audit_log SET detail = '{\"x\":1}'",
        "UPDATE audit_log SET id = 9 WHERE id = 1",
        "DELETE FROM audit_log",
        "DELETE FROM audit_log WHERE id = 1",
    };
    struct fx *f = *state;
    struct audit_entry en = audit_sample("user.add", "alice", 0);
    struct err e = { 0 };
    sqlite3 *db;

    seed(f);
    assert_ok(store_tx_begin(f->st, &e), &e);
    assert_ok(f->st->ops->audit_append(f->st, &en, &e), &e);
    assert_ok(store_tx_commit(f->st, &e), &e);
    db = open_raw(f);
    for (size_t i = 0; i < TEST_ARRAY_LEN(refused); i++) {
        int rc = sqlite3_exec(db, refused[i], NULL, NULL, NULL);
        if (rc == SQLITE_OK)
            fail_msg("the database accepted: %s", refused[i]);
        assert_int_equal(rc & 0xFF, SQLITE_CONSTRAINT);
    }
    assert_int_equal(count_rows(db, "SELECT count(*) FROM audit_log WHERE id = 1"
                                    " AND detail = '{\"seq\":1}'"), 1);
    sqlite3_close(db);
}

/* Sessions and tokens are never deleted and a revocation is final (migration 4's triggers). */
static void
test_sqlite_credentials_kept(void **state)
{
    static const char *const refused[] = {
        "DELETE FROM sessions",
        "DELETE FROM sessions WHERE revoked_at IS NOT NULL",
        "DELETE FROM api_tokens",
        "UPDATE sessions SET revoked_at = NULL",
        "UPDATE sessions SET revoked_at = 1 WHERE revoked_at IS NOT NULL",
        "UPDATE api_tokens SET revoked_at = NULL",
    };
    static const char *const indexes[] = {
        "sessions_staff", "api_tokens_live_name", "audit_log_action", "audit_log_at",
    };
    struct fx *f = *state;
    struct token_new tok = { .name = "cti", .login = "alice", .scopes = 1 };
    int64_t sid, tid;
    struct err e = { 0 };
    sqlite3 *db;
    char sql[256];

    seed_accounts(f, 0);
    sid = session_ok(f, "alice", 0x01, 10, 1000);
    session_ok(f, "alice", 0x02, 10, 1000);
    tid = token_ok(f, &tok, 0x03);
    assert_ok(f->st->ops->credential_revoke(f->st, CREDENTIAL_SESSION, sid, 20, &e), &e);
    assert_ok(f->st->ops->credential_revoke(f->st, CREDENTIAL_TOKEN, tid, 20, &e), &e);
    db = open_raw(f);
    for (size_t i = 0; i < TEST_ARRAY_LEN(refused); i++) {
        int rc = sqlite3_exec(db, refused[i], NULL, NULL, NULL);
        if (rc == SQLITE_OK)
            fail_msg("the database accepted: %s", refused[i]);
        assert_int_equal(rc & 0xFF, SQLITE_CONSTRAINT);
    }
    assert_int_equal(count_rows(db, "SELECT count(*) FROM sessions WHERE revoked_at = 20"), 1);
    assert_int_equal(count_rows(db, "SELECT count(*) FROM sessions"), 2);
    assert_int_equal(count_rows(db, "SELECT count(*) FROM api_tokens WHERE revoked_at = 20"), 1);
    /* only the hash is kept, never the secret */
    assert_int_equal(count_rows(db, "SELECT count(*) FROM sessions"
                                    " WHERE length(token_hash) = 32"), 2);
    /* a live session can be revoked behind the store's back, and what may change can */
    assert_int_equal(sqlite3_exec(db, "UPDATE sessions SET revoked_at = 30"
                                      " WHERE revoked_at IS NULL;"
                                      "UPDATE api_tokens SET last_used_at = 40",
                                  NULL, NULL, NULL), SQLITE_OK);
    for (size_t i = 0; i < TEST_ARRAY_LEN(indexes); i++) {
        snprintf(sql, sizeof(sql), "SELECT count(*) FROM sqlite_schema WHERE type = 'index'"
                                   " AND name = '%s'", indexes[i]);
        assert_int_equal(count_rows(db, sql), 1);
    }
    sqlite3_close(db);
}

static void
test_sqlite_blob_stored_once(void **state)
{
    struct fx *f = *state;
    int64_t now = at(2026, 8, 1, 9, 0);
    struct complaint_new in;
    struct complaint *c;
    sqlite3 *db;

    seed(f);
    complaint_init(&in, now);
    c = create_in_tx(f, &in, now);
    for (int i = 0; i < 5; i++)
        attach(f, c->id, "same.bin", "identical bytes", 15, NULL);
    attach(f, c->id, "other.bin", "different bytes", 15, NULL);
    db = open_raw(f);
    assert_int_equal(count_rows(db, "SELECT count(*) FROM attachments"), 6);
    assert_int_equal(count_rows(db, "SELECT count(*) FROM blobs"), 2);
    sqlite3_close(db);
}

/* ---- the suite, once per backend ---- */

struct named_test {
    const char *name;
    CMUnitTestFunction fn;
    CMFixtureFunction setup;
};

#define T(fn, setup) { #fn, fn, setup }

static const struct named_test contract[] = {
    T(test_migrate_fresh_then_again, setup_fresh),
    T(test_migrate_presets, setup_fresh),
    T(test_migrate_from_v1, setup_v1),
    T(test_maintain, setup_fresh),
    T(test_reference_adds, setup_fresh),
    T(test_create_fields_and_number, setup_fresh),
    T(test_create_number_year_from_now_and_tz, setup_fresh),
    T(test_create_project_prefix, setup_fresh),
    T(test_create_gapless, setup_fresh),
    T(test_create_rollback_returns_number, setup_fresh),
    T(test_create_new_year_restarts, setup_fresh),
    T(test_create_unknown_reference, setup_fresh),
    T(test_complainant_reuse, setup_fresh),
    T(test_initial_status_per_channel, setup_fresh),
    T(test_complaint_get_not_found, setup_fresh),
    T(test_event_append_and_list, setup_fresh),
    T(test_attachments, setup_fresh),
    T(test_idem, setup_fresh),
    T(test_category_list, setup_fresh),
    T(test_project_list, setup_fresh),
    T(test_project_list_large, setup_fresh),
    T(test_create_needs_whole_minutes, setup_fresh),
    T(test_unit_list, setup_fresh),
    T(test_staff_add_get_list, setup_fresh),
    T(test_staff_status, setup_fresh),
    T(test_staff_password, setup_fresh),
    T(test_departments, setup_fresh),
    T(test_memberships, setup_fresh),
    T(test_role_count, setup_fresh),
    T(test_staff_arena_limit, setup_fresh),
    T(test_list_filters_alone, setup_dataset),
    T(test_list_filters_combined, setup_dataset),
    T(test_list_date_range, setup_dataset),
    T(test_list_sorts_and_pages, setup_dataset),
    T(test_list_keyset_walk_limit_7, setup_dataset),
    T(test_list_search_chinese, setup_dataset),
    T(test_audit_append_chain, setup_fresh),
    T(test_audit_rollback_continues_chain, setup_fresh),
    T(test_audit_scan_pages, setup_fresh),
    T(test_audit_query_filters, setup_audit_log),
    T(test_audit_query_page, setup_audit_log),
    T(test_audit_query_limit, setup_audit_log),
    T(test_session_create_find_touch, setup_fresh),
    T(test_session_revoke, setup_fresh),
    T(test_session_revoke_staff, setup_fresh),
    T(test_token_create_find, setup_fresh),
    T(test_token_refused, setup_fresh),
    T(test_token_reuse_name_and_list, setup_fresh),
    T(test_migrate_from_v3, setup_v3),
};

int
main(void)
{
    struct CMUnitTest tests[TEST_ARRAY_LEN(contract)];
    const struct CMUnitTest sqlite_only[] = {
        cmocka_unit_test_prestate_setup_teardown(test_sqlite_refuses_rewriting_history,
                                                 setup_fresh, teardown, &backends[0]),
        cmocka_unit_test_prestate_setup_teardown(test_sqlite_failed_create_leaves_no_rows,
                                                 setup_fresh, teardown, &backends[0]),
        cmocka_unit_test_prestate_setup_teardown(test_sqlite_blob_stored_once, setup_fresh,
                                                 teardown, &backends[0]),
        cmocka_unit_test_prestate_setup_teardown(test_sqlite_audit_append_only, setup_fresh,
                                                 teardown, &backends[0]),
        cmocka_unit_test_prestate_setup_teardown(test_sqlite_credentials_kept, setup_fresh,
                                                 teardown, &backends[0]),
    };
    int failed = 0;

    if (sodium_init() < 0)
        return 1;
    for (size_t b = 0; b < TEST_ARRAY_LEN(backends); b++) {
        for (size_t i = 0; i < TEST_ARRAY_LEN(contract); i++)
            tests[i] = (struct CMUnitTest){ contract[i].name, contract[i].fn, contract[i].setup,
                                            teardown, &backends[b] };
        failed += cmocka_run_group_tests_name(backends[b].name, tests, NULL, NULL);
    }
    failed += cmocka_run_group_tests_name("sqlite only", sqlite_only, NULL, NULL);
    return failed != 0;
}
