#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/metrics.h"
#include "core/program.h"
#include "io/html.h"
#include "util/strbuf.h"
#include "util/xmalloc.h"

static void
assert_escaped(const char *in, const char *want)
{
	struct strbuf sb = STRBUF_INIT;

	html_escape(&sb, in);
	assert_string_equal(sb.buf, want);
	strbuf_release(&sb);
}

static void
test_escape(void **state)
{
	(void)state;
	assert_escaped("plain", "plain");
	assert_escaped("<script>alert('x')</script>",
	    "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;");
	assert_escaped("a & b \"c\"", "a &amp; b &quot;c&quot;");
	assert_escaped("&amp;", "&amp;amp;");
	assert_escaped("", "");
	assert_escaped(NULL, "");
	/* UTF-8 passes through. */
	assert_escaped("Zo\xc3\xab \xe2\x80\x94 \xf0\x9f\x99\x82",
	    "Zo\xc3\xab \xe2\x80\x94 \xf0\x9f\x99\x82");
	/* Invalid UTF-8 becomes U+FFFD, once per maximal invalid subpart. */
	assert_escaped("a\xff" "b", "a\xef\xbf\xbd" "b");
	assert_escaped("\xe2\x80<", "\xef\xbf\xbd&lt;");
	assert_escaped("\xc0\xaf", "\xef\xbf\xbd\xef\xbf\xbd");
	/* Controls are not HTML text: dropped (tab and newline stay), C1 too. */
	assert_escaped("a\x01\x1b[31mb\x7f", "a[31mb");
	assert_escaped("a\tb\nc", "a\tb\nc");
	assert_escaped("a\xc2\x85z", "az");
}

static void
test_write_text(void **state)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	(void)state;
	assert_non_null(fp);
	html_write_text(fp, "<b>&</b>");
	fclose(fp);
	assert_string_equal(buf, "&lt;b&gt;&amp;&lt;/b&gt;");
	free(buf);
}

/* A whole document from a tiny report: self-contained and escaped. */
static void
test_report_document(void **state)
{
	struct program *p = program_new();
	struct metrics_input *in = xcalloc(1, sizeof *in);
	struct metrics_rows rows = METRICS_ROWS_INIT;
	struct metrics_report *r;
	char *buf = NULL;
	size_t len = 0;
	FILE *fp;
	int i;

	(void)state;
	p->slug = xstrdup("x");
	p->name = xstrdup("<script>alert(1)</script>");
	p->ngoals = 1;
	p->goals = xcalloc(1, sizeof *p->goals);
	p->goals[0].id = xstrdup("g\"1");
	p->goals[0].statement = xstrdup("<img src=x onerror=alert(2)>");
	p->goals[0].metric = xstrdup("match_rate");
	p->goals[0].due = DATE_NONE;
	assert_int_equal(date_parse("2027-03-01", &in->as_of), 0);
	in->ndepts = 1;
	in->depts = xcalloc(1, sizeof *in->depts);
	in->depts[0] = xstrdup("R&D <lab>");
	in->nfb = 3;
	in->fb = xcalloc(3, sizeof *in->fb);
	for (i = 0; i < 3; i++) {
		in->fb[i].pairing = -1;
		in->fb[i].role = ROLE_MENTEE;
		in->fb[i].dept = 0;
		in->fb[i].rating = 3 + i;
		/* February closed by the report day: published */
		assert_int_equal(date_parse("2027-02-15", &in->fb[i].given_on), 0);
	}
	in->fb[0].comment = xstrdup("</li><script>x</script>");
	r = metrics_compute(p, in);
	metrics_rows_build(r, p, in, &rows);
	fp = open_memstream(&buf, &len);
	assert_non_null(fp);
	assert_int_equal(html_report_write(fp, p, in, r, &rows), 0);
	fclose(fp);
	assert_true(strncmp(buf, "<!DOCTYPE html>", 15) == 0);
	assert_non_null(strstr(buf, "</html>\n"));
	assert_null(strstr(buf, "<script"));
	assert_null(strstr(buf, "<img"));
	assert_null(strstr(buf, "http://"));
	assert_null(strstr(buf, "https://"));
	assert_non_null(strstr(buf, "&lt;script&gt;alert(1)&lt;/script&gt;"));
	assert_non_null(strstr(buf, "&lt;img src=x onerror=alert(2)&gt;"));
	assert_non_null(strstr(buf, "g&quot;1"));
	assert_non_null(strstr(buf, "In R&amp;D &lt;lab&gt;"));
	assert_non_null(strstr(buf, "&lt;/li&gt;&lt;script&gt;x&lt;/script&gt;"));
	assert_non_null(strstr(buf, "Content-Security-Policy"));
	assert_non_null(strstr(buf, "aria-label=\"Ratings distribution\""));
	free(buf);
	metrics_rows_free(&rows);
	metrics_report_free(r);
	metrics_input_free(in);
	program_free(p);
}

/* A goal's badge and words follow its status (the enum, not the row's text). */
static void
test_goal_badges(void **state)
{
	static const enum metrics_goal_status st[] = {
		METRICS_GOAL_MET, METRICS_GOAL_NOT_MET, METRICS_GOAL_ON_TRACK,
		METRICS_GOAL_AT_RISK, METRICS_GOAL_NO_DATA,
	};
	static const char *const want[] = {
		"<span class=\"badge met\">met</span>",
		"<span class=\"badge notmet\">not met</span>",
		"<span class=\"badge ontrack\">on track</span>",
		"<span class=\"badge atrisk\">at risk</span>",
		"<span class=\"badge nodata\">no data</span>",
	};
	struct program *p = program_new();
	struct metrics_input *in = xcalloc(1, sizeof *in);
	struct metrics_rows rows = METRICS_ROWS_INIT;
	struct metrics_report *r;
	const char *at;
	char *buf = NULL;
	size_t len = 0, i;
	FILE *fp;

	(void)state;
	p->slug = xstrdup("b");
	p->ngoals = 5;
	p->goals = xcalloc(5, sizeof *p->goals);
	for (i = 0; i < 5; i++) {
		p->goals[i].id = xasprintf("g%zu", i);
		p->goals[i].metric = xstrdup("match_rate");
		p->goals[i].target = 0.5;
		p->goals[i].has_target = true;
		p->goals[i].due = DATE_NONE;
	}
	assert_int_equal(date_parse("2027-03-01", &in->as_of), 0);
	r = metrics_compute(p, in);
	metrics_rows_build(r, p, in, &rows);
	for (i = 0; i < 5; i++)
		r->goals[i].status = st[i];
	fp = open_memstream(&buf, &len);
	assert_non_null(fp);
	assert_int_equal(html_report_write(fp, p, in, r, &rows), 0);
	fclose(fp);
	/* in the goals' order, each with its badge */
	at = buf;
	for (i = 0; i < 5; i++) {
		at = strstr(at, want[i]);
		assert_non_null(at);
	}
	/* the goal missed, and only it, is red */
	at = strstr(buf, "missed by its due date");
	assert_non_null(at);
	assert_null(strstr(at + 1, "missed by its due date"));
	free(buf);
	metrics_rows_free(&rows);
	metrics_report_free(r);
	metrics_input_free(in);
	program_free(p);
}

/* Format flash: a line per group with seats and attendance, in words. */
static void
test_flash_section(void **state)
{
	struct program *p = program_new();
	struct metrics_input *in = xcalloc(1, sizeof *in);
	struct metrics_rows rows = METRICS_ROWS_INIT;
	struct metrics_report *r;
	char *buf = NULL;
	size_t len = 0, i;
	FILE *fp;

	(void)state;
	p->slug = xstrdup("f");
	p->format = FORMAT_FLASH;
	p->flash.rounds = 2;
	p->flash.date = DATE_NONE;
	assert_int_equal(date_parse("2027-03-01", &in->as_of), 0);
	in->nenr = 2;
	in->enr = xcalloc(2, sizeof *in->enr);
	for (i = 0; i < 2; i++) {
		in->enr[i].id = (long long)i + 1;
		in->enr[i].role = ROLE_MENTEE;
		in->enr[i].enrolled_on = in->as_of - 10;
		in->enr[i].eligible_on = in->as_of - 10;
		in->enr[i].withdrawn_on = DATE_NONE;
		in->enr[i].dept = -1;
	}
	in->nflash = 4;
	in->flash = xcalloc(4, sizeof *in->flash);
	in->flash[0] = (struct metrics_flash_seat){ 1, 0, 1 };
	in->flash[1] = (struct metrics_flash_seat){ 1, 1, -1 };
	in->flash[2] = (struct metrics_flash_seat){ 2, 0, 1 };
	in->flash[3] = (struct metrics_flash_seat){ 2, 1, 0 };
	r = metrics_compute(p, in);
	metrics_rows_build(r, p, in, &rows);
	fp = open_memstream(&buf, &len);
	assert_non_null(fp);
	assert_int_equal(html_report_write(fp, p, in, r, &rows), 0);
	fclose(fp);
	assert_non_null(strstr(buf, "<h2>Flash session</h2>"));
	assert_non_null(strstr(buf, "<tr><th scope=\"row\">All</th>"
	    "<td class=\"num\">2</td><td class=\"num\">1</td>"
	    "<td class=\"num\">0</td><td class=\"num\">1</td>"
	    "<td class=\"num\">50.0%</td><td>1 of 2 seated mentees came</td>"
	    "</tr>"));
	assert_non_null(strstr(buf, "<tr><th scope=\"row\">Round 2</th>"
	    "<td class=\"num\">2</td><td class=\"num\">1</td>"
	    "<td class=\"num\">1</td><td class=\"num\">0</td>"));
	assert_non_null(strstr(buf, "<th scope=\"row\">Flash coverage</th>"));
	free(buf);
	metrics_rows_free(&rows);
	metrics_report_free(r);
	metrics_input_free(in);
	program_free(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escape),
		cmocka_unit_test(test_write_text),
		cmocka_unit_test(test_report_document),
		cmocka_unit_test(test_goal_badges),
		cmocka_unit_test(test_flash_section),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
