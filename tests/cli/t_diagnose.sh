#!/bin/sh
# diagnose: every check triggered by a fixture, with its standard, severity
# and the people or pairings concerned; nothing flagged that is fine; a
# healthy programme has no findings; findings still exit 0.
#
#   bare   only the required keys, nobody enrolled: no-goals, no-contact,
#          no-checkins, no-mentors, no-mentees, role-no-criteria, no-cycle
#   dx     today 2027-03-01, weekly check-ins, mentors need mentor-basics:
#          goal-no-metric (g1), goal-no-target (g2), goal-no-due (g1, g2... g3),
#          no-prompts, no-reup-window, role-no-criteria (mentee),
#          capacity-short (2 mentors x 1 for 5 mentees),
#          mentees-waiting (e5, eligible since 01-05, never proposed),
#          (built through the CLI, day by day; pair --force pairs mentors
#          before their training)
#          1 m1-e1 active 01-04, met 01-05 only: stalled; m1 trained 01-10: trained-late
#          5 m2-e2 active 02-01, never met: no-first-meeting; m2 untrained: trained-late
#          6 m1-e3 proposed 02-01, unanswered past 10 days: proposal-pending
#          3 m2-e4 ended 02-10 "left", without feedback: ending-no-feedback
#          2 m2-e3 ended 01-20 "completed", with feedback: not flagged
#          (an ending without a reason cannot be made through the CLI any
#          more: test_diagnose.c covers ending-no-reason)
#   good   a healthy programme: no findings (its pairing is number 4)
. "$TOP/tests/cli/lib.sh"
export MENTORCTL_TODAY=2027-03-01

cat >"$T/bare.yaml" <<'YAML'
slug: bare
name: Bare
purpose: engagement
format: one-to-one
YAML
cat >"$T/dx.yaml" <<'YAML'
slug: dx
name: Diagnosed
purpose: engagement
format: one-to-one
contact: coord@example.org
goals:
  - { id: g1, statement: People like it }
  - { id: g2, statement: Match many, metric: match_rate, due: 2027-06-30 }
  - { id: g3, statement: Keep mentees, metric: retention, target: 0.9 }
roles:
  mentor:
    capacity: 1
    eligibility: { trainings: [mentor-basics] }
cycle:
  start: 2027-01-04
  length: 12 weeks
checkins:
  every: 1 week
  stalled_after: 2 missed
YAML
cat >"$T/good.yaml" <<'YAML'
slug: good
name: Good
purpose: engagement
format: one-to-one
contact: coord@example.org
goals:
  - { id: g, statement: Match everyone, metric: match_rate, target: 1, due: 2027-06-30 }
roles:
  mentor:
    capacity: 1
    eligibility: { trainings: [mentor-basics] }
  mentee:
    eligibility: { min_tenure_years: 0.5 }
cycle:
  start: 2027-01-04
  length: 12 weeks
  reup: { opens: 14 days before end, closes: 7 days before end }
checkins:
  every: 2 weeks
  prompts: [Hello]
YAML
# at DAY ARGS...: mentorctl --today DAY ARGS..., which must succeed.
at() {
	day=$1
	shift
	expect 0 --today "$day" "$@"
}
at 2027-01-02 init
at 2027-01-02 program add "$T/bare.yaml"
at 2027-01-02 program add "$T/dx.yaml"
at 2027-01-02 program add "$T/good.yaml"
cat >"$T/dx.csv" <<'CSV'
email,name,role,capacity,hired_on
m1@example.org,M1,mentor,2,2020-01-01
m2@example.org,M2,mentor,2,2020-01-01
e1@example.org,E1,mentee,,2020-01-01
e2@example.org,E2,mentee,,2020-01-01
e3@example.org,E3,mentee,,2020-01-01
e4@example.org,E4,mentee,,2020-01-01
CSV
at 2027-01-02 enroll dx --csv "$T/dx.csv"
at 2027-01-03 pair dx m1@example.org e1@example.org --force
at 2027-01-04 cycle start dx
at 2027-01-04 accept 1
at 2027-01-04 pair dx m2@example.org e3@example.org --force
printf 'email,name,role,hired_on\ne5@example.org,E5,mentee,2020-01-01\n' >"$T/e5.csv"
at 2027-01-04 enroll dx --csv "$T/e5.csv"
at 2027-01-05 accept 2
at 2027-01-05 checkin 1 --on 2027-01-05 --notes SECRET-NOTE
at 2027-01-09 pair dx m2@example.org e4@example.org --force
at 2027-01-10 accept 3
at 2027-01-10 training add m1@example.org mentor-basics
at 2027-01-12 checkin 2 --on 2027-01-12
at 2027-01-20 end 2 --reason completed
at 2027-01-21 feedback 2 --by e3@example.org --rating 4
cat >"$T/good.csv" <<'CSV'
email,name,role,hired_on
g1@example.org,G1,mentor,2020-01-01
g2@example.org,G2,mentee,2020-01-01
CSV
# good: a proposal made before dx's last one, so that its expiry sweep
# leaves that one pending
at 2027-01-20 enroll good --csv "$T/good.csv"
at 2027-01-20 training add g1@example.org mentor-basics --on 2026-12-01
at 2027-01-20 cycle start good --on 2027-01-04
at 2027-01-25 pair good g1@example.org g2@example.org
at 2027-01-26 accept 4
at 2027-02-08 checkin 4 --on 2027-02-08
at 2027-02-22 checkin 4 --on 2027-02-22
at 2027-01-31 pair dx m2@example.org e2@example.org --force
at 2027-02-01 accept 5
at 2027-02-01 pair dx m1@example.org e3@example.org
at 2027-02-10 end 3 --reason "left"

# find CHECK FIELD: one finding's field from the last csv ("" when absent).
find() {
	printf '%s\n' "$OUT" | python3 -c '
import csv, sys
for r in csv.DictReader(sys.stdin):
    if r["check"] == sys.argv[1]:
        print(r[sys.argv[2]])' "$1" "$2"
}
# finding CHECK STANDARD SEVERITY [SUBJECT...]: present, classified, naming them.
finding() {
	c=$1 std=$2 sev=$3
	shift 3
	CHECKS=$((CHECKS + 1))
	got=$(find "$c" standard)/$(find "$c" severity)
	[ "$got" = "$std/$sev" ] || fail "$c: got '$got', want '$std/$sev'"
	subj=$(find "$c" subjects)
	for s in "$@"; do
		CHECKS=$((CHECKS + 1))
		case "$subj" in
		*"$s"*) ;;
		*) fail "$c: subjects '$subj' lack '$s'" ;;
		esac
	done
	CHECKS=$((CHECKS + 1))
	[ -n "$(find "$c" action)" ] || fail "$c: no action"
}
absent() {
	CHECKS=$((CHECKS + 1))
	[ -z "$(find "$1" standard)" ] || fail "$1 found where it should not be"
}

# ---- bare ----
expect 0 --format csv diagnose bare
check 'printf "%s\n" "$OUT" | head -n 1 | grep -q "^standard,severity,finding,subjects,action,check"' "csv columns"
finding no-goals readiness problem
finding no-contact readiness problem
finding no-checkins support problem
finding no-mentors recruitment problem
finding no-mentees recruitment problem
finding role-no-criteria screening warning mentor mentee
finding no-cycle closure warning
absent capacity-short
absent no-prompts
absent no-reup-window

# ---- dx ----
expect 0 --format csv diagnose dx
finding goal-no-metric readiness warning "goal g1"
finding goal-no-target readiness warning "goal g2"
finding goal-no-due readiness warning "goal g1" "goal g3"
finding mentees-waiting opportunity warning e5@example.org
finding no-prompts support warning
finding capacity-short recruitment problem
finding role-no-criteria screening warning mentee
finding trained-late training problem "m1@example.org (pairing 1): mentor-basics completed 2027-01-10" "m2@example.org (pairing 5): mentor-basics missing"
finding proposal-pending "matching and initiating" warning "pairing 6 (m1@example.org, e3@example.org)"
finding no-first-meeting "matching and initiating" problem "pairing 5 (m2@example.org, e2@example.org)"
finding stalled "monitoring and support" warning "pairing 1 (m1@example.org, e1@example.org)"
finding no-reup-window closure info
absent ending-no-reason
finding ending-no-feedback closure info "pairing 3 (m2@example.org, e4@example.org)"
absent no-goals
absent no-contact
absent no-checkins
absent no-cycle
absent no-mentors
out_has "finding"
# nothing flagged that is fine
check '[ "$(find role-no-criteria subjects)" = "mentee" ]' "the mentor role has criteria"
check '[ "$(find goal-no-metric subjects)" = "goal g1" ]' "goals with a metric flagged"
# its advice lists every metric this format's report computes, and no flash one
check '[ "$(find goal-no-metric action)" = "give each goal a metric the report computes (match_rate, days_to_match, days_to_first_meeting, checkin_adherence, stalled_rate, reup_rate, early_closure_rate, satisfaction, retention)" ]' \
	"goal-no-metric advice: $(find goal-no-metric action)"
check '[ "$(find goal-no-target subjects)" = "goal g2" ]' "g3 has a target"
check '[ "$(find mentees-waiting subjects)" = "e5@example.org" ]' "matched or proposed mentees flagged as waiting"
check '[ "$(find stalled subjects | grep -c "pairing 5")" -eq 0 ]' "a never-met pair listed as stalled too"
check '[ "$(find ending-no-feedback subjects | grep -c "pairing 2")" -eq 0 ]' "an ending with feedback flagged"
check '[ "$(find trained-late subjects | grep -c "e1@example.org")" -eq 0 ]' "a mentee flagged for training the role does not require"
out_lacks "SECRET-NOTE"
# ordered by standard, as the table groups them
check 'printf "%s\n" "$OUT" | python3 -c "
import csv, sys
order = [\"readiness\", \"opportunity\", \"support\", \"recruitment\", \"screening\",
         \"training\", \"matching and initiating\", \"monitoring and support\", \"closure\"]
s = [order.index(r[\"standard\"]) for r in csv.DictReader(sys.stdin)]
assert s == sorted(s), s
"' "findings not ordered by standard"

# json: the same findings, keys as the csv header
expect 0 --format json diagnose dx
check 'printf "%s" "$OUT" | python3 -c "
import json, sys
d = json.load(sys.stdin)
assert list(d[0].keys())[:5] == [\"standard\", \"severity\", \"finding\", \"subjects\", \"action\"]
assert len(d) == 14, len(d)
assert any(r[\"check\"] == \"capacity\" and \"1 more mentor place would match\" in r[\"finding\"] for r in d), \"no capacity finding\"
assert {r[\"check\"] for r in d} >= {\"stalled\", \"trained-late\", \"no-first-meeting\"}
"' "json findings"

# table: grouped by standard, subjects and actions, a summary
expect 0 diagnose dx
out_has "dx: diagnosis as of 2027-03-01"
out_has "== readiness =="
out_has "== matching and initiating =="
out_has "== monitoring and support =="
out_has "== closure =="
out_has "pairing 1 (m1@example.org, e1@example.org)"
out_has "3 problems, 9 warnings, 2 info"
out_lacks "SECRET-NOTE"

# ---- good: nothing to say ----
expect 0 diagnose good
out_has "no findings"
expect 0 --format csv diagnose good
check '[ "$(printf "%s\n" "$OUT" | wc -l)" -eq 1 ]' "a healthy programme has findings: $OUT"
expect 0 --format json diagnose good
out_is "[]"

# ---- errors ----
expect 65 diagnose nosuch
err_lines 1
expect 64 --format html diagnose dx
expect 64 diagnose
if [ -w /dev/full ]; then
	for f in table csv json; do
		"$MENTORCTL" --format $f diagnose dx >/dev/full 2>"$T/.err"
		rc=$?
		check '[ "$rc" -eq 74 ]' "diagnose --format $f to a full disk exited $rc"
		err_lines 1
	done
fi
before=$(db_dump)
expect 0 diagnose dx
check '[ "$(db_dump)" = "$before" ]' "diagnose changed the database"

done_testing
