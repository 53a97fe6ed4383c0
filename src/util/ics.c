/*
 * iCalendar holiday files to day ranges, with libical (util/ics.h).
 *
 * libical parses whatever it is given: it builds a tree of any size and
 * depth, frees it recursively, turns most mistakes into X-LIC-ERROR
 * properties instead of failures, and prints some of them on stderr. So the
 * text is checked and unfolded here first (size, NUL, UTF-8, that it is a
 * VCALENDAR, well-formed lines, how many components and how deep), and
 * libical only ever sees text of a bounded shape holding the lines kesu
 * reads. Reading the tree then asks for exactly the properties a holiday
 * needs and refuses an event that lacks one, rather than guessing.
 */
#include "util/ics.h"

#include <libical/ical.h>
#include <stdbool.h>
#include <string.h>
#include <strings.h>

#include "util/ts.h"
#include "util/utf8.h"

/* components of any kind (VALARM, VTIMEZONE, STANDARD...) besides the events */
#define COMPONENTS_MAX (4 * ICS_EVENTS_MAX + 64)

static int
refuse(struct err *e, const char *reason, size_t event, const char *what)
{
    if (event > 0)
        return err_set(e, ERR_INVALID, "ics", reason, "event %zu: %s", event, what);
    return err_set(e, ERR_INVALID, "ics", reason, "%s", what);
}

static int
out_of_memory(struct arena *a, struct err *e)
{
    if (arena_over_limit(a))
        return err_set(e, ERR_TOO_LARGE, NULL, "too_large", "request arena limit reached");
    return err_set(e, ERR_NOMEM, NULL, "nomem", "out of memory");
}

/* ---- the text before libical sees it ---- */

/*
 * The properties kesu reads. Only these lines (and BEGIN and END) reach
 * libical: it then never meets a property it parses badly or complains
 * about on stderr (TASK-MODE did), and a broken DESCRIPTION in an otherwise
 * good file does not matter.
 */
static const char *const kept[] = {
    "DTSTART", "DTEND", "DURATION", "SUMMARY", "STATUS", "RRULE", "RDATE", "X-KESU-KIND",
};

/* The name of a content line: 1*(ALPHA / DIGIT / "-") before ':' or ';'; 0 when malformed. */
static size_t
name_length(const char *p, const char *end)
{
    size_t n = 0;

    while (p + n < end && ((p[n] >= 'A' && p[n] <= 'Z') || (p[n] >= 'a' && p[n] <= 'z') ||
                           (p[n] >= '0' && p[n] <= '9') || p[n] == '-'))
        n++;
    return n > 0 && p + n < end && (p[n] == ':' || p[n] == ';') ? n : 0;
}

static bool
name_is(const char *p, size_t n, const char *name)
{
    return strlen(name) == n && strncasecmp(p, name, n) == 0;
}

/* The value of a BEGIN or END line (after "BEGIN:"), case-insensitively. */
static bool
value_is(const char *p, const char *end, const char *value)
{
    while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
        end--;
    return (size_t)(end - p) == strlen(value) && strncasecmp(p, value, strlen(value)) == 0;
}

static bool
is_kept(const char *p, size_t n)
{
    for (size_t i = 0; i < sizeof(kept) / sizeof(kept[0]); i++)
        if (name_is(p, n, kept[i]))
            return true;
    return false;
}

/*
 * Copy the text with folded lines joined (RFC 5545 §3.1: a line break
 * followed by a space or tab continues the line), NUL-terminated.
 */
static char *
unfold(const char *text, size_t len, struct arena *a)
{
    char *out = arena_alloc(a, len + 2);   /* shape() may end the last line with '\n' */
    size_t k = 0;

    if (out == NULL)
        return NULL;
    for (size_t i = 0; i < len; i++) {
        size_t brk = text[i] == '\r' && i + 1 < len && text[i + 1] == '\n' ? 2
                   : text[i] == '\n'                                    ? 1
                                                                        : 0;
        if (brk > 0 && i + brk < len && (text[i + brk] == ' ' || text[i + brk] == '\t')) {
            i += brk;   /* the break and the one white space character go */
            continue;
        }
        out[k++] = text[i];
    }
    out[k] = '\0';
    return out;
}

struct shape {
    size_t events, components;
    int depth;
    bool started;                      /* BEGIN:VCALENDAR seen first */
};

/* One content line [p, end): checked, counted, and kept (appended at *w) or dropped. */
static int
shape_line(const char *p, const char *end, struct shape *sh, char **w, struct err *e)
{
    size_t n = name_length(p, end);
    const char *value = p + n + 1;

    if (!sh->started && !(name_is(p, n, "BEGIN") && p[n] == ':' && value_is(value, end, "VCALENDAR")))
        return refuse(e, "not_vcalendar", 0, "does not start with BEGIN:VCALENDAR");
    sh->started = true;
    if (n == 0 || memchr(p, '\r', (size_t)(end - p)) != NULL)
        return refuse(e, "bad_format", 0, "a line that is not NAME:value");
    if (name_is(p, n, "BEGIN") || name_is(p, n, "END")) {
        if (p[n] != ':' || value_is(value, end, ""))
            return refuse(e, "bad_format", 0, "BEGIN or END without a plain component name");
        if (name_is(p, n, "END") && sh->depth == 0)
            return refuse(e, "bad_format", 0, "END before BEGIN");   /* libical says so on stderr */
        if (name_is(p, n, "END"))
            sh->depth--;
        else if (++sh->depth > ICS_DEPTH_MAX)
            return refuse(e, "too_many", 0, "components nested too deep");
        else if (++sh->components > COMPONENTS_MAX)
            return refuse(e, "too_many", 0, "too many components");
        else if (value_is(value, end, "VEVENT") && ++sh->events > ICS_EVENTS_MAX)
            return refuse(e, "too_many", 0, "more than ICS_EVENTS_MAX events");
    } else if (!is_kept(p, n)) {
        return 0;
    }
    memmove(*w, p, (size_t)(end - p));
    *w += end - p;
    *(*w)++ = '\n';
    return 0;
}

/*
 * Check the unfolded text line by line and keep, in place, the lines
 * libical is to see: a VCALENDAR first, well-formed lines, bounded counts
 * and depth, BEGIN and END, and the properties kesu reads.
 */
static int
shape(char *s, struct err *e)
{
    struct shape sh = { 0 };
    char *w = s;

    for (bool last = false; !last && *s != '\0';) {
        char *nl = strchr(s, '\n');
        char *end = nl != NULL ? nl : s + strlen(s);
        char *next = nl != NULL ? nl + 1 : end;

        last = nl == NULL;   /* the kept line may overwrite the NUL: stop by this instead */
        if (end > s && end[-1] == '\r')
            end--;
        if (end > s && shape_line(s, end, &sh, &w, e) < 0)   /* blank lines go */
            return -1;
        s = next;
    }
    *w = '\0';
    if (!sh.started)
        return refuse(e, "not_vcalendar", 0, "no content lines");
    if (sh.events == 0)
        return refuse(e, "no_events", 0, "no VEVENT");
    return 0;
}

static int
check_text(const char *text, size_t len, struct err *e)
{
    if (text == NULL || len == 0)
        return refuse(e, "empty", 0, "no text");
    if (len > ICS_TEXT_MAX)
        return refuse(e, "too_long", 0, "over ICS_TEXT_MAX bytes");
    if (memchr(text, '\0', len) != NULL)
        return refuse(e, "bad_character", 0, "NUL byte");
    if (!utf8_is_valid(text, len))
        return refuse(e, "bad_utf8", 0, "not UTF-8");
    return 0;
}

/* ---- one event ---- */

/* A date property's value as days since the epoch; -1 with e set when it is not a usable date. */
static int
date_value(struct icaltimetype t, size_t event, const char *not_date_reason, int64_t *day,
           struct err *e)
{
    if (icaltime_is_null_time(t))
        return refuse(e, "missing_date", event, "no readable date");
    if (!t.is_date)
        return refuse(e, not_date_reason, event, "a date-time, not a date");
    if (t.month < 1 || t.month > 12 || t.day < 1 || t.day > ts_days_in_month(t.year, t.month))
        return refuse(e, "bad_date", event, "no such date");
    if (t.year < 1970 || t.year > 9999)
        return refuse(e, "out_of_range", event, "year outside 1970..9999");
    *day = ts_days_from_civil(t.year, t.month, t.day);
    return 0;
}

/* The last day (inclusive) from DTEND or DURATION; the first day itself when neither. */
static int
last_day(icalcomponent *ev, int64_t first, size_t event, int64_t *last, struct err *e)
{
    icalproperty *p = icalcomponent_get_first_property(ev, ICAL_DTEND_PROPERTY);

    if (p != NULL) {
        int64_t end;
        if (date_value(icalproperty_get_dtend(p), event, "bad_range", &end, e) < 0) {
            e->reason = "bad_range";   /* the end, not the start, is what is wrong */
            return -1;
        }
        if (end <= first)
            return refuse(e, "bad_range", event, "DTEND not after DTSTART");
        *last = end - 1;
        return 0;
    }
    p = icalcomponent_get_first_property(ev, ICAL_DURATION_PROPERTY);
    if (p != NULL) {
        struct icaldurationtype d = icalproperty_get_duration(p);
        int64_t days = (int64_t)d.days + 7 * (int64_t)d.weeks;
        if (icaldurationtype_is_bad_duration(d) || d.is_neg || d.hours || d.minutes ||
            d.seconds || days < 1)
            return refuse(e, "bad_range", event, "DURATION not in whole days");
        if (days > ICS_RANGE_MAX)
            return refuse(e, "range_too_long", event, "longer than ICS_RANGE_MAX days");
        *last = first + days - 1;
        return 0;
    }
    *last = first;
    return 0;
}

static bool
is_cancelled(icalcomponent *ev)
{
    icalproperty *p = icalcomponent_get_first_property(ev, ICAL_STATUS_PROPERTY);

    return p != NULL && icalproperty_get_status(p) == ICAL_STATUS_CANCELLED;
}

/* X-KESU-KIND when given (*kind 0 when not), else -1 with e set for a bad value. */
static int
kind_property(icalcomponent *ev, size_t event, enum ics_kind *kind, struct err *e)
{
    *kind = 0;
    for (icalproperty *p = icalcomponent_get_first_property(ev, ICAL_X_PROPERTY); p != NULL;
         p = icalcomponent_get_next_property(ev, ICAL_X_PROPERTY)) {
        const char *name = icalproperty_get_x_name(p), *v = icalproperty_get_x(p);
        if (name == NULL || strcasecmp(name, "X-KESU-KIND") != 0)
            continue;
        while (v != NULL && (*v == ' ' || *v == '\t'))
            v++;
        if (v != NULL && strncasecmp(v, "holiday", 7) == 0 && strspn(v + 7, " \t") == strlen(v + 7))
            *kind = ICS_HOLIDAY;
        else if (v != NULL && strncasecmp(v, "workday", 7) == 0 &&
                 strspn(v + 7, " \t") == strlen(v + 7))
            *kind = ICS_WORKDAY;
        else
            return refuse(e, "bad_kind", event, "X-KESU-KIND is not holiday or workday");
        return 0;
    }
    return 0;
}

/* A make-up working day says so: 上班, 补班, "workday". */
static enum ics_kind
kind_from_summary(const char *summary)
{
    if (strstr(summary, "班") != NULL || strcasestr(summary, "workday") != NULL)
        return ICS_WORKDAY;
    return ICS_HOLIDAY;
}

/* The SUMMARY as a name: control characters as spaces, trimmed, cut between characters. */
static char *
event_name(icalcomponent *ev, struct arena *a)
{
    icalproperty *p = icalcomponent_get_first_property(ev, ICAL_SUMMARY_PROPERTY);
    const char *s = p != NULL ? icalproperty_get_summary(p) : NULL;
    size_t len, start = 0;
    char *out;

    if (s == NULL || !utf8_is_valid(s, strlen(s)))
        return arena_strdup(a, "");
    out = arena_strdup(a, s);
    if (out == NULL)
        return NULL;
    for (char *c = out; *c; c++)
        if ((unsigned char)*c < 0x20 || *c == 0x7f)
            *c = ' ';
    len = strlen(out);
    while (start < len && out[start] == ' ')
        start++;
    while (len > start && out[len - 1] == ' ')
        len--;
    len = start + utf8_prefix_bytes(out + start, len - start, ICS_NAME_MAX);
    while (len > start && out[len - 1] == ' ')
        len--;
    out[len] = '\0';
    return out + start;
}

static int
read_event(icalcomponent *ev, size_t event, struct arena *a, struct ics_event *out,
           struct err *e)
{
    icalproperty *start = icalcomponent_get_first_property(ev, ICAL_DTSTART_PROPERTY);
    enum ics_kind kind;

    /*
     * libical drops a property it cannot read and leaves an X-LIC-ERROR in
     * its place: a broken DTEND would silently make a one-day event.
     */
    if (icalcomponent_get_first_property(ev, ICAL_XLICERROR_PROPERTY) != NULL)
        return refuse(e, "bad_format", event, "libical could not read a property");
    if (icalcomponent_get_first_property(ev, ICAL_RRULE_PROPERTY) != NULL ||
        icalcomponent_get_first_property(ev, ICAL_RDATE_PROPERTY) != NULL)
        return refuse(e, "recurring", event, "RRULE or RDATE");
    if (start == NULL)
        return refuse(e, "missing_date", event, "no DTSTART");
    if (date_value(icalproperty_get_dtstart(start), event, "not_all_day", &out->first, e) < 0 ||
        last_day(ev, out->first, event, &out->last, e) < 0)
        return -1;
    if (out->last - out->first + 1 > ICS_RANGE_MAX)
        return refuse(e, "range_too_long", event, "longer than ICS_RANGE_MAX days");
    if (kind_property(ev, event, &kind, e) < 0)
        return -1;
    if ((out->name = event_name(ev, a)) == NULL)
        return out_of_memory(a, e);
    out->kind = kind != 0 ? kind : kind_from_summary(out->name);
    return 0;
}

/* ---- the calendar ---- */

struct events {
    struct ics_event *items;
    size_t n, cap;
    size_t seen;                       /* VEVENTs read, cancelled ones too: numbers in errors */
};

static int
read_calendar(icalcomponent *cal, struct arena *a, struct events *out, struct err *e)
{
    for (icalcomponent *ev = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT);
         ev != NULL; ev = icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT)) {
        struct ics_event *grown;
        out->seen++;
        if (is_cancelled(ev))
            continue;
        grown = arena_grow(a, out->items, out->n, &out->cap, sizeof(*out->items));
        if (grown == NULL)
            return out_of_memory(a, e);
        out->items = grown;
        if (read_event(ev, out->seen, a, &out->items[out->n], e) < 0)
            return -1;
        out->n++;
    }
    return 0;
}

/* One VCALENDAR, or several concatenated (libical wraps them in an XROOT). */
static int
read_root(icalcomponent *root, struct arena *a, struct events *out, struct err *e)
{
    icalcomponent_kind kind = icalcomponent_isa(root);

    if (kind == ICAL_VCALENDAR_COMPONENT)
        return read_calendar(root, a, out, e);
    if (kind != ICAL_XROOT_COMPONENT)
        return refuse(e, "not_vcalendar", 0, "not a VCALENDAR");
    for (icalcomponent *c = icalcomponent_get_first_component(root, ICAL_ANY_COMPONENT); c != NULL;
         c = icalcomponent_get_next_component(root, ICAL_ANY_COMPONENT)) {
        if (icalcomponent_isa(c) != ICAL_VCALENDAR_COMPONENT)
            return refuse(e, "not_vcalendar", 0, "a component outside any VCALENDAR");
        if (read_calendar(c, a, out, e) < 0)
            return -1;
    }
    return 0;
}

int
ics_parse(const char *text, size_t len, struct arena *a, struct ics_event **out, size_t *n,
          struct err *e)
{
    struct events found = { 0 };
    icalcomponent *root;
    char *flat;
    int rc;

    if (check_text(text, len, e) < 0)
        return -1;
    if ((flat = unfold(text, len, a)) == NULL)
        return out_of_memory(a, e);
    if (shape(flat, e) < 0)
        return -1;
    icalerror_clear_errno();
    root = icalparser_parse_string(flat);
    if (root == NULL) {
        rc = icalerrno == ICAL_NEWFAILED_ERROR || icalerrno == ICAL_ALLOCATION_ERROR
                 ? err_set(e, ERR_NOMEM, NULL, "nomem", "libical ran out of memory")
                 : refuse(e, "not_vcalendar", 0, "libical found no component");
    } else {
        rc = read_root(root, a, &found, e);
        icalcomponent_free(root);
    }
    /* libical's error number and scratch buffers are per thread: leave nothing behind */
    icalerror_clear_errno();
    icalmemory_free_ring();
    if (rc < 0)
        return -1;
    if (found.n == 0)
        return refuse(e, "no_events", 0, "every event is cancelled");
    *out = found.items;
    *n = found.n;
    return 0;
}
