#include "util/sbuf.h"
#include "util/alloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static char sbuf_empty[1];

void
sbuf_init(struct sbuf *sb, size_t max)
{
    sb->buf = sbuf_empty;
    sb->len = 0;
    sb->cap = 0;
    sb->max = max;
    sb->failed = false;
    sb->over_max = false;
}

void
sbuf_release(struct sbuf *sb)
{
    if (sb->cap > 0)
        alloc_free(sb->buf);
    sbuf_init(sb, sb->max);
}

void
sbuf_reset(struct sbuf *sb)
{
    sb->len = 0;
    sb->buf[0] = '\0';
    sb->failed = false;
    sb->over_max = false;
}

char *
sbuf_detach(struct sbuf *sb, size_t *len_out)
{
    char *p = sb->buf;

    if (len_out != NULL)
        *len_out = sb->len;
    if (sb->cap == 0) {
        p = alloc_malloc(1);
        if (p != NULL)
            p[0] = '\0';
    }
    sbuf_init(sb, sb->max);
    return p;
}

static int
grow(struct sbuf *sb, size_t extra)
{
    size_t want, cap;
    char *p;

    if (sb->failed)
        return -1;
    if (extra > sb->max || sb->len > sb->max - extra) {
        sb->failed = sb->over_max = true;
        return -1;
    }
    want = sb->len + extra + 1;
    if (want <= sb->cap)
        return 0;
    cap = sb->cap ? sb->cap : 64;
    while (cap < want)
        cap = cap * 2 > cap ? cap * 2 : want;
    p = alloc_realloc(sb->cap ? sb->buf : NULL, cap);
    if (p == NULL) {
        sb->failed = true;
        return -1;
    }
    if (sb->cap == 0)
        p[0] = '\0';
    sb->buf = p;
    sb->cap = cap;
    return 0;
}

int
sbuf_add(struct sbuf *sb, const void *p, size_t n)
{
    if (grow(sb, n) < 0)
        return -1;
    if (n > 0)
        memcpy(sb->buf + sb->len, p, n);
    sb->len += n;
    sb->buf[sb->len] = '\0';
    return 0;
}

int
sbuf_adds(struct sbuf *sb, const char *s)
{
    return sbuf_add(sb, s, strlen(s));
}

int
sbuf_addc(struct sbuf *sb, char c)
{
    return sbuf_add(sb, &c, 1);
}

int
sbuf_addf(struct sbuf *sb, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || grow(sb, (size_t)n) < 0)
        return sb->failed = true, -1;
    va_start(ap, fmt);
    vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    sb->len += (size_t)n;
    return 0;
}
