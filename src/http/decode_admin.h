#ifndef KESU_HTTP_DECODE_ADMIN_H
#define KESU_HTTP_DECODE_ADMIN_H

/*
 * Outside input of the administration and privacy routes (h_admin.c,
 * h_privacy.c) into checked structs: staff accounts, roles, API tokens,
 * revealing contact details, exports, and the auditors' query of the audit
 * log. Same conventions as decode.c: members and parameters that are not
 * known are refused ("unknown_field", "unknown_parameter"); every error
 * names the field as the client wrote it ("roles[0].project"); strings come
 * from the arena `a`; `out` is fully written on success and meaningless on
 * failure. Fuzzed by fuzz/fuzz_admin.c; tests/unit/http/test_decode_admin.c.
 *
 * Nothing outside src/http/ includes this (like handlers.h).
 */
#include "http/handlers.h"

#define ADMIN_ROLES_MAX 16          /* roles given at once when creating a user */
#define ADMIN_TOKEN_NAME_MAX 64     /* characters */
#define ADMIN_PURPOSE_MIN 2         /* characters of a reveal's or an export's purpose */
#define ADMIN_PURPOSE_MAX 200
#define ADMIN_AUDIT_LIMIT 50        /* default page of the audit log */
#define ADMIN_AUDIT_LIMIT_MAX 500
#define ADMIN_OBJECT_MAX 200        /* characters of the audit query's object */

/*
 * A role held in a project, checked: `role` one of core_roles_staff;
 * `project` required for a project role and refused for a company-level one
 * (core_role_is_company; reason "company_role"); project and department are
 * codes (a-z A-Z 0-9 _ -). Whether they exist is the store's to say.
 */

/* POST /api/users: {login, name, phone?, email?, password?, roles?: [{role, project?, department?}]} */
struct user_body {
    const char *login;              /* core_login_check */
    const char *name;               /* staff.name rules: one line, CORE_NAME_MAX characters */
    const char *phone;              /* canonical (util/phone.h), or NULL */
    const char *email;              /* or NULL */
    const char *password;           /* as typed and within the policy, or NULL: generate one */
    struct membership roles[ADMIN_ROLES_MAX];
    size_t n_roles;                 /* no two alike ("repeated") */
};
int http_decode_user(const char *body, size_t len, struct arena *a, struct user_body *out,
                     struct err *e);

/* POST /api/users/:login/roles: {role, project?, department?} */
int http_decode_role(const char *body, size_t len, struct arena *a, struct membership *out,
                     struct err *e);

/* POST /api/users/:login/status: {status: "active" | "disabled"}; *out is a static string. */
int http_decode_user_status(const char *body, size_t len, struct arena *a, const char **out,
                            struct err *e);

/*
 * POST /api/users/:login/password: {password?}. *out is NULL when absent
 * (generate one), else the password, checked against the policy for
 * `login`. The copy in the arena is the caller's to wipe.
 */
int http_decode_user_password(const char *body, size_t len, const char *login,
                              struct arena *a, const char **out, struct err *e);

/* POST /api/tokens: {name, login, scopes: ["complaint.read", ...] or ["*"], project?} */
struct token_body {
    const char *name;               /* one line, ADMIN_TOKEN_NAME_MAX characters */
    const char *login;              /* the owner: the token acts as them */
    uint32_t scopes;                /* permission bits; CORE_SCOPES_ALL for "*" */
    const char *project;            /* code of the project the token is limited to, or NULL */
};
int http_decode_token(const char *body, size_t len, struct arena *a, struct token_body *out,
                      struct err *e);

/* The :id of /api/tokens/:id: digits, 1..2^63-1; else ERR_NOT_FOUND (field "id", "unknown"). */
int http_decode_token_id(const char *text, int64_t *out, struct err *e);

/* POST /api/complaints/:number/contact: {purpose, fields?: ["phone", "email", "unit", "name"]} */
enum contact_field {
    CONTACT_NAME = 1 << 0,
    CONTACT_PHONE = 1 << 1,
    CONTACT_EMAIL = 1 << 2,
    CONTACT_UNIT = 1 << 3,          /* the building and the unit */
};
#define CONTACT_ALL (CONTACT_NAME | CONTACT_PHONE | CONTACT_EMAIL | CONTACT_UNIT)
struct reveal_body {
    const char *purpose;            /* ADMIN_PURPOSE_MIN..MAX characters, one line */
    unsigned fields;                /* enum contact_field bits; CONTACT_ALL when not given */
};
int http_decode_reveal(const char *body, size_t len, struct arena *a, struct reveal_body *out,
                       struct err *e);
/* "phone", ... for one bit of enum contact_field. */
const char *http_contact_field_name(enum contact_field f);

/*
 * POST /api/exports/complaints: {purpose, project?, status?: [..], from?,
 * to?, masked?}. from and to are received_at bounds as in the complaint
 * list (a date, or a date and time; `to` includes its day or second).
 */
struct export_body {
    const char *purpose;
    const char *project;            /* a code, or NULL: every project the caller may export */
    struct store_filter status;     /* values from core_statuses, no two alike */
    bool has_from, has_to;
    int64_t from, to;               /* received_at in [from, to) */
    bool masked;                    /* mask phone, e-mail and unit in the file */
};
int http_decode_export(const char *body, size_t len, int tz_min, struct arena *a,
                       struct export_body *out, struct err *e);

/*
 * GET /api/audit: actor, object, complaint (a complaint number: the object
 * by another name, so not both: "exclusive"), action ("login" exact, or
 * "complaint.*"), from, to (as the export's), before (an entry id, the
 * previous page's next_before), limit (1..500, default 50). Each parameter
 * at most once. The strings of `out` point into `params`.
 */
int http_decode_audit_query(const struct kv *params, size_t n, int tz_min,
                            struct audit_query *out, struct err *e);

#endif
