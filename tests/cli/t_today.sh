#!/bin/sh
# The coordinator's daily views (issue 20), walked through a programme's
# weeks with --today: `today` (who needs the coordinator, each line with
# the command that acts on it), `pairing show` (one pairing's story, notes
# only on request, feedback counts under k) and `log` (the audit trail,
# filtered by programme, pairing, person and day).
. "$TOP/tests/cli/lib.sh"

cat >"$T/d.yaml" <<'YAML'
slug: d
name: Daily
purpose: engagement
format: one-to-one
contact: coord@example.org
roles:
  mentor:
    capacity: 2
    eligibility: { trainings: [mentor-basics] }
cycle:
  start: 2027-01-04
  length: 8 weeks
  reup: { opens: 14 days before end, closes: 7 days before end, default: exit }
checkins:
  every: 2 weeks
  overdue_after: 3 days
  stalled_after: 2 missed
matching:
  respond_within: 10 days
  criteria:
    - { attribute: department, compare: different, weight: 2 }
YAML

# at DAY ARGS...: mentorctl --today DAY ARGS..., which must succeed; the
# audit clock follows the day (SOURCE_DATE_EPOCH), as a demo would set it.
at() {
	day=$1
	shift
	SOURCE_DATE_EPOCH=$(date -u -d "$day 09:00" +%s) expect 0 --today "$day" "$@"
}
# row KIND SUBJECT COLUMN: one cell of the last `today --format csv`.
row() {
	printf '%s\n' "$OUT" | python3 -c '
import csv, sys
for r in csv.DictReader(sys.stdin):
    if r["kind"] == sys.argv[1] and r["subject"] == sys.argv[2]:
        print(r[sys.argv[3]])
        break' "$1" "$2" "$3"
}
is() {
	CHECKS=$((CHECKS + 1))
	got=$(row "$1" "$2" "$3")
	[ "$got" = "$4" ] || fail "today $1 $2 $3: got '$got', want '$4'"
}

at 2027-01-02 init
at 2027-01-02 program add "$T/d.yaml"
cat >"$T/people.csv" <<'CSV'
email,name,department,role
ann@example.org,Ann Mentor,Eng,mentor
bob@example.org,Bob Mentor,Sales,mentor
cat@example.org,Cat Mentee,Eng,mentee
dan@example.org,Dan Mentee,Sales,mentee
eve@example.org,Eve Mentee,HR,mentee
CSV
at 2027-01-02 enroll d --csv "$T/people.csv"
at 2027-01-02 training add ann@example.org mentor-basics

# ---- day 1: Bob is pending (no training), three mentees wait ----
at 2027-01-04 cycle start d
at 2027-01-04 --format csv today d
is pending bob@example.org detail "pending mentor: missing training mentor-basics"
is pending bob@example.org action "mentorctl training add bob@example.org mentor-basics --on DATE"
is unmatched cat@example.org days 2
is unmatched cat@example.org action "mentorctl suggest d cat@example.org"
check '[ -z "$(row proposal "pairing 1" kind)" ]' "a proposal before any was made"

# ---- proposals: one waits, one is answered ----
at 2027-01-04 pair d ann@example.org cat@example.org
at 2027-01-05 pair d ann@example.org dan@example.org
at 2027-01-06 accept 1 --by ann@example.org
at 2027-01-09 --format csv today d
is proposal "pairing 1" days 5
is proposal "pairing 1" detail "mentor ann@example.org (accepted), mentee cat@example.org; answers due by 2027-01-14"
is proposal "pairing 1" action "mentorctl accept 1 --by cat@example.org (or decline)"
is proposal "pairing 2" action "mentorctl accept 2 --by ann@example.org (or decline)"
is unmatched eve@example.org days 7
check '[ -z "$(row unmatched cat@example.org kind)" ]' "a mentee with a proposal listed as unmatched"
at 2027-01-10 accept 1 --by cat@example.org
at 2027-01-10 accept 2
at 2027-01-12 checkin 1 --on 2027-01-12 --notes "SECRET-NOTE" --topic "SECRET-TOPIC" --rating 4

# ---- weeks later: pairing 2 never met, pairing 1 stopped ----
at 2027-01-28 --format csv today d
is overdue "pairing 2" since 2027-01-24
is overdue "pairing 2" action "mentorctl checkin 2 --on DATE"
check '[ -n "$(row remind "reminders to send" detail)" ]' "no remind line while check-ins are overdue"
is remind "reminders to send" action "mentorctl remind --program d"
at 2027-02-10 --format csv today d
is stalled "pairing 2" action "mentorctl end 2 --reason TEXT (or checkin when they meet)"
is stalled "pairing 1" detail "ann@example.org and cat@example.org; last met 2027-01-12"

# ---- the re-up window: answers missing, with the days left ----
at 2027-02-16 reup 1 --by ann@example.org yes
at 2027-02-16 --format csv today d
is reup "pairing 1" detail "re-up answer missing from cat@example.org; 5 days left (window closes 2027-02-21)"
is reup "pairing 1" action "mentorctl reup 1 --by cat@example.org yes|no"
is reup "pairing 2" action "mentorctl reup 2 --by ann@example.org yes|no"
check '[ "$(printf "%s\n" "$OUT" | grep -c "^d,reup,")" -eq 3 ]' "not three missing re-up answers"

# table and json; every line ends with a command
at 2027-02-16 today
out_has "KIND"
out_has "mentorctl reup 1 --by cat@example.org yes|no"
at 2027-02-16 --format json today
check 'printf "%s" "$OUT" | python3 -c "
import json, sys
d = json.load(sys.stdin)
assert d and all(r[\"action\"].startswith(\"mentorctl \") for r in d), d
assert all(isinstance(r[\"days\"], int) for r in d if r[\"days\"] is not None)
"' "today json"
# status is another name for today: the same screen, the same help
at 2027-02-16 --format csv today d
today_csv=$OUT
at 2027-02-16 --format csv status d
check '[ "$OUT" = "$today_csv" ]' "status is not the same screen as today"
at 2027-02-16 status
out_has "mentorctl reup 1 --by cat@example.org yes|no"
expect 0 help status
out_has "usage: mentorctl status [PROGRAM]"
out_has "the same as 'today'"
expect 0 --help
out_has "status             the same as 'today'"
expect 0 completion bash
out_has "status|program|"
at 2027-02-16 --bom --format csv today d
check 'head -c 3 "$T/.out" | od -An -tx1 | grep -q "ef bb bf"' "today csv without a BOM"

# ---- pairing show: the whole story in time order ----
at 2027-02-17 feedback 1 --by cat@example.org --rating 2 --comment "SECRET-COMMENT"
at 2027-02-18 end 2 --reason "never met"
at 2027-02-18 --format csv pairing show 1
check 'printf "%s\n" "$OUT" | python3 -c "
import csv, sys
rows = list(csv.DictReader(sys.stdin))
ev = [r[\"event\"] for r in rows]
assert ev[:5] == [\"proposed\", \"accepted\", \"accepted\", \"active\", \"check-in\"], ev
days = [r[\"day\"] for r in rows if r[\"day\"]]
assert days == sorted(days), days
assert \"re-up answer\" in ev and ev[-1] == \"feedback\", ev
"' "pairing show: events out of order"
out_has "2027-01-06,accepted,ann@example.org,the mentor"
out_has "2027-01-10,accepted,cat@example.org,the mentee"
out_has "feedback,,fewer than 3 responses (not shown)"
out_lacks "SECRET"
out_lacks "rating 4"
at 2027-02-18 pairing show 1 --include-notes
out_has "notes: SECRET-NOTE"
out_has "topic: SECRET-TOPIC"
out_lacks "SECRET-COMMENT"
at 2027-02-18 pairing show 2
out_has "pairing 2 in d: mentor Ann Mentor <ann@example.org>, mentee Dan Mentee <dan@example.org>; ended"
out_has "never met"
# the proposal's score with its top reasons, as `scores` breaks the pair
# down, under the programme version in force on the proposal day
out_has "top reasons under version 1: department:different 100.00"
at 2027-02-18 pairing show 1
out_has "by manual, score 0.00"
out_has "no criterion of version 1 gave points"
sed 's/weight: 2 }/weight: 1 }\
    - { attribute: name, compare: different, weight: 3 }/' "$T/d.yaml" >"$T/d2.yaml"
at 2027-02-18 program update "$T/d2.yaml"
at 2027-02-18 --format json pairing show 2
check 'printf "%s" "$OUT" | python3 -c "
import json, sys
d = json.load(sys.stdin)
p = [r for r in d if r[\"event\"] == \"proposed\"][0]
assert p[\"reasons\"] == [{\"criterion\": \"department:different\",
    \"points\": 100}], p
assert all(r[\"reasons\"] is None for r in d if r is not p), d
"' "pairing show json: the proposal's reasons"
# the people's data has no history: the reasons are today's, and say so
printf 'email,department\ndan@example.org,Eng\n' >"$T/dan.csv"
at 2027-02-18 people import "$T/dan.csv"
at 2027-02-18 pairing show 2
out_has "by manual, score 100.00"
out_has "no criterion of version 1 gave points (the reasons are from today's data, which scores the pair 0.00)"
expect 65 pairing show 99
err_has "unknown pairing 99"
err_lines 1
expect 64 pairing show x
err_lines 1
expect 64 pairing show
expect 64 --format xml pairing show 1

# ---- log: the audit trail, filtered ----
at 2027-02-18 --format csv log --pairing 2
out_has "pair,pairing,2,propose"
out_has "end,pairing,2,end,never met"
out_lacks ",pairing,1,"
at 2027-02-18 --format csv log --person eve@example.org
out_has "enroll,enrollment"
out_lacks "ann@example.org as mentor"
at 2027-02-18 --format csv log --program d --since 2027-02-16
out_has "2027-02-16T09:00:00Z"
out_lacks "2027-01-"
# feedback's audit says that it was given, never what
out_lacks "SECRET-COMMENT"
at 2027-02-18 log --program d
out_has "ACTION"
expect 65 log --program nope
err_has "unknown programme 'nope'"
err_lines 1
expect 65 log --person nobody@example.org
err_lines 1
expect 64 log --person not-an-address
expect 65 log --since 2027-02-30
expect 64 log extra

# ---- bouncing addresses: by hand, and refused by the mail program ----
at 2027-02-18 mail bounce eve@example.org --reason "left the company"
cat >"$T/mailer" <<'SH'
#!/bin/sh
# Refuses dan@example.org for good (67, EX_NOUSER), takes the rest.
if grep -qi '^To: .*dan@example.org' ; then
	echo "dan@example.org: user unknown" >&2
	exit 67
fi
exit 0
SH
chmod +x "$T/mailer"
run --today 2027-02-18 remind --program d --sendmail "$T/mailer"
check '[ "$RC" -eq 69 ]' "remind with a refused address exited $RC, not 69"
at 2027-02-18 --format csv today d
is bounce eve@example.org detail "mail bounces (Eve Mentee): left the company"
is bounce eve@example.org since 2027-02-18
is bounce eve@example.org action "mentorctl mail clear eve@example.org (once the address works)"
is bounce dan@example.org detail "mail bounces (Dan Mentee): exited with status 67 (addressee unknown): dan@example.org: user unknown"
is bounce dan@example.org action "mentorctl mail clear dan@example.org (once the address works)"
at 2027-02-18 today
out_has "mentorctl mail clear dan@example.org (once the address works)"
# cleared, the line goes
at 2027-02-18 mail clear eve@example.org
at 2027-02-18 --format csv today d
check '[ -z "$(row bounce eve@example.org kind)" ]' "a cleared address still listed as bouncing"
is bounce dan@example.org kind bounce

# ---- nothing to do, and errors ----
at 2027-02-18 init
expect 65 today nosuch
err_has "unknown programme 'nosuch'"
err_lines 1
expect 64 today d extra
before=$(db_dump)
at 2027-02-18 today
at 2027-02-18 pairing show 1
at 2027-02-18 log
check '[ "$(db_dump)" = "$before" ]' "a view changed the database"

done_testing
