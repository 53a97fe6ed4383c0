#include "util/alloc.h"

#include <jansson.h>
#include <stdatomic.h>
#include <stdlib.h>

static atomic_ulong calls;      /* allocations since the last alloc_fail_at() */
static atomic_ulong fail_at;    /* 0: never fail */
static atomic_int fail_sticky;

static int
should_fail(void)
{
    unsigned long at = atomic_load(&fail_at);
    unsigned long n;

    if (at == 0)
        return 0;
    n = atomic_fetch_add(&calls, 1) + 1;
    return n == at || (n > at && atomic_load(&fail_sticky));
}

void *
alloc_malloc(size_t n)
{
    if (should_fail())
        return NULL;
    return malloc(n ? n : 1);
}

void *
alloc_realloc(void *p, size_t n)
{
    if (should_fail())
        return NULL;
    return realloc(p, n ? n : 1);
}

void
alloc_free(void *p)
{
    free(p);
}

unsigned long
alloc_fail_at(unsigned long n, int sticky)
{
    unsigned long before = atomic_exchange(&calls, 0);

    atomic_store(&fail_sticky, sticky);
    atomic_store(&fail_at, n);
    return before;
}

void
alloc_setup_json(void)
{
    json_set_alloc_funcs(alloc_malloc, alloc_free);
}
