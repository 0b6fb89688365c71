#!/bin/sh
# pairings --waitlist: the mentees waiting for a mentor, walked through the
# calendar: enrolled on different days, a `priority` attribute first, then
# the earliest enrollment; a proposal takes a mentee off the list, and when
# it expires the mentee is back, with its waiting days counted from
# enrollment; compare: waited puts long-waiting mentees first on re-runs.
. "$TOP/tests/cli/lib.sh"

cat >"$T/p.yaml" <<'YAML'
slug: w-2027
name: Waiting
purpose: engagement
format: one-to-one
owner: People
contact: coord@ex.org
roles: { mentor: { capacity: 1 } }
matching:
  consent: both
  respond_within: 7 days
  criteria:
    - { compare: waited, days: 60 }
YAML
cat >"$T/people.csv" <<'EOF'
email,name,department,priority
m1@ex.org,Mentor One,Eng,
e1@ex.org,Early Bird,Ops,
e2@ex.org,Second,Ops,
e3@ex.org,Priority Case,Sales,5
e4@ex.org,Late,Ops,
EOF
expect 0 init
expect 0 program add "$T/p.yaml"
expect 0 people import "$T/people.csv"
expect 0 enroll w-2027 m1@ex.org --role mentor
export MENTORCTL_TODAY=2027-01-04
expect 0 enroll w-2027 e1@ex.org --role mentee
export MENTORCTL_TODAY=2027-01-18
expect 0 enroll w-2027 e2@ex.org --role mentee
expect 0 enroll w-2027 e3@ex.org --role mentee
export MENTORCTL_TODAY=2027-02-01
expect 0 enroll w-2027 e4@ex.org --role mentee

expect 0 --format csv pairings w-2027 --waitlist
out_is "$(printf 'position,mentee_email,mentee_name,mentee_department,enrolled_on,waited_days,priority,pairings_before\r
1,e3@ex.org,Priority Case,Sales,2027-01-18,14,5.00,0\r
2,e1@ex.org,Early Bird,Ops,2027-01-04,28,,0\r
3,e2@ex.org,Second,Ops,2027-01-18,14,,0\r
4,e4@ex.org,Late,Ops,2027-02-01,0,,0\r')"
# One place: waited decides, the longest wait wins (28 of 60 days).
expect 0 --format csv match w-2027
out_has "e1@ex.org,m1@ex.org,46.67,"
expect 0 --format csv pairings w-2027 --waitlist
out_lacks "e1@ex.org"
check '[ "$(printf "%s\n" "$OUT" | wc -l)" -eq 4 ]' "three mentees should wait"
# Two weeks on the proposal has expired: e1 waits again, with one pairing behind.
export MENTORCTL_TODAY=2027-02-15
expect 0 --format csv pairings w-2027 --waitlist
out_has "2,e1@ex.org,Early Bird,Ops,2027-01-04,42,,1"
expect 0 --format csv match w-2027
# e1 may not have m1 again; e2 and e3 waited 28 days, e2 comes first by e-mail.
out_has "e2@ex.org,m1@ex.org,46.67,"
expect 64 pairings w-2027 --waitlist --status active
err_lines 1

done_testing
