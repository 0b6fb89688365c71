#ifndef MENTORCTL_OPS_MAIL_H
#define MENTORCTL_OPS_MAIL_H

#include <stdbool.h>
#include <stddef.h>

#include "ops/ops.h"

/*
 * The coordinator's say over outgoing mail (`mentorctl mail`): addresses
 * that bounce, and mails whose delivery failed or whose outcome is unknown.
 * Each runs inside the caller's transaction and writes an audit row.
 */

/*
 * Mark address as bouncing by hand (someone left; their mailbox is gone):
 * no mail goes to it until cleared.  reason: one line, not blank.
 */
int ops_mail_bounce(const struct ops_ctx *o, const char *address,
    const char *reason, struct error *err);
/* Clear it: *was says whether it was bouncing. */
int ops_mail_clear(const struct ops_ctx *o, const char *address, bool *was,
    struct error *err);
/*
 * Let the next `remind` send logged mail `id` again (when it is still due
 * that day): an unknown outcome the coordinator knows did not arrive, or
 * a mail given up.  Refused (EX_DATAERR) for a mail that was sent or does
 * not exist.
 */
int ops_mail_resend(const struct ops_ctx *o, long long id, struct error *err);
/*
 * Every mail whose outcome is unknown (programme program_id, or all with
 * 0), as ops_mail_resend: *n says how many.
 */
int ops_mail_resend_unknown(const struct ops_ctx *o, long long program_id,
    size_t *n, struct error *err);

/*
 * The reply tokens' secret (core/token.h), made at `init` from libsodium's
 * random bytes and kept in the database, which is mode 0600 and which
 * `inbox` opens anyway (table mail_secret, name 'reply-token'; a backup
 * carries it).  Made now if this database has none; in the caller's write
 * transaction.  *made says whether it was.
 */
int ops_mail_secret(const struct ops_ctx *o, bool *made, struct error *err);

#endif
