#ifndef MENTORCTL_CORE_SCORE_H
#define MENTORCTL_CORE_SCORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/program.h"
#include "util/error.h"

/*
 * Scoring and hard exclusions: people and a programme's matching rules in,
 * the solver's dense score matrix (core/match.h) out, and for `match
 * --explain` and `scores` the breakdown of any pair.
 *
 * Formula (documented in mentorctl-program(5)): criterion i gives c_i in
 * 0..1 and the pair scores 100 * sum(w_i c_i) / sum(w_i), kept as integer
 * centi-points 0..10000, rounded half up.  Without criteria every allowed
 * pair scores 100.
 *
 *   overlap       |A n B| / min(|A|, |B|) over the ';'-separated, trimmed,
 *                 case-insensitive values of the mentor's `attribute` and
 *                 the mentee's `mentee_attribute` (or `attribute`); 0 when
 *                 either is empty
 *   same          1 if both values are present and equal ignoring case
 *   different     1 if both are present and unequal ignoring case
 *   within_hours  1 if both time zones are known and their UTC offsets on
 *                 the programme's day differ by at most `hours`
 *   mentor_above  1 if mentor - mentee >= min_gap (numbers)
 *   mentee_above  1 if mentee - mentor >= min_gap
 *   within        1 if |mentor - mentee| <= max_gap
 *   close         max(0, 1 - |mentor - mentee| / scale)
 *   gap           points[g] / max(points), g = mentor - mentee rounded to
 *                 a whole number; 0 for a gap not in the table
 *   not_in        scores nothing and weighs nothing: the pair is excluded
 *                 when the mentee's e-mail is in the mentor's list or the
 *                 mentor's in the mentee's (';'-separated, any case)
 *   preference    the participants' own preferences (score_pref): the
 *                 mentee's view e (rank r of the K mentors they ranked:
 *                 (K - r + 1) / K; else rating (x - 1) / 4; else 0) and the
 *                 mentor's m (1 when they prefer the mentee, else 0),
 *                 (e + m) / 2 when the pool holds both kinds, else the
 *                 kind it holds
 *   waited        min(1, days the mentee has waited since enrollment / days)
 *   previous_partner  1 if the two were partners before (score_input.partners)
 *
 * A missing value gives 0.  Attribute names are looked up first among the
 * standard fields (email, name, department, title, level, location,
 * timezone, manager_email, and hired_on or tenure, which compare as years
 * of tenure on the programme's day), then among the free attributes,
 * ignoring case.  Numbers are the
 * level, tenure, or any value that reads as a decimal number.
 *
 * A pair is excluded (MATCH_EXCLUDED) when: it is the same person; the
 * caller lists it (previous partners, declined or expired proposals, pairs
 * already active); `same_manager_line` and one is the other's manager or
 * above them in the chain; `same_department` and the departments are equal;
 * the format's rule fails (peer: both levels known and at most
 * peer.max_level_gap apart; reverse: both known and the mentor's below the
 * mentee's); a not_in criterion lists the partner; a `required` criterion
 * gives 0; or the score (with the coordinator's bonus, score_bonus, added
 * and kept within 0..100) is below min_score.
 */

/* A free attribute: the name as imported, the raw cell ("a; b" for lists). */
struct score_attr {
	const char *name;
	const char *value;
};

/* One person.  Strings are borrowed; NULL or "" means unknown. */
struct score_person {
	const char *email;
	const char *name;
	const char *manager_email;
	const char *department;
	const char *title;
	const char *location;
	const char *timezone;
	bool has_level;
	int level;
	int hired_on;                  /* DATE_NONE when unknown */
	int manager;                   /* index into the people array, -1 none */
	const struct score_attr *attrs;
	size_t nattrs;
};

/* A pair that must never be proposed: positions in mentees[] / mentors[]. */
struct score_pair {
	int mentee;
	int mentor;
};

/* A participant's preference about a pair (positions as score_pair). */
struct score_pref {
	int mentee;
	int mentor;
	double mentee_value;           /* 0..1, or < 0: the mentee said nothing */
	bool mentor_prefers;
};

/* The coordinator's bonus for a pair (`scores import`), in centi-points. */
struct score_bonus {
	int mentee;
	int mentor;
	int centi;                     /* -10000..10000 */
};

/*
 * Everything is borrowed for the duration of score_build only.  mentors[]
 * and mentees[] index people[]; the same index on both sides is the same
 * person.  The matrix rows follow mentees[], its columns mentors[].
 */
struct score_input {
	const struct program *program;
	const struct score_person *people;
	int npeople;
	const int *mentors;
	int nmentors;
	const int *mentees;
	int nmentees;
	const struct score_pair *excluded;
	size_t nexcluded;
	int day;                       /* the programme's date: zones, tenure */
	const int *mentee_since;       /* NULL, or per mentee its enrollment day */
	const struct score_pair *partners; /* pairs that were partners before */
	size_t npartners;
	const struct score_pref *prefs;
	size_t nprefs;
	const struct score_bonus *bonus;
	size_t nbonus;
};

struct score_data;

struct score_table {
	int nmentees;
	int nmentors;
	/* nmentees * nmentors centi-points or MATCH_EXCLUDED, core/match.h layout */
	int16_t *score;
	/*
	 * Group format with department diversity: each mentee's department as
	 * a class id (-1 unknown) and the cap per group, for match_problem's
	 * mentee_class / max_per_class.  NULL and 0 otherwise.
	 */
	int *mentee_class;
	int max_per_class;
	size_t ncriteria;
	struct score_data *data;       /* what score_explain needs */
};

#define SCORE_TABLE_INIT { 0, 0, NULL, NULL, 0, 0, NULL }

enum score_verdict {
	SCORE_ALLOWED,
	SCORE_SAME_PERSON,
	SCORE_EXCLUDED_PAIR,           /* listed by the caller */
	SCORE_MANAGER_LINE,
	SCORE_SAME_DEPARTMENT,
	SCORE_FORMAT_RULE,             /* peer level gap, reverse seniority */
	SCORE_NOT_IN,                  /* a not_in criterion lists the partner */
	SCORE_REQUIRED,                /* a required criterion gave 0 */
	SCORE_BELOW_MIN,               /* below min_score */
};

/* "allowed", "same person", "excluded pair", "same manager line", ... */
const char *score_verdict_name(enum score_verdict v);

/*
 * Fill t (start from SCORE_TABLE_INIT or after score_table_free).  Returns
 * 0, or -1 with EX_SOFTWARE when an index is out of range or the problem is
 * larger than the matrix can hold.  t keeps no pointer into in.
 */
int score_build(const struct score_input *in, struct score_table *t,
    struct error *err);

struct score_detail {
	enum score_verdict verdict;    /* the first rule, in enum order, that excludes */
	int criterion;                 /* SCORE_REQUIRED, SCORE_NOT_IN: which one; else -1 */
	int score;                     /* centi-points, excluded or not, bonus included */
	int bonus;                     /* the coordinator's bonus in it (centi) */
	int not_in_side;               /* SCORE_NOT_IN: ROLE_MENTOR's list or ROLE_MENTEE's */
};

/*
 * The breakdown of mentees[mentee] with mentors[mentor]: contrib (NULL, or
 * ncriteria doubles) receives each c_i; the weighted share of criterion i in
 * the score is 100 * w_i * c_i / sum(w).  Returns d->verdict.
 */
enum score_verdict score_explain(const struct score_table *t, int mentee,
    int mentor, double *contrib, struct score_detail *d);

void score_table_free(struct score_table *t);

#endif
