#ifndef MENTORCTL_CORE_DIAGNOSE_H
#define MENTORCTL_CORE_DIAGNOSE_H

#include <stddef.h>

#include "core/metrics.h"
#include "core/program.h"

/*
 * `mentorctl diagnose`: a programme checked against the readiness /
 * opportunity / support model and the six standards of effective mentoring
 * practice, from its definition and its data.  Pure: the facts come from
 * store/report_store.h (loaded as of today, with the trainings), today is
 * passed in.
 *
 * Each finding has a stable check name (for scripts and tests), its standard,
 * a severity, what is wrong, the people or pairings concerned and what to do.
 * The checks (docs/mentorctl.1 lists them):
 *
 *   readiness      no-goals, goal-no-metric, goal-no-target, goal-no-due,
 *                  no-contact
 *   opportunity    mentees-waiting (eligible, unmatched, nothing proposed,
 *                  for more than DIAGNOSE_WAIT_DAYS)
 *   support        no-checkins, no-prompts
 *   recruitment    no-mentors, no-mentees, capacity-short
 *   screening      role-no-criteria
 *   training       trained-late (active pairing whose partner lacks a
 *                  required training, or completed it after activation)
 *   matching and initiating
 *                  proposal-pending (past respond_within or expires_on),
 *                  no-first-meeting (active, never met, two check-in
 *                  intervals gone by)
 *   monitoring and support
 *                  stalled (schedule.h's definition; those that never met
 *                  are under no-first-meeting)
 *   closure        no-cycle, no-reup-window, ending-no-reason,
 *                  ending-no-feedback, rotation-overdue (a rotation period
 *                  whose last day has passed is still open)
 */

#define DIAGNOSE_WAIT_DAYS 14

enum diagnose_standard {
	DIAGNOSE_READINESS,
	DIAGNOSE_OPPORTUNITY,
	DIAGNOSE_SUPPORT,
	DIAGNOSE_RECRUITMENT,
	DIAGNOSE_SCREENING,
	DIAGNOSE_TRAINING,
	DIAGNOSE_MATCHING,
	DIAGNOSE_MONITORING,
	DIAGNOSE_CLOSURE,
};
#define DIAGNOSE_NSTANDARDS 9

enum diagnose_severity {
	DIAGNOSE_INFO,
	DIAGNOSE_WARNING,
	DIAGNOSE_PROBLEM,
};

struct diagnose_finding {
	const char *check;                 /* "goal-no-metric" */
	enum diagnose_standard standard;
	enum diagnose_severity severity;
	char *what;
	char **subjects;                   /* e-mails, "pairing 12 (...)", goal ids, roles */
	size_t nsubjects;
	char *action;
};

struct diagnose_list {
	struct diagnose_finding *v;        /* ordered by standard, then check */
	size_t n;
	size_t cap;
};

#define DIAGNOSE_LIST_INIT { NULL, 0, 0 }

/* Every finding about p given in (as of in->as_of, which is today). */
void diagnose_run(const struct program *p, const struct metrics_input *in,
    struct diagnose_list *out);
void diagnose_list_free(struct diagnose_list *l);

struct match_needs;

/*
 * Findings from the matching itself, added to l in standard order:
 * capacity planning (mentees a dry matching leaves unmatched today, and
 * the places and kinds of mentor that would match them), and mentors who
 * let `min` or more proposals expire unanswered (emails[n], with lapsed[n]
 * expiries each).
 */
void diagnose_capacity(struct diagnose_list *l, const struct match_needs *needs);
void diagnose_lapses(struct diagnose_list *l, const char *const *emails,
    const int *lapsed, size_t n);

/*
 * A rotation whose open period (number `period`, last day `last_day`)
 * should have moved on by today: nobody ran `remind` or `cycle close`
 * since.  Nothing when period is 0.
 */
void diagnose_rotation_overdue(struct diagnose_list *l,
    const struct program *p, int period, int last_day, int today);

/* "readiness", ..., "matching and initiating", "monitoring and support", "closure" */
const char *diagnose_standard_name(enum diagnose_standard s);
/* "info", "warning", "problem" */
const char *diagnose_severity_name(enum diagnose_severity s);
/*
 * The subjects joined with sep; with max > 0 at most max of them, then
 * "and N more".  The caller frees.
 */
char *diagnose_subjects(const struct diagnose_finding *f, const char *sep,
    size_t max);

#endif
