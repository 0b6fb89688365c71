#ifndef MENTORCTL_OPS_INBOX_H
#define MENTORCTL_OPS_INBOX_H

#include <stdbool.h>
#include <stddef.h>

#include "ops/ops.h"

/*
 * A participant's reply, handled: the use case behind `mentorctl inbox`.
 *
 * One message, inside the caller's transaction:
 *   1. Parse it (io/mime).  Not a mail: -1 with EX_DATAERR.
 *   2. Auto-replies (RFC 3834 and kin) are recorded and ignored.
 *   3. Delivery status notifications (RFC 3464) mark each permanently
 *      failed recipient as bouncing: no more mail goes there.
 *   4. Otherwise the reply token is looked for in the recipients (the
 *      Reply-To plus-address comes back as To/Delivered-To) and then in
 *      In-Reply-To and References, and checked with the database's secret
 *      (core/token.h).  The From header is never trusted: the person is the
 *      one the token names, and acknowledgements go to their stored address.
 *      No token, or a forged, altered or foreign one: nothing changes and
 *      nothing is said to the sender (the digest lists it).  A genuine but
 *      expired token: nothing changes; the person is told to answer the
 *      latest mail.
 *   5. The commands (core/reply.h) are carried out through the same ops
 *      functions as the coordinator's commands (accept, decline, checkin,
 *      feedback, reup, preferences; pause/resume of reminders), all or
 *      nothing: one that is refused rolls the others back, and the person
 *      gets the reason and how to fix it.  "yes"/"no" mean what the mail
 *      asked: accept or decline a proposal, or re-up yes or no.
 *   6. The message is recorded as handled (its Message-ID, or a digest of
 *      its bytes when it has none) in the same transaction.  Handled before:
 *      INBOX_DUPLICATE, and the caller rolls back: an MTA's retry or a
 *      second run changes nothing.
 *
 * The result says what happened and, when the person is to be told, the
 * acknowledgement (to, subject, body) that the caller sends after its
 * commit.
 */

enum inbox_outcome {
	INBOX_RECORDED,      /* the commands were carried out */
	INBOX_REFUSED,       /* a command could not be: the person is told why */
	INBOX_HELP,          /* "help": the person gets what they can write */
	INBOX_DUPLICATE,     /* handled before: roll back, nothing changes */
	INBOX_AUTO_REPLY,    /* ignored */
	INBOX_BOUNCE,        /* a delivery report: addresses marked bouncing */
	INBOX_NO_TOKEN,      /* nothing to act on (digest) */
	INBOX_BAD_TOKEN,     /* forged, altered or foreign (digest) */
	INBOX_EXPIRED,       /* genuine but too old: the person is told */
};

/* "recorded", "refused", ...: the words mail_handled keeps. */
const char *inbox_outcome_name(enum inbox_outcome o);

struct inbox_result {
	enum inbox_outcome outcome;
	char *message_key;
	char *sender;              /* the From address, for logs only */
	long long person_id;       /* the token's person; 0 when none */
	long long pairing_id;      /* the token's pairing; 0 when none */
	long long program_id;
	char *detail;              /* one line for the log and the digest */
	size_t bounced;            /* INBOX_BOUNCE: addresses marked */

	/* the acknowledgement, when ack_to is not NULL */
	char *ack_to;
	char *ack_to_name;
	char *ack_from;            /* the programme's contact */
	char *ack_from_name;       /* the programme's name */
	char *ack_subject;
	char *ack_body;
	char *ack_in_reply_to;     /* the reply's Message-ID, for threading */
};

/*
 * Handle the len bytes of one message as described above.  -1 with
 * EX_DATAERR when it is not an e-mail message; other errors are the
 * database's (EX_TEMPFAIL when busy, EX_IOERR).  Free with
 * inbox_result_free.
 */
int ops_inbox_handle(const struct ops_ctx *o, const char *raw, size_t len,
    struct inbox_result *r, struct error *err);
void inbox_result_free(struct inbox_result *r);

#endif
