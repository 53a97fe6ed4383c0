/*
 * Fuzz the request line's path: percent-decoding and routing. A path that
 * decodes is valid UTF-8 without NUL; a route found has its parameters set
 * and non-empty; a miss always says why.
 */
#include "http/handlers.h"
#include "util/utf8.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct arena *a = arena_new(1 << 20);
    char *raw = malloc(size ? size : 1);
    struct err e = { 0 };
    const char *params[HTTP_PARAMS_MAX] = { NULL };
    char allow[64];
    char *path;

    assert(a != NULL && raw != NULL);
    if (size > 0)
        memcpy(raw, data, size);
    path = http_path_decode(raw, size, a, &e);
    if (path == NULL) {
        assert(e.code != ERR_OK);
    } else {
        size_t n = strlen(path);
        assert(n <= size);
        assert(utf8_is_valid(path, n));
        for (int m = HTTP_GET; m <= HTTP_OTHER; m++) {
            const struct route *r;
            struct err re = { 0 };
            memset(params, 0, sizeof(params));
            r = http_route_find((enum http_method)m, path, params, allow, sizeof(allow), &re);
            if (r == NULL) {
                assert(re.code == ERR_NOT_FOUND || re.code == ERR_METHOD);
                assert(strlen(allow) < sizeof(allow));
                continue;
            }
            for (const char *p = strchr(r->pattern, ':'); p != NULL; p = strchr(p + 1, ':')) {
                size_t i = 0;
                for (const char *q = r->pattern; q < p; q++)
                    i += *q == ':';
                assert(params[i] != NULL && params[i][0] != '\0');
                assert(strchr(params[i], '/') == NULL);
            }
        }
    }
    free(raw);
    arena_free(a);
    return 0;
}
