#include "testutil.h"
#include "testutil_store.h"

/*
 * Failure paths of the store, SQLite's way (STYLE §6): fail call 1, then 2,
 * then 3 ... of an operation until it completes without an injected failure,
 * and after every failure check that nothing is left behind and that the
 * number series goes on without a gap. Faults come from store_faulty (a whole
 * store call fails), from alloc_fail_at() (one of kesu's allocations fails)
 * and, with SQLite's allocator routed through alloc_malloc, from SQLite
 * running out of memory in the middle of a statement. The group-commit
 * writer is driven through the same faults.
 */

#include "core/complaint.h"
#include "store/fts.h"
#include "store/store.h"
#include "store/store_faulty.h"
#include "store/store_sqlite.h"
#include "store/writer.h"
#include "util/alloc.h"
#include "util/arena.h"
#include "util/ts.h"

#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* valgrind is ~30 times slower: there the SQLite loop samples every Nth allocation */
#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#endif
#endif
#ifndef RUNNING_ON_VALGRIND
#define RUNNING_ON_VALGRIND 0
#endif

#define TZ 480
#define ARENA_LIMIT (64u << 20)
#define LOOP_MAX 200000L    /* a loop that gets here has lost its way */

#define assert_ok(call, e)                                                                     \
    do {                                                                                       \
        if ((call) < 0)                                                                        \
            fail_msg("%s failed: %s (code %d, field %s)", #call, (e)->detail, (int)(e)->code, \
                     (e)->field ? (e)->field : "-");                                           \
    } while (0)

/* ---- a seeded template database, copied fresh for every iteration ---- */

struct fx {
    char dir[256];
    char template_path[512];
    char path[512];
};


#define NOW at(2026, 4, 1, 10, 0)


static void
copy_file(const char *from, const char *to)
{
    char buf[65536];
    int in = open(from, O_RDONLY), out;
    ssize_t n;

    assert_true(in >= 0);
    out = open(to, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    assert_true(out >= 0);
    while ((n = read(in, buf, sizeof(buf))) > 0)
        assert_int_equal(write(out, buf, (size_t)n), n);
    assert_int_equal(n, 0);
    close(in);
    close(out);
}

/* Throw the working database away and start again from the template. */
static void
reset_db(struct fx *f)
{
    char side[600];

    snprintf(side, sizeof(side), "%s-wal", f->path);
    unlink(side);
    snprintf(side, sizeof(side), "%s-shm", f->path);
    unlink(side);
    copy_file(f->template_path, f->path);
}

static int
setup(void **state)
{
    static const struct staff_new alice = { .login = "alice", .name = "王丽" };
    struct fx *f = calloc(1, sizeof(*f));
    struct store *st;
    struct err e = { 0 };
    int version;

    if (f == NULL)
        return -1;
    snprintf(f->dir, sizeof(f->dir), "/tmp/kesu-faults-XXXXXX");
    if (mkdtemp(f->dir) == NULL)
        return -1;
    snprintf(f->template_path, sizeof(f->template_path), "%s/template.db", f->dir);
    snprintf(f->path, sizeof(f->path), "%s/kesu.db", f->dir);
    st = store_sqlite_open(f->template_path, &e);
    if (st == NULL || store_migrate(st, "property", 0, &version, &e) < 0 ||
        st->ops->project_add(st, "P1", "翠湖花园", NULL, 0, &e) < 0 ||
        st->ops->building_add(st, "P1", "1栋", 0, &e) < 0 ||
        st->ops->unit_add(st, "P1", "1栋", "1单元101", &e) < 0 ||
        st->ops->staff_add(st, &alice, 0, &e) < 0) {
        fprintf(stderr, "setup: %s\n", e.detail);
        return -1;
    }
    store_close(st);   /* checkpoints: the template is one file */
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    struct fx *f = *state;

    remove_tree(f->dir);
    free(f);
    return 0;
}

/* ---- what is in the database, seen from a second connection ---- */

struct counts {
    int64_t complaints, events, complainants, numbers, attachments, fts;
};

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

static void
count_rows(struct fx *f, struct counts *c)
{
    sqlite3 *db = NULL;
    struct err e = { 0 };

    assert_int_equal(sqlite3_open_v2(f->path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_ok(fts_cjk_register(db, &e), &e);
    c->complaints = scalar(db, "SELECT count(*) FROM complaints");
    c->events = scalar(db, "SELECT count(*) FROM events");
    c->complainants = scalar(db, "SELECT count(*) FROM complainants");
    c->numbers = scalar(db, "SELECT coalesce(sum(last), 0) FROM number_series");
    c->attachments = scalar(db, "SELECT count(*) FROM attachments");
    c->fts = scalar(db, "SELECT count(*) FROM complaint_fts");
    /* the numbers handed out are exactly 1..n, one complaint each */
    assert_int_equal(scalar(db, "SELECT count(*) FROM complaints WHERE number <> printf("
                                "'KS-2026-%06d', id - (SELECT min(id) FROM complaints) + 1)"),
                     0);
    sqlite3_close(db);
}

static void
assert_empty(struct fx *f)
{
    struct counts c;

    count_rows(f, &c);
    assert_int_equal(c.complaints, 0);
    assert_int_equal(c.events, 0);
    assert_int_equal(c.complainants, 0);
    assert_int_equal(c.numbers, 0);
    assert_int_equal(c.attachments, 0);
}

static void
complaint_init(struct complaint_new *c, const char *content)
{
    core_complaint_new_init(c);
    c->channel = "phone";
    c->has_received_at = true;
    c->received_at = NOW - 600;
    c->received_by = "alice";
    c->project = "P1";
    c->building = "1栋";
    c->unit = "1单元101";
    c->subject = "楼上漏水";
    c->content = content;
    c->demands = "请尽快维修";
    c->category = "building";
    c->subcategory = "leak";
    c->complainant.name = "张三";
    c->complainant.phone = "13800138000";
}

/* A fresh create on a healthy store must get the first number: nothing was used up. */
static void
assert_next_number_is(struct store *st, int seq)
{
    struct arena *a = arena_new(ARENA_LIMIT);
    struct complaint_new in;
    struct complaint *c;
    struct err e = { 0 };
    char want[32];

    assert_non_null(a);
    assert_ok(st->ops->set_durable(st, false, &e), &e);
    complaint_init(&in, "之后的投诉");
    assert_ok(store_tx_begin(st, &e), &e);
    assert_ok(st->ops->complaint_create(st, &in, "KS", TZ, NOW, a, &c, &e), &e);
    assert_ok(store_tx_commit(st, &e), &e);
    snprintf(want, sizeof(want), "KS-2026-%06d", seq);
    assert_string_equal(c->number, want);
    arena_free(a);
}

/* ---- the operation under test: register a complaint and add a note ---- */

struct op_result {
    int rc;
    struct err err;
    struct complaint *c;
};

static void
register_with_note(struct store *st, struct arena *a, const char *content, struct op_result *r)
{
    struct complaint_new in;
    struct event_new note = { .type = "note", .visibility = "internal", .author = "alice",
                              .text = "已派维修工", .at = NOW + 60 };
    struct event *ev;

    memset(r, 0, sizeof(*r));
    r->rc = -1;
    complaint_init(&in, content);
    if (store_tx_begin(st, &r->err) < 0)
        return;
    if (st->ops->complaint_create(st, &in, "KS", TZ, NOW, a, &r->c, &r->err) < 0)
        goto rollback;
    note.complaint_id = r->c->id;
    if (st->ops->event_append(st, &note, a, &ev, &r->err) < 0 ||
        store_tx_commit(st, &r->err) < 0)
        goto rollback;
    r->rc = 0;
    return;
rollback:
    store_tx_rollback(st);
}

static void
assert_registered(struct fx *f, const struct op_result *r)
{
    struct counts c;

    assert_int_equal(r->rc, 0);
    assert_string_equal(r->c->number, "KS-2026-000001");
    count_rows(f, &c);
    assert_int_equal(c.complaints, 1);
    assert_int_equal(c.events, 2);
    assert_int_equal(c.complainants, 1);
    assert_int_equal(c.numbers, 1);
    assert_int_equal(c.fts, 1);
}

/* ---- store calls fail ---- */

static void
test_faulty_call_loop(void **state)
{
    struct fx *f = *state;
    long n;

    for (n = 1; n < LOOP_MAX; n++) {
        struct err e = { 0 };
        struct store *st;
        struct arena *a = arena_new(ARENA_LIMIT);
        struct op_result r;

        reset_db(f);
        st = store_faulty_wrap(store_sqlite_open(f->path, &e), &e);
        assert_non_null(st);
        store_faulty_fail_at(st, n);
        register_with_note(st, a, "楼上卫生间漏水，天花板发霉。", &r);
        if (store_faulty_injected(st) == 0) {
            /* ran to the end without reaching call n: the loop is done */
            assert_true(store_faulty_calls(st) < n);
            assert_registered(f, &r);
            store_close(st);
            arena_free(a);
            break;
        }
        assert_int_equal(store_faulty_injected(st), 1);
        assert_int_equal(r.rc, -1);
        assert_int_equal(r.err.code, ERR_STORE);
        assert_empty(f);
        store_faulty_fail_at(st, 0);
        assert_next_number_is(st, 1);
        store_close(st);
        arena_free(a);
    }
    /* begin, create, append, commit: each one failed once */
    assert_int_equal(n, 5);
}

/*
 * The writer's pattern by hand: three jobs, each in a savepoint, in one
 * transaction. A job whose call fails is rolled back to its savepoint alone;
 * a failing begin or commit loses them all.
 */
static void
test_faulty_savepoint_loop(void **state)
{
    struct fx *f = *state;
    long n;

    for (n = 1; n < LOOP_MAX; n++) {
        struct err e = { 0 };
        struct store *st;
        struct arena *a = arena_new(ARENA_LIMIT);
        bool job_ok[3] = { false, false, false };
        int committed = 0, rc = -1;
        struct counts c;

        reset_db(f);
        st = store_faulty_wrap(store_sqlite_open(f->path, &e), &e);
        assert_non_null(st);
        store_faulty_fail_at(st, n);
        if (store_tx_begin(st, &e) == 0) {
            for (int j = 0; j < 3; j++) {
                struct complaint_new in;
                struct complaint *cp;
                struct event_new note = { .type = "note", .visibility = "internal",
                                          .text = "x", .at = NOW };
                struct event *ev;
                struct err je = { 0 };

                complaint_init(&in, "水管爆裂");
                if (st->ops->savepoint(st, &je) < 0)
                    continue;
                if (st->ops->complaint_create(st, &in, "KS", TZ, NOW, a, &cp, &je) < 0) {
                    assert_int_equal(st->ops->savepoint_rollback(st, &e), 0);
                    continue;
                }
                note.complaint_id = cp->id;
                if (st->ops->event_append(st, &note, a, &ev, &je) < 0 ||
                    st->ops->savepoint_release(st, &je) < 0) {
                    assert_int_equal(st->ops->savepoint_rollback(st, &e), 0);
                    continue;
                }
                job_ok[j] = true;
            }
            rc = store_tx_commit(st, &e);
            if (rc < 0)
                store_tx_rollback(st);
        }
        for (int j = 0; j < 3; j++)
            committed += rc == 0 && job_ok[j];
        count_rows(f, &c);     /* also checks the numbers are 1..complaints */
        assert_int_equal(c.complaints, committed);
        assert_int_equal(c.events, 2 * committed);
        assert_int_equal(c.numbers, committed);
        assert_int_equal(c.complainants, committed > 0);
        if (store_faulty_injected(st) == 0) {
            assert_int_equal(committed, 3);
            store_close(st);
            arena_free(a);
            break;
        }
        /* exactly one thing failed: one job, or the whole transaction */
        assert_true(committed == 2 || committed == 0);
        store_faulty_fail_at(st, 0);
        assert_next_number_is(st, committed + 1);
        store_close(st);
        arena_free(a);
    }
    /* begin + 3 x (savepoint, create, append, release) + commit */
    assert_int_equal(n, 15);
}

static void
test_faulty_sticky_and_op(void **state)
{
    struct fx *f = *state;
    struct err e = { 0 };
    struct store *st;
    struct arena *a = arena_new(ARENA_LIMIT);
    struct op_result r;
    int version;

    reset_db(f);
    st = store_faulty_wrap(store_sqlite_open(f->path, &e), &e);
    assert_non_null(st);
    assert_string_equal(st->ops->name, "faulty");
    assert_string_equal(store_faulty_inner(st)->ops->name, "sqlite");

    /* sticky: from the 2nd call on, everything fails */
    store_faulty_fail_sticky(st, 2);
    assert_ok(st->ops->health(st, &version, &e), &e);
    for (int i = 0; i < 3; i++) {
        e = (struct err){ 0 };
        assert_int_equal(st->ops->health(st, &version, &e), -1);
        assert_int_equal(e.code, ERR_STORE);
    }
    assert_int_equal(store_faulty_calls(st), 4);
    assert_int_equal(store_faulty_injected(st), 3);

    /* by op: only the 2nd commit fails; other calls pass and are still counted */
    store_faulty_fail_op(st, "tx_commit", 2, false);
    register_with_note(st, a, "第一次", &r);
    assert_int_equal(r.rc, 0);
    register_with_note(st, a, "第二次", &r);
    assert_int_equal(r.rc, -1);
    assert_int_equal(r.err.code, ERR_STORE);
    register_with_note(st, a, "第三次", &r);
    assert_int_equal(r.rc, 0);
    assert_string_equal(r.c->number, "KS-2026-000002");
    assert_int_equal(store_faulty_injected(st), 1);
    assert_int_equal(store_faulty_calls(st), 12);

    /* disarmed: nothing fails, calls are still counted */
    store_faulty_fail_at(st, 0);
    assert_ok(st->ops->health(st, &version, &e), &e);
    assert_int_equal(store_faulty_calls(st), 1);
    assert_int_equal(store_faulty_injected(st), 0);
    store_close(st);
    arena_free(a);

    /* wrapping NULL (an open that failed) is NULL with the open's error kept */
    e = (struct err){ 0 };
    e.code = ERR_STORE;
    assert_null(store_faulty_wrap(NULL, &e));
    assert_int_equal(e.code, ERR_STORE);
}

/* ---- allocations fail ---- */

/*
 * Open, register with a large text (the arena must grow), attach a file and
 * read it back (a heap copy), list (an sbuf for the SQL). Any failure: an
 * error, never a crash, and nothing behind.
 */
static void
big_operation(struct fx *f, struct op_result *r, bool *opened)
{
    static char content[24000];     /* more than an arena block (16 KiB) */
    struct store *st;
    struct arena *a;
    struct attachment_new att = { .name = "照片.jpg", .content_type = "image/jpeg",
                                  .data = "JPEG....", .size = 8, .at = NOW };
    struct attachment *meta;
    struct complaint_page page;
    struct complaint_query q = { .limit = 10, .match = "\"漏水\"" };
    void *data = NULL;

    if (content[0] == '\0') {
        for (size_t i = 0; i + 4 < sizeof(content); i += 3)
            memcpy(content + i, i % 2 ? "水" : "漏", 3);
    }
    memset(r, 0, sizeof(*r));
    r->rc = -1;
    *opened = false;
    st = store_sqlite_open(f->path, &r->err);
    if (st == NULL)
        return;
    *opened = true;
    /* fsync is not what this loop is about, and it makes thousands of iterations slow */
    if (st->ops->set_durable(st, false, &r->err) < 0) {
        store_close(st);
        return;
    }
    a = arena_new(ARENA_LIMIT);
    if (a == NULL) {
        err_set(&r->err, ERR_NOMEM, NULL, "nomem", "arena");
        store_close(st);
        return;
    }
    register_with_note(st, a, content, r);
    if (r->rc < 0)
        goto out;
    r->rc = -1;
    att.complaint_id = r->c->id;
    if (store_tx_begin(st, &r->err) < 0)
        goto out;
    if (st->ops->attachment_add(st, &att, a, &meta, &r->err) < 0 ||
        store_tx_commit(st, &r->err) < 0) {
        store_tx_rollback(st);
        goto out;
    }
    if (st->ops->attachment_get(st, r->c->id, meta->id, a, &meta, &data, &r->err) < 0 ||
        st->ops->complaint_list(st, &q, a, &page, &r->err) < 0)
        goto out;
    assert_memory_equal(data, "JPEG....", 8);
    assert_int_equal(page.n, 1);
    assert_int_equal(strlen(page.items[0].content), strlen(content));
    r->rc = 0;
out:
    alloc_free(data);
    r->c = NULL;     /* arena memory */
    arena_free(a);
    store_close(st);
}

/*
 * After a failed big_operation: either nothing was registered, or the
 * registration committed whole and a later step failed.
 */
static void
check_after_alloc_failure(struct fx *f, const struct op_result *r)
{
    struct counts c;

    assert_int_equal(r->rc, -1);
    assert_int_not_equal(r->err.code, ERR_OK);
    count_rows(f, &c);
    if (c.complaints == 0) {
        assert_empty(f);
    } else {
        assert_int_equal(c.complaints, 1);
        assert_int_equal(c.events, 2);
        assert_int_equal(c.numbers, 1);
        assert_true(c.attachments <= 1);
    }
}

/* 1, or KESU_FAULT_STRIDE, or 17 under valgrind: how far apart the failed allocations are */
static long
fault_stride(void)
{
    const char *s = getenv("KESU_FAULT_STRIDE");
    long v = s ? strtol(s, NULL, 10) : 0;

    if (v > 0)
        return v;
    return RUNNING_ON_VALGRIND ? 17 : 1;
}

static void
run_alloc_loop(struct fx *f, bool sqlite_too, long *iterations)
{
    long n, stride = sqlite_too ? fault_stride() : 1;

    for (n = 1; n < LOOP_MAX; n += stride) {
        struct op_result r;
        unsigned long allocs;
        bool opened;

        reset_db(f);
        alloc_fail_at((unsigned long)n, 0);
        big_operation(f, &r, &opened);
        allocs = alloc_fail_at(0, 0);
        if (allocs < (unsigned long)n) {
            /* no allocation failed: it must have worked */
            if (r.rc < 0)
                fail_msg("no fault, yet: %s", r.err.detail);
            break;
        }
        if (r.rc == 0) {
            /* only SQLite may shrug off a failed allocation (a cache, lookaside) */
            if (!sqlite_too)
                fail_msg("allocation %ld failed, yet the operation succeeded", n);
            continue;
        }
        if (!sqlite_too && r.err.code != ERR_NOMEM)
            fail_msg("allocation %ld: code %d, not ERR_NOMEM: %s", n, (int)r.err.code,
                     r.err.detail);
        if (sqlite_too && r.err.code != ERR_NOMEM && r.err.code != ERR_STORE)
            fail_msg("allocation %ld: code %d: %s", n, (int)r.err.code, r.err.detail);
        check_after_alloc_failure(f, &r);
        if (opened) {
            /* the series goes on where the database says it is */
            struct counts c;
            struct err e = { 0 };
            struct store *st = store_sqlite_open(f->path, &e);
            assert_non_null(st);
            count_rows(f, &c);
            assert_next_number_is(st, (int)c.complaints + 1);
            store_close(st);
        }
    }
    assert_true(n < LOOP_MAX);
    print_message("allocation loop%s: failed allocations 1..%ld, every %ld\n",
                  sqlite_too ? " (SQLite too)" : "", n, stride);
    *iterations = n;
}

static void
test_alloc_loop(void **state)
{
    long n;

    run_alloc_loop(*state, false, &n);
    /* the store, the arena and its blocks, the attachment copy, the list's sbuf */
    assert_true(n > 5);
}

/*
 * SQLite's own allocations through alloc_malloc: a header in front of each
 * block keeps its size for xSize. Installed once, before SQLite initialises.
 */
#define SQ_HDR 16

/* Only while a test asks for it do SQLite's allocations count (and fail). */
static atomic_bool sqlite_faults;

static void *
sq_malloc(int n)
{
    unsigned char *p = atomic_load(&sqlite_faults) ? alloc_malloc((size_t)n + SQ_HDR)
                                                   : malloc((size_t)n + SQ_HDR);

    if (p == NULL)
        return NULL;
    memcpy(p, &n, sizeof(n));
    return p + SQ_HDR;
}

static void
sq_free(void *p)
{
    if (p != NULL)
        alloc_free((unsigned char *)p - SQ_HDR);
}

static void *
sq_realloc(void *p, int n)
{
    unsigned char *q = atomic_load(&sqlite_faults)
                           ? alloc_realloc((unsigned char *)p - SQ_HDR, (size_t)n + SQ_HDR)
                           : realloc((unsigned char *)p - SQ_HDR, (size_t)n + SQ_HDR);

    if (q == NULL)
        return NULL;
    memcpy(q, &n, sizeof(n));
    return q + SQ_HDR;
}

static int
sq_size(void *p)
{
    int n = 0;

    if (p != NULL)
        memcpy(&n, (unsigned char *)p - SQ_HDR, sizeof(n));
    return n;
}

static int
sq_roundup(int n)
{
    return (n + 7) & ~7;
}

static int
sq_init(void *arg)
{
    (void)arg;
    return SQLITE_OK;
}

static void
sq_shutdown(void *arg)
{
    (void)arg;
}

static const sqlite3_mem_methods sq_mem = {
    sq_malloc, sq_free, sq_realloc, sq_size, sq_roundup, sq_init, sq_shutdown, NULL,
};

static bool sqlite_routed;

static void
test_alloc_loop_sqlite_oom(void **state)
{
    long n;

    if (!sqlite_routed)
        skip();
    atomic_store(&sqlite_faults, true);
    run_alloc_loop(*state, true, &n);
    atomic_store(&sqlite_faults, false);
    assert_true(n > 50);
}

/* ---- the writer ---- */

/* A job that holds the writer until the test opens it, so the jobs behind it form one group. */
struct gate {
    struct store_job job;     /* first: the writer hands this back */
    pthread_mutex_t lock;
    pthread_cond_t cond;
    bool started, open, finished;
    void (*arm)(struct store *st);   /* run on the writer thread before waiting, or NULL */
};

static int
gate_run(struct store *st, struct store_job *job, struct err *e)
{
    struct gate *g = (struct gate *)job;

    (void)e;
    if (g->arm)
        g->arm(st);
    pthread_mutex_lock(&g->lock);
    g->started = true;
    pthread_cond_broadcast(&g->cond);
    while (!g->open)
        pthread_cond_wait(&g->cond, &g->lock);
    pthread_mutex_unlock(&g->lock);
    return 0;
}

static void
gate_done(struct store_job *job, int rc, const struct err *e)
{
    struct gate *g = (struct gate *)job;

    /* on the writer thread: no cmocka asserts here. The gate may fail when a fault is armed. */
    (void)rc;
    (void)e;
    pthread_mutex_lock(&g->lock);
    g->finished = true;
    pthread_cond_broadcast(&g->cond);
    pthread_mutex_unlock(&g->lock);
}

static void
gate_submit(struct store_writer *w, struct gate *g, void (*arm)(struct store *st))
{
    memset(g, 0, sizeof(*g));
    pthread_mutex_init(&g->lock, NULL);
    pthread_cond_init(&g->cond, NULL);
    g->arm = arm;
    g->job.run = gate_run;
    g->job.done = gate_done;
    store_writer_submit(w, &g->job);
    pthread_mutex_lock(&g->lock);
    while (!g->started)
        pthread_cond_wait(&g->cond, &g->lock);
    pthread_mutex_unlock(&g->lock);
}

static void
gate_open_and_release(struct gate *g)
{
    pthread_mutex_lock(&g->lock);
    g->open = true;
    pthread_cond_broadcast(&g->cond);
    while (!g->finished)
        pthread_cond_wait(&g->cond, &g->lock);
    pthread_mutex_unlock(&g->lock);
    pthread_mutex_destroy(&g->lock);
    pthread_cond_destroy(&g->cond);
}

enum job_kind { JOB_OK, JOB_FAILS_AFTER_CREATE, JOB_APPEND_FAULT };

struct batch;

struct cjob {
    struct store_job job;       /* first */
    enum job_kind kind;
    struct batch *batch;
    struct arena *a;
    char number[32];            /* written by run, valid when rc is 0 */
    int rc, done_calls;
    struct err err;
};

struct batch {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    int finished;
};

static int
cjob_run(struct store *st, struct store_job *job, struct err *e)
{
    struct cjob *j = (struct cjob *)job;
    struct complaint_new in;
    struct complaint *c;
    struct event_new note = { .type = "note", .visibility = "internal", .text = "跟进",
                              .at = NOW };
    struct event *ev;

    complaint_init(&in, "批量登记");
    if (st->ops->complaint_create(st, &in, "KS", TZ, NOW, j->a, &c, e) < 0)
        return -1;
    snprintf(j->number, sizeof(j->number), "%s", c->number);
    if (j->kind == JOB_FAILS_AFTER_CREATE)
        return err_set(e, ERR_CONFLICT, NULL, "test", "this job changes its mind");
    if (j->kind == JOB_APPEND_FAULT)
        store_faulty_fail_op(st, "event_append", 1, false);
    note.complaint_id = c->id;
    return st->ops->event_append(st, &note, j->a, &ev, e);
}

static void
cjob_done(struct store_job *job, int rc, const struct err *e)
{
    struct cjob *j = (struct cjob *)job;

    j->rc = rc;
    j->err = *e;
    j->done_calls++;
    pthread_mutex_lock(&j->batch->lock);
    j->batch->finished++;
    pthread_cond_broadcast(&j->batch->cond);
    pthread_mutex_unlock(&j->batch->lock);
}

static void
batch_run(struct store_writer *w, struct cjob *jobs, const enum job_kind *kinds, int n,
          void (*arm)(struct store *st))
{
    struct batch b = { .finished = 0 };
    struct gate g;

    pthread_mutex_init(&b.lock, NULL);
    pthread_cond_init(&b.cond, NULL);
    gate_submit(w, &g, arm);
    for (int i = 0; i < n; i++) {
        memset(&jobs[i], 0, sizeof(jobs[i]));
        jobs[i].kind = kinds[i];
        jobs[i].batch = &b;
        jobs[i].a = arena_new(ARENA_LIMIT);
        jobs[i].rc = 99;
        jobs[i].job.run = cjob_run;
        jobs[i].job.done = cjob_done;
        store_writer_submit(w, &jobs[i].job);
    }
    gate_open_and_release(&g);
    pthread_mutex_lock(&b.lock);
    while (b.finished < n)
        pthread_cond_wait(&b.cond, &b.lock);
    pthread_mutex_unlock(&b.lock);
    pthread_mutex_destroy(&b.lock);
    pthread_cond_destroy(&b.cond);
    for (int i = 0; i < n; i++) {
        assert_int_equal(jobs[i].done_calls, 1);
        arena_free(jobs[i].a);
    }
}

static struct store_writer *
writer_on_faulty(struct fx *f, struct store **faulty)
{
    struct err e = { 0 };
    struct store_writer *w;

    reset_db(f);
    *faulty = store_faulty_wrap(store_sqlite_open(f->path, &e), &e);
    assert_non_null(*faulty);
    w = store_writer_start(*faulty, 64, &e);
    assert_non_null(w);
    return w;
}

static void
test_writer_failed_job_rolls_back_alone(void **state)
{
    static const enum job_kind kinds[] = { JOB_OK, JOB_FAILS_AFTER_CREATE, JOB_APPEND_FAULT,
                                           JOB_OK, JOB_FAILS_AFTER_CREATE, JOB_OK };
    struct fx *f = *state;
    struct cjob jobs[TEST_ARRAY_LEN(kinds)];
    struct store_writer_stats stats;
    struct store *st;
    struct store_writer *w = writer_on_faulty(f, &st);
    struct counts c;

    batch_run(w, jobs, kinds, (int)TEST_ARRAY_LEN(kinds), NULL);
    store_writer_stats(w, &stats);
    assert_int_equal(stats.max_batch, TEST_ARRAY_LEN(kinds));
    assert_int_equal(stats.commits, 2);

    /* the good jobs committed with consecutive numbers; the failed ones gave theirs back */
    assert_int_equal(jobs[0].rc, 0);
    assert_string_equal(jobs[0].number, "KS-2026-000001");
    assert_int_equal(jobs[1].rc, -1);
    assert_int_equal(jobs[1].err.code, ERR_CONFLICT);
    assert_string_equal(jobs[1].number, "KS-2026-000002");
    assert_int_equal(jobs[2].rc, -1);
    assert_int_equal(jobs[2].err.code, ERR_STORE);
    assert_string_equal(jobs[2].number, "KS-2026-000002");
    assert_int_equal(jobs[3].rc, 0);
    assert_string_equal(jobs[3].number, "KS-2026-000002");
    assert_int_equal(jobs[4].rc, -1);
    assert_string_equal(jobs[4].number, "KS-2026-000003");
    assert_int_equal(jobs[5].rc, 0);
    assert_string_equal(jobs[5].number, "KS-2026-000003");
    store_writer_stop(w);

    count_rows(f, &c);
    assert_int_equal(c.complaints, 3);
    assert_int_equal(c.events, 6);
    assert_int_equal(c.numbers, 3);
}

static void
arm_second_commit(struct store *st)
{
    /* the gate's own batch commits first; the batch behind it is the 2nd commit */
    store_faulty_fail_op(st, "tx_commit", 2, false);
}

static void
test_writer_failed_commit_fails_batch(void **state)
{
    static const enum job_kind kinds[] = { JOB_OK, JOB_OK, JOB_OK, JOB_OK };
    struct fx *f = *state;
    struct cjob jobs[TEST_ARRAY_LEN(kinds)];
    struct store *st;
    struct store_writer *w = writer_on_faulty(f, &st);
    struct store_writer_stats stats;
    struct counts c;

    batch_run(w, jobs, kinds, (int)TEST_ARRAY_LEN(kinds), arm_second_commit);
    for (size_t i = 0; i < TEST_ARRAY_LEN(kinds); i++) {
        assert_int_equal(jobs[i].rc, -1);
        assert_int_equal(jobs[i].err.code, ERR_STORE);
    }
    assert_int_equal(store_faulty_injected(st), 1);
    count_rows(f, &c);
    assert_int_equal(c.complaints, 0);
    assert_int_equal(c.numbers, 0);

    /* later batches work again, and the numbers start where nothing was used */
    batch_run(w, jobs, kinds, (int)TEST_ARRAY_LEN(kinds), NULL);
    for (size_t i = 0; i < TEST_ARRAY_LEN(kinds); i++) {
        char want[32];
        snprintf(want, sizeof(want), "KS-2026-%06zu", i + 1);
        assert_int_equal(jobs[i].rc, 0);
        assert_string_equal(jobs[i].number, want);
    }
    store_writer_stats(w, &stats);
    assert_int_equal(stats.commits, 3);     /* gate, (failed), gate, batch */
    store_writer_stop(w);
    count_rows(f, &c);
    assert_int_equal(c.complaints, 4);
    assert_int_equal(c.events, 8);
}

static void
arm_undo(struct store *st)
{
    store_faulty_fail_op(st, "savepoint_rollback", 1, false);
}

/*
 * A failed job that cannot be undone must not be committed half-done: the
 * whole group is rolled back. The job keeps its own error, the others get
 * the undo's, and the numbers they took are given back.
 */
static void
test_writer_failed_undo_sinks_group(void **state)
{
    static const enum job_kind kinds[] = { JOB_OK, JOB_FAILS_AFTER_CREATE, JOB_OK };
    struct fx *f = *state;
    struct cjob jobs[TEST_ARRAY_LEN(kinds)];
    struct store *st;
    struct store_writer *w = writer_on_faulty(f, &st);
    struct counts c;

    batch_run(w, jobs, kinds, (int)TEST_ARRAY_LEN(kinds), arm_undo);
    assert_int_equal(store_faulty_injected(st), 1);
    assert_int_equal(jobs[0].rc, -1);
    assert_int_equal(jobs[0].err.code, ERR_STORE);
    assert_int_equal(jobs[1].rc, -1);
    assert_int_equal(jobs[1].err.code, ERR_CONFLICT);
    assert_int_equal(jobs[2].rc, -1);
    assert_int_equal(jobs[2].err.code, ERR_STORE);
    assert_string_equal(jobs[2].number, "");    /* never ran */
    count_rows(f, &c);
    assert_int_equal(c.complaints, 0);
    assert_int_equal(c.events, 0);
    assert_int_equal(c.numbers, 0);

    /* and the next group starts at number 1 */
    batch_run(w, jobs, kinds, (int)TEST_ARRAY_LEN(kinds), NULL);
    assert_int_equal(jobs[0].rc, 0);
    assert_string_equal(jobs[0].number, "KS-2026-000001");
    assert_int_equal(jobs[2].rc, 0);
    assert_string_equal(jobs[2].number, "KS-2026-000002");
    store_writer_stop(w);
}

static _Atomic long writer_fault_n;

static void
arm_nth(struct store *st)
{
    store_faulty_fail_at(st, atomic_load(&writer_fault_n));
}

/* Every store call of a batch of three jobs fails in turn. */
static void
test_writer_fault_loop(void **state)
{
    static const enum job_kind kinds[] = { JOB_OK, JOB_OK, JOB_OK };
    struct fx *f = *state;
    long n;

    for (n = 1; n < LOOP_MAX; n++) {
        struct cjob jobs[TEST_ARRAY_LEN(kinds)];
        struct store *st;
        struct store_writer *w = writer_on_faulty(f, &st);
        int ok = 0;
        long injected;
        struct counts c;

        atomic_store(&writer_fault_n, n);
        /* counting starts inside the gate's batch: its savepoint_release and commit are 1, 2 */
        batch_run(w, jobs, kinds, (int)TEST_ARRAY_LEN(kinds), arm_nth);
        injected = store_faulty_injected(st);
        for (size_t i = 0; i < TEST_ARRAY_LEN(kinds); i++) {
            if (jobs[i].rc == 0) {
                char want[32];
                snprintf(want, sizeof(want), "KS-2026-%06d", ++ok);
                assert_string_equal(jobs[i].number, want);
            } else {
                assert_int_equal(jobs[i].err.code, ERR_STORE);
            }
        }
        /* a gate failure (n = 1, 2) fails no job; otherwise one job, or all three */
        if (n <= 2)
            assert_int_equal(ok, 3);
        else if (injected > 0)
            assert_true(ok == 2 || ok == 0);
        store_faulty_fail_at(st, 0);
        batch_run(w, jobs, kinds, 1, NULL);
        assert_int_equal(jobs[0].rc, 0);
        store_writer_stop(w);
        count_rows(f, &c);
        assert_int_equal(c.complaints, ok + 1);
        assert_int_equal(c.events, 2 * (ok + 1));
        if (injected == 0) {
            assert_int_equal(ok, 3);
            break;
        }
    }
    /* gate (release, commit) + begin + 3 x (savepoint, create, append, release) + commit */
    assert_int_equal(n, 17);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_faulty_call_loop, setup, teardown),
        cmocka_unit_test_setup_teardown(test_faulty_savepoint_loop, setup, teardown),
        cmocka_unit_test_setup_teardown(test_faulty_sticky_and_op, setup, teardown),
        cmocka_unit_test_setup_teardown(test_alloc_loop, setup, teardown),
        cmocka_unit_test_setup_teardown(test_alloc_loop_sqlite_oom, setup, teardown),
        cmocka_unit_test_setup_teardown(test_writer_failed_job_rolls_back_alone, setup, teardown),
        cmocka_unit_test_setup_teardown(test_writer_failed_commit_fails_batch, setup, teardown),
        cmocka_unit_test_setup_teardown(test_writer_failed_undo_sinks_group, setup, teardown),
        cmocka_unit_test_setup_teardown(test_writer_fault_loop, setup, teardown),
    };

    /* before anything initialises SQLite */
    sqlite_routed = sqlite3_config(SQLITE_CONFIG_MALLOC, &sq_mem) == SQLITE_OK;
    return cmocka_run_group_tests(tests, NULL, NULL);
}
