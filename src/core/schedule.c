#include "core/schedule.h"

#include <limits.h>
#include <stdlib.h>

#include "util/xmalloc.h"

/* base + k * every, from the base each time: month steps do not drift. */
static int
sched_step(int base, struct duration every, long long k)
{
	struct duration d;
	long long n = (long long)every.n * k;

	if (n < 0 || n > INT_MAX)
		return DATE_NONE;
	d.n = (int)n;
	d.unit = every.unit;
	return date_add_duration(base, d, 1);
}

static bool
sched_step_after(int base, struct duration every, long long k, int limit)
{
	int d = sched_step(base, every, k);

	/* Past year 9999 is after any limit. */
	return d == DATE_NONE || d > limit;
}

/*
 * The number of k >= 1 with base + k * every <= limit.  Day and week steps
 * divide; month steps estimate from the month difference and then correct by
 * a step or two, because clamping at month ends makes the step's day of month
 * vary.  Either way the cost does not grow with the count, which matters to
 * `remind` and `report` over years of unmet check-ins.
 */
static int
sched_steps_through(int base, struct duration every, int limit)
{
	long long span, months, k;
	int y1, m1, d1, y2, m2, d2;

	if (every.n <= 0 || base == DATE_NONE || limit == DATE_NONE ||
	    limit < base)
		return 0;
	switch (every.unit) {
	case DATE_UNIT_DAY:
		span = every.n;
		break;
	case DATE_UNIT_WEEK:
		span = 7LL * every.n;
		break;
	case DATE_UNIT_MONTH:
	case DATE_UNIT_YEAR:
	default:
		span = 0;
		break;
	}
	if (span > 0) {
		k = ((long long)limit - base) / span;
		return k > INT_MAX ? INT_MAX : (int)k;
	}
	months = every.unit == DATE_UNIT_YEAR ? 12LL * every.n : every.n;
	date_to_ymd(base, &y1, &m1, &d1);
	date_to_ymd(limit, &y2, &m2, &d2);
	k = ((long long)y2 * 12 + m2 - ((long long)y1 * 12 + m1)) / months;
	while (k > 0 && sched_step_after(base, every, k, limit))
		k--;
	while (!sched_step_after(base, every, k + 1, limit))
		k++;
	return k > INT_MAX ? INT_MAX : (int)k;
}

int
sched_status(const struct program_checkins *ck, int anchor,
    const int *meetings, size_t nmeetings, int today,
    struct sched_status *out, struct error *err)
{
	struct sched_status st;
	size_t i;
	int d;

	if (!ck->present || ck->every.n <= 0)
		return error_set(err, EX_DATAERR,
		    "the programme has no check-in interval (checkins.every)");
	if (anchor == DATE_NONE)
		return error_set(err, EX_DATAERR,
		    "the pairing has no activation date");
	if (today == DATE_NONE)
		return error_set(err, EX_DATAERR, "no date for today");

	st.held = 0;
	st.last_meeting = DATE_NONE;
	for (i = 0; i < nmeetings; i++) {
		if (meetings[i] == DATE_NONE)
			continue;
		st.held++;
		if (st.last_meeting == DATE_NONE ||
		    meetings[i] > st.last_meeting)
			st.last_meeting = meetings[i];
	}
	st.next_number = st.held + 1;
	st.base = anchor;
	if (st.last_meeting != DATE_NONE && st.last_meeting > anchor)
		st.base = st.last_meeting;

	st.due_on = sched_step(st.base, ck->every, 1);
	if (st.due_on == DATE_NONE)
		return error_set(err, EX_DATAERR,
		    "the next check-in falls past year 9999");
	st.remind_from = date_add_duration(st.due_on, ck->remind_before, -1);
	if (st.remind_from == DATE_NONE)
		st.remind_from = st.due_on;
	d = date_add_duration(st.due_on, ck->overdue_after, 1);
	st.overdue_from = d == DATE_NONE ? INT_MAX : d + 1;
	st.stalled_on = ck->stalled_after > 0 ?
	    sched_step(st.base, ck->every, ck->stalled_after) : DATE_NONE;

	st.missed = today > st.base ?
	    sched_steps_through(st.base, ck->every, today - 1) : 0;
	st.stalled = ck->stalled_after > 0 && st.missed >= ck->stalled_after;
	st.due_soon = today >= st.remind_from;
	st.overdue = today >= st.overdue_from;
	st.days_late = today > st.due_on ? today - st.due_on : 0;
	if (st.stalled)
		st.state = SCHED_STALLED;
	else if (st.overdue)
		st.state = SCHED_OVERDUE;
	else if (st.due_soon)
		st.state = SCHED_DUE;
	else
		st.state = SCHED_OK;
	st.prompt = sched_prompt(ck, st.next_number);
	*out = st;
	return 0;
}

/* The first k >= 1 with base + k * every >= day. */
static long long
sched_first_step(int base, struct duration every, int day)
{
	return 1 + (day > base ? sched_steps_through(base, every, day - 1) : 0);
}

size_t
sched_upcoming(const struct program_checkins *ck,
    const struct sched_status *st, int today, int from, int to,
    struct sched_slot **out)
{
	struct sched_slot *v = NULL;
	size_t n = 0, cap = 0;
	long long k, k0;
	int d;

	*out = NULL;
	if (!ck->present || ck->every.n <= 0 || st->base == DATE_NONE ||
	    today == DATE_NONE || from == DATE_NONE || to == DATE_NONE)
		return 0;
	if (from < today)
		from = today;
	if (to < from)
		return 0;
	/* numbered from today's first slot, whatever from is */
	k0 = sched_first_step(st->base, ck->every, today);
	k = sched_first_step(st->base, ck->every, from);
	for (;; k++) {
		d = sched_step(st->base, ck->every, k);
		if (d == DATE_NONE || d > to)
			break;
		XGROW(v, n + 1, cap);
		v[n].number = st->next_number + (int)(k - k0);
		v[n].due_on = d;
		v[n].prompt = sched_prompt(ck, v[n].number);
		n++;
	}
	*out = v;
	return n;
}

int
sched_anchor(int activated_on, int cycle_starts_on)
{
	if (activated_on == DATE_NONE)
		return DATE_NONE;
	if (cycle_starts_on != DATE_NONE && cycle_starts_on > activated_on)
		return cycle_starts_on;
	return activated_on;
}

int
sched_due_count(struct duration every, int anchor, int end)
{
	return sched_steps_through(anchor, every, end);
}

const char *
sched_prompt(const struct program_checkins *ck, int number)
{
	if (number < 1 || (size_t)number > ck->nprompts)
		return NULL;
	return ck->prompts[number - 1];
}

const char *
sched_state_name(enum sched_state s)
{
	switch (s) {
	case SCHED_OK:
		return "ok";
	case SCHED_DUE:
		return "due";
	case SCHED_OVERDUE:
		return "overdue";
	case SCHED_STALLED:
		return "stalled";
	}
	return "?";
}
