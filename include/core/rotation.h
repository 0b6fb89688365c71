#ifndef MENTORCTL_CORE_ROTATION_H
#define MENTORCTL_CORE_ROTATION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/match.h"
#include "core/program.h"
#include "core/rounds.h"
#include "core/status.h"
#include "util/error.h"

/*
 * Rotations (format rotational), pure: where a rotation stands on a day,
 * when its proposals are made and answered, and the plan of who meets whom
 * in which period.  ops/rotation.c loads, stores and decides with these.
 *
 * A rotational programme's cycles are its periods: cycle k is period k,
 * rotation.every long.  The periods stored (cycles started) have their real
 * dates; each later period starts `every` after the one before, as cycles
 * do (core/cycle.h: month ends clamp and carry over).  Before any period is
 * stored, period 1 starts on cycle.start, else on the day asked about.
 */

/* A period as stored: a cycle of the programme. */
struct rotation_period {
	int number;
	int starts_on;
	int ends_on;               /* exclusive: the next period's first day */
	bool open;
};

struct rotation_calendar {
	int periods;               /* P: rotation.periods */
	int open;                  /* the open period, 0 when none */
	struct rotation_period open_period;
	int last;                  /* the highest period stored, 0 when none */
	struct rotation_period last_period;
	int first;                 /* the first period still to plan into */
	int *start;                /* [P + 2]: start[k] is period k's first day,
	                              start[k + 1] the day after its last */
};

/*
 * The calendar of p's rotation from the periods stored (v[n], any order)
 * on `today`.  Free with rotation_calendar_free.
 */
void rotation_calendar_init(struct rotation_calendar *c,
    const struct program *p, const struct rotation_period *v, size_t n,
    int today);
void rotation_calendar_free(struct rotation_calendar *c);
/* Period k starts on `start` after all: the dates of k and later follow. */
void rotation_calendar_redate(struct rotation_calendar *c,
    const struct program *p, int k, int start);
/* Period k's last day (inclusive), DATE_NONE when unknown. */
int rotation_last_day(const struct rotation_calendar *c, int k);
/* Whether period k overlaps [from, to] (either may be DATE_NONE: open). */
bool rotation_in_range(const struct rotation_calendar *c, int k, int from,
    int to);

/*
 * When a later period's proposal is made and answered: it is made
 * respond_within before the period (not before today) and must be answered
 * by the period's first day (or respond_within after it was made, if
 * later); with consent none it never expires (*expires_on DATE_NONE).
 */
void rotation_proposal_days(const struct program *p, int today,
    int period_start, int *proposed_on, int *expires_on);

/*
 * The status a newly planned pairing of period `slot` has on `today` when
 * proposed on proposed_on: active at once in the open period with consent
 * none, planned while its day is to come, else proposed.
 */
enum pairing_status rotation_new_status(const struct program *p,
    const struct rotation_calendar *c, int slot, int proposed_on, int today);

/*
 * Whether a waiting pairing may turn active when its period opens: its
 * consent (matching.consent) is complete.
 */
bool rotation_consented(const struct program *p, bool mentor_accepted,
    bool mentee_accepted);

/*
 * The rotation problem: periods first..first+R-1 to plan, mentors' places
 * left in each, and which mentees need a mentor in which period.  Scores
 * are match.h's layout with MATCH_EXCLUDED for pairs that may never meet
 * (the caller excludes the mentors a mentee has met or is planned with).
 */
struct rotation_problem {
	int nmentees;
	int nmentors;
	const int16_t *score;      /* score[i * nmentors + j] */
	int nperiods;              /* R >= 1 */
	const int *left;           /* [nmentors * R]: places of mentor j in period k */
	const unsigned char *need; /* NULL (everyone, every period) or
	                              [nmentees * R]: 1 when mentee i needs a
	                              mentor in period k */
	enum match_objective objective;
};

/*
 * Plan rp into out (rounds are periods 0..R-1, seat 0).  When every mentee
 * needs every period and each mentor's places are the same in every period
 * (always so for a first plan), rounds_plan plans everyone jointly and
 * exactly.  Otherwise mentees are planned one at a time in index order,
 * each given the best assignment of the periods it needs to mentors with a
 * place in that period, never the same mentor twice (an exact assignment
 * problem).  Jointly, with places that differ by period, the problem
 * contains three-dimensional matching and is NP-hard; one by one keeps
 * each newcomer's plan optimal and the whole fast.  The plan is checked
 * (rounds_verify or its own rules) before it is returned.
 */
int rotation_plan(const struct rotation_problem *rp, struct rounds_plan *out,
    struct error *err);

#endif
