#ifndef KESU_STORE_STORE_SQLITE_SCHED_H
#define KESU_STORE_STORE_SQLITE_SCHED_H

/* The SQLite backend's deadline ops (store.h, migration 8), for its ops table. */
#include "store/store.h"

int sqs_clock_policy_list(struct store *st, struct arena *a, struct clock_policy_row **out,
                          size_t *n, struct err *e);
int sqs_clock_policy_put(struct store *st, const struct clock_policy_row *row, struct err *e);
int sqs_clock_list(struct store *st, int64_t complaint_id, struct arena *a,
                   struct clock_row **out, size_t *n, struct err *e);
int sqs_clock_insert(struct store *st, const struct clock_row *row, int64_t *id, struct err *e);
int sqs_clock_update(struct store *st, const struct clock_row *row, int64_t expect_next_at,
                     int64_t expect_stopped_at, bool *updated, struct err *e);
int sqs_clock_due(struct store *st, int64_t now, int limit, struct arena *a,
                  struct clock_row **out, size_t *n, struct err *e);
int sqs_age_point_set(struct store *st, int64_t complaint_id, int64_t at, struct err *e);
int sqs_age_due(struct store *st, int64_t now, int limit, struct arena *a, int64_t **ids,
                size_t *n, struct err *e);
int sqs_lease_acquire(struct store *st, const char *name, const char *holder, int64_t now,
                      int ttl, bool *held, struct err *e);
int sqs_lease_get(struct store *st, const char *name, struct arena *a, struct lease *out,
                  struct err *e);
int sqs_lease_ticked(struct store *st, const char *name, const char *holder, int64_t now,
                     const char *summary, struct err *e);
int sqs_backfill_next(struct store *st, int limit, struct arena *a, int64_t **ids, size_t *n,
                      struct err *e);
int sqs_lease_backfilled(struct store *st, const char *name, int64_t last_id, struct err *e);
int sqs_escalation_rule_list(struct store *st, struct arena *a,
                             struct escalation_rule_row **out, size_t *n, struct err *e);
int sqs_escalation_rule_put(struct store *st, const struct escalation_rule_row *row,
                            struct err *e);
int sqs_escalation_add(struct store *st, int64_t complaint_id, const char *rule, int64_t at,
                       bool *added, struct err *e);
int sqs_notice_add(struct store *st, const struct notice_new *in, int64_t *id, struct err *e);
int sqs_notice_list(struct store *st, const struct notice_query *q, struct arena *a,
                    struct notice **out, size_t *n, struct err *e);
int sqs_notice_get(struct store *st, int64_t id, struct arena *a, struct notice **out,
                   struct err *e);
int sqs_notice_ack(struct store *st, int64_t id, const char *by, const char *note, int64_t at,
                   struct err *e);
int sqs_notice_due(struct store *st, int64_t now, int limit, struct arena *a,
                   struct notice **out, size_t *n, struct err *e);
int sqs_notice_escalated(struct store *st, int64_t id, int64_t at, bool *updated,
                         struct err *e);
int sqs_staff_responsible(struct store *st, const char *project, const char *role,
                          struct arena *a, const char ***logins, size_t *n, struct err *e);

#endif
