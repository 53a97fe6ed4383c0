/*
 * Fuzz config_parse() on arbitrary text, starting from the defaults.
 * Invariants checked:
 *   - on failure e.code is set, the reason is one the header lists, the
 *     detail points at "fuzz:<line>: " and the config is still the defaults
 *     (a file applies whole or not at all);
 *   - on success every field is inside its documented range, and parsing the
 *     same text again over the result succeeds and changes nothing.
 */
#include "util/config.h"
#include "util/ts.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #cond);           \
            __builtin_trap();                                                                      \
        }                                                                                          \
    } while (0)

static bool
one_of(const char *s, const char *const *names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(s, names[i]) == 0)
            return true;
    return false;
}

static bool
terminated(const char *s, size_t size)
{
    return memchr(s, '\0', size) != NULL;
}

static void
check_ranges(const struct config *c)
{
    static const char *const levels[] = {"error", "warn", "info", "debug"};
    static const char *const langs[] = {"zh", "en"};
    size_t n;

    CHECK(terminated(c->listen_host, sizeof(c->listen_host)) && c->listen_host[0] != '\0');
    CHECK(c->listen_port >= 0 && c->listen_port <= 65535);
    CHECK(terminated(c->db_path, sizeof(c->db_path)) && c->db_path[0] != '\0');
    CHECK(terminated(c->number_prefix, sizeof(c->number_prefix)));
    n = strlen(c->number_prefix);
    CHECK(n >= 1 && n <= 16);
    for (size_t i = 0; i < n; i++)
        CHECK((c->number_prefix[i] >= 'A' && c->number_prefix[i] <= 'Z') ||
              (c->number_prefix[i] >= '0' && c->number_prefix[i] <= '9'));
    CHECK(c->tz_offset_min >= -1439 && c->tz_offset_min <= 1439);
    CHECK(c->body_max >= 1024 && c->body_max <= 16 * 1024 * 1024);
    CHECK(c->attachment_max >= 1024 && c->attachment_max <= 1024 * 1024 * 1024);
    CHECK(c->threads >= 0 && c->threads <= 64);
    CHECK(c->connection_limit >= 1 && c->connection_limit <= 100000);
    CHECK(c->connection_timeout >= 1 && c->connection_timeout <= 3600);
    CHECK(c->batch_max >= 1 && c->batch_max <= 10000);
    CHECK(terminated(c->log_level, sizeof(c->log_level)) && one_of(c->log_level, levels, 4));
    CHECK(terminated(c->lang, sizeof(c->lang)) && one_of(c->lang, langs, 2));
    CHECK(c->clock_offset >= -TS_MAX && c->clock_offset <= TS_MAX);
}

static bool
same(const struct config *a, const struct config *b)
{
    return strcmp(a->listen_host, b->listen_host) == 0 && a->listen_port == b->listen_port &&
           strcmp(a->db_path, b->db_path) == 0 && strcmp(a->number_prefix, b->number_prefix) == 0 &&
           a->tz_offset_min == b->tz_offset_min && a->body_max == b->body_max &&
           a->attachment_max == b->attachment_max && a->threads == b->threads &&
           a->connection_limit == b->connection_limit &&
           a->connection_timeout == b->connection_timeout && a->batch_max == b->batch_max &&
           strcmp(a->log_level, b->log_level) == 0 && strcmp(a->lang, b->lang) == 0 &&
           a->clock_offset == b->clock_offset;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const reasons[] = {"unknown_key", "bad_value", "bad_syntax"};
    /* exactly `size` bytes, so ASan catches a read past the end */
    char *buf = malloc(size ? size : 1);
    struct config c, defaults, again;
    struct err e = {0};

    CHECK(buf != NULL);
    memcpy(buf, data, size);
    config_defaults(&defaults);
    config_defaults(&c);
    if (config_parse(&c, buf, size, "fuzz", &e) == 0) {
        CHECK(e.code == ERR_OK);
        check_ranges(&c);
        again = c;
        CHECK(config_parse(&again, buf, size, "fuzz", &e) == 0);
        CHECK(same(&again, &c));
    } else {
        CHECK(e.code != ERR_OK);
        CHECK(e.code == ERR_INVALID);
        CHECK(e.reason != NULL && one_of(e.reason, reasons, 3));
        CHECK(strncmp(e.detail, "fuzz:", 5) == 0);
        CHECK(same(&c, &defaults));
    }
    free(buf);
    return 0;
}
