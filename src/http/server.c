/*
 * libmicrohttpd glue. Life of a request:
 *   1. on_uri: MHD hands us the raw URI; we make the request struct and its
 *      arena (everything the request needs comes from there).
 *   2. on_access, first call (headers read): route, check Content-Length and
 *      Content-Type, so an oversized or wrong body is refused before reading.
 *   3. on_access with data: append to the capped body.
 *   4. on_access, last call: run the handler. A read replies at once; a write
 *      suspends the connection and goes to the group-commit writer, whose
 *      callback resumes it; MHD then calls on_access again and we reply.
 *   5. on_completed: return the read connection, free the arena.
 */
#include "http/http.h"
#include "http/handlers.h"
#include "sched/sched.h"
#include "store/pool.h"
#include "store/store_sqlite.h"
#include "util/alloc.h"
#include "util/log.h"
#include "util/password.h"
#include "util/throttle.h"
#include "util/ts.h"
#include "util/workq.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#define REQ_ARENA_LIMIT (16u << 20)   /* a request's parsed data and query results */
#define BODY_NONE_MAX 4096            /* a body sent to a route that takes none */
#define HTTP_CONN_MEMORY (256u << 10) /* MHD's per-connection pool: request line, headers */

enum req_state {
    RS_NEW,       /* headers read, not yet routed */
    RS_BODY,      /* reading the body */
    RS_PENDING,   /* suspended, waiting for the writer */
    RS_WRITTEN,   /* the writer finished; reply on the next call */
    RS_REPLIED,   /* a response is queued */
};

struct http_server {
    struct server srv;
    struct config cfg;
    struct MHD_Daemon *daemon;
    struct notify_sender *sender;      /* e-mails and webhooks (notify/sender.h) */
    struct sched *sched;               /* the deadline scheduler (sched/sched.h) */
};

static void
req_free(struct req *r)
{
    if (r == NULL)
        return;
    if (r->rd != NULL)
        store_pool_put(r->srv->readers, r->rd);
    if (!r->reply.body_static)
        alloc_free(r->reply.body);
    sbuf_release(&r->body);
    arena_free(r->arena);
    alloc_free(r);
}

/*
 * Per connection: the raw URI of the request being read. MHD gives the raw
 * URI (with the query string we parse ourselves) only to the URI log
 * callback, and does not hand that callback's result to the completion
 * callback when it rejects a request before the handler runs; so the URI is
 * kept here, freed with the connection, and the request is made in the
 * handler's first call.
 */
struct conn_ctx {
    char *uri;       /* NUL-terminated; NULL when it could not be kept */
    size_t cap;
};

static void
on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
              enum MHD_ConnectionNotificationCode toe)
{
    struct conn_ctx *cc = *socket_context;

    (void)cls;
    (void)conn;
    if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
        cc = alloc_malloc(sizeof(*cc));
        if (cc != NULL)
            memset(cc, 0, sizeof(*cc));
        *socket_context = cc;
    } else if (cc != NULL) {
        alloc_free(cc->uri);
        alloc_free(cc);
        *socket_context = NULL;
    }
}

static struct conn_ctx *
conn_ctx_of(struct MHD_Connection *conn)
{
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);

    return info != NULL ? info->socket_context : NULL;
}

static void *
on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
    struct conn_ctx *cc = conn_ctx_of(conn);
    size_t n = strlen(uri);

    (void)cls;
    if (cc == NULL)
        return NULL;
    if (n + 1 > cc->cap) {
        char *grown = alloc_realloc(cc->uri, n + 1);
        if (grown == NULL) {
            alloc_free(cc->uri);
            cc->uri = NULL;
            cc->cap = 0;
            return NULL;
        }
        cc->uri = grown;
        cc->cap = n + 1;
    }
    memcpy(cc->uri, uri, n + 1);
    return NULL;
}

static struct req *
req_new(struct http_server *hs, struct MHD_Connection *conn)
{
    struct conn_ctx *cc = conn_ctx_of(conn);
    struct req *r;
    const char *uri, *q;

    if (cc == NULL || cc->uri == NULL)
        return NULL;
    uri = cc->uri;
    r = alloc_malloc(sizeof(*r));
    if (r == NULL)
        return NULL;
    memset(r, 0, sizeof(*r));
    r->srv = &hs->srv;
    r->conn = conn;
    r->now = timesrc_now(&hs->srv.clock);
    r->lang = strcmp(hs->cfg.lang, "en") == 0 ? I18N_EN : I18N_ZH;
    sbuf_init(&r->body, 0);
    r->arena = arena_new(REQ_ARENA_LIMIT);
    if (r->arena == NULL) {
        alloc_free(r);
        return NULL;
    }
    q = strchr(uri, '?');
    r->path = arena_strndup(r->arena, uri, q ? (size_t)(q - uri) : strlen(uri));
    r->raw_query = arena_strdup(r->arena, q ? q + 1 : "");
    if (r->path == NULL || r->raw_query == NULL) {
        req_free(r);
        return NULL;
    }
    return r;
}

static void
on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
             enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)conn;
    (void)toe;
    req_free(*con_cls);
    *con_cls = NULL;
}

/*
 * One policy for every response: scripts, styles and everything else only
 * from kesu itself, never inline (so injected markup cannot run), images
 * also from blob: (previews of photos before upload), no framing.
 */
#define KESU_CSP                                                                          \
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:; " \
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "           \
    "form-action 'self'; frame-ancestors 'none'"

static void
add_security_headers(struct MHD_Response *resp, const char *cache_control)
{
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "X-Frame-Options", "DENY");
    MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(resp, "Content-Security-Policy", KESU_CSP);
    MHD_add_response_header(resp, "Cache-Control", cache_control ? cache_control : "no-store");
}

static enum MHD_Result
send_reply(struct req *r)
{
    struct reply *w = &r->reply;
    struct MHD_Response *resp;
    enum MHD_Result ret;

    if (w->body_static)
        resp = MHD_create_response_from_buffer(w->len, w->body, MHD_RESPMEM_PERSISTENT);
    else
        resp = MHD_create_response_from_buffer_with_free_callback(w->len, w->body, alloc_free);
    if (resp == NULL)
        return MHD_NO;
    w->body = NULL;   /* MHD owns it now */
    MHD_add_response_header(resp, "Content-Type", w->content_type);
    add_security_headers(resp, w->cache_control);
    for (size_t i = 0; i < w->n_headers; i++)
        MHD_add_response_header(resp, w->headers[i].key, w->headers[i].value);
    ret = MHD_queue_response(r->conn, (unsigned)w->status, resp);
    MHD_destroy_response(resp);
    r->state = RS_REPLIED;
    return ret;
}

static enum MHD_Result
send_error(struct req *r, const struct err *e)
{
    http_reply_error(r, e);
    if (r->reply.status == 0)
        return MHD_NO;
    return send_reply(r);
}

/* When the request struct could not even be made. */
static enum MHD_Result
send_unavailable(struct MHD_Connection *conn)
{
    static char body[] = "{\"error\":{\"code\":\"out_of_memory\",\"field\":null,"
                         "\"reason\":\"nomem\",\"message\":\"系统繁忙,请稍后重试\"}}";
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(sizeof(body) - 1, body, MHD_RESPMEM_PERSISTENT);
    enum MHD_Result ret;

    if (resp == NULL)
        return MHD_NO;
    MHD_add_response_header(resp, "Content-Type", "application/json; charset=utf-8");
    ret = MHD_queue_response(conn, MHD_HTTP_SERVICE_UNAVAILABLE, resp);
    MHD_destroy_response(resp);
    return ret;
}

static bool
is_json_type(const char *ct)
{
    size_t n = strlen("application/json");

    if (ct == NULL || strncasecmp(ct, "application/json", n) != 0)
        return false;
    return ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ';
}

static size_t
body_cap(const struct req *r)
{
    switch (r->route->body) {
    case BODY_JSON:
        return r->srv->cfg->body_max;
    case BODY_UPLOAD:
        return r->srv->cfg->attachment_max;
    default:
        return BODY_NONE_MAX;
    }
}

/* Refuse early what can be refused from the headers alone. */
static int
check_headers(struct req *r, struct err *e)
{
    const char *len = http_header(r, "Content-Length");
    size_t cap = body_cap(r);

    if (len != NULL) {
        char *end;
        unsigned long long n = strtoull(len, &end, 10);
        if (*end == '\0' && n > cap) {
            if (r->route->body == BODY_UPLOAD)
                return err_set(e, ERR_TOO_LARGE, "body", "too_large",
                               "upload of %llu bytes, limit %zu", n, cap);
            return err_set(e, ERR_TOO_LARGE, "body", "body_too_large",
                           "body of %llu bytes, limit %zu", n, cap);
        }
    }
    if (r->route->body == BODY_JSON && !is_json_type(http_header(r, "Content-Type")))
        return err_set(e, ERR_UNSUPPORTED, "Content-Type", "unsupported_content_type",
                       "JSON body expected");
    sbuf_init(&r->body, cap);
    return 0;
}

static enum MHD_Result
begin(struct req *r, const char *method)
{
    struct err e = { 0 };
    char allow[64];
    const char *lang;

    lang = http_header(r, "Accept-Language");
    r->lang = http_lang_pick(lang, r->lang);
    r->method = http_method_parse(method);
    r->path = http_path_decode(r->path, strlen(r->path), r->arena, &e);
    if (r->path == NULL)
        return send_error(r, &e);
    if (http_is_static_path(r->method, r->path))
        r->route = &http_static_route;
    else
        r->route = http_route_find(r->method, r->path, r->params, allow, sizeof(allow), &e);
    if (r->route == NULL) {
        if (e.code == ERR_METHOD)
            http_reply_header(r, "Allow", arena_strdup(r->arena, allow));
        return send_error(r, &e);
    }
    for (size_t i = 0; i < HTTP_PARAMS_MAX; i++) {
        /* the router's buffer is per thread: keep our own copies */
        if (r->params[i] != NULL && (r->params[i] = arena_strdup(r->arena, r->params[i])) == NULL)
            return send_unavailable(r->conn);
    }
    /*
     * Authorised from the headers alone; the read connection it used goes
     * back now, or a client that sends its body slowly would hold one.
     */
    if (http_authorize(r, &e) < 0) {
        http_reader_release(r);
        return send_error(r, &e);
    }
    http_reader_release(r);
    if (check_headers(r, &e) < 0)
        return send_error(r, &e);
    r->state = RS_BODY;
    return MHD_YES;
}

static enum MHD_Result
take_body(struct req *r, const char *data, size_t *size)
{
    if (!r->body_over && sbuf_add(&r->body, data, *size) < 0)
        r->body_over = true;
    *size = 0;
    return MHD_YES;
}

static enum MHD_Result
dispatch(struct req *r)
{
    struct err e = { 0 };
    int rc;

    if (r->body_over) {
        if (r->body.over_max)
            err_set(&e, ERR_TOO_LARGE, "body",
                    r->route->body == BODY_UPLOAD ? "too_large" : "body_too_large",
                    "body over %zu bytes", r->body.max);
        else
            err_set(&e, ERR_NOMEM, NULL, "nomem", "no memory for the body");
        return send_error(r, &e);
    }
    rc = r->route->handler(r, &e);
    if (rc == HTTP_PENDING)
        return MHD_YES;
    if (rc < 0)
        return send_error(r, &e);
    return send_reply(r);
}

static enum MHD_Result
on_access(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
          const char *version, const char *upload_data, size_t *upload_data_size, void **con_cls)
{
    struct req *r = *con_cls;

    (void)url;
    (void)version;
    if (r == NULL) {
        r = req_new(cls, conn);
        if (r == NULL)
            return send_unavailable(conn);
        *con_cls = r;
    }
    switch (r->state) {
    case RS_NEW:
        return begin(r, method);
    case RS_BODY:
        if (*upload_data_size > 0)
            return take_body(r, upload_data, upload_data_size);
        return dispatch(r);
    case RS_WRITTEN:
        if (r->err.code != ERR_OK)
            return send_error(r, &r->err);
        /*
         * A finish may read (a complainant's history): its read connection
         * goes back before the reply is queued, since a reply completes only
         * later on this thread, which may first resume other writes whose
         * finish would wait for a connection this one still held.
         */
        if (r->finish != NULL && r->finish(r, &r->err) < 0) {
            http_reader_release(r);
            return send_error(r, &r->err);
        }
        http_reader_release(r);
        return send_reply(r);
    case RS_PENDING:
    case RS_REPLIED:
    default:
        *upload_data_size = 0;
        return MHD_YES;
    }
}

/* ---- services for handlers ---- */

const char *
http_client_address(struct req *r)
{
    const union MHD_ConnectionInfo *ci;
    const struct sockaddr *sa;
    char text[INET6_ADDRSTRLEN];
    const void *addr;

    if (r->conn == NULL)
        return NULL;
    ci = MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (ci == NULL || (sa = ci->client_addr) == NULL)
        return NULL;
    if (sa->sa_family == AF_INET)
        addr = &((const struct sockaddr_in *)(const void *)sa)->sin_addr;
    else if (sa->sa_family == AF_INET6)
        addr = &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr;
    else
        return NULL;
    if (inet_ntop(sa->sa_family, addr, text, sizeof(text)) == NULL)
        return NULL;
    return arena_strdup(r->arena, text);
}

struct store *
http_reader(struct req *r, struct err *e)
{
    if (r->rd == NULL)
        r->rd = store_pool_get(r->srv->readers, e);
    return r->rd;
}

static void
job_done(struct store_job *job, int rc, const struct err *e)
{
    struct req *r = job->ctx;

    if (rc < 0) {
        if (!r->reply.body_static)
            alloc_free(r->reply.body);
        memset(&r->reply, 0, sizeof(r->reply));
        r->err = *e;
    }
    r->state = RS_WRITTEN;
    MHD_resume_connection(r->conn);
}

void
http_reader_release(struct req *r)
{
    if (r->rd != NULL) {
        store_pool_put(r->srv->readers, r->rd);
        r->rd = NULL;
    }
}

void
http_suspend(struct req *r)
{
    /* a waiting request must not hold a read connection: the pool is small */
    http_reader_release(r);
    r->state = RS_PENDING;
    MHD_suspend_connection(r->conn);
}

void
http_write_suspended(struct req *r, store_job_run_fn run)
{
    r->job.run = run;
    r->job.done = job_done;
    r->job.ctx = r;
    store_writer_submit(r->srv->writer, &r->job);
}

void
http_fail_suspended(struct req *r, const struct err *e)
{
    /* unlike a failed write, keep the headers set so far (Retry-After) */
    r->err = *e;
    r->state = RS_WRITTEN;
    MHD_resume_connection(r->conn);
}

int
http_submit(struct req *r, store_job_run_fn run)
{
    /* suspend first: the writer may finish, and resume, before we return */
    http_suspend(r);
    http_write_suspended(r, run);
    return HTTP_PENDING;
}

const char *
http_header(struct req *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

/* ---- start and stop ---- */

static int
resolve(const struct config *cfg, struct sockaddr_storage *ss, bool *v6, struct err *e)
{
    struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
                              .ai_flags = AI_PASSIVE };
    struct addrinfo *res;
    char port[8];
    char host[256];
    size_t n = strlen(cfg->listen_host);
    int rc;

    /* "[::1]" -> "::1" */
    if (n >= 2 && cfg->listen_host[0] == '[' && cfg->listen_host[n - 1] == ']')
        snprintf(host, sizeof(host), "%.*s", (int)(n - 2), cfg->listen_host + 1);
    else
        snprintf(host, sizeof(host), "%s", cfg->listen_host);
    snprintf(port, sizeof(port), "%d", cfg->listen_port);
    rc = getaddrinfo(host, port, &hints, &res);
    if (rc != 0)
        return err_set(e, ERR_INVALID, "listen", "bad_value", "cannot resolve '%s': %s", host,
                       gai_strerror(rc));
    memcpy(ss, res->ai_addr, res->ai_addrlen);
    *v6 = res->ai_family == AF_INET6;
    freeaddrinfo(res);
    return 0;
}

static void
log_mhd(void *cls, const char *fmt, va_list ap)
{
    char line[512];

    (void)cls;
    vsnprintf(line, sizeof(line), fmt, ap);
    line[strcspn(line, "\n")] = '\0';
    log_warn("http: %s", line);
}

static unsigned
thread_count(const struct config *cfg)
{
    long n;

    if (cfg->threads > 0)
        return (unsigned)cfg->threads;
    n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (unsigned)n : 1;
}

/*
 * Sign-in needs a bounded queue of password checks, failure counters, and a
 * hash to check unknown logins against, so that they take as long as known
 * ones (made once, with a random password nobody knows).
 */
static int
login_start(struct server *srv, const struct config *cfg, struct err *e)
{
    const struct throttle_policy per_login = { cfg->login_failures_free, 1000, 15 * 60 * 1000,
                                               3600 * 1000 };
    const struct throttle_policy per_address = { cfg->address_failures_free, 1000,
                                                 15 * 60 * 1000, 3600 * 1000 };
    char unknown[33];

    srv->login_queue = workq_new((unsigned)cfg->login_threads, (size_t)cfg->login_queue, e);
    if (srv->login_queue == NULL)
        return -1;
    srv->throttle_login = throttle_new(&per_login, 65536);
    srv->throttle_address = throttle_new(&per_address, 65536);
    if (srv->throttle_login == NULL || srv->throttle_address == NULL)
        return err_set(e, ERR_NOMEM, NULL, "nomem", "login throttles");
    password_generate(unknown, 32);
    if (password_hash(unknown, srv->dummy_hash, e) < 0)
        return -1;
    /* the customer portal's wrong phones and filings are throttled alike (h_portal.c) */
    return http_portal_start(srv, e);
}

struct http_server *
http_server_start(const struct config *cfg, int *port_out, struct err *e)
{
    struct http_server *hs = alloc_malloc(sizeof(*hs));
    struct sockaddr_storage addr;
    struct store *wst;
    const union MHD_DaemonInfo *info;
    unsigned threads = thread_count(cfg);
    /* poll, not epoll: libmicrohttpd 0.9.75's edge-triggered epoll misses the end of
     * stream when it arrives with the data, leaving half-closed connections hanging
     * until the timeout (tests/api/robustness.test.mjs); throughput is about the same. */
    unsigned flags = MHD_USE_POLL_INTERNAL_THREAD | MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG;
    bool v6 = false;

    if (hs == NULL) {
        err_set(e, ERR_NOMEM, NULL, "nomem", "server");
        return NULL;
    }
    memset(hs, 0, sizeof(*hs));
    hs->cfg = *cfg;
    hs->srv.cfg = &hs->cfg;
    hs->srv.store_name = "sqlite";
    if (timesrc_init(&hs->srv.clock, &hs->cfg, e) < 0 || resolve(cfg, &addr, &v6, e) < 0)
        goto fail;
    if (v6)
        flags |= MHD_USE_IPv6;
    wst = store_open(cfg->db_path, e);
    if (wst == NULL)
        goto fail;
    /* before the read connections open, so that they plan with fresh statistics */
    if (wst->ops->maintain(wst, e) < 0) {
        store_close(wst);
        goto fail;
    }
    hs->srv.store_name = wst->ops->name;
    hs->srv.writer = store_writer_start(wst, (size_t)cfg->batch_max, e);
    if (hs->srv.writer == NULL) {
        store_close(wst);
        goto fail;
    }
    hs->srv.readers = store_pool_new(cfg->db_path, threads + 2, e);
    if (hs->srv.readers == NULL || login_start(&hs->srv, cfg, e) < 0)
        goto fail;
    /* ---- background workers (issue 5): the sender, then the scheduler ---- */
    notify_configure(&hs->cfg);
    hs->sender = notify_sender_start(&hs->cfg, hs->srv.readers, hs->srv.writer, &hs->srv.clock, e);
    if (hs->sender == NULL)
        goto fail;
    if (cfg->scheduler &&
        (hs->sched = sched_start(&hs->cfg, hs->srv.writer, &hs->srv.clock, e)) == NULL)
        goto fail;
    /* ---- end of background workers ---- */
    hs->daemon = MHD_start_daemon(
        flags, 0, NULL, NULL, on_access, hs,
        MHD_OPTION_EXTERNAL_LOGGER, log_mhd, NULL,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
        MHD_OPTION_THREAD_POOL_SIZE, threads,
        MHD_OPTION_URI_LOG_CALLBACK, on_uri, hs,
        MHD_OPTION_NOTIFY_CONNECTION, on_connection, hs,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, hs,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)cfg->connection_limit,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)cfg->connection_timeout,
        /* request line and headers; MHD answers 414/431 beyond it */
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)HTTP_CONN_MEMORY,
        MHD_OPTION_LISTEN_BACKLOG_SIZE, 1024u,
        MHD_OPTION_END);
    if (hs->daemon == NULL) {
        err_set(e, ERR_INVALID, "listen", "cannot_open", "cannot listen on %s:%d",
                cfg->listen_host, cfg->listen_port);
        goto fail;
    }
    info = MHD_get_daemon_info(hs->daemon, MHD_DAEMON_INFO_BIND_PORT);
    *port_out = info != NULL ? info->port : cfg->listen_port;
    return hs;
fail:
    http_server_stop(hs);
    return NULL;
}

void
http_server_stop(struct http_server *hs)
{
    if (hs == NULL)
        return;
    /*
     * Stop taking connections; let the writer finish what it has (it resumes
     * those requests) and refuse later writes with 503; then close the
     * connections, and only then free the writer they may still call.
     */
    if (hs->daemon != NULL)
        MHD_quiesce_daemon(hs->daemon);
    /* password checks still queued finish first: they hand their requests to the writer */
    workq_free(hs->srv.login_queue);
    /* ---- stop background workers (issue 5): the scheduler, then the sender ---- */
    sched_stop(hs->sched);
    hs->sched = NULL;
    notify_sender_stop(hs->sender);
    hs->sender = NULL;
    /* ---- end of stop background workers ---- */
    if (hs->srv.writer != NULL)
        store_writer_close(hs->srv.writer);
    if (hs->daemon != NULL)
        MHD_stop_daemon(hs->daemon);
    store_writer_stop(hs->srv.writer);
    store_pool_free(hs->srv.readers);
    throttle_free(hs->srv.throttle_login);
    throttle_free(hs->srv.throttle_address);
    http_portal_stop(&hs->srv);
    alloc_free(hs);
}
