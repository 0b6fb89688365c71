#!/bin/sh
# A rotation walked through its calendar with `remind` every morning and
# nobody running `cycle close`: each period moves on the day after its last
# day, once (a second run that day changes nothing); consent none's later
# periods are not "unanswered proposals" in diagnose; a mentor who leaves
# and a period withdrawn by hand are refilled by match (someone the mentee
# has not met, with a place left) or set with pair --period; a period
# closed early is followed by the next on its day.
. "$TOP/tests/cli/lib.sh"

S=rot
cat >"$T/rot.yaml" <<'YAML'
slug: rot
name: Rotation Walk
purpose: knowledge-transfer
format: rotational
contact: coord@example.org
roles:
  mentor: { capacity: 1 }
rotation: { periods: 4, every: 2 weeks }
cycle:
  start: 2027-01-04
checkins:
  every: 1 week
  remind: 1 day before
  overdue_after: 3 days
  stalled_after: 2 missed
matching:
  consent: none
  objective: coverage
  min_score: 0
  criteria:
    - { attribute: department, compare: different, weight: 1 }
YAML
cat >"$T/people.csv" <<'CSV'
email,name,department
m1@example.org,Mentor One,Eng
m2@example.org,Mentor Two,Ops
m3@example.org,Mentor Three,Sales
m4@example.org,Mentor Four,Legal
m5@example.org,Mentor Five,Finance
t1@example.org,Mentee One,Design
t2@example.org,Mentee Two,Design
t3@example.org,Mentee Three,Design
CSV
mkdir -p "$T/mail"
cat >"$T/sink" <<EOF
#!/bin/sh
cat >"\$(mktemp "$T/mail/m.XXXXXX")"
EOF
chmod +x "$T/sink"

export MENTORCTL_TODAY=2027-01-03
expect 0 init
expect 0 program add "$T/rot.yaml"
expect 0 people import "$T/people.csv"
for m in m1 m2 m3 m4; do expect 0 enroll $S $m@example.org --role mentor; done
for t in t1 t2 t3; do expect 0 enroll $S $t@example.org --role mentee; done

# the mentor of MENTEE in PERIOD, and the id of that pairing
mentor_in() {
	"$MENTORCTL" --format csv schedule $S 2>/dev/null |
		awk -F, -v t="$1" -v k="$2" '$3 == t && $1 == k && $10 != "preview" { print $2 }'
}
pairing_in() {
	"$MENTORCTL" --format csv schedule $S 2>/dev/null |
		awk -F, -v t="$1" -v k="$2" '$3 == t && $1 == k { print $9 }'
}
# field NAME: the CSV on stdin as one column, by its header name
field() {
	tr -d '\r' | awk -F, -v n="$1" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == n) c = i; next } { print $c }'
}
# rows ENDED_REASON: the ended pairings of that reason as activated_on,ended_on
ended() {
	"$MENTORCTL" --format csv pairings $S --status ended | tr -d '\r' |
		awk -F, -v r="$1" 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		$c["end_reason"] == r { print $c["activated_on"] "," $c["ended_on"] }' | sort -u
}
periods() { # the cycle list as number:status:last day
	"$MENTORCTL" --format csv cycle list $S | tail -n +2 | tr -d '\r' |
		awk -F, '{ printf "%s:%s:%s ", $1, $6, $3 }'
}
# walk FROM TO: remind every morning
walk() {
	d=$1
	while [ "$d" != "$2" ]; do
		"$MENTORCTL" --today "$d" remind --sendmail "$T/sink" \
			>/dev/null 2>"$T/remind.err" || fail "remind on $d: $(cat "$T/remind.err")"
		d=$(date -u -d "$d + 1 day" +%Y-%m-%d)
	done
}

expect 0 match $S
err_has "planned a rotation over periods 1-4 for 3 mentees: 12 pairings"
expect 0 --today 2027-01-04 cycle start $S
err_has "started period 1 of 4 of the rotation of '$S': 2027-01-04 to 2027-01-17; 3 pairings active"

# consent none: the later periods wait for their day, nobody has to answer
expect 0 --today 2027-01-05 diagnose $S
out_lacks "proposal-pending"
out_lacks "unanswered"
out_lacks "reup"

# ---- the calendar moves the periods on, once ----
walk 2027-01-05 2027-01-18
check '[ "$(periods)" = "1:open:2027-01-17 " ]' "before the day after: $(periods)"
expect 0 --today 2027-01-17 --format csv diagnose $S
out_lacks "rotation-overdue"
# a forgotten period (nobody ran remind or cycle close since its last
# day): diagnose reports it with the commands that move it on; a copy of
# the database is moved on by remind (all the way), another by cycle close
# (one period)
expect 0 --today 2027-02-10 --format csv diagnose $S
out_has "closure,warning,\"rotation period 1 ended on 2027-01-17, 24 days ago, and is still open"
out_has "period 1 (last day 2027-01-17)"
out_has "mentorctl remind --program $S"
out_has "mentorctl cycle close $S"
out_has ",rotation-overdue"
expect 0 --today 2027-02-10 diagnose $S
out_has "rotation period 1 ended on 2027-01-17"
expect 0 backup "$T/late.db"
expect 0 backup "$T/closed.db"
MENTORCTL_DB="$T/late.db"
expect 0 --today 2027-02-10 remind --program $S --sendmail "$T/sink"
check '[ "$(periods)" = "1:closed:2027-01-17 2:closed:2027-01-31 3:open:2027-02-14 " ]' "remind on 02-10: $(periods)"
expect 0 --today 2027-02-10 --format csv diagnose $S
out_lacks "rotation-overdue"
MENTORCTL_DB="$T/closed.db"
# cycle close moves one period: period 1 closes, period 2 (over on
# 01-31) is the one to move on now
expect 0 --today 2027-02-10 cycle close $S
check '[ "$(periods)" = "1:closed:2027-01-17 2:open:2027-01-31 " ]' "cycle close on 02-10: $(periods)"
expect 0 --today 2027-02-10 --format csv diagnose $S
out_lacks "rotation period 1 "
out_has "rotation period 2 ended on 2027-01-31, 10 days ago"
MENTORCTL_DB="$T/test.db"
walk 2027-01-18 2027-01-19
check '[ "$(periods)" = "1:closed:2027-01-17 2:open:2027-01-31 " ]' "on 01-18: $(periods)"
expect 0 --today 2027-01-18 remind --sendmail "$T/sink"
check '[ "$(periods)" = "1:closed:2027-01-17 2:open:2027-01-31 " ]' "a second run moved it again: $(periods)"
expect 0 --format csv --today 2027-01-18 pairings $S --status active
check '[ "$(field period <"$T/.out" | sort | uniq -c | tr -s " ")" = " 3 2" ]' \
	"active on 01-18 are not period 2's three: $(cat "$T/.out")"
check '[ "$(ended "rotation period 1 over")" = "2027-01-04,2027-01-18" ]' "period 1 did not end on its end day: $(ended "rotation period 1 over")"

# ---- a mentor leaves: match refills their periods ----
gone=$(mentor_in t1@example.org 3)
expect 0 --today 2027-01-20 withdraw $S "$gone" --reason "moved"
expect 0 --today 2027-01-20 enroll $S m5@example.org --role mentor
expect 0 --today 2027-01-20 --format csv match $S
err_has "planned a rotation over periods 2-4 for "
check '[ -n "$(tail -n +2 "$T/.out")" ]' "nothing refilled"
for t in t1 t2 t3; do
	for k in 3 4; do
		m=$(mentor_in $t@example.org $k)
		check '[ -n "$m" ] && [ "$m" != "$gone" ]' "$t has no mentor in period $k ($m)"
	done
done
# never the same mentor twice
"$MENTORCTL" --format csv schedule $S | tail -n +2 | awk -F, '$10 != "preview" { print $2, $3 }' |
	sort | uniq -d >"$T/twice"
check '[ ! -s "$T/twice" ]' "a mentee meets a mentor twice: $(cat "$T/twice")"
# a re-run has nothing left to plan
expect 0 --today 2027-01-21 match $S
err_has "for 0 mentees: 0 pairings"

# ---- a period withdrawn by hand, set again with pair --period ----
id=$(pairing_in t2@example.org 4)
old=$(mentor_in t2@example.org 4)
expect 0 --today 2027-01-22 end "$id" --reason "t2 asked for someone else"
check '[ -z "$(mentor_in t2@example.org 4)" ]' "period 4 still set"
expect 65 --today 2027-01-22 pair $S "$old" t2@example.org --period 4
err_has "were paired before"
expect 65 --today 2027-01-22 pair $S "$(mentor_in t2@example.org 2)" t2@example.org --period 1
err_has "cannot be set: it is over"
for m in m1 m2 m3 m4 m5; do
	[ "$m@example.org" = "$gone" ] || [ "$m@example.org" = "$old" ] && continue
	"$MENTORCTL" --today 2027-01-22 pair $S $m@example.org t2@example.org --period 4 >/dev/null 2>"$T/p.err" && break
done
check '[ -n "$(mentor_in t2@example.org 4)" ]' "pair --period set nobody: $(cat "$T/p.err")"
expect 64 --today 2027-01-22 pair $S m1@example.org t2@example.org
err_has "--period K"

# ---- nobody runs remind for weeks: match moves the calendar on ----
walk 2027-01-22 2027-01-25
expect 0 --today 2027-02-16 match $S
check '[ "$(periods)" = "1:closed:2027-01-17 2:closed:2027-01-31 3:closed:2027-02-14 4:open:2027-02-28 " ]' \
	"match on 02-16: $(periods)"
# every period's pairings ended on its end day, activated on its first
check '[ "$(ended "rotation period 2 over" | cut -d, -f2 | sort -u)" = 2027-02-01 ]' "period 2 ends: $(ended "rotation period 2 over")"
check '[ "$(ended "rotation period 3 over")" = "2027-02-01,2027-02-15" ]' \
	"period 3 active 02-01..02-15: $(ended "rotation period 3 over")"

# ---- the last period ends with the calendar too ----
walk 2027-02-16 2027-03-02
check '[ "$(periods)" = "1:closed:2027-01-17 2:closed:2027-01-31 3:closed:2027-02-14 4:closed:2027-02-28 " ]' "at the end: $(periods)"
expect 0 --format csv --today 2027-03-02 pairings $S --status active
check '[ "$(tail -n +2 "$T/.out" | wc -l)" -eq 0 ]' "active pairings after the rotation"
expect 65 --today 2027-03-02 match $S
err_has "is complete"

# ---- closed early: the next period opens on its own day ----
sed -e 's/^slug: rot$/slug: early/' "$T/rot.yaml" >"$T/early.yaml"
expect 0 program add "$T/early.yaml"
for m in m1 m3 m4; do expect 0 enroll early $m@example.org --role mentor; done
for t in t1 t3; do expect 0 enroll early $t@example.org --role mentee; done
expect 0 --today 2027-01-03 match early
expect 0 --today 2027-01-04 cycle start early
expect 0 --today 2027-01-10 cycle close early --force
err_has "period 2 starts on 2027-01-18: open it then"
walk 2027-01-11 2027-01-18
check '[ "$("$MENTORCTL" --format csv cycle list early | tail -n +2 | wc -l)" -eq 1 ]' "period 2 opened early"
walk 2027-01-18 2027-01-19
check '[ "$("$MENTORCTL" --format csv cycle list early | tail -n 1 | cut -d, -f1,2,6 | tr -d "\r")" = "2,2027-01-18,open" ]' \
	"period 2 not opened on its day: $("$MENTORCTL" --format csv cycle list early | tail -n 1)"

done_testing
