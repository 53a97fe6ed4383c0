#ifndef KESU_CORE_ACCOUNT_H
#define KESU_CORE_ACCOUNT_H

#include <stdbool.h>

#include "util/err.h"

/*
 * Staff accounts (DOMAIN §5 roles, §11): the roles and the rules for logins
 * and passwords. Pure: no I/O.
 */

/* operator handler supervisor manager executive centre auditor admin; NULL-terminated */
extern const char *const core_roles_staff[];

/* Company-level roles see every project (DOMAIN §11). */
bool core_role_is_company(const char *role);

/* A role held in a project (or company-wide) and optionally a department. */
struct membership {
    const char *role;             /* one of core_roles_staff */
    const char *project;          /* project code, or NULL: the whole company */
    const char *department;       /* department code, or NULL */
};

#define CORE_LOGIN_MAX 32
#define CORE_PASSWORD_MIN 10     /* characters */
#define CORE_PASSPHRASE_MIN 16   /* a phrase this long needs no mix of character classes */
#define CORE_PASSWORD_MAX 128    /* bytes: argon2id takes any length, but a bound keeps cost fixed */

/*
 * A login: 2..32 of a-z 0-9 . _ -, starting with a letter (it appears in
 * logs and URLs, so nothing that needs escaping). Reasons: "empty",
 * "too_long", "too_short", "bad_format".
 */
int core_login_check(const char *login, struct err *e);

/*
 * The password policy, field "password":
 *   - at least 10 characters (CJK characters count as one each), at most 128 bytes;
 *   - at least three of: lower case, upper case, digits, other characters
 *     (CJK counts as other) — unless it is a passphrase of 16 or more;
 *   - not containing the login, not one of the passwords leaked most often.
 * Reasons: "too_short", "too_long", "too_simple", "contains_login", "common",
 * "bad_character" (control characters).
 */
int core_password_check(const char *password, const char *login, struct err *e);

#endif
