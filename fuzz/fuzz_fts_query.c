/*
 * Fuzz the search box: fts_query_build() and the kesu_cjk tokenizer on the
 * same input. Invariants checked:
 *   - every token lies inside the input (0 <= start < end <= size), starts
 *     strictly after the previous token's start, is non-empty, at most 64
 *     bytes, valid UTF-8, and holds no ASCII upper case, space or punctuation;
 *   - a built expression is valid UTF-8 of the form "…"[*] AND "…"[*] … and
 *     FTS5 accepts it; a document holding the input is found by the
 *     expression built from the input, from its first half and from its
 *     second half (cut between characters, and not inside a latin word),
 *     which is what catches a one-character query that only matches a run
 *     of one, or a final character missing from the index;
 *   - a refused input is ERR_INVALID on "q" with a known reason, bad_utf8
 *     exactly when the input is not UTF-8, and the output buffer is untouched;
 *   - FTS5's integrity check passes after indexing the input, which re-runs
 *     the tokenizer and so also proves it deterministic.
 */
#include "store/fts.h"
#include "util/sbuf.h"
#include "util/utf8.h"

#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                             \
    do {                                                                        \
        if (!(cond)) {                                                          \
            fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, \
                    #cond);                                                     \
            __builtin_trap();                                                   \
        }                                                                       \
    } while (0)

/* One connection for the whole run: setting up FTS5 per input would dominate. */
static sqlite3 *db;
static fts5_tokenizer tok;
static Fts5Tokenizer *inst;
static sqlite3_stmt *st_del, *st_ins, *st_check, *st_match;

static void
prepare(const char *sql, sqlite3_stmt **st)
{
    CHECK(sqlite3_prepare_v2(db, sql, -1, st, NULL) == SQLITE_OK);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    struct err e = { 0 };
    sqlite3_stmt *st = NULL;
    fts5_api *api = NULL;
    void *ctx = NULL;

    (void)argc;
    (void)argv;
    CHECK(sqlite3_open(":memory:", &db) == SQLITE_OK);
    CHECK(fts_cjk_register(db, &e) == 0);
    CHECK(sqlite3_exec(db, "CREATE VIRTUAL TABLE t USING fts5(a, tokenize='kesu_cjk', "
                           "prefix='3')", NULL, NULL, NULL) == SQLITE_OK);
    prepare("SELECT fts5(?1)", &st);
    sqlite3_bind_pointer(st, 1, &api, "fts5_api_ptr", NULL);
    sqlite3_step(st);
    sqlite3_finalize(st);
    CHECK(api != NULL);
    CHECK(api->xFindTokenizer(api, "kesu_cjk", &ctx, &tok) == SQLITE_OK);
    CHECK(tok.xCreate(ctx, NULL, 0, &inst) == SQLITE_OK);
    prepare("DELETE FROM t", &st_del);
    prepare("INSERT INTO t(rowid, a) VALUES (1, ?1)", &st_ins);
    prepare("INSERT INTO t(t, rank) VALUES ('integrity-check', 0)", &st_check);
    prepare("SELECT rowid FROM t WHERE t MATCH ?1", &st_match);
    return 0;
}

struct seen {
    size_t size;         /* bytes of the input */
    long last_start;     /* start of the previous token; -1 before the first */
    size_t count;
};

static int
on_token(void *ctx, int tflags, const char *p, int n, int start, int end)
{
    struct seen *s = ctx;

    CHECK(tflags == 0);
    CHECK(n > 0 && n <= 64);
    CHECK(start >= 0 && start < end && (size_t)end <= s->size);
    CHECK(start > s->last_start);
    CHECK(utf8_is_valid(p, (size_t)n));
    for (int i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];

        CHECK(c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z'));
    }
    s->last_start = start;
    s->count++;
    return SQLITE_OK;
}

static size_t
tokenize(int flags, const uint8_t *data, size_t size)
{
    struct seen s = { size, -1, 0 };

    CHECK(tok.xTokenize(inst, &s, flags, (const char *)data, (int)size, on_token) ==
          SQLITE_OK);
    return s.count;
}

/*
 * True when the character at data[i..] is surely not part of a latin word:
 * ASCII punctuation or space, or a common Han, kana or hangul character.
 * Decided here rather than by the tokenizer, which is what is under test.
 */
static bool
surely_not_latin(const uint8_t *data, size_t size, size_t i)
{
    uint32_t cp;

    if (data[i] < 0x80)
        return !((data[i] >= '0' && data[i] <= '9') || (data[i] >= 'a' && data[i] <= 'z') ||
                 (data[i] >= 'A' && data[i] <= 'Z'));
    if (utf8_decode(data + i, size - i, &cp) == 0)
        return false;
    return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
           (cp >= 0x20000 && cp <= 0x2A6DF) || (cp >= 0x3041 && cp <= 0x3096) ||
           (cp >= 0xAC00 && cp <= 0xD7A3);
}

/* True when cutting before byte k (a character boundary) may split a latin word. */
static bool
splits_word(const uint8_t *data, size_t size, size_t k)
{
    size_t p = k;

    if (k == 0 || k >= size)
        return false;
    do
        p--;
    while (p > 0 && (data[p] & 0xC0) == 0x80);
    return !surely_not_latin(data, size, p) && !surely_not_latin(data, size, k);
}

/* "…"[*] joined by " AND ", no quote inside a part, no empty part. */
static void
check_shape(const char *q, size_t len)
{
    size_t i = 0;

    CHECK(utf8_is_valid(q, len));
    CHECK(strlen(q) == len);
    for (;;) {
        size_t start;

        CHECK(i < len && q[i] == '"');
        start = ++i;
        while (i < len && q[i] != '"')
            i++;
        CHECK(i < len && i > start);
        i++;
        if (i < len && q[i] == '*')
            i++;
        if (i == len)
            return;
        CHECK(len - i > 5 && memcmp(q + i, " AND ", 5) == 0);
        i += 5;
    }
}

static void
run_match(const char *expr, size_t len, bool must_find)
{
    int rc;

    sqlite3_bind_text(st_match, 1, expr, (int)len, SQLITE_STATIC);
    rc = sqlite3_step(st_match);
    if (must_find) {
        if (rc != SQLITE_ROW)
            fprintf(stderr, "MATCH %s: %s\n", expr, sqlite3_errmsg(db));
        CHECK(rc == SQLITE_ROW);
        CHECK(sqlite3_column_int64(st_match, 0) == 1);
        CHECK(sqlite3_step(st_match) == SQLITE_DONE);
    }
    sqlite3_reset(st_match);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct sbuf out;
    struct err e = { 0 };
    size_t ndoc, nquery;
    bool valid;

    if (size > (1 << 20))
        return 0;
    valid = utf8_is_valid((const char *)data, size);

    ndoc = tokenize(FTS5_TOKENIZE_DOCUMENT, data, size);
    CHECK(tokenize(FTS5_TOKENIZE_AUX, data, size) == ndoc);
    nquery = tokenize(FTS5_TOKENIZE_QUERY, data, size);
    CHECK(tokenize(FTS5_TOKENIZE_QUERY | FTS5_TOKENIZE_PREFIX, data, size) == nquery);
    /* Query mode drops one final single per run of two or more CJK characters. */
    CHECK(nquery <= ndoc);

    /* Index the input as a document, invalid bytes and all. */
    CHECK(sqlite3_step(st_del) == SQLITE_DONE);
    sqlite3_reset(st_del);
    sqlite3_bind_text(st_ins, 1, (const char *)data, (int)size, SQLITE_STATIC);
    CHECK(sqlite3_step(st_ins) == SQLITE_DONE);
    sqlite3_reset(st_ins);
    CHECK(sqlite3_step(st_check) == SQLITE_DONE);
    sqlite3_reset(st_check);

    sbuf_init(&out, 1 << 16);
    if (fts_query_build((const char *)data, size, &out, &e) == 0) {
        CHECK(valid);
        CHECK(e.code == ERR_OK);
        check_shape(out.buf, out.len);
        run_match(out.buf, out.len, true);
    } else {
        CHECK(e.code == ERR_INVALID);
        CHECK(e.field != NULL && strcmp(e.field, "q") == 0);
        CHECK(e.reason != NULL);
        CHECK((strcmp(e.reason, "bad_utf8") == 0) == !valid);
        CHECK(strcmp(e.reason, "bad_utf8") == 0 || strcmp(e.reason, "empty") == 0 ||
              strcmp(e.reason, "too_long") == 0);
        CHECK(out.len == 0 && !out.failed);
    }
    sbuf_release(&out);

    /*
     * What someone types is usually part of the text. Cutting at the end
     * only shortens runs, so each part is still found (a latin word as a
     * prefix); cutting at the start is fine unless it splits a latin word.
     */
    if (valid) {
        size_t half = size / 2;

        while (half > 0 && (data[half] & 0xC0) == 0x80)
            half--;
        sbuf_init(&out, 1 << 16);
        err_clear(&e);
        if (fts_query_build((const char *)data, half, &out, &e) == 0)
            run_match(out.buf, out.len, true);
        sbuf_reset(&out);
        err_clear(&e);
        if (!splits_word(data, size, half) &&
            fts_query_build((const char *)data + half, size - half, &out, &e) == 0)
            run_match(out.buf, out.len, true);
        sbuf_release(&out);
    }

    /* The raw input as an expression may be a syntax error, but must not crash. */
    run_match((const char *)data, size, false);
    return 0;
}
