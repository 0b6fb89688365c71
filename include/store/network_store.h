#ifndef MENTORCTL_STORE_NETWORK_STORE_H
#define MENTORCTL_STORE_NETWORK_STORE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/network.h"
#include "util/error.h"

struct db;

/*
 * Introductions of format network: a mentor introduces the mentee of a
 * pairing to a contact (an address, a person or not).  A contact is one
 * per mentee and programme (ops/network.c refuses a second); a contact who
 * is a person is joined by address when read, so their department and
 * level are those the people table has now.  Every write has an audit row.
 */

struct intro_in {
	long long pairing_id;
	const char *contact_email;
	const char *contact_name;   /* NULL: none given */
	int introduced_on;
	int meet_on;                /* a joint meeting; DATE_NONE: none */
	int meet_at;                /* its local time in minutes; -1: all day */
	const char *note;           /* NULL: none */
	const char *recorded_by;
};

int store_intro_add(struct db *db, const struct intro_in *in, long long *id,
    struct error *err);

/* An earlier introduction of a contact to the same mentee. */
struct intro_found {
	long long id;
	long long pairing_id;
	int introduced_on;
};

/*
 * Whether contact_email was introduced already to the mentee of pairing_id
 * in its programme (through this pairing or another): 1 with *found (the
 * first), 0 when not, -1 on error.
 */
int store_intro_find(struct db *db, long long pairing_id,
    const char *contact_email, struct intro_found *found, struct error *err);
/* The introductions of the mentee of pairing_id in its programme. */
int store_intro_count(struct db *db, long long pairing_id, int *n,
    struct error *err);

/* A person's department and level, when contact_email is a person. */
struct intro_contact {
	bool is_person;
	char *name;                 /* NULL when empty */
	char *department;
	bool has_level;
	int level;
	char *timezone;
};

int store_intro_contact(struct db *db, const char *email,
    struct intro_contact *c, struct error *err);
void intro_contact_free(struct intro_contact *c);

/*
 * The report's facts as of as_of (core/network.h): the mentees with an
 * active pairing by then and their introductions made by then.
 */
int store_network_facts(struct db *db, long long program_id, int as_of,
    struct network_facts *f, struct error *err);

/*
 * The active pairings of a programme for network_intro_due(), by id, with
 * the count and last day of their meetings and of the mentee's
 * introductions in the programme.  Strings belong to the roster.
 */
struct network_roster {
	struct network_pairing *v;
	size_t n;
	char **strings;
	size_t nstrings;
};

int store_network_roster(struct db *db, long long program_id,
    struct network_roster *r, struct error *err);
void network_roster_free(struct network_roster *r);

/* `export introductions`: one row, borrowed until the next step. */
struct intro_row {
	long long id;
	const char *program;
	long long pairing_id;
	const char *mentor_email;
	const char *mentee_email;
	const char *contact_email;
	const char *contact_name;       /* the one given, else the person's */
	const char *contact_department; /* NULL: unknown */
	bool has_level;
	int contact_level;
	int introduced_on;
	int meet_on;
	int meet_at;                    /* -1: none */
	const char *recorded_by;
	const char *note;               /* only with with_note */
};

struct intro_cursor;

/* In id order; program_id 0: every programme. */
struct intro_cursor *store_intro_cursor(struct db *db, long long program_id,
    bool with_note, struct error *err);
/* 1 with *row, 0 at the end, -1 on error. */
int store_intro_next(struct intro_cursor *c, const struct intro_row **row,
    struct error *err);
void store_intro_cursor_free(struct intro_cursor *c);

#endif
