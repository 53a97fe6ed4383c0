/* core/audit.c: the hash chain seals every field and names each kind of break. */
#include "testutil.h"

#include "core/audit.h"

#include <sodium.h>

static const unsigned char zeros[CORE_AUDIT_HASH];

static struct audit_entry
sample(int64_t id)
{
    return (struct audit_entry){ .id = id, .at = 1790000000, .actor = "lina",
                                 .address = "127.0.0.1", .action = "complaint.create",
                                 .object = "KS-2026-000001", .detail = "{}" };
}

static void
expect_fail(int rc, const struct err *e, const char *reason, int64_t id, const char *what)
{
    char want[32];

    snprintf(want, sizeof(want), "entry %lld", (long long)id);
    if (rc != -1 || e->code != ERR_CONFLICT || e->field == NULL ||
        strcmp(e->field, "audit") != 0 || e->reason == NULL || strcmp(e->reason, reason) != 0)
        fail_msg("%s: want audit/%s, got rc %d %s/%s", what, reason, rc,
                 e->field ? e->field : "-", e->reason ? e->reason : "-");
    if (strncmp(e->detail, want, strlen(want)) != 0)
        fail_msg("%s: detail '%s' does not name %s", what, e->detail, want);
}

static void
test_round_trip(void **state)
{
    struct audit_entry a = sample(1), b = sample(2);
    struct err e = { 0 };

    (void)state;
    core_audit_seal(&a, zeros);
    assert_memory_equal(a.prev_hash, zeros, CORE_AUDIT_HASH);
    assert_memory_not_equal(a.hash, zeros, CORE_AUDIT_HASH);
    core_audit_seal(&b, a.hash);
    assert_memory_equal(b.prev_hash, a.hash, CORE_AUDIT_HASH);
    assert_int_equal(core_audit_check(&a, 1, zeros, &e), 0);
    assert_int_equal(core_audit_check(&b, 2, a.hash, &e), 0);
    assert_int_equal(e.code, ERR_OK);
    /* sealing is deterministic: the same entry and link give the same hash */
    {
        struct audit_entry c = sample(2);
        core_audit_seal(&c, a.hash);
        assert_memory_equal(c.hash, b.hash, CORE_AUDIT_HASH);
    }
}

/* The genesis link is 32 zero bytes: any other "previous" hash fails the first entry. */
static void
test_genesis(void **state)
{
    struct audit_entry a = sample(1);
    unsigned char one[CORE_AUDIT_HASH] = { 0 };
    struct err e = { 0 };

    (void)state;
    one[31] = 1;
    core_audit_seal(&a, zeros);
    expect_fail(core_audit_check(&a, 1, one, &e), &e, "broken_link", 1, "non-zero genesis");
    /* sealed onto something else, the first entry does not pass as the first */
    a = sample(1);
    core_audit_seal(&a, one);
    e = (struct err){ 0 };
    expect_fail(core_audit_check(&a, 1, zeros, &e), &e, "broken_link", 1, "not from zeros");
}

/* Changing any one field after sealing is "altered". */
static void
test_every_field_sealed(void **state)
{
    enum { F_ID_AT, F_AT, F_ACTOR, F_ADDRESS, F_ACTION, F_OBJECT, F_DETAIL, F_HASH, F_COUNT };

    (void)state;
    for (int f = 0; f < F_COUNT; f++) {
        struct audit_entry en = sample(5);
        struct err e = { 0 };
        int64_t expected = 5;

        core_audit_seal(&en, zeros);
        switch (f) {
        case F_ID_AT:   /* a changed id whose new value is what the checker expects */
            en.id = 6;
            expected = 6;
            break;
        case F_AT: en.at++; break;
        case F_ACTOR: en.actor = "lin"; break;
        case F_ADDRESS: en.address = "127.0.0.2"; break;
        case F_ACTION: en.action = "complaint.creatE"; break;
        case F_OBJECT: en.object = "KS-2026-000002"; break;
        case F_DETAIL: en.detail = "{ }"; break;
        case F_HASH: en.hash[0] ^= 1; break;
        }
        expect_fail(core_audit_check(&en, expected, zeros, &e), &e, "altered", expected,
                    "field change");
    }
}

/* NULL and "" are different values; so are fields whose bytes move across a boundary. */
static void
test_encoding_unambiguous(void **state)
{
    struct audit_entry a = sample(1), b = sample(1);

    (void)state;
    a.actor = NULL;
    b.actor = "";
    core_audit_seal(&a, zeros);
    core_audit_seal(&b, zeros);
    assert_memory_not_equal(a.hash, b.hash, CORE_AUDIT_HASH);

    a = sample(1);
    b = sample(1);
    a.object = NULL;
    a.detail = "{}";
    b.object = "";
    b.detail = "{}";
    core_audit_seal(&a, zeros);
    core_audit_seal(&b, zeros);
    assert_memory_not_equal(a.hash, b.hash, CORE_AUDIT_HASH);

    a = sample(1);
    b = sample(1);
    a.actor = "ab";
    a.address = "c";
    b.actor = "a";
    b.address = "bc";
    core_audit_seal(&a, zeros);
    core_audit_seal(&b, zeros);
    assert_memory_not_equal(a.hash, b.hash, CORE_AUDIT_HASH);

    /* a NULL followed by text does not look like text followed by NULL */
    a = sample(1);
    b = sample(1);
    a.actor = NULL;
    a.address = "x";
    b.actor = "x";
    b.address = NULL;
    core_audit_seal(&a, zeros);
    core_audit_seal(&b, zeros);
    assert_memory_not_equal(a.hash, b.hash, CORE_AUDIT_HASH);
}

static void
test_gap_and_reorder(void **state)
{
    struct audit_entry en[3] = { sample(1), sample(2), sample(3) };
    struct err e = { 0 };

    (void)state;
    core_audit_seal(&en[0], zeros);
    core_audit_seal(&en[1], en[0].hash);
    core_audit_seal(&en[2], en[1].hash);
    /* entry 2 deleted: after 1 the checker expects 2 and reads 3 */
    expect_fail(core_audit_check(&en[2], 2, en[0].hash, &e), &e, "gap", 3, "deletion");
    /* 2 read first: the chain expects 1 there */
    e = (struct err){ 0 };
    expect_fail(core_audit_check(&en[1], 1, zeros, &e), &e, "gap", 2, "reorder");
    /* entry 2 renumbered to hide a deletion of the old 2: the id is sealed */
    e = (struct err){ 0 };
    en[2].id = 2;
    expect_fail(core_audit_check(&en[2], 2, en[0].hash, &e), &e, "broken_link", 2, "renumbered");
}

static void
test_broken_link(void **state)
{
    struct audit_entry a = sample(1), b = sample(2), c = sample(2);
    struct err e = { 0 };

    (void)state;
    core_audit_seal(&a, zeros);
    core_audit_seal(&b, a.hash);
    /* the content of entry 1 rewritten and resealed: entry 2 no longer links to it */
    a.detail = "{\"rewritten\":true}";
    core_audit_seal(&a, zeros);
    assert_int_equal(core_audit_check(&a, 1, zeros, &e), 0);
    expect_fail(core_audit_check(&b, 2, a.hash, &e), &e, "broken_link", 2, "resealed");
    /* prev_hash edited in place: the link is checked first, then the seal */
    e = (struct err){ 0 };
    core_audit_seal(&c, a.hash);
    c.prev_hash[7] ^= 0x80;
    expect_fail(core_audit_check(&c, 2, a.hash, &e), &e, "broken_link", 2, "prev edited");
}

/* The first error wins: a check on an already failed err leaves it alone. */
static void
test_first_error_wins(void **state)
{
    struct audit_entry a = sample(1);
    struct err e = { 0 };

    (void)state;
    core_audit_seal(&a, zeros);
    err_set(&e, ERR_STORE, NULL, "store", "earlier");
    assert_int_equal(core_audit_check(&a, 2, zeros, &e), -1);
    assert_int_equal(e.code, ERR_STORE);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_genesis),
        cmocka_unit_test(test_every_field_sealed),
        cmocka_unit_test(test_encoding_unambiguous),
        cmocka_unit_test(test_gap_and_reorder),
        cmocka_unit_test(test_broken_link),
        cmocka_unit_test(test_first_error_wins),
    };

    if (sodium_init() < 0)
        return 1;
    return cmocka_run_group_tests(tests, NULL, NULL);
}
