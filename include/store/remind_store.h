#ifndef MENTORCTL_STORE_REMIND_STORE_H
#define MENTORCTL_STORE_REMIND_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "core/digest.h"
#include "core/remind.h"
#include "util/error.h"

struct db;

/*
 * What `remind` reads besides the roster (store/checkin_store.h) and the
 * log (store/reminder_store.h): the pairings that ended or re-upped
 * lately, for the life-cycle mails; what a mail's text needs (goals); and
 * what the coordinators' digest lists.  Reads only.
 */

/* Pairings of a programme that ended on `since` or later, by id. */
struct remind_ended {
	struct remind_pairing *v;  /* status REMIND_PAIRING_ENDED */
	size_t n;
	char *strings;             /* the names and addresses they point to */
};

int store_remind_ended(struct db *db, long long program_id, int since,
    struct remind_ended *out, struct error *err);
void remind_ended_free(struct remind_ended *e);

/*
 * Pairings whose cycle closed with a re-up ("continued") on `since` or
 * later: ids[n] ascending and the day each was decided.
 */
int store_remind_continued(struct db *db, long long program_id, int since,
    long long **ids, int **days, size_t *n, struct error *err);

/* The goals of the pairing's enrollments (NULL when none); caller frees. */
int store_remind_goals(struct db *db, long long pairing_id, char **mentor,
    char **mentee, struct error *err);

/* The day of the programme's last digest that went out, else DATE_NONE. */
int store_digest_last(struct db *db, long long program_id, int *day,
    struct error *err);
/*
 * Enrollments waiting to qualify (status pending): who ("Name <address>"),
 * what (the role), why (the reason), day (enrolled_on); by enrollment.
 */
int store_digest_pending(struct db *db, long long program_id,
    struct digest_line **v, size_t *n, struct error *err);
/*
 * Mail of the programme not delivered (failed, given up, bounced, or of
 * unknown outcome) whose last try was after `after` (DATE_NONE: any),
 * the digests themselves left out (today's replaces them): who (the
 * recipient), what ("given up", ...), why (the error), day.  A mail handed
 * over today, less than STORE_DIGEST_IN_FLIGHT seconds before now and
 * without an error, may still be on its way with another run: left out.
 */
#define STORE_DIGEST_IN_FLIGHT 3600
int store_digest_undelivered(struct db *db, long long program_id, int after,
    int today, time_t now, struct digest_line **v, size_t *n,
    struct error *err);

#endif
