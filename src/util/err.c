#include "util/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int
err_set(struct err *e, enum err_code code, const char *field,
        const char *reason, const char *fmt, ...)
{
    va_list ap;

    if (e == NULL || e->code != ERR_OK)
        return -1;
    e->code = code;
    e->field = field;
    e->reason = reason;
    va_start(ap, fmt);
    vsnprintf(e->detail, sizeof(e->detail), fmt, ap);
    va_end(ap);
    return -1;
}

void
err_clear(struct err *e)
{
    memset(e, 0, sizeof(*e));
}

const char *
err_code_name(enum err_code code)
{
    static const char *const names[] = {
        [ERR_OK] = "ok",
        [ERR_INVALID] = "invalid",
        [ERR_FORBIDDEN] = "forbidden",
        [ERR_NOT_FOUND] = "not_found",
        [ERR_METHOD] = "method_not_allowed",
        [ERR_CONFLICT] = "conflict",
        [ERR_TOO_LARGE] = "too_large",
        [ERR_UNSUPPORTED] = "unsupported_media_type",
        [ERR_BUSY] = "busy",
        [ERR_NOMEM] = "out_of_memory",
        [ERR_STORE] = "store_error",
        [ERR_INTERNAL] = "internal",
        [ERR_UNAUTHENTICATED] = "unauthenticated",
        [ERR_RATE_LIMITED] = "rate_limited",
    };

    if ((unsigned)code >= sizeof(names) / sizeof(names[0]) || names[code] == NULL)
        return "internal";
    return names[code];
}
