/*
 * The SQLite backend's ops for notifications (issue 5): the in-app inbox,
 * webhooks, the outbox of deliveries with their attempts, and the customer
 * message templates. See store.h for the contracts and schema_sqlite.c
 * (migration 7) for the tables.
 */
#include "store/store_sqlite_notify.h"
#include "store/sqlite_int.h"

#include <string.h>

#define NOTIFICATION_LIST_MAX 200
#define DELIVERY_LIST_MAX 500

/* ---- helpers ---- */

/* 0 is "none": SQL NULL. */
static void
bind_ref(sqlite3_stmt *st, int i, int64_t id)
{
    if (id == 0)
        sqlite3_bind_null(st, i);
    else
        sqlite3_bind_int64(st, i, id);
}

/* ids below `before` (0: all) */
static int64_t
upper_id(int64_t before)
{
    return before > 0 ? before : INT64_MAX;
}

static int
check_limit(int limit, int max, struct err *e)
{
    if (limit < 1 || limit > max)
        return err_set(e, ERR_INVALID, "limit", "out_of_range", "limit is 1 to %d", max);
    return 0;
}

static bool
empty(const char *s)
{
    return s == NULL || s[0] == '\0';
}

/* Run a statement returning at most one integer: *found false when no row. */
static int
one_int(struct store *st, sqlite3_stmt *stmt, int64_t *out, bool *found, const char *what,
        struct err *e)
{
    int rc = sqlite3_step(stmt);

    *found = rc == SQLITE_ROW;
    if (*found)
        *out = sqlite3_column_int64(stmt, 0);
    sqlx_done(stmt);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return sqlx_fail(st, rc, what, e);
    return 0;
}

static int
staff_id(struct store *st, const char *login, int64_t *id, bool *found, struct err *e)
{
    static const char sql[] = "SELECT id FROM staff WHERE login = ?1";
    sqlite3_stmt *stmt = sqlx_stmt(st, sql, e);

    if (stmt == NULL)
        return -1;
    sqlx_bind_text(stmt, 1, login);
    return one_int(st, stmt, id, found, "find staff", e);
}

/*
 * Read the rows of a prepared statement into an arena array, then reset it
 * (sqlx_rows leaves it as it stopped).
 */
static int
rows(struct store *st, sqlite3_stmt *stmt, struct arena *a, size_t size, sqlx_row_fn rd,
     const char *what, void **out, size_t *n, struct err *e)
{
    int rc = sqlx_rows(st, stmt, a, size, rd, what, out, n, e);

    sqlx_done(stmt);
    return rc;
}

/* ---- the inbox ---- */

#define NOTIFICATION_SELECT                                                                    \
    "SELECT n.id, n.complaint_id, c.number, n.kind, n.title_zh, n.title_en, n.body_zh,"      \
    " n.body_en, n.created_at, n.read_at FROM notifications n"                                \
    " LEFT JOIN complaints c ON c.id = n.complaint_id"
#define STAFF_OF_LOGIN "(SELECT id FROM staff WHERE login = ?1)"

static int
read_notification(sqlite3_stmt *st, struct arena *a, void *item)
{
    struct notification *n = item;
    bool oom = false;

    n->id = sqlite3_column_int64(st, 0);
    n->complaint_id = sqlite3_column_int64(st, 1);
    n->number = sqlx_col_text(st, 2, a, &oom);
    n->kind = sqlx_col_text(st, 3, a, &oom);
    n->title_zh = sqlx_col_text(st, 4, a, &oom);
    n->title_en = sqlx_col_text(st, 5, a, &oom);
    n->body_zh = sqlx_col_text(st, 6, a, &oom);
    n->body_en = sqlx_col_text(st, 7, a, &oom);
    n->created_at = sqlite3_column_int64(st, 8);
    n->read_at = sqlite3_column_int64(st, 9);
    return oom ? -1 : 0;
}

int
sqlx_notification_add(struct store *st, const struct notification_new *in, int64_t *id,
                      struct err *e)
{
    static const char sql[] =
        "INSERT INTO notifications (staff_id, complaint_id, kind, title_zh, title_en, body_zh,"
        " body_en, created_at, dedup) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
        " ON CONFLICT DO NOTHING";
    sqlite3_stmt *stmt;
    int64_t sid = 0;
    bool found;

    if (empty(in->kind) || empty(in->title_zh) || empty(in->title_en))
        return err_set(e, ERR_INVALID, empty(in->kind) ? "kind" : "title", "required",
                       "a notification needs a kind and titles");
    if (staff_id(st, in->login, &sid, &found, e) < 0)
        return -1;
    if (!found)
        return err_set(e, ERR_INVALID, "login", "unknown", "no staff member with that login");
    if ((stmt = sqlx_stmt(st, sql, e)) == NULL)
        return -1;
    sqlite3_bind_int64(stmt, 1, sid);
    bind_ref(stmt, 2, in->complaint_id);
    sqlx_bind_text(stmt, 3, in->kind);
    sqlx_bind_text(stmt, 4, in->title_zh);
    sqlx_bind_text(stmt, 5, in->title_en);
    sqlx_bind_text(stmt, 6, in->body_zh);
    sqlx_bind_text(stmt, 7, in->body_en);
    sqlite3_bind_int64(stmt, 8, in->created_at);
    sqlx_bind_text(stmt, 9, in->dedup);
    if (sqlx_step_done(st, stmt, "insert notification", e) < 0)
        return -1;
    /* DO NOTHING leaves changes() at 0: the same message was there */
    *id = sqlite3_changes(sqlx_db(st)) > 0 ? sqlite3_last_insert_rowid(sqlx_db(st)) : 0;
    return 0;
}

int
sqlx_notification_list(struct store *st, const struct notification_query *q, struct arena *a,
                       struct notification **out, size_t *n, bool *more, struct err *e)
{
    /* two statements, so that the unread list reads the partial index of unread rows */
    static const char all[] = NOTIFICATION_SELECT " WHERE n.staff_id = " STAFF_OF_LOGIN
                              " AND n.id < ?2 ORDER BY n.id DESC LIMIT ?3";
    static const char unread[] = NOTIFICATION_SELECT " WHERE n.staff_id = " STAFF_OF_LOGIN
                                 " AND n.read_at IS NULL AND n.id < ?2"
                                 " ORDER BY n.id DESC LIMIT ?3";
    sqlite3_stmt *stmt;
    void *items = NULL;

    if (check_limit(q->limit, NOTIFICATION_LIST_MAX, e) < 0 ||
        (stmt = sqlx_stmt(st, q->unread_only ? unread : all, e)) == NULL)
        return -1;
    sqlx_bind_text(stmt, 1, q->login);
    sqlite3_bind_int64(stmt, 2, upper_id(q->before_id));
    sqlite3_bind_int(stmt, 3, q->limit + 1);   /* one more says whether a page follows */
    if (rows(st, stmt, a, sizeof(**out), read_notification, "list notifications", &items, n,
             e) < 0)
        return -1;
    *more = *n > (size_t)q->limit;
    if (*more)
        *n = (size_t)q->limit;
    *out = items;
    return 0;
}

int
sqlx_notification_unread(struct store *st, const char *login, int64_t *n, struct err *e)
{
    static const char sql[] = "SELECT count(*) FROM notifications WHERE staff_id = "
                              STAFF_OF_LOGIN " AND read_at IS NULL";
    sqlite3_stmt *stmt = sqlx_stmt(st, sql, e);
    bool found;

    if (stmt == NULL)
        return -1;
    sqlx_bind_text(stmt, 1, login);
    return one_int(st, stmt, n, &found, "count unread notifications", e);
}

int
sqlx_notification_read(struct store *st, const char *login, int64_t id, int64_t now,
                       struct arena *a, struct notification **out, struct err *e)
{
    static const char mark[] = "UPDATE notifications SET read_at = ?3 WHERE id = ?2"
                               " AND staff_id = " STAFF_OF_LOGIN " AND read_at IS NULL";
    static const char get[] = NOTIFICATION_SELECT " WHERE n.id = ?2 AND n.staff_id = "
                              STAFF_OF_LOGIN;
    sqlite3_stmt *stmt = sqlx_stmt(st, mark, e);
    void *items = NULL;
    size_t n = 0;

    if (stmt == NULL)
        return -1;
    sqlx_bind_text(stmt, 1, login);
    sqlite3_bind_int64(stmt, 2, id);
    sqlite3_bind_int64(stmt, 3, now);
    if (sqlx_step_done(st, stmt, "mark notification read", e) < 0 ||
        (stmt = sqlx_stmt(st, get, e)) == NULL)
        return -1;
    sqlx_bind_text(stmt, 1, login);
    sqlite3_bind_int64(stmt, 2, id);
    if (rows(st, stmt, a, sizeof(**out), read_notification, "get notification", &items, &n, e) <
        0)
        return -1;
    /* another's looks exactly like one that does not exist */
    if (n == 0)
        return err_set(e, ERR_NOT_FOUND, "id", "unknown", "no notification %lld in the inbox",
                       (long long)id);
    *out = items;
    return 0;
}

int
sqlx_notification_read_all(struct store *st, const char *login, int64_t now, int64_t *n,
                           struct err *e)
{
    static const char sql[] = "UPDATE notifications SET read_at = ?2 WHERE staff_id = "
                              STAFF_OF_LOGIN " AND read_at IS NULL";
    sqlite3_stmt *stmt = sqlx_stmt(st, sql, e);

    if (stmt == NULL)
        return -1;
    sqlx_bind_text(stmt, 1, login);
    sqlite3_bind_int64(stmt, 2, now);
    if (sqlx_step_done(st, stmt, "mark notifications read", e) < 0)
        return -1;
    *n = sqlite3_changes(sqlx_db(st));
    return 0;
}

/* ---- webhooks ---- */

#define WEBHOOK_SELECT                                                                         \
    "SELECT id, name, url, secret, events, active, created_at, updated_at FROM webhooks"

static int
read_webhook(sqlite3_stmt *st, struct arena *a, void *item)
{
    struct webhook *w = item;
    bool oom = false;

    w->id = sqlite3_column_int64(st, 0);
    w->name = sqlx_col_text(st, 1, a, &oom);
    w->url = sqlx_col_text(st, 2, a, &oom);
    w->secret = sqlx_col_text(st, 3, a, &oom);
    w->events = sqlx_col_text(st, 4, a, &oom);
    w->active = sqlite3_column_int(st, 5) != 0;
    w->created_at = sqlite3_column_int64(st, 6);
    w->updated_at = sqlite3_column_int64(st, 7);
    return oom ? -1 : 0;
}

int
sqlx_webhook_add(struct store *st, const struct webhook_new *in, int64_t *id, struct err *e)
{
    static const char taken[] = "SELECT id FROM webhooks WHERE name = ?1";
    static const char sql[] = "INSERT INTO webhooks (name, url, secret, events, active,"
                              " created_at, updated_at) VALUES (?1, ?2, ?3, ?4, 1, ?5, ?5)";
    const char *missing = empty(in->name) ? "name" : empty(in->url) ? "url"
                        : empty(in->secret) ? "secret" : empty(in->events) ? "events" : NULL;
    sqlite3_stmt *stmt;
    int64_t other;
    bool found;

    if (missing != NULL)
        return err_set(e, ERR_INVALID, missing, "required", "a webhook needs %s", missing);
    if ((stmt = sqlx_stmt(st, taken, e)) == NULL)
        return -1;
    sqlx_bind_text(stmt, 1, in->name);
    if (one_int(st, stmt, &other, &found, "find webhook", e) < 0)
        return -1;
    if (found)
        return err_set(e, ERR_CONFLICT, "name", "exists", "a webhook has that name");
    if ((stmt = sqlx_stmt(st, sql, e)) == NULL)
        return -1;
    sqlx_bind_text(stmt, 1, in->name);
    sqlx_bind_text(stmt, 2, in->url);
    sqlx_bind_text(stmt, 3, in->secret);
    sqlx_bind_text(stmt, 4, in->events);
    sqlite3_bind_int64(stmt, 5, in->created_at);
    if (sqlx_step_done(st, stmt, "insert webhook", e) < 0)
        return -1;
    *id = sqlite3_last_insert_rowid(sqlx_db(st));
    return 0;
}

int
sqlx_webhook_list(struct store *st, struct arena *a, struct webhook **out, size_t *n,
                  struct err *e)
{
    static const char sql[] = WEBHOOK_SELECT " ORDER BY id";
    sqlite3_stmt *stmt = sqlx_stmt(st, sql, e);
    void *items = NULL;

    if (stmt == NULL ||
        rows(st, stmt, a, sizeof(**out), read_webhook, "list webhooks", &items, n, e) < 0)
        return -1;
    *out = items;
    return 0;
}

int
sqlx_webhook_get(struct store *st, int64_t id, struct arena *a, struct webhook **out,
                 struct err *e)
{
    static const char sql[] = WEBHOOK_SELECT " WHERE id = ?1";
    sqlite3_stmt *stmt = sqlx_stmt(st, sql, e);
    void *items = NULL;
    size_t n = 0;

    if (stmt == NULL)
        return -1;
    sqlite3_bind_int64(stmt, 1, id);
    if (rows(st, stmt, a, sizeof(**out), read_webhook, "get webhook", &items, &n, e) < 0)
        return -1;
    if (n == 0)
        return err_set(e, ERR_NOT_FOUND, "id", "unknown", "no webhook %lld", (long long)id);
    *out = items;
    return 0;
}

int
sqlx_webhook_update(struct store *st, int64_t id, const struct webhook_change *ch, int64_t now,
                    struct err *e)
{
    static const char sql[] =
        "UPDATE webhooks SET url = coalesce(?2, url), secret = coalesce(?3, secret),"
        " events = coalesce(?4, events), active = coalesce(?5, active), updated_at = ?6"
        " WHERE id = ?1";
    sqlite3_stmt *stmt = sqlx_stmt(st, sql, e);

    if (stmt == NULL)
        return -1;
    sqlite3_bind_int64(stmt, 1, id);
    sqlx_bind_text(stmt, 2, empty(ch->url) ? NULL : ch->url);
    sqlx_bind_text(stmt, 3, empty(ch->secret) ? NULL : ch->secret);
    sqlx_bind_text(stmt, 4, empty(ch->events) ? NULL : ch->events);
    if (ch->has_active)
        sqlite3_bind_int(stmt, 5, ch->active ? 1 : 0);
    else
        sqlite3_bind_null(stmt, 5);
    sqlite3_bind_int64(stmt, 6, now);
    if (sqlx_step_done(st, stmt, "update webhook", e) < 0)
        return -1;
    if (sqlite3_changes(sqlx_db(st)) == 0)
        return err_set(e, ERR_NOT_FOUND, "id", "unknown", "no webhook %lld", (long long)id);
    return 0;
}

/* ---- deliveries ---- */

/* `secrets`: the webhook's URL and secret columns, or NULLs where they are not for the reader */
#define DELIVERY_SELECT(secrets)                                                               \
    "SELECT d.id, d.channel, d.event, d.status, d.webhook_id, w.name, " secrets ","         \
    " d.recipient, d.complaint_id, c.number, d.subject, d.body, d.personal, d.attempts,"     \
    " d.replays, d.last_status, d.last_error, d.next_attempt_at, d.created_at,"              \
    " d.delivered_at FROM deliveries d LEFT JOIN webhooks w ON w.id = d.webhook_id"           \
    " LEFT JOIN complaints c ON c.id = d.complaint_id"
/* due and pending, through deliveries_due; a switched-off webhook's wait */
#define DELIVERY_DUE                                                                           \
    " WHERE d.status = 'pending' AND d.next_attempt_at <= ?1"                                 \
    " AND (d.webhook_id IS NULL OR w.active = 1) ORDER BY d.next_attempt_at, d.id LIMIT ?2"

static int
read_delivery(sqlite3_stmt *st, struct arena *a, void *item)
{
    struct delivery *d = item;
    bool oom = false;

    d->id = sqlite3_column_int64(st, 0);
    d->channel = sqlx_col_text(st, 1, a, &oom);
    d->event = sqlx_col_text(st, 2, a, &oom);
    d->status = sqlx_col_text(st, 3, a, &oom);
    d->webhook_id = sqlite3_column_int64(st, 4);
    d->webhook_name = sqlx_col_text(st, 5, a, &oom);
    d->webhook_url = sqlx_col_text(st, 6, a, &oom);
    d->webhook_secret = sqlx_col_text(st, 7, a, &oom);
    d->recipient = sqlx_col_text(st, 8, a, &oom);
    d->complaint_id = sqlite3_column_int64(st, 9);
    d->number = sqlx_col_text(st, 10, a, &oom);
    d->subject = sqlx_col_text(st, 11, a, &oom);
    d->body = sqlx_col_text(st, 12, a, &oom);
    d->personal = sqlite3_column_int(st, 13) != 0;
    d->attempts = sqlite3_column_int(st, 14);
    d->replays = sqlite3_column_int(st, 15);
    d->last_status = sqlite3_column_int(st, 16);
    d->last_error = sqlx_col_text(st, 17, a, &oom);
    d->next_attempt_at = sqlite3_column_int64(st, 18);
    d->created_at = sqlite3_column_int64(st, 19);
    d->delivered_at = sqlite3_column_int64(st, 20);
    return oom ? -1 : 0;
}

static int
delivery_check(struct store *st, const struct delivery_new *in, struct err *e)
{
    static const char webhook[] = "SELECT id FROM webhooks WHERE id = ?1";
    sqlite3_stmt *stmt;
    int64_t id;
    bool found;

    if (in->channel == NULL)
        return err_set(e, ERR_INVALID, "channel", "required", "no channel");
    if (empty(in->event) || in->body == NULL)
        return err_set(e, ERR_INVALID, empty(in->event) ? "event" : "body", "required",
                       "a delivery needs an event and a body");
    if (strcmp(in->channel, "email") == 0) {
        if (empty(in->recipient) || empty(in->subject))
            return err_set(e, ERR_INVALID, empty(in->recipient) ? "recipient" : "subject",
                           "required", "an e-mail needs a recipient and a subject");
        return 0;
    }
    if (strcmp(in->channel, "webhook") != 0)
        return err_set(e, ERR_INVALID, "channel", "bad_value", "not webhook or email");
    if ((stmt = sqlx_stmt(st, webhook, e)) == NULL)
        return -1;
    sqlite3_bind_int64(stmt, 1, in->webhook_id);
    if (one_int(st, stmt, &id, &found, "find webhook", e) < 0)
        return -1;
    if (!found)
        return err_set(e, ERR_INVALID, "webhook_id", "unknown", "no webhook %lld",
                       (long long)in->webhook_id);
    return 0;
}

int
sqlx_delivery_add(struct store *st, const struct delivery_new *in, int64_t *id, struct err *e)
{
    static const char sql[] =
        "INSERT INTO deliveries (channel, webhook_id, recipient, event, complaint_id, subject,"
        " body, personal, next_attempt_at, created_at, dedup)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9, ?10) ON CONFLICT DO NOTHING";
    bool email;
    sqlite3_stmt *stmt;

    if (delivery_check(st, in, e) < 0 || (stmt = sqlx_stmt(st, sql, e)) == NULL)
        return -1;
    email = strcmp(in->channel, "email") == 0;
    sqlx_bind_text(stmt, 1, in->channel);
    bind_ref(stmt, 2, email ? 0 : in->webhook_id);
    sqlx_bind_text(stmt, 3, email ? in->recipient : NULL);
    sqlx_bind_text(stmt, 4, in->event);
    bind_ref(stmt, 5, in->complaint_id);
    sqlx_bind_text(stmt, 6, email ? in->subject : NULL);
    sqlx_bind_text(stmt, 7, in->body);
    sqlite3_bind_int(stmt, 8, in->personal ? 1 : 0);
    sqlite3_bind_int64(stmt, 9, in->created_at);
    sqlx_bind_text(stmt, 10, in->dedup);
    if (sqlx_step_done(st, stmt, "insert delivery", e) < 0)
        return -1;
    *id = sqlite3_changes(sqlx_db(st)) > 0 ? sqlite3_last_insert_rowid(sqlx_db(st)) : 0;
    return 0;
}

int
sqlx_delivery_due(struct store *st, int64_t now, int limit, struct arena *a,
                  struct delivery **out, size_t *n, struct err *e)
{
    static const char sql[] = DELIVERY_SELECT("NULL, NULL") DELIVERY_DUE;
    sqlite3_stmt *stmt;
    void *items = NULL;

    if (check_limit(limit, DELIVERY_LIST_MAX, e) < 0 || (stmt = sqlx_stmt(st, sql, e)) == NULL)
        return -1;
    sqlite3_bind_int64(stmt, 1, now);
    sqlite3_bind_int(stmt, 2, limit);
    if (rows(st, stmt, a, sizeof(**out), read_delivery, "due deliveries", &items, n, e) < 0)
        return -1;
    *out = items;
    return 0;
}

int
sqlx_delivery_claim(struct store *st, int64_t now, int64_t until, int limit, struct arena *a,
                    struct delivery **out, size_t *n, struct err *e)
{
    static const char sql[] = DELIVERY_SELECT("w.url, w.secret") DELIVERY_DUE;
    static const char claim[] = "UPDATE deliveries SET next_attempt_at = ?2"
                                " WHERE id = ?1 AND status = 'pending'";
    struct delivery *items = NULL;
    sqlite3_stmt *stmt;
    void *got = NULL;

    if (check_limit(limit, DELIVERY_LIST_MAX, e) < 0 || (stmt = sqlx_stmt(st, sql, e)) == NULL)
        return -1;
    sqlite3_bind_int64(stmt, 1, now);
    sqlite3_bind_int(stmt, 2, limit);
    if (rows(st, stmt, a, sizeof(*items), read_delivery, "claim deliveries", &got, n, e) < 0)
        return -1;
    items = got;
    for (size_t i = 0; i < *n; i++) {
        if ((stmt = sqlx_stmt(st, claim, e)) == NULL)
            return -1;
        sqlite3_bind_int64(stmt, 1, items[i].id);
        sqlite3_bind_int64(stmt, 2, until);
        if (sqlx_step_done(st, stmt, "claim delivery", e) < 0)
            return -1;
        items[i].next_attempt_at = until;
    }
    *out = items;
    return 0;
}

static bool
delivery_status_ok(const char *s)
{
    return s != NULL &&
           (strcmp(s, "pending") == 0 || strcmp(s, "delivered") == 0 || strcmp(s, "dead") == 0);
}

/* The delivery's status as text into buf; ERR_NOT_FOUND ("id") when there is none. */
static int
delivery_status(struct store *st, int64_t id, char buf[16], struct err *e)
{
    static const char sql[] = "SELECT status FROM deliveries WHERE id = ?1";
    sqlite3_stmt *stmt = sqlx_stmt(st, sql, e);
    int rc;

    if (stmt == NULL)
        return -1;
    sqlite3_bind_int64(stmt, 1, id);
    rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW) {
        const unsigned char *t = sqlite3_column_text(stmt, 0);
        size_t len = t ? strlen((const char *)t) : 0;
        if (len > 15)
            len = 15;
        memcpy(buf, t ? (const char *)t : "", len);
        buf[len] = '\0';
    }
    sqlx_done(stmt);
    if (rc == SQLITE_DONE)
        return err_set(e, ERR_NOT_FOUND, "id", "unknown", "no delivery %lld", (long long)id);
    if (rc != SQLITE_ROW)
        return sqlx_fail(st, rc, "read delivery status", e);
    return 0;
}

static int
insert_attempt(struct store *st, int64_t id, const struct delivery_attempt *at, struct err *e)
{
    static const char sql[] = "INSERT INTO delivery_attempts (delivery_id, at, duration_ms,"
                              " status, ok, error) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
    sqlite3_stmt *stmt = sqlx_stmt(st, sql, e);

    if (stmt == NULL)
        return -1;
    sqlite3_bind_int64(stmt, 1, id);
    sqlite3_bind_int64(stmt, 2, at->at);
    sqlite3_bind_int(stmt, 3, at->duration_ms < 0 ? 0 : at->duration_ms);
    if (at->status > 0)
        sqlite3_bind_int(stmt, 4, at->status);
    else
        sqlite3_bind_null(stmt, 4);
    sqlite3_bind_int(stmt, 5, at->ok ? 1 : 0);
    sqlx_bind_text(stmt, 6, at->ok ? NULL : at->error);
    return sqlx_step_done(st, stmt, "insert delivery attempt", e);
}

int
sqlx_delivery_record(struct store *st, int64_t id, const struct delivery_attempt *attempt,
                     const char *status, int64_t next_attempt_at, struct err *e)
{
    static const char release[] = "UPDATE deliveries SET next_attempt_at = ?2"
                                  " WHERE id = ?1 AND status = 'pending'";
    static const char sql[] =
        "UPDATE deliveries SET status = ?2, attempts = attempts + 1, next_attempt_at = ?3,"
        " last_status = ?4, last_error = ?5,"
        " delivered_at = CASE WHEN ?2 = 'delivered' THEN ?6 ELSE NULL END"
        " WHERE id = ?1 AND status = 'pending'";
    sqlite3_stmt *stmt;
    char have[16];

    if (attempt != NULL && !delivery_status_ok(status))
        return err_set(e, ERR_INVALID, "status", "bad_value", "not a delivery status");
    if (delivery_status(st, id, have, e) < 0)
        return -1;
    if (strcmp(have, "pending") != 0)
        return err_set(e, ERR_CONFLICT, "status", "not_pending", "delivery %lld is %s",
                       (long long)id, have);
    if (attempt == NULL) {
        if ((stmt = sqlx_stmt(st, release, e)) == NULL)
            return -1;
        sqlite3_bind_int64(stmt, 1, id);
        sqlite3_bind_int64(stmt, 2, next_attempt_at);
        return sqlx_step_done(st, stmt, "release delivery", e);
    }
    if (insert_attempt(st, id, attempt, e) < 0 || (stmt = sqlx_stmt(st, sql, e)) == NULL)
        return -1;
    sqlite3_bind_int64(stmt, 1, id);
    sqlx_bind_text(stmt, 2, status);
    sqlite3_bind_int64(stmt, 3, next_attempt_at);
    if (attempt->status > 0)
        sqlite3_bind_int(stmt, 4, attempt->status);
    else
        sqlite3_bind_null(stmt, 4);
    sqlx_bind_text(stmt, 5, attempt->ok ? NULL : attempt->error);
    sqlite3_bind_int64(stmt, 6, attempt->at);
    return sqlx_step_done(st, stmt, "record delivery", e);
}

int
sqlx_delivery_list(struct store *st, const struct delivery_query *q, struct arena *a,
                   struct delivery **out, size_t *n, bool *more, struct err *e)
{
    /*
     * The dead-letter list through its partial index deliveries_dead (the
     * status written out, so that the planner may use it); others by id,
     * newest first, stopping after a page.
     */
    static const char dead[] = DELIVERY_SELECT("NULL, NULL")
        " WHERE d.status = 'dead' AND (?2 IS NULL OR d.channel = ?2) AND d.id < ?3"
        " ORDER BY d.id DESC LIMIT ?4";
    static const char by_status[] = DELIVERY_SELECT("NULL, NULL")
        " WHERE d.status = ?1 AND (?2 IS NULL OR d.channel = ?2) AND d.id < ?3"
        " ORDER BY d.id DESC LIMIT ?4";
    static const char any[] = DELIVERY_SELECT("NULL, NULL")
        " WHERE (?2 IS NULL OR d.channel = ?2) AND d.id < ?3 ORDER BY d.id DESC LIMIT ?4";
    sqlite3_stmt *stmt;
    void *items = NULL;

    if (q->status != NULL && !delivery_status_ok(q->status))
        return err_set(e, ERR_INVALID, "status", "bad_value", "not a delivery status");
    if (q->channel != NULL && strcmp(q->channel, "webhook") != 0 &&
        strcmp(q->channel, "email") != 0)
        return err_set(e, ERR_INVALID, "channel", "bad_value", "not webhook or email");
    if (check_limit(q->limit, DELIVERY_LIST_MAX, e) < 0 ||
        (stmt = sqlx_stmt(st, !q->status                      ? any
                              : strcmp(q->status, "dead") == 0 ? dead
                                                               : by_status,
                          e)) == NULL)
        return -1;
    sqlx_bind_text(stmt, 1, q->status);   /* unused but by by_status: ?2..?4 number the rest */
    sqlx_bind_text(stmt, 2, q->channel);
    sqlite3_bind_int64(stmt, 3, upper_id(q->before_id));
    sqlite3_bind_int(stmt, 4, q->limit + 1);
    if (rows(st, stmt, a, sizeof(**out), read_delivery, "list deliveries", &items, n, e) < 0)
        return -1;
    *more = *n > (size_t)q->limit;
    if (*more)
        *n = (size_t)q->limit;
    *out = items;
    return 0;
}

static int
read_attempt(sqlite3_stmt *st, struct arena *a, void *item)
{
    struct delivery_attempt *t = item;
    bool oom = false;

    t->id = sqlite3_column_int64(st, 0);
    t->delivery_id = sqlite3_column_int64(st, 1);
    t->at = sqlite3_column_int64(st, 2);
    t->duration_ms = sqlite3_column_int(st, 3);
    t->status = sqlite3_column_int(st, 4);
    t->ok = sqlite3_column_int(st, 5) != 0;
    t->error = sqlx_col_text(st, 6, a, &oom);
    return oom ? -1 : 0;
}

int
sqlx_delivery_get(struct store *st, int64_t id, struct arena *a, struct delivery **out,
                  struct delivery_attempt **attempts, size_t *n_attempts, struct err *e)
{
    static const char sql[] = DELIVERY_SELECT("NULL, NULL") " WHERE d.id = ?1";
    static const char tries[] = "SELECT id, delivery_id, at, duration_ms, status, ok, error"
                                " FROM delivery_attempts WHERE delivery_id = ?1 ORDER BY id";
    sqlite3_stmt *stmt = sqlx_stmt(st, sql, e);
    void *items = NULL, *log = NULL;
    size_t n = 0;

    if (stmt == NULL)
        return -1;
    sqlite3_bind_int64(stmt, 1, id);
    if (rows(st, stmt, a, sizeof(**out), read_delivery, "get delivery", &items, &n, e) < 0)
        return -1;
    if (n == 0)
        return err_set(e, ERR_NOT_FOUND, "id", "unknown", "no delivery %lld", (long long)id);
    if ((stmt = sqlx_stmt(st, tries, e)) == NULL)
        return -1;
    sqlite3_bind_int64(stmt, 1, id);
    if (rows(st, stmt, a, sizeof(**attempts), read_attempt, "list delivery attempts", &log,
             n_attempts, e) < 0)
        return -1;
    *out = items;
    *attempts = log;
    return 0;
}

int
sqlx_delivery_replay(struct store *st, int64_t id, int64_t now, struct err *e)
{
    static const char sql[] =
        "UPDATE deliveries SET status = 'pending', attempts = 0, replays = replays + 1,"
        " next_attempt_at = ?2 WHERE id = ?1 AND status = 'dead'";
    sqlite3_stmt *stmt;
    char have[16];

    if (delivery_status(st, id, have, e) < 0)
        return -1;
    if (strcmp(have, "dead") != 0)
        return err_set(e, ERR_CONFLICT, "status", "not_dead", "delivery %lld is %s",
                       (long long)id, have);
    if ((stmt = sqlx_stmt(st, sql, e)) == NULL)
        return -1;
    sqlite3_bind_int64(stmt, 1, id);
    sqlite3_bind_int64(stmt, 2, now);
    return sqlx_step_done(st, stmt, "replay delivery", e);
}

/* ---- message templates ---- */

#define TEMPLATE_SELECT                                                                        \
    "SELECT code, lang, subject, body, updated_at, updated_by FROM message_templates"

static int
read_template(sqlite3_stmt *st, struct arena *a, void *item)
{
    struct message_template *t = item;
    bool oom = false;

    t->code = sqlx_col_text(st, 0, a, &oom);
    t->lang = sqlx_col_text(st, 1, a, &oom);
    t->subject = sqlx_col_text(st, 2, a, &oom);
    t->body = sqlx_col_text(st, 3, a, &oom);
    t->updated_at = sqlite3_column_int64(st, 4);
    t->updated_by = sqlx_col_text(st, 5, a, &oom);
    return oom ? -1 : 0;
}

int
sqlx_template_list(struct store *st, struct arena *a, struct message_template **out, size_t *n,
                   struct err *e)
{
    static const char sql[] = TEMPLATE_SELECT " ORDER BY code, lang";
    sqlite3_stmt *stmt = sqlx_stmt(st, sql, e);
    void *items = NULL;

    if (stmt == NULL ||
        rows(st, stmt, a, sizeof(**out), read_template, "list templates", &items, n, e) < 0)
        return -1;
    *out = items;
    return 0;
}

int
sqlx_template_get(struct store *st, const char *code, const char *lang, struct arena *a,
                  struct message_template **out, struct err *e)
{
    static const char sql[] = TEMPLATE_SELECT " WHERE code = ?1 AND lang = ?2";
    sqlite3_stmt *stmt = sqlx_stmt(st, sql, e);
    void *items = NULL;
    size_t n = 0;

    if (stmt == NULL)
        return -1;
    sqlx_bind_text(stmt, 1, code);
    sqlx_bind_text(stmt, 2, lang);
    if (rows(st, stmt, a, sizeof(**out), read_template, "get template", &items, &n, e) < 0)
        return -1;
    if (n == 0)
        return err_set(e, ERR_NOT_FOUND, "code", "unknown", "no template of that code and lang");
    *out = items;
    return 0;
}

int
sqlx_template_put(struct store *st, const struct message_template *t, struct err *e)
{
    static const char sql[] = "UPDATE message_templates SET subject = ?3, body = ?4,"
                              " updated_at = ?5, updated_by = ?6 WHERE code = ?1 AND lang = ?2";
    sqlite3_stmt *stmt;

    if (empty(t->subject) || empty(t->body))
        return err_set(e, ERR_INVALID, empty(t->subject) ? "subject" : "body", "required",
                       "a template needs a subject and a body");
    if ((stmt = sqlx_stmt(st, sql, e)) == NULL)
        return -1;
    sqlx_bind_text(stmt, 1, t->code);
    sqlx_bind_text(stmt, 2, t->lang);
    sqlx_bind_text(stmt, 3, t->subject);
    sqlx_bind_text(stmt, 4, t->body);
    sqlite3_bind_int64(stmt, 5, t->updated_at);
    sqlx_bind_text(stmt, 6, t->updated_by);
    if (sqlx_step_done(st, stmt, "update template", e) < 0)
        return -1;
    if (sqlite3_changes(sqlx_db(st)) == 0)
        return err_set(e, ERR_NOT_FOUND, "code", "unknown", "no template of that code and lang");
    return 0;
}

/* ---- migration 7's data: the shipped customer messages ---- */

/*
 * Placeholders are notify/template.h's ({{number}} {{name}} {{subject}}
 * {{project}} {{status}} {{due}} {{result}}); a test checks these texts
 * against that list. An administrator edits them over the API.
 */
static const struct message_template shipped[] = {
    { "acknowledged", "zh", "您的投诉已受理(编号 {{number}})",
      "{{name}},您好!\n\n"
      "您反映的“{{subject}}”({{project}})已受理,投诉编号为 {{number}}。\n"
      "承诺答复时间:{{due}}。\n\n"
      "如需补充情况,请联系我们并提供上述编号。感谢您的理解与支持!\n\n"
      "{{project}} 客户服务中心",
      0, NULL },
    { "acknowledged", "en", "Your complaint has been received (No. {{number}})",
      "Dear {{name}},\n\n"
      "We have received your complaint \"{{subject}}\" ({{project}}). Its number is "
      "{{number}}.\n"
      "We promise to reply by: {{due}}.\n\n"
      "If you have more to tell us, please contact us quoting this number. Thank you for your "
      "patience.\n\n"
      "Customer Service Centre, {{project}}",
      0, NULL },
    { "progress", "zh", "投诉处理进展(编号 {{number}})",
      "{{name}},您好!\n\n"
      "您反映的“{{subject}}”(编号 {{number}})目前的处理状态为:{{status}}。\n"
      "我们正在持续跟进,下次告知您进展的时间:{{due}}。\n\n"
      "{{project}} 客户服务中心",
      0, NULL },
    { "progress", "en", "Progress on your complaint (No. {{number}})",
      "Dear {{name}},\n\n"
      "Your complaint \"{{subject}}\" (No. {{number}}) is now: {{status}}.\n"
      "We are following it up and will tell you more by: {{due}}.\n\n"
      "Customer Service Centre, {{project}}",
      0, NULL },
    { "resolved", "zh", "您的投诉已处理完毕(编号 {{number}})",
      "{{name}},您好!\n\n"
      "您反映的“{{subject}}”(编号 {{number}})已处理完毕。\n"
      "处理结果:{{result}}\n\n"
      "如您对处理结果有任何意见,请随时与我们联系。\n\n"
      "{{project}} 客户服务中心",
      0, NULL },
    { "resolved", "en", "Your complaint has been resolved (No. {{number}})",
      "Dear {{name}},\n\n"
      "Your complaint \"{{subject}}\" (No. {{number}}) has been dealt with.\n"
      "What we did: {{result}}\n\n"
      "If you are not satisfied with the result, please contact us at any time.\n\n"
      "Customer Service Centre, {{project}}",
      0, NULL },
    { "followup", "zh", "投诉回访(编号 {{number}})",
      "{{name}},您好!\n\n"
      "您反映的“{{subject}}”(编号 {{number}})已办结。我们近期将就处理情况与您回访,"
      "诚请您对我们的服务提出宝贵意见。\n\n"
      "{{project}} 客户服务中心",
      0, NULL },
    { "followup", "en", "Following up your complaint (No. {{number}})",
      "Dear {{name}},\n\n"
      "Your complaint \"{{subject}}\" (No. {{number}}) is closed. We will contact you soon to "
      "ask how it was handled; we would value your opinion of our service.\n\n"
      "Customer Service Centre, {{project}}",
      0, NULL },
};

int
sqlx_seed_notify(struct store *st, int64_t now, struct err *e)
{
    /* run once, in the migration's transaction: a plain statement, not a cached one */
    static const char sql[] = "INSERT INTO message_templates (code, lang, subject, body,"
                              " updated_at, updated_by) VALUES (?1, ?2, ?3, ?4, ?5, NULL)";
    sqlite3_stmt *stmt;
    int rc = sqlite3_prepare_v2(sqlx_db(st), sql, -1, &stmt, NULL);

    if (rc != SQLITE_OK)
        return sqlx_fail(st, rc, "prepare template", e);
    for (size_t i = 0; rc == SQLITE_OK && i < sizeof(shipped) / sizeof(shipped[0]); i++) {
        sqlite3_bind_text(stmt, 1, shipped[i].code, -1, SQLITE_STATIC);
        sqlite3_bind_text(stmt, 2, shipped[i].lang, -1, SQLITE_STATIC);
        sqlite3_bind_text(stmt, 3, shipped[i].subject, -1, SQLITE_STATIC);
        sqlite3_bind_text(stmt, 4, shipped[i].body, -1, SQLITE_STATIC);
        sqlite3_bind_int64(stmt, 5, now);
        rc = sqlite3_step(stmt) == SQLITE_DONE ? SQLITE_OK : sqlite3_errcode(sqlx_db(st));
        sqlite3_reset(stmt);
    }
    sqlite3_finalize(stmt);
    if (rc != SQLITE_OK)
        return sqlx_fail(st, rc, "insert template", e);
    return 0;
}
