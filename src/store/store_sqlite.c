/*
 * The SQLite backend: the embedded default. One struct store_sqlite is one
 * connection. The database runs in WAL mode with synchronous=FULL, so a
 * commit that returned is on disk (it survives kill -9 and power loss) and
 * readers never wait for the writer. Statements used on hot paths are
 * prepared once per connection and kept.
 */
#include "store/store_sqlite.h"
#include "store/sqlite_int.h"
#include "store/store_sqlite_calendar.h"
#include "store/store_sqlite_notify.h"
#include "store/store_sqlite_sched.h"
#include "core/account.h"
#include "core/grading.h"
#include "core/perm.h"
#include "core/taxonomy.h"
#include "store/fts.h"
#include "store/schema_sqlite.h"
#include "util/alloc.h"
#include "util/ts.h"

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#define SQLX_EXT_MAX 160   /* statements of the files beside this one */

enum stmt_id {
    S_PROJECT_BY_CODE,
    S_BUILDING_BY_NAME,
    S_UNIT_BY_NAME,
    S_STAFF_BY_LOGIN,
    S_STAFF_NAME,
    S_CATEGORY_BY_CODE,
    S_TOP_CATEGORY,
    S_COMPLAINANT_BY_PHONE,
    S_COMPLAINANT_BY_EMAIL,
    S_COMPLAINANT_INSERT,
    S_NUMBER_NEXT,
    S_COMPLAINT_INSERT,
    S_FTS_INSERT,
    S_MAX_ID,
    S_COMPLAINT_BY_NUMBER,
    S_COMPLAINT_BY_ID,
    S_EVENT_NEXT_SEQ,
    S_EVENT_INSERT,
    S_EVENT_LIST,
    S_BLOB_BY_SHA,
    S_BLOB_INSERT,
    S_ATTACHMENT_INSERT,
    S_ATTACHMENT_LIST,
    S_ATTACHMENT_GET,
    S_IDEM_GET,
    S_IDEM_PUT,
    S_STAFF_GET,
    S_DEPARTMENT_BY_CODE,
    S_ROLE_COUNT,
    S_AUDIT_LAST,
    S_AUDIT_INSERT,
    S_AUDIT_SCAN,
    S_STAFF_BY_ID,
    S_SESSION_BY_HASH,
    S_TOKEN_BY_HASH,
    S_SESSION_TOUCH,
    S_TOKEN_TOUCH,
    S_SESSION_EXISTS,
    S_TOKEN_EXISTS,
    S_TOKEN_LIVE_BY_NAME,
    S_AUDIT_NEWEST,
    S_AUDIT_BY_OBJECT,
    S_AUDIT_BY_ACTOR,
    S_AUDIT_BY_ACTION,
    S_AUDIT_BY_PREFIX,
    S_AUDIT_BY_TIME,
    /* migration 5 */
    S_COMPLAINT_EXISTS,
    S_COMPLAINT_REFS,
    S_CATEGORY_ANY,
    S_DEPARTMENT_FOR,
    S_DEPARTMENT_ANY,
    S_PEOPLE_LIST,
    S_PEOPLE_NEXT_SEQ,
    S_PEOPLE_INSERT,
    S_PEOPLE_HAS,
    S_PERSON_EXISTS,
    S_SIMILAR_COUNT,
    S_SIMILAR_IDS,
    S_COMPENSATION_INSERT,
    S_COMPENSATION_DECIDE,
    S_COMPENSATION_AGREE,
    S_COMPENSATION_LIST,
    S_FOLLOWUP_BY_KEY,
    S_FOLLOWUP_INSERT,
    S_FOLLOWUP_GET,
    S_FOLLOWUPS_OF,
    S_GRADE_SET,
    S_FOLLOWUP_STATE,
    S_FOLLOWUP_DONE,
    S_FOLLOWUP_RATINGS,
    S_RATING_INSERT,
    S_CLOSED_BETWEEN,
    S_STAFF_IN_ROLE,
    S_CASE_PUT,
    S_CASE_MARK,
    S_CASE_GET,
    S_CASE_LIST,
    S_HISTORY,
    S_DISPATCH_FIND,
    S_COUNT,
};

/* The columns of a complaint with its references resolved; see read_complaint(). */
#define COMPLAINT_COLUMNS                                                                      \
    "SELECT c.id, c.number, c.status, c.kind, c.nature, c.grade, c.channel, c.comm_type,"    \
    " c.received_at, c.registered_at, s.login, s.name, p.code, p.name, b.name, u.name,"      \
    " c.complainant_id, c.c_name, c.c_phone, c.c_email, c.c_role, c.c_anonymous,"            \
    " c.headcount, c.subject, c.content, c.demands, cat.code, cat.name_zh, cat.name_en,"     \
    " sub.code, sub.name_zh, sub.name_en, c.flags, c.loss_fen, d.code, d.name, h.login,"     \
    " h.name, c.raised, c.reopenings, c.grade_overrides, c.result, c.close_response,"         \
    " c.resolved_at, c.closed_at, c.is_case"
#define COMPLAINT_JOINS                                                                        \
    " JOIN projects p ON p.id = c.project_id"                                                 \
    " LEFT JOIN staff s ON s.id = c.received_by"                                              \
    " LEFT JOIN buildings b ON b.id = c.building_id"                                          \
    " LEFT JOIN units u ON u.id = c.unit_id"                                                  \
    " LEFT JOIN categories cat ON cat.id = c.category_id"                                     \
    " LEFT JOIN categories sub ON sub.id = c.subcategory_id"                                  \
    " LEFT JOIN departments d ON d.id = c.department_id"                                      \
    " LEFT JOIN staff h ON h.id = c.handler_id"
#define COMPLAINT_SELECT COMPLAINT_COLUMNS " FROM complaints c" COMPLAINT_JOINS
/* the full-text index first, in its (time) order; see build_search_by_time() */
#define COMPLAINT_SELECT_FROM_FTS                                                              \
    COMPLAINT_COLUMNS " FROM complaint_fts f"                                                 \
    " JOIN complaints c ON c.id = (f.rowid & 4294967295)" COMPLAINT_JOINS

/*
 * A staff member with their memberships: one row per membership, or one row
 * with a NULL role when there is none (see read_staff()). `hash` is the
 * password hash column, or NULL where hashes must not be loaded.
 */
#define STAFF_SELECT(hash)                                                                     \
    "SELECT s.id, s.login, s.name, s.phone, s.email, s.status,"                              \
    " s.password_hash IS NOT NULL, " hash ", s.created_at, s.password_changed_at,"           \
    " m.role, p.code, d.code FROM staff s"                                                    \
    " LEFT JOIN memberships m ON m.staff_id = s.id"                                           \
    " LEFT JOIN projects p ON p.id = m.project_id"                                            \
    " LEFT JOIN departments d ON d.id = m.department_id"
/* company-wide first, then by project and department, as they were created */
#define MEMBERSHIP_ORDER " m.project_id, m.department_id, m.role"

/*
 * A session or token as read_credential() reads it: the same columns for
 * both kinds, NULL where a kind has no such thing. Column 1 is the owner's id.
 */
#define SESSION_SELECT                                                                         \
    "SELECT c.id, c.staff_id, c.created_at, c.last_used_at, c.expires_at, c.revoked_at,"     \
    " c.csrf, NULL, NULL, NULL, NULL FROM sessions c"
#define TOKEN_COLUMNS                                                                          \
    "SELECT c.id, c.staff_id, c.created_at, c.last_used_at, NULL, c.revoked_at,"             \
    " NULL, c.name, c.scopes, p.code, c.created_by"
#define TOKEN_FROM " FROM api_tokens c LEFT JOIN projects p ON p.id = c.project_id"

#define AUDIT_COLUMNS                                                                          \
    "SELECT id, at, actor, address, action, object, detail, prev_hash, hash FROM audit_log"
/*
 * The auditors' query: every filter, each one ignored while its parameter is
 * NULL. ?1 actor, ?2 object, ?3 the action (exact), or with ?4 the range
 * [?3, ?4) of a prefix, ?5 and ?6 the time range, ?7 the cursor, ?8 the limit.
 * The planner cannot use an index for "?1 IS NULL OR actor = ?1" (it does not
 * look at bound values), so each variant repeats one filter as a plain term
 * that an index serves; sq_audit_query() picks the variant.
 */
#define AUDIT_QUERY(drive)                                                                     \
    AUDIT_COLUMNS " WHERE " drive " AND (?1 IS NULL OR actor = ?1)"                          \
    " AND (?2 IS NULL OR object = ?2)"                                                        \
    " AND (?3 IS NULL OR action = ?3 OR (action >= ?3 AND action < ?4))"                      \
    " AND (?5 IS NULL OR at >= ?5) AND (?6 IS NULL OR at < ?6)"                               \
    " AND id < ?7 ORDER BY id DESC LIMIT ?8"

/*
 * Similar complaints (the grading rule): served by complaints_similar, a range
 * of received_at under one (project, category, building), newest first; ?6
 * the unit or NULL. See sq_similar_find() for the plan.
 */
#define SIMILAR_WHERE                                                                          \
    " FROM complaints WHERE project_id = ?1 AND category_id = ?2 AND building_id = ?3"       \
    " AND received_at BETWEEN ?4 AND ?5 AND (?6 IS NULL OR unit_id = ?6)"                     \
    " AND status <> 'invalid'"
#define SIMILAR_MAX 1000

/* A follow-up as read_followup() reads it. */
#define FOLLOWUP_SELECT                                                                        \
    "SELECT f.id, f.complaint_id, c.number, p.code, c.subject, f.kind, f.month, f.cycle,"    \
    " a.login, a.name, f.status, f.created_at, f.due_at, f.done_at, d.login, f.outcome,"     \
    " f.satisfaction, f.comment, f.attempts, f.score FROM followups f"                        \
    " JOIN complaints c ON c.id = f.complaint_id JOIN projects p ON p.id = c.project_id"      \
    " LEFT JOIN staff a ON a.id = f.assignee_id LEFT JOIN staff d ON d.id = f.done_by"

/* A case as read_case() reads it. */
#define CASE_SELECT                                                                            \
    "SELECT k.complaint_id, c.number, p.code, c.grade, cat.code, c.subject, k.summary,"      \
    " k.lessons, s.login, k.marked_at FROM cases k"                                           \
    " JOIN complaints c ON c.id = k.complaint_id JOIN projects p ON p.id = c.project_id"      \
    " LEFT JOIN categories cat ON cat.id = c.category_id JOIN staff s ON s.id = k.marked_by"

static const char *const stmt_sql[S_COUNT] = {
    [S_PROJECT_BY_CODE] = "SELECT id, number_prefix FROM projects WHERE code = ?1",
    [S_BUILDING_BY_NAME] = "SELECT id FROM buildings WHERE project_id = ?1 AND name = ?2",
    [S_UNIT_BY_NAME] = "SELECT id FROM units WHERE building_id = ?1 AND name = ?2",
    [S_STAFF_BY_LOGIN] = "SELECT id FROM staff WHERE login = ?1",
    [S_STAFF_NAME] = "SELECT name FROM staff WHERE id = ?1",
    [S_CATEGORY_BY_CODE] =
        "SELECT id FROM categories WHERE parent_id = ?1 AND code = ?2 AND retired = 0",
    [S_TOP_CATEGORY] = "SELECT id FROM categories WHERE parent_id = 0 AND code = ?1",
    [S_COMPLAINANT_BY_PHONE] = "SELECT id FROM complainants WHERE phone = ?1",
    [S_COMPLAINANT_BY_EMAIL] =
        "SELECT id FROM complainants WHERE phone IS NULL AND email = ?1 ORDER BY id LIMIT 1",
    [S_COMPLAINANT_INSERT] =
        "INSERT INTO complainants (phone, email, name, created_at) VALUES (?1, ?2, ?3, ?4)",
    [S_NUMBER_NEXT] = "INSERT INTO number_series (prefix, year, last) VALUES (?1, ?2, 1)"
                      " ON CONFLICT (prefix, year) DO UPDATE SET last = last + 1 RETURNING last",
    [S_COMPLAINT_INSERT] =
        "INSERT INTO complaints (number, status, kind, nature, channel, comm_type, received_at,"
        " registered_at, received_by, project_id, building_id, unit_id, complainant_id, c_name,"
        " c_phone, c_email, c_role, c_anonymous, headcount, subject, content, demands,"
        " category_id, subcategory_id, flags, loss_fen) VALUES (?1, ?2, ?3, 'undetermined', ?4,"
        " ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22,"
        " ?23, ?24, ?25)",
    [S_FTS_INSERT] = "INSERT INTO complaint_fts (rowid, subject, content, demands, who)"
                     " SELECT fts_key, subject, content, demands, who FROM complaint_search"
                     " WHERE id > ?1",
    [S_MAX_ID] = "SELECT coalesce(max(id), 0) FROM complaints",
    [S_COMPLAINT_BY_NUMBER] = COMPLAINT_SELECT " WHERE c.number = ?1",
    [S_COMPLAINT_BY_ID] = COMPLAINT_SELECT " WHERE c.id = ?1",
    [S_EVENT_NEXT_SEQ] = "SELECT coalesce(max(seq), 0) + 1 FROM events WHERE complaint_id = ?1",
    [S_EVENT_INSERT] = "INSERT INTO events (complaint_id, seq, type, at, author_id, visibility,"
                       " text, data) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, coalesce(?8, '{}'))",
    [S_EVENT_LIST] = "SELECT e.id, e.seq, e.type, e.at, s.login, s.name, e.visibility, e.text,"
                     " e.data FROM events e LEFT JOIN staff s ON s.id = e.author_id"
                     " WHERE e.complaint_id = ?1 ORDER BY e.seq",
    [S_BLOB_BY_SHA] = "SELECT id FROM blobs WHERE sha256 = ?1",
    [S_BLOB_INSERT] = "INSERT INTO blobs (sha256, size, data) VALUES (?1, ?2, ?3)",
    [S_ATTACHMENT_INSERT] = "INSERT INTO attachments (complaint_id, blob_id, name, content_type,"
                            " size, uploaded_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    [S_ATTACHMENT_LIST] = "SELECT a.id, a.name, a.content_type, a.size, b.sha256, a.uploaded_at"
                          " FROM attachments a JOIN blobs b ON b.id = a.blob_id"
                          " WHERE a.complaint_id = ?1 ORDER BY a.id",
    [S_ATTACHMENT_GET] = "SELECT a.id, a.name, a.content_type, a.size, b.sha256, a.uploaded_at,"
                         " b.data FROM attachments a JOIN blobs b ON b.id = a.blob_id"
                         " WHERE a.complaint_id = ?1 AND a.id = ?2",
    [S_IDEM_GET] = "SELECT request_hash, status, body FROM idempotency WHERE key = ?1",
    [S_IDEM_PUT] = "INSERT INTO idempotency (key, request_hash, status, body, created_at)"
                   " VALUES (?1, ?2, ?3, ?4, ?5)",
    [S_STAFF_GET] = STAFF_SELECT("s.password_hash") " WHERE s.login = ?1 ORDER BY" MEMBERSHIP_ORDER,
    [S_DEPARTMENT_BY_CODE] = "SELECT id FROM departments WHERE project_id = ?1 AND code = ?2",
    [S_ROLE_COUNT] = "SELECT count(DISTINCT m.staff_id) FROM memberships m"
                     " JOIN staff s ON s.id = m.staff_id"
                     " WHERE m.role = ?1 AND s.status = 'active'",
    [S_AUDIT_LAST] = "SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1",
    [S_AUDIT_INSERT] = "INSERT INTO audit_log (id, at, actor, address, action, object, detail,"
                       " prev_hash, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    [S_AUDIT_SCAN] = AUDIT_COLUMNS " WHERE id > ?1 ORDER BY id LIMIT ?2",
    [S_STAFF_BY_ID] = STAFF_SELECT("NULL") " WHERE s.id = ?1 ORDER BY" MEMBERSHIP_ORDER,
    [S_SESSION_BY_HASH] = SESSION_SELECT " WHERE c.token_hash = ?1",
    [S_TOKEN_BY_HASH] = TOKEN_COLUMNS TOKEN_FROM " WHERE c.token_hash = ?1",
    [S_SESSION_TOUCH] = "UPDATE sessions SET last_used_at = ?2 WHERE id = ?1",
    [S_TOKEN_TOUCH] = "UPDATE api_tokens SET last_used_at = ?2 WHERE id = ?1",
    [S_SESSION_EXISTS] = "SELECT id FROM sessions WHERE id = ?1",
    [S_TOKEN_EXISTS] = "SELECT id FROM api_tokens WHERE id = ?1",
    [S_TOKEN_LIVE_BY_NAME] = "SELECT id FROM api_tokens WHERE name = ?1 AND revoked_at IS NULL",
    [S_AUDIT_NEWEST] = AUDIT_QUERY("1"),
    [S_AUDIT_BY_OBJECT] = AUDIT_QUERY("object = ?2"),
    [S_AUDIT_BY_ACTOR] = AUDIT_QUERY("actor = ?1"),
    [S_AUDIT_BY_ACTION] = AUDIT_QUERY("action = ?3"),
    [S_AUDIT_BY_PREFIX] = AUDIT_QUERY("action >= ?3 AND action < ?4"),
    [S_AUDIT_BY_TIME] = AUDIT_QUERY("at >= ?5 AND at < ?6"),
    [S_COMPLAINT_EXISTS] = "SELECT id FROM complaints WHERE id = ?1",
    [S_COMPLAINT_REFS] = "SELECT project_id, category_id FROM complaints WHERE id = ?1",
    [S_CATEGORY_ANY] = "SELECT id, retired FROM categories WHERE parent_id = ?1 AND code = ?2",
    /* the project's own department first, then the company's */
    [S_DEPARTMENT_FOR] = "SELECT id FROM departments WHERE project_id IN (?1, 0) AND code = ?2"
                         " ORDER BY project_id DESC LIMIT 1",
    [S_DEPARTMENT_ANY] = "SELECT id FROM departments WHERE code = ?1 LIMIT 1",
    [S_PEOPLE_LIST] = "SELECT seq, complainant_id, name, phone, email, role, anonymous"
                      " FROM complaint_people WHERE complaint_id = ?1 ORDER BY seq",
    [S_PEOPLE_NEXT_SEQ] =
        "SELECT coalesce(max(seq), 1) + 1 FROM complaint_people WHERE complaint_id = ?1",
    [S_PEOPLE_INSERT] = "INSERT INTO complaint_people (complaint_id, seq, complainant_id, name,"
                        " phone, email, role, anonymous, created_at)"
                        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    [S_PEOPLE_HAS] = "SELECT 1 FROM complaints WHERE id = ?1 AND complainant_id = ?2"
                     " UNION ALL SELECT 1 FROM complaint_people"
                     " WHERE complaint_id = ?1 AND complainant_id = ?2 LIMIT 1",
    [S_PERSON_EXISTS] = "SELECT seq FROM complaint_people WHERE complaint_id = ?1 AND seq = ?2",
    /* an anonymous complaint is its own complainant; LIMIT stops at the cap (-1: none) */
    [S_SIMILAR_COUNT] =
        "SELECT count(*) FROM (SELECT DISTINCT coalesce(complainant_id, -id)" SIMILAR_WHERE
        " LIMIT ?7)",
    [S_SIMILAR_IDS] = "SELECT id" SIMILAR_WHERE " ORDER BY received_at DESC LIMIT ?7",
    [S_COMPENSATION_INSERT] =
        "INSERT INTO compensations (complaint_id, type, amount_fen, reason, status, proposed_by,"
        " proposed_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    [S_COMPENSATION_DECIDE] =
        "UPDATE compensations SET status = ?3, decided_by = ?4, decided_at = ?5,"
        " decision_reason = ?6 WHERE id = ?2 AND complaint_id = ?1",
    /* the agreement keeps the decision (the approving manager) and adds its own author */
    [S_COMPENSATION_AGREE] =
        "UPDATE compensations SET status = ?3, agreed_by = ?4, agreed_at = ?5"
        " WHERE id = ?2 AND complaint_id = ?1",
    [S_COMPENSATION_LIST] =
        "SELECT k.id, k.type, k.reason, k.amount_fen, k.status, p.login, d.login,"
        " k.decision_reason, k.proposed_at, k.decided_at, g.login, k.agreed_at"
        " FROM compensations k"
        " JOIN staff p ON p.id = k.proposed_by LEFT JOIN staff d ON d.id = k.decided_by"
        " LEFT JOIN staff g ON g.id = k.agreed_by"
        " WHERE k.complaint_id = ?1 ORDER BY k.id",
    [S_FOLLOWUP_BY_KEY] =
        "SELECT id FROM followups WHERE complaint_id = ?1 AND kind = ?2 AND cycle = ?3",
    [S_FOLLOWUP_INSERT] = "INSERT INTO followups (complaint_id, kind, month, cycle, assignee_id,"
                          " created_at, due_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    [S_FOLLOWUP_GET] = FOLLOWUP_SELECT " WHERE f.id = ?1",
    /* the grading rules raise a grade on most registrations: prepared once */
    [S_GRADE_SET] = "UPDATE complaints SET grade = ?2 WHERE id = ?1",
    /* the follow-ups of one complaint, on every GET of it: prepared once */
    [S_FOLLOWUPS_OF] = FOLLOWUP_SELECT " WHERE f.complaint_id = ?1 ORDER BY f.due_at, f.id LIMIT ?2",
    [S_FOLLOWUP_STATE] = "SELECT complaint_id, status = 'open' FROM followups WHERE id = ?1",
    [S_FOLLOWUP_DONE] =
        "UPDATE followups SET status = 'done', done_at = ?2, done_by = ?3, outcome = ?4,"
        " attempts = ?5, satisfaction = ?6, score = ?7, comment = ?8"
        " WHERE id = ?1 AND status = 'open'",
    [S_FOLLOWUP_RATINGS] = "SELECT person, satisfaction, score, comment FROM followup_ratings"
                           " WHERE followup_id = ?1 ORDER BY person",
    [S_RATING_INSERT] = "INSERT INTO followup_ratings (followup_id, person, satisfaction, score,"
                        " comment) VALUES (?1, ?2, ?3, ?4, ?5)",
    [S_CLOSED_BETWEEN] = "SELECT c.id, c.number, p.code, c.reopenings FROM complaints c"
                         " JOIN projects p ON p.id = c.project_id"
                         " WHERE c.closed_at >= ?1 AND c.closed_at < ?2 ORDER BY c.id",
    [S_STAFF_IN_ROLE] =
        "SELECT s.login, s.name, (SELECT count(*) FROM followups f"
        " WHERE f.assignee_id = s.id AND f.status = 'open') FROM staff s"
        " WHERE s.status = 'active' AND s.id IN (SELECT m.staff_id FROM memberships m"
        " WHERE m.project_id = ?1 AND m.role = ?2) ORDER BY s.login",
    [S_CASE_PUT] = "INSERT INTO cases (complaint_id, summary, lessons, marked_by, marked_at)"
                   " VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (complaint_id) DO UPDATE SET"
                   " summary = excluded.summary, lessons = excluded.lessons,"
                   " marked_by = excluded.marked_by, marked_at = excluded.marked_at",
    [S_CASE_MARK] = "UPDATE complaints SET is_case = 1 WHERE id = ?1",
    [S_CASE_GET] = CASE_SELECT " WHERE k.complaint_id = ?1",
    [S_CASE_LIST] = CASE_SELECT " WHERE ?1 IS NULL OR instr(c.subject, ?1) > 0"
                    " OR instr(k.summary, ?1) > 0 OR instr(k.lessons, ?1) > 0"
                    " ORDER BY k.marked_at DESC, k.complaint_id DESC LIMIT ?2",
    /* the complaints they raised and those they joined; see sq_history_list() */
    [S_HISTORY] =
        "SELECT c.number, p.code, c.subject, c.status, c.grade, c.received_at,"
        " (SELECT f.satisfaction FROM followups f WHERE f.complaint_id = c.id"
        "  AND f.status = 'done' ORDER BY f.done_at DESC, f.id DESC LIMIT 1),"
        " (SELECT coalesce(sum(k.amount_fen), 0) FROM compensations k"
        "  WHERE k.complaint_id = c.id AND k.status = 'agreed')"
        " FROM (SELECT id FROM complaints WHERE complainant_id = ?1"
        "  UNION SELECT complaint_id FROM complaint_people WHERE complainant_id = ?1) h"
        " CROSS JOIN complaints c ON c.id = h.id JOIN projects p ON p.id = c.project_id"
        " WHERE c.id <> ?2 ORDER BY c.received_at DESC, c.id DESC LIMIT ?3",
    /* a rule of the project first, then the one for every project */
    [S_DISPATCH_FIND] = "SELECT department_code FROM dispatch_rules WHERE category_id = ?1"
                        " AND (project_id = ?2 OR project_id IS NULL)"
                        " ORDER BY project_id IS NULL LIMIT 1",
};

struct store_sqlite {
    struct store super;
    sqlite3 *db;
    int savepoints;                /* depth of open savepoints */
    bool fts_pending;              /* complaints of this transaction await indexing */
    int64_t fts_after;             /* ...those with an id above this */
    sqlite3_stmt *stmts[S_COUNT];  /* prepared on first use, kept */
    /* the other files' statements (sqlite_int.h), found by their SQL's address */
    struct { const char *sql; sqlite3_stmt *stmt; } ext[SQLX_EXT_MAX];
    size_t n_ext;
};

static struct store_sqlite *
to_sqlite(struct store *st)
{
    return (struct store_sqlite *)st;
}

/* Map an SQLite result code to ours; the message goes to the log detail only. */
static int
fail(struct store_sqlite *s, int rc, const char *what, struct err *e)
{
    enum err_code code = ERR_STORE;

    switch (rc & 0xFF) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        code = ERR_BUSY;
        break;
    case SQLITE_NOMEM:
        code = ERR_NOMEM;
        break;
    case SQLITE_FULL:
    case SQLITE_IOERR:
    default:
        break;
    }
    return err_set(e, code, NULL, "store", "sqlite: %s: %s (%d)", what,
                   s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc), rc);
}

static sqlite3_stmt *
stmt(struct store_sqlite *s, enum stmt_id id, struct err *e)
{
    sqlite3_stmt *st = s->stmts[id];
    int rc;

    if (st == NULL) {
        rc = sqlite3_prepare_v3(s->db, stmt_sql[id], -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);
        if (rc != SQLITE_OK) {
            fail(s, rc, "prepare", e);
            return NULL;
        }
        s->stmts[id] = st;
    }
    return st;
}

static void
done(sqlite3_stmt *st)
{
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
}

static int
bind_text(sqlite3_stmt *st, int i, const char *s)
{
    if (s == NULL)
        return sqlite3_bind_null(st, i);
    return sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
}

static int
bind_id(sqlite3_stmt *st, int i, int64_t id)
{
    if (id == 0)
        return sqlite3_bind_null(st, i);
    return sqlite3_bind_int64(st, i, id);
}

/* A column as an arena string; NULL stays NULL. */
static const char *
col_text(sqlite3_stmt *st, int i, struct arena *a, bool *oom)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    char *copy;

    if (t == NULL)
        return NULL;
    copy = arena_strndup(a, (const char *)t, (size_t)sqlite3_column_bytes(st, i));
    if (copy == NULL)
        *oom = true;
    return copy;
}

static int
oom_error(struct arena *a, struct err *e)
{
    if (arena_over_limit(a))
        return err_set(e, ERR_TOO_LARGE, NULL, "too_large", "request arena limit reached");
    return err_set(e, ERR_NOMEM, NULL, "nomem", "out of memory");
}

/* Run a statement that returns at most one row with one integer; ERR_NOT_FOUND when no row. */
static int
one_id(struct store_sqlite *s, sqlite3_stmt *st, int64_t *out, struct err *e)
{
    int rc = sqlite3_step(st);

    if (rc == SQLITE_ROW) {
        *out = sqlite3_column_int64(st, 0);
        done(st);
        return 0;
    }
    done(st);
    if (rc == SQLITE_DONE)
        return err_set(e, ERR_NOT_FOUND, NULL, "unknown", "no row");
    return fail(s, rc, "step", e);
}

static int
exec(struct store_sqlite *s, const char *sql, struct err *e)
{
    int rc = sqlite3_exec(s->db, sql, NULL, NULL, NULL);

    if (rc != SQLITE_OK)
        return fail(s, rc, sql, e);
    return 0;
}

/* ---- transactions ---- */

static int
sq_tx_begin(struct store *st, struct err *e)
{
    struct store_sqlite *s = to_sqlite(st);

    s->fts_pending = false;
    /* IMMEDIATE takes the write lock now, so a busy database shows here, not mid-way. */
    return exec(s, "BEGIN IMMEDIATE", e);
}

/*
 * Complaints are indexed for search once per transaction, just before the
 * commit, in one statement. Why not row by row: once FTS5 takes part in a
 * transaction, every savepoint (one per job of a group commit, and SQLite's
 * own per statement) makes it flush its pending terms into a new segment, so
 * indexing each complaint as it is inserted wrote one segment per complaint
 * and spent a fifth of the writer's time there. The write lock, held since
 * BEGIN IMMEDIATE, makes every complaint above the id noted at the first
 * insert this transaction's own; rolled-back jobs left no rows.
 */
static int
note_fts_start(struct store_sqlite *s, struct err *e)
{
    sqlite3_stmt *st;

    if (s->fts_pending)
        return 0;
    st = stmt(s, S_MAX_ID, e);
    if (st == NULL || one_id(s, st, &s->fts_after, e) < 0)
        return -1;
    s->fts_pending = true;
    return 0;
}

static int
index_pending(struct store_sqlite *s, struct err *e)
{
    sqlite3_stmt *st;
    int rc;

    if (!s->fts_pending)
        return 0;
    st = stmt(s, S_FTS_INSERT, e);
    if (st == NULL)
        return -1;
    sqlite3_bind_int64(st, 1, s->fts_after);
    rc = sqlite3_step(st);
    done(st);
    if (rc != SQLITE_DONE)
        return fail(s, rc, "index complaints", e);
    s->fts_pending = false;
    return 0;
}

static int
sq_tx_commit(struct store *st, struct err *e)
{
    struct store_sqlite *s = to_sqlite(st);

    if (index_pending(s, e) < 0)
        return -1;
    return exec(s, "COMMIT", e);
}

static void
sq_tx_rollback(struct store *st)
{
    struct store_sqlite *s = to_sqlite(st);

    if (!sqlite3_get_autocommit(s->db))
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    s->savepoints = 0;
    s->fts_pending = false;
}

static int
sq_savepoint(struct store *st, struct err *e)
{
    struct store_sqlite *s = to_sqlite(st);

    if (exec(s, "SAVEPOINT job", e) < 0)
        return -1;
    s->savepoints++;
    return 0;
}

static int
sq_savepoint_release(struct store *st, struct err *e)
{
    struct store_sqlite *s = to_sqlite(st);

    if (exec(s, "RELEASE job", e) < 0)
        return -1;
    s->savepoints--;
    return 0;
}

static int
sq_savepoint_rollback(struct store *st, struct err *e)
{
    struct store_sqlite *s = to_sqlite(st);

    s->savepoints--;
    /* if the undo fails, releasing would commit the job's half: say so instead */
    if (exec(s, "ROLLBACK TO job", e) < 0)
        return -1;
    return exec(s, "RELEASE job", e);
}

static int
sq_set_durable(struct store *st, bool durable, struct err *e)
{
    return exec(to_sqlite(st), durable ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = OFF",
                e);
}

static int
schema_version(struct store_sqlite *s, int *version, struct err *e)
{
    sqlite3_stmt *st;
    int rc;

    *version = 0;
    rc = sqlite3_prepare_v2(s->db,
                            "SELECT coalesce(max(version), 0) FROM schema_migrations", -1, &st,
                            NULL);
    if (rc != SQLITE_OK) {
        /* no table yet: a new database */
        if (strstr(sqlite3_errmsg(s->db), "no such table") != NULL)
            return 0;
        return fail(s, rc, "schema version", e);
    }
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *version = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW)
        return fail(s, rc, "schema version", e);
    return 0;
}

static int
sq_health(struct store *st, int *version, struct err *e)
{
    return schema_version(to_sqlite(st), version, e);
}

/* ---- migrations ---- */

static int
insert_category(struct store_sqlite *s, int64_t parent, const struct taxonomy_entry *t, int sort,
                int64_t *id, struct err *e)
{
    static const char sql[] =
        "INSERT INTO categories (parent_id, code, name_zh, name_en, description_zh,"
        " description_en, sort) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);

    if (rc != SQLITE_OK)
        return fail(s, rc, "prepare category", e);
    sqlite3_bind_int64(st, 1, parent);
    bind_text(st, 2, t->code);
    bind_text(st, 3, t->name_zh);
    bind_text(st, 4, t->name_en);
    bind_text(st, 5, t->description_zh ? t->description_zh : "");
    bind_text(st, 6, t->description_en ? t->description_en : "");
    sqlite3_bind_int(st, 7, sort);
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return fail(s, rc, "insert category", e);
    *id = sqlite3_last_insert_rowid(s->db);
    return 0;
}

static int
seed_taxonomy(struct store_sqlite *s, const struct taxonomy_preset *p, struct err *e)
{
    int sort = 0;

    for (const struct taxonomy_entry *t = p->entries; t->code != NULL; t++) {
        int64_t id, sub_id;
        int sub_sort = 0;
        if (insert_category(s, 0, t, sort++, &id, e) < 0)
            return -1;
        for (const struct taxonomy_entry *c = t->subs; c != NULL && c->code != NULL; c++)
            if (insert_category(s, id, c, sub_sort++, &sub_id, e) < 0)
                return -1;
    }
    return 0;
}

static int
setting_get(struct store_sqlite *s, const char *key, char *out, size_t size, struct err *e)
{
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(s->db, "SELECT value FROM settings WHERE key = ?1", -1, &st, NULL);

    out[0] = '\0';
    if (rc != SQLITE_OK)
        return fail(s, rc, "prepare setting", e);
    bind_text(st, 1, key);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        snprintf(out, size, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return fail(s, rc, "read setting", e);
    return 0;
}

static int
setting_put(struct store_sqlite *s, const char *key, const char *value, struct err *e)
{
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(s->db,
                                "INSERT INTO settings (key, value) VALUES (?1, ?2)"
                                " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                                -1, &st, NULL);

    if (rc != SQLITE_OK)
        return fail(s, rc, "prepare setting", e);
    bind_text(st, 1, key);
    bind_text(st, 2, value);
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return fail(s, rc, "write setting", e);
    return 0;
}

static int
apply_migration(struct store_sqlite *s, const struct sqlite_migration *m, int64_t now,
                struct err *e)
{
    sqlite3_stmt *st;
    int rc;

    if (exec(s, m->sql, e) < 0)
        return -1;
    rc = sqlite3_prepare_v2(s->db,
                            "INSERT INTO schema_migrations (version, name, applied_at)"
                            " VALUES (?1, ?2, ?3)",
                            -1, &st, NULL);
    if (rc != SQLITE_OK)
        return fail(s, rc, "prepare migration record", e);
    sqlite3_bind_int(st, 1, m->version);
    bind_text(st, 2, m->name);
    sqlite3_bind_int64(st, 3, now);
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return fail(s, rc, "record migration", e);
    return 0;
}

/*
 * Replace the grading rules by those of preset `p` and record its name
 * (settings key grading_preset). Inside the caller's transaction or savepoint.
 */
static int
seed_grading(struct store_sqlite *s, const struct grade_preset *p, struct err *e)
{
    static const char sql[] =
        "INSERT INTO grade_rules (code, grade, condition, description_zh, description_en,"
        " enabled, sort) VALUES (?1, ?2, ?3, ?4, ?5, 1, ?6)";
    sqlite3_stmt *st;
    int rc, sort = 0;

    if (exec(s, "DELETE FROM grade_rules", e) < 0)
        return -1;
    rc = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);
    if (rc != SQLITE_OK)
        return fail(s, rc, "prepare grading rule", e);
    rc = SQLITE_DONE;
    for (const struct grade_rule_def *r = p->rules; r->code != NULL; r++) {
        bind_text(st, 1, r->code);
        bind_text(st, 2, r->grade);
        bind_text(st, 3, r->condition);
        bind_text(st, 4, r->description_zh ? r->description_zh : "");
        bind_text(st, 5, r->description_en ? r->description_en : "");
        sqlite3_bind_int(st, 6, sort++);
        rc = sqlite3_step(st);
        sqlite3_reset(st);
        if (rc != SQLITE_DONE)
            break;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return fail(s, rc, "insert grading rule", e);
    return setting_put(s, "grading_preset", p->name, e);
}

/* What a migration needs beyond its SQL: data that lives in C tables. */
static int
after_migration(struct store_sqlite *s, int version, int64_t now, struct err *e)
{
    if (version == 5)
        return seed_grading(s, core_grade_preset_find("property"), e);
    if (version == 6)
        return sqlx_seed_calendar(&s->super, now, e);
    if (version == 7)
        return sqlx_seed_notify(&s->super, now, e);
    if (version == 8 && sqlx_seed_sched(&s->super, now, e) < 0)
        return -1;
    if (version == 8 || version == 9) {
        char have[64];
        if (setting_get(s, "grading_preset", have, sizeof(have), e) < 0)
            return -1;
        return sqlx_policy_levels(&s->super, core_grade_preset_find(have), now, e);
    }
    return 0;
}

static int
migrate_schema(struct store_sqlite *s, int64_t now, int *version, struct err *e)
{
    if (exec(s, "CREATE TABLE IF NOT EXISTS schema_migrations ("
                " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)",
             e) < 0)
        return -1;
    if (schema_version(s, version, e) < 0)
        return -1;
    for (const struct sqlite_migration *m = sqlite_migrations; m->sql != NULL; m++) {
        if (m->version <= *version)
            continue;
        if (exec(s, "BEGIN IMMEDIATE", e) < 0)
            return -1;
        if (apply_migration(s, m, now, e) < 0 || after_migration(s, m->version, now, e) < 0 ||
            exec(s, "COMMIT", e) < 0) {
            sq_tx_rollback(&s->super);
            return -1;
        }
        *version = m->version;
    }
    return 0;
}

/* max(id) of a table: O(log n), unlike count(*). */
static int
max_id(struct store_sqlite *s, const char *sql, int64_t *out, struct err *e)
{
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);

    if (rc != SQLITE_OK)
        return fail(s, rc, "prepare statistics", e);
    rc = sqlite3_step(st);
    *out = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW)
        return fail(s, rc, "read statistics", e);
    return 0;
}

/*
 * Planner statistics, written rather than measured. Without them SQLite
 * guessed that a project filter is selective and sorted a third of a
 * million rows for a page (280 ms); ANALYZE gets it right but reads the
 * whole 1.2 GB database (52 s at a million complaints), and a sampled
 * ANALYZE (analysis_limit) guessed 1,001 rows per project, which was worse.
 * kesu knows the shape of its data, so it states it: rows from max(id),
 * projects, categories and complainants from their tables. At least 100k
 * rows are assumed so that plans have the same shape on a small database.
 */
static int
sq_maintain(struct store *stp, struct err *e)
{
    struct store_sqlite *s = to_sqlite(stp);
    int64_t n, projects, categories, people, buildings, per_category, per_building, staff;
    char sql[2048];

    if (max_id(s, "SELECT coalesce(max(id), 0) FROM complaints", &n, e) < 0 ||
        max_id(s, "SELECT count(*) FROM projects", &projects, e) < 0 ||
        max_id(s, "SELECT count(*) FROM categories WHERE parent_id = 0", &categories, e) < 0 ||
        max_id(s, "SELECT coalesce(max(id), 0) FROM complainants", &people, e) < 0 ||
        max_id(s, "SELECT count(*) FROM buildings", &buildings, e) < 0 ||
        max_id(s, "SELECT count(*) FROM staff", &staff, e) < 0)
        return -1;
    staff = staff > 1 ? staff : 1;
    n = n > 100000 ? n : 100000;
    projects = projects > 0 ? projects : 1;
    people = people > 0 ? people : 1;
    /* complaints_similar: a project, then a category of it, then a building of the project */
    per_category = n / projects / (categories + 1);
    per_category = per_category > 1 ? per_category : 1;
    per_building = per_category / (buildings / projects + 1);
    per_building = per_building > 1 ? per_building : 1;
    snprintf(sql, sizeof(sql),
             "BEGIN IMMEDIATE;"
             "DELETE FROM sqlite_stat1 WHERE tbl = 'complaints';"
             "INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES"
             " ('complaints', 'complaints_received', '%lld 2'),"
             " ('complaints', 'complaints_project', '%lld %lld 2'),"
             " ('complaints', 'complaints_status', '%lld %lld 2'),"
             " ('complaints', 'complaints_category', '%lld %lld 2'),"
             " ('complaints', 'complaints_complainant', '%lld %lld'),"
             " ('complaints', 'sqlite_autoindex_complaints_1', '%lld 1'),"
             " ('complaints', 'complaints_similar', '%lld %lld %lld %lld 2'),"
             " ('complaints', 'complaints_closed', '%lld 2'),"
             " ('complaints', 'complaints_handler', '%lld %lld 2'),"
             " ('complaints', 'complaints_grade', '%lld %lld 2'),"
             " ('complaints', 'complaints_returned', '%lld %lld 2');"
             "COMMIT;"
             "ANALYZE sqlite_schema;",
             (long long)n, (long long)n, (long long)(n / projects), (long long)n,
             (long long)(n / 4), (long long)n, (long long)(n / (categories + 1)), (long long)n,
             (long long)(n / people > 1 ? n / people : 1), (long long)n, (long long)n,
             (long long)(n / projects), (long long)per_category, (long long)per_building,
             (long long)n, (long long)n, (long long)(n / staff), (long long)n,
             (long long)(n / 4), (long long)(n / 1000), (long long)(n / 1000));
    /* sqlite_stat1 exists once anything was analysed; a tiny table will do */
    if (exec(s, "ANALYZE settings", e) < 0)
        return -1;
    if (exec(s, sql, e) < 0) {
        sq_tx_rollback(stp);
        return -1;
    }
    return 0;
}

static int
sq_migrate(struct store *stp, const char *preset, int64_t now, int *version, struct err *e)
{
    struct store_sqlite *s = to_sqlite(stp);
    const struct taxonomy_preset *p;
    char have[64];

    if (preset != NULL && core_taxonomy_find(preset) == NULL)
        return err_set(e, ERR_INVALID, "preset", "bad_value", "unknown taxonomy preset '%s'",
                       preset);
    if (migrate_schema(s, now, version, e) < 0)
        return -1;
    if (exec(s, "BEGIN IMMEDIATE", e) < 0)
        return -1;
    if (setting_get(s, "taxonomy_preset", have, sizeof(have), e) < 0)
        goto rollback;
    if (have[0] != '\0') {
        if (preset != NULL && strcmp(preset, have) != 0) {
            err_set(e, ERR_CONFLICT, "preset", "preset_set",
                    "the database already uses the taxonomy preset '%s'", have);
            goto rollback;
        }
        sq_tx_rollback(stp);
        return sq_maintain(stp, e);
    }
    p = core_taxonomy_find(preset ? preset : "property");
    if (seed_taxonomy(s, p, e) < 0 || setting_put(s, "taxonomy_preset", p->name, e) < 0 ||
        exec(s, "COMMIT", e) < 0)
        goto rollback;
    return sq_maintain(stp, e);
rollback:
    sq_tx_rollback(stp);
    return -1;
}

/* ---- complaints ---- */

static int
lookup(struct store_sqlite *s, enum stmt_id id, int64_t parent, const char *key,
       const char *field, int64_t *out, struct err *e)
{
    sqlite3_stmt *st = stmt(s, id, e);
    struct err mine = { 0 };

    if (st == NULL)
        return -1;
    if (id == S_BUILDING_BY_NAME || id == S_UNIT_BY_NAME || id == S_CATEGORY_BY_CODE ||
        id == S_DEPARTMENT_BY_CODE || id == S_DEPARTMENT_FOR) {
        sqlite3_bind_int64(st, 1, parent);
        bind_text(st, 2, key);
    } else {
        bind_text(st, 1, key);
    }
    if (one_id(s, st, out, &mine) == 0)
        return 0;
    if (mine.code == ERR_NOT_FOUND)
        return err_set(e, ERR_INVALID, field, "unknown", "%s does not exist", field);
    *e = e->code == ERR_OK ? mine : *e;
    return -1;
}

static int
complainant_find_or_add(struct store_sqlite *s, const struct complainant_new *c, int64_t now,
                        int64_t *id, struct err *e)
{
    struct err mine = { 0 };
    sqlite3_stmt *st;
    int rc;

    *id = 0;
    if (c->phone == NULL && c->email == NULL)
        return 0;
    st = c->phone ? stmt(s, S_COMPLAINANT_BY_PHONE, e) : stmt(s, S_COMPLAINANT_BY_EMAIL, e);
    if (st == NULL)
        return -1;
    bind_text(st, 1, c->phone ? c->phone : c->email);
    if (one_id(s, st, id, &mine) == 0)
        return 0;
    if (mine.code != ERR_NOT_FOUND)
        return *e = mine, -1;
    st = stmt(s, S_COMPLAINANT_INSERT, e);
    if (st == NULL)
        return -1;
    bind_text(st, 1, c->phone);
    bind_text(st, 2, c->email);
    bind_text(st, 3, c->name);
    sqlite3_bind_int64(st, 4, now);
    rc = sqlite3_step(st);
    done(st);
    if (rc != SQLITE_DONE)
        return fail(s, rc, "insert complainant", e);
    *id = sqlite3_last_insert_rowid(s->db);
    return 0;
}

static int
next_number(struct store_sqlite *s, const char *prefix, int year, int64_t *seq, struct err *e)
{
    sqlite3_stmt *st = stmt(s, S_NUMBER_NEXT, e);
    int rc;

    *seq = 0;
    if (st == NULL)
        return -1;
    bind_text(st, 1, prefix);
    sqlite3_bind_int(st, 2, year);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *seq = sqlite3_column_int64(st, 0);
    /* RETURNING: step to the end so the statement completes its write */
    while (rc == SQLITE_ROW)
        rc = sqlite3_step(st);
    done(st);
    if (rc != SQLITE_DONE)
        return fail(s, rc, "allocate number", e);
    if (*seq <= 0)
        return err_set(e, ERR_INTERNAL, NULL, "internal", "number series returned no value");
    return 0;
}

struct refs {
    int64_t project, building, unit, staff, category, subcategory, complainant;
    const char *prefix;
};

static int
resolve_refs(struct store_sqlite *s, const struct complaint_new *in, const char *default_prefix,
             int64_t now, struct arena *a, struct refs *r, struct err *e)
{
    sqlite3_stmt *st = stmt(s, S_PROJECT_BY_CODE, e);
    int rc;

    memset(r, 0, sizeof(*r));
    if (st == NULL)
        return -1;
    bind_text(st, 1, in->project);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        bool oom = false;
        r->project = sqlite3_column_int64(st, 0);
        r->prefix = col_text(st, 1, a, &oom);
        if (oom) {
            done(st);
            return oom_error(a, e);
        }
    }
    done(st);
    if (rc == SQLITE_DONE)
        return err_set(e, ERR_INVALID, "project", "unknown", "project does not exist");
    if (rc != SQLITE_ROW)
        return fail(s, rc, "read project", e);
    if (r->prefix == NULL)
        r->prefix = default_prefix;
    if (in->building && lookup(s, S_BUILDING_BY_NAME, r->project, in->building, "building",
                               &r->building, e) < 0)
        return -1;
    if (in->unit && lookup(s, S_UNIT_BY_NAME, r->building, in->unit, "unit", &r->unit, e) < 0)
        return -1;
    if (in->received_by &&
        lookup(s, S_STAFF_BY_LOGIN, 0, in->received_by, "received_by", &r->staff, e) < 0)
        return -1;
    if (in->category &&
        lookup(s, S_CATEGORY_BY_CODE, 0, in->category, "category", &r->category, e) < 0)
        return -1;
    if (in->subcategory && lookup(s, S_CATEGORY_BY_CODE, r->category, in->subcategory,
                                  "subcategory", &r->subcategory, e) < 0)
        return -1;
    return complainant_find_or_add(s, &in->complainant, now, &r->complainant, e);
}

static int
insert_complaint(struct store_sqlite *s, const struct complaint_new *in, const struct refs *r,
                 const char *number, int64_t now, int64_t *id, struct err *e)
{
    sqlite3_stmt *st = stmt(s, S_COMPLAINT_INSERT, e);
    int rc;

    if (st == NULL)
        return -1;
    bind_text(st, 1, number);
    bind_text(st, 2, core_initial_status(in->channel));
    bind_text(st, 3, in->kind);
    bind_text(st, 4, in->channel);
    bind_text(st, 5, in->comm_type);
    sqlite3_bind_int64(st, 6, in->received_at);
    sqlite3_bind_int64(st, 7, now);
    bind_id(st, 8, r->staff);
    bind_id(st, 9, r->project);
    bind_id(st, 10, r->building);
    bind_id(st, 11, r->unit);
    bind_id(st, 12, r->complainant);
    bind_text(st, 13, in->complainant.name);
    bind_text(st, 14, in->complainant.phone);
    bind_text(st, 15, in->complainant.email);
    bind_text(st, 16, in->complainant.role);
    sqlite3_bind_int(st, 17, in->complainant.anonymous);
    sqlite3_bind_int(st, 18, in->headcount);
    bind_text(st, 19, in->subject);
    bind_text(st, 20, in->content);
    bind_text(st, 21, in->demands);
    bind_id(st, 22, r->category);
    bind_id(st, 23, r->subcategory);
    sqlite3_bind_int(st, 24, (int)in->flags);
    if (in->has_loss)
        sqlite3_bind_int64(st, 25, in->loss_fen);
    else
        sqlite3_bind_null(st, 25);
    rc = sqlite3_step(st);
    done(st);
    if (rc != SQLITE_DONE)
        return fail(s, rc, "insert complaint", e);
    *id = sqlite3_last_insert_rowid(s->db);
    return 0;
}

static int read_complaint(sqlite3_stmt *st, struct arena *a, struct complaint *c);
static int load_people(struct store_sqlite *s, struct complaint *c, struct arena *a,
                       struct err *e);

/* By number, or by id when number is NULL; `people`: load c->people too. */
static int
complaint_by(struct store_sqlite *s, enum stmt_id id, const char *number, int64_t rowid,
             bool people, struct arena *a, struct complaint **out, struct err *e)
{
    sqlite3_stmt *st = stmt(s, id, e);
    struct complaint *c;
    int rc;

    if (st == NULL)
        return -1;
    if (number != NULL)
        bind_text(st, 1, number);
    else
        sqlite3_bind_int64(st, 1, rowid);
    rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        done(st);
        if (rc == SQLITE_DONE)
            return err_set(e, ERR_NOT_FOUND, number != NULL ? "number" : "id", "unknown",
                           "no such complaint");
        return fail(s, rc, "read complaint", e);
    }
    c = arena_alloc(a, sizeof(*c));
    if (c == NULL || read_complaint(st, a, c) < 0) {
        done(st);
        return oom_error(a, e);
    }
    done(st);
    if (people && load_people(s, c, a, e) < 0)
        return -1;
    *out = c;
    return 0;
}

static int sq_event_append(struct store *stp, const struct event_new *in, struct arena *a,
                           struct event **out, struct err *e);

static int
sq_complaint_create(struct store *stp, const struct complaint_new *in, const char *prefix,
                    int tz_min, int64_t now, struct arena *a, struct complaint **out,
                    struct err *e)
{
    struct store_sqlite *s = to_sqlite(stp);
    struct ts_civil civil;
    struct refs r;
    struct event *ev;
    struct event_new first;
    int64_t seq = 0, id = 0;
    char number[48];

    /* the search index orders by the minute (see schema_sqlite.c) */
    if (in->received_at % 60 != 0)
        return err_set(e, ERR_INVALID, "received_at", "bad_value",
                       "received_at must be a whole minute");
    if (note_fts_start(s, e) < 0 || resolve_refs(s, in, prefix, now, a, &r, e) < 0)
        return -1;
    ts_to_civil(now, tz_min, &civil);
    if (next_number(s, r.prefix, civil.year, &seq, e) < 0)
        return -1;
    if (core_number_format(number, sizeof(number), r.prefix, civil.year, seq) == 0)
        return err_set(e, ERR_INTERNAL, NULL, "internal", "number does not fit");
    if (insert_complaint(s, in, &r, number, now, &id, e) < 0)
        return -1;
    first = (struct event_new){
        .complaint_id = id,
        .type = core_initial_event(in->channel),
        .visibility = "customer",
        .author = in->received_by,
        .at = now,
    };
    first.data = arena_printf(a, "{\"status\":\"%s\",\"channel\":\"%s\"}",
                              core_initial_status(in->channel), in->channel);
    if (first.data == NULL)
        return oom_error(a, e);
    if (sq_event_append(stp, &first, a, &ev, e) < 0)
        return -1;
    /* outside a transaction there is no commit to index at: do it now */
    if (sqlite3_get_autocommit(s->db) && index_pending(s, e) < 0)
        return -1;
    return complaint_by(s, S_COMPLAINT_BY_ID, NULL, id, false, a, out, e);
}

static int
read_complaint(sqlite3_stmt *st, struct arena *a, struct complaint *c)
{
    bool oom = false;

    memset(c, 0, sizeof(*c));
    c->id = sqlite3_column_int64(st, 0);
    c->number = col_text(st, 1, a, &oom);
    c->status = col_text(st, 2, a, &oom);
    c->kind = col_text(st, 3, a, &oom);
    c->nature = col_text(st, 4, a, &oom);
    c->grade = col_text(st, 5, a, &oom);
    c->channel = col_text(st, 6, a, &oom);
    c->comm_type = col_text(st, 7, a, &oom);
    c->received_at = sqlite3_column_int64(st, 8);
    c->registered_at = sqlite3_column_int64(st, 9);
    c->received_by_login = col_text(st, 10, a, &oom);
    c->received_by_name = col_text(st, 11, a, &oom);
    c->project_code = col_text(st, 12, a, &oom);
    c->project_name = col_text(st, 13, a, &oom);
    c->building = col_text(st, 14, a, &oom);
    c->unit = col_text(st, 15, a, &oom);
    c->complainant_id = sqlite3_column_int64(st, 16);
    c->c_name = col_text(st, 17, a, &oom);
    c->c_phone = col_text(st, 18, a, &oom);
    c->c_email = col_text(st, 19, a, &oom);
    c->c_role = col_text(st, 20, a, &oom);
    c->c_anonymous = sqlite3_column_int(st, 21) != 0;
    c->headcount = sqlite3_column_int(st, 22);
    c->subject = col_text(st, 23, a, &oom);
    c->content = col_text(st, 24, a, &oom);
    c->demands = col_text(st, 25, a, &oom);
    c->category_code = col_text(st, 26, a, &oom);
    c->category_zh = col_text(st, 27, a, &oom);
    c->category_en = col_text(st, 28, a, &oom);
    c->subcategory_code = col_text(st, 29, a, &oom);
    c->subcategory_zh = col_text(st, 30, a, &oom);
    c->subcategory_en = col_text(st, 31, a, &oom);
    c->flags = (unsigned)sqlite3_column_int(st, 32);
    c->has_loss = sqlite3_column_type(st, 33) != SQLITE_NULL;
    c->loss_fen = sqlite3_column_int64(st, 33);
    c->department_code = col_text(st, 34, a, &oom);
    c->department_name = col_text(st, 35, a, &oom);
    c->handler_login = col_text(st, 36, a, &oom);
    c->handler_name = col_text(st, 37, a, &oom);
    c->raised = sqlite3_column_int(st, 38);
    c->reopenings = sqlite3_column_int(st, 39);
    c->grade_overrides = col_text(st, 40, a, &oom);
    c->result = col_text(st, 41, a, &oom);
    c->close_response = col_text(st, 42, a, &oom);
    c->resolved_at = sqlite3_column_int64(st, 43);   /* NULL reads as 0 */
    c->closed_at = sqlite3_column_int64(st, 44);
    c->is_case = sqlite3_column_int(st, 45) != 0;
    return oom ? -1 : 0;
}

static int
sq_complaint_get(struct store *stp, const char *number, struct arena *a, struct complaint **out,
                 struct err *e)
{
    return complaint_by(to_sqlite(stp), S_COMPLAINT_BY_NUMBER, number, 0, true, a, out, e);
}

/* ---- the list: SQL built from the filters, every value bound ---- */

/* the list binds at most 8 filters of STORE_FILTER_MAX values and a dozen more */
#define BINDER_MAX (8 * STORE_FILTER_MAX + 32)

struct binder {
    const char *texts[BINDER_MAX];   /* bound in order as ?1, ?2, ... */
    int64_t ints[BINDER_MAX];
    bool is_int[BINDER_MAX];
    int n;
};

static int
bind_next_text(struct binder *b, const char *s)
{
    b->texts[b->n] = s;
    b->is_int[b->n] = false;
    return ++b->n;
}

static int
bind_next_int(struct binder *b, int64_t v)
{
    b->ints[b->n] = v;
    b->is_int[b->n] = true;
    return ++b->n;
}

static void
filter_in(struct sbuf *sql, struct binder *b, const char *column, const struct store_filter *f)
{
    if (f->n == 0)
        return;
    sbuf_addf(sql, " AND %s IN (", column);
    for (size_t i = 0; i < f->n; i++)
        sbuf_addf(sql, "%s?%d", i ? ", " : "", bind_next_text(b, f->values[i]));
    sbuf_adds(sql, ")");
}

/*
 * The full-text index's rowid orders by received_at, then id (see
 * schema_sqlite.c); received_at is kept to the minute.
 */
#define FTS_ID_BITS 32
#define FTS_ID_MASK "4294967295"

static int64_t
fts_key(int64_t received_at, int64_t id)
{
    return ((received_at / 60) << FTS_ID_BITS) | id;
}

/*
 * Complaints with a clock in a state at `now` (core_clock_state), found in
 * clocks_running: overdue is due_at <= now unless paused before it was due;
 * due soon is not paused, not yet due, reminder time passed.
 */
static void
filter_clock(const struct complaint_query *q, struct sbuf *sql, struct binder *b)
{
    bool overdue = false, soon = false;

    for (size_t i = 0; i < q->clock.n; i++) {
        overdue = overdue || strcmp(q->clock.values[i], "overdue") == 0;
        soon = soon || strcmp(q->clock.values[i], "due_soon") == 0;
    }
    if (!overdue && !soon)
        return;
    sbuf_adds(sql, " AND c.id IN (");
    if (overdue)
        sbuf_addf(sql,
                  "SELECT complaint_id FROM clocks WHERE stopped_at = 0 AND cancelled = 0"
                  " AND due_at <= ?%d AND (paused_at = 0 OR paused_at >= due_at)",
                  bind_next_int(b, q->now));
    if (overdue && soon)
        sbuf_adds(sql, " UNION ");
    if (soon) {
        int now = bind_next_int(b, q->now);
        sbuf_addf(sql,
                  "SELECT complaint_id FROM clocks WHERE stopped_at = 0 AND cancelled = 0"
                  " AND due_at > ?%d AND paused_at = 0 AND remind_at <> 0 AND remind_at <= ?%d",
                  now, now);
    }
    sbuf_adds(sql, ")");
}

static void
list_filters(const struct complaint_query *q, const int64_t *handler_ids, struct sbuf *sql,
             struct binder *b)
{
    if (q->project.n > 0) {
        sbuf_adds(sql, " AND c.project_id IN (SELECT id FROM projects WHERE 1");
        filter_in(sql, b, "code", &q->project);
        sbuf_adds(sql, ")");
    }
    filter_in(sql, b, "c.status", &q->status);
    filter_in(sql, b, "c.kind", &q->kind);
    filter_in(sql, b, "c.channel", &q->channel);
    if (q->category.n > 0) {
        sbuf_adds(sql, " AND c.category_id IN (SELECT id FROM categories WHERE parent_id = 0");
        filter_in(sql, b, "code", &q->category);
        sbuf_adds(sql, ")");
    }
    if (q->has_from)
        sbuf_addf(sql, " AND c.received_at >= ?%d", bind_next_int(b, q->from));
    if (q->has_to)
        sbuf_addf(sql, " AND c.received_at < ?%d", bind_next_int(b, q->to));
    if (q->handler.n > 0) {
        /*
         * One handler ("me") walks complaints_handler in the sort's order;
         * several would make the planner sort all their complaints, so they
         * filter the walk in received_at order instead (unary +), as several
         * statuses or projects do.
         */
        sbuf_adds(sql, q->handler.n == 1 ? " AND c.handler_id IN (" : " AND +c.handler_id IN (");
        for (size_t i = 0; i < q->handler.n; i++)
            sbuf_addf(sql, "%s?%d", i ? ", " : "", bind_next_int(b, handler_ids[i]));
        sbuf_adds(sql, ")");
    }
    filter_in(sql, b, "c.grade", &q->grade);
    if (q->returned)
        sbuf_adds(sql, " AND c.returned = 1 AND c.status = 'registered'");
    filter_clock(q, sql, b);
}

/*
 * Text search in received_at order: walk the time-ordered index in the
 * sort's direction from the cursor (and within the date range), join each
 * match to its complaint, stop after one page.
 */
static void
build_search_by_time(const struct complaint_query *q, const int64_t *handler_ids, bool desc,
                     struct sbuf *sql, struct binder *b)
{
    sbuf_adds(sql, COMPLAINT_SELECT_FROM_FTS " WHERE f.complaint_fts MATCH ");
    sbuf_addf(sql, "?%d", bind_next_text(b, q->match));
    if (q->has_cursor)
        sbuf_addf(sql, " AND f.rowid %s ?%d", desc ? "<" : ">",
                  bind_next_int(b, fts_key(q->cursor_key, q->cursor_id)));
    if (q->has_from)
        sbuf_addf(sql, " AND f.rowid >= ?%d", bind_next_int(b, fts_key(q->from + 59, 0)));
    if (q->has_to)
        sbuf_addf(sql, " AND f.rowid < ?%d", bind_next_int(b, fts_key(q->to + 59, 0)));
    list_filters(q, handler_ids, sql, b);
    sbuf_addf(sql, " ORDER BY f.rowid %s", desc ? "DESC" : "ASC");
}

static void
build_list_sql(const struct complaint_query *q, const int64_t *handler_ids, struct sbuf *sql,
               struct binder *b)
{
    bool by_id = q->sort == STORE_SORT_REGISTERED_ASC || q->sort == STORE_SORT_REGISTERED_DESC;
    bool desc = q->sort == STORE_SORT_RECEIVED_DESC || q->sort == STORE_SORT_REGISTERED_DESC;
    const char *dir = desc ? "DESC" : "ASC";
    const char *cmp = desc ? "<" : ">";

    if (q->match && !by_id) {
        build_search_by_time(q, handler_ids, desc, sql, b);
        sbuf_addf(sql, " LIMIT ?%d", bind_next_int(b, q->limit + 1));
        return;
    }
    sbuf_adds(sql, COMPLAINT_SELECT " WHERE 1");
    list_filters(q, handler_ids, sql, b);
    if (q->match)
        sbuf_addf(sql,
                  " AND c.id IN (SELECT rowid & " FTS_ID_MASK " FROM complaint_fts"
                  " WHERE complaint_fts MATCH ?%d)",
                  bind_next_text(b, q->match));
    if (q->has_cursor && by_id) {
        sbuf_addf(sql, " AND c.id %s ?%d", cmp, bind_next_int(b, q->cursor_id));
    } else if (q->has_cursor) {
        int k = bind_next_int(b, q->cursor_key);
        int i = bind_next_int(b, q->cursor_id);
        sbuf_addf(sql, " AND (c.received_at, c.id) %s (?%d, ?%d)", cmp, k, i);
    }
    if (by_id)
        sbuf_addf(sql, " ORDER BY c.id %s", dir);
    else
        sbuf_addf(sql, " ORDER BY c.received_at %s, c.id %s", dir, dir);
    sbuf_addf(sql, " LIMIT ?%d", bind_next_int(b, q->limit + 1));
}

/*
 * Every code a filter names exists (retired categories still count: old
 * complaints have them), each grade is a level of the preset in use, and
 * each handler's login is found: their ids into handler_ids.
 */
static int
check_filter_codes(struct store_sqlite *s, const struct complaint_query *q, int64_t *handler_ids,
                   struct err *e)
{
    int64_t id;
    char preset[64];
    const struct grade_preset *p;

    for (size_t i = 0; i < q->project.n; i++)
        if (lookup(s, S_PROJECT_BY_CODE, 0, q->project.values[i], "project", &id, e) < 0)
            return -1;
    for (size_t i = 0; i < q->category.n; i++)
        if (lookup(s, S_TOP_CATEGORY, 0, q->category.values[i], "category", &id, e) < 0)
            return -1;
    for (size_t i = 0; i < q->handler.n; i++)
        if (lookup(s, S_STAFF_BY_LOGIN, 0, q->handler.values[i], "handler", &handler_ids[i],
                   e) < 0)
            return -1;
    if (q->grade.n == 0)
        return 0;
    if (setting_get(s, "grading_preset", preset, sizeof(preset), e) < 0)
        return -1;
    p = core_grade_preset_find(preset);
    for (size_t i = 0; i < q->grade.n; i++)
        if (p != NULL && core_grade_rank(p, q->grade.values[i]) < 0)
            return err_set(e, ERR_INVALID, "grade", "unknown", "preset %s has no grade %s",
                           preset, q->grade.values[i]);
    return 0;
}

static int
sq_complaint_list(struct store *stp, const struct complaint_query *q, struct arena *a,
                  struct complaint_page *out, struct err *e)
{
    struct store_sqlite *s = to_sqlite(stp);
    struct binder b = { .n = 0 };
    int64_t handler_ids[STORE_FILTER_MAX];
    struct sbuf sql;
    sqlite3_stmt *st = NULL;
    int rc, ret = -1;

    memset(out, 0, sizeof(*out));
    if (check_filter_codes(s, q, handler_ids, e) < 0)
        return -1;
    sbuf_init(&sql, 16384);
    build_list_sql(q, handler_ids, &sql, &b);
    if (sql.failed) {
        err_set(e, ERR_NOMEM, NULL, "nomem", "list query text");
        goto out;
    }
    rc = sqlite3_prepare_v2(s->db, sql.buf, (int)sql.len, &st, NULL);
    if (rc != SQLITE_OK) {
        fail(s, rc, "prepare list", e);
        goto out;
    }
    for (int i = 0; i < b.n; i++) {
        if (b.is_int[i])
            sqlite3_bind_int64(st, i + 1, b.ints[i]);
        else
            bind_text(st, i + 1, b.texts[i]);
    }
    out->items = arena_alloc(a, sizeof(*out->items) * (size_t)(q->limit + 1));
    if (out->items == NULL) {
        oom_error(a, e);
        goto out;
    }
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (out->n == (size_t)q->limit) {
            out->more = true;
            break;
        }
        if (read_complaint(st, a, &out->items[out->n]) < 0) {
            oom_error(a, e);
            goto out;
        }
        out->n++;
    }
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        fail(s, rc, "list complaints", e);
        goto out;
    }
    ret = 0;
out:
    sqlite3_finalize(st);
    sbuf_release(&sql);
    return ret;
}

/* ---- events ---- */

static int
sq_event_append(struct store *stp, const struct event_new *in, struct arena *a,
                struct event **out, struct err *e)
{
    struct store_sqlite *s = to_sqlite(stp);
    sqlite3_stmt *st;
    struct event *ev;
    int64_t author = 0, seq;
    int rc;

    if (in->author && lookup(s, S_STAFF_BY_LOGIN, 0, in->author, "author", &author, e) < 0)
        return -1;
    st = stmt(s, S_EVENT_NEXT_SEQ, e);
    if (st == NULL)
        return -1;
    sqlite3_bind_int64(st, 1, in->complaint_id);
    if (one_id(s, st, &seq, e) < 0)
        return -1;
    st = stmt(s, S_EVENT_INSERT, e);
    if (st == NULL)
        return -1;
    sqlite3_bind_int64(st, 1, in->complaint_id);
    sqlite3_bind_int64(st, 2, seq);
    bind_text(st, 3, in->type);
    sqlite3_bind_int64(st, 4, in->at);
    bind_id(st, 5, author);
    bind_text(st, 6, in->visibility);
    bind_text(st, 7, in->text);
    bind_text(st, 8, in->data);
    rc = sqlite3_step(st);
    done(st);
    if (rc != SQLITE_DONE)
        return fail(s, rc, "append event", e);
    ev = arena_zalloc(a, sizeof(*ev));
    if (ev == NULL)
        return oom_error(a, e);
    ev->id = sqlite3_last_insert_rowid(s->db);
    ev->complaint_id = in->complaint_id;
    ev->seq = (int)seq;
    ev->type = in->type;
    ev->visibility = in->visibility;
    ev->author_login = in->author;
    ev->text = in->text;
    ev->data = in->data ? in->data : "{}";
    ev->at = in->at;
    if (in->author) {
        /* the name, for the reply; the lookup above proved the login exists */
        sqlite3_stmt *ns = stmt(s, S_STAFF_NAME, e);
        bool oom = false;
        if (ns == NULL)
            return -1;
        sqlite3_bind_int64(ns, 1, author);
        rc = sqlite3_step(ns);
        if (rc == SQLITE_ROW)
            ev->author_name = col_text(ns, 0, a, &oom);
        done(ns);
        if (oom)
            return oom_error(a, e);
        /* an error here may have rolled the whole transaction back: never swallow it */
        if (rc != SQLITE_ROW && rc != SQLITE_DONE)
            return fail(s, rc, "read author name", e);
    }
    *out = ev;
    return 0;
}

static int
sq_event_list(struct store *stp, int64_t complaint_id, struct arena *a, struct event **out,
              size_t *n, struct err *e)
{
    struct store_sqlite *s = to_sqlite(stp);
    sqlite3_stmt *st = stmt(s, S_EVENT_LIST, e);
    struct event *items = NULL;
    size_t cap = 0, count = 0;
    bool oom = false;
    int rc;

    if (st == NULL)
        return -1;
    sqlite3_bind_int64(st, 1, complaint_id);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct event *ev;
        if ((items = arena_grow(a, items, count, &cap, sizeof(*items))) == NULL) {
            oom = true;
            break;
        }
        ev = &items[count++];
        ev->id = sqlite3_column_int64(st, 0);
        ev->complaint_id = complaint_id;
        ev->seq = sqlite3_column_int(st, 1);
        ev->type = col_text(st, 2, a, &oom);
        ev->at = sqlite3_column_int64(st, 3);
        ev->author_login = col_text(st, 4, a, &oom);
        ev->author_name = col_text(st, 5, a, &oom);
        ev->visibility = col_text(st, 6, a, &oom);
        ev->text = col_text(st, 7, a, &oom);
        ev->data = col_text(st, 8, a, &oom);
        if (oom)
            break;
    }
    done(st);
    if (oom)
        return oom_error(a, e);
    if (rc != SQLITE_DONE)
        return fail(s, rc, "list events", e);
    *out = items;
    *n = count;
    return 0;
}

/* ---- attachments ---- */

static void
hex(const unsigned char *in, size_t n, char *out)
{
    static const char digits[] = "0123456789abcdef";

    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[in[i] >> 4];
        out[2 * i + 1] = digits[in[i] & 15];
    }
    out[2 * n] = '\0';
}

static int
blob_find_or_add(struct store_sqlite *s, const struct attachment_new *in, int64_t *id,
                 struct err *e)
{
    sqlite3_stmt *st = stmt(s, S_BLOB_BY_SHA, e);
    struct err mine = { 0 };
    int rc;

    if (st == NULL)
        return -1;
    sqlite3_bind_blob(st, 1, in->sha256, 32, SQLITE_STATIC);
    if (one_id(s, st, id, &mine) == 0)
        return 0;
    if (mine.code != ERR_NOT_FOUND)
        return *e = mine, -1;
    st = stmt(s, S_BLOB_INSERT, e);
    if (st == NULL)
        return -1;
    sqlite3_bind_blob(st, 1, in->sha256, 32, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, (int64_t)in->size);
    if (in->size == 0)    /* an empty file: bind_blob64(NULL, 0) would bind NULL */
        sqlite3_bind_zeroblob(st, 3, 0);
    else
        sqlite3_bind_blob64(st, 3, in->data, in->size, SQLITE_STATIC);
    rc = sqlite3_step(st);
    done(st);
    if (rc != SQLITE_DONE)
        return fail(s, rc, "store attachment bytes", e);
    *id = sqlite3_last_insert_rowid(s->db);
    return 0;
}

static int
sq_attachment_add(struct store *stp, const struct attachment_new *in, struct arena *a,
                  struct attachment **out, struct err *e)
{
    struct store_sqlite *s = to_sqlite(stp);
    struct attachment *at;
    sqlite3_stmt *st;
    int64_t blob;
    int rc;

    if (blob_find_or_add(s, in, &blob, e) < 0)
        return -1;
    st = stmt(s, S_ATTACHMENT_INSERT, e);
    if (st == NULL)
        return -1;
    sqlite3_bind_int64(st, 1, in->complaint_id);
    sqlite3_bind_int64(st, 2, blob);
    bind_text(st, 3, in->name);
    bind_text(st, 4, in->content_type);
    sqlite3_bind_int64(st, 5, (int64_t)in->size);
    sqlite3_bind_int64(st, 6, in->at);
    rc = sqlite3_step(st);
    done(st);
    if (rc != SQLITE_DONE)
        return fail(s, rc, "insert attachment", e);
    at = arena_zalloc(a, sizeof(*at));
    if (at == NULL)
        return oom_error(a, e);
    at->id = sqlite3_last_insert_rowid(s->db);
    at->complaint_id = in->complaint_id;
    at->name = in->name;
    at->content_type = in->content_type;
    at->size = (int64_t)in->size;
    hex(in->sha256, 32, at->sha256_hex);
    at->uploaded_at = in->at;
    *out = at;
    return 0;
}

static int
read_attachment(sqlite3_stmt *st, int64_t complaint_id, struct arena *a, struct attachment *at)
{
    bool oom = false;
    const void *sha = sqlite3_column_blob(st, 4);

    at->id = sqlite3_column_int64(st, 0);
    at->complaint_id = complaint_id;
    at->name = col_text(st, 1, a, &oom);
    at->content_type = col_text(st, 2, a, &oom);
    at->size = sqlite3_column_int64(st, 3);
    if (sha != NULL && sqlite3_column_bytes(st, 4) == 32)
        hex(sha, 32, at->sha256_hex);
    else
        at->sha256_hex[0] = '\0';
    at->uploaded_at = sqlite3_column_int64(st, 5);
    return oom ? -1 : 0;
}

static int
sq_attachment_list(struct store *stp, int64_t complaint_id, struct arena *a,
                   struct attachment **out, size_t *n, struct err *e)
{
    struct store_sqlite *s = to_sqlite(stp);
    sqlite3_stmt *st = stmt(s, S_ATTACHMENT_LIST, e);
    struct attachment *items = NULL;
    size_t cap = 0, count = 0;
    bool oom = false;
    int rc;

    if (st == NULL)
        return -1;
    sqlite3_bind_int64(st, 1, complaint_id);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if ((items = arena_grow(a, items, count, &cap, sizeof(*items))) == NULL) {
            oom = true;
            break;
        }
        if (read_attachment(st, complaint_id, a, &items[count++]) < 0) {
            oom = true;
            break;
        }
    }
    done(st);
    if (oom)
        return oom_error(a, e);
    if (rc != SQLITE_DONE)
        return fail(s, rc, "list attachments", e);
    *out = items;
    *n = count;
    return 0;
}

static int
sq_attachment_get(struct store *stp, int64_t complaint_id, int64_t id, struct arena *a,
                  struct attachment **meta, void **data, struct err *e)
{
    struct store_sqlite *s = to_sqlite(stp);
    sqlite3_stmt *st = stmt(s, S_ATTACHMENT_GET, e);
    struct attachment *at;
    size_t size;
    void *copy;
    int rc;

    if (st == NULL)
        return -1;
    sqlite3_bind_int64(st, 1, complaint_id);
    sqlite3_bind_int64(st, 2, id);
    rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        done(st);
        if (rc == SQLITE_DONE)
            return err_set(e, ERR_NOT_FOUND, "id", "unknown", "no such attachment");
        return fail(s, rc, "read attachment", e);
    }
    at = arena_zalloc(a, sizeof(*at));
    if (at == NULL || read_attachment(st, complaint_id, a, at) < 0) {
        done(st);
        return oom_error(a, e);
    }
    size = (size_t)sqlite3_column_bytes(st, 6);
    copy = alloc_malloc(size);
    if (copy == NULL) {
        done(st);
        return err_set(e, ERR_NOMEM, NULL, "nomem", "attachment of %zu bytes", size);
    }
    if (size > 0)
        memcpy(copy, sqlite3_column_blob(st, 6), size);
    done(st);
    *meta = at;
    *data = copy;
    return 0;
}

/* ---- idempotency ---- */

static int
sq_idem_get(struct store *stp, const char *key, struct arena *a, struct idem_record *out,
            struct err *e)
{
    struct store_sqlite *s = to_sqlite(stp);
    sqlite3_stmt *st = stmt(s, S_IDEM_GET, e);
    bool oom = false;
    int rc;

    if (st == NULL)
        return -1;
    bind_text(st, 1, key);
    rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        done(st);
        if (rc == SQLITE_DONE)
            return err_set(e, ERR_NOT_FOUND, NULL, "unknown", "no such key");
        return fail(s, rc, "read idempotency key", e);
    }
    memset(out->request_hash, 0, sizeof(out->request_hash));
    if (sqlite3_column_bytes(st, 0) == 32)
        memcpy(out->request_hash, sqlite3_column_blob(st, 0), 32);
    out->status = sqlite3_column_int(st, 1);
    out->body = col_text(st, 2, a, &oom);
    done(st);
    return oom ? oom_error(a, e) : 0;
}

static int
sq_idem_put(struct store *stp, const char *key, const struct idem_record *rec, int64_t now,
            struct err *e)
{
    struct store_sqlite *s = to_sqlite(stp);
    sqlite3_stmt *st = stmt(s, S_IDEM_PUT, e);
    int rc;

    if (st == NULL)
        return -1;
    bind_text(st, 1, key);
    sqlite3_bind_blob(st, 2, rec->request_hash, 32, SQLITE_STATIC);
    sqlite3_bind_int(st, 3, rec->status);
    bind_text(st, 4, rec->body);
    sqlite3_bind_int64(st, 5, now);
    rc = sqlite3_step(st);
    done(st);
    if (rc != SQLITE_DONE)
        return fail(s, rc, "store idempotency key", e);
    return 0;
}

/* ---- reference data ---- */

static int
sq_category_list(struct store *stp, struct arena *a, const char **preset, struct category **out,
                 size_t *n, struct err *e)
{
    static const char sql[] =
        "SELECT id, parent_id, code, name_zh, name_en, description_zh, description_en, retired"
        " FROM categories ORDER BY parent_id, sort, id";
    struct store_sqlite *s = to_sqlite(stp);
    struct category *top = NULL;
    int64_t *top_ids = NULL;
    size_t count = 0;
    char have[64];
    sqlite3_stmt *st;
    bool oom = false;
    int rc;

    if (setting_get(s, "taxonomy_preset", have, sizeof(have), e) < 0)
        return -1;
    *preset = arena_strdup(a, have);
    rc = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);
    if (rc != SQLITE_OK)
        return fail(s, rc, "prepare categories", e);
    top = arena_zalloc(a, 256 * sizeof(*top));
    top_ids = arena_zalloc(a, 256 * sizeof(*top_ids));
    if (top == NULL || top_ids == NULL || *preset == NULL)
        oom = true;
    while (!oom && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t parent = sqlite3_column_int64(st, 1);
        struct category *c = NULL;
        if (parent == 0 && count < 256) {
            top_ids[count] = sqlite3_column_int64(st, 0);
            c = &top[count++];
        } else {
            for (size_t i = 0; i < count; i++) {
                struct category *p = &top[i];
                if (top_ids[i] != parent)
                    continue;
                if (p->subs == NULL)
                    p->subs = arena_zalloc(a, 64 * sizeof(*p->subs));
                if (p->subs == NULL)
                    oom = true;
                else if (p->n_subs < 64)
                    c = &p->subs[p->n_subs++];
                break;
            }
        }
        if (c == NULL)
            continue;
        c->code = col_text(st, 2, a, &oom);
        c->name_zh = col_text(st, 3, a, &oom);
        c->name_en = col_text(st, 4, a, &oom);
        c->description_zh = col_text(st, 5, a, &oom);
        c->description_en = col_text(st, 6, a, &oom);
        c->retired = sqlite3_column_int(st, 7) != 0;
    }
    sqlite3_finalize(st);
    if (oom)
        return oom_error(a, e);
    if (rc != SQLITE_DONE)
        return fail(s, rc, "list categories", e);
    *out = top;
    *n = count;
    return 0;
}

static int
sq_project_list(struct store *stp, struct arena *a, struct project **out, size_t *n,
                struct err *e)
{
    static const char sql[] =
        "SELECT p.id, p.code, p.name, p.number_prefix, b.name FROM projects p"
        " LEFT JOIN buildings b ON b.project_id = p.id ORDER BY p.id, b.sort, b.id";
    struct store_sqlite *s = to_sqlite(stp);
    struct project *items = NULL, *p = NULL;
    size_t count = 0, cap = 0, bcap = 0;
    int64_t last = -1;
    sqlite3_stmt *st;
    bool oom = false;
    int rc = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);

    if (rc != SQLITE_OK)
        return fail(s, rc, "prepare projects", e);
    while (!oom && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(st, 0);
        if (id != last) {
            if ((items = arena_grow(a, items, count, &cap, sizeof(*items))) == NULL) {
                oom = true;
                break;
            }
            p = &items[count++];
            memset(p, 0, sizeof(*p));
            p->code = col_text(st, 1, a, &oom);
            p->name = col_text(st, 2, a, &oom);
            p->number_prefix = col_text(st, 3, a, &oom);
            bcap = 0;
            last = id;
        }
        if (oom || sqlite3_column_type(st, 4) == SQLITE_NULL)
            continue;
        p->buildings = arena_grow(a, p->buildings, p->n_buildings, &bcap, sizeof(*p->buildings));
        if (p->buildings == NULL)
            oom = true;
        else
            p->buildings[p->n_buildings++] = col_text(st, 4, a, &oom);
    }
    sqlite3_finalize(st);
    if (oom)
        return oom_error(a, e);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return fail(s, rc, "list projects", e);
    *out = items;
    *n = count;
    return 0;
}

static int
sq_unit_list(struct store *stp, const char *project, const char *building, struct arena *a,
             const char ***out, size_t *n, struct err *e)
{
    struct store_sqlite *s = to_sqlite(stp);
    static const char sql[] = "SELECT name FROM units WHERE building_id = ?1 ORDER BY id";
    int64_t pid, bid;
    const char **items = NULL;
    size_t count = 0, cap = 0;
    sqlite3_stmt *st;
    bool oom = false;
    int rc;

    if (lookup(s, S_PROJECT_BY_CODE, 0, project, "project", &pid, e) < 0) {
        if (e->code == ERR_INVALID)
            e->code = ERR_NOT_FOUND;
        return -1;
    }
    if (lookup(s, S_BUILDING_BY_NAME, pid, building, "building", &bid, e) < 0)
        return -1;
    rc = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);
    if (rc != SQLITE_OK)
        return fail(s, rc, "prepare units", e);
    sqlite3_bind_int64(st, 1, bid);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if ((items = arena_grow(a, items, count, &cap, sizeof(*items))) == NULL) {
            oom = true;
            break;
        }
        items[count++] = col_text(st, 0, a, &oom);
        if (oom)
            break;
    }
    sqlite3_finalize(st);
    if (oom)
        return oom_error(a, e);
    if (rc != SQLITE_DONE)
        return fail(s, rc, "list units", e);
    *out = items;
    *n = count;
    return 0;
}

/*
 * Run one INSERT or UPDATE; a constraint it breaks is ERR_CONFLICT. After
 * success, sqlite3_changes() tells how many rows it touched.
 */
static int
run_write(struct store_sqlite *s, const char *sql, const char *what, struct err *e,
          int (*bind)(sqlite3_stmt *, const void *), const void *arg)
{
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);

    if (rc != SQLITE_OK)
        return fail(s, rc, what, e);
    bind(st, arg);
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if ((rc & 0xFF) == SQLITE_CONSTRAINT)
        return err_set(e, ERR_CONFLICT, NULL, "exists", "%s: already exists", what);
    if (rc != SQLITE_DONE)
        return fail(s, rc, what, e);
    return 0;
}

struct project_args { const char *code, *name, *prefix; int64_t now; };

static int
bind_project(sqlite3_stmt *st, const void *arg)
{
    const struct project_args *p = arg;

    bind_text(st, 1, p->code);
    bind_text(st, 2, p->name);
    bind_text(st, 3, p->prefix);
    return sqlite3_bind_int64(st, 4, p->now);
}

static int
sq_project_add(struct store *stp, const char *code, const char *name, const char *prefix,
               int64_t now, struct err *e)
{
    struct project_args args = { code, name, prefix, now };

    return run_write(to_sqlite(stp),
                     "INSERT INTO projects (code, name, number_prefix, created_at)"
                     " VALUES (?1, ?2, ?3, ?4)",
                     "add project", e, bind_project, &args);
}

struct building_args { int64_t project; const char *name; int sort; };

static int
bind_building(sqlite3_stmt *st, const void *arg)
{
    const struct building_args *b = arg;

    sqlite3_bind_int64(st, 1, b->project);
    bind_text(st, 2, b->name);
    return sqlite3_bind_int(st, 3, b->sort);
}

static int
sq_building_add(struct store *stp, const char *project, const char *name, int sort,
                struct err *e)
{
    struct store_sqlite *s = to_sqlite(stp);
    struct building_args args = { 0, name, sort };

    if (lookup(s, S_PROJECT_BY_CODE, 0, project, "project", &args.project, e) < 0)
        return -1;
    return run_write(s, "INSERT INTO buildings (project_id, name, sort) VALUES (?1, ?2, ?3)",
                     "add building", e, bind_building, &args);
}

struct unit_args { int64_t building; const char *name; };

static int
bind_unit(sqlite3_stmt *st, const void *arg)
{
    const struct unit_args *u = arg;

    sqlite3_bind_int64(st, 1, u->building);
    return bind_text(st, 2, u->name);
}

static int
sq_unit_add(struct store *stp, const char *project, const char *building, const char *name,
            struct err *e)
{
    struct store_sqlite *s = to_sqlite(stp);
    struct unit_args args = { 0, name };
    int64_t pid;

    if (lookup(s, S_PROJECT_BY_CODE, 0, project, "project", &pid, e) < 0 ||
        lookup(s, S_BUILDING_BY_NAME, pid, building, "building", &args.building, e) < 0)
        return -1;
    return run_write(s, "INSERT INTO units (building_id, name) VALUES (?1, ?2)", "add unit", e,
                     bind_unit, &args);
}

/* ---- staff and organisation ---- */

struct staff_args { const struct staff_new *in; int64_t now; };

static int
bind_staff(sqlite3_stmt *st, const void *arg)
{
    const struct staff_args *a = arg;

    bind_text(st, 1, a->in->login);
    bind_text(st, 2, a->in->name);
    bind_text(st, 3, a->in->phone);
    bind_text(st, 4, a->in->email);
    bind_text(st, 5, a->in->password_hash);
    if (a->in->password_hash != NULL)
        sqlite3_bind_int64(st, 6, a->now);
    else
        sqlite3_bind_null(st, 6);
    return sqlite3_bind_int64(st, 7, a->now);
}

static int
sq_staff_add(struct store *stp, const struct staff_new *in, int64_t now, struct err *e)
{
    struct staff_args args = { in, now };

    return run_write(to_sqlite(stp),
                     "INSERT INTO staff (login, name, phone, email, password_hash,"
                     " password_changed_at, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                     "add staff", e, bind_staff, &args);
}

/*
 * Step through STAFF_SELECT rows, which come grouped by staff member, into an
 * array of staff with their memberships. The caller resets the statement.
 */
static int
read_staff(struct store_sqlite *s, sqlite3_stmt *st, struct arena *a, struct staff **out,
           size_t *n, struct err *e)
{
    struct staff *items = NULL, *p = NULL;
    struct membership *m;
    size_t count = 0, cap = 0, mcap = 0;
    bool oom = false;
    int rc;

    while (!oom && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(st, 0);
        if (p == NULL || p->id != id) {
            if ((items = arena_grow(a, items, count, &cap, sizeof(*items))) == NULL) {
                oom = true;
                break;
            }
            p = &items[count++];
            memset(p, 0, sizeof(*p));
            p->id = id;
            p->login = col_text(st, 1, a, &oom);
            p->name = col_text(st, 2, a, &oom);
            p->phone = col_text(st, 3, a, &oom);
            p->email = col_text(st, 4, a, &oom);
            p->status = col_text(st, 5, a, &oom);
            p->has_password = sqlite3_column_int(st, 6) != 0;
            p->password_hash = col_text(st, 7, a, &oom);
            p->created_at = sqlite3_column_int64(st, 8);
            p->password_changed_at = sqlite3_column_int64(st, 9);   /* NULL reads as 0 */
            mcap = 0;
        }
        if (oom || sqlite3_column_type(st, 10) == SQLITE_NULL)
            continue;
        p->memberships = arena_grow(a, p->memberships, p->n_memberships, &mcap,
                                    sizeof(*p->memberships));
        if (p->memberships == NULL) {
            oom = true;
            break;
        }
        m = &p->memberships[p->n_memberships++];
        m->role = col_text(st, 10, a, &oom);
        m->project = col_text(st, 11, a, &oom);
        m->department = col_text(st, 12, a, &oom);
    }
    if (oom)
        return oom_error(a, e);
    if (rc != SQLITE_DONE)
        return fail(s, rc, "read staff", e);
    *out = items;
    *n = count;
    return 0;
}

/* One staff member: by login (S_STAFF_GET) or, when login is NULL, by id (S_STAFF_BY_ID). */
static int
staff_one(struct store_sqlite *s, enum stmt_id id, const char *login, int64_t rowid,
          struct arena *a, struct staff **out, struct err *e)
{
    sqlite3_stmt *st = stmt(s, id, e);
    struct staff *items;
    size_t n;
    int rc;

    if (st == NULL)
        return -1;
    if (login != NULL)
        bind_text(st, 1, login);
    else
        sqlite3_bind_int64(st, 1, rowid);
    rc = read_staff(s, st, a, &items, &n, e);
    done(st);
    if (rc < 0)
        return -1;
    if (n == 0)
        return err_set(e, ERR_NOT_FOUND, "login", "unknown", "no such staff member");
    *out = items;
    return 0;
}

static int
sq_staff_get(struct store *stp, const char *login, struct arena *a, struct staff **out,
             struct err *e)
{
    return staff_one(to_sqlite(stp), S_STAFF_GET, login, 0, a, out, e);
}

static int
sq_staff_list(struct store *stp, struct arena *a, struct staff **out, size_t *n, struct err *e)
{
    /* the hash only ever leaves the store for the one account that is logging in */
    static const char sql[] = STAFF_SELECT("NULL") " ORDER BY s.login," MEMBERSHIP_ORDER;
    struct store_sqlite *s = to_sqlite(stp);
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);

    if (rc != SQLITE_OK)
        return fail(s, rc, "prepare staff list", e);
    rc = read_staff(s, st, a, out, n, e);
    sqlite3_finalize(st);
    return rc;
}

struct staff_update_args { const char *login, *value; int64_t now; };

static int
bind_status(sqlite3_stmt *st, const void *arg)
{
    const struct staff_update_args *u = arg;

    bind_text(st, 1, u->login);
    return bind_text(st, 2, u->value);
}

static int
bind_password(sqlite3_stmt *st, const void *arg)
{
    const struct staff_update_args *u = arg;

    bind_text(st, 1, u->login);
    bind_text(st, 2, u->value);
    return sqlite3_bind_int64(st, 3, u->now);
}

/* An UPDATE by login matched nobody: the login is what is missing. */
static int
updated_one(struct store_sqlite *s, struct err *e)
{
    if (sqlite3_changes(s->db) == 0)
        return err_set(e, ERR_NOT_FOUND, "login", "unknown", "no such staff member");
    return 0;
}

static int
sq_staff_set_status(struct store *stp, const char *login, const char *status, struct err *e)
{
    struct store_sqlite *s = to_sqlite(stp);
    struct staff_update_args args = { login, status, 0 };

    /* checked here too, not only by the CHECK, which would read as a conflict */
    if (status == NULL || (strcmp(status, "active") != 0 && strcmp(status, "disabled") != 0))
        return err_set(e, ERR_INVALID, "status", "bad_value", "status is active or disabled");
    if (run_write(s, "UPDATE staff SET status = ?2 WHERE login = ?1", "set staff status", e,
                  bind_status, &args) < 0)
        return -1;
    return updated_one(s, e);
}

static int
sq_staff_set_password(struct store *stp, const char *login, const char *password_hash,
                      int64_t now, struct err *e)
{
    struct store_sqlite *s = to_sqlite(stp);
    struct staff_update_args args = { login, password_hash, now };

    /* a NULL hash would lock the account out unseen; disabling says so */
    if (password_hash == NULL)
        return err_set(e, ERR_INVALID, "password", "required", "no password hash");
    if (run_write(s,
                  "UPDATE staff SET password_hash = ?2, password_changed_at = ?3 WHERE login = ?1",
                  "set staff password", e, bind_password, &args) < 0)
        return -1;
    return updated_one(s, e);
}

/*
 * Checked before any write: migration 2's CHECK holds the same list, but its
 * failure would read as a conflict, not as bad input.
 */
static int
check_role(const char *role, struct err *e)
{
    if (role == NULL)
        return err_set(e, ERR_INVALID, "role", "required", "no role");
    for (const char *const *r = core_roles_staff; *r != NULL; r++)
        if (strcmp(role, *r) == 0)
            return 0;
    return err_set(e, ERR_INVALID, "role", "bad_value", "no such role");
}

struct membership_args { int64_t staff, project, department; const char *role; };

static int
bind_membership(sqlite3_stmt *st, const void *arg)
{
    const struct membership_args *m = arg;

    /* 0 is a value here (company-wide, no department), not a missing reference */
    sqlite3_bind_int64(st, 1, m->staff);
    sqlite3_bind_int64(st, 2, m->project);
    sqlite3_bind_int64(st, 3, m->department);
    return bind_text(st, 4, m->role);
}

static int
sq_membership_add(struct store *stp, const char *login, const struct membership *m,
                  struct err *e)
{
    struct store_sqlite *s = to_sqlite(stp);
    struct membership_args args = { 0, 0, 0, m->role };

    if (check_role(m->role, e) < 0 ||
        lookup(s, S_STAFF_BY_LOGIN, 0, login, "login", &args.staff, e) < 0)
        return -1;
    if (m->project &&
        lookup(s, S_PROJECT_BY_CODE, 0, m->project, "project", &args.project, e) < 0)
        return -1;
    /* a department of this project, or of the company when there is none */
    if (m->department && lookup(s, S_DEPARTMENT_BY_CODE, args.project, m->department,
                                "department", &args.department, e) < 0)
        return -1;
    return run_write(s,
                     "INSERT INTO memberships (staff_id, project_id, department_id, role)"
                     " VALUES (?1, ?2, ?3, ?4)",
                     "add membership", e, bind_membership, &args);
}

struct department_args { int64_t project; const char *code, *name; };

static int
bind_department(sqlite3_stmt *st, const void *arg)
{
    const struct department_args *d = arg;

    sqlite3_bind_int64(st, 1, d->project);
    bind_text(st, 2, d->code);
    return bind_text(st, 3, d->name);
}

static int
sq_department_add(struct store *stp, const char *project, const char *code, const char *name,
                  struct err *e)
{
    struct store_sqlite *s = to_sqlite(stp);
    struct department_args args = { 0, code, name };

    if (project && lookup(s, S_PROJECT_BY_CODE, 0, project, "project", &args.project, e) < 0)
        return -1;
    return run_write(s, "INSERT INTO departments (project_id, code, name) VALUES (?1, ?2, ?3)",
                     "add department", e, bind_department, &args);
}

static int
sq_role_count(struct store *stp, const char *role, int64_t *n, struct err *e)
{
    struct store_sqlite *s = to_sqlite(stp);
    sqlite3_stmt *st;

    if (check_role(role, e) < 0 || (st = stmt(s, S_ROLE_COUNT, e)) == NULL)
        return -1;
    bind_text(st, 1, role);
    return one_id(s, st, n, e);
}

/* ---- audit log ---- */

static int
sq_audit_append(struct store *stp, struct audit_entry *en, struct err *e)
{
    struct store_sqlite *s = to_sqlite(stp);
    unsigned char prev[CORE_AUDIT_HASH] = { 0 };
    int64_t last = 0;
    sqlite3_stmt *st = stmt(s, S_AUDIT_LAST, e);
    int rc;

    if (st == NULL)
        return -1;
    /* the write lock, held since BEGIN IMMEDIATE, keeps the last entry ours until the commit */
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        last = sqlite3_column_int64(st, 0);
        if (sqlite3_column_bytes(st, 1) != CORE_AUDIT_HASH) {
            done(st);
            return err_set(e, ERR_STORE, "audit", "altered",
                           "entry %lld: hash is not %d bytes", (long long)last, CORE_AUDIT_HASH);
        }
        memcpy(prev, sqlite3_column_blob(st, 1), CORE_AUDIT_HASH);
    }
    done(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return fail(s, rc, "read last audit entry", e);
    if (en->detail == NULL)
        en->detail = "{}";
    en->id = last + 1;
    core_audit_seal(en, prev);
    st = stmt(s, S_AUDIT_INSERT, e);
    if (st == NULL)
        return -1;
    sqlite3_bind_int64(st, 1, en->id);
    sqlite3_bind_int64(st, 2, en->at);
    bind_text(st, 3, en->actor);
    bind_text(st, 4, en->address);
    bind_text(st, 5, en->action);
    bind_text(st, 6, en->object);
    bind_text(st, 7, en->detail);
    sqlite3_bind_blob(st, 8, en->prev_hash, CORE_AUDIT_HASH, SQLITE_STATIC);
    sqlite3_bind_blob(st, 9, en->hash, CORE_AUDIT_HASH, SQLITE_STATIC);
    rc = sqlite3_step(st);
    done(st);
    if (rc != SQLITE_DONE)
        return fail(s, rc, "append audit entry", e);
    return 0;
}

/* A hash column as read; one of another size (a damaged row) becomes zeros, which never verify. */
static void
col_hash(sqlite3_stmt *st, int i, unsigned char out[CORE_AUDIT_HASH])
{
    memset(out, 0, CORE_AUDIT_HASH);
    if (sqlite3_column_bytes(st, i) == CORE_AUDIT_HASH)
        memcpy(out, sqlite3_column_blob(st, i), CORE_AUDIT_HASH);
}

/* Step through AUDIT_COLUMNS rows into an array from `a`. The caller resets the statement. */
static int
read_audit(struct store_sqlite *s, sqlite3_stmt *st, struct arena *a, struct audit_entry **out,
           size_t *n, struct err *e)
{
    struct audit_entry *items = NULL;
    size_t cap = 0, count = 0;
    bool oom = false;
    int rc;

    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct audit_entry *en;
        if ((items = arena_grow(a, items, count, &cap, sizeof(*items))) == NULL) {
            oom = true;
            break;
        }
        en = &items[count++];
        en->id = sqlite3_column_int64(st, 0);
        en->at = sqlite3_column_int64(st, 1);
        en->actor = col_text(st, 2, a, &oom);
        en->address = col_text(st, 3, a, &oom);
        en->action = col_text(st, 4, a, &oom);
        en->object = col_text(st, 5, a, &oom);
        en->detail = col_text(st, 6, a, &oom);
        col_hash(st, 7, en->prev_hash);
        col_hash(st, 8, en->hash);
        if (oom)
            break;
    }
    if (oom)
        return oom_error(a, e);
    if (rc != SQLITE_DONE)
        return fail(s, rc, "read audit log", e);
    *out = items;
    *n = count;
    return 0;
}

static int
sq_audit_scan(struct store *stp, int64_t after_id, size_t max, struct arena *a,
              struct audit_entry **out, size_t *n, struct err *e)
{
    struct store_sqlite *s = to_sqlite(stp);
    sqlite3_stmt *st = stmt(s, S_AUDIT_SCAN, e);
    int rc;

    if (st == NULL)
        return -1;
    sqlite3_bind_int64(st, 1, after_id);
    sqlite3_bind_int64(st, 2, max > INT64_MAX ? INT64_MAX : (int64_t)max);
    rc = read_audit(s, st, a, out, n, e);
    done(st);
    return rc;
}

/*
 * An action filter as a range of the index on (action, id): "complaint.*"
 * (or "complaint*") is every action from "complaint." up to, not including,
 * "complaint/", so no pattern syntax (LIKE's % and _) reaches SQL. An exact
 * action has no upper bound (hi NULL); "*" alone, no filter (lo NULL).
 */
struct action_range {
    const char *lo;     /* points into the query's action */
    size_t lo_len;      /* bytes of lo to match */
    char *hi;           /* the prefix with its last byte raised, from the arena */
};

static int
action_range(const char *action, struct arena *a, struct action_range *r, struct err *e)
{
    size_t n = action ? strlen(action) : 0, cut;

    memset(r, 0, sizeof(*r));
    if (n == 0 || action[n - 1] != '*') {
        r->lo = action;
        r->lo_len = n;
        return 0;
    }
    if (n == 1)
        return 0;
    r->lo = action;
    r->lo_len = n - 1;
    /* 0xFF cannot be raised: raise the byte before it (never in UTF-8 text) */
    for (cut = n - 1; cut > 0 && (unsigned char)action[cut - 1] == 0xFF; cut--)
        ;
    if (cut == 0)
        return err_set(e, ERR_INVALID, "action", "bad_value", "action prefix is not text");
    if ((r->hi = arena_strndup(a, action, cut)) == NULL)
        return oom_error(a, e);
    r->hi[cut - 1]++;
    return 0;
}

/*
 * The variant whose plain term an index serves, most selective first. What
 * EXPLAIN QUERY PLAN showed (SQLite 3.40, no statistics for audit_log):
 * - object: SEARCH USING INDEX audit_log_object (object=? AND rowid<?), in id
 *   order, no sort: a page reads limit + 1 entries.
 * - actor: SEARCH USING INDEX audit_log_actor (actor=?), then a temporary
 *   b-tree for ORDER BY id: that index is in `at` order, so a page sorts
 *   the person's entries below the cursor.
 * - exact action: SEARCH USING INDEX audit_log_action (action=? AND id<?), no sort.
 * - action prefix: the same index (action>? AND action<?), then a sort.
 * - a time window (both ends): SEARCH USING INDEX audit_log_at, then a sort;
 *   only one end, or no filter: SEARCH USING INTEGER PRIMARY KEY (rowid<?),
 *   newest first, stopping after limit + 1 matches.
 * The one-statement form, every filter "?n IS NULL OR ...", always walks the
 * rowid: an entry filter that matches rarely would read the whole log.
 */
static enum stmt_id
audit_variant(const struct audit_query *q, const struct action_range *r)
{
    if (q->object != NULL)
        return S_AUDIT_BY_OBJECT;
    if (q->actor != NULL)
        return S_AUDIT_BY_ACTOR;
    if (r->lo != NULL)
        return r->hi == NULL ? S_AUDIT_BY_ACTION : S_AUDIT_BY_PREFIX;
    if (q->has_from && q->has_to)
        return S_AUDIT_BY_TIME;
    return S_AUDIT_NEWEST;
}

#define AUDIT_QUERY_MAX 500

static int
sq_audit_query(struct store *stp, const struct audit_query *q, struct arena *a,
               struct audit_entry **out, size_t *n, bool *more, struct err *e)
{
    struct store_sqlite *s = to_sqlite(stp);
    struct action_range r;
    struct audit_entry *items;
    size_t count;
    sqlite3_stmt *st;
    int rc;

    if (q->limit < 1 || q->limit > AUDIT_QUERY_MAX)
        return err_set(e, ERR_INVALID, "limit", "out_of_range", "limit is 1 to %d",
                       AUDIT_QUERY_MAX);
    if (action_range(q->action, a, &r, e) < 0 || (st = stmt(s, audit_variant(q, &r), e)) == NULL)
        return -1;
    bind_text(st, 1, q->actor);
    bind_text(st, 2, q->object);
    if (r.lo != NULL)
        sqlite3_bind_text(st, 3, r.lo, (int)r.lo_len, SQLITE_STATIC);
    bind_text(st, 4, r.hi);
    if (q->has_from)
        sqlite3_bind_int64(st, 5, q->from);
    if (q->has_to)
        sqlite3_bind_int64(st, 6, q->to);
    sqlite3_bind_int64(st, 7, q->before_id != 0 ? q->before_id : INT64_MAX);
    sqlite3_bind_int(st, 8, q->limit + 1);    /* one more: are there older ones? */
    rc = read_audit(s, st, a, &items, &count, e);
    done(st);
    if (rc < 0)
        return -1;
    *more = count > (size_t)q->limit;
    *out = items;
    *n = *more ? (size_t)q->limit : count;
    return 0;
}

/* ---- sessions and API tokens ---- */

static enum stmt_id
by_kind(enum credential_kind kind, enum stmt_id session, enum stmt_id token)
{
    return kind == CREDENTIAL_SESSION ? session : token;
}

/* The credential columns of SESSION_SELECT or TOKEN_COLUMNS; the owner only gets its id. */
static int
read_credential(sqlite3_stmt *st, enum credential_kind kind, struct arena *a,
                struct credential *c)
{
    bool oom = false;

    memset(c, 0, sizeof(*c));
    c->kind = kind;
    c->id = sqlite3_column_int64(st, 0);
    c->owner.id = sqlite3_column_int64(st, 1);
    c->created_at = sqlite3_column_int64(st, 2);
    c->last_used_at = sqlite3_column_int64(st, 3);    /* NULL reads as 0 */
    c->expires_at = sqlite3_column_int64(st, 4);
    c->revoked_at = sqlite3_column_int64(st, 5);
    c->csrf = col_text(st, 6, a, &oom);
    c->name = col_text(st, 7, a, &oom);
    /* a session acts with all its owner's permissions */
    c->scopes = kind == CREDENTIAL_SESSION ? CORE_SCOPES_ALL
                                           : (uint32_t)sqlite3_column_int64(st, 8);
    c->project = col_text(st, 9, a, &oom);
    c->created_by = col_text(st, 10, a, &oom);
    return oom ? -1 : 0;
}

static int
sq_credential_find(struct store *stp, enum credential_kind kind,
                   const unsigned char hash[STORE_SECRET_HASH], struct arena *a,
                   struct credential **out, struct err *e)
{
    struct store_sqlite *s = to_sqlite(stp);
    sqlite3_stmt *st = stmt(s, by_kind(kind, S_SESSION_BY_HASH, S_TOKEN_BY_HASH), e);
    struct credential *c;
    struct staff *owner;
    int rc;

    if (st == NULL)
        return -1;
    sqlite3_bind_blob(st, 1, hash, STORE_SECRET_HASH, SQLITE_STATIC);
    rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        done(st);
        if (rc == SQLITE_DONE)
            return err_set(e, ERR_NOT_FOUND, NULL, "unknown", "no such credential");
        return fail(s, rc, "read credential", e);
    }
    c = arena_alloc(a, sizeof(*c));
    if (c == NULL || read_credential(st, kind, a, c) < 0) {
        done(st);
        return oom_error(a, e);
    }
    done(st);
    /* the owner with memberships, never the password hash; the foreign key keeps the row */
    if (staff_one(s, S_STAFF_BY_ID, NULL, c->owner.id, a, &owner, e) < 0)
        return -1;
    c->owner = *owner;
    *out = c;
    return 0;
}

static int
sq_credential_touch(struct store *stp, enum credential_kind kind, int64_t id, int64_t now,
                    struct err *e)
{
    struct store_sqlite *s = to_sqlite(stp);
    sqlite3_stmt *st = stmt(s, by_kind(kind, S_SESSION_TOUCH, S_TOKEN_TOUCH), e);
    int rc;

    if (st == NULL)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, now);
    rc = sqlite3_step(st);
    done(st);
    if (rc != SQLITE_DONE)
        return fail(s, rc, "record credential use", e);
    if (sqlite3_changes(s->db) == 0)
        return err_set(e, ERR_NOT_FOUND, "id", "unknown", "no such credential");
    return 0;
}

struct revoke_args { int64_t id, now; };

static int
bind_revoke(sqlite3_stmt *st, const void *arg)
{
    const struct revoke_args *r = arg;

    sqlite3_bind_int64(st, 1, r->id);
    return sqlite3_bind_int64(st, 2, r->now);
}

/* Why a revocation changed nothing: no such credential, or revoked already. */
static int
revoke_refused(struct store_sqlite *s, enum credential_kind kind, int64_t id, struct err *e)
{
    sqlite3_stmt *st = stmt(s, by_kind(kind, S_SESSION_EXISTS, S_TOKEN_EXISTS), e);
    struct err mine = { 0 };
    int64_t revoked;

    if (st == NULL)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    if (one_id(s, st, &revoked, &mine) == 0)
        return err_set(e, ERR_CONFLICT, "id", "revoked", "credential %lld is revoked already",
                       (long long)id);
    if (mine.code == ERR_NOT_FOUND)
        return err_set(e, ERR_NOT_FOUND, "id", "unknown", "no such credential");
    *e = e->code == ERR_OK ? mine : *e;
    return -1;
}

static int
sq_credential_revoke(struct store *stp, enum credential_kind kind, int64_t id, int64_t now,
                     struct err *e)
{
    struct store_sqlite *s = to_sqlite(stp);
    struct revoke_args args = { id, now };

    /* the first revocation stands (migration 4's trigger refuses a second) */
    if (run_write(s,
                  kind == CREDENTIAL_SESSION
                      ? "UPDATE sessions SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL"
                      : "UPDATE api_tokens SET revoked_at = ?2"
                        " WHERE id = ?1 AND revoked_at IS NULL",
                  "revoke credential", e, bind_revoke, &args) < 0)
        return -1;
    if (sqlite3_changes(s->db) == 0)
        return revoke_refused(s, kind, id, e);
    return 0;
}

static int
sq_session_revoke_staff(struct store *stp, const char *login, int64_t now, int *n,
                        struct err *e)
{
    struct store_sqlite *s = to_sqlite(stp);
    struct revoke_args args = { 0, now };

    /* the login is the subject here, not a reference: a missing one is not found */
    if (lookup(s, S_STAFF_BY_LOGIN, 0, login, "login", &args.id, e) < 0) {
        if (e->code == ERR_INVALID)
            e->code = ERR_NOT_FOUND;
        return -1;
    }
    /* live: neither revoked nor expired; an expired one is left as it ended */
    if (run_write(s,
                  "UPDATE sessions SET revoked_at = ?2"
                  " WHERE staff_id = ?1 AND revoked_at IS NULL AND expires_at > ?2",
                  "revoke sessions", e, bind_revoke, &args) < 0)
        return -1;
    *n = sqlite3_changes(s->db);
    return 0;
}

struct session_args { const struct session_new *in; int64_t staff; };

static int
bind_session(sqlite3_stmt *st, const void *arg)
{
    const struct session_args *a = arg;

    sqlite3_bind_blob(st, 1, a->in->token_hash, STORE_SECRET_HASH, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, a->staff);
    bind_text(st, 3, a->in->csrf);
    bind_text(st, 4, a->in->address);
    sqlite3_bind_int64(st, 5, a->in->created_at);
    return sqlite3_bind_int64(st, 6, a->in->expires_at);
}

static int
sq_session_create(struct store *stp, const struct session_new *in, int64_t *id, struct err *e)
{
    struct store_sqlite *s = to_sqlite(stp);
    struct session_args args = { in, 0 };

    /* checked here: NOT NULL would read as a conflict */
    if (in->csrf == NULL)
        return err_set(e, ERR_INVALID, "csrf", "required", "no anti-CSRF token");
    if (lookup(s, S_STAFF_BY_LOGIN, 0, in->login, "login", &args.staff, e) < 0)
        return -1;
    /* the idle clock starts at sign-in */
    if (run_write(s,
                  "INSERT INTO sessions (token_hash, staff_id, csrf, address, created_at,"
                  " last_used_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5, ?5, ?6)",
                  "create session", e, bind_session, &args) < 0)
        return -1;
    *id = sqlite3_last_insert_rowid(s->db);
    return 0;
}

struct token_args { const struct token_new *in; int64_t staff, project; };

static int
bind_token(sqlite3_stmt *st, const void *arg)
{
    const struct token_args *a = arg;

    sqlite3_bind_blob(st, 1, a->in->token_hash, STORE_SECRET_HASH, SQLITE_STATIC);
    bind_text(st, 2, a->in->name);
    sqlite3_bind_int64(st, 3, a->staff);
    sqlite3_bind_int64(st, 4, (int64_t)a->in->scopes);
    bind_id(st, 5, a->project);
    bind_text(st, 6, a->in->created_by);
    return sqlite3_bind_int64(st, 7, a->in->created_at);
}

/* A live token has this name: ERR_CONFLICT. The partial unique index is the last word. */
static int
token_name_free(struct store_sqlite *s, const char *name, struct err *e)
{
    sqlite3_stmt *st = stmt(s, S_TOKEN_LIVE_BY_NAME, e);
    struct err mine = { 0 };
    int64_t id;

    if (st == NULL)
        return -1;
    bind_text(st, 1, name);
    if (one_id(s, st, &id, &mine) == 0)
        return err_set(e, ERR_CONFLICT, "name", "exists", "a live token is named '%s'", name);
    if (mine.code != ERR_NOT_FOUND) {
        *e = e->code == ERR_OK ? mine : *e;
        return -1;
    }
    return 0;
}

static int
sq_token_create(struct store *stp, const struct token_new *in, int64_t *id, struct err *e)
{
    struct store_sqlite *s = to_sqlite(stp);
    struct token_args args = { in, 0, 0 };

    if (in->name == NULL)
        return err_set(e, ERR_INVALID, "name", "required", "no token name");
    if (lookup(s, S_STAFF_BY_LOGIN, 0, in->login, "login", &args.staff, e) < 0)
        return -1;
    if (in->project &&
        lookup(s, S_PROJECT_BY_CODE, 0, in->project, "project", &args.project, e) < 0)
        return -1;
    if (token_name_free(s, in->name, e) < 0 ||
        run_write(s,
                  "INSERT INTO api_tokens (token_hash, name, staff_id, scopes, project_id,"
                  " created_by, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                  "create token", e, bind_token, &args) < 0)
        return -1;
    *id = sqlite3_last_insert_rowid(s->db);
    return 0;
}

static int
sq_token_list(struct store *stp, struct arena *a, struct credential **out, size_t *n,
              struct err *e)
{
    static const char sql[] = TOKEN_COLUMNS ", s.login, s.name, s.status" TOKEN_FROM
                              " JOIN staff s ON s.id = c.staff_id ORDER BY c.id";
    struct store_sqlite *s = to_sqlite(stp);
    struct credential *items = NULL, *c;
    size_t count = 0, cap = 0;
    sqlite3_stmt *st;
    bool oom = false;
    int rc = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);

    if (rc != SQLITE_OK)
        return fail(s, rc, "prepare token list", e);
    while (!oom && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        if ((items = arena_grow(a, items, count, &cap, sizeof(*items))) == NULL) {
            oom = true;
            break;
        }
        c = &items[count++];
        oom = read_credential(st, CREDENTIAL_TOKEN, a, c) < 0;
        c->owner.login = col_text(st, 11, a, &oom);
        c->owner.name = col_text(st, 12, a, &oom);
        c->owner.status = col_text(st, 13, a, &oom);
    }
    sqlite3_finalize(st);
    if (oom)
        return oom_error(a, e);
    if (rc != SQLITE_DONE)
        return fail(s, rc, "list tokens", e);
    *out = items;
    *n = count;
    return 0;
}

/* ---- the life of a complaint (migration 5) ---- */

/*
 * Step through the rows of `st` into an array of `size`-byte items from
 * `a`, each zeroed and then filled by `rd` (which returns -1 when out of
 * memory). The caller resets the statement.
 */
typedef int (*row_reader)(sqlite3_stmt *st, struct arena *a, void *item);

static int
read_rows(struct store_sqlite *s, sqlite3_stmt *st, struct arena *a, size_t size, row_reader rd,
          const char *what, void **out, size_t *n, struct err *e)
{
    unsigned char *items = NULL;
    size_t cap = 0, count = 0;
    bool oom = false;
    int rc;

    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        void *grown = arena_grow(a, items, count, &cap, size);
        if (grown == NULL) {
            oom = true;
            break;
        }
        items = grown;
        memset(items + count * size, 0, size);
        if (rd(st, a, items + count * size) < 0) {
            oom = true;
            break;
        }
        count++;
    }
    if (oom)
        return oom_error(a, e);
    if (rc != SQLITE_DONE)
        return fail(s, rc, what, e);
    *out = items;
    *n = count;
    return 0;
}

/* A limit of a list op: 1..max, else ERR_INVALID "limit" "out_of_range". */
static int
check_limit(int limit, int max, struct err *e)
{
    if (limit < 1 || limit > max)
        return err_set(e, ERR_INVALID, "limit", "out_of_range", "limit is 1 to %d", max);
    return 0;
}

#define LIST_MAX 500

/* The complaint an op is about exists: else ERR_NOT_FOUND (field "complaint_id"). */
static int
complaint_exists(struct store_sqlite *s, int64_t id, struct err *e)
{
    sqlite3_stmt *st = stmt(s, S_COMPLAINT_EXISTS, e);
    struct err mine = { 0 };
    int64_t found;

    if (st == NULL)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    if (one_id(s, st, &found, &mine) == 0)
        return 0;
    if (mine.code == ERR_NOT_FOUND)
        return err_set(e, ERR_NOT_FOUND, "complaint_id", "unknown", "no such complaint");
    *e = e->code == ERR_OK ? mine : *e;
    return -1;
}

/*
 * A category by parent id (0: top level) and code, retired ones included:
 * ERR_INVALID naming `field` when none ("unknown") or, when `live`, when it
 * is retired ("retired").
 */
static int
category_find(struct store_sqlite *s, int64_t parent, const char *code, const char *field,
              bool live, int64_t *id, struct err *e)
{
    sqlite3_stmt *st = stmt(s, S_CATEGORY_ANY, e);
    bool retired = false;
    int rc;

    if (st == NULL)
        return -1;
    sqlite3_bind_int64(st, 1, parent);
    bind_text(st, 2, code);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *id = sqlite3_column_int64(st, 0);
        retired = sqlite3_column_int(st, 1) != 0;
    }
    done(st);
    if (rc == SQLITE_DONE)
        return err_set(e, ERR_INVALID, field, "unknown", "%s does not exist", field);
    if (rc != SQLITE_ROW)
        return fail(s, rc, "read category", e);
    if (live && retired)
        return err_set(e, ERR_INVALID, field, "retired", "%s is retired", field);
    return 0;
}

static int
load_people(struct store_sqlite *s, struct complaint *c, struct arena *a, struct err *e)
{
    sqlite3_stmt *st = stmt(s, S_PEOPLE_LIST, e);
    struct person *items = NULL;
    size_t cap = 0, count = 0;
    bool oom = false;
    int rc;

    if (st == NULL)
        return -1;
    sqlite3_bind_int64(st, 1, c->id);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct person *p;
        if ((items = arena_grow(a, items, count, &cap, sizeof(*items))) == NULL) {
            oom = true;
            break;
        }
        p = &items[count++];
        p->seq = sqlite3_column_int(st, 0);
        p->complainant_id = sqlite3_column_int64(st, 1);
        p->name = col_text(st, 2, a, &oom);
        p->phone = col_text(st, 3, a, &oom);
        p->email = col_text(st, 4, a, &oom);
        p->role = col_text(st, 5, a, &oom);
        p->anonymous = sqlite3_column_int(st, 6) != 0;
        if (oom)
            break;
    }
    done(st);
    if (oom)
        return oom_error(a, e);
    if (rc != SQLITE_DONE)
        return fail(s, rc, "read complainants", e);
    c->people = items;
    c->n_people = count;
    return 0;
}

static int
sq_complaint_get_by_id(struct store *stp, int64_t id, struct arena *a, struct complaint **out,
                       struct err *e)
{
    return complaint_by(to_sqlite(stp), S_COMPLAINT_BY_ID, NULL, id, true, a, out, e);
}

/* ---- complaint_update: one UPDATE of the columns the change sets, every value bound ---- */

static void
set_text(struct sbuf *sql, struct binder *b, int *n, const char *column, const char *value)
{
    sbuf_addf(sql, "%s%s = ?%d", (*n)++ ? ", " : "", column, bind_next_text(b, value));
}

/* 0 (none) is stored as NULL */
static void
set_id(struct sbuf *sql, struct binder *b, int *n, const char *column, int64_t value)
{
    int i = value != 0 ? bind_next_int(b, value) : bind_next_text(b, NULL);

    sbuf_addf(sql, "%s%s = ?%d", (*n)++ ? ", " : "", column, i);
}

static void
set_int(struct sbuf *sql, struct binder *b, int *n, const char *column, int64_t value)
{
    sbuf_addf(sql, "%s%s = ?%d", (*n)++ ? ", " : "", column, bind_next_int(b, value));
}

/* "" clears a nullable text column */
static const char *
empty_null(const char *s)
{
    return s[0] == '\0' ? NULL : s;
}

/* What a change may not say, whatever the complaint: checked before anything is read. */
static int
change_check(const struct complaint_change *ch, struct err *e)
{
    const struct { const char *field, *value; } required[] = {
        { "status", ch->status }, { "kind", ch->kind }, { "nature", ch->nature },
    };

    for (size_t i = 0; i < sizeof(required) / sizeof(required[0]); i++)
        if (required[i].value != NULL && required[i].value[0] == '\0')
            return err_set(e, ERR_INVALID, required[i].field, "required", "%s cannot be cleared",
                           required[i].field);
    if (ch->has_headcount && ch->headcount < 1)
        return err_set(e, ERR_INVALID, "headcount", "out_of_range", "headcount below 1");
    if (ch->has_raised && ch->raised < 1)
        return err_set(e, ERR_INVALID, "raised", "out_of_range", "raised below 1");
    if (ch->has_reopenings && ch->reopenings < 0)
        return err_set(e, ERR_INVALID, "reopenings", "out_of_range", "negative reopenings");
    if (ch->has_loss && !ch->loss_clear && ch->loss_fen < 0)
        return err_set(e, ERR_INVALID, "loss", "out_of_range", "negative loss");
    return 0;
}

/* The complaint's project and category ids; ERR_NOT_FOUND (field "id") when there is none. */
static int
complaint_refs(struct store_sqlite *s, int64_t id, int64_t *project, int64_t *category,
               struct err *e)
{
    sqlite3_stmt *st = stmt(s, S_COMPLAINT_REFS, e);
    int rc;

    if (st == NULL)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *project = sqlite3_column_int64(st, 0);
        *category = sqlite3_column_int64(st, 1);   /* NULL reads as 0 */
    }
    done(st);
    if (rc == SQLITE_DONE)
        return err_set(e, ERR_NOT_FOUND, "id", "unknown", "no such complaint");
    if (rc != SQLITE_ROW)
        return fail(s, rc, "read complaint", e);
    return 0;
}

/* The references a change names, resolved to ids (0: cleared or not named). */
struct change_refs {
    int64_t project, category, subcategory, department, handler;
};

static int
resolve_change(struct store_sqlite *s, const struct complaint_change *ch, int64_t project,
               int64_t category, struct change_refs *r, struct err *e)
{
    memset(r, 0, sizeof(*r));
    if (ch->project != NULL &&
        lookup(s, S_PROJECT_BY_CODE, 0, ch->project, "project", &r->project, e) < 0)
        return -1;
    if (ch->category != NULL &&
        category_find(s, 0, ch->category, "category", true, &r->category, e) < 0)
        return -1;
    if (ch->subcategory != NULL && ch->subcategory[0] != '\0') {
        int64_t parent = ch->category != NULL ? r->category : category;
        if (parent == 0)
            return err_set(e, ERR_INVALID, "subcategory", "unknown",
                           "subcategory of a complaint without category");
        if (category_find(s, parent, ch->subcategory, "subcategory", true, &r->subcategory,
                          e) < 0)
            return -1;
    }
    if (ch->department != NULL && ch->department[0] != '\0' &&
        lookup(s, S_DEPARTMENT_FOR, ch->project != NULL ? r->project : project, ch->department,
               "department", &r->department, e) < 0)
        return -1;
    if (ch->handler != NULL && ch->handler[0] != '\0' &&
        lookup(s, S_STAFF_BY_LOGIN, 0, ch->handler, "handler", &r->handler, e) < 0)
        return -1;
    return 0;
}

static void
build_update(const struct complaint_change *ch, const struct change_refs *r, int64_t project,
             int64_t category, struct sbuf *sql, struct binder *b, int *n)
{
    if (ch->status)
        set_text(sql, b, n, "status", ch->status);
    if (ch->kind)
        set_text(sql, b, n, "kind", ch->kind);
    if (ch->nature)
        set_text(sql, b, n, "nature", ch->nature);
    if (ch->grade)
        set_text(sql, b, n, "grade", empty_null(ch->grade));
    if (ch->comm_type)
        set_text(sql, b, n, "comm_type", empty_null(ch->comm_type));
    if (ch->project && r->project != project) {
        set_id(sql, b, n, "project_id", r->project);
        /* a department of the old project becomes the one of the same code in the new */
        if (ch->department == NULL)
            sbuf_addf(sql, ", department_id = (SELECT n.id FROM departments o"
                           " JOIN departments n ON n.code = o.code AND n.project_id IN (?%d, 0)"
                           " WHERE o.id = complaints.department_id"
                           " ORDER BY n.project_id DESC LIMIT 1)",
                      bind_next_int(b, r->project));
    }
    if (ch->category) {
        set_id(sql, b, n, "category_id", r->category);
        /* the old subcategory is not one of another category's */
        if (ch->subcategory == NULL && r->category != category)
            set_id(sql, b, n, "subcategory_id", 0);
    }
    if (ch->subcategory)
        set_id(sql, b, n, "subcategory_id", r->subcategory);
    if (ch->department)
        set_id(sql, b, n, "department_id", r->department);
    if (ch->handler)
        set_id(sql, b, n, "handler_id", r->handler);
    if (ch->grade_overrides)
        set_text(sql, b, n, "grade_overrides", empty_null(ch->grade_overrides));
    if (ch->result)
        set_text(sql, b, n, "result", empty_null(ch->result));
    if (ch->close_response)
        set_text(sql, b, n, "close_response", empty_null(ch->close_response));
    if (ch->has_headcount)
        set_int(sql, b, n, "headcount", ch->headcount);
    if (ch->has_flags)
        set_int(sql, b, n, "flags", (int64_t)ch->flags);
    if (ch->has_loss && ch->loss_clear)
        set_text(sql, b, n, "loss_fen", NULL);
    else if (ch->has_loss)
        set_int(sql, b, n, "loss_fen", ch->loss_fen);
    if (ch->has_raised)
        set_int(sql, b, n, "raised", ch->raised);
    if (ch->has_reopenings)
        set_int(sql, b, n, "reopenings", ch->reopenings);
    if (ch->has_resolved_at)
        set_id(sql, b, n, "resolved_at", ch->resolved_at);
    if (ch->has_closed_at)
        set_id(sql, b, n, "closed_at", ch->closed_at);
    if (ch->has_case)
        set_int(sql, b, n, "is_case", ch->is_case);
    if (ch->has_returned)
        set_int(sql, b, n, "returned", ch->returned);
    else if (ch->status && strcmp(ch->status, "registered") != 0)
        set_int(sql, b, n, "returned", 0);     /* dispatched again, or closed off */
}

/* A change of the grade alone (what the grading rules make). */
static bool
grade_only(const struct complaint_change *ch)
{
    const char *const texts[] = { ch->status, ch->kind, ch->nature, ch->comm_type,
                                  ch->category, ch->subcategory, ch->project, ch->department,
                                  ch->handler, ch->grade_overrides, ch->result,
                                  ch->close_response };

    if (ch->grade == NULL || ch->grade[0] == '\0' || ch->has_headcount || ch->has_flags ||
        ch->has_loss || ch->has_raised || ch->has_reopenings || ch->has_resolved_at ||
        ch->has_closed_at || ch->has_case || ch->has_returned)
        return false;
    for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
        if (texts[i] != NULL)
            return false;
    return true;
}

static int
grade_set(struct store_sqlite *s, int64_t id, const char *grade, struct err *e)
{
    sqlite3_stmt *st = stmt(s, S_GRADE_SET, e);
    int rc;

    if (st == NULL)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    bind_text(st, 2, grade);
    rc = sqlite3_step(st);
    done(st);
    if (rc != SQLITE_DONE)
        return fail(s, rc, "set grade", e);
    if (sqlite3_changes(s->db) == 0)
        return err_set(e, ERR_NOT_FOUND, "id", "unknown", "no complaint %lld", (long long)id);
    return 0;
}

static int
sq_complaint_update(struct store *stp, int64_t id, const struct complaint_change *ch,
                    struct err *e)
{
    struct store_sqlite *s = to_sqlite(stp);
    struct binder b = { .n = 0 };
    struct change_refs r;
    struct sbuf sql;
    sqlite3_stmt *st = NULL;
    int64_t project = 0, category = 0;
    int n = 0, rc, ret = -1;

    if (grade_only(ch))
        return grade_set(s, id, ch->grade, e);
    if (change_check(ch, e) < 0 || complaint_refs(s, id, &project, &category, e) < 0 ||
        resolve_change(s, ch, project, category, &r, e) < 0)
        return -1;
    sbuf_init(&sql, 4096);
    sbuf_adds(&sql, "UPDATE complaints SET ");
    build_update(ch, &r, project, category, &sql, &b, &n);
    if (n == 0) {
        ret = 0;     /* nothing to change: the complaint exists, that is all */
        goto out;
    }
    sbuf_addf(&sql, " WHERE id = ?%d", bind_next_int(&b, id));
    if (sql.failed) {
        err_set(e, ERR_NOMEM, NULL, "nomem", "update text");
        goto out;
    }
    rc = sqlite3_prepare_v2(s->db, sql.buf, (int)sql.len, &st, NULL);
    if (rc != SQLITE_OK) {
        fail(s, rc, "prepare update", e);
        goto out;
    }
    for (int i = 0; i < b.n; i++) {
        if (b.is_int[i])
            sqlite3_bind_int64(st, i + 1, b.ints[i]);
        else
            bind_text(st, i + 1, b.texts[i]);
    }
    rc = sqlite3_step(st);
    if (rc != SQLITE_DONE) {
        fail(s, rc, "update complaint", e);
        goto out;
    }
    ret = 0;
out:
    sqlite3_finalize(st);
    sbuf_release(&sql);
    return ret;
}

/* ---- further complainants ---- */

/* Is complainant `id` the complaint's own or one of its further complainants? */
static int
already_complaining(struct store_sqlite *s, int64_t complaint_id, int64_t id, bool *yes,
                    struct err *e)
{
    sqlite3_stmt *st = stmt(s, S_PEOPLE_HAS, e);
    int rc;

    if (st == NULL)
        return -1;
    sqlite3_bind_int64(st, 1, complaint_id);
    sqlite3_bind_int64(st, 2, id);
    rc = sqlite3_step(st);
    done(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return fail(s, rc, "read complainants", e);
    *yes = rc == SQLITE_ROW;
    return 0;
}

static int
sq_person_add(struct store *stp, int64_t complaint_id, const struct complainant_new *in,
              int64_t now, int *seq, struct err *e)
{
    struct store_sqlite *s = to_sqlite(stp);
    sqlite3_stmt *st;
    int64_t complainant = 0, next;
    bool twice = false;
    int rc;

    if (in->role == NULL)
        return err_set(e, ERR_INVALID, "role", "required", "no role");
    if (complaint_exists(s, complaint_id, e) < 0 ||
        complainant_find_or_add(s, in, now, &complainant, e) < 0)
        return -1;
    if (complainant != 0 && already_complaining(s, complaint_id, complainant, &twice, e) < 0)
        return -1;
    if (twice)
        return err_set(e, ERR_CONFLICT, in->phone ? "phone" : "email", "exists",
                       "this complainant is on the complaint already");
    st = stmt(s, S_PEOPLE_NEXT_SEQ, e);
    if (st == NULL)
        return -1;
    sqlite3_bind_int64(st, 1, complaint_id);
    if (one_id(s, st, &next, e) < 0)
        return -1;
    st = stmt(s, S_PEOPLE_INSERT, e);
    if (st == NULL)
        return -1;
    sqlite3_bind_int64(st, 1, complaint_id);
    sqlite3_bind_int64(st, 2, next);
    bind_id(st, 3, complainant);
    bind_text(st, 4, in->name);
    bind_text(st, 5, in->phone);
    bind_text(st, 6, in->email);
    bind_text(st, 7, in->role);
    sqlite3_bind_int(st, 8, in->anonymous);
    sqlite3_bind_int64(st, 9, now);
    rc = sqlite3_step(st);
    done(st);
    if (rc != SQLITE_DONE)
        return fail(s, rc, "add complainant", e);
    *seq = (int)next;
    return 0;
}

static int
sq_complainant_by_phone(struct store *stp, const char *phone, int64_t *id, struct err *e)
{
    struct store_sqlite *s = to_sqlite(stp);
    struct err mine = { 0 };
    sqlite3_stmt *st;

    *id = 0;
    if (phone == NULL)
        return 0;
    if ((st = stmt(s, S_COMPLAINANT_BY_PHONE, e)) == NULL)
        return -1;
    bind_text(st, 1, phone);
    if (one_id(s, st, id, &mine) == 0 || mine.code == ERR_NOT_FOUND)
        return 0;
    *e = e->code == ERR_OK ? mine : *e;
    return -1;
}

/* ---- similar complaints ---- */

/*
 * EXPLAIN QUERY PLAN (SQLite 3.40, statistics of sq_maintain), both
 * statements: SEARCH complaints USING INDEX complaints_similar (project_id=?
 * AND category_id=? AND building_id=? AND received_at>? AND received_at<?);
 * the ids come in index order, newest first, without a sort; the count
 * keeps its distinct complainants in a temporary b-tree. The count covers
 * every similar complaint, the ids stop at SIMILAR_MAX.
 */
static int
similar_stmt(struct store_sqlite *s, enum stmt_id id, const int64_t ref[4],
             const struct similar_query *q, struct err *e, sqlite3_stmt **out)
{
    sqlite3_stmt *st = stmt(s, id, e);

    if (st == NULL)
        return -1;
    sqlite3_bind_int64(st, 1, ref[0]);
    sqlite3_bind_int64(st, 2, ref[1]);
    sqlite3_bind_int64(st, 3, ref[2]);
    sqlite3_bind_int64(st, 4, q->from);
    sqlite3_bind_int64(st, 5, q->to);
    bind_id(st, 6, ref[3]);
    *out = st;
    return 0;
}

static int
sq_similar_find(struct store *stp, const struct similar_query *q, struct arena *a,
                int64_t **ids, size_t *n, int *distinct, struct err *e)
{
    struct store_sqlite *s = to_sqlite(stp);
    int64_t ref[4] = { 0, 0, 0, 0 };   /* project, category, building, unit */
    int64_t count = 0, *items = NULL;
    size_t cap = 0, k = 0;
    sqlite3_stmt *st;
    int rc;

    if (ids != NULL)
        *ids = NULL;
    *n = 0;
    *distinct = 0;
    if (q->category == NULL || q->building == NULL)
        return 0;
    if (lookup(s, S_PROJECT_BY_CODE, 0, q->project, "project", &ref[0], e) < 0 ||
        lookup(s, S_TOP_CATEGORY, 0, q->category, "category", &ref[1], e) < 0 ||
        lookup(s, S_BUILDING_BY_NAME, ref[0], q->building, "building", &ref[2], e) < 0 ||
        (q->unit && lookup(s, S_UNIT_BY_NAME, ref[2], q->unit, "unit", &ref[3], e) < 0))
        return -1;
    if (similar_stmt(s, S_SIMILAR_COUNT, ref, q, e, &st) < 0)
        return -1;
    sqlite3_bind_int(st, 7, q->cap > 0 ? q->cap : -1);
    if (one_id(s, st, &count, e) < 0)
        return -1;
    *distinct = (int)count;
    if (ids == NULL)      /* the count alone: registration asks for the ids only when needed */
        return 0;
    if (similar_stmt(s, S_SIMILAR_IDS, ref, q, e, &st) < 0)
        return -1;
    sqlite3_bind_int(st, 7, SIMILAR_MAX);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if ((items = arena_grow(a, items, k, &cap, sizeof(*items))) == NULL) {
            done(st);
            return oom_error(a, e);
        }
        items[k++] = sqlite3_column_int64(st, 0);
    }
    done(st);
    if (rc != SQLITE_DONE)
        return fail(s, rc, "find similar complaints", e);
    *ids = items;
    *n = k;
    *distinct = (int)count;
    return 0;
}

/* ---- compensation ---- */

static bool
one_of(const char *s, const char *const *set)
{
    for (; s != NULL && *set != NULL; set++)
        if (strcmp(s, *set) == 0)
            return true;
    return false;
}

static int
sq_compensation_add(struct store *stp, const struct compensation_new *in, int64_t *id,
                    struct err *e)
{
    static const char *const first[] = { "proposed", "pending_approval", NULL };
    struct store_sqlite *s = to_sqlite(stp);
    sqlite3_stmt *st;
    int64_t by;
    int rc;

    if (!one_of(in->status, first))
        return err_set(e, ERR_INVALID, "status", "bad_value",
                       "a compensation starts proposed or pending_approval");
    if (in->type == NULL)
        return err_set(e, ERR_INVALID, "type", "required", "no compensation type");
    if (in->amount_fen < 0)
        return err_set(e, ERR_INVALID, "amount", "out_of_range", "negative amount");
    if (complaint_exists(s, in->complaint_id, e) < 0 ||
        lookup(s, S_STAFF_BY_LOGIN, 0, in->proposed_by, "proposed_by", &by, e) < 0 ||
        (st = stmt(s, S_COMPENSATION_INSERT, e)) == NULL)
        return -1;
    sqlite3_bind_int64(st, 1, in->complaint_id);
    bind_text(st, 2, in->type);
    sqlite3_bind_int64(st, 3, in->amount_fen);
    bind_text(st, 4, in->reason);
    bind_text(st, 5, in->status);
    sqlite3_bind_int64(st, 6, by);
    sqlite3_bind_int64(st, 7, in->at);
    rc = sqlite3_step(st);
    done(st);
    if (rc != SQLITE_DONE)
        return fail(s, rc, "add compensation", e);
    *id = sqlite3_last_insert_rowid(s->db);
    return 0;
}

static int
sq_compensation_decide(struct store *stp, int64_t complaint_id, int64_t id, const char *status,
                       const char *by, const char *reason, int64_t at, struct err *e)
{
    static const char *const decisions[] = { "approved", "rejected", "agreed", NULL };
    struct store_sqlite *s = to_sqlite(stp);
    sqlite3_stmt *st;
    int64_t staff;
    int rc;
    bool agree = status != NULL && strcmp(status, "agreed") == 0;

    if (!one_of(status, decisions))
        return err_set(e, ERR_INVALID, "status", "bad_value",
                       "a decision is approved, rejected or agreed");
    if (lookup(s, S_STAFF_BY_LOGIN, 0, by, "decided_by", &staff, e) < 0 ||
        (st = stmt(s, agree ? S_COMPENSATION_AGREE : S_COMPENSATION_DECIDE, e)) == NULL)
        return -1;
    sqlite3_bind_int64(st, 1, complaint_id);
    sqlite3_bind_int64(st, 2, id);
    bind_text(st, 3, status);
    sqlite3_bind_int64(st, 4, staff);
    sqlite3_bind_int64(st, 5, at);
    if (!agree)
        bind_text(st, 6, reason);
    rc = sqlite3_step(st);
    done(st);
    if (rc != SQLITE_DONE)
        return fail(s, rc, "decide compensation", e);
    if (sqlite3_changes(s->db) == 0)
        return err_set(e, ERR_NOT_FOUND, "id", "unknown", "no such compensation");
    return 0;
}

static int
read_compensation(sqlite3_stmt *st, struct arena *a, void *item)
{
    struct compensation *k = item;
    bool oom = false;

    k->id = sqlite3_column_int64(st, 0);
    k->type = col_text(st, 1, a, &oom);
    k->reason = col_text(st, 2, a, &oom);
    k->amount_fen = sqlite3_column_int64(st, 3);
    k->status = col_text(st, 4, a, &oom);
    k->proposed_by = col_text(st, 5, a, &oom);
    k->decided_by = col_text(st, 6, a, &oom);
    k->decision_reason = col_text(st, 7, a, &oom);
    k->proposed_at = sqlite3_column_int64(st, 8);
    k->decided_at = sqlite3_column_int64(st, 9);
    k->agreed_by = col_text(st, 10, a, &oom);
    k->agreed_at = sqlite3_column_int64(st, 11);
    return oom ? -1 : 0;
}

static int
sq_compensation_list(struct store *stp, int64_t complaint_id, struct arena *a,
                     struct compensation **out, size_t *n, struct err *e)
{
    struct store_sqlite *s = to_sqlite(stp);
    sqlite3_stmt *st = stmt(s, S_COMPENSATION_LIST, e);
    void *items = NULL;
    int rc;

    if (st == NULL)
        return -1;
    sqlite3_bind_int64(st, 1, complaint_id);
    rc = read_rows(s, st, a, sizeof(**out), read_compensation, "list compensations", &items, n,
                   e);
    done(st);
    if (rc < 0)
        return -1;
    for (size_t i = 0; i < *n; i++)
        ((struct compensation *)items)[i].complaint_id = complaint_id;
    *out = items;
    return 0;
}

/* ---- follow-ups ---- */

static int
check_kind(const char *kind, struct err *e)
{
    static const char *const kinds[] = { "regular", "sample", NULL };

    if (!one_of(kind, kinds))
        return err_set(e, ERR_INVALID, "kind", "bad_value", "a follow-up is regular or sample");
    return 0;
}

static int
sq_followup_create(struct store *stp, const struct followup_new *in, int64_t *id,
                   struct err *e)
{
    struct store_sqlite *s = to_sqlite(stp);
    struct err mine = { 0 };
    sqlite3_stmt *st;
    int64_t assignee = 0, found;
    int rc;

    if (check_kind(in->kind, e) < 0)
        return -1;
    if (in->cycle < 0)
        return err_set(e, ERR_INVALID, "cycle", "out_of_range", "negative cycle");
    if (complaint_exists(s, in->complaint_id, e) < 0 ||
        (in->assignee &&
         lookup(s, S_STAFF_BY_LOGIN, 0, in->assignee, "assignee", &assignee, e) < 0) ||
        (st = stmt(s, S_FOLLOWUP_BY_KEY, e)) == NULL)
        return -1;
    /* checked first, so that the conflict names its field; the UNIQUE key is the last word */
    sqlite3_bind_int64(st, 1, in->complaint_id);
    bind_text(st, 2, in->kind);
    sqlite3_bind_int(st, 3, in->cycle);
    if (one_id(s, st, &found, &mine) == 0)
        return err_set(e, ERR_CONFLICT, "kind", "exists",
                       "the complaint has a %s follow-up of cycle %d", in->kind, in->cycle);
    if (mine.code != ERR_NOT_FOUND) {
        *e = e->code == ERR_OK ? mine : *e;
        return -1;
    }
    if ((st = stmt(s, S_FOLLOWUP_INSERT, e)) == NULL)
        return -1;
    sqlite3_bind_int64(st, 1, in->complaint_id);
    bind_text(st, 2, in->kind);
    bind_text(st, 3, in->month);
    sqlite3_bind_int(st, 4, in->cycle);
    bind_id(st, 5, assignee);
    sqlite3_bind_int64(st, 6, in->created_at);
    sqlite3_bind_int64(st, 7, in->due_at);
    rc = sqlite3_step(st);
    done(st);
    if ((rc & 0xFF) == SQLITE_CONSTRAINT)
        return err_set(e, ERR_CONFLICT, "kind", "exists", "follow-up exists");
    if (rc != SQLITE_DONE)
        return fail(s, rc, "add follow-up", e);
    *id = sqlite3_last_insert_rowid(s->db);
    return 0;
}

static int
read_followup(sqlite3_stmt *st, struct arena *a, void *item)
{
    struct followup *f = item;
    bool oom = false;

    f->id = sqlite3_column_int64(st, 0);
    f->complaint_id = sqlite3_column_int64(st, 1);
    f->number = col_text(st, 2, a, &oom);
    f->project_code = col_text(st, 3, a, &oom);
    f->subject = col_text(st, 4, a, &oom);
    f->kind = col_text(st, 5, a, &oom);
    f->month = col_text(st, 6, a, &oom);
    f->cycle = sqlite3_column_int(st, 7);
    f->assignee_login = col_text(st, 8, a, &oom);
    f->assignee_name = col_text(st, 9, a, &oom);
    f->status = col_text(st, 10, a, &oom);
    f->created_at = sqlite3_column_int64(st, 11);
    f->due_at = sqlite3_column_int64(st, 12);
    f->done_at = sqlite3_column_int64(st, 13);
    f->done_by = col_text(st, 14, a, &oom);
    f->outcome = col_text(st, 15, a, &oom);
    f->satisfaction = col_text(st, 16, a, &oom);
    f->comment = col_text(st, 17, a, &oom);
    f->attempts = sqlite3_column_int(st, 18);
    f->score = sqlite3_column_int(st, 19);     /* NULL: 0, none */
    return oom ? -1 : 0;
}

static int
read_rating(sqlite3_stmt *st, struct arena *a, void *item)
{
    struct followup_rating *r = item;
    bool oom = false;

    r->person = sqlite3_column_int(st, 0);
    r->satisfaction = col_text(st, 1, a, &oom);
    r->score = sqlite3_column_int(st, 2);
    r->comment = col_text(st, 3, a, &oom);
    return oom ? -1 : 0;
}

static int
sq_followup_get(struct store *stp, int64_t id, struct arena *a, struct followup **out,
                struct err *e)
{
    struct store_sqlite *s = to_sqlite(stp);
    sqlite3_stmt *st = stmt(s, S_FOLLOWUP_GET, e);
    struct followup *f;
    void *ratings = NULL;
    int rc;

    if (st == NULL)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        done(st);
        if (rc == SQLITE_DONE)
            return err_set(e, ERR_NOT_FOUND, "id", "unknown", "no such follow-up");
        return fail(s, rc, "read follow-up", e);
    }
    f = arena_zalloc(a, sizeof(*f));
    if (f == NULL || read_followup(st, a, f) < 0) {
        done(st);
        return oom_error(a, e);
    }
    done(st);
    if ((st = stmt(s, S_FOLLOWUP_RATINGS, e)) == NULL)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    rc = read_rows(s, st, a, sizeof(*f->ratings), read_rating, "read ratings", &ratings,
                   &f->n_ratings, e);
    done(st);
    if (rc < 0)
        return -1;
    f->ratings = ratings;
    *out = f;
    return 0;
}

/*
 * The work lists. status and kind come from fixed sets and are written as
 * constants, so that the partial indexes on open follow-ups serve them
 * (SQLite matches a partial index's WHERE against the query's text, not
 * against bound values). EXPLAIN QUERY PLAN (SQLite 3.40):
 * - open, oldest due first: SCAN f USING INDEX followups_open_due, no sort;
 * - open of one assignee: SEARCH f USING INDEX followups_open_assignee
 *   (assignee_id=?), in due_at order, no sort;
 * - one complaint's: SEARCH f USING INDEX sqlite_autoindex_followups_1
 *   (complaint_id=?), then a sort of its few rows;
 * - a month's samples: SEARCH f USING INDEX followups_month (month=?), then a sort.
 */
static int
build_followup_list(struct store_sqlite *s, const struct followup_query *q, struct sbuf *sql,
                    struct binder *b, struct err *e)
{
    int64_t id;

    if (q->status != NULL && strcmp(q->status, "open") != 0 && strcmp(q->status, "done") != 0)
        return err_set(e, ERR_INVALID, "status", "bad_value", "status is open or done");
    if (q->kind != NULL && check_kind(q->kind, e) < 0)
        return -1;
    for (size_t i = 0; i < q->project.n; i++)
        if (lookup(s, S_PROJECT_BY_CODE, 0, q->project.values[i], "project", &id, e) < 0)
            return -1;
    sbuf_adds(sql, FOLLOWUP_SELECT " WHERE 1");
    if (q->status != NULL)
        sbuf_adds(sql, strcmp(q->status, "open") == 0 ? " AND f.status = 'open'"
                                                       : " AND f.status = 'done'");
    if (q->kind != NULL)
        sbuf_adds(sql, strcmp(q->kind, "regular") == 0 ? " AND f.kind = 'regular'"
                                                        : " AND f.kind = 'sample'");
    if (q->assignee != NULL) {
        if (lookup(s, S_STAFF_BY_LOGIN, 0, q->assignee, "assignee", &id, e) < 0)
            return -1;
        sbuf_addf(sql, " AND f.assignee_id = ?%d", bind_next_int(b, id));
    }
    if (q->month != NULL)
        sbuf_addf(sql, " AND f.month = ?%d", bind_next_text(b, q->month));
    if (q->complaint_id != 0)
        sbuf_addf(sql, " AND f.complaint_id = ?%d", bind_next_int(b, q->complaint_id));
    if (q->project.n > 0) {
        sbuf_adds(sql, " AND c.project_id IN (SELECT id FROM projects WHERE 1");
        filter_in(sql, b, "code", &q->project);
        sbuf_adds(sql, ")");
    }
    sbuf_addf(sql, " ORDER BY f.due_at, f.id LIMIT ?%d", bind_next_int(b, q->limit));
    return 0;
}

static int
followups_of(struct store_sqlite *s, int64_t complaint_id, int limit, struct arena *a,
             struct followup **out, size_t *n, struct err *e)
{
    sqlite3_stmt *st = stmt(s, S_FOLLOWUPS_OF, e);
    void *items = NULL;
    int rc;

    if (st == NULL)
        return -1;
    sqlite3_bind_int64(st, 1, complaint_id);
    sqlite3_bind_int(st, 2, limit);
    rc = read_rows(s, st, a, sizeof(**out), read_followup, "list follow-ups", &items, n, e);
    done(st);
    if (rc == 0)
        *out = items;
    return rc;
}

static int
sq_followup_list(struct store *stp, const struct followup_query *q, struct arena *a,
                 struct followup **out, size_t *n, struct err *e)
{
    struct store_sqlite *s = to_sqlite(stp);
    struct binder b = { .n = 0 };
    struct sbuf sql;
    sqlite3_stmt *st = NULL;
    void *items = NULL;
    int rc, ret = -1;

    *out = NULL;
    *n = 0;
    if (check_limit(q->limit, LIST_MAX, e) < 0)
        return -1;
    if (q->complaint_id != 0 && q->status == NULL && q->kind == NULL && q->assignee == NULL &&
        q->month == NULL && q->project.n == 0)
        return followups_of(s, q->complaint_id, q->limit, a, out, n, e);
    sbuf_init(&sql, 16384);
    if (build_followup_list(s, q, &sql, &b, e) < 0)
        goto out;
    if (sql.failed) {
        err_set(e, ERR_NOMEM, NULL, "nomem", "follow-up query text");
        goto out;
    }
    rc = sqlite3_prepare_v2(s->db, sql.buf, (int)sql.len, &st, NULL);
    if (rc != SQLITE_OK) {
        fail(s, rc, "prepare follow-up list", e);
        goto out;
    }
    for (int i = 0; i < b.n; i++) {
        if (b.is_int[i])
            sqlite3_bind_int64(st, i + 1, b.ints[i]);
        else
            bind_text(st, i + 1, b.texts[i]);
    }
    if (read_rows(s, st, a, sizeof(**out), read_followup, "list follow-ups", &items, n, e) < 0)
        goto out;
    *out = items;
    ret = 0;
out:
    sqlite3_finalize(st);
    sbuf_release(&sql);
    return ret;
}

/*
 * The ratings of the other complainants: each person a further complainant
 * of the follow-up's complaint (1, the complaint's own, is on the follow-up
 * itself but may be given here too), each once.
 */
static int
check_ratings(struct store_sqlite *s, int64_t complaint_id, const struct followup_outcome *o,
              struct err *e)
{
    for (size_t i = 0; i < o->n_ratings; i++) {
        int p = o->ratings[i].person;
        struct err mine = { 0 };
        sqlite3_stmt *st;
        int64_t seq;

        if (p < 1)
            return err_set(e, ERR_INVALID, "ratings.person", "out_of_range",
                           "person %d is not a complainant", p);
        for (size_t j = 0; j < i; j++)
            if (o->ratings[j].person == p)
                return err_set(e, ERR_INVALID, "ratings.person", "repeated",
                               "person %d is rated twice", p);
        if (p == 1)
            continue;
        if ((st = stmt(s, S_PERSON_EXISTS, e)) == NULL)
            return -1;
        sqlite3_bind_int64(st, 1, complaint_id);
        sqlite3_bind_int(st, 2, p);
        if (one_id(s, st, &seq, &mine) == 0)
            continue;
        if (mine.code == ERR_NOT_FOUND)
            return err_set(e, ERR_INVALID, "ratings.person", "unknown",
                           "the complaint has no complainant %d", p);
        *e = e->code == ERR_OK ? mine : *e;
        return -1;
    }
    return 0;
}

static int
insert_ratings(struct store_sqlite *s, int64_t id, const struct followup_outcome *o,
               struct err *e)
{
    for (size_t i = 0; i < o->n_ratings; i++) {
        const struct followup_rating *r = &o->ratings[i];
        sqlite3_stmt *st = stmt(s, S_RATING_INSERT, e);
        int rc;

        if (st == NULL)
            return -1;
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_int(st, 2, r->person);
        bind_text(st, 3, r->satisfaction);
        bind_id(st, 4, r->score);
        bind_text(st, 5, r->comment);
        rc = sqlite3_step(st);
        done(st);
        if (rc != SQLITE_DONE)
            return fail(s, rc, "add rating", e);
    }
    return 0;
}

static int
sq_followup_done(struct store *stp, int64_t id, const struct followup_outcome *o,
                 struct err *e)
{
    struct store_sqlite *s = to_sqlite(stp);
    sqlite3_stmt *st = stmt(s, S_FOLLOWUP_STATE, e);
    int64_t complaint_id = 0, by;
    bool open = false;
    int rc;

    if (st == NULL)
        return -1;
    if (o->outcome == NULL)
        return err_set(e, ERR_INVALID, "outcome", "required", "no outcome");
    sqlite3_bind_int64(st, 1, id);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        complaint_id = sqlite3_column_int64(st, 0);
        open = sqlite3_column_int(st, 1) != 0;
    }
    done(st);
    if (rc == SQLITE_DONE)
        return err_set(e, ERR_NOT_FOUND, "id", "unknown", "no such follow-up");
    if (rc != SQLITE_ROW)
        return fail(s, rc, "read follow-up", e);
    if (!open)
        return err_set(e, ERR_CONFLICT, "status", "done", "the follow-up was done already");
    if (lookup(s, S_STAFF_BY_LOGIN, 0, o->done_by, "done_by", &by, e) < 0 ||
        check_ratings(s, complaint_id, o, e) < 0 || (st = stmt(s, S_FOLLOWUP_DONE, e)) == NULL)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, o->done_at);
    sqlite3_bind_int64(st, 3, by);
    bind_text(st, 4, o->outcome);
    sqlite3_bind_int(st, 5, o->attempts);
    bind_text(st, 6, o->satisfaction);
    bind_id(st, 7, o->score);
    bind_text(st, 8, o->comment);
    rc = sqlite3_step(st);
    done(st);
    if (rc != SQLITE_DONE)
        return fail(s, rc, "record follow-up", e);
    /* the write lock since BEGIN IMMEDIATE keeps it open between the read and here */
    if (sqlite3_changes(s->db) == 0)
        return err_set(e, ERR_CONFLICT, "status", "done", "the follow-up was done already");
    return insert_ratings(s, id, o, e);
}

static int
read_closed(sqlite3_stmt *st, struct arena *a, void *item)
{
    struct closed_item *c = item;
    bool oom = false;

    c->id = sqlite3_column_int64(st, 0);
    c->number = col_text(st, 1, a, &oom);
    c->project_code = col_text(st, 2, a, &oom);
    c->reopenings = sqlite3_column_int(st, 3);
    return oom ? -1 : 0;
}

/*
 * EXPLAIN QUERY PLAN (SQLite 3.40): SEARCH c USING INDEX complaints_closed
 * (closed_at>? AND closed_at<?), SEARCH p USING INTEGER PRIMARY KEY, then a
 * sort by id of the month's closings.
 */
static int
sq_closed_between(struct store *stp, int64_t from, int64_t to, struct arena *a,
                  struct closed_item **out, size_t *n, struct err *e)
{
    struct store_sqlite *s = to_sqlite(stp);
    sqlite3_stmt *st = stmt(s, S_CLOSED_BETWEEN, e);
    void *items = NULL;
    int rc;

    if (st == NULL)
        return -1;
    sqlite3_bind_int64(st, 1, from);
    sqlite3_bind_int64(st, 2, to);
    rc = read_rows(s, st, a, sizeof(**out), read_closed, "list closed complaints", &items, n, e);
    done(st);
    if (rc < 0)
        return -1;
    *out = items;
    return 0;
}

static int
read_load(sqlite3_stmt *st, struct arena *a, void *item)
{
    struct staff_load *l = item;
    bool oom = false;

    l->login = col_text(st, 0, a, &oom);
    l->name = col_text(st, 1, a, &oom);
    l->open_followups = sqlite3_column_int(st, 2);
    return oom ? -1 : 0;
}

static int
sq_staff_in_role(struct store *stp, const char *project, const char *role, struct arena *a,
                 struct staff_load **out, size_t *n, struct err *e)
{
    struct store_sqlite *s = to_sqlite(stp);
    sqlite3_stmt *st;
    void *items = NULL;
    int64_t pid;
    int rc;

    if (check_role(role, e) < 0 ||
        lookup(s, S_PROJECT_BY_CODE, 0, project, "project", &pid, e) < 0 ||
        (st = stmt(s, S_STAFF_IN_ROLE, e)) == NULL)
        return -1;
    sqlite3_bind_int64(st, 1, pid);
    bind_text(st, 2, role);
    rc = read_rows(s, st, a, sizeof(**out), read_load, "list staff in role", &items, n, e);
    done(st);
    if (rc < 0)
        return -1;
    *out = items;
    return 0;
}

/* ---- the case library ---- */

static int
sq_case_put(struct store *stp, int64_t complaint_id, const char *summary, const char *lessons,
            const char *by, int64_t at, struct err *e)
{
    struct store_sqlite *s = to_sqlite(stp);
    sqlite3_stmt *st;
    int64_t staff;
    int rc;

    if (summary == NULL)
        return err_set(e, ERR_INVALID, "summary", "required", "no summary");
    if (complaint_exists(s, complaint_id, e) < 0 ||
        lookup(s, S_STAFF_BY_LOGIN, 0, by, "marked_by", &staff, e) < 0 ||
        (st = stmt(s, S_CASE_PUT, e)) == NULL)
        return -1;
    sqlite3_bind_int64(st, 1, complaint_id);
    bind_text(st, 2, summary);
    bind_text(st, 3, lessons);
    sqlite3_bind_int64(st, 4, staff);
    sqlite3_bind_int64(st, 5, at);
    rc = sqlite3_step(st);
    done(st);
    if (rc != SQLITE_DONE)
        return fail(s, rc, "mark case", e);
    if ((st = stmt(s, S_CASE_MARK, e)) == NULL)
        return -1;
    sqlite3_bind_int64(st, 1, complaint_id);
    rc = sqlite3_step(st);
    done(st);
    if (rc != SQLITE_DONE)
        return fail(s, rc, "mark complaint as case", e);
    return 0;
}

static int
read_case(sqlite3_stmt *st, struct arena *a, void *item)
{
    struct case_entry *c = item;
    bool oom = false;

    c->complaint_id = sqlite3_column_int64(st, 0);
    c->number = col_text(st, 1, a, &oom);
    c->project_code = col_text(st, 2, a, &oom);
    c->grade = col_text(st, 3, a, &oom);
    c->category_code = col_text(st, 4, a, &oom);
    c->subject = col_text(st, 5, a, &oom);
    c->summary = col_text(st, 6, a, &oom);
    c->lessons = col_text(st, 7, a, &oom);
    c->marked_by = col_text(st, 8, a, &oom);
    c->marked_at = sqlite3_column_int64(st, 9);
    return oom ? -1 : 0;
}

static int
sq_case_get(struct store *stp, int64_t complaint_id, struct arena *a, struct case_entry **out,
            struct err *e)
{
    struct store_sqlite *s = to_sqlite(stp);
    sqlite3_stmt *st = stmt(s, S_CASE_GET, e);
    void *items = NULL;
    size_t n = 0;
    int rc;

    if (st == NULL)
        return -1;
    sqlite3_bind_int64(st, 1, complaint_id);
    rc = read_rows(s, st, a, sizeof(**out), read_case, "read case", &items, &n, e);
    done(st);
    if (rc < 0)
        return -1;
    if (n == 0)
        return err_set(e, ERR_NOT_FOUND, "complaint_id", "unknown", "no such case");
    *out = items;
    return 0;
}

/* A scan of the cases (a library of hundreds, not millions): instr() needs no pattern syntax. */
static int
sq_case_list(struct store *stp, const char *q, int limit, struct arena *a,
             struct case_entry **out, size_t *n, struct err *e)
{
    struct store_sqlite *s = to_sqlite(stp);
    sqlite3_stmt *st;
    void *items = NULL;
    int rc;

    if (check_limit(limit, LIST_MAX, e) < 0 || (st = stmt(s, S_CASE_LIST, e)) == NULL)
        return -1;
    bind_text(st, 1, q != NULL && q[0] != '\0' ? q : NULL);
    sqlite3_bind_int(st, 2, limit);
    rc = read_rows(s, st, a, sizeof(**out), read_case, "list cases", &items, n, e);
    done(st);
    if (rc < 0)
        return -1;
    *out = items;
    return 0;
}

/* ---- a complainant's history ---- */

static int
read_history(sqlite3_stmt *st, struct arena *a, void *item)
{
    struct history_item *h = item;
    bool oom = false;

    h->number = col_text(st, 0, a, &oom);
    h->project_code = col_text(st, 1, a, &oom);
    h->subject = col_text(st, 2, a, &oom);
    h->status = col_text(st, 3, a, &oom);
    h->grade = col_text(st, 4, a, &oom);
    h->received_at = sqlite3_column_int64(st, 5);
    h->satisfaction = col_text(st, 6, a, &oom);
    h->compensation_fen = sqlite3_column_int64(st, 7);
    return oom ? -1 : 0;
}

/*
 * The complaints a person raised or joined. Written as "their ids, then
 * each complaint" with CROSS JOIN, which fixes that order: as one WHERE with
 * OR, SQLite 3.40 walked the whole of complaints_received (every complaint)
 * looking for the person's few. EXPLAIN QUERY PLAN now: CO-ROUTINE h,
 * COMPOUND QUERY of SEARCH complaints USING COVERING INDEX
 * complaints_complainant (complainant_id=?) and SEARCH complaint_people
 * USING COVERING INDEX complaint_people_complainant (complainant_id=?); SCAN
 * h; SEARCH c USING INTEGER PRIMARY KEY (rowid=?); then a sort of that
 * person's complaints; the follow-up and compensation of each through their
 * complaint_id indexes.
 */
static int
sq_history_list(struct store *stp, int64_t complainant_id, int64_t exclude_id, int limit,
                struct arena *a, struct history_item **out, size_t *n, struct err *e)
{
    struct store_sqlite *s = to_sqlite(stp);
    sqlite3_stmt *st;
    void *items = NULL;
    int rc;

    *out = NULL;
    *n = 0;
    if (check_limit(limit, LIST_MAX, e) < 0)
        return -1;
    if (complainant_id == 0)
        return 0;
    if ((st = stmt(s, S_HISTORY, e)) == NULL)
        return -1;
    sqlite3_bind_int64(st, 1, complainant_id);
    sqlite3_bind_int64(st, 2, exclude_id);
    sqlite3_bind_int(st, 3, limit);
    rc = read_rows(s, st, a, sizeof(**out), read_history, "list history", &items, n, e);
    done(st);
    if (rc < 0)
        return -1;
    *out = items;
    return 0;
}

/* ---- reference data the administrator edits ---- */

/*
 * run_write with the field a constraint names: a UNIQUE key broken is
 * ERR_CONFLICT (field, "exists").
 */
static int
run_write_field(struct store_sqlite *s, const char *sql, const char *what, const char *field,
                struct err *e, int (*bind)(sqlite3_stmt *, const void *), const void *arg)
{
    struct err mine = { 0 };

    if (run_write(s, sql, what, &mine, bind, arg) == 0)
        return 0;
    if (mine.code == ERR_CONFLICT)
        return err_set(e, ERR_CONFLICT, field, "exists", "%s: already exists", what);
    *e = e->code == ERR_OK ? mine : *e;
    return -1;
}

static int
check_names(const char *name_zh, const char *name_en, bool required, struct err *e)
{
    if ((required && name_zh == NULL) || (name_zh != NULL && name_zh[0] == '\0'))
        return err_set(e, ERR_INVALID, "name_zh", "required", "no Chinese name");
    if ((required && name_en == NULL) || (name_en != NULL && name_en[0] == '\0'))
        return err_set(e, ERR_INVALID, "name_en", "required", "no English name");
    return 0;
}

struct category_args { const struct category_new *in; int64_t parent; };

static int
bind_category(sqlite3_stmt *st, const void *arg)
{
    const struct category_args *c = arg;

    sqlite3_bind_int64(st, 1, c->parent);
    bind_text(st, 2, c->in->code);
    bind_text(st, 3, c->in->name_zh);
    bind_text(st, 4, c->in->name_en);
    bind_text(st, 5, c->in->description_zh);
    return bind_text(st, 6, c->in->description_en);
}

static int
sq_category_add(struct store *stp, const struct category_new *in, struct err *e)
{
    struct store_sqlite *s = to_sqlite(stp);
    struct category_args args = { in, 0 };

    if (in->code == NULL || in->code[0] == '\0')
        return err_set(e, ERR_INVALID, "code", "required", "no code");
    if (check_names(in->name_zh, in->name_en, true, e) < 0)
        return -1;
    /* two levels: a parent is a live top-level category */
    if (in->parent != NULL && category_find(s, 0, in->parent, "parent", true, &args.parent, e) < 0)
        return -1;
    return run_write_field(s,
                           "INSERT INTO categories (parent_id, code, name_zh, name_en,"
                           " description_zh, description_en, sort) VALUES (?1, ?2, ?3, ?4,"
                           " coalesce(?5, ''), coalesce(?6, ''), (SELECT coalesce(max(sort), -1)"
                           " + 1 FROM categories WHERE parent_id = ?1))",
                           "add category", "code", e, bind_category, &args);
}

struct category_change_args { const struct category_change *ch; int64_t id; };

static int
bind_category_change(sqlite3_stmt *st, const void *arg)
{
    const struct category_change_args *c = arg;

    sqlite3_bind_int64(st, 1, c->id);
    bind_text(st, 2, c->ch->name_zh);
    bind_text(st, 3, c->ch->name_en);
    bind_text(st, 4, c->ch->description_zh);
    bind_text(st, 5, c->ch->description_en);
    if (c->ch->has_retired)
        return sqlite3_bind_int(st, 6, c->ch->retired);
    return sqlite3_bind_null(st, 6);
}

static int
sq_category_update(struct store *stp, const char *parent, const char *code,
                   const struct category_change *ch, struct err *e)
{
    struct store_sqlite *s = to_sqlite(stp);
    struct category_change_args args = { ch, 0 };
    int64_t parent_id = 0;

    if (check_names(ch->name_zh, ch->name_en, false, e) < 0)
        return -1;
    /* the category is the subject here: one that is missing is not found */
    if ((parent != NULL && category_find(s, 0, parent, "parent", false, &parent_id, e) < 0) ||
        category_find(s, parent_id, code, "code", false, &args.id, e) < 0) {
        if (e->code == ERR_INVALID)
            e->code = ERR_NOT_FOUND;
        return -1;
    }
    return run_write(s,
                     "UPDATE categories SET name_zh = coalesce(?2, name_zh),"
                     " name_en = coalesce(?3, name_en),"
                     " description_zh = coalesce(?4, description_zh),"
                     " description_en = coalesce(?5, description_en),"
                     " retired = coalesce(?6, retired) WHERE id = ?1",
                     "update category", e, bind_category_change, &args);
}

static int
read_department(sqlite3_stmt *st, struct arena *a, void *item)
{
    struct department *d = item;
    bool oom = false;

    d->code = col_text(st, 0, a, &oom);
    d->name = col_text(st, 1, a, &oom);
    d->project = col_text(st, 2, a, &oom);
    return oom ? -1 : 0;
}

static int
sq_department_list(struct store *stp, const char *project, struct arena *a,
                   struct department **out, size_t *n, struct err *e)
{
    /* the company's first (project_id 0), then by project, as they were created */
    static const char all[] =
        "SELECT d.code, d.name, p.code FROM departments d"
        " LEFT JOIN projects p ON p.id = d.project_id ORDER BY d.project_id, d.id";
    static const char one[] =
        "SELECT d.code, d.name, p.code FROM departments d"
        " LEFT JOIN projects p ON p.id = d.project_id WHERE d.project_id IN (0, ?1)"
        " ORDER BY d.project_id, d.id";
    struct store_sqlite *s = to_sqlite(stp);
    sqlite3_stmt *st;
    void *items = NULL;
    int64_t pid = 0;
    int rc;

    if (project && lookup(s, S_PROJECT_BY_CODE, 0, project, "project", &pid, e) < 0)
        return -1;
    rc = sqlite3_prepare_v2(s->db, project ? one : all, -1, &st, NULL);
    if (rc != SQLITE_OK)
        return fail(s, rc, "prepare departments", e);
    if (project)
        sqlite3_bind_int64(st, 1, pid);
    rc = read_rows(s, st, a, sizeof(**out), read_department, "list departments", &items, n, e);
    sqlite3_finalize(st);
    if (rc < 0)
        return -1;
    *out = items;
    return 0;
}

static int
read_dispatch(sqlite3_stmt *st, struct arena *a, void *item)
{
    struct dispatch_rule *r = item;
    bool oom = false;

    r->id = sqlite3_column_int64(st, 0);
    r->category = col_text(st, 1, a, &oom);
    r->project = col_text(st, 2, a, &oom);
    r->department = col_text(st, 3, a, &oom);
    return oom ? -1 : 0;
}

static int
sq_dispatch_list(struct store *stp, struct arena *a, struct dispatch_rule **out, size_t *n,
                 struct err *e)
{
    /* categories in their order; the rule for every project before the projects' */
    static const char sql[] =
        "SELECT r.id, c.code, p.code, r.department_code FROM dispatch_rules r"
        " JOIN categories c ON c.id = r.category_id LEFT JOIN projects p ON p.id = r.project_id"
        " ORDER BY c.sort, c.id, r.project_id IS NOT NULL, p.code";
    struct store_sqlite *s = to_sqlite(stp);
    sqlite3_stmt *st;
    void *items = NULL;
    int rc = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);

    if (rc != SQLITE_OK)
        return fail(s, rc, "prepare dispatch rules", e);
    rc = read_rows(s, st, a, sizeof(**out), read_dispatch, "list dispatch rules", &items, n, e);
    sqlite3_finalize(st);
    if (rc < 0)
        return -1;
    *out = items;
    return 0;
}

struct dispatch_args { int64_t category, project; const char *department; };

static int
bind_dispatch(sqlite3_stmt *st, const void *arg)
{
    const struct dispatch_args *d = arg;

    sqlite3_bind_int64(st, 1, d->category);
    bind_id(st, 2, d->project);
    return bind_text(st, 3, d->department);
}

/*
 * A rule is configuration: replacing one updates it in place (its id stays),
 * removing one deletes it. The department code must name a department where
 * the rule applies: in the project or the company's, or, for a rule of every
 * project, anywhere (each project has its own "engineering").
 */
static int
sq_dispatch_put(struct store *stp, const char *category, const char *project,
                const char *department, struct err *e)
{
    struct store_sqlite *s = to_sqlite(stp);
    struct dispatch_args args = { 0, 0, department };
    int64_t dep;

    if (category == NULL)
        return err_set(e, ERR_INVALID, "category", "required", "no category");
    /* a rule of a retired category can still be removed, not set */
    if (category_find(s, 0, category, "category", department != NULL, &args.category, e) < 0)
        return -1;
    if (project && lookup(s, S_PROJECT_BY_CODE, 0, project, "project", &args.project, e) < 0)
        return -1;
    if (department == NULL)
        return run_write(s,
                         "DELETE FROM dispatch_rules WHERE category_id = ?1 AND project_id IS ?2",
                         "remove dispatch rule", e, bind_dispatch, &args);
    if ((project ? lookup(s, S_DEPARTMENT_FOR, args.project, department, "department", &dep, e)
                 : lookup(s, S_DEPARTMENT_ANY, 0, department, "department", &dep, e)) < 0)
        return -1;
    if (run_write(s,
                  "UPDATE dispatch_rules SET department_code = ?3"
                  " WHERE category_id = ?1 AND project_id IS ?2",
                  "set dispatch rule", e, bind_dispatch, &args) < 0)
        return -1;
    if (sqlite3_changes(s->db) > 0)
        return 0;
    return run_write(s,
                     "INSERT INTO dispatch_rules (category_id, project_id, department_code)"
                     " VALUES (?1, ?2, ?3)",
                     "add dispatch rule", e, bind_dispatch, &args);
}

static int
sq_dispatch_find(struct store *stp, const char *category, const char *project,
                 struct arena *a, const char **department, struct err *e)
{
    struct store_sqlite *s = to_sqlite(stp);
    sqlite3_stmt *st;
    int64_t cat, pid = 0;
    bool oom = false;
    int rc;

    *department = NULL;
    if (category == NULL)
        return 0;
    if (lookup(s, S_TOP_CATEGORY, 0, category, "category", &cat, e) < 0 ||
        (project && lookup(s, S_PROJECT_BY_CODE, 0, project, "project", &pid, e) < 0) ||
        (st = stmt(s, S_DISPATCH_FIND, e)) == NULL)
        return -1;
    sqlite3_bind_int64(st, 1, cat);
    bind_id(st, 2, pid);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *department = col_text(st, 0, a, &oom);
    done(st);
    if (oom)
        return oom_error(a, e);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return fail(s, rc, "find dispatch rule", e);
    return 0;
}

/* ---- grading rules ---- */

static int
read_grade_rule(sqlite3_stmt *st, struct arena *a, void *item)
{
    struct grade_rule_row *r = item;
    bool oom = false;

    r->code = col_text(st, 0, a, &oom);
    r->grade = col_text(st, 1, a, &oom);
    r->condition = col_text(st, 2, a, &oom);
    r->description_zh = col_text(st, 3, a, &oom);
    r->description_en = col_text(st, 4, a, &oom);
    r->enabled = sqlite3_column_int(st, 5) != 0;
    r->sort = sqlite3_column_int(st, 6);
    return oom ? -1 : 0;
}

static int
sq_grade_rule_list(struct store *stp, struct arena *a, const char **preset,
                   struct grade_rule_row **out, size_t *n, struct err *e)
{
    static const char sql[] = "SELECT code, grade, condition, description_zh, description_en,"
                              " enabled, sort FROM grade_rules ORDER BY sort, id";
    struct store_sqlite *s = to_sqlite(stp);
    sqlite3_stmt *st;
    void *items = NULL;
    char have[64];
    int rc;

    if (setting_get(s, "grading_preset", have, sizeof(have), e) < 0)
        return -1;
    if ((*preset = arena_strdup(a, have)) == NULL)
        return oom_error(a, e);
    rc = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);
    if (rc != SQLITE_OK)
        return fail(s, rc, "prepare grading rules", e);
    rc = read_rows(s, st, a, sizeof(**out), read_grade_rule, "list grading rules", &items, n, e);
    sqlite3_finalize(st);
    if (rc < 0)
        return -1;
    *out = items;
    return 0;
}

static int
bind_grade_rule(sqlite3_stmt *st, const void *arg)
{
    const struct grade_rule_row *r = arg;

    bind_text(st, 1, r->code);
    bind_text(st, 2, r->grade);
    bind_text(st, 3, r->condition);
    bind_text(st, 4, r->description_zh);
    bind_text(st, 5, r->description_en);
    return sqlite3_bind_int(st, 6, r->enabled);
}

/*
 * The grade must be one of the preset's levels (the levels are the preset's
 * and cannot be edited); the condition's syntax is the caller's to check
 * (core_grade_condition_parse), like the code's.
 */
static int
sq_grade_rule_put(struct store *stp, const struct grade_rule_row *row, struct err *e)
{
    struct store_sqlite *s = to_sqlite(stp);
    const struct grade_preset *p;
    bool known = false;
    char have[64];

    if (row->code == NULL || row->code[0] == '\0')
        return err_set(e, ERR_INVALID, "code", "required", "no rule code");
    if (row->condition == NULL || row->condition[0] == '\0')
        return err_set(e, ERR_INVALID, "condition", "required", "no condition");
    if (row->grade == NULL)
        return err_set(e, ERR_INVALID, "grade", "required", "no grade");
    if (setting_get(s, "grading_preset", have, sizeof(have), e) < 0)
        return -1;
    p = core_grade_preset_find(have);
    for (const struct grade_level *l = p ? p->levels : NULL; l && l->code && !known; l++)
        known = strcmp(l->code, row->grade) == 0;
    if (p != NULL && !known)
        return err_set(e, ERR_INVALID, "grade", "unknown", "preset %s has no grade %s", have,
                       row->grade);
    return run_write(s,
                     "INSERT INTO grade_rules (code, grade, condition, description_zh,"
                     " description_en, enabled, sort) VALUES (?1, ?2, ?3, coalesce(?4, ''),"
                     " coalesce(?5, ''), ?6, (SELECT coalesce(max(sort), -1) + 1"
                     " FROM grade_rules)) ON CONFLICT (code) DO UPDATE SET"
                     " grade = excluded.grade, condition = excluded.condition,"
                     " description_zh = excluded.description_zh,"
                     " description_en = excluded.description_en, enabled = excluded.enabled",
                     "put grading rule", e, bind_grade_rule, row);
}

/* Does any complaint have a grade? (A scan that stops at the first: rare, and an admin's.) */
static int
any_graded(struct store_sqlite *s, bool *yes, struct err *e)
{
    int64_t n;

    if (max_id(s, "SELECT EXISTS (SELECT 1 FROM complaints WHERE grade IS NOT NULL)", &n, e) < 0)
        return -1;
    *yes = n != 0;
    return 0;
}

/*
 * In a savepoint of its own, so that the rules and the setting change
 * together whether or not the caller has a transaction open (`kesu init`
 * has none).
 */
static int
sq_grade_preset_set(struct store *stp, const char *preset, struct err *e)
{
    struct store_sqlite *s = to_sqlite(stp);
    const struct grade_preset *p = core_grade_preset_find(preset);
    char have[64];
    bool graded;

    if (p == NULL)
        return err_set(e, ERR_INVALID, "grading", "unknown", "no grading preset '%s'",
                       preset ? preset : "(null)");
    if (exec(s, "SAVEPOINT grading", e) < 0)
        return -1;
    if (setting_get(s, "grading_preset", have, sizeof(have), e) < 0)
        goto undo;
    if (strcmp(have, p->name) == 0)
        return exec(s, "RELEASE grading", e);
    if (any_graded(s, &graded, e) < 0)
        goto undo;
    if (graded) {
        err_set(e, ERR_CONFLICT, "grading", "preset_set",
                "complaints were graded with the preset '%s'", have);
        goto undo;
    }
    /* the policy's own grades follow (updated_at 0: as shipped, nobody edited it) */
    if (seed_grading(s, p, e) < 0 || sqlx_policy_levels(&s->super, p, 0, e) < 0 ||
        exec(s, "RELEASE grading", e) < 0)
        goto undo;
    return 0;
undo:
    sqlite3_exec(s->db, "ROLLBACK TO grading; RELEASE grading", NULL, NULL, NULL);
    return -1;
}

/* ---- for the files beside this one (sqlite_int.h) ---- */

sqlite3 *
sqlx_db(struct store *st)
{
    return to_sqlite(st)->db;
}

sqlite3_stmt *
sqlx_stmt(struct store *st, const char *sql, struct err *e)
{
    struct store_sqlite *s = to_sqlite(st);
    sqlite3_stmt *prepared;
    int rc;

    for (size_t i = 0; i < s->n_ext; i++)
        if (s->ext[i].sql == sql)
            return s->ext[i].stmt;
    if (s->n_ext == SQLX_EXT_MAX) {
        err_set(e, ERR_STORE, NULL, "store", "sqlite: more than %d extra statements",
                SQLX_EXT_MAX);
        return NULL;
    }
    rc = sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &prepared, NULL);
    if (rc != SQLITE_OK) {
        fail(s, rc, "prepare", e);
        return NULL;
    }
    s->ext[s->n_ext].sql = sql;
    s->ext[s->n_ext].stmt = prepared;
    s->n_ext++;
    return prepared;
}

void
sqlx_done(sqlite3_stmt *stmt)
{
    done(stmt);
}

int
sqlx_fail(struct store *st, int rc, const char *what, struct err *e)
{
    return fail(to_sqlite(st), rc, what, e);
}

int
sqlx_exec(struct store *st, const char *sql, struct err *e)
{
    return exec(to_sqlite(st), sql, e);
}

int
sqlx_step_done(struct store *st, sqlite3_stmt *stmt, const char *what, struct err *e)
{
    int rc = sqlite3_step(stmt);

    done(stmt);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return fail(to_sqlite(st), rc, what, e);
    return 0;
}

int
sqlx_bind_text(sqlite3_stmt *stmt, int i, const char *s)
{
    return bind_text(stmt, i, s);
}

const char *
sqlx_col_text(sqlite3_stmt *stmt, int i, struct arena *a, bool *oom)
{
    return col_text(stmt, i, a, oom);
}

int
sqlx_oom(struct arena *a, struct err *e)
{
    return oom_error(a, e);
}

int
sqlx_rows(struct store *st, sqlite3_stmt *stmt, struct arena *a, size_t size, sqlx_row_fn rd,
          const char *what, void **out, size_t *n, struct err *e)
{
    return read_rows(to_sqlite(st), stmt, a, size, rd, what, out, n, e);
}

/* ---- open and close ---- */

static void
sq_close(struct store *stp)
{
    struct store_sqlite *s = to_sqlite(stp);

    for (int i = 0; i < S_COUNT; i++)
        sqlite3_finalize(s->stmts[i]);
    for (size_t i = 0; i < s->n_ext; i++)
        sqlite3_finalize(s->ext[i].stmt);
    sqlite3_close(s->db);
    alloc_free(s);
}

static const struct store_ops sqlite_ops = {
    .name = "sqlite",
    .close = sq_close,
    .tx_begin = sq_tx_begin,
    .tx_commit = sq_tx_commit,
    .tx_rollback = sq_tx_rollback,
    .savepoint = sq_savepoint,
    .savepoint_release = sq_savepoint_release,
    .savepoint_rollback = sq_savepoint_rollback,
    .set_durable = sq_set_durable,
    .health = sq_health,
    .migrate = sq_migrate,
    .maintain = sq_maintain,
    .complaint_create = sq_complaint_create,
    .complaint_get = sq_complaint_get,
    .complaint_list = sq_complaint_list,
    .event_append = sq_event_append,
    .event_list = sq_event_list,
    .attachment_add = sq_attachment_add,
    .attachment_list = sq_attachment_list,
    .attachment_get = sq_attachment_get,
    .idem_get = sq_idem_get,
    .idem_put = sq_idem_put,
    .category_list = sq_category_list,
    .project_list = sq_project_list,
    .unit_list = sq_unit_list,
    .project_add = sq_project_add,
    .building_add = sq_building_add,
    .unit_add = sq_unit_add,
    .staff_add = sq_staff_add,
    .staff_get = sq_staff_get,
    .staff_list = sq_staff_list,
    .staff_set_status = sq_staff_set_status,
    .staff_set_password = sq_staff_set_password,
    .membership_add = sq_membership_add,
    .department_add = sq_department_add,
    .role_count = sq_role_count,
    .audit_append = sq_audit_append,
    .audit_scan = sq_audit_scan,
    .session_create = sq_session_create,
    .credential_find = sq_credential_find,
    .credential_touch = sq_credential_touch,
    .credential_revoke = sq_credential_revoke,
    .session_revoke_staff = sq_session_revoke_staff,
    .token_create = sq_token_create,
    .token_list = sq_token_list,
    .audit_query = sq_audit_query,
    .complaint_update = sq_complaint_update,
    .person_add = sq_person_add,
    .similar_find = sq_similar_find,
    .complaint_get_by_id = sq_complaint_get_by_id,
    .compensation_add = sq_compensation_add,
    .compensation_decide = sq_compensation_decide,
    .compensation_list = sq_compensation_list,
    .followup_create = sq_followup_create,
    .followup_get = sq_followup_get,
    .followup_list = sq_followup_list,
    .followup_done = sq_followup_done,
    .closed_between = sq_closed_between,
    .staff_in_role = sq_staff_in_role,
    .case_put = sq_case_put,
    .case_get = sq_case_get,
    .case_list = sq_case_list,
    .history_list = sq_history_list,
    .complainant_by_phone = sq_complainant_by_phone,
    .category_add = sq_category_add,
    .category_update = sq_category_update,
    .department_list = sq_department_list,
    .dispatch_list = sq_dispatch_list,
    .dispatch_put = sq_dispatch_put,
    .dispatch_find = sq_dispatch_find,
    .grade_rule_list = sq_grade_rule_list,
    .grade_rule_put = sq_grade_rule_put,
    .grade_preset_set = sq_grade_preset_set,
    /* ---- calendar (store_sqlite_calendar.c) ---- */
    .calendar_load = sqc_calendar_load,
    .calendar_get = sqc_calendar_get,
    .calendar_put = sqc_calendar_put,
    .calendar_days_put = sqc_calendar_days_put,
    /* ---- end of calendar ---- */
    /* ---- notifications (store_sqlite_notify.c) ---- */
    .notification_add = sqlx_notification_add,
    .notification_list = sqlx_notification_list,
    .notification_unread = sqlx_notification_unread,
    .notification_read = sqlx_notification_read,
    .notification_read_all = sqlx_notification_read_all,
    .webhook_add = sqlx_webhook_add,
    .webhook_list = sqlx_webhook_list,
    .webhook_get = sqlx_webhook_get,
    .webhook_update = sqlx_webhook_update,
    .delivery_add = sqlx_delivery_add,
    .delivery_due = sqlx_delivery_due,
    .delivery_claim = sqlx_delivery_claim,
    .delivery_record = sqlx_delivery_record,
    .delivery_list = sqlx_delivery_list,
    .delivery_get = sqlx_delivery_get,
    .delivery_replay = sqlx_delivery_replay,
    .template_list = sqlx_template_list,
    .template_get = sqlx_template_get,
    .template_put = sqlx_template_put,
    /* ---- end of notifications ---- */
    /* ---- deadlines (store_sqlite_sched.c) ---- */
    .clock_policy_list = sqs_clock_policy_list,
    .clock_policy_put = sqs_clock_policy_put,
    .clock_list = sqs_clock_list,
    .clock_insert = sqs_clock_insert,
    .clock_update = sqs_clock_update,
    .clock_due = sqs_clock_due,
    .age_point_set = sqs_age_point_set,
    .age_due = sqs_age_due,
    .lease_acquire = sqs_lease_acquire,
    .lease_get = sqs_lease_get,
    .lease_ticked = sqs_lease_ticked,
    .backfill_next = sqs_backfill_next,
    .lease_backfilled = sqs_lease_backfilled,
    .escalation_rule_list = sqs_escalation_rule_list,
    .escalation_rule_put = sqs_escalation_rule_put,
    .escalation_add = sqs_escalation_add,
    .notice_add = sqs_notice_add,
    .notice_list = sqs_notice_list,
    .notice_get = sqs_notice_get,
    .notice_ack = sqs_notice_ack,
    .notice_due = sqs_notice_due,
    .notice_escalated = sqs_notice_escalated,
    .staff_responsible = sqs_staff_responsible,
    /* ---- end of deadlines ---- */
};

struct store *
store_sqlite_open(const char *path, struct err *e)
{
    static const char pragmas[] = "PRAGMA journal_mode = WAL;"
                                  "PRAGMA synchronous = FULL;"
                                  "PRAGMA foreign_keys = ON;"
                                  "PRAGMA cache_size = -8000;"
                                  "PRAGMA temp_store = MEMORY;";
    struct store_sqlite *s = alloc_malloc(sizeof(*s));
    int rc;

    if (s == NULL) {
        err_set(e, ERR_NOMEM, NULL, "nomem", "store");
        return NULL;
    }
    memset(s, 0, sizeof(*s));
    s->super.ops = &sqlite_ops;
    rc = sqlite3_open_v2(path, &s->db,
                         SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        err_set(e, ERR_STORE, "db", "cannot_open", "sqlite: cannot open '%s': %s", path,
                s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc));
        goto fail;
    }
    /* a locked database is waited for, never reported as an error at once */
    sqlite3_busy_timeout(s->db, 5000);
    sqlite3_extended_result_codes(s->db, 1);
    if (exec(s, pragmas, e) < 0 || fts_cjk_register(s->db, e) < 0)
        goto fail;
    return &s->super;
fail:
    sq_close(&s->super);
    return NULL;
}
