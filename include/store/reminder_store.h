#ifndef MENTORCTL_STORE_REMINDER_STORE_H
#define MENTORCTL_STORE_REMINDER_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "core/delivery.h"
#include "core/remind.h"
#include "util/error.h"

struct db;

/*
 * The reminder log that makes `remind` send each mail exactly once.  A row
 * is keyed by (programme, subject_key, kind, due_on, recipient), the
 * subject being "pairing:<id>", "circle:<id>" or "program:<id>"
 * (remind_subject_key); its state follows core/delivery.h:
 *
 *   claim    INSERT ... state 'handed' (or a 'failed' row taken over for a
 *            retry) in a short BEGIN IMMEDIATE transaction of its own,
 *            committed before the mail program starts: the UNIQUE key lets
 *            one process claim it, the others see it
 *   outcome  after the mail program ended: 'sent', 'failed' or 'gave_up'
 *            (with the attempt's day, time and reason), or 'bounced' (and
 *            the address marked as bouncing, in the same transaction)
 *
 * A 'handed' row is never claimed again: its outcome is unknown and it
 * counts as sent until the coordinator re-queues it (store_reminder_requeue).
 * Each function that writes runs its own transaction: call them outside one.
 */

/* Every programme's slug, sorted: what a run without --program goes through. */
int store_reminder_programs(struct db *db, char ***slugs, size_t *n,
    struct error *err);
void reminder_programs_free(char **slugs, size_t n);

/* What the log holds for one mail. */
struct reminder_log {
	bool present;              /* false: never tried */
	enum delivery_state state;
	int attempts;
	int failed_on;             /* DATE_NONE unless failed */
	time_t failed_at;
};

/*
 * Whether mails are in the log.  A check holds one read transaction and
 * one prepared lookup for many mails; end it before claiming.  The lookup
 * reads the UNIQUE index alone (any row there is in the log), and the rows
 * that are not plainly sent come from the partial index reminder_open,
 * read once: this runs for every mail due on every run, most of them sent
 * on earlier mornings.
 */
struct reminder_check;

struct reminder_check *store_reminder_check_begin(struct db *db,
    long long program_id, struct error *err);
/*
 * Fill log[n] for v[n]: one lookup per run of mails that share subject,
 * kind and due day (the partners of one pairing, as remind_pairing()
 * lists them).  0, or -1 on error.
 */
int store_reminder_check(struct reminder_check *c, const struct reminder *v,
    size_t n, struct reminder_log *log, struct error *err);
void store_reminder_check_end(struct reminder_check *c);

/*
 * Claim r for `by` (this run) as handed, with its Message-ID: 1 when
 * claimed, 0 when someone else has it (any row, or a failed row whose
 * attempts are no longer `attempts`), -1 on error.  attempts: the
 * failures the caller saw in the log (0 for a new mail).
 */
int store_reminder_claim(struct db *db, long long program_id,
    const struct reminder *r, int attempts, const char *message_id,
    int today, time_t now, const char *by, struct error *err);

/* The outcome of a claimed mail. */
struct reminder_outcome {
	enum delivery_state state;   /* sent, failed, gave_up, bounced; handed
	                                keeps the claim and notes `error` */
	const char *error;           /* why (not sent), one line; may be NULL */
	int today;                   /* the day of the attempt */
	time_t now;
};

/*
 * Record it (only on a row `by` holds as handed; 0 changes nothing when it
 * does not).  BOUNCED also marks the recipient as bouncing (source remind)
 * in the same transaction.
 */
int store_reminder_outcome(struct db *db, long long program_id,
    const struct reminder *r, const char *by,
    const struct reminder_outcome *out, struct error *err);

/* A mail the log holds that did not plainly go out. */
struct reminder_unsent {
	long long id;
	char *slug;
	long long pairing_id;        /* 0 when none */
	char *kind;
	int due_on;
	char *recipient;
	enum delivery_state state;   /* handed (unknown), failed, gave_up, bounced */
	int attempts;
	char *claimed_at;
	char *error;                 /* NULL when none */
	char *message_id;
};

/*
 * Every row not in state 'sent' (of one programme, or all with 0), by
 * id; with claimed_before (a timestamp, or NULL) handed rows claimed
 * after it (a run may still be waiting on them) are left out.  Free with
 * reminder_unsent_free.
 */
int store_reminder_unsent(struct db *db, long long program_id,
    const char *claimed_before, struct reminder_unsent **v, size_t *n,
    struct error *err);
void reminder_unsent_free(struct reminder_unsent *v, size_t n);

/*
 * Let `remind` send row `id` again (the coordinator's decision on an
 * unknown outcome or a give-up): the row is deleted, so the mail is sent
 * by the next run on which it is still due.  1 when deleted, 0 when there
 * is no such row or it was sent.  Runs in the caller's transaction.
 */
int store_reminder_requeue(struct db *db, long long id, struct error *err);

#endif
