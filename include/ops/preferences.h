#ifndef MENTORCTL_OPS_PREFERENCES_H
#define MENTORCTL_OPS_PREFERENCES_H

#include <stdbool.h>
#include <stddef.h>

#include "ops/ops.h"

/*
 * What participants and the coordinator say about pairs: participants'
 * preferences (`preferences import`, and a reply that ranks mentors),
 * never-pair lists (`conflicts import`) and the coordinator's overrides
 * (`scores import`).  Imports are all or nothing: the first bad row is
 * the error ("FILE:LINE: column: what is wrong", EX_DATAERR) and nothing
 * is written.
 */

struct program;

/* Rows of a file, cells by column name (a CSV file in the commands). */
struct ops_rows {
	const char *name;          /* the file, for messages */
	void *arg;
	/* 1 with the next row, 0 at the end, -1 with err */
	int (*next)(void *arg, struct error *err);
	/* the current row's cell of column `col`, NULL when there is no such column */
	const char *(*get)(void *arg, const char *col);
	/* whether the file has column `col` */
	bool (*has)(void *arg, const char *col);
	long (*line)(void *arg);
};

/* What an import did. */
struct ops_pairs_import {
	long long program_id;      /* the programme (0: every programme) */
	char *slug;                /* its slug, NULL for every programme */
	size_t rows;               /* rows read */
	size_t pairs;              /* pairs written */
	size_t changed;            /* of them, new or changed */
	size_t mentees;            /* preferences: mentees whose ranks were replaced */
};

void ops_pairs_import_free(struct ops_pairs_import *r);

/*
 * preferences import: columns mentee_email, mentor_email and any of rank
 * (1 = first choice), rating (1..5), mentor_choice and mentee_choice
 * (prefer, avoid, veto or none); with program_id 0 a column `program`
 * names the programme (the same on every row).  A mentee's ranks in the
 * file replace all earlier ranks of that mentee; other cells set their
 * pair's value, an empty cell leaves it.
 */
int ops_preferences_import(const struct ops_ctx *o, long long program_id,
    struct ops_rows *rows, struct ops_pairs_import *r, struct error *err);

/*
 * A mentee's ranking of mentors, best first (e.g. from a reply "1. Ana
 * 2. Bo 3. Cy"): each entry is a mentor's e-mail or name (any case; a name
 * must name one mentor of the programme).  Replaces the mentee's earlier
 * ranks.  source says where it came from, for the audit.  Errors name the
 * entry that is not a mentor of the programme.
 */
int ops_preferences_set(const struct ops_ctx *o, long long program_id,
    const struct program *p, const char *mentee, const char *const *mentors,
    size_t n, const char *source, struct error *err);

/*
 * conflicts import: columns email and other_email (either role), reason
 * optional; program_id 0 for every programme.
 */
int ops_conflicts_import(const struct ops_ctx *o, long long program_id,
    struct ops_rows *rows, struct ops_pairs_import *r, struct error *err);

/*
 * scores import: the columns of `scores --format csv`, of which
 * mentee_email, mentor_email and bonus, veto, fixed are read (at least one
 * of the last three must be there).  bonus: points -100..100 added to the
 * pair's score; veto: yes or no, never propose; fixed: yes or no, propose
 * this pair first.  An empty cell clears it.  With program_id 0 a column
 * `program` names the programme.
 */
int ops_scores_import(const struct ops_ctx *o, long long program_id,
    struct ops_rows *rows, struct ops_pairs_import *r, struct error *err);

#endif
