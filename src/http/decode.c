/*
 * Decoders of outside input: JSON bodies and query parameters into checked
 * structs. Each field is validated on its own here (type, length in
 * characters, format); rules across fields live in core/. Every failure
 * names the field as the client wrote it ("complainant.phone").
 */
#include "http/handlers.h"
#include "core/account.h"
#include "core/followup.h"
#include "store/fts.h"
#include "util/phone.h"
#include "util/ts.h"
#include "util/str.h"
#include "util/utf8.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ID_MAX_CHARS 64     /* logins, codes, names of buildings and units */

/* Reject members that are not in `allowed`; `prefix` is "" or "complainant.". */
static int
check_members(json_t *obj, const char *const *allowed, const char *prefix, struct arena *a,
              struct err *e)
{
    const char *key;
    json_t *value;

    json_object_foreach(obj, key, value) {
        (void)value;
        if (!str_in(key, allowed)) {
            const char *field = arena_printf(a, "%s%s", prefix, key);
            return err_set(e, ERR_INVALID, field ? field : "body", "unknown_field",
                           "unknown member");
        }
    }
    return 0;
}

static bool
is_space_at(const char *s, size_t len, size_t *n)
{
    if (len >= 1 && (s[0] == ' ' || s[0] == '\t' || s[0] == '\n' || s[0] == '\r')) {
        *n = 1;
        return true;
    }
    /* U+3000 IDEOGRAPHIC SPACE, which Chinese input methods type */
    if (len >= 3 && (unsigned char)s[0] == 0xE3 && (unsigned char)s[1] == 0x80 &&
        (unsigned char)s[2] == 0x80) {
        *n = 3;
        return true;
    }
    return false;
}

static struct str
trim(const char *s, size_t len)
{
    size_t n;

    while (len > 0 && is_space_at(s, len, &n)) {
        s += n;
        len -= n;
    }
    while (len > 0) {
        if (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\n' || s[len - 1] == '\r')
            len--;
        else if (len >= 3 && (unsigned char)s[len - 3] == 0xE3 &&
                 (unsigned char)s[len - 2] == 0x80 && (unsigned char)s[len - 1] == 0x80)
            len -= 3;
        else
            break;
    }
    return (struct str){ s, len };
}

struct text_rule {
    const char *key;     /* member name */
    const char *field;   /* field path for errors */
    bool required;
    size_t max_chars;
    bool multiline;
};

/*
 * A string member: missing or null is "required" when required, NULL
 * otherwise; white space around it is dropped; an optional member that is
 * empty counts as absent.
 */
static int
get_text(json_t *obj, const struct text_rule *rule, struct arena *a, const char **out,
         struct err *e)
{
    json_t *v = json_object_get(obj, rule->key);
    struct str s;

    *out = NULL;
    if (v == NULL || json_is_null(v)) {
        if (rule->required)
            return err_set(e, ERR_INVALID, rule->field, "required", "missing");
        return 0;
    }
    if (!json_is_string(v))
        return err_set(e, ERR_INVALID, rule->field, "bad_type", "not a string");
    s = trim(json_string_value(v), json_string_length(v));
    if (s.len == 0) {
        if (rule->required)
            return err_set(e, ERR_INVALID, rule->field, "empty", "only white space");
        return 0;
    }
    if (memchr(s.p, '\0', s.len) != NULL)
        return err_set(e, ERR_INVALID, rule->field, "bad_character", "NUL in text");
    if (core_text_check(rule->field, s.p, s.len, rule->max_chars, rule->multiline, e) < 0)
        return -1;
    *out = arena_strndup(a, s.p, s.len);
    if (*out == NULL)
        return err_set(e, ERR_NOMEM, NULL, "nomem", "text");
    return 0;
}

static int
get_enum(json_t *obj, const char *key, const char *field, const char *const *values,
         bool required, const char **out, struct err *e)
{
    json_t *v = json_object_get(obj, key);
    struct str s;

    if (v == NULL || json_is_null(v)) {
        if (required)
            return err_set(e, ERR_INVALID, field, "required", "missing");
        return 0;     /* keep the default */
    }
    if (!json_is_string(v))
        return err_set(e, ERR_INVALID, field, "bad_type", "not a string");
    s = trim(json_string_value(v), json_string_length(v));
    if (s.len == 0)
        return err_set(e, ERR_INVALID, field, "empty", "only white space");
    for (const char *const *p = values; *p != NULL; p++) {
        if (str_eq(s, *p)) {
            *out = *p;
            return 0;
        }
    }
    return err_set(e, ERR_INVALID, field, "bad_value", "not an allowed value");
}

static int
get_bool(json_t *obj, const char *key, const char *field, bool *out, struct err *e)
{
    json_t *v = json_object_get(obj, key);

    if (v == NULL || json_is_null(v))
        return 0;
    if (!json_is_boolean(v))
        return err_set(e, ERR_INVALID, field, "bad_type", "not a boolean");
    *out = json_is_true(v);
    return 0;
}

static int
decode_headcount(json_t *obj, struct complaint_new *c, struct err *e)
{
    json_t *v = json_object_get(obj, "headcount");
    json_int_t n;

    if (v == NULL || json_is_null(v))
        return 0;
    if (!json_is_integer(v))
        return err_set(e, ERR_INVALID, "headcount", "bad_type", "not an integer");
    n = json_integer_value(v);
    if (n < 1)
        return err_set(e, ERR_INVALID, "headcount", "too_small", "headcount below 1");
    if (n > CORE_HEADCOUNT_MAX)
        return err_set(e, ERR_INVALID, "headcount", "too_large", "headcount over the limit");
    c->headcount = (int)n;
    return 0;
}

static int
decode_loss(json_t *obj, struct complaint_new *c, struct err *e)
{
    json_t *v = json_object_get(obj, "loss_amount");

    if (v == NULL || json_is_null(v))
        return 0;
    if (json_is_string(v)) {
        struct str s = trim(json_string_value(v), json_string_length(v));
        if (s.len == 0)     /* like every optional text: empty means not given */
            return 0;
        if (core_amount_parse("loss_amount", s.p, s.len, &c->loss_fen, e) < 0)
            return -1;
    } else if (json_is_integer(v)) {
        json_int_t n = json_integer_value(v);
        if (n < 0)
            return err_set(e, ERR_INVALID, "loss_amount", "negative", "negative");
        if (n > CORE_LOSS_MAX_FEN / 100)
            return err_set(e, ERR_INVALID, "loss_amount", "too_large", "over the limit");
        c->loss_fen = (int64_t)n * 100;
    } else if (json_is_real(v)) {
        /*
         * The number has at most two decimals when it is the double nearest
         * to its own two-decimal text; a tolerance relative to the value
         * would let 12000.505 through.
         */
        double d = json_real_value(v);
        char text[64];
        if (d < 0)
            return err_set(e, ERR_INVALID, "loss_amount", "negative", "negative");
        if (!(d * 100.0 <= (double)CORE_LOSS_MAX_FEN))
            return err_set(e, ERR_INVALID, "loss_amount", "too_large", "over the limit");
        snprintf(text, sizeof(text), "%.2f", fabs(d));    /* fabs: -0.0 is 0 */
        if (strtod(text, NULL) != fabs(d))
            return err_set(e, ERR_INVALID, "loss_amount", "too_many_decimals", "decimals");
        if (core_amount_parse("loss_amount", text, strlen(text), &c->loss_fen, e) < 0)
            return -1;
    } else {
        return err_set(e, ERR_INVALID, "loss_amount", "bad_type", "not a number");
    }
    c->has_loss = true;
    return 0;
}

static int
decode_flags(json_t *obj, struct arena *a, struct complaint_new *c, struct err *e)
{
    json_t *flags = json_object_get(obj, "flags");
    const char *key;
    json_t *v;

    if (flags == NULL || json_is_null(flags))
        return 0;
    if (!json_is_object(flags))
        return err_set(e, ERR_INVALID, "flags", "bad_type", "not an object");
    json_object_foreach(flags, key, v) {
        const struct core_flag_name *f = core_flag_names;
        const char *field = arena_printf(a, "flags.%s", key);
        while (f->name != NULL && strcmp(f->name, key) != 0)
            f++;
        if (field == NULL)
            return err_set(e, ERR_NOMEM, NULL, "nomem", "flags");
        if (f->name == NULL)
            return err_set(e, ERR_INVALID, field, "unknown_field", "unknown flag");
        if (json_is_null(v))
            continue;
        if (!json_is_boolean(v))
            return err_set(e, ERR_INVALID, field, "bad_type", "not a boolean");
        if (json_is_true(v))
            c->flags |= f->bit;
    }
    return 0;
}

static int
decode_received_at(json_t *obj, int tz_min, struct complaint_new *c, struct err *e)
{
    json_t *v = json_object_get(obj, "received_at");
    bool date_only = false;
    struct str s;

    if (v == NULL || json_is_null(v))
        return 0;
    if (!json_is_string(v))
        return err_set(e, ERR_INVALID, "received_at", "bad_type", "not a string");
    s = trim(json_string_value(v), json_string_length(v));
    if (ts_parse(s.p, s.len, tz_min, &c->received_at, &date_only, "received_at", e) < 0)
        return -1;
    if (date_only)
        return err_set(e, ERR_INVALID, "received_at", "missing_time", "date without time");
    c->has_received_at = true;
    return 0;
}

static int
decode_complainant(json_t *obj, struct arena *a, struct complainant_new *p, struct err *e)
{
    static const char *const members[] = { "name", "phone", "email", "role", "anonymous", NULL };
    static const struct text_rule name = { "name", "complainant.name", false, CORE_NAME_MAX, false };
    static const struct text_rule phone = { "phone", "complainant.phone", false, 64, false };
    static const struct text_rule email = { "email", "complainant.email", false, CORE_EMAIL_MAX,
                                            false };
    json_t *c = json_object_get(obj, "complainant");
    const char *raw_phone;
    struct phone parsed;

    if (c == NULL || json_is_null(c))
        return err_set(e, ERR_INVALID, "complainant", "required", "missing");
    if (!json_is_object(c))
        return err_set(e, ERR_INVALID, "complainant", "bad_type", "not an object");
    if (check_members(c, members, "complainant.", a, e) < 0 ||
        get_text(c, &name, a, &p->name, e) < 0 || get_text(c, &phone, a, &raw_phone, e) < 0 ||
        get_text(c, &email, a, &p->email, e) < 0 ||
        get_enum(c, "role", "complainant.role", core_roles, false, &p->role, e) < 0 ||
        get_bool(c, "anonymous", "complainant.anonymous", &p->anonymous, e) < 0)
        return -1;
    if (p->email != NULL && core_email_check("complainant.email", p->email, e) < 0)
        return -1;
    if (raw_phone != NULL) {
        if (phone_parse(raw_phone, strlen(raw_phone), &parsed, "complainant.phone", e) < 0)
            return -1;
        p->phone = arena_strdup(a, parsed.norm);
        if (p->phone == NULL)
            return err_set(e, ERR_NOMEM, NULL, "nomem", "phone");
    }
    return 0;
}

static json_t *
load_object(const char *body, size_t len, struct err *e)
{
    json_error_t jerr;
    json_t *root;

    if (len == 0)
        return err_set(e, ERR_INVALID, "body", "bad_json", "empty body"), NULL;
    /* said apart from bad JSON: a client sending GBK or Latin-1 needs to know */
    if (!utf8_is_valid(body, len))
        return err_set(e, ERR_INVALID, "body", "bad_utf8", "body is not UTF-8"), NULL;
    /*
     * \u0000 is let through so that the field holding it is named in the error
     * (get_text refuses it); every string is then compared with its length.
     */
    root = json_loadb(body, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY | JSON_ALLOW_NUL,
                      &jerr);
    /*
     * jansson leaves the message empty (and the code byte unset) on some of
     * its out-of-memory paths, so test the message first.
     */
    if (root == NULL &&
        (jerr.text[0] == '\0' || json_error_code(&jerr) == json_error_out_of_memory))
        return err_set(e, ERR_NOMEM, NULL, "nomem", "json: out of memory"), NULL;
    if (root == NULL)
        return err_set(e, ERR_INVALID, "body", "bad_json", "line %d column %d: %s", jerr.line,
                       jerr.column, jerr.text),
               NULL;
    if (!json_is_object(root)) {
        json_decref(root);
        return err_set(e, ERR_INVALID, "body", "not_object", "top level is not an object"), NULL;
    }
    return root;
}

int
http_decode_complaint(const char *body, size_t len, int tz_min, struct arena *a,
                      struct complaint_new *c, struct err *e)
{
    static const char *const members[] = {
        "channel", "kind", "comm_type", "received_at", "received_by", "project", "building",
        "unit", "complainant", "headcount", "subject", "content", "demands", "category",
        "subcategory", "flags", "loss_amount", NULL,
    };
    static const struct text_rule rules[] = {
        { "received_by", "received_by", false, ID_MAX_CHARS, false },
        { "project", "project", true, ID_MAX_CHARS, false },
        { "building", "building", false, ID_MAX_CHARS, false },
        { "unit", "unit", false, ID_MAX_CHARS, false },
        { "subject", "subject", true, CORE_SUBJECT_MAX, false },
        { "content", "content", true, CORE_CONTENT_MAX, true },
        { "demands", "demands", false, CORE_DEMANDS_MAX, true },
        { "category", "category", false, ID_MAX_CHARS, false },
        { "subcategory", "subcategory", false, ID_MAX_CHARS, false },
    };
    const char **targets[] = {
        &c->received_by, &c->project, &c->building, &c->unit, &c->subject,
        &c->content, &c->demands, &c->category, &c->subcategory,
    };
    json_t *root = load_object(body, len, e);
    int rc = -1;

    core_complaint_new_init(c);
    if (root == NULL)
        return -1;
    if (check_members(root, members, "", a, e) < 0 ||
        get_enum(root, "channel", "channel", core_channels, true, &c->channel, e) < 0 ||
        get_enum(root, "kind", "kind", core_kinds, false, &c->kind, e) < 0 ||
        get_enum(root, "comm_type", "comm_type", core_comm_types, false, &c->comm_type, e) < 0 ||
        decode_received_at(root, tz_min, c, e) < 0)
        goto out;
    for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++)
        if (get_text(root, &rules[i], a, targets[i], e) < 0)
            goto out;
    if (decode_complainant(root, a, &c->complainant, e) < 0 || decode_headcount(root, c, e) < 0 ||
        decode_flags(root, a, c, e) < 0 || decode_loss(root, c, e) < 0)
        goto out;
    rc = 0;
out:
    json_decref(root);
    return rc;
}

int
http_decode_person(const char *body, size_t len, struct arena *a, struct complainant_new *out,
                   struct err *e)
{
    static const char *const members[] = { "complainant", NULL };
    json_t *root = load_object(body, len, e);
    int rc = -1;

    memset(out, 0, sizeof(*out));
    out->role = "other";
    if (root == NULL)
        return -1;
    if (check_members(root, members, "", a, e) == 0 && decode_complainant(root, a, out, e) == 0) {
        rc = 0;
        /* the same rule as on registration: someone kesu can call back, or anonymous */
        if (!out->anonymous && out->phone == NULL && out->email == NULL)
            rc = err_set(e, ERR_INVALID, "complainant.phone", "required",
                         "a phone or an e-mail address, or anonymous");
    }
    json_decref(root);
    return rc;
}

int
http_decode_event(const char *body, size_t len, struct arena *a, struct event_body *out,
                  struct err *e)
{
    static const char *const members[] = { "type", "text", "author", NULL };
    static const char *const types[] = { "note", "reply", "investigation", "solution", "report",
                                         NULL };
    static const struct text_rule text = { "text", "text", true, CORE_EVENT_TEXT_MAX, true };
    static const struct text_rule author = { "author", "author", false, ID_MAX_CHARS, false };
    json_t *root = load_object(body, len, e);
    int rc = -1;

    memset(out, 0, sizeof(*out));
    if (root == NULL)
        return -1;
    if (check_members(root, members, "", a, e) == 0 &&
        get_enum(root, "type", "type", types, true, &out->type, e) == 0 &&
        get_text(root, &text, a, &out->text, e) == 0 && get_text(root, &author, a, &out->author, e) == 0)
        rc = 0;
    json_decref(root);
    return rc;
}

/* ---- list parameters ---- */

static const char *const list_params[] = {
    "project", "status", "category", "kind", "channel", "received_from", "received_to",
    "q", "sort", "limit", "cursor", "handler", "grade", "clock", "returned", NULL,
};
static const char *const clock_states[] = { "overdue", "due_soon", NULL };

static const char *const sort_names[] = {
    [STORE_SORT_RECEIVED_DESC] = "-received_at",
    [STORE_SORT_RECEIVED_ASC] = "received_at",
    [STORE_SORT_REGISTERED_DESC] = "-registered_at",
    [STORE_SORT_REGISTERED_ASC] = "registered_at",
};
static const char cursor_letters[] = "rRgG";

bool
http_is_code(const char *s)
{
    size_t n = strlen(s);

    if (n == 0 || n > ID_MAX_CHARS)
        return false;
    /* category codes are lower case, project codes upper case */
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              *s == '_' || *s == '-'))
            return false;
    return true;
}

/* "me" or a login as core_login_check() allows it: 2..32 of a-z 0-9 . _ -, a letter first. */
bool
http_is_login(const char *s)
{
    size_t n = strlen(s);

    if (n < 2 || n > CORE_LOGIN_MAX || !(s[0] >= 'a' && s[0] <= 'z'))
        return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '.' || *s == '_' ||
              *s == '-'))
            return false;
    return true;
}

/*
 * "a,b,c" into the filter; each value must be in `allowed`, else pass
 * `valid` when given, else look like a code.
 */
static int
split_values(const char *key, const char *value, const char *const *allowed,
             bool (*valid)(const char *), struct arena *a, struct store_filter *f,
             struct err *e)
{
    char *copy = arena_strdup(a, value);
    char *p = copy;

    if (copy == NULL)
        return err_set(e, ERR_NOMEM, NULL, "nomem", "filter");
    while (p != NULL) {
        char *comma = strchr(p, ',');
        bool ok;
        if (comma != NULL)
            *comma = '\0';
        ok = allowed ? str_in(p, allowed) : valid ? valid(p) : http_is_code(p);
        if (!ok || f->n == STORE_FILTER_MAX)
            return err_set(e, ERR_INVALID, key, ok ? "too_long" : "bad_value", "bad filter value");
        f->values[f->n++] = p;
        p = comma ? comma + 1 : NULL;
    }
    return 0;
}

static int
split_list(const char *key, const char *value, const char *const *allowed, struct arena *a,
           struct store_filter *f, struct err *e)
{
    return split_values(key, value, allowed, NULL, a, f, e);
}

static int
parse_when(const char *key, const char *value, int tz_min, bool end, int64_t *out, struct err *e)
{
    bool date_only = false;
    int64_t t;

    if (ts_parse(value, strlen(value), tz_min, &t, &date_only, key, e) < 0)
        return -1;
    /* received_to is inclusive: a date means through that day, a time through that second */
    if (end)
        t += date_only ? 86400 : 1;
    *out = t;
    return 0;
}

static int
parse_cursor(const char *value, struct complaint_query *q, struct err *e)
{
    long long key, id;
    char *endp;

    if (value[0] != cursor_letters[q->sort])
        return err_set(e, ERR_INVALID, "cursor", "bad_cursor", "cursor of another sort");
    errno = 0;
    key = strtoll(value + 1, &endp, 10);
    if (endp == value + 1 || *endp != '.' || errno != 0)
        return err_set(e, ERR_INVALID, "cursor", "bad_cursor", "bad cursor key");
    value = endp + 1;
    id = strtoll(value, &endp, 10);
    if (endp == value || *endp != '\0' || errno != 0 || id < 0 || key < 0)
        return err_set(e, ERR_INVALID, "cursor", "bad_cursor", "bad cursor id");
    q->has_cursor = true;
    q->cursor_key = key;
    q->cursor_id = id;
    return 0;
}

static int
parse_q(const char *value, struct arena *a, struct complaint_query *q, struct err *e)
{
    struct sbuf sb;
    int rc;

    sbuf_init(&sb, 8192);
    rc = fts_query_build(value, strlen(value), &sb, e);
    if (rc == 0 && sb.failed)
        rc = err_set(e, ERR_NOMEM, NULL, "nomem", "search");
    if (rc == 0 && (q->match = arena_strndup(a, sb.buf, sb.len)) == NULL)
        rc = err_set(e, ERR_NOMEM, NULL, "nomem", "search");
    sbuf_release(&sb);
    return rc;
}

static int
apply_param(const struct kv *p, int tz_min, struct arena *a, struct complaint_query *q,
            const char **cursor, struct err *e)
{
    const char *k = p->key, *v = p->value;

    if (strcmp(k, "project") == 0) {
        return split_list(k, v, NULL, a, &q->project, e);
    } else if (strcmp(k, "status") == 0) {
        return split_list(k, v, core_statuses, a, &q->status, e);
    } else if (strcmp(k, "kind") == 0) {
        return split_list(k, v, core_kinds, a, &q->kind, e);
    } else if (strcmp(k, "channel") == 0) {
        return split_list(k, v, core_channels, a, &q->channel, e);
    } else if (strcmp(k, "category") == 0) {
        return split_list(k, v, NULL, a, &q->category, e);
    } else if (strcmp(k, "received_from") == 0) {
        q->has_from = true;
        return parse_when(k, v, tz_min, false, &q->from, e);
    } else if (strcmp(k, "received_to") == 0) {
        q->has_to = true;
        return parse_when(k, v, tz_min, true, &q->to, e);
    } else if (strcmp(k, "q") == 0) {
        return parse_q(v, a, q, e);
    } else if (strcmp(k, "sort") == 0) {
        for (size_t i = 0; i < sizeof(sort_names) / sizeof(sort_names[0]); i++)
            if (strcmp(v, sort_names[i]) == 0) {
                q->sort = (enum store_sort)i;
                return 0;
            }
        return err_set(e, ERR_INVALID, k, "bad_value", "unknown sort");
    } else if (strcmp(k, "limit") == 0) {
        return http_limit_parse(v, 100, &q->limit, e);
    } else if (strcmp(k, "cursor") == 0) {
        *cursor = v;    /* read once the sort is known */
    } else if (strcmp(k, "handler") == 0) {
        return split_values(k, v, NULL, http_is_login, a, &q->handler, e);
    } else if (strcmp(k, "grade") == 0) {
        return split_list(k, v, NULL, a, &q->grade, e);
    } else if (strcmp(k, "clock") == 0) {
        return split_list(k, v, clock_states, a, &q->clock, e);
    } else if (strcmp(k, "returned") == 0) {
        if (strcmp(v, "1") != 0)
            return err_set(e, ERR_INVALID, k, "bad_value", "returned is 1");
        q->returned = true;
    }
    return 0;
}

int
http_decode_list_query(const struct kv *params, size_t n, int tz_min, struct arena *a,
                       struct complaint_query *q, struct err *e)
{
    const char *cursor = NULL;

    memset(q, 0, sizeof(*q));
    q->sort = STORE_SORT_RECEIVED_DESC;
    q->limit = 20;
    for (size_t i = 0; i < n; i++) {
        const char *field;
        if (!str_in(params[i].key, list_params)) {
            field = arena_strdup(a, params[i].key);
            return err_set(e, ERR_INVALID, field ? field : "query", "unknown_parameter",
                           "unknown parameter");
        }
        for (size_t j = 0; j < i; j++)
            if (strcmp(params[j].key, params[i].key) == 0) {
                field = arena_strdup(a, params[i].key);
                return err_set(e, ERR_INVALID, field, "repeated", "parameter repeated");
            }
        if (apply_param(&params[i], tz_min, a, q, &cursor, e) < 0)
            return -1;
    }
    if (q->has_from && q->has_to && q->to <= q->from)
        return err_set(e, ERR_INVALID, "received_to", "before_from", "range ends before it starts");
    if (cursor != NULL && parse_cursor(cursor, q, e) < 0)
        return -1;
    return 0;
}

char *
http_cursor_make(struct arena *a, enum store_sort sort, const struct complaint *last)
{
    int64_t key = sort == STORE_SORT_RECEIVED_DESC || sort == STORE_SORT_RECEIVED_ASC
                      ? last->received_at
                      : last->id;

    return arena_printf(a, "%c%lld.%lld", cursor_letters[sort], (long long)key,
                        (long long)last->id);
}

/* ---- small flat bodies: sign-in, reveal, tokens, users ---- */

/* Scopes, field names, codes: a-z A-Z 0-9 _ - . */
static bool
is_code_text(const char *s)
{
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              *s == '_' || *s == '-' || *s == '.'))
            return false;
    return true;
}

/* A secret is taken byte for byte: spaces count, nothing is trimmed. */
static int
get_secret(json_t *obj, const struct body_field *f, struct arena *a, struct err *e)
{
    json_t *v = json_object_get(obj, f->key);
    size_t n;

    *f->text = NULL;
    if (v == NULL || json_is_null(v))
        return f->required ? err_set(e, ERR_INVALID, f->key, "required", "missing") : 0;
    if (!json_is_string(v))
        return err_set(e, ERR_INVALID, f->key, "bad_type", "not a string");
    n = json_string_length(v);
    if (n == 0)
        return f->required ? err_set(e, ERR_INVALID, f->key, "empty", "empty") : 0;
    if (n > f->max)
        return err_set(e, ERR_INVALID, f->key, "too_long", "over %zu bytes", f->max);
    if (memchr(json_string_value(v), '\0', n) != NULL)
        return err_set(e, ERR_INVALID, f->key, "bad_character", "NUL in text");
    *f->text = arena_strndup(a, json_string_value(v), n);
    return *f->text ? 0 : err_set(e, ERR_NOMEM, NULL, "nomem", "text");
}

/* An array of short strings (scopes, fields): each a code, no duplicates checked here. */
static int
get_list(json_t *obj, const struct body_field *f, struct arena *a, struct err *e)
{
    json_t *v = json_object_get(obj, f->key), *item;
    size_t i;

    *f->list = NULL;
    *f->n = 0;
    if (v == NULL || json_is_null(v))
        return f->required ? err_set(e, ERR_INVALID, f->key, "required", "missing") : 0;
    if (!json_is_array(v))
        return err_set(e, ERR_INVALID, f->key, "bad_type", "not an array");
    if (json_array_size(v) > f->max)
        return err_set(e, ERR_INVALID, f->key, "too_many", "over %zu items", f->max);
    if (json_array_size(v) == 0 && f->required)
        return err_set(e, ERR_INVALID, f->key, "empty", "empty list");
    *f->list = arena_alloc(a, (json_array_size(v) + 1) * sizeof(char *));
    if (*f->list == NULL)
        return err_set(e, ERR_NOMEM, NULL, "nomem", "list");
    json_array_foreach(v, i, item) {
        const char *s = json_string_value(item);
        if (s == NULL || json_string_length(item) == 0 || json_string_length(item) > 64 ||
            !is_code_text(s))
            return err_set(e, ERR_INVALID, f->key, "bad_value", "item %zu is not a code", i);
        if (((*f->list)[i] = arena_strdup(a, s)) == NULL)
            return err_set(e, ERR_NOMEM, NULL, "nomem", "list");
    }
    (*f->list)[i] = NULL;
    *f->n = i;
    return 0;
}

static void
mark_given(const struct body_field *f, bool given)
{
    if (f->given != NULL)
        *f->given = given;
}

static int
get_int(json_t *obj, const struct body_field *f, struct err *e)
{
    json_t *v = json_object_get(obj, f->key);
    json_int_t n;

    mark_given(f, false);
    if (v == NULL || json_is_null(v))
        return f->required ? err_set(e, ERR_INVALID, f->key, "required", "missing") : 0;
    if (!json_is_integer(v))
        return err_set(e, ERR_INVALID, f->key, "bad_type", "not an integer");
    n = json_integer_value(v);
    if (n < f->min)
        return err_set(e, ERR_INVALID, f->key, "too_small", "below %lld", (long long)f->min);
    if ((uint64_t)n > f->max)
        return err_set(e, ERR_INVALID, f->key, "too_large", "over %zu", f->max);
    *f->num = (int64_t)n;
    mark_given(f, true);
    return 0;
}

static int
get_bool_field(json_t *obj, const struct body_field *f, struct err *e)
{
    json_t *v = json_object_get(obj, f->key);

    mark_given(f, false);
    if (v == NULL || json_is_null(v))
        return f->required ? err_set(e, ERR_INVALID, f->key, "required", "missing") : 0;
    if (get_bool(obj, f->key, f->key, f->flag, e) < 0)
        return -1;
    mark_given(f, true);
    return 0;
}

/* An amount of yuan, by the same rules as a complaint's loss_amount. */
static int
get_amount(json_t *obj, const struct body_field *f, struct err *e)
{
    struct complaint_new tmp = { 0 };
    json_t *one = json_object();
    int rc;

    mark_given(f, false);
    if (one == NULL)
        return err_set(e, ERR_NOMEM, NULL, "nomem", "amount");
    json_object_set(one, "loss_amount", json_object_get(obj, f->key));
    rc = decode_loss(one, &tmp, e);
    json_decref(one);
    if (rc < 0) {
        e->field = f->key;
        return -1;
    }
    if (!tmp.has_loss)
        return f->required ? err_set(e, ERR_INVALID, f->key, "required", "missing") : 0;
    *f->num = tmp.loss_fen;
    mark_given(f, true);
    return 0;
}

/* Flags set true and flags set false, so a change can clear one. */
static int
get_flag_changes(json_t *obj, const struct body_field *f, struct arena *a, struct err *e)
{
    json_t *flags = json_object_get(obj, f->key), *v;
    const char *key;

    mark_given(f, false);
    *f->bits = 0;
    *f->num = 0;
    if (flags == NULL || json_is_null(flags))
        return f->required ? err_set(e, ERR_INVALID, f->key, "required", "missing") : 0;
    if (!json_is_object(flags))
        return err_set(e, ERR_INVALID, f->key, "bad_type", "not an object");
    json_object_foreach(flags, key, v) {
        const struct core_flag_name *fl = core_flag_names;
        const char *field = arena_printf(a, "%s.%s", f->key, key);
        while (fl->name != NULL && strcmp(fl->name, key) != 0)
            fl++;
        if (field == NULL)
            return err_set(e, ERR_NOMEM, NULL, "nomem", "flags");
        if (fl->name == NULL)
            return err_set(e, ERR_INVALID, field, "unknown_field", "unknown flag");
        if (!json_is_boolean(v))
            return err_set(e, ERR_INVALID, field, "bad_type", "not a boolean");
        if (json_is_true(v))
            *f->bits |= fl->bit;
        else
            *f->num |= fl->bit;
    }
    mark_given(f, true);
    return 0;
}

static int
get_field(json_t *root, const struct body_field *f, struct arena *a, struct err *e)
{
    struct text_rule rule = { f->key, f->key, f->required, f->max, false };

    switch (f->kind) {
    case BODY_FIELD_TEXT:
        return get_text(root, &rule, a, f->text, e);
    case BODY_FIELD_PARAGRAPH:
        rule.multiline = true;
        return get_text(root, &rule, a, f->text, e);
    case BODY_FIELD_SECRET:
        return get_secret(root, f, a, e);
    case BODY_FIELD_LIST:
        return get_list(root, f, a, e);
    case BODY_FIELD_ENUM:
        *f->text = NULL;
        return get_enum(root, f->key, f->key, f->values, f->required, f->text, e);
    case BODY_FIELD_INT:
        return get_int(root, f, e);
    case BODY_FIELD_BOOL:
        return get_bool_field(root, f, e);
    case BODY_FIELD_AMOUNT:
        return get_amount(root, f, e);
    case BODY_FIELD_FLAGS:
        return get_flag_changes(root, f, a, e);
    }
    return err_set(e, ERR_INTERNAL, f->key, "internal", "field kind");
}

int
http_decode_fields_in(json_t *root, const struct body_field *fields, const char *const *others,
                      struct arena *a, struct err *e)
{
    const char *names[2 * HTTP_BODY_FIELDS_MAX + 1];
    size_t k = 0;

    for (const struct body_field *f = fields; f->key != NULL && k < HTTP_BODY_FIELDS_MAX; f++)
        names[k++] = f->key;
    for (size_t i = 0; others != NULL && others[i] != NULL && k < 2 * HTTP_BODY_FIELDS_MAX; i++)
        names[k++] = others[i];
    names[k] = NULL;
    if (check_members(root, names, "", a, e) < 0)
        return -1;
    for (const struct body_field *f = fields; f->key != NULL; f++)
        if (get_field(root, f, a, e) < 0)
            return -1;
    return 0;
}

json_t *
http_load_object(const char *body, size_t len, struct err *e)
{
    return load_object(body, len, e);
}

int
http_decode_fields(const char *body, size_t len, const struct body_field *fields,
                   struct arena *a, struct err *e)
{
    json_t *root = load_object(body, len, e);
    int rc;

    if (root == NULL)
        return -1;
    rc = http_decode_fields_in(root, fields, NULL, a, e);
    json_decref(root);
    return rc;
}

/* ---- contact attempts (closing a complaint one cannot reach, follow-up calls) ---- */

static int
decode_attempt(json_t *item, size_t i, int tz_min, int64_t now, struct arena *a,
               struct contact_attempt *out, struct err *e)
{
    const char *at = NULL;
    const struct body_field fields[] = {
        { .key = "method", .kind = BODY_FIELD_ENUM, .required = true,
          .values = core_contact_methods, .text = &out->method },
        { .key = "at", .kind = BODY_FIELD_TEXT, .max = 40, .text = &at },
        { .key = "note", .kind = BODY_FIELD_PARAGRAPH, .max = 2000, .text = &out->note },
        { .key = NULL },
    };

    if (!json_is_object(item))
        return err_set(e, ERR_INVALID, "attempts", "bad_type", "item %zu is not an object", i);
    if (http_decode_fields_in(item, fields, NULL, a, e) < 0)
        return -1;
    out->at = now;
    if (at != NULL && ts_parse(at, strlen(at), tz_min, &out->at, NULL, "attempts.at", e) < 0)
        return -1;
    if (out->at > now + CORE_FUTURE_SKEW)
        return err_set(e, ERR_INVALID, "attempts.at", "in_future", "attempt %zu is ahead", i);
    return 0;
}

int
http_decode_attempts(json_t *root, int tz_min, int64_t now, struct arena *a,
                     struct contact_attempt *out, size_t *n, struct err *e)
{
    json_t *list = json_object_get(root, "attempts"), *item;
    size_t i;

    *n = 0;
    if (list == NULL || json_is_null(list))
        return 0;
    if (!json_is_array(list))
        return err_set(e, ERR_INVALID, "attempts", "bad_type", "not an array");
    if (json_array_size(list) > CORE_ATTEMPTS_MAX)
        return err_set(e, ERR_INVALID, "attempts", "too_many", "over %d", CORE_ATTEMPTS_MAX);
    json_array_foreach(list, i, item)
        if (decode_attempt(item, i, tz_min, now, a, &out[i], e) < 0)
            return -1;
    *n = json_array_size(list);
    return 0;
}
