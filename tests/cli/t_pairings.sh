#!/bin/sh
# pairings (issue 20, items 3 and 5): the partners' names and departments
# after the pinned columns, and each pairing's re-up answers of the open
# cycle as people answer over the window's days: one REUP cell in a table
# ("mentor yes, mentee -"), mentor_reup and mentee_reup (yes, no, new or
# null) in CSV and JSON; nothing before the window opens, nothing once the
# cycle is closed.
. "$TOP/tests/cli/lib.sh"

DASH=$(printf '\342\200\224')   # an em dash: no answer yet

# cell ID COLUMN: one cell of the last CSV output, by pairing id and header.
cell() {
	python3 - "$T/.out" "$1" "$2" <<'PY'
import csv, sys
with open(sys.argv[1], newline="", encoding="utf-8") as f:
    for r in csv.DictReader(f):
        if r["id"] == sys.argv[2]:
            print(r[sys.argv[3]])
PY
}
# row_has ID TEXT: the table row of pairing ID holds TEXT.
row_has() {
	CHECKS=$((CHECKS + 1))
	awk -v id="$1" '$1 == id' "$T/.out" | grep -qF -- "$2" || {
		fail "pairing $1's row lacks '$2'"
		sed 's/^/  | /' "$T/.out"
	}
}
# reup_is DAY ID MENTOR MENTEE: on DAY, pairing ID's re-up answers in CSV
# and JSON (an empty MENTOR or MENTEE: none).
reup_is() {
	_day=$1 _id=$2 _mentor=$3 _mentee=$4
	expect 0 --today "$_day" --format csv pairings eng-2027
	_got="$(cell "$_id" mentor_reup)/$(cell "$_id" mentee_reup)"
	check '[ "$_got" = "$_mentor/$_mentee" ]' \
		"$_day: pairing $_id re-up CSV '$_got', expected '$_mentor/$_mentee'"
	expect 0 --today "$_day" --format json pairings eng-2027
	check 'json_reup "$_id" "$_mentor" "$_mentee"' \
		"$_day: pairing $_id's JSON re-up answers"
}
# json_reup ID MENTOR MENTEE: the last JSON output's answers of pairing ID.
json_reup() {
	python3 - "$T/.out" "$1" "$2" "$3" <<'PY'
import json, sys
rows = {str(r["id"]): r for r in json.load(open(sys.argv[1], encoding="utf-8"))}
r = rows[sys.argv[2]]
sys.exit([r["mentor_reup"], r["mentee_reup"]] != [sys.argv[3] or None,
                                                  sys.argv[4] or None])
PY
}

expect 0 init
expect 0 program add "$DATA/programs/eng-2027.yaml"
people_csv <<'EOF'
email,name,department
ana@ex.org,Ana Lima,"R&D, Oslo"
bo@ex.org,Zoë Berg,Sales
cy@ex.org,Cy Ng,
dee@ex.org,Dee Ray,Ops
eve@ex.org,Eve Moe,Legal
EOF
printf 'email,role\nana@ex.org,mentor\nbo@ex.org,mentee\ncy@ex.org,mentor\ndee@ex.org,mentee\neve@ex.org,mentee\n' >"$T/e.csv"
expect 0 enroll eng-2027 --csv "$T/e.csv"
# 1 ana-bo and 2 cy-dee active from the cycle's start, 3 ana-eve left to expire.
P1=$(active_pairing eng-2027 ana@ex.org bo@ex.org --force)
P2=$(active_pairing eng-2027 cy@ex.org dee@ex.org --force)
P3=$(pairing_of eng-2027 ana@ex.org eve@ex.org --force)
check '[ "$P1" = 1 ] && [ "$P2" = 2 ] && [ "$P3" = 3 ]' "fixture ids $P1 $P2 $P3"

# Names and departments after the pinned columns, in every format.
expect 0 --format csv pairings eng-2027
check 'head -n1 "$T/.out" | tr -d "\r" | grep -q "^id,mentor_email,mentee_email,status,score,group_id,proposed_on,expires_on,activated_on,ended_on,end_reason,origin,mentor_accepted_on,mentee_accepted_on,declined_on,declined_by,decline_reason,mentor_name,mentor_department,mentee_name,mentee_department,mentor_reup,mentee_reup$"' \
	"pairings CSV header: $(head -n1 "$T/.out")"
out_has ',Ana Lima,"R&D, Oslo",Zoë Berg,Sales,,'
check '[ "$(cell 2 mentor_name)" = "Cy Ng" ] && [ -z "$(cell 2 mentor_department)" ] && [ "$(cell 3 mentee_department)" = Legal ]' \
	"names and departments of pairings 2 and 3"
expect 0 --format json pairings eng-2027
out_has '"mentor_name":"Ana Lima","mentor_department":"R&D, Oslo","mentee_name":"Zoë Berg","mentee_department":"Sales","mentor_reup":null,"mentee_reup":null}'
out_has '"mentor_name":"Cy Ng","mentor_department":null,"mentee_name":"Dee Ray"'
expect 0 pairings eng-2027
out_has "MENTOR_NAME  MENTOR_DEPARTMENT  MENTEE_NAME  MENTEE_DEPARTMENT  REUP"
out_lacks "MENTOR_REUP"
row_has 1 "Ana Lima     R&D, Oslo          Zoë Berg     Sales"
row_has 3 "Eve Moe      Legal"

# A department moves: the listing shows the person as they are now.
people_csv <<'EOF'
email,name,department
bo@ex.org,Zoë Berg,Marketing
EOF
expect 0 --format csv pairings eng-2027 --status active
check '[ "$(cell 1 mentee_department)" = Marketing ]' "bo's new department"

# Cycle 1 runs 2027-01-11 to 2027-07-10, its re-up window 2027-06-19 to
# 2027-07-03.  Before the window nothing is asked.
expect 0 --today 2027-01-11 cycle start eng-2027
expect 0 --today 2027-06-18 pairings eng-2027
row_has 1 "Marketing          -"
out_lacks "mentor $DASH"
reup_is 2027-06-18 1 "" ""

# The window opens: both active pairings await both answers; the expired
# proposal awaits nothing.
expect 0 --today 2027-06-19 pairings eng-2027
row_has 1 "mentor $DASH, mentee $DASH"
row_has 2 "mentor $DASH, mentee $DASH"
check '[ "$(awk '"'\$1 == 3'"' "$T/.out" | grep -c mentor)" -eq 0 ]' "the expired proposal has a re-up cell"
reup_is 2027-06-19 1 "" ""

# Answers arrive day by day and may change while the window is open.
expect 0 --today 2027-06-20 reup 1 --by ana@ex.org yes
expect 0 --today 2027-06-20 pairings eng-2027
row_has 1 "mentor yes, mentee $DASH"
row_has 2 "mentor $DASH, mentee $DASH"
reup_is 2027-06-20 1 yes ""
expect 0 --today 2027-06-22 reup 1 --by bo@ex.org no
expect 0 --today 2027-06-22 reup 2 --by dee@ex.org new
expect 0 --today 2027-06-22 pairings eng-2027
row_has 1 "mentor yes, mentee no"
row_has 2 "mentor $DASH, mentee new"
reup_is 2027-06-22 1 yes no
reup_is 2027-06-22 2 "" new
expect 0 --today 2027-06-25 reup 1 --by bo@ex.org yes
reup_is 2027-06-25 1 yes yes
expect 0 --today 2027-06-25 pairings eng-2027 --status active
row_has 1 "mentor yes, mentee yes"
# The listing never writes, and a day before an answer does not see it.
before=$(db_dump)
reup_is 2027-06-21 2 "" new
check '[ "$(db_dump)" = "$before" ]' "pairings changed the database"

# After the window, until the cycle closes, the answers stay in view.
reup_is 2027-07-04 1 yes yes
reup_is 2027-07-04 2 "" new
# Closed: pairing 1 continues into cycle 2, whose window is months away;
# pairing 2 ended.  Neither shows cycle 1's answers any more.
expect 0 --today 2027-07-05 cycle close eng-2027
expect 0 --today 2027-07-05 pairings eng-2027
out_lacks "mentor yes"
out_lacks "mentee new"
reup_is 2027-07-05 1 "" ""
reup_is 2027-07-05 2 "" ""
expect 0 --today 2027-07-05 --format csv pairings eng-2027
check '[ "$(cell 2 status)" = ended ] && [ "$(cell 1 status)" = active ]' \
	"after close: 1 $(cell 1 status), 2 $(cell 2 status)"
# The day cycle 2's window opens asks pairing 1 again, from scratch.
expect 0 --format csv cycle list eng-2027
W2=$(tr -d '\r' <"$T/.out" | awk -F, '$1 == 2 { print $4 }')
check '[ -n "$W2" ]' "no cycle 2 after pairing 1 continued"
expect 0 --today "$W2" pairings eng-2027
row_has 1 "mentor $DASH, mentee $DASH"

done_testing
