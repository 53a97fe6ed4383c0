#include "core/complaint.h"
#include "util/utf8.h"

#include <stdio.h>
#include <string.h>

const char *const core_channels[] = {
    "phone", "visit", "letter", "email", "web", "wechat", "media", "government", "internal", NULL,
};
const char *const core_kinds[] = {
    "complaint", "inquiry", "suggestion", "repair", "claim", NULL,
};
const char *const core_comm_types[] = { "help", "inquiry", "venting", NULL };
const char *const core_roles[] = { "owner", "tenant", "prospect", "other", NULL };
const char *const core_statuses[] = {
    "received", "registered", "in_progress", "resolved", "closed",
    "followed_up", "archived", "invalid", NULL,
};
const char *const core_natures[] = { "valid", "assisted", "invalid", "undetermined", NULL };

const struct core_flag_name core_flag_names[] = {
    { "injury", CORE_FLAG_INJURY },
    { "media", CORE_FLAG_MEDIA },
    { "lawsuit", CORE_FLAG_LAWSUIT },
    { "threat_media", CORE_FLAG_THREAT_MEDIA },
    { "threat_lawsuit", CORE_FLAG_THREAT_LAWSUIT },
    { "vip", CORE_FLAG_VIP },
    { NULL, 0 },
};

void
core_complaint_new_init(struct complaint_new *c)
{
    memset(c, 0, sizeof(*c));
    c->kind = "complaint";
    c->headcount = 1;
    c->complainant.role = "other";
}

int
core_complaint_check(struct complaint_new *c, int64_t now, struct err *e)
{
    if (!c->has_received_at) {
        c->received_at = now;
        c->has_received_at = true;
    } else if (c->received_at > now + CORE_FUTURE_SKEW) {
        return err_set(e, ERR_INVALID, "received_at", "in_future",
                       "received_at is %lld s ahead of now", (long long)(c->received_at - now));
    }
    c->received_at -= c->received_at % 60;
    if (c->unit != NULL && c->building == NULL)
        return err_set(e, ERR_INVALID, "unit", "requires_building", "unit without building");
    if (c->subcategory != NULL && c->category == NULL)
        return err_set(e, ERR_INVALID, "subcategory", "requires_category",
                       "subcategory without category");
    if (!c->complainant.anonymous && c->complainant.phone == NULL && c->complainant.email == NULL)
        return err_set(e, ERR_INVALID, "complainant.phone", "required",
                       "a named complainant needs a phone number or an e-mail address");
    return 0;
}

static bool
accepted_later(const char *channel)
{
    return strcmp(channel, "web") == 0 || strcmp(channel, "email") == 0;
}

const char *
core_initial_status(const char *channel)
{
    return accepted_later(channel) ? "received" : "registered";
}

const char *
core_initial_event(const char *channel)
{
    return accepted_later(channel) ? "received" : "registered";
}

int
core_text_check(const char *field, const char *s, size_t len, size_t max_chars, bool multiline,
                struct err *e)
{
    size_t chars;

    if (len == 0)
        return err_set(e, ERR_INVALID, field, "empty", "%s is empty", field);
    if (utf8_has_control(s, len, multiline))
        return err_set(e, ERR_INVALID, field, "bad_character", "%s has control characters",
                       field);
    chars = utf8_len_chars(s, len);
    if (chars > max_chars)
        return err_set(e, ERR_INVALID, field, "too_long", "%s has %zu characters, limit %zu",
                       field, chars, max_chars);
    return 0;
}

int
core_email_check(const char *field, const char *s, struct err *e)
{
    const char *at = strchr(s, '@');
    const char *dot;
    size_t len = strlen(s);

    if (utf8_len_chars(s, len) > CORE_EMAIL_MAX)
        return err_set(e, ERR_INVALID, field, "too_long", "e-mail longer than %d", CORE_EMAIL_MAX);
    if (at == NULL || at == s || strchr(at + 1, '@') != NULL || strpbrk(s, " \t\r\n<>,;\"") != NULL)
        return err_set(e, ERR_INVALID, field, "bad_email", "not an e-mail address");
    dot = strrchr(at + 1, '.');
    if (dot == NULL || dot == at + 1 || dot[1] == '\0')
        return err_set(e, ERR_INVALID, field, "bad_email", "e-mail domain has no dot");
    return 0;
}

int
core_amount_parse(const char *field, const char *s, size_t len, int64_t *fen_out, struct err *e)
{
    int64_t yuan = 0, fen = 0;
    size_t i = 0, decimals = 0;
    bool dot = false, digits = false;

    if (len > 0 && s[0] == '-')
        return err_set(e, ERR_INVALID, field, "negative", "amount is negative");
    if (len > 0 && s[0] == '+')
        i++;
    for (; i < len; i++) {
        char c = s[i];
        if (c == '.' && !dot) {
            dot = true;
            continue;
        }
        if (c < '0' || c > '9')
            return err_set(e, ERR_INVALID, field, "bad_format", "amount is not a decimal number");
        digits = true;
        if (dot) {
            if (++decimals > 2) {
                if (c != '0')
                    return err_set(e, ERR_INVALID, field, "too_many_decimals",
                                   "amount has more than two decimals");
                continue;
            }
            fen = fen * 10 + (c - '0');
        } else {
            if (yuan > CORE_LOSS_MAX_FEN / 100)
                return err_set(e, ERR_INVALID, field, "too_large", "amount too large");
            yuan = yuan * 10 + (c - '0');
        }
    }
    if (!digits)
        return err_set(e, ERR_INVALID, field, "bad_format", "amount has no digits");
    if (decimals == 1)
        fen *= 10;
    if (yuan > CORE_LOSS_MAX_FEN / 100 || yuan * 100 + fen > CORE_LOSS_MAX_FEN)
        return err_set(e, ERR_INVALID, field, "too_large", "amount over the limit");
    *fen_out = yuan * 100 + fen;
    return 0;
}

void
core_amount_format(int64_t fen, char *out, size_t size)
{
    unsigned long long abs = fen < 0 ? 0ULL - (unsigned long long)fen : (unsigned long long)fen;

    snprintf(out, size, "%s%llu.%02llu", fen < 0 ? "-" : "", abs / 100, abs % 100);
}

size_t
core_number_format(char *out, size_t size, const char *prefix, int year, int64_t seq)
{
    int n = snprintf(out, size, "%s-%04d-%06lld", prefix, year, (long long)seq);

    if (n < 0 || (size_t)n >= size)
        return 0;
    return (size_t)n;
}

bool
core_prefix_is_valid(const char *s)
{
    size_t n = strlen(s);

    if (n == 0 || n > 16)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9')))
            return false;
    return true;
}

bool
core_number_is_wellformed(const char *s)
{
    const char *d1 = strchr(s, '-');
    const char *d2;
    size_t digits;
    char prefix[17];

    if (d1 == NULL || (size_t)(d1 - s) > 16)
        return false;
    memcpy(prefix, s, (size_t)(d1 - s));
    prefix[d1 - s] = '\0';
    if (!core_prefix_is_valid(prefix))
        return false;
    d2 = d1 + 1;
    for (int i = 0; i < 4; i++, d2++)
        if (*d2 < '0' || *d2 > '9')
            return false;
    if (*d2 != '-')
        return false;
    digits = strlen(d2 + 1);
    if (digits < 6 || digits > 12)
        return false;
    for (const char *p = d2 + 1; *p; p++)
        if (*p < '0' || *p > '9')
            return false;
    return true;
}
