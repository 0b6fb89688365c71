#ifndef MENTORCTL_OPS_REMIND_H
#define MENTORCTL_OPS_REMIND_H

#include <stdbool.h>
#include <stddef.h>

#include "core/remind.h"
#include "ops/ops.h"
#include "store/checkin_store.h"
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

/* One mail due today and not recorded yet. */
struct remind_item {
	struct reminder r;       /* strings borrowed from the plan */
	size_t prog;             /* index into plan->progs */
};

/* A programme of the plan: its definition and the roster the items borrow. */
struct remind_prog {
	long long id;
	struct program *p;
	struct checkin_roster roster;
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
	struct remind_problem *problems;
	size_t nproblems;
};

/*
 * Plan the mails due on o->today in programme `only` (NULL: every
 * programme).  Writes nothing.  With `only` an unknown or broken programme
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
/* Its subject line and Message-ID (without <>); the caller frees them. */
char *ops_remind_subject(const struct remind_plan *plan,
    const struct remind_item *it);
char *ops_remind_message_id(const struct remind_plan *plan,
    const struct remind_item *it);
/* Its whole message (RFC 5322, LF line ends) appended to msg. */
int ops_remind_compose(const struct ops_ctx *o, const struct remind_plan *plan,
    const struct remind_item *it, struct strbuf *msg, struct error *err);

/* How mail leaves. */
struct remind_sender {
	const char *sendmail;    /* the mail program (io/mail.h) */
	char by[32];             /* this run, as the reminder log names it */
};

enum remind_outcome {
	REMIND_OUT_SENT,         /* handed over and recorded */
	REMIND_OUT_TAKEN,        /* another run has it */
};

/*
 * Send it (msg: its message from ops_remind_compose) exactly once.  -1 when
 * the mail program failed (EX_UNAVAILABLE; the claim is released so that
 * the next run retries it) or the log could not be written.
 */
int ops_remind_deliver(const struct ops_ctx *o, const struct remind_sender *s,
    const struct remind_plan *plan, const struct remind_item *it,
    const struct strbuf *msg, enum remind_outcome *out, struct error *err);

#endif
