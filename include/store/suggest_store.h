#ifndef MENTORCTL_STORE_SUGGEST_STORE_H
#define MENTORCTL_STORE_SUGGEST_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "store/db.h"
#include "store/reminder_store.h"
#include "util/error.h"

/*
 * Suggestion mails (`suggest --mail`): their place in the reminder log
 * (kind 'suggest', key "suggest:<enrollment>", or with --force
 * "suggest:<enrollment>:<seconds>", due on the day they are sent) and the
 * mentors each listed, in order, keyed by Message-ID (schema 8).
 */

struct suggest_mail_key {
	long long program_id;
	long long enrollment_id;
	long long force_at;        /* 0; --force: the run's time, a key of its own */
	int due_on;                /* the day it is sent */
	const char *recipient;
};

/* What the log holds for the mail (log->present false: never tried). */
int store_suggest_mail_log(struct db *db, const struct suggest_mail_key *k,
    struct reminder_log *log, struct error *err);

/* What one mail listed, stored with its claim. */
struct suggest_mail_list_in {
	const char *message_id;
	const char *token;
	long long person_id;
	const long long *mentors;  /* person ids, choice 1 first */
	size_t n;
};

/*
 * Claim the mail as handed and store its list, in one short transaction
 * of its own: 1 when claimed, 0 when someone else has it, -1 on error.
 */
int store_suggest_mail_claim(struct db *db, const struct suggest_mail_key *k,
    int attempts, const struct suggest_mail_list_in *l, time_t now,
    const char *by, struct error *err);
/* Record its outcome (own transaction), as store_reminder_outcome. */
int store_suggest_mail_outcome(struct db *db, const struct suggest_mail_key *k,
    const char *by, const struct reminder_outcome *out, struct error *err);

/* A mentor a mail listed. */
struct suggest_listed {
	long long person_id;
	char *email;
	char *name;                /* "" when unknown */
};

/* The list a reply answers. */
struct suggest_mail_list {
	char *message_id;
	long long program_id;
	char *program;             /* its slug */
	long long enrollment_id;
	long long person_id;
	struct suggest_listed *v;  /* choice 1 first */
	size_t n;
};

/*
 * The mail with this token that the reply answers: among those of the
 * token, the one whose Message-ID is in ids (the reply's In-Reply-To and
 * References), else the latest sent.  1 when found, 0 when none, -1.
 */
int store_suggest_mail_find(struct db *db, const char *token,
    const char *const *ids, size_t nids, struct suggest_mail_list *l,
    struct error *err);
void suggest_mail_list_free(struct suggest_mail_list *l);

#endif
