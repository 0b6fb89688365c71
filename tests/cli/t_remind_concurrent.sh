#!/bin/sh
# Two `remind` processes at the same time, against a capturing mail program
# slow enough for them to overlap: every reminder goes out exactly once
# (counted by Message-ID) and is recorded once.
. "$TOP/tests/cli/lib.sh"

MAILDIR="$T/mail"
export MAILDIR
mkdir -p "$MAILDIR"
cat >"$T/capture" <<'EOF'
#!/bin/sh
f=$(mktemp "$MAILDIR/msg.XXXXXX") || exit 75
cat >"$f"
sleep 0.02
EOF
chmod +x "$T/capture"

N=30
expect 0 init
expect 0 program add "$DATA/programs/eng-2027.yaml"
{
	echo "email,name,role"
	i=1
	while [ $i -le $N ]; do
		echo "mentor$i@example.org,Mentor $i,mentor"
		echo "mentee$i@example.org,Mentee $i,mentee"
		i=$((i + 1))
	done
} >"$T/enroll.csv"
expect 0 enroll eng-2027 --csv "$T/enroll.csv"
# N active pairings as accept will leave them (SQL until accept lands).
sqlite3 "$MENTORCTL_DB" "INSERT INTO pairing (program_id, mentor_enrollment_id,
  mentee_enrollment_id, status, proposed_on, activated_on)
  SELECT 1, m.id, t.id, 'active', '2027-01-11', '2027-01-11'
  FROM enrollment m JOIN person mp ON mp.id = m.person_id
  JOIN enrollment t JOIN person tp ON tp.id = t.person_id
  WHERE m.role = 'mentor' AND t.role = 'mentee'
    AND substr(mp.email, 7) = substr(tp.email, 7)"
check '[ "$(sqlite3 "$MENTORCTL_DB" "SELECT count(*) FROM pairing")" -eq $N ]' \
	"fixture: not $N pairings"
expect 0 --today 2027-01-11 cycle start eng-2027

# race DAY: both runs at once; their outputs in $T/a.* and $T/b.*
race() {
	"$MENTORCTL" --today "$1" remind --sendmail "$T/capture" >"$T/a.out" 2>"$T/a.err" &
	pa=$!
	"$MENTORCTL" --today "$1" remind --sendmail "$T/capture" >"$T/b.out" 2>"$T/b.err" &
	pb=$!
	wait $pa
	ra=$?
	wait $pb
	rb=$?
	CHECKS=$((CHECKS + 1))
	if [ $ra -ne 0 ] || [ $rb -ne 0 ]; then
		fail "concurrent runs on $1 exited $ra and $rb"
		cat "$T/a.err" "$T/b.err"
	fi
}
ids() { grep -h '^Message-ID:' "$MAILDIR"/msg.* | sort; }

# 01-23: a check-in due for every pairing, to both partners.
race 2027-01-23
echo "01-23: run a sent $(wc -l <"$T/a.out"), run b $(wc -l <"$T/b.out")"
check '[ "$(ls "$MAILDIR" | wc -l)" -eq $((2 * N)) ]' \
	"01-23: $(ls "$MAILDIR" | wc -l) messages, expected $((2 * N))"
check '[ "$(ids | uniq | wc -l)" -eq $((2 * N)) ]' "01-23: a Message-ID went out twice"
check '[ "$(cat "$T/a.out" "$T/b.out" | wc -l)" -eq $((2 * N)) ]' \
	"01-23: the runs reported $(cat "$T/a.out" "$T/b.out" | wc -l) sends"
check '[ "$(cat "$T/a.out" "$T/b.out" | sort | uniq -d | wc -l)" -eq 0 ]' \
	"01-23: both runs reported the same send"
check '[ "$(sqlite3 "$MENTORCTL_DB" "SELECT count(*) FROM reminder WHERE state = '"'sent'"'")" -eq $((2 * N)) ]' \
	"01-23: not every reminder recorded as sent once"

# 02-09: every pair stalled: both partners and the contact.
race 2027-02-09
check '[ "$(ls "$MAILDIR" | wc -l)" -eq $((5 * N)) ]' \
	"02-09: $(ls "$MAILDIR" | wc -l) messages in all, expected $((5 * N))"
check '[ "$(ids | uniq -d | wc -l)" -eq 0 ]' "02-09: a Message-ID went out twice"
check '[ "$(grep -l "^To: .*<mentoring@example.org>" "$MAILDIR"/msg.* | wc -l)" -eq $N ]' \
	"02-09: the contact did not get one message per pair"

# And a third run finds nothing left.
race 2027-02-09
check '[ "$(ls "$MAILDIR" | wc -l)" -eq $((5 * N)) ]' "a third run sent mail again"
check '[ ! -s "$T/a.out" ] && [ ! -s "$T/b.out" ]' "a third run reported sends"

done_testing
