#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "io/mail.h"
#include "util/xmalloc.h"

static int
D(const char *s)
{
	int d;

	if (date_parse(s, &d) != 0)
		fail_msg("bad test date %s", s);
	return d;
}

/* The header section with folds undone: "Name: value\n" lines. */
static char *
unfolded_headers(const char *msg)
{
	struct strbuf sb = STRBUF_INIT;
	const char *end = strstr(msg, "\n\n"), *p;

	assert_non_null(end);
	for (p = msg; p < end; p++) {
		if (*p == '\n' && (p[1] == ' ' || p[1] == '\t'))
			continue;
		strbuf_addch(&sb, *p);
	}
	strbuf_addch(&sb, '\n');
	return strbuf_detach(&sb, NULL);
}

/* The value of header `name` (unfolded), malloc'd; NULL when absent. */
static char *
header(const char *msg, const char *name)
{
	char *h = unfolded_headers(msg), *p, *nl, *v = NULL;
	size_t n = strlen(name);

	for (p = h; *p != '\0'; p = nl + 1) {
		nl = strchr(p, '\n');
		if (strncmp(p, name, n) == 0 && p[n] == ':') {
			v = xstrndup(p + n + 2, (size_t)(nl - p - n - 2));
			break;
		}
	}
	free(h);
	return v;
}

static int
b64val(int c)
{
	const char *tab =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const char *p = strchr(tab, c);

	return c != '\0' && p != NULL ? (int)(p - tab) : -1;
}

static void
b64decode(const char *s, size_t n, struct strbuf *out)
{
	unsigned long v = 0;
	int bits = 0, x;
	size_t i;

	for (i = 0; i < n && s[i] != '='; i++) {
		x = b64val(s[i]);
		assert_true(x >= 0);
		v = v << 6 | (unsigned long)x;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			strbuf_addch(out, (char)(v >> bits & 0xff));
		}
	}
}

/*
 * A minimal RFC 2047 decoder for the tests: encoded-words are decoded,
 * whitespace between two of them dropped, anything else kept.  Also checks
 * that each word is at most 75 characters and decodes to whole UTF-8
 * characters.
 */
static char *
rfc2047_decode(const char *s)
{
	struct strbuf out = STRBUF_INIT, word = STRBUF_INIT;
	const char *p = s, *q, *end, *ws;
	bool last_was_word = false;

	while (*p != '\0') {
		ws = p;
		while (*p == ' ')
			p++;
		if (strncmp(p, "=?UTF-8?B?", 10) == 0) {
			q = p + 10;
			end = strstr(q, "?=");
			assert_non_null(end);
			assert_true(end + 2 - p <= 75);
			if (!last_was_word)
				strbuf_add(&out, ws, (size_t)(p - ws));
			strbuf_reset(&word);
			b64decode(q, (size_t)(end - q), &word);
			/* whole characters: the last byte is not a lead byte */
			if (word.len > 0) {
				const unsigned char *w =
				    (const unsigned char *)word.buf;
				unsigned char c;
				size_t k = word.len, cont = 0;

				while (k > 0 && (w[k - 1] & 0xC0) == 0x80) {
					cont++;
					k--;
				}
				assert_true(k > 0);
				c = w[k - 1];
				if (c >= 0xF0)
					assert_int_equal(cont, 3);
				else if (c >= 0xE0)
					assert_int_equal(cont, 2);
				else if (c >= 0xC0)
					assert_int_equal(cont, 1);
				else
					assert_int_equal(cont, 0);
			}
			strbuf_add(&out, word.buf, word.len);
			p = end + 2;
			last_was_word = true;
		} else {
			strbuf_add(&out, ws, (size_t)(p - ws));
			while (*p != '\0' && *p != ' ')
				strbuf_addch(&out, *p++);
			last_was_word = false;
		}
	}
	strbuf_release(&word);
	return strbuf_detach(&out, NULL);
}

/* No CR, header lines <= 78, each header line a known field or a fold. */
static void
assert_well_formed(const char *msg)
{
	static const char *known[] = { "Date:", "From:", "To:", "Cc:",
		"Subject:", "Message-ID:", "MIME-Version:", "Content-Type:",
		"Content-Transfer-Encoding:", "Auto-Submitted:",
		"X-Auto-Response-Suppress:", "Reply-To:", NULL };
	const char *end = strstr(msg, "\n\n"), *p, *nl;
	bool qp = strstr(msg, "\nContent-Transfer-Encoding: "
	    "quoted-printable\n") != NULL;
	size_t i;

	assert_null(strchr(msg, '\r'));
	assert_non_null(end);
	assert_non_null(strstr(msg, "\nAuto-Submitted: auto-generated\n"));
	assert_non_null(strstr(msg, "\nX-Auto-Response-Suppress: All\n"));
	/* Every body line within 78 on the wire; 7bit is ASCII. */
	for (p = end + 2; *p != '\0'; p = nl + 1) {
		nl = strchr(p, '\n');
		assert_non_null(nl);
		if ((size_t)(nl - p) > 78)
			fail_msg("body line of %zu octets", (size_t)(nl - p));
		for (; !qp && p < nl; p++)
			assert_true((unsigned char)*p < 0x80);
	}
	for (p = msg; p <= end; p = nl + 1) {
		nl = strchr(p, '\n');
		if ((size_t)(nl - p) > 78)
			fail_msg("header line of %zu octets: %.*s",
			    (size_t)(nl - p), (int)(nl - p), p);
		if (*p == ' ') {
			/* a fold is never all white space */
			assert_true(nl - p > 1);
			continue;
		}
		for (i = 0; known[i] != NULL; i++)
			if (strncmp(p, known[i], strlen(known[i])) == 0)
				break;
		if (known[i] == NULL)
			fail_msg("unexpected header line: %.*s", (int)(nl - p),
			    p);
	}
}

static char *
compose(const struct mail_msg *m)
{
	struct strbuf sb = STRBUF_INIT;
	struct error err = ERROR_INIT;

	if (mail_compose(m, &sb, &err) != 0)
		fail_msg("mail_compose: %s", err.msg);
	assert_well_formed(sb.buf);
	return strbuf_detach(&sb, NULL);
}

static struct mail_msg
basic(void)
{
	struct mail_msg m;

	memset(&m, 0, sizeof m);
	m.from = (struct mail_addr){ "Engineering Mentoring 2027",
		"mentoring@example.org" };
	m.to = (struct mail_addr){ "Ada Lovelace", "ada@example.org" };
	m.subject = "Check-in due";
	m.date = 1800000000;
	m.message_id = "checkin_due.42.20270125.0123456789abcdef@example.org";
	m.body = "Hello Ada,\n\nsee you.\n";
	return m;
}

static void
test_compose_basic(void **state)
{
	struct mail_msg m = basic();
	char *msg;

	(void)state;
	msg = compose(&m);
	assert_string_equal(msg,
	    "Date: Fri, 15 Jan 2027 08:00:00 +0000\n"
	    "From: \"Engineering Mentoring 2027\" <mentoring@example.org>\n"
	    "To: \"Ada Lovelace\" <ada@example.org>\n"
	    "Subject: Check-in due\n"
	    "Message-ID: "
	    "<checkin_due.42.20270125.0123456789abcdef@example.org>\n"
	    "MIME-Version: 1.0\n"
	    "Content-Type: text/plain; charset=UTF-8\n"
	    "Content-Transfer-Encoding: 7bit\n"
	    "Auto-Submitted: auto-generated\n"
	    "X-Auto-Response-Suppress: All\n"
	    "\n"
	    "Hello Ada,\n\nsee you.\n");
	free(msg);
}

static void
test_compose_cc_and_no_name(void **state)
{
	struct mail_msg m = basic();
	struct mail_addr cc[3] = {
		{ "Coordinators", "mentoring@example.org" },
		{ NULL, "hr@example.org" },
		{ "", "lead@example.org" },
	};
	char *msg, *v;

	(void)state;
	m.to.name = NULL;
	m.cc = cc;
	m.ncc = 3;
	m.message_id = NULL;
	m.body = "no final newline";
	msg = compose(&m);
	v = header(msg, "To");
	assert_string_equal(v, "<ada@example.org>");
	free(v);
	v = header(msg, "Cc");
	assert_string_equal(v, "\"Coordinators\" <mentoring@example.org>, "
	    "<hr@example.org>, <lead@example.org>");
	free(v);
	assert_null(strstr(msg, "Message-ID"));
	assert_non_null(strstr(msg, "\n\nno final newline\n"));
	free(msg);
}

static void
test_quoted_string_escapes(void **state)
{
	struct mail_msg m = basic();
	char *msg, *v;

	(void)state;
	m.to.name = "Ada \"The Countess\" Lovelace\\";
	msg = compose(&m);
	v = header(msg, "To");
	assert_string_equal(v,
	    "\"Ada \\\"The Countess\\\" Lovelace\\\\\" <ada@example.org>");
	free(v);
	free(msg);
}

static void
test_header_injection_name(void **state)
{
	struct mail_msg m = basic();
	char *msg, *v;

	(void)state;
	m.to.name = "Eve\r\nBcc: x@y";
	m.from.name = "Prog\nX-Evil: 1\r";
	msg = compose(&m);
	assert_null(strstr(msg, "\nBcc:"));
	assert_null(strstr(msg, "\nX-Evil:"));
	v = header(msg, "To");
	assert_string_equal(v, "\"Eve Bcc: x@y\" <ada@example.org>");
	free(v);
	free(msg);

	/* Non-ASCII with an injection attempt: encoded, and cleaned first. */
	m = basic();
	m.to.name = "Ève\r\nBcc: x@y";
	msg = compose(&m);
	assert_null(strstr(msg, "\nBcc:"));
	v = header(msg, "To");
	{
		char *dec = rfc2047_decode(v);

		assert_string_equal(dec, "Ève Bcc: x@y <ada@example.org>");
		free(dec);
	}
	free(v);
	free(msg);
}

static void
test_header_injection_subject(void **state)
{
	struct mail_msg m = basic();
	char *msg, *v;

	(void)state;
	m.subject = "Hello\r\nBcc: evil@example.com\r\n\r\nfake body";
	msg = compose(&m);
	assert_null(strstr(msg, "\nBcc:"));
	v = header(msg, "Subject");
	assert_string_equal(v, "Hello Bcc: evil@example.com fake body");
	free(v);
	/* The body is still ours. */
	assert_non_null(strstr(msg, "\n\nHello Ada,"));
	free(msg);

	m.subject = "tab\there\x01\x7f and\xc2\x85 nel";
	msg = compose(&m);
	v = header(msg, "Subject");
	assert_string_equal(v, "tab here and nel");
	free(v);
	free(msg);
}

static void
test_invalid_addresses(void **state)
{
	static const char *bad[] = {
		"a b@example.org", "ada@example.org\r\nBcc: x@y",
		"<ada@example.org>", "a@b,c@d", "a;b@example.org",
		"\"a\"@example.org", "ab", "a@@b", "@example.org", "ada@",
		".ada@example.org", "ada.@example.org", "a..b@example.org",
		"ada@example.org.", "ada@.example.org", "a(b)@example.org",
		"ada@exa\tmple.org", "ada\x7f@example.org",
		"ad\xff@example.org", "", NULL,
	};
	static const char *good[] = {
		"ada@example.org", "a.b+tag@sub.example.co.uk",
		"josé@example.org", "x@y.z", "o'brien@example.ie",
	};
	struct strbuf sb = STRBUF_INIT;
	struct error err = ERROR_INIT;
	struct mail_msg m;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		if (mail_addr_valid(bad[i]))
			fail_msg("accepted '%s'", bad[i]);
		m = basic();
		m.to.email = bad[i];
		assert_int_equal(mail_compose(&m, &sb, &err), -1);
		assert_int_equal(err.code, EX_DATAERR);
		assert_null(strchr(err.msg, '\n'));
		assert_null(strchr(err.msg, '\r'));
		assert_int_equal(sb.len, 0);
		error_clear(&err);
	}
	for (i = 0; i < sizeof good / sizeof good[0]; i++)
		if (!mail_addr_valid(good[i]))
			fail_msg("refused '%s'", good[i]);

	m = basic();
	m.from.email = "mentoring at example.org";
	assert_int_equal(mail_compose(&m, &sb, &err), -1);
	assert_non_null(strstr(err.msg, "mentoring at example.org"));
	error_clear(&err);
	m = basic();
	m.message_id = "a b@c";
	assert_int_equal(mail_compose(&m, &sb, &err), -1);
	error_clear(&err);
	m = basic();
	m.message_id = "x@y>\nBcc: z";
	assert_int_equal(mail_compose(&m, &sb, &err), -1);
	error_clear(&err);
	assert_int_equal(sb.len, 0);
	strbuf_release(&sb);
}

static void
test_rfc2047_name_roundtrip(void **state)
{
	static const char *names[] = {
		"José Ñúñez",
		"山田 太郎",
		"Zoë \"Zo\" O'Brien-Müller",
		"Ａｌｅｘａｎｄｅｒ Ｖｅｒｙ Ｌｏｎｇ Ｆｕｌｌｗｉｄｔｈ "
		"Ｎａｍｅ Ｔｈａｔ Ｎｅｅｄｓ Ｓｅｖｅｒａｌ Ｗｏｒｄｓ 🎉🎉",
	};
	struct mail_msg m;
	struct strbuf want = STRBUF_INIT;
	char *msg, *v, *dec;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		m = basic();
		m.to.name = names[i];
		msg = compose(&m);
		v = header(msg, "To");
		assert_non_null(strstr(v, "=?UTF-8?B?"));
		dec = rfc2047_decode(v);
		strbuf_reset(&want);
		strbuf_addf(&want, "%s <ada@example.org>", names[i]);
		assert_string_equal(dec, want.buf);
		free(dec);
		free(v);
		free(msg);
	}
	strbuf_release(&want);
}

static void
test_long_ascii_name_is_encoded(void **state)
{
	struct mail_msg m = basic();
	char name[101], *msg, *v, *dec;

	(void)state;
	memset(name, 'x', 100);
	name[100] = '\0';
	m.to.name = name;
	msg = compose(&m);
	v = header(msg, "To");
	dec = rfc2047_decode(v);
	assert_non_null(strstr(dec, name));
	free(dec);
	free(v);
	free(msg);
}

static void
test_subject_folding(void **state)
{
	const char *subj = "Engineering Mentoring 2027: your check-in with "
	    "Bob Smith is due on 2027-01-25, please plan a meeting and pick "
	    "a topic from the list of prompts";
	struct mail_msg m = basic();
	char *msg, *v, *dec;
	char word[101];

	(void)state;
	m.subject = subj;
	msg = compose(&m);
	/* Folded (more than one line), and unfolding gives it back. */
	assert_non_null(strstr(msg, "Subject: Engineering"));
	assert_null(strstr(msg, subj));
	v = header(msg, "Subject");
	assert_string_equal(v, subj);
	free(v);
	free(msg);

	/* Non-ASCII: encoded words that decode to the subject. */
	m.subject = "Rappel : votre rendez-vous de mentorat avec Héloïse "
	    "Dupré est prévu le 2027-01-25 — pensez à choisir un thème";
	msg = compose(&m);
	v = header(msg, "Subject");
	dec = rfc2047_decode(v);
	assert_string_equal(dec, m.subject);
	free(dec);
	free(v);
	free(msg);

	/* What looks encoded is encoded, so that it reads back literally. */
	m.subject = "about =?UTF-8?B?SGk=?= strings";
	msg = compose(&m);
	v = header(msg, "Subject");
	assert_null(strstr(v, "about"));
	dec = rfc2047_decode(v);
	assert_string_equal(dec, m.subject);
	free(dec);
	free(v);
	free(msg);

	/* A word too long to fold. */
	memset(word, 'w', 100);
	word[100] = '\0';
	m.subject = word;
	msg = compose(&m);
	v = header(msg, "Subject");
	dec = rfc2047_decode(v);
	assert_string_equal(dec, word);
	free(dec);
	free(v);
	free(msg);

	m.subject = NULL;
	msg = compose(&m);
	assert_non_null(strstr(msg, "\nSubject:\n"));
	free(msg);
}

static void
test_date(void **state)
{
	char buf[MAIL_DATE_BUFSZ];

	(void)state;
	assert_string_equal(mail_date(0, buf),
	    "Thu, 1 Jan 1970 00:00:00 +0000");
	assert_string_equal(mail_date(1800000000, buf),
	    "Fri, 15 Jan 2027 08:00:00 +0000");
	assert_string_equal(mail_date(1805000000, buf),
	    "Sun, 14 Mar 2027 04:53:20 +0000");
}

static void
test_body_line_ends_and_qp(void **state)
{
	struct mail_msg m = basic();
	struct strbuf body = STRBUF_INIT, dec = STRBUF_INIT;
	char *msg, *p, *nl;
	size_t i;

	(void)state;
	m.body = "one\r\ntwo\rthree\n\x01" "four\n";
	msg = compose(&m);
	assert_non_null(strstr(msg, "\n\none\ntwo\nthree\nfour\n"));
	free(msg);

	/* A line over 998 octets switches to quoted-printable. */
	strbuf_addstr(&body, "short line = ok \n");
	for (i = 0; i < 1200; i++)
		strbuf_addstr(&body, i % 7 ? "a" : "é");
	strbuf_addstr(&body, "\ntrailing space \n");
	m.body = body.buf;
	msg = compose(&m);
	p = header(msg, "Content-Transfer-Encoding");
	assert_string_equal(p, "quoted-printable");
	free(p);
	p = strstr(msg, "\n\n") + 2;
	/* Every encoded line within 76; decode and compare. */
	for (; *p != '\0'; p = nl + 1) {
		nl = strchr(p, '\n');
		assert_non_null(nl);
		assert_true(nl - p <= 76);
		for (; p < nl; p++) {
			if (*p == '=' && p + 1 == nl)
				break;  /* soft break */
			if (*p == '=') {
				char hex[3] = { p[1], p[2], 0 };

				strbuf_addch(&dec, (char)strtol(hex, NULL, 16));
				p += 2;
			} else {
				assert_true(*p != ' ' || p + 1 < nl);
				strbuf_addch(&dec, *p);
			}
		}
		if (!(nl > msg && nl[-1] == '='))
			strbuf_addch(&dec, '\n');
	}
	assert_string_equal(dec.buf, body.buf);
	free(msg);
	strbuf_release(&body);
	strbuf_release(&dec);
}

static void
test_message_id(void **state)
{
	char *a, *b, *c;
	int due = D("2027-01-25");

	(void)state;
	a = mail_message_id("eng-2027", "checkin_due", 42, due,
	    "ada@example.org", "mentoring@Example.ORG");
	b = mail_message_id("eng-2027", "checkin_due", 42, due,
	    "ADA@example.org", "mentoring@example.org");
	assert_string_equal(a, b);
	assert_true(strncmp(a, "checkin_due.42.20270125.", 24) == 0);
	assert_int_equal(strlen(a), 24 + 16 + strlen("@example.org"));
	assert_string_equal(a + 40, "@example.org");
	free(b);

	b = mail_message_id("eng-2027", "checkin_due", 42, due,
	    "bob@example.org", "mentoring@example.org");
	assert_string_not_equal(a, b);
	free(b);
	b = mail_message_id("eng-2027", "checkin_due", 43, due,
	    "ada@example.org", "mentoring@example.org");
	assert_string_not_equal(a + 24, b + 24);
	free(b);
	b = mail_message_id("eng-2027", "checkin_due", 42, due + 1,
	    "ada@example.org", "mentoring@example.org");
	assert_string_not_equal(a + 24, b + 24);
	free(b);
	b = mail_message_id("eng-2027", "checkin_overdue", 42, due,
	    "ada@example.org", "mentoring@example.org");
	assert_string_not_equal(a, b);
	free(b);
	b = mail_message_id("sales-2027", "checkin_due", 42, due,
	    "ada@example.org", "mentoring@example.org");
	assert_string_not_equal(a, b);
	free(b);

	c = mail_message_id("eng-2027", "stalled", 1, DATE_NONE,
	    "ada@example.org", NULL);
	assert_true(strncmp(c, "stalled.1.00000000.", 19) == 0);
	assert_non_null(strstr(c, "@localhost"));
	free(c);
	c = mail_message_id("x", "stalled", 1, due, "ada@example.org",
	    "odd@[10.0.0.1]");
	assert_non_null(strstr(c, "@localhost"));
	free(c);

	/* It is accepted by mail_compose. */
	{
		struct mail_msg m = basic();
		char *msg;

		m.message_id = a;
		msg = compose(&m);
		free(msg);
	}
	free(a);
}

/* Reminders: a programme and one reminder of each kind. */

static char *test_prompts[] = {
	"Explore each other's past - career paths and turning points",
	"The mentee's ambitions, goals, needs and challenges",
};

static struct program *
mkprogram(void)
{
	struct program *p = program_new();

	p->slug = xstrdup("eng-2027");
	p->name = xstrdup("Engineering Mentoring 2027");
	p->contact = xstrdup("mentoring@example.org");
	p->checkins.present = true;
	p->checkins.every = (struct duration){ 2, DATE_UNIT_WEEK };
	p->checkins.stalled_after = 2;
	p->checkins.prompts = test_prompts;
	p->checkins.nprompts = 2;
	p->cycle.reup_default = REUP_DEFAULT_EXIT;
	return p;
}

static void
freeprogram(struct program *p)
{
	p->checkins.prompts = NULL;
	p->checkins.nprompts = 0;
	program_free(p);
}

static struct reminder
mkreminder(enum remind_kind kind, enum remind_role role)
{
	struct reminder r;

	memset(&r, 0, sizeof r);
	r.kind = kind;
	r.role = role;
	r.pairing_id = 42;
	r.due_on = D("2027-01-25");
	r.mentor = (struct remind_person){ "Ada Lovelace", "ada@example.org" };
	r.mentee = (struct remind_person){ "Bob Smith", "bob@example.org" };
	r.to = role == REMIND_ROLE_MENTOR ? r.mentor : r.mentee;
	r.meeting_number = 2;
	r.prompt = test_prompts[1];
	r.last_meeting = D("2027-01-11");
	r.since = r.last_meeting;
	r.days_overdue = 7;
	r.missed = 2;
	r.proposed_on = DATE_NONE;
	r.expires_on = DATE_NONE;
	r.reup_closes_on = DATE_NONE;
	r.cycle_ends_on = DATE_NONE;
	return r;
}

/* Whether text holds phrase, runs of white space (wraps) counting as one. */
static bool
has(const char *text, const char *phrase)
{
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT;
	const char *src[2] = { text, phrase };
	struct strbuf *dst[2] = { &a, &b };
	const char *p;
	bool found;
	int i;

	for (i = 0; i < 2; i++)
		for (p = src[i]; *p != '\0'; p++) {
			if (*p == ' ' || *p == '\n') {
				if (dst[i]->len == 0 ||
				    dst[i]->buf[dst[i]->len - 1] != ' ')
					strbuf_addch(dst[i], ' ');
			} else {
				strbuf_addch(dst[i], *p);
			}
		}
	found = strstr(a.buf, b.buf) != NULL;
	strbuf_release(&a);
	strbuf_release(&b);
	return found;
}

/* A quoted-printable body decoded in place (RFC 2045 6.7, LF line ends). */
static void
qp_to_text(struct strbuf *sb)
{
	struct strbuf dec = STRBUF_INIT;
	char *body = strstr(sb->buf, "\n\n"), *p;

	if (strstr(sb->buf, "Content-Transfer-Encoding: quoted-printable\n") ==
	    NULL || body == NULL || strstr(sb->buf, "\n\n") > body)
		return;
	body += 2;
	strbuf_add(&dec, sb->buf, (size_t)(body - sb->buf));
	for (p = body; *p != '\0'; p++) {
		if (*p == '=' && p[1] == '\n') {
			p++;
		} else if (*p == '=') {
			char hex[3] = { p[1], p[2], 0 };

			strbuf_addch(&dec, (char)strtol(hex, NULL, 16));
			p += 2;
		} else {
			strbuf_addch(&dec, *p);
		}
	}
	strbuf_release(sb);
	*sb = dec;
}

static char *
reminder_msg(const struct program *p, const struct reminder *r)
{
	struct strbuf sb = STRBUF_INIT;
	struct error err = ERROR_INIT;

	const char *line, *nl, *q;
	size_t cols;

	if (mail_reminder(p, r, 1800000000, &sb, &err) != 0)
		fail_msg("mail_reminder: %s", err.msg);
	assert_well_formed(sb.buf);
	qp_to_text(&sb);
	/* The body is wrapped at 72 columns (code points). */
	for (line = strstr(sb.buf, "\n\n") + 2; *line != '\0'; line = nl + 1) {
		nl = strchr(line, '\n');
		assert_non_null(nl);
		for (cols = 0, q = line; q < nl; q++)
			if (((unsigned char)*q & 0xC0) != 0x80)
				cols++;
		if (cols > 72)
			fail_msg("body line of %zu columns: %.*s", cols,
			    (int)(nl - line), line);
	}
	return strbuf_detach(&sb, NULL);
}

static void
test_reminder_checkin_due(void **state)
{
	struct program *p = mkprogram();
	struct reminder r = mkreminder(REMIND_CHECKIN_DUE, REMIND_ROLE_MENTOR);
	char *msg, *v, *id;

	(void)state;
	msg = reminder_msg(p, &r);
	v = header(msg, "From");
	assert_string_equal(v,
	    "\"Engineering Mentoring 2027\" <mentoring@example.org>");
	free(v);
	v = header(msg, "To");
	assert_string_equal(v, "\"Ada Lovelace\" <ada@example.org>");
	free(v);
	v = header(msg, "Subject");
	assert_string_equal(v, "Engineering Mentoring 2027: check-in with "
	    "Bob Smith due on 2027-01-25");
	free(v);
	v = header(msg, "Message-ID");
	id = mail_reminder_id(p, &r);
	assert_true(v[0] == '<' && strncmp(v + 1, id, strlen(id)) == 0);
	free(id);
	free(v);
	assert_true(has(msg, "Hello Ada Lovelace,"));
	assert_true(has(msg, "2027-01-25"));
	assert_true(has(msg, "pairing 42"));
	assert_true(has(msg, "meeting 2"));
	assert_true(has(msg, "every 2 weeks"));
	assert_true(has(msg, test_prompts[1]));
	/* How to answer: by replying, with the words inbox understands. */
	assert_true(has(msg, "reply to this mail with \"met\", the day and how "
	    "long, for example \"met 2027-01-25 45 min\""));
	assert_true(has(msg, "Reply \"pause\""));
	assert_null(strstr(msg, "mentorctl checkin"));
	free(msg);
	freeprogram(p);
}

static void
test_reminder_overdue_and_stalled(void **state)
{
	struct program *p = mkprogram();
	struct reminder r = mkreminder(REMIND_CHECKIN_OVERDUE,
	    REMIND_ROLE_MENTEE);
	char *msg, *v;

	(void)state;
	msg = reminder_msg(p, &r);
	v = header(msg, "Subject");
	assert_non_null(strstr(v, "with Ada Lovelace is overdue"));
	free(v);
	assert_true(has(msg, "Hello Bob Smith,"));
	assert_true(has(msg, "7 days ago"));
	assert_true(has(msg, "2027-01-11"));
	assert_true(has(msg, test_prompts[1]));
	free(msg);

	r = mkreminder(REMIND_STALLED, REMIND_ROLE_MENTOR);
	r.last_meeting = DATE_NONE;
	msg = reminder_msg(p, &r);
	assert_true(has(msg, "missed 2 check-ins in a row"));
	assert_true(has(msg, "no meeting has been recorded since "
	    "2027-01-11"));
	assert_true(has(msg, test_prompts[1]));
	free(msg);

	/* The coordinators' copy names the pair and the commands. */
	r = mkreminder(REMIND_STALLED, REMIND_ROLE_CONTACT);
	r.to = (struct remind_person){ p->name, p->contact };
	msg = reminder_msg(p, &r);
	v = header(msg, "Subject");
	assert_string_equal(v, "Engineering Mentoring 2027: pairing 42 "
	    "(Ada Lovelace and Bob Smith) has stalled");
	free(v);
	v = header(msg, "To");
	assert_string_equal(v,
	    "\"Engineering Mentoring 2027\" <mentoring@example.org>");
	free(v);
	assert_true(has(msg, "Hello,\n"));
	assert_true(has(msg, "Ada Lovelace <ada@example.org>"));
	assert_true(has(msg, "Bob Smith <bob@example.org>"));
	assert_true(has(msg, "mentorctl checkin 42 --on YYYY-MM-DD"));
	assert_true(has(msg, "mentorctl end 42 --reason"));
	free(msg);
	freeprogram(p);
}

static void
test_reminder_proposal_and_reup(void **state)
{
	struct program *p = mkprogram();
	struct reminder r = mkreminder(REMIND_PROPOSAL_EXPIRING,
	    REMIND_ROLE_MENTEE);
	char *msg, *v;

	(void)state;
	r.proposed_on = D("2027-01-11");
	r.expires_on = D("2027-01-21");
	r.due_on = r.expires_on;
	msg = reminder_msg(p, &r);
	v = header(msg, "Subject");
	assert_string_equal(v, "Engineering Mentoring 2027: please answer "
	    "your match with Ada Lovelace by 2027-01-21");
	free(v);
	assert_true(has(msg, "proposed a mentor: Ada Lovelace"));
	assert_true(has(msg, "expires on 2027-01-21"));
	assert_true(has(msg, "proposed on 2027-01-11"));
	free(msg);

	r = mkreminder(REMIND_REUP_OPEN, REMIND_ROLE_MENTOR);
	r.reup_closes_on = D("2027-07-04");
	r.cycle_ends_on = D("2027-07-11");
	msg = reminder_msg(p, &r);
	/* the cycle's last day, not the first day after it */
	assert_true(has(msg, "runs until 2027-07-10"));
	assert_true(has(msg, "by 2027-07-04"));
	assert_true(has(msg, "take it as a no"));
	free(msg);
	p->cycle.reup_default = REUP_DEFAULT_CONTINUE;
	msg = reminder_msg(p, &r);
	assert_true(has(msg, "take it as a yes"));
	free(msg);
	freeprogram(p);
}

static void
test_reminder_unicode_and_errors(void **state)
{
	struct program *p = mkprogram();
	struct reminder r = mkreminder(REMIND_CHECKIN_DUE, REMIND_ROLE_MENTEE);
	struct strbuf sb = STRBUF_INIT;
	struct error err = ERROR_INIT;
	char *msg, *v, *dec;

	(void)state;
	r.mentor.name = "Zoë\r\nBcc: eve@evil.example";
	r.mentee.name = "Łukasz Żółć";
	r.to = r.mentee;
	msg = reminder_msg(p, &r);
	assert_null(strstr(msg, "\nBcc:"));
	v = header(msg, "To");
	dec = rfc2047_decode(v);
	assert_string_equal(dec, "Łukasz Żółć <bob@example.org>");
	free(dec);
	free(v);
	v = header(msg, "Subject");
	dec = rfc2047_decode(v);
	assert_string_equal(dec, "Engineering Mentoring 2027: check-in with "
	    "Zoë Bcc: eve@evil.example due on 2027-01-25");
	free(dec);
	free(v);
	/* The body is 8bit UTF-8, and the injected line break is gone. */
	assert_true(has(msg, "Hello Łukasz Żółć,"));
	assert_true(has(msg, "with Zoë Bcc: eve@evil.example is due"));
	free(msg);

	r.to.email = "bob at example.org";
	assert_int_equal(mail_reminder(p, &r, 0, &sb, &err), -1);
	assert_int_equal(err.code, EX_DATAERR);
	assert_non_null(strstr(err.msg, "pairing 42"));
	error_clear(&err);

	r = mkreminder(REMIND_CHECKIN_DUE, REMIND_ROLE_MENTEE);
	free(p->contact);
	p->contact = NULL;
	assert_int_equal(mail_reminder(p, &r, 0, &sb, &err), -1);
	assert_int_equal(err.code, EX_DATAERR);
	assert_non_null(strstr(err.msg, "eng-2027"));
	error_clear(&err);
	assert_int_equal(sb.len, 0);
	strbuf_release(&sb);
	freeprogram(p);
}

/* Delivery. */

struct tmp {
	char dir[64];
	char file[128];
};

static int
tmp_setup(void **state)
{
	struct tmp *t = xcalloc(1, sizeof *t);

	strcpy(t->dir, "/tmp/test_mail.XXXXXX");
	if (mkdtemp(t->dir) == NULL)
		return -1;
	snprintf(t->file, sizeof t->file, "%s/out", t->dir);
	*state = t;
	return 0;
}

static int
tmp_teardown(void **state)
{
	struct tmp *t = *state;

	unlink(t->file);
	rmdir(t->dir);
	free(t);
	return 0;
}

static char *
slurp(const char *path, size_t *len)
{
	struct strbuf sb = STRBUF_INIT;
	char buf[4096];
	size_t n;
	FILE *fp = fopen(path, "rb");

	assert_non_null(fp);
	while ((n = fread(buf, 1, sizeof buf, fp)) > 0)
		strbuf_add(&sb, buf, n);
	fclose(fp);
	return strbuf_detach(&sb, len);
}

static void
test_send_cat(void **state)
{
	struct tmp *t = *state;
	struct error err = ERROR_INIT;
	struct mail_msg m = basic();
	struct strbuf msg = STRBUF_INIT;
	char cmd[256], *got;
	size_t len;

	assert_int_equal(mail_compose(&m, &msg, &err), 0);
	snprintf(cmd, sizeof cmd, "cat > '%s'", t->file);
	assert_int_equal(mail_send(cmd, msg.buf, msg.len, &err), 0);
	got = slurp(t->file, &len);
	assert_int_equal(len, msg.len);
	assert_memory_equal(got, msg.buf, len);
	free(got);
	strbuf_release(&msg);
}

static void
test_send_exit_status(void **state)
{
	struct error err = ERROR_INIT;

	(void)state;
	assert_int_equal(mail_send("cat >/dev/null; exit 3", "x\n", 2, &err),
	    -1);
	assert_int_equal(err.code, EX_UNAVAILABLE);
	assert_non_null(strstr(err.msg, "status 3"));
	assert_non_null(strstr(err.msg, "'cat >/dev/null; exit 3'"));
	error_clear(&err);

	assert_int_equal(mail_send("exec kill -9 $$", "x\n", 2, &err), -1);
	assert_int_equal(err.code, EX_UNAVAILABLE);
	assert_non_null(strstr(err.msg, "signal 9"));
	error_clear(&err);

	assert_int_equal(mail_send("/nonexistent/sendmail -t 2>/dev/null",
	    "x\n", 2, &err), -1);
	assert_non_null(strstr(err.msg, "127"));
	error_clear(&err);
}

static void
test_send_unread_no_sigpipe(void **state)
{
	struct error err = ERROR_INIT;
	struct sigaction sa;
	size_t len = 4 * 1024 * 1024;
	char *big = xmalloc(len);

	(void)state;
	memset(big, 'a', len);
	/* Exits at once without reading: we get EPIPE, not a fatal SIGPIPE. */
	assert_int_equal(mail_send("exit 3", big, len, &err), -1);
	assert_int_equal(err.code, EX_UNAVAILABLE);
	assert_non_null(strstr(err.msg, "status 3"));
	error_clear(&err);
	/* Exit 0 without reading is not a delivery either. */
	assert_int_equal(mail_send("exit 0", big, len, &err), -1);
	assert_int_equal(err.code, EX_UNAVAILABLE);
	assert_non_null(strstr(err.msg, "before reading"));
	error_clear(&err);
	/* Our SIGPIPE disposition is back to what it was. */
	assert_int_equal(sigaction(SIGPIPE, NULL, &sa), 0);
	assert_true(sa.sa_handler == SIG_DFL);
	free(big);
}

static void
test_send_keeps_stdout_clean(void **state)
{
	struct tmp *t = *state;
	struct error err = ERROR_INIT;
	char errpath[160], *got;
	int saved_out, saved_err, fd, efd;
	size_t len;

	snprintf(errpath, sizeof errpath, "%s/err", t->dir);
	fflush(stdout);
	fflush(stderr);
	saved_out = dup(1);
	saved_err = dup(2);
	fd = open(t->file, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	efd = open(errpath, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0 && efd >= 0);
	dup2(fd, 1);
	dup2(efd, 2);
	close(fd);
	close(efd);
	assert_int_equal(mail_send("cat >/dev/null; echo chatter", "x\n", 2,
	    &err), 0);
	dup2(saved_out, 1);
	dup2(saved_err, 2);
	close(saved_out);
	close(saved_err);
	/* Its words are kept for the verdict, not printed. */
	got = slurp(t->file, &len);
	assert_int_equal(len, 0);
	free(got);
	got = slurp(errpath, &len);
	assert_int_equal(len, 0);
	free(got);
	unlink(errpath);
}

static void
nap10ms(void)
{
	struct timespec ts = { 0, 10000000 };

	nanosleep(&ts, NULL);
}

static bool
pid_alive(pid_t pid)
{
	return kill(pid, 0) == 0;
}

/* The pid the script wrote to path, waiting up to 5 s for it. */
static pid_t
read_pid(const char *path)
{
	FILE *fp;
	long v = 0;
	int i;

	for (i = 0; i < 500; i++) {
		if ((fp = fopen(path, "r")) != NULL) {
			if (fscanf(fp, "%ld", &v) == 1) {
				fclose(fp);
				return (pid_t)v;
			}
			fclose(fp);
		}
		nap10ms();
	}
	fail_msg("no pid in %s", path);
	return 0;
}

/* Gone (or a zombie nobody waits for) within 5 s. */
static bool
gone_soon(pid_t pid)
{
	char path[64], st = 0;
	FILE *fp;
	int i;

	for (i = 0; i < 500; i++) {
		if (!pid_alive(pid))
			return true;
		snprintf(path, sizeof path, "/proc/%ld/stat", (long)pid);
		if ((fp = fopen(path, "r")) != NULL) {
			if (fscanf(fp, "%*d %*s %c", &st) == 1 && st == 'Z') {
				fclose(fp);
				return true;
			}
			fclose(fp);
		}
		nap10ms();
	}
	return false;
}

static void
test_spool_output_and_timeout(void **state)
{
	struct tmp *t = *state;
	struct mail_transport tr = { NULL, 1, NULL };
	struct mail_spool *sp;
	struct delivery_end end;
	struct error err = ERROR_INIT;
	char cmd[300];
	pid_t bg;

	assert_int_equal(mail_spool_new(&tr, "To: a@b\n\nhi\n", 12, &sp,
	    &err), 0);
	/* What it says, on stdout or stderr, is kept; it read the message. */
	tr.cmd = "cat >/dev/null; echo out; echo 'err line' >&2; exit 75";
	mail_spool_send(sp, &tr, &end);
	assert_true(end.started);
	assert_false(end.timed_out);
	assert_int_equal(end.status, 75);
	assert_true(end.read_all);
	assert_string_equal(end.output, "out\nerr line\n");
	/* The same spool again: from its first byte. */
	snprintf(cmd, sizeof cmd, "cat > '%s'", t->file);
	tr.cmd = cmd;
	mail_spool_send(sp, &tr, &end);
	assert_int_equal(end.status, 0);
	assert_true(end.read_all);
	/* Past its time: killed with everything it started. */
	snprintf(cmd, sizeof cmd, "sleep 30 & echo $! > '%s'; sleep 30",
	    t->file);
	tr.cmd = cmd;
	mail_spool_send(sp, &tr, &end);
	assert_true(end.timed_out);
	assert_int_not_equal(end.signal, 0);
	bg = read_pid(t->file);
	assert_true(gone_soon(bg));
	mail_spool_free(sp);
}

/*
 * mentorctl killed (SIGKILL, no handler) while the mail program runs: the
 * lifeline closes and the watcher kills the mail program's whole group.
 */
static void
test_spool_dies_with_us(void **state)
{
	struct tmp *t = *state;
	char cmd[600];
	pid_t child, mta;
	int status;

	unlink(t->file);
	snprintf(cmd, sizeof cmd, "echo $$ > '%s'.tmp && mv '%s'.tmp '%s'; "
	    "exec sleep 30", t->file, t->file, t->file);
	if ((child = fork()) == 0) {
		struct mail_transport tr = { cmd, 60, NULL };
		struct mail_spool *sp;
		struct delivery_end end;
		struct error err = ERROR_INIT;

		if (mail_spool_new(&tr, "x\n", 2, &sp, &err) != 0)
			_exit(2);
		mail_spool_send(sp, &tr, &end);
		_exit(3);
	}
	assert_true(child > 0);
	mta = read_pid(t->file);
	assert_true(pid_alive(mta));
	kill(child, SIGKILL);
	assert_int_equal(waitpid(child, &status, 0), child);
	assert_true(WIFSIGNALED(status));
	assert_true(gone_soon(mta));
}

static void
test_mbox(void **state)
{
	const char *m1 = "From: a@b\n\nFrom here\n>From there\nnot From x\n";
	const char *m2 = "Subject: two\n\nno newline";
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	mail_mbox_append(&sb, m1, strlen(m1), 0);
	mail_mbox_append(&sb, m2, strlen(m2), 1800000000);
	assert_string_equal(sb.buf,
	    "From mentorctl@localhost Thu Jan  1 00:00:00 1970\n"
	    "From: a@b\n\n>From here\n>>From there\nnot From x\n\n"
	    "From mentorctl@localhost Fri Jan 15 08:00:00 2027\n"
	    "Subject: two\n\nno newline\n\n");
	strbuf_release(&sb);
}

/* A time gmtime cannot put in years 1..9999 dates the From line 1970. */
static void
test_mbox_absurd_time(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	time_t huge = (time_t)67767976233532800LL; /* tm_year near INT_MAX */

	(void)state;
	mail_mbox_append(&sb, "x\n", 2, huge);
	mail_mbox_append(&sb, "y\n", 2, (time_t)253402300800LL); /* 10000-01-01 */
	mail_mbox_append(&sb, "z\n", 2, (time_t)-62135596801LL); /* year 0 */
	assert_string_equal(sb.buf,
	    "From mentorctl@localhost Thu Jan  1 00:00:00 1970\nx\n\n"
	    "From mentorctl@localhost Thu Jan  1 00:00:00 1970\ny\n\n"
	    "From mentorctl@localhost Thu Jan  1 00:00:00 1970\nz\n\n");
	strbuf_release(&sb);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_compose_basic),
		cmocka_unit_test(test_compose_cc_and_no_name),
		cmocka_unit_test(test_quoted_string_escapes),
		cmocka_unit_test(test_header_injection_name),
		cmocka_unit_test(test_header_injection_subject),
		cmocka_unit_test(test_invalid_addresses),
		cmocka_unit_test(test_rfc2047_name_roundtrip),
		cmocka_unit_test(test_long_ascii_name_is_encoded),
		cmocka_unit_test(test_subject_folding),
		cmocka_unit_test(test_date),
		cmocka_unit_test(test_body_line_ends_and_qp),
		cmocka_unit_test(test_message_id),
		cmocka_unit_test(test_reminder_checkin_due),
		cmocka_unit_test(test_reminder_overdue_and_stalled),
		cmocka_unit_test(test_reminder_proposal_and_reup),
		cmocka_unit_test(test_reminder_unicode_and_errors),
		cmocka_unit_test_setup_teardown(test_send_cat, tmp_setup,
		    tmp_teardown),
		cmocka_unit_test(test_send_exit_status),
		cmocka_unit_test(test_send_unread_no_sigpipe),
		cmocka_unit_test_setup_teardown(test_send_keeps_stdout_clean,
		    tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_spool_output_and_timeout,
		    tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_spool_dies_with_us,
		    tmp_setup, tmp_teardown),
		cmocka_unit_test(test_mbox),
		cmocka_unit_test(test_mbox_absurd_time),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
