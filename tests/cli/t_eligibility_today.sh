#!/bin/sh
# Eligibility as of today (issue 12 item 7): walk a programme through its
# calendar with --today.  A mentor who reaches the tenure minimum and a
# mentee whose training date arrives join the pool on that day without
# anyone touching them: scores, match, suggest, listings and people show
# see them; going back in time puts them back to pending.
. "$TOP/tests/cli/lib.sh"

cat >"$T/p.yaml" <<'YAML'
slug: today-2027
name: Eligibility Today
purpose: knowledge-transfer
format: one-to-one
owner: People
contact: coord@ex.org
roles:
  mentor:
    capacity: 1
    eligibility: { min_tenure_years: 3 }
  mentee:
    eligibility: { trainings: [mentee-orientation] }
matching:
  consent: both
  respond_within: 10 days
  objective: coverage
  min_score: 0
  criteria:
    - { attribute: department, compare: different, weight: 2 }
YAML
cat >"$T/people.csv" <<'EOF'
email,name,department,level,hired_on
soon@ex.org,Soon Senior,Eng,5,2024-02-01
old@ex.org,Old Hand,Ops,6,2010-01-04
new@ex.org,New Joiner,Sales,1,2026-06-01
EOF
expect 0 init
expect 0 program add "$T/p.yaml"
expect 0 people import "$T/people.csv"
expect 0 enroll today-2027 soon@ex.org --role mentor
err_has "as mentor: pending (tenure 2.9 < 3 years)"
# The orientation is booked for 2027-01-20: recorded now, dated then.
expect 0 training add new@ex.org mentee-orientation --on 2027-01-20
expect 0 enroll today-2027 new@ex.org --role mentee
err_has "as mentee: pending (training mentee-orientation not completed until 2027-01-20)"

# Day 1 (2027-01-04): nobody is in the pool.
expect 0 --format csv scores today-2027
check '[ "$(printf "%s\n" "$OUT" | tr -d "\r" | wc -l)" -eq 1 ]' "scores before anyone qualifies: $OUT"
expect 0 --format csv people list --program today-2027 --status pending
check '[ "$(printf "%s\n" "$OUT" | tr -d "\r" | tail -n +2 | wc -l)" -eq 2 ]' "not two pending on day 1"

# 2027-01-20: the training date arrives; the mentee is eligible with no
# command run on her, and the listing says so.
export MENTORCTL_TODAY=2027-01-20
expect 0 --format csv people list --program today-2027 --status pending
out_lacks "new@ex.org"
out_has "soon@ex.org"
expect 0 --format csv people list --program today-2027 --status eligible
out_has "new@ex.org,New Joiner,Sales,,1,2026-06-01,,,,mentee,eligible,"
check '[ "$(q "select eligible_on from enrollment e join person p on p.id = e.person_id where p.email = '"'new@ex.org'"'")" = 2027-01-20 ]' \
	"eligible_on is not the day the training date arrived"
check '[ "$(q "select count(*) from audit where entity = '"'enrollment'"' and action = '"'eligible'"'")" -eq 1 ]' \
	"no audit row for the enrollment that became eligible"
# Still no mentor: scores has nobody to pair her with.
expect 0 --format csv scores today-2027
out_lacks "new@ex.org"

# 2027-02-01: the mentor reaches three years: in scores and suggest.
export MENTORCTL_TODAY=2027-02-01
expect 0 --format csv scores today-2027
out_has "new@ex.org,soon@ex.org,"
expect 0 --format csv suggest today-2027 new@ex.org
out_has "new@ex.org,soon@ex.org,"
expect 0 --format json people show soon@ex.org
out_has '"role":"mentor","status":"eligible","reason":null'

# Back in time (a what-if with --today 2027-01-10): neither qualified yet.
expect 0 --today 2027-01-10 --format csv people list --program today-2027 --status pending
out_has "soon@ex.org"
out_has "new@ex.org"
expect 0 --today 2027-01-10 --format csv scores today-2027
out_lacks "soon@ex.org"

# And forward again: match proposes the pair.
expect 0 --format csv match today-2027
out_has "new@ex.org,soon@ex.org,"
expect 0 --format csv pairings today-2027
out_has ",soon@ex.org,new@ex.org,proposed,"

done_testing
