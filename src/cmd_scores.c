/*
 * scores PROGRAM [--mentee EMAIL]: every allowed pair of the current
 * candidates with its score and breakdown, or one mentee against every
 * eligible mentor with the rule that keeps a pair apart.  suggest PROGRAM
 * EMAIL [--top N]: a mentee's best mentors with a place left, for
 * self-matching.  Both read only; the loading and scoring is ops_scores
 * (ops/match.c).  Rows stream (5,000 x 2,000 pairs are ten million rows),
 * only the table format buffers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "core/match.h"
#include "core/match_pool.h"
#include "core/program.h"
#include "core/score.h"
#include "io/csv_named.h"
#include "io/mail.h"
#include "ops/match.h"
#include "ops/preferences.h"
#include "ops/remind.h"
#include "ops/suggest_mail.h"
#include "util/error.h"
#include "util/xmalloc.h"

#define TOP_DEFAULT 5
#define TOP_MAX 100000

static struct ops_ctx
ops_of(const struct ctx *ctx)
{
	struct ops_ctx o = { ctx->db, ctx->today, ctx->now, ctx->actor };

	return o;
}

/* One listing of pairs: its columns and the buffers of one row. */
struct pairs_out {
	const struct program *p;
	const struct ops_scoring *s;
	struct out_col *cols;
	size_t ncols;
	double *contrib;
	double *factor;              /* criterion k's points = factor[k] * c_k */
	bool overrides;              /* bonus, veto, fixed columns */
	struct out *o;
};

/* Names and departments, after the pinned columns and the criteria. */
static const struct out_col people_cols[] = {
	{ "mentee_name", OUT_STR }, { "mentee_department", OUT_STR },
	{ "mentor_name", OUT_STR }, { "mentor_department", OUT_STR },
};

/* The coordinator's overrides, which `scores import` reads back. */
static const struct out_col override_cols[] = {
	{ "bonus", OUT_REAL }, { "veto", OUT_BOOL }, { "fixed", OUT_BOOL },
};

#define NITEMS(a) (sizeof(a) / sizeof((a)[0]))

/*
 * Columns: mentee_email, mentor_email, score, then `extra` (NULL
 * terminated), the criteria, `rule` when with_rule, names and departments,
 * and with overrides the coordinator's bonus, veto and fixed.
 */
static void
pairs_open(struct pairs_out *po, struct ctx *ctx, const struct ops_scoring *s,
    const struct out_col *extra, bool with_rule, bool overrides)
{
	size_t nc = s->nlabels, n = 3, k, ne = 0;

	while (extra && extra[ne].name)
		ne++;
	memset(po, 0, sizeof *po);
	po->p = ctx->program;
	po->s = s;
	po->overrides = overrides;
	po->ncols = 3 + ne + nc + (with_rule ? 1 : 0) + NITEMS(people_cols) +
	    (overrides ? NITEMS(override_cols) : 0);
	po->cols = xcalloc(po->ncols, sizeof *po->cols);
	po->contrib = xcalloc(nc ? nc : 1, sizeof *po->contrib);
	po->factor = xcalloc(nc ? nc : 1, sizeof *po->factor);
	for (k = 0; k < nc; k++)
		po->factor[k] = match_points(ctx->program, k, 1.0);
	po->cols[0] = (struct out_col){ "mentee_email", OUT_STR };
	po->cols[1] = (struct out_col){ "mentor_email", OUT_STR };
	po->cols[2] = (struct out_col){ "score", OUT_REAL };
	for (k = 0; k < ne; k++)
		po->cols[n++] = extra[k];
	for (k = 0; k < nc; k++)
		po->cols[n++] = (struct out_col){ s->labels[k], OUT_REAL };
	if (with_rule)
		po->cols[n++] = (struct out_col){ "rule", OUT_STR };
	for (k = 0; k < NITEMS(people_cols); k++)
		po->cols[n++] = people_cols[k];
	for (k = 0; overrides && k < NITEMS(override_cols); k++)
		po->cols[n++] = override_cols[k];
	po->o = cmd_out_new(ctx, po->cols, po->ncols);
}

static int
pairs_close(struct pairs_out *po, struct error *err)
{
	int rc = cmd_out_end(po->o, err);

	free(po->cols);
	free(po->contrib);
	free(po->factor);
	return rc;
}

/*
 * The cells of (mentee i, mentor j) but the rule and the extra columns;
 * d its verdict.
 */
static void
pair_cells(struct pairs_out *po, int i, int j, int score,
    struct score_detail *d)
{
	const struct match_pool *pool = &po->s->pool;
	const struct score_person *e = &pool->people[pool->mentees[i].person];
	const struct score_person *m = &pool->people[pool->mentors[j].person];
	char num[MATCH_POINTS_BUFSZ];
	bool veto, fixed;
	int bonus;
	size_t k;

	out_str(po->o, "mentee_email", pool->mentees[i].email);
	out_str(po->o, "mentor_email", pool->mentors[j].email);
	out_str(po->o, "score", match_centi_str(score, num));
	score_explain(&po->s->t, i, j, po->contrib, d);
	for (k = 0; k < po->s->nlabels; k++)
		out_str(po->o, po->s->labels[k], match_points_str(po->factor[k] *
		    po->contrib[k], num));
	out_str(po->o, "mentee_name", e->name);
	out_str(po->o, "mentee_department", e->department);
	out_str(po->o, "mentor_name", m->name);
	out_str(po->o, "mentor_department", m->department);
	if (!po->overrides)
		return;
	match_pool_override(pool, i, j, &bonus, &veto, &fixed);
	if (bonus != 0)
		out_str(po->o, "bonus", match_centi_str(bonus, num));
	/* empty unless set: a spreadsheet user types "yes" where wanted */
	out_str(po->o, "veto", veto ? "yes" : NULL);
	out_str(po->o, "fixed", fixed ? "yes" : NULL);
}

/* Every allowed pair: the rows of the matrix in mentee order. */
static void
scores_all(struct pairs_out *po)
{
	const struct match_pool *pool = &po->s->pool;
	struct match_ranked *row;
	struct score_detail d;
	int i, n, k;

	row = xreallocarray(NULL, pool->nmentors ? (size_t)pool->nmentors : 1,
	    sizeof *row);
	for (i = 0; i < pool->nmentees; i++) {
		n = match_pool_rank(pool, po->p, &po->s->t, i, row);
		for (k = 0; k < n; k++) {
			pair_cells(po, i, row[k].mentor, row[k].score, &d);
			out_str(po->o, "rule", "allowed");
			out_end_row(po->o);
		}
	}
	free(row);
}

static int
cmp_ranked(const void *a, const void *b)
{
	const struct match_ranked *x = a, *y = b;

	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	return (x->mentor > y->mentor) - (x->mentor < y->mentor);
}

/* One mentee against every eligible mentor, excluded ones with their rule. */
static void
scores_one(struct pairs_out *po)
{
	const struct match_pool *pool = &po->s->pool;
	struct score_detail *dv, d;
	struct match_ranked *row;
	char *rule;
	int j, k;

	row = xreallocarray(NULL, pool->nmentors ? (size_t)pool->nmentors : 1,
	    sizeof *row);
	dv = xreallocarray(NULL, pool->nmentors ? (size_t)pool->nmentors : 1,
	    sizeof *dv);
	for (j = 0; j < pool->nmentors; j++) {
		score_explain(&po->s->t, 0, j, NULL, &dv[j]);
		row[j].mentor = j;
		row[j].score = dv[j].score;
	}
	xqsort(row, (size_t)pool->nmentors, sizeof *row, cmp_ranked);
	for (k = 0; k < pool->nmentors; k++) {
		j = row[k].mentor;
		pair_cells(po, 0, j, row[k].score, &d);
		rule = NULL;
		if (dv[j].verdict != SCORE_ALLOWED)
			rule = match_rule_text(pool, po->p,
			    (const char *const *)po->s->labels, &dv[j], 0, j);
		else if ((rule = match_group_rule_text(pool, po->p, 0,
		    j)) == NULL && match_cand_free_places(&pool->mentors[j]) == 0)
			rule = xasprintf("no place left (capacity %d)",
			    pool->mentors[j].capacity);
		out_str(po->o, "rule", rule ? rule : "allowed");
		out_end_row(po->o);
		free(rule);
	}
	free(row);
	free(dv);
}

/* ---- scores ---- */

struct scores_opts {
	const char *mentee;
};

static const struct cmd_option scores_options[] = {
	OPT_EMAIL("mentee", struct scores_opts, mentee,
	    "one mentee against every eligible mentor, with the rule"),
	OPT_END,
};

static int
cmd_scores_exec(struct ctx *ctx, const struct cmd_args *args,
    struct error *err)
{
	const struct scores_opts *opt = args->opts;
	struct ops_ctx o = ops_of(ctx);
	struct ops_scoring s;
	struct pairs_out po;
	int rc;

	if (ops_scores(&o, ctx->program_id, ctx->program, opt->mentee ? 0 :
	    MATCH_LOAD_UNMATCHED | MATCH_LOAD_FREE, opt->mentee, &s,
	    err) != 0) {
		ops_scoring_free(&s);
		return -1;
	}
	pairs_open(&po, ctx, &s, NULL, true, true);
	if (opt->mentee)
		scores_one(&po);
	else
		scores_all(&po);
	rc = pairs_close(&po, err);
	ops_scoring_free(&s);
	return rc;
}

/* ---- suggest ---- */

struct suggest_opts {
	long top;
	bool mail;
	bool force;
	bool dry_run;
	const char *sendmail;
	const char *smtp;
	long timeout;
};

static const struct cmd_option suggest_options[] = {
	OPT_INT("top", "N", struct suggest_opts, top, 1, TOP_MAX, TOP_DEFAULT,
	    "how many mentors (default 5)"),
	OPT_FLAG("mail", struct suggest_opts, mail,
	    "mail the mentee (without EMAIL: every eligible unmatched mentee) "
	    "the list, asking for a ranking by reply"),
	OPT_FLAG("force", struct suggest_opts, force,
	    "with --mail: send again although one went out today"),
	OPT_FLAG("dry-run", struct suggest_opts, dry_run,
	    "with --mail: list what would be sent; send and record nothing"),
	OPT_SENDMAIL(struct suggest_opts, sendmail),
	OPT_SMTP(struct suggest_opts, smtp),
	OPT_MAIL_TIMEOUT(struct suggest_opts, timeout),
	OPT_END,
};

/* ---- suggest --mail ---- */

static const struct out_col suggest_mail_cols[] = {
	{ "mentee_email", OUT_STR }, { "mentee_name", OUT_STR },
	{ "status", OUT_STR }, { "mentors", OUT_NESTED },
};

static void
suggest_mail_row(struct out *o, const struct suggest_mail_item *it,
    const char *status)
{
	const char **v = xcalloc(it->n ? it->n : 1, sizeof *v);
	size_t i;

	for (i = 0; i < it->n; i++)
		v[i] = it->v[i].email;
	out_str(o, "mentee_email", it->email);
	out_str(o, "mentee_name", it->name);
	out_str(o, "status", status);
	out_strv(o, "mentors", (const char *const *)v, it->n);
	out_end_row(o);
	free(v);
}

static int
cmd_suggest_mail(struct ctx *ctx, const struct cmd_args *args,
    const struct suggest_opts *opt, struct error *err)
{
	struct ops_ctx o = ops_of(ctx);
	struct ops_suggest_mail plan;
	struct remind_sender s;
	struct remind_result res;
	struct strbuf msg = STRBUF_INIT;
	struct error cerr = ERROR_INIT;
	size_t i, sent = 0, failed = 0, taken = 0, held = 0;
	struct out *out;
	char *via;
	int rc = 0;

	if (ops_suggest_mail_plan(&o, ctx->program_id, ctx->program,
	    args->npos > 1 ? args->pos[1] : NULL, (int)opt->top, opt->force,
	    &plan, err) != 0) {
		ops_suggest_mail_free(&plan);
		return -1;
	}
	memset(&s, 0, sizeof s);
	snprintf(s.by, sizeof s.by, "%ld", (long)getpid());
	if (cmd_mail_transport(opt->sendmail, opt->smtp, opt->timeout,
	    &s.transport, err) != 0 || (!opt->dry_run && plan.n > 0 &&
	    ops_suggest_mail_secret(&o, &plan, err) != 0)) {
		ops_remind_sender_free(&s);
		ops_suggest_mail_free(&plan);
		return -1;
	}
	out = cmd_out_new(ctx, suggest_mail_cols, NITEMS(suggest_mail_cols));
	for (i = 0; i < plan.n && rc == 0; i++) {
		struct suggest_mail_item *it = &plan.v[i];

		if (it->open_pairing > 0)
			cmd_warn("'%s' has pairing %lld in '%s' already",
			    it->email, it->open_pairing, ctx->slug);
		if (opt->dry_run) {
			suggest_mail_row(out, it, "would-send");
			sent++;
			continue;
		}
		if (ops_remind_breaker(&s)) {
			failed += plan.n - i;
			break;
		}
		strbuf_reset(&msg);
		if (ops_suggest_mail_compose(&o, &plan, it, &msg, &cerr) != 0) {
			cmd_warn("%s; not sent", cerr.msg ? cerr.msg :
			    "cannot compose the message");
			error_clear(&cerr);
			failed++;
			continue;
		}
		if ((rc = ops_suggest_mail_deliver(&o, &s, &plan, it, &msg, &res,
		    err)) != 0)
			break;
		if (res.outcome == REMIND_OUT_TAKEN) {
			taken++;
			continue;
		}
		if (res.outcome == REMIND_OUT_HELD) {
			held++;
			continue;
		}
		if (res.outcome != REMIND_OUT_SENT &&
		    res.outcome != REMIND_OUT_UNKNOWN) {
			via = mail_transport_name(&s.transport);
			cmd_warn("suggestion mail to %s not delivered: %s %s",
			    it->email, via, res.reason);
			free(via);
			failed++;
			continue;
		}
		suggest_mail_row(out, it, "sent");
		sent++;
	}
	if (rc == 0)
		rc = cmd_out_end(out, err);
	else
		(void)cmd_out_end(out, &cerr);
	error_clear(&cerr);
	for (i = 0; i < plan.nnomentor; i++)
		cmd_warn("no allowed mentor with a place left for '%s': no mail",
		    plan.nomentor[i]);
	if (rc == 0 && failed > 0)
		rc = error_set(err, EX_UNAVAILABLE, "%zu suggestion mail%s not "
		    "delivered (see the warnings above); sent %zu", failed,
		    failed == 1 ? "" : "s", sent);
	else if (rc == 0)
		cmd_note(ctx, "%s %zu suggestion mail%s (%zu sent today before%s, "
		    "%zu held for bouncing addresses)%s", opt->dry_run ?
		    "dry run: would send" : "sent", sent, sent == 1 ? "" : "s",
		    plan.recorded + taken, opt->force ? "" : ": --force sends "
		    "again", plan.bouncing + held, opt->dry_run ? "; nothing was "
		    "recorded" : "");
	strbuf_release(&msg);
	ops_remind_sender_free(&s);
	ops_suggest_mail_free(&plan);
	return rc;
}

static int
cmd_suggest_exec(struct ctx *ctx, const struct cmd_args *args,
    struct error *err)
{
	static const struct out_col extra[] = {
		{ "rank", OUT_INT }, { "remaining_capacity", OUT_INT },
		{ NULL, OUT_STR },
	};
	const struct suggest_opts *opt = args->opts;
	struct ops_ctx o = ops_of(ctx);
	const struct match_pool *pool;
	struct ops_suggest r;
	struct score_detail d;
	struct pairs_out po;
	int k, j, rc;

	if (opt->mail)
		return cmd_suggest_mail(ctx, args, opt, err);
	if (args->npos < 2)
		return error_set(err, EX_USAGE, "suggest: EMAIL is required "
		    "without --mail");
	if (opt->force || opt->dry_run || opt->sendmail || opt->smtp)
		return error_set(err, EX_USAGE, "suggest: --force, --dry-run, "
		    "--sendmail and --smtp go with --mail");
	if (ops_suggest(&o, ctx->program_id, ctx->program, args->pos[1], &r,
	    err) != 0) {
		ops_suggest_free(&r);
		return -1;
	}
	pool = &r.s.pool;
	if (r.open_pairing > 0)
		cmd_warn("'%s' has pairing %lld in '%s' already",
		    pool->mentees[0].email, r.open_pairing, ctx->slug);
	pairs_open(&po, ctx, &r.s, extra, false, false);
	for (k = 0; k < r.n && k < opt->top; k++) {
		j = r.v[k].mentor;
		pair_cells(&po, 0, j, r.v[k].score, &d);
		out_int(po.o, "rank", k + 1);
		out_int(po.o, "remaining_capacity",
		    match_cand_free_places(&pool->mentors[j]));
		out_end_row(po.o);
	}
	rc = pairs_close(&po, err);
	if (rc == 0 && r.n == 0)
		cmd_warn("no allowed mentor with a place left for '%s' (see "
		    "'mentorctl scores %s --mentee %s')", pool->mentees[0].email,
		    ctx->slug, pool->mentees[0].email);
	ops_suggest_free(&r);
	return rc;
}

/* ---- scores import ---- */

static int
cmd_scores_import_exec(struct ctx *ctx, const struct cmd_args *args,
    struct error *err)
{
	struct ops_ctx o = ops_of(ctx);
	const char *file = args->pos[args->npos - 1];
	struct csv_named *cr;
	struct ops_rows rows;
	struct ops_pairs_import r;
	int rc;

	memset(&r, 0, sizeof r);
	if ((cr = csv_named_open(file, err)) == NULL)
		return -1;
	rows.name = csv_named_name(cr);
	rows.arg = cr;
	rows.next = csv_named_next_v;
	rows.get = csv_named_cell_v;
	rows.has = csv_named_has_v;
	rows.line = csv_named_line_v;
	rc = ops_scores_import(&o, args->npos == 2 ? args->pos[0] : NULL,
	    &rows, &r, err);
	csv_named_close(cr);
	if (rc == 0)
		cmd_note(ctx, "%s: %zu pair%s read, %zu override%s changed in "
		    "'%s'", file, r.rows, r.rows == 1 ? "" : "s", r.changed,
		    r.changed == 1 ? "" : "s", r.slug ? r.slug : "?");
	ops_pairs_import_free(&r);
	return rc;
}

const struct cmd_entry cmd_scores_import_entry = {
	.name = "scores", .sub = "import", .usage = "[PROGRAM] FILE.csv",
	.summary = "store the bonus, veto and fixed columns of an edited "
	    "scores file",
	.example = "mentorctl scores import eng-2027 reviewed.csv",
	.min_args = 1, .max_args = 2,
	.flags = CMD_NEEDS_DB | CMD_WRITES,
	.exec = cmd_scores_import_exec,
};

const struct cmd_entry cmd_scores_entry = {
	.name = "scores", .sub = NULL, .usage = "PROGRAM [--mentee EMAIL]",
	.summary = "list every allowed pair with its score and breakdown",
	.example = "mentorctl scores eng-2027 --format csv > scores.csv",
	CMD_OPTIONS(struct scores_opts, scores_options),
	.min_args = 1, .max_args = 1,
	.flags = CMD_NEEDS_DB | CMD_PROGRAM_ARG | CMD_LISTING,
	.exec = cmd_scores_exec,
};

const struct cmd_entry cmd_suggest_entry = {
	.name = "suggest", .sub = NULL,
	.usage = "PROGRAM EMAIL [--top N] | PROGRAM [EMAIL] --mail [--force] "
	    "[--dry-run]",
	.summary = "rank the mentors with a place left for one mentee, or "
	    "mail mentees the list to rank by reply",
	.example = "mentorctl suggest eng-2027 --mail --top 3",
	CMD_OPTIONS(struct suggest_opts, suggest_options),
	.min_args = 1, .max_args = 2,
	.flags = CMD_NEEDS_DB | CMD_PROGRAM_ARG | CMD_LISTING,
	.exec = cmd_suggest_exec,
};
