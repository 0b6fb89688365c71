#include "io/csv.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "io/out.h"
#include "util/strbuf.h"
#include "util/xmalloc.h"

#define CSV_BLOCK (64 * 1024)

/* Bytes that stop the fast copy loop, outside and inside quotes. */
#define CSV_STOP_UNQUOTED 0x01
#define CSV_STOP_QUOTED 0x02

enum csv_term {
	CSV_TERM_COMMA,
	CSV_TERM_EOL,
	CSV_TERM_EOF,
};

struct csv_reader {
	char *name;
	FILE *fp;		/* NULL when reading from memory */
	bool close_fp;
	const unsigned char *buf;	/* the window being parsed: block or caller's memory */
	unsigned char *block;
	size_t pos;
	size_t end;
	bool eof;		/* nothing will come after buf[end - 1] */
	bool started;
	long line;		/* physical line of buf[pos] */
	long rec_line;

	char *rec;		/* the current record's fields, each NUL-terminated */
	size_t reclen;
	size_t reccap;
	size_t *offs;
	size_t offcap;
	char **fields;
	size_t fieldcap;
	size_t nfields;

	int fail_code;		/* errors are sticky: the stream position is lost */
	char *fail_msg;
	bool unguard;		/* csv_set_unguard */
};

#define CSV_U CSV_STOP_UNQUOTED
#define CSV_B (CSV_STOP_UNQUOTED | CSV_STOP_QUOTED)
#define CSV_B8 CSV_B, CSV_B, CSV_B, CSV_B, CSV_B, CSV_B, CSV_B, CSV_B

/* Bytes >= 0x80 stop both loops to be checked as UTF-8. */
static const unsigned char csv_class[256] = {
	['\0'] = CSV_B, ['\n'] = CSV_B, ['\r'] = CSV_B, ['"'] = CSV_B,
	[','] = CSV_U,
	[0x80] = CSV_B8, CSV_B8, CSV_B8, CSV_B8, CSV_B8, CSV_B8, CSV_B8, CSV_B8,
	CSV_B8, CSV_B8, CSV_B8, CSV_B8, CSV_B8, CSV_B8, CSV_B8, CSV_B8,
};

static struct csv_reader *
csv_new(const char *name)
{
	struct csv_reader *r = xcalloc(1, sizeof *r);

	r->name = xstrdup(name);
	r->line = 1;
	return r;
}

struct csv_reader *
csv_open(const char *path, struct error *err)
{
	struct csv_reader *r;
	struct stat st;
	FILE *fp;

	if (strcmp(path, "-") == 0) {
		fp = stdin;
	} else if ((fp = fopen(path, "rb")) == NULL) {
		error_set(err, errno == ENOENT || errno == ENOTDIR ? EX_NOINPUT :
		    EX_IOERR, "%s: %s", path, strerror(errno));
		return NULL;
	}
	/* fopen() happily opens a directory; say so now, not at the first read. */
	if (fstat(fileno(fp), &st) == 0 && S_ISDIR(st.st_mode)) {
		error_set(err, EX_NOINPUT, "%s: %s", path, strerror(EISDIR));
		if (fp != stdin)
			fclose(fp);
		return NULL;
	}
	r = csv_new(fp == stdin ? "<stdin>" : path);
	r->fp = fp;
	r->close_fp = fp != stdin;
	r->block = xmalloc(CSV_BLOCK);
	r->buf = r->block;
	return r;
}

struct csv_reader *
csv_open_mem(const char *name, const char *buf, size_t len)
{
	struct csv_reader *r = csv_new(name);

	r->buf = (const unsigned char *)buf;
	r->end = len;
	r->eof = true;
	return r;
}

const char *
csv_name(const struct csv_reader *r)
{
	return r->name;
}

void
csv_close(struct csv_reader *r)
{
	if (r == NULL)
		return;
	if (r->close_fp)
		fclose(r->fp);
	free(r->name);
	free(r->block);
	free(r->rec);
	free(r->offs);
	free(r->fields);
	free(r->fail_msg);
	free(r);
}

static int
csv_fail(struct csv_reader *r, struct error *err, int code, long line,
    const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static int
csv_fail(struct csv_reader *r, struct error *err, int code, long line,
    const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	if (line > 0)
		strbuf_addf(&sb, "%s:%ld: ", r->name, line);
	else
		strbuf_addf(&sb, "%s: ", r->name);
	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	free(r->fail_msg);
	r->fail_code = code;
	r->fail_msg = strbuf_detach(&sb, NULL);
	return error_set(err, code, "%s", r->fail_msg);
}

/*
 * Make at least want bytes available at buf[pos] unless the input ends first.
 * Everything before pos has been copied into the record, so the tail can
 * move to the front of the block.  Returns the bytes available, -1 on a read
 * error.
 */
static long
csv_fill(struct csv_reader *r, size_t want, struct error *err)
{
	size_t n;

	while (r->end - r->pos < want && !r->eof) {
		if (r->pos > 0) {
			memmove(r->block, r->block + r->pos, r->end - r->pos);
			r->end -= r->pos;
			r->pos = 0;
		}
		n = fread(r->block + r->end, 1, CSV_BLOCK - r->end, r->fp);
		r->end += n;
		if (n == 0) {
			if (ferror(r->fp))
				return csv_fail(r, err, EX_IOERR, 0, "%s",
				    strerror(errno != 0 ? errno : EIO));
			r->eof = true;
		}
	}
	return (long)(r->end - r->pos);
}

static int
csv_append(struct csv_reader *r, const void *p, size_t n, struct error *err)
{
	if (r->reclen + n > CSV_MAX_RECORD)
		return csv_fail(r, err, EX_DATAERR, r->rec_line,
		    "record longer than %d bytes", CSV_MAX_RECORD);
	if (r->reclen + n > r->reccap) {
		r->reccap = r->reccap ? r->reccap : 1024;
		while (r->reccap < r->reclen + n)
			r->reccap *= 2;
		r->rec = xrealloc(r->rec, r->reccap);
	}
	memcpy(r->rec + r->reclen, p, n);
	r->reclen += n;
	return 0;
}

/* Copies one valid UTF-8 sequence starting at a byte >= 0x80. */
static int
csv_utf8(struct csv_reader *r, struct error *err)
{
	unsigned long cp;
	long avail;
	int k;

	if ((avail = csv_fill(r, 4, err)) < 0)
		return -1;
	k = utf8_decode((const char *)r->buf + r->pos, (size_t)avail, &cp);
	if (k <= 0)
		return csv_fail(r, err, EX_DATAERR, r->line,
		    "invalid UTF-8 (byte 0x%02X); save the file as UTF-8",
		    r->buf[r->pos]);
	if (csv_append(r, r->buf + r->pos, (size_t)k, err) == -1)
		return -1;
	r->pos += (size_t)k;
	return 0;
}

/* After a CR, an LF belongs to the same line end. */
static int
csv_skip_lf(struct csv_reader *r, bool keep, struct error *err)
{
	long avail;

	if ((avail = csv_fill(r, 1, err)) < 0)
		return -1;
	if (avail > 0 && r->buf[r->pos] == '\n') {
		if (keep && csv_append(r, "\n", 1, err) == -1)
			return -1;
		r->pos++;
	}
	return 0;
}

/* Copies the run of bytes that need no attention; returns the stop byte or -1 at the end of the window. */
static int
csv_run(struct csv_reader *r, unsigned char stop, struct error *err)
{
	const unsigned char *p = r->buf + r->pos, *e = r->buf + r->end, *q;

	for (q = p; q < e && !(csv_class[*q] & stop); q++)
		;
	if (q > p && csv_append(r, p, (size_t)(q - p), err) == -1)
		return -2;
	r->pos += (size_t)(q - p);
	return q < e ? *q : -1;
}

static int
csv_unquoted(struct csv_reader *r, struct error *err)
{
	long avail;
	int c;

	for (;;) {
		if ((avail = csv_fill(r, 1, err)) < 0)
			return -1;
		if (avail == 0)
			return CSV_TERM_EOF;
		if ((c = csv_run(r, CSV_STOP_UNQUOTED, err)) == -2)
			return -1;
		switch (c) {
		case -1:
			break;
		case ',':
			r->pos++;
			return CSV_TERM_COMMA;
		case '\r':
			r->pos++;
			r->line++;
			return csv_skip_lf(r, false, err) == -1 ? -1 :
			    CSV_TERM_EOL;
		case '\n':
			r->pos++;
			r->line++;
			return CSV_TERM_EOL;
		case '"':
			return csv_fail(r, err, EX_DATAERR, r->line,
			    "quote inside an unquoted field (quote the whole "
			    "field and double the quote: \"a\"\"b\")");
		case '\0':
			return csv_fail(r, err, EX_DATAERR, r->line,
			    "NUL byte (is this a text file?)");
		default:
			if (csv_utf8(r, err) == -1)
				return -1;
			break;
		}
	}
}

/* What may follow a closing quote: a separator, a line end or the end. */
static int
csv_after_quote(struct csv_reader *r, struct error *err)
{
	long avail;

	if ((avail = csv_fill(r, 1, err)) < 0)
		return -1;
	if (avail == 0)
		return CSV_TERM_EOF;
	switch (r->buf[r->pos]) {
	case ',':
		r->pos++;
		return CSV_TERM_COMMA;
	case '\r':
		r->pos++;
		r->line++;
		return csv_skip_lf(r, false, err) == -1 ? -1 : CSV_TERM_EOL;
	case '\n':
		r->pos++;
		r->line++;
		return CSV_TERM_EOL;
	default:
		return csv_fail(r, err, EX_DATAERR, r->line,
		    "text after the closing quote of a field (double a quote "
		    "inside a quoted field: \"a\"\"b\")");
	}
}

static int
csv_quoted(struct csv_reader *r, struct error *err)
{
	long start = r->line, avail;
	int c;

	r->pos++;	/* the opening quote */
	for (;;) {
		if ((avail = csv_fill(r, 1, err)) < 0)
			return -1;
		if (avail == 0)
			return csv_fail(r, err, EX_DATAERR, start,
			    "quoted field is not closed before the end of the "
			    "file");
		if ((c = csv_run(r, CSV_STOP_QUOTED, err)) == -2)
			return -1;
		switch (c) {
		case -1:
			break;
		case '"':
			r->pos++;
			if ((avail = csv_fill(r, 1, err)) < 0)
				return -1;
			if (avail == 0 || r->buf[r->pos] != '"')
				return csv_after_quote(r, err);
			if (csv_append(r, "\"", 1, err) == -1)
				return -1;
			r->pos++;
			break;
		case '\r':
			if (csv_append(r, "\r", 1, err) == -1)
				return -1;
			r->pos++;
			r->line++;
			if (csv_skip_lf(r, true, err) == -1)
				return -1;
			break;
		case '\n':
			if (csv_append(r, "\n", 1, err) == -1)
				return -1;
			r->pos++;
			r->line++;
			break;
		case '\0':
			return csv_fail(r, err, EX_DATAERR, r->line,
			    "NUL byte (is this a text file?)");
		default:
			if (csv_utf8(r, err) == -1)
				return -1;
			break;
		}
	}
}

static int
csv_record(struct csv_reader *r, struct error *err)
{
	long avail;
	int term;

	r->reclen = 0;
	r->nfields = 0;
	for (;;) {
		if (r->nfields == CSV_MAX_FIELDS)
			return csv_fail(r, err, EX_DATAERR, r->rec_line,
			    "record has more than %d fields", CSV_MAX_FIELDS);
		XGROW(r->offs, r->nfields + 1, r->offcap);
		r->offs[r->nfields++] = r->reclen;
		if ((avail = csv_fill(r, 1, err)) < 0)
			return -1;
		if (avail > 0 && r->buf[r->pos] == '"')
			term = csv_quoted(r, err);
		else
			term = csv_unquoted(r, err);
		if (term == -1)
			return -1;
		if (csv_append(r, "", 1, err) == -1)
			return -1;
		if (term != CSV_TERM_COMMA)
			return 0;
	}
}

/*
 * A UTF-16 byte-order mark, or text whose first code units are ASCII with
 * a zero byte beside each: Excel's "Unicode Text" and some HR exports.
 */
static bool
looks_utf16(const unsigned char *p, size_t n)
{
	if (n >= 2 && ((p[0] == 0xFF && p[1] == 0xFE) ||
	    (p[0] == 0xFE && p[1] == 0xFF)))
		return true;
	return n >= 4 && ((p[0] != 0 && p[1] == 0 && p[2] != 0 && p[3] == 0) ||
	    (p[0] == 0 && p[1] != 0 && p[2] == 0 && p[3] != 0));
}

int
csv_next(struct csv_reader *r, struct csv_record *rec, struct error *err)
{
	long avail;
	size_t i;

	if (r->fail_msg != NULL)
		return error_set(err, r->fail_code, "%s", r->fail_msg);
	if (!r->started) {
		r->started = true;
		if ((avail = csv_fill(r, 4, err)) < 0)
			return -1;
		if (avail >= 3 && memcmp(r->buf + r->pos, "\xEF\xBB\xBF", 3) == 0)
			r->pos += 3;
		else if (looks_utf16(r->buf + r->pos, (size_t)avail))
			return csv_fail(r, err, EX_DATAERR, 0, "the file is "
			    "UTF-16 (Excel's 'Unicode Text'), not UTF-8: save it "
			    "as 'CSV UTF-8 (Comma delimited)', or convert it with "
			    "'iconv -f UTF-16 -t UTF-8'");
	}
	for (;;) {
		if ((avail = csv_fill(r, 1, err)) < 0)
			return -1;
		if (avail == 0)
			return 0;
		r->rec_line = r->line;
		if (csv_record(r, err) == -1)
			return -1;
		if (r->nfields == 1 && r->reclen == 1)
			continue;	/* a blank line */
		break;
	}
	XGROW(r->fields, r->nfields, r->fieldcap);
	for (i = 0; i < r->nfields; i++) {
		r->fields[i] = r->rec + r->offs[i];
		if (r->unguard)
			csv_unguard(r->fields[i]);
	}
	rec->fields = r->fields;
	rec->nfields = r->nfields;
	rec->line = r->rec_line;
	return 1;
}

void
csv_unguard(char *s)
{
	if (s[0] == '\'' && csv_guard_needed(s + 1))
		memmove(s, s + 1, strlen(s));
}

void
csv_set_unguard(struct csv_reader *r, bool on)
{
	r->unguard = on;
}

const char *
csv_wrong_separator(const struct csv_record *header)
{
	const char *h;

	if (header->nfields != 1)
		return NULL;
	h = header->fields[0];
	if (strchr(h, ';') != NULL)
		return "the file is separated by semicolons, not commas (as "
		    "Excel saves CSV in many European locales): save it as "
		    "'CSV UTF-8 (Comma delimited)', or convert it";
	if (strchr(h, '\t') != NULL)
		return "the file is separated by tabs, not commas (a TSV or "
		    "text export): save it as 'CSV UTF-8 (Comma delimited)', or "
		    "convert it";
	if (strchr(h, '|') != NULL)
		return "the file is separated by '|', not commas: save it as "
		    "'CSV UTF-8 (Comma delimited)', or convert it";
	return NULL;
}
