/*
 * The sender (sender.h): one thread, one libcurl handle, one round per
 * interval. A round:
 *   1. a read connection says whether anything is due (an index probe:
 *      idle rounds write nothing);
 *   2. a writer job claims up to CLAIM_BATCH due deliveries;
 *   3. each is sent outside any transaction;
 *   4. a writer job per delivery records the try and the next state
 *      (notify_after_attempt).
 * A full batch starts the next round at once, so a backlog drains without
 * waiting for the interval.
 */
#include "notify/sender.h"
#include "notify/mail.h"
#include "util/alloc.h"
#include "util/arena.h"
#include "util/log.h"
#include "util/sbuf.h"
#include "util/version.h"

#include <curl/curl.h>
#include <pthread.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define CLAIM_BATCH 20
#define CLAIM_MARGIN 60                 /* seconds a claim outlasts the tries of its batch */
#define ROUND_ARENA (8u << 20)
#define MESSAGE_MAX (1u << 20)           /* an e-mail or a webhook body, bytes */
#define ERROR_TEXT 200

struct notify_sender {
    /* from the configuration */
    int attempts, backoff, timeout, interval_ms, tz_min;
    char smtp_url[256], smtp_from[256], smtp_user[128], smtp_password[128];
    struct store_pool *readers;
    struct store_writer *writer;
    const struct timesrc *clock;
    /* the thread */
    pthread_t thread;
    bool started;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    atomic_bool stopping;
    CURL *curl;
    struct arena *arena;                 /* one round's records */
};

/* What one try came to. */
struct outcome {
    bool ok, aborted;                    /* aborted: cut short by a stop, not a try */
    int status;                          /* HTTP or SMTP code, 0 none */
    int duration_ms;
    char error[ERROR_TEXT];
};

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static CURLcode curl_init_rc;

static void
curl_init(void)
{
    curl_init_rc = curl_global_init(CURL_GLOBAL_DEFAULT);
}

static int64_t
monotonic_ms(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* ---- the writer's jobs ---- */

struct claim_job {
    struct notify_sender *s;
    int64_t now, until;
    struct delivery *items;
    size_t n;
};

static int
claim_run(struct store *st, struct store_job *job, struct err *e)
{
    struct claim_job *c = job->ctx;

    return st->ops->delivery_claim(st, c->now, c->until, CLAIM_BATCH, c->s->arena, &c->items,
                                   &c->n, e);
}

struct record_job {
    int64_t id;
    const struct delivery_attempt *attempt;   /* NULL: give the claim back */
    const char *status;
    int64_t next;
};

static int
record_run(struct store *st, struct store_job *job, struct err *e)
{
    struct record_job *r = job->ctx;

    return st->ops->delivery_record(st, r->id, r->attempt, r->status, r->next, e);
}

/* ---- transfers ---- */

static size_t
discard(char *p, size_t size, size_t n, void *ctx)
{
    (void)p;
    (void)ctx;
    return size * n;
}

/* libcurl calls this while a transfer runs: non-zero cuts it short (a stop). */
static int
progress(void *ctx, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal, curl_off_t ulnow)
{
    struct notify_sender *s = ctx;

    (void)dltotal;
    (void)dlnow;
    (void)ultotal;
    (void)ulnow;
    return atomic_load(&s->stopping) ? 1 : 0;
}

/* The options every transfer shares. */
static void
common_options(struct notify_sender *s, char errbuf[CURL_ERROR_SIZE])
{
    curl_easy_reset(s->curl);
    errbuf[0] = '\0';
    curl_easy_setopt(s->curl, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(s->curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(s->curl, CURLOPT_TIMEOUT, (long)s->timeout);
    curl_easy_setopt(s->curl, CURLOPT_CONNECTTIMEOUT, (long)s->timeout);
    curl_easy_setopt(s->curl, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(s->curl, CURLOPT_XFERINFOFUNCTION, progress);
    curl_easy_setopt(s->curl, CURLOPT_XFERINFODATA, s);
    curl_easy_setopt(s->curl, CURLOPT_WRITEFUNCTION, discard);
}

/* Fill the outcome from a finished transfer; a 2xx (HTTP) or success (SMTP) is ok. */
static void
conclude(struct notify_sender *s, CURLcode rc, bool http, const char *errbuf, int64_t started,
         struct outcome *o)
{
    long code = 0;

    curl_easy_getinfo(s->curl, CURLINFO_RESPONSE_CODE, &code);
    o->status = (int)code;
    o->duration_ms = (int)(monotonic_ms() - started);
    o->aborted = rc == CURLE_ABORTED_BY_CALLBACK;
    if (rc != CURLE_OK)
        snprintf(o->error, sizeof(o->error), "%s", errbuf[0] ? errbuf : curl_easy_strerror(rc));
    else if (http && (code < 200 || code > 299))
        snprintf(o->error, sizeof(o->error), "HTTP status %ld", code);
    o->ok = rc == CURLE_OK && (!http || (code >= 200 && code <= 299));
}

static struct curl_slist *
add_header(struct curl_slist *list, bool *failed, const char *fmt, const char *value)
{
    char line[512];
    struct curl_slist *more;

    snprintf(line, sizeof(line), fmt, value);
    more = curl_slist_append(list, line);
    if (more == NULL)
        *failed = true;
    return more ? more : list;
}

/* POST the event's JSON, signed, to the webhook's URL. */
static void
send_webhook(struct notify_sender *s, const struct delivery *d, struct outcome *o)
{
    char errbuf[CURL_ERROR_SIZE], hex[NOTIFY_SIGNATURE_HEX], id[24], stamp[24];
    struct curl_slist *headers = NULL;
    struct err e = { 0 };
    struct sbuf body;
    int64_t now = timesrc_now(s->clock), started;
    bool failed = false;
    CURLcode rc;

    sbuf_init(&body, MESSAGE_MAX);
    if (notify_webhook_body(d->id, d->event, d->created_at, s->tz_min, d->body, &body, &e) < 0) {
        snprintf(o->error, sizeof(o->error), "cannot build the request: %s", e.detail);
        goto out;
    }
    snprintf(id, sizeof(id), "%lld", (long long)d->id);
    snprintf(stamp, sizeof(stamp), "%lld", (long long)now);
    notify_sign(d->webhook_secret ? d->webhook_secret : "", now, body.buf, body.len, hex);
    headers = add_header(headers, &failed, "Content-Type: %s", "application/json");
    headers = add_header(headers, &failed, "User-Agent: kesu/%s", KESU_VERSION);
    headers = add_header(headers, &failed, "X-Kesu-Event: %s", d->event);
    headers = add_header(headers, &failed, "X-Kesu-Delivery: %s", id);
    headers = add_header(headers, &failed, "X-Kesu-Timestamp: %s", stamp);
    headers = add_header(headers, &failed, "X-Kesu-Signature: sha256=%s", hex);
    headers = add_header(headers, &failed, "Expect:%s", "");   /* no 100-continue round trip */
    if (failed) {
        snprintf(o->error, sizeof(o->error), "out of memory");
        goto out;
    }
    common_options(s, errbuf);
    curl_easy_setopt(s->curl, CURLOPT_URL, d->webhook_url ? d->webhook_url : "");
    curl_easy_setopt(s->curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(s->curl, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(s->curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(s->curl, CURLOPT_POSTFIELDS, body.buf);
    curl_easy_setopt(s->curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)body.len);
    started = monotonic_ms();
    rc = curl_easy_perform(s->curl);
    conclude(s, rc, true, errbuf, started, o);
out:
    curl_slist_free_all(headers);
    sbuf_release(&body);
}

struct upload {
    const char *p;
    size_t left;
};

static size_t
read_message(char *buf, size_t size, size_t n, void *ctx)
{
    struct upload *u = ctx;
    size_t k = size * n < u->left ? size * n : u->left;

    memcpy(buf, u->p, k);
    u->p += k;
    u->left -= k;
    return k;
}

/* Hand the message to the relay: MAIL FROM, RCPT TO, DATA. */
static void
send_email(struct notify_sender *s, const struct delivery *d, struct outcome *o)
{
    char errbuf[CURL_ERROR_SIZE], from[300], to[300];
    struct curl_slist *rcpt = NULL;
    struct err e = { 0 };
    struct sbuf msg;
    struct upload up;
    struct notify_mail m = {
        .from = s->smtp_from, .to = d->recipient, .subject = d->subject, .body = d->body,
        .date = timesrc_now(s->clock), .tz_min = s->tz_min, .delivery_id = d->id,
    };
    int64_t started;
    CURLcode rc;

    sbuf_init(&msg, MESSAGE_MAX);
    if (s->smtp_url[0] == '\0') {
        snprintf(o->error, sizeof(o->error), "no SMTP relay configured (smtp_url)");
        goto out;
    }
    if (notify_mail_build(&m, &msg, &e) < 0) {
        snprintf(o->error, sizeof(o->error), "cannot build the message: %s", e.detail);
        goto out;
    }
    snprintf(from, sizeof(from), "<%s>", s->smtp_from);
    snprintf(to, sizeof(to), "<%s>", d->recipient);
    if ((rcpt = curl_slist_append(NULL, to)) == NULL) {
        snprintf(o->error, sizeof(o->error), "out of memory");
        goto out;
    }
    up = (struct upload){ msg.buf, msg.len };
    common_options(s, errbuf);
    curl_easy_setopt(s->curl, CURLOPT_URL, s->smtp_url);
    curl_easy_setopt(s->curl, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    curl_easy_setopt(s->curl, CURLOPT_USE_SSL, (long)CURLUSESSL_TRY);
    if (s->smtp_user[0] != '\0') {
        curl_easy_setopt(s->curl, CURLOPT_USERNAME, s->smtp_user);
        curl_easy_setopt(s->curl, CURLOPT_PASSWORD, s->smtp_password);
    }
    curl_easy_setopt(s->curl, CURLOPT_MAIL_FROM, from);
    curl_easy_setopt(s->curl, CURLOPT_MAIL_RCPT, rcpt);
    curl_easy_setopt(s->curl, CURLOPT_READFUNCTION, read_message);
    curl_easy_setopt(s->curl, CURLOPT_READDATA, &up);
    curl_easy_setopt(s->curl, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(s->curl, CURLOPT_INFILESIZE_LARGE, (curl_off_t)msg.len);
    started = monotonic_ms();
    rc = curl_easy_perform(s->curl);
    conclude(s, rc, false, errbuf, started, o);
out:
    curl_slist_free_all(rcpt);
    sbuf_release(&msg);
}

/* ---- a round ---- */

static bool
stopping(struct notify_sender *s)
{
    return atomic_load(&s->stopping);
}

/* Is anything due? A read connection, so that idle rounds write nothing. */
static bool
anything_due(struct notify_sender *s, int64_t now)
{
    struct err e = { 0 };
    struct store *rd = store_pool_get(s->readers, &e);
    struct delivery *due = NULL;
    size_t n = 0;
    int rc;

    if (rd == NULL) {
        log_warn("notify: cannot read due deliveries: %s", e.detail);
        return false;
    }
    rc = rd->ops->delivery_due(rd, now, 1, s->arena, &due, &n, &e);
    store_pool_put(s->readers, rd);
    if (rc < 0)
        log_warn("notify: cannot read due deliveries: %s", e.detail);
    return rc == 0 && n > 0;
}

static void
record(struct notify_sender *s, const struct delivery *d, const struct outcome *o, int64_t at)
{
    struct delivery_attempt attempt = {
        .delivery_id = d->id, .at = at, .duration_ms = o->duration_ms, .status = o->status,
        .ok = o->ok, .error = o->ok ? NULL : o->error,
    };
    struct record_job job = { .id = d->id };
    struct err e = { 0 };

    if (o->aborted) {
        /* not a try: the claim goes back, due at once after the next start */
        job.next = at;
    } else {
        job.attempt = &attempt;
        notify_after_attempt(o->ok, d->attempts + 1, s->attempts, s->backoff,
                             timesrc_now(s->clock), &job.status, &job.next);
    }
    if (store_writer_run(s->writer, record_run, &job, &e) < 0)
        log_warn("notify: cannot record delivery %lld: %s", (long long)d->id, e.detail);
    else if (!o->ok && !o->aborted)
        log_info("notify: delivery %lld (%s %s) try %d failed: %s%s", (long long)d->id,
                 d->channel, d->event, d->attempts + 1, o->error,
                 strcmp(job.status, "dead") == 0 ? "; dead-lettered" : "");
}

static void
deliver(struct notify_sender *s, const struct delivery *d)
{
    struct outcome o = { 0 };
    int64_t at = timesrc_now(s->clock);

    if (strcmp(d->channel, "webhook") == 0)
        send_webhook(s, d, &o);
    else
        send_email(s, d, &o);
    record(s, d, &o, at);
}

/* One round; returns how many deliveries it claimed. */
static size_t
run_round(struct notify_sender *s)
{
    struct claim_job c = { .s = s };
    struct err e = { 0 };

    arena_reset(s->arena);
    c.now = timesrc_now(s->clock);
    c.until = c.now + (int64_t)CLAIM_BATCH * s->timeout + CLAIM_MARGIN;
    if (!anything_due(s, c.now))
        return 0;
    if (store_writer_run(s->writer, claim_run, &c, &e) < 0) {
        log_warn("notify: cannot claim due deliveries: %s", e.detail);
        return 0;
    }
    for (size_t i = 0; i < c.n; i++) {
        if (stopping(s)) {
            struct outcome given_back = { .aborted = true };
            record(s, &c.items[i], &given_back, timesrc_now(s->clock));
            continue;
        }
        deliver(s, &c.items[i]);
    }
    return c.n;
}

static void *
sender_main(void *arg)
{
    struct notify_sender *s = arg;

    while (!stopping(s)) {
        struct timespec until;

        /* a full batch: more may be waiting, go on at once */
        while (!stopping(s) && run_round(s) == CLAIM_BATCH)
            ;
        clock_gettime(CLOCK_MONOTONIC, &until);
        until.tv_sec += s->interval_ms / 1000;
        until.tv_nsec += (long)(s->interval_ms % 1000) * 1000000L;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        pthread_mutex_lock(&s->lock);
        if (!stopping(s))
            pthread_cond_timedwait(&s->wake, &s->lock, &until);
        pthread_mutex_unlock(&s->lock);
    }
    return NULL;
}

/* ---- start and stop ---- */

static void
sender_free(struct notify_sender *s)
{
    if (s->curl != NULL)
        curl_easy_cleanup(s->curl);
    arena_free(s->arena);
    pthread_cond_destroy(&s->wake);
    pthread_mutex_destroy(&s->lock);
    sodium_memzero(s->smtp_password, sizeof(s->smtp_password));
    alloc_free(s);
}

static int
wake_init(struct notify_sender *s)
{
    pthread_condattr_t attr;
    int rc;

    if (pthread_condattr_init(&attr) != 0)
        return -1;
    rc = pthread_condattr_setclock(&attr, CLOCK_MONOTONIC) == 0 &&
                 pthread_cond_init(&s->wake, &attr) == 0 ? 0 : -1;
    pthread_condattr_destroy(&attr);
    return rc;
}

struct notify_sender *
notify_sender_start(const struct config *cfg, struct store_pool *readers,
                    struct store_writer *writer, const struct timesrc *clock, struct err *e)
{
    struct notify_sender *s;

    pthread_once(&curl_once, curl_init);
    if (curl_init_rc != CURLE_OK || sodium_init() < 0) {
        err_set(e, ERR_INTERNAL, NULL, "internal", "notify: cannot initialise libcurl");
        return NULL;
    }
    if ((s = alloc_malloc(sizeof(*s))) == NULL) {
        err_set(e, ERR_NOMEM, NULL, "nomem", "notify: sender");
        return NULL;
    }
    memset(s, 0, sizeof(*s));
    s->attempts = cfg->delivery_attempts;
    s->backoff = cfg->delivery_backoff;
    s->timeout = cfg->delivery_timeout;
    s->interval_ms = cfg->delivery_interval_ms;
    s->tz_min = cfg->tz_offset_min;
    snprintf(s->smtp_url, sizeof(s->smtp_url), "%s", cfg->smtp_url);
    snprintf(s->smtp_from, sizeof(s->smtp_from), "%s", cfg->smtp_from);
    snprintf(s->smtp_user, sizeof(s->smtp_user), "%s", cfg->smtp_user);
    snprintf(s->smtp_password, sizeof(s->smtp_password), "%s", cfg->smtp_password);
    s->readers = readers;
    s->writer = writer;
    s->clock = clock;
    atomic_init(&s->stopping, false);
    pthread_mutex_init(&s->lock, NULL);
    if (wake_init(s) < 0) {
        pthread_mutex_destroy(&s->lock);
        alloc_free(s);
        err_set(e, ERR_INTERNAL, NULL, "internal", "notify: cannot make a condition variable");
        return NULL;
    }
    s->arena = arena_new(ROUND_ARENA);
    s->curl = curl_easy_init();
    if (s->arena == NULL || s->curl == NULL) {
        sender_free(s);
        err_set(e, ERR_NOMEM, NULL, "nomem", "notify: sender");
        return NULL;
    }
    if (s->smtp_url[0] != '\0' && !notify_mail_address_ok(s->smtp_from)) {
        sender_free(s);
        err_set(e, ERR_INVALID, "smtp_from", "bad_email", "smtp_from is not an e-mail address");
        return NULL;
    }
    if (pthread_create(&s->thread, NULL, sender_main, s) != 0) {
        sender_free(s);
        err_set(e, ERR_INTERNAL, NULL, "internal", "notify: cannot start the sender thread");
        return NULL;
    }
    s->started = true;
    return s;
}

void
notify_sender_stop(struct notify_sender *s)
{
    if (s == NULL)
        return;
    pthread_mutex_lock(&s->lock);
    atomic_store(&s->stopping, true);
    pthread_cond_signal(&s->wake);
    pthread_mutex_unlock(&s->lock);
    if (s->started)
        pthread_join(s->thread, NULL);
    sender_free(s);
}
