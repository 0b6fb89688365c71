#ifndef MENTORCTL_STORE_SESSION_STORE_H
#define MENTORCTL_STORE_SESSION_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "core/session.h"
#include "store/reminder_store.h"
#include "util/error.h"

struct db;

/*
 * Leader sessions (leader_session) and the places in them
 * (session_place: signed up, seated, wait-listed, cancelled; attended).
 * Every change has an audit row.  The mails of a session (invitations,
 * seat confirmations) are rows of the reminder log with subject
 * "session:<id>", so that `mail unsent`, `mail resend`, bounces and
 * `export reminders` see them with the rest.
 */

struct session_in {
	long long program_id;
	long long leader_id;        /* a person */
	int held_on;
	int starts_at;              /* minutes after local midnight; -1: none */
	int minutes;
	int seats;
	const char *title;          /* NULL: none */
	int today;
};

int store_session_add(struct db *db, const struct session_in *in,
    long long *id, struct error *err);

struct session_rec {
	long long id;
	long long program_id;
	char *program;              /* slug */
	long long leader_id;
	char *leader_email;
	char *leader_name;          /* NULL when empty */
	int held_on;
	int starts_at;              /* -1: none */
	int minutes;
	int seats;
	char *title;                /* NULL: none */
	int seated_on;              /* DATE_NONE before the first allocation */
	int added_on;
	/* the places now */
	int signed_up;              /* waiting for the allocation */
	int seated;
	int waitlisted;
	int cancelled;
	int attended;
};

/* Unknown id: EX_DATAERR "unknown session N". */
int store_session_get(struct db *db, long long id, struct session_rec *s,
    struct error *err);
void session_rec_free(struct session_rec *s);
/* A programme's sessions by day, then id. */
int store_session_list(struct db *db, long long program_id,
    struct session_rec **v, size_t *n, struct error *err);
void session_recs_free(struct session_rec *v, size_t n);

/* The first allocation of the seats happened on day (kept when set). */
int store_session_seated(struct db *db, long long id, int day,
    struct error *err);

/* ---- places ---- */

struct place_rec {
	long long person_id;
	char *email;
	char *name;                 /* NULL when empty */
	enum session_place_status status;
	int seq;
	int rank;                   /* 0 unless waitlisted */
	int signed_up_on;
	int seated_on;
	int cancelled_on;
	bool attended;
	char *source;
};

/* 1 with *p, 0 when the person has no place in the session, -1. */
int store_place_get(struct db *db, long long session_id, long long person_id,
    struct place_rec *p, struct error *err);
void place_rec_free(struct place_rec *p);
/*
 * Every place of the session: seated first (by seat order: seated_on,
 * seq), then wait-listed by rank, then signed up by seq, then cancelled.
 */
int store_place_list(struct db *db, long long session_id,
    struct place_rec **v, size_t *n, struct error *err);
void place_recs_free(struct place_rec *v, size_t n);

/* A new place, or a cancelled one taken up again (a new seq). */
struct place_in {
	long long session_id;
	long long person_id;
	const char *email;          /* for the audit */
	enum session_place_status status;  /* signed_up, seated or waitlisted */
	int rank;                   /* waitlisted */
	int today;
	const char *source;         /* "coordinator", "e-mail" */
};

int store_place_signup(struct db *db, const struct place_in *in,
    struct error *err);
/*
 * A place's new status on `today` (seated sets seated_on, cancelled
 * cancelled_on and clears the rank; rank for waitlisted); `why` goes to the
 * audit row.
 */
int store_place_set(struct db *db, long long session_id, long long person_id,
    enum session_place_status status, int rank, int today, const char *why,
    struct error *err);
/*
 * Mark a seated place as attended (1 when it changed, 0 when it was);
 * email names the person in the audit row.
 */
int store_place_attend(struct db *db, long long session_id,
    long long person_id, const char *email, struct error *err);
/* The highest wait-list rank of the session (0 when none). */
int store_place_max_rank(struct db *db, long long session_id, int *rank,
    struct error *err);

/*
 * For each of person_ids[n]: the sessions of the programme held before
 * day that they attended (counts[n]).
 */
int store_place_attended_before(struct db *db, long long program_id, int day,
    const long long *person_ids, size_t n, int *counts, struct error *err);

/* ---- the audience ---- */

/* People who may be in a programme's audience, with what its rules read. */
struct audience_list {
	struct audience_person *v;
	long long *ids;             /* person ids, parallel to v */
	char **names;               /* display names, NULL when empty */
	size_t n;
	struct elig_training *trainings;   /* v[i].trainings point here */
	size_t ntrainings;
	char **strings;
	size_t nstrings;
};

/*
 * The people a programme's audience picks from (from enrolled: its
 * enrollments that are not withdrawn, with their roles; from everyone:
 * every person, flagged when enrolled), by e-mail, with their trainings;
 * only `email` when it is not NULL.
 */
int store_audience_load(struct db *db, long long program_id, bool everyone,
    const char *email, struct audience_list *out, struct error *err);
void audience_list_free(struct audience_list *l);

/* ---- the report ---- */

/*
 * The sessions of a programme (all of them: sessions_planned counts those
 * after as_of) with their leaders, and in *attended the sorted ids of the
 * people who attended a session held by as_of (with department and level
 * in facts->people, in_audience false: ops/session.c sets it).
 */
int store_session_facts(struct db *db, long long program_id, int as_of,
    struct session_facts *f, long long **attended, struct error *err);

/* ---- mails, through the reminder log ---- */

struct session_mail_key {
	long long program_id;
	long long session_id;
	const char *kind;           /* "session_invite", "session_seat" */
	int due_on;                 /* the session's day */
	const char *recipient;
};

/* What the log holds for the mail (log->present false: never tried). */
int store_session_mail_log(struct db *db, const struct session_mail_key *k,
    struct reminder_log *log, struct error *err);
/*
 * Claim it as handed in a short transaction of its own: 1 when claimed, 0
 * when someone else has it, -1 on error; as store_reminder_claim.
 */
int store_session_mail_claim(struct db *db, const struct session_mail_key *k,
    int attempts, const char *message_id, int today, time_t now,
    const char *by, struct error *err);
/* Record its outcome (own transaction), as store_reminder_outcome. */
int store_session_mail_outcome(struct db *db, const struct session_mail_key *k,
    const char *by, const struct reminder_outcome *out, struct error *err);

#endif
