/*
 * enroll (one person or a file) and withdraw.
 */
#include "ops/enroll.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/people.h"
#include "io/csv.h"
#include "ops/people.h"
#include "store/person_store.h"
#include "util/xmalloc.h"

/* The enrollment id of the person in the programme afterwards, into row. */
static int
fetch_row(const struct ops_ctx *o, long long person_id, long long program_id,
    long long enrollment_id, struct enrollment_row *row, struct error *err)
{
	struct enrollment_row *rows;
	size_t n, i;

	if (store_enrollment_of_person(o->db, person_id, program_id, &rows, &n,
	    err) != 0)
		return -1;
	for (i = 0; i < n; i++) {
		if (rows[i].id != enrollment_id)
			continue;
		*row = rows[i];
		memset(&rows[i], 0, sizeof rows[i]);
	}
	enrollment_rows_free(rows, n);
	return 0;
}

int
ops_enroll(const struct ops_ctx *o, long long program_id,
    const struct program *p, struct ops_enroll *req, struct error *err)
{
	struct enrollment_in in;
	struct person_rec person;
	int rc = -1;

	memset(&req->done, 0, sizeof req->done);
	memset(&req->row, 0, sizeof req->row);
	req->overloaded = false;
	req->load = req->places = 0;
	/* a mentee's capacity: mentors at once, where the format has them */
	if (req->role == ROLE_MENTEE && req->set_capacity &&
	    req->capacity > 1 && !program_several_mentors(p))
		return error_set(err, EX_DATAERR, "a mentee of a %s programme "
		    "has one %s at a time: capacity must be 1, not %d",
		    program_format_name(p->format), p->format == FORMAT_GROUP ?
		    "group" : "mentor", req->capacity);
	if (req->set_capacity && (req->capacity < 1 ||
	    req->capacity > ENROLL_CAPACITY_MAX))
		return error_set(err, EX_DATAERR, "capacity must be between 1 "
		    "and %d, not %d", ENROLL_CAPACITY_MAX, req->capacity);
	if (store_person_get(o->db, req->email, &person, err) != 0)
		return -1;
	memset(&in, 0, sizeof in);
	in.program_id = program_id;
	in.person_id = person.id;
	in.email = person.fields[PEOPLE_EMAIL];
	in.role = req->role;
	in.set_capacity = req->set_capacity;
	/* as given: a mentee's 1 is not the programme's default when that is 2 */
	in.capacity = req->capacity;
	in.set_goal = req->set_goal;
	in.goal = req->goal;
	in.default_capacity = req->role == ROLE_MENTOR ? p->mentor.capacity : 1;
	if (store_enrollment_put(o->db, &in, 1, o->today, &req->done, err) != 0 ||
	    store_enrollment_reevaluate(o->db, program_id, p, o->today,
	    &person.id, 1, NULL, err) != 0 ||
	    fetch_row(o, person.id, program_id, req->done.id, &req->row,
	    err) != 0)
		goto out;
	if (req->role == ROLE_MENTOR && req->done.action == ENROLL_UPDATED) {
		struct enrollment_overload *ov;
		size_t nov;

		if (store_enrollment_overloaded(o->db, program_id,
		    p->mentor.capacity, &person.id, 1, &ov, &nov, err) != 0)
			goto out;
		if (nov > 0) {
			req->overloaded = true;
			req->load = ov[0].load;
			req->places = ov[0].capacity;
		}
		enrollment_overloads_free(ov, nov);
	}
	rc = 0;
out:
	person_rec_free(&person);
	return rc;
}

void
ops_enroll_free(struct ops_enroll *req)
{
	if (req == NULL)
		return;
	enrollment_row_free(&req->row);
}

/* ---- enroll --csv ---- */

/* An enrollment row of a CSV file: the person is a row of the sheet. */
struct enroll_line {
	long line;
	size_t row;
	int role;
	bool set_capacity;     /* the cell asks for a change ... */
	int capacity;          /* ... to this; -1: the programme's default */
	bool set_goal;
	char *goal;            /* NULL: none */
};

struct enroll_file {
	const char *slug;      /* the programme enrolled into */
	bool several;          /* mentees may have several mentors at once */
	struct people_sheet *sheet;
	int col_role, col_capacity, col_goal;
	int col_program, col_status;   /* `export enrollments` columns */
	size_t withdrawn;      /* rows of withdrawn enrollments, left alone */
	struct zone_memo *zones;
	struct enroll_line *v;
	size_t n;
	size_t cap;
	long *seen;            /* per sheet row and role: the line, 0 if none */
	size_t seencap;
};

static void
enroll_file_free(struct enroll_file *f)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		free(f->v[i].goal);
	free(f->v);
	free(f->seen);
	people_sheet_free(f->sheet);
	ops_zones_free(f->zones);
}

/* The enrollment's own cells; problems go to the sheet. */
static void
read_enrollment(struct enroll_file *f, long line, char *const *fields,
    int person, size_t row)
{
	struct people_sheet *s = f->sheet;
	struct enroll_line e = { line, row, -1, false, -1, false, NULL };
	const char *want;
	char *cell, *q, *end;
	long v;

	cell = people_trim(fields[f->col_role]);
	if ((e.role = enrollment_role_parse(cell)) < 0) {
		q = people_quote(cell);
		people_sheet_problem(s, line, "role", "unknown role '%s' "
		    "(expected mentor or mentee)", q);
		free(q);
	}
	/* Empty: no change; PEOPLE_CLEAR: back to the programme's default. */
	if (f->col_capacity >= 0 &&
	    (want = people_cell(s, people_trim(fields[f->col_capacity]))) !=
	    NULL && *want == '\0') {
		e.set_capacity = true;
	} else if (f->col_capacity >= 0 &&
	    *(cell = people_trim(fields[f->col_capacity])) != '\0') {
		v = strtol(cell, &end, 10);
		if (*end != '\0' || v < 1 || v > ENROLL_CAPACITY_MAX) {
			q = people_quote(cell);
			people_sheet_problem(s, line, "capacity", "'%s' is not a "
			    "whole number between 1 and %d", q,
			    ENROLL_CAPACITY_MAX);
			free(q);
			e.role = -1;
		} else if (e.role == ROLE_MENTEE && v != 1 && !f->several) {
			people_sheet_problem(s, line, "capacity", "a mentee's "
			    "capacity is 1 in this programme's format, not %ld",
			    v);
			e.role = -1;
		} else {
			e.set_capacity = true;
			e.capacity = (int)v;
		}
	}
	/* An export of this programme's enrollments reads back as itself. */
	if (f->col_program >= 0 &&
	    *(cell = people_trim(fields[f->col_program])) != '\0' &&
	    strcmp(cell, f->slug) != 0) {
		q = people_quote(cell);
		people_sheet_problem(s, line, "program", "a row of programme "
		    "'%s' in a file enrolled into '%s'", q, f->slug);
		free(q);
		return;
	}
	if (person < 0 || e.role < 0)
		return;
	if (f->col_status >= 0 && enrollment_status_parse(people_trim(
	    fields[f->col_status])) == ENROLLMENT_WITHDRAWN) {
		f->withdrawn++;
		return;
	}
	if (2 * (row + 1) > f->seencap) {
		size_t old = f->seencap;

		XGROW(f->seen, 2 * (row + 1), f->seencap);
		memset(f->seen + old, 0, (f->seencap - old) * sizeof *f->seen);
	}
	if (f->seen[2 * row + (size_t)e.role] != 0) {
		people_sheet_problem(s, line, "role", "'%s' is enrolled as %s "
		    "already on line %ld", s->rows[row].email,
		    enrollment_role_name((enum program_role)e.role),
		    f->seen[2 * row + (size_t)e.role]);
		return;
	}
	f->seen[2 * row + (size_t)e.role] = line;
	if (f->col_goal >= 0 &&
	    (want = people_cell(s, people_trim(fields[f->col_goal]))) != NULL) {
		e.set_goal = true;
		e.goal = *want ? xstrdup(want) : NULL;
	}
	XGROW(f->v, f->n + 1, f->cap);
	f->v[f->n++] = e;
}

static int
read_file(struct csv_reader *r, struct enroll_file *f,
    struct ops_enroll_file *res, struct error *err)
{
	/*
	 * The enrollment's own columns, and those `export enrollments` adds
	 * (its state: read back, never set from a file).
	 */
	static const char *const reserved[] = { "role", "capacity", "goal",
	    "program", "status", "reason", "enrolled_on", "eligible_on",
	    "withdrawn_on", "withdraw_reason", NULL };
	struct csv_record rec;
	size_t row = 0;
	int rc, person;
	char *reader_error;

	csv_set_unguard(r, true);
	if ((rc = csv_next(r, &rec, err)) <= 0) {
		if (rc == 0)
			error_set(err, EX_DATAERR, "%s: empty file (the first "
			    "line must name the columns: email, role and "
			    "optionally capacity, goal and person columns)",
			    csv_name(r));
		return -1;
	}
	if (ops_check_header(r, &rec, err) != 0)
		return -1;
	f->sheet = people_sheet_new(csv_name(r), rec.line,
	    (const char *const *)rec.fields, rec.nfields, reserved, true);
	/* An enrollment file changes what it names: empty is "no change". */
	f->sheet->keep_empty = true;
	ops_sheet_zones(f->sheet, &f->zones);
	f->col_role = people_sheet_column(f->sheet, "role");
	f->col_capacity = people_sheet_column(f->sheet, "capacity");
	f->col_goal = people_sheet_column(f->sheet, "goal");
	f->col_program = people_sheet_column(f->sheet, "program");
	f->col_status = people_sheet_column(f->sheet, "status");
	if (f->col_role < 0) {
		people_sheet_problem(f->sheet, 0, NULL, "no 'role' column (the "
		    "first line must name the columns: email, role and "
		    "optionally capacity, goal and person columns)");
		f->sheet->usable = false;
	}
	if (!f->sheet->usable)
		return ops_sheet_fail(f->sheet, NULL, "enrolled", &res->problems,
		    err);
	while ((rc = csv_next(r, &rec, err)) == 1) {
		person = people_sheet_add(f->sheet, rec.line,
		    (const char *const *)rec.fields, rec.nfields, &row);
		if (rec.nfields == f->sheet->ncols)
			read_enrollment(f, rec.line, rec.fields, person, row);
	}
	if (rc == 0)
		return 0;
	if (err->code != EX_DATAERR)
		return -1;
	reader_error = err->msg;
	err->msg = NULL;
	rc = ops_sheet_fail(f->sheet, reader_error, "enrolled", &res->problems,
	    err);
	free(reader_error);
	return rc;
}

static void
add_pending(struct ops_enroll_file *res, size_t *cap, const char *email,
    enum program_role role, const char *reason)
{
	struct ops_pending *pd;

	XGROW(res->pendings, res->npendings + 1, *cap);
	pd = &res->pendings[res->npendings++];
	pd->email = xstrdup(email);
	pd->role = role;
	pd->reason = xstrdup(reason ? reason : "");
}

/* The file's enrollments that are pending after the re-evaluation. */
static int
collect_pending(const struct ops_ctx *o, long long program_id,
    const long long *ids, size_t n, struct ops_enroll_file *res,
    struct error *err)
{
	struct enrollment_row *rows;
	size_t nrows, i, cap = 0;

	if (store_enrollment_list(o->db, program_id, ids, n, ENROLLMENT_PENDING,
	    &rows, &nrows, err) != 0)
		return -1;
	for (i = 0; i < nrows; i++)
		add_pending(res, &cap, rows[i].email, rows[i].role,
		    rows[i].reason);
	enrollment_rows_free(rows, nrows);
	return 0;
}

static int
enroll_rows(const struct ops_ctx *o, struct enroll_file *f,
    long long program_id, const struct program *p,
    struct ops_enroll_file *res, struct error *err)
{
	struct enrollment_in *in = xcalloc(f->n + 1, sizeof *in);
	struct enrollment_out *out = xcalloc(f->n + 1, sizeof *out);
	long long *ids = xcalloc(f->n + 1, sizeof *ids);
	struct elig_counts ec;
	size_t i, cap = 0;
	int rc = -1;

	for (i = 0; i < f->n; i++) {
		const struct people_row *r = &f->sheet->rows[f->v[i].row];

		in[i].program_id = program_id;
		in[i].person_id = ids[i] = r->id;
		in[i].email = r->email;
		in[i].role = (enum program_role)f->v[i].role;
		in[i].set_capacity = f->v[i].set_capacity;
		in[i].capacity = f->v[i].capacity;
		in[i].default_capacity = in[i].role == ROLE_MENTOR ?
		    p->mentor.capacity : 1;
		in[i].set_goal = f->v[i].set_goal;
		in[i].goal = f->v[i].goal;
	}
	if (store_enrollment_put(o->db, in, f->n, o->today, out, err) != 0 ||
	    store_enrollment_reevaluate(o->db, program_id, p, o->today, ids,
	    f->n, &ec, err) != 0)
		goto out;
	for (i = 0; i < f->n; i++) {
		struct ops_reenrolled *re;

		res->action[out[i].action]++;
		if (out[i].action != ENROLL_REACTIVATED)
			continue;
		XGROW(res->reenrolled, res->nreenrolled + 1, cap);
		re = &res->reenrolled[res->nreenrolled++];
		re->email = xstrdup(in[i].email);
		re->role = in[i].role;
		re->withdrawn_on = out[i].withdrawn_on;
		re->was_completed = out[i].was_completed;
	}
	res->enrollments = f->n;
	res->eligible = ec.eligible;
	res->pending = ec.evaluated - ec.eligible;
	rc = collect_pending(o, program_id, ids, f->n, res, err);
out:
	free(in);
	free(out);
	free(ids);
	return rc;
}

int
ops_enroll_csv(const struct ops_ctx *o, long long program_id,
    const struct program *p, struct csv_reader *r,
    struct ops_enroll_file *res, struct error *err)
{
	struct enroll_file f;
	long long *ids = NULL;
	size_t i;
	int rc = -1;

	memset(res, 0, sizeof *res);
	memset(&f, 0, sizeof f);
	f.slug = p->slug;
	f.several = program_several_mentors(p);
	if (read_file(r, &f, res, err) != 0)
		goto out;
	/* Without person columns the file can only name people who exist. */
	if (store_person_prepare(o->db, f.sheet, !f.sheet->has_person_columns,
	    err) != 0 || store_person_check_managers(o->db, f.sheet, err) != 0)
		goto out;
	if (!people_sheet_ok(f.sheet)) {
		ops_sheet_fail(f.sheet, NULL, "enrolled", &res->problems, err);
		goto out;
	}
	res->people = f.sheet->nrows;
	if (store_person_apply(o->db, f.sheet, csv_name(r), &res->person_counts,
	    err) != 0 || store_person_audit_file(o->db, csv_name(r),
	    res->people, &res->person_counts, err) != 0)
		goto out;
	res->withdrawn = f.withdrawn;
	if (enroll_rows(o, &f, program_id, p, res, err) != 0)
		goto out;
	if (res->action[ENROLL_UPDATED] > 0) {
		ids = xcalloc(f.sheet->nrows + 1, sizeof *ids);
		for (i = 0; i < f.sheet->nrows; i++)
			ids[i] = f.sheet->rows[i].id;
		if (store_enrollment_overloaded(o->db, program_id,
		    p->mentor.capacity, ids, f.sheet->nrows, &res->overloads,
		    &res->noverloads, err) != 0)
			goto out;
		free(ids);
		ids = NULL;
	}
	/* Changed people may qualify differently in their other programmes. */
	if (res->person_counts.updated > 0) {
		ids = xcalloc(f.sheet->nrows + 1, sizeof *ids);
		for (i = 0; i < f.sheet->nrows; i++)
			ids[i] = f.sheet->rows[i].id;
		if (ops_reevaluate_people(o, ids, f.sheet->nrows, err) != 0)
			goto out;
	}
	rc = 0;
out:
	free(ids);
	enroll_file_free(&f);
	return rc;
}

void
ops_enroll_file_free(struct ops_enroll_file *res)
{
	size_t i;

	if (res == NULL)
		return;
	for (i = 0; i < res->nreenrolled; i++)
		free(res->reenrolled[i].email);
	free(res->reenrolled);
	for (i = 0; i < res->npendings; i++) {
		free(res->pendings[i].email);
		free(res->pendings[i].reason);
	}
	free(res->pendings);
	enrollment_overloads_free(res->overloads, res->noverloads);
	diags_free(&res->problems);
	memset(res, 0, sizeof *res);
}

/* ---- withdraw ---- */

int
ops_withdraw(const struct ops_ctx *o, long long program_id, const char *slug,
    struct ops_withdraw *req, struct error *err)
{
	struct enrollment_row *rows = NULL;
	struct person_rec person;
	size_t n = 0, i, pick = 0, found = 0;
	int rc = -1;

	memset(&req->row, 0, sizeof req->row);
	memset(&req->counts, 0, sizeof req->counts);
	req->already = false;
	if (store_person_get(o->db, req->email, &person, err) != 0)
		return -1;
	if (store_enrollment_of_person(o->db, person.id, program_id, &rows, &n,
	    err) != 0)
		goto out;
	for (i = 0; i < n; i++) {
		if (req->role >= 0 && (int)rows[i].role != req->role)
			continue;
		pick = i;
		found++;
	}
	if (found == 0) {
		error_set(err, EX_DATAERR, "'%s' is not enrolled in '%s'%s%s",
		    person.fields[PEOPLE_EMAIL], slug, req->role >= 0 ? " as " :
		    "", req->role >= 0 ? enrollment_role_name(
		    (enum program_role)req->role) : "");
		goto out;
	}
	if (found > 1) {
		error_set(err, EX_USAGE, "'%s' is both mentor and mentee in "
		    "'%s'; give --role", person.fields[PEOPLE_EMAIL], slug);
		goto out;
	}
	req->row = rows[pick];
	memset(&rows[pick], 0, sizeof rows[pick]);
	if (req->row.status == ENROLLMENT_WITHDRAWN) {
		req->already = true;
		rc = 0;
		goto out;
	}
	rc = store_enrollment_withdraw(o->db, req->row.id, req->reason,
	    o->today, o->actor, &req->counts, err);
out:
	enrollment_rows_free(rows, n);
	person_rec_free(&person);
	return rc;
}

void
ops_withdraw_free(struct ops_withdraw *req)
{
	if (req == NULL)
		return;
	enrollment_row_free(&req->row);
}
