/*
 * The web front end's files (issue 6): the staff workspace at / and the
 * customer portal at /portal, served by kesu itself so that a deployment is
 * one binary and works without any outside server or CDN.
 *
 * The files are linked in at build time (build/gen/web_assets.S, made by
 * scripts/embed-web.sh from web/). With `web_root` set they are read from
 * that directory at every request instead, so a front-end change shows on
 * reload without a rebuild.
 *
 * Every file is revalidated (Cache-Control: no-cache) against a strong ETag,
 * a digest of its bytes: a new build is never hidden by a stale cache, and
 * an unchanged file costs a 304.
 */
#include "http/handlers.h"
#include "util/alloc.h"
#include "util/config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct web_asset {
    const char *path;                  /* "/index.html" */
    const unsigned char *start, *end;
};

/* build/gen/web_assets.S */
extern const struct web_asset kesu_web_assets[];
extern const unsigned long kesu_web_assets_count;

#define ETAG_BYTES 12
#define ETAG_TEXT (2 * ETAG_BYTES + 3)   /* quoted hex and NUL */
#define STATIC_FILE_MAX (16u * 1024 * 1024)
#define STATIC_ASSETS_MAX 512

static char embedded_etags[STATIC_ASSETS_MAX][ETAG_TEXT];
static pthread_once_t etags_once = PTHREAD_ONCE_INIT;

static void
etag_of(const unsigned char *p, size_t n, char out[ETAG_TEXT])
{
    unsigned char d[ETAG_BYTES];
    char hex[2 * ETAG_BYTES + 1];

    crypto_generichash(d, sizeof(d), p, n, NULL, 0);
    sodium_bin2hex(hex, sizeof(hex), d, sizeof(d));
    snprintf(out, ETAG_TEXT, "\"%s\"", hex);
}

static void
etags_compute(void)
{
    for (unsigned long i = 0; i < kesu_web_assets_count && i < STATIC_ASSETS_MAX; i++)
        etag_of(kesu_web_assets[i].start,
                (size_t)(kesu_web_assets[i].end - kesu_web_assets[i].start), embedded_etags[i]);
}

static const char *
content_type_of(const char *path)
{
    static const struct { const char *ext, *type; } types[] = {
        { ".html", "text/html; charset=utf-8" },
        { ".js", "text/javascript; charset=utf-8" },
        { ".mjs", "text/javascript; charset=utf-8" },
        { ".css", "text/css; charset=utf-8" },
        { ".json", "application/json; charset=utf-8" },
        { ".webmanifest", "application/manifest+json; charset=utf-8" },
        { ".svg", "image/svg+xml" },
        { ".png", "image/png" },
        { ".ico", "image/x-icon" },
        { ".woff2", "font/woff2" },
        { ".txt", "text/plain; charset=utf-8" },
    };
    const char *dot = strrchr(path, '.');

    for (size_t i = 0; dot != NULL && i < sizeof(types) / sizeof(types[0]); i++)
        if (strcmp(dot, types[i].ext) == 0)
            return types[i].type;
    return "application/octet-stream";
}

/* "/" is the workspace, "/portal" the customer portal; other paths name files. */
static const char *
file_path(const char *path)
{
    if (strcmp(path, "/") == 0)
        return "/index.html";
    if (strcmp(path, "/portal") == 0 || strcmp(path, "/portal/") == 0)
        return "/portal.html";
    return path;
}

/* Names a file could have in web/: no dot files, no "..", nothing odd. */
static bool
path_acceptable(const char *p)
{
    size_t n = strlen(p);

    if (n < 2 || n > 200 || p[0] != '/' || strstr(p, "/.") != NULL || strstr(p, "//") != NULL)
        return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        if (!(c == '/' || c == '.' || c == '-' || c == '_' || (c >= '0' && c <= '9') ||
              (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')))
            return false;
    }
    return true;
}

static int
not_found(struct err *e)
{
    return err_set(e, ERR_NOT_FOUND, "path", "not_found", "no such page or file");
}

static int
reply_file(struct req *r, const char *path, const char *etag, const unsigned char *bytes,
           size_t len, bool owned, struct err *e)
{
    const char *match = http_header(r, "If-None-Match");

    r->reply.content_type = content_type_of(path);
    r->reply.cache_control = "no-cache";
    if (http_reply_header(r, "ETag", arena_strdup(r->arena, etag)) < 0) {
        if (owned)
            alloc_free((void *)(uintptr_t)bytes);
        return err_set(e, ERR_NOMEM, NULL, "nomem", "out of memory");
    }
    if (match != NULL && strcmp(match, etag) == 0) {
        if (owned)
            alloc_free((void *)(uintptr_t)bytes);
        r->reply.status = 304;
        r->reply.body = NULL;
        r->reply.len = 0;
        r->reply.body_static = true;
        return 0;
    }
    r->reply.status = 200;
    r->reply.body = (char *)(uintptr_t)bytes;
    r->reply.len = len;
    r->reply.body_static = !owned;
    return 0;
}

static int
serve_embedded(struct req *r, const char *path, struct err *e)
{
    pthread_once(&etags_once, etags_compute);
    for (unsigned long i = 0; i < kesu_web_assets_count && i < STATIC_ASSETS_MAX; i++) {
        const struct web_asset *a = &kesu_web_assets[i];
        if (strcmp(a->path, path) == 0)
            return reply_file(r, path, embedded_etags[i], a->start, (size_t)(a->end - a->start),
                              false, e);
    }
    return not_found(e);
}

static int
serve_from_disk(struct req *r, const char *root, const char *path, struct err *e)
{
    char full[CONFIG_PATH_MAX + 256];
    char etag[ETAG_TEXT];
    struct stat sb;
    unsigned char *buf;
    ssize_t got;
    int fd;

    if ((size_t)snprintf(full, sizeof(full), "%s%s", root, path) >= sizeof(full))
        return not_found(e);
    fd = open(full, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0)
        return not_found(e);
    if (fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode) || (size_t)sb.st_size > STATIC_FILE_MAX) {
        close(fd);
        return not_found(e);
    }
    buf = alloc_malloc((size_t)sb.st_size + 1);
    if (buf == NULL) {
        close(fd);
        return err_set(e, ERR_NOMEM, NULL, "nomem", "out of memory");
    }
    got = read(fd, buf, (size_t)sb.st_size);
    close(fd);
    if (got != sb.st_size) {
        alloc_free(buf);
        return err_set(e, ERR_INTERNAL, "path", "io", "could not read %s", path);
    }
    etag_of(buf, (size_t)got, etag);
    return reply_file(r, path, etag, buf, (size_t)got, true, e);
}

const char *
http_static_resolve(const char *url_path)
{
    const char *path = file_path(url_path);

    return path_acceptable(path) ? path : NULL;
}

int
h_static(struct req *r, struct err *e)
{
    const char *path = http_static_resolve(r->path);
    const char *root = r->srv->cfg->web_root;

    if (path == NULL)
        return not_found(e);
    if (root[0] != '\0')
        return serve_from_disk(r, root, path, e);
    return serve_embedded(r, path, e);
}

const struct route http_static_route = { HTTP_GET, "/*", h_static, BODY_NONE, PERM_PUBLIC };

bool
http_is_static_path(enum http_method m, const char *path)
{
    return (m == HTTP_GET || m == HTTP_HEAD) && strncmp(path, "/api/", 5) != 0 &&
           strcmp(path, "/api") != 0;
}
