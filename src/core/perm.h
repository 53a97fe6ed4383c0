#ifndef KESU_CORE_PERM_H
#define KESU_CORE_PERM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/account.h"
#include "util/err.h"

/*
 * Who may do what (issue 3, item 5; DOMAIN §5, §11). One table says which
 * role holds which permission; a membership grants its role's permissions
 * in its project, or in every project when it is company-wide. An API token
 * acts as its owner, narrowed to its scopes and its project. Pure: no I/O.
 *
 * The same table is written out in docs/permissions.md; a unit test checks
 * the two agree and the API tests walk every route with every role.
 */

enum perm {
    PERM_PUBLIC,            /* anyone, signed in or not */
    PERM_SIGNED_IN,         /* any signed-in user: reference data, their own session */
    PERM_COMPLAINT_READ,    /* complaints, their events, masked contact details */
    PERM_COMPLAINT_CREATE,
    PERM_EVENT_CREATE,      /* notes */
    PERM_ATTACHMENT_READ,
    PERM_ATTACHMENT_CREATE,
    PERM_CONTACT_REVEAL,    /* unmasked phone, e-mail, unit: audited, with a purpose */
    PERM_EXPORT,            /* exports with personal data: audited */
    PERM_AUDIT_READ,
    PERM_USER_ADMIN,        /* staff accounts, roles, passwords */
    PERM_TOKEN_ADMIN,       /* API tokens */
    /* the life of a complaint (issue 4) */
    PERM_COMPLAINT_TRIAGE,  /* nature, category, grade, project, dispatch and reassign, invalid, archive */
    PERM_COMPLAINT_HANDLE,  /* investigate, negotiate, propose compensation, resolve, return, close */
    PERM_COMPENSATION_APPROVE, /* compensation above the approval threshold */
    PERM_FOLLOWUP,          /* follow-up calls and the sampling list */
    PERM_COMPLAINT_REOPEN,  /* a second complaint about a closed one */
    PERM_CASE_WRITE,        /* mark a grade A/B complaint as a case for the library */
    PERM_CONFIG_ADMIN,      /* categories, dispatch catalogue, grading rules */
    PERM_COUNT
};

/* "complaint.read", ...; the names are also the scopes of API tokens. */
const char *core_perm_name(enum perm p);
/* -1 when the name is not a permission that a token may carry */
int core_perm_parse(const char *name);
/* Does this role carry the permission (in the projects where it is held)? */
bool core_role_has(const char *role, enum perm p);
/* Does the permission concern a project (PERM_COMPLAINT_*), or the whole deployment? */
bool core_perm_is_scoped(enum perm p);

#define CORE_SCOPES_ALL ((uint32_t)((1u << PERM_COUNT) - 1))

/* The person (or integration) behind a request, as the store found them. */
struct principal {
    int64_t staff_id;
    const char *login, *name;
    const struct membership *memberships;
    size_t n_memberships;
    uint32_t scopes;            /* bit (1 << perm) allowed; CORE_SCOPES_ALL for a session */
    const char *project_limit;  /* a token limited to one project, or NULL */
};

/*
 * May p do `perm` on something of `project`? project NULL asks "anywhere at
 * all": whether the permission is held in some project. PERM_PUBLIC is always
 * allowed; PERM_SIGNED_IN needs only a principal. p NULL: nobody signed in.
 */
bool core_can(const struct principal *p, enum perm perm, const char *project);

/*
 * The projects where p may do `perm`: *all true when every project (a
 * company-wide membership, no token limit); otherwise up to `max` codes in
 * out[] (pointing into p), *n of them. More than max distinct projects:
 * ERR_INVALID (field "project", reason "too_many") so that a list is never
 * silently cut.
 */
int core_can_where(const struct principal *p, enum perm perm, const char **out, size_t max,
                   size_t *n, bool *all, struct err *e);

/*
 * Parse a comma-separated scope list ("complaint.read,complaint.create") to
 * a mask; "*" is every permission. Field "scopes"; reasons "empty",
 * "unknown" (naming the scope in the detail), "repeated".
 */
int core_scopes_parse(const char *text, uint32_t *out, struct err *e);
/* The mask as a comma-separated list into buf (in permission order); "" for none. */
void core_scopes_format(uint32_t scopes, char *buf, size_t size);

#endif
