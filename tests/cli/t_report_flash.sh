#!/bin/sh
# report of a flash programme, walked through its calendar (--today), for
# issue 13.8: the session's seats (`flash seat`) and who came (`flash
# attend`) are in every format of the report, in all and per round
# (seated, attended, absent, unrecorded, attendance rate), and the goals
# measured from them (flash_coverage, flash_attendance) are judged from the
# recorded attendance: not met while nobody is recorded, met once enough
# came, judged on the goal's due date from the session's day on.
#   before the seating   0 seated; coverage at risk, attendance no data
#   seated, before 03-18 every seat unrecorded, rates n/a (still to come)
#   03-19, not recorded  past due: coverage not met; attendance no data
#   03-19, some recorded 2 came, 1 absent, 1 partly: 50%, still not met
#   03-20, the rest      3 of 4 came: coverage met on its due date
#   03-26                the attendance goal met on its due date
#   --as-of 03-17        the session still to come: what that day showed
# Also: csv, json (docs/schema/report.schema.json), table and html carry
# the same figures; a flash metric in a one-to-one programme is refused.
. "$TOP/tests/cli/lib.sh"

S=fl
cat >"$T/fl.yaml" <<'YAML'
slug: fl
name: Flash Test
purpose: onboarding
format: flash
owner: Onboarding
contact: coord@example.org
goals:
  - { id: coverage, statement: Three in four new hires come to the session, metric: flash_coverage, target: 0.75, due: 2027-03-18 }
  - { id: attendance, statement: Three in four seated new hires come, metric: flash_attendance, target: 0.75, due: 2027-03-25 }
flash: { rounds: 2, minutes: 10, table_size: 2, date: 2027-03-18 }
YAML
cat >"$T/people.csv" <<'CSV'
email,name,department,role
h1@example.org,Hal,Sales,mentor
h2@example.org,Hana,Product,mentor
n1@example.org,Nia,Engineering,mentee
n2@example.org,Ned,Engineering,mentee
n3@example.org,Noa,Finance,mentee
n4@example.org,Nils,Support,mentee
CSV

# at DAY ARGS...: mentorctl --today DAY ARGS..., which must succeed.
at() {
	day=$1
	shift
	expect 0 --today "$day" "$@"
}
# report DAY NAME [ARGS...]: the csv report as of DAY (run that day); its
# flash rows in $T/NAME.flash, its goal rows in $T/NAME.goals.
report() {
	day=$1
	name=$2
	shift 2
	at "$day" --format csv report $S "$@"
	tr -d '\r' <"$T/.out" >"$T/$name.csv"
	grep '^flash,' "$T/$name.csv" >"$T/$name.flash"
	grep '^goals,' "$T/$name.csv" >"$T/$name.goals"
}
# same FILE: FILE's content is the text on stdin.
same() {
	CHECKS=$((CHECKS + 1))
	cat >"$T/.want"
	cmp -s "$T/.want" "$1" || {
		fail "$(basename "$1") differs"
		diff "$T/.want" "$1" | sed 's/^/  /'
	}
}

at 2027-03-01 init
at 2027-03-01 program add "$T/fl.yaml"
at 2027-03-01 enroll $S --csv "$T/people.csv"
err_has "6 eligible, 0 pending"

# ---- before the seating: nothing seated, nothing to attend ----
report 2027-03-01 r0
same "$T/r0.flash" <<'CSV'
flash,session_date,all,,,,,"2027-03-18, still to come: attendance counts from that day"
flash,seated,all,0,,,,not seated yet: 'mentorctl flash seat fl' confirms the seating
flash,attended,all,0,,,,came to at least one round
flash,absent,all,0,,,,recorded absent from every round of theirs
flash,unrecorded,all,0,,,,"not recorded as came, nor as absent from every round ('mentorctl flash attend fl')"
flash,attendance_rate,all,,,n/a,,not seated yet: 'mentorctl flash seat fl' confirms the seating
flash,flash_coverage,all,0,,,,0 of 4 eligible mentees came to the session
CSV
same "$T/r0.goals" <<'CSV'
goals,flash_coverage,goal=coverage,0,0.75,at risk,2027-03-18,not yet due: 17 days left
goals,flash_attendance,goal=attendance,,0.75,no data,2027-03-25,not yet due: 24 days left
CSV

# ---- seated on 03-10: four mentees, two rounds of four seats ----
at 2027-03-10 flash seat $S
err_has "8 seats for 4 mentees"
report 2027-03-10 r1
same "$T/r1.flash" <<'CSV'
flash,session_date,all,,,,,"2027-03-18, still to come: attendance counts from that day"
flash,seated,all,4,,,,mentees with a seat in the confirmed seating
flash,attended,all,0,,,,came to at least one round
flash,absent,all,0,,,,recorded absent from every round of theirs
flash,unrecorded,all,4,,,,"not recorded as came, nor as absent from every round ('mentorctl flash attend fl')"
flash,attendance_rate,all,,,n/a,,the session is still to come
flash,seated,round=1,4,,,,
flash,attended,round=1,0,,,,
flash,absent,round=1,0,,,,
flash,unrecorded,round=1,4,,,,
flash,attendance_rate,round=1,,,n/a,,the session is still to come
flash,seated,round=2,4,,,,
flash,attended,round=2,0,,,,
flash,absent,round=2,0,,,,
flash,unrecorded,round=2,4,,,,
flash,attendance_rate,round=2,,,n/a,,the session is still to come
flash,flash_coverage,all,0,,,,0 of 4 eligible mentees came to the session
CSV

# ---- the day after the session, nothing recorded: the goal is missed ----
report 2027-03-19 r2
check 'grep -qxF "flash,session_date,all,,,,,2027-03-18" "$T/r2.flash"' "r2: the session's day"
check 'grep -qxF "flash,unrecorded,all,4,,,,\"not recorded as came, nor as absent from every round ('"'"'mentorctl flash attend fl'"'"')\"" "$T/r2.flash"' "r2: 4 unrecorded"
check 'grep -qxF "flash,attendance_rate,all,,,n/a,,no attendance recorded yet ('"'"'mentorctl flash attend fl'"'"')" "$T/r2.flash"' "r2: the rate is n/a until recorded"
same "$T/r2.goals" <<'CSV'
goals,flash_coverage,goal=coverage,0,0.75,not met,2027-03-18,"past due: judged on its due date, 2027-03-18"
goals,flash_attendance,goal=attendance,,0.75,no data,2027-03-25,not yet due: 6 days left
CSV

# ---- some recorded: n1, n2 came; n3 absent; n4 absent from round 2 ----
at 2027-03-19 flash attend $S n1@example.org n2@example.org
err_has "recorded 2 people present (4 seats changed)"
at 2027-03-19 flash attend $S n3@example.org --absent
at 2027-03-19 flash attend $S n4@example.org --round 2 --absent
report 2027-03-19 r3
same "$T/r3.flash" <<'CSV'
flash,session_date,all,,,,,2027-03-18
flash,seated,all,4,,,,mentees with a seat in the confirmed seating
flash,attended,all,2,,,,came to at least one round
flash,absent,all,1,,,,recorded absent from every round of theirs
flash,unrecorded,all,1,,,,"not recorded as came, nor as absent from every round ('mentorctl flash attend fl')"
flash,attendance_rate,all,0.5,,,,2 of 4 seated mentees came
flash,seated,round=1,4,,,,
flash,attended,round=1,2,,,,
flash,absent,round=1,1,,,,
flash,unrecorded,round=1,1,,,,
flash,attendance_rate,round=1,0.5,,,,2 of 4 seated came
flash,seated,round=2,4,,,,
flash,attended,round=2,2,,,,
flash,absent,round=2,2,,,,
flash,unrecorded,round=2,0,,,,
flash,attendance_rate,round=2,0.5,,,,2 of 4 seated came
flash,flash_coverage,all,0.5,,,,2 of 4 eligible mentees came to the session
CSV
same "$T/r3.goals" <<'CSV'
goals,flash_coverage,goal=coverage,0.5,0.75,not met,2027-03-18,"past due: judged on its due date, 2027-03-18"
goals,flash_attendance,goal=attendance,0.5,0.75,at risk,2027-03-25,not yet due: 6 days left
CSV

# ---- the rest recorded a day later: n4 came to round 1 ----
at 2027-03-20 flash attend $S n4@example.org --round 1
report 2027-03-20 r4
same "$T/r4.flash" <<'CSV'
flash,session_date,all,,,,,2027-03-18
flash,seated,all,4,,,,mentees with a seat in the confirmed seating
flash,attended,all,3,,,,came to at least one round
flash,absent,all,1,,,,recorded absent from every round of theirs
flash,unrecorded,all,0,,,,"not recorded as came, nor as absent from every round ('mentorctl flash attend fl')"
flash,attendance_rate,all,0.75,,,,3 of 4 seated mentees came
flash,seated,round=1,4,,,,
flash,attended,round=1,3,,,,
flash,absent,round=1,1,,,,
flash,unrecorded,round=1,0,,,,
flash,attendance_rate,round=1,0.75,,,,3 of 4 seated came
flash,seated,round=2,4,,,,
flash,attended,round=2,2,,,,
flash,absent,round=2,2,,,,
flash,unrecorded,round=2,0,,,,
flash,attendance_rate,round=2,0.5,,,,2 of 4 seated came
flash,flash_coverage,all,0.75,,,,3 of 4 eligible mentees came to the session
CSV
# attendance is dated by the session: the goal due that day is met
same "$T/r4.goals" <<'CSV'
goals,flash_coverage,goal=coverage,0.75,0.75,met,2027-03-18,"past due: judged on its due date, 2027-03-18"
goals,flash_attendance,goal=attendance,0.75,0.75,on track,2027-03-25,not yet due: 5 days left
CSV
report 2027-03-26 r5
same "$T/r5.goals" <<'CSV'
goals,flash_coverage,goal=coverage,0.75,0.75,met,2027-03-18,"past due: judged on its due date, 2027-03-18"
goals,flash_attendance,goal=attendance,0.75,0.75,met,2027-03-25,"past due: judged on its due date, 2027-03-25"
CSV

# ---- as of the eve of the session: it was still to come ----
report 2027-03-26 r6 --as-of 2027-03-17
check 'cmp -s "$T/r1.flash" "$T/r6.flash"' "as of 03-17: $(diff "$T/r1.flash" "$T/r6.flash")"
same "$T/r6.goals" <<'CSV'
goals,flash_coverage,goal=coverage,0,0.75,at risk,2027-03-18,not yet due: 1 day left
goals,flash_attendance,goal=attendance,,0.75,no data,2027-03-25,not yet due: 8 days left
CSV

# ---- json: the same figures, typed, valid for the schema ----
at 2027-03-26 --format json report $S
printf '%s\n' "$OUT" >"$T/r5.json"
check 'python3 - "$T/r5.json" "$TOP/docs/schema/report.schema.json" <<"PY"
import json, sys
rows = json.load(open(sys.argv[1]))
schema = json.load(open(sys.argv[2]))
assert "flash" in schema["items"]["properties"]["section"]["enum"], "schema lacks flash"
got = {(r["metric"], r["group"]): r for r in rows if r["section"] == "flash"}
want = {("seated", "all"): 4, ("attended", "all"): 3, ("absent", "all"): 1,
        ("unrecorded", "all"): 0, ("attendance_rate", "all"): 0.75,
        ("seated", "round=2"): 4, ("absent", "round=2"): 2,
        ("attendance_rate", "round=2"): 0.5, ("flash_coverage", "all"): 0.75}
for k, v in want.items():
    assert got[k]["value"] == v, (k, got[k])
assert got[("session_date", "all")]["value"] is None
goals = {r["group"]: r for r in rows if r["section"] == "goals"}
assert goals["goal=coverage"]["status"] == "met", goals
assert goals["goal=attendance"]["status"] == "met", goals
try:
    import jsonschema
except ImportError:
    sys.exit(0)
jsonschema.validate(rows, schema)
PY' "json: the flash figures or goals differ, or the schema rejects them"

# ---- table: a line per group, then the session's day and coverage ----
at 2027-03-20 report $S
out_has "== Flash session: seats and attendance =="
check 'printf "%s\n" "$OUT" | grep -qE "^all +4 +3 +1 +0 +75\.0% +3 of 4 seated mentees came$"' "table: the line of all"
check 'printf "%s\n" "$OUT" | grep -qE "^round=2 +4 +2 +2 +0 +50\.0% +2 of 4 seated came$"' "table: the line of round 2"
check 'printf "%s\n" "$OUT" | grep -qE "^flash_coverage +75\.0% +3 of 4 eligible mentees came to the session$"' "table: coverage"
check 'printf "%s\n" "$OUT" | grep -qE "^coverage +flash_coverage +75\.0% +75\.0% +met +2027-03-18"' "table: the coverage goal is not met"

# ---- html: the section and the goal's badge ----
at 2027-03-26 --format html report $S --out "$T/r.html"
H="$T/r.html"
check 'grep -q "<h2>Flash session</h2>" "$H"' "html: no flash section"
check 'grep -qF "<tr><th scope=\"row\">All</th><td class=\"num\">4</td><td class=\"num\">3</td><td class=\"num\">1</td><td class=\"num\">0</td><td class=\"num\">75.0%</td><td>3 of 4 seated mentees came</td></tr>" "$H"' "html: the line of all"
check 'grep -qF "<tr><th scope=\"row\">Round 2</th><td class=\"num\">4</td><td class=\"num\">2</td><td class=\"num\">2</td><td class=\"num\">0</td><td class=\"num\">50.0%</td>" "$H"' "html: the line of round 2"
check 'grep -qF "<td>Flash coverage</td><td class=\"num\">75.0%</td><td class=\"num\">75.0%</td><td><span class=\"badge met\">met</span></td>" "$H"' "html: the coverage goal's badge"
check '[ "$(grep -c "<caption>" "$H")" -eq "$(grep -c "<table>" "$H")" ]' "html: a table without a caption"
check '! grep -q "<th>" "$H"' "html: a header cell without a scope"
if command -v tidy >/dev/null 2>&1; then
	tidy -errors -quiet --doctype html5 "$H" >"$T/tidy.log" 2>&1
	check '[ $? -lt 2 ]' "tidy found errors: $(head -n 5 "$T/tidy.log")"
fi

# ---- a flash metric needs a flash programme; targets are fractions ----
sed 's/^format: flash$/format: one-to-one/; /^flash:/d; s/^slug: fl$/slug: one/' \
	"$T/fl.yaml" >"$T/one.yaml"
expect 65 program check "$T/one.yaml"
err_has "one.yaml:8:85: metric 'flash_coverage' for goals[1].metric is for flash programmes (this one is one-to-one)"
err_has "metric 'flash_attendance' for goals[2].metric is for flash programmes"
sed 's/target: 0.75, due: 2027-03-18/target: 75, due: 2027-03-18/' "$T/fl.yaml" >"$T/big.yaml"
expect 65 program check "$T/big.yaml"
err_has "out-of-range target '75' for goals[1].target (expected 0..1 for flash_coverage"
err_lines 1

done_testing
