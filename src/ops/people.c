/*
 * people import, and the re-evaluation every change to people triggers.
 */
#include "ops/people.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/people.h"
#include "core/program.h"
#include "io/csv.h"
#include "store/enrollment_store.h"
#include "store/person_store.h"
#include "util/xmalloc.h"

/* Move the last diag of d into err; -1. */
static int
pop_last(struct diags *d, struct error *err)
{
	struct diag *last;
	char *line;

	if (d->n == 0)
		return error_set(err, EX_DATAERR, "invalid input");
	last = &d->v[--d->n];
	line = diag_format(last);
	error_set(err, EX_DATAERR, "%s", line);
	free(line);
	free(last->file);
	free(last->msg);
	return -1;
}

int
ops_sheet_fail(struct people_sheet *s, const char *reader_error,
    const char *done, struct diags *d, struct error *err)
{
	size_t total = s->nproblems + (reader_error != NULL), shown = 0, i;

	people_sheet_sort_problems(s);
	for (i = 0; i < s->nproblems && shown < PEOPLE_MAX_SHOWN; i++, shown++) {
		char *line = people_problem_text(s, &s->problems[i]);

		diags_add(d, NULL, 0, 0, "%s", line);
		free(line);
	}
	if (reader_error && shown < PEOPLE_MAX_SHOWN) {
		diags_add(d, NULL, 0, 0, "%s", reader_error);
		shown++;
	}
	if (total > shown)
		diags_add(d, NULL, 0, 0, "%s: %zu more problem%s not shown; "
		    "nothing was %s", s->name, total - shown,
		    total - shown == 1 ? "" : "s", done);
	return pop_last(d, err);
}

static int
diag_cmp(const void *a, const void *b)
{
	const struct diag *p = a, *q = b;

	if (p->line != q->line)
		return p->line < q->line ? -1 : 1;
	/* Same line: the order they were found in (the message pointers are
	 * not ordered, so the caller numbers them in col). */
	return p->col < q->col ? -1 : p->col > q->col;
}

int
ops_diags_fail(struct diags *d, const char *name, const char *done,
    struct error *err)
{
	size_t i, total = d->n;

	/* col carries the finding order for a stable sort, then is cleared. */
	for (i = 0; i < d->n; i++)
		d->v[i].col = (int)i;
	qsort(d->v, d->n, sizeof *d->v, diag_cmp);
	for (i = 0; i < d->n; i++) {
		d->v[i].col = 0;
		if (d->v[i].line == INT_MAX)
			d->v[i].line = 0;
	}
	if (total > PEOPLE_MAX_SHOWN) {
		for (i = PEOPLE_MAX_SHOWN; i < d->n; i++) {
			free(d->v[i].file);
			free(d->v[i].msg);
		}
		d->n = PEOPLE_MAX_SHOWN;
		diags_add(d, NULL, 0, 0, "%s: %zu more problems not shown; "
		    "nothing was %s", name, total - PEOPLE_MAX_SHOWN, done);
	}
	return pop_last(d, err);
}

int
ops_reevaluate_people(const struct ops_ctx *o, const long long *ids,
    size_t n, struct error *err)
{
	struct program *p;
	char **slugs;
	size_t nslugs, i;
	long long id;
	int rc = 0;

	if (store_enrollment_programs(o->db, ids, n, &slugs, &nslugs, err) != 0)
		return -1;
	for (i = 0; i < nslugs && rc == 0; i++) {
		if ((rc = ops_program_load(o, slugs[i], &id, &p, err)) != 0)
			break;
		rc = store_enrollment_reevaluate(o->db, id, p, o->today, ids, n,
		    NULL, err);
		program_free(p);
	}
	enrollment_slugs_free(slugs, nslugs);
	return rc;
}

void
ops_import_free(struct ops_import *res)
{
	if (res == NULL)
		return;
	diags_free(&res->problems);
}

/* Read the whole file into a sheet; -1 after recording why. */
static int
read_sheet(struct csv_reader *r, struct people_sheet **sp,
    struct ops_import *res, struct error *err)
{
	struct csv_record rec;
	struct people_sheet *s;
	size_t row;
	int rc;

	if ((rc = csv_next(r, &rec, err)) <= 0) {
		if (rc == 0)
			error_set(err, EX_DATAERR, "%s: empty file (the first "
			    "line must name the columns, one of them 'email')",
			    csv_name(r));
		return -1;
	}
	*sp = s = people_sheet_new(csv_name(r), rec.line,
	    (const char *const *)rec.fields, rec.nfields, NULL, false);
	if (!s->usable)
		return ops_sheet_fail(s, NULL, "imported", &res->problems, err);
	while ((rc = csv_next(r, &rec, err)) == 1)
		people_sheet_add(s, rec.line, (const char *const *)rec.fields,
		    rec.nfields, &row);
	if (rc == 0)
		return 0;
	if (err->code != EX_DATAERR)
		return -1;
	/* Later rows are unread: their people may be the managers. */
	{
		char *reader_error = err->msg;

		err->msg = NULL;
		rc = ops_sheet_fail(s, reader_error, "imported", &res->problems,
		    err);
		free(reader_error);
	}
	return rc;
}

int
ops_people_import(const struct ops_ctx *o, struct csv_reader *r,
    struct ops_import *res, struct error *err)
{
	struct people_sheet *s = NULL;
	long long *ids = NULL;
	size_t i;
	int rc = -1;

	memset(res, 0, sizeof *res);
	if (read_sheet(r, &s, res, err) != 0)
		goto out;
	if (store_person_prepare(o->db, s, false, err) != 0)
		goto out;
	if (!people_sheet_ok(s)) {
		ops_sheet_fail(s, NULL, "imported", &res->problems, err);
		goto out;
	}
	if (store_person_apply(o->db, s, csv_name(r), &res->counts, err) != 0)
		goto out;
	res->rows = s->nrows;
	ids = xcalloc(s->nrows + 1, sizeof *ids);
	for (i = 0; i < s->nrows; i++)
		ids[i] = s->rows[i].id;
	rc = ops_reevaluate_people(o, ids, s->nrows, err);
out:
	free(ids);
	people_sheet_free(s);
	return rc;
}
