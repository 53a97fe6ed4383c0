#ifndef KESU_NOTIFY_SENDER_H
#define KESU_NOTIFY_SENDER_H

#include "notify/notify.h"
#include "store/pool.h"
#include "store/writer.h"
#include "util/config.h"
#include "util/err.h"
#include "util/timesrc.h"

/*
 * The sender: a background thread of `kesu serve` that delivers what
 * notify.h recorded. Every cfg->delivery_interval_ms it asks a read
 * connection whether deliveries are due (pending, next_attempt_at <= now,
 * "now" from `clock`); if so it claims a batch through the writer, sends
 * each outside any transaction (libcurl: webhooks by HTTP POST, e-mail by
 * SMTP to cfg->smtp_url, each try limited to cfg->delivery_timeout
 * seconds), and records every try and the new state through the writer.
 *
 * Retry k waits cfg->delivery_backoff * 2^(k-1) seconds; after
 * cfg->delivery_attempts failed tries a delivery is dead (the dead-letter
 * list, replayed by an administrator). A 2xx answer delivers a webhook, an
 * accepted message an e-mail; anything else is a failed try, its status
 * and error recorded.
 *
 * At least once: a claim moves the delivery's due time ahead, so a second
 * server on the same database does not send it too; if the process dies
 * between sending and recording, the claim runs out and it is sent again.
 * Receivers tell a resend by its id (X-Kesu-Delivery, and "id" in the
 * body; the Message-ID of an e-mail).
 */
struct notify_sender;

/*
 * Start the thread. The pool, the writer and the clock must outlive the
 * sender (notify_sender_stop before closing them); cfg is copied. Calls
 * curl_global_init once per process. NULL with e set on failure.
 */
struct notify_sender *notify_sender_start(const struct config *cfg, struct store_pool *readers,
                                          struct store_writer *writer,
                                          const struct timesrc *clock, struct err *e);

/*
 * Stop promptly: a transfer in flight is cut short and its claim given
 * back without counting as a try (it is sent after the next start).
 * Joins the thread and frees everything. NULL is a no-op.
 */
void notify_sender_stop(struct notify_sender *s);

#endif
