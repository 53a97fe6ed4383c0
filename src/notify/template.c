/*
 * {{placeholder}} templates (template.h). One scanner cuts a template into
 * text and placeholders; checking and rendering both walk it, so what is
 * accepted is exactly what renders.
 */
#include "notify/template.h"
#include "util/utf8.h"

#include <string.h>

const char *const tpl_customer_names[] = {
    "number", "name", "subject", "project", "status", "due", "result", NULL,
};

struct piece {
    const char *p;                /* text, or the placeholder's name */
    size_t len;
    bool placeholder;
};

static bool
name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

/* The position of the next "{{" at or after `from`, or len. */
static size_t
next_open(const char *s, size_t len, size_t from)
{
    for (size_t i = from; i + 1 < len; i++)
        if (s[i] == '{' && s[i + 1] == '{')
            return i;
    return len;
}

/*
 * The placeholder that starts at s[at] ("{{"): its name into *out, and the
 * position after its "}}" into *end. ERR_INVALID "bad_placeholder" when it
 * is not "{{", spaces, a name, spaces, "}}".
 */
static int
placeholder(const char *s, size_t len, size_t at, const char *field, struct piece *out,
            size_t *end, struct err *e)
{
    size_t i = at + 2, start;

    while (i < len && s[i] == ' ')
        i++;
    start = i;
    while (i < len && name_char(s[i]) && i - start < TPL_NAME_MAX + 1)
        i++;
    out->p = s + start;
    out->len = i - start;
    out->placeholder = true;
    while (i < len && s[i] == ' ')
        i++;
    if (out->len == 0 || out->len > TPL_NAME_MAX || i + 1 >= len || s[i] != '}' ||
        s[i + 1] != '}')
        return err_set(e, ERR_INVALID, field, "bad_placeholder",
                       "placeholder at byte %zu is not {{name}}", at);
    *end = i + 2;
    return 0;
}

/* The piece at *pos: 1 with *out set and *pos moved past it, 0 at the end, -1 on a bad one. */
static int
next_piece(const char *s, size_t len, size_t *pos, const char *field, struct piece *out,
           struct err *e)
{
    size_t at = *pos, open;

    if (at >= len)
        return 0;
    open = next_open(s, len, at);
    if (open > at) {
        *out = (struct piece){ s + at, open - at, false };
        *pos = open;
        return 1;
    }
    return placeholder(s, len, at, field, out, pos, e) < 0 ? -1 : 1;
}

static bool
known(const struct piece *p, const char *const *names)
{
    if (names == NULL)
        return true;
    for (size_t i = 0; names[i] != NULL; i++)
        if (strlen(names[i]) == p->len && memcmp(names[i], p->p, p->len) == 0)
            return true;
    return false;
}

int
tpl_check(const char *text, size_t len, const char *const *names, const char *field,
          struct err *e)
{
    struct piece p;
    size_t pos = 0;
    int rc;

    if (!utf8_is_valid(text, len))
        return err_set(e, ERR_INVALID, field, "bad_utf8", "template is not UTF-8");
    if (memchr(text, '\0', len) != NULL)
        return err_set(e, ERR_INVALID, field, "bad_character", "template holds a NUL byte");
    while ((rc = next_piece(text, len, &pos, field, &p, e)) > 0)
        if (p.placeholder && !known(&p, names))
            return err_set(e, ERR_INVALID, field, "unknown_placeholder",
                           "no placeholder {{%.*s}}", (int)p.len, p.p);
    return rc;
}

static const char *
value_of(const struct piece *p, const struct tpl_var *vars, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (vars[i].name != NULL && strlen(vars[i].name) == p->len &&
            memcmp(vars[i].name, p->p, p->len) == 0)
            return vars[i].value;
    return NULL;
}

int
tpl_render(const char *text, size_t len, const struct tpl_var *vars, size_t n, struct sbuf *out,
           struct err *e)
{
    size_t start = out->len, pos = 0;
    struct piece p;
    int rc;

    if (!utf8_is_valid(text, len) || memchr(text, '\0', len) != NULL)
        return err_set(e, ERR_INVALID, "template", "bad_utf8", "template is not UTF-8 text");
    while ((rc = next_piece(text, len, &pos, "template", &p, e)) > 0) {
        if (!p.placeholder) {
            sbuf_add(out, p.p, p.len);
        } else {
            const char *v = value_of(&p, vars, n);
            if (v != NULL)
                sbuf_adds(out, v);
        }
        if (out->failed || out->len - start > TPL_OUT_MAX)
            break;
    }
    if (rc < 0)
        return -1;
    if (out->failed && !out->over_max)
        return err_set(e, ERR_NOMEM, NULL, "nomem", "rendering a template");
    if (out->failed || out->len - start > TPL_OUT_MAX)
        return err_set(e, ERR_TOO_LARGE, "template", "too_large", "rendered message too long");
    return 0;
}
