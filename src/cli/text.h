#ifndef KESU_CLI_TEXT_H
#define KESU_CLI_TEXT_H

#include "util/i18n.h"

/*
 * What the command line says, in Chinese (the default) and English. The
 * language comes from KESU_LANG (zh | en), read once at start: help is
 * printed before any configuration file is read. Format strings take the
 * same arguments in the same order in both languages.
 */
enum cli_msg {
    MSG_USAGE,              /* kesu --help */
    MSG_USAGE_INIT,
    MSG_USAGE_SERVE,
    MSG_USAGE_DEMO,
    MSG_UNKNOWN_COMMAND,    /* %s: the command; then the usage follows */
    MSG_UNKNOWN_OPTION,     /* %s: the option */
    MSG_NEEDS_VALUE,        /* %s: the option */
    MSG_SCHEMA_AT,          /* %s db, %d version */
    MSG_NOT_INITIALISED,    /* %s db, %s db */
    MSG_SCHEMA_MISMATCH,    /* %s db, %d have, %d want, %s db */
    MSG_LISTENING,          /* %s host, %d port, %s db; "listening on http://" in every
                               language: scripts and tests read the port from it */
    MSG_DEMO_PROGRESS,      /* %ld done, %ld total, %ld percent */
    MSG_DEMO_DONE,          /* %s db, %zu staff, %ld complaints */
    MSG_COUNT_RANGE,
    MSG_SEED_RANGE,
    MSG_NO_SODIUM,
    MSG_FAILED,             /* the word before a technical detail */
    MSG_USAGE_USER,
    MSG_USER_ADDED,         /* %s login */
    MSG_PASSWORD_ONCE,      /* %s login, %s password: shown this one time */
    MSG_ADMIN_CREATED,      /* %s login */
    MSG_USER_STATUS,        /* %s login, %s status */
    MSG_PASSWORD_SET,       /* %s login */
    MSG_USER_LIST_HEAD,
    MSG_NEEDS_LOGIN,
    MSG_USAGE_AUDIT,
    MSG_AUDIT_OK,           /* %lld entries, %s hash of the last entry (hex, "-" when none) */
    MSG_AUDIT_BROKEN,       /* %lld entry id, %s what is wrong, %s reason key */
    MSG_AUDIT_GAP,          /* what is wrong, for MSG_AUDIT_BROKEN */
    MSG_AUDIT_BROKEN_LINK,
    MSG_AUDIT_ALTERED,
    MSG_USAGE_TOKEN,        /* %s: the permission names, one line */
    MSG_TOKEN_CREATED,      /* %s name, %lld id, %s login: on stderr, the token alone goes to stdout */
    MSG_TOKEN_LIST_HEAD,
    MSG_TOKEN_REVOKED,      /* %lld id, %s name */
    MSG_TOKEN_NOT_FOUND,    /* %lld id */
    MSG_TOKEN_WAS_REVOKED,  /* %lld id, %s name, %s when */
    MSG_TOKEN_EXISTS,       /* %s name */
    MSG_TOKEN_NAME,         /* %s what is wrong with it (an i18n reason) */
    MSG_TOKEN_NEEDS,        /* then the usage follows */
    MSG_TOKEN_NEEDS_ID,     /* then the usage follows */
    MSG_TOKEN_BAD_ID,       /* %s the word given */
    MSG_UNEXPECTED_ARG,     /* %s the word; then the usage follows */
    MSG_DEMO_ACCOUNTS,      /* before the list of demo accounts made now */
    MSG_DEMO_ACCOUNT,       /* %s login, %s name, %s role[@project] */
    MSG_DEMO_PASSWORD,      /* %s the one password of the demo accounts, shown once */
    MSG_DEMO_PASSWORD_ENV,  /* the password came from KESU_DEMO_PASSWORD */
    MSG_GRADING_UNKNOWN,    /* %s the name given; then the usage follows */
    MSG_GRADING_AT,         /* %s db, %s the grading preset in use */
    MSG_USAGE_TICK,
    MSG_TICK_DONE,          /* %d reminders, %d overdue, %d regraded, %d notices, %d backfilled */
    MSG_TICK_NOT_HELD,      /* %s the holder of the lease */
    MSG_COUNT_
};

void cli_lang_init(void);
enum i18n_lang cli_lang(void);
const char *cli_text(enum cli_msg m);

#endif
