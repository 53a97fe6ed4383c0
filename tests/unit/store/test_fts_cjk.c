#include "testutil.h"

#include "store/fts.h"
#include "util/alloc.h"
#include "util/sbuf.h"
#include "util/utf8.h"

#include <sqlite3.h>
#include <stdio.h>

/* A connection with the tokenizer registered, and an instance to call directly. */
struct fixture {
    sqlite3 *db;
    fts5_tokenizer tok;      /* callbacks as FTS5 holds them */
    Fts5Tokenizer *inst;     /* from tok.xCreate */
};

static int
setup(void **state)
{
    struct fixture *f = alloc_malloc(sizeof(*f));
    struct err e = { 0 };
    sqlite3_stmt *st = NULL;
    fts5_api *api = NULL;
    void *ctx = NULL;

    if (f == NULL)
        return -1;
    memset(f, 0, sizeof(*f));
    if (sqlite3_open(":memory:", &f->db) != SQLITE_OK)
        return -1;
    if (fts_cjk_register(f->db, &e) < 0)
        return -1;
    if (sqlite3_prepare_v2(f->db, "SELECT fts5(?1)", -1, &st, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_pointer(st, 1, &api, "fts5_api_ptr", NULL);
    sqlite3_step(st);
    sqlite3_finalize(st);
    if (api == NULL || api->xFindTokenizer(api, "kesu_cjk", &ctx, &f->tok) != SQLITE_OK)
        return -1;
    if (f->tok.xCreate(ctx, NULL, 0, &f->inst) != SQLITE_OK)
        return -1;
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    struct fixture *f = *state;

    f->tok.xDelete(f->inst);
    sqlite3_close(f->db);
    alloc_free(f);
    return 0;
}

/* Collects tokens as "text:start:end" separated by spaces. */
struct collector {
    struct sbuf sb;
    int calls;
    int stop_after;          /* return SQLITE_ABORT on this call; 0: never */
};

static int
collect(void *ctx, int tflags, const char *tok, int ntok, int start, int end)
{
    struct collector *c = ctx;

    assert_int_equal(tflags, 0);
    assert_true(ntok > 0);
    c->calls++;
    if (c->sb.len > 0)
        sbuf_addc(&c->sb, ' ');
    sbuf_addf(&c->sb, "%.*s:%d:%d", ntok, tok, start, end);
    if (c->stop_after != 0 && c->calls == c->stop_after)
        return SQLITE_ABORT;
    return SQLITE_OK;
}

/* Tokenize and return the rendering; the caller releases c->sb. */
static int
tokenize(struct fixture *f, int flags, const char *text, size_t len, struct collector *c)
{
    sbuf_init(&c->sb, 1 << 16);
    c->calls = 0;
    return f->tok.xTokenize(f->inst, c, flags, text, (int)len, collect);
}

struct tok_case {
    const char *in;
    size_t len;              /* bytes of `in`: inputs may hold NUL or bad bytes */
    const char *doc;         /* tokens in FTS5_TOKENIZE_DOCUMENT mode */
    const char *query;       /* tokens in FTS5_TOKENIZE_QUERY mode */
};

#define TC(s, d, q) { s, sizeof(s) - 1, d, q }

static const struct tok_case tok_cases[] = {
    TC("电梯坏了", "电梯:0:6 梯坏:3:9 坏了:6:12 了:9:12", "电梯:0:6 梯坏:3:9 坏了:6:12"),
    TC("电", "电:0:3", "电:0:3"),
    TC("电梯", "电梯:0:6 梯:3:6", "电梯:0:6"),
    TC("3栋2单元1202漏水",
       "3:0:1 栋:1:4 2:4:5 单元:5:11 元:8:11 1202:11:15 漏水:15:21 水:18:21",
       "3:0:1 栋:1:4 2:4:5 单元:5:11 1202:11:15 漏水:15:21"),
    TC("Elevator BROKEN", "elevator:0:8 broken:9:15", "elevator:0:8 broken:9:15"),
    TC("ＡＢＣ１２３", "abc123:0:18", "abc123:0:18"),
    TC("ａＢ９", "ab9:0:9", "ab9:0:9"),
    TC("电梯，坏了！", "电梯:0:6 梯:3:6 坏了:9:15 了:12:15", "电梯:0:6 坏了:9:15"),
    TC("𠮷野家", "𠮷野:0:7 野家:4:10 家:7:10", "𠮷野:0:7 野家:4:10"),
    TC("𠮷", "𠮷:0:4", "𠮷:0:4"),
    TC("电梯😀坏", "电梯:0:6 梯:3:6 坏:10:13", "电梯:0:6 坏:10:13"),
    TC("😀👍🏻", "", ""),
    TC("电\xff梯", "电:0:3 梯:4:7", "电:0:3 梯:4:7"),
    TC("ab\xc3" "cd", "ab:0:2 cd:3:5", "ab:0:2 cd:3:5"),
    TC("电\xe6\xa2", "电:0:3", "电:0:3"),
    TC("\xed\xa0\x80" "ab", "ab:3:5", "ab:3:5"),        /* encoded surrogate */
    TC("\xc0\xaf" "ab", "ab:2:4", "ab:2:4"),            /* overlong '/' */
    TC("a\0b", "a:0:1 b:2:3", "a:0:1 b:2:3"),
    TC("abc电梯", "abc:0:3 电梯:3:9 梯:6:9", "abc:0:3 电梯:3:9"),
    TC("电梯abc", "电梯:0:6 梯:3:6 abc:6:9", "电梯:0:6 abc:6:9"),
    TC("Café ß Привет", "café:0:5 ß:6:8 Привет:9:21", "café:0:5 ß:6:8 Привет:9:21"),
    TC("e\xcc\x81t\xc3\xa9", "e\xcc\x81t\xc3\xa9:0:6", "e\xcc\x81t\xc3\xa9:0:6"),
    TC("カタカナ", "カタ:0:6 タカ:3:9 カナ:6:12 ナ:9:12", "カタ:0:6 タカ:3:9 カナ:6:12"),
    TC("안녕", "안녕:0:6 녕:3:6", "안녕:0:6"),
    TC("电梯　漏水", "电梯:0:6 梯:3:6 漏水:9:15 水:12:15", "电梯:0:6 漏水:9:15"),
    TC("二〇二三年", "二〇:0:6 〇二:3:9 二三:6:12 三年:9:15 年:12:15",
       "二〇:0:6 〇二:3:9 二三:6:12 三年:9:15"),
    TC("①号楼", "号楼:3:9 楼:6:9", "号楼:3:9"),
    TC("100㎡", "100:0:3", "100:0:3"),
    TC("温度30℃", "温度:0:6 度:3:6 30:6:8", "温度:0:6 30:6:8"),
    TC("张三・李四", "张三:0:6 三:3:6 李四:9:15 四:12:15", "张三:0:6 李四:9:15"),
    TC("张三·李四", "张三:0:6 三:3:6 李四:8:14 四:11:14", "张三:0:6 李四:8:14"),
    TC("【投诉】“漏水”", "投诉:3:9 诉:6:9 漏水:15:21 水:18:21", "投诉:3:9 漏水:15:21"),
    TC("a\"b'c-d_e.f", "a:0:1 b:2:3 c:4:5 d:6:7 e:8:9 f:10:11",
       "a:0:1 b:2:3 c:4:5 d:6:7 e:8:9 f:10:11"),
    TC("", "", ""),
    TC(" \t\r\n", "", ""),
};

static void
test_tokenize_modes(void **state)
{
    struct fixture *f = *state;
    struct collector c = { 0 };

    for (size_t i = 0; i < TEST_ARRAY_LEN(tok_cases); i++) {
        const struct tok_case *t = &tok_cases[i];
        static const int doc_flags[] = { FTS5_TOKENIZE_DOCUMENT, FTS5_TOKENIZE_AUX };
        static const int query_flags[] = {
            FTS5_TOKENIZE_QUERY, FTS5_TOKENIZE_QUERY | FTS5_TOKENIZE_PREFIX,
        };

        for (size_t j = 0; j < TEST_ARRAY_LEN(doc_flags); j++) {
            assert_int_equal(tokenize(f, doc_flags[j], t->in, t->len, &c), SQLITE_OK);
            assert_string_equal(c.sb.buf, t->doc);
            sbuf_release(&c.sb);
        }
        for (size_t j = 0; j < TEST_ARRAY_LEN(query_flags); j++) {
            assert_int_equal(tokenize(f, query_flags[j], t->in, t->len, &c), SQLITE_OK);
            assert_string_equal(c.sb.buf, t->query);
            sbuf_release(&c.sb);
        }
    }
}

static size_t
put_utf8(char *p, uint32_t cp)
{
    if (cp < 0x80) {
        p[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        p[0] = (char)(0xC0 | (cp >> 6));
        p[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        p[0] = (char)(0xE0 | (cp >> 12));
        p[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        p[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    p[0] = (char)(0xF0 | (cp >> 18));
    p[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    p[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    p[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/*
 * Each code point written twice in a document gives 0 tokens if it
 * separates, 1 if it is latin (one run), 2 if CJK (bigram and single):
 * both sides of every range boundary in the classification table.
 */
static void
test_tokenize_classes(void **state)
{
    enum { SEP = 0, LAT = 1, CJK = 2 };
    static const struct { uint32_t cp; int ntokens; } cases[] = {
        { 'A', LAT }, { 'z', LAT }, { '0', LAT }, { ',', SEP }, { '@', SEP }, { 0x7F, SEP },
        { 0x80, SEP }, { 0xA0, SEP }, { 0xA9, SEP }, { 0xAA, LAT }, { 0xAB, SEP },
        { 0xB5, LAT }, { 0xB7, SEP }, { 0xBA, LAT }, { 0xBF, SEP }, { 0xC0, LAT },
        { 0xD7, SEP }, { 0xD8, LAT }, { 0xF7, SEP }, { 0xFF, LAT }, { 0x0301, LAT },
        { 0x0416, LAT }, { 0x10FF, LAT }, { 0x1100, CJK }, { 0x11FF, CJK },
        { 0x1200, LAT }, { 0x1680, SEP }, { 0x1FFF, LAT }, { 0x2000, SEP },
        { 0x200D, SEP }, { 0x2103, SEP }, { 0x2460, SEP }, { 0x2BFF, SEP },
        { 0x2C00, LAT }, { 0x2DFF, LAT }, { 0x2E00, SEP }, { 0x2E7F, SEP },
        { 0x2E80, CJK }, { 0x2F00, CJK }, { 0x2FDF, CJK }, { 0x2FE0, SEP },
        { 0x3000, SEP }, { 0x3001, SEP }, { 0x3002, SEP }, { 0x3004, SEP },
        { 0x3005, CJK }, { 0x3007, CJK }, { 0x3008, SEP }, { 0x3010, SEP },
        { 0x301C, SEP }, { 0x303F, SEP }, { 0x3040, CJK }, { 0x3041, CJK },
        { 0x309F, CJK }, { 0x30A0, SEP }, { 0x30A1, CJK }, { 0x30FA, CJK },
        { 0x30FB, SEP }, { 0x30FC, CJK }, { 0x30FF, CJK }, { 0x3100, CJK },
        { 0x318F, CJK }, { 0x3190, SEP }, { 0x31A0, CJK }, { 0x31C0, SEP },
        { 0x31F0, CJK }, { 0x3200, SEP }, { 0x33A1, SEP }, { 0x33FF, SEP },
        { 0x3400, CJK }, { 0x4DBF, CJK }, { 0x4DC0, SEP }, { 0x4DFF, SEP },
        { 0x4E00, CJK }, { 0x9FFF, CJK }, { 0xA000, LAT }, { 0xA95F, LAT },
        { 0xA960, CJK }, { 0xA97F, CJK }, { 0xA980, LAT }, { 0xABFF, LAT },
        { 0xAC00, CJK }, { 0xD7A3, CJK }, { 0xD7FF, CJK }, { 0xE000, SEP },
        { 0xF8FF, SEP }, { 0xF900, CJK }, { 0xFAFF, CJK }, { 0xFB00, LAT },
        { 0xFE0F, SEP }, { 0xFE30, SEP }, { 0xFE6F, SEP }, { 0xFE70, LAT },
        { 0xFEFF, SEP }, { 0xFF00, SEP }, { 0xFF01, SEP }, { 0xFF0C, SEP },
        { 0xFF0F, SEP }, { 0xFF10, LAT }, { 0xFF19, LAT }, { 0xFF1A, SEP },
        { 0xFF20, SEP }, { 0xFF21, LAT }, { 0xFF3A, LAT }, { 0xFF3B, SEP },
        { 0xFF40, SEP }, { 0xFF41, LAT }, { 0xFF5A, LAT }, { 0xFF5B, SEP },
        { 0xFF65, SEP }, { 0xFF66, CJK }, { 0xFFDC, CJK }, { 0xFFE5, SEP },
        { 0xFFFD, SEP }, { 0x10000, LAT }, { 0x16FE0, SEP }, { 0x1B000, CJK },
        { 0x1D400, LAT }, { 0x1F000, SEP }, { 0x1F236, SEP }, { 0x1F600, SEP },
        { 0x1FBFF, SEP }, { 0x1FC00, LAT }, { 0x1FFFF, LAT }, { 0x20000, CJK },
        { 0x20BB7, CJK }, { 0x2A6DF, CJK }, { 0x2B740, CJK }, { 0x2F800, CJK },
        { 0x2FA1F, CJK }, { 0x2FA20, SEP }, { 0x2FFFF, SEP }, { 0x30000, CJK },
        { 0x3134F, CJK }, { 0x323AF, CJK }, { 0x323B0, SEP }, { 0xE0001, SEP },
        { 0xE0100, SEP }, { 0xF0000, SEP }, { 0x10FFFF, SEP },
    };
    struct fixture *f = *state;
    struct collector c = { 0 };

    for (size_t i = 0; i < TEST_ARRAY_LEN(cases); i++) {
        char buf[8];
        size_t n = put_utf8(buf, cases[i].cp);

        n += put_utf8(buf + n, cases[i].cp);
        assert_int_equal(tokenize(f, FTS5_TOKENIZE_DOCUMENT, buf, n, &c), SQLITE_OK);
        if (c.calls != cases[i].ntokens)
            fail_msg("U+%04X: %d tokens (%s), want %d", (unsigned)cases[i].cp, c.calls,
                     c.sb.buf, cases[i].ntokens);
        sbuf_release(&c.sb);
    }
}

static char *
repeat(const char *s, size_t n)
{
    size_t len = strlen(s);
    char *p = alloc_malloc(len * n + 1);

    assert_non_null(p);
    for (size_t i = 0; i < n; i++)
        memcpy(p + i * len, s, len);
    p[len * n] = '\0';
    return p;
}

/* Latin tokens stop at 64 bytes, between characters; offsets cover the whole run. */
static void
test_tokenize_long_latin(void **state)
{
    struct fixture *f = *state;
    struct collector c = { 0 };
    char *a64 = repeat("a", 64), *a63 = repeat("a", 63), *e32 = repeat("é", 32);
    char *a70 = repeat("a", 70), *A70 = repeat("A", 70), *e40 = repeat("é", 40);
    char *fw65 = repeat("Ａ", 65);
    char a63e[80], a71b[80], want[256];
    const struct {
        const char *in;
        const char *tok;         /* the expected token, at most 64 bytes */
        const char *rest;        /* what follows ":0:" in the rendering */
    } cases[] = {
        { a70, a64, "70" },
        { A70, a64, "70" },
        { a64, a64, "64" },
        { e40, e32, "80" },
        { fw65, a64, "195" },
        { a63e, a63, "65" },           /* é does not fit after 63 bytes */
        { a71b, a64, "71 b:72:73" },   /* the next token keeps its offsets */
    };

    snprintf(a63e, sizeof(a63e), "%sé", a63);
    snprintf(a71b, sizeof(a71b), "%sa b", a70);
    for (size_t i = 0; i < TEST_ARRAY_LEN(cases); i++) {
        static const int flags[] = { FTS5_TOKENIZE_DOCUMENT, FTS5_TOKENIZE_QUERY };

        snprintf(want, sizeof(want), "%s:0:%s", cases[i].tok, cases[i].rest);
        for (size_t j = 0; j < TEST_ARRAY_LEN(flags); j++) {
            assert_int_equal(tokenize(f, flags[j], cases[i].in, strlen(cases[i].in), &c),
                             SQLITE_OK);
            assert_string_equal(c.sb.buf, want);
            sbuf_release(&c.sb);
        }
    }
    alloc_free(a64);
    alloc_free(a63);
    alloc_free(e32);
    alloc_free(a70);
    alloc_free(A70);
    alloc_free(e40);
    alloc_free(fw65);
}

/* A non-OK return from xToken stops tokenizing and is passed back unchanged. */
static void
test_tokenize_callback_error(void **state)
{
    struct fixture *f = *state;
    struct collector c = { 0 };
    static const char *const inputs[] = { "电梯坏了", "ab cd ef", "电 梯 坏" };

    for (size_t i = 0; i < TEST_ARRAY_LEN(inputs); i++) {
        c.stop_after = 2;
        assert_int_equal(tokenize(f, FTS5_TOKENIZE_DOCUMENT, inputs[i], strlen(inputs[i]), &c),
                         SQLITE_ABORT);
        assert_int_equal(c.calls, 2);
        sbuf_release(&c.sb);
    }
    c.stop_after = 0;
}

static void
test_tokenizer_rejects_options(void **state)
{
    struct fixture *f = *state;

    assert_int_not_equal(sqlite3_exec(f->db,
                                      "CREATE VIRTUAL TABLE bad USING fts5(a, "
                                      "tokenize='kesu_cjk remove_diacritics 1')",
                                      NULL, NULL, NULL),
                         SQLITE_OK);
}

/* The tokenizer instance is allocated through alloc_malloc, so it can fail. */
static void
test_tokenizer_create_nomem(void **state)
{
    struct fixture *f = *state;
    int rc;

    alloc_fail_at(1, 1);
    rc = sqlite3_exec(f->db, "CREATE VIRTUAL TABLE oom USING fts5(a, tokenize='kesu_cjk')",
                      NULL, NULL, NULL);
    alloc_fail_at(0, 0);
    assert_int_not_equal(rc, SQLITE_OK);
    assert_int_equal(sqlite3_exec(f->db,
                                  "CREATE VIRTUAL TABLE oom USING fts5(a, tokenize='kesu_cjk')",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_exec(f->db, "DROP TABLE oom", NULL, NULL, NULL), SQLITE_OK);
}

static void
test_register_twice(void **state)
{
    struct fixture *f = *state;
    struct err e = { 0 };

    assert_int_equal(fts_cjk_register(f->db, &e), 0);
    assert_int_equal(e.code, ERR_OK);
}

struct build_case {
    const char *in;
    size_t len;
    const char *out;
};

#define BC(s, o) { s, sizeof(s) - 1, o }

static const struct build_case build_cases[] = {
    BC("电梯", "\"电梯\""),
    BC("电", "\"电\"*"),
    BC("Elev", "\"Elev\"*"),
    BC("电 kesu", "\"电\"* AND \"kesu\"*"),
    BC("电梯 漏水", "\"电梯\" AND \"漏水\""),
    BC("3栋漏水", "\"3\" AND \"栋漏水\""),        /* digits closed by CJK: exact */
    BC("漏水 3栋", "\"漏水\" AND \"3\" AND \"栋\"*"),
    BC("栋3", "\"栋\"* AND \"3\"*"),              /* digits at the end stay open */
    BC("  电梯，坏了！ ", "\"电梯\" AND \"坏了\""),
    BC("电梯　漏水", "\"电梯\" AND \"漏水\""),
    BC("电\"梯", "\"电\"* AND \"梯\"*"),
    BC("\"电梯\" OR x*", "\"电梯\" AND \"OR\"* AND \"x\"*"),
    BC("\"\"\"a\"\"", "\"a\"*"),
    BC("NEAR(a b, 2)", "\"NEAR\"* AND \"a\"* AND \"b\"* AND \"2\"*"),
    BC("subject:电梯", "\"subject\"* AND \"电梯\""),
    BC("{subject content}:电梯", "\"subject\"* AND \"content\"* AND \"电梯\""),
    BC("-电梯 ^漏水 +a NOT b", "\"电梯\" AND \"漏水\" AND \"a\"* AND \"NOT\"* AND \"b\"*"),
    BC("ＡＢＣ１２３", "\"ＡＢＣ１２３\"*"),
    BC("𠮷野家", "\"𠮷野家\""),
    BC("𠮷", "\"𠮷\"*"),
    BC("😀电梯😀", "\"电梯\""),
    BC("a\0b", "\"a\"* AND \"b\"*"),
    BC("café", "\"café\"*"),
    BC("3栋2单元1202漏水", "\"3\" AND \"栋\"* AND \"2\" AND \"单元\" AND \"1202\" AND \"漏水\""),
};

static void
test_query_build(void **state)
{
    (void)state;
    for (size_t i = 0; i < TEST_ARRAY_LEN(build_cases); i++) {
        struct sbuf out;
        struct err e = { 0 };

        sbuf_init(&out, 4096);
        assert_int_equal(fts_query_build(build_cases[i].in, build_cases[i].len, &out, &e), 0);
        assert_int_equal(e.code, ERR_OK);
        assert_string_equal(out.buf, build_cases[i].out);
        assert_int_equal(out.len, strlen(build_cases[i].out));
        sbuf_release(&out);
    }
}

static void
test_query_build_appends(void **state)
{
    struct sbuf out;
    struct err e = { 0 };

    (void)state;
    sbuf_init(&out, 4096);
    sbuf_adds(&out, "x=");
    assert_int_equal(fts_query_build("电梯", strlen("电梯"), &out, &e), 0);
    assert_string_equal(out.buf, "x=\"电梯\"");
    sbuf_release(&out);
}

struct build_error {
    const char *in;
    size_t len;
    const char *reason;
};

#define BE(s, r) { s, sizeof(s) - 1, r }

static const struct build_error build_errors[] = {
    BE("", "empty"),
    BE("   ", "empty"),
    BE("　\t\n", "empty"),
    BE("，。！？、；：“”（）【】", "empty"),
    BE("\"\"\"", "empty"),
    BE("* ( ) : ^ + - {} ' \\", "empty"),
    BE("😀👍", "empty"),
    BE("\xff", "bad_utf8"),
    BE("电\xe6\xa2", "bad_utf8"),
    BE("\xed\xa0\x80", "bad_utf8"),
    BE("\xc0\xaf", "bad_utf8"),
    BE("\xf4\x90\x80\x80", "bad_utf8"),
    BE("ok \x80 ok", "bad_utf8"),
};

/* Fails with ERR_INVALID on field "q" and leaves `out` exactly as it was. */
static void
expect_build_error(const char *in, size_t len, const char *reason)
{
    struct sbuf out;
    struct err e = { 0 };

    sbuf_init(&out, 1 << 16);
    sbuf_adds(&out, "keep");
    if (fts_query_build(in, len, &out, &e) != -1)
        fail_msg("'%.*s' built as %s", (int)len, in, out.buf);
    assert_int_equal(e.code, ERR_INVALID);
    assert_non_null(e.field);
    assert_string_equal(e.field, "q");
    assert_non_null(e.reason);
    assert_string_equal(e.reason, reason);
    assert_string_equal(out.buf, "keep");
    assert_int_equal(out.len, 4);
    assert_false(out.failed);
    sbuf_release(&out);
}

static void
test_query_build_errors(void **state)
{
    (void)state;
    for (size_t i = 0; i < TEST_ARRAY_LEN(build_errors); i++)
        expect_build_error(build_errors[i].in, build_errors[i].len, build_errors[i].reason);
}

static void
expect_build_ok(const char *in)
{
    struct sbuf out;
    struct err e = { 0 };

    sbuf_init(&out, 1 << 16);
    assert_int_equal(fts_query_build(in, strlen(in), &out, &e), 0);
    assert_int_equal(e.code, ERR_OK);
    sbuf_release(&out);
}

/* Both sides of both limits: 200 characters, 64 parts. */
static void
test_query_build_limits(void **state)
{
    char *s;

    (void)state;
    s = repeat("电", 200);
    expect_build_ok(s);
    alloc_free(s);
    s = repeat("电", 201);
    expect_build_error(s, strlen(s), "too_long");
    alloc_free(s);
    s = repeat(" ", 199);
    s[198] = 'a';
    expect_build_ok(s);
    alloc_free(s);
    s = repeat("，", 201);    /* characters count even when they are not searchable */
    expect_build_error(s, strlen(s), "too_long");
    alloc_free(s);
    s = repeat("a ", 64);     /* 128 characters, 64 parts */
    expect_build_ok(s);
    alloc_free(s);
    s = repeat("a ", 65);     /* 130 characters, 65 parts */
    expect_build_error(s, strlen(s), "too_long");
    alloc_free(s);
    s = repeat("电a", 32);    /* 64 parts without a space */
    expect_build_ok(s);
    alloc_free(s);
    s = repeat("电a", 33);
    expect_build_error(s, strlen(s), "too_long");
    alloc_free(s);
}

/* The header promises at most 1,400 bytes: 200 four-byte characters in 64 parts. */
static void
test_query_build_worst_size(void **state)
{
    char in[1024];
    size_t n = 0, nchars = 0;
    struct sbuf out;
    struct err e = { 0 };

    (void)state;
    /* 63 one-character parts alternating CJK and latin, then one long latin run. */
    for (int i = 0; i < 63; i++, nchars++)
        n += put_utf8(in + n, i % 2 ? 0x10000 : 0x20BB7);    /* 𐀀 (latin), 𠮷 */
    while (nchars < 200) {
        n += put_utf8(in + n, 0x10000 + 1);
        nchars++;
    }
    in[n] = '\0';
    sbuf_init(&out, 1400);
    assert_int_equal(fts_query_build(in, n, &out, &e), 0);
    assert_true(out.len > 1200 && out.len <= 1400);
    sbuf_release(&out);
}

/* Every allocation failure is ERR_NOMEM with `out` unchanged, until one succeeds. */
static void
test_query_build_nomem(void **state)
{
    static const char in[] = "电梯 漏水 3栋2单元1202 elevator";
    bool done = false;

    (void)state;
    for (unsigned long n = 1; !done && n < 100; n++) {
        struct sbuf out;
        struct err e = { 0 };
        int rc;

        sbuf_init(&out, 1 << 16);
        sbuf_adds(&out, "keep");
        alloc_fail_at(n, 0);
        rc = fts_query_build(in, sizeof(in) - 1, &out, &e);
        alloc_fail_at(0, 0);
        if (rc == 0) {
            assert_string_equal(out.buf, "keep\"电梯\" AND \"漏水\" AND \"3\" AND \"栋\"* AND "
                                         "\"2\" AND \"单元\" AND \"1202\"* AND \"elevator\"*");
            done = true;
        } else {
            assert_int_equal(e.code, ERR_NOMEM);
            assert_string_equal(e.reason, "nomem");
            assert_string_equal(out.buf, "keep");
            assert_false(out.failed);
        }
        sbuf_release(&out);
    }
    assert_true(done);
}

static void
test_query_build_out_cap(void **state)
{
    struct sbuf out;
    struct err e = { 0 };

    (void)state;
    sbuf_init(&out, 8);
    assert_int_equal(fts_query_build("电梯 漏水", strlen("电梯 漏水"), &out, &e), -1);
    assert_int_equal(e.code, ERR_TOO_LARGE);
    assert_string_equal(e.reason, "too_long");
    assert_int_equal(out.len, 0);
    assert_false(out.failed);
    sbuf_release(&out);
}

/* The table the store creates, with an external content table beside it. */
static void
make_complaints(sqlite3 *db)
{
    static const struct { int id; const char *subject, *content; } docs[] = {
        { 1, "电梯坏了三天", "没人来修" },
        { 2, "3栋2单元1202漏水", "卫生间漏水严重" },
        { 3, "噪音", "楼上噪音很大，晚上睡不着" },
        { 4, "Elevator broken", "The ELEVATOR in block 5 is broken again" },
        { 5, "𠮷野家外卖", "送餐太慢" },
        { 6, "𠮷", "只有一个字" },
        { 7, "小区电梯经常停运", "" },
        { 8, "楼梯灯不亮", "" },
        { 9, "水管坏了", "" },
        { 10, "5栋漏水", "" },
        { 11, "停电，梯子倒", "" },
        { 12, "房间12345", "ｗｉｆｉ信号差" },
    };
    sqlite3_stmt *a = NULL, *b = NULL;

    assert_int_equal(sqlite3_exec(db,
                                  "CREATE TABLE complaints(id INTEGER PRIMARY KEY, subject, "
                                  "content, demands, extra);"
                                  "CREATE VIRTUAL TABLE complaint_fts USING fts5(subject, "
                                  "content, demands, extra, content='complaints', "
                                  "content_rowid='id', tokenize='kesu_cjk', prefix='3');",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "INSERT INTO complaints(id, subject, content, demands,"
                                        " extra) VALUES (?1, ?2, ?3, '', '')",
                                        -1, &a, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "INSERT INTO complaint_fts(rowid, subject, content, "
                                        "demands, extra) VALUES (?1, ?2, ?3, '', '')",
                                        -1, &b, NULL),
                     SQLITE_OK);
    for (size_t i = 0; i < TEST_ARRAY_LEN(docs); i++) {
        sqlite3_stmt *st[] = { a, b };

        for (size_t j = 0; j < 2; j++) {
            sqlite3_bind_int(st[j], 1, docs[i].id);
            sqlite3_bind_text(st[j], 2, docs[i].subject, -1, SQLITE_STATIC);
            sqlite3_bind_text(st[j], 3, docs[i].content, -1, SQLITE_STATIC);
            assert_int_equal(sqlite3_step(st[j]), SQLITE_DONE);
            sqlite3_reset(st[j]);
        }
    }
    sqlite3_finalize(a);
    sqlite3_finalize(b);
}

/* Rowids matching what a user typed, newest first, as "11 8 7". */
static void
search(sqlite3 *db, const char *q, int limit, struct sbuf *ids)
{
    struct sbuf expr;
    struct err e = { 0 };
    sqlite3_stmt *st = NULL;
    int rc;

    sbuf_init(&expr, 4096);
    sbuf_reset(ids);
    if (fts_query_build(q, strlen(q), &expr, &e) < 0)
        fail_msg("fts_query_build(%s): %s", q, e.detail);
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT rowid FROM complaint_fts WHERE complaint_fts "
                                        "MATCH ?1 ORDER BY rowid DESC LIMIT ?2",
                                        -1, &st, NULL),
                     SQLITE_OK);
    sqlite3_bind_text(st, 1, expr.buf, (int)expr.len, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, limit);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        sbuf_addf(ids, "%s%lld", ids->len ? " " : "", (long long)sqlite3_column_int64(st, 0));
    if (rc != SQLITE_DONE)
        fail_msg("MATCH %s: %s", expr.buf, sqlite3_errmsg(db));
    sqlite3_finalize(st);
    sbuf_release(&expr);
}

static void
test_search_end_to_end(void **state)
{
    static const struct { const char *q; int limit; const char *ids; } cases[] = {
        { "电梯", 20, "7 1" },           /* 11 has 电，梯: no bigram across punctuation */
        { "梯", 20, "11 8 7 1" },        /* one character, inside and at the start of runs */
        { "梯", 2, "11 8" },
        { "了", 20, "9 1" },             /* 9 has 了 only as the final character */
        { "电", 20, "11 7 1" },          /* 11 has 电 only as the final character */
        { "电梯坏", 20, "1" },
        { "坏了三天", 20, "1" },
        { "漏水 3栋", 20, "2" },         /* 10 has 漏水 and 栋 but no 3 */
        { "漏水", 20, "10 2" },
        { "水", 20, "10 9 2" },
        { "elev", 20, "4" },
        { "ELEV", 20, "4" },
        { "ｅｌｅｖ", 20, "4" },
        { "broken again", 20, "4" },
        { "1202", 20, "2" },
        { "1234", 20, "12" },
        { "wifi", 20, "12" },
        { "𠮷", 20, "6 5" },
        { "𠮷野", 20, "5" },
        { "𠮷野家外卖", 20, "5" },
        { "噪音 睡不着", 20, "3" },
        { "“噪音”，（睡不着）", 20, "3" },
        { "梯电", 20, "" },
        { "坏电", 20, "" },
        { "电梯坏了四天", 20, "" },
        { "broken 电梯", 20, "" },
        { "2345", 20, "" },              /* latin terms match from the start of a word */
        { "\"电梯\" OR 噪音", 20, "" },   /* OR is a word to find, not an operator */
    };
    struct fixture *f = *state;
    struct sbuf ids;

    make_complaints(f->db);
    sbuf_init(&ids, 4096);
    for (size_t i = 0; i < TEST_ARRAY_LEN(cases); i++) {
        search(f->db, cases[i].q, cases[i].limit, &ids);
        if (strcmp(ids.buf, cases[i].ids) != 0)
            fail_msg("search '%s': got [%s], want [%s]", cases[i].q, ids.buf, cases[i].ids);
    }
    sbuf_release(&ids);
    assert_int_equal(sqlite3_exec(f->db, "DROP TABLE complaint_fts; DROP TABLE complaints",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
}

/*
 * For hostile inputs, the built expression must parse, and a document holding
 * the very text typed must be found by it.
 */
static void
test_search_finds_own_text(void **state)
{
    static const char *const inputs[] = {
        "电梯", "电", "\"", "电\"梯\"", "a\" OR \"b", "NEAR(电梯 漏水, 0)", "x:y", "^a",
        "*a*", "(((电梯", "电梯)", "AND", "OR OR", "NOT 电梯", "{a b}:c", "a + b",
        "-a", "'a'", "电梯\\", "\"\"电梯\"\"", "𠮷", "𠮷野家", "ＡＢＣ", "Ünïcödé",
        "e\xcc\x81", "3栋2单元1202漏水", "电梯，坏了！", "a\x01" "b",
    };
    struct fixture *f = *state;
    sqlite3_stmt *ins = NULL, *sel = NULL;

    assert_int_equal(sqlite3_exec(f->db,
                                  "CREATE VIRTUAL TABLE own USING fts5(t, "
                                  "tokenize='kesu_cjk', prefix='3')",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(f->db, "INSERT INTO own(rowid, t) VALUES (1, ?1)",
                                        -1, &ins, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(f->db, "SELECT rowid FROM own WHERE own MATCH ?1",
                                        -1, &sel, NULL),
                     SQLITE_OK);
    for (size_t i = 0; i < TEST_ARRAY_LEN(inputs); i++) {
        struct sbuf expr;
        struct err e = { 0 };

        assert_int_equal(sqlite3_exec(f->db, "DELETE FROM own", NULL, NULL, NULL), SQLITE_OK);
        sqlite3_bind_text(ins, 1, inputs[i], -1, SQLITE_STATIC);
        assert_int_equal(sqlite3_step(ins), SQLITE_DONE);
        sqlite3_reset(ins);
        sbuf_init(&expr, 4096);
        if (fts_query_build(inputs[i], strlen(inputs[i]), &expr, &e) < 0) {
            assert_string_equal(e.reason, "empty");
            sbuf_release(&expr);
            continue;
        }
        sqlite3_bind_text(sel, 1, expr.buf, (int)expr.len, SQLITE_STATIC);
        if (sqlite3_step(sel) != SQLITE_ROW)
            fail_msg("'%s' as %s: %s", inputs[i], expr.buf, sqlite3_errmsg(f->db));
        assert_int_equal(sqlite3_column_int64(sel, 0), 1);
        assert_int_equal(sqlite3_step(sel), SQLITE_DONE);
        sqlite3_reset(sel);
        sbuf_release(&expr);
    }
    sqlite3_finalize(ins);
    sqlite3_finalize(sel);
    assert_int_equal(sqlite3_exec(f->db, "DROP TABLE own", NULL, NULL, NULL), SQLITE_OK);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tokenize_modes),
        cmocka_unit_test(test_tokenize_classes),
        cmocka_unit_test(test_tokenize_long_latin),
        cmocka_unit_test(test_tokenize_callback_error),
        cmocka_unit_test(test_tokenizer_rejects_options),
        cmocka_unit_test(test_tokenizer_create_nomem),
        cmocka_unit_test(test_register_twice),
        cmocka_unit_test(test_query_build),
        cmocka_unit_test(test_query_build_appends),
        cmocka_unit_test(test_query_build_errors),
        cmocka_unit_test(test_query_build_limits),
        cmocka_unit_test(test_query_build_worst_size),
        cmocka_unit_test(test_query_build_nomem),
        cmocka_unit_test(test_query_build_out_cap),
        cmocka_unit_test(test_search_end_to_end),
        cmocka_unit_test(test_search_finds_own_text),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
