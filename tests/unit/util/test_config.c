#include "testutil.h"

#include "util/alloc.h"
#include "util/config.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

/* The field a key sets, as text, so one table can check every key. */
static void
field_text(const struct config *c, const char *key, char *buf, size_t size)
{
    if (strcmp(key, "listen") == 0)
        snprintf(buf, size, "%s|%d", c->listen_host, c->listen_port);
    else if (strcmp(key, "db") == 0)
        snprintf(buf, size, "%s", c->db_path);
    else if (strcmp(key, "number_prefix") == 0)
        snprintf(buf, size, "%s", c->number_prefix);
    else if (strcmp(key, "timezone") == 0)
        snprintf(buf, size, "%d", c->tz_offset_min);
    else if (strcmp(key, "body_max") == 0)
        snprintf(buf, size, "%zu", c->body_max);
    else if (strcmp(key, "attachment_max") == 0)
        snprintf(buf, size, "%zu", c->attachment_max);
    else if (strcmp(key, "threads") == 0)
        snprintf(buf, size, "%d", c->threads);
    else if (strcmp(key, "connection_limit") == 0)
        snprintf(buf, size, "%d", c->connection_limit);
    else if (strcmp(key, "connection_timeout") == 0)
        snprintf(buf, size, "%d", c->connection_timeout);
    else if (strcmp(key, "batch_max") == 0)
        snprintf(buf, size, "%d", c->batch_max);
    else if (strcmp(key, "session_idle") == 0)
        snprintf(buf, size, "%d", c->session_idle);
    else if (strcmp(key, "session_max") == 0)
        snprintf(buf, size, "%d", c->session_max);
    else if (strcmp(key, "cookie_secure") == 0)
        snprintf(buf, size, "%s", c->cookie_secure ? "true" : "false");
    else if (strcmp(key, "login_threads") == 0)
        snprintf(buf, size, "%d", c->login_threads);
    else if (strcmp(key, "login_queue") == 0)
        snprintf(buf, size, "%d", c->login_queue);
    else if (strcmp(key, "login_failures_free") == 0)
        snprintf(buf, size, "%d", c->login_failures_free);
    else if (strcmp(key, "address_failures_free") == 0)
        snprintf(buf, size, "%d", c->address_failures_free);
    else if (strcmp(key, "log_level") == 0)
        snprintf(buf, size, "%s", c->log_level);
    else if (strcmp(key, "lang") == 0)
        snprintf(buf, size, "%s", c->lang);
    else if (strcmp(key, "clock_offset") == 0)
        snprintf(buf, size, "%lld", c->clock_offset);
    else if (strcmp(key, "clock_fixed") == 0)
        snprintf(buf, size, "%s", c->clock_fixed);
    else if (strcmp(key, "clock_file") == 0)
        snprintf(buf, size, "%s", c->clock_file);
    else if (strcmp(key, "scheduler") == 0)
        snprintf(buf, size, "%s", c->scheduler ? "true" : "false");
    else if (strcmp(key, "scheduler_interval_ms") == 0)
        snprintf(buf, size, "%d", c->scheduler_interval_ms);
    else if (strcmp(key, "scheduler_lease") == 0)
        snprintf(buf, size, "%d", c->scheduler_lease);
    else if (strcmp(key, "smtp_url") == 0)
        snprintf(buf, size, "%s", c->smtp_url);
    else if (strcmp(key, "delivery_attempts") == 0)
        snprintf(buf, size, "%d", c->delivery_attempts);
    else if (strcmp(key, "portal_filings_per_hour") == 0)
        snprintf(buf, size, "%d", c->portal_filings_per_hour);
    else
        fail_msg("no such key '%s'", key);
}

static const char *const all_keys[] = {
    "listen",         "db",      "number_prefix",    "timezone",           "body_max",
    "attachment_max", "threads", "connection_limit", "connection_timeout", "batch_max",
    "log_level",      "lang",    "clock_offset",     "session_idle",       "session_max",
    "cookie_secure",  "login_threads", "login_queue", "login_failures_free",
    "address_failures_free", "clock_fixed", "clock_file", "scheduler", "scheduler_interval_ms",
    "scheduler_lease", "smtp_url", "delivery_attempts", "portal_filings_per_hour",
};

static void
assert_same_config(const struct config *a, const struct config *b)
{
    char ta[1100], tb[1100];

    for (size_t i = 0; i < TEST_ARRAY_LEN(all_keys); i++) {
        field_text(a, all_keys[i], ta, sizeof(ta));
        field_text(b, all_keys[i], tb, sizeof(tb));
        if (strcmp(ta, tb) != 0)
            fail_msg("%s: '%s' != '%s'", all_keys[i], ta, tb);
    }
}

static char long_host[256 + 8];     /* "<255 x a>:80" */
static char too_long_host[257 + 8]; /* "<256 x a>:80" */
static char path_1023[1024];
static char path_1024[1025];

static void
make_long_values(void)
{
    memset(long_host, 'a', 255);
    memcpy(long_host + 255, ":80", 4);
    memset(too_long_host, 'a', 256);
    memcpy(too_long_host + 256, ":80", 4);
    memset(path_1023, 'p', 1023);
    path_1023[1023] = '\0';
    memset(path_1024, 'p', 1024);
    path_1024[1024] = '\0';
}

static const struct {
    const char *key;
    const char *value;
    const char *want; /* field_text after success; NULL: must fail with bad_value */
} set_cases[] = {
    /* issue 5: time for tests, the scheduler, the sender */
    {"clock_fixed", "2026-02-10T09:00+08:00", "2026-02-10T09:00+08:00"},
    {"clock_fixed", "", ""},
    {"clock_fixed", "2026-02-30T09:00", NULL},
    {"clock_fixed", "tomorrow", NULL},
    {"clock_file", "/tmp/kesu-now", "/tmp/kesu-now"},
    {"clock_file", "/tmp/a\tb", NULL},
    {"scheduler", "false", "false"},
    {"scheduler", "maybe", NULL},
    {"scheduler_interval_ms", "50", "50"},
    {"scheduler_interval_ms", "49", NULL},
    {"scheduler_lease", "2", "2"},
    {"scheduler_lease", "1", NULL},
    {"smtp_url", "smtp://127.0.0.1:2525", "smtp://127.0.0.1:2525"},
    {"smtp_url", "smtps://mail.example.com:465", "smtps://mail.example.com:465"},
    {"smtp_url", "http://mail.example.com", NULL},
    {"delivery_attempts", "50", "50"},
    {"delivery_attempts", "0", NULL},
    {"listen", "127.0.0.1:8080", "127.0.0.1|8080"},
    {"listen", "0.0.0.0:80", "0.0.0.0|80"},
    {"listen", "localhost:1", "localhost|1"},
    {"listen", "kesu.example.com:443", "kesu.example.com|443"},
    {"listen", "[::1]:8080", "::1|8080"},
    {"listen", "[::]:0", "::|0"},
    {"listen", "[2001:db8::7]:65535", "2001:db8::7|65535"},
    {"listen", ":9000", "127.0.0.1|9000"},
    {"listen", ":0", "127.0.0.1|0"},
    {"listen", ":65535", "127.0.0.1|65535"},
    {"listen", "h:08080", "h|8080"},
    {"listen", "8080", NULL},
    {"listen", "127.0.0.1", NULL},
    {"listen", "127.0.0.1:", NULL},
    {"listen", ":", NULL},
    {"listen", "", NULL},
    {"listen", "127.0.0.1:65536", NULL},
    {"listen", "127.0.0.1:-1", NULL},
    {"listen", "127.0.0.1:+80", NULL},
    {"listen", "127.0.0.1:80x", NULL},
    {"listen", "127.0.0.1: 80", NULL},
    {"listen", "127.0.0.1:99999999999999999999", NULL},
    {"listen", "::1:8080", NULL},
    {"listen", "[::1]8080", NULL},
    {"listen", "[::1]", NULL},
    {"listen", "[::1]:", NULL},
    {"listen", "[::1:8080", NULL},
    {"listen", "[]:80", NULL},
    {"listen", "[zz]:80", NULL},
    {"listen", "[127.0.0.1]:80", NULL},
    {"listen", "1.2.3.400:80", NULL},
    {"listen", "1.2.3:80", NULL},
    {"listen", "ho st:80", NULL},
    {"listen", "host_name:80", NULL},
    {"listen", "主机:80", NULL},
    {"db", "kesu.db", "kesu.db"},
    {"db", "/var/lib/kesu/kesu.db", "/var/lib/kesu/kesu.db"},
    {"db", "投诉.db", "投诉.db"},
    {"db", " spaced name.db ", " spaced name.db "},
    {"db", "", NULL},
    {"db", "a\tb", NULL},
    {"db", "a\nb", NULL},
    {"db", "a\x7f", NULL},
    {"db", "bad\xff.db", NULL},
    {"number_prefix", "KS", "KS"},
    {"number_prefix", "A", "A"},
    {"number_prefix", "K2026", "K2026"},
    {"number_prefix", "ABCDEFGHIJKLMNOP", "ABCDEFGHIJKLMNOP"},
    {"number_prefix", "ABCDEFGHIJKLMNOPQ", NULL},
    {"number_prefix", "", NULL},
    {"number_prefix", "ks", NULL},
    {"number_prefix", "K-S", NULL},
    {"number_prefix", "K S", NULL},
    {"timezone", "+08:00", "480"},
    {"timezone", "-05:30", "-330"},
    {"timezone", "+0800", "480"},
    {"timezone", "+08", "480"},
    {"timezone", "Z", "0"},
    {"timezone", "+23:59", "1439"},
    {"timezone", "+24:00", NULL},
    {"timezone", "UTC", NULL},
    {"timezone", "8", NULL},
    {"timezone", "", NULL},
    {"timezone", "+08:00:00000000000000", NULL},
    {"body_max", "1024", "1024"},
    {"body_max", "16777216", "16777216"},
    {"body_max", "0001024", "1024"},
    {"body_max", "1023", NULL},
    {"body_max", "16777217", NULL},
    {"body_max", "-1", NULL},
    {"body_max", "+1024", NULL},
    {"body_max", " 1024", NULL},
    {"body_max", "1024 ", NULL},
    {"body_max", "1k", NULL},
    {"body_max", "0x400", NULL},
    {"body_max", "", NULL},
    {"body_max", "99999999999999999999999", NULL},
    {"body_max", "18446744073709551616", NULL},
    {"attachment_max", "1024", "1024"},
    {"attachment_max", "1073741824", "1073741824"},
    {"attachment_max", "1023", NULL},
    {"attachment_max", "1073741825", NULL},
    {"threads", "0", "0"},
    {"threads", "64", "64"},
    {"threads", "-1", NULL},
    {"threads", "65", NULL},
    {"threads", "4.0", NULL},
    {"connection_limit", "1", "1"},
    {"connection_limit", "100000", "100000"},
    {"connection_limit", "0", NULL},
    {"connection_limit", "100001", NULL},
    {"connection_timeout", "1", "1"},
    {"connection_timeout", "3600", "3600"},
    {"connection_timeout", "0", NULL},
    {"connection_timeout", "3601", NULL},
    {"batch_max", "1", "1"},
    {"batch_max", "10000", "10000"},
    {"batch_max", "0", NULL},
    {"batch_max", "10001", NULL},
    {"session_idle", "60", "60"},
    {"session_idle", "604800", "604800"},
    {"session_idle", "59", NULL},
    {"session_idle", "2h", NULL},
    {"session_max", "300", "300"},
    {"session_max", "2592001", NULL},
    {"cookie_secure", "true", "true"},
    {"cookie_secure", "1", "true"},
    {"cookie_secure", "yes", "true"},
    {"cookie_secure", "false", "false"},
    {"cookie_secure", "no", "false"},
    {"cookie_secure", "TRUE", NULL},
    {"cookie_secure", "", NULL},
    {"login_threads", "16", "16"},
    {"login_threads", "0", NULL},
    {"login_queue", "1000", "1000"},
    {"login_queue", "1001", NULL},
    {"login_failures_free", "0", "0"},
    {"login_failures_free", "-1", NULL},
    {"address_failures_free", "1000000", "1000000"},
    {"address_failures_free", "1000001", NULL},
    {"portal_filings_per_hour", "1", "1"},
    {"portal_filings_per_hour", "100000", "100000"},
    {"portal_filings_per_hour", "0", NULL},
    {"portal_filings_per_hour", "100001", NULL},
    {"log_level", "error", "error"},
    {"log_level", "warn", "warn"},
    {"log_level", "info", "info"},
    {"log_level", "debug", "debug"},
    {"log_level", "INFO", NULL},
    {"log_level", "trace", NULL},
    {"log_level", "warning", NULL},
    {"log_level", "", NULL},
    {"lang", "zh", "zh"},
    {"lang", "en", "en"},
    {"lang", "ZH", NULL},
    {"lang", "fr", NULL},
    {"lang", "zh-CN", NULL},
    {"lang", "z", NULL},
    {"lang", "", NULL},
    {"clock_offset", "0", "0"},
    {"clock_offset", "-3600", "-3600"},
    {"clock_offset", "+3600", "3600"},
    {"clock_offset", "253402300799", "253402300799"},
    {"clock_offset", "-253402300799", "-253402300799"},
    {"clock_offset", "253402300800", NULL},
    {"clock_offset", "-253402300800", NULL},
    {"clock_offset", "9223372036854775808", NULL},
    {"clock_offset", "-9223372036854775809", NULL},
    {"clock_offset", "1.5", NULL},
    {"clock_offset", "--1", NULL},
    {"clock_offset", "-", NULL},
    {"clock_offset", "+", NULL},
    {"clock_offset", "", NULL},
};

static void
test_config_defaults(void **state)
{
    struct config c;

    (void)state;
    memset(&c, 0x77, sizeof(c));
    config_defaults(&c);
    assert_string_equal(c.listen_host, "127.0.0.1");
    assert_int_equal(c.listen_port, 8080);
    assert_string_equal(c.db_path, "kesu.db");
    assert_string_equal(c.number_prefix, "KS");
    assert_int_equal(c.tz_offset_min, 480);
    assert_int_equal(c.body_max, 262144);
    assert_int_equal(c.attachment_max, 20971520);
    assert_int_equal(c.threads, 0);
    assert_int_equal(c.connection_limit, 1024);
    assert_int_equal(c.connection_timeout, 30);
    assert_int_equal(c.batch_max, 256);
    assert_string_equal(c.log_level, "info");
    assert_string_equal(c.lang, "zh");
    assert_int_equal(c.clock_offset, 0);
    assert_int_equal(c.session_idle, 7200);
    assert_int_equal(c.session_max, 43200);
    assert_false(c.cookie_secure);
    assert_int_equal(c.login_threads, 1);
    assert_int_equal(c.login_queue, 16);
    assert_int_equal(c.login_failures_free, 3);
    assert_int_equal(c.address_failures_free, 20);
    assert_int_equal(c.portal_filings_per_hour, 10);
}

static void
test_config_set_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < TEST_ARRAY_LEN(set_cases); i++) {
        struct config c, before;
        struct err e = {0};
        char got[1100];
        int rc;

        config_defaults(&c);
        before = c;
        rc = config_set(&c, set_cases[i].key, set_cases[i].value, &e);
        if (set_cases[i].want != NULL) {
            if (rc != 0)
                fail_msg("case %zu %s='%s': %s", i, set_cases[i].key, set_cases[i].value, e.detail);
            assert_int_equal(e.code, ERR_OK);
            field_text(&c, set_cases[i].key, got, sizeof(got));
            assert_string_equal(got, set_cases[i].want);
        } else {
            if (rc != -1)
                fail_msg("case %zu %s='%s' accepted", i, set_cases[i].key, set_cases[i].value);
            assert_int_equal(e.code, ERR_INVALID);
            assert_string_equal(e.reason, "bad_value");
            assert_string_equal(e.field, set_cases[i].key);
            assert_non_null(strstr(e.detail, "expected"));
            assert_memory_equal(&c, &before, sizeof(c)); /* untouched on failure */
        }
    }
}

static void
test_config_set_long_values(void **state)
{
    struct config c;
    struct err e = {0};

    (void)state;
    make_long_values();
    config_defaults(&c);
    assert_int_equal(config_set(&c, "listen", long_host, &e), 0);
    assert_int_equal(strlen(c.listen_host), 255);
    assert_int_equal(config_set(&c, "listen", too_long_host, &e), -1);
    assert_string_equal(e.reason, "bad_value");
    err_clear(&e);
    assert_int_equal(config_set(&c, "db", path_1023, &e), 0);
    assert_int_equal(strlen(c.db_path), 1023);
    assert_int_equal(config_set(&c, "db", path_1024, &e), -1);
    assert_string_equal(e.reason, "bad_value");
}

static void
test_config_set_unknown(void **state)
{
    static const char *const keys[] = {"listen_port", "LISTEN",      "", "foo", " listen",
                                       "threads ",    "kesu_threads"};
    struct config c, before;
    struct err e = {0};

    (void)state;
    config_defaults(&c);
    before = c;
    for (size_t i = 0; i < TEST_ARRAY_LEN(keys); i++) {
        err_clear(&e);
        assert_int_equal(config_set(&c, keys[i], "1", &e), -1);
        assert_int_equal(e.code, ERR_INVALID);
        assert_string_equal(e.reason, "unknown_key");
        assert_null(e.field); /* not a static string, so it is in detail instead */
    }
    assert_memory_equal(&c, &before, sizeof(c));

    err_clear(&e);
    assert_int_equal(config_set(&c, NULL, "1", &e), -1);
    assert_string_equal(e.reason, "unknown_key");
    err_clear(&e);
    assert_int_equal(config_set(&c, "threads", NULL, &e), -1);
    assert_string_equal(e.reason, "bad_value");
    assert_string_equal(e.field, "threads");
    err_clear(&e);
    /* unprintable bytes of a bad key do not reach the log */
    assert_int_equal(config_set(&c, "a\x1b[2Jb\xff", "1", &e), -1);
    assert_string_equal(e.detail, "unknown key 'a?[2Jb?'");
}

static const char full_file[] = "\xEF\xBB\xBF# kesu test configuration\r\n"
                                "\r\n"
                                "   # an indented comment\r\n"
                                "listen = [::1]:0\r\n"
                                "db=\"  /tmp/kesu test.db  \"\r\n"
                                "number_prefix\t=\tTS\r\n"
                                "timezone = -05:30\r\n"
                                "body_max = 1048576\r\n"
                                "attachment_max = 1024\r\n"
                                "threads = 4\r\n"
                                "threads = 8\r\n" /* the later line wins */
                                "connection_limit = 10\r\n"
                                "connection_timeout = 5\r\n"
                                "\t\r\n"
                                "batch_max = 16\r\n"
                                "log_level = \"debug\"\r\n"
                                "lang = en\r\n"
                                "clock_offset = -86400"; /* no newline at the end */

static void
test_config_parse_full(void **state)
{
    struct config c;
    struct err e = {0};

    (void)state;
    config_defaults(&c);
    if (config_parse(&c, full_file, sizeof(full_file) - 1, "t.conf", &e) != 0)
        fail_msg("%s", e.detail);
    assert_int_equal(e.code, ERR_OK);
    assert_string_equal(c.listen_host, "::1");
    assert_int_equal(c.listen_port, 0);
    assert_string_equal(c.db_path, "  /tmp/kesu test.db  ");
    assert_string_equal(c.number_prefix, "TS");
    assert_int_equal(c.tz_offset_min, -330);
    assert_int_equal(c.body_max, 1048576);
    assert_int_equal(c.attachment_max, 1024);
    assert_int_equal(c.threads, 8);
    assert_int_equal(c.connection_limit, 10);
    assert_int_equal(c.connection_timeout, 5);
    assert_int_equal(c.batch_max, 16);
    assert_string_equal(c.log_level, "debug");
    assert_string_equal(c.lang, "en");
    assert_int_equal(c.clock_offset, -86400);
}

static const struct {
    const char *text;
    const char *key;    /* field to check on success */
    const char *want;   /* its text on success; NULL on failure */
    const char *reason; /* on failure */
    const char *detail; /* on failure: detail starts with this */
} parse_cases[] = {
    {"", "threads", "0", NULL, NULL},
    {"\n\n\n", "threads", "0", NULL, NULL},
    {"# only a comment", "threads", "0", NULL, NULL},
    {"\xEF\xBB\xBF", "threads", "0", NULL, NULL},
    {"\xEF\xBB\xBFthreads = 3\n", "threads", "3", NULL, NULL},
    {"threads=3", "threads", "3", NULL, NULL},
    {"  threads  =  3  ", "threads", "3", NULL, NULL},
    {"threads = 3\r", "threads", "3", NULL, NULL},
    {"threads = \"3\"", "threads", "3", NULL, NULL},
    {"db = a=b.db", "db", "a=b.db", NULL, NULL},
    {"db = \"a # not a comment.db\"", "db", "a # not a comment.db", NULL, NULL},
    {"db = a#b.db", "db", "a#b.db", NULL, NULL},
    {"db = \"say \"hi\".db\"", "db", "say \"hi\".db", NULL, NULL},
    {"db = 投诉 数据.db", "db", "投诉 数据.db", NULL, NULL},
    {"listen = :0\n#threads = 99\n", "listen", "127.0.0.1|0", NULL, NULL},
    /* failures name the line */
    {"threads = 3\nfoo = 1\n", NULL, NULL, "unknown_key", "t.conf:2: unknown key 'foo'"},
    {"\n\n# c\nlisten_port = 1\n", NULL, NULL, "unknown_key", "t.conf:4: unknown key"},
    {"\xEF\xBB\xBF\nbogus=1", NULL, NULL, "unknown_key", "t.conf:2: "},
    {"threads = 1\n\xEF\xBB\xBFthreads = 2", NULL, NULL, "unknown_key", "t.conf:2: "},
    {"threads = 4 # four", NULL, NULL, "bad_value", "t.conf:1: threads: expected"},
    {"a\r\nb\r\nthreads = 65\r\n", NULL, NULL, "bad_syntax", "t.conf:1: "},
    {"\r\n\r\nthreads = 65\r\n", NULL, NULL, "bad_value", "t.conf:3: threads: "},
    {"threads 4", NULL, NULL, "bad_syntax", "t.conf:1: expected key = value"},
    {"= 4", NULL, NULL, "bad_syntax", "t.conf:1: "},
    {"db = \"unterminated", NULL, NULL, "bad_syntax", "t.conf:1: "},
    {"db = \"", NULL, NULL, "bad_syntax", "t.conf:1: "},
    {"db = \"x\" # comment", NULL, NULL, "bad_syntax", "t.conf:1: "},
    {"db = \"\"", NULL, NULL, "bad_value", "t.conf:1: db: "},
    {"db = ", NULL, NULL, "bad_value", "t.conf:1: db: "},
    {"db = bad\xC3.db", NULL, NULL, "bad_syntax", "t.conf:1: not UTF-8"},
    {"[server]\nlisten = :1", NULL, NULL, "bad_syntax", "t.conf:1: "},
};

static void
test_config_parse_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < TEST_ARRAY_LEN(parse_cases); i++) {
        struct config c, before;
        struct err e = {0};
        char got[1100];
        int rc;

        config_defaults(&c);
        before = c;
        rc = config_parse(&c, parse_cases[i].text, strlen(parse_cases[i].text), "t.conf", &e);
        if (parse_cases[i].want != NULL) {
            if (rc != 0)
                fail_msg("case %zu: %s", i, e.detail);
            field_text(&c, parse_cases[i].key, got, sizeof(got));
            assert_string_equal(got, parse_cases[i].want);
        } else {
            if (rc != -1)
                fail_msg("case %zu accepted", i);
            assert_int_equal(e.code, ERR_INVALID);
            assert_string_equal(e.reason, parse_cases[i].reason);
            if (strncmp(e.detail, parse_cases[i].detail, strlen(parse_cases[i].detail)) != 0)
                fail_msg("case %zu: detail '%s', want '%s...'", i, e.detail, parse_cases[i].detail);
            assert_memory_equal(&c, &before, sizeof(c)); /* all lines or none */
        }
    }
}

static void
test_config_parse_edges(void **state)
{
    static const char with_nul[] = "db = a\0b.db\n";
    struct config c;
    struct err e = {0};

    (void)state;
    config_defaults(&c);
    /* a NUL byte inside a value */
    assert_int_equal(config_parse(&c, with_nul, sizeof(with_nul) - 1, "t.conf", &e), -1);
    assert_string_equal(e.reason, "bad_value");
    assert_string_equal(e.field, "db");
    assert_string_equal(c.db_path, "kesu.db");
    /* no origin given */
    err_clear(&e);
    assert_int_equal(config_parse(&c, "x = 1", 5, NULL, &e), -1);
    assert_string_equal(e.detail, "config:1: unknown key 'x'");
    /* the length is honoured */
    err_clear(&e);
    assert_int_equal(config_parse(&c, "threads = 12junk", 12, "t.conf", &e), 0);
    assert_int_equal(c.threads, 12);
    /* bad values keep the key as field */
    assert_int_equal(config_parse(&c, "lang = fr", 9, "t.conf", &e), -1);
    assert_string_equal(e.field, "lang");
    /* the first error wins */
    assert_int_equal(config_parse(&c, "x = 1", 5, "t.conf", &e), -1);
    assert_string_equal(e.field, "lang");
}

static void
test_config_env(void **state)
{
    char *env[] = {
        "PATH=/usr/bin",
        "KESU_LISTEN=:9999",
        "KESU_THREADS=8",
        "KESU_BIN=/build/kesu", /* not a key: left alone */
        "KESU_listen=:1",       /* lower case: not ours */
        "KESU_=x",
        "KESU_NOEQUALS",
        "KESU_NUMBER_PREFIX=AB",
        "KESU_TIMEZONE=-05:00",
        "KESU_DB= spaced.db ", /* taken as is */
        "KESUTHREADS=2",
        NULL,
    };
    struct config c;
    struct err e = {0};

    (void)state;
    config_defaults(&c);
    assert_int_equal(config_load_env(&c, env, &e), 0);
    assert_string_equal(c.listen_host, "127.0.0.1");
    assert_int_equal(c.listen_port, 9999);
    assert_int_equal(c.threads, 8);
    assert_string_equal(c.number_prefix, "AB");
    assert_int_equal(c.tz_offset_min, -300);
    assert_string_equal(c.db_path, " spaced.db ");
    assert_int_equal(config_load_env(&c, NULL, &e), 0);
}

static void
test_config_env_bad(void **state)
{
    char *env[] = {"KESU_THREADS=8", "KESU_BATCH_MAX=0", NULL};
    char *env_space[] = {"KESU_THREADS= 8", NULL};
    struct config c, before;
    struct err e = {0};

    (void)state;
    config_defaults(&c);
    before = c;
    assert_int_equal(config_load_env(&c, env, &e), -1);
    assert_int_equal(e.code, ERR_INVALID);
    assert_string_equal(e.reason, "bad_value");
    assert_string_equal(e.field, "batch_max");
    assert_non_null(strstr(e.detail, "KESU_BATCH_MAX"));
    assert_memory_equal(&c, &before, sizeof(c)); /* THREADS not applied either */
    err_clear(&e);
    assert_int_equal(config_load_env(&c, env_space, &e), -1);
    assert_string_equal(e.field, "threads");
}

static char tmpdir[64];

static int
setup_dir(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof(tmpdir), "/tmp/kesu-test-config-XXXXXX");
    return mkdtemp(tmpdir) == NULL ? -1 : 0;
}

static int
teardown_dir(void **state)
{
    char cmd[128];

    (void)state;
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

static void
write_file(const char *path, const char *text, size_t len)
{
    FILE *f = fopen(path, "wb");

    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

static void
test_config_file(void **state)
{
    char *env[] = {"KESU_THREADS=2", "KESU_LANG=zh", NULL};
    char path[128];
    struct config c;
    struct err e = {0};

    (void)state;
    snprintf(path, sizeof(path), "%s/kesu.conf", tmpdir);
    write_file(path, full_file, sizeof(full_file) - 1);
    config_defaults(&c);
    assert_int_equal(config_load_file(&c, path, &e), 0);
    assert_int_equal(c.threads, 8);
    assert_string_equal(c.listen_host, "::1");

    /* a file, then the environment over it */
    assert_int_equal(config_load_env(&c, env, &e), 0);
    assert_int_equal(c.threads, 2);
    assert_string_equal(c.lang, "zh");
    assert_int_equal(c.batch_max, 16);

    /* the error points at the file and line */
    write_file(path, "lang = en\nthreads = many\n", 25);
    assert_int_equal(config_load_file(&c, path, &e), -1);
    assert_int_equal(e.code, ERR_INVALID);
    assert_string_equal(e.field, "threads");
    assert_true(strncmp(e.detail, path, strlen(path)) == 0);
    assert_non_null(strstr(e.detail, ".conf:2: threads: expected"));
    assert_string_equal(c.lang, "zh");
}

static void
test_config_file_errors(void **state)
{
    char path[128];
    struct config c, before;
    struct err e = {0};
    char *big;

    (void)state;
    config_defaults(&c);
    before = c;
    snprintf(path, sizeof(path), "%s/missing.conf", tmpdir);
    assert_int_equal(config_load_file(&c, path, &e), -1);
    assert_int_equal(e.code, ERR_NOT_FOUND);
    assert_string_equal(e.reason, "not_found");

    err_clear(&e);
    snprintf(path, sizeof(path), "%s/nodir/kesu.conf", tmpdir);
    assert_int_equal(config_load_file(&c, path, &e), -1);
    assert_int_equal(e.code, ERR_NOT_FOUND);

    /* a directory opens but cannot be read */
    err_clear(&e);
    assert_int_equal(config_load_file(&c, tmpdir, &e), -1);
    assert_int_equal(e.code, ERR_INVALID);
    assert_string_equal(e.reason, "unreadable");

    /* a megabyte is already the wrong file */
    err_clear(&e);
    big = calloc(1, 1024 * 1024 + 1);
    assert_non_null(big);
    memset(big, '#', 1024 * 1024 + 1);
    snprintf(path, sizeof(path), "%s/big.conf", tmpdir);
    write_file(path, big, 1024 * 1024 + 1);
    free(big);
    assert_int_equal(config_load_file(&c, path, &e), -1);
    assert_int_equal(e.code, ERR_TOO_LARGE);

    /* an empty file is fine */
    err_clear(&e);
    snprintf(path, sizeof(path), "%s/empty.conf", tmpdir);
    write_file(path, "", 0);
    assert_int_equal(config_load_file(&c, path, &e), 0);
    assert_memory_equal(&c, &before, sizeof(c));

    /* a file we may not read (root may read anything, so only as a user) */
    if (geteuid() != 0) {
        snprintf(path, sizeof(path), "%s/secret.conf", tmpdir);
        write_file(path, "threads = 1\n", 12);
        assert_int_equal(chmod(path, 0), 0);
        err_clear(&e);
        assert_int_equal(config_load_file(&c, path, &e), -1);
        assert_int_equal(e.code, ERR_FORBIDDEN);
    }
}

/* The shipped example documents the defaults: it must parse to exactly them. */
static void
test_config_example_is_defaults(void **state)
{
    struct config c, defaults;
    struct err e = {0};

    (void)state;
    config_defaults(&defaults);
    config_defaults(&c);
    c.threads = 7; /* proves the file sets it */
    if (config_load_file(&c, "kesu.conf.example", &e) < 0) {
        if (e.code == ERR_NOT_FOUND)
            skip(); /* run from the repository root, as make does */
        fail_msg("%s", e.detail);
    }
    assert_same_config(&c, &defaults);
}

/* Fail each allocation in turn: always ERR_NOMEM, the config untouched, no leak. */
static void
test_config_file_nomem(void **state)
{
    char path[128];
    struct config c, before;
    unsigned long n;

    (void)state;
    snprintf(path, sizeof(path), "%s/kesu.conf", tmpdir);
    write_file(path, full_file, sizeof(full_file) - 1);
    config_defaults(&c);
    before = c;
    for (n = 1; n < 100; n++) {
        struct err e = {0};
        int rc;

        alloc_fail_at(n, 1);
        rc = config_load_file(&c, path, &e);
        alloc_fail_at(0, 0);
        if (rc == 0)
            break;
        assert_int_equal(e.code, ERR_NOMEM);
        assert_memory_equal(&c, &before, sizeof(c));
    }
    assert_true(n > 1); /* at least one allocation was made and failed */
    assert_int_equal(c.threads, 8);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_config_defaults),
        cmocka_unit_test(test_config_set_table),
        cmocka_unit_test(test_config_set_long_values),
        cmocka_unit_test(test_config_set_unknown),
        cmocka_unit_test(test_config_parse_full),
        cmocka_unit_test(test_config_parse_table),
        cmocka_unit_test(test_config_parse_edges),
        cmocka_unit_test(test_config_env),
        cmocka_unit_test(test_config_env_bad),
        cmocka_unit_test(test_config_file),
        cmocka_unit_test(test_config_file_errors),
        cmocka_unit_test(test_config_file_nomem),
        cmocka_unit_test(test_config_example_is_defaults),
    };

    return cmocka_run_group_tests(tests, setup_dir, teardown_dir);
}
