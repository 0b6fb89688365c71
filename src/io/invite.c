/*
 * iTIP REQUESTs in iMIP messages, for the leader sessions.  The calendar's
 * content lines go through io/ics.h (folding, TEXT escaping); the message
 * starts as io/mail.h composes it and gains its calendar parts here.
 */
#include "io/invite.h"

#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/date.h"
#include "io/ics.h"
#include "io/out.h"
#include "util/xmalloc.h"

/* A parameter value: a quoted-string cannot hold DQUOTE or controls. */
static void
param_value(struct strbuf *sb, const char *s)
{
	size_t len = strlen(s), i = 0;
	unsigned long cp;
	int k;

	strbuf_addch(sb, '"');
	while (i < len) {
		k = utf8_decode(s + i, len - i, &cp);
		if (k < 0) {
			strbuf_addstr(sb, "\xEF\xBF\xBD");
			i += (size_t)-k;
			continue;
		}
		if (cp == '"')
			strbuf_addch(sb, '\'');
		else if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0))
			strbuf_addch(sb, ' ');
		else
			strbuf_add(sb, s + i, (size_t)k);
		i += (size_t)k;
	}
	strbuf_addch(sb, '"');
}

/* mailto: URI (RFC 6068): percent-encode what is not plainly safe. */
static void
mailto(struct strbuf *sb, const char *email)
{
	static const char safe[] = "._~!$'*+=@-";
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p;

	strbuf_addstr(sb, "mailto:");
	for (p = (const unsigned char *)email; *p != '\0'; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr(safe, *p) != NULL) {
			strbuf_addch(sb, (char)*p);
		} else {
			strbuf_addch(sb, '%');
			strbuf_addch(sb, hex[*p >> 4]);
			strbuf_addch(sb, hex[*p & 15]);
		}
	}
}

/* NAME;PARAMS;CN="...":mailto:ADDR, folded. */
static int
cal_address(struct strbuf *out, const char *prop, const char *params,
    const struct invite_person *who)
{
	struct strbuf line = STRBUF_INIT;

	if (who->email == NULL || !mail_addr_valid(who->email))
		return -1;
	strbuf_addstr(&line, prop);
	if (params != NULL)
		strbuf_addstr(&line, params);
	if (who->name != NULL && who->name[0] != '\0') {
		strbuf_addstr(&line, ";CN=");
		param_value(&line, who->name);
	}
	strbuf_addch(&line, ':');
	mailto(&line, who->email);
	ics_fold(out, line.buf, line.len);
	strbuf_release(&line);
	return 0;
}

static int
utc_stamp(struct strbuf *sb, time_t t)
{
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL || tm.tm_year < 1 - 1900 ||
	    tm.tm_year > 9999 - 1900)
		return -1;
	strbuf_addf(sb, "%04d%02d%02dT%02d%02d%02dZ", tm.tm_year + 1900,
	    tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
	return 0;
}

static int
day_stamp(struct strbuf *sb, int day)
{
	int y, m, d;

	if (day == DATE_NONE || day < DATE_MIN_DAY || day >= DATE_MAX_DAY)
		return -1;
	date_to_ymd(day, &y, &m, &d);
	strbuf_addf(sb, "%04d%02d%02d", y, m, d);
	return 0;
}

/* One "NAME:value" line whose value is built by fn, folded. */
static int
time_line(struct strbuf *out, const char *name, const struct invite_event *ev,
    bool end)
{
	struct strbuf line = STRBUF_INIT;
	int rc;

	strbuf_addstr(&line, name);
	if (ev->timed) {
		strbuf_addch(&line, ':');
		rc = utc_stamp(&line, ev->start + (end ?
		    (time_t)ev->minutes * 60 : 0));
	} else {
		strbuf_addstr(&line, ";VALUE=DATE:");
		rc = day_stamp(&line, end ? date_add_days(ev->date, 1) :
		    ev->date);
	}
	if (rc == 0)
		ics_fold(out, line.buf, line.len);
	strbuf_release(&line);
	return rc;
}

int
invite_calendar(const struct invite_event *ev, const char *version,
    time_t dtstamp, struct strbuf *out, struct error *err)
{
	struct strbuf cal = STRBUF_INIT, line = STRBUF_INIT;
	char *params;
	size_t i;
	int rc = -1;

	if (ev->uid == NULL || ev->uid[0] == '\0') {
		error_set(err, EX_DATAERR, "calendar event without a UID");
		goto out;
	}
	if (ev->timed && ev->minutes <= 0) {
		error_set(err, EX_DATAERR, "event '%s': duration of %d minutes",
		    ev->uid, ev->minutes);
		goto out;
	}
	strbuf_addstr(&cal, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n");
	strbuf_addf(&line, "PRODID:-//mentorctl//mentorctl %s//EN",
	    version ? version : "");
	ics_fold(&cal, line.buf, line.len);
	strbuf_addstr(&cal, "CALSCALE:GREGORIAN\r\nMETHOD:REQUEST\r\n"
	    "BEGIN:VEVENT\r\n");
	strbuf_reset(&line);
	strbuf_addf(&line, "UID:%s@mentorctl", ev->uid);
	ics_fold(&cal, line.buf, line.len);
	strbuf_addf(&cal, "SEQUENCE:%d\r\n", ev->sequence);
	strbuf_reset(&line);
	strbuf_addstr(&line, "DTSTAMP:");
	if (utc_stamp(&line, dtstamp) != 0)
		goto bad_date;
	ics_fold(&cal, line.buf, line.len);
	if (time_line(&cal, "DTSTART", ev, false) != 0 ||
	    time_line(&cal, "DTEND", ev, true) != 0)
		goto bad_date;
	ics_text_property(&cal, "SUMMARY", ev->summary ? ev->summary : "");
	if (ev->description != NULL)
		ics_text_property(&cal, "DESCRIPTION", ev->description);
	strbuf_addstr(&cal, "STATUS:CONFIRMED\r\nTRANSP:OPAQUE\r\n");
	if (cal_address(&cal, "ORGANIZER", NULL, &ev->organizer) != 0) {
		error_set(err, EX_DATAERR, "event '%s': invalid organizer "
		    "address", ev->uid);
		goto out;
	}
	params = xasprintf(";CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;"
	    "PARTSTAT=%s;RSVP=FALSE", ev->partstat ? ev->partstat :
	    "NEEDS-ACTION");
	for (i = 0; i < ev->nattendees; i++)
		if (cal_address(&cal, "ATTENDEE", params,
		    &ev->attendees[i]) != 0)
			break;
	free(params);
	if (i < ev->nattendees) {
		error_set(err, EX_DATAERR, "event '%s': invalid attendee "
		    "address", ev->uid);
		goto out;
	}
	strbuf_addstr(&cal, "END:VEVENT\r\nEND:VCALENDAR\r\n");
	strbuf_add(out, cal.buf, cal.len);
	rc = 0;
	goto out;
bad_date:
	error_set(err, EX_DATAERR, "event '%s': unusable date or time", ev->uid);
out:
	strbuf_release(&cal);
	strbuf_release(&line);
	return rc;
}

/* Base64 in lines of 76 (RFC 2045), LF-terminated. */
static void
base64_lines(struct strbuf *out, const char *p, size_t n)
{
	size_t chunk = 57, i, len;
	char buf[80];

	for (i = 0; i < n; i += chunk) {
		len = n - i < chunk ? n - i : chunk;
		sodium_bin2base64(buf, sizeof buf, (const unsigned char *)p + i,
		    len, sodium_base64_VARIANT_ORIGINAL);
		strbuf_addstr(out, buf);
		strbuf_addch(out, '\n');
	}
}

/* A boundary that cannot occur in base64 or in the text's lines. */
static void
boundary(char *buf, size_t size, const char *seed, const char *tag)
{
	uint64_t h = 14695981039346656037ULL;
	const unsigned char *p;

	for (p = (const unsigned char *)(seed ? seed : ""); *p; p++) {
		h ^= *p;
		h *= 1099511628211ULL;
	}
	snprintf(buf, size, "=_mentorctl_%s_%016llx", tag,
	    (unsigned long long)h);
}

int
invite_compose(const struct mail_msg *m, const char *reply_to,
    const char *calendar, size_t calendar_len, struct strbuf *out,
    struct error *err)
{
	static const char plain[] = "MIME-Version: 1.0\n"
	    "Content-Type: text/plain; charset=UTF-8\n"
	    "Content-Transfer-Encoding: ";
	struct strbuf msg = STRBUF_INIT;
	const char *mime, *cte, *body;
	char outer[64], inner[64];
	size_t cte_len;
	int rc = -1;

	if (reply_to != NULL && !mail_addr_valid(reply_to))
		return error_set(err, EX_DATAERR, "invalid Reply-To address");
	if (mail_compose(m, &msg, err) != 0)
		goto out;
	/* mail_compose's shape: headers, its three MIME lines, a blank line */
	if ((mime = strstr(msg.buf, plain)) == NULL ||
	    (body = strstr(msg.buf, "\n\n")) == NULL || body < mime) {
		error_set(err, EX_SOFTWARE, "unexpected message layout from "
		    "mail_compose");
		goto out;
	}
	cte = mime + strlen(plain);
	cte_len = strcspn(cte, "\n");
	body += 2;
	boundary(outer, sizeof outer, m->message_id, "m");
	boundary(inner, sizeof inner, m->message_id, "a");
	strbuf_add(out, msg.buf, (size_t)(mime - msg.buf));
	if (reply_to != NULL)
		strbuf_addf(out, "Reply-To: <%s>\n", reply_to);
	strbuf_addf(out, "MIME-Version: 1.0\n"
	    "Content-Type: multipart/mixed;\n boundary=\"%s\"\n", outer);
	/* the headers after the MIME lines (Auto-Submitted) */
	strbuf_add(out, cte + cte_len + 1, (size_t)(body - 1 - (cte + cte_len +
	    1)));
	strbuf_addf(out, "\nThis is a message in MIME format.\n\n--%s\n"
	    "Content-Type: multipart/alternative;\n boundary=\"%s\"\n\n"
	    "--%s\nContent-Type: text/plain; charset=UTF-8\n"
	    "Content-Transfer-Encoding: %.*s\n\n", outer, inner, inner,
	    (int)cte_len, cte);
	strbuf_addstr(out, body);
	if (out->len > 0 && out->buf[out->len - 1] != '\n')
		strbuf_addch(out, '\n');
	strbuf_addf(out, "\n--%s\nContent-Type: text/calendar; charset=UTF-8; "
	    "method=REQUEST\nContent-Transfer-Encoding: base64\n\n", inner);
	base64_lines(out, calendar, calendar_len);
	strbuf_addf(out, "\n--%s--\n\n--%s\n"
	    "Content-Type: application/ics; name=\"invite.ics\"\n"
	    "Content-Disposition: attachment; filename=\"invite.ics\"\n"
	    "Content-Transfer-Encoding: base64\n\n", inner, outer);
	base64_lines(out, calendar, calendar_len);
	strbuf_addf(out, "\n--%s--\n", outer);
	rc = 0;
out:
	strbuf_release(&msg);
	return rc;
}
