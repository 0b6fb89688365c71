#include "core/diagnose.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/capacity.h"
#include "core/date.h"
#include "core/schedule.h"
#include "util/strbuf.h"
#include "util/xmalloc.h"

/* A finding being built: subjects are added, then it is kept or dropped. */
struct diagnose_draft {
	char **subjects;
	size_t n;
	size_t cap;
};

static void
diagnose_subject(struct diagnose_draft *d, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
diagnose_subject(struct diagnose_draft *d, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	XGROW(d->subjects, d->n + 1, d->cap);
	d->subjects[d->n++] = strbuf_detach(&sb, NULL);
}

/* Keep the finding (taking the draft's subjects); what is a format. */
static void
diagnose_add(struct diagnose_list *l, const char *check,
    enum diagnose_standard standard, enum diagnose_severity severity,
    struct diagnose_draft *d, const char *action, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));

static void
diagnose_add(struct diagnose_list *l, const char *check,
    enum diagnose_standard standard, enum diagnose_severity severity,
    struct diagnose_draft *d, const char *action, const char *fmt, ...)
{
	struct diagnose_finding *f;
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	XGROW(l->v, l->n + 1, l->cap);
	f = &l->v[l->n++];
	f->check = check;
	f->standard = standard;
	f->severity = severity;
	f->what = strbuf_detach(&sb, NULL);
	f->action = xstrdup(action);
	f->subjects = d ? d->subjects : NULL;
	f->nsubjects = d ? d->n : 0;
	if (d)
		memset(d, 0, sizeof *d);
}

static void
diagnose_draft_free(struct diagnose_draft *d)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		free(d->subjects[i]);
	free(d->subjects);
	memset(d, 0, sizeof *d);
}

static const char *
diagnose_plural(size_t n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

static void
diagnose_pairing(struct diagnose_draft *d, const struct metrics_input *in,
    const struct metrics_pairing *p, const char *extra)
{
	diagnose_subject(d, "pairing %lld (%s, %s)%s%s", p->id,
	    in->enr[p->mentor].email, in->enr[p->mentee].email,
	    extra ? ": " : "", extra ? extra : "");
}

static void
diagnose_readiness(const struct program *p, struct diagnose_list *l)
{
	struct diagnose_draft metric = { 0 }, target = { 0 }, due = { 0 };
	size_t i;

	if (p->ngoals == 0)
		diagnose_add(l, "no-goals", DIAGNOSE_READINESS, DIAGNOSE_PROBLEM,
		    NULL, "add SMART goals to the programme file (goals: with "
		    "id, statement, metric, target, due)",
		    "the programme has no goals, so nothing says whether it works");
	for (i = 0; i < p->ngoals; i++) {
		const struct program_goal *g = &p->goals[i];

		if (g->metric == NULL)
			diagnose_subject(&metric, "goal %s", g->id);
		else if (!g->has_target)
			diagnose_subject(&target, "goal %s", g->id);
		if (g->due == DATE_NONE)
			diagnose_subject(&due, "goal %s", g->id);
	}
	if (metric.n) {
		/* the metrics a goal of this format may name */
		struct strbuf hint = STRBUF_INIT;
		const char *const *m;

		strbuf_addstr(&hint, "give each goal a metric the report "
		    "computes (");
		for (m = program_metrics; *m; m++) {
			if (p->format != FORMAT_FLASH &&
			    strncmp(*m, "flash_", 6) == 0)
				continue;
			strbuf_addf(&hint, "%s%s", m == program_metrics ? "" :
			    ", ", *m);
		}
		strbuf_addstr(&hint, ")");
		diagnose_add(l, "goal-no-metric", DIAGNOSE_READINESS,
		    DIAGNOSE_WARNING, &metric, hint.buf,
		    "%zu %s without a measure", metric.n,
		    diagnose_plural(metric.n, "goal", "goals"));
		strbuf_release(&hint);
	}
	if (target.n)
		diagnose_add(l, "goal-no-target", DIAGNOSE_READINESS,
		    DIAGNOSE_WARNING, &target, "set a target for each goal so the "
		    "report can say met or not met", "%zu %s without a target",
		    target.n, diagnose_plural(target.n, "goal", "goals"));
	if (due.n)
		diagnose_add(l, "goal-no-due", DIAGNOSE_READINESS,
		    DIAGNOSE_WARNING, &due, "give each goal a due date (due: "
		    "YYYY-MM-DD)", "%zu %s without a due date", due.n,
		    diagnose_plural(due.n, "goal", "goals"));
	if (p->contact == NULL || p->contact[0] == '\0')
		diagnose_add(l, "no-contact", DIAGNOSE_READINESS,
		    DIAGNOSE_PROBLEM, NULL, "set contact: to the coordinators' "
		    "address", "no contact address: reminders have no sender "
		    "and stalled pairs are escalated to nobody");
}

/* Formats where a mentor serves a fixed number of mentees at a time. */
static bool
diagnose_capacity_applies(const struct program *p)
{
	return p->format != FORMAT_FLASH && p->format != FORMAT_ROTATIONAL;
}

static bool
diagnose_checkins_apply(const struct program *p)
{
	return p->format != FORMAT_FLASH;
}

static void
diagnose_people(const struct program *p, const struct metrics_input *in,
    struct diagnose_list *l)
{
	struct diagnose_draft waiting = { 0 };
	long long mentors = 0, mentees = 0, capacity = 0, demand = 0;
	bool *busy = xcalloc(in->nenr + 1, sizeof *busy);
	size_t i;

	/* Busy: in a pairing that is active or still waiting for answers. */
	for (i = 0; i < in->npairs; i++) {
		enum metrics_pstate s = metrics_pairing_state(&in->pairs[i],
		    in->as_of);

		if (s == METRICS_P_ACTIVE || s == METRICS_P_PROPOSED ||
		    s == METRICS_P_ENDED) {
			busy[in->pairs[i].mentor] = true;
			busy[in->pairs[i].mentee] = true;
		}
	}
	for (i = 0; i < in->nenr; i++) {
		const struct metrics_enrollment *e = &in->enr[i];
		int since;

		if (metrics_withdrawn(e, in->as_of))
			continue;
		if (e->role == ROLE_MENTOR) {
			mentors++;
			capacity += e->capacity >= 0 ? e->capacity :
			    p->mentor.capacity;
			continue;
		}
		mentees++;
		demand++;
		since = e->eligible_on != DATE_NONE ? e->eligible_on :
		    e->status == ENROLLMENT_ELIGIBLE ? e->enrolled_on : DATE_NONE;
		if (!busy[i] && since != DATE_NONE &&
		    since + DIAGNOSE_WAIT_DAYS < in->as_of)
			diagnose_subject(&waiting, "%s", e->email);
	}
	free(busy);
	/*
	 * Only where a proposal is what a mentee waits for, and advising only
	 * what the format accepts: a flash session seats everyone who comes
	 * (no proposals), a rotation is planned by match alone.
	 */
	if (waiting.n && p->format != FORMAT_FLASH)
		diagnose_add(l, "mentees-waiting", DIAGNOSE_OPPORTUNITY,
		    DIAGNOSE_WARNING, &waiting,
		    p->format == FORMAT_ROTATIONAL ?
		    "run 'mentorctl match' to plan their periods, or recruit "
		    "mentors who fit them" :
		    "run 'mentorctl match' or 'mentorctl suggest', or recruit "
		    "mentors who fit them",
		    "%zu eligible %s waited more than %d days without a "
		    "proposal", waiting.n, diagnose_plural(waiting.n, "mentee",
		    "mentees"), DIAGNOSE_WAIT_DAYS);
	diagnose_draft_free(&waiting);	/* a flash programme's, not kept */
	if (mentors == 0)
		diagnose_add(l, "no-mentors", DIAGNOSE_RECRUITMENT,
		    DIAGNOSE_PROBLEM, NULL, "recruit mentors and enroll them "
		    "('mentorctl enroll PROGRAM EMAIL --role mentor')",
		    "no mentors are enrolled");
	if (mentees == 0)
		diagnose_add(l, "no-mentees", DIAGNOSE_RECRUITMENT,
		    DIAGNOSE_PROBLEM, NULL, "recruit mentees and enroll them "
		    "('mentorctl enroll PROGRAM EMAIL --role mentee')",
		    "no mentees are enrolled");
	else if (mentors > 0 && diagnose_capacity_applies(p) &&
	    capacity < demand)
		diagnose_add(l, "capacity-short", DIAGNOSE_RECRUITMENT,
		    DIAGNOSE_PROBLEM, NULL, "recruit more mentors or raise "
		    "capacities ('--capacity N' or roles.mentor.capacity)",
		    "%lld %s can take %lld %s, but %lld %s enrolled",
		    mentors, mentors == 1 ? "mentor" : "mentors", capacity,
		    capacity == 1 ? "mentee" : "mentees", demand,
		    demand == 1 ? "mentee is" : "mentees are");
}

static void
diagnose_support(const struct program *p, struct diagnose_list *l)
{
	if (!diagnose_checkins_apply(p))
		return;
	if (!p->checkins.present || p->checkins.every.n <= 0)
		diagnose_add(l, "no-checkins", DIAGNOSE_SUPPORT, DIAGNOSE_PROBLEM,
		    NULL, "add a checkins block (every, overdue_after, "
		    "stalled_after, prompts)", "check-ins are not scheduled: no "
		    "reminders go out and nobody notices a pair that stops "
		    "meeting");
	else if (p->checkins.nprompts == 0)
		diagnose_add(l, "no-prompts", DIAGNOSE_SUPPORT, DIAGNOSE_WARNING,
		    NULL, "add checkins.prompts: a discussion topic for each of "
		    "the first meetings", "no discussion prompts: many pairs "
		    "never get past getting to know each other");
}

static bool
diagnose_role_has_criteria(const struct program_eligibility *e)
{
	return e->has_min_tenure || e->has_min_level || e->has_max_level ||
	    e->ntrainings > 0;
}

static void
diagnose_screening(const struct program *p, struct diagnose_list *l)
{
	struct diagnose_draft d = { 0 };

	if (!diagnose_role_has_criteria(&p->mentor.eligibility))
		diagnose_subject(&d, "mentor");
	if (!diagnose_role_has_criteria(&p->mentee.eligibility))
		diagnose_subject(&d, "mentee");
	if (d.n)
		diagnose_add(l, "role-no-criteria", DIAGNOSE_SCREENING,
		    DIAGNOSE_WARNING, &d, "set roles.ROLE.eligibility (tenure, "
		    "level, required trainings) so people are qualified before "
		    "they are matched", "%zu %s without selection criteria", d.n,
		    diagnose_plural(d.n, "role", "roles"));
}

static const struct metrics_training *
diagnose_training(const struct metrics_input *in, long long person,
    const char *name)
{
	size_t lo = 0, hi = in->ntrainings;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct metrics_training *t = &in->trainings[mid];
		int c = t->person_id != person ? (t->person_id < person ? -1 : 1) :
		    strcmp(t->name, name);

		if (c == 0)
			return t;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static void
diagnose_trained(const struct program *p, const struct metrics_input *in,
    const struct metrics_pairing *pr, size_t side, struct diagnose_draft *d)
{
	const struct metrics_enrollment *e = &in->enr[side];
	const struct program_eligibility *el = e->role == ROLE_MENTOR ?
	    &p->mentor.eligibility : &p->mentee.eligibility;
	char when[DATE_BUFSZ];
	size_t i;

	for (i = 0; i < el->ntrainings; i++) {
		const struct metrics_training *t = diagnose_training(in,
		    e->person_id, el->trainings[i]);

		if (t == NULL)
			diagnose_subject(d, "%s (pairing %lld): %s missing",
			    e->email, pr->id, el->trainings[i]);
		else if (t->completed_on > pr->activated_on)
			diagnose_subject(d, "%s (pairing %lld): %s completed %s, "
			    "after matching", e->email, pr->id, el->trainings[i],
			    date_format(t->completed_on, when));
	}
}

/* Whether a check-in interval has passed `k` times since day, by today. */
static bool
diagnose_intervals_passed(const struct program *p, int day, int today, int k)
{
	return sched_due_count(p->checkins.every, day, today - 1) >= k;
}

static void
diagnose_pairings(const struct program *p, const struct metrics_input *in,
    struct diagnose_list *l)
{
	struct diagnose_draft late = { 0 }, pending = { 0 }, silent = { 0 };
	struct diagnose_draft stalled = { 0 }, noreason = { 0 }, nofb = { 0 };
	bool ck = diagnose_checkins_apply(p) && p->checkins.present &&
	    p->checkins.every.n > 0;
	char buf[64], day[DATE_BUFSZ];
	size_t i;

	for (i = 0; i < in->npairs; i++) {
		const struct metrics_pairing *pr = &in->pairs[i];
		enum metrics_pstate s = metrics_pairing_state(pr, in->as_of);
		struct sched_status st;
		struct error err = ERROR_INIT;
		int limit;

		switch (s) {
		case METRICS_P_PROPOSED:
			/* consent none: nobody has to answer (a rotation's later periods) */
			if (p->matching.consent == CONSENT_NONE)
				break;
			limit = pr->expires_on != DATE_NONE ? pr->expires_on :
			    date_add_duration(pr->proposed_on,
			    p->matching.respond_within, 1);
			if (limit != DATE_NONE && limit < in->as_of) {
				snprintf(buf, sizeof buf, "proposed %s",
				    date_format(pr->proposed_on, day));
				diagnose_pairing(&pending, in, pr, buf);
			}
			break;
		case METRICS_P_ACTIVE:
			diagnose_trained(p, in, pr, pr->mentor, &late);
			diagnose_trained(p, in, pr, pr->mentee, &late);
			if (!ck)
				break;
			if (pr->last_held == DATE_NONE &&
			    diagnose_intervals_passed(p, sched_anchor(
			    pr->activated_on, pr->first_cycle_start),
			    in->as_of, 2)) {
				snprintf(buf, sizeof buf, "active since %s",
				    date_format(pr->activated_on, day));
				diagnose_pairing(&silent, in, pr, buf);
				break;
			}
			if (sched_status(&p->checkins, metrics_anchor(in, pr,
			    in->as_of), &pr->last_held,
			    pr->last_held != DATE_NONE ? 1 : 0, in->as_of, &st,
			    &err) != 0) {
				error_clear(&err);
				break;
			}
			if (st.stalled) {
				snprintf(buf, sizeof buf, "%d missed, last met %s",
				    st.missed, pr->last_held == DATE_NONE ?
				    "never" : date_format(pr->last_held, day));
				diagnose_pairing(&stalled, in, pr, buf);
			}
			break;
		case METRICS_P_ENDED:
			if (pr->end_reason == NULL || pr->end_reason[0] == '\0')
				diagnose_pairing(&noreason, in, pr, NULL);
			if (pr->feedbacks == 0)
				diagnose_pairing(&nofb, in, pr, NULL);
			break;
		case METRICS_P_DECLINED:
		case METRICS_P_EXPIRED:
			break;
		}
	}
	if (late.n)
		diagnose_add(l, "trained-late", DIAGNOSE_TRAINING,
		    DIAGNOSE_PROBLEM, &late, "have them complete the training now "
		    "and record it ('mentorctl training add EMAIL NAME --on "
		    "DATE'); qualify people before matching them",
		    "%zu %s matched before completing their role's required "
		    "training", late.n, diagnose_plural(late.n, "person was",
		    "people were"));
	if (pending.n)
		diagnose_add(l, "proposal-pending", DIAGNOSE_MATCHING,
		    DIAGNOSE_WARNING, &pending, "ask them to accept or decline "
		    "('mentorctl accept|decline ID'), or let the proposal expire "
		    "and match again", "%zu %s unanswered past the response "
		    "time", pending.n, diagnose_plural(pending.n, "proposal is",
		    "proposals are"));
	if (silent.n)
		diagnose_add(l, "no-first-meeting", DIAGNOSE_MATCHING,
		    DIAGNOSE_PROBLEM, &silent, "contact both partners and help "
		    "them hold the first meeting (the first prompt gets them "
		    "started), or rematch them", "%zu %s not met two check-in "
		    "intervals after turning active", silent.n,
		    diagnose_plural(silent.n, "pair has", "pairs have"));
	if (stalled.n)
		diagnose_add(l, "stalled", DIAGNOSE_MONITORING, DIAGNOSE_WARNING,
		    &stalled, "talk to both partners: help them restart, or end "
		    "the pairing with a reason ('mentorctl end ID --reason "
		    "TEXT')", "%zu %s stalled (%d or more check-ins missed in a "
		    "row)", stalled.n, diagnose_plural(stalled.n, "pair has",
		    "pairs have"), p->checkins.stalled_after);
	if (noreason.n)
		diagnose_add(l, "ending-no-reason", DIAGNOSE_CLOSURE,
		    DIAGNOSE_WARNING, &noreason, "record why each pairing ended; "
		    "reasons show what to improve", "%zu %s ended without a "
		    "reason", noreason.n, diagnose_plural(noreason.n,
		    "pairing", "pairings"));
	if (nofb.n)
		diagnose_add(l, "ending-no-feedback", DIAGNOSE_CLOSURE,
		    DIAGNOSE_INFO, &nofb, "ask both partners for feedback "
		    "('mentorctl feedback ID --by EMAIL --rating 1-5')",
		    "%zu %s ended without any feedback", nofb.n,
		    diagnose_plural(nofb.n, "pairing", "pairings"));
	diagnose_draft_free(&late);
	diagnose_draft_free(&pending);
	diagnose_draft_free(&silent);
	diagnose_draft_free(&stalled);
	diagnose_draft_free(&noreason);
	diagnose_draft_free(&nofb);
}

static void
diagnose_closure(const struct program *p, struct diagnose_list *l)
{
	if (p->format == FORMAT_FLASH)
		return;
	/* a rotation's periods are its cycles, with no re-up to configure */
	if (p->format == FORMAT_ROTATIONAL)
		return;
	if (!p->cycle.present)
		diagnose_add(l, "no-cycle", DIAGNOSE_CLOSURE, DIAGNOSE_WARNING,
		    NULL, "add a cycle block (start, length, reup window) so pairs "
		    "choose to re-up or exit at a set time",
		    "no cycle: pairings never reach a re-up or exit point");
	else if (p->cycle.reup_opens.n == 0 && p->cycle.reup_closes.n == 0)
		diagnose_add(l, "no-reup-window", DIAGNOSE_CLOSURE, DIAGNOSE_INFO,
		    NULL, "set cycle.reup (opens, closes, default) to give "
		    "partners time to decide", "the re-up window is not "
		    "configured: partners can answer only on the cycle's last "
		    "day");
}

/* By standard, keeping the order found within one (qsort is not stable). */
static void
diagnose_sort(struct diagnose_list *l)
{
	struct diagnose_finding *tmp;
	size_t i, n = 0;
	int s;

	tmp = xcalloc(l->n + 1, sizeof *tmp);
	for (s = 0; s < DIAGNOSE_NSTANDARDS; s++)
		for (i = 0; i < l->n; i++)
			if ((int)l->v[i].standard == s)
				tmp[n++] = l->v[i];
	if (n > 0)
		memcpy(l->v, tmp, n * sizeof *tmp);
	free(tmp);
}

void
diagnose_run(const struct program *p, const struct metrics_input *in,
    struct diagnose_list *out)
{
	diagnose_readiness(p, out);
	diagnose_people(p, in, out);
	diagnose_support(p, out);
	diagnose_screening(p, out);
	diagnose_pairings(p, in, out);
	diagnose_closure(p, out);
	diagnose_sort(out);
}

void
diagnose_capacity(struct diagnose_list *l, const struct match_needs *needs)
{
	struct diagnose_draft d;
	size_t i;

	if (needs->unmatched <= 0)
		return;
	memset(&d, 0, sizeof d);
	for (i = 0; i < needs->n; i++) {
		const struct match_need *x = &needs->v[i];

		if (x->impossible)
			diagnose_subject(&d, "%d mentee%s no mentor can fit (e.g. %s): "
			    "their data misses what a rule needs",
			    x->new_mentor ? x->new_mentor : 1,
			    x->new_mentor == 1 ? "" : "s",
			    x->example ? x->example : "?");
		else
			diagnose_subject(&d, "%d more place%s for mentors%s%s",
			    x->places, x->places == 1 ? "" : "s",
			    x->requirement[0] ? " " : "", x->requirement);
	}
	if (needs->group_limit)
		diagnose_subject(&d, "%s", needs->group_limit);
	diagnose_add(l, "capacity", DIAGNOSE_MATCHING, DIAGNOSE_WARNING, &d,
	    "recruit the mentors listed (or raise capacities), then run "
	    "'mentorctl match'; 'mentorctl pairings --waitlist' shows who "
	    "waits", "%d eligible mentee%s would stay unmatched today: %d "
	    "more mentor place%s would match them", needs->unmatched,
	    needs->unmatched == 1 ? "" : "s", needs->places,
	    needs->places == 1 ? "" : "s");
	diagnose_sort(l);
}

void
diagnose_lapses(struct diagnose_list *l, const char *const *emails,
    const int *lapsed, size_t n)
{
	struct diagnose_draft d;
	size_t i;

	if (n == 0)
		return;
	memset(&d, 0, sizeof d);
	for (i = 0; i < n; i++)
		diagnose_subject(&d, "%s (%d proposal%s expired)", emails[i],
		    lapsed[i], lapsed[i] == 1 ? "" : "s");
	diagnose_add(l, "mentor-lapses", DIAGNOSE_MATCHING, DIAGNOSE_WARNING,
	    &d, "ask these mentors whether they still have time; withdraw "
	    "them or lower their capacity if not", "%zu mentor%s let "
	    "proposals expire without an answer, twice or more", n,
	    n == 1 ? "" : "s");
	diagnose_sort(l);
}

void
diagnose_rotation_overdue(struct diagnose_list *l, const struct program *p,
    int period, int last_day, int today)
{
	struct diagnose_draft d;
	struct strbuf action = STRBUF_INIT;
	char b1[DATE_BUFSZ];
	int late;

	if (period <= 0 || last_day == DATE_NONE)
		return;
	memset(&d, 0, sizeof d);
	late = today - last_day;
	diagnose_subject(&d, "period %d (last day %s)", period,
	    date_format(last_day, b1));
	strbuf_addf(&action, "run 'mentorctl remind --program %s', which "
	    "closes each period on its last day and opens the next on its "
	    "first, as a daily run does ('mentorctl cycle close %s' moves "
	    "one period at a time)", p->slug, p->slug);
	diagnose_add(l, "rotation-overdue", DIAGNOSE_CLOSURE, DIAGNOSE_WARNING,
	    &d, action.buf, "rotation period %d ended on %s, %d day%s ago, "
	    "and is still open: its pairs are not moving on to their next "
	    "mentors", period, b1, late, late == 1 ? "" : "s");
	strbuf_release(&action);
	diagnose_sort(l);
}

void
diagnose_list_free(struct diagnose_list *l)
{
	size_t i, k;

	for (i = 0; i < l->n; i++) {
		free(l->v[i].what);
		free(l->v[i].action);
		for (k = 0; k < l->v[i].nsubjects; k++)
			free(l->v[i].subjects[k]);
		free(l->v[i].subjects);
	}
	free(l->v);
	memset(l, 0, sizeof *l);
}

const char *
diagnose_standard_name(enum diagnose_standard s)
{
	static const char *const names[DIAGNOSE_NSTANDARDS] = {
		[DIAGNOSE_READINESS] = "readiness",
		[DIAGNOSE_OPPORTUNITY] = "opportunity",
		[DIAGNOSE_SUPPORT] = "support",
		[DIAGNOSE_RECRUITMENT] = "recruitment",
		[DIAGNOSE_SCREENING] = "screening",
		[DIAGNOSE_TRAINING] = "training",
		[DIAGNOSE_MATCHING] = "matching and initiating",
		[DIAGNOSE_MONITORING] = "monitoring and support",
		[DIAGNOSE_CLOSURE] = "closure",
	};

	return (unsigned)s < DIAGNOSE_NSTANDARDS ? names[s] : "?";
}

const char *
diagnose_severity_name(enum diagnose_severity s)
{
	switch (s) {
	case DIAGNOSE_INFO:
		return "info";
	case DIAGNOSE_WARNING:
		return "warning";
	case DIAGNOSE_PROBLEM:
		return "problem";
	}
	return "?";
}

char *
diagnose_subjects(const struct diagnose_finding *f, const char *sep,
    size_t max)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i, n = f->nsubjects;

	if (max > 0 && n > max)
		n = max;
	for (i = 0; i < n; i++) {
		if (i > 0)
			strbuf_addstr(&sb, sep);
		strbuf_addstr(&sb, f->subjects[i]);
	}
	if (n < f->nsubjects)
		strbuf_addf(&sb, "%sand %zu more", sep, f->nsubjects - n);
	return strbuf_detach(&sb, NULL);
}
