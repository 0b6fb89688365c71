/*
 * inbox [--maildir DIR | --mbox FILE] [--dry-run] [--sendmail CMD | --smtp
 * HOST[:PORT]]:
 * participants' replies, handled (ops/inbox.h).  One message on standard
 * input by default, for an MTA alias, procmail, getmail or fetchmail:
 *
 *	mentoring: "|/usr/local/bin/mentorctl --db /srv/mentoring.db inbox"
 *
 * Each message is one transaction: its effect and the record that it was
 * handled commit together, so an MTA's retry changes nothing.  The
 * acknowledgement goes out after the commit.  Exit status (stdin): 0
 * handled, including a polite refusal; 65 not a mail; 75 the database is
 * busy (the MTA retries); 74 I/O.  With --smtp every acknowledgement of
 * the run goes over one SMTP session.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd.h"
#include "core/date.h"
#include "io/mail.h"
#include "ops/inbox.h"
#include "store/db.h"
#include "util/strbuf.h"
#include "util/xmalloc.h"

/* A message larger than this is refused unread (mime.h refuses 4 MiB). */
#define INBOX_READ_MAX (8 * 1024 * 1024)

struct inbox_opts {
	const char *maildir;
	const char *mbox;
	bool dry_run;
	bool no_ack;
	const char *sendmail;
	const char *smtp;
	long timeout;
};

static const struct cmd_option inbox_options[] = {
	OPT_STRING("maildir", "DIR", struct inbox_opts, maildir,
	    "every message in DIR/new, moved to DIR/cur once handled"),
	OPT_STRING("mbox", "FILE", struct inbox_opts, mbox,
	    "every message of an mbox file"),
	OPT_FLAG("dry-run", struct inbox_opts, dry_run,
	    "say what each message would do; change nothing, send nothing"),
	OPT_FLAG("no-ack", struct inbox_opts, no_ack,
	    "record the replies but send no acknowledgements (an archive "
	    "read again)"),
	OPT_STRING("sendmail", "CMD", struct inbox_opts, sendmail,
	    "how acknowledgements are sent (else $MENTORCTL_SENDMAIL, else "
	    "'sendmail -t -oi')"),
	OPT_SMTP(struct inbox_opts, smtp),
	OPT_MAIL_TIMEOUT(struct inbox_opts, timeout),
	OPT_END,
};

static const struct out_col inbox_cols[] = {
	{ "message", OUT_STR }, { "from", OUT_STR }, { "outcome", OUT_STR },
	{ "pairing_id", OUT_INT }, { "acknowledged", OUT_STR },
	{ "detail", OUT_STR },
};

struct inbox_run {
	struct ctx *ctx;
	const struct inbox_opts *opt;
	struct mail_transport mail;
	struct out *out;
	size_t handled, notmail, failed_acks;
};

/* "ack.HASH@DOMAIN": one id per handled message. */
static char *
ack_message_id(const char *key, const char *from)
{
	unsigned char h[16];
	char hex[33];
	const char *at = from ? strrchr(from, '@') : NULL;

	crypto_generichash(h, sizeof h, (const unsigned char *)key,
	    strlen(key), NULL, 0);
	sodium_bin2hex(hex, sizeof hex, h, sizeof h);
	return xasprintf("ack.%s@%s", hex, at && at[1] ? at + 1 : "localhost");
}

/* Send the acknowledgement; the word for the listing. */
static const char *
send_ack(struct inbox_run *run, const struct inbox_result *r)
{
	struct error err = ERROR_INIT;
	struct strbuf msg = STRBUF_INIT;
	struct mail_msg m;
	char *id;

	if (r->ack_to == NULL)
		return NULL;
	if (run->opt->no_ack)
		return "no";
	if (r->ack_from == NULL) {
		cmd_warn("no acknowledgement for %s: the programme has no "
		    "contact address", r->message_key);
		return "no";
	}
	if (run->opt->dry_run)
		return "would";
	/* the SMTP server is gone for this run: said once already */
	if (mail_transport_down(&run->mail)) {
		run->failed_acks++;
		return "failed";
	}
	memset(&m, 0, sizeof m);
	m.from.name = r->ack_from_name;
	m.from.email = r->ack_from;
	m.to.name = r->ack_to_name;
	m.to.email = r->ack_to;
	m.subject = r->ack_subject;
	m.date = run->ctx->now;
	m.message_id = id = ack_message_id(r->message_key, r->ack_from);
	m.body = r->ack_body;
	m.in_reply_to = r->ack_in_reply_to;
	if (mail_compose(&m, &msg, &err) != 0 ||
	    mail_transport_send(&run->mail, msg.buf, msg.len, &err) != 0) {
		cmd_warn("acknowledgement to %s not sent: %s (the reply itself "
		    "was recorded)", r->ack_to, err.msg ? err.msg : "failed");
		error_clear(&err);
		if (mail_transport_down(&run->mail))
			cmd_warn("the connection to the SMTP server failed twice "
			    "in a row: no more acknowledgements in this run");
		run->failed_acks++;
		free(id);
		strbuf_release(&msg);
		return "failed";
	}
	free(id);
	strbuf_release(&msg);
	return "yes";
}

/*
 * Handle one message: 0 handled (whatever it said), EX_DATAERR not a mail,
 * or the database's status (busy, I/O) with err set.
 */
static int
handle_one(struct inbox_run *run, const char *name, const char *buf,
    size_t len, struct error *err)
{
	struct ctx *ctx = run->ctx;
	struct ops_ctx o = { ctx->db, ctx->today, ctx->now, ctx->actor };
	struct inbox_result r;
	const char *acked = NULL;
	bool keep;

	if (db_begin(ctx->db, err) != 0)
		return err->code ? err->code : EX_SOFTWARE;
	if (ops_inbox_handle(&o, buf, len, &r, err) != 0) {
		db_rollback(ctx->db);
		inbox_result_free(&r);
		if (err->code == EX_DATAERR) {
			run->notmail++;
			out_str(run->out, "message", name);
			out_str(run->out, "outcome", "not-a-mail");
			out_str(run->out, "detail", err->msg);
			out_end_row(run->out);
			error_clear(err);
			return EX_DATAERR;
		}
		return err->code ? err->code : EX_SOFTWARE;
	}
	keep = !run->opt->dry_run && r.outcome != INBOX_DUPLICATE;
	if (keep) {
		if (db_commit(ctx->db, err) != 0) {
			inbox_result_free(&r);
			return err->code ? err->code : EX_SOFTWARE;
		}
		acked = send_ack(run, &r);
	} else {
		db_rollback(ctx->db);
		if (r.outcome != INBOX_DUPLICATE)
			acked = send_ack(run, &r);
	}
	run->handled++;
	out_str(run->out, "message", name);
	out_str(run->out, "from", r.sender);
	out_str(run->out, "outcome", inbox_outcome_name(r.outcome));
	if (r.pairing_id > 0)
		out_int(run->out, "pairing_id", r.pairing_id);
	out_str(run->out, "acknowledged", acked);
	out_str(run->out, "detail", r.detail);
	out_end_row(run->out);
	inbox_result_free(&r);
	return 0;
}

/* Read all of fp (at most INBOX_READ_MAX + 1 bytes, to see it is too big). */
static int
slurp(FILE *fp, const char *name, struct strbuf *sb, struct error *err)
{
	char buf[65536];
	size_t n;

	while ((n = fread(buf, 1, sizeof buf, fp)) > 0) {
		strbuf_add(sb, buf, n);
		if (sb->len > INBOX_READ_MAX)
			return error_set(err, EX_DATAERR, "%s: larger than %d "
			    "MiB: not a reply", name, INBOX_READ_MAX >> 20);
	}
	if (ferror(fp))
		return error_set(err, EX_IOERR, "cannot read %s: %s", name,
		    strerror(errno));
	return 0;
}

static int
inbox_stdin(struct inbox_run *run, struct error *err)
{
	struct strbuf sb = STRBUF_INIT;
	int rc;

	if (slurp(stdin, "standard input", &sb, err) != 0) {
		strbuf_release(&sb);
		return -1;
	}
	rc = handle_one(run, "stdin", sb.buf, sb.len, err);
	strbuf_release(&sb);
	if (rc == EX_DATAERR)
		return error_set(err, EX_DATAERR, "standard input is not an "
		    "e-mail message");
	return rc == 0 ? 0 : -1;
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * Maildir: every message in new/ (and in cur/ nothing), oldest name first,
 * moved to cur/ with the ":2,S" info once handled or found not to be mail
 * (so it is not read again).  A busy database stops the run with the rest
 * left in new/.  Two runs may share a maildir (an overlapping cron job):
 * a message both read is recorded once, the second run sees a duplicate.
 */
static int
inbox_maildir(struct inbox_run *run, const char *dir, struct error *err)
{
	char *newdir = xasprintf("%s/new", dir), *curdir;
	char **names = NULL;
	size_t n = 0, cap = 0, i;
	struct dirent *de;
	DIR *d;
	int rc = 0;

	curdir = xasprintf("%s/cur", dir);
	if ((d = opendir(newdir)) == NULL) {
		rc = error_set(err, errno == ENOENT ? EX_NOINPUT : EX_IOERR,
		    "cannot read maildir '%s': %s", newdir, strerror(errno));
		goto out;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		XGROW(names, n + 1, cap);
		names[n++] = xstrdup(de->d_name);
	}
	closedir(d);
	if (n > 1)
		xqsort(names, n, sizeof *names, name_cmp);
	for (i = 0; i < n && rc == 0; i++) {
		struct strbuf sb = STRBUF_INIT;
		char *path = xasprintf("%s/%s", newdir, names[i]), *dst;
		FILE *fp = fopen(path, "rb");
		int k;

		if (fp == NULL) {
			/* another run took it */
			free(path);
			continue;
		}
		k = slurp(fp, path, &sb, err);
		fclose(fp);
		if (k != 0 && err->code != EX_DATAERR) {
			rc = -1;
		} else {
			if (k != 0) {
				error_clear(err);
				run->notmail++;
				k = EX_DATAERR;
			} else {
				k = handle_one(run, names[i], sb.buf, sb.len, err);
			}
			if (k != 0 && k != EX_DATAERR) {
				rc = -1;
			} else if (!run->opt->dry_run) {
				dst = xasprintf("%s/%s%s", curdir, names[i],
				    strchr(names[i], ':') ? "" : ":2,S");
				/* ENOENT: a run beside us moved it first (it
				 * saw the same message; the database keeps
				 * its effect once). */
				if (rename(path, dst) != 0 && errno != ENOENT)
					rc = error_set(err, EX_IOERR, "cannot "
					    "move '%s' to '%s': %s", path, dst,
					    strerror(errno));
				free(dst);
			}
		}
		strbuf_release(&sb);
		free(path);
	}
out:
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	free(newdir);
	free(curdir);
	return rc;
}

/* An mboxrd file: messages start at "From " lines; ">From " unquoted. */
static int
inbox_mbox(struct inbox_run *run, const char *path, struct error *err)
{
	struct strbuf all = STRBUF_INIT, one = STRBUF_INIT;
	const char *p, *end, *line, *nl;
	char name[32];
	size_t count = 0;
	FILE *fp;
	int rc = 0, k;

	if ((fp = fopen(path, "rb")) == NULL)
		return error_set(err, errno == ENOENT ? EX_NOINPUT : EX_IOERR,
		    "cannot open '%s': %s", path, strerror(errno));
	while (!ferror(fp) && !feof(fp)) {
		char buf[65536];
		size_t n = fread(buf, 1, sizeof buf, fp);

		strbuf_add(&all, buf, n);
	}
	if (ferror(fp))
		rc = error_set(err, EX_IOERR, "cannot read '%s': %s", path,
		    strerror(errno));
	fclose(fp);
	end = all.buf + all.len;
	for (p = all.buf; rc == 0 && p < end;) {
		strbuf_reset(&one);
		/* the separator line, then the message up to the next one */
		nl = memchr(p, '\n', (size_t)(end - p));
		line = nl ? nl + 1 : end;
		if (strncmp(p, "From ", 5) != 0 && p == all.buf)
			line = p;    /* no separator: one message */
		for (p = line; p < end; p = line) {
			nl = memchr(p, '\n', (size_t)(end - p));
			line = nl ? nl + 1 : end;
			if ((size_t)(end - p) >= 5 && strncmp(p, "From ", 5) == 0)
				break;
			if (*p == '>') {
				const char *q = p;

				while (q < line && *q == '>')
					q++;
				if ((size_t)(line - q) >= 5 &&
				    strncmp(q, "From ", 5) == 0)
					p++;
			}
			strbuf_add(&one, p, (size_t)(line - p));
		}
		if (one.len == 0)
			continue;
		snprintf(name, sizeof name, "%zu", ++count);
		k = handle_one(run, name, one.buf, one.len, err);
		if (k != 0 && k != EX_DATAERR)
			rc = -1;
	}
	strbuf_release(&one);
	strbuf_release(&all);
	return rc;
}

static int
cmd_inbox_exec(struct ctx *ctx, const struct cmd_args *args,
    struct error *err)
{
	const struct inbox_opts *opt = args->opts;
	struct inbox_run run;
	int rc;

	(void)args;
	if (opt->maildir && opt->mbox)
		return error_set(err, EX_USAGE, "give --maildir or --mbox, not "
		    "both");
	/* many replies about few programmes: parse each version once */
	ops_program_cache();
	memset(&run, 0, sizeof run);
	run.ctx = ctx;
	run.opt = opt;
	if (cmd_mail_transport(opt->sendmail, opt->smtp, opt->timeout,
	    &run.mail, err) != 0)
		return -1;
	run.out = cmd_out_new(ctx, inbox_cols,
	    sizeof inbox_cols / sizeof inbox_cols[0]);
	if (opt->maildir)
		rc = inbox_maildir(&run, opt->maildir, err);
	else if (opt->mbox)
		rc = inbox_mbox(&run, opt->mbox, err);
	else
		rc = inbox_stdin(&run, err);
	mail_transport_close(&run.mail);
	if (rc != 0) {
		out_free(run.out);
		return -1;
	}
	if (cmd_out_end(run.out, err) != 0)
		return -1;
	if (opt->maildir || opt->mbox)
		cmd_note(ctx, "%s%zu message%s handled, %zu not mail%s",
		    opt->dry_run ? "dry run: " : "", run.handled,
		    run.handled == 1 ? "" : "s", run.notmail,
		    run.failed_acks ? "; some acknowledgements were not sent "
		    "(see the warnings)" : "");
	return 0;
}

const struct cmd_entry cmd_inbox_entry = {
	.name = "inbox", .sub = NULL, .usage = "[--maildir DIR | --mbox FILE] "
	    "[--dry-run] [--sendmail CMD | --smtp HOST[:PORT]]",
	.summary = "handle participants' replies (one message on stdin, or a "
	    "maildir or mbox)",
	.example = "mentorctl inbox --maildir ~/Maildir/mentoring",
	CMD_OPTIONS(struct inbox_opts, inbox_options),
	.min_args = 0, .max_args = 0,
	.flags = CMD_NEEDS_DB | CMD_LISTING,
	.exec = cmd_inbox_exec,
};
