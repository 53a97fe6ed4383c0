#ifndef KESU_UTIL_SBUF_H
#define KESU_UTIL_SBUF_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Growable string buffer with a cap. `buf` is never NULL after sbuf_init and
 * always NUL-terminated. Failure is sticky (`failed`): append twenty pieces,
 * check once. Heap memory, from alloc_malloc: release it with sbuf_release or
 * take it with sbuf_detach.
 */
struct sbuf {
    char *buf;     /* never NULL after sbuf_init; always NUL-terminated */
    size_t len;    /* bytes used, excluding the NUL */
    size_t cap;    /* bytes allocated (0 while buf points at the shared empty string) */
    size_t max;    /* appends that would make len exceed this fail */
    bool failed;   /* sticky: an append failed (no memory or over max) */
    bool over_max; /* the failure was the cap, not memory */
};

void sbuf_init(struct sbuf *sb, size_t max);
void sbuf_release(struct sbuf *sb);
void sbuf_reset(struct sbuf *sb);
/* Returns the buffer, which the caller frees with alloc_free(); sb is re-initialised. */
char *sbuf_detach(struct sbuf *sb, size_t *len_out);

int sbuf_add(struct sbuf *sb, const void *p, size_t n);
int sbuf_adds(struct sbuf *sb, const char *s);
int sbuf_addc(struct sbuf *sb, char c);
int sbuf_addf(struct sbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
