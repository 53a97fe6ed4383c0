#include "testutil.h"
#include "testutil_store.h"

/*
 * The store ops of migration 7: the inbox (isolation between people,
 * paging, unread), webhooks, the outbox of deliveries (dedup, due, claims,
 * tries, the dead-letter list and replays) and the message templates.
 * Every contract test runs on every backend of `backends[]`; the triggers
 * and query plans of the SQLite schema come last.
 */

#include "store/store.h"
#include "store/store_faulty.h"
#include "store/store_sqlite.h"
#include "util/arena.h"

#include <sqlite3.h>
#include <stdlib.h>

#define ARENA_LIMIT (16u << 20)

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
    if (e->code != code)
        fail_msg("line %d: %s: expected code %d, got %d (%s)", line, call, (int)code,
                 (int)e->code, e->detail);
    if (field != NULL && (e->field == NULL || strcmp(e->field, field) != 0))
        fail_msg("line %d: %s: expected field '%s', got '%s'", line, call, field,
                 e->field ? e->field : "(null)");
    if (reason != NULL && (e->reason == NULL || strcmp(e->reason, reason) != 0))
        fail_msg("line %d: %s: expected reason '%s', got '%s'", line, call, reason,
                 e->reason ? e->reason : "(null)");
    *e = (struct err){ 0 };
}
#define assert_err(call, e, code, field, reason)                                               \
    assert_err_((call), (e), (code), (field), (reason), #call, __LINE__)

static int
setup(void **state)
{
    static const struct staff_new staff[] = {
        { .login = "alice", .name = "王丽" },
        { .login = "bob", .name = "李强" },
    };
    const struct backend *b = *state;
    struct fx *f = calloc(1, sizeof(*f));
    struct err e = { 0 };
    int version;

    if (f == NULL)
        return -1;
    snprintf(f->dir, sizeof(f->dir), "/tmp/kesu-store-notify-XXXXXX");
    if (mkdtemp(f->dir) == NULL)
        return -1;
    f->st = b->open(f->dir, &e);
    f->a = arena_new(ARENA_LIMIT);
    if (f->st == NULL || f->a == NULL ||
        store_migrate(f->st, "property", at(2026, 1, 1, 0, 0), &version, &e) < 0) {
        fprintf(stderr, "setup %s: %s\n", b->name, e.detail);
        return -1;
    }
    for (size_t i = 0; i < TEST_ARRAY_LEN(staff); i++)
        if (f->st->ops->staff_add(f->st, &staff[i], 0, &e) < 0)
            return -1;
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

/* ---- the inbox ---- */

static int64_t
notify(struct fx *f, const char *login, const char *title, const char *dedup, int64_t at_)
{
    struct notification_new in = { login, 0, "reminder", title, "Reminder", NULL, NULL, dedup,
                                   at_ };
    struct err e = { 0 };
    int64_t id = -1;

    assert_ok(f->st->ops->notification_add(f->st, &in, &id, &e), &e);
    return id;
}

static void
test_inbox_add_dedup_unread(void **state)
{
    struct fx *f = *state;
    struct notification_new bad = { "nobody", 0, "x", "t", "t", NULL, NULL, NULL, 1 };
    struct err e = { 0 };
    int64_t n = -1;

    assert_true(notify(f, "alice", "提醒一", "k1", 10) > 0);
    assert_int_equal(notify(f, "alice", "提醒一", "k1", 11), 0);   /* same key: nothing */
    assert_true(notify(f, "bob", "提醒一", "k1", 12) > 0);         /* another person */
    assert_true(notify(f, "alice", "提醒二", NULL, 13) > 0);
    assert_true(notify(f, "alice", "提醒二", NULL, 14) > 0);       /* no key: no dedup */
    assert_ok(f->st->ops->notification_unread(f->st, "alice", &n, &e), &e);
    assert_int_equal(n, 3);
    assert_ok(f->st->ops->notification_unread(f->st, "nobody", &n, &e), &e);
    assert_int_equal(n, 0);
    assert_err(f->st->ops->notification_add(f->st, &bad, &n, &e), &e, ERR_INVALID, "login",
               "unknown");
    bad.login = "alice";
    bad.title_zh = "";
    assert_err(f->st->ops->notification_add(f->st, &bad, &n, &e), &e, ERR_INVALID, NULL,
               "required");
}

static void
test_inbox_pages_newest_first(void **state)
{
    struct fx *f = *state;
    struct notification_query q = { .login = "alice", .limit = 2 };
    struct notification *items;
    int64_t ids[5];
    size_t n;
    bool more;
    struct err e = { 0 };

    for (int i = 0; i < 5; i++)
        ids[i] = notify(f, "alice", "提醒", NULL, 100 + i);
    notify(f, "bob", "别人的", NULL, 200);
    assert_ok(f->st->ops->notification_list(f->st, &q, f->a, &items, &n, &more, &e), &e);
    assert_int_equal(n, 2);
    assert_true(more);
    assert_int_equal(items[0].id, ids[4]);
    assert_int_equal(items[1].id, ids[3]);
    assert_string_equal(items[0].kind, "reminder");
    assert_int_equal(items[0].read_at, 0);
    q.before_id = items[1].id;
    assert_ok(f->st->ops->notification_list(f->st, &q, f->a, &items, &n, &more, &e), &e);
    assert_int_equal(n, 2);
    assert_int_equal(items[0].id, ids[2]);
    q.before_id = items[1].id;
    assert_ok(f->st->ops->notification_list(f->st, &q, f->a, &items, &n, &more, &e), &e);
    assert_int_equal(n, 1);
    assert_false(more);
    assert_int_equal(items[0].id, ids[0]);
    q.limit = 0;
    assert_err(f->st->ops->notification_list(f->st, &q, f->a, &items, &n, &more, &e), &e,
               ERR_INVALID, "limit", NULL);
}

static void
test_inbox_read_is_personal(void **state)
{
    struct fx *f = *state;
    struct notification_query unread = { .login = "alice", .unread_only = true, .limit = 50 };
    struct notification *got, *items;
    int64_t mine = notify(f, "alice", "我的", NULL, 10);
    int64_t theirs = notify(f, "bob", "别人的", NULL, 11);
    int64_t n;
    size_t count;
    bool more;
    struct err e = { 0 };

    notify(f, "alice", "第二条", NULL, 12);
    /* another's is not found, and stays unread */
    assert_err(f->st->ops->notification_read(f->st, "alice", theirs, 50, f->a, &got, &e), &e,
               ERR_NOT_FOUND, "id", "unknown");
    assert_err(f->st->ops->notification_read(f->st, "alice", 999, 50, f->a, &got, &e), &e,
               ERR_NOT_FOUND, "id", "unknown");
    assert_ok(f->st->ops->notification_unread(f->st, "bob", &n, &e), &e);
    assert_int_equal(n, 1);
    assert_ok(f->st->ops->notification_read(f->st, "alice", mine, 50, f->a, &got, &e), &e);
    assert_int_equal(got->id, mine);
    assert_int_equal(got->read_at, 50);
    /* again: no change, the first reading stands */
    assert_ok(f->st->ops->notification_read(f->st, "alice", mine, 60, f->a, &got, &e), &e);
    assert_int_equal(got->read_at, 50);
    assert_ok(f->st->ops->notification_list(f->st, &unread, f->a, &items, &count, &more, &e), &e);
    assert_int_equal(count, 1);
    assert_string_equal(items[0].title_zh, "第二条");
    assert_ok(f->st->ops->notification_read_all(f->st, "alice", 70, &n, &e), &e);
    assert_int_equal(n, 1);
    assert_ok(f->st->ops->notification_read_all(f->st, "alice", 80, &n, &e), &e);
    assert_int_equal(n, 0);
    assert_ok(f->st->ops->notification_unread(f->st, "bob", &n, &e), &e);
    assert_int_equal(n, 1);
}

/* ---- webhooks ---- */

static void
test_webhooks(void **state)
{
    struct fx *f = *state;
    struct webhook_new w = { "短信网关", "https://sms.example.com/hook", "whsec_a", "*", 5 };
    struct webhook_change ch = { .url = "https://sms.example.com/v2", .events = "customer.*",
                                 .has_active = true, .active = false };
    struct webhook *got, *list;
    int64_t id = 0, other;
    size_t n;
    struct err e = { 0 };

    assert_ok(f->st->ops->webhook_add(f->st, &w, &id, &e), &e);
    assert_err(f->st->ops->webhook_add(f->st, &w, &other, &e), &e, ERR_CONFLICT, "name",
               "exists");
    w.name = "";
    assert_err(f->st->ops->webhook_add(f->st, &w, &other, &e), &e, ERR_INVALID, "name",
               "required");
    assert_ok(f->st->ops->webhook_get(f->st, id, f->a, &got, &e), &e);
    assert_string_equal(got->secret, "whsec_a");
    assert_true(got->active);
    assert_ok(f->st->ops->webhook_update(f->st, id, &ch, 9, &e), &e);
    assert_ok(f->st->ops->webhook_list(f->st, f->a, &list, &n, &e), &e);
    assert_int_equal(n, 1);
    assert_string_equal(list[0].url, "https://sms.example.com/v2");
    assert_string_equal(list[0].events, "customer.*");
    assert_string_equal(list[0].secret, "whsec_a");   /* unchanged: not given */
    assert_false(list[0].active);
    assert_int_equal(list[0].created_at, 5);
    assert_int_equal(list[0].updated_at, 9);
    assert_err(f->st->ops->webhook_update(f->st, id + 1, &ch, 9, &e), &e, ERR_NOT_FOUND, "id",
               NULL);
    assert_err(f->st->ops->webhook_get(f->st, id + 1, f->a, &got, &e), &e, ERR_NOT_FOUND, "id",
               NULL);
}

/* ---- deliveries ---- */

static int64_t
hook(struct fx *f, const char *name)
{
    struct webhook_new w = { name, "http://127.0.0.1:9/", "whsec_b", "*", 1 };
    struct err e = { 0 };
    int64_t id = 0;

    assert_ok(f->st->ops->webhook_add(f->st, &w, &id, &e), &e);
    return id;
}

static int64_t
deliver_to(struct fx *f, int64_t webhook, const char *dedup, int64_t at_)
{
    struct delivery_new d = { .channel = "webhook", .webhook_id = webhook,
                              .event = "complaint.created", .body = "{\"n\":1}",
                              .dedup = dedup, .created_at = at_ };
    struct err e = { 0 };
    int64_t id = -1;

    assert_ok(f->st->ops->delivery_add(f->st, &d, &id, &e), &e);
    return id;
}

static void
test_delivery_add_and_dedup(void **state)
{
    struct fx *f = *state;
    int64_t h1 = hook(f, "a"), h2 = hook(f, "b"), id;
    struct delivery_new mail = { .channel = "email", .recipient = "a@example.com",
                                 .event = "assigned", .subject = "s", .body = "b",
                                 .dedup = "k", .created_at = 1 };
    struct delivery_new bad = mail;
    struct err e = { 0 };

    assert_true(deliver_to(f, h1, "k", 1) > 0);
    assert_int_equal(deliver_to(f, h1, "k", 2), 0);   /* same webhook and key */
    assert_true(deliver_to(f, h2, "k", 3) > 0);       /* another webhook */
    assert_true(deliver_to(f, h1, NULL, 4) > 0);
    assert_true(deliver_to(f, h1, NULL, 5) > 0);
    assert_ok(f->st->ops->delivery_add(f->st, &mail, &id, &e), &e);
    assert_true(id > 0);
    assert_ok(f->st->ops->delivery_add(f->st, &mail, &id, &e), &e);
    assert_int_equal(id, 0);
    mail.recipient = "b@example.com";
    assert_ok(f->st->ops->delivery_add(f->st, &mail, &id, &e), &e);
    assert_true(id > 0);
    bad.subject = NULL;
    assert_err(f->st->ops->delivery_add(f->st, &bad, &id, &e), &e, ERR_INVALID, "subject",
               "required");
    bad = mail;
    bad.channel = "sms";
    assert_err(f->st->ops->delivery_add(f->st, &bad, &id, &e), &e, ERR_INVALID, "channel",
               "bad_value");
    bad.channel = "webhook";
    bad.webhook_id = 999;
    assert_err(f->st->ops->delivery_add(f->st, &bad, &id, &e), &e, ERR_INVALID, "webhook_id",
               "unknown");
}

static void
test_delivery_due_claim_and_tries(void **state)
{
    struct fx *f = *state;
    int64_t h = hook(f, "a");
    int64_t d1 = deliver_to(f, h, NULL, 100), d2 = deliver_to(f, h, NULL, 200);
    struct delivery_attempt fail = { .at = 300, .duration_ms = 12, .status = 500, .ok = false,
                                     .error = "HTTP status 500" };
    struct delivery_attempt ok = { .at = 400, .duration_ms = 3, .status = 200, .ok = true };
    struct delivery *items, *d;
    struct delivery_attempt *log;
    size_t n;
    struct err e = { 0 };

    assert_ok(f->st->ops->delivery_due(f->st, 99, 10, f->a, &items, &n, &e), &e);
    assert_int_equal(n, 0);
    assert_ok(f->st->ops->delivery_due(f->st, 150, 10, f->a, &items, &n, &e), &e);
    assert_int_equal(n, 1);
    assert_int_equal(items[0].id, d1);
    assert_null(items[0].webhook_secret);   /* only a claim loads it */
    /* a claim moves them out of reach until it runs out */
    assert_ok(f->st->ops->delivery_claim(f->st, 250, 1000, 10, f->a, &items, &n, &e), &e);
    assert_int_equal(n, 2);
    assert_string_equal(items[0].webhook_secret, "whsec_b");
    assert_string_equal(items[0].webhook_url, "http://127.0.0.1:9/");
    assert_ok(f->st->ops->delivery_claim(f->st, 250, 1000, 10, f->a, &items, &n, &e), &e);
    assert_int_equal(n, 0);
    /* a failed try: pending again at the next due time, its outcome kept */
    assert_ok(f->st->ops->delivery_record(f->st, d1, &fail, "pending", 330, &e), &e);
    /* a claim given back at a stop: no try */
    assert_ok(f->st->ops->delivery_record(f->st, d2, NULL, NULL, 300, &e), &e);
    assert_ok(f->st->ops->delivery_due(f->st, 320, 10, f->a, &items, &n, &e), &e);
    assert_int_equal(n, 1);
    assert_int_equal(items[0].id, d2);
    assert_int_equal(items[0].attempts, 0);
    assert_ok(f->st->ops->delivery_record(f->st, d1, &ok, "delivered", 400, &e), &e);
    assert_err(f->st->ops->delivery_record(f->st, d1, &ok, "delivered", 400, &e), &e,
               ERR_CONFLICT, "status", "not_pending");
    assert_err(f->st->ops->delivery_record(f->st, 999, &ok, "delivered", 400, &e), &e,
               ERR_NOT_FOUND, "id", NULL);
    assert_err(f->st->ops->delivery_record(f->st, d2, &ok, "sent", 400, &e), &e, ERR_INVALID,
               "status", "bad_value");
    assert_ok(f->st->ops->delivery_get(f->st, d1, f->a, &d, &log, &n, &e), &e);
    assert_string_equal(d->status, "delivered");
    assert_int_equal(d->attempts, 2);
    assert_int_equal(d->delivered_at, 400);
    assert_int_equal(d->last_status, 200);
    assert_null(d->last_error);
    assert_string_equal(d->webhook_name, "a");
    assert_int_equal(n, 2);
    assert_int_equal(log[0].status, 500);
    assert_false(log[0].ok);
    assert_string_equal(log[0].error, "HTTP status 500");
    assert_int_equal(log[0].duration_ms, 12);
    assert_true(log[1].ok);
    assert_null(log[1].error);
}

static void
test_delivery_dead_and_replay(void **state)
{
    struct fx *f = *state;
    int64_t h = hook(f, "a"), d = deliver_to(f, h, NULL, 100), other = deliver_to(f, h, NULL, 1);
    struct delivery_attempt fail = { .at = 150, .status = 0, .error = "connection refused" };
    struct delivery_query dead = { .status = "dead", .limit = 10 };
    struct delivery *items, *got;
    struct delivery_attempt *log;
    size_t n;
    bool more;
    struct err e = { 0 };

    assert_err(f->st->ops->delivery_replay(f->st, d, 160, &e), &e, ERR_CONFLICT, "status",
               "not_dead");
    assert_ok(f->st->ops->delivery_record(f->st, d, &fail, "dead", 150, &e), &e);
    assert_ok(f->st->ops->delivery_list(f->st, &dead, f->a, &items, &n, &more, &e), &e);
    assert_int_equal(n, 1);
    assert_int_equal(items[0].id, d);
    assert_string_equal(items[0].last_error, "connection refused");
    assert_int_equal(items[0].last_status, 0);
    /* the dead are never due */
    assert_ok(f->st->ops->delivery_due(f->st, 10000, 10, f->a, &items, &n, &e), &e);
    assert_int_equal(n, 1);
    assert_int_equal(items[0].id, other);
    assert_ok(f->st->ops->delivery_replay(f->st, d, 500, &e), &e);
    assert_ok(f->st->ops->delivery_get(f->st, d, f->a, &got, &log, &n, &e), &e);
    assert_string_equal(got->status, "pending");
    assert_int_equal(got->attempts, 0);   /* a fresh budget */
    assert_int_equal(got->replays, 1);
    assert_int_equal(got->next_attempt_at, 500);
    assert_int_equal(n, 1);               /* the old try stays recorded */
    assert_err(f->st->ops->delivery_replay(f->st, d, 500, &e), &e, ERR_CONFLICT, "status",
               "not_dead");
    assert_err(f->st->ops->delivery_replay(f->st, 999, 500, &e), &e, ERR_NOT_FOUND, "id", NULL);
    assert_ok(f->st->ops->delivery_list(f->st, &dead, f->a, &items, &n, &more, &e), &e);
    assert_int_equal(n, 0);
}

static void
test_delivery_list_filters(void **state)
{
    struct fx *f = *state;
    int64_t h = hook(f, "a");
    struct delivery_new mail = { .channel = "email", .recipient = "a@example.com",
                                 .event = "assigned", .subject = "s", .body = "b",
                                 .created_at = 1 };
    struct delivery_query q = { .limit = 2 };
    struct delivery *items;
    int64_t id;
    size_t n;
    bool more;
    struct err e = { 0 };

    for (int i = 0; i < 3; i++)
        deliver_to(f, h, NULL, i);
    assert_ok(f->st->ops->delivery_add(f->st, &mail, &id, &e), &e);
    assert_ok(f->st->ops->delivery_list(f->st, &q, f->a, &items, &n, &more, &e), &e);
    assert_int_equal(n, 2);
    assert_true(more);
    assert_int_equal(items[0].id, id);                 /* newest first */
    assert_string_equal(items[0].recipient, "a@example.com");
    q.before_id = items[1].id;
    assert_ok(f->st->ops->delivery_list(f->st, &q, f->a, &items, &n, &more, &e), &e);
    assert_int_equal(n, 2);
    assert_false(more);
    q = (struct delivery_query){ .channel = "email", .status = "pending", .limit = 10 };
    assert_ok(f->st->ops->delivery_list(f->st, &q, f->a, &items, &n, &more, &e), &e);
    assert_int_equal(n, 1);
    q.channel = "fax";
    assert_err(f->st->ops->delivery_list(f->st, &q, f->a, &items, &n, &more, &e), &e,
               ERR_INVALID, "channel", "bad_value");
    q = (struct delivery_query){ .status = "lost", .limit = 10 };
    assert_err(f->st->ops->delivery_list(f->st, &q, f->a, &items, &n, &more, &e), &e,
               ERR_INVALID, "status", "bad_value");
}

/* A switched-off webhook's deliveries wait; switched on again, they go. */
static void
test_delivery_waits_for_inactive_webhook(void **state)
{
    struct fx *f = *state;
    int64_t h = hook(f, "a");
    struct webhook_change off = { .has_active = true, .active = false };
    struct webhook_change on = { .has_active = true, .active = true };
    struct delivery *items;
    size_t n;
    struct err e = { 0 };

    deliver_to(f, h, NULL, 1);
    assert_ok(f->st->ops->webhook_update(f->st, h, &off, 2, &e), &e);
    assert_ok(f->st->ops->delivery_due(f->st, 100, 10, f->a, &items, &n, &e), &e);
    assert_int_equal(n, 0);
    assert_ok(f->st->ops->webhook_update(f->st, h, &on, 3, &e), &e);
    assert_ok(f->st->ops->delivery_claim(f->st, 100, 200, 10, f->a, &items, &n, &e), &e);
    assert_int_equal(n, 1);
}

/* ---- templates ---- */

static void
test_templates(void **state)
{
    struct fx *f = *state;
    struct message_template *list, *t;
    struct message_template put = { "resolved", "en", "Done: {{number}}", "We fixed it.", 77,
                                    "admin" };
    size_t n;
    struct err e = { 0 };

    assert_ok(f->st->ops->template_list(f->st, f->a, &list, &n, &e), &e);
    assert_int_equal(n, 8);
    assert_string_equal(list[0].code, "acknowledged");
    assert_string_equal(list[0].lang, "en");
    assert_string_equal(list[1].lang, "zh");
    assert_ok(f->st->ops->template_put(f->st, &put, &e), &e);
    assert_ok(f->st->ops->template_get(f->st, "resolved", "en", f->a, &t, &e), &e);
    assert_string_equal(t->subject, "Done: {{number}}");
    assert_string_equal(t->body, "We fixed it.");
    assert_int_equal(t->updated_at, 77);
    assert_string_equal(t->updated_by, "admin");
    assert_ok(f->st->ops->template_get(f->st, "resolved", "zh", f->a, &t, &e), &e);
    assert_null(t->updated_by);   /* the other language is untouched */
    put.code = "welcome";
    assert_err(f->st->ops->template_put(f->st, &put, &e), &e, ERR_NOT_FOUND, "code", NULL);
    assert_err(f->st->ops->template_get(f->st, "resolved", "fr", f->a, &t, &e), &e,
               ERR_NOT_FOUND, "code", NULL);
    put.code = "resolved";
    put.body = "";
    assert_err(f->st->ops->template_put(f->st, &put, &e), &e, ERR_INVALID, "body", "required");
}

/* ---- inside the SQLite database ---- */

static sqlite3 *
raw(struct fx *f)
{
    char path[512];
    sqlite3 *db;

    snprintf(path, sizeof(path), "%s/kesu.db", f->dir);
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    return db;
}

static void
test_triggers_keep_history(void **state)
{
    struct fx *f = *state;
    int64_t h = hook(f, "a"), d = deliver_to(f, h, NULL, 1);
    struct delivery_attempt fail = { .at = 2, .error = "x" };
    static const char *const refused[] = {
        "DELETE FROM deliveries", "DELETE FROM delivery_attempts",
        "UPDATE delivery_attempts SET ok = 1", "DELETE FROM notifications",
        "DELETE FROM webhooks", "UPDATE notifications SET read_at = 99",
    };
    struct err e = { 0 };
    int64_t n;
    sqlite3 *db;

    assert_ok(f->st->ops->delivery_record(f->st, d, &fail, "pending", 3, &e), &e);
    notify(f, "alice", "提醒", NULL, 1);
    assert_ok(f->st->ops->notification_read_all(f->st, "alice", 5, &n, &e), &e);
    db = raw(f);
    for (size_t i = 0; i < TEST_ARRAY_LEN(refused); i++)
        if (sqlite3_exec(db, refused[i], NULL, NULL, NULL) != SQLITE_CONSTRAINT)
            fail_msg("'%s' was not refused", refused[i]);
    sqlite3_close(db);
}

/* Does the plan of `sql` read `index`? */
static bool
plan_uses(sqlite3 *db, const char *sql, const char *index)
{
    sqlite3_stmt *st;
    bool used = false;
    char *explain = sqlite3_mprintf("EXPLAIN QUERY PLAN %s", sql);

    assert_int_equal(sqlite3_prepare_v2(db, explain, -1, &st, NULL), SQLITE_OK);
    while (sqlite3_step(st) == SQLITE_ROW)
        if (strstr((const char *)sqlite3_column_text(st, 3), index) != NULL)
            used = true;
    sqlite3_finalize(st);
    sqlite3_free(explain);
    return used;
}

/*
 * The sender's probe reads the partial index of pending deliveries, and the
 * dead-letter list that of the dead ones: never a scan of the history.
 */
static void
test_partial_indexes_serve(void **state)
{
    struct fx *f = *state;
    sqlite3 *db = raw(f);

    assert_true(plan_uses(db,
                          "SELECT d.id FROM deliveries d"
                          " LEFT JOIN webhooks w ON w.id = d.webhook_id"
                          " WHERE d.status = 'pending' AND d.next_attempt_at <= 5"
                          " AND (d.webhook_id IS NULL OR w.active = 1)"
                          " ORDER BY d.next_attempt_at, d.id LIMIT 1",
                          "deliveries_due"));
    assert_true(plan_uses(db,
                          "SELECT d.id FROM deliveries d WHERE d.status = 'dead'"
                          " AND (NULL IS NULL OR d.channel = NULL) AND d.id < 99"
                          " ORDER BY d.id DESC LIMIT 51",
                          "deliveries_dead"));
    assert_true(plan_uses(db,
                          "SELECT count(*) FROM notifications WHERE staff_id = 1"
                          " AND read_at IS NULL",
                          "notifications_unread"));
    sqlite3_close(db);
}

#define ON_EVERY_BACKEND(test)                                                                 \
    cmocka_unit_test_prestate_setup_teardown(test, setup, teardown, &backends[0]),             \
        cmocka_unit_test_prestate_setup_teardown(test, setup, teardown, &backends[1])

int
main(void)
{
    const struct CMUnitTest tests[] = {
        ON_EVERY_BACKEND(test_inbox_add_dedup_unread),
        ON_EVERY_BACKEND(test_inbox_pages_newest_first),
        ON_EVERY_BACKEND(test_inbox_read_is_personal),
        ON_EVERY_BACKEND(test_webhooks),
        ON_EVERY_BACKEND(test_delivery_add_and_dedup),
        ON_EVERY_BACKEND(test_delivery_due_claim_and_tries),
        ON_EVERY_BACKEND(test_delivery_dead_and_replay),
        ON_EVERY_BACKEND(test_delivery_list_filters),
        ON_EVERY_BACKEND(test_delivery_waits_for_inactive_webhook),
        ON_EVERY_BACKEND(test_templates),
        cmocka_unit_test_prestate_setup_teardown(test_triggers_keep_history, setup, teardown,
                                                 &backends[0]),
        cmocka_unit_test_prestate_setup_teardown(test_partial_indexes_serve, setup, teardown,
                                                 &backends[0]),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
