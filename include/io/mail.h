#ifndef MENTORCTL_IO_MAIL_H
#define MENTORCTL_IO_MAIL_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "core/date.h"
#include "core/delivery.h"
#include "core/digest.h"
#include "core/program.h"
#include "core/remind.h"
#include "util/error.h"
#include "util/strbuf.h"

/*
 * RFC 5322 messages for the reminders, and their delivery through a
 * sendmail-compatible program.
 *
 * Line ends.  A composed message uses LF everywhere, headers and body: it
 * goes to `sendmail -t -oi` (or msmtp -t), which take the local text
 * convention and put CRLF on the wire themselves; the mbox writer wants LF
 * too.  Nothing composed here contains a CR.
 *
 * Header safety.  Display names and subjects are cleaned before they reach a
 * header: control characters (C0, DEL, C1, U+2028/U+2029) become spaces,
 * runs of spaces collapse, invalid UTF-8 becomes U+FFFD.  Names go out as
 * RFC 5322 quoted-strings (with \" and \\) when printable ASCII, otherwise
 * as RFC 2047 "=?UTF-8?B?...?=" encoded-words; subjects as folded text or,
 * when non-ASCII (or holding "=?", or a word too long to fold), as
 * encoded-words.  Header lines stay within 78 octets.  Addresses are not
 * rewritten but validated (mail_addr_valid): a bad one fails the message.
 */

#define MAIL_SENDMAIL_DEFAULT "sendmail -t -oi"
#define MAIL_DATE_BUFSZ 40

struct mail_addr {
	const char *name;    /* display name, UTF-8; NULL or "" for none */
	const char *email;
};

struct mail_msg {
	struct mail_addr from;
	struct mail_addr to;
	struct mail_addr reply_to;   /* email NULL: none */
	const struct mail_addr *cc;  /* ncc of them; may be NULL */
	size_t ncc;
	const char *subject;         /* UTF-8 */
	time_t date;
	const char *message_id;      /* "left@right" without <>; NULL: none */
	const char *body;            /* UTF-8, LF line ends (CR and CRLF are
	                                turned into LF) */
	const char *in_reply_to;     /* the Message-ID answered, without <>,
	                                for In-Reply-To and References; NULL,
	                                or one that is not a valid ID: none */
};

/*
 * One address as it may appear between < and >: one @ with a non-empty
 * local part and domain, no spaces or control characters, none of
 * < > , ; : " ( ) [ ] \, no empty dot-separated part, valid UTF-8, at most
 * 254 octets.
 */
bool mail_addr_valid(const char *email);

/*
 * Append the message to out.  Every message says Auto-Submitted:
 * auto-generated (RFC 3834) and X-Auto-Response-Suppress: All (Exchange),
 * so that no vacation responder answers it.  Body: 7bit when it is ASCII
 * with lines of at most 78 octets, else quoted-printable (lines of at most
 * 76 on the wire): we never know whether the next hop takes 8BITMIME, and
 * QP keeps most text readable.  -1 with EX_DATAERR (and out unchanged) when
 * an address is invalid or the Message-ID is malformed.
 */
int mail_compose(const struct mail_msg *m, struct strbuf *out,
    struct error *err);

/* "Thu, 1 Jan 1970 00:00:00 +0000": RFC 5322 date-time in UTC. */
char *mail_date(time_t t, char buf[MAIL_DATE_BUFSZ]);

/*
 * A Message-ID (without <>) that is the same every time for the same
 * (programme, kind, pairing, due day, recipient), so that a retried delivery
 * carries the ID of the first attempt:
 *   "KIND.PAIRING.YYYYMMDD.HASH@DOMAIN"
 * HASH mixes all five (the recipient without case); DOMAIN is the contact
 * address's domain, "localhost" when it has none usable.  Caller frees.
 */
char *mail_message_id(const char *slug, const char *kind, long long pairing_id,
    int due_on, const char *recipient, const char *contact);

/*
 * What remind's mails say (io/mailtext.c).  p and r are borrowed; the
 * results belong to the caller.  The body greets the recipient, states the
 * facts with ISO dates and the pairing id, gives the next discussion
 * prompt for the check-in kinds and says how to answer: by replying to the
 * mail ("yes", "no [reason]", "met DATE [N min]", "re-up yes|no", "rate N
 * [comment]", "pause", "help").
 */

/* A person as an introduction shows them; any field may be NULL. */
struct mail_card {
	const char *email;      /* shown once they are matched */
	const char *title;
	const char *department;
	const char *location;
	const char *timezone;
};

/* What a mail says beyond the reminder's own facts (ops/remind.c loads it). */
struct mail_extra {
	struct mail_card partner;       /* introduction, matched, new_mentor */
	const char *goal;               /* the mentee's goal */
	const char *const *reasons;     /* the top matching reasons, in words */
	size_t nreasons;
	const char *shared;             /* shared interests: "go, sql" */
	const struct remind_person *members;  /* a circle's members */
	size_t nmembers;
	int first_due;                  /* matched, roster: the first meeting's
	                                   day; DATE_NONE */
	const char *first_prompt;
	int period_ends;                /* new_mentor: the period's last day */
	const char *reply_to;           /* Reply-To address (with the reply
	                                   token); NULL: replies go to From */
	const char *message_id;         /* NULL: mail_reminder_id */
	const struct remind_digest *digest;
};

#define MAIL_EXTRA_INIT { { NULL, NULL, NULL, NULL, NULL }, NULL, NULL, 0, \
	NULL, NULL, 0, DATE_NONE, NULL, DATE_NONE, NULL, NULL, NULL }

char *mail_reminder_subject(const struct program *p, const struct reminder *r);
char *mail_reminder_body(const struct program *p, const struct reminder *r);
char *mail_reminder_body_ex(const struct program *p, const struct reminder *r,
    const struct mail_extra *x);
/* The same for every retry of one mail to one recipient. */
char *mail_reminder_id(const struct program *p, const struct reminder *r);
/*
 * The whole message: From "p->name" <p->contact>, To the recipient, Date
 * `now`.  -1 with EX_DATAERR when the programme has no valid contact
 * address or the recipient's address is invalid.
 */
int mail_reminder(const struct program *p, const struct reminder *r,
    time_t now, struct strbuf *out, struct error *err);
int mail_reminder_ex(const struct program *p, const struct reminder *r,
    const struct mail_extra *x, time_t now, struct strbuf *out,
    struct error *err);

/*
 * Delivery through a sendmail-compatible program: cmd (NULL or "":
 * MAIL_SENDMAIL_DEFAULT) run by /bin/sh -c, started with posix_spawn in a
 * process group of its own, the message on its stdin from an unlinked
 * temporary file (so that it always reads a whole message, whatever
 * happens to us), its stdout and stderr kept (at most 4 KiB) for
 * delivery_judge.  After `timeout` seconds its group gets SIGTERM, then
 * SIGKILL; and should mentorctl die while it runs (even by SIGKILL), a
 * watcher in the group sees its lifeline pipe close and kills the group.
 *
 * Or, with smtp set, over the run's one SMTP session (io/smtp.h): no
 * process, no temporary file; `timeout` is then how long the server may
 * take to answer each step.
 */
#define MAIL_TIMEOUT_DEFAULT 120

struct smtp;

struct mail_transport {
	const char *cmd;
	int timeout;         /* seconds; <= 0: MAIL_TIMEOUT_DEFAULT */
	struct smtp *smtp;   /* not NULL: send over this session instead;
	                        mail_transport_close ends it */
};

/*
 * "mail program 'CMD'" or "SMTP server 'HOST:PORT'", for messages that go
 * on with a delivery_judge reason; the caller frees it.
 */
char *mail_transport_name(const struct mail_transport *t);
/* The SMTP session gave up for this run (smtp_down): send no more. */
bool mail_transport_down(const struct mail_transport *t);
/* End the SMTP session, if any (QUIT). */
void mail_transport_close(struct mail_transport *t);

struct mail_spool;

/*
 * The message ready to go: for a mail program in a temporary file (-1
 * with EX_CANTCREAT or EX_IOERR); over SMTP msg is borrowed, and must live
 * until mail_spool_free.
 */
int mail_spool_new(const struct mail_transport *t, const char *msg,
    size_t len, struct mail_spool **sp, struct error *err);
/*
 * Hand it over and say how that ended; end->output belongs to sp or to
 * the SMTP session (valid until the next send or mail_spool_free).
 */
void mail_spool_send(struct mail_spool *sp, const struct mail_transport *t,
    struct delivery_end *end);
void mail_spool_free(struct mail_spool *sp);

/*
 * One message, the whole way: 0 when delivery_judge says OK, else -1 with
 * EX_UNAVAILABLE and "mail program 'CMD' <reason>" (or "SMTP server ...").
 * mail_send is mail_transport_send with a mail program.
 */
int mail_transport_send(const struct mail_transport *t, const char *msg,
    size_t len, struct error *err);
int mail_send(const char *cmd, const char *msg, size_t len,
    struct error *err);

/*
 * Append msg as one mboxrd entry: a "From mentorctl@localhost DATE" line
 * (asctime format, UTC, from `when`; the epoch outside years 1..9999),
 * the message with lines matching /^>*From / quoted by one more '>', and a
 * blank line after it.
 */
void mail_mbox_append(struct strbuf *out, const char *msg, size_t len,
    time_t when);

#endif
