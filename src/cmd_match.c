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
#include "config/program_yaml.h"
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
	const char *compare;
	const char *compare_weights;
};

static const struct cmd_option match_options[] = {
	OPT_FLAG("dry-run", struct match_opts, dry_run,
	    "compute and print, store nothing"),
	OPT_FLAG("explain", struct match_opts, explain,
	    "add each criterion's points and the rule"),
	OPT_STRING("compare", "OTHER.yaml", struct match_opts, compare,
	    "what-if: this data under another definition, side by side"),
	OPT_STRING("compare-weights", "NAME=W,...", struct match_opts,
	    compare_weights, "what-if: other weights (0 drops a criterion)"),
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

/* ---- capacity planning ---- */

#define NEEDS_SHOWN 5

/* What would match the mentees the plan leaves without a mentor. */
static int
capacity_notes(struct ctx *ctx, const struct ops_match *m, struct error *err)
{
	struct ops_ctx o = ops_of(ctx);
	struct ops_needs r;
	const struct match_need *v;
	size_t k;

	if (ops_capacity_needs(&o, ctx->program_id, ctx->program, m, &r,
	    err) != 0) {
		ops_needs_free(&r);
		return -1;
	}
	if (r.needs.new_circles > 0)
		cmd_note(ctx, "capacity: %d new circle%s of %d would take the %d "
		    "mentee%s left without a group (a place in a circle that "
		    "holds their department does not help)",
		    r.needs.new_circles, r.needs.new_circles == 1 ? "" : "s",
		    ctx->program->mentor.capacity, r.needs.places,
		    r.needs.places == 1 ? "" : "s");
	else if (r.needs.places > 0)
		cmd_note(ctx, "capacity: %d more mentor place%s would match %d "
		    "of the %d mentee%s left without a mentor:", r.needs.places,
		    r.needs.places == 1 ? "" : "s", r.needs.places,
		    r.needs.unmatched, r.needs.unmatched == 1 ? "" : "s");
	for (k = 0; k < r.needs.n && k < NEEDS_SHOWN; k++) {
		v = &r.needs.v[k];
		if (v->impossible) {
			cmd_note(ctx, "  no mentor can ever match %s%s: %s (fix "
			    "the data)", v->example, k + 1 < r.needs.n &&
			    r.needs.v[k + 1].impossible ? " and others" : "",
			    v->requirement);
			continue;
		}
		if (r.needs.new_circles > 0)
			continue;
		cmd_note(ctx, "  %d for %s%s (%s%s)", v->places,
		    *v->requirement ? "mentors: " : "any mentor",
		    v->requirement, v->new_mentor == v->places ?
		    "no mentor of the programme fits: a new mentor" :
		    v->mentors_fit == 1 ? "1 mentor fits, full now" :
		    "mentors who fit are full now", v->new_mentor > 0 &&
		    v->new_mentor < v->places ? "; some need a new mentor" : "");
	}
	if (r.needs.n > NEEDS_SHOWN)
		cmd_note(ctx, "  and %zu more kinds: see 'mentorctl diagnose %s'",
		    r.needs.n - NEEDS_SHOWN, ctx->slug);
	if (r.needs.group_limit != NULL)
		cmd_note(ctx, "capacity: %s", r.needs.group_limit);
	ops_needs_free(&r);
	return 0;
}

/* ---- what-if ---- */

/* A measure under both definitions; counts have no decimals. */
static void
compare_row(struct out *o, const char *section, const char *item, double a,
    bool has_a, double b, bool has_b)
{
	int dec = strcmp(section, "summary") == 0 &&
	    strstr(item, "score") == NULL ? 0 : strcmp(section, "mix") == 0 &&
	    strstr(item, "pairs") != NULL ? 0 : 2;

	out_str(o, "section", section);
	out_str(o, "item", item);
	if (has_a)
		out_real(o, "current", a, dec);
	if (has_b)
		out_real(o, "other", b, dec);
	if (has_a && has_b)
		out_real(o, "change", b - a, dec);
	out_end_row(o);
}

/* The index of label in labels[n], or -1. */
static int
label_index(char **labels, size_t n, const char *label)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(labels[i], label) == 0)
			return (int)i;
	return -1;
}

static int
print_compare(struct ctx *ctx, const struct ops_compare *r, struct error *err)
{
	static const struct out_col cols[] = {
		{ "section", OUT_STR }, { "item", OUT_STR },
		{ "current", OUT_REAL }, { "other", OUT_REAL },
		{ "change", OUT_REAL }, { "current_mentors", OUT_STR },
		{ "other_mentors", OUT_STR },
	};
	const struct match_plan_summary *a = &r->sa, *b = &r->sb;
	char **la = r->a.s.labels, **lb = r->b.s.labels;
	size_t na = r->a.s.nlabels, nb = r->b.s.nlabels, k;
	struct out *o;
	int j;

	o = cmd_out_new(ctx, cols, sizeof cols / sizeof cols[0]);
	compare_row(o, "summary", "mentees_matched", a->matched, true,
	    b->matched, true);
	compare_row(o, "summary", "mentees_unmatched",
	    r->a.s.pool.nmentees - a->matched, true,
	    r->b.s.pool.nmentees - b->matched, true);
	compare_row(o, "summary", "pairs", (double)a->pairs, true,
	    (double)b->pairs, true);
	compare_row(o, "summary", "total_score", (double)a->total / 100, true,
	    (double)b->total / 100, true);
	compare_row(o, "summary", "mean_score", a->pairs ? (double)a->total /
	    100 / (double)a->pairs : 0, true, b->pairs ? (double)b->total /
	    100 / (double)b->pairs : 0, true);
	for (k = 0; k < na; k++) {
		j = label_index(lb, nb, la[k]);
		compare_row(o, "criterion", la[k], a->points[k], true,
		    j >= 0 ? b->points[j] : 0, j >= 0);
	}
	for (k = 0; k < nb; k++)
		if (label_index(la, na, lb[k]) < 0)
			compare_row(o, "criterion", lb[k], 0, false,
			    b->points[k], true);
	compare_row(o, "mix", "cross_department_pairs",
	    (double)a->cross_department, true, (double)b->cross_department,
	    true);
	compare_row(o, "mix", "same_department_pairs",
	    (double)a->same_department, true, (double)b->same_department, true);
	compare_row(o, "mix", "mean_level_gap", a->level_gap, a->level_pairs > 0,
	    b->level_gap, b->level_pairs > 0);
	for (k = 0; k < r->ndiff; k++) {
		out_str(o, "section", "pair");
		out_str(o, "item", r->diff[k].mentee);
		out_str(o, "current_mentors", r->diff[k].a);
		out_str(o, "other_mentors", r->diff[k].b);
		out_end_row(o);
	}
	return cmd_out_end(o, err);
}

static int
match_compare(struct ctx *ctx, const struct match_opts *opt,
    struct error *err)
{
	struct ops_ctx o = ops_of(ctx);
	struct diags d = DIAGS_INIT;
	struct program *other = NULL;
	struct ops_compare r;
	long long id;
	char *where;
	int rc = -1;

	memset(&r, 0, sizeof r);
	if (opt->explain)
		return error_set(err, EX_USAGE, "--explain shows one plan; "
		    "--compare shows two side by side (drop one of them)");
	if (opt->compare != NULL) {
		if ((other = cfg_program_load(opt->compare, &d, err)) == NULL) {
			if (d.n > 0) {
				where = diag_format(&d.v[0]);
				error_set(err, EX_DATAERR, "%s%s", where,
				    d.n > 1 ? " (and more: see 'mentorctl "
				    "program check')" : "");
				free(where);
			}
			goto out;
		}
	} else if (ops_program_load(&o, ctx->slug, &id, &other, err) != 0)
		goto out;
	if (opt->compare_weights != NULL &&
	    ops_reweight(other, opt->compare_weights, err) != 0)
		goto out;
	if (other->format != ctx->program->format && (other->format ==
	    FORMAT_FLASH || other->format == FORMAT_ROTATIONAL)) {
		error_set(err, EX_DATAERR, "%s has format %s: its sessions are "
		    "planned, not matched; compare a matched format",
		    opt->compare, program_format_name(other->format));
		goto out;
	}
	if (ops_match_compare(&o, ctx->program_id, ctx->program, other, &r,
	    err) != 0)
		goto out;
	if ((rc = print_compare(ctx, &r, err)) == 0)
		cmd_note(ctx, "'%s' as stored against %s%s%s on the same "
		    "candidates: %zu mentee%s matched differently; nothing "
		    "stored", ctx->slug, opt->compare ? opt->compare : "itself",
		    opt->compare_weights ? " with weights " : "",
		    opt->compare_weights ? opt->compare_weights : "", r.ndiff,
		    r.ndiff == 1 ? "" : "s");
out:
	ops_compare_free(&r);
	program_free(other);
	diags_free(&d);
	return rc;
}

/* --explain's notes: how stable the plan is, and what stability costs. */
static void
explain_audit(struct ctx *ctx, const struct ops_match *m)
{
	long long d;

	if (!m->have_optimum) {
		cmd_note(ctx, "stability: %zu pair%s outside this matching would "
		    "both rather be together (preferences: score, then e-mail "
		    "order; see objective stable)", m->blocking,
		    m->blocking == 1 ? "" : "s");
		return;
	}
	d = (long long)(m->optimum_total - m->plan.total);
	cmd_note(ctx, "stability: %zu pair%s outside this stable matching "
	    "would both rather be together; the optimum under coverage has "
	    "%zu pair%s, total %lld.%02lld (%s%lld.%02lld) and %zu such "
	    "pair%s", m->blocking, m->blocking == 1 ? "" : "s",
	    m->optimum_pairs,
	    m->optimum_pairs == 1 ? "" : "s",
	    (long long)(m->optimum_total / 100),
	    (long long)(m->optimum_total % 100), d < 0 ? "-" : "+",
	    (d < 0 ? -d : d) / 100, (d < 0 ? -d : d) % 100,
	    m->optimum_blocking, m->optimum_blocking == 1 ? "" : "s");
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
	if (p->format == FORMAT_ROTATIONAL && (opt->compare ||
	    opt->compare_weights))
		return error_set(err, EX_DATAERR, "programme '%s' has format %s: "
		    "--compare is for matched formats", ctx->slug,
		    program_format_name(p->format));
	if (p->format == FORMAT_ROTATIONAL)
		return match_rotation(ctx, opt, err);
	if (p->format == FORMAT_FLASH)
		return error_set(err, EX_DATAERR, "programme '%s' has format %s: "
		    "its sessions are built by 'mentorctl schedule %s', not "
		    "matched", ctx->slug, program_format_name(p->format),
		    ctx->slug);
	if (opt->compare != NULL || opt->compare_weights != NULL)
		return match_compare(ctx, opt, err);
	memset(&m, 0, sizeof m);
	m.dry_run = opt->dry_run;
	m.audit = opt->explain;
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
	if (rc == 0 && m.fixed_wanted > m.fixed_taken)
		cmd_note(ctx, "%zu of the coordinator's %zu fixed pair%s could "
		    "not be proposed (a place is taken, or a rule that 'scores "
		    "import' cannot lift keeps them apart: see 'mentorctl scores "
		    "%s --mentee EMAIL')", m.fixed_wanted - m.fixed_taken,
		    m.fixed_wanted, m.fixed_wanted == 1 ? "" : "s", ctx->slug);
	if (rc == 0 && opt->explain)
		explain_audit(ctx, &m);
	if (rc == 0 && unmatched > 0)
		rc = capacity_notes(ctx, &m, err);
	ops_match_free(&m);
	return rc;
}

const struct cmd_entry cmd_match_entry = {
	.name = "match", .sub = NULL,
	.usage = "PROGRAM [--dry-run] [--explain] [--compare OTHER.yaml] "
	    "[--compare-weights NAME=W,...]",
	.summary = "propose optimal pairings for the unmatched mentees",
	.example = "mentorctl match eng-2027 --dry-run --explain",
	CMD_OPTIONS(struct match_opts, match_options),
	.min_args = 1, .max_args = 1,
	.flags = CMD_NEEDS_DB | CMD_WRITES | CMD_PROGRAM_ARG | CMD_LISTING,
	.exec = cmd_match_exec,
};
