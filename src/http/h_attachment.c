/*
 * Attachments: photos, recordings and documents of a complaint. The body is
 * the file itself; its type must be one we accept and its first bytes must
 * agree with that type, so nothing executable or mislabelled is stored and
 * served back to a browser.
 */
#include "http/handlers.h"
#include "util/str.h"
#include "util/utf8.h"

#include <sodium.h>
#include <string.h>
#include <strings.h>

#define ATTACHMENT_NAME_MAX 200

struct media_type {
    const char *name;
    bool (*looks_like)(const unsigned char *p, size_t n);
};

static bool
starts(const unsigned char *p, size_t n, const char *magic, size_t m)
{
    return n >= m && memcmp(p, magic, m) == 0;
}

static bool is_jpeg(const unsigned char *p, size_t n) { return starts(p, n, "\xFF\xD8\xFF", 3); }
static bool is_png(const unsigned char *p, size_t n) { return starts(p, n, "\x89PNG\r\n\x1A\n", 8); }
static bool is_pdf(const unsigned char *p, size_t n) { return starts(p, n, "%PDF-", 5); }
static bool is_amr(const unsigned char *p, size_t n) { return starts(p, n, "#!AMR", 5); }

static bool
is_gif(const unsigned char *p, size_t n)
{
    return starts(p, n, "GIF87a", 6) || starts(p, n, "GIF89a", 6);
}

static bool
is_riff(const unsigned char *p, size_t n, const char *form)
{
    return n >= 12 && memcmp(p, "RIFF", 4) == 0 && memcmp(p + 8, form, 4) == 0;
}

static bool is_webp(const unsigned char *p, size_t n) { return is_riff(p, n, "WEBP"); }
static bool is_wav(const unsigned char *p, size_t n) { return is_riff(p, n, "WAVE"); }

/* ISO base media (mp4, m4a, heic): a box whose type is "ftyp" at offset 4. */
static bool
is_isobmff(const unsigned char *p, size_t n)
{
    return n >= 12 && memcmp(p + 4, "ftyp", 4) == 0;
}

static bool
is_mp3(const unsigned char *p, size_t n)
{
    return starts(p, n, "ID3", 3) || (n >= 2 && p[0] == 0xFF && (p[1] & 0xE0) == 0xE0);
}

static const struct media_type media_types[] = {
    { "image/jpeg", is_jpeg },    { "image/png", is_png },     { "image/gif", is_gif },
    { "image/webp", is_webp },    { "image/heic", is_isobmff }, { "audio/mpeg", is_mp3 },
    { "audio/wav", is_wav },      { "audio/amr", is_amr },     { "audio/mp4", is_isobmff },
    { "video/mp4", is_isobmff },  { "application/pdf", is_pdf },
};

/* The accepted type named by a Content-Type header (parameters ignored), or NULL. */
static const struct media_type *
media_type_find(const char *header)
{
    size_t n;

    if (header == NULL)
        return NULL;
    n = strcspn(header, "; ");
    for (size_t i = 0; i < sizeof(media_types) / sizeof(media_types[0]); i++)
        if (strlen(media_types[i].name) == n && strncasecmp(header, media_types[i].name, n) == 0)
            return &media_types[i];
    return NULL;
}

static int
check_name(const char *name, struct err *e)
{
    size_t len = strlen(name);

    if (len == 0)
        return err_set(e, ERR_INVALID, "name", "empty", "file name is blank");
    if (strpbrk(name, "/\\") != NULL || utf8_has_control(name, len, false))
        return err_set(e, ERR_INVALID, "name", "bad_character", "path or control characters");
    if (utf8_len_chars(name, len) > ATTACHMENT_NAME_MAX)
        return err_set(e, ERR_INVALID, "name", "too_long", "file name too long");
    return 0;
}

/* The name without white space around it (a copy in the arena). */
static const char *
trim_name(struct arena *a, const char *name)
{
    struct str s = str_trim(str_from(name));

    return arena_strndup(a, s.p, s.len);
}

/* The image types the portal takes (JPEG, PNG, GIF, WebP), known by their first bytes. */
const char *
http_image_type(const unsigned char *p, size_t n)
{
    static const struct media_type images[] = {
        { "image/jpeg", is_jpeg }, { "image/png", is_png }, { "image/gif", is_gif },
        { "image/webp", is_webp },
    };

    if (p == NULL)
        return NULL;
    for (size_t i = 0; i < sizeof(images) / sizeof(images[0]); i++)
        if (images[i].looks_like(p, n))
            return images[i].name;
    return NULL;
}

int
http_upload_name(struct req *r, const char **name, struct err *e)
{
    struct kv *params;
    size_t n;

    *name = NULL;
    if (http_query_parse(r->raw_query, strlen(r->raw_query), r->arena, &params, &n, e) < 0)
        return -1;
    for (size_t i = 0; i < n; i++) {
        if (strcmp(params[i].key, "name") != 0)
            return err_set(e, ERR_INVALID, params[i].key, "unknown_parameter", "unknown");
        if (*name != NULL)
            return err_set(e, ERR_INVALID, "name", "repeated", "name given twice");
        *name = params[i].value;
    }
    if (*name == NULL)
        return err_set(e, ERR_INVALID, "name", "required", "file name missing");
    *name = trim_name(r->arena, *name);
    if (*name == NULL)
        return err_set(e, ERR_NOMEM, NULL, "nomem", "file name");
    return check_name(*name, e);
}

int
http_attachment_add(struct store *st, struct req *r, const struct complaint *c,
                    struct attachment_new *in, bool by_customer, struct attachment **out,
                    struct err *e)
{
    struct attachment *at;
    struct event *ev;
    struct event_new note;
    json_t *data;
    char *data_text;

    in->complaint_id = c->id;
    if (st->ops->attachment_add(st, in, r->arena, &at, e) < 0)
        return -1;
    data = json_pack("{s:I, s:s, s:s}", "attachment_id", (json_int_t)at->id, "name", at->name,
                     "content_type", at->content_type);
    /* the portal's uploads are counted by this mark (at most so many per complaint) */
    if (data != NULL && by_customer)
        json_object_set_new(data, "by", json_string("customer"));
    data_text = data ? json_dumps(data, JSON_COMPACT) : NULL;
    json_decref(data);
    note = (struct event_new){ .complaint_id = c->id, .type = "attachment",
                               .visibility = "internal", .at = r->now,
                               .author = r->who ? r->who->login : NULL,
                               .data = data_text ? arena_strdup(r->arena, data_text) : NULL };
    free(data_text);
    if (note.data == NULL)
        return err_set(e, ERR_NOMEM, NULL, "nomem", "attachment event");
    if (st->ops->event_append(st, &note, r->arena, &ev, e) < 0)
        return -1;
    /*
     * In the audit log, in the same transaction. Only ids go in the detail:
     * a file name may carry a person's name or number.
     */
    if (http_audit_json(st, r, "attachment.add", c->number,
                        json_pack("{s:I, s:i, s:s*}", "attachment_id", (json_int_t)at->id,
                                  "seq", ev->seq, "via", by_customer ? "portal" : NULL),
                        e) < 0)
        return -1;
    *out = at;
    return 0;
}

static int
attachment_run(struct store *st, struct store_job *job, struct err *e)
{
    struct req *r = job->ctx;
    struct attachment_new *in = r->ctx;
    struct complaint *c;
    struct attachment *at;

    if ((c = http_path_complaint(st, r, e)) == NULL ||
        http_attachment_add(st, r, c, in, false, &at, e) < 0)
        return -1;
    if (http_reply_json(r, 201, render_attachment(at, c->number, r->srv->cfg->tz_offset_min)) < 0)
        return err_set(e, ERR_NOMEM, NULL, "nomem", "reply");
    return 0;
}

int
h_attachment_create(struct req *r, struct err *e)
{
    const struct media_type *mt = media_type_find(http_header(r, "Content-Type"));
    struct attachment_new *in = arena_zalloc(r->arena, sizeof(*in));
    const char *name;

    if (in == NULL)
        return err_set(e, ERR_NOMEM, NULL, "nomem", "attachment");
    if (mt == NULL)
        return err_set(e, ERR_UNSUPPORTED, "Content-Type", "unsupported_type",
                       "attachment type not accepted");
    if (http_upload_name(r, &name, e) < 0)
        return -1;
    if (r->body.len == 0)
        return err_set(e, ERR_INVALID, "body", "empty", "empty file");
    if (!mt->looks_like((const unsigned char *)r->body.buf, r->body.len))
        return err_set(e, ERR_INVALID, "body", "content_mismatch", "bytes are not %s", mt->name);
    in->name = name;
    in->content_type = mt->name;
    in->data = r->body.buf;
    in->size = r->body.len;
    in->at = r->now;
    crypto_hash_sha256(in->sha256, (const unsigned char *)r->body.buf, r->body.len);
    r->ctx = in;
    return http_submit(r, attachment_run);
}

int
h_attachment_list(struct req *r, struct err *e)
{
    struct store *st = http_reader(r, e);
    struct complaint *c;
    struct attachment *atts;
    size_t n;
    json_t *items;

    if (st == NULL || (c = http_path_complaint(st, r, e)) == NULL ||
        st->ops->attachment_list(st, c->id, r->arena, &atts, &n, e) < 0)
        return -1;
    items = json_array();
    for (size_t i = 0; items != NULL && i < n; i++)
        json_array_append_new(items,
                              render_attachment(&atts[i], c->number, r->srv->cfg->tz_offset_min));
    if (items == NULL)
        return err_set(e, ERR_NOMEM, NULL, "nomem", "list");
    return http_reply_json(r, 200, json_pack("{s:o}", "items", items)) < 0
               ? err_set(e, ERR_NOMEM, NULL, "nomem", "reply")
               : 0;
}

/* RFC 6266 / 5987: an ASCII fallback and the UTF-8 name percent-encoded. */
static const char *
disposition(struct arena *a, const char *name)
{
    static const char hexd[] = "0123456789ABCDEF";
    size_t n = strlen(name);
    char *ascii = arena_alloc(a, n + 1), *enc = arena_alloc(a, 3 * n + 1);
    size_t ai = 0, ei = 0;

    if (ascii == NULL || enc == NULL)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)name[i];
        bool plain = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                     c == '.' || c == '-' || c == '_';
        ascii[ai++] = plain ? (char)c : '_';
        if (plain) {
            enc[ei++] = (char)c;
        } else {
            enc[ei++] = '%';
            enc[ei++] = hexd[c >> 4];
            enc[ei++] = hexd[c & 15];
        }
    }
    ascii[ai] = enc[ei] = '\0';
    return arena_printf(a, "attachment; filename=\"%s\"; filename*=UTF-8''%s", ascii, enc);
}

int
h_attachment_get(struct req *r, struct err *e)
{
    struct store *st = http_reader(r, e);
    struct complaint *c;
    struct attachment *meta;
    void *data;
    char *end;
    long long id;

    if (st == NULL || (c = http_path_complaint(st, r, e)) == NULL)
        return -1;
    id = strtoll(r->params[1], &end, 10);
    if (*end != '\0' || id <= 0)
        return err_set(e, ERR_NOT_FOUND, "id", "unknown", "bad attachment id");
    if (st->ops->attachment_get(st, c->id, id, r->arena, &meta, &data, e) < 0)
        return -1;
    http_reply_text(r, 200, meta->content_type, data, (size_t)meta->size);
    http_reply_header(r, "Content-Disposition", disposition(r->arena, meta->name));
    http_reply_header(r, "ETag", arena_printf(r->arena, "\"%s\"", meta->sha256_hex));
    return 0;
}
