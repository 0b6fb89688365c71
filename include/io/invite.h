#ifndef MENTORCTL_IO_INVITE_H
#define MENTORCTL_IO_INVITE_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "io/mail.h"
#include "util/error.h"
#include "util/strbuf.h"

/*
 * Calendar invitations by mail: an iTIP (RFC 5546) REQUEST for one event
 * and the iMIP (RFC 6047) message that carries it beside a text.  For the
 * leader sessions; io/ics.h writes the published calendars of `schedule`.
 *
 * The message: mail_compose()'s headers (so names and subjects are
 * encoded the same way), a Reply-To when given, and a body of
 *
 *   multipart/mixed
 *     multipart/alternative
 *       text/plain (8bit, or quoted-printable for long lines)
 *       text/calendar; method=REQUEST (base64)
 *     application/ics "invite.ics" as an attachment (base64)
 *
 * which calendar programs show as an invitation and other clients as a
 * text with a file.  Line ends are LF, as io/mail.h's: the calendar's
 * CRLF lines travel inside base64.
 */

struct invite_person {
	const char *name;     /* CN; NULL or "" for none */
	const char *email;
};

struct invite_event {
	const char *uid;      /* stable, without "@mentorctl" */
	int sequence;         /* 0, then one more per revision */
	struct invite_person organizer;
	const struct invite_person *attendees;
	size_t nattendees;
	const char *partstat; /* the attendees' PARTSTAT: "NEEDS-ACTION", "ACCEPTED" */
	bool timed;
	int date;             /* !timed: the day, an all-day event */
	time_t start;         /* timed: UTC */
	int minutes;          /* timed: > 0 */
	const char *summary;
	const char *description;  /* NULL: none */
};

/*
 * The VCALENDAR with METHOD:REQUEST and one VEVENT (CRLF lines, folded at
 * 75 octets, TEXT escaped), appended to out.  -1 with EX_DATAERR when an
 * address is invalid or a day or time unusable.
 */
int invite_calendar(const struct invite_event *ev, const char *version,
    time_t dtstamp, struct strbuf *out, struct error *err);

/*
 * m (its body the text) with the calendar attached as above, and
 * Reply-To: <reply_to> when not NULL.  -1 with EX_DATAERR for an invalid
 * address or Message-ID.
 */
int invite_compose(const struct mail_msg *m, const char *reply_to,
    const char *calendar, size_t calendar_len, struct strbuf *out,
    struct error *err);

#endif
