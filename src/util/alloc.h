#ifndef KESU_UTIL_ALLOC_H
#define KESU_UTIL_ALLOC_H

#include <stddef.h>

/*
 * The project's allocator. All of kesu's own heap memory (arenas, sbufs, JSON
 * values through jansson) goes through here, so that tests can make the Nth
 * allocation fail and prove every caller turns that into ERR_NOMEM.
 */
void *alloc_malloc(size_t n);
void *alloc_realloc(void *p, size_t n);
void alloc_free(void *p);

/*
 * Test hook: make the `n`th allocation from now fail (1 = the next one), and
 * every later one too while `sticky`; 0 turns failure off. Returns how many
 * allocations happened since the last call.
 */
unsigned long alloc_fail_at(unsigned long n, int sticky);

/* Route jansson's allocations through alloc_malloc/alloc_free. */
void alloc_setup_json(void);

#endif
