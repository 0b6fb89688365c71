/*
 * The pairing life cycle by hand: pair (a manual proposal), accept, decline,
 * end.  The rules are in ops/pairing.c; these commands read their
 * arguments, call it and say what happened.  The pairings listing is in
 * cmd_pairings.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "core/date.h"
#include "core/program.h"
#include "core/status.h"
#include "ops/amend.h"
#include "ops/circle.h"
#include "ops/pairing.h"
#include "ops/rotation.h"
#include "util/error.h"

static struct ops_ctx
ops_of(const struct ctx *ctx)
{
	struct ops_ctx o = { ctx->db, ctx->today, ctx->now, ctx->actor };

	return o;
}

/* ---- pair ---- */

struct pair_opts {
	bool force;
	const char *by;
	long period;
	long group;
	bool revive;
	const char *csv;
};

static const struct cmd_option pair_options[] = {
	OPT_FLAG("force", struct pair_opts, force,
	    "pair despite the rules it breaks (never beyond capacity)"),
	OPT_EMAIL("by", struct pair_opts, by, "who pairs them, for the audit"),
	OPT_INT("period", "K", struct pair_opts, period, 1, 52, 0,
	    "rotational: the period whose mentor this sets"),
	OPT_INT("group", "ID", struct pair_opts, group, 1, 2147483647L, 0,
	    "group: give circle ID this mentor (PROGRAM MENTOR_EMAIL --group "
	    "ID: its members move to a new circle)"),
	OPT_FLAG("revive", struct pair_opts, revive,
	    "bring expired proposals back (PROGRAM PAIRING_ID, PROGRAM "
	    "MENTOR_EMAIL MENTEE_EMAIL or PROGRAM --csv FILE)"),
	OPT_STRING("csv", "FILE", struct pair_opts, csv,
	    "with --revive: the proposals to revive, columns mentor_email and "
	    "mentee_email, or pairing_id"),
	OPT_END,
};

/* pair PROGRAM MENTOR_EMAIL --group ID: a circle's new mentor (ops/circle.h). */
static int
pair_circle(struct ctx *ctx, const struct pair_opts *opt,
    const char *mentor_email, struct error *err)
{
	static const struct out_col cols[] = {
		{ "mentee_email", OUT_STR }, { "mentor_email", OUT_STR },
		{ "score", OUT_REAL }, { "pairing_id", OUT_INT },
		{ "status", OUT_STR }, { "group_id", OUT_INT },
	};
	struct ops_ctx o = ops_of(ctx);
	struct ops_circle_mentor r;
	struct out *out;
	char due[DATE_BUFSZ];
	size_t i;
	int rc;

	if (ops_circle_mentor(&o, ctx->program_id, ctx->program, opt->group,
	    mentor_email, &r, err) != 0) {
		ops_circle_mentor_free(&r);
		return -1;
	}
	out = cmd_out_new(ctx, cols, sizeof cols / sizeof cols[0]);
	for (i = 0; i < r.n; i++) {
		out_str(out, "mentee_email", r.made[i].mentee_email);
		out_str(out, "mentor_email", r.mentor);
		out_centi(out, "score", r.made[i].score);
		out_int(out, "pairing_id", r.made[i].id);
		out_str(out, "status", pairing_status_name(r.active ?
		    PAIRING_ACTIVE : PAIRING_PROPOSED));
		out_int(out, "group_id", r.new_group);
		out_end_row(out);
	}
	rc = cmd_out_end(out, err);
	if (rc == 0)
		cmd_note(ctx, "circle %lld moves to mentor '%s' as circle %lld: "
		    "%zu member%s %s%s%s", r.old_group, r.mentor, r.new_group,
		    r.n, r.n == 1 ? "" : "s", r.active ? "active at once "
		    "(consent none)" : "proposed; answers due by ",
		    r.active ? "" : date_format(r.expires_on, due),
		    r.ended ? "; the old circle's pairings ended" : "");
	ops_circle_mentor_free(&r);
	return rc;
}

/* pair PROGRAM MENTOR MENTEE --period K: a rotation's period by hand. */
static int
pair_period(struct ctx *ctx, const struct pair_opts *opt,
    const struct cmd_args *args, struct error *err)
{
	static const struct out_col cols[] = {
		{ "mentee_email", OUT_STR }, { "mentor_email", OUT_STR },
		{ "score", OUT_REAL }, { "pairing_id", OUT_INT },
		{ "status", OUT_STR }, { "group_id", OUT_INT },
		{ "period", OUT_INT },
	};
	struct ops_ctx o = ops_of(ctx);
	struct ops_rotation_pair r;
	struct out *out;
	char d1[DATE_BUFSZ], d2[DATE_BUFSZ];
	int rc;

	if (ops_rotation_pair(&o, ctx->program_id, ctx->program, args->pos[1],
	    args->pos[2], (int)opt->period, opt->force, &r, err) != 0) {
		ops_rotation_pair_free(&r);
		return -1;
	}
	out = cmd_out_new(ctx, cols, sizeof cols / sizeof cols[0]);
	out_str(out, "mentee_email", r.mentee);
	out_str(out, "mentor_email", r.mentor);
	out_centi(out, "score", r.made.score);
	out_int(out, "pairing_id", r.made.id);
	out_str(out, "status", pairing_status_name(r.status));
	out_int(out, "period", r.period);
	out_end_row(out);
	rc = cmd_out_end(out, err);
	if (rc == 0 && r.status == PAIRING_ACTIVE)
		cmd_note(ctx, "pairing %lld: mentor '%s' for mentee '%s' in "
		    "period %d, active at once", r.made.id, r.mentor, r.mentee,
		    r.period);
	else if (rc == 0 && r.expires_on == DATE_NONE)
		cmd_note(ctx, "pairing %lld: mentor '%s' for mentee '%s' in "
		    "period %d, %s from %s; it turns active when the period "
		    "opens", r.made.id, r.mentor, r.mentee, r.period,
		    pairing_status_name(r.status), date_format(r.proposed_on,
		    d1));
	else if (rc == 0)
		cmd_note(ctx, "pairing %lld: mentor '%s' for mentee '%s' in "
		    "period %d, proposed on %s, answers due by %s", r.made.id,
		    r.mentor, r.mentee, r.period, date_format(r.proposed_on, d1),
		    date_format(r.expires_on, d2));
	ops_rotation_pair_free(&r);
	return rc;
}

/* pair PROGRAM --revive ...: expired proposals back (ops/amend.h). */
static int
pair_revive(struct ctx *ctx, const struct pair_opts *opt,
    const struct cmd_args *args, struct error *err)
{
	static const struct out_col cols[] = {
		{ "mentee_email", OUT_STR }, { "mentor_email", OUT_STR },
		{ "score", OUT_REAL }, { "pairing_id", OUT_INT },
		{ "status", OUT_STR }, { "group_id", OUT_INT },
		{ "expired_on", OUT_DATE }, { "expires_on", OUT_DATE },
	};
	struct ops_ctx o = ops_of(ctx);
	struct ops_revive_req req;
	struct ops_revive r;
	struct out *out;
	char due[DATE_BUFSZ], *end;
	size_t i;
	int rc;

	if (opt->force || opt->period > 0 || opt->group > 0)
		return error_set(err, EX_USAGE, "--revive brings proposals back "
		    "as they were: drop --force, --period and --group");
	memset(&req, 0, sizeof req);
	if (opt->csv != NULL && args->npos != 1)
		return error_set(err, EX_USAGE, "--csv names the proposals to "
		    "revive: mentorctl pair PROGRAM --revive --csv FILE");
	if (opt->csv != NULL)
		rc = ops_revive_csv(&o, ctx->program_id, ctx->program, opt->csv,
		    &r, err);
	else {
		if (args->npos == 2) {
			req.pairing_id = strtoll(args->pos[1], &end, 10);
			if (*end != '\0' || end == args->pos[1] ||
			    req.pairing_id <= 0)
				return error_set(err, EX_USAGE, "'%s' is not a "
				    "pairing id", args->pos[1]);
		} else if (args->npos == 3) {
			req.mentor_email = args->pos[1];
			req.mentee_email = args->pos[2];
		} else
			return error_set(err, EX_USAGE, "--revive needs the "
			    "proposals: mentorctl pair PROGRAM --revive "
			    "PAIRING_ID, or --csv FILE");
		rc = ops_revive(&o, ctx->program_id, ctx->program, NULL, &req,
		    1, &r, err);
	}
	if (rc != 0) {
		cmd_print_problems(&r.problems);
		ops_revive_free(&r);
		return -1;
	}
	out = cmd_out_new(ctx, cols, sizeof cols / sizeof cols[0]);
	for (i = 0; i < r.n; i++) {
		out_str(out, "mentee_email", r.v[i].mentee_email);
		out_str(out, "mentor_email", r.v[i].mentor_email);
		out_real(out, "score", r.v[i].score, 2);
		out_int(out, "pairing_id", r.v[i].id);
		out_str(out, "status", pairing_status_name(r.active ?
		    PAIRING_ACTIVE : PAIRING_PROPOSED));
		if (r.v[i].group_id > 0)
			out_int(out, "group_id", r.v[i].group_id);
		out_date(out, "expired_on", r.v[i].expired_on);
		out_date(out, "expires_on", r.expires_on);
		out_end_row(out);
	}
	rc = cmd_out_end(out, err);
	if (rc == 0 && r.n == 1)
		cmd_note(ctx, "revived proposal %lld (mentor '%s', mentee '%s'): "
		    "%s%s", r.v[0].id, r.v[0].mentor_email, r.v[0].mentee_email,
		    r.active ? "active at once (consent none)" :
		    "answers due by ", r.active ? "" :
		    date_format(r.expires_on, due));
	else if (rc == 0)
		cmd_note(ctx, "revived %zu proposals: %s%s", r.n, r.active ?
		    "active at once (consent none)" : "answers due by ",
		    r.active ? "" : date_format(r.expires_on, due));
	ops_revive_free(&r);
	return rc;
}

static int
cmd_pair_exec(struct ctx *ctx, const struct cmd_args *args, struct error *err)
{
	static const struct out_col cols[] = {
		{ "mentee_email", OUT_STR }, { "mentor_email", OUT_STR },
		{ "score", OUT_REAL }, { "pairing_id", OUT_INT },
		{ "status", OUT_STR }, { "group_id", OUT_INT },
	};
	const struct pair_opts *opt = args->opts;
	struct ops_ctx o = ops_of(ctx);
	struct ops_pair req;
	struct out *out;
	char due[DATE_BUFSZ];
	int rc;

	if (opt->revive)
		return pair_revive(ctx, opt, args, err);
	if (opt->csv != NULL)
		return error_set(err, EX_USAGE, "--csv names proposals to revive: "
		    "mentorctl pair PROGRAM --revive --csv FILE");
	if (opt->group > 0) {
		if (args->npos != 2)
			return error_set(err, EX_USAGE, "--group gives circle %ld "
			    "a new mentor: mentorctl pair PROGRAM MENTOR_EMAIL "
			    "--group %ld", opt->group, opt->group);
		return pair_circle(ctx, opt, args->pos[1], err);
	}
	if (args->npos != 3)
		return error_set(err, EX_USAGE, "missing argument; usage: "
		    "mentorctl pair PROGRAM MENTOR_EMAIL MENTEE_EMAIL");
	if (opt->period > 0 || ctx->program->format == FORMAT_ROTATIONAL) {
		if (opt->period == 0)
			return error_set(err, EX_USAGE, "programme '%s' is "
			    "rotational: give the period whose mentor this sets "
			    "(--period K), or let 'mentorctl match %s' plan it",
			    ctx->slug, ctx->slug);
		return pair_period(ctx, opt, args, err);
	}
	memset(&req, 0, sizeof req);
	req.mentor_email = args->pos[1];
	req.mentee_email = args->pos[2];
	req.force = opt->force;
	if (ops_pair(&o, ctx->program_id, ctx->program, &req, err) != 0) {
		ops_pair_free(&req);
		return -1;
	}
	if (req.breaches)
		cmd_warn("pairing mentor '%s' with mentee '%s' despite: %s",
		    req.mentor, req.mentee, req.breaches);
	out = cmd_out_new(ctx, cols, sizeof cols / sizeof cols[0]);
	out_str(out, "mentee_email", req.mentee);
	out_str(out, "mentor_email", req.mentor);
	out_centi(out, "score", req.made.score);
	out_int(out, "pairing_id", req.made.id);
	out_str(out, "status", pairing_status_name(req.active ?
	    PAIRING_ACTIVE : PAIRING_PROPOSED));
	if (req.made.group_id > 0)
		out_int(out, "group_id", req.made.group_id);
	out_end_row(out);
	rc = cmd_out_end(out, err);
	if (rc == 0 && req.active)
		cmd_note(ctx, "paired mentor '%s' with mentee '%s' as pairing "
		    "%lld, active at once (consent none)", req.mentor,
		    req.mentee, req.made.id);
	else if (rc == 0)
		cmd_note(ctx, "proposed pairing %lld: mentor '%s', mentee '%s'; "
		    "answers due by %s", req.made.id, req.mentor, req.mentee,
		    date_format(req.expires_on, due));
	ops_pair_free(&req);
	return rc;
}

/* ---- accept, decline, end ---- */

struct answer_opts {
	const char *by;
	const char *reason;
	bool amend;
};

static const struct cmd_option accept_options[] = {
	OPT_EMAIL("by", struct answer_opts, by, "the mentor or mentee who "
	    "accepts (default: the coordinator, for everyone consent needs)"),
	OPT_END,
};

static const struct cmd_option decline_options[] = {
	OPT_EMAIL("by", struct answer_opts, by, "the mentor or mentee who "
	    "declines (default: the coordinator)"),
	OPT_TEXT("reason", "TEXT", struct answer_opts, reason, "why"),
	OPT_FLAG("amend", struct answer_opts, amend, "correct the reason of a "
	    "pairing declined already (with --reason)"),
	OPT_END,
};

static const struct cmd_option end_options[] = {
	OPT_TEXT("reason", "TEXT", struct answer_opts, reason,
	    "why the pairing ends (required)"),
	OPT_EMAIL("by", struct answer_opts, by, "who ends it, for the audit"),
	OPT_FLAG("amend", struct answer_opts, amend, "correct the reason of a "
	    "pairing ended already"),
	OPT_END,
};

static const char *
day_text(int day, char *buf)
{
	return day == DATE_NONE ? "?" : date_format(day, buf);
}

static int
cmd_accept_exec(struct ctx *ctx, const struct cmd_args *args,
    struct error *err)
{
	const struct answer_opts *opt = args->opts;
	struct ops_ctx o = ops_of(ctx);
	struct ops_answer a;
	const struct pairing_rec *r = &a.before;
	char d[DATE_BUFSZ];

	if (ops_accept(&o, ctx->pairing_id, opt->by, &a, err) != 0) {
		ops_answer_free(&a);
		return -1;
	}
	switch (a.outcome) {
	case OPS_ANSWER_ACTIVE:
		cmd_note(ctx, "pairing %lld is active: mentor '%s', mentee '%s'",
		    r->id, r->mentor_email, r->mentee_email);
		break;
	case OPS_ANSWER_WAITING:
		cmd_note(ctx, "pairing %lld is accepted: mentor '%s', mentee "
		    "'%s'; it turns active when period %d of the rotation "
		    "starts", r->id, r->mentor_email, r->mentee_email, r->slot);
		break;
	default:
		if (r->status == PAIRING_ACTIVE) {
			cmd_note(ctx, "pairing %lld is active already (since %s); "
			    "nothing changed", r->id, day_text(r->activated_on,
			    d));
			break;
		}
		cmd_note(ctx, "%s %s's acceptance of pairing %lld; waiting for "
		    "the %s ('%s')", a.outcome == OPS_ANSWER_UNCHANGED ?
		    "already had" : "recorded", a.sides & PAIRING_SIDE_MENTOR ?
		    "the mentor" : "the mentee", r->id, a.mentor_ok ? "mentee" :
		    "mentor", a.mentor_ok ? r->mentee_email : r->mentor_email);
		break;
	}
	ops_answer_free(&a);
	return 0;
}

/* end|decline ID --reason TEXT --amend: a reason corrected. */
static int
amend_reason(struct ctx *ctx, const struct answer_opts *opt,
    enum pairing_status status, struct error *err)
{
	struct ops_ctx o = ops_of(ctx);
	struct ops_amend a;
	const char *old;

	if (opt->reason == NULL)
		return error_set(err, EX_USAGE, "--amend needs the corrected "
		    "reason: --reason TEXT");
	if (ops_amend_reason(&o, ctx->pairing_id, status, opt->reason, &a,
	    err) != 0) {
		ops_amend_free(&a);
		return -1;
	}
	old = status == PAIRING_ENDED ? a.before.end_reason :
	    a.before.decline_reason;
	if (a.unchanged)
		cmd_note(ctx, "pairing %lld's %s reason is '%s' already; nothing "
		    "changed", a.before.id, status == PAIRING_ENDED ? "end" :
		    "decline", opt->reason);
	else
		cmd_note(ctx, "corrected the %s reason of pairing %lld: '%s' "
		    "(was %s%s%s)", status == PAIRING_ENDED ? "end" : "decline",
		    a.before.id, opt->reason, old ? "'" : "", old ? old : "none",
		    old ? "'" : "");
	ops_amend_free(&a);
	return 0;
}

static int
cmd_decline_exec(struct ctx *ctx, const struct cmd_args *args,
    struct error *err)
{
	const struct answer_opts *opt = args->opts;
	struct ops_ctx o = ops_of(ctx);
	struct ops_answer a;
	const struct pairing_rec *r = &a.before;
	char d[DATE_BUFSZ];

	if (opt->amend)
		return amend_reason(ctx, opt, PAIRING_DECLINED, err);
	if (ops_decline(&o, ctx->pairing_id, opt->by, opt->reason, &a,
	    err) != 0) {
		ops_answer_free(&a);
		return -1;
	}
	if (a.outcome == OPS_ANSWER_UNCHANGED)
		cmd_note(ctx, "pairing %lld was declined already on %s; nothing "
		    "changed", r->id, day_text(r->declined_on, d));
	else
		cmd_note(ctx, "declined pairing %lld (mentor '%s', mentee '%s'); "
		    "they will not be proposed again", r->id, r->mentor_email,
		    r->mentee_email);
	ops_answer_free(&a);
	return 0;
}

static int
cmd_end_exec(struct ctx *ctx, const struct cmd_args *args, struct error *err)
{
	const struct answer_opts *opt = args->opts;
	struct ops_ctx o = ops_of(ctx);
	struct ops_answer a;
	const struct pairing_rec *r = &a.before;
	char d[DATE_BUFSZ];

	if (opt->amend)
		return amend_reason(ctx, opt, PAIRING_ENDED, err);
	if (opt->reason == NULL)
		return error_set(err, EX_USAGE, "end needs --reason TEXT: why "
		    "the pairing ends");
	if (ops_end(&o, ctx->pairing_id, opt->reason, &a, err) != 0) {
		ops_answer_free(&a);
		return -1;
	}
	switch (a.outcome) {
	case OPS_ANSWER_UNCHANGED:
		cmd_note(ctx, "pairing %lld ended already on %s; nothing changed",
		    r->id, day_text(r->ended_on, d));
		break;
	case OPS_ANSWER_WITHDRAWN:
		cmd_note(ctx, "withdrew proposal %lld (mentor '%s', mentee "
		    "'%s'): recorded as declined", r->id, r->mentor_email,
		    r->mentee_email);
		break;
	default:
		cmd_note(ctx, "ended pairing %lld (mentor '%s', mentee '%s')%s",
		    r->id, r->mentor_email, r->mentee_email, a.released == 0 ?
		    "" : a.released == 1 ? "; 1 enrollment is eligible again" :
		    "; both enrollments are eligible again");
		break;
	}
	ops_answer_free(&a);
	return 0;
}

const struct cmd_entry cmd_pair_entry = {
	.name = "pair", .sub = NULL,
	.usage = "PROGRAM MENTOR_EMAIL MENTEE_EMAIL [--force] [--by EMAIL] "
	    "[--period K] | PROGRAM MENTOR_EMAIL --group ID | PROGRAM --revive "
	    "(PAIRING_ID | --csv FILE)",
	.summary = "propose a pairing by hand",
	.example = "mentorctl pair eng-2027 ana@example.org bo@example.org\n"
	    "mentorctl pair eng-2027 --revive --csv expired.csv",
	CMD_OPTIONS(struct pair_opts, pair_options),
	.min_args = 1, .max_args = 3,
	.flags = CMD_NEEDS_DB | CMD_WRITES | CMD_PROGRAM_ARG | CMD_LISTING |
	    CMD_BY_ACTOR,
	.exec = cmd_pair_exec,
};

const struct cmd_entry cmd_accept_entry = {
	.name = "accept", .sub = NULL, .usage = "PAIRING_ID [--by EMAIL]",
	.summary = "accept a proposed pairing",
	.example = "mentorctl accept 12 --by bo@example.org",
	CMD_OPTIONS(struct answer_opts, accept_options),
	.min_args = 1, .max_args = 1,
	.flags = CMD_NEEDS_DB | CMD_WRITES | CMD_PAIRING_ARG | CMD_BY_ACTOR,
	.exec = cmd_accept_exec,
};

const struct cmd_entry cmd_decline_entry = {
	.name = "decline", .sub = NULL,
	.usage = "PAIRING_ID [--by EMAIL] [--reason TEXT] [--amend]",
	.summary = "decline a proposed pairing",
	.example = "mentorctl decline 12 --by bo@example.org --reason 'no time'\n"
	    "mentorctl decline 12 --reason 'no time this quarter' --amend",
	CMD_OPTIONS(struct answer_opts, decline_options),
	.min_args = 1, .max_args = 1,
	.flags = CMD_NEEDS_DB | CMD_WRITES | CMD_PAIRING_ARG | CMD_BY_ACTOR,
	.exec = cmd_decline_exec,
};

const struct cmd_entry cmd_end_entry = {
	.name = "end", .sub = NULL,
	.usage = "PAIRING_ID --reason TEXT [--amend]",
	.summary = "end a pairing",
	.example = "mentorctl end 12 --reason 'mentor left the company'\n"
	    "mentorctl end 12 --reason 'mentor moved abroad' --amend",
	CMD_OPTIONS(struct answer_opts, end_options),
	.min_args = 1, .max_args = 1,
	.flags = CMD_NEEDS_DB | CMD_WRITES | CMD_PAIRING_ARG | CMD_BY_ACTOR,
	.exec = cmd_end_exec,
};
