/*
 * The common path of every action on a complaint (issue 4; DOMAIN §6): in
 * one write job, load the complaint (404 outside the caller's projects),
 * ask core/workflow.c whether the action may be taken in its status (409
 * otherwise), let the action make its changes and events, re-run the
 * grading rules when facts may have changed, write the audit entry, and
 * answer with the complaint as it now is. Either all of it commits or none.
 */
#include "http/handlers.h"
#include "core/grading.h"
#include "svc/svc.h"

#include <stdlib.h>
#include <string.h>

static int
nomem(struct err *e)
{
    return err_set(e, ERR_NOMEM, NULL, "nomem", "out of memory");
}

void
life_ctx(struct req *r, struct svc_ctx *x)
{
    x->a = r->arena;
    x->now = r->now;
    x->actor = r->who ? r->who->login : NULL;
    x->tz_min = r->srv->cfg->tz_offset_min;
}

int
life_event(struct store *st, struct req *r, const struct complaint *c, const char *type,
           const char *visibility, const char *text, json_t *data, struct err *e)
{
    struct svc_ctx x;

    life_ctx(r, &x);
    return svc_event(st, &x, c, type, visibility, text, data, e);
}

int
life_regrade(struct store *st, struct req *r, struct complaint *c, bool propagate,
             struct err *e)
{
    struct svc_ctx x;

    life_ctx(r, &x);
    return svc_regrade(st, &x, c, propagate, e);
}

int
life_preset(struct store *st, struct req *r, const struct grade_preset **out, struct err *e)
{
    struct svc_ctx x;
    struct svc_rules rs;

    life_ctx(r, &x);
    if (svc_rules_load(st, &x, &rs, e) < 0)
        return -1;
    *out = rs.preset;
    return 0;
}

/* All the facts of c at r->now, as the rules see them. */
static int
facts_of(struct store *st, struct req *r, const struct complaint *c, const struct svc_rules *rs,
         struct grade_facts *f, struct err *e)
{
    struct svc_ctx x;
    size_t n;
    int similar;

    life_ctx(r, &x);
    if (svc_similar_of(st, &x, c, svc_similar_cap(rs), NULL, &n, &similar, e) < 0)
        return -1;
    svc_facts(c, r->now, similar, f);
    return svc_facts_handling(st, &x, c, rs->preset, f, e);
}

int
life_rules_holding(struct store *st, struct req *r, const struct complaint *c,
                   const char **codes, struct err *e)
{
    struct svc_ctx x;
    struct svc_rules rs;
    struct grade_facts f;
    struct grade_result res;
    struct sbuf sb;

    life_ctx(r, &x);
    if (svc_rules_load(st, &x, &rs, e) < 0 || facts_of(st, r, c, &rs, &f, e) < 0)
        return -1;
    core_grade_evaluate(rs.preset, rs.rule, rs.n, &f, &res);
    sbuf_init(&sb, 4096);
    for (size_t i = 0; i < res.n_fired; i++)
        sbuf_addf(&sb, "%s%s", i ? "," : "", res.fired[i]);
    *codes = sb.failed ? NULL : arena_strdup(r->arena, sb.buf);
    sbuf_release(&sb);
    return *codes ? 0 : nomem(e);
}

/* ---- the grade explained: GET /api/complaints/:number/grade ---- */

static json_t *
explain(const struct complaint *c, const struct svc_rules *rs, const struct grade_facts *fp)
{
    const struct grade_facts f = *fp;
    struct grade_result res;
    json_t *facts = json_object(), *rules = json_array(), *levels = json_array();

    core_grade_evaluate(rs->preset, rs->rule, rs->n, &f, &res);
    for (int i = 0; facts != NULL && i < GF_COUNT; i++)
        json_object_set_new(facts, core_grade_fact_name((enum grade_fact)i),
                            json_integer(f.v[i]));
    for (size_t i = 0; rules != NULL && i < rs->n; i++) {
        bool holds = rs->rule[i].enabled && core_grade_condition_holds(&rs->rule[i].cond, &f);
        json_array_append_new(
            rules, json_pack("{s:s, s:s, s:s, s:s, s:s, s:b, s:b}", "code", rs->row[i].code,
                             "grade", rs->row[i].grade, "condition", rs->row[i].condition,
                             "description_zh", rs->row[i].description_zh, "description_en",
                             rs->row[i].description_en, "enabled", rs->row[i].enabled, "holds",
                             holds));
    }
    for (const struct grade_level *l = rs->preset->levels; levels && l->code; l++)
        json_array_append_new(levels, json_pack("{s:s, s:s, s:s}", "code", l->code, "name_zh",
                                                l->name_zh, "name_en", l->name_en));
    return json_pack("{s:s, s:o, s:s, s:o, s:s, s:o, s:o, s:o, s:o}", "number", c->number,
                     "grade", c->grade ? json_string(c->grade) : json_null(), "preset",
                     rs->preset->name, "levels", levels ? levels : json_array(),
                     "rules_grade", res.grade, "rule", res.rule ? json_string(res.rule)
                                                                : json_null(),
                     "overridden", c->grade_overrides ? json_string(c->grade_overrides)
                                                      : json_null(),
                     "facts", facts ? facts : json_object(), "rules",
                     rules ? rules : json_array());
}

int
h_grade_get(struct req *r, struct err *e)
{
    struct store *st = http_reader(r, e);
    struct complaint *c;
    struct svc_ctx x;
    struct svc_rules rs;
    struct grade_facts f;
    json_t *body;

    life_ctx(r, &x);
    if (st == NULL || (c = http_path_complaint(st, r, e)) == NULL ||
        svc_rules_load(st, &x, &rs, e) < 0 || facts_of(st, r, c, &rs, &f, e) < 0)
        return -1;
    body = explain(c, &rs, &f);
    if (body == NULL)
        return nomem(e);
    return http_reply_json(r, 200, body) < 0 ? nomem(e) : 0;
}

/* ---- the write job ---- */

struct life_job {
    const struct life_spec *spec;
    void *in;
    const char *key;
    unsigned char hash[32];
};

static int
life_run(struct store *st, struct store_job *job, struct err *e)
{
    struct req *r = job->ctx;
    struct life_job *lj = r->ctx;
    const struct life_spec *spec = lj->spec;
    struct svc_ctx x;
    struct complaint *c;
    const char *next;
    int replayed = 0;
    int status = spec->created ? 201 : 200;

    if (lj->key != NULL && (replayed = idem_replay(st, r, lj->key, lj->hash, e)) != 0)
        return replayed < 0 ? -1 : 0;
    if ((c = http_path_complaint(st, r, e)) == NULL ||
        core_wf_next(c->status, spec->action, &next, e) < 0 ||
        spec->apply(st, r, c, next, lj->in, e) < 0)
        return -1;
    /* what the action changed, as stored, is what the rules and the answer see */
    life_ctx(r, &x);
    if (st->ops->complaint_get_by_id(st, c->id, r->arena, &c, e) < 0 ||
        (spec->regrade && life_regrade(st, r, c, spec->propagate, e) < 0) ||
        svc_clocks_sync(st, &x, c, e) < 0 || svc_escalate(st, &x, c, e) < 0)
        return -1;
    if (http_audit_json(st, r, spec->audit, c->number,
                        json_pack("{s:s, s:s, s:s*}", "action",
                                  core_wf_action_name(spec->action), "status", c->status, "via",
                                  spec->via),
                        e) < 0)
        return -1;
    if (spec->reply != NULL) {
        if (spec->reply(st, r, c, lj->in, e) < 0)
            return -1;
    } else if (http_reply_complaint(st, r, c, status, e) < 0) {
        return -1;
    }
    if (lj->key != NULL && idem_remember(st, r, lj->key, lj->hash, e) < 0)
        return -1;
    return 0;
}

int
life_submit(struct req *r, const struct life_spec *spec, void *in, struct err *e)
{
    struct life_job *lj = arena_zalloc(r->arena, sizeof(*lj));

    if (lj == NULL)
        return nomem(e);
    lj->spec = spec;
    lj->in = in;
    if (idem_key(r, &lj->key, lj->hash, e) < 0)
        return -1;
    r->ctx = lj;
    return http_submit(r, life_run);
}

int
life_change(struct store *st, const struct complaint *c, const struct complaint_change *ch,
            struct err *e)
{
    return st->ops->complaint_update(st, c->id, ch, e);
}
