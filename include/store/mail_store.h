#ifndef MENTORCTL_STORE_MAIL_STORE_H
#define MENTORCTL_STORE_MAIL_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "core/delivery.h"
#include "util/error.h"

struct db;

/*
 * What mail in and out leaves in the database besides the reminder log:
 * addresses that bounce, messages `inbox` has handled, reminders a
 * participant paused, and the secret of the reply tokens.  `remind` and
 * `inbox` both read and write these tables; every function here runs in
 * the caller's transaction (or none, for reads).
 */

/* ---- bouncing addresses ---- */

/*
 * Mark address as bouncing (or count one more failure if it is): since is
 * kept from the first time.  reason: one line.
 */
int store_bounce_mark(struct db *db, const char *address, const char *reason,
    enum bounce_source source, int today, time_t now, struct error *err);
/* Clear it: 1 when it was bouncing, 0 when not. */
int store_bounce_clear(struct db *db, const char *address, struct error *err);

struct bounce_row {
	char *address;
	char *since;              /* timestamp */
	int since_on;
	char *reason;
	enum bounce_source source;
	int failures;
	char *name;               /* the person's name, NULL when not a person */
};

/*
 * Every bouncing address, by address; with program_id > 0 only those of
 * people enrolled in it (or its contact).  Free with bounce_rows_free.
 */
int store_bounce_list(struct db *db, long long program_id,
    struct bounce_row **v, size_t *n, struct error *err);
void bounce_rows_free(struct bounce_row *v, size_t n);

/* The bouncing addresses, lower-cased and sorted, for lookups. */
struct bounce_set {
	char **v;
	size_t n;
};

int store_bounce_set(struct db *db, struct bounce_set *s, struct error *err);
bool bounce_set_has(const struct bounce_set *s, const char *address);
void bounce_set_free(struct bounce_set *s);

/* ---- reminders paused by a participant ---- */

/* Pause the check-in reminders of pairing_id for person_id (1 new, 0 was). */
int store_pause_set(struct db *db, long long pairing_id, long long person_id,
    int today, struct error *err);
/* Resume them (1 when paused, 0 when not). */
int store_pause_clear(struct db *db, long long pairing_id,
    long long person_id, struct error *err);

/* (pairing, address) pairs of a programme that are paused, sorted. */
struct pause_set {
	struct pause_key {
		long long pairing_id;
		char *address;       /* lower case */
	} *v;
	size_t n;
};

int store_pause_set_load(struct db *db, long long program_id,
    struct pause_set *s, struct error *err);
bool pause_set_has(const struct pause_set *s, long long pairing_id,
    const char *address);
void pause_set_free(struct pause_set *s);

/* ---- messages handled by inbox ---- */

struct mail_handled_in {
	const char *message_key;  /* Message-ID without <>, or a digest of the
	                             message when it has none */
	long long program_id;     /* 0: unknown */
	long long pairing_id;     /* 0: none */
	const char *sender;       /* the From address, never trusted */
	const char *outcome;      /* a word of the inbox's vocabulary */
	const char *detail;       /* one line, may be NULL */
	int today;
	time_t now;
};

/*
 * Record that a message was handled, in the transaction of its effect: 1
 * when new, 0 when it was handled before (the caller then rolls back and
 * changes nothing).
 */
int store_mail_handled(struct db *db, const struct mail_handled_in *in,
    struct error *err);

/* 1 when message_key was handled before, 0 when not, -1 on error. */
int store_mail_handled_seen(struct db *db, const char *message_key,
    struct error *err);

struct mail_handled_row {
	char *message_key;
	char *handled_at;
	int handled_on;
	long long pairing_id;
	char *sender;
	char *outcome;
	char *detail;
};

/*
 * The messages of programme program_id (and those of no known programme
 * when with_unknown) handled on days from..to whose outcome is not one of
 * `fine` (NULL-terminated words), by time.  The digest's "failed replies".
 */
int store_mail_handled_list(struct db *db, long long program_id,
    bool with_unknown, int from, int to, const char *const *fine,
    struct mail_handled_row **v, size_t *n, struct error *err);
void mail_handled_rows_free(struct mail_handled_row *v, size_t n);

/* ---- who a reply token names ---- */

/*
 * The address and name of person id (copies; name NULL when empty): 1, or
 * 0 when there is no such person.
 */
int store_person_address(struct db *db, long long id, char **email,
    char **name, struct error *err);

/* ---- secrets ---- */

#define MAIL_SECRET_REPLY_TOKEN "reply-token"
#define MAIL_SECRET_LEN 32

/* 1 with the secret in out, 0 when there is none yet. */
int store_mail_secret_get(struct db *db, const char *name,
    uint8_t out[MAIL_SECRET_LEN], struct error *err);
/*
 * Store it unless one exists (the first writer wins); then the stored one
 * is in out.  In the caller's write transaction.
 */
int store_mail_secret_put(struct db *db, const char *name,
    uint8_t out[MAIL_SECRET_LEN], time_t now, struct error *err);

#endif
