/*
 * cycle start|close|list PROGRAM: the numbered periods of a programme and
 * the re-up decision at their end.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "cmd_rounds.h"
#include "core/cycle.h"
#include "core/date.h"
#include "core/program.h"
#include "store/cycle_store.h"
#include "util/error.h"

static int
cycle_require(const struct program *p)
{
	if (!p->cycle.present)
		return cmd_error(EX_DATAERR, "programme '%s' has no cycle: block "
		    "(add one with 'mentorctl program update')", p->slug);
	return 0;
}

static int
cmd_cycle_start_exec(struct ctx *ctx, struct cmd_args *args)
{
	struct error err = ERROR_INIT;
	struct cycle_row last, open;
	struct cycle_dates cd;
	struct program *p = NULL;
	char b1[DATE_BUFSZ], b2[DATE_BUFSZ], b3[DATE_BUFSZ], b4[DATE_BUFSZ];
	long long pid, id, attached;
	int rc, has_last, start = DATE_NONE;

	/* a rotational programme's cycles are its periods */
	if ((rc = cmd_rounds_cycle(ctx, args, false)) >= 0)
		return rc;
	if ((rc = cmd_opt_date(args, "on", &start)) != 0)
		return rc;
	if ((rc = cmd_load_program(ctx, args->pos[0], &pid, &p)) != 0)
		return rc;
	if ((rc = cycle_require(p)) != 0)
		goto out;
	if ((rc = store_cycle_open(ctx->db, pid, &open, &err)) < 0) {
		rc = cmd_fail(&err);
		goto out;
	}
	if (rc == 1) {
		rc = cmd_error(EX_DATAERR, "cycle %d of '%s' is open (%s to %s); "
		    "close it first with 'mentorctl cycle close %s'",
		    open.d.number, p->slug, date_format(open.d.starts_on, b1),
		    date_format(open.d.ends_on, b2), p->slug);
		goto out;
	}
	if ((has_last = store_cycle_last(ctx->db, pid, &last, &err)) < 0) {
		rc = cmd_fail(&err);
		goto out;
	}
	if (start == DATE_NONE) {
		if (has_last)
			start = last.d.ends_on;
		else if (p->cycle.start != DATE_NONE)
			start = p->cycle.start;
		else
			start = ctx->today;
	} else if (has_last && start < last.d.ends_on) {
		rc = cmd_error(EX_DATAERR, "cycle %d cannot start on %s, before "
		    "cycle %d ends on %s", last.d.number + 1,
		    date_format(start, b1), last.d.number,
		    date_format(last.d.ends_on, b2));
		goto out;
	}
	if (cycle_dates(&p->cycle, has_last ? last.d.number + 1 : 1, start, &cd,
	    &err) != 0) {
		rc = cmd_fail(&err);
		goto out;
	}
	/* A default start that lies a whole cycle back is a forgotten --on. */
	if (cmd_opt(args, "on") == NULL && cd.ends_on <= ctx->today) {
		rc = cmd_error(EX_DATAERR, "cycle %d would run from %s to %s, "
		    "which is over; give the start with --on DATE", cd.number,
		    date_format(cd.starts_on, b1), date_format(cd.ends_on, b2));
		goto out;
	}
	if (store_cycle_start(ctx->db, pid, &cd, &id, &attached, &err) != 0) {
		rc = cmd_fail(&err);
		goto out;
	}
	fprintf(stderr, "mentorctl: started cycle %d of '%s': %s to %s, re-up "
	    "window %s to %s; %lld active pairing%s joined\n", cd.number,
	    p->slug, date_format(cd.starts_on, b1), date_format(cd.ends_on, b2),
	    date_format(cd.reup_opens_on, b3), date_format(cd.reup_closes_on, b4),
	    attached, attached == 1 ? "" : "s");
	rc = 0;
out:
	program_free(p);
	return rc;
}

static const struct out_col close_cols[] = {
	{ "pairing", OUT_INT }, { "mentor_email", OUT_STR },
	{ "mentee_email", OUT_STR }, { "mentor_answer", OUT_STR },
	{ "mentee_answer", OUT_STR }, { "outcome", OUT_STR },
};

static int
cycle_print_decisions(int fmt, const struct cycle_member *v, size_t n)
{
	struct out *o;
	size_t i;

	o = out_new(stdout, (enum out_format)fmt, close_cols,
	    sizeof close_cols / sizeof close_cols[0], 0);
	for (i = 0; i < n; i++) {
		char id[24];
		const char *cells[6];

		snprintf(id, sizeof id, "%lld", v[i].pairing_id);
		cells[0] = id;
		cells[1] = v[i].mentor_email;
		cells[2] = v[i].mentee_email;
		cells[3] = cycle_answer_name(v[i].mentor);
		cells[4] = cycle_answer_name(v[i].mentee);
		cells[5] = cycle_outcome_name(v[i].outcome);
		out_row(o, cells);
	}
	return cmd_out_done(o);
}

static int
cmd_cycle_close_exec(struct ctx *ctx, struct cmd_args *args)
{
	struct error err = ERROR_INIT;
	struct cycle_member *v = NULL;
	struct cycle_dates next;
	struct cycle_row c;
	struct program *p = NULL;
	char b1[DATE_BUFSZ], b2[DATE_BUFSZ];
	long long pid, next_id = 0;
	size_t n = 0, i, cont = 0;
	int rc, fmt;

	if ((rc = cmd_rounds_cycle(ctx, args, true)) >= 0)
		return rc;
	if ((fmt = cmd_out_format(ctx)) < 0)
		return EX_USAGE;
	if ((rc = cmd_load_program(ctx, args->pos[0], &pid, &p)) != 0)
		return rc;
	if ((rc = cycle_require(p)) != 0)
		goto out;
	if ((rc = store_cycle_open(ctx->db, pid, &c, &err)) < 0) {
		rc = cmd_fail(&err);
		goto out;
	}
	if (rc == 0) {
		rc = cmd_error(EX_DATAERR, "programme '%s' has no open cycle",
		    p->slug);
		goto out;
	}
	if (ctx->today <= c.d.reup_closes_on && !cmd_flag(args, "force")) {
		rc = cmd_error(EX_DATAERR, "the re-up window of cycle %d is open "
		    "until %s; close it after that day, or give --force to "
		    "decide now", c.d.number, date_format(c.d.reup_closes_on, b1));
		goto out;
	}
	if (store_cycle_members(ctx->db, c.id, &v, &n, &err) != 0) {
		rc = cmd_fail(&err);
		goto out;
	}
	for (i = 0; i < n; i++) {
		v[i].outcome = cycle_reup_outcome(v[i].mentor, v[i].mentee,
		    p->cycle.reup_default);
		if (v[i].outcome == CYCLE_OUTCOME_CONTINUE)
			cont++;
	}
	/*
	 * The next cycle follows on from the stored one, whatever the YAML's
	 * length says now that it may have changed: dates from cycle_next.
	 */
	if (cont > 0 && cycle_next(&p->cycle, &c.d, &next, &err) != 0) {
		rc = cmd_fail(&err);
		goto out;
	}
	if (store_cycle_close(ctx->db, pid, &c, v, n, ctx->today,
	    cont > 0 ? &next : NULL, &next_id, &err) != 0) {
		rc = cmd_fail(&err);
		goto out;
	}
	if ((rc = cycle_print_decisions(fmt, v, n)) != 0)
		goto out;
	if (cont > 0)
		fprintf(stderr, "mentorctl: closed cycle %d of '%s': %zu "
		    "pairing%s continued into cycle %d (%s to %s), %zu ended\n",
		    c.d.number, p->slug, cont, cont == 1 ? "" : "s", next.number,
		    date_format(next.starts_on, b1), date_format(next.ends_on, b2),
		    n - cont);
	else
		fprintf(stderr, "mentorctl: closed cycle %d of '%s': %zu "
		    "pairing%s ended, none continued (no new cycle)\n",
		    c.d.number, p->slug, n, n == 1 ? "" : "s");
out:
	cycle_members_free(v, n);
	program_free(p);
	return rc;
}

static int
cmd_cycle_list_exec(struct ctx *ctx, struct cmd_args *args)
{
	static const struct out_col cols[] = {
		{ "number", OUT_INT }, { "starts_on", OUT_STR },
		{ "ends_on", OUT_STR }, { "reup_opens_on", OUT_STR },
		{ "reup_closes_on", OUT_STR }, { "status", OUT_STR },
		{ "pairings", OUT_INT }, { "continued", OUT_INT },
		{ "exited", OUT_INT }, { "closed_on", OUT_STR },
	};
	struct error err = ERROR_INIT;
	struct cycle_row *rows;
	struct program *p;
	struct out *o;
	long long pid;
	size_t n, i;
	int fmt, rc;

	if ((fmt = cmd_out_format(ctx)) < 0)
		return EX_USAGE;
	if ((rc = cmd_load_program(ctx, args->pos[0], &pid, &p)) != 0)
		return rc;
	program_free(p);
	if (store_cycle_list(ctx->db, pid, &rows, &n, &err) != 0)
		return cmd_fail(&err);
	o = out_new(stdout, (enum out_format)fmt, cols,
	    sizeof cols / sizeof cols[0], 0);
	for (i = 0; i < n; i++) {
		char num[16], np[24], nc[24], ne[24];
		char d[5][DATE_BUFSZ];
		const char *cells[10];

		snprintf(num, sizeof num, "%d", rows[i].d.number);
		snprintf(np, sizeof np, "%lld", rows[i].pairings);
		snprintf(nc, sizeof nc, "%lld", rows[i].continued);
		snprintf(ne, sizeof ne, "%lld", rows[i].exited);
		cells[0] = num;
		cells[1] = date_format(rows[i].d.starts_on, d[0]);
		cells[2] = date_format(rows[i].d.ends_on, d[1]);
		cells[3] = date_format(rows[i].d.reup_opens_on, d[2]);
		cells[4] = date_format(rows[i].d.reup_closes_on, d[3]);
		cells[5] = rows[i].open ? "open" : "closed";
		cells[6] = np;
		cells[7] = nc;
		cells[8] = ne;
		cells[9] = rows[i].closed_on == DATE_NONE ? NULL :
		    date_format(rows[i].closed_on, d[4]);
		out_row(o, cells);
	}
	cycle_rows_free(rows);
	return cmd_out_done(o);
}

static const struct cmd_opt start_opts[] = {
	{ "on", true, "--on DATE          first day of the cycle (default: "
	    "cycle.start for cycle 1, else the end of the previous cycle)" },
	{ NULL, false, NULL },
};

static const struct cmd_opt close_opts[] = {
	{ "force", false, "--force            close before the re-up window "
	    "has closed (missing answers take reup.default)" },
	{ NULL, false, NULL },
};

const struct cmd_entry cmd_cycle_start_entry = {
	.name = "cycle", .sub = "start", .usage = "PROGRAM [--on DATE]",
	.summary = "start the programme's next cycle; active pairings join it",
	.opts = start_opts,
	.min_args = 1, .max_args = 1,
	.flags = CMD_NEEDS_DB | CMD_WRITES,
	.legacy = cmd_cycle_start_exec,
};

const struct cmd_entry cmd_cycle_close_entry = {
	.name = "cycle", .sub = "close", .usage = "PROGRAM [--force]",
	.summary = "close the open cycle: re-up outcomes, exits, the next cycle",
	.opts = close_opts,
	.min_args = 1, .max_args = 1,
	.flags = CMD_NEEDS_DB | CMD_WRITES,
	.legacy = cmd_cycle_close_exec,
};

const struct cmd_entry cmd_cycle_list_entry = {
	.name = "cycle", .sub = "list", .usage = "PROGRAM",
	.summary = "list the programme's cycles and their re-up windows",
	.min_args = 1, .max_args = 1,
	.flags = CMD_NEEDS_DB,
	.legacy = cmd_cycle_list_exec,
};
