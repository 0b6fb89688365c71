#ifndef MENTORCTL_CORE_PROGRAM_H
#define MENTORCTL_CORE_PROGRAM_H

#include <stdbool.h>
#include <stddef.h>

#include "core/date.h"

/*
 * A mentoring programme as the coordinator defined it in YAML
 * (docs/mentorctl-program.5).  Pure data: src/config fills it from YAML,
 * src/core computes with it.  All strings are owned by the struct and freed by
 * program_free(); absent optional strings are NULL; absent dates DATE_NONE.
 */

enum program_purpose {
	PURPOSE_ENGAGEMENT,
	PURPOSE_KNOWLEDGE_TRANSFER,
	PURPOSE_CULTURE_CHANGE,
	PURPOSE_LEADERSHIP,
	PURPOSE_INCLUSION,
	PURPOSE_ONBOARDING,
};

enum program_format {
	FORMAT_ONE_TO_ONE,
	FORMAT_GROUP,
	FORMAT_PEER,
	FORMAT_REVERSE,
	FORMAT_FLASH,
	FORMAT_ROTATIONAL,
	FORMAT_NETWORK,       /* one-to-one, and the mentor introduces new contacts */
};

enum program_role {
	ROLE_MENTOR,
	ROLE_MENTEE,
};

struct program_goal {
	char *id;
	char *statement;
	char *metric;      /* one of the built-in metrics (program_metric_valid) */
	double target;
	bool has_target;
	int due;           /* DATE_NONE when absent */
};

struct program_eligibility {
	bool has_min_tenure;
	double min_tenure_years;
	bool has_min_level;
	int min_level;
	bool has_max_level;
	int max_level;
	char **trainings;  /* required trainings, all of them */
	size_t ntrainings;
};

/*
 * The most mentees one mentor takes (a group's size), whether the
 * programme's YAML or an enrollment sets it: one limit, the schema's.
 */
#define PROGRAM_CAPACITY_MAX 1000

struct program_role_config {
	int capacity;      /* default mentees per mentor; group: group size; mentors per mentee */
	int min;           /* mentees: the first `min` mentors of everyone before anyone's next (0: off) */
	struct program_eligibility eligibility;
};

enum reup_default {
	REUP_DEFAULT_EXIT,
	REUP_DEFAULT_CONTINUE,
};

struct program_cycle {
	bool present;
	int start;                      /* DATE_NONE when not given */
	struct duration length;
	struct duration reup_opens;     /* "21 days before end" */
	struct duration reup_closes;    /* "7 days before end" */
	enum reup_default reup_default;
};

struct program_checkins {
	bool present;
	struct duration every;
	struct duration remind_before;  /* "2 days before" */
	struct duration overdue_after;  /* "5 days" */
	int stalled_after;              /* missed in a row; "2 missed" */
	char **prompts;                 /* topic for meeting 1, 2, ... */
	size_t nprompts;
};

enum match_consent {
	CONSENT_BOTH,
	CONSENT_MENTEE,
	CONSENT_NONE,
};

enum match_objective {
	OBJECTIVE_COVERAGE,  /* most mentees matched, then best total score */
	OBJECTIVE_SCORE,     /* best total score, then most matched */
	OBJECTIVE_STABLE,    /* the mentee-optimal stable matching (core/stable.h) */
};

enum match_balance {
	BALANCE_NONE,
	BALANCE_SPREAD,      /* among equal optima, load mentors evenly */
};

enum match_compare {
	COMPARE_OVERLAP,       /* set attributes share values (Jaccard-like, see match.h) */
	COMPARE_SAME,          /* equal values */
	COMPARE_DIFFERENT,     /* unequal values */
	COMPARE_WITHIN_HOURS,  /* time zones at most `hours` apart */
	COMPARE_MENTOR_ABOVE,  /* mentor's value exceeds mentee's by at least min_gap */
	COMPARE_MENTEE_ABOVE,  /* mentee's value exceeds mentor's by at least min_gap */
	COMPARE_WITHIN,        /* |mentor - mentee| <= max_gap */
	COMPARE_CLOSE,         /* numeric closeness: 1 - |diff| / scale, floored at 0 */
	COMPARE_GAP,           /* points by mentor - mentee gap, from a table */
	COMPARE_NOT_IN,        /* the partner's e-mail in my list: never (scores nothing) */
	COMPARE_PREFERENCE,    /* the participants' own preferences (`preferences import`) */
	COMPARE_WAITED,        /* the mentee's days since enrollment, up to `days` */
	COMPARE_PREVIOUS_PARTNER, /* the two were partners before (any programme, either role) */
};

/* compare gap: a gap of `gap` levels (mentor - mentee) scores `points`. */
struct match_gap_points {
	int gap;
	double points;            /* >= 0 */
};

struct match_criterion {
	char *attribute;          /* mentor's attribute (and mentee's unless mentee_attribute) */
	char *mentee_attribute;   /* NULL: same as attribute */
	enum match_compare compare;
	double weight;            /* > 0 */
	double hours;             /* within_hours */
	int min_gap;              /* mentor_above / mentee_above; default 1 */
	int max_gap;              /* within; default 0 */
	double scale;             /* close; > 0 */
	bool required;            /* a zero contribution excludes the pair */
	struct match_gap_points *points; /* gap: the table, sorted by gap */
	size_t npoints;
	int days;                 /* waited: full points from this many days; default 90 */
};

/*
 * Whether criterion c counts in a pair's score (its weight is part of the
 * sum); not_in only excludes.
 */
bool match_criterion_scores(const struct match_criterion *c);
/* Whether c reads an attribute (gap, overlap, ...) or none (preference, waited, ...). */
bool match_criterion_has_attribute(const struct match_criterion *c);

enum match_exclusion {
	EXCLUDE_SAME_MANAGER_LINE = 1 << 0,
	EXCLUDE_PREVIOUS_PARTNERS = 1 << 1,
	EXCLUDE_SAME_DEPARTMENT = 1 << 2,
};

struct program_matching {
	enum match_consent consent;
	struct duration respond_within;
	enum match_objective objective;
	double min_score;                 /* on the 0..100 score scale */
	struct match_criterion *criteria;
	size_t ncriteria;
	unsigned exclude;                 /* enum match_exclusion bits */
	enum match_balance balance;
};

struct program_flash {
	int rounds;
	int minutes;
	int table_size;   /* mentees per mentor per round */
	int date;         /* the session's day, DATE_NONE when not given */
	/*
	 * start: "HH:MM" local time of round 1 in `timezone` (an IANA name or
	 * UTC offset, util/tz.h; required with start), rounds back to back.
	 * A fixed buffer so that program_free has nothing more to free.
	 */
	bool has_start;
	int start;        /* minutes after midnight, 0..1439 */
	char timezone[64];
	int changeover;   /* minutes between rounds (flash.changeover), 0..60 */
};

struct program_rotation {
	int periods;
	struct duration every;
};

struct program_group {
	bool department_diversity;
	int max_per_department;  /* when diversity is on: at most this many per department per group (default 1) */
};

struct program_peer {
	int max_level_gap;
};

/*
 * format network: from meeting `introductions_from` on, the mentor
 * introduces the mentee to new contacts, `target` of them in all.
 */
struct program_network {
	int introductions_from;   /* default 3 */
	int target;               /* default 6 */
};

/* sessions.audience.from: whom the rules pick from. */
enum audience_from {
	AUDIENCE_ENROLLED,    /* the programme's enrollments, not withdrawn */
	AUDIENCE_EVERYONE,    /* every person in the people table */
};

/*
 * Who is invited to a leader session: the eligibility vocabulary
 * (min_level, max_level, min_tenure_years, trainings) and lists of
 * departments and locations, all of which must hold.  Empty lists do not
 * restrict.
 */
struct program_audience {
	enum audience_from from;
	unsigned roles;                   /* 1 << ROLE_*; 0: any (enrolled only) */
	struct program_eligibility rules;
	char **departments;               /* only these (compared without case) */
	size_t ndepartments;
	char **exclude_departments;       /* never these */
	size_t nexclude_departments;
	char **locations;
	size_t nlocations;
};

/*
 * Senior-leader sessions (listening lunches, fireside chats), in any
 * format: `present` when the YAML has a sessions block.
 */
struct program_sessions {
	bool present;
	int per_leader_per_year;  /* the target per leader; 0: none */
	int seats;                /* default seats of a session; 0: --seats needed */
	int minutes;              /* a session's length; default 60 */
	char timezone[64];        /* of `session add --at`; "" is UTC */
	struct program_audience audience;
};

struct program {
	/*
	 * Other holders of this struct (ops_program_cache): program_free
	 * lets go of one while there are any.  0 for a programme of one owner.
	 */
	int shared;
	char *slug;
	char *name;
	enum program_purpose purpose;
	enum program_format format;
	char *owner;
	char *contact;    /* e-mail address */
	char *sponsor;
	char *description;

	struct program_goal *goals;
	size_t ngoals;

	struct program_role_config mentor;
	struct program_role_config mentee;
	struct program_cycle cycle;
	struct program_checkins checkins;
	struct program_matching matching;

	bool notes_private;   /* confidentiality.notes: private (the default) */

	struct program_flash flash;
	struct program_rotation rotation;
	struct program_group group;
	struct program_peer peer;
	struct program_network network;
	struct program_sessions sessions;
};

struct program *program_new(void);   /* zeroed, with the documented defaults */
/*
 * Whether the format lets a mentee have several mentors at once
 * (one-to-one, peer, reverse): a mentee's capacity may be above 1.
 */
bool program_several_mentors(const struct program *p);
void program_free(struct program *p);

const char *program_purpose_name(enum program_purpose p);
const char *program_format_name(enum program_format f);
const char *match_compare_name(enum match_compare c);
const char *match_consent_name(enum match_consent c);
const char *match_objective_name(enum match_objective o);
const char *match_balance_name(enum match_balance b);
/* Name to enum value; -1 when unknown. */
int program_purpose_parse(const char *s);
int program_format_parse(const char *s);
int match_compare_parse(const char *s);
int match_consent_parse(const char *s);
int match_objective_parse(const char *s);
int match_balance_parse(const char *s);
int match_exclusion_parse(const char *s);
/* "enrolled", "everyone"; parse gives -1 otherwise. */
const char *audience_from_name(enum audience_from f);
int audience_from_parse(const char *s);

/*
 * The built-in metrics of the spec's table, and the flash session's
 * (flash_attendance, flash_coverage: docs/mentorctl-program.5).
 */
extern const char *const program_metrics[];
bool program_metric_valid(const char *name);
/* The format a metric is for (flash_*: FORMAT_FLASH); -1 when for any. */
int program_metric_format(const char *name);

#endif
