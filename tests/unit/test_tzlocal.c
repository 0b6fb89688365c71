#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/date.h"
#include "util/tz.h"

/* The instant as YYYY-MM-DDTHH:MMZ. */
static const char *
utc(time_t t, char *buf)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	snprintf(buf, 64, "%04d-%02d-%02dT%02d:%02dZ", tm.tm_year + 1900,
	    tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min);
	return buf;
}

static void
check(const char *zone, int y, int m, int d, int hh, int mm,
    const char *want)
{
	char buf[64];
	time_t t;

	assert_int_equal(tz_local_to_utc(zone, date_from_ymd(y, m, d),
	    hh * 60 + mm, &t), 0);
	if (strcmp(utc(t, buf), want) != 0)
		fail_msg("%s %04d-%02d-%02d %02d:%02d: %s, want %s", zone, y, m,
		    d, hh, mm, buf, want);
}

/* The spring change: before it, the skipped hour, after it. */
static void
test_spring(void **state)
{
	(void)state;
	check("Europe/Paris", 2027, 3, 28, 1, 30, "2027-03-28T00:30Z");
	check("Europe/Paris", 2027, 3, 28, 2, 30, "2027-03-28T01:30Z");
	check("Europe/Paris", 2027, 3, 28, 3, 30, "2027-03-28T01:30Z");
	check("Europe/Paris", 2027, 3, 27, 12, 0, "2027-03-27T11:00Z");
	check("Europe/Paris", 2027, 3, 29, 12, 0, "2027-03-29T10:00Z");
	check("America/New_York", 2027, 3, 14, 1, 30, "2027-03-14T06:30Z");
	check("America/New_York", 2027, 3, 14, 2, 30, "2027-03-14T07:30Z");
	check("America/New_York", 2027, 3, 14, 3, 30, "2027-03-14T07:30Z");
}

/* The autumn change: the repeated hour is its first occurrence. */
static void
test_autumn(void **state)
{
	(void)state;
	check("Europe/Paris", 2027, 10, 31, 1, 30, "2027-10-30T23:30Z");
	check("Europe/Paris", 2027, 10, 31, 2, 30, "2027-10-31T00:30Z");
	check("Europe/Paris", 2027, 10, 31, 3, 30, "2027-10-31T02:30Z");
	check("America/New_York", 2027, 11, 7, 0, 30, "2027-11-07T04:30Z");
	check("America/New_York", 2027, 11, 7, 1, 30, "2027-11-07T05:30Z");
	check("America/New_York", 2027, 11, 7, 2, 30, "2027-11-07T07:30Z");
}

static void
test_fixed_and_bad(void **state)
{
	time_t t;

	(void)state;
	check("UTC", 2027, 3, 28, 2, 30, "2027-03-28T02:30Z");
	check("+05:30", 2027, 1, 1, 9, 0, "2027-01-01T03:30Z");
	check("UTC-3", 2027, 1, 1, 23, 0, "2027-01-02T02:00Z");
	check(" Europe/Paris ", 2027, 7, 1, 14, 0, "2027-07-01T12:00Z");
	assert_int_equal(tz_local_to_utc("Mars/Olympus", 20000, 0, &t), -1);
	assert_int_equal(tz_local_to_utc(NULL, 20000, 0, &t), -1);
}

/* The wall clock at an instant, for zone: "YYYY-MM-DD HH:MM". */
static void
back(const char *zone, const char *instant_ymdhm, const char *want)
{
	int y, mo, d, hh, mm, day, min, ly, lm, ld;
	char buf[64];
	time_t t;

	assert_int_equal(sscanf(instant_ymdhm, "%d-%d-%d %d:%d", &y, &mo, &d,
	    &hh, &mm), 5);
	t = (time_t)date_from_ymd(y, mo, d) * 86400 + hh * 3600 + mm * 60;
	assert_int_equal(tz_utc_to_local(zone, t, &day, &min), 0);
	date_to_ymd(day, &ly, &lm, &ld);
	snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d", ly, lm, ld,
	    min / 60, min % 60);
	if (strcmp(buf, want) != 0)
		fail_msg("%s at %sZ: %s, want %s", zone, instant_ymdhm, buf,
		    want);
}

/* Instants to wall clocks, across both changes and for fixed offsets. */
static void
test_utc_to_local(void **state)
{
	(void)state;
	back("Europe/Paris", "2027-03-28 00:30", "2027-03-28 01:30");
	back("Europe/Paris", "2027-03-28 01:30", "2027-03-28 03:30");
	back("Europe/Paris", "2027-10-30 23:30", "2027-10-31 01:30");
	back("Europe/Paris", "2027-10-31 00:30", "2027-10-31 02:30");
	back("Europe/Paris", "2027-10-31 01:30", "2027-10-31 02:30");
	back("America/New_York", "2027-11-07 06:30", "2027-11-07 01:30");
	back("UTC-3", "2027-01-01 01:00", "2026-12-31 22:00");
	back("+05:30", "2027-01-01 03:30", "2027-01-01 09:00");
	assert_int_equal(tz_utc_to_local("Mars/Olympus", 0, &(int){ 0 },
	    &(int){ 0 }), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spring),
		cmocka_unit_test(test_autumn),
		cmocka_unit_test(test_fixed_and_bad),
		cmocka_unit_test(test_utc_to_local),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
