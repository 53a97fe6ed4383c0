/* Parsers of the request line's outside input: query strings, paths, Accept-Language. */
#include "http/handlers.h"
#include "util/utf8.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int
hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/*
 * Percent-decode s[0..len) into a new arena string. `plus_is_space` for
 * query strings. Returns NULL with *why set to a reason on bad input.
 */
static char *
unescape(const char *s, size_t len, bool plus_is_space, struct arena *a, const char **why)
{
    char *out = arena_alloc(a, len + 1);
    size_t o = 0;

    if (out == NULL) {
        *why = "nomem";
        return NULL;
    }
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (c == '%') {
            int hi, lo;
            hi = i + 1 < len ? hexval(s[i + 1]) : -1;
            lo = i + 2 < len ? hexval(s[i + 2]) : -1;
            if (hi < 0 || lo < 0) {
                *why = "bad_format";
                return NULL;
            }
            c = (char)(hi * 16 + lo);
            i += 2;
        } else if (c == '+' && plus_is_space) {
            c = ' ';
        }
        if (c == '\0') {
            *why = "bad_character";
            return NULL;
        }
        out[o++] = c;
    }
    out[o] = '\0';
    if (!utf8_is_valid(out, o)) {
        *why = "bad_utf8";
        return NULL;
    }
    return out;
}

int
http_query_parse(const char *raw, size_t len, struct arena *a, struct kv **out, size_t *n,
                 struct err *e)
{
    struct kv *items = arena_alloc(a, HTTP_QUERY_MAX * sizeof(*items));
    size_t count = 0, i = 0;

    if (items == NULL)
        return err_set(e, ERR_NOMEM, NULL, "nomem", "query");
    while (i < len) {
        size_t end = i, eq;
        const char *why = NULL;
        char *key, *value;
        while (end < len && raw[end] != '&')
            end++;
        if (end == i) {     /* "a=1&&b=2": empty pieces are ignored */
            i = end + 1;
            continue;
        }
        for (eq = i; eq < end && raw[eq] != '='; eq++)
            ;
        if (count == HTTP_QUERY_MAX)
            return err_set(e, ERR_INVALID, NULL, "too_long", "more than %d query parameters",
                           HTTP_QUERY_MAX);
        key = unescape(raw + i, eq - i, true, a, &why);
        if (key == NULL)
            return err_set(e, strcmp(why, "nomem") ? ERR_INVALID : ERR_NOMEM, NULL, why,
                           "query parameter name");
        value = eq < end ? unescape(raw + eq + 1, end - eq - 1, true, a, &why)
                         : arena_strdup(a, "");
        if (value == NULL) {
            const char *field = arena_strdup(a, key);
            return err_set(e, why && strcmp(why, "nomem") ? ERR_INVALID : ERR_NOMEM, field,
                           why ? why : "nomem", "query parameter value");
        }
        items[count].key = key;
        items[count].value = value;
        count++;
        i = end + 1;
    }
    *out = items;
    *n = count;
    return 0;
}

char *
http_path_decode(const char *raw, size_t len, struct arena *a, struct err *e)
{
    const char *why = NULL;
    char *path = unescape(raw, len, false, a, &why);

    if (path == NULL) {
        if (why != NULL && strcmp(why, "nomem") == 0)
            err_set(e, ERR_NOMEM, NULL, "nomem", "path");
        else
            err_set(e, ERR_NOT_FOUND, NULL, "no_route", "undecodable path");
        return NULL;
    }
    return path;
}

/*
 * Accept-Language: "en-US,en;q=0.9,zh;q=0.8". The first language with the
 * highest q among those we have (zh, en) wins; others are ignored.
 */
enum i18n_lang
http_lang_pick(const char *header, enum i18n_lang fallback)
{
    enum i18n_lang best = fallback;
    double best_q = -1;
    const char *p = header;

    if (p == NULL)
        return fallback;
    while (*p) {
        const char *tag, *end;
        size_t tag_len;
        double q = 1.0;
        while (*p == ' ' || *p == ',')
            p++;
        tag = p;
        while (*p && *p != ',' && *p != ';' && *p != ' ')
            p++;
        tag_len = (size_t)(p - tag);
        end = p;
        while (*end && *end != ',')
            end++;
        for (const char *s = p; s < end; s++) {
            if (s[0] == 'q' && s[1] == '=') {
                char *stop;
                q = strtod(s + 2, &stop);
                if (stop == s + 2 || q < 0 || q > 1)
                    q = 0;
                break;
            }
        }
        p = end;
        if (tag_len >= 2 && q > best_q && q > 0) {
            if (strncasecmp(tag, "zh", 2) == 0 && (tag_len == 2 || tag[2] == '-')) {
                best = I18N_ZH;
                best_q = q;
            } else if (strncasecmp(tag, "en", 2) == 0 && (tag_len == 2 || tag[2] == '-')) {
                best = I18N_EN;
                best_q = q;
            }
        }
    }
    return best;
}

/* Skip the optional white space of RFC 7230 (spaces and tabs). */
static const char *
skip_ows(const char *p)
{
    while (*p == ' ' || *p == '\t')
        p++;
    return p;
}

const char *
http_cookie_get(const char *header, const char *name, struct arena *a)
{
    size_t name_len = strlen(name);
    const char *p = header;

    if (header == NULL)
        return NULL;
    while (*p != '\0') {
        const char *pair = skip_ows(p);
        size_t len = strcspn(pair, ";");
        const char *eq = memchr(pair, '=', len);
        if (eq != NULL && (size_t)(eq - pair) == name_len && memcmp(pair, name, name_len) == 0) {
            const char *v = eq + 1;
            size_t vlen = len - name_len - 1;
            if (vlen >= 2 && v[0] == '"' && v[vlen - 1] == '"') {
                v++;
                vlen -= 2;
            }
            while (vlen > 0 && (v[vlen - 1] == ' ' || v[vlen - 1] == '\t'))
                vlen--;
            return arena_strndup(a, v, vlen);
        }
        p = pair + len;
        if (*p == ';')
            p++;
    }
    return NULL;
}

const char *
http_bearer_token(const char *header, struct arena *a)
{
    const char *p;
    size_t len;

    if (header == NULL || strncasecmp(header, "Bearer ", 7) != 0)
        return NULL;
    p = skip_ows(header + 7);
    len = strcspn(p, " \t");
    if (len == 0 || *skip_ows(p + len) != '\0')
        return NULL;
    return arena_strndup(a, p, len);
}

int
http_limit_parse(const char *value, int max, int *out, struct err *e)
{
    char *end;
    long n;

    errno = 0;
    n = strtol(value, &end, 10);
    if (value[0] == '\0' || *end != '\0' || errno != 0)
        return err_set(e, ERR_INVALID, "limit", "bad_value", "not an integer");
    if (n < 1 || n > max)
        return err_set(e, ERR_INVALID, "limit", "out_of_range", "limit outside 1..%d", max);
    *out = (int)n;
    return 0;
}
