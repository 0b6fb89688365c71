#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "cmd_table.h"
#include "io/csv_named.h"
#include "io/mail.h"
#include "io/smtp.h"
#include "ops/forms.h"
#include "util/error.h"

void
cmd_print_problems(const struct diags *d)
{
	size_t i;

	for (i = 0; i < d->n; i++) {
		char *line = diag_format(&d->v[i]);

		cmd_print_line(stderr, "", line);
		free(line);
	}
}

void
cmd_note(struct ctx *ctx, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	strbuf_addstr(ctx->notes, "mentorctl: ");
	cmd_escape_line(ctx->notes, sb.buf);
	strbuf_addch(ctx->notes, '\n');
	strbuf_release(&sb);
}

struct out *
cmd_out_new(const struct ctx *ctx, const struct out_col *cols, size_t ncols)
{
	return out_new(ctx->out, ctx->fmt, cols, ncols, ctx->bom ? OUT_BOM : 0);
}

struct out *
cmd_record_new(const struct ctx *ctx, const struct out_col *cols,
    size_t ncols)
{
	return out_new(ctx->out, ctx->fmt, cols, ncols, ctx->fmt == OUT_TABLE ?
	    OUT_RECORD : ctx->bom ? OUT_BOM : 0);
}

int
cmd_out_end(struct out *o, struct error *err)
{
	bool to_stdout = out_stream(o) == stdout;
	int rc = out_finish(o);

	out_free(o);
	if (rc != 0)
		return error_set(err, EX_IOERR, "cannot write %s: %s",
		    to_stdout ? "to standard output" : "the output",
		    strerror(errno));
	return 0;
}

/* Notes of responses recorded already, beyond which they are counted. */
#define FORM_SKIPPED_SHOWN 20

int
cmd_form_import(struct ctx *ctx, bool feedback, const char *file,
    const char *slug, const char *date_order, struct error *err)
{
	struct ops_ctx o = { ctx->db, ctx->today, ctx->now, ctx->actor };
	struct ops_form_import res;
	struct csv_named *r;
	const char *what = feedback ? "feedback response" : "check-in";
	size_t i;
	int order, rc;

	if ((order = form_date_order_parse(date_order)) < 0)
		return error_set(err, EX_USAGE, "unknown --date-order '%s' "
		    "(expected mdy for month/day/year or dmy for day/month/"
		    "year)", date_order);
	if (slug == NULL)
		return error_set(err, EX_USAGE, "--csv needs --program SLUG: "
		    "the programme whose pairings the responses are about");
	if ((r = csv_named_open(file, err)) == NULL)
		return -1;
	rc = ops_form_import(&o, feedback ? OPS_FORM_FEEDBACK :
	    OPS_FORM_CHECKIN, slug, r, (enum form_date_order)order, &res, err);
	if (rc != 0) {
		cmd_print_problems(&res.problems);
	} else {
		for (i = 0; i < res.skipped.n && i < FORM_SKIPPED_SHOWN; i++) {
			char *line = diag_format(&res.skipped.v[i]);

			cmd_note(ctx, "%s", line);
			free(line);
		}
		if (res.skipped.n > FORM_SKIPPED_SHOWN)
			cmd_note(ctx, "%s: %zu more responses recorded already",
			    csv_named_name(r), res.skipped.n - FORM_SKIPPED_SHOWN);
		cmd_note(ctx, "%s (%s): imported %zu %s%s (%zu already "
		    "recorded)", csv_named_name(r),
		    ops_form_source_name(res.source), res.recorded, what,
		    res.recorded == 1 ? "" : "s", res.already);
	}
	ops_form_import_free(&res);
	csv_named_close(r);
	return rc;
}

int
cmd_session_id(const char *s, long long *id, struct error *err)
{
	char *end;

	errno = 0;
	*id = strtoll(s, &end, 10);
	if (*s < '0' || *s > '9' || *end != '\0' || errno != 0 || *id <= 0)
		return error_set(err, EX_USAGE, "invalid session id '%s' "
		    "(expected the number 'mentorctl session list' shows)", s);
	return 0;
}

int
cmd_mail_transport(const char *sendmail, const char *smtp, long timeout,
    struct mail_transport *t, struct error *err)
{
	const char *v, *from = "--smtp ";
	char *host, *port;

	memset(t, 0, sizeof *t);
	t->timeout = (int)timeout;
	if (sendmail != NULL && *sendmail != '\0' && smtp != NULL)
		return error_set(err, EX_USAGE, "give --smtp or --sendmail, not "
		    "both");
	if (sendmail != NULL && *sendmail != '\0') {
		t->cmd = sendmail;
		return 0;
	}
	if (smtp == NULL && (v = getenv("MENTORCTL_SMTP")) != NULL &&
	    *v != '\0') {
		smtp = v;
		from = "MENTORCTL_SMTP ";
	}
	if (smtp != NULL) {
		if (smtp_target_parse(smtp, &host, &port, err) != 0) {
			error_prefix(err, "%s", from);
			return -1;
		}
		t->smtp = smtp_new(host, port, t->timeout);
		free(host);
		free(port);
		return 0;
	}
	if ((v = getenv("MENTORCTL_SENDMAIL")) != NULL && *v != '\0')
		t->cmd = v;
	else
		t->cmd = MAIL_SENDMAIL_DEFAULT;
	return 0;
}
