#ifndef KESU_STORE_FTS_H
#define KESU_STORE_FTS_H

#include <stddef.h>

#include "util/err.h"
#include "util/sbuf.h"

/*
 * Full-text search for Chinese and latin text: an SQLite FTS5 tokenizer
 * ("kesu_cjk") and the builder of MATCH expressions that goes with it.
 *
 * Document tokens (FTS5_TOKENIZE_DOCUMENT / AUX):
 *   - latin letters and digits: maximal runs of [A-Za-z0-9] (and other
 *     non-CJK letters/digits), ASCII folded to lower case, one token per run;
 *   - CJK text (Han incl. extensions A-G such as U+20BB7 𠮷, compatibility
 *     ideographs, kana, hangul): a run of n CJK characters gives, at positions
 *     0..n-2, the bigram of characters i and i+1, and at position n-1 the
 *     single final character (so a run of 1 gives that one character);
 *   - everything else (white space, ASCII and CJK punctuation such as
 *     ，。！？、；：“”（）【】, symbols, emoji) separates tokens.
 * Query tokens (FTS5_TOKENIZE_QUERY): the same, except that a CJK run of n >= 2
 * gives only its n-1 bigrams (no final single character), so a quoted
 * phrase of bigrams matches consecutive document positions.
 *
 * Every character of a CJK run is the first character of some document token
 * (a bigram or the final single), so a one-character query is a prefix query.
 */

/* Register the tokenizer on a connection (call once per sqlite3 *). */
struct sqlite3;
int fts_cjk_register(struct sqlite3 *db, struct err *e);

/*
 * Turn what a user typed into the search box into an FTS5 MATCH expression
 * that finds rows whose text contains every term:
 *   - terms are separated by white space (ASCII or U+3000);
 *   - within a term, each CJK run of >= 2 characters becomes a quoted phrase
 *     ("漏水"), a single CJK character and each latin/digit run a quoted prefix
 *     query ("电"* , "elev"*); the parts of a term and all terms are joined
 *     with AND;
 *   - punctuation and symbols are ignored; quotes in the input can never
 *     break out of a phrase.
 * Appends to `out`. Fails with ERR_INVALID (field "q"): reason "bad_utf8",
 * "empty" (nothing searchable left), "too_long" (more than 64 terms or
 * 200 characters).
 */
int fts_query_build(const char *text, size_t len, struct sbuf *out, struct err *e);

#endif
