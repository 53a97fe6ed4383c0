#include "core/perm.h"

#include <stdio.h>
#include <string.h>

static const char *const perm_names[PERM_COUNT] = {
    [PERM_PUBLIC] = "public",
    [PERM_SIGNED_IN] = "signed_in",
    [PERM_COMPLAINT_READ] = "complaint.read",
    [PERM_COMPLAINT_CREATE] = "complaint.create",
    [PERM_EVENT_CREATE] = "event.create",
    [PERM_ATTACHMENT_READ] = "attachment.read",
    [PERM_ATTACHMENT_CREATE] = "attachment.create",
    [PERM_CONTACT_REVEAL] = "contact.reveal",
    [PERM_EXPORT] = "export",
    [PERM_AUDIT_READ] = "audit.read",
    [PERM_USER_ADMIN] = "user.admin",
    [PERM_TOKEN_ADMIN] = "token.admin",
    [PERM_COMPLAINT_TRIAGE] = "complaint.triage",
    [PERM_COMPLAINT_HANDLE] = "complaint.handle",
    [PERM_COMPENSATION_APPROVE] = "compensation.approve",
    [PERM_FOLLOWUP] = "followup",
    [PERM_COMPLAINT_REOPEN] = "complaint.reopen",
    [PERM_CASE_WRITE] = "case.write",
    [PERM_CONFIG_ADMIN] = "config.admin",
};

/*
 * The matrix (docs/permissions.md says the same in words; a unit test
 * compares them). Rows are permissions, columns the roles in the order of
 * core_roles_staff: operator handler supervisor manager executive centre
 * auditor admin. Choices worth knowing:
 *   - the auditor reads everything and changes nothing (DOMAIN §5);
 *   - the administrator runs the system but reads no complaint: separating
 *     duties keeps customers' data with the people who serve them;
 *   - unmasked contact details are for the roles that call customers back;
 *     the executive and the auditor see masked ones;
 *   - exports of personal data are for managers and the service centre;
 *   - triage and dispatch are the supervisors', managers' and centre's; an
 *     operator registers and may reopen (a second complaint arrives at the
 *     hotline), a handler works the case and may return it (退单);
 *   - compensation above the threshold needs a manager (or the executive);
 *   - follow-up calls are made by supervisors and the centre, never by the
 *     handler (the call is a check on the handling).
 */
static const char *const matrix[PERM_COUNT] = {
    /*                          o h s m e c a A */
    [PERM_PUBLIC] =            "x x x x x x x x",
    [PERM_SIGNED_IN] =         "x x x x x x x x",
    [PERM_COMPLAINT_READ] =    "x x x x x x x -",
    [PERM_COMPLAINT_CREATE] =  "x x x x - x - -",
    [PERM_EVENT_CREATE] =      "x x x x x x - -",
    [PERM_ATTACHMENT_READ] =   "x x x x x x x -",
    [PERM_ATTACHMENT_CREATE] = "x x x x - x - -",
    [PERM_CONTACT_REVEAL] =    "x x x x - x - -",
    [PERM_EXPORT] =            "- - - x - x - -",
    [PERM_AUDIT_READ] =        "- - - - - - x -",
    [PERM_USER_ADMIN] =        "- - - - - - - x",
    [PERM_TOKEN_ADMIN] =       "- - - - - - - x",
    [PERM_COMPLAINT_TRIAGE] =  "- - x x - x - -",
    [PERM_COMPLAINT_HANDLE] =  "- x x x - x - -",
    [PERM_COMPENSATION_APPROVE] = "- - - x x - - -",
    [PERM_FOLLOWUP] =          "- - x x - x - -",
    [PERM_COMPLAINT_REOPEN] =  "x - x x - x - -",
    [PERM_CASE_WRITE] =        "- - x x - x - -",
    [PERM_CONFIG_ADMIN] =      "- - - - - - - x",
};

const char *
core_perm_name(enum perm p)
{
    return (unsigned)p < PERM_COUNT ? perm_names[p] : "?";
}

int
core_perm_parse(const char *name)
{
    for (int p = PERM_COMPLAINT_READ; p < PERM_COUNT; p++)
        if (strcmp(name, perm_names[p]) == 0)
            return p;
    return -1;
}

static int
role_index(const char *role)
{
    for (int i = 0; core_roles_staff[i] != NULL; i++)
        if (strcmp(role, core_roles_staff[i]) == 0)
            return i;
    return -1;
}

bool
core_role_has(const char *role, enum perm p)
{
    int i = role_index(role);

    if (i < 0 || (unsigned)p >= PERM_COUNT)
        return false;
    return matrix[p][2 * i] == 'x';
}

bool
core_perm_is_scoped(enum perm p)
{
    switch (p) {
    case PERM_COMPLAINT_READ:
    case PERM_COMPLAINT_CREATE:
    case PERM_EVENT_CREATE:
    case PERM_ATTACHMENT_READ:
    case PERM_ATTACHMENT_CREATE:
    case PERM_CONTACT_REVEAL:
    case PERM_EXPORT:
    case PERM_COMPLAINT_TRIAGE:
    case PERM_COMPLAINT_HANDLE:
    case PERM_COMPENSATION_APPROVE:
    case PERM_FOLLOWUP:
    case PERM_COMPLAINT_REOPEN:
    case PERM_CASE_WRITE:
        return true;
    default:
        return false;
    }
}

static bool
scope_allows(const struct principal *p, enum perm perm)
{
    return perm < PERM_COMPLAINT_READ || (p->scopes & (1u << perm)) != 0;
}

/* Does membership m grant perm on project (NULL: anywhere)? */
static bool
membership_grants(const struct membership *m, enum perm perm, const char *project)
{
    if (!core_role_has(m->role, perm))
        return false;
    if (!core_perm_is_scoped(perm) || m->project == NULL || project == NULL)
        return true;
    return strcmp(m->project, project) == 0;
}

bool
core_can(const struct principal *p, enum perm perm, const char *project)
{
    if (perm == PERM_PUBLIC)
        return true;
    if (p == NULL)
        return false;
    if (perm == PERM_SIGNED_IN)
        return true;
    if (!scope_allows(p, perm))
        return false;
    /*
     * A token held to one project holds nothing company-wide: with
     * token.admin it could mint itself an unlimited token, with audit.read
     * it would read every project's log.
     */
    if (p->project_limit != NULL && !core_perm_is_scoped(perm))
        return false;
    if (core_perm_is_scoped(perm) && p->project_limit != NULL) {
        if (project != NULL && strcmp(project, p->project_limit) != 0)
            return false;
        if (project == NULL)
            project = p->project_limit;
    }
    for (size_t i = 0; i < p->n_memberships; i++)
        if (membership_grants(&p->memberships[i], perm, project))
            return true;
    return false;
}

static bool
listed(const char **list, size_t n, const char *code)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(list[i], code) == 0)
            return true;
    return false;
}

int
core_can_where(const struct principal *p, enum perm perm, const char **out, size_t max,
               size_t *n, bool *all, struct err *e)
{
    *n = 0;
    *all = false;
    if (!core_can(p, perm, NULL))
        return 0;
    if (p->project_limit != NULL && core_perm_is_scoped(perm)) {
        if (max == 0)
            return err_set(e, ERR_INVALID, "project", "too_many", "no room for a project");
        out[(*n)++] = p->project_limit;
        return 0;
    }
    for (size_t i = 0; i < p->n_memberships; i++) {
        const struct membership *m = &p->memberships[i];
        if (!core_role_has(m->role, perm))
            continue;
        if (m->project == NULL || !core_perm_is_scoped(perm)) {
            *all = true;
            *n = 0;
            return 0;
        }
        if (listed(out, *n, m->project))
            continue;
        if (*n == max)
            return err_set(e, ERR_INVALID, "project", "too_many",
                           "member of more than %zu projects", max);
        out[(*n)++] = m->project;
    }
    return 0;
}

int
core_scopes_parse(const char *text, uint32_t *out, struct err *e)
{
    char name[64];

    *out = 0;
    if (strcmp(text, "*") == 0) {
        *out = CORE_SCOPES_ALL;
        return 0;
    }
    while (*text != '\0') {
        size_t len = strcspn(text, ",");
        int p;
        if (len == 0 || len >= sizeof(name))
            return err_set(e, ERR_INVALID, "scopes", len ? "unknown" : "empty",
                           "scope '%.*s'", (int)(len > 40 ? 40 : len), text);
        memcpy(name, text, len);
        name[len] = '\0';
        p = core_perm_parse(name);
        if (p < 0)
            return err_set(e, ERR_INVALID, "scopes", "unknown", "no scope '%s'", name);
        if (*out & (1u << p))
            return err_set(e, ERR_INVALID, "scopes", "repeated", "scope '%s' twice", name);
        *out |= 1u << p;
        text += len;
        if (*text == ',' && *++text == '\0')
            return err_set(e, ERR_INVALID, "scopes", "empty", "trailing comma");
    }
    if (*out == 0)
        return err_set(e, ERR_INVALID, "scopes", "empty", "no scope");
    return 0;
}

void
core_scopes_format(uint32_t scopes, char *buf, size_t size)
{
    size_t used = 0;

    if (size == 0)
        return;
    buf[0] = '\0';
    for (int p = PERM_COMPLAINT_READ; p < PERM_COUNT; p++) {
        if (!(scopes & (1u << p)))
            continue;
        int w = snprintf(buf + used, size - used, "%s%s", used ? "," : "", perm_names[p]);
        if (w < 0 || (size_t)w >= size - used) {
            buf[used] = '\0';   /* whole names only */
            return;
        }
        used += (size_t)w;
    }
}
