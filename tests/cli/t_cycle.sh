#!/bin/sh
# cycle start|close|list and reup: dates from the YAML, the re-up window,
# and the outcome of every answer combination under both defaults.
. "$TOP/tests/cli/lib.sh"

# pair PROGRAM MENTOR MENTEE DAY: an active pairing from DAY (joining the
# open cycle if any).
pair() {
	activate "$1" "$2" "$3" "$4"
}
q() { sqlite3 "$MENTORCTL_DB" "$1"; }

export MENTORCTL_TODAY=2027-01-04
expect 0 init
expect 0 program add "$DATA/programs/eng-2027.yaml"
sed -e 's/^slug: eng-2027/slug: eng-cont/' -e 's/default: exit/default: continue/' \
	"$DATA/programs/eng-2027.yaml" >"$T/cont.yaml"
expect 0 program add "$T/cont.yaml"

# The nine answer combinations, once per programme: pairing k of each
# programme is mentor mk with mentee tk.
combos="yes:yes yes:no no:yes no:no yes:none none:yes no:none none:no none:none"
{
	echo "email,name,role"
	k=1
	for c in $combos; do
		echo "m$k@example.org,Mentor $k,mentor"
		echo "t$k@example.org,Mentee $k,mentee"
		k=$((k + 1))
	done
} >"$T/enroll.csv"
expect 0 enroll eng-2027 --csv "$T/enroll.csv"
expect 0 enroll eng-cont --csv "$T/enroll.csv"

# Cycle 1 from the YAML's start; the active pairings join it.
for g in eng-2027 eng-cont; do
	k=1
	for c in $combos; do
		pair $g m$k@example.org t$k@example.org 2027-01-11 >/dev/null
		k=$((k + 1))
	done
done
expect 0 --today 2027-01-11 cycle start eng-2027
err_has "started cycle 1 of 'eng-2027': 2027-01-11 to 2027-07-10, re-up window 2027-06-19 to 2027-07-03; 9 active pairings joined"
expect 0 --today 2027-01-11 cycle start eng-cont
check '[ "$(q "SELECT count(*) FROM pairing WHERE cycle_id IS NULL")" -eq 0 ]' "a pairing did not join its cycle"
check '[ "$(q "SELECT count(*) FROM pairing_cycle")" -eq 18 ]' "pairing_cycle rows missing"
expect 65 --today 2027-01-12 cycle start eng-2027
err_has "cycle 1 of 'eng-2027' is open (2027-01-11 to 2027-07-10)"
err_lines 1

expect 0 --format csv cycle list eng-2027
out_is "$(printf 'number,starts_on,ends_on,reup_opens_on,reup_closes_on,status,pairings,continued,exited,closed_on\r\n1,2027-01-11,2027-07-10,2027-06-19,2027-07-03,open,9,0,0,\r')"
expect 0 --format json cycle list eng-2027
out_has '"number":1,"starts_on":"2027-01-11","ends_on":"2027-07-10","reup_opens_on":"2027-06-19","reup_closes_on":"2027-07-03","status":"open","pairings":9'
expect 0 cycle list eng-2027
out_has "REUP_OPENS_ON"
expect 65 cycle list nope
err_has "unknown programme 'nope'"

# reup outside the window, by a stranger, with a bad answer.
before=$(db_dump)
expect 65 --today 2027-06-18 reup 1 --by m1@example.org yes
err_has "re-up window for pairing 1 opens on 2027-06-19"
err_lines 1
expect 65 --today 2027-06-20 reup 1 --by t2@example.org yes
err_has "'t2@example.org' is not a partner in pairing 1"
expect 64 --today 2027-06-20 reup 1 --by m1@example.org maybe
expect 64 --today 2027-06-20 reup 1 yes
expect 64 --today 2027-06-20 reup one --by m1@example.org yes
expect 65 --today 2027-06-20 reup 99 --by m1@example.org yes
err_has "unknown pairing 99"
check '[ "$(db_dump)" = "$before" ]' "refused re-ups changed the database"

# The answers, inside the window; an answer may change while it is open.
for g in 0 9; do
	k=1
	for c in $combos; do
		id=$((k + g))
		a=${c%%:*}
		b=${c##*:}
		[ "$a" = none ] || expect 0 --today 2027-06-20 reup $id --by m$k@example.org $a
		[ "$b" = none ] || expect 0 --today 2027-07-03 reup $id --by T$k@EXAMPLE.org $b
		k=$((k + 1))
	done
done
expect 0 --today 2027-06-25 reup 3 --by m3@example.org yes
err_has "changed the answer of m3@example.org for pairing 3 from 'no' to 'yes'"
expect 0 --today 2027-06-26 reup 3 --by m3@example.org no
check '[ "$(q "SELECT answer || answered_on FROM reup r JOIN person p ON p.id = r.person_id WHERE pairing_id = 3 AND p.email = '"'m3@example.org'"'")" = no2027-06-26 ]' \
	"the changed answer is not stored"

# Closing waits for the window to close, unless forced.
before=$(db_dump)
expect 65 --today 2027-07-03 cycle close eng-2027
err_has "the re-up window of cycle 1 is open until 2027-07-03"
err_lines 1
check '[ "$(db_dump)" = "$before" ]' "a refused close changed the database"
expect 65 --today 2027-07-04 reup 1 --by m1@example.org no
err_has "re-up window for pairing 1 closed on 2027-07-03"

# Default exit: only yes/yes continues.
expect 0 --today 2027-07-05 --format csv cycle close eng-2027
out_has "$(printf 'pairing,mentor_email,mentee_email,mentor_answer,mentee_answer,outcome\r')"
out_has "1,m1@example.org,t1@example.org,yes,yes,continued"
out_has "2,m2@example.org,t2@example.org,yes,no,exited"
out_has "3,m3@example.org,t3@example.org,no,yes,exited"
out_has "4,m4@example.org,t4@example.org,no,no,exited"
out_has "5,m5@example.org,t5@example.org,yes,none,exited"
out_has "6,m6@example.org,t6@example.org,none,yes,exited"
out_has "7,m7@example.org,t7@example.org,no,none,exited"
out_has "8,m8@example.org,t8@example.org,none,no,exited"
out_has "9,m9@example.org,t9@example.org,none,none,exited"
err_has "closed cycle 1 of 'eng-2027': 1 pairing continued into cycle 2 (2027-07-11 to 2028-01-10), 8 ended"

# Default continue: a missing answer counts as yes; any no ends it.
expect 0 --today 2027-07-12 --format csv cycle close eng-cont
out_has "10,m1@example.org,t1@example.org,yes,yes,continued"
out_has "11,m2@example.org,t2@example.org,yes,no,exited"
out_has "12,m3@example.org,t3@example.org,no,yes,exited"
out_has "13,m4@example.org,t4@example.org,no,no,exited"
out_has "14,m5@example.org,t5@example.org,yes,none,continued"
out_has "15,m6@example.org,t6@example.org,none,yes,continued"
out_has "16,m7@example.org,t7@example.org,no,none,exited"
out_has "17,m8@example.org,t8@example.org,none,no,exited"
out_has "18,m9@example.org,t9@example.org,none,none,continued"

# What the close stored: outcomes, ended pairings, the next cycle.
check '[ "$(q "SELECT group_concat(id) FROM (SELECT id FROM pairing WHERE status = '"'active'"' ORDER BY id)")" = "1,10,14,15,18" ]' \
	"active after close: $(q "SELECT group_concat(id) FROM pairing WHERE status = 'active'")"
check '[ "$(q "SELECT DISTINCT ended_on || end_reason FROM pairing WHERE program_id = 1 AND status = '"'ended'"'")" = 2027-07-05exit ]' \
	"an exit closed before the cycle's end ends on the day of the close, reason exit"
check '[ "$(q "SELECT DISTINCT ended_on FROM pairing WHERE program_id = 2 AND status = '"'ended'"'")" = 2027-07-11 ]' \
	"an exit closed after the cycle's end ends on the cycle's end"
check '[ "$(q "SELECT outcome || decided_on FROM pairing_cycle WHERE pairing_id = 2 AND cycle_id = 1")" = exited2027-07-05 ]' \
	"pairing_cycle outcome of an exit"
check '[ "$(q "SELECT c.number FROM pairing p JOIN cycle c ON c.id = p.cycle_id WHERE p.id = 1")" = 2 ]' \
	"a continuing pairing did not move into cycle 2"
check '[ "$(q "SELECT count(*) FROM pairing_cycle pc JOIN cycle c ON c.id = pc.cycle_id WHERE c.number = 2")" -eq 5 ]' \
	"cycle 2 does not hold the 5 continuing pairings"
expect 0 --format csv cycle list eng-cont
out_has "1,2027-01-11,2027-07-10,2027-06-19,2027-07-03,closed,9,4,5,2027-07-12"
out_has "2,2027-07-11,2028-01-10,2027-12-20,2028-01-03,open,4,0,0,"

# A cycle where nobody continues opens no next cycle; --force closes early
# (answers so far, the default for the rest) and ends pairings that day.
expect 65 --today 2027-08-01 cycle close eng-2027
expect 0 --today 2027-08-01 --format csv cycle close eng-2027 --force
out_has "1,m1@example.org,t1@example.org,none,none,exited"
err_has "closed cycle 2 of 'eng-2027': 1 pairing ended, none continued (no new cycle)"
check '[ "$(q "SELECT status || ended_on FROM pairing WHERE id = 1")" = ended2027-08-01 ]' "forced exit"
expect 65 --today 2027-08-02 cycle close eng-2027
err_has "programme 'eng-2027' has no open cycle"
# The next cycle starts where the last ended, unless --on says later.
expect 65 --today 2027-08-02 cycle start eng-2027 --on 2028-01-10
err_has "cycle 3 cannot start on 2028-01-10: cycle 2 runs until 2028-01-10 (its last day)"
expect 0 --today 2027-08-02 cycle start eng-2027
err_has "started cycle 3 of 'eng-2027': 2028-01-11 to 2028-07-10"

# A default start a whole cycle back is refused; --on sets it.
sed -e 's/^slug: eng-2027/slug: late/' -e 's/^  start: 2027-01-11/  start: 2025-01-31/' \
	-e 's/^  length: 6 months/  length: 1 month/' -e 's/opens: 21 days/opens: 10 days/' \
	-e 's/closes: 7 days/closes: 3 days/' "$DATA/programs/eng-2027.yaml" >"$T/late.yaml"
expect 0 program add "$T/late.yaml"
expect 65 --today 2027-01-11 cycle start late
err_has "cycle 1 would run from 2025-01-31 to 2025-02-27, which is over; give the start with --on DATE"
# Month ends clamp: a month from Jan 31 ends Feb 28 (Feb 29 in 2028).
expect 0 --today 2027-01-11 cycle start late --on 2028-01-31
err_has "2028-01-31 to 2028-02-28, re-up window 2028-02-18 to 2028-02-25"
expect 65 cycle start late --on 2027-02-30
err_has "2027-02-30"

# A programme without a cycle block has no cycles.
sed -e 's/^slug: eng-2027/slug: nocycle/' -e '/^cycle:/,/^  reup:/d' \
	"$DATA/programs/eng-2027.yaml" >"$T/nocycle.yaml"
expect 0 program add "$T/nocycle.yaml"
expect 65 cycle start nocycle
err_has "programme 'nocycle' has no cycle: block"
expect 0 --format csv cycle list nocycle
out_is "$(printf 'number,starts_on,ends_on,reup_opens_on,reup_closes_on,status,pairings,continued,exited,closed_on\r')"

# reup on a pairing that is no longer active, or in no open cycle.
expect 65 --today 2028-06-25 reup 2 --by m2@example.org yes
err_has "pairing 2 is ended, not active"

# What the report makes of it: 4 of eng-cont's 9 pairings re-upped.
expect 0 --today 2028-02-01 report eng-2027
expect 0 --today 2028-02-01 report eng-cont
check 'grep "^reup_rate" "$T/.out" | grep -q "4 of 9"' \
	"reup_rate of eng-cont is not 4 of 9: $(grep reup_rate "$T/.out")"

done_testing
