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

/*
 * Design notes for migration 5 (the life of a complaint):
 * - complaints gain the columns of handling: department_id and handler_id
 *   (NULL: not dispatched yet; both real foreign keys, unlike the 0s of
 *   migration 2, because NULL here needs no uniqueness), raised (times the
 *   customer raised it, 1 the first time) and reopenings, the rule codes a
 *   person overrode, the result, the response at closing, resolved_at and
 *   closed_at (NULL until then) and is_case. Old rows read as raised once,
 *   never reopened, undispatched.
 * - complaints_closed is partial (closed_at IS NOT NULL): the sampling list
 *   asks for a month of closings, and most complaints of a busy day are
 *   open, so only closed ones are indexed. complaints_similar is the grading
 *   rule "similar complaints" (same project, category and building within a
 *   window): one range scan in received_at order, newest first. It covers
 *   the query (complainant, unit and status are in it), so counting a busy
 *   building's month reads no table rows; the count also stops once it has
 *   as many complainants as the rules can ask about (similar_query.cap). sq_maintain() states their
 *   statistics like the others': an index without them looks selective to
 *   the planner, and the list filtered by project would leave its ordered
 *   walk for complaints_similar and a sort.
 * - complaint_people holds the further complainants of a collective
 *   complaint, seq 2, 3, ... (1 is the complaint's own complainant), each
 *   linked to a complainants row by phone (or e-mail) as registration links
 *   them, so their history finds the complaint.
 * - compensations, followups (with followup_ratings), complaint_people and
 *   cases are records: like complaints, the triggers refuse to delete them.
 *   A compensation's status moves proposed / pending_approval -> approved /
 *   rejected -> agreed; a decision fills decided_by/at and decision_reason.
 * - followups: one of each kind per cycle of the complaint (cycle is its
 *   reopenings when the follow-up was made), hence UNIQUE (complaint_id,
 *   kind, cycle); the work lists read open ones by due date, everyone's
 *   (followups_open_due) or one person's (followups_open_assignee, which also
 *   counts a person's open follow-ups); both partial, since done ones are
 *   never listed by due date. month is the sampling month of a "sample",
 *   indexed (partially: regular ones have none) for the month's list.
 *   followup_ratings holds what the further complainants of a collective
 *   complaint said, one row per person (complaint_people.seq, or 1).
 * - cases: one entry per complaint (marking again replaces the text, so
 *   the row is updated, never deleted); complaints.is_case repeats the fact
 *   on the complaint for its views. lessons may be empty (NULL).
 * - dispatch_rules is configuration, not a record: a rule is replaced or
 *   deleted outright (dispatch_put), the audit log keeps who changed what.
 *   project_id NULL is every project; the unique index on ifnull(project_id,
 *   0) allows one rule per category and project, NULL included. The
 *   department is a code, looked up when a complaint is dispatched (the same
 *   code names a department in each project).
 * - grade_rules: the grading preset's rules as edited (core/grading.h),
 *   seeded from the preset "property" by the store when this migration is
 *   applied (C code: the presets are data in core/grading_presets.c), with
 *   the settings key grading_preset. Rules are configuration too: choosing
 *   another preset replaces them (refused once a complaint has a grade).
 * - API tokens: a token made with scopes "*" held every permission, stored as
 *   the bit mask of the 12 of the time (4095); there are 19 now, and "*"
 *   meant all of them, so those tokens get the new full mask (2^19 - 1). A
 *   token that listed all 12 by name has the same mask and cannot be told
 *   apart; it is raised too (an administrator can revoke and reissue it).
 */
static const char migration_5[] =
    "ALTER TABLE complaints ADD COLUMN department_id INTEGER REFERENCES departments(id);"
    "ALTER TABLE complaints ADD COLUMN handler_id INTEGER REFERENCES staff(id);"
    "ALTER TABLE complaints ADD COLUMN raised INTEGER NOT NULL DEFAULT 1;"
    "ALTER TABLE complaints ADD COLUMN reopenings INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE complaints ADD COLUMN grade_overrides TEXT;"
    "ALTER TABLE complaints ADD COLUMN result TEXT;"
    "ALTER TABLE complaints ADD COLUMN close_response TEXT;"
    "ALTER TABLE complaints ADD COLUMN resolved_at INTEGER;"
    "ALTER TABLE complaints ADD COLUMN closed_at INTEGER;"
    "ALTER TABLE complaints ADD COLUMN is_case INTEGER NOT NULL DEFAULT 0;"
    "CREATE INDEX complaints_closed ON complaints(closed_at) WHERE closed_at IS NOT NULL;"
    "CREATE INDEX complaints_similar ON complaints(project_id, category_id, building_id,"
    "  received_at, complainant_id, unit_id, status);"
    "CREATE TABLE complaint_people ("
    "  complaint_id INTEGER NOT NULL REFERENCES complaints(id),"
    "  seq INTEGER NOT NULL,"
    "  complainant_id INTEGER REFERENCES complainants(id),"
    "  name TEXT,"
    "  phone TEXT,"
    "  email TEXT,"
    "  role TEXT NOT NULL,"
    "  anonymous INTEGER NOT NULL DEFAULT 0,"
    "  created_at INTEGER NOT NULL,"
    "  PRIMARY KEY (complaint_id, seq)"
    ") WITHOUT ROWID;"
    "CREATE INDEX complaint_people_complainant ON complaint_people(complainant_id)"
    "  WHERE complainant_id IS NOT NULL;"
    "CREATE TRIGGER complaint_people_never_deleted BEFORE DELETE ON complaint_people"
    " BEGIN SELECT RAISE(ABORT, 'complainants of a complaint are never deleted'); END;"
    "CREATE TABLE compensations ("
    "  id INTEGER PRIMARY KEY,"
    "  complaint_id INTEGER NOT NULL REFERENCES complaints(id),"
    "  type TEXT NOT NULL,"
    "  amount_fen INTEGER NOT NULL,"
    "  reason TEXT,"
    "  status TEXT NOT NULL CHECK (status IN ('proposed', 'pending_approval', 'approved',"
    "    'rejected', 'agreed')),"
    "  proposed_by INTEGER NOT NULL REFERENCES staff(id),"
    "  proposed_at INTEGER NOT NULL,"
    "  decided_by INTEGER REFERENCES staff(id),"
    "  decided_at INTEGER,"
    "  decision_reason TEXT"
    ");"
    "CREATE INDEX compensations_complaint ON compensations(complaint_id);"
    "CREATE TRIGGER compensations_never_deleted BEFORE DELETE ON compensations"
    " BEGIN SELECT RAISE(ABORT, 'compensations are never deleted'); END;"
    "CREATE TABLE followups ("
    "  id INTEGER PRIMARY KEY,"
    "  complaint_id INTEGER NOT NULL REFERENCES complaints(id),"
    "  kind TEXT NOT NULL CHECK (kind IN ('regular', 'sample')),"
    "  month TEXT,"
    "  cycle INTEGER NOT NULL DEFAULT 0,"
    "  assignee_id INTEGER REFERENCES staff(id),"
    "  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done')),"
    "  created_at INTEGER NOT NULL,"
    "  due_at INTEGER NOT NULL,"
    "  done_at INTEGER,"
    "  done_by INTEGER REFERENCES staff(id),"
    "  outcome TEXT,"
    "  attempts INTEGER NOT NULL DEFAULT 0,"
    "  satisfaction TEXT,"
    "  score INTEGER,"
    "  comment TEXT,"
    "  UNIQUE (complaint_id, kind, cycle)"
    ");"
    "CREATE INDEX followups_open_due ON followups(due_at) WHERE status = 'open';"
    "CREATE INDEX followups_open_assignee ON followups(assignee_id, due_at)"
    "  WHERE status = 'open';"
    "CREATE INDEX followups_month ON followups(month) WHERE month IS NOT NULL;"
    "CREATE TRIGGER followups_never_deleted BEFORE DELETE ON followups"
    " BEGIN SELECT RAISE(ABORT, 'follow-ups are never deleted'); END;"
    "CREATE TABLE followup_ratings ("
    "  followup_id INTEGER NOT NULL REFERENCES followups(id),"
    "  person INTEGER NOT NULL,"
    "  satisfaction TEXT,"
    "  score INTEGER,"
    "  comment TEXT,"
    "  PRIMARY KEY (followup_id, person)"
    ") WITHOUT ROWID;"
    "CREATE TRIGGER followup_ratings_never_deleted BEFORE DELETE ON followup_ratings"
    " BEGIN SELECT RAISE(ABORT, 'follow-ups are never deleted'); END;"
    "CREATE TABLE cases ("
    "  complaint_id INTEGER PRIMARY KEY REFERENCES complaints(id),"
    "  summary TEXT NOT NULL,"
    "  lessons TEXT,"
    "  marked_by INTEGER NOT NULL REFERENCES staff(id),"
    "  marked_at INTEGER NOT NULL"
    ");"
    "CREATE TRIGGER cases_never_deleted BEFORE DELETE ON cases"
    " BEGIN SELECT RAISE(ABORT, 'cases are never deleted'); END;"
    "CREATE TABLE dispatch_rules ("
    "  id INTEGER PRIMARY KEY,"
    "  category_id INTEGER NOT NULL REFERENCES categories(id),"
    "  project_id INTEGER REFERENCES projects(id),"
    "  department_code TEXT NOT NULL"
    ");"
    "CREATE UNIQUE INDEX dispatch_rules_one"
    "  ON dispatch_rules(category_id, ifnull(project_id, 0));"
    "CREATE TABLE grade_rules ("
    "  id INTEGER PRIMARY KEY,"
    "  code TEXT NOT NULL UNIQUE,"
    "  grade TEXT NOT NULL,"
    "  condition TEXT NOT NULL,"
    "  description_zh TEXT NOT NULL DEFAULT '',"
    "  description_en TEXT NOT NULL DEFAULT '',"
    "  enabled INTEGER NOT NULL DEFAULT 1,"
    "  sort INTEGER NOT NULL DEFAULT 0"
    ");"
    "UPDATE api_tokens SET scopes = 524287 WHERE scopes = 4095;";

/* ---- migration 6: the working-day calendar (issue 5; calendar area) ---- */
/*
 * Design notes for migration 6 (the working-day calendar, core/calendar.h):
 * - calendars: the deployment's (project_id NULL) and a project's own, at
 *   most one each (the unique index on ifnull(project_id, 0), as for
 *   dispatch_rules). weekly is the pattern of core/calendar.h (bit d set:
 *   weekday d, 0 = Sunday, works; never empty), work_start/work_end minutes
 *   of the day. source says where the days came from; checked_at (and
 *   checked_by) record that an administrator confirmed them: the shipped
 *   schedule starts unchecked.
 * - calendar_days: one exception per calendar and day (days since
 *   1970-01-01 in the deployment's zone), a holiday or a make-up working
 *   day (调休). A project's exceptions lie over the deployment's (store.h).
 * - both are configuration, not records: an exception is replaced or
 *   deleted ("normal"), the row keeps who changed it last and when, and the
 *   audit log keeps every change (calendar.put, calendar.day_put,
 *   calendar.import) with its before and after.
 * - seeded by the store when this migration is applied (C code: the
 *   schedule is data in core/calendar_cn.c): the deployment's calendar,
 *   Monday to Friday 09:00-18:00, with the official holidays of the years
 *   shipped.
 */
static const char migration_6[] =
    "CREATE TABLE calendars ("
    "  id INTEGER PRIMARY KEY,"
    "  project_id INTEGER REFERENCES projects(id),"
    "  weekly INTEGER NOT NULL DEFAULT 62 CHECK (weekly BETWEEN 1 AND 127),"
    "  work_start INTEGER NOT NULL DEFAULT 540,"
    "  work_end INTEGER NOT NULL DEFAULT 1080,"
    "  source TEXT NOT NULL DEFAULT '',"
    "  checked_by INTEGER REFERENCES staff(id),"
    "  checked_at INTEGER,"
    "  updated_by INTEGER REFERENCES staff(id),"
    "  updated_at INTEGER NOT NULL,"
    "  CHECK (work_start >= 0 AND work_start < work_end AND work_end <= 1440)"
    ");"
    "CREATE UNIQUE INDEX calendars_one ON calendars(ifnull(project_id, 0));"
    "CREATE TABLE calendar_days ("
    "  calendar_id INTEGER NOT NULL REFERENCES calendars(id),"
    "  day INTEGER NOT NULL,"
    "  kind TEXT NOT NULL CHECK (kind IN ('holiday', 'workday')),"
    "  name TEXT NOT NULL DEFAULT '',"
    "  updated_by INTEGER REFERENCES staff(id),"
    "  updated_at INTEGER NOT NULL,"
    "  PRIMARY KEY (calendar_id, day)"
    ") WITHOUT ROWID;";
/* ---- end of migration 6 ---- */

/* ---- migration 7: notifications: inbox, webhooks, e-mail, templates (issue 5; notify area) ---- */
/*
 * Design notes for migration 7 (notify/notify.h, notify/sender.h):
 * - notifications is the in-app inbox. (staff_id, dedup) is unique so that a
 *   job run twice tells nobody twice (NULLs are distinct: no dedup, no
 *   check). The inbox is listed newest first by id per person, and the
 *   unread count reads a partial index of the unread rows only. Once read,
 *   a notification stays read; nothing is deleted.
 * - webhooks keep their secret in clear: the sender needs it to sign each
 *   request (HMAC), so unlike session secrets it cannot be a hash. It is
 *   shown once and never logged. A webhook is switched off, never deleted:
 *   its deliveries name it.
 * - deliveries are the outbox of e-mails and webhook requests, written in
 *   the transaction of the change they report, so a rolled-back change
 *   sends nothing and a committed one is never forgotten. The sender finds
 *   due ones through a partial index on next_attempt_at of the pending ones
 *   (never a scan of the history), and the dead-letter list another of the
 *   dead ones. status: pending -> delivered, or dead
 *   after the last failed try (the dead-letter list), and dead -> pending
 *   on a replay. dedup is unique per channel and recipient; the index uses
 *   ifnull() because NULLs would never collide. personal marks a body with
 *   a customer's contact details, which the administrators' view hides.
 * - delivery_attempts records every try and its outcome; neither table is
 *   ever deleted from, and attempts are never changed.
 * - message_templates hold the customer messages an administrator edits,
 *   one row per (code, language); migration 7 seeds them
 *   (store_sqlite_notify.c).
 */
static const char migration_7[] =
    "CREATE TABLE notifications ("
    "  id INTEGER PRIMARY KEY,"
    "  staff_id INTEGER NOT NULL REFERENCES staff(id),"
    "  complaint_id INTEGER REFERENCES complaints(id),"
    "  kind TEXT NOT NULL,"
    "  title_zh TEXT NOT NULL,"
    "  title_en TEXT NOT NULL,"
    "  body_zh TEXT,"
    "  body_en TEXT,"
    "  created_at INTEGER NOT NULL,"
    "  read_at INTEGER,"
    "  dedup TEXT"
    ");"
    "CREATE UNIQUE INDEX notifications_dedup ON notifications(staff_id, dedup);"
    "CREATE INDEX notifications_staff ON notifications(staff_id, id);"
    "CREATE INDEX notifications_unread ON notifications(staff_id, id) WHERE read_at IS NULL;"
    "CREATE TRIGGER notifications_never_deleted BEFORE DELETE ON notifications"
    " BEGIN SELECT RAISE(ABORT, 'notifications are never deleted'); END;"
    "CREATE TRIGGER notifications_read_final BEFORE UPDATE OF read_at ON notifications"
    " WHEN OLD.read_at IS NOT NULL"
    " BEGIN SELECT RAISE(ABORT, 'a notification read stays read'); END;"
    "CREATE TABLE webhooks ("
    "  id INTEGER PRIMARY KEY,"
    "  name TEXT NOT NULL UNIQUE,"
    "  url TEXT NOT NULL,"
    "  secret TEXT NOT NULL,"
    "  events TEXT NOT NULL DEFAULT '*',"
    "  active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),"
    "  created_at INTEGER NOT NULL,"
    "  updated_at INTEGER NOT NULL"
    ");"
    "CREATE TRIGGER webhooks_never_deleted BEFORE DELETE ON webhooks"
    " BEGIN SELECT RAISE(ABORT, 'webhooks are switched off, never deleted'); END;"
    "CREATE TABLE deliveries ("
    "  id INTEGER PRIMARY KEY,"
    "  channel TEXT NOT NULL CHECK (channel IN ('webhook', 'email')),"
    "  webhook_id INTEGER REFERENCES webhooks(id),"
    "  recipient TEXT,"
    "  event TEXT NOT NULL,"
    "  complaint_id INTEGER REFERENCES complaints(id),"
    "  subject TEXT,"
    "  body TEXT NOT NULL,"
    "  personal INTEGER NOT NULL DEFAULT 0,"
    "  status TEXT NOT NULL DEFAULT 'pending'"
    "    CHECK (status IN ('pending', 'delivered', 'dead')),"
    "  attempts INTEGER NOT NULL DEFAULT 0,"
    "  next_attempt_at INTEGER NOT NULL,"
    "  last_status INTEGER,"
    "  last_error TEXT,"
    "  replays INTEGER NOT NULL DEFAULT 0,"
    "  created_at INTEGER NOT NULL,"
    "  delivered_at INTEGER,"
    "  dedup TEXT,"
    "  CHECK ((channel = 'webhook') = (webhook_id IS NOT NULL)),"
    "  CHECK ((channel = 'email') = (recipient IS NOT NULL AND subject IS NOT NULL))"
    ");"
    "CREATE UNIQUE INDEX deliveries_dedup ON deliveries(channel, ifnull(webhook_id, 0),"
    "  ifnull(recipient, ''), dedup) WHERE dedup IS NOT NULL;"
    "CREATE INDEX deliveries_due ON deliveries(next_attempt_at) WHERE status = 'pending';"
    "CREATE INDEX deliveries_dead ON deliveries(id) WHERE status = 'dead';"
    "CREATE TRIGGER deliveries_never_deleted BEFORE DELETE ON deliveries"
    " BEGIN SELECT RAISE(ABORT, 'deliveries are never deleted'); END;"
    "CREATE TABLE delivery_attempts ("
    "  id INTEGER PRIMARY KEY,"
    "  delivery_id INTEGER NOT NULL REFERENCES deliveries(id),"
    "  at INTEGER NOT NULL,"
    "  duration_ms INTEGER NOT NULL,"
    "  status INTEGER,"
    "  ok INTEGER NOT NULL CHECK (ok IN (0, 1)),"
    "  error TEXT"
    ");"
    "CREATE INDEX delivery_attempts_delivery ON delivery_attempts(delivery_id, id);"
    "CREATE TRIGGER delivery_attempts_never_changed BEFORE UPDATE ON delivery_attempts"
    " BEGIN SELECT RAISE(ABORT, 'delivery attempts are append-only'); END;"
    "CREATE TRIGGER delivery_attempts_never_deleted BEFORE DELETE ON delivery_attempts"
    " BEGIN SELECT RAISE(ABORT, 'delivery attempts are append-only'); END;"
    "CREATE TABLE message_templates ("
    "  code TEXT NOT NULL,"
    "  lang TEXT NOT NULL CHECK (lang IN ('zh', 'en')),"
    "  subject TEXT NOT NULL,"
    "  body TEXT NOT NULL,"
    "  updated_at INTEGER NOT NULL,"
    "  updated_by TEXT,"
    "  PRIMARY KEY (code, lang)"
    ") WITHOUT ROWID;";
/* ---- end of migration 7 ---- */

/* ---- migration 8: clocks, policy, scheduler lease, escalation, supervision notices ---- */
static const char migration_8[] =
    /* the time-limit policy: a grade's own row, else the '*' row of the clock */
    "CREATE TABLE clock_policy ("
    "  grade TEXT NOT NULL,"
    "  clock TEXT NOT NULL,"
    "  amount INTEGER NOT NULL CHECK (amount BETWEEN 1 AND 1000),"
    "  unit TEXT NOT NULL CHECK (unit IN ('hours', 'days', 'working_days', 'working_hours')),"
    "  remind_percent INTEGER NOT NULL CHECK (remind_percent BETWEEN 0 AND 99),"
    "  enabled INTEGER NOT NULL DEFAULT 1,"
    "  updated_at INTEGER NOT NULL DEFAULT 0,"
    "  PRIMARY KEY (grade, clock)"
    ") WITHOUT ROWID;"
    /* a clock keeps the limit it was started with; next_at is the scheduler's queue */
    "CREATE TABLE clocks ("
    "  id INTEGER PRIMARY KEY,"
    "  complaint_id INTEGER NOT NULL REFERENCES complaints(id),"
    "  kind TEXT NOT NULL,"
    "  cycle INTEGER NOT NULL DEFAULT 1,"
    "  started_at INTEGER NOT NULL,"
    "  amount INTEGER NOT NULL,"
    "  unit TEXT NOT NULL,"
    "  remind_percent INTEGER NOT NULL,"
    "  ext INTEGER NOT NULL DEFAULT 0,"
    "  due_at INTEGER NOT NULL,"
    "  remind_at INTEGER NOT NULL DEFAULT 0,"
    "  paused_at INTEGER NOT NULL DEFAULT 0,"
    "  reminded_at INTEGER NOT NULL DEFAULT 0,"
    "  overdue_at INTEGER NOT NULL DEFAULT 0,"
    "  stopped_at INTEGER NOT NULL DEFAULT 0,"
    "  cancelled INTEGER NOT NULL DEFAULT 0,"
    "  next_at INTEGER,"
    "  UNIQUE (complaint_id, kind, cycle)"
    ");"
    "CREATE INDEX clocks_next ON clocks(next_at) WHERE next_at IS NOT NULL;"
    "CREATE TRIGGER clocks_never_deleted BEFORE DELETE ON clocks"
    " BEGIN SELECT RAISE(ABORT, 'clocks are never deleted'); END;"
    /* when the age-based grading rules must look at an open complaint again */
    "CREATE TABLE age_points ("
    "  complaint_id INTEGER PRIMARY KEY REFERENCES complaints(id),"
    "  at INTEGER NOT NULL"
    ");"
    "CREATE INDEX age_points_at ON age_points(at);"
    /* one scheduler at a time among the processes sharing the database */
    "CREATE TABLE sched_lease ("
    "  name TEXT PRIMARY KEY,"
    "  holder TEXT NOT NULL DEFAULT '',"
    "  expires_at INTEGER NOT NULL DEFAULT 0,"
    "  ticked_at INTEGER NOT NULL DEFAULT 0,"
    "  ticks INTEGER NOT NULL DEFAULT 0,"
    "  last TEXT NOT NULL DEFAULT '{}',"
    "  backfill_after INTEGER NOT NULL DEFAULT 0,"
    "  backfill_until INTEGER NOT NULL DEFAULT 0"
    ");"
    /* complaints registered before this migration get their clocks from the scheduler */
    "INSERT INTO sched_lease (name, backfill_until)"
    "  SELECT 'deadlines', ifnull(max(id), 0) FROM complaints;"
    "CREATE TABLE escalation_rules ("
    "  code TEXT PRIMARY KEY,"
    "  condition TEXT NOT NULL,"
    "  target_role TEXT NOT NULL,"
    "  target_department TEXT,"
    "  notice INTEGER NOT NULL DEFAULT 0,"
    "  ack_hours INTEGER NOT NULL DEFAULT 24,"
    "  description_zh TEXT NOT NULL DEFAULT '',"
    "  description_en TEXT NOT NULL DEFAULT '',"
    "  enabled INTEGER NOT NULL DEFAULT 1,"
    "  sort INTEGER NOT NULL DEFAULT 0"
    ");"
    /* a rule escalates a complaint once */
    "CREATE TABLE escalations ("
    "  id INTEGER PRIMARY KEY,"
    "  complaint_id INTEGER NOT NULL REFERENCES complaints(id),"
    "  rule TEXT NOT NULL,"
    "  at INTEGER NOT NULL,"
    "  UNIQUE (complaint_id, rule)"
    ");"
    "CREATE TRIGGER escalations_never_deleted BEFORE DELETE ON escalations"
    " BEGIN SELECT RAISE(ABORT, 'escalations are never deleted'); END;"
    /* supervision notices (督办): acknowledged by their receiver, else escalated again */
    "CREATE TABLE notices ("
    "  id INTEGER PRIMARY KEY,"
    "  complaint_id INTEGER NOT NULL REFERENCES complaints(id),"
    "  source TEXT NOT NULL,"
    "  level INTEGER NOT NULL DEFAULT 1,"
    "  to_role TEXT NOT NULL,"
    "  project_id INTEGER REFERENCES projects(id),"
    "  text TEXT NOT NULL DEFAULT '',"
    "  issued_at INTEGER NOT NULL,"
    "  ack_due_at INTEGER NOT NULL,"
    "  acked_at INTEGER NOT NULL DEFAULT 0,"
    "  acked_by INTEGER REFERENCES staff(id),"
    "  ack_note TEXT,"
    "  escalated_at INTEGER NOT NULL DEFAULT 0,"
    "  next_at INTEGER,"
    "  UNIQUE (complaint_id, source, level)"
    ");"
    "CREATE INDEX notices_next ON notices(next_at) WHERE next_at IS NOT NULL;"
    "CREATE INDEX notices_open ON notices(to_role, acked_at, id);"
    "CREATE INDEX notices_complaint ON notices(complaint_id);"
    "CREATE TRIGGER notices_never_deleted BEFORE DELETE ON notices"
    " BEGIN SELECT RAISE(ABORT, 'notices are never deleted'); END;";
/* ---- end of migration 8 ---- */

/* ---- migration 9: work-list filters of the complaint list; agreement kept apart (issue 6) ---- */
/*
 * Design notes for migration 9:
 * - complaints.returned is 1 while the latest dispatch of a registered
 *   complaint was handed back (退单); a change to any other status clears it
 *   (store_sqlite.c, build_update). The list's `returned=1` (returned = 1
 *   and status = 'registered') reads the partial index of those few rows in
 *   received_at order; status leads it so that the planner prefers it to
 *   complaints_status (which would walk every registered complaint) also
 *   when the caller filters by status too.
 * - complaints_handler and complaints_grade serve the list's `handler` and
 *   `grade` filters in received_at order, like complaints_status.
 * - clocks_running holds only the clocks still running (or paused): the
 *   list's `clock` filter finds the overdue ones by due_at <= now and the
 *   due-soon ones by due_at > now and remind_at <= now without reading the
 *   stopped ones, and the index covers the query.
 * - compensations.agreed_by/agreed_at: who recorded the customer's
 *   agreement and when, apart from decided_by/at, which keep the approving
 *   manager's decision.
 * - clock_policy rows for grades outside the grading preset in use (the
 *   seed gave every preset's top grade one) are removed by the store when
 *   this migration is applied (store_sqlite.c, after_migration).
 */
static const char migration_9[] =
    "ALTER TABLE complaints ADD COLUMN returned INTEGER NOT NULL DEFAULT 0;"
    "CREATE INDEX complaints_returned ON complaints(status, received_at) WHERE returned = 1;"
    "CREATE INDEX complaints_handler ON complaints(handler_id, received_at);"
    "CREATE INDEX complaints_grade ON complaints(grade, received_at);"
    "CREATE INDEX clocks_running ON clocks(due_at, remind_at, paused_at, complaint_id)"
    "  WHERE stopped_at = 0 AND cancelled = 0;"
    "ALTER TABLE compensations ADD COLUMN agreed_by INTEGER REFERENCES staff(id);"
    "ALTER TABLE compensations ADD COLUMN agreed_at INTEGER;";
/* ---- end of migration 9 ---- */

const struct sqlite_migration sqlite_migrations[] = {
    { 1, "registry: complaints, events, attachments, numbering, search", migration_1 },
    { 2, "accounts: staff login data, departments, memberships", migration_2 },
    { 3, "audit log: hash-chained, append-only", migration_3 },
    { 4, "sessions and API tokens; audit log query indexes", migration_4 },
    { 5, "the life of a complaint: handling, people, compensation, follow-up, cases,"
         " dispatch, grading rules", migration_5 },
    { 6, "working-day calendar: weekly pattern, holidays, make-up working days", migration_6 },
    { 7, "notifications: inbox, webhooks, e-mail, deliveries, message templates", migration_7 },
    { 8, "deadlines: clocks, time-limit policy, scheduler lease, escalation, notices",
      migration_8 },
    { 9, "list filters: returned flag, handler, grade and running-clock indexes;"
         " compensation agreement", migration_9 },
    { 0, NULL, NULL },
};
