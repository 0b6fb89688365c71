#ifndef MENTORCTL_IO_ICS_H
#define MENTORCTL_IO_ICS_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "util/error.h"
#include "util/strbuf.h"

/*
 * RFC 5545 calendar writer for `schedule --ics`.  Output is appended to a
 * strbuf the caller writes out: CRLF line ends, content lines folded at 75
 * octets (continuation lines start with one space; a UTF-8 sequence is never
 * split), TEXT values escaped (\\ \; \, and \n for line breaks; other
 * control characters dropped, invalid UTF-8 replaced with U+FFFD).
 *
 *   ics_begin(&sb, MENTORCTL_VERSION, "Engineering Mentoring 2027");
 *   for each meeting: ics_event(&sb, &ev, now, &err);
 *   ics_end(&sb);
 *
 * UIDs are the caller's stable key + "@mentorctl", so that importing the
 * calendar again updates the events instead of duplicating them: build the
 * key from what identifies the meeting, never from personal data such as
 * an address (RFC 7986), e.g. "3f9c...-eng-2027-checkin-42-3".  An event
 * that changes keeps its UID and gets a higher SEQUENCE.
 */

struct ics_attendee {
	const char *name;   /* CN; NULL or "" for none */
	const char *email;  /* validated with mail_addr_valid */
};

struct ics_event {
	const char *uid;       /* stable key, without "@mentorctl" */
	bool timed;
	int date;              /* !timed: the day (date.h), an all-day event */
	time_t start;          /* timed: start, written in UTC */
	int minutes;           /* timed: length, > 0 */
	const char *summary;
	const char *description;             /* NULL: none */
	const struct ics_attendee *attendees;
	size_t nattendees;
	/* ORGANIZER (RFC 5546 wants one in a PUBLISH): NULL for none */
	const struct ics_attendee *organizer;
	int sequence;          /* SEQUENCE: 0, then one more per revision */
	const char *location;  /* NULL: none */
};

/*
 * BEGIN:VCALENDAR, VERSION:2.0, PRODID:-//mentorctl//mentorctl VERSION//EN,
 * CALSCALE:GREGORIAN, METHOD:PUBLISH, and X-WR-CALNAME when name is not
 * NULL (the name calendar programs show for an imported calendar).
 */
void ics_begin(struct strbuf *out, const char *version, const char *name);
/*
 * The same with METHOD:method, or without a METHOD property when method is
 * NULL (a plain calendar file, not an iTIP message: RFC 5546's rules, such
 * as an ORGANIZER in every PUBLISH event, then do not apply).
 */
void ics_begin_method(struct strbuf *out, const char *version,
    const char *name, const char *method);
/*
 * One VEVENT with DTSTAMP from dtstamp.  -1 with EX_DATAERR (out unchanged)
 * when the uid is empty, the date or start is unusable, minutes is not
 * positive, or an attendee's address is invalid.
 */
int ics_event(struct strbuf *out, const struct ics_event *ev, time_t dtstamp,
    struct error *err);
void ics_end(struct strbuf *out);

/* NAME:VALUE with value escaped as TEXT, folded, CRLF. */
void ics_text_property(struct strbuf *out, const char *name,
    const char *value);
/* One content line (already escaped) folded at 75 octets, then CRLF. */
void ics_fold(struct strbuf *out, const char *line, size_t len);

#endif
