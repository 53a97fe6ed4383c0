#include "util/str.h"

static bool
is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

struct str
str_trim(struct str s)
{
    while (s.len > 0 && is_space(s.p[0])) {
        s.p++;
        s.len--;
    }
    while (s.len > 0 && is_space(s.p[s.len - 1]))
        s.len--;
    return s;
}

bool
str_in(const char *s, const char *const *names)
{
    for (; *names != NULL; names++)
        if (strcmp(s, *names) == 0)
            return true;
    return false;
}
