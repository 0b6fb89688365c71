#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/delivery.h"
#include "io/mail.h"
#include "io/smtp.h"
#include "util/xmalloc.h"

/* ---- the pieces ---- */

static void
target(const char *spec, const char *host, const char *port)
{
	struct error err = ERROR_INIT;
	char *h, *p;

	if (smtp_target_parse(spec, &h, &p, &err) != 0)
		fail_msg("'%s': %s", spec, err.msg);
	assert_string_equal(h, host);
	assert_string_equal(p, port);
	free(h);
	free(p);
}

static void
bad_target(const char *spec)
{
	struct error err = ERROR_INIT;
	char *h = NULL, *p = NULL;

	assert_int_equal(smtp_target_parse(spec, &h, &p, &err), -1);
	assert_int_equal(err.code, EX_USAGE);
	assert_non_null(strstr(err.msg, "expected HOST[:PORT]"));
	assert_null(h);
	assert_null(p);
	error_clear(&err);
}

static void
test_target(void **state)
{
	(void)state;
	target("localhost", "localhost", "25");
	target("127.0.0.1:2525", "127.0.0.1", "2525");
	target("mail.example.org:587", "mail.example.org", "587");
	target("[::1]", "::1", "25");
	target("[::1]:10025", "::1", "10025");
	target("::1", "::1", "25");
	target("relay:0025", "relay", "25");
	bad_target("");
	bad_target(":25");
	bad_target("host:");
	bad_target("host:0");
	bad_target("host:65536");
	bad_target("host:25x");
	bad_target("host:-1");
	bad_target("[::1");
	bad_target("[]:25");
	bad_target("[::1]x");
	bad_target("ho st");
	bad_target("user@host");
	bad_target("smtp://host");
	bad_target("host\n:25");
}

static int
reply(const char *buf, int *code, size_t *used, char **text)
{
	struct strbuf sb = STRBUF_INIT;
	int r = smtp_reply_parse(buf, strlen(buf), code, used, &sb);

	*text = strbuf_detach(&sb, NULL);
	return r;
}

static void
test_reply_parse(void **state)
{
	size_t used;
	char *text;
	int code;

	(void)state;
	assert_int_equal(reply("250 OK\r\n", &code, &used, &text), 1);
	assert_int_equal(code, 250);
	assert_int_equal(used, 8);
	assert_string_equal(text, "250 OK\n");
	free(text);
	/* multi-line, then the next reply already behind it */
	assert_int_equal(reply("250-mx.example.org\r\n250-PIPELINING\r\n"
	    "250 8BITMIME\r\n354 go\r\n", &code, &used, &text), 1);
	assert_int_equal(code, 250);
	assert_int_equal(used, 50);
	assert_string_equal(text, "250-mx.example.org\n250-PIPELINING\n"
	    "250 8BITMIME\n");
	free(text);
	/* a bare code; LF alone */
	assert_int_equal(reply("221\n", &code, &used, &text), 1);
	assert_int_equal(code, 221);
	assert_int_equal(used, 4);
	free(text);
	/* not complete yet */
	assert_int_equal(reply("250-first\r\n250 sec", &code, &used, &text), 0);
	free(text);
	assert_int_equal(reply("25", &code, &used, &text), 0);
	free(text);
	assert_int_equal(reply("", &code, &used, &text), 0);
	free(text);
	/* not SMTP */
	assert_int_equal(reply("HTTP/1.1 400 Bad\r\n", &code, &used, &text),
	    -1);
	free(text);
	assert_int_equal(reply("2500 x\r\n", &code, &used, &text), -1);
	free(text);
	assert_int_equal(reply("150 x\r\n", &code, &used, &text), -1);
	free(text);
	assert_int_equal(reply("25\r\n", &code, &used, &text), -1);
	free(text);
	assert_int_equal(reply("250-a\r\n550 b\r\n", &code, &used, &text), -1);
	free(text);
	assert_int_equal(reply("\r\n", &code, &used, &text), -1);
	free(text);
	/* text may be NULL */
	assert_int_equal(smtp_reply_parse("451 4.3.0 later\r\n", 17, &code,
	    &used, NULL), 1);
	assert_int_equal(code, 451);
}

static void
test_ehlo_parse(void **state)
{
	unsigned long size;
	unsigned ext;

	(void)state;
	ext = smtp_ehlo_parse("250-mx.example.org Hello\n250-PIPELINING\n"
	    "250-SIZE 10240000\n250-8bitmime\n250-SMTPUTF8\n250 HELP\n", &size);
	assert_int_equal(ext, SMTP_EXT_PIPELINING | SMTP_EXT_SIZE |
	    SMTP_EXT_8BITMIME | SMTP_EXT_SMTPUTF8);
	assert_int_equal(size, 10240000);
	/* the greeting line names no keyword, even when it looks like one */
	ext = smtp_ehlo_parse("250 PIPELINING\n", &size);
	assert_int_equal(ext, 0);
	/* a keyword's prefix is not the keyword */
	ext = smtp_ehlo_parse("250-x\n250-PIPELININGX\n250 SIZEX\n", &size);
	assert_int_equal(ext, 0);
	assert_int_equal(size, 0);
	ext = smtp_ehlo_parse("250-x\n250 SIZE\n", &size);
	assert_int_equal(ext, SMTP_EXT_SIZE);
	assert_int_equal(size, 0);
}

static void
data_is(const char *msg, const char *want)
{
	struct strbuf sb = STRBUF_INIT;

	smtp_data_encode(msg, strlen(msg), &sb);
	assert_string_equal(sb.buf, want);
	strbuf_release(&sb);
}

static void
test_data_encode(void **state)
{
	(void)state;
	data_is("Subject: x\n\nhello\n", "Subject: x\r\n\r\nhello\r\n.\r\n");
	/* dot-stuffing (RFC 5321 4.5.2): every line that starts with "." */
	data_is("a\n.\n..b\n.c\nd.\n", "a\r\n..\r\n...b\r\n..c\r\nd.\r\n"
	    ".\r\n");
	data_is(".", "..\r\n.\r\n");
	/* CRLF kept as one end; a CR or LF alone ends a line too */
	data_is("a\r\nb\rc\n\nd", "a\r\nb\r\nc\r\n\r\nd\r\n.\r\n");
	data_is("", ".\r\n");
	data_is("\n", "\r\n.\r\n");
}

static void
test_envelope(void **state)
{
	struct smtp_envelope env;
	const char *m;

	(void)state;
	/* what mail_compose writes: a quoted name may hold "<" and "," */
	m = "Date: x\nFrom: \"Eng <Mentoring>, 2027\" <mentoring@example.org>\n"
	    "To: \"A, B\" <ann@example.org>\n"
	    "Cc: =?UTF-8?B?QmrDtnJu?= <bjorn@example.org>,\n"
	    " carl@example.org (Carl), Team: dee@example.org, eve@example.org;\n"
	    "Subject: To: not@example.org\nX-To: no@example.org\n\n"
	    "To: body@example.org\n";
	assert_int_equal(smtp_envelope_parse(m, strlen(m), &env), 0);
	assert_string_equal(env.from, "mentoring@example.org");
	assert_int_equal(env.nto, 5);
	assert_string_equal(env.to[0], "ann@example.org");
	assert_string_equal(env.to[1], "bjorn@example.org");
	assert_string_equal(env.to[2], "carl@example.org");
	assert_string_equal(env.to[3], "dee@example.org");
	assert_string_equal(env.to[4], "eve@example.org");
	assert_false(env.utf8);
	assert_false(env.body8);
	smtp_envelope_free(&env);

	/* CRLF, an address that is not ASCII, a body with 8-bit text */
	m = "From: <m@example.org>\r\nTo: <j\xC3\xB6rg@example.org>\r\n\r\n"
	    "Gr\xC3\xBC\xC3\x9F" "e\r\n";
	assert_int_equal(smtp_envelope_parse(m, strlen(m), &env), 0);
	assert_string_equal(env.to[0], "j\xC3\xB6rg@example.org");
	assert_true(env.utf8);
	assert_true(env.body8);
	smtp_envelope_free(&env);
	m = "From: <m@example.org>\nTo: <a@example.org>\n\nGr\xC3\xBC\xC3\x9F" "e\n";
	assert_int_equal(smtp_envelope_parse(m, strlen(m), &env), 0);
	assert_false(env.utf8);
	assert_true(env.body8);
	smtp_envelope_free(&env);

	/* no recipient, no sender, an address that would inject a command */
	m = "From: <m@example.org>\nSubject: x\n\nbody\n";
	assert_int_equal(smtp_envelope_parse(m, strlen(m), &env), -1);
	m = "To: <a@example.org>\n\nbody\n";
	assert_int_equal(smtp_envelope_parse(m, strlen(m), &env), -1);
	m = "From: <m@example.org>\nTo: <a@example.org> RCPT TO:<b@x.org>\n\n";
	assert_int_equal(smtp_envelope_parse(m, strlen(m), &env), 0);
	assert_int_equal(env.nto, 2);    /* the second is an angle-addr too */
	smtp_envelope_free(&env);
	m = "From: <m@example.org>\nTo: a@example.org\r\nRCPT TO:<b@x.org>\n\n";
	assert_int_equal(smtp_envelope_parse(m, strlen(m), &env), 0);
	assert_int_equal(env.nto, 1);
	smtp_envelope_free(&env);
	m = "From: <m@example.org>\nTo: <a b@example.org>\n\n";
	assert_int_equal(smtp_envelope_parse(m, strlen(m), &env), -1);
}

/* ---- a scripted server ---- */

/*
 * A fake SMTP server in a child process: one connection at a time, a log
 * line per event in log (a file), replies as the script says.
 */
struct fake {
	bool pipelining;
	bool smtputf8;
	bool ehlo_unknown;          /* answer EHLO 500: the client says HELO */
	const char *mail_reply;     /* NULL: 250 */
	int mail_421_at;            /* answer the N-th MAIL (1-based) 421 */
	const char *rcpt_addr;      /* this recipient gets rcpt_reply */
	const char *rcpt_reply;     /* "drop": close instead */
	const char *dot_addr;       /* a message to it gets dot_reply */
	const char *dot_reply;      /* "drop", "hang": close or go silent */
	bool refuse_greeting;       /* 554 at once */
};

struct server {
	pid_t pid;
	int port;
	char log[64];
};

static void
fake_put(int fd, const char *s)
{
	(void)!write(fd, s, strlen(s));
}

static void
fake_log(const char *path, const char *prefix, const char *line)
{
	FILE *fp = fopen(path, "a");

	if (fp == NULL)
		_exit(9);
	fprintf(fp, "%s%s\n", prefix, line);
	fclose(fp);
}

/* One line (CRLF stripped) into line; 0 at end of file. */
static int
fake_line(int fd, char *buf, size_t *have, char *line, size_t max)
{
	char *nl;
	ssize_t n;
	size_t k;

	while ((nl = memchr(buf, '\n', *have)) == NULL) {
		n = read(fd, buf + *have, 8192 - *have);
		if (n <= 0)
			return 0;
		*have += (size_t)n;
	}
	k = (size_t)(nl - buf);
	if (k > 0 && buf[k - 1] == '\r')
		k--;
	if (k >= max)
		k = max - 1;
	memcpy(line, buf, k);
	line[k] = '\0';
	k = (size_t)(nl - buf) + 1;
	memmove(buf, buf + k, *have - k);
	*have -= k;
	return 1;
}

static void
fake_conn(int fd, const struct fake *f, const char *log, int *mails)
{
	char buf[8192], line[1100], rcpt[1100] = "";
	size_t have = 0;
	int nrcpt = 0;

	if (f->refuse_greeting) {
		fake_put(fd, "554 5.3.2 not now\r\n");
		return;
	}
	fake_put(fd, "220 fake ESMTP\r\n");
	while (fake_line(fd, buf, &have, line, sizeof line)) {
		if (strncasecmp(line, "EHLO ", 5) == 0) {
			fake_log(log, "", "EHLO");
			if (f->ehlo_unknown) {
				fake_put(fd, "500 5.5.1 what\r\n");
				continue;
			}
			fake_put(fd, "250-fake\r\n");
			if (f->pipelining)
				fake_put(fd, "250-PIPELINING\r\n");
			if (f->smtputf8)
				fake_put(fd, "250-SMTPUTF8\r\n");
			fake_put(fd, "250 8BITMIME\r\n");
		} else if (strncasecmp(line, "HELO ", 5) == 0) {
			fake_log(log, "", "HELO");
			fake_put(fd, "250 fake\r\n");
		} else if (strncasecmp(line, "MAIL FROM:", 10) == 0) {
			fake_log(log, "", line);
			nrcpt = 0;
			if (++*mails == f->mail_421_at) {
				fake_put(fd, "421 4.7.0 too many messages\r\n");
				return;
			}
			fake_put(fd, f->mail_reply ? f->mail_reply : "250 ok\r\n");
		} else if (strncasecmp(line, "RCPT TO:", 8) == 0) {
			fake_log(log, "", line);
			snprintf(rcpt, sizeof rcpt, "%s", line + 8);
			if (f->rcpt_addr && strstr(line, f->rcpt_addr)) {
				if (strcmp(f->rcpt_reply, "drop") == 0)
					return;
				fake_put(fd, f->rcpt_reply);
				continue;
			}
			nrcpt++;
			fake_put(fd, "250 ok\r\n");
		} else if (strcasecmp(line, "DATA") == 0) {
			fake_log(log, "", "DATA");
			if (nrcpt == 0) {
				fake_put(fd, "554 5.5.1 no valid recipients\r\n");
				continue;
			}
			fake_put(fd, "354 go ahead\r\n");
			while (fake_line(fd, buf, &have, line, sizeof line) &&
			    strcmp(line, ".") != 0)
				fake_log(log, "| ", line);
			fake_log(log, "", ".");
			if (f->dot_addr && strstr(rcpt, f->dot_addr)) {
				if (strcmp(f->dot_reply, "drop") == 0)
					return;
				if (strcmp(f->dot_reply, "hang") == 0) {
					sleep(3);
					return;
				}
				fake_put(fd, f->dot_reply);
				continue;
			}
			fake_put(fd, "250 2.0.0 queued\r\n");
		} else if (strcasecmp(line, "RSET") == 0) {
			fake_log(log, "", "RSET");
			nrcpt = 0;
			fake_put(fd, "250 ok\r\n");
		} else if (strcasecmp(line, "QUIT") == 0) {
			fake_log(log, "", "QUIT");
			fake_put(fd, "221 bye\r\n");
			return;
		} else {
			fake_log(log, "? ", line);
			fake_put(fd, "500 what\r\n");
		}
	}
}

static void
server_start(struct server *sv, const struct fake *f)
{
	struct sockaddr_in sa;
	socklen_t len = sizeof sa;
	int ls, fd, one = 1, mails = 0;

	snprintf(sv->log, sizeof sv->log, "/tmp/mentorctl-smtp.XXXXXX");
	fd = mkstemp(sv->log);
	assert_true(fd >= 0);
	close(fd);
	ls = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(ls >= 0);
	setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(ls, (struct sockaddr *)&sa, sizeof sa), 0);
	assert_int_equal(listen(ls, 8), 0);
	assert_int_equal(getsockname(ls, (struct sockaddr *)&sa, &len), 0);
	sv->port = ntohs(sa.sin_port);
	sv->pid = fork();
	assert_true(sv->pid >= 0);
	if (sv->pid == 0) {
		signal(SIGPIPE, SIG_IGN);
		alarm(30);
		for (;;) {
			if ((fd = accept(ls, NULL, NULL)) < 0)
				_exit(0);
			fake_log(sv->log, "", "connect");
			fake_conn(fd, f, sv->log, &mails);
			close(fd);
		}
	}
	close(ls);
}

/* Stop it; its log, the caller frees. */
static char *
server_stop(struct server *sv)
{
	struct strbuf sb = STRBUF_INIT;
	char buf[4096];
	size_t n;
	FILE *fp;

	kill(sv->pid, SIGTERM);
	waitpid(sv->pid, NULL, 0);
	fp = fopen(sv->log, "r");
	assert_non_null(fp);
	while ((n = fread(buf, 1, sizeof buf, fp)) > 0)
		strbuf_add(&sb, buf, n);
	fclose(fp);
	unlink(sv->log);
	return strbuf_detach(&sb, NULL);
}

static size_t
count(const char *hay, const char *needle)
{
	size_t n = 0;

	for (; (hay = strstr(hay, needle)) != NULL; hay++)
		n++;
	return n;
}

static struct smtp *
session(const struct server *sv, int timeout)
{
	char port[16];

	snprintf(port, sizeof port, "%d", sv->port);
	return smtp_new("127.0.0.1", port, timeout);
}

/* Send the message for rcpt; the verdict, and the reason in r. */
static enum delivery_verdict
send_to(struct smtp *s, const char *rcpt, const char *body,
    char r[DELIVERY_REASON_BUFSZ])
{
	struct delivery_end end;
	char *msg = xasprintf("From: \"Mentoring\" <m@example.org>\n"
	    "To: <%s>\nSubject: hi\n\n%s", rcpt, body);

	smtp_send(s, msg, strlen(msg), &end);
	free(msg);
	return delivery_judge(&end, r);
}

static void
several_over_one(bool pipelining)
{
	struct fake f = { .pipelining = pipelining };
	char r[DELIVERY_REASON_BUFSZ], *log;
	struct server sv;
	struct smtp *s;

	server_start(&sv, &f);
	s = session(&sv, 10);
	assert_int_equal(strncmp(smtp_name(s), "127.0.0.1:", 10), 0);
	assert_int_equal(send_to(s, "a@example.org", "one\n.dot\n", r),
	    DELIVERY_OK);
	assert_int_equal(send_to(s, "b@example.org", "two\n", r), DELIVERY_OK);
	assert_int_equal(send_to(s, "c@example.org", ".\n", r), DELIVERY_OK);
	assert_int_equal(smtp_connections(s), 1);
	smtp_free(s);
	log = server_stop(&sv);
	assert_int_equal(count(log, "connect\n"), 1);
	assert_int_equal(count(log, "EHLO\n"), 1);
	assert_int_equal(count(log, "MAIL FROM:<m@example.org>\n"), 3);
	assert_int_equal(count(log, "DATA\n"), 3);
	assert_int_equal(count(log, "QUIT\n"), 1);
	assert_non_null(strstr(log, "RCPT TO:<b@example.org>\n"));
	/* the body as sent, dot-stuffed: the server reads it back */
	assert_non_null(strstr(log, "| one\n| ..dot\n.\n"));
	assert_non_null(strstr(log, "| Subject: hi\n| \n| ..\n.\n"));
	free(log);
}

static void
test_session_one_connection(void **state)
{
	(void)state;
	several_over_one(false);
	several_over_one(true);
}

/* A refused recipient ends the transaction, not the session. */
static void
refusals(bool pipelining)
{
	struct fake f = { .pipelining = pipelining,
	    .rcpt_addr = "bad@", .rcpt_reply =
	    "550 5.1.1 <bad@example.org>: Recipient address rejected\r\n" };
	char r[DELIVERY_REASON_BUFSZ], *log;
	struct server sv;
	struct smtp *s;

	server_start(&sv, &f);
	s = session(&sv, 10);
	assert_int_equal(send_to(s, "bad@example.org", "x\n", r),
	    DELIVERY_BOUNCE);
	assert_string_equal(r, "refused the recipient: 550 5.1.1 "
	    "<bad@example.org>: Recipient address rejected");
	assert_int_equal(send_to(s, "good@example.org", "y\n", r),
	    DELIVERY_OK);
	assert_int_equal(smtp_connections(s), 1);
	smtp_free(s);
	log = server_stop(&sv);
	assert_int_equal(count(log, "connect\n"), 1);
	assert_int_equal(count(log, "RSET\n"), 1);
	/* pipelined, DATA went with the refused RCPT and was refused */
	assert_int_equal(count(log, "DATA\n"), pipelining ? 2 : 1);
	assert_int_equal(count(log, "| x\n"), 0);
	assert_int_equal(count(log, "| y\n"), 1);
	free(log);
}

static void
test_session_refused_recipient(void **state)
{
	(void)state;
	refusals(false);
	refusals(true);
}

static void
test_session_temporary(void **state)
{
	struct fake f = { .rcpt_addr = "later@", .rcpt_reply =
	    "451 4.3.0 try again later\r\n" };
	char r[DELIVERY_REASON_BUFSZ], *log;
	struct server sv;
	struct smtp *s;

	(void)state;
	server_start(&sv, &f);
	s = session(&sv, 10);
	assert_int_equal(send_to(s, "later@example.org", "x\n", r),
	    DELIVERY_RETRY);
	assert_string_equal(r, "refused the recipient: 451 4.3.0 try again "
	    "later");
	assert_int_equal(send_to(s, "now@example.org", "y\n", r), DELIVERY_OK);
	smtp_free(s);
	log = server_stop(&sv);
	assert_int_equal(count(log, "connect\n"), 1);
	free(log);

	/* a policy refusal is the sender's to fix: not a bounce */
	f.rcpt_reply = "554 5.7.1 <x>: Relay access denied\r\n";
	server_start(&sv, &f);
	s = session(&sv, 10);
	assert_int_equal(send_to(s, "later@example.org", "x\n", r),
	    DELIVERY_RETRY);
	smtp_free(s);
	free(server_stop(&sv));

	/* a refused sender */
	memset(&f, 0, sizeof f);
	f.mail_reply = "553 5.1.8 sender domain unknown\r\n";
	server_start(&sv, &f);
	s = session(&sv, 10);
	assert_int_equal(send_to(s, "a@example.org", "x\n", r),
	    DELIVERY_RETRY);
	assert_string_equal(r, "refused the sender: 553 5.1.8 sender domain "
	    "unknown");
	smtp_free(s);
	free(server_stop(&sv));
}

/*
 * The connection lost after the final dot: the outcome is unknown; the
 * next message opens a new connection.
 */
static void
test_session_lost_after_dot(void **state)
{
	struct fake f = { .dot_addr = "lost@", .dot_reply = "drop" };
	char r[DELIVERY_REASON_BUFSZ], *log;
	struct server sv;
	struct smtp *s;

	(void)state;
	server_start(&sv, &f);
	s = session(&sv, 10);
	assert_int_equal(send_to(s, "a@example.org", "x\n", r), DELIVERY_OK);
	assert_int_equal(send_to(s, "lost@example.org", "x\n", r),
	    DELIVERY_UNKNOWN);
	assert_non_null(strstr(r, "after the whole message was sent"));
	assert_false(smtp_down(s));
	assert_int_equal(send_to(s, "b@example.org", "x\n", r), DELIVERY_OK);
	assert_int_equal(smtp_connections(s), 2);
	/* lost again: reconnect again, the last connection took a message */
	assert_int_equal(send_to(s, "lost@example.org", "x\n", r),
	    DELIVERY_UNKNOWN);
	assert_int_equal(send_to(s, "c@example.org", "x\n", r), DELIVERY_OK);
	assert_int_equal(smtp_connections(s), 3);
	smtp_free(s);
	log = server_stop(&sv);
	assert_int_equal(count(log, "connect\n"), 3);
	assert_int_equal(count(log, "RCPT TO:<lost@example.org>\n"), 2);
	free(log);
}

/* Lost before the final dot: not delivered, retried by a later run. */
static void
test_session_lost_before_dot(void **state)
{
	struct fake f = { .rcpt_addr = "lost@", .rcpt_reply = "drop" };
	char r[DELIVERY_REASON_BUFSZ], *log;
	struct server sv;
	struct smtp *s;

	(void)state;
	server_start(&sv, &f);
	s = session(&sv, 10);
	assert_int_equal(send_to(s, "lost@example.org", "x\n", r),
	    DELIVERY_RETRY);
	assert_string_equal(r, "was lost before the message was sent: the "
	    "server closed the connection");
	/* the new connection is lost too, before taking anything: down */
	assert_int_equal(send_to(s, "lost@example.org", "x\n", r),
	    DELIVERY_RETRY);
	assert_true(smtp_down(s));
	assert_int_equal(send_to(s, "a@example.org", "x\n", r),
	    DELIVERY_RETRY);
	assert_string_equal(r, "could not be reached: not tried again after "
	    "two failed connections in a row");
	assert_int_equal(smtp_connections(s), 2);
	smtp_free(s);
	log = server_stop(&sv);
	assert_int_equal(count(log, "connect\n"), 2);
	assert_int_equal(count(log, "RCPT TO:<a@example.org>"), 0);
	free(log);

	/* a 421 to MAIL (too many messages): closed, the next reconnects */
	memset(&f, 0, sizeof f);
	f.mail_421_at = 2;
	server_start(&sv, &f);
	s = session(&sv, 10);
	assert_int_equal(send_to(s, "a@example.org", "x\n", r), DELIVERY_OK);
	assert_int_equal(send_to(s, "b@example.org", "x\n", r),
	    DELIVERY_RETRY);
	assert_string_equal(r, "refused the sender: 421 4.7.0 too many "
	    "messages");
	assert_int_equal(send_to(s, "c@example.org", "x\n", r), DELIVERY_OK);
	assert_int_equal(smtp_connections(s), 2);
	smtp_free(s);
	log = server_stop(&sv);
	assert_int_equal(count(log, "connect\n"), 2);
	assert_int_equal(count(log, "RSET\n"), 0);
	free(log);
}

static void
test_session_no_server(void **state)
{
	struct fake f = { .refuse_greeting = true };
	char r[DELIVERY_REASON_BUFSZ];
	struct server sv;
	struct smtp *s;
	int port;

	(void)state;
	/* a port nobody listens on: tried twice, then down */
	server_start(&sv, &f);
	port = sv.port;
	free(server_stop(&sv));
	sv.port = port;
	s = session(&sv, 5);
	assert_int_equal(send_to(s, "a@example.org", "x\n", r),
	    DELIVERY_RETRY);
	assert_string_equal(r, "could not be reached: Connection refused");
	assert_true(smtp_down(s));
	assert_int_equal(smtp_connections(s), 2);
	assert_int_equal(send_to(s, "b@example.org", "x\n", r),
	    DELIVERY_RETRY);
	assert_int_equal(smtp_connections(s), 2);
	smtp_free(s);

	/* a server that will not talk */
	server_start(&sv, &f);
	s = session(&sv, 5);
	assert_int_equal(send_to(s, "a@example.org", "x\n", r),
	    DELIVERY_RETRY);
	assert_string_equal(r, "refused the session: 554 5.3.2 not now");
	assert_true(smtp_down(s));
	smtp_free(s);
	free(server_stop(&sv));
}

/* No reply to the final dot within the timeout: unknown. */
static void
test_session_timeout(void **state)
{
	struct fake f = { .dot_addr = "slow@", .dot_reply = "hang" };
	char r[DELIVERY_REASON_BUFSZ];
	struct server sv;
	struct smtp *s;

	(void)state;
	server_start(&sv, &f);
	s = session(&sv, 1);
	assert_int_equal(send_to(s, "slow@example.org", "x\n", r),
	    DELIVERY_UNKNOWN);
	assert_non_null(strstr(r, "no reply within 1 s"));
	smtp_free(s);
	free(server_stop(&sv));
}

/* EHLO not understood: HELO; SMTPUTF8 not offered: no transaction. */
static void
test_session_helo_and_utf8(void **state)
{
	struct fake f = { .ehlo_unknown = true };
	char r[DELIVERY_REASON_BUFSZ], *log;
	struct server sv;
	struct smtp *s;

	(void)state;
	server_start(&sv, &f);
	s = session(&sv, 10);
	assert_int_equal(send_to(s, "a@example.org", "x\n", r), DELIVERY_OK);
	assert_int_equal(send_to(s, "j\xC3\xB6rg@example.org", "x\n", r),
	    DELIVERY_RETRY);
	assert_non_null(strstr(r, "was not given the message: the server "
	    "does not take internationalised addresses"));
	assert_int_equal(send_to(s, "b@example.org", "x\n", r), DELIVERY_OK);
	smtp_free(s);
	log = server_stop(&sv);
	assert_int_equal(count(log, "HELO\n"), 1);
	assert_int_equal(count(log, "MAIL FROM"), 2);
	assert_int_equal(count(log, "connect\n"), 1);
	free(log);

	memset(&f, 0, sizeof f);
	f.smtputf8 = true;
	server_start(&sv, &f);
	s = session(&sv, 10);
	assert_int_equal(send_to(s, "j\xC3\xB6rg@example.org", "x\n", r),
	    DELIVERY_OK);
	smtp_free(s);
	log = server_stop(&sv);
	assert_non_null(strstr(log, "MAIL FROM:<m@example.org> BODY=8BITMIME "
	    "SMTPUTF8\n"));
	free(log);
}

/* mail_transport over SMTP: the spool borrows, the name says where. */
static void
test_transport(void **state)
{
	struct fake f = { 0 };
	struct error err = ERROR_INIT;
	struct mail_transport t = { NULL, 10, NULL };
	struct server sv;
	char port[16], *name;
	const char *msg = "From: <m@example.org>\nTo: <a@example.org>\n\nx\n";

	(void)state;
	name = mail_transport_name(&t);
	assert_string_equal(name, "mail program 'sendmail -t -oi'");
	free(name);
	server_start(&sv, &f);
	snprintf(port, sizeof port, "%d", sv.port);
	t.smtp = smtp_new("127.0.0.1", port, 10);
	name = mail_transport_name(&t);
	assert_non_null(strstr(name, "SMTP server '127.0.0.1:"));
	free(name);
	assert_int_equal(mail_transport_send(&t, msg, strlen(msg), &err), 0);
	assert_false(mail_transport_down(&t));
	mail_transport_close(&t);
	assert_null(t.smtp);
	free(server_stop(&sv));
	/* v6 names get brackets */
	t.smtp = smtp_new("::1", "2525", 10);
	assert_string_equal(smtp_name(t.smtp), "[::1]:2525");
	mail_transport_close(&t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_target),
		cmocka_unit_test(test_reply_parse),
		cmocka_unit_test(test_ehlo_parse),
		cmocka_unit_test(test_data_encode),
		cmocka_unit_test(test_envelope),
		cmocka_unit_test(test_session_one_connection),
		cmocka_unit_test(test_session_refused_recipient),
		cmocka_unit_test(test_session_temporary),
		cmocka_unit_test(test_session_lost_after_dot),
		cmocka_unit_test(test_session_lost_before_dot),
		cmocka_unit_test(test_session_no_server),
		cmocka_unit_test(test_session_timeout),
		cmocka_unit_test(test_session_helo_and_utf8),
		cmocka_unit_test(test_transport),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
