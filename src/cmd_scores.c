/*
 * scores PROGRAM [--mentee EMAIL]: every allowed pair of the current
 * candidates with its score and breakdown, or one mentee against every
 * eligible mentor with the rule that keeps a pair apart.  suggest PROGRAM
 * EMAIL [--top N]: a mentee's best mentors with a place left, for
 * self-matching.  Both read only; rows stream (5,000 x 2,000 pairs are ten
 * million rows), only the table format buffers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "core/match.h"
#include "core/program.h"
#include "core/score.h"
#include "store/match_store.h"
#include "util/error.h"
#include "util/xmalloc.h"

#define TOP_DEFAULT 5
#define TOP_MAX 100000

/* What both commands load and score. */
struct scoring {
	struct ctx *ctx;
	const char *slug;
	long long program_id;
	struct program *p;
	struct match_pool pool;
	struct score_table t;
	char **labels;
	size_t nc;
	/* one row's cells */
	struct out_col *cols;
	const char **cells;
	size_t ncols;
	char (*num)[MATCH_POINTS_BUFSZ];
	double *contrib;
	double *factor;              /* criterion k's points = factor[k] * c_k */
};

/* Sort key of one pair of a row: score descending, then mentor e-mail. */
struct ranked {
	int mentor;
	int score;
};

static int
cmp_ranked(const void *a, const void *b)
{
	const struct ranked *x = a, *y = b;

	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	return (x->mentor > y->mentor) - (x->mentor < y->mentor);
}

static void
scoring_free(struct scoring *s)
{
	match_labels_free(s->labels, s->nc);
	score_table_free(&s->t);
	match_pool_free(&s->pool);
	program_free(s->p);
	free(s->cols);
	free(s->cells);
	free(s->num);
	free(s->contrib);
	free(s->factor);
}

/*
 * Load the programme and its candidates (flags: enum match_load_flags),
 * optionally one mentee, and score them.  0 or the exit status.
 */
static int
scoring_load(struct scoring *s, unsigned flags, const char *mentee)
{
	struct error err = ERROR_INIT;
	struct match_load ld;
	struct score_input in;
	int rc;

	if ((rc = cmd_load_program(s->ctx, s->slug, &s->program_id, &s->p)) != 0)
		return rc;
	if (s->p->format == FORMAT_ROTATIONAL)
		return cmd_error(EX_DATAERR, "programme '%s' has format %s: "
		    "its rotation is planned by 'mentorctl match %s' and shown "
		    "by 'mentorctl schedule %s'", s->slug,
		    program_format_name(s->p->format), s->slug, s->slug);
	if (s->p->format == FORMAT_FLASH)
		return cmd_error(EX_DATAERR, "programme '%s' has format %s: "
		    "its sessions are built by 'mentorctl schedule %s', not "
		    "matched", s->slug, program_format_name(s->p->format),
		    s->slug);
	memset(&ld, 0, sizeof ld);
	ld.program_id = s->program_id;
	ld.program = s->p;
	ld.today = s->ctx->today;
	ld.flags = flags;
	ld.mentee_email = mentee;
	if (store_match_load(s->ctx->db, &ld, &s->pool, &err) != 0)
		return cmd_fail(&err);
	if (mentee != NULL && s->pool.nmentees == 0) {
		store_match_why_not(s->ctx->db, s->program_id, s->slug, mentee,
		    ROLE_MENTEE, &err);
		return cmd_fail(&err);
	}
	match_pool_input(&s->pool, s->p, s->ctx->today, &in);
	if (score_build(&in, &s->t, &err) != 0)
		return cmd_fail(&err);
	s->nc = s->p->matching.ncriteria;
	s->labels = match_labels(s->p);
	return 0;
}

/*
 * Columns: mentee_email, mentor_email, score, then `extra` names (NULL
 * terminated), the criteria, and `rule` when with_rule.  Returns the index
 * of the first criterion column.
 */
static size_t
scoring_columns(struct scoring *s, const char *const *extra, bool with_rule)
{
	size_t n = 3, k, ne = 0;

	while (extra && extra[ne])
		ne++;
	s->ncols = 3 + ne + s->nc + (with_rule ? 1 : 0);
	s->cols = xcalloc(s->ncols, sizeof *s->cols);
	s->cells = xcalloc(s->ncols, sizeof *s->cells);
	s->num = xcalloc(s->nc ? s->nc : 1, sizeof *s->num);
	s->contrib = xcalloc(s->nc ? s->nc : 1, sizeof *s->contrib);
	s->factor = xcalloc(s->nc ? s->nc : 1, sizeof *s->factor);
	for (k = 0; k < s->nc; k++)
		s->factor[k] = match_points(s->p, k, 1.0);
	s->cols[0] = (struct out_col){ "mentee_email", OUT_STR };
	s->cols[1] = (struct out_col){ "mentor_email", OUT_STR };
	s->cols[2] = (struct out_col){ "score", OUT_REAL };
	for (k = 0; k < ne; k++)
		s->cols[n++] = (struct out_col){ extra[k], OUT_INT };
	for (k = 0; k < s->nc; k++)
		s->cols[n + k] = (struct out_col){ s->labels[k], OUT_REAL };
	if (with_rule)
		s->cols[n + s->nc] = (struct out_col){ "rule", OUT_STR };
	return n;
}

/* Fill the criterion cells from `at` for (mentee, mentor); the verdict. */
static void
criteria_cells(struct scoring *s, size_t at, int i, int j,
    struct score_detail *d)
{
	size_t k;

	score_explain(&s->t, i, j, s->contrib, d);
	for (k = 0; k < s->nc; k++)
		s->cells[at + k] = match_points_str(s->factor[k] * s->contrib[k],
		    s->num[k]);
}

/* The group rule as text, or NULL when the pair does not break it. */
static char *
group_rule(const struct scoring *s, int i, int j)
{
	int n = match_group_same_department(&s->pool, s->p, i, j);
	int max = s->p->group.max_per_department > 0 ?
	    s->p->group.max_per_department : 1;

	if (n < max)
		return NULL;
	return xasprintf("group rule (the group has %d mentee%s of department "
	    "'%s' already)", n, n == 1 ? "" : "s",
	    s->pool.people[s->pool.mentees[i].person].department);
}

/* Every allowed pair: the rows of the matrix in mentee order. */
static void
scores_all(struct scoring *s, struct out *o, size_t at)
{
	struct match_pool *pool = &s->pool;
	struct ranked *row;
	struct score_detail d;
	char sbuf[MATCH_POINTS_BUFSZ];
	const int16_t *sc;
	char *g;
	int i, j, n, k;

	row = xreallocarray(NULL, pool->nmentors ? (size_t)pool->nmentors : 1,
	    sizeof *row);
	for (i = 0; i < pool->nmentees; i++) {
		sc = s->t.score + (size_t)i * pool->nmentors;
		for (j = n = 0; j < pool->nmentors; j++) {
			if (sc[j] == MATCH_EXCLUDED)
				continue;
			if ((g = group_rule(s, i, j)) != NULL) {
				free(g);
				continue;
			}
			row[n].mentor = j;
			row[n].score = sc[j];
			n++;
		}
		qsort(row, (size_t)n, sizeof *row, cmp_ranked);
		for (k = 0; k < n; k++) {
			j = row[k].mentor;
			s->cells[0] = pool->mentees[i].email;
			s->cells[1] = pool->mentors[j].email;
			s->cells[2] = match_centi_str(row[k].score, sbuf);
			criteria_cells(s, at, i, j, &d);
			s->cells[at + s->nc] = "allowed";
			out_row(o, s->cells);
		}
	}
	free(row);
}

/* One mentee against every eligible mentor, excluded ones with their rule. */
static void
scores_one(struct scoring *s, struct out *o, size_t at)
{
	struct match_pool *pool = &s->pool;
	struct score_detail *dv;
	struct ranked *row;
	char sbuf[MATCH_POINTS_BUFSZ];
	char *rule;
	int j, k;

	row = xreallocarray(NULL, pool->nmentors ? (size_t)pool->nmentors : 1,
	    sizeof *row);
	dv = xreallocarray(NULL, pool->nmentors ? (size_t)pool->nmentors : 1,
	    sizeof *dv);
	for (j = 0; j < pool->nmentors; j++) {
		score_explain(&s->t, 0, j, NULL, &dv[j]);
		row[j].mentor = j;
		row[j].score = dv[j].score;
	}
	qsort(row, (size_t)pool->nmentors, sizeof *row, cmp_ranked);
	for (k = 0; k < pool->nmentors; k++) {
		j = row[k].mentor;
		s->cells[0] = pool->mentees[0].email;
		s->cells[1] = pool->mentors[j].email;
		s->cells[2] = match_centi_str(row[k].score, sbuf);
		criteria_cells(s, at, 0, j, &dv[j]);
		rule = NULL;
		if (dv[j].verdict != SCORE_ALLOWED)
			rule = match_rule_text(pool, s->p,
			    (const char *const *)s->labels, &dv[j], 0, j);
		else if ((rule = group_rule(s, 0, j)) == NULL &&
		    match_cand_free_places(&pool->mentors[j]) == 0)
			rule = xasprintf("no place left (capacity %d)",
			    pool->mentors[j].capacity);
		s->cells[at + s->nc] = rule ? rule : "allowed";
		out_row(o, s->cells);
		free(rule);
	}
	free(row);
	free(dv);
}

static int
cmd_scores_exec(struct ctx *ctx, struct cmd_args *args)
{
	const char *mentee = cmd_opt(args, "mentee");
	struct scoring s;
	struct out *o;
	size_t at;
	int fmt, rc;

	memset(&s, 0, sizeof s);
	s.ctx = ctx;
	s.slug = args->pos[0];
	if ((fmt = cmd_out_format(ctx)) < 0)
		return EX_USAGE;
	if ((rc = scoring_load(&s, mentee ? 0 : MATCH_LOAD_UNMATCHED |
	    MATCH_LOAD_FREE, mentee)) != 0)
		goto out;
	at = scoring_columns(&s, NULL, true);
	o = out_new(stdout, (enum out_format)fmt, s.cols, s.ncols, 0);
	if (mentee)
		scores_one(&s, o, at);
	else
		scores_all(&s, o, at);
	rc = cmd_out_done(o);
out:
	scoring_free(&s);
	return rc;
}

static int
cmd_suggest_exec(struct ctx *ctx, struct cmd_args *args)
{
	static const char *const extra[] = { "rank", "remaining_capacity", NULL };
	struct match_pool *pool;
	struct score_detail d;
	struct ranked *row;
	struct scoring s;
	struct out *o;
	char sbuf[MATCH_POINTS_BUFSZ], rank[24], left[24], *g;
	long top = TOP_DEFAULT;
	const int16_t *sc;
	size_t at;
	int fmt, rc, j, n, k;

	memset(&s, 0, sizeof s);
	s.ctx = ctx;
	s.slug = args->pos[0];
	if ((fmt = cmd_out_format(ctx)) < 0)
		return EX_USAGE;
	if ((rc = cmd_opt_int(args, "top", 1, TOP_MAX, &top)) != 0)
		return rc;
	if ((rc = scoring_load(&s, MATCH_LOAD_FREE, args->pos[1])) != 0)
		goto out;
	pool = &s.pool;
	if (pool->mentees[0].open_pairing > 0)
		cmd_warn("'%s' has pairing %lld in '%s' already",
		    pool->mentees[0].email, pool->mentees[0].open_pairing,
		    s.slug);
	at = scoring_columns(&s, extra, false);
	row = xreallocarray(NULL, pool->nmentors ? (size_t)pool->nmentors : 1,
	    sizeof *row);
	sc = s.t.score;
	for (j = n = 0; j < pool->nmentors; j++) {
		if (sc[j] == MATCH_EXCLUDED)
			continue;
		if ((g = group_rule(&s, 0, j)) != NULL) {
			free(g);
			continue;
		}
		row[n].mentor = j;
		row[n].score = sc[j];
		n++;
	}
	qsort(row, (size_t)n, sizeof *row, cmp_ranked);
	o = out_new(stdout, (enum out_format)fmt, s.cols, s.ncols, 0);
	for (k = 0; k < n && k < top; k++) {
		j = row[k].mentor;
		snprintf(rank, sizeof rank, "%d", k + 1);
		snprintf(left, sizeof left, "%d",
		    match_cand_free_places(&pool->mentors[j]));
		s.cells[0] = pool->mentees[0].email;
		s.cells[1] = pool->mentors[j].email;
		s.cells[2] = match_centi_str(row[k].score, sbuf);
		s.cells[3] = rank;
		s.cells[4] = left;
		criteria_cells(&s, at, 0, j, &d);
		out_row(o, s.cells);
	}
	free(row);
	rc = cmd_out_done(o);
	if (rc == 0 && n == 0)
		cmd_warn("no allowed mentor with a place left for '%s' (see "
		    "'mentorctl scores %s --mentee %s')", pool->mentees[0].email,
		    s.slug, pool->mentees[0].email);
out:
	scoring_free(&s);
	return rc;
}

static const struct cmd_opt scores_opts[] = {
	{ "mentee", true, "--mentee EMAIL      one mentee against every eligible mentor, with the rule" },
	{ NULL, false, NULL },
};

static const struct cmd_opt suggest_opts[] = {
	{ "top", true, "--top N            how many mentors (default 5)" },
	{ NULL, false, NULL },
};

const struct cmd_entry cmd_scores_entry = {
	.name = "scores", .sub = NULL, .usage = "PROGRAM [--mentee EMAIL]",
	.summary = "list every allowed pair with its score and breakdown",
	.opts = scores_opts,
	.min_args = 1, .max_args = 1,
	.flags = CMD_NEEDS_DB,
	.legacy = cmd_scores_exec,
};

const struct cmd_entry cmd_suggest_entry = {
	.name = "suggest", .sub = NULL, .usage = "PROGRAM EMAIL [--top N]",
	.summary = "rank the mentors with a place left for one mentee",
	.opts = suggest_opts,
	.min_args = 2, .max_args = 2,
	.flags = CMD_NEEDS_DB,
	.legacy = cmd_suggest_exec,
};
