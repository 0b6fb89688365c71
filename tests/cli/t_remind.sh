#!/bin/sh
# remind: a programme walked through its first cycle day by day with
# --today; each mail kind on its day, to the right people, once; dry run,
# formats, a failing mail program, a programme without a contact, and
# header injection through a person's name.  Fixtures through the CLI.
. "$TOP/tests/cli/lib.sh"

MAILDIR="$T/mail"
export MAILDIR
mkdir -p "$MAILDIR"
# The mail program: each message into a file of its own, as a maildir would.
cat >"$T/capture" <<'EOF2'
#!/bin/sh
f=$(mktemp "$MAILDIR/msg.XXXXXX") || exit 75
cat >"$f"
EOF2
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
# body FILE: the decoded text.
body() {
	python3 - "$1" <<'PY'
import email, email.policy, signal, sys
signal.signal(signal.SIGPIPE, signal.SIG_DFL)
with open(sys.argv[1], "rb") as fp:
    m = email.message_from_binary_file(fp, policy=email.policy.default)
print(m.get_body().get_content())
PY
}
# flat FILE: the decoded text on one line, runs of white space as one.
flat() { body "$1" | tr '\n' ' ' | tr -s ' '; }
nsent() { sqlite3 "$MENTORCTL_DB" "SELECT count(*) FROM reminder WHERE state = 'sent'"; }
# pairings_only: stdout without the coordinators' digest lines.
pairs_out() { grep -v '^digest ' "$T/.out"; }

expect 0 init
expect 0 program add "$DATA/programs/eng-2027.yaml"
# Eve's name carries a header of its own: CSV allows a quoted CR LF.
printf 'email,name,department,level,hired_on\r\nann@example.org,Ann Mentor,Eng,5,2015-01-01\r\nbob@example.org,Bob Mentee,Ops,2,2026-01-01\r\ncat@example.org,Cat Mentor,Eng,5,2015-01-01\r\ndan@example.org,Dan Mentee,Sales,2,2026-01-01\r\nfay@example.org,Fay Mentor,Eng,5,2015-01-01\r\neve@example.org,"Eve\r\nBcc: victim@evil.example",HR,2,2026-01-01\r\n' >"$T/people.csv"
expect 0 people import "$T/people.csv"
check '[ "$(sqlite3 "$MENTORCTL_DB" "SELECT instr(name, char(10)) > 0 FROM person WHERE email = '"'eve@example.org'"'")" = 1 ]' \
	"the fixture lost the newline in Eve's name"
printf 'email,training,on\nann@example.org,mentor-basics,2026-12-01\ncat@example.org,mentor-basics,2026-12-01\nfay@example.org,mentor-basics,2026-12-01\nbob@example.org,mentee-orientation,2026-12-01\ndan@example.org,mentee-orientation,2026-12-01\neve@example.org,mentee-orientation,2026-12-01\n' >"$T/training.csv"
expect 0 training add --csv "$T/training.csv"
for m in ann cat fay; do expect 0 enroll eng-2027 $m@example.org --role mentor; done
for m in bob dan eve; do expect 0 enroll eng-2027 $m@example.org --role mentee; done

# Pairings 1 (ann-bob) and 2 (fay-eve) proposed and accepted on the
# cycle's first day; cycle start attaches them.
export MENTORCTL_TODAY=2027-01-11
expect 0 pair eng-2027 ann@example.org bob@example.org
expect 0 pair eng-2027 fay@example.org eve@example.org --force
expect 0 accept 1
expect 0 accept 2
expect 0 cycle start eng-2027
err_has "2 active pairings joined"

# 01-11: active the same day: "you are matched", not an introduction.
expect 0 --today 2027-01-11 remind --sendmail "$SM"
out_is "matched 1 ann@example.org 2027-01-11
matched 1 bob@example.org 2027-01-11
matched 2 fay@example.org 2027-01-11
matched 2 eve@example.org 2027-01-11"
m=$(mail_to ann@example.org)
check 'hdr Subject $m | grep -qx "Engineering Mentoring 2027: you are matched with Bob Mentee"' "ann's matched subject"
check 'body $m | grep -q "Address: *bob@example.org"' "ann is not told bob's address"
check 'body $m | grep -q "due by 2027-01-25"' "the first meeting's day"
check 'body $m | grep -q "Explore each other.s past"' "the first meeting's topic"
clear_mail
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
out_has '"program":"eng-2027","circle_id":null}'
check 'printf "%s" "$OUT" | python3 -c "import json,sys; d=json.load(sys.stdin); assert len(d)==4 and list(d[0])[:5]==[\"kind\",\"pairing_id\",\"due_on\",\"recipient\",\"subject\"]"' \
	"dry-run json: not 4 objects keyed kind,pairing_id,due_on,recipient,subject"
expect 0 --today 2027-01-23 --format mbox remind --dry-run
out_has "From mentorctl@localhost "
# The reply token in the Message-ID and in the Reply-To plus-address.
check 'grep -q "^Message-ID: <[a-z2-7]*\.[0-9a-f]\{16\}@example.org>$" "$T/.out"' \
	"no token in the Message-IDs: $(grep -m1 "^Message-ID" "$T/.out")"
check 'grep -q "^ <mentoring+[a-z2-7]*@example.org>$" "$T/.out"' \
	"no token in the Reply-To: $(grep -m1 -A1 "^Reply-To" "$T/.out")"
out_has "Date: Sat, 23 Jan 2027 "
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
check 'grep -q "^Message-ID: <[a-z2-7]*\.[0-9a-f]\{16\}@example.org>$" $m' "ann's Message-ID"
check '[ "$(hdr Message-ID $m)" = "<$(sqlite3 "$MENTORCTL_DB" "SELECT message_id FROM reminder WHERE kind = '"'checkin_due'"' AND recipient = '"'ann@example.org'"'")>" ]' \
	"the Message-ID sent is not the one recorded"
check 'grep -q "^Date: Sat, 23 Jan 2027 " $m' "ann's Date is not the day of the run"
check 'grep -q "^Auto-Submitted: auto-generated$" $m' "no Auto-Submitted"
check 'grep -q "^X-Auto-Response-Suppress: All$" $m' "no X-Auto-Response-Suppress"
check 'grep -q "Explore each other.s past" $m' "ann's message lacks prompt 1"
check '[ "$(nsent)" -eq 8 ]' "01-23: $(nsent) recorded, expected 8"
check '[ "$(sqlite3 "$MENTORCTL_DB" "SELECT count(*) FROM reminder WHERE kind = '"'checkin_due'"' AND message_id LIKE '"'%@example.org'"' AND sent_at IS NOT NULL")" -eq 4 ]' \
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
# Every line within 78 octets, greetings included.
check '! awk "length > 78" "$MAILDIR"/msg.* | grep -q .' "a line longer than 78"

# Run again the same day, or the next: nothing twice.
clear_mail
expect 0 --today 2027-01-23 remind --sendmail "$SM"
out_is ""
expect 0 --today 2027-01-24 remind --sendmail "$SM"
out_is ""
check '[ "$(nmail)" -eq 0 ]' "remind twice sent mail twice"
check '[ "$(nsent)" -eq 8 ]' "remind twice recorded more"

# Fay and Eve meet on 01-24 (their clock restarts: due 02-07); Cat is
# proposed to Dan on 01-20, accepts on 01-21; it expires on 01-30.
expect 0 --today 2027-01-24 checkin 2 --on 2027-01-24
expect 0 --today 2027-01-20 pair eng-2027 cat@example.org dan@example.org
expect 0 --today 2027-01-25 remind --sendmail "$SM"
out_is "introduction 3 cat@example.org 2027-01-20
introduction 3 dan@example.org 2027-01-20"
m=$(mail_to dan@example.org)
check 'hdr Subject $m | grep -qx "Engineering Mentoring 2027: meet Cat Mentor, your proposed mentor"' "dan's introduction subject"
check 'body $m | grep -q "Department: *Eng"' "dan's introduction lacks Cat's department"
check 'body $m | grep -q "different department (Eng and Sales)"' "dan's introduction lacks the reasons"
check 'body $m | grep -q "Reply to this mail with \"yes\" to accept"' "dan's introduction lacks how to answer"
check '! body $m | grep -q "cat@example.org"' "a proposal shows the partner's address"
clear_mail
expect 0 --today 2027-01-26 accept 3 --by cat@example.org
expect 0 --today 2027-01-27 remind --sendmail "$SM"
out_is ""
# 01-28: two days before expiry, to the party that has not answered; the
# coordinators' digest lists the proposal.
expect 0 --today 2027-01-28 remind --sendmail "$SM"
out_is "proposal_expiring 3 dan@example.org 2027-01-30
digest - mentoring@example.org 2027-01-28"
m=$(mail_to dan@example.org)
check 'hdr Subject $m | grep -q "please answer your match with Cat Mentor by 2027-01-30"' "dan's proposal subject"
check '[ -z "$(mail_to cat@example.org)" ]' "cat, who accepted, was reminded"
m=$(mail_to mentoring@example.org)
check 'hdr Subject $m | grep -qx "Engineering Mentoring 2027: coordinators. digest for 2027-01-28"' "digest subject"
check 'body $m | grep -q "Unanswered proposals: 1 (1 new)"' "digest lacks the proposal"
check 'flat $m | grep -q "NEW 3: Cat Mentor <cat@example.org> with Dan Mentee <dan@example.org>; waiting for the mentee; expires 2027-01-30"' \
	"digest proposal line: $(flat $m)"
clear_mail
# The next day: nothing new, no digest.
expect 0 --today 2027-01-29 remind --sendmail "$SM"
out_is ""
# After the expiry day: never again (the proposal has expired).
expect 0 --today 2027-01-31 --format json remind --dry-run
out_lacks "proposal_expiring"

# 01-31: pairing 1 is overdue (due 01-25 + 5 days), to both.
expect 0 --today 2027-01-31 remind --sendmail "$SM"
out_has "checkin_overdue 1 ann@example.org 2027-01-25"
out_has "checkin_overdue 1 bob@example.org 2027-01-25"
check '[ "$(pairs_out | wc -l)" -eq 2 ]' "01-31: $(pairs_out | wc -l) pairing mails, expected 2"
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
# partners; the coordinators read it in their digest, not one mail each.
expect 0 --today 2027-02-09 remind --sendmail "$SM"
out_is "stalled 1 ann@example.org 2027-02-08
stalled 1 bob@example.org 2027-02-08
digest - mentoring@example.org 2027-02-09"
m=$(mail_to mentoring@example.org)
check 'body $m | grep -q "Stalled pairs: 1 (1 new)"' "digest lacks the stalled pair"
check 'flat $m | grep -q "NEW 1: Ann Mentor <ann@example.org> with Bob Mentee <bob@example.org>; stalled since 2027-02-08, never met"' \
	"digest stalled line: $(flat $m)"
clear_mail
# Stalled replaces due/overdue; it comes again a week later.
expect 0 --today 2027-02-12 remind --sendmail "$SM"
out_is ""

# A failing mail program: exit 69, one warning per mail naming the
# program, each failure kept for a retry on a later run (not the same
# morning).  Fay and Eve are overdue from 02-13.
expect 69 --today 2027-02-13 remind --sendmail "exit 3"
err_has "checkin_overdue mail to fay@example.org not delivered (attempt 1 of 5): mail program 'exit 3' exited with status 3"
err_has "checkin_overdue mail to eve@example.org not delivered (attempt 1 of 5)"
err_has "2 mails not delivered"
out_is ""
check '[ "$(sqlite3 "$MENTORCTL_DB" "SELECT count(*) FROM reminder WHERE state = '"'failed'"' AND attempts = 1 AND error LIKE '"'exited with status 3%'"'")" -eq 2 ]' \
	"the failures are not in the log"
# The same morning: backing off, those two are not tried again; the
# coordinators' digest, which now has news (mail not delivered), is.
export MENTORCTL_SENDMAIL=false
expect 69 --today 2027-02-13 remind
err_has "2 waiting for a retry"
err_has "digest mail to mentoring@example.org not delivered (attempt 1 of 5)"
err_lacks "fay@example.org"
unset MENTORCTL_SENDMAIL
# A program that exits 0 without reading the message did not take it.
expect 69 --today 2027-02-14 remind --sendmail true
err_has "mail program 'true' exited before reading the whole message"
# One message goes through, then the mail program fails: the first stays
# recorded as sent, the others wait for their retry.
cat >"$T/once" <<'EOF2'
#!/bin/sh
if [ -e "$MAILDIR/.used" ]; then cat >/dev/null; exit 75; fi
touch "$MAILDIR/.used"
f=$(mktemp "$MAILDIR/msg.XXXXXX") && cat >"$f"
EOF2
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
out_has "checkin_overdue 2 eve@example.org 2027-02-07"
# The weekly stalled reminder (02-15), late by the failures, goes out too.
out_has "stalled 1 ann@example.org 2027-02-15"
out_has "stalled 1 bob@example.org 2027-02-15"
# Every mail to the partners went out; the digests that failed are
# replaced by today's, which reports them.
check '[ "$(sqlite3 "$MENTORCTL_DB" "SELECT count(*) FROM reminder WHERE state <> '"'sent'"' AND kind <> '"'digest'"'")" -eq 0 ]' \
	"a mail is left unsent: $(sqlite3 "$MENTORCTL_DB" "SELECT kind, recipient, state FROM reminder WHERE state <> 'sent'")"
m=$(mail_to mentoring@example.org)
check '! flat $m | grep -q "Mail not delivered"' \
	"the digest reports as undelivered what this run delivered: $(flat $m)"
m=$(mail_to ann@example.org)
check 'body $m | grep -q "weekly reminder"' "the repeat does not say it is weekly"
clear_mail

# A recorded meeting restarts the clock: ann and bob meet on 02-10.
expect 0 --today 2027-02-17 checkin 1 --on 2027-02-10
expect 0 --today 2027-02-22 remind --sendmail "$SM"
out_has "checkin_due 1 ann@example.org 2027-02-24"
check 'grep -q "Suggested topic for meeting 2" $(mail_to ann@example.org)' "after a meeting: meeting 2"
clear_mail

# A claim left by a run that died after handing the mail over: its
# outcome is unknown, so it counts as sent (never twice) until the
# coordinator resends it.
expect 0 --today 2027-03-01 checkin 2 --on 2027-02-13
sqlite3 "$MENTORCTL_DB" "INSERT INTO reminder (program_id, pairing_id, subject_key, kind, due_on, recipient, state, claimed_at, claimed_on, claimed_by)
  VALUES (1, 2, 'pairing:2', 'checkin_due', '2027-02-27', 'fay@example.org', 'handed', strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), '2027-02-25', '1')"
expect 0 --today 2027-02-25 remind --sendmail "$SM"
out_has "checkin_due 2 eve@example.org 2027-02-27"
out_lacks "fay@example.org"
expect 0 --format csv mail unsent
out_has "checkin_due,2027-02-27,fay@example.org,unknown,1,"
expect 0 mail resend --unknown
err_has "1 mail with an unknown outcome will be sent again"
expect 0 --today 2027-02-25 remind --sendmail "$SM"
out_is "checkin_due 2 fay@example.org 2027-02-27"
expect 0 --format csv mail unsent
out_has "id,program,pairing_id,kind,due_on,recipient,state,attempts,last_try,error,message_id"
out_lacks "fay@example.org"
clear_mail

# Re-up window (06-19 .. 07-03: before the last day, 07-10): to each
# partner who has not answered; in its last two days a closing reminder to
# those still silent.
expect 0 --today 2027-06-20 reup 1 --by ann@example.org yes
expect 0 --today 2027-06-20 remind --sendmail "$SM"
out_has "reup_open 1 bob@example.org 2027-06-19"
out_lacks "reup_open 1 ann@example.org"
out_has "reup_open 2 fay@example.org 2027-06-19"
out_has "reup_open 2 eve@example.org 2027-06-19"
check 'hdr Subject $(mail_to bob@example.org) | grep -q "continue with Ann Mentor for another cycle? Answer by 2027-07-03"' \
	"bob's re-up subject"
# (bob may get more than one mail that morning: read each, in any order)
check 'for f in $(mail_to bob@example.org); do flat "$f"; done | grep -q "\"re-up yes\" to continue"' "how to answer the re-up"
clear_mail
expect 0 --today 2027-06-25 --format json remind --dry-run
out_lacks "reup_open"
expect 0 --today 2027-07-01 reup 2 --by fay@example.org no
expect 0 --today 2027-07-01 remind --sendmail "$SM"
out_has "reup_closing 1 bob@example.org 2027-07-03"
out_has "reup_closing 2 eve@example.org 2027-07-03"
out_lacks "reup_closing 1 ann@example.org"
out_lacks "reup_closing 2 fay@example.org"
clear_mail
expect 0 --today 2027-07-04 --format json remind --dry-run
out_lacks "reup_"

# --program: one programme; an unknown one is an error.
expect 0 --today 2027-06-25 remind --dry-run --program eng-2027
expect 65 --today 2027-06-25 remind --dry-run --program nope
err_has "unknown programme 'nope'"

# A programme without a contact: its mail is not sent (no From), the
# others' is, and the run says so.
sed -e 's/^slug: eng-2027/slug: quiet/' -e '/^contact:/d' \
	"$DATA/programs/eng-2027.yaml" >"$T/quiet.yaml"
expect 0 program add "$T/quiet.yaml"
expect 0 enroll quiet ann@example.org --role mentor
expect 0 enroll quiet dan@example.org --role mentee
expect 0 --today 2027-06-24 pair quiet ann@example.org dan@example.org
expect 65 --today 2027-06-25 remind --sendmail "$SM"
err_has "programme 'quiet' has no valid contact address"
err_has "some mail could not be sent"
check '[ "$(sqlite3 "$MENTORCTL_DB" "SELECT count(*) FROM reminder r JOIN program g ON g.id = r.program_id WHERE g.slug = '"'quiet'"'")" -eq 0 ]' \
	"mail of the programme without contact was recorded"

done_testing
