#!/bin/sh
# schedule: upcoming check-ins per active pairing (csv columns, horizon,
# --from/--until) and the --ics calendar (RFC 5545: CRLF, 75-octet lines,
# balanced BEGIN/END, stable unique UIDs), written atomically.
. "$TOP/tests/cli/lib.sh"

q() { sqlite3 "$MENTORCTL_DB" "$1"; }
P1="Explore each other's past - career paths and turning points"
P2="The mentee's ambitions, goals, needs and challenges"

export MENTORCTL_TODAY=2027-01-11
expect 0 init
expect 0 program add "$DATA/programs/eng-2027.yaml"
# A long non-ASCII name, so that calendar lines must fold inside UTF-8.
printf 'email,name,role\nann@example.org,Ann Mentor,mentor\nbob@example.org,Bob Mentee,mentee\ncat@example.org,"Åsa Ünïcødé-Långnamn, Senior Principal Staff Engineer (Platform)",mentor\ndan@example.org,Dan Mentee,mentee\n' >"$T/enroll.csv"
expect 0 enroll eng-2027 --csv "$T/enroll.csv"
# Active pairings: 1 ann-bob since 01-11, 2 cat-dan since 01-18.
activate eng-2027 ann@example.org bob@example.org 2027-01-04 2027-01-11
propose eng-2027 cat@example.org dan@example.org 2027-01-11
expect 0 cycle start eng-2027
expect 0 --today 2027-01-18 accept 2

export MENTORCTL_TODAY=2027-01-21
expect 0 checkin 1 --on 2027-01-20

# Listing: pinned columns; by day; to the end of the open cycle (07-10).
expect 0 --format csv schedule eng-2027
check '[ "$(sed -n 1p "$T/.out")" = "$(printf "meeting,mentor_email,mentee_email,date,pairing,prompt\r")" ]' \
	"schedule header: $(sed -n 1p "$T/.out")"
check '[ "$(sed -n 2p "$T/.out")" = "$(printf "1,cat@example.org,dan@example.org,2027-02-01,2,%s\r" "$P1")" ]' \
	"first row: $(sed -n 2p "$T/.out")"
check '[ "$(sed -n 3p "$T/.out")" = "$(printf "2,ann@example.org,bob@example.org,2027-02-03,1,\"%s\"\r" "$P2")" ]' \
	"second row: $(sed -n 3p "$T/.out")"
out_has "13,ann@example.org,bob@example.org,2027-07-07,1,"
out_lacks "2027-07-1"
check '[ "$(wc -l <"$T/.out")" -eq 25 ]' "$(wc -l <"$T/.out") lines, expected header + 12 + 12"
expect 0 --format json schedule eng-2027 --until 2027-02-10
out_has '{"meeting":1,"mentor_email":"cat@example.org","mentee_email":"dan@example.org","date":"2027-02-01","pairing":2,"prompt":"'
# An owed check-in before --from does not use up a meeting number.
expect 0 --format csv schedule eng-2027 --from 2027-02-02 --until 2027-02-16
out_is "$(printf 'meeting,mentor_email,mentee_email,date,pairing,prompt\r\n2,ann@example.org,bob@example.org,2027-02-03,1,"%s"\r\n1,cat@example.org,dan@example.org,2027-02-15,2,%s\r' "$P2" "$P1")"
# Past the open cycle: 90 days from --from.
expect 0 --format csv schedule eng-2027 --from 2027-08-01
check '[ "$(tail -n 1 "$T/.out" | cut -d, -f4)" \< 2027-10-30 ] && [ "$(tail -n 1 "$T/.out" | cut -d, -f4)" \> 2027-10-15 ]' \
	"90-day horizon ends at $(tail -n 1 "$T/.out" | cut -d, -f4)"
expect 65 schedule eng-2027 --from 2027-03-01 --until 2027-02-01
err_has "--until 2027-02-01 is before --from 2027-03-01"
expect 65 schedule eng-2027 --until 2027-02-29
expect 65 schedule nope
expect 64 --format mbox schedule eng-2027

# The calendar.
expect 0 schedule eng-2027 --ics "$T/cal.ics"
out_is ""
err_has "wrote 24 check-ins of 'eng-2027' to '$T/cal.ics'"
check 'python3 - "$T/cal.ics" <<"PY"
import re, sys
raw = open(sys.argv[1], "rb").read()
assert raw.endswith(b"\r\n"), "no final CRLF"
lines = raw.split(b"\r\n")[:-1]
assert all(b"\r" not in l and b"\n" not in l for l in lines), "bare CR or LF"
assert all(len(l) <= 75 for l in lines), max(len(l) for l in lines)
raw.decode("utf-8")                     # folding never splits a character
for l in lines:
    if l.startswith(b" "):
        l.decode("utf-8")
# unfold (RFC 5545 3.1)
text = raw.decode("utf-8").replace("\r\n ", "").split("\r\n")[:-1]
assert any(l.startswith(" ") for l in raw.decode("utf-8").split("\r\n")), "nothing folded"
stack = []
for l in text:
    if l.startswith("BEGIN:"):
        stack.append(l[6:])
    elif l.startswith("END:"):
        assert stack and stack.pop() == l[4:], "unbalanced " + l
assert not stack, stack
assert text[0] == "BEGIN:VCALENDAR" and text[-1] == "END:VCALENDAR"
assert "VERSION:2.0" in text and any(l.startswith("PRODID:") for l in text)
uids = [l[4:] for l in text if l.startswith("UID:")]
assert len(uids) == 24 == text.count("BEGIN:VEVENT"), len(uids)
assert len(set(uids)) == len(uids), "duplicate UIDs"
assert all(re.fullmatch(r"eng-2027-pairing-[12]-meeting-\d+@mentorctl", u) for u in uids), uids
assert "UID:eng-2027-pairing-1-meeting-2@mentorctl" in text
i = text.index("UID:eng-2027-pairing-1-meeting-2@mentorctl")
ev = text[i:text.index("END:VEVENT", i)]
assert "DTSTART;VALUE=DATE:20270203" in ev, ev
assert "DTEND;VALUE=DATE:20270204" in ev, ev
assert any(l.startswith("SUMMARY:Mentoring check-in 2: Ann Mentor and Bob Mentee") for l in ev), ev
assert any("ambitions\\, goals" in l for l in ev if l.startswith("DESCRIPTION:")), ev
assert any(l.startswith("ATTENDEE") and "mailto:bob@example.org" in l for l in ev), ev
assert any("Åsa Ünïcødé-Långnamn" in l for l in text if l.startswith("SUMMARY:")), "long name"
PY' "the calendar is not valid RFC 5545 (see above)"
# The same meetings keep their UIDs from one export to the next.
grep '^UID:' "$T/cal.ics" >"$T/uids1"
expect 0 --today 2027-01-25 schedule eng-2027 --ics "$T/cal2.ics"
grep '^UID:' "$T/cal2.ics" >"$T/uids2"
check 'cmp -s "$T/uids1" "$T/uids2"' "UIDs changed between exports"
expect 0 schedule eng-2027 --ics -
out_has "BEGIN:VCALENDAR"
# Cannot create: 73, and no file left behind.
expect 73 schedule eng-2027 --ics "$T/missing/dir/cal.ics"
err_lines 1
check '[ ! -e "$T/missing" ]' "a directory appeared"
check '[ -z "$(ls "$T" | grep "cal.ics.tmp")" ]' "a temporary file was left behind"

# A programme without check-ins has nothing to schedule.
sed -e 's/^slug: eng-2027/slug: nock/' -e '/^checkins:/,/^    - Halfway/d' \
	"$DATA/programs/eng-2027.yaml" >"$T/nock.yaml"
expect 0 program add "$T/nock.yaml"
expect 65 schedule nock
err_has "programme 'nock' has no check-in interval"

done_testing
