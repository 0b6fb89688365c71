/*
 * Received mail through GMime 3.  GMime does the MIME: headers, RFC 2047,
 * addresses, Message-IDs, dates, multipart structure, transfer encodings.
 * This file chooses what to read, converts charsets with replacement
 * (GMime's charset filter drops bad bytes silently), turns HTML into text,
 * reads the fields of a delivery report (RFC 3464's "Name: value" groups,
 * which GMime leaves as an opaque part) and classifies the message.
 */
#include "io/mime.h"

#include <errno.h>
#include <gmime/gmime.h>
#include <iconv.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/date.h"
#include "util/utf8.h"
#include "util/strbuf.h"
#include "util/xmalloc.h"

#define FFFD "\xEF\xBF\xBD"

/* ---- set-up --------------------------------------------------------------- */

static GMimeParserOptions *parser_options;

static iconv_t iconv_get(const char *cs);

/* GMime's own warnings would go to stderr, and below cmd_*.c nothing prints. */
static void
quiet_log(const gchar *domain, GLogLevelFlags level, const gchar *msg,
    gpointer data)
{
	(void)domain;
	(void)level;
	(void)msg;
	(void)data;
}

static void
mime_init(void)
{
	static const char *fallback[] = { "UTF-8", "windows-1252", NULL };

	if (parser_options != NULL)
		return;
	g_mime_init();
	g_log_set_handler("gmime", G_LOG_LEVEL_MASK, quiet_log, NULL);
	parser_options = g_mime_parser_options_new();
	g_mime_parser_options_set_rfc2047_compliance_mode(parser_options,
	    GMIME_RFC_COMPLIANCE_LOOSE);
	g_mime_parser_options_set_address_compliance_mode(parser_options,
	    GMIME_RFC_COMPLIANCE_LOOSE);
	g_mime_parser_options_set_parameter_compliance_mode(parser_options,
	    GMIME_RFC_COMPLIANCE_LOOSE);
	g_mime_parser_options_set_allow_addresses_without_domain(
	    parser_options, TRUE);
	g_mime_parser_options_set_fallback_charsets(parser_options, fallback);
	/*
	 * Keep the two charsets most mail uses besides UTF-8 loaded, so that
	 * GMime's own conversions of headers (which open and close a
	 * converter each time) do not load them again and again.
	 */
	(void)iconv_get("windows-1252");
	(void)iconv_get("iso-8859-1");
}

/* ---- clean text ------------------------------------------------------------- */

static bool
is_control(unsigned long cp)
{
	return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0);
}

/*
 * Append s[0..n) as text: valid UTF-8 (U+FFFD for each invalid subpart),
 * CR and CRLF as LF, U+2028/2029 as LF, other controls but tab dropped.
 */
static void
add_text(struct strbuf *out, const char *s, size_t n)
{
	unsigned long cp;
	size_t run;
	int k;

	while (n > 0) {
		for (run = 0; run < n && ((s[run] >= 0x20 && s[run] < 0x7F) ||
		    s[run] == '\n' || s[run] == '\t'); run++)
			;
		if (run > 0) {
			strbuf_add(out, s, run);
			s += run;
			n -= run;
			continue;
		}
		if (*s == '\r') {
			k = n > 1 && s[1] == '\n' ? 2 : 1;
			strbuf_addch(out, '\n');
		} else if ((k = utf8_decode(s, n, &cp)) < 0) {
			k = -k;
			strbuf_addstr(out, FFFD);
		} else if (cp == 0x2028 || cp == 0x2029) {
			strbuf_addch(out, '\n');
		} else if (cp == '\n' || cp == '\t' || !is_control(cp)) {
			strbuf_add(out, s, (size_t)k);
		}
		s += k;
		n -= (size_t)k;
	}
}

/*
 * One line: valid UTF-8, each run of controls and spaces one space, trimmed,
 * at most MIME_MAX_VALUE bytes (cut between characters).  NULL stays NULL.
 */
static char *
clean_line(const char *s)
{
	struct strbuf sb = STRBUF_INIT;
	size_t n;
	unsigned long cp;
	bool space = false;
	int k;

	if (s == NULL)
		return NULL;
	n = strlen(s);
	while (n > 0 && sb.len < MIME_MAX_VALUE) {
		if ((k = utf8_decode(s, n, &cp)) < 0) {
			k = -k;
			if (space && sb.len > 0)
				strbuf_addch(&sb, ' ');
			space = false;
			if (sb.len + 3 <= MIME_MAX_VALUE)
				strbuf_addstr(&sb, FFFD);
			else
				break;
		} else if (is_control(cp) || cp == ' ' || cp == 0x2028 ||
		    cp == 0x2029) {
			space = true;
		} else {
			if (space && sb.len > 0)
				strbuf_addch(&sb, ' ');
			space = false;
			if (sb.len + (size_t)k > MIME_MAX_VALUE)
				break;
			strbuf_add(&sb, s, (size_t)k);
		}
		s += k;
		n -= (size_t)k;
	}
	return strbuf_detach(&sb, NULL);
}

/* Like clean_line, but NULL for a value that is empty once cleaned. */
static char *
clean_value(const char *s)
{
	char *v = clean_line(s);

	if (v != NULL && v[0] == '\0') {
		free(v);
		return NULL;
	}
	return v;
}

static bool
valid_utf8(const char *s, size_t n)
{
	unsigned long cp;
	int k;

	while (n > 0) {
		if ((k = utf8_decode(s, n, &cp)) < 0)
			return false;
		s += k;
		n -= (size_t)k;
	}
	return true;
}

/* ---- charsets ----------------------------------------------------------------- */

static bool
charset_is(const char *cs, const char *const *names)
{
	for (; *names != NULL; names++)
		if (strcasecmp(cs, *names) == 0)
			return true;
	return false;
}

/*
 * The charset to read with.  Undeclared and US-ASCII text that is UTF-8 is
 * UTF-8 (clients mislabel it); otherwise such text, and ISO-8859-1, is
 * Windows-1252, as the WHATWG encoding standard reads them.
 */
static const char *
effective_charset(const char *cs, const char *s, size_t n)
{
	static const char *const ascii[] = { "us-ascii", "ascii", "ansi_x3.4-1968",
		"iso646-us", "unknown-8bit", "x-unknown", "default", NULL };
	static const char *const latin1[] = { "iso-8859-1", "iso8859-1",
		"iso_8859-1", "latin1", "l1", "cp819", "ibm819", NULL };
	static const char *const utf8[] = { "utf-8", "utf8", NULL };

	if (cs == NULL || cs[0] == '\0' || charset_is(cs, ascii))
		return valid_utf8(s, n) ? "UTF-8" : "windows-1252";
	if (charset_is(cs, utf8))
		return "UTF-8";
	if (charset_is(cs, latin1))
		return "windows-1252";
	return cs;
}

/*
 * Converters stay open: glibc loads a charset's module on iconv_open and
 * unloads it on the last iconv_close, which made each Latin-1 reply cost a
 * millisecond.  A few charsets cover nearly all mail; the least recently
 * used is closed when another is needed.
 */
#define ICONV_CACHE 8

static struct {
	char name[48];
	iconv_t cd;
	unsigned long used;
} iconv_cache[ICONV_CACHE];

static iconv_t
iconv_get(const char *cs)
{
	static unsigned long clock;
	const char *name = g_mime_charset_iconv_name(cs);
	size_t i, lru = 0;
	iconv_t cd;

	if (name == NULL || strlen(name) >= sizeof iconv_cache[0].name)
		return (iconv_t)-1;
	for (i = 0; i < ICONV_CACHE; i++) {
		if (iconv_cache[i].name[0] != '\0' &&
		    strcmp(iconv_cache[i].name, name) == 0) {
			iconv_cache[i].used = ++clock;
			iconv(iconv_cache[i].cd, NULL, NULL, NULL, NULL);
			return iconv_cache[i].cd;
		}
		if (iconv_cache[i].used < iconv_cache[lru].used)
			lru = i;
	}
	if ((cd = g_mime_iconv_open("UTF-8", name)) == (iconv_t)-1)
		return cd;
	if (iconv_cache[lru].name[0] != '\0')
		g_mime_iconv_close(iconv_cache[lru].cd);
	snprintf(iconv_cache[lru].name, sizeof iconv_cache[lru].name, "%s",
	    name);
	iconv_cache[lru].cd = cd;
	iconv_cache[lru].used = ++clock;
	return cd;
}

/* Convert with iconv, one U+FFFD per byte it cannot read; false if it cannot open cs. */
static bool
iconv_convert(const char *cs, const char *s, size_t n, struct strbuf *out)
{
	char buf[4096], *in = (char *)s, *o;
	size_t inleft = n, oleft, rc;
	iconv_t cd;

	if ((cd = iconv_get(cs)) == (iconv_t)-1)
		return false;
	while (inleft > 0) {
		o = buf;
		oleft = sizeof buf;
		rc = iconv(cd, &in, &inleft, &o, &oleft);
		strbuf_add(out, buf, (size_t)(o - buf));
		if (rc != (size_t)-1)
			continue;
		if (errno == E2BIG && o != buf)
			continue;
		strbuf_addstr(out, FFFD);
		if (errno != EILSEQ)	/* EINVAL: cut short at the end */
			break;
		in++;
		inleft--;
	}
	o = buf;
	oleft = sizeof buf;
	iconv(cd, NULL, NULL, &o, &oleft);
	strbuf_add(out, buf, (size_t)(o - buf));
	return true;
}

/* s[0..n) in charset cs as clean UTF-8 text (add_text) appended to out. */
static void
to_utf8(const char *cs, const char *s, size_t n, struct strbuf *out)
{
	struct strbuf conv = STRBUF_INIT;
	const char *eff = effective_charset(cs, s, n);

	/* A charset iconv does not know is read as if undeclared. */
	if (strcmp(eff, "UTF-8") != 0 && !iconv_convert(eff, s, n, &conv))
		eff = effective_charset(NULL, s, n);
	if (strcmp(eff, "UTF-8") == 0)
		add_text(out, s, n);
	else if (conv.len > 0 || iconv_convert(eff, s, n, &conv))
		add_text(out, conv.buf, conv.len);
	strbuf_release(&conv);
}

/* ---- HTML to text ---------------------------------------------------------------- */

#define H2T_MAX_QUOTE_DIVS 32
#define H2T_MAX_LISTS 16

struct h2t {
	struct strbuf out;
	int blockquotes;		/* open <blockquote> elements */
	int divs;			/* open <div> elements */
	int quote_divs[H2T_MAX_QUOTE_DIVS]; /* div depth of each quoting div */
	int nquote_divs;
	int rest_quoted;		/* after Outlook's reply header */
	int pre;
	char skip[16];			/* element whose content is dropped */
	bool line_start;
	bool space;
	int lists[H2T_MAX_LISTS];	/* next number of each <ol>, 0 for <ul> */
	int nlists;
};

static int
h2t_level(const struct h2t *h)
{
	int n = h->blockquotes + h->nquote_divs + h->rest_quoted;

	return n > 8 ? 8 : n;
}

static void
h2t_newline(struct h2t *h)
{
	while (h->out.len > 0 && h->out.buf[h->out.len - 1] == ' ' &&
	    !h->line_start)
		strbuf_setlen(&h->out, h->out.len - 1);
	strbuf_addch(&h->out, '\n');
	h->line_start = true;
	h->space = false;
}

static void
h2t_block(struct h2t *h)
{
	if (!h->line_start)
		h2t_newline(h);
}

/* Before visible content: the quote marks of a new line, a pending space. */
static void
h2t_begin(struct h2t *h)
{
	int i, level;

	if (h->line_start) {
		level = h2t_level(h);
		for (i = 0; i < level; i++)
			strbuf_addch(&h->out, '>');
		if (level > 0)
			strbuf_addch(&h->out, ' ');
		h->line_start = false;
	} else if (h->space) {
		strbuf_addch(&h->out, ' ');
	}
	h->space = false;
}

static void
h2t_put(struct h2t *h, const char *s, size_t n)
{
	h2t_begin(h);
	strbuf_add(&h->out, s, n);
}

static void
h2t_put_cp(struct h2t *h, unsigned long cp)
{
	char b[4];
	size_t n;

	if (cp == 0xA0) {	/* &nbsp; does not collapse */
		h2t_begin(h);
		strbuf_addch(&h->out, ' ');
		return;
	}
	if (cp == 0 || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
		cp = 0xFFFD;
	if (cp < 0x80) {
		b[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		b[0] = (char)(0xC0 | cp >> 6);
		b[1] = (char)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		b[0] = (char)(0xE0 | cp >> 12);
		b[1] = (char)(0x80 | (cp >> 6 & 0x3F));
		b[2] = (char)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		b[0] = (char)(0xF0 | cp >> 18);
		b[1] = (char)(0x80 | (cp >> 12 & 0x3F));
		b[2] = (char)(0x80 | (cp >> 6 & 0x3F));
		b[3] = (char)(0x80 | (cp & 0x3F));
		n = 4;
	}
	h2t_put(h, b, n);
}

/* HTML's named references for Latin-1 (U+00A0..U+00FF), in order. */
static const char *const latin1_entities[96] = {
	"nbsp", "iexcl", "cent", "pound", "curren", "yen", "brvbar", "sect",
	"uml", "copy", "ordf", "laquo", "not", "shy", "reg", "macr", "deg",
	"plusmn", "sup2", "sup3", "acute", "micro", "para", "middot", "cedil",
	"sup1", "ordm", "raquo", "frac14", "frac12", "frac34", "iquest",
	"Agrave", "Aacute", "Acirc", "Atilde", "Auml", "Aring", "AElig",
	"Ccedil", "Egrave", "Eacute", "Ecirc", "Euml", "Igrave", "Iacute",
	"Icirc", "Iuml", "ETH", "Ntilde", "Ograve", "Oacute", "Ocirc",
	"Otilde", "Ouml", "times", "Oslash", "Ugrave", "Uacute", "Ucirc",
	"Uuml", "Yacute", "THORN", "szlig", "agrave", "aacute", "acirc",
	"atilde", "auml", "aring", "aelig", "ccedil", "egrave", "eacute",
	"ecirc", "euml", "igrave", "iacute", "icirc", "iuml", "eth", "ntilde",
	"ograve", "oacute", "ocirc", "otilde", "ouml", "divide", "oslash",
	"ugrave", "uacute", "ucirc", "uuml", "yacute", "thorn", "yuml",
};

static const struct {
	const char *name;
	unsigned long cp;
} other_entities[] = {
	{ "amp", '&' }, { "lt", '<' }, { "gt", '>' }, { "quot", '"' },
	{ "apos", '\'' }, { "OElig", 0x152 }, { "oelig", 0x153 },
	{ "Scaron", 0x160 }, { "scaron", 0x161 }, { "Yuml", 0x178 },
	{ "fnof", 0x192 }, { "circ", 0x2C6 }, { "tilde", 0x2DC },
	{ "ensp", 0x2002 }, { "emsp", 0x2003 }, { "thinsp", 0x2009 },
	{ "zwnj", 0x200C }, { "zwj", 0x200D }, { "lrm", 0x200E },
	{ "rlm", 0x200F }, { "ndash", 0x2013 }, { "mdash", 0x2014 },
	{ "lsquo", 0x2018 }, { "rsquo", 0x2019 }, { "sbquo", 0x201A },
	{ "ldquo", 0x201C }, { "rdquo", 0x201D }, { "bdquo", 0x201E },
	{ "dagger", 0x2020 }, { "Dagger", 0x2021 }, { "bull", 0x2022 },
	{ "hellip", 0x2026 }, { "permil", 0x2030 }, { "prime", 0x2032 },
	{ "lsaquo", 0x2039 }, { "rsaquo", 0x203A }, { "euro", 0x20AC },
	{ "trade", 0x2122 }, { "larr", 0x2190 }, { "rarr", 0x2192 },
	{ "hearts", 0x2665 },
};

/* What the HTML standard makes of &#128; .. &#159; (Windows-1252). */
static const unsigned short c1_as_1252[32] = {
	0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD,
	0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178,
};

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* A character reference at s ('&'): bytes taken, 0 when it is none. */
static size_t
entity(const char *s, size_t n, unsigned long *cp)
{
	size_t i = 1, k;
	unsigned long v = 0;
	bool hex;
	int d;

	if (n > 2 && s[1] == '#') {
		hex = s[2] == 'x' || s[2] == 'X';
		i = hex ? 3 : 2;
		k = i;
		while (i < n && (d = hex ? hexval((unsigned char)s[i]) :
		    (s[i] >= '0' && s[i] <= '9' ? s[i] - '0' : -1)) >= 0) {
			if (v <= 0x10FFFF)
				v = v * (hex ? 16 : 10) + (unsigned long)d;
			i++;
		}
		if (i == k)
			return 0;
		if (i < n && s[i] == ';')
			i++;
		if (v >= 0x80 && v < 0xA0)
			v = c1_as_1252[v - 0x80];
		*cp = v;
		return i;
	}
	while (i < n && i < 10 && ((s[i] >= 'a' && s[i] <= 'z') ||
	    (s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9')))
		i++;
	if (i == 1 || i >= n || s[i] != ';')
		return 0;
	k = i - 1;
	for (d = 0; d < 96; d++)
		if (strlen(latin1_entities[d]) == k &&
		    memcmp(latin1_entities[d], s + 1, k) == 0) {
			*cp = 0xA0 + (unsigned long)d;
			return i + 1;
		}
	for (d = 0; d < (int)(sizeof other_entities / sizeof other_entities[0]);
	    d++)
		if (strlen(other_entities[d].name) == k &&
		    memcmp(other_entities[d].name, s + 1, k) == 0) {
			*cp = other_entities[d].cp;
			return i + 1;
		}
	return 0;
}

struct tag {
	char name[16];
	bool closing;
	bool self_closing;
	char cls[256];
	char id[64];
};

/* Whether the space-separated class list holds word (ASCII case ignored). */
static bool
has_class(const char *cls, const char *word)
{
	size_t n = strlen(word);
	const char *p = cls;

	while (*p != '\0') {
		while (*p == ' ')
			p++;
		if (strncasecmp(p, word, n) == 0 && (p[n] == ' ' ||
		    p[n] == '\0'))
			return true;
		while (*p != '\0' && *p != ' ')
			p++;
	}
	return false;
}

static void
copy_attr(char *dst, size_t cap, const char *v, size_t n)
{
	size_t i, k = 0;

	for (i = 0; i < n && k + 1 < cap; i++)
		dst[k++] = strchr("\t\n\r\f", v[i]) != NULL ? ' ' : v[i];
	dst[k] = '\0';
}

/*
 * Read the tag at s[0] == '<' into t; bytes taken, or 0 when s does not
 * start a tag (it is then text).  An unterminated tag takes the rest.
 */
static size_t
read_tag(const char *s, size_t n, struct tag *t)
{
	size_t i = 1, k = 0, an, vb, vn;
	const char *a;
	char q;

	memset(t, 0, sizeof *t);
	if (i < n && s[i] == '/') {
		t->closing = true;
		i++;
	}
	if (i >= n || !((s[i] >= 'a' && s[i] <= 'z') ||
	    (s[i] >= 'A' && s[i] <= 'Z')))
		return 0;
	while (i < n && strchr(" \t\n\r\f/>", s[i]) == NULL) {
		if (k + 1 < sizeof t->name)
			t->name[k++] = (char)(s[i] >= 'A' && s[i] <= 'Z' ?
			    s[i] - 'A' + 'a' : s[i]);
		i++;
	}
	t->name[k] = '\0';
	for (;;) {
		while (i < n && strchr(" \t\n\r\f", s[i]) != NULL)
			i++;
		if (i >= n)
			return n;
		if (s[i] == '>')
			return i + 1;
		if (s[i] == '/') {
			t->self_closing = i + 1 < n && s[i + 1] == '>';
			i++;
			continue;
		}
		a = s + i;
		while (i < n && strchr(" \t\n\r\f/>=", s[i]) == NULL)
			i++;
		an = (size_t)(s + i - a);
		if (an == 0)
			an = 1, i++;
		while (i < n && strchr(" \t\n\r\f", s[i]) != NULL)
			i++;
		vb = i;
		vn = 0;
		if (i < n && s[i] == '=') {
			i++;
			while (i < n && strchr(" \t\n\r\f", s[i]) != NULL)
				i++;
			if (i < n && (s[i] == '"' || s[i] == '\'')) {
				q = s[i++];
				vb = i;
				while (i < n && s[i] != q)
					i++;
				vn = i - vb;
				if (i < n)
					i++;
			} else {
				vb = i;
				while (i < n && strchr(" \t\n\r\f>", s[i]) ==
				    NULL)
					i++;
				vn = i - vb;
			}
		}
		if (an == 5 && strncasecmp(a, "class", 5) == 0)
			copy_attr(t->cls, sizeof t->cls, s + vb, vn);
		else if (an == 2 && strncasecmp(a, "id", 2) == 0)
			copy_attr(t->id, sizeof t->id, s + vb, vn);
	}
}

static bool
tag_in(const char *name, const char *const *list)
{
	for (; *list != NULL; list++)
		if (strcmp(name, *list) == 0)
			return true;
	return false;
}

/* Outlook's marker before the original, in its web and desktop spellings. */
static bool
reply_header_marker(const struct tag *t)
{
	static const char *const ids[] = { "divRplyFwdMsg", "x_divRplyFwdMsg",
		"appendonsend", "x_appendonsend", NULL };
	const char *const *p;

	for (p = ids; *p != NULL; p++)
		if (strcasecmp(t->id, *p) == 0)
			return true;
	return false;
}

static void
h2t_tag(struct h2t *h, const struct tag *t)
{
	static const char *const dropped[] = { "style", "script", "head",
		"title", "template", "xml", "noscript", "svg", "object", NULL };
	static const char *const blocks[] = { "p", "div", "tr", "table", "h1",
		"h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd",
		"section", "article", "header", "footer", "center", "form",
		"address", "pre", "blockquote", "hr", "body", "html", "aside",
		"nav", "main", "figure", "caption", NULL };
	int i;

	if (h->skip[0] != '\0') {
		if (t->closing && strcmp(t->name, h->skip) == 0)
			h->skip[0] = '\0';
		return;
	}
	if (!t->closing && !t->self_closing && tag_in(t->name, dropped)) {
		snprintf(h->skip, sizeof h->skip, "%s", t->name);
		return;
	}
	if (strcmp(t->name, "br") == 0) {
		h2t_newline(h);
		return;
	}
	if (tag_in(t->name, blocks))
		h2t_block(h);
	if (strcmp(t->name, "td") == 0 || strcmp(t->name, "th") == 0) {
		h->space = !h->line_start;
		return;
	}
	if (strcmp(t->name, "pre") == 0) {
		h->pre += t->closing ? (h->pre > 0 ? -1 : 0) : 1;
	} else if (strcmp(t->name, "blockquote") == 0) {
		if (t->closing) {
			if (h->blockquotes > 0)
				h->blockquotes--;
		} else if (!t->self_closing) {
			h->blockquotes++;
		}
	} else if (strcmp(t->name, "div") == 0 && t->closing) {
		if (h->nquote_divs > 0 &&
		    h->quote_divs[h->nquote_divs - 1] == h->divs)
			h->nquote_divs--;
		if (h->divs > 0)
			h->divs--;
	} else if (strcmp(t->name, "div") == 0 && !t->self_closing) {
		h->divs++;
		if (reply_header_marker(t)) {
			h->rest_quoted = 1;
		} else if ((has_class(t->cls, "gmail_quote") ||
		    has_class(t->cls, "yahoo_quoted")) &&
		    h->nquote_divs < H2T_MAX_QUOTE_DIVS) {
			h->quote_divs[h->nquote_divs++] = h->divs;
		}
	} else if (strcmp(t->name, "ol") == 0 || strcmp(t->name, "ul") == 0) {
		if (t->closing) {
			if (h->nlists > 0)
				h->nlists--;
		} else if (h->nlists < H2T_MAX_LISTS) {
			h->lists[h->nlists++] = t->name[0] == 'o' ? 1 : 0;
		}
	} else if (strcmp(t->name, "li") == 0 && !t->closing) {
		char mark[16];

		i = h->nlists > 0 ? h->lists[h->nlists - 1] : 0;
		if (i > 0) {
			snprintf(mark, sizeof mark, "%d. ", i);
			h->lists[h->nlists - 1]++;
		} else {
			snprintf(mark, sizeof mark, "- ");
		}
		h2t_put(h, mark, strlen(mark));
	}
}

/* Skip past the end of a comment or declaration at s; bytes taken. */
static size_t
skip_markup(const char *s, size_t n)
{
	const char *end;

	if (n >= 4 && memcmp(s, "<!--", 4) == 0) {
		for (end = s + 4; end + 3 <= s + n; end++)
			if (memcmp(end, "-->", 3) == 0)
				return (size_t)(end + 3 - s);
		return n;
	}
	end = memchr(s, '>', n);
	return end ? (size_t)(end + 1 - s) : n;
}

char *
mime_html_to_text(const char *html, size_t len)
{
	struct h2t h;
	struct tag t;
	struct strbuf clean = STRBUF_INIT;
	size_t i = 0, k;
	unsigned long cp;
	unsigned char c;

	memset(&h, 0, sizeof h);
	strbuf_init(&h.out);
	h.line_start = true;
	while (i < len && h.out.len < MIME_MAX_TEXT) {
		c = (unsigned char)html[i];
		if (c == '<') {
			if (i + 1 < len && (html[i + 1] == '!' ||
			    html[i + 1] == '?')) {
				i += skip_markup(html + i, len - i);
				continue;
			}
			if ((k = read_tag(html + i, len - i, &t)) > 0) {
				h2t_tag(&h, &t);
				i += k;
				continue;
			}
		}
		if (h.skip[0] != '\0') {
			i++;
			continue;
		}
		if (c == '&' && (k = entity(html + i, len - i, &cp)) > 0) {
			h2t_put_cp(&h, cp);
			i += k;
		} else if (strchr(" \t\n\r\f", c) != NULL && c != '\0') {
			if (h.pre > 0 && c == '\n')
				h2t_newline(&h);
			else if (h.pre > 0 && c != '\r')
				h2t_put(&h, " ", 1);
			else if (!h.line_start)
				h.space = true;
			i++;
		} else {
			for (k = 1; i + k < len && strchr("<&\t\n\r\f ",
			    html[i + k]) == NULL && html[i + k] != '\0'; k++)
				;
			h2t_put(&h, html + i, k);
			i += k;
		}
	}
	add_text(&clean, h.out.buf, h.out.len);
	strbuf_release(&h.out);
	return strbuf_detach(&clean, NULL);
}

/* ---- format=flowed (RFC 3676) ------------------------------------------------------ */

static char *
unflow(const char *s, bool delsp)
{
	struct strbuf out = STRBUF_INIT;
	const char *eol, *p;
	size_t depth, n, i, prev_depth = 0;
	bool prev_flowed = false, flowed, first = true;

	for (;;) {
		if ((eol = strchr(s, '\n')) == NULL)
			eol = s + strlen(s);
		for (p = s, depth = 0; p < eol && *p == '>'; p++)
			depth++;
		if (p < eol && *p == ' ')
			p++;	/* space-stuffing */
		n = (size_t)(eol - p);
		flowed = n > 0 && p[n - 1] == ' ' &&
		    !(n == 3 && memcmp(p, "-- ", 3) == 0);
		if (flowed && delsp)
			n--;
		if (!(prev_flowed && depth == prev_depth)) {
			if (!first)
				strbuf_addch(&out, '\n');
			for (i = 0; i < depth; i++)
				strbuf_addch(&out, '>');
			if (depth > 0)
				strbuf_addch(&out, ' ');
		}
		first = false;
		strbuf_add(&out, p, n);
		prev_flowed = flowed;
		prev_depth = depth;
		if (*eol == '\0')
			break;
		s = eol + 1;
	}
	return strbuf_detach(&out, NULL);
}

/* ---- parts --------------------------------------------------------------------------- */

static bool
type_is(GMimeObject *o, const char *type, const char *subtype)
{
	GMimeContentType *ct = g_mime_object_get_content_type(o);

	return ct != NULL && g_mime_content_type_is_type(ct, type, subtype);
}

static bool
is_attachment(GMimeObject *o)
{
	const char *d = g_mime_object_get_disposition(o);

	return d != NULL && g_ascii_strcasecmp(d, "attachment") == 0;
}

/* The part's content with its transfer encoding undone. */
static void
part_bytes(GMimeObject *o, struct strbuf *out)
{
	GMimeDataWrapper *w;
	GMimeStream *mem;
	GByteArray *a;

	if (!GMIME_IS_PART(o) || (w = g_mime_part_get_content(GMIME_PART(o)))
	    == NULL)
		return;
	mem = g_mime_stream_mem_new();
	g_mime_data_wrapper_write_to_stream(w, mem);
	a = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem));
	if (a != NULL && a->len > 0)
		strbuf_add(out, a->data, a->len);
	g_object_unref(mem);
}

struct walk {
	int parts;
};

/*
 * The part holding what the person wrote: the first inline text/plain or
 * text/html, text/plain preferred among alternatives; not inside attached
 * or forwarded messages, not in encrypted parts.
 */
static GMimeObject *
find_text(GMimeObject *o, int depth, struct walk *w, bool top)
{
	GMimeMultipart *mp;
	GMimeObject *f, *html = NULL;
	int i, n;

	if (o == NULL || depth > MIME_MAX_DEPTH || ++w->parts > MIME_MAX_PARTS)
		return NULL;
	if (GMIME_IS_MULTIPART(o)) {
		if (type_is(o, "multipart", "encrypted"))
			return NULL;
		mp = GMIME_MULTIPART(o);
		n = g_mime_multipart_get_count(mp);
		for (i = 0; i < n; i++) {
			f = find_text(g_mime_multipart_get_part(mp, i),
			    depth + 1, w, false);
			if (f == NULL)
				continue;
			if (!type_is(o, "multipart", "alternative") ||
			    type_is(f, "text", "plain"))
				return f;
			if (html == NULL)
				html = f;
		}
		return html;
	}
	if (GMIME_IS_PART(o) && (type_is(o, "text", "plain") ||
	    type_is(o, "text", "html")) && (top || !is_attachment(o)))
		return o;
	return NULL;
}

/* Cut s to at most max bytes, between characters. */
static void
cut_text(char *s, size_t max)
{
	size_t n = strlen(s);

	if (n <= max)
		return;
	while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
		max--;
	s[max] = '\0';
}

static char *
part_text(GMimeObject *o, enum mime_text_source *src)
{
	struct strbuf raw = STRBUF_INIT, utf = STRBUF_INIT;
	const char *format, *delsp;
	char *text;

	part_bytes(o, &raw);
	to_utf8(g_mime_object_get_content_type_parameter(o, "charset"),
	    raw.buf, raw.len, &utf);
	strbuf_release(&raw);
	if (type_is(o, "text", "html")) {
		text = mime_html_to_text(utf.buf, utf.len);
		*src = MIME_TEXT_HTML;
	} else {
		format = g_mime_object_get_content_type_parameter(o, "format");
		delsp = g_mime_object_get_content_type_parameter(o, "delsp");
		if (format != NULL && g_ascii_strcasecmp(format, "flowed") == 0)
			text = unflow(utf.buf, delsp != NULL &&
			    g_ascii_strcasecmp(delsp, "yes") == 0);
		else
			text = xstrdup(utf.buf);
		*src = MIME_TEXT_PLAIN;
	}
	strbuf_release(&utf);
	cut_text(text, MIME_MAX_TEXT);
	return text;
}

/* ---- RFC 3464 fields ------------------------------------------------------------------- */

struct field {
	int group;
	char name[40];
	struct strbuf value;
};

struct fields {
	struct field *v;
	size_t n;
	size_t cap;
};

#define MAX_FIELDS 1000

/*
 * "Name: value" lines with continuation lines, in groups separated by
 * blank lines: the per-message and per-recipient blocks of a
 * message/delivery-status, or a returned header section.
 */
static void
fields_parse(const char *s, size_t n, struct fields *f)
{
	const char *end = s + n, *eol, *colon, *v;
	struct field *fl;
	size_t len, k;
	int group = 0;
	bool in_group = false;

	while (s < end) {
		if ((eol = memchr(s, '\n', (size_t)(end - s))) == NULL)
			eol = end;
		len = (size_t)(eol - s);
		if (len > 0 && s[len - 1] == '\r')
			len--;
		for (k = 0; k < len && (s[k] == ' ' || s[k] == '\t'); k++)
			;
		if (k == len) {
			if (in_group)
				group++;
			in_group = false;
		} else if (k > 0) {
			if (f->n > 0 && f->v[f->n - 1].group == group &&
			    in_group && f->v[f->n - 1].value.len <
			    MIME_MAX_VALUE) {
				strbuf_addch(&f->v[f->n - 1].value, ' ');
				strbuf_add(&f->v[f->n - 1].value, s + k,
				    len - k);
			}
		} else if ((colon = memchr(s, ':', len)) != NULL &&
		    (size_t)(colon - s) < sizeof fl->name && f->n < MAX_FIELDS) {
			XGROW(f->v, f->n + 1, f->cap);
			fl = &f->v[f->n++];
			fl->group = group;
			for (k = 0; s + k < colon; k++)
				fl->name[k] = (char)g_ascii_tolower(s[k]);
			while (k > 0 && (fl->name[k - 1] == ' ' ||
			    fl->name[k - 1] == '\t'))
				k--;
			fl->name[k] = '\0';
			strbuf_init(&fl->value);
			v = colon + 1;
			strbuf_add(&fl->value, v, (size_t)(s + len - v));
			in_group = true;
		}
		s = eol < end ? eol + 1 : end;
	}
}

static void
fields_free(struct fields *f)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		strbuf_release(&f->v[i].value);
	free(f->v);
}

static const char *
field_get(const struct fields *f, int group, const char *name)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		if (f->v[i].group == group && strcmp(f->v[i].name, name) == 0)
			return f->v[i].value.buf;
	return NULL;
}

/* "rfc822; <bob@example.org>" -> "bob@example.org" */
static char *
dsn_address(const char *v)
{
	const char *semi;
	char *a, *p;
	size_t n;

	if (v == NULL)
		return NULL;
	if ((semi = strchr(v, ';')) != NULL)
		v = semi + 1;
	if ((a = clean_value(v)) == NULL)
		return NULL;
	n = strlen(a);
	if (n >= 2 && a[0] == '<' && a[n - 1] == '>') {
		memmove(a, a + 1, n - 2);
		a[n - 2] = '\0';
	}
	for (p = a; *p != '\0'; p++)
		if (*p == ' ')
			break;
	if (*p != '\0' || a[0] == '\0') {
		free(a);
		return NULL;
	}
	return a;
}

static enum mime_dsn_action
dsn_action(const char *v)
{
	static const char *const names[] = { "failed", "delayed", "delivered",
		"relayed", "expanded" };
	size_t i, n;

	if (v == NULL)
		return MIME_DSN_UNKNOWN;
	while (*v == ' ' || *v == '\t')
		v++;
	for (n = 0; g_ascii_isalpha(v[n]); n++)
		;
	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strlen(names[i]) == n && g_ascii_strncasecmp(v, names[i],
		    n) == 0)
			return (enum mime_dsn_action)i;
	return MIME_DSN_UNKNOWN;
}

/* "5.1.1 (bad mailbox)" -> "5.1.1"; NULL unless class.subject.detail. */
static char *
dsn_status(const char *v)
{
	size_t i = 0, part, digits;

	if (v == NULL)
		return NULL;
	while (*v == ' ' || *v == '\t')
		v++;
	if (v[0] != '2' && v[0] != '4' && v[0] != '5')
		return NULL;
	for (part = 0; part < 3; part++) {
		for (digits = 0; g_ascii_isdigit(v[i]) && digits < 4; i++)
			digits++;
		if (digits == 0 || digits > 3 || (part == 0 && digits != 1))
			return NULL;
		if (part < 2 && v[i++] != '.')
			return NULL;
	}
	if (g_ascii_isdigit(v[i]) || v[i] == '.')
		return NULL;
	return xstrndup(v, i);
}

static char *
msgid_value(const char *v)
{
	char *id, *clean;

	if (v == NULL || (id = g_mime_utils_decode_message_id(v)) == NULL)
		return NULL;
	clean = clean_value(id);
	g_free(id);
	return clean;
}

static void
dsn_fields(struct mime_msg *m, const struct fields *f, char **orig_id)
{
	struct mime_dsn_rcpt *r;
	const char *final, *origr, *v;
	int g, last = f->n > 0 ? f->v[f->n - 1].group : -1;
	size_t cap = m->ndsn;

	for (g = 0; g <= last; g++) {
		final = field_get(f, g, "final-recipient");
		origr = field_get(f, g, "original-recipient");
		if (final == NULL && origr == NULL) {
			if (*orig_id == NULL && ((v = field_get(f, g,
			    "original-message-id")) != NULL || (v = field_get(f,
			    g, "x-original-message-id")) != NULL))
				*orig_id = msgid_value(v);
			continue;
		}
		if (m->ndsn == MIME_MAX_LIST)
			break;
		XGROW(m->dsn, m->ndsn + 1, cap);
		r = &m->dsn[m->ndsn];
		memset(r, 0, sizeof *r);
		r->address = dsn_address(final ? final : origr);
		r->original = dsn_address(origr);
		if (r->address == NULL) {
			free(r->original);
			continue;
		}
		r->action = dsn_action(field_get(f, g, "action"));
		r->status = dsn_status(field_get(f, g, "status"));
		r->permanent = r->status != NULL ? r->status[0] == '5' :
		    r->action == MIME_DSN_FAILED;
		r->diagnostic = clean_value(field_get(f, g, "diagnostic-code"));
		m->ndsn++;
	}
}

/* The report's parts: the status fields, the returned message or headers. */
static void
read_dsn(struct mime_msg *m, GMimeObject *report)
{
	GMimeMultipart *mp = GMIME_MULTIPART(report);
	GMimeObject *c;
	GMimeMessage *orig;
	struct fields f;
	struct strbuf raw;
	char *status_id = NULL, *returned_id = NULL;
	int i, n = g_mime_multipart_get_count(mp);

	for (i = 0; i < n && i < MIME_MAX_PARTS; i++) {
		c = g_mime_multipart_get_part(mp, i);
		memset(&f, 0, sizeof f);
		strbuf_init(&raw);
		if (type_is(c, "message", "delivery-status") ||
		    type_is(c, "message", "global-delivery-status")) {
			part_bytes(c, &raw);
			fields_parse(raw.buf, raw.len, &f);
			dsn_fields(m, &f, &status_id);
		} else if (GMIME_IS_MESSAGE_PART(c)) {
			orig = g_mime_message_part_get_message(
			    GMIME_MESSAGE_PART(c));
			if (orig != NULL && returned_id == NULL)
				returned_id = clean_value(
				    g_mime_message_get_message_id(orig));
		} else if (type_is(c, "text", "rfc822-headers") ||
		    type_is(c, "message", "rfc822-headers") ||
		    type_is(c, "message", "global-headers")) {
			part_bytes(c, &raw);
			fields_parse(raw.buf, raw.len, &f);
			if (returned_id == NULL)
				returned_id = msgid_value(field_get(&f, 0,
				    "message-id"));
		}
		fields_free(&f);
		strbuf_release(&raw);
	}
	m->dsn_original_id = status_id ? status_id : returned_id;
	if (status_id != NULL)
		free(returned_id);
}

/* ---- robots -------------------------------------------------------------------------- */

/* The first word of a header value, compared without case. */
static bool
value_is(const char *v, const char *word)
{
	size_t n = strlen(word);

	while (*v == ' ' || *v == '\t')
		v++;
	return g_ascii_strncasecmp(v, word, n) == 0 &&
	    !g_ascii_isalnum(v[n]) && v[n] != '_' && v[n] != '-';
}

static bool
subject_out_of_office(const char *subject)
{
	static const char *const prefixes[] = {
		"automatic reply", "auto reply", "auto-reply", "autoreply",
		"auto:", "out of office", "out-of-office", "out of the office",
		"abwesenheitsnotiz", "abwesend", "automatische antwort",
		"réponse automatique", "reponse automatique",
		"absence du bureau", "absent du bureau", "message d'absence",
		"respuesta automática", "respuesta automatica",
		"fuera de la oficina", "automatisch antwoord", "afwezig",
		"risposta automatica", "fuori sede", "fuori ufficio",
		"resposta automática", "resposta automatica",
		"ausente do escritório", "automatiskt svar", "autosvar",
		"frånvaro", "odpowiedź automatyczna", "poza biurem", NULL,
	};
	const char *const *p;

	while (*subject == ' ')
		subject++;
	for (p = prefixes; *p != NULL; p++)
		if (g_ascii_strncasecmp(subject, *p, strlen(*p)) == 0)
			return true;
	return false;
}

static const char *
auto_reason(GMimeMessage *msg, const char *subject, const char *from)
{
	static const struct {
		const char *value;
		const char *reason;
	} precedence[] = {
		{ "auto_reply", "Precedence: auto_reply" },
		{ "bulk", "Precedence: bulk" },
		{ "junk", "Precedence: junk" },
		{ "list", "Precedence: list" },
	};
	GMimeObject *o = GMIME_OBJECT(msg);
	const char *v, *rt, *at;
	size_t i, n;

	if ((v = g_mime_object_get_header(o, "Auto-Submitted")) != NULL &&
	    !value_is(v, "no"))
		return "Auto-Submitted";
	if ((v = g_mime_object_get_header(o, "X-Autoreply")) != NULL &&
	    !value_is(v, "no") && !value_is(v, "false"))
		return "X-Autoreply";
	if (g_mime_object_get_header(o, "X-Autorespond") != NULL)
		return "X-Autorespond";
	if (g_mime_object_get_header(o, "X-Autogenerated") != NULL)
		return "X-Autogenerated";
	if ((v = g_mime_object_get_header(o, "Precedence")) != NULL ||
	    (v = g_mime_object_get_header(o, "X-Precedence")) != NULL)
		for (i = 0; i < sizeof precedence / sizeof precedence[0]; i++)
			if (value_is(v, precedence[i].value))
				return precedence[i].reason;
	if (type_is(g_mime_message_get_mime_part(msg), "multipart", "report") &&
	    (rt = g_mime_object_get_content_type_parameter(
	    g_mime_message_get_mime_part(msg), "report-type")) != NULL &&
	    g_ascii_strcasecmp(rt, "disposition-notification") == 0)
		return "read receipt";
	if ((v = g_mime_object_get_header(o, "Return-Path")) != NULL) {
		while (*v == ' ' || *v == '\t')
			v++;
		if (*v == '<') {
			for (v++; *v == ' ' || *v == '\t'; v++)
				;
			if (*v == '>')
				return "null Return-Path";
		}
	}
	if (from != NULL && (at = strchr(from, '@')) != NULL) {
		n = (size_t)(at - from);
		if ((n == 13 && g_ascii_strncasecmp(from, "mailer-daemon", n) ==
		    0) || (n == 10 && g_ascii_strncasecmp(from, "postmaster",
		    n) == 0))
			return "from the mail system";
	} else if (from != NULL && (g_ascii_strcasecmp(from, "mailer-daemon")
	    == 0 || g_ascii_strcasecmp(from, "postmaster") == 0)) {
		return "from the mail system";
	}
	if (subject_out_of_office(subject))
		return "out-of-office subject";
	return NULL;
}

static bool
is_dsn(GMimeObject *top)
{
	const char *rt;

	if (top == NULL || !GMIME_IS_MULTIPART(top) ||
	    !type_is(top, "multipart", "report"))
		return false;
	rt = g_mime_object_get_content_type_parameter(top, "report-type");
	return rt != NULL && (g_ascii_strcasecmp(rt, "delivery-status") == 0 ||
	    g_ascii_strcasecmp(rt, "global-delivery-status") == 0);
}

/* ---- headers ------------------------------------------------------------------------- */

static void
add_recipient(struct mime_msg *m, size_t *cap, const char *addr)
{
	char *a = clean_value(addr);
	size_t i;

	if (a == NULL)
		return;
	for (i = 0; i < m->nrecipients; i++)
		if (g_ascii_strcasecmp(m->recipients[i], a) == 0) {
			free(a);
			return;
		}
	if (m->nrecipients == MIME_MAX_LIST) {
		free(a);
		return;
	}
	XGROW(m->recipients, m->nrecipients + 1, *cap);
	m->recipients[m->nrecipients++] = a;
}

static void
add_address_list(struct mime_msg *m, size_t *cap, InternetAddressList *l,
    int depth)
{
	InternetAddress *ia;
	int i, n;

	if (l == NULL)
		return;
	n = internet_address_list_length(l);
	for (i = 0; i < n && i < 10 * MIME_MAX_LIST; i++) {
		ia = internet_address_list_get_address(l, i);
		if (INTERNET_ADDRESS_IS_MAILBOX(ia))
			add_recipient(m, cap, internet_address_mailbox_get_addr(
			    INTERNET_ADDRESS_MAILBOX(ia)));
		else if (INTERNET_ADDRESS_IS_GROUP(ia) && depth == 0)
			add_address_list(m, cap,
			    internet_address_group_get_members(
			    INTERNET_ADDRESS_GROUP(ia)), 1);
	}
}

static void
read_recipients(struct mime_msg *m, GMimeMessage *msg)
{
	static const char *const delivery[] = { "Delivered-To",
		"X-Original-To", "Envelope-To", "X-Envelope-To", NULL };
	GMimeHeaderList *hl = g_mime_object_get_header_list(GMIME_OBJECT(msg));
	InternetAddressList *l;
	GMimeHeader *h;
	const char *const *name;
	size_t cap = 0;
	int i, n = hl ? g_mime_header_list_get_count(hl) : 0;

	for (name = delivery; *name != NULL; name++)
		for (i = 0; i < n; i++) {
			h = g_mime_header_list_get_header_at(hl, i);
			if (h == NULL || g_ascii_strcasecmp(
			    g_mime_header_get_name(h), *name) != 0 ||
			    g_mime_header_get_raw_value(h) == NULL)
				continue;
			l = internet_address_list_parse(parser_options,
			    g_mime_header_get_raw_value(h));
			add_address_list(m, &cap, l, 0);
			if (l != NULL)
				g_object_unref(l);
		}
	add_address_list(m, &cap, g_mime_message_get_addresses(msg,
	    GMIME_ADDRESS_TYPE_TO), 0);
	add_address_list(m, &cap, g_mime_message_get_addresses(msg,
	    GMIME_ADDRESS_TYPE_CC), 0);
}

static InternetAddressMailbox *
first_mailbox(InternetAddressList *l, int depth)
{
	InternetAddress *ia;
	InternetAddressMailbox *mb;
	int i, n;

	if (l == NULL)
		return NULL;
	n = internet_address_list_length(l);
	for (i = 0; i < n && i < MIME_MAX_LIST; i++) {
		ia = internet_address_list_get_address(l, i);
		if (INTERNET_ADDRESS_IS_MAILBOX(ia))
			return INTERNET_ADDRESS_MAILBOX(ia);
		if (INTERNET_ADDRESS_IS_GROUP(ia) && depth == 0 &&
		    (mb = first_mailbox(internet_address_group_get_members(
		    INTERNET_ADDRESS_GROUP(ia)), 1)) != NULL)
			return mb;
	}
	return NULL;
}

static void
read_ids(struct mime_msg *m, GMimeMessage *msg)
{
	GMimeObject *o = GMIME_OBJECT(msg);
	GMimeReferences *refs;
	const char *v;
	size_t cap = 0;
	int i, n, from;

	m->message_id = clean_value(g_mime_message_get_message_id(msg));
	m->in_reply_to = msgid_value(g_mime_object_get_header(o,
	    "In-Reply-To"));
	if ((v = g_mime_object_get_header(o, "References")) == NULL ||
	    (refs = g_mime_references_parse(parser_options, v)) == NULL)
		return;
	n = g_mime_references_length(refs);
	from = n > MIME_MAX_LIST ? n - MIME_MAX_LIST : 0;
	for (i = from; i < n; i++) {
		char *id = clean_value(g_mime_references_get_message_id(refs,
		    i));

		if (id == NULL)
			continue;
		XGROW(m->references, m->nreferences + 1, cap);
		m->references[m->nreferences++] = id;
	}
	g_mime_references_free(refs);
}

static void
read_date(struct mime_msg *m, GMimeMessage *msg)
{
	GDateTime *dt = g_mime_message_get_date(msg);
	int y, mo, d;

	m->day = DATE_NONE;
	if (dt == NULL)
		return;
	g_date_time_get_ymd(dt, &y, &mo, &d);
	if (!date_valid_ymd(y, mo, d))
		return;
	m->has_date = true;
	m->date = (long long)g_date_time_to_unix(dt);
	m->utc_offset = (int)(g_date_time_get_utc_offset(dt) /
	    G_TIME_SPAN_MINUTE);
	m->day = date_from_ymd(y, mo, d);
}

/* ---- the message --------------------------------------------------------------------- */

/* "Name:" at the start: what every message starts with. */
static bool
starts_with_header(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n && i < 200; i++) {
		unsigned char c = (unsigned char)p[i];

		if (c == ':')
			return i > 0;
		if ((c == ' ' || c == '\t') && i > 0) {
			while (i < n && (p[i] == ' ' || p[i] == '\t'))
				i++;
			return i < n && p[i] == ':';
		}
		if (c < 33 || c > 126)
			return false;
	}
	return false;
}

static int
not_a_mail(struct error *err, const char *why)
{
	return error_set(err, EX_DATAERR, "not an e-mail message: %s", why);
}

int
mime_parse(const char *buf, size_t len, struct mime_msg **out,
    struct error *err)
{
	GMimeStream *stream;
	GMimeParser *parser;
	GMimeMessage *msg;
	GMimeObject *top, *text;
	InternetAddressMailbox *from;
	struct mime_msg *m;
	struct walk w = { 0 };
	const char *p = buf, *nl;
	size_t n = len;

	*out = NULL;
	if (len == 0)
		return not_a_mail(err, "the input is empty");
	if (len > MIME_MAX_SIZE)
		return error_set(err, EX_DATAERR, "message of %zu bytes is "
		    "larger than the %d bytes accepted", len, MIME_MAX_SIZE);
	if (n >= 5 && memcmp(p, "From ", 5) == 0) {
		if ((nl = memchr(p, '\n', n)) == NULL)
			return not_a_mail(err, "only an mbox From line");
		n -= (size_t)(nl + 1 - p);
		p = nl + 1;
	}
	if (!starts_with_header(p, n))
		return not_a_mail(err, "it does not start with a header");
	mime_init();
	stream = g_mime_stream_mem_new_with_buffer(p, n);
	parser = g_mime_parser_new_with_stream(stream);
	g_mime_parser_set_format(parser, GMIME_FORMAT_MESSAGE);
	msg = g_mime_parser_construct_message(parser, parser_options);
	g_object_unref(parser);
	g_object_unref(stream);
	if (msg == NULL)
		return not_a_mail(err, "no header could be read");
	if (g_mime_object_get_header(GMIME_OBJECT(msg), "From") == NULL) {
		g_object_unref(msg);
		return not_a_mail(err, "it has no From header");
	}

	m = xcalloc(1, sizeof *m);
	if ((from = first_mailbox(g_mime_message_get_from(msg), 0)) != NULL) {
		m->from_addr = clean_value(internet_address_mailbox_get_addr(
		    from));
		m->from_name = clean_value(internet_address_get_name(
		    INTERNET_ADDRESS(from)));
	}
	read_ids(m, msg);
	read_recipients(m, msg);
	m->subject = clean_line(g_mime_message_get_subject(msg));
	if (m->subject == NULL)
		m->subject = xstrdup("");
	read_date(m, msg);

	top = g_mime_message_get_mime_part(msg);
	if (is_dsn(top)) {
		m->kind = MIME_DSN;
		read_dsn(m, top);
	} else if ((m->auto_reason = auto_reason(msg, m->subject,
	    m->from_addr)) != NULL) {
		m->kind = MIME_AUTO_REPLY;
	}
	if ((text = find_text(top, 0, &w, true)) != NULL)
		m->text = part_text(text, &m->text_source);
	else
		m->text = xstrdup("");
	g_object_unref(msg);
	*out = m;
	return 0;
}

void
mime_msg_free(struct mime_msg *m)
{
	size_t i;

	if (m == NULL)
		return;
	free(m->message_id);
	free(m->in_reply_to);
	for (i = 0; i < m->nreferences; i++)
		free(m->references[i]);
	free(m->references);
	free(m->from_addr);
	free(m->from_name);
	for (i = 0; i < m->nrecipients; i++)
		free(m->recipients[i]);
	free(m->recipients);
	free(m->subject);
	free(m->text);
	free(m->dsn_original_id);
	for (i = 0; i < m->ndsn; i++) {
		free(m->dsn[i].address);
		free(m->dsn[i].original);
		free(m->dsn[i].status);
		free(m->dsn[i].diagnostic);
	}
	free(m->dsn);
	free(m);
}
