#!/bin/sh
# The solver's extra levels, through match (issue 19 item 2, issue 16 item
# 5): with several mentors per mentee, roles.mentee.min gives everyone a
# first mentor before anyone a second; matching.balance spread gives more
# mentors one mentee rather than filling the top mentor.  Scores are set
# by the coordinator's bonuses (scores import) so that the plain optimum
# does the opposite.
. "$TOP/tests/cli/lib.sh"

# prog SLUG MENTEE_CAPACITY MIN BALANCE
prog() {
	cat >"$T/$1.yaml" <<YAML
slug: $1
name: Balance $1
purpose: engagement
format: one-to-one
owner: People
contact: coord@ex.org
roles:
  mentor: { capacity: 2 }
  mentee: { capacity: $2$3 }
matching:
  consent: none
  objective: coverage
  min_score: 0
  $4
  criteria:
    - { attribute: level, compare: mentor_above, min_gap: 0, weight: 1 }
YAML
}
expect 0 init
people_csv <<'CSV'
email,name,level
m1@ex.org,Mentor One,9
m2@ex.org,Mentor Two,9
e1@ex.org,Mentee One,1
e2@ex.org,Mentee Two,1
CSV

# bonus SLUG: m1 is worth 30 more than m2 to everyone.
bonus() {
	"$MENTORCTL" --format csv scores "$1" >"$T/s.csv"
	python3 - "$T/s.csv" "$T/b.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
out = csv.DictWriter(open(sys.argv[2], "w", newline=""), fieldnames=list(rows[0]))
out.writeheader()
for r in rows:
    r["bonus"] = "0" if r["mentor_email"] == "m1@ex.org" else "-30"
    out.writerow(r)
PY
	setup_ok scores import "$1" "$T/b.csv"
}

# spread: two mentees of one mentor each, not both with m1
prog plain 1 "" ""
prog spread 1 "" "balance: spread"
for s in plain spread; do
	setup_ok program add "$T/$s.yaml"
	for p in m1 m2; do setup_ok enroll $s $p@ex.org --role mentor; done
	for p in e1 e2; do setup_ok enroll $s $p@ex.org --role mentee; done
	bonus $s
done
expect 0 --format csv match plain --dry-run
check '[ "$(grep -c ",m1@ex.org," "$T/.out")" -eq 2 ]' "without spread, m1 (worth more) should take both: $OUT"
expect 0 --format csv match spread --dry-run
check '[ "$(grep -c ",m1@ex.org," "$T/.out")" -eq 1 ] && [ "$(grep -c ",m2@ex.org," "$T/.out")" -eq 1 ]' \
	"with balance spread each mentor should take one: $OUT"

# min: capacity 2 for mentees; m1 holds 1 place, m2 1 place: e1 would take
# both (bonus for e1), min 1 gives e2 its first instead.
prog nomin 2 "" ""
prog withmin 2 ", min: 1" ""
for s in nomin withmin; do
	setup_ok program add "$T/$s.yaml"
	for p in m1 m2; do setup_ok enroll $s $p@ex.org --role mentor --capacity 1; done
	for p in e1 e2; do setup_ok enroll $s $p@ex.org --role mentee --capacity 2; done
	"$MENTORCTL" --format csv scores $s >"$T/s.csv"
	python3 - "$T/s.csv" "$T/b.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
out = csv.DictWriter(open(sys.argv[2], "w", newline=""), fieldnames=list(rows[0]))
out.writeheader()
for r in rows:
    r["bonus"] = "0" if r["mentee_email"] == "e1@ex.org" else "-40"
    out.writerow(r)
PY
	setup_ok scores import $s "$T/b.csv"
done
expect 0 --format csv match nomin --dry-run
check '[ "$(grep -c "^e1@ex.org," "$T/.out")" -eq 2 ]' "without min, e1 (worth more) should take both mentors: $OUT"
expect 0 --format csv match withmin --dry-run
check '[ "$(grep -c "^e1@ex.org," "$T/.out")" -eq 1 ] && [ "$(grep -c "^e2@ex.org," "$T/.out")" -eq 1 ]' \
	"with min 1 each mentee should have a first mentor: $OUT"
done_testing
