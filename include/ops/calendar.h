#ifndef MENTORCTL_OPS_CALENDAR_H
#define MENTORCTL_OPS_CALENDAR_H

#include <stddef.h>

#include "ops/ops.h"

/*
 * Calendars stay stable from one export to the next (store/calendar_store.h):
 * UIDs start with a random id of the database, and an exported event that
 * changed gets a higher SEQUENCE, recorded here in the caller's
 * transaction.
 */

/* "<calendar id>-<slug>-", the start of every UID of a programme; freed by the caller. */
int ops_calendar_uid_prefix(const struct ops_ctx *o, const char *slug,
    char **prefix, struct error *err);

/* seq[i] for events uid[i] whose content digest is digest[i] (see the store). */
int ops_calendar_sequences(const struct ops_ctx *o, long long program_id,
    const char *const *uid, const char *const *digest, int *seq, size_t n,
    struct error *err);

#endif
