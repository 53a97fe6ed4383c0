#ifndef KESU_CORE_COMPLAINT_H
#define KESU_CORE_COMPLAINT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

/*
 * The complaint as the domain sees it (DOMAIN §1, §2, §6 step 1). Pure rules:
 * no I/O, no clock (callers pass `now`), no globals but constant tables.
 * Strings are UTF-8, NUL-terminated, owned by whoever owns the struct
 * (usually a request arena).
 */

/* Value sets, NULL-terminated, in the order the API documents them. */
extern const char *const core_channels[];    /* phone visit letter email web wechat media government internal */
extern const char *const core_kinds[];       /* complaint inquiry suggestion repair claim */
extern const char *const core_comm_types[];  /* help inquiry venting */
extern const char *const core_roles[];       /* owner tenant prospect other */
extern const char *const core_statuses[];    /* received registered in_progress resolved closed followed_up archived invalid */
extern const char *const core_natures[];     /* valid assisted invalid undetermined */

enum core_flag {
    CORE_FLAG_INJURY = 1 << 0,          /* 人身伤害 */
    CORE_FLAG_MEDIA = 1 << 1,           /* 媒体 */
    CORE_FLAG_LAWSUIT = 1 << 2,         /* 诉讼 */
    CORE_FLAG_THREAT_MEDIA = 1 << 3,    /* threatened media exposure */
    CORE_FLAG_THREAT_LAWSUIT = 1 << 4,  /* threatened lawsuit */
    CORE_FLAG_VIP = 1 << 5,             /* VIP / referred by leadership 上级交代 */
};

struct core_flag_name {
    const char *name;     /* JSON member name, e.g. "injury" */
    unsigned bit;         /* enum core_flag */
};
extern const struct core_flag_name core_flag_names[];  /* terminated by { NULL, 0 } */

/* Limits, in characters (code points), not bytes. */
#define CORE_SUBJECT_MAX 100
#define CORE_CONTENT_MAX 20000
#define CORE_DEMANDS_MAX 2000
#define CORE_NAME_MAX 50
#define CORE_EMAIL_MAX 254
#define CORE_EVENT_TEXT_MAX 10000
#define CORE_HEADCOUNT_MAX 100000
#define CORE_LOSS_MAX_FEN 10000000000LL     /* 100,000,000 yuan, in fen */
#define CORE_FUTURE_SKEW 300                /* received_at may be this far ahead of now */

struct complainant_new {
    const char *name;       /* or NULL */
    const char *phone;      /* canonical form (util/phone.h), or NULL */
    const char *email;      /* or NULL */
    const char *role;       /* one of core_roles */
    bool anonymous;
};

/* A registration request, decoded and individually validated. */
struct complaint_new {
    const char *channel;        /* required, core_channels */
    const char *kind;           /* core_kinds; default "complaint" */
    const char *comm_type;      /* core_comm_types or NULL */
    bool has_received_at;
    int64_t received_at;        /* seconds; trimmed to the minute by core_complaint_check */
    const char *received_by;    /* staff login or NULL */
    const char *project;        /* project code, required */
    const char *building;       /* building name or NULL */
    const char *unit;           /* unit name or NULL; needs building */
    struct complainant_new complainant;
    int headcount;              /* >= 1 */
    const char *subject;
    const char *content;
    const char *demands;        /* or NULL */
    const char *category;       /* category code or NULL */
    const char *subcategory;    /* or NULL; needs category */
    unsigned flags;             /* enum core_flag */
    bool has_loss;
    int64_t loss_fen;           /* economic loss in fen (0.01 yuan) */
};

/* Defaults for a fresh request: kind complaint, headcount 1, role other. */
void core_complaint_new_init(struct complaint_new *c);

/*
 * Rules across fields, run after each field was validated on its own:
 * received_at defaults to `now`, must not be ahead of it by more than
 * CORE_FUTURE_SKEW and is trimmed to the minute; unit needs building;
 * subcategory needs category; a complainant who is not anonymous gives a
 * phone or an e-mail address. ERR_INVALID names the field.
 */
int core_complaint_check(struct complaint_new *c, int64_t now, struct err *e);

/* The first status: web and e-mail complaints wait to be accepted (DOMAIN §2). */
const char *core_initial_status(const char *channel);

/* The type of the first event, "received" or "registered", matching the status. */
const char *core_initial_event(const char *channel);

/*
 * Check a text field: valid UTF-8 is assumed (the JSON parser guarantees it);
 * white space around it is already trimmed. `required`: empty is an error
 * ("empty"). Over `max_chars` code points is "too_long". Control characters
 * other than tab/CR/LF (when `multiline`) are "bad_character".
 */
int core_text_check(const char *field, const char *s, size_t len, size_t max_chars,
                    bool multiline, struct err *e);

/* Check an e-mail address: <= 254 chars, one '@', non-empty local part, a dot in the domain. */
int core_email_check(const char *field, const char *s, struct err *e);

/*
 * Parse an amount of yuan written as decimal text ("1200", "1200.5", "0.05")
 * into fen. Reasons: "bad_format", "negative", "too_many_decimals", "too_large".
 */
int core_amount_parse(const char *field, const char *s, size_t len, int64_t *fen_out,
                      struct err *e);

/* Write an amount of fen as "1200.50". `out` holds at least 24 bytes. */
void core_amount_format(int64_t fen, char *out, size_t size);

/*
 * Format a complaint number "<prefix>-<year>-<seq>", seq zero-padded to at
 * least 6 digits. Returns the length, or 0 when it does not fit in `size`.
 */
size_t core_number_format(char *out, size_t size, const char *prefix, int year, int64_t seq);

/* True when `s` looks like a number core_number_format could have made. */
bool core_number_is_wellformed(const char *s);

/* True for a project/number prefix: 1-16 of A-Z and 0-9. */
bool core_prefix_is_valid(const char *s);

#endif
