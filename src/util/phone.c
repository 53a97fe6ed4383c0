#include "util/phone.h"
#include "util/utf8.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

/*
 * Longest run of digits kept. The longest accepted run is "0086" + "(0)" + a
 * 4-digit area code without its 0 + 8 digits + a 6-digit '-' extension = 22;
 * past this the number is already wrong, and we only keep counting so the
 * error says "bad_length".
 */
#define MAIN_DIGITS_MAX 24
#define EXT_DIGITS_MAX 6

/* What the lexer made of the text: digits with the decoration removed. */
struct lexed {
    char main[MAIN_DIGITS_MAX];
    size_t main_len; /* digits seen before the extension marker (may exceed the buffer) */
    char ext[EXT_DIGITS_MAX];
    size_t ext_len;      /* digits seen after the marker (may exceed the buffer) */
    size_t last_dash_at; /* main digits before the last '-' that follows a digit; 0: none */
    bool plus;           /* a leading '+' */
    bool has_ext;        /* an extension marker was seen */
};

static bool
is_separator(uint32_t c)
{
    return c == ' ' || c == '\t' || c == '-' || c == '.' || c == '(' || c == ')';
}

/*
 * Chinese input methods in full-width mode type U+FF10.. digits and
 * punctuation, and U+3000 for a space: fold them to ASCII so a number copied
 * from a chat window is the same number.
 */
static uint32_t
fold_fullwidth(uint32_t c)
{
    if (c >= 0xFF10 && c <= 0xFF19)
        return '0' + (c - 0xFF10);
    switch (c) {
    case 0xFF0D:
        return '-';
    case 0xFF08:
        return '(';
    case 0xFF09:
        return ')';
    case 0xFF0B:
        return '+';
    case 0x3000:
        return ' ';
    }
    return c;
}

static int
fail(struct err *e, const char *field, const char *reason, const char *what)
{
    return err_set(e, ERR_INVALID, field, reason, "%s: %s", field ? field : "phone", what);
}

static char
ascii_lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

/*
 * Length in bytes of an extension marker at s[0..len): "x", "#", "ext",
 * "ext." or "转" (the dot after "ext" is a separator anyway). 0 if none.
 */
static size_t
marker_len(const char *s, size_t len)
{
    if (len >= 1 && (ascii_lower(s[0]) == 'x' || s[0] == '#'))
        return 1;
    if (len >= 3 && ascii_lower(s[0]) == 'e' && ascii_lower(s[1]) == 'x' &&
        ascii_lower(s[2]) == 't')
        return 3;
    if (len >= 3 && memcmp(s, "\xE8\xBD\xAC", 3) == 0) /* 转 U+8F6C */
        return 3;
    return 0;
}

static int
lex(const char *s, size_t len, struct lexed *lx, const char *field, struct err *e)
{
    bool seen_anything = false, dash = false;
    size_t i = 0;

    memset(lx, 0, sizeof(*lx));
    while (i < len) {
        size_t n = marker_len(s + i, len - i);
        uint32_t c;

        if (n > 0) {
            if (lx->has_ext)
                return fail(e, field, "bad_extension", "more than one extension");
            lx->has_ext = true;
            seen_anything = true;
            i += n;
            continue;
        }
        n = utf8_decode((const unsigned char *)s + i, len - i, &c);
        if (n == 0)
            return fail(e, field, "bad_character", "not UTF-8");
        i += n;
        c = fold_fullwidth(c);
        if (is_separator(c)) {
            /* white space alone is "empty"; '-' or '(' is an attempt at a number */
            if (c != ' ' && c != '\t')
                seen_anything = true;
            if (c == '-' && lx->main_len > 0)
                dash = true;
            continue;
        }
        seen_anything = true;
        if (c == '+') {
            if (lx->plus || lx->main_len > 0 || lx->has_ext)
                return fail(e, field, "bad_character", "'+' not at the start");
            lx->plus = true;
            continue;
        }
        if (c < '0' || c > '9')
            return fail(e, field, "bad_character", "character not allowed in a number");
        if (lx->has_ext) {
            if (lx->ext_len < EXT_DIGITS_MAX)
                lx->ext[lx->ext_len] = (char)c;
            lx->ext_len++;
        } else {
            if (dash)
                lx->last_dash_at = lx->main_len;
            dash = false;
            if (lx->main_len < MAIN_DIGITS_MAX)
                lx->main[lx->main_len] = (char)c;
            lx->main_len++;
        }
    }
    if (!seen_anything)
        return fail(e, field, "empty", "no number given");
    if (lx->main_len > MAIN_DIGITS_MAX)
        return fail(e, field, "bad_length", "too many digits");
    return 0;
}

static bool
starts_with(const char *d, size_t n, const char *prefix)
{
    size_t k = strlen(prefix);

    return n >= k && memcmp(d, prefix, k) == 0;
}

/*
 * Reduce an international form (+86..., 0086..., 86 1xx...) to the digits
 * dialled inside China. Writes at most MAIN_DIGITS_MAX + 1 bytes to out.
 */
static int
to_domestic(bool plus, const char *d, size_t n, char *out, size_t *out_len, const char *field,
            struct err *e)
{
    bool international = false;

    if (plus) {
        if (!starts_with(d, n, "86"))
            return fail(e, field, "bad_country_code", "only +86 numbers are accepted");
        d += 2, n -= 2;
        international = true;
    } else if (starts_with(d, n, "00")) {
        /* no area code starts with 00: it is the international prefix */
        if (!starts_with(d, n, "0086"))
            return fail(e, field, "bad_country_code", "only +86 numbers are accepted");
        d += 4, n -= 4;
        international = true;
    } else if (n == 13 && starts_with(d, n, "861")) {
        /* "86 138...": only for mobiles, a bare 86 before a landline is too ambiguous */
        d += 2, n -= 2;
    }

    if (international) {
        /* "+86 (0)10 ..." and the common "+86 010 ...": drop the trunk 0 */
        if (n > 0 && d[0] == '0')
            d++, n--;
        /*
         * Outside China the area code loses its 0 ("+86 10 ...") but a mobile
         * (1 and not 10) or a 400/800 number never had one.
         */
        if (!((n >= 2 && d[0] == '1' && d[1] != '0') || starts_with(d, n, "400") ||
              starts_with(d, n, "800"))) {
            out[0] = '0';
            memcpy(out + 1, d, n);
            *out_len = n + 1;
            return 0;
        }
    }
    memcpy(out, d, n);
    *out_len = n;
    return 0;
}

static int
classify(const char *d, size_t n, struct phone *p, const char *field, struct err *e)
{
    size_t area;

    if (n == 0)
        return fail(e, field, "bad_length", "no digits");
    if (d[0] == '1') {
        if (n != 11)
            return fail(e, field, "bad_length", "a mobile number has 11 digits");
        if (d[1] < '3' || d[1] > '9')
            return fail(e, field, "bad_mobile", "not a mobile prefix");
        p->kind = PHONE_MOBILE;
        memcpy(p->norm, d, n);
        p->norm[n] = '\0';
        return 0;
    }
    if (starts_with(d, n, "400") || starts_with(d, n, "800")) {
        if (n != 10)
            return fail(e, field, "bad_length", "a 400/800 number has 10 digits");
        p->kind = PHONE_SERVICE;
        memcpy(p->norm, d, 3);
        p->norm[3] = '-';
        memcpy(p->norm + 4, d + 3, 3);
        p->norm[7] = '-';
        memcpy(p->norm + 8, d + 6, 4);
        p->norm[12] = '\0';
        return 0;
    }
    if (d[0] != '0')
        return fail(e, field, "bad_area_code", "landline number without its area code");
    if (n < 4)
        return fail(e, field, "bad_length", "too few digits");
    if (d[1] == '1' && d[2] == '0')
        area = 3; /* Beijing */
    else if (d[1] == '2')
        area = 3; /* the big cities: 020..029 */
    else if (d[1] >= '3' && d[1] <= '9')
        area = 4;
    else
        return fail(e, field, "bad_area_code", "no such area code");
    /*
     * A subscriber number never starts with 0: when it seems to, the digits in
     * front were not a real area code ("0100 ...", "010 0...").
     */
    if (n > area && d[area] == '0')
        return fail(e, field, "bad_area_code", "area code not followed by a number");
    if ((area == 3 && n - area != 8) || (area == 4 && (n - area < 7 || n - area > 8)))
        return fail(e, field, "bad_length",
                    area == 3 ? "a 3-digit area code takes 8 digits"
                              : "a 4-digit area code takes 7 or 8 digits");
    p->kind = PHONE_LANDLINE;
    memcpy(p->norm, d, area);
    p->norm[area] = '-';
    memcpy(p->norm + area + 1, d + area, n - area);
    p->norm[n + 1] = '\0';
    return 0;
}

/* The number (without extension) from its digits. */
static int
number_parse(bool plus, const char *digits, size_t n, struct phone *p, const char *field,
             struct err *e)
{
    char dom[MAIN_DIGITS_MAX + 1];
    size_t dom_len = 0;

    if (to_domestic(plus, digits, n, dom, &dom_len, field, e) < 0)
        return -1;
    return classify(dom, dom_len, p, field, e);
}

/*
 * Is the last '-' group an extension, as in our own "010-12345678-123"? Only
 * when the digits before it already make a whole landline or 400/800 number,
 * so "0755-1234567-8" keeps the extension while "0755-1234-5678" is one number.
 */
static bool
dash_extension(const struct lexed *lx, struct phone *p, const char *field)
{
    size_t tail = lx->main_len - lx->last_dash_at;
    struct err scratch = {0};

    if (lx->has_ext || lx->last_dash_at == 0 || tail == 0 || tail > EXT_DIGITS_MAX)
        return false;
    return number_parse(lx->plus, lx->main, lx->last_dash_at, p, field, &scratch) == 0 &&
           p->kind != PHONE_MOBILE;
}

int
phone_parse(const char *s, size_t len, struct phone *out, const char *field, struct err *e)
{
    const char *ext = NULL;
    size_t ext_len = 0, used;
    struct lexed lx;
    struct phone p;

    if (s == NULL || len == 0)
        return fail(e, field, "empty", "no number given");
    if (lex(s, len, &lx, field, e) < 0)
        return -1;
    if (dash_extension(&lx, &p, field)) {
        ext = lx.main + lx.last_dash_at;
        ext_len = lx.main_len - lx.last_dash_at;
    } else {
        if (number_parse(lx.plus, lx.main, lx.main_len, &p, field, e) < 0)
            return -1;
        if (lx.has_ext) {
            if (p.kind == PHONE_MOBILE)
                return fail(e, field, "bad_extension", "a mobile number has no extension");
            if (lx.ext_len == 0 || lx.ext_len > EXT_DIGITS_MAX)
                return fail(e, field, "bad_extension", "an extension has 1-6 digits");
            ext = lx.ext;
            ext_len = lx.ext_len;
        }
    }
    if (ext != NULL) {
        used = strlen(p.norm);
        p.norm[used] = '-';
        memcpy(p.norm + used + 1, ext, ext_len);
        p.norm[used + 1 + ext_len] = '\0';
    }
    *out = p;
    return 0;
}

/* Copy src to out, turning every digit from index `from` on, except the last `keep`, into '*'. */
static void
mask_digits(const char *src, size_t n, size_t from, size_t keep, char *out)
{
    size_t digits = 0, seen = 0;

    for (size_t i = from; i < n; i++)
        if (src[i] >= '0' && src[i] <= '9')
            digits++;
    for (size_t i = 0; i < n; i++) {
        char c = src[i];
        if (i >= from && c >= '0' && c <= '9') {
            if (seen + keep < digits)
                c = '*';
            seen++;
        }
        out[i] = c;
    }
    out[n] = '\0';
}

void
phone_mask(const char *norm, char *out)
{
    size_t n = strnlen(norm, PHONE_NORM_MAX - 1);
    const char *dash = memchr(norm, '-', n);
    const char *ext;
    size_t area, end;

    if (dash == NULL && n == 11) {
        /* mobile: "138****5678", the shape staff know from elsewhere */
        memcpy(out, norm, 3);
        memcpy(out + 3, "****", 4);
        memcpy(out + 7, norm + 7, 4);
        out[11] = '\0';
        return;
    }
    if (n >= 12 && (starts_with(norm, n, "400-") || starts_with(norm, n, "800-"))) {
        /* "400-123-4567" is public; an extension may lead to one person */
        memcpy(out, norm, 12);
        mask_digits(norm + 12, n - 12, 0, 0, out + 12);
        return;
    }
    if (dash != NULL && norm[0] == '0') {
        /* "010-****5678[-***]": the area code says only the city */
        area = (size_t)(dash - norm);
        ext = memchr(dash + 1, '-', n - area - 1);
        end = ext ? (size_t)(ext - norm) : n;
        mask_digits(norm, end, area + 1, 4, out);
        mask_digits(norm + end, n - end, 0, 0, out + end);
        return;
    }
    /* not a canonical number: show no more than the last four digits */
    mask_digits(norm, n, 0, 4, out);
}
