#ifndef MENTORCTL_CORE_DELIVERY_H
#define MENTORCTL_CORE_DELIVERY_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

/*
 * Delivery by rule: what a mail program's end means for the address and
 * the message, when a failed message is tried again, and when not any
 * more.  Pure: the caller passes the day and the clock.
 *
 * A message's life in the reminder log (one row per message, its UNIQUE
 * key the message's identity):
 *
 *   handed    written, and committed, just before the mail program starts:
 *             from then on the message may be out, whatever happens to
 *             this process.  Still `handed` later means the outcome is
 *             unknown (the run died, the mail program hung past its
 *             timeout, the outcome could not be recorded): it counts as
 *             sent and is never sent again unless the coordinator says so
 *             (`mentorctl mail resend`).  Exactly once wins over at least
 *             once.
 *   sent      the mail program took it (exit 0)
 *   failed    it did not, for a reason that may pass (exit 75, a refused
 *             connection, 4.x.x, a 5.x.x about something other than the
 *             address): tried again on a later run (delivery_retry_due),
 *             at most DELIVERY_MAX_ATTEMPTS times in all
 *   gave_up   failed DELIVERY_MAX_ATTEMPTS times: reported, not retried
 *   bounced   the address is refused for good (exit 67/68, 5.1.x, 5.2.x):
 *             the address is marked as bouncing and nothing more goes to
 *             it until the coordinator clears it (`mentorctl mail clear`)
 */

enum delivery_state {
	DELIVERY_HANDED,
	DELIVERY_SENT,
	DELIVERY_FAILED,
	DELIVERY_GAVE_UP,
	DELIVERY_BOUNCED,
};
#define DELIVERY_NSTATES 5

/* "handed", "sent", "failed", "gave_up", "bounced"; parse gives -1 otherwise. */
const char *delivery_state_name(enum delivery_state s);
int delivery_state_parse(const char *s);

/* Who marked an address as bouncing. */
enum bounce_source {
	BOUNCE_SOURCE_REMIND,       /* the mail program refused it */
	BOUNCE_SOURCE_INBOX,        /* a delivery status notification came back */
	BOUNCE_SOURCE_COORDINATOR,  /* marked by hand */
};
#define BOUNCE_NSOURCES 3

const char *bounce_source_name(enum bounce_source s);
int bounce_source_parse(const char *s);

/*
 * Where an SMTP transaction (io/smtp.h) ended, when the message went over
 * SMTP rather than to a mail program.
 */
enum delivery_smtp_step {
	DELIVERY_SMTP_NONE,     /* not over SMTP: a mail program */
	DELIVERY_SMTP_CONNECT,  /* connecting, the greeting, EHLO or HELO */
	DELIVERY_SMTP_MAIL,     /* before or at MAIL FROM: the sender */
	DELIVERY_SMTP_RCPT,     /* RCPT TO: a recipient */
	DELIVERY_SMTP_DATA,     /* the DATA command, or the message before its
	                           final dot was all written */
	DELIVERY_SMTP_DOT,      /* the message and its final dot were written:
	                           the server's word on it */
	DELIVERY_SMTP_DONE,     /* taken (2xx after the dot) */
};

/* How a mail program ended, or an SMTP transaction (smtp_step). */
struct delivery_end {
	bool started;          /* false: it could not be started at all (SMTP:
	                          no session could be opened) */
	bool timed_out;        /* killed after its time was up (SMTP: no reply
	                          in time) */
	int signal;            /* killed by this signal, else 0 */
	int status;            /* exit status when it exited */
	bool read_all;         /* it read the whole message */
	const char *output;    /* what it wrote (stdout and stderr), may be NULL
	                          (SMTP: the reply's lines, or what went wrong) */
	enum delivery_smtp_step smtp_step;
	int smtp_code;         /* the reply that ended it; 0: none came */
	bool smtp_lost;        /* no reply because the connection broke or
	                          the time was up (else, with no reply, the
	                          message was not offered: see output) */
};

enum delivery_verdict {
	DELIVERY_OK,           /* taken */
	DELIVERY_RETRY,        /* failed; may pass */
	DELIVERY_BOUNCE,       /* the address is refused for good */
	DELIVERY_UNKNOWN,      /* it may or may not have gone out */
};

#define DELIVERY_REASON_BUFSZ 200

/*
 * The verdict on one message to one recipient, and in reason a one-line
 * account of it ("exited with status 67 (addressee unknown)", "...: 550
 * 5.1.1 <x>: Recipient address rejected").
 *
 *   exit 0, whole message read       OK
 *   exit 67 or 68 (sysexits)         BOUNCE
 *   an SMTP reply in the output with an RFC 3463 status 5.1.x (but not
 *   5.1.7 or 5.1.8, the sender's address) or 5.2.x, or a bare 550, 551
 *   or 553 on a line that says the recipient was not accepted
 *                                    BOUNCE
 *   killed after its timeout         UNKNOWN (an SMTP client may have sent
 *                                    DATA and be waiting for the reply)
 *   anything else                    RETRY (a 5.7.x policy refusal or an
 *                                    authentication failure is most often
 *                                    the sender's configuration, which the
 *                                    coordinator can fix: never a bounce)
 */
enum delivery_verdict delivery_judge(const struct delivery_end *e,
    char reason[DELIVERY_REASON_BUFSZ]);
/*
 * Over SMTP (smtp_step not NONE) by the same rules, each reply judged
 * where it came:
 *
 *   2xx after the final dot          OK
 *   no reply after the final dot (the connection broke, or the time was
 *   up)                              UNKNOWN
 *   a 5xx to RCPT that refuses the address: an RFC 3463 5.1.x (but not
 *   5.1.7 or 5.1.8) or 5.2.x, or a bare 550, 551 or 553; after the dot,
 *   the same when the reply says so (the status, or "recipient" with a
 *   bare code)                       BOUNCE
 *   anything else (no connection, a 4xx, a refused sender, a 5.7.x policy
 *   refusal such as "relay access denied", a connection lost before the
 *   final dot)                       RETRY
 *
 * reason: "refused the recipient: 550 5.1.1 <x>: ...", "could not be
 * reached: Connection refused", ...
 */

/* Tries in all before a message is given up. */
#define DELIVERY_MAX_ATTEMPTS 5
/*
 * A run stops handing mail over after this many failures in a row
 * (bounces do not count: they are one address's): the mail program or
 * its server is down, and the rest waits for the next run, untouched.
 */
#define DELIVERY_BREAKER 5

/*
 * Whether a message that failed `attempts` times (the last on day
 * failed_on at time failed_at) may be tried again on `today` at `now`:
 * on any later day (cron runs once a morning), or on the same day once
 * 15 minutes * 4^(attempts-1) have passed (an hourly cron backs off:
 * 15 min, 1 h, 4 h, 16 h).  Never from DELIVERY_MAX_ATTEMPTS on.
 */
bool delivery_retry_due(int attempts, int failed_on, time_t failed_at,
    int today, time_t now);

#endif
