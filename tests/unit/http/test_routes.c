/*
 * http/routes.c: the one table of routes, matched segment by segment.
 */
#include "testutil.h"

#include "http/handlers.h"

#include <stdio.h>

/* Fill a pattern's ":name" segments with sample values; records them in want[]. */
static void
instantiate(const char *pattern, char *out, size_t size, const char *want[HTTP_PARAMS_MAX],
            size_t *n_params)
{
    static const char *const samples[] = { "KS-2026-000123", "7", "x", "y" };
    size_t o = 0;

    *n_params = 0;
    while (*pattern) {
        if (pattern[0] == ':' && pattern[-1] == '/') {
            const char *v = strcmp(pattern, ":code/units") == 0 ? "HY" : samples[*n_params];
            want[(*n_params)++] = v;
            o += (size_t)snprintf(out + o, size - o, "%s", v);
            pattern += strcspn(pattern, "/");
            continue;
        }
        assert_true(o + 1 < size);
        out[o++] = *pattern++;
    }
    out[o] = '\0';
}

/* Every route is found for its own method, with its parameters extracted. */
static void
test_every_route(void **state)
{
    (void)state;
    assert_int_equal(http_routes_count, 98);
    for (size_t i = 0; i < http_routes_count; i++) {
        const struct route *r = &http_routes[i];
        const char *want[HTTP_PARAMS_MAX] = { NULL };
        const char *params[HTTP_PARAMS_MAX] = { NULL };
        char path[256], allow[64];
        size_t n;
        struct err e = { 0 };
        const struct route *got;

        instantiate(r->pattern, path, sizeof(path), want, &n);
        got = http_route_find(r->method, path, params, allow, sizeof(allow), &e);
        if (got != r)
            fail_msg("%s %s: got %s (%s)", http_method_name(r->method), path,
                     got ? got->pattern : "NULL", e.detail);
        assert_int_equal(e.code, ERR_OK);
        assert_non_null(r->handler);
        for (size_t j = 0; j < n; j++) {
            assert_non_null(params[j]);
            assert_string_equal(params[j], want[j]);
        }
        for (size_t j = n; j < HTTP_PARAMS_MAX; j++)
            assert_null(params[j]);
        /* HEAD finds the GET route of the same path */
        if (r->method == HTTP_GET) {
            got = http_route_find(HTTP_HEAD, path, params, allow, sizeof(allow), &e);
            assert_ptr_equal(got, r);
        }
    }
}

static void
test_params(void **state)
{
    static const struct {
        enum http_method m;
        const char *path;
        const char *pattern;
        const char *p0, *p1;
    } rows[] = {
        { HTTP_GET, "/api/complaints/KS-2026-000123", "/api/complaints/:number",
          "KS-2026-000123", NULL },
        { HTTP_GET, "/api/complaints/KS-2026-000123/attachments/42",
          "/api/complaints/:number/attachments/:id", "KS-2026-000123", "42" },
        { HTTP_POST, "/api/complaints/HY1-2027-1234567/events", "/api/complaints/:number/events",
          "HY1-2027-1234567", NULL },
        { HTTP_GET, "/api/projects/华苑/units", "/api/projects/:code/units", "华苑", NULL },
        { HTTP_GET, "/api/complaints/events", "/api/complaints/:number", "events", NULL },
        { HTTP_GET, "/api/complaints/a.b:c", "/api/complaints/:number", "a.b:c", NULL },
    };

    (void)state;
    for (size_t i = 0; i < TEST_ARRAY_LEN(rows); i++) {
        const char *params[HTTP_PARAMS_MAX] = { NULL };
        char allow[64];
        struct err e = { 0 };
        const struct route *r =
            http_route_find(rows[i].m, rows[i].path, params, allow, sizeof(allow), &e);

        if (r == NULL)
            fail_msg("%s: %s", rows[i].path, e.detail);
        assert_string_equal(r->pattern, rows[i].pattern);
        assert_string_equal(params[0], rows[i].p0);
        if (rows[i].p1)
            assert_string_equal(params[1], rows[i].p1);
        else
            assert_null(params[1]);
    }
}

static void
expect_not_found(enum http_method m, const char *path)
{
    const char *params[HTTP_PARAMS_MAX] = { NULL };
    char allow[64] = "junk";
    struct err e = { 0 };
    const struct route *r = http_route_find(m, path, params, allow, sizeof(allow), &e);

    if (r != NULL || e.code != ERR_NOT_FOUND || strcmp(e.reason, "no_route") != 0)
        fail_msg("%s %s: route %s, code %d", http_method_name(m), path, r ? r->pattern : "NULL",
                 e.code);
    assert_null(e.field);
    assert_string_equal(allow, "");
}

static void
test_unknown_paths(void **state)
{
    static const char *const paths[] = {
        "", "/", "/api", "/api/", "/api/nothing", "/apix/health", "/api/healthz",
        "/api/health2", "/API/health", "api/health", "//api/health", "/api/complaint",
        "/api/projects/HY", "/api/projects/HY/unit", "/api/projects//units",
        "/api/complaints/KS-2026-000123/timeline",
        "/api/complaints/KS-2026-000123/attachments/7/raw",
        "/api/complaints/KS-2026-000123/events/1",
        /* trailing slashes */
        "/api/health/", "/api/complaints/", "/api/complaints/KS-2026-000123/",
        "/api/complaints/KS-2026-000123/events/", "/api/projects/HY/units/",
        /* empty segments */
        "/api//health", "/api/complaints//events", "/api/complaints/KS-2026-000123//events",
        "/api/complaints/KS-2026-000123/attachments/", "/api/complaints/KS//attachments/1",
        /* too many segments */
        "/api/health/x", "/api/openapi.json/x", "/api/complaints/a/b/c/d/e/f/g/h",
        "/api/complaints/KS/attachments/1/2",
    };

    (void)state;
    for (size_t i = 0; i < TEST_ARRAY_LEN(paths); i++) {
        expect_not_found(HTTP_GET, paths[i]);
        expect_not_found(HTTP_POST, paths[i]);
        expect_not_found(HTTP_DELETE, paths[i]);
    }
}

/* A known path with another method: ERR_METHOD and the methods it has. */
static void
test_method_not_allowed(void **state)
{
    static const struct {
        enum http_method m;
        const char *path;
        const char *allow;
    } rows[] = {
        { HTTP_DELETE, "/api/complaints", "GET, HEAD, POST" },
        { HTTP_PUT, "/api/complaints", "GET, HEAD, POST" },
        { HTTP_PATCH, "/api/complaints", "GET, HEAD, POST" },
        { HTTP_OPTIONS, "/api/complaints", "GET, HEAD, POST" },
        { HTTP_OTHER, "/api/complaints", "GET, HEAD, POST" },
        { HTTP_POST, "/api/health", "GET, HEAD" },
        { HTTP_DELETE, "/api/health", "GET, HEAD" },
        { HTTP_POST, "/api/openapi.json", "GET, HEAD" },
        { HTTP_DELETE, "/api/categories", "GET, HEAD, POST" },
        { HTTP_DELETE, "/api/categories/service", "PATCH" },
        { HTTP_GET, "/api/grading-rules/A1", "PUT" },
        { HTTP_DELETE, "/api/projects", "GET, HEAD, POST" },
        { HTTP_PUT, "/api/projects/HY/units", "GET, HEAD, POST" },
        { HTTP_GET, "/api/portal/complaints", "POST" },
        { HTTP_GET, "/api/portal/track", "POST" },
        { HTTP_POST, "/api/portal/form", "GET, HEAD" },
        { HTTP_POST, "/api/portal/projects/HY/units", "GET, HEAD" },
        { HTTP_GET, "/api/portal/complaints/KS-2026-000123/attachments", "POST" },
        { HTTP_POST, "/api/complaints/KS-2026-000123", "GET, HEAD" },
        { HTTP_DELETE, "/api/complaints/KS-2026-000123", "GET, HEAD" },
        { HTTP_PUT, "/api/complaints/KS-2026-000123/events", "GET, HEAD, POST" },
        { HTTP_DELETE, "/api/complaints/KS-2026-000123/attachments", "GET, HEAD, POST" },
        { HTTP_DELETE, "/api/complaints/KS-2026-000123/attachments/1", "GET, HEAD" },
        { HTTP_POST, "/api/complaints/KS-2026-000123/attachments/1", "GET, HEAD" },
    };

    (void)state;
    for (size_t i = 0; i < TEST_ARRAY_LEN(rows); i++) {
        const char *params[HTTP_PARAMS_MAX] = { NULL };
        char allow[64];
        struct err e = { 0 };
        const struct route *r =
            http_route_find(rows[i].m, rows[i].path, params, allow, sizeof(allow), &e);

        assert_null(r);
        if (e.code != ERR_METHOD || strcmp(allow, rows[i].allow) != 0)
            fail_msg("%s %s: code %d allow '%s'", http_method_name(rows[i].m), rows[i].path,
                     e.code, allow);
        assert_string_equal(e.reason, "method_not_allowed");
        assert_string_equal(err_code_name(e.code), "method_not_allowed");
    }
}

/* A small Allow buffer is cut, never overrun, and always NUL-terminated; HEAD goes with GET. */
static void
test_allow_buffer_small(void **state)
{
    (void)state;
    for (size_t size = 1; size <= 12; size++) {
        char buf[16];
        const char *params[HTTP_PARAMS_MAX];
        struct err e = { 0 };

        memset(buf, 'Z', sizeof(buf));
        assert_null(http_route_find(HTTP_DELETE, "/api/complaints", params, buf, size, &e));
        assert_int_equal(e.code, ERR_METHOD);
        assert_true(strlen(buf) < size);
        assert_true(strncmp(buf, "GET, HEAD, POST", strlen(buf)) == 0);
        for (size_t i = size; i < sizeof(buf); i++)
            assert_int_equal(buf[i], 'Z');
    }
}

/* A parameter longer than the route's scratch buffer does not match (no overflow). */
static void
test_long_param(void **state)
{
    char path[8192];
    size_t o;

    (void)state;
    o = (size_t)snprintf(path, sizeof(path), "/api/complaints/");
    memset(path + o, 'K', 5000);
    path[o + 5000] = '\0';
    expect_not_found(HTTP_GET, path);
    /* just below the scratch size still works */
    {
        const char *params[HTTP_PARAMS_MAX] = { NULL };
        char allow[64];
        struct err e = { 0 };

        path[o + 2000] = '\0';
        assert_non_null(http_route_find(HTTP_GET, path, params, allow, sizeof(allow), &e));
        assert_int_equal(strlen(params[0]), 2000);
    }
}

static void
test_method_names(void **state)
{
    static const char *const names[] = { "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE",
                                         "OPTIONS" };

    (void)state;
    for (size_t i = 0; i < TEST_ARRAY_LEN(names); i++) {
        enum http_method m = http_method_parse(names[i]);
        assert_int_equal(m, (enum http_method)i);
        assert_string_equal(http_method_name(m), names[i]);
    }
    assert_int_equal(http_method_parse("get"), HTTP_OTHER);
    assert_int_equal(http_method_parse("BREW"), HTTP_OTHER);
    assert_int_equal(http_method_parse(""), HTTP_OTHER);
    assert_int_equal(http_method_parse("OTHER"), HTTP_OTHER);
    assert_int_equal(http_method_parse("GETX"), HTTP_OTHER);
}

/* The table holds each (method, pattern) once and only /api/ paths. */
static void
test_table_sane(void **state)
{
    (void)state;
    for (size_t i = 0; i < http_routes_count; i++) {
        assert_true(strncmp(http_routes[i].pattern, "/api/", 5) == 0);
        assert_true(http_routes[i].method == HTTP_GET || http_routes[i].method == HTTP_POST ||
                    http_routes[i].method == HTTP_PUT || http_routes[i].method == HTTP_PATCH ||
                    http_routes[i].method == HTTP_DELETE);
        for (size_t j = i + 1; j < http_routes_count; j++)
            assert_false(http_routes[i].method == http_routes[j].method &&
                         strcmp(http_routes[i].pattern, http_routes[j].pattern) == 0);
    }
}

/*
 * The customer portal's routes, and only they, ignore credentials: all of
 * /api/portal/ is public, and no other public route (sign-in) is anonymous.
 */
static void
test_anonymous_routes(void **state)
{
    size_t portal = 0;

    (void)state;
    for (size_t i = 0; i < http_routes_count; i++) {
        const struct route *r = &http_routes[i];
        bool under = strncmp(r->pattern, "/api/portal/", 12) == 0;

        if (under) {
            portal++;
            assert_int_equal(r->perm, PERM_PUBLIC);
        }
        if (http_route_anonymous(r) != under)
            fail_msg("%s %s: anonymous %d", http_method_name(r->method), r->pattern, !under);
    }
    assert_int_equal(portal, 7);
    assert_false(http_route_anonymous(&http_static_route));
}

/* docs/permissions.md lists every route with its permission and scope, and nothing else. */
static void
test_routes_match_doc(void **state)
{
    FILE *f = fopen("docs/permissions.md", "r");
    char line[512];
    size_t rows = 0;

    (void)state;
    if (f == NULL)
        fail_msg("cannot open docs/permissions.md (run from the repository root)");
    while (fgets(line, sizeof(line), f) != NULL) {
        char method[16], path[128], perm[32], scope[32];
        bool found = false;
        if (sscanf(line, "| %15s | %127s | %31s | %31s |", method, path, perm, scope) != 4 ||
            strncmp(path, "/api/", 5) != 0)
            continue;
        rows++;
        for (size_t i = 0; i < http_routes_count; i++) {
            const struct route *r = &http_routes[i];
            if (strcmp(http_method_name(r->method), method) != 0 || strcmp(r->pattern, path) != 0)
                continue;
            found = true;
            if (strcmp(core_perm_name(r->perm), perm) != 0)
                fail_msg("%s %s: doc says %s, code says %s", method, path, perm,
                         core_perm_name(r->perm));
            if ((strcmp(scope, "project") == 0) != core_perm_is_scoped(r->perm))
                fail_msg("%s %s: doc scope %s disagrees with %s", method, path, scope, perm);
        }
        if (!found)
            fail_msg("docs/permissions.md lists %s %s, which is not a route", method, path);
    }
    fclose(f);
    assert_int_equal(rows, http_routes_count);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_route),
        cmocka_unit_test(test_params),
        cmocka_unit_test(test_unknown_paths),
        cmocka_unit_test(test_method_not_allowed),
        cmocka_unit_test(test_allow_buffer_small),
        cmocka_unit_test(test_long_param),
        cmocka_unit_test(test_method_names),
        cmocka_unit_test(test_table_sane),
        cmocka_unit_test(test_anonymous_routes),
        cmocka_unit_test(test_routes_match_doc),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
