#!/bin/sh
# Rotational mentoring (rotation-product-2027) through its whole life: match
# plans and stores the rotation (one pairing per mentee and period, never a
# mentor twice, capacity per period), schedule shows it, accept records
# consent ahead of a period, cycle start/close open and close the periods
# (each period's pairing is the active one, so check-ins and reminders
# follow the rotation), a newcomer is planned into the places left, and the
# rotation ends after its twelfth period.
. "$TOP/tests/cli/lib.sh"
. "$TOP/tests/cli/ics.sh"

S=rotation-product-2027
q() { sqlite3 "$MENTORCTL_DB" "$1"; }

cat >"$T/trainings.csv" <<'CSV'
email,training,on
mfeld@fjordline.example,product-leadership-mentor,2026-10-05
atanaka@fjordline.example,product-leadership-mentor,2026-10-05
dokafor@fjordline.example,product-leadership-mentor,2026-10-05
lferreira@fjordline.example,product-leadership-mentor,2026-10-05
rmehta@fjordline.example,product-leadership-mentor,2026-10-05
hweiss@fjordline.example,product-leadership-mentor,2026-10-05
mgrant@fjordline.example,product-leadership-mentor,2026-10-05
cbianchi@fjordline.example,product-leadership-mentor,2026-10-05
smarin@fjordline.example,product-leadership-mentor,2026-10-05
anair@fjordline.example,product-leadership-mentor,2026-10-05
bcarter@fjordline.example,product-leadership-mentor,2026-10-05
hsato@fjordline.example,apm-onboarding,2026-03-02
dalvarez@fjordline.example,apm-onboarding,2026-03-02
ydemir@fjordline.example,apm-onboarding,2026-03-02
zlaurent@fjordline.example,apm-onboarding,2026-03-02
cmartin@fjordline.example,apm-onboarding,2026-03-02
pbyrne@fjordline.example,apm-onboarding,2026-03-02
ahassan@fjordline.example,apm-onboarding,2026-03-02
CSV

setup() {
	export MENTORCTL_DB="$1"
	expect 0 init
	expect 0 program add "$DATA/programs/$S.yaml"
	expect 0 people import "$DATA/people.csv"
	expect 0 training add --csv "$T/trainings.csv"
	expect 0 enroll $S --csv "$2"
	err_has "17 eligible, 0 pending"
}

# the rules of a rotation over the stored pairings that are still standing
rules() {
	check '[ "$(q "SELECT count(*) FROM (SELECT 1 FROM pairing WHERE slot IS NOT NULL
	  GROUP BY mentor_enrollment_id, mentee_enrollment_id HAVING count(*) > 1)")" -eq 0 ]' \
		"$1: a mentee meets a mentor twice"
	check '[ "$(q "SELECT count(*) FROM (SELECT 1 FROM pairing WHERE slot IS NOT NULL
	  AND status NOT IN ('"'declined','expired'"') GROUP BY slot, mentee_enrollment_id
	  HAVING count(*) > 1)")" -eq 0 ]' "$1: two mentors in one period"
	check '[ "$(q "SELECT count(*) FROM (SELECT p.slot FROM pairing p JOIN enrollment e
	  ON e.id = p.mentor_enrollment_id WHERE p.slot IS NOT NULL
	  AND p.status NOT IN ('"'declined','expired'"') GROUP BY p.slot, e.id
	  HAVING count(*) > coalesce(e.capacity, 3))")" -eq 0 ]' "$1: a mentor over capacity in a period"
}

export MENTORCTL_TODAY=2027-01-04
setup "$T/a.db" "$DATA/enroll-$S.csv"

# ---- before matching: a preview, nothing stored ----
expect 0 --format csv schedule $S
check '[ "$(head -n1 "$T/.out")" = "$(printf "period,mentor_email,mentee_email,date,until,start,end,table,pairing,status,topic,score,mentor_name,mentee_name\r")" ]' \
	"schedule header: $(head -n1 "$T/.out")"
out_has "1,anair@fjordline.example,ydemir@fjordline.example,2027-01-11,2027-02-10,,,,,preview,,"
err_has "not planned yet (status preview): 'mentorctl match $S' stores them"
expect 0 match $S --dry-run
err_has "would plan a rotation over periods 1-12 for 6 mentees: 60 pairings"
check '[ "$(q "SELECT count(*) FROM pairing")" -eq 0 ]' "dry run stored pairings"
expect 64 match $S --explain
err_lines 1

# ---- match: the whole rotation, stored ----
expect 0 --format csv match $S
check '[ "$(head -n1 "$T/.out")" = "$(printf "mentee_email,mentor_email,score,pairing_id,status,group_id,period,date\r")" ]' \
	"match header: $(head -n1 "$T/.out")"
err_has "planned a rotation over periods 1-12 for 6 mentees: 60 pairings; 0 mentees with a mentor in every period, 6 in fewer, 0 in none"
check '[ "$(q "SELECT count(*) FROM pairing WHERE slot BETWEEN 1 AND 12")" -eq 60 ]' "60 pairings with a period"
# the manager line excludes two leaders for each associate: ten periods each
check '[ "$(q "SELECT group_concat(n) FROM (SELECT count(*) n FROM pairing GROUP BY mentee_enrollment_id)")" = "10,10,10,10,10,10" ]' \
	"periods per mentee: $(q "SELECT group_concat(n) FROM (SELECT count(*) n FROM pairing GROUP BY mentee_enrollment_id)")"
check '[ "$(q "SELECT count(*) FROM pairing p JOIN enrollment e ON e.id = p.mentor_enrollment_id JOIN person m ON m.id = e.person_id WHERE m.email = '"'atanaka@fjordline.example'"' AND p.mentee_enrollment_id IN (SELECT e2.id FROM enrollment e2 JOIN person t ON t.id = e2.person_id WHERE t.email = '"'hsato@fjordline.example'"')")" -eq 0 ]' \
	"hsato meets the VP above her manager"
rules "after match"
# the later periods wait: proposed a few days ahead, answered by the first day
check '[ "$(q "SELECT proposed_on || '"' '"' || expires_on FROM pairing WHERE slot = 3 LIMIT 1")" = "2027-03-06 2027-03-11" ]' \
	"period 3 days: $(q "SELECT proposed_on, expires_on FROM pairing WHERE slot = 3 LIMIT 1")"
expect 0 --format csv pairings $S --status planned
check '[ "$(tail -n +2 "$T/.out" | wc -l)" -eq 60 ]' "planned listing"
out_has ",match,,,,,,1"
check '[ "$(head -n1 "$T/.out" | tr -d "\r" | awk -F, "{print \$18}")" = period ]' "pairings has no period column after decline_reason"
expect 0 pairings $S --status proposed
check '[ "$(wc -l <"$T/.out")" -le 1 ]' "proposed before any period opens"
expect 0 --format csv schedule $S
cp "$T/.out" "$T/plan.csv"
out_lacks ",preview,"
out_has ",,,,1,planned,,"
# --from/--until keep the periods that overlap them
expect 0 --format csv schedule $S --from 2027-03-01 --until 2027-03-31
check '[ "$(tail -n +2 "$T/.out" | cut -d, -f1 | sort -u | tr "\n" " ")" = "2 3 " ]' \
	"periods in March: $(tail -n +2 "$T/.out" | cut -d, -f1 | sort -u | tr "\n" " ")"

# ---- deterministic and independent of the enrollment order ----
expect 0 match $S
err_has "for 0 mentees: 0 pairings"
check '[ "$(q "SELECT count(*) FROM pairing")" -eq 60 ]' "a re-run added pairings"
{ head -n1 "$DATA/enroll-$S.csv"; tail -n +2 "$DATA/enroll-$S.csv" | sort -r; } >"$T/shuffled.csv"
plan() { q "SELECT p.slot, m.email, t.email FROM pairing p
  JOIN enrollment a ON a.id = p.mentor_enrollment_id JOIN person m ON m.id = a.person_id
  JOIN enrollment b ON b.id = p.mentee_enrollment_id JOIN person t ON t.id = b.person_id
  ORDER BY 1, 2, 3"; }
plan >"$T/plan-a"
setup "$T/b.db" "$T/shuffled.csv"
expect 0 match $S
plan >"$T/plan-b"
check 'cmp -s "$T/plan-a" "$T/plan-b"' "the enrollment order changed the rotation"
export MENTORCTL_DB="$T/a.db"

# ---- consent ahead of a period; a period opens on its day ----
export MENTORCTL_TODAY=2027-01-07
ids1=$(q "SELECT id FROM pairing WHERE slot = 1 ORDER BY id")
first=$(echo "$ids1" | head -n1)
last=$(echo "$ids1" | tail -n1)
for id in $ids1; do
	[ "$id" = "$last" ] && continue
	expect 0 accept "$id"
	err_has "it turns active when period 1 of the rotation starts"
done
check '[ "$(q "SELECT count(*) FROM pairing WHERE status = '"'active'"'")" -eq 0 ]' "active before the period"
expect 65 cycle start $S
err_has "period 1 of the rotation of '$S' starts on 2027-01-11: open it on that day"
err_lines 1
export MENTORCTL_TODAY=2027-01-11
expect 0 cycle start $S
err_has "started period 1 of 12 of the rotation of '$S': 2027-01-11 to 2027-02-10;"
err_has "waiting for consent"
check '[ "$(q "SELECT count(*) FROM pairing WHERE slot = 1 AND status = '"'active'"'")" -eq "$(($(echo "$ids1" | wc -l) - 1))" ]' \
	"accepted pairings of period 1 active"
check '[ "$(q "SELECT count(*) FROM pairing WHERE slot > 1 AND status = '"'active'"'")" -eq 0 ]' "a later period active"
# the last one may still answer in the open period, and turns active at once
check '[ "$(q "SELECT expires_on FROM pairing WHERE id = $last")" = 2027-01-16 ]' "grace for the open period"
expect 0 accept "$last"
err_has "pairing $last is active"
expect 0 cycle list $S
out_has "     1  2027-01-11  2027-02-10  -              -               open"
expect 65 cycle start $S
err_has "period 1 of the rotation of '$S' is open"
err_lines 1

# ---- check-ins and reminders follow the period's pairing ----
export MENTORCTL_TODAY=2027-01-25
expect 0 checkin "$first" --on 2027-01-20 --minutes 30
out_has "The leader's product area - customers, metrics, current bets"
expect 0 remind --program $S --dry-run --format json
out_has '"kind":"checkin_due"'
check '[ "$(grep -o "\"pairing_id\":$first," "$T/.out" | wc -l)" -eq 0 ]' "met pairing reminded"

# ---- closing a period ends it and opens the next ----
export MENTORCTL_TODAY=2027-02-08
for id in $(q "SELECT id FROM pairing WHERE slot = 2 ORDER BY id LIMIT 3"); do
	expect 0 accept "$id"
done
expect 65 cycle close $S
err_has "period 1 of the rotation of '$S' runs until 2027-02-10; close it from 2027-02-11"
err_lines 1
export MENTORCTL_TODAY=2027-02-11
expect 0 --format csv cycle close $S
check '[ "$(head -n1 "$T/.out")" = "$(printf "pairing,mentor_email,mentee_email,period,outcome\r")" ]' "close header"
err_has "closed period 1 of 12 of the rotation of '$S': 6 pairings ended"
err_has "started period 2 of 12"
check '[ "$(q "SELECT count(*) FROM pairing WHERE slot = 1 AND status = '"'ended'"' AND ended_on = '"'2027-02-11'"' AND end_reason = '"'rotation period 1 over'"'")" -eq 6 ]' \
	"period 1 ended on its end day"
check '[ "$(q "SELECT count(*) FROM pairing WHERE slot = 2 AND status = '"'active'"'")" -eq 3 ]' "accepted period-2 pairings active"
check '[ "$(q "SELECT count(*) FROM pairing WHERE status = '"'active'"' AND slot <> 2")" -eq 0 ]' "only the current period is active"
check '[ "$(q "SELECT group_concat(outcome) FROM pairing_cycle WHERE cycle_id = 1")" = "ended,ended,ended,ended,ended,ended" ]' \
	"no re-up outcome in a rotation"
expect 0 report $S
out_has "format: rotational mentoring: 12 periods of 1 month, a different mentor each period, up to 3 mentees per mentor per period"
expect 0 --format csv report $S
out_has "cycles,early_closures,all,0,"
out_has "programme,format,all,,,,,rotational"

# ---- a newcomer joins: planned into the places left, from the open period ----
export MENTORCTL_TODAY=2027-02-15
expect 0 enroll $S ahassan@fjordline.example --role mentee
expect 0 --format csv match $S
err_has "planned a rotation over periods 2-12 for 1 mentee: 10 pairings"
out_has ",2,2027-02-11"
check '[ "$(q "SELECT status FROM pairing WHERE slot = 2 ORDER BY id DESC LIMIT 1")" = proposed ]' "newcomer's open period proposed today"
rules "after the newcomer"

# ---- run the rotation to its end ----
k=2
while [ $k -le 12 ]; do
	day=$(q "SELECT date('2027-01-11', '+$k months')")
	export MENTORCTL_TODAY=$day
	for id in $(q "SELECT id FROM pairing WHERE slot = $((k + 1)) AND status = 'proposed'"); do
		expect 0 accept "$id"
	done
	expect 0 cycle close $S
	err_has "closed period $k of 12"
	k=$((k + 1))
done
err_has "the rotation of '$S' is complete"
check '[ "$(q "SELECT count(*) FROM cycle WHERE program_id = 1")" -eq 12 ]' "12 cycles"
check '[ "$(q "SELECT count(*) FROM pairing WHERE status = '"'active'"'")" -eq 0 ]' "active after the end"
rules "at the end"
expect 65 cycle start $S
err_has "the rotation of '$S' is complete: all 12 periods have run"
expect 65 match $S
err_has "is complete"

# ---- the calendar: one all-day event per mentee and period ----
expect 0 schedule $S --ics "$T/r.ics"
check '[ "$(grep -c "^BEGIN:VEVENT" "$T/r.ics")" -gt 50 ]' "events: $(grep -c "^BEGIN:VEVENT" "$T/r.ics")"
check '[ "$(grep -c "^BEGIN:VEVENT" "$T/r.ics")" -eq "$(grep -c "^DTSTART;VALUE=DATE:" "$T/r.ics")" ]' "all-day events"
ics_valid "$T/r.ics"
check '! grep "^UID" "$T/r.ics" | grep -q "@fjordline"' "an address in a UID"

# ---- scores and pair belong to one-to-one matching ----
expect 64 pair $S smarin@fjordline.example hsato@fjordline.example
err_has "give the period whose mentor this sets (--period K), or let 'mentorctl match $S' plan it"
expect 65 scores $S
err_lines 1

done_testing
