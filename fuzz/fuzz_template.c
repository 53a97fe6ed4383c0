/*
 * Fuzz the customer message templates (notify/template.h): an
 * administrator writes them, so they are outside input. Invariants:
 *   - tpl_check and tpl_render agree: a template whose names are all known
 *     renders; one refused by the check (but for an unknown name) is refused
 *     by the renderer with the same reason;
 *   - a refusal is ERR_INVALID naming the field, with a reason from the
 *     header's list;
 *   - rendered with empty values, the output never holds "{{" (every "{{"
 *     of a template is a placeholder) and is valid UTF-8;
 *   - rendered with each name's value being its own canonical placeholder
 *     "{{name}}", the output is a fixed point: it checks, and renders to
 *     itself again (values are never read as templates);
 *   - values holding "{{" and invalid-looking text are copied, never
 *     expanded: the output is at least as long as the values put in.
 */
#include "notify/template.h"
#include "util/utf8.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #cond);           \
            __builtin_trap();                                                                      \
        }                                                                                          \
    } while (0)

static const char *const names[] = { "number", "name", "subject", "project", "status", "due",
                                     "result", NULL };

static bool
known_reason(const char *r)
{
    static const char *const reasons[] = { "bad_utf8", "bad_character", "bad_placeholder",
                                           "unknown_placeholder" };

    for (size_t i = 0; i < sizeof(reasons) / sizeof(reasons[0]); i++)
        if (strcmp(r, reasons[i]) == 0)
            return true;
    return false;
}

static int
render(const char *text, size_t len, const struct tpl_var *vars, size_t n, struct sbuf *out,
       struct err *e)
{
    sbuf_reset(out);
    return tpl_render(text, len, vars, n, out, e);
}

static void
check_fixed_point(const char *text, size_t len)
{
    struct tpl_var self[7];
    char bufs[7][48];
    struct sbuf once, twice;
    struct err e = { 0 };

    for (size_t i = 0; names[i] != NULL; i++) {
        snprintf(bufs[i], sizeof(bufs[i]), "{{%s}}", names[i]);
        self[i] = (struct tpl_var){ names[i], bufs[i] };
    }
    sbuf_init(&once, TPL_OUT_MAX * 2);
    sbuf_init(&twice, TPL_OUT_MAX * 2);
    if (render(text, len, self, 7, &once, &e) == 0) {
        CHECK(tpl_check(once.buf, once.len, names, "body", &e) == 0);
        CHECK(render(once.buf, once.len, self, 7, &twice, &e) == 0);
        CHECK(once.len == twice.len && memcmp(once.buf, twice.buf, once.len) == 0);
    } else {
        CHECK(e.code == ERR_TOO_LARGE);
    }
    sbuf_release(&once);
    sbuf_release(&twice);
}

static void
check_values_copied(const char *text, size_t len, const uint8_t *data, size_t size)
{
    /* the input's own bytes as a value: braces, invalid UTF-8, anything */
    char *value = malloc(size + 1);
    struct tpl_var vars[7];
    struct sbuf out;
    struct err e = { 0 };
    size_t uses = 0;

    CHECK(value != NULL);
    memcpy(value, data, size);
    value[size] = '\0';
    for (size_t i = 0; names[i] != NULL; i++)
        vars[i] = (struct tpl_var){ names[i], value };
    sbuf_init(&out, TPL_OUT_MAX * 2);
    if (render(text, len, vars, 7, &out, &e) == 0) {
        /* each placeholder put the whole value in */
        for (const char *p = text; (p = strstr(p, "{{")) != NULL; p += 2)
            uses++;
        CHECK(out.len >= uses * strlen(value));
    } else {
        CHECK(e.code == ERR_TOO_LARGE);
    }
    sbuf_release(&out);
    free(value);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* exactly `size` bytes and a NUL, so ASan catches a read past the end */
    char *text = malloc(size + 1);
    struct tpl_var empty[7];
    struct sbuf out;
    struct err checked = { 0 }, rendered = { 0 };
    int rc_check, rc_render;

    /* templates are at most a few thousand characters; past the output cap is another test */
    if (size > TPL_OUT_MAX) {
        free(text);
        return 0;
    }
    CHECK(text != NULL);
    memcpy(text, data, size);
    text[size] = '\0';
    for (size_t i = 0; names[i] != NULL; i++)
        empty[i] = (struct tpl_var){ names[i], "" };
    sbuf_init(&out, TPL_OUT_MAX * 2);

    rc_check = tpl_check(text, size, names, "body", &checked);
    rc_render = render(text, size, empty, 7, &out, &rendered);
    {
        /* well-formed whatever the names: exactly what renders */
        struct err e = { 0 };
        bool wellformed = tpl_check(text, size, NULL, "body", &e) == 0;

        CHECK(wellformed == (rc_render == 0));
        CHECK(wellformed || (e.reason != NULL && strcmp(e.reason, "unknown_placeholder") != 0));
        if (rc_check == 0)
            CHECK(wellformed);
    }
    if (rc_check == 0) {
        CHECK(checked.code == ERR_OK);
        CHECK(rc_render == 0);
        CHECK(strstr(out.buf, "{{") == NULL);
        CHECK(out.len <= size);
        CHECK(utf8_is_valid(out.buf, out.len));
        check_fixed_point(text, size);
        check_values_copied(text, size, data, size);
    } else {
        CHECK(checked.code == ERR_INVALID);
        CHECK(checked.field != NULL && strcmp(checked.field, "body") == 0);
        CHECK(checked.reason != NULL && known_reason(checked.reason));
        if (rc_render < 0)
            CHECK(rendered.code == ERR_INVALID && rendered.field != NULL);
    }
    /* with no name known, any placeholder is refused, and nothing else changes */
    {
        static const char *const none[] = { NULL };
        struct err e = { 0 };
        int rc = tpl_check(text, size, none, "subject", &e);

        CHECK(rc == 0 ? strstr(text, "{{") == NULL || memchr(text, '\0', size) != NULL
                      : e.field != NULL && strcmp(e.field, "subject") == 0);
    }
    sbuf_release(&out);
    free(text);
    return 0;
}
