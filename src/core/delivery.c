#include "core/delivery.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/date.h"

static const char *const state_words[DELIVERY_NSTATES] = {
	[DELIVERY_HANDED] = "handed",
	[DELIVERY_SENT] = "sent",
	[DELIVERY_FAILED] = "failed",
	[DELIVERY_GAVE_UP] = "gave_up",
	[DELIVERY_BOUNCED] = "bounced",
};

static const char *const source_words[BOUNCE_NSOURCES] = {
	[BOUNCE_SOURCE_REMIND] = "remind",
	[BOUNCE_SOURCE_INBOX] = "inbox",
	[BOUNCE_SOURCE_COORDINATOR] = "coordinator",
};

static int
words_parse(const char *const *v, int n, const char *s)
{
	int i;

	for (i = 0; s != NULL && i < n; i++)
		if (strcmp(v[i], s) == 0)
			return i;
	return -1;
}

const char *
delivery_state_name(enum delivery_state s)
{
	return (int)s >= 0 && (int)s < DELIVERY_NSTATES ? state_words[s] :
	    "unknown";
}

int
delivery_state_parse(const char *s)
{
	return words_parse(state_words, DELIVERY_NSTATES, s);
}

const char *
bounce_source_name(enum bounce_source s)
{
	return (int)s >= 0 && (int)s < BOUNCE_NSOURCES ? source_words[s] :
	    "unknown";
}

int
bounce_source_parse(const char *s)
{
	return words_parse(source_words, BOUNCE_NSOURCES, s);
}

/* sysexits(3) words for the statuses a mail program uses. */
static const char *
delivery_sysexit(int status)
{
	switch (status) {
	case 64: return "usage error";
	case 65: return "data format error";
	case 66: return "cannot open input";
	case 67: return "addressee unknown";
	case 68: return "host name unknown";
	case 69: return "service unavailable";
	case 70: return "internal software error";
	case 71: return "system error";
	case 72: return "critical OS file missing";
	case 73: return "cannot create output file";
	case 74: return "input/output error";
	case 75: return "temporary failure";
	case 76: return "remote error in protocol";
	case 77: return "permission denied";
	case 78: return "configuration error";
	case 127: return "command not found";
	}
	return NULL;
}

/* Digits at s, at most max of them: how many (0 when none). */
static size_t
delivery_digits(const char *s, size_t max)
{
	size_t n = 0;

	while (n <= max && isdigit((unsigned char)s[n]))
		n++;
	return n > max ? 0 : n;
}

/*
 * An RFC 3463 status "C.S.D" at s (C one digit, S and D 1-3 digits, not
 * followed by a digit or a dot): its length, and the subject and detail.
 */
static size_t
delivery_enhanced(const char *s, int *cls, int *subject, int *detail)
{
	size_t a, b;

	if (!isdigit((unsigned char)s[0]) || s[1] != '.')
		return 0;
	if ((a = delivery_digits(s + 2, 3)) == 0 || s[2 + a] != '.')
		return 0;
	if ((b = delivery_digits(s + 3 + a, 3)) == 0)
		return 0;
	if (isdigit((unsigned char)s[3 + a + b]) || s[3 + a + b] == '.')
		return 0;
	*cls = s[0] - '0';
	sscanf(s + 2, "%d", subject);
	sscanf(s + 3 + a, "%d", detail);
	return 3 + a + b;
}

/*
 * A reply code at s: three digits starting 2-5 followed by a space, a
 * hyphen or the end, and not preceded by a digit (the caller checks).
 */
static int
delivery_basic(const char *s)
{
	if (s[0] < '2' || s[0] > '5' || !isdigit((unsigned char)s[1]) ||
	    !isdigit((unsigned char)s[2]))
		return 0;
	if (s[3] != ' ' && s[3] != '-' && s[3] != '\0' && s[3] != '\n')
		return 0;
	return (s[0] - '0') * 100 + (s[1] - '0') * 10 + (s[2] - '0');
}

struct delivery_scan {
	bool recipient;        /* a line speaks of the recipient */
	int basic;             /* the first permanent basic code, else 0 */
	int cls, subject, detail;  /* the first enhanced code, cls 0 when none */
	const char *line;      /* the line that gave it */
	size_t linelen;
	const char *first;     /* the first non-blank line: most often the
	                          cause, what follows its consequences */
	size_t firstlen;
};

static void
delivery_scan_line(struct delivery_scan *sc, const char *l, size_t n)
{
	char buf[512];
	size_t i, k;
	int code, c, s, d;

	if (n >= sizeof buf)
		n = sizeof buf - 1;
	memcpy(buf, l, n);
	buf[n] = '\0';
	for (i = 0; i < n; i++)
		if (strncasecmp(buf + i, "recipient", 9) == 0) {
			sc->recipient = true;
			break;
		}
	for (i = 0; i < n; i++) {
		if (i > 0 && (isdigit((unsigned char)buf[i - 1]) ||
		    buf[i - 1] == '.'))
			continue;
		/* "550 5.1.1", "550-5.1.1" */
		if ((code = delivery_basic(buf + i)) >= 500) {
			if (sc->basic == 0) {
				sc->basic = code;
				sc->line = l;
				sc->linelen = n;
			}
			k = i + 4;
			if (sc->cls == 0 && buf[i + 3] != '\0' &&
			    delivery_enhanced(buf + k, &c, &s, &d) > 0 &&
			    c == 5) {
				sc->cls = c;
				sc->subject = s;
				sc->detail = d;
				sc->line = l;
				sc->linelen = n;
			}
		}
		/* "Status: 5.1.1" as a DSN writes it */
		if (sc->cls == 0 && strncasecmp(buf + i, "status:", 7) == 0) {
			for (k = i + 7; buf[k] == ' '; k++)
				;
			if (delivery_enhanced(buf + k, &c, &s, &d) > 0 &&
			    c == 5) {
				sc->cls = c;
				sc->subject = s;
				sc->detail = d;
				sc->line = l;
				sc->linelen = n;
			}
		}
	}
}

static void
delivery_scan(struct delivery_scan *sc, const char *out)
{
	const char *l, *e;
	size_t n;

	memset(sc, 0, sizeof *sc);
	for (l = out; l != NULL && *l != '\0'; l = *e ? e + 1 : e) {
		e = strchr(l, '\n');
		if (e == NULL)
			e = l + strlen(l);
		n = (size_t)(e - l);
		while (n > 0 && (l[n - 1] == '\r' || l[n - 1] == ' '))
			n--;
		if (n == 0)
			continue;
		if (sc->first == NULL) {
			sc->first = l;
			sc->firstlen = n;
		}
		delivery_scan_line(sc, l, n);
	}
}

/* The address, not the sender or the message, is what was refused. */
static bool
delivery_address_refused(const struct delivery_scan *sc)
{
	if (sc->cls == 5) {
		if (sc->subject == 1)
			return sc->detail != 7 && sc->detail != 8;
		return sc->subject == 2;
	}
	return sc->recipient && (sc->basic == 550 || sc->basic == 551 ||
	    sc->basic == 553);
}

/* Append "TEXT" to reason, one line, printable. */
static void
delivery_append(char *reason, const char *s, size_t n)
{
	size_t at = strlen(reason), i;

	for (i = 0; i < n && at + 1 < DELIVERY_REASON_BUFSZ; i++) {
		unsigned char ch = (unsigned char)s[i];

		reason[at++] = ch < 0x20 || ch == 0x7f ? ' ' : (char)ch;
	}
	reason[at] = '\0';
}

static void
delivery_reason(const struct delivery_end *e, const struct delivery_scan *sc,
    char reason[DELIVERY_REASON_BUFSZ])
{
	const char *word;

	if (e->timed_out)
		snprintf(reason, DELIVERY_REASON_BUFSZ, "was killed after its "
		    "time was up");
	else if (e->signal != 0)
		snprintf(reason, DELIVERY_REASON_BUFSZ, "was killed by signal %d",
		    e->signal);
	else if (e->status == 0)
		snprintf(reason, DELIVERY_REASON_BUFSZ, "exited before reading "
		    "the whole message");
	else if ((word = delivery_sysexit(e->status)) != NULL)
		snprintf(reason, DELIVERY_REASON_BUFSZ, "exited with status %d (%s)",
		    e->status, word);
	else
		snprintf(reason, DELIVERY_REASON_BUFSZ, "exited with status %d",
		    e->status);
	if (sc->line != NULL) {
		delivery_append(reason, ": ", 2);
		delivery_append(reason, sc->line, sc->linelen);
	} else if (sc->first != NULL) {
		delivery_append(reason, ": ", 2);
		delivery_append(reason, sc->first, sc->firstlen);
	}
}

/* What the server did at the step an SMTP transaction ended on. */
static const char *
delivery_smtp_refused(enum delivery_smtp_step step)
{
	switch (step) {
	case DELIVERY_SMTP_CONNECT: return "refused the session";
	case DELIVERY_SMTP_MAIL: return "refused the sender";
	case DELIVERY_SMTP_RCPT: return "refused the recipient";
	case DELIVERY_SMTP_DATA: return "refused the message";
	case DELIVERY_SMTP_DOT: return "refused the message";
	default: return "answered";
	}
}

static enum delivery_verdict
delivery_judge_smtp(const struct delivery_end *e,
    char reason[DELIVERY_REASON_BUFSZ])
{
	struct delivery_scan sc;
	const char *what;

	delivery_scan(&sc, e->output);
	if (e->smtp_step == DELIVERY_SMTP_DONE)
		return DELIVERY_OK;
	if (e->smtp_code == 0) {
		/* No reply: what happened is in the output. */
		if (!e->started)
			what = "could not be reached";
		else if (e->smtp_step == DELIVERY_SMTP_CONNECT)
			what = "did not open a session";
		else if (!e->smtp_lost)
			what = "was not given the message";
		else if (e->smtp_step == DELIVERY_SMTP_DOT)
			what = "was lost after the whole message was sent (it "
			    "may have been delivered)";
		else
			what = "was lost before the message was sent";
		snprintf(reason, DELIVERY_REASON_BUFSZ, "%s", what);
		if (sc.first != NULL) {
			delivery_append(reason, ": ", 2);
			delivery_append(reason, sc.first, sc.firstlen);
		}
		return e->smtp_step == DELIVERY_SMTP_DOT && e->smtp_lost ?
		    DELIVERY_UNKNOWN : DELIVERY_RETRY;
	}
	snprintf(reason, DELIVERY_REASON_BUFSZ, "%s",
	    delivery_smtp_refused(e->smtp_step));
	if (sc.line != NULL || sc.first != NULL) {
		delivery_append(reason, ": ", 2);
		if (sc.line != NULL)
			delivery_append(reason, sc.line, sc.linelen);
		else
			delivery_append(reason, sc.first, sc.firstlen);
	}
	/* The reply to RCPT is about the recipient, whatever it says. */
	if (e->smtp_step == DELIVERY_SMTP_RCPT)
		sc.recipient = true;
	if (e->smtp_code >= 500 && (e->smtp_step == DELIVERY_SMTP_RCPT ||
	    e->smtp_step == DELIVERY_SMTP_DOT) &&
	    delivery_address_refused(&sc))
		return DELIVERY_BOUNCE;
	return DELIVERY_RETRY;
}

enum delivery_verdict
delivery_judge(const struct delivery_end *e,
    char reason[DELIVERY_REASON_BUFSZ])
{
	struct delivery_scan sc;

	reason[0] = '\0';
	if (e->smtp_step != DELIVERY_SMTP_NONE)
		return delivery_judge_smtp(e, reason);
	if (!e->started) {
		snprintf(reason, DELIVERY_REASON_BUFSZ, "could not be started%s",
		    e->output && *e->output ? ": " : "");
		if (e->output)
			delivery_append(reason, e->output, strcspn(e->output,
			    "\n"));
		return DELIVERY_RETRY;
	}
	delivery_scan(&sc, e->output);
	if (!e->timed_out && e->signal == 0 && e->status == 0 && e->read_all)
		return DELIVERY_OK;
	delivery_reason(e, &sc, reason);
	/* It may have sent DATA and be waiting for the reply. */
	if (e->timed_out || e->signal != 0)
		return DELIVERY_UNKNOWN;
	if (e->status == 67 || e->status == 68)
		return DELIVERY_BOUNCE;
	if (e->status != 0 && delivery_address_refused(&sc))
		return DELIVERY_BOUNCE;
	return DELIVERY_RETRY;
}

bool
delivery_retry_due(int attempts, int failed_on, time_t failed_at, int today,
    time_t now)
{
	time_t wait = 15 * 60;
	int i;

	if (attempts >= DELIVERY_MAX_ATTEMPTS)
		return false;
	if (failed_on == DATE_NONE || today > failed_on)
		return true;
	for (i = 1; i < attempts; i++)
		wait *= 4;
	return now - failed_at >= wait;
}
