/*
 * The SQLite backend's deadline ops (issue 5, migration 8): the time-limit
 * policy, the clocks of complaints and the scheduler's queues (clocks,
 * age points, notices, all found through partial indexes on their next due
 * time), the lease that keeps one scheduler running among processes, the
 * escalation rules and the supervision notices. See store.h for contracts.
 */
#include "store/store_sqlite_sched.h"
#include "store/sqlite_int.h"
#include "core/account.h"
#include "core/clock.h"
#include "core/escalation.h"
#include "core/grading.h"

#include <stdio.h>
#include <string.h>

#define LIST_MAX 500
#define DUE_MAX 10000

static int
check_limit(int limit, int max, struct err *e)
{
    if (limit < 1 || limit > max)
        return err_set(e, ERR_INVALID, "limit", "out_of_range", "limit is 1 to %d", max);
    return 0;
}

static void
bind_opt_int(sqlite3_stmt *stmt, int i, int64_t v)
{
    if (v == 0)
        sqlite3_bind_null(stmt, i);
    else
        sqlite3_bind_int64(stmt, i, v);
}

/* The id of a project code; ERR_INVALID "project" "unknown" when there is none. */
static int
project_id(struct store *st, const char *code, int64_t *id, struct err *e)
{
    static const char sql[] = "SELECT id FROM projects WHERE code = ?1";
    sqlite3_stmt *stmt = sqlx_stmt(st, sql, e);
    int rc;

    if (stmt == NULL)
        return -1;
    sqlx_bind_text(stmt, 1, code);
    rc = sqlite3_step(stmt);
    *id = rc == SQLITE_ROW ? sqlite3_column_int64(stmt, 0) : 0;
    sqlx_done(stmt);
    if (rc == SQLITE_ROW)
        return 0;
    if (rc == SQLITE_DONE)
        return err_set(e, ERR_INVALID, "project", "unknown", "no project '%s'", code);
    return sqlx_fail(st, rc, "find project", e);
}

/* ---- seed ---- */

static int
seed_policy(struct store *st, int64_t now, struct err *e)
{
    struct clock_limit l;

    for (int k = 0; k < CK_COUNT; k++) {
        core_clock_default((enum clock_kind)k, false, &l);
        struct clock_policy_row row = { "*", core_clock_name((enum clock_kind)k), l.amount,
                                        core_clock_unit_name(l.unit), l.remind_percent,
                                        l.enabled, now };
        if (sqs_clock_policy_put(st, &row, e) < 0)
            return -1;
    }
    return 0;
}

int
sqlx_policy_levels(struct store *st, const struct grade_preset *p, int64_t now, struct err *e)
{
    static const char grades[] = "SELECT DISTINCT grade FROM clock_policy WHERE grade <> '*'";
    static const char drop[] = "DELETE FROM clock_policy WHERE grade = ?1";
    static const char top[] =
        "INSERT INTO clock_policy (grade, clock, amount, unit, remind_percent, enabled,"
        " updated_at) VALUES (?1, 'resolve', ?2, ?3, ?4, ?5, ?6) ON CONFLICT DO NOTHING";
    char foreign[16][64];
    size_t n = 0;
    sqlite3_stmt *stmt;
    struct clock_limit l;
    int rc;

    if (p == NULL || p->levels[0].code == NULL)
        return 0;
    if ((stmt = sqlx_stmt(st, grades, e)) == NULL)
        return -1;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW && n < sizeof(foreign) / sizeof(foreign[0])) {
        const char *g = (const char *)sqlite3_column_text(stmt, 0);
        bool known = false;
        for (const struct grade_level *lv = p->levels; lv->code != NULL && !known; lv++)
            known = g != NULL && strcmp(lv->code, g) == 0;
        if (!known && g != NULL && strlen(g) < sizeof(foreign[0]))
            snprintf(foreign[n++], sizeof(foreign[0]), "%s", g);
    }
    sqlx_done(stmt);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return sqlx_fail(st, rc, "read clock policy grades", e);
    for (size_t i = 0; i < n; i++) {
        if ((stmt = sqlx_stmt(st, drop, e)) == NULL)
            return -1;
        sqlx_bind_text(stmt, 1, foreign[i]);
        if (sqlx_step_done(st, stmt, "drop clock policy of another preset", e) < 0)
            return -1;
    }
    /* the top grade resolves in 20 working days (DOMAIN §5), unless someone set it otherwise */
    core_clock_default(CK_RESOLVE, true, &l);
    if ((stmt = sqlx_stmt(st, top, e)) == NULL)
        return -1;
    sqlx_bind_text(stmt, 1, p->levels[0].code);
    sqlite3_bind_int(stmt, 2, l.amount);
    sqlx_bind_text(stmt, 3, core_clock_unit_name(l.unit));
    sqlite3_bind_int(stmt, 4, l.remind_percent);
    sqlite3_bind_int(stmt, 5, l.enabled);
    sqlite3_bind_int64(stmt, 6, now);
    return sqlx_step_done(st, stmt, "seed the top grade's policy", e);
}

static int
seed_escalation(struct store *st, struct err *e)
{
    for (const struct escalation_def *d = core_escalation_presets; d->code != NULL; d++) {
        struct escalation_rule_row row = {
            .code = d->code, .condition = d->condition, .target_role = d->target_role,
            .target_department = d->target_department, .notice = d->notice,
            .ack_hours = d->ack_hours, .description_zh = d->description_zh,
            .description_en = d->description_en, .enabled = true,
        };
        if (sqs_escalation_rule_put(st, &row, e) < 0)
            return -1;
    }
    return 0;
}

int
sqlx_seed_sched(struct store *st, int64_t now, struct err *e)
{
    if (seed_policy(st, now, e) < 0 || seed_escalation(st, e) < 0)
        return -1;
    return 0;
}

/* ---- policy ---- */

static int
read_policy(sqlite3_stmt *stmt, struct arena *a, void *item)
{
    struct clock_policy_row *p = item;
    bool oom = false;

    p->grade = sqlx_col_text(stmt, 0, a, &oom);
    p->clock = sqlx_col_text(stmt, 1, a, &oom);
    p->amount = sqlite3_column_int(stmt, 2);
    p->unit = sqlx_col_text(stmt, 3, a, &oom);
    p->remind_percent = sqlite3_column_int(stmt, 4);
    p->enabled = sqlite3_column_int(stmt, 5) != 0;
    p->updated_at = sqlite3_column_int64(stmt, 6);
    return oom ? -1 : 0;
}

int
sqs_clock_policy_list(struct store *st, struct arena *a, struct clock_policy_row **out,
                      size_t *n, struct err *e)
{
    static const char sql[] = "SELECT grade, clock, amount, unit, remind_percent, enabled,"
                              " updated_at FROM clock_policy ORDER BY grade = '*' DESC, grade,"
                              " clock";
    sqlite3_stmt *stmt = sqlx_stmt(st, sql, e);
    void *items = NULL;
    int rc;

    if (stmt == NULL)
        return -1;
    rc = sqlx_rows(st, stmt, a, sizeof(**out), read_policy, "list clock policy", &items, n, e);
    sqlx_done(stmt);
    *out = items;
    return rc;
}

int
sqs_clock_policy_put(struct store *st, const struct clock_policy_row *row, struct err *e)
{
    static const char sql[] =
        "INSERT INTO clock_policy (grade, clock, amount, unit, remind_percent, enabled,"
        " updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (grade, clock) DO UPDATE"
        " SET amount = excluded.amount, unit = excluded.unit,"
        " remind_percent = excluded.remind_percent, enabled = excluded.enabled,"
        " updated_at = excluded.updated_at";
    sqlite3_stmt *stmt = sqlx_stmt(st, sql, e);

    if (stmt == NULL)
        return -1;
    sqlx_bind_text(stmt, 1, row->grade);
    sqlx_bind_text(stmt, 2, row->clock);
    sqlite3_bind_int(stmt, 3, row->amount);
    sqlx_bind_text(stmt, 4, row->unit);
    sqlite3_bind_int(stmt, 5, row->remind_percent);
    sqlite3_bind_int(stmt, 6, row->enabled);
    sqlite3_bind_int64(stmt, 7, row->updated_at);
    return sqlx_step_done(st, stmt, "put clock policy", e);
}

/* ---- clocks ---- */

#define CLOCK_COLUMNS                                                                          \
    "SELECT id, complaint_id, kind, cycle, started_at, amount, unit, remind_percent, ext,"    \
    " due_at, remind_at, paused_at, reminded_at, overdue_at, stopped_at, cancelled,"         \
    " ifnull(next_at, 0) FROM clocks"

static int
read_clock(sqlite3_stmt *stmt, struct arena *a, void *item)
{
    struct clock_row *c = item;
    bool oom = false;

    c->id = sqlite3_column_int64(stmt, 0);
    c->complaint_id = sqlite3_column_int64(stmt, 1);
    c->kind = sqlx_col_text(stmt, 2, a, &oom);
    c->cycle = sqlite3_column_int(stmt, 3);
    c->started_at = sqlite3_column_int64(stmt, 4);
    c->amount = sqlite3_column_int(stmt, 5);
    c->unit = sqlx_col_text(stmt, 6, a, &oom);
    c->remind_percent = sqlite3_column_int(stmt, 7);
    c->ext = sqlite3_column_int64(stmt, 8);
    c->due_at = sqlite3_column_int64(stmt, 9);
    c->remind_at = sqlite3_column_int64(stmt, 10);
    c->paused_at = sqlite3_column_int64(stmt, 11);
    c->reminded_at = sqlite3_column_int64(stmt, 12);
    c->overdue_at = sqlite3_column_int64(stmt, 13);
    c->stopped_at = sqlite3_column_int64(stmt, 14);
    c->cancelled = sqlite3_column_int(stmt, 15) != 0;
    c->next_at = sqlite3_column_int64(stmt, 16);
    return oom ? -1 : 0;
}

int
sqs_clock_list(struct store *st, int64_t complaint_id, struct arena *a, struct clock_row **out,
               size_t *n, struct err *e)
{
    static const char sql[] = CLOCK_COLUMNS " WHERE complaint_id = ?1 ORDER BY id";
    sqlite3_stmt *stmt = sqlx_stmt(st, sql, e);
    void *items = NULL;
    int rc;

    if (stmt == NULL)
        return -1;
    sqlite3_bind_int64(stmt, 1, complaint_id);
    rc = sqlx_rows(st, stmt, a, sizeof(**out), read_clock, "list clocks", &items, n, e);
    sqlx_done(stmt);
    *out = items;
    return rc;
}

int
sqs_clock_insert(struct store *st, const struct clock_row *row, int64_t *id, struct err *e)
{
    static const char exists[] = "SELECT 1 FROM complaints WHERE id = ?1";
    static const char sql[] =
        "INSERT INTO clocks (complaint_id, kind, cycle, started_at, amount, unit,"
        " remind_percent, ext, due_at, remind_at, paused_at, reminded_at, overdue_at,"
        " stopped_at, cancelled, next_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11,"
        " ?12, ?13, ?14, ?15, ?16) ON CONFLICT (complaint_id, kind, cycle) DO NOTHING";
    sqlite3_stmt *stmt = sqlx_stmt(st, exists, e);
    int rc;

    if (stmt == NULL)
        return -1;
    sqlite3_bind_int64(stmt, 1, row->complaint_id);
    rc = sqlite3_step(stmt);
    sqlx_done(stmt);
    if (rc == SQLITE_DONE)
        return err_set(e, ERR_NOT_FOUND, "complaint_id", "not_found", "no such complaint");
    if (rc != SQLITE_ROW)
        return sqlx_fail(st, rc, "find complaint", e);
    if ((stmt = sqlx_stmt(st, sql, e)) == NULL)
        return -1;
    sqlite3_bind_int64(stmt, 1, row->complaint_id);
    sqlx_bind_text(stmt, 2, row->kind);
    sqlite3_bind_int(stmt, 3, row->cycle);
    sqlite3_bind_int64(stmt, 4, row->started_at);
    sqlite3_bind_int(stmt, 5, row->amount);
    sqlx_bind_text(stmt, 6, row->unit);
    sqlite3_bind_int(stmt, 7, row->remind_percent);
    sqlite3_bind_int64(stmt, 8, row->ext);
    sqlite3_bind_int64(stmt, 9, row->due_at);
    sqlite3_bind_int64(stmt, 10, row->remind_at);
    sqlite3_bind_int64(stmt, 11, row->paused_at);
    sqlite3_bind_int64(stmt, 12, row->reminded_at);
    sqlite3_bind_int64(stmt, 13, row->overdue_at);
    sqlite3_bind_int64(stmt, 14, row->stopped_at);
    sqlite3_bind_int(stmt, 15, row->cancelled);
    bind_opt_int(stmt, 16, row->next_at);
    if (sqlx_step_done(st, stmt, "insert clock", e) < 0)
        return -1;
    if (sqlite3_changes(sqlx_db(st)) == 0)
        return err_set(e, ERR_CONFLICT, "clock", "exists", "the clock %s cycle %d exists",
                       row->kind, row->cycle);
    *id = sqlite3_last_insert_rowid(sqlx_db(st));
    return 0;
}

int
sqs_clock_update(struct store *st, const struct clock_row *row, int64_t expect_next_at,
                 int64_t expect_stopped_at, bool *updated, struct err *e)
{
    static const char exists[] = "SELECT 1 FROM clocks WHERE id = ?1";
    static const char sql[] =
        "UPDATE clocks SET amount = ?2, unit = ?3, remind_percent = ?4, ext = ?5, due_at = ?6,"
        " remind_at = ?7, paused_at = ?8, reminded_at = ?9, overdue_at = ?10, stopped_at = ?11,"
        " cancelled = ?12, next_at = ?13"
        " WHERE id = ?1 AND ifnull(next_at, 0) = ?14 AND stopped_at = ?15";
    sqlite3_stmt *stmt = sqlx_stmt(st, sql, e);
    int rc;

    *updated = false;
    if (stmt == NULL)
        return -1;
    sqlite3_bind_int64(stmt, 1, row->id);
    sqlite3_bind_int(stmt, 2, row->amount);
    sqlx_bind_text(stmt, 3, row->unit);
    sqlite3_bind_int(stmt, 4, row->remind_percent);
    sqlite3_bind_int64(stmt, 5, row->ext);
    sqlite3_bind_int64(stmt, 6, row->due_at);
    sqlite3_bind_int64(stmt, 7, row->remind_at);
    sqlite3_bind_int64(stmt, 8, row->paused_at);
    sqlite3_bind_int64(stmt, 9, row->reminded_at);
    sqlite3_bind_int64(stmt, 10, row->overdue_at);
    sqlite3_bind_int64(stmt, 11, row->stopped_at);
    sqlite3_bind_int(stmt, 12, row->cancelled);
    bind_opt_int(stmt, 13, row->next_at);
    sqlite3_bind_int64(stmt, 14, expect_next_at);
    sqlite3_bind_int64(stmt, 15, expect_stopped_at);
    if (sqlx_step_done(st, stmt, "update clock", e) < 0)
        return -1;
    if (sqlite3_changes(sqlx_db(st)) == 1) {
        *updated = true;
        return 0;
    }
    if ((stmt = sqlx_stmt(st, exists, e)) == NULL)
        return -1;
    sqlite3_bind_int64(stmt, 1, row->id);
    rc = sqlite3_step(stmt);
    sqlx_done(stmt);
    if (rc == SQLITE_DONE)
        return err_set(e, ERR_NOT_FOUND, "id", "not_found", "no clock %lld", (long long)row->id);
    return rc == SQLITE_ROW ? 0 : sqlx_fail(st, rc, "find clock", e);
}

int
sqs_clock_due(struct store *st, int64_t now, int limit, struct arena *a, struct clock_row **out,
              size_t *n, struct err *e)
{
    static const char sql[] = CLOCK_COLUMNS " WHERE next_at IS NOT NULL AND next_at <= ?1"
                                            " ORDER BY next_at LIMIT ?2";
    sqlite3_stmt *stmt;
    void *items = NULL;
    int rc;

    if (check_limit(limit, DUE_MAX, e) < 0 || (stmt = sqlx_stmt(st, sql, e)) == NULL)
        return -1;
    sqlite3_bind_int64(stmt, 1, now);
    sqlite3_bind_int(stmt, 2, limit);
    rc = sqlx_rows(st, stmt, a, sizeof(**out), read_clock, "due clocks", &items, n, e);
    sqlx_done(stmt);
    *out = items;
    return rc;
}

/* ---- age points ---- */

int
sqs_age_point_set(struct store *st, int64_t complaint_id, int64_t at, struct err *e)
{
    static const char put[] = "INSERT INTO age_points (complaint_id, at) VALUES (?1, ?2)"
                              " ON CONFLICT (complaint_id) DO UPDATE SET at = excluded.at";
    static const char del[] = "DELETE FROM age_points WHERE complaint_id = ?1";
    sqlite3_stmt *stmt = sqlx_stmt(st, at != 0 ? put : del, e);

    if (stmt == NULL)
        return -1;
    sqlite3_bind_int64(stmt, 1, complaint_id);
    if (at != 0)
        sqlite3_bind_int64(stmt, 2, at);
    return sqlx_step_done(st, stmt, "set age point", e);
}

static int
read_id(sqlite3_stmt *stmt, struct arena *a, void *item)
{
    (void)a;
    *(int64_t *)item = sqlite3_column_int64(stmt, 0);
    return 0;
}

static int
ids_of(struct store *st, const char *sql, int64_t v, int limit, struct arena *a, int64_t **ids,
       size_t *n, const char *what, struct err *e)
{
    sqlite3_stmt *stmt;
    void *items = NULL;
    int rc;

    if (check_limit(limit, DUE_MAX, e) < 0 || (stmt = sqlx_stmt(st, sql, e)) == NULL)
        return -1;
    sqlite3_bind_int64(stmt, 1, v);
    sqlite3_bind_int(stmt, 2, limit);
    rc = sqlx_rows(st, stmt, a, sizeof(**ids), read_id, what, &items, n, e);
    sqlx_done(stmt);
    *ids = items;
    return rc;
}

int
sqs_age_due(struct store *st, int64_t now, int limit, struct arena *a, int64_t **ids, size_t *n,
            struct err *e)
{
    static const char sql[] =
        "SELECT complaint_id FROM age_points WHERE at <= ?1 ORDER BY at LIMIT ?2";

    return ids_of(st, sql, now, limit, a, ids, n, "due age points", e);
}

/* ---- the lease ---- */

int
sqs_lease_acquire(struct store *st, const char *name, const char *holder, int64_t now, int ttl,
                  bool *held, struct err *e)
{
    static const char sql[] = "UPDATE sched_lease SET holder = ?2, expires_at = ?3"
                              " WHERE name = ?1 AND (holder = ?2 OR holder = '' OR"
                              " expires_at <= ?4)";
    sqlite3_stmt *stmt = sqlx_stmt(st, sql, e);

    *held = false;
    if (stmt == NULL)
        return -1;
    sqlx_bind_text(stmt, 1, name);
    sqlx_bind_text(stmt, 2, holder);
    sqlite3_bind_int64(stmt, 3, now + ttl);
    sqlite3_bind_int64(stmt, 4, now);
    if (sqlx_step_done(st, stmt, "take lease", e) < 0)
        return -1;
    *held = sqlite3_changes(sqlx_db(st)) == 1;
    return 0;
}

int
sqs_lease_get(struct store *st, const char *name, struct arena *a, struct lease *out,
              struct err *e)
{
    static const char sql[] = "SELECT name, holder, expires_at, ticked_at, ticks, last,"
                              " backfill_after, backfill_until FROM sched_lease WHERE name = ?1";
    sqlite3_stmt *stmt = sqlx_stmt(st, sql, e);
    bool oom = false;
    int rc;

    if (stmt == NULL)
        return -1;
    sqlx_bind_text(stmt, 1, name);
    rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW) {
        out->name = sqlx_col_text(stmt, 0, a, &oom);
        out->holder = sqlx_col_text(stmt, 1, a, &oom);
        out->expires_at = sqlite3_column_int64(stmt, 2);
        out->ticked_at = sqlite3_column_int64(stmt, 3);
        out->ticks = sqlite3_column_int64(stmt, 4);
        out->last = sqlx_col_text(stmt, 5, a, &oom);
        out->backfill_after = sqlite3_column_int64(stmt, 6);
        out->backfill_until = sqlite3_column_int64(stmt, 7);
    }
    sqlx_done(stmt);
    if (rc == SQLITE_DONE)
        return err_set(e, ERR_NOT_FOUND, "name", "not_found", "no lease '%s'", name);
    if (rc != SQLITE_ROW)
        return sqlx_fail(st, rc, "read lease", e);
    return oom ? sqlx_oom(a, e) : 0;
}

int
sqs_lease_ticked(struct store *st, const char *name, const char *holder, int64_t now,
                 const char *summary, struct err *e)
{
    static const char sql[] = "UPDATE sched_lease SET ticked_at = ?3, ticks = ticks + 1,"
                              " last = ?4 WHERE name = ?1 AND holder = ?2";
    sqlite3_stmt *stmt = sqlx_stmt(st, sql, e);

    if (stmt == NULL)
        return -1;
    sqlx_bind_text(stmt, 1, name);
    sqlx_bind_text(stmt, 2, holder);
    sqlite3_bind_int64(stmt, 3, now);
    sqlx_bind_text(stmt, 4, summary ? summary : "{}");
    return sqlx_step_done(st, stmt, "record tick", e);
}

int
sqs_backfill_next(struct store *st, int limit, struct arena *a, int64_t **ids, size_t *n,
                  struct err *e)
{
    static const char sql[] =
        "SELECT c.id FROM complaints c, sched_lease l WHERE l.name = 'deadlines'"
        " AND c.id > l.backfill_after AND c.id <= l.backfill_until AND ?1 = ?1"
        " ORDER BY c.id LIMIT ?2";

    return ids_of(st, sql, 0, limit, a, ids, n, "complaints to backfill", e);
}

int
sqs_lease_backfilled(struct store *st, const char *name, int64_t last_id, struct err *e)
{
    static const char sql[] = "UPDATE sched_lease SET backfill_after = max(backfill_after, ?2)"
                              " WHERE name = ?1";
    sqlite3_stmt *stmt = sqlx_stmt(st, sql, e);

    if (stmt == NULL)
        return -1;
    sqlx_bind_text(stmt, 1, name);
    sqlite3_bind_int64(stmt, 2, last_id);
    return sqlx_step_done(st, stmt, "move backfill", e);
}

/* ---- escalation rules ---- */

static int
read_escalation_rule(sqlite3_stmt *stmt, struct arena *a, void *item)
{
    struct escalation_rule_row *r = item;
    bool oom = false;

    r->code = sqlx_col_text(stmt, 0, a, &oom);
    r->condition = sqlx_col_text(stmt, 1, a, &oom);
    r->target_role = sqlx_col_text(stmt, 2, a, &oom);
    r->target_department = sqlx_col_text(stmt, 3, a, &oom);
    r->notice = sqlite3_column_int(stmt, 4) != 0;
    r->ack_hours = sqlite3_column_int(stmt, 5);
    r->description_zh = sqlx_col_text(stmt, 6, a, &oom);
    r->description_en = sqlx_col_text(stmt, 7, a, &oom);
    r->enabled = sqlite3_column_int(stmt, 8) != 0;
    r->sort = sqlite3_column_int(stmt, 9);
    return oom ? -1 : 0;
}

int
sqs_escalation_rule_list(struct store *st, struct arena *a, struct escalation_rule_row **out,
                         size_t *n, struct err *e)
{
    static const char sql[] =
        "SELECT code, condition, target_role, target_department, notice, ack_hours,"
        " description_zh, description_en, enabled, sort FROM escalation_rules"
        " ORDER BY sort, code";
    sqlite3_stmt *stmt = sqlx_stmt(st, sql, e);
    void *items = NULL;
    int rc;

    if (stmt == NULL)
        return -1;
    rc = sqlx_rows(st, stmt, a, sizeof(**out), read_escalation_rule, "list escalation rules",
                   &items, n, e);
    sqlx_done(stmt);
    *out = items;
    return rc;
}

int
sqs_escalation_rule_put(struct store *st, const struct escalation_rule_row *row, struct err *e)
{
    static const char sql[] =
        "INSERT INTO escalation_rules (code, condition, target_role, target_department, notice,"
        " ack_hours, description_zh, description_en, enabled, sort) VALUES (?1, ?2, ?3, ?4, ?5,"
        " ?6, ?7, ?8, ?9, (SELECT ifnull(max(sort), 0) + 1 FROM escalation_rules))"
        " ON CONFLICT (code) DO UPDATE SET condition = excluded.condition,"
        " target_role = excluded.target_role, target_department = excluded.target_department,"
        " notice = excluded.notice, ack_hours = excluded.ack_hours,"
        " description_zh = excluded.description_zh, description_en = excluded.description_en,"
        " enabled = excluded.enabled";
    sqlite3_stmt *stmt = sqlx_stmt(st, sql, e);

    if (stmt == NULL)
        return -1;
    sqlx_bind_text(stmt, 1, row->code);
    sqlx_bind_text(stmt, 2, row->condition);
    sqlx_bind_text(stmt, 3, row->target_role);
    sqlx_bind_text(stmt, 4, row->target_department);
    sqlite3_bind_int(stmt, 5, row->notice);
    sqlite3_bind_int(stmt, 6, row->ack_hours);
    sqlx_bind_text(stmt, 7, row->description_zh ? row->description_zh : "");
    sqlx_bind_text(stmt, 8, row->description_en ? row->description_en : "");
    sqlite3_bind_int(stmt, 9, row->enabled);
    return sqlx_step_done(st, stmt, "put escalation rule", e);
}

int
sqs_escalation_add(struct store *st, int64_t complaint_id, const char *rule, int64_t at,
                   bool *added, struct err *e)
{
    static const char sql[] = "INSERT INTO escalations (complaint_id, rule, at)"
                              " VALUES (?1, ?2, ?3) ON CONFLICT (complaint_id, rule) DO NOTHING";
    sqlite3_stmt *stmt = sqlx_stmt(st, sql, e);

    *added = false;
    if (stmt == NULL)
        return -1;
    sqlite3_bind_int64(stmt, 1, complaint_id);
    sqlx_bind_text(stmt, 2, rule);
    sqlite3_bind_int64(stmt, 3, at);
    if (sqlx_step_done(st, stmt, "record escalation", e) < 0)
        return -1;
    *added = sqlite3_changes(sqlx_db(st)) == 1;
    return 0;
}

/* ---- supervision notices ---- */

int
sqs_notice_add(struct store *st, const struct notice_new *in, int64_t *id, struct err *e)
{
    static const char sql[] =
        "INSERT INTO notices (complaint_id, source, level, to_role, project_id, text, issued_at,"
        " ack_due_at, next_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)"
        " ON CONFLICT (complaint_id, source, level) DO NOTHING";
    sqlite3_stmt *stmt;
    int64_t pid = 0;

    *id = 0;
    if (in->project != NULL && project_id(st, in->project, &pid, e) < 0)
        return -1;
    if ((stmt = sqlx_stmt(st, sql, e)) == NULL)
        return -1;
    sqlite3_bind_int64(stmt, 1, in->complaint_id);
    sqlx_bind_text(stmt, 2, in->source);
    sqlite3_bind_int(stmt, 3, in->level);
    sqlx_bind_text(stmt, 4, in->to_role);
    bind_opt_int(stmt, 5, pid);
    sqlx_bind_text(stmt, 6, in->text ? in->text : "");
    sqlite3_bind_int64(stmt, 7, in->issued_at);
    sqlite3_bind_int64(stmt, 8, in->ack_due_at);
    if (sqlx_step_done(st, stmt, "issue notice", e) < 0)
        return -1;
    if (sqlite3_changes(sqlx_db(st)) == 1)
        *id = sqlite3_last_insert_rowid(sqlx_db(st));
    return 0;
}

#define NOTICE_COLUMNS                                                                         \
    "SELECT n.id, n.complaint_id, c.number, n.source, n.level, n.to_role, p.code, n.text,"    \
    " n.issued_at, n.ack_due_at, n.acked_at, n.escalated_at, s.login, n.ack_note"             \
    " FROM notices n JOIN complaints c ON c.id = n.complaint_id"                              \
    " LEFT JOIN projects p ON p.id = n.project_id LEFT JOIN staff s ON s.id = n.acked_by"

static int
read_notice(sqlite3_stmt *stmt, struct arena *a, void *item)
{
    struct notice *o = item;
    bool oom = false;

    o->id = sqlite3_column_int64(stmt, 0);
    o->complaint_id = sqlite3_column_int64(stmt, 1);
    o->number = sqlx_col_text(stmt, 2, a, &oom);
    o->source = sqlx_col_text(stmt, 3, a, &oom);
    o->level = sqlite3_column_int(stmt, 4);
    o->to_role = sqlx_col_text(stmt, 5, a, &oom);
    o->project = sqlx_col_text(stmt, 6, a, &oom);
    o->text = sqlx_col_text(stmt, 7, a, &oom);
    o->issued_at = sqlite3_column_int64(stmt, 8);
    o->ack_due_at = sqlite3_column_int64(stmt, 9);
    o->acked_at = sqlite3_column_int64(stmt, 10);
    o->escalated_at = sqlite3_column_int64(stmt, 11);
    o->acked_by = sqlx_col_text(stmt, 12, a, &oom);
    o->ack_note = sqlx_col_text(stmt, 13, a, &oom);
    return oom ? -1 : 0;
}

/* "'a','b'" of codes, quoted for SQL; codes are checked words, quotes doubled anyway. */
static char *
quoted_list(struct arena *a, const char *const *v, size_t n)
{
    size_t len = 1;
    char *out, *p;

    for (size_t i = 0; i < n; i++)
        len += 2 * strlen(v[i]) + 3;
    if ((out = arena_alloc(a, len)) == NULL)
        return NULL;
    p = out;
    for (size_t i = 0; i < n; i++) {
        if (i > 0)
            *p++ = ',';
        *p++ = '\'';
        for (const char *s = v[i]; *s; s++) {
            if (*s == '\'')
                *p++ = '\'';
            *p++ = *s;
        }
        *p++ = '\'';
    }
    *p = '\0';
    return out;
}

int
sqs_notice_list(struct store *st, const struct notice_query *q, struct arena *a,
                struct notice **out, size_t *n, struct err *e)
{
    size_t n_roles = 0;
    char *roles, *projects = NULL, *sql;
    sqlite3_stmt *stmt;
    void *items = NULL;
    int rc;

    if (check_limit(q->limit, LIST_MAX, e) < 0)
        return -1;
    while (q->roles != NULL && q->roles[n_roles] != NULL)
        n_roles++;
    if ((roles = quoted_list(a, q->roles ? q->roles : (const char *const[]){ NULL }, n_roles)) ==
            NULL ||
        (q->project.n > 0 &&
         (projects = quoted_list(a, q->project.values, q->project.n)) == NULL))
        return sqlx_oom(a, e);
    sql = arena_printf(a,
                       NOTICE_COLUMNS " WHERE n.complaint_id %s %lld%s%s%s%s%s%s%s"
                                      " ORDER BY n.id DESC LIMIT %d",
                       q->complaint_id != 0 ? "=" : ">", (long long)q->complaint_id,
                       n_roles ? " AND n.to_role IN (" : "", n_roles ? roles : "",
                       n_roles ? ")" : "",
                       projects ? " AND (n.project_id IS NULL OR p.code IN (" : "",
                       projects ? projects : "", projects ? "))" : "",
                       q->open_only ? " AND n.acked_at = 0" : "", q->limit);
    if (sql == NULL)
        return sqlx_oom(a, e);
    rc = sqlite3_prepare_v2(sqlx_db(st), sql, -1, &stmt, NULL);
    if (rc != SQLITE_OK)
        return sqlx_fail(st, rc, "prepare notices", e);
    rc = sqlx_rows(st, stmt, a, sizeof(**out), read_notice, "list notices", &items, n, e);
    sqlite3_finalize(stmt);
    *out = items;
    return rc;
}

int
sqs_notice_get(struct store *st, int64_t id, struct arena *a, struct notice **out,
               struct err *e)
{
    static const char sql[] = NOTICE_COLUMNS " WHERE n.id = ?1";
    sqlite3_stmt *stmt = sqlx_stmt(st, sql, e);
    void *items = NULL;
    size_t n = 0;
    int rc;

    if (stmt == NULL)
        return -1;
    sqlite3_bind_int64(stmt, 1, id);
    rc = sqlx_rows(st, stmt, a, sizeof(**out), read_notice, "read notice", &items, &n, e);
    sqlx_done(stmt);
    if (rc < 0)
        return -1;
    if (n == 0)
        return err_set(e, ERR_NOT_FOUND, "id", "not_found", "no notice %lld", (long long)id);
    *out = items;
    return 0;
}

int
sqs_notice_ack(struct store *st, int64_t id, const char *by, const char *note, int64_t at,
               struct err *e)
{
    static const char state[] = "SELECT acked_at FROM notices WHERE id = ?1";
    static const char staff[] = "SELECT id FROM staff WHERE login = ?1";
    static const char sql[] = "UPDATE notices SET acked_at = ?2, acked_by = ?3, ack_note = ?4,"
                              " next_at = NULL WHERE id = ?1";
    sqlite3_stmt *stmt = sqlx_stmt(st, state, e);
    int64_t acked = 0, staff_id = 0;
    int rc;

    if (stmt == NULL)
        return -1;
    sqlite3_bind_int64(stmt, 1, id);
    rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW)
        acked = sqlite3_column_int64(stmt, 0);
    sqlx_done(stmt);
    if (rc == SQLITE_DONE)
        return err_set(e, ERR_NOT_FOUND, "id", "not_found", "no notice %lld", (long long)id);
    if (rc != SQLITE_ROW)
        return sqlx_fail(st, rc, "read notice", e);
    if (acked != 0)
        return err_set(e, ERR_CONFLICT, "id", "done", "notice acknowledged already");
    if ((stmt = sqlx_stmt(st, staff, e)) == NULL)
        return -1;
    sqlx_bind_text(stmt, 1, by);
    rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW)
        staff_id = sqlite3_column_int64(stmt, 0);
    sqlx_done(stmt);
    if (rc == SQLITE_DONE)
        return err_set(e, ERR_INVALID, "acked_by", "unknown", "no staff '%s'", by);
    if (rc != SQLITE_ROW)
        return sqlx_fail(st, rc, "find staff", e);
    if ((stmt = sqlx_stmt(st, sql, e)) == NULL)
        return -1;
    sqlite3_bind_int64(stmt, 1, id);
    sqlite3_bind_int64(stmt, 2, at);
    sqlite3_bind_int64(stmt, 3, staff_id);
    sqlx_bind_text(stmt, 4, note);
    return sqlx_step_done(st, stmt, "acknowledge notice", e);
}

int
sqs_notice_due(struct store *st, int64_t now, int limit, struct arena *a, struct notice **out,
               size_t *n, struct err *e)
{
    static const char sql[] = NOTICE_COLUMNS " WHERE n.next_at IS NOT NULL AND n.next_at <= ?1"
                                             " ORDER BY n.next_at LIMIT ?2";
    sqlite3_stmt *stmt;
    void *items = NULL;
    int rc;

    if (check_limit(limit, DUE_MAX, e) < 0 || (stmt = sqlx_stmt(st, sql, e)) == NULL)
        return -1;
    sqlite3_bind_int64(stmt, 1, now);
    sqlite3_bind_int(stmt, 2, limit);
    rc = sqlx_rows(st, stmt, a, sizeof(**out), read_notice, "due notices", &items, n, e);
    sqlx_done(stmt);
    *out = items;
    return rc;
}

int
sqs_notice_escalated(struct store *st, int64_t id, int64_t at, bool *updated, struct err *e)
{
    static const char sql[] = "UPDATE notices SET escalated_at = ?2, next_at = NULL"
                              " WHERE id = ?1 AND next_at IS NOT NULL AND acked_at = 0";
    sqlite3_stmt *stmt = sqlx_stmt(st, sql, e);

    *updated = false;
    if (stmt == NULL)
        return -1;
    sqlite3_bind_int64(stmt, 1, id);
    sqlite3_bind_int64(stmt, 2, at);
    if (sqlx_step_done(st, stmt, "escalate notice", e) < 0)
        return -1;
    *updated = sqlite3_changes(sqlx_db(st)) == 1;
    return 0;
}

/* ---- who is responsible ---- */

static int
read_login(sqlite3_stmt *stmt, struct arena *a, void *item)
{
    bool oom = false;

    *(const char **)item = sqlx_col_text(stmt, 0, a, &oom);
    return oom ? -1 : 0;
}

int
sqs_staff_responsible(struct store *st, const char *project, const char *role, struct arena *a,
                      const char ***logins, size_t *n, struct err *e)
{
    static const char sql[] =
        "SELECT s.login FROM staff s WHERE s.status = 'active' AND s.id IN"
        " (SELECT m.staff_id FROM memberships m WHERE m.role = ?2 AND"
        " (m.project_id = 0 OR m.project_id = ?1)) ORDER BY s.login";
    sqlite3_stmt *stmt;
    void *items = NULL;
    int64_t pid = 0;
    bool known = false;
    int rc;

    for (size_t i = 0; core_roles_staff[i] != NULL; i++)
        known = known || strcmp(core_roles_staff[i], role) == 0;
    if (!known)
        return err_set(e, ERR_INVALID, "role", "bad_value", "no role '%s'", role);
    if (project != NULL && project_id(st, project, &pid, e) < 0)
        return -1;
    if ((stmt = sqlx_stmt(st, sql, e)) == NULL)
        return -1;
    sqlite3_bind_int64(stmt, 1, pid != 0 ? pid : -1);
    sqlx_bind_text(stmt, 2, role);
    rc = sqlx_rows(st, stmt, a, sizeof(**logins), read_login, "responsible staff", &items, n, e);
    sqlx_done(stmt);
    *logins = items;
    return rc;
}
