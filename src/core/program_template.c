/*
 * Commented starting files for `program new --template FORMAT`.
 */
#include "core/program_template.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "util/strbuf.h"
#include "util/xmalloc.h"

const char *const program_template_names[] = {
	"one-to-one", "group", "peer", "reverse", "flash", "rotational",
	"network", NULL,
};

/* What differs between the formats. */
struct template {
	const char *name;
	const char *title;           /* "Mentoring" in "<Slug> Mentoring" */
	const char *purpose;
	const char *about;           /* the comment at the top */
	int mentor_capacity;
	const char *capacity_note;
	const char *mentor_rules;    /* roles.mentor.eligibility */
	const char *mentee_rules;
	const char *block;           /* the format's own settings, or "" */
	const char *length;
	const char *every;
	const char *consent;
	const char *objective;
	const char *criteria;        /* matching.criteria lines */
	const char *exclude;
};

static const struct template templates[] = {
	{ "one-to-one", "Mentoring", "knowledge-transfer",
	  "One mentor, one mentee, a six-month cycle with fortnightly meetings.",
	  2, "mentees per mentor at a time",
	  "{ min_tenure_years: 3, trainings: [mentor-basics] }",
	  "{ trainings: [mentee-orientation] }", "",
	  "6 months", "2 weeks", "both", "coverage",
	  "    - { attribute: skills, mentee_attribute: wants, compare: overlap, weight: 5 }\n"
	  "    - { attribute: department, compare: different, weight: 2 }\n"
	  "    - { attribute: timezone, compare: within_hours, hours: 3, weight: 2 }\n"
	  "    - { attribute: level, compare: mentor_above, min_gap: 1, weight: 3 }\n",
	  "[same_manager_line, previous_partners]" },
	{ "group", "Circles", "leadership",
	  "Group mentoring: one mentor meets a circle of mentees, at most one\n"
	  "from each department.",
	  5, "the circle's size: mentees per mentor",
	  "{ min_tenure_years: 5, min_level: 7, trainings: [circle-facilitation] }",
	  "{ min_tenure_years: 1, min_level: 4, max_level: 6 }",
	  "group:\n"
	  "  department_diversity: true|mix departments inside a circle\n"
	  "  max_per_department: 1\n",
	  "9 months", "1 month", "both", "coverage",
	  "    - { attribute: skills, mentee_attribute: wants, compare: overlap, weight: 4 }\n"
	  "    - { attribute: level, compare: mentor_above, min_gap: 2, weight: 2 }\n",
	  "[same_manager_line, same_department]" },
	{ "peer", "Peer Mentoring", "engagement",
	  "Peer mentoring: partners at about the same level, from different\n"
	  "departments, learn from each other.",
	  1, "partners per person",
	  "{ min_level: 3, max_level: 5 }", "{ min_level: 3, max_level: 5 }",
	  "peer:\n"
	  "  max_level_gap: 1|levels at most this far apart\n",
	  "6 months", "3 weeks", "both", "score",
	  "    - { attribute: level, compare: within, max_gap: 1, weight: 3, required: true }\n"
	  "    - { attribute: skills, mentee_attribute: wants, compare: overlap, weight: 4 }\n"
	  "    - { attribute: department, compare: different, weight: 3, required: true }\n",
	  "[same_manager_line, previous_partners]" },
	{ "reverse", "Reverse Mentoring", "culture-change",
	  "Reverse mentoring: the junior is the mentor and teaches a senior\n"
	  "leader (digital tools, a younger generation's view of the company).",
	  1, "leaders per junior mentor",
	  "{ max_level: 3, trainings: [reverse-mentor-briefing] }",
	  "{ min_level: 5 }", "",
	  "4 months", "2 weeks", "both", "coverage",
	  "    - { attribute: level, compare: mentee_above, min_gap: 3, weight: 3, required: true }\n"
	  "    - { attribute: department, compare: different, weight: 2 }\n"
	  "    - { attribute: skills, mentee_attribute: wants, compare: overlap, weight: 4 }\n",
	  "[same_manager_line]" },
	{ "flash", "Speed Mentoring", "onboarding",
	  "Flash (speed) mentoring: timed rounds in one session, each mentee\n"
	  "meets a different mentor every round; follow-up pairings after it.",
	  2, "follow-up mentees per mentor after the session",
	  "{ min_tenure_years: 2, trainings: [speed-mentoring-host] }",
	  "{}",
	  "flash:\n"
	  "  rounds: 5|rounds in the session\n"
	  "  minutes: 12|length of a round\n"
	  "  table_size: 2|mentees per mentor per round\n"
	  "  date: @START@|the session's day\n",
	  "3 months", "1 month", "none", "coverage",
	  "    - { attribute: interests, compare: overlap, weight: 3 }\n"
	  "    - { attribute: department, compare: different, weight: 2 }\n",
	  "[same_manager_line]" },
	{ "rotational", "Rotation", "knowledge-transfer",
	  "Rotational mentoring: each mentee meets a different mentor every\n"
	  "period (here twelve mentors over a year).",
	  3, "mentees per mentor in each period",
	  "{ min_tenure_years: 2, min_level: 6 }", "{ max_level: 3 }",
	  "rotation:\n"
	  "  periods: 12|mentors each mentee meets in turn\n"
	  "  every: 1 month|length of a period\n",
	  "12 months", "2 weeks", "both", "coverage",
	  "    - { attribute: skills, mentee_attribute: wants, compare: overlap, weight: 4 }\n"
	  "    - { attribute: department, compare: different, weight: 1 }\n",
	  "[same_manager_line]" },
	{ "network", "Network Mentoring", "inclusion",
	  "Network mentoring: after the first meetings the mentor introduces\n"
	  "the mentee to new contacts (mentorctl introduce).",
	  2, "mentees per mentor at a time",
	  "{ min_tenure_years: 3 }", "{}",
	  "network:\n"
	  "  introductions_from: 3|introductions from meeting 3 on\n"
	  "  target: 6|contacts each mentee should reach\n",
	  "6 months", "2 weeks", "both", "coverage",
	  "    - { attribute: department, compare: different, weight: 3 }\n"
	  "    - { attribute: interests, compare: overlap, weight: 2 }\n",
	  "[same_manager_line, previous_partners]" },
};

/* The Monday on or after day. */
static int
monday_from(int day)
{
	/* 1970-01-01 was a Thursday: day 4 (mod 7) is a Monday. */
	int wd = ((day % 7) + 7 + 3) % 7;      /* 0 Monday .. 6 Sunday */

	return wd == 0 ? day : day + 7 - wd;
}

#define COMMENT_COLUMN 32

/* "text  # comment", the comments of a file in one column. */
static void
line(struct strbuf *sb, const char *comment, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
line(struct strbuf *sb, const char *comment, const char *fmt, ...)
{
	size_t start = sb->len;
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(sb, fmt, ap);
	va_end(ap);
	if (comment != NULL) {
		do
			strbuf_addch(sb, ' ');
		while (sb->len - start < COMMENT_COLUMN);
		strbuf_addf(sb, "# %s", comment);
	}
	strbuf_addch(sb, '\n');
}

/* The format's own block: lines "text|comment", @START@ the date. */
static void
add_block(struct strbuf *sb, const char *block, const char *date)
{
	struct strbuf text = STRBUF_INIT;
	const char *p, *nl, *bar, *at;

	for (p = block; *p; p = nl + 1) {
		if ((nl = strchr(p, '\n')) == NULL)
			break;
		strbuf_reset(&text);
		bar = memchr(p, '|', (size_t)(nl - p));
		strbuf_add(&text, p, (size_t)((bar ? bar : nl) - p));
		if ((at = strstr(text.buf, "@START@")) != NULL) {
			size_t off = (size_t)(at - text.buf);
			char rest[128];

			snprintf(rest, sizeof rest, "%s", at + 7);
			strbuf_setlen(&text, off);
			strbuf_addstr(&text, date);
			strbuf_addstr(&text, rest);
		}
		if (bar) {
			char *c = xstrndup(bar + 1, (size_t)(nl - bar - 1));

			line(sb, c, "%s", text.buf);
			free(c);
		} else {
			line(sb, NULL, "%s", text.buf);
		}
	}
	strbuf_release(&text);
}

char *
program_template(const char *name, const char *slug, int today)
{
	const struct template *t = NULL;
	struct strbuf sb = STRBUF_INIT;
	char start[DATE_BUFSZ], due1[DATE_BUFSZ], due2[DATE_BUFSZ];
	const char *p, *nl;
	int s, y, m, d;
	size_t i;

	for (i = 0; i < sizeof templates / sizeof templates[0]; i++)
		if (strcmp(templates[i].name, name) == 0)
			t = &templates[i];
	if (t == NULL)
		return NULL;
	s = monday_from(today + 14);
	date_format(s, start);
	date_format(s + 14, due1);
	date_format(s + 175, due2);
	date_to_ymd(s, &y, &m, &d);
	strbuf_addf(&sb, "# %s %d\n", t->title, y);
	for (p = t->about; (nl = strchr(p, '\n')) != NULL; p = nl + 1)
		strbuf_addf(&sb, "# %.*s\n", (int)(nl - p), p);
	strbuf_addf(&sb, "# %s\n#\n", p);
	strbuf_addf(&sb, "# A starting point written by `mentorctl program new "
	    "--template %s`:\n# change what the comments point at, then check "
	    "and store it:\n#   mentorctl program check FILE && mentorctl "
	    "program add FILE\n# Every key is described in "
	    "mentorctl-program(5).\n", t->name);
	line(&sb, "[a-z0-9-]+, unique: commands name it", "slug: %s", slug);
	line(&sb, NULL, "name: %s %d", t->title, y);
	line(&sb, "engagement | knowledge-transfer | culture-change | "
	    "leadership | inclusion | onboarding", "purpose: %s", t->purpose);
	line(&sb, NULL, "format: %s", t->name);
	line(&sb, "the team that owns the programme", "owner: People "
	    "Development");
	line(&sb, "From of reminders; gets escalations", "contact: "
	    "mentoring@example.org");
	line(&sb, "who the report is for", "sponsor: Sponsor Name");
	line(&sb, "SMART goals, each with a metric the report computes",
	    "goals:");
	line(&sb, NULL, "  - id: match-rate");
	line(&sb, NULL, "    statement: Match 90%% of eligible mentees within "
	    "two weeks of launch");
	line(&sb, NULL, "    metric: match_rate");
	line(&sb, NULL, "    target: 0.9");
	line(&sb, NULL, "    due: %s", due1);
	line(&sb, NULL, "  - id: checkins");
	line(&sb, NULL, "    statement: Pairs hold at least 80%% of their "
	    "check-ins");
	line(&sb, NULL, "    metric: checkin_adherence");
	line(&sb, NULL, "    target: 0.8");
	line(&sb, NULL, "    due: %s", due2);
	line(&sb, NULL, "roles:");
	line(&sb, NULL, "  mentor:");
	line(&sb, t->capacity_note, "    capacity: %d", t->mentor_capacity);
	line(&sb, NULL, "    eligibility: %s", t->mentor_rules);
	line(&sb, NULL, "  mentee:");
	line(&sb, NULL, "    eligibility: %s", t->mentee_rules);
	add_block(&sb, t->block, start);
	line(&sb, NULL, "cycle:");
	line(&sb, "a Monday two weeks from today", "  start: %s", start);
	/* a rotation's periods are its cycles: rotation.every, no re-up */
	if (strcmp(t->name, "rotational") != 0) {
		line(&sb, "N days | weeks | months", "  length: %s",
		    t->length);
		line(&sb, NULL, "  reup: { opens: 3 weeks before end, closes: "
		    "1 week before end, default: exit }");
	}
	line(&sb, NULL, "checkins:");
	line(&sb, NULL, "  every: %s", t->every);
	line(&sb, NULL, "  remind: 2 days before");
	line(&sb, NULL, "  overdue_after: 5 days");
	line(&sb, "consecutive missed check-ins", "  stalled_after: 2 missed");
	line(&sb, "the topic of meeting 1, 2, 3, ...", "  prompts:");
	line(&sb, NULL, "    - Explore each other's past - career paths and "
	    "turning points");
	line(&sb, NULL, "    - The mentee's ambitions, goals, needs and "
	    "challenges");
	line(&sb, NULL, "    - Agree how you will work together - cadence, "
	    "confidentiality, success");
	line(&sb, NULL, "matching:");
	line(&sb, "both | mentee | none: who must accept a proposal",
	    "  consent: %s", t->consent);
	line(&sb, "an unanswered proposal then expires", "  respond_within: "
	    "10 days");
	line(&sb, "coverage: most matched first | score: best total score",
	    "  objective: %s", t->objective);
	line(&sb, "0-100: pairs below it are never proposed", "  min_score: "
	    "20");
	line(&sb, NULL, "  criteria:");
	strbuf_addstr(&sb, t->criteria);
	line(&sb, NULL, "  exclude: %s", t->exclude);
	line(&sb, NULL, "confidentiality:");
	line(&sb, "notes never leave the database unless asked", "  notes: "
	    "private");
	return strbuf_detach(&sb, NULL);
}
