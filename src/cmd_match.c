/*
 * match PROGRAM [--dry-run] [--explain]: propose the optimal pairings of
 * the mentees still unmatched with the mentors' places left.  Load the
 * candidates (store), score them and solve (core), store the proposals in
 * the command's transaction and print them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "core/date.h"
#include "core/match.h"
#include "core/program.h"
#include "core/score.h"
#include "ops/rotation.h"
#include "store/match_store.h"
#include "store/pairing_store.h"
#include "util/error.h"
#include "util/xmalloc.h"

/* The format whose sessions `schedule` builds, not `match`. */
static int
refuse_format(const struct program *p, const char *slug)
{
	if (p->format != FORMAT_FLASH && p->format != FORMAT_ROTATIONAL)
		return 0;
	return cmd_error(EX_DATAERR, "programme '%s' has format %s: its "
	    "sessions are built by 'mentorctl schedule %s', not matched",
	    slug, program_format_name(p->format), slug);
}

/*
 * Group diversity on a re-run: the solver caps each class per mentor from
 * zero, so a group that holds mentees already must not take more of their
 * departments.  With max_per_department 1 this is exact; above 1 a
 * department already present is closed to the group (the rule is never
 * broken, at the price of optimality in that rare case).
 */
static void
close_full_groups(const struct match_pool *pool, const struct program *p,
    struct score_table *t)
{
	size_t k, next;
	int i, j, n, max;

	if (t->mentee_class == NULL)
		return;
	max = t->max_per_class;
	for (k = 0; k < pool->nmembers; k = next) {
		j = pool->members[k].mentor;
		for (next = k; next < pool->nmembers &&
		    pool->members[next].mentor == j; next++)
			;
		for (i = 0; i < pool->nmentees; i++) {
			n = match_group_same_department(pool, p, i, j);
			if (n >= max || (n > 0 && max > 1))
				t->score[(size_t)i * pool->nmentors + j] =
				    MATCH_EXCLUDED;
		}
	}
}

struct run {
	struct ctx *ctx;
	const struct program *p;
	const char *slug;
	long long program_id;
	bool dry;
	bool explain;
	struct match_pool pool;
	struct score_table t;
	struct match_result r;
	struct pairing_new *v;       /* per mentee: its new pairing */
	char **labels;
};

static int
solve(struct run *run)
{
	struct error err = ERROR_INIT;
	struct match_pool *pool = &run->pool;
	struct match_problem pb;
	struct score_input in;
	int *cap, j, rc;

	match_pool_input(pool, run->p, run->ctx->today, &in);
	if (score_build(&in, &run->t, &err) != 0)
		return cmd_fail(&err);
	close_full_groups(pool, run->p, &run->t);
	cap = xreallocarray(NULL, pool->nmentors ? (size_t)pool->nmentors : 1,
	    sizeof *cap);
	for (j = 0; j < pool->nmentors; j++)
		cap[j] = match_cand_free_places(&pool->mentors[j]);
	memset(&pb, 0, sizeof pb);
	pb.nmentees = pool->nmentees;
	pb.nmentors = pool->nmentors;
	pb.capacity = cap;
	pb.score = run->t.score;
	pb.objective = run->p->matching.objective;
	pb.mentee_class = run->t.mentee_class;
	pb.max_per_class = run->t.max_per_class;
	rc = match_solve(&pb, &run->r, &err);
	free(cap);
	return rc != 0 ? cmd_fail(&err) : 0;
}

static int
store_matches(struct run *run)
{
	struct error err = ERROR_INIT;
	struct match_pool *pool = &run->pool;
	struct pairing_propose pp;
	struct pairing_new *v;
	size_t n = 0;
	int i, j;

	v = run->v = xcalloc(pool->nmentees ? (size_t)pool->nmentees : 1,
	    sizeof *v);
	for (i = 0; i < pool->nmentees; i++) {
		if ((j = run->r.mentor_of[i]) < 0)
			continue;
		v[n].mentor_enrollment_id = pool->mentors[j].enrollment_id;
		v[n].mentee_enrollment_id = pool->mentees[i].enrollment_id;
		v[n].mentor_email = pool->mentors[j].email;
		v[n].mentee_email = pool->mentees[i].email;
		v[n].group_id = run->p->format == FORMAT_GROUP ?
		    pool->mentors[j].enrollment_id : 0;
		v[n].score = run->t.score[(size_t)i * pool->nmentors + j];
		n++;
	}
	if (run->dry)
		return 0;
	memset(&pp, 0, sizeof pp);
	pp.program_id = run->program_id;
	pp.origin = PAIRING_ORIGIN_MATCH;
	pp.today = run->ctx->today;
	pp.expires_on = date_add_duration(run->ctx->today,
	    run->p->matching.respond_within, 1);
	pp.activate = run->p->matching.consent == CONSENT_NONE;
	if (store_pairing_propose(run->ctx->db, &pp, v, n, &err) != 0)
		return cmd_fail(&err);
	return 0;
}

/* Why an unmatched mentee is: for --explain. */
static char *
unmatched_rule(const struct run *run, int i)
{
	const int16_t *row = run->t.score + (size_t)i * run->pool.nmentors;
	int j, allowed = 0;

	for (j = 0; j < run->pool.nmentors; j++)
		if (row[j] != MATCH_EXCLUDED)
			allowed++;
	if (allowed == 0)
		return xstrdup("unmatched: no allowed mentor with a place left");
	return xasprintf("unmatched: %d allowed mentor%s, no place left for "
	    "this mentee in the optimal assignment", allowed,
	    allowed == 1 ? "" : "s");
}

static int
print_matches(struct run *run, int fmt)
{
	struct match_pool *pool = &run->pool;
	size_t nc = run->p->matching.ncriteria, ncols, k, n = 0;
	struct out_col *cols;
	struct score_detail d;
	struct out *o;
	const char **cells;
	char (*num)[MATCH_POINTS_BUFSZ], idbuf[24], gbuf[24], sbuf[MATCH_POINTS_BUFSZ];
	double *contrib;
	char *rule;
	int i, j, rc;

	ncols = 6 + (run->explain ? nc + 1 : 0);
	cols = xcalloc(ncols, sizeof *cols);
	cells = xcalloc(ncols, sizeof *cells);
	num = xcalloc(nc ? nc : 1, sizeof *num);
	contrib = xcalloc(nc ? nc : 1, sizeof *contrib);
	cols[0] = (struct out_col){ "mentee_email", OUT_STR };
	cols[1] = (struct out_col){ "mentor_email", OUT_STR };
	cols[2] = (struct out_col){ "score", OUT_REAL };
	cols[3] = (struct out_col){ "pairing_id", OUT_INT };
	cols[4] = (struct out_col){ "status", OUT_STR };
	cols[5] = (struct out_col){ "group_id", OUT_INT };
	if (run->explain) {
		for (k = 0; k < nc; k++)
			cols[6 + k] = (struct out_col){ run->labels[k], OUT_REAL };
		cols[6 + nc] = (struct out_col){ "rule", OUT_STR };
	}
	o = out_new(stdout, (enum out_format)fmt, cols, ncols, 0);
	for (i = 0; i < pool->nmentees; i++) {
		j = run->r.mentor_of[i];
		if (j < 0 && !run->explain)
			continue;
		memset(cells, 0, ncols * sizeof *cells);
		rule = NULL;
		cells[0] = pool->mentees[i].email;
		if (j >= 0) {
			const struct pairing_new *pn = &run->v[n++];

			cells[1] = pool->mentors[j].email;
			cells[2] = match_centi_str(pn->score, sbuf);
			if (!run->dry) {
				snprintf(idbuf, sizeof idbuf, "%lld", pn->id);
				cells[3] = idbuf;
			}
			cells[4] = run->p->matching.consent == CONSENT_NONE ?
			    "active" : "proposed";
			if (pn->group_id > 0) {
				snprintf(gbuf, sizeof gbuf, "%lld", pn->group_id);
				cells[5] = gbuf;
			}
		}
		if (run->explain && j >= 0) {
			score_explain(&run->t, i, j, contrib, &d);
			for (k = 0; k < nc; k++)
				cells[6 + k] = match_points_str(match_points(
				    run->p, k, contrib[k]), num[k]);
			rule = match_rule_text(pool, run->p,
			    (const char *const *)run->labels, &d, i, j);
		} else if (run->explain)
			rule = unmatched_rule(run, i);
		if (run->explain)
			cells[6 + nc] = rule;
		out_row(o, cells);
		free(rule);
	}
	/* the writer borrows cols until it is done */
	rc = cmd_out_done(o);
	free(cols);
	free(cells);
	free(num);
	free(contrib);
	return rc;
}

static void
print_summary(const struct run *run)
{
	const struct match_result *r = &run->r;
	int unmatched = run->pool.nmentees - r->matched;

	fprintf(stderr, "mentorctl: %s %d pairing%s (%d mentee%s unmatched; "
	    "objective %s; total score %lld.%02lld%s)%s\n",
	    run->dry ? "would propose" : "proposed", r->matched,
	    r->matched == 1 ? "" : "s", unmatched, unmatched == 1 ? "" : "s",
	    match_objective_name(run->p->matching.objective),
	    (long long)(r->total / 100), (long long)(r->total % 100),
	    run->p->matching.consent == CONSENT_NONE ?
	    "; consent none: active at once" : "",
	    run->dry ? "; dry run, nothing stored" : "");
}

/*
 * A rotational programme: plan the rotation over all its periods at once
 * (ops/rotation.h) and print it.
 */
static int
match_rotation(struct ctx *ctx, struct cmd_args *args, long long program_id,
    const struct program *p, int fmt)
{
	static const struct out_col cols[] = {
		{ "mentee_email", OUT_STR }, { "mentor_email", OUT_STR },
		{ "score", OUT_REAL }, { "pairing_id", OUT_INT },
		{ "status", OUT_STR }, { "group_id", OUT_INT },
		{ "period", OUT_INT }, { "date", OUT_DATE },
	};
	struct error err = ERROR_INIT;
	struct ops_ctx o = { ctx->db, ctx->today, ctx->now, ctx->actor };
	struct ops_rotation_match r;
	bool dry = cmd_flag(args, "dry-run");
	struct out *out;
	size_t i;
	int rc;

	if (cmd_flag(args, "explain"))
		return cmd_error(EX_USAGE, "--explain is for one-to-one "
		    "matching; 'mentorctl schedule %s' shows the rotation",
		    p->slug);
	if (ops_rotation_match(&o, program_id, p, dry, &r, &err) != 0) {
		ops_rotation_match_free(&r);
		return cmd_fail(&err);
	}
	out = out_new(stdout, (enum out_format)fmt, cols,
	    sizeof cols / sizeof cols[0], 0);
	for (i = 0; i < r.rows.n; i++) {
		const struct ops_rotation_row *x = &r.rows.v[i];

		out_str(out, "mentee_email", x->mentee_email);
		out_str(out, "mentor_email", x->mentor_email);
		out_centi(out, "score", x->score);
		if (x->id > 0)
			out_int(out, "pairing_id", x->id);
		out_str(out, "status", pairing_status_name(x->status));
		out_int(out, "period", x->period);
		out_date(out, "date", x->starts_on);
		out_end_row(out);
	}
	if ((rc = cmd_out_done(out)) == 0)
		fprintf(stderr, "mentorctl: %s a rotation over period%s %d-%d "
		    "for %d mentee%s: %zu pairing%s; %d mentee%s with a mentor "
		    "in every period, %d in fewer, %d in none; total score "
		    "%lld.%02lld%s\n", dry ? "would plan" : "planned",
		    r.first == r.periods ? "" : "s", r.first, r.periods,
		    r.nmentees, r.nmentees == 1 ? "" : "s", r.rows.n,
		    r.rows.n == 1 ? "" : "s", r.full, r.full == 1 ? "" : "s",
		    r.met - r.full, r.nmentees - r.met,
		    (long long)(r.total / 100), (long long)(r.total % 100),
		    dry ? "; dry run, nothing stored" : "");
	ops_rotation_match_free(&r);
	return rc;
}

static int
cmd_match_exec(struct ctx *ctx, struct cmd_args *args)
{
	struct error err = ERROR_INIT;
	struct match_load ld;
	struct program *p = NULL;
	struct run run;
	int fmt, rc;

	memset(&run, 0, sizeof run);
	run.ctx = ctx;
	run.slug = args->pos[0];
	run.dry = cmd_flag(args, "dry-run");
	run.explain = cmd_flag(args, "explain");
	if ((fmt = cmd_out_format(ctx)) < 0)
		return EX_USAGE;
	if ((rc = cmd_load_program(ctx, run.slug, &run.program_id, &p)) != 0)
		return rc;
	run.p = p;
	/* a rotation is planned over all its periods at once */
	if (p->format == FORMAT_ROTATIONAL) {
		rc = match_rotation(ctx, args, run.program_id, p, fmt);
		goto out;
	}
	if ((rc = refuse_format(p, run.slug)) != 0)
		goto out;
	if (!run.dry && store_pairing_expire(ctx->db, ctx->today, NULL,
	    &err) != 0) {
		rc = cmd_fail(&err);
		goto out;
	}
	memset(&ld, 0, sizeof ld);
	ld.program_id = run.program_id;
	ld.program = p;
	ld.today = ctx->today;
	ld.flags = MATCH_LOAD_UNMATCHED | MATCH_LOAD_FREE;
	if (store_match_load(ctx->db, &ld, &run.pool, &err) != 0) {
		rc = cmd_fail(&err);
		goto out;
	}
	run.labels = match_labels(p);
	if ((rc = solve(&run)) != 0 || (rc = store_matches(&run)) != 0)
		goto out;
	/* a failed write of the listing rolls the proposals back */
	if ((rc = print_matches(&run, fmt)) != 0)
		goto out;
	print_summary(&run);
out:
	match_labels_free(run.labels, p ? p->matching.ncriteria : 0);
	free(run.v);
	match_result_free(&run.r);
	score_table_free(&run.t);
	match_pool_free(&run.pool);
	program_free(p);
	return rc;
}

static const struct cmd_opt match_opts[] = {
	{ "dry-run", false, "--dry-run          compute and print, store nothing" },
	{ "explain", false, "--explain          add each criterion's points and the rule" },
	{ NULL, false, NULL },
};

const struct cmd_entry cmd_match_entry = {
	.name = "match", .sub = NULL, .usage = "PROGRAM [--dry-run] [--explain]",
	.summary = "propose optimal pairings for the unmatched mentees",
	.opts = match_opts,
	.min_args = 1, .max_args = 1,
	.flags = CMD_NEEDS_DB | CMD_WRITES,
	.legacy = cmd_match_exec,
};
