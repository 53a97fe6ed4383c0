#include "http/handlers.h"
#include "util/alloc.h"
#include "util/log.h"

#include <string.h>

static const char json_content_type[] = "application/json; charset=utf-8";

int
http_error_status(enum err_code code)
{
    switch (code) {
    case ERR_OK:
        return 200;
    case ERR_INVALID:
        return 400;
    case ERR_UNAUTHENTICATED:
        return 401;
    case ERR_FORBIDDEN:
        return 403;
    case ERR_NOT_FOUND:
        return 404;
    case ERR_METHOD:
        return 405;
    case ERR_CONFLICT:
        return 409;
    case ERR_TOO_LARGE:
        return 413;
    case ERR_UNSUPPORTED:
        return 415;
    case ERR_RATE_LIMITED:
        return 429;
    case ERR_BUSY:
    case ERR_NOMEM:
        return 503;
    case ERR_STORE:
    case ERR_INTERNAL:
    default:
        return 500;
    }
}

int
http_reply_text(struct req *r, int status, const char *content_type, char *body, size_t len)
{
    if (!r->reply.body_static)
        alloc_free(r->reply.body);
    r->reply.status = status;
    r->reply.content_type = content_type;
    r->reply.body = body;
    r->reply.len = len;
    r->reply.body_static = false;
    return 0;
}

int
http_reply_json(struct req *r, int status, json_t *body)
{
    char *text;

    if (body == NULL)
        return -1;
    text = json_dumps(body, JSON_COMPACT);
    json_decref(body);
    if (text == NULL)
        return -1;
    return http_reply_text(r, status, json_content_type, text, strlen(text));
}

int
http_reply_header(struct req *r, const char *name, const char *value)
{
    struct reply *w = &r->reply;

    if (value == NULL || w->n_headers == HTTP_HEADERS_MAX)
        return -1;
    w->headers[w->n_headers].key = name;
    w->headers[w->n_headers].value = value;
    w->n_headers++;
    return 0;
}

void
http_reply_error(struct req *r, const struct err *e)
{
    char message[256];
    int status = http_error_status(e->code);
    json_t *err, *body;

    if (status >= 500)
        log_error("http: %s %s failed: %s", http_method_name(r->method), r->path, e->detail);
    if (e->code == ERR_INVALID && e->field != NULL && strcmp(e->field, "condition") == 0)
        i18n_condition_message(r->lang, e->field, e->reason, e->detail, message, sizeof(message));
    else
        i18n_message(r->lang, e->field, e->reason, message, sizeof(message));
    err = json_pack("{s:s, s:s?, s:s?, s:s}", "code", err_code_name(e->code), "field", e->field,
                    "reason", e->reason, "message", message);
    body = err ? json_pack("{s:o}", "error", err) : NULL;
    if (body == NULL || http_reply_json(r, status, body) < 0) {
        static char fallback[] = "{\"error\":{\"code\":\"out_of_memory\"}}";
        r->reply.status = 503;
        r->reply.content_type = json_content_type;
        r->reply.body = fallback;
        r->reply.len = sizeof(fallback) - 1;
        r->reply.body_static = true;
    }
}
