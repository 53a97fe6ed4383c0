#include "core/privacy.h"

#include <stdio.h>
#include <string.h>

/* Bytes of the UTF-8 character starting at s (1 for a stray byte). */
static size_t
char_len(const unsigned char *s)
{
    if (s[0] >= 0xf0 && s[1] && s[2] && s[3])
        return 4;
    if (s[0] >= 0xe0 && s[1] && s[2])
        return 3;
    if (s[0] >= 0xc0 && s[1])
        return 2;
    return 1;
}

void
core_mask_email(const char *email, char out[CORE_MASK_MAX])
{
    const char *at = strrchr(email, '@');
    size_t first, domain;

    if (at == NULL || at == email) {
        snprintf(out, CORE_MASK_MAX, "***");
        return;
    }
    first = char_len((const unsigned char *)email);
    if (email + first > at)
        first = (size_t)(at - email);
    domain = strlen(at);
    if (first + 3 + domain >= CORE_MASK_MAX)
        domain = CORE_MASK_MAX - first - 4;
    snprintf(out, CORE_MASK_MAX, "%.*s***%.*s", (int)first, email, (int)domain, at);
}

void
core_mask_unit(const char *unit, char out[CORE_MASK_MAX])
{
    size_t n = strlen(unit), keep = n;

    while (keep > 0 && unit[keep - 1] >= '0' && unit[keep - 1] <= '9')
        keep--;
    if (keep == n || n >= CORE_MASK_MAX) {
        snprintf(out, CORE_MASK_MAX, "***");
        return;
    }
    memcpy(out, unit, keep);
    memset(out + keep, '*', n - keep);
    out[n] = '\0';
}
