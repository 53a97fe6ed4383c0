/*
 * The one table of routes. Every route the server answers is here with the
 * permission it needs; the API tests compare this set with docs/openapi.json
 * both ways and walk it with every role against docs/permissions.md.
 */
#include "http/handlers.h"

#include <stdio.h>
#include <string.h>

const struct route http_routes[] = {
    { HTTP_GET, "/api/health", h_health, BODY_NONE, PERM_PUBLIC },
    { HTTP_GET, "/api/openapi.json", h_openapi, BODY_NONE, PERM_PUBLIC },
    { HTTP_POST, "/api/session", h_session_create, BODY_JSON, PERM_PUBLIC },
    { HTTP_GET, "/api/session", h_session_get, BODY_NONE, PERM_SIGNED_IN },
    { HTTP_DELETE, "/api/session", h_session_delete, BODY_NONE, PERM_SIGNED_IN },
    { HTTP_POST, "/api/session/password", h_session_password, BODY_JSON, PERM_SIGNED_IN },
    { HTTP_GET, "/api/categories", h_category_list, BODY_NONE, PERM_SIGNED_IN },
    { HTTP_GET, "/api/projects", h_project_list, BODY_NONE, PERM_SIGNED_IN },
    { HTTP_POST, "/api/projects", h_project_create, BODY_JSON, PERM_CONFIG_ADMIN },
    { HTTP_GET, "/api/projects/:code/units", h_unit_list, BODY_NONE, PERM_SIGNED_IN },
    { HTTP_POST, "/api/projects/:code/units", h_unit_create, BODY_JSON, PERM_CONFIG_ADMIN },
    { HTTP_GET, "/api/complaints", h_complaint_list, BODY_NONE, PERM_COMPLAINT_READ },
    { HTTP_POST, "/api/complaints", h_complaint_create, BODY_JSON, PERM_COMPLAINT_CREATE },
    { HTTP_GET, "/api/complaints/:number", h_complaint_get, BODY_NONE, PERM_COMPLAINT_READ },
    { HTTP_POST, "/api/complaints/:number/contact", h_contact_reveal, BODY_JSON,
      PERM_CONTACT_REVEAL },
    { HTTP_GET, "/api/complaints/:number/events", h_event_list, BODY_NONE, PERM_COMPLAINT_READ },
    { HTTP_POST, "/api/complaints/:number/events", h_event_create, BODY_JSON,
      PERM_EVENT_CREATE },
    { HTTP_GET, "/api/complaints/:number/attachments", h_attachment_list, BODY_NONE,
      PERM_ATTACHMENT_READ },
    { HTTP_POST, "/api/complaints/:number/attachments", h_attachment_create, BODY_UPLOAD,
      PERM_ATTACHMENT_CREATE },
    { HTTP_GET, "/api/complaints/:number/attachments/:id", h_attachment_get, BODY_NONE,
      PERM_ATTACHMENT_READ },
    { HTTP_POST, "/api/complaints/:number/accept", h_complaint_accept, BODY_JSON,
      PERM_COMPLAINT_CREATE },
    { HTTP_POST, "/api/complaints/:number/triage", h_complaint_triage, BODY_JSON,
      PERM_COMPLAINT_TRIAGE },
    { HTTP_POST, "/api/complaints/:number/assign", h_complaint_assign, BODY_JSON,
      PERM_COMPLAINT_TRIAGE },
    { HTTP_POST, "/api/complaints/:number/return", h_complaint_return, BODY_JSON,
      PERM_COMPLAINT_HANDLE },
    { HTTP_POST, "/api/complaints/:number/invalidate", h_complaint_invalidate, BODY_JSON,
      PERM_COMPLAINT_TRIAGE },
    { HTTP_POST, "/api/complaints/:number/facts", h_complaint_facts, BODY_JSON,
      PERM_COMPLAINT_HANDLE },
    { HTTP_POST, "/api/complaints/:number/people", h_complaint_person_add, BODY_JSON,
      PERM_COMPLAINT_HANDLE },
    { HTTP_GET, "/api/complaints/:number/grade", h_grade_get, BODY_NONE, PERM_COMPLAINT_READ },
    { HTTP_POST, "/api/complaints/:number/grade", h_grade_evaluate, BODY_JSON,
      PERM_COMPLAINT_HANDLE },
    { HTTP_POST, "/api/complaints/:number/compensations", h_compensation_create, BODY_JSON,
      PERM_COMPLAINT_HANDLE },
    { HTTP_POST, "/api/complaints/:number/compensations/:id/decision", h_compensation_decide,
      BODY_JSON, PERM_COMPENSATION_APPROVE },
    { HTTP_POST, "/api/complaints/:number/agreement", h_complaint_agreement, BODY_JSON,
      PERM_COMPLAINT_HANDLE },
    { HTTP_POST, "/api/complaints/:number/resolve", h_complaint_resolve, BODY_JSON,
      PERM_COMPLAINT_HANDLE },
    { HTTP_POST, "/api/complaints/:number/close", h_complaint_close, BODY_JSON,
      PERM_COMPLAINT_HANDLE },
    { HTTP_POST, "/api/complaints/:number/dispute", h_complaint_dispute, BODY_JSON,
      PERM_COMPLAINT_HANDLE },
    { HTTP_POST, "/api/complaints/:number/reopen", h_complaint_reopen, BODY_JSON,
      PERM_COMPLAINT_REOPEN },
    { HTTP_POST, "/api/complaints/:number/archive", h_complaint_archive, BODY_JSON,
      PERM_COMPLAINT_TRIAGE },
    { HTTP_POST, "/api/complaints/:number/case", h_case_mark, BODY_JSON, PERM_CASE_WRITE },
    { HTTP_GET, "/api/complaints/:number/history", h_history_get, BODY_NONE,
      PERM_COMPLAINT_READ },
    { HTTP_POST, "/api/customers/history", h_customer_history, BODY_JSON, PERM_COMPLAINT_READ },
    { HTTP_GET, "/api/followups", h_followup_list, BODY_NONE, PERM_FOLLOWUP },
    { HTTP_GET, "/api/followups/:id", h_followup_get, BODY_NONE, PERM_FOLLOWUP },
    { HTTP_POST, "/api/followups/:id", h_followup_record, BODY_JSON, PERM_FOLLOWUP },
    { HTTP_GET, "/api/followup-samples", h_sample_list, BODY_NONE, PERM_FOLLOWUP },
    { HTTP_POST, "/api/followup-samples", h_sample_create, BODY_JSON, PERM_FOLLOWUP },
    { HTTP_GET, "/api/cases", h_case_list, BODY_NONE, PERM_SIGNED_IN },
    { HTTP_GET, "/api/cases/:number", h_case_get, BODY_NONE, PERM_SIGNED_IN },
    { HTTP_POST, "/api/categories", h_category_create, BODY_JSON, PERM_CONFIG_ADMIN },
    { HTTP_PATCH, "/api/categories/:code", h_category_update, BODY_JSON, PERM_CONFIG_ADMIN },
    { HTTP_PATCH, "/api/categories/:parent/:code", h_subcategory_update, BODY_JSON,
      PERM_CONFIG_ADMIN },
    { HTTP_GET, "/api/departments", h_department_list, BODY_NONE, PERM_SIGNED_IN },
    /* complaint.triage in the project asked about, or user.admin: checked by the handler */
    { HTTP_GET, "/api/staff", h_staff_list, BODY_NONE, PERM_SIGNED_IN },
    { HTTP_GET, "/api/dispatch-rules", h_dispatch_list, BODY_NONE, PERM_SIGNED_IN },
    { HTTP_PUT, "/api/dispatch-rules", h_dispatch_put, BODY_JSON, PERM_CONFIG_ADMIN },
    { HTTP_GET, "/api/grading-rules", h_grade_rule_list, BODY_NONE, PERM_SIGNED_IN },
    { HTTP_PUT, "/api/grading-rules/:code", h_grade_rule_put, BODY_JSON, PERM_CONFIG_ADMIN },
    /* ---- calendar (issue 5) ---- */
    { HTTP_GET, "/api/calendar", h_calendar_get, BODY_NONE, PERM_SIGNED_IN },
    { HTTP_PUT, "/api/calendar", h_calendar_put, BODY_JSON, PERM_CONFIG_ADMIN },
    { HTTP_PUT, "/api/calendar/days/:date", h_calendar_day_put, BODY_JSON, PERM_CONFIG_ADMIN },
    { HTTP_POST, "/api/calendar/import", h_calendar_import, BODY_JSON, PERM_CONFIG_ADMIN },
    /* ---- end of calendar ---- */
    /* ---- notifications (issue 5) ---- */
    { HTTP_GET, "/api/notifications", h_notification_list, BODY_NONE, PERM_SIGNED_IN },
    { HTTP_GET, "/api/notifications/unread-count", h_notification_unread, BODY_NONE,
      PERM_SIGNED_IN },
    { HTTP_POST, "/api/notifications/:id/read", h_notification_read, BODY_NONE,
      PERM_SIGNED_IN },
    { HTTP_POST, "/api/notifications/read-all", h_notification_read_all, BODY_NONE,
      PERM_SIGNED_IN },
    { HTTP_GET, "/api/webhooks", h_webhook_list, BODY_NONE, PERM_CONFIG_ADMIN },
    { HTTP_POST, "/api/webhooks", h_webhook_create, BODY_JSON, PERM_CONFIG_ADMIN },
    { HTTP_PATCH, "/api/webhooks/:id", h_webhook_update, BODY_JSON, PERM_CONFIG_ADMIN },
    { HTTP_GET, "/api/deliveries", h_delivery_list, BODY_NONE, PERM_CONFIG_ADMIN },
    { HTTP_GET, "/api/deliveries/:id", h_delivery_get, BODY_NONE, PERM_CONFIG_ADMIN },
    { HTTP_POST, "/api/deliveries/:id/replay", h_delivery_replay, BODY_NONE, PERM_CONFIG_ADMIN },
    { HTTP_GET, "/api/message-templates", h_template_list, BODY_NONE, PERM_CONFIG_ADMIN },
    { HTTP_PUT, "/api/message-templates/:code/:lang", h_template_put, BODY_JSON,
      PERM_CONFIG_ADMIN },
    /* ---- end of notifications ---- */
    /* ---- deadlines (issue 5) ---- */
    { HTTP_POST, "/api/complaints/:number/clocks/:clock/pause", h_clock_pause, BODY_JSON,
      PERM_COMPLAINT_HANDLE },
    { HTTP_POST, "/api/complaints/:number/clocks/:clock/resume", h_clock_resume, BODY_JSON,
      PERM_COMPLAINT_HANDLE },
    { HTTP_GET, "/api/clock-policy", h_clock_policy_list, BODY_NONE, PERM_SIGNED_IN },
    { HTTP_PUT, "/api/clock-policy/:grade/:clock", h_clock_policy_put, BODY_JSON,
      PERM_CONFIG_ADMIN },
    { HTTP_GET, "/api/escalation-rules", h_escalation_rule_list, BODY_NONE, PERM_SIGNED_IN },
    { HTTP_PUT, "/api/escalation-rules/:code", h_escalation_rule_put, BODY_JSON,
      PERM_CONFIG_ADMIN },
    { HTTP_GET, "/api/notices", h_notice_list, BODY_NONE, PERM_SIGNED_IN },
    { HTTP_POST, "/api/notices/:id/ack", h_notice_ack, BODY_JSON, PERM_SIGNED_IN },
    { HTTP_GET, "/api/scheduler", h_scheduler_get, BODY_NONE, PERM_CONFIG_ADMIN },
    /* ---- end of deadlines ---- */
    /* ---- customer portal (issue 6): anonymous (http_route_anonymous) ---- */
    { HTTP_GET, "/api/portal/form", h_portal_form, BODY_NONE, PERM_PUBLIC },
    { HTTP_GET, "/api/portal/projects/:code/units", h_unit_list, BODY_NONE, PERM_PUBLIC },
    { HTTP_POST, "/api/portal/complaints", h_portal_file, BODY_JSON, PERM_PUBLIC },
    { HTTP_POST, "/api/portal/complaints/:number/attachments", h_portal_attachment, BODY_UPLOAD,
      PERM_PUBLIC },
    { HTTP_POST, "/api/portal/track", h_portal_track, BODY_JSON, PERM_PUBLIC },
    { HTTP_POST, "/api/portal/complaints/:number/confirm", h_portal_confirm, BODY_JSON,
      PERM_PUBLIC },
    { HTTP_POST, "/api/portal/complaints/:number/rating", h_portal_rating, BODY_JSON,
      PERM_PUBLIC },
    /* ---- end of customer portal ---- */

    { HTTP_POST, "/api/exports/complaints", h_export_complaints, BODY_JSON, PERM_EXPORT },
    { HTTP_GET, "/api/audit", h_audit_list, BODY_NONE, PERM_AUDIT_READ },
    { HTTP_GET, "/api/users", h_user_list, BODY_NONE, PERM_USER_ADMIN },
    { HTTP_POST, "/api/users", h_user_create, BODY_JSON, PERM_USER_ADMIN },
    { HTTP_POST, "/api/users/:login/status", h_user_status, BODY_JSON, PERM_USER_ADMIN },
    { HTTP_POST, "/api/users/:login/password", h_user_password, BODY_JSON, PERM_USER_ADMIN },
    { HTTP_POST, "/api/users/:login/roles", h_user_role, BODY_JSON, PERM_USER_ADMIN },
    { HTTP_GET, "/api/tokens", h_token_list, BODY_NONE, PERM_TOKEN_ADMIN },
    { HTTP_POST, "/api/tokens", h_token_create, BODY_JSON, PERM_TOKEN_ADMIN },
    { HTTP_DELETE, "/api/tokens/:id", h_token_revoke, BODY_NONE, PERM_TOKEN_ADMIN },
};
const size_t http_routes_count = sizeof(http_routes) / sizeof(http_routes[0]);

static const char *const method_names[] = {
    [HTTP_GET] = "GET", [HTTP_HEAD] = "HEAD", [HTTP_POST] = "POST", [HTTP_PUT] = "PUT",
    [HTTP_PATCH] = "PATCH", [HTTP_DELETE] = "DELETE", [HTTP_OPTIONS] = "OPTIONS",
    [HTTP_OTHER] = "OTHER",
};

bool
http_route_anonymous(const struct route *rt)
{
    static const char portal[] = "/api/portal/";

    return rt->perm == PERM_PUBLIC && strncmp(rt->pattern, portal, sizeof(portal) - 1) == 0;
}

const char *
http_method_name(enum http_method m)
{
    return method_names[m];
}

enum http_method
http_method_parse(const char *s)
{
    for (int m = HTTP_GET; m < HTTP_OTHER; m++)
        if (strcmp(s, method_names[m]) == 0)
            return (enum http_method)m;
    return HTTP_OTHER;
}

/*
 * Match `path` against `pattern` segment by segment; ":name" takes one
 * non-empty segment. A trailing slash does not match.
 */
static bool
match(const char *pattern, const char *path, const char *params[HTTP_PARAMS_MAX],
      char *buf, size_t buf_size)
{
    size_t np = 0, used = 0;

    while (*pattern && *path) {
        if (*pattern != '/' || *path != '/')
            return false;
        pattern++;
        path++;
        if (*pattern == ':') {
            size_t n = strcspn(path, "/");
            if (n == 0 || np == HTTP_PARAMS_MAX || used + n + 1 > buf_size)
                return false;
            memcpy(buf + used, path, n);
            buf[used + n] = '\0';
            params[np++] = buf + used;
            used += n + 1;
            path += n;
            pattern += strcspn(pattern, "/");
        } else {
            size_t n = strcspn(pattern, "/");
            if (strncmp(pattern, path, n) != 0 || (path[n] != '/' && path[n] != '\0'))
                return false;
            pattern += n;
            path += n;
        }
    }
    return *pattern == '\0' && *path == '\0';
}

const struct route *
http_route_find(enum http_method m, const char *path, const char *params[HTTP_PARAMS_MAX],
                char *allow, size_t allow_size, struct err *e)
{
    /* parameters point into this buffer, copied into the request by the caller's arena */
    static _Thread_local char buf[2048];
    const char *scratch[HTTP_PARAMS_MAX] = { NULL };
    enum http_method want = m == HTTP_HEAD ? HTTP_GET : m;
    size_t used = 0;
    bool path_known = false;

    allow[0] = '\0';
    for (size_t i = 0; i < http_routes_count; i++) {
        const struct route *r = &http_routes[i];
        /* a pattern that failed half-way may have filled some: none may reach the next one */
        memset(scratch, 0, sizeof(scratch));
        if (!match(r->pattern, path, scratch, buf, sizeof(buf)))
            continue;
        if (r->method == want) {
            memcpy(params, scratch, sizeof(scratch));
            return r;
        }
        path_known = true;
        used += (size_t)snprintf(allow + used, used < allow_size ? allow_size - used : 0, "%s%s%s",
                                 used ? ", " : "", http_method_name(r->method),
                                 r->method == HTTP_GET ? ", HEAD" : "");
        if (used >= allow_size)
            used = allow_size - 1;
    }
    if (path_known)
        err_set(e, ERR_METHOD, NULL, "method_not_allowed", "%s not allowed", http_method_name(m));
    else
        err_set(e, ERR_NOT_FOUND, NULL, "no_route", "no route");
    return NULL;
}
