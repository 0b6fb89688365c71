#!/bin/sh
# Capacity planning from the matching itself: when mentees stay unmatched,
# match says how many more mentor places would match them and what those
# mentors must be like; following the advice matches them, and one place
# fewer leaves one out (the count is exact).  A mentee no mentor can ever
# fit is named; group circles that departments cannot fill are named.
. "$TOP/tests/cli/lib.sh"

cat >"$T/p.yaml" <<'YAML'
slug: cap-2027
name: Capacity
purpose: knowledge-transfer
format: one-to-one
owner: People
contact: coord@ex.org
roles: { mentor: { capacity: 2 } }
matching:
  consent: both
  min_score: 10
  exclude: [same_department]
  criteria:
    - { attribute: level, compare: mentor_above, min_gap: 1, weight: 2, required: true }
    - { attribute: languages, compare: overlap, weight: 1 }
YAML
# R&D mentees may only have mentors outside R&D, above their level 2; the
# two Sales mentors (4 places) are wanted by them and by the Ops mentees.
{
	echo "email,name,department,level,languages"
	echo "r1@ex.org,R&D Lead One,R&D,6,en"
	echo "r2@ex.org,R&D Lead Two,R&D,6,en"
	echo "s1@ex.org,Sales Lead One,Sales,5,en"
	echo "s2@ex.org,Sales Lead Two,Sales,5,en"
	for i in 1 2 3 4 5 6; do echo "d$i@ex.org,Dev $i,R&D,2,en"; done
	echo "o1@ex.org,Ops One,Ops,2,en"
	echo "o2@ex.org,Ops Two,Ops,2,en"
	echo "u1@ex.org,Unknown Level,Ops,,en"
	echo "n1@ex.org,New Lead,Legal,4,fr"
	echo "n2@ex.org,Other Lead,Legal,3,en"
} >"$T/people.csv"
expect 0 init
expect 0 program add "$T/p.yaml"
expect 0 people import "$T/people.csv"
for m in r1 r2 s1 s2; do expect 0 enroll cap-2027 $m@ex.org --role mentor; done
for e in d1 d2 d3 d4 d5 d6 o1 o2 u1; do expect 0 enroll cap-2027 $e@ex.org --role mentee; done

expect 0 --format csv match cap-2027 --dry-run
err_has "would propose 6 pairings (3 mentees unmatched;"
err_has "capacity: 2 more mentor places would match 2 of the 3 mentees left without a mentor:"
err_has "  2 for mentors: outside R&D, level at least 3, scoring at least 10 (mentors who fit are full now)"
err_has "  no mentor can ever match u1@ex.org: outside Ops, nobody (the mentee's level is unknown), scoring at least 10 (fix the data)"
# Every R&D mentee went to Sales; the Ops mentees to R&D.
check '[ "$(printf "%s\n" "$OUT" | grep -c "^d[0-9]@ex.org,s[12]@ex.org,")" -eq 4 ]' "R&D mentees not with Sales"

# One place fewer than advised: one mentee still waits (the count is exact).
expect 0 enroll cap-2027 n1@ex.org --role mentor --capacity 1
expect 0 --format csv match cap-2027 --dry-run
err_has "(2 mentees unmatched;"
err_has "capacity: 1 more mentor place would match 1 of the 2 mentees left without a mentor:"
# The advice followed: a second place for a mentor outside R&D, level >= 3.
expect 0 enroll cap-2027 n2@ex.org --role mentor --capacity 1
expect 0 --format csv match cap-2027
err_has "proposed 8 pairings (1 mentee unmatched;"
check '[ "$(printf "%s\n" "$OUT" | grep -c "^d[0-9]@ex.org,")" -eq 6 ]' "the advice did not match every R&D mentee"
# The advice does not change on a re-run when nothing changed.
expect 0 --format csv match cap-2027
err_has "proposed 0 pairings (1 mentee unmatched;"
err_has "  no mentor can ever match u1@ex.org"
err_lacks "more mentor places"

# ---- a mentee's own capacity: two mentors at once, never the same twice ----
expect 0 enroll cap-2027 s1@ex.org --role mentor --capacity 4
expect 0 enroll cap-2027 n2@ex.org --role mentee --capacity 2
err_lines 1
expect 0 --format csv match cap-2027
out_has "n2@ex.org,"
check '[ "$(printf "%s\n" "$OUT" | grep -c "^n2@ex.org,")" -eq 2 ]' "n2 did not get two mentors"
check '[ "$(printf "%s\n" "$OUT" | grep "^n2@ex.org," | cut -d, -f2 | sort -u | wc -l)" -eq 2 ]' \
	"n2 got one mentor twice"

# A mentee's explicit 1 stands when the programme gives two (it once was
# stored as "the programme's default").
sed -e 's/^slug: cap-2027/slug: two-2027/' -e 's/^roles: { mentor: { capacity: 2 } }/roles: { mentor: { capacity: 3 }, mentee: { capacity: 2 } }/' \
	-e 's/exclude: \[same_department\]/exclude: []/' "$T/p.yaml" >"$T/two.yaml"
expect 0 program add "$T/two.yaml"
for m in r1 r2 s1; do expect 0 enroll two-2027 $m@ex.org --role mentor; done
expect 0 enroll two-2027 d1@ex.org --role mentee --capacity 1
expect 0 enroll two-2027 d2@ex.org --role mentee
expect 0 --format csv match two-2027 --dry-run
check '[ "$(printf "%s\n" "$OUT" | grep -c "^d1@ex.org,")" -eq 1 ]' "d1 asked for one mentor"
check '[ "$(printf "%s\n" "$OUT" | grep -c "^d2@ex.org,")" -eq 2 ]' "d2 should have the programme's two"

# ---- groups: departments that cannot fill circles ----
cat >"$T/g.yaml" <<'YAML'
slug: circles-2027
name: Circles
purpose: leadership
format: group
owner: People
contact: coord@ex.org
roles: { mentor: { capacity: 4 } }
group: { department_diversity: true }
matching: { consent: none, min_score: 0 }
YAML
expect 0 program add "$T/g.yaml"
expect 0 enroll circles-2027 r1@ex.org --role mentor
for e in d1 d2 d3 o1 o2; do expect 0 enroll circles-2027 $e@ex.org --role mentee; done
# one group at a time in a group programme
expect 65 enroll circles-2027 o1@ex.org --role mentee --capacity 2
err_has "a mentee of a group programme has one group at a time: capacity must be 1, not 2"
err_lines 1
expect 0 --format csv match circles-2027
err_has "proposed 2 pairings (3 mentees unmatched;"
err_has "capacity: 2 new circles of 4 would take the 3 mentees left without a group"
err_has "capacity: the mentees span 2 departments; circles of 4 cannot be filled (at most 1 per department: 2 per circle)"

done_testing
