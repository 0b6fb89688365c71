/*
 * Leader sessions: the audience rules, the seating order and the report.
 */
#include "core/session.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/date.h"
#include "util/strbuf.h"
#include "util/xmalloc.h"

#define SESSION_SECTION "sessions"

int
session_clock_parse(const char *s, int *minutes)
{
	size_t hl;
	int h, m;

	if (s == NULL)
		return -1;
	hl = strspn(s, "0123456789");
	if ((hl != 1 && hl != 2) || s[hl] != ':' ||
	    strspn(s + hl + 1, "0123456789") != 2 || s[hl + 3] != '\0')
		return -1;
	h = atoi(s);
	m = atoi(s + hl + 1);
	if (h > 23 || m > 59)
		return -1;
	*minutes = h * 60 + m;
	return 0;
}

static const char *const place_names[] = {
	[PLACE_SIGNED_UP] = "signed_up",
	[PLACE_SEATED] = "seated",
	[PLACE_WAITLISTED] = "waitlisted",
	[PLACE_CANCELLED] = "cancelled",
};

const char *
session_place_name(enum session_place_status s)
{
	if ((size_t)s >= sizeof place_names / sizeof place_names[0])
		return "?";
	return place_names[s];
}

int
session_place_parse(const char *s)
{
	size_t i;

	for (i = 0; s != NULL && i < sizeof place_names / sizeof place_names[0];
	    i++)
		if (strcmp(place_names[i], s) == 0)
			return (int)i;
	return -1;
}

/* ---- the audience ---- */

static bool
in_list(char *const *v, size_t n, const char *s)
{
	size_t i;

	for (i = 0; s != NULL && i < n; i++)
		if (strcasecmp(v[i], s) == 0)
			return true;
	return false;
}

static void add_why(struct strbuf *, const char *, ...)
	__attribute__((format(printf, 2, 3)));

static void
add_why(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;

	if (sb->len)
		strbuf_addstr(sb, "; ");
	va_start(ap, fmt);
	strbuf_vaddf(sb, fmt, ap);
	va_end(ap);
}

static void
list_text(struct strbuf *sb, char *const *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		strbuf_addf(sb, "%s%s", i ? ", " : "", v[i]);
}

int
audience_admits(const struct program_audience *a,
    const struct audience_person *pp, int today, char **why)
{
	struct strbuf sb = STRBUF_INIT, list = STRBUF_INIT;
	struct elig_person ep;
	char *reason = NULL;

	*why = NULL;
	if (a->from == AUDIENCE_ENROLLED && !pp->enrolled)
		add_why(&sb, "%s", "not enrolled in the programme");
	else if (a->from == AUDIENCE_ENROLLED && a->roles != 0 &&
	    (pp->roles & a->roles) == 0)
		add_why(&sb, "%s", a->roles == 1u << ROLE_MENTOR ?
		    "not a mentor of the programme" :
		    "not a mentee of the programme");
	if (a->ndepartments > 0 &&
	    !in_list(a->departments, a->ndepartments, pp->department)) {
		list_text(&list, a->departments, a->ndepartments);
		if (pp->department == NULL)
			add_why(&sb, "no department (the audience is %s)",
			    list.buf);
		else {
			strbuf_addf(&sb, "%sdepartment %s is not one of %s",
			    sb.len ? "; " : "", pp->department, list.buf);
		}
	}
	if (a->nexclude_departments > 0 && in_list(a->exclude_departments,
	    a->nexclude_departments, pp->department))
		add_why(&sb, "department %s is excluded", pp->department);
	if (a->nlocations > 0 &&
	    !in_list(a->locations, a->nlocations, pp->location)) {
		strbuf_reset(&list);
		list_text(&list, a->locations, a->nlocations);
		if (pp->location == NULL)
			add_why(&sb, "no location (the audience is in %s)",
			    list.buf);
		else
			strbuf_addf(&sb, "%slocation %s is not one of %s",
			    sb.len ? "; " : "", pp->location, list.buf);
	}
	memset(&ep, 0, sizeof ep);
	ep.hired_on = pp->hired_on;
	ep.has_level = pp->has_level;
	ep.level = pp->level;
	ep.trainings = pp->trainings;
	ep.ntrainings = pp->ntrainings;
	if (elig_has_rules(&a->rules) &&
	    elig_evaluate(&a->rules, &ep, today, &reason) == 0 && reason) {
		add_why(&sb, "%s", reason);
		free(reason);
	}
	strbuf_release(&list);
	if (sb.len == 0) {
		strbuf_release(&sb);
		return 1;
	}
	*why = strbuf_detach(&sb, NULL);
	return 0;
}

/* ---- seating ---- */

uint64_t
session_lottery(long long session_id, const char *email)
{
	char prefix[64];
	uint64_t h = 14695981039346656037ULL;
	const unsigned char *p;
	int n;

	n = snprintf(prefix, sizeof prefix, "mentorctl-session:%lld:",
	    session_id);
	for (p = (const unsigned char *)prefix; n > 0 && *p; p++) {
		h ^= *p;
		h *= 1099511628211ULL;
	}
	for (p = (const unsigned char *)email; p && *p; p++) {
		h ^= (unsigned char)tolower(*p);
		h *= 1099511628211ULL;
	}
	/* SplitMix64's finaliser: FNV's low bits alone mix poorly */
	h ^= h >> 30;
	h *= 0xbf58476d1ce4e5b9ULL;
	h ^= h >> 27;
	h *= 0x94d049bb133111ebULL;
	h ^= h >> 31;
	return h;
}

static int
seat_cmp(const void *a, const void *b)
{
	const struct seat_candidate *x = a, *y = b;

	if (x->attended != y->attended)
		return x->attended < y->attended ? -1 : 1;
	if (x->lottery != y->lottery)
		return x->lottery < y->lottery ? -1 : 1;
	return strcasecmp(x->email, y->email);
}

void
session_seat_order(long long session_id, struct seat_candidate *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		v[i].lottery = session_lottery(session_id, v[i].email);
	if (n > 1)
		xqsort(v, n, sizeof *v, seat_cmp);
}

/* ---- the report ---- */

void
session_facts_free(struct session_facts *f)
{
	size_t i;

	if (f == NULL)
		return;
	for (i = 0; i < f->nleaders; i++) {
		free(f->leaders[i].email);
		free(f->leaders[i].name);
	}
	for (i = 0; i < f->npeople; i++)
		free(f->people[i].department);
	free(f->sessions);
	free(f->leaders);
	free(f->people);
	memset(f, 0, sizeof *f);
}

static void
row_count(struct metrics_rows *rows, const char *metric, long long n,
    char *detail)
{
	struct metrics_row *row;

	row = metrics_row_append(rows, SESSION_SECTION, metric, NULL,
	    METRICS_COUNT, metrics_ratio(n, 1));
	row->detail = detail;
}

static void
row_rate(struct metrics_rows *rows, const char *metric, char *group,
    long long num, long long den, const char *of)
{
	struct metrics_row *row;

	row = metrics_row_append(rows, SESSION_SECTION, metric, group,
	    METRICS_RATE, metrics_ratio(num, den));
	row->detail = xasprintf("%lld of %lld %s", num, den, of);
}

static int
year_of(int day)
{
	char buf[DATE_BUFSZ];

	date_format(day, buf);
	return atoi(buf);
}

/* Sessions per leader per calendar year, against the target. */
static void
rows_leaders(const struct program *p, const struct session_facts *f,
    struct metrics_rows *rows)
{
	int target = p->sessions.per_leader_per_year;
	size_t l, i;

	for (l = 0; l < f->nleaders; l++) {
		int years[64], held[64], planned[64];
		size_t ny = 0, k;

		for (i = 0; i < f->nsessions; i++) {
			const struct session_fact *s = &f->sessions[i];
			int y = year_of(s->held_on);

			if (s->leader != l)
				continue;
			for (k = 0; k < ny && years[k] != y; k++)
				;
			if (k == ny) {
				if (ny == sizeof years / sizeof years[0])
					continue;
				years[ny] = y;
				held[ny] = planned[ny] = 0;
				ny++;
			}
			if (s->held_on <= f->as_of)
				held[k]++;
			else
				planned[k]++;
		}
		/* sessions are sorted by day: so are the years */
		for (k = 0; k < ny; k++) {
			struct metrics_row *row;
			int year_end = date_from_ymd(years[k], 12, 31);

			row = metrics_row_append(rows, SESSION_SECTION,
			    "leader_sessions", xasprintf("leader=%s,year=%d",
			    f->leaders[l].email, years[k]), METRICS_COUNT,
			    metrics_ratio(held[k], 1));
			row->detail = xasprintf("%d held, %d planned%s%s",
			    held[k], planned[k], f->leaders[l].name ? "; " : "",
			    f->leaders[l].name ? f->leaders[l].name : "");
			if (target <= 0)
				continue;
			row->has_target = true;
			row->target = target;
			row->status = metrics_goal_status_name(
			    held[k] >= target ? METRICS_GOAL_MET :
			    f->as_of > year_end ? METRICS_GOAL_NOT_MET :
			    held[k] + planned[k] >= target ?
			    METRICS_GOAL_ON_TRACK : METRICS_GOAL_AT_RISK);
		}
	}
}

struct reach_group {
	char *key;
	long long audience;
	long long reached;
};

static void
reach_add(struct reach_group **v, size_t *n, char *key, bool reached)
{
	size_t i;

	for (i = 0; i < *n; i++)
		if (strcmp((*v)[i].key, key) == 0)
			break;
	if (i == *n) {
		*v = xreallocarray(*v, *n + 1, sizeof **v);
		(*v)[i].key = key;
		(*v)[i].audience = (*v)[i].reached = 0;
		(*n)++;
	} else
		free(key);
	(*v)[i].audience++;
	if (reached)
		(*v)[i].reached++;
}

static int
reach_cmp(const void *a, const void *b)
{
	const struct reach_group *x = a, *y = b;

	return strcmp(x->key, y->key);
}

/* Level groups sort by number, not text. */
static int
reach_level_cmp(const void *a, const void *b)
{
	const struct reach_group *x = a, *y = b;
	long lx = strtol(x->key + strlen("level="), NULL, 10);
	long ly = strtol(y->key + strlen("level="), NULL, 10);

	if (strcmp(x->key, "level=(none)") == 0 ||
	    strcmp(y->key, "level=(none)") == 0)
		return strcmp(x->key, y->key);
	return (lx > ly) - (lx < ly);
}

static void
rows_reach(const struct session_facts *f, struct metrics_rows *rows)
{
	struct reach_group *dept = NULL, *lv = NULL;
	size_t nd = 0, nl = 0, i;
	long long audience = 0, reached = 0;

	for (i = 0; i < f->npeople; i++) {
		const struct session_reach_fact *r = &f->people[i];

		if (!r->in_audience)
			continue;
		audience++;
		if (r->attended)
			reached++;
		reach_add(&dept, &nd, xasprintf("department=%s",
		    r->department ? r->department : "(none)"), r->attended);
		reach_add(&lv, &nl, r->has_level ? xasprintf("level=%d",
		    r->level) : xstrdup("level=(none)"), r->attended);
	}
	row_rate(rows, "reach", NULL, reached, audience, "people of the "
	    "audience attended a session");
	if (nd > 1)
		xqsort(dept, nd, sizeof *dept, reach_cmp);
	if (nl > 1)
		xqsort(lv, nl, sizeof *lv, reach_level_cmp);
	for (i = 0; i < nd; i++)
		row_rate(rows, "reach_by_department", dept[i].key,
		    dept[i].reached, dept[i].audience, "attended");
	for (i = 0; i < nl; i++)
		row_rate(rows, "reach_by_level", lv[i].key, lv[i].reached,
		    lv[i].audience, "attended");
	/* the keys went to the rows */
	free(dept);
	free(lv);
}

void
session_report_rows(const struct program *p, const struct session_facts *f,
    struct metrics_rows *rows)
{
	long long held = 0, planned = 0, seats = 0, seated = 0, waiting = 0;
	long long rec_seated = 0, rec_attended = 0, unrecorded = 0;
	size_t i;

	if (!p->sessions.present && f->nsessions == 0)
		return;
	for (i = 0; i < f->nsessions; i++) {
		const struct session_fact *s = &f->sessions[i];

		if (s->held_on > f->as_of) {
			planned++;
			continue;
		}
		held++;
		seats += s->seats;
		seated += s->seated;
		waiting += s->waitlisted;
		if (s->attended > 0) {
			rec_seated += s->seated;
			rec_attended += s->attended;
		} else
			unrecorded++;
	}
	row_count(rows, "sessions_held", held, NULL);
	row_count(rows, "sessions_planned", planned, NULL);
	row_count(rows, "seats_offered", seats, xstrdup("over the sessions "
	    "held"));
	row_count(rows, "seated", seated, xstrdup("over the sessions held"));
	row_count(rows, "waitlisted", waiting, xstrdup("still waiting when "
	    "their session was held"));
	row_rate(rows, "attendance_rate", NULL, rec_attended, rec_seated,
	    "seated attended (sessions with attendance recorded)");
	row_count(rows, "sessions_without_attendance", unrecorded,
	    xstrdup("held, nobody marked as attending ('mentorctl session "
	    "attend')"));
	rows_leaders(p, f, rows);
	rows_reach(f, rows);
}
