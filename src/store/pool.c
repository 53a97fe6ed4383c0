#include "store/pool.h"
#include "util/alloc.h"

#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <time.h>

struct store_pool {
    char *url;
    pthread_mutex_t lock;
    pthread_cond_t freed;
    size_t size;           /* most connections */
    int timeout_ms;        /* longest wait in store_pool_get */
    size_t opened;
    size_t n_idle;
    struct store **idle;   /* size slots */
};

struct store_pool *
store_pool_new(const char *url, size_t size, struct err *e)
{
    return store_pool_new_timeout(url, size, 5000, e);
}

struct store_pool *
store_pool_new_timeout(const char *url, size_t size, int timeout_ms, struct err *e)
{
    struct store_pool *p = alloc_malloc(sizeof(*p));

    if (p == NULL)
        goto nomem;
    memset(p, 0, sizeof(*p));
    p->size = size ? size : 1;
    p->timeout_ms = timeout_ms > 0 ? timeout_ms : 0;
    p->url = alloc_malloc(strlen(url) + 1);
    p->idle = alloc_malloc(p->size * sizeof(*p->idle));
    if (p->url == NULL || p->idle == NULL) {
        alloc_free(p->url);
        alloc_free(p->idle);
        alloc_free(p);
        goto nomem;
    }
    memcpy(p->url, url, strlen(url) + 1);
    pthread_mutex_init(&p->lock, NULL);
    pthread_cond_init(&p->freed, NULL);
    return p;
nomem:
    err_set(e, ERR_NOMEM, NULL, "nomem", "store pool");
    return NULL;
}

struct store *
store_pool_get(struct store_pool *p, struct err *e)
{
    struct timespec until;
    struct store *st;

    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += p->timeout_ms / 1000;
    until.tv_nsec += (long)(p->timeout_ms % 1000) * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&p->lock);
    for (;;) {
        if (p->n_idle > 0) {
            st = p->idle[--p->n_idle];
            pthread_mutex_unlock(&p->lock);
            return st;
        }
        if (p->opened < p->size) {
            p->opened++;
            pthread_mutex_unlock(&p->lock);
            st = store_open(p->url, e);
            if (st == NULL) {
                pthread_mutex_lock(&p->lock);
                p->opened--;
                pthread_cond_signal(&p->freed);
                pthread_mutex_unlock(&p->lock);
            }
            return st;
        }
        if (pthread_cond_timedwait(&p->freed, &p->lock, &until) == ETIMEDOUT) {
            pthread_mutex_unlock(&p->lock);
            err_set(e, ERR_BUSY, NULL, "busy", "no read connection free for %d ms",
                    p->timeout_ms);
            return NULL;
        }
    }
}

void
store_pool_put(struct store_pool *p, struct store *st)
{
    if (st == NULL)
        return;
    pthread_mutex_lock(&p->lock);
    p->idle[p->n_idle++] = st;
    pthread_cond_signal(&p->freed);
    pthread_mutex_unlock(&p->lock);
}

void
store_pool_free(struct store_pool *p)
{
    if (p == NULL)
        return;
    for (size_t i = 0; i < p->n_idle; i++)
        store_close(p->idle[i]);
    pthread_mutex_destroy(&p->lock);
    pthread_cond_destroy(&p->freed);
    alloc_free(p->idle);
    alloc_free(p->url);
    alloc_free(p);
}
