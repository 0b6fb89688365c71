/*
 * mail bounces|bounce|clear|unsent|resend: the coordinator's say over
 * outgoing mail.  An address that bounces gets no more mail until it is
 * cleared; a mail whose outcome is unknown counts as sent until it is
 * resent.  The rules are in ops/mail.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "core/date.h"
#include "core/delivery.h"
#include "core/program.h"
#include "ops/mail.h"
#include "store/mail_store.h"
#include "store/reminder_store.h"
#include "util/error.h"

static struct ops_ctx
ops_of(const struct ctx *ctx)
{
	struct ops_ctx o = { ctx->db, ctx->today, ctx->now, ctx->actor };

	return o;
}

struct mail_opts {
	const char *program;
	const char *reason;
	bool unknown;
};

/* --program SLUG: its id, 0 for all. */
static int
mail_program(const struct ctx *ctx, const char *slug, long long *id,
    struct error *err)
{
	struct ops_ctx o = ops_of(ctx);
	struct program *p;

	*id = 0;
	if (slug == NULL)
		return 0;
	if (ops_program_load(&o, slug, id, &p, err) != 0)
		return -1;
	program_free(p);
	return 0;
}

/* ---- mail bounces ---- */

static const struct cmd_option bounces_options[] = {
	OPT_STRING("program", "SLUG", struct mail_opts, program,
	    "only the addresses of this programme's people and contact"),
	OPT_END,
};

static int
cmd_mail_bounces_exec(struct ctx *ctx, const struct cmd_args *args,
    struct error *err)
{
	static const struct out_col cols[] = {
		{ "address", OUT_STR }, { "name", OUT_STR },
		{ "since", OUT_DATE }, { "source", OUT_STR },
		{ "failures", OUT_INT }, { "reason", OUT_STR },
	};
	const struct mail_opts *opt = args->opts;
	struct bounce_row *v;
	struct out *o;
	long long pid;
	size_t n, i;

	if (mail_program(ctx, opt->program, &pid, err) != 0)
		return -1;
	if (store_bounce_list(ctx->db, pid, &v, &n, err) != 0)
		return -1;
	o = cmd_out_new(ctx, cols, sizeof cols / sizeof cols[0]);
	for (i = 0; i < n; i++) {
		out_str(o, "address", v[i].address);
		out_str(o, "name", v[i].name);
		out_date(o, "since", v[i].since_on);
		out_str(o, "source", bounce_source_name(v[i].source));
		out_int(o, "failures", v[i].failures);
		out_str(o, "reason", v[i].reason);
		out_end_row(o);
	}
	bounce_rows_free(v, n);
	return cmd_out_end(o, err);
}

/* ---- mail bounce ---- */

static const struct cmd_option bounce_options[] = {
	OPT_TEXT("reason", "TEXT", struct mail_opts, reason,
	    "why (required), e.g. 'left the company'"),
	OPT_END,
};

static int
cmd_mail_bounce_exec(struct ctx *ctx, const struct cmd_args *args,
    struct error *err)
{
	const struct mail_opts *opt = args->opts;
	struct ops_ctx o = ops_of(ctx);
	int i;

	if (opt->reason == NULL)
		return error_set(err, EX_USAGE, "mail bounce needs --reason "
		    "TEXT: why no more mail should go to the address");
	for (i = 0; i < args->npos; i++)
		if (ops_mail_bounce(&o, args->pos[i], opt->reason, err) != 0)
			return -1;
	for (i = 0; i < args->npos; i++)
		cmd_note(ctx, "'%s' is marked as bouncing: no mail goes to it "
		    "until 'mentorctl mail clear %s'", args->pos[i],
		    args->pos[i]);
	return 0;
}

/* ---- mail clear ---- */

static int
cmd_mail_clear_exec(struct ctx *ctx, const struct cmd_args *args,
    struct error *err)
{
	struct ops_ctx o = ops_of(ctx);
	bool was;
	int i;

	for (i = 0; i < args->npos; i++) {
		if (ops_mail_clear(&o, args->pos[i], &was, err) != 0)
			return -1;
		if (was)
			cmd_note(ctx, "cleared '%s': remind sends to it again",
			    args->pos[i]);
		else
			cmd_note(ctx, "'%s' was not bouncing; nothing changed",
			    args->pos[i]);
	}
	return 0;
}

/* ---- mail unsent ---- */

static const struct cmd_option unsent_options[] = {
	OPT_STRING("program", "SLUG", struct mail_opts, program,
	    "only this programme's mail"),
	OPT_END,
};

/* What a coordinator calls the state: a handed mail's outcome is unknown. */
static const char *
unsent_state(enum delivery_state s)
{
	return s == DELIVERY_HANDED ? "unknown" : delivery_state_name(s);
}

static int
cmd_mail_unsent_exec(struct ctx *ctx, const struct cmd_args *args,
    struct error *err)
{
	static const struct out_col cols[] = {
		{ "id", OUT_INT }, { "program", OUT_STR },
		{ "pairing_id", OUT_INT }, { "kind", OUT_STR },
		{ "due_on", OUT_DATE }, { "recipient", OUT_STR },
		{ "state", OUT_STR }, { "attempts", OUT_INT },
		{ "last_try", OUT_STR }, { "error", OUT_STR },
		{ "message_id", OUT_STR },
	};
	const struct mail_opts *opt = args->opts;
	struct reminder_unsent *v;
	struct out *o;
	long long pid;
	size_t n, i;

	if (mail_program(ctx, opt->program, &pid, err) != 0)
		return -1;
	if (store_reminder_unsent(ctx->db, pid, NULL, &v, &n, err) != 0)
		return -1;
	o = cmd_out_new(ctx, cols, sizeof cols / sizeof cols[0]);
	for (i = 0; i < n; i++) {
		out_int(o, "id", v[i].id);
		out_str(o, "program", v[i].slug);
		if (v[i].pairing_id > 0)
			out_int(o, "pairing_id", v[i].pairing_id);
		out_str(o, "kind", v[i].kind);
		out_date(o, "due_on", v[i].due_on);
		out_str(o, "recipient", v[i].recipient);
		out_str(o, "state", unsent_state(v[i].state));
		out_int(o, "attempts", v[i].attempts);
		out_str(o, "last_try", v[i].claimed_at);
		out_str(o, "error", v[i].error);
		out_str(o, "message_id", v[i].message_id);
		out_end_row(o);
	}
	reminder_unsent_free(v, n);
	return cmd_out_end(o, err);
}

/* ---- mail resend ---- */

static const struct cmd_option resend_options[] = {
	OPT_FLAG("unknown", struct mail_opts, unknown,
	    "every mail whose outcome is unknown"),
	OPT_STRING("program", "SLUG", struct mail_opts, program,
	    "with --unknown: only this programme's"),
	OPT_END,
};

static int
cmd_mail_resend_exec(struct ctx *ctx, const struct cmd_args *args,
    struct error *err)
{
	const struct mail_opts *opt = args->opts;
	struct ops_ctx o = ops_of(ctx);
	long long id, pid;
	size_t n;
	char *end;
	int i;

	if (opt->unknown == (args->npos > 0))
		return error_set(err, EX_USAGE, "mail resend takes mail ids (see "
		    "'mentorctl mail unsent') or --unknown");
	if (opt->unknown) {
		if (mail_program(ctx, opt->program, &pid, err) != 0 ||
		    ops_mail_resend_unknown(&o, pid, &n, err) != 0)
			return -1;
		cmd_note(ctx, "%zu mail%s with an unknown outcome will be sent "
		    "again by the next 'mentorctl remind' on which %s due", n,
		    n == 1 ? "" : "s", n == 1 ? "it is still" : "they are");
		return 0;
	}
	for (i = 0; i < args->npos; i++) {
		id = strtoll(args->pos[i], &end, 10);
		if (*args->pos[i] < '1' || *args->pos[i] > '9' || *end != '\0')
			return error_set(err, EX_USAGE, "invalid mail id '%s' "
			    "(expected a number from 'mentorctl mail unsent')",
			    args->pos[i]);
		if (ops_mail_resend(&o, id, err) != 0)
			return -1;
	}
	cmd_note(ctx, "%d mail%s will be sent again by the next 'mentorctl "
	    "remind' on which %s due", args->npos, args->npos == 1 ? "" : "s",
	    args->npos == 1 ? "it is still" : "they are");
	return 0;
}

const struct cmd_entry cmd_mail_bounces_entry = {
	.name = "mail", .sub = "bounces", .usage = "[--program SLUG]",
	.summary = "list the addresses that bounce: they get no mail",
	.example = "mentorctl mail bounces --format csv",
	CMD_OPTIONS(struct mail_opts, bounces_options),
	.min_args = 0, .max_args = 0,
	.flags = CMD_NEEDS_DB | CMD_LISTING,
	.exec = cmd_mail_bounces_exec,
};

const struct cmd_entry cmd_mail_bounce_entry = {
	.name = "mail", .sub = "bounce", .usage = "EMAIL... --reason TEXT",
	.summary = "mark addresses as bouncing by hand: no more mail to them",
	.example = "mentorctl mail bounce bo@example.org --reason 'left'",
	CMD_OPTIONS(struct mail_opts, bounce_options),
	.min_args = 1, .max_args = -1,
	.flags = CMD_NEEDS_DB | CMD_WRITES,
	.exec = cmd_mail_bounce_exec,
};

const struct cmd_entry cmd_mail_clear_entry = {
	.name = "mail", .sub = "clear", .usage = "EMAIL...",
	.summary = "clear bouncing addresses: remind sends to them again",
	.example = "mentorctl mail clear bo@example.org",
	.min_args = 1, .max_args = -1,
	.flags = CMD_NEEDS_DB | CMD_WRITES,
	.exec = cmd_mail_clear_exec,
};

const struct cmd_entry cmd_mail_unsent_entry = {
	.name = "mail", .sub = "unsent", .usage = "[--program SLUG]",
	.summary = "list mail not delivered: failed, given up, bounced, or "
	    "of unknown outcome",
	.example = "mentorctl mail unsent --program eng-2027",
	CMD_OPTIONS(struct mail_opts, unsent_options),
	.min_args = 0, .max_args = 0,
	.flags = CMD_NEEDS_DB | CMD_LISTING,
	.exec = cmd_mail_unsent_exec,
};

const struct cmd_entry cmd_mail_resend_entry = {
	.name = "mail", .sub = "resend", .usage = "ID... | --unknown "
	    "[--program SLUG]",
	.summary = "let the next remind send these mails again",
	.example = "mentorctl mail resend --unknown",
	CMD_OPTIONS(struct mail_opts, resend_options),
	.min_args = 0, .max_args = -1,
	.flags = CMD_NEEDS_DB | CMD_WRITES,
	.exec = cmd_mail_resend_exec,
};
