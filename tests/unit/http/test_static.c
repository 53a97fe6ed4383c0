/*
 * http/static.c: which URL paths name a file of the web front end, and
 * which requests go to the files rather than the API.
 */
#include "testutil.h"

#include "http/handlers.h"

#include <string.h>

static void
test_pages_have_their_files(void **state)
{
    (void)state;
    assert_string_equal(http_static_resolve("/"), "/index.html");
    assert_string_equal(http_static_resolve("/portal"), "/portal.html");
    assert_string_equal(http_static_resolve("/portal/"), "/portal.html");
    assert_string_equal(http_static_resolve("/js/pages/admin/index.js"), "/js/pages/admin/index.js");
    assert_string_equal(http_static_resolve("/css/kesu.css"), "/css/kesu.css");
}

static void
test_odd_names_name_nothing(void **state)
{
    char long_path[260];

    (void)state;
    assert_null(http_static_resolve(""));
    assert_null(http_static_resolve("js/app.js"));          /* not absolute */
    assert_null(http_static_resolve("/../etc/passwd"));
    assert_null(http_static_resolve("/js/../../etc/passwd"));
    assert_null(http_static_resolve("/.git/config"));       /* dot files */
    assert_null(http_static_resolve("/js/.hidden"));
    assert_null(http_static_resolve("//etc/passwd"));
    assert_null(http_static_resolve("/js/app.js?x=1"));     /* the query is not part of it */
    assert_null(http_static_resolve("/js/a b.js"));
    assert_null(http_static_resolve("/js/app.js%00"));
    assert_null(http_static_resolve("/图片.png"));           /* our files have ASCII names */
    memset(long_path, 'a', sizeof(long_path) - 1);
    long_path[0] = '/';
    long_path[sizeof(long_path) - 1] = '\0';
    assert_null(http_static_resolve(long_path));
}

static void
test_only_reads_outside_the_api_are_files(void **state)
{
    (void)state;
    assert_true(http_is_static_path(HTTP_GET, "/"));
    assert_true(http_is_static_path(HTTP_HEAD, "/js/app.js"));
    assert_true(http_is_static_path(HTTP_GET, "/apiary.html"));
    assert_false(http_is_static_path(HTTP_POST, "/"));
    assert_false(http_is_static_path(HTTP_GET, "/api/health"));
    assert_false(http_is_static_path(HTTP_GET, "/api"));
    assert_false(http_is_static_path(HTTP_DELETE, "/index.html"));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pages_have_their_files),
        cmocka_unit_test(test_odd_names_name_nothing),
        cmocka_unit_test(test_only_reads_outside_the_api_are_files),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
