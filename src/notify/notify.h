#ifndef KESU_NOTIFY_NOTIFY_H
#define KESU_NOTIFY_NOTIFY_H

#include <stdbool.h>
#include <stdint.h>

#include "store/store.h"
#include "util/config.h"
#include "util/err.h"
#include "util/sbuf.h"

/*
 * Notifications (DOMAIN §14): who is told what, through which channel. The
 * functions below run inside a write transaction (a writer job): they only
 * record what is to be delivered, so a rolled-back change tells nobody and
 * a committed one is never forgotten. The sender (notify/sender.h) delivers
 * the e-mails and webhooks afterwards, records every attempt, retries with
 * back-off and moves what keeps failing to the dead-letter list.
 */

/* Called once at start-up, before any other function here: e-mail on or off, the sender. */
void notify_configure(const struct config *cfg);

/* A message to a member of staff: the in-app inbox, and e-mail when they have an address. */
struct notify_msg {
    const char *kind;            /* "assigned" "reminder" "overdue" "escalated" "notice" ... */
    int64_t complaint_id;        /* 0: about no complaint */
    const char *number;          /* the complaint's number, or NULL */
    const char *title_zh, *title_en;
    const char *body_zh, *body_en;   /* NULL: none */
    /*
     * Idempotency: a second message with the same dedup key and recipient
     * records nothing (the scheduler may run a due point twice). NULL: none.
     */
    const char *dedup;
};
/* Unknown or disabled login: nothing sent, 0 (a recipient may have left). *sent may be NULL. */
int notify_staff(struct store *st, const char *login, const struct notify_msg *m, int64_t now,
                 bool *sent, struct err *e);

/*
 * A domain event ("complaint.overdue", ...) to every active webhook that
 * subscribes to it; payload is the JSON object text of its "data". Same
 * dedup rule as above (per webhook).
 */
int notify_event(struct store *st, const char *type, const char *payload, const char *dedup,
                 int64_t now, struct err *e);

/*
 * notify_event with the complaint's own payload: {"number", "project",
 * "status", "grade", "kind", "nature", "channel", "category",
 * "subcategory", "department", "handler", "received_at"} (null where it
 * has none). No contact details and no text of the complaint: webhook
 * payloads are shown to administrators, who read no complaint data.
 */
int notify_complaint_event(struct store *st, const char *type, const struct complaint *c,
                           const char *dedup, int64_t now, struct err *e);

/*
 * A message to the complaint's customer from the template `code`
 * ("acknowledged", "progress", "resolved", "followup"), in the deployment's
 * language: e-mail when the complainant gave an address (and e-mail is on),
 * and the webhook event "customer.message" with the phone number for the
 * SMS / WeChat gateways. Placeholders: {{number}} {{name}} {{subject}}
 * {{project}} {{status}} {{due}} {{result}}; `due` is the promised time as
 * text (may be NULL). Also appends a "message" event (visibility customer)
 * to the complaint. Anonymous complainants without contact get nothing.
 */
int notify_customer(struct store *st, const struct complaint *c, const char *code,
                    const char *due, int64_t now, struct err *e);
/*
 * The same with the caller's dedup key (NULL: none). notify_customer uses
 * "customer/<complaint id>/acknowledged" for the acknowledgement (once per
 * complaint), "customer/<id>/<code>/<reopenings>" for resolved and
 * followup (once per round of handling) and none for progress, which the
 * caller may send as often as it has progress to report (the scheduler
 * passes its due point here, so that a tick run twice sends one).
 * *recorded (may be NULL): how many deliveries were recorded (0: none, or
 * all of them sent already).
 */
int notify_customer_dedup(struct store *st, const struct complaint *c, const char *code,
                          const char *due, const char *dedup, int64_t now, int *recorded,
                          struct err *e);

/* ---- for the sender and the tests: pure ---- */

/* The longest wait between two tries, whatever the back-off: a day. */
#define NOTIFY_BACKOFF_MAX 86400
/*
 * Seconds before retry k (k = 1, 2, ...: the wait after the k-th failed
 * try): base * 2^(k-1), at most NOTIFY_BACKOFF_MAX. base 30: 30, 60, 120 ...
 */
int64_t notify_backoff(int base, int k);
/*
 * Where a delivery goes after a try at `now`, `attempts` tries made
 * (this one included): "delivered"; or "pending", due again after the
 * back-off; or, failed and the budget of `max_attempts` spent, "dead"
 * (the dead-letter list). *next is the next due time (now when not pending).
 */
void notify_after_attempt(bool ok, int attempts, int max_attempts, int base, int64_t now,
                          const char **status, int64_t *next);

/*
 * The webhook signature: hex of HMAC-SHA256 with the secret's bytes (the
 * text shown at creation, "whsec_..." whole) as the key, over
 * "<timestamp>.<body>", timestamp in decimal seconds since the epoch. Sent
 * as X-Kesu-Signature: sha256=<hex>. docs/api.md shows how to verify it.
 */
#define NOTIFY_SIGNATURE_HEX 65   /* 64 hex digits and a NUL */
void notify_sign(const char *secret, int64_t timestamp, const char *body, size_t len,
                 char hex[NOTIFY_SIGNATURE_HEX]);

/*
 * The body of a webhook request, the same on every try:
 * {"id":<delivery id>,"type":"<type>","at":"<ISO time of the event>","data":<data>},
 * `data` being the stored JSON object text. Appended to `out`.
 */
int notify_webhook_body(int64_t id, const char *type, int64_t at, int tz_min, const char *data,
                        struct sbuf *out, struct err *e);

/*
 * Does a webhook's event filter take `type`? The filter is "*" or a list
 * separated by ',' of types ("complaint.overdue") and prefixes
 * ("complaint.*").
 */
bool notify_event_matches(const char *filter, const char *type);
/* An event type as kesu writes them, and as filters name them: "complaint.overdue". */
bool notify_event_type_ok(const char *type);

#endif
