#ifndef KESU_CORE_SESSION_H
#define KESU_CORE_SESSION_H

#include <stdbool.h>
#include <stdint.h>

#include "util/err.h"

/*
 * Whether a session or an API token still admits its bearer (issue 3,
 * item 3). Pure: the caller brings the stored facts and the clock.
 */
struct credential_facts {
    bool is_session;              /* tokens have no idle or absolute limit */
    int64_t created_at, last_used_at, expires_at, revoked_at;  /* 0: never */
    bool owner_active;
    int64_t password_changed_at;  /* 0: never */
};

/*
 * 0 when it admits at `now`; else ERR_UNAUTHENTICATED, field "session" or
 * "token", reason "revoked", "disabled" (the owner's account), "expired"
 * (past the absolute limit), "idle" (unused for `idle` seconds) or, for a
 * session, "password_changed" (issued before the owner's password changed).
 */
int core_credential_check(const struct credential_facts *f, int64_t now, int64_t idle,
                          struct err *e);

#endif
