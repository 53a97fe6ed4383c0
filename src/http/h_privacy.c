/*
 * Customers' personal data leaving the masked views (issue 3, item 6;
 * DOMAIN §11): revealing one complaint's contact details, and exporting
 * complaints as CSV. Both need their own permission, both say why (a
 * purpose, in the staff member's words), and both are written to the audit
 * log in a transaction that commits before a byte of the data is sent. The
 * entries hold the purpose and the filters, never the values revealed.
 */
#include "http/decode_admin.h"
#include "core/privacy.h"
#include "util/phone.h"
#include "util/ts.h"

#include <string.h>

#define EXPORT_ROWS_MAX 50000
#define EXPORT_PAGE 100                   /* complaints read at a time */
#define EXPORT_PAGE_ARENA (8u << 20)      /* one page of complaints, reused page after page */
#define EXPORT_BYTES_MAX (64u << 20)      /* the file; 50,000 rows fit with room to spare */

static int
nomem(struct err *e)
{
    return err_set(e, ERR_NOMEM, NULL, "nomem", "out of memory");
}

static json_t *
contact_names(unsigned fields)
{
    json_t *a = json_array();

    for (unsigned f = 1; a != NULL && f <= CONTACT_UNIT; f <<= 1)
        if ((fields & f) &&
            json_array_append_new(a, json_string(http_contact_field_name(f))) < 0) {
            json_decref(a);
            return NULL;
        }
    return a;
}

/* ---- POST /api/complaints/:number/contact ---- */

struct reveal_ctx {
    struct reveal_body in;
    struct complaint *c;
};

/* After the commit: the fields asked for, unmasked; the number always. */
static int
reveal_finish(struct req *r, struct err *e)
{
    struct reveal_ctx *cx = r->ctx;
    json_t *o = render_contact(cx->c);

    if (o == NULL)
        return nomem(e);
    if (!(cx->in.fields & CONTACT_NAME))
        json_object_del(o, "name");
    if (!(cx->in.fields & CONTACT_PHONE))
        json_object_del(o, "phone");
    if (!(cx->in.fields & CONTACT_EMAIL))
        json_object_del(o, "email");
    if (!(cx->in.fields & CONTACT_UNIT)) {
        json_object_del(o, "building");
        json_object_del(o, "unit");
    }
    return http_reply_json(r, 200, o) < 0 ? nomem(e) : 0;
}

static int
reveal_run(struct store *st, struct store_job *job, struct err *e)
{
    struct req *r = job->ctx;
    struct reveal_ctx *cx = r->ctx;

    if (http_audit_json(st, r, "contact.reveal", cx->c->number,
                        json_pack("{s:s, s:o}", "purpose", cx->in.purpose, "fields",
                                  contact_names(cx->in.fields)),
                        e) < 0)
        return -1;
    r->finish = reveal_finish;
    return 0;
}

int
h_contact_reveal(struct req *r, struct err *e)
{
    struct reveal_ctx *cx = arena_zalloc(r->arena, sizeof(*cx));
    struct store *st;

    if (cx == NULL)
        return nomem(e);
    /* outside the caller's projects the complaint does not exist: 404 before anything else */
    if ((st = http_reader(r, e)) == NULL || (cx->c = http_path_complaint(st, r, e)) == NULL ||
        http_decode_reveal(r->body.buf, r->body.len, r->arena, &cx->in, e) < 0)
        return -1;
    r->ctx = cx;
    return http_submit(r, reveal_run);
}

/* ---- POST /api/exports/complaints ---- */

/*
 * One cell of RFC 4180: quoted when it holds a comma, a quote or a line
 * end, quotes doubled. A cell that a spreadsheet would take for a formula
 * (= + - @, tab or CR first) gets a leading apostrophe, so that a complaint
 * text cannot run code on the desk of whoever opens the file.
 */
static void
csv_cell(struct sbuf *sb, const char *s, bool first)
{
    bool quote;

    if (!first)
        sbuf_addc(sb, ',');
    if (s == NULL || s[0] == '\0')
        return;
    quote = strpbrk(s, ",\"\r\n") != NULL;
    if (quote)
        sbuf_addc(sb, '"');
    if (strchr("=+-@\t\r", s[0]) != NULL)
        sbuf_addc(sb, '\'');
    for (const char *p = s; *p; p++) {
        if (*p == '"')
            sbuf_addc(sb, '"');
        sbuf_addc(sb, *p);
    }
    if (quote)
        sbuf_addc(sb, '"');
}

#define EXPORT_COLUMNS 11

static void
csv_line(struct sbuf *sb, const char *const cells[EXPORT_COLUMNS])
{
    for (size_t i = 0; i < EXPORT_COLUMNS; i++)
        csv_cell(sb, cells[i], i == 0);
    sbuf_adds(sb, "\r\n");
}

static void
csv_row(struct sbuf *sb, const struct complaint *c, bool masked, int tz_min)
{
    char when[TS_FORMAT_MAX], phone[PHONE_NORM_MAX], email[CORE_MASK_MAX], unit[CORE_MASK_MAX];
    const char *cells[EXPORT_COLUMNS] = {
        c->number, when, c->project_name, c->building, c->unit, c->c_name, c->c_phone,
        c->c_email, c->category_zh, c->status, c->subject,
    };

    ts_format(c->received_at, tz_min, when);
    if (masked && c->unit != NULL) {
        core_mask_unit(c->unit, unit);
        cells[4] = unit;
    }
    if (masked && c->c_phone != NULL) {
        phone_mask(c->c_phone, phone);
        cells[6] = phone;
    }
    if (masked && c->c_email != NULL) {
        core_mask_email(c->c_email, email);
        cells[7] = email;
    }
    csv_line(sb, cells);
}

/*
 * Narrow the export to the projects where the caller may export: a project
 * asked for outside them is "unknown", as one that does not exist; none
 * asked for means all of theirs.
 */
static int
export_scope(struct req *r, const char *project, struct store_filter *f, struct err *e)
{
    f->n = 0;
    if (project != NULL)
        f->values[f->n++] = project;
    return http_scope_filter(r, PERM_EXPORT, f, e);
}

/*
 * Read the matching complaints page by page (registration order, a page's
 * memory reused for the next) into the file. More than EXPORT_ROWS_MAX is
 * refused when the count passes it, before anything is audited or sent.
 */
static int
export_read(struct req *r, struct complaint_query *q, bool masked, struct sbuf *out,
            size_t *rows, struct err *e)
{
    struct store *st = http_reader(r, e);
    struct arena *page_arena = arena_new(EXPORT_PAGE_ARENA);
    struct complaint_page page = { 0 };
    int rc = -1;

    if (st == NULL || page_arena == NULL)
        goto out;
    *rows = 0;
    do {
        arena_reset(page_arena);
        if (st->ops->complaint_list(st, q, page_arena, &page, e) < 0)
            goto out;
        if (*rows + page.n > EXPORT_ROWS_MAX) {
            err_set(e, ERR_INVALID, "rows", "too_many", "more than %d complaints match",
                    EXPORT_ROWS_MAX);
            goto out;
        }
        for (size_t i = 0; i < page.n; i++)
            csv_row(out, &page.items[i], masked, r->srv->cfg->tz_offset_min);
        *rows += page.n;
        if (page.n > 0) {
            q->has_cursor = true;
            q->cursor_key = q->cursor_id = page.items[page.n - 1].id;
        }
    } while (page.more && page.n > 0 && !out->failed);
    if (out->failed)
        err_set(e, out->over_max ? ERR_TOO_LARGE : ERR_NOMEM, NULL,
                out->over_max ? "too_large" : "nomem", "export file over its cap");
    else
        rc = 0;
out:
    if (rc < 0 && e->code == ERR_OK)
        nomem(e);
    arena_free(page_arena);
    return rc;
}

static int
export_build(struct req *r, const struct export_body *in, struct sbuf *out, size_t *rows,
             struct err *e)
{
    static const char *const header[EXPORT_COLUMNS] = {
        "编号", "受理时间", "项目", "楼栋", "房号", "投诉人",
        "电话", "邮箱", "类别", "状态", "主题",
    };
    struct complaint_query q = { .status = in->status, .has_from = in->has_from,
                                 .has_to = in->has_to, .from = in->from, .to = in->to,
                                 .sort = STORE_SORT_REGISTERED_ASC, .limit = EXPORT_PAGE };

    if (export_scope(r, in->project, &q.project, e) < 0)
        return -1;
    sbuf_adds(out, "\xEF\xBB\xBF");    /* a BOM: Excel then reads the file as UTF-8 */
    csv_line(out, header);
    return export_read(r, &q, in->masked, out, rows, e);
}

struct export_ctx {
    struct export_body in;
    size_t rows;
};

static json_t *
time_or_null(bool has, int64_t t, int tz_min)
{
    return has ? render_time(t, tz_min) : json_null();
}

static json_t *
filter_array(const struct store_filter *f)
{
    json_t *a = json_array();

    for (size_t i = 0; a != NULL && i < f->n; i++)
        if (json_array_append_new(a, json_string(f->values[i])) < 0) {
            json_decref(a);
            return NULL;
        }
    return a;
}

static int
export_run(struct store *st, struct store_job *job, struct err *e)
{
    struct req *r = job->ctx;
    struct export_ctx *cx = r->ctx;
    const struct export_body *in = &cx->in;
    int tz = r->srv->cfg->tz_offset_min;

    /* received_before: the end of the range, exclusive, as the store applied it */
    return http_audit_json(
        st, r, "export.complaints", NULL,
        json_pack("{s:s, s:{s:o, s:o, s:o, s:o}, s:b, s:I}", "purpose", in->purpose, "filters",
                  "project", in->project ? json_string(in->project) : json_null(), "status",
                  filter_array(&in->status), "received_from",
                  time_or_null(in->has_from, in->from, tz), "received_before",
                  time_or_null(in->has_to, in->to, tz), "masked", in->masked, "rows",
                  (json_int_t)cx->rows),
        e);
}

/*
 * The file is made first, on the read connection, and held in the reply;
 * the writer then commits the audit entry, with the number of rows, and
 * only then is the reply sent. A failed write discards the reply unsent
 * (server.c frees it). Doing it in this order means a refused export
 * (too many rows, too large) leaves no entry claiming data went out.
 */
int
h_export_complaints(struct req *r, struct err *e)
{
    struct export_ctx *cx = arena_zalloc(r->arena, sizeof(*cx));
    struct sbuf csv;
    char *body;
    size_t len;

    if (cx == NULL)
        return nomem(e);
    if (http_decode_export(r->body.buf, r->body.len, r->srv->cfg->tz_offset_min, r->arena,
                           &cx->in, e) < 0)
        return -1;
    sbuf_init(&csv, EXPORT_BYTES_MAX);
    if (export_build(r, &cx->in, &csv, &cx->rows, e) < 0) {
        sbuf_release(&csv);
        return -1;
    }
    body = sbuf_detach(&csv, &len);
    if (body == NULL)
        return nomem(e);
    http_reply_text(r, 200, "text/csv; charset=utf-8", body, len);
    if (http_reply_header(r, "Content-Disposition", "attachment; filename=\"complaints.csv\"") < 0)
        return nomem(e);
    r->ctx = cx;
    return http_submit(r, export_run);
}
