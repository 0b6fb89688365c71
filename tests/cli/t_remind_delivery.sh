#!/bin/sh
# One bad address must not stop the others (issue 18.1).  The same nine
# weeks of mornings (remind every day, half of the pairs meeting every two
# weeks) are walked three times, each with its own database and mail
# program:
#   clean:   a mail program that takes everything (the reference);
#   bounce:  one that refuses e2@example.org with exit 67 (EX_NOUSER):
#            every mail to the others goes out, exactly once, the address
#            is tried once, marked as bouncing and then held back;
#   flaky:   one that fails (exit 75) about half the time: failures are
#            retried on later mornings, nothing goes out twice, and what
#            is given up is reported.
. "$TOP/tests/cli/lib.sh"
. "$TOP/tests/cli/remind_lib.sh"

N=8
FROM=2027-01-11
TO=2027-03-14

# walk NAME SENDMAIL: the nine weeks in database $T/NAME.db, mail in
# $T/NAME/; exit statuses per day in $T/NAME.rc.
walk() {
	MENTORCTL_DB="$T/$1.db"
	MAILDIR="$T/$1"
	export MENTORCTL_DB MAILDIR
	mkdir -p "$MAILDIR"
	fixture_pairs $N $FROM
	: >"$T/$1.rc"
	for d in $(days $FROM $TO); do
		run --today "$d" remind --sendmail "$2"
		echo "$d $RC" >>"$T/$1.rc"
		cat "$T/.err" >>"$T/$1.err"
		# Even pairs meet on the day their check-in is due.
		case $d in
		2027-01-25 | 2027-02-08 | 2027-02-22 | 2027-03-08)
			for i in 2 4 6 8; do
				expect 0 --today "$d" checkin $i --on "$d"
			done ;;
		esac
	done
}

capture_program "$T/prog-capture"
walk clean "$T/prog-capture"
# Mail to the partners; the digests differ by design (they report the
# failures) and are checked apart.
pairing_ids "$T/clean" >"$T/clean.ids"
total=$(wc -l <"$T/clean.ids")
check '[ "$(uniq -d "$T/clean.ids" | wc -l)" -eq 0 ]' "clean: a Message-ID twice"
check '[ "$(awk "\$2 != 0" "$T/clean.rc" | wc -l)" -eq 0 ]' \
	"clean: a morning failed: $(awk '$2 != 0' "$T/clean.rc" | head -3)"
to_bad=$(grep -l '^To: .*<e2@example.org>' "$T/clean"/msg.* | wc -l)

# ---- one address refused with exit 67 ----
reject_program "$T/prog-reject" e2@example.org 67
walk bounce "$T/prog-reject"
pairing_ids "$T/bounce" >"$T/bounce.ids"
# Every mail to the others, exactly once: the reference less e2's.
for f in "$T/clean"/msg.*; do
	grep -q '^To: .*<e2@example.org>' "$f" || message_id "$f"
done | grep -v '^<digest\.' | mail_key | sort >"$T/deliverable.ids"
deliverable=$(wc -l <"$T/deliverable.ids")
delivered=$(wc -l <"$T/bounce.ids")
echo "bounce: $total mails in the clean run, $to_bad to e2, $deliverable deliverable," \
	"$delivered delivered, $(grep -c '^refused' "$T/bounce/.log") tried to e2"
check '[ "$deliverable" -ge 48 ]' "only $deliverable deliverable mails: the weeks did not remind much"
check 'cmp -s "$T/deliverable.ids" "$T/bounce.ids"' \
	"bounce: the mails delivered are not the deliverable ones: $(diff "$T/deliverable.ids" "$T/bounce.ids" | head -5)"
check '[ "$(uniq -d "$T/bounce.ids" | wc -l)" -eq 0 ]' "bounce: a Message-ID twice"
check '[ "$(grep -c "^refused" "$T/bounce/.log")" -eq 1 ]' \
	"bounce: e2 was tried $(grep -c '^refused' "$T/bounce/.log") times, not once"
# The morning it bounced exits 69 and says so; the later ones hold its mail.
first=$(awk '$2 != 0 { print $1; exit }' "$T/bounce.rc")
check '[ "$(awk "\$2 != 0" "$T/bounce.rc" | wc -l)" -eq 1 ] && [ "$(awk "\$2 != 0 { print \$2 }" "$T/bounce.rc")" = 69 ]' \
	"bounce: exit statuses $(awk '$2 != 0' "$T/bounce.rc" | tr '\n' ' ')"
check 'grep -q "mail to e2@example.org refused for good: mail program .* exited with status 67 (addressee unknown): e2@example.org: user unknown; the address is marked as bouncing" "$T/bounce.err"' \
	"bounce: no warning naming e2 and the reason"
check 'grep -q "held for bouncing addresses" "$T/bounce.err"' "bounce: held mail is not mentioned"
# The next morning's digest tells the coordinators.
next=$(python3 -c 'import datetime,sys; print(datetime.date.fromisoformat(sys.argv[1]) + datetime.timedelta(days=1))' "$first")
digest=$(grep -l "^Subject: .*digest for $next" "$T/bounce"/msg.* 2>/dev/null | head -1)
check '[ -n "$digest" ] && mail_text "$digest" | grep -q "Bouncing addresses .*NEW Mentee 2 <e2@example.org>, $first: exited with status 67 (addressee unknown)"' \
	"no digest on $next reporting e2 as bouncing: $(mail_text "$digest" 2>/dev/null)"
MENTORCTL_DB="$T/bounce.db"
expect 0 --format csv mail bounces
out_has "e2@example.org,Mentee 2,$first,remind,1,exited with status 67 (addressee unknown)"
check '[ "$(sqlite3 "$MENTORCTL_DB" "SELECT count(*) FROM reminder WHERE recipient = '"'e2@example.org'"'")" -eq 1 ]' \
	"bounce: held mails to e2 were logged"
# Cleared, with the address fixed: the next morning's mail reaches e2.
expect 0 mail clear e2@example.org
err_has "cleared 'e2@example.org': remind sends to it again"
expect 0 --format csv mail bounces
check '[ "$(wc -l <"$T/.out")" -eq 1 ]' "mail bounces after clear: $OUT"
MAILDIR="$T/bounce"
expect 0 --today 2027-03-20 remind --sendmail "$T/prog-capture"
out_has "checkin_due 2 e2@example.org 2027-03-22"
expect 0 mail clear e2@example.org
err_has "'e2@example.org' was not bouncing; nothing changed"
expect 0 mail bounce e3@example.org --reason "left the company"
expect 0 --format csv mail bounces
out_has "e3@example.org,Mentee 3,2027-01-04,coordinator,1,left the company"
expect 65 mail bounce not-an-address --reason x
expect 64 mail bounce e3@example.org

# ---- a mail program that fails half the time ----
flaky_program "$T/prog-flaky" 7
walk flaky "$T/prog-flaky"
pairing_ids "$T/flaky" >"$T/flaky.ids"
MENTORCTL_DB="$T/flaky.db"
gave_up=$(sqlite3 "$MENTORCTL_DB" "SELECT count(*) FROM reminder WHERE state = 'gave_up' AND kind <> 'digest'")
failed=$(sqlite3 "$MENTORCTL_DB" "SELECT count(*) FROM reminder WHERE state = 'failed' AND kind <> 'digest'")
echo "flaky: $(grep -c '^fail' "$T/flaky/.log") failures in $(cat "$T/flaky/.calls") calls;" \
	"$(wc -l <"$T/flaky.ids") of $total delivered, $gave_up given up, $failed failed last," \
	"$(uniq -d "$T/flaky.ids" | wc -l) duplicates"
check '[ "$(uniq -d "$T/flaky.ids" | wc -l)" -eq 0 ]' "flaky: a Message-ID twice"
# Whatever was not delivered is in the log as given up or failed (a mail
# whose window closed before its retries), never silently lost.
comm -23 "$T/clean.ids" "$T/flaky.ids" >"$T/missing.ids"
check '[ "$(wc -l <"$T/missing.ids")" -eq $((gave_up + failed)) ]' \
	"flaky: $(wc -l <"$T/missing.ids") missing, $gave_up given up, $failed failed"
check '[ "$(comm -13 "$T/clean.ids" "$T/flaky.ids" | wc -l)" -eq 0 ]' \
	"flaky: mail the clean run did not send"
# (A check-in reminder that failed until the pair met is moot: not retried.)
check '[ "$(wc -l <"$T/flaky.ids")" -ge $((total * 8 / 10)) ]' \
	"flaky: only $(wc -l <"$T/flaky.ids") of $total delivered"
check 'grep -q "a later run tries again" "$T/flaky.err"' "flaky: no retry warning"
expect 0 --format csv mail unsent
check '[ "$(grep -c ",gave_up," "$T/.out")" -eq "$gave_up" ]' "mail unsent does not list the give-ups"

done_testing
