#ifndef MENTORCTL_OPS_TRAINING_H
#define MENTORCTL_OPS_TRAINING_H

#include <stddef.h>

#include "ops/ops.h"
#include "store/enrollment_store.h"
#include "store/person_store.h"
#include "util/error.h"

/*
 * Completed trainings, which the programmes' eligibility rules require:
 * recording one, a file of them (an LMS export), and where each person's
 * enrollments stand afterwards.
 */

struct csv_reader;

/* training add EMAIL NAME [--on DATE] */
struct ops_training {
	/* in */
	const char *email;
	const char *name;            /* as typed: normalised here */
	int on;                      /* the day it was completed */
	/* out */
	char *stored_email;          /* the person's address as stored */
	char *stored_name;           /* the normalised training name */
	struct training_out done;    /* added, re-dated (was) or the same */
	struct enrollment_row *enrollments;  /* the person's pending and eligible ones */
	size_t nenrollments;
};

/*
 * Record that the person completed a training on `on`, then re-evaluate
 * their enrollments.  A bad name or unknown person: EX_DATAERR.
 */
int ops_training_add(const struct ops_ctx *o, struct ops_training *req,
    struct error *err);
void ops_training_free(struct ops_training *req);

/* training add --csv FILE */
struct ops_training_file {
	size_t rows;
	size_t action[TRAINING_SAME + 1];    /* by enum training_action */
	struct diags problems;               /* on failure: the lines before err's */
};

/*
 * Record every row of r (columns email, training and optionally on, or
 * completed_on; a row without a date is default_on), all or nothing.
 */
int ops_training_csv(const struct ops_ctx *o, struct csv_reader *r,
    int default_on, struct ops_training_file *res, struct error *err);
void ops_training_file_free(struct ops_training_file *res);

#endif
