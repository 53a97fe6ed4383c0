#include "testutil.h"
#include "testutil_store.h"

/*
 * Notifications (notify/notify.h): the pure parts the sender uses (the
 * webhook signature against a known HMAC-SHA256 vector, the back-off
 * schedule, the fate of a delivery after a try, event filters, the webhook
 * body), then notify_staff, notify_event and notify_customer recording
 * rows, with dedup, on a real SQLite store.
 */

#include "core/complaint.h"
#include "notify/notify.h"
#include "notify/template.h"
#include "store/store.h"
#include "store/store_sqlite.h"
#include "util/arena.h"
#include "util/config.h"

#include <sodium.h>
#include <sqlite3.h>
#include <stdlib.h>

#define ARENA_LIMIT (16u << 20)

#define assert_ok(call, e)                                                                     \
    do {                                                                                       \
        if ((call) < 0)                                                                        \
            fail_msg("%s failed: %s (code %d, field %s)", #call, (e)->detail, (int)(e)->code, \
                     (e)->field ? (e)->field : "-");                                           \
    } while (0)

/* ---- the signature ---- */

/*
 * Computed independently (Python's hmac module):
 *   hmac.new(key, b"1700000000." + body, hashlib.sha256).hexdigest()
 */
static void
test_sign_known_vectors(void **state)
{
    static const char body[] = "{\"id\":7,\"type\":\"complaint.created\","
                               "\"at\":\"2023-11-15T06:13:20+08:00\","
                               "\"data\":{\"number\":\"KS-2023-000001\"}}";
    char hex[NOTIFY_SIGNATURE_HEX];

    (void)state;
    notify_sign("whsec_test-secret", 1700000000, body, strlen(body), hex);
    assert_string_equal(hex, "b757193a6d3814c45add646af919f705f7d4e5b9b04c109e607a7856d0d3b793");
    /* RFC 4231 test case 2's key and data, behind our "<timestamp>." prefix */
    notify_sign("Jefe", 1700000000, "what do ya want for nothing?", 28, hex);
    assert_string_equal(hex, "1cdd0650c8be1cb0974b1788d458b1e781206cfef59b85faafc582d2e182c57e");
}

/* The timestamp, the body and the secret are each part of what is signed. */
static void
test_sign_covers_everything(void **state)
{
    char a[NOTIFY_SIGNATURE_HEX], b[NOTIFY_SIGNATURE_HEX];

    (void)state;
    notify_sign("s", 1700000000, "{}", 2, a);
    notify_sign("s", 1700000001, "{}", 2, b);
    assert_string_not_equal(a, b);
    notify_sign("s", 1700000000, "{ }", 3, b);
    assert_string_not_equal(a, b);
    notify_sign("t", 1700000000, "{}", 2, b);
    assert_string_not_equal(a, b);
    /* only `len` bytes of the body */
    notify_sign("s", 1700000000, "{}xyz", 2, b);
    assert_string_equal(a, b);
    assert_int_equal(strlen(a), 64);
}

/* ---- retries ---- */

static void
test_backoff_schedule(void **state)
{
    (void)state;
    assert_int_equal(notify_backoff(30, 1), 30);
    assert_int_equal(notify_backoff(30, 2), 60);
    assert_int_equal(notify_backoff(30, 3), 120);
    assert_int_equal(notify_backoff(30, 5), 480);
    assert_int_equal(notify_backoff(1, 1), 1);
    assert_int_equal(notify_backoff(1, 10), 512);
    /* capped, never overflowing */
    assert_int_equal(notify_backoff(30, 13), NOTIFY_BACKOFF_MAX);
    assert_int_equal(notify_backoff(30, 1000), NOTIFY_BACKOFF_MAX);
    assert_int_equal(notify_backoff(86400, 2), NOTIFY_BACKOFF_MAX);
    assert_int_equal(notify_backoff(0, 1), 1);
}

static void
test_after_attempt(void **state)
{
    const int64_t now = 1700000000;
    const char *status;
    int64_t next;

    (void)state;
    notify_after_attempt(true, 1, 6, 30, now, &status, &next);
    assert_string_equal(status, "delivered");
    assert_int_equal(next, now);
    /* failed tries 1..5 of 6 wait 30, 60, 120, 240, 480 */
    for (int k = 1; k <= 5; k++) {
        notify_after_attempt(false, k, 6, 30, now, &status, &next);
        assert_string_equal(status, "pending");
        assert_int_equal(next, now + (30LL << (k - 1)));
    }
    /* the sixth failed try spends the budget */
    notify_after_attempt(false, 6, 6, 30, now, &status, &next);
    assert_string_equal(status, "dead");
    notify_after_attempt(false, 1, 1, 30, now, &status, &next);
    assert_string_equal(status, "dead");
    /* a success on the last try still delivers */
    notify_after_attempt(true, 6, 6, 30, now, &status, &next);
    assert_string_equal(status, "delivered");
}

/* ---- event types and filters ---- */

static void
test_event_types(void **state)
{
    static const char *const good[] = { "complaint.created", "customer.message",
                                        "complaint.clock.overdue", "a.b", "x1.y_2" };
    static const char *const bad[] = { "", "complaint", ".created", "complaint.", "a..b",
                                        "Complaint.created", "complaint.cre ated", "1a.b",
                                        "complaint.*", "a.b-c" };

    (void)state;
    for (size_t i = 0; i < TEST_ARRAY_LEN(good); i++)
        if (!notify_event_type_ok(good[i]))
            fail_msg("'%s' refused", good[i]);
    for (size_t i = 0; i < TEST_ARRAY_LEN(bad); i++)
        if (notify_event_type_ok(bad[i]))
            fail_msg("'%s' accepted", bad[i]);
}

static void
test_event_filters(void **state)
{
    (void)state;
    assert_true(notify_event_matches("*", "complaint.created"));
    assert_true(notify_event_matches("complaint.created", "complaint.created"));
    assert_false(notify_event_matches("complaint.created", "complaint.created2"));
    assert_false(notify_event_matches("complaint.create", "complaint.created"));
    assert_true(notify_event_matches("complaint.*", "complaint.overdue"));
    assert_false(notify_event_matches("complaint.*", "complaints.overdue"));
    assert_false(notify_event_matches("complaint.*", "customer.message"));
    assert_true(notify_event_matches("customer.message,complaint.*", "complaint.x"));
    assert_true(notify_event_matches("complaint.overdue,customer.message", "customer.message"));
    assert_false(notify_event_matches("complaint.overdue,customer.message", "complaint.created"));
    assert_false(notify_event_matches("", "complaint.created"));
}

static void
test_webhook_body(void **state)
{
    struct sbuf out;
    struct err e = { 0 };

    (void)state;
    sbuf_init(&out, 1 << 16);
    assert_ok(notify_webhook_body(7, "complaint.created", 1700000000, 480,
                                  "{\"number\":\"KS-2023-000001\"}", &out, &e),
              &e);
    assert_string_equal(out.buf, "{\"id\":7,\"type\":\"complaint.created\","
                                 "\"at\":\"2023-11-15T06:13:20+08:00\","
                                 "\"data\":{\"number\":\"KS-2023-000001\"}}");
    sbuf_reset(&out);
    assert_ok(notify_webhook_body(8, "a.b", 0, 0, NULL, &out, &e), &e);
    assert_string_equal(out.buf, "{\"id\":8,\"type\":\"a.b\",\"at\":\"1970-01-01T00:00:00Z\","
                                 "\"data\":{}}");
    /* a type that would need escaping is never written */
    sbuf_reset(&out);
    assert_int_equal(notify_webhook_body(9, "a.\"b", 0, 0, "{}", &out, &e), -1);
    assert_int_equal(e.code, ERR_INTERNAL);
    sbuf_release(&out);
}

/* ---- on a store ---- */

struct fx {
    char dir[256];
    struct store *st;
    struct arena *a;
    struct config cfg;
};

static void
configure(struct fx *f, bool email, const char *lang)
{
    config_defaults(&f->cfg);
    if (email)
        snprintf(f->cfg.smtp_url, sizeof(f->cfg.smtp_url), "smtp://127.0.0.1:2525");
    snprintf(f->cfg.lang, sizeof(f->cfg.lang), "%s", lang);
    notify_configure(&f->cfg);
}

static int
setup(void **state)
{
    static const struct staff_new staff[] = {
        { .login = "alice", .name = "王丽", .email = "alice@example.com" },
        { .login = "bob", .name = "李强" },
        { .login = "gone", .name = "离职", .email = "gone@example.com" },
    };
    struct fx *f = calloc(1, sizeof(*f));
    struct err e = { 0 };
    int version;

    if (f == NULL)
        return -1;
    snprintf(f->dir, sizeof(f->dir), "/tmp/kesu-notify-XXXXXX");
    if (mkdtemp(f->dir) == NULL)
        return -1;
    {
        char path[512];
        snprintf(path, sizeof(path), "%s/kesu.db", f->dir);
        f->st = store_sqlite_open(path, &e);
    }
    f->a = arena_new(ARENA_LIMIT);
    if (f->st == NULL || f->a == NULL ||
        store_migrate(f->st, "property", at(2026, 1, 1, 0, 0), &version, &e) < 0 ||
        f->st->ops->project_add(f->st, "P1", "翠湖花园", NULL, 0, &e) < 0 ||
        f->st->ops->building_add(f->st, "P1", "1栋", 0, &e) < 0) {
        fprintf(stderr, "setup: %s\n", e.detail);
        return -1;
    }
    for (size_t i = 0; i < TEST_ARRAY_LEN(staff); i++)
        if (f->st->ops->staff_add(f->st, &staff[i], 0, &e) < 0)
            return -1;
    if (f->st->ops->staff_set_status(f->st, "gone", "disabled", &e) < 0)
        return -1;
    configure(f, false, "zh");
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

static struct complaint *
complaint(struct fx *f, const char *phone, const char *email, const char *name)
{
    struct complaint_new in;
    struct complaint *c = NULL;
    struct err e = { 0 };

    core_complaint_new_init(&in);
    in.channel = "phone";
    in.has_received_at = true;
    in.received_at = at(2026, 3, 2, 9, 0);
    in.project = "P1";
    in.building = "1栋";
    in.subject = "电梯困人";
    in.content = "3栋电梯停在两层之间。";
    in.complainant.name = name;
    in.complainant.phone = phone;
    in.complainant.email = email;
    in.complainant.anonymous = phone == NULL && email == NULL;
    assert_ok(f->st->ops->complaint_create(f->st, &in, "KS", TZ, in.received_at + 60, f->a, &c,
                                           &e),
              &e);
    return c;
}

/* One integer from SQL. */
static int64_t
count(struct fx *f, const char *sql)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    char path[512];
    int64_t n = -1;

    snprintf(path, sizeof(path), "%s/kesu.db", f->dir);
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    if (sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return n;
}

static int64_t
add_webhook(struct fx *f, const char *name, const char *events)
{
    struct webhook_new w = { name, "http://127.0.0.1:9/hook", "whsec_x", events, 0 };
    struct err e = { 0 };
    int64_t id = 0;

    assert_ok(f->st->ops->webhook_add(f->st, &w, &id, &e), &e);
    return id;
}

static const struct notify_msg assigned = {
    .kind = "assigned", .complaint_id = 0, .number = "KS-2026-000001",
    .title_zh = "新投诉派给您", .title_en = "A complaint was assigned to you",
    .body_zh = "请尽快处理。", .body_en = "Please handle it.", .dedup = "assign/1/alice",
};

static void
test_staff_inbox_and_dedup(void **state)
{
    struct fx *f = *state;
    struct err e = { 0 };
    bool sent = false;
    int64_t unread = -1;

    assert_ok(notify_staff(f->st, "alice", &assigned, 100, &sent, &e), &e);
    assert_true(sent);
    /* the same dedup key again: nothing */
    assert_ok(notify_staff(f->st, "alice", &assigned, 200, &sent, &e), &e);
    assert_false(sent);
    assert_int_equal(count(f, "SELECT count(*) FROM notifications"), 1);
    /* the same key to another person is another message */
    assert_ok(notify_staff(f->st, "bob", &assigned, 300, &sent, &e), &e);
    assert_true(sent);
    assert_ok(f->st->ops->notification_unread(f->st, "alice", &unread, &e), &e);
    assert_int_equal(unread, 1);
    /* e-mail is off: no delivery */
    assert_int_equal(count(f, "SELECT count(*) FROM deliveries"), 0);
}

static void
test_staff_unknown_or_disabled(void **state)
{
    struct fx *f = *state;
    struct err e = { 0 };
    bool sent = true;

    configure(f, true, "zh");
    assert_int_equal(notify_staff(f->st, "nobody", &assigned, 100, &sent, &e), 0);
    assert_false(sent);
    assert_int_equal(e.code, ERR_OK);
    assert_int_equal(notify_staff(f->st, "gone", &assigned, 100, NULL, &e), 0);
    assert_int_equal(count(f, "SELECT count(*) FROM notifications"), 0);
    assert_int_equal(count(f, "SELECT count(*) FROM deliveries"), 0);
}

static void
test_staff_email_when_on(void **state)
{
    struct fx *f = *state;
    struct err e = { 0 };

    configure(f, true, "en");
    assert_ok(notify_staff(f->st, "alice", &assigned, 100, NULL, &e), &e);
    assert_ok(notify_staff(f->st, "alice", &assigned, 100, NULL, &e), &e);   /* dedup */
    assert_ok(notify_staff(f->st, "bob", &assigned, 100, NULL, &e), &e);     /* no address */
    assert_int_equal(count(f, "SELECT count(*) FROM deliveries"), 1);
    assert_int_equal(count(f, "SELECT count(*) FROM deliveries WHERE channel = 'email'"
                              " AND recipient = 'alice@example.com' AND status = 'pending'"
                              " AND subject = 'A complaint was assigned to you'"
                              " AND body LIKE 'Please handle it.%KS-2026-000001%'"
                              " AND personal = 0 AND next_attempt_at = 100"),
                     1);
}

static void
test_event_to_subscribed_webhooks(void **state)
{
    struct fx *f = *state;
    struct err e = { 0 };
    struct webhook_change off = { .has_active = true, .active = false };
    int64_t all, overdue, other, stopped;

    all = add_webhook(f, "all", "*");
    overdue = add_webhook(f, "sla", "complaint.overdue");
    other = add_webhook(f, "customers", "customer.*");
    stopped = add_webhook(f, "stopped", "*");
    assert_ok(f->st->ops->webhook_update(f->st, stopped, &off, 1, &e), &e);

    assert_ok(notify_event(f->st, "complaint.overdue", "{\"number\":\"KS-1\"}", "od/1", 50, &e),
              &e);
    /* run twice: nothing twice */
    assert_ok(notify_event(f->st, "complaint.overdue", "{\"number\":\"KS-1\"}", "od/1", 60, &e),
              &e);
    /* "all" and "sla" take it; "customers" does not, "stopped" is switched off */
    assert_int_equal(count(f, "SELECT count(*) FROM deliveries"), 2);
    {
        char sql[160];
        snprintf(sql, sizeof(sql),
                 "SELECT count(*) FROM deliveries WHERE webhook_id IN (%lld, %lld)"
                 " AND event = 'complaint.overdue' AND body = '{\"number\":\"KS-1\"}'",
                 (long long)all, (long long)overdue);
        assert_int_equal(count(f, sql), 2);
    }
    (void)other;
    /* no dedup key: every call is sent */
    assert_ok(notify_event(f->st, "complaint.created", NULL, NULL, 70, &e), &e);
    assert_ok(notify_event(f->st, "complaint.created", NULL, NULL, 70, &e), &e);
    assert_int_equal(count(f, "SELECT count(*) FROM deliveries WHERE event = 'complaint.created'"
                              " AND body = '{}'"),
                     2);
    /* a payload that is not a JSON object, or a bad type, is a bug of the caller */
    assert_int_equal(notify_event(f->st, "complaint.created", "[1]", NULL, 70, &e), -1);
    assert_int_equal(e.code, ERR_INTERNAL);
    e = (struct err){ 0 };
    assert_int_equal(notify_event(f->st, "Complaint", "{}", NULL, 70, &e), -1);
    assert_int_equal(e.code, ERR_INTERNAL);
}

static void
test_customer_acknowledgement(void **state)
{
    struct fx *f = *state;
    struct err e = { 0 };
    struct complaint *c;
    struct event *evs;
    size_t n;
    int64_t hook;
    char sql[256];

    configure(f, true, "zh");
    hook = add_webhook(f, "sms", "customer.message");
    add_webhook(f, "ops", "complaint.*");
    c = complaint(f, "13812345678", "wang@example.com", "王先生");
    assert_ok(notify_customer(f->st, c, "acknowledged", "2026-03-03T09:00+08:00", 100, &e), &e);
    /* once per complaint */
    assert_ok(notify_customer(f->st, c, "acknowledged", "2026-03-03T09:00+08:00", 200, &e), &e);
    assert_int_equal(count(f, "SELECT count(*) FROM deliveries"), 2);
    /* the e-mail: the template rendered in Chinese, to the customer, personal */
    snprintf(sql, sizeof(sql),
             "SELECT count(*) FROM deliveries WHERE channel = 'email' AND recipient ="
             " 'wang@example.com' AND personal = 1 AND event = 'customer.acknowledged'"
             " AND subject = '您的投诉已受理(编号 %s)' AND body LIKE '王先生,您好!%%'",
             c->number);
    assert_int_equal(count(f, sql), 1);
    assert_int_equal(count(f, "SELECT count(*) FROM deliveries WHERE channel = 'email' AND"
                              " body LIKE '%承诺答复时间:2026-03-03T09:00+08:00。%'"),
                     1);
    /* the gateway's webhook: the phone, for an SMS */
    snprintf(sql, sizeof(sql),
             "SELECT count(*) FROM deliveries WHERE webhook_id = %lld AND personal = 1 AND"
             " event = 'customer.message' AND json_extract(body, '$.phone') = '13812345678'"
             " AND json_extract(body, '$.template') = 'acknowledged'",
             (long long)hook);
    assert_int_equal(count(f, sql), 1);
    /* the timeline says a message went out, once */
    assert_ok(f->st->ops->event_list(f->st, c->id, f->a, &evs, &n, &e), &e);
    assert_int_equal(n, 2);
    assert_string_equal(evs[1].type, "message");
    assert_string_equal(evs[1].visibility, "customer");
    assert_non_null(strstr(evs[1].text, c->number));
    assert_non_null(strstr(evs[1].data, "\"channels\":[\"email\",\"webhook\"]"));
}

static void
test_customer_without_channels_or_contact(void **state)
{
    struct fx *f = *state;
    struct err e = { 0 };
    struct complaint *anon, *phone_only;
    struct event *evs;
    size_t n;
    int recorded = -1;

    configure(f, true, "en");
    add_webhook(f, "sms", "customer.message");
    anon = complaint(f, NULL, NULL, NULL);
    assert_ok(notify_customer_dedup(f->st, anon, "acknowledged", NULL, NULL, 100, &recorded, &e),
              &e);
    assert_int_equal(recorded, 0);
    assert_int_equal(count(f, "SELECT count(*) FROM deliveries"), 0);
    /* a phone and no e-mail: the gateway only, in English, "customer" for the name */
    phone_only = complaint(f, "13900001111", NULL, NULL);
    assert_ok(notify_customer_dedup(f->st, phone_only, "progress", NULL, NULL, 100, &recorded,
                                    &e),
              &e);
    assert_int_equal(recorded, 1);
    assert_int_equal(count(f, "SELECT count(*) FROM deliveries WHERE json_extract(body,"
                              " '$.body') LIKE 'Dear customer,%will tell you more by: as soon as"
                              " possible.%'"),
                     1);
    /* progress has no default key: each call is a message */
    assert_ok(notify_customer(f->st, phone_only, "progress", NULL, 101, &e), &e);
    assert_int_equal(count(f, "SELECT count(*) FROM deliveries"), 2);
    /* an unknown template is a bug of the caller */
    assert_int_equal(notify_customer(f->st, phone_only, "nonsense", NULL, 100, &e), -1);
    assert_int_equal(e.code, ERR_INTERNAL);
    /* nothing to send through: no event on the timeline */
    e = (struct err){ 0 };
    configure(f, false, "zh");
    {
        struct webhook_change off = { .has_active = true, .active = false };
        assert_ok(f->st->ops->webhook_update(f->st, 1, &off, 1, &e), &e);
    }
    assert_ok(notify_customer(f->st, phone_only, "resolved", NULL, 100, &e), &e);
    assert_ok(f->st->ops->event_list(f->st, phone_only->id, f->a, &evs, &n, &e), &e);
    assert_int_equal(n, 3);   /* registered, and the two progress messages */
}

/* The edited template is what goes out. */
static void
test_customer_edited_template(void **state)
{
    struct fx *f = *state;
    struct err e = { 0 };
    struct message_template t = { "acknowledged", "zh", "编号 {{number}}",
                                  "{{ name }}:{{subject}} 已受理。", 5, "admin" };
    struct complaint *c;
    char sql[256];

    configure(f, true, "zh");
    assert_ok(f->st->ops->template_put(f->st, &t, &e), &e);
    c = complaint(f, "13812345678", "wang@example.com", "王先生");
    assert_ok(notify_customer(f->st, c, "acknowledged", NULL, 100, &e), &e);
    snprintf(sql, sizeof(sql),
             "SELECT count(*) FROM deliveries WHERE subject = '编号 %s'"
             " AND body = '王先生:电梯困人 已受理。'",
             c->number);
    assert_int_equal(count(f, sql), 1);
}

/* The shipped templates use only the documented placeholders. */
static void
test_shipped_templates_check(void **state)
{
    struct fx *f = *state;
    struct message_template *t;
    struct err e = { 0 };
    size_t n;

    assert_ok(f->st->ops->template_list(f->st, f->a, &t, &n, &e), &e);
    assert_int_equal(n, 8);
    for (size_t i = 0; i < n; i++) {
        assert_ok(tpl_check(t[i].subject, strlen(t[i].subject), tpl_customer_names, "subject",
                            &e),
                  &e);
        assert_ok(tpl_check(t[i].body, strlen(t[i].body), tpl_customer_names, "body", &e), &e);
        assert_null(t[i].updated_by);
    }
}

static void
test_complaint_event_payload(void **state)
{
    struct fx *f = *state;
    struct err e = { 0 };
    struct complaint *c;
    char sql[300];

    add_webhook(f, "ops", "complaint.*");
    c = complaint(f, "13812345678", NULL, "王先生");
    assert_ok(notify_complaint_event(f->st, "complaint.created", c, NULL, 100, &e), &e);
    snprintf(sql, sizeof(sql),
             "SELECT count(*) FROM deliveries WHERE event = 'complaint.created' AND personal = 0"
             " AND json_extract(body, '$.number') = '%s' AND json_extract(body, '$.project') ="
             " 'P1' AND json_extract(body, '$.phone') IS NULL AND body NOT LIKE '%%1381234%%'",
             c->number);
    assert_int_equal(count(f, sql), 1);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sign_known_vectors),
        cmocka_unit_test(test_sign_covers_everything),
        cmocka_unit_test(test_backoff_schedule),
        cmocka_unit_test(test_after_attempt),
        cmocka_unit_test(test_event_types),
        cmocka_unit_test(test_event_filters),
        cmocka_unit_test(test_webhook_body),
        cmocka_unit_test_setup_teardown(test_staff_inbox_and_dedup, setup, teardown),
        cmocka_unit_test_setup_teardown(test_staff_unknown_or_disabled, setup, teardown),
        cmocka_unit_test_setup_teardown(test_staff_email_when_on, setup, teardown),
        cmocka_unit_test_setup_teardown(test_event_to_subscribed_webhooks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_customer_acknowledgement, setup, teardown),
        cmocka_unit_test_setup_teardown(test_customer_without_channels_or_contact, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_customer_edited_template, setup, teardown),
        cmocka_unit_test_setup_teardown(test_shipped_templates_check, setup, teardown),
        cmocka_unit_test_setup_teardown(test_complaint_event_payload, setup, teardown),
    };

    if (sodium_init() < 0)
        return 1;
    return cmocka_run_group_tests(tests, NULL, NULL);
}
