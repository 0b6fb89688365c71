#!/bin/sh
# Two `remind` processes at the same time, against a capturing mail program
# slow enough for them to overlap: every mail goes out exactly once
# (counted by Message-ID) and is recorded once.
. "$TOP/tests/cli/lib.sh"
. "$TOP/tests/cli/remind_lib.sh"

MAILDIR="$T/mail"
export MAILDIR
mkdir -p "$MAILDIR"
capture_program "$T/capture" 0.02

N=30
fixture_pairs $N 2027-01-11

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
nmsg() { ls "$MAILDIR" | grep -c '^msg\.'; }
ids() { message_ids "$MAILDIR"; }

# 01-11: matched, to both partners of every pairing.
race 2027-01-11
check '[ "$(nmsg)" -eq $((2 * N)) ]' "01-11: $(nmsg) messages, expected $((2 * N))"
# 01-23: a check-in due for every pairing, to both partners.
race 2027-01-23
echo "01-23: run a sent $(wc -l <"$T/a.out"), run b $(wc -l <"$T/b.out")"
check '[ "$(nmsg)" -eq $((4 * N)) ]' \
	"01-23: $(nmsg) messages in all, expected $((4 * N))"
check '[ "$(ids | uniq | wc -l)" -eq $((4 * N)) ]' "01-23: a Message-ID went out twice"
check '[ "$(cat "$T/a.out" "$T/b.out" | wc -l)" -eq $((2 * N)) ]' \
	"01-23: the runs reported $(cat "$T/a.out" "$T/b.out" | wc -l) sends"
check '[ "$(cat "$T/a.out" "$T/b.out" | sort | uniq -d | wc -l)" -eq 0 ]' \
	"01-23: both runs reported the same send"
check '[ "$(sqlite3 "$MENTORCTL_DB" "SELECT count(*) FROM reminder WHERE state = '"'sent'"'")" -eq $((4 * N)) ]' \
	"01-23: not every mail recorded as sent once"

# 02-09: every pair stalled: both partners, and one digest for the
# coordinators that lists them all.
race 2027-02-09
check '[ "$(nmsg)" -eq $((6 * N + 1)) ]' \
	"02-09: $(nmsg) messages in all, expected $((6 * N + 1))"
check '[ "$(ids | uniq -d | wc -l)" -eq 0 ]' "02-09: a Message-ID went out twice"
check '[ "$(grep -l "^To: .*<mentoring@example.org>" "$MAILDIR"/msg.* | wc -l)" -eq 1 ]' \
	"02-09: the contact did not get one digest"
check 'grep -q "Stalled pairs: $N ($N new)" "$(grep -l "^To: .*<mentoring@example.org>" "$MAILDIR"/msg.*)"' \
	"02-09: the digest does not list every stalled pair"

# And a third run finds nothing left.
race 2027-02-09
check '[ "$(nmsg)" -eq $((6 * N + 1)) ]' "a third run sent mail again"
check '[ ! -s "$T/a.out" ] && [ ! -s "$T/b.out" ]' "a third run reported sends"

done_testing
