#include "io/ics.h"

#include <stdio.h>
#include <string.h>

#include "core/date.h"
#include "io/mail.h"
#include "io/out.h"

#define ICS_LINE_MAX 75  /* octets, CRLF not counted (RFC 5545 3.1) */

void
ics_fold(struct strbuf *out, const char *line, size_t len)
{
	size_t room = ICS_LINE_MAX, n;

	while (len > room) {
		n = room;
		/* Back off to the start of a UTF-8 sequence. */
		while (n > 0 && ((unsigned char)line[n] & 0xC0) == 0x80)
			n--;
		if (n == 0)
			n = room;
		strbuf_add(out, line, n);
		strbuf_addstr(out, "\r\n ");
		line += n;
		len -= n;
		/* The leading space counts towards the 75. */
		room = ICS_LINE_MAX - 1;
	}
	strbuf_add(out, line, len);
	strbuf_addstr(out, "\r\n");
}

static void
ics_escape_text(struct strbuf *sb, const char *s)
{
	size_t len, i = 0;
	unsigned long cp;
	int k;

	if (s == NULL)
		return;
	len = strlen(s);
	while (i < len) {
		switch (s[i]) {
		case '\\':
			strbuf_addstr(sb, "\\\\");
			i++;
			continue;
		case ';':
			strbuf_addstr(sb, "\\;");
			i++;
			continue;
		case ',':
			strbuf_addstr(sb, "\\,");
			i++;
			continue;
		case '\r':
			strbuf_addstr(sb, "\\n");
			i += s[i + 1] == '\n' ? 2 : 1;
			continue;
		case '\n':
			strbuf_addstr(sb, "\\n");
			i++;
			continue;
		default:
			break;
		}
		k = utf8_decode(s + i, len - i, &cp);
		if (k < 0) {
			strbuf_addstr(sb, "\xEF\xBF\xBD");
			i += (size_t)-k;
			continue;
		}
		/* RFC 5545 TEXT excludes CONTROL but for HTAB. */
		if (cp == '\t' || !(cp < 0x20 || cp == 0x7F ||
		    (cp >= 0x80 && cp < 0xA0)))
			strbuf_add(sb, s + i, (size_t)k);
		i += (size_t)k;
	}
}

/*
 * A parameter value as a quoted-string, which cannot hold DQUOTE or control
 * characters at all (RFC 5545 3.1): those are replaced, not escaped.
 */
static void
ics_param_value(struct strbuf *sb, const char *s)
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
ics_mailto(struct strbuf *sb, const char *email)
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

void
ics_text_property(struct strbuf *out, const char *name, const char *value)
{
	struct strbuf line = STRBUF_INIT;

	strbuf_addstr(&line, name);
	strbuf_addch(&line, ':');
	ics_escape_text(&line, value);
	ics_fold(out, line.buf, line.len);
	strbuf_release(&line);
}

static int
ics_utc(struct strbuf *sb, time_t t)
{
	struct tm tm;

	/* Compare tm_year itself: adding 1900 may overflow for absurd times. */
	if (gmtime_r(&t, &tm) == NULL || tm.tm_year < 1 - 1900 ||
	    tm.tm_year > 9999 - 1900)
		return -1;
	strbuf_addf(sb, "%04d%02d%02dT%02d%02d%02dZ", tm.tm_year + 1900,
	    tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
	return 0;
}

static int
ics_day(struct strbuf *sb, int day)
{
	int y, m, d;

	if (day == DATE_NONE || day < DATE_MIN_DAY || day > DATE_MAX_DAY)
		return -1;
	date_to_ymd(day, &y, &m, &d);
	strbuf_addf(sb, "%04d%02d%02d", y, m, d);
	return 0;
}

void
ics_begin_method(struct strbuf *out, const char *version, const char *name,
    const char *method)
{
	struct strbuf line = STRBUF_INIT;

	strbuf_addstr(out, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n");
	strbuf_addstr(&line, "PRODID:-//mentorctl//mentorctl ");
	ics_escape_text(&line, version ? version : "");
	strbuf_addstr(&line, "//EN");
	ics_fold(out, line.buf, line.len);
	strbuf_addstr(out, "CALSCALE:GREGORIAN\r\n");
	if (method != NULL) {
		strbuf_reset(&line);
		strbuf_addstr(&line, "METHOD:");
		ics_escape_text(&line, method);
		ics_fold(out, line.buf, line.len);
	}
	if (name != NULL)
		ics_text_property(out, "X-WR-CALNAME", name);
	strbuf_release(&line);
}

void
ics_begin(struct strbuf *out, const char *version, const char *name)
{
	ics_begin_method(out, version, name, "PUBLISH");
}

/* NAME[;CN="..."]:mailto:..., folded; -1 for an invalid address. */
static int
ics_cal_address(struct strbuf *out, const char *prop,
    const struct ics_attendee *a)
{
	struct strbuf line = STRBUF_INIT;

	if (!mail_addr_valid(a->email))
		return -1;
	strbuf_addstr(&line, prop);
	if (a->name != NULL && a->name[0] != '\0') {
		strbuf_addstr(&line, ";CN=");
		ics_param_value(&line, a->name);
	}
	strbuf_addch(&line, ':');
	ics_mailto(&line, a->email);
	ics_fold(out, line.buf, line.len);
	strbuf_release(&line);
	return 0;
}

void
ics_end(struct strbuf *out)
{
	strbuf_addstr(out, "END:VCALENDAR\r\n");
}

static int
ics_event_lines(struct strbuf *ev_out, const struct ics_event *ev,
    time_t dtstamp, struct error *err)
{
	struct strbuf line = STRBUF_INIT;
	size_t i;
	int rc = -1;

	if (ev->uid == NULL || ev->uid[0] == '\0') {
		error_set(err, EX_DATAERR, "calendar event without a UID");
		goto out;
	}
	strbuf_addstr(ev_out, "BEGIN:VEVENT\r\n");
	strbuf_addstr(&line, "UID:");
	ics_escape_text(&line, ev->uid);
	strbuf_addstr(&line, "@mentorctl");
	ics_fold(ev_out, line.buf, line.len);

	strbuf_reset(&line);
	strbuf_addstr(&line, "DTSTAMP:");
	if (ics_utc(&line, dtstamp) == -1) {
		error_set(err, EX_DATAERR, "event '%s': unusable timestamp",
		    ev->uid);
		goto out;
	}
	ics_fold(ev_out, line.buf, line.len);

	strbuf_reset(&line);
	if (ev->timed) {
		if (ev->minutes <= 0) {
			error_set(err, EX_DATAERR, "event '%s': duration of %d "
			    "minutes", ev->uid, ev->minutes);
			goto out;
		}
		strbuf_addstr(&line, "DTSTART:");
		if (ics_utc(&line, ev->start) == -1)
			goto bad_date;
		ics_fold(ev_out, line.buf, line.len);
		strbuf_reset(&line);
		strbuf_addstr(&line, "DTEND:");
		if (ics_utc(&line, ev->start + (time_t)ev->minutes * 60) == -1)
			goto bad_date;
		ics_fold(ev_out, line.buf, line.len);
	} else {
		/* All day: DTEND is exclusive, the next day (RFC 5545 3.6.1) */
		strbuf_addstr(&line, "DTSTART;VALUE=DATE:");
		if (ics_day(&line, ev->date) == -1)
			goto bad_date;
		ics_fold(ev_out, line.buf, line.len);
		strbuf_reset(&line);
		strbuf_addstr(&line, "DTEND;VALUE=DATE:");
		if (ics_day(&line, date_add_days(ev->date, 1)) == -1)
			goto bad_date;
		ics_fold(ev_out, line.buf, line.len);
	}
	if (ev->sequence > 0)
		strbuf_addf(ev_out, "SEQUENCE:%d\r\n", ev->sequence);
	ics_text_property(ev_out, "SUMMARY", ev->summary ? ev->summary : "");
	if (ev->description != NULL)
		ics_text_property(ev_out, "DESCRIPTION", ev->description);
	if (ev->location != NULL)
		ics_text_property(ev_out, "LOCATION", ev->location);
	if (ev->organizer != NULL &&
	    ics_cal_address(ev_out, "ORGANIZER", ev->organizer) != 0) {
		error_set(err, EX_DATAERR, "event '%s': invalid organizer "
		    "address", ev->uid);
		goto out;
	}
	for (i = 0; i < ev->nattendees; i++) {
		if (ics_cal_address(ev_out, "ATTENDEE", &ev->attendees[i]) != 0) {
			error_set(err, EX_DATAERR, "event '%s': invalid "
			    "attendee address", ev->uid);
			goto out;
		}
	}
	strbuf_addstr(ev_out, "END:VEVENT\r\n");
	rc = 0;
	goto out;
bad_date:
	error_set(err, EX_DATAERR, "event '%s': date out of range", ev->uid);
out:
	strbuf_release(&line);
	return rc;
}

int
ics_event(struct strbuf *out, const struct ics_event *ev, time_t dtstamp,
    struct error *err)
{
	struct strbuf tmp = STRBUF_INIT;
	int rc;

	/* Built aside, so that a failing event leaves out as it was. */
	rc = ics_event_lines(&tmp, ev, dtstamp, err);
	if (rc == 0)
		strbuf_add(out, tmp.buf, tmp.len);
	strbuf_release(&tmp);
	return rc;
}
