#ifndef MENTORCTL_STORE_PREFERENCE_STORE_H
#define MENTORCTL_STORE_PREFERENCE_STORE_H

#include <stdbool.h>
#include <stddef.h>

#include "util/error.h"

struct db;

/*
 * What people and the coordinator say about pairs, beyond the programme's
 * rules: participants' preferences (`preferences import`, a reply with a
 * ranking), never-pair lists (`conflicts import`) and the coordinator's
 * per-pair overrides (`scores import`).  Keyed by people; every change is
 * audited.
 */

/* Someone's place in a programme, for checking a file against it. */
struct pref_person {
	long long person_id;        /* 0: nobody has this address */
	char *email;                /* as stored */
	bool mentor;                /* enrolled (not withdrawn) as mentor */
	bool mentee;                /* ... as mentee */
};

/*
 * Look up emails[n] (any case) in programme program_id (0: no programme:
 * the roles stay false).  out[n] is filled; free with pref_people_free.
 */
int store_pref_people(struct db *db, long long program_id,
    const char *const *emails, size_t n, struct pref_person *out,
    struct error *err);
void pref_people_free(struct pref_person *v, size_t n);

/* A programme's mentors (not withdrawn), for names in a ranking. */
struct pref_mentor {
	long long person_id;
	char *email;
	char *name;                 /* "" when unknown */
};

int store_pref_mentors(struct db *db, long long program_id,
    struct pref_mentor **v, size_t *n, struct error *err);
void pref_mentors_free(struct pref_mentor *v, size_t n);

/* A choice about a pair, as stored ("prefer", "avoid", "veto"). */
enum pref_choice {
	PREF_CHOICE_KEEP = -1,      /* leave what is stored */
	PREF_CHOICE_NONE = 0,       /* clear it */
	PREF_CHOICE_PREFER,
	PREF_CHOICE_AVOID,
	PREF_CHOICE_VETO,
};

const char *pref_choice_name(enum pref_choice c);
/* "prefer", "avoid", "veto", "none" or "" (none): the choice; -1 unknown. */
int pref_choice_parse(const char *s);

/* One pair's preferences to record.  0 / KEEP leave a stored value. */
struct pref_in {
	long long mentee_id;
	long long mentor_id;
	int rank;                   /* 1 = first choice; 0: keep; -1: clear */
	int rating;                 /* 1..5; 0: keep; -1: clear */
	enum pref_choice mentor_choice;
	enum pref_choice mentee_choice;
};

/*
 * Record v[n] in programme program_id.  Ranks are relative, so a mentee
 * whose ranks appear in v has all earlier ranks cleared first; a pair left
 * with nothing said is deleted.  One audit row per mentee touched, naming
 * source.
 */
int store_pref_put(struct db *db, long long program_id,
    const struct pref_in *v, size_t n, const char *source,
    struct error *err);

/* A never-pair entry: the two people, in either role. */
struct conflict_in {
	long long a;
	long long b;
	const char *reason;         /* may be NULL */
};

/*
 * Add v[n] to programme program_id's never-pair list (0: every
 * programme's); an entry there already keeps its reason unless a new one
 * is given.  *added counts new entries (may be NULL).
 */
int store_conflict_put(struct db *db, long long program_id,
    const struct conflict_in *v, size_t n, size_t *added, struct error *err);

/* A never-pair entry as listed; strings valid until the next step. */
struct conflict_row {
	const char *program;        /* slug, NULL: every programme */
	const char *a;              /* e-mails */
	const char *b;
	const char *reason;
	const char *added_at;
};

/* A participant's preference about one pair (preferences import, suggest). */
struct preference_row {
	const char *mentee;         /* e-mails */
	const char *mentor;
	int rank;                   /* the mentee's rank, 0: none */
	int rating;                 /* 1-5, 0: none */
	const char *mentee_choice;  /* prefer, avoid, veto; NULL: none */
	const char *mentor_choice;
	const char *source;         /* the file or mail it came from; NULL */
	const char *updated_at;
};

/*
 * The preferences of programme program_id, about email's pairs only (as
 * mentee or mentor) when not NULL: by mentee, ranked first in rank order,
 * then by mentor.
 */
int store_preference_list(struct db *db, long long program_id,
    const char *email, int (*fn)(const struct preference_row *, void *),
    void *arg, struct error *err);

/* Each entry of programme program_id (with the global ones), or all (0). */
int store_conflict_list(struct db *db, long long program_id,
    int (*fn)(const struct conflict_row *, void *), void *arg,
    struct error *err);

/* The coordinator's view of one pair; the unset flags leave it as it is. */
struct override_in {
	long long mentee_id;
	long long mentor_id;
	bool set_bonus;
	int bonus;                  /* centi-points; 0 clears */
	bool set_veto;
	bool veto;
	bool set_fixed;
	bool fixed;
};

/* The pairs of programme program_id that have an override, sorted. */
struct override_pair {
	long long mentee_id;
	long long mentor_id;
};

int store_override_pairs(struct db *db, long long program_id,
    struct override_pair **v, size_t *n, struct error *err);

/*
 * Record v[n] for programme program_id; a pair left without bonus, veto
 * and fixed is deleted.  *changed counts pairs whose override changed.
 */
int store_override_put(struct db *db, long long program_id,
    const struct override_in *v, size_t n, size_t *changed,
    struct error *err);

#endif
