/*
 * Decoders of the administration and privacy routes (decode_admin.h).
 *
 * Flat members go through http_decode_fields (decode.c), so that trimming,
 * lengths in characters and the error reasons are the same everywhere. The
 * few members it does not know (an array of role objects, a boolean, a scope
 * list that may be ["*"]) are the caller's: load_mixed() parses the body,
 * decodes the flat members and returns the object, from which the caller
 * reads its own members.
 */
#include "http/decode_admin.h"
#include "core/account.h"
#include "core/complaint.h"
#include "util/phone.h"
#include "util/str.h"
#include "util/ts.h"
#include "util/utf8.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define CODE_MAX 64          /* bytes of a project, department or status code */
#define TIME_TEXT_MAX 40     /* characters of a from/to value */

static int
nomem(struct err *e)
{
    return err_set(e, ERR_NOMEM, NULL, "nomem", "out of memory");
}

static bool
listed(const char *const *list, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(list[i], s) == 0)
            return true;
    return false;
}

/*
 * Parse the body, decode `fields` and allow the members named in `own`,
 * which the caller reads from the object returned (and decrefs).
 */
static json_t *
load_mixed(const char *body, size_t len, const struct body_field *fields,
           const char *const *own, struct arena *a, struct err *e)
{
    json_t *root = http_load_object(body, len, e);

    if (root != NULL && http_decode_fields_in(root, fields, own, a, e) < 0) {
        json_decref(root);
        return NULL;
    }
    return root;
}

static int
check_code(const char *field, const char *value, struct err *e)
{
    if (value != NULL && !http_is_code(value))
        return err_set(e, ERR_INVALID, field, "bad_value", "not a code");
    return 0;
}

/* prefix + key ("roles[2].project"); when the arena is full, the member's name alone. */
static const char *
field_path(struct arena *a, const char *prefix, const char *key)
{
    const char *path = arena_printf(a, "%s%s", prefix, key);

    return path ? path : key;
}

/* "roles[2]"; when the arena is full, the list's name alone. */
static const char *
item_path(struct arena *a, const char *list, size_t i)
{
    const char *path = arena_printf(a, "%s[%zu]", list, i);

    return path ? path : list;
}

/* A string member that must be a code; absent or null leaves *out NULL. */
static int
get_code(json_t *obj, const char *key, const char *prefix, bool required, struct arena *a,
         const char **out, struct err *e)
{
    json_t *v = json_object_get(obj, key);
    const char *field = field_path(a, prefix, key);

    *out = NULL;
    if (v == NULL || json_is_null(v))
        return required ? err_set(e, ERR_INVALID, field, "required", "missing") : 0;
    if (!json_is_string(v))
        return err_set(e, ERR_INVALID, field, "bad_type", "not a string");
    if (json_string_length(v) == 0)
        return required ? err_set(e, ERR_INVALID, field, "empty", "empty") : 0;
    if (strlen(json_string_value(v)) != json_string_length(v) || !http_is_code(json_string_value(v)))
        return err_set(e, ERR_INVALID, field, "bad_value", "not a code");
    *out = arena_strdup(a, json_string_value(v));
    return *out ? 0 : nomem(e);
}

/*
 * {role, project?, department?} from obj. A project role needs its project;
 * a company-level one sees every project, so naming one would mislead.
 */
static int
decode_membership(json_t *obj, const char *prefix, struct arena *a, struct membership *m,
                  struct err *e)
{
    const char *role;

    memset(m, 0, sizeof(*m));
    if (get_code(obj, "role", prefix, true, a, &role, e) < 0 ||
        get_code(obj, "project", prefix, false, a, &m->project, e) < 0 ||
        get_code(obj, "department", prefix, false, a, &m->department, e) < 0)
        return -1;
    for (size_t i = 0; core_roles_staff[i] != NULL; i++)
        if (strcmp(role, core_roles_staff[i]) == 0)
            m->role = core_roles_staff[i];
    if (m->role == NULL)
        return err_set(e, ERR_INVALID, field_path(a, prefix, "role"), "bad_value",
                       "not a role");
    if (core_role_is_company(m->role) && m->project != NULL)
        return err_set(e, ERR_INVALID, field_path(a, prefix, "project"), "company_role",
                       "%s is a company-level role", m->role);
    if (!core_role_is_company(m->role) && m->project == NULL)
        return err_set(e, ERR_INVALID, field_path(a, prefix, "project"), "required",
                       "%s is held in a project", m->role);
    return 0;
}

/* Both NULL, or the same text. */
static bool
same_text(const char *x, const char *y)
{
    return x == NULL ? y == NULL : y != NULL && strcmp(x, y) == 0;
}

static bool
same_membership(const struct membership *x, const struct membership *y)
{
    return strcmp(x->role, y->role) == 0 && same_text(x->project, y->project) &&
           same_text(x->department, y->department);
}

static int
decode_role_item(json_t *item, size_t i, struct arena *a, struct user_body *u, struct err *e)
{
    static const char *const members[] = { "role", "project", "department", NULL };
    const char *prefix = arena_printf(a, "roles[%zu].", i);
    struct membership *m = &u->roles[i];
    const char *key;
    json_t *value;

    if (prefix == NULL)
        return nomem(e);
    if (!json_is_object(item))
        return err_set(e, ERR_INVALID, item_path(a, "roles", i), "bad_type",
                       "not an object");
    json_object_foreach(item, key, value) {
        (void)value;
        if (!str_in(key, members))
            return err_set(e, ERR_INVALID, field_path(a, prefix, key), "unknown_field",
                           "unknown member");
    }
    if (decode_membership(item, prefix, a, m, e) < 0)
        return -1;
    for (size_t j = 0; j < i; j++)
        if (same_membership(&u->roles[j], m))
            return err_set(e, ERR_INVALID, item_path(a, "roles", i), "repeated",
                           "the same role twice");
    return 0;
}

static int
decode_roles(json_t *root, struct arena *a, struct user_body *u, struct err *e)
{
    json_t *v = json_object_get(root, "roles"), *item;
    size_t i;

    u->n_roles = 0;
    if (v == NULL || json_is_null(v))
        return 0;
    if (!json_is_array(v))
        return err_set(e, ERR_INVALID, "roles", "bad_type", "not an array");
    if (json_array_size(v) > ADMIN_ROLES_MAX)
        return err_set(e, ERR_INVALID, "roles", "too_many", "over %d roles", ADMIN_ROLES_MAX);
    json_array_foreach(v, i, item) {
        if (decode_role_item(item, i, a, u, e) < 0)
            return -1;
        u->n_roles = i + 1;
    }
    return 0;
}

/* A login is both a format and, in a field, the name the client used. */
static int
check_login(const char *login, const char *field, struct err *e)
{
    if (core_login_check(login, e) < 0) {
        e->field = field;
        return -1;
    }
    return 0;
}

static int
check_contact(struct user_body *u, struct arena *a, struct err *e)
{
    struct phone ph;

    if (u->email != NULL && core_email_check("email", u->email, e) < 0)
        return -1;
    if (u->phone == NULL)
        return 0;
    if (phone_parse(u->phone, strlen(u->phone), &ph, "phone", e) < 0)
        return -1;
    u->phone = arena_strdup(a, ph.norm);
    return u->phone ? 0 : nomem(e);
}

int
http_decode_user(const char *body, size_t len, struct arena *a, struct user_body *out,
                 struct err *e)
{
    static const char *const own[] = { "roles", NULL };
    const struct body_field fields[] = {
        { .key = "login", .kind = BODY_FIELD_TEXT, .required = true, .max = CORE_LOGIN_MAX * 2,
          .text = &out->login },
        { .key = "name", .kind = BODY_FIELD_TEXT, .required = true, .max = CORE_NAME_MAX,
          .text = &out->name },
        { .key = "phone", .kind = BODY_FIELD_TEXT, .max = 64, .text = &out->phone },
        { .key = "email", .kind = BODY_FIELD_TEXT, .max = CORE_EMAIL_MAX, .text = &out->email },
        { .key = "password", .kind = BODY_FIELD_SECRET, .max = CORE_PASSWORD_MAX,
          .text = &out->password },
        { .key = NULL },
    };
    json_t *root;
    int rc = -1;

    memset(out, 0, sizeof(*out));
    if ((root = load_mixed(body, len, fields, own, a, e)) == NULL)
        return -1;
    if (check_login(out->login, "login", e) == 0 && check_contact(out, a, e) == 0 &&
        (out->password == NULL || core_password_check(out->password, out->login, e) == 0) &&
        decode_roles(root, a, out, e) == 0)
        rc = 0;
    json_decref(root);
    return rc;
}

int
http_decode_role(const char *body, size_t len, struct arena *a, struct membership *out,
                 struct err *e)
{
    static const char *const own[] = { "role", "project", "department", NULL };
    const struct body_field none[] = { { .key = NULL } };
    json_t *root = load_mixed(body, len, none, own, a, e);
    int rc;

    memset(out, 0, sizeof(*out));
    if (root == NULL)
        return -1;
    rc = decode_membership(root, "", a, out, e);
    json_decref(root);
    return rc;
}

int
http_decode_user_status(const char *body, size_t len, struct arena *a, const char **out,
                        struct err *e)
{
    static const char *const statuses[] = { "active", "disabled", NULL };
    const char *status;
    const struct body_field fields[] = {
        { .key = "status", .kind = BODY_FIELD_TEXT, .required = true, .max = 16, .text = &status },
        { .key = NULL },
    };

    if (http_decode_fields(body, len, fields, a, e) < 0)
        return -1;
    for (size_t i = 0; statuses[i] != NULL; i++)
        if (strcmp(status, statuses[i]) == 0) {
            *out = statuses[i];
            return 0;
        }
    return err_set(e, ERR_INVALID, "status", "bad_value", "active or disabled");
}

int
http_decode_user_password(const char *body, size_t len, const char *login, struct arena *a,
                          const char **out, struct err *e)
{
    const struct body_field fields[] = {
        { .key = "password", .kind = BODY_FIELD_SECRET, .max = CORE_PASSWORD_MAX, .text = out },
        { .key = NULL },
    };

    *out = NULL;
    if (http_decode_fields(body, len, fields, a, e) < 0)
        return -1;
    if (*out != NULL && core_password_check(*out, login, e) < 0)
        return -1;
    return 0;
}

/* ---- API tokens ---- */

/* ["complaint.read", "event.create"] or ["*"]: each a permission a token may carry, once. */
static int
decode_scopes(json_t *root, struct arena *a, uint32_t *out, struct err *e)
{
    json_t *v = json_object_get(root, "scopes"), *item;
    size_t i;

    *out = 0;
    if (v == NULL || json_is_null(v))
        return err_set(e, ERR_INVALID, "scopes", "required", "missing");
    if (!json_is_array(v))
        return err_set(e, ERR_INVALID, "scopes", "bad_type", "not an array");
    if (json_array_size(v) == 0)
        return err_set(e, ERR_INVALID, "scopes", "empty", "no scope");
    if (json_array_size(v) > PERM_COUNT)
        return err_set(e, ERR_INVALID, "scopes", "too_many", "more scopes than permissions");
    json_array_foreach(v, i, item) {
        const char *s = json_string_value(item);
        int p;
        if (s == NULL)
            return err_set(e, ERR_INVALID, item_path(a, "scopes", i), "bad_type",
                           "not a string");
        if (strlen(s) != json_string_length(item))
            return err_set(e, ERR_INVALID, item_path(a, "scopes", i), "unknown", "NUL inside");
        if (strcmp(s, "*") == 0 && json_array_size(v) == 1) {
            *out = CORE_SCOPES_ALL;
            return 0;
        }
        /* "*" among others, or a name that is not a permission */
        if ((p = core_perm_parse(s)) < 0)
            return err_set(e, ERR_INVALID, item_path(a, "scopes", i), "unknown",
                           "not a scope");
        if (*out & (1u << p))
            return err_set(e, ERR_INVALID, item_path(a, "scopes", i), "repeated",
                           "scope twice");
        *out |= 1u << p;
    }
    return 0;
}

int
http_decode_token(const char *body, size_t len, struct arena *a, struct token_body *out,
                  struct err *e)
{
    static const char *const own[] = { "scopes", NULL };
    const struct body_field fields[] = {
        { .key = "name", .kind = BODY_FIELD_TEXT, .required = true, .max = ADMIN_TOKEN_NAME_MAX,
          .text = &out->name },
        { .key = "login", .kind = BODY_FIELD_TEXT, .required = true, .max = CORE_LOGIN_MAX * 2,
          .text = &out->login },
        { .key = "project", .kind = BODY_FIELD_TEXT, .max = CODE_MAX, .text = &out->project },
        { .key = NULL },
    };
    json_t *root;
    int rc = -1;

    memset(out, 0, sizeof(*out));
    if ((root = load_mixed(body, len, fields, own, a, e)) == NULL)
        return -1;
    if (check_login(out->login, "login", e) == 0 && check_code("project", out->project, e) == 0)
        rc = decode_scopes(root, a, &out->scopes, e);
    json_decref(root);
    return rc;
}

/* Decimal digits only, no sign or space, 1..max. */
static bool
parse_positive(const char *s, int64_t max, int64_t *out)
{
    char *end;
    long long n;

    if (s[0] < '0' || s[0] > '9' || strlen(s) > 19)
        return false;
    errno = 0;
    n = strtoll(s, &end, 10);
    if (*end != '\0' || errno != 0 || n < 1 || n > max)
        return false;
    *out = n;
    return true;
}

int
http_decode_token_id(const char *text, int64_t *out, struct err *e)
{
    if (!parse_positive(text, INT64_MAX, out))
        return err_set(e, ERR_NOT_FOUND, "id", "unknown", "malformed token id");
    return 0;
}

/* ---- revealing contact details, exports ---- */

static const char *const contact_names[] = { "name", "phone", "email", "unit", NULL };

const char *
http_contact_field_name(enum contact_field f)
{
    for (size_t i = 0; contact_names[i] != NULL; i++)
        if (f == 1u << i)
            return contact_names[i];
    return "?";
}

/* The staff member's reason, in their words: long enough to say something. */
static int
check_purpose(const char *purpose, struct err *e)
{
    if (utf8_len_chars(purpose, strlen(purpose)) < ADMIN_PURPOSE_MIN)
        return err_set(e, ERR_INVALID, "purpose", "too_short", "purpose under %d characters",
                       ADMIN_PURPOSE_MIN);
    return 0;
}

int
http_decode_reveal(const char *body, size_t len, struct arena *a, struct reveal_body *out,
                   struct err *e)
{
    const char **names = NULL;
    size_t n = 0;
    const struct body_field fields[] = {
        { .key = "purpose", .kind = BODY_FIELD_TEXT, .required = true, .max = ADMIN_PURPOSE_MAX,
          .text = &out->purpose },
        { .key = "fields", .kind = BODY_FIELD_LIST, .max = 4, .list = &names, .n = &n },
        { .key = NULL },
    };

    memset(out, 0, sizeof(*out));
    if (http_decode_fields(body, len, fields, a, e) < 0 || check_purpose(out->purpose, e) < 0)
        return -1;
    if (names == NULL) {
        out->fields = CONTACT_ALL;
        return 0;
    }
    if (n == 0)
        return err_set(e, ERR_INVALID, "fields", "empty", "no field named");
    for (size_t i = 0; i < n; i++) {
        size_t k = 0;
        while (contact_names[k] != NULL && strcmp(contact_names[k], names[i]) != 0)
            k++;
        if (contact_names[k] == NULL)
            return err_set(e, ERR_INVALID, "fields", "bad_value", "not a contact field");
        if (out->fields & (1u << k))
            return err_set(e, ERR_INVALID, "fields", "repeated", "a field twice");
        out->fields |= 1u << k;
    }
    return 0;
}

/*
 * A bound of received_at, as the complaint list reads received_from and
 * received_to: `end` includes the day of a date, or the second of a time.
 */
static int
parse_when(const char *field, const char *text, int tz_min, bool end, int64_t *out,
           struct err *e)
{
    bool date_only = false;
    int64_t t;

    if (ts_parse(text, strlen(text), tz_min, &t, &date_only, field, e) < 0)
        return -1;
    *out = end ? t + (date_only ? 86400 : 1) : t;
    return 0;
}

static int
parse_range(const char *from, const char *to, int tz_min, bool *has_from, int64_t *from_t,
            bool *has_to, int64_t *to_t, struct err *e)
{
    *has_from = from != NULL;
    *has_to = to != NULL;
    if ((from && parse_when("from", from, tz_min, false, from_t, e) < 0) ||
        (to && parse_when("to", to, tz_min, true, to_t, e) < 0))
        return -1;
    if (from && to && *to_t <= *from_t)
        return err_set(e, ERR_INVALID, "to", "before_from", "range ends before it starts");
    return 0;
}

static int
export_status(const char **names, size_t n, struct store_filter *f, struct err *e)
{
    f->n = 0;
    for (size_t i = 0; i < n; i++) {
        if (!str_in(names[i], core_statuses))
            return err_set(e, ERR_INVALID, "status", "bad_value", "not a status");
        if (listed(f->values, f->n, names[i]))
            return err_set(e, ERR_INVALID, "status", "repeated", "a status twice");
        f->values[f->n++] = names[i];
    }
    return 0;
}

static int
get_bool(json_t *root, const char *key, bool *out, struct err *e)
{
    json_t *v = json_object_get(root, key);

    if (v == NULL || json_is_null(v))
        return 0;
    if (!json_is_boolean(v))
        return err_set(e, ERR_INVALID, key, "bad_type", "not a boolean");
    *out = json_is_true(v);
    return 0;
}

int
http_decode_export(const char *body, size_t len, int tz_min, struct arena *a,
                   struct export_body *out, struct err *e)
{
    static const char *const own[] = { "masked", NULL };
    const char **status = NULL, *from = NULL, *to = NULL;
    size_t n_status = 0;
    const struct body_field fields[] = {
        { .key = "purpose", .kind = BODY_FIELD_TEXT, .required = true, .max = ADMIN_PURPOSE_MAX,
          .text = &out->purpose },
        { .key = "project", .kind = BODY_FIELD_TEXT, .max = CODE_MAX, .text = &out->project },
        { .key = "status", .kind = BODY_FIELD_LIST, .max = STORE_FILTER_MAX, .list = &status,
          .n = &n_status },
        { .key = "from", .kind = BODY_FIELD_TEXT, .max = TIME_TEXT_MAX, .text = &from },
        { .key = "to", .kind = BODY_FIELD_TEXT, .max = TIME_TEXT_MAX, .text = &to },
        { .key = NULL },
    };
    json_t *root;
    int rc = -1;

    memset(out, 0, sizeof(*out));
    if ((root = load_mixed(body, len, fields, own, a, e)) == NULL)
        return -1;
    if (check_purpose(out->purpose, e) == 0 && get_bool(root, "masked", &out->masked, e) == 0 &&
        check_code("project", out->project, e) == 0 &&
        export_status(status, n_status, &out->status, e) == 0 &&
        parse_range(from, to, tz_min, &out->has_from, &out->from, &out->has_to, &out->to, e) == 0)
        rc = 0;
    json_decref(root);
    return rc;
}

/* ---- the auditors' query ---- */

static const char *const audit_params[] = {
    "actor", "object", "complaint", "action", "from", "to", "before", "limit", NULL,
};

/* "login", "user.add", or a prefix "complaint.*": dotted words of a-z 0-9 _ */
static bool
is_action(const char *s)
{
    size_t n = strlen(s);
    bool word = false;

    if (n >= 2 && strcmp(s + n - 2, ".*") == 0)
        n -= 2;
    if (n == 0 || n > CODE_MAX)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')
            word = true;
        else if (c == '.' && word)
            word = false;
        else
            return false;
    }
    return word;
}

static int
audit_object(const char *k, const char *v, struct audit_query *q, struct err *e)
{
    if (q->object != NULL)
        return err_set(e, ERR_INVALID, "complaint", "exclusive",
                       "complaint is the object: give one of the two");
    if (strcmp(k, "complaint") == 0 && !core_number_is_wellformed(v))
        return err_set(e, ERR_INVALID, "complaint", "bad_format", "not a complaint number");
    if (core_text_check(k, v, strlen(v), ADMIN_OBJECT_MAX, false, e) < 0)
        return -1;
    q->object = v;
    return 0;
}

static int
audit_param(const struct kv *p, struct audit_query *q, const char **from, const char **to,
            struct err *e)
{
    const char *k = p->key, *v = p->value;
    int64_t n;

    if (strcmp(k, "actor") == 0) {
        q->actor = v;
        return check_login(v, "actor", e);
    } else if (strcmp(k, "object") == 0 || strcmp(k, "complaint") == 0) {
        return audit_object(k, v, q, e);
    } else if (strcmp(k, "action") == 0) {
        q->action = v;
        return is_action(v) ? 0 : err_set(e, ERR_INVALID, "action", "bad_format", "not an action");
    } else if (strcmp(k, "from") == 0) {
        *from = v;
    } else if (strcmp(k, "to") == 0) {
        *to = v;
    } else if (strcmp(k, "before") == 0) {
        if (!parse_positive(v, INT64_MAX, &q->before_id))
            return err_set(e, ERR_INVALID, "before", "bad_value", "not an entry id");
    } else if (strcmp(k, "limit") == 0) {
        if (!parse_positive(v, INT64_MAX, &n))
            return err_set(e, ERR_INVALID, "limit", "bad_value", "not a positive integer");
        if (n > ADMIN_AUDIT_LIMIT_MAX)
            return err_set(e, ERR_INVALID, "limit", "out_of_range", "limit outside 1..%d",
                           ADMIN_AUDIT_LIMIT_MAX);
        q->limit = (int)n;
    }
    return 0;
}

int
http_decode_audit_query(const struct kv *params, size_t n, int tz_min,
                        struct audit_query *out, struct err *e)
{
    const char *from = NULL, *to = NULL;

    memset(out, 0, sizeof(*out));
    out->limit = ADMIN_AUDIT_LIMIT;
    for (size_t i = 0; i < n; i++) {
        const char *k = params[i].key;
        if (!str_in(k, audit_params))
            return err_set(e, ERR_INVALID, k, "unknown_parameter",
                           "unknown parameter");
        for (size_t j = 0; j < i; j++)
            if (strcmp(params[j].key, k) == 0)
                return err_set(e, ERR_INVALID, k, "repeated", "parameter repeated");
        if (audit_param(&params[i], out, &from, &to, e) < 0)
            return -1;
    }
    return parse_range(from, to, tz_min, &out->has_from, &out->from, &out->has_to, &out->to, e);
}
