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
#include "util/tz.h"
#include "util/xmalloc.h"

/*
 * Time zones checked against the system's tz database, each distinct value
 * once: a file of 100,000 people has a few dozen.
 */
struct zone_memo {
	struct zone_seen {
		char *zone;
		char *problem;     /* NULL: fine */
	} *v;
	size_t cap;            /* a power of two */
	size_t n;
};

static size_t
zone_hash(const char *s)
{
	size_t h = 2166136261u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static struct zone_seen *
zone_slot(struct zone_seen *v, size_t cap, const char *zone)
{
	size_t i = zone_hash(zone) & (cap - 1);

	while (v[i].zone != NULL && strcmp(v[i].zone, zone) != 0)
		i = (i + 1) & (cap - 1);
	return &v[i];
}

static char *
zone_problem(void *arg, const char *zone)
{
	struct zone_memo *m = arg;
	struct zone_seen *e, *v;
	size_t i, cap;
	char *q;

	if ((m->n + 1) * 2 > m->cap) {
		cap = m->cap ? m->cap * 2 : 64;
		v = xcalloc(cap, sizeof *v);
		for (i = 0; i < m->cap; i++)
			if (m->v[i].zone != NULL)
				*zone_slot(v, cap, m->v[i].zone) = m->v[i];
		free(m->v);
		m->v = v;
		m->cap = cap;
	}
	e = zone_slot(m->v, m->cap, zone);
	if (e->zone == NULL) {
		e->zone = xstrdup(zone);
		if (strlen(zone) > 64) {
			q = people_quote(zone);
			e->problem = tz_valid(zone) ? NULL : xstrfmt("'%s' is "
			    "not a time zone", q);
			free(q);
		} else {
			e->problem = tz_problem(zone);
		}
		m->n++;
	}
	return e->problem ? xstrdup(e->problem) : NULL;
}

static void
zone_memo_free(struct zone_memo *m)
{
	size_t i;

	for (i = 0; i < m->cap; i++) {
		free(m->v[i].zone);
		free(m->v[i].problem);
	}
	free(m->v);
	memset(m, 0, sizeof *m);
}

void
ops_sheet_zones(struct people_sheet *s, struct zone_memo **memo)
{
	*memo = xcalloc(1, sizeof **memo);
	s->zone_problem = zone_problem;
	s->zone_arg = *memo;
}

void
ops_zones_free(struct zone_memo *memo)
{
	if (memo == NULL)
		return;
	zone_memo_free(memo);
	free(memo);
}

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
	xqsort(d->v, d->n, sizeof *d->v, diag_cmp);
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

int
ops_check_header(struct csv_reader *r, const struct csv_record *header,
    struct error *err)
{
	const char *why = csv_wrong_separator(header);

	if (why == NULL)
		return 0;
	return error_set(err, EX_DATAERR, "%s:%ld: %s", csv_name(r),
	    header->line, why);
}

void
ops_import_free(struct ops_import *res)
{
	if (res == NULL)
		return;
	diags_free(&res->problems);
}

/*
 * Rows are read, checked and written a batch at a time, so that memory
 * stays flat however long the file is (what stays is a set of the file's
 * e-mails and the managers still to find).  The first problem stops the
 * writing, not the reading: every problem is reported, and the caller's
 * transaction undoes the batches written before it.
 */
#define IMPORT_BATCH 4096

struct import_run {
	const struct ops_ctx *o;
	struct csv_reader *r;
	struct people_sheet *s;
	struct ops_import *res;
	long long *ids;            /* every person of the file, to re-evaluate */
	size_t nids, idcap;
	bool failed;               /* a problem was found: nothing more is written */
	bool fresh;                /* nobody was stored before: every row is new */
	bool enrolled;             /* someone is pending or eligible somewhere */
};

static int
import_batch(struct import_run *run, struct error *err)
{
	struct people_sheet *s = run->s;
	size_t i;

	if (!run->failed && !people_sheet_ok(s))
		run->failed = true;
	if (!run->failed && s->nrows > 0) {
		/*
		 * Into an empty database every row is new (the file's own
		 * repeats are problems already): nothing to compare.
		 */
		if (run->fresh) {
			for (i = 0; i < s->nrows; i++) {
				s->rows[i].state = PEOPLE_ROW_NEW;
				s->rows[i].id = 0;
			}
		} else if (store_person_prepare(run->o->db, s, false, err) != 0) {
			return -1;
		}
		if (store_person_apply(run->o->db, s, csv_name(run->r),
		    &run->res->counts, err) != 0)
			return -1;
		/* Only people who may be enrolled are judged again. */
		for (i = 0; run->enrolled && i < s->nrows; i++) {
			if (s->rows[i].state == PEOPLE_ROW_NEW)
				continue;
			XGROW(run->ids, run->nids + 1, run->idcap);
			run->ids[run->nids++] = s->rows[i].id;
		}
	}
	run->res->rows += s->nrows;
	people_sheet_next_batch(s);
	return 0;
}

/* The rows after the header, a batch at a time; -1 after recording why. */
static int
import_rows(struct import_run *run, struct error *err)
{
	struct csv_record rec;
	size_t row;
	char *reader_error;
	int rc;

	while ((rc = csv_next(run->r, &rec, err)) == 1) {
		people_sheet_add(run->s, rec.line,
		    (const char *const *)rec.fields, rec.nfields, &row);
		if (run->s->nrows == IMPORT_BATCH &&
		    import_batch(run, err) != 0)
			return -1;
	}
	if (rc < 0) {
		if (err->code != EX_DATAERR)
			return -1;
		/* Later rows are unread: their people may be the managers. */
		reader_error = err->msg;
		err->msg = NULL;
		rc = ops_sheet_fail(run->s, reader_error, "imported",
		    &run->res->problems, err);
		free(reader_error);
		return rc;
	}
	return import_batch(run, err);
}

int
ops_people_import(const struct ops_ctx *o, struct csv_reader *r,
    struct ops_import *res, struct error *err)
{
	struct import_run run;
	struct zone_memo *zones = NULL;
	struct csv_record rec;
	int rc = -1, n;

	memset(res, 0, sizeof *res);
	memset(&run, 0, sizeof run);
	run.o = o;
	run.r = r;
	run.res = res;
	csv_set_unguard(r, true);
	if ((n = csv_next(r, &rec, err)) <= 0) {
		if (n == 0)
			error_set(err, EX_DATAERR, "%s: empty file (the first "
			    "line must name the columns, one of them 'email')",
			    csv_name(r));
		goto out;
	}
	if (ops_check_header(r, &rec, err) != 0)
		goto out;
	run.s = people_sheet_new(csv_name(r), rec.line,
	    (const char *const *)rec.fields, rec.nfields, NULL, false);
	ops_sheet_zones(run.s, &zones);
	if (!run.s->usable) {
		ops_sheet_fail(run.s, NULL, "imported", &res->problems, err);
		goto out;
	}
	if (store_person_any(o->db, &run.fresh, err) != 0 ||
	    store_enrollment_open(o->db, &run.enrolled, err) != 0)
		goto out;
	run.fresh = !run.fresh;
	if (import_rows(&run, err) != 0 ||
	    store_person_check_managers(o->db, run.s, err) != 0)
		goto out;
	if (!people_sheet_ok(run.s)) {
		ops_sheet_fail(run.s, NULL, "imported", &res->problems, err);
		goto out;
	}
	if (store_person_audit_file(o->db, csv_name(r), res->rows, &res->counts,
	    err) != 0)
		goto out;
	rc = ops_reevaluate_people(o, run.ids, run.nids, err);
out:
	free(run.ids);
	people_sheet_free(run.s);
	ops_zones_free(zones);
	return rc;
}
