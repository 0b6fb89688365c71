#include "core/cycle.h"

#include <string.h>

int
cycle_dates(const struct program_cycle *c, int number, int starts_on,
    struct cycle_dates *out, struct error *err)
{
	char b1[DATE_BUFSZ], b2[DATE_BUFSZ];
	int ends_on, opens, closes;

	if (!c->present)
		return error_set(err, EX_DATAERR,
		    "the programme has no cycle block");
	if (c->length.n <= 0)
		return error_set(err, EX_DATAERR,
		    "the programme's cycle length is not positive");
	if (number < 1)
		return error_set(err, EX_DATAERR, "invalid cycle number %d",
		    number);
	if (starts_on == DATE_NONE)
		return error_set(err, EX_DATAERR,
		    "cycle %d has no start date", number);
	ends_on = date_add_duration(starts_on, c->length, 1);
	if (ends_on == DATE_NONE || ends_on <= starts_on)
		return error_set(err, EX_DATAERR,
		    "cycle %d starting on %s ends past year 9999", number,
		    date_format(starts_on, b1));
	/* "N days before end": before the last day, which is ends_on - 1 */
	opens = date_add_duration(ends_on - 1, c->reup_opens, -1);
	closes = date_add_duration(ends_on - 1, c->reup_closes, -1);
	if (opens == DATE_NONE || closes == DATE_NONE)
		return error_set(err, EX_DATAERR,
		    "cycle %d: re-up window falls outside years 1..9999",
		    number);
	/*
	 * Clamp rather than refuse: month-based cycles vary in length, and a
	 * setting that fits a 31-day month must not break the February cycle
	 * the coordinator starts months later.
	 */
	if (closes > ends_on - 1)
		closes = ends_on - 1;
	if (opens > ends_on - 1)
		opens = ends_on - 1;
	if (opens < starts_on)
		opens = starts_on;
	if (closes < starts_on)
		closes = starts_on;
	if (opens > closes)
		return error_set(err, EX_DATAERR,
		    "cycle %d: the re-up window would open on %s, after it "
		    "closes on %s (opens must be further before the end than "
		    "closes)", number, date_format(opens, b1),
		    date_format(closes, b2));
	out->number = number;
	out->starts_on = starts_on;
	out->ends_on = ends_on;
	out->reup_opens_on = opens;
	out->reup_closes_on = closes;
	return 0;
}

int
cycle_next(const struct program_cycle *c, const struct cycle_dates *prev,
    struct cycle_dates *out, struct error *err)
{
	return cycle_dates(c, prev->number + 1, prev->ends_on, out, err);
}

int
cycle_nth(const struct program_cycle *c, int first_start, int number,
    struct cycle_dates *out, struct error *err)
{
	struct cycle_dates cd;
	int k;

	if (number < 1)
		return error_set(err, EX_DATAERR, "invalid cycle number %d",
		    number);
	if (cycle_dates(c, 1, first_start, &cd, err) == -1)
		return -1;
	/* Chained, not multiplied: each cycle starts where the last ended. */
	for (k = 2; k <= number; k++)
		if (cycle_next(c, &cd, &cd, err) == -1)
			return -1;
	*out = cd;
	return 0;
}

int
cycle_last_day(const struct cycle_dates *cd)
{
	return cd->ends_on == DATE_NONE ? DATE_NONE : cd->ends_on - 1;
}

bool
cycle_contains(const struct cycle_dates *cd, int day)
{
	return day != DATE_NONE && day >= cd->starts_on && day < cd->ends_on;
}

enum cycle_window
cycle_window_at(const struct cycle_dates *cd, int day)
{
	if (day < cd->reup_opens_on)
		return CYCLE_WINDOW_BEFORE;
	if (day > cd->reup_closes_on)
		return CYCLE_WINDOW_CLOSED;
	return CYCLE_WINDOW_OPEN;
}

bool
cycle_reup_open(const struct cycle_dates *cd, int day)
{
	return day != DATE_NONE &&
	    cycle_window_at(cd, day) == CYCLE_WINDOW_OPEN;
}

static bool
cycle_says_yes(enum cycle_answer a, enum reup_default def)
{
	switch (a) {
	case CYCLE_ANSWER_YES:
		return true;
	case CYCLE_ANSWER_NO:
		return false;
	case CYCLE_ANSWER_NONE:
		break;
	}
	return def == REUP_DEFAULT_CONTINUE;
}

enum cycle_outcome
cycle_reup_outcome(enum cycle_answer mentor, enum cycle_answer mentee,
    enum reup_default def)
{
	enum cycle_answer v[2];

	v[0] = mentor;
	v[1] = mentee;
	return cycle_reup_outcome_n(v, 2, def);
}

enum cycle_outcome
cycle_reup_outcome_n(const enum cycle_answer *answers, int n,
    enum reup_default def)
{
	int i;

	if (n <= 0)
		return def == REUP_DEFAULT_CONTINUE ? CYCLE_OUTCOME_CONTINUE :
		    CYCLE_OUTCOME_EXIT;
	for (i = 0; i < n; i++)
		if (!cycle_says_yes(answers[i], def))
			return CYCLE_OUTCOME_EXIT;
	return CYCLE_OUTCOME_CONTINUE;
}

int
cycle_answer_parse(const char *s)
{
	if (s == NULL)
		return -1;
	if (strcmp(s, "yes") == 0)
		return CYCLE_ANSWER_YES;
	if (strcmp(s, "no") == 0)
		return CYCLE_ANSWER_NO;
	return -1;
}

const char *
cycle_answer_name(enum cycle_answer a)
{
	switch (a) {
	case CYCLE_ANSWER_NONE:
		return "none";
	case CYCLE_ANSWER_YES:
		return "yes";
	case CYCLE_ANSWER_NO:
		return "no";
	}
	return "?";
}

const char *
cycle_outcome_name(enum cycle_outcome o)
{
	switch (o) {
	case CYCLE_OUTCOME_CONTINUE:
		return "continued";
	case CYCLE_OUTCOME_EXIT:
		return "exited";
	}
	return "?";
}
