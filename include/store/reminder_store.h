#ifndef MENTORCTL_STORE_REMINDER_STORE_H
#define MENTORCTL_STORE_REMINDER_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "core/remind.h"
#include "util/error.h"

struct db;

/*
 * The reminder log that makes `remind` send each reminder exactly once.
 * A row is keyed by (programme, subject_key, kind, due_on, recipient), the
 * subject being "pairing:<id>".  Its life:
 *
 *   claim    INSERT ... state 'claimed' in a short BEGIN IMMEDIATE
 *            transaction of its own, committed before the mail goes out:
 *            the UNIQUE key lets one process claim it, the others see it
 *   sent     after the mail program succeeded: state 'sent', sent_at,
 *            message_id (second short transaction)
 *   release  after it failed: the claim is deleted, the next run retries
 *
 * A claim without sent_at older than REMINDER_CLAIM_TTL seconds belongs to
 * a run that crashed between claim and send: it may be claimed again.
 * Each function runs its own transaction: call them outside one.
 */

#define REMINDER_CLAIM_TTL 3600

/* Every programme's slug, sorted: what a run without --program goes through. */
int store_reminder_programs(struct db *db, char ***slugs, size_t *n,
    struct error *err);
void reminder_programs_free(char **slugs, size_t n);

/*
 * Whether reminders are recorded already: sent, or claimed less than
 * REMINDER_CLAIM_TTL before now.  A check holds one read transaction and
 * one prepared lookup for many reminders; end it before claiming.  The
 * lookup reads the UNIQUE index alone (any row there is recorded), less
 * the stale claims, which the partial index reminder_claimed lists once:
 * this runs for every reminder due on every run, most of them recorded on
 * earlier mornings.
 */
struct reminder_check;

struct reminder_check *store_reminder_check_begin(struct db *db,
    long long program_id, time_t now, struct error *err);
/*
 * Fill recorded[n] for v[n]: one lookup per run of reminders that share
 * pairing, kind and due day (the partners of one pairing, as
 * remind_pairing() lists them).  0, or -1 on error.
 */
int store_reminder_check(struct reminder_check *c, const struct reminder *v,
    size_t n, bool *recorded, struct error *err);
void store_reminder_check_end(struct reminder_check *c);

/*
 * Claim r for `by` (this process): 1 when claimed, 0 when it is sent or
 * freshly claimed by someone else, -1 on error.
 */
int store_reminder_claim(struct db *db, long long program_id,
    const struct reminder *r, time_t now, const char *by, struct error *err);
int store_reminder_sent(struct db *db, long long program_id,
    const struct reminder *r, const char *by, const char *message_id,
    time_t now, struct error *err);
int store_reminder_release(struct db *db, long long program_id,
    const struct reminder *r, const char *by, struct error *err);

#endif
