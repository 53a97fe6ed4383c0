#ifndef KESU_NOTIFY_TEMPLATE_H
#define KESU_NOTIFY_TEMPLATE_H

#include <stdbool.h>
#include <stddef.h>

#include "util/err.h"
#include "util/sbuf.h"

/*
 * Customer message templates: text an administrator writes, with
 * placeholders such as {{number}} that kesu fills in. Pure: no I/O.
 *
 * Syntax: "{{" starts a placeholder, which is a name of a-z, 0-9 and '_'
 * (1..TPL_NAME_MAX characters), optionally surrounded by spaces, closed by
 * "}}": "{{number}}", "{{ due }}". Everything else is text, taken as it is:
 * a single brace is text, but "{{" never is, so a template cannot be
 * ambiguous. A value is put in as it is and never read as a template: a
 * customer's subject that says "{{due}}" stays "{{due}}".
 */

#define TPL_NAME_MAX 32
#define TPL_OUT_MAX (64u << 10)   /* bytes of a rendered message */

/* The placeholders of customer messages (notify.h): "number" ... "result", NULL-terminated. */
extern const char *const tpl_customer_names[];

struct tpl_var {
    const char *name;
    const char *value;            /* NULL renders as "" */
};

/*
 * Check a template of `len` bytes: valid UTF-8 ("bad_utf8"), every "{{"
 * a well-formed placeholder ("bad_placeholder"), every name one of `names`
 * (NULL-terminated; "unknown_placeholder"; NULL: any name), no NUL byte
 * ("bad_character"). Errors are ERR_INVALID naming
 * `field` ("subject", "body"); the detail says where.
 */
int tpl_check(const char *text, size_t len, const char *const *names, const char *field,
              struct err *e);

/*
 * Append the template with each placeholder replaced by the value of the
 * var of that name (vars[0..n)), to `out`. A placeholder without a var
 * renders as "" (tpl_check refuses such names before they are stored). A
 * malformed template: as tpl_check, field "template"; an output past
 * TPL_OUT_MAX or out->max: ERR_TOO_LARGE; no memory: ERR_NOMEM.
 */
int tpl_render(const char *text, size_t len, const struct tpl_var *vars, size_t n,
               struct sbuf *out, struct err *e);

#endif
