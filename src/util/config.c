#include "util/config.h"
#include "util/sbuf.h"
#include "util/str.h"
#include "util/ts.h"
#include "util/utf8.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <stddef.h>
#include <string.h>

/* A config file is a page of text; anything this big is the wrong file. */
#define CONFIG_FILE_MAX (1024 * 1024)
#define KEY_NAME_MAX 64

/* One row per key: the one place that says which keys exist and their limits. */
struct key_def {
    const char *name; /* as written in the file; KESU_ + upper case in the environment */
    /* validates and stores; writes nothing on failure */
    int (*set)(struct config *c, const struct key_def *k, struct str v, struct err *e);
    long long min; /* numeric keys: smallest accepted value */
    long long max; /* numeric keys: largest accepted value */
    size_t offset; /* set_int: where the int lives in struct config */
};

static int
bad_value(struct err *e, const struct key_def *k, const char *expected)
{
    return err_set(e, ERR_INVALID, k->name, "bad_value", "%s: expected %s", k->name, expected);
}

/*
 * Decimal integer in min..max: only digits, with a sign only where negatives
 * are allowed. strtoll alone would also take leading spaces and a '+', and
 * stop silently at junk.
 */
static int
parse_ll(struct str v, long long min, long long max, long long *out)
{
    char buf[32];
    char *end;
    long long n;
    size_t i = 0;

    if (v.len == 0 || v.len >= sizeof(buf))
        return -1;
    if (min < 0 && (v.p[0] == '-' || v.p[0] == '+'))
        i++;
    if (i == v.len)
        return -1;
    for (; i < v.len; i++)
        if (v.p[i] < '0' || v.p[i] > '9')
            return -1;
    memcpy(buf, v.p, v.len);
    buf[v.len] = '\0';
    errno = 0;
    n = strtoll(buf, &end, 10);
    if (errno != 0 || *end != '\0' || n < min || n > max)
        return -1;
    *out = n;
    return 0;
}

static int
parse_number(const struct key_def *k, struct str v, long long *out, struct err *e)
{
    char expected[64];

    if (parse_ll(v, k->min, k->max, out) == 0)
        return 0;
    snprintf(expected, sizeof(expected), "an integer %lld..%lld", k->min, k->max);
    return bad_value(e, k, expected);
}

static bool
is_host_char(char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
           ch == '-' || ch == '.';
}

/*
 * "host:port", "[v6addr]:port" or ":port". The host is stored without
 * brackets because that is what getaddrinfo() takes.
 */
static int
set_listen(struct config *c, const struct key_def *k, struct str v, struct err *e)
{
    static const char expected[] = "host:port, [ipv6]:port or :port with port 0..65535";
    char host[sizeof(c->listen_host)];
    unsigned char addr[16];
    struct str h, port;
    const char *colon;
    bool numeric = true;
    long long p;

    if (v.len > 0 && v.p[0] == '[') {
        const char *close = memchr(v.p, ']', v.len);
        if (close == NULL)
            return bad_value(e, k, expected);
        h = (struct str){v.p + 1, (size_t)(close - v.p) - 1};
        if ((size_t)(close - v.p) + 1 >= v.len || close[1] != ':')
            return bad_value(e, k, expected);
        port = (struct str){close + 2, v.len - (size_t)(close - v.p) - 2};
        if (h.len == 0 || h.len >= sizeof(host))
            return bad_value(e, k, expected);
        memcpy(host, h.p, h.len);
        host[h.len] = '\0';
        if (inet_pton(AF_INET6, host, addr) != 1)
            return bad_value(e, k, "a valid IPv6 address inside [ ]");
    } else {
        colon = v.len > 0 ? memrchr(v.p, ':', v.len) : NULL;
        if (colon == NULL)
            return bad_value(e, k, expected);
        h = (struct str){v.p, (size_t)(colon - v.p)};
        port = (struct str){colon + 1, v.len - h.len - 1};
        if (h.len == 0)
            h = STR_LIT("127.0.0.1");
        if (h.len >= sizeof(host))
            return bad_value(e, k, "a host name of at most 255 characters");
        for (size_t i = 0; i < h.len; i++) {
            if (!is_host_char(h.p[i]))
                return bad_value(e, k, expected);
            if (h.p[i] != '.' && (h.p[i] < '0' || h.p[i] > '9'))
                numeric = false;
        }
        memcpy(host, h.p, h.len);
        host[h.len] = '\0';
        /* "1.2.3.400" would otherwise pass as a host name and fail only at bind */
        if (numeric && inet_pton(AF_INET, host, addr) != 1)
            return bad_value(e, k, "a valid IPv4 address");
    }
    if (parse_ll(port, 0, 65535, &p) < 0)
        return bad_value(e, k, expected);
    memcpy(c->listen_host, host, h.len + 1);
    c->listen_port = (int)p;
    return 0;
}

static int
set_db(struct config *c, const struct key_def *k, struct str v, struct err *e)
{
    if (v.len == 0 || v.len >= sizeof(c->db_path))
        return bad_value(e, k, "a path of 1-1023 bytes");
    if (utf8_has_control(v.p, v.len, false) || !utf8_is_valid(v.p, v.len))
        return bad_value(e, k, "a path without control characters");
    memcpy(c->db_path, v.p, v.len);
    c->db_path[v.len] = '\0';
    return 0;
}

static int
set_number_prefix(struct config *c, const struct key_def *k, struct str v, struct err *e)
{
    if (v.len == 0 || v.len >= sizeof(c->number_prefix))
        return bad_value(e, k, "1-16 characters A-Z 0-9");
    for (size_t i = 0; i < v.len; i++)
        if (!((v.p[i] >= 'A' && v.p[i] <= 'Z') || (v.p[i] >= '0' && v.p[i] <= '9')))
            return bad_value(e, k, "1-16 characters A-Z 0-9");
    memcpy(c->number_prefix, v.p, v.len);
    c->number_prefix[v.len] = '\0';
    return 0;
}

static int
set_timezone(struct config *c, const struct key_def *k, struct str v, struct err *e)
{
    char buf[16];
    int minutes;

    if (v.len >= sizeof(buf))
        return bad_value(e, k, "an offset such as +08:00, -05:30 or Z");
    memcpy(buf, v.p, v.len);
    buf[v.len] = '\0';
    if (ts_parse_offset(buf, &minutes) < 0)
        return bad_value(e, k, "an offset such as +08:00, -05:30 or Z");
    c->tz_offset_min = minutes;
    return 0;
}

static int
set_body_max(struct config *c, const struct key_def *k, struct str v, struct err *e)
{
    long long n;

    if (parse_number(k, v, &n, e) < 0)
        return -1;
    c->body_max = (size_t)n;
    return 0;
}

static int
set_attachment_max(struct config *c, const struct key_def *k, struct str v, struct err *e)
{
    long long n;

    if (parse_number(k, v, &n, e) < 0)
        return -1;
    c->attachment_max = (size_t)n;
    return 0;
}

/* Any int key: the table says where it lives and its range. */
static int
set_int(struct config *c, const struct key_def *k, struct str v, struct err *e)
{
    long long n;

    if (parse_number(k, v, &n, e) < 0)
        return -1;
    memcpy((char *)c + k->offset, &(int){ (int)n }, sizeof(int));
    return 0;
}

static int
set_bool(struct config *c, const struct key_def *k, struct str v, struct err *e)
{
    bool b;

    if (str_eq(v, "true") || str_eq(v, "1") || str_eq(v, "yes"))
        b = true;
    else if (str_eq(v, "false") || str_eq(v, "0") || str_eq(v, "no"))
        b = false;
    else
        return bad_value(e, k, "true or false");
    memcpy((char *)c + k->offset, &b, sizeof(b));
    return 0;
}

static int
set_clock_offset(struct config *c, const struct key_def *k, struct str v, struct err *e)
{
    long long n;

    if (parse_number(k, v, &n, e) < 0)
        return -1;
    c->clock_offset = n;
    return 0;
}

static int
set_log_level(struct config *c, const struct key_def *k, struct str v, struct err *e)
{
    static const char *const levels[] = {"error", "warn", "info", "debug"};

    for (size_t i = 0; i < ARRAY_LEN(levels); i++) {
        if (str_eq(v, levels[i])) {
            memcpy(c->log_level, v.p, v.len);
            c->log_level[v.len] = '\0';
            return 0;
        }
    }
    return bad_value(e, k, "error, warn, info or debug");
}

static int
set_lang(struct config *c, const struct key_def *k, struct str v, struct err *e)
{
    if (!str_eq(v, "zh") && !str_eq(v, "en"))
        return bad_value(e, k, "zh or en");
    memcpy(c->lang, v.p, 2);
    c->lang[2] = '\0';
    return 0;
}

/* Free text of a fixed-size member: the table's max is its size. */
static int
set_text(struct config *c, const struct key_def *k, struct str v, struct err *e)
{
    char *dst = (char *)c + k->offset;

    if (v.len >= (size_t)k->max)
        return bad_value(e, k, "shorter text");
    if (utf8_has_control(v.p, v.len, false) || !utf8_is_valid(v.p, v.len))
        return bad_value(e, k, "text without control characters");
    memcpy(dst, v.p, v.len);
    dst[v.len] = '\0';
    return 0;
}

static int
set_clock_fixed(struct config *c, const struct key_def *k, struct str v, struct err *e)
{
    struct err ignored = { 0 };
    int64_t t;

    if (v.len > 0 && (v.len >= sizeof(c->clock_fixed) ||
                      ts_parse(v.p, v.len, c->tz_offset_min, &t, NULL, k->name, &ignored) < 0))
        return bad_value(e, k, "an ISO 8601 time such as 2026-02-10T09:00+08:00, or nothing");
    memcpy(c->clock_fixed, v.p, v.len);
    c->clock_fixed[v.len] = '\0';
    return 0;
}

static int
set_smtp_url(struct config *c, const struct key_def *k, struct str v, struct err *e)
{
    if (v.len > 0 && !(v.len > 7 && (memcmp(v.p, "smtp://", 7) == 0 ||
                                     (v.len > 8 && memcmp(v.p, "smtps://", 8) == 0))))
        return bad_value(e, k, "smtp://host:port or smtps://host:port, or nothing");
    return set_text(c, k, v, e);
}

#define TEXT_KEY(name, setter, member) \
    { name, setter, 0, (long long)sizeof(((struct config *)0)->member), \
      offsetof(struct config, member) }

static const struct key_def keys[] = {
    {"listen", set_listen, 0, 0, 0},
    {"db", set_db, 0, 0, 0},
    {"number_prefix", set_number_prefix, 0, 0, 0},
    {"timezone", set_timezone, 0, 0, 0},
    {"body_max", set_body_max, 1024, 16LL * 1024 * 1024, 0},
    {"attachment_max", set_attachment_max, 1024, 1024LL * 1024 * 1024, 0},
    {"threads", set_int, 0, 64, offsetof(struct config, threads)},
    {"connection_limit", set_int, 1, 100000, offsetof(struct config, connection_limit)},
    {"connection_timeout", set_int, 1, 3600, offsetof(struct config, connection_timeout)},
    {"batch_max", set_int, 1, 10000, offsetof(struct config, batch_max)},
    {"session_idle", set_int, 60, 7 * 86400, offsetof(struct config, session_idle)},
    {"session_max", set_int, 300, 30 * 86400, offsetof(struct config, session_max)},
    {"cookie_secure", set_bool, 0, 0, offsetof(struct config, cookie_secure)},
    {"login_threads", set_int, 1, 16, offsetof(struct config, login_threads)},
    {"login_queue", set_int, 1, 1000, offsetof(struct config, login_queue)},
    {"login_failures_free", set_int, 0, 1000000, offsetof(struct config, login_failures_free)},
    {"address_failures_free", set_int, 0, 1000000,
     offsetof(struct config, address_failures_free)},
    {"compensation_approval", set_int, -1, 100000000,
     offsetof(struct config, compensation_approval)},
    {"followup_sample_percent", set_int, 0, 100, offsetof(struct config, followup_sample_percent)},
    {"portal_filings_per_hour", set_int, 1, 100000,
     offsetof(struct config, portal_filings_per_hour)},
    {"log_level", set_log_level, 0, 0, 0},
    {"lang", set_lang, 0, 0, 0},
    /* beyond this, now + offset would leave the range util/ts handles */
    {"clock_offset", set_clock_offset, -TS_MAX, TS_MAX, 0},
    {"clock_fixed", set_clock_fixed, 0, 0, 0},
    TEXT_KEY("clock_file", set_text, clock_file),
    TEXT_KEY("web_root", set_text, web_root),
    {"scheduler", set_bool, 0, 0, offsetof(struct config, scheduler)},
    {"scheduler_interval_ms", set_int, 50, 3600000, offsetof(struct config, scheduler_interval_ms)},
    {"scheduler_lease", set_int, 2, 86400, offsetof(struct config, scheduler_lease)},
    {"scheduler_batch", set_int, 1, 10000, offsetof(struct config, scheduler_batch)},
    TEXT_KEY("smtp_url", set_smtp_url, smtp_url),
    TEXT_KEY("smtp_from", set_text, smtp_from),
    TEXT_KEY("smtp_user", set_text, smtp_user),
    TEXT_KEY("smtp_password", set_text, smtp_password),
    {"delivery_attempts", set_int, 1, 50, offsetof(struct config, delivery_attempts)},
    {"delivery_backoff", set_int, 1, 86400, offsetof(struct config, delivery_backoff)},
    {"delivery_timeout", set_int, 1, 300, offsetof(struct config, delivery_timeout)},
    {"delivery_interval_ms", set_int, 20, 600000, offsetof(struct config, delivery_interval_ms)},
};

static const struct key_def *
find_key(struct str key)
{
    for (size_t i = 0; i < ARRAY_LEN(keys); i++)
        if (str_eq(key, keys[i].name))
            return &keys[i];
    return NULL;
}

/* Copy at most 40 bytes of an unknown key for the log, hiding anything unprintable. */
static void
printable_key(struct str key, char *out, size_t size)
{
    size_t n = key.len < size - 1 ? key.len : size - 1;

    for (size_t i = 0; i < n; i++) {
        char ch = key.p[i];
        out[i] = (ch > 0x20 && ch < 0x7F) ? ch : '?';
    }
    out[n] = '\0';
}

static int
set_one(struct config *c, struct str key, struct str value, struct err *e)
{
    const struct key_def *k = find_key(key);
    char shown[41];

    if (k == NULL) {
        printable_key(key, shown, sizeof(shown));
        return err_set(e, ERR_INVALID, NULL, "unknown_key", "unknown key '%s'", shown);
    }
    /* C strings end at a NUL; a value that hides one is not what it seems */
    if (memchr(value.p, '\0', value.len) != NULL)
        return bad_value(e, k, "text without NUL bytes");
    return k->set(c, k, value, e);
}

void
config_defaults(struct config *c)
{
    memset(c, 0, sizeof(*c));
    memcpy(c->listen_host, "127.0.0.1", sizeof("127.0.0.1"));
    c->listen_port = 8080;
    memcpy(c->db_path, "kesu.db", sizeof("kesu.db"));
    memcpy(c->number_prefix, "KS", sizeof("KS"));
    c->tz_offset_min = 8 * 60;
    c->body_max = 262144;
    c->attachment_max = 20971520;
    c->threads = 0;
    c->connection_limit = 1024;
    c->connection_timeout = 30;
    c->batch_max = 256;
    c->session_idle = 2 * 3600;
    c->session_max = 12 * 3600;
    c->cookie_secure = false;
    c->login_threads = 1;
    c->login_queue = 16;
    c->login_failures_free = 3;
    c->address_failures_free = 20;
    c->compensation_approval = 1000;
    c->followup_sample_percent = 20;
    c->portal_filings_per_hour = 10;
    memcpy(c->log_level, "info", sizeof("info"));
    memcpy(c->lang, "zh", sizeof("zh"));
    c->clock_offset = 0;
    c->scheduler = true;
    c->scheduler_interval_ms = 30000;
    c->scheduler_lease = 120;
    c->scheduler_batch = 200;
    memcpy(c->smtp_from, "kesu@localhost", sizeof("kesu@localhost"));
    c->delivery_attempts = 6;
    c->delivery_backoff = 30;
    c->delivery_timeout = 10;
    c->delivery_interval_ms = 1000;
}

int
config_set(struct config *c, const char *key, const char *value, struct err *e)
{
    if (key == NULL)
        return err_set(e, ERR_INVALID, NULL, "unknown_key", "no key given");
    if (value == NULL) {
        const struct key_def *k = find_key(str_from(key));
        if (k != NULL)
            return bad_value(e, k, "a value");
    }
    return set_one(c, str_from(key), str_from(value), e);
}

static int
syntax_error(struct err *e, const char *origin, size_t line, const char *what)
{
    return err_set(e, ERR_INVALID, NULL, "bad_syntax", "%s:%zu: %s", origin, line, what);
}

/* Apply one non-blank, non-comment line. */
static int
parse_line(struct config *c, struct str line, const char *origin, size_t lineno, struct err *e)
{
    const char *eq = memchr(line.p, '=', line.len);
    struct err le = {0};
    struct str key, value;

    if (!utf8_is_valid(line.p, line.len))
        return syntax_error(e, origin, lineno, "not UTF-8");
    if (eq == NULL)
        return syntax_error(e, origin, lineno, "expected key = value");
    key = str_trim((struct str){line.p, (size_t)(eq - line.p)});
    value = str_trim((struct str){eq + 1, line.len - (size_t)(eq - line.p) - 1});
    if (key.len == 0)
        return syntax_error(e, origin, lineno, "no key before '='");
    if (value.len > 0 && value.p[0] == '"') {
        if (value.len < 2 || value.p[value.len - 1] != '"')
            return syntax_error(e, origin, lineno, "a value opened with '\"' must end with '\"'");
        value.p++;
        value.len -= 2;
    }
    if (set_one(c, key, value, &le) < 0)
        return err_set(e, le.code, le.field, le.reason, "%s:%zu: %s", origin, lineno, le.detail);
    return 0;
}

int
config_parse(struct config *c, const char *text, size_t len, const char *origin, struct err *e)
{
    struct config next = *c; /* all lines or none: a half-applied file is worse */
    size_t lineno = 0;
    struct str rest = {text, len};

    if (origin == NULL)
        origin = "config";
    if (rest.len >= 3 && memcmp(rest.p, "\xEF\xBB\xBF", 3) == 0) {
        /* Windows editors save UTF-8 with a byte order mark */
        rest.p += 3;
        rest.len -= 3;
    }
    while (rest.len > 0) {
        const char *nl = memchr(rest.p, '\n', rest.len);
        size_t n = nl ? (size_t)(nl - rest.p) : rest.len;
        struct str line = str_trim((struct str){rest.p, n});

        lineno++;
        rest.p += n + (nl != NULL);
        rest.len -= n + (nl != NULL);
        if (line.len == 0 || line.p[0] == '#')
            continue;
        if (parse_line(&next, line, origin, lineno, e) < 0)
            return -1;
    }
    *c = next;
    return 0;
}

int
config_load_file(struct config *c, const char *path, struct err *e)
{
    struct sbuf sb;
    char chunk[8192];
    FILE *f;
    size_t n;
    int rc = -1;

    f = fopen(path, "rb");
    if (f == NULL) {
        if (errno == ENOENT || errno == ENOTDIR)
            return err_set(e, ERR_NOT_FOUND, NULL, "not_found", "config: no file '%s'", path);
        if (errno == EACCES || errno == EPERM)
            return err_set(e, ERR_FORBIDDEN, NULL, "unreadable", "config: cannot open '%s': %s",
                           path, strerror(errno));
        return err_set(e, ERR_INVALID, NULL, "unreadable", "config: cannot open '%s': %s", path,
                       strerror(errno));
    }
    sbuf_init(&sb, CONFIG_FILE_MAX);
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        if (sbuf_add(&sb, chunk, n) < 0)
            break;
    if (sb.over_max) {
        err_set(e, ERR_TOO_LARGE, NULL, "too_large", "config: '%s' is over %d bytes", path,
                CONFIG_FILE_MAX);
        goto out;
    }
    if (sb.failed) {
        err_set(e, ERR_NOMEM, NULL, "nomem", "config: no memory to read '%s'", path);
        goto out;
    }
    if (ferror(f)) {
        /* a directory opens fine and fails on the first read */
        err_set(e, ERR_INVALID, NULL, "unreadable", "config: cannot read '%s': %s", path,
                strerror(errno));
        goto out;
    }
    rc = config_parse(c, sb.buf, sb.len, path, e);
out:
    sbuf_release(&sb);
    fclose(f);
    return rc;
}

int
config_load_env(struct config *c, char *const *envp, struct err *e)
{
    static const char prefix[] = "KESU_";
    struct config next = *c;

    for (; envp != NULL && *envp != NULL; envp++) {
        const char *var = *envp, *eq;
        char key[KEY_NAME_MAX];
        struct err le = {0};
        size_t n, i;

        if (strncmp(var, prefix, sizeof(prefix) - 1) != 0)
            continue;
        var += sizeof(prefix) - 1;
        eq = strchr(var, '=');
        if (eq == NULL || eq == var || (size_t)(eq - var) >= sizeof(key))
            continue;
        n = (size_t)(eq - var);
        /* upper case only: KESU_listen is not KESU_LISTEN */
        for (i = 0; i < n && !(var[i] >= 'a' && var[i] <= 'z'); i++)
            key[i] = (var[i] >= 'A' && var[i] <= 'Z') ? (char)(var[i] - 'A' + 'a') : var[i];
        /*
         * Other programs share the prefix (the test scripts pass KESU_BIN), so
         * a variable that names no key is not ours and is left alone.
         */
        if (i < n || find_key((struct str){key, n}) == NULL)
            continue;
        if (set_one(&next, (struct str){key, n}, str_from(eq + 1), &le) < 0)
            return err_set(e, le.code, le.field, le.reason, "env KESU_%.*s: %s", (int)n, var,
                           le.detail);
    }
    *c = next;
    return 0;
}
