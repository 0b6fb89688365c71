#ifndef MENTORCTL_OPS_AMEND_H
#define MENTORCTL_OPS_AMEND_H

#include <stdbool.h>
#include <stddef.h>

#include "core/status.h"
#include "ops/ops.h"
#include "store/pairing_store.h"
#include "util/error.h"

/*
 * Corrections after a mistake: the reason an ended or declined pairing
 * gives (`end --amend`, `decline --amend`), and expired proposals brought
 * back (`pair --revive`).  Each is audited.
 */

struct program;

/* What a correction of a reason did. */
struct ops_amend {
	struct pairing_rec before;  /* the pairing as it was */
	bool unchanged;             /* the reason was this already */
};

/*
 * Correct the reason of pairing id, which must have `status`:
 * PAIRING_ENDED (its end reason) or PAIRING_DECLINED (its decline
 * reason).  reason must not be blank (EX_USAGE); a pairing in another
 * status is refused (EX_DATAERR), saying what it is.  Free with
 * ops_amend_free.
 */
int ops_amend_reason(const struct ops_ctx *o, long long id,
    enum pairing_status status, const char *reason, struct ops_amend *a,
    struct error *err);
void ops_amend_free(struct ops_amend *a);

/* One proposal to revive: by id, or by its mentor's and mentee's e-mails. */
struct ops_revive_req {
	long line;                  /* its line in the file; 0 */
	long long pairing_id;       /* 0: by the e-mails */
	const char *mentor_email;
	const char *mentee_email;
};

/* A revived proposal. */
struct ops_revived {
	long long id;
	char *mentor_email;
	char *mentee_email;
	double score;
	long long group_id;         /* 0: none */
	int expired_on;             /* the last day it had */
};

struct ops_revive {
	struct ops_revived *v;      /* in the order asked */
	size_t n;
	bool active;                /* consent none: active at once */
	int expires_on;             /* their new last day; DATE_NONE: never */
	struct diags problems;      /* on failure: the lines before err's */
};

/*
 * Revive the expired proposals req[n] of programme p, all or nothing:
 * each must name an expired proposal of p whose mentor has a place left
 * (counting those revived before it) and whose mentee has no open pairing.
 * They get the terms of a new proposal made today (ops_proposal_terms).
 * file (NULL for requests from the command line) names the file in the
 * problems, "FILE:LINE: column: problem", every one of them (the last in
 * err, EX_DATAERR).  Free with ops_revive_free, also after a failure.
 */
int ops_revive(const struct ops_ctx *o, long long program_id,
    const struct program *p, const char *file,
    const struct ops_revive_req *req, size_t n, struct ops_revive *r,
    struct error *err);

/*
 * The same for a CSV file (path; "-" is stdin) with columns mentor_email
 * and mentee_email, or pairing_id (a row may give either).
 */
int ops_revive_csv(const struct ops_ctx *o, long long program_id,
    const struct program *p, const char *path, struct ops_revive *r,
    struct error *err);
void ops_revive_free(struct ops_revive *r);

#endif
