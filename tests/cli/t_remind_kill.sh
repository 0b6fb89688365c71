#!/bin/sh
# Exactly once under attack (issue 18.2): remind killed with SIGKILL at
# random moments, a writer holding the database lock for 12 s right after
# the mail program took a message, and a mail program that hangs.  No
# Message-ID may arrive twice; a mail whose outcome is unknown counts as
# sent until the coordinator resends it.
. "$TOP/tests/cli/lib.sh"
. "$TOP/tests/cli/remind_lib.sh"

N=20
DAYS="2027-01-23 2027-01-31 2027-02-09"
KILLS=5   # per day
export MAILDIR="$T/mail"
mkdir -p "$MAILDIR"
capture_program "$T/prog-slow" 0.05
capture_program "$T/prog-fast"

# The reference: the same days, no kills.
MENTORCTL_DB="$T/clean.db" MAILDIR="$T/clean"
export MENTORCTL_DB MAILDIR
mkdir -p "$MAILDIR"
fixture_pairs $N 2027-01-11
for d in $DAYS; do expect 0 --today "$d" remind --sendmail "$T/prog-fast"; done
pairing_ids "$T/clean" >"$T/clean.ids"
total=$(wc -l <"$T/clean.ids")

MENTORCTL_DB="$T/kill.db" MAILDIR="$T/mail"
fixture_pairs $N 2027-01-11
k=0
for d in $DAYS; do
	i=0
	while [ $i -lt $KILLS ]; do
		k=$((k + 1))
		delay=$(awk -v s=$k 'BEGIN { srand(s); printf "%.3f", rand() * 0.8 }')
		"$MENTORCTL" --today "$d" remind --sendmail "$T/prog-slow" \
			>>"$T/kill.out" 2>>"$T/kill.err" &
		pid=$!
		sleep "$delay"
		kill -KILL $pid 2>/dev/null
		wait $pid 2>/dev/null
		i=$((i + 1))
	done
	# The mail programs died with their runs: none is left behind.
	sleep 0.3
	check '! pgrep -f "$T/prog-slow" >/dev/null' "day $d: a mail program outlived its killed run"
	expect 0 --today "$d" remind --sendmail "$T/prog-fast"
done
pairing_ids "$MAILDIR" >"$T/kill.ids"
unknown=$(sqlite3 "$MENTORCTL_DB" "SELECT count(*) FROM reminder WHERE state = 'handed'")
check '[ "$(uniq -d "$T/kill.ids" | wc -l)" -eq 0 ]' \
	"kills: Message-IDs delivered twice: $(uniq -d "$T/kill.ids" | head -3)"
# The coordinator resends the unknown ones that did not arrive.
expect 0 --format csv mail unsent
lost=0
for id in $(awk -F, 'NR > 1 && $7 == "unknown" { print $1 ":" $11 }' "$T/.out" | tr -d '\r'); do
	mid=$(echo "${id#*:}" | sed 's/^[a-z2-7]*\.\([0-9a-f]\{16\}@\)/\1/')
	if ! grep -qF "<$mid>" "$T/kill.ids"; then
		expect 0 mail resend "${id%%:*}"
		lost=$((lost + 1))
	fi
done
for d in $DAYS; do expect 0 --today "$d" remind --sendmail "$T/prog-fast"; done
pairing_ids "$MAILDIR" >"$T/final.ids"
echo "kills: $k SIGKILLs, $total mails, $(wc -l <"$T/kill.ids") delivered before the resends," \
	"$unknown of unknown outcome ($lost of them lost with their killed mail program)," \
	"$(uniq -d "$T/final.ids" | wc -l) duplicates"
check '[ "$(uniq -d "$T/final.ids" | wc -l)" -eq 0 ]' "resend: a Message-ID twice"
check 'cmp -s "$T/clean.ids" "$T/final.ids"' \
	"after the resends, not every mail once: $(diff "$T/clean.ids" "$T/final.ids" | head -5)"

# ---- a writer holds the lock for 12 s just after a message went out ----
cat >"$T/prog-locker" <<PROG
#!/bin/sh
cat >/dev/null
rm -f "$T/locked"
/usr/bin/python3 - "\$MENTORCTL_DB" "$T/locked" >/dev/null 2>&1 <<'PY' &
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], timeout=30, isolation_level=None)
db.execute("BEGIN IMMEDIATE")
open(sys.argv[2], "w").close()
time.sleep(12)
db.execute("COMMIT")
PY
while [ ! -e "$T/locked" ]; do sleep 0.05; done
echo sent >>"\$MAILDIR/.locker"
PROG
chmod +x "$T/prog-locker"
MENTORCTL_DB="$T/lock.db" MAILDIR="$T/lock"
mkdir -p "$MAILDIR"
fixture_pairs 1 2027-01-11
start=$(date +%s)
expect 0 --today 2027-01-23 remind --sendmail "$T/prog-locker"
took=$(( $(date +%s) - start ))
echo "lock: the first mail was recorded after $took s; $(wc -l <"$MAILDIR/.locker") messages taken"
check '[ "$took" -ge 11 ]' "the run did not meet the lock ($took s)"
check '[ "$(sqlite3 "$MENTORCTL_DB" "SELECT count(*) FROM reminder WHERE state = '"'sent'"'")" -eq 2 ]' \
	"lock: not both recorded as sent: $(sqlite3 "$MENTORCTL_DB" "SELECT recipient, state FROM reminder")"
expect 0 --today 2027-01-23 remind --sendmail "$T/prog-locker"
expect 0 --today 2027-01-24 remind --sendmail "$T/prog-locker"
check '[ "$(wc -l <"$MAILDIR/.locker")" -eq 2 ]' "lock: $(wc -l <"$MAILDIR/.locker") messages taken, expected 2"

# ---- a mail program that hangs: killed after --timeout, outcome unknown ----
MENTORCTL_DB="$T/hang.db" MAILDIR="$T/hang"
mkdir -p "$MAILDIR"
fixture_pairs 1 2027-01-11
expect 69 --today 2027-01-23 remind --timeout 1 --sendmail "cat >/dev/null; echo x >>$MAILDIR/.calls; sleep 30"
err_has "outcome unknown (mail program 'cat >/dev/null; echo x"
err_has "was killed after its time was up"
check '[ "$(sqlite3 "$MENTORCTL_DB" "SELECT count(*) FROM reminder WHERE state = '"'handed'"' AND error LIKE '"'was killed%'"'")" -eq 2 ]' \
	"the hung delivery is not logged as unknown"
check '! pgrep -f "echo x >>$MAILDIR/.calls; sleep 30" >/dev/null' "the hung mail program was not killed"
# The breaker: two hangs in a row are not five; both mails were tried.
check '[ "$(wc -l <"$MAILDIR/.calls")" -eq 2 ]' "hang: $(wc -l <"$MAILDIR/.calls") calls"
expect 0 --today 2027-01-24 remind --sendmail "$T/prog-fast"
check '[ "$(wc -l <"$MAILDIR/.calls")" -eq 2 ]' "an unknown outcome was sent again"
expect 65 remind --timeout 0
expect 64 remind --timeout soon

done_testing
