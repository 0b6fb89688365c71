#include "core/metrics.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/rounds.h"
#include "core/schedule.h"
#include "util/strbuf.h"
#include "util/xmalloc.h"

static struct metrics_report *metrics_compute_parts(const struct program *p,
    const struct metrics_input *in, unsigned parts);
static struct metrics_report *metrics_view_at(const struct program *p,
    const struct metrics_input *in, int day, unsigned parts);
static unsigned metrics_parts_of(const char *metric);

/* Rates and means are compared with targets read from YAML as decimals. */
#define METRICS_EPSILON 1e-9

void
metrics_input_free(struct metrics_input *in)
{
	size_t i;

	if (in == NULL)
		return;
	for (i = 0; i < in->ndepts; i++)
		free(in->depts[i]);
	free(in->depts);
	for (i = 0; i < in->nenr; i++) {
		free(in->enr[i].email);
		free(in->enr[i].name);
	}
	free(in->enr);
	for (i = 0; i < in->npairs; i++)
		free(in->pairs[i].end_reason);
	free(in->pairs);
	free(in->cycles);
	free(in->pcycles);
	for (i = 0; i < in->nfb; i++)
		free(in->fb[i].comment);
	free(in->fb);
	free(in->months);
	for (i = 0; i < in->ntrainings; i++)
		free(in->trainings[i].name);
	free(in->trainings);
	free(in->flash);
	free(in->checkpoints);
	free(in->held);
	free(in);
}

long
metrics_find_enrollment(const struct metrics_input *in, long long id)
{
	size_t lo = 0, hi = in->nenr;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (in->enr[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < in->nenr && in->enr[lo].id == id ? (long)lo : -1;
}

long
metrics_find_pairing(const struct metrics_input *in, long long id)
{
	size_t lo = 0, hi = in->npairs;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (in->pairs[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < in->npairs && in->pairs[lo].id == id ? (long)lo : -1;
}

long
metrics_find_cycle(const struct metrics_input *in, long long id)
{
	size_t i;

	/* A programme has a handful of cycles. */
	for (i = 0; i < in->ncycles; i++)
		if (in->cycles[i].id == id)
			return (long)i;
	return -1;
}

struct metrics_value
metrics_ratio(long long num, long long den)
{
	struct metrics_value v = { METRICS_NA, 0, num, den };

	if (den != 0) {
		v.state = METRICS_OK;
		v.v = (double)num / (double)den;
	}
	return v;
}

static int
metrics_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

struct metrics_value
metrics_median(double *v, size_t n)
{
	struct metrics_value m = { METRICS_NA, 0, (long long)n, 0 };

	if (n == 0)
		return m;
	xqsort(v, n, sizeof *v, metrics_cmp_double);
	m.state = METRICS_OK;
	m.v = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
	return m;
}

bool
metrics_k_visible(long long n)
{
	return n >= METRICS_K_MIN;
}

struct metrics_value
metrics_mean_k(long long sum, long long n)
{
	struct metrics_value m = { METRICS_HIDDEN, 0, n, 0 };

	/* Not even the sum leaves: a hidden mean times n would give it back. */
	if (metrics_k_visible(n)) {
		m.state = METRICS_OK;
		m.v = (double)sum / (double)n;
		m.num = sum;
		m.den = n;
	}
	return m;
}

void
metrics_k_suppress(const long long *n, bool *hide, size_t count)
{
	long long hidden = 0;
	size_t i, pick;

	for (i = 0; i < count; i++) {
		hide[i] = !metrics_k_visible(n[i]);
		if (hide[i])
			hidden += n[i];
	}
	while (hidden > 0 && !metrics_k_visible(hidden)) {
		pick = count;
		for (i = 0; i < count; i++)
			if (!hide[i] && (pick == count || n[i] < n[pick]))
				pick = i;
		if (pick == count)
			break;
		hide[pick] = true;
		hidden += n[pick];
	}
}

bool
metrics_checkin_window(const struct metrics_pairing *p, int as_of, int *from,
    int *to)
{
	if (p->activated_on == DATE_NONE || p->activated_on > as_of)
		return false;
	*from = sched_anchor(p->activated_on, p->first_cycle_start);
	*to = p->ended_on != DATE_NONE && p->ended_on <= as_of ? p->ended_on :
	    as_of;
	return true;
}

enum metrics_pstate
metrics_pairing_state(const struct metrics_pairing *p, int as_of)
{
	if (p->activated_on != DATE_NONE) {
		if (p->activated_on > as_of)
			return METRICS_P_PROPOSED;
		if (p->ended_on != DATE_NONE && p->ended_on <= as_of)
			return METRICS_P_ENDED;
		return METRICS_P_ACTIVE;
	}
	if (p->declined_on != DATE_NONE)
		return p->declined_on <= as_of ? METRICS_P_DECLINED :
		    METRICS_P_PROPOSED;
	if (p->status == PAIRING_DECLINED)
		return METRICS_P_DECLINED;
	if (p->status == PAIRING_EXPIRED)
		return p->expires_on == DATE_NONE || p->expires_on <= as_of ?
		    METRICS_P_EXPIRED : METRICS_P_PROPOSED;
	return METRICS_P_PROPOSED;
}

bool
metrics_withdrawn(const struct metrics_enrollment *e, int as_of)
{
	if (e->withdrawn_on != DATE_NONE)
		return e->withdrawn_on <= as_of;
	return e->status == ENROLLMENT_WITHDRAWN;
}

/* The day an enrollment became eligible, as far as the data tells. */
static int
metrics_eligible_day(const struct metrics_enrollment *e)
{
	if (e->eligible_on != DATE_NONE)
		return e->eligible_on;
	if (e->status == ENROLLMENT_ELIGIBLE || e->status == ENROLLMENT_ACTIVE)
		return e->enrolled_on;
	return DATE_NONE;
}

/* The latest cycle started on or before day, or -1. */
static long
metrics_current_cycle(const struct metrics_input *in, int day)
{
	long best = -1;
	size_t i;

	for (i = 0; i < in->ncycles; i++)
		if (in->cycles[i].starts_on <= day && (best < 0 ||
		    in->cycles[i].starts_on > in->cycles[best].starts_on))
			best = (long)i;
	return best;
}

int
metrics_first_cycle_start(const struct metrics_input *in, int day)
{
	int best = DATE_NONE;
	size_t i;

	for (i = 0; i < in->ncycles; i++)
		if (in->cycles[i].ends_on > day && (best == DATE_NONE ||
		    in->cycles[i].starts_on < best))
			best = in->cycles[i].starts_on;
	return best;
}

int
metrics_anchor(const struct metrics_input *in, const struct metrics_pairing *p,
    int as_of)
{
	long c = metrics_current_cycle(in, as_of);

	return sched_anchor(p->activated_on, c >= 0 ?
	    in->cycles[c].starts_on : DATE_NONE);
}

bool
metrics_lower_is_better(const char *metric)
{
	static const char *const lower[] = {
		"days_to_match", "days_to_first_meeting", "stalled_rate",
		"early_closure_rate", NULL,
	};
	size_t i;

	for (i = 0; metric && lower[i]; i++)
		if (strcmp(lower[i], metric) == 0)
			return true;
	return false;
}

/* ---- computing ---- */

/* What a pass over the pairings learns about each enrollment. */
struct metrics_enr_facts {
	int first_activation;
	bool active;
};

static void
metrics_count_pairings(struct metrics_report *r, const struct metrics_input *in,
    struct metrics_enr_facts *ef)
{
	size_t i;

	for (i = 0; i < in->nenr; i++)
		ef[i].first_activation = DATE_NONE;
	for (i = 0; i < in->npairs; i++) {
		const struct metrics_pairing *p = &in->pairs[i];
		size_t side[2] = { p->mentor, p->mentee };
		int k;

		if (p->proposed_on > r->as_of)
			continue;
		switch (metrics_pairing_state(p, r->as_of)) {
		case METRICS_P_PROPOSED:
			r->proposed++;
			continue;
		case METRICS_P_DECLINED:
			r->declined++;
			continue;
		case METRICS_P_EXPIRED:
			r->expired++;
			continue;
		case METRICS_P_ACTIVE:
			r->active++;
			break;
		case METRICS_P_ENDED:
			r->ended++;
			break;
		}
		r->activated++;
		for (k = 0; k < 2; k++) {
			struct metrics_enr_facts *f = &ef[side[k]];

			if (f->first_activation == DATE_NONE ||
			    p->activated_on < f->first_activation)
				f->first_activation = p->activated_on;
			if (p->ended_on == DATE_NONE || p->ended_on > r->as_of)
				f->active = true;
		}
	}
}

static void
metrics_funnel_add(struct metrics_funnel *f, const struct metrics_enrollment *e,
    const struct metrics_enr_facts *ef, int as_of)
{
	int ed = metrics_eligible_day(e);
	bool matched = ef->first_activation != DATE_NONE;

	f->enrolled++;
	if (matched || (ed != DATE_NONE && ed <= as_of))
		f->eligible++;
	if (matched)
		f->matched++;
	if (ef->active)
		f->active++;
	else if (matched)
		f->ended++;
	if (metrics_withdrawn(e, as_of))
		f->withdrawn++;
}

static void
metrics_funnel(struct metrics_report *r, const struct metrics_input *in,
    const struct metrics_enr_facts *ef)
{
	/* Mentees first: they are who the programme is for. */
	static const enum program_role roles[2] = { ROLE_MENTEE, ROLE_MENTOR };
	size_t per = in->ndepts + 1, n = 0, i, k;
	struct metrics_funnel *all;

	all = xcalloc(2 * (per + 1), sizeof *all);
	for (k = 0; k < 2; k++) {
		all[k].role = roles[k];
		all[k].dept = METRICS_DEPT_ALL;
		for (i = 0; i < per; i++) {
			struct metrics_funnel *f = &all[2 + k * per + i];

			f->role = roles[k];
			/* Named departments in order, then "none". */
			f->dept = i < in->ndepts ? (int)i : -1;
		}
	}
	for (i = 0; i < in->nenr; i++) {
		const struct metrics_enrollment *e = &in->enr[i];
		size_t rk = e->role == ROLE_MENTEE ? 0 : 1;
		size_t di = e->dept >= 0 ? (size_t)e->dept : in->ndepts;

		if (e->enrolled_on > r->as_of)
			continue;
		metrics_funnel_add(&all[rk], e, &ef[i], r->as_of);
		metrics_funnel_add(&all[2 + rk * per + di], e, &ef[i], r->as_of);
	}
	for (i = 0; i < 2 * (per + 1); i++)
		if (i < 2 || all[i].enrolled > 0)
			all[n++] = all[i];
	r->funnel = all;
	r->nfunnel = n;
}

static void
metrics_mentees(struct metrics_report *r, const struct metrics_input *in,
    const struct metrics_enr_facts *ef)
{
	long long elig = 0, matched = 0, mentees = 0, stayed = 0;
	double *days = xcalloc(in->nenr + 1, sizeof *days);
	size_t nd = 0, i;

	for (i = 0; i < in->nenr; i++) {
		const struct metrics_enrollment *e = &in->enr[i];
		int ed = metrics_eligible_day(e);
		bool m = ef[i].first_activation != DATE_NONE;
		bool w = metrics_withdrawn(e, r->as_of);

		if (e->role != ROLE_MENTEE || e->enrolled_on > r->as_of)
			continue;
		mentees++;
		if (!w)
			stayed++;
		if (m)
			days[nd++] = (double)ef[i].first_activation -
			    e->enrolled_on;
		if (!m && (ed == DATE_NONE || ed > r->as_of || w))
			continue;
		elig++;
		if (m)
			matched++;
	}
	r->match_rate = metrics_ratio(matched, elig);
	r->days_to_match = metrics_median(days, nd);
	r->retention = metrics_ratio(stayed, mentees);
	free(days);
}

static void
metrics_flag(struct metrics_report *r, const struct program *p,
    const struct metrics_input *in, size_t i, size_t *cap)
{
	const struct metrics_pairing *pr = &in->pairs[i];
	struct error err = ERROR_INIT;
	struct sched_status st;
	int anchor = metrics_anchor(in, pr, r->as_of);

	if (sched_status(&p->checkins, anchor, &pr->last_held,
	    pr->last_held != DATE_NONE ? 1 : 0, r->as_of, &st, &err) != 0) {
		/* Only dates past year 9999 get here: nothing to flag. */
		error_clear(&err);
		return;
	}
	if (st.stalled)
		r->stalled++;
	if (st.overdue)
		r->overdue++;
	if (!st.stalled && !st.overdue)
		return;
	XGROW(r->flagged, r->nflagged + 1, *cap);
	r->flagged[r->nflagged].pairing = i;
	r->flagged[r->nflagged].due_on = st.due_on;
	r->flagged[r->nflagged].last_met = pr->last_held;
	r->flagged[r->nflagged].days_late = st.days_late;
	r->flagged[r->nflagged].missed = st.missed;
	r->flagged[r->nflagged].stalled = st.stalled;
	r->nflagged++;
}

static void
metrics_checkins(struct metrics_report *r, const struct program *p,
    const struct metrics_input *in)
{
	double *days = xcalloc(in->npairs + 1, sizeof *days);
	long long held = 0, due = 0;
	size_t nd = 0, cap = 0, i;
	int from, to;

	r->checkins_configured = p->checkins.present && p->checkins.every.n > 0;
	for (i = 0; i < in->npairs; i++) {
		const struct metrics_pairing *pr = &in->pairs[i];
		long long d;

		if (!metrics_checkin_window(pr, r->as_of, &from, &to))
			continue;
		r->checkins += pr->held;
		if (pr->first_held != DATE_NONE)
			days[nd++] = (double)pr->first_held - from;
		if (!r->checkins_configured)
			continue;
		d = sched_due_count(p->checkins.every, from, to);
		due += d;
		held += pr->held < d ? pr->held : d;
		if (metrics_pairing_state(pr, r->as_of) == METRICS_P_ACTIVE)
			metrics_flag(r, p, in, i, &cap);
	}
	r->days_to_first_meeting = metrics_median(days, nd);
	if (r->checkins_configured) {
		r->checkin_adherence = metrics_ratio(held, due);
		r->stalled_rate = metrics_ratio(r->stalled, r->active);
	} else {
		r->checkin_adherence = metrics_ratio(0, 0);
		r->stalled_rate = metrics_ratio(0, 0);
	}
	free(days);
}

static void
metrics_months(struct metrics_report *r, const struct metrics_input *in)
{
	int y, m, d, ey, em, n, k;
	size_t j = 0;

	if (in->nmonths == 0)
		return;
	date_to_ymd(r->as_of, &ey, &em, &d);
	y = in->months[0].year;
	m = in->months[0].month;
	n = (ey - y) * 12 + (em - m) + 1;
	if (n <= 0)
		return;
	r->months = xcalloc((size_t)n, sizeof *r->months);
	for (k = 0; k < n; k++) {
		r->months[k].year = y;
		r->months[k].month = m;
		while (j < in->nmonths && (in->months[j].year < y ||
		    (in->months[j].year == y && in->months[j].month < m)))
			j++;
		if (j < in->nmonths && in->months[j].year == y &&
		    in->months[j].month == m)
			r->months[k].n = in->months[j].n;
		if (++m > 12) {
			m = 1;
			y++;
		}
	}
	r->nmonths = (size_t)n;
}

static void
metrics_reups(struct metrics_report *r, const struct metrics_input *in)
{
	long long all_reached = 0, all_cont = 0;
	size_t c, i;

	r->reups = xcalloc(in->ncycles + 1, sizeof *r->reups);
	for (c = 0; c < in->ncycles; c++) {
		const struct metrics_cycle *cy = &in->cycles[c];
		long long reached = 0, cont = 0;

		/* Decisions count from their day: `cycle close` may come early. */
		for (i = 0; i < in->npcycles; i++) {
			const struct metrics_pcycle *pc = &in->pcycles[i];
			int decided = pc->decided_on != DATE_NONE ?
			    pc->decided_on : cy->ends_on;

			if (pc->cycle != c || decided > r->as_of)
				continue;
			if (pc->outcome == METRICS_OUT_CONTINUED)
				cont++;
			else if (pc->outcome != METRICS_OUT_EXITED)
				continue;
			reached++;
		}
		if (reached == 0 && cy->ends_on > r->as_of)
			continue;
		r->reups[r->nreups].cycle = c;
		r->reups[r->nreups].rate = metrics_ratio(cont, reached);
		r->nreups++;
		all_reached += reached;
		all_cont += cont;
	}
	r->reup_rate = metrics_ratio(all_cont, all_reached);
}

static void
metrics_consider_cycle(const struct metrics_input *in, long c, int day,
    long *best)
{
	if (c < 0 || in->cycles[c].starts_on > day)
		return;
	if (*best < 0 || in->cycles[c].number > in->cycles[*best].number)
		*best = c;
}

static long
metrics_cycle_by_number(const struct metrics_input *in, int number)
{
	size_t i;

	for (i = 0; i < in->ncycles; i++)
		if (in->cycles[i].number == number)
			return (long)i;
	return -1;
}

/*
 * Whether an ended pairing closed early: before the end of the latest of its
 * cycles that had started by its end (its first cycle, those pairing_cycle
 * records, and the one after each it continued from), unless that end was
 * the re-up decision of that very cycle.
 */
static bool
metrics_closed_early(const struct metrics_input *in, size_t pi,
    const size_t *pc_from)
{
	const struct metrics_pairing *p = &in->pairs[pi];
	long best = -1;
	size_t k;

	metrics_consider_cycle(in, p->cycle, p->ended_on, &best);
	for (k = pc_from[pi]; k < pc_from[pi + 1]; k++) {
		const struct metrics_pcycle *pc = &in->pcycles[k];

		metrics_consider_cycle(in, (long)pc->cycle, p->ended_on, &best);
		if (pc->outcome == METRICS_OUT_CONTINUED)
			metrics_consider_cycle(in, metrics_cycle_by_number(in,
			    in->cycles[pc->cycle].number + 1), p->ended_on,
			    &best);
	}
	if (best < 0) {
		for (k = 0; k < in->ncycles; k++)
			if (in->cycles[k].starts_on <= p->ended_on &&
			    p->ended_on < in->cycles[k].ends_on)
				best = (long)k;
	}
	if (best < 0 || p->ended_on >= in->cycles[best].ends_on)
		return false;
	for (k = pc_from[pi]; k < pc_from[pi + 1]; k++) {
		const struct metrics_pcycle *pc = &in->pcycles[k];

		if ((long)pc->cycle == best &&
		    (pc->outcome == METRICS_OUT_CONTINUED ||
		    pc->outcome == METRICS_OUT_EXITED))
			return false;
	}
	return true;
}

static int
metrics_cmp_reason(const void *a, const void *b)
{
	const char *x = *(const char *const *)a, *y = *(const char *const *)b;

	/* Pairings ended without a reason go last. */
	if (x == NULL || y == NULL)
		return (x == NULL) - (y == NULL);
	return strcmp(x, y);
}

static int
metrics_cmp_reason_count(const void *a, const void *b)
{
	const struct metrics_reason *x = a, *y = b;

	if (x->n != y->n)
		return x->n < y->n ? 1 : -1;
	return metrics_cmp_reason(&x->reason, &y->reason);
}

static void
metrics_closures(struct metrics_report *r, const struct metrics_input *in)
{
	size_t *pc_from = xcalloc(in->npairs + 1, sizeof *pc_from);
	const char **reasons = xcalloc(in->npairs + 1, sizeof *reasons);
	size_t nr = 0, i, k;

	/* pcycles are sorted by pairing: pc_from[i] is pairing i's first. */
	for (i = 0, k = 0; i <= in->npairs; i++) {
		while (k < in->npcycles && in->pcycles[k].pairing < i)
			k++;
		pc_from[i] = k;
	}
	for (i = 0; i < in->ncycles; i++)
		if (in->cycles[i].starts_on <= r->as_of)
			r->has_cycles = true;
	for (i = 0; i < in->npairs; i++) {
		const struct metrics_pairing *p = &in->pairs[i];

		if (metrics_pairing_state(p, r->as_of) != METRICS_P_ENDED)
			continue;
		if (metrics_closed_early(in, i, pc_from))
			r->early_closures++;
		reasons[nr++] = p->end_reason && p->end_reason[0] ?
		    p->end_reason : NULL;
	}
	r->early_closure_rate = r->has_cycles ?
	    metrics_ratio(r->early_closures, r->activated) : metrics_ratio(0, 0);
	xqsort(reasons, nr, sizeof *reasons, metrics_cmp_reason);
	r->reasons = xcalloc(nr + 1, sizeof *r->reasons);
	for (i = 0; i < nr; i++) {
		if (r->nreasons == 0 || metrics_cmp_reason(&reasons[i],
		    &r->reasons[r->nreasons - 1].reason) != 0) {
			r->reasons[r->nreasons].reason = reasons[i];
			r->nreasons++;
		}
		r->reasons[r->nreasons - 1].n++;
	}
	xqsort(r->reasons, r->nreasons, sizeof *r->reasons,
	    metrics_cmp_reason_count);
	free(reasons);
	free(pc_from);
}

/* The key of a response in a partition. */
static int
metrics_fb_key(const struct metrics_input *in, const struct metrics_feedback *f,
    enum metrics_fb_part part)
{
	long c;

	switch (part) {
	case METRICS_FB_ABOUT:
		return f->pairing < 0 ? 1 : 0;
	case METRICS_FB_ROLE:
		return (int)f->role;
	case METRICS_FB_DEPT:
		return f->dept;
	case METRICS_FB_CYCLE:
		c = metrics_current_cycle(in, f->given_on);
		return c < 0 ? 0 : in->cycles[c].number;
	}
	return 0;
}

struct metrics_fb_acc {
	int key;
	long long n;
	long long sum;
};

static int
metrics_cmp_fb_acc(const void *a, const void *b)
{
	const struct metrics_fb_acc *x = a, *y = b;

	/* Department -1 (none) and cycle 0 (none) sort last. */
	if ((x->key < 0 || y->key < 0) && x->key != y->key)
		return x->key < 0 ? 1 : -1;
	return (x->key > y->key) - (x->key < y->key);
}

/*
 * Feedback is published in frozen windows (issue 18.6): calendar months,
 * each closed on its last day; a closed month publishes what came in since
 * the last publication when that is at least METRICS_K_MIN responses, else
 * it carries over to the next.  What the report shows is drawn from the
 * published batches only, and each figure is a sum of cells that were
 * k-anonymous inside their batch (metrics_k_suppress per batch), so the
 * difference between any two report days, or between a group and the
 * total, is itself a published, k-anonymous cell.  Sets batch[i] for every
 * response (-1: not published yet) and returns the number of batches.
 */
static size_t
metrics_fb_batches(const struct metrics_input *in, int as_of, int *batch,
    int *pending_since, int *published_through)
{
	long first = -1, last, m, idx;
	long long *n;
	size_t i, nb = 0;
	int y, mo, d, end;

	*pending_since = DATE_NONE;
	*published_through = DATE_NONE;
	for (i = 0; i < in->nfb; i++) {
		batch[i] = -1;
		if (in->fb[i].given_on > as_of)
			continue;
		date_to_ymd(in->fb[i].given_on, &y, &mo, &d);
		idx = y * 12L + mo - 1;
		if (first < 0 || idx < first)
			first = idx;
	}
	if (first < 0)
		return 0;
	date_to_ymd(as_of, &y, &mo, &d);
	last = y * 12L + mo - 1;
	n = xcalloc((size_t)(last - first + 2), sizeof *n);
	for (i = 0; i < in->nfb; i++) {
		if (in->fb[i].given_on > as_of)
			continue;
		date_to_ymd(in->fb[i].given_on, &y, &mo, &d);
		n[y * 12L + mo - 1 - first]++;
	}
	/* Which month closes each batch: the first closed month with k waiting. */
	{
		long long waiting = 0;
		long *closes = xcalloc((size_t)(last - first + 2), sizeof *closes);

		for (m = first; m <= last; m++) {
			closes[m - first] = -1;
			waiting += n[m - first];
			end = date_from_ymd((int)((m + 1) / 12),
			    (int)((m + 1) % 12) + 1, 1) - 1;
			if (end > as_of || !metrics_k_visible(waiting))
				continue;
			closes[m - first] = (long)nb++;
			*published_through = end;
			waiting = 0;
		}
		for (i = 0; i < in->nfb; i++) {
			if (in->fb[i].given_on > as_of)
				continue;
			date_to_ymd(in->fb[i].given_on, &y, &mo, &d);
			for (m = y * 12L + mo - 1; m <= last &&
			    closes[m - first] < 0; m++)
				;
			batch[i] = m <= last ? (int)closes[m - first] : -1;
			if (batch[i] < 0 && (*pending_since == DATE_NONE ||
			    in->fb[i].given_on < *pending_since))
				*pending_since = in->fb[i].given_on;
		}
		free(closes);
	}
	free(n);
	return nb;
}

/*
 * One partition of the published responses (by role, department...): per
 * batch, the groups' cells with metrics_k_suppress; a group's figures are
 * the sum of its visible cells.  acc[] gets every group seen, n and sum of
 * the visible cells (n 0: hidden everywhere).
 */
static size_t
metrics_fb_cells(const struct metrics_input *in, const int *batch, size_t nb,
    int (*key)(const struct metrics_input *, const struct metrics_feedback *,
    int), int arg, struct metrics_fb_acc **accp)
{
	struct metrics_fb_acc *acc = NULL, *cell = NULL;
	size_t nacc = 0, acap = 0, ccap = 0, ncell, b, i, j, k;
	size_t *from = xcalloc(nb + 2, sizeof *from), *order;
	long long *counts = NULL;
	bool *hide = NULL;

	/* The responses of each batch together: one pass, not one per batch. */
	for (i = 0; i < in->nfb; i++)
		if (batch[i] >= 0)
			from[batch[i] + 1]++;
	for (b = 0; b < nb; b++)
		from[b + 1] += from[b];
	order = xcalloc(from[nb] + 1, sizeof *order);
	{
		size_t *at = xcalloc(nb + 1, sizeof *at);

		for (i = 0; i < in->nfb; i++)
			if (batch[i] >= 0)
				order[from[batch[i]] + at[batch[i]]++] = i;
		free(at);
	}
	for (b = 0; b < nb; b++) {
		ncell = 0;
		for (j = from[b]; j < from[b + 1]; j++) {
			int kv;

			i = order[j];
			kv = key(in, &in->fb[i], arg);
			for (k = 0; k < ncell && cell[k].key != kv; k++)
				;
			if (k == ncell) {
				XGROW(cell, ncell + 1, ccap);
				cell[ncell].key = kv;
				cell[ncell].n = cell[ncell].sum = 0;
				ncell++;
			}
			cell[k].n++;
			cell[k].sum += in->fb[i].rating;
		}
		counts = xreallocarray(counts, ncell + 1, sizeof *counts);
		hide = xreallocarray(hide, ncell + 1, sizeof *hide);
		for (k = 0; k < ncell; k++)
			counts[k] = cell[k].n;
		metrics_k_suppress(counts, hide, ncell);
		for (k = 0; k < ncell; k++) {
			for (i = 0; i < nacc && acc[i].key != cell[k].key; i++)
				;
			if (i == nacc) {
				XGROW(acc, nacc + 1, acap);
				acc[nacc].key = cell[k].key;
				acc[nacc].n = acc[nacc].sum = 0;
				nacc++;
			}
			if (!hide[k]) {
				acc[i].n += cell[k].n;
				acc[i].sum += cell[k].sum;
			}
		}
	}
	free(cell);
	free(counts);
	free(hide);
	free(order);
	free(from);
	*accp = acc;
	return nacc;
}

static int
metrics_fb_part_key(const struct metrics_input *in,
    const struct metrics_feedback *f, int part)
{
	int k = metrics_fb_key(in, f, (enum metrics_fb_part)part);

	/* Cycle 0 is "none": sort it last like a missing department. */
	return part == METRICS_FB_CYCLE && k == 0 ? -1 : k;
}

static int
metrics_fb_rating_key(const struct metrics_input *in,
    const struct metrics_feedback *f, int arg)
{
	(void)in;
	(void)arg;
	return f->rating;
}

static void
metrics_fb_partition(struct metrics_report *r, const struct metrics_input *in,
    const int *batch, size_t nb, enum metrics_fb_part part, size_t *cap)
{
	struct metrics_fb_acc *acc;
	size_t nacc, k;

	nacc = metrics_fb_cells(in, batch, nb, metrics_fb_part_key, (int)part,
	    &acc);
	xqsort(acc, nacc, sizeof *acc, metrics_cmp_fb_acc);
	for (k = 0; k < nacc; k++) {
		struct metrics_fb_group *g;

		XGROW(r->fbgroups, r->nfbgroups + 1, *cap);
		g = &r->fbgroups[r->nfbgroups++];
		g->part = part;
		g->key = part == METRICS_FB_CYCLE && acc[k].key < 0 ? 0 :
		    acc[k].key;
		if (acc[k].n == 0) {
			g->responses = metrics_mean_k(0, 0);
			g->mean = metrics_mean_k(0, 0);
		} else {
			g->responses = metrics_ratio(acc[k].n, 1);
			g->mean = metrics_mean_k(acc[k].sum, acc[k].n);
		}
	}
	free(acc);
}

static int
metrics_cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void
metrics_feedback(struct metrics_report *r, const struct metrics_input *in)
{
	struct metrics_fb_acc *acc;
	long long sum = 0, n = 0;
	int *batch = xcalloc(in->nfb + 1, sizeof *batch);
	size_t cap = 0, nb, nacc, i;

	nb = metrics_fb_batches(in, r->as_of, batch, &r->fb_pending_since,
	    &r->fb_published_through);
	r->comments = xcalloc(in->nfb + 1, sizeof *r->comments);
	for (i = 0; i < in->nfb; i++) {
		const struct metrics_feedback *f = &in->fb[i];

		if (batch[i] < 0)
			continue;
		n++;
		sum += f->rating;
		if (f->comment && f->comment[0])
			r->comments[r->ncomments++] = f->comment;
	}
	r->satisfaction = metrics_mean_k(sum, n);
	if (!metrics_k_visible(n)) {
		r->responses = metrics_mean_k(0, 0);
		r->ncomments = 0;
		free(batch);
		return;
	}
	r->responses = metrics_ratio(n, 1);
	/* Ratings: each batch's buckets under k hidden (issue 12.6). */
	nacc = metrics_fb_cells(in, batch, nb, metrics_fb_rating_key, 0, &acc);
	r->ratings_hidden = n;
	for (i = 0; i < nacc; i++) {
		if (acc[i].key >= 1 && acc[i].key <= 5)
			r->ratings[acc[i].key - 1] = acc[i].n;
		r->ratings_hidden -= acc[i].n;
	}
	free(acc);
	/* In text order, so that the order says nothing of who or when. */
	xqsort(r->comments, r->ncomments, sizeof *r->comments, metrics_cmp_str);
	metrics_fb_partition(r, in, batch, nb, METRICS_FB_ABOUT, &cap);
	metrics_fb_partition(r, in, batch, nb, METRICS_FB_ROLE, &cap);
	metrics_fb_partition(r, in, batch, nb, METRICS_FB_DEPT, &cap);
	metrics_fb_partition(r, in, batch, nb, METRICS_FB_CYCLE, &cap);
	free(batch);
}

/*
 * The flash session as of the report's day: seats in all and by round,
 * attendance once the session's day has come, and coverage of the
 * eligible mentees.
 */
static void
metrics_flash(struct metrics_report *r, const struct program *p,
    const struct metrics_input *in)
{
	int date = p->flash.date, cut, nrounds = 0;
	/* per enrollment: 1 seated, 2 a seat not recorded, 4 came */
	unsigned char *seen = xcalloc(in->nenr + 1, 1);
	long long elig = 0, came = 0;
	bool recorded = false;
	size_t i, k;

	r->flash_attendance = r->flash_coverage = metrics_ratio(0, 0);
	if (p->format != FORMAT_FLASH && in->nflash == 0) {
		free(seen);
		return;
	}
	r->flash_held = date == DATE_NONE || date <= r->as_of;
	cut = date != DATE_NONE && date < r->as_of ? date : r->as_of;
	for (i = 0; i < in->nflash; i++) {
		const struct metrics_flash_seat *s = &in->flash[i];

		if (r->flash_held && s->attended == 1)
			seen[s->mentee] |= 4;
		if (s->round > nrounds)
			nrounds = s->round;
	}
	r->flash = xcalloc((size_t)nrounds + 1, sizeof *r->flash);
	r->nflash = 1;
	for (i = 0; i < in->nflash; i++) {
		const struct metrics_flash_seat *s = &in->flash[i];
		int a = r->flash_held ? s->attended : -1;
		struct metrics_flash *f;

		if (s->round < 1 || (!(seen[s->mentee] & 4) &&
		    metrics_withdrawn(&in->enr[s->mentee], cut)))
			continue;
		for (k = 1; k < r->nflash && r->flash[k].round != s->round; k++)
			;
		if (k == r->nflash)
			r->flash[r->nflash++].round = s->round;
		f = &r->flash[k];
		f->seated++;
		if (a == 1)
			f->attended++;
		else if (a == 0)
			f->absent++;
		else
			f->unrecorded++;
		seen[s->mentee] |= (unsigned char)(1 | (a < 0 ? 2 : 0));
		if (a >= 0)
			recorded = true;
	}
	for (i = 0; i < in->nenr; i++) {
		const struct metrics_enrollment *e = &in->enr[i];
		int ed = metrics_eligible_day(e);
		bool c = (seen[i] & 4) != 0;

		if (seen[i] & 1) {
			r->flash[0].seated++;
			if (c)
				r->flash[0].attended++;
			else if (seen[i] & 2)
				r->flash[0].unrecorded++;
			else
				r->flash[0].absent++;
		}
		if (e->role != ROLE_MENTEE)
			continue;
		if (!c && (ed == DATE_NONE || ed > r->as_of ||
		    metrics_withdrawn(e, r->as_of)))
			continue;
		elig++;
		if (c)
			came++;
	}
	for (k = 0; k < r->nflash; k++) {
		struct metrics_flash *f = &r->flash[k];
		bool any = k == 0 ? recorded : f->attended + f->absent > 0;

		f->rate = metrics_ratio(f->attended, any ? f->seated : 0);
	}
	r->flash_attendance = r->flash[0].rate;
	r->flash_coverage = metrics_ratio(came, elig);
	free(seen);
}

/* Whether value v meets goal g's target. */
static bool
metrics_goal_meets(const struct program_goal *g, double v)
{
	if (metrics_lower_is_better(g->metric))
		return v <= g->target + METRICS_EPSILON;
	return v >= g->target - METRICS_EPSILON;
}

/*
 * A goal past its due date is judged on that day, from the figures as
 * they stood then (frozen: later events such as `cycle close` ending the
 * stalled pairs do not change it), met or not met.  Before its due date,
 * or without one, it is on track or at risk, never not met (issue 12.2).
 * Only the top-level report judges: its views of past days leave judging
 * alone.
 */
static void
metrics_goals(struct metrics_report *r, const struct program *p,
    const struct metrics_input *in)
{
	size_t i;

	/* one report per distinct due date, shared by the goals due then */
	struct metrics_report **then = xcalloc(p->ngoals + 1, sizeof *then);
	size_t k;

	r->goals = xcalloc(p->ngoals + 1, sizeof *r->goals);
	r->ngoals = p->ngoals;
	for (i = 0; i < p->ngoals; i++) {
		const struct program_goal *g = &p->goals[i];
		struct metrics_goal *mg = &r->goals[i];

		mg->goal = g;
		mg->value = metrics_get(r, g->metric);
		mg->judged_on = r->as_of;
		mg->past_due = g->due != DATE_NONE && g->due < r->as_of;
		if (mg->past_due && r->as_of == in->as_of) {
			for (k = 0; k < i && (then[k] == NULL ||
			    p->goals[k].due != g->due ||
			    metrics_parts_of(p->goals[k].metric) !=
			    metrics_parts_of(g->metric)); k++)
				;
			then[i] = k < i ? NULL : metrics_view_at(p, in, g->due,
			    metrics_parts_of(g->metric));
			if (k == i)
				k = i;
			if (then[k] != NULL) {
				mg->value = metrics_get(then[k], g->metric);
				mg->judged_on = g->due;
			}
		}
		if (g->metric == NULL || !g->has_target ||
		    mg->value.state != METRICS_OK)
			mg->status = METRICS_GOAL_NO_DATA;
		else if (mg->past_due)
			mg->status = metrics_goal_meets(g, mg->value.v) ?
			    METRICS_GOAL_MET : METRICS_GOAL_NOT_MET;
		else
			mg->status = metrics_goal_meets(g, mg->value.v) ?
			    METRICS_GOAL_ON_TRACK : METRICS_GOAL_AT_RISK;
	}
	for (i = 0; i < p->ngoals; i++)
		metrics_report_free(then[i]);
	free(then);
}

static struct metrics_report *
metrics_view_at(const struct program *p, const struct metrics_input *in,
    int day, unsigned parts)
{
	struct metrics_input view;
	struct metrics_report *r;
	size_t k, i, stride = 1 + in->ncheckpoints;

	if (day == in->as_of)
		return metrics_compute_parts(p, in, parts);
	for (k = 0; k < in->ncheckpoints && in->checkpoints[k] != day; k++)
		;
	if (k == in->ncheckpoints || in->held == NULL)
		return NULL;
	/* The same facts, the pairings' meetings as they stood that day. */
	view = *in;
	view.as_of = day;
	view.pairs = xcalloc(in->npairs + 1, sizeof *view.pairs);
	for (i = 0; i < in->npairs; i++) {
		const struct metrics_held *h = &in->held[i * stride + 1 + k];

		view.pairs[i] = in->pairs[i];
		view.pairs[i].held = h->held;
		view.pairs[i].first_held = h->first;
		view.pairs[i].last_held = h->last;
	}
	view.months = NULL;
	view.nmonths = 0;
	r = metrics_compute_parts(p, &view, parts);
	free(view.pairs);
	return r;
}

struct metrics_report *
metrics_compute_at(const struct program *p, const struct metrics_input *in,
    int day)
{
	return metrics_view_at(p, in, day, 0xff);
}

/*
 * Month ends from the first month with an enrollment up to the as-of day:
 * pairings active, match rate (as metrics_mentees counts it) and the
 * month's check-ins.  One pass per month over the enrollments and pairings.
 */
static void
metrics_trend(struct metrics_report *r, const struct metrics_input *in,
    const struct metrics_enr_facts *ef)
{
	int y, m, d, ey, em, first = DATE_NONE;
	long n, k;
	size_t i, j = 0;

	for (i = 0; i < in->nenr; i++)
		if (first == DATE_NONE || in->enr[i].enrolled_on < first)
			first = in->enr[i].enrolled_on;
	if (first == DATE_NONE || first > r->as_of)
		return;
	date_to_ymd(first, &y, &m, &d);
	date_to_ymd(r->as_of, &ey, &em, &d);
	n = (ey - y) * 12L + (em - m) + 1;
	if (n > METRICS_TREND_MONTHS) {
		k = n - METRICS_TREND_MONTHS;
		y += (int)((m - 1 + k) / 12);
		m = (int)((m - 1 + k) % 12) + 1;
		n = METRICS_TREND_MONTHS;
	}
	r->trend = xcalloc((size_t)n, sizeof *r->trend);
	for (k = 0; k < n; k++) {
		struct metrics_trend *t = &r->trend[k];
		long long elig = 0, matched = 0;
		int end;

		t->year = y;
		t->month = m;
		end = date_from_ymd(m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1, 1) -
		    1;
		t->day = end < r->as_of ? end : r->as_of;
		for (i = 0; i < in->npairs; i++) {
			const struct metrics_pairing *p = &in->pairs[i];

			if (p->activated_on != DATE_NONE &&
			    p->activated_on <= t->day && (p->ended_on ==
			    DATE_NONE || p->ended_on > t->day))
				t->active++;
		}
		for (i = 0; i < in->nenr; i++) {
			const struct metrics_enrollment *e = &in->enr[i];
			int ed = metrics_eligible_day(e);
			bool mt = ef[i].first_activation != DATE_NONE &&
			    ef[i].first_activation <= t->day;

			if (e->role != ROLE_MENTEE || e->enrolled_on > t->day)
				continue;
			if (!mt && (ed == DATE_NONE || ed > t->day ||
			    metrics_withdrawn(e, t->day)))
				continue;
			elig++;
			if (mt)
				matched++;
		}
		t->match_rate = metrics_ratio(matched, elig);
		for (; j < r->nmonths && (r->months[j].year < y ||
		    (r->months[j].year == y && r->months[j].month < m)); j++)
			;
		if (j < r->nmonths && r->months[j].year == y &&
		    r->months[j].month == m)
			t->checkins = r->months[j].n;
		if (++m > 12) {
			m = 1;
			y++;
		}
	}
	r->ntrend = (size_t)n;
}

/* The parts of a report; a goal's view computes only what its metric needs. */
enum metrics_part {
	METRICS_PART_MENTEES = 1 << 0,   /* match_rate, days_to_match, retention */
	METRICS_PART_CHECKINS = 1 << 1,  /* adherence, stalled, first meetings */
	METRICS_PART_REUPS = 1 << 2,
	METRICS_PART_CLOSURES = 1 << 3,
	METRICS_PART_FEEDBACK = 1 << 4,
	METRICS_PART_FLASH = 1 << 5,     /* flash_attendance, flash_coverage */
	METRICS_PART_ALL = 0xff,
};

static unsigned
metrics_parts_of(const char *metric)
{
	if (metric == NULL)
		return 0;
	if (strcmp(metric, "match_rate") == 0 ||
	    strcmp(metric, "days_to_match") == 0 ||
	    strcmp(metric, "retention") == 0)
		return METRICS_PART_MENTEES;
	if (strcmp(metric, "reup_rate") == 0)
		return METRICS_PART_REUPS;
	if (strcmp(metric, "early_closure_rate") == 0)
		return METRICS_PART_CLOSURES;
	if (strcmp(metric, "satisfaction") == 0)
		return METRICS_PART_FEEDBACK;
	if (strcmp(metric, "flash_attendance") == 0 ||
	    strcmp(metric, "flash_coverage") == 0)
		return METRICS_PART_FLASH;
	return METRICS_PART_CHECKINS;
}

static struct metrics_report *
metrics_compute_parts(const struct program *p, const struct metrics_input *in,
    unsigned parts)
{
	struct metrics_report *r = xcalloc(1, sizeof *r);
	struct metrics_enr_facts *ef = xcalloc(in->nenr + 1, sizeof *ef);

	r->as_of = in->as_of;
	metrics_count_pairings(r, in, ef);
	if (parts == METRICS_PART_ALL)
		metrics_funnel(r, in, ef);
	if (parts & METRICS_PART_MENTEES)
		metrics_mentees(r, in, ef);
	if (parts & METRICS_PART_CHECKINS)
		metrics_checkins(r, p, in);
	if (parts == METRICS_PART_ALL) {
		metrics_months(r, in);
		metrics_trend(r, in, ef);
	}
	if (parts & METRICS_PART_REUPS)
		metrics_reups(r, in);
	if (parts & METRICS_PART_CLOSURES)
		metrics_closures(r, in);
	if (parts & METRICS_PART_FEEDBACK)
		metrics_feedback(r, in);
	if (parts & METRICS_PART_FLASH)
		metrics_flash(r, p, in);
	if (parts == METRICS_PART_ALL)
		metrics_goals(r, p, in);
	free(ef);
	return r;
}

struct metrics_report *
metrics_compute(const struct program *p, const struct metrics_input *in)
{
	return metrics_compute_parts(p, in, METRICS_PART_ALL);
}

void
metrics_report_free(struct metrics_report *r)
{
	if (r == NULL)
		return;
	free(r->funnel);
	free(r->trend);
	free(r->months);
	free(r->flagged);
	free(r->reups);
	free(r->reasons);
	free(r->fbgroups);
	free(r->comments);
	free(r->flash);
	free(r->goals);
	free(r);
}

struct metrics_value
metrics_get(const struct metrics_report *r, const char *metric)
{
	static const struct {
		const char *name;
		size_t off;
	} tab[] = {
		{ "match_rate", offsetof(struct metrics_report, match_rate) },
		{ "days_to_match", offsetof(struct metrics_report, days_to_match) },
		{ "days_to_first_meeting",
		    offsetof(struct metrics_report, days_to_first_meeting) },
		{ "checkin_adherence",
		    offsetof(struct metrics_report, checkin_adherence) },
		{ "stalled_rate", offsetof(struct metrics_report, stalled_rate) },
		{ "reup_rate", offsetof(struct metrics_report, reup_rate) },
		{ "early_closure_rate",
		    offsetof(struct metrics_report, early_closure_rate) },
		{ "satisfaction", offsetof(struct metrics_report, satisfaction) },
		{ "retention", offsetof(struct metrics_report, retention) },
		{ "flash_attendance",
		    offsetof(struct metrics_report, flash_attendance) },
		{ "flash_coverage",
		    offsetof(struct metrics_report, flash_coverage) },
	};
	size_t i;

	for (i = 0; metric && i < sizeof tab / sizeof tab[0]; i++)
		if (strcmp(tab[i].name, metric) == 0)
			return *(const struct metrics_value *)(const void *)
			    ((const char *)r + tab[i].off);
	return metrics_ratio(0, 0);
}

/* ---- rows ---- */

const char *
metrics_role_name(enum program_role r)
{
	return r == ROLE_MENTOR ? "mentor" : "mentee";
}

const char *
metrics_goal_status_name(enum metrics_goal_status s)
{
	switch (s) {
	case METRICS_GOAL_MET:
		return "met";
	case METRICS_GOAL_NOT_MET:
		return "not met";
	case METRICS_GOAL_ON_TRACK:
		return "on track";
	case METRICS_GOAL_AT_RISK:
		return "at risk";
	case METRICS_GOAL_NO_DATA:
		return "no data";
	}
	return "?";
}

int
metrics_goal_status_parse(const char *s)
{
	static const enum metrics_goal_status all[] = {
		METRICS_GOAL_MET, METRICS_GOAL_NOT_MET, METRICS_GOAL_NO_DATA,
		METRICS_GOAL_ON_TRACK, METRICS_GOAL_AT_RISK,
	};
	size_t i;

	for (i = 0; s != NULL && i < sizeof all / sizeof all[0]; i++)
		if (strcmp(metrics_goal_status_name(all[i]), s) == 0)
			return (int)all[i];
	return -1;
}

static const char *
metrics_dept_name(const struct metrics_input *in, int dept)
{
	return dept >= 0 && (size_t)dept < in->ndepts ? in->depts[dept] :
	    "(none)";
}

char *
metrics_funnel_group(const struct metrics_funnel *f,
    const struct metrics_input *in)
{
	if (f->dept == METRICS_DEPT_ALL)
		return xasprintf("role=%s", metrics_role_name(f->role));
	return xasprintf("role=%s,department=%s", metrics_role_name(f->role),
	    metrics_dept_name(in, f->dept));
}

char *
metrics_fb_group_name(const struct metrics_fb_group *g,
    const struct metrics_input *in)
{
	switch (g->part) {
	case METRICS_FB_ABOUT:
		return xstrdup(g->key ? "about=programme" : "about=pairing");
	case METRICS_FB_ROLE:
		return xasprintf("role=%s",
		    metrics_role_name((enum program_role)g->key));
	case METRICS_FB_DEPT:
		return xasprintf("department=%s", metrics_dept_name(in, g->key));
	case METRICS_FB_CYCLE:
		if (g->key == 0)
			return xstrdup("cycle=(none)");
		return xasprintf("cycle=%d", g->key);
	}
	return xstrdup("?");
}

/* v with at most `places` decimals, trailing zeros dropped: "0.75", "3", "4.33". */
static char *
metrics_decimal(double v, int places, char *buf, size_t size)
{
	char *dot, *end;

	snprintf(buf, size, "%.*f", places, v);
	if ((dot = strchr(buf, '.')) != NULL) {
		end = buf + strlen(buf);
		while (end > dot + 1 && end[-1] == '0')
			*--end = '\0';
		if (end == dot + 1)
			*dot = '\0';
	}
	if (strcmp(buf, "-0") == 0)
		snprintf(buf, size, "0");
	return buf;
}

char *
metrics_number_text(double v, char *buf, size_t size)
{
	return metrics_decimal(v, 4, buf, size);
}

static const char *
metrics_format(enum metrics_kind kind, double v, bool humane, char *buf,
    size_t size)
{
	char num[METRICS_VALUE_BUFSZ];

	switch (kind) {
	case METRICS_RATE:
		if (humane)
			snprintf(buf, size, "%.1f%%", v * 100);
		else
			metrics_decimal(v, 4, buf, size);
		break;
	case METRICS_DAYS:
		metrics_decimal(v, 2, num, sizeof num);
		snprintf(buf, size, "%s%s", num, !humane ? "" :
		    strcmp(num, "1") == 0 ? " day" : " days");
		break;
	case METRICS_RATING:
		if (humane)
			snprintf(buf, size, "%.2f", v);
		else
			metrics_decimal(v, 4, buf, size);
		break;
	case METRICS_COUNT:
	case METRICS_TEXT:
	default:
		snprintf(buf, size, "%.0f", v);
		break;
	}
	return buf;
}

const char *
metrics_value_text(const struct metrics_row *row, bool humane, char *buf,
    size_t size, bool *numeric)
{
	*numeric = false;
	if (row->kind == METRICS_TEXT)
		return NULL;
	if (row->value.state == METRICS_NA)
		return humane ? "n/a" : NULL;
	if (row->value.state == METRICS_HIDDEN)
		return humane ? METRICS_HIDDEN_TEXT : NULL;
	*numeric = true;
	return metrics_format(row->kind, row->value.v, humane, buf, size);
}

const char *
metrics_target_text(const struct metrics_row *row, bool humane, char *buf,
    size_t size)
{
	if (!row->has_target)
		return NULL;
	return metrics_format(row->kind, row->target, humane, buf, size);
}

static struct metrics_row *
metrics_row_add(struct metrics_rows *rows, const char *section,
    const char *metric, char *group, enum metrics_kind kind,
    struct metrics_value v)
{
	struct metrics_row *row;

	XGROW(rows->v, rows->n + 1, rows->cap);
	row = &rows->v[rows->n++];
	memset(row, 0, sizeof *row);
	row->section = section;
	row->metric = metric;
	row->group = group ? group : xstrdup("all");
	row->kind = kind;
	row->value = v;
	row->due = DATE_NONE;
	row->status = v.state == METRICS_NA ? "n/a" :
	    v.state == METRICS_HIDDEN ? "hidden" : "";
	return row;
}

static void
metrics_row_count(struct metrics_rows *rows, const char *section,
    const char *metric, char *group, long long n)
{
	metrics_row_add(rows, section, metric, group, METRICS_COUNT,
	    metrics_ratio(n, 1));
}

/* A rate with "3 of 4" as its detail. */
static void
metrics_row_rate(struct metrics_rows *rows, const char *section,
    const char *metric, char *group, struct metrics_value v, const char *of)
{
	struct metrics_row *row;

	row = metrics_row_add(rows, section, metric, group, METRICS_RATE, v);
	row->detail = xasprintf("%lld of %lld%s%s", v.num, v.den, of ? " " : "",
	    of ? of : "");
}

static void
metrics_row_median(struct metrics_rows *rows, const char *section,
    const char *metric, struct metrics_value v, const char *one,
    const char *many)
{
	struct metrics_row *row;

	row = metrics_row_add(rows, section, metric, NULL, METRICS_DAYS, v);
	row->detail = xasprintf("median over %lld %s", v.num,
	    v.num == 1 ? one : many);
}

static enum metrics_kind
metrics_kind_of(const char *metric)
{
	if (metric == NULL)
		return METRICS_RATE;
	if (strncmp(metric, "days_", 5) == 0)
		return METRICS_DAYS;
	if (strcmp(metric, "satisfaction") == 0)
		return METRICS_RATING;
	return METRICS_RATE;
}

static void
metrics_rows_goals(struct metrics_rows *rows, const struct metrics_report *r)
{
	char day[DATE_BUFSZ];
	size_t i;

	for (i = 0; i < r->ngoals; i++) {
		const struct metrics_goal *g = &r->goals[i];
		struct metrics_row *row;

		row = metrics_row_add(rows, "goals", g->goal->metric ?
		    g->goal->metric : "", xasprintf("goal=%s", g->goal->id),
		    metrics_kind_of(g->goal->metric), g->value);
		row->has_target = g->goal->has_target;
		row->target = g->goal->target;
		row->status = metrics_goal_status_name(g->status);
		row->due = g->goal->due;
		if (g->goal->due == DATE_NONE)
			row->detail = xstrdup("no due date; judged when due");
		else if (g->past_due)
			row->detail = xasprintf("past due: judged on its due "
			    "date, %s", date_format(g->judged_on, day));
		else
			row->detail = xasprintf("not yet due: %d day%s left",
			    g->goal->due - r->as_of, g->goal->due - r->as_of == 1 ?
			    "" : "s");
	}
}

static void
metrics_rows_funnel(struct metrics_rows *rows, const struct metrics_report *r,
    const struct metrics_input *in)
{
	size_t i;

	for (i = 0; i < r->nfunnel; i++) {
		const struct metrics_funnel *f = &r->funnel[i];
		char *g = metrics_funnel_group(f, in);

		metrics_row_count(rows, "funnel", "enrolled", xstrdup(g),
		    f->enrolled);
		metrics_row_count(rows, "funnel", "eligible", xstrdup(g),
		    f->eligible);
		metrics_row_count(rows, "funnel", "matched", xstrdup(g),
		    f->matched);
		metrics_row_count(rows, "funnel", "active", xstrdup(g),
		    f->active);
		metrics_row_count(rows, "funnel", "ended", xstrdup(g), f->ended);
		metrics_row_count(rows, "funnel", "withdrawn", g, f->withdrawn);
	}
}

/* "mentor Ann (ann@x.org), mentee bo@x.org" */
static char *
metrics_partners(const struct metrics_input *in, const struct metrics_pairing *p)
{
	const struct metrics_enrollment *e[2] = {
		&in->enr[p->mentor], &in->enr[p->mentee],
	};
	struct strbuf sb = STRBUF_INIT;
	int k;

	for (k = 0; k < 2; k++) {
		strbuf_addf(&sb, "%s%s ", k ? ", " : "", k ? "mentee" : "mentor");
		if (e[k]->name && e[k]->name[0])
			strbuf_addf(&sb, "%s (%s)", e[k]->name, e[k]->email);
		else
			strbuf_addstr(&sb, e[k]->email);
	}
	return strbuf_detach(&sb, NULL);
}

static char *
metrics_append(char *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static char *
metrics_append(char *s, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	strbuf_addstr(&sb, s);
	free(s);
	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	return strbuf_detach(&sb, NULL);
}

static void
metrics_rows_flagged(struct metrics_rows *rows, const struct metrics_report *r,
    const struct metrics_input *in, bool stalled)
{
	char last[DATE_BUFSZ];
	size_t i;

	for (i = 0; i < r->nflagged; i++) {
		const struct metrics_flagged *f = &r->flagged[i];
		const struct metrics_pairing *p = &in->pairs[f->pairing];
		struct metrics_row *row;

		if (f->stalled != stalled)
			continue;
		if (stalled)
			row = metrics_row_add(rows, "checkins", "stalled_pairing",
			    xasprintf("pairing=%lld", p->id), METRICS_COUNT,
			    metrics_ratio(f->missed, 1));
		else
			row = metrics_row_add(rows, "checkins", "overdue_pairing",
			    xasprintf("pairing=%lld", p->id), METRICS_DAYS,
			    metrics_ratio(f->days_late, 1));
		row->status = stalled ? "stalled" : "overdue";
		row->due = f->due_on;
		row->detail = metrics_partners(in, p);
		row->detail = metrics_append(row->detail, ", %s%s",
		    f->last_met == DATE_NONE ? "never met" : "last met ",
		    f->last_met == DATE_NONE ? "" : date_format(f->last_met, last));
	}
}

static void
metrics_rows_checkins(struct metrics_rows *rows, const struct metrics_report *r,
    const struct metrics_input *in)
{
	struct metrics_row *row;
	size_t i;

	metrics_row_count(rows, "checkins", "checkins", NULL, r->checkins);
	metrics_row_rate(rows, "checkins", "checkin_adherence", NULL,
	    r->checkin_adherence, "due");
	if (r->checkins_configured) {
		metrics_row_count(rows, "checkins", "overdue", NULL, r->overdue);
		metrics_row_count(rows, "checkins", "stalled", NULL, r->stalled);
	} else {
		row = metrics_row_add(rows, "checkins", "overdue", NULL,
		    METRICS_COUNT, metrics_ratio(0, 0));
		row->detail = xstrdup("the programme sets no checkins.every");
		row = metrics_row_add(rows, "checkins", "stalled", NULL,
		    METRICS_COUNT, metrics_ratio(0, 0));
		row->detail = xstrdup("the programme sets no checkins.every");
	}
	metrics_row_rate(rows, "checkins", "stalled_rate", NULL, r->stalled_rate,
	    "active pairings");
	for (i = 0; i < r->nmonths; i++)
		metrics_row_count(rows, "checkins", "checkins_in_month",
		    xasprintf("month=%04d-%02d", r->months[i].year,
		    r->months[i].month), r->months[i].n);
	/* Stalled first: the more urgent, when a reader stops early. */
	metrics_rows_flagged(rows, r, in, true);
	metrics_rows_flagged(rows, r, in, false);
}

static void
metrics_rows_cycles(struct metrics_rows *rows, const struct metrics_report *r,
    const struct metrics_input *in)
{
	struct metrics_row *row;
	size_t i;

	for (i = 0; i < r->nreups; i++)
		metrics_row_rate(rows, "cycles", "reup_rate",
		    xasprintf("cycle=%d", in->cycles[r->reups[i].cycle].number),
		    r->reups[i].rate, "that reached the cycle's end");
	metrics_row_rate(rows, "cycles", "reup_rate", NULL, r->reup_rate,
	    "that reached a cycle's end");
	metrics_row_count(rows, "cycles", "early_closures", NULL,
	    r->early_closures);
	if (r->has_cycles) {
		metrics_row_rate(rows, "cycles", "early_closure_rate", NULL,
		    r->early_closure_rate, "that turned active");
	} else {
		row = metrics_row_add(rows, "cycles", "early_closure_rate", NULL,
		    METRICS_RATE, r->early_closure_rate);
		row->detail = xstrdup("no cycle has started");
	}
	for (i = 0; i < r->nreasons; i++)
		metrics_row_count(rows, "cycles", "closure_reason",
		    xasprintf("reason=%s", r->reasons[i].reason ?
		    r->reasons[i].reason : "(none)"), r->reasons[i].n);
}

static void
metrics_rows_feedback(struct metrics_rows *rows, const struct metrics_report *r,
    const struct metrics_input *in)
{
	char day[DATE_BUFSZ];
	struct metrics_row *row;
	size_t i;

	row = metrics_row_add(rows, "feedback", "published_through", NULL,
	    METRICS_TEXT, metrics_ratio(0, 1));
	row->detail = r->fb_published_through == DATE_NONE ?
	    xstrdup("nothing published yet: a month's responses appear once "
	    "it has closed with at least 3 since the last publication") :
	    xasprintf("%s: later responses appear once a month has closed "
	    "with at least 3 since then", date_format(r->fb_published_through,
	    day));
	metrics_row_add(rows, "feedback", "responses", NULL, METRICS_COUNT,
	    r->responses);
	metrics_row_add(rows, "feedback", "satisfaction", NULL, METRICS_RATING,
	    r->satisfaction);
	for (i = 0; i < r->nfbgroups; i++) {
		const struct metrics_fb_group *g = &r->fbgroups[i];

		metrics_row_add(rows, "feedback", "responses",
		    metrics_fb_group_name(g, in), METRICS_COUNT, g->responses);
		metrics_row_add(rows, "feedback", "average_rating",
		    metrics_fb_group_name(g, in), METRICS_RATING, g->mean);
	}
	if (r->responses.state != METRICS_OK) {
		metrics_row_add(rows, "feedback", "ratings", NULL, METRICS_COUNT,
		    r->responses);
		metrics_row_add(rows, "feedback", "comments", NULL,
		    METRICS_COUNT, r->responses);
		return;
	}
	for (i = 5; i > 0; i--)
		metrics_row_count(rows, "feedback", "ratings",
		    xasprintf("rating=%zu", i), r->ratings[i - 1]);
	row = metrics_row_add(rows, "feedback", "ratings",
	    xstrdup("rating=hidden"), METRICS_COUNT,
	    metrics_ratio(r->ratings_hidden, 1));
	row->detail = xstrdup("in rating buckets of fewer than 3 responses "
	    "in their window, not shown");
	metrics_row_count(rows, "feedback", "comments", NULL,
	    (long long)r->ncomments);
	for (i = 0; i < r->ncomments; i++) {
		row = metrics_row_add(rows, "feedback", "comment", NULL,
		    METRICS_TEXT, metrics_ratio(0, 1));
		row->detail = xstrdup(r->comments[i]);
	}
}

/* A member of a circle, sorted by (group, pairing id). */
struct metrics_member {
	long long group_id;
	long long id;
	size_t pair;
};

static int
metrics_cmp_member(const void *a, const void *b)
{
	const struct metrics_member *x = a, *y = b;

	if (x->group_id != y->group_id)
		return x->group_id < y->group_id ? -1 : 1;
	return (x->id > y->id) - (x->id < y->id);
}

/* One circle's figures over its members in[idx[from..to)]. */
static void
metrics_row_circle(struct metrics_rows *rows, const struct program *p,
    const struct metrics_input *in, int as_of, const struct metrics_member *m,
    size_t from, size_t to, const struct metrics_fb_acc *fb, size_t nfbacc,
    const bool *has_fb)
{
	const struct metrics_pairing *first = &in->pairs[m[from].pair];
	struct metrics_value sat;
	struct metrics_row *row;
	long long active = 0, ever = 0, meetings = 0, held = 0, due = 0;
	long long nfb = 0, sumfb = 0, d;
	bool seen = false;
	size_t k;
	int wfrom, wto;

	for (k = from; k < to; k++) {
		const struct metrics_pairing *pr = &in->pairs[m[k].pair];

		if (!metrics_checkin_window(pr, as_of, &wfrom, &wto))
			continue;
		ever++;
		if (metrics_pairing_state(pr, as_of) == METRICS_P_ACTIVE)
			active++;
		if (pr->held > meetings)
			meetings = pr->held;
		if (has_fb[m[k].pair])
			seen = true;
		if (p->checkins.present && p->checkins.every.n > 0) {
			d = sched_due_count(p->checkins.every, wfrom, wto);
			due += d;
			held += pr->held < d ? pr->held : d;
		}
	}
	if (ever == 0)
		return;
	for (k = 0; k < nfbacc; k++) {
		if (fb[k].key == (int)first->group_id) {
			nfb = fb[k].n;
			sumfb = fb[k].sum;
		}
	}
	row = metrics_row_add(rows, "matching", "circle",
	    xasprintf("group=%lld", first->group_id), METRICS_COUNT,
	    metrics_ratio(active, 1));
	sat = metrics_mean_k(sumfb, nfb);
	row->detail = xasprintf("mentor %s; %lld of %lld member%s active; "
	    "%lld meeting%s; check-ins %lld of %lld due; feedback ",
	    in->enr[first->mentor].email, active, ever, ever == 1 ? "" : "s",
	    meetings, meetings == 1 ? "" : "s", held, due);
	if (sat.state == METRICS_OK)
		row->detail = metrics_append(row->detail, "%.2f from %lld "
		    "responses", sat.v, nfb);
	else
		row->detail = metrics_append(row->detail, "%s",
		    !seen ? "none" : METRICS_HIDDEN_TEXT);
}

static int
metrics_fb_circle_key(const struct metrics_input *in,
    const struct metrics_feedback *f, int arg)
{
	(void)arg;
	return f->pairing < 0 ? 0 : (int)in->pairs[f->pairing].group_id;
}

/*
 * Group format: a row per circle, by group id.  Circle feedback is the
 * feedback about its members' pairings, published as every feedback figure
 * is (metrics_fb_batches: windows of k, cells of k within them).
 */
static void
metrics_rows_circles(struct metrics_rows *rows, const struct program *p,
    const struct metrics_input *in, int as_of)
{
	struct metrics_member *m;
	struct metrics_fb_acc *fb;
	bool *has_fb;
	int *batch, since, through;
	size_t n = 0, i, j, nb, nfb;

	if (p->format != FORMAT_GROUP)
		return;
	m = xcalloc(in->npairs + 1, sizeof *m);
	for (i = 0; i < in->npairs; i++) {
		if (in->pairs[i].group_id <= 0 ||
		    in->pairs[i].proposed_on > as_of)
			continue;
		m[n].group_id = in->pairs[i].group_id;
		m[n].id = in->pairs[i].id;
		m[n].pair = i;
		n++;
	}
	batch = xcalloc(in->nfb + 1, sizeof *batch);
	has_fb = xcalloc(in->npairs + 1, sizeof *has_fb);
	for (i = 0; i < in->nfb; i++)
		if (in->fb[i].pairing >= 0 && in->fb[i].given_on <= as_of)
			has_fb[in->fb[i].pairing] = true;
	nb = metrics_fb_batches(in, as_of, batch, &since, &through);
	nfb = metrics_fb_cells(in, batch, nb, metrics_fb_circle_key, 0, &fb);
	xqsort(m, n, sizeof *m, metrics_cmp_member);
	for (i = 0; i < n; i = j) {
		for (j = i; j < n && m[j].group_id == m[i].group_id; j++)
			;
		metrics_row_circle(rows, p, in, as_of, m, i, j, fb, nfb,
		    has_fb);
	}
	free(m);
	free(has_fb);
	free(batch);
	free(fb);
}

/*
 * Format flash: the session's day, then seated, attended, absent,
 * unrecorded and attendance_rate in all and per round, then coverage.
 */
static void
metrics_rows_flash(struct metrics_rows *rows, const struct metrics_report *r,
    const struct program *p)
{
	char day[DATE_BUFSZ];
	struct metrics_row *row;
	size_t k;

	if (r->nflash == 0)
		return;
	row = metrics_row_add(rows, "flash", "session_date", NULL, METRICS_TEXT,
	    metrics_ratio(0, 1));
	if (p->flash.date == DATE_NONE)
		row->detail = xstrdup("the programme sets no flash.date: "
		    "attendance counts as recorded");
	else
		row->detail = xasprintf("%s%s", date_format(p->flash.date, day),
		    r->flash_held ? "" : ", still to come: attendance counts "
		    "from that day");
	for (k = 0; k < r->nflash; k++) {
		const struct metrics_flash *f = &r->flash[k];
		char *g = k == 0 ? xstrdup("all") : xasprintf("round=%d",
		    f->round);

		row = metrics_row_add(rows, "flash", "seated", xstrdup(g),
		    METRICS_COUNT, metrics_ratio(f->seated, 1));
		if (k == 0)
			row->detail = f->seated > 0 ? xstrdup("mentees with a "
			    "seat in the confirmed seating") : xasprintf("not "
			    "seated yet: 'mentorctl flash seat %s' confirms the "
			    "seating", p->slug);
		row = metrics_row_add(rows, "flash", "attended", xstrdup(g),
		    METRICS_COUNT, metrics_ratio(f->attended, 1));
		if (k == 0)
			row->detail = xstrdup("came to at least one round");
		row = metrics_row_add(rows, "flash", "absent", xstrdup(g),
		    METRICS_COUNT, metrics_ratio(f->absent, 1));
		if (k == 0)
			row->detail = xstrdup("recorded absent from every round "
			    "of theirs");
		row = metrics_row_add(rows, "flash", "unrecorded", xstrdup(g),
		    METRICS_COUNT, metrics_ratio(f->unrecorded, 1));
		if (k == 0)
			row->detail = xasprintf("not recorded as came, nor as "
			    "absent from every round ('mentorctl flash attend "
			    "%s')", p->slug);
		row = metrics_row_add(rows, "flash", "attendance_rate", g,
		    METRICS_RATE, f->rate);
		if (f->rate.state == METRICS_OK)
			row->detail = xasprintf("%lld of %lld seated%s came",
			    f->rate.num, f->seated, k == 0 ? " mentees" : "");
		else if (f->seated == 0)
			row->detail = xasprintf("not seated yet: 'mentorctl "
			    "flash seat %s' confirms the seating", p->slug);
		else if (!r->flash_held)
			row->detail = xstrdup("the session is still to come");
		else
			row->detail = xasprintf("no attendance recorded yet "
			    "('mentorctl flash attend %s')", p->slug);
	}
	metrics_row_rate(rows, "flash", "flash_coverage", NULL,
	    r->flash_coverage, "eligible mentees came to the session");
}

void
metrics_rows_build(const struct metrics_report *r, const struct program *p,
    const struct metrics_input *in, struct metrics_rows *rows)
{
	struct metrics_row *row;

	row = metrics_row_add(rows, "programme", "programme", NULL, METRICS_TEXT,
	    metrics_ratio(0, 1));
	row->detail = xstrdup(p->slug);
	row = metrics_row_add(rows, "programme", "name", NULL, METRICS_TEXT,
	    metrics_ratio(0, 1));
	row->detail = xstrdup(p->name ? p->name : "");
	row = metrics_row_add(rows, "programme", "as_of", NULL, METRICS_TEXT,
	    metrics_ratio(0, 1));
	row->detail = xmalloc(DATE_BUFSZ);
	date_format(r->as_of, row->detail);
	/* what the format means, so that readers know what they look at */
	row = metrics_row_add(rows, "programme", "format", NULL, METRICS_TEXT,
	    metrics_ratio(0, 1));
	row->detail = xstrdup(program_format_name(p->format));
	row = metrics_row_add(rows, "programme", "format_description", NULL,
	    METRICS_TEXT, metrics_ratio(0, 1));
	row->detail = rounds_format_text(p);
	metrics_rows_goals(rows, r);
	metrics_rows_funnel(rows, r, in);
	metrics_row_rate(rows, "matching", "match_rate", NULL, r->match_rate,
	    "eligible mentees");
	metrics_row_median(rows, "matching", "days_to_match", r->days_to_match,
	    "matched mentee", "matched mentees");
	metrics_row_median(rows, "matching", "days_to_first_meeting",
	    r->days_to_first_meeting, "pairing that met", "pairings that met");
	metrics_row_count(rows, "matching", "proposed", NULL, r->proposed);
	metrics_row_count(rows, "matching", "declined", NULL, r->declined);
	metrics_row_count(rows, "matching", "expired", NULL, r->expired);
	metrics_row_count(rows, "matching", "activated", NULL, r->activated);
	metrics_row_count(rows, "matching", "active", NULL, r->active);
	metrics_row_count(rows, "matching", "ended", NULL, r->ended);
	metrics_rows_circles(rows, p, in, r->as_of);
	metrics_rows_flash(rows, r, p);
	metrics_rows_checkins(rows, r, in);
	metrics_rows_cycles(rows, r, in);
	metrics_rows_feedback(rows, r, in);
	metrics_row_rate(rows, "retention", "retention",
	    xstrdup("role=mentee"), r->retention, "mentees enrolled");
}

void
metrics_rows_free(struct metrics_rows *rows)
{
	size_t i;

	for (i = 0; i < rows->n; i++) {
		free(rows->v[i].group);
		free(rows->v[i].detail);
	}
	free(rows->v);
	rows->v = NULL;
	rows->n = rows->cap = 0;
}

struct metrics_row *
metrics_row_append(struct metrics_rows *rows, const char *section,
    const char *metric, char *group, enum metrics_kind kind,
    struct metrics_value v)
{
	return metrics_row_add(rows, section, metric, group, kind, v);
}
