#ifndef KESU_STORE_STORE_SQLITE_NOTIFY_H
#define KESU_STORE_STORE_SQLITE_NOTIFY_H

/*
 * The SQLite backend's ops of notifications (migration 7), for the ops
 * table of store_sqlite.c. The contracts are in store.h; only
 * src/store/store_sqlite*.c include this.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

int sqlx_notification_add(struct store *st, const struct notification_new *in, int64_t *id,
                         struct err *e);
int sqlx_notification_list(struct store *st, const struct notification_query *q,
                          struct arena *a, struct notification **out, size_t *n, bool *more,
                          struct err *e);
int sqlx_notification_unread(struct store *st, const char *login, int64_t *n, struct err *e);
int sqlx_notification_read(struct store *st, const char *login, int64_t id, int64_t now,
                          struct arena *a, struct notification **out, struct err *e);
int sqlx_notification_read_all(struct store *st, const char *login, int64_t now, int64_t *n,
                              struct err *e);
int sqlx_webhook_add(struct store *st, const struct webhook_new *in, int64_t *id, struct err *e);
int sqlx_webhook_list(struct store *st, struct arena *a, struct webhook **out, size_t *n,
                     struct err *e);
int sqlx_webhook_get(struct store *st, int64_t id, struct arena *a, struct webhook **out,
                    struct err *e);
int sqlx_webhook_update(struct store *st, int64_t id, const struct webhook_change *ch,
                       int64_t now, struct err *e);
int sqlx_delivery_add(struct store *st, const struct delivery_new *in, int64_t *id,
                     struct err *e);
int sqlx_delivery_due(struct store *st, int64_t now, int limit, struct arena *a,
                     struct delivery **out, size_t *n, struct err *e);
int sqlx_delivery_claim(struct store *st, int64_t now, int64_t until, int limit,
                       struct arena *a, struct delivery **out, size_t *n, struct err *e);
int sqlx_delivery_record(struct store *st, int64_t id, const struct delivery_attempt *attempt,
                        const char *status, int64_t next_attempt_at, struct err *e);
int sqlx_delivery_list(struct store *st, const struct delivery_query *q, struct arena *a,
                      struct delivery **out, size_t *n, bool *more, struct err *e);
int sqlx_delivery_get(struct store *st, int64_t id, struct arena *a, struct delivery **out,
                     struct delivery_attempt **attempts, size_t *n_attempts, struct err *e);
int sqlx_delivery_replay(struct store *st, int64_t id, int64_t now, struct err *e);
int sqlx_template_list(struct store *st, struct arena *a, struct message_template **out,
                      size_t *n, struct err *e);
int sqlx_template_get(struct store *st, const char *code, const char *lang, struct arena *a,
                     struct message_template **out, struct err *e);
int sqlx_template_put(struct store *st, const struct message_template *t, struct err *e);

#endif
