#include "core/reply.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "util/strbuf.h"
#include "util/xmalloc.h"

/* ---- names ---------------------------------------------------------------- */

static const char *const kind_names[REPLY_KIND_COUNT] = {
	[REPLY_YES] = "yes",
	[REPLY_NO] = "no",
	[REPLY_MET] = "met",
	[REPLY_RATE] = "rate",
	[REPLY_REUP] = "re-up",
	[REPLY_PAUSE] = "pause",
	[REPLY_RESUME] = "resume",
	[REPLY_HELP] = "help",
	[REPLY_JOIN] = "join",
	[REPLY_RANKING] = "ranking",
};

static const char *const error_names[REPLY_ERROR_COUNT] = {
	[REPLY_OK] = "ok",
	[REPLY_EMPTY] = "empty",
	[REPLY_UNKNOWN] = "unknown",
	[REPLY_BAD_MET] = "bad-met",
	[REPLY_BAD_DATE] = "bad-date",
	[REPLY_BAD_DURATION] = "bad-duration",
	[REPLY_BAD_RATING] = "bad-rating",
	[REPLY_BAD_REUP] = "bad-reup",
	[REPLY_BAD_RANKING] = "bad-ranking",
	[REPLY_CONFLICT] = "conflict",
	[REPLY_TOO_MANY] = "too-many",
};

const char *
reply_kind_name(enum reply_kind k)
{
	return (unsigned)k < REPLY_KIND_COUNT ? kind_names[k] : "?";
}

const char *
reply_error_name(enum reply_error e)
{
	return (unsigned)e < REPLY_ERROR_COUNT ? error_names[e] : "?";
}

/* ---- text ----------------------------------------------------------------- */

#define FFFD "\xEF\xBF\xBD"

/*
 * One code point from s[0..n): its length, or -(length of the invalid
 * subpart) (at least 1) for bytes that are not UTF-8, as the WHATWG decoder
 * counts them (one U+FFFD per maximal invalid subpart).
 */
static int
utf8_next(const unsigned char *s, size_t n, uint32_t *cp)
{
	uint32_t c = s[0], lo = 0x80, hi = 0xBF;
	int need, k;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xC2 && c <= 0xDF) {
		need = 1;
		c &= 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		need = 2;
		if (c == 0xE0)
			lo = 0xA0;
		if (c == 0xED)
			hi = 0x9F;
		c &= 0x0F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		need = 3;
		if (c == 0xF0)
			lo = 0x90;
		if (c == 0xF4)
			hi = 0x8F;
		c &= 0x07;
	} else {
		return -1;
	}
	for (k = 1; k <= need; k++) {
		if ((size_t)k >= n || s[k] < lo || s[k] > hi)
			return -k;
		c = c << 6 | (s[k] & 0x3F);
		lo = 0x80;
		hi = 0xBF;
	}
	*cp = c;
	return need + 1;
}

static bool
is_space_cp(uint32_t cp)
{
	return cp == ' ' || cp == '\t' || cp == 0xA0 || cp == 0x1680 ||
	    (cp >= 0x2000 && cp <= 0x200A) || cp == 0x202F || cp == 0x205F ||
	    cp == 0x3000;
}

static bool
is_dropped_cp(uint32_t cp)
{
	return (cp < 0x20 && cp != '\n') || cp == 0x7F ||
	    (cp >= 0x80 && cp < 0xA0) || (cp >= 0x200B && cp <= 0x200F) ||
	    (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2060 && cp <= 0x206F) ||
	    cp == 0xFEFF;
}

/*
 * Valid UTF-8, LF line ends, Unicode spaces as ' ', invisible and control
 * characters dropped, trailing spaces of each line removed.
 */
static void
clean_text(const char *body, struct strbuf *out)
{
	const unsigned char *s = (const unsigned char *)body;
	size_t n = strlen(body), line_start = out->len;
	uint32_t cp;
	int k;

	while (n > 0) {
		if (s[0] == '\r' || s[0] == '\n') {
			k = s[0] == '\r' && n > 1 && s[1] == '\n' ? 2 : 1;
			cp = '\n';
		} else if ((k = utf8_next(s, n, &cp)) < 0) {
			k = -k;
			strbuf_addstr(out, FFFD);
			s += k;
			n -= (size_t)k;
			continue;
		}
		if (cp == '\n' || cp == 0x2028 || cp == 0x2029) {
			while (out->len > line_start && out->buf[out->len - 1] ==
			    ' ')
				strbuf_setlen(out, out->len - 1);
			strbuf_addch(out, '\n');
			line_start = out->len;
		} else if (is_space_cp(cp)) {
			strbuf_addch(out, ' ');
		} else if (!is_dropped_cp(cp)) {
			strbuf_add(out, s, (size_t)k);
		}
		s += k;
		n -= (size_t)k;
	}
	while (out->len > line_start && out->buf[out->len - 1] == ' ')
		strbuf_setlen(out, out->len - 1);
}

static int
lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static bool
is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

/* ASCII case-insensitive prefix test (other bytes must match exactly). */
static bool
starts_ci(const char *s, const char *prefix)
{
	for (; *prefix != '\0'; s++, prefix++)
		if (lower((unsigned char)*s) != lower((unsigned char)*prefix))
			return false;
	return true;
}

static bool
eq_ci_n(const char *s, size_t n, const char *word)
{
	return strlen(word) == n && starts_ci(s, word);
}

static const char *
skip_spaces(const char *s)
{
	while (*s == ' ')
		s++;
	return s;
}

static bool
blank(const char *s)
{
	return *skip_spaces(s) == '\0';
}

/* The leading ASCII word of s (letters, and '-' inside), lowercased. */
static size_t
first_word(const char *s, char *buf, size_t cap)
{
	size_t n = 0;

	while (n + 1 < cap && (is_alpha((unsigned char)s[n]) ||
	    (s[n] == '-' && n > 0 && is_alpha((unsigned char)s[n + 1])))) {
		buf[n] = (char)lower((unsigned char)s[n]);
		n++;
	}
	buf[n] = '\0';
	if (is_alpha((unsigned char)s[n]) || (unsigned char)s[n] >= 0x80 ||
	    is_digit((unsigned char)s[n]))
		return 0;	/* longer than cap, or glued to more */
	return n;
}

static bool
in_list(const char *w, const char *const *list)
{
	for (; *list != NULL; list++)
		if (strcmp(w, *list) == 0)
			return true;
	return false;
}

/* ---- the reply's own text --------------------------------------------------- */

struct lines {
	char **v;
	size_t n;
	size_t cap;
};

/* Split buf in place at LF. */
static void
split_lines(char *buf, struct lines *l)
{
	char *p = buf, *nl;

	for (;;) {
		XGROW(l->v, l->n + 1, l->cap);
		l->v[l->n++] = p;
		if ((nl = strchr(p, '\n')) == NULL)
			break;
		*nl = '\0';
		p = nl + 1;
	}
}

static bool
quoted(const char *s)
{
	return *skip_spaces(s) == '>';
}

/* The words that end an attribution line, before its ':'. */
static const char *const wrote_words[] = {
	"wrote", "writes", "schrieb", "a écrit", "escribió", "escribio",
	"schreef", "ha scritto", "escreveu", "skrev", "skrev följande",
	"napisał", "kirjoitti", "írta", "napsal", "scrie", NULL,
};

/* The words an attribution starts with ("On Mon, ...", "Am 25.01. ..."). */
static const char *const opener_words[] = {
	"on", "am", "le", "el", "op", "il", "em", "den", "dnia", "w", "dne",
	"pe", "lun", NULL,
};

static bool
ends_with_wrote(const char *s, size_t n)
{
	const char *const *w;
	size_t k;

	while (n > 0 && s[n - 1] == ' ')
		n--;
	if (n == 0 || s[n - 1] != ':')
		return false;
	n--;
	while (n > 0 && s[n - 1] == ' ')
		n--;
	for (w = wrote_words; *w != NULL; w++) {
		k = strlen(*w);
		if (n > k && starts_ci(s + n - k, *w) &&
		    !is_alpha((unsigned char)s[n - k - 1]))
			return true;
	}
	return false;
}

static bool
has_opener(const char *s)
{
	char w[16];

	s = skip_spaces(s);
	return first_word(s, w, sizeof w) > 0 && in_list(w, opener_words);
}

/*
 * "Am 25.01.2027 schrieb Ana <a@example.org>:", "Op ... schreef Ana:":
 * an opener, the verb as a word somewhere, a colon at the end.
 */
static bool
opener_with_wrote(const char *s, size_t n)
{
	const char *const *w;
	size_t i, k;

	while (n > 0 && s[n - 1] == ' ')
		n--;
	if (n == 0 || s[n - 1] != ':' || !has_opener(s))
		return false;
	for (w = wrote_words; *w != NULL; w++) {
		k = strlen(*w);
		for (i = 1; i + k < n; i++)
			if (s[i - 1] == ' ' && starts_ci(s + i, *w) &&
			    (s[i + k] == ' ' || s[i + k] == ':'))
				return true;
	}
	return false;
}

/* "* Ana <ana@example.org> [2027-01-25 10:00]:", mutt's and others' own. */
static bool
address_colon(const char *s, size_t n)
{
	while (n > 0 && s[n - 1] == ' ')
		n--;
	return n > 0 && s[n - 1] == ':' && memchr(s, '@', n) != NULL;
}

/*
 * How many lines (1 to 3) from l->v[i] make an attribution ending in
 * "wrote:" (or in a colon after an address: the caller then wants quoted
 * lines to follow); 0 when none do.  Wrapped ones must start with an
 * opener.
 */
static size_t
attribution_span(const struct lines *l, size_t i)
{
	struct strbuf joined = STRBUF_INIT;
	size_t k, found = 0;

	for (k = 0; k < 3 && i + k < l->n; k++) {
		if (k > 0) {
			if (!has_opener(l->v[i]) || blank(l->v[i + k]) ||
			    quoted(l->v[i + k]))
				break;
			strbuf_addch(&joined, ' ');
		}
		strbuf_addstr(&joined, l->v[i + k]);
		if (joined.len > 400)
			break;
		if (ends_with_wrote(joined.buf, joined.len) ||
		    opener_with_wrote(joined.buf, joined.len) ||
		    (k == 0 && address_colon(joined.buf, joined.len))) {
			found = k + 1;
			break;
		}
	}
	strbuf_release(&joined);
	return found;
}

static const char *const signoff_prefixes[] = {
	"sent from my ", "sent from mail for ", "sent from outlook",
	"sent from yahoo", "sent from samsung", "sent with proton",
	"sent with protonmail", "sent via ", "get outlook for ",
	"envoyé de mon ", "envoyé depuis ", "envoye de mon ",
	"von meinem ", "gesendet von meinem ", "gesendet von iphone",
	"gesendet mit ", "enviado desde mi ", "enviado do meu ",
	"enviado de meu ", "enviado de mi ", "verzonden vanaf mijn ",
	"verstuurd vanaf mijn ", "verzonden met ", "inviato da ",
	"skickat från min ", "sendt fra min ", "sendt fra ", "lähetetty ",
	NULL,
};

static const char *const forward_lines[] = {
	"begin forwarded message:", "anfang der weitergeleiteten nachricht:",
	"début du message réexpédié :", "début du message réexpédié:",
	"inicio del mensaje reenviado:", "begin doorgestuurd bericht:",
	"inizio messaggio inoltrato:", NULL,
};

static const char *const from_words[] = {
	"from", "von", "de", "van", "da", "fra", "från", "od", "lähettäjä",
	NULL,
};

static const char *const header_words[] = {
	"sent", "date", "to", "cc", "subject", "gesendet", "datum", "an",
	"betreff", "envoyé", "envoye", "à", "À", "a", "objet", "enviado",
	"fecha", "para", "asunto", "verzonden", "aan", "onderwerp", "inviato",
	"data", "oggetto", "assunto", "skickat", "till", "ämne", "sendt",
	"til", "emne", "lähetetty", "vastaanottaja", "aihe", NULL,
};

/*
 * "From: ..." or "*From:* ..." (Gmail's plain text of a bold label):
 * which word, by the list, with text after the colon when need_value.
 */
static bool
header_label(const char *s, const char *const *words, bool need_value)
{
	const char *p = skip_spaces(s), *colon;
	char w[32];
	size_t n;

	while (*p == '*')
		p++;
	colon = strchr(p, ':');
	if (colon == NULL || colon == p || (size_t)(colon - p) >= sizeof w)
		return false;
	n = (size_t)(colon - p);
	while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '*'))
		n--;
	memcpy(w, p, n);
	w[n] = '\0';
	for (n = 0; w[n] != '\0'; n++)
		w[n] = (char)lower((unsigned char)w[n]);
	if (!in_list(w, words))
		return false;
	p = skip_spaces(colon + 1);
	while (*p == '*')
		p++;
	return !need_value || *skip_spaces(p) != '\0';
}

static bool
outlook_header(const struct lines *l, size_t i)
{
	size_t k, seen = 0;

	if (!header_label(l->v[i], from_words, true))
		return false;
	for (k = i + 1; k < l->n && seen < 4; k++) {
		if (blank(l->v[k]))
			continue;
		seen++;
		if (header_label(l->v[k], header_words, false))
			return true;
	}
	return false;
}

/* "-----Original Message-----", "---------- Forwarded message ---------" */
static bool
dash_rule(const char *s)
{
	size_t n = strlen(s), a = 0, b = 0, i;
	bool letter = false;

	while (a < n && s[a] == '-')
		a++;
	while (b < n - a && s[n - 1 - b] == '-')
		b++;
	if (a < 3 || b < 3)
		return false;
	for (i = a; i < n - b; i++)
		if (is_alpha((unsigned char)s[i]) || (unsigned char)s[i] >= 0x80)
			letter = true;
	return letter;
}

static bool
underscores(const char *s)
{
	size_t n = strspn(s, "_");

	return n >= 10 && s[n] == '\0';
}

/* A line from which on nothing is the reply's own text. */
static bool
cut_here(const struct lines *l, size_t i)
{
	const char *s = skip_spaces(l->v[i]);
	const char *const *p;

	if (strcmp(s, "--") == 0 || strcmp(s, "-- ") == 0 ||
	    underscores(s) || dash_rule(s))
		return true;
	for (p = signoff_prefixes; *p != NULL; p++)
		if (starts_ci(s, *p))
			return true;
	for (p = forward_lines; *p != NULL; p++)
		if (strlen(s) == strlen(*p) && starts_ci(s, *p))
			return true;
	return outlook_header(l, i);
}

static size_t
next_nonblank(const struct lines *l, size_t i)
{
	while (i < l->n && blank(l->v[i]))
		i++;
	return i;
}

char *
reply_own_text(const char *body)
{
	struct strbuf clean = STRBUF_INIT, out = STRBUF_INIT;
	struct lines l = { NULL, 0, 0 };
	size_t i = 0, k, j, end;

	clean_text(body ? body : "", &clean);
	split_lines(clean.buf, &l);
	while (i < l.n) {
		if (quoted(l.v[i])) {
			i++;
			continue;
		}
		if (cut_here(&l, i))
			break;
		if ((k = attribution_span(&l, i)) > 0) {
			j = next_nonblank(&l, i + k);
			if (j < l.n && quoted(l.v[j])) {
				i += k;
				continue;
			}
			if (has_opener(l.v[i]))
				break;
		}
		strbuf_addstr(&out, l.v[i]);
		strbuf_addch(&out, '\n');
		i++;
	}
	/* No leading or trailing blank lines. */
	for (i = 0; i < out.len && (out.buf[i] == ' ' || out.buf[i] == '\n');
	    i++)
		;
	for (k = i; k > 0 && out.buf[k - 1] != '\n'; k--)
		;
	end = out.len;
	while (end > k && (out.buf[end - 1] == '\n' || out.buf[end - 1] == ' '))
		end--;
	free(l.v);
	strbuf_release(&clean);
	if (k > 0 || end < out.len) {
		char *s = xstrndup(out.buf + k, end - k);

		strbuf_release(&out);
		return s;
	}
	return strbuf_detach(&out, NULL);
}

/* ---- errors for a person ------------------------------------------------------ */

struct parser {
	int mail_day;
	struct reply *r;
};

static void fail_set(struct parser *p, enum reply_error e, const char *fix,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void
fail_set(struct parser *p, enum reply_error e, const char *fix,
    const char *fmt, ...)
{
	va_list ap;
	struct strbuf sb = STRBUF_INIT;

	if (p->r->error != REPLY_OK)
		return;
	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	p->r->error = e;
	p->r->reason = strbuf_detach(&sb, NULL);
	p->r->fix = xstrdup(fix);
}

#define FAIL(p, e, fix, ...) (fail_set((p), (e), (fix), __VA_ARGS__), -1)

#define FIX_ANSWER "start your reply with your answer on the first line, " \
	"for example: yes, no, met yesterday 45 min, rate 4, re-up yes, " \
	"pause, resume or help"
#define FIX_MET "write for example: met yesterday 45 min, or met 25 Jan " \
	"1 h; put other remarks on a line of their own"
#define FIX_DATE "write the day as 2027-01-25 or 25 Jan, or as today, " \
	"yesterday or a weekday such as Tuesday"
#define FIX_DURATION "write how long you met as 45 min, 1 h or 1.5 h"
#define FIX_RATING "write rate and a whole number from 1 (poor) to 5 " \
	"(excellent), for example: rate 4 good first meeting"
#define FIX_REUP "write re-up yes to continue for another cycle, or " \
	"re-up no to finish"
#define FIX_RANKING "number your choices, most wanted first, for " \
	"example: 1. Ana 2. Bo 3. Cy"

/* At most 40 code points of s[0..n) between quotes, for a reason. */
static char *
quote(const char *s, size_t n)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i = 0, cps = 0;

	while (n > 0 && *s == ' ') {
		s++;
		n--;
	}
	while (n > 0 && s[n - 1] == ' ')
		n--;
	strbuf_addch(&sb, '\'');
	while (i < n && cps < 40) {
		i++;
		while (i < n && ((unsigned char)s[i] & 0xC0) == 0x80)
			i++;
		cps++;
	}
	strbuf_add(&sb, s, i);
	if (i < n)
		strbuf_addstr(&sb, "...");
	strbuf_addch(&sb, '\'');
	return strbuf_detach(&sb, NULL);
}

static const char *const month_names[12] = {
	"January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December",
};

/* ---- the words of a "met" line ------------------------------------------------ */

enum tk_type { TK_NUM, TK_WORD, TK_OTHER };

struct tok {
	enum tk_type type;
	const char *s;		/* as written */
	size_t n;
	char low[24];		/* lowercased word, "" when too long */
	bool sentence;		/* an end of sentence before it */
	bool glued;		/* no space before it: 1h30, 25th, 45min */
};

struct toks {
	struct tok *v;
	size_t n;
	size_t cap;
};

static const char *const month_words[][3] = {
	{ "jan", "january", NULL }, { "feb", "february", NULL },
	{ "mar", "march", NULL }, { "apr", "april", NULL },
	{ "may", NULL, NULL }, { "jun", "june", NULL },
	{ "jul", "july", NULL }, { "aug", "august", NULL },
	{ "sep", "sept", "september" }, { "oct", "october", NULL },
	{ "nov", "november", NULL }, { "dec", "december", NULL },
};

static const char *const weekday_words[7][4] = {
	{ "mon", "monday", NULL, NULL },
	{ "tue", "tues", "tuesday", NULL },
	{ "wed", "wednesday", NULL, NULL },
	{ "thu", "thur", "thurs", "thursday" },
	{ "fri", "friday", NULL, NULL },
	{ "sat", "saturday", NULL, NULL },
	{ "sun", "sunday", NULL, NULL },
};

/* 1..12, or 0 */
static int
month_of(const char *w)
{
	int m, k;

	for (m = 0; m < 12; m++)
		for (k = 0; k < 3 && month_words[m][k] != NULL; k++)
			if (strcmp(w, month_words[m][k]) == 0)
				return m + 1;
	return 0;
}

/* ISO 1..7, or 0 */
static int
weekday_of(const char *w)
{
	int d, k;

	for (d = 0; d < 7; d++)
		for (k = 0; k < 4 && weekday_words[d][k] != NULL; k++)
			if (strcmp(w, weekday_words[d][k]) == 0)
				return d + 1;
	return 0;
}

static bool
word_byte(unsigned char c)
{
	return is_alpha(c) || c >= 0x80;
}

static void
tok_push(struct toks *t, enum tk_type type, const char *s, size_t n,
    bool sentence, bool glued)
{
	struct tok *k;
	size_t i;

	XGROW(t->v, t->n + 1, t->cap);
	k = &t->v[t->n++];
	memset(k, 0, sizeof *k);
	k->type = type;
	k->s = s;
	k->n = n;
	k->sentence = sentence;
	k->glued = glued;
	if (n < sizeof k->low) {
		for (i = 0; i < n; i++)
			k->low[i] = (char)lower((unsigned char)s[i]);
		k->low[n] = '\0';
	}
}

static void
lex(const char *s, struct toks *t)
{
	const char *p = s, *b;
	bool sentence = false, glued = false;
	unsigned char c;

	while ((c = (unsigned char)*p) != '\0') {
		if (c == ' ') {
			glued = false;
			p++;
		} else if (c == '.' && t->n > 0 && glued &&
		    t->v[t->n - 1].type == TK_WORD &&
		    (month_of(t->v[t->n - 1].low) ||
		    weekday_of(t->v[t->n - 1].low))) {
			p++;	/* "Jan.", "Tue." */
		} else if (strchr(".!?;()[]", c) != NULL) {
			sentence = true;
			glued = false;
			p++;
		} else if (c == '-' && (p == s || p[-1] == ' ') &&
		    (p[1] == ' ' || p[1] == '\0')) {
			sentence = true;
			p++;
		} else if (c == 0xE2 && (unsigned char)p[1] == 0x80 &&
		    ((unsigned char)p[2] == 0x93 ||
		    (unsigned char)p[2] == 0x94)) {
			sentence = true;	/* en and em dash */
			glued = false;
			p += 3;
		} else if (strchr(",:\"'*_~-", c) != NULL) {
			glued = false;
			p++;
		} else if (is_digit(c)) {
			b = p;
			while (is_digit((unsigned char)*p) ||
			    (strchr("./-,", *p) != NULL && *p != '\0' &&
			    p > b && is_digit((unsigned char)p[-1]) &&
			    is_digit((unsigned char)p[1])))
				p++;
			tok_push(t, TK_NUM, b, (size_t)(p - b), sentence,
			    glued);
			sentence = false;
			glued = true;
		} else if (word_byte(c)) {
			b = p;
			while (word_byte((unsigned char)*p))
				p++;
			tok_push(t, TK_WORD, b, (size_t)(p - b), sentence,
			    glued);
			sentence = false;
			glued = true;
		} else {
			tok_push(t, TK_OTHER, p, 1, sentence, glued);
			sentence = false;
			glued = false;
			p++;
		}
	}
}

static bool
tok_is(const struct toks *t, size_t i, const char *w)
{
	return i < t->n && t->v[i].type == TK_WORD && strcmp(t->v[i].low, w)
	    == 0;
}

static bool
tok_in(const struct toks *t, size_t i, const char *const *list)
{
	return i < t->n && t->v[i].type == TK_WORD && in_list(t->v[i].low,
	    list);
}

/* A plain number of at most 6 digits; -1 otherwise. */
static long
tok_int(const struct tok *k)
{
	long v = 0;
	size_t i;

	if (k->type != TK_NUM || k->n > 6)
		return -1;
	for (i = 0; i < k->n; i++) {
		if (!is_digit((unsigned char)k->s[i]))
			return -1;
		v = v * 10 + (k->s[i] - '0');
	}
	return v;
}

/* The text of tokens [a, b) as written, quoted for a reason. */
static char *
quote_toks(const struct toks *t, size_t a, size_t b)
{
	const char *s = t->v[a].s;
	const struct tok *last = &t->v[(b > a ? b : a + 1) - 1];

	return quote(s, (size_t)(last->s + last->n - s));
}

/* ---- dates ------------------------------------------------------------------- */

static char *
day_words(int days)
{
	int y, m, d;

	date_to_ymd(days, &y, &m, &d);
	return xasprintf("%d %s %d", d, month_names[m - 1], y);
}

static int
check_not_future(struct parser *p, int day, int *out)
{
	char *a, *b;

	if (p->mail_day != DATE_NONE && day > p->mail_day) {
		a = day_words(day);
		b = day_words(p->mail_day);
		fail_set(p, REPLY_BAD_DATE, FIX_DATE, "%s is after the day "
		    "you wrote your reply (%s)", a, b);
		free(a);
		free(b);
		return -1;
	}
	*out = day;
	return 0;
}

static int
need_mail_day(struct parser *p)
{
	if (p->mail_day != DATE_NONE)
		return 0;
	return FAIL(p, REPLY_BAD_DATE, "write the date, for example: met "
	    "2027-01-25", "we could not tell on which day your mail was "
	    "written");
}

static int
full_date(struct parser *p, int y, int m, int d, int *out)
{
	if (m < 1 || m > 12)
		return FAIL(p, REPLY_BAD_DATE, FIX_DATE, "there is no month "
		    "%d", m);
	if (!date_valid_ymd(y, m, d))
		return FAIL(p, REPLY_BAD_DATE, FIX_DATE, "there is no %d %s "
		    "%d", d, month_names[m - 1], y);
	return check_not_future(p, date_from_ymd(y, m, d), out);
}

/* A day and month without a year: the latest on or before the mail's day. */
static int
yearless_date(struct parser *p, int m, int d, int *out)
{
	int y, md, day = DATE_NONE, k;

	if (m < 1 || m > 12)
		return FAIL(p, REPLY_BAD_DATE, FIX_DATE, "there is no month "
		    "%d", m);
	if (d < 1 || d > (m == 2 ? 29 : date_days_in_month(2001, m)))
		return FAIL(p, REPLY_BAD_DATE, FIX_DATE, "there is no %d %s",
		    d, month_names[m - 1]);
	if (need_mail_day(p) == -1)
		return -1;
	date_to_ymd(p->mail_day, &y, &md, &k);
	for (k = 0; k < 8 && day == DATE_NONE; k++, y--)
		if (y >= DATE_MIN_YEAR && date_valid_ymd(y, m, d) &&
		    date_from_ymd(y, m, d) <= p->mail_day)
			day = date_from_ymd(y, m, d);
	if (day == DATE_NONE || p->mail_day - day > REPLY_YEARLESS_DAYS)
		return FAIL(p, REPLY_BAD_DATE, "write the year too, for "
		    "example: 2027-01-25 or 25 Jan 2027", "%d %s without a year "
		    "is more than six months before your mail", d,
		    month_names[m - 1]);
	*out = day;
	return 0;
}

/* Accept 2027 or 27 (2027). */
static int
year_of(long v, size_t ndigits)
{
	if (ndigits == 4 && v >= DATE_MIN_YEAR)
		return (int)v;
	if (ndigits == 2)
		return 2000 + (int)v;
	return -1;
}

/*
 * 2027-01-25, and the numeric forms with '/', '.' or '-': D/M, D/M/Y,
 * M/D/Y (when the day is over 12), refused when day and month could be
 * swapped.
 */
static int
numeric_date(struct parser *p, const struct tok *k, int *out)
{
	long part[3];
	size_t len[3], np = 0, i = 0, start;
	char sep = 0;
	int a, b, y;

	while (i <= k->n && np < 3) {
		start = i;
		part[np] = 0;
		while (i < k->n && is_digit((unsigned char)k->s[i])) {
			if (i - start < 6)
				part[np] = part[np] * 10 + (k->s[i] - '0');
			i++;
		}
		len[np++] = i - start;
		if (i == k->n)
			break;
		if (sep != 0 && k->s[i] != sep)
			return 0;
		sep = k->s[i++];
	}
	if (i != k->n || np < 2 || sep == ',' || len[0] == 0 || len[1] == 0)
		return 0;
	if (np == 3 && len[0] == 4) {
		if (len[1] > 2 || len[2] > 2)
			return 0;
		return full_date(p, (int)part[0], (int)part[1], (int)part[2],
		    out) == 0 ? 1 : -1;
	}
	if (len[0] > 2 || len[1] > 2)
		return 0;
	a = (int)part[0];
	b = (int)part[1];
	if (a <= 12 && b <= 12 && a != b) {
		char *q = quote(k->s, k->n);

		fail_set(p, REPLY_BAD_DATE, "write the month as a word or "
		    "the date as 2027-03-04", "%s could be %d %s or %d %s", q,
		    a, month_names[b - 1 >= 0 ? b - 1 : 0], b,
		    month_names[a - 1 >= 0 ? a - 1 : 0]);
		free(q);
		return -1;
	}
	if (a > 12 && b > 12) {
		char *q = quote(k->s, k->n);

		fail_set(p, REPLY_BAD_DATE, FIX_DATE, "%s is not a date", q);
		free(q);
		return -1;
	}
	if (a <= 12 && b > 12) {	/* M/D */
		int t = a;

		a = b;
		b = t;
	}
	if (np == 3) {
		if ((y = year_of(part[2], len[2])) < 0)
			return 0;
		return full_date(p, y, b, a, out) == 0 ? 1 : -1;
	}
	return yearless_date(p, b, a, out) == 0 ? 1 : -1;
}

/*
 * A date phrase at t->v[i]: how many tokens it takes (> 0), 0 when there
 * is none, -1 after an error.
 */
static int
date_phrase(struct parser *p, const struct toks *t, size_t i, int *out)
{
	static const char *const ordinals[] = { "st", "nd", "rd", "th", NULL };
	static const char *const ago_units[] = { "day", "days", "week",
		"weeks", NULL };
	const struct tok *k = &t->v[i];
	size_t j = i;
	long v = 0, d;
	int m, wd, y, back;

	if (tok_is(t, i, "today") || tok_is(t, i, "yesterday")) {
		if (need_mail_day(p) == -1)
			return -1;
		*out = date_add_days(p->mail_day, tok_is(t, i, "today") ? 0 :
		    -1);
		return 1;
	}
	back = tok_is(t, i, "last");
	if (k->type == TK_WORD && i + back < t->n &&
	    t->v[i + back].type == TK_WORD &&
	    (wd = weekday_of(t->v[i + back].low)) > 0) {
		if (need_mail_day(p) == -1)
			return -1;
		d = (date_weekday(p->mail_day) - wd + 7) % 7;
		if (back && d == 0)
			d = 7;
		*out = date_add_days(p->mail_day, -(int)d);
		return 1 + back;
	}
	/* "a week ago", "3 days ago" */
	if ((tok_is(t, i, "a") || (v = tok_int(k)) >= 0) &&
	    tok_in(t, i + 1, ago_units) && tok_is(t, i + 2, "ago")) {
		if (k->type == TK_WORD)
			v = 1;
		if (t->v[i + 1].low[0] == 'w')
			v *= 7;
		if (need_mail_day(p) == -1)
			return -1;
		if (v > 3660)
			return FAIL(p, REPLY_BAD_DATE, FIX_DATE, "%ld days ago "
			    "is too long ago", v);
		*out = date_add_days(p->mail_day, -(int)v);
		return 3;
	}
	/* Month first: "Jan 25", "January 25th, 2027" */
	if (k->type == TK_WORD && (m = month_of(k->low)) > 0) {
		j = i + 1;
		if (j >= t->n || (d = tok_int(&t->v[j])) < 0 || t->v[j].n > 2) {
			char *q = quote_toks(t, i, i + 1);

			fail_set(p, REPLY_BAD_DATE, FIX_DATE, "%s needs a day "
			    "of the month", q);
			free(q);
			return -1;
		}
		j++;
		if (tok_in(t, j, ordinals) && t->v[j].glued)
			j++;
		if (j < t->n && (v = tok_int(&t->v[j])) >= 0 &&
		    t->v[j].n == 4) {
			if (full_date(p, (int)v, m, (int)d, out) == -1)
				return -1;
			return (int)(j + 1 - i);
		}
		if (yearless_date(p, m, (int)d, out) == -1)
			return -1;
		return (int)(j - i);
	}
	if (k->type != TK_NUM)
		return 0;
	/* Day first: "25 Jan", "25th of January 2027" */
	if ((d = tok_int(k)) >= 0 && k->n <= 2) {
		j = i + 1;
		if (tok_in(t, j, ordinals) && t->v[j].glued)
			j++;
		if (tok_is(t, j, "of"))
			j++;
		if (j < t->n && t->v[j].type == TK_WORD &&
		    (m = month_of(t->v[j].low)) > 0) {
			j++;
			if (j < t->n && (v = tok_int(&t->v[j])) >= 0 &&
			    t->v[j].n == 4) {
				if ((y = year_of(v, 4)) < 0 ||
				    full_date(p, y, m, (int)d, out) == -1)
					return -1;
				return (int)(j + 1 - i);
			}
			if (yearless_date(p, m, (int)d, out) == -1)
				return -1;
			return (int)(j - i);
		}
		return 0;
	}
	switch (numeric_date(p, k, out)) {
	case 1:
		return 1;
	case -1:
		return -1;
	default:
		return 0;
	}
}

/* ---- durations --------------------------------------------------------------- */

static const char *const minute_words[] = { "min", "mins", "minute",
	"minutes", "m", "mn", "minuten", NULL };
static const char *const hour_words[] = { "h", "hr", "hrs", "hour", "hours",
	"std", NULL };

/* "1.5", "1,5", "45": hundredths; -1 when not a number like that. */
static long
tok_hundredths(const struct tok *k)
{
	long v = 0;
	size_t i, frac = 0;
	bool point = false;

	if (k->type != TK_NUM || k->n > 8)
		return -1;
	for (i = 0; i < k->n; i++) {
		if (k->s[i] == '.' || k->s[i] == ',') {
			if (point)
				return -1;
			point = true;
			continue;
		}
		if (!is_digit((unsigned char)k->s[i]))
			return -1;
		if (point && ++frac > 2)
			return -1;
		v = v * 10 + (k->s[i] - '0');
	}
	while (frac++ < 2)
		v *= 10;
	return v;
}

static int
bad_minutes(struct parser *p, const struct toks *t, size_t a, size_t b,
    long minutes)
{
	char *q = quote_toks(t, a, b);

	if (minutes <= 0)
		fail_set(p, REPLY_BAD_DURATION, FIX_DURATION, "%s is not how "
		    "long a meeting can be", q);
	else
		fail_set(p, REPLY_BAD_DURATION, FIX_DURATION, "%s is longer "
		    "than %d hours", q, REPLY_MAX_MINUTES / 60);
	free(q);
	return -1;
}

/* Like date_phrase, for "45 min", "1.5 h", "1h30", "an hour", ... */
static int
duration_phrase(struct parser *p, const struct toks *t, size_t i, int *out)
{
	static const char *const ones[] = { "an", "a", "one", NULL };
	const struct tok *k = &t->v[i];
	size_t j = i;
	long h, m = 0, extra;

	if (tok_is(t, i, "half") && tok_in(t, i + 1, ones) &&
	    tok_in(t, i + 2, hour_words)) {
		*out = 30;
		return 3;
	}
	if (tok_in(t, i, ones) && tok_in(t, i + 1, hour_words)) {
		j = i + 2;
		m = 60;
		if (tok_is(t, j, "and") && tok_is(t, j + 1, "a") &&
		    tok_is(t, j + 2, "half")) {
			m = 90;
			j += 3;
		}
		*out = (int)m;
		return (int)(j - i);
	}
	if ((h = tok_hundredths(k)) < 0 || i + 1 >= t->n)
		return 0;
	if (tok_in(t, i + 1, minute_words)) {
		if (h % 100 != 0) {
			char *q = quote_toks(t, i, i + 2);

			fail_set(p, REPLY_BAD_DURATION, FIX_DURATION, "%s is "
			    "not a whole number of minutes", q);
			free(q);
			return -1;
		}
		m = h / 100;
		if (m < 1 || m > REPLY_MAX_MINUTES)
			return bad_minutes(p, t, i, i + 2, m);
		*out = (int)m;
		return 2;
	}
	if (!tok_in(t, i + 1, hour_words))
		return 0;
	m = (h * 60 + 50) / 100;
	j = i + 2;
	/* "1h30", "1 h 30 min", "1 hour and 30 minutes" */
	if (h % 100 == 0) {
		size_t q = tok_is(t, j, "and") ? j + 1 : j;

		if (q < t->n && (extra = tok_int(&t->v[q])) >= 0 &&
		    extra < 60 && t->v[q].n <= 2 &&
		    (tok_in(t, q + 1, minute_words) ||
		    (t->v[q].glued && q == j))) {
			m += extra;
			j = q + 1 + (tok_in(t, q + 1, minute_words) ? 1 : 0);
		}
	}
	if (m < 1 || m > REPLY_MAX_MINUTES)
		return bad_minutes(p, t, i, j, m);
	*out = (int)m;
	return (int)(j - i);
}

/* ---- commands ------------------------------------------------------------------ */

static const char *const met_fillers[] = { "we", "i", "on", "for", "about",
	"around", "approx", "approximately", "roughly", "ca", "the", "and",
	"up", "have", "finally", "just", "again", "only", "nearly", "almost",
	NULL };

/* s is the text after "met". */
static int
parse_met(struct parser *p, const char *s, struct reply_cmd *cmd)
{
	struct toks t = { NULL, 0, 0 };
	size_t i = 0;
	int day = DATE_NONE, minutes = 0, v, n, rc = -1;
	char *q;

	lex(s, &t);
	while (i < t.n) {
		if (t.v[i].type == TK_WORD && in_list(t.v[i].low, met_fillers)) {
			i++;
			continue;
		}
		v = DATE_NONE;
		if ((n = duration_phrase(p, &t, i, &v)) < 0)
			goto out;
		if (n > 0) {
			if (minutes != 0) {
				q = quote_toks(&t, i, i + (size_t)n);
				fail_set(p, REPLY_BAD_DURATION, FIX_DURATION,
				    "your met line gives two lengths (%s is "
				    "the second)", q);
				free(q);
				goto out;
			}
			minutes = v;
			i += (size_t)n;
			continue;
		}
		if ((n = date_phrase(p, &t, i, &v)) < 0)
			goto out;
		if (n > 0) {
			if (day != DATE_NONE) {
				q = quote_toks(&t, i, i + (size_t)n);
				fail_set(p, REPLY_BAD_DATE, FIX_DATE, "your met "
				    "line gives two dates (%s is the second)",
				    q);
				free(q);
				goto out;
			}
			if (check_not_future(p, v, &day) == -1)
				goto out;
			i += (size_t)n;
			continue;
		}
		/* A remark after the end of a sentence is not ours to read. */
		if (t.v[i].sentence && t.v[i].type == TK_WORD)
			break;
		q = quote_toks(&t, i, i + 1);
		if (t.v[i].type == TK_NUM)
			fail_set(p, REPLY_BAD_MET, FIX_MET, "we could not tell "
			    "whether %s in your met line is a date or a length",
			    q);
		else
			fail_set(p, REPLY_BAD_MET, FIX_MET, "we could not read "
			    "%s in your met line", q);
		free(q);
		goto out;
	}
	if (day == DATE_NONE) {
		if (need_mail_day(p) == -1)
			goto out;
		day = p->mail_day;
	}
	if (day == DATE_NONE || day < DATE_MIN_DAY) {
		fail_set(p, REPLY_BAD_DATE, FIX_DATE, "that day is not in our "
		    "calendar");
		goto out;
	}
	cmd->day = day;
	cmd->minutes = minutes;
	rc = 1;
out:
	free(t.v);
	return rc;
}

/* The rest of a line after separators, or NULL when nothing is left. */
static char *
rest_text(const char *s)
{
	size_t n;

	while (*s != '\0' && (strchr(" ,.:;!-", *s) != NULL ||
	    ((unsigned char)s[0] == 0xE2 && (unsigned char)s[1] == 0x80 &&
	    ((unsigned char)s[2] == 0x93 || (unsigned char)s[2] == 0x94))))
		s += (unsigned char)*s == 0xE2 ? 3 : 1;
	n = strlen(s);
	while (n > 0 && s[n - 1] == ' ')
		n--;
	return n > 0 ? xstrndup(s, n) : NULL;
}

/* "No thanks, ..." and "no, thank you: ...": the reason is what follows. */
static const char *
skip_thanks(const char *s)
{
	const char *p = s;
	char w[8];
	size_t n;

	while (*p == ' ' || *p == ',')
		p++;
	if ((n = first_word(p, w, sizeof w)) == 0)
		return s;
	if (strcmp(w, "thanks") == 0)
		return p + n;
	if (strcmp(w, "thank") == 0 && first_word(skip_spaces(p + n), w,
	    sizeof w) == 3 && strcmp(w, "you") == 0)
		return skip_spaces(p + n) + 3;
	return s;
}

static int
parse_rate(struct parser *p, const char *s, struct reply_cmd *cmd)
{
	const char *b;
	long v = 0;
	char *q;

	s = skip_spaces(s);
	while (*s == ':' || *s == '=' || *s == ' ' || *s == '-')
		s++;
	b = s;
	while (is_digit((unsigned char)*s) && s - b < 6)
		v = v * 10 + (*s++ - '0');
	if (s == b)
		return FAIL(p, REPLY_BAD_RATING, FIX_RATING, "your rating has "
		    "no number");
	if ((*s == '.' || *s == ',') && is_digit((unsigned char)s[1])) {
		while (is_digit((unsigned char)*++s) || *s == '.' || *s == ',')
			;
		q = quote(b, (size_t)(s - b));
		fail_set(p, REPLY_BAD_RATING, FIX_RATING, "a rating is a "
		    "whole number, not %s", q);
		free(q);
		return -1;
	}
	if (is_digit((unsigned char)*s) || is_alpha((unsigned char)*s) ||
	    v < 1 || v > 5) {
		while (is_digit((unsigned char)*s) ||
		    is_alpha((unsigned char)*s))
			s++;
		q = quote(b, (size_t)(s - b));
		fail_set(p, REPLY_BAD_RATING, FIX_RATING, "%s is not a rating "
		    "from 1 to 5", q);
		free(q);
		return -1;
	}
	/* "4/5", "4 / 5", "4 out of 5", "4 stars" */
	b = skip_spaces(s);
	if (*b == '/' || starts_ci(b, "out of ")) {
		b = skip_spaces(b + (*b == '/' ? 1 : 7));
		if (b[0] != '5' || is_digit((unsigned char)b[1])) {
			fail_set(p, REPLY_BAD_RATING, FIX_RATING, "ratings go "
			    "from 1 to 5");
			return -1;
		}
		s = b + 1;
	}
	b = skip_spaces(s);
	if (starts_ci(b, "stars") && !is_alpha((unsigned char)b[5]))
		s = b + 5;
	else if (starts_ci(b, "star") && !is_alpha((unsigned char)b[4]))
		s = b + 4;
	cmd->rating = (int)v;
	cmd->text = rest_text(s);
	return 1;
}

static int
parse_reup(struct parser *p, const char *s, struct reply_cmd *cmd)
{
	char w[8];

	s = skip_spaces(s);
	while (*s == ':' || *s == '-' || *s == ' ' || *s == '?')
		s++;
	if (first_word(s, w, sizeof w) > 0) {
		if (strcmp(w, "yes") == 0 || strcmp(w, "no") == 0) {
			cmd->yes = w[0] == 'y';
			return 1;
		}
	}
	return FAIL(p, REPLY_BAD_REUP, FIX_REUP, "re-up needs yes or no "
	    "after it");
}

/* ---- rankings -------------------------------------------------------------------- */

/*
 * An item marker "N." "N)" "N:" or "N -" at s for N = want, after which a
 * name starts; its length, or 0.
 */
static size_t
item_marker(const char *s, long want)
{
	const char *p = s;
	long v = 0;

	if (*p == '#')
		p++;
	if (!is_digit((unsigned char)*p))
		return 0;
	while (is_digit((unsigned char)*p) && p - s < 4)
		v = v * 10 + (*p++ - '0');
	if (v != want || is_digit((unsigned char)*p))
		return 0;
	if (*p == '.' || *p == ')' || *p == ':') {
		p++;
	} else if (p[0] == ' ' && p[1] == '-' && p[2] == ' ') {
		p += 2;
	} else {
		return 0;
	}
	if (*p != ' ' && *p != '\0')
		return 0;
	return (size_t)(p - s);
}

static int
add_name(struct parser *p, struct reply_cmd *cmd, const char *s, size_t n)
{
	char *q;
	size_t i;

	while (n > 0 && strchr(" ,;", *s) != NULL) {
		s++;
		n--;
	}
	while (n > 0 && strchr(" ,;.", s[n - 1]) != NULL)
		n--;
	if (n == 0)
		return FAIL(p, REPLY_BAD_RANKING, FIX_RANKING, "choice %zu of "
		    "your ranking has no name", cmd->nnames + 1);
	if (cmd->nnames == REPLY_MAX_RANKING)
		return FAIL(p, REPLY_BAD_RANKING, FIX_RANKING, "a ranking has "
		    "at most %d names", REPLY_MAX_RANKING);
	for (i = 0; i < cmd->nnames; i++)
		if (eq_ci_n(s, n, cmd->names[i])) {
			q = quote(s, n);
			fail_set(p, REPLY_BAD_RANKING, FIX_RANKING, "%s is in "
			    "your ranking twice", q);
			free(q);
			return -1;
		}
	cmd->names = xreallocarray(cmd->names, cmd->nnames + 1,
	    sizeof *cmd->names);
	cmd->names[cmd->nnames++] = xstrndup(s, n);
	return 0;
}

/*
 * Items from s, which starts with the marker of item cmd->nnames + 1; the
 * names end at the next expected marker (after a space, ',' or ';').
 */
static int
ranking_items(struct parser *p, const char *s, struct reply_cmd *cmd)
{
	size_t k = item_marker(s, (long)cmd->nnames + 1), m;
	const char *name, *q;

	while (k > 0) {
		name = s + k;
		m = 0;
		for (q = name; *q != '\0'; q++)
			if ((q[-1] == ' ' || q[-1] == ',' || q[-1] == ';') &&
			    (m = item_marker(q, (long)cmd->nnames + 2)) > 0)
				break;
		if (add_name(p, cmd, name, (size_t)(q - name)) == -1)
			return -1;
		s = q;
		k = m;
	}
	return 0;
}

/*
 * "2, 1, 3": a line of list positions (numbers of a suggestion mail's
 * list), separated by commas, semicolons or spaces, nothing else.
 */
static bool
number_list(const char *s)
{
	bool digit = false;

	for (; *s != '\0'; s++) {
		if (is_digit((unsigned char)*s))
			digit = true;
		else if (*s != ',' && *s != ';' && *s != ' ')
			return false;
	}
	return digit;
}

static int
number_items(struct parser *p, const char *s, struct reply_cmd *cmd)
{
	const char *b;

	while (*s != '\0') {
		if (!is_digit((unsigned char)*s)) {
			s++;
			continue;
		}
		for (b = s; is_digit((unsigned char)*s); s++)
			;
		if (add_name(p, cmd, b, (size_t)(s - b)) == -1)
			return -1;
	}
	return 0;
}

/* ---- lines -------------------------------------------------------------------------- */

enum line_kind { LINE_OTHER, LINE_CMD, LINE_ERROR };

static const char *const greeting_words[] = { "hi", "hello", "hey", "dear",
	"hallo", "hola", "bonjour", "salut", "ciao", "hoi", "moin", "servus",
	"good", "greetings", "thanks", "thank", "thx", "many", "danke",
	"merci", "gracias", "dank", "bedankt", "grazie", "obrigado",
	"obrigada", "liebe", "lieber", "cher", "chère", NULL };

static size_t
count_words(const char *s)
{
	size_t n = 0;

	while (*(s = skip_spaces(s)) != '\0') {
		n++;
		while (*s != '\0' && *s != ' ')
			s++;
	}
	return n;
}

/* Markdown-ish emphasis and bullets that clients put around a line. */
static const char *
line_start(const char *s)
{
	s = skip_spaces(s);
	while (*s == '*' || *s == '_' || ((*s == '-' || *s == '+') &&
	    s[1] == ' '))
		s = skip_spaces(s + 1);
	return s;
}

static bool
greeting(const char *s)
{
	char w[16];

	s = line_start(s);
	return first_word(s, w, sizeof w) > 0 && in_list(w, greeting_words) &&
	    count_words(s) <= 8;
}

/* Classify one line; a command goes into cmd. */
static enum line_kind
parse_line(struct parser *p, const char *line, bool first,
    struct reply_cmd *cmd)
{
	static const char *const yes_words[] = { "yes", "accept", NULL };
	static const char *const no_words[] = { "no", "decline", NULL };
	static const char *const rank_words[] = { "rank", "ranking",
		"preferences", "preference", "choices", NULL };
	const char *s = line_start(line), *after;
	char w[16], w2[16];
	size_t n;
	int rc;

	memset(cmd, 0, sizeof *cmd);
	cmd->day = DATE_NONE;
	if (first && number_list(s)) {
		cmd->kind = REPLY_RANKING;
		return number_items(p, s, cmd) == 0 ? LINE_CMD : LINE_ERROR;
	}
	if (item_marker(s, 1) > 0) {
		if (!first)
			return LINE_OTHER;	/* a numbered note */
		cmd->kind = REPLY_RANKING;
		return ranking_items(p, s, cmd) == 0 ? LINE_CMD : LINE_ERROR;
	}
	if ((n = first_word(s, w, sizeof w)) == 0)
		return LINE_OTHER;
	after = s + n;
	/* "we met", "I met" */
	if ((strcmp(w, "we") == 0 || strcmp(w, "i") == 0) &&
	    (n = first_word(skip_spaces(after), w2, sizeof w2)) > 0 &&
	    strcmp(w2, "met") == 0) {
		strcpy(w, "met");
		after = skip_spaces(after) + n;
	}
	/* "re up" */
	if (strcmp(w, "re") == 0 &&
	    (n = first_word(skip_spaces(after), w2, sizeof w2)) > 0 &&
	    strcmp(w2, "up") == 0) {
		strcpy(w, "reup");
		after = skip_spaces(after) + n;
	}
	if (in_list(w, yes_words)) {
		cmd->kind = REPLY_YES;
		return LINE_CMD;
	}
	if (in_list(w, no_words)) {
		cmd->kind = REPLY_NO;
		cmd->text = rest_text(skip_thanks(after));
		return LINE_CMD;
	}
	if (strcmp(w, "met") == 0) {
		cmd->kind = REPLY_MET;
		rc = parse_met(p, after, cmd);
	} else if (strcmp(w, "rate") == 0 || strcmp(w, "rating") == 0) {
		cmd->kind = REPLY_RATE;
		rc = parse_rate(p, after, cmd);
	} else if (strcmp(w, "re-up") == 0 || strcmp(w, "reup") == 0) {
		cmd->kind = REPLY_REUP;
		rc = parse_reup(p, after, cmd);
	} else if (strcmp(w, "pause") == 0) {
		cmd->kind = REPLY_PAUSE;
		rc = 1;
	} else if (strcmp(w, "resume") == 0) {
		cmd->kind = REPLY_RESUME;
		rc = 1;
	} else if (strcmp(w, "help") == 0) {
		cmd->kind = REPLY_HELP;
		rc = 1;
	} else if (strcmp(w, "join") == 0) {
		cmd->kind = REPLY_JOIN;
		rc = 1;
	} else if (in_list(w, rank_words) &&
	    *(after = skip_spaces(after)) == ':') {
		cmd->kind = REPLY_RANKING;
		after = skip_spaces(after + 1);
		rc = *after == '\0' || ranking_items(p, after, cmd) == 0 ?
		    1 : -1;
	} else {
		return LINE_OTHER;
	}
	return rc == 1 ? LINE_CMD : LINE_ERROR;
}

static void
cmd_release(struct reply_cmd *c)
{
	size_t i;

	free(c->text);
	for (i = 0; i < c->nnames; i++)
		free(c->names[i]);
	free(c->names);
	memset(c, 0, sizeof *c);
}

static int
check_conflicts(struct parser *p)
{
	struct reply *r = p->r;
	size_t i, j;

	for (i = 0; i < r->ncmds; i++)
		for (j = 0; j < i; j++) {
			enum reply_kind a = r->cmds[j].kind, b = r->cmds[i].kind;

			if (a == b && a != REPLY_MET)
				return FAIL(p, REPLY_CONFLICT, "send each "
				    "answer once", "your reply says %s twice",
				    reply_kind_name(a));
			if ((a == REPLY_YES && b == REPLY_NO) ||
			    (a == REPLY_NO && b == REPLY_YES))
				return FAIL(p, REPLY_CONFLICT, "reply again "
				    "with either yes or no", "your reply says "
				    "both yes and no");
			if ((a == REPLY_PAUSE && b == REPLY_RESUME) ||
			    (a == REPLY_RESUME && b == REPLY_PAUSE))
				return FAIL(p, REPLY_CONFLICT, "reply again "
				    "with either pause or resume", "your reply "
				    "says both pause and resume");
		}
	return 0;
}

static void
first_line_unknown(struct parser *p, const char *line)
{
	char *q = quote(line, strlen(line));

	fail_set(p, REPLY_UNKNOWN, FIX_ANSWER, "we did not understand %s",
	    q);
	free(q);
}

struct reply *
reply_parse(const char *body, int mail_day)
{
	struct reply *r = xcalloc(1, sizeof *r);
	struct parser p = { mail_day, r };
	struct lines l = { NULL, 0, 0 };
	struct reply_cmd cmd, *rank = NULL;
	char *copy;
	size_t i, k, cap = 0;
	enum line_kind kind;

	r->text = reply_own_text(body);
	copy = xstrdup(r->text);
	split_lines(copy, &l);
	i = next_nonblank(&l, 0);
	/* No greeting word is a command word. */
	if (i < l.n && greeting(l.v[i]))
		i = next_nonblank(&l, i + 1);
	if (i >= l.n) {
		fail_set(&p, REPLY_EMPTY, FIX_ANSWER, "your reply has no "
		    "answer above the quoted message");
		goto out;
	}
	for (; i < l.n; i++) {
		if (blank(l.v[i]))
			continue;
		if (rank != NULL && (k = item_marker(line_start(l.v[i]),
		    (long)rank->nnames + 1)) > 0) {
			if (ranking_items(&p, line_start(l.v[i]), rank) == -1)
				goto out;
			continue;
		}
		kind = parse_line(&p, l.v[i], r->ncmds == 0, &cmd);
		if (kind == LINE_ERROR) {
			cmd_release(&cmd);
			goto out;
		}
		if (kind == LINE_OTHER) {
			if (r->ncmds == 0)
				first_line_unknown(&p, line_start(l.v[i]));
			break;
		}
		if (r->ncmds == REPLY_MAX_CMDS) {
			cmd_release(&cmd);
			fail_set(&p, REPLY_TOO_MANY, "send at most 10 answers "
			    "in one reply", "your reply has more than %d "
			    "answers", REPLY_MAX_CMDS);
			goto out;
		}
		XGROW(r->cmds, r->ncmds + 1, cap);
		r->cmds[r->ncmds++] = cmd;
		rank = cmd.kind == REPLY_RANKING ? &r->cmds[r->ncmds - 1] :
		    NULL;
	}
	for (k = 0; k < r->ncmds; k++)
		if (r->cmds[k].kind == REPLY_RANKING && r->cmds[k].nnames == 0)
			fail_set(&p, REPLY_BAD_RANKING, FIX_RANKING, "your "
			    "ranking has no names");
	if (r->error == REPLY_OK)
		check_conflicts(&p);
out:
	if (r->error != REPLY_OK) {
		for (k = 0; k < r->ncmds; k++)
			cmd_release(&r->cmds[k]);
		free(r->cmds);
		r->cmds = NULL;
		r->ncmds = 0;
	}
	free(l.v);
	free(copy);
	return r;
}

void
reply_free(struct reply *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->ncmds; i++)
		cmd_release(&r->cmds[i]);
	free(r->cmds);
	free(r->reason);
	free(r->fix);
	free(r->text);
	free(r);
}
