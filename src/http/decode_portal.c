/*
 * Bodies of the customer portal and of project administration (issue 6),
 * decoded from outside input (fuzzed: fuzz/fuzz_portal_body.c).
 *
 * A complaint a customer files is checked by the very rules of staff
 * registration: the portal's flat body is rewritten into the body of
 * POST /api/complaints and handed to http_decode_complaint, so the two can
 * never disagree on what a valid subject or phone number is. Only the
 * names in errors differ: the portal has "phone", not "complainant.phone".
 */
#include "http/handlers.h"
#include "util/str.h"

#include <stdlib.h>
#include <string.h>

static const char complainant_prefix[] = "complainant.";

/* Staff field names to the portal's: "complainant.phone" -> "phone" (static strings both). */
static int
portal_field(struct err *e)
{
    size_t n = sizeof(complainant_prefix) - 1;

    if (e->field != NULL && strncmp(e->field, complainant_prefix, n) == 0)
        e->field += n;
    return -1;
}

/* The staff body for the portal's members: the same values, the complainant nested. */
static json_t *
staff_body(json_t *root)
{
    static const char *const copied[] = { "project", "building", "unit", "subject", "content",
                                          "demands", "category", NULL };
    json_t *out = json_pack("{s:s, s:{}}", "channel", "web", "complainant");
    json_t *who = out ? json_object_get(out, "complainant") : NULL;
    json_t *v;

    if (out == NULL || who == NULL) {
        json_decref(out);
        return NULL;
    }
    for (size_t i = 0; copied[i] != NULL; i++)
        if ((v = json_object_get(root, copied[i])) != NULL)
            json_object_set(out, copied[i], v);
    if ((v = json_object_get(root, "name")) != NULL)
        json_object_set(who, "name", v);
    if ((v = json_object_get(root, "phone")) != NULL)
        json_object_set(who, "phone", v);
    return out;
}

int
http_decode_portal_complaint(const char *body, size_t len, int tz_min, int64_t now,
                             struct arena *a, struct complaint_new *out, const char **lang,
                             struct err *e)
{
    static const char *const langs[] = { "zh", "en", NULL };
    static const char *const others[] = { "project", "building", "unit", "name", "phone",
                                          "subject", "content", "demands", "category", NULL };
    const struct body_field fields[] = {
        { .key = "lang", .kind = BODY_FIELD_ENUM, .values = langs, .text = lang },
        { .key = NULL },
    };
    json_t *root = http_load_object(body, len, e), *staff;
    char *text;
    int rc;

    *lang = NULL;
    core_complaint_new_init(out);
    if (root == NULL)
        return -1;
    if (http_decode_fields_in(root, fields, others, a, e) < 0) {
        json_decref(root);
        return -1;
    }
    staff = staff_body(root);
    json_decref(root);
    text = staff ? json_dumps(staff, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
    json_decref(staff);
    if (text == NULL)
        return err_set(e, ERR_NOMEM, NULL, "nomem", "portal body");
    rc = http_decode_complaint(text, strlen(text), tz_min, a, out, e);
    free(text);
    if (rc < 0)
        return portal_field(e);
    /* a customer is someone kesu can call back: the phone is what finds the complaint again */
    if (out->complainant.phone == NULL)
        return err_set(e, ERR_INVALID, "phone", "required", "the customer's phone is missing");
    if (core_complaint_check(out, now, e) < 0)
        return portal_field(e);
    return 0;
}

/* One unit name of the list: a string, trimmed, 1..HTTP_PLACE_MAX characters, one line. */
static int
unit_name(json_t *v, size_t i, struct arena *a, const char **out, struct err *e)
{
    const char *field = arena_printf(a, "units[%zu]", i);
    struct str s;

    if (field == NULL)
        return err_set(e, ERR_NOMEM, NULL, "nomem", "field name");
    if (!json_is_string(v))
        return err_set(e, ERR_INVALID, field, "bad_type", "not a string");
    s = str_trim((struct str){ json_string_value(v), json_string_length(v) });
    if (memchr(s.p, '\0', s.len) != NULL)
        return err_set(e, ERR_INVALID, field, "bad_character", "NUL in a unit name");
    if (core_text_check(field, s.p, s.len, HTTP_PLACE_MAX, false, e) < 0)
        return -1;
    if ((*out = arena_strndup(a, s.p, s.len)) == NULL)
        return err_set(e, ERR_NOMEM, NULL, "nomem", "unit name");
    return 0;
}

int
http_decode_units(const char *body, size_t len, struct arena *a, const char **building,
                  const char ***units, size_t *n, struct err *e)
{
    static const char *const others[] = { "units", NULL };
    const struct body_field fields[] = {
        { .key = "building", .kind = BODY_FIELD_TEXT, .required = true, .max = HTTP_PLACE_MAX,
          .text = building },
        { .key = NULL },
    };
    json_t *root = http_load_object(body, len, e), *list;
    int rc = -1;

    *units = NULL;
    *n = 0;
    if (root == NULL)
        return -1;
    if (http_decode_fields_in(root, fields, others, a, e) < 0)
        goto out;
    list = json_object_get(root, "units");
    if (list == NULL || json_is_null(list)) {
        err_set(e, ERR_INVALID, "units", "required", "no units");
        goto out;
    }
    if (!json_is_array(list)) {
        err_set(e, ERR_INVALID, "units", "bad_type", "not an array");
        goto out;
    }
    if (json_array_size(list) == 0) {
        err_set(e, ERR_INVALID, "units", "empty", "no units");
        goto out;
    }
    if (json_array_size(list) > HTTP_UNITS_MAX) {
        err_set(e, ERR_INVALID, "units", "too_many", "more than %d units", HTTP_UNITS_MAX);
        goto out;
    }
    if ((*units = arena_zalloc(a, json_array_size(list) * sizeof(**units))) == NULL) {
        err_set(e, ERR_NOMEM, NULL, "nomem", "units");
        goto out;
    }
    for (size_t i = 0; i < json_array_size(list); i++)
        if (unit_name(json_array_get(list, i), i, a, &(*units)[i], e) < 0)
            goto out;
    *n = json_array_size(list);
    rc = 0;
out:
    json_decref(root);
    if (rc < 0)
        *units = NULL;
    return rc;
}
