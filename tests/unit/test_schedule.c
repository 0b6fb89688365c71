#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/schedule.h"

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

static char *prompts[] = {
	"Explore each other's past",
	"The mentee's ambitions",
};

/* every 2 weeks, remind 2 days before, overdue after 5 days, stalled after 2 */
static struct program_checkins
mkck(int n, enum date_unit unit)
{
	struct program_checkins ck;

	memset(&ck, 0, sizeof ck);
	ck.present = true;
	ck.every = (struct duration){ n, unit };
	ck.remind_before = (struct duration){ 2, DATE_UNIT_DAY };
	ck.overdue_after = (struct duration){ 5, DATE_UNIT_DAY };
	ck.stalled_after = 2;
	ck.prompts = prompts;
	ck.nprompts = 2;
	return ck;
}

static struct sched_status
status(const struct program_checkins *ck, const char *anchor,
    const int *meetings, size_t n, const char *today)
{
	struct sched_status st;
	struct error err = ERROR_INIT;

	if (sched_status(ck, D(anchor), meetings, n, D(today), &st, &err) != 0)
		fail_msg("sched_status: %s", err.msg);
	return st;
}

static void
test_weekly_fresh_pairing(void **state)
{
	struct program_checkins ck = mkck(2, DATE_UNIT_WEEK);
	struct sched_status st;

	(void)state;
	st = status(&ck, "2027-01-11", NULL, 0, "2027-01-11");
	assert_int_equal(st.held, 0);
	assert_int_equal(st.next_number, 1);
	assert_int_equal(st.last_meeting, DATE_NONE);
	assert_date(st.base, "2027-01-11");
	assert_date(st.due_on, "2027-01-25");
	assert_date(st.remind_from, "2027-01-23");
	assert_date(st.overdue_from, "2027-01-31");
	assert_date(st.stalled_on, "2027-02-08");
	assert_int_equal(st.state, SCHED_OK);
	assert_string_equal(st.prompt, prompts[0]);
	assert_int_equal(st.missed, 0);
}

static void
test_weekly_boundaries(void **state)
{
	static const struct {
		const char *today;
		enum sched_state state;
		int missed;
		int days_late;
	} t[] = {
		{ "2027-01-22", SCHED_OK, 0, 0 },
		{ "2027-01-23", SCHED_DUE, 0, 0 },       /* due - 2 */
		{ "2027-01-25", SCHED_DUE, 0, 0 },       /* due: not missed */
		{ "2027-01-26", SCHED_DUE, 1, 1 },       /* missed, in grace */
		{ "2027-01-30", SCHED_DUE, 1, 5 },       /* + overdue_after */
		{ "2027-01-31", SCHED_OVERDUE, 1, 6 },
		{ "2027-02-08", SCHED_OVERDUE, 1, 14 },  /* 2nd due day */
		{ "2027-02-09", SCHED_STALLED, 2, 15 },  /* 2 missed */
		{ "2027-02-23", SCHED_STALLED, 3, 29 },
	};
	struct program_checkins ck = mkck(2, DATE_UNIT_WEEK);
	struct sched_status st;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		st = status(&ck, "2027-01-11", NULL, 0, t[i].today);
		if (st.state != t[i].state || st.missed != t[i].missed ||
		    st.days_late != t[i].days_late)
			fail_msg("%s: state %s missed %d late %d", t[i].today,
			    sched_state_name(st.state), st.missed,
			    st.days_late);
		assert_int_equal(st.due_soon, t[i].state != SCHED_OK);
		assert_int_equal(st.overdue, t[i].state >= SCHED_OVERDUE);
		assert_int_equal(st.stalled, t[i].state == SCHED_STALLED);
	}
}

static void
test_meetings_move_the_clock(void **state)
{
	struct program_checkins ck = mkck(2, DATE_UNIT_WEEK);
	struct sched_status st;
	int m1[] = { D("2027-01-20") };
	int m2[] = { D("2027-02-10"), D("2026-12-01"), DATE_NONE };
	int m3[] = { D("2027-01-05") };

	(void)state;
	st = status(&ck, "2027-01-11", m1, 1, "2027-02-01");
	assert_int_equal(st.held, 1);
	assert_int_equal(st.next_number, 2);
	assert_date(st.last_meeting, "2027-01-20");
	assert_date(st.due_on, "2027-02-03");
	assert_int_equal(st.state, SCHED_DUE);
	assert_string_equal(st.prompt, prompts[1]);

	/* Unsorted, with one from before the anchor and a hole. */
	st = status(&ck, "2027-01-11", m2, 3, "2027-02-11");
	assert_int_equal(st.held, 2);
	assert_int_equal(st.next_number, 3);
	assert_null(st.prompt);
	assert_date(st.base, "2027-02-10");
	assert_date(st.due_on, "2027-02-24");

	/* A new cycle's start after the last meeting restarts the clock. */
	st = status(&ck, "2027-01-11", m3, 1, "2027-01-11");
	assert_date(st.base, "2027-01-11");
	assert_date(st.last_meeting, "2027-01-05");
	assert_int_equal(st.next_number, 2);

	/* A meeting on the due day is on time. */
	{
		int m4[] = { D("2027-01-25") };

		st = status(&ck, "2027-01-11", m4, 1, "2027-01-25");
		assert_int_equal(st.missed, 0);
		assert_int_equal(st.state, SCHED_OK);
		assert_date(st.due_on, "2027-02-08");
	}
}

static void
test_monthly_from_month_end(void **state)
{
	struct program_checkins ck = mkck(1, DATE_UNIT_MONTH);
	struct sched_status st;

	(void)state;
	st = status(&ck, "2027-01-31", NULL, 0, "2027-02-01");
	assert_date(st.due_on, "2027-02-28");
	assert_date(st.stalled_on, "2027-03-31");  /* not Mar 28 */
	st = status(&ck, "2027-01-31", NULL, 0, "2027-02-28");
	assert_int_equal(st.missed, 0);
	st = status(&ck, "2027-01-31", NULL, 0, "2027-03-01");
	assert_int_equal(st.missed, 1);
	st = status(&ck, "2027-01-31", NULL, 0, "2027-03-31");
	assert_int_equal(st.missed, 1);
	assert_false(st.stalled);
	st = status(&ck, "2027-01-31", NULL, 0, "2027-04-01");
	assert_int_equal(st.missed, 2);
	assert_true(st.stalled);
	st = status(&ck, "2027-01-31", NULL, 0, "2027-05-01");
	assert_int_equal(st.missed, 3);  /* Feb 28, Mar 31, Apr 30 */
	st = status(&ck, "2027-01-31", NULL, 0, "2029-01-31");
	assert_int_equal(st.missed, 23);
	/* Leap year: due Feb 29. */
	st = status(&ck, "2028-01-31", NULL, 0, "2028-02-01");
	assert_date(st.due_on, "2028-02-29");
}

/* The closed-form counting against the obvious loop. */
static int
naive_missed(int base, struct duration every, int today)
{
	struct duration d = every;
	int k, n = 0;

	for (k = 1;; k++) {
		d.n = every.n * k;
		if (date_add_duration(base, d, 1) >= today)
			return n;
		n++;
	}
}

static void
test_missed_matches_naive(void **state)
{
	static const struct duration ev[] = {
		{ 1, DATE_UNIT_DAY }, { 10, DATE_UNIT_DAY },
		{ 1, DATE_UNIT_WEEK }, { 3, DATE_UNIT_WEEK },
		{ 1, DATE_UNIT_MONTH }, { 2, DATE_UNIT_MONTH },
		{ 1, DATE_UNIT_YEAR },
	};
	static const char *bases[] = { "2027-01-31", "2027-08-31",
		"2028-02-29", "2027-03-15" };
	struct program_checkins ck;
	struct sched_status st;
	size_t i, j;
	int t, base, want;

	(void)state;
	for (i = 0; i < sizeof ev / sizeof ev[0]; i++) {
		ck = mkck(ev[i].n, ev[i].unit);
		ck.stalled_after = 0;
		for (j = 0; j < sizeof bases / sizeof bases[0]; j++) {
			base = D(bases[j]);
			for (t = base - 3; t < base + 800; t++) {
				if (sched_status(&ck, base, NULL, 0, t, &st,
				    NULL) != 0)
					fail();
				want = t > base ?
				    naive_missed(base, ev[i], t) : 0;
				if (st.missed != want)
					fail_msg("every %d/%d base %s day %d: "
					    "%d, want %d", ev[i].n, ev[i].unit,
					    bases[j], t - base, st.missed,
					    want);
				assert_false(st.stalled);
			}
		}
	}
}

static void
test_stalled_thresholds(void **state)
{
	struct program_checkins ck = mkck(1, DATE_UNIT_WEEK);
	struct sched_status st;

	(void)state;
	ck.stalled_after = 1;
	st = status(&ck, "2027-01-04", NULL, 0, "2027-01-11");
	assert_false(st.stalled);
	st = status(&ck, "2027-01-04", NULL, 0, "2027-01-12");
	assert_true(st.stalled);
	assert_int_equal(st.state, SCHED_STALLED);
	assert_date(st.stalled_on, "2027-01-11");

	ck.stalled_after = 3;
	st = status(&ck, "2027-01-04", NULL, 0, "2027-01-25");
	assert_int_equal(st.missed, 2);
	assert_false(st.stalled);
	st = status(&ck, "2027-01-04", NULL, 0, "2027-01-26");
	assert_int_equal(st.missed, 3);
	assert_true(st.stalled);
	assert_date(st.stalled_on, "2027-01-25");

	ck.stalled_after = 0;
	st = status(&ck, "2027-01-04", NULL, 0, "2030-01-01");
	assert_false(st.stalled);
	assert_int_equal(st.state, SCHED_OVERDUE);
	assert_int_equal(st.stalled_on, DATE_NONE);
}

static void
test_zero_remind_and_grace(void **state)
{
	struct program_checkins ck = mkck(1, DATE_UNIT_WEEK);
	struct sched_status st;

	(void)state;
	ck.remind_before = (struct duration){ 0, DATE_UNIT_DAY };
	ck.overdue_after = (struct duration){ 0, DATE_UNIT_DAY };
	st = status(&ck, "2027-01-04", NULL, 0, "2027-01-10");
	assert_int_equal(st.state, SCHED_OK);
	st = status(&ck, "2027-01-04", NULL, 0, "2027-01-11");
	assert_int_equal(st.state, SCHED_DUE);
	st = status(&ck, "2027-01-04", NULL, 0, "2027-01-12");
	assert_int_equal(st.state, SCHED_OVERDUE);
}

static void
test_upcoming(void **state)
{
	struct program_checkins ck = mkck(2, DATE_UNIT_WEEK);
	struct sched_status st;
	struct sched_slot *v;
	size_t n;

	(void)state;
	st = status(&ck, "2027-01-11", NULL, 0, "2027-01-11");
	n = sched_upcoming(&ck, &st, D("2027-01-11"), D("2027-01-11"),
	    D("2027-03-22"), &v);
	assert_int_equal(n, 5);
	assert_date(v[0].due_on, "2027-01-25");
	assert_int_equal(v[0].number, 1);
	assert_string_equal(v[0].prompt, prompts[0]);
	assert_int_equal(v[1].number, 2);
	assert_string_equal(v[1].prompt, prompts[1]);
	assert_null(v[2].prompt);
	assert_date(v[4].due_on, "2027-03-22");  /* horizon inclusive */
	free(v);

	/* Overdue: the skipped one does not use up a number. */
	st = status(&ck, "2027-01-11", NULL, 0, "2027-02-01");
	n = sched_upcoming(&ck, &st, D("2027-02-01"), D("2027-02-01"),
	    D("2027-02-28"), &v);
	assert_int_equal(n, 2);
	assert_date(v[0].due_on, "2027-02-08");
	assert_int_equal(v[0].number, 1);
	assert_date(v[1].due_on, "2027-02-22");
	free(v);

	/* A from day that is itself a due day includes it. */
	n = sched_upcoming(&ck, &st, D("2027-02-01"), D("2027-02-08"),
	    D("2027-02-08"), &v);
	assert_int_equal(n, 1);
	free(v);

	n = sched_upcoming(&ck, &st, D("2027-02-01"), D("2027-02-09"),
	    D("2027-02-21"), &v);
	assert_int_equal(n, 0);
	assert_null(v);
	n = sched_upcoming(&ck, &st, D("2027-02-01"), D("2027-03-01"),
	    D("2027-02-01"), &v);
	assert_int_equal(n, 0);

	/* A later from keeps the numbers: 02-22 is meeting 2 either way. */
	n = sched_upcoming(&ck, &st, D("2027-02-01"), D("2027-02-09"),
	    D("2027-02-28"), &v);
	assert_int_equal(n, 1);
	assert_date(v[0].due_on, "2027-02-22");
	assert_int_equal(v[0].number, 2);
	free(v);
	/* An earlier from lists nothing before today. */
	n = sched_upcoming(&ck, &st, D("2027-02-01"), D("2027-01-01"),
	    D("2027-02-08"), &v);
	assert_int_equal(n, 1);
	assert_int_equal(v[0].number, 1);
	free(v);

	/* Monthly from a month end stays on month ends. */
	ck = mkck(1, DATE_UNIT_MONTH);
	st = status(&ck, "2027-01-31", NULL, 0, "2027-01-31");
	n = sched_upcoming(&ck, &st, D("2027-01-31"), D("2027-01-31"),
	    D("2027-06-30"), &v);
	assert_int_equal(n, 5);
	assert_date(v[0].due_on, "2027-02-28");
	assert_date(v[1].due_on, "2027-03-31");
	assert_date(v[2].due_on, "2027-04-30");
	assert_date(v[4].due_on, "2027-06-30");
	free(v);
}

static void
test_due_count(void **state)
{
	struct duration two_weeks = { 2, DATE_UNIT_WEEK };
	struct duration month = { 1, DATE_UNIT_MONTH };
	struct duration zero = { 0, DATE_UNIT_WEEK };

	(void)state;
	assert_int_equal(sched_due_count(two_weeks, D("2027-01-11"),
	    D("2027-01-24")), 0);
	assert_int_equal(sched_due_count(two_weeks, D("2027-01-11"),
	    D("2027-01-25")), 1);
	assert_int_equal(sched_due_count(two_weeks, D("2027-01-11"),
	    D("2027-12-31")), 25);
	assert_int_equal(sched_due_count(two_weeks, D("2027-01-11"),
	    D("2026-12-31")), 0);
	assert_int_equal(sched_due_count(month, D("2027-01-31"),
	    D("2027-12-31")), 11);
	assert_int_equal(sched_due_count(month, D("2027-01-31"),
	    D("2027-12-30")), 10);
	assert_int_equal(sched_due_count(zero, D("2027-01-31"),
	    D("2027-12-30")), 0);
	assert_int_equal(sched_due_count(month, DATE_NONE, D("2027-12-30")),
	    0);
}

static void
test_prompts_and_errors(void **state)
{
	struct program_checkins ck = mkck(2, DATE_UNIT_WEEK);
	struct sched_status st;
	struct error err = ERROR_INIT;

	(void)state;
	assert_null(sched_prompt(&ck, 0));
	assert_string_equal(sched_prompt(&ck, 1), prompts[0]);
	assert_string_equal(sched_prompt(&ck, 2), prompts[1]);
	assert_null(sched_prompt(&ck, 3));
	assert_null(sched_prompt(&ck, -1));

	assert_int_equal(sched_status(&ck, DATE_NONE, NULL, 0, D("2027-01-01"),
	    &st, &err), -1);
	assert_int_equal(err.code, EX_DATAERR);
	error_clear(&err);
	ck.every.n = 0;
	assert_int_equal(sched_status(&ck, D("2027-01-01"), NULL, 0,
	    D("2027-01-01"), &st, &err), -1);
	assert_int_equal(err.code, EX_DATAERR);
	error_clear(&err);
	ck = mkck(2, DATE_UNIT_WEEK);
	ck.present = false;
	assert_int_equal(sched_status(&ck, D("2027-01-01"), NULL, 0,
	    D("2027-01-01"), &st, &err), -1);
	error_clear(&err);
	ck.present = true;
	assert_int_equal(sched_status(&ck, D("9999-12-25"), NULL, 0,
	    D("9999-12-25"), &st, &err), -1);
	error_clear(&err);

	assert_string_equal(sched_state_name(SCHED_OK), "ok");
	assert_string_equal(sched_state_name(SCHED_DUE), "due");
	assert_string_equal(sched_state_name(SCHED_OVERDUE), "overdue");
	assert_string_equal(sched_state_name(SCHED_STALLED), "stalled");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_weekly_fresh_pairing),
		cmocka_unit_test(test_weekly_boundaries),
		cmocka_unit_test(test_meetings_move_the_clock),
		cmocka_unit_test(test_monthly_from_month_end),
		cmocka_unit_test(test_missed_matches_naive),
		cmocka_unit_test(test_stalled_thresholds),
		cmocka_unit_test(test_zero_remind_and_grace),
		cmocka_unit_test(test_upcoming),
		cmocka_unit_test(test_due_count),
		cmocka_unit_test(test_prompts_and_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
