#include "store/fts.h"
#include "util/alloc.h"
#include "util/utf8.h"

#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#define FTS_TOKENIZER_NAME "kesu_cjk"
#define FTS_TOKEN_MAX 64          /* bytes in one latin token; longer runs are cut */
#define FTS_QUERY_MAX_CHARS 200   /* code points in what the user typed */
#define FTS_QUERY_MAX_PARTS 64    /* quoted pieces joined with AND */

enum cls {
    CLS_SEP,    /* separates tokens and is not indexed */
    CLS_CJK,    /* indexed as bigrams plus the final single */
    CLS_LATIN,  /* part of a word-like run, one token per run */
};

/* One character of the input as the tokenizer sees it. */
struct chr {
    enum cls cls;
    size_t len;        /* bytes it takes in the input; 1 for an invalid byte */
    char fold[4];      /* CLS_LATIN: the bytes it contributes to the token */
    size_t fold_len;
};

/* A maximal run of characters of one class (CJK or latin). */
struct run {
    enum cls cls;
    size_t start;      /* byte offset of the first character */
    size_t end;        /* byte offset just past the last character */
    size_t nchars;     /* characters in the run */
};

struct range {
    uint32_t lo, hi;   /* inclusive */
    enum cls cls;
};

/*
 * Non-ASCII code points that are not latin letters, sorted and disjoint.
 * Anything outside the table is treated as a letter of some alphabet (é, ß,
 * Cyrillic, combining accents), which keeps rare scripts searchable as words
 * without carrying the full Unicode category tables. The table names what
 * complaints actually contain: Han, kana, hangul, and the punctuation,
 * symbols and emoji around them.
 */
static const struct range ranges[] = {
    { 0x0080, 0x00A9, CLS_SEP },   /* C1 controls, NBSP, ¡ ¢ £ ¥ § © */
    { 0x00AB, 0x00B4, CLS_SEP },   /* « ¬ ® ° ± ² ³ ´ (ª is a letter) */
    { 0x00B6, 0x00B9, CLS_SEP },   /* ¶ · ¸ ¹ (µ is a letter) */
    { 0x00BB, 0x00BF, CLS_SEP },   /* » ¼ ½ ¾ ¿ (º is a letter) */
    { 0x00D7, 0x00D7, CLS_SEP },   /* × */
    { 0x00F7, 0x00F7, CLS_SEP },   /* ÷ */
    { 0x1100, 0x11FF, CLS_CJK },   /* hangul jamo */
    { 0x1680, 0x1680, CLS_SEP },   /* ogham space */
    { 0x180E, 0x180E, CLS_SEP },   /* mongolian vowel separator */
    { 0x2000, 0x2BFF, CLS_SEP },   /* spaces, punctuation, ℃, ①, arrows, math, box, dingbats */
    { 0x2E00, 0x2E7F, CLS_SEP },   /* supplemental punctuation */
    /*
     * Radicals are symbols, but text pasted from PDFs uses them in place of
     * ideographs (⼯ for 工), so they stay searchable as themselves.
     */
    { 0x2E80, 0x2FDF, CLS_CJK },   /* CJK and Kangxi radicals */
    { 0x2FE0, 0x3004, CLS_SEP },   /* ideographic description, U+3000 space, 、。〃 */
    { 0x3005, 0x3007, CLS_CJK },   /* 々 〆 〇: letters and a numeral, used in words */
    { 0x3008, 0x303F, CLS_SEP },   /* 〈〉《》「」【】〔〕 and the rest of CJK punctuation */
    { 0x3040, 0x309F, CLS_CJK },   /* hiragana */
    { 0x30A0, 0x30A0, CLS_SEP },   /* ゠ katakana double hyphen */
    { 0x30A1, 0x30FA, CLS_CJK },   /* katakana */
    { 0x30FB, 0x30FB, CLS_SEP },   /* ・ middle dot between the parts of a foreign name */
    { 0x30FC, 0x30FF, CLS_CJK },   /* ー and katakana iteration marks */
    { 0x3100, 0x318F, CLS_CJK },   /* bopomofo, hangul compatibility jamo */
    { 0x3190, 0x319F, CLS_SEP },   /* kanbun marks */
    { 0x31A0, 0x31BF, CLS_CJK },   /* bopomofo extended */
    { 0x31C0, 0x31EF, CLS_SEP },   /* CJK strokes */
    { 0x31F0, 0x31FF, CLS_CJK },   /* katakana phonetic extensions */
    { 0x3200, 0x33FF, CLS_SEP },   /* enclosed CJK (㈠), squared units (㎡) */
    { 0x3400, 0x4DBF, CLS_CJK },   /* extension A */
    { 0x4DC0, 0x4DFF, CLS_SEP },   /* yijing hexagrams */
    { 0x4E00, 0x9FFF, CLS_CJK },   /* unified ideographs */
    { 0xA960, 0xA97F, CLS_CJK },   /* hangul jamo extended-A */
    { 0xAC00, 0xD7FF, CLS_CJK },   /* hangul syllables, jamo extended-B */
    { 0xE000, 0xF8FF, CLS_SEP },   /* private use */
    { 0xF900, 0xFAFF, CLS_CJK },   /* compatibility ideographs */
    { 0xFE00, 0xFE6F, CLS_SEP },   /* variation selectors, vertical and small forms */
    { 0xFEFF, 0xFEFF, CLS_SEP },   /* byte order mark */
    { 0xFF00, 0xFF65, CLS_SEP },   /* fullwidth punctuation; alnum is folded before lookup */
    { 0xFF66, 0xFFDC, CLS_CJK },   /* halfwidth katakana and hangul */
    { 0xFFDD, 0xFFFF, CLS_SEP },   /* fullwidth signs, specials */
    { 0x16FE0, 0x16FFF, CLS_SEP }, /* ideographic symbols */
    { 0x1B000, 0x1B16F, CLS_CJK }, /* kana supplement and extensions */
    { 0x1D000, 0x1D24F, CLS_SEP }, /* musical symbols */
    { 0x1F000, 0x1FBFF, CLS_SEP }, /* emoji, pictographs, enclosed ideographs (🈶) */
    { 0x20000, 0x2FA1F, CLS_CJK }, /* extensions B-F (𠮷), compatibility supplement */
    { 0x2FA20, 0x2FFFF, CLS_SEP }, /* unassigned */
    { 0x30000, 0x323AF, CLS_CJK }, /* extensions G and H */
    { 0x323B0, 0x10FFFF, CLS_SEP },/* unassigned, tags, variation selectors, private use */
};

static enum cls
lookup(uint32_t cp)
{
    size_t lo = 0, hi = sizeof(ranges) / sizeof(ranges[0]);

    /* Most of a complaint is unified ideographs: skip the search for them. */
    if (cp >= 0x4E00 && cp <= 0x9FFF)
        return CLS_CJK;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;

        if (cp < ranges[mid].lo)
            hi = mid;
        else if (cp > ranges[mid].hi)
            lo = mid + 1;
        else
            return ranges[mid].cls;
    }
    return CLS_LATIN;
}

static bool
is_ascii_alnum(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/*
 * Classify the character at s[0..len), len > 0. Invalid UTF-8 is a one-byte
 * separator, so a damaged document still indexes the text around the damage.
 */
static void
classify(const unsigned char *s, size_t len, struct chr *c)
{
    uint32_t cp;

    c->fold_len = 0;
    if (s[0] < 0x80) {
        c->len = 1;
        c->cls = is_ascii_alnum(s[0]) ? CLS_LATIN : CLS_SEP;
        if (c->cls == CLS_LATIN) {
            c->fold[0] = (char)(s[0] >= 'A' && s[0] <= 'Z' ? s[0] + ('a' - 'A') : s[0]);
            c->fold_len = 1;
        }
        return;
    }
    c->len = utf8_decode(s, len, &cp);
    if (c->len == 0) {
        c->len = 1;
        c->cls = CLS_SEP;
        return;
    }
    /* Fullwidth letters and digits are what IMEs type for ASCII: fold them. */
    if ((cp >= 0xFF10 && cp <= 0xFF19) || (cp >= 0xFF21 && cp <= 0xFF3A) ||
        (cp >= 0xFF41 && cp <= 0xFF5A)) {
        c->cls = CLS_LATIN;
        if (cp <= 0xFF19)
            c->fold[0] = (char)('0' + (cp - 0xFF10));
        else if (cp <= 0xFF3A)
            c->fold[0] = (char)('a' + (cp - 0xFF21));
        else
            c->fold[0] = (char)('a' + (cp - 0xFF41));
        c->fold_len = 1;
        return;
    }
    c->cls = lookup(cp);
    if (c->cls == CLS_LATIN) {
        memcpy(c->fold, s, c->len);
        c->fold_len = c->len;
    }
}

/*
 * Find the next run of CJK or latin characters at or after *pos. Returns
 * false when only separators are left. On true, *pos is the run's end.
 */
static bool
next_run(const unsigned char *s, size_t len, size_t *pos, struct run *r)
{
    struct chr c;
    size_t i = *pos;

    for (;;) {
        if (i >= len)
            return false;
        classify(s + i, len - i, &c);
        if (c.cls != CLS_SEP)
            break;
        i += c.len;
    }
    r->cls = c.cls;
    r->start = i;
    r->nchars = 0;
    do {
        i += c.len;
        r->nchars++;
        if (i >= len)
            break;
        classify(s + i, len - i, &c);
    } while (c.cls == r->cls);
    r->end = i;
    *pos = i;
    return true;
}

typedef int (*token_fn)(void *ctx, int tflags, const char *tok, int ntok,
                        int start, int end);

/* One token for the run, folded, cut at FTS_TOKEN_MAX bytes between characters. */
static int
emit_latin(const unsigned char *s, const struct run *r, void *ctx, token_fn xToken)
{
    char tok[FTS_TOKEN_MAX];
    size_t n = 0;
    struct chr c;

    for (size_t i = r->start; i < r->end; i += c.len) {
        classify(s + i, r->end - i, &c);
        if (n + c.fold_len > sizeof(tok))
            break;
        memcpy(tok + n, c.fold, c.fold_len);
        n += c.fold_len;
    }
    return xToken(ctx, 0, tok, (int)n, (int)r->start, (int)r->end);
}

/*
 * Bigrams of neighbours, then (documents, or a query run of one) the final
 * character alone. Positions follow the call order, so a query phrase of
 * bigrams lines up with consecutive document positions.
 */
static int
emit_cjk(const unsigned char *s, const struct run *r, bool query, void *ctx,
         token_fn xToken)
{
    const char *p = (const char *)s;
    size_t prev = r->start, i = r->start;
    uint32_t cp;
    int rc;

    /* Characters of a CJK run are valid UTF-8, so decode cannot fail here. */
    i += utf8_decode(s + i, r->end - i, &cp);
    while (i < r->end) {
        size_t next = i + utf8_decode(s + i, r->end - i, &cp);

        rc = xToken(ctx, 0, p + prev, (int)(next - prev), (int)prev, (int)next);
        if (rc != SQLITE_OK)
            return rc;
        prev = i;
        i = next;
    }
    if (query && r->nchars > 1)
        return SQLITE_OK;
    return xToken(ctx, 0, p + prev, (int)(r->end - prev), (int)prev, (int)r->end);
}

/*
 * The tokenizer keeps no state: the instance exists because FTS5 wants a
 * non-NULL handle, and a fresh allocation keeps connections independent.
 */
struct cjk_tokenizer {
    int unused;
};

static int
tok_create(void *ctx, const char **argv, int argc, Fts5Tokenizer **out)
{
    struct cjk_tokenizer *t;

    (void)ctx;
    (void)argv;
    /* Options would change what is indexed; refuse them rather than ignore a typo. */
    if (argc != 0)
        return SQLITE_ERROR;
    t = alloc_malloc(sizeof(*t));
    if (t == NULL)
        return SQLITE_NOMEM;
    t->unused = 0;
    *out = (Fts5Tokenizer *)t;
    return SQLITE_OK;
}

static void
tok_delete(Fts5Tokenizer *t)
{
    alloc_free(t);
}

static int
tok_tokenize(Fts5Tokenizer *t, void *ctx, int flags, const char *text, int ntext,
             token_fn xToken)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t len = ntext > 0 ? (size_t)ntext : 0;
    bool query = (flags & FTS5_TOKENIZE_QUERY) != 0;
    size_t pos = 0;
    struct run r;
    int rc = SQLITE_OK;

    (void)t;
    while (rc == SQLITE_OK && next_run(s, len, &pos, &r)) {
        if (r.cls == CLS_LATIN)
            rc = emit_latin(s, &r, ctx, xToken);
        else
            rc = emit_cjk(s, &r, query, ctx, xToken);
    }
    return rc;
}

int
fts_cjk_register(struct sqlite3 *db, struct err *e)
{
    fts5_tokenizer tok = { tok_create, tok_delete, tok_tokenize };
    fts5_api *api = NULL;
    sqlite3_stmt *st = NULL;
    int rc;

    rc = sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, NULL);
    if (rc != SQLITE_OK)
        return err_set(e, ERR_STORE, NULL, "fts5", "fts: no fts5 in this sqlite: %s",
                       sqlite3_errmsg(db));
    sqlite3_bind_pointer(st, 1, &api, "fts5_api_ptr", NULL);
    sqlite3_step(st);
    sqlite3_finalize(st);
    /* Version 2 is the first with the xTokenize signature used here. */
    if (api == NULL || api->iVersion < 2)
        return err_set(e, ERR_STORE, NULL, "fts5", "fts: cannot get the fts5 api");
    /* FTS5 copies `tok`, so a local is enough and nothing global is written. */
    rc = api->xCreateTokenizer(api, FTS_TOKENIZER_NAME, NULL, &tok, NULL);
    if (rc == SQLITE_NOMEM)
        return err_set(e, ERR_NOMEM, NULL, "nomem", "fts: no memory to register '%s'",
                       FTS_TOKENIZER_NAME);
    if (rc != SQLITE_OK)
        return err_set(e, ERR_STORE, NULL, "fts5", "fts: cannot register tokenizer '%s': %s",
                       FTS_TOKENIZER_NAME, sqlite3_errstr(rc));
    return 0;
}

/*
 * Append one quoted part; a run never contains '"', so nothing needs
 * escaping. `closed`: the user typed a CJK character right after this run,
 * so in a matching document the run ends there too.
 */
static void
add_part(struct sbuf *out, const char *text, const struct run *r, bool first, bool closed)
{
    if (!first)
        sbuf_adds(out, " AND ");
    sbuf_addc(out, '"');
    sbuf_add(out, text + r->start, r->end - r->start);
    sbuf_addc(out, '"');
    /*
     * One CJK character and latin words match as prefixes: every character
     * of a document run starts some token, and "elev" should find elevator.
     * But a latin run closed by CJK text ("3栋") is a whole token: matching
     * it exactly spares merging every number that starts with 3.
     */
    if ((r->cls == CLS_LATIN && !closed) || (r->cls != CLS_LATIN && r->nchars == 1))
        sbuf_addc(out, '*');
}

int
fts_query_build(const char *text, size_t len, struct sbuf *out, struct err *e)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t old_len = out->len, nchars, nparts = 0, pos = 0;
    bool old_failed = out->failed, old_over = out->over_max;
    struct run r;

    if (!utf8_is_valid(text, len))
        return err_set(e, ERR_INVALID, "q", "bad_utf8", "search text is not utf-8");
    nchars = utf8_len_chars(text, len);
    if (nchars > FTS_QUERY_MAX_CHARS)
        return err_set(e, ERR_INVALID, "q", "too_long",
                       "search text has %zu characters, most is %d", nchars,
                       FTS_QUERY_MAX_CHARS);
    /* Count first so that a rejected query leaves `out` alone. */
    while (next_run(s, len, &pos, &r))
        nparts++;
    if (nparts == 0)
        return err_set(e, ERR_INVALID, "q", "empty", "search text has nothing searchable");
    if (nparts > FTS_QUERY_MAX_PARTS)
        return err_set(e, ERR_INVALID, "q", "too_long",
                       "search text has %zu parts, most is %d", nparts,
                       FTS_QUERY_MAX_PARTS);

    pos = 0;
    if (next_run(s, len, &pos, &r)) {
        for (bool first = true;; first = false) {
            struct run next;
            bool more = next_run(s, len, &pos, &next);
            bool closed = more && next.start == r.end && next.cls != CLS_LATIN;
            add_part(out, text, &r, first, closed);
            if (!more)
                break;
            r = next;
        }
    }
    if (out->failed && !old_failed) {
        bool over = out->over_max;

        /* Put `out` back as it was: callers may reuse it after an error. */
        if (out->cap > 0) {
            out->len = old_len;
            out->buf[old_len] = '\0';
        }
        out->failed = old_failed;
        out->over_max = old_over;
        if (over)
            return err_set(e, ERR_TOO_LARGE, "q", "too_long",
                           "search expression exceeds its buffer");
        return err_set(e, ERR_NOMEM, NULL, "nomem", "fts: no memory for search expression");
    }
    if (out->failed)
        return err_set(e, ERR_INTERNAL, NULL, "internal", "fts: output buffer failed earlier");
    return 0;
}
