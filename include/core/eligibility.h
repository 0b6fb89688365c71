#ifndef MENTORCTL_CORE_ELIGIBILITY_H
#define MENTORCTL_CORE_ELIGIBILITY_H

#include <stdbool.h>
#include <stddef.h>

#include "core/program.h"

/*
 * Qualification before matching: a programme's roles.<role>.eligibility
 * applied to one person on one day.  Pure: the caller loads the person and
 * passes "today".
 */

struct elig_training {
	const char *name;
	int completed_on;          /* DATE_NONE when unknown */
};

struct elig_person {
	int hired_on;              /* DATE_NONE when unknown */
	bool has_level;
	int level;
	const struct elig_training *trainings;
	size_t ntrainings;
};

/*
 * 1 when the person is eligible (*reason NULL); 0 when pending, with *reason
 * (the caller frees it) naming every failing rule, joined by "; ", in this
 * order: required trainings in the programme's order ("missing training
 * mentor-basics", "training x not completed until 2027-02-01"), tenure
 * ("no hire date", "not hired until 2027-03-01", "tenure 1.4 < 3 years"),
 * level ("no level", "level 2 < 3", "level 8 > 7").  Tenure counts from
 * hired_on to today in calendar years and is shown truncated to tenths.
 * Training names compare without ASCII case.
 */
int elig_evaluate(const struct program_eligibility *rules,
    const struct elig_person *p, int today, char **reason);

/* Years truncated (not rounded) to one decimal: 2.96 -> "2.9". */
void elig_format_years(double years, char *buf, size_t size);

/* Whether a role has any rule at all (an open role is eligible at once). */
bool elig_has_rules(const struct program_eligibility *rules);

#endif
