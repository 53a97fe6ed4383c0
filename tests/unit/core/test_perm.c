/*
 * core/perm.c: the role table (against docs/permissions.md), project scope,
 * token scopes and project limits, and scope lists.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>

#include "core/perm.h"

#define DOC "docs/permissions.md"

static char *
slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *buf;
    long n;

    if (f == NULL)
        fail_msg("cannot open %s (run from the repository root)", path);
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

/* The row of the documented table for permission `name`: "| `name` | ✓ | – | ..." */
static void
doc_row(const char *doc, const char *name, bool held[8])
{
    char needle[64];
    const char *p;
    int col = 0;

    snprintf(needle, sizeof(needle), "| `%s` |", name);
    p = strstr(doc, needle);
    if (p == NULL)
        fail_msg("%s has no row for %s", DOC, name);
    p += strlen(needle);
    while (col < 8 && *p != '\n' && *p != '\0') {
        if (strncmp(p, "✓", strlen("✓")) == 0)
            held[col++] = true, p += strlen("✓");
        else if (strncmp(p, "–", strlen("–")) == 0)
            held[col++] = false, p += strlen("–");
        else
            p++;
    }
    if (col != 8)
        fail_msg("row %s has %d role columns, want 8", name, col);
}

static void
test_matrix_matches_doc(void **state)
{
    char *doc = slurp(DOC);

    (void)state;
    assert_non_null(strstr(doc, "| permission | operator | handler | supervisor | manager | "
                                "executive | centre | auditor | admin |"));
    for (int p = PERM_COMPLAINT_READ; p < PERM_COUNT; p++) {
        bool held[8];
        doc_row(doc, core_perm_name((enum perm)p), held);
        for (int r = 0; r < 8; r++)
            if (held[r] != core_role_has(core_roles_staff[r], (enum perm)p))
                fail_msg("%s for %s: doc says %d, code says %d", core_perm_name((enum perm)p),
                         core_roles_staff[r], held[r], !held[r]);
    }
    free(doc);
}

static void
test_names_round_trip(void **state)
{
    (void)state;
    for (int p = PERM_COMPLAINT_READ; p < PERM_COUNT; p++)
        assert_int_equal(core_perm_parse(core_perm_name((enum perm)p)), p);
    /* public and signed_in are not scopes a token can carry */
    assert_int_equal(core_perm_parse("public"), -1);
    assert_int_equal(core_perm_parse("signed_in"), -1);
    assert_int_equal(core_perm_parse("complaint"), -1);
    assert_int_equal(core_perm_parse(""), -1);
    assert_false(core_role_has("nobody", PERM_COMPLAINT_READ));
    assert_false(core_role_has("admin", PERM_COUNT));
}

static const struct membership handler_hy[] = { { "handler", "HY", NULL } };
static const struct membership mixed[] = {
    { "operator", "HY", NULL }, { "manager", "JX", NULL }, { "operator", "JX", NULL },
};
static const struct membership auditor[] = { { "auditor", NULL, NULL } };
static const struct membership centre[] = { { "centre", NULL, NULL } };

static struct principal
who(const struct membership *m, size_t n)
{
    return (struct principal){ .staff_id = 1, .login = "x", .name = "X", .memberships = m,
                               .n_memberships = n, .scopes = CORE_SCOPES_ALL };
}

static void
test_project_scope(void **state)
{
    struct principal h = who(handler_hy, 1), m = who(mixed, 3), a = who(auditor, 1);

    (void)state;
    assert_true(core_can(&h, PERM_COMPLAINT_READ, "HY"));
    assert_false(core_can(&h, PERM_COMPLAINT_READ, "JX"));
    assert_true(core_can(&h, PERM_COMPLAINT_READ, NULL));
    assert_false(core_can(&h, PERM_EXPORT, NULL));
    assert_false(core_can(&h, PERM_AUDIT_READ, NULL));
    /* export comes with the manager role, held in JX only */
    assert_true(core_can(&m, PERM_EXPORT, "JX"));
    assert_false(core_can(&m, PERM_EXPORT, "HY"));
    assert_true(core_can(&m, PERM_COMPLAINT_CREATE, "HY"));
    /* company-wide: every project, including ones created later */
    assert_true(core_can(&a, PERM_COMPLAINT_READ, "ZZ"));
    assert_false(core_can(&a, PERM_COMPLAINT_CREATE, "HY"));
    assert_true(core_can(&a, PERM_AUDIT_READ, NULL));
    /* nobody signed in */
    assert_true(core_can(NULL, PERM_PUBLIC, NULL));
    assert_false(core_can(NULL, PERM_SIGNED_IN, NULL));
    assert_false(core_can(NULL, PERM_COMPLAINT_READ, "HY"));
    /* signed in with no role at all */
    {
        struct principal none = who(NULL, 0);
        assert_true(core_can(&none, PERM_SIGNED_IN, NULL));
        assert_false(core_can(&none, PERM_COMPLAINT_READ, NULL));
    }
}

static void
test_token_narrowing(void **state)
{
    struct principal c = who(centre, 1);

    (void)state;
    c.scopes = (1u << PERM_COMPLAINT_CREATE) | (1u << PERM_COMPLAINT_READ);
    c.project_limit = "HY";
    assert_true(core_can(&c, PERM_COMPLAINT_CREATE, "HY"));
    assert_false(core_can(&c, PERM_COMPLAINT_CREATE, "JX"));
    assert_false(core_can(&c, PERM_CONTACT_REVEAL, "HY"));   /* the owner may; the token not */
    assert_true(core_can(&c, PERM_SIGNED_IN, NULL));        /* no scope needed */
    /* held to a project, a token holds nothing company-wide, whatever its owner may */
    {
        static const struct membership admin_auditor[] = { { "admin", NULL, NULL },
                                                           { "auditor", NULL, NULL } };
        struct principal t = who(admin_auditor, 2);
        assert_true(core_can(&t, PERM_TOKEN_ADMIN, NULL));
        t.project_limit = "HY";
        assert_false(core_can(&t, PERM_TOKEN_ADMIN, NULL));
        assert_false(core_can(&t, PERM_USER_ADMIN, NULL));
        assert_false(core_can(&t, PERM_AUDIT_READ, NULL));
        assert_true(core_can(&t, PERM_COMPLAINT_READ, "HY"));
    }
    /* a scope the owner lacks gives nothing */
    {
        struct principal h = who(handler_hy, 1);
        h.scopes = 1u << PERM_AUDIT_READ;
        assert_false(core_can(&h, PERM_AUDIT_READ, NULL));
        assert_false(core_can(&h, PERM_COMPLAINT_READ, "HY"));
    }
}

static void
test_where(void **state)
{
    struct principal m = who(mixed, 3), a = who(auditor, 1), c = who(centre, 1);
    const char *out[4];
    size_t n;
    bool all;
    struct err e = { 0 };

    (void)state;
    assert_int_equal(core_can_where(&m, PERM_COMPLAINT_READ, out, 4, &n, &all, &e), 0);
    assert_false(all);
    assert_int_equal(n, 2);     /* JX once, though two roles grant it there */
    assert_string_equal(out[0], "HY");
    assert_string_equal(out[1], "JX");
    assert_int_equal(core_can_where(&m, PERM_EXPORT, out, 4, &n, &all, &e), 0);
    assert_int_equal(n, 1);
    assert_string_equal(out[0], "JX");
    assert_int_equal(core_can_where(&a, PERM_COMPLAINT_READ, out, 4, &n, &all, &e), 0);
    assert_true(all);
    assert_int_equal(core_can_where(&a, PERM_EXPORT, out, 4, &n, &all, &e), 0);
    assert_false(all);
    assert_int_equal(n, 0);
    c.project_limit = "BJ";
    assert_int_equal(core_can_where(&c, PERM_COMPLAINT_READ, out, 4, &n, &all, &e), 0);
    assert_false(all);
    assert_int_equal(n, 1);
    assert_string_equal(out[0], "BJ");
    /* more projects than room: an error, never a silently shorter list */
    assert_int_equal(core_can_where(&m, PERM_COMPLAINT_READ, out, 1, &n, &all, &e), -1);
    assert_string_equal(e.reason, "too_many");
}

static void
test_scopes(void **state)
{
    static const struct { const char *text, *reason; } bad[] = {
        { "", "empty" }, { ",", "empty" }, { "complaint.read,", "empty" },
        { "complaint.read,,export", "empty" }, { "nope", "unknown" }, { "public", "unknown" },
        { "complaint.read,complaint.read", "repeated" }, { "**", "unknown" },
    };
    uint32_t s;
    char buf[256];

    (void)state;
    for (size_t i = 0; i < TEST_ARRAY_LEN(bad); i++) {
        struct err e = { 0 };
        if (core_scopes_parse(bad[i].text, &s, &e) != -1 || strcmp(e.reason, bad[i].reason) != 0)
            fail_msg("'%s': want %s, got %s", bad[i].text, bad[i].reason,
                     e.reason ? e.reason : "ok");
        assert_string_equal(e.field, "scopes");
    }
    {
        struct err e = { 0 };
        assert_int_equal(core_scopes_parse("export,complaint.read", &s, &e), 0);
        assert_int_equal(s, (1u << PERM_EXPORT) | (1u << PERM_COMPLAINT_READ));
        core_scopes_format(s, buf, sizeof(buf));
        assert_string_equal(buf, "complaint.read,export");
        assert_int_equal(core_scopes_parse("*", &s, &e), 0);
        assert_int_equal(s, CORE_SCOPES_ALL);
        core_scopes_format(s, buf, 20);   /* cut at a whole name, never mid-way */
        assert_string_equal(buf, "complaint.read");
        core_scopes_format(0, buf, sizeof(buf));
        assert_string_equal(buf, "");
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_matrix_matches_doc),
        cmocka_unit_test(test_names_round_trip),
        cmocka_unit_test(test_project_scope),
        cmocka_unit_test(test_token_narrowing),
        cmocka_unit_test(test_where),
        cmocka_unit_test(test_scopes),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
