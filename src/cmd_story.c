/*
 * pairing show PAIRING_ID [--include-notes]: one pairing's whole story in
 * time order: the proposal and its score, every answer (who, when, why),
 * activation, check-ins, reminders, re-up answers and outcomes, feedback
 * counts (under the k >= 3 rule) and the ending.  Columns:
 * day,event,who,detail.  Check-in topics, notes and ratings only with
 * --include-notes; feedback ratings and comments never.  The proposal's
 * detail names its top reasons (the criteria's points, as `scores` breaks
 * a pair down); JSON has them as well in a column `reasons`.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "core/date.h"
#include "core/match_pool.h"
#include "core/metrics.h"
#include "core/status.h"
#include "ops/match.h"
#include "store/view_store.h"
#include "util/error.h"
#include "util/strbuf.h"

struct story_opts {
	bool include_notes;
};

static const struct cmd_option story_options[] = {
	OPT_FLAG("include-notes", struct story_opts, include_notes,
	    "add the check-ins' topics, ratings and private notes"),
	OPT_END,
};

static const char *
name_or_email(const char *name, const char *email, char *buf, size_t size)
{
	if (name == NULL || name[0] == '\0')
		return email;
	snprintf(buf, size, "%s <%s>", name, email);
	return buf;
}

#define STORY_REASONS 3

/*
 * The proposal's detail with its reasons: "by match, score 41.67; top
 * reasons under version 2: skills:overlap 20.83, ...", and when today's
 * data scores the pair otherwise, that the reasons are today's.
 */
static char *
proposal_detail(const char *detail, double score,
    const struct ops_reasons *r)
{
	struct strbuf sb = STRBUF_INIT;
	char num[32];
	size_t i;

	strbuf_addstr(&sb, detail ? detail : "");
	if (!r->scored)
		return strbuf_detach(&sb, NULL);
	if (r->n == 0)
		strbuf_addf(&sb, "; no criterion of version %d gave points",
		    r->version);
	else
		strbuf_addf(&sb, "; top reasons under version %d: ",
		    r->version);
	for (i = 0; i < r->n; i++)
		strbuf_addf(&sb, "%s%s %s", i ? ", " : "", r->v[i].criterion,
		    match_points_str(r->v[i].points, num));
	if (r->score - score > 0.005 || score - r->score > 0.005)
		strbuf_addf(&sb, " (the reasons are from today's data, "
		    "which scores the pair %s)", match_points_str(r->score,
		    num));
	return strbuf_detach(&sb, NULL);
}

static void
out_reasons(struct out *o, const struct ops_reasons *r)
{
	static const struct out_col rcols[] = {
		{ "criterion", OUT_STR }, { "points", OUT_REAL },
	};
	struct out *sub;
	size_t i;

	sub = out_nested(o, "reasons", rcols, 2);
	for (i = 0; i < r->n; i++) {
		out_str(sub, "criterion", r->v[i].criterion);
		out_real(sub, "points", r->v[i].points, 2);
		out_end_row(sub);
	}
	out_nested_end(o, sub);
}

static int
cmd_pairing_show_exec(struct ctx *ctx, const struct cmd_args *args,
    struct error *err)
{
	static const struct out_col cols[] = {
		{ "day", OUT_DATE }, { "event", OUT_STR }, { "who", OUT_STR },
		{ "detail", OUT_STR }, { "reasons", OUT_NESTED },
	};
	const struct story_opts *opt = args->opts;
	struct ops_ctx oc = { ctx->db, ctx->today, ctx->now, ctx->actor };
	struct ops_reasons r;
	struct story s;
	struct out *o;
	char a[256], b[256], *d;
	size_t i;
	int rc;

	if (store_pairing_story(ctx->db, ctx->pairing_id, opt->include_notes,
	    &s, err) != 0)
		return -1;
	if (ops_pairing_reasons(&oc, ctx->pairing_id, STORY_REASONS, &r,
	    err) != 0) {
		story_free(&s);
		return -1;
	}
	if (ctx->fmt == OUT_TABLE)
		fprintf(ctx->out, "pairing %lld in %s: mentor %s, mentee %s; "
		    "%s\n\n", s.id, s.program, name_or_email(s.mentor_name,
		    s.mentor_email, a, sizeof a), name_or_email(s.mentee_name,
		    s.mentee_email, b, sizeof b), pairing_status_name(s.status));
	/* the reasons' column only in JSON: elsewhere they are in the detail */
	o = cmd_out_new(ctx, cols, sizeof cols / sizeof cols[0] -
	    (ctx->fmt == OUT_JSON ? 0 : 1));
	for (i = 0; i < s.n; i++) {
		out_date(o, "day", s.v[i].day);
		out_str(o, "event", s.v[i].event);
		out_str(o, "who", s.v[i].who);
		if (s.v[i].proposal) {
			d = proposal_detail(s.v[i].detail, s.score, &r);
			out_str(o, "detail", d);
			free(d);
			if (out_has_col(o, "reasons") && r.scored)
				out_reasons(o, &r);
		} else {
			out_str(o, "detail", s.v[i].detail);
		}
		out_end_row(o);
	}
	/* feedback: how many, never what; a count under 3 is not shown either */
	out_str(o, "event", "feedback");
	if (metrics_k_visible(s.feedbacks)) {
		snprintf(a, sizeof a, "%lld responses (ratings and comments only "
		    "in the report)", s.feedbacks);
		out_str(o, "detail", a);
	} else {
		out_str(o, "detail", s.feedbacks == 0 ? "none" :
		    METRICS_HIDDEN_TEXT " (not shown)");
	}
	out_end_row(o);
	rc = cmd_out_end(o, err);
	ops_reasons_free(&r);
	story_free(&s);
	return rc;
}

const struct cmd_entry cmd_pairing_show_entry = {
	.name = "pairing", .sub = "show",
	.usage = "PAIRING_ID [--include-notes]",
	.summary = "show a pairing's whole story in time order",
	.example = "mentorctl pairing show 12",
	CMD_OPTIONS(struct story_opts, story_options),
	.min_args = 1, .max_args = 1,
	.flags = CMD_NEEDS_DB | CMD_PAIRING_ARG | CMD_LISTING,
	.exec = cmd_pairing_show_exec,
};
