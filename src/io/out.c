#include "io/out.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "util/strbuf.h"
#include "util/xmalloc.h"

#define UTF8_REPLACEMENT "\xEF\xBF\xBD"

struct out {
	FILE *fp;
	enum out_format fmt;
	const struct out_col *cols;
	size_t ncols;
	unsigned flags;
	bool started;
	bool finished;
	size_t nrows;
	int saved_errno;	/* of the first write error seen */

	/* out_nested: the column it fills, and where its JSON goes */
	const char *nested_col;
	char *nested_buf;
	size_t nested_len;
	bool nested_record;	/* out_nested_record: one object, not an array */

	/* typed cells of the row being built (out_str ... out_end_row) */
	char **row;
	size_t last;		/* the column set last: the next is likely after it */

	/* table only: every cell, sanitised, with its width in code points */
	char **cells;
	size_t *cellw;
	size_t ncells;
	size_t cellcap;
	size_t cellwcap;
};


/*
 * Columns a code point takes in a terminal (the East Asian Wide and
 * Fullwidth ranges and emoji: 2; combining marks, joiners and variation
 * selectors: 0; else 1), as wcwidth() would say in a UTF-8 locale, without
 * depending on the locale the program runs in.
 */
static int
cp_columns(unsigned long cp)
{
	static const unsigned long zero[][2] = {
		{ 0x0300, 0x036F }, { 0x0483, 0x0489 }, { 0x0591, 0x05BD },
		{ 0x0610, 0x061A }, { 0x064B, 0x065F }, { 0x0E31, 0x0E31 },
		{ 0x0E34, 0x0E3A }, { 0x0E47, 0x0E4E }, { 0x1AB0, 0x1AFF },
		{ 0x1DC0, 0x1DFF }, { 0x200B, 0x200F }, { 0x20D0, 0x20FF },
		{ 0xFE00, 0xFE0F }, { 0xFE20, 0xFE2F }, { 0xE0100, 0xE01EF },
	};
	static const unsigned long wide[][2] = {
		{ 0x1100, 0x115F }, { 0x231A, 0x231B }, { 0x2329, 0x232A },
		{ 0x23E9, 0x23EC }, { 0x23F0, 0x23F0 }, { 0x23F3, 0x23F3 },
		{ 0x25FD, 0x25FE }, { 0x2614, 0x2615 }, { 0x2648, 0x2653 },
		{ 0x267F, 0x267F }, { 0x2693, 0x2693 }, { 0x26A1, 0x26A1 },
		{ 0x26AA, 0x26AB }, { 0x26BD, 0x26BE }, { 0x26C4, 0x26C5 },
		{ 0x26CE, 0x26CE }, { 0x26D4, 0x26D4 }, { 0x26EA, 0x26EA },
		{ 0x26F2, 0x26F3 }, { 0x26F5, 0x26F5 }, { 0x26FA, 0x26FA },
		{ 0x26FD, 0x26FD }, { 0x2705, 0x2705 }, { 0x270A, 0x270B },
		{ 0x2728, 0x2728 }, { 0x274C, 0x274C }, { 0x274E, 0x274E },
		{ 0x2753, 0x2755 }, { 0x2757, 0x2757 }, { 0x2795, 0x2797 },
		{ 0x27B0, 0x27B0 }, { 0x27BF, 0x27BF }, { 0x2B1B, 0x2B1C },
		{ 0x2B50, 0x2B50 }, { 0x2B55, 0x2B55 }, { 0x2E80, 0x303E },
		{ 0x3041, 0x33FF }, { 0x3400, 0x4DBF }, { 0x4E00, 0x9FFF },
		{ 0xA000, 0xA4CF }, { 0xA960, 0xA97F }, { 0xAC00, 0xD7A3 },
		{ 0xF900, 0xFAFF }, { 0xFE10, 0xFE19 }, { 0xFE30, 0xFE6F },
		{ 0xFF00, 0xFF60 }, { 0xFFE0, 0xFFE6 }, { 0x16FE0, 0x16FE4 },
		{ 0x17000, 0x18CFF }, { 0x1B000, 0x1B2FF }, { 0x1F004, 0x1F004 },
		{ 0x1F0CF, 0x1F0CF }, { 0x1F18E, 0x1F18E }, { 0x1F191, 0x1F19A },
		{ 0x1F200, 0x1F251 }, { 0x1F300, 0x1F64F }, { 0x1F680, 0x1F6FF },
		{ 0x1F7E0, 0x1F7EB }, { 0x1F90C, 0x1F9FF }, { 0x1FA70, 0x1FAFF },
		{ 0x20000, 0x2FFFD }, { 0x30000, 0x3FFFD },
	};
	size_t i;

	for (i = 0; i < sizeof zero / sizeof zero[0]; i++)
		if (cp >= zero[i][0] && cp <= zero[i][1])
			return 0;
	if (cp < 0x1100)
		return 1;
	for (i = 0; i < sizeof wide / sizeof wide[0]; i++)
		if (cp >= wide[i][0] && cp <= wide[i][1])
			return 2;
	return 1;
}

size_t
utf8_width(const char *s)
{
	size_t n = 0, len = strlen(s);
	unsigned long cp;
	int k;

	while (len > 0) {
		k = utf8_decode(s, len, &cp);
		if (k < 0) {
			k = -k;
			n++;            /* U+FFFD */
		} else {
			n += (size_t)cp_columns(cp);
		}
		s += k;
		len -= (size_t)k;
	}
	return n;
}

int
out_format_parse(const char *s)
{
	if (s == NULL)
		return -1;
	if (strcmp(s, "table") == 0)
		return OUT_TABLE;
	if (strcmp(s, "csv") == 0)
		return OUT_CSV;
	if (strcmp(s, "json") == 0)
		return OUT_JSON;
	return -1;
}

bool
csv_guard_needed(const char *s)
{
	while (*s == '\'')
		s++;
	return *s != '\0' && strchr("=+-@\t\r", *s) != NULL;
}

void
csv_write_field(FILE *fp, const char *s, bool guard_formula)
{
	const char *q;
	bool quote;

	if (s == NULL)
		return;
	quote = s[strcspn(s, ",\"\r\n")] != '\0';
	if (quote)
		putc('"', fp);
	/*
	 * A leading ' makes spreadsheets show the cell as text, not run it;
	 * csv_guard_needed() keeps it reversible for the importers.
	 */
	if (guard_formula && csv_guard_needed(s))
		putc('\'', fp);
	if (quote) {
		while ((q = strchr(s, '"')) != NULL) {
			fwrite(s, 1, (size_t)(q - s) + 1, fp);
			putc('"', fp);
			s = q + 1;
		}
	}
	fputs(s, fp);
	if (quote)
		putc('"', fp);
}

static void
json_write_escape(FILE *fp, unsigned char c)
{
	switch (c) {
	case '"':
		fputs("\\\"", fp);
		break;
	case '\\':
		fputs("\\\\", fp);
		break;
	case '\n':
		fputs("\\n", fp);
		break;
	case '\r':
		fputs("\\r", fp);
		break;
	case '\t':
		fputs("\\t", fp);
		break;
	case '\b':
		fputs("\\b", fp);
		break;
	case '\f':
		fputs("\\f", fp);
		break;
	default:
		fprintf(fp, "\\u%04x", c);
		break;
	}
}

void
json_write_string(FILE *fp, const char *s)
{
	const char *p, *run, *end;
	unsigned long cp;
	unsigned char c;
	int k;

	if (s == NULL) {
		fputs("null", fp);
		return;
	}
	putc('"', fp);
	end = s + strlen(s);
	for (p = run = s; p < end;) {
		c = (unsigned char)*p;
		if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
			p++;
			continue;
		}
		if (c >= 0x80) {
			k = utf8_decode(p, (size_t)(end - p), &cp);
			/*
			 * U+2028 and U+2029 are valid JSON but end a line in
			 * JavaScript, which breaks anyone who evals or embeds it.
			 */
			if (k > 0 && cp != 0x2028 && cp != 0x2029) {
				p += k;
				continue;
			}
			fwrite(run, 1, (size_t)(p - run), fp);
			if (k > 0)
				fprintf(fp, "\\u%04lx", cp);
			else
				fputs(UTF8_REPLACEMENT, fp);
			p += k > 0 ? k : -k;
		} else {
			fwrite(run, 1, (size_t)(p - run), fp);
			json_write_escape(fp, c);
			p++;
		}
		run = p;
	}
	fwrite(run, 1, (size_t)(p - run), fp);
	putc('"', fp);
}

/* RFC 8259 number grammar: strtod would also take "inf", "0x1p3", " 1". */
static bool
json_is_number(const char *s)
{
	if (*s == '-')
		s++;
	if (*s == '0') {
		s++;
	} else if (*s >= '1' && *s <= '9') {
		while (*s >= '0' && *s <= '9')
			s++;
	} else {
		return false;
	}
	if (*s == '.') {
		s++;
		if (*s < '0' || *s > '9')
			return false;
		while (*s >= '0' && *s <= '9')
			s++;
	}
	if (*s == 'e' || *s == 'E') {
		s++;
		if (*s == '+' || *s == '-')
			s++;
		if (*s < '0' || *s > '9')
			return false;
		while (*s >= '0' && *s <= '9')
			s++;
	}
	return *s == '\0';
}

/*
 * A table cell must stay on one line and must not drive the terminal:
 * C0 and C1 controls (ESC, CSI, newlines, tabs) become spaces, and invalid
 * UTF-8 becomes U+FFFD so the width we measure is the width shown.
 */
static char *
table_cell(const char *s, size_t *width)
{
	struct strbuf sb = STRBUF_INIT;
	const char *end;
	unsigned long cp;
	unsigned char c;
	size_t w = 0;
	int k;

	if (s == NULL) {
		*width = 1;
		return xstrdup("-");
	}
	end = s + strlen(s);
	strbuf_grow(&sb, (size_t)(end - s));
	while (s < end) {
		c = (unsigned char)*s;
		if (c < 0x80) {
			strbuf_addch(&sb, c < 0x20 || c == 0x7F ? ' ' : c);
			s++;
		} else if ((k = utf8_decode(s, (size_t)(end - s), &cp)) > 0) {
			if (cp < 0xA0) {
				strbuf_addch(&sb, ' ');
			} else {
				strbuf_add(&sb, s, (size_t)k);
				w += (size_t)cp_columns(cp) - 1;
			}
			s += k;
		} else {
			strbuf_addstr(&sb, UTF8_REPLACEMENT);
			s += -k;
		}
		w++;
	}
	*width = w;
	return strbuf_detach(&sb, NULL);
}

struct out *
out_new(FILE *fp, enum out_format fmt, const struct out_col *cols,
    size_t ncols, unsigned flags)
{
	struct out *o = xcalloc(1, sizeof *o);

	o->fp = fp;
	o->fmt = fmt;
	o->cols = cols;
	o->ncols = ncols;
	o->flags = flags;
	return o;
}

static void
out_note_error(struct out *o)
{
	if (o->saved_errno == 0 && ferror(o->fp))
		o->saved_errno = errno != 0 ? errno : EIO;
}

static void
csv_begin(struct out *o)
{
	size_t i;

	if (o->flags & OUT_BOM)
		fputs("\xEF\xBB\xBF", o->fp);
	for (i = 0; i < o->ncols; i++) {
		if (i > 0)
			putc(',', o->fp);
		csv_write_field(o->fp, o->cols[i].name, true);
	}
	fputs("\r\n", o->fp);
}

static void
csv_row(struct out *o, const char *const *cells)
{
	size_t i;

	for (i = 0; i < o->ncols; i++) {
		if (i > 0)
			putc(',', o->fp);
		/* Nested cells are text too: a list of names, a record. */
		csv_write_field(o->fp, cells[i], o->cols[i].type == OUT_STR ||
		    o->cols[i].type == OUT_NESTED);
	}
	fputs("\r\n", o->fp);
}

static void
json_row(struct out *o, const char *const *cells)
{
	const char *c;
	size_t i;

	if (o->nested_record)
		putc('{', o->fp);
	else if (o->nested_col != NULL)
		fputs(o->nrows == 0 ? "[{" : ",{", o->fp);
	else
		fputs(o->nrows == 0 ? "[\n{" : ",\n{", o->fp);
	for (i = 0; i < o->ncols; i++) {
		if (i > 0)
			putc(',', o->fp);
		json_write_string(o->fp, o->cols[i].name);
		putc(':', o->fp);
		c = cells[i];
		if (c != NULL && o->cols[i].type == OUT_NESTED)
			fputs(c, o->fp);
		else if (c != NULL && o->cols[i].type == OUT_BOOL &&
		    (strcmp(c, "yes") == 0 || strcmp(c, "no") == 0))
			fputs(c[0] == 'y' ? "true" : "false", o->fp);
		else if (c != NULL && (o->cols[i].type == OUT_INT ||
		    o->cols[i].type == OUT_REAL) && json_is_number(c))
			fputs(c, o->fp);
		else
			json_write_string(o->fp, c);
	}
	putc('}', o->fp);
}

static void
table_add(struct out *o, const char *s)
{
	XGROW(o->cells, o->ncells + 1, o->cellcap);
	XGROW(o->cellw, o->ncells + 1, o->cellwcap);
	o->cells[o->ncells] = table_cell(s, &o->cellw[o->ncells]);
	o->ncells++;
}

void
out_row(struct out *o, const char *const *cells)
{
	size_t i;

	if (o->finished)
		return;
	switch (o->fmt) {
	case OUT_CSV:
		if (!o->started)
			csv_begin(o);
		csv_row(o, cells);
		break;
	case OUT_JSON:
		json_row(o, cells);
		break;
	case OUT_TABLE:
		for (i = 0; i < o->ncols; i++)
			table_add(o, cells[i]);
		break;
	}
	o->started = true;
	o->nrows++;
	out_note_error(o);
}

static void
table_line(struct out *o, struct strbuf *sb, char *const *cells,
    const size_t *cellw, const size_t *widths, bool header)
{
	size_t i, pad;

	strbuf_reset(sb);
	for (i = 0; i < o->ncols; i++) {
		bool right = (o->cols[i].type == OUT_INT ||
		    o->cols[i].type == OUT_REAL) && !header;

		if (right)
			for (pad = cellw[i]; pad < widths[i]; pad++)
				strbuf_addch(sb, ' ');
		strbuf_addstr(sb, cells[i]);
		if (i + 1 < o->ncols) {
			for (pad = right ? widths[i] : cellw[i];
			    pad < widths[i] + 2; pad++)
				strbuf_addch(sb, ' ');
		}
	}
	/* Padding before empty trailing cells (or a cell's own trailing blanks). */
	while (sb->len > 0 && sb->buf[sb->len - 1] == ' ')
		sb->len--;
	strbuf_setlen(sb, sb->len);
	strbuf_addch(sb, '\n');
	fwrite(sb->buf, 1, sb->len, o->fp);
}

/* OUT_RECORD: "field  value" lines, a blank line between records. */
static void
record_flush(struct out *o)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i, r, w = 0, pad;

	for (i = 0; i < o->ncols; i++)
		if (utf8_width(o->cols[i].name) > w)
			w = utf8_width(o->cols[i].name);
	for (r = 0; r < o->nrows; r++) {
		if (r > 0)
			putc('\n', o->fp);
		for (i = 0; i < o->ncols; i++) {
			strbuf_reset(&sb);
			strbuf_addstr(&sb, o->cols[i].name);
			for (pad = utf8_width(o->cols[i].name); pad < w + 2; pad++)
				strbuf_addch(&sb, ' ');
			strbuf_addstr(&sb, o->cells[r * o->ncols + i]);
			while (sb.len > 0 && sb.buf[sb.len - 1] == ' ')
				sb.len--;
			strbuf_setlen(&sb, sb.len);
			strbuf_addch(&sb, '\n');
			fwrite(sb.buf, 1, sb.len, o->fp);
		}
	}
	strbuf_release(&sb);
}

static void
table_flush(struct out *o)
{
	struct strbuf sb = STRBUF_INIT;
	char **head;
	size_t *headw, *widths;
	size_t i, r;
	char *p;

	head = xcalloc(o->ncols, sizeof *head);
	headw = xcalloc(o->ncols, sizeof *headw);
	widths = xcalloc(o->ncols, sizeof *widths);
	for (i = 0; i < o->ncols; i++) {
		head[i] = table_cell(o->cols[i].name, &headw[i]);
		for (p = head[i]; *p != '\0'; p++) {
			if (*p >= 'a' && *p <= 'z')
				*p = (char)(*p - 'a' + 'A');
		}
		widths[i] = o->flags & OUT_NO_HEADER ? 0 : headw[i];
	}
	for (r = 0; r < o->nrows; r++) {
		for (i = 0; i < o->ncols; i++) {
			if (o->cellw[r * o->ncols + i] > widths[i])
				widths[i] = o->cellw[r * o->ncols + i];
		}
	}
	if (!(o->flags & OUT_NO_HEADER) && o->ncols > 0)
		table_line(o, &sb, head, headw, widths, true);
	for (r = 0; r < o->nrows && o->ncols > 0; r++)
		table_line(o, &sb, o->cells + r * o->ncols,
		    o->cellw + r * o->ncols, widths, false);
	for (i = 0; i < o->ncols; i++)
		free(head[i]);
	free(head);
	free(headw);
	free(widths);
	strbuf_release(&sb);
}

int
out_finish(struct out *o)
{
	if (o->finished)
		goto check;
	o->finished = true;
	switch (o->fmt) {
	case OUT_CSV:
		if (!o->started)
			csv_begin(o);
		break;
	case OUT_JSON:
		if (o->nested_record) {
			if (o->nrows == 0)
				fputs("null", o->fp);
		} else if (o->nested_col != NULL)
			fputs(o->nrows == 0 ? "[]" : "]", o->fp);
		else
			fputs(o->nrows == 0 ? "[]\n" : "\n]\n", o->fp);
		break;
	case OUT_TABLE:
		if (o->flags & OUT_RECORD)
			record_flush(o);
		else
			table_flush(o);
		break;
	}
	out_note_error(o);
check:
	errno = 0;
	if (fflush(o->fp) == EOF) {
		if (o->saved_errno == 0)
			o->saved_errno = errno != 0 ? errno : EIO;
	}
	out_note_error(o);
	if (o->saved_errno != 0) {
		errno = o->saved_errno;
		return -1;
	}
	return 0;
}

static size_t
col_index(struct out *o, const char *col)
{
	size_t i, k;

	/* Rows are usually filled in column order: try the next one first. */
	for (k = 0; k < o->ncols; k++) {
		i = (o->last + 1 + k) % o->ncols;
		if (strcmp(o->cols[i].name, col) == 0) {
			o->last = i;
			return i;
		}
	}
	fprintf(stderr, "mentorctl: internal error: the output has no column "
	    "'%s'\n", col);
	abort();
}

static void
cell_set(struct out *o, const char *col, char *v)
{
	size_t i;

	if (o->row == NULL) {
		o->row = xcalloc(o->ncols ? o->ncols : 1, sizeof *o->row);
		o->last = o->ncols ? o->ncols - 1 : 0;
	}
	i = col_index(o, col);
	free(o->row[i]);
	o->row[i] = v;
}

FILE *
out_stream(const struct out *o)
{
	return o->fp;
}

bool
out_has_col(const struct out *o, const char *col)
{
	size_t i;

	for (i = 0; i < o->ncols; i++)
		if (strcmp(o->cols[i].name, col) == 0)
			return true;
	return false;
}

void
out_str(struct out *o, const char *col, const char *s)
{
	cell_set(o, col, s ? xstrdup(s) : NULL);
}

void
out_int(struct out *o, const char *col, long long v)
{
	cell_set(o, col, xasprintf("%lld", v));
}

void
out_date(struct out *o, const char *col, int day)
{
	char buf[DATE_BUFSZ];

	cell_set(o, col, day == DATE_NONE ? NULL :
	    xstrdup(date_format(day, buf)));
}

void
out_centi(struct out *o, const char *col, long long centi)
{
	long long a = centi < 0 ? -centi : centi;

	cell_set(o, col, xasprintf("%s%lld.%02lld", centi < 0 ? "-" : "",
	    a / 100, a % 100));
}

void
out_real(struct out *o, const char *col, double v, int decimals)
{
	cell_set(o, col, isnan(v) ? NULL : xasprintf("%.*f", decimals, v));
}

void
out_bool(struct out *o, const char *col, bool v)
{
	cell_set(o, col, xstrdup(v ? "yes" : "no"));
}

void
out_end_row(struct out *o)
{
	size_t i;

	if (o->row == NULL)
		o->row = xcalloc(o->ncols ? o->ncols : 1, sizeof *o->row);
	out_row(o, (const char *const *)o->row);
	for (i = 0; i < o->ncols; i++) {
		free(o->row[i]);
		o->row[i] = NULL;
	}
	o->last = o->ncols ? o->ncols - 1 : 0;
}

static void
need_nested(struct out *o, const char *col)
{
	if (o->cols[col_index(o, col)].type != OUT_NESTED) {
		fprintf(stderr, "mentorctl: internal error: column '%s' is not "
		    "OUT_NESTED\n", col);
		abort();
	}
}

struct out *
out_nested(struct out *o, const char *col, const struct out_col *cols,
    size_t ncols)
{
	struct out *sub;

	need_nested(o, col);
	/*
	 * Outside JSON only the count of rows (a listing) or the cells as text
	 * (a record) reach the cell: the sub-writer's own bytes are dropped.
	 */
	sub = out_new(NULL, o->fmt == OUT_JSON ? OUT_JSON : OUT_CSV, cols,
	    ncols, 0);
	sub->nested_col = col;
	if ((sub->fp = open_memstream(&sub->nested_buf,
	    &sub->nested_len)) == NULL) {
		fprintf(stderr, "mentorctl: out of memory\n");
		exit(70);
	}
	return sub;
}

struct out *
out_nested_record(struct out *o, const char *col, const struct out_col *cols,
    size_t ncols)
{
	struct out *sub = out_nested(o, col, cols, ncols);

	sub->nested_record = true;
	return sub;
}

/* A record's cells for a table or CSV: "name value, name value". */
static char *
record_text(const struct out *sub)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	for (i = 0; sub->row != NULL && i < sub->ncols; i++) {
		if (sub->row[i] == NULL)
			continue;
		strbuf_addf(&sb, "%s%s %s", sb.len ? ", " : "", sub->cols[i].name,
		    sub->row[i]);
	}
	if (sb.len == 0) {
		strbuf_release(&sb);
		return NULL;
	}
	return strbuf_detach(&sb, NULL);
}

void
out_nested_end(struct out *o, struct out *sub)
{
	const char *col = sub->nested_col;
	char *text = NULL;

	/* A record is its one row: the cells set since out_nested_record. */
	if (sub->nested_record) {
		text = record_text(sub);
		if (sub->row != NULL)
			out_end_row(sub);
	}
	out_finish(sub);
	fclose(sub->fp);
	if (o->fmt == OUT_JSON) {
		cell_set(o, col, sub->nested_buf);
		sub->nested_buf = NULL;
	} else if (sub->nested_record) {
		cell_set(o, col, text);
		text = NULL;
	} else {
		cell_set(o, col, xasprintf("%zu", sub->nrows));
	}
	free(text);
	free(sub->nested_buf);
	out_free(sub);
}

void
out_strv(struct out *o, const char *col, const char *const *items, size_t n)
{
	struct strbuf sb = STRBUF_INIT;
	char *buf = NULL;
	size_t len = 0, i;
	FILE *fp;

	need_nested(o, col);
	if (o->fmt != OUT_JSON) {
		for (i = 0; i < n; i++)
			strbuf_addf(&sb, "%s%s", i ? "; " : "", items[i]);
		cell_set(o, col, n ? strbuf_detach(&sb, NULL) : NULL);
		strbuf_release(&sb);
		return;
	}
	if ((fp = open_memstream(&buf, &len)) == NULL) {
		fprintf(stderr, "mentorctl: out of memory\n");
		exit(70);
	}
	putc('[', fp);
	for (i = 0; i < n; i++) {
		if (i > 0)
			putc(',', fp);
		json_write_string(fp, items[i]);
	}
	putc(']', fp);
	fclose(fp);
	cell_set(o, col, buf);
}

void
out_free(struct out *o)
{
	size_t i;

	if (o == NULL)
		return;
	if (o->row != NULL) {
		for (i = 0; i < o->ncols; i++)
			free(o->row[i]);
		free(o->row);
	}
	for (i = 0; i < o->ncells; i++)
		free(o->cells[i]);
	free(o->cells);
	free(o->cellw);
	free(o);
}
