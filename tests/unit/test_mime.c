#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/reply.h"
#include "core/token.h"
#include "io/mime.h"
#include "util/fileio.h"
#include "util/strbuf.h"
#include "util/xmalloc.h"

/* ---- helpers ---------------------------------------------------------------- */

static struct mime_msg *
parse_ok(const char *s)
{
	struct mime_msg *m = NULL;
	struct error err = ERROR_INIT;

	if (mime_parse(s, strlen(s), &m, &err) == -1)
		fail_msg("mime_parse: %s", err.msg);
	assert_non_null(m);
	return m;
}

static void
expect_not_mail(const char *s, size_t len, const char *why)
{
	struct mime_msg *m = (struct mime_msg *)1;
	struct error err = ERROR_INIT;

	assert_int_equal(mime_parse(s, len, &m, &err), -1);
	assert_null(m);
	assert_int_equal(err.code, EX_DATAERR);
	if (strstr(err.msg, why) == NULL)
		fail_msg("error '%s' lacks '%s'", err.msg, why);
	error_clear(&err);
}

static void
expect_html(const char *html, const char *want)
{
	char *got = mime_html_to_text(html, strlen(html));

	if (strcmp(got, want) != 0)
		fail_msg("html '%s'\n  want: '%s'\n  got:  '%s'", html, want,
		    got);
	free(got);
}

/* ---- HTML --------------------------------------------------------------------- */

static void
test_html_basics(void **state)
{
	(void)state;
	expect_html("yes", "yes");
	expect_html("<p>yes</p><p>rate 5</p>", "yes\nrate 5\n");
	expect_html("<div>a<br>b<br><br>c</div>", "a\nb\n\nc\n");
	expect_html("a  \n\t b", "a b");
	expect_html("<b>bold</b> and <i>it</i>", "bold and it");
	expect_html("<style>p { color: red }</style><script>x = '<p>'"
	    "</script>ok", "ok");
	expect_html("<head><title>t</title></head><body>b</body>", "b\n");
	expect_html("<!-- yes -->no<!--[if mso]><xml>x</xml><![endif]-->",
	    "no");
	expect_html("<!DOCTYPE html><?xml x?>t", "t");
	expect_html("a &amp; b &lt;c&gt; &quot;d&quot; &#39;e&#x27; "
	    "caf&eacute; &euro;5 &ndash; &rsquo;", "a & b <c> \"d\" 'e' "
	    "café €5 – ’");
	expect_html("&nbsp;&nbsp;x", "  x");
	expect_html("&bogus; &amp &#; &#xZZ; &#0; &#x110000; &#55296; &#150;",
	    "&bogus; &amp &#; &#xZZ; \xEF\xBF\xBD \xEF\xBF\xBD \xEF\xBF\xBD "
	    "\xE2\x80\x93");
	expect_html("<ol><li>Ana</li><li>Bo</li></ol><ul><li>x</li></ul>",
	    "1. Ana\n2. Bo\n- x\n");
	expect_html("<table><tr><td>a</td><td>b</td></tr></table>", "a b\n");
	expect_html("<pre>a  b\n  c</pre>", "a  b\n  c\n");
	expect_html("1 < 2 and 3 <4", "1 < 2 and 3 <4");
	expect_html("<a href=\"x>y\" title='>'>link</a>", "link");
	expect_html("<p unterminated", "");
	expect_html("x<br/>y<br />z", "x\ny\nz");
	expect_html("a\x01\x7F\xC2\x85" "b\xFF", "ab\xEF\xBF\xBD");
	expect_html("", "");
}

static void
test_html_quotes(void **state)
{
	(void)state;
	/* Apple Mail and Thunderbird: blockquote type=cite. */
	expect_html("yes<blockquote type=\"cite\">Hello<br>Reply</blockquote>"
	    "after", "yes\n> Hello\n> Reply\nafter");
	expect_html("<blockquote>a<blockquote>b</blockquote>c</blockquote>",
	    "> a\n>> b\n> c\n");
	/* Gmail: the gmail_quote container quotes its attribution too. */
	expect_html("<div dir=\"ltr\">Yes!</div><div class=\"gmail_quote "
	    "gmail_quote_container\"><div class=\"gmail_attr\">On Mon wrote:"
	    "<br></div><blockquote class=\"gmail_quote\">Hi<div>x</div>"
	    "</blockquote></div><div>after</div>",
	    "Yes!\n> On Mon wrote:\n>> Hi\n>> x\nafter\n");
	/* Outlook: everything after divRplyFwdMsg is the original. */
	expect_html("<div>Yes</div><hr><div id=\"divRplyFwdMsg\"><b>From:</b>"
	    " M<br><b>Sent:</b> Mon</div><div>Hello</div><p>bye</p>",
	    "Yes\n> From: M\n> Sent: Mon\n> Hello\n> bye\n");
	expect_html("<div id=appendonsend></div><div>orig</div>", "> orig\n");
	/* Unbalanced closing tags do not underflow. */
	expect_html("</blockquote></div></ol>x", "x");
	expect_html("<div class=\"xgmail_quote\">not a quote</div>",
	    "not a quote\n");
}

/* ---- parse -------------------------------------------------------------------- */

static void
test_not_mail(void **state)
{
	static const char png[] = "\x89PNG\r\n\x1a\n\0\0\0";
	char *big;

	(void)state;
	expect_not_mail("", 0, "empty");
	expect_not_mail(png, sizeof png - 1, "does not start with a header");
	expect_not_mail("hello world\n", 12, "does not start with a header");
	expect_not_mail(": x\n", 4, "does not start with a header");
	expect_not_mail("\nFrom: a@b\n\nyes", 15, "does not start");
	expect_not_mail("Subject: x\n\nyes\n", 16, "no From header");
	expect_not_mail("From x Mon Jan 25", 17, "only an mbox From line");
	big = xmalloc(MIME_MAX_SIZE + 1);
	memset(big, 'a', MIME_MAX_SIZE + 1);
	memcpy(big, "From: a@b\n\n", 11);
	expect_not_mail(big, MIME_MAX_SIZE + 1, "larger than");
	free(big);
}

static void
test_headers(void **state)
{
	struct mime_msg *m;
	char buf[DATE_BUFSZ];

	(void)state;
	m = parse_ok("Delivered-To: MENTORING+abc@example.org\n"
	    "Delivered-To: other@example.org\n"
	    "X-Original-To: mentoring+abc@example.org\n"
	    "Envelope-To: env@example.org\n"
	    "From: \"Lima, Ana\" <ana@example.com>\n"
	    "To: Team: a@example.org, b@example.org;, c@example.org\n"
	    "Cc: =?UTF-8?Q?Zo=C3=AB?= <zoe@example.org>, ANA@example.com\n"
	    "Subject: =?UTF-8?B?w6kgKOKCrCk=?= plain\n"
	    "\ttail\n"
	    "Date: Wed, 27 Jan 2027 23:30:00 -0500\n"
	    "Message-ID: <id-1@example.com>\n"
	    "In-Reply-To: <parent@example.org> (Ana's message)\n"
	    "References: <a@x> <b@y>\n"
	    "  <c@z>\n"
	    "\n"
	    "yes\n");
	assert_int_equal(m->kind, MIME_MAIL);
	assert_null(m->auto_reason);
	assert_string_equal(m->from_addr, "ana@example.com");
	assert_string_equal(m->from_name, "Lima, Ana");
	assert_int_equal(m->nrecipients, 8);
	assert_string_equal(m->recipients[0], "MENTORING+abc@example.org");
	assert_string_equal(m->recipients[1], "other@example.org");
	assert_string_equal(m->recipients[2], "env@example.org");
	assert_string_equal(m->recipients[3], "a@example.org");
	assert_string_equal(m->recipients[4], "b@example.org");
	assert_string_equal(m->recipients[5], "c@example.org");
	assert_string_equal(m->recipients[6], "zoe@example.org");
	assert_string_equal(m->recipients[7], "ANA@example.com");
	assert_string_equal(m->subject, "é (€) plain tail");
	assert_true(m->has_date);
	/* 04:30 UTC on the 28th, but the sender wrote on the 27th. */
	assert_int_equal(m->date, 1801110600LL);
	assert_int_equal(m->utc_offset, -300);
	assert_string_equal(date_format(m->day, buf), "2027-01-27");
	assert_string_equal(m->message_id, "id-1@example.com");
	assert_string_equal(m->in_reply_to, "parent@example.org");
	assert_int_equal(m->nreferences, 3);
	assert_string_equal(m->references[2], "c@z");
	assert_string_equal(m->text, "yes\n");
	assert_int_equal(m->text_source, MIME_TEXT_PLAIN);
	mime_msg_free(m);

	/* No Date, no ids, no subject, no text. */
	m = parse_ok("From: a@example.com\n\n");
	assert_false(m->has_date);
	assert_int_equal(m->day, DATE_NONE);
	assert_null(m->message_id);
	assert_null(m->in_reply_to);
	assert_int_equal(m->nreferences, 0);
	assert_string_equal(m->subject, "");
	assert_string_equal(m->text, "");
	mime_msg_free(m);
	mime_msg_free(NULL);
}

static void
test_limits(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	struct mime_msg *m;
	int i;

	(void)state;
	/* References: the last MIME_MAX_LIST, where the parent is. */
	strbuf_addstr(&sb, "From: a@example.com\nReferences:");
	for (i = 0; i < MIME_MAX_LIST + 20; i++)
		strbuf_addf(&sb, " <r%d@example.org>\n", i);
	strbuf_addstr(&sb, "To:");
	for (i = 0; i < MIME_MAX_LIST + 20; i++)
		strbuf_addf(&sb, "%s t%d@example.org\n", i ? " ," : "", i);
	strbuf_addstr(&sb, "\n");
	for (i = 0; i < MIME_MAX_TEXT / 10 + 10; i++)
		strbuf_addstr(&sb, "123456789\n");
	m = parse_ok(sb.buf);
	assert_int_equal(m->nreferences, MIME_MAX_LIST);
	assert_string_equal(m->references[0], "r20@example.org");
	assert_string_equal(m->references[MIME_MAX_LIST - 1],
	    "r119@example.org");
	assert_int_equal(m->nrecipients, MIME_MAX_LIST);
	assert_int_equal(strlen(m->text), MIME_MAX_TEXT);
	mime_msg_free(m);
	strbuf_release(&sb);
}

static void
test_charsets(void **state)
{
	struct mime_msg *m;

	(void)state;
	/* An unknown label on UTF-8 text: read as UTF-8. */
	m = parse_ok("From: a@b\nContent-Type: text/plain; charset=x-bogus\n\n"
	    "caf\xC3\xA9\n");
	assert_string_equal(m->text, "café\n");
	mime_msg_free(m);
	/* An unknown label on 8-bit text: Windows-1252. */
	m = parse_ok("From: a@b\nContent-Type: text/plain; charset=x-bogus\n\n"
	    "caf\xE9 \x80\n");
	assert_string_equal(m->text, "café €\n");
	mime_msg_free(m);
	/* ISO-8859-1 is read as Windows-1252; an undefined byte is U+FFFD. */
	m = parse_ok("From: a@b\nContent-Type: text/plain; charset=latin1\n\n"
	    "\x93q\x94 \x81\n");
	assert_string_equal(m->text, "“q” \xEF\xBF\xBD\n");
	mime_msg_free(m);
	/* UTF-16 with a BOM, base64. */
	m = parse_ok("From: a@b\nContent-Type: text/plain; charset=utf-16\n"
	    "Content-Transfer-Encoding: base64\n\n//55AGUAcwAKAA==\n");
	assert_string_equal(m->text, "yes\n");
	mime_msg_free(m);
	/* Controls out, CRLF to LF, tab kept. */
	m = parse_ok("From: a@b\n\na\r\nb\x1B[0m\tc\x7F\xC2\x80\n");
	assert_string_equal(m->text, "a\nb[0m\tc\n");
	mime_msg_free(m);
	/* Header control characters and raw 8-bit subjects. */
	m = parse_ok("From: =?UTF-8?Q?A=0Ab=1B?= <a@b>\n"
	    "Subject: caf\xE9 =?UTF-8?Q?x=1By?=\n\n");
	assert_string_equal(m->from_name, "A b");
	assert_string_equal(m->subject, "café x y");
	mime_msg_free(m);
}

static void
test_flowed(void **state)
{
	struct mime_msg *m;

	(void)state;
	m = parse_ok("From: a@b\nContent-Type: text/plain; format=flowed\n\n"
	    "one \ntwo\n>> q1 \n>> q2\n> x\n-- \nsig\n \n");
	assert_string_equal(m->text, "one two\n>> q1 q2\n> x\n-- \nsig\n\n");
	mime_msg_free(m);
	m = parse_ok("From: a@b\nContent-Type: text/plain; format=flowed; "
	    "delsp=yes\n\nab \ncd\n");
	assert_string_equal(m->text, "abcd\n");
	mime_msg_free(m);
}

static void
test_structure(void **state)
{
	struct mime_msg *m;

	(void)state;
	/* An encrypted part is not read. */
	m = parse_ok("From: a@b\nContent-Type: multipart/encrypted; "
	    "boundary=x\n\n--x\nContent-Type: application/pgp-encrypted\n\n"
	    "Version: 1\n--x\nContent-Type: text/plain\n\nyes\n--x--\n");
	assert_int_equal(m->text_source, MIME_TEXT_NONE);
	assert_string_equal(m->text, "");
	mime_msg_free(m);
	/* An alternative with only HTML. */
	m = parse_ok("From: a@b\nContent-Type: multipart/alternative; "
	    "boundary=x\n\n--x\nContent-Type: text/html\n\n<p>no</p>\n"
	    "--x--\n");
	assert_int_equal(m->text_source, MIME_TEXT_HTML);
	assert_string_equal(m->text, "no\n");
	mime_msg_free(m);
	/* A text attachment before the body is skipped. */
	m = parse_ok("From: a@b\nContent-Type: multipart/mixed; boundary=x\n\n"
	    "--x\nContent-Type: text/plain\nContent-Disposition: attachment;"
	    " filename=a.txt\n\nno\n--x\nContent-Type: text/plain\n\nyes\n"
	    "--x--\n");
	assert_string_equal(m->text, "yes");
	mime_msg_free(m);
	/* Deep nesting is bounded, not followed. */
	{
		struct strbuf sb = STRBUF_INIT;
		int i;

		strbuf_addstr(&sb, "From: a@b\n");
		for (i = 0; i < 3000; i++)
			strbuf_addf(&sb, "Content-Type: multipart/mixed; "
			    "boundary=b%d\n\n--b%d\n", i, i);
		strbuf_addstr(&sb, "Content-Type: text/plain\n\nyes\n");
		m = parse_ok(sb.buf);
		assert_string_equal(m->text, "");
		mime_msg_free(m);
		/* Messages in messages, beyond GMime's own nesting limit. */
		strbuf_reset(&sb);
		for (i = 0; i < 3000; i++)
			strbuf_addstr(&sb, "From: a@b\nContent-Type: "
			    "message/rfc822\n\n");
		strbuf_addstr(&sb, "From: c@d\n\nyes\n");
		m = parse_ok(sb.buf);
		assert_string_equal(m->from_addr, "a@b");
		assert_string_equal(m->text, "");
		mime_msg_free(m);
		/* A report whose parts nest: only its own children are read. */
		strbuf_reset(&sb);
		strbuf_addstr(&sb, "From: a@b\nContent-Type: multipart/report; "
		    "report-type=delivery-status; boundary=r\n\n--r\n"
		    "Content-Type: message/delivery-status\n\n"
		    "Reporting-MTA: dns; x\n\nFinal-Recipient: rfc822; <u@v>\n"
		    "Action: Failed (bad)\nStatus: 5.1.1 (no such user)\n"
		    "\nFinal-Recipient: x\nStatus: 4.0.0\n\n"
		    "Original-Recipient: rfc822; w@v\n\nAction: failed\n"
		    "Status: 5.1\n--r--\n");
		m = parse_ok(sb.buf);
		assert_int_equal(m->kind, MIME_DSN);
		assert_int_equal(m->ndsn, 3);
		assert_string_equal(m->dsn[0].address, "u@v");
		assert_int_equal(m->dsn[0].action, MIME_DSN_FAILED);
		assert_string_equal(m->dsn[0].status, "5.1.1");
		assert_true(m->dsn[0].permanent);
		assert_string_equal(m->dsn[1].address, "x");
		assert_int_equal(m->dsn[1].action, MIME_DSN_UNKNOWN);
		assert_false(m->dsn[1].permanent);
		assert_string_equal(m->dsn[2].address, "w@v");
		assert_string_equal(m->dsn[2].original, "w@v");
		assert_null(m->dsn[2].status);
		assert_false(m->dsn[2].permanent);
		assert_null(m->dsn_original_id);
		mime_msg_free(m);
		strbuf_release(&sb);
	}
}

/* ---- the corpus --------------------------------------------------------------- */

static const uint8_t corpus_key[TOKEN_SECRET_LEN] = {
	1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
	17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32,
};

struct tokens {
	char good[TOKEN_BUFSZ];		/* @TOKEN@ */
	char forged[TOKEN_BUFSZ];	/* @FORGED@: another secret */
	char expired[TOKEN_BUFSZ];	/* @EXPIRED@: ended 2027-01-20 */
};

static void
make_tokens(struct tokens *t)
{
	struct token_claims c = { 7, 12, TOKEN_Q_CHECKIN, DATE_NONE };
	struct error err = ERROR_INIT;
	uint8_t other[TOKEN_SECRET_LEN];

	assert_int_equal(date_parse("2027-03-31", &c.expires_on), 0);
	assert_int_equal(token_make(&c, corpus_key, t->good, &err), 0);
	memcpy(other, corpus_key, sizeof other);
	other[0] ^= 0x55;
	assert_int_equal(token_make(&c, other, t->forged, &err), 0);
	assert_int_equal(date_parse("2027-01-20", &c.expires_on), 0);
	assert_int_equal(token_make(&c, corpus_key, t->expired, &err), 0);
}

static void
replace_all(struct strbuf *sb, const char *from, const char *to)
{
	struct strbuf out = STRBUF_INIT;
	const char *p = sb->buf, *q;
	size_t n = strlen(from);

	while ((q = strstr(p, from)) != NULL) {
		strbuf_add(&out, p, (size_t)(q - p));
		strbuf_addstr(&out, to);
		p = q + n;
	}
	strbuf_addstr(&out, p);
	strbuf_release(sb);
	*sb = out;
}

/* The reply as one line, as in test_reply.c. */
static void
dump_reply(struct strbuf *sb, const struct reply *r)
{
	char buf[DATE_BUFSZ];
	size_t i, k;

	if (r->error != REPLY_OK) {
		strbuf_addf(sb, "!%s: %s; %s", reply_error_name(r->error),
		    r->reason, r->fix);
		return;
	}
	for (i = 0; i < r->ncmds; i++) {
		const struct reply_cmd *c = &r->cmds[i];

		if (i > 0)
			strbuf_addstr(sb, "; ");
		strbuf_addstr(sb, reply_kind_name(c->kind));
		if (c->kind == REPLY_MET)
			strbuf_addf(sb, " %s %d", date_format(c->day, buf),
			    c->minutes);
		else if (c->kind == REPLY_RATE)
			strbuf_addf(sb, " %d", c->rating);
		else if (c->kind == REPLY_REUP)
			strbuf_addstr(sb, c->yes ? " yes" : " no");
		for (k = 0; k < c->nnames; k++)
			strbuf_addf(sb, "%s%s", k ? "|" : " ", c->names[k]);
		if (c->text != NULL)
			strbuf_addf(sb, " [%s]", c->text);
	}
}

/*
 * Where inbox looks for the token: a bounce's original Message-ID, the
 * delivery and recipient addresses, then In-Reply-To, then References from
 * the newest.  The first candidate that is not malformed decides.
 */
static void
dump_token(struct strbuf *sb, const struct mime_msg *m)
{
	struct token_claims c;
	char tok[TOKEN_BUFSZ];
	enum token_status st;
	size_t i;

	for (i = 0; i < m->nrecipients + 2 + m->nreferences; i++) {
		const char *where;
		bool found;

		if (i == 0) {
			/* A bounce names the original in its report. */
			found = m->kind == MIME_DSN && token_from_message_id(
			    m->dsn_original_id, tok);
			where = "dsn-original-id";
		} else if (i - 1 < m->nrecipients) {
			found = token_from_address(m->recipients[i - 1], tok);
			where = "recipient";
		} else if (i - 1 == m->nrecipients) {
			found = token_from_message_id(m->in_reply_to, tok);
			where = "in-reply-to";
		} else {
			found = token_from_message_id(m->references[
			    m->nreferences - 1 - (i - m->nrecipients - 2)], tok);
			where = "references";
		}
		if (!found)
			continue;
		st = token_verify(tok, strlen(tok), corpus_key, m->day, &c);
		if (st == TOKEN_MALFORMED)
			continue;
		strbuf_addf(sb, "token: %s %s", token_status_name(st), where);
		if (st == TOKEN_OK || st == TOKEN_EXPIRED)
			strbuf_addf(sb, " person %lld pairing %lld %s",
			    c.person_id, c.subject_id,
			    token_question_name(c.question));
		strbuf_addch(sb, '\n');
		return;
	}
	strbuf_addstr(sb, "token: none\n");
}

static void
dump_text_lines(struct strbuf *sb, const char *key, const char *text)
{
	const char *p = text, *eol;
	int n = 0;

	strbuf_addf(sb, "%s:", key);
	while (*p != '\0' && n < 4) {
		eol = strchr(p, '\n');
		if (eol == NULL)
			eol = p + strlen(p);
		strbuf_addf(sb, " %s%.*s", n ? "| " : "", (int)(eol - p), p);
		n++;
		p = *eol ? eol + 1 : eol;
	}
	if (*p != '\0')
		strbuf_addstr(sb, " | ...");
	strbuf_addch(sb, '\n');
}

static void
dump_message(struct strbuf *sb, const char *name, const char *data,
    size_t len)
{
	static const char *const actions[] = { "failed", "delayed", "delivered",
		"relayed", "expanded", "unknown" };
	struct error err = ERROR_INIT;
	struct mime_msg *m = NULL;
	struct reply *r;
	char ts[TIMESTAMP_BUFSZ], day[DATE_BUFSZ];
	size_t i;

	strbuf_addf(sb, "file: %s\n", name);
	if (mime_parse(data, len, &m, &err) == -1) {
		strbuf_addf(sb, "kind: not-a-mail (%s)\n", err.msg);
		error_clear(&err);
		return;
	}
	if (m->kind == MIME_AUTO_REPLY)
		strbuf_addf(sb, "kind: auto (%s)\n", m->auto_reason);
	else
		strbuf_addstr(sb, m->kind == MIME_DSN ? "kind: dsn\n" :
		    "kind: mail\n");
	strbuf_addf(sb, "from: %s <%s>\n", m->from_name ? m->from_name : "-",
	    m->from_addr ? m->from_addr : "-");
	strbuf_addf(sb, "subject: %s\n", m->subject);
	if (m->has_date)
		strbuf_addf(sb, "date: %s %+d %s\n", timestamp_format(
		    (time_t)m->date, ts), m->utc_offset, date_format(m->day,
		    day));
	else
		strbuf_addstr(sb, "date: -\n");
	strbuf_addf(sb, "message-id: %s\n", m->message_id ? m->message_id :
	    "-");
	strbuf_addf(sb, "in-reply-to: %s\n", m->in_reply_to ?
	    m->in_reply_to : "-");
	strbuf_addstr(sb, "references:");
	for (i = 0; i < m->nreferences; i++)
		strbuf_addf(sb, " %s", m->references[i]);
	strbuf_addstr(sb, m->nreferences ? "\n" : " -\n");
	strbuf_addstr(sb, "recipients:");
	for (i = 0; i < m->nrecipients; i++)
		strbuf_addf(sb, " %s", m->recipients[i]);
	strbuf_addstr(sb, m->nrecipients ? "\n" : " -\n");
	dump_token(sb, m);
	strbuf_addf(sb, "text: %s\n", m->text_source == MIME_TEXT_PLAIN ?
	    "plain" : m->text_source == MIME_TEXT_HTML ? "html" : "none");
	if (m->kind == MIME_MAIL) {
		r = reply_parse(m->text, m->day);
		dump_text_lines(sb, "own", r->text);
		strbuf_addstr(sb, "reply: ");
		dump_reply(sb, r);
		strbuf_addch(sb, '\n');
		reply_free(r);
	}
	if (m->kind == MIME_DSN) {
		strbuf_addf(sb, "dsn-original-id: %s\n", m->dsn_original_id ?
		    m->dsn_original_id : "-");
		for (i = 0; i < m->ndsn; i++)
			strbuf_addf(sb, "dsn: %s %s %s %s%s%s\n",
			    m->dsn[i].address, actions[m->dsn[i].action],
			    m->dsn[i].status ? m->dsn[i].status : "-",
			    m->dsn[i].permanent ? "permanent" : "transient",
			    m->dsn[i].original ? " original " : "",
			    m->dsn[i].original ? m->dsn[i].original : "");
	}
	mime_msg_free(m);
}

static char *
mail_dir(void)
{
	const char *env = getenv("MAIL_CORPUS_DIR"), *slash;

	if (env != NULL && env[0] != '\0')
		return xstrdup(env);
	slash = strrchr(__FILE__, '/');
	if (slash == NULL)
		return xstrdup("../mail/replies");
	return xasprintf("%.*s/../mail/replies", (int)(slash - __FILE__),
	    __FILE__);
}

struct entry {
	char *file;
	struct strbuf want;	/* the expected dump, comments left out */
	int line;
	bool seen;
};

static size_t
read_manifest(const char *path, struct entry **out)
{
	struct error err = ERROR_INIT;
	struct entry *v = NULL, *e = NULL;
	size_t n = 0, cap = 0;
	char *buf, *p, *eol;
	size_t len;
	int line = 0;

	if (file_read_all(path, 1 << 20, &buf, &len, &err) == -1)
		fail_msg("%s", err.msg);
	for (p = buf; *p != '\0'; p = eol + 1) {
		line++;
		eol = strchr(p, '\n');
		if (eol == NULL)
			fail_msg("%s:%d: no final newline", path, line);
		*eol = '\0';
		if (p[0] == '#')
			continue;
		if (p[0] == '\0') {
			e = NULL;
			continue;
		}
		if (strncmp(p, "file: ", 6) == 0) {
			XGROW(v, n + 1, cap);
			e = &v[n++];
			memset(e, 0, sizeof *e);
			e->file = xstrdup(p + 6);
			e->line = line;
			strbuf_init(&e->want);
		} else if (e == NULL) {
			fail_msg("%s:%d: a field outside an entry", path, line);
		}
		strbuf_addstr(&e->want, p);
		strbuf_addch(&e->want, '\n');
	}
	free(buf);
	*out = v;
	return n;
}

static int
skip_dots(const struct dirent *de)
{
	return de->d_name[0] != '.' && strcmp(de->d_name, "MANIFEST") != 0 &&
	    strcmp(de->d_name, "README") != 0;
}

/* First differing line of two dumps, for the failure message. */
static void
first_difference(const char *a, const char *b, struct strbuf *sb)
{
	const char *ea, *eb;

	while (*a != '\0' || *b != '\0') {
		ea = strchr(a, '\n');
		eb = strchr(b, '\n');
		ea = ea ? ea : a + strlen(a);
		eb = eb ? eb : b + strlen(b);
		if (ea - a != eb - b || memcmp(a, b, (size_t)(ea - a)) != 0) {
			strbuf_addf(sb, "  want: %.*s\n  got:  %.*s\n",
			    (int)(ea - a), a, (int)(eb - b), b);
			return;
		}
		a = *ea ? ea + 1 : ea;
		b = *eb ? eb + 1 : eb;
	}
}

static void
test_corpus(void **state)
{
	struct tokens tk;
	struct dirent **names;
	struct entry *entries = NULL;
	struct strbuf all = STRBUF_INIT, failures = STRBUF_INIT;
	char *dir = mail_dir(), *manifest, *path;
	const char *dump_to = getenv("MAIL_CORPUS_DUMP");
	size_t nentries, k;
	int i, n, nfail = 0;

	(void)state;
	make_tokens(&tk);
	manifest = xasprintf("%s/MANIFEST", dir);
	nentries = read_manifest(manifest, &entries);
	if ((n = scandir(dir, &names, skip_dots, alphasort)) == -1)
		fail_msg("cannot read %s", dir);
	assert_true(n >= 40);
	for (i = 0; i < n; i++) {
		struct strbuf data = STRBUF_INIT, got = STRBUF_INIT;
		struct error err = ERROR_INIT;
		struct entry *e = NULL;
		char *buf;
		size_t len;

		path = xasprintf("%s/%s", dir, names[i]->d_name);
		if (file_read_all(path, MIME_MAX_SIZE, &buf, &len, &err) == -1)
			fail_msg("%s", err.msg);
		strbuf_add(&data, buf, len);
		free(buf);
		replace_all(&data, "@TOKEN@", tk.good);
		replace_all(&data, "@FORGED@", tk.forged);
		replace_all(&data, "@EXPIRED@", tk.expired);
		dump_message(&got, names[i]->d_name, data.buf, data.len);
		replace_all(&got, tk.good, "@TOKEN@");
		replace_all(&got, tk.forged, "@FORGED@");
		replace_all(&got, tk.expired, "@EXPIRED@");
		strbuf_addf(&all, "%s\n", got.buf);
		for (k = 0; k < nentries; k++)
			if (strcmp(entries[k].file, names[i]->d_name) == 0)
				e = &entries[k];
		if (e == NULL) {
			strbuf_addf(&failures, "%s: not in MANIFEST\n",
			    names[i]->d_name);
			nfail++;
		} else {
			e->seen = true;
			if (strcmp(e->want.buf, got.buf) != 0) {
				strbuf_addf(&failures, "%s (MANIFEST:%d):\n",
				    e->file, e->line);
				first_difference(e->want.buf, got.buf,
				    &failures);
				nfail++;
			}
		}
		strbuf_release(&data);
		strbuf_release(&got);
		free(path);
		free(names[i]);
	}
	free(names);
	for (k = 0; k < nentries; k++) {
		if (!entries[k].seen) {
			strbuf_addf(&failures, "MANIFEST:%d: no file %s\n",
			    entries[k].line, entries[k].file);
			nfail++;
		}
		free(entries[k].file);
		strbuf_release(&entries[k].want);
	}
	free(entries);
	if (dump_to != NULL && dump_to[0] != '\0') {
		FILE *fp = fopen(dump_to, "w");

		if (fp != NULL) {
			fputs(all.buf, fp);
			fclose(fp);
		}
	}
	strbuf_release(&all);
	free(manifest);
	free(dir);
	if (nfail > 0) {
		/* cmocka cuts long messages: the details first, in full. */
		fputs(failures.buf, stderr);
		fail_msg("%d corpus message(s) differ from MANIFEST (above)",
		    nfail);
	}
	strbuf_release(&failures);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_html_basics),
		cmocka_unit_test(test_html_quotes),
		cmocka_unit_test(test_not_mail),
		cmocka_unit_test(test_headers),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_charsets),
		cmocka_unit_test(test_flowed),
		cmocka_unit_test(test_structure),
		cmocka_unit_test(test_corpus),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
