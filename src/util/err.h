#ifndef KESU_UTIL_ERR_H
#define KESU_UTIL_ERR_H

/*
 * Errors: every fallible function takes `struct err *e` last and returns 0 / -1
 * (or a pointer, NULL on failure). On success `e` is untouched; the first error
 * recorded wins, so the most specific cause reaches the user.
 */

enum err_code {
    ERR_OK = 0,
    ERR_INVALID,     /* input is wrong: field and reason say how        -> 400 */
    ERR_FORBIDDEN,   /*                                                  -> 403 */
    ERR_NOT_FOUND,   /*                                                  -> 404 */
    ERR_METHOD,      /* the route exists but not for this method         -> 405 */
    ERR_CONFLICT,    /* state forbids it, e.g. idempotency key reused    -> 409 */
    ERR_TOO_LARGE,   /* a per-request limit was reached                  -> 413 */
    ERR_UNSUPPORTED, /* media type not accepted                          -> 415 */
    ERR_BUSY,        /* store locked or no connection free               -> 503 */
    ERR_NOMEM,       /* allocation failed                                -> 503 */
    ERR_STORE,       /* the backend failed                               -> 500 */
    ERR_INTERNAL,    /* a bug: logged with file and line                 -> 500 */
    ERR_UNAUTHENTICATED, /* no valid session or token                    -> 401 */
    ERR_RATE_LIMITED,    /* too many attempts: wait (Retry-After)        -> 429 */
};

struct err {
    enum err_code code;  /* ERR_OK until something fails */
    const char *field;   /* static string: input field at fault, or NULL */
    const char *reason;  /* static key for the message catalog: "required", "too_long" */
    char detail[160];    /* English, for the log only; never personal data */
};

/* Record a failure unless one is already recorded; always returns -1. */
int err_set(struct err *e, enum err_code code, const char *field,
            const char *reason, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* Forget a recorded failure (used when an error is expected and handled). */
void err_clear(struct err *e);

/* Stable lower-case name of a code, used in JSON error bodies: "invalid". */
const char *err_code_name(enum err_code code);

#endif
