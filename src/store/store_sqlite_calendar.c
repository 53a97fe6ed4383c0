/*
 * The SQLite backend's ops for the working-day calendar (issue 5). See
 * store.h for the contracts and schema_sqlite.c (migration 6) for the
 * tables.
 *
 * A project's calendar is found by its project_id, the deployment's by
 * project_id NULL; "no calendar" is id 0. A project's exceptions lie over
 * the deployment's: the days of both are read in one query, ordered by day
 * with the project's first, and the second row of a day is dropped.
 */
#include "store/store_sqlite_calendar.h"
#include "store/sqlite_int.h"

#include <string.h>

#include "util/utf8.h"

/* ---- helpers ---- */

/* Step to the first row: true when there is one; *rc for the error check. */
static bool
one_row(sqlite3_stmt *stmt, int *rc)
{
    *rc = sqlite3_step(stmt);
    return *rc == SQLITE_ROW;
}

/* The id of a project (0 for NULL: the deployment). Unknown: ERR_INVALID "project" "unknown". */
static int
project_id(struct store *st, const char *code, int64_t *id, struct err *e)
{
    static const char sql[] = "SELECT id FROM projects WHERE code = ?1";
    sqlite3_stmt *stmt;
    int rc;

    *id = 0;
    if (code == NULL)
        return 0;
    if ((stmt = sqlx_stmt(st, sql, e)) == NULL)
        return -1;
    sqlx_bind_text(stmt, 1, code);
    if (one_row(stmt, &rc))
        *id = sqlite3_column_int64(stmt, 0);
    sqlx_done(stmt);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return sqlx_fail(st, rc, "read project", e);
    if (*id == 0)
        return err_set(e, ERR_INVALID, "project", "unknown", "no project '%s'", code);
    return 0;
}

/* The id of a staff member (0 for NULL). Unknown: ERR_INVALID "updated_by" "unknown". */
static int
staff_id(struct store *st, const char *login, int64_t *id, struct err *e)
{
    static const char sql[] = "SELECT id FROM staff WHERE login = ?1";
    sqlite3_stmt *stmt;
    int rc;

    *id = 0;
    if (login == NULL)
        return 0;
    if ((stmt = sqlx_stmt(st, sql, e)) == NULL)
        return -1;
    sqlx_bind_text(stmt, 1, login);
    if (one_row(stmt, &rc))
        *id = sqlite3_column_int64(stmt, 0);
    sqlx_done(stmt);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return sqlx_fail(st, rc, "read staff", e);
    if (*id == 0)
        return err_set(e, ERR_INVALID, "updated_by", "unknown", "no staff member '%s'", login);
    return 0;
}

static void
bind_ref(sqlite3_stmt *stmt, int i, int64_t id)
{
    if (id == 0)
        sqlite3_bind_null(stmt, i);
    else
        sqlite3_bind_int64(stmt, i, id);
}

/* A calendar's settings row, with the logins of who checked and changed it. */
struct cal_row {
    int64_t id;                    /* 0: there is none */
    unsigned weekly;
    int work_start, work_end;
    const char *source, *checked_by, *updated_by;
    int64_t checked_at, updated_at;
    bool checked;
};

/* The calendar of project `pid` (0: the deployment's); row->id 0 when there is none. */
static int
calendar_row(struct store *st, int64_t pid, struct arena *a, struct cal_row *row, struct err *e)
{
    static const char sql[] =
        "SELECT c.id, c.weekly, c.work_start, c.work_end, c.source, c.checked_at,"
        " k.login, c.updated_at, u.login"
        " FROM calendars c LEFT JOIN staff k ON k.id = c.checked_by"
        " LEFT JOIN staff u ON u.id = c.updated_by"
        " WHERE ifnull(c.project_id, 0) = ?1";
    sqlite3_stmt *stmt;
    bool oom = false;
    int rc;

    *row = (struct cal_row){ 0 };
    if ((stmt = sqlx_stmt(st, sql, e)) == NULL)
        return -1;
    sqlite3_bind_int64(stmt, 1, pid);
    if (one_row(stmt, &rc)) {
        row->id = sqlite3_column_int64(stmt, 0);
        row->weekly = (unsigned)sqlite3_column_int(stmt, 1);
        row->work_start = sqlite3_column_int(stmt, 2);
        row->work_end = sqlite3_column_int(stmt, 3);
        row->source = a ? sqlx_col_text(stmt, 4, a, &oom) : NULL;
        row->checked = sqlite3_column_type(stmt, 5) != SQLITE_NULL;
        row->checked_at = sqlite3_column_int64(stmt, 5);
        row->checked_by = a ? sqlx_col_text(stmt, 6, a, &oom) : NULL;
        row->updated_at = sqlite3_column_int64(stmt, 7);
        row->updated_by = a ? sqlx_col_text(stmt, 8, a, &oom) : NULL;
    }
    sqlx_done(stmt);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return sqlx_fail(st, rc, "read calendar", e);
    return oom ? sqlx_oom(a, e) : 0;
}

/* The deployment's settings when it has no row (never after migration 6). */
static void
default_row(struct cal_row *row)
{
    *row = (struct cal_row){
        .weekly = CAL_WEEKLY_DEFAULT,
        .work_start = CAL_WORK_START_DEFAULT,
        .work_end = CAL_WORK_END_DEFAULT,
        .source = "",
    };
}

/*
 * The calendars that make up project `pid`'s (0: the deployment's): its own
 * (*own 0 when none) and the deployment's (*base), and the settings in force.
 */
static int
layers(struct store *st, int64_t pid, struct arena *a, int64_t *own, int64_t *base,
       struct cal_row *settings, struct err *e)
{
    struct cal_row dep, mine = { 0 };

    if (calendar_row(st, 0, a, &dep, e) < 0 || (pid != 0 && calendar_row(st, pid, a, &mine, e) < 0))
        return -1;
    *base = dep.id;
    *own = mine.id;
    if (mine.id != 0)
        *settings = mine;
    else if (dep.id != 0)
        *settings = dep;
    else
        default_row(settings);
    return 0;
}

static enum cal_kind
kind_of(const unsigned char *s)
{
    return cal_kind_parse((const char *)s);
}

/* ---- migration 6: the shipped schedule ---- */

int
sqlx_seed_calendar(struct store *st, int64_t now, struct err *e)
{
    static const char cal_sql[] =
        "INSERT INTO calendars (project_id, weekly, work_start, work_end, source, updated_at)"
        " VALUES (NULL, ?1, ?2, ?3, ?4, ?5)";
    static const char day_sql[] =
        "INSERT INTO calendar_days (calendar_id, day, kind, name, updated_at)"
        " VALUES (?1, ?2, ?3, ?4, ?5)";
    sqlite3_stmt *stmt;
    int64_t id;

    if ((stmt = sqlx_stmt(st, cal_sql, e)) == NULL)
        return -1;
    sqlite3_bind_int(stmt, 1, (int)CAL_WEEKLY_DEFAULT);
    sqlite3_bind_int(stmt, 2, CAL_WORK_START_DEFAULT);
    sqlite3_bind_int(stmt, 3, CAL_WORK_END_DEFAULT);
    sqlx_bind_text(stmt, 4, cal_cn_source);
    sqlite3_bind_int64(stmt, 5, now);
    if (sqlx_step_done(st, stmt, "insert calendar", e) < 0)
        return -1;
    id = sqlite3_last_insert_rowid(sqlx_db(st));
    for (size_t i = 0; i < cal_cn_default_count; i++) {
        const struct cal_exception *x = &cal_cn_default[i];
        if ((stmt = sqlx_stmt(st, day_sql, e)) == NULL)
            return -1;
        sqlite3_bind_int64(stmt, 1, id);
        sqlite3_bind_int64(stmt, 2, x->day);
        sqlx_bind_text(stmt, 3, cal_kind_name(x->kind));
        sqlx_bind_text(stmt, 4, x->name);
        sqlite3_bind_int64(stmt, 5, now);
        if (sqlx_step_done(st, stmt, "insert calendar day", e) < 0)
            return -1;
    }
    return 0;
}

/* ---- calendar_load ---- */

/* own, base: the project's calendar (-1 when none) and the deployment's */
static const char layered_days_sql[] =
    "SELECT day, kind, name FROM calendar_days WHERE calendar_id IN (?1, ?2)"
    " ORDER BY day, calendar_id = ?1 DESC";

static int
read_exception(sqlite3_stmt *stmt, struct arena *a, void *item)
{
    struct cal_exception *x = item;
    bool oom = false;

    x->day = sqlite3_column_int64(stmt, 0);
    x->kind = kind_of(sqlite3_column_text(stmt, 1));
    x->name = sqlx_col_text(stmt, 2, a, &oom);
    if (x->name == NULL && !oom)
        x->name = "";
    return oom ? -1 : 0;
}

int
sqc_calendar_load(struct store *st, const char *project, struct arena *a, struct calendar *out,
                  struct err *e)
{
    struct cal_exception *days = NULL;
    struct cal_row settings;
    int64_t pid, own, base;
    size_t n = 0, kept = 0;
    sqlite3_stmt *stmt;
    int rc;

    if (project_id(st, project, &pid, e) < 0 || layers(st, pid, NULL, &own, &base, &settings, e) < 0)
        return -1;
    if ((stmt = sqlx_stmt(st, layered_days_sql, e)) == NULL)
        return -1;
    sqlite3_bind_int64(stmt, 1, own != 0 ? own : -1);
    sqlite3_bind_int64(stmt, 2, base);
    rc = sqlx_rows(st, stmt, a, sizeof(*days), read_exception, "read calendar days",
                   (void **)&days, &n, e);
    sqlx_done(stmt);
    if (rc < 0)
        return -1;
    /* the project's row of a day came first: drop the deployment's after it */
    for (size_t i = 0; i < n; i++)
        if (kept == 0 || days[kept - 1].day != days[i].day)
            days[kept++] = days[i];
    *out = (struct calendar){
        .weekly = settings.weekly,
        .work_start = settings.work_start,
        .work_end = settings.work_end,
        .days = days,
        .n_days = kept,
    };
    return 0;
}

/* ---- calendar_get ---- */

static int
read_day(sqlite3_stmt *stmt, struct arena *a, void *item)
{
    struct calendar_day *d = item;
    bool oom = false;

    d->day = sqlite3_column_int64(stmt, 0);
    d->kind = kind_of(sqlite3_column_text(stmt, 1));
    d->name = sqlx_col_text(stmt, 2, a, &oom);
    d->own = sqlite3_column_int(stmt, 3) != 0;
    d->updated_by = sqlx_col_text(stmt, 4, a, &oom);
    d->updated_at = sqlite3_column_int64(stmt, 5);
    if (d->name == NULL && !oom)
        d->name = "";
    return oom ? -1 : 0;
}

int
sqc_calendar_get(struct store *st, const char *project, int64_t from, int64_t to,
                 struct arena *a, struct calendar_record *out, struct err *e)
{
    static const char sql[] =
        "SELECT d.day, d.kind, d.name, d.calendar_id = ?1, s.login, d.updated_at"
        " FROM calendar_days d LEFT JOIN staff s ON s.id = d.updated_by"
        " WHERE d.calendar_id IN (?1, ?2) AND d.day BETWEEN ?3 AND ?4"
        " ORDER BY d.day, d.calendar_id = ?1 DESC";
    struct calendar_day *days = NULL;
    struct cal_row settings;
    int64_t pid, own, base;
    size_t n = 0, kept = 0;
    sqlite3_stmt *stmt;
    int rc;

    if (project_id(st, project, &pid, e) < 0 || layers(st, pid, a, &own, &base, &settings, e) < 0)
        return -1;
    if ((stmt = sqlx_stmt(st, sql, e)) == NULL)
        return -1;
    sqlite3_bind_int64(stmt, 1, own != 0 ? own : -1);
    sqlite3_bind_int64(stmt, 2, base);
    sqlite3_bind_int64(stmt, 3, from);
    sqlite3_bind_int64(stmt, 4, to);
    rc = sqlx_rows(st, stmt, a, sizeof(*days), read_day, "read calendar days", (void **)&days,
                   &n, e);
    sqlx_done(stmt);
    if (rc < 0)
        return -1;
    for (size_t i = 0; i < n; i++)
        if (kept == 0 || days[kept - 1].day != days[i].day)
            days[kept++] = days[i];
    *out = (struct calendar_record){
        .project = project,
        .own = own != 0,
        .weekly = settings.weekly,
        .work_start = settings.work_start,
        .work_end = settings.work_end,
        .source = settings.source ? settings.source : "",
        .checked = settings.checked,
        .checked_by = settings.checked_by,
        .checked_at = settings.checked ? settings.checked_at : 0,
        .updated_by = settings.updated_by,
        .updated_at = settings.updated_at,
        .days = days,
        .n_days = kept,
    };
    return 0;
}

/* ---- calendar_put ---- */

/*
 * The calendar of project `pid` (0: the deployment's), made when missing:
 * a project's with the deployment's settings, the deployment's with the
 * defaults. *id is its id; *created says whether it was made now.
 */
static int
calendar_ensure(struct store *st, int64_t pid, int64_t by, int64_t at, int64_t *id,
                bool *created, struct err *e)
{
    static const char copy_sql[] =
        "INSERT INTO calendars (project_id, weekly, work_start, work_end, source, checked_by,"
        " checked_at, updated_by, updated_at)"
        " SELECT ?1, weekly, work_start, work_end, source, checked_by, checked_at, ?2, ?3"
        " FROM calendars WHERE project_id IS NULL";
    static const char new_sql[] =
        "INSERT INTO calendars (project_id, updated_by, updated_at) VALUES (?1, ?2, ?3)";
    struct cal_row row;
    sqlite3_stmt *stmt;

    *created = false;
    if (calendar_row(st, pid, NULL, &row, e) < 0)
        return -1;
    if (row.id != 0) {
        *id = row.id;
        return 0;
    }
    /* a project's starts with the deployment's settings */
    if (pid != 0) {
        if ((stmt = sqlx_stmt(st, copy_sql, e)) == NULL)
            return -1;
        sqlite3_bind_int64(stmt, 1, pid);
        bind_ref(stmt, 2, by);
        sqlite3_bind_int64(stmt, 3, at);
        if (sqlx_step_done(st, stmt, "copy calendar", e) < 0)
            return -1;
    }
    /* the deployment's (never missing after migration 6), or a copy of nothing: the defaults */
    if (pid == 0 || sqlite3_changes(sqlx_db(st)) == 0) {
        if ((stmt = sqlx_stmt(st, new_sql, e)) == NULL)
            return -1;
        bind_ref(stmt, 1, pid);
        bind_ref(stmt, 2, by);
        sqlite3_bind_int64(stmt, 3, at);
        if (sqlx_step_done(st, stmt, "insert calendar", e) < 0)
            return -1;
    }
    *id = sqlite3_last_insert_rowid(sqlx_db(st));
    *created = true;
    return 0;
}

static int
check_change(const struct calendar_change *ch, struct err *e)
{
    if (ch->has_weekly && (ch->weekly & CAL_WEEKLY_ALL) == 0)
        return err_set(e, ERR_INVALID, "weekdays", "empty", "no working weekday");
    if (ch->has_weekly && ch->weekly > CAL_WEEKLY_ALL)
        return err_set(e, ERR_INVALID, "weekdays", "bad_value", "bits above Saturday");
    if (ch->has_hours && (ch->work_start < 0 || ch->work_start >= 1440))
        return err_set(e, ERR_INVALID, "work_start", "out_of_range", "0..1439 minutes");
    if (ch->has_hours && ch->work_end > 1440)
        return err_set(e, ERR_INVALID, "work_end", "out_of_range", "at most 24:00");
    if (ch->has_hours && ch->work_end <= ch->work_start)
        return err_set(e, ERR_INVALID, "work_end", "before_from", "not after work_start");
    if (ch->source != NULL && !utf8_is_valid(ch->source, strlen(ch->source)))
        return err_set(e, ERR_INVALID, "source", "bad_utf8", "not UTF-8");
    if (ch->source != NULL && utf8_len_chars(ch->source, strlen(ch->source)) > CAL_SOURCE_MAX)
        return err_set(e, ERR_INVALID, "source", "too_long", "over %d characters", CAL_SOURCE_MAX);
    return 0;
}

int
sqc_calendar_put(struct store *st, const struct calendar_change *ch, bool *created,
                 struct err *e)
{
    /* NULL keeps a column; checked: ?6 whether to touch it, ?7 set or clear */
    static const char sql[] =
        "UPDATE calendars SET weekly = ifnull(?2, weekly), work_start = ifnull(?3, work_start),"
        " work_end = ifnull(?4, work_end), source = ifnull(?5, source),"
        " checked_by = CASE WHEN NOT ?6 THEN checked_by WHEN ?7 THEN ?8 END,"
        " checked_at = CASE WHEN NOT ?6 THEN checked_at WHEN ?7 THEN ?9 END,"
        " updated_by = ?8, updated_at = ?9 WHERE id = ?1";
    int64_t pid, by, id;
    bool made;
    sqlite3_stmt *stmt;

    if (check_change(ch, e) < 0 || project_id(st, ch->project, &pid, e) < 0 ||
        staff_id(st, ch->by, &by, e) < 0 || calendar_ensure(st, pid, by, ch->at, &id, &made, e) < 0)
        return -1;
    if ((stmt = sqlx_stmt(st, sql, e)) == NULL)
        return -1;
    sqlite3_bind_int64(stmt, 1, id);
    if (ch->has_weekly)
        sqlite3_bind_int(stmt, 2, (int)ch->weekly);
    if (ch->has_hours) {
        sqlite3_bind_int(stmt, 3, ch->work_start);
        sqlite3_bind_int(stmt, 4, ch->work_end);
    }
    sqlx_bind_text(stmt, 5, ch->source);
    sqlite3_bind_int(stmt, 6, ch->has_checked);
    sqlite3_bind_int(stmt, 7, ch->checked);
    bind_ref(stmt, 8, by);
    sqlite3_bind_int64(stmt, 9, ch->at);
    if (sqlx_step_done(st, stmt, "update calendar", e) < 0)
        return -1;
    if (created != NULL)
        *created = made;
    return 0;
}

/* ---- calendar_days_put ---- */

static int
check_days(const struct calendar_day_change *days, size_t n, struct err *e)
{
    for (size_t i = 0; i < n; i++) {
        const char *name = days[i].name ? days[i].name : "";
        if (days[i].day < 0 || days[i].day > CAL_DAY_MAX)
            return err_set(e, ERR_INVALID, "date", "out_of_range", "day %lld",
                           (long long)days[i].day);
        if (days[i].kind != 0 && cal_kind_name(days[i].kind) == NULL)
            return err_set(e, ERR_INVALID, "kind", "bad_value", "kind %d", (int)days[i].kind);
        if (!utf8_is_valid(name, strlen(name)))
            return err_set(e, ERR_INVALID, "name", "bad_utf8", "not UTF-8");
        if (utf8_len_chars(name, strlen(name)) > CAL_NAME_MAX)
            return err_set(e, ERR_INVALID, "name", "too_long", "over %d characters",
                           CAL_NAME_MAX);
    }
    return 0;
}

/* One day: compare with what is stored and insert, update, delete or leave it. */
static int
day_put(struct store *st, int64_t cal, const struct calendar_day_change *d, int64_t by,
        int64_t at, struct calendar_days_result *out, struct err *e)
{
    static const char get_sql[] =
        "SELECT kind, name FROM calendar_days WHERE calendar_id = ?1 AND day = ?2";
    static const char del_sql[] = "DELETE FROM calendar_days WHERE calendar_id = ?1 AND day = ?2";
    static const char put_sql[] =
        "INSERT INTO calendar_days (calendar_id, day, kind, name, updated_by, updated_at)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (calendar_id, day) DO UPDATE SET"
        " kind = excluded.kind, name = excluded.name, updated_by = excluded.updated_by,"
        " updated_at = excluded.updated_at";
    const char *name = d->name ? d->name : "";
    sqlite3_stmt *stmt;
    bool found, same = false;
    int rc;

    if ((stmt = sqlx_stmt(st, get_sql, e)) == NULL)
        return -1;
    sqlite3_bind_int64(stmt, 1, cal);
    sqlite3_bind_int64(stmt, 2, d->day);
    found = one_row(stmt, &rc);
    if (found)
        same = d->kind != 0 && kind_of(sqlite3_column_text(stmt, 0)) == d->kind &&
               strcmp((const char *)sqlite3_column_text(stmt, 1), name) == 0;
    sqlx_done(stmt);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return sqlx_fail(st, rc, "read calendar day", e);
    if (same || (!found && d->kind == 0)) {
        out->unchanged++;
        return 0;
    }
    if (d->kind == 0) {
        if ((stmt = sqlx_stmt(st, del_sql, e)) == NULL)
            return -1;
        sqlite3_bind_int64(stmt, 1, cal);
        sqlite3_bind_int64(stmt, 2, d->day);
        out->removed++;
        return sqlx_step_done(st, stmt, "delete calendar day", e);
    }
    if ((stmt = sqlx_stmt(st, put_sql, e)) == NULL)
        return -1;
    sqlite3_bind_int64(stmt, 1, cal);
    sqlite3_bind_int64(stmt, 2, d->day);
    sqlx_bind_text(stmt, 3, cal_kind_name(d->kind));
    sqlx_bind_text(stmt, 4, name);
    bind_ref(stmt, 5, by);
    sqlite3_bind_int64(stmt, 6, at);
    if (found)
        out->changed++;
    else
        out->added++;
    return sqlx_step_done(st, stmt, "write calendar day", e);
}

static int
touch(struct store *st, int64_t cal, int64_t by, int64_t at, struct err *e)
{
    static const char sql[] = "UPDATE calendars SET updated_by = ?2, updated_at = ?3 WHERE id = ?1";
    sqlite3_stmt *stmt = sqlx_stmt(st, sql, e);

    if (stmt == NULL)
        return -1;
    sqlite3_bind_int64(stmt, 1, cal);
    bind_ref(stmt, 2, by);
    sqlite3_bind_int64(stmt, 3, at);
    return sqlx_step_done(st, stmt, "touch calendar", e);
}

static int
days_put(struct store *st, int64_t pid, const struct calendar_day_change *days, size_t n,
         int64_t by, int64_t at, struct calendar_days_result *out, struct err *e)
{
    int64_t cal;

    if (calendar_ensure(st, pid, by, at, &cal, &out->created, e) < 0)
        return -1;
    for (size_t i = 0; i < n; i++)
        if (day_put(st, cal, &days[i], by, at, out, e) < 0)
            return -1;
    if (out->added + out->changed + out->removed > 0 && touch(st, cal, by, at, e) < 0)
        return -1;
    return 0;
}

int
sqc_calendar_days_put(struct store *st, const char *project,
                      const struct calendar_day_change *days, size_t n, const char *by,
                      int64_t at, struct calendar_days_result *out, struct err *e)
{
    struct calendar_days_result r = { 0 };
    int64_t pid, staff;

    if (check_days(days, n, e) < 0 || project_id(st, project, &pid, e) < 0 ||
        staff_id(st, by, &staff, e) < 0)
        return -1;
    if (sqlx_exec(st, "SAVEPOINT calendar_days", e) < 0)
        return -1;
    if (days_put(st, pid, days, n, staff, at, &r, e) < 0) {
        /* the first error is the one to report; a failed rollback shows in the caller's commit */
        (void)sqlx_exec(st, "ROLLBACK TO calendar_days; RELEASE calendar_days", e);
        return -1;
    }
    if (sqlx_exec(st, "RELEASE calendar_days", e) < 0)
        return -1;
    *out = r;
    return 0;
}
