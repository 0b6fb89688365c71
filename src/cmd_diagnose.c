/*
 * diagnose PROGRAM: the readiness / opportunity / support checklist and the
 * six standards, as of today.  A report, not a check: findings exit 0.
 *
 * csv/json columns: standard,severity,finding,subjects,action,check
 * (subjects: a JSON array, joined with "; " in csv).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "core/diagnose.h"
#include "core/metrics.h"
#include "core/program.h"
#include "io/out.h"
#include "ops/match.h"
#include "ops/rotation.h"
#include "store/match_store.h"
#include "store/report_store.h"
#include "util/xmalloc.h"

/* A terminal shows this many subjects of a finding; csv and json show all. */
#define DIAGNOSE_TABLE_SUBJECTS 10

static int
diagnose_listing(const struct ctx *ctx, const struct diagnose_list *l,
    struct error *err)
{
	static const struct out_col cols[] = {
		{ "standard", OUT_STR }, { "severity", OUT_STR },
		{ "finding", OUT_STR }, { "subjects", OUT_NESTED },
		{ "action", OUT_STR }, { "check", OUT_STR },
	};
	struct out *o = cmd_out_new(ctx, cols, sizeof cols / sizeof cols[0]);
	size_t i;

	for (i = 0; i < l->n; i++) {
		const struct diagnose_finding *f = &l->v[i];

		out_str(o, "standard", diagnose_standard_name(f->standard));
		out_str(o, "severity", diagnose_severity_name(f->severity));
		out_str(o, "finding", f->what);
		out_strv(o, "subjects", (const char *const *)f->subjects,
		    f->nsubjects);
		out_str(o, "action", f->action);
		out_str(o, "check", f->check);
		out_end_row(o);
	}
	return cmd_out_end(o, err);
}

/* One finding for people: "problem  what", "  about  who", "  do     what to do". */
static int
diagnose_finding_table(FILE *fp, const struct diagnose_finding *f)
{
	static const struct out_col cols[] = {
		{ "label", OUT_STR }, { "text", OUT_STR },
	};
	/* The writer makes names and comments safe for a terminal. */
	struct out *o = out_new(fp, OUT_TABLE, cols, 2, OUT_NO_HEADER);
	char *subjects = diagnose_subjects(f, "; ", DIAGNOSE_TABLE_SUBJECTS);
	char sev[16];
	int rc;

	/* As wide as "problem", so every finding lines up. */
	snprintf(sev, sizeof sev, "%-7s", diagnose_severity_name(f->severity));
	out_str(o, "label", sev);
	out_str(o, "text", f->what);
	out_end_row(o);
	if (f->nsubjects) {
		out_str(o, "label", "  about");
		out_str(o, "text", subjects);
		out_end_row(o);
	}
	out_str(o, "label", "  do   ");
	out_str(o, "text", f->action);
	out_end_row(o);
	rc = out_finish(o);
	out_free(o);
	free(subjects);
	return rc;
}

/* Grouped by standard, for people. */
static int
diagnose_table(const struct ctx *ctx, const struct diagnose_list *l,
    struct error *err)
{
	FILE *fp = ctx->out;
	long long count[3] = { 0, 0, 0 };
	char day[DATE_BUFSZ];
	size_t i;
	int last = -1, rc = 0;

	fprintf(fp, "%s: diagnosis as of %s\n", ctx->program->slug,
	    date_format(ctx->today, day));
	for (i = 0; i < l->n; i++) {
		const struct diagnose_finding *f = &l->v[i];

		count[f->severity]++;
		if ((int)f->standard != last) {
			fprintf(fp, "\n== %s ==\n",
			    diagnose_standard_name(f->standard));
			last = (int)f->standard;
		}
		rc |= diagnose_finding_table(fp, f);
	}
	if (l->n == 0)
		fputs("\nno findings: the programme passes every check\n", fp);
	else
		fprintf(fp, "\n%lld %s, %lld %s, %lld info\n",
		    count[DIAGNOSE_PROBLEM],
		    count[DIAGNOSE_PROBLEM] == 1 ? "problem" : "problems",
		    count[DIAGNOSE_WARNING],
		    count[DIAGNOSE_WARNING] == 1 ? "warning" : "warnings",
		    count[DIAGNOSE_INFO]);
	if (rc != 0 || fflush(fp) != 0 || ferror(fp))
		return error_set(err, EX_IOERR, "cannot write to standard "
		    "output");
	return 0;
}

/*
 * What only a matching can tell: the places missing for the mentees who
 * would stay unmatched today (a dry run of the programme's own matching),
 * mentors who let two or more proposals expire, and a rotation period
 * that should have moved on.
 */
static int
diagnose_from_matching(struct ctx *ctx, struct diagnose_list *l,
    struct error *err)
{
	struct ops_ctx o = { ctx->db, ctx->today, ctx->now, ctx->actor };
	struct ops_needs needs;
	struct mentor_lapse *v = NULL;
	const char **emails;
	int *lapsed;
	size_t n = 0, i;
	int period, last_day;
	enum program_format f = ctx->program->format;

	if (f != FORMAT_FLASH && f != FORMAT_ROTATIONAL) {
		memset(&needs, 0, sizeof needs);
		if (ops_capacity(&o, ctx->program_id, ctx->program, &needs,
		    err) != 0) {
			ops_needs_free(&needs);
			return -1;
		}
		diagnose_capacity(l, &needs.needs);
		ops_needs_free(&needs);
	}
	if (f == FORMAT_ROTATIONAL) {
		if (ops_rotation_overdue(&o, ctx->program_id, ctx->program,
		    &period, &last_day, err) != 0)
			return -1;
		diagnose_rotation_overdue(l, ctx->program, period, last_day,
		    ctx->today);
	}
	if (store_mentor_lapses(ctx->db, ctx->program_id, ctx->today, 2, &v,
	    &n, err) != 0)
		return -1;
	emails = xcalloc(n + 1, sizeof *emails);
	lapsed = xcalloc(n + 1, sizeof *lapsed);
	for (i = 0; i < n; i++) {
		emails[i] = v[i].email;
		lapsed[i] = v[i].lapsed;
	}
	diagnose_lapses(l, emails, lapsed, n);
	free(emails);
	free(lapsed);
	mentor_lapses_free(v, n);
	return 0;
}

static int
cmd_diagnose_exec(struct ctx *ctx, const struct cmd_args *args,
    struct error *err)
{
	struct diagnose_list l = DIAGNOSE_LIST_INIT;
	struct metrics_input *in;
	int rc = -1;

	(void)args;
	if ((in = report_store_load(ctx->db, ctx->program_id, ctx->today,
	    err)) == NULL)
		return -1;
	if (report_store_trainings(ctx->db, ctx->program_id, in, err) != 0)
		goto out;
	diagnose_run(ctx->program, in, &l);
	if (diagnose_from_matching(ctx, &l, err) != 0)
		goto out;
	if (ctx->fmt == OUT_TABLE)
		rc = diagnose_table(ctx, &l, err);
	else
		rc = diagnose_listing(ctx, &l, err);
out:
	diagnose_list_free(&l);
	metrics_input_free(in);
	return rc;
}

const struct cmd_entry cmd_diagnose_entry = {
	.name = "diagnose", .sub = NULL, .usage = "PROGRAM",
	.summary = "check a programme against the standards of effective mentoring",
	.example = "mentorctl diagnose eng-2027 --format csv",
	.min_args = 1, .max_args = 1,
	.flags = CMD_NEEDS_DB | CMD_PROGRAM_ARG | CMD_LISTING,
	.exec = cmd_diagnose_exec,
};
