#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/date.h"

static int
ymd(int y, int m, int d)
{
	assert_true(date_valid_ymd(y, m, d));
	return date_from_ymd(y, m, d);
}

static int
parse(const char *s)
{
	int days = DATE_NONE;

	assert_int_equal(date_parse(s, &days), 0);
	return days;
}

static void
assert_date(int days, const char *want)
{
	char buf[DATE_BUFSZ];

	assert_string_equal(date_format(days, buf), want);
}

static void
test_leap_years(void **state)
{
	(void)state;
	assert_false(date_is_leap(1900));
	assert_true(date_is_leap(2000));
	assert_true(date_is_leap(2024));
	assert_false(date_is_leap(2100));
	assert_false(date_is_leap(2023));
	assert_true(date_is_leap(1600));
	assert_false(date_is_leap(1700));
	assert_true(date_is_leap(4));
	assert_false(date_is_leap(1));
	assert_true(date_is_leap(9996));
	assert_false(date_is_leap(9999));
}

static void
test_days_in_month(void **state)
{
	static const int common[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};
	int m;

	(void)state;
	for (m = 1; m <= 12; m++) {
		assert_int_equal(date_days_in_month(2023, m), common[m - 1]);
		assert_int_equal(date_days_in_month(2024, m),
		    m == 2 ? 29 : common[m - 1]);
	}
	assert_int_equal(date_days_in_month(1900, 2), 28);
	assert_int_equal(date_days_in_month(2000, 2), 29);
	assert_int_equal(date_days_in_month(2100, 2), 28);
	assert_int_equal(date_days_in_month(2024, 0), 0);
	assert_int_equal(date_days_in_month(2024, 13), 0);
}

static void
test_valid_ymd(void **state)
{
	(void)state;
	assert_true(date_valid_ymd(1, 1, 1));
	assert_true(date_valid_ymd(9999, 12, 31));
	assert_true(date_valid_ymd(2024, 2, 29));
	assert_true(date_valid_ymd(2000, 2, 29));
	assert_false(date_valid_ymd(1900, 2, 29));
	assert_false(date_valid_ymd(2100, 2, 29));
	assert_false(date_valid_ymd(2026, 2, 29));
	assert_false(date_valid_ymd(2027, 2, 30));
	assert_false(date_valid_ymd(2027, 4, 31));
	assert_false(date_valid_ymd(0, 1, 1));
	assert_false(date_valid_ymd(10000, 1, 1));
	assert_false(date_valid_ymd(-1, 1, 1));
	assert_false(date_valid_ymd(2027, 0, 1));
	assert_false(date_valid_ymd(2027, 13, 1));
	assert_false(date_valid_ymd(2027, 1, 0));
	assert_false(date_valid_ymd(2027, 1, 32));
	assert_false(date_valid_ymd(2027, 1, -1));
}

static void
test_known_days(void **state)
{
	int y, m, d;

	(void)state;
	assert_int_equal(ymd(1970, 1, 1), 0);
	assert_int_equal(ymd(1969, 12, 31), -1);
	assert_int_equal(ymd(1970, 1, 2), 1);
	assert_int_equal(ymd(2000, 1, 1), 10957);
	assert_int_equal(ymd(2024, 2, 29), 19782);
	assert_int_equal(ymd(2027, 1, 11), 20829);
	assert_int_equal(ymd(1900, 1, 1), -25567);
	assert_int_equal(ymd(2100, 12, 31), 47846);
	assert_int_equal(ymd(1, 1, 1), -719162);
	assert_int_equal(ymd(1, 1, 1), DATE_MIN_DAY);
	assert_int_equal(ymd(9999, 12, 31), 2932896);
	assert_int_equal(ymd(9999, 12, 31), DATE_MAX_DAY);

	date_to_ymd(-1, &y, &m, &d);
	assert_int_equal(y, 1969);
	assert_int_equal(m, 12);
	assert_int_equal(d, 31);
	date_to_ymd(DATE_MIN_DAY, &y, &m, &d);
	assert_int_equal(y, 1);
	assert_int_equal(m, 1);
	assert_int_equal(d, 1);
	date_to_ymd(DATE_MAX_DAY, &y, &m, &d);
	assert_int_equal(y, 9999);
	assert_int_equal(m, 12);
	assert_int_equal(d, 31);
}

/* Walks the calendar by hand and checks every day against the arithmetic. */
static void
test_round_trip_1900_2100(void **state)
{
	char buf[DATE_BUFSZ], want[32];
	int y, m, d, days, yy, mm, dd, parsed, n = 0;
	int expect = ymd(1900, 1, 1);
	int wd = date_weekday(expect);

	(void)state;
	for (y = 1900; y <= 2100; y++) {
		for (m = 1; m <= 12; m++) {
			for (d = 1; d <= date_days_in_month(y, m); d++) {
				days = date_from_ymd(y, m, d);
				assert_int_equal(days, expect);
				date_to_ymd(days, &yy, &mm, &dd);
				assert_int_equal(yy, y);
				assert_int_equal(mm, m);
				assert_int_equal(dd, d);
				snprintf(want, sizeof want, "%04d-%02d-%02d", y,
				    m, d);
				assert_string_equal(date_format(days, buf), want);
				assert_int_equal(date_parse(buf, &parsed), 0);
				assert_int_equal(parsed, days);
				assert_int_equal(date_weekday(days), wd);
				assert_int_equal(date_add_days(days, 1), days + 1);
				wd = wd % 7 + 1;
				expect++;
				n++;
			}
		}
	}
	/* 201 years, 49 of them leap (2000 is, 1900 and 2100 are not). */
	assert_int_equal(n, 201 * 365 + 49);
}

static void
test_round_trip_extremes(void **state)
{
	int days, parsed;
	char buf[DATE_BUFSZ];

	(void)state;
	/* Every 97th day over the whole range, including negative day counts. */
	for (days = DATE_MIN_DAY; days <= DATE_MAX_DAY; days += 97) {
		date_format(days, buf);
		assert_int_equal(strlen(buf), 10);
		assert_int_equal(date_parse(buf, &parsed), 0);
		assert_int_equal(parsed, days);
	}
	assert_date(DATE_MIN_DAY, "0001-01-01");
	assert_date(DATE_MAX_DAY, "9999-12-31");
}

static void
test_weekday(void **state)
{
	(void)state;
	assert_int_equal(date_weekday(0), 4);			/* Thursday */
	assert_int_equal(date_weekday(-1), 3);
	assert_int_equal(date_weekday(-3), 1);			/* 1969-12-29 */
	assert_int_equal(date_weekday(-4), 7);
	assert_int_equal(date_weekday(ymd(2000, 1, 1)), 6);	/* Saturday */
	assert_int_equal(date_weekday(ymd(2027, 1, 11)), 1);	/* Monday */
	assert_int_equal(date_weekday(ymd(2024, 2, 29)), 4);
	assert_int_equal(date_weekday(ymd(1900, 1, 1)), 1);
	assert_int_equal(date_weekday(ymd(2100, 12, 31)), 5);
	assert_int_equal(date_weekday(ymd(1, 1, 1)), 1);
	assert_int_equal(date_weekday(ymd(9999, 12, 31)), 5);
	assert_int_equal(date_weekday(ymd(1969, 7, 20)), 7);	/* Sunday */
}

static void
test_parse_valid(void **state)
{
	(void)state;
	assert_int_equal(parse("1970-01-01"), 0);
	assert_int_equal(parse("2024-02-29"), ymd(2024, 2, 29));
	assert_int_equal(parse("2000-02-29"), ymd(2000, 2, 29));
	assert_int_equal(parse("0001-01-01"), DATE_MIN_DAY);
	assert_int_equal(parse("9999-12-31"), DATE_MAX_DAY);
	assert_int_equal(parse("2027-12-31"), ymd(2027, 12, 31));
	/* A NULL out pointer only validates. */
	assert_int_equal(date_parse("2027-01-05", NULL), 0);
}

static void
test_parse_invalid(void **state)
{
	static const char *const bad[] = {
		"", "2027", "2027-", "2027-01", "2027-01-", "2027-01-0",
		"2027-02-30", "2026-02-29", "1900-02-29", "2100-02-29",
		"2027-13-01", "2027-00-10", "2027-01-00", "2027-01-32",
		"2027-04-31", "0000-01-01", "2027-1-5", "2027-01-5",
		"27-01-05", "02027-01-05", "2027-01-05x", "2027-01-05 ",
		" 2027-01-05", "2027/01/05", "2027-01-05T00:00:00Z",
		"20270105", "2027-0a-05", "2027-01-0a", "+027-01-05",
		"-027-01-05", "2027--1-05", "2027-+1-05", "2027-01--5",
		"\357\274\222027-01-05",	/* fullwidth digit two */
		"2027-01-05\n", "2027\0-01-05",
		"abcd-ef-gh", "2027 01 05",
	};
	size_t i;
	int days;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		days = 12345;
		if (date_parse(bad[i], &days) != -1)
			fail_msg("accepted '%s'", bad[i]);
		assert_int_equal(days, 12345);	/* untouched on failure */
	}
	assert_int_equal(date_parse(NULL, &days), -1);
	assert_int_equal(date_parse(NULL, NULL), -1);
}

static void
test_format_out_of_range(void **state)
{
	char buf[DATE_BUFSZ];

	(void)state;
	memset(buf, 'x', sizeof buf);
	assert_string_equal(date_format(DATE_NONE, buf), "");
	assert_string_equal(date_format(DATE_MIN_DAY - 1, buf), "");
	assert_string_equal(date_format(DATE_MAX_DAY + 1, buf), "");
	assert_string_equal(date_format(INT_MAX, buf), "");
}

static void
test_add_days(void **state)
{
	(void)state;
	assert_date(date_add_days(parse("2027-01-31"), 1), "2027-02-01");
	assert_date(date_add_days(parse("2024-02-28"), 1), "2024-02-29");
	assert_date(date_add_days(parse("2023-02-28"), 1), "2023-03-01");
	assert_date(date_add_days(parse("2027-12-31"), 1), "2028-01-01");
	assert_date(date_add_days(parse("2027-01-01"), -1), "2026-12-31");
	assert_date(date_add_days(parse("2024-03-01"), -1), "2024-02-29");
	assert_date(date_add_days(parse("1970-01-01"), -365), "1969-01-01");
	assert_date(date_add_days(parse("2027-01-11"), 0), "2027-01-11");
	assert_date(date_add_days(parse("2027-01-11"), 365 * 4 + 1),
	    "2031-01-11");
	assert_int_equal(date_add_days(DATE_MAX_DAY, 1), DATE_NONE);
	assert_int_equal(date_add_days(DATE_MIN_DAY, -1), DATE_NONE);
	assert_int_equal(date_add_days(DATE_NONE, 1), DATE_NONE);
	assert_int_equal(date_add_days(DATE_NONE, -1), DATE_NONE);
	assert_int_equal(date_add_days(0, INT_MAX), DATE_NONE);
	assert_int_equal(date_add_days(0, INT_MIN), DATE_NONE);
}

static void
test_add_months_clamps(void **state)
{
	(void)state;
	assert_date(date_add_months(parse("2027-01-31"), 1), "2027-02-28");
	assert_date(date_add_months(parse("2028-01-31"), 1), "2028-02-29");
	assert_date(date_add_months(parse("2100-01-31"), 1), "2100-02-28");
	assert_date(date_add_months(parse("2000-01-31"), 1), "2000-02-29");
	assert_date(date_add_months(parse("2027-01-31"), 3), "2027-04-30");
	assert_date(date_add_months(parse("2027-03-31"), -1), "2027-02-28");
	assert_date(date_add_months(parse("2028-03-31"), -1), "2028-02-29");
	assert_date(date_add_months(parse("2027-05-31"), -1), "2027-04-30");
	assert_date(date_add_months(parse("2027-08-31"), 1), "2027-09-30");
	/* No drift back up: clamping is from the original day each time. */
	assert_date(date_add_months(parse("2027-01-31"), 2), "2027-03-31");
	assert_date(date_add_months(parse("2027-02-28"), 1), "2027-03-28");
}

static void
test_add_months_across_years(void **state)
{
	(void)state;
	assert_date(date_add_months(parse("2027-12-15"), 1), "2028-01-15");
	assert_date(date_add_months(parse("2027-01-15"), -1), "2026-12-15");
	assert_date(date_add_months(parse("2027-01-11"), 6), "2027-07-11");
	assert_date(date_add_months(parse("2027-07-11"), -6), "2027-01-11");
	assert_date(date_add_months(parse("2027-01-11"), 12), "2028-01-11");
	assert_date(date_add_months(parse("2027-01-11"), -12), "2026-01-11");
	assert_date(date_add_months(parse("2027-01-11"), 25), "2029-02-11");
	assert_date(date_add_months(parse("2027-01-11"), -25), "2024-12-11");
	assert_date(date_add_months(parse("2027-01-11"), -13), "2025-12-11");
	assert_date(date_add_months(parse("2027-01-11"), 0), "2027-01-11");
	assert_date(date_add_months(parse("1970-01-31"), -1), "1969-12-31");
	assert_date(date_add_months(parse("1969-03-31"), -1), "1969-02-28");
	assert_date(date_add_months(parse("0001-12-31"), -11), "0001-01-31");
	assert_int_equal(date_add_months(parse("0001-12-31"), -12), DATE_NONE);
	assert_int_equal(date_add_months(parse("9999-01-01"), 12), DATE_NONE);
	assert_int_equal(date_add_months(0, INT_MAX), DATE_NONE);
	assert_int_equal(date_add_months(0, INT_MIN), DATE_NONE);
	assert_int_equal(date_add_months(DATE_NONE, 1), DATE_NONE);
}

static void
test_add_years(void **state)
{
	(void)state;
	assert_date(date_add_years(parse("2024-02-29"), 1), "2025-02-28");
	assert_date(date_add_years(parse("2024-02-29"), 4), "2028-02-29");
	assert_date(date_add_years(parse("2024-02-29"), -1), "2023-02-28");
	assert_date(date_add_years(parse("2024-02-29"), -4), "2020-02-29");
	assert_date(date_add_years(parse("2096-02-29"), 4), "2100-02-28");
	assert_date(date_add_years(parse("1996-02-29"), 4), "2000-02-29");
	assert_date(date_add_years(parse("2027-01-11"), 3), "2030-01-11");
	assert_date(date_add_years(parse("2027-01-11"), -30), "1997-01-11");
	assert_int_equal(date_add_years(parse("9999-06-01"), 1), DATE_NONE);
	assert_int_equal(date_add_years(parse("0001-06-01"), -1), DATE_NONE);
	assert_int_equal(date_add_years(0, INT_MAX), DATE_NONE);
	assert_int_equal(date_add_years(0, INT_MIN), DATE_NONE);
	assert_int_equal(date_add_years(DATE_NONE, 1), DATE_NONE);
}

static void
test_add_duration(void **state)
{
	struct duration d;
	int start = parse("2027-01-31");

	(void)state;
	d.n = 10;
	d.unit = DATE_UNIT_DAY;
	assert_date(date_add_duration(start, d, 1), "2027-02-10");
	assert_date(date_add_duration(start, d, -1), "2027-01-21");
	d.n = 2;
	d.unit = DATE_UNIT_WEEK;
	assert_date(date_add_duration(start, d, 1), "2027-02-14");
	assert_date(date_add_duration(start, d, -1), "2027-01-17");
	d.n = 1;
	d.unit = DATE_UNIT_MONTH;
	assert_date(date_add_duration(start, d, 1), "2027-02-28");
	assert_date(date_add_duration(start, d, -1), "2026-12-31");
	d.n = 6;
	assert_date(date_add_duration(parse("2027-01-11"), d, 1), "2027-07-11");
	d.n = 1;
	d.unit = DATE_UNIT_YEAR;
	assert_date(date_add_duration(parse("2024-02-29"), d, 1), "2025-02-28");
	assert_date(date_add_duration(parse("2024-02-29"), d, -1), "2023-02-28");
	d.n = 0;
	d.unit = DATE_UNIT_MONTH;
	assert_int_equal(date_add_duration(start, d, 1), start);
	assert_int_equal(date_add_duration(start, d, -1), start);
	d.n = INT_MAX;
	d.unit = DATE_UNIT_WEEK;
	assert_int_equal(date_add_duration(start, d, 1), DATE_NONE);
	assert_int_equal(date_add_duration(start, d, -1), DATE_NONE);
	d.unit = DATE_UNIT_YEAR;
	assert_int_equal(date_add_duration(start, d, 1), DATE_NONE);
	d.n = 1;
	assert_int_equal(date_add_duration(DATE_NONE, d, 1), DATE_NONE);
}

static void
assert_years(const char *from, const char *to, double want)
{
	double got = date_years_between(parse(from), parse(to));

	if (fabs(got - want) > 1e-12)
		fail_msg("years_between(%s, %s) = %.15f, want %.15f", from,
		    to, got, want);
}

static void
test_years_between(void **state)
{
	(void)state;
	assert_years("2027-01-11", "2027-01-11", 0.0);
	assert_years("2026-01-11", "2027-01-11", 1.0);
	assert_years("2020-03-15", "2027-03-15", 7.0);
	assert_years("2023-01-01", "2023-07-02", 182.0 / 365.0);
	assert_years("2024-01-01", "2024-07-02", 183.0 / 366.0);
	assert_years("2020-03-15", "2027-01-11",
	    6.0 + (double)(parse("2027-01-11") - parse("2026-03-15")) / 365.0);
	assert_years("2026-12-31", "2027-01-01", 1.0 / 365.0);
	assert_years("2027-01-12", "2030-01-11", 2.0 + 364.0 / 365.0);
	/* Anniversaries of the leap day fall on Feb 28 in common years. */
	assert_years("2024-02-29", "2025-02-28", 1.0);
	assert_years("2024-02-29", "2025-02-27", 364.0 / 365.0);
	assert_years("2024-02-29", "2025-03-01", 1.0 + 1.0 / 365.0);
	assert_years("2024-02-29", "2027-02-28", 3.0);
	assert_years("2024-02-29", "2028-02-28", 3.0 + 365.0 / 366.0);
	assert_years("2024-02-29", "2028-02-29", 4.0);
	assert_years("2023-02-28", "2024-02-28", 1.0);
	assert_years("2023-02-28", "2024-02-29", 1.0 + 1.0 / 366.0);
	assert_years("2096-02-29", "2100-02-28", 4.0);
	/* Backwards is the negation of forwards. */
	assert_years("2027-01-11", "2026-01-11", -1.0);
	assert_years("2025-02-27", "2024-02-29", -364.0 / 365.0);
	assert_years("2027-01-11", "2020-03-15",
	    -(6.0 + (double)(parse("2027-01-11") - parse("2026-03-15")) / 365.0));
	/* The last year of the range still has a next anniversary. */
	assert_years("9998-12-31", "9999-12-31", 1.0);
	assert_years("9999-01-01", "9999-12-31", 364.0 / 365.0);
	assert_years("0001-01-01", "9999-12-31", 9998.0 + 364.0 / 365.0);
}

static void
test_years_between_monotonic(void **state)
{
	int from = parse("2024-02-29"), to;
	double prev = -1.0, cur;

	(void)state;
	for (to = from; to < from + 365 * 12; to++) {
		cur = date_years_between(from, to);
		assert_true(cur > prev);
		assert_true(cur >= (to - from) / 366.0 - 1e-9);
		assert_true(cur <= (to - from) / 365.0 + 1e-9);
		prev = cur;
	}
}

static void
test_from_time(void **state)
{
	(void)state;
	assert_int_equal(date_from_time(0), 0);
	assert_int_equal(date_from_time(86399), 0);
	assert_int_equal(date_from_time(86400), 1);
	assert_int_equal(date_from_time(-1), -1);
	assert_int_equal(date_from_time(-86400), -1);
	assert_int_equal(date_from_time(-86401), -2);
	assert_date(date_from_time(1700000000), "2023-11-14");
	assert_date(date_from_time((time_t)951782400), "2000-02-29");
}

static void
test_timestamp_format(void **state)
{
	char buf[TIMESTAMP_BUFSZ];

	(void)state;
	assert_string_equal(timestamp_format(0, buf), "1970-01-01T00:00:00Z");
	assert_string_equal(timestamp_format(1700000000, buf),
	    "2023-11-14T22:13:20Z");
	assert_string_equal(timestamp_format(-1, buf), "1969-12-31T23:59:59Z");
	assert_string_equal(timestamp_format(951868799, buf),
	    "2000-02-29T23:59:59Z");
	if (sizeof(time_t) >= 8) {
		/* Year 10000 does not fit the format; never a truncated string. */
		assert_string_equal(timestamp_format((time_t)253402300800LL,
		    buf), "");
		assert_string_equal(timestamp_format((time_t)253402300799LL,
		    buf), "9999-12-31T23:59:59Z");
		assert_int_equal(date_from_time((time_t)253402300800LL),
		    DATE_NONE);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_leap_years),
		cmocka_unit_test(test_days_in_month),
		cmocka_unit_test(test_valid_ymd),
		cmocka_unit_test(test_known_days),
		cmocka_unit_test(test_round_trip_1900_2100),
		cmocka_unit_test(test_round_trip_extremes),
		cmocka_unit_test(test_weekday),
		cmocka_unit_test(test_parse_valid),
		cmocka_unit_test(test_parse_invalid),
		cmocka_unit_test(test_format_out_of_range),
		cmocka_unit_test(test_add_days),
		cmocka_unit_test(test_add_months_clamps),
		cmocka_unit_test(test_add_months_across_years),
		cmocka_unit_test(test_add_years),
		cmocka_unit_test(test_add_duration),
		cmocka_unit_test(test_years_between),
		cmocka_unit_test(test_years_between_monotonic),
		cmocka_unit_test(test_from_time),
		cmocka_unit_test(test_timestamp_format),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
