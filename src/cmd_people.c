/*
 * people import FILE.csv, people list, people show EMAIL.  The import's
 * rules are in ops/people.c; these commands read their arguments, call it
 * and print.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "core/date.h"
#include "core/people.h"
#include "core/program.h"
#include "core/status.h"
#include "io/csv.h"
#include "ops/eligibility.h"
#include "ops/people.h"
#include "ops/program.h"
#include "store/enrollment_store.h"
#include "store/person_store.h"
#include "util/error.h"
#include "util/xmalloc.h"

static struct ops_ctx
ops_of(const struct ctx *ctx)
{
	struct ops_ctx o = { ctx->db, ctx->today, ctx->now, ctx->actor };

	return o;
}

/* The person columns every listing starts with, in people_fields order. */
#define PERSON_COLS \
	{ "email", OUT_STR }, { "name", OUT_STR }, { "department", OUT_STR }, \
	{ "title", OUT_STR }, { "level", OUT_INT }, { "hired_on", OUT_DATE }, \
	{ "location", OUT_STR }, { "timezone", OUT_STR }, \
	{ "manager_email", OUT_STR }

/* The standard fields of a person, typed, from their stored text. */
static void
out_person(struct out *o, const char *const *fields)
{
	int f, day;

	for (f = 0; f < PEOPLE_NFIELDS; f++) {
		const char *v = fields[f];

		if (f == PEOPLE_LEVEL && v != NULL)
			out_int(o, people_fields[f], strtoll(v, NULL, 10));
		else if (f == PEOPLE_HIRED_ON)
			out_date(o, people_fields[f], v && date_parse(v, &day) == 0 ?
			    day : DATE_NONE);
		else
			out_str(o, people_fields[f], v);
	}
}

/* ---- import ---- */

static int
cmd_people_import_exec(struct ctx *ctx, const struct cmd_args *args,
    struct error *err)
{
	struct ops_ctx o = ops_of(ctx);
	struct ops_import res;
	struct csv_reader *r;
	int rc;

	if ((r = csv_open(args->pos[0], err)) == NULL)
		return -1;
	rc = ops_people_import(&o, r, &res, err);
	csv_close(r);
	if (rc != 0) {
		cmd_print_problems(&res.problems);
		ops_import_free(&res);
		return -1;
	}
	cmd_note(ctx, "imported %zu %s (%zu created, %zu updated, %zu "
	    "unchanged)", res.rows, res.rows == 1 ? "person" : "people",
	    res.counts.created, res.counts.updated, res.counts.unchanged);
	ops_import_free(&res);
	return 0;
}

/* ---- list ---- */

struct list_opts {
	const char *department;
	const char *program;
	const char *role;
	const char *status;
	const char *search;
};

static const struct cmd_option list_options[] = {
	OPT_STRING("department", "D", struct list_opts, department,
	    "only people of department D"),
	OPT_STRING("program", "SLUG", struct list_opts, program,
	    "only people enrolled in programme SLUG, one row per enrollment "
	    "with its role, status and reason"),
	OPT_STRING("role", "R", struct list_opts, role,
	    "only people enrolled as mentor or mentee"),
	OPT_STRING("status", "S", struct list_opts, status,
	    "only enrollments with status S (pending, eligible, active, "
	    "withdrawn)"),
	OPT_STRING("search", "TEXT", struct list_opts, search,
	    "TEXT in the e-mail, name, department, title or location"),
	OPT_END,
};

struct list_filter {
	struct person_filter f;
	enum program_role role;
	enum enrollment_status status;
};

static int
list_filter(struct ctx *ctx, const struct list_opts *opt,
    struct list_filter *lf, struct error *err)
{
	struct ops_ctx o = ops_of(ctx);
	struct program *p;
	int v, rc;

	memset(lf, 0, sizeof *lf);
	lf->f.department = opt->department;
	lf->f.search = opt->search;
	if (opt->role) {
		if ((v = enrollment_role_parse(opt->role)) < 0)
			return error_set(err, EX_USAGE, "unknown role '%s' "
			    "(expected mentor or mentee)", opt->role);
		lf->role = (enum program_role)v;
		lf->f.role = &lf->role;
	}
	if (opt->status) {
		if ((v = enrollment_status_parse(opt->status)) < 0)
			return error_set(err, EX_USAGE, "unknown status '%s' "
			    "(expected pending, eligible, active or withdrawn)",
			    opt->status);
		lf->status = (enum enrollment_status)v;
		lf->f.status = &lf->status;
	}
	if (opt->program) {
		if (ops_program_load(&o, opt->program, &lf->f.program_id, &p,
		    err) != 0)
			return -1;
		lf->f.by_enrollment = true;
		/* Statuses as of today: time may have qualified someone. */
		rc = ops_eligibility_refresh(&o, lf->f.program_id, p, NULL, err);
		program_free(p);
		return rc;
	}
	if (opt->role || opt->status)
		return ops_eligibility_refresh_all(&o, err);
	return 0;
}

static int
cmd_people_list_exec(struct ctx *ctx, const struct cmd_args *args,
    struct error *err)
{
	static const struct out_col cols[] = {
		PERSON_COLS,
		{ "role", OUT_STR }, { "status", OUT_STR }, { "reason", OUT_STR },
	};
	struct list_filter lf;
	struct person_cursor *c;
	const char *const *cells;
	const char *reason;
	enum program_role role;
	enum enrollment_status status;
	struct out *o;
	int rc;

	if (list_filter(ctx, args->opts, &lf, err) != 0)
		return -1;
	if ((c = store_person_cursor(ctx->db, &lf.f, NULL, 0, err)) == NULL)
		return -1;
	o = cmd_out_new(ctx, cols, lf.f.by_enrollment ? PEOPLE_NFIELDS + 3 :
	    PEOPLE_NFIELDS);
	while ((rc = store_person_next(c, &cells, err)) == 1) {
		out_person(o, cells);
		if (lf.f.by_enrollment) {
			store_person_enrollment(c, &role, &status, &reason);
			out_str(o, "role", enrollment_role_name(role));
			out_str(o, "status", enrollment_status_name(status));
			out_str(o, "reason", reason);
		}
		out_end_row(o);
	}
	store_person_cursor_free(c);
	if (rc < 0) {
		out_free(o);
		return -1;
	}
	return cmd_out_end(o, err);
}

/* ---- show ---- */

static const struct out_col enrollment_cols[] = {
	{ "program", OUT_STR }, { "role", OUT_STR }, { "status", OUT_STR },
	{ "reason", OUT_STR }, { "capacity", OUT_INT }, { "goal", OUT_STR },
	{ "enrolled_on", OUT_DATE }, { "eligible_on", OUT_DATE },
	{ "withdrawn_on", OUT_DATE },
};

static const struct out_col training_cols[] = {
	{ "training", OUT_STR }, { "completed_on", OUT_DATE },
};

static const struct out_col pairing_cols[] = {
	{ "id", OUT_INT }, { "program", OUT_STR }, { "role", OUT_STR },
	{ "partner", OUT_STR }, { "status", OUT_STR }, { "score", OUT_REAL },
	{ "since", OUT_DATE }, { "until", OUT_DATE },
};

#define NELEM(a) (sizeof (a) / sizeof (a)[0])

/* What people show prints besides the record. */
struct person_story {
	struct enrollment_row *enrollments;
	size_t nenrollments;
	struct training_row *trainings;
	size_t ntrainings;
	struct person_pairing_row *pairings;
	size_t npairings;
};

static int
story_load(struct ctx *ctx, long long id, struct person_story *s,
    struct error *err)
{
	memset(s, 0, sizeof *s);
	if (store_enrollment_of_person(ctx->db, id, 0, &s->enrollments,
	    &s->nenrollments, err) != 0 ||
	    store_training_list(ctx->db, id, &s->trainings, &s->ntrainings,
	    err) != 0 ||
	    store_person_pairings(ctx->db, id, &s->pairings, &s->npairings,
	    err) != 0)
		return -1;
	return 0;
}

static void
story_free(struct person_story *s)
{
	enrollment_rows_free(s->enrollments, s->nenrollments);
	training_rows_free(s->trainings, s->ntrainings);
	person_pairing_rows_free(s->pairings, s->npairings);
}

static void
put_enrollments(struct out *o, const struct person_story *s, bool table)
{
	size_t i;

	for (i = 0; i < s->nenrollments; i++) {
		const struct enrollment_row *e = &s->enrollments[i];

		out_str(o, "program", e->program);
		out_str(o, "role", enrollment_role_name(e->role));
		out_str(o, "status", enrollment_status_name(e->status));
		/* One column for why it is not on: pending or withdrawn. */
		out_str(o, "reason", e->status == ENROLLMENT_WITHDRAWN ?
		    e->withdraw_reason : e->reason);
		if (e->has_capacity)
			out_int(o, "capacity", e->capacity);
		out_str(o, "goal", e->goal);
		out_date(o, "enrolled_on", e->enrolled_on);
		if (!table) {
			out_date(o, "eligible_on", e->eligible_on);
			out_date(o, "withdrawn_on", e->withdrawn_on);
		}
		out_end_row(o);
	}
}

static void
put_trainings(struct out *o, const struct person_story *s)
{
	size_t i;

	for (i = 0; i < s->ntrainings; i++) {
		out_str(o, "training", s->trainings[i].name);
		out_date(o, "completed_on", s->trainings[i].completed_on);
		out_end_row(o);
	}
}

static void
put_pairings(struct out *o, const struct person_story *s)
{
	size_t i;

	for (i = 0; i < s->npairings; i++) {
		const struct person_pairing_row *p = &s->pairings[i];

		out_int(o, "id", p->id);
		out_str(o, "program", p->program);
		out_str(o, "role", enrollment_role_name(p->role));
		out_str(o, "partner", p->partner);
		out_str(o, "status", pairing_status_name(p->status));
		out_real(o, "score", p->score, 2);
		out_date(o, "since", p->since);
		out_date(o, "until", p->until);
		out_end_row(o);
	}
}

/* Table: a titled section under the record. */
static int
section(struct ctx *ctx, const char *title, const struct out_col *cols,
    size_t ncols, size_t n, const struct person_story *s,
    void (*put)(struct out *, const struct person_story *),
    struct error *err)
{
	struct out *o;

	fprintf(ctx->out, "\n%s:%s\n", title, n == 0 ? " none" : "");
	if (n == 0)
		return 0;
	o = out_new(ctx->out, OUT_TABLE, cols, ncols, 0);
	put(o, s);
	return cmd_out_end(o, err);
}

static void
put_enrollments_table(struct out *o, const struct person_story *s)
{
	put_enrollments(o, s, true);
}

static int
cmd_people_show_exec(struct ctx *ctx, const struct cmd_args *args,
    struct error *err)
{
	struct person_story story;
	struct person_rec p;
	struct out_col *cols;
	struct out *o, *sub;
	size_t n, i;
	bool json = ctx->fmt == OUT_JSON;
	int rc = -1;

	struct ops_ctx oc = ops_of(ctx);

	if (store_person_get(ctx->db, args->pos[0], &p, err) != 0)
		return -1;
	/* The enrollments' statuses as of today. */
	if (ops_eligibility_refresh_people(&oc, &p.id, 1, err) != 0 ||
	    story_load(ctx, p.id, &story, err) != 0)
		goto out_person;
	/* JSON nests the person's story; csv stays one flat record. */
	n = PEOPLE_NFIELDS + p.nattrs + (json ? 3 : 0);
	cols = xcalloc(n, sizeof *cols);
	{
		static const struct out_col std[] = { PERSON_COLS };

		memcpy(cols, std, sizeof std);
	}
	for (i = 0; i < p.nattrs; i++) {
		cols[PEOPLE_NFIELDS + i].name = p.attrs[i].name;
		cols[PEOPLE_NFIELDS + i].type = OUT_STR;
	}
	if (json) {
		cols[n - 3].name = "enrollments";
		cols[n - 2].name = "trainings";
		cols[n - 1].name = "pairings";
		cols[n - 3].type = cols[n - 2].type = cols[n - 1].type =
		    OUT_NESTED;
	}
	o = cmd_record_new(ctx, cols, n);
	out_person(o, (const char *const *)p.fields);
	for (i = 0; i < p.nattrs; i++)
		out_str(o, p.attrs[i].name, p.attrs[i].value);
	if (json) {
		sub = out_nested(o, "enrollments", enrollment_cols,
		    NELEM(enrollment_cols));
		put_enrollments(sub, &story, false);
		out_nested_end(o, sub);
		sub = out_nested(o, "trainings", training_cols,
		    NELEM(training_cols));
		put_trainings(sub, &story);
		out_nested_end(o, sub);
		sub = out_nested(o, "pairings", pairing_cols,
		    NELEM(pairing_cols));
		put_pairings(sub, &story);
		out_nested_end(o, sub);
	}
	out_end_row(o);
	rc = cmd_out_end(o, err);
	/* The sections are for people reading a terminal. */
	if (rc == 0 && ctx->fmt == OUT_TABLE)
		rc = section(ctx, "enrollments", enrollment_cols, 7,
		    story.nenrollments, &story, put_enrollments_table, err) ||
		    section(ctx, "trainings", training_cols,
		    NELEM(training_cols), story.ntrainings, &story,
		    put_trainings, err) ||
		    section(ctx, "pairings", pairing_cols, NELEM(pairing_cols),
		    story.npairings, &story, put_pairings, err) ? -1 : 0;
	free(cols);
	story_free(&story);
out_person:
	person_rec_free(&p);
	return rc;
}

const struct cmd_entry cmd_people_import_entry = {
	.name = "people", .sub = "import", .usage = "FILE.csv",
	.summary = "create and update people from a CSV file (all or nothing)",
	.example = "mentorctl people import hr-export.csv",
	.min_args = 1, .max_args = 1,
	.flags = CMD_NEEDS_DB | CMD_WRITES,
	.exec = cmd_people_import_exec,
};

const struct cmd_entry cmd_people_list_entry = {
	.name = "people", .sub = "list",
	.usage = "[--department D] [--program SLUG] [--role R] [--status S] "
	    "[--search TEXT]",
	.summary = "list people, sorted by e-mail",
	.example = "mentorctl people list --program eng-2027 --status pending",
	CMD_OPTIONS(struct list_opts, list_options),
	.min_args = 0, .max_args = 0,
	.flags = CMD_NEEDS_DB | CMD_LISTING,
	.exec = cmd_people_list_exec,
};

const struct cmd_entry cmd_people_show_entry = {
	.name = "people", .sub = "show", .usage = "EMAIL",
	.summary = "show a person with enrollments, trainings and pairings",
	.example = "mentorctl people show ana@example.org --format json",
	.min_args = 1, .max_args = 1,
	.flags = CMD_NEEDS_DB | CMD_LISTING,
	.exec = cmd_people_show_exec,
};
