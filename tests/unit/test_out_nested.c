/*
 * io/out's nested listings (OUT_NESTED, out_nested): JSON arrays of
 * objects inside a cell, a count in tables and CSV.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "io/out.h"

static const struct out_col cols[] = {
	{ "email", OUT_STR }, { "trainings", OUT_NESTED },
};
static const struct out_col sub_cols[] = {
	{ "training", OUT_STR }, { "completed_on", OUT_DATE },
	{ "hours", OUT_INT },
};

static char *
render(enum out_format fmt, size_t ntrainings)
{
	char *buf = NULL;
	size_t len = 0, i;
	FILE *fp = open_memstream(&buf, &len);
	struct out *o = out_new(fp, fmt, cols, 2, 0), *sub;
	int day;

	assert_int_equal(date_parse("2027-01-05", &day), 0);
	out_str(o, "email", "a@example.org");
	sub = out_nested(o, "trainings", sub_cols, 3);
	for (i = 0; i < ntrainings; i++) {
		out_str(sub, "training", i ? "second \"one\"" : "mentor-basics");
		out_date(sub, "completed_on", day);
		if (i == 0)
			out_int(sub, "hours", 4);
		out_end_row(sub);
	}
	out_nested_end(o, sub);
	out_end_row(o);
	assert_int_equal(out_finish(o), 0);
	out_free(o);
	fclose(fp);
	return buf;
}

static void
test_json_nested(void **state)
{
	char *s;

	(void)state;
	s = render(OUT_JSON, 2);
	assert_string_equal(s, "[\n{\"email\":\"a@example.org\",\"trainings\":"
	    "[{\"training\":\"mentor-basics\",\"completed_on\":\"2027-01-05\","
	    "\"hours\":4},{\"training\":\"second \\\"one\\\"\","
	    "\"completed_on\":\"2027-01-05\",\"hours\":null}]}\n]\n");
	free(s);
	s = render(OUT_JSON, 0);
	assert_string_equal(s, "[\n{\"email\":\"a@example.org\",\"trainings\":"
	    "[]}\n]\n");
	free(s);
}

static void
test_csv_and_table_count(void **state)
{
	char *s;

	(void)state;
	s = render(OUT_CSV, 2);
	assert_string_equal(s, "email,trainings\r\na@example.org,2\r\n");
	free(s);
	s = render(OUT_TABLE, 1);
	assert_non_null(strstr(s, "a@example.org"));
	assert_non_null(strstr(s, "TRAININGS"));
	free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_nested),
		cmocka_unit_test(test_csv_and_table_count),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
