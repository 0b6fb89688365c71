/*
 * match PROGRAM [--dry-run] [--explain]: propose the optimal pairings of
 * the mentees with places left and the mentors' places left.  The rule is
 * ops_match (ops/match.c); this file reads the options, calls it and
 * prints what it proposed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "core/date.h"
#include "core/match.h"
#include "core/program.h"
#include "core/score.h"
#include "ops/match.h"
#include "ops/rotation.h"
#include "util/error.h"
#include "util/strbuf.h"
#include "util/xmalloc.h"

struct match_opts {
	bool dry_run;
	bool explain;
};

static const struct cmd_option match_options[] = {
	OPT_FLAG("dry-run", struct match_opts, dry_run,
	    "compute and print, store nothing"),
	OPT_FLAG("explain", struct match_opts, explain,
	    "add each criterion's points and the rule"),
	OPT_END,
};

static struct ops_ctx
ops_of(const struct ctx *ctx)
{
	struct ops_ctx o = { ctx->db, ctx->today, ctx->now, ctx->actor };

	return o;
}

/* ---- rotations ---- */

/*
 * A rotational programme: plan the rotation over all its periods at once
 * (ops/rotation.h) and print it.
 */
static int
match_rotation(struct ctx *ctx, const struct match_opts *opt,
    struct error *err)
{
	static const struct out_col cols[] = {
		{ "mentee_email", OUT_STR }, { "mentor_email", OUT_STR },
		{ "score", OUT_REAL }, { "pairing_id", OUT_INT },
		{ "status", OUT_STR }, { "group_id", OUT_INT },
		{ "period", OUT_INT }, { "date", OUT_DATE },
	};
	struct ops_ctx o = ops_of(ctx);
	struct ops_rotation_match r;
	struct out *out;
	size_t i;
	int rc;

	if (opt->explain)
		return error_set(err, EX_USAGE, "--explain is for one-to-one "
		    "matching; 'mentorctl schedule %s' shows the rotation",
		    ctx->slug);
	if (ops_rotation_match(&o, ctx->program_id, ctx->program,
	    opt->dry_run, &r, err) != 0) {
		ops_rotation_match_free(&r);
		return -1;
	}
	out = cmd_out_new(ctx, cols, sizeof cols / sizeof cols[0]);
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
	if ((rc = cmd_out_end(out, err)) == 0)
		cmd_note(ctx, "%s a rotation over period%s %d-%d for %d "
		    "mentee%s: %zu pairing%s; %d mentee%s with a mentor in every "
		    "period, %d in fewer, %d in none; total score %lld.%02lld%s",
		    opt->dry_run ? "would plan" : "planned",
		    r.first == r.periods ? "" : "s", r.first, r.periods,
		    r.nmentees, r.nmentees == 1 ? "" : "s", r.rows.n,
		    r.rows.n == 1 ? "" : "s", r.full, r.full == 1 ? "" : "s",
		    r.met - r.full, r.nmentees - r.met,
		    (long long)(r.total / 100), (long long)(r.total % 100),
		    opt->dry_run ? "; dry run, nothing stored" : "");
	ops_rotation_match_free(&r);
	return rc;
}

/* ---- one-to-one, group, peer, reverse ---- */

/* Why an unmatched mentee is: for --explain. */
static char *
unmatched_rule(const struct ops_match *m, int i)
{
	const struct match_pool *pool = &m->s.pool;
	const int16_t *row = m->s.t.score + (size_t)i * pool->nmentors;
	int j, allowed = 0;

	for (j = 0; j < pool->nmentors; j++)
		if (row[j] != MATCH_EXCLUDED)
			allowed++;
	if (allowed == 0)
		return xstrdup("unmatched: no allowed mentor with a place left");
	return xasprintf("unmatched: %d allowed mentor%s, no place left for "
	    "this mentee in the optimal assignment", allowed,
	    allowed == 1 ? "" : "s");
}

/*
 * The columns: the pinned three, the proposal, who they are, then
 * --explain's: each criterion's points, the coordinator's bonus, the rule.
 */
static struct out_col *
match_columns(const struct ops_match *m, bool explain, size_t *n)
{
	static const struct out_col fixed[] = {
		{ "mentee_email", OUT_STR }, { "mentor_email", OUT_STR },
		{ "score", OUT_REAL }, { "pairing_id", OUT_INT },
		{ "status", OUT_STR }, { "group_id", OUT_INT },
		{ "mentee_name", OUT_STR }, { "mentee_department", OUT_STR },
		{ "mentor_name", OUT_STR }, { "mentor_department", OUT_STR },
	};
	size_t nf = sizeof fixed / sizeof fixed[0], nc = m->s.nlabels, k;
	struct out_col *cols;

	*n = nf + (explain ? nc + 2 : 0);
	cols = xcalloc(*n, sizeof *cols);
	memcpy(cols, fixed, sizeof fixed);
	if (explain) {
		for (k = 0; k < nc; k++)
			cols[nf + k] = (struct out_col){ m->s.labels[k],
			    OUT_REAL };
		cols[nf + nc] = (struct out_col){ "bonus", OUT_REAL };
		cols[nf + nc + 1] = (struct out_col){ "rule", OUT_STR };
	}
	return cols;
}

static void
person_cells(struct out *o, const struct match_pool *pool, int mentee,
    int mentor)
{
	const struct score_person *p;

	p = &pool->people[pool->mentees[mentee].person];
	out_str(o, "mentee_name", p->name);
	out_str(o, "mentee_department", p->department);
	if (mentor < 0)
		return;
	p = &pool->people[pool->mentors[mentor].person];
	out_str(o, "mentor_name", p->name);
	out_str(o, "mentor_department", p->department);
}

/* Each criterion's points, the bonus and the rule of a pair of the plan. */
static void
explain_pair(struct out *o, const struct program *p,
    const struct ops_match *m, const struct match_plan_pair *q,
    double *contrib)
{
	struct score_detail d;
	char num[MATCH_POINTS_BUFSZ];
	char *rule;
	size_t k;

	score_explain(&m->s.t, q->mentee, q->mentor, contrib, &d);
	for (k = 0; k < m->s.nlabels; k++)
		out_str(o, m->s.labels[k], match_points_str(match_points(p, k,
		    contrib[k]), num));
	if (d.bonus != 0)
		out_str(o, "bonus", match_centi_str(d.bonus, num));
	rule = match_rule_text(&m->s.pool, p, (const char *const *)m->s.labels,
	    &d, q->mentee, q->mentor);
	if (q->fixed) {
		char *t = xasprintf("fixed by the coordinator (%s)", rule);

		free(rule);
		rule = t;
	}
	out_str(o, "rule", rule);
	free(rule);
}

static int
print_matches(struct ctx *ctx, const struct ops_match *m, bool explain,
    struct error *err)
{
	const struct match_pool *pool = &m->s.pool;
	const struct match_plan_pair *q;
	struct out_col *cols;
	struct out *o;
	double *contrib;
	size_t ncols, k = 0;
	char *rule;
	int i, rc;

	cols = match_columns(m, explain, &ncols);
	contrib = xcalloc(m->s.nlabels ? m->s.nlabels : 1, sizeof *contrib);
	o = cmd_out_new(ctx, cols, ncols);
	for (i = 0; i < pool->nmentees; i++) {
		if (k < m->plan.n && m->plan.v[k].mentee == i) {
			for (; k < m->plan.n && m->plan.v[k].mentee == i; k++) {
				q = &m->plan.v[k];
				out_str(o, "mentee_email", pool->mentees[i].email);
				out_str(o, "mentor_email",
				    pool->mentors[q->mentor].email);
				out_centi(o, "score", q->score);
				if (!m->dry_run)
					out_int(o, "pairing_id", m->made[k].id);
				out_str(o, "status", pairing_status_name(m->active ?
				    PAIRING_ACTIVE : PAIRING_PROPOSED));
				if (m->made[k].group_id > 0)
					out_int(o, "group_id", m->made[k].group_id);
				person_cells(o, pool, i, q->mentor);
				if (explain)
					explain_pair(o, ctx->program, m, q, contrib);
				out_end_row(o);
			}
			continue;
		}
		if (!explain)
			continue;
		out_str(o, "mentee_email", pool->mentees[i].email);
		person_cells(o, pool, i, -1);
		rule = unmatched_rule(m, i);
		out_str(o, "rule", rule);
		free(rule);
		out_end_row(o);
	}
	rc = cmd_out_end(o, err);
	free(cols);
	free(contrib);
	return rc;
}

static int
cmd_match_exec(struct ctx *ctx, const struct cmd_args *args,
    struct error *err)
{
	const struct match_opts *opt = args->opts;
	const struct program *p = ctx->program;
	struct ops_ctx o = ops_of(ctx);
	struct ops_match m;
	int unmatched, rc;

	/* a rotation is planned over all its periods at once */
	if (p->format == FORMAT_ROTATIONAL)
		return match_rotation(ctx, opt, err);
	if (p->format == FORMAT_FLASH)
		return error_set(err, EX_DATAERR, "programme '%s' has format %s: "
		    "its sessions are built by 'mentorctl schedule %s', not "
		    "matched", ctx->slug, program_format_name(p->format),
		    ctx->slug);
	memset(&m, 0, sizeof m);
	m.dry_run = opt->dry_run;
	if (ops_match(&o, ctx->program_id, p, &m, err) != 0) {
		ops_match_free(&m);
		return -1;
	}
	rc = print_matches(ctx, &m, opt->explain, err);
	unmatched = m.s.pool.nmentees - m.plan.matched;
	if (rc == 0)
		cmd_note(ctx, "%s %zu pairing%s (%d mentee%s unmatched; "
		    "objective %s; total score %lld.%02lld%s)%s",
		    m.dry_run ? "would propose" : "proposed", m.plan.n,
		    m.plan.n == 1 ? "" : "s", unmatched,
		    unmatched == 1 ? "" : "s",
		    match_objective_name(p->matching.objective),
		    (long long)(m.plan.total / 100),
		    (long long)(m.plan.total % 100),
		    p->matching.consent == CONSENT_NONE ?
		    "; consent none: active at once" : "",
		    m.dry_run ? "; dry run, nothing stored" : "");
	ops_match_free(&m);
	return rc;
}

const struct cmd_entry cmd_match_entry = {
	.name = "match", .sub = NULL, .usage = "PROGRAM [--dry-run] [--explain]",
	.summary = "propose optimal pairings for the unmatched mentees",
	.example = "mentorctl match eng-2027 --dry-run --explain",
	CMD_OPTIONS(struct match_opts, match_options),
	.min_args = 1, .max_args = 1,
	.flags = CMD_NEEDS_DB | CMD_WRITES | CMD_PROGRAM_ARG | CMD_LISTING,
	.exec = cmd_match_exec,
};
