#!/bin/sh
# Network mentoring (format network) walked through its calendar: pairs
# meet every two weeks, and from the third meeting on their mentors
# introduce the mentees to new contacts, inside the people table or not;
# every refusal of `introduce` (one line, exit 65 or 64, nothing written);
# the joint meeting's calendar; the report's section as of several days;
# `export introductions` (RFC 4180, formula-guarded, notes only when
# asked).
. "$TOP/tests/cli/lib.sh"
. "$TOP/tests/cli/ics.sh"

cat >"$T/net.yaml" <<'YAML'
slug: net-2027
name: Network Mentoring 2027
purpose: knowledge-transfer
format: network
contact: mentoring@ex.org
network: { introductions_from: 3, target: 3 }
cycle: { start: 2027-01-11, length: 6 months }
checkins: { every: 2 weeks, remind: 2 days before, overdue_after: 5 days }
matching:
  consent: both
  criteria:
    - { attribute: department, compare: different, weight: 1 }
YAML
cat >"$T/people.csv" <<'EOF'
email,name,department,level,timezone
m1@ex.org,Mara One,Engineering,6,Europe/Paris
m2@ex.org,Milo Two,Sales,6,America/New_York
e1@ex.org,Emil One,Sales,2,Europe/Paris
e2@ex.org,Eda Two,Engineering,2,Europe/Paris
c1@ex.org,"Chen, Legal",Legal,5,
c2@ex.org,Cara Ops,Operations,4,
c3@ex.org,Cleo Finance,Finance,7,
EOF
expect 0 init
expect 0 program check "$T/net.yaml"
out_has "format network"
expect 0 program add "$T/net.yaml"
expect 0 people import "$T/people.csv"
expect 0 enroll net-2027 m1@ex.org --role mentor
expect 0 enroll net-2027 m2@ex.org --role mentor
expect 0 enroll net-2027 e1@ex.org --role mentee
expect 0 enroll net-2027 e2@ex.org --role mentee
expect 0 --format csv match net-2027
P1=$(printf '%s\n' "$OUT" | tr -d '\r' | awk -F, '$1 == "e1@ex.org" { print $4 }')
P2=$(printf '%s\n' "$OUT" | tr -d '\r' | awk -F, '$1 == "e2@ex.org" { print $4 }')
check '[ -n "$P1" ] && [ -n "$P2" ]' "match made no pairings"

# A proposal takes no introduction.
expect 65 --today 2027-01-05 introduce "$P1" c1@ex.org
err_has "pairing $P1 is proposed, not active yet"
err_lines 1
expect 0 --today 2027-01-06 accept "$P1"
expect 0 --today 2027-01-06 accept "$P2"

# Two weeks of meetings; introductions are possible before meeting 3,
# with a note that the programme plans them later.
expect 0 --today 2027-01-20 checkin "$P1" --on 2027-01-20
expect 0 --today 2027-01-20 introduce "$P1" c1@ex.org --note 'legal view'
err_has "recorded introduction 1: mentee 'e1@ex.org' meets 'c1@ex.org'; 1 of 3 contacts"
err_has "pairing $P1 has met 1 time; the programme plans introductions from meeting 3 on"
out_has "contact_department  Legal"
expect 0 --today 2027-02-03 checkin "$P1" --on 2027-02-03
expect 0 --today 2027-02-17 checkin "$P1" --on 2027-02-17
expect 0 --format csv --today 2027-02-18 introduce "$P1" c2@ex.org --on 2027-02-17
err_lacks "plans introductions from"
out_has "c2@ex.org,Cara Ops,Operations,4,2027-02-17,2,3"

# Someone outside the people table: name and address, no department.
expect 0 --format json --today 2027-03-02 introduce "$P1" jo@partner.example \
	--name '=Jo "Partner"' --note 'supplier side'
out_has '"contact_email":"jo@partner.example"'
out_has '"contact_department":null'
out_has '"introductions":3'

# Refusals: one line each, the spec's exit codes, nothing written.
before=$(db_dump)
expect 65 --today 2027-03-02 introduce "$P1" C1@EX.ORG
err_has "'C1@EX.ORG' was introduced to mentee 'e1@ex.org' already on 2027-01-20"
err_lines 1
expect 65 --today 2027-03-02 introduce "$P1" e1@ex.org
err_has "is the mentee of pairing $P1"
expect 65 --today 2027-03-02 introduce "$P1" m1@ex.org
err_has "is the mentor of pairing $P1"
expect 65 --today 2027-03-02 introduce "$P1" 'jo@'
err_has "invalid contact address 'jo@'"
err_lines 1
expect 65 --today 2027-03-02 introduce "$P1" c3@ex.org --on 2027-03-03
err_has "introduction date 2027-03-03 is in the future (today is 2027-03-02)"
expect 65 --today 2027-03-02 introduce "$P1" c3@ex.org --on 2027-01-01
err_has "before pairing $P1 turned active (2027-01-06)"
expect 65 --today 2027-03-02 introduce "$P1" c3@ex.org --on 2027-02-30
err_lines 1
expect 65 --today 2027-03-02 introduce 999 c3@ex.org
err_has "unknown pairing 999"
expect 64 --today 2027-03-02 introduce x1 c3@ex.org
err_has "invalid pairing id 'x1'"
expect 64 --today 2027-03-02 introduce "$P1" c3@ex.org --at 25:00 --meet 2027-03-09
err_has "option '--at' wants a time HH:MM"
expect 64 --today 2027-03-02 introduce "$P1" c3@ex.org --at 12:00
err_has "needs its day (--meet DATE)"
expect 64 --today 2027-03-02 introduce "$P1" c3@ex.org --ics "$T/x.ics"
err_has "give its day with --meet DATE"
expect 65 --today 2027-03-02 introduce "$P1" c3@ex.org --meet 2027-03-01
err_has "the joint meeting (2027-03-01) is before the introduction (2027-03-02)"
expect 64 --today 2027-03-02 introduce "$P1"
check '[ "$(db_dump)" = "$before" ]' "a refused introduce changed the database"
check '[ ! -e "$T/x.ics" ]' "a refused introduce wrote a calendar"

# A joint meeting with the contact: a calendar with all three attendees,
# its time in the mentor's zone (m2: America/New_York, UTC-5 in early
# March).
expect 0 --today 2027-03-02 introduce "$P2" c3@ex.org --meet 2027-03-09 \
	--at 12:30 --ics "$T/joint.ics"
err_has "wrote the joint meeting's calendar to $T/joint.ics"
ics=$(tr -d '\r' <"$T/joint.ics")
check 'printf "%s" "$ics" | grep -q "^DTSTART:20270309T173000Z$"' "joint meeting not at 17:30 UTC"
check 'printf "%s" "$ics" | grep -q "^ATTENDEE;CN=\"Cleo Finance\":mailto:c3@ex.org$"' "no contact attendee"
# an invitation (RFC 5546): METHOD:REQUEST from the programme's contact
check 'printf "%s" "$ics" | grep -q "^METHOD:REQUEST$"' "the joint meeting is not a REQUEST"
check 'printf "%s" "$ics" | grep -q "^ORGANIZER;CN=\"Network Mentoring 2027\":mailto:mentoring@ex.org$"' "ORGANIZER is not the contact"
ics_valid "$T/joint.ics"
check 'printf "%s" "$ics" | grep -q "mailto:m2@ex.org$" && printf "%s" "$ics" | grep -q "mailto:e2@ex.org$"' "no partner attendees"
# the UID: the database's random id, the programme, the introduction; no address
check 'printf "%s" "$ics" | grep -Eq "^UID:[0-9a-f]{16}-net-2027-introduction-4@mentorctl$"' "UID: $(printf "%s" "$ics" | grep "^UID:")"
expect 0 --today 2027-03-02 introduce "$P2" c1@ex.org --meet 2027-03-16 --ics - \
	--name 'Chen of Legal'
check 'printf "%s" "$OUT" | grep -q "^BEGIN:VCALENDAR"' "--ics - does not write the calendar to stdout"
check 'printf "%s" "$OUT" | tr -d "\r" | grep -q "^DTSTART;VALUE=DATE:20270316$"' "all-day joint meeting"
# a symbolic link is never written through, and nothing is recorded then
ln -s "$T/elsewhere" "$T/link.ics"
before=$(db_dump)
expect 73 --today 2027-03-02 introduce "$P2" c2@ex.org --meet 2027-03-16 --ics "$T/link.ics"
err_lines 1
check '[ "$(db_dump)" = "$before" ]' "introduce recorded despite an unwritable calendar"

# Another database with the same programme: its introductions' UIDs
# differ (their random ids do), so a calendar never mixes the two up.
MENTORCTL_DB="$T/other.db"
expect 0 init
expect 0 program add "$T/net.yaml"
expect 0 people import "$T/people.csv"
expect 0 enroll net-2027 m1@ex.org --role mentor
expect 0 enroll net-2027 m2@ex.org --role mentor
expect 0 enroll net-2027 e1@ex.org --role mentee
expect 0 enroll net-2027 e2@ex.org --role mentee
expect 0 --format csv match net-2027
Q1=$(printf '%s\n' "$OUT" | tr -d '\r' | awk -F, '$1 == "e1@ex.org" { print $4 }')
Q2=$(printf '%s\n' "$OUT" | tr -d '\r' | awk -F, '$1 == "e2@ex.org" { print $4 }')
expect 0 --today 2027-01-06 accept "$Q1"
expect 0 --today 2027-01-06 accept "$Q2"
expect 0 --today 2027-03-02 introduce "$Q2" c3@ex.org --meet 2027-03-09 \
	--at 12:30 --ics "$T/other.ics"
uid1=$(tr -d '\r' <"$T/joint.ics" | sed -n 's/^UID:\([0-9a-f]*\)-net-2027-introduction-[0-9]*@mentorctl$/\1/p')
uid2=$(tr -d '\r' <"$T/other.ics" | sed -n 's/^UID:\([0-9a-f]*\)-net-2027-introduction-[0-9]*@mentorctl$/\1/p')
check '[ -n "$uid1" ] && [ -n "$uid2" ] && [ "$uid1" != "$uid2" ]' "two databases share UIDs: '$uid1' '$uid2'"
# Daylight saving: the offset is the one at the meeting's own local time
# (the mentor's zone), not at noon.  Paris on 2027-03-28 (02:00 CET ->
# 03:00 CEST): 01:30 is still CET; on 2027-10-31 (03:00 CEST -> 02:00
# CET) 01:30 is still CEST; New York on 2027-03-14 (02:00 EST -> 03:00
# EDT): 01:30 is still EST.
dtstart() { tr -d '\r' <"$1" | sed -n 's/^DTSTART://p'; }
expect 0 --today 2027-03-02 introduce "$Q1" c1@ex.org --meet 2027-03-28 \
	--at 01:30 --ics "$T/dst1.ics"
check '[ "$(dtstart "$T/dst1.ics")" = 20270328T003000Z ]' "Paris spring 01:30: $(dtstart "$T/dst1.ics")"
expect 0 --today 2027-03-02 introduce "$Q1" c2@ex.org --meet 2027-10-31 \
	--at 01:30 --ics "$T/dst2.ics"
check '[ "$(dtstart "$T/dst2.ics")" = 20271030T233000Z ]' "Paris autumn 01:30: $(dtstart "$T/dst2.ics")"
expect 0 --today 2027-03-02 introduce "$Q2" c1@ex.org --meet 2027-03-14 \
	--at 01:30 --ics "$T/dst3.ics"
check '[ "$(dtstart "$T/dst3.ics")" = 20270314T063000Z ]' "New York spring 01:30: $(dtstart "$T/dst3.ics")"
ics_valid "$T/dst3.ics"
MENTORCTL_DB="$T/test.db"

# Introductions belong to format network.
cat >"$T/one.yaml" <<'YAML'
slug: one-2027
name: One to One
purpose: engagement
format: one-to-one
matching: { consent: none }
YAML
expect 0 program add "$T/one.yaml"
expect 0 enroll one-2027 m2@ex.org --role mentor
expect 0 enroll one-2027 c3@ex.org --role mentee
expect 0 --format csv --today 2027-03-02 pair one-2027 m2@ex.org c3@ex.org --force
P3=$(printf '%s\n' "$OUT" | tr -d '\r' | awk -F, 'NR == 2 { print $4 }')
expect 65 --today 2027-03-02 introduce "$P3" c1@ex.org
err_has "programme 'one-2027' has format one-to-one: introductions are for format network"

# The report as of several days: the network grows with the calendar.
expect 0 --today 2027-03-02 --format csv report net-2027 --as-of 2027-01-31
out_has "network,introductions,all,1,"
out_has "network,mentee_introductions,mentee=e1@ex.org,1,3,not met,,departments: Legal; levels: 5"
expect 0 --today 2027-03-02 --format csv report net-2027
out_has "network,mentees,all,2,"
out_has "network,introductions,all,5,"
out_has "network,mentees_at_target,all,0.5,"
out_has "network,departments_reached,all,3,,,,\"Finance, Legal, Operations\""
out_has "network,outside_people,all,1,"
out_has "network,introductions_by_department,department=(outside the people table),1,"
out_has "network,mentee_introductions,mentee=e1@ex.org,3,3,met,"
out_has "network,mentee_introductions,mentee=e2@ex.org,2,3,not met,"
expect 0 --today 2027-03-02 report net-2027
out_has "== Network introductions =="
out_has "mentees_at_target"
out_has "50.0%"
expect 0 --today 2027-03-02 report net-2027 --format html --out "$T/r.html"
check 'grep -q "<h2>Network introductions</h2>" "$T/r.html"' "html report lacks the network section"
# a programme of another format has no such section
expect 0 --today 2027-03-02 report one-2027
out_lacks "Network introductions"

# export introductions: pinned columns, CRLF, formula guard, notes on request.
expect 0 export introductions --program net-2027
first=$(printf '%s\n' "$OUT" | head -1 | tr -d '\r')
check '[ "$first" = "id,program,pairing_id,mentor_email,mentee_email,contact_email,contact_name,contact_department,contact_level,introduced_on,meet_on,meet_at,recorded_by" ]' \
	"export introductions header: $first"
check 'printf "%s\n" "$OUT" | head -1 | grep -q "$(printf "\r")"' "export introductions without CRLF"
out_has "'=Jo \"\"Partner\"\"\""
out_has '"Chen, Legal"'
out_has ",2027-03-09,12:30,"
out_lacks "supplier side"
expect 0 --format json export introductions --include-notes
out_has '"note":"supplier side"'
out_has '"contact_name":"=Jo \"Partner\""'
out_has '"contact_level":7'
expect 0 --bom export introductions
check 'printf "%s" "$OUT" | head -c 3 | od -An -tx1 | grep -q "ef bb bf"' "--bom lacks the byte-order mark"
expect 0 export introductions --program one-2027
check '[ "$(printf "%s\n" "$OUT" | wc -l)" -eq 1 ]' "another programme's export is not empty"
expect 64 export introductions --format table
expect 65 export introductions --program nope

# help and the man page know the command
expect 0 help introduce
out_has "mentorctl introduce 12 kim@example.org"
check 'grep -q "^\.It Nm Cm introduce" "$TOP/docs/mentorctl.1"' "man page lacks introduce"

done_testing
