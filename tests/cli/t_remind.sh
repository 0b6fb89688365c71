#!/bin/sh
# remind: a programme walked through its first cycle day by day with
# --today; each reminder kind on its day, to the right people, once; dry
# run, formats, a failing mail program, a programme without a contact, and
# header injection through a person's name.
. "$TOP/tests/cli/lib.sh"

MAILDIR="$T/mail"
export MAILDIR
mkdir -p "$MAILDIR"
# The mail program: each message into a file of its own, as a maildir would.
cat >"$T/capture" <<'EOF'
#!/bin/sh
f=$(mktemp "$MAILDIR/msg.XXXXXX") || exit 75
cat >"$f"
EOF
chmod +x "$T/capture"
SM="$T/capture"

nmail() { ls "$MAILDIR" | wc -l; }
# The messages whose To: is ADDR.
mail_to() { grep -l "^To: .*<$1>" "$MAILDIR"/msg.* 2>/dev/null; }
clear_mail() { rm -f "$MAILDIR"/msg.*; }
# hdr NAME FILE...: the header, unfolded and decoded, of each message.
hdr() {
	python3 - "$@" <<'PY'
import email, email.policy, signal, sys
signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # grep -q stops reading early
for f in sys.argv[2:]:
    with open(f, "rb") as fp:
        m = email.message_from_binary_file(fp, policy=email.policy.default)
    print(m[sys.argv[1]])
PY
}
nsent() { sqlite3 "$MENTORCTL_DB" "SELECT count(*) FROM reminder WHERE state = 'sent'"; }

# pair PROGRAM MENTOR MENTEE STATUS DAY [EXPIRES]: a pairing as match and
# accept will leave it -- inserted by SQL until those commands land.  An
# active pairing joins the open cycle, as the lifecycle contract says.
pair() {
	sqlite3 "$MENTORCTL_DB" <<SQL
INSERT INTO pairing (program_id, mentor_enrollment_id, mentee_enrollment_id,
  status, proposed_on, expires_on, activated_on, cycle_id)
SELECT g.id,
  (SELECT e.id FROM enrollment e JOIN person p ON p.id = e.person_id
   WHERE e.program_id = g.id AND p.email = '$2' AND e.role = 'mentor'),
  (SELECT e.id FROM enrollment e JOIN person p ON p.id = e.person_id
   WHERE e.program_id = g.id AND p.email = '$3' AND e.role = 'mentee'),
  '$4', '$5', ${6:-NULL}, CASE WHEN '$4' = 'active' THEN '$5' END,
  CASE WHEN '$4' = 'active' THEN (SELECT c.id FROM cycle c
   WHERE c.program_id = g.id AND c.status = 'open'
   ORDER BY c.number DESC LIMIT 1) END
FROM program g WHERE g.slug = '$1';
INSERT INTO pairing_cycle (pairing_id, cycle_id)
SELECT id, cycle_id FROM pairing WHERE id = last_insert_rowid()
  AND cycle_id IS NOT NULL;
SQL
}

expect 0 init
expect 0 program add "$DATA/programs/eng-2027.yaml"
# Eve's name carries a header of its own: CSV allows a quoted CR LF.
printf 'email,name,department\r\nann@example.org,Ann Mentor,Eng\r\nbob@example.org,Bob Mentee,Ops\r\ncat@example.org,Cat Mentor,Eng\r\ndan@example.org,Dan Mentee,Sales\r\nfay@example.org,Fay Mentor,Eng\r\neve@example.org,"Eve\r\nBcc: victim@evil.example",HR\r\n' >"$T/people.csv"
expect 0 people import "$T/people.csv"
check '[ "$(sqlite3 "$MENTORCTL_DB" "SELECT instr(name, char(10)) > 0 FROM person WHERE email = '"'eve@example.org'"'")" = 1 ]' \
	"the fixture lost the newline in Eve's name"
for m in ann cat fay; do expect 0 enroll eng-2027 $m@example.org --role mentor; done
for m in bob dan eve; do expect 0 enroll eng-2027 $m@example.org --role mentee; done

# Pairings 1 (ann-bob) and 2 (fay-eve) turn active on the cycle's first
# day; cycle start attaches them.
export MENTORCTL_TODAY=2027-01-11
pair eng-2027 ann@example.org bob@example.org active 2027-01-11
pair eng-2027 fay@example.org eve@example.org active 2027-01-11
expect 0 cycle start eng-2027
err_has "2 active pairings joined"

# Nothing is due before the remind window (every 2 weeks: due 01-25,
# reminded from 01-23).
expect 0 --today 2027-01-22 remind --sendmail "$SM"
out_is ""
check '[ "$(nmail)" -eq 0 ]' "mail sent on 01-22"

# A dry run lists, sends and records nothing.
before=$(db_dump)
expect 0 --today 2027-01-23 remind --dry-run --sendmail "$SM"
out_has "checkin_due 1 ann@example.org 2027-01-25"
out_has "checkin_due 1 bob@example.org 2027-01-25"
out_has "checkin_due 2 fay@example.org 2027-01-25"
out_has "checkin_due 2 eve@example.org 2027-01-25"
err_has "4 mails would be sent"
check '[ "$(nmail)" -eq 0 ]' "dry run sent mail"
check '[ "$(db_dump)" = "$before" ]' "dry run changed the database"
expect 0 --today 2027-01-23 --format json remind --dry-run
out_has '"kind":"checkin_due","pairing_id":1,"due_on":"2027-01-25","recipient":"ann@example.org","subject":"Engineering Mentoring 2027: check-in with Bob Mentee due on 2027-01-25"'
check 'printf "%s" "$OUT" | python3 -c "import json,sys; d=json.load(sys.stdin); assert len(d)==4 and list(d[0])[:5]==[\"kind\",\"pairing_id\",\"due_on\",\"recipient\",\"subject\"]"' \
	"dry-run json: not 4 objects keyed kind,pairing_id,due_on,recipient,subject"
expect 0 --today 2027-01-23 --format mbox remind --dry-run
out_has "From mentorctl@localhost "
out_has "Message-ID: <checkin_due.1.20270125."
check '[ "$(grep -c "^From mentorctl@localhost " "$T/.out")" -eq 4 ]' "mbox: not 4 messages"
expect 64 --today 2027-01-23 --format csv remind --dry-run
check '[ "$(db_dump)" = "$before" ]' "dry runs changed the database"

# 01-23: check-in due, to both partners, with the first meeting's prompt.
expect 0 --today 2027-01-23 remind --sendmail "$SM"
out_has "checkin_due 1 ann@example.org 2027-01-25"
out_has "checkin_due 2 eve@example.org 2027-01-25"
err_has "sent 4 mails"
check '[ "$(nmail)" -eq 4 ]' "01-23: $(nmail) messages, expected 4"
m=$(mail_to ann@example.org)
check 'hdr Subject $m | grep -qx "Engineering Mentoring 2027: check-in with Bob Mentee due on 2027-01-25"' "ann's subject"
check 'grep -q "^From: \"Engineering Mentoring 2027\" <mentoring@example.org>" $m' "ann's From"
check 'grep -q "^Message-ID: <checkin_due.1.20270125\..*@example.org>" $m' "ann's Message-ID"
check 'grep -q "^Date: " $m' "ann's Date"
check 'grep -q "Explore each other.s past" $m' "ann's message lacks prompt 1"
check '[ "$(nsent)" -eq 4 ]' "01-23: $(nsent) recorded, expected 4"
check '[ "$(sqlite3 "$MENTORCTL_DB" "SELECT count(*) FROM reminder WHERE message_id LIKE '"'checkin_due.%'"' AND sent_at IS NOT NULL")" -eq 4 ]' \
	"sent reminders lack message_id or sent_at"

# Header injection: Eve's message has her name on the To line only.
m=$(mail_to eve@example.org)
check '[ -n "$m" ]' "no message to eve"
check '! grep -q "^Bcc:" "$MAILDIR"/msg.*' "a name injected a Bcc header"
check '! grep -q "victim@evil.example>" "$MAILDIR"/msg.*' "the injected address became a recipient"
check '! grep -q "$(printf "\r")" "$MAILDIR"/msg.*' "a message holds a CR"
check '[ "$(sed -n "/^To:/p" $m | wc -l)" -eq 1 ]' "eve's message has more than one To"
check 'sed "/^$/q" $m | grep -q "^To: \"Eve Bcc: victim@evil.example\" <eve@example.org>"' \
	"eve's To line: $(grep "^To:" $m)"

# Run again the same day, or the next: nothing twice.
clear_mail
expect 0 --today 2027-01-23 remind --sendmail "$SM"
out_is ""
expect 0 --today 2027-01-24 remind --sendmail "$SM"
out_is ""
check '[ "$(nmail)" -eq 0 ]' "remind twice sent mail twice"
check '[ "$(nsent)" -eq 4 ]' "remind twice recorded more"

# Fay and Eve meet on 01-24 (their clock restarts: due 02-07); a proposal
# for Dan, which Cat has accepted, expires on 01-30.
expect 0 --today 2027-01-24 checkin 2 --on 2027-01-24
pair eng-2027 cat@example.org dan@example.org proposed 2027-01-20 "'2027-01-30'"
sqlite3 "$MENTORCTL_DB" "UPDATE pairing SET mentor_accepted_on = '2027-01-21' WHERE id = 3"

expect 0 --today 2027-01-27 remind --sendmail "$SM"
out_is ""
# 01-28: two days before expiry, to the party that has not answered.
expect 0 --today 2027-01-28 remind --sendmail "$SM"
out_is "proposal_expiring 3 dan@example.org 2027-01-30"
m=$(mail_to dan@example.org)
check 'hdr Subject $m | grep -q "please answer your match with Cat Mentor by 2027-01-30"' "dan's proposal subject"
check '[ -z "$(mail_to cat@example.org)" ]' "cat, who accepted, was reminded"
clear_mail
# After the expiry day: never again (the proposal has expired).
expect 0 --today 2027-01-31 --format json remind --dry-run
out_lacks "proposal_expiring"

# 01-31: pairing 1 is overdue (due 01-25 + 5 days), to both.
expect 0 --today 2027-01-31 remind --sendmail "$SM"
out_has "checkin_overdue 1 ann@example.org 2027-01-25"
out_has "checkin_overdue 1 bob@example.org 2027-01-25"
check '[ "$(nmail)" -eq 2 ]' "01-31: $(nmail) messages, expected 2"
check 'hdr Subject $(mail_to bob@example.org) | grep -q "check-in with Ann Mentor is overdue (due 2027-01-25)"' "bob's overdue subject"
clear_mail

# 02-05: Fay and Eve's second meeting is due 02-07, with prompt 2.
expect 0 --today 2027-02-05 remind --sendmail "$SM"
out_is "checkin_due 2 fay@example.org 2027-02-07
checkin_due 2 eve@example.org 2027-02-07"
check 'grep -q "Suggested topic for meeting 2" $(mail_to fay@example.org)' "fay's meeting number"
check 'grep -q "ambitions, goals, needs and challenges" $(mail_to fay@example.org)' "fay's prompt 2"
clear_mail

# 02-09: pairing 1 missed two check-ins (01-25, 02-08): stalled, to both
# partners and to the programme's contact, whose message names the pair.
expect 0 --today 2027-02-09 remind --sendmail "$SM"
out_is "stalled 1 ann@example.org 2027-02-08
stalled 1 bob@example.org 2027-02-08
stalled 1 mentoring@example.org 2027-02-08"
m=$(mail_to mentoring@example.org)
check 'hdr Subject $m | grep -q "pairing 1 (Ann Mentor and Bob Mentee) has stalled"' "contact's stalled subject"
check 'grep -q "mentor: *Ann Mentor <ann@example.org>" $m' "contact's message lacks the mentor"
check 'grep -q "mentee: *Bob Mentee <bob@example.org>" $m' "contact's message lacks the mentee"
clear_mail
# Stalled replaces due/overdue, and is sent once.
expect 0 --today 2027-02-12 remind --sendmail "$SM"
out_is ""

# A failing mail program: exit 69, one warning per mail naming the
# program, each failure kept for a retry on a later run (not the same
# morning); the next morning a working one sends them.  Fay and Eve are
# overdue from 02-13.
expect 69 --today 2027-02-13 remind --sendmail "exit 3"
err_has "checkin_overdue mail to fay@example.org not delivered (attempt 1 of 5): mail program 'exit 3' exited with status 3"
err_has "checkin_overdue mail to eve@example.org not delivered (attempt 1 of 5)"
err_has "2 mails not delivered"
out_is ""
check '[ "$(sqlite3 "$MENTORCTL_DB" "SELECT count(*) FROM reminder WHERE state = '"'failed'"' AND attempts = 1 AND error LIKE '"'exited with status 3%'"'")" -eq 2 ]' \
	"the failures are not in the log"
# The same morning: backing off, nothing tried, nothing failed.
export MENTORCTL_SENDMAIL=false
expect 0 --today 2027-02-13 remind
err_has "2 waiting for a retry"
unset MENTORCTL_SENDMAIL
# A program that exits 0 without reading the message did not take it.
expect 69 --today 2027-02-14 remind --sendmail true
err_has "mail program 'true' exited before reading the whole message"
# One message goes through, then the mail program fails: the first stays
# recorded as sent, the other waits for its retry.
cat >"$T/once" <<'EOF'
#!/bin/sh
if [ -e "$MAILDIR/.used" ]; then cat >/dev/null; exit 75; fi
touch "$MAILDIR/.used"
f=$(mktemp "$MAILDIR/msg.XXXXXX") && cat >"$f"
EOF
chmod +x "$T/once"
expect 69 --today 2027-02-15 remind --sendmail "$T/once"
out_is "checkin_overdue 2 fay@example.org 2027-02-07"
err_has "exited with status 75 (temporary failure)"
err_has "attempt 3 of 5"
check '[ "$(nmail)" -eq 1 ]' "once: $(nmail) messages"
check '[ "$(sqlite3 "$MENTORCTL_DB" "SELECT state || attempts FROM reminder WHERE pairing_id = 2 AND kind = '"'checkin_overdue'"' ORDER BY recipient")" = "failed3
sent3" ]' "after three attempts: $(sqlite3 "$MENTORCTL_DB" "SELECT recipient, state, attempts FROM reminder WHERE pairing_id = 2 AND kind = 'checkin_overdue'")"
clear_mail
export MENTORCTL_SENDMAIL="$SM"
expect 0 --today 2027-02-16 remind
unset MENTORCTL_SENDMAIL
out_is "checkin_overdue 2 eve@example.org 2027-02-07"
check '[ "$(nmail)" -eq 1 ]' "retry: $(nmail) messages, expected 1"
check '[ "$(sqlite3 "$MENTORCTL_DB" "SELECT count(*) FROM reminder WHERE state <> '"'sent'"'")" -eq 0 ]' \
	"a mail is left unsent"
clear_mail

# A recorded meeting restarts the clock: ann and bob meet on 02-10.
expect 0 --today 2027-02-14 checkin 1 --on 2027-02-10
expect 0 --today 2027-02-22 remind --sendmail "$SM"
out_has "checkin_due 1 ann@example.org 2027-02-24"
check 'grep -q "Suggested topic for meeting 2" $(mail_to ann@example.org)' "after a meeting: meeting 2"
clear_mail

# A claim left by a run that died after handing the mail over: its
# outcome is unknown, so it counts as sent (never twice) until the
# coordinator resends it.
expect 0 --today 2027-03-01 checkin 2 --on 2027-02-13
sqlite3 "$MENTORCTL_DB" "INSERT INTO reminder (program_id, pairing_id, subject_key, kind, due_on, recipient, state, claimed_at, claimed_by)
  VALUES (1, 2, 'pairing:2', 'checkin_due', '2027-02-27', 'fay@example.org', 'handed', strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), '1')"
expect 0 --today 2027-02-25 remind --sendmail "$SM"
out_is "checkin_due 2 eve@example.org 2027-02-27"
expect 0 --format csv mail unsent
out_has "checkin_due,2027-02-27,fay@example.org,unknown,1,"
expect 0 mail resend --unknown
err_has "1 mail with an unknown outcome will be sent again"
expect 0 --today 2027-02-25 remind --sendmail "$SM"
out_is "checkin_due 2 fay@example.org 2027-02-27"
expect 0 --format csv mail unsent
out_has "id,program,pairing_id,kind,due_on,recipient,state,attempts,last_try,error,message_id"
check '[ "$(wc -l <"$T/.out")" -eq 1 ]' "mail unsent lists mail after the resend"
clear_mail

# Re-up window (06-19 .. 07-03: before the last day, 07-10): to each partner who has not answered.
expect 0 --today 2027-06-20 reup 1 --by ann@example.org yes
expect 0 --today 2027-06-20 remind --sendmail "$SM"
out_has "reup_open 1 bob@example.org 2027-06-19"
out_lacks "reup_open 1 ann@example.org"
out_has "reup_open 2 fay@example.org 2027-06-19"
out_has "reup_open 2 eve@example.org 2027-06-19"
check 'hdr Subject $(mail_to bob@example.org) | grep -q "continue with Ann Mentor for another cycle? Answer by 2027-07-03"' \
	"bob's re-up subject"
clear_mail
expect 0 --today 2027-06-25 --format json remind --dry-run
out_lacks "reup_open"
expect 0 --today 2027-07-05 --format json remind --dry-run
out_lacks "reup_open"

# --program: one programme; an unknown one is an error.
expect 0 --today 2027-06-25 remind --dry-run --program eng-2027
expect 65 --today 2027-06-25 remind --dry-run --program nope
err_has "unknown programme 'nope'"

# A programme without a contact: its reminders are not sent (no From),
# the others' are, and the run says so.
sed -e 's/^slug: eng-2027/slug: quiet/' -e '/^contact:/d' \
	"$DATA/programs/eng-2027.yaml" >"$T/quiet.yaml"
expect 0 program add "$T/quiet.yaml"
expect 0 enroll quiet ann@example.org --role mentor
expect 0 enroll quiet bob@example.org --role mentee
pair quiet ann@example.org bob@example.org active 2027-06-01
expect 65 --today 2027-06-25 remind --sendmail "$SM"
err_has "programme 'quiet' has no valid contact address"
err_has "some mail could not be sent"
out_lacks " 4 "
check '[ "$(sqlite3 "$MENTORCTL_DB" "SELECT count(*) FROM reminder WHERE pairing_id = 4")" -eq 0 ]' \
	"a reminder of the programme without contact was recorded"

done_testing
