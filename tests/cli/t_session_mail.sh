#!/bin/sh
# Joining a leader session by e-mail reply (issue 16, item 2), end to end:
# `session invite` mails the audience with a reply token; people answer
# "join" from a phone (top-posted, another From address, the invitation
# quoted below) and `inbox` reads each reply on stdin.  Before the seating
# a join is a sign-up; after it, a free seat or the waiting list; "no"
# gives the seat up and the first one waiting takes it.  Every reply is
# acknowledged to the person the token names, saying what happened; the
# same message again, a join after the day and a forged or altered token
# change nothing.  The dates are walked with --today.
. "$TOP/tests/cli/lib.sh"
. "$TOP/tests/cli/remind_lib.sh"

MAILDIR="$T/mail"
export MAILDIR
mkdir -p "$MAILDIR"
capture_program "$T/sendmail"
export MENTORCTL_SENDMAIL="$T/sendmail"
nmail() { ls "$MAILDIR" | grep -c '^msg\.'; }
# mail_to ADDRESS SUBJECT: the captured message to ADDRESS whose subject
# starts with SUBJECT (the newest when several)
mail_to() {
	grep -l "^To: .*<$1>$" "$MAILDIR"/msg.* 2>/dev/null |
		xargs -r grep -l "^Subject: $2" | xargs -r ls -t | head -1
}
# place_of EMAIL: the status of EMAIL's place in session 1 (empty: none)
place_of() {
	q "SELECT x.status FROM session_place x JOIN person p ON p.id = x.person_id
	    WHERE x.session_id = 1 AND p.email = '$1'"
}

# reply MSG BODY OUT [TAMPER]: the reply a phone writes to the captured
# message MSG: BODY on top, "Sent from my phone", then the invitation's text
# quoted; From a private address, To the Reply-To (the token address),
# In-Reply-To and References its Message-ID (which carries the same token).
# TAMPER alters the token wherever it appears: "flip" (its last letter
# changed), "longer", "shorter", "made-up" (as long, all 'a'); "fresh" is
# a new message (no In-Reply-To) to the token address with its last letter
# changed.
reply() {
	python3 - "$1" "$2" "$3" "${4:-}" <<'PY'
import email, email.policy, email.utils, os, re, sys
src, body, out, tamper = sys.argv[1:]
m = email.message_from_binary_file(open(src, "rb"), policy=email.policy.default)
to = email.utils.parseaddr(str(m["To"]))[1]
reply_to = email.utils.parseaddr(str(m["Reply-To"]))[1]
mid = str(m["Message-ID"]).strip()
tok = re.match(r"[^+]*\+([a-z2-7]+)@", reply_to).group(1)
assert tok in mid, (tok, mid)
if tamper:
    bad = {"flip": tok[:-1] + ("b" if tok[-1] == "a" else "a"),
           "fresh": tok[:-1] + ("b" if tok[-1] == "a" else "a"),
           "longer": tok + "a", "shorter": tok[:-1],
           "made-up": "a" * len(tok)}[tamper]
    reply_to = reply_to.replace(tok, bad)
    mid = mid.replace(tok, bad)
text = m.get_body(preferencelist=("plain",)).get_content()
quoted = "\n".join(("> " + l).rstrip() for l in text.splitlines())
user = to.split("@")[0]
thread = "" if tamper == "fresh" else "In-Reply-To: %s\nReferences: %s\n" % (mid, mid)
open(out, "w").write(
    "From: %s <%s.phone@mobile.example>\n"
    "To: <%s>\n"
    "Subject: Re: %s\n"
    "Date: Wed, 6 Jan 2027 08:12:00 +0100\n"
    "Message-ID: <%s.%s@mobile.example>\n%s"
    "MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\n"
    "%s\n\nSent from my phone\n\n"
    "On 5 Jan 2027, at 09:00, Leaders Listening 2027 <listening@ex.org> wrote:\n\n"
    "%s\n" % (user, user, reply_to, m["Subject"], user,
              os.path.basename(out).split(".")[0], thread, body, quoted))
PY
}

cat >"$T/lead.yaml" <<'YAML'
slug: lead-2027
name: Leaders Listening 2027
purpose: leadership
format: one-to-one
contact: listening@ex.org
sessions:
  per_leader_per_year: 2
  seats: 2
  minutes: 60
  timezone: Europe/Paris
  audience: { from: everyone, min_level: 2, exclude_departments: [Executive] }
YAML
cat >"$T/people.csv" <<'EOF'
email,name,department,level
vp@ex.org,Vera Page,Executive,9
a@ex.org,Ann Able,Engineering,2
b@ex.org,Ben Bold,Engineering,3
c@ex.org,Cat Cole,Sales,4
d@ex.org,Dan Dale,Sales,2
e@ex.org,Eve East,Operations,5
EOF
expect 0 init
expect 0 program add "$T/lead.yaml"
expect 0 people import "$T/people.csv"
expect 0 --today 2027-01-04 session add lead-2027 --leader vp@ex.org \
	--on 2027-02-04 --at 12:30 --title 'Listening lunch'

# ---- the invitations, with a reply token each ----
expect 0 --today 2027-01-05 session invite 1
err_has "session 1: sent 5 invitations"
check '[ "$(nmail)" -eq 5 ]' "not five invitations: $(nmail)"
for w in a b c d e; do
	inv=$(mail_to $w@ex.org Invitation)
	check '[ -n "$inv" ] && grep -q "^Reply-To: <listening+[a-z2-7]*@ex.org>$" "$inv"' \
		"$w@ex.org has no invitation with a reply token"
	eval "inv_$w=\$inv"
done

# ---- a "join" before the seating: a sign-up, acknowledged ----
reply "$inv_a" "join" "$T/a-join.eml"
check 'grep -q "^From: a <a.phone@mobile.example>$" "$T/a-join.eml" &&
	grep -q "^> .*join" "$T/a-join.eml"' "the reply is not a phone's reply quoting the invitation"
expect 0 --today 2027-01-06 --format csv inbox <"$T/a-join.eml"
out_has ",recorded,"
expect 0 --today 2027-01-06 --format csv session list lead-2027
out_has "1,2027-02-04,12:30,vp@ex.org,Vera Page,Listening lunch,2,0,0,1,0,0,"
check '[ "$(place_of a@ex.org)" = "signed_up" ]' "a@ex.org is not signed up: $(place_of a@ex.org)"
check '[ "$(q "SELECT x.source FROM session_place x JOIN person p ON p.id = x.person_id WHERE p.email = '"'"'a@ex.org'"'"'")" = "e-mail" ]' \
	"the sign-up does not say it came by e-mail"
check '[ "$(nmail)" -eq 6 ]' "no acknowledgement (or more than one): $(nmail) mails"
ack=$(grep -L "^Subject: Invitation" "$MAILDIR"/msg.* | head -1)
check '[ -n "$ack" ] && grep -q "^To: .*<a@ex.org>$" "$ack"' "the acknowledgement is not to a@ex.org, the token's person"
check '! grep -q "^To: .*mobile.example" "$MAILDIR"/msg.*' "an acknowledgement went to the untrusted From address"
check 'mail_text "$ack" | grep -q "You are signed up (seats are given out when the sign-up closes) for the session \"Listening lunch\" with Vera Page on"' \
	"the acknowledgement does not say a@ex.org is signed up: $(mail_text "$ack" | head -c 400)"

# ---- the same message again (an MTA retry, a second fetch): nothing changes ----
before=$(db_dump | md5sum)
expect 0 --today 2027-01-07 --format csv inbox <"$T/a-join.eml"
out_has ",duplicate,"
check '[ "$(db_dump | md5sum)" = "$before" ]' "a replayed join changed the database"
check '[ "$(nmail)" -eq 6 ]' "a replayed join was acknowledged again"
# a second, new reply saying "join" again: acknowledged, nothing changed
reply "$inv_a" "Join please!" "$T/a-join2.eml"
expect 0 --today 2027-01-07 --format csv inbox <"$T/a-join2.eml"
check '[ "$(q "SELECT count(*) FROM session_place")" -eq 1 ]' "a second join made a second place"
ack=$(ls -t "$MAILDIR"/msg.* | head -1)
check 'mail_text "$ack" | grep -q "Nothing changed: you had answered already"' \
	"the second acknowledgement does not say nothing changed: $(mail_text "$ack" | head -c 400)"

# ---- forged and altered tokens: nothing changes, nobody is answered ----
before=$(db_dump | grep -v "INTO mail_handled" | md5sum)
n=$(nmail)
# b's token with its last letter changed, one more, one fewer, made up,
# in the To and the ids replied to; and a new message to a changed address
for f in flip longer shorter made-up fresh; do
	reply "$inv_b" "join" "$T/b-$f.eml" $f
	check '! grep -qF "$(sed -n "s/^Reply-To: <\(.*\)>$/\1/p" "$inv_b")" "$T/b-$f.eml"' \
		"$f: b's genuine token is still in the reply"
	expect 0 --today 2027-01-08 --format csv inbox <"$T/b-$f.eml"
	out_has ",bad-token,"
done
check '[ "$(db_dump | grep -v "INTO mail_handled" | md5sum)" = "$before" ]' "a forged token changed the database"
check '[ "$(place_of b@ex.org)" = "" ]' "b@ex.org got a place with a forged token"
check '[ "$(nmail)" -eq "$n" ]' "a forged token was answered"

# ---- more joins than seats; the seating; a join when the seats are full ----
for w in b c; do
	eval "inv=\$inv_$w"
	reply "$inv" "Join" "$T/$w-join.eml"
	expect 0 --today 2027-01-09 --format csv inbox <"$T/$w-join.eml"
	out_has ",recorded,"
done
expect 0 --today 2027-01-09 --format csv session list lead-2027
out_has ",Listening lunch,2,0,0,3,0,0,"
expect 0 --today 2027-01-20 --format csv session seat 1 --no-mail
n=$(nmail)
set -- $(printf '%s\n' "$OUT" | tr -d '\r' | awk -F, '$3 == "seated" { print $1 }' | sort)
check '[ $# -eq 2 ]' "not two seated: $*"
seated1=$1
waiting1=$(printf '%s\n' "$OUT" | tr -d '\r' | awk -F, '$3 == "waitlisted" { print $1 }')
check '[ -n "$waiting1" ]' "nobody is waiting after the seating"
reply "$inv_d" "join" "$T/d-join.eml"
expect 0 --today 2027-01-21 --format csv inbox <"$T/d-join.eml"
out_has ",recorded,"
check '[ "$(place_of d@ex.org)" = "waitlisted" ]' "d@ex.org is not wait-listed: $(place_of d@ex.org)"
expect 0 --today 2027-01-21 --format csv session list lead-2027
out_has ",Listening lunch,2,2,2,0,0,0,2027-01-20"
check '[ "$(nmail)" -eq $((n + 1)) ]' "the late join got no acknowledgement"
ack=$(mail_to d@ex.org Re:)
check '[ -n "$ack" ] && mail_text "$ack" | grep -q "You are on the waiting list (number 2) for the session \"Listening lunch\""' \
	"the acknowledgement does not say d@ex.org waits second: $( [ -n "$ack" ] && mail_text "$ack" | head -c 400)"
# the replay of the late join: still second, nothing changed
before=$(db_dump | md5sum)
n=$(nmail)
expect 0 --today 2027-01-22 --format csv inbox <"$T/d-join.eml"
out_has ",duplicate,"
check '[ "$(db_dump | md5sum)" = "$before" ]' "a replayed late join changed the database"
check '[ "$(nmail)" -eq "$n" ]' "a replayed late join was acknowledged again"

# ---- "no" from a seated person: the first one waiting takes the seat ----
eval "inv=\$inv_$(printf '%s' "$seated1" | cut -d@ -f1)"
reply "$inv" "No, sorry, I can't make it after all" "$T/no.eml"
expect 0 --today 2027-01-23 --format csv inbox <"$T/no.eml"
out_has ",recorded,"
check '[ "$(place_of "$seated1")" = "cancelled" ]' "$seated1's place is not cancelled"
check '[ "$(place_of "$waiting1")" = "seated" ]' "$waiting1 did not take the seat"
check '[ "$(place_of d@ex.org)" = "waitlisted" ]' "d@ex.org left the waiting list"
ack=$(mail_to "$seated1" Re:)
check '[ -n "$ack" ] && mail_text "$ack" | grep -q "Your place is cancelled at the session"' \
	"the acknowledgement does not say the place is cancelled"

# ---- on the day a join still counts; after it the token has expired ----
reply "$inv_e" "join" "$T/e-day.eml"
expect 0 --today 2027-02-04 --format csv inbox <"$T/e-day.eml"
out_has ',recorded,,yes,"You are on the waiting list (number 2) for the session ""Listening lunch""'
check '[ "$(place_of e@ex.org)" = "waitlisted" ]' "e@ex.org is not wait-listed"
before=$(db_dump | grep -v "INTO mail_handled" | md5sum)
n=$(nmail)
reply "$inv_c" "join" "$T/c-late.eml"
expect 0 --today 2027-02-05 --format csv inbox <"$T/c-late.eml"
out_has ",expired,"
out_has "token expired on 2027-02-04"
check '[ "$(db_dump | grep -v "INTO mail_handled" | md5sum)" = "$before" ]' "a join after the day changed the database"
check '[ "$(nmail)" -eq "$n" ]' "an expired token was answered"

done_testing
