#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/cycle.h"

static int
D(const char *s)
{
	int d;

	if (date_parse(s, &d) != 0)
		fail_msg("bad test date %s", s);
	return d;
}

#define assert_date(day, s)                                                    \
	do {                                                                   \
		char b_[DATE_BUFSZ];                                           \
		assert_string_equal(date_format((day), b_), (s));              \
	} while (0)

static struct program_cycle
mkcycle(int n, enum date_unit unit, int opens, int closes,
    enum reup_default def)
{
	struct program_cycle c;

	c.present = true;
	c.start = DATE_NONE;
	c.length = (struct duration){ n, unit };
	c.reup_opens = (struct duration){ opens, DATE_UNIT_DAY };
	c.reup_closes = (struct duration){ closes, DATE_UNIT_DAY };
	c.reup_default = def;
	return c;
}

static void
test_spec_example(void **state)
{
	struct program_cycle c = mkcycle(6, DATE_UNIT_MONTH, 21, 7,
	    REUP_DEFAULT_EXIT);
	struct cycle_dates cd;
	struct error err = ERROR_INIT;

	(void)state;
	assert_int_equal(cycle_dates(&c, 1, D("2027-01-11"), &cd, &err), 0);
	assert_int_equal(cd.number, 1);
	assert_date(cd.starts_on, "2027-01-11");
	assert_date(cd.ends_on, "2027-07-11");
	assert_date(cd.reup_opens_on, "2027-06-19");
	assert_date(cd.reup_closes_on, "2027-07-03");
	assert_date(cycle_last_day(&cd), "2027-07-10");
}

static void
test_month_end_jan31(void **state)
{
	struct program_cycle c = mkcycle(1, DATE_UNIT_MONTH, 7, 1,
	    REUP_DEFAULT_EXIT);
	struct cycle_dates cd;

	(void)state;
	assert_int_equal(cycle_dates(&c, 1, D("2027-01-31"), &cd, NULL), 0);
	assert_date(cd.ends_on, "2027-02-28");
	assert_date(cd.reup_opens_on, "2027-02-20");
	assert_date(cd.reup_closes_on, "2027-02-26");
	/* Leap year. */
	assert_int_equal(cycle_dates(&c, 1, D("2028-01-31"), &cd, NULL), 0);
	assert_date(cd.ends_on, "2028-02-29");
	assert_date(cd.reup_closes_on, "2028-02-27");
}

static void
test_month_end_aug31(void **state)
{
	struct program_cycle c = mkcycle(6, DATE_UNIT_MONTH, 21, 7,
	    REUP_DEFAULT_EXIT);
	struct cycle_dates cd;

	(void)state;
	assert_int_equal(cycle_dates(&c, 1, D("2027-08-31"), &cd, NULL), 0);
	assert_date(cd.ends_on, "2028-02-29");
	assert_date(cd.reup_opens_on, "2028-02-07");
	assert_date(cd.reup_closes_on, "2028-02-21");
	assert_int_equal(cycle_dates(&c, 1, D("2026-08-31"), &cd, NULL), 0);
	assert_date(cd.ends_on, "2027-02-28");
	assert_date(cd.reup_opens_on, "2027-02-06");
}

static void
test_year_from_leap_day(void **state)
{
	struct program_cycle c = mkcycle(1, DATE_UNIT_YEAR, 30, 14,
	    REUP_DEFAULT_EXIT);
	struct cycle_dates cd;

	(void)state;
	assert_int_equal(cycle_dates(&c, 1, D("2028-02-29"), &cd, NULL), 0);
	assert_date(cd.ends_on, "2029-02-28");
}

static void
test_chained_cycles(void **state)
{
	struct program_cycle c = mkcycle(1, DATE_UNIT_MONTH, 0, 0,
	    REUP_DEFAULT_EXIT);
	struct cycle_dates cd, next;

	(void)state;
	assert_int_equal(cycle_nth(&c, D("2027-01-31"), 1, &cd, NULL), 0);
	assert_date(cd.starts_on, "2027-01-31");
	assert_int_equal(cycle_nth(&c, D("2027-01-31"), 2, &cd, NULL), 0);
	assert_int_equal(cd.number, 2);
	assert_date(cd.starts_on, "2027-02-28");
	assert_date(cd.ends_on, "2027-03-28");
	assert_int_equal(cycle_nth(&c, D("2027-01-31"), 3, &cd, NULL), 0);
	assert_date(cd.starts_on, "2027-03-28");
	assert_date(cd.ends_on, "2027-04-28");
	assert_int_equal(cycle_next(&c, &cd, &next, NULL), 0);
	assert_int_equal(next.number, 4);
	assert_int_equal(next.starts_on, cd.ends_on);

	/* Six-month cycles from Aug 31 across a leap February. */
	c = mkcycle(6, DATE_UNIT_MONTH, 21, 7, REUP_DEFAULT_EXIT);
	assert_int_equal(cycle_nth(&c, D("2027-08-31"), 2, &cd, NULL), 0);
	assert_date(cd.starts_on, "2028-02-29");
	assert_date(cd.ends_on, "2028-08-29");
}

static void
test_days_and_weeks(void **state)
{
	struct program_cycle c = mkcycle(12, DATE_UNIT_WEEK, 14, 3,
	    REUP_DEFAULT_EXIT);
	struct cycle_dates cd;

	(void)state;
	assert_int_equal(cycle_dates(&c, 1, D("2027-12-20"), &cd, NULL), 0);
	assert_date(cd.ends_on, "2028-03-13");
	assert_date(cd.reup_opens_on, "2028-02-27");
	assert_date(cd.reup_closes_on, "2028-03-09");
	c = mkcycle(90, DATE_UNIT_DAY, 10, 5, REUP_DEFAULT_EXIT);
	assert_int_equal(cycle_dates(&c, 1, D("2027-01-01"), &cd, NULL), 0);
	assert_int_equal(cd.ends_on - cd.starts_on, 90);
}

static void
test_default_window_is_last_day(void **state)
{
	struct program_cycle c = mkcycle(6, DATE_UNIT_MONTH, 0, 0,
	    REUP_DEFAULT_EXIT);
	struct cycle_dates cd;

	(void)state;
	assert_int_equal(cycle_dates(&c, 1, D("2027-01-11"), &cd, NULL), 0);
	assert_date(cd.reup_opens_on, "2027-07-10");
	assert_date(cd.reup_closes_on, "2027-07-10");
	assert_true(cycle_contains(&cd, cd.reup_closes_on));
}

/* "0 days before end" is the last day, "1 day before end" the day before. */
static void
test_zero_and_one_day_differ(void **state)
{
	struct program_cycle c0 = mkcycle(6, DATE_UNIT_MONTH, 0, 0,
	    REUP_DEFAULT_EXIT);
	struct program_cycle c1 = mkcycle(6, DATE_UNIT_MONTH, 1, 1,
	    REUP_DEFAULT_EXIT);
	struct cycle_dates a, b;

	(void)state;
	assert_int_equal(cycle_dates(&c0, 1, D("2027-01-11"), &a, NULL), 0);
	assert_int_equal(cycle_dates(&c1, 1, D("2027-01-11"), &b, NULL), 0);
	assert_date(a.reup_closes_on, "2027-07-10");
	assert_date(b.reup_closes_on, "2027-07-09");
	assert_int_equal(a.reup_closes_on, cycle_last_day(&a));
	assert_int_equal(b.reup_opens_on + 1, a.reup_opens_on);
}

static void
test_window_clamped_to_start(void **state)
{
	struct program_cycle c = mkcycle(1, DATE_UNIT_MONTH, 30, 7,
	    REUP_DEFAULT_EXIT);
	struct cycle_dates cd;

	(void)state;
	/* Feb 2027 has 28 days: "30 days before end" is before the start. */
	assert_int_equal(cycle_dates(&c, 2, D("2027-02-01"), &cd, NULL), 0);
	assert_date(cd.reup_opens_on, "2027-02-01");
	assert_date(cd.reup_closes_on, "2027-02-21");
}

static void
test_errors(void **state)
{
	struct program_cycle c = mkcycle(6, DATE_UNIT_MONTH, 7, 21,
	    REUP_DEFAULT_EXIT);
	struct cycle_dates cd;
	struct error err = ERROR_INIT;

	(void)state;
	assert_int_equal(cycle_dates(&c, 1, D("2027-01-11"), &cd, &err), -1);
	assert_int_equal(err.code, EX_DATAERR);
	assert_non_null(strstr(err.msg, "2027-07-03"));
	error_clear(&err);

	c = mkcycle(0, DATE_UNIT_MONTH, 0, 0, REUP_DEFAULT_EXIT);
	assert_int_equal(cycle_dates(&c, 1, D("2027-01-11"), &cd, &err), -1);
	assert_int_equal(err.code, EX_DATAERR);
	error_clear(&err);

	c = mkcycle(6, DATE_UNIT_MONTH, 0, 0, REUP_DEFAULT_EXIT);
	c.present = false;
	assert_int_equal(cycle_dates(&c, 1, D("2027-01-11"), &cd, &err), -1);
	error_clear(&err);

	c.present = true;
	assert_int_equal(cycle_dates(&c, 1, DATE_NONE, &cd, &err), -1);
	error_clear(&err);
	assert_int_equal(cycle_dates(&c, 0, D("2027-01-11"), &cd, &err), -1);
	error_clear(&err);
	assert_int_equal(cycle_dates(&c, 1, D("9999-10-01"), &cd, &err), -1);
	assert_non_null(strstr(err.msg, "9999"));
	error_clear(&err);
}

static void
test_contains_and_window_boundaries(void **state)
{
	struct program_cycle c = mkcycle(6, DATE_UNIT_MONTH, 21, 7,
	    REUP_DEFAULT_EXIT);
	struct cycle_dates cd;

	(void)state;
	assert_int_equal(cycle_dates(&c, 1, D("2027-01-11"), &cd, NULL), 0);
	assert_false(cycle_contains(&cd, D("2027-01-10")));
	assert_true(cycle_contains(&cd, D("2027-01-11")));
	assert_true(cycle_contains(&cd, D("2027-07-10")));
	assert_false(cycle_contains(&cd, D("2027-07-11")));
	assert_false(cycle_contains(&cd, DATE_NONE));

	assert_int_equal(cycle_window_at(&cd, D("2027-06-18")),
	    CYCLE_WINDOW_BEFORE);
	assert_false(cycle_reup_open(&cd, D("2027-06-18")));
	assert_int_equal(cycle_window_at(&cd, D("2027-06-19")),
	    CYCLE_WINDOW_OPEN);
	assert_true(cycle_reup_open(&cd, D("2027-06-19")));
	assert_true(cycle_reup_open(&cd, D("2027-07-03")));
	assert_int_equal(cycle_window_at(&cd, D("2027-07-04")),
	    CYCLE_WINDOW_CLOSED);
	assert_false(cycle_reup_open(&cd, D("2027-07-04")));
	assert_false(cycle_reup_open(&cd, DATE_NONE));
}

static void
test_reup_truth_table(void **state)
{
	static const struct {
		enum cycle_answer mentor, mentee;
		enum cycle_outcome if_exit, if_continue;
	} t[] = {
		{ CYCLE_ANSWER_YES, CYCLE_ANSWER_YES,
		  CYCLE_OUTCOME_CONTINUE, CYCLE_OUTCOME_CONTINUE },
		{ CYCLE_ANSWER_YES, CYCLE_ANSWER_NO,
		  CYCLE_OUTCOME_EXIT, CYCLE_OUTCOME_EXIT },
		{ CYCLE_ANSWER_YES, CYCLE_ANSWER_NONE,
		  CYCLE_OUTCOME_EXIT, CYCLE_OUTCOME_CONTINUE },
		{ CYCLE_ANSWER_NO, CYCLE_ANSWER_YES,
		  CYCLE_OUTCOME_EXIT, CYCLE_OUTCOME_EXIT },
		{ CYCLE_ANSWER_NO, CYCLE_ANSWER_NO,
		  CYCLE_OUTCOME_EXIT, CYCLE_OUTCOME_EXIT },
		{ CYCLE_ANSWER_NO, CYCLE_ANSWER_NONE,
		  CYCLE_OUTCOME_EXIT, CYCLE_OUTCOME_EXIT },
		{ CYCLE_ANSWER_NONE, CYCLE_ANSWER_YES,
		  CYCLE_OUTCOME_EXIT, CYCLE_OUTCOME_CONTINUE },
		{ CYCLE_ANSWER_NONE, CYCLE_ANSWER_NO,
		  CYCLE_OUTCOME_EXIT, CYCLE_OUTCOME_EXIT },
		{ CYCLE_ANSWER_NONE, CYCLE_ANSWER_NONE,
		  CYCLE_OUTCOME_EXIT, CYCLE_OUTCOME_CONTINUE },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		assert_int_equal(cycle_reup_outcome(t[i].mentor, t[i].mentee,
		    REUP_DEFAULT_EXIT), t[i].if_exit);
		assert_int_equal(cycle_reup_outcome(t[i].mentor, t[i].mentee,
		    REUP_DEFAULT_CONTINUE), t[i].if_continue);
		/* Symmetric in the partners. */
		assert_int_equal(cycle_reup_outcome(t[i].mentee, t[i].mentor,
		    REUP_DEFAULT_EXIT), t[i].if_exit);
		assert_int_equal(cycle_reup_outcome(t[i].mentee, t[i].mentor,
		    REUP_DEFAULT_CONTINUE), t[i].if_continue);
	}
}

static void
test_reup_group(void **state)
{
	enum cycle_answer g[3] = { CYCLE_ANSWER_YES, CYCLE_ANSWER_NONE,
		CYCLE_ANSWER_YES };

	(void)state;
	assert_int_equal(cycle_reup_outcome_n(g, 3, REUP_DEFAULT_CONTINUE),
	    CYCLE_OUTCOME_CONTINUE);
	assert_int_equal(cycle_reup_outcome_n(g, 3, REUP_DEFAULT_EXIT),
	    CYCLE_OUTCOME_EXIT);
	g[1] = CYCLE_ANSWER_NO;
	assert_int_equal(cycle_reup_outcome_n(g, 3, REUP_DEFAULT_CONTINUE),
	    CYCLE_OUTCOME_EXIT);
	assert_int_equal(cycle_reup_outcome_n(NULL, 0, REUP_DEFAULT_CONTINUE),
	    CYCLE_OUTCOME_CONTINUE);
	assert_int_equal(cycle_reup_outcome_n(NULL, 0, REUP_DEFAULT_EXIT),
	    CYCLE_OUTCOME_EXIT);
}

static void
test_names(void **state)
{
	(void)state;
	assert_int_equal(cycle_answer_parse("yes"), CYCLE_ANSWER_YES);
	assert_int_equal(cycle_answer_parse("no"), CYCLE_ANSWER_NO);
	assert_int_equal(cycle_answer_parse("none"), -1);
	assert_int_equal(cycle_answer_parse("Yes"), -1);
	assert_int_equal(cycle_answer_parse(NULL), -1);
	assert_string_equal(cycle_answer_name(CYCLE_ANSWER_NONE), "none");
	assert_string_equal(cycle_answer_name(CYCLE_ANSWER_YES), "yes");
	assert_string_equal(cycle_answer_name(CYCLE_ANSWER_NO), "no");
	assert_string_equal(cycle_outcome_name(CYCLE_OUTCOME_CONTINUE),
	    "continued");
	assert_string_equal(cycle_outcome_name(CYCLE_OUTCOME_EXIT), "exited");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spec_example),
		cmocka_unit_test(test_month_end_jan31),
		cmocka_unit_test(test_month_end_aug31),
		cmocka_unit_test(test_year_from_leap_day),
		cmocka_unit_test(test_chained_cycles),
		cmocka_unit_test(test_days_and_weeks),
		cmocka_unit_test(test_default_window_is_last_day),
		cmocka_unit_test(test_zero_and_one_day_differ),
		cmocka_unit_test(test_window_clamped_to_start),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_contains_and_window_boundaries),
		cmocka_unit_test(test_reup_truth_table),
		cmocka_unit_test(test_reup_group),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
