#ifndef KESU_STORE_FTS_H
#define KESU_STORE_FTS_H

#include <stddef.h>

#include "util/err.h"
#include "util/sbuf.h"

/*
 * Full-text search for Chinese and latin text: an SQLite FTS5 tokenizer
 * ("kesu_cjk") and the builder of MATCH expressions that goes with it.
 *
 * Every input character is one of three kinds:
 *   - CJK: Han (U+3400-4DBF, U+4E00-9FFF, compatibility U+F900-FAFF,
 *     extensions B-H U+20000-2FA1F and U+30000-323AF such as U+20BB7 𠮷,
 *     radicals U+2E80-2FDF, 々〆〇), kana (U+3040-30FF except ゠ and the
 *     middle dot ・), bopomofo, hangul (syllables and jamo), and halfwidth
 *     katakana and hangul (U+FF66-FFDC);
 *   - latin: ASCII letters and digits, fullwidth ones (ＡＢＣ１２３) folded
 *     to ASCII, and letters of other alphabets (é, ß, Cyrillic, combining
 *     accents), which are kept as written;
 *   - separator: everything else: white space (incl. U+3000), ASCII and CJK
 *     punctuation such as ，。！？、；：“”（）【】・·, symbols (℃ ① ㎡),
 *     emoji, private use, and each byte of invalid UTF-8.
 *
 * Document tokens (FTS5_TOKENIZE_DOCUMENT / AUX), in text order:
 *   - a maximal latin run gives one token, ASCII folded to lower case; the
 *     token is cut after at most 64 bytes (between characters) while its
 *     offsets still cover the whole run;
 *   - a CJK run of n characters gives, at positions 0..n-2, the bigram of
 *     characters i and i+1, and at position n-1 the single final character
 *     (so a run of 1 gives that one character);
 *   - a latin run and a CJK run next to each other need no separator:
 *     "3栋" is "3" then "栋".
 * Query tokens (FTS5_TOKENIZE_QUERY, with or without PREFIX): the same,
 * except that a CJK run of n >= 2 gives only its n-1 bigrams (no final single
 * character), so a quoted phrase of bigrams matches consecutive document
 * positions.
 *
 * Every character of a CJK run is the first character of some document token
 * (a bigram or the final single), so a one-character query is a prefix query.
 * Such a query merges every term that starts with the character, which grows
 * with the table, unless the table has a prefix index for length 1: create
 * it with prefix='1 3' (measured on 100k complaints of 100 characters: "电"*
 * newest 20 in 0.04 ms instead of 7.7 ms; index 1.7 times larger; inserts
 * about 35% slower). The same holds for one-character latin parts ("3"*).
 *
 * The tokenizer takes no options and keeps no state: it is safe on any number
 * of connections in any number of threads.
 */

/*
 * Register the tokenizer as "kesu_cjk" on a connection; call once per
 * sqlite3 * (calling again is harmless). Fails with ERR_STORE when this
 * SQLite has no FTS5.
 */
struct sqlite3;
int fts_cjk_register(struct sqlite3 *db, struct err *e);

/*
 * Turn what a user typed into the search box into an FTS5 MATCH expression
 * that finds rows whose text contains every part:
 *   - the parts are the latin and CJK runs of the text; white space and
 *     punctuation only separate them;
 *   - a CJK run of >= 2 characters becomes a quoted phrase ("漏水"), a single
 *     CJK character and each latin run a quoted prefix query ("电"*,
 *     "elev"*); all parts are joined with AND:
 *       3栋 漏水   ->  "3"* AND "栋"* AND "漏水"
 *       3栋漏水    ->  "3"* AND "栋漏水"
 *   - quotes and FTS5 operators in the text (" * ^ : + - ( ) NEAR) are
 *     punctuation or plain words: a part never contains '"', so the result is
 *     always one valid expression of quoted strings.
 * Appends at most 1,400 bytes to `out`. Fails with ERR_INVALID (field "q"):
 * reason "bad_utf8"; "too_long" (more than 200 characters, counting spaces
 * and punctuation, or more than 64 parts); "empty" (nothing searchable).
 * Fails with ERR_TOO_LARGE when `out` reaches its max and ERR_NOMEM when it
 * cannot grow. On failure `out` is left as it was.
 */
int fts_query_build(const char *text, size_t len, struct sbuf *out, struct err *e);

#endif
