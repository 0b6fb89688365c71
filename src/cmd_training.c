/*
 * training add EMAIL NAME [--on DATE], training add --csv FILE: completed
 * trainings, which the programmes' eligibility rules require.
 */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "core/date.h"
#include "core/people.h"
#include "core/program.h"
#include "io/csv.h"
#include "store/db.h"
#include "store/enrollment_store.h"
#include "store/person_store.h"
#include "util/error.h"
#include "util/xmalloc.h"

/* One row of a training file, copied out of the reader. */
struct training_line {
	long line;
	char *email;
	char *name;
	int on;
	bool bad;
};

struct training_file {
	const char *path;
	struct training_line *v;
	size_t n;
	size_t cap;
	struct diags problems;
};

/* Where the person's enrollments stand now, one line each. */
static int
report_enrollments(struct ctx *ctx, long long person_id, const char *email)
{
	struct error err = ERROR_INIT;
	struct enrollment_row *rows;
	size_t n, i;

	if (store_enrollment_of_person(ctx->db, person_id, 0, &rows, &n,
	    &err) != 0)
		return cmd_fail(&err);
	for (i = 0; i < n; i++) {
		const struct enrollment_row *e = &rows[i];

		if (e->status != ENROLLMENT_PENDING &&
		    e->status != ENROLLMENT_ELIGIBLE)
			continue;
		fprintf(stderr, "mentorctl: '%s' is %s as %s in '%s'%s%s%s\n",
		    email, enrollment_status_name(e->status), enrollment_role_name(e->role), e->program,
		    e->reason ? " (" : "", e->reason ? e->reason : "",
		    e->reason ? ")" : "");
	}
	enrollment_rows_free(rows, n);
	return 0;
}

static int
add_one(struct ctx *ctx, struct cmd_args *args)
{
	struct error err = ERROR_INIT;
	struct training_out out;
	struct training_in in;
	struct person_rec p;
	char *copy, *name, *q, d1[DATE_BUFSZ], d2[DATE_BUFSZ];
	const char *why;
	int on = ctx->today, rc;

	if ((rc = cmd_opt_date(args, "on", &on)) != 0)
		return rc;
	copy = xstrdup(args->pos[1]);
	if ((why = people_training_name(copy, &name)) != NULL) {
		q = people_quote(args->pos[1]);
		rc = cmd_error(EX_DATAERR, "%s: '%s'", why, q);
		free(q);
		goto out;
	}
	if (store_person_get(ctx->db, args->pos[0], &p, &err) != 0) {
		rc = cmd_fail(&err);
		goto out;
	}
	in.person_id = p.id;
	in.email = p.fields[PEOPLE_EMAIL];
	in.name = name;
	in.on = on;
	if (store_training_add(ctx->db, &in, 1, &out, &err) != 0)
		rc = cmd_fail(&err);
	else
		rc = cmd_reevaluate_people(ctx, &p.id, 1);
	if (rc == 0) {
		if (out.action == TRAINING_ADDED)
			fprintf(stderr, "mentorctl: recorded training %s for '%s' "
			    "on %s\n", name, in.email, date_format(on, d1));
		else if (out.action == TRAINING_REDATED)
			fprintf(stderr, "mentorctl: training %s of '%s' is now "
			    "dated %s (was %s)\n", name, in.email,
			    date_format(on, d1), date_format(out.was, d2));
		else
			fprintf(stderr, "mentorctl: training %s of '%s' was "
			    "recorded already on %s\n", name, in.email,
			    date_format(on, d1));
		rc = report_enrollments(ctx, p.id, in.email);
	}
	person_rec_free(&p);
out:
	free(copy);
	return rc;
}

static void
file_problem(struct training_file *f, long line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
file_problem(struct training_file *f, long line, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	diags_add(&f->problems, f->path, (int)line, 0, "%s", msg);
}

static int
diag_cmp(const void *a, const void *b)
{
	const struct diag *const *p = a, *const *q = b;

	if ((*p)->line != (*q)->line)
		return (*p)->line < (*q)->line ? -1 : 1;
	/* Same line: the order they were found in. */
	return *p < *q ? -1 : *p > *q;
}

static int
print_problems(struct training_file *f)
{
	const struct diag **v = xcalloc(f->problems.n + 1, sizeof *v);
	size_t i;

	for (i = 0; i < f->problems.n; i++)
		v[i] = &f->problems.v[i];
	qsort(v, f->problems.n, sizeof *v, diag_cmp);
	for (i = 0; i < f->problems.n && i < PEOPLE_MAX_SHOWN; i++) {
		char *line = diag_format(v[i]);

		fprintf(stderr, "mentorctl: %s\n", line);
		free(line);
	}
	if (f->problems.n > PEOPLE_MAX_SHOWN)
		fprintf(stderr, "mentorctl: %s: %zu more problems not shown; "
		    "nothing was recorded\n", f->path,
		    f->problems.n - PEOPLE_MAX_SHOWN);
	free(v);
	return EX_DATAERR;
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

/* The same training twice for one person: name the earlier line. */
static int
line_cmp(const void *a, const void *b)
{
	const struct training_line *const *p = a, *const *q = b;
	int c = people_email_cmp((*p)->email, (*q)->email);

	if (c == 0)
		c = strcmp((*p)->name, (*q)->name);
	if (c == 0)
		c = (*p)->line < (*q)->line ? -1 : (*p)->line > (*q)->line;
	return c;
}

static void
check_duplicates(struct training_file *f)
{
	struct training_line **v = xcalloc(f->n + 1, sizeof *v), *first = NULL;
	size_t i;

	for (i = 0; i < f->n; i++)
		v[i] = &f->v[i];
	qsort(v, f->n, sizeof *v, line_cmp);
	/* first: the earliest good line of the current (email, training). */
	for (i = 0; i < f->n; i++) {
		if (v[i]->bad)
			continue;
		if (first == NULL ||
		    people_email_cmp(v[i]->email, first->email) != 0 ||
		    strcmp(v[i]->name, first->name) != 0) {
			first = v[i];
			continue;
		}
		file_problem(f, v[i]->line, "training: %s for '%s' appears "
		    "already on line %ld", v[i]->name, v[i]->email,
		    first->line);
		v[i]->bad = true;
	}
	free(v);
}

/* Header: email, training, and on (or completed_on). */
static int
read_header(struct training_file *f, const struct csv_record *rec, int *col)
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
			return cmd_error(EX_DATAERR, "%s: no '%s' column (the "
			    "first line must name the columns: email, training "
			    "and optionally on)", f->path, names[k]);
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
	diags_free(&f->problems);
}

/* Everyone named must exist already: one query for the whole file. */
static int
find_people(struct ctx *ctx, struct training_file *f, long long *ids)
{
	struct error err = ERROR_INIT;
	const char **emails = xcalloc(f->n + 1, sizeof *emails);
	size_t i;
	int rc = 0;

	for (i = 0; i < f->n; i++)
		emails[i] = f->v[i].email;
	if (store_person_ids(ctx->db, emails, f->n, ids, &err) != 0) {
		rc = cmd_fail(&err);
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
record_file(struct ctx *ctx, struct training_file *f, const long long *ids)
{
	struct error err = ERROR_INIT;
	struct training_in *in = xcalloc(f->n + 1, sizeof *in);
	struct training_out *out = xcalloc(f->n + 1, sizeof *out);
	size_t i, counts[3] = { 0, 0, 0 };
	int rc;

	for (i = 0; i < f->n; i++) {
		in[i].person_id = ids[i];
		in[i].email = f->v[i].email;
		in[i].name = f->v[i].name;
		in[i].on = f->v[i].on;
	}
	if (store_training_add(ctx->db, in, f->n, out, &err) != 0) {
		rc = cmd_fail(&err);
		goto out;
	}
	if ((rc = cmd_reevaluate_people(ctx, ids, f->n)) != 0)
		goto out;
	for (i = 0; i < f->n; i++)
		counts[out[i].action]++;
	fprintf(stderr, "mentorctl: recorded %zu training%s (%zu added, %zu "
	    "re-dated, %zu unchanged)\n", f->n, f->n == 1 ? "" : "s",
	    counts[TRAINING_ADDED], counts[TRAINING_REDATED],
	    counts[TRAINING_SAME]);
out:
	free(in);
	free(out);
	return rc;
}

static int
add_file(struct ctx *ctx, struct cmd_args *args)
{
	struct error err = ERROR_INIT;
	struct training_file f = { 0 };
	struct csv_reader *r;
	struct csv_record rec;
	long long *ids = NULL;
	size_t ncols;
	int col[3], on = ctx->today, rc;

	if ((rc = cmd_opt_date(args, "on", &on)) != 0)
		return rc;
	if ((r = csv_open(cmd_opt(args, "csv"), &err)) == NULL)
		return cmd_fail(&err);
	f.path = csv_name(r);
	if ((rc = csv_next(r, &rec, &err)) <= 0) {
		rc = rc < 0 ? cmd_fail(&err) : cmd_error(EX_DATAERR, "%s: empty "
		    "file (the first line must name the columns: email, "
		    "training and optionally on)", f.path);
		goto out;
	}
	if ((rc = read_header(&f, &rec, col)) != 0)
		goto out;
	ncols = rec.nfields;
	while ((rc = csv_next(r, &rec, &err)) == 1)
		read_line(&f, &rec, col, ncols, on);
	if (rc < 0) {
		if (err.code != EX_DATAERR) {
			rc = cmd_fail(&err);
			goto out;
		}
		/* The rest of the file is unread: report what was found. */
		diags_add(&f.problems, NULL, INT_MAX, 0, "%s", err.msg);
		error_clear(&err);
		rc = print_problems(&f);
		goto out;
	}
	check_duplicates(&f);
	ids = xcalloc(f.n + 1, sizeof *ids);
	if ((rc = find_people(ctx, &f, ids)) != 0)
		goto out;
	if (f.problems.n > 0) {
		rc = print_problems(&f);
		goto out;
	}
	rc = record_file(ctx, &f, ids);
out:
	free(ids);
	training_file_free(&f);
	csv_close(r);
	return rc;
}

static int
cmd_training_add_exec(struct ctx *ctx, struct cmd_args *args)
{
	int rc;

	if (cmd_opt(args, "csv") ? args->npos != 0 : args->npos != 2)
		return cmd_error(EX_USAGE, "usage: mentorctl training add EMAIL "
		    "NAME [--on DATE] | training add --csv FILE [--on DATE]");
	if ((rc = cmd_set_by(ctx, args)) != 0)
		return rc;
	return cmd_opt(args, "csv") ? add_file(ctx, args) : add_one(ctx, args);
}

static const struct cmd_opt add_opts[] = {
	{ "on", true, "--on DATE          completed on DATE (default: today; with --csv, for rows without one)" },
	{ "csv", true, "--csv FILE         record every row of FILE (columns email,training[,on])" },
	{ "by", true, "--by EMAIL         who records it, for the audit (default: $USER)" },
	{ NULL, false, NULL },
};

const struct cmd_entry cmd_training_add_entry = {
	.name = "training", .sub = "add",
	.usage = "EMAIL NAME [--on DATE] | --csv FILE",
	.summary = "record completed trainings (eligibility is re-evaluated)",
	.opts = add_opts,
	.min_args = 0, .max_args = 2,
	.flags = CMD_NEEDS_DB | CMD_WRITES,
	.legacy = cmd_training_add_exec,
};
