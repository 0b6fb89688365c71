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

#include "core/date.h"
#include "io/out.h"
#include "util/xmalloc.h"

/* Output captured in memory; setup/teardown as in libssh's torture tests. */
struct capture {
	FILE *fp;
	char *buf;
	size_t len;
};

static int
setup(void **state)
{
	struct capture *c = xcalloc(1, sizeof *c);

	c->fp = open_memstream(&c->buf, &c->len);
	if (c->fp == NULL)
		return -1;
	*state = c;
	return 0;
}

static int
teardown(void **state)
{
	struct capture *c = *state;

	fclose(c->fp);
	free(c->buf);
	free(c);
	return 0;
}

static const char *
captured(void **state)
{
	struct capture *c = *state;

	assert_int_equal(fflush(c->fp), 0);
	return c->buf;
}

static void
reset(void **state)
{
	assert_int_equal(teardown(state), 0);
	assert_int_equal(setup(state), 0);
}

#define ROW(...) ((const char *const[]){ __VA_ARGS__ })

static const struct out_col two_str[] = {
	{ "name", OUT_STR },
	{ "email", OUT_STR },
};

/* One single-column listing through the given writer, for cell-level checks. */
static const char *
one_cell(void **state, enum out_format fmt, enum out_type type, const char *s)
{
	struct capture *c;
	struct out_col col = { "v", OUT_STR };
	struct out *o;

	col.type = type;
	reset(state);
	c = *state;
	o = out_new(c->fp, fmt, &col, 1, 0);
	out_row(o, ROW(s));
	assert_int_equal(out_finish(o), 0);
	out_free(o);
	return captured(state);
}

static void
test_format_parse(void **state)
{
	(void)state;
	assert_int_equal(out_format_parse("table"), OUT_TABLE);
	assert_int_equal(out_format_parse("csv"), OUT_CSV);
	assert_int_equal(out_format_parse("json"), OUT_JSON);
	assert_int_equal(out_format_parse("xml"), -1);
	assert_int_equal(out_format_parse("html"), -1);
	assert_int_equal(out_format_parse(""), -1);
	assert_int_equal(out_format_parse("csvx"), -1);
	assert_int_equal(out_format_parse(NULL), -1);
}

/* --- CSV --------------------------------------------------------------- */

static void
test_csv_header_crlf(void **state)
{
	struct capture *c = *state;
	struct out *o = out_new(c->fp, OUT_CSV, two_str, 2, 0);

	out_row(o, ROW("Ada", "ada@example.org"));
	out_row(o, ROW("Bob", "bob@example.org"));
	assert_int_equal(out_finish(o), 0);
	out_free(o);
	assert_string_equal(captured(state),
	    "name,email\r\n"
	    "Ada,ada@example.org\r\n"
	    "Bob,bob@example.org\r\n");
}

static void
test_csv_empty_is_header(void **state)
{
	struct capture *c = *state;
	struct out *o = out_new(c->fp, OUT_CSV, two_str, 2, 0);

	assert_int_equal(out_finish(o), 0);
	out_free(o);
	assert_string_equal(captured(state), "name,email\r\n");
}

static void
test_csv_bom(void **state)
{
	struct capture *c = *state;
	struct out *o = out_new(c->fp, OUT_CSV, two_str, 2, OUT_BOM);

	out_row(o, ROW("Zoë", "z@example.org"));
	assert_int_equal(out_finish(o), 0);
	out_free(o);
	assert_string_equal(captured(state),
	    "\xEF\xBB\xBFname,email\r\nZo\xC3\xAB,z@example.org\r\n");

	reset(state);
	c = *state;
	o = out_new(c->fp, OUT_CSV, two_str, 2, OUT_BOM);
	assert_int_equal(out_finish(o), 0);
	out_free(o);
	assert_string_equal(captured(state), "\xEF\xBB\xBFname,email\r\n");
}

static void
test_csv_quoting(void **state)
{
	(void)state;
	assert_string_equal(one_cell(state, OUT_CSV, OUT_STR, "plain"),
	    "v\r\nplain\r\n");
	assert_string_equal(one_cell(state, OUT_CSV, OUT_STR, "a,b"),
	    "v\r\n\"a,b\"\r\n");
	assert_string_equal(one_cell(state, OUT_CSV, OUT_STR, "say \"hi\""),
	    "v\r\n\"say \"\"hi\"\"\"\r\n");
	assert_string_equal(one_cell(state, OUT_CSV, OUT_STR, "\""),
	    "v\r\n\"\"\"\"\r\n");
	assert_string_equal(one_cell(state, OUT_CSV, OUT_STR, "a\nb"),
	    "v\r\n\"a\nb\"\r\n");
	assert_string_equal(one_cell(state, OUT_CSV, OUT_STR, "a\rb"),
	    "v\r\n\"a\rb\"\r\n");
	assert_string_equal(one_cell(state, OUT_CSV, OUT_STR, "a\r\nb"),
	    "v\r\n\"a\r\nb\"\r\n");
	/* Spaces are data in RFC 4180: kept, and no reason to quote. */
	assert_string_equal(one_cell(state, OUT_CSV, OUT_STR, "  padded  "),
	    "v\r\n  padded  \r\n");
	assert_string_equal(one_cell(state, OUT_CSV, OUT_STR, " a, b "),
	    "v\r\n\" a, b \"\r\n");
	assert_string_equal(one_cell(state, OUT_CSV, OUT_STR, "semi;colon"),
	    "v\r\nsemi;colon\r\n");
	assert_string_equal(one_cell(state, OUT_CSV, OUT_STR, "caf\xC3\xA9"),
	    "v\r\ncaf\xC3\xA9\r\n");
	assert_string_equal(one_cell(state, OUT_CSV, OUT_STR, "a'b"),
	    "v\r\na'b\r\n");
}

static void
test_csv_null_and_empty(void **state)
{
	struct capture *c = *state;
	static const struct out_col cols[] = {
		{ "a", OUT_STR }, { "b", OUT_INT }, { "c", OUT_STR },
	};
	struct out *o = out_new(c->fp, OUT_CSV, cols, 3, 0);

	out_row(o, ROW(NULL, NULL, NULL));
	out_row(o, ROW("", "", ""));
	out_row(o, ROW("x", NULL, ""));
	assert_int_equal(out_finish(o), 0);
	out_free(o);
	assert_string_equal(captured(state),
	    "a,b,c\r\n,,\r\n,,\r\nx,,\r\n");
}

static void
test_csv_formula_guard(void **state)
{
	(void)state;
	assert_string_equal(one_cell(state, OUT_CSV, OUT_STR, "=1+1"),
	    "v\r\n'=1+1\r\n");
	assert_string_equal(one_cell(state, OUT_CSV, OUT_STR, "+1"),
	    "v\r\n'+1\r\n");
	assert_string_equal(one_cell(state, OUT_CSV, OUT_STR, "-1"),
	    "v\r\n'-1\r\n");
	assert_string_equal(one_cell(state, OUT_CSV, OUT_STR, "@SUM(A1)"),
	    "v\r\n'@SUM(A1)\r\n");
	assert_string_equal(one_cell(state, OUT_CSV, OUT_STR, "\tx"),
	    "v\r\n'\tx\r\n");
	/* CR needs the quotes as well as the guard: guard inside the quotes. */
	assert_string_equal(one_cell(state, OUT_CSV, OUT_STR, "\rx"),
	    "v\r\n\"'\rx\"\r\n");
	assert_string_equal(one_cell(state, OUT_CSV, OUT_STR,
	    "=HYPERLINK(\"http://x\",\"y\")"),
	    "v\r\n\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"\r\n");
	assert_string_equal(one_cell(state, OUT_CSV, OUT_STR, "=a,b"),
	    "v\r\n\"'=a,b\"\r\n");
	/* Only the first character counts. */
	assert_string_equal(one_cell(state, OUT_CSV, OUT_STR, "a=b"),
	    "v\r\na=b\r\n");
	assert_string_equal(one_cell(state, OUT_CSV, OUT_STR, " =1"),
	    "v\r\n =1\r\n");
	assert_string_equal(one_cell(state, OUT_CSV, OUT_STR, "x-1"),
	    "v\r\nx-1\r\n");
	/*
	 * Text that already begins with apostrophes before a guarded
	 * character gets one more, so that an importer can undo the guard
	 * exactly (io/csv.h csv_guard_needed); other apostrophes stay.
	 */
	assert_string_equal(one_cell(state, OUT_CSV, OUT_STR, "'=1"),
	    "v\r\n''=1\r\n");
	assert_string_equal(one_cell(state, OUT_CSV, OUT_STR, "'a"),
	    "v\r\n'a\r\n");
}

static void
test_csv_numbers_not_guarded(void **state)
{
	(void)state;
	assert_string_equal(one_cell(state, OUT_CSV, OUT_INT, "-5"),
	    "v\r\n-5\r\n");
	assert_string_equal(one_cell(state, OUT_CSV, OUT_REAL, "-0.25"),
	    "v\r\n-0.25\r\n");
	assert_string_equal(one_cell(state, OUT_CSV, OUT_REAL, "+3"),
	    "v\r\n+3\r\n");
	assert_string_equal(one_cell(state, OUT_CSV, OUT_INT, "42"),
	    "v\r\n42\r\n");
	/* The same text in a string column is guarded. */
	assert_string_equal(one_cell(state, OUT_CSV, OUT_STR, "-5"),
	    "v\r\n'-5\r\n");
}

static void
test_csv_header_guarded(void **state)
{
	struct capture *c = *state;
	static const struct out_col cols[] = {
		{ "-x", OUT_STR }, { "a,b", OUT_STR },
	};
	struct out *o = out_new(c->fp, OUT_CSV, cols, 2, 0);

	assert_int_equal(out_finish(o), 0);
	out_free(o);
	/* header names come from imported attribute names: guarded like data */
	assert_string_equal(captured(state), "'-x,\"a,b\"\r\n");
}

static void
test_csv_write_field_direct(void **state)
{
	struct capture *c = *state;

	csv_write_field(c->fp, "=x", true);
	putc('|', c->fp);
	csv_write_field(c->fp, "=x", false);
	putc('|', c->fp);
	csv_write_field(c->fp, NULL, true);
	putc('|', c->fp);
	csv_write_field(c->fp, "", true);
	putc('|', c->fp);
	csv_write_field(c->fp, "\"\"", false);
	assert_string_equal(captured(state), "'=x|=x|||\"\"\"\"\"\"");
}

static void
test_csv_streams(void **state)
{
	struct capture *c = *state;
	struct out *o = out_new(c->fp, OUT_CSV, two_str, 2, 0);

	out_row(o, ROW("a", "b"));
	/* Written before out_finish: exports stream in constant memory. */
	assert_string_equal(captured(state), "name,email\r\na,b\r\n");
	assert_int_equal(out_finish(o), 0);
	out_free(o);
}

/* --- JSON -------------------------------------------------------------- */

static void
test_json_empty(void **state)
{
	struct capture *c = *state;
	struct out *o = out_new(c->fp, OUT_JSON, two_str, 2, 0);

	assert_int_equal(out_finish(o), 0);
	out_free(o);
	assert_string_equal(captured(state), "[]\n");
}

static void
test_json_rows(void **state)
{
	struct capture *c = *state;
	static const struct out_col cols[] = {
		{ "id", OUT_INT }, { "email", OUT_STR }, { "score", OUT_REAL },
	};
	struct out *o = out_new(c->fp, OUT_JSON, cols, 3, OUT_BOM);

	out_row(o, ROW("1", "a@example.org", "87.5"));
	assert_string_equal(captured(state),
	    "[\n{\"id\":1,\"email\":\"a@example.org\",\"score\":87.5}");
	out_row(o, ROW("2", NULL, NULL));
	assert_int_equal(out_finish(o), 0);
	out_free(o);
	/* No BOM in JSON (RFC 8259 forbids it). */
	assert_string_equal(captured(state),
	    "[\n"
	    "{\"id\":1,\"email\":\"a@example.org\",\"score\":87.5},\n"
	    "{\"id\":2,\"email\":null,\"score\":null}\n"
	    "]\n");
}

static void
test_json_numbers(void **state)
{
	static const char *const nums[] = {
		"0", "-0", "7", "-7", "42", "1234567890123456789", "0.5",
		"-0.5", "3.25", "1e10", "1E10", "1e+10", "1e-10", "-2.5E-3",
		"0e0",
	};
	static const char *const strs[] = {
		"", "01", "-", "+1", ".5", "1.", "1e", "1e+", "--1", "1.2.3",
		"NaN", "nan", "inf", "-Infinity", "0x10", " 1", "1 ", "1,5",
		"abc", "1_000", "١",
	};
	char want[128];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof nums / sizeof nums[0]; i++) {
		snprintf(want, sizeof want, "[\n{\"v\":%s}\n]\n", nums[i]);
		assert_string_equal(one_cell(state, OUT_JSON, OUT_INT, nums[i]),
		    want);
		assert_string_equal(one_cell(state, OUT_JSON, OUT_REAL,
		    nums[i]), want);
		/* A string column keeps numbers as strings. */
		snprintf(want, sizeof want, "[\n{\"v\":\"%s\"}\n]\n", nums[i]);
		assert_string_equal(one_cell(state, OUT_JSON, OUT_STR, nums[i]),
		    want);
	}
	for (i = 0; i < sizeof strs / sizeof strs[0]; i++) {
		snprintf(want, sizeof want, "[\n{\"v\":\"%s\"}\n]\n", strs[i]);
		assert_string_equal(one_cell(state, OUT_JSON, OUT_INT, strs[i]),
		    want);
		assert_string_equal(one_cell(state, OUT_JSON, OUT_REAL,
		    strs[i]), want);
	}
	assert_string_equal(one_cell(state, OUT_JSON, OUT_INT, NULL),
	    "[\n{\"v\":null}\n]\n");
	assert_string_equal(one_cell(state, OUT_JSON, OUT_STR, NULL),
	    "[\n{\"v\":null}\n]\n");
	assert_string_equal(one_cell(state, OUT_JSON, OUT_STR, "null"),
	    "[\n{\"v\":\"null\"}\n]\n");
}

static const char *
json_str(void **state, const char *s)
{
	struct capture *c;

	reset(state);
	c = *state;
	json_write_string(c->fp, s);
	return captured(state);
}

static void
test_json_control_chars(void **state)
{
	char in[2], want[16];
	int ch;

	for (ch = 1; ch < 0x20; ch++) {
		in[0] = (char)ch;
		in[1] = '\0';
		switch (ch) {
		case '\b':
			strcpy(want, "\"\\b\"");
			break;
		case '\t':
			strcpy(want, "\"\\t\"");
			break;
		case '\n':
			strcpy(want, "\"\\n\"");
			break;
		case '\f':
			strcpy(want, "\"\\f\"");
			break;
		case '\r':
			strcpy(want, "\"\\r\"");
			break;
		default:
			snprintf(want, sizeof want, "\"\\u%04x\"", ch);
			break;
		}
		assert_string_equal(json_str(state, in), want);
	}
	assert_string_equal(json_str(state, "\x1b[31mred"),
	    "\"\\u001b[31mred\"");
	assert_string_equal(json_str(state, "\x1f"), "\"\\u001f\"");
	/* DEL is not a control character to JSON. */
	assert_string_equal(json_str(state, "\x7f"), "\"\x7f\"");
}

static void
test_json_escapes(void **state)
{
	assert_string_equal(json_str(state, ""), "\"\"");
	assert_string_equal(json_str(state, NULL), "null");
	assert_string_equal(json_str(state, "plain text"), "\"plain text\"");
	assert_string_equal(json_str(state, "say \"hi\""),
	    "\"say \\\"hi\\\"\"");
	assert_string_equal(json_str(state, "C:\\dir\\"), "\"C:\\\\dir\\\\\"");
	assert_string_equal(json_str(state, "a/b"), "\"a/b\"");
	assert_string_equal(json_str(state, "line1\r\nline2\ttab"),
	    "\"line1\\r\\nline2\\ttab\"");
	assert_string_equal(json_str(state, "</script>"), "\"</script>\"");
}

static void
test_json_utf8(void **state)
{
	assert_string_equal(json_str(state, "Jos\xC3\xA9"),
	    "\"Jos\xC3\xA9\"");
	assert_string_equal(json_str(state, "\xE2\x82\xAC 5"),
	    "\"\xE2\x82\xAC 5\"");
	assert_string_equal(json_str(state, "\xE6\x97\xA5\xE6\x9C\xAC"),
	    "\"\xE6\x97\xA5\xE6\x9C\xAC\"");
	assert_string_equal(json_str(state, "\xF0\x9D\x84\x9E"),
	    "\"\xF0\x9D\x84\x9E\"");
	assert_string_equal(json_str(state, "\xF4\x8F\xBF\xBF"),
	    "\"\xF4\x8F\xBF\xBF\"");
	assert_string_equal(json_str(state, "\xEF\xBB\xBFx"),
	    "\"\xEF\xBB\xBFx\"");
	/* Line and paragraph separators break JavaScript string literals. */
	assert_string_equal(json_str(state, "a\xE2\x80\xA8" "b\xE2\x80\xA9"),
	    "\"a\\u2028b\\u2029\"");
	assert_string_equal(json_str(state, "\xE2\x80\xA7\xE2\x80\xAA"),
	    "\"\xE2\x80\xA7\xE2\x80\xAA\"");
}

#define FFFD "\xEF\xBF\xBD"

static void
test_json_invalid_utf8(void **state)
{
	/* Latin-1 from a careless export. */
	assert_string_equal(json_str(state, "Jos\xE9"), "\"Jos" FFFD "\"");
	assert_string_equal(json_str(state, "\xFF"), "\"" FFFD "\"");
	assert_string_equal(json_str(state, "\x80"), "\"" FFFD "\"");
	assert_string_equal(json_str(state, "\xFE\xFF"),
	    "\"" FFFD FFFD "\"");
	/* Truncated sequences: one replacement for the maximal subpart. */
	assert_string_equal(json_str(state, "\xC3"), "\"" FFFD "\"");
	assert_string_equal(json_str(state, "\xE2\x82"), "\"" FFFD "\"");
	assert_string_equal(json_str(state, "\xE2\x82x"), "\"" FFFD "x\"");
	assert_string_equal(json_str(state, "\xF0\x9F\x98x"),
	    "\"" FFFD "x\"");
	assert_string_equal(json_str(state, "\xC3\"x"),
	    "\"" FFFD "\\\"x\"");
	/* Overlong forms. */
	assert_string_equal(json_str(state, "\xC0\xAF"), "\"" FFFD FFFD "\"");
	assert_string_equal(json_str(state, "\xC1\xBF"), "\"" FFFD FFFD "\"");
	assert_string_equal(json_str(state, "\xE0\x80\xAF"),
	    "\"" FFFD FFFD FFFD "\"");
	assert_string_equal(json_str(state, "\xF0\x80\x80\xAF"),
	    "\"" FFFD FFFD FFFD FFFD "\"");
	/* Surrogates and code points past U+10FFFF. */
	assert_string_equal(json_str(state, "\xED\xA0\x80"),
	    "\"" FFFD FFFD FFFD "\"");
	assert_string_equal(json_str(state, "\xED\xBF\xBF"),
	    "\"" FFFD FFFD FFFD "\"");
	assert_string_equal(json_str(state, "\xF4\x90\x80\x80"),
	    "\"" FFFD FFFD FFFD FFFD "\"");
	assert_string_equal(json_str(state, "\xF5\x80\x80\x80"),
	    "\"" FFFD FFFD FFFD FFFD "\"");
	/* A lone continuation byte between valid text. */
	assert_string_equal(json_str(state, "a\xBFz\xC3\xA9"),
	    "\"a" FFFD "z\xC3\xA9\"");
}

static void
test_json_keys_escaped(void **state)
{
	struct capture *c = *state;
	static const struct out_col cols[] = { { "a\"b", OUT_STR } };
	struct out *o = out_new(c->fp, OUT_JSON, cols, 1, 0);

	out_row(o, ROW("x"));
	assert_int_equal(out_finish(o), 0);
	out_free(o);
	assert_string_equal(captured(state), "[\n{\"a\\\"b\":\"x\"}\n]\n");
}

static void
test_utf8_decode(void **state)
{
	unsigned long cp;

	(void)state;
	assert_int_equal(utf8_decode("", 0, &cp), 0);
	assert_int_equal(utf8_decode("A", 1, &cp), 1);
	assert_int_equal(cp, 0x41);
	assert_int_equal(utf8_decode("\x7F", 1, &cp), 1);
	assert_int_equal(cp, 0x7F);
	assert_int_equal(utf8_decode("\xC2\x80", 2, &cp), 2);
	assert_int_equal(cp, 0x80);
	assert_int_equal(utf8_decode("\xDF\xBF", 2, &cp), 2);
	assert_int_equal(cp, 0x7FF);
	assert_int_equal(utf8_decode("\xE0\xA0\x80", 3, &cp), 3);
	assert_int_equal(cp, 0x800);
	assert_int_equal(utf8_decode("\xED\x9F\xBF", 3, &cp), 3);
	assert_int_equal(cp, 0xD7FF);
	assert_int_equal(utf8_decode("\xEE\x80\x80", 3, &cp), 3);
	assert_int_equal(cp, 0xE000);
	assert_int_equal(utf8_decode("\xEF\xBF\xBF", 3, &cp), 3);
	assert_int_equal(cp, 0xFFFF);
	assert_int_equal(utf8_decode("\xF0\x90\x80\x80", 4, &cp), 4);
	assert_int_equal(cp, 0x10000);
	assert_int_equal(utf8_decode("\xF4\x8F\xBF\xBF", 4, &cp), 4);
	assert_int_equal(cp, 0x10FFFF);

	assert_int_equal(utf8_decode("\x80", 1, &cp), -1);
	assert_int_equal(utf8_decode("\xC0\x80", 2, &cp), -1);
	assert_int_equal(utf8_decode("\xC1\xBF", 2, &cp), -1);
	assert_int_equal(utf8_decode("\xF5\x80\x80\x80", 4, &cp), -1);
	assert_int_equal(utf8_decode("\xFF", 1, &cp), -1);
	assert_int_equal(utf8_decode("\xE0\x9F\xBF", 3, &cp), -1);
	assert_int_equal(utf8_decode("\xED\xA0\x80", 3, &cp), -1);
	assert_int_equal(utf8_decode("\xF0\x8F\xBF\xBF", 4, &cp), -1);
	assert_int_equal(utf8_decode("\xF4\x90\x80\x80", 4, &cp), -1);
	assert_int_equal(utf8_decode("\xC3", 1, &cp), -1);
	assert_int_equal(utf8_decode("\xC3" "A", 2, &cp), -1);
	assert_int_equal(utf8_decode("\xE2\x82", 2, &cp), -2);
	assert_int_equal(utf8_decode("\xE2\x82\xAC", 2, &cp), -2);
	assert_int_equal(utf8_decode("\xF0\x9F\x98", 3, &cp), -3);
	assert_int_equal(utf8_decode("\xF0\x9F\x98" "A", 4, &cp), -3);
	assert_int_equal(utf8_decode("\xF0\x9F" "AA", 4, &cp), -2);

	assert_int_equal(utf8_width(""), 0);
	assert_int_equal(utf8_width("abc"), 3);
	assert_int_equal(utf8_width("Jos\xC3\xA9"), 4);
	/* wide characters take two columns, combining marks none */
	assert_int_equal(utf8_width("\xE6\x97\xA5\xE6\x9C\xAC"), 4);
	assert_int_equal(utf8_width("\xF0\x9F\x98\x80"), 2);
	assert_int_equal(utf8_width("e\xCC\x81"), 1);
	assert_int_equal(utf8_width("\xF0\x9D\x84\x9E!"), 2);
	assert_int_equal(utf8_width("\xE2\x82x"), 2);
	assert_int_equal(utf8_width("\xFF\xFE"), 2);
}

/* --- table ------------------------------------------------------------- */

static void
test_table_alignment(void **state)
{
	struct capture *c = *state;
	static const struct out_col cols[] = {
		{ "id", OUT_INT }, { "mentor_email", OUT_STR },
		{ "score", OUT_REAL },
	};
	struct out *o = out_new(c->fp, OUT_TABLE, cols, 3, 0);

	out_row(o, ROW("1", "a@x.org", "87.5"));
	out_row(o, ROW("12", "longer.name@example.org", "9"));
	/* Tables are measured, so nothing is written before out_finish. */
	assert_string_equal(captured(state) ? captured(state) : "", "");
	assert_int_equal(out_finish(o), 0);
	out_free(o);
	assert_string_equal(captured(state),
	    "ID  MENTOR_EMAIL             SCORE\n"
	    " 1  a@x.org                   87.5\n"
	    "12  longer.name@example.org      9\n");
}

static void
test_table_utf8_width(void **state)
{
	struct capture *c = *state;
	struct out *o = out_new(c->fp, OUT_TABLE, two_str, 2, 0);

	out_row(o, ROW("Jos\xC3\xA9", "j@x"));
	out_row(o, ROW("\xE6\x97\xA5\xE6\x9C\xAC", "n@x"));
	out_row(o, ROW("Zo\xC3\xAB M\xC3\xBCller", "z@x"));
	out_row(o, ROW("Al", "a@x"));
	assert_int_equal(out_finish(o), 0);
	out_free(o);
	assert_string_equal(captured(state),
	    "NAME        EMAIL\n"
	    "Jos\xC3\xA9        j@x\n"
	    "\xE6\x97\xA5\xE6\x9C\xAC        n@x\n"
	    "Zo\xC3\xAB M\xC3\xBCller  z@x\n"
	    "Al          a@x\n");
}

static void
test_table_null_and_trailing(void **state)
{
	struct capture *c = *state;
	static const struct out_col cols[] = {
		{ "a", OUT_STR }, { "b", OUT_INT }, { "c", OUT_STR },
	};
	struct out *o = out_new(c->fp, OUT_TABLE, cols, 3, 0);

	out_row(o, ROW(NULL, NULL, NULL));
	out_row(o, ROW("x", "", ""));
	out_row(o, ROW("", "", "tail   "));
	out_row(o, ROW("wide cell", "1", NULL));
	assert_int_equal(out_finish(o), 0);
	out_free(o);
	/* No line ends in a space, even when the last cells are empty. */
	assert_string_equal(captured(state),
	    "A          B  C\n"
	    "-          -  -\n"
	    "x\n"
	    "              tail\n"
	    "wide cell  1  -\n");
}

static void
test_table_one_line_per_row(void **state)
{
	struct capture *c = *state;
	struct out *o = out_new(c->fp, OUT_TABLE, two_str, 2, 0);

	out_row(o, ROW("a\nb", "c\td"));
	out_row(o, ROW("\x1b[2Jx\r", "\xC2\x9B" "1m\x7f"));
	out_row(o, ROW("bad\xFF", "ok"));
	assert_int_equal(out_finish(o), 0);
	out_free(o);
	assert_string_equal(captured(state),
	    "NAME    EMAIL\n"
	    "a b     c d\n"
	    " [2Jx    1m\n"
	    "bad" FFFD "    ok\n");
}

static void
test_table_empty(void **state)
{
	struct capture *c = *state;
	struct out *o = out_new(c->fp, OUT_TABLE, two_str, 2, 0);

	assert_int_equal(out_finish(o), 0);
	out_free(o);
	assert_string_equal(captured(state), "NAME  EMAIL\n");

	reset(state);
	c = *state;
	o = out_new(c->fp, OUT_TABLE, two_str, 2, OUT_NO_HEADER);
	assert_int_equal(out_finish(o), 0);
	out_free(o);
	assert_string_equal(captured(state), "");
}

static void
test_table_no_header(void **state)
{
	struct capture *c = *state;
	struct out *o = out_new(c->fp, OUT_TABLE, two_str, 2, OUT_NO_HEADER);

	/* Widths come from the data alone. */
	out_row(o, ROW("a", "b"));
	out_row(o, ROW("ccc", "d"));
	assert_int_equal(out_finish(o), 0);
	out_free(o);
	assert_string_equal(captured(state), "a    b\nccc  d\n");
}

static void
test_table_header_case(void **state)
{
	struct capture *c = *state;
	static const struct out_col cols[] = {
		{ "days_to_match", OUT_REAL }, { "x", OUT_STR },
	};
	struct out *o = out_new(c->fp, OUT_TABLE, cols, 2, 0);

	out_row(o, ROW("3.5", "y"));
	assert_int_equal(out_finish(o), 0);
	out_free(o);
	assert_string_equal(captured(state),
	    "DAYS_TO_MATCH  X\n          3.5  y\n");
}

/* --- write errors ------------------------------------------------------ */

static void
check_write_error(FILE *fp, enum out_format fmt)
{
	struct out *o = out_new(fp, fmt, two_str, 2, 0);
	int i;

	for (i = 0; i < 1000; i++)
		out_row(o, ROW("some name", "someone@example.org"));
	errno = 0;
	assert_int_equal(out_finish(o), -1);
	assert_int_not_equal(errno, 0);
	/* Finishing twice reports the same failure and writes nothing more. */
	assert_int_equal(out_finish(o), -1);
	out_free(o);
}

static void
test_write_error_readonly(void **state)
{
	static char buf[64];
	FILE *fp;
	int fmt;

	(void)state;
	for (fmt = OUT_TABLE; fmt <= OUT_JSON; fmt++) {
		fp = fmemopen(buf, sizeof buf, "r");
		assert_non_null(fp);
		check_write_error(fp, (enum out_format)fmt);
		fclose(fp);
	}
}

static void
test_write_error_full(void **state)
{
	FILE *fp;
	int fmt;

	(void)state;
	if (access("/dev/full", W_OK) != 0)
		skip();
	for (fmt = OUT_TABLE; fmt <= OUT_JSON; fmt++) {
		fp = fopen("/dev/full", "w");
		assert_non_null(fp);
		check_write_error(fp, (enum out_format)fmt);
		errno = 0;
		fclose(fp);
	}
	/* Nothing buffered yet fails only at the final flush. */
	fp = fopen("/dev/full", "w");
	assert_non_null(fp);
	{
		struct out *o = out_new(fp, OUT_JSON, two_str, 2, 0);

		assert_int_equal(out_finish(o), -1);
		assert_int_equal(errno, ENOSPC);
		out_free(o);
	}
	fclose(fp);
}

static void
test_free_null(void **state)
{
	(void)state;
	out_free(NULL);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

/* --- typed cells by name ---------------------------------------------- */

static const struct out_col typed_cols[] = {
	{ "id", OUT_INT }, { "email", OUT_STR }, { "on", OUT_DATE },
	{ "score", OUT_REAL }, { "ok", OUT_BOOL },
};

static void
typed_rows(struct out *o)
{
	/* any order; an unset cell is empty */
	out_str(o, "email", "=a@x.org");
	out_int(o, "id", 7);
	out_date(o, "on", 20819);          /* 2027-01-01 */
	out_centi(o, "score", 7325);
	out_bool(o, "ok", true);
	out_end_row(o);
	out_int(o, "id", -3);
	out_centi(o, "score", -5);
	out_date(o, "on", DATE_NONE);
	out_bool(o, "ok", false);
	out_end_row(o);
}

static void
test_typed_csv(void **state)
{
	struct capture *c = *state;
	struct out *o = out_new(c->fp, OUT_CSV, typed_cols, 5, 0);

	typed_rows(o);
	assert_int_equal(out_finish(o), 0);
	out_free(o);
	assert_string_equal(captured(state), "id,email,on,score,ok\r\n"
	    "7,'=a@x.org,2027-01-01,73.25,yes\r\n"
	    "-3,,,-0.05,no\r\n");
}

static void
test_typed_json(void **state)
{
	struct capture *c = *state;
	struct out *o = out_new(c->fp, OUT_JSON, typed_cols, 5, 0);

	typed_rows(o);
	assert_int_equal(out_finish(o), 0);
	out_free(o);
	assert_string_equal(captured(state), "[\n"
	    "{\"id\":7,\"email\":\"=a@x.org\",\"on\":\"2027-01-01\","
	    "\"score\":73.25,\"ok\":true},\n"
	    "{\"id\":-3,\"email\":null,\"on\":null,\"score\":-0.05,"
	    "\"ok\":false}\n]\n");
}

static void
test_typed_record(void **state)
{
	struct capture *c = *state;
	static const struct out_col cols[] = {
		{ "id", OUT_INT }, { "mentor_email", OUT_STR },
	};
	struct out *o = out_new(c->fp, OUT_TABLE, cols, 2, OUT_RECORD);

	out_int(o, "id", 12);
	out_str(o, "mentor_email", "a@x.org");
	out_end_row(o);
	assert_int_equal(out_finish(o), 0);
	out_free(o);
	assert_string_equal(captured(state),
	    "id            12\nmentor_email  a@x.org\n");
}

/* A programme-like record: a nested record holding a list, and a list. */
static const struct out_col nest_cols[] = {
	{ "slug", OUT_STR }, { "eligibility", OUT_NESTED },
	{ "exclusions", OUT_NESTED },
};
static const struct out_col elig_cols[] = {
	{ "min_tenure_years", OUT_REAL }, { "min_level", OUT_INT },
	{ "trainings", OUT_NESTED },
};

static void
write_nested(struct out *o, bool with_rules, size_t nexcl)
{
	static const char *const trainings[] = { "mentor-basics", "say \"hi\"" };
	static const char *const excl[] = { "same_manager_line",
	    "previous_partners" };
	struct out *sub;

	out_str(o, "slug", "eng");
	sub = out_nested_record(o, "eligibility", elig_cols, 3);
	if (with_rules) {
		out_real(sub, "min_tenure_years", 2.5, 1);
		out_strv(sub, "trainings", trainings, 2);
	}
	out_nested_end(o, sub);
	out_strv(o, "exclusions", excl, nexcl);
	out_end_row(o);
	assert_int_equal(out_finish(o), 0);
	out_free(o);
}

static void
test_json_record_and_list(void **state)
{
	struct capture *c = *state;

	write_nested(out_new(c->fp, OUT_JSON, nest_cols, 3, 0), true, 2);
	assert_string_equal(captured(state), "[\n{\"slug\":\"eng\","
	    "\"eligibility\":{\"min_tenure_years\":2.5,\"min_level\":null,"
	    "\"trainings\":[\"mentor-basics\",\"say \\\"hi\\\"\"]},"
	    "\"exclusions\":[\"same_manager_line\",\"previous_partners\"]}\n]\n");
	reset(state);
	c = *state;
	/* No cell set: null, not an empty object; no item: an empty array. */
	write_nested(out_new(c->fp, OUT_JSON, nest_cols, 3, 0), false, 0);
	assert_string_equal(captured(state), "[\n{\"slug\":\"eng\","
	    "\"eligibility\":null,\"exclusions\":[]}\n]\n");
}

static void
test_csv_record_and_list(void **state)
{
	struct capture *c = *state;

	write_nested(out_new(c->fp, OUT_CSV, nest_cols, 3, 0), true, 2);
	assert_string_equal(captured(state), "slug,eligibility,exclusions\r\n"
	    "eng,\"min_tenure_years 2.5, trainings mentor-basics; say \"\"hi\"\"\","
	    "same_manager_line; previous_partners\r\n");
	reset(state);
	c = *state;
	write_nested(out_new(c->fp, OUT_CSV, nest_cols, 3, 0), false, 0);
	assert_string_equal(captured(state), "slug,eligibility,exclusions\r\n"
	    "eng,,\r\n");
}

/* A list is text in CSV: guarded against formulas like any string. */
static void
test_csv_list_guarded(void **state)
{
	struct capture *c = *state;
	static const struct out_col cols[] = { { "subjects", OUT_NESTED } };
	static const char *const items[] = { "=HYPERLINK(1)", "b" };
	struct out *o = out_new(c->fp, OUT_CSV, cols, 1, 0);

	out_strv(o, "subjects", items, 2);
	out_end_row(o);
	assert_int_equal(out_finish(o), 0);
	out_free(o);
	assert_string_equal(captured(state), "subjects\r\n'=HYPERLINK(1); b\r\n");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format_parse),
		T(test_csv_header_crlf),
		T(test_csv_empty_is_header),
		T(test_csv_bom),
		T(test_csv_quoting),
		T(test_csv_null_and_empty),
		T(test_csv_formula_guard),
		T(test_csv_numbers_not_guarded),
		T(test_csv_header_guarded),
		T(test_csv_write_field_direct),
		T(test_csv_streams),
		T(test_json_empty),
		T(test_json_rows),
		T(test_json_numbers),
		T(test_json_control_chars),
		T(test_json_escapes),
		T(test_json_utf8),
		T(test_json_invalid_utf8),
		T(test_json_keys_escaped),
		cmocka_unit_test(test_utf8_decode),
		T(test_table_alignment),
		T(test_table_utf8_width),
		T(test_table_null_and_trailing),
		T(test_table_one_line_per_row),
		T(test_table_empty),
		T(test_table_no_header),
		T(test_table_header_case),
		cmocka_unit_test(test_write_error_readonly),
		cmocka_unit_test(test_write_error_full),
		cmocka_unit_test(test_free_null),
		T(test_typed_csv),
		T(test_typed_json),
		T(test_typed_record),
		T(test_json_record_and_list),
		T(test_csv_record_and_list),
		T(test_csv_list_guarded),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
