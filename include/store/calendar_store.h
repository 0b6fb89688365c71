#ifndef MENTORCTL_STORE_CALENDAR_STORE_H
#define MENTORCTL_STORE_CALENDAR_STORE_H

#include <stddef.h>

#include "util/error.h"

struct db;

/*
 * What calendars need to stay stable from one export to the next: a random
 * id made once per database (so that two databases with the same programme
 * slug never share event UIDs), and what each exported event said last, so
 * that an event that moved keeps its UID and gets a higher SEQUENCE
 * (RFC 5545 3.8.7.4).
 */

/* The database's calendar id (hex); the caller frees it. */
int store_calendar_id(struct db *db, char **id, struct error *err);

/*
 * Record the export of events uid[i] with content digest[i] (n of them, of
 * programme program_id) at `now` (a timestamp): seq[i] is 0 for a new
 * event, the stored sequence when its digest is unchanged, and one more
 * (then stored) when it changed.
 */
int store_calendar_export(struct db *db, long long program_id,
    const char *const *uid, const char *const *digest, int *seq, size_t n,
    struct error *err);

#endif
