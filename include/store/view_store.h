#ifndef MENTORCTL_STORE_VIEW_STORE_H
#define MENTORCTL_STORE_VIEW_STORE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/program.h"
#include "core/status.h"
#include "util/error.h"

struct db;

/*
 * The coordinator's daily views (issue 20), reads only: the audit trail
 * (`log`), one pairing's story (`pairing show`) and the facts of the
 * morning screen (`today`).  Every value is bound; nothing here writes.
 */

/* ---- log ---- */

struct log_filter {
	long long program_id;      /* 0: any */
	long long pairing_id;      /* 0: any */
	const char *person;        /* e-mail (any case); NULL: anyone */
	int since;                 /* DATE_NONE: from the start */
};

/* One audit row; strings valid until the next call. */
struct log_row {
	long long id;
	const char *at;            /* YYYY-MM-DDTHH:MM:SSZ */
	const char *actor;
	const char *command;
	const char *entity;
	long long entity_id;       /* 0: none */
	const char *action;
	const char *detail;        /* NULL when none */
};

struct log_cursor;

/*
 * The audit rows that concern the filter's programme (its definition,
 * enrollments, cycles, pairings and their check-ins, re-ups and feedback),
 * pairing (it, its check-ins and feedback) and person (acted by them, or
 * about their enrollments, trainings, pairings and feedback), at or after
 * since, in the order they were written.
 */
struct log_cursor *store_log_cursor(struct db *db, const struct log_filter *f,
    struct error *err);
/* 1 with *row, 0 at the end, -1 on error. */
int store_log_next(struct log_cursor *c, struct log_row *row,
    struct error *err);
void store_log_cursor_free(struct log_cursor *c);

/* ---- pairing show ---- */

struct story_event {
	int day;
	char *event;               /* "proposed", "accepted", "check-in", ... */
	char *who;                 /* NULL when nobody in particular */
	char *detail;              /* NULL when none */
	bool proposal;             /* the proposal (its score's reasons) */
};

struct story {
	long long id;
	char *program;             /* slug */
	char *mentor_email;
	char *mentor_name;
	char *mentee_email;
	char *mentee_name;
	enum pairing_status status;
	double score;
	long long feedbacks;       /* responses about it (shown under the k rule) */
	struct story_event *v;     /* in time order, then as they happened */
	size_t n;
};

/*
 * Pairing id's story: proposal, answers, activation, check-ins (notes and
 * ratings only with include_notes), reminders, re-up answers and outcomes,
 * ending.  Unknown pairing: EX_DATAERR.
 */
int store_pairing_story(struct db *db, long long id, bool include_notes,
    struct story *s, struct error *err);
void story_free(struct story *s);

/* ---- today ---- */

struct today_proposal {
	long long id;
	char *mentor;
	char *mentee;
	int proposed_on;
	int expires_on;            /* DATE_NONE: none */
	bool mentor_accepted;
	bool mentee_accepted;
};

struct today_person {
	char *email;
	char *name;
	enum program_role role;
	int since;                 /* enrolled_on (pending), eligible_on (unmatched) */
	char *reason;              /* pending: why; NULL otherwise */
};

struct today_reup {
	long long pairing;
	char *email;               /* the partner who has not answered */
	int closes_on;
};

struct today_facts {
	struct today_proposal *proposals;
	size_t nproposals;
	struct today_person *pending;
	size_t npending;
	struct today_person *unmatched;   /* eligible mentees, nothing open */
	size_t nunmatched;
	struct today_reup *reups;
	size_t nreups;
};

/* What programme program_id needs from its coordinator on day today. */
int store_today_facts(struct db *db, long long program_id, int today,
    struct today_facts *f, struct error *err);
void today_facts_free(struct today_facts *f);

#endif
