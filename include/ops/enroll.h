#ifndef MENTORCTL_OPS_ENROLL_H
#define MENTORCTL_OPS_ENROLL_H

#include <stdbool.h>
#include <stddef.h>

#include "core/program.h"
#include "core/status.h"
#include "ops/ops.h"
#include "store/enrollment_store.h"
#include "store/person_store.h"
#include "util/error.h"

/*
 * People joining and leaving a programme: `enroll` (one person, or a CSV
 * file that may create and update people as well), `withdraw`.  Every new
 * or changed enrollment is qualified at once against the programme's
 * eligibility rules, as of o->today.
 */

struct csv_reader;

#define ENROLL_CAPACITY_MAX PROGRAM_CAPACITY_MAX

/* enroll PROGRAM EMAIL --role R [--capacity N] [--goal TEXT] */
struct ops_enroll {
	/* in */
	const char *email;
	enum program_role role;
	bool set_capacity;          /* change the capacity to ... */
	int capacity;               /* ... this (1..ENROLL_CAPACITY_MAX) */
	bool set_goal;              /* change the goal to ... */
	const char *goal;           /* ... this (NULL or "": none) */
	/* out */
	struct enrollment_out done; /* id, what happened, withdrawn_on */
	struct enrollment_row row;  /* the enrollment afterwards */
	/*
	 * A mentor whose capacity is now below the pairings open (proposed
	 * or active): they are kept, and no new ones are proposed until
	 * fewer are open.
	 */
	bool overloaded;
	int load;                   /* open pairings */
	int places;                 /* the capacity now */
};

/*
 * Enroll (or update the enrollment of) a known person in programme p.
 * Unknown person: EX_DATAERR.  A mentee's capacity other than 1:
 * EX_DATAERR.  Free with ops_enroll_free.
 */
int ops_enroll(const struct ops_ctx *o, long long program_id,
    const struct program *p, struct ops_enroll *req, struct error *err);
void ops_enroll_free(struct ops_enroll *req);

/* A pending enrollment and why, for the file's report. */
struct ops_pending {
	char *email;
	enum program_role role;
	char *reason;
};

/* A re-activated enrollment (it had been withdrawn, or completed). */
struct ops_reenrolled {
	char *email;
	enum program_role role;
	int withdrawn_on;          /* or completed on, if was_completed */
	bool was_completed;
};

/* enroll PROGRAM --csv FILE */
struct ops_enroll_file {
	size_t enrollments;                     /* rows enrolled */
	size_t action[ENROLL_UNCHANGED + 1];    /* by enum enrollment_action */
	size_t eligible;                        /* of the file's enrollments */
	size_t pending;
	size_t people;                          /* people in the file */
	size_t withdrawn;                       /* rows with status withdrawn: left alone */
	struct person_counts person_counts;     /* created, updated, unchanged */
	struct ops_reenrolled *reenrolled;
	size_t nreenrolled;
	struct ops_pending *pendings;           /* the pending ones, by e-mail */
	size_t npendings;
	struct enrollment_overload *overloads;  /* mentors above capacity now */
	size_t noverloads;
	struct diags problems;                  /* on failure: the lines before err's */
};

/*
 * Enroll every row of r: columns email, role and optionally capacity,
 * goal, and person columns (which create and update people as `people
 * import` does).  Without person columns every e-mail must be a known
 * person.  An empty cell changes nothing; a cell "-" (PEOPLE_CLEAR)
 * clears the value (capacity: back to the programme's default); stored
 * e-mail addresses keep their spelling.  The columns `export enrollments`
 * adds are read back: program must be this programme, a row whose status
 * is withdrawn is left alone, the others are ignored.  All or nothing.
 * Free with ops_enroll_file_free.
 */
int ops_enroll_csv(const struct ops_ctx *o, long long program_id,
    const struct program *p, struct csv_reader *r,
    struct ops_enroll_file *res, struct error *err);
void ops_enroll_file_free(struct ops_enroll_file *res);

/* withdraw PROGRAM EMAIL [--role R] [--reason TEXT] */
struct ops_withdraw {
	/* in */
	const char *email;
	int role;                   /* enum program_role, or -1: the only one */
	const char *reason;         /* may be NULL */
	/* out */
	struct enrollment_row row;  /* the enrollment as it was */
	bool already;               /* it was withdrawn before: nothing changed */
	struct withdraw_counts counts;
};

/*
 * Withdraw the person's enrollment from the programme: its proposals are
 * declined, its active pairings ended.  Not enrolled (in that role):
 * EX_DATAERR; enrolled in both roles without role given: EX_USAGE.
 */
int ops_withdraw(const struct ops_ctx *o, long long program_id,
    const char *slug, struct ops_withdraw *req, struct error *err);
void ops_withdraw_free(struct ops_withdraw *req);

#endif
