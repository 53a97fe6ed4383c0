/*
 * Fuzz http_lang_pick() on arbitrary Accept-Language values. Invariants:
 *   - it returns I18N_ZH or I18N_EN, whichever the fallback;
 *   - a header that names neither "zh" nor "en" (in any case) gives the
 *     fallback;
 *   - when some language was picked, the fallback does not change it.
 */
#include "http/handlers.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                             \
    do {                                                                        \
        if (!(cond)) {                                                          \
            fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, \
                    #cond);                                                     \
            __builtin_trap();                                                   \
        }                                                                       \
    } while (0)

static bool
mentions(const char *s, const char *tag)
{
    for (; *s; s++)
        if (strncasecmp(s, tag, 2) == 0)
            return true;
    return false;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* the API takes a C string: exactly size + 1 bytes */
    char *text = malloc(size + 1);
    enum i18n_lang zh, en;

    CHECK(text != NULL);
    memcpy(text, data, size);
    text[size] = '\0';
    zh = http_lang_pick(text, I18N_ZH);
    en = http_lang_pick(text, I18N_EN);
    CHECK(zh == I18N_ZH || zh == I18N_EN);
    CHECK(en == I18N_ZH || en == I18N_EN);
    if (!mentions(text, "zh"))
        CHECK(zh == I18N_ZH ? true : mentions(text, "en"));
    if (!mentions(text, "en"))
        CHECK(en == I18N_EN ? true : mentions(text, "zh"));
    if (!mentions(text, "zh") && !mentions(text, "en"))
        CHECK(zh == I18N_ZH && en == I18N_EN);
    /* a language that was picked is picked whatever the fallback, unless neither was */
    if (zh != I18N_ZH || en != I18N_EN)
        CHECK(zh == en);
    free(text);
    return 0;
}
