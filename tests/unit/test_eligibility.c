#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/eligibility.h"

static int
day(const char *s)
{
	int d = DATE_NONE;

	assert_int_equal(date_parse(s, &d), 0);
	return d;
}

/* Evaluate and compare the reason (NULL: eligible). */
static void
assert_verdict(const struct program_eligibility *rules,
    const struct elig_person *p, const char *today, const char *want)
{
	char *reason = (char *)"unset";
	int ok = elig_evaluate(rules, p, day(today), &reason);

	if (want == NULL) {
		if (!ok)
			fail_msg("expected eligible, got pending (%s)", reason);
		assert_null(reason);
		return;
	}
	assert_int_equal(ok, 0);
	assert_non_null(reason);
	assert_string_equal(reason, want);
	free(reason);
}

static struct elig_person
person(const char *hired, int level)
{
	struct elig_person p = { DATE_NONE, false, 0, NULL, 0 };

	if (hired)
		p.hired_on = day(hired);
	if (level != INT32_MIN) {
		p.has_level = true;
		p.level = level;
	}
	return p;
}

static void
test_no_rules(void **state)
{
	struct program_eligibility r = { 0 };
	struct elig_person p = person(NULL, INT32_MIN);

	(void)state;
	assert_false(elig_has_rules(&r));
	assert_verdict(&r, &p, "2027-01-04", NULL);
}

static void
test_tenure(void **state)
{
	struct program_eligibility r = { 0 };
	struct elig_person p;

	(void)state;
	r.has_min_tenure = true;
	r.min_tenure_years = 3;
	assert_true(elig_has_rules(&r));
	p = person("2024-01-04", INT32_MIN);
	assert_verdict(&r, &p, "2027-01-04", NULL);	/* exactly 3 years */
	assert_verdict(&r, &p, "2027-01-03", "tenure 2.9 < 3 years");
	p = person("2025-08-01", INT32_MIN);
	assert_verdict(&r, &p, "2027-01-04", "tenure 1.4 < 3 years");
	p = person(NULL, INT32_MIN);
	assert_verdict(&r, &p, "2027-01-04", "no hire date");
	p = person("2027-03-01", INT32_MIN);
	assert_verdict(&r, &p, "2027-01-04", "not hired until 2027-03-01");
	/* Hired today: 0 years. */
	p = person("2027-01-04", INT32_MIN);
	assert_verdict(&r, &p, "2027-01-04", "tenure 0.0 < 3 years");
}

static void
test_tenure_wording(void **state)
{
	struct program_eligibility r = { 0 };
	struct elig_person p = person("2026-09-01", INT32_MIN);

	(void)state;
	r.has_min_tenure = true;
	r.min_tenure_years = 1;
	assert_verdict(&r, &p, "2027-01-04", "tenure 0.3 < 1 year");
	r.min_tenure_years = 1.5;
	assert_verdict(&r, &p, "2027-01-04", "tenure 0.3 < 1.5 years");
	r.min_tenure_years = 0.25;
	assert_verdict(&r, &p, "2027-01-04", NULL);
}

/* Truncated, never rounded up past the minimum it is compared with. */
static void
test_format_years(void **state)
{
	char buf[32];

	(void)state;
	elig_format_years(2.96, buf, sizeof buf);
	assert_string_equal(buf, "2.9");
	elig_format_years(2.999999, buf, sizeof buf);
	assert_string_equal(buf, "2.9");
	elig_format_years(1.4, buf, sizeof buf);
	assert_string_equal(buf, "1.4");
	elig_format_years(0.0, buf, sizeof buf);
	assert_string_equal(buf, "0.0");
	elig_format_years(3.0, buf, sizeof buf);
	assert_string_equal(buf, "3.0");
	elig_format_years(12.05, buf, sizeof buf);
	assert_string_equal(buf, "12.0");
	elig_format_years(0.7, buf, sizeof buf);
	assert_string_equal(buf, "0.7");
}

/* 2.96 years of tenure shows as 2.9 in the reason. */
static void
test_tenure_truncates(void **state)
{
	struct program_eligibility r = { 0 };
	struct elig_person p;
	int hired;

	(void)state;
	r.has_min_tenure = true;
	r.min_tenure_years = 3;
	/* 2 years and 351 of 365 days: 2.96. */
	hired = date_add_days(date_add_years(day("2027-01-04"), -3), 14);
	p = person(NULL, INT32_MIN);
	p.hired_on = hired;
	assert_true(date_years_between(hired, day("2027-01-04")) > 2.95);
	assert_verdict(&r, &p, "2027-01-04", "tenure 2.9 < 3 years");
}

/*
 * A Feb 29 hire has its anniversary on Feb 28 in common years (as
 * date_add_years clamps), so three years' tenure is reached on 2027-02-28.
 */
static void
test_tenure_feb29(void **state)
{
	struct program_eligibility r = { 0 };
	struct elig_person p = person("2024-02-29", INT32_MIN);

	(void)state;
	r.has_min_tenure = true;
	r.min_tenure_years = 3;
	assert_verdict(&r, &p, "2027-02-27", "tenure 2.9 < 3 years");
	assert_verdict(&r, &p, "2027-02-28", NULL);
	assert_verdict(&r, &p, "2027-03-01", NULL);
	r.min_tenure_years = 4;
	/* 2028 is a leap year: the fourth anniversary is Feb 29 itself. */
	assert_verdict(&r, &p, "2028-02-28", "tenure 3.9 < 4 years");
	assert_verdict(&r, &p, "2028-02-29", NULL);
	r.min_tenure_years = 1;
	assert_verdict(&r, &p, "2025-02-27", "tenure 0.9 < 1 year");
	assert_verdict(&r, &p, "2025-02-28", NULL);
}

static void
test_level(void **state)
{
	struct program_eligibility r = { 0 };
	struct elig_person p;

	(void)state;
	r.has_min_level = true;
	r.min_level = 3;
	p = person(NULL, 2);
	assert_verdict(&r, &p, "2027-01-04", "level 2 < 3");
	p = person(NULL, 3);
	assert_verdict(&r, &p, "2027-01-04", NULL);
	p = person(NULL, INT32_MIN);
	assert_verdict(&r, &p, "2027-01-04", "no level");
	r.has_max_level = true;
	r.max_level = 5;
	p = person(NULL, 6);
	assert_verdict(&r, &p, "2027-01-04", "level 6 > 5");
	p = person(NULL, 5);
	assert_verdict(&r, &p, "2027-01-04", NULL);
	r.has_min_level = false;
	p = person(NULL, -1);
	assert_verdict(&r, &p, "2027-01-04", NULL);
	p = person(NULL, INT32_MIN);
	assert_verdict(&r, &p, "2027-01-04", "no level");
}

static void
test_trainings(void **state)
{
	char *names[] = { "mentor-basics", "coaching" };
	struct elig_training t[] = {
		{ "Mentor-Basics", 0 },
		{ "coaching", 0 },
		{ "unrelated", 0 },
	};
	struct program_eligibility r = { 0 };
	struct elig_person p = person(NULL, INT32_MIN);

	(void)state;
	r.trainings = names;
	r.ntrainings = 2;
	assert_verdict(&r, &p, "2027-01-04",
	    "missing training mentor-basics; missing training coaching");
	t[0].completed_on = day("2026-11-01");
	t[1].completed_on = day("2027-01-04");
	t[2].completed_on = day("2020-01-01");
	p.trainings = t;
	p.ntrainings = 1;
	/* Names compare without case. */
	assert_verdict(&r, &p, "2027-01-04", "missing training coaching");
	p.ntrainings = 3;
	/* Completed today counts. */
	assert_verdict(&r, &p, "2027-01-04", NULL);
	assert_verdict(&r, &p, "2027-01-03",
	    "training coaching not completed until 2027-01-04");
	t[1].completed_on = DATE_NONE;
	assert_verdict(&r, &p, "2027-01-04", "missing training coaching");
}

/* Every failing rule, in the fixed order: trainings, tenure, level. */
static void
test_reason_order(void **state)
{
	char *names[] = { "mentor-basics", "ethics" };
	struct program_eligibility r = { 0 };
	struct elig_person p = person("2025-08-01", 2);

	(void)state;
	r.trainings = names;
	r.ntrainings = 2;
	r.has_min_tenure = true;
	r.min_tenure_years = 3;
	r.has_min_level = true;
	r.min_level = 3;
	assert_verdict(&r, &p, "2027-01-04",
	    "missing training mentor-basics; missing training ethics; "
	    "tenure 1.4 < 3 years; level 2 < 3");
	r.ntrainings = 1;
	r.has_min_level = false;
	assert_verdict(&r, &p, "2027-01-04",
	    "missing training mentor-basics; tenure 1.4 < 3 years");
	p = person(NULL, INT32_MIN);
	r.has_max_level = true;
	r.max_level = 7;
	assert_verdict(&r, &p, "2027-01-04",
	    "missing training mentor-basics; no hire date; no level");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_rules),
		cmocka_unit_test(test_tenure),
		cmocka_unit_test(test_tenure_wording),
		cmocka_unit_test(test_format_years),
		cmocka_unit_test(test_tenure_truncates),
		cmocka_unit_test(test_tenure_feb29),
		cmocka_unit_test(test_level),
		cmocka_unit_test(test_trainings),
		cmocka_unit_test(test_reason_order),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
