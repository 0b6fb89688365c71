#ifndef MENTORCTL_OPS_PEOPLE_H
#define MENTORCTL_OPS_PEOPLE_H

#include <stdbool.h>
#include <stddef.h>

#include "ops/ops.h"
#include "store/enrollment_store.h"
#include "store/person_store.h"
#include "util/error.h"

/*
 * People: importing a spreadsheet of them, and keeping every programme's
 * view of who qualifies in step with what changed.
 *
 * Files are all or nothing.  When a file has problems, the ops function
 * returns -1 with err holding the last line to print and `problems` every
 * line before it, in file order (at most PEOPLE_MAX_SHOWN, then a line
 * counting the rest): the caller prints problems, then err.
 */

struct csv_reader;
struct people_sheet;

/* people import */
struct ops_import {
	size_t rows;                   /* people in the file */
	struct person_counts counts;   /* created, updated, unchanged */
	struct diags problems;         /* on failure: the lines before err's */
};

/*
 * Create and update the people of the CSV file r (header row first, one
 * person a row, upsert by e-mail), then re-evaluate their enrollments in
 * every programme.  One audit row per person created or changed and one
 * for the file.
 */
int ops_people_import(const struct ops_ctx *o, struct csv_reader *r,
    struct ops_import *res, struct error *err);
void ops_import_free(struct ops_import *res);

/*
 * The pending and eligible enrollments of ids[n], in every programme they
 * are in, judged again as of o->today: after a change to these people or
 * their trainings.
 */
int ops_reevaluate_people(const struct ops_ctx *o, const long long *ids,
    size_t n, struct error *err);

/*
 * The sheet's problems (sorted by line) as the caller prints them: every
 * line but the last into d, the last into err (EX_DATAERR); reader_error
 * (may be NULL) last; when more than PEOPLE_MAX_SHOWN, a final line "N
 * more problems not shown; nothing was <done>".  Returns -1.
 */
int ops_sheet_fail(struct people_sheet *s, const char *reader_error,
    const char *done, struct diags *d, struct error *err);
/* The same for a list of problems: d keeps all but the last, err the last. */
int ops_diags_fail(struct diags *d, const char *name, const char *done,
    struct error *err);

#endif
