#!/bin/sh
# Flash mentoring (speed-mentoring-2027): `schedule` seats the session as
# printable tables per round, csv/json with the pinned columns, and an
# iCalendar; every rule of a session holds on the sample data (no mentor
# twice, at most table_size mentees per table per round, one table per
# mentee per round), meetings are spread evenly when tables run short, the
# seating does not depend on the order people were enrolled in, and the
# follow-up pairings after the session are ordinary pairs.
. "$TOP/tests/cli/lib.sh"
. "$TOP/tests/cli/ics.sh"

S=speed-mentoring-2027
q() { sqlite3 "$MENTORCTL_DB" "$1"; }

cat >"$T/trainings.csv" <<'CSV'
email,training,on
ogreen@fjordline.example,speed-mentoring-host,2026-11-02
pbyrne@fjordline.example,speed-mentoring-host,2026-11-02
radams@fjordline.example,speed-mentoring-host,2026-11-02
kiyer@fjordline.example,speed-mentoring-host,2026-11-02
ezhou@fjordline.example,speed-mentoring-host,2026-11-02
ahassan@fjordline.example,speed-mentoring-host,2026-11-02
mschneider@fjordline.example,onboarding-day-one,2025-09-01
jbrooks@fjordline.example,onboarding-day-one,2026-06-15
slindgren@fjordline.example,onboarding-day-one,2026-09-07
hsato@fjordline.example,onboarding-day-one,2026-02-02
tjohnson@fjordline.example,onboarding-day-one,2025-11-03
akowalska@fjordline.example,onboarding-day-one,2026-01-12
abello@fjordline.example,onboarding-day-one,2025-07-21
lmeyer@fjordline.example,onboarding-day-one,2025-04-14
cmartin@fjordline.example,onboarding-day-one,2025-03-03
arao@fjordline.example,onboarding-day-one,2025-01-06
vpopescu@fjordline.example,onboarding-day-one,2024-09-02
CSV

# setup DBFILE ENROLLFILE: a database with the sample people and the session
setup() {
	export MENTORCTL_DB="$1"
	expect 0 init
	expect 0 program add "$DATA/programs/$S.yaml"
	expect 0 people import "$DATA/people.csv"
	expect 0 training add --csv "$T/trainings.csv"
	expect 0 enroll $S --csv "$2"
	err_has "17 eligible, 0 pending"
}

setup "$T/a.db" "$DATA/enroll-$S.csv"

# ---- the printable tables: one per round ----
expect 0 schedule $S
for r in 1 2 3 4 5; do out_has "Round $r"; done
out_lacks "Round 6"
out_has "ROUND  MENTOR_EMAIL"
out_lacks "not seated"
err_has "flash session of '$S' on 2027-03-18: 5 rounds, 11 mentees, 6 mentors (tables of 2): 55 meetings; 11 mentees meet 5 mentors, 0 fewer"
err_lines 1

# ---- csv: pinned columns first; the rules of a session ----
expect 0 --format csv schedule $S
cp "$T/.out" "$T/a.csv"
check '[ "$(head -n1 "$T/a.csv")" = "$(printf "round,mentor_email,mentee_email,date,until,start,end,table,pairing,status,topic,score,mentor_name,mentee_name\r")" ]' \
	"csv header: $(head -n1 "$T/a.csv")"
tr -d '\r' <"$T/a.csv" | tail -n +2 >"$T/rows"
check '[ "$(wc -l <"$T/rows")" -eq 55 ]' "$(wc -l <"$T/rows") meetings, expected 55"
# no mentee meets the same mentor twice
check '[ -z "$(cut -d, -f2,3 "$T/rows" | sort | uniq -d)" ]' "a repeated meeting: $(cut -d, -f2,3 "$T/rows" | sort | uniq -d)"
# one table per mentee per round
check '[ -z "$(cut -d, -f1,3 "$T/rows" | sort | uniq -d)" ]' "a mentee twice in a round"
# at most table_size (2) mentees per mentor per round
check '[ -z "$(cut -d, -f1,2 "$T/rows" | sort | uniq -c | awk "\$1 > 2")" ]' "a table over 2"
# every mentee meets five mentors; every row on the session's day
check '[ "$(cut -d, -f3 "$T/rows" | sort | uniq -c | awk "\$1 != 5" | wc -l)" -eq 0 ]' "a mentee without 5 meetings"
check '[ "$(cut -d, -f4 "$T/rows" | sort -u)" = 2027-03-18 ]' "dates: $(cut -d, -f4 "$T/rows" | sort -u)"
# a host keeps one table all session
check '[ "$(cut -d, -f2,8 "$T/rows" | sort -u | wc -l)" -eq 6 ]' "tables move: $(cut -d, -f2,8 "$T/rows" | sort -u)"

# ---- deterministic, and independent of the enrollment order ----
expect 0 --format csv schedule $S
check 'cmp -s "$T/.out" "$T/a.csv"' "a second run differs"
{ head -n1 "$DATA/enroll-$S.csv"; tail -n +2 "$DATA/enroll-$S.csv" | sort -r; } >"$T/shuffled.csv"
setup "$T/b.db" "$T/shuffled.csv"
expect 0 --format csv schedule $S
check 'cmp -s "$T/.out" "$T/a.csv"' "the enrollment order changed the seating"
export MENTORCTL_DB="$T/a.db"

# ---- json: the same keys ----
expect 0 --format json schedule $S
out_has '{"round":1,"mentor_email":"'
out_has '"date":"2027-03-18","until":null,"start":null,"end":null,"table":1,"pairing":null,"status":"planned","topic":null,"score":'

# ---- calendar: all-day without a start time, one event per table-round ----
expect 0 schedule $S --ics "$T/s.ics"
err_has "wrote 30 table-rounds of '$S'"
check '[ "$(grep -c "^BEGIN:VEVENT" "$T/s.ics")" -eq 30 ]' "events: $(grep -c "^BEGIN:VEVENT" "$T/s.ics")"
check '[ "$(grep -c "^DTSTART;VALUE=DATE:20270318" "$T/s.ics")" -eq 30 ]' "all-day events"
check '[ "$(grep -c "$(printf "\r$")" "$T/s.ics")" -eq "$(wc -l <"$T/s.ics")" ]' "CRLF line ends"
check '[ -z "$(tr -d "\r" <"$T/s.ics" | awk "/^UID:/{u=\$0; getline; while (\$0 ~ /^ /) {u=u substr(\$0,2); getline} print u}" | sort | uniq -d)" ]' "duplicate UIDs"
# RFC 5546 PUBLISH: the programme's contact organizes, nobody is invited
check '[ "$(grep -c "^ATTENDEE" "$T/s.ics")" -eq 0 ]' "ATTENDEE in a PUBLISH"
check '[ "$(tr -d "\r" <"$T/s.ics" | sed -e :a -e "\$!N;s/\n //;ta" -e "P;D" | grep -c "^ORGANIZER;CN=\"Talent Acquisition & Onboarding\":mailto:onboarding@example.org$")" -eq 30 ]' "organizer"
check '! grep -q "fjordline" "$T/s.ics" || ! grep "^UID" "$T/s.ics" | grep -q "fjordline"' "an address in a UID"
check '[ "$(grep -c "^LOCATION:Table " "$T/s.ics")" -eq 30 ]' "table as location"
ics_valid "$T/s.ics"

# ---- a start time and zone: timed events in UTC ----
sed 's/^  date: 2027-03-18$/  date: 2027-03-18\n  start: "14:00"\n  timezone: Europe\/Paris/' \
	"$DATA/programs/$S.yaml" >"$T/timed.yaml"
expect 0 program update "$T/timed.yaml"
expect 0 schedule $S
out_has "Round 1, 14:00-14:12"
out_has "Round 5, 14:48-15:00"
expect 0 --format csv schedule $S
out_has ",2027-03-18,,14:00,14:12,"
expect 0 schedule $S --ics "$T/t.ics"
# Paris is UTC+1 on 2027-03-18: round 1 at 13:00Z, round 2 at 13:12Z
check '[ "$(grep -c "^DTSTART:20270318T130000Z" "$T/t.ics")" -eq 6 ]' "round 1 events"
check '[ "$(grep -c "^DTSTART:20270318T131200Z" "$T/t.ics")" -eq 6 ]' "round 2 events"
ics_valid "$T/t.ics"
check '[ "$(ics_khal "$T/t.ics" "{start-time}" | sort -u | tr "\n" " ")" = "14:00 14:12 14:24 14:36 14:48 " ]' \
	"khal's times: $(ics_khal "$T/t.ics" "{start-time}" | sort -u | tr "\n" " ")"
expect 0 program show $S
out_has "flash mentoring: 5 rounds of 12 minutes, a different mentor each round, up to 2 mentees per mentor per round, on 2027-03-18 at 14:00 Europe/Paris"

# ---- itineraries: one person's rounds, times, tables and partners ----
expect 0 schedule $S --for hsato@fjordline.example
out_has "Hiroshi Sato <hsato@fjordline.example>, guest: Speed Mentoring - Spring Onboarding Week 2027, 2027-03-18"
out_has "  round 1  14:00-14:12  table "
check '[ "$(grep -c "^  round" "$T/.out")" -eq 5 ]' "itinerary rounds: $(cat "$T/.out")"
expect 0 schedule $S --for EZHOU@fjordline.example
out_has ", host: "
expect 0 --format csv schedule $S --for hsato@fjordline.example
check '[ "$(tail -n +2 "$T/.out" | wc -l)" -eq 5 ] && [ -z "$(tail -n +2 "$T/.out" | grep -v hsato@)" ]' "--for csv: $(cat "$T/.out")"
expect 0 schedule $S --for all
check '[ "$(grep -c "^[^ ].* <.*>, \(host\|guest\): " "$T/.out")" -eq 17 ]' "itineraries for all: $(grep -c "<" "$T/.out")"
expect 65 schedule $S --for nobody@example.org
err_has "'nobody@example.org' has no seat in the flash session of '$S'"
err_lines 1
expect 0 schedule $S --ics "$T/one.ics" --for hsato@fjordline.example
check '[ "$(grep -c "^BEGIN:VEVENT" "$T/one.ics")" -eq 5 ]' "one person's calendar: $(grep -c "^BEGIN:VEVENT" "$T/one.ics")"

# ---- a changeover between rounds ----
sed 's/^  date: 2027-03-18$/  date: 2027-03-18\n  start: "14:00"\n  timezone: Europe\/Paris\n  changeover: 3 minutes/' \
	"$DATA/programs/$S.yaml" >"$T/change.yaml"
expect 0 program update "$T/change.yaml"
expect 0 schedule $S
out_has "Round 1, 14:00-14:12"
out_has "Round 2, 14:15-14:27"
out_has "Round 5, 15:00-15:12"
expect 0 schedule $S --ics "$T/c.ics"
check '[ "$(grep -c "^DTSTART:20270318T131500Z" "$T/c.ics")" -eq 6 ]' "round 2 after the changeover"

# ---- daylight saving: the first round at its own local time, in two zones ----
# The later rounds follow by the time elapsed, as the session runs in the
# room: every round a distinct instant, one round after the other, even
# when a round's wall-clock time falls in the hour a change skips or
# repeats; the listing shows the wall clock of each instant.
dst() { # DATE START ZONE
	sed -e "s/^  date: 2027-03-18\$/  date: $1\\n  start: \"$2\"\\n  timezone: $3/" \
	    -e 's/^  rounds: 5/  rounds: 3/' -e 's/^  minutes: 12/  minutes: 60/' \
	    "$DATA/programs/$S.yaml" >"$T/dst.yaml"
	expect 0 program update "$T/dst.yaml"
	expect 0 schedule $S --ics "$T/dst.ics"
	ics_valid "$T/dst.ics"
	grep '^DTSTART' "$T/dst.ics" | sort -u | tr -d '\r' | tr '\n' ' '
}
# Paris, spring (02:00 CET -> 03:00 CEST): round 1 at 01:30 CET; round 2
# would be at 02:30, which does not exist: an hour later it is 03:30 CEST
# (not 02:30 read as 03:30, the same instant as round 3); round 3 at 04:30
check '[ "$(dst 2027-03-28 01:30 Europe\\/Paris)" = "DTSTART:20270328T003000Z DTSTART:20270328T013000Z DTSTART:20270328T023000Z " ]' \
	"Paris spring: $(dst 2027-03-28 01:30 Europe\\/Paris)"
check '[ "$(KHAL_TZ=Europe/Paris ics_khal "$T/dst.ics" "{start-time}" | sort -u | tr "\n" " ")" = "01:30 03:30 04:30 " ]' \
	"khal in Paris, spring: $(KHAL_TZ=Europe/Paris ics_khal "$T/dst.ics" "{start-time}" | sort -u | tr "\n" " ")"
expect 0 schedule $S
out_has "Round 1, 01:30-03:30"
out_has "Round 2, 03:30-04:30"
out_has "Round 3, 04:30-05:30"
expect 0 --format csv schedule $S
out_has ",2027-03-28,,03:30,04:30,"
# Paris, autumn (03:00 CEST -> 02:00 CET): 01:30 CEST, 02:30 CEST, then
# an hour later 02:30 CET (the repeated hour), not 03:30 CET two hours on
check '[ "$(dst 2027-10-31 01:30 Europe\\/Paris)" = "DTSTART:20271030T233000Z DTSTART:20271031T003000Z DTSTART:20271031T013000Z " ]' \
	"Paris autumn: $(dst 2027-10-31 01:30 Europe\\/Paris)"
# (khal shows the wall clock: 02:30 twice, CEST then CET)
check '[ "$(KHAL_TZ=Europe/Paris ics_khal "$T/dst.ics" "{start-time}" | sort -u | tr "\n" " ")" = "01:30 02:30 " ]' \
	"khal in Paris, autumn: $(KHAL_TZ=Europe/Paris ics_khal "$T/dst.ics" "{start-time}" | sort -u | tr "\n" " ")"
expect 0 schedule $S
out_has "Round 2, 02:30-02:30"
out_has "Round 3, 02:30-03:30"
# New York, spring (02:00 EST -> 03:00 EDT) and autumn (02:00 EDT -> 01:00 EST)
check '[ "$(dst 2027-03-14 00:30 America\\/New_York)" = "DTSTART:20270314T053000Z DTSTART:20270314T063000Z DTSTART:20270314T073000Z " ]' \
	"New York spring: $(dst 2027-03-14 00:30 America\\/New_York)"
check '[ "$(dst 2027-11-07 00:30 America\\/New_York)" = "DTSTART:20271107T043000Z DTSTART:20271107T053000Z DTSTART:20271107T063000Z " ]' \
	"New York autumn: $(dst 2027-11-07 00:30 America\\/New_York)"
check '[ "$(KHAL_TZ=America/New_York ics_khal "$T/dst.ics" "{start-time}" | sort -u | tr "\n" " ")" = "00:30 01:30 " ]' \
	"khal in New York: $(KHAL_TZ=America/New_York ics_khal "$T/dst.ics" "{start-time}" | sort -u | tr "\n" " ")"
expect 0 program update "$T/timed.yaml"

# ---- the coordinator confirms the seating; attendance is recorded ----
expect 65 flash attend $S hsato@fjordline.example
err_has "is not seated yet: confirm the seating with 'mentorctl flash seat $S' first"
expect 0 --format csv schedule $S
cp "$T/.out" "$T/planned.csv"
expect 0 flash seat $S
err_has "seated the session of '$S': 55 seats for 11 mentees"
expect 0 --format csv schedule $S
# the stored seats are the plan that was shown, now "seated"
check '[ "$(sed "s/,planned,/,seated,/" "$T/planned.csv" | sort)" = "$(sort "$T/.out")" ]' "the stored seating differs from the plan"
# attendance is taken on the day of the session, not before
expect 65 flash attend $S hsato@fjordline.example
err_has "the session of '$S' is on 2027-03-18: attendance is recorded from that day (today is 2027-01-04)"
err_lines 1
expect 0 --today 2027-03-18 flash attend $S hsato@fjordline.example tjohnson@fjordline.example
err_has "recorded 2 people present (10 seats changed)"
expect 0 --today 2027-03-19 flash attend $S jbrooks@fjordline.example --round 2 --absent
expect 0 --format csv schedule $S --for jbrooks@fjordline.example
check '[ "$(tail -n +2 "$T/.out" | cut -d, -f1,10 | tr -d "\r" | tr "\n" " ")" = "1,seated 2,absent 3,seated 4,seated 5,seated " ]' \
	"jbrooks: $(cat "$T/.out")"
expect 0 schedule $S
err_has "the seating is confirmed (flash seat): 10 of 55 seats came, 1 absent, 44 not recorded"
expect 65 --today 2027-03-18 flash attend $S nobody@example.org
err_has "'nobody@example.org' has no seat in any round"
expect 65 --today 2027-03-18 flash attend $S hsato@fjordline.example --round 6
expect 65 flash seat $S
err_has "has attendance recorded already"
# withdrawing someone after the seating does not move the others
expect 0 flash seat $S --force
err_has "the earlier seating replaced"

# ---- short of tables: meetings spread evenly, gaps named per round ----
expect 0 withdraw $S ogreen@fjordline.example
expect 0 withdraw $S pbyrne@fjordline.example
expect 0 withdraw $S radams@fjordline.example
# the stored seating keeps the seats of those still enrolled; seat again
expect 0 --format csv schedule $S
check '[ "$(tail -n +2 "$T/.out" | wc -l)" -lt 55 ]' "the withdrawn kept their seats"
expect 0 flash seat $S
expect 0 --format csv schedule $S
tr -d '\r' <"$T/.out" | tail -n +2 >"$T/short"
check '[ "$(wc -l <"$T/short")" -eq 30 ]' "$(wc -l <"$T/short") meetings at 3 tables of 2 over 5 rounds"
# 30 meetings over 11 mentees: everyone 2 or 3, never 1 beside a 4
check '[ "$(cut -d, -f3 "$T/short" | sort | uniq -c | awk "{print \$1}" | sort -u | tr "\n" " ")" = "2 3 " ]' \
	"uneven: $(cut -d, -f3 "$T/short" | sort | uniq -c | awk "{print \$1}" | sort | uniq -c | tr "\n" " ")"
expect 0 schedule $S
out_has "not seated this round: "
err_has "30 meetings; 0 mentees meet 5 mentors, 11 fewer"

# ---- the session is scheduled, not matched; follow-ups are pairs ----
expect 65 match $S
err_has "its sessions are built by 'mentorctl schedule $S', not matched"
expect 0 pair $S ezhou@fjordline.example hsato@fjordline.example
err_has "active at once (consent none)"
expect 0 --format csv pairings $S
out_has ",ezhou@fjordline.example,hsato@fjordline.example,active,"
expect 0 schedule $S
err_has "30 meetings"

# ---- no day, no calendar; errors are one line ----
sed '/^  date: 2027-03-18$/d; /^  start:/d; /^  timezone:/d' "$DATA/programs/$S.yaml" >"$T/nodate.yaml"
expect 0 program update "$T/nodate.yaml"
expect 0 schedule $S
expect 65 schedule $S --ics "$T/x.ics"
err_has "sets no flash.date"
err_lines 1
check '[ ! -e "$T/x.ics" ]' "a calendar was written"
expect 0 report $S
out_has "format: flash mentoring: 5 rounds of 12 minutes"

done_testing
