/*
 * Resolution, compensation and follow-up rules (DOMAIN §6 steps 4-7, §8),
 * and the service centre's monthly sampling list (DOMAIN §5).
 */
#include "core/followup.h"

#include <string.h>

const char *const core_compensation_types[] = {
    "refund", "replacement", "reservice", "apology", "fee_waiver", "cash", "other", NULL,
};
const char *const core_close_responses[] = { "agreed", "not_reachable", NULL };
const char *const core_contact_methods[] = {
    "phone", "sms", "visit", "wechat", "email", "letter", NULL,
};
const char *const core_followup_outcomes[] = { "reached", "not_reached", "refused", NULL };
const char *const core_satisfactions[] = { "satisfied", "fair", "dissatisfied", NULL };
const char *const core_reopen_sources[] = { "second_complaint", "followup", "customer", NULL };

bool
core_in_set(const char *const *set, const char *s)
{
    for (size_t i = 0; s != NULL && set[i] != NULL; i++)
        if (strcmp(set[i], s) == 0)
            return true;
    return false;
}

static bool
is(const char *s, const char *value)
{
    return s != NULL && strcmp(s, value) == 0;
}

bool
core_compensation_needs_approval(int64_t amount_fen, int64_t threshold_fen)
{
    return threshold_fen >= 0 && amount_fen > threshold_fen;
}

static int
attempts_check(size_t attempts, bool needed, struct err *e)
{
    if (needed && attempts == 0)
        return err_set(e, ERR_INVALID, "attempts", "required",
                       "record at least one attempt to reach the customer");
    if (attempts > CORE_ATTEMPTS_MAX)
        return err_set(e, ERR_INVALID, "attempts", "out_of_range", "more than %d attempts",
                       CORE_ATTEMPTS_MAX);
    return 0;
}

/*
 * The request is checked before the complaint's state: a wrong response is
 * the caller's mistake whatever the complaint holds, a missing result is
 * a conflict with the complaint (record the resolution first).
 */
int
core_close_check(const char *result, const char *response, size_t attempts, struct err *e)
{
    if (response == NULL || response[0] == '\0')
        return err_set(e, ERR_INVALID, "response", "required", "the customer's response is missing");
    if (!core_in_set(core_close_responses, response))
        return err_set(e, ERR_INVALID, "response", "unknown", "not a close response");
    if (attempts_check(attempts, is(response, "not_reachable"), e) < 0)
        return -1;
    if (result == NULL || result[0] == '\0')
        return err_set(e, ERR_CONFLICT, "result", "required",
                       "a complaint cannot close without a recorded result");
    return 0;
}

int
core_followup_check(const char *outcome, const char *satisfaction, bool score_given,
                    int score, size_t attempts, struct err *e)
{
    if (outcome == NULL || outcome[0] == '\0')
        return err_set(e, ERR_INVALID, "outcome", "required", "the outcome is missing");
    if (!core_in_set(core_followup_outcomes, outcome))
        return err_set(e, ERR_INVALID, "outcome", "unknown", "not a follow-up outcome");
    if (satisfaction != NULL && !core_in_set(core_satisfactions, satisfaction))
        return err_set(e, ERR_INVALID, "satisfaction", "unknown", "not a satisfaction");
    if (is(outcome, "reached") && satisfaction == NULL)
        return err_set(e, ERR_INVALID, "satisfaction", "required",
                       "a customer reached is asked how satisfied they are");
    if (attempts_check(attempts, is(outcome, "not_reached"), e) < 0)
        return -1;
    if (score_given && (score < 1 || score > 5))
        return err_set(e, ERR_INVALID, "score", "out_of_range", "score %d is not 1..5", score);
    return 0;
}

bool
core_followup_offers_reopen(const char *outcome, const char *satisfaction)
{
    return is(outcome, "reached") && is(satisfaction, "dissatisfied");
}

/* Does a take the call before b? Fewer open follow-ups first, then by login. */
static bool
better_candidate(const struct followup_candidate *a, const struct followup_candidate *b)
{
    if (a->open != b->open)
        return a->open < b->open;
    return strcmp(a->login, b->login) < 0;
}

const char *
core_followup_assignee(const struct followup_candidate *c, size_t n, const char *handler)
{
    const struct followup_candidate *best = NULL;

    for (size_t i = 0; i < n; i++) {
        if (c[i].login == NULL || is(handler, c[i].login))
            continue;                   /* the call checks the handling: never its handler */
        if (best == NULL || better_candidate(&c[i], best))
            best = &c[i];
    }
    return best != NULL ? best->login : NULL;
}

/* ---- the sampling list ---- */

#define FNV_OFFSET 0xcbf29ce484222325ULL
#define FNV_PRIME 0x100000001b3ULL

static uint64_t
fnv1a(uint64_t h, const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= FNV_PRIME;
    }
    return h;
}

/* splitmix64's finaliser: FNV-1a alone mixes its last bytes poorly into the high bits. */
static uint64_t
mix64(uint64_t x)
{
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return x;
}

/* A missing number is hashed and ordered as the empty one rather than crash. */
static const char *
number_text(const char *number)
{
    return number != NULL ? number : "";
}

uint64_t
core_sample_key(const char *month, const char *number)
{
    /* the '\0' keeps ("2026-1", "0...") and ("2026-10", "...") apart */
    static const char separator = '\0';
    uint64_t h = FNV_OFFSET;

    if (month != NULL)
        h = fnv1a(h, month, strlen(month));
    h = fnv1a(h, &separator, 1);
    number = number_text(number);
    h = fnv1a(h, number, strlen(number));
    return mix64(h);
}

static size_t
count_keys_at_most(const char *month, const char *const *numbers, size_t n, uint64_t limit)
{
    size_t count = 0;

    for (size_t i = 0; i < n; i++)
        if (core_sample_key(month, numbers[i]) <= limit)
            count++;
    return count;
}

/*
 * The k-th smallest key, found by bisecting the key space: 64 counting
 * passes instead of sorting, so the core needs no memory beyond `picked`
 * (n is a month's closed complaints, at most some hundred thousand).
 */
static uint64_t
kth_smallest_key(const char *month, const char *const *numbers, size_t n, size_t k)
{
    uint64_t lo = 0, hi = UINT64_MAX;

    while (lo < hi) {
        uint64_t mid = lo + (hi - lo) / 2;

        if (count_keys_at_most(month, numbers, n, mid) >= k)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

static bool
unpicked_with_key(const char *month, const char *const *numbers, const bool *picked, size_t i,
                  uint64_t key)
{
    return !picked[i] && core_sample_key(month, numbers[i]) == key;
}

/*
 * Among the numbers whose key equals the k-th smallest (one number, unless
 * it is listed twice or two numbers collide), pick `need` in order of the
 * number, so that input order never matters.
 */
static void
pick_ties(const char *month, const char *const *numbers, size_t n, uint64_t key, size_t need,
          bool *picked)
{
    while (need > 0) {
        const char *least = NULL;

        for (size_t i = 0; i < n; i++)
            if (unpicked_with_key(month, numbers, picked, i, key) &&
                (least == NULL || strcmp(number_text(numbers[i]), least) < 0))
                least = number_text(numbers[i]);
        if (least == NULL)
            return;                     /* cannot happen: the key was counted k times */
        for (size_t i = 0; i < n && need > 0; i++)
            if (unpicked_with_key(month, numbers, picked, i, key) &&
                strcmp(number_text(numbers[i]), least) == 0) {
                picked[i] = true;
                need--;
            }
    }
}

size_t
core_sample_pick(const char *month, const char *const *numbers, size_t n, int percent,
                 bool *picked)
{
    size_t k, below = 0;
    uint64_t kth;

    if (percent < 0)
        percent = 0;
    if (percent > 100)
        percent = 100;
    /* ceil(n * percent / 100): "at least 20 %" */
    k = (size_t)(((uint64_t)n * (uint64_t)percent + 99) / 100);
    for (size_t i = 0; i < n; i++)
        picked[i] = k == n;
    if (k == 0 || k == n)
        return k;
    kth = kth_smallest_key(month, numbers, n, k);
    for (size_t i = 0; i < n; i++) {
        picked[i] = core_sample_key(month, numbers[i]) < kth;
        below += picked[i];
    }
    pick_ties(month, numbers, n, kth, k - below, picked);
    return k;
}
