#!/bin/sh
# schedule: upcoming check-ins per active pairing (csv columns, horizon,
# --from/--until, --for) and the --ics calendar (RFC 5545: CRLF, 75-octet
# lines, balanced BEGIN/END; RFC 5546 PUBLISH with the contact as
# ORGANIZER; read by python-icalendar, vobject, libical and khal; stable
# UIDs without addresses, a higher SEQUENCE when an event moves), written
# atomically.
. "$TOP/tests/cli/lib.sh"
. "$TOP/tests/cli/ics.sh"

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
HDR="round,mentor_email,mentee_email,date,until,start,end,table,pairing,status,topic,score,mentor_name,mentee_name"
expect 0 --format csv schedule eng-2027
check '[ "$(sed -n 1p "$T/.out")" = "$(printf "%s\r" "$HDR")" ]' \
	"schedule header: $(sed -n 1p "$T/.out")"
check '[ "$(sed -n 2p "$T/.out")" = "$(printf "1,cat@example.org,dan@example.org,2027-02-01,,,,,2,due,%s,,\"%s\",Dan Mentee\r" "$P1" "Åsa Ünïcødé-Långnamn, Senior Principal Staff Engineer (Platform)")" ]' \
	"first row: $(sed -n 2p "$T/.out")"
check '[ "$(sed -n 3p "$T/.out")" = "$(printf "2,ann@example.org,bob@example.org,2027-02-03,,,,,1,due,\"%s\",,Ann Mentor,Bob Mentee\r" "$P2")" ]' \
	"second row: $(sed -n 3p "$T/.out")"
out_has "13,ann@example.org,bob@example.org,2027-07-07,,,,,1,due,"
out_lacks "2027-07-1"
check '[ "$(wc -l <"$T/.out")" -eq 25 ]' "$(wc -l <"$T/.out") lines, expected header + 12 + 12"
expect 0 --format json schedule eng-2027 --until 2027-02-10
out_has '{"round":1,"mentor_email":"cat@example.org","mentee_email":"dan@example.org","date":"2027-02-01","until":null,"start":null,"end":null,"table":null,"pairing":2,"status":"due","topic":"'
# --from does not renumber: a day keeps its meeting number (02-15 is
# cat and dan's meeting 2 whatever the first day listed).
expect 0 --format csv schedule eng-2027 --from 2027-02-02 --until 2027-02-16
out_is "$(printf '%s\r\n2,ann@example.org,bob@example.org,2027-02-03,,,,,1,due,"%s",,Ann Mentor,Bob Mentee\r\n2,cat@example.org,dan@example.org,2027-02-15,,,,,2,due,"%s",,"%s",Dan Mentee\r' "$HDR" "$P2" "$P2" "Åsa Ünïcødé-Långnamn, Senior Principal Staff Engineer (Platform)")"
# --from before today lists nothing that is over
expect 0 --format csv schedule eng-2027 --from 2027-01-01 --until 2027-02-01
out_has "1,cat@example.org,dan@example.org,2027-02-01,"
check '[ "$(wc -l <"$T/.out")" -eq 2 ]' "past days listed"
# --for: one person's rows
expect 0 --format csv schedule eng-2027 --for BOB@example.org --until 2027-03-01
check '[ "$(tail -n +2 "$T/.out" | grep -vc "bob@example.org")" -eq 0 ] && [ "$(tail -n +2 "$T/.out" | wc -l)" -eq 2 ]' "--for bob: $(cat "$T/.out")"
expect 64 schedule eng-2027 --for bob
# Past the open cycle: 90 days from --from.
expect 0 --format csv schedule eng-2027 --from 2027-08-01
check '[ "$(tail -n 1 "$T/.out" | cut -d, -f4)" \< 2027-10-30 ] && [ "$(tail -n 1 "$T/.out" | cut -d, -f4)" \> 2027-10-15 ]' \
	"90-day horizon ends at $(tail -n 1 "$T/.out" | cut -d, -f4)"
expect 65 schedule eng-2027 --from 2027-03-01 --until 2027-02-01
err_has "--until 2027-02-01 is before --from 2027-03-01"
expect 65 schedule eng-2027 --until 2027-02-29
# At most five years at a time (9999-12-31 once made millions of rows).
expect 65 schedule eng-2027 --until 9999-12-31
err_has "--until 9999-12-31 is more than 5 years ahead; list at most 5 years at a time (until 2032-01-21)"
err_lines 1
expect 0 --format csv schedule eng-2027 --until 2032-01-21
expect 65 schedule nope
expect 64 --format mbox schedule eng-2027

# The calendar.
expect 0 schedule eng-2027 --ics "$T/cal.ics"
out_is ""
err_has "wrote 24 check-ins of 'eng-2027' to '$T/cal.ics'"
ics_valid "$T/cal.ics"
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
assert "METHOD:PUBLISH" in text
uids = [l[4:] for l in text if l.startswith("UID:")]
assert len(uids) == 24 == text.count("BEGIN:VEVENT"), len(uids)
assert len(set(uids)) == len(uids), "duplicate UIDs"
# a random id of the database, the programme, the meeting: no address
assert all(re.fullmatch(r"[0-9a-f]{16}-eng-2027-checkin-[12]-\d+@mentorctl", u) for u in uids), uids
u = [x for x in uids if x.endswith("-checkin-1-2@mentorctl")][0]
i = text.index("UID:" + u)
ev = text[i:text.index("END:VEVENT", i)]
assert "DTSTART;VALUE=DATE:20270203" in ev, ev
assert "DTEND;VALUE=DATE:20270204" in ev, ev
assert "SUMMARY:Mentoring: Ann Mentor and Bob Mentee (meeting 2)" in ev, ev
desc = [l for l in ev if l.startswith("DESCRIPTION:")][0]
assert "ambitions\\, goals" in desc, desc
# for participants: how to report the meeting, not a coordinator command
assert "reply to your reminder mail" in desc and "mentorctl" not in desc, desc
assert not any(l.startswith("ATTENDEE") for l in text), "ATTENDEE in a PUBLISH"
assert any(l.startswith("ORGANIZER") and l.endswith(":mailto:mentoring@example.org") for l in ev), ev
assert not any(l.startswith("SEQUENCE") for l in ev), "a first export has a SEQUENCE"
assert any("Åsa Ünïcødé-Långnamn" in l for l in text if l.startswith("SUMMARY:")), "long name"
PY' "the calendar is not what participants need (see above)"
# The same meetings keep their UIDs from one export to the next, also
# with a later --from; the database's id differs from another database's.
grep '^UID:' "$T/cal.ics" >"$T/uids1"
sort "$T/uids1" >"$T/uids1s"
expect 0 --today 2027-01-25 schedule eng-2027 --ics "$T/cal2.ics"
grep '^UID:' "$T/cal2.ics" >"$T/uids2"
check 'cmp -s "$T/uids1" "$T/uids2"' "UIDs changed between exports"
check '! grep -q "^SEQUENCE" "$T/cal2.ics"' "an unchanged event got a new SEQUENCE"
expect 0 --today 2027-01-25 schedule eng-2027 --from 2027-03-01 --ics "$T/cal3.ics"
grep '^UID:' "$T/cal3.ics" >"$T/uids3"
check '[ -z "$(sort "$T/uids3" | comm -13 "$T/uids1s" -)" ]' "--from made new UIDs"
# A meeting moves the next ones: same UIDs, SEQUENCE 1, read as updates.
expect 0 --today 2027-01-27 checkin 1 --on 2027-01-27
expect 0 --today 2027-01-27 schedule eng-2027 --ics "$T/cal4.ics"
ics_valid "$T/cal4.ics"
check 'python3 - "$T/cal.ics" "$T/cal4.ics" <<"PY"
import sys
def events(path):
    text = open(path, "rb").read().decode().replace("\r\n ", "").split("\r\n")
    out, cur = {}, None
    for l in text:
        if l == "BEGIN:VEVENT": cur = {}
        elif l == "END:VEVENT": out[cur["UID"]] = cur; cur = None
        elif cur is not None and ":" in l:
            k, v = l.split(":", 1); cur[k.split(";")[0]] = v
    return out
a, b = events(sys.argv[1]), events(sys.argv[2])
moved = [u for u in b if "-checkin-1-" in u]
assert moved and all(u.split("-checkin-1-")[1].split("@")[0] != "2" for u in moved), moved
# bob and ann met on 01-27 (meeting 2): meeting 3 moves from 02-17 to 02-10
u3 = [u for u in b if u.endswith("-checkin-1-3@mentorctl")][0]
assert u3 in a and a[u3]["DTSTART"] == "20270217" and b[u3]["DTSTART"] == "20270210", (a[u3], b[u3])
assert b[u3].get("SEQUENCE") == "1", b[u3]
# cat and dan did not move: no SEQUENCE
assert all("SEQUENCE" not in e for u, e in b.items() if "-checkin-2-" in u)
PY' "a moved event did not keep its UID with SEQUENCE 1"
expect 0 --today 2027-01-27 schedule eng-2027 --ics "$T/cal5.ics"
check '[ "$(grep -c "^SEQUENCE:1" "$T/cal5.ics")" -eq "$(grep -c "^SEQUENCE:1" "$T/cal4.ics")" ]' "an unchanged export raised the SEQUENCE again"
# Another database: other UIDs for the same programme.
MENTORCTL_DB="$T/other.db" "$MENTORCTL" init 2>/dev/null
MENTORCTL_DB="$T/other.db" "$MENTORCTL" program add "$DATA/programs/eng-2027.yaml" 2>/dev/null
check '[ "$(sqlite3 "$T/other.db" "SELECT value FROM instance")" != "$(sqlite3 "$MENTORCTL_DB" "SELECT value FROM instance")" ]' "two databases share a calendar id"
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
