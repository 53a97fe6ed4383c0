#include "core/session.h"

int
core_credential_check(const struct credential_facts *f, int64_t now, int64_t idle,
                      struct err *e)
{
    const char *field = f->is_session ? "session" : "token";
    int64_t last = f->last_used_at > f->created_at ? f->last_used_at : f->created_at;

    if (f->revoked_at != 0)
        return err_set(e, ERR_UNAUTHENTICATED, field, "revoked", "revoked");
    if (!f->owner_active)
        return err_set(e, ERR_UNAUTHENTICATED, field, "disabled", "account disabled");
    if (!f->is_session)
        return 0;
    /* a change in the same second as the login came first: the session is newer */
    if (f->password_changed_at > f->created_at)
        return err_set(e, ERR_UNAUTHENTICATED, field, "password_changed",
                       "password changed since sign-in");
    if (f->expires_at != 0 && now >= f->expires_at)
        return err_set(e, ERR_UNAUTHENTICATED, field, "expired", "session expired");
    if (now - last >= idle)
        return err_set(e, ERR_UNAUTHENTICATED, field, "idle", "session idle too long");
    return 0;
}
