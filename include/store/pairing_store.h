#ifndef MENTORCTL_STORE_PAIRING_STORE_H
#define MENTORCTL_STORE_PAIRING_STORE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/cycle.h"
#include "core/status.h"
#include "util/error.h"

struct db;

/*
 * The pairing lifecycle: proposed -> active -> ended, or proposed ->
 * declined / expired.  Every change writes an audit row.
 *
 * Activation is the contract with the cycles code (store/cycle_store.h): a
 * pairing that turns active joins the programme's open cycle (status open,
 * highest number) through pairing.cycle_id and a pairing_cycle row, and both
 * enrollments become active.  When a pairing ends, an enrollment left with
 * no active pairing goes back to eligible.
 */

/* One pairing with its people. */
struct pairing_rec {
	long long id;
	long long program_id;
	char *program;                 /* slug */
	long long mentor_enrollment_id;
	long long mentee_enrollment_id;
	char *mentor_email;
	char *mentee_email;
	long long group_id;            /* 0: none */
	double score;
	enum pairing_status status;    /* as stored */
	enum pairing_origin origin;
	int proposed_on;
	int expires_on;                /* DATE_NONE: never */
	int mentor_accepted_on;
	int mentee_accepted_on;
	int activated_on;
	int declined_on;
	char *declined_by;
	char *decline_reason;
	int ended_on;
	char *end_reason;
	int slot;                      /* flash round / rotation period; 0 none */
};

/* Unknown id: EX_DATAERR "unknown pairing N". */
int store_pairing_get(struct db *db, long long id, struct pairing_rec *r,
    struct error *err);
void pairing_rec_free(struct pairing_rec *r);

/*
 * Proposals unanswered past their last day (expires_on < today) become
 * expired, in every programme: one UPDATE, an audit row each.  n may be
 * NULL.
 */
int store_pairing_expire(struct db *db, int today, size_t *n,
    struct error *err);

/* A pairing to create; id is filled in. */
struct pairing_new {
	long long mentor_enrollment_id;
	long long mentee_enrollment_id;
	const char *mentor_email;      /* for the audit */
	const char *mentee_email;
	long long group_id;            /* 0: none */
	int score;                     /* centi-points */
	long long id;
	int slot;                      /* rotation period; 0: none */
};

struct pairing_propose {
	long long program_id;
	enum pairing_origin origin;
	int today;
	int expires_on;                /* DATE_NONE: never expires */
	bool activate;                 /* consent none: active at once */
	const char *note;              /* added to each audit row; NULL */
};

/*
 * Insert v[n] with one prepared statement (proposed, or active with
 * pp->activate), an audit row each, and activate them as described above.
 */
int store_pairing_propose(struct db *db, const struct pairing_propose *pp,
    struct pairing_new *v, size_t n, struct error *err);

enum pairing_side {
	PAIRING_SIDE_MENTOR = 1 << 0,
	PAIRING_SIDE_MENTEE = 1 << 1,
};

/*
 * Record the acceptance of `sides` (enum pairing_side bits) on today where
 * none is recorded yet; `who` names the answerer for the audit.
 */
int store_pairing_accept(struct db *db, long long id, unsigned sides,
    int today, const char *who, struct error *err);
/* A proposed pairing turns active today (see above). */
int store_pairing_activate(struct db *db, long long id, int today,
    struct error *err);
/* A proposed pairing is declined today by `by` (an e-mail or a user name). */
int store_pairing_decline(struct db *db, long long id, int today,
    const char *by, const char *reason, struct error *err);
/*
 * An active pairing ends today; *released counts the enrollments that went
 * back to eligible (may be NULL).
 */
int store_pairing_end(struct db *db, long long id, int today,
    const char *reason, size_t *released, struct error *err);

/*
 * Correct the reason of an ended pairing (status PAIRING_ENDED: its
 * end_reason) or a declined one (PAIRING_DECLINED: its decline_reason);
 * `old` (may be NULL) is what the audit row says it was.  A pairing not in
 * that status: EX_DATAERR.
 */
int store_pairing_amend_reason(struct db *db, long long id,
    enum pairing_status status, const char *old, const char *reason,
    struct error *err);

/*
 * The latest pairing of mentor and mentee (e-mails, any case) in the
 * programme, expired proposals first: *id, 0 when there is none.
 */
int store_pairing_find(struct db *db, long long program_id,
    const char *mentor_email, const char *mentee_email, long long *id,
    struct error *err);

/*
 * An expired proposal (its last day expired_on, for the audit row) is a
 * proposal again, its answers due by expires_on (DATE_NONE: never); the
 * answers it had are kept.  Not expired: EX_DATAERR.
 */
int store_pairing_revive(struct db *db, long long id, int expired_on,
    int expires_on, struct error *err);

/* A listing row; strings borrowed until the next store_pairing_next. */
struct pairing_row {
	long long id;
	const char *mentor_email;
	const char *mentee_email;
	enum pairing_status status;    /* expired for a proposal past expiry */
	double score;
	long long group_id;            /* 0: none */
	int proposed_on;               /* dates: DATE_NONE when absent */
	int expires_on;
	int activated_on;
	int ended_on;
	const char *end_reason;        /* NULL when absent, likewise below */
	enum pairing_origin origin;
	int mentor_accepted_on;
	int mentee_accepted_on;
	int declined_on;
	const char *declined_by;
	const char *decline_reason;
	int slot;                      /* rotation period; 0: none */
	const char *mentor_name;       /* as stored ("" when unknown) */
	const char *mentor_department; /* NULL when unknown */
	const char *mentee_name;
	const char *mentee_department;
	/*
	 * Re-up: the pairing is active in the programme's open cycle and that
	 * cycle's re-up window has opened by today (answers are kept after it
	 * closes, until cycle close); otherwise both answers are NONE.
	 */
	bool reup_window;
	enum cycle_answer mentor_reup; /* CYCLE_ANSWER_NONE: not answered */
	enum cycle_answer mentee_reup;
};

struct pairing_cursor;

/*
 * A programme's pairings by id, status as of today ("expired" past expiry,
 * "planned" before proposed_on), only those of `status` unless it is -1,
 * with the partners' names and departments and the re-up answers of the
 * open cycle.
 */
struct pairing_cursor *store_pairing_cursor(struct db *db,
    long long program_id, int today, int status, struct error *err);
/* 1 with *row, 0 at the end, -1 on error. */
int store_pairing_next(struct pairing_cursor *c, const struct pairing_row **row,
    struct error *err);
void store_pairing_cursor_free(struct pairing_cursor *c);

#endif
