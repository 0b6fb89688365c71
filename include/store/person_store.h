#ifndef MENTORCTL_STORE_PERSON_STORE_H
#define MENTORCTL_STORE_PERSON_STORE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/people.h"
#include "core/program.h"
#include "core/status.h"
#include "util/error.h"

struct db;

/*
 * People, their free attributes and their trainings.
 *
 * An import is a few calls so that a bad file writes nothing and a file of
 * any length is read in bounded memory: for each batch of rows of the
 * sheet, store_person_prepare() compares them with what is stored and
 * store_person_apply() writes what differs (set statements that read the
 * batch in place, a few per batch, never a statement per row); after the
 * last row store_person_check_managers() finds the managers who are
 * nobody, and store_person_audit_file() records the file.  A problem found
 * after a batch was written is undone by the caller's transaction.
 */

struct person_counts {
	size_t created;
	size_t updated;
	size_t unchanged;
};

/*
 * Fill the rows' ids, states, changed bits and attribute states; with
 * must_exist, record a problem for each row whose e-mail is nobody's.
 * Writes nothing.
 */
int store_person_prepare(struct db *db, struct people_sheet *s,
    bool must_exist, struct error *err);
/* Whether anybody is stored at all. */
int store_person_any(struct db *db, bool *any, struct error *err);
/* After the last row: a problem for each manager who is nobody. */
int store_person_check_managers(struct db *db, struct people_sheet *s,
    struct error *err);
/*
 * Create and update the sheet's rows as prepared (the sheet must have no
 * problems), adding to *c (which the caller zeroes): one audit row per
 * person updated naming what changed, and one listing the people created.
 * Afterwards every row's id is set.
 */
int store_person_apply(struct db *db, struct people_sheet *s,
    const char *source, struct person_counts *c, struct error *err);
/* One audit row for the file (source) with the counts, when anything changed. */
int store_person_audit_file(struct db *db, const char *source, size_t nrows,
    const struct person_counts *c, struct error *err);

/* Which people a listing shows; NULL or 0 members do not filter. */
struct person_filter {
	const char *department;    /* equal, ignoring ASCII case */
	const char *search;        /* substring of email, name, department, title, location */
	long long program_id;      /* enrolled in it ... */
	const enum program_role *role;         /* ... (or in any programme) in this role */
	const enum enrollment_status *status;  /* ... with this enrollment status */
	/*
	 * One row per enrollment in program_id (which must be set) instead
	 * of one per person: store_person_enrollment() tells its role,
	 * status and reason.
	 */
	bool by_enrollment;
};

/*
 * Streams people sorted by e-mail.  Each row's cells are the standard fields
 * (people_fields order; NULL when empty) followed by the value of each of
 * attrs[nattrs] (names, sorted as store_person_attr_names gives them).
 */
struct person_cursor;

struct person_cursor *store_person_cursor(struct db *db,
    const struct person_filter *f, const char *const *attrs, size_t nattrs,
    struct error *err);
/* 1 with *cells (valid until the next call), 0 at the end, -1 on error. */
int store_person_next(struct person_cursor *c, const char *const **cells,
    struct error *err);
void store_person_cursor_free(struct person_cursor *c);
/* by_enrollment: the current row's enrollment; reason NULL when none. */
void store_person_enrollment(const struct person_cursor *c,
    enum program_role *role, enum enrollment_status *status,
    const char **reason);

/* The free attribute names the filtered people have, sorted; caller frees. */
int store_person_attr_names(struct db *db, const struct person_filter *f,
    char ***names, size_t *n, struct error *err);
void person_names_free(char **names, size_t n);

struct person_attr {
	char *name;
	char *value;
};

struct person_rec {
	long long id;
	char *fields[PEOPLE_NFIELDS];  /* NULL when empty; level and hired_on as text */
	struct person_attr *attrs;     /* sorted by name */
	size_t nattrs;
};

/* Unknown e-mail: EX_DATAERR "unknown person 'x'". */
int store_person_get(struct db *db, const char *email, struct person_rec *p,
    struct error *err);
void person_rec_free(struct person_rec *p);
/*
 * The ids of emails[n] in one query: ids[i] is 0 for nobody.  Missing
 * people are not an error here.
 */
int store_person_ids(struct db *db, const char *const *emails, size_t n,
    long long *ids, struct error *err);

/* A completed training to record. */
struct training_in {
	long long person_id;
	const char *email;         /* for the audit */
	const char *name;          /* as people_training_name() left it */
	int on;
};

enum training_action {
	TRAINING_ADDED,
	TRAINING_REDATED,          /* known, now with another date */
	TRAINING_SAME,
};

struct training_out {
	enum training_action action;
	int was;                   /* TRAINING_REDATED: the date before */
};

/* Record v[n] (out[n] says what each did), one audit row per change. */
int store_training_add(struct db *db, const struct training_in *v, size_t n,
    struct training_out *out, struct error *err);

struct training_row {
	char *email;               /* store_training_find only, else NULL */
	char *name;
	int completed_on;
	char *recorded_at;
};

/* A person's trainings, by date and name. */
int store_training_list(struct db *db, long long person_id,
    struct training_row **rows, size_t *n, struct error *err);
/*
 * Trainings of person_id (0: everyone) named name (NULL: any), sorted by
 * e-mail, date and name, with the person's e-mail.
 */
int store_training_find(struct db *db, long long person_id, const char *name,
    struct training_row **rows, size_t *n, struct error *err);
void training_rows_free(struct training_row *rows, size_t n);
/*
 * Remove a person's training (as people_training_name() left the name):
 * *was is the date it had; EX_DATAERR when the person has no such
 * training.  One audit row.
 */
int store_training_remove(struct db *db, long long person_id,
    const char *email, const char *name, int *was, struct error *err);

/* A person's pairings, for "people show". */
struct person_pairing_row {
	long long id;
	char *program;
	enum program_role role;    /* this person's role in it */
	char *partner;             /* the other side's e-mail */
	enum pairing_status status;
	double score;
	int since;                 /* activated_on, else proposed_on */
	int until;                 /* ended_on or declined_on, DATE_NONE when open */
};

int store_person_pairings(struct db *db, long long person_id,
    struct person_pairing_row **rows, size_t *n, struct error *err);
void person_pairing_rows_free(struct person_pairing_row *rows, size_t n);

#endif
