#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/diagnose.h"
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

static const struct diagnose_finding *
finding(const struct diagnose_list *l, const char *check)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (strcmp(l->v[i].check, check) == 0)
			return &l->v[i];
	return NULL;
}

/* A programme that passes every definition check. */
static struct program *
complete_program(void)
{
	struct program *p = program_new();

	p->slug = xstrdup("p");
	p->name = xstrdup("P");
	p->contact = xstrdup("coord@example.org");
	p->ngoals = 1;
	p->goals = xcalloc(1, sizeof *p->goals);
	p->goals[0].id = xstrdup("g");
	p->goals[0].statement = xstrdup("s");
	p->goals[0].metric = xstrdup("match_rate");
	p->goals[0].target = 0.9;
	p->goals[0].has_target = true;
	p->goals[0].due = day("2027-06-30");
	p->mentor.eligibility.ntrainings = 1;
	p->mentor.eligibility.trainings = xcalloc(1, sizeof(char *));
	p->mentor.eligibility.trainings[0] = xstrdup("mentor-basics");
	p->mentee.eligibility.has_min_tenure = true;
	p->mentee.eligibility.min_tenure_years = 0.5;
	p->cycle.present = true;
	p->cycle.length = (struct duration){ 6, DATE_UNIT_MONTH };
	p->cycle.reup_opens = (struct duration){ 21, DATE_UNIT_DAY };
	p->cycle.reup_closes = (struct duration){ 7, DATE_UNIT_DAY };
	p->checkins.present = true;
	p->checkins.every = (struct duration){ 2, DATE_UNIT_WEEK };
	p->checkins.stalled_after = 2;
	p->checkins.nprompts = 1;
	p->checkins.prompts = xcalloc(1, sizeof(char *));
	p->checkins.prompts[0] = xstrdup("hello");
	return p;
}

static void
add_enrollment(struct metrics_input *in, enum program_role role)
{
	struct metrics_enrollment *e;

	in->enr = xreallocarray(in->enr, in->nenr + 1, sizeof *in->enr);
	e = &in->enr[in->nenr++];
	memset(e, 0, sizeof *e);
	e->id = (long long)in->nenr;
	e->person_id = (long long)in->nenr;
	e->email = xasprintf("p%zu@example.org", in->nenr);
	e->name = xstrdup("");
	e->role = role;
	e->dept = -1;
	e->status = ENROLLMENT_ACTIVE;
	e->capacity = -1;
	e->enrolled_on = day("2027-01-01");
	e->eligible_on = day("2027-01-01");
	e->withdrawn_on = DATE_NONE;
}

static struct metrics_pairing *
add_pairing(struct metrics_input *in, size_t mentor, size_t mentee,
    const char *activated)
{
	struct metrics_pairing *p;

	in->pairs = xreallocarray(in->pairs, in->npairs + 1, sizeof *in->pairs);
	p = &in->pairs[in->npairs++];
	memset(p, 0, sizeof *p);
	p->id = (long long)in->npairs;
	p->mentor = mentor;
	p->mentee = mentee;
	p->cycle = -1;
	p->status = activated ? PAIRING_ACTIVE : PAIRING_PROPOSED;
	p->proposed_on = day("2027-01-02");
	p->expires_on = DATE_NONE;
	p->activated_on = activated ? day(activated) : DATE_NONE;
	p->declined_on = p->ended_on = DATE_NONE;
	p->first_held = p->last_held = DATE_NONE;
	return p;
}

static void
test_definition_findings(void **state)
{
	struct program *p = program_new();
	struct metrics_input *in = xcalloc(1, sizeof *in);
	struct diagnose_list l = DIAGNOSE_LIST_INIT;
	const struct diagnose_finding *f;

	(void)state;
	p->slug = xstrdup("bare");
	in->as_of = day("2027-03-01");
	diagnose_run(p, in, &l);
	assert_non_null(f = finding(&l, "no-goals"));
	assert_int_equal(f->standard, DIAGNOSE_READINESS);
	assert_int_equal(f->severity, DIAGNOSE_PROBLEM);
	assert_non_null(finding(&l, "no-contact"));
	assert_non_null(finding(&l, "no-checkins"));
	assert_non_null(finding(&l, "no-cycle"));
	assert_non_null(finding(&l, "no-mentors"));
	assert_non_null(finding(&l, "no-mentees"));
	assert_non_null(f = finding(&l, "role-no-criteria"));
	assert_int_equal(f->nsubjects, 2);
	assert_null(finding(&l, "no-prompts"));
	/* Ordered by standard. */
	assert_string_equal(l.v[0].check, "no-goals");
	assert_string_equal(l.v[l.n - 1].check, "no-cycle");
	diagnose_list_free(&l);
	program_free(p);

	p = complete_program();
	diagnose_run(p, in, &l);
	/* Only the empty enrollment remains to be said. */
	assert_int_equal(l.n, 2);
	assert_non_null(finding(&l, "no-mentors"));
	assert_non_null(finding(&l, "no-mentees"));
	diagnose_list_free(&l);
	metrics_input_free(in);
	program_free(p);
}

static void
test_training_and_meetings(void **state)
{
	struct program *p = complete_program();
	struct metrics_input *in = xcalloc(1, sizeof *in);
	struct diagnose_list l = DIAGNOSE_LIST_INIT;
	const struct diagnose_finding *f;
	struct metrics_pairing *pr;

	(void)state;
	in->as_of = day("2027-03-01");
	add_enrollment(in, ROLE_MENTOR);   /* 0: trained in time */
	add_enrollment(in, ROLE_MENTOR);   /* 1: not trained */
	add_enrollment(in, ROLE_MENTEE);
	add_enrollment(in, ROLE_MENTEE);
	in->enr[0].capacity = 1;
	in->enr[1].capacity = 1;
	in->ntrainings = 1;
	in->trainings = xcalloc(1, sizeof *in->trainings);
	in->trainings[0].person_id = 1;
	in->trainings[0].name = xstrdup("mentor-basics");
	in->trainings[0].completed_on = day("2026-12-01");
	/* Met on 02-20: fine.  Never met since 01-31 (two fortnights gone): silent. */
	pr = add_pairing(in, 0, 2, "2027-02-06");
	pr->held = 1;
	pr->first_held = pr->last_held = day("2027-02-20");
	add_pairing(in, 1, 3, "2027-01-31");
	diagnose_run(p, in, &l);
	assert_non_null(f = finding(&l, "trained-late"));
	assert_int_equal(f->nsubjects, 1);
	assert_non_null(strstr(f->subjects[0], "p2@example.org (pairing 2): "
	    "mentor-basics missing"));
	assert_non_null(f = finding(&l, "no-first-meeting"));
	assert_int_equal(f->nsubjects, 1);
	assert_non_null(strstr(f->subjects[0], "pairing 2"));
	assert_null(finding(&l, "stalled"));
	assert_null(finding(&l, "capacity-short"));
	diagnose_list_free(&l);

	/*
	 * Active since 02-01, the second check-in is due on 03-01: on that day
	 * it is not missed yet (as schedule.h counts), so not flagged.
	 */
	in->pairs[1].activated_on = day("2027-02-01");
	diagnose_run(p, in, &l);
	assert_null(finding(&l, "no-first-meeting"));
	diagnose_list_free(&l);

	/* The first pair stops meeting: stalled, not "no first meeting". */
	in->as_of = day("2027-04-01");
	diagnose_run(p, in, &l);
	assert_non_null(f = finding(&l, "stalled"));
	assert_int_equal(f->nsubjects, 1);
	assert_non_null(strstr(f->subjects[0], "pairing 1"));
	assert_int_equal(f->standard, DIAGNOSE_MONITORING);
	assert_non_null(f = finding(&l, "no-first-meeting"));
	assert_non_null(strstr(f->subjects[0], "pairing 2"));
	diagnose_list_free(&l);
	metrics_input_free(in);
	program_free(p);
}

static void
test_subjects_join(void **state)
{
	struct diagnose_finding f;
	char *s[3] = { "a", "b", "c" };
	char *j;

	(void)state;
	memset(&f, 0, sizeof f);
	f.subjects = s;
	f.nsubjects = 3;
	j = diagnose_subjects(&f, "; ", 0);
	assert_string_equal(j, "a; b; c");
	free(j);
	j = diagnose_subjects(&f, "; ", 2);
	assert_string_equal(j, "a; b; and 1 more");
	free(j);
	f.nsubjects = 0;
	j = diagnose_subjects(&f, "; ", 2);
	assert_string_equal(j, "");
	free(j);
	assert_string_equal(diagnose_standard_name(DIAGNOSE_MATCHING),
	    "matching and initiating");
	assert_string_equal(diagnose_severity_name(DIAGNOSE_INFO), "info");
}

/* A rotation period past its last day: one finding naming the commands. */
static void
test_rotation_overdue(void **state)
{
	struct diagnose_list l = DIAGNOSE_LIST_INIT;
	struct program *p = complete_program();
	const struct diagnose_finding *f;

	(void)state;
	diagnose_rotation_overdue(&l, p, 0, DATE_NONE, day("2027-02-10"));
	assert_int_equal(l.n, 0);
	diagnose_rotation_overdue(&l, p, 1, day("2027-01-17"),
	    day("2027-02-10"));
	assert_non_null(f = finding(&l, "rotation-overdue"));
	assert_int_equal(f->standard, DIAGNOSE_CLOSURE);
	assert_int_equal(f->severity, DIAGNOSE_WARNING);
	assert_non_null(strstr(f->what, "period 1 ended on 2027-01-17, 24 "
	    "days ago"));
	assert_int_equal(f->nsubjects, 1);
	assert_string_equal(f->subjects[0], "period 1 (last day 2027-01-17)");
	assert_non_null(strstr(f->action, "mentorctl remind --program p"));
	assert_non_null(strstr(f->action, "mentorctl cycle close p"));
	diagnose_list_free(&l);
	program_free(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_definition_findings),
		cmocka_unit_test(test_training_and_meetings),
		cmocka_unit_test(test_subjects_join),
		cmocka_unit_test(test_rotation_overdue),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
