#ifndef MENTORCTL_OPS_SUGGEST_MAIL_H
#define MENTORCTL_OPS_SUGGEST_MAIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/token.h"
#include "ops/ops.h"
#include "ops/remind.h"
#include "util/strbuf.h"

/*
 * `suggest PROGRAM [EMAIL] --mail`: a mentee gets a mail listing their
 * best mentors with a place left (as `suggest` ranks them), numbered 1..N,
 * and is asked to reply with a ranking ("1. Ana 2. Bo" or "2, 1, 3").
 * The reply token is bound to the mentee's enrollment (TOKEN_Q_SUGGEST)
 * and expires SUGGEST_MAIL_DAYS after the mail; the list is stored with
 * the claim, keyed by Message-ID, so that `inbox` reads a reply against
 * exactly the mentors that mail listed.  Once per mentee, programme and
 * day (the reminder log), unless forced.
 */

struct program;
struct ops_scoring;

#define SUGGEST_MAIL_DAYS 14
#define SUGGEST_MAIL_REASONS 3

struct suggest_choice {
	long long person_id;
	const char *email;         /* borrowed from the plan's pool */
	const char *name;
	const char *title;
	const char *department;
	int score;                 /* centi-points */
	char *reasons[SUGGEST_MAIL_REASONS];
	size_t nreasons;
};

struct suggest_mail_item {
	long long person_id;
	long long enrollment_id;
	const char *email;         /* borrowed */
	const char *name;
	long long open_pairing;    /* 0 when none */
	int attempts;              /* failed before (0: new) */
	struct suggest_choice *v;  /* choice 1 first */
	size_t n;
	char *token;               /* set by compose */
	char *message_id;
};

struct ops_suggest_mail {
	const struct program *p;
	long long program_id;
	bool force;
	long long force_at;
	struct ops_scoring *s;     /* owned */
	struct suggest_mail_item *v;   /* to send now */
	size_t n;
	size_t recorded;           /* sent today before: not again */
	size_t waiting;            /* failed, not yet due for a retry */
	size_t bouncing;           /* to addresses that bounce: held */
	char **nomentor;           /* mentees with no mentor to suggest (borrowed) */
	size_t nnomentor;
	uint8_t secret[TOKEN_SECRET_LEN];
	bool have_secret;
};

/*
 * Who gets a suggestion mail now: mentee (an e-mail), or with NULL every
 * eligible mentee with a place left, with their top mentors.  Read-only.
 * Refused (EX_DATAERR): a programme without a valid contact address.
 * Free with ops_suggest_mail_free (also after a failure).
 */
int ops_suggest_mail_plan(const struct ops_ctx *o, long long program_id,
    const struct program *p, const char *mentee, int top, bool force,
    struct ops_suggest_mail *plan, struct error *err);
void ops_suggest_mail_free(struct ops_suggest_mail *plan);
/* The reply tokens' secret, made (own transaction) when there is none. */
int ops_suggest_mail_secret(const struct ops_ctx *o,
    struct ops_suggest_mail *plan, struct error *err);
/* Its subject line (the caller frees). */
char *ops_suggest_mail_subject(const struct ops_suggest_mail *plan);
/*
 * The item's whole message: From the programme, Reply-To the contact's
 * address with the token, the list, how to answer; sets it->token and
 * it->message_id.
 */
int ops_suggest_mail_compose(const struct ops_ctx *o,
    const struct ops_suggest_mail *plan, struct suggest_mail_item *it,
    struct strbuf *msg, struct error *err);
/*
 * Send it exactly once, as ops_remind_deliver; the claim stores the list.
 * -1 only when the log cannot be written.
 */
int ops_suggest_mail_deliver(const struct ops_ctx *o, struct remind_sender *s,
    const struct ops_suggest_mail *plan, const struct suggest_mail_item *it,
    const struct strbuf *msg, struct remind_result *res, struct error *err);

#endif
