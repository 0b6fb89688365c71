#ifndef MENTORCTL_OPS_PAIRING_H
#define MENTORCTL_OPS_PAIRING_H

#include <stdbool.h>
#include <stddef.h>

#include "core/status.h"
#include "ops/ops.h"
#include "store/pairing_store.h"

/*
 * A pairing's life by rule: proposal (its expiry and its activation follow
 * from the programme's consent), the partners' answers, activation, ending.
 * `pair`, `accept`, `decline` and `end` are these, and so are the replies a
 * participant mails (`inbox`).
 */

struct program;

/* Proposals unanswered past their last day become expired, in every programme. */
int ops_expire(const struct ops_ctx *o, size_t *n, struct error *err);

/*
 * The terms of a proposal made on `day` under p's consent rule: with
 * consent none it is active at once and never expires; otherwise it expires
 * after matching.respond_within.
 */
void ops_proposal_terms(const struct program *p, int day, int *expires_on,
    bool *activate);

/*
 * Store v[n] as proposals made today by `origin` (their terms from
 * ops_proposal_terms), an audit row each with `note` (may be NULL); the
 * ids are filled in.
 */
int ops_propose(const struct ops_ctx *o, long long program_id,
    const struct program *p, enum pairing_origin origin, const char *note,
    struct pairing_new *v, size_t n, struct error *err);

/* pair: a proposal by hand. */
struct ops_pair {
	/* in */
	const char *mentor_email;
	const char *mentee_email;
	bool force;                /* despite the rules it breaks (never capacity) */
	/* out */
	struct pairing_new made;   /* id, score, group_id; emails borrowed from below */
	char *mentor;              /* the stored addresses */
	char *mentee;
	bool active;               /* consent none: active at once */
	int expires_on;            /* DATE_NONE: never */
	char *breaches;            /* the rules broken ("; "-separated), or NULL */
};

/*
 * Propose mentor with mentee in programme p.  Refused (EX_DATAERR) when
 * someone is not enrolled, they are the same person or paired already, the
 * mentor has no place left, or (without force) a rule is broken, every rule
 * named.  Free with ops_pair_free.
 */
int ops_pair(const struct ops_ctx *o, long long program_id,
    const struct program *p, struct ops_pair *req, struct error *err);
void ops_pair_free(struct ops_pair *r);

enum ops_answer_outcome {
	OPS_ANSWER_UNCHANGED,      /* nothing to do: answered or active already */
	OPS_ANSWER_RECORDED,       /* an acceptance recorded; the other side to answer */
	OPS_ANSWER_ACTIVE,         /* the pairing turned active */
	OPS_ANSWER_WAITING,        /* accepted; active when its rotation period opens */
	OPS_ANSWER_DECLINED,
	OPS_ANSWER_ENDED,
	OPS_ANSWER_WITHDRAWN,      /* end of a proposal: recorded as declined */
};

/* What an answer did, for the words the caller chooses. */
struct ops_answer {
	struct pairing_rec before;  /* the pairing as it was */
	enum ops_answer_outcome outcome;
	unsigned sides;             /* enum pairing_side: whose answer this was */
	bool mentor_ok;             /* acceptances on record after the answer */
	bool mentee_ok;
	size_t released;            /* end: enrollments eligible again */
};

void ops_answer_free(struct ops_answer *a);

/*
 * Accept pairing id.  by: the mentor's or mentee's address (their
 * acceptance), or NULL for the coordinator (everyone consent needs).  A
 * pairing that is no longer a proposal is refused with why and when.
 */
int ops_accept(const struct ops_ctx *o, long long id, const char *by,
    struct ops_answer *a, struct error *err);
/* Decline proposal id (by as above); reason may be NULL. */
int ops_decline(const struct ops_ctx *o, long long id, const char *by,
    const char *reason, struct ops_answer *a, struct error *err);
/*
 * End pairing id for reason (not blank).  A proposal is withdrawn instead
 * (recorded as declined by o->actor).
 */
int ops_end(const struct ops_ctx *o, long long id, const char *reason,
    struct ops_answer *a, struct error *err);

#endif
