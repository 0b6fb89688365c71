#!/bin/sh
# report: feedback k-anonymity.  No count, average, rating or comment drawn
# from fewer than 3 responses, for the programme and for every group (about,
# role, department, cycle); and no group given away by subtracting the shown
# ones from the total (complementary suppression).
. "$TOP/tests/cli/lib.sh"
export MENTORCTL_TODAY=2027-03-01

cat >"$T/k.yaml" <<'YAML'
slug: k
name: K
purpose: engagement
format: one-to-one
YAML
expect 0 init
expect 0 program add "$T/k.yaml"
cat >"$T/people.csv" <<'CSV'
email,name,department,role
a1@example.org,A1,A,mentee
a2@example.org,A2,A,mentee
a3@example.org,A3,A,mentee
b1@example.org,B1,B,mentee
b2@example.org,B2,B,mentee
b3@example.org,B3,B,mentee
c1@example.org,C1,C,mentee
c2@example.org,C2,C,mentee
CSV
expect 0 --today 2027-01-02 enroll k --csv "$T/people.csv"

# value SECTION METRIC GROUP: the value cell of that row of the last csv
# ("fewer than 3 responses" when it is empty with status hidden).
value() {
	printf '%s\n' "$OUT" | python3 -c '
import csv, sys
for r in csv.DictReader(sys.stdin):
    if (r["section"], r["metric"], r["group"]) == tuple(sys.argv[1:4]):
        print("fewer than 3 responses" if r["status"] == "hidden" and
              r["value"] == "" else r["value"])' "$1" "$2" "$3"
}
# is SECTION METRIC GROUP WANT
is() {
	CHECKS=$((CHECKS + 1))
	got=$(value "$1" "$2" "$3")
	[ "$got" = "$4" ] || fail "$1 $2 $3: got '$got', want '$4'"
}
H="fewer than 3 responses"

fb() { # day email rating comment
	expect 0 --today "$1" feedback --program k --by "$2" --rating "$3" --comment "$4"
}

# two responses: nothing about them shows
fb 2027-02-01 a1@example.org 5 "alpha comment"
fb 2027-02-02 a2@example.org 4 "beta comment"
expect 0 --format csv report k
is feedback responses all "$H"
is feedback satisfaction all "$H"
is feedback ratings all "$H"
is feedback comments all "$H"
out_lacks "alpha comment"
out_lacks "beta comment"
out_lacks "average_rating,department=A"
expect 0 report k
out_lacks "alpha comment"
expect 0 --format html report k
out_lacks "alpha comment"
out_has "Ratings are not shown: fewer than 3 responses"

# the third: the programme and its only department show
fb 2027-02-03 a3@example.org 3 "gamma comment"
expect 0 --format csv report k
is feedback responses all 3
is feedback satisfaction all 4
is feedback responses department=A 3
is feedback average_rating department=A 4
is feedback average_rating role=mentee 4
is feedback average_rating about=programme 4
is feedback ratings rating=5 1
is feedback ratings rating=1 0
out_has "alpha comment"
out_has "gamma comment"
# ... but not as of the day before it
expect 0 --format csv report k --as-of 2027-02-02
is feedback satisfaction all "$H"
out_lacks "alpha comment"

# a department with one response hides, and takes the other with it: the
# total minus department A would give department B's rating away
fb 2027-02-04 b1@example.org 1 "delta comment"
expect 0 --format csv report k
is feedback responses all 4
is feedback satisfaction all 3.25
is feedback responses department=B "$H"
is feedback average_rating department=B "$H"
is feedback average_rating department=A "$H"
is feedback responses department=A "$H"

# two in B still hide, and still take A along (2 hidden responses)
fb 2027-02-05 b2@example.org 2 ""
expect 0 --format csv report k
is feedback average_rating department=B "$H"
is feedback average_rating department=A "$H"
is feedback satisfaction all 3

# with C at 2 as well, B and C hide together (4 responses): A shows again
fb 2027-02-06 c1@example.org 5 ""
fb 2027-02-07 c2@example.org 5 ""
expect 0 --format csv report k
is feedback average_rating department=A 4
is feedback responses department=A 3
is feedback average_rating department=B "$H"
is feedback average_rating department=C "$H"

# B reaches 3: it shows; C (2) alone would be given away, so one 3-group hides too
fb 2027-02-08 b3@example.org 3 ""
expect 0 --format csv report k
is feedback average_rating department=B 2
is feedback average_rating department=C "$H"
is feedback average_rating department=A "$H"
is feedback responses all 8

# giving feedback again replaces it: still 8 responses, new mean
expect 0 --today 2027-02-09 feedback --program k --by b3@example.org --rating 5
err_has "replaced"
expect 0 --format csv report k
is feedback responses all 8
is feedback average_rating department=B 2.6667

# groups by cycle: without cycles every response is in "cycle=(none)", a
# single group, so it shows
is feedback average_rating "cycle=(none)" 3.75

# the html never shows a hidden group's average either
expect 0 --format html report k
out_has "<td>department=C</td>"
check '[ "$(grep -c "<td>department=C</td><td>fewer than 3 responses</td>" "$T/.out")" -eq 2 ]' "html shows a hidden group's figure"

done_testing
