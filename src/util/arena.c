#include "util/arena.h"
#include "util/alloc.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define ARENA_ALIGN 16
#define ARENA_BLOCK 16384

struct block {
    struct block *next;
    size_t size;    /* usable bytes in data */
    size_t used;
    _Alignas(ARENA_ALIGN) unsigned char data[];
};

struct arena {
    struct block *head;  /* current block; older ones follow */
    size_t limit;        /* most bytes handed out */
    size_t handed;       /* bytes handed out since the last reset */
    bool over_limit;
};

static struct block *
block_new(size_t size)
{
    struct block *b = alloc_malloc(sizeof(*b) + size);

    if (b == NULL)
        return NULL;
    b->next = NULL;
    b->size = size;
    b->used = 0;
    return b;
}

struct arena *
arena_new(size_t limit)
{
    struct arena *a = alloc_malloc(sizeof(*a));

    if (a == NULL)
        return NULL;
    a->head = block_new(ARENA_BLOCK);
    if (a->head == NULL) {
        alloc_free(a);
        return NULL;
    }
    a->limit = limit;
    a->handed = 0;
    a->over_limit = false;
    return a;
}

static void
free_blocks(struct block *b)
{
    while (b != NULL) {
        struct block *next = b->next;
        alloc_free(b);
        b = next;
    }
}

void
arena_free(struct arena *a)
{
    if (a == NULL)
        return;
    free_blocks(a->head);
    alloc_free(a);
}

void
arena_reset(struct arena *a)
{
    struct block *first = a->head;

    /* keep the oldest block, which is the standard size */
    while (first->next != NULL)
        first = first->next;
    if (first != a->head) {
        struct block *b = a->head;
        while (b != first) {
            struct block *next = b->next;
            alloc_free(b);
            b = next;
        }
    }
    first->used = 0;
    a->head = first;
    a->handed = 0;
    a->over_limit = false;
}

void *
arena_alloc(struct arena *a, size_t n)
{
    size_t need = (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
    struct block *b = a->head;
    void *p;

    if (need < n || a->handed + need > a->limit || a->handed + need < a->handed) {
        a->over_limit = true;
        return NULL;
    }
    if (b->size - b->used < need) {
        size_t size = need > ARENA_BLOCK ? need : ARENA_BLOCK;
        struct block *nb = block_new(size);
        if (nb == NULL)
            return NULL;
        nb->next = b;
        a->head = b = nb;
    }
    p = b->data + b->used;
    b->used += need;
    a->handed += need;
    return p;
}

void *
arena_zalloc(struct arena *a, size_t n)
{
    void *p = arena_alloc(a, n);

    if (p != NULL)
        memset(p, 0, n);
    return p;
}

char *
arena_strndup(struct arena *a, const char *s, size_t n)
{
    char *p = arena_alloc(a, n + 1);

    if (p == NULL)
        return NULL;
    if (n > 0)
        memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *
arena_strdup(struct arena *a, const char *s)
{
    return arena_strndup(a, s, strlen(s));
}

char *
arena_printf(struct arena *a, const char *fmt, ...)
{
    va_list ap;
    int n;
    char *p;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return NULL;
    p = arena_alloc(a, (size_t)n + 1);
    if (p == NULL)
        return NULL;
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}

void *
arena_grow(struct arena *a, void *items, size_t count, size_t *cap, size_t elem_size)
{
    size_t ncap = *cap ? *cap * 2 : 16;
    void *grown;

    if (count < *cap)
        return items;
    if (ncap < *cap || ncap > SIZE_MAX / elem_size)
        return NULL;
    grown = arena_alloc(a, ncap * elem_size);
    if (grown == NULL)
        return NULL;
    if (count > 0)
        memcpy(grown, items, count * elem_size);
    *cap = ncap;
    return grown;
}

bool
arena_over_limit(const struct arena *a)
{
    return a->over_limit;
}

size_t
arena_used(const struct arena *a)
{
    return a->handed;
}
