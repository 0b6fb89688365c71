#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "io/csv.h"
#include "io/out.h"
#include "util/strbuf.h"
#include "util/xmalloc.h"

/* A scratch directory per test, as libssh's torture tests make them. */
struct scratch {
	char dir[64];
	char *files[16];
	size_t nfiles;
};

static int
setup(void **state)
{
	struct scratch *s = xcalloc(1, sizeof *s);

	snprintf(s->dir, sizeof s->dir, "/tmp/test_csv.XXXXXX");
	if (mkdtemp(s->dir) == NULL)
		return -1;
	*state = s;
	return 0;
}

static int
teardown(void **state)
{
	struct scratch *s = *state;
	size_t i;

	for (i = 0; i < s->nfiles; i++) {
		unlink(s->files[i]);
		free(s->files[i]);
	}
	rmdir(s->dir);
	free(s);
	return 0;
}

static const char *
scratch_file(void **state, const char *name, const void *data, size_t len)
{
	struct scratch *s = *state;
	char *path = xasprintf("%s/%s", s->dir, name);
	FILE *fp;

	assert_true(s->nfiles < sizeof s->files / sizeof s->files[0]);
	s->files[s->nfiles++] = path;
	fp = fopen(path, "wb");
	assert_non_null(fp);
	assert_int_equal(fwrite(data, 1, len, fp), len);
	assert_int_equal(fclose(fp), 0);
	return path;
}

static struct csv_reader *
mem(const char *s)
{
	return csv_open_mem("t.csv", s, strlen(s));
}

/* The next record starts on line and holds exactly the n fields given. */
static void
expect_rec(struct csv_reader *r, long line, size_t n, ...)
{
	struct error err = ERROR_INIT;
	struct csv_record rec;
	va_list ap;
	size_t i;
	int rc;

	rc = csv_next(r, &rec, &err);
	if (rc != 1)
		fail_msg("csv_next = %d (%s), want a record on line %ld", rc,
		    err.msg ? err.msg : "end of input", line);
	assert_int_equal(rec.line, line);
	assert_int_equal(rec.nfields, n);
	va_start(ap, n);
	for (i = 0; i < n; i++)
		assert_string_equal(rec.fields[i], va_arg(ap, const char *));
	va_end(ap);
	error_clear(&err);
}

static void
expect_end(struct csv_reader *r)
{
	struct error err = ERROR_INIT;
	struct csv_record rec;

	assert_int_equal(csv_next(r, &rec, &err), 0);
	assert_null(err.msg);
	/* And it stays at the end. */
	assert_int_equal(csv_next(r, &rec, &err), 0);
}

/* Reads len bytes of buf up to the first error, which must be want (code EX_DATAERR). */
static void
expect_error_len(const char *buf, size_t len, const char *want)
{
	struct csv_reader *r = csv_open_mem("t.csv", buf, len);
	struct error err = ERROR_INIT;
	struct csv_record rec;
	int rc;

	while ((rc = csv_next(r, &rec, &err)) == 1)
		;
	if (rc != -1)
		fail_msg("no error, want '%s'", want);
	assert_non_null(err.msg);
	if (strncmp(err.msg, want, strlen(want)) != 0)
		fail_msg("error '%s', want it to start with '%s'", err.msg,
		    want);
	assert_int_equal(err.code, EX_DATAERR);
	/* Errors are sticky. */
	error_clear(&err);
	assert_int_equal(csv_next(r, &rec, &err), -1);
	assert_non_null(err.msg);
	assert_true(strncmp(err.msg, want, strlen(want)) == 0);
	error_clear(&err);
	csv_close(r);
}

static void
expect_error(const char *buf, const char *want)
{
	expect_error_len(buf, strlen(buf), want);
}

/* --- RFC 4180 ---------------------------------------------------------- */

static void
test_simple(void **state)
{
	struct csv_reader *r = mem("email,name\na@x.org,Ada\nb@x.org,Bob\n");

	(void)state;
	assert_string_equal(csv_name(r), "t.csv");
	expect_rec(r, 1, 2, "email", "name");
	expect_rec(r, 2, 2, "a@x.org", "Ada");
	expect_rec(r, 3, 2, "b@x.org", "Bob");
	expect_end(r);
	csv_close(r);
}

static void
test_no_final_newline(void **state)
{
	struct csv_reader *r = mem("a,b\n1,2");

	(void)state;
	expect_rec(r, 1, 2, "a", "b");
	expect_rec(r, 2, 2, "1", "2");
	expect_end(r);
	csv_close(r);

	r = mem("a,b\r\n\"1\",\"2\"");
	expect_rec(r, 1, 2, "a", "b");
	expect_rec(r, 2, 2, "1", "2");
	expect_end(r);
	csv_close(r);
}

static void
test_line_ends(void **state)
{
	struct csv_reader *r;

	(void)state;
	r = mem("a,b\r\n1,2\r\n3,4\r\n");
	expect_rec(r, 1, 2, "a", "b");
	expect_rec(r, 2, 2, "1", "2");
	expect_rec(r, 3, 2, "3", "4");
	expect_end(r);
	csv_close(r);

	/* Old Mac files end lines with a lone CR. */
	r = mem("a,b\r1,2\r3,4\r");
	expect_rec(r, 1, 2, "a", "b");
	expect_rec(r, 2, 2, "1", "2");
	expect_rec(r, 3, 2, "3", "4");
	expect_end(r);
	csv_close(r);

	r = mem("a\r\nb\nc\rd\n\re");
	expect_rec(r, 1, 1, "a");
	expect_rec(r, 2, 1, "b");
	expect_rec(r, 3, 1, "c");
	expect_rec(r, 4, 1, "d");
	expect_rec(r, 6, 1, "e");	/* "\n\r" is two line ends */
	expect_end(r);
	csv_close(r);
}

static void
test_bom(void **state)
{
	struct csv_reader *r;

	(void)state;
	r = mem("\xEF\xBB\xBF" "email,name\r\na@x,A\r\n");
	expect_rec(r, 1, 2, "email", "name");
	expect_rec(r, 2, 2, "a@x", "A");
	expect_end(r);
	csv_close(r);

	r = mem("\xEF\xBB\xBF\"email\",name\n");
	expect_rec(r, 1, 2, "email", "name");
	expect_end(r);
	csv_close(r);

	/* Only at the very start: later it is data (U+FEFF). */
	r = mem("a\n\xEF\xBB\xBF" "b\n");
	expect_rec(r, 1, 1, "a");
	expect_rec(r, 2, 1, "\xEF\xBB\xBF" "b");
	expect_end(r);
	csv_close(r);

	r = mem("\xEF\xBB\xBF\xEF\xBB\xBFx");
	expect_rec(r, 1, 1, "\xEF\xBB\xBFx");
	expect_end(r);
	csv_close(r);

	r = mem("\xEF\xBB\xBF");
	expect_end(r);
	csv_close(r);

	r = mem("\xEF\xBB\xBF\r\n");
	expect_end(r);
	csv_close(r);

	expect_error("\xEF\xBB", "t.csv:1: invalid UTF-8");
}

static void
test_quoted_fields(void **state)
{
	struct csv_reader *r;

	(void)state;
	r = mem("\"a,b\",\"say \"\"hi\"\"\",\"\",\"\"\"\"\n");
	expect_rec(r, 1, 4, "a,b", "say \"hi\"", "", "\"");
	expect_end(r);
	csv_close(r);

	r = mem("x,\"a\"\r\n\"b\",y\r\n\"c\"");
	expect_rec(r, 1, 2, "x", "a");
	expect_rec(r, 2, 2, "b", "y");
	expect_rec(r, 3, 1, "c");
	expect_end(r);
	csv_close(r);

	/* Quoted spaces and commas only; no trimming around anything. */
	r = mem("\" a \",\",\",\",,\"\n");
	expect_rec(r, 1, 3, " a ", ",", ",,");
	expect_end(r);
	csv_close(r);

	/* A quote is only special at the start of a field. */
	r = mem("\"\"\"a\"\"\",\"\"\"\"\"\"\n");
	expect_rec(r, 1, 2, "\"a\"", "\"\"");
	expect_end(r);
	csv_close(r);
}

static void
test_embedded_newlines(void **state)
{
	struct csv_reader *r;

	(void)state;
	r = mem("h1,h2\n\"line1\nline2\nline3\",x\nnext,y\n\"a\r\nb\",\"c\rd\"\nlast,z\n");
	expect_rec(r, 1, 2, "h1", "h2");
	expect_rec(r, 2, 2, "line1\nline2\nline3", "x");
	expect_rec(r, 5, 2, "next", "y");
	expect_rec(r, 6, 2, "a\r\nb", "c\rd");
	expect_rec(r, 9, 2, "last", "z");
	expect_end(r);
	csv_close(r);

	/* A record may start with a field that has the line breaks later. */
	r = mem("a,\"\n\n\",b\n\"\n\"\nc\n");
	expect_rec(r, 1, 3, "a", "\n\n", "b");
	expect_rec(r, 4, 1, "\n");
	expect_rec(r, 6, 1, "c");
	expect_end(r);
	csv_close(r);

	r = mem("\"x\r\n\r\ny\"\r\nz\r\n");
	expect_rec(r, 1, 1, "x\r\n\r\ny");
	expect_rec(r, 4, 1, "z");
	expect_end(r);
	csv_close(r);
}

static void
test_empty_fields(void **state)
{
	struct csv_reader *r;

	(void)state;
	r = mem(",,\na,\n,b\n\"\",\n,\"\"\n");
	expect_rec(r, 1, 3, "", "", "");
	expect_rec(r, 2, 2, "a", "");
	expect_rec(r, 3, 2, "", "b");
	expect_rec(r, 4, 2, "", "");
	expect_rec(r, 5, 2, "", "");
	expect_end(r);
	csv_close(r);

	/* A separator right before the end of input still opens a field. */
	r = mem("a,");
	expect_rec(r, 1, 2, "a", "");
	expect_end(r);
	csv_close(r);
}

static void
test_blank_lines(void **state)
{
	struct csv_reader *r;

	(void)state;
	r = mem("\n\na,b\n\n\n1,2\n\n\r\n\r\n");
	expect_rec(r, 3, 2, "a", "b");
	expect_rec(r, 6, 2, "1", "2");
	expect_end(r);
	csv_close(r);

	/* Whitespace is data, not a blank line. */
	r = mem("a\n  \n\t\nb");
	expect_rec(r, 1, 1, "a");
	expect_rec(r, 2, 1, "  ");
	expect_rec(r, 3, 1, "\t");
	expect_rec(r, 4, 1, "b");
	expect_end(r);
	csv_close(r);
}

static void
test_whitespace_preserved(void **state)
{
	struct csv_reader *r = mem(" a , b ,\tc\t\n");

	(void)state;
	expect_rec(r, 1, 3, " a ", " b ", "\tc\t");
	expect_end(r);
	csv_close(r);
}

static void
test_ragged_rows(void **state)
{
	struct csv_reader *r = mem("a,b,c\n1,2\n1,2,3,4\nx\n");

	(void)state;
	expect_rec(r, 1, 3, "a", "b", "c");
	expect_rec(r, 2, 2, "1", "2");
	expect_rec(r, 3, 4, "1", "2", "3", "4");
	expect_rec(r, 4, 1, "x");
	expect_end(r);
	csv_close(r);
}

static void
test_empty_input(void **state)
{
	struct csv_reader *r;

	(void)state;
	r = mem("");
	expect_end(r);
	csv_close(r);

	r = csv_open_mem("t.csv", NULL, 0);
	expect_end(r);
	csv_close(r);

	r = mem("\n\r\n\r");
	expect_end(r);
	csv_close(r);

	r = mem("email,name,department\r\n");
	expect_rec(r, 1, 3, "email", "name", "department");
	expect_end(r);
	csv_close(r);

	r = mem("email");
	expect_rec(r, 1, 1, "email");
	expect_end(r);
	csv_close(r);
}

static void
test_utf8_fields(void **state)
{
	struct csv_reader *r = mem("Jos\xC3\xA9,\xE6\x97\xA5\xE6\x9C\xAC,"
	    "\"\xF0\x9D\x84\x9E,\xE2\x82\xAC\",\xF4\x8F\xBF\xBF\n");

	(void)state;
	expect_rec(r, 1, 4, "Jos\xC3\xA9", "\xE6\x97\xA5\xE6\x9C\xAC",
	    "\xF0\x9D\x84\x9E,\xE2\x82\xAC", "\xF4\x8F\xBF\xBF");
	expect_end(r);
	csv_close(r);
}

static void
test_fields_valid_until_next(void **state)
{
	struct csv_reader *r = mem("a,b\nc,d\n");
	struct error err = ERROR_INIT;
	struct csv_record rec, first;
	char *saved;

	(void)state;
	assert_int_equal(csv_next(r, &first, &err), 1);
	saved = xstrdup(first.fields[1]);
	assert_int_equal(csv_next(r, &rec, &err), 1);
	assert_string_equal(saved, "b");
	assert_string_equal(rec.fields[0], "c");
	free(saved);
	csv_close(r);
	csv_close(NULL);
}

/* --- errors ------------------------------------------------------------ */

static void
test_error_quote_in_unquoted(void **state)
{
	(void)state;
	expect_error("a,b\nab\"c,d\n", "t.csv:2: quote inside an unquoted field");
	expect_error("a\n\nb\nx,y\"\n", "t.csv:4: quote inside an unquoted field");
	expect_error(" \"a\"\n", "t.csv:1: quote inside an unquoted field");
	expect_error("\"a\nb\",c\"d\n", "t.csv:2: quote inside an unquoted field");
}

static void
test_error_text_after_quote(void **state)
{
	(void)state;
	expect_error("\"ab\"c\n", "t.csv:1: text after the closing quote");
	expect_error("h\n\"ab\" ,x\n", "t.csv:2: text after the closing quote");
	expect_error("h\n\"a\nb\"x\n", "t.csv:3: text after the closing quote");
	expect_error("\"a\"\"\"b\"", "t.csv:1: text after the closing quote");
}

static void
test_error_unterminated(void **state)
{
	(void)state;
	expect_error("a\n\"abc\ndef\n",
	    "t.csv:2: quoted field is not closed before the end of the file");
	expect_error("a\nb,\"x\n\n\n",
	    "t.csv:2: quoted field is not closed");
	/* The line where the open field started, not of its record. */
	expect_error("a\nb,\"x\ny\",\"\nz",
	    "t.csv:3: quoted field is not closed");
	expect_error("\"", "t.csv:1: quoted field is not closed");
	expect_error("\"abc\"\"", "t.csv:1: quoted field is not closed");
}

static void
test_error_invalid_utf8(void **state)
{
	static const char *const bad[] = {
		"\xE9",				/* Latin-1 e acute */
		"\xFF",
		"\x80",				/* lone continuation */
		"\xC0\xAF",			/* overlong / */
		"\xC1\xBF",
		"\xE0\x80\xAF",
		"\xE0\x9F\xBF",
		"\xF0\x80\x80\xAF",
		"\xF0\x8F\xBF\xBF",
		"\xED\xA0\x80",			/* surrogates */
		"\xED\xBF\xBF",
		"\xF4\x90\x80\x80",		/* > U+10FFFF */
		"\xF5\x80\x80\x80",
		"\xF8\x88\x80\x80\x80",
		"\xC3",				/* truncated */
		"\xE2\x82",
		"\xF0\x9F\x98",
		"\xC3,x",
		"\xE2\x82\n",
		"\xF0\x9F\x98\"",
	};
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		/* Unquoted, at the end of input, and inside quotes. */
		strbuf_reset(&sb);
		strbuf_addf(&sb, "a,b\nc,d\nok,x%s\nz\n", bad[i]);
		expect_error(sb.buf, "t.csv:3: invalid UTF-8");
		strbuf_reset(&sb);
		strbuf_addf(&sb, "a,b\nc,d\nok,x%s", bad[i]);
		expect_error(sb.buf, "t.csv:3: invalid UTF-8");
		strbuf_reset(&sb);
		strbuf_addf(&sb, "a,b\n\"c\n\nd%s\"\n", bad[i]);
		expect_error(sb.buf, "t.csv:4: invalid UTF-8");
	}
	strbuf_release(&sb);
	expect_error("Jos\xE9", "t.csv:1: invalid UTF-8 (byte 0xE9)");
}

static void
test_error_nul(void **state)
{
	(void)state;
	expect_error_len("a,b\nc\0d\n", 8, "t.csv:2: NUL byte");
	expect_error_len("a,\"\n\0\"\n", 7, "t.csv:2: NUL byte");
	/* UTF-16 is what a NUL byte usually means: said so, with the fix. */
	expect_error_len("\xFF\xFE" "a\0", 4, "t.csv: the file is UTF-16");
	expect_error_len("\xFE\xFF" "\0a", 4, "t.csv: the file is UTF-16");
	expect_error_len("e\0m\0a\0", 6, "t.csv: the file is UTF-16");
	expect_error_len("a\0", 2, "t.csv:1: NUL byte");
}

static void
test_error_record_too_long(void **state)
{
	char *buf;
	size_t n = CSV_MAX_RECORD + 10;

	(void)state;
	buf = xmalloc(n + 16);
	memcpy(buf, "h\nx\n", 4);
	memset(buf + 4, 'a', n);
	expect_error_len(buf, n + 4, "t.csv:3: record longer than");

	/* An unclosed quote runs into the limit, not out of memory. */
	buf[4] = '"';
	expect_error_len(buf, n + 4, "t.csv:3: record longer than");
	free(buf);
}

static void
test_record_at_limit(void **state)
{
	struct csv_reader *r;
	struct error err = ERROR_INIT;
	struct csv_record rec;
	size_t n = CSV_MAX_RECORD - 2;	/* two fields, two NULs */
	char *buf = xmalloc(n + 3);

	(void)state;
	buf[0] = ',';
	memset(buf + 1, 'b', n + 1);
	buf[n + 1] = '\n';
	r = csv_open_mem("t.csv", buf, n + 2);
	assert_int_equal(csv_next(r, &rec, &err), 1);
	assert_int_equal(rec.nfields, 2);
	assert_int_equal(strlen(rec.fields[1]), n);
	expect_end(r);
	csv_close(r);

	/* One byte more. */
	buf[n + 1] = 'b';
	buf[n + 2] = '\n';
	expect_error_len(buf, n + 3, "t.csv:1: record longer than");
	free(buf);
}

static void
test_error_too_many_fields(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	struct csv_reader *r;
	struct error err = ERROR_INIT;
	struct csv_record rec;
	int i;

	(void)state;
	strbuf_addstr(&sb, "h\n");
	for (i = 1; i < CSV_MAX_FIELDS; i++)
		strbuf_addch(&sb, ',');
	strbuf_addch(&sb, '\n');
	r = csv_open_mem("t.csv", sb.buf, sb.len);
	expect_rec(r, 1, 1, "h");
	assert_int_equal(csv_next(r, &rec, &err), 1);
	assert_int_equal(rec.nfields, CSV_MAX_FIELDS);
	expect_end(r);
	csv_close(r);

	strbuf_setlen(&sb, sb.len - 1);
	strbuf_addstr(&sb, ",\n");
	expect_error_len(sb.buf, sb.len, "t.csv:2: record has more than");
	strbuf_release(&sb);
}

/* --- files ------------------------------------------------------------- */

static void
test_open_missing(void **state)
{
	struct scratch *s = *state;
	struct error err = ERROR_INIT;
	char *path = xasprintf("%s/nope.csv", s->dir);
	char *want = xasprintf("%s: No such file or directory", path);

	assert_null(csv_open(path, &err));
	assert_int_equal(err.code, EX_NOINPUT);
	assert_string_equal(err.msg, want);
	error_clear(&err);
	free(path);
	free(want);

	path = xasprintf("%s/nodir/x.csv", s->dir);
	assert_null(csv_open(path, &err));
	assert_int_equal(err.code, EX_NOINPUT);
	error_clear(&err);
	free(path);

	assert_null(csv_open(s->dir, &err));
	assert_int_equal(err.code, EX_NOINPUT);
	assert_non_null(strstr(err.msg, "Is a directory"));
	error_clear(&err);
}

static void
test_open_file(void **state)
{
	static const char data[] =
	    "\xEF\xBB\xBF" "email,name\r\n\"a@x\",\"A\r\nB\"\r\nb@x,C";
	const char *path = scratch_file(state, "p.csv", data, sizeof data - 1);
	struct error err = ERROR_INIT;
	struct csv_reader *r = csv_open(path, &err);

	assert_non_null(r);
	assert_string_equal(csv_name(r), path);
	expect_rec(r, 1, 2, "email", "name");
	expect_rec(r, 2, 2, "a@x", "A\r\nB");
	expect_rec(r, 4, 2, "b@x", "C");
	expect_end(r);
	csv_close(r);
}

static void
test_open_file_error_names_file(void **state)
{
	static const char data[] = "a\nb\"c\n";
	const char *path = scratch_file(state, "bad.csv", data, sizeof data - 1);
	struct error err = ERROR_INIT;
	struct csv_reader *r = csv_open(path, &err);
	struct csv_record rec;
	char *want = xasprintf("%s:2: ", path);

	assert_non_null(r);
	expect_rec(r, 1, 1, "a");
	assert_int_equal(csv_next(r, &rec, &err), -1);
	assert_int_equal(err.code, EX_DATAERR);
	assert_true(strncmp(err.msg, want, strlen(want)) == 0);
	error_clear(&err);
	free(want);
	csv_close(r);
}

static void
test_read_error(void **state)
{
	struct error err = ERROR_INIT;
	struct csv_reader *r;
	struct csv_record rec;

	(void)state;
	/* Reading address 0 of our own memory fails with EIO on Linux. */
	if (access("/proc/self/mem", R_OK) != 0)
		skip();
	r = csv_open("/proc/self/mem", &err);
	assert_non_null(r);
	assert_int_equal(csv_next(r, &rec, &err), -1);
	assert_int_equal(err.code, EX_IOERR);
	assert_true(strncmp(err.msg, "/proc/self/mem: ", 16) == 0);
	error_clear(&err);
	csv_close(r);
}

static void
test_open_stdin(void **state)
{
	struct error err = ERROR_INIT;
	struct csv_reader *r = csv_open("-", &err);

	(void)state;
	assert_non_null(r);
	assert_string_equal(csv_name(r), "<stdin>");
	csv_close(r);
	/* stdin is borrowed, not closed. */
	assert_true(fileno(stdin) >= 0);
}

/*
 * The file reader works on 64 KiB blocks: put each construct that needs
 * lookahead (CRLF, "", a UTF-8 sequence, a quote then a separator) across
 * every offset near the block boundary and compare with the memory reader,
 * which sees the whole input at once.
 */
static void
test_block_boundaries(void **state)
{
	/* Each continues an open quoted field, or (after "-") an unquoted one. */
	static const char *const tails[] = {
		"\"\r\nz,\"q\"\r\n",
		"\"\"x\",y\nz\n",
		"\xE2\x82\xAC\xF0\x9D\x84\x9E\",y\nz\n",
		"\",\"y\"\r\nz",
		"\"\r\n\"a\",b\r",
		"\r\n\r\n\"\r\n\r\nz\n",
		"-\r\nz\r\n",
		"-\xE2\x82\xAC,\xF0\x9D\x84\x9E\r\nz",
		"-,\"a\"\"\"\r\r\n",
	};
	struct strbuf sb = STRBUF_INIT;
	struct error err = ERROR_INIT, err2 = ERROR_INIT;
	struct csv_record a, b;
	struct csv_reader *rm, *rf;
	const char *path;
	size_t t, off, i, pad;
	int rc, rc2;
	char name[32];

	for (t = 0; t < sizeof tails / sizeof tails[0]; t++) {
		for (off = 65536 - 6; off <= 65536 + 2; off++) {
			strbuf_reset(&sb);
			strbuf_addstr(&sb, tails[t][0] == '-' ? "h1,h2\n" :
			    "h1,h2\n\"");
			pad = off - sb.len;
			strbuf_grow(&sb, pad);
			memset(sb.buf + sb.len, 'p', pad);
			strbuf_setlen(&sb, sb.len + pad);
			strbuf_addstr(&sb, tails[t] + (tails[t][0] == '-'));
			snprintf(name, sizeof name, "b%zu.csv", t);
			path = scratch_file(state, name, sb.buf, sb.len);
			rm = csv_open_mem("m", sb.buf, sb.len);
			rf = csv_open(path, &err);
			assert_non_null(rf);
			do {
				rc = csv_next(rm, &a, &err);
				rc2 = csv_next(rf, &b, &err2);
				assert_int_equal(rc, rc2);
				if (rc != 1)
					break;
				assert_int_equal(a.line, b.line);
				assert_int_equal(a.nfields, b.nfields);
				for (i = 0; i < a.nfields; i++)
					assert_string_equal(a.fields[i],
					    b.fields[i]);
			} while (rc == 1);
			if (rc == -1)
				fail_msg("tail %zu at %zu: %s", t, off, err.msg);
			csv_close(rm);
			csv_close(rf);
			/* Reuse the slot: only keep the last file of each tail. */
			{
				struct scratch *s = *state;

				unlink(s->files[--s->nfiles]);
				free(s->files[s->nfiles]);
			}
		}
	}
	strbuf_release(&sb);
}

static void
test_big_file_errors_keep_line_numbers(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	struct error err = ERROR_INIT;
	struct csv_reader *r;
	struct csv_record rec;
	const char *path;
	int i, rc;

	for (i = 0; i < 20000; i++)
		strbuf_addf(&sb, "row%d,\"multi\nline\",x\r\n", i);
	strbuf_addstr(&sb, "last,\"\xED\xA0\x80\"\n");
	path = scratch_file(state, "big.csv", sb.buf, sb.len);
	r = csv_open(path, &err);
	assert_non_null(r);
	for (i = 0; (rc = csv_next(r, &rec, &err)) == 1; i++)
		assert_int_equal(rec.line, 2 * i + 1);
	assert_int_equal(rc, -1);
	assert_int_equal(i, 20000);
	assert_non_null(strstr(err.msg, ":40001: invalid UTF-8"));
	error_clear(&err);
	csv_close(r);
	strbuf_release(&sb);
}

/* --- round trip through the writer ------------------------------------ */

static unsigned long rng_state = 12345;

static unsigned
rng(unsigned n)
{
	rng_state = rng_state * 6364136223846793005UL + 1442695040888963407UL;
	return (unsigned)((rng_state >> 33) % n);
}

static char *
random_cell(void)
{
	static const char *const pieces[] = {
		"a", "Z", "0", " ", ",", "\"", "\r", "\n", "\r\n", "\t", "=",
		"-", "+", "@", "'", ";", "\xC3\xA9", "\xE2\x82\xAC",
		"\xF0\x9D\x84\x9E", "\xE6\x97\xA5", "x y", "\"\"", ",\"",
	};
	struct strbuf sb = STRBUF_INIT;
	unsigned n = rng(8), i;

	for (i = 0; i < n; i++)
		strbuf_addstr(&sb, pieces[rng(sizeof pieces / sizeof pieces[0])]);
	return strbuf_detach(&sb, NULL);
}

static long
line_breaks(const char *s)
{
	long n = 0;

	for (; *s != '\0'; s++) {
		if (*s == '\n' || (*s == '\r' && s[1] != '\n'))
			n++;
	}
	return n;
}

static void
test_round_trip(void **state)
{
	enum { NCOLS = 5, NROWS = 2000 };
	static const struct out_col cols[NCOLS] = {
		{ "email", OUT_STR }, { "a,b", OUT_STR }, { "say \"x\"", OUT_STR },
		{ "n", OUT_INT }, { "notes", OUT_STR },
	};
	struct scratch *s = *state;
	char *cells[NROWS][NCOLS];
	const char *row[NCOLS];
	long lines[NROWS], line = 2;
	struct error err = ERROR_INIT;
	struct csv_reader *r;
	struct csv_record rec;
	struct out *o;
	char *path = xasprintf("%s/rt.csv", s->dir);
	FILE *fp;
	size_t i, j;
	char want[64];

	fp = fopen(path, "wb");
	assert_non_null(fp);
	o = out_new(fp, OUT_CSV, cols, NCOLS, OUT_BOM);
	for (i = 0; i < NROWS; i++) {
		lines[i] = line;
		line++;
		for (j = 0; j < NCOLS; j++) {
			if (cols[j].type == OUT_INT) {
				snprintf(want, sizeof want, "%d",
				    (int)rng(2000) - 1000);
				cells[i][j] = xstrdup(want);
			} else {
				cells[i][j] = random_cell();
			}
			row[j] = cells[i][j];
			line += line_breaks(cells[i][j]);
		}
		out_row(o, row);
	}
	assert_int_equal(out_finish(o), 0);
	out_free(o);
	assert_int_equal(fclose(fp), 0);

	r = csv_open(path, &err);
	assert_non_null(r);
	expect_rec(r, 1, NCOLS, "email", "a,b", "say \"x\"", "n", "notes");
	for (i = 0; i < NROWS; i++) {
		if (csv_next(r, &rec, &err) != 1)
			fail_msg("row %zu: %s", i, err.msg ? err.msg : "end");
		assert_int_equal(rec.line, lines[i]);
		assert_int_equal(rec.nfields, NCOLS);
		for (j = 0; j < NCOLS; j++) {
			const char *c = cells[i][j];

			/* Guarded cells come back with their leading quote. */
			if (cols[j].type == OUT_STR && csv_guard_needed(c)) {
				assert_int_equal(rec.fields[j][0], '\'');
				assert_string_equal(rec.fields[j] + 1, c);
			} else {
				assert_string_equal(rec.fields[j], c);
			}
			free(cells[i][j]);
		}
	}
	expect_end(r);
	csv_close(r);
	unlink(path);
	free(path);
}

/* The guard is undone exactly: every value, written and read back. */
static void
test_unguard_round_trip(void **state)
{
	static const char *const values[] = {
		"=1+1", "+01:00", "-5", "@home", "\tx", "\r=x", "'", "''",
		"'=x", "''=x", "'''+", "'a", "a'=", "plain", "", "=", "'@",
		"x=1", " =1",
	};
	static const struct out_col cols[] = { { "=v", OUT_STR } };
	struct error err = ERROR_INIT;
	struct csv_reader *r;
	struct csv_record rec;
	struct out *o;
	char *buf = NULL;
	size_t len = 0, i;
	FILE *fp = open_memstream(&buf, &len);

	(void)state;
	o = out_new(fp, OUT_CSV, cols, 1, 0);
	for (i = 0; i < sizeof values / sizeof values[0]; i++)
		out_row(o, &values[i]);
	assert_int_equal(out_finish(o), 0);
	out_free(o);
	fclose(fp);
	r = csv_open_mem("t.csv", buf, len);
	csv_set_unguard(r, true);
	assert_int_equal(csv_next(r, &rec, &err), 1);
	assert_string_equal(rec.fields[0], "=v");
	for (i = 0; i < sizeof values / sizeof values[0]; i++) {
		/* An empty cell is a blank line: the reader skips it. */
		if (values[i][0] == '\0')
			continue;
		assert_int_equal(csv_next(r, &rec, &err), 1);
		assert_string_equal(rec.fields[0], values[i]);
	}
	assert_int_equal(csv_next(r, &rec, &err), 0);
	csv_close(r);
	free(buf);
	assert_true(csv_guard_needed("''-"));
	assert_false(csv_guard_needed("'a="));
}

/* A header of one field holding ';' or a tab is another separator. */
static void
test_wrong_separator(void **state)
{
	char *f1[] = { "email;name" }, *f2[] = { "email\tname" },
	    *f3[] = { "email" }, *f4[] = { "a;b", "c" };
	struct csv_record rec;

	(void)state;
	rec.line = 1;
	rec.fields = f1;
	rec.nfields = 1;
	assert_non_null(strstr(csv_wrong_separator(&rec), "semicolons"));
	rec.fields = f2;
	assert_non_null(strstr(csv_wrong_separator(&rec), "tabs"));
	rec.fields = f3;
	assert_null(csv_wrong_separator(&rec));
	rec.fields = f4;
	rec.nfields = 2;
	assert_null(csv_wrong_separator(&rec));
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_simple),
		cmocka_unit_test(test_no_final_newline),
		cmocka_unit_test(test_line_ends),
		cmocka_unit_test(test_bom),
		cmocka_unit_test(test_quoted_fields),
		cmocka_unit_test(test_embedded_newlines),
		cmocka_unit_test(test_empty_fields),
		cmocka_unit_test(test_blank_lines),
		cmocka_unit_test(test_whitespace_preserved),
		cmocka_unit_test(test_ragged_rows),
		cmocka_unit_test(test_empty_input),
		cmocka_unit_test(test_utf8_fields),
		cmocka_unit_test(test_fields_valid_until_next),
		cmocka_unit_test(test_error_quote_in_unquoted),
		cmocka_unit_test(test_error_text_after_quote),
		cmocka_unit_test(test_error_unterminated),
		cmocka_unit_test(test_error_invalid_utf8),
		cmocka_unit_test(test_error_nul),
		cmocka_unit_test(test_unguard_round_trip),
		cmocka_unit_test(test_wrong_separator),
		cmocka_unit_test(test_error_record_too_long),
		cmocka_unit_test(test_record_at_limit),
		cmocka_unit_test(test_error_too_many_fields),
		T(test_open_missing),
		T(test_open_file),
		T(test_open_file_error_names_file),
		cmocka_unit_test(test_read_error),
		cmocka_unit_test(test_open_stdin),
		T(test_block_boundaries),
		T(test_big_file_errors_keep_line_numbers),
		T(test_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
