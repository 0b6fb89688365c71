#!/bin/sh
# report: every figure against values computed by hand on a small fixed
# programme, today and --as-of two past days; csv/json parsed back; notes
# never shown; errors.
#
# The fixture, built through the CLI day by day (--today):
#   cycle 1  2027-01-04 .. 2027-02-28 (its last day), cycle 2 from 2027-03-01;
#   re-up window 2027-02-14 .. 2027-02-21 (14 and 7 days before the last day)
#   mentors  m1 Eng, m2 Sales, m3 Eng (enrolled 01-10, trained 01-12)
#   mentees  e1 Eng, e2 Eng (01-02), e3 Sales, e4 Sales (01-05),
#            e5 HR (enrolled 01-16, never trained, withdrawn 02-10)
#   P1 m1-e1 active since 01-05   meetings 01-12 01-19 02-02 02-16 03-02 03-16
#   P2 m1-e2 01-08 .. 02-05 "moved teams"   meeting 01-20
#   P3 m2-e3 active since 01-18   meeting 01-25
#   P4 m2-e4 declined 01-12;  P5 m3-e2 02-12 .. 03-01 (exited at cycle 1's end)
#   P6 m3-e4 proposed 03-20
#   re-up at cycle 1: P1 continued, P3 continued, P5 exited
#   feedback: e1 on P1 5 (02-20), m1 on P1 4 (02-21), e2 on P2 2 (02-06),
#             e3 about the programme 3 (03-05)
. "$TOP/tests/cli/lib.sh"
export MENTORCTL_TODAY=2027-04-01

cat >"$T/fx.yaml" <<'YAML'
slug: fx
name: Fixture & Co <Mentoring>
purpose: engagement
format: one-to-one
owner: People Team
contact: coord@example.org
goals:
  - { id: g-match, statement: Match three quarters of eligible mentees, metric: match_rate, target: 0.75, due: 2027-02-01 }
  - { id: g-days, statement: Match within ten days, metric: days_to_match, target: 10, due: 2027-06-30 }
  - { id: g-first, statement: First meeting within a week, metric: days_to_first_meeting, target: 7 }
  - { id: g-adh, statement: Hold 80% of check-ins, metric: checkin_adherence, target: 0.8 }
  - { id: g-stall, statement: At most 10% stalled, metric: stalled_rate, target: 0.1 }
  - { id: g-reup, statement: Half re-up, metric: reup_rate, target: 0.5 }
  - { id: g-early, statement: At most 20% close early, metric: early_closure_rate, target: 0.2 }
  - { id: g-sat, statement: Rated 4 or better, metric: satisfaction, target: 4 }
  - { id: g-ret, statement: Keep 90% of mentees, metric: retention, target: 0.9 }
  - { id: g-none, statement: Have fun }
roles:
  mentor:
    capacity: 2
    eligibility: { trainings: [mentor-basics] }
  mentee:
    eligibility: { trainings: [mentee-orientation] }
cycle:
  start: 2027-01-04
  length: 8 weeks
  reup: { opens: 14 days before end, closes: 7 days before end, default: exit }
checkins:
  every: 2 weeks
  overdue_after: 3 days
  stalled_after: 2 missed
  prompts: [Get to know each other, Goals]
matching:
  respond_within: 10 days
YAML

# at DAY ARGS...: mentorctl --today DAY ARGS..., which must succeed.
at() {
	day=$1
	shift
	expect 0 --today "$day" "$@"
}

at 2027-01-02 init
at 2027-01-02 program add "$T/fx.yaml"
cat >"$T/people.csv" <<'CSV'
email,name,department
m1@example.org,Mia One,Eng
m2@example.org,Max Two,Sales
m3@example.org,Meg Three,Eng
e1@example.org,Eli One,Eng
e2@example.org,Eva Two,Eng
e3@example.org,<script>alert(1)</script> Eve,Sales
e4@example.org,Ed Four,Sales
e5@example.org,Em Five,HR
CSV
at 2027-01-02 people import "$T/people.csv"
for p in m1 m2; do at 2027-01-02 training add $p@example.org mentor-basics; done
for p in e1 e2; do at 2027-01-02 training add $p@example.org mentee-orientation; done
for p in m1 m2; do at 2027-01-02 enroll fx $p@example.org --role mentor; done
for p in e1 e2; do at 2027-01-02 enroll fx $p@example.org --role mentee; done
at 2027-01-04 cycle start fx
at 2027-01-04 pair fx m1@example.org e1@example.org
at 2027-01-04 pair fx m1@example.org e2@example.org
at 2027-01-05 accept 1
for p in e3 e4; do at 2027-01-05 training add $p@example.org mentee-orientation; at 2027-01-05 enroll fx $p@example.org --role mentee; done
at 2027-01-08 accept 2
at 2027-01-10 enroll fx m3@example.org --role mentor
at 2027-01-10 pair fx m2@example.org e3@example.org
at 2027-01-10 pair fx m2@example.org e4@example.org
at 2027-01-12 training add m3@example.org mentor-basics
at 2027-01-12 decline 4 --reason "not now"
at 2027-01-12 checkin 1 --on 2027-01-12 --notes SECRET-NOTE-1 --topic SECRET-TOPIC-1
at 2027-01-16 enroll fx e5@example.org --role mentee
at 2027-01-18 accept 3
at 2027-01-19 checkin 1 --on 2027-01-19 --notes SECRET-NOTE-2
at 2027-01-20 checkin 2 --on 2027-01-20 --notes SECRET-NOTE-4
at 2027-01-25 checkin 3 --on 2027-01-25 --notes SECRET-NOTE-6
at 2027-02-02 checkin 1 --on 2027-02-02 --notes SECRET-NOTE-3
at 2027-02-05 end 2 --reason "moved teams"
at 2027-02-06 feedback 2 --by e2@example.org --rating 2 --comment "Too busy"
at 2027-02-08 pair fx m3@example.org e2@example.org
at 2027-02-10 withdraw fx e5@example.org --reason "left"
at 2027-02-12 accept 5
at 2027-02-16 checkin 1 --on 2027-02-16
at 2027-02-20 reup 1 --by m1@example.org yes
at 2027-02-20 reup 1 --by e1@example.org yes
at 2027-02-20 feedback 1 --by e1@example.org --rating 5 --comment "Great mentor"
at 2027-02-21 reup 3 --by m2@example.org yes
at 2027-02-21 reup 3 --by e3@example.org yes
at 2027-02-21 feedback 1 --by m1@example.org --rating 4 --comment '=HYPERLINK("x")'
at 2027-02-21 reup 5 --by m3@example.org no
at 2027-03-01 cycle close fx
at 2027-03-02 checkin 1 --on 2027-03-02
at 2027-03-05 feedback --program fx --by e3@example.org --rating 3
at 2027-03-16 checkin 1 --on 2027-03-16
at 2027-03-20 pair fx m3@example.org e4@example.org

# verify CSV EXPECTATIONS: every "section|metric|group|value[|status]" line
# must match one row of the CSV report (parsed with Python's csv module).
cat >"$T/verify.py" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8")))
assert rows and list(rows[0].keys())[:6] == \
    ["section", "metric", "group", "value", "target", "status"], "columns"
index = {}
for r in rows:
    index.setdefault((r["section"], r["metric"], r["group"]), []).append(r)
n = fails = 0
for line in open(sys.argv[2], encoding="utf-8"):
    line = line.rstrip("\n")
    if not line or line.startswith("#"):
        continue
    n += 1
    f = line.split("|")
    got = index.get(tuple(f[:3]))
    if f[3] == "ABSENT":
        if got:
            fails += 1
            print("not ok: %s: present" % line)
        continue
    want = {"value": f[3]}
    if len(f) > 4:
        want["status"] = f[4]
    if len(f) > 5:
        want["target"] = f[5]
    if not got or not any(all(r[k] == v for k, v in want.items()) for r in got):
        fails += 1
        print("not ok: %s: got %s" % (line, [(r["value"], r["status"], r["target"]) for r in got or []]))
print("%d %d" % (n, fails))
PY

# verify FILE EXPECTATIONS-FILE: runs verify.py and adds to the counts.
verify() {
	python3 "$T/verify.py" "$1" "$2" >"$T/.verify" 2>&1 || {
		FAILS=$((FAILS + 1))
		cat "$T/.verify"
		return
	}
	grep '^not ok' "$T/.verify"
	set -- $(tail -n 1 "$T/.verify")
	CHECKS=$((CHECKS + $1))
	FAILS=$((FAILS + $2))
}

# ---- today, 2027-04-01 ----
expect 0 --format csv report fx
printf '%s\n' "$OUT" >"$T/today.csv"
check 'head -c 60 "$T/.out" | od -c | grep -q "\\\\r  \\\\n"' "csv lines do not end in CRLF"
cat >"$T/today.want" <<'EOF'
goals|match_rate|goal=g-match|0.75|met|0.75
goals|days_to_match|goal=g-days|6|met|10
goals|days_to_first_meeting|goal=g-first|7|met|7
goals|checkin_adherence|goal=g-adh|0.5714|not met|0.8
goals|stalled_rate|goal=g-stall|0.5|not met|0.1
goals|reup_rate|goal=g-reup|0.6667|met|0.5
goals|early_closure_rate|goal=g-early|0.25|not met|0.2
goals|satisfaction|goal=g-sat|3.5|not met|4
goals|retention|goal=g-ret|0.8|not met|0.9
goals||goal=g-none||no data
# funnel by role
funnel|enrolled|role=mentee|5
funnel|eligible|role=mentee|4
funnel|matched|role=mentee|3
funnel|active|role=mentee|2
funnel|ended|role=mentee|1
funnel|withdrawn|role=mentee|1
funnel|enrolled|role=mentor|3
funnel|eligible|role=mentor|3
funnel|matched|role=mentor|3
funnel|active|role=mentor|2
funnel|ended|role=mentor|1
funnel|withdrawn|role=mentor|0
# funnel by department
funnel|enrolled|role=mentee,department=Eng|2
funnel|matched|role=mentee,department=Eng|2
funnel|active|role=mentee,department=Eng|1
funnel|ended|role=mentee,department=Eng|1
funnel|enrolled|role=mentee,department=HR|1
funnel|eligible|role=mentee,department=HR|0
funnel|withdrawn|role=mentee,department=HR|1
funnel|enrolled|role=mentee,department=Sales|2
funnel|eligible|role=mentee,department=Sales|2
funnel|matched|role=mentee,department=Sales|1
funnel|enrolled|role=mentor,department=Eng|2
funnel|ended|role=mentor,department=Eng|1
funnel|active|role=mentor,department=Sales|1
# matching: 3 of 4 eligible mentees; medians of 3,6,13 and 7,12,7 days
matching|match_rate|all|0.75
matching|days_to_match|all|6
matching|days_to_first_meeting|all|7
matching|proposed|all|1
matching|declined|all|1
matching|expired|all|0
matching|activated|all|4
matching|active|all|2
matching|ended|all|2
# check-ins: held 6+1+1+0 of due 6+2+5+1 (a check-in after P2's end is refused)
checkins|checkins|all|8
checkins|checkin_adherence|all|0.5714
checkins|overdue|all|1
checkins|stalled|all|1
checkins|stalled_rate|all|0.5
checkins|checkins_in_month|month=2027-01|4
checkins|checkins_in_month|month=2027-02|2
checkins|checkins_in_month|month=2027-03|2
checkins|checkins_in_month|month=2027-04|0
checkins|stalled_pairing|pairing=3|2|stalled
checkins|overdue_pairing|pairing=3|ABSENT
checkins|stalled_pairing|pairing=1|ABSENT
# cycles: 2 of 3 re-upped; P2 closed early (1 of 4); P5 exited at the end
cycles|reup_rate|cycle=1|0.6667
cycles|reup_rate|cycle=2|ABSENT
cycles|reup_rate|all|0.6667
cycles|early_closures|all|1
cycles|early_closure_rate|all|0.25
cycles|closure_reason|reason=moved teams|1
cycles|closure_reason|reason=exit|1
# feedback: 4 responses, mean 14/4; every group under 3 (or given away by one) hidden
feedback|responses|all|4
feedback|satisfaction|all|3.5
feedback|ratings|rating=5|1
feedback|ratings|rating=4|1
feedback|ratings|rating=3|1
feedback|ratings|rating=2|1
feedback|ratings|rating=1|0
feedback|comments|all|3
feedback|average_rating|role=mentor||hidden
feedback|average_rating|role=mentee||hidden
feedback|responses|role=mentee||hidden
feedback|average_rating|about=programme||hidden
feedback|average_rating|about=pairing||hidden
feedback|average_rating|department=Eng||hidden
feedback|average_rating|department=Sales||hidden
feedback|average_rating|cycle=1||hidden
feedback|average_rating|cycle=2||hidden
retention|retention|role=mentee|0.8
EOF
verify "$T/today.csv" "$T/today.want"
out_has "programme,as_of,all,,,,,2027-04-01"
out_has "feedback,comment,all,,,,,\"'=HYPERLINK(\"\"x\"\")\""
out_has 'feedback,comment,all,,,,,Great mentor'
out_has 'stalled,2027-03-15,"mentor Max Two (m2@example.org), mentee <script>alert(1)</script> Eve (e3@example.org), last met 2027-01-25"'

# ---- as of 2027-02-15: P5 active, P6 not yet proposed, P3 overdue, 1 response ----
expect 0 --format csv report fx --as-of 2027-02-15
printf '%s\n' "$OUT" >"$T/feb.csv"
cat >"$T/feb.want" <<'EOF'
goals|match_rate|goal=g-match|0.75|met
goals|days_to_first_meeting|goal=g-first|7|met
goals|checkin_adherence|goal=g-adh|0.6667|not met
goals|stalled_rate|goal=g-stall|0|met
goals|reup_rate|goal=g-reup||no data
goals|satisfaction|goal=g-sat||no data
goals|retention|goal=g-ret|0.8|not met
funnel|active|role=mentee|3
funnel|ended|role=mentee|0
funnel|withdrawn|role=mentee|1
funnel|active|role=mentor|3
funnel|ended|role=mentor|0
matching|proposed|all|0
matching|active|all|3
matching|ended|all|1
matching|days_to_first_meeting|all|7
checkins|checkins|all|5
checkins|checkin_adherence|all|0.6667
checkins|overdue|all|1
checkins|stalled|all|0
checkins|stalled_rate|all|0
checkins|checkins_in_month|month=2027-01|4
checkins|checkins_in_month|month=2027-02|1
checkins|checkins_in_month|month=2027-03|ABSENT
checkins|overdue_pairing|pairing=3|7|overdue
cycles|reup_rate|all||n/a
cycles|reup_rate|cycle=1|ABSENT
cycles|early_closures|all|1
cycles|early_closure_rate|all|0.25
cycles|closure_reason|reason=moved teams|1
cycles|closure_reason|reason=exit|ABSENT
feedback|responses|all||hidden
feedback|satisfaction|all||hidden
feedback|ratings|rating=2|ABSENT
retention|retention|role=mentee|0.8
EOF
verify "$T/feb.csv" "$T/feb.want"
out_has "programme,as_of,all,,,,,2027-02-15"
out_lacks 'Too busy'

# ---- as of 2027-01-20: P5 and P6 not proposed, nobody withdrawn, no closures ----
expect 0 --format csv report fx --as-of 2027-01-20
printf '%s\n' "$OUT" >"$T/jan.csv"
cat >"$T/jan.want" <<'EOF'
goals|match_rate|goal=g-match|0.75|met
goals|days_to_first_meeting|goal=g-first|9.5|not met
goals|checkin_adherence|goal=g-adh|1|met
goals|early_closure_rate|goal=g-early|0|met
goals|retention|goal=g-ret|1|met
funnel|enrolled|role=mentee|5
funnel|eligible|role=mentee|4
funnel|matched|role=mentee|3
funnel|active|role=mentee|3
funnel|withdrawn|role=mentee|0
funnel|eligible|role=mentor|3
funnel|matched|role=mentor|2
funnel|active|role=mentor|2
funnel|ended|role=mentor|0
matching|match_rate|all|0.75
matching|days_to_match|all|6
matching|days_to_first_meeting|all|9.5
matching|activated|all|3
matching|declined|all|1
checkins|checkins|all|3
checkins|checkin_adherence|all|1
checkins|overdue|all|0
checkins|checkins_in_month|month=2027-01|3
checkins|checkins_in_month|month=2027-02|ABSENT
cycles|early_closures|all|0
cycles|early_closure_rate|all|0
cycles|reup_rate|all||n/a
feedback|responses|all||hidden
retention|retention|role=mentee|1
EOF
verify "$T/jan.csv" "$T/jan.want"
out_has "programme,as_of,all,,,,,2027-01-20"
check '! cmp -s "$T/jan.csv" "$T/feb.csv"' "the two past days gave the same report"

# the goal rows say whether each goal is past due on the report's day
check 'grep -q "^goals,match_rate,goal=g-match,0.75,0.75,met,2027-02-01,past due" "$T/today.csv"' "g-match not past due today"
check 'grep -q "^goals,match_rate,goal=g-match,0.75,0.75,met,2027-02-01,not yet due" "$T/jan.csv"' "g-match past due in January"

# ---- json: the same rows, parsed back, numbers as numbers ----
expect 0 --format json report fx
printf '%s\n' "$OUT" >"$T/today.json"
check 'python3 - "$T/today.json" "$T/today.csv" <<"PY"
import csv, json, sys
j = json.load(open(sys.argv[1], encoding="utf-8"))
c = list(csv.DictReader(open(sys.argv[2], newline="", encoding="utf-8")))
assert len(j) == len(c), (len(j), len(c))
assert list(j[0].keys())[:6] == ["section", "metric", "group", "value", "target", "status"]
for a, b in zip(j, c):
    assert a["section"] == b["section"] and (a["metric"] or "") == b["metric"] and a["group"] == b["group"]
    v = a["value"]
    assert v is None or (isinstance(v, (int, float)) and not isinstance(v, bool)), a
    if v is None:
        assert b["value"] == "", (a, b)
    else:
        assert abs(float(b["value"]) - v) < 1e-9, (a, b)
    assert a["target"] is None or isinstance(a["target"], (int, float)), a
    # empty is null, never ""
    assert all(x != "" for x in a.values()), a
m = {(r["section"], r["metric"], r["group"]): r for r in j}
assert m[("matching", "match_rate", "all")]["value"] == 0.75
assert m[("goals", "retention", "goal=g-ret")]["target"] == 0.9
assert m[("feedback", "average_rating", "role=mentor")]["value"] is None
assert m[("feedback", "average_rating", "role=mentor")]["status"] == "hidden"
assert m[("goals", None, "goal=g-none")]["value"] is None
assert m[("matching", "match_rate", "all")]["status"] is None
assert m[("programme", "as_of", "all")]["detail"] == "2027-04-01"
assert [r["detail"] for r in j if r["metric"] == "comment"] == ["=HYPERLINK(\"x\")", "Great mentor", "Too busy"]
PY' "json does not match the csv"

# ---- table: sections for people ----
expect 0 report fx
out_has "fx: Fixture & Co <Mentoring>, report as of 2027-04-01"
out_has "== Goals =="
out_has "== Funnel =="
out_has "== Check-ins =="
out_has "== Cycles and closures =="
out_has "== Feedback"
out_has "== Retention =="
out_has "57.1%"
out_has "8 of 14 due"
out_has "fewer than 3 responses"
out_has "past due"

# ---- confidentiality: notes and topics never appear ----
for f in table csv json html; do
	expect 0 --format $f report fx
	out_lacks "SECRET-NOTE"
	out_lacks "SECRET-TOPIC"
done
expect 0 --format csv report fx --as-of 2027-02-01
out_lacks "SECRET-NOTE"

# ---- --out: written whole, to a file; cannot create -> 73 ----
expect 0 --format csv report fx --out "$T/out.csv"
check '[ -z "$OUT" ]' "--out also wrote to stdout"
check 'cmp -s "$T/out.csv" "$T/today.csv"' "--out differs from stdout"
err_has "wrote the report of 'fx'"
check '[ -z "$(ls "$T" | grep "out.csv.tmp")" ]' "a temporary file was left behind"
expect 73 --format csv report fx --out "$T/no/such/dir/r.csv"
err_lines 1
check '[ ! -e "$T/no" ]' "a failed --out created something"

# ---- errors: one line each, right exit status ----
expect 65 report nosuch
err_has "nosuch"
err_lines 1
expect 65 report fx --as-of 2027-02-30
err_has "2027-02-30"
err_lines 1
expect 65 report fx --as-of 2027-05-01
err_has "after today"
expect 64 --format xml report fx
err_has "xml"
err_lines 1
expect 64 report
expect 64 report fx --bogus
expect 66 --db "$T/none.db" report fx

# a full disk: one error line, 74
if [ -w /dev/full ]; then
	for f in table csv json html; do
		"$MENTORCTL" --format $f report fx >/dev/full 2>"$T/.err"
		rc=$?
		check '[ "$rc" -eq 74 ]' "report --format $f to a full disk exited $rc"
		err_lines 1
	done
fi

# a report changes nothing
before=$(db_dump)
expect 0 report fx
check '[ "$(db_dump)" = "$before" ]' "report changed the database"

# an empty programme reports n/a, never NaN
cat >"$T/empty.yaml" <<'YAML'
slug: empty
name: Empty
purpose: engagement
format: one-to-one
YAML
expect 0 program add "$T/empty.yaml"
for f in table csv json html; do
	expect 0 --format $f report empty
	out_lacks "nan"
	out_lacks "NaN"
	out_lacks "inf"
done
expect 0 --format csv report empty
out_has "matching,match_rate,all,,,n/a,,0 of 0 eligible mentees"
out_has "checkins,checkin_adherence,all,,,n/a"
out_has "feedback,satisfaction,all,,,hidden"
expect 0 --format json report empty
check 'printf "%s" "$OUT" | python3 -c "import json,sys; json.load(sys.stdin)"' "empty json does not parse"

done_testing
