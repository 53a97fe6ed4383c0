#ifndef KESU_UTIL_ARENA_H
#define KESU_UTIL_ARENA_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Bump allocator, freed all at once. One per request (or job); everything a
 * request parses, loads and renders comes from it, so a handler never frees.
 * `limit` caps the bytes handed out: past it arena_alloc() returns NULL and
 * the request fails with ERR_TOO_LARGE (or ERR_NOMEM when malloc itself fails).
 */
struct arena;

struct arena *arena_new(size_t limit);
void arena_free(struct arena *a);            /* arena_free(NULL) is a no-op */
void arena_reset(struct arena *a);           /* keeps the first block */

/* Aligned to 16 bytes. NULL past the limit or when memory runs out. */
void *arena_alloc(struct arena *a, size_t n);
void *arena_zalloc(struct arena *a, size_t n);
/* Copy `n` bytes and a NUL. */
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_strdup(struct arena *a, const char *s);
/* printf into the arena. */
char *arena_printf(struct arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/*
 * Make room for one more element in an array that lives in the arena:
 * returns `items` when `count < *cap`, else a copy with twice the room
 * (16 elements at first) and updates *cap. NULL when out of room.
 */
void *arena_grow(struct arena *a, void *items, size_t count, size_t *cap, size_t elem_size);

/* True when the last failure was the limit, not malloc. */
bool arena_over_limit(const struct arena *a);
size_t arena_used(const struct arena *a);

#endif
