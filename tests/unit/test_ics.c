#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/date.h"
#include "io/ics.h"

static int
D(const char *s)
{
	int d;

	if (date_parse(s, &d) != 0)
		fail_msg("bad test date %s", s);
	return d;
}

/* 2027-01-15T08:00:00Z */
#define STAMP ((time_t)1800000000)

/* Every line ends in CRLF, no bare CR or LF, and no line passes 75 octets. */
static void
assert_lines_ok(const char *s, size_t len)
{
	size_t i, col = 0;

	assert_true(len >= 2);
	assert_true(s[len - 2] == '\r' && s[len - 1] == '\n');
	for (i = 0; i < len; i++) {
		if (s[i] == '\r') {
			assert_true(i + 1 < len && s[i + 1] == '\n');
			if (col > 75)
				fail_msg("line of %zu octets before offset %zu",
				    col, i);
			col = 0;
			i++;
			/* A continuation never starts inside a character. */
			if (i + 2 < len && s[i + 1] == ' ')
				assert_true(((unsigned char)s[i + 2] & 0xC0) !=
				    0x80);
			continue;
		}
		assert_true(s[i] != '\n');
		col++;
	}
}

/* Undo folding: remove every CRLF followed by one space. */
static char *
unfold(const char *s)
{
	struct strbuf sb = STRBUF_INIT;

	for (; *s != '\0'; s++) {
		if (s[0] == '\r' && s[1] == '\n' && s[2] == ' ') {
			s += 2;
			continue;
		}
		strbuf_addch(&sb, *s);
	}
	return strbuf_detach(&sb, NULL);
}

static struct ics_event
allday(void)
{
	struct ics_event ev;

	memset(&ev, 0, sizeof ev);
	ev.uid = "eng-2027-pairing-42-meeting-3";
	ev.date = D("2027-01-25");
	ev.summary = "Mentoring check-in: Ada Lovelace / Bob Smith";
	return ev;
}

static void
test_calendar_golden(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	struct ics_event ev = allday();
	struct ics_attendee at[2] = {
		{ "Ada Lovelace", "ada@example.org" },
		{ NULL, "bob@example.org" },
	};

	(void)state;
	ev.description = "Meeting 3";
	ev.attendees = at;
	ev.nattendees = 2;
	ics_begin(&sb, "1.2.0", "Engineering Mentoring 2027");
	assert_int_equal(ics_event(&sb, &ev, STAMP, NULL), 0);
	ics_end(&sb);
	assert_string_equal(sb.buf,
	    "BEGIN:VCALENDAR\r\n"
	    "VERSION:2.0\r\n"
	    "PRODID:-//mentorctl//mentorctl 1.2.0//EN\r\n"
	    "CALSCALE:GREGORIAN\r\n"
	    "METHOD:PUBLISH\r\n"
	    "X-WR-CALNAME:Engineering Mentoring 2027\r\n"
	    "BEGIN:VEVENT\r\n"
	    "UID:eng-2027-pairing-42-meeting-3@mentorctl\r\n"
	    "DTSTAMP:20270115T080000Z\r\n"
	    "DTSTART;VALUE=DATE:20270125\r\n"
	    "DTEND;VALUE=DATE:20270126\r\n"
	    "SUMMARY:Mentoring check-in: Ada Lovelace / Bob Smith\r\n"
	    "DESCRIPTION:Meeting 3\r\n"
	    "ATTENDEE;CN=\"Ada Lovelace\":mailto:ada@example.org\r\n"
	    "ATTENDEE:mailto:bob@example.org\r\n"
	    "END:VEVENT\r\n"
	    "END:VCALENDAR\r\n");
	assert_lines_ok(sb.buf, sb.len);
	strbuf_release(&sb);
}

static void
test_allday_month_and_year_end(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	struct ics_event ev = allday();

	(void)state;
	ev.date = D("2027-12-31");
	assert_int_equal(ics_event(&sb, &ev, STAMP, NULL), 0);
	assert_non_null(strstr(sb.buf, "DTSTART;VALUE=DATE:20271231\r\n"
	    "DTEND;VALUE=DATE:20280101\r\n"));
	strbuf_reset(&sb);
	ev.date = D("2028-02-28");
	assert_int_equal(ics_event(&sb, &ev, STAMP, NULL), 0);
	assert_non_null(strstr(sb.buf, "DTEND;VALUE=DATE:20280229\r\n"));
	strbuf_release(&sb);
}

static void
test_timed_event(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	struct ics_event ev;

	(void)state;
	memset(&ev, 0, sizeof ev);
	ev.uid = "flash-2027-round-2-table-5";
	ev.timed = true;
	/* 2027-03-01T09:55:00Z */
	ev.start = (time_t)D("2027-03-01") * 86400 + 9 * 3600 + 55 * 60;
	ev.minutes = 10;
	ev.summary = "Flash round 2";
	assert_int_equal(ics_event(&sb, &ev, STAMP, NULL), 0);
	assert_non_null(strstr(sb.buf, "DTSTART:20270301T095500Z\r\n"
	    "DTEND:20270301T100500Z\r\n"));
	assert_null(strstr(sb.buf, "VALUE=DATE"));
	assert_lines_ok(sb.buf, sb.len);
	strbuf_release(&sb);
}

static void
test_text_escaping(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	struct ics_event ev = allday();

	(void)state;
	ev.summary = "Plan; review, then \\ notes";
	ev.description = "line1\nline2\r\nline3\rline4\x01\ttab";
	assert_int_equal(ics_event(&sb, &ev, STAMP, NULL), 0);
	assert_non_null(strstr(sb.buf,
	    "SUMMARY:Plan\\; review\\, then \\\\ notes\r\n"));
	assert_non_null(strstr(sb.buf,
	    "DESCRIPTION:line1\\nline2\\nline3\\nline4\ttab\r\n"));
	assert_lines_ok(sb.buf, sb.len);
	strbuf_release(&sb);
}

static void
test_no_property_injection(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	struct ics_event ev = allday();
	struct ics_attendee at = { "Eve\r\nATTENDEE:mailto:x@y\"",
		"eve@example.org" };
	const char *p;
	int events = 0;

	(void)state;
	ev.summary = "Hi\r\nEND:VEVENT\r\nBEGIN:VEVENT";
	ev.uid = "k\r\nUID:other";
	ev.attendees = &at;
	ev.nattendees = 1;
	assert_int_equal(ics_event(&sb, &ev, STAMP, NULL), 0);
	for (p = sb.buf; (p = strstr(p, "\r\nEND:VEVENT")) != NULL; p++)
		events++;
	assert_int_equal(events, 1);
	assert_null(strstr(sb.buf, "\r\nUID:other"));
	assert_null(strstr(sb.buf, "\r\nATTENDEE:mailto:x@y"));
	assert_non_null(strstr(sb.buf,
	    "ATTENDEE;CN=\"Eve  ATTENDEE:mailto:x@y'\":"
	    "mailto:eve@example.org"));
	assert_lines_ok(sb.buf, sb.len);
	strbuf_release(&sb);
}

static void
test_attendee_params(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	struct ics_event ev = allday();
	struct ics_attendee at = { "Zoë \"Z\" O,Brien; Jr",
		"zoe+m&m@example.org" };
	char *u;

	(void)state;
	ev.attendees = &at;
	ev.nattendees = 1;
	assert_int_equal(ics_event(&sb, &ev, STAMP, NULL), 0);
	u = unfold(sb.buf);
	assert_non_null(strstr(u, "ATTENDEE;CN=\"Zoë 'Z' O,Brien; Jr\":"
	    "mailto:zoe+m%26m@example.org\r\n"));
	free(u);
	strbuf_release(&sb);
}

static void
test_fold_exactly_75(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	char line[200];

	(void)state;
	memset(line, 'x', sizeof line);
	/* 75 octets: one line. */
	ics_fold(&sb, line, 75);
	assert_int_equal(sb.len, 77);
	assert_null(strstr(sb.buf, "\r\n "));
	strbuf_reset(&sb);
	/* 76: 75, then a space and the last one. */
	ics_fold(&sb, line, 76);
	assert_int_equal(sb.len, 75 + 3 + 1 + 2);
	assert_memory_equal(sb.buf + 75, "\r\n x\r\n", 6);
	strbuf_reset(&sb);
	/* 75 + 74: the continuation holds 74 plus its space. */
	ics_fold(&sb, line, 149);
	assert_int_equal(sb.len, 75 + 3 + 74 + 2);
	strbuf_reset(&sb);
	ics_fold(&sb, line, 150);
	assert_int_equal(sb.len, 75 + 3 + 74 + 3 + 1 + 2);
	assert_lines_ok(sb.buf, sb.len);
	strbuf_release(&sb);

	/* Through a property: "SUMMARY:" + 67 = 75 octets stays whole. */
	{
		char text[70];
		struct ics_event ev = allday();

		memset(text, 's', 67);
		text[67] = '\0';
		ev.summary = text;
		strbuf_init(&sb);
		assert_int_equal(ics_event(&sb, &ev, STAMP, NULL), 0);
		assert_non_null(strstr(sb.buf, "\r\nSUMMARY:sssssss"));
		assert_null(strstr(sb.buf, "\r\n s"));
		strbuf_reset(&sb);
		text[66] = '\0';
		strcat(text, "é"); /* 76 octets: é would straddle the fold */
		ev.summary = text;
		assert_int_equal(ics_event(&sb, &ev, STAMP, NULL), 0);
		assert_non_null(strstr(sb.buf, "s\r\n é\r\n"));
		assert_lines_ok(sb.buf, sb.len);
		strbuf_release(&sb);
	}
}

static void
test_fold_multibyte_everywhere(void **state)
{
	static const char *chars[] = { "é", "€", "😀", "日本" };
	struct strbuf text = STRBUF_INIT, sb = STRBUF_INIT, want = STRBUF_INIT;
	size_t pre, c, i;
	char *u;

	(void)state;
	for (c = 0; c < sizeof chars / sizeof chars[0]; c++) {
		for (pre = 55; pre < 90; pre++) {
			strbuf_reset(&text);
			for (i = 0; i < pre; i++)
				strbuf_addch(&text, 'a');
			for (i = 0; i < 60; i++)
				strbuf_addstr(&text, chars[c]);
			strbuf_reset(&sb);
			ics_text_property(&sb, "DESCRIPTION", text.buf);
			assert_lines_ok(sb.buf, sb.len);
			u = unfold(sb.buf);
			strbuf_reset(&want);
			strbuf_addf(&want, "DESCRIPTION:%s\r\n", text.buf);
			assert_string_equal(u, want.buf);
			free(u);
		}
	}
	strbuf_release(&text);
	strbuf_release(&sb);
	strbuf_release(&want);
}

static void
test_invalid_utf8_replaced(void **state)
{
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	ics_text_property(&sb, "SUMMARY", "bad \xff byte");
	assert_string_equal(sb.buf, "SUMMARY:bad \xEF\xBF\xBD byte\r\n");
	strbuf_release(&sb);
}

static void
test_stable_uid(void **state)
{
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT;
	struct ics_event ev = allday();

	(void)state;
	assert_int_equal(ics_event(&a, &ev, STAMP, NULL), 0);
	ev.date = D("2027-02-01");
	assert_int_equal(ics_event(&b, &ev, STAMP + 86400, NULL), 0);
	assert_non_null(strstr(a.buf,
	    "UID:eng-2027-pairing-42-meeting-3@mentorctl\r\n"));
	assert_non_null(strstr(b.buf,
	    "UID:eng-2027-pairing-42-meeting-3@mentorctl\r\n"));
	strbuf_release(&a);
	strbuf_release(&b);
}

static void
test_errors_leave_output_alone(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	struct error err = ERROR_INIT;
	struct ics_event ev;
	struct ics_attendee bad = { "X", "not an address" };

	(void)state;
	strbuf_addstr(&sb, "KEEP\r\n");
	ev = allday();
	ev.uid = "";
	assert_int_equal(ics_event(&sb, &ev, STAMP, &err), -1);
	assert_int_equal(err.code, EX_DATAERR);
	error_clear(&err);
	ev = allday();
	ev.date = DATE_NONE;
	assert_int_equal(ics_event(&sb, &ev, STAMP, &err), -1);
	error_clear(&err);
	ev = allday();
	ev.date = DATE_MAX_DAY;  /* its DTEND would be in year 10000 */
	assert_int_equal(ics_event(&sb, &ev, STAMP, &err), -1);
	error_clear(&err);
	ev = allday();
	ev.timed = true;
	ev.start = STAMP;
	ev.minutes = 0;
	assert_int_equal(ics_event(&sb, &ev, STAMP, &err), -1);
	error_clear(&err);
	ev = allday();
	ev.attendees = &bad;
	ev.nattendees = 1;
	assert_int_equal(ics_event(&sb, &ev, STAMP, &err), -1);
	assert_non_null(strstr(err.msg, "attendee"));
	error_clear(&err);
	assert_string_equal(sb.buf, "KEEP\r\n");
	strbuf_release(&sb);
}

static void
test_prodid_and_no_name(void **state)
{
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	ics_begin(&sb, "0.3.1", NULL);
	ics_end(&sb);
	assert_string_equal(sb.buf,
	    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"
	    "PRODID:-//mentorctl//mentorctl 0.3.1//EN\r\n"
	    "CALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\nEND:VCALENDAR\r\n");
	strbuf_release(&sb);
}

/* PUBLISH with an organizer, a location and a revision; or no METHOD. */
static void
test_organizer_sequence(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	struct ics_event ev = allday();
	struct ics_attendee org = { "People Development",
	    "mentoring@example.org" };
	struct ics_attendee bad = { NULL, "not an address" };
	struct error err = ERROR_INIT;

	(void)state;
	ev.organizer = &org;
	ev.sequence = 2;
	ev.location = "Table 3";
	ics_begin_method(&sb, "1.2.0", NULL, "PUBLISH");
	assert_int_equal(ics_event(&sb, &ev, STAMP, NULL), 0);
	ics_end(&sb);
	assert_non_null(strstr(sb.buf, "METHOD:PUBLISH\r\n"));
	assert_non_null(strstr(sb.buf, "SEQUENCE:2\r\n"));
	assert_non_null(strstr(sb.buf, "LOCATION:Table 3\r\n"));
	assert_non_null(strstr(sb.buf, "ORGANIZER;CN=\"People Development\":"
	    "mailto:mentoring@example.org\r\n"));
	assert_null(strstr(sb.buf, "ATTENDEE"));
	strbuf_reset(&sb);
	ics_begin_method(&sb, "1.2.0", NULL, NULL);
	ev.organizer = NULL;
	ev.sequence = 0;
	assert_int_equal(ics_event(&sb, &ev, STAMP, NULL), 0);
	assert_null(strstr(sb.buf, "METHOD"));
	assert_null(strstr(sb.buf, "SEQUENCE"));
	ev.organizer = &bad;
	assert_int_equal(ics_event(&sb, &ev, STAMP, &err), -1);
	assert_int_equal(err.code, EX_DATAERR);
	error_clear(&err);
	strbuf_release(&sb);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_organizer_sequence),
		cmocka_unit_test(test_calendar_golden),
		cmocka_unit_test(test_allday_month_and_year_end),
		cmocka_unit_test(test_timed_event),
		cmocka_unit_test(test_text_escaping),
		cmocka_unit_test(test_no_property_injection),
		cmocka_unit_test(test_attendee_params),
		cmocka_unit_test(test_fold_exactly_75),
		cmocka_unit_test(test_fold_multibyte_everywhere),
		cmocka_unit_test(test_invalid_utf8_replaced),
		cmocka_unit_test(test_stable_uid),
		cmocka_unit_test(test_errors_leave_output_alone),
		cmocka_unit_test(test_prodid_and_no_name),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
