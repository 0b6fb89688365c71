#!/bin/sh
# Lowering a mentor's capacity below the pairings open (issue 12 item 16):
# a warning naming the mentor, the pairings kept, no new proposals until
# fewer are open; the enrollment's and the programme's capacity share one
# limit.
. "$TOP/tests/cli/lib.sh"

cat >"$T/p.yaml" <<'YAML'
slug: cap-2027
name: Capacity
purpose: knowledge-transfer
format: one-to-one
owner: People
contact: coord@ex.org
roles:
  mentor:
    capacity: 3
matching:
  consent: both
  respond_within: 10 days
  objective: coverage
  min_score: 0
  criteria:
    - { attribute: department, compare: different, weight: 2 }
YAML
expect 0 init
expect 0 program add "$T/p.yaml"
cat >"$T/people.csv" <<'EOF'
email,name,department
m1@ex.org,Mentor One,Eng
m2@ex.org,Mentor Two,Ops
e1@ex.org,Mentee One,Sales
e2@ex.org,Mentee Two,Sales
e3@ex.org,Mentee Three,Design
e4@ex.org,Mentee Four,Design
EOF
expect 0 people import "$T/people.csv"
cat >"$T/enroll.csv" <<'EOF'
email,role
m1@ex.org,mentor
m2@ex.org,mentor
e1@ex.org,mentee
e2@ex.org,mentee
e3@ex.org,mentee
e4@ex.org,mentee
EOF
expect 0 enroll cap-2027 --csv "$T/enroll.csv"
P1=$(active_pairing cap-2027 m1@ex.org e1@ex.org)
P2=$(active_pairing cap-2027 m1@ex.org e2@ex.org)
P3=$(pairing_of cap-2027 m1@ex.org e3@ex.org)
check '[ -n "$P1" ] && [ -n "$P2" ] && [ -n "$P3" ]' "pairings were not set up"

# One mentor, by hand: warned, nothing ended.
expect 0 enroll cap-2027 m1@ex.org --role mentor --capacity 1
err_has "updated the mentor enrollment of 'm1@ex.org' in 'cap-2027': active"
err_has "warning: mentor 'm1@ex.org' has 3 open pairings, more than the new capacity 1: they are kept, and no new one is proposed until fewer are open"
expect 0 --format csv pairings cap-2027
out_has "$P1,m1@ex.org,e1@ex.org,active,"
out_has "$P2,m1@ex.org,e2@ex.org,active,"
out_has "$P3,m1@ex.org,e3@ex.org,proposed,"
# No new proposal for m1; the other mentor takes e4.
expect 0 --format csv match cap-2027
out_lacks "m1@ex.org"
out_has "e4@ex.org,m2@ex.org,"
# A manual pair beyond the capacity is refused, --force or not.
expect 65 pair cap-2027 m1@ex.org e4@ex.org --force
err_has "has no place left"
# Raising it again: no warning.
expect 0 enroll cap-2027 m1@ex.org --role mentor --capacity 3
err_lacks "warning"

# The programme's default, lowered under mentors who use it: each named.
# m1 goes back to the default ('-' in an enrollment file clears a value).
printf 'email,role,capacity\nm1@ex.org,mentor,-\n' >"$T/default.csv"
expect 0 enroll cap-2027 --csv "$T/default.csv"
err_has "(0 new, 1 updated, 0 re-enrolled, 0 unchanged)"
err_lacks "warning"
sed 's/capacity: 3/capacity: 2/' "$T/p.yaml" >"$T/p2.yaml"
expect 0 program update "$T/p2.yaml"
err_has "updated programme 'cap-2027' to version 2"
err_has "warning: mentor 'm1@ex.org' has 3 open pairings, more than the capacity 2 now: they are kept, and no new one is proposed until fewer are open"
err_lacks "m2@ex.org"
expect 0 --format csv pairings cap-2027
out_has "$P1,m1@ex.org,e1@ex.org,active,"
out_has "$P3,m1@ex.org,e3@ex.org,proposed,"

# An enrollment file lowering a capacity: the same warning.
expect 0 program update "$T/p.yaml"
printf 'email,role,capacity\nm1@ex.org,mentor,2\nm2@ex.org,mentor,\n' >"$T/lower.csv"
expect 0 enroll cap-2027 --csv "$T/lower.csv"
err_has "warning: mentor 'm1@ex.org' has 3 open pairings, more than the new capacity 2"
err_lacks "m2@ex.org' has"

# One limit for both: 1000 mentees.
sed 's/capacity: 3/capacity: 1000/' "$T/p.yaml" >"$T/big.yaml"
expect 0 program check "$T/big.yaml"
sed 's/capacity: 3/capacity: 1001/' "$T/p.yaml" >"$T/huge.yaml"
expect 65 program check "$T/huge.yaml"
err_has "huge.yaml:"
expect 0 enroll cap-2027 m2@ex.org --role mentor --capacity 1000
expect 65 enroll cap-2027 m2@ex.org --role mentor --capacity 1001
err_has "option '--capacity' must be between 1 and 1000, not 1001"

done_testing
