/*
 * store_faulty: forwards every op to the store it wraps and fails the chosen
 * call instead, so tests can walk a failure through every step of a
 * transaction (STYLE §6). Only tests link it in on purpose; it lives in the
 * library so that every test binary can use it.
 */
#include "store/store_faulty.h"
#include "util/alloc.h"

#include <assert.h>
#include <pthread.h>
#include <string.h>

struct store_faulty {
    struct store super;
    struct store *inner;     /* owned */
    pthread_mutex_t lock;    /* guards the fields below */
    long calls;              /* fallible calls since the last arming */
    long counted;            /* calls that matched `op` (all of them when op is NULL) */
    long fail_at;            /* fail the counted call with this number; 0: never */
    bool sticky;             /* and every counted call after it */
    const char *op;          /* only calls of this op count; NULL: every op */
    long injected;           /* failures injected since the last arming */
};

static const struct store_ops faulty_ops;

static struct store_faulty *
to_faulty(struct store *st)
{
    assert(st != NULL && st->ops == &faulty_ops);
    return (struct store_faulty *)st;
}

/* Count a call of `op`; fail it when it is the chosen one. */
static int
tick(struct store_faulty *f, const char *op, struct err *e)
{
    bool fail = false;
    long call;

    pthread_mutex_lock(&f->lock);
    call = ++f->calls;
    if (f->fail_at > 0 && (f->op == NULL || strcmp(f->op, op) == 0)) {
        f->counted++;
        fail = f->counted == f->fail_at || (f->sticky && f->counted > f->fail_at);
        if (fail)
            f->injected++;
    }
    pthread_mutex_unlock(&f->lock);
    if (fail)
        return err_set(e, ERR_STORE, NULL, "store", "faulty: injected failure of %s (call %ld)",
                       op, call);
    return 0;
}

static void
arm(struct store *st, const char *op, long n, bool sticky)
{
    struct store_faulty *f = to_faulty(st);

    pthread_mutex_lock(&f->lock);
    f->calls = 0;
    f->counted = 0;
    f->injected = 0;
    f->fail_at = n > 0 ? n : 0;
    f->sticky = sticky;
    f->op = op;
    pthread_mutex_unlock(&f->lock);
}

void
store_faulty_fail_at(struct store *st, long n)
{
    arm(st, NULL, n, false);
}

void
store_faulty_fail_sticky(struct store *st, long n)
{
    arm(st, NULL, n, true);
}

void
store_faulty_fail_op(struct store *st, const char *op, long n, bool sticky)
{
    arm(st, op, n, sticky);
}

long
store_faulty_calls(struct store *st)
{
    struct store_faulty *f = to_faulty(st);
    long n;

    pthread_mutex_lock(&f->lock);
    n = f->calls;
    pthread_mutex_unlock(&f->lock);
    return n;
}

long
store_faulty_injected(struct store *st)
{
    struct store_faulty *f = to_faulty(st);
    long n;

    pthread_mutex_lock(&f->lock);
    n = f->injected;
    pthread_mutex_unlock(&f->lock);
    return n;
}

struct store *
store_faulty_inner(struct store *st)
{
    return to_faulty(st)->inner;
}

/* ---- the ops: count, maybe fail, forward ---- */

#define INNER(f) ((f)->inner)
#define FORWARD(f, op, ...) INNER(f)->ops->op(INNER(f), __VA_ARGS__)

static void
f_close(struct store *st)
{
    struct store_faulty *f = to_faulty(st);

    store_close(f->inner);
    pthread_mutex_destroy(&f->lock);
    alloc_free(f);
}

static int
f_tx_begin(struct store *st, struct err *e)
{
    struct store_faulty *f = to_faulty(st);

    if (tick(f, "tx_begin", e) < 0)
        return -1;
    return FORWARD(f, tx_begin, e);
}

static int
f_tx_commit(struct store *st, struct err *e)
{
    struct store_faulty *f = to_faulty(st);

    if (tick(f, "tx_commit", e) < 0)
        return -1;
    return FORWARD(f, tx_commit, e);
}

static void
f_tx_rollback(struct store *st)
{
    struct store_faulty *f = to_faulty(st);

    INNER(f)->ops->tx_rollback(INNER(f));
}

static int
f_savepoint(struct store *st, struct err *e)
{
    struct store_faulty *f = to_faulty(st);

    if (tick(f, "savepoint", e) < 0)
        return -1;
    return FORWARD(f, savepoint, e);
}

static int
f_savepoint_release(struct store *st, struct err *e)
{
    struct store_faulty *f = to_faulty(st);

    if (tick(f, "savepoint_release", e) < 0)
        return -1;
    return FORWARD(f, savepoint_release, e);
}

static int
f_savepoint_rollback(struct store *st, struct err *e)
{
    struct store_faulty *f = to_faulty(st);

    if (tick(f, "savepoint_rollback", e) < 0)
        return -1;
    return FORWARD(f, savepoint_rollback, e);
}

static int
f_set_durable(struct store *st, bool durable, struct err *e)
{
    struct store_faulty *f = to_faulty(st);

    if (tick(f, "set_durable", e) < 0)
        return -1;
    return FORWARD(f, set_durable, durable, e);
}

static int
f_health(struct store *st, int *schema_version, struct err *e)
{
    struct store_faulty *f = to_faulty(st);

    if (tick(f, "health", e) < 0)
        return -1;
    return FORWARD(f, health, schema_version, e);
}

static int
f_migrate(struct store *st, const char *preset, int64_t now, int *version, struct err *e)
{
    struct store_faulty *f = to_faulty(st);

    if (tick(f, "migrate", e) < 0)
        return -1;
    return FORWARD(f, migrate, preset, now, version, e);
}

static int
f_maintain(struct store *st, struct err *e)
{
    struct store_faulty *f = to_faulty(st);

    if (tick(f, "maintain", e) < 0)
        return -1;
    return FORWARD(f, maintain, e);
}

static int
f_complaint_create(struct store *st, const struct complaint_new *in, const char *prefix,
                   int tz_min, int64_t now, struct arena *a, struct complaint **out,
                   struct err *e)
{
    struct store_faulty *f = to_faulty(st);

    if (tick(f, "complaint_create", e) < 0)
        return -1;
    return FORWARD(f, complaint_create, in, prefix, tz_min, now, a, out, e);
}

static int
f_complaint_get(struct store *st, const char *number, struct arena *a, struct complaint **out,
                struct err *e)
{
    struct store_faulty *f = to_faulty(st);

    if (tick(f, "complaint_get", e) < 0)
        return -1;
    return FORWARD(f, complaint_get, number, a, out, e);
}

static int
f_complaint_list(struct store *st, const struct complaint_query *q, struct arena *a,
                 struct complaint_page *out, struct err *e)
{
    struct store_faulty *f = to_faulty(st);

    if (tick(f, "complaint_list", e) < 0)
        return -1;
    return FORWARD(f, complaint_list, q, a, out, e);
}

static int
f_event_append(struct store *st, const struct event_new *in, struct arena *a, struct event **out,
               struct err *e)
{
    struct store_faulty *f = to_faulty(st);

    if (tick(f, "event_append", e) < 0)
        return -1;
    return FORWARD(f, event_append, in, a, out, e);
}

static int
f_event_list(struct store *st, int64_t complaint_id, struct arena *a, struct event **out,
             size_t *n, struct err *e)
{
    struct store_faulty *f = to_faulty(st);

    if (tick(f, "event_list", e) < 0)
        return -1;
    return FORWARD(f, event_list, complaint_id, a, out, n, e);
}

static int
f_attachment_add(struct store *st, const struct attachment_new *in, struct arena *a,
                 struct attachment **out, struct err *e)
{
    struct store_faulty *f = to_faulty(st);

    if (tick(f, "attachment_add", e) < 0)
        return -1;
    return FORWARD(f, attachment_add, in, a, out, e);
}

static int
f_attachment_list(struct store *st, int64_t complaint_id, struct arena *a,
                  struct attachment **out, size_t *n, struct err *e)
{
    struct store_faulty *f = to_faulty(st);

    if (tick(f, "attachment_list", e) < 0)
        return -1;
    return FORWARD(f, attachment_list, complaint_id, a, out, n, e);
}

static int
f_attachment_get(struct store *st, int64_t complaint_id, int64_t id, struct arena *a,
                 struct attachment **meta, void **data, struct err *e)
{
    struct store_faulty *f = to_faulty(st);

    if (tick(f, "attachment_get", e) < 0)
        return -1;
    return FORWARD(f, attachment_get, complaint_id, id, a, meta, data, e);
}

static int
f_idem_get(struct store *st, const char *key, struct arena *a, struct idem_record *out,
           struct err *e)
{
    struct store_faulty *f = to_faulty(st);

    if (tick(f, "idem_get", e) < 0)
        return -1;
    return FORWARD(f, idem_get, key, a, out, e);
}

static int
f_idem_put(struct store *st, const char *key, const struct idem_record *rec, int64_t now,
           struct err *e)
{
    struct store_faulty *f = to_faulty(st);

    if (tick(f, "idem_put", e) < 0)
        return -1;
    return FORWARD(f, idem_put, key, rec, now, e);
}

static int
f_category_list(struct store *st, struct arena *a, const char **preset, struct category **out,
                size_t *n, struct err *e)
{
    struct store_faulty *f = to_faulty(st);

    if (tick(f, "category_list", e) < 0)
        return -1;
    return FORWARD(f, category_list, a, preset, out, n, e);
}

static int
f_project_list(struct store *st, struct arena *a, struct project **out, size_t *n, struct err *e)
{
    struct store_faulty *f = to_faulty(st);

    if (tick(f, "project_list", e) < 0)
        return -1;
    return FORWARD(f, project_list, a, out, n, e);
}

static int
f_unit_list(struct store *st, const char *project, const char *building, struct arena *a,
            const char ***out, size_t *n, struct err *e)
{
    struct store_faulty *f = to_faulty(st);

    if (tick(f, "unit_list", e) < 0)
        return -1;
    return FORWARD(f, unit_list, project, building, a, out, n, e);
}

static int
f_project_add(struct store *st, const char *code, const char *name, const char *prefix,
              int64_t now, struct err *e)
{
    struct store_faulty *f = to_faulty(st);

    if (tick(f, "project_add", e) < 0)
        return -1;
    return FORWARD(f, project_add, code, name, prefix, now, e);
}

static int
f_building_add(struct store *st, const char *project, const char *name, int sort, struct err *e)
{
    struct store_faulty *f = to_faulty(st);

    if (tick(f, "building_add", e) < 0)
        return -1;
    return FORWARD(f, building_add, project, name, sort, e);
}

static int
f_unit_add(struct store *st, const char *project, const char *building, const char *name,
           struct err *e)
{
    struct store_faulty *f = to_faulty(st);

    if (tick(f, "unit_add", e) < 0)
        return -1;
    return FORWARD(f, unit_add, project, building, name, e);
}

static int
f_staff_add(struct store *st, const struct staff_new *in, int64_t now, struct err *e)
{
    struct store_faulty *f = to_faulty(st);

    if (tick(f, "staff_add", e) < 0)
        return -1;
    return FORWARD(f, staff_add, in, now, e);
}

static int
f_staff_get(struct store *st, const char *login, struct arena *a, struct staff **out,
            struct err *e)
{
    struct store_faulty *f = to_faulty(st);

    if (tick(f, "staff_get", e) < 0)
        return -1;
    return FORWARD(f, staff_get, login, a, out, e);
}

static int
f_staff_list(struct store *st, struct arena *a, struct staff **out, size_t *n, struct err *e)
{
    struct store_faulty *f = to_faulty(st);

    if (tick(f, "staff_list", e) < 0)
        return -1;
    return FORWARD(f, staff_list, a, out, n, e);
}

static int
f_staff_set_status(struct store *st, const char *login, const char *status, struct err *e)
{
    struct store_faulty *f = to_faulty(st);

    if (tick(f, "staff_set_status", e) < 0)
        return -1;
    return FORWARD(f, staff_set_status, login, status, e);
}

static int
f_staff_set_password(struct store *st, const char *login, const char *password_hash,
                     int64_t now, struct err *e)
{
    struct store_faulty *f = to_faulty(st);

    if (tick(f, "staff_set_password", e) < 0)
        return -1;
    return FORWARD(f, staff_set_password, login, password_hash, now, e);
}

static int
f_membership_add(struct store *st, const char *login, const struct membership *m,
                 struct err *e)
{
    struct store_faulty *f = to_faulty(st);

    if (tick(f, "membership_add", e) < 0)
        return -1;
    return FORWARD(f, membership_add, login, m, e);
}

static int
f_department_add(struct store *st, const char *project, const char *code, const char *name,
                 struct err *e)
{
    struct store_faulty *f = to_faulty(st);

    if (tick(f, "department_add", e) < 0)
        return -1;
    return FORWARD(f, department_add, project, code, name, e);
}

static int
f_role_count(struct store *st, const char *role, int64_t *n, struct err *e)
{
    struct store_faulty *f = to_faulty(st);

    if (tick(f, "role_count", e) < 0)
        return -1;
    return FORWARD(f, role_count, role, n, e);
}

static int
f_audit_append(struct store *st, struct audit_entry *en, struct err *e)
{
    struct store_faulty *f = to_faulty(st);

    if (tick(f, "audit_append", e) < 0)
        return -1;
    return FORWARD(f, audit_append, en, e);
}

static int
f_audit_scan(struct store *st, int64_t after_id, size_t max, struct arena *a,
             struct audit_entry **out, size_t *n, struct err *e)
{
    struct store_faulty *f = to_faulty(st);

    if (tick(f, "audit_scan", e) < 0)
        return -1;
    return FORWARD(f, audit_scan, after_id, max, a, out, n, e);
}

static int
f_session_create(struct store *st, const struct session_new *in, int64_t *id, struct err *e)
{
    struct store_faulty *f = to_faulty(st);

    if (tick(f, "session_create", e) < 0)
        return -1;
    return FORWARD(f, session_create, in, id, e);
}

static int
f_credential_find(struct store *st, enum credential_kind kind,
                  const unsigned char hash[STORE_SECRET_HASH], struct arena *a,
                  struct credential **out, struct err *e)
{
    struct store_faulty *f = to_faulty(st);

    if (tick(f, "credential_find", e) < 0)
        return -1;
    return FORWARD(f, credential_find, kind, hash, a, out, e);
}

static int
f_credential_touch(struct store *st, enum credential_kind kind, int64_t id, int64_t now,
                   struct err *e)
{
    struct store_faulty *f = to_faulty(st);

    if (tick(f, "credential_touch", e) < 0)
        return -1;
    return FORWARD(f, credential_touch, kind, id, now, e);
}

static int
f_credential_revoke(struct store *st, enum credential_kind kind, int64_t id, int64_t now,
                    struct err *e)
{
    struct store_faulty *f = to_faulty(st);

    if (tick(f, "credential_revoke", e) < 0)
        return -1;
    return FORWARD(f, credential_revoke, kind, id, now, e);
}

static int
f_session_revoke_staff(struct store *st, const char *login, int64_t now, int *n, struct err *e)
{
    struct store_faulty *f = to_faulty(st);

    if (tick(f, "session_revoke_staff", e) < 0)
        return -1;
    return FORWARD(f, session_revoke_staff, login, now, n, e);
}

static int
f_token_create(struct store *st, const struct token_new *in, int64_t *id, struct err *e)
{
    struct store_faulty *f = to_faulty(st);

    if (tick(f, "token_create", e) < 0)
        return -1;
    return FORWARD(f, token_create, in, id, e);
}

static int
f_token_list(struct store *st, struct arena *a, struct credential **out, size_t *n,
             struct err *e)
{
    struct store_faulty *f = to_faulty(st);

    if (tick(f, "token_list", e) < 0)
        return -1;
    return FORWARD(f, token_list, a, out, n, e);
}

static int
f_audit_query(struct store *st, const struct audit_query *q, struct arena *a,
              struct audit_entry **out, size_t *n, bool *more, struct err *e)
{
    struct store_faulty *f = to_faulty(st);

    if (tick(f, "audit_query", e) < 0)
        return -1;
    return FORWARD(f, audit_query, q, a, out, n, more, e);
}

static int
f_complaint_update(struct store *st, int64_t id, const struct complaint_change *ch, struct err *e)
{
    struct store_faulty *f = to_faulty(st);

    if (tick(f, "complaint_update", e) < 0)
        return -1;
    return FORWARD(f, complaint_update, id, ch, e);
}

static int
f_person_add(struct store *st, int64_t complaint_id, const struct complainant_new *in, int64_t now,
             int *seq, struct err *e)
{
    struct store_faulty *f = to_faulty(st);

    if (tick(f, "person_add", e) < 0)
        return -1;
    return FORWARD(f, person_add, complaint_id, in, now, seq, e);
}

static int
f_similar_find(struct store *st, const struct similar_query *q, struct arena *a, int64_t **ids,
               size_t *n, int *distinct, struct err *e)
{
    struct store_faulty *f = to_faulty(st);

    if (tick(f, "similar_find", e) < 0)
        return -1;
    return FORWARD(f, similar_find, q, a, ids, n, distinct, e);
}

static int
f_complaint_get_by_id(struct store *st, int64_t id, struct arena *a, struct complaint **out,
                      struct err *e)
{
    struct store_faulty *f = to_faulty(st);

    if (tick(f, "complaint_get_by_id", e) < 0)
        return -1;
    return FORWARD(f, complaint_get_by_id, id, a, out, e);
}

static int
f_compensation_add(struct store *st, const struct compensation_new *in, int64_t *id, struct err *e)
{
    struct store_faulty *f = to_faulty(st);

    if (tick(f, "compensation_add", e) < 0)
        return -1;
    return FORWARD(f, compensation_add, in, id, e);
}

static int
f_compensation_decide(struct store *st, int64_t complaint_id, int64_t id, const char *status,
                      const char *by, const char *reason, int64_t at, struct err *e)
{
    struct store_faulty *f = to_faulty(st);

    if (tick(f, "compensation_decide", e) < 0)
        return -1;
    return FORWARD(f, compensation_decide, complaint_id, id, status, by, reason, at, e);
}

static int
f_compensation_list(struct store *st, int64_t complaint_id, struct arena *a,
                    struct compensation **out, size_t *n, struct err *e)
{
    struct store_faulty *f = to_faulty(st);

    if (tick(f, "compensation_list", e) < 0)
        return -1;
    return FORWARD(f, compensation_list, complaint_id, a, out, n, e);
}

static int
f_followup_create(struct store *st, const struct followup_new *in, int64_t *id, struct err *e)
{
    struct store_faulty *f = to_faulty(st);

    if (tick(f, "followup_create", e) < 0)
        return -1;
    return FORWARD(f, followup_create, in, id, e);
}

static int
f_followup_get(struct store *st, int64_t id, struct arena *a, struct followup **out, struct err *e)
{
    struct store_faulty *f = to_faulty(st);

    if (tick(f, "followup_get", e) < 0)
        return -1;
    return FORWARD(f, followup_get, id, a, out, e);
}

static int
f_followup_list(struct store *st, const struct followup_query *q, struct arena *a,
                struct followup **out, size_t *n, struct err *e)
{
    struct store_faulty *f = to_faulty(st);

    if (tick(f, "followup_list", e) < 0)
        return -1;
    return FORWARD(f, followup_list, q, a, out, n, e);
}

static int
f_followup_done(struct store *st, int64_t id, const struct followup_outcome *o, struct err *e)
{
    struct store_faulty *f = to_faulty(st);

    if (tick(f, "followup_done", e) < 0)
        return -1;
    return FORWARD(f, followup_done, id, o, e);
}

static int
f_closed_between(struct store *st, int64_t from, int64_t to, struct arena *a,
                 struct closed_item **out, size_t *n, struct err *e)
{
    struct store_faulty *f = to_faulty(st);

    if (tick(f, "closed_between", e) < 0)
        return -1;
    return FORWARD(f, closed_between, from, to, a, out, n, e);
}

static int
f_staff_in_role(struct store *st, const char *project, const char *role, struct arena *a,
                struct staff_load **out, size_t *n, struct err *e)
{
    struct store_faulty *f = to_faulty(st);

    if (tick(f, "staff_in_role", e) < 0)
        return -1;
    return FORWARD(f, staff_in_role, project, role, a, out, n, e);
}

static int
f_case_put(struct store *st, int64_t complaint_id, const char *summary, const char *lessons,
           const char *by, int64_t at, struct err *e)
{
    struct store_faulty *f = to_faulty(st);

    if (tick(f, "case_put", e) < 0)
        return -1;
    return FORWARD(f, case_put, complaint_id, summary, lessons, by, at, e);
}

static int
f_case_get(struct store *st, int64_t complaint_id, struct arena *a, struct case_entry **out,
           struct err *e)
{
    struct store_faulty *f = to_faulty(st);

    if (tick(f, "case_get", e) < 0)
        return -1;
    return FORWARD(f, case_get, complaint_id, a, out, e);
}

static int
f_case_list(struct store *st, const char *q, int limit, struct arena *a, struct case_entry **out,
            size_t *n, struct err *e)
{
    struct store_faulty *f = to_faulty(st);

    if (tick(f, "case_list", e) < 0)
        return -1;
    return FORWARD(f, case_list, q, limit, a, out, n, e);
}

static int
f_history_list(struct store *st, int64_t complainant_id, int64_t exclude_id, int limit,
               struct arena *a, struct history_item **out, size_t *n, struct err *e)
{
    struct store_faulty *f = to_faulty(st);

    if (tick(f, "history_list", e) < 0)
        return -1;
    return FORWARD(f, history_list, complainant_id, exclude_id, limit, a, out, n, e);
}

static int
f_complainant_by_phone(struct store *st, const char *phone, int64_t *id, struct err *e)
{
    struct store_faulty *f = to_faulty(st);

    if (tick(f, "complainant_by_phone", e) < 0)
        return -1;
    return FORWARD(f, complainant_by_phone, phone, id, e);
}

static int
f_category_add(struct store *st, const struct category_new *in, struct err *e)
{
    struct store_faulty *f = to_faulty(st);

    if (tick(f, "category_add", e) < 0)
        return -1;
    return FORWARD(f, category_add, in, e);
}

static int
f_category_update(struct store *st, const char *parent, const char *code,
                  const struct category_change *ch, struct err *e)
{
    struct store_faulty *f = to_faulty(st);

    if (tick(f, "category_update", e) < 0)
        return -1;
    return FORWARD(f, category_update, parent, code, ch, e);
}

static int
f_department_list(struct store *st, const char *project, struct arena *a, struct department **out,
                  size_t *n, struct err *e)
{
    struct store_faulty *f = to_faulty(st);

    if (tick(f, "department_list", e) < 0)
        return -1;
    return FORWARD(f, department_list, project, a, out, n, e);
}

static int
f_dispatch_list(struct store *st, struct arena *a, struct dispatch_rule **out, size_t *n,
                struct err *e)
{
    struct store_faulty *f = to_faulty(st);

    if (tick(f, "dispatch_list", e) < 0)
        return -1;
    return FORWARD(f, dispatch_list, a, out, n, e);
}

static int
f_dispatch_put(struct store *st, const char *category, const char *project, const char *department,
               struct err *e)
{
    struct store_faulty *f = to_faulty(st);

    if (tick(f, "dispatch_put", e) < 0)
        return -1;
    return FORWARD(f, dispatch_put, category, project, department, e);
}

static int
f_dispatch_find(struct store *st, const char *category, const char *project, struct arena *a,
                const char **department, struct err *e)
{
    struct store_faulty *f = to_faulty(st);

    if (tick(f, "dispatch_find", e) < 0)
        return -1;
    return FORWARD(f, dispatch_find, category, project, a, department, e);
}

static int
f_grade_rule_list(struct store *st, struct arena *a, const char **preset,
                  struct grade_rule_row **out, size_t *n, struct err *e)
{
    struct store_faulty *f = to_faulty(st);

    if (tick(f, "grade_rule_list", e) < 0)
        return -1;
    return FORWARD(f, grade_rule_list, a, preset, out, n, e);
}

static int
f_grade_rule_put(struct store *st, const struct grade_rule_row *row, struct err *e)
{
    struct store_faulty *f = to_faulty(st);

    if (tick(f, "grade_rule_put", e) < 0)
        return -1;
    return FORWARD(f, grade_rule_put, row, e);
}

static int
f_grade_preset_set(struct store *st, const char *preset, struct err *e)
{
    struct store_faulty *f = to_faulty(st);

    if (tick(f, "grade_preset_set", e) < 0)
        return -1;
    return FORWARD(f, grade_preset_set, preset, e);
}

/* ---- calendar ---- */
static int
f_calendar_load(struct store *st, const char *project, struct arena *a, struct calendar *out,
                struct err *e)
{
    struct store_faulty *f = to_faulty(st);

    if (tick(f, "calendar_load", e) < 0)
        return -1;
    return FORWARD(f, calendar_load, project, a, out, e);
}

static int
f_calendar_get(struct store *st, const char *project, int64_t from, int64_t to,
               struct arena *a, struct calendar_record *out, struct err *e)
{
    struct store_faulty *f = to_faulty(st);

    if (tick(f, "calendar_get", e) < 0)
        return -1;
    return FORWARD(f, calendar_get, project, from, to, a, out, e);
}

static int
f_calendar_put(struct store *st, const struct calendar_change *ch, bool *created, struct err *e)
{
    struct store_faulty *f = to_faulty(st);

    if (tick(f, "calendar_put", e) < 0)
        return -1;
    return FORWARD(f, calendar_put, ch, created, e);
}

static int
f_calendar_days_put(struct store *st, const char *project,
                    const struct calendar_day_change *days, size_t n, const char *by,
                    int64_t at, struct calendar_days_result *out, struct err *e)
{
    struct store_faulty *f = to_faulty(st);

    if (tick(f, "calendar_days_put", e) < 0)
        return -1;
    return FORWARD(f, calendar_days_put, project, days, n, by, at, out, e);
}
/* ---- end of calendar ---- */

/* ---- notifications ---- */
static int
f_notification_add(struct store *st, const struct notification_new *in, int64_t *id, struct err *e)
{
    struct store_faulty *f = to_faulty(st);

    if (tick(f, "notification_add", e) < 0)
        return -1;
    return FORWARD(f, notification_add, in, id, e);
}

static int
f_notification_list(struct store *st, const struct notification_query *q, struct arena *a,
                    struct notification **out, size_t *n, bool *more, struct err *e)
{
    struct store_faulty *f = to_faulty(st);

    if (tick(f, "notification_list", e) < 0)
        return -1;
    return FORWARD(f, notification_list, q, a, out, n, more, e);
}

static int
f_notification_unread(struct store *st, const char *login, int64_t *n, struct err *e)
{
    struct store_faulty *f = to_faulty(st);

    if (tick(f, "notification_unread", e) < 0)
        return -1;
    return FORWARD(f, notification_unread, login, n, e);
}

static int
f_notification_read(struct store *st, const char *login, int64_t id, int64_t now, struct arena *a,
                    struct notification **out, struct err *e)
{
    struct store_faulty *f = to_faulty(st);

    if (tick(f, "notification_read", e) < 0)
        return -1;
    return FORWARD(f, notification_read, login, id, now, a, out, e);
}

static int
f_notification_read_all(struct store *st, const char *login, int64_t now, int64_t *n,
                        struct err *e)
{
    struct store_faulty *f = to_faulty(st);

    if (tick(f, "notification_read_all", e) < 0)
        return -1;
    return FORWARD(f, notification_read_all, login, now, n, e);
}

static int
f_webhook_add(struct store *st, const struct webhook_new *in, int64_t *id, struct err *e)
{
    struct store_faulty *f = to_faulty(st);

    if (tick(f, "webhook_add", e) < 0)
        return -1;
    return FORWARD(f, webhook_add, in, id, e);
}

static int
f_webhook_list(struct store *st, struct arena *a, struct webhook **out, size_t *n, struct err *e)
{
    struct store_faulty *f = to_faulty(st);

    if (tick(f, "webhook_list", e) < 0)
        return -1;
    return FORWARD(f, webhook_list, a, out, n, e);
}

static int
f_webhook_get(struct store *st, int64_t id, struct arena *a, struct webhook **out, struct err *e)
{
    struct store_faulty *f = to_faulty(st);

    if (tick(f, "webhook_get", e) < 0)
        return -1;
    return FORWARD(f, webhook_get, id, a, out, e);
}

static int
f_webhook_update(struct store *st, int64_t id, const struct webhook_change *ch, int64_t now,
                 struct err *e)
{
    struct store_faulty *f = to_faulty(st);

    if (tick(f, "webhook_update", e) < 0)
        return -1;
    return FORWARD(f, webhook_update, id, ch, now, e);
}

static int
f_delivery_add(struct store *st, const struct delivery_new *in, int64_t *id, struct err *e)
{
    struct store_faulty *f = to_faulty(st);

    if (tick(f, "delivery_add", e) < 0)
        return -1;
    return FORWARD(f, delivery_add, in, id, e);
}

static int
f_delivery_due(struct store *st, int64_t now, int limit, struct arena *a, struct delivery **out,
               size_t *n, struct err *e)
{
    struct store_faulty *f = to_faulty(st);

    if (tick(f, "delivery_due", e) < 0)
        return -1;
    return FORWARD(f, delivery_due, now, limit, a, out, n, e);
}

static int
f_delivery_claim(struct store *st, int64_t now, int64_t until, int limit, struct arena *a,
                 struct delivery **out, size_t *n, struct err *e)
{
    struct store_faulty *f = to_faulty(st);

    if (tick(f, "delivery_claim", e) < 0)
        return -1;
    return FORWARD(f, delivery_claim, now, until, limit, a, out, n, e);
}

static int
f_delivery_record(struct store *st, int64_t id, const struct delivery_attempt *attempt,
                  const char *status, int64_t next_attempt_at, struct err *e)
{
    struct store_faulty *f = to_faulty(st);

    if (tick(f, "delivery_record", e) < 0)
        return -1;
    return FORWARD(f, delivery_record, id, attempt, status, next_attempt_at, e);
}

static int
f_delivery_list(struct store *st, const struct delivery_query *q, struct arena *a,
                struct delivery **out, size_t *n, bool *more, struct err *e)
{
    struct store_faulty *f = to_faulty(st);

    if (tick(f, "delivery_list", e) < 0)
        return -1;
    return FORWARD(f, delivery_list, q, a, out, n, more, e);
}

static int
f_delivery_get(struct store *st, int64_t id, struct arena *a, struct delivery **out,
               struct delivery_attempt **attempts, size_t *n_attempts, struct err *e)
{
    struct store_faulty *f = to_faulty(st);

    if (tick(f, "delivery_get", e) < 0)
        return -1;
    return FORWARD(f, delivery_get, id, a, out, attempts, n_attempts, e);
}

static int
f_delivery_replay(struct store *st, int64_t id, int64_t now, struct err *e)
{
    struct store_faulty *f = to_faulty(st);

    if (tick(f, "delivery_replay", e) < 0)
        return -1;
    return FORWARD(f, delivery_replay, id, now, e);
}

static int
f_template_list(struct store *st, struct arena *a, struct message_template **out, size_t *n,
                struct err *e)
{
    struct store_faulty *f = to_faulty(st);

    if (tick(f, "template_list", e) < 0)
        return -1;
    return FORWARD(f, template_list, a, out, n, e);
}

static int
f_template_get(struct store *st, const char *code, const char *lang, struct arena *a,
               struct message_template **out, struct err *e)
{
    struct store_faulty *f = to_faulty(st);

    if (tick(f, "template_get", e) < 0)
        return -1;
    return FORWARD(f, template_get, code, lang, a, out, e);
}

static int
f_template_put(struct store *st, const struct message_template *t, struct err *e)
{
    struct store_faulty *f = to_faulty(st);

    if (tick(f, "template_put", e) < 0)
        return -1;
    return FORWARD(f, template_put, t, e);
}
/* ---- end of notifications ---- */

/* ---- deadlines ---- */
static int
f_clock_policy_list(struct store *st, struct arena *a, struct clock_policy_row **out, size_t *n,
                    struct err *e)
{
    struct store_faulty *f = to_faulty(st);

    if (tick(f, "clock_policy_list", e) < 0)
        return -1;
    return FORWARD(f, clock_policy_list, a, out, n, e);
}

static int
f_clock_policy_put(struct store *st, const struct clock_policy_row *row, struct err *e)
{
    struct store_faulty *f = to_faulty(st);

    if (tick(f, "clock_policy_put", e) < 0)
        return -1;
    return FORWARD(f, clock_policy_put, row, e);
}

static int
f_clock_list(struct store *st, int64_t complaint_id, struct arena *a, struct clock_row **out,
             size_t *n, struct err *e)
{
    struct store_faulty *f = to_faulty(st);

    if (tick(f, "clock_list", e) < 0)
        return -1;
    return FORWARD(f, clock_list, complaint_id, a, out, n, e);
}

static int
f_clock_insert(struct store *st, const struct clock_row *row, int64_t *id, struct err *e)
{
    struct store_faulty *f = to_faulty(st);

    if (tick(f, "clock_insert", e) < 0)
        return -1;
    return FORWARD(f, clock_insert, row, id, e);
}

static int
f_clock_update(struct store *st, const struct clock_row *row, int64_t expect_next_at,
               int64_t expect_stopped_at, bool *updated, struct err *e)
{
    struct store_faulty *f = to_faulty(st);

    if (tick(f, "clock_update", e) < 0)
        return -1;
    return FORWARD(f, clock_update, row, expect_next_at, expect_stopped_at, updated, e);
}

static int
f_clock_due(struct store *st, int64_t now, int limit, struct arena *a, struct clock_row **out,
            size_t *n, struct err *e)
{
    struct store_faulty *f = to_faulty(st);

    if (tick(f, "clock_due", e) < 0)
        return -1;
    return FORWARD(f, clock_due, now, limit, a, out, n, e);
}

static int
f_age_point_set(struct store *st, int64_t complaint_id, int64_t at, struct err *e)
{
    struct store_faulty *f = to_faulty(st);

    if (tick(f, "age_point_set", e) < 0)
        return -1;
    return FORWARD(f, age_point_set, complaint_id, at, e);
}

static int
f_age_due(struct store *st, int64_t now, int limit, struct arena *a, int64_t **ids, size_t *n,
          struct err *e)
{
    struct store_faulty *f = to_faulty(st);

    if (tick(f, "age_due", e) < 0)
        return -1;
    return FORWARD(f, age_due, now, limit, a, ids, n, e);
}

static int
f_lease_acquire(struct store *st, const char *name, const char *holder, int64_t now, int ttl,
                bool *held, struct err *e)
{
    struct store_faulty *f = to_faulty(st);

    if (tick(f, "lease_acquire", e) < 0)
        return -1;
    return FORWARD(f, lease_acquire, name, holder, now, ttl, held, e);
}

static int
f_lease_get(struct store *st, const char *name, struct arena *a, struct lease *out, struct err *e)
{
    struct store_faulty *f = to_faulty(st);

    if (tick(f, "lease_get", e) < 0)
        return -1;
    return FORWARD(f, lease_get, name, a, out, e);
}

static int
f_lease_ticked(struct store *st, const char *name, const char *holder, int64_t now,
               const char *summary, struct err *e)
{
    struct store_faulty *f = to_faulty(st);

    if (tick(f, "lease_ticked", e) < 0)
        return -1;
    return FORWARD(f, lease_ticked, name, holder, now, summary, e);
}

static int
f_backfill_next(struct store *st, int limit, struct arena *a, int64_t **ids, size_t *n,
                struct err *e)
{
    struct store_faulty *f = to_faulty(st);

    if (tick(f, "backfill_next", e) < 0)
        return -1;
    return FORWARD(f, backfill_next, limit, a, ids, n, e);
}

static int
f_lease_backfilled(struct store *st, const char *name, int64_t last_id, struct err *e)
{
    struct store_faulty *f = to_faulty(st);

    if (tick(f, "lease_backfilled", e) < 0)
        return -1;
    return FORWARD(f, lease_backfilled, name, last_id, e);
}

static int
f_escalation_rule_list(struct store *st, struct arena *a, struct escalation_rule_row **out,
                       size_t *n, struct err *e)
{
    struct store_faulty *f = to_faulty(st);

    if (tick(f, "escalation_rule_list", e) < 0)
        return -1;
    return FORWARD(f, escalation_rule_list, a, out, n, e);
}

static int
f_escalation_rule_put(struct store *st, const struct escalation_rule_row *row, struct err *e)
{
    struct store_faulty *f = to_faulty(st);

    if (tick(f, "escalation_rule_put", e) < 0)
        return -1;
    return FORWARD(f, escalation_rule_put, row, e);
}

static int
f_escalation_add(struct store *st, int64_t complaint_id, const char *rule, int64_t at, bool *added,
                 struct err *e)
{
    struct store_faulty *f = to_faulty(st);

    if (tick(f, "escalation_add", e) < 0)
        return -1;
    return FORWARD(f, escalation_add, complaint_id, rule, at, added, e);
}

static int
f_notice_add(struct store *st, const struct notice_new *in, int64_t *id, struct err *e)
{
    struct store_faulty *f = to_faulty(st);

    if (tick(f, "notice_add", e) < 0)
        return -1;
    return FORWARD(f, notice_add, in, id, e);
}

static int
f_notice_list(struct store *st, const struct notice_query *q, struct arena *a, struct notice **out,
              size_t *n, struct err *e)
{
    struct store_faulty *f = to_faulty(st);

    if (tick(f, "notice_list", e) < 0)
        return -1;
    return FORWARD(f, notice_list, q, a, out, n, e);
}

static int
f_notice_get(struct store *st, int64_t id, struct arena *a, struct notice **out, struct err *e)
{
    struct store_faulty *f = to_faulty(st);

    if (tick(f, "notice_get", e) < 0)
        return -1;
    return FORWARD(f, notice_get, id, a, out, e);
}

static int
f_notice_ack(struct store *st, int64_t id, const char *by, const char *note, int64_t at,
             struct err *e)
{
    struct store_faulty *f = to_faulty(st);

    if (tick(f, "notice_ack", e) < 0)
        return -1;
    return FORWARD(f, notice_ack, id, by, note, at, e);
}

static int
f_notice_due(struct store *st, int64_t now, int limit, struct arena *a, struct notice **out,
             size_t *n, struct err *e)
{
    struct store_faulty *f = to_faulty(st);

    if (tick(f, "notice_due", e) < 0)
        return -1;
    return FORWARD(f, notice_due, now, limit, a, out, n, e);
}

static int
f_notice_escalated(struct store *st, int64_t id, int64_t at, bool *updated, struct err *e)
{
    struct store_faulty *f = to_faulty(st);

    if (tick(f, "notice_escalated", e) < 0)
        return -1;
    return FORWARD(f, notice_escalated, id, at, updated, e);
}

static int
f_staff_responsible(struct store *st, const char *project, const char *role, struct arena *a,
                    const char ***logins, size_t *n, struct err *e)
{
    struct store_faulty *f = to_faulty(st);

    if (tick(f, "staff_responsible", e) < 0)
        return -1;
    return FORWARD(f, staff_responsible, project, role, a, logins, n, e);
}
/* ---- end of deadlines ---- */

static const struct store_ops faulty_ops = {
    .name = "faulty",
    .close = f_close,
    .tx_begin = f_tx_begin,
    .tx_commit = f_tx_commit,
    .tx_rollback = f_tx_rollback,
    .savepoint = f_savepoint,
    .savepoint_release = f_savepoint_release,
    .savepoint_rollback = f_savepoint_rollback,
    .set_durable = f_set_durable,
    .health = f_health,
    .migrate = f_migrate,
    .maintain = f_maintain,
    .complaint_create = f_complaint_create,
    .complaint_get = f_complaint_get,
    .complaint_list = f_complaint_list,
    .event_append = f_event_append,
    .event_list = f_event_list,
    .attachment_add = f_attachment_add,
    .attachment_list = f_attachment_list,
    .attachment_get = f_attachment_get,
    .idem_get = f_idem_get,
    .idem_put = f_idem_put,
    .category_list = f_category_list,
    .project_list = f_project_list,
    .unit_list = f_unit_list,
    .project_add = f_project_add,
    .building_add = f_building_add,
    .unit_add = f_unit_add,
    .staff_add = f_staff_add,
    .staff_get = f_staff_get,
    .staff_list = f_staff_list,
    .staff_set_status = f_staff_set_status,
    .staff_set_password = f_staff_set_password,
    .membership_add = f_membership_add,
    .department_add = f_department_add,
    .role_count = f_role_count,
    .audit_append = f_audit_append,
    .audit_scan = f_audit_scan,
    .session_create = f_session_create,
    .credential_find = f_credential_find,
    .credential_touch = f_credential_touch,
    .credential_revoke = f_credential_revoke,
    .session_revoke_staff = f_session_revoke_staff,
    .token_create = f_token_create,
    .token_list = f_token_list,
    .audit_query = f_audit_query,
    .complaint_update = f_complaint_update,
    .person_add = f_person_add,
    .similar_find = f_similar_find,
    .complaint_get_by_id = f_complaint_get_by_id,
    .compensation_add = f_compensation_add,
    .compensation_decide = f_compensation_decide,
    .compensation_list = f_compensation_list,
    .followup_create = f_followup_create,
    .followup_get = f_followup_get,
    .followup_list = f_followup_list,
    .followup_done = f_followup_done,
    .closed_between = f_closed_between,
    .staff_in_role = f_staff_in_role,
    .case_put = f_case_put,
    .case_get = f_case_get,
    .case_list = f_case_list,
    .history_list = f_history_list,
    .complainant_by_phone = f_complainant_by_phone,
    .category_add = f_category_add,
    .category_update = f_category_update,
    .department_list = f_department_list,
    .dispatch_list = f_dispatch_list,
    .dispatch_put = f_dispatch_put,
    .dispatch_find = f_dispatch_find,
    .grade_rule_list = f_grade_rule_list,
    .grade_rule_put = f_grade_rule_put,
    .grade_preset_set = f_grade_preset_set,
    /* ---- calendar ---- */
    .calendar_load = f_calendar_load,
    .calendar_get = f_calendar_get,
    .calendar_put = f_calendar_put,
    .calendar_days_put = f_calendar_days_put,
    /* ---- end of calendar ---- */
    /* ---- notifications ---- */
    .notification_add = f_notification_add,
    .notification_list = f_notification_list,
    .notification_unread = f_notification_unread,
    .notification_read = f_notification_read,
    .notification_read_all = f_notification_read_all,
    .webhook_add = f_webhook_add,
    .webhook_list = f_webhook_list,
    .webhook_get = f_webhook_get,
    .webhook_update = f_webhook_update,
    .delivery_add = f_delivery_add,
    .delivery_due = f_delivery_due,
    .delivery_claim = f_delivery_claim,
    .delivery_record = f_delivery_record,
    .delivery_list = f_delivery_list,
    .delivery_get = f_delivery_get,
    .delivery_replay = f_delivery_replay,
    .template_list = f_template_list,
    .template_get = f_template_get,
    .template_put = f_template_put,
    /* ---- end of notifications ---- */
    /* ---- deadlines ---- */
    .clock_policy_list = f_clock_policy_list,
    .clock_policy_put = f_clock_policy_put,
    .clock_list = f_clock_list,
    .clock_insert = f_clock_insert,
    .clock_update = f_clock_update,
    .clock_due = f_clock_due,
    .age_point_set = f_age_point_set,
    .age_due = f_age_due,
    .lease_acquire = f_lease_acquire,
    .lease_get = f_lease_get,
    .lease_ticked = f_lease_ticked,
    .backfill_next = f_backfill_next,
    .lease_backfilled = f_lease_backfilled,
    .escalation_rule_list = f_escalation_rule_list,
    .escalation_rule_put = f_escalation_rule_put,
    .escalation_add = f_escalation_add,
    .notice_add = f_notice_add,
    .notice_list = f_notice_list,
    .notice_get = f_notice_get,
    .notice_ack = f_notice_ack,
    .notice_due = f_notice_due,
    .notice_escalated = f_notice_escalated,
    .staff_responsible = f_staff_responsible,
    /* ---- end of deadlines ---- */
};

struct store *
store_faulty_wrap(struct store *inner, struct err *e)
{
    struct store_faulty *f;

    if (inner == NULL)
        return NULL;
    f = alloc_malloc(sizeof(*f));
    if (f == NULL) {
        store_close(inner);
        err_set(e, ERR_NOMEM, NULL, "nomem", "faulty store");
        return NULL;
    }
    memset(f, 0, sizeof(*f));
    f->super.ops = &faulty_ops;
    f->inner = inner;
    pthread_mutex_init(&f->lock, NULL);
    return &f->super;
}
