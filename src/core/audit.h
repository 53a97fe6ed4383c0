#ifndef KESU_CORE_AUDIT_H
#define KESU_CORE_AUDIT_H

#include <stdint.h>

#include "util/err.h"

/*
 * The audit log's hash chain (issue 3, item 7). Every entry carries the hash
 * of the entry before it, so editing, deleting or reordering entries inside
 * the database breaks the chain where it happened and `kesu audit verify`
 * can say where. Pure: no I/O; SHA-256 is libsodium's.
 *
 * The log must not leak what it protects: detail never holds a password, a
 * hash of one, a phone number or an e-mail address.
 */

#define CORE_AUDIT_HASH 32   /* bytes of SHA-256 */

struct audit_entry {
    int64_t id;                 /* 1, 2, ... without gaps */
    int64_t at;                 /* seconds */
    const char *actor;          /* staff login, or NULL: the system */
    const char *address;        /* client address ("cli" for the command line), or NULL */
    const char *action;         /* "complaint.create", "event.append", "user.add", ... */
    const char *object;         /* complaint number, login, ..., or NULL */
    const char *detail;         /* JSON object text, "{}" when none; never NULL */
    unsigned char prev_hash[CORE_AUDIT_HASH];  /* the previous entry's hash; zeros for the first */
    unsigned char hash[CORE_AUDIT_HASH];       /* SHA-256(prev_hash || canonical content) */
};

/*
 * Set en->prev_hash to `prev` and en->hash to SHA-256 of prev followed by
 * the canonical encoding of id, at, actor, address, action, object and
 * detail. The encoding length-prefixes every field and marks NULL apart from
 * "", so two different entries never encode alike. `prev` may alias
 * en->prev_hash.
 */
void core_audit_seal(struct audit_entry *en, const unsigned char prev[CORE_AUDIT_HASH]);

/*
 * Check one entry read back in id order against what the chain expects:
 * its id (`expected_id`, the previous id + 1, or 1) and the previous entry's
 * hash (`expected_prev`, zeros for the first). Fails with ERR_CONFLICT,
 * field "audit", naming the entry id in the detail; reason "gap" (an entry
 * is missing or out of order), "broken_link" (prev_hash is not the previous
 * entry's hash) or "altered" (hash does not match the content).
 */
int core_audit_check(const struct audit_entry *en, int64_t expected_id,
                     const unsigned char expected_prev[CORE_AUDIT_HASH], struct err *e);

#endif
