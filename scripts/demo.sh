#!/bin/sh
# `make demo`: a tour of mentorctl on the sample data in data/, in a
# temporary database, printing each command before its output.
set -eu
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
top=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/mentorctl-demo.XXXXXX")
trap 'rm -rf "$work"' EXIT
export MENTORCTL_DB="$work/demo.db"
export MENTORCTL_TODAY=2027-01-04
cd "$top"

step() {
	printf '\n$ mentorctl %s\n' "$*"
	"$bin" "$@"
}

echo "mentorctl demo: database $MENTORCTL_DB, today $MENTORCTL_TODAY"
step init
for f in data/programs/*.yaml; do
	step program check "$f"
done
for f in data/programs/*.yaml; do
	step program add "$f"
done
step program list
step program show eng-2027

if [ -f scripts/demo-more.sh ]; then
	. scripts/demo-more.sh
fi

echo
echo "== capacity planning: mentors from another department; who waits, and who would match them"
step enroll cross-dept-2027 --csv data/enroll-eng-2027.csv 2>"$work/err.txt"
head -1 "$work/err.txt"
# The other definition: the same programme without the department rule.
sed 's/exclude: \[same_department, /exclude: [/' \
	data/programs/cross-dept-2027.yaml >"$work/any-dept.yaml"
echo "(any-dept.yaml: the same programme without exclude: same_department)"
printf '\n$ mentorctl match cross-dept-2027 --compare any-dept.yaml\n'
(cd "$work" && "$bin" match cross-dept-2027 --compare any-dept.yaml) \
	>"$work/out.txt" 2>"$work/err.txt"
awk '$1 == "SECTION" || $1 == "summary" || $1 == "mix" {
	printf "%-9s  %-24s %8s %8s %8s\n", $1, $2, $3, $4, $5 }' "$work/out.txt"
cat "$work/err.txt"
step match cross-dept-2027 >"$work/out.txt" 2>"$work/err.txt"
cut -c1-76 "$work/out.txt" | head -4
echo "..."
cat "$work/err.txt"
step pairings cross-dept-2027 --waitlist
step diagnose cross-dept-2027 >"$work/out.txt"
# the step's line, then the matching section, a finding a line
awk 'NR <= 2 { print; next } /^== matching and initiating ==/ { on = 1 } on && !NF { exit }
	on { gsub(/; /, ";\n           "); print }' "$work/out.txt"

echo
echo "== network mentoring: the mentor introduces the mentee to new contacts"
step enroll network-2027 --csv data/enroll-network-2027.csv
step --today 2027-01-11 match network-2027 >"$work/out.txt"
cut -c1-76 "$work/out.txt"
net=$("$bin" --format csv pairings network-2027 | awk -F, 'NR == 2 { print $1 }')
for d in 2027-01-25 2027-02-08 2027-02-22; do
	"$bin" --today "$d" checkin "$net" --on "$d" --minutes 45 >/dev/null 2>&1
done
echo "(pairing $net met on 2027-01-25, 2027-02-08 and 2027-02-22)"
step --today 2027-02-22 introduce "$net" jnovak@fjordline.example \
	--note "runs the graduate programme"
step --today 2027-03-08 introduce "$net" lucia@partner.example --name "Lucía Ortega" \
	--meet 2027-03-15 --at 12:30 --ics "$work/joint.ics"
grep -E '^(SUMMARY|DTSTART|ATTENDEE)' "$work/joint.ics" | tr -d '\r'
step --today 2027-03-08 report network-2027 >"$work/out.txt"
sed -n '/== Network introductions ==/,$p' "$work/out.txt" | cut -c1-110
step export introductions --program network-2027

echo
echo "== senior-leader sessions: invitations, seats when oversubscribed"
step --format csv session add listening-sessions-2027 \
	--leader isolberg@fjordline.example --on 2027-02-10 --at 12:30 \
	--title "Listening lunch" >"$work/out.txt"
cat "$work/out.txt"
sid=$(awk -F, '/^[0-9]/ { print $1; exit }' "$work/out.txt")
step --format csv session invite "$sid" --sendmail "cat >>'$work/outbox'" >"$work/out.txt"
head -4 "$work/out.txt"
echo "($(grep -c '^Subject: Invitation' "$work/outbox") invitations with a calendar (METHOD:REQUEST) in the outbox)"
step session invite "$sid" --sendmail "cat >>'$work/outbox'"
for w in arao nkim ydemir vpopescu mlopez jnovak ohaddad; do
	"$bin" session signup "$sid" "$w@fjordline.example" 2>/dev/null
done
echo "(7 people replied \"join\" for 4 seats)"
step session seat "$sid" --sendmail "cat >>'$work/outbox'"
seated=$("$bin" --format csv session seat "$sid" --no-mail 2>/dev/null |
	awk -F, '$3 == "seated" { print $1; exit }')
step session cancel "$sid" "$seated"
step session seat "$sid" --sendmail "cat >>'$work/outbox'"
step --today 2027-02-10 session attend "$sid" $("$bin" --format csv session seat "$sid" \
	--dry-run 2>/dev/null | awk -F, '$3 == "seated" { print $1 }' | head -3)
step --today 2027-03-01 report listening-sessions-2027 >"$work/out.txt"
sed -n '/== Leader sessions ==/,$p' "$work/out.txt" | cut -c1-110
echo
echo "demo finished: everything above ran against $MENTORCTL_DB"
