#ifndef MENTORCTL_IO_CALENDAR_H
#define MENTORCTL_IO_CALENDAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <time.h>

#include "io/ics.h"
#include "util/error.h"

/*
 * A calendar being built (`schedule --ics`): the events with their own
 * copies of every string, each event's stable UID (prefix + key) and a
 * digest of what it says, so that the caller can give a changed event a
 * higher SEQUENCE before writing it all as RFC 5545.
 *
 * Every event has the programme's contact as ORGANIZER and no ATTENDEE
 * (METHOD:PUBLISH, as RFC 5546 wants it), or, without a contact, neither
 * and no METHOD: a plain calendar to import.
 */

struct calendar_event {
	struct ics_event ev;       /* its strings point into the fields below */
	char *uid;
	char *summary;
	char *description;
	char *location;
	char digest[17];           /* hex of the content, DTSTAMP and SEQUENCE aside */
};

struct calendar {
	char *name;                /* X-WR-CALNAME, or NULL */
	char *uid_prefix;
	struct ics_attendee organizer;  /* email NULL: none */
	struct calendar_event *v;
	size_t n;
	size_t cap;
};

/* organizer_email may be NULL; strings are copied. */
void calendar_init(struct calendar *c, const char *name,
    const char *uid_prefix, const char *organizer_name,
    const char *organizer_email);
void calendar_free(struct calendar *c);

/*
 * A new event keyed `key` (its UID is the prefix + key); the caller fills
 * its time (ev.timed, ev.date or ev.start and ev.minutes) and may take the
 * texts it gives here.  The returned event stays valid until the next add.
 */
struct calendar_event *calendar_add(struct calendar *c, const char *key,
    const char *summary, const char *description, const char *location);

/* Compute every event's digest (after the times are set). */
void calendar_digest(struct calendar *c);

/*
 * The whole calendar (events' SEQUENCE as set) into out, every DTSTAMP
 * dtstamp.  -1 with EX_DATAERR when an event cannot be written.
 */
int calendar_render(const struct calendar *c, const char *version,
    time_t dtstamp, struct strbuf *out, struct error *err);

#endif
