#include "config/program_yaml.h"

#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <yaml.h>

#include "core/date.h"
#include "util/fileio.h"
#include "util/strbuf.h"
#include "util/tz.h"
#include "util/xmalloc.h"

/*
 * The programme file is walked through libyaml's document API with one
 * handler table per mapping (as netplan does): a key not in the table is an
 * error, so a misspelt optional setting cannot silently fall back to its
 * default.  Every handler reports into the diags and returns; the walk goes
 * on so that one `program check` shows all the problems at once.
 */

/* A file with more problems than this is probably not a programme at all. */
#define CFG_MAX_DIAGS 200
/* Aliases may reuse a node; bound the extra work they can cause. */
#define CFG_ALIAS_SLACK 10000
#define CFG_MAX_KEYS 24
#define CFG_MAX_ITEMS 1000
/*
 * libyaml spends time proportional to the flow nesting depth on every
 * token, so "[[[[..." makes it quadratic; no programme nests deeper than 5.
 */
#define CFG_MAX_DEPTH 32
#define CFG_SLUG_MAX 64
#define CFG_ID_MAX 64
#define CFG_EMAIL_MAX 254
#define CFG_LEVEL_MAX 1000
#define CFG_QUOTE_MAX 60
#define CFG_NQUOTE 4

/* cfg_key.flags */
#define CFG_REQUIRED 0x01     /* the key must be present with a value */
#define CFG_MULTILINE 0x02    /* strings: newlines and tabs allowed */
#define CFG_HAS 0x04          /* set the bool at has_off after success */
#define CFG_ZERO 0x08         /* durations: 0 is allowed */
#define CFG_BEFORE 0x10       /* durations: "N unit before" */
#define CFG_BEFORE_END 0x20   /* durations: "N unit before end" */
#define CFG_MIN_EXCL 0x40     /* numbers: strictly greater than min */

struct cfg {
	const char *name;
	yaml_document_t *doc;
	struct diags *d;
	struct program *p;
	size_t nerr;
	size_t visits;
	size_t max_visits;
	bool stop;
	/* room for escapes, "..." and the quotes of cfg_found() */
	char quote[CFG_NQUOTE][CFG_QUOTE_MAX * 4 + 16];
	unsigned nquote;
	/* cycle.reup values, checked against cycle.length at the end */
	yaml_node_t *reup_opens;
	yaml_node_t *reup_closes;
	/* the cycle block, checked against the format at the end */
	yaml_node_t *cycle_node;
	yaml_node_t *cycle_length_key;
	bool cycle_has_length;
	yaml_node_t *cycle_reup_key;
};

struct cfg_key;
typedef bool cfg_fn(struct cfg *, yaml_node_t *, const char *,
    void *, const struct cfg_key *);

struct cfg_key {
	const char *key;
	cfg_fn *fn;
	size_t off;                 /* destination inside the handler's base */
	int flags;
	double min, max;            /* numbers and integers */
	size_t has_off;             /* with CFG_HAS */
	const struct cfg_key *sub;  /* nested table for cfg_submap */
};

/* What cfg_map found for each key of its table. */
struct cfg_seen {
	yaml_node_t *key;
	yaml_node_t *value;   /* NULL when absent or null */
	bool ok;              /* the handler accepted the value */
};

static void cfg_error(struct cfg *, const yaml_node_t *, const char *, ...)
	__attribute__((format(printf, 3, 4)));

static void
cfg_diag(struct cfg *c, int line, int col, const char *fmt, va_list ap)
{
	struct strbuf sb = STRBUF_INIT;

	c->nerr++;
	if (c->stop)
		return;
	if (c->nerr > CFG_MAX_DIAGS) {
		diags_add(c->d, c->name, 0, 0,
		    "too many problems, stopping after %d", CFG_MAX_DIAGS);
		c->stop = true;
		return;
	}
	strbuf_vaddf(&sb, fmt, ap);
	diags_add(c->d, c->name, line, col, "%s", sb.buf);
	strbuf_release(&sb);
}

static void cfg_error_at(struct cfg *, int, int, const char *, ...)
	__attribute__((format(printf, 4, 5)));

static void
cfg_error_at(struct cfg *c, int line, int col, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cfg_diag(c, line, col, fmt, ap);
	va_end(ap);
}

/* libyaml marks count from 0, our diagnostics from 1. */
static void
cfg_error(struct cfg *c, const yaml_node_t *n, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cfg_diag(c, (int)n->start_mark.line + 1, (int)n->start_mark.column + 1,
	    fmt, ap);
	va_end(ap);
}

/*
 * Values are quoted in messages, which are one line each and may end up in
 * a terminal: escape control characters and cut long values.  The few
 * rotating buffers let one message quote several values.
 */
static const char *
cfg_quote_mem(struct cfg *c, const char *s, size_t len)
{
	char *buf = c->quote[c->nquote++ % CFG_NQUOTE];
	size_t i, n = 0, lim = len;
	unsigned char ch;

	if (lim > CFG_QUOTE_MAX) {
		lim = CFG_QUOTE_MAX;
		/* do not cut a UTF-8 sequence in half */
		while (lim > 0 && ((unsigned char)s[lim] & 0xc0) == 0x80)
			lim--;
	}
	for (i = 0; i < lim; i++) {
		ch = (unsigned char)s[i];
		if (ch == '\n') {
			buf[n++] = '\\';
			buf[n++] = 'n';
		} else if (ch == '\t') {
			buf[n++] = '\\';
			buf[n++] = 't';
		} else if (ch < 0x20 || ch == 0x7f) {
			buf[n++] = '\\';
			buf[n++] = 'x';
			buf[n++] = "0123456789abcdef"[ch >> 4];
			buf[n++] = "0123456789abcdef"[ch & 0xf];
		} else
			buf[n++] = (char)ch;
	}
	if (lim < len) {
		memcpy(buf + n, "...", 3);
		n += 3;
	}
	buf[n] = '\0';
	return buf;
}

static const char *
cfg_quote(struct cfg *c, const yaml_node_t *n)
{
	if (n->type != YAML_SCALAR_NODE)
		return "";
	return cfg_quote_mem(c, (const char *)n->data.scalar.value,
	    n->data.scalar.length);
}

static yaml_node_t *
cfg_node(struct cfg *c, int idx)
{
	return yaml_document_get_node(c->doc, idx);
}

/*
 * Without aliases every node is visited at most once; with them a small
 * file could make the walk (and the diagnostics) explode.
 */
static bool
cfg_visit(struct cfg *c)
{
	if (c->stop)
		return false;
	if (++c->visits > c->max_visits) {
		cfg_error_at(c, 0, 0,
		    "too many aliased nodes, stopping after %zu",
		    c->max_visits);
		c->stop = true;
		return false;
	}
	return true;
}

static bool
cfg_is_null(const yaml_node_t *n)
{
	const char *s;

	if (n->type != YAML_SCALAR_NODE ||
	    n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return false;
	s = (const char *)n->data.scalar.value;
	return strcmp(s, "") == 0 || strcmp(s, "~") == 0 ||
	    strcmp(s, "null") == 0 || strcmp(s, "Null") == 0 ||
	    strcmp(s, "NULL") == 0;
}

static const char *
cfg_found(struct cfg *c, const yaml_node_t *n)
{
	const char *q;
	char *buf;
	size_t len;

	switch (n->type) {
	case YAML_MAPPING_NODE:
		return "a mapping";
	case YAML_SEQUENCE_NODE:
		return "a list";
	case YAML_SCALAR_NODE:
		if (cfg_is_null(n))
			return "nothing";
		q = cfg_quote(c, n);
		len = strlen(q);   /* the buffers have room for two quotes */
		buf = c->quote[c->nquote++ % CFG_NQUOTE];
		buf[0] = '\'';
		memcpy(buf + 1, q, len);
		buf[len + 1] = '\'';
		buf[len + 2] = '\0';
		return buf;
	default:
		return "nothing";
	}
}

static char *
cfg_path(const char *path, const char *key)
{
	if (path == NULL || *path == '\0')
		return xstrdup(key);
	return xasprintf("%s.%s", path, key);
}

static char *
cfg_path_item(const char *path, size_t i)
{
	return xasprintf("%s[%zu]", path, i + 1);
}

static bool
cfg_expect(struct cfg *c, yaml_node_t *n, yaml_node_type_t type,
    const char *path)
{
	const char *what;

	if (n->type == type)
		return true;
	what = type == YAML_MAPPING_NODE ? "a mapping" : "a list";
	if (path[0] == '\0')
		cfg_error(c, n, "expected %s at the top level, found %s", what,
		    cfg_found(c, n));
	else
		cfg_error(c, n, "expected %s for %s, found %s", what, path,
		    cfg_found(c, n));
	return false;
}

/*
 * The scalar behind a node, as a C string.  libyaml keeps the length apart
 * because "\0" is a valid escape; a NUL inside would make every later
 * strcmp() see a different value than the user wrote, so refuse it here.
 */
static const char *
cfg_scalar(struct cfg *c, yaml_node_t *n, const char *path, const char *what)
{
	const char *s;

	if (n->type != YAML_SCALAR_NODE) {
		cfg_error(c, n, "expected %s for %s, found %s", what, path,
		    cfg_found(c, n));
		return NULL;
	}
	s = (const char *)n->data.scalar.value;
	if (strlen(s) != n->data.scalar.length) {
		cfg_error(c, n, "control character in value for %s", path);
		return NULL;
	}
	return s;
}

/*
 * Single-line strings end up in mail headers and CSV cells: no control
 * characters there, including the C1 range and the Unicode line and
 * paragraph separators that some mail clients break lines on.
 */
static bool
cfg_text_clean(const char *s, size_t len, bool multiline)
{
	const unsigned char *u = (const unsigned char *)s;
	const unsigned char *end = u + len;

	/* s is NUL-terminated, so looking two bytes ahead stays inside */
	for (; u < end; u++) {
		if (*u < 0x20 || *u == 0x7f) {
			if (multiline && (*u == '\n' || *u == '\t'))
				continue;
			return false;
		}
		if (u[0] == 0xc2 && u[1] >= 0x80 && u[1] <= 0x9f)
			return false;
		if (!multiline && u[0] == 0xe2 && u[1] == 0x80 &&
		    (u[2] == 0xa8 || u[2] == 0xa9))
			return false;
	}
	return true;
}

static bool
cfg_space(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\n';
}

/*
 * A non-empty string without control characters, trimmed (a folded ">"
 * scalar ends in a newline nobody meant), as a copy the caller owns; or
 * NULL after reporting.
 */
static char *
cfg_string(struct cfg *c, yaml_node_t *n, const char *path, bool multiline)
{
	const char *s, *e;

	if ((s = cfg_scalar(c, n, path, "a string")) == NULL)
		return NULL;
	e = s + strlen(s);
	while (s < e && cfg_space(*s))
		s++;
	while (e > s && cfg_space(e[-1]))
		e--;
	if (s == e) {
		cfg_error(c, n, "empty value for %s", path);
		return NULL;
	}
	if (!multiline && memchr(s, '\n', (size_t)(e - s)) != NULL) {
		cfg_error(c, n, "line break in value for %s "
		    "(expected one line)", path);
		return NULL;
	}
	if (!cfg_text_clean(s, (size_t)(e - s), multiline)) {
		cfg_error(c, n, "control character in value for %s", path);
		return NULL;
	}
	return xstrndup(s, (size_t)(e - s));
}

/* ---- scalars -------------------------------------------------------- */

static bool
cfg_all_digits(const char *s, size_t n)
{
	size_t i;

	if (n == 0)
		return false;
	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

/* Decimal integers only: YAML's 0x, 0o and 1_000 forms are not accepted. */
static int
cfg_parse_int(const char *s, long long *v)
{
	bool neg = false;
	long long r = 0;

	if (*s == '-' || *s == '+')
		neg = *s++ == '-';
	if (!cfg_all_digits(s, strlen(s)))
		return -1;
	for (; *s != '\0'; s++) {
		if (r > 100000000000LL)
			r = 100000000000LL;   /* saturate: out of every range */
		else
			r = r * 10 + (*s - '0');
	}
	*v = neg ? -r : r;
	return 0;
}

/*
 * A plain decimal: [+-]digits[.digits].  Parsed by hand rather than with
 * strtod() so that neither the locale's decimal separator nor strtod's
 * extras (hex, inf, nan) leak into the file format.  Up to 15 significant
 * digits divided by an exact power of ten gives the correctly rounded
 * double, the same one strtod() would.
 */
static int
cfg_parse_number(const char *s, double *v)
{
	char dig[32];
	size_t nd = 0, i;
	int frac = 0, exp10;
	bool neg = false, dot = false, any = false;
	uint64_t m = 0;
	double p10 = 1, r;

	if (*s == '-' || *s == '+')
		neg = *s++ == '-';
	for (; *s != '\0'; s++) {
		if (*s == '.') {
			if (dot)
				return -1;
			dot = true;
			continue;
		}
		if (*s < '0' || *s > '9')
			return -1;
		any = true;
		if (nd == 0 && *s == '0') {
			if (dot)
				frac++;
			continue;
		}
		if (nd >= sizeof dig)
			return -1;
		dig[nd++] = *s;
		if (dot)
			frac++;
	}
	if (!any)
		return -1;
	while (nd > 0 && dig[nd - 1] == '0') {
		nd--;
		frac--;
	}
	if (nd > 15 || frac > 22 || frac < -22)
		return -1;
	for (i = 0; i < nd; i++)
		m = m * 10 + (uint64_t)(dig[i] - '0');
	exp10 = frac < 0 ? -frac : frac;
	for (i = 0; i < (size_t)exp10; i++)
		p10 *= 10;
	r = frac >= 0 ? (double)m / p10 : (double)m * p10;
	*v = neg ? -r : r;
	return 0;
}

static void
cfg_range_error(struct cfg *c, yaml_node_t *n, const char *path,
    const struct cfg_key *k)
{
	if (k->max >= 1e9)
		cfg_error(c, n, "out-of-range value '%s' for %s "
		    "(expected %s %g)", cfg_quote(c, n), path,
		    k->flags & CFG_MIN_EXCL ? "more than" : "at least", k->min);
	else if (k->flags & CFG_MIN_EXCL)
		cfg_error(c, n, "out-of-range value '%s' for %s "
		    "(expected more than %g and at most %g)", cfg_quote(c, n),
		    path, k->min, k->max);
	else
		cfg_error(c, n, "out-of-range value '%s' for %s "
		    "(expected %g..%g)", cfg_quote(c, n), path, k->min, k->max);
}

static bool
cfg_int(struct cfg *c, yaml_node_t *n, const char *path, void *base,
    const struct cfg_key *k)
{
	const char *s;
	long long v;

	if ((s = cfg_scalar(c, n, path, "an integer")) == NULL)
		return false;
	if (cfg_parse_int(s, &v) == -1) {
		cfg_error(c, n, "invalid integer '%s' for %s", cfg_quote(c, n),
		    path);
		return false;
	}
	if ((double)v < k->min || (double)v > k->max) {
		cfg_range_error(c, n, path, k);
		return false;
	}
	*(int *)(void *)((char *)base + k->off) = (int)v;
	return true;
}

static bool
cfg_number(struct cfg *c, yaml_node_t *n, const char *path, void *base,
    const struct cfg_key *k)
{
	const char *s;
	double v;

	if ((s = cfg_scalar(c, n, path, "a number")) == NULL)
		return false;
	if (cfg_parse_number(s, &v) == -1) {
		cfg_error(c, n, "invalid number '%s' for %s", cfg_quote(c, n),
		    path);
		return false;
	}
	if (v < k->min || v > k->max || (k->flags & CFG_MIN_EXCL &&
	    v <= k->min)) {
		cfg_range_error(c, n, path, k);
		return false;
	}
	*(double *)(void *)((char *)base + k->off) = v;
	return true;
}

static bool
cfg_bool(struct cfg *c, yaml_node_t *n, const char *path, void *base,
    const struct cfg_key *k)
{
	static const char *const yes[] = { "true", "yes" };
	static const char *const no[] = { "false", "no" };
	const char *s;
	size_t i;

	if ((s = cfg_scalar(c, n, path, "true or false")) == NULL)
		return false;
	for (i = 0; i < 2; i++) {
		if (strcasecmp(s, yes[i]) == 0) {
			*(bool *)(void *)((char *)base + k->off) = true;
			return true;
		}
		if (strcasecmp(s, no[i]) == 0) {
			*(bool *)(void *)((char *)base + k->off) = false;
			return true;
		}
	}
	cfg_error(c, n, "invalid boolean '%s' for %s (expected true or false)",
	    cfg_quote(c, n), path);
	return false;
}

static bool
cfg_date(struct cfg *c, yaml_node_t *n, const char *path, void *base,
    const struct cfg_key *k)
{
	const char *s;
	int day;

	if ((s = cfg_scalar(c, n, path, "a date")) == NULL)
		return false;
	if (date_parse(s, &day) == -1) {
		/* Tell a typo in the form from a day the calendar lacks. */
		if (strlen(s) == 10 && cfg_all_digits(s, 4) && s[4] == '-' &&
		    cfg_all_digits(s + 5, 2) && s[7] == '-' &&
		    cfg_all_digits(s + 8, 2))
			cfg_error(c, n, "invalid date '%s' for %s "
			    "(no such day)", cfg_quote(c, n), path);
		else
			cfg_error(c, n, "invalid date '%s' for %s "
			    "(expected YYYY-MM-DD)", cfg_quote(c, n), path);
		return false;
	}
	*(int *)(void *)((char *)base + k->off) = day;
	return true;
}

static bool
cfg_str(struct cfg *c, yaml_node_t *n, const char *path, void *base,
    const struct cfg_key *k)
{
	char **dst = (char **)(void *)((char *)base + k->off);
	char *s;

	if ((s = cfg_string(c, n, path, k->flags & CFG_MULTILINE)) == NULL)
		return false;
	free(*dst);
	*dst = s;
	return true;
}

/* ---- durations ------------------------------------------------------ */

static const struct {
	const char *one, *many;
	enum date_unit unit;
	int max;        /* about ten years: date arithmetic stays in range */
	int min_days;   /* shortest and longest length of one unit */
	int max_days;
} cfg_units[] = {
	{ "day", "days", DATE_UNIT_DAY, 3660, 1, 1 },
	{ "week", "weeks", DATE_UNIT_WEEK, 522, 7, 7 },
	{ "month", "months", DATE_UNIT_MONTH, 120, 28, 31 },
	{ "year", "years", DATE_UNIT_YEAR, 10, 365, 366 },
};

#define CFG_NUNITS (sizeof cfg_units / sizeof cfg_units[0])

static int
cfg_dur_min_days(struct duration d)
{
	return d.n * cfg_units[d.unit].min_days;
}

static int
cfg_dur_max_days(struct duration d)
{
	return d.n * cfg_units[d.unit].max_days;
}

/* Splits s on blanks into at most nw words; returns the count or -1. */
static int
cfg_words(const char *s, char words[][16], int nw)
{
	int n = 0;
	size_t len;

	for (;;) {
		while (*s == ' ')
			s++;
		if (*s == '\0')
			return n;
		len = strcspn(s, " ");
		if (n == nw || len >= sizeof words[0])
			return -1;
		memcpy(words[n], s, len);
		words[n][len] = '\0';
		n++;
		s += len;
	}
}

/* "N unit", "N unit before" or "N unit before end", as flags say. */
static int
cfg_parse_duration(const char *s, int flags, struct duration *d)
{
	char w[4][16];
	int nw, want = 2;
	size_t i;
	long long n;

	if (flags & CFG_BEFORE)
		want = 3;
	if (flags & CFG_BEFORE_END)
		want = 4;
	if ((nw = cfg_words(s, w, 4)) != want)
		return -1;
	if (!cfg_all_digits(w[0], strlen(w[0])) || strlen(w[0]) > 6)
		return -1;
	if (want >= 3 && strcmp(w[2], "before") != 0)
		return -1;
	if (want == 4 && strcmp(w[3], "end") != 0)
		return -1;
	n = atoll(w[0]);
	for (i = 0; i < CFG_NUNITS; i++) {
		if (strcmp(w[1], cfg_units[i].one) == 0 ||
		    strcmp(w[1], cfg_units[i].many) == 0) {
			d->n = (int)n;
			d->unit = cfg_units[i].unit;
			return 0;
		}
	}
	return -1;
}

static bool
cfg_duration(struct cfg *c, yaml_node_t *n, const char *path, void *base,
    const struct cfg_key *k)
{
	const char *s, *form;
	struct duration d;

	if ((s = cfg_scalar(c, n, path, "a duration")) == NULL)
		return false;
	form = k->flags & CFG_BEFORE_END ? " before end" :
	    k->flags & CFG_BEFORE ? " before" : "";
	if (cfg_parse_duration(s, k->flags, &d) == -1) {
		cfg_error(c, n, "invalid duration '%s' for %s "
		    "(expected N days, weeks, months or years%s)",
		    cfg_quote(c, n), path, form);
		return false;
	}
	if (d.n == 0 && !(k->flags & CFG_ZERO)) {
		cfg_error(c, n, "zero duration '%s' for %s "
		    "(expected at least 1 day)", cfg_quote(c, n), path);
		return false;
	}
	if (d.n > cfg_units[d.unit].max) {
		cfg_error(c, n, "out-of-range duration '%s' for %s "
		    "(expected at most 10 years)", cfg_quote(c, n), path);
		return false;
	}
	*(struct duration *)(void *)((char *)base + k->off) = d;
	return true;
}

/* ---- mappings and lists ------------------------------------------------ */

static size_t
cfg_levenshtein(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j, prev[33], cur[33];

	if (la > 32 || lb > 32)
		return SIZE_MAX;
	for (j = 0; j <= lb; j++)
		prev[j] = j;
	for (i = 1; i <= la; i++) {
		cur[0] = i;
		for (j = 1; j <= lb; j++) {
			size_t del = prev[j] + 1, ins = cur[j - 1] + 1;
			size_t sub = prev[j - 1] + (a[i - 1] != b[j - 1]);

			cur[j] = del < ins ? del : ins;
			if (sub < cur[j])
				cur[j] = sub;
		}
		memcpy(prev, cur, (lb + 1) * sizeof prev[0]);
	}
	return prev[lb];
}

static void
cfg_unknown_key(struct cfg *c, yaml_node_t *kn, const char *path,
    const struct cfg_key *tab)
{
	const char *key = (const char *)kn->data.scalar.value;
	const char *best = NULL, *in = path[0] != '\0' ? " in " : "";
	size_t i, dist, bestd = 3;

	for (i = 0; tab[i].key != NULL; i++) {
		dist = cfg_levenshtein(key, tab[i].key);
		if (dist < bestd && dist < strlen(tab[i].key) / 2 + 1) {
			bestd = dist;
			best = tab[i].key;
		}
	}
	if (best != NULL)
		cfg_error(c, kn, "unknown key '%s'%s%s (did you mean '%s'?)",
		    cfg_quote(c, kn), in, path, best);
	else
		cfg_error(c, kn, "unknown key '%s'%s%s", cfg_quote(c, kn), in,
		    path);
}

/*
 * Walk a mapping with a handler table.  seen (one slot per table entry, may
 * be NULL) tells the caller which keys were there, for the checks that
 * involve several keys.
 */
static bool
cfg_map(struct cfg *c, yaml_node_t *n, const char *path,
    const struct cfg_key *tab, void *base, struct cfg_seen *seen)
{
	struct cfg_seen local[CFG_MAX_KEYS];
	yaml_node_pair_t *pr;
	yaml_node_t *kn, *vn;
	const char *key;
	char *sub;
	size_t ntab, i;

	for (ntab = 0; tab[ntab].key != NULL; ntab++)
		continue;
	if (seen == NULL)
		seen = local;
	memset(seen, 0, ntab * sizeof *seen);
	if (!cfg_expect(c, n, YAML_MAPPING_NODE, path))
		return false;
	for (pr = n->data.mapping.pairs.start; pr < n->data.mapping.pairs.top;
	    pr++) {
		if (!cfg_visit(c))
			return false;
		kn = cfg_node(c, pr->key);
		vn = cfg_node(c, pr->value);
		if (kn->type != YAML_SCALAR_NODE ||
		    strlen((const char *)kn->data.scalar.value) !=
		    kn->data.scalar.length) {
			cfg_error(c, kn, "expected a name as key %s%s, "
			    "found %s", path[0] ? "in " : "at the top level",
			    path, cfg_found(c, kn));
			continue;
		}
		key = (const char *)kn->data.scalar.value;
		for (i = 0; i < ntab; i++)
			if (strcmp(tab[i].key, key) == 0)
				break;
		if (i == ntab) {
			cfg_unknown_key(c, kn, path, tab);
			continue;
		}
		if (seen[i].key != NULL) {
			cfg_error(c, kn, "duplicate key '%s'%s%s "
			    "(first at line %zu)", cfg_quote(c, kn),
			    path[0] ? " in " : "",
			    path, seen[i].key->start_mark.line + 1);
			continue;
		}
		seen[i].key = kn;
		if (cfg_is_null(vn))
			continue;
		seen[i].value = vn;
		sub = cfg_path(path, key);
		seen[i].ok = tab[i].fn(c, vn, sub, base, &tab[i]);
		if (seen[i].ok && (tab[i].flags & CFG_HAS))
			*(bool *)(void *)((char *)base + tab[i].has_off) = true;
		free(sub);
	}
	for (i = 0; i < ntab; i++) {
		if (!(tab[i].flags & CFG_REQUIRED) || seen[i].value != NULL)
			continue;
		if (seen[i].key != NULL) {
			sub = cfg_path(path, tab[i].key);
			cfg_error(c, seen[i].key, "missing value for %s", sub);
			free(sub);
		} else if (path[0] != '\0')
			cfg_error(c, n, "missing required key '%s' in %s",
			    tab[i].key, path);
		else
			cfg_error(c, n, "missing required key '%s'",
			    tab[i].key);
	}
	return true;
}

static bool
cfg_submap(struct cfg *c, yaml_node_t *n, const char *path, void *base,
    const struct cfg_key *k)
{
	return cfg_map(c, n, path, k->sub, (char *)base + k->off, NULL);
}

static size_t
cfg_seq_len(yaml_node_t *n)
{
	return (size_t)(n->data.sequence.items.top -
	    n->data.sequence.items.start);
}

/*
 * Lists are short in any real programme; the bound keeps the pairwise
 * duplicate checks cheap on hostile input.
 */
static bool
cfg_seq_max(struct cfg *c, yaml_node_t *n, const char *path)
{
	if (cfg_seq_len(n) <= CFG_MAX_ITEMS)
		return true;
	cfg_error(c, n, "too many items in %s (at most %d)", path,
	    CFG_MAX_ITEMS);
	return false;
}

/*
 * A list of non-empty single-line strings.  With unique, a repeated value
 * (ignoring case, as people type training names by hand) is an error.
 */
static bool
cfg_strings(struct cfg *c, yaml_node_t *n, const char *path, bool unique,
    const char *what, char ***vp, size_t *np)
{
	yaml_node_t *item;
	char *s, *sub;
	size_t i, j, len;
	bool ok = true;

	if (!cfg_expect(c, n, YAML_SEQUENCE_NODE, path) ||
	    !cfg_seq_max(c, n, path))
		return false;
	len = cfg_seq_len(n);
	*vp = xcalloc(len ? len : 1, sizeof **vp);
	*np = 0;
	for (i = 0; i < len; i++) {
		if (!cfg_visit(c))
			return false;
		item = cfg_node(c, n->data.sequence.items.start[i]);
		sub = cfg_path_item(path, i);
		if (cfg_is_null(item)) {
			cfg_error(c, item, "empty value for %s", sub);
			s = NULL;
		} else
			s = cfg_string(c, item, sub, false);
		free(sub);
		if (s == NULL) {
			ok = false;
			continue;
		}
		for (j = 0; unique && j < *np; j++) {
			if (strcasecmp((*vp)[j], s) == 0) {
				cfg_error(c, item, "duplicate %s '%s' in %s",
				    what, cfg_quote(c, item), path);
				break;
			}
		}
		if (unique && j < *np) {
			free(s);
			ok = false;
			continue;
		}
		(*vp)[(*np)++] = s;
	}
	return ok;
}

/* ---- enumerations ------------------------------------------------------ */

static bool
cfg_enum(struct cfg *c, yaml_node_t *n, const char *path,
    int (*parse)(const char *), const char *expected, int *v)
{
	const char *s;

	if ((s = cfg_scalar(c, n, path, "a name")) == NULL)
		return false;
	if ((*v = parse(s)) < 0) {
		cfg_error(c, n, "invalid value '%s' for %s (expected %s)",
		    cfg_quote(c, n), path, expected);
		return false;
	}
	return true;
}

static int
cfg_reup_default_parse(const char *s)
{
	if (strcmp(s, "exit") == 0)
		return REUP_DEFAULT_EXIT;
	if (strcmp(s, "continue") == 0)
		return REUP_DEFAULT_CONTINUE;
	return -1;
}

static int
cfg_notes_parse(const char *s)
{
	if (strcmp(s, "private") == 0)
		return 1;
	if (strcmp(s, "shared") == 0)
		return 0;
	return -1;
}

static bool
cfg_purpose(struct cfg *c, yaml_node_t *n, const char *path, void *base,
    const struct cfg_key *k)
{
	struct program *p = base;
	int v;

	(void)k;
	if (!cfg_enum(c, n, path, program_purpose_parse, "engagement, "
	    "knowledge-transfer, culture-change, leadership, inclusion or "
	    "onboarding", &v))
		return false;
	p->purpose = (enum program_purpose)v;
	return true;
}

static bool
cfg_format(struct cfg *c, yaml_node_t *n, const char *path, void *base,
    const struct cfg_key *k)
{
	struct program *p = base;
	int v;

	(void)k;
	if (!cfg_enum(c, n, path, program_format_parse, "one-to-one, group, "
	    "peer, reverse, flash, rotational or network", &v))
		return false;
	p->format = (enum program_format)v;
	return true;
}

static bool
cfg_consent(struct cfg *c, yaml_node_t *n, const char *path, void *base,
    const struct cfg_key *k)
{
	struct program_matching *m = base;
	int v;

	(void)k;
	if (!cfg_enum(c, n, path, match_consent_parse, "both, mentee or none",
	    &v))
		return false;
	m->consent = (enum match_consent)v;
	return true;
}

static bool
cfg_objective(struct cfg *c, yaml_node_t *n, const char *path, void *base,
    const struct cfg_key *k)
{
	struct program_matching *m = base;
	int v;

	(void)k;
	if (!cfg_enum(c, n, path, match_objective_parse, "coverage, score or "
	    "stable", &v))
		return false;
	m->objective = (enum match_objective)v;
	return true;
}

static bool
cfg_balance(struct cfg *c, yaml_node_t *n, const char *path, void *base,
    const struct cfg_key *k)
{
	struct program_matching *m = base;
	int v;

	(void)k;
	if (!cfg_enum(c, n, path, match_balance_parse, "none or spread", &v))
		return false;
	m->balance = (enum match_balance)v;
	return true;
}

static bool
cfg_compare(struct cfg *c, yaml_node_t *n, const char *path, void *base,
    const struct cfg_key *k)
{
	struct match_criterion *cr = base;
	int v;

	(void)k;
	if (!cfg_enum(c, n, path, match_compare_parse, "overlap, same, "
	    "different, within_hours, mentor_above, mentee_above, within, "
	    "close, gap, not_in, preference, waited or previous_partner", &v))
		return false;
	cr->compare = (enum match_compare)v;
	return true;
}

static bool
cfg_reup_default(struct cfg *c, yaml_node_t *n, const char *path,
    void *base, const struct cfg_key *k)
{
	struct program_cycle *cy = base;
	int v;

	(void)k;
	if (!cfg_enum(c, n, path, cfg_reup_default_parse, "exit or continue",
	    &v))
		return false;
	cy->reup_default = (enum reup_default)v;
	return true;
}

static bool
cfg_notes(struct cfg *c, yaml_node_t *n, const char *path, void *base,
    const struct cfg_key *k)
{
	struct program *p = base;
	int v;

	(void)k;
	if (!cfg_enum(c, n, path, cfg_notes_parse, "private or shared", &v))
		return false;
	p->notes_private = v == 1;
	return true;
}

/* ---- identity ---------------------------------------------------------- */

static bool
cfg_slug(struct cfg *c, yaml_node_t *n, const char *path, void *base,
    const struct cfg_key *k)
{
	struct program *p = base;
	const char *s;
	size_t i, len;

	(void)k;
	if ((s = cfg_scalar(c, n, path, "a string")) == NULL)
		return false;
	len = strlen(s);
	if (len == 0 || len > CFG_SLUG_MAX) {
		cfg_error(c, n, "invalid slug '%s' "
		    "(expected 1 to %d characters)", cfg_quote(c, n),
		    CFG_SLUG_MAX);
		return false;
	}
	for (i = 0; i < len; i++) {
		if ((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '-')
			continue;
		cfg_error(c, n, "invalid slug '%s' (expected lower-case "
		    "letters, digits and hyphens)", cfg_quote(c, n));
		return false;
	}
	if (s[0] == '-' || s[len - 1] == '-') {
		cfg_error(c, n, "invalid slug '%s' (must not begin or end with "
		    "a hyphen)", cfg_quote(c, n));
		return false;
	}
	p->slug = xstrdup(s);
	return true;
}

/*
 * Plausible rather than RFC 5322: the address goes into From: and To:
 * headers as it is, so anything that could start a second address or a new
 * header (spaces, CR/LF, <>,;") is out.
 */
static bool
cfg_email_ok(const char *s)
{
	const char *at, *dom;
	size_t len = strlen(s);

	if (len == 0 || len > CFG_EMAIL_MAX)
		return false;
	if ((at = strchr(s, '@')) == NULL || strchr(at + 1, '@') != NULL)
		return false;
	if (at == s || at[1] == '\0')
		return false;
	if (strpbrk(s, " <>,;\"()[]\\:") != NULL)
		return false;
	if (!cfg_text_clean(s, len, false))
		return false;
	dom = at + 1;
	if (dom[0] == '.' || dom[strlen(dom) - 1] == '.' ||
	    strstr(dom, "..") != NULL)
		return false;
	/* The local part's dots as well: mail_addr_valid() refuses them. */
	if (s[0] == '.' || at[-1] == '.' || strstr(s, "..") != NULL)
		return false;
	return true;
}

static bool
cfg_contact(struct cfg *c, yaml_node_t *n, const char *path, void *base,
    const struct cfg_key *k)
{
	struct program *p = base;
	const char *s;

	(void)k;
	if ((s = cfg_scalar(c, n, path, "an e-mail address")) == NULL)
		return false;
	if (!cfg_email_ok(s)) {
		cfg_error(c, n, "invalid e-mail address '%s' for %s",
		    cfg_quote(c, n), path);
		return false;
	}
	p->contact = xstrdup(s);
	return true;
}

/* ---- goals ------------------------------------------------------------- */

static bool
cfg_goal_id(struct cfg *c, yaml_node_t *n, const char *path, void *base,
    const struct cfg_key *k)
{
	struct program_goal *g = base;
	const char *s;
	size_t len;

	(void)k;
	if ((s = cfg_scalar(c, n, path, "a string")) == NULL)
		return false;
	len = strlen(s);
	if (len == 0 || len > CFG_ID_MAX ||
	    strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_-") != len) {
		cfg_error(c, n, "invalid goal id '%s' for %s (expected 1 to %d "
		    "lower-case letters, digits, '_' and '-')", cfg_quote(c, n),
		    path, CFG_ID_MAX);
		return false;
	}
	g->id = xstrdup(s);
	return true;
}

static bool
cfg_metric(struct cfg *c, yaml_node_t *n, const char *path, void *base,
    const struct cfg_key *k)
{
	struct program_goal *g = base;
	struct strbuf sb = STRBUF_INIT;
	const char *s;
	size_t i;

	(void)k;
	if ((s = cfg_scalar(c, n, path, "a metric name")) == NULL)
		return false;
	if (!program_metric_valid(s)) {
		for (i = 0; program_metrics[i] != NULL; i++)
			strbuf_addf(&sb, "%s%s", i ? ", " : "",
			    program_metrics[i]);
		cfg_error(c, n, "unknown metric '%s' for %s "
		    "(expected one of %s)", cfg_quote(c, n), path, sb.buf);
		strbuf_release(&sb);
		return false;
	}
	g->metric = xstrdup(s);
	return true;
}

enum {
	GOAL_ID,
	GOAL_STATEMENT,
	GOAL_METRIC,
	GOAL_TARGET,
	GOAL_DUE,
};

static const struct cfg_key cfg_goal_keys[] = {
	[GOAL_ID] = { "id", cfg_goal_id, 0, CFG_REQUIRED, 0, 0, 0, NULL },
	[GOAL_STATEMENT] = { "statement", cfg_str,
	    offsetof(struct program_goal, statement), CFG_REQUIRED, 0, 0, 0,
	    NULL },
	[GOAL_METRIC] = { "metric", cfg_metric, 0, 0, 0, 0, 0, NULL },
	[GOAL_TARGET] = { "target", cfg_number,
	    offsetof(struct program_goal, target), CFG_HAS, 0, 1e9,
	    offsetof(struct program_goal, has_target), NULL },
	[GOAL_DUE] = { "due", cfg_date, offsetof(struct program_goal, due), 0,
	    0, 0, 0, NULL },
	{ NULL, NULL, 0, 0, 0, 0, 0, NULL },
};

/*
 * Targets are checked on the scale the report computes the metric on; day
 * counts only need the handler's lower bound of 0.
 */
static void
cfg_goal_target(struct cfg *c, struct program_goal *g, yaml_node_t *tn,
    const char *path)
{
	const char *m = g->metric;
	size_t len = strlen(m);
	double lo, hi;
	const char *hint;

	if (strcmp(m, "satisfaction") == 0) {
		lo = 1;
		hi = 5;
		hint = "a mean rating";
	} else if ((len > 5 && strcmp(m + len - 5, "_rate") == 0) ||
	    strcmp(m, "checkin_adherence") == 0 ||
	    strcmp(m, "retention") == 0 ||
	    program_metric_format(m) == FORMAT_FLASH) {
		lo = 0;
		hi = 1;
		hint = "a fraction, 0.95 for 95%";
	} else
		return;
	if (g->target < lo || g->target > hi)
		cfg_error(c, tn, "out-of-range target '%s' for %s.target "
		    "(expected %g..%g for %s: %s)", cfg_quote(c, tn), path,
		    lo, hi, m, hint);
}

static bool
cfg_goals(struct cfg *c, yaml_node_t *n, const char *path, void *base,
    const struct cfg_key *k)
{
	struct program *p = base;
	struct cfg_seen seen[CFG_MAX_KEYS];
	yaml_node_t **ids, *item;
	size_t i, j, len;
	char *sub;

	(void)k;
	if (!cfg_expect(c, n, YAML_SEQUENCE_NODE, path) ||
	    !cfg_seq_max(c, n, path))
		return false;
	len = cfg_seq_len(n);
	p->goals = xcalloc(len ? len : 1, sizeof *p->goals);
	ids = xcalloc(len ? len : 1, sizeof *ids);
	for (i = 0; i < len; i++)
		p->goals[i].due = DATE_NONE;
	p->ngoals = len;
	for (i = 0; i < len; i++) {
		if (!cfg_visit(c))
			break;
		item = cfg_node(c, n->data.sequence.items.start[i]);
		sub = cfg_path_item(path, i);
		if (cfg_map(c, item, sub, cfg_goal_keys, &p->goals[i], seen)) {
			ids[i] = seen[GOAL_ID].ok ? seen[GOAL_ID].value : NULL;
			for (j = 0; ids[i] != NULL && j < i; j++) {
				if (ids[j] == NULL ||
				    strcmp(p->goals[j].id, p->goals[i].id) != 0)
					continue;
				cfg_error(c, ids[i], "duplicate goal id '%s' "
				    "in %s (first at line %zu)", p->goals[i].id,
				    sub, ids[j]->start_mark.line + 1);
				break;
			}
			if (seen[GOAL_METRIC].ok && seen[GOAL_TARGET].ok)
				cfg_goal_target(c, &p->goals[i],
				    seen[GOAL_TARGET].value, sub);
		}
		free(sub);
	}
	free(ids);
	return true;
}

/* ---- roles ------------------------------------------------------------- */

static bool
cfg_trainings(struct cfg *c, yaml_node_t *n, const char *path, void *base,
    const struct cfg_key *k)
{
	struct program_eligibility *e = base;

	(void)k;
	return cfg_strings(c, n, path, true, "training", &e->trainings,
	    &e->ntrainings);
}

enum {
	ELIG_TENURE,
	ELIG_MIN_LEVEL,
	ELIG_MAX_LEVEL,
	ELIG_TRAININGS,
};

static const struct cfg_key cfg_eligibility_keys[] = {
	[ELIG_TENURE] = { "min_tenure_years", cfg_number,
	    offsetof(struct program_eligibility, min_tenure_years), CFG_HAS,
	    0, 60, offsetof(struct program_eligibility, has_min_tenure), NULL },
	[ELIG_MIN_LEVEL] = { "min_level", cfg_int,
	    offsetof(struct program_eligibility, min_level), CFG_HAS, 0,
	    CFG_LEVEL_MAX, offsetof(struct program_eligibility, has_min_level),
	    NULL },
	[ELIG_MAX_LEVEL] = { "max_level", cfg_int,
	    offsetof(struct program_eligibility, max_level), CFG_HAS, 0,
	    CFG_LEVEL_MAX, offsetof(struct program_eligibility, has_max_level),
	    NULL },
	[ELIG_TRAININGS] = { "trainings", cfg_trainings, 0, 0, 0, 0, 0, NULL },
	{ NULL, NULL, 0, 0, 0, 0, 0, NULL },
};

static bool
cfg_eligibility(struct cfg *c, yaml_node_t *n, const char *path,
    void *base, const struct cfg_key *k)
{
	struct program_role_config *r = base;
	struct program_eligibility *e = &r->eligibility;
	struct cfg_seen seen[CFG_MAX_KEYS];

	(void)k;
	if (!cfg_map(c, n, path, cfg_eligibility_keys, e, seen))
		return false;
	if (seen[ELIG_MIN_LEVEL].ok && seen[ELIG_MAX_LEVEL].ok &&
	    e->min_level > e->max_level) {
		cfg_error(c, seen[ELIG_MAX_LEVEL].value, "max_level %d is "
		    "below min_level %d in %s", e->max_level, e->min_level,
		    path);
		return false;
	}
	return true;
}


static const struct cfg_key cfg_mentor_keys[] = {
	{ "capacity", cfg_int, offsetof(struct program_role_config, capacity),
	    0, 1, PROGRAM_CAPACITY_MAX, 0, NULL },
	{ "eligibility", cfg_eligibility, 0, 0, 0, 0, 0, NULL },
	{ NULL, NULL, 0, 0, 0, 0, 0, NULL },
};

static const struct cfg_key cfg_mentee_keys[] = {
	/* mentors at the same time; the formats that allow more: cfg_matching_check */
	{ "capacity", cfg_int, offsetof(struct program_role_config, capacity),
	    0, 1, 50, 0, NULL },
	{ "min", cfg_int, offsetof(struct program_role_config, min), 0, 0, 50,
	    0, NULL },
	{ "eligibility", cfg_eligibility, 0, 0, 0, 0, 0, NULL },
	{ NULL, NULL, 0, 0, 0, 0, 0, NULL },
};

static const struct cfg_key cfg_roles_keys[] = {
	{ "mentor", cfg_submap, offsetof(struct program, mentor), 0, 0, 0, 0,
	    cfg_mentor_keys },
	{ "mentee", cfg_submap, offsetof(struct program, mentee), 0, 0, 0, 0,
	    cfg_mentee_keys },
	{ NULL, NULL, 0, 0, 0, 0, 0, NULL },
};

/* ---- cycle ------------------------------------------------------------- */

static bool
cfg_reup(struct cfg *c, yaml_node_t *n, const char *path, void *base,
    const struct cfg_key *k)
{
	static const struct cfg_key keys[] = {
		{ "opens", cfg_duration,
		    offsetof(struct program_cycle, reup_opens),
		    CFG_REQUIRED | CFG_ZERO | CFG_BEFORE_END, 0, 0, 0, NULL },
		{ "closes", cfg_duration,
		    offsetof(struct program_cycle, reup_closes),
		    CFG_ZERO | CFG_BEFORE_END, 0, 0, 0, NULL },
		{ "default", cfg_reup_default, 0, 0, 0, 0, 0, NULL },
		{ NULL, NULL, 0, 0, 0, 0, 0, NULL },
	};
	struct cfg_seen seen[CFG_MAX_KEYS];

	(void)k;
	if (!cfg_map(c, n, path, keys, base, seen))
		return false;
	c->reup_opens = seen[0].ok ? seen[0].value : NULL;
	c->reup_closes = seen[1].ok ? seen[1].value : NULL;
	return true;
}

enum {
	CYCLE_START,
	CYCLE_LENGTH,
	CYCLE_REUP,
};

static const struct cfg_key cfg_cycle_keys[] = {
	[CYCLE_START] = { "start", cfg_date,
	    offsetof(struct program_cycle, start), 0, 0, 0, 0, NULL },
	/* required, but not in a rotation: cfg_cycle_format() */
	[CYCLE_LENGTH] = { "length", cfg_duration,
	    offsetof(struct program_cycle, length), 0, 0, 0, 0, NULL },
	[CYCLE_REUP] = { "reup", cfg_reup, 0, 0, 0, 0, 0, NULL },
	{ NULL, NULL, 0, 0, 0, 0, 0, NULL },
};

/*
 * The re-up window must open after the cycle starts and close no earlier
 * than it opens.  With a start date the real calendar decides; without one,
 * assume the shortest cycle and the longest window (a month may be 28 days
 * in the cycle and 31 in the window), so that no start date can break it.
 */
static void
cfg_cycle_check(struct cfg *c, struct program_cycle *cy,
    struct cfg_seen *seen)
{
	int len_days, opens_lo, opens_hi, closes_hi;
	yaml_node_t *ln = seen[CYCLE_LENGTH].value;

	if (!seen[CYCLE_LENGTH].ok)
		return;
	if (cy->start != DATE_NONE &&
	    date_add_duration(cy->start, cy->length, 1) == DATE_NONE) {
		cfg_error(c, ln, "cycle ends after year %d: cycle.length '%s' "
		    "from cycle.start", DATE_MAX_YEAR, cfg_quote(c, ln));
		return;
	}
	/*
	 * Every later cycle has other month lengths than the first, so the
	 * window must fit in the shortest cycle the length can give and close
	 * after it opens whatever the months: compare the shortest reading of
	 * one duration with the longest of the other, never one calendar.
	 */
	len_days = cfg_dur_min_days(cy->length);
	opens_hi = c->reup_opens == NULL ? 0 : cfg_dur_max_days(cy->reup_opens);
	opens_lo = c->reup_opens == NULL ? 0 : cfg_dur_min_days(cy->reup_opens);
	closes_hi = c->reup_closes == NULL ? 0 :
	    cfg_dur_max_days(cy->reup_closes);
	if (c->reup_opens != NULL && opens_hi >= len_days)
		cfg_error(c, c->reup_opens, "re-up window '%s' for "
		    "cycle.reup.opens does not fit inside cycle.length '%s'",
		    cfg_quote(c, c->reup_opens), cfg_quote(c, ln));
	if (c->reup_opens != NULL && c->reup_closes != NULL &&
	    closes_hi > opens_lo)
		cfg_error(c, c->reup_closes, "re-up window closes before it "
		    "opens: cycle.reup.closes '%s' is earlier than "
		    "cycle.reup.opens '%s'", cfg_quote(c, c->reup_closes),
		    cfg_quote(c, c->reup_opens));
}

static bool
cfg_cycle(struct cfg *c, yaml_node_t *n, const char *path, void *base,
    const struct cfg_key *k)
{
	struct program *p = base;
	struct cfg_seen seen[CFG_MAX_KEYS];

	(void)k;
	c->reup_opens = c->reup_closes = NULL;
	if (!cfg_map(c, n, path, cfg_cycle_keys, &p->cycle, seen))
		return false;
	p->cycle.present = true;
	c->cycle_node = n;
	c->cycle_length_key = seen[CYCLE_LENGTH].key;
	c->cycle_has_length = seen[CYCLE_LENGTH].value != NULL;
	c->cycle_reup_key = seen[CYCLE_REUP].key;
	cfg_cycle_check(c, &p->cycle, seen);
	return true;
}

/*
 * A rotation's cycles are its periods, rotation.every long, with no re-up:
 * cycle.length and cycle.reup next to a rotation are errors (only
 * cycle.start applies).  Every other cycle needs its length.
 */
static void
cfg_cycle_format(struct cfg *c, bool format_known)
{
	if (c->cycle_node == NULL)
		return;
	if (format_known && c->p->format == FORMAT_ROTATIONAL) {
		if (c->cycle_length_key != NULL)
			cfg_error(c, c->cycle_length_key, "cycle.length does "
			    "not apply to a rotational programme: its periods "
			    "are rotation.every long (remove cycle.length)");
		if (c->cycle_reup_key != NULL)
			cfg_error(c, c->cycle_reup_key, "cycle.reup does not "
			    "apply to a rotational programme: a rotation has "
			    "no re-up (remove cycle.reup)");
		return;
	}
	if (c->cycle_length_key != NULL && !c->cycle_has_length)
		cfg_error(c, c->cycle_length_key, "missing value for "
		    "cycle.length");
	else if (c->cycle_length_key == NULL)
		cfg_error(c, c->cycle_node, "missing required key 'length' in "
		    "cycle");
}

/* ---- check-ins --------------------------------------------------------- */

static bool
cfg_stalled(struct cfg *c, yaml_node_t *n, const char *path, void *base,
    const struct cfg_key *k)
{
	struct program_checkins *ck = base;
	char w[2][16];
	const char *s;
	int v;

	(void)k;
	if ((s = cfg_scalar(c, n, path, "a count")) == NULL)
		return false;
	if (cfg_words(s, w, 2) != 2 || strcmp(w[1], "missed") != 0 ||
	    !cfg_all_digits(w[0], strlen(w[0])) || strlen(w[0]) > 3) {
		cfg_error(c, n, "invalid value '%s' for %s (expected N missed)",
		    cfg_quote(c, n), path);
		return false;
	}
	v = atoi(w[0]);
	if (v < 1 || v > 52) {
		cfg_error(c, n, "out-of-range value '%s' for %s "
		    "(expected 1..52 missed)", cfg_quote(c, n), path);
		return false;
	}
	ck->stalled_after = v;
	return true;
}

static bool
cfg_prompts(struct cfg *c, yaml_node_t *n, const char *path, void *base,
    const struct cfg_key *k)
{
	struct program_checkins *ck = base;

	(void)k;
	return cfg_strings(c, n, path, false, "prompt", &ck->prompts,
	    &ck->nprompts);
}

enum {
	CHECKIN_EVERY,
	CHECKIN_REMIND,
	CHECKIN_OVERDUE,
	CHECKIN_STALLED,
	CHECKIN_PROMPTS,
};

static const struct cfg_key cfg_checkin_keys[] = {
	[CHECKIN_EVERY] = { "every", cfg_duration,
	    offsetof(struct program_checkins, every), CFG_REQUIRED, 0, 0, 0,
	    NULL },
	[CHECKIN_REMIND] = { "remind", cfg_duration,
	    offsetof(struct program_checkins, remind_before),
	    CFG_ZERO | CFG_BEFORE, 0, 0, 0, NULL },
	[CHECKIN_OVERDUE] = { "overdue_after", cfg_duration,
	    offsetof(struct program_checkins, overdue_after), CFG_ZERO, 0, 0,
	    0, NULL },
	[CHECKIN_STALLED] = { "stalled_after", cfg_stalled, 0, 0, 0, 0, 0,
	    NULL },
	[CHECKIN_PROMPTS] = { "prompts", cfg_prompts, 0, 0, 0, 0, 0, NULL },
	{ NULL, NULL, 0, 0, 0, 0, 0, NULL },
};

static bool
cfg_checkins(struct cfg *c, yaml_node_t *n, const char *path, void *base,
    const struct cfg_key *k)
{
	struct program *p = base;
	struct program_checkins *ck = &p->checkins;
	struct cfg_seen seen[CFG_MAX_KEYS];

	(void)k;
	if (!cfg_map(c, n, path, cfg_checkin_keys, ck, seen))
		return false;
	ck->present = true;
	/* A reminder as early as the previous meeting is no reminder. */
	if (seen[CHECKIN_EVERY].ok && seen[CHECKIN_REMIND].ok &&
	    cfg_dur_max_days(ck->remind_before) >= cfg_dur_min_days(ck->every))
		cfg_error(c, seen[CHECKIN_REMIND].value, "reminder '%s' for "
		    "checkins.remind is not shorter than checkins.every '%s'",
		    cfg_quote(c, seen[CHECKIN_REMIND].value),
		    cfg_quote(c, seen[CHECKIN_EVERY].value));
	return true;
}

/* ---- matching ---------------------------------------------------------- */

enum {
	CRIT_ATTRIBUTE,
	CRIT_MENTEE_ATTRIBUTE,
	CRIT_COMPARE,
	CRIT_WEIGHT,
	CRIT_HOURS,
	CRIT_MIN_GAP,
	CRIT_MAX_GAP,
	CRIT_SCALE,
	CRIT_REQUIRED,
	CRIT_POINTS,
	CRIT_DAYS,
};

static int
cfg_cmp_gap_points(const void *a, const void *b)
{
	const struct match_gap_points *x = a, *y = b;

	return (x->gap > y->gap) - (x->gap < y->gap);
}

/* points: { GAP: POINTS, ... } for compare gap. */
static bool
cfg_gap_points(struct cfg *c, yaml_node_t *n, const char *path, void *base,
    const struct cfg_key *k)
{
	static const struct cfg_key gap_key = { "gap", NULL, 0, 0,
	    -CFG_LEVEL_MAX, CFG_LEVEL_MAX, 0, NULL };
	static const struct cfg_key pts_key = { "points", NULL, 0, 0, 0, 1e6,
	    0, NULL };
	struct match_criterion *cr = base;
	yaml_node_pair_t *pr;
	yaml_node_t *kn, *vn;
	size_t len, j;
	long long g;
	double v;
	bool ok = true, any = false;
	const char *ks, *vs;

	(void)k;
	if (!cfg_expect(c, n, YAML_MAPPING_NODE, path))
		return false;
	len = (size_t)(n->data.mapping.pairs.top - n->data.mapping.pairs.start);
	if (len == 0 || len > CFG_MAX_ITEMS) {
		cfg_error(c, n, "%s needs between 1 and %d gaps, each with its "
		    "points (e.g. {1: 9, 2: 12})", path, CFG_MAX_ITEMS);
		return false;
	}
	free(cr->points);
	cr->points = xcalloc(len, sizeof *cr->points);
	cr->npoints = 0;
	for (pr = n->data.mapping.pairs.start; pr < n->data.mapping.pairs.top;
	    pr++) {
		if (!cfg_visit(c))
			return false;
		kn = cfg_node(c, pr->key);
		vn = cfg_node(c, pr->value);
		if ((ks = cfg_scalar(c, kn, path, "a level gap")) == NULL ||
		    (vs = cfg_scalar(c, vn, path, "points")) == NULL) {
			ok = false;
			continue;
		}
		if (cfg_parse_int(ks, &g) == -1) {
			cfg_error(c, kn, "invalid level gap '%s' in %s (expected "
			    "a whole number, mentor's level minus mentee's)",
			    cfg_quote(c, kn), path);
			ok = false;
			continue;
		}
		if ((double)g < gap_key.min || (double)g > gap_key.max) {
			cfg_range_error(c, kn, path, &gap_key);
			ok = false;
			continue;
		}
		if (cfg_parse_number(vs, &v) == -1 || v < 0 || v > pts_key.max) {
			cfg_error(c, vn, "invalid points '%s' for gap %lld in %s "
			    "(expected a number 0..%g)", cfg_quote(c, vn), g,
			    path, pts_key.max);
			ok = false;
			continue;
		}
		for (j = 0; j < cr->npoints; j++)
			if (cr->points[j].gap == (int)g)
				break;
		if (j < cr->npoints) {
			cfg_error(c, kn, "duplicate gap %lld in %s", g, path);
			ok = false;
			continue;
		}
		cr->points[cr->npoints].gap = (int)g;
		cr->points[cr->npoints].points = v;
		cr->npoints++;
		any = any || v > 0;
	}
	if (ok && !any) {
		cfg_error(c, n, "every gap in %s has 0 points: give at least "
		    "one gap points above 0", path);
		ok = false;
	}
	if (cr->npoints > 1)
		xqsort(cr->points, cr->npoints, sizeof *cr->points,
		    cfg_cmp_gap_points);
	return ok;
}

static const struct cfg_key cfg_criterion_keys[] = {
	/* required unless the compare reads no attribute: cfg_criterion_check */
	[CRIT_ATTRIBUTE] = { "attribute", cfg_str,
	    offsetof(struct match_criterion, attribute), 0, 0, 0, 0, NULL },
	[CRIT_MENTEE_ATTRIBUTE] = { "mentee_attribute", cfg_str,
	    offsetof(struct match_criterion, mentee_attribute), 0, 0, 0, 0,
	    NULL },
	[CRIT_COMPARE] = { "compare", cfg_compare, 0, CFG_REQUIRED, 0, 0, 0,
	    NULL },
	[CRIT_WEIGHT] = { "weight", cfg_number,
	    offsetof(struct match_criterion, weight), CFG_MIN_EXCL, 0, 100, 0,
	    NULL },
	[CRIT_HOURS] = { "hours", cfg_number,
	    offsetof(struct match_criterion, hours), 0, 0, 26, 0, NULL },
	[CRIT_MIN_GAP] = { "min_gap", cfg_int,
	    offsetof(struct match_criterion, min_gap), 0, 0, CFG_LEVEL_MAX, 0,
	    NULL },
	[CRIT_MAX_GAP] = { "max_gap", cfg_int,
	    offsetof(struct match_criterion, max_gap), 0, 0, CFG_LEVEL_MAX, 0,
	    NULL },
	[CRIT_SCALE] = { "scale", cfg_number,
	    offsetof(struct match_criterion, scale), CFG_MIN_EXCL, 0, 1e6, 0,
	    NULL },
	[CRIT_REQUIRED] = { "required", cfg_bool,
	    offsetof(struct match_criterion, required), 0, 0, 0, 0, NULL },
	[CRIT_POINTS] = { "points", cfg_gap_points, 0, 0, 0, 0, 0, NULL },
	[CRIT_DAYS] = { "days", cfg_int,
	    offsetof(struct match_criterion, days), 0, 1, 3660, 0, NULL },
	{ NULL, NULL, 0, 0, 0, 0, 0, NULL },
};

/* Which compare each optional key belongs to; required ones must be given. */
static const struct {
	int key;
	enum match_compare compare, compare2;
	bool required;
} cfg_crit_params[] = {
	{ CRIT_HOURS, COMPARE_WITHIN_HOURS, COMPARE_WITHIN_HOURS, true },
	{ CRIT_MIN_GAP, COMPARE_MENTOR_ABOVE, COMPARE_MENTEE_ABOVE, false },
	{ CRIT_MAX_GAP, COMPARE_WITHIN, COMPARE_WITHIN, false },
	{ CRIT_SCALE, COMPARE_CLOSE, COMPARE_CLOSE, true },
	{ CRIT_POINTS, COMPARE_GAP, COMPARE_GAP, true },
	{ CRIT_DAYS, COMPARE_WAITED, COMPARE_WAITED, false },
};

/* What an attribute holds, as the compares need it. */
enum cfg_attr_kind {
	CFG_ATTR_FREE,      /* a free attribute: whatever people imported */
	CFG_ATTR_TEXT,      /* email, name, department, title, location, manager_email */
	CFG_ATTR_ZONE,      /* timezone */
	CFG_ATTR_NUMBER,    /* level, hired_on / tenure (years) */
};

static enum cfg_attr_kind
cfg_attr_kind(const char *name)
{
	static const struct {
		const char *name;
		enum cfg_attr_kind kind;
	} std[] = {
		{ "email", CFG_ATTR_TEXT }, { "name", CFG_ATTR_TEXT },
		{ "department", CFG_ATTR_TEXT }, { "title", CFG_ATTR_TEXT },
		{ "location", CFG_ATTR_TEXT }, { "manager_email", CFG_ATTR_TEXT },
		{ "timezone", CFG_ATTR_ZONE }, { "level", CFG_ATTR_NUMBER },
		{ "hired_on", CFG_ATTR_NUMBER }, { "tenure", CFG_ATTR_NUMBER },
	};
	size_t i;

	for (i = 0; i < sizeof std / sizeof std[0]; i++)
		if (strcasecmp(std[i].name, name) == 0)
			return std[i].kind;
	return CFG_ATTR_FREE;
}

/*
 * Whether compare cmp can read attribute `name` (a standard field or a
 * free attribute); otherwise one error saying why.  Names that a
 * spreadsheet would run as a formula are refused: they become column
 * headers of scores and match --explain.
 */
static void
cfg_attr_check(struct cfg *c, yaml_node_t *n, const char *path,
    const char *key, const char *name, enum match_compare cmp)
{
	enum cfg_attr_kind kind = cfg_attr_kind(name);
	const char *cn = match_compare_name(cmp);

	if (strchr("=+-@", name[0]) != NULL) {
		cfg_error(c, n, "attribute name '%s' for %s.%s begins with '%c', "
		    "which spreadsheets run as a formula: rename the column "
		    "in the people file", cfg_quote(c, n), path, key, name[0]);
		return;
	}
	switch (cmp) {
	case COMPARE_MENTOR_ABOVE:
	case COMPARE_MENTEE_ABOVE:
	case COMPARE_WITHIN:
	case COMPARE_CLOSE:
	case COMPARE_GAP:
		if (kind == CFG_ATTR_TEXT || kind == CFG_ATTR_ZONE)
			cfg_error(c, n, "attribute '%s' for %s.%s holds text, not "
			    "numbers: compare '%s' needs numbers (level, tenure "
			    "or a numeric free attribute)", cfg_quote(c, n),
			    path, key, cn);
		break;
	case COMPARE_WITHIN_HOURS:
		if (kind == CFG_ATTR_TEXT || kind == CFG_ATTR_NUMBER)
			cfg_error(c, n, "attribute '%s' for %s.%s holds no time "
			    "zones: compare '%s' needs timezone or a free "
			    "attribute holding zones", cfg_quote(c, n), path,
			    key, cn);
		break;
	case COMPARE_NOT_IN:
		if (kind == CFG_ATTR_NUMBER || kind == CFG_ATTR_ZONE)
			cfg_error(c, n, "attribute '%s' for %s.%s holds no e-mail "
			    "addresses: compare '%s' needs a list of addresses "
			    "(a free attribute such as 'conflicts', or "
			    "manager_email)", cfg_quote(c, n), path, key, cn);
		break;
	default:
		break;
	}
}

static void
cfg_criterion_check(struct cfg *c, yaml_node_t *n, const char *path,
    struct match_criterion *cr, struct cfg_seen *seen)
{
	size_t i;
	int key;
	bool applies;

	if (!seen[CRIT_COMPARE].ok)
		return;
	for (i = 0; i < sizeof cfg_crit_params / sizeof cfg_crit_params[0];
	    i++) {
		key = cfg_crit_params[i].key;
		applies = cr->compare == cfg_crit_params[i].compare ||
		    cr->compare == cfg_crit_params[i].compare2;
		if (!applies && seen[key].key != NULL)
			cfg_error(c, seen[key].key, "key '%s' does not apply "
			    "to compare '%s' in %s",
			    cfg_criterion_keys[key].key,
			    match_compare_name(cr->compare), path);
		else if (applies && cfg_crit_params[i].required &&
		    seen[key].value == NULL && seen[key].key == NULL)
			cfg_error(c, n, "missing required key '%s' in %s "
			    "(compare '%s' needs it)",
			    cfg_criterion_keys[key].key, path,
			    match_compare_name(cr->compare));
		else if (applies && cfg_crit_params[i].required &&
		    seen[key].value == NULL)
			cfg_error(c, seen[key].key, "missing value for %s.%s",
			    path, cfg_criterion_keys[key].key);
	}
	if (!match_criterion_has_attribute(cr)) {
		/* the compare reads the participants' data, not an attribute */
		for (i = CRIT_ATTRIBUTE; i <= CRIT_MENTEE_ATTRIBUTE; i++)
			if (seen[i].key != NULL)
				cfg_error(c, seen[i].key, "key '%s' does not apply "
				    "to compare '%s' in %s",
				    cfg_criterion_keys[i].key,
				    match_compare_name(cr->compare), path);
		if (cr->attribute == NULL)
			cr->attribute = xstrdup("");
	} else if (seen[CRIT_ATTRIBUTE].value == NULL) {
		if (seen[CRIT_ATTRIBUTE].key != NULL)
			cfg_error(c, seen[CRIT_ATTRIBUTE].key, "missing value for "
			    "%s.attribute", path);
		else
			cfg_error(c, n, "missing required key 'attribute' in %s",
			    path);
	} else {
		if (seen[CRIT_ATTRIBUTE].ok)
			cfg_attr_check(c, seen[CRIT_ATTRIBUTE].value, path,
			    "attribute", cr->attribute, cr->compare);
		if (seen[CRIT_MENTEE_ATTRIBUTE].ok)
			cfg_attr_check(c, seen[CRIT_MENTEE_ATTRIBUTE].value,
			    path, "mentee_attribute", cr->mentee_attribute,
			    cr->compare);
	}
	/* not_in only excludes: a weight would promise points it never gives */
	if (cr->compare == COMPARE_NOT_IN && seen[CRIT_WEIGHT].key != NULL)
		cfg_error(c, seen[CRIT_WEIGHT].key, "key 'weight' does not "
		    "apply to compare 'not_in' in %s (it only excludes pairs)",
		    path);
	if (cr->compare == COMPARE_NOT_IN && seen[CRIT_REQUIRED].key != NULL)
		cfg_error(c, seen[CRIT_REQUIRED].key, "key 'required' does not "
		    "apply to compare 'not_in' in %s (it only excludes pairs)",
		    path);
}

static bool
cfg_criteria(struct cfg *c, yaml_node_t *n, const char *path, void *base,
    const struct cfg_key *k)
{
	struct program_matching *m = base;
	struct cfg_seen seen[CFG_MAX_KEYS];
	struct match_criterion *cr;
	yaml_node_t *item;
	size_t i, len;
	char *sub;

	(void)k;
	if (!cfg_expect(c, n, YAML_SEQUENCE_NODE, path) ||
	    !cfg_seq_max(c, n, path))
		return false;
	len = cfg_seq_len(n);
	m->criteria = xcalloc(len ? len : 1, sizeof *m->criteria);
	m->ncriteria = len;
	for (i = 0; i < len; i++) {
		cr = &m->criteria[i];
		cr->weight = 1;
		cr->min_gap = 1;
		cr->max_gap = 0;
		cr->days = 90;
	}
	for (i = 0; i < len; i++) {
		if (!cfg_visit(c))
			break;
		item = cfg_node(c, n->data.sequence.items.start[i]);
		sub = cfg_path_item(path, i);
		if (cfg_map(c, item, sub, cfg_criterion_keys, &m->criteria[i],
		    seen))
			cfg_criterion_check(c, item, sub, &m->criteria[i],
			    seen);
		free(sub);
	}
	return true;
}

static bool
cfg_exclude(struct cfg *c, yaml_node_t *n, const char *path, void *base,
    const struct cfg_key *k)
{
	struct program_matching *m = base;
	yaml_node_t *item;
	const char *s;
	size_t i, len;
	char *sub;
	int bit;

	(void)k;
	if (!cfg_expect(c, n, YAML_SEQUENCE_NODE, path))
		return false;
	len = cfg_seq_len(n);
	for (i = 0; i < len; i++) {
		if (!cfg_visit(c))
			return false;
		item = cfg_node(c, n->data.sequence.items.start[i]);
		sub = cfg_path_item(path, i);
		s = cfg_scalar(c, item, sub, "an exclusion name");
		free(sub);
		if (s == NULL)
			continue;
		if ((bit = match_exclusion_parse(s)) < 0) {
			cfg_error(c, item, "unknown exclusion '%s' in %s "
			    "(expected same_manager_line, previous_partners or "
			    "same_department)", cfg_quote(c, item), path);
			continue;
		}
		if (m->exclude & (unsigned)bit) {
			cfg_error(c, item, "duplicate exclusion '%s' in %s",
			    cfg_quote(c, item), path);
			continue;
		}
		m->exclude |= (unsigned)bit;
	}
	return true;
}

static const struct cfg_key cfg_matching_keys[] = {
	{ "consent", cfg_consent, 0, 0, 0, 0, 0, NULL },
	{ "respond_within", cfg_duration,
	    offsetof(struct program_matching, respond_within), 0, 0, 0, 0,
	    NULL },
	{ "objective", cfg_objective, 0, 0, 0, 0, 0, NULL },
	{ "min_score", cfg_number, offsetof(struct program_matching, min_score),
	    0, 0, 100, 0, NULL },
	{ "criteria", cfg_criteria, 0, 0, 0, 0, 0, NULL },
	{ "exclude", cfg_exclude, 0, 0, 0, 0, 0, NULL },
	{ "balance", cfg_balance, 0, 0, 0, 0, 0, NULL },
	{ NULL, NULL, 0, 0, 0, 0, 0, NULL },
};

/* ---- confidentiality and format blocks --------------------------------- */

static const struct cfg_key cfg_confidentiality_keys[] = {
	{ "notes", cfg_notes, 0, 0, 0, 0, 0, NULL },
	{ NULL, NULL, 0, 0, 0, 0, 0, NULL },
};

/* flash.start: "HH:MM" on a 24-hour clock (a leading zero may be left out). */
static bool
cfg_clock(struct cfg *c, yaml_node_t *n, const char *path, void *base,
    const struct cfg_key *k)
{
	struct program_flash *f = base;
	const char *s;
	size_t hl;
	int h, m;

	(void)k;
	if ((s = cfg_scalar(c, n, path, "a time of day")) == NULL)
		return false;
	hl = strcspn(s, ":");
	if ((hl != 1 && hl != 2) || !cfg_all_digits(s, hl) || s[hl] != ':' ||
	    strlen(s + hl + 1) != 2 || !cfg_all_digits(s + hl + 1, 2) ||
	    (h = atoi(s)) > 23 || (m = atoi(s + hl + 1)) > 59) {
		cfg_error(c, n, "invalid time '%s' for %s (expected HH:MM, "
		    "00:00 to 23:59)", cfg_quote(c, n), path);
		return false;
	}
	f->has_start = true;
	f->start = h * 60 + m;
	return true;
}

/* flash.timezone: what util/tz.h accepts, copied into the fixed buffer. */
static bool
cfg_zone(struct cfg *c, yaml_node_t *n, const char *path, void *base,
    const struct cfg_key *k)
{
	struct program_flash *f = base;
	const char *s;

	(void)k;
	if ((s = cfg_scalar(c, n, path, "a time zone")) == NULL)
		return false;
	if (strlen(s) >= sizeof f->timezone || !tz_valid(s)) {
		cfg_error(c, n, "unknown time zone '%s' for %s (expected an "
		    "IANA name such as Europe/Paris, or an offset such as "
		    "UTC+01:00)", cfg_quote(c, n), path);
		return false;
	}
	memcpy(f->timezone, s, strlen(s) + 1);
	return true;
}

/* flash.changeover: minutes between rounds, "2 minutes" or 2 (0..60). */
static bool
cfg_changeover(struct cfg *c, yaml_node_t *n, const char *path, void *base,
    const struct cfg_key *k)
{
	struct program_flash *f = base;
	const char *s, *unit;
	size_t dl;
	long v;

	(void)k;
	if ((s = cfg_scalar(c, n, path, "a number of minutes")) == NULL)
		return false;
	dl = strspn(s, "0123456789");
	unit = s + dl;
	while (*unit == ' ')
		unit++;
	if (dl == 0 || dl > 3 || (*unit != '\0' && strcmp(unit, "minute") != 0 &&
	    strcmp(unit, "minutes") != 0 && strcmp(unit, "min") != 0) ||
	    (v = strtol(s, NULL, 10)) > 60) {
		cfg_error(c, n, "invalid changeover '%s' for %s (expected "
		    "minutes between rounds, 0 to 60, e.g. '2 minutes')",
		    cfg_quote(c, n), path);
		return false;
	}
	f->changeover = (int)v;
	return true;
}

enum { FLASH_TIMEZONE = 5 };   /* its index in cfg_flash_keys */

static const struct cfg_key cfg_flash_keys[] = {
	{ "rounds", cfg_int, offsetof(struct program_flash, rounds),
	    CFG_REQUIRED, 1, 50, 0, NULL },
	{ "minutes", cfg_int, offsetof(struct program_flash, minutes),
	    CFG_REQUIRED, 1, 240, 0, NULL },
	{ "table_size", cfg_int, offsetof(struct program_flash, table_size), 0,
	    1, 10, 0, NULL },
	{ "date", cfg_date, offsetof(struct program_flash, date), 0, 0, 0, 0,
	    NULL },
	{ "start", cfg_clock, 0, 0, 0, 0, 0, NULL },
	[FLASH_TIMEZONE] = { "timezone", cfg_zone, 0, 0, 0, 0, 0, NULL },
	{ "changeover", cfg_changeover, 0, 0, 0, 0, 0, NULL },
	{ NULL, NULL, 0, 0, 0, 0, 0, NULL },
};

static const struct cfg_key cfg_rotation_keys[] = {
	{ "periods", cfg_int, offsetof(struct program_rotation, periods),
	    CFG_REQUIRED, 1, 52, 0, NULL },
	{ "every", cfg_duration, offsetof(struct program_rotation, every),
	    CFG_REQUIRED, 0, 0, 0, NULL },
	{ NULL, NULL, 0, 0, 0, 0, 0, NULL },
};

static const struct cfg_key cfg_group_keys[] = {
	{ "department_diversity", cfg_bool,
	    offsetof(struct program_group, department_diversity), 0, 0, 0, 0,
	    NULL },
	{ "max_per_department", cfg_int,
	    offsetof(struct program_group, max_per_department), 0, 1, 50, 0,
	    NULL },
	{ NULL, NULL, 0, 0, 0, 0, 0, NULL },
};

static const struct cfg_key cfg_peer_keys[] = {
	{ "max_level_gap", cfg_int,
	    offsetof(struct program_peer, max_level_gap), 0, 0, CFG_LEVEL_MAX,
	    0, NULL },
	{ NULL, NULL, 0, 0, 0, 0, 0, NULL },
};

static const struct cfg_key cfg_network_keys[] = {
	{ "introductions_from", cfg_int,
	    offsetof(struct program_network, introductions_from), 0, 1, 100, 0,
	    NULL },
	{ "target", cfg_int, offsetof(struct program_network, target), 0, 1,
	    1000, 0, NULL },
	{ NULL, NULL, 0, 0, 0, 0, 0, NULL },
};

/* ---- sessions ---------------------------------------------------------- */

/* A time zone into the char[64] at k->off, as util/tz.h accepts it. */
static bool
cfg_zone_field(struct cfg *c, yaml_node_t *n, const char *path, void *base,
    const struct cfg_key *k)
{
	char *dst = (char *)base + k->off;
	const char *s;

	if ((s = cfg_scalar(c, n, path, "a time zone")) == NULL)
		return false;
	if (strlen(s) >= sizeof ((struct program_sessions *)0)->timezone ||
	    !tz_valid(s)) {
		cfg_error(c, n, "unknown time zone '%s' for %s (expected an "
		    "IANA name such as Europe/Paris, or an offset such as "
		    "UTC+01:00)", cfg_quote(c, n), path);
		return false;
	}
	memcpy(dst, s, strlen(s) + 1);
	return true;
}

static bool
cfg_audience_from(struct cfg *c, yaml_node_t *n, const char *path,
    void *base, const struct cfg_key *k)
{
	struct program_audience *a = base;
	int v;

	(void)k;
	if (!cfg_enum(c, n, path, audience_from_parse, "enrolled or everyone",
	    &v))
		return false;
	a->from = (enum audience_from)v;
	return true;
}

static bool
cfg_audience_roles(struct cfg *c, yaml_node_t *n, const char *path,
    void *base, const struct cfg_key *k)
{
	struct program_audience *a = base;
	yaml_node_t *item;
	const char *s;
	size_t i, len;
	char *sub;
	bool ok = true;

	(void)k;
	if (!cfg_expect(c, n, YAML_SEQUENCE_NODE, path))
		return false;
	len = cfg_seq_len(n);
	for (i = 0; i < len; i++) {
		if (!cfg_visit(c))
			return false;
		item = cfg_node(c, n->data.sequence.items.start[i]);
		sub = cfg_path_item(path, i);
		s = cfg_scalar(c, item, sub, "a role");
		free(sub);
		if (s == NULL) {
			ok = false;
			continue;
		}
		if (strcmp(s, "mentor") == 0)
			a->roles |= 1u << ROLE_MENTOR;
		else if (strcmp(s, "mentee") == 0)
			a->roles |= 1u << ROLE_MENTEE;
		else {
			cfg_error(c, item, "unknown role '%s' in %s (expected "
			    "mentor or mentee)", cfg_quote(c, item), path);
			ok = false;
		}
	}
	return ok;
}

static bool
cfg_audience_trainings(struct cfg *c, yaml_node_t *n, const char *path,
    void *base, const struct cfg_key *k)
{
	struct program_audience *a = base;

	(void)k;
	return cfg_strings(c, n, path, true, "training", &a->rules.trainings,
	    &a->rules.ntrainings);
}

static bool
cfg_audience_departments(struct cfg *c, yaml_node_t *n, const char *path,
    void *base, const struct cfg_key *k)
{
	struct program_audience *a = base;

	(void)k;
	return cfg_strings(c, n, path, true, "department", &a->departments,
	    &a->ndepartments);
}

static bool
cfg_audience_exclude(struct cfg *c, yaml_node_t *n, const char *path,
    void *base, const struct cfg_key *k)
{
	struct program_audience *a = base;

	(void)k;
	return cfg_strings(c, n, path, true, "department",
	    &a->exclude_departments, &a->nexclude_departments);
}

static bool
cfg_audience_locations(struct cfg *c, yaml_node_t *n, const char *path,
    void *base, const struct cfg_key *k)
{
	struct program_audience *a = base;

	(void)k;
	return cfg_strings(c, n, path, true, "location", &a->locations,
	    &a->nlocations);
}

enum {
	AUD_FROM,
	AUD_ROLES,
	AUD_MIN_LEVEL,
	AUD_MAX_LEVEL,
	AUD_TENURE,
	AUD_TRAININGS,
	AUD_DEPARTMENTS,
	AUD_EXCLUDE,
	AUD_LOCATIONS,
};

static const struct cfg_key cfg_audience_keys[] = {
	[AUD_FROM] = { "from", cfg_audience_from, 0, 0, 0, 0, 0, NULL },
	[AUD_ROLES] = { "roles", cfg_audience_roles, 0, 0, 0, 0, 0, NULL },
	[AUD_MIN_LEVEL] = { "min_level", cfg_int,
	    offsetof(struct program_audience, rules.min_level), CFG_HAS, 0,
	    CFG_LEVEL_MAX, offsetof(struct program_audience,
	    rules.has_min_level), NULL },
	[AUD_MAX_LEVEL] = { "max_level", cfg_int,
	    offsetof(struct program_audience, rules.max_level), CFG_HAS, 0,
	    CFG_LEVEL_MAX, offsetof(struct program_audience,
	    rules.has_max_level), NULL },
	[AUD_TENURE] = { "min_tenure_years", cfg_number,
	    offsetof(struct program_audience, rules.min_tenure_years),
	    CFG_HAS, 0, 60, offsetof(struct program_audience,
	    rules.has_min_tenure), NULL },
	[AUD_TRAININGS] = { "trainings", cfg_audience_trainings, 0, 0, 0, 0,
	    0, NULL },
	[AUD_DEPARTMENTS] = { "departments", cfg_audience_departments, 0, 0,
	    0, 0, 0, NULL },
	[AUD_EXCLUDE] = { "exclude_departments", cfg_audience_exclude, 0, 0,
	    0, 0, 0, NULL },
	[AUD_LOCATIONS] = { "locations", cfg_audience_locations, 0, 0, 0, 0,
	    0, NULL },
	{ NULL, NULL, 0, 0, 0, 0, 0, NULL },
};

static bool
cfg_audience(struct cfg *c, yaml_node_t *n, const char *path, void *base,
    const struct cfg_key *k)
{
	struct program_sessions *ss = base;
	struct program_audience *a = &ss->audience;
	struct cfg_seen seen[CFG_MAX_KEYS];
	size_t i, j;

	(void)k;
	if (!cfg_map(c, n, path, cfg_audience_keys, a, seen))
		return false;
	if (seen[AUD_MIN_LEVEL].ok && seen[AUD_MAX_LEVEL].ok &&
	    a->rules.min_level > a->rules.max_level) {
		cfg_error(c, seen[AUD_MAX_LEVEL].value, "max_level %d is below "
		    "min_level %d in %s", a->rules.max_level,
		    a->rules.min_level, path);
		return false;
	}
	if (seen[AUD_ROLES].ok && a->from == AUDIENCE_EVERYONE) {
		cfg_error(c, seen[AUD_ROLES].value, "%s.roles picks among the "
		    "programme's enrollments, but %s.from is everyone", path,
		    path);
		return false;
	}
	/* A department both wanted and excluded is a contradiction. */
	for (i = 0; i < a->ndepartments; i++)
		for (j = 0; j < a->nexclude_departments; j++)
			if (strcasecmp(a->departments[i],
			    a->exclude_departments[j]) == 0) {
				cfg_error(c, seen[AUD_EXCLUDE].value,
				    "department '%s' is both in %s.departments "
				    "and in %s.exclude_departments",
				    a->departments[i], path, path);
				return false;
			}
	return true;
}

static const struct cfg_key cfg_sessions_keys[] = {
	{ "per_leader_per_year", cfg_int,
	    offsetof(struct program_sessions, per_leader_per_year), 0, 0, 52,
	    0, NULL },
	{ "seats", cfg_int, offsetof(struct program_sessions, seats), 0, 1,
	    10000, 0, NULL },
	{ "minutes", cfg_int, offsetof(struct program_sessions, minutes), 0, 5,
	    1440, 0, NULL },
	{ "timezone", cfg_zone_field,
	    offsetof(struct program_sessions, timezone), 0, 0, 0, 0, NULL },
	{ "audience", cfg_audience, 0, 0, 0, 0, 0, NULL },
	{ NULL, NULL, 0, 0, 0, 0, 0, NULL },
};

static bool
cfg_sessions(struct cfg *c, yaml_node_t *n, const char *path, void *base,
    const struct cfg_key *k)
{
	struct program *p = base;

	(void)k;
	if (!cfg_map(c, n, path, cfg_sessions_keys, &p->sessions, NULL))
		return false;
	p->sessions.present = true;
	return true;
}

/* Format blocks wait until the format is known: see cfg_format_blocks(). */
static bool
cfg_defer(struct cfg *c, yaml_node_t *n, const char *path, void *base,
    const struct cfg_key *k)
{
	(void)c;
	(void)n;
	(void)path;
	(void)base;
	(void)k;
	return true;
}

enum {
	TOP_SLUG,
	TOP_NAME,
	TOP_PURPOSE,
	TOP_FORMAT,
	TOP_OWNER,
	TOP_CONTACT,
	TOP_SPONSOR,
	TOP_DESCRIPTION,
	TOP_GOALS,
	TOP_ROLES,
	TOP_CYCLE,
	TOP_CHECKINS,
	TOP_MATCHING,
	TOP_CONFIDENTIALITY,
	TOP_FLASH,
	TOP_ROTATION,
	TOP_GROUP,
	TOP_PEER,
	TOP_NETWORK,
	TOP_SESSIONS,
};

static const struct cfg_key cfg_top_keys[] = {
	[TOP_SLUG] = { "slug", cfg_slug, 0, CFG_REQUIRED, 0, 0, 0, NULL },
	[TOP_NAME] = { "name", cfg_str, offsetof(struct program, name),
	    CFG_REQUIRED, 0, 0, 0, NULL },
	[TOP_PURPOSE] = { "purpose", cfg_purpose, 0, CFG_REQUIRED, 0, 0, 0,
	    NULL },
	[TOP_FORMAT] = { "format", cfg_format, 0, CFG_REQUIRED, 0, 0, 0, NULL },
	[TOP_OWNER] = { "owner", cfg_str, offsetof(struct program, owner), 0,
	    0, 0, 0, NULL },
	[TOP_CONTACT] = { "contact", cfg_contact, 0, 0, 0, 0, 0, NULL },
	[TOP_SPONSOR] = { "sponsor", cfg_str, offsetof(struct program, sponsor),
	    0, 0, 0, 0, NULL },
	[TOP_DESCRIPTION] = { "description", cfg_str,
	    offsetof(struct program, description), CFG_MULTILINE, 0, 0, 0,
	    NULL },
	[TOP_GOALS] = { "goals", cfg_goals, 0, 0, 0, 0, 0, NULL },
	[TOP_ROLES] = { "roles", cfg_submap, 0, 0, 0, 0, 0, cfg_roles_keys },
	[TOP_CYCLE] = { "cycle", cfg_cycle, 0, 0, 0, 0, 0, NULL },
	[TOP_CHECKINS] = { "checkins", cfg_checkins, 0, 0, 0, 0, 0, NULL },
	[TOP_MATCHING] = { "matching", cfg_submap,
	    offsetof(struct program, matching), 0, 0, 0, 0, cfg_matching_keys },
	[TOP_CONFIDENTIALITY] = { "confidentiality", cfg_submap, 0, 0, 0, 0, 0,
	    cfg_confidentiality_keys },
	[TOP_FLASH] = { "flash", cfg_defer, 0, 0, 0, 0, 0, NULL },
	[TOP_ROTATION] = { "rotation", cfg_defer, 0, 0, 0, 0, 0, NULL },
	[TOP_GROUP] = { "group", cfg_defer, 0, 0, 0, 0, 0, NULL },
	[TOP_PEER] = { "peer", cfg_defer, 0, 0, 0, 0, 0, NULL },
	[TOP_NETWORK] = { "network", cfg_defer, 0, 0, 0, 0, 0, NULL },
	[TOP_SESSIONS] = { "sessions", cfg_sessions, 0, 0, 0, 0, 0, NULL },
	{ NULL, NULL, 0, 0, 0, 0, 0, NULL },
};

/*
 * A block for another format would be silently ignored, which hides a
 * copy-and-paste mistake (a flash block in a one-to-one programme), so it is
 * an error; flash and rotational cannot run without their block.
 */
static void
cfg_format_blocks(struct cfg *c, yaml_node_t *root, struct cfg_seen *seen)
{
	static const struct {
		int top;
		enum program_format format;
		const struct cfg_key *keys;
		size_t off;
		bool required;
	} blocks[] = {
		{ TOP_FLASH, FORMAT_FLASH, cfg_flash_keys,
		    offsetof(struct program, flash), true },
		{ TOP_ROTATION, FORMAT_ROTATIONAL, cfg_rotation_keys,
		    offsetof(struct program, rotation), true },
		{ TOP_GROUP, FORMAT_GROUP, cfg_group_keys,
		    offsetof(struct program, group), false },
		{ TOP_PEER, FORMAT_PEER, cfg_peer_keys,
		    offsetof(struct program, peer), false },
		{ TOP_NETWORK, FORMAT_NETWORK, cfg_network_keys,
		    offsetof(struct program, network), false },
	};
	struct cfg_seen bseen[CFG_MAX_KEYS];
	struct program *p = c->p;
	bool known = seen[TOP_FORMAT].ok;
	const char *key;
	size_t i;

	cfg_cycle_format(c, known);
	for (i = 0; i < sizeof blocks / sizeof blocks[0]; i++) {
		const struct cfg_seen *s = &seen[blocks[i].top];

		key = cfg_top_keys[blocks[i].top].key;
		if (known && p->format != blocks[i].format) {
			if (s->key != NULL)
				cfg_error(c, s->key, "unexpected block '%s' "
				    "in a %s programme (it configures format "
				    "%s)", key,
				    program_format_name(p->format),
				    program_format_name(blocks[i].format));
			continue;
		}
		if (s->value != NULL) {
			cfg_map(c, s->value, key, blocks[i].keys,
			    (char *)p + blocks[i].off, bseen);
			/* A clock time means nothing without its zone. */
			if (blocks[i].format == FORMAT_FLASH &&
			    p->flash.has_start &&
			    bseen[FLASH_TIMEZONE].key == NULL)
				cfg_error(c, s->value, "flash.start needs "
				    "flash.timezone (the zone of the session's "
				    "clock times)");
		}
		else if (known && blocks[i].required && s->key != NULL)
			cfg_error(c, s->key, "missing value for %s", key);
		else if (known && blocks[i].required)
			cfg_error(c, root, "missing required key '%s' for "
			    "format %s", key, program_format_name(p->format));
	}
}

/*
 * Matching settings that depend on each other or on the format: several
 * mentors per mentee, `min`, objective stable, balance, and a bonus for
 * previous partners that an exclusion would contradict.
 */
static void
cfg_matching_check(struct cfg *c, yaml_node_t *root, struct cfg_seen *seen)
{
	struct program *p = c->p;
	yaml_node_t *at = seen[TOP_MATCHING].value ? seen[TOP_MATCHING].value :
	    seen[TOP_ROLES].value ? seen[TOP_ROLES].value : root;
	yaml_node_t *roles = seen[TOP_ROLES].value ? seen[TOP_ROLES].value : root;
	bool matched = p->format != FORMAT_FLASH &&
	    p->format != FORMAT_ROTATIONAL;
	size_t i;

	if (!seen[TOP_FORMAT].ok)
		return;
	if (p->mentee.capacity > 1 && (!matched || p->format == FORMAT_GROUP))
		cfg_error(c, roles, "roles.mentee.capacity %d: a %s programme "
		    "gives each mentee one %s at a time (several mentors at "
		    "once are for one-to-one, peer and reverse)",
		    p->mentee.capacity, program_format_name(p->format),
		    p->format == FORMAT_GROUP ? "group" : "mentor");
	if (p->mentee.min > p->mentee.capacity)
		cfg_error(c, roles, "roles.mentee.min %d is above "
		    "roles.mentee.capacity %d", p->mentee.min,
		    p->mentee.capacity);
	if (!matched && p->matching.objective == OBJECTIVE_STABLE)
		cfg_error(c, at, "matching.objective stable is for matched "
		    "formats, not %s (its rounds are planned for coverage or "
		    "score)", program_format_name(p->format));
	if (p->matching.objective == OBJECTIVE_STABLE &&
	    p->matching.balance == BALANCE_SPREAD)
		cfg_error(c, at, "matching.balance spread does not apply to "
		    "objective stable (a stable matching is unique for the "
		    "preferences)");
	for (i = 0; i < p->matching.ncriteria; i++)
		if (p->matching.criteria[i].compare ==
		    COMPARE_PREVIOUS_PARTNER &&
		    (p->matching.exclude & EXCLUDE_PREVIOUS_PARTNERS))
			cfg_error(c, at, "matching.criteria[%zu] gives points to "
			    "previous partners, but matching.exclude has "
			    "previous_partners: keep one of them", i + 1);
}

/*
 * A goal's metric that only one format computes (the flash session's) in a
 * programme of another would never be measured: an error at the metric.
 */
static void
cfg_goals_format(struct cfg *c, struct cfg_seen *seen)
{
	struct program *p = c->p;
	yaml_node_t *goals = seen[TOP_GOALS].value, *item, *kn, *vn;
	yaml_node_pair_t *pr;
	size_t i;
	int f;

	if (!seen[TOP_FORMAT].ok || goals == NULL ||
	    goals->type != YAML_SEQUENCE_NODE)
		return;
	for (i = 0; i < p->ngoals && i < cfg_seq_len(goals); i++) {
		f = program_metric_format(p->goals[i].metric);
		if (f < 0 || (enum program_format)f == p->format)
			continue;
		item = cfg_node(c, goals->data.sequence.items.start[i]);
		if (item == NULL || item->type != YAML_MAPPING_NODE)
			continue;
		for (pr = item->data.mapping.pairs.start;
		    pr < item->data.mapping.pairs.top; pr++) {
			kn = cfg_node(c, pr->key);
			vn = cfg_node(c, pr->value);
			if (kn == NULL || vn == NULL ||
			    kn->type != YAML_SCALAR_NODE ||
			    strcmp((const char *)kn->data.scalar.value,
			    "metric") != 0)
				continue;
			cfg_error(c, vn, "metric '%s' for goals[%zu].metric is "
			    "for %s programmes (this one is %s)",
			    p->goals[i].metric, i + 1,
			    program_format_name((enum program_format)f),
			    program_format_name(p->format));
			break;
		}
	}
}

static void
cfg_program_walk(struct cfg *c, yaml_node_t *root)
{
	struct cfg_seen seen[CFG_MAX_KEYS];

	if (!cfg_map(c, root, "", cfg_top_keys, c->p, seen))
		return;
	cfg_format_blocks(c, root, seen);
	cfg_matching_check(c, root, seen);
	cfg_goals_format(c, seen);
}

/* ---- parser errors ----------------------------------------------------- */

/* Reader errors come with a byte offset only. */
static void
cfg_offset_pos(const char *text, size_t len, size_t off, int *line, int *col)
{
	size_t i;

	*line = 1;
	*col = 1;
	for (i = 0; i < off && i < len; i++) {
		if (text[i] == '\n') {
			(*line)++;
			*col = 1;
		} else if (((unsigned char)text[i] & 0xc0) != 0x80)
			(*col)++;
	}
}

/* Marks count characters; find the byte the problem is at. */
static size_t
cfg_mark_byte(const char *text, size_t len, size_t index)
{
	size_t i = 0, chars = 0;

	if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
		i = 3;   /* the reader drops a byte-order mark unmarked */
	for (; i < len; i++) {
		if (((unsigned char)text[i] & 0xc0) == 0x80)
			continue;
		if (chars++ == index)
			return i;
	}
	return len;
}

static void
cfg_parser_error(struct cfg *c, yaml_parser_t *ps, const char *text,
    size_t len)
{
	const yaml_mark_t *m = &ps->problem_mark;
	const char *problem = ps->problem ? ps->problem : "unknown problem";
	int line = (int)m->line + 1, col = (int)m->column + 1;
	size_t at = cfg_mark_byte(text, len, m->index), n;

	switch (ps->error) {
	case YAML_MEMORY_ERROR:
		cfg_error_at(c, 0, 0, "out of memory while parsing YAML");
		break;
	case YAML_READER_ERROR:
		cfg_offset_pos(text, len, ps->problem_offset, &line, &col);
		if (ps->problem_value != -1)
			cfg_error_at(c, line, col, "invalid input: %s (#%X)",
			    problem, (unsigned)ps->problem_value);
		else
			cfg_error_at(c, line, col, "invalid input: %s",
			    problem);
		break;
	case YAML_COMPOSER_ERROR:
		if (ps->context != NULL &&
		    strstr(ps->context, "anchor") != NULL)
			cfg_error_at(c, line, col, "duplicate anchor (first at "
			    "line %zu)", ps->context_mark.line + 1);
		else if (at < len && text[at] == '*') {
			/* Not strcspn(): text need not be NUL-terminated. */
			for (n = 0; at + 1 + n < len && strchr(" \t\r\n,[]{}",
			    text[at + 1 + n]) == NULL; n++)
				;
			cfg_error_at(c, line, col, "undefined alias '*%s'",
			    cfg_quote_mem(c, text + at + 1, n));
		} else
			cfg_error_at(c, line, col, "%s", problem);
		break;
	case YAML_SCANNER_ERROR:
	case YAML_PARSER_ERROR:
		/* libyaml has no word for a tab used as indentation */
		if (at < len && text[at] == '\t' &&
		    strstr(problem, "cannot start any token") != NULL)
			cfg_error_at(c, line, col, "syntax error: tab "
			    "character (indent with spaces)");
		else if (ps->context != NULL)
			cfg_error_at(c, line, col, "syntax error: %s %s",
			    problem, ps->context);
		else
			cfg_error_at(c, line, col, "syntax error: %s", problem);
		break;
	default:
		cfg_error_at(c, line, col, "cannot parse YAML: %s", problem);
		break;
	}
}

/* ---- entry points ------------------------------------------------------ */

/*
 * A first pass over the events refuses deep nesting before the loader's
 * quadratic cost sets in.  Syntax errors are left to yaml_parser_load(),
 * which meets them again at the same place and reports them.
 */
static bool
cfg_depth_ok(struct cfg *c, const char *text, size_t len)
{
	yaml_parser_t ps;
	yaml_event_t ev;
	int depth = 0;
	bool ok = true, done = false;

	if (!yaml_parser_initialize(&ps))
		return true;
	yaml_parser_set_input_string(&ps, (const unsigned char *)text, len);
	while (!done && yaml_parser_parse(&ps, &ev)) {
		switch (ev.type) {
		case YAML_SEQUENCE_START_EVENT:
		case YAML_MAPPING_START_EVENT:
			if (++depth > CFG_MAX_DEPTH) {
				cfg_error_at(c, (int)ev.start_mark.line + 1,
				    (int)ev.start_mark.column + 1,
				    "nesting deeper than %d levels",
				    CFG_MAX_DEPTH);
				ok = false;
				done = true;
			}
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			depth--;
			break;
		case YAML_STREAM_END_EVENT:
			done = true;
			break;
		default:
			break;
		}
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&ps);
	return ok;
}

static bool
cfg_diag_before(const struct diag *a, const struct diag *b)
{
	/* unlocated ones, like "too many problems", go last */
	long la = a->line > 0 ? a->line : LONG_MAX;
	long lb = b->line > 0 ? b->line : LONG_MAX;

	return la < lb || (la == lb && a->col < b->col);
}

/*
 * Handlers report in the order of the checks (a missing key is only known
 * at the end of its mapping); readers want the order of the file.  A stable
 * insertion sort keeps problems at one position in the order found.
 */
static void
cfg_sort_diags(struct diags *d, size_t from)
{
	struct diag t;
	size_t i, j;

	for (i = from + 1; i < d->n; i++) {
		t = d->v[i];
		for (j = i; j > from && cfg_diag_before(&t, &d->v[j - 1]); j--)
			d->v[j] = d->v[j - 1];
		d->v[j] = t;
	}
}

struct program *
cfg_program_parse(const char *name, const char *text, size_t len,
    struct diags *d)
{
	yaml_parser_t parser;
	yaml_document_t doc, extra;
	yaml_node_t *root;
	struct cfg c;
	size_t before = d->n;
	bool have_doc = false;

	memset(&c, 0, sizeof c);
	c.name = name;
	c.d = d;
	if (text == NULL)
		text = "";   /* libyaml asserts on a NULL input */
	if (!cfg_depth_ok(&c, text, len))
		return NULL;
	if (!yaml_parser_initialize(&parser)) {
		cfg_error_at(&c, 0, 0, "out of memory while parsing YAML");
		return NULL;
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	if (!yaml_parser_load(&parser, &doc)) {
		cfg_parser_error(&c, &parser, text, len);
		goto out;
	}
	have_doc = true;
	if ((root = yaml_document_get_root_node(&doc)) == NULL) {
		cfg_error_at(&c, 1, 0, "empty document (expected a mapping "
		    "with slug, name, purpose and format)");
		goto out;
	}
	/* One programme per file; but still check the first one. */
	if (!yaml_parser_load(&parser, &extra))
		cfg_parser_error(&c, &parser, text, len);
	else {
		if (yaml_document_get_root_node(&extra) != NULL)
			cfg_error_at(&c, (int)extra.start_mark.line + 1,
			    (int)extra.start_mark.column + 1, "multiple "
			    "documents in one file (expected one programme per "
			    "file)");
		yaml_document_delete(&extra);
	}
	c.doc = &doc;
	c.max_visits = (size_t)(doc.nodes.top - doc.nodes.start) +
	    CFG_ALIAS_SLACK;
	c.p = program_new();
	cfg_program_walk(&c, root);
out:
	if (have_doc)
		yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	cfg_sort_diags(d, before);
	if (c.nerr > 0) {
		program_free(c.p);
		return NULL;
	}
	return c.p;
}

struct program *
cfg_program_load(const char *path, struct diags *d, struct error *err)
{
	struct program *p;
	char *buf = NULL;
	size_t len = 0, before = d->n;

	if (file_read_all(path, CFG_PROGRAM_MAX_SIZE, &buf, &len, err) == -1)
		return NULL;
	p = cfg_program_parse(strcmp(path, "-") == 0 ? "<stdin>" : path, buf,
	    len, d);
	free(buf);
	if (p == NULL)
		error_set(err, EX_DATAERR, "%s: invalid programme "
		    "(%zu problem%s)", path, d->n - before,
		    d->n - before == 1 ? "" : "s");
	return p;
}
