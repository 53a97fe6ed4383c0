#ifndef KESU_STORE_STORE_H
#define KESU_STORE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/account.h"
#include "core/audit.h"
#include "core/calendar.h"
#include "core/complaint.h"
#include "util/arena.h"
#include "util/err.h"

/*
 * The store: every fact kesu keeps goes through this interface, so a backend
 * (SQLite now, PostgreSQL later, store_faulty in tests) is a table of function
 * pointers. One `struct store` is one connection: use it from one thread at a
 * time. Writers group work into transactions with store_tx_begin/commit;
 * inside one, savepoints isolate the jobs of a group commit (store/writer.h).
 *
 * Loaded records come from the caller's arena; nothing returned needs freeing
 * unless a comment says so. Errors: ERR_NOT_FOUND for a missing record,
 * ERR_INVALID (with the field) for a reference that does not exist,
 * ERR_BUSY when the database stays locked, ERR_STORE for anything else.
 */

struct store;

/* The schema version this build needs; every backend migrates to it. */
#define STORE_SCHEMA_VERSION 9

/* A complaint as stored, with the names of what it refers to resolved. */
struct complaint {
    int64_t id;
    const char *number;
    const char *status, *kind, *nature, *grade, *channel, *comm_type; /* grade, comm_type may be NULL */
    int64_t received_at, registered_at;
    const char *received_by_login, *received_by_name;   /* NULL when unknown */
    const char *project_code, *project_name;
    const char *building, *unit;                        /* may be NULL */
    int64_t complainant_id;                             /* 0 when none */
    const char *c_name, *c_phone, *c_email, *c_role;    /* as given on this complaint */
    bool c_anonymous;
    int headcount;
    const char *subject, *content, *demands;            /* demands may be NULL */
    const char *category_code, *category_zh, *category_en;          /* NULL when none */
    const char *subcategory_code, *subcategory_zh, *subcategory_en; /* NULL when none */
    unsigned flags;                                     /* enum core_flag */
    bool has_loss;
    int64_t loss_fen;
    /* handling (migration 5) */
    const char *department_code, *department_name;      /* NULL when none */
    const char *handler_login, *handler_name;           /* NULL when none */
    int raised;                                         /* times raised, >= 1 */
    int reopenings;
    const char *grade_overrides;                        /* rule codes a person overrode, "a,b"; NULL none */
    const char *result;                                 /* what was done; NULL until resolved */
    const char *close_response;                         /* "agreed" | "not_reachable"; NULL until closed */
    int64_t resolved_at, closed_at;                     /* 0 when not (yet) */
    bool is_case;                                       /* in the case library */
    /* only from complaint_get and complaint_get_by_id: the other complainants, by seq */
    struct person *people;
    size_t n_people;
};

/* A further complainant of a collective complaint (the first is on the complaint). */
struct person {
    int seq;                      /* 2, 3, ...: the complaint's own complainant is 1 */
    int64_t complainant_id;       /* 0 when anonymous */
    const char *name, *phone, *email, *role;
    bool anonymous;
};

/*
 * A change to a complaint's own columns. NULL pointers and false has_*
 * leave a column as it is; "" clears a nullable text column. Codes and
 * logins are resolved by the store: one that does not exist is ERR_INVALID
 * naming the field (department is looked up in the complaint's project,
 * the new one when project changes too, then among company departments).
 * Also:
 * - a retired category or subcategory is ERR_INVALID (reason "retired");
 *   a subcategory of a complaint without category is "unknown";
 * - a category change without a subcategory drops the old subcategory
 *   (it belongs to the old category); subcategory "" clears it;
 * - a project change without a department takes the department of the same
 *   code in the new project (or the company's), else none; building and
 *   unit stay as registered (the search index holds them);
 * - status, kind and nature cannot be cleared ("" is ERR_INVALID "required");
 *   headcount and raised below 1, reopenings or loss below 0 are
 *   ERR_INVALID "out_of_range". Values are not checked against their sets:
 *   that is core's (core/workflow.h, core/complaint.h).
 * Nothing is written when any of it fails.
 */
struct complaint_change {
    const char *status, *kind, *nature, *grade, *comm_type;
    const char *category, *subcategory;  /* codes; subcategory under category (new or current) */
    const char *project;                 /* code */
    const char *department;              /* code, "" clears */
    const char *handler;                 /* login, "" clears */
    const char *grade_overrides;         /* "" clears */
    const char *result;
    const char *close_response;
    bool has_headcount, has_flags, has_loss, has_raised, has_reopenings;
    bool has_resolved_at, has_closed_at, has_case;
    /*
     * The latest dispatch was returned (退单): set by a return; a status other
     * than "registered" without has_returned clears it.
     */
    bool has_returned, returned;
    int headcount;
    unsigned flags;
    bool loss_clear;                     /* with has_loss: no loss any more */
    int64_t loss_fen;
    int raised, reopenings;
    int64_t resolved_at, closed_at;      /* 0 clears */
    bool is_case;
};

/* Similar complaints (DOMAIN §10): same project and category, same building (and unit when given). */
struct similar_query {
    const char *project;          /* code */
    const char *category;         /* code; NULL: nothing is similar */
    const char *building, *unit;  /* NULL building: nothing is similar */
    int64_t from, to;             /* received_at in [from, to] */
    int cap;                      /* count at most this many distinct complainants; 0: all */
};

struct compensation_new {
    int64_t complaint_id;
    const char *type;             /* core_compensation_types */
    int64_t amount_fen;
    const char *reason;
    const char *status;           /* "proposed" | "pending_approval" */
    const char *proposed_by;      /* login */
    int64_t at;
};

struct compensation {
    int64_t id, complaint_id;
    const char *type, *reason;
    int64_t amount_fen;
    const char *status;           /* proposed pending_approval approved rejected agreed */
    const char *proposed_by;      /* login */
    const char *decided_by;       /* login or NULL */
    const char *decision_reason;  /* or NULL */
    int64_t proposed_at, decided_at;  /* decided_at 0 while undecided */
    const char *agreed_by;        /* who recorded the customer's agreement: login or NULL */
    int64_t agreed_at;            /* 0 until agreed */
};

struct followup_new {
    int64_t complaint_id;
    const char *kind;             /* "regular" (after closing) | "sample" (the centre's second call) */
    const char *assignee;         /* login or NULL: nobody could be chosen */
    const char *month;            /* "2026-10" for a sample, else NULL */
    int cycle;                    /* the complaint's reopenings when created: one of each kind per cycle */
    int64_t created_at, due_at;
};

struct followup_rating {
    int person;                   /* 1: the complaint's complainant; 2..: struct person seq */
    const char *satisfaction;     /* core_satisfactions */
    int score;                    /* 1..5, 0 none */
    const char *comment;          /* or NULL */
};

struct followup_outcome {
    const char *outcome;          /* core_followup_outcomes */
    int attempts;
    const char *satisfaction;     /* or NULL */
    int score;                    /* 0 none */
    const char *comment;          /* or NULL */
    const char *done_by;          /* login */
    int64_t done_at;
    const struct followup_rating *ratings;  /* other complainants of a collective complaint */
    size_t n_ratings;
};

struct followup {
    int64_t id, complaint_id;
    const char *number, *project_code, *subject;
    const char *kind, *month;     /* month NULL unless sample */
    int cycle;
    const char *assignee_login, *assignee_name;  /* NULL when unassigned */
    const char *status;           /* "open" | "done" */
    int64_t created_at, due_at, done_at;          /* done_at 0 while open */
    const char *done_by, *outcome, *satisfaction, *comment;  /* NULL while open */
    int attempts, score;
    struct followup_rating *ratings;
    size_t n_ratings;
};


/* A closed complaint of a month, for the sampling list. */
struct closed_item {
    int64_t id;
    const char *number, *project_code;
    int reopenings;
};

struct case_entry {
    int64_t complaint_id;
    const char *number, *project_code, *grade, *category_code, *subject;
    const char *summary, *lessons;
    const char *marked_by;        /* login */
    int64_t marked_at;
};

/* One earlier complaint of a complainant (DOMAIN §10). */
struct history_item {
    const char *number, *project_code, *subject, *status, *grade;  /* grade may be NULL */
    int64_t received_at;
    const char *satisfaction;     /* of the last follow-up done, or NULL */
    int64_t compensation_fen;     /* agreed compensation, summed */
};

struct department {
    const char *code, *name;
    const char *project;          /* code, or NULL: company-level */
};

/* 派单目录: complaints of a category (in a project, or anywhere) go to a department code. */
struct dispatch_rule {
    int64_t id;
    const char *category;         /* code */
    const char *project;          /* code or NULL: every project */
    const char *department;       /* code, looked up in the complaint's project, then company */
};

/* A grading rule as stored: the preset's rules, as edited. */
struct grade_rule_row {
    const char *code, *grade, *condition;
    const char *description_zh, *description_en;
    bool enabled;
    int sort;
};

struct category_new {
    const char *parent;           /* code of the parent, or NULL: top level */
    const char *code, *name_zh, *name_en;
    const char *description_zh, *description_en;   /* or NULL */
};

/* NULL members are left as they are. */
struct category_change {
    const char *name_zh, *name_en, *description_zh, *description_en;
    bool has_retired;
    bool retired;
};

/* A staff member holding a role in a project, with their open follow-ups. */
struct staff_load {
    const char *login, *name;
    int open_followups;
};

struct event_new {
    int64_t complaint_id;
    const char *type;        /* "note", "reply", "attachment", "registered", ... */
    const char *visibility;  /* "internal" or "customer" */
    const char *author;      /* staff login or NULL */
    const char *text;        /* or NULL */
    const char *data;        /* JSON object text, or NULL for {} */
    int64_t at;
};

struct event {
    int64_t id, complaint_id;
    int seq;                 /* 1, 2, ... within the complaint */
    const char *type, *visibility;
    const char *author_login, *author_name; /* NULL when none */
    const char *text;        /* NULL when none */
    const char *data;        /* JSON object text */
    int64_t at;
};

struct attachment_new {
    int64_t complaint_id;
    const char *name;
    const char *content_type;
    const void *data;
    size_t size;
    unsigned char sha256[32];
    int64_t at;
};

struct attachment {
    int64_t id, complaint_id;
    const char *name, *content_type;
    int64_t size;
    char sha256_hex[65];
    int64_t uploaded_at;
};

enum store_sort {
    STORE_SORT_RECEIVED_DESC,   /* -received_at (default) */
    STORE_SORT_RECEIVED_ASC,    /* received_at */
    STORE_SORT_REGISTERED_DESC, /* -registered_at: registration order, newest first */
    STORE_SORT_REGISTERED_ASC,  /* registered_at */
};

#define STORE_FILTER_MAX 16  /* values of one multi-valued filter */

struct store_filter {
    const char *values[STORE_FILTER_MAX];
    size_t n;
};

/*
 * A page of complaints. Project and category codes that do not exist are
 * ERR_INVALID (field "project" / "category", reason "unknown"), so that a
 * typo is not taken for an empty result. The registered_at sorts are
 * registration order, which is id order; their cursors use cursor_id.
 */
struct complaint_query {
    struct store_filter project;  /* project codes */
    struct store_filter status, category, kind, channel;
    struct store_filter handler;  /* logins of the current handler ("me" resolved by the caller) */
    struct store_filter grade;    /* grade codes of the preset in use */
    struct store_filter clock;    /* "overdue" "due_soon": some clock in that state at `now` */
    bool returned;                /* registered, the latest dispatch returned (退单) */
    int64_t now;                  /* for the clock filter */
    bool has_from, has_to;
    int64_t from, to;             /* received_at in [from, to) */
    const char *match;            /* FTS MATCH expression (store/fts.h) or NULL */
    enum store_sort sort;
    bool has_cursor;
    int64_t cursor_key;           /* received_at, or id for the registered sorts */
    int64_t cursor_id;            /* id of the last row of the previous page */
    int limit;                    /* 1..100 */
};

struct complaint_page {
    struct complaint *items;
    size_t n;
    bool more;                    /* another page follows */
};

struct category {
    const char *code, *name_zh, *name_en, *description_zh, *description_en;
    bool retired;
    struct category *subs;        /* subcategories */
    size_t n_subs;
};

struct project {
    const char *code, *name, *number_prefix;
    const char **buildings;
    size_t n_buildings;
};

/* An idempotency record: the first response to a request with a given key. */
struct idem_record {
    unsigned char request_hash[32];
    int status;
    const char *body;
};

/* Reference data, used by `kesu demo` and later by the administration API. */
struct staff_new {
    const char *login, *name;
    const char *phone, *email;    /* canonical phone (util/phone.h) and e-mail, or NULL */
    const char *password_hash;    /* argon2id string (util/password.h), or NULL: cannot log in */
};

struct staff {
    int64_t id;
    const char *login, *name, *phone, *email;
    const char *status;           /* "active" | "disabled" */
    bool has_password;
    const char *password_hash;    /* only from staff_get, for verifying; NULL when none */
    int64_t created_at, password_changed_at;  /* 0 when never set */
    struct membership *memberships;
    size_t n_memberships;
};

/*
 * Sessions and API tokens. The store keeps only the SHA-256 of each secret,
 * so a copy of the database does not let anyone in. A credential found by
 * its hash comes back whatever its state (revoked, expired, its owner
 * disabled); deciding whether it still admits is the caller's
 * (http/auth.c), with the clock.
 */
#define STORE_SECRET_HASH 32

struct session_new {
    unsigned char token_hash[STORE_SECRET_HASH];
    const char *login;            /* the staff member signing in */
    const char *csrf;             /* the session's anti-CSRF token, sent in X-CSRF-Token */
    const char *address;          /* client address, or NULL */
    int64_t created_at, expires_at;   /* expires_at: the absolute limit */
};

struct token_new {
    unsigned char token_hash[STORE_SECRET_HASH];
    const char *name;             /* "hotline CTI", unique among tokens not revoked */
    const char *login;            /* the staff member the token acts as */
    uint32_t scopes;              /* permission bits (core/perm.h) */
    const char *project;          /* project code the token is limited to, or NULL */
    const char *created_by;       /* login of the administrator, or NULL (CLI) */
    int64_t created_at;
};

enum credential_kind { CREDENTIAL_SESSION, CREDENTIAL_TOKEN };

/* What a session or token lookup returns: the credential and its owner. */
struct credential {
    enum credential_kind kind;
    int64_t id;
    int64_t created_at, last_used_at, expires_at;  /* expires_at 0: none (tokens) */
    int64_t revoked_at;                            /* 0 while valid */
    const char *csrf;             /* sessions */
    const char *name;             /* tokens */
    uint32_t scopes;              /* tokens; sessions carry CORE_SCOPES_ALL */
    const char *project;          /* tokens: the project limit, or NULL */
    const char *created_by;       /* tokens */
    struct staff owner;           /* with memberships; password_hash not loaded */
};

/* Filters of the auditors' query; every one optional. Newest first. */
struct audit_query {
    const char *actor;            /* staff login */
    const char *object;           /* complaint number, login, token name, ... */
    const char *action;           /* "login" exact, or "complaint.*": every action with that prefix */
    bool has_from, has_to;
    int64_t from, to;             /* at in [from, to) */
    int64_t before_id;            /* 0: from the newest; else entries with id < before_id */
    int limit;                    /* 1..500 */
};

struct followup_query {
    struct store_filter project;  /* codes; none: every project */
    const char *status;           /* "open" | "done" | NULL */
    const char *kind;             /* or NULL */
    const char *assignee;         /* login or NULL */
    const char *month;            /* samples of a month, or NULL */
    int64_t complaint_id;         /* 0: any */
    int limit;                    /* 1..500 */
};

/* ---- calendar records (migration 6) ---- */
/*
 * Working-day calendars (core/calendar.h): the deployment's, and a project's
 * own when an administrator made one. A project's calendar has its own
 * weekly pattern and hours; its exceptions lie over the deployment's: on a
 * day where the project has one, the project's wins, on the other days the
 * deployment's apply. So a project that works on Saturdays keeps the public
 * holidays, and next year's holidays imported once reach every project.
 */

/* An exception as the administrator sees it, with the calendar it belongs to. */
struct calendar_day {
    int64_t day;                  /* days since 1970-01-01 */
    enum cal_kind kind;
    const char *name;             /* "" when none */
    bool own;                     /* the project's own (false: the deployment's) */
    const char *updated_by;       /* login, or NULL (the built-in schedule) */
    int64_t updated_at;
};

/* A calendar's settings and the exceptions of a range of days (calendar_get). */
struct calendar_record {
    const char *project;          /* the project asked about (code), or NULL */
    bool own;                     /* the project has a calendar of its own */
    unsigned weekly;              /* bit d set: weekday d (0 = Sunday) is a working day */
    int work_start, work_end;     /* minutes of the day */
    const char *source;           /* where the days came from; "" when unknown */
    bool checked;                 /* an administrator confirmed the schedule */
    const char *checked_by;       /* login or NULL */
    int64_t checked_at;           /* 0 while unchecked */
    const char *updated_by;       /* login or NULL */
    int64_t updated_at;
    struct calendar_day *days;    /* the range asked for, by day, one per day */
    size_t n_days;
};

/* A change of settings: has_* false and NULL leave a member as it is. */
struct calendar_change {
    const char *project;          /* code; NULL: the deployment's calendar */
    bool has_weekly, has_hours, has_checked;
    unsigned weekly;              /* 1..127 */
    int work_start, work_end;     /* 0 <= start < end <= 1440 */
    const char *source;           /* at most CAL_SOURCE_MAX characters, or NULL */
    bool checked;                 /* true records by and at, false clears them */
    const char *by;               /* login of the administrator, or NULL */
    int64_t at;
};

#define CAL_SOURCE_MAX 200        /* characters of a calendar's source */

/* An exception to write; kind 0 removes the day's exception ("normal"). */
struct calendar_day_change {
    int64_t day;                  /* 0..CAL_DAY_MAX */
    enum cal_kind kind;
    const char *name;             /* at most CAL_NAME_MAX characters; NULL as "" */
};

/* What calendar_days_put did, day by day. */
struct calendar_days_result {
    int added, changed, removed, unchanged;
    bool created;                 /* the project's calendar was made for it */
};
/* ---- end of calendar records ---- */

/* ---- notification records (migration 7) ---- */
/* A message for a member of staff's in-app inbox (notify/notify.h). */
struct notification_new {
    const char *login;            /* the recipient */
    int64_t complaint_id;         /* 0: about no complaint */
    const char *kind;             /* "assigned" "reminder" "overdue" ... */
    const char *title_zh, *title_en;
    const char *body_zh, *body_en;    /* or NULL */
    const char *dedup;            /* or NULL: a second one with the same key records nothing */
    int64_t created_at;
};

struct notification {
    int64_t id, complaint_id;     /* complaint_id 0: none */
    const char *number;           /* the complaint's number, or NULL */
    const char *kind, *title_zh, *title_en, *body_zh, *body_en;   /* bodies may be NULL */
    int64_t created_at, read_at;  /* read_at 0 while unread */
};

struct notification_query {
    const char *login;            /* whose inbox */
    bool unread_only;
    int64_t before_id;            /* 0: from the newest; else ids below it */
    int limit;                    /* 1..200 */
};

struct webhook_new {
    const char *name, *url, *secret;
    const char *events;           /* "*" or codes separated by ',' ("complaint.*,customer.message") */
    int64_t created_at;
};

/* NULL members and a false has_active leave the column as it is. */
struct webhook_change {
    const char *url, *secret, *events;
    bool has_active, active;
};

struct webhook {
    int64_t id;
    const char *name, *url;
    const char *secret;           /* for signing; never rendered after creation, never logged */
    const char *events;
    bool active;
    int64_t created_at, updated_at;
};

/* Something to send, recorded in the transaction of the change it reports. */
struct delivery_new {
    const char *channel;          /* "webhook" | "email" */
    int64_t webhook_id;           /* webhook: the receiver */
    const char *recipient;        /* email: the address */
    const char *event;            /* the event type, or the message kind of an e-mail */
    int64_t complaint_id;         /* 0: none */
    const char *subject;          /* email: required; webhook: NULL */
    const char *body;             /* webhook: the JSON text of "data"; email: the text */
    bool personal;                /* holds a customer's contact details: hidden from the admin view */
    const char *dedup;            /* or NULL */
    int64_t created_at;           /* also its first due time */
};

struct delivery {
    int64_t id;
    const char *channel, *event, *status;   /* status: pending | delivered | dead */
    int64_t webhook_id;           /* 0 for e-mail */
    const char *webhook_name;     /* NULL for e-mail */
    const char *webhook_url, *webhook_secret;  /* only from delivery_claim, for the sender */
    const char *recipient;        /* e-mail; NULL for webhooks */
    int64_t complaint_id;
    const char *number;           /* NULL when about no complaint */
    const char *subject, *body;
    bool personal;
    int attempts;                 /* tries since creation or the last replay */
    int replays;
    int last_status;              /* HTTP or SMTP code of the last try; 0 none */
    const char *last_error;       /* or NULL */
    int64_t next_attempt_at, created_at, delivered_at;   /* delivered_at 0 until delivered */
};

/* One try of a delivery and how it went. */
struct delivery_attempt {
    int64_t id, delivery_id;
    int64_t at;
    int duration_ms;
    int status;                   /* HTTP or SMTP code; 0 when none came back */
    bool ok;
    const char *error;            /* NULL when ok */
};

struct delivery_query {
    const char *status;           /* pending | delivered | dead | NULL: any */
    const char *channel;          /* webhook | email | NULL: any */
    int64_t before_id;            /* 0: from the newest; else ids below it */
    int limit;                    /* 1..500 */
};

/* A customer message an administrator edits: {{placeholders}} are notify/template.h's. */
struct message_template {
    const char *code;             /* "acknowledged" "progress" "resolved" "followup" */
    const char *lang;             /* "zh" | "en" */
    const char *subject, *body;
    int64_t updated_at;
    const char *updated_by;       /* login, or NULL for the shipped text */
};
/* ---- end of notification records ---- */

/* ---- deadline records (migration 8) ---- */
/* A row of the time-limit policy: grade "*" is every grade without its own row. */
struct clock_policy_row {
    const char *grade, *clock;
    int amount;
    const char *unit;               /* "hours" "days" "working_days" "working_hours" */
    int remind_percent;
    bool enabled;
    int64_t updated_at;
};

/* A clock of a complaint (core/clock.h) as stored. */
struct clock_row {
    int64_t id, complaint_id;
    const char *kind;
    int cycle;
    int64_t started_at;
    int amount;
    const char *unit;
    int remind_percent;
    int64_t ext;                    /* what pauses added (core_clock_due) */
    int64_t due_at, remind_at, paused_at, reminded_at, overdue_at, stopped_at;
    bool cancelled;
    int64_t next_at;                /* 0: the scheduler has nothing to do */
};

struct lease {
    const char *name, *holder;
    int64_t expires_at, ticked_at, ticks;
    const char *last;               /* JSON object text: what the last tick did */
    int64_t backfill_after, backfill_until;
};

struct escalation_rule_row {
    const char *code, *condition, *target_role;
    const char *target_department;  /* NULL: the department stays */
    bool notice;                    /* issue a supervision notice */
    int ack_hours;
    const char *description_zh, *description_en;
    bool enabled;
    int sort;
};

struct notice_new {
    int64_t complaint_id;
    const char *source;             /* the escalation rule's code, or "clock:<kind>" */
    int level;                      /* 1, then 2, ... as it is escalated again */
    const char *to_role;
    const char *project;            /* code; NULL: a company-level role */
    const char *text;
    int64_t issued_at, ack_due_at;
};

struct notice {
    int64_t id, complaint_id;
    const char *number;             /* the complaint's */
    const char *source;
    int level;
    const char *to_role, *project;  /* project NULL: company-level */
    const char *text;
    int64_t issued_at, ack_due_at, acked_at, escalated_at;
    const char *acked_by, *ack_note;/* NULL until acknowledged */
};

struct notice_query {
    const char *const *roles;       /* NULL-terminated: notices to any of these roles */
    struct store_filter project;    /* codes; none: every project (and the company's) */
    bool open_only;                 /* not yet acknowledged */
    int64_t complaint_id;           /* 0: any */
    int limit;                      /* 1..500 */
};
/* ---- end of deadline records ---- */

struct store_ops {
    const char *name;                                              /* "sqlite", "faulty" */
    void (*close)(struct store *st);
    int (*tx_begin)(struct store *st, struct err *e);
    int (*tx_commit)(struct store *st, struct err *e);
    void (*tx_rollback)(struct store *st);
    int (*savepoint)(struct store *st, struct err *e);
    int (*savepoint_release)(struct store *st, struct err *e);
    /* Undo and end the innermost savepoint. On failure the transaction is unsound: roll it back. */
    int (*savepoint_rollback)(struct store *st, struct err *e);
    int (*set_durable)(struct store *st, bool durable, struct err *e);
    int (*health)(struct store *st, int *schema_version, struct err *e);
    int (*migrate)(struct store *st, const char *preset, int64_t now, int *version, struct err *e);
    /* Cheap upkeep (planner statistics and the like); at start-up and after bulk loads,
     * outside a transaction. */
    int (*maintain)(struct store *st, struct err *e);

    /*
     * Register a complaint with the next number of its series, its first
     * event and its search entry. Call inside a transaction (the writer's):
     * its parts are atomic only together. `in` was checked by
     * core_complaint_check, so received_at is a whole minute (else
     * ERR_INVALID). Unknown references are ERR_INVALID naming the field.
     */
    int (*complaint_create)(struct store *st, const struct complaint_new *in, const char *prefix,
                            int tz_min, int64_t now, struct arena *a, struct complaint **out,
                            struct err *e);
    int (*complaint_get)(struct store *st, const char *number, struct arena *a,
                         struct complaint **out, struct err *e);
    int (*complaint_list)(struct store *st, const struct complaint_query *q, struct arena *a,
                          struct complaint_page *out, struct err *e);
    int (*event_append)(struct store *st, const struct event_new *in, struct arena *a,
                        struct event **out, struct err *e);
    int (*event_list)(struct store *st, int64_t complaint_id, struct arena *a,
                      struct event **out, size_t *n, struct err *e);
    int (*attachment_add)(struct store *st, const struct attachment_new *in, struct arena *a,
                          struct attachment **out, struct err *e);
    int (*attachment_list)(struct store *st, int64_t complaint_id, struct arena *a,
                           struct attachment **out, size_t *n, struct err *e);
    /* `*data` is heap memory from alloc_malloc: the caller frees it. */
    int (*attachment_get)(struct store *st, int64_t complaint_id, int64_t id, struct arena *a,
                          struct attachment **meta, void **data, struct err *e);
    int (*idem_get)(struct store *st, const char *key, struct arena *a, struct idem_record *out,
                    struct err *e);
    int (*idem_put)(struct store *st, const char *key, const struct idem_record *rec, int64_t now,
                    struct err *e);
    int (*category_list)(struct store *st, struct arena *a, const char **preset,
                         struct category **out, size_t *n, struct err *e);
    int (*project_list)(struct store *st, struct arena *a, struct project **out, size_t *n,
                        struct err *e);
    int (*unit_list)(struct store *st, const char *project, const char *building, struct arena *a,
                     const char ***out, size_t *n, struct err *e);
    int (*project_add)(struct store *st, const char *code, const char *name, const char *prefix,
                       int64_t now, struct err *e);
    int (*building_add)(struct store *st, const char *project, const char *name, int sort,
                        struct err *e);
    int (*unit_add)(struct store *st, const char *project, const char *building, const char *name,
                    struct err *e);
    int (*staff_add)(struct store *st, const struct staff_new *in, int64_t now, struct err *e);
    /* ERR_NOT_FOUND (field "login") when there is no such staff member. */
    int (*staff_get)(struct store *st, const char *login, struct arena *a, struct staff **out,
                     struct err *e);
    /* Everyone, by login; password hashes are not loaded. */
    int (*staff_list)(struct store *st, struct arena *a, struct staff **out, size_t *n,
                      struct err *e);
    /*
     * "active" | "disabled" (else ERR_INVALID "status"). Unknown login:
     * ERR_NOT_FOUND "login" here and in staff_set_password, where the login
     * is the subject; ERR_INVALID in membership_add, where it is a reference.
     * A password cannot be cleared (NULL is ERR_INVALID "password"):
     * disabling the account is how access ends.
     */
    int (*staff_set_status)(struct store *st, const char *login, const char *status,
                            struct err *e);
    int (*staff_set_password)(struct store *st, const char *login, const char *password_hash,
                              int64_t now, struct err *e);
    /* Unknown login, project or department: ERR_INVALID naming it; held already: ERR_CONFLICT. */
    int (*membership_add)(struct store *st, const char *login, const struct membership *m,
                          struct err *e);
    /* project NULL: a company-level department. ERR_CONFLICT when the code exists there. */
    int (*department_add)(struct store *st, const char *project, const char *code,
                          const char *name, struct err *e);
    /* How many active staff hold `role` anywhere (e.g. is there an administrator?). */
    int (*role_count)(struct store *st, const char *role, int64_t *n, struct err *e);

    /*
     * Append to the audit log inside the caller's transaction, the one that
     * makes the change being recorded, so both commit or neither does. Reads
     * the last entry, sets en->id to its id + 1 and seals `en` onto its hash
     * (core_audit_seal; zeros for the first entry); en->id, prev_hash and
     * hash are written, the strings are the caller's and only read. A NULL
     * detail is stored as "{}". Never updates or deletes an entry.
     */
    int (*audit_append)(struct store *st, struct audit_entry *en, struct err *e);
    /*
     * At most `max` entries with an id above `after_id`, in id order, strings
     * and array from `a`; *n is 0 past the end. Page through a log of any
     * size by passing the last id seen as the next after_id.
     */
    int (*audit_scan)(struct store *st, int64_t after_id, size_t max, struct arena *a,
                      struct audit_entry **out, size_t *n, struct err *e);
    /* ---- sessions and API tokens ---- */
    /* Unknown login: ERR_INVALID "login". Sets *id. */
    int (*session_create)(struct store *st, const struct session_new *in, int64_t *id,
                          struct err *e);
    /* ERR_NOT_FOUND when no session or token has this hash. */
    int (*credential_find)(struct store *st, enum credential_kind kind,
                           const unsigned char hash[STORE_SECRET_HASH], struct arena *a,
                           struct credential **out, struct err *e);
    /* Record use (sessions: the idle clock). Unknown id: ERR_NOT_FOUND. */
    int (*credential_touch)(struct store *st, enum credential_kind kind, int64_t id, int64_t now,
                            struct err *e);
    /*
     * Revoke one credential: ERR_NOT_FOUND when unknown, ERR_CONFLICT
     * (reason "revoked") when it already was. Never deletes the row.
     */
    int (*credential_revoke)(struct store *st, enum credential_kind kind, int64_t id,
                             int64_t now, struct err *e);
    /*
     * Revoke every live session of a staff member (password changed, account
     * disabled); *n says how many. Callers do it in the transaction that
     * changes the account; lookups refuse such sessions anyway, since
     * http/auth.c checks the owner's status and password_changed_at.
     */
    int (*session_revoke_staff)(struct store *st, const char *login, int64_t now, int *n,
                                struct err *e);
    /*
     * Unknown login or project: ERR_INVALID naming it; a live token with the
     * same name: ERR_CONFLICT (field "name", reason "exists"). Sets *id.
     */
    int (*token_create)(struct store *st, const struct token_new *in, int64_t *id,
                        struct err *e);
    /* Every token, revoked ones too, by id; owner memberships are not loaded. */
    int (*token_list)(struct store *st, struct arena *a, struct credential **out, size_t *n,
                      struct err *e);

    /* The auditors' view: entries matching q, newest first; *more when older ones match. */
    int (*audit_query)(struct store *st, const struct audit_query *q, struct arena *a,
                       struct audit_entry **out, size_t *n, bool *more, struct err *e);

    /* ---- the life of a complaint (migration 5) ---- */
    /*
     * ERR_NOT_FOUND (field "id") for an unknown id; reference errors as struct
     * complaint_change says. One UPDATE of the columns the change sets.
     */
    int (*complaint_update)(struct store *st, int64_t id, const struct complaint_change *ch,
                            struct err *e);
    /*
     * Add a complainant to a collective complaint; sets *seq (2, 3, ...).
     * Links by phone (else e-mail) like registration, creating the
     * complainant when new. Headcount is the caller's to change. Unknown
     * complaint: ERR_NOT_FOUND ("complaint_id"); no role: ERR_INVALID "role"
     * "required"; a person already on the complaint (its own complainant or
     * a further one, by phone or e-mail): ERR_CONFLICT ("phone" or "email",
     * "exists"). Anonymous people without contact are never the same.
     */
    int (*person_add)(struct store *st, int64_t complaint_id, const struct complainant_new *in,
                      int64_t now, int *seq, struct err *e);
    /*
     * Complaints similar to q: their ids (from `a`, at most 1000, newest
     * first) and how many distinct complainants they have (an anonymous
     * complaint counts as its own complainant). ids NULL: the count only. Invalid complaints are not
     * similar. distinct counts every similar complaint, not only the 1000:
     * distinct complainant ids + complaints without one. Unknown project,
     * category, building or unit: ERR_INVALID naming it.
     */
    int (*similar_find)(struct store *st, const struct similar_query *q, struct arena *a,
                        int64_t **ids, size_t *n, int *distinct, struct err *e);
    /* Load by id, with people (for re-grading the similar ones); ERR_NOT_FOUND ("id"). */
    int (*complaint_get_by_id)(struct store *st, int64_t id, struct arena *a,
                               struct complaint **out, struct err *e);

    /*
     * Sets *id. Status other than proposed / pending_approval: ERR_INVALID
     * "status" "bad_value"; no type: "type" "required"; a negative amount:
     * "amount" "out_of_range"; unknown login: "proposed_by" "unknown";
     * unknown complaint: ERR_NOT_FOUND "complaint_id". The type is checked
     * against core_compensation_types by the caller.
     */
    int (*compensation_add)(struct store *st, const struct compensation_new *in, int64_t *id,
                            struct err *e);
    /*
     * Set status (approved rejected agreed) and decided_by/at and reason; "agreed" sets
     * agreed_by/at instead and keeps the decision (reason unused). ERR_NOT_FOUND when
     * the id is not one of this complaint's; another status: ERR_INVALID "status"
     * "bad_value"; unknown login: ERR_INVALID "decided_by". Which decision may follow
     * which is the caller's (core/followup.h); the store records the latest.
     */
    int (*compensation_decide)(struct store *st, int64_t complaint_id, int64_t id,
                               const char *status, const char *by, const char *reason,
                               int64_t at, struct err *e);
    /* In id order; none for an unknown complaint. */
    int (*compensation_list)(struct store *st, int64_t complaint_id, struct arena *a,
                             struct compensation **out, size_t *n, struct err *e);

    /*
     * Sets *id; status "open". ERR_CONFLICT (field "kind", reason "exists") when the
     * complaint has one of this kind and cycle. Kind not regular or sample: ERR_INVALID
     * "kind" "bad_value"; unknown assignee: ERR_INVALID "assignee"; unknown complaint:
     * ERR_NOT_FOUND "complaint_id".
     */
    int (*followup_create)(struct store *st, const struct followup_new *in, int64_t *id,
                           struct err *e);
    /* With its ratings (by person). ERR_NOT_FOUND (field "id"). */
    int (*followup_get)(struct store *st, int64_t id, struct arena *a, struct followup **out,
                        struct err *e);
    /*
     * Oldest due first, at most q->limit (1..500, else ERR_INVALID "limit"); ratings
     * are not loaded. Unknown project or assignee: ERR_INVALID naming it; a status or
     * kind outside its set: ERR_INVALID "bad_value".
     */
    int (*followup_list)(struct store *st, const struct followup_query *q, struct arena *a,
                         struct followup **out, size_t *n, struct err *e);
    /*
     * ERR_CONFLICT (field "status", reason "done") when it was done already;
     * ERR_NOT_FOUND (field "id") when there is none. No outcome: ERR_INVALID "outcome"
     * "required"; unknown done_by: ERR_INVALID "done_by". Each rating's person is 1 or
     * a struct person seq of the complaint, once (ERR_INVALID "ratings.person":
     * "out_of_range", "unknown", "repeated"); all checked before anything is written.
     * Score 0 is stored as none. Call inside a transaction: the ratings follow the update.
     */
    int (*followup_done)(struct store *st, int64_t id, const struct followup_outcome *o,
                         struct err *e);
    /* Complaints whose closed_at is in [from, to), by id. */
    int (*closed_between)(struct store *st, int64_t from, int64_t to, struct arena *a,
                          struct closed_item **out, size_t *n, struct err *e);
    /*
     * Active staff holding `role` in `project` itself (not company-wide), by login, with
     * their open follow-ups (any project). Unknown project: ERR_INVALID; bad role:
     * ERR_INVALID "role" "bad_value".
     */
    int (*staff_in_role)(struct store *st, const char *project, const char *role,
                         struct arena *a, struct staff_load **out, size_t *n, struct err *e);

    /*
     * Mark (or re-mark, replacing summary and lessons, marked_by and marked_at) a
     * complaint as a case, and set its is_case. lessons may be NULL; summary NULL is
     * ERR_INVALID "summary" "required"; unknown login: ERR_INVALID "marked_by"; unknown
     * complaint: ERR_NOT_FOUND "complaint_id". Whether it may be a case is the caller's.
     */
    int (*case_put)(struct store *st, int64_t complaint_id, const char *summary,
                    const char *lessons, const char *by, int64_t at, struct err *e);
    /* ERR_NOT_FOUND (field "complaint_id") when the complaint is not a case. */
    int (*case_get)(struct store *st, int64_t complaint_id, struct arena *a,
                    struct case_entry **out, struct err *e);
    /*
     * Newest marked first; q NULL or "": all; else cases whose subject, summary or
     * lessons contain q (plain text, case-sensitive). limit 1..500.
     */
    int (*case_list)(struct store *st, const char *q, int limit, struct arena *a,
                     struct case_entry **out, size_t *n, struct err *e);

    /*
     * Earlier complaints of a complainant, newest first, without `exclude_id`: those
     * they raised and the collective ones they joined (struct person). limit 1..500
     * (else ERR_INVALID "limit"); complainant 0: none.
     */
    int (*history_list)(struct store *st, int64_t complainant_id, int64_t exclude_id, int limit,
                        struct arena *a, struct history_item **out, size_t *n, struct err *e);
    /* The complainant with this canonical phone: *id 0 when none. */
    int (*complainant_by_phone)(struct store *st, const char *phone, int64_t *id, struct err *e);

    /* ---- reference data the administrator edits ---- */
    /*
     * Last among its siblings. Two levels: the parent is a live top-level category
     * (ERR_INVALID "parent": "unknown", "retired"). The code taken there: ERR_CONFLICT
     * ("code", "exists"). code, name_zh, name_en required (ERR_INVALID "required").
     */
    int (*category_add)(struct store *st, const struct category_new *in, struct err *e);
    /*
     * parent NULL: a top-level category. ERR_NOT_FOUND (field "code") when none,
     * (field "parent") when the parent is unknown. A name "" is ERR_INVALID "required".
     */
    int (*category_update)(struct store *st, const char *parent, const char *code,
                           const struct category_change *ch, struct err *e);
    /*
     * project NULL: every department; else the project's and the company's (unknown
     * project: ERR_INVALID). The company's first, then by project, in creation order.
     */
    int (*department_list)(struct store *st, const char *project, struct arena *a,
                           struct department **out, size_t *n, struct err *e);
    /* Active rules, by category then project. */
    int (*dispatch_list)(struct store *st, struct arena *a, struct dispatch_rule **out,
                         size_t *n, struct err *e);
    /*
     * Set the rule for (category, project): replaces an existing one (same id);
     * department NULL removes it (rules are configuration: deleted, not kept). The
     * department code must exist where the rule applies: in the project or the
     * company, or for project NULL in some project or the company (ERR_INVALID
     * "department" "unknown"). A retired category takes no new rule ("retired").
     */
    int (*dispatch_put)(struct store *st, const char *category, const char *project,
                        const char *department, struct err *e);
    /*
     * The department code for a complaint of category in project (project rule first):
     * NULL none, and for category NULL. Unknown category or project: ERR_INVALID.
     */
    int (*dispatch_find)(struct store *st, const char *category, const char *project,
                         struct arena *a, const char **department, struct err *e);
    /* The grading preset (settings) and its rules in order. */
    int (*grade_rule_list)(struct store *st, struct arena *a, const char **preset,
                           struct grade_rule_row **out, size_t *n, struct err *e);
    /*
     * Insert or replace by code (sort kept for an existing rule, last for a new one;
     * row->sort is not read). code, grade and condition are required; the grade must be
     * one of the preset's levels (ERR_INVALID "grade" "unknown"). The syntax of code and
     * condition is the caller's to check (core/grading.h). NULL descriptions are "".
     */
    int (*grade_rule_put)(struct store *st, const struct grade_rule_row *row, struct err *e);
    /*
     * Choose the grading preset (core/grading.h): its rules replace the
     * stored ones. Migration 5 sets "property". Choosing the preset in use
     * again changes nothing; another one once a complaint has a grade is
     * ERR_CONFLICT (field "grading", reason "preset_set"); an unknown one
     * ERR_INVALID (field "grading", reason "unknown"). Runs in a savepoint of
     * its own, so it is atomic with or without the caller's transaction.
     */
    int (*grade_preset_set)(struct store *st, const char *preset, struct err *e);

    /* ---- calendar (migration 6; implemented in store_sqlite_calendar.c) ---- */
    /*
     * The working-day calendar for deadlines: the project's own calendar when
     * it has one (its pattern and hours, its exceptions over the
     * deployment's), else the deployment's; project NULL: the deployment's.
     * Every exception of every year, sorted by day, one per day, strings and
     * array from `a`. out->tz_min is not stored: the caller sets it. Unknown
     * project: ERR_INVALID "project" "unknown".
     */
    int (*calendar_load)(struct store *st, const char *project, struct arena *a,
                         struct calendar *out, struct err *e);
    /*
     * The same calendar with its settings and the exceptions of the days in
     * [from, to], each marked own (the project's) or the deployment's, from
     * `a`. Unknown project: ERR_INVALID "project" "unknown".
     */
    int (*calendar_get)(struct store *st, const char *project, int64_t from, int64_t to,
                        struct arena *a, struct calendar_record *out, struct err *e);
    /*
     * Change the settings of the deployment's calendar or a project's. A
     * project without its own calendar gets one first, with the deployment's
     * settings (*created true; created may be NULL). Refused, before anything
     * is written: weekly outside 1..127 (ERR_INVALID "weekdays" "empty"),
     * work_start outside 0..1439 ("work_start" "out_of_range"), work_end not
     * after work_start ("work_end" "before_from") or past 1440
     * ("work_end" "out_of_range"), a source too long or not UTF-8 ("source"
     * "too_long" / "bad_utf8"),
     * an unknown project ("project" "unknown") or login ("updated_by"
     * "unknown"). Updates updated_by and updated_at.
     */
    int (*calendar_put)(struct store *st, const struct calendar_change *ch, bool *created,
                        struct err *e);
    /*
     * Set or remove exceptions, in order, of the deployment's calendar
     * (project NULL) or a project's (made as in calendar_put when missing);
     * removing a project's exception uncovers the deployment's of that day.
     * All or nothing (a savepoint of its own). Refused before anything is
     * written: a day outside 0..CAL_DAY_MAX ("date" "out_of_range"), another
     * kind ("kind" "bad_value"), a name over CAL_NAME_MAX characters or not
     * UTF-8 ("name" "too_long" / "bad_utf8"), unknown project or login as in
     * calendar_put. Counts what happened in *out; a calendar with a change
     * records updated_by and updated_at.
     */
    int (*calendar_days_put)(struct store *st, const char *project,
                             const struct calendar_day_change *days, size_t n, const char *by,
                             int64_t at, struct calendar_days_result *out, struct err *e);
    /* ---- end of calendar ops ---- */

    /* ---- notifications (migration 7; implemented in store_sqlite_notify.c) ---- */
    /*
     * Put a message in a staff member's inbox; sets *id, or 0 when one with
     * the same dedup key is there already (nothing is written). Unknown
     * login: ERR_INVALID "login"; no kind or title: ERR_INVALID "required".
     */
    int (*notification_add)(struct store *st, const struct notification_new *in, int64_t *id,
                            struct err *e);
    /*
     * One person's notifications, newest first, at most q->limit (1..200,
     * else ERR_INVALID "limit"); *more when older ones match. An unknown
     * login has none.
     */
    int (*notification_list)(struct store *st, const struct notification_query *q,
                             struct arena *a, struct notification **out, size_t *n, bool *more,
                             struct err *e);
    /* How many of the login's notifications are unread (0 for an unknown login). */
    int (*notification_unread)(struct store *st, const char *login, int64_t *n, struct err *e);
    /*
     * Mark one read at `now` and load it into *out. ERR_NOT_FOUND (field
     * "id") when there is none with this id in that login's inbox: nobody
     * reads or marks another's. Marking a read one again changes nothing.
     */
    int (*notification_read)(struct store *st, const char *login, int64_t id, int64_t now,
                             struct arena *a, struct notification **out, struct err *e);
    /* Mark every unread one of the login read; *n says how many. */
    int (*notification_read_all)(struct store *st, const char *login, int64_t now, int64_t *n,
                                 struct err *e);

    /*
     * Sets *id. The name taken: ERR_CONFLICT ("name", "exists"). name, url,
     * secret, events required (ERR_INVALID "required"). The URL and the
     * events are the caller's to check.
     */
    int (*webhook_add)(struct store *st, const struct webhook_new *in, int64_t *id,
                       struct err *e);
    /* Every webhook, switched off ones too, by id, secrets included (never render them). */
    int (*webhook_list)(struct store *st, struct arena *a, struct webhook **out, size_t *n,
                        struct err *e);
    /* ERR_NOT_FOUND (field "id") when there is none. */
    int (*webhook_get)(struct store *st, int64_t id, struct arena *a, struct webhook **out,
                       struct err *e);
    /* Change what ch sets and updated_at; ERR_NOT_FOUND (field "id") when none. */
    int (*webhook_update)(struct store *st, int64_t id, const struct webhook_change *ch,
                          int64_t now, struct err *e);

    /*
     * Record something to send, pending and due at created_at; sets *id, or
     * 0 when one of the same channel, recipient (webhook or address) and
     * dedup key exists (nothing is written). A webhook delivery needs a
     * webhook that exists (ERR_INVALID "webhook_id"); an e-mail a recipient
     * and a subject (ERR_INVALID "required"); a bad channel is ERR_INVALID
     * "channel" "bad_value".
     */
    int (*delivery_add)(struct store *st, const struct delivery_new *in, int64_t *id,
                        struct err *e);
    /*
     * Pending deliveries due at `now` (next_attempt_at <= now), oldest due
     * first, at most `limit`, through the index of pending ones. Webhook
     * deliveries whose webhook is switched off wait. For a read connection:
     * whether the sender has work.
     */
    int (*delivery_due)(struct store *st, int64_t now, int limit, struct arena *a,
                        struct delivery **out, size_t *n, struct err *e);
    /*
     * The same, in the writer's transaction, each claimed until `until`
     * (its next_attempt_at moves there), so that a second sender (another
     * process on the database) does not take it too, and one that dies
     * while sending gives it back when the claim runs out (at least once).
     * Loads the webhook's URL and secret.
     */
    int (*delivery_claim)(struct store *st, int64_t now, int64_t until, int limit,
                          struct arena *a, struct delivery **out, size_t *n, struct err *e);
    /*
     * The outcome of a try of a pending delivery: the attempt row (`at`,
     * duration, status, ok, error; its delivery_id is `id`) and the new
     * state: status "pending" (due again at next_attempt_at), "delivered" or
     * "dead"; attempts goes up by one. attempt NULL records no try and only
     * sets next_attempt_at (a claim given back at shutdown). A delivery that
     * is not pending: ERR_CONFLICT ("status", "not_pending"); none:
     * ERR_NOT_FOUND ("id").
     */
    int (*delivery_record)(struct store *st, int64_t id, const struct delivery_attempt *attempt,
                           const char *status, int64_t next_attempt_at, struct err *e);
    /*
     * Newest first, at most q->limit (1..500, else ERR_INVALID "limit");
     * *more when older ones match. A status or channel outside its set:
     * ERR_INVALID "bad_value".
     */
    int (*delivery_list)(struct store *st, const struct delivery_query *q, struct arena *a,
                         struct delivery **out, size_t *n, bool *more, struct err *e);
    /* With every attempt, oldest first. ERR_NOT_FOUND (field "id"). */
    int (*delivery_get)(struct store *st, int64_t id, struct arena *a, struct delivery **out,
                        struct delivery_attempt **attempts, size_t *n_attempts, struct err *e);
    /*
     * A dead delivery back to pending, due at `now`, with a fresh budget of
     * attempts (attempts 0, replays + 1; earlier attempts stay recorded).
     * Not dead: ERR_CONFLICT ("status", "not_dead"); none: ERR_NOT_FOUND ("id").
     */
    int (*delivery_replay)(struct store *st, int64_t id, int64_t now, struct err *e);

    /* Every customer message template, by code then language. */
    int (*template_list)(struct store *st, struct arena *a, struct message_template **out,
                         size_t *n, struct err *e);
    /* ERR_NOT_FOUND (field "code") when there is no template of this code and language. */
    int (*template_get)(struct store *st, const char *code, const char *lang, struct arena *a,
                        struct message_template **out, struct err *e);
    /*
     * Replace the subject and body of an existing template (code and lang),
     * with updated_at and updated_by. ERR_NOT_FOUND ("code") when there is
     * none: the set of templates is the code's, only their texts are data.
     * The placeholders are the caller's to check (notify/template.h).
     */
    int (*template_put)(struct store *st, const struct message_template *t, struct err *e);
    /* ---- end of notification ops ---- */

    /* ---- deadlines (migration 8; implemented in store_sqlite_sched.c) ---- */
    /* Every policy row, by grade then clock. */
    int (*clock_policy_list)(struct store *st, struct arena *a, struct clock_policy_row **out,
                             size_t *n, struct err *e);
    /* Insert or replace (grade, clock). Values are the caller's to check (core/clock.h). */
    int (*clock_policy_put)(struct store *st, const struct clock_policy_row *row,
                            struct err *e);
    /* The clocks of a complaint, every cycle, by kind then cycle. */
    int (*clock_list)(struct store *st, int64_t complaint_id, struct arena *a,
                      struct clock_row **out, size_t *n, struct err *e);
    /*
     * Insert a clock (id ignored; *id set). One with the same complaint, kind
     * and cycle exists: ERR_CONFLICT (field "clock", reason "exists"), nothing
     * written. Unknown complaint: ERR_NOT_FOUND "complaint_id".
     */
    int (*clock_insert)(struct store *st, const struct clock_row *row, int64_t *id,
                        struct err *e);
    /*
     * Write the mutable columns (ext, due, remind, paused, reminded, overdue,
     * stopped, cancelled, next_at, and the limit) of clock row->id, but only
     * while its columns still hold `expect_next_at` as next_at and
     * `expect_stopped_at` as stopped_at: *updated says whether it did, so two
     * schedulers (or a tick run twice) cannot both act on one due point.
     * ERR_NOT_FOUND "id" when there is no such clock.
     */
    int (*clock_update)(struct store *st, const struct clock_row *row, int64_t expect_next_at,
                        int64_t expect_stopped_at, bool *updated, struct err *e);
    /* Clocks with next_at <= now, earliest first, at most limit (1..10000). */
    int (*clock_due)(struct store *st, int64_t now, int limit, struct arena *a,
                     struct clock_row **out, size_t *n, struct err *e);
    /* When the age rules must look at a complaint again; at 0 removes the point. */
    int (*age_point_set)(struct store *st, int64_t complaint_id, int64_t at, struct err *e);
    /* Complaints whose age point is <= now, earliest first, at most limit (1..10000). */
    int (*age_due)(struct store *st, int64_t now, int limit, struct arena *a, int64_t **ids,
                   size_t *n, struct err *e);
    /*
     * Take or renew the lease `name` for `holder` until now + ttl: granted
     * when it is free, expired or already the holder's (*held). Never waits.
     */
    int (*lease_acquire)(struct store *st, const char *name, const char *holder, int64_t now,
                         int ttl, bool *held, struct err *e);
    /* ERR_NOT_FOUND "name" when there is no such lease. */
    int (*lease_get)(struct store *st, const char *name, struct arena *a, struct lease *out,
                     struct err *e);
    /* Record a finished tick of the holder (summary: JSON object text). No-op for another holder. */
    int (*lease_ticked)(struct store *st, const char *name, const char *holder, int64_t now,
                        const char *summary, struct err *e);
    /*
     * Complaints registered before migration 8 that still need their clocks:
     * ids in (backfill_after, backfill_until], ascending, at most limit;
     * lease_backfilled moves backfill_after on.
     */
    int (*backfill_next)(struct store *st, int limit, struct arena *a, int64_t **ids, size_t *n,
                         struct err *e);
    int (*lease_backfilled)(struct store *st, const char *name, int64_t last_id,
                            struct err *e);
    /* Escalation rules in order. */
    int (*escalation_rule_list)(struct store *st, struct arena *a,
                                struct escalation_rule_row **out, size_t *n, struct err *e);
    /* Insert or replace by code (sort kept; a new rule goes last). Checks are the caller's. */
    int (*escalation_rule_put)(struct store *st, const struct escalation_rule_row *row,
                               struct err *e);
    /* Record that `rule` escalated a complaint; *added false when it already had. */
    int (*escalation_add)(struct store *st, int64_t complaint_id, const char *rule, int64_t at,
                          bool *added, struct err *e);
    /*
     * Issue a notice (next_at = ack_due_at); *id 0 when the complaint has one
     * from this source at this level already. Unknown project: ERR_INVALID.
     */
    int (*notice_add)(struct store *st, const struct notice_new *in, int64_t *id,
                      struct err *e);
    /* Newest first. */
    int (*notice_list)(struct store *st, const struct notice_query *q, struct arena *a,
                       struct notice **out, size_t *n, struct err *e);
    /* ERR_NOT_FOUND "id". */
    int (*notice_get)(struct store *st, int64_t id, struct arena *a, struct notice **out,
                      struct err *e);
    /*
     * Acknowledge (clears next_at). ERR_CONFLICT ("id", "done") when it was;
     * ERR_NOT_FOUND "id"; unknown login: ERR_INVALID "acked_by".
     */
    int (*notice_ack)(struct store *st, int64_t id, const char *by, const char *note,
                      int64_t at, struct err *e);
    /* Unacknowledged notices past their due (next_at <= now), earliest first. */
    int (*notice_due)(struct store *st, int64_t now, int limit, struct arena *a,
                      struct notice **out, size_t *n, struct err *e);
    /* Mark a notice escalated again (clears next_at) when still due; *updated says so. */
    int (*notice_escalated)(struct store *st, int64_t id, int64_t at, bool *updated,
                            struct err *e);
    /*
     * Active staff holding `role` in `project` or company-wide (a membership
     * without project), by login; project NULL: company-wide only. Bad role:
     * ERR_INVALID "role" "bad_value"; unknown project: ERR_INVALID "project".
     */
    int (*staff_responsible)(struct store *st, const char *project, const char *role,
                             struct arena *a, const char ***logins, size_t *n, struct err *e);
    /* ---- end of deadline ops ---- */
};

struct store {
    const struct store_ops *ops;
};

/* Open a backend by URL: a path (SQLite). NULL on failure. */
struct store *store_open(const char *url, struct err *e);
/*
 * Create or migrate the schema; idempotent. Migrations are numbered and
 * recorded in the database. A new database gets the categories of `preset`
 * (NULL: "property"); asking for another preset than the one a database
 * already has is ERR_CONFLICT. Reports the schema version reached.
 */
static inline int
store_migrate(struct store *st, const char *preset, int64_t now, int *version, struct err *e)
{
    return st->ops->migrate(st, preset, now, version, e);
}
void store_close(struct store *st);   /* store_close(NULL) is a no-op */

/* Thin wrappers, so callers read `store_complaint_get(st, ...)`. */
static inline int store_tx_begin(struct store *st, struct err *e) { return st->ops->tx_begin(st, e); }
static inline int store_tx_commit(struct store *st, struct err *e) { return st->ops->tx_commit(st, e); }
static inline void store_tx_rollback(struct store *st) { st->ops->tx_rollback(st); }


#endif
