#include "store/schema_sqlite.h"

#include <stddef.h>

/*
 * Design notes for migration 1:
 * - complaints are never deleted and events never changed or deleted: the
 *   triggers make the database itself refuse, whatever the application does.
 * - number_series holds the last sequence of each prefix and year; it is
 *   bumped in the transaction that inserts the complaint, so a rollback
 *   takes the number back and the series has no gaps.
 * - complaint_fts is a contentless FTS5 index (the text is stored once, in
 *   complaints). Its rowid is not the complaint id but a sort key,
 *   (received_at in minutes << 32) | id, so the index itself is in time order:
 *   "newest matches first" walks the index backwards and stops after one page
 *   instead of sorting every match. complaint_search is the view the index
 *   rows are made from (also for a rebuild). No prefix index: FTS5 counts
 *   prefixes in characters, a 3-character one never serves Chinese terms,
 *   and a 1-character one (one-character searches in ~1 ms instead of
 *   20-50 ms at a million complaints) cost 40% of registration throughput.
 * - categories: parent_id 0 is the top level (NULL would not be unique).
 */
static const char migration_1[] =
    "CREATE TABLE settings ("
    "  key TEXT PRIMARY KEY,"
    "  value TEXT NOT NULL"
    ");"
    "CREATE TABLE projects ("
    "  id INTEGER PRIMARY KEY,"
    "  code TEXT NOT NULL UNIQUE,"
    "  name TEXT NOT NULL,"
    "  number_prefix TEXT,"
    "  created_at INTEGER NOT NULL"
    ");"
    "CREATE TABLE buildings ("
    "  id INTEGER PRIMARY KEY,"
    "  project_id INTEGER NOT NULL REFERENCES projects(id),"
    "  name TEXT NOT NULL,"
    "  sort INTEGER NOT NULL DEFAULT 0,"
    "  UNIQUE (project_id, name)"
    ");"
    "CREATE TABLE units ("
    "  id INTEGER PRIMARY KEY,"
    "  building_id INTEGER NOT NULL REFERENCES buildings(id),"
    "  name TEXT NOT NULL,"
    "  UNIQUE (building_id, name)"
    ");"
    "CREATE TABLE staff ("
    "  id INTEGER PRIMARY KEY,"
    "  login TEXT NOT NULL UNIQUE,"
    "  name TEXT NOT NULL,"
    "  created_at INTEGER NOT NULL"
    ");"
    "CREATE TABLE categories ("
    "  id INTEGER PRIMARY KEY,"
    "  parent_id INTEGER NOT NULL DEFAULT 0,"
    "  code TEXT NOT NULL,"
    "  name_zh TEXT NOT NULL,"
    "  name_en TEXT NOT NULL,"
    "  description_zh TEXT NOT NULL DEFAULT '',"
    "  description_en TEXT NOT NULL DEFAULT '',"
    "  sort INTEGER NOT NULL DEFAULT 0,"
    "  retired INTEGER NOT NULL DEFAULT 0,"
    "  UNIQUE (parent_id, code)"
    ");"
    "CREATE TABLE complainants ("
    "  id INTEGER PRIMARY KEY,"
    "  phone TEXT UNIQUE,"
    "  email TEXT,"
    "  name TEXT,"
    "  created_at INTEGER NOT NULL"
    ");"
    "CREATE INDEX complainants_email ON complainants(email) WHERE phone IS NULL;"
    "CREATE TABLE number_series ("
    "  prefix TEXT NOT NULL,"
    "  year INTEGER NOT NULL,"
    "  last INTEGER NOT NULL,"
    "  PRIMARY KEY (prefix, year)"
    ") WITHOUT ROWID;"
    "CREATE TABLE complaints ("
    "  id INTEGER PRIMARY KEY,"
    "  number TEXT NOT NULL UNIQUE,"
    "  status TEXT NOT NULL,"
    "  kind TEXT NOT NULL,"
    "  nature TEXT NOT NULL,"
    "  grade TEXT,"
    "  channel TEXT NOT NULL,"
    "  comm_type TEXT,"
    "  received_at INTEGER NOT NULL,"
    "  registered_at INTEGER NOT NULL,"
    "  received_by INTEGER REFERENCES staff(id),"
    "  project_id INTEGER NOT NULL REFERENCES projects(id),"
    "  building_id INTEGER REFERENCES buildings(id),"
    "  unit_id INTEGER REFERENCES units(id),"
    "  complainant_id INTEGER REFERENCES complainants(id),"
    "  c_name TEXT,"
    "  c_phone TEXT,"
    "  c_email TEXT,"
    "  c_role TEXT NOT NULL,"
    "  c_anonymous INTEGER NOT NULL DEFAULT 0,"
    "  headcount INTEGER NOT NULL CHECK (headcount >= 1),"
    "  subject TEXT NOT NULL,"
    "  content TEXT NOT NULL,"
    "  demands TEXT,"
    "  category_id INTEGER REFERENCES categories(id),"
    "  subcategory_id INTEGER REFERENCES categories(id),"
    "  flags INTEGER NOT NULL DEFAULT 0,"
    "  loss_fen INTEGER"
    ");"
    "CREATE INDEX complaints_received ON complaints(received_at);"
    "CREATE INDEX complaints_project ON complaints(project_id, received_at);"
    "CREATE INDEX complaints_status ON complaints(status, received_at);"
    "CREATE INDEX complaints_category ON complaints(category_id, received_at);"
    "CREATE INDEX complaints_complainant ON complaints(complainant_id);"
    "CREATE TRIGGER complaints_never_deleted BEFORE DELETE ON complaints"
    " BEGIN SELECT RAISE(ABORT, 'complaints are never deleted'); END;"
    "CREATE TRIGGER complaints_number_fixed BEFORE UPDATE OF number ON complaints"
    " BEGIN SELECT RAISE(ABORT, 'complaint numbers never change'); END;"
    "CREATE TABLE events ("
    "  id INTEGER PRIMARY KEY,"
    "  complaint_id INTEGER NOT NULL REFERENCES complaints(id),"
    "  seq INTEGER NOT NULL,"
    "  type TEXT NOT NULL,"
    "  at INTEGER NOT NULL,"
    "  author_id INTEGER REFERENCES staff(id),"
    "  visibility TEXT NOT NULL CHECK (visibility IN ('internal', 'customer')),"
    "  text TEXT,"
    "  data TEXT NOT NULL DEFAULT '{}',"
    "  UNIQUE (complaint_id, seq)"
    ");"
    "CREATE TRIGGER events_never_changed BEFORE UPDATE ON events"
    " BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;"
    "CREATE TRIGGER events_never_deleted BEFORE DELETE ON events"
    " BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;"
    "CREATE TABLE blobs ("
    "  id INTEGER PRIMARY KEY,"
    "  sha256 BLOB NOT NULL UNIQUE,"
    "  size INTEGER NOT NULL,"
    "  data BLOB NOT NULL"
    ");"
    "CREATE TABLE attachments ("
    "  id INTEGER PRIMARY KEY,"
    "  complaint_id INTEGER NOT NULL REFERENCES complaints(id),"
    "  blob_id INTEGER NOT NULL REFERENCES blobs(id),"
    "  name TEXT NOT NULL,"
    "  content_type TEXT NOT NULL,"
    "  size INTEGER NOT NULL,"
    "  uploaded_at INTEGER NOT NULL"
    ");"
    "CREATE INDEX attachments_complaint ON attachments(complaint_id);"
    "CREATE TRIGGER attachments_never_deleted BEFORE DELETE ON attachments"
    " BEGIN SELECT RAISE(ABORT, 'attachments are never deleted'); END;"
    "CREATE TABLE idempotency ("
    "  key TEXT PRIMARY KEY,"
    "  request_hash BLOB NOT NULL,"
    "  status INTEGER NOT NULL,"
    "  body TEXT NOT NULL,"
    "  created_at INTEGER NOT NULL"
    ") WITHOUT ROWID;"
    "CREATE VIEW complaint_search AS"
    "  SELECT c.id AS id, ((c.received_at / 60) << 32) | c.id AS fts_key,"
    "         c.subject AS subject, c.content AS content,"
    "         coalesce(c.demands, '') AS demands,"
    "         coalesce(c.c_name, '') || ' ' || coalesce(b.name, '') || ' ' || coalesce(u.name, '') AS who"
    "  FROM complaints c LEFT JOIN buildings b ON b.id = c.building_id"
    "  LEFT JOIN units u ON u.id = c.unit_id;"
    "CREATE VIRTUAL TABLE complaint_fts USING fts5("
    "  subject, content, demands, who,"
    "  content = '',"
    "  tokenize = 'kesu_cjk'"
    ");";

/*
 * Design notes for migration 2:
 * - a member who leaves is disabled, not deleted: complaints and events
 *   point at staff rows. The CHECK keeps status to its two values.
 * - password_hash is a self-describing argon2id string; NULL means the
 *   account cannot log in. password_changed_at lets a session issued before
 *   a password change be refused.
 * - project_id 0 is the whole company and department_id 0 no department
 *   (NULL would not be unique in the keys). For the same reason neither
 *   column can reference its table: the store checks them instead.
 * - role repeats the list of core/account.h in a CHECK so that no other
 *   writer (a script, a bad migration) can invent a role; the store checks
 *   the role first so that the user gets ERR_INVALID, not a constraint error.
 */
static const char migration_2[] =
    "ALTER TABLE staff ADD COLUMN phone TEXT;"
    "ALTER TABLE staff ADD COLUMN email TEXT;"
    "ALTER TABLE staff ADD COLUMN status TEXT NOT NULL DEFAULT 'active'"
    "  CHECK (status IN ('active', 'disabled'));"
    "ALTER TABLE staff ADD COLUMN password_hash TEXT;"
    "ALTER TABLE staff ADD COLUMN password_changed_at INTEGER;"
    "CREATE TABLE departments ("
    "  id INTEGER PRIMARY KEY,"
    "  project_id INTEGER NOT NULL DEFAULT 0,"
    "  code TEXT NOT NULL,"
    "  name TEXT NOT NULL,"
    "  UNIQUE (project_id, code)"
    ");"
    "CREATE TABLE memberships ("
    "  staff_id INTEGER NOT NULL REFERENCES staff(id),"
    "  project_id INTEGER NOT NULL DEFAULT 0,"
    "  department_id INTEGER NOT NULL DEFAULT 0,"
    "  role TEXT NOT NULL CHECK (role IN ('operator', 'handler', 'supervisor', 'manager',"
    "    'executive', 'centre', 'auditor', 'admin')),"
    "  PRIMARY KEY (staff_id, project_id, department_id, role)"
    ") WITHOUT ROWID;";

/*
 * Design notes for migration 3:
 * - audit_log is a hash chain (core/audit.h): each row holds the hash of the
 *   row before it, so a change made behind kesu's back, even by someone who
 *   drops the triggers first, is found by `kesu audit verify`. The triggers
 *   stop honest mistakes (a script, a bad migration); the chain is what
 *   catches the rest.
 * - id is INTEGER PRIMARY KEY without AUTOINCREMENT: the store sets it to
 *   the last id + 1 in the writer's transaction, so a rolled-back entry
 *   leaves no gap and the chain continues from the last committed row.
 * - object and (actor, at) are indexed for "what happened to this
 *   complaint" and "what did this person do when".
 */
static const char migration_3[] =
    "CREATE TABLE audit_log ("
    "  id INTEGER PRIMARY KEY,"
    "  at INTEGER NOT NULL,"
    "  actor TEXT,"
    "  address TEXT,"
    "  action TEXT NOT NULL,"
    "  object TEXT,"
    "  detail TEXT NOT NULL DEFAULT '{}',"
    "  prev_hash BLOB NOT NULL,"
    "  hash BLOB NOT NULL"
    ");"
    "CREATE INDEX audit_log_object ON audit_log(object);"
    "CREATE INDEX audit_log_actor ON audit_log(actor, at);"
    "CREATE TRIGGER audit_log_never_changed BEFORE UPDATE ON audit_log"
    " BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;"
    "CREATE TRIGGER audit_log_never_deleted BEFORE DELETE ON audit_log"
    " BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;";

/*
 * Design notes for migration 4:
 * - sessions and api_tokens keep only the SHA-256 of each secret (UNIQUE: a
 *   lookup is one index probe), so a copy of the database lets nobody in.
 * - rows are never deleted, only revoked: revoked_at says when, and the
 *   audit log can still name the session or token an entry came from. The
 *   triggers refuse deletion; once set, revoked_at never changes.
 * - a token's name is unique among live tokens only (a partial index), so
 *   "hotline CTI" can be issued again after the old one is revoked.
 *   project_id NULL is "every project the owner may see".
 * - sessions(staff_id) is indexed only while live: revoking a staff member's
 *   sessions reads just those.
 * - audit_log gains (action, id), so one action pages newest first without
 *   a sort, and (at), for a time window; see sq_audit_query() for the plans.
 */
static const char migration_4[] =
    "CREATE TABLE sessions ("
    "  id INTEGER PRIMARY KEY,"
    "  token_hash BLOB NOT NULL UNIQUE,"
    "  staff_id INTEGER NOT NULL REFERENCES staff(id),"
    "  csrf TEXT NOT NULL,"
    "  address TEXT,"
    "  created_at INTEGER NOT NULL,"
    "  last_used_at INTEGER NOT NULL,"
    "  expires_at INTEGER NOT NULL,"
    "  revoked_at INTEGER"
    ");"
    "CREATE INDEX sessions_staff ON sessions(staff_id) WHERE revoked_at IS NULL;"
    "CREATE TRIGGER sessions_never_deleted BEFORE DELETE ON sessions"
    " BEGIN SELECT RAISE(ABORT, 'sessions are never deleted'); END;"
    "CREATE TRIGGER sessions_revocation_final BEFORE UPDATE OF revoked_at ON sessions"
    " WHEN OLD.revoked_at IS NOT NULL"
    " BEGIN SELECT RAISE(ABORT, 'a revoked session stays revoked'); END;"
    "CREATE TABLE api_tokens ("
    "  id INTEGER PRIMARY KEY,"
    "  token_hash BLOB NOT NULL UNIQUE,"
    "  name TEXT NOT NULL,"
    "  staff_id INTEGER NOT NULL REFERENCES staff(id),"
    "  scopes INTEGER NOT NULL,"
    "  project_id INTEGER REFERENCES projects(id),"
    "  created_by TEXT,"
    "  created_at INTEGER NOT NULL,"
    "  last_used_at INTEGER,"
    "  revoked_at INTEGER"
    ");"
    "CREATE UNIQUE INDEX api_tokens_live_name ON api_tokens(name) WHERE revoked_at IS NULL;"
    "CREATE TRIGGER api_tokens_never_deleted BEFORE DELETE ON api_tokens"
    " BEGIN SELECT RAISE(ABORT, 'API tokens are never deleted'); END;"
    "CREATE TRIGGER api_tokens_revocation_final BEFORE UPDATE OF revoked_at ON api_tokens"
    " WHEN OLD.revoked_at IS NOT NULL"
    " BEGIN SELECT RAISE(ABORT, 'a revoked token stays revoked'); END;"
    "CREATE INDEX audit_log_action ON audit_log(action, id);"
    "CREATE INDEX audit_log_at ON audit_log(at);";

const struct sqlite_migration sqlite_migrations[] = {
    { 1, "registry: complaints, events, attachments, numbering, search", migration_1 },
    { 2, "accounts: staff login data, departments, memberships", migration_2 },
    { 3, "audit log: hash-chained, append-only", migration_3 },
    { 4, "sessions and API tokens; audit log query indexes", migration_4 },
    { 0, NULL, NULL },
};
