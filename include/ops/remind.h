#ifndef MENTORCTL_OPS_REMIND_H
#define MENTORCTL_OPS_REMIND_H

#include <stdbool.h>
#include <stddef.h>

#include "core/delivery.h"
#include "core/remind.h"
#include "ops/ops.h"
#include "core/digest.h"
#include "io/mail.h"
#include "store/checkin_store.h"
#include "store/remind_store.h"
#include "util/strbuf.h"

/*
 * What `remind` sends, decided and recorded here; the command only prints.
 *
 * Two halves.  ops_remind_plan() is read-only: the mails due today in every
 * programme (or one), less those recorded already, each with what its text
 * needs.  `remind --dry-run` and `report`'s view of the day are this.
 * ops_remind_deliver() then sends one planned mail exactly once: it claims
 * it in the reminder log (its own short transaction), hands it to the mail
 * program and records the outcome (another short transaction).  No
 * transaction is open while the mail program runs.
 */

struct program;

/* One mail due today and not recorded yet (or failed, due for a retry). */
struct remind_item {
	struct reminder r;       /* strings borrowed from the plan */
	size_t prog;             /* index into plan->progs */
	int attempts;            /* failed attempts so far (0: a new mail) */
};

/* A circle (group format): its active pairings, one per member. */
struct remind_circle {
	long long id;                          /* the group id */
	const struct remind_pairing **members; /* into the roster, by id */
	size_t n;
};

/* A programme of the plan: its definition and what the items borrow. */
struct remind_prog {
	long long id;
	struct program *p;
	struct checkin_roster roster;    /* active and proposed pairings */
	struct remind_ended ended;       /* pairings that ended lately */
	struct remind_circle *circles;   /* group format */
	size_t ncircles;
	struct remind_digest *digest;    /* today's, when it goes out */
};

/* Why part of the run was skipped (a programme that cannot be loaded, ...). */
struct remind_problem {
	int code;                /* the exit status it owes */
	char *msg;
};

struct remind_plan {
	struct remind_prog *progs;
	size_t nprogs;
	struct remind_item *items;
	size_t n;
	size_t cap;
	size_t recorded;         /* due today but recorded already */
	size_t waiting;          /* failed before, not yet due for a retry */
	size_t paused;           /* check-in reminders a participant paused */
	/* to bouncing addresses: not sent until the coordinator clears them */
	struct remind_item *held;
	size_t nheld;
	size_t heldcap;
	struct remind_problem *problems;
	size_t nproblems;
	/* the reply tokens' key (store/mail_store.h); without one, no tokens */
	bool have_secret;
	unsigned char secret[32];
};

/*
 * Plan the mails due on o->today in programme `only` (NULL: every
 * programme).  Writes nothing, inside the caller's (read) transaction or
 * none: this is "what remind will send today" for `report` as well as for
 * `remind --dry-run` (items: what goes out; held: to bouncing addresses;
 * recorded, waiting, paused: counted).  With `only` an unknown or broken programme
 * is an error; over all programmes one that cannot be loaded, or has no
 * valid contact address to send from, becomes a problem and the others are
 * planned.  Free with ops_remind_plan_free.
 */
int ops_remind_plan(const struct ops_ctx *o, const char *only,
    struct remind_plan *plan, struct error *err);
void ops_remind_plan_free(struct remind_plan *plan);

/* The item's programme. */
const struct program *ops_remind_program(const struct remind_plan *plan,
    const struct remind_item *it);
/*
 * Its subject line and Message-ID (without <>); the caller frees them.
 * A mail to a participant carries a reply token (core/token.h: the
 * recipient, the pairing, the question the mail asks, the last day an
 * answer counts) in its Message-ID ("TOKEN.kind.pairing.day.hash@domain")
 * and in its Reply-To ("contact+TOKEN@domain"), so that a plain "Reply"
 * reaches `mentorctl inbox` with it.  The token is a MAC of those claims:
 * every retry of a mail carries the same one.
 */
char *ops_remind_subject(const struct remind_plan *plan,
    const struct remind_item *it);
char *ops_remind_message_id(const struct remind_plan *plan,
    const struct remind_item *it);
/* Its whole message (RFC 5322, LF line ends) appended to msg. */
int ops_remind_compose(const struct ops_ctx *o, const struct remind_plan *plan,
    const struct remind_item *it, struct strbuf *msg, struct error *err);

/* How mail leaves, and what this run has seen of it. */
struct remind_sender {
	struct mail_transport transport;  /* the mail program, or the SMTP
	                            session (io/mail.h), which
	                            ops_remind_sender_free closes */
	char by[32];             /* this run, as the reminder log names it */
	int in_row;              /* failures in a row (bounces do not count) */
	char **bounced;          /* addresses that bounced in this run */
	size_t nbounced;
};

void ops_remind_sender_free(struct remind_sender *s);

enum remind_outcome {
	REMIND_OUT_SENT,         /* handed over and recorded */
	REMIND_OUT_TAKEN,        /* another run has it */
	REMIND_OUT_RETRY,        /* failed; a later run tries again */
	REMIND_OUT_GAVE_UP,      /* failed DELIVERY_MAX_ATTEMPTS times */
	REMIND_OUT_BOUNCED,      /* refused for good: the address bounces */
	REMIND_OUT_UNKNOWN,      /* may have gone out: counts as sent */
	REMIND_OUT_HELD,         /* its address bounced earlier in this run */
};

struct remind_result {
	enum remind_outcome outcome;
	int attempts;            /* with this one */
	char reason[DELIVERY_REASON_BUFSZ];  /* when not sent */
};

/*
 * Send it (msg: its message from ops_remind_compose) exactly once, by the
 * rules of core/delivery.h: the log says 'handed' before the mail program
 * starts; its outcome is recorded patiently (a lock held by another writer
 * is waited out, up to REMIND_RECORD_PATIENCE seconds).  A failed delivery
 * is a result, not an error: -1 only when the log cannot be written (the
 * run should stop).
 */
#define REMIND_CLAIM_PATIENCE 60
#define REMIND_RECORD_PATIENCE 600
int ops_remind_deliver(const struct ops_ctx *o, struct remind_sender *s,
    const struct remind_plan *plan, const struct remind_item *it,
    const struct strbuf *msg, struct remind_result *res, struct error *err);
/*
 * The mail program failed DELIVERY_BREAKER times in a row, or the SMTP
 * session is down (mail_transport_down): stop the run.
 */
bool ops_remind_breaker(const struct remind_sender *s);

#endif
