#ifndef KESU_UTIL_STR_H
#define KESU_UTIL_STR_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

/* A borrowed slice: not NUL-terminated, not owned. */
struct str {
    const char *p;
    size_t len;
};

#define STR_LIT(s) ((struct str){ (s), sizeof(s) - 1 })
#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

static inline struct str
str_from(const char *s)
{
    return (struct str){ s, s ? strlen(s) : 0 };
}

static inline bool
str_eq(struct str a, const char *b)
{
    size_t n = strlen(b);
    return a.len == n && memcmp(a.p, b, n) == 0;
}

/* Strip ASCII white space at both ends. */
struct str str_trim(struct str s);

/* True when `s` is one of the NULL-terminated `names`. */
bool str_in(const char *s, const char *const *names);

#endif
