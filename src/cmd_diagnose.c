/*
 * diagnose PROGRAM: the readiness / opportunity / support checklist and the
 * six standards, as of today.  A report, not a check: findings exit 0.
 *
 * csv/json columns: standard,severity,finding,subjects,action,check
 * (subjects joined with "; ").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "core/diagnose.h"
#include "core/metrics.h"
#include "core/program.h"
#include "io/out.h"
#include "store/report_store.h"

/* A terminal shows this many subjects of a finding; csv and json show all. */
#define DIAGNOSE_TABLE_SUBJECTS 10

static int
diagnose_listing(const struct diagnose_list *l, enum out_format fmt)
{
	static const struct out_col cols[] = {
		{ "standard", OUT_STR }, { "severity", OUT_STR },
		{ "finding", OUT_STR }, { "subjects", OUT_STR },
		{ "action", OUT_STR }, { "check", OUT_STR },
	};
	struct out *o = out_new(stdout, fmt, cols, 6, 0);
	size_t i;

	for (i = 0; i < l->n; i++) {
		const struct diagnose_finding *f = &l->v[i];
		char *subjects = diagnose_subjects(f, "; ", 0);
		const char *cells[6] = {
			diagnose_standard_name(f->standard),
			diagnose_severity_name(f->severity), f->what, subjects,
			f->action, f->check,
		};

		out_row(o, cells);
		free(subjects);
	}
	return cmd_out_done(o);
}

/* Grouped by standard for people; one error line when writing fails. */
static int
diagnose_table(const struct program *p, const struct diagnose_list *l,
    int today)
{
	static const struct out_col cols[] = {
		{ "", OUT_STR }, { "", OUT_STR },
	};
	long long count[3] = { 0, 0, 0 };
	char day[DATE_BUFSZ];
	size_t i;
	int last = -1;

	printf("%s: diagnosis as of %s\n", p->slug, date_format(today, day));
	for (i = 0; i < l->n; i++) {
		const struct diagnose_finding *f = &l->v[i];
		struct out *o;

		count[f->severity]++;
		if ((int)f->standard != last) {
			printf("\n== %s ==\n", diagnose_standard_name(f->standard));
			last = (int)f->standard;
		}
		/* The writer makes names and comments safe for a terminal. */
		o = out_new(stdout, OUT_TABLE, cols, 2, OUT_NO_HEADER);
		{
			char *subjects = diagnose_subjects(f, "; ",
			    DIAGNOSE_TABLE_SUBJECTS);
			char sev[16];
			const char *what[2] = { sev, f->what };
			const char *who[2] = { "  about", subjects };
			const char *todo[2] = { "  do   ", f->action };

			/* As wide as "problem", so every finding lines up. */
			snprintf(sev, sizeof sev, "%-7s",
			    diagnose_severity_name(f->severity));

			out_row(o, what);
			if (f->nsubjects)
				out_row(o, who);
			out_row(o, todo);
			out_finish(o);
			free(subjects);
		}
		out_free(o);
	}
	if (l->n == 0)
		printf("\nno findings: the programme passes every check\n");
	else
		printf("\n%lld %s, %lld %s, %lld info\n", count[DIAGNOSE_PROBLEM],
		    count[DIAGNOSE_PROBLEM] == 1 ? "problem" : "problems",
		    count[DIAGNOSE_WARNING],
		    count[DIAGNOSE_WARNING] == 1 ? "warning" : "warnings",
		    count[DIAGNOSE_INFO]);
	if (fflush(stdout) != 0 || ferror(stdout))
		return cmd_error(EX_IOERR, "cannot write to standard output");
	return 0;
}

static int
cmd_diagnose_exec(struct ctx *ctx, struct cmd_args *args)
{
	struct error err = ERROR_INIT;
	struct diagnose_list l = DIAGNOSE_LIST_INIT;
	struct metrics_input *in = NULL;
	struct program *p = NULL;
	long long id;
	int fmt, rc;

	if ((fmt = cmd_out_format(ctx)) < 0)
		return EX_USAGE;
	if ((rc = cmd_load_program(ctx, args->pos[0], &id, &p)) != 0)
		return rc;
	if ((in = report_store_load(ctx->db, id, ctx->today, &err)) == NULL ||
	    report_store_trainings(ctx->db, id, in, &err) != 0) {
		rc = cmd_fail(&err);
		goto out;
	}
	diagnose_run(p, in, &l);
	if (fmt == OUT_TABLE)
		rc = diagnose_table(p, &l, ctx->today);
	else
		rc = diagnose_listing(&l, (enum out_format)fmt);
out:
	diagnose_list_free(&l);
	metrics_input_free(in);
	program_free(p);
	return rc;
}

const struct cmd_entry cmd_diagnose_entry = {
	.name = "diagnose", .sub = NULL, .usage = "PROGRAM",
	.summary = "check a programme against the standards of effective mentoring",
	.min_args = 1, .max_args = 1,
	.flags = CMD_NEEDS_DB,
	.legacy = cmd_diagnose_exec,
};
