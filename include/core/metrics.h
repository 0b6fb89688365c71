#ifndef MENTORCTL_CORE_METRICS_H
#define MENTORCTL_CORE_METRICS_H

#include <stdbool.h>
#include <stddef.h>

#include "core/date.h"
#include "core/program.h"
#include "core/status.h"

/*
 * The arithmetic of `mentorctl report`: the spec's built-in metrics, the
 * funnel, check-in adherence, re-ups, closures and feedback, computed as of a
 * day from facts that store/report_store.h loads.  Pure: no database, no
 * clock, no printing.
 *
 * As of day D, only what existed on D counts: the store leaves out
 * enrollments enrolled after D, pairings proposed after D, check-ins held and
 * feedback given after D; this module reads every other date against D
 * (activated_on <= D, ended_on <= D, declined_on <= D, withdrawn_on <= D...),
 * so a report as of a past day is the report that day would have printed.
 *
 * Definitions (docs/mentorctl.1 repeats them):
 *
 *   eligible        eligible_on <= D; an enrollment stored eligible or active
 *                   without an eligible_on counts from its enrollment; having
 *                   been matched implies it.
 *   matched         had a pairing with activated_on <= D.
 *   active          has a pairing active on D (activated, not yet ended).
 *   ended           matched but not active on D.
 *   match_rate      matched eligible mentees / eligible mentees, leaving out
 *                   mentees who withdrew before being matched.
 *   days_to_match   median over matched mentees of first activation minus
 *                   enrolled_on.
 *   anchor          sched_anchor(activated_on, start of the pairing's first
 *                   cycle): a pair matched before launch is measured from
 *                   the launch, as schedule and remind count (issue 12.3).
 *   days_to_first_meeting
 *                   median over activated pairings that met of the first
 *                   check-in minus the anchor.
 *   checkin_adherence
 *                   sum of min(held, due) / sum of due over pairings that
 *                   turned active, due = sched_due_count(every, anchor,
 *                   end), end = ended_on when it is <= D, else D.  Extra
 *                   meetings of one pair do not make up for another's missed
 *                   ones.  Check-ins count inside [anchor, end].
 *   overdue, stalled
 *                   schedule.h's clock, the same as `remind` uses: anchor is
 *                   activated_on or the start of the latest cycle started
 *                   on or before D, if later.
 *   stalled_rate    stalled / active pairings on D.
 *   reup_rate       per cycle: pairing_cycle rows decided by D (decided_on,
 *                   else the cycle's end) with outcome continued / those with
 *                   outcome continued or exited; a cycle is listed once it
 *                   has ended or has such a decision.
 *   early_closure_rate
 *                   pairings ended by D before the end of the cycle they were
 *                   in (not by an exit decision at that end) / pairings that
 *                   turned active; n/a when the programme has no cycles.
 *   satisfaction    mean feedback rating; hidden under METRICS_K_MIN answers.
 *   feedback        every figure drawn from feedback comes from published
 *                   windows: calendar months closed by D (on their last
 *                   day) that brought at least METRICS_K_MIN responses since
 *                   the last publication (a month with fewer carries over),
 *                   and is a sum of cells of at least METRICS_K_MIN inside
 *                   each window (groups by role, department, cycle, about;
 *                   rating buckets; circles), with complementary
 *                   suppression.  So no two report days, and no group and
 *                   the total, differ by fewer than METRICS_K_MIN responses
 *                   (issues 12.6, 18.6).
 *   retention       mentees not withdrawn on D / mentees enrolled on D.
 *   flash           format flash, the session's seats (`flash seat`) and
 *                   who came (`flash attend`), of mentees enrolled by D.
 *                   The seating carries no date and counts on every day;
 *                   attendance counts from the session's day (flash.date)
 *                   on, or always when the programme sets none.  A mentee
 *                   who had withdrawn by the session's day (or by D, if
 *                   earlier) and is not recorded as came has no seat.  In
 *                   all, per mentee: seated (a seat in some round),
 *                   attended (came to at least one round), absent
 *                   (recorded absent from every round of theirs) and
 *                   unrecorded (the rest: not every round recorded, none
 *                   came); per round, the same of its seats.
 *   flash_attendance
 *                   attended / seated, in all; n/a until attendance is
 *                   recorded (a round: its seats, n/a until one of them is
 *                   recorded).  Unrecorded mentees count as not come.
 *   flash_coverage  mentees who came / eligible mentees (as match_rate,
 *                   with "came" for "matched": leaving out mentees who
 *                   withdrew without having come).
 *   circle          group format, per group_id with a member activated by
 *                   D: members active on D; the detail gives the mentor,
 *                   members ever active, meetings (the most any member
 *                   logged: a circle meeting is a check-in of each member),
 *                   the members' adherence and the circle's feedback
 *                   (hidden under METRICS_K_MIN responses).
 *
 * A rate whose denominator is 0 and a median of nothing are METRICS_NA ("n/a"),
 * never NaN.
 */

/* Fewest feedback responses a shown count, average, rating or comment is drawn from. */
#define METRICS_K_MIN 3

enum metrics_outcome {
	METRICS_OUT_NONE,
	METRICS_OUT_CONTINUED,
	METRICS_OUT_EXITED,
	METRICS_OUT_ENDED,
};

/* ---- the facts (filled by store/report_store.c) ---- */

struct metrics_enrollment {
	long long id;
	long long person_id;
	char *email;
	char *name;                      /* "" when unknown */
	enum program_role role;
	int dept;                        /* index into depts; -1: none */
	enum enrollment_status status;   /* as stored now */
	int capacity;                    /* -1: the role's default */
	int enrolled_on;
	int eligible_on;                 /* DATE_NONE when absent */
	int withdrawn_on;
};

struct metrics_pairing {
	long long id;
	size_t mentor;                   /* indexes into enr */
	size_t mentee;
	int cycle;                       /* index into cycles; -1: none */
	enum pairing_status status;      /* as stored now */
	int proposed_on;
	int expires_on;
	int activated_on;
	int declined_on;
	int ended_on;
	char *end_reason;
	/*
	 * The start of its first cycle (the first stored cycle not over when
	 * it turned active), DATE_NONE when none: its check-in clock starts at
	 * sched_anchor(activated_on, first_cycle_start).
	 */
	int first_cycle_start;
	/* check-ins inside metrics_checkin_window() */
	long long held;
	int first_held;
	int last_held;
	long long feedbacks;             /* feedback rows about it, given by D */
	long long group_id;              /* group format: its circle; 0 none */
};

struct metrics_cycle {
	long long id;
	int number;
	int starts_on;
	int ends_on;                     /* exclusive, as core/cycle.h */
	int reup_opens_on;
	int reup_closes_on;
};

struct metrics_pcycle {
	size_t pairing;                  /* indexes, sorted by pairing */
	size_t cycle;
	enum metrics_outcome outcome;
	int decided_on;
};

struct metrics_feedback {
	long pairing;                    /* index; -1: about the programme */
	long long person_id;
	enum program_role role;          /* the giver's role */
	int dept;
	int rating;                      /* 1..5 */
	char *comment;                   /* NULL when none */
	int given_on;
};

struct metrics_month {
	int year;
	int month;
	long long n;
};

/* A seat of the flash session (format flash): one per mentee and round. */
struct metrics_flash_seat {
	int round;                       /* 1-based */
	size_t mentee;                   /* indexes into enr */
	int attended;                    /* -1 not recorded, 0 absent, 1 came */
};

/* Completed trainings, sorted by (person_id, name); for diagnose. */
struct metrics_training {
	long long person_id;
	char *name;
	int completed_on;
};

/* Most checkpoint days (distinct past due dates of goals) one report computes. */
#define METRICS_MAX_CHECKPOINTS 16

/* A pairing's check-ins inside its window as they stood on some day. */
struct metrics_held {
	long long held;
	int first;                       /* DATE_NONE when none */
	int last;
};

struct metrics_input {
	int as_of;
	/*
	 * Days before as_of whose figures are wanted too (goals judged on
	 * their due dates), and held[i * (1 + ncheckpoints) + 1 + k]: pairing
	 * i's check-ins as they stood on checkpoints[k] ([.. + 0]: on as_of).
	 * Every other fact carries its dates, read against the day asked.
	 */
	int *checkpoints;
	size_t ncheckpoints;
	struct metrics_held *held;
	char **depts;                    /* sorted */
	size_t ndepts;
	struct metrics_enrollment *enr;  /* sorted by id */
	size_t nenr;
	struct metrics_pairing *pairs;   /* sorted by id */
	size_t npairs;
	struct metrics_cycle *cycles;    /* sorted by number */
	size_t ncycles;
	struct metrics_pcycle *pcycles;
	size_t npcycles;
	struct metrics_feedback *fb;
	size_t nfb;
	struct metrics_month *months;    /* check-ins per month, ascending */
	size_t nmonths;
	struct metrics_training *trainings;
	size_t ntrainings;
	struct metrics_flash_seat *flash;  /* sorted by round, mentee */
	size_t nflash;
};

void metrics_input_free(struct metrics_input *in);
/* Index of the enrollment with this id, or -1. */
long metrics_find_enrollment(const struct metrics_input *in, long long id);
long metrics_find_pairing(const struct metrics_input *in, long long id);
long metrics_find_cycle(const struct metrics_input *in, long long id);

/* ---- building blocks ---- */

enum metrics_state {
	METRICS_OK,
	METRICS_NA,       /* zero denominator, nothing to take a median of */
	METRICS_HIDDEN,   /* fewer than METRICS_K_MIN feedback responses */
};

struct metrics_value {
	enum metrics_state state;
	double v;
	long long num;    /* a rate's parts, a hidden or median value's count */
	long long den;
};

/* num / den; METRICS_NA when den is 0. */
struct metrics_value metrics_ratio(long long num, long long den);
/*
 * The median of v[n] (sorted in place): the middle value, or the mean of the
 * two middle ones; METRICS_NA when n is 0.  num is n.
 */
struct metrics_value metrics_median(double *v, size_t n);
/* A mean of n ratings summing to sum, hidden under METRICS_K_MIN. */
struct metrics_value metrics_mean_k(long long sum, long long n);
bool metrics_k_visible(long long n);
/*
 * k-anonymity for the groups of one partition of the responses (by role, by
 * department...): hide[i] is set for every group with fewer than
 * METRICS_K_MIN, then, while the hidden groups together hold 1 or 2
 * responses, for the smallest shown group too, so that the total minus the
 * shown groups never gives away a hidden group's figures.
 */
void metrics_k_suppress(const long long *n, bool *hide, size_t count);

/*
 * Where check-ins count for a pairing: [anchor, end]; false when it had
 * not turned active by as_of.
 */
bool metrics_checkin_window(const struct metrics_pairing *p, int as_of,
    int *from, int *to);

enum metrics_pstate {
	METRICS_P_PROPOSED,
	METRICS_P_ACTIVE,
	METRICS_P_DECLINED,
	METRICS_P_EXPIRED,
	METRICS_P_ENDED,
};
/* A pairing's status as it was on day as_of. */
enum metrics_pstate metrics_pairing_state(const struct metrics_pairing *p,
    int as_of);
bool metrics_withdrawn(const struct metrics_enrollment *e, int as_of);

/* The start of the first stored cycle not over on day; DATE_NONE when none. */
int metrics_first_cycle_start(const struct metrics_input *in, int day);
/* The schedule clock's anchor of an active pairing on as_of (see above). */
int metrics_anchor(const struct metrics_input *in,
    const struct metrics_pairing *p, int as_of);

/* Goals: whether a lower value of the metric is the better one. */
bool metrics_lower_is_better(const char *metric);

/* ---- the report ---- */

#define METRICS_DEPT_ALL (-2)

struct metrics_funnel {
	enum program_role role;
	int dept;                /* METRICS_DEPT_ALL, -1 (none) or an index */
	long long enrolled;
	long long eligible;
	long long matched;
	long long active;
	long long ended;
	long long withdrawn;
};

/* An overdue or stalled pairing on the as-of day. */
struct metrics_flagged {
	size_t pairing;
	int due_on;              /* the check-in owed */
	int last_met;            /* DATE_NONE when they never met */
	int days_late;
	int missed;
	bool stalled;
};

struct metrics_reup {
	size_t cycle;
	struct metrics_value rate;
};

struct metrics_reason {
	const char *reason;      /* borrowed from the input; NULL: none given */
	long long n;
};

enum metrics_fb_part {
	METRICS_FB_ABOUT,        /* key 0: pairing, 1: programme */
	METRICS_FB_ROLE,         /* key: enum program_role */
	METRICS_FB_DEPT,         /* key: dept index or -1 */
	METRICS_FB_CYCLE,        /* key: cycle number, 0: none */
};

struct metrics_fb_group {
	enum metrics_fb_part part;
	int key;
	struct metrics_value responses;  /* count; hidden with the mean */
	struct metrics_value mean;
};

/*
 * A goal past its due date is judged on that day (met, not met), from the
 * figures as they stood then; before it, or without one, it is on track
 * or at risk by today's figures (issue 12.2).
 */
enum metrics_goal_status {
	METRICS_GOAL_MET,
	METRICS_GOAL_NOT_MET,
	METRICS_GOAL_NO_DATA,
	METRICS_GOAL_ON_TRACK,
	METRICS_GOAL_AT_RISK,
};

struct metrics_goal {
	const struct program_goal *goal;  /* borrowed from the programme */
	struct metrics_value value;       /* as of judged_on */
	enum metrics_goal_status status;
	bool past_due;
	int judged_on;                    /* the due date once past, else as_of */
};

/*
 * A flash session's seats and attendance: in all (round 0, counting
 * mentees) or of one round (counting its seats).
 */
struct metrics_flash {
	int round;
	long long seated;
	long long attended;
	long long absent;
	long long unrecorded;
	struct metrics_value rate;        /* attended / seated; n/a until recorded */
};

/* The programme month by month (the HTML report's trend charts). */
struct metrics_trend {
	int year;
	int month;
	int day;                          /* its last day, or the as-of day */
	long long active;                 /* pairings active that day */
	struct metrics_value match_rate;  /* as match_rate, that day */
	long long checkins;               /* held in the month */
};

/* Months the trend covers at most (the last ones). */
#define METRICS_TREND_MONTHS 24

struct metrics_report {
	int as_of;
	struct metrics_trend *trend;      /* oldest first */
	size_t ntrend;
	bool checkins_configured;
	bool has_cycles;

	struct metrics_funnel *funnel;    /* role totals, then role x department */
	size_t nfunnel;

	struct metrics_value match_rate;
	struct metrics_value days_to_match;
	struct metrics_value days_to_first_meeting;
	struct metrics_value checkin_adherence;
	struct metrics_value stalled_rate;
	struct metrics_value reup_rate;
	struct metrics_value early_closure_rate;
	struct metrics_value satisfaction;
	struct metrics_value retention;

	long long proposed;               /* pairings by state on the day */
	long long active;
	long long declined;
	long long expired;
	long long ended;
	long long activated;              /* ever, by the day */
	long long checkins;               /* held by the day, in windows */
	long long early_closures;

	struct metrics_month *months;     /* every month from the first to the as-of one */
	size_t nmonths;
	struct metrics_flagged *flagged;  /* overdue or stalled, by pairing id */
	size_t nflagged;
	long long overdue;
	long long stalled;
	struct metrics_reup *reups;
	size_t nreups;
	struct metrics_reason *reasons;   /* most frequent first */
	size_t nreasons;

	struct metrics_value responses;   /* all feedback; hidden under k */
	struct metrics_fb_group *fbgroups;
	size_t nfbgroups;
	long long ratings[5];             /* distribution, when responses is shown:
	                                     sums of cells of >= k (see below) */
	long long ratings_hidden;         /* responses in hidden rating cells */
	int fb_pending_since;             /* earliest response not published yet */
	int fb_published_through;         /* last day of the last published window */
	const char **comments;            /* sorted, borrowed; when shown */
	size_t ncomments;

	/*
	 * Format flash (else nflash is 0): flash[0] in all, then each round
	 * with a seat, in order.
	 */
	bool flash_held;                  /* the session's day has come */
	struct metrics_flash *flash;
	size_t nflash;
	struct metrics_value flash_attendance;  /* flash[0].rate */
	struct metrics_value flash_coverage;

	struct metrics_goal *goals;
	size_t ngoals;
};

/*
 * Compute the report of programme p from in as of in->as_of.  The report
 * borrows from p and in: keep both alive while using it.
 */
struct metrics_report *metrics_compute(const struct program *p,
    const struct metrics_input *in);
/*
 * The report as it stood on day, a checkpoint of in (or in->as_of) from the
 * same facts; NULL when day is neither.
 */
struct metrics_report *metrics_compute_at(const struct program *p,
    const struct metrics_input *in, int day);
void metrics_report_free(struct metrics_report *r);
/* The value of a built-in metric by name; METRICS_NA for an unknown name. */
struct metrics_value metrics_get(const struct metrics_report *r,
    const char *metric);

/* ---- the report as rows: what csv, json, table and html print ---- */

enum metrics_kind {
	METRICS_COUNT,
	METRICS_RATE,     /* 0..1 */
	METRICS_DAYS,
	METRICS_RATING,   /* 1..5 */
	METRICS_TEXT,
};

/*
 * One row of section,metric,group,value,target,status,due,detail.  group is
 * "all" or comma-separated key=value pairs (role, department, cycle, month,
 * pairing, reason, about, rating, goal, round).  value is a number, or
 * none: for METRICS_TEXT rows (programme, name, as_of, format, comment,
 * session_date: their text is the detail) and for figures that are "n/a" or "hidden".  status: "" for a
 * plain figure (null in json), "n/a", "hidden" (k-anonymity), "met" /
 * "not met" / "on track" / "at risk" / "no data" for goals, "overdue" /
 * "stalled" for flagged pairings.
 */
struct metrics_row {
	const char *section;
	const char *metric;
	char *group;
	enum metrics_kind kind;
	struct metrics_value value;
	bool has_target;
	double target;
	const char *status;
	int due;                  /* DATE_NONE */
	char *detail;             /* NULL when none */
};

struct metrics_rows {
	struct metrics_row *v;
	size_t n;
	size_t cap;
};

#define METRICS_ROWS_INIT { NULL, 0, 0 }

/* Every row of the report, in report order.  Rows borrow from r, p and in. */
void metrics_rows_build(const struct metrics_report *r,
    const struct program *p, const struct metrics_input *in,
    struct metrics_rows *rows);
void metrics_rows_free(struct metrics_rows *rows);
/*
 * Append one row for a section computed elsewhere (core/network.h,
 * core/session.h): section, metric and status are borrowed (string
 * literals), group (NULL: "all") and a detail set later are owned by the
 * rows.  The status follows v's state, as for every row.
 */
struct metrics_row *metrics_row_append(struct metrics_rows *rows,
    const char *section, const char *metric, char *group,
    enum metrics_kind kind, struct metrics_value v);

#define METRICS_VALUE_BUFSZ 64
#define METRICS_HIDDEN_TEXT "fewer than 3 responses"
/*
 * A row's value as text.  Plain (csv, json): rates as fractions "0.75",
 * days and ratings with up to two decimals.  Humane (table, html): rates as
 * "75.0%", days "3.5 days".  Not a number: plain NULL (empty in csv, null
 * in json; the status says why), humane "n/a" or METRICS_HIDDEN_TEXT, and
 * NULL for a METRICS_TEXT row.  *numeric tells whether it is a number.
 */
const char *metrics_value_text(const struct metrics_row *row, bool humane,
    char *buf, size_t size, bool *numeric);
/* A row's target as text (plain or humane, like its value); NULL when none. */
const char *metrics_target_text(const struct metrics_row *row, bool humane,
    char *buf, size_t size);
/* A plain number with at most four decimals and no trailing zeros: "0.95". */
char *metrics_number_text(double v, char *buf, size_t size);

/* "role=mentee,department=Sales" and the like; the caller frees. */
char *metrics_funnel_group(const struct metrics_funnel *f,
    const struct metrics_input *in);
char *metrics_fb_group_name(const struct metrics_fb_group *g,
    const struct metrics_input *in);
const char *metrics_role_name(enum program_role r);
/* "met", "not met", "on track", "at risk", "no data" (the rows' status). */
const char *metrics_goal_status_name(enum metrics_goal_status s);
/* The status of that name; -1 for a word it does not know. */
int metrics_goal_status_parse(const char *s);

#endif
