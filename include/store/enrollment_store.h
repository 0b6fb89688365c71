#ifndef MENTORCTL_STORE_ENROLLMENT_STORE_H
#define MENTORCTL_STORE_ENROLLMENT_STORE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/program.h"
#include "core/status.h"
#include "util/error.h"

struct db;

/*
 * Enrollments: a person in a programme in a role, with its status
 * (pending, eligible, active, withdrawn) and, while pending, the reason.
 * Eligibility itself is core/eligibility.c; this file loads what it needs
 * and stores its verdicts.
 */

struct enrollment_row {
	long long id;
	long long program_id;
	long long person_id;
	char *program;             /* slug */
	char *email;
	char *name;
	enum program_role role;
	enum enrollment_status status;
	char *reason;              /* NULL unless pending */
	bool has_capacity;         /* false: the programme's default */
	int capacity;
	char *goal;
	int enrolled_on;
	int eligible_on;           /* DATE_NONE: never eligible */
	int withdrawn_on;
	char *withdraw_reason;
};

void enrollment_row_free(struct enrollment_row *r);
void enrollment_rows_free(struct enrollment_row *rows, size_t n);

const char *enrollment_role_name(enum program_role role);
/* "mentor" or "mentee" to the role; -1 otherwise. */
int enrollment_role_parse(const char *s);

/* A person's enrollments, in one programme (program_id > 0) or in all. */
int store_enrollment_of_person(struct db *db, long long person_id,
    long long program_id, struct enrollment_row **rows, size_t *n,
    struct error *err);

/*
 * The enrollments of programme program_id (0: every programme) of
 * person_ids[n] (NULL: everyone), with status (-1: any), sorted by
 * programme, e-mail and role (mentor first).
 */
int store_enrollment_list(struct db *db, long long program_id,
    const long long *person_ids, size_t n, int status,
    struct enrollment_row **rows, size_t *nrows, struct error *err);

/* An enrollment to create, or to update when (programme, person, role) exists. */
struct enrollment_in {
	long long program_id;
	long long person_id;
	const char *email;         /* for the audit */
	enum program_role role;
	bool set_capacity;         /* change the capacity ... */
	int capacity;              /* ... to this, or < 0: the programme's default */
	/*
	 * The programme's default (0: unknown): a capacity equal to it where
	 * the default is stored is no change, so that a file exported with
	 * every capacity spelt out changes nothing when imported again.
	 */
	int default_capacity;
	bool set_goal;             /* change the goal ... */
	const char *goal;          /* ... to this (NULL or "": none) */
};

enum enrollment_action {
	ENROLL_CREATED,
	ENROLL_UPDATED,
	ENROLL_REACTIVATED,        /* was withdrawn: pending again */
	ENROLL_UNCHANGED,
};

struct enrollment_out {
	long long id;
	enum enrollment_action action;
	int withdrawn_on;          /* ENROLL_REACTIVATED: when it had been */
	bool was_completed;        /* ... completed (on withdrawn_on), not withdrawn */
};

/*
 * Create or update v[n] (out[n] says what happened to each).  New and
 * re-activated enrollments start pending, enrolled today: re-evaluate them
 * afterwards.  One audit row per change.
 */
int store_enrollment_put(struct db *db, const struct enrollment_in *v,
    size_t n, int today, struct enrollment_out *out, struct error *err);

struct elig_counts {
	size_t evaluated;          /* pending or eligible enrollments looked at */
	size_t eligible;           /* of them, eligible now */
	size_t changed;            /* whose status or reason changed */
};

/*
 * Apply programme p's eligibility rules, as of today, to its pending and
 * eligible enrollments (of person_ids[n] only, unless person_ids is NULL).
 * Active and withdrawn enrollments are never touched.  eligible_on is set
 * the first time an enrollment becomes eligible.  counts may be NULL.
 */
int store_enrollment_reevaluate(struct db *db, long long program_id,
    const struct program *p, int today, const long long *person_ids,
    size_t n, struct elig_counts *counts, struct error *err);

/*
 * How many of programme p's pending and eligible enrollments
 * store_enrollment_reevaluate would change as of today; writes nothing.
 */
int store_enrollment_stale(struct db *db, long long program_id,
    const struct program *p, int today, size_t *n, struct error *err);

/* Whether any enrollment is pending or eligible, in any programme. */
int store_enrollment_open(struct db *db, bool *any, struct error *err);

/*
 * The slugs of the programmes where person_ids[n] have pending or eligible
 * enrollments, sorted: what a change to these people must re-evaluate.
 */
int store_enrollment_programs(struct db *db, const long long *person_ids,
    size_t n, char ***slugs, size_t *nslugs, struct error *err);
void enrollment_slugs_free(char **slugs, size_t n);

/* A mentor with more open pairings than places. */
struct enrollment_overload {
	char *email;
	int capacity;              /* the places the mentor has now */
	int load;                  /* pairings proposed or active */
};

/*
 * The programme's mentors (of person_ids[n] only, unless NULL) whose
 * proposed and active pairings outnumber their capacity, the enrollment's
 * own or else default_capacity: after a capacity was lowered.  Sorted by
 * e-mail; free with enrollment_overloads_free.
 */
int store_enrollment_overloaded(struct db *db, long long program_id,
    int default_capacity, const long long *person_ids, size_t n,
    struct enrollment_overload **v, size_t *nv, struct error *err);
void enrollment_overloads_free(struct enrollment_overload *v, size_t n);

struct withdraw_counts {
	size_t declined;           /* proposed pairings now declined */
	size_t ended;              /* active pairings now ended */
};

/*
 * Withdraw an enrollment today: its proposed pairings are declined and its
 * active ones ended, both for the reason "withdrawn".  actor is who
 * declined, for the pairing's declined_by.
 */
int store_enrollment_withdraw(struct db *db, long long enrollment_id,
    const char *reason, int today, const char *actor,
    struct withdraw_counts *c, struct error *err);

/* Streams enrollments by programme, e-mail and role (program_id 0: all). */
struct enrollment_cursor;

struct enrollment_cursor *store_enrollment_cursor(struct db *db,
    long long program_id, struct error *err);
/* 1 with *row (valid until the next call), 0 at the end, -1 on error. */
int store_enrollment_next(struct enrollment_cursor *c,
    const struct enrollment_row **row, struct error *err);
void store_enrollment_cursor_free(struct enrollment_cursor *c);

#endif
