/*
 * Fuzz the list query: a raw query string through http_query_parse() and
 * http_decode_list_query(). Invariants checked:
 *   - parsed pairs number at most HTTP_QUERY_MAX, and every name and value
 *     is NUL-terminated valid UTF-8 with no NUL inside;
 *   - an accepted query has limit 1..100, a known sort, at most
 *     STORE_FILTER_MAX values per filter, each non-empty and from its value
 *     set (categories, projects, grades: codes; handlers: "me" or
 *     well-formed logins; clocks: overdue, due_soon), a non-empty match
 *     when q was given, returned exactly when given, no `now` (the
 *     caller's), and from < to when both ends are given;
 *   - a cursor read back has key and id >= 0, and one made by
 *     http_cursor_make() for the same sort reads back to the same values;
 *   - refusals carry a code and a reason (ERR_INVALID: one from
 *     docs/api.md's list), and the parse's outputs are untouched.
 */
#include "http/handlers.h"
#include "core/account.h"
#include "util/utf8.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                             \
    do {                                                                        \
        if (!(cond)) {                                                          \
            fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, \
                    #cond);                                                     \
            __builtin_trap();                                                   \
        }                                                                       \
    } while (0)

static bool
one_of(const char *r, const char *const *set)
{
    for (; *set != NULL; set++)
        if (strcmp(r, *set) == 0)
            return true;
    return false;
}

static const char *const clock_states[] = { "overdue", "due_soon", NULL };
static const char *const parse_reasons[] = { "bad_format", "bad_utf8", "bad_character", "too_long",
                                             NULL };
static const char *const list_reasons[] = {
    "unknown_parameter", "repeated", "bad_value", "too_long", "empty", "bad_format",
    "bad_date", "bad_time", "bad_offset", "out_of_range", "before_from", "bad_cursor",
    "bad_utf8", NULL,
};

static void
check_filter(const struct store_filter *f, const char *const *set)
{
    CHECK(f->n <= STORE_FILTER_MAX);
    for (size_t i = 0; i < f->n; i++) {
        const char *v = f->values[i];
        CHECK(v != NULL && v[0] != '\0');
        if (set != NULL) {
            CHECK(one_of(v, set));
        } else {
            for (const char *p = v; *p; p++)
                CHECK((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                      (*p >= '0' && *p <= '9') || *p == '_' || *p == '-');
        }
    }
}

static void
check_cursor_round_trip(struct arena *a, const struct complaint_query *q)
{
    static const char *const sorts[] = { "-received_at", "received_at", "-registered_at",
                                         "registered_at" };
    bool by_received = q->sort == STORE_SORT_RECEIVED_DESC || q->sort == STORE_SORT_RECEIVED_ASC;
    struct complaint last = { .id = q->cursor_id, .received_at = q->cursor_key };
    struct complaint_query back;
    struct kv p[2];
    struct err e = { 0 };

    if (!by_received && q->cursor_key != q->cursor_id)
        return;      /* the registered sorts key on the id itself */
    p[0] = (struct kv){ "sort", sorts[q->sort] };
    p[1] = (struct kv){ "cursor", http_cursor_make(a, q->sort, &last) };
    if (p[1].value == NULL)
        return;      /* arena full */
    CHECK(http_decode_list_query(p, 2, 480, a, &back, &e) == 0);
    CHECK(back.has_cursor && back.cursor_key == q->cursor_key && back.cursor_id == q->cursor_id);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* exactly `size` bytes, so ASan catches a read past the end */
    char *buf = malloc(size ? size : 1);
    struct arena *a = arena_new(1 << 20);
    struct kv *kv = (struct kv *)&buf;     /* a marker: untouched on failure */
    size_t n = 12345;
    struct complaint_query q;
    struct err e = { 0 };
    bool has_q = false, has_returned = false;

    CHECK(buf != NULL && a != NULL);
    memcpy(buf, data, size);
    if (http_query_parse(buf, size, a, &kv, &n, &e) != 0) {
        CHECK(e.code == ERR_NOMEM || (e.code == ERR_INVALID && one_of(e.reason, parse_reasons)));
        CHECK(kv == (struct kv *)&buf && n == 12345);
        goto out;
    }
    CHECK(n <= HTTP_QUERY_MAX);
    for (size_t i = 0; i < n; i++) {
        CHECK(kv[i].key != NULL && kv[i].value != NULL);
        CHECK(utf8_is_valid(kv[i].key, strlen(kv[i].key)));
        CHECK(utf8_is_valid(kv[i].value, strlen(kv[i].value)));
        has_q = has_q || strcmp(kv[i].key, "q") == 0;
        has_returned = has_returned || strcmp(kv[i].key, "returned") == 0;
    }
    if (http_decode_list_query(kv, n, 480, a, &q, &e) != 0) {
        CHECK(e.code != ERR_OK && e.reason != NULL);
        if (e.code == ERR_INVALID)
            CHECK(e.field != NULL && one_of(e.reason, list_reasons));
        else
            CHECK(e.code == ERR_NOMEM || e.code == ERR_TOO_LARGE);
        goto out;
    }
    CHECK(e.code == ERR_OK);
    CHECK(q.limit >= 1 && q.limit <= 100);
    CHECK(q.sort >= STORE_SORT_RECEIVED_DESC && q.sort <= STORE_SORT_REGISTERED_ASC);
    check_filter(&q.status, core_statuses);
    check_filter(&q.kind, core_kinds);
    check_filter(&q.channel, core_channels);
    check_filter(&q.category, NULL);
    check_filter(&q.project, NULL);
    check_filter(&q.grade, NULL);
    check_filter(&q.clock, clock_states);
    CHECK(q.handler.n <= STORE_FILTER_MAX);
    for (size_t i = 0; i < q.handler.n; i++) {
        const char *h = q.handler.values[i];
        CHECK(h[0] >= 'a' && h[0] <= 'z' && strlen(h) >= 2 && strlen(h) <= CORE_LOGIN_MAX);
        for (const char *p = h; *p; p++)
            CHECK((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '.' ||
                  *p == '_' || *p == '-');
    }
    CHECK(has_returned == q.returned);
    CHECK(q.now == 0);
    CHECK(has_q == (q.match != NULL));
    if (q.match != NULL)
        CHECK(q.match[0] != '\0' && utf8_is_valid(q.match, strlen(q.match)));
    if (q.has_from && q.has_to)
        CHECK(q.from < q.to);
    if (q.has_cursor) {
        CHECK(q.cursor_key >= 0 && q.cursor_id >= 0);
        check_cursor_round_trip(a, &q);
    }
out:
    arena_free(a);
    free(buf);
    return 0;
}
