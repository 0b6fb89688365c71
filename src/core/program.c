#include "core/program.h"

#include <stdlib.h>
#include <string.h>

#include "util/xmalloc.h"

/*
 * The YAML spellings.  Each table is indexed by its enum, so the order must
 * follow program.h.
 */
static const char *const program_purposes[] = {
	[PURPOSE_ENGAGEMENT] = "engagement",
	[PURPOSE_KNOWLEDGE_TRANSFER] = "knowledge-transfer",
	[PURPOSE_CULTURE_CHANGE] = "culture-change",
	[PURPOSE_LEADERSHIP] = "leadership",
	[PURPOSE_INCLUSION] = "inclusion",
	[PURPOSE_ONBOARDING] = "onboarding",
};

static const char *const program_formats[] = {
	[FORMAT_ONE_TO_ONE] = "one-to-one",
	[FORMAT_GROUP] = "group",
	[FORMAT_PEER] = "peer",
	[FORMAT_REVERSE] = "reverse",
	[FORMAT_FLASH] = "flash",
	[FORMAT_ROTATIONAL] = "rotational",
	[FORMAT_NETWORK] = "network",
};

static const char *const audience_froms[] = {
	[AUDIENCE_ENROLLED] = "enrolled",
	[AUDIENCE_EVERYONE] = "everyone",
};

static const char *const match_compares[] = {
	[COMPARE_OVERLAP] = "overlap",
	[COMPARE_SAME] = "same",
	[COMPARE_DIFFERENT] = "different",
	[COMPARE_WITHIN_HOURS] = "within_hours",
	[COMPARE_MENTOR_ABOVE] = "mentor_above",
	[COMPARE_MENTEE_ABOVE] = "mentee_above",
	[COMPARE_WITHIN] = "within",
	[COMPARE_CLOSE] = "close",
	[COMPARE_GAP] = "gap",
	[COMPARE_NOT_IN] = "not_in",
	[COMPARE_PREFERENCE] = "preference",
	[COMPARE_WAITED] = "waited",
	[COMPARE_PREVIOUS_PARTNER] = "previous_partner",
};

static const char *const match_consents[] = {
	[CONSENT_BOTH] = "both",
	[CONSENT_MENTEE] = "mentee",
	[CONSENT_NONE] = "none",
};

static const char *const match_objectives[] = {
	[OBJECTIVE_COVERAGE] = "coverage",
	[OBJECTIVE_SCORE] = "score",
	[OBJECTIVE_STABLE] = "stable",
};

static const char *const match_balances[] = {
	[BALANCE_NONE] = "none",
	[BALANCE_SPREAD] = "spread",
};

static const struct {
	const char *name;
	enum match_exclusion bit;
} match_exclusions[] = {
	{ "same_manager_line", EXCLUDE_SAME_MANAGER_LINE },
	{ "previous_partners", EXCLUDE_PREVIOUS_PARTNERS },
	{ "same_department", EXCLUDE_SAME_DEPARTMENT },
};

const char *const program_metrics[] = {
	"match_rate",
	"days_to_match",
	"days_to_first_meeting",
	"checkin_adherence",
	"stalled_rate",
	"reup_rate",
	"early_closure_rate",
	"satisfaction",
	"retention",
	"flash_attendance",
	"flash_coverage",
	NULL,
};

#define NITEMS(a) (sizeof(a) / sizeof((a)[0]))

static const char *
program_table_name(const char *const *tab, size_t n, int v)
{
	if (v < 0 || (size_t)v >= n)
		return "?";
	return tab[v];
}

static int
program_table_parse(const char *const *tab, size_t n, const char *s)
{
	size_t i;

	if (s == NULL)
		return -1;
	for (i = 0; i < n; i++)
		if (strcmp(tab[i], s) == 0)
			return (int)i;
	return -1;
}

const char *
program_purpose_name(enum program_purpose p)
{
	return program_table_name(program_purposes, NITEMS(program_purposes),
	    (int)p);
}

const char *
program_format_name(enum program_format f)
{
	return program_table_name(program_formats, NITEMS(program_formats),
	    (int)f);
}

const char *
match_compare_name(enum match_compare c)
{
	return program_table_name(match_compares, NITEMS(match_compares),
	    (int)c);
}

const char *
match_consent_name(enum match_consent c)
{
	return program_table_name(match_consents, NITEMS(match_consents),
	    (int)c);
}

const char *
match_objective_name(enum match_objective o)
{
	return program_table_name(match_objectives, NITEMS(match_objectives),
	    (int)o);
}

const char *
match_balance_name(enum match_balance b)
{
	return program_table_name(match_balances, NITEMS(match_balances),
	    (int)b);
}

int
match_balance_parse(const char *s)
{
	return program_table_parse(match_balances, NITEMS(match_balances), s);
}

bool
match_criterion_scores(const struct match_criterion *c)
{
	return c->compare != COMPARE_NOT_IN && c->weight > 0;
}

bool
program_several_mentors(const struct program *p)
{
	return p->format == FORMAT_ONE_TO_ONE || p->format == FORMAT_PEER ||
	    p->format == FORMAT_REVERSE;
}

bool
match_criterion_has_attribute(const struct match_criterion *c)
{
	return c->compare != COMPARE_PREFERENCE &&
	    c->compare != COMPARE_WAITED &&
	    c->compare != COMPARE_PREVIOUS_PARTNER;
}

int
program_purpose_parse(const char *s)
{
	return program_table_parse(program_purposes, NITEMS(program_purposes),
	    s);
}

int
program_format_parse(const char *s)
{
	return program_table_parse(program_formats, NITEMS(program_formats),
	    s);
}

int
match_compare_parse(const char *s)
{
	return program_table_parse(match_compares, NITEMS(match_compares), s);
}

int
match_consent_parse(const char *s)
{
	return program_table_parse(match_consents, NITEMS(match_consents), s);
}

int
match_objective_parse(const char *s)
{
	return program_table_parse(match_objectives, NITEMS(match_objectives),
	    s);
}

const char *
audience_from_name(enum audience_from f)
{
	return program_table_name(audience_froms, NITEMS(audience_froms), f);
}

int
audience_from_parse(const char *s)
{
	return program_table_parse(audience_froms, NITEMS(audience_froms), s);
}

int
match_exclusion_parse(const char *s)
{
	size_t i;

	if (s == NULL)
		return -1;
	for (i = 0; i < NITEMS(match_exclusions); i++)
		if (strcmp(match_exclusions[i].name, s) == 0)
			return (int)match_exclusions[i].bit;
	return -1;
}

bool
program_metric_valid(const char *name)
{
	size_t i;

	if (name == NULL)
		return false;
	for (i = 0; program_metrics[i] != NULL; i++)
		if (strcmp(program_metrics[i], name) == 0)
			return true;
	return false;
}

int
program_metric_format(const char *name)
{
	if (name != NULL && strncmp(name, "flash_", 6) == 0)
		return FORMAT_FLASH;
	return -1;
}

struct program *
program_new(void)
{
	struct program *p;

	p = xcalloc(1, sizeof *p);
	p->purpose = PURPOSE_ENGAGEMENT;
	p->format = FORMAT_ONE_TO_ONE;

	p->mentor.capacity = 1;
	p->mentee.capacity = 1;

	p->cycle.start = DATE_NONE;
	p->cycle.length = (struct duration){ 0, DATE_UNIT_MONTH };
	/* Without a reup block the window is the cycle's last day. */
	p->cycle.reup_opens = (struct duration){ 0, DATE_UNIT_DAY };
	p->cycle.reup_closes = (struct duration){ 0, DATE_UNIT_DAY };
	p->cycle.reup_default = REUP_DEFAULT_EXIT;

	/* Only meaningful once a checkins block sets `every`. */
	p->checkins.every = (struct duration){ 0, DATE_UNIT_WEEK };
	p->checkins.remind_before = (struct duration){ 2, DATE_UNIT_DAY };
	p->checkins.overdue_after = (struct duration){ 5, DATE_UNIT_DAY };
	p->checkins.stalled_after = 2;

	p->matching.consent = CONSENT_BOTH;
	p->matching.respond_within = (struct duration){ 10, DATE_UNIT_DAY };
	p->matching.objective = OBJECTIVE_COVERAGE;
	p->matching.min_score = 0;

	p->notes_private = true;

	p->flash.table_size = 1;
	p->flash.date = DATE_NONE;
	p->rotation.every = (struct duration){ 0, DATE_UNIT_MONTH };
	p->group.department_diversity = true;
	p->group.max_per_department = 1;
	p->peer.max_level_gap = 1;
	p->network.introductions_from = 3;
	p->network.target = 6;
	p->sessions.minutes = 60;
	return p;
}

static void
program_strv_free(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static void
program_role_free(struct program_role_config *r)
{
	program_strv_free(r->eligibility.trainings, r->eligibility.ntrainings);
}

void
program_free(struct program *p)
{
	size_t i;

	if (p == NULL)
		return;
	if (p->shared > 0) {
		p->shared--;
		return;
	}
	free(p->slug);
	free(p->name);
	free(p->owner);
	free(p->contact);
	free(p->sponsor);
	free(p->description);
	for (i = 0; i < p->ngoals; i++) {
		free(p->goals[i].id);
		free(p->goals[i].statement);
		free(p->goals[i].metric);
	}
	free(p->goals);
	program_role_free(&p->mentor);
	program_role_free(&p->mentee);
	program_strv_free(p->checkins.prompts, p->checkins.nprompts);
	for (i = 0; i < p->matching.ncriteria; i++) {
		free(p->matching.criteria[i].attribute);
		free(p->matching.criteria[i].mentee_attribute);
		free(p->matching.criteria[i].points);
	}
	free(p->matching.criteria);
	program_strv_free(p->sessions.audience.rules.trainings,
	    p->sessions.audience.rules.ntrainings);
	program_strv_free(p->sessions.audience.departments,
	    p->sessions.audience.ndepartments);
	program_strv_free(p->sessions.audience.exclude_departments,
	    p->sessions.audience.nexclude_departments);
	program_strv_free(p->sessions.audience.locations,
	    p->sessions.audience.nlocations);
	free(p);
}
