#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/match.h"
#include "core/program.h"
#include "core/rotation.h"
#include "util/xmalloc.h"

static int
day(int y, int m, int d)
{
	return date_from_ymd(y, m, d);
}

static struct program *
rotation_program(int periods, int months, enum match_consent consent,
    int respond_days)
{
	struct program *p = program_new();

	p->format = FORMAT_ROTATIONAL;
	p->rotation.periods = periods;
	p->rotation.every.n = months;
	p->rotation.every.unit = DATE_UNIT_MONTH;
	p->cycle.present = true;
	p->cycle.start = day(2027, 1, 31);
	p->matching.consent = consent;
	p->matching.respond_within.n = respond_days;
	p->matching.respond_within.unit = DATE_UNIT_DAY;
	return p;
}

/* Without stored periods: from cycle.start, month ends carried over. */
static void
test_calendar_planned(void **state)
{
	struct program *p = rotation_program(4, 1, CONSENT_BOTH, 5);
	struct rotation_calendar c;

	(void)state;
	rotation_calendar_init(&c, p, NULL, 0, day(2027, 1, 4));
	assert_int_equal(c.periods, 4);
	assert_int_equal(c.open, 0);
	assert_int_equal(c.last, 0);
	assert_int_equal(c.first, 1);
	assert_int_equal(c.start[1], day(2027, 1, 31));
	assert_int_equal(c.start[2], day(2027, 2, 28));
	assert_int_equal(c.start[3], day(2027, 3, 28));
	assert_int_equal(c.start[5], day(2027, 5, 28));
	assert_int_equal(rotation_last_day(&c, 1), day(2027, 2, 27));
	assert_int_equal(rotation_last_day(&c, 4), day(2027, 5, 27));
	assert_int_equal(rotation_last_day(&c, 5), DATE_NONE);
	assert_true(rotation_in_range(&c, 2, day(2027, 3, 1), DATE_NONE));
	assert_false(rotation_in_range(&c, 1, day(2027, 2, 28), DATE_NONE));
	assert_true(rotation_in_range(&c, 1, DATE_NONE, day(2027, 1, 31)));
	assert_false(rotation_in_range(&c, 2, DATE_NONE, day(2027, 2, 27)));
	assert_false(rotation_in_range(&c, 0, DATE_NONE, DATE_NONE));
	rotation_calendar_free(&c);
	/* no cycle.start: today */
	p->cycle.present = false;
	rotation_calendar_init(&c, p, NULL, 0, day(2027, 6, 1));
	assert_int_equal(c.start[1], day(2027, 6, 1));
	rotation_calendar_free(&c);
	program_free(p);
}

/* Stored periods win, later ones follow the last stored one. */
static void
test_calendar_stored(void **state)
{
	struct program *p = rotation_program(4, 1, CONSENT_BOTH, 5);
	struct rotation_period v[2] = {
		{ 1, 0, 0, false }, { 2, 0, 0, true },
	};
	struct rotation_calendar c;

	(void)state;
	v[0].starts_on = day(2027, 2, 3);
	v[0].ends_on = day(2027, 3, 3);
	v[1].starts_on = day(2027, 3, 10);    /* started a week late */
	v[1].ends_on = day(2027, 4, 10);
	rotation_calendar_init(&c, p, v, 2, day(2027, 3, 12));
	assert_int_equal(c.open, 2);
	assert_int_equal(c.last, 2);
	assert_int_equal(c.first, 2);
	assert_int_equal(c.start[1], day(2027, 2, 3));
	assert_int_equal(c.start[2], day(2027, 3, 10));
	assert_int_equal(c.start[3], day(2027, 4, 10));
	assert_int_equal(c.start[4], day(2027, 5, 10));
	rotation_calendar_redate(&c, p, 3, day(2027, 4, 20));
	assert_int_equal(c.start[3], day(2027, 4, 20));
	assert_int_equal(c.start[4], day(2027, 5, 20));
	assert_int_equal(c.start[5], day(2027, 6, 20));
	rotation_calendar_free(&c);
	/* closed: planning starts after the last */
	v[1].open = false;
	rotation_calendar_init(&c, p, v, 2, day(2027, 4, 12));
	assert_int_equal(c.open, 0);
	assert_int_equal(c.first, 3);
	rotation_calendar_free(&c);
	program_free(p);
}

static void
test_proposal_days(void **state)
{
	struct program *p = rotation_program(4, 1, CONSENT_BOTH, 5);
	int pon, eon;

	(void)state;
	/* made five days ahead, answered by the first day */
	rotation_proposal_days(p, day(2027, 1, 4), day(2027, 3, 11), &pon,
	    &eon);
	assert_int_equal(pon, day(2027, 3, 6));
	assert_int_equal(eon, day(2027, 3, 11));
	/* made late: five days from today, past the first day */
	rotation_proposal_days(p, day(2027, 3, 9), day(2027, 3, 11), &pon,
	    &eon);
	assert_int_equal(pon, day(2027, 3, 9));
	assert_int_equal(eon, day(2027, 3, 14));
	p->matching.consent = CONSENT_NONE;
	rotation_proposal_days(p, day(2027, 1, 4), day(2027, 3, 11), &pon,
	    &eon);
	assert_int_equal(pon, day(2027, 3, 6));
	assert_int_equal(eon, DATE_NONE);
	program_free(p);
}

static void
test_status_and_consent(void **state)
{
	struct program *p = rotation_program(3, 1, CONSENT_NONE, 5);
	struct rotation_period v = { 1, 0, 0, true };
	struct rotation_calendar c;
	int t = day(2027, 2, 1);

	(void)state;
	v.starts_on = day(2027, 1, 31);
	v.ends_on = day(2027, 2, 28);
	rotation_calendar_init(&c, p, &v, 1, t);
	assert_int_equal(rotation_new_status(p, &c, 1, t, t), PAIRING_ACTIVE);
	assert_int_equal(rotation_new_status(p, &c, 2, t + 20, t),
	    PAIRING_PLANNED);
	p->matching.consent = CONSENT_MENTEE;
	assert_int_equal(rotation_new_status(p, &c, 1, t, t), PAIRING_PROPOSED);
	assert_false(rotation_consented(p, true, false));
	assert_true(rotation_consented(p, false, true));
	p->matching.consent = CONSENT_BOTH;
	assert_false(rotation_consented(p, false, true));
	assert_true(rotation_consented(p, true, true));
	p->matching.consent = CONSENT_NONE;
	assert_true(rotation_consented(p, false, false));
	rotation_calendar_free(&c);
	program_free(p);
}

/* Every rule of a rotation plan, checked from scratch. */
static void
check_plan(const struct rotation_problem *rp, const struct rounds_plan *pl)
{
	int R = rp->nperiods, M = rp->nmentors;
	int *used = xcalloc((size_t)M * R + 1, sizeof *used);
	size_t e, f;

	for (e = 0; e < pl->n; e++) {
		const struct rounds_meeting *m = &pl->v[e];

		assert_true(m->round >= 0 && m->round < R);
		assert_int_not_equal(rp->score[(size_t)m->mentee * M + m->mentor],
		    MATCH_EXCLUDED);
		if (rp->need)
			assert_true(rp->need[(size_t)m->mentee * R + m->round]);
		used[(size_t)m->mentor * R + m->round]++;
		assert_true(used[(size_t)m->mentor * R + m->round] <=
		    rp->left[(size_t)m->mentor * R + m->round]);
		for (f = e + 1; f < pl->n; f++) {
			if (pl->v[f].mentee != m->mentee)
				continue;
			assert_int_not_equal(pl->v[f].mentor, m->mentor);
			assert_int_not_equal(pl->v[f].round, m->round);
		}
	}
	free(used);
}

/* Uniform places: the joint exact plan fills every period. */
static void
test_plan_uniform(void **state)
{
	enum { N = 4, M = 4, R = 3 };
	int16_t score[N * M];
	int left[M * R];
	struct rotation_problem rp;
	struct rounds_plan pl;
	struct error err = ERROR_INIT;
	int i;

	(void)state;
	for (i = 0; i < N * M; i++)
		score[i] = (int16_t)(1000 + 37 * (i % 7));
	for (i = 0; i < M * R; i++)
		left[i] = 1;
	memset(&rp, 0, sizeof rp);
	rp.nmentees = N;
	rp.nmentors = M;
	rp.score = score;
	rp.nperiods = R;
	rp.left = left;
	rp.objective = OBJECTIVE_COVERAGE;
	assert_int_equal(rotation_plan(&rp, &pl, &err), 0);
	assert_int_equal(pl.n, N * R);
	assert_int_equal(pl.mentees_met, N);
	for (i = 0; i < N; i++)
		assert_int_equal(pl.meetings_of[i], R);
	check_plan(&rp, &pl);
	rounds_plan_free(&pl);
}

/*
 * Places that differ by period and mentees that need only some periods
 * (a refill): one at a time, each optimal, never a rule broken.
 */
static void
test_plan_each(void **state)
{
	enum { N = 3, M = 4, R = 3 };
	int16_t score[N * M] = {
		9000, 5000, 1000, MATCH_EXCLUDED,
		9000, MATCH_EXCLUDED, 8000, 7000,
		100, 200, 300, 400,
	};
	int left[M * R] = {
		1, 0, 1,     /* mentor 0: no place in period 1 */
		1, 1, 1,
		1, 1, 0,
		0, 1, 0,     /* mentor 3: period 1 only */
	};
	unsigned char need[N * R] = {
		1, 1, 1,
		0, 1, 0,     /* mentee 1 needs a mentor in period 1 only */
		1, 1, 1,
	};
	struct rotation_problem rp;
	struct rounds_plan pl;
	struct error err = ERROR_INIT;
	size_t e;

	(void)state;
	memset(&rp, 0, sizeof rp);
	rp.nmentees = N;
	rp.nmentors = M;
	rp.score = score;
	rp.nperiods = R;
	rp.left = left;
	rp.need = need;
	rp.objective = OBJECTIVE_COVERAGE;
	assert_int_equal(rotation_plan(&rp, &pl, &err), 0);
	check_plan(&rp, &pl);
	/* mentee 0 is planned first: all three periods */
	assert_int_equal(pl.meetings_of[0], 3);
	/* mentee 1: period 1, and never mentor 1 */
	assert_int_equal(pl.meetings_of[1], 1);
	for (e = 0; e < pl.n; e++)
		if (pl.v[e].mentee == 1) {
			assert_int_equal(pl.v[e].round, 1);
			assert_int_not_equal(pl.v[e].mentor, 1);
		}
	/* sorted by period */
	for (e = 1; e < pl.n; e++)
		assert_true(pl.v[e - 1].round <= pl.v[e].round);
	rounds_plan_free(&pl);
}

static void
test_plan_bad(void **state)
{
	struct rotation_problem rp;
	struct rounds_plan pl;
	struct error err = ERROR_INIT;
	int left[2] = { 1, -1 };
	int16_t score[1] = { 100 };

	(void)state;
	memset(&rp, 0, sizeof rp);
	rp.nmentees = 1;
	rp.nmentors = 1;
	rp.score = score;
	rp.nperiods = 2;
	rp.left = left;
	assert_int_equal(rotation_plan(&rp, &pl, &err), -1);
	assert_int_equal(err.code, EX_SOFTWARE);
	error_clear(&err);
	rp.nperiods = 0;
	assert_int_equal(rotation_plan(&rp, &pl, &err), -1);
	error_clear(&err);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_calendar_planned),
		cmocka_unit_test(test_calendar_stored),
		cmocka_unit_test(test_proposal_days),
		cmocka_unit_test(test_status_and_consent),
		cmocka_unit_test(test_plan_uniform),
		cmocka_unit_test(test_plan_each),
		cmocka_unit_test(test_plan_bad),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
