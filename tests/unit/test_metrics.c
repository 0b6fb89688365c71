#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/metrics.h"
#include "core/program.h"
#include "util/xmalloc.h"

static int
day(const char *s)
{
	int d = DATE_NONE;

	assert_int_equal(date_parse(s, &d), 0);
	return d;
}

static void
assert_near(double got, double want)
{
	if (fabs(got - want) > 1e-9)
		fail_msg("got %.10g, want %.10g", got, want);
}

/* ---- medians, rates, formatting ---- */

static void
test_median(void **state)
{
	double odd[] = { 13, 3, 6 };
	double even[] = { 12, 7 };
	double one[] = { 4 };
	double dup[] = { 5, 5, 1, 9 };
	struct metrics_value m;

	(void)state;
	m = metrics_median(odd, 3);
	assert_int_equal(m.state, METRICS_OK);
	assert_near(m.v, 6);
	assert_int_equal(m.num, 3);
	m = metrics_median(even, 2);
	assert_near(m.v, 9.5);
	m = metrics_median(one, 1);
	assert_near(m.v, 4);
	m = metrics_median(dup, 4);
	assert_near(m.v, 5);
	m = metrics_median(NULL, 0);
	assert_int_equal(m.state, METRICS_NA);
	assert_false(isnan(m.v));
}

static void
test_ratio_zero_denominator(void **state)
{
	struct metrics_value v;
	struct metrics_row row;
	char buf[METRICS_VALUE_BUFSZ];
	bool numeric = true;

	(void)state;
	v = metrics_ratio(3, 4);
	assert_int_equal(v.state, METRICS_OK);
	assert_near(v.v, 0.75);
	v = metrics_ratio(0, 0);
	assert_int_equal(v.state, METRICS_NA);
	assert_false(isnan(v.v));
	v = metrics_ratio(5, 0);
	assert_int_equal(v.state, METRICS_NA);

	memset(&row, 0, sizeof row);
	row.kind = METRICS_RATE;
	row.value = metrics_ratio(0, 0);
	/* plain (csv, json): no value, the status says why */
	assert_null(metrics_value_text(&row, false, buf, sizeof buf,
	    &numeric));
	assert_false(numeric);
	assert_string_equal(metrics_value_text(&row, true, buf, sizeof buf,
	    &numeric), "n/a");
	row.value = metrics_mean_k(7, 2);
	assert_null(metrics_value_text(&row, false, buf, sizeof buf,
	    &numeric));
	assert_string_equal(metrics_value_text(&row, true, buf, sizeof buf,
	    &numeric), METRICS_HIDDEN_TEXT);
}

static void
test_value_text(void **state)
{
	struct metrics_row row;
	char buf[METRICS_VALUE_BUFSZ];
	bool numeric;

	(void)state;
	memset(&row, 0, sizeof row);
	row.kind = METRICS_RATE;
	row.value = metrics_ratio(3, 4);
	assert_string_equal(metrics_value_text(&row, false, buf, sizeof buf,
	    &numeric), "0.75");
	assert_true(numeric);
	assert_string_equal(metrics_value_text(&row, true, buf, sizeof buf,
	    &numeric), "75.0%");
	row.value = metrics_ratio(8, 14);
	assert_string_equal(metrics_value_text(&row, false, buf, sizeof buf,
	    &numeric), "0.5714");
	row.value = metrics_ratio(2, 3);
	assert_string_equal(metrics_value_text(&row, false, buf, sizeof buf,
	    &numeric), "0.6667");
	row.value = metrics_ratio(4, 4);
	assert_string_equal(metrics_value_text(&row, false, buf, sizeof buf,
	    &numeric), "1");
	row.value = metrics_ratio(0, 4);
	assert_string_equal(metrics_value_text(&row, false, buf, sizeof buf,
	    &numeric), "0");
	row.kind = METRICS_DAYS;
	row.value.v = 9.5;
	assert_string_equal(metrics_value_text(&row, false, buf, sizeof buf,
	    &numeric), "9.5");
	assert_string_equal(metrics_value_text(&row, true, buf, sizeof buf,
	    &numeric), "9.5 days");
	row.value.v = 1;
	assert_string_equal(metrics_value_text(&row, true, buf, sizeof buf,
	    &numeric), "1 day");
	row.kind = METRICS_RATING;
	row.value = metrics_mean_k(13, 3);
	assert_string_equal(metrics_value_text(&row, false, buf, sizeof buf,
	    &numeric), "4.3333");
	assert_string_equal(metrics_value_text(&row, true, buf, sizeof buf,
	    &numeric), "4.33");
	row.kind = METRICS_COUNT;
	row.value = metrics_ratio(12, 1);
	assert_string_equal(metrics_value_text(&row, false, buf, sizeof buf,
	    &numeric), "12");
	assert_string_equal(metrics_number_text(-0.00001, buf, sizeof buf), "0");
	assert_string_equal(metrics_number_text(0.95, buf, sizeof buf), "0.95");
}

/* ---- k-anonymity ---- */

static void
test_k_visible(void **state)
{
	struct metrics_value m;

	(void)state;
	assert_false(metrics_k_visible(0));
	assert_false(metrics_k_visible(2));
	assert_true(metrics_k_visible(3));
	m = metrics_mean_k(9, 2);
	assert_int_equal(m.state, METRICS_HIDDEN);
	/* Neither the mean nor the sum it came from. */
	assert_int_equal(m.num, 2);
	assert_near(m.v, 0);
	m = metrics_mean_k(12, 3);
	assert_int_equal(m.state, METRICS_OK);
	assert_near(m.v, 4);
}

static void
check_suppress(const long long *n, size_t count, const char *want)
{
	bool hide[16];
	char got[17];
	size_t i;

	metrics_k_suppress(n, hide, count);
	for (i = 0; i < count; i++)
		got[i] = hide[i] ? 'h' : 's';
	got[count] = '\0';
	assert_string_equal(got, want);
}

static void
test_k_suppress(void **state)
{
	(void)state;
	check_suppress((const long long[]){ 5 }, 1, "s");
	check_suppress((const long long[]){ 2 }, 1, "h");
	check_suppress((const long long[]){ 3, 4 }, 2, "ss");
	/* 1 hidden response: total minus the 3 would give it away. */
	check_suppress((const long long[]){ 3, 1 }, 2, "hh");
	check_suppress((const long long[]){ 2, 9 }, 2, "hh");
	/* The smallest shown group goes with it, not the largest. */
	check_suppress((const long long[]){ 9, 2, 4 }, 3, "shh");
	/* Hidden groups holding 3 or more together protect each other. */
	check_suppress((const long long[]){ 3, 2, 2 }, 3, "shh");
	check_suppress((const long long[]){ 1, 1, 1, 5 }, 4, "hhhs");
	/* Ties: the first of the smallest. */
	check_suppress((const long long[]){ 3, 3, 2 }, 3, "hsh");
	check_suppress((const long long[]){ 0, 0 }, 2, "hh");
	check_suppress(NULL, 0, "");
}

/* ---- states and windows ---- */

static struct metrics_pairing
pairing(const char *proposed, const char *activated, const char *ended)
{
	struct metrics_pairing p;

	memset(&p, 0, sizeof p);
	p.cycle = -1;
	p.status = ended ? PAIRING_ENDED : activated ? PAIRING_ACTIVE :
	    PAIRING_PROPOSED;
	p.proposed_on = day(proposed);
	p.expires_on = DATE_NONE;
	p.activated_on = activated ? day(activated) : DATE_NONE;
	p.declined_on = DATE_NONE;
	p.ended_on = ended ? day(ended) : DATE_NONE;
	p.first_held = p.last_held = DATE_NONE;
	return p;
}

static void
test_pairing_state_as_of(void **state)
{
	struct metrics_pairing p = pairing("2027-01-04", "2027-01-08",
	    "2027-02-05");
	struct metrics_pairing d = pairing("2027-01-04", NULL, NULL);
	struct metrics_pairing x = pairing("2027-01-04", NULL, NULL);
	int from, to;

	(void)state;
	assert_int_equal(metrics_pairing_state(&p, day("2027-01-07")),
	    METRICS_P_PROPOSED);
	assert_int_equal(metrics_pairing_state(&p, day("2027-01-08")),
	    METRICS_P_ACTIVE);
	assert_int_equal(metrics_pairing_state(&p, day("2027-02-04")),
	    METRICS_P_ACTIVE);
	assert_int_equal(metrics_pairing_state(&p, day("2027-02-05")),
	    METRICS_P_ENDED);
	d.status = PAIRING_DECLINED;
	d.declined_on = day("2027-01-12");
	assert_int_equal(metrics_pairing_state(&d, day("2027-01-11")),
	    METRICS_P_PROPOSED);
	assert_int_equal(metrics_pairing_state(&d, day("2027-01-12")),
	    METRICS_P_DECLINED);
	x.status = PAIRING_EXPIRED;
	x.expires_on = day("2027-01-14");
	assert_int_equal(metrics_pairing_state(&x, day("2027-01-13")),
	    METRICS_P_PROPOSED);
	assert_int_equal(metrics_pairing_state(&x, day("2027-01-20")),
	    METRICS_P_EXPIRED);

	assert_false(metrics_checkin_window(&p, day("2027-01-07"), &from, &to));
	assert_true(metrics_checkin_window(&p, day("2027-01-20"), &from, &to));
	assert_int_equal(from, day("2027-01-08"));
	assert_int_equal(to, day("2027-01-20"));
	assert_true(metrics_checkin_window(&p, day("2027-04-01"), &from, &to));
	assert_int_equal(to, day("2027-02-05"));
}

static void
test_withdrawn_as_of(void **state)
{
	struct metrics_enrollment e;

	(void)state;
	memset(&e, 0, sizeof e);
	e.status = ENROLLMENT_WITHDRAWN;
	e.withdrawn_on = day("2027-02-10");
	assert_false(metrics_withdrawn(&e, day("2027-02-09")));
	assert_true(metrics_withdrawn(&e, day("2027-02-10")));
	e.withdrawn_on = DATE_NONE;
	assert_true(metrics_withdrawn(&e, day("2027-01-01")));
	e.status = ENROLLMENT_ACTIVE;
	assert_false(metrics_withdrawn(&e, day("2027-01-01")));
}

/* ---- the whole computation on a tiny programme ---- */

struct fixture {
	struct program *p;
	struct metrics_input *in;
};

static void
add_enrollment(struct metrics_input *in, long long id, enum program_role role,
    int dept, const char *enrolled, const char *eligible)
{
	struct metrics_enrollment *e;

	in->enr = xreallocarray(in->enr, in->nenr + 1, sizeof *in->enr);
	e = &in->enr[in->nenr++];
	memset(e, 0, sizeof *e);
	e->id = id;
	e->person_id = id;
	e->email = xasprintf("p%lld@example.org", id);
	e->name = xstrdup("");
	e->role = role;
	e->dept = dept;
	e->status = ENROLLMENT_ACTIVE;
	e->capacity = -1;
	e->enrolled_on = day(enrolled);
	e->eligible_on = eligible ? day(eligible) : DATE_NONE;
	e->withdrawn_on = DATE_NONE;
}

static struct metrics_pairing *
add_pairing(struct metrics_input *in, long long id, size_t mentor,
    size_t mentee, const char *activated, const char *ended)
{
	struct metrics_pairing *p;

	in->pairs = xreallocarray(in->pairs, in->npairs + 1, sizeof *in->pairs);
	p = &in->pairs[in->npairs++];
	*p = pairing("2027-01-03", activated, ended);
	p->id = id;
	p->mentor = mentor;
	p->mentee = mentee;
	return p;
}

static void
add_feedback(struct metrics_input *in, long pairing_ix, enum program_role role,
    int dept, int rating, const char *comment)
{
	struct metrics_feedback *f;

	in->fb = xreallocarray(in->fb, in->nfb + 1, sizeof *in->fb);
	f = &in->fb[in->nfb++];
	memset(f, 0, sizeof *f);
	f->pairing = pairing_ix;
	f->role = role;
	f->dept = dept;
	f->rating = rating;
	f->comment = comment ? xstrdup(comment) : NULL;
	f->given_on = day("2027-01-20");	/* January: published by 02-01 */
}

static int
setup(void **state)
{
	struct fixture *fx = xcalloc(1, sizeof *fx);
	struct metrics_input *in = xcalloc(1, sizeof *in);
	struct program *p = program_new();
	struct metrics_pairing *pr;

	p->slug = xstrdup("t");
	p->name = xstrdup("T");
	p->checkins.present = true;
	p->checkins.every = (struct duration){ 1, DATE_UNIT_WEEK };
	p->checkins.stalled_after = 2;
	p->checkins.overdue_after = (struct duration){ 2, DATE_UNIT_DAY };
	p->ngoals = 2;
	p->goals = xcalloc(2, sizeof *p->goals);
	p->goals[0].id = xstrdup("fast");
	p->goals[0].statement = xstrdup("Match fast");
	p->goals[0].metric = xstrdup("days_to_match");
	p->goals[0].target = 5;
	p->goals[0].has_target = true;
	p->goals[0].due = day("2027-01-31");
	p->goals[1].id = xstrdup("sat");
	p->goals[1].statement = xstrdup("Happy");
	p->goals[1].metric = xstrdup("satisfaction");
	p->goals[1].target = 4;
	p->goals[1].has_target = true;
	p->goals[1].due = DATE_NONE;

	in->as_of = day("2027-02-01");
	in->depts = xcalloc(2, sizeof *in->depts);
	in->depts[0] = xstrdup("A");
	in->depts[1] = xstrdup("B");
	in->ndepts = 2;
	add_enrollment(in, 1, ROLE_MENTOR, 0, "2027-01-01", "2027-01-01");
	add_enrollment(in, 2, ROLE_MENTEE, 0, "2027-01-01", "2027-01-02");
	add_enrollment(in, 3, ROLE_MENTEE, 1, "2027-01-01", "2027-01-02");
	add_enrollment(in, 4, ROLE_MENTEE, -1, "2027-01-10", NULL);
	in->enr[3].status = ENROLLMENT_PENDING;
	/* Met weekly from 01-11: four due by 02-01 (01-11 + 7k), four held. */
	pr = add_pairing(in, 1, 0, 1, "2027-01-04", NULL);
	pr->held = 4;
	pr->first_held = day("2027-01-11");
	pr->last_held = day("2027-01-30");
	/* Met once on 01-12 (week 1), then nothing: stalled on 02-01. */
	pr = add_pairing(in, 2, 0, 2, "2027-01-05", NULL);
	pr->held = 1;
	pr->first_held = day("2027-01-12");
	pr->last_held = day("2027-01-12");
	add_feedback(in, 0, ROLE_MENTEE, 0, 5, "good");
	add_feedback(in, 0, ROLE_MENTOR, 0, 4, NULL);
	fx->p = p;
	fx->in = in;
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *fx = *state;

	metrics_input_free(fx->in);
	program_free(fx->p);
	free(fx);
	return 0;
}

static void
test_compute(void **state)
{
	struct fixture *fx = *state;
	struct metrics_report *r = metrics_compute(fx->p, fx->in);

	/* 2 of 2 eligible mentees (the pending one never became eligible). */
	assert_int_equal(r->match_rate.num, 2);
	assert_int_equal(r->match_rate.den, 2);
	/* 3 and 4 days. */
	assert_near(r->days_to_match.v, 3.5);
	/* 7 days each. */
	assert_near(r->days_to_first_meeting.v, 7);
	/* Due: (02-01 - 01-04) / 7 = 4 and (02-01 - 01-05) / 7 = 3; held 4 + 1. */
	assert_int_equal(r->checkin_adherence.num, 5);
	assert_int_equal(r->checkin_adherence.den, 7);
	assert_int_equal(r->stalled, 1);
	assert_int_equal(r->active, 2);
	assert_near(r->stalled_rate.v, 0.5);
	assert_int_equal(r->nflagged, 1);
	assert_int_equal(r->flagged[0].pairing, 1);
	assert_true(r->flagged[0].stalled);
	assert_int_equal(r->flagged[0].missed, 2);
	/* No cycles: nothing to re-up from, no early closures to speak of. */
	assert_int_equal(r->reup_rate.state, METRICS_NA);
	assert_int_equal(r->early_closure_rate.state, METRICS_NA);
	/* 2 responses: hidden, and the goal on it has no data. */
	assert_int_equal(r->satisfaction.state, METRICS_HIDDEN);
	assert_int_equal(r->ncomments, 0);
	assert_near(r->retention.v, 1);
	assert_int_equal(r->ngoals, 2);
	assert_int_equal(r->goals[0].status, METRICS_GOAL_MET);
	assert_true(r->goals[0].past_due);
	assert_int_equal(r->goals[1].status, METRICS_GOAL_NO_DATA);
	/* Funnel: mentee totals first. */
	assert_int_equal(r->funnel[0].role, ROLE_MENTEE);
	assert_int_equal(r->funnel[0].enrolled, 3);
	assert_int_equal(r->funnel[0].eligible, 2);
	assert_int_equal(r->funnel[0].matched, 2);
	assert_int_equal(r->funnel[1].role, ROLE_MENTOR);
	assert_int_equal(r->funnel[1].active, 1);
	metrics_report_free(r);

	/* A third response shows the mean, and the goal is measured. */
	add_feedback(fx->in, -1, ROLE_MENTEE, 1, 3, "so-so");
	r = metrics_compute(fx->p, fx->in);
	assert_int_equal(r->satisfaction.state, METRICS_OK);
	assert_near(r->satisfaction.v, 4);
	/* no due date: never final, on track while it meets the target */
	assert_int_equal(r->goals[1].status, METRICS_GOAL_ON_TRACK);
	assert_int_equal(r->ncomments, 2);
	assert_string_equal(r->comments[0], "good");
	metrics_report_free(r);
}

static void
test_rows_never_nan(void **state)
{
	struct metrics_input *in = xcalloc(1, sizeof *in);
	struct program *p = program_new();
	struct metrics_rows rows = METRICS_ROWS_INIT;
	struct metrics_report *r;
	char buf[METRICS_VALUE_BUFSZ];
	bool numeric;
	size_t i;

	(void)state;
	p->slug = xstrdup("empty");
	in->as_of = day("2027-01-01");
	r = metrics_compute(p, in);
	metrics_rows_build(r, p, in, &rows);
	assert_true(rows.n > 10);
	for (i = 0; i < rows.n; i++) {
		const char *v = metrics_value_text(&rows.v[i], false, buf,
		    sizeof buf, &numeric);

		if (v == NULL)
			continue;
		assert_null(strstr(v, "nan"));
		assert_null(strstr(v, "inf"));
	}
	assert_int_equal(r->match_rate.state, METRICS_NA);
	assert_int_equal(r->days_to_match.state, METRICS_NA);
	assert_int_equal(r->retention.state, METRICS_NA);
	metrics_rows_free(&rows);
	metrics_report_free(r);
	metrics_input_free(in);
	program_free(p);
}

static void
test_lower_is_better(void **state)
{
	(void)state;
	assert_true(metrics_lower_is_better("days_to_match"));
	assert_true(metrics_lower_is_better("stalled_rate"));
	assert_true(metrics_lower_is_better("early_closure_rate"));
	assert_false(metrics_lower_is_better("match_rate"));
	assert_false(metrics_lower_is_better("satisfaction"));
	assert_false(metrics_lower_is_better(NULL));
}

/* Early closure: before the cycle's end, unless by that cycle's own decision. */
static void
test_early_closure(void **state)
{
	struct metrics_input *in = xcalloc(1, sizeof *in);
	struct program *p = program_new();
	struct metrics_report *r;
	struct metrics_pairing *pr;

	(void)state;
	p->slug = xstrdup("c");
	in->as_of = day("2027-06-01");
	in->ncycles = 2;
	in->cycles = xcalloc(2, sizeof *in->cycles);
	in->cycles[0] = (struct metrics_cycle){ 1, 1, day("2027-01-04"),
	    day("2027-03-01"), DATE_NONE, DATE_NONE };
	in->cycles[1] = (struct metrics_cycle){ 2, 2, day("2027-03-01"),
	    day("2027-04-26"), DATE_NONE, DATE_NONE };
	add_enrollment(in, 1, ROLE_MENTOR, -1, "2027-01-01", "2027-01-01");
	add_enrollment(in, 2, ROLE_MENTEE, -1, "2027-01-01", "2027-01-01");
	/* Ended mid cycle 1: early. */
	pr = add_pairing(in, 1, 0, 1, "2027-01-05", "2027-02-05");
	pr->cycle = 0;
	/* Exited at cycle 1's end (ended_on = ends_on = cycle 2's start): not early. */
	pr = add_pairing(in, 2, 0, 1, "2027-01-05", "2027-03-01");
	pr->cycle = 0;
	/* Continued into cycle 2, ended in it: early. */
	pr = add_pairing(in, 3, 0, 1, "2027-01-05", "2027-03-20");
	pr->cycle = 0;
	/* Exited by an early close of cycle 1: that cycle's decision, not early. */
	pr = add_pairing(in, 4, 0, 1, "2027-01-05", "2027-02-20");
	pr->cycle = 0;
	in->npcycles = 3;
	in->pcycles = xcalloc(3, sizeof *in->pcycles);
	in->pcycles[0] = (struct metrics_pcycle){ 1, 0, METRICS_OUT_EXITED,
	    day("2027-03-01") };
	in->pcycles[1] = (struct metrics_pcycle){ 2, 0, METRICS_OUT_CONTINUED,
	    day("2027-03-01") };
	in->pcycles[2] = (struct metrics_pcycle){ 3, 0, METRICS_OUT_EXITED,
	    day("2027-02-20") };
	in->pairs[1].end_reason = xstrdup("exit");
	r = metrics_compute(p, in);
	assert_int_equal(r->early_closures, 2);
	assert_int_equal(r->early_closure_rate.den, 4);
	/* Re-ups of cycle 1: 1 continued of 3 decided; cycle 2 ended undecided. */
	assert_int_equal(r->nreups, 2);
	assert_int_equal(r->reups[0].rate.num, 1);
	assert_int_equal(r->reups[0].rate.den, 3);
	assert_int_equal(r->reups[1].rate.state, METRICS_NA);
	assert_int_equal(r->reup_rate.num, 1);
	/* Reasons: "exit" once, then the three without one, last. */
	assert_int_equal(r->nreasons, 2);
	assert_null(r->reasons[0].reason);
	assert_int_equal(r->reasons[0].n, 3);
	assert_string_equal(r->reasons[1].reason, "exit");
	metrics_report_free(r);
	/* As of before the early close, cycle 1 has no decision yet. */
	in->as_of = day("2027-02-19");
	r = metrics_compute(p, in);
	assert_int_equal(r->nreups, 0);
	assert_int_equal(r->reup_rate.state, METRICS_NA);
	assert_int_equal(r->early_closures, 1);
	metrics_report_free(r);
	metrics_input_free(in);
	program_free(p);
}

static void
test_goal_status_names(void **state)
{
	static const enum metrics_goal_status all[] = {
		METRICS_GOAL_MET, METRICS_GOAL_NOT_MET, METRICS_GOAL_NO_DATA,
		METRICS_GOAL_ON_TRACK, METRICS_GOAL_AT_RISK,
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof all / sizeof all[0]; i++)
		assert_int_equal(metrics_goal_status_parse(
		    metrics_goal_status_name(all[i])), all[i]);
	assert_string_equal(metrics_goal_status_name(METRICS_GOAL_NOT_MET),
	    "not met");
	assert_int_equal(metrics_goal_status_parse("on track"),
	    METRICS_GOAL_ON_TRACK);
	assert_int_equal(metrics_goal_status_parse("Met"), -1);
	assert_int_equal(metrics_goal_status_parse("overdue"), -1);
	assert_int_equal(metrics_goal_status_parse(NULL), -1);
}

static void
add_seat(struct metrics_input *in, int round, size_t mentee, int attended)
{
	struct metrics_flash_seat *f;

	in->flash = xreallocarray(in->flash, in->nflash + 1, sizeof *in->flash);
	f = &in->flash[in->nflash++];
	f->round = round;
	f->mentee = mentee;
	f->attended = attended;
}

static const struct metrics_row *
find_row(const struct metrics_rows *rows, const char *section,
    const char *metric, const char *group)
{
	size_t i;

	for (i = 0; i < rows->n; i++)
		if (strcmp(rows->v[i].section, section) == 0 &&
		    strcmp(rows->v[i].metric, metric) == 0 &&
		    strcmp(rows->v[i].group, group) == 0)
			return &rows->v[i];
	return NULL;
}

/*
 * A flash session of two rounds: seats and attendance in all and per
 * round, counted from the session's day; coverage of the eligible
 * mentees; the goals on them judged on their due dates.
 */
static void
test_flash(void **state)
{
	struct metrics_input *in = xcalloc(1, sizeof *in);
	struct program *p = program_new();
	struct metrics_rows rows = METRICS_ROWS_INIT;
	const struct metrics_row *row;
	struct metrics_report *r;
	size_t k;

	(void)state;
	p->slug = xstrdup("f");
	p->format = FORMAT_FLASH;
	p->flash.rounds = 2;
	p->flash.date = day("2027-03-18");
	p->ngoals = 2;
	p->goals = xcalloc(2, sizeof *p->goals);
	p->goals[0].id = xstrdup("cov");
	p->goals[0].metric = xstrdup("flash_coverage");
	p->goals[0].target = 0.5;
	p->goals[0].has_target = true;
	p->goals[0].due = day("2027-03-18");
	p->goals[1].id = xstrdup("att");
	p->goals[1].metric = xstrdup("flash_attendance");
	p->goals[1].target = 0.9;
	p->goals[1].has_target = true;
	p->goals[1].due = day("2027-03-20");
	add_enrollment(in, 1, ROLE_MENTOR, -1, "2027-03-01", "2027-03-01");
	for (k = 2; k <= 6; k++)
		add_enrollment(in, (long long)k, ROLE_MENTEE, -1, "2027-03-01",
		    "2027-03-01");
	/* 5 withdrew on 03-10 and was never recorded: no seat */
	in->enr[4].withdrawn_on = day("2027-03-10");
	in->enr[4].status = ENROLLMENT_WITHDRAWN;
	/* 6 is eligible, never seated */
	/* 2 came to both; 3 absent from both; 4 came to round 2 only */
	add_seat(in, 1, 1, 1);
	add_seat(in, 1, 2, 0);
	add_seat(in, 1, 3, -1);
	add_seat(in, 1, 4, -1);
	add_seat(in, 2, 1, 1);
	add_seat(in, 2, 2, 0);
	add_seat(in, 2, 3, 1);
	add_seat(in, 2, 4, -1);
	in->checkpoints = xcalloc(3, sizeof *in->checkpoints);
	in->checkpoints[0] = day("2027-03-18");
	in->checkpoints[1] = day("2027-03-20");
	in->ncheckpoints = 2;
	in->held = xcalloc(1, sizeof *in->held);

	/* the eve of the session: seated, nothing counts yet */
	in->as_of = day("2027-03-17");
	r = metrics_compute(p, in);
	assert_false(r->flash_held);
	assert_int_equal(r->nflash, 3);
	assert_int_equal(r->flash[0].seated, 3);
	assert_int_equal(r->flash[0].unrecorded, 3);
	assert_int_equal(r->flash[0].attended, 0);
	assert_int_equal(r->flash[0].rate.state, METRICS_NA);
	assert_int_equal(r->flash[1].round, 1);
	assert_int_equal(r->flash[1].seated, 3);
	assert_int_equal(r->flash_coverage.num, 0);
	assert_int_equal(r->flash_coverage.den, 4);
	assert_int_equal(r->goals[0].status, METRICS_GOAL_AT_RISK);
	assert_int_equal(r->goals[1].status, METRICS_GOAL_NO_DATA);
	metrics_report_free(r);

	/* after it: 2 and 4 came, 3 absent; 5 has no seat, 6 none either */
	in->as_of = day("2027-03-25");
	r = metrics_compute(p, in);
	assert_true(r->flash_held);
	assert_int_equal(r->flash[0].seated, 3);
	assert_int_equal(r->flash[0].attended, 2);
	assert_int_equal(r->flash[0].absent, 1);
	assert_int_equal(r->flash[0].unrecorded, 0);
	assert_near(r->flash_attendance.v, 2.0 / 3);
	/* round 1: 2 came, 3 absent, 4 unrecorded; round 2: 2, 4 came */
	assert_int_equal(r->flash[1].attended, 1);
	assert_int_equal(r->flash[1].absent, 1);
	assert_int_equal(r->flash[1].unrecorded, 1);
	assert_int_equal(r->flash[2].attended, 2);
	assert_int_equal(r->flash[2].absent, 1);
	assert_near(r->flash[2].rate.v, 2.0 / 3);
	/* 2 of the 4 eligible not withdrawn without coming (2, 3, 4, 6) */
	assert_int_equal(r->flash_coverage.num, 2);
	assert_int_equal(r->flash_coverage.den, 4);
	/* judged on their due dates, from the session's attendance */
	assert_int_equal(r->goals[0].status, METRICS_GOAL_MET);
	assert_int_equal(r->goals[0].judged_on, day("2027-03-18"));
	assert_int_equal(r->goals[1].status, METRICS_GOAL_NOT_MET);
	assert_near(metrics_get(r, "flash_coverage").v, 0.5);
	metrics_rows_build(r, p, in, &rows);
	row = find_row(&rows, "flash", "attendance_rate", "all");
	assert_non_null(row);
	assert_int_equal(row->kind, METRICS_RATE);
	assert_string_equal(row->detail, "2 of 3 seated mentees came");
	row = find_row(&rows, "flash", "unrecorded", "round=1");
	assert_non_null(row);
	assert_near(row->value.v, 1);
	assert_non_null(find_row(&rows, "flash", "seated", "round=2"));
	assert_null(find_row(&rows, "flash", "seated", "round=3"));
	row = find_row(&rows, "goals", "flash_coverage", "goal=cov");
	assert_non_null(row);
	assert_string_equal(row->status, "met");
	metrics_rows_free(&rows);
	metrics_report_free(r);

	/* a programme of another format has no flash figures */
	p->format = FORMAT_ONE_TO_ONE;
	free(in->flash);
	in->flash = NULL;
	in->nflash = 0;
	r = metrics_compute(p, in);
	assert_int_equal(r->nflash, 0);
	assert_int_equal(r->flash_coverage.state, METRICS_NA);
	assert_int_equal(r->goals[0].status, METRICS_GOAL_NO_DATA);
	metrics_rows_build(r, p, in, &rows);
	assert_null(find_row(&rows, "flash", "seated", "all"));
	metrics_rows_free(&rows);
	metrics_report_free(r);
	metrics_input_free(in);
	program_free(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_median),
		cmocka_unit_test(test_ratio_zero_denominator),
		cmocka_unit_test(test_value_text),
		cmocka_unit_test(test_k_visible),
		cmocka_unit_test(test_k_suppress),
		cmocka_unit_test(test_pairing_state_as_of),
		cmocka_unit_test(test_withdrawn_as_of),
		cmocka_unit_test_setup_teardown(test_compute, setup, teardown),
		cmocka_unit_test(test_rows_never_nan),
		cmocka_unit_test(test_lower_is_better),
		cmocka_unit_test(test_early_closure),
		cmocka_unit_test(test_goal_status_names),
		cmocka_unit_test(test_flash),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
