#!/bin/sh
# report over a programme's life, walked day by day through the CLI
# (--today), for the defects that only show after weeks:
#   12.3  a pair matched four weeks before launch is measured from the
#         launch (days to first meeting, adherence), as schedule and remind
#         count
#   12.2  a goal past due is judged on its due date, frozen: closing the
#         cycle (which ends the stalled pair) does not turn "not met" into
#         "met"; before its due date it is "on track" or "at risk"
#   18.6  feedback figures do not move by one response from one day to the
#         next (the attack of the issue: 3 responses on 02-01, 4 on 02-02),
#         nor does a group differ from the total by fewer than 3
#   12.6  no rating bucket of 1 or 2
#   12.4  a report as of a past day uses the programme version in force then
#   17.4  --bom on the report's and diagnose's csv
. "$TOP/tests/cli/lib.sh"

cat >"$T/life.yaml" <<'YAML'
slug: life
name: Life
purpose: engagement
format: one-to-one
contact: coord@example.org
goals:
  - { id: g-stall, statement: At most 10% stalled at the end of the cycle, metric: stalled_rate, target: 0.1, due: 2027-03-28 }
  - { id: g-first, statement: First meeting within a week, metric: days_to_first_meeting, target: 7 }
  - { id: g-adh, statement: Hold 90% of check-ins, metric: checkin_adherence, target: 0.9, due: 2027-03-28 }
roles:
  mentor: { capacity: 1 }
cycle:
  start: 2027-02-01
  length: 8 weeks
  reup: { opens: 14 days before end, closes: 7 days before end, default: exit }
checkins:
  every: 1 week
  overdue_after: 3 days
  stalled_after: 2 missed
YAML

# at DAY ARGS...: mentorctl --today DAY ARGS..., which must succeed.
at() {
	day=$1
	shift
	expect 0 --today "$day" "$@"
}
# field FILE SECTION METRIC GROUP COLUMN: one cell of a report csv.
field() {
	python3 - "$@" <<'PY'
import csv, sys
f, sec, met, grp, col = sys.argv[1:6]
for r in csv.DictReader(open(f, newline="", encoding="utf-8-sig")):
    if (r["section"], r["metric"], r["group"]) == (sec, met, grp):
        print(r[col])
        break
PY
}
# is FILE SECTION METRIC GROUP COLUMN WANT
is() {
	CHECKS=$((CHECKS + 1))
	got=$(field "$1" "$2" "$3" "$4" "$5")
	[ "$got" = "$6" ] || fail "$(basename "$1"): $2 $3 $4 $5: got '$got', want '$6'"
}
# report DAY NAME [ARGS...]: the csv report as of DAY (run that day) in $T/NAME.csv.
report() {
	day=$1
	name=$2
	shift 2
	at "$day" --format csv report life "$@"
	printf '%s\n' "$OUT" >"$T/$name.csv"
}
# feedback rows of a report csv: what a reader sees of the responses
fbrows() {
	grep '^feedback,' "$T/$1.csv"
}

at 2027-01-02 init
at 2027-01-02 program add "$T/life.yaml"
cat >"$T/people.csv" <<'CSV'
email,name,department,role
m1@example.org,M1,A,mentor
m2@example.org,M2,A,mentor
e1@example.org,E1,A,mentee
e2@example.org,E2,A,mentee
e3@example.org,E3,B,mentee
e4@example.org,E4,A,mentee
e5@example.org,E5,A,mentee
CSV
at 2027-01-02 enroll life --csv "$T/people.csv"

# pairing 1: matched four weeks before the launch
at 2027-01-04 pair life m1@example.org e1@example.org
at 2027-01-04 accept 1
# feedback about the programme: three in January
at 2027-01-10 feedback --program life --by e1@example.org --rating 5 --comment "jan one"
at 2027-01-15 feedback --program life --by e2@example.org --rating 4 --comment "jan two"
at 2027-01-20 feedback --program life --by m1@example.org --rating 3 --comment "jan three"

# launch: cycle 1 from the YAML's start; pairing 2 from the first day
at 2027-02-01 cycle start life
at 2027-02-01 pair life m2@example.org e2@example.org
at 2027-02-01 accept 2

# ---- 18.6: the attack of the issue ----
report 2027-02-01 feb01
at 2027-02-02 feedback --program life --by e3@example.org --rating 1 --comment "SECRET-ONE"
report 2027-02-02 feb02
is "$T/feb01.csv" feedback responses all value 3
is "$T/feb01.csv" feedback satisfaction all value 4
CHECKS=$((CHECKS + 1))
[ "$(fbrows feb01)" = "$(fbrows feb02)" ] ||
	fail "the feedback rows moved by one response from 02-01 to 02-02"
check '! grep -q SECRET-ONE "$T/feb02.csv"' "a lone response's comment shown"
# the same through --as-of from a later day: the past does not change
report 2027-03-01 asof01 --as-of 2027-02-01
report 2027-03-01 asof02 --as-of 2027-02-02
CHECKS=$((CHECKS + 1))
[ "$(fbrows asof01)" = "$(fbrows asof02)" ] ||
	fail "--as-of 02-01 and 02-02 differ by one response"
# February closes with one response: fewer than 3, it waits for March
report 2027-03-01 mar01
is "$T/mar01.csv" feedback responses all value 3
check '! grep -q SECRET-ONE "$T/mar01.csv"' "February's lone response published"

# ---- 12.3: pairing 1 meets weekly from the launch, pairing 2 once ----
for d in 02-08 02-15 02-22 03-01 03-08 03-15 03-22; do
	at 2027-$d checkin 1 --on 2027-$d
done
at 2027-02-08 checkin 2 --on 2027-02-08
# March: two more responses (e4 in A, e5 in A) with February's (e3 in B)
at 2027-03-05 feedback --program life --by e4@example.org --rating 2
at 2027-03-06 feedback --program life --by e5@example.org --rating 4
at 2027-03-20 reup 1 --by m1@example.org yes
at 2027-03-20 reup 1 --by e1@example.org yes

report 2027-03-28 mar28
# first meetings 7 days after the launch for both (was 35 for pairing 1)
is "$T/mar28.csv" matching days_to_first_meeting all value 7
is "$T/mar28.csv" goals days_to_first_meeting goal=g-first status "on track"
# due from the launch: 7 each (02-08 .. 03-22); held 7 + 1 (was 8 of 18)
is "$T/mar28.csv" checkins checkin_adherence all value 0.5714
is "$T/mar28.csv" checkins checkin_adherence all detail "8 of 14 due"
# pairing 2 stalled: 1 of 2; due today, so still open: at risk, not "not met"
is "$T/mar28.csv" checkins stalled_rate all value 0.5
is "$T/mar28.csv" goals stalled_rate goal=g-stall status "at risk"
is "$T/mar28.csv" goals checkin_adherence goal=g-adh status "at risk"
# as of the launch week, pairing 1 owed nothing before the launch
report 2027-03-28 feb03 --as-of 2027-02-03
is "$T/feb03.csv" checkins checkin_adherence all status "n/a"
is "$T/feb03.csv" checkins checkin_adherence all detail "0 of 0 due"

# ---- 12.2: the cycle closes, ending the stalled pair ----
at 2027-03-29 cycle close life
report 2027-03-30 mar30
# today nobody is stalled, but the goal was due on 03-28: judged then
is "$T/mar30.csv" checkins stalled_rate all value 0
is "$T/mar30.csv" goals stalled_rate goal=g-stall value 0.5
is "$T/mar30.csv" goals stalled_rate goal=g-stall status "not met"
is "$T/mar30.csv" goals stalled_rate goal=g-stall detail "past due: judged on its due date, 2027-03-28"
is "$T/mar30.csv" goals checkin_adherence goal=g-adh value 0.5714
is "$T/mar30.csv" goals checkin_adherence goal=g-adh status "not met"
# and the same as of any later day
report 2027-05-02 may02
is "$T/may02.csv" goals stalled_rate goal=g-stall value 0.5
is "$T/may02.csv" goals stalled_rate goal=g-stall status "not met"
# a goal is never "not met" before its due date
check '! grep -q "^goals,.*,not met,2027-03-28" "$T/mar28.csv"' "a goal not met before its due date"

# ---- 18.6 again: March closes with 3 new responses (e3's of February among them) ----
is "$T/mar30.csv" feedback responses all value 3
report 2027-03-31 mar31
is "$T/mar31.csv" feedback responses all value 6
is "$T/mar31.csv" feedback satisfaction all value 3.1667
# group vs total: March's cells are A 2, B 1, both hidden together; A
# shows January's 3 only, so total minus A is March's 3, never one person
is "$T/mar31.csv" feedback responses department=A value 3
is "$T/mar31.csv" feedback average_rating department=A value 4
is "$T/mar31.csv" feedback average_rating department=B status hidden
check 'grep -q SECRET-ONE "$T/mar31.csv"' "a published window's comment not shown"
# ---- 12.6: no bucket of 1 or 2 in any window ----
for f in feb01 mar01 mar31; do
	for k in 1 2 3 4 5; do
		v=$(field "$T/$f.csv" feedback ratings rating=$k value)
		CHECKS=$((CHECKS + 1))
		case "$v" in
		1 | 2) fail "$f: rating=$k bucket of $v" ;;
		esac
	done
done
is "$T/mar31.csv" feedback ratings rating=hidden value 6
expect 0 --today 2027-03-01 --format html report life
out_lacks "SECRET-ONE"
expect 0 --today 2027-03-31 --format html report life
check 'python3 - "$T/.out" <<"PY"
import re, sys
h = open(sys.argv[1], encoding="utf-8").read()
m = re.search(r"<svg[^>]*aria-label=\"Ratings[^\"]*\".*?</svg>", h, re.S)
assert m, "no ratings chart"
vals = re.findall(r"<text[^>]*>(\d+)</text>", m.group(0))
assert not set(vals) & {"1", "2"}, vals
PY' "the html ratings chart shows a bucket of 1 or 2"

# ---- 12.4: a later `program update` does not rewrite a past report ----
sed -e 's/every: 1 week/every: 2 weeks/' "$T/life.yaml" >"$T/life2.yaml"
SOURCE_DATE_EPOCH=$(date -u -d "2027-04-05 09:00" +%s) \
	expect 0 --today 2027-04-05 program update "$T/life2.yaml"
report 2027-04-10 past --as-of 2027-03-28
is "$T/past.csv" checkins checkin_adherence all value 0.5714
is "$T/past.csv" checkins checkin_adherence all detail "8 of 14 due"
is "$T/past.csv" goals checkin_adherence goal=g-adh status "at risk"
# today's report uses today's definition: fortnightly from the launch
report 2027-04-10 now
is "$T/now.csv" checkins checkin_adherence all detail "5 of 8 due"

# ---- 17.4: --bom on every csv of this area ----
expect 0 --today 2027-03-31 --bom --format csv report life
check 'head -c 3 "$T/.out" | od -An -tx1 | grep -q "ef bb bf"' "report csv without a BOM"
expect 0 --today 2027-03-31 --bom --format csv report life --out "$T/bom.csv"
check 'head -c 3 "$T/bom.csv" | od -An -tx1 | grep -q "ef bb bf"' "report --out csv without a BOM"
expect 0 --today 2027-03-31 --bom --format csv diagnose life
check 'head -c 3 "$T/.out" | od -An -tx1 | grep -q "ef bb bf"' "diagnose csv without a BOM"
expect 0 --today 2027-03-31 --format csv report life
check '! head -c 3 "$T/.out" | od -An -tx1 | grep -q "ef bb bf"' "a BOM without --bom"

done_testing
