/*
 * Completed trainings, one or a file of them.
 */
#include "ops/training.h"

#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/people.h"
#include "io/csv.h"
#include "ops/people.h"
#include "util/strbuf.h"
#include "util/suggest.h"
#include "util/xmalloc.h"

/* The person's pending and eligible enrollments, in every programme. */
static int
open_enrollments(const struct ops_ctx *o, long long person_id,
    struct ops_training *req, struct error *err)
{
	struct enrollment_row *rows;
	size_t n, i, k = 0;

	if (store_enrollment_of_person(o->db, person_id, 0, &rows, &n, err) != 0)
		return -1;
	for (i = 0; i < n; i++) {
		if (rows[i].status != ENROLLMENT_PENDING &&
		    rows[i].status != ENROLLMENT_ELIGIBLE) {
			enrollment_row_free(&rows[i]);
			continue;
		}
		rows[k++] = rows[i];
	}
	req->enrollments = rows;
	req->nenrollments = k;
	return 0;
}

/* The training's name normalised and the person found; 0 or -1. */
static int
resolve(const struct ops_ctx *o, struct ops_training *req,
    struct person_rec *p, struct error *err)
{
	char *copy, *name, *q;
	const char *why;

	req->stored_email = req->stored_name = NULL;
	req->enrollments = NULL;
	req->nenrollments = 0;
	memset(&req->done, 0, sizeof req->done);
	copy = xstrdup(req->name);
	if ((why = people_training_name(copy, &name)) != NULL) {
		q = people_quote(req->name);
		error_set(err, EX_DATAERR, "%s: '%s'", why, q);
		free(q);
		free(copy);
		return -1;
	}
	req->stored_name = xstrdup(name);
	free(copy);
	if (store_person_get(o->db, req->email, p, err) != 0)
		return -1;
	req->stored_email = xstrdup(p->fields[PEOPLE_EMAIL]);
	return 0;
}

int
ops_training_add(const struct ops_ctx *o, struct ops_training *req,
    struct error *err)
{
	struct training_in in;
	struct person_rec p;
	int rc = -1;

	if (resolve(o, req, &p, err) != 0)
		return -1;
	in.person_id = p.id;
	in.email = p.fields[PEOPLE_EMAIL];
	in.name = req->stored_name;
	in.on = req->on;
	if (store_training_add(o->db, &in, 1, &req->done, err) == 0 &&
	    ops_reevaluate_people(o, &p.id, 1, err) == 0 &&
	    open_enrollments(o, p.id, req, err) == 0)
		rc = 0;
	person_rec_free(&p);
	return rc;
}

/* "'x' has no training 'y'", with the nearest one they have. */
static int
no_such_training(const struct ops_ctx *o, long long person_id,
    struct ops_training *req, struct error *err)
{
	struct error lerr = ERROR_INIT;
	struct training_row *rows;
	const char **names;
	const char *near = NULL;
	size_t n, i;

	if (store_training_list(o->db, person_id, &rows, &n, &lerr) != 0) {
		error_clear(&lerr);
		return -1;
	}
	names = xcalloc(n + 1, sizeof *names);
	for (i = 0; i < n; i++)
		names[i] = rows[i].name;
	near = suggest_nearest(req->stored_name, names, n);
	if (near)
		error_set(err, EX_DATAERR, "'%s' has no training '%s'; did you "
		    "mean '%s'?", req->stored_email, req->stored_name, near);
	else if (n == 0)
		error_set(err, EX_DATAERR, "'%s' has no training '%s' (none is "
		    "recorded)", req->stored_email, req->stored_name);
	free(names);
	training_rows_free(rows, n);
	return -1;
}

int
ops_training_remove(const struct ops_ctx *o, struct ops_training *req,
    struct error *err)
{
	struct person_rec p;
	int rc = -1;

	if (resolve(o, req, &p, err) != 0)
		return -1;
	if (store_training_remove(o->db, p.id, req->stored_email,
	    req->stored_name, &req->done.was, err) != 0) {
		if (err->code == EX_DATAERR)
			no_such_training(o, p.id, req, err);
		goto out;
	}
	if (ops_reevaluate_people(o, &p.id, 1, err) == 0 &&
	    open_enrollments(o, p.id, req, err) == 0)
		rc = 0;
out:
	person_rec_free(&p);
	return rc;
}

void
ops_training_free(struct ops_training *req)
{
	if (req == NULL)
		return;
	free(req->stored_email);
	free(req->stored_name);
	enrollment_rows_free(req->enrollments, req->nenrollments);
	req->stored_email = req->stored_name = NULL;
	req->enrollments = NULL;
	req->nenrollments = 0;
}

/* ---- a file of trainings ---- */

/* One row of a training file, copied out of the reader. */
struct training_line {
	long line;
	char *email;
	char *name;
	int on;
	bool bad;
	bool repeat;           /* an earlier (or same-day) row records it */
};

struct training_file {
	const char *path;
	struct training_line *v;
	size_t n;
	size_t cap;
	struct diags *problems;
};

static void
file_problem(struct training_file *f, long line, const char *fmt, ...)
    ATTR_FORMAT(3, 4);

static void
file_problem(struct training_file *f, long line, const char *fmt, ...)
{
	struct strbuf msg = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(&msg, fmt, ap);
	va_end(ap);
	diags_add(f->problems, f->path, (int)line, 0, "%s", msg.buf);
	strbuf_release(&msg);
}

static void
read_line(struct training_file *f, const struct csv_record *rec,
    const int *col, size_t ncols, int default_on)
{
	struct training_line *t;
	char *cell, *q;
	const char *why;

	if (rec->nfields != ncols) {
		file_problem(f, rec->line, "expected %zu field%s, found %zu",
		    ncols, ncols == 1 ? "" : "s", rec->nfields);
		return;
	}
	XGROW(f->v, f->n + 1, f->cap);
	t = &f->v[f->n++];
	memset(t, 0, sizeof *t);
	t->line = rec->line;
	t->on = default_on;
	t->email = xstrdup(people_trim(rec->fields[col[0]]));
	if (!people_email_valid(t->email)) {
		q = people_quote(t->email);
		file_problem(f, rec->line, "email: '%s' is not an e-mail "
		    "address", q);
		free(q);
		t->bad = true;
	}
	t->name = xstrdup(rec->fields[col[1]]);
	if ((why = people_training_name(t->name, &cell)) != NULL) {
		file_problem(f, rec->line, "training: %s", why);
		t->bad = true;
	} else {
		memmove(t->name, cell, strlen(cell) + 1);
	}
	if (col[2] >= 0 && *(cell = people_trim(rec->fields[col[2]])) &&
	    date_parse(cell, &t->on) != 0) {
		q = people_quote(cell);
		file_problem(f, rec->line, "on: invalid date '%s' (expected an "
		    "existing day as YYYY-MM-DD)", q);
		free(q);
		t->bad = true;
	}
}

/* One person's rows of one training together, earliest date first. */
static int
line_cmp(const void *a, const void *b)
{
	const struct training_line *const *p = a, *const *q = b;
	int c = people_email_cmp((*p)->email, (*q)->email);

	if (c == 0)
		c = strcmp((*p)->name, (*q)->name);
	if (c == 0)
		c = (*p)->on < (*q)->on ? -1 : (*p)->on > (*q)->on;
	if (c == 0)
		c = (*p)->line < (*q)->line ? -1 : (*p)->line > (*q)->line;
	return c;
}

/*
 * An LMS export lists every attempt: a training repeated for one person
 * is recorded once, with its earliest completion (the day the person
 * first had it, which is what eligibility asks).
 */
static size_t
mark_repeats(struct training_file *f)
{
	struct training_line **v = xcalloc(f->n + 1, sizeof *v), *first = NULL;
	size_t i, n = 0;

	for (i = 0; i < f->n; i++)
		v[i] = &f->v[i];
	xqsort(v, f->n, sizeof *v, line_cmp);
	for (i = 0; i < f->n; i++) {
		if (v[i]->bad)
			continue;
		if (first == NULL ||
		    people_email_cmp(v[i]->email, first->email) != 0 ||
		    strcmp(v[i]->name, first->name) != 0) {
			first = v[i];
			continue;
		}
		v[i]->repeat = true;
		n++;
	}
	free(v);
	return n;
}

/* Header: email, training, and on (or completed_on). */
static int
read_header(struct training_file *f, const struct csv_record *rec, int *col,
    struct error *err)
{
	static const char *const names[] = { "email", "training", "on" };
	size_t i;
	int k;

	col[0] = col[1] = col[2] = -1;
	for (i = 0; i < rec->nfields; i++) {
		char *name = people_header_name(rec->fields[i]);

		for (k = 0; k < 3; k++)
			if (strcmp(name, names[k]) == 0 ||
			    (k == 2 && strcmp(name, "completed_on") == 0))
				col[k] = (int)i;
		free(name);
	}
	for (k = 0; k < 2; k++)
		if (col[k] < 0)
			return error_set(err, EX_DATAERR, "%s: no '%s' column "
			    "(the first line must name the columns: email, "
			    "training and optionally on)", f->path, names[k]);
	return 0;
}

static void
training_file_free(struct training_file *f)
{
	size_t i;

	for (i = 0; i < f->n; i++) {
		free(f->v[i].email);
		free(f->v[i].name);
	}
	free(f->v);
}

/* Everyone named must exist already: one query for the whole file. */
static int
find_people(const struct ops_ctx *o, struct training_file *f, long long *ids,
    struct error *err)
{
	const char **emails = xcalloc(f->n + 1, sizeof *emails);
	size_t i;
	int rc = 0;

	for (i = 0; i < f->n; i++)
		emails[i] = f->v[i].email;
	if (store_person_ids(o->db, emails, f->n, ids, err) != 0) {
		rc = -1;
		goto out;
	}
	for (i = 0; i < f->n; i++) {
		if (f->v[i].bad || ids[i] != 0)
			continue;
		file_problem(f, f->v[i].line, "email: unknown person '%s'",
		    f->v[i].email);
		f->v[i].bad = true;
	}
out:
	free(emails);
	return rc;
}

static int
record_file(const struct ops_ctx *o, struct training_file *f,
    const long long *ids, struct ops_training_file *res, struct error *err)
{
	struct training_in *in = xcalloc(f->n + 1, sizeof *in);
	struct training_out *out = xcalloc(f->n + 1, sizeof *out);
	size_t i, n = 0;
	int rc = -1;

	for (i = 0; i < f->n; i++) {
		if (f->v[i].repeat)
			continue;
		in[n].person_id = ids[i];
		in[n].email = f->v[i].email;
		in[n].name = f->v[i].name;
		in[n++].on = f->v[i].on;
	}
	if (store_training_add(o->db, in, n, out, err) != 0 ||
	    ops_reevaluate_people(o, ids, f->n, err) != 0)
		goto out;
	res->rows = f->n;
	for (i = 0; i < n; i++)
		res->action[out[i].action]++;
	rc = 0;
out:
	free(in);
	free(out);
	return rc;
}

int
ops_training_csv(const struct ops_ctx *o, struct csv_reader *r,
    int default_on, struct ops_training_file *res, struct error *err)
{
	struct training_file f;
	struct csv_record rec;
	long long *ids = NULL;
	size_t ncols;
	int col[3], rc = -1, n;

	memset(res, 0, sizeof *res);
	memset(&f, 0, sizeof f);
	f.path = csv_name(r);
	f.problems = &res->problems;
	csv_set_unguard(r, true);
	if ((n = csv_next(r, &rec, err)) <= 0) {
		if (n == 0)
			error_set(err, EX_DATAERR, "%s: empty file (the first "
			    "line must name the columns: email, training and "
			    "optionally on)", f.path);
		goto out;
	}
	if (ops_check_header(r, &rec, err) != 0 ||
	    read_header(&f, &rec, col, err) != 0)
		goto out;
	ncols = rec.nfields;
	while ((n = csv_next(r, &rec, err)) == 1)
		read_line(&f, &rec, col, ncols, default_on);
	if (n < 0) {
		if (err->code != EX_DATAERR)
			goto out;
		/* The rest of the file is unread: report what was found. */
		diags_add(f.problems, NULL, INT_MAX, 0, "%s", err->msg);
		ops_diags_fail(f.problems, f.path, "recorded", err);
		goto out;
	}
	res->repeated = mark_repeats(&f);
	ids = xcalloc(f.n + 1, sizeof *ids);
	if (find_people(o, &f, ids, err) != 0)
		goto out;
	if (f.problems->n > 0) {
		ops_diags_fail(f.problems, f.path, "recorded", err);
		goto out;
	}
	rc = record_file(o, &f, ids, res, err);
out:
	free(ids);
	training_file_free(&f);
	return rc;
}

void
ops_training_file_free(struct ops_training_file *res)
{
	if (res == NULL)
		return;
	diags_free(&res->problems);
}
