#!/bin/sh
# A year of quarterly cycles, walked day by day with `remind` every
# morning: re-up answers are visible before the close (cycle close
# --dry-run), "no" (and silence under default exit) completes the
# enrollment, "new" sends the person back to the pool, the partner who
# wanted to go on is rematched, and people who left are never proposed
# again, nor mailed, until the coordinator enrolls them again.
. "$TOP/tests/cli/lib.sh"

S=year
cat >"$T/year.yaml" <<'YAML'
slug: year
name: A Year of Quarters
purpose: engagement
format: one-to-one
contact: coord@example.org
roles:
  mentor: { capacity: 2 }
cycle:
  start: 2027-01-04
  length: 3 months
  reup: { opens: 14 days before end, closes: 3 days before end, default: exit }
checkins:
  every: 2 weeks
  remind: 2 days before
  overdue_after: 5 days
  stalled_after: 2 missed
matching:
  consent: both
  respond_within: 7 days
  objective: coverage
  min_score: 0
  criteria:
    - { attribute: department, compare: different, weight: 1 }
YAML
cat >"$T/people.csv" <<'CSV'
email,name,department,level
m1@example.org,Mentor One,Eng,6
m2@example.org,Mentor Two,Ops,6
m3@example.org,Mentor Three,Sales,6
t1@example.org,Mentee One,Legal,2
t2@example.org,Mentee Two,Legal,2
t3@example.org,Mentee Three,Legal,2
t4@example.org,Mentee Four,Legal,2
CSV
cat >"$T/enroll.csv" <<'CSV'
email,role
m1@example.org,mentor
m2@example.org,mentor
m3@example.org,mentor
t1@example.org,mentee
t2@example.org,mentee
t3@example.org,mentee
t4@example.org,mentee
CSV

export MENTORCTL_TODAY=2026-12-28
expect 0 init
expect 0 program add "$T/year.yaml"
expect 0 people import "$T/people.csv"
expect 0 enroll $S --csv "$T/enroll.csv"

# pairing_of MENTEE: the id of the mentee's active pairing ("" when none)
pairing_of() {
	"$MENTORCTL" --format csv pairings $S --status active |
		awk -F, -v m="$1" '$3 == m { print $1 }'
}
status_of() {
	"$MENTORCTL" --format csv export enrollments --program $S |
		tr -d '\r' | awk -F, -v m="$1" 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i }
		NR > 1 && $c["email"] == m { print $c["status"] }'
}
mentor_of() {
	"$MENTORCTL" --format csv pairings $S --status active |
		awk -F, -v m="$1" '$3 == m { print $2 }'
}

expect 0 match $S
err_has "proposed 4 pairings"
for id in 1 2 3 4; do expect 0 accept $id; done
expect 0 --today 2027-01-04 cycle start $S
err_has "2027-01-04 to 2027-04-03, re-up window 2027-03-20 to 2027-03-31"

# walk DAY1 DAY2: remind every morning; pairs of active mentees in $MEET
# meet when their check-in is due; mails to people in $GONE fail the test
MEET="t1 t2 t3 t4"
GONE=""
walk() {
	d=$1
	while [ "$d" != "$2" ]; do
		"$MENTORCTL" --today "$d" --format json remind --dry-run \
			>"$T/remind.json" 2>/dev/null ||
			fail "remind --dry-run on $d"
		# the outcome and the closure thank-you are the last mails a
		# person who left gets; nothing else may reach them
		for g in $GONE; do
			python3 -c 'import json, sys
sys.exit(any(r["recipient"] == sys.argv[2] and r["kind"] not in
    ("reup_outcome", "closure") for r in json.load(open(sys.argv[1]))))' \
			    "$T/remind.json" "$g@example.org" ||
				fail "$d: a reminder for $g, who left"
		done
		for m in $MEET; do
			grep -q "\"kind\":\"checkin_due\".*\"$m@example.org\"" \
				"$T/remind.json" || continue
			id=$(pairing_of "$m@example.org")
			[ -n "$id" ] || continue
			"$MENTORCTL" --today "$d" checkin "$id" --on "$d" \
				--minutes 30 >/dev/null 2>&1 ||
				fail "$d: checkin $id"
		done
		d=$(date -u -d "$d + 1 day" +%Y-%m-%d)
	done
}

walk 2027-01-04 2027-03-20
expect 0 --format csv export checkins --program $S
check '[ "$(tail -n +2 "$T/.out" | wc -l)" -ge 20 ]' "the pairs did not meet every two weeks: $(tail -n +2 "$T/.out" | wc -l) check-ins"

# ---- the re-up window of cycle 1: answers are visible before the close
P1=$(pairing_of t1@example.org)
P2=$(pairing_of t2@example.org)
P3=$(pairing_of t3@example.org)
P4=$(pairing_of t4@example.org)
M2=$(mentor_of t2@example.org)
M3=$(mentor_of t3@example.org)
expect 0 --today 2027-03-20 reup "$P1" --by "$(mentor_of t1@example.org)" yes
expect 0 --today 2027-03-21 reup "$P1" --by t1@example.org yes
expect 0 --today 2027-03-22 reup "$P2" --by "$M2" yes
expect 0 --today 2027-03-22 reup "$P2" --by t2@example.org no
expect 0 --today 2027-03-23 reup "$P3" --by t3@example.org new
expect 64 --today 2027-03-23 reup "$P3" --by t3@example.org maybe
err_has "expected yes, no or new"
walk 2027-03-20 2027-03-25
before=$(db_dump)
expect 0 --today 2027-03-25 --format csv cycle close $S --dry-run
check '[ "$(db_dump)" = "$before" ]' "a dry run changed the database"
out_has "$P1,"
out_has ",yes,yes,continued,continues,continues"
out_has ",yes,no,exited,rematch,leaves"
out_has ",none,new,exited,leaves,rematch"
out_has ",none,none,exited,leaves,leaves"
err_has "dry run: closing cycle 1 of '$S' today would continue 1 pairing and end 3; 3 answers are missing (they count as no); the re-up window closes on 2027-03-31"
expect 65 --today 2027-03-25 cycle close $S
err_has "is open until 2027-03-31"

walk 2027-03-25 2027-04-01
expect 0 --today 2027-04-01 --format csv cycle close $S
err_has "closed cycle 1 of '$S': 1 pairing continued into cycle 2 (2027-04-04 to 2027-07-03), 3 ended"
# the mentee who said no and the silent pair completed; new and the
# partner who wanted to go on are back in the pool
check '[ "$(status_of t1@example.org)" = active ]' "t1: $(status_of t1@example.org)"
check '[ "$(status_of t2@example.org)" = completed ]' "t2: $(status_of t2@example.org)"
check '[ "$(status_of t3@example.org)" = eligible ]' "t3: $(status_of t3@example.org)"
check '[ "$(status_of t4@example.org)" = completed ]' "t4: $(status_of t4@example.org)"
GONE="t2 t4"
MEET="t1 t3"
# a mentor with another pairing going on stays active; others follow their fate
for m in m1 m2 m3; do
	st=$(status_of $m@example.org)
	case "$st" in active|eligible|completed) ;; *) fail "$m: status '$st'" ;; esac
done
[ "$M2" = "$(mentor_of t1@example.org)" ] ||
	check '[ "$(status_of "$M2")" = eligible ]' "t2's mentor, who said yes, is not back in the pool"

# ---- a re-run of match proposes only who asked for a new partner
expect 0 --today 2027-04-02 --format csv match $S
check '[ "$(tail -n +2 "$T/.out" | cut -d, -f1 | tr -d "\r" | sort | tr "\n" " ")" = "t3@example.org " ]' \
	"match after the close proposed: $(tail -n +2 "$T/.out" | cut -d, -f1 | tr "\n" " ")"
out_lacks "t2@example.org"
out_lacks "t4@example.org"
id=$(tail -n +2 "$T/.out" | cut -d, -f4 | tr -d '\r')
check '[ "$(tail -n +2 "$T/.out" | cut -d, -f2)" != "$M3" ]' "t3 was proposed her old mentor again"
expect 0 --today 2027-04-03 accept "$id"

walk 2027-04-02 2027-07-01
# cycle 2: everyone silent: default exit, all leave
expect 0 --today 2027-07-01 cycle close $S
err_has "closed cycle 2 of '$S': 2 pairings ended, none continued (no new cycle)"
GONE="t1 t2 t3 t4"
MEET=""
expect 0 --today 2027-07-02 match $S
err_has "proposed 0 pairings"
walk 2027-07-02 2027-08-01

# ---- the coordinator asks to match someone again: enroll brings them back
expect 0 --today 2027-08-01 enroll $S t2@example.org --role mentee
# it says how the enrollment had ended: completed at the close, not withdrawn
err_has "re-enrolled 't2@example.org' in '$S' as mentee (completed on 2027-04-01)"
err_lacks "withdrawn"
check '[ "$(status_of t2@example.org)" = eligible ]' "re-enrolled t2: $(status_of t2@example.org)"
expect 0 --today 2027-08-01 --format csv match $S
out_has "t2@example.org,"
check '[ "$(tail -n +2 "$T/.out" | wc -l)" -eq 1 ]' "only t2 matched again"

done_testing
