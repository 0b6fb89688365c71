#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/date.h"
#include "util/tz.h"

static int
day(int y, int m, int d)
{
	return date_from_ymd(y, m, d);
}

static int
offset(const char *zone, int dd)
{
	int m = 12345;

	assert_int_equal(tz_offset(zone, dd, &m), 0);
	return m;
}

static void
test_fixed(void **state)
{
	int w = day(2027, 1, 15);

	(void)state;
	assert_int_equal(offset("UTC", w), 0);
	assert_int_equal(offset("utc", w), 0);
	assert_int_equal(offset("Z", w), 0);
	assert_int_equal(offset("GMT", w), 0);
	assert_int_equal(offset("UTC+5", w), 300);
	assert_int_equal(offset("UTC-03:30", w), -210);
	assert_int_equal(offset("GMT+1", w), 60);
	assert_int_equal(offset("+05:30", w), 330);
	assert_int_equal(offset("-0800", w), -480);
	assert_int_equal(offset("+5", w), 300);
	assert_int_equal(offset("+14:00", w), 840);
	assert_int_equal(offset("  UTC+2 ", w), 120);
}

static void
test_iana(void **state)
{
	int winter = day(2027, 1, 15), summer = day(2027, 7, 15);

	(void)state;
	/* the zones come from the system (Debian: tzdata) */
	if (access(TZ_ZONEINFO "/Europe/Paris", R_OK) != 0) {
		print_message("no tz database in " TZ_ZONEINFO "\n");
		skip();
	}
	assert_int_equal(offset("Europe/Paris", winter), 60);
	assert_int_equal(offset("Europe/Paris", summer), 120);
	assert_int_equal(offset("America/New_York", winter), -300);
	assert_int_equal(offset("America/New_York", summer), -240);
	assert_int_equal(offset("Asia/Kolkata", winter), 330);
	assert_int_equal(offset("Asia/Kolkata", summer), 330);
	/* southern hemisphere: daylight saving in January */
	assert_int_equal(offset("Australia/Adelaide", winter), 630);
	assert_int_equal(offset("Australia/Adelaide", summer), 570);
	assert_true(tz_valid("Europe/Paris"));
}

static void
test_bad(void **state)
{
	static const char *bad[] = { "", "   ", "Mars/Olympus", "Europe/",
		"../etc/passwd", "/etc/localtime", "Europe/../Europe/Paris",
		"UTC+15", "UTC+5:60", "+05:3", "UTC++1", "UTCfoo", "EST5EDT,M3",
		"zone.tab", "Europe", "tzdata.zi", "+", "Zulu Time", NULL };
	int i, m;

	(void)state;
	for (i = 0; bad[i] != NULL; i++) {
		m = 777;
		if (tz_offset(bad[i], day(2027, 1, 1), &m) != -1)
			fail_msg("'%s' accepted as %d", bad[i], m);
		assert_false(tz_valid(bad[i]));
	}
	assert_int_equal(tz_offset(NULL, 0, &m), -1);
}

static void
test_tz_restored(void **state)
{
	(void)state;
	if (access(TZ_ZONEINFO "/Europe/Paris", R_OK) != 0)
		skip();
	setenv("TZ", "Asia/Tokyo", 1);
	assert_int_equal(offset("Europe/Paris", day(2027, 7, 1)), 120);
	assert_string_equal(getenv("TZ"), "Asia/Tokyo");
	unsetenv("TZ");
	assert_int_equal(offset("Europe/Paris", day(2027, 7, 1)), 120);
	assert_null(getenv("TZ"));
}

static void
test_cache(void **state)
{
	struct tz_cache *c = tz_cache_new();
	int i, m;

	(void)state;
	if (access(TZ_ZONEINFO "/Europe/Paris", R_OK) != 0)
		skip();
	for (i = 0; i < 1000; i++) {
		assert_int_equal(tz_cache_offset(c, i % 2 ? "Europe/Paris" :
		    "UTC-03:30", day(2027, 7, 1), &m), 0);
		assert_int_equal(m, i % 2 ? 120 : -210);
		assert_int_equal(tz_cache_offset(c, "Nowhere/Else",
		    day(2027, 7, 1), &m), -1);
	}
	assert_int_equal(tz_cache_offset(c, "Europe/Paris", day(2027, 1, 1),
	    &m), 0);
	assert_int_equal(m, 60);
	assert_int_equal(tz_cache_offset(c, NULL, 0, &m), -1);
	tz_cache_free(c);
	tz_cache_free(NULL);
}

/* Why a value is not a zone, with the suggestion a person needs. */
static void
test_problem(void **state)
{
	char *m;

	(void)state;
	assert_null(tz_problem("Europe/Berlin"));
	assert_null(tz_problem("+05:30"));
	assert_null(tz_problem("UTC"));
	m = tz_problem("PST");
	assert_non_null(strstr(m, "America/Los_Angeles"));
	assert_non_null(strstr(m, "-08:00"));
	free(m);
	m = tz_problem("europe/berlin");
	assert_non_null(strstr(m, "did you mean 'Europe/Berlin'?"));
	free(m);
	m = tz_problem("Europe/Berln");
	assert_non_null(strstr(m, "did you mean 'Europe/Berlin'?"));
	free(m);
	m = tz_problem("Mars/Olympus");
	assert_non_null(strstr(m, "is not a time zone this system knows"));
	free(m);
	m = tz_problem("+15:00");
	assert_non_null(m);
	free(m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixed),
		cmocka_unit_test(test_iana),
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_tz_restored),
		cmocka_unit_test(test_cache),
		cmocka_unit_test(test_problem),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
