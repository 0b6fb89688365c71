#include "io/mail.h"
#include "mail_int.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/date.h"
#include "io/out.h"
#include "io/smtp.h"
#include "util/xmalloc.h"

extern char **environ;

#define MAIL_LINE_MAX 78        /* RFC 5322 2.1.1 "SHOULD" */
#define MAIL_QP_LINE_MAX 76     /* RFC 2045 6.7 */
#define MAIL_EW_OVERHEAD 12     /* "=?UTF-8?B?" + "?=" */
#define MAIL_EW_RAW_MAX 45      /* 60 base64 characters: words of 72 */
#define MAIL_QUOTED_MAX 70      /* longer names are encoded, which folds */
#define MAIL_ADDR_MAX 254

static const char mail_replacement[] = "\xEF\xBF\xBD"; /* U+FFFD */

static bool
mail_is_control(unsigned long cp)
{
	return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0) ||
	    cp == 0x2028 || cp == 0x2029;
}

/*
 * Text for a header: control characters (CR and LF above all, which would
 * start a header of the attacker's choosing) become spaces, space runs
 * collapse, the ends are trimmed, invalid UTF-8 becomes U+FFFD.
 */
void
mail_clean(const char *s, struct strbuf *out)
{
	size_t len, i = 0, start = out->len;
	unsigned long cp;
	bool space = false;
	int k;

	if (s == NULL)
		return;
	len = strlen(s);
	while (i < len) {
		k = utf8_decode(s + i, len - i, &cp);
		if (k > 0 && (cp == ' ' || mail_is_control(cp))) {
			if (out->len > start)
				space = true;
			i += (size_t)k;
			continue;
		}
		if (space) {
			strbuf_addch(out, ' ');
			space = false;
		}
		if (k < 0) {
			strbuf_addstr(out, mail_replacement);
			i += (size_t)-k;
		} else {
			strbuf_add(out, s + i, (size_t)k);
			i += (size_t)k;
		}
	}
}

static bool
mail_is_ascii(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s >= 0x80)
			return false;
	return true;
}

/* For error messages: one line, bounded. */
static char *
mail_printable(const char *s)
{
	struct strbuf sb = STRBUF_INIT;
	size_t n = 0;

	for (; s != NULL && *s != '\0' && n < 100; s++, n++)
		strbuf_addch(&sb, (unsigned char)*s < 0x20 ||
		    (unsigned char)*s == 0x7F ? '?' : *s);
	if (s != NULL && *s != '\0')
		strbuf_addstr(&sb, "...");
	return strbuf_detach(&sb, NULL);
}

bool
mail_addr_valid(const char *email)
{
	const char *at = NULL, *p;
	unsigned long cp;
	size_t len;
	int k;

	if (email == NULL)
		return false;
	len = strlen(email);
	if (len < 3 || len > MAIL_ADDR_MAX)
		return false;
	for (p = email; *p != '\0'; p += k) {
		k = utf8_decode(p, len - (size_t)(p - email), &cp);
		if (k < 0)
			return false;
		if (cp <= 0x20 || mail_is_control(cp) ||
		    strchr("<>,;:\"()[]\\", (int)cp) != NULL)
			return false;
		if (cp == '@') {
			if (at != NULL)
				return false;
			at = p;
		}
		if (cp == '.' && (p == email || p[-1] == '.' || p[-1] == '@' ||
		    p[1] == '\0' || p[1] == '@'))
			return false;
	}
	return at != NULL && at != email && at[1] != '\0';
}

/* Message-IDs here are dot-atoms on both sides of one @. */
static bool
mail_id_valid(const char *id)
{
	static const char atext[] = "!#$%&'*+-/=?^_`{|}~.";
	const char *p;
	int ats = 0;

	if (id == NULL || id[0] == '\0' || strlen(id) > 250)
		return false;
	for (p = id; *p != '\0'; p++) {
		if (*p == '@')
			ats++;
		else if (!((*p >= 'a' && *p <= 'z') ||
		    (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		    strchr(atext, *p) != NULL))
			return false;
	}
	return ats == 1 && id[0] != '@' && p[-1] != '@';
}

/* Header writing: a line grows token by token and folds before 78. */
struct mail_hdr {
	struct strbuf *sb;
	size_t col;
};

static void
hdr_begin(struct mail_hdr *h, struct strbuf *sb, const char *name)
{
	h->sb = sb;
	strbuf_addstr(sb, name);
	strbuf_addch(sb, ':');
	h->col = strlen(name) + 1;
}

static void
hdr_end(struct mail_hdr *h)
{
	strbuf_addch(h->sb, '\n');
	h->col = 0;
}

/*
 * One token after one space, or after a fold (LF SP) when it would not fit.
 * Never a fold at the start of a line: that would leave an empty line, which
 * ends the header.
 */
static void
hdr_token(struct mail_hdr *h, const char *tok, size_t n)
{
	if (h->col > 0 && h->col + 1 + n > MAIL_LINE_MAX) {
		strbuf_addch(h->sb, '\n');
		h->col = 0;
	}
	strbuf_addch(h->sb, ' ');
	strbuf_add(h->sb, tok, n);
	h->col += 1 + n;
}

static void
mail_base64(struct strbuf *sb, const unsigned char *p, size_t n)
{
	static const char tab[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	unsigned long v;
	size_t i;

	for (i = 0; i + 2 < n; i += 3) {
		v = (unsigned long)p[i] << 16 | (unsigned long)p[i + 1] << 8 |
		    p[i + 2];
		strbuf_addch(sb, tab[v >> 18 & 63]);
		strbuf_addch(sb, tab[v >> 12 & 63]);
		strbuf_addch(sb, tab[v >> 6 & 63]);
		strbuf_addch(sb, tab[v & 63]);
	}
	if (n - i == 1) {
		v = (unsigned long)p[i] << 16;
		strbuf_addch(sb, tab[v >> 18 & 63]);
		strbuf_addch(sb, tab[v >> 12 & 63]);
		strbuf_addstr(sb, "==");
	} else if (n - i == 2) {
		v = (unsigned long)p[i] << 16 | (unsigned long)p[i + 1] << 8;
		strbuf_addch(sb, tab[v >> 18 & 63]);
		strbuf_addch(sb, tab[v >> 12 & 63]);
		strbuf_addch(sb, tab[v >> 6 & 63]);
		strbuf_addch(sb, '=');
	}
}

/*
 * RFC 2047 B encoded-words.  Each holds whole characters (section 5: a
 * multi-octet character must not be split across words) and is sized to
 * what is left of the current line, so no header line passes 78.  Input is
 * cleaned text (valid UTF-8).
 */
static void
hdr_encoded(struct mail_hdr *h, const char *s)
{
	struct strbuf word = STRBUF_INIT;
	size_t len = strlen(s), i = 0, j, room, maxraw;
	unsigned long cp;
	int k;

	while (i < len) {
		room = h->col + 1 + MAIL_EW_OVERHEAD < MAIL_LINE_MAX ?
		    MAIL_LINE_MAX - h->col - 1 - MAIL_EW_OVERHEAD : 0;
		maxraw = room / 4 * 3;
		if (maxraw > MAIL_EW_RAW_MAX)
			maxraw = MAIL_EW_RAW_MAX;
		for (j = i; j < len; j += (size_t)k) {
			k = utf8_decode(s + j, len - j, &cp);
			if (k < 0)
				k = -k;
			if (j + (size_t)k - i > maxraw)
				break;
		}
		/*
		 * End a word after a space when one is near: decoders that
		 * wrongly keep the white space between encoded-words (Python's
		 * address parser does) then add it between words, not in one.
		 */
		if (j < len) {
			for (k = (int)(j - i); k > (int)(maxraw / 2); k--)
				if (s[i + (size_t)k - 1] == ' ')
					break;
			if (k > (int)(maxraw / 2))
				j = i + (size_t)k;
		}
		if (j == i) {
			/* Not one character fits: go on on a new line. */
			strbuf_addch(h->sb, '\n');
			h->col = 0;
			continue;
		}
		strbuf_reset(&word);
		strbuf_addstr(&word, "=?UTF-8?B?");
		mail_base64(&word, (const unsigned char *)s + i, j - i);
		strbuf_addstr(&word, "?=");
		hdr_token(h, word.buf, word.len);
		i = j;
	}
	strbuf_release(&word);
}

static void
hdr_mailbox(struct mail_hdr *h, const struct mail_addr *a, bool comma)
{
	struct strbuf name = STRBUF_INIT, tok = STRBUF_INIT;
	const char *p;

	mail_clean(a->name, &name);
	if (name.len > 0 && mail_is_ascii(name.buf)) {
		strbuf_addch(&tok, '"');
		for (p = name.buf; *p != '\0'; p++) {
			if (*p == '"' || *p == '\\')
				strbuf_addch(&tok, '\\');
			strbuf_addch(&tok, *p);
		}
		strbuf_addch(&tok, '"');
	}
	/* A quoted-string too long for a line would have to fold inside. */
	if (tok.len > 0 && tok.len <= MAIL_QUOTED_MAX)
		hdr_token(h, tok.buf, tok.len);
	else if (name.len > 0)
		hdr_encoded(h, name.buf);
	strbuf_reset(&tok);
	strbuf_addf(&tok, "<%s>%s", a->email, comma ? "," : "");
	hdr_token(h, tok.buf, tok.len);
	strbuf_release(&tok);
	strbuf_release(&name);
}

static void
hdr_subject(struct mail_hdr *h, const char *subject)
{
	struct strbuf s = STRBUF_INIT;
	const char *p, *q;
	bool encode;

	mail_clean(subject, &s);
	encode = !mail_is_ascii(s.buf) || strstr(s.buf, "=?") != NULL;
	/* A word that cannot fit on a continuation line cannot be folded. */
	for (p = s.buf; !encode && *p != '\0'; p = *q ? q + 1 : q) {
		q = strchr(p, ' ');
		if (q == NULL)
			q = p + strlen(p);
		if ((size_t)(q - p) + 1 > MAIL_LINE_MAX)
			encode = true;
	}
	if (encode) {
		hdr_encoded(h, s.buf);
	} else {
		for (p = s.buf; *p != '\0'; p = *q ? q + 1 : q) {
			q = strchr(p, ' ');
			if (q == NULL)
				q = p + strlen(p);
			hdr_token(h, p, (size_t)(q - p));
		}
	}
	strbuf_release(&s);
}

/*
 * UTC broken-down time of t, or of the epoch when t falls outside years
 * 1..9999: a date past 9999 is as useless as one gmtime cannot convert, and
 * comparing tm_year itself keeps "tm_year + 1900" from overflowing an int.
 */
static void
mail_gmtime(time_t t, struct tm *tm)
{
	if (gmtime_r(&t, tm) == NULL || tm->tm_year < 1 - 1900 ||
	    tm->tm_year > 9999 - 1900) {
		t = 0;
		gmtime_r(&t, tm);
	}
}

char *
mail_date(time_t t, char buf[MAIL_DATE_BUFSZ])
{
	static const char days[7][4] = {
		"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"
	};
	static const char months[12][4] = {
		"Jan", "Feb", "Mar", "Apr", "May", "Jun",
		"Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
	};
	struct tm tm;
	int n;

	mail_gmtime(t, &tm);
	/* Not strftime: %a and %b follow the locale, RFC 5322 wants English. */
	n = snprintf(buf, MAIL_DATE_BUFSZ,
	    "%s, %d %s %04d %02d:%02d:%02d +0000",
	    days[tm.tm_wday % 7], tm.tm_mday, months[tm.tm_mon % 12],
	    tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
	if (n < 0 || n >= MAIL_DATE_BUFSZ)
		buf[0] = '\0';
	return buf;
}

/* LF line ends, no CR, no control characters but TAB, valid UTF-8, final LF. */
static void
mail_body_clean(const char *s, struct strbuf *out)
{
	size_t len, i = 0;
	unsigned long cp;
	int k;

	if (s == NULL)
		s = "";
	len = strlen(s);
	while (i < len) {
		if (s[i] == '\r') {
			strbuf_addch(out, '\n');
			i += s[i + 1] == '\n' ? 2 : 1;
			continue;
		}
		k = utf8_decode(s + i, len - i, &cp);
		if (k < 0) {
			strbuf_addstr(out, mail_replacement);
			i += (size_t)-k;
			continue;
		}
		if (cp == '\n' || cp == '\t' || !mail_is_control(cp))
			strbuf_add(out, s + i, (size_t)k);
		i += (size_t)k;
	}
	if (out->len == 0 || out->buf[out->len - 1] != '\n')
		strbuf_addch(out, '\n');
}

static size_t
mail_longest_line(const char *s)
{
	size_t best = 0, n;
	const char *nl;

	for (;;) {
		nl = strchr(s, '\n');
		n = nl ? (size_t)(nl - s) : strlen(s);
		if (n > best)
			best = n;
		if (nl == NULL)
			return best;
		s = nl + 1;
	}
}

/* RFC 2045 quoted-printable with LF as the hard line break. */
static void
mail_qp(const char *s, struct strbuf *out)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p = (const unsigned char *)s;
	char tok[4];
	size_t col = 0, n;
	bool lit;

	for (; *p != '\0'; p++) {
		if (*p == '\n') {
			strbuf_addch(out, '\n');
			col = 0;
			continue;
		}
		lit = (*p >= 33 && *p <= 126 && *p != '=') ||
		    ((*p == ' ' || *p == '\t') && p[1] != '\n' && p[1] != '\0');
		if (lit) {
			tok[0] = (char)*p;
			n = 1;
		} else {
			tok[0] = '=';
			tok[1] = hex[*p >> 4];
			tok[2] = hex[*p & 15];
			n = 3;
		}
		/* Room for the soft break's '=' too. */
		if (col + n > MAIL_QP_LINE_MAX - 1) {
			strbuf_addstr(out, "=\n");
			col = 0;
		}
		strbuf_add(out, tok, n);
		col += n;
	}
}

int
mail_compose(const struct mail_msg *m, struct strbuf *out, struct error *err)
{
	struct strbuf body = STRBUF_INIT;
	struct mail_hdr h;
	char date[MAIL_DATE_BUFSZ];
	const struct mail_addr *bad = NULL;
	char *shown;
	size_t i;
	bool qp;

	if (!mail_addr_valid(m->from.email))
		bad = &m->from;
	else if (!mail_addr_valid(m->to.email))
		bad = &m->to;
	else if (m->reply_to.email != NULL && !mail_addr_valid(m->reply_to.email))
		bad = &m->reply_to;
	for (i = 0; bad == NULL && i < m->ncc; i++)
		if (!mail_addr_valid(m->cc[i].email))
			bad = &m->cc[i];
	if (bad != NULL) {
		shown = mail_printable(bad->email ? bad->email : "");
		error_set(err, EX_DATAERR, "invalid e-mail address '%s'",
		    shown);
		free(shown);
		return -1;
	}
	if (m->message_id != NULL && !mail_id_valid(m->message_id)) {
		shown = mail_printable(m->message_id);
		error_set(err, EX_DATAERR, "invalid Message-ID '%s'", shown);
		free(shown);
		return -1;
	}

	mail_body_clean(m->body, &body);
	qp = mail_longest_line(body.buf) > MAIL_LINE_MAX ||
	    !mail_is_ascii(body.buf);

	strbuf_addf(out, "Date: %s\n", mail_date(m->date, date));
	hdr_begin(&h, out, "From");
	hdr_mailbox(&h, &m->from, false);
	hdr_end(&h);
	hdr_begin(&h, out, "To");
	hdr_mailbox(&h, &m->to, false);
	hdr_end(&h);
	if (m->ncc > 0) {
		hdr_begin(&h, out, "Cc");
		for (i = 0; i < m->ncc; i++)
			hdr_mailbox(&h, &m->cc[i], i + 1 < m->ncc);
		hdr_end(&h);
	}
	if (m->reply_to.email != NULL) {
		hdr_begin(&h, out, "Reply-To");
		hdr_mailbox(&h, &m->reply_to, false);
		hdr_end(&h);
	}
	hdr_begin(&h, out, "Subject");
	hdr_subject(&h, m->subject);
	hdr_end(&h);
	/* An ID cannot fold inside: a long one goes on a line of its own. */
	if (m->message_id != NULL)
		strbuf_addf(out, "Message-ID:%s<%s>\n", strlen(m->message_id) +
		    14 > MAIL_LINE_MAX ? "\n " : " ", m->message_id);
	/*
	 * An answer threads under the message it answers (RFC 5322 3.6.4);
	 * the ID came from someone else's mail, so a malformed one is left
	 * out rather than copied into a header.
	 */
	if (m->in_reply_to != NULL && mail_id_valid(m->in_reply_to)) {
		strbuf_addf(out, "In-Reply-To:%s<%s>\n", strlen(m->in_reply_to)
		    + 15 > MAIL_LINE_MAX ? "\n " : " ", m->in_reply_to);
		strbuf_addf(out, "References:%s<%s>\n", strlen(m->in_reply_to)
		    + 14 > MAIL_LINE_MAX ? "\n " : " ", m->in_reply_to);
	}
	strbuf_addstr(out, "MIME-Version: 1.0\n"
	    "Content-Type: text/plain; charset=UTF-8\n");
	strbuf_addf(out, "Content-Transfer-Encoding: %s\n",
	    qp ? "quoted-printable" : "7bit");
	/*
	 * RFC 3834 keeps vacation responders from answering a robot; Exchange
	 * and Outlook want their own word for it.
	 */
	strbuf_addstr(out, "Auto-Submitted: auto-generated\n"
	    "X-Auto-Response-Suppress: All\n");
	strbuf_addch(out, '\n');
	if (qp)
		mail_qp(body.buf, out);
	else
		strbuf_add(out, body.buf, body.len);
	strbuf_release(&body);
	return 0;
}

static uint64_t
mail_fnv(uint64_t h, const char *s, bool fold_case)
{
	unsigned char c;

	for (; s != NULL && *s != '\0'; s++) {
		c = (unsigned char)*s;
		if (fold_case && c >= 'A' && c <= 'Z')
			c = (unsigned char)(c - 'A' + 'a');
		h ^= c;
		h *= 0x100000001b3ULL;
	}
	/* A separator, so that ("ab", "c") and ("a", "bc") differ. */
	h ^= 0xff;
	h *= 0x100000001b3ULL;
	return h;
}

/* The contact's domain when it is a plain host name, for the Message-ID. */
static void
mail_id_domain(const char *contact, struct strbuf *out)
{
	const char *at, *p;
	size_t start = out->len;

	at = contact ? strrchr(contact, '@') : NULL;
	if (at != NULL && at[1] != '\0' && at[1] != '.') {
		for (p = at + 1; *p != '\0'; p++) {
			if (!((*p >= 'a' && *p <= 'z') ||
			    (*p >= '0' && *p <= '9') ||
			    (*p >= 'A' && *p <= 'Z') || *p == '-' || *p == '.'))
				break;
			strbuf_addch(out, *p >= 'A' && *p <= 'Z' ?
			    (char)(*p - 'A' + 'a') : *p);
		}
		if (*p == '\0' && out->buf[out->len - 1] != '.')
			return;
		strbuf_setlen(out, start);
	}
	strbuf_addstr(out, "localhost");
}

char *
mail_message_id(const char *slug, const char *kind, long long pairing_id,
    int due_on, const char *recipient, const char *contact)
{
	struct strbuf sb = STRBUF_INIT;
	char num[32], date[DATE_BUFSZ];
	const char *p;
	uint64_t h = 0xcbf29ce484222325ULL;

	if (snprintf(num, sizeof num, "%lld", pairing_id) >= (int)sizeof num)
		num[0] = '\0';
	date_format(due_on, date);
	h = mail_fnv(h, slug, false);
	h = mail_fnv(h, kind, false);
	h = mail_fnv(h, num, false);
	h = mail_fnv(h, date, false);
	h = mail_fnv(h, recipient, true);

	for (p = kind ? kind : ""; *p != '\0'; p++)
		strbuf_addch(&sb, (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || *p == '_' ? *p : '-');
	if (sb.len == 0)
		strbuf_addstr(&sb, "mentorctl");
	strbuf_addf(&sb, ".%s.", num);
	for (p = date; *p != '\0'; p++)
		if (*p != '-')
			strbuf_addch(&sb, *p);
	if (date[0] == '\0')
		strbuf_addstr(&sb, "00000000");
	strbuf_addf(&sb, ".%016llx@", (unsigned long long)h);
	mail_id_domain(contact, &sb);
	return strbuf_detach(&sb, NULL);
}

/* Delivery. */

/*
 * The mail program runs as `sh -c WRAP mentorctl-mail CMD` in a process
 * group of its own.  WRAP starts a watcher that blocks reading fd 3, the
 * lifeline: its other end is held by mentorctl alone, so it reads end of
 * file only when mentorctl is gone (killed, even by SIGKILL), and then
 * kills the whole group.  When the mail program ends first, the watcher is
 * killed and its status passed on (a death by signal as that signal).
 */
static const char mail_wrapper[] =
    "{ read x <&3; kill -KILL 0; } & w=$!; exec 3<&-; "
    "/bin/sh -c \"$1\"; r=$?; kill \"$w\" 2>/dev/null; "
    "[ \"$r\" -gt 128 ] && [ \"$r\" -lt 160 ] && kill -$((r - 128)) $$; "
    "exit \"$r\"";

#define MAIL_OUTPUT_MAX 4096

struct mail_spool {
	int fd;                  /* the message, in an unlinked file; -1 over
	                            SMTP */
	const char *msg;         /* over SMTP: the message, borrowed */
	size_t len;
	char *output;            /* what the last run of the program wrote */
};

/* An unlinked temporary file, close-on-exec. */
static int
mail_tmpfile(struct error *err)
{
	const char *dir = getenv("TMPDIR");
	char *path;
	int fd, flags;

	if (dir == NULL || *dir != '/')
		dir = "/tmp";
	path = xasprintf("%s/mentorctl-mail.XXXXXX", dir);
	fd = mkstemp(path);
	if (fd == -1) {
		error_set(err, EX_CANTCREAT, "cannot create a temporary file "
		    "in '%s': %s", dir, strerror(errno));
		free(path);
		return -1;
	}
	unlink(path);
	free(path);
	if ((flags = fcntl(fd, F_GETFD)) != -1)
		fcntl(fd, F_SETFD, flags | FD_CLOEXEC);
	return fd;
}

int
mail_spool_new(const struct mail_transport *t, const char *msg, size_t len,
    struct mail_spool **out, struct error *err)
{
	struct mail_spool *sp;
	size_t off = 0;
	ssize_t n;
	int fd;

	*out = NULL;
	if (t->smtp != NULL) {
		sp = xcalloc(1, sizeof *sp);
		sp->fd = -1;
		sp->msg = msg;
		sp->len = len;
		*out = sp;
		return 0;
	}
	if ((fd = mail_tmpfile(err)) == -1)
		return -1;
	while (off < len) {
		n = write(fd, msg + off, len - off);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0) {
			error_set(err, EX_IOERR, "cannot write the message to a "
			    "temporary file: %s", n == 0 ? "no space" :
			    strerror(errno));
			close(fd);
			return -1;
		}
		off += (size_t)n;
	}
	sp = xcalloc(1, sizeof *sp);
	sp->fd = fd;
	sp->len = len;
	*out = sp;
	return 0;
}

void
mail_spool_free(struct mail_spool *sp)
{
	if (sp == NULL)
		return;
	if (sp->fd != -1)
		close(sp->fd);
	free(sp->output);
	free(sp);
}

static int
mail_spawn(const char *cmd, int in, int out, int lifeline, pid_t *pid)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	sigset_t mask;
	char *argv[6];
	int rc;

	argv[0] = "sh";
	argv[1] = "-c";
	argv[2] = (char *)mail_wrapper;
	argv[3] = "mentorctl-mail";
	argv[4] = (char *)cmd;
	argv[5] = NULL;
	if ((rc = posix_spawn_file_actions_init(&fa)) != 0)
		return rc;
	if ((rc = posix_spawnattr_init(&attr)) != 0) {
		posix_spawn_file_actions_destroy(&fa);
		return rc;
	}
	/*
	 * stdin the message, stdout and stderr a file of their own: stdout is
	 * where mentorctl writes data, and the program's words go into one
	 * line of ours.
	 */
	if ((rc = posix_spawn_file_actions_adddup2(&fa, in, 0)) != 0 ||
	    (rc = posix_spawn_file_actions_adddup2(&fa, out, 1)) != 0 ||
	    (rc = posix_spawn_file_actions_adddup2(&fa, out, 2)) != 0 ||
	    (rc = posix_spawn_file_actions_adddup2(&fa, lifeline, 3)) != 0)
		goto out;
	/*
	 * The child starts with an empty mask and a default SIGPIPE even when
	 * we run with SIGPIPE ignored: mail programs expect the usual
	 * behaviour.  Its own process group, so that a timeout, or our death,
	 * ends everything it started.
	 */
	sigemptyset(&mask);
	if ((rc = posix_spawnattr_setsigmask(&attr, &mask)) != 0)
		goto out;
	sigaddset(&mask, SIGPIPE);
	if ((rc = posix_spawnattr_setsigdefault(&attr, &mask)) != 0)
		goto out;
	if ((rc = posix_spawnattr_setpgroup(&attr, 0)) != 0)
		goto out;
	if ((rc = posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK |
	    POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP)) != 0)
		goto out;
	rc = posix_spawn(pid, "/bin/sh", &fa, &attr, argv, environ);
out:
	posix_spawnattr_destroy(&attr);
	posix_spawn_file_actions_destroy(&fa);
	return rc;
}

static double
mail_clock(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * Wait for pid; after `timeout` seconds its group gets SIGTERM, two seconds
 * later SIGKILL.  The status; *timed_out says whether we killed it.
 * SIGCHLD is blocked by the caller: it wakes us the moment the program
 * ends (sigtimedwait), with no polling delay per message.
 */
static int
mail_wait(pid_t pid, int timeout, bool *timed_out)
{
	double start = mail_clock(), now, left;
	struct timespec ts;
	sigset_t chld;
	bool termed = false;
	int status;
	pid_t r;

	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	*timed_out = false;
	for (;;) {
		r = waitpid(pid, &status, WNOHANG);
		if (r == pid)
			return status;
		if (r == -1 && errno != EINTR)
			return 0;
		now = mail_clock();
		if (!termed && now - start >= timeout) {
			kill(-pid, SIGTERM);
			termed = true;
			*timed_out = true;
		} else if (termed && now - start >= timeout + 2.0) {
			kill(-pid, SIGKILL);
			while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
				;
			return status;
		}
		left = (termed ? timeout + 2.0 : (double)timeout) - (now - start);
		if (left > 0.5)
			left = 0.5;     /* a lost signal costs half a second */
		if (left < 0.001)
			left = 0.001;
		ts.tv_sec = (time_t)left;
		ts.tv_nsec = (long)((left - (double)ts.tv_sec) * 1e9);
		sigtimedwait(&chld, NULL, &ts);
	}
}

static char *
mail_read_output(int fd)
{
	char *buf = xmalloc(MAIL_OUTPUT_MAX + 1);
	ssize_t n;
	size_t len = 0;

	while (len < MAIL_OUTPUT_MAX) {
		n = pread(fd, buf + len, MAIL_OUTPUT_MAX - len, (off_t)len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	buf[len] = '\0';
	/* The program's bytes: NUL would cut them short, say so. */
	for (n = 0; (size_t)n < len; n++)
		if (buf[n] == '\0')
			buf[n] = ' ';
	return buf;
}

void
mail_spool_send(struct mail_spool *sp, const struct mail_transport *t,
    struct delivery_end *end)
{
	struct error err = ERROR_INIT;
	const char *cmd = t->cmd;
	sigset_t chld, oldmask;
	int life[2] = { -1, -1 }, out = -1, status, rc;
	pid_t pid;
	off_t pos;

	if (t->smtp != NULL) {
		smtp_send(t->smtp, sp->msg, sp->len, end);
		return;
	}
	memset(end, 0, sizeof *end);
	free(sp->output);
	sp->output = NULL;
	if (cmd == NULL || cmd[0] == '\0')
		cmd = MAIL_SENDMAIL_DEFAULT;
	if (lseek(sp->fd, 0, SEEK_SET) == -1 ||
	    (out = mail_tmpfile(&err)) == -1 || pipe(life) == -1) {
		sp->output = xstrdup(err.msg ? err.msg : strerror(errno));
		goto fail;
	}
	/* Ours, and nobody else's: the child gets the read end as fd 3. */
	if (fcntl(life[1], F_SETFD, FD_CLOEXEC) == -1 ||
	    fcntl(life[0], F_SETFD, FD_CLOEXEC) == -1) {
		sp->output = xstrdup(strerror(errno));
		goto fail;
	}
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, &oldmask);
	if ((rc = mail_spawn(cmd, sp->fd, out, life[0], &pid)) != 0) {
		sigprocmask(SIG_SETMASK, &oldmask, NULL);
		sp->output = xstrdup(strerror(rc));
		goto fail;
	}
	close(life[0]);
	life[0] = -1;
	end->started = true;
	status = mail_wait(pid, t->timeout > 0 ? t->timeout :
	    MAIL_TIMEOUT_DEFAULT, &end->timed_out);
	/* Take back a SIGCHLD still pending from it, then unblock. */
	{
		struct timespec zero = { 0, 0 };

		while (sigtimedwait(&chld, NULL, &zero) > 0)
			;
	}
	sigprocmask(SIG_SETMASK, &oldmask, NULL);
	/* It shares our file offset: how far it read. */
	pos = lseek(sp->fd, 0, SEEK_CUR);
	end->read_all = pos >= 0 && (size_t)pos >= sp->len;
	if (WIFSIGNALED(status))
		end->signal = WTERMSIG(status);
	else if (WIFEXITED(status))
		end->status = WEXITSTATUS(status);
	sp->output = mail_read_output(out);
fail:
	end->output = sp->output;
	if (out != -1)
		close(out);
	if (life[0] != -1)
		close(life[0]);
	if (life[1] != -1)
		close(life[1]);
	error_clear(&err);
}

char *
mail_transport_name(const struct mail_transport *t)
{
	char *shown, *name;

	if (t->smtp != NULL)
		return xasprintf("SMTP server '%s'", smtp_name(t->smtp));
	shown = mail_printable(t->cmd && *t->cmd ? t->cmd :
	    MAIL_SENDMAIL_DEFAULT);
	name = xasprintf("mail program '%s'", shown);
	free(shown);
	return name;
}

bool
mail_transport_down(const struct mail_transport *t)
{
	return t->smtp != NULL && smtp_down(t->smtp);
}

void
mail_transport_close(struct mail_transport *t)
{
	smtp_free(t->smtp);
	t->smtp = NULL;
}

int
mail_transport_send(const struct mail_transport *t, const char *msg,
    size_t len, struct error *err)
{
	struct mail_spool *sp;
	struct delivery_end end;
	char reason[DELIVERY_REASON_BUFSZ], *name;
	int rc = 0;

	if (mail_spool_new(t, msg, len, &sp, err) != 0)
		return -1;
	mail_spool_send(sp, t, &end);
	if (delivery_judge(&end, reason) != DELIVERY_OK) {
		name = mail_transport_name(t);
		rc = error_set(err, EX_UNAVAILABLE, "%s %s", name, reason);
		free(name);
	}
	mail_spool_free(sp);
	return rc;
}

int
mail_send(const char *cmd, const char *msg, size_t len, struct error *err)
{
	struct mail_transport t = { cmd, MAIL_TIMEOUT_DEFAULT, NULL };

	return mail_transport_send(&t, msg, len, err);
}

void
mail_mbox_append(struct strbuf *out, const char *msg, size_t len,
    time_t when)
{
	static const char days[7][4] = {
		"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"
	};
	static const char months[12][4] = {
		"Jan", "Feb", "Mar", "Apr", "May", "Jun",
		"Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
	};
	const char *p = msg, *end = msg + len, *nl, *q;
	struct tm tm;

	mail_gmtime(when, &tm);
	strbuf_addf(out, "From mentorctl@localhost %s %s %2d %02d:%02d:%02d "
	    "%d\n", days[tm.tm_wday % 7], months[tm.tm_mon % 12], tm.tm_mday,
	    tm.tm_hour, tm.tm_min, tm.tm_sec, tm.tm_year + 1900);
	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		nl = nl ? nl + 1 : end;
		/* mboxrd: quote /^>*From /, so readers can unquote exactly. */
		for (q = p; q < nl && *q == '>'; q++)
			;
		if ((size_t)(nl - q) >= 5 && memcmp(q, "From ", 5) == 0)
			strbuf_addch(out, '>');
		strbuf_add(out, p, (size_t)(nl - p));
		p = nl;
	}
	if (len > 0 && msg[len - 1] != '\n')
		strbuf_addch(out, '\n');
	strbuf_addch(out, '\n');
}
