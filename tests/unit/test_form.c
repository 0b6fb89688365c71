#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "core/date.h"
#include "core/form.h"

/* s read in order: "YYYY-MM-DD", or "!" + why when refused. */
static const char *
read_date(const char *s, enum form_date_order order)
{
	static char buf[200];
	struct form_date d;
	char why[160];
	int day;

	if (form_date_scan(s, &d) != 0)
		return "malformed";
	if (form_date_day(&d, order, &day, why, sizeof why) != 0) {
		snprintf(buf, sizeof buf, "!%s", why);
		return buf;
	}
	return date_format(day, buf);
}

static void
test_iso_and_tools(void **state)
{
	(void)state;
	assert_string_equal(read_date("2027-01-25", FORM_ORDER_AUTO),
	    "2027-01-25");
	assert_string_equal(read_date("2027-01-25 14:03:11", FORM_ORDER_DMY),
	    "2027-01-25");
	assert_string_equal(read_date("2027-01-25T14:03:11.123Z",
	    FORM_ORDER_AUTO), "2027-01-25");
	/* Microsoft Forms, en-US */
	assert_string_equal(read_date("1/25/27 14:03:11", FORM_ORDER_AUTO),
	    "2027-01-25");
	assert_string_equal(read_date("1/5/27 9:03:11", FORM_ORDER_AUTO),
	    "2027-01-05");
	/* Google Forms, en-US; a 12-hour time */
	assert_string_equal(read_date("1/25/2027 2:03:11 PM",
	    FORM_ORDER_AUTO), "2027-01-25");
	/* day first, only one reading */
	assert_string_equal(read_date("25/01/2027 14:03", FORM_ORDER_AUTO),
	    "2027-01-25");
	assert_string_equal(read_date("4/4/2027", FORM_ORDER_AUTO),
	    "2027-04-04");
}

static void
test_orders(void **state)
{
	(void)state;
	assert_string_equal(read_date("3/4/2027", FORM_ORDER_AUTO),
	    "!ambiguous: March 4 or 3 April; give --date-order mdy (month "
	    "first) or dmy (day first)");
	assert_string_equal(read_date("3/4/2027", FORM_ORDER_MDY),
	    "2027-03-04");
	assert_string_equal(read_date("3/4/2027", FORM_ORDER_DMY),
	    "2027-04-03");
	assert_string_equal(read_date("3/4/27", FORM_ORDER_DMY), "2027-04-03");
	assert_string_equal(read_date("25/01/2027", FORM_ORDER_MDY),
	    "!not a month/day/year date (give --date-order dmy for day "
	    "first)");
	assert_string_equal(read_date("1/25/2027", FORM_ORDER_DMY),
	    "!not a day/month/year date (give --date-order mdy for month "
	    "first)");
	assert_string_equal(read_date("2/30/2027", FORM_ORDER_AUTO),
	    "!no such day");
	assert_string_equal(read_date("2027-02-30", FORM_ORDER_AUTO),
	    "!no such day");
	assert_int_equal(form_date_order_parse("dmy"), FORM_ORDER_DMY);
	assert_int_equal(form_date_order_parse("mdy"), FORM_ORDER_MDY);
	assert_int_equal(form_date_order_parse(NULL), FORM_ORDER_AUTO);
	assert_int_equal(form_date_order_parse("ymd"), -1);
}

static void
test_malformed(void **state)
{
	static const char *const bad[] = { "", "tomorrow", "1/25", "1/25/202",
		"2027/01/25", "1-25-2027", "2027-1-25", "1/25/2027 noon",
		"1/25/2027 14", "123/1/2027", NULL };
	struct form_date d;
	size_t i;

	(void)state;
	for (i = 0; bad[i] != NULL; i++)
		assert_int_equal(form_date_scan(bad[i], &d), -1);
}

static void
test_evidence(void **state)
{
	struct form_date d;
	bool dmy = false, mdy = false;

	(void)state;
	assert_int_equal(form_date_scan("3/4/2027", &d), 0);
	form_date_evidence(&d, &dmy, &mdy);
	assert_false(dmy || mdy);
	assert_int_equal(form_date_scan("25/01/2027", &d), 0);
	form_date_evidence(&d, &dmy, &mdy);
	assert_true(dmy && !mdy);
	assert_int_equal(form_date_scan("1/25/2027", &d), 0);
	form_date_evidence(&d, &dmy, &mdy);
	assert_true(dmy && mdy);
}

static void
test_numbers(void **state)
{
	long n;

	(void)state;
	assert_int_equal(form_number_lead("4", &n), 0);
	assert_int_equal(n, 4);
	assert_int_equal(form_number_lead(" 4 - Good", &n), 0);
	assert_int_equal(n, 4);
	assert_int_equal(form_number_lead("4/5", &n), 0);
	assert_int_equal(n, 4);
	assert_int_equal(form_number_lead("7", &n), 0);
	assert_int_equal(n, 7);
	assert_int_equal(form_number_lead("4.5", &n), -1);
	assert_int_equal(form_number_lead("Good", &n), -1);
	assert_int_equal(form_number_lead("", &n), -1);

	assert_int_equal(form_minutes("45", &n), 0);
	assert_int_equal(n, 45);
	assert_int_equal(form_minutes("45 min", &n), 0);
	assert_int_equal(n, 45);
	assert_int_equal(form_minutes("45 Minutes", &n), 0);
	assert_int_equal(n, 45);
	assert_int_equal(form_minutes("1 h", &n), 0);
	assert_int_equal(n, 60);
	assert_int_equal(form_minutes("1.5 hours", &n), 0);
	assert_int_equal(n, 90);
	assert_int_equal(form_minutes("1h30", &n), 0);
	assert_int_equal(n, 90);
	assert_int_equal(form_minutes("1 hour 15 min", &n), 0);
	assert_int_equal(n, 75);
	assert_int_equal(form_minutes("1.5", &n), -1);
	assert_int_equal(form_minutes("a while", &n), -1);
	assert_int_equal(form_minutes("45 mice", &n), -1);
}

static void
test_header_key(void **state)
{
	static const char *const pairs[][2] = {
		{ "Email", "email" },
		{ "Email Address", "email address" },
		{ "  E-mail  address ", "email address" },
		{ "partner_email", "partner email" },
		{ "Partner's e-mail", "partner's email" },
		{ "Partner\xe2\x80\x99s e-mail", "partner's email" },
		{ "When did you meet?", "when did you meet" },
		{ "Duration (minutes)", "duration" },
		{ "Met on:", "met on" },
		{ "Rating *", "rating" },
		{ "Completion time", "completion time" },
	};
	char key[64];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
		form_header_key(pairs[i][0], key, sizeof key);
		assert_string_equal(key, pairs[i][1]);
	}
	form_header_key("a very long header indeed", key, 8);
	assert_int_equal(strlen(key), 7);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_iso_and_tools),
		cmocka_unit_test(test_orders),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_evidence),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_header_key),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
