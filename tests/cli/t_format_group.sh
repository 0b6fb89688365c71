#!/bin/sh
# Group circles (leadership-circles-2027): match forms circles of at most
# `capacity` mentees per mentor with one member per department (and none
# from the mentor's), the pairings carry the circle's group id; a circle
# meeting is logged for every member with `checkin --group` (re-running it
# changes nothing); feedback is per member; reminders follow each member;
# report has a line per circle with its figures and hides feedback under
# three responses.
. "$TOP/tests/cli/lib.sh"

S=leadership-circles-2027
q() { sqlite3 "$MENTORCTL_DB" "$1"; }

cat >"$T/trainings.csv" <<'CSV'
email,training,on
mfeld@fjordline.example,circle-facilitation,2026-12-01
atanaka@fjordline.example,circle-facilitation,2026-12-01
dokafor@fjordline.example,circle-facilitation,2026-12-01
rmehta@fjordline.example,circle-facilitation,2026-12-01
mfeld@fjordline.example,coaching-essentials,2026-11-10
atanaka@fjordline.example,coaching-essentials,2026-11-10
dokafor@fjordline.example,coaching-essentials,2026-11-10
rmehta@fjordline.example,coaching-essentials,2026-11-10
nrahman@fjordline.example,leadership-foundations,2026-10-20
leriksen@fjordline.example,leadership-foundations,2026-10-20
eng@fjordline.example,leadership-foundations,2026-10-20
ohughes@fjordline.example,leadership-foundations,2026-10-20
scohen@fjordline.example,leadership-foundations,2026-10-20
jnovak@fjordline.example,leadership-foundations,2026-10-20
epetrova@fjordline.example,leadership-foundations,2026-10-20
kiyer@fjordline.example,leadership-foundations,2026-10-20
fzahra@fjordline.example,leadership-foundations,2026-10-20
jbecker@fjordline.example,leadership-foundations,2026-10-20
mlopez@fjordline.example,leadership-foundations,2026-10-20
mlin@fjordline.example,leadership-foundations,2026-10-20
ezhou@fjordline.example,leadership-foundations,2026-10-20
ogreen@fjordline.example,leadership-foundations,2026-10-20
CSV

export MENTORCTL_TODAY=2027-02-15
expect 0 init
expect 0 program add "$DATA/programs/$S.yaml"
expect 0 people import "$DATA/people.csv"
expect 0 training add --csv "$T/trainings.csv"
expect 0 enroll $S --csv "$DATA/enroll-$S.csv"
err_has "18 eligible, 0 pending"

# ---- match: circles ----
expect 0 --format csv match $S --explain
err_has "proposed 13 pairings (1 mentee unmatched"
out_has "jbecker@fjordline.example,,,,,,"
members() { q "SELECT p.group_id, t.department, m.department, p.mentor_enrollment_id
  FROM pairing p JOIN enrollment a ON a.id = p.mentor_enrollment_id JOIN person m ON m.id = a.person_id
  JOIN enrollment b ON b.id = p.mentee_enrollment_id JOIN person t ON t.id = b.person_id"; }
members >"$T/members"
# group id = the mentor's enrollment; at most 5 per circle
check '[ -z "$(awk -F"|" "\$1 != \$4" "$T/members")" ]' "group id is not the mentor's enrollment"
check '[ -z "$(cut -d"|" -f1 "$T/members" | sort | uniq -c | awk "\$1 > 5")" ]' "a circle over 5"
# department diversity: one per department per circle, none from the mentor's
check '[ -z "$(cut -d"|" -f1,2 "$T/members" | sort | uniq -d)" ]' "two members of a department: $(cut -d"|" -f1,2 "$T/members" | sort | uniq -d)"
check '[ -z "$(awk -F"|" "\$2 == \$3" "$T/members")" ]' "a member from the mentor's department"
# four engineers, three circles outside engineering: one waits
check '[ "$(awk -F"|" "\$2 == \"Engineering\"" "$T/members" | wc -l)" -eq 3 ]' "engineers placed: $(awk -F"|" "\$2 == \"Engineering\"" "$T/members" | wc -l)"

# a re-run keeps the circles and adds nobody
expect 0 match $S
err_has "proposed 0 pairings (1 mentee unmatched"
check '[ "$(q "SELECT count(*) FROM pairing")" -eq 13 ]' "re-run added pairings"

expect 0 --format csv pairings $S
out_has "group_id"
check '[ "$(tail -n +2 "$T/.out" | cut -d, -f6 | sort -u | wc -l)" -eq 4 ]' "four circles listed"

# ---- consent, cycle ----
export MENTORCTL_TODAY=2027-02-22
for id in $(q "SELECT id FROM pairing ORDER BY id"); do
	expect 0 accept "$id"
done
export MENTORCTL_TODAY=2027-03-01
expect 0 cycle start $S
err_has "13 active pairings joined"

# ---- one circle meeting, logged for every member ----
G=$(q "SELECT group_id FROM pairing GROUP BY group_id ORDER BY count(*) DESC, group_id LIMIT 1")
N=$(q "SELECT count(*) FROM pairing WHERE group_id = $G")
ID=$(q "SELECT min(id) FROM pairing WHERE group_id = $G")
export MENTORCTL_TODAY=2027-03-05
expect 0 --format csv checkin "$ID" --group --on 2027-03-04 --minutes 90 --rating 4 --notes "confidential"
check '[ "$(head -n1 "$T/.out")" = "$(printf "pairing,mentee_email,meeting,held_on,minutes,rating,topic,next_due_on,status\r")" ]' "group checkin header"
check '[ "$(grep -c ",logged" "$T/.out")" -eq "$N" ]' "members logged: $(grep -c ",logged" "$T/.out") of $N"
out_has ",1,2027-03-04,90,4,Introductions - each member's leadership story in five minutes,2027-04-04,logged"
err_has "circle meeting of 2027-03-04 in group $G"
err_has "logged for $N of $N active members"
check '[ "$(q "SELECT count(*) FROM checkin c JOIN pairing p ON p.id = c.pairing_id WHERE p.group_id = $G")" -eq "$N" ]' "check-in rows"
check '[ "$(q "SELECT count(*) FROM checkin c JOIN pairing p ON p.id = c.pairing_id WHERE p.group_id <> $G")" -eq 0 ]' "another circle logged"
# notes are stored, never printed
out_lacks "confidential"
# again: nothing changes
q "SELECT * FROM checkin ORDER BY id" >"$T/before"
expect 0 checkin "$ID" --group --on 2027-03-04
out_has "logged already"
err_has "logged for 0 of $N"
q "SELECT * FROM checkin ORDER BY id" >"$T/after"
check 'cmp -s "$T/before" "$T/after"' "a re-run changed check-ins"
# --replace overwrites each member's record of that day
expect 0 checkin "$ID" --group --on 2027-03-04 --minutes 80 --replace
out_has "replaced"
check '[ "$(q "SELECT DISTINCT minutes FROM checkin")" = 80 ]' "replaced minutes"
check '[ "$(q "SELECT count(*) FROM checkin")" -eq "$N" ]' "replace added rows"
# a member's own check-in still works
OTHER=$(q "SELECT min(id) FROM pairing WHERE group_id <> $G")
expect 0 checkin "$OTHER" --on 2027-03-03
out_has "meeting       1"
# errors: future day, a pairing in no circle
expect 65 checkin "$ID" --group --on 2027-03-09
err_has "is in the future"
err_lines 1
expect 64 checkin "$ID" --group
err_lines 1

# ---- reminders follow each member ----
export MENTORCTL_TODAY=2027-04-03
expect 0 remind --program $S --dry-run --format json
check '[ "$(grep -o "\"kind\":\"checkin_due\"" "$T/.out" | wc -l)" -ge "$((2 * N))" ]' "each member reminded"

# ---- feedback per member; the report per circle ----
export MENTORCTL_TODAY=2027-04-05
for id in $(q "SELECT id FROM pairing WHERE group_id = $G ORDER BY id LIMIT 2"); do
	mentee=$(q "SELECT t.email FROM pairing p JOIN enrollment b ON b.id = p.mentee_enrollment_id JOIN person t ON t.id = b.person_id WHERE p.id = $id")
	expect 0 feedback "$id" --by "$mentee" --rating 5
done
expect 0 --format csv report $S
out_has "programme,format,all,,,,,group"
line=$(grep "^matching,circle,group=$G," "$T/.out")
check '[ -n "$line" ]' "no circle line for group $G"
check 'echo "$line" | grep -q "$N of $N members active; 1 meeting; check-ins"' "circle line: $line"
# two responses: hidden
check 'echo "$line" | grep -q "feedback fewer than 3 responses"' "circle feedback shown under 3: $line"
check '[ "$(grep -c "^matching,circle," "$T/.out")" -eq 4 ]' "four circle lines"
ID3=$(q "SELECT id FROM pairing WHERE group_id = $G ORDER BY id LIMIT 1 OFFSET 2")
M3=$(q "SELECT t.email FROM pairing p JOIN enrollment b ON b.id = p.mentee_enrollment_id JOIN person t ON t.id = b.person_id WHERE p.id = $ID3")
expect 0 feedback "$ID3" --by "$M3" --rating 2
expect 0 --format csv report $S
out_has "feedback 4.00 from 3 responses"
expect 0 report $S
out_has "format: group circles: one mentor with up to 5 mentees, at most 1 per department"
out_has "circle"

# ---- --group outside a circle ----
expect 0 program add "$DATA/programs/eng-2027.yaml"
printf 'email,role\nsmarin@fjordline.example,mentor\nmschneider@fjordline.example,mentee\n' >"$T/eng.csv"
expect 0 training add smarin@fjordline.example mentor-basics --on 2026-01-01
expect 0 training add mschneider@fjordline.example mentee-orientation --on 2026-01-01
expect 0 enroll eng-2027 --csv "$T/eng.csv"
expect 0 pair eng-2027 smarin@fjordline.example mschneider@fjordline.example
P=$(q "SELECT max(id) FROM pairing")
expect 0 accept "$P"
expect 65 checkin "$P" --group --on 2027-04-05
err_has "pairing $P is in no circle: --group is for the pairings of a group programme"
err_lines 1

done_testing
