/*
 * enroll PROGRAM EMAIL --role R, enroll PROGRAM --csv FILE, withdraw PROGRAM
 * EMAIL: people joining and leaving a programme.  Each enrollment is
 * qualified at once against the programme's eligibility rules.
 */
#include <limits.h>
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
#include "store/program_store.h"
#include "util/error.h"
#include "util/xmalloc.h"

#define CAPACITY_MAX 1000	/* the schema's CHECK */

static int
parse_role(const char *s)
{
	int role;

	if (s == NULL) {
		cmd_error(EX_USAGE, "missing option '--role' (mentor or mentee)");
		return -1;
	}
	if ((role = enrollment_role_parse(s)) < 0)
		cmd_error(EX_USAGE, "unknown role '%s' (expected mentor or mentee)",
		    s);
	return role;
}

/* "eligible" or "pending (missing training x)" of one enrollment. */
static void
print_status(const char *what, const struct enrollment_row *e)
{
	fprintf(stderr, "mentorctl: %s: %s%s%s%s\n", what,
	    enrollment_status_name(e->status),
	    e->reason ? " (" : "", e->reason ? e->reason : "",
	    e->reason ? ")" : "");
}

static int
enroll_one(struct ctx *ctx, struct cmd_args *args)
{
	struct error err = ERROR_INIT;
	struct enrollment_in in = { 0 };
	struct enrollment_out out;
	struct enrollment_row *rows = NULL;
	struct person_rec person = { 0 };
	struct program *p = NULL;
	const char *slug = args->pos[0];
	char what[400], d[DATE_BUFSZ];
	long capacity = -1;
	long long program_id;
	size_t n = 0, i;
	int role, rc;

	if ((role = parse_role(cmd_opt(args, "role"))) < 0)
		return EX_USAGE;
	if ((rc = cmd_opt_int(args, "capacity", 1, CAPACITY_MAX, &capacity)) != 0)
		return rc;
	if (role == ROLE_MENTEE && capacity > 1)
		return cmd_error(EX_DATAERR, "a mentee's capacity is 1 (--capacity "
		    "%ld is for mentors)", capacity);
	if ((rc = cmd_load_program(ctx, slug, &program_id, &p)) != 0)
		return rc;
	if (store_person_get(ctx->db, args->pos[1], &person, &err) != 0) {
		rc = cmd_fail(&err);
		goto out;
	}
	in.program_id = program_id;
	in.person_id = person.id;
	in.email = person.fields[PEOPLE_EMAIL];
	in.role = (enum program_role)role;
	/* A mentee's 1 is the programme's default: store "default". */
	in.set_capacity = cmd_opt(args, "capacity") != NULL;
	in.capacity = role == ROLE_MENTEE ? -1 : (int)capacity;
	in.set_goal = cmd_opt(args, "goal") != NULL;
	in.goal = cmd_opt(args, "goal");
	if (store_enrollment_put(ctx->db, &in, 1, ctx->today, &out, &err) != 0 ||
	    store_enrollment_reevaluate(ctx->db, program_id, p, ctx->today,
	    &person.id, 1, NULL, &err) != 0 ||
	    store_enrollment_of_person(ctx->db, person.id, program_id, &rows, &n,
	    &err) != 0) {
		rc = cmd_fail(&err);
		goto out;
	}
	for (i = 0; i < n; i++) {
		if (rows[i].id != out.id)
			continue;
		switch (out.action) {
		case ENROLL_CREATED:
			snprintf(what, sizeof what, "enrolled '%s' in '%s' as %s",
			    in.email, slug, enrollment_role_name(in.role));
			break;
		case ENROLL_REACTIVATED:
			snprintf(what, sizeof what, "re-enrolled '%s' in '%s' as "
			    "%s (withdrawn on %s)", in.email, slug,
			    enrollment_role_name(in.role),
			    date_format(out.withdrawn_on, d));
			break;
		case ENROLL_UPDATED:
			snprintf(what, sizeof what, "updated the %s enrollment of "
			    "'%s' in '%s'", enrollment_role_name(in.role),
			    in.email, slug);
			break;
		case ENROLL_UNCHANGED:
			snprintf(what, sizeof what, "'%s' is enrolled already in "
			    "'%s' as %s", in.email, slug,
			    enrollment_role_name(in.role));
			break;
		}
		print_status(what, &rows[i]);
	}
out:
	enrollment_rows_free(rows, n);
	person_rec_free(&person);
	program_free(p);
	return rc;
}

/* An enrollment row of a CSV file: the person is a row of the sheet. */
struct enroll_line {
	long line;
	size_t row;
	int role;
	int capacity;          /* -1: the programme's default */
	char *goal;
};

struct enroll_file {
	struct people_sheet *sheet;
	int col_role, col_capacity, col_goal;
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
}

/* The enrollment's own cells; problems go to the sheet. */
static void
read_enrollment(struct enroll_file *f, long line, char *const *fields,
    int person, size_t row)
{
	struct people_sheet *s = f->sheet;
	struct enroll_line e = { line, row, -1, -1, NULL };
	char *cell, *q, *end;
	long v;

	cell = people_trim(fields[f->col_role]);
	if ((e.role = enrollment_role_parse(cell)) < 0) {
		q = people_quote(cell);
		people_sheet_problem(s, line, "role", "unknown role '%s' "
		    "(expected mentor or mentee)", q);
		free(q);
	}
	if (f->col_capacity >= 0 &&
	    *(cell = people_trim(fields[f->col_capacity])) != '\0') {
		v = strtol(cell, &end, 10);
		if (*end != '\0' || v < 1 || v > CAPACITY_MAX) {
			q = people_quote(cell);
			people_sheet_problem(s, line, "capacity", "'%s' is not a "
			    "whole number between 1 and %d", q, CAPACITY_MAX);
			free(q);
			e.role = -1;
		} else if (e.role == ROLE_MENTEE && v != 1) {
			people_sheet_problem(s, line, "capacity", "a mentee's "
			    "capacity is 1, not %ld", v);
			e.role = -1;
		} else if (e.role == ROLE_MENTOR) {
			e.capacity = (int)v;
		}
	}
	if (person < 0 || e.role < 0)
		return;
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
	if (f->col_goal >= 0)
		e.goal = xstrdup(people_trim(fields[f->col_goal]));
	XGROW(f->v, f->n + 1, f->cap);
	f->v[f->n++] = e;
}

static int
read_file(struct csv_reader *r, struct enroll_file *f)
{
	static const char *const reserved[] = { "role", "capacity", "goal", NULL };
	struct error err = ERROR_INIT;
	struct csv_record rec;
	size_t row = 0;
	int rc, person;

	if ((rc = csv_next(r, &rec, &err)) <= 0)
		return rc < 0 ? cmd_fail(&err) : cmd_error(EX_DATAERR, "%s: empty "
		    "file (the first line must name the columns: email, role and "
		    "optionally capacity, goal and person columns)", csv_name(r));
	f->sheet = people_sheet_new(csv_name(r), rec.line,
	    (const char *const *)rec.fields, rec.nfields, reserved, true);
	f->col_role = people_sheet_column(f->sheet, "role");
	f->col_capacity = people_sheet_column(f->sheet, "capacity");
	f->col_goal = people_sheet_column(f->sheet, "goal");
	if (f->col_role < 0) {
		people_sheet_problem(f->sheet, 0, NULL, "no 'role' column (the "
		    "first line must name the columns: email, role and "
		    "optionally capacity, goal and person columns)");
		f->sheet->usable = false;
	}
	if (!f->sheet->usable)
		return cmd_print_sheet_problems(f->sheet, NULL, "enrolled");
	while ((rc = csv_next(r, &rec, &err)) == 1) {
		person = people_sheet_add(f->sheet, rec.line,
		    (const char *const *)rec.fields, rec.nfields, &row);
		if (rec.nfields == f->sheet->ncols)
			read_enrollment(f, rec.line, rec.fields, person, row);
	}
	if (rc == 0)
		return 0;
	if (err.code != EX_DATAERR)
		return cmd_fail(&err);
	rc = cmd_print_sheet_problems(f->sheet, err.msg, "enrolled");
	error_clear(&err);
	return rc;
}

/* What an enrollment file did, for the summary line. */
struct enroll_summary {
	size_t action[ENROLL_UNCHANGED + 1];	/* by enum enrollment_action */
	size_t eligible;
	size_t pending;
};

static int
enroll_rows(struct ctx *ctx, struct enroll_file *f, long long program_id,
    const char *slug, const struct program *p, struct enroll_summary *sum)
{
	struct error err = ERROR_INIT;
	struct enrollment_in *in = xcalloc(f->n + 1, sizeof *in);
	struct enrollment_out *out = xcalloc(f->n + 1, sizeof *out);
	long long *ids = xcalloc(f->n + 1, sizeof *ids);
	struct elig_counts ec;
	char d[DATE_BUFSZ];
	size_t i;
	int rc = 0;

	for (i = 0; i < f->n; i++) {
		const struct people_row *r = &f->sheet->rows[f->v[i].row];

		in[i].program_id = program_id;
		in[i].person_id = ids[i] = r->id;
		in[i].email = r->email;
		in[i].role = (enum program_role)f->v[i].role;
		in[i].set_capacity = f->col_capacity >= 0;
		in[i].capacity = f->v[i].capacity;
		in[i].set_goal = f->col_goal >= 0;
		in[i].goal = f->v[i].goal;
	}
	if (store_enrollment_put(ctx->db, in, f->n, ctx->today, out, &err) != 0 ||
	    store_enrollment_reevaluate(ctx->db, program_id, p, ctx->today, ids,
	    f->n, &ec, &err) != 0) {
		rc = cmd_fail(&err);
		goto out;
	}
	for (i = 0; i < f->n; i++) {
		sum->action[out[i].action]++;
		if (out[i].action == ENROLL_REACTIVATED)
			fprintf(stderr, "mentorctl: re-enrolled '%s' in '%s' as %s "
			    "(withdrawn on %s)\n", in[i].email, slug,
			    enrollment_role_name(in[i].role),
			    date_format(out[i].withdrawn_on, d));
	}
	sum->eligible = ec.eligible;
	sum->pending = ec.evaluated - ec.eligible;
out:
	free(in);
	free(out);
	free(ids);
	return rc;
}

static int
enroll_file(struct ctx *ctx, struct cmd_args *args)
{
	struct error err = ERROR_INIT;
	struct enroll_file f = { 0 };
	struct enroll_summary sum = { { 0 }, 0, 0 };
	struct person_counts pc;
	struct program *p = NULL;
	struct csv_reader *r;
	const char *slug = args->pos[0];
	long long program_id, *ids = NULL;
	size_t i;
	int rc;

	if (cmd_opt(args, "role") || cmd_opt(args, "capacity") ||
	    cmd_opt(args, "goal"))
		return cmd_error(EX_USAGE, "with --csv, role, capacity and goal "
		    "are columns of the file");
	if ((rc = cmd_load_program(ctx, slug, &program_id, &p)) != 0)
		return rc;
	if ((r = csv_open(cmd_opt(args, "csv"), &err)) == NULL) {
		program_free(p);
		return cmd_fail(&err);
	}
	if ((rc = read_file(r, &f)) != 0)
		goto out;
	/* Without person columns the file can only name people who exist. */
	if (store_person_prepare(ctx->db, f.sheet, !f.sheet->has_person_columns,
	    &err) != 0) {
		rc = cmd_fail(&err);
		goto out;
	}
	if (!people_sheet_ok(f.sheet)) {
		rc = cmd_print_sheet_problems(f.sheet, NULL, "enrolled");
		goto out;
	}
	if (store_person_apply(ctx->db, f.sheet, csv_name(r), &pc, &err) != 0) {
		rc = cmd_fail(&err);
		goto out;
	}
	if ((rc = enroll_rows(ctx, &f, program_id, slug, p, &sum)) != 0)
		goto out;
	/* Changed people may qualify differently in their other programmes. */
	if (pc.updated > 0) {
		ids = xcalloc(f.sheet->nrows + 1, sizeof *ids);
		for (i = 0; i < f.sheet->nrows; i++)
			ids[i] = f.sheet->rows[i].id;
		if ((rc = cmd_reevaluate_people(ctx, ids, f.sheet->nrows)) != 0)
			goto out;
	}
	if (pc.created + pc.updated > 0)
		fprintf(stderr, "mentorctl: imported %zu %s (%zu created, %zu "
		    "updated, %zu unchanged)\n", f.sheet->nrows,
		    f.sheet->nrows == 1 ? "person" : "people", pc.created,
		    pc.updated, pc.unchanged);
	fprintf(stderr, "mentorctl: %s: %zu enrollment%s (%zu new, %zu updated, "
	    "%zu re-enrolled, %zu unchanged); %zu eligible, %zu pending\n", slug,
	    f.n, f.n == 1 ? "" : "s", sum.action[ENROLL_CREATED],
	    sum.action[ENROLL_UPDATED], sum.action[ENROLL_REACTIVATED],
	    sum.action[ENROLL_UNCHANGED], sum.eligible, sum.pending);
out:
	free(ids);
	enroll_file_free(&f);
	csv_close(r);
	program_free(p);
	return rc;
}

static int
cmd_enroll_exec(struct ctx *ctx, struct cmd_args *args)
{
	int rc;

	if (cmd_opt(args, "csv") ? args->npos != 1 : args->npos != 2)
		return cmd_error(EX_USAGE, "usage: mentorctl enroll PROGRAM EMAIL "
		    "--role mentor|mentee [--capacity N] [--goal TEXT] | enroll "
		    "PROGRAM --csv FILE");
	if ((rc = cmd_set_by(ctx, args)) != 0)
		return rc;
	return cmd_opt(args, "csv") ? enroll_file(ctx, args) :
	    enroll_one(ctx, args);
}

/* The one enrollment withdraw means; 0 or the exit status. */
static int
pick_enrollment(struct ctx *ctx, struct cmd_args *args, long long program_id,
    const struct person_rec *person, struct enrollment_row **rows, size_t *n,
    size_t *pick)
{
	struct error err = ERROR_INIT;
	const char *role_opt = cmd_opt(args, "role");
	const char *email = person->fields[PEOPLE_EMAIL];
	size_t i, found = 0;
	int role = -1;

	if (role_opt && (role = parse_role(role_opt)) < 0)
		return EX_USAGE;
	if (store_enrollment_of_person(ctx->db, person->id, program_id, rows, n,
	    &err) != 0)
		return cmd_fail(&err);
	for (i = 0; i < *n; i++) {
		if (role >= 0 && (int)(*rows)[i].role != role)
			continue;
		*pick = i;
		found++;
	}
	if (found == 0)
		return cmd_error(EX_DATAERR, "'%s' is not enrolled in '%s'%s%s",
		    email, args->pos[0], role >= 0 ? " as " : "",
		    role >= 0 ? role_opt : "");
	if (found > 1)
		return cmd_error(EX_USAGE, "'%s' is both mentor and mentee in "
		    "'%s'; give --role", email, args->pos[0]);
	return 0;
}

static int
cmd_withdraw_exec(struct ctx *ctx, struct cmd_args *args)
{
	struct error err = ERROR_INIT;
	struct enrollment_row *rows = NULL;
	struct person_rec person = { 0 };
	struct withdraw_counts wc;
	struct program_row prow;
	const struct enrollment_row *e;
	const char *reason = cmd_opt(args, "reason");
	char d[DATE_BUFSZ];
	size_t n = 0, pick = 0;
	int rc;

	if ((rc = cmd_set_by(ctx, args)) != 0)
		return rc;
	if (store_program_get(ctx->db, args->pos[0], &prow, &err) != 0)
		return cmd_fail(&err);
	if (store_person_get(ctx->db, args->pos[1], &person, &err) != 0) {
		rc = cmd_fail(&err);
		goto out;
	}
	if ((rc = pick_enrollment(ctx, args, prow.id, &person, &rows, &n,
	    &pick)) != 0)
		goto out;
	e = &rows[pick];
	if (e->status == ENROLLMENT_WITHDRAWN) {
		fprintf(stderr, "mentorctl: '%s' was withdrawn already from '%s' "
		    "as %s on %s\n", e->email, e->program,
		    enrollment_role_name(e->role), date_format(e->withdrawn_on, d));
		goto out;
	}
	if (store_enrollment_withdraw(ctx->db, e->id, reason, ctx->today,
	    cmd_actor(ctx, args), &wc, &err) != 0) {
		rc = cmd_fail(&err);
		goto out;
	}
	fprintf(stderr, "mentorctl: withdrew '%s' from '%s' as %s", e->email,
	    e->program, enrollment_role_name(e->role));
	if (wc.declined)
		fprintf(stderr, "; %zu proposed pairing%s declined", wc.declined,
		    wc.declined == 1 ? "" : "s");
	if (wc.ended)
		fprintf(stderr, "; %zu active pairing%s ended", wc.ended,
		    wc.ended == 1 ? "" : "s");
	fputc('\n', stderr);
out:
	enrollment_rows_free(rows, n);
	person_rec_free(&person);
	program_row_free(&prow);
	return rc;
}

static const struct cmd_opt enroll_opts[] = {
	{ "role", true, "--role R           mentor or mentee" },
	{ "capacity", true, "--capacity N       mentees this mentor takes (default: the programme's)" },
	{ "goal", true, "--goal TEXT        the person's own goal for the programme" },
	{ "csv", true, "--csv FILE         enroll every row of FILE (columns email,role[,capacity,goal] and person columns)" },
	{ "by", true, "--by EMAIL         who enrolls, for the audit (default: $USER)" },
	{ NULL, false, NULL },
};

static const struct cmd_opt withdraw_opts[] = {
	{ "role", true, "--role R           which enrollment, when the person is mentor and mentee" },
	{ "reason", true, "--reason TEXT      why, kept with the enrollment" },
	{ "by", true, "--by EMAIL         who withdraws, for the audit (default: $USER)" },
	{ NULL, false, NULL },
};

const struct cmd_entry cmd_enroll_entry = {
	.name = "enroll",
	.usage = "PROGRAM EMAIL --role mentor|mentee [--capacity N] [--goal TEXT] | PROGRAM --csv FILE",
	.summary = "enroll people in a programme and qualify them",
	.opts = enroll_opts,
	.min_args = 1, .max_args = 2,
	.flags = CMD_NEEDS_DB | CMD_WRITES,
	.legacy = cmd_enroll_exec,
};

const struct cmd_entry cmd_withdraw_entry = {
	.name = "withdraw",
	.usage = "PROGRAM EMAIL [--role R] [--reason TEXT]",
	.summary = "withdraw an enrollment; its open pairings end",
	.opts = withdraw_opts,
	.min_args = 2, .max_args = 2,
	.flags = CMD_NEEDS_DB | CMD_WRITES,
	.legacy = cmd_withdraw_exec,
};
