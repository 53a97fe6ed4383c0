#ifndef KESU_NOTIFY_NOTIFY_H
#define KESU_NOTIFY_NOTIFY_H

#include <stdbool.h>
#include <stdint.h>

#include "store/store.h"
#include "util/config.h"
#include "util/err.h"

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

#endif
