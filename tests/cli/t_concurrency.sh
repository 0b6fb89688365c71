#!/bin/sh
# Concurrency: coordinators writing (checkin and feedback in one lane,
# enroll --csv and training add in another), participants answering their
# check-in reminders by mail (two `inbox` runs on one maildir at once, as
# overlapping cron jobs would) while four `remind` processes run
# at the same time, each twice, over eight simulated days, with a capturing
# mail program slow enough to widen the races.  No "database is locked"
# escapes, no exit 75 (nobody holds the database anywhere near the 10 s
# timeout), no reminder mailed twice (Message-IDs), every mail recorded as
# sent once, no write lost (everything that exited 0 is in the database).
# Then the timeout itself, once: a write lock held from Python's sqlite3
# for longer than 10 s makes a writer give up with exit 75, one line,
# nothing changed, while a reader still reads.
. "$TOP/tests/cli/lib.sh"

q() { sqlite3 "$MENTORCTL_DB" "$1"; }

MAILDIR="$T/mail"
export MAILDIR
mkdir -p "$MAILDIR" "$T/log"
# One file per message (mktemp: concurrent senders never share a file),
# then a short sleep that depends on the process, to shuffle the runs.
cat >"$T/capture" <<'EOF'
#!/bin/sh
f=$(mktemp "$MAILDIR/msg.XXXXXX") || exit 75
cat >"$f" || exit 75
sleep 0.0$(($$ % 4 + 1))
EOF
chmod +x "$T/capture"

cat >"$T/conc.yaml" <<'EOF'
slug: conc
name: Concurrency Programme
purpose: engagement
format: one-to-one
owner: Tests
contact: coord@example.org
roles:
  mentor:
    capacity: 1
cycle:
  start: 2027-01-04
  length: 6 months
  reup: { opens: 21 days before end, closes: 7 days before end, default: exit }
checkins:
  every: 1 week
  remind: 2 days before
  overdue_after: 2 days
  stalled_after: 2 missed
  prompts:
    - Getting to know each other
    - Goals
matching:
  consent: none
  objective: coverage
  min_score: 0
  criteria:
    - { attribute: department, compare: different, weight: 1 }
EOF

N=30
expect 0 init
expect 0 program add "$T/conc.yaml"
{
	echo "email,name,department,role"
	i=1
	while [ $i -le $N ]; do
		echo "mr$i@example.org,Mentor $i,Engineering,mentor"
		echo "me$i@example.org,Mentee $i,Sales,mentee"
		i=$((i + 1))
	done
} >"$T/enroll.csv"
expect 0 enroll conc --csv "$T/enroll.csv"
expect 0 match conc
expect 0 cycle start conc
check '[ "$(q "SELECT count(*) FROM pairing WHERE status = '"'active'"'")" -eq $N ]' \
	"fixture: not $N active pairings"
# pairing id -> its mentor's e-mail, for feedback --by
q "SELECT p.id || ' ' || pe.email FROM pairing p JOIN enrollment e
   ON e.id = p.mentor_enrollment_id JOIN person pe ON pe.id = e.person_id
   ORDER BY p.id" >"$T/mentors"
mentor_of() { awk -v p="$1" '$1 == p { print $2 }' "$T/mentors"; }

# log KIND ARGS...: run a coordinator command, keep "rc kind args" and stderr
# (the checks below read the args by position: keep them in this order).
log() {
	kind=$1
	shift
	"$MENTORCTL" "$@" >/dev/null 2>>"$T/log/coord.err"
	echo "$? $kind $*" >>"$T/log/coord"
}

# coordinator DAY DAYNO LANE: a day's writes, one after the other; two
# lanes write at once (a: check-ins and feedback, b: enrollments and
# trainings), as two coordinators would.
coordinator() {
	d=$1 n=$2
	if [ "$3" = a ]; then
		p=1
		while [ $p -le $N ]; do
			# a third of the pairs meet each day, the others drift to stalled
			if [ $(((p + n) % 3)) -eq 0 ]; then
				log checkin --today "$d" checkin $p --on "$d" --minutes 30 \
					--rating $((p % 5 + 1)) --topic "day $n"
			fi
			if [ $((p % 5)) -eq $((n % 5)) ]; then
				log feedback --today "$d" feedback $p --by "$(mentor_of $p)" \
					--rating $((n % 5 + 1)) --comment "day $n"
			fi
			p=$((p + 1))
		done
		return
	fi
	k=1
	while [ $k -le 3 ]; do
		e="new$n-$k@example.org"
		printf 'email,name,department,role\n%s,New %s %s,Support,mentee\n' \
			"$e" "$n" "$k" >"$T/new-$n-$k.csv"
		log enroll --today "$d" enroll conc --csv "$T/new-$n-$k.csv"
		log training --today "$d" training add "$e" "orientation-$n" --on "$d"
		k=$((k + 1))
	done
}

# reminder DAY ID: a cron job that runs twice
reminder() {
	for r in 1 2; do
		"$MENTORCTL" --today "$1" remind --sendmail "$T/capture" \
			>>"$T/log/remind-$1-$2.out" 2>>"$T/log/remind-$1-$2.err"
		echo "$? remind $1 $2 $r" >>"$T/log/remind-$1-$2.rc"
	done
}

# The participants: every check-in reminder mailed before the day is
# answered "we met yesterday" as a phone would write it, into one maildir
# that two `inbox` runs read at the same time (acknowledgements go to their
# own capture, so that the reminder accounting below stays exact).
mkdir -p "$T/md/new" "$T/md/cur" "$T/md/tmp" "$T/acks"
ACKDIR="$T/acks"
export ACKDIR
cat >"$T/capture_ack" <<'EOF'
#!/bin/sh
f=$(mktemp "$ACKDIR/ack.XXXXXX") || exit 75
cat >"$f" || exit 75
EOF
chmod +x "$T/capture_ack"
participants() {
	python3 - "$MAILDIR" "$T/md" "$T/answered" "$1" <<'PY'
import email, email.utils, glob, os, sys
src, md, seen_path, day = sys.argv[1:]
seen = set(open(seen_path).read().split()) if os.path.exists(seen_path) else set()
months = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
y, mo, d = day.split("-")
n = 0
for path in sorted(glob.glob(os.path.join(src, "msg.*"))):
    try:
        m = email.message_from_binary_file(open(path, "rb"))
    except Exception:
        continue
    mid, subject = m["Message-ID"], str(m["Subject"] or "").replace("\n", " ")
    if not mid or mid in seen or "check-in with" not in subject or not m["Reply-To"]:
        continue
    seen.add(mid)
    body = ("We met yesterday, 30 min\n\nSent from my phone\n\n"
            "On Monday, the programme wrote:\n> " + subject + "\n")
    msg = ("From: <%s>\nTo: %s\nSubject: Re: %s\nDate: %s %s %s 09:00:00 +0000\n"
           "Message-ID: <r%d-%s@phone.example>\nIn-Reply-To: %s\nReferences: %s\n"
           "MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\n%s"
           % (email.utils.parseaddr(m["To"])[1], m["Reply-To"], subject,
              d, months[int(mo) - 1], y, len(seen), day, mid, mid, body))
    tmp = os.path.join(md, "tmp", "%s.%d.phone" % (day, n))
    open(tmp, "w").write(msg)
    os.rename(tmp, os.path.join(md, "new", "%s.%d.phone" % (day, n)))
    n += 1
open(seen_path, "w").write("\n".join(seen))
print(n)
PY
}
# inbox_run DAY K: one of the day's two runs on the same maildir
inbox_run() {
	"$MENTORCTL" --today "$1" --format csv inbox --maildir "$T/md" \
		--sendmail "$T/capture_ack" >"$T/log/inbox-$1-$2.csv" \
		2>>"$T/log/inbox.err"
	echo "$? inbox $1 $2" >>"$T/log/inbox.rc"
}
inbox_lane() {
	echo "$1 $(participants "$1")" >>"$T/log/replies"
	inbox_run "$1" 1 &
	ib=$!
	inbox_run "$1" 2
	wait $ib
}

DAYS="2027-01-09 2027-01-10 2027-01-12 2027-01-14 2027-01-17 2027-01-19 2027-01-22 2027-01-26"
R=4
t0=$(date +%s)
n=0
for d in $DAYS; do
	n=$((n + 1))
	coordinator "$d" $n a &
	pids=$!
	coordinator "$d" $n b &
	pids="$pids $!"
	inbox_lane "$d" &
	pids="$pids $!"
	r=1
	while [ $r -le $R ]; do
		reminder "$d" $r &
		pids="$pids $!"
		r=$((r + 1))
	done
	wait $pids
	echo "$d: $(ls "$MAILDIR" | wc -l) messages so far; sends per run:" \
		$(for r in $(seq $R); do wc -l <"$T/log/remind-$d-$r.out"; done)
done
t1=$(date +%s)

cat "$T/log"/*.rc >"$T/log/remind.rc"
writes=$(wc -l <"$T/log/coord")
runs=$(wc -l <"$T/log/remind.rc")
msgs=$(ls "$MAILDIR" | wc -l)
replies=$(awk '{ s += $2 } END { print s + 0 }' "$T/log/replies")
echo "concurrency: $writes coordinator writes (2 lanes), $replies replies by mail" \
	"(2 inbox runs at a time), $runs remind runs ($R at a time," \
	"8 days), $msgs messages, $((t1 - t0)) s"

# Nobody failed; nothing locked escaped.
check '[ "$(awk "\$1 != 0" "$T/log/coord" | wc -l)" -eq 0 ]' \
	"coordinator commands failed: $(awk '$1 != 0' "$T/log/coord" | head -5)"
check '[ "$(awk "\$1 != 0" "$T/log/remind.rc" | wc -l)" -eq 0 ]' \
	"remind runs failed: $(awk '$1 != 0' "$T/log/remind.rc" | head -5)"
check '! grep -q "^75 " "$T/log/coord" "$T/log/remind.rc"' "an exit 75 well inside the timeout"
check '[ "$(awk "\$1 != 0" "$T/log/inbox.rc" | wc -l)" -eq 0 ]' \
	"inbox runs failed: $(awk '$1 != 0' "$T/log/inbox.rc" | head -5) $(head -3 "$T/log/inbox.err")"
# Each reply handled once between the two runs: recorded (or refused, with
# its reason) by one, a duplicate for the other when both read it; none left
# in new/; one acknowledgement per reply handled.
cat "$T/log"/inbox-*.csv | grep -v '^message,' >"$T/inbox.rows"
handled=$(grep -vc ",duplicate," "$T/inbox.rows")
check '[ "$replies" -gt 30 ]' "only $replies replies: the reminders did not ask much"
check '[ "$(ls "$T/md/new" | wc -l)" -eq 0 ]' "replies left unread in new/"
check '[ "$(ls "$T/md/cur" | wc -l)" -eq "$replies" ]' "$(ls "$T/md/cur" | wc -l) replies in cur/, $replies written"
check '[ "$handled" -eq "$replies" ]' "$handled replies handled for $replies written"
check '[ "$(q "SELECT count(*) FROM mail_handled")" -eq "$replies" ]' \
	"$(q "SELECT count(*) FROM mail_handled") messages recorded handled, $replies written"
check '[ "$(grep -c ",recorded," "$T/inbox.rows")" -gt 0 ]' "no reply was recorded: $(head -3 "$T/inbox.rows")"
check '[ "$(ls "$ACKDIR" | wc -l)" -eq "$handled" ]' \
	"$(ls "$ACKDIR" | wc -l) acknowledgements for $handled replies"
check '! cat "$T/log"/*.err | grep -qi "locked"' \
	"'database is locked' escaped: $(cat "$T/log"/*.err | grep -i locked | head -3)"
check '! cat "$T/log"/*.err | grep -qi "busy"' "a busy error escaped"
check '! cat "$T/log"/*.err | grep -q "runtime error\|Sanitizer"' "a sanitizer report"

# Each reminder once: by Message-ID, in the mail and in the database.
grep -h '^Message-ID:' "$MAILDIR"/msg.* | sort >"$T/ids"
check '[ "$(wc -l <"$T/ids")" -eq "$msgs" ]' "a message without a Message-ID"
check '[ "$(uniq -d "$T/ids" | wc -l)" -eq 0 ]' \
	"reminders mailed twice: $(uniq -d "$T/ids" | head -3)"
check '[ "$msgs" -gt 150 ]' "only $msgs messages: the days did not remind much"
check '[ "$(q "SELECT count(*) FROM reminder WHERE state = '"'sent'"'")" -eq "$msgs" ]' \
	"$(q "SELECT count(*) FROM reminder WHERE state = 'sent'") reminders recorded sent, $msgs mailed"
check '[ "$(q "SELECT count(*) FROM reminder WHERE state <> '"'sent'"'")" -eq 0 ]' \
	"claims left unsent"
q "SELECT '<' || message_id || '>' FROM reminder ORDER BY 1" >"$T/db-ids"
sed 's/^Message-ID: *//; s/\r$//' "$T/ids" | sort >"$T/mail-ids"
check 'cmp -s "$T/db-ids" "$T/mail-ids"' \
	"the recorded Message-IDs are not the mailed ones: $(diff "$T/db-ids" "$T/mail-ids" | head -4)"
# the runs' own accounts add up to the mail
check '[ "$(cat "$T/log"/remind-*.out | wc -l)" -eq "$msgs" ]' \
	"the runs reported $(cat "$T/log"/remind-*.out | wc -l) sends, $msgs mailed"

# No write lost: what exited 0 is there, and nothing else.
{
	awk '$1 == 0 && $2 == "checkin" { print $6 "|" $8 }' "$T/log/coord"
	# a recorded "met yesterday": the day before the run's --today
	for f in "$T/log"/inbox-*.csv; do
		d=$(basename "$f" | sed 's/^inbox-//; s/-[12]\.csv$//')
		y=$(date -u -d "$d -1 day" +%F)
		awk -F, -v y="$y" '$3 == "recorded" { print $4 "|" y }' "$f"
	done
} | sort >"$T/want"
q "SELECT pairing_id || '|' || held_on FROM checkin" | sort >"$T/got"
check '[ -s "$T/want" ] && cmp -s "$T/want" "$T/got"' \
	"check-ins: $(wc -l <"$T/want") ok, $(wc -l <"$T/got") stored: $(diff "$T/want" "$T/got" | head -4)"
for f in "$T"/new-*.csv; do sed -n '2s/,.*//p' "$f"; done | sort >"$T/want"
q "SELECT email FROM person JOIN enrollment ON enrollment.person_id = person.id
   WHERE email LIKE 'new%'" | sort >"$T/got"
check '[ "$(wc -l <"$T/want")" -eq 24 ] && cmp -s "$T/want" "$T/got"' \
	"enrollments: $(diff "$T/want" "$T/got" | head -4)"
awk '$1 == 0 && $2 == "training" { print $7 "|" $8 }' "$T/log/coord" | sort >"$T/want"
q "SELECT email || '|' || t.name FROM training t JOIN person p ON p.id = t.person_id" |
	sort >"$T/got"
check '[ "$(wc -l <"$T/want")" -eq 24 ] && cmp -s "$T/want" "$T/got"' \
	"trainings: $(diff "$T/want" "$T/got" | head -4)"
# feedback: the last one given per pairing (a later one replaces it)
awk '$1 == 0 && $2 == "feedback" { last[$6] = $10 } END { for (p in last) print p "|" last[p] }' \
	"$T/log/coord" | sort >"$T/want"
q "SELECT pairing_id || '|' || rating FROM feedback" | sort >"$T/got"
check '[ -s "$T/want" ] && cmp -s "$T/want" "$T/got"' \
	"feedback: $(diff "$T/want" "$T/got" | head -4)"
check '[ "$(q "PRAGMA integrity_check")" = ok ]' "integrity_check"

# The timeout, once: Python holds the write lock for 12 s.  A writer waits
# its 10 s, then exit 75 with one line and nothing changed; a reader is not
# blocked (WAL).
before=$(db_dump)
rm -f "$T/held"
python3 - "$MENTORCTL_DB" "$T/held" <<'EOF' &
import sqlite3, sys, time
con = sqlite3.connect(sys.argv[1], isolation_level=None)
con.execute("BEGIN IMMEDIATE")
open(sys.argv[2], "w").close()
time.sleep(12)
con.execute("ROLLBACK")
EOF
holder=$!
i=0
while [ ! -e "$T/held" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
check '[ -e "$T/held" ]' "python did not take the write lock"
expect 0 --today 2027-01-26 pairings conc
s0=$(date +%s.%N)
expect 75 --today 2027-01-26 checkin 1 --on 2027-01-25 --replace
s1=$(date +%s.%N)
waited=$(echo "$s0 $s1" | awk '{ printf "%.1f", $2 - $1 }')
echo "busy: a writer gave up after $waited s"
err_lines 1
err_has "mentorctl: database '$MENTORCTL_DB' is busy"
err_has "; try again"
check 'echo "$waited" | awk "{ exit !(\$1 >= 9.5) }"' "exit 75 after $waited s, before the timeout"
wait $holder
check '[ "$(db_dump)" = "$before" ]' "the busy command changed the database"
# and once the lock is gone, the same command goes through (--replace:
# the lanes above may or may not have met pairing 1 on that day)
expect 0 --today 2027-01-26 checkin 1 --on 2027-01-25 --replace

done_testing
