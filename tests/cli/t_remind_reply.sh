#!/bin/sh
# The loop closed: mails from `remind` answered with a plain "Reply" and
# handled by `inbox`.  The reply token travels in the Reply-To
# plus-address and in the Message-ID (In-Reply-To); an introduction is
# accepted by mail, a meeting reported, the re-up answered, a rating given;
# a reply whose token was altered changes nothing and shows in the next
# morning's digest.
. "$TOP/tests/cli/lib.sh"
. "$TOP/tests/cli/remind_lib.sh"

MAILDIR="$T/mail"
export MAILDIR
mkdir -p "$MAILDIR"
capture_program "$T/capture"
cat >"$T/acks" <<'SH'
#!/bin/sh
cat >>"$MAILDIR/acks.mbox"
SH
chmod +x "$T/acks"

# reply FILE TEXT [TOKEN-EDIT]: the answer a mail client writes to FILE: To
# its Reply-To, In-Reply-To its Message-ID, TEXT above the quoted original.
reply() {
	/usr/bin/python3 - "$@" <<'PY'
import email, email.policy, sys
from email.message import EmailMessage
f, text = sys.argv[1], sys.argv[2]
edit = sys.argv[3] if len(sys.argv) > 3 else None
with open(f, "rb") as fp:
    m = email.message_from_binary_file(fp, policy=email.policy.default)
r = EmailMessage()
r["From"] = m["To"]
to = m["Reply-To"].addresses[0].addr_spec
mid = m["Message-ID"]
if edit:
    # one character of the token changed: a forgery
    local, dom = to.split("@")
    tok = local.split("+")[1]
    bad = ("b" if tok[0] != "b" else "c") + tok[1:]
    to = local.split("+")[0] + "+" + bad + "@" + dom
    mid = "<" + bad + mid[1 + len(tok):]
r["To"] = to
r["Subject"] = "Re: " + str(m["Subject"])
r["Message-ID"] = "<reply-%d@client.example>" % abs(hash((f, text)))
r["In-Reply-To"] = mid
r["References"] = mid
r["Date"] = "Mon, 25 Jan 2027 09:00:00 +0000"
quoted = "\n".join("> " + l for l in m.get_body().get_content().splitlines())
r.set_content(text + "\n\nOn Monday the programme wrote:\n" + quoted + "\n")
sys.stdout.write(r.as_string())
PY
}
# latest KIND TO: the newest mail of that kind to TO (by Subject words).
latest() {
	grep -l "^To: .*<$2>" "$MAILDIR"/msg.* 2>/dev/null | while read -r f; do
		grep -q "$1" "$f" && echo "$f"
	done | tail -1
}
q() { sqlite3 "$MENTORCTL_DB" "$1"; }

fixture_pairs 1 2027-01-11
# A second proposal, answered by mail.
printf 'email,name,hired_on,level,department\nm2@example.org,Mentor Two,2015-01-01,5,Eng\ne2@example.org,Mentee Two,2026-01-01,2,Ops\n' >"$T/p2.csv"
expect 0 people import "$T/p2.csv"
printf 'email,training,on\nm2@example.org,mentor-basics,2026-12-01\ne2@example.org,mentee-orientation,2026-12-01\n' >"$T/t2.csv"
expect 0 training add --csv "$T/t2.csv"
expect 0 enroll eng-2027 m2@example.org --role mentor
expect 0 enroll eng-2027 e2@example.org --role mentee
expect 0 --today 2027-01-18 pair eng-2027 m2@example.org e2@example.org
expect 0 --today 2027-01-18 remind --sendmail "$T/capture"
out_has "introduction 2 m2@example.org 2027-01-18"
f=$(latest "meet Mentee Two" m2@example.org)
check '[ -n "$f" ] && grep -q "^Reply-To:" "$f"' "the introduction has no Reply-To"

# "yes" from both, by mail: the pairing turns active.
reply "$f" "yes, happy to" >"$T/r1.eml"
expect 0 --today 2027-01-19 inbox --sendmail "$T/acks" <"$T/r1.eml"
check '[ -n "$(q "SELECT mentor_accepted_on FROM pairing WHERE id = 2")" ]' \
	"the mentor's yes by mail was not recorded: $OUT $ERR"
f=$(latest "meet Mentor Two" e2@example.org)
reply "$f" "Yes" >"$T/r2.eml"
expect 0 --today 2027-01-19 inbox --sendmail "$T/acks" <"$T/r2.eml"
check '[ "$(q "SELECT status FROM pairing WHERE id = 2")" = active ]' "two yeses by mail did not activate the pairing"
# The MTA delivers the same reply again: nothing more.
expect 0 --today 2027-01-19 inbox --sendmail "$T/acks" <"$T/r2.eml"
out_has "duplicate"
expect 0 --today 2027-01-19 remind --sendmail "$T/capture"
out_has "matched 2 m2@example.org 2027-01-19"

# A check-in reminder answered "met ... 45 min": the meeting is recorded.
expect 0 --today 2027-01-23 remind --sendmail "$T/capture"
out_has "checkin_due 1 e1@example.org 2027-01-25"
f=$(latest "check-in with" e1@example.org)
reply "$f" "met 2027-01-22 45 min" >"$T/r3.eml"
expect 0 --today 2027-01-23 inbox --sendmail "$T/acks" <"$T/r3.eml"
check '[ "$(q "SELECT held_on || '"' '"' || minutes FROM checkin WHERE pairing_id = 1")" = "2027-01-22 45" ]' \
	"the meeting reported by mail was not recorded: $(q "SELECT * FROM checkin") $OUT $ERR"
check 'grep -q "^To: .*<e1@example.org>" "$MAILDIR/acks.mbox"' "no acknowledgement to e1"

# A forged token (one character changed): nothing changes, no answer; the
# next morning's digest lists it.
before=$(q "SELECT count(*) FROM checkin")
reply "$f" "met 2027-01-23 90 min" forge >"$T/r4.eml"
expect 0 --today 2027-01-23 inbox --sendmail "$T/acks" <"$T/r4.eml"
out_has "bad-token"
check '[ "$(q "SELECT count(*) FROM checkin")" = "$before" ]' "a forged reply changed the database"
expect 0 --today 2027-01-24 remind --sendmail "$T/capture"
out_has "digest - mentoring@example.org 2027-01-24"
d=$(latest "digest for 2027-01-24" mentoring@example.org)
check 'mail_text "$d" | grep -q "Replies that changed nothing: 1 (1 new) NEW e1@example.org, bad-token"' \
	"the digest does not list the forged reply: $(mail_text "$d")"

# The re-up question answered by mail.
expect 0 --today 2027-06-19 remind --sendmail "$T/capture"
out_has "reup_open 1 m1@example.org"
f=$(latest "another cycle" m1@example.org)
reply "$f" "re-up yes" >"$T/r5.eml"
expect 0 --today 2027-06-20 inbox --sendmail "$T/acks" <"$T/r5.eml"
check '[ "$(q "SELECT answer FROM reup r JOIN person p ON p.id = r.person_id WHERE p.email = '"'m1@example.org'"'")" = yes ]' \
	"the re-up answer by mail was not recorded: $OUT $ERR"

# The closure's feedback invitation answered "rate 4 ...".
expect 0 --today 2027-06-21 end 2 --reason "mentee moved on"
expect 0 --today 2027-06-21 remind --sendmail "$T/capture"
out_has "closure 2 e2@example.org 2027-06-21"
f=$(latest "how did it go" e2@example.org)
reply "$f" "rate 4 it really helped" >"$T/r6.eml"
expect 0 --today 2027-06-22 inbox --sendmail "$T/acks" <"$T/r6.eml"
check '[ "$(q "SELECT rating FROM feedback WHERE pairing_id = 2")" = 4 ]' \
	"the rating by mail was not recorded: $OUT $ERR"

# An acknowledgement whose mail program hangs is killed after --timeout;
# the answer stays recorded and the run goes on.
reply "$f" "rate 5 on second thought" >"$T/r7.eml"
cat >"$T/hang" <<'SH'
#!/bin/sh
cat >/dev/null
sleep 30
SH
chmod +x "$T/hang"
t0=$(date +%s)
expect 0 --today 2027-06-22 inbox --timeout 1 --sendmail "$T/hang" <"$T/r7.eml"
check '[ $(($(date +%s) - t0)) -lt 15 ]' "inbox waited $(($(date +%s) - t0)) s for a mail program given 1 s"
err_has "warning"
check '[ "$(q "SELECT rating FROM feedback WHERE pairing_id = 2")" = 5 ]' \
	"the second rating was not recorded: $OUT $ERR"
expect 65 inbox --timeout 0 </dev/null

done_testing
