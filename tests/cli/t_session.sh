#!/bin/sh
# Senior-leader sessions walked through a year: sessions planned for two
# leaders, invitations mailed once each (a second run and a failed mail
# program included), oversubscription seated by fewest sessions attended
# and then a lottery that gives the same seats on the same data,
# cancellations promoting the next one waiting, attendance, and the
# report's section against per_leader_per_year.  Errors: one line, the
# spec's exit codes, nothing written.
. "$TOP/tests/cli/lib.sh"
. "$TOP/tests/cli/remind_lib.sh"

MAILDIR="$T/mail"
export MAILDIR
mkdir -p "$MAILDIR"
capture_program "$T/sendmail"
cat >"$T/fail" <<'EOF'
#!/bin/sh
cat >/dev/null
echo "connection refused" >&2
exit 75
EOF
chmod +x "$T/fail"
nmail() { ls "$MAILDIR" | grep -c '^msg\.' ; }
# mails_to ADDRESS: how many captured messages went to ADDRESS
mails_to() { grep -l "^To: .*<$1>$" "$MAILDIR"/msg.* 2>/dev/null | wc -l; }
# calendar_of FILE: the text/calendar part, decoded
calendar_of() {
	awk '/^Content-Type: text\/calendar/ { on = 1; next }
	    on && /^--/ { exit }
	    on && NF { print }' "$1" | sed '/^Content-Transfer-Encoding/d' |
		base64 -d | tr -d '\r'
}

cat >"$T/lead.yaml" <<'YAML'
slug: lead-2027
name: Leaders Listening 2027
purpose: leadership
format: one-to-one
contact: listening@ex.org
sessions:
  per_leader_per_year: 2
  seats: 3
  minutes: 90
  timezone: Europe/Paris
  audience: { from: everyone, min_level: 2, exclude_departments: [Executive] }
YAML
cat >"$T/people.csv" <<'EOF'
email,name,department,level
vp@ex.org,Vera Page,Executive,9
cfo@ex.org,Carl Fox,Executive,9
a@ex.org,Ann Able,Engineering,2
b@ex.org,Ben Bold,Engineering,3
c@ex.org,Cat Cole,Sales,4
d@ex.org,Dan Dale,Sales,2
e@ex.org,Eve East,Operations,5
f@ex.org,Fay Fern,Operations,3
g@ex.org,Gil Gray,Finance,1
EOF
expect 0 init
expect 0 program add "$T/lead.yaml"
expect 0 people import "$T/people.csv"

# ---- add, list ----
expect 0 --today 2027-01-04 session add lead-2027 --leader VP@ex.org \
	--on 2027-02-04 --at 12:30 --title 'Listening lunch'
out_has "leader_email  vp@ex.org"
out_has "seats         3"
out_has "minutes       90"
err_has "added session 1"
err_has "it is vp@ex.org's session 1 of 2 this year"
expect 0 --today 2027-01-04 session add lead-2027 --leader cfo@ex.org \
	--on 2027-03-10 --seats 2 --title 'Fireside chat, finance'
expect 0 --today 2027-01-04 --format csv session list lead-2027
out_has "id,held_on,starts_at,leader_email,leader_name,title,seats,seated,waitlisted,signed_up,cancelled,attended,seated_on"
out_has "1,2027-02-04,12:30,vp@ex.org,Vera Page,Listening lunch,3,0,0,0,0,0,"
out_has '2,2027-03-10,,cfo@ex.org,Carl Fox,"Fireside chat, finance",2,0,0,0,0,0,'

before=$(db_dump)
expect 64 --today 2027-01-04 session add lead-2027 --on 2027-02-04
err_has "session add needs --leader EMAIL"
err_lines 1
expect 65 --today 2027-01-04 session add lead-2027 --leader nobody@ex.org --on 2027-02-04
err_has "unknown leader 'nobody@ex.org'"
expect 64 --today 2027-01-04 session add lead-2027 --leader vp@ex.org --on 2027-02-04 --at 7pm
err_has "option '--at' wants a time HH:MM"
expect 65 --today 2027-01-04 session add lead-2027 --leader vp@ex.org --on 2027-02-04 --at 12:30
err_has "has session 1 on 2027-02-04 at that time already"
expect 64 --today 2027-01-04 session add lead-2027 --leader vp@ex.org
err_has "session add needs --on DATE"
expect 65 --today 2027-01-04 session add lead-2027 --leader vp@ex.org --on 2027-02-30
expect 65 --today 2027-01-04 session add nope --leader vp@ex.org --on 2027-02-04
err_has "unknown programme 'nope'"
cat >"$T/plain.yaml" <<'YAML'
slug: plain
name: Plain
purpose: engagement
format: one-to-one
YAML
expect 0 program add "$T/plain.yaml"
before=$(db_dump)
expect 65 --today 2027-01-04 session add plain --leader vp@ex.org --on 2027-02-04 --seats 3
err_has "programme 'plain' has no sessions block"
check '[ "$(db_dump)" = "$before" ]' "a refused session add changed the database"

# ---- invite: the audience, each once ----
expect 0 --today 2027-01-05 --format csv session invite 1 --dry-run
out_has "1,session_invite,a@ex.org,Ann Able"
out_lacks "g@ex.org"       # level 1
out_lacks "cfo@ex.org"     # Executive
out_lacks "vp@ex.org"      # the leader
err_has "dry run: 6 invitations would be sent"
check '[ "$(nmail)" -eq 0 ]' "--dry-run sent mail"
check '[ "$(q "SELECT count(*) FROM reminder")" -eq 0 ]' "--dry-run recorded mail"
expect 0 --today 2027-01-05 session invite 1 --sendmail "$T/sendmail"
err_has "session 1: sent 6 invitations, 0 sent before"
check '[ "$(nmail)" -eq 6 ]' "not six invitations: $(nmail)"
msg=$(grep -l "^To: .*<a@ex.org>$" "$MAILDIR"/msg.*)
check 'grep -q "^From: \"Leaders Listening 2027\" <listening@ex.org>$" "$msg"' "invitation From"
check 'grep -q "^Reply-To: <listening+[a-z2-7]*@ex.org>$" "$msg"' "invitation without a reply-token Reply-To"
check 'grep -q "^Subject: Invitation: Listening lunch with Vera Page on 2027-02-04$" "$msg"' "invitation subject"
check 'grep -q "^Content-Type: text/calendar; charset=UTF-8; method=REQUEST$" "$msg"' "no text/calendar part"
check 'grep -q "the word \"join\"" "$msg"' "invitation does not say how to join"
cal=$(calendar_of "$msg")
check 'printf "%s\n" "$cal" | grep -q "^METHOD:REQUEST$"' "calendar is not a REQUEST"
check 'printf "%s\n" "$cal" | grep -q "^ORGANIZER;CN=\"Leaders Listening 2027\":mailto:listening@ex.org$"' "ORGANIZER is not the contact"
check 'printf "%s\n" "$cal" | grep -q "^DTSTART:20270204T113000Z$"' "12:30 Paris is not 11:30 UTC"
check 'printf "%s\n" "$cal" | grep -q "^DTEND:20270204T130000Z$"' "90 minutes"
check 'printf "%s\n" "$cal" | grep -q "mailto:a@ex.org$"' "the invitee is not an attendee"
# the UID: the database's random id, the programme, the session; no address
check 'printf "%s\n" "$cal" | grep -Eq "^UID:[0-9a-f]{16}-lead-2027-session-1@mentorctl$"' "UID: $(printf "%s\n" "$cal" | grep "^UID:")"
# Another database with the same programme: its session 1 has another UID
# (the databases' random ids differ), so calendars never mix them up.
MENTORCTL_DB="$T/other.db" MAILDIR="$T/othermail"
mkdir -p "$MAILDIR"
expect 0 init
expect 0 program add "$T/lead.yaml"
expect 0 people import "$T/people.csv"
expect 0 --today 2027-01-04 session add lead-2027 --leader vp@ex.org \
	--on 2027-02-04 --at 12:30 --title 'Listening lunch'
expect 0 --today 2027-01-05 session invite 1 --sendmail "$T/sendmail"
ocal=$(calendar_of "$(grep -l "^To: .*<a@ex.org>$" "$MAILDIR"/msg.*)")
uid1=$(printf "%s\n" "$cal" | sed -n 's/^UID://p')
uid2=$(printf "%s\n" "$ocal" | sed -n 's/^UID://p')
check '[ -n "$uid1" ] && [ -n "$uid2" ] && [ "$uid1" != "$uid2" ]' "two databases share a UID: '$uid1' '$uid2'"
# Daylight saving: the offset at the session's own local time, not at
# noon.  Paris on 2027-03-28 (02:00 CET -> 03:00 CEST): 01:30 is CET,
# 00:30Z; on 2027-10-31 (03:00 CEST -> 02:00 CET): 01:30 is CEST, 23:30Z
# the day before.  New York on 2027-11-07 (02:00 EDT -> 01:00 EST): 00:30
# is EDT, 04:30Z.
# session_start N: DTSTART of session N's invitation to a@ex.org
session_start() {
	MAILDIR="$T/othermail$1"
	mkdir -p "$MAILDIR"
	expect 0 --today 2027-01-05 session invite "$1" --sendmail "$T/sendmail"
	calendar_of "$(grep -l "^To: .*<a@ex.org>$" "$MAILDIR"/msg.*)" |
		sed -n 's/^DTSTART://p'
}
sed -e 's/^slug: lead-2027/slug: lead-ny/' \
	-e 's/^  timezone: Europe\/Paris/  timezone: America\/New_York/' \
	"$T/lead.yaml" >"$T/lead-ny.yaml"
expect 0 program add "$T/lead-ny.yaml"
expect 0 --today 2027-01-04 session add lead-2027 --leader vp@ex.org \
	--on 2027-03-28 --at 01:30 --title 'Early spring'
expect 0 --today 2027-01-04 session add lead-2027 --leader cfo@ex.org \
	--on 2027-10-31 --at 01:30 --title 'Early autumn'
expect 0 --today 2027-01-04 session add lead-ny --leader vp@ex.org \
	--on 2027-11-07 --at 00:30 --title 'Late night'
check '[ "$(session_start 2)" = 20270328T003000Z ]' "Paris spring 01:30: $(session_start 2)"
check '[ "$(session_start 3)" = 20271030T233000Z ]' "Paris autumn 01:30: $(session_start 3)"
check '[ "$(session_start 4)" = 20271107T043000Z ]' "New York autumn 00:30: $(session_start 4)"
MENTORCTL_DB="$T/test.db" MAILDIR="$T/mail"
# run twice, on the same day or later: nobody is invited twice
expect 0 --today 2027-01-05 session invite 1 --sendmail "$T/sendmail"
err_has "sent 0 invitations, 6 sent before"
expect 0 --today 2027-01-12 session invite 1 --sendmail "$T/sendmail"
check '[ "$(nmail)" -eq 6 ]' "an invitation went out twice"
check '[ "$(message_ids "$MAILDIR" | uniq -d | wc -l)" -eq 0 ]' "a Message-ID repeats"
# a failed mail program: exit 69, retried by a later run, never doubled
# (first an SMTP relay that is down, nothing listening on port 1: the
# run stops at the first mail and says so)
expect 69 --today 2027-01-05 session invite 2 --smtp 127.0.0.1:1
err_has "SMTP server '127.0.0.1:1' could not be reached"
err_has ", the connection to the SMTP server kept failing;"
err_lacks "mail program"
expect 69 --today 2027-01-05 session invite 2 --sendmail "$T/fail"
err_has "not delivered"
check '[ "$(nmail)" -eq 6 ]' "a failed run captured mail"
expect 0 --today 2027-01-06 session invite 2 --sendmail "$T/sendmail"
err_has "sent 6 invitations"
expect 0 --today 2027-01-07 session invite 2 --sendmail "$T/sendmail"
err_has "sent 0 invitations, 6 sent before"
check '[ "$(mails_to a@ex.org)" -eq 2 ]' "a@ex.org has not exactly one invitation per session"
expect 0 --format csv export reminders --program lead-2027
out_has ",session_invite,2027-02-04,a@ex.org,sent,"
expect 65 --today 2027-01-05 session invite 99
err_has "unknown session 99"
expect 64 --today 2027-01-05 session invite one
err_has "invalid session id 'one'"

# ---- sign-ups: more than fit ----
for w in a b c d e f; do
	expect 0 --today 2027-01-10 session signup 1 $w@ex.org
done
err_has "(6 of 3 seats asked for)"
expect 0 --today 2027-01-10 session signup 1 a@ex.org
err_has "has a place in session 1 already (signed_up); nothing changed"
before=$(db_dump)
expect 65 --today 2027-01-10 session signup 1 g@ex.org
err_has "'g@ex.org' is not in the audience of session 1: level 1 < 2"
err_lines 1
expect 65 --today 2027-01-10 session signup 1 vp@ex.org
err_has "'vp@ex.org' leads session 1"
expect 65 --today 2027-01-10 session signup 1 who@ex.org
err_has "unknown person 'who@ex.org'"
expect 65 --today 2027-02-05 session signup 1 g@ex.org
err_has "session 1 was on 2027-02-04"
expect 65 --today 2027-01-10 session cancel 1 g@ex.org
err_has "'g@ex.org' has no place in session 1"
expect 64 --today 2027-01-10 session signup 1
check '[ "$(db_dump)" = "$before" ]' "a refused sign-up changed the database"

# ---- seat: a dry run stores nothing; the allocation is reproducible ----
before=$(db_dump)
expect 0 --today 2027-01-20 --format csv session seat 1 --dry-run
dry=$OUT
err_has "dry run: session 1: 3 seated and 3 wait-listed by this run"
check '[ "$(db_dump)" = "$before" ]' "seat --dry-run changed the database"
check '[ "$(nmail)" -eq 12 ]' "seat --dry-run sent mail"
expect 0 --today 2027-01-20 --format csv session seat 1 --sendmail "$T/sendmail"
check '[ "$OUT" = "$dry" ]' "the allocation differs from its dry run"
seated=$(printf '%s\n' "$OUT" | tr -d '\r' | awk -F, '$3 == "seated" { print $1 }' | sort)
waiting=$(printf '%s\n' "$OUT" | tr -d '\r' | awk -F, '$3 == "waitlisted" { print $4 ":" $1 }' | sort)
check '[ "$(printf "%s\n" "$seated" | wc -l)" -eq 3 ]' "not three seated: $seated"
check '[ "$(printf "%s\n" "$waiting" | cut -d: -f1 | tr "\n" " ")" = "1 2 3 " ]' "waiting list not numbered 1 2 3: $waiting"
err_has "sent 3 seat confirmations, 0 sent before"
check '[ "$(nmail)" -eq 15 ]' "not three seat confirmations"
for w in $seated; do
	m=$(grep -l "^Subject: Your seat: Listening lunch" "$MAILDIR"/msg.* | xargs grep -l "^To: .*<$w>$")
	check '[ -n "$m" ] && calendar_of "$m" | grep -q "PARTSTAT=ACCEPTED"' "$w has no seat confirmation"
done
# the draw is the session's: the same data elsewhere gives the same seats
expect 0 --today 2027-01-21 session seat 1 --sendmail "$T/sendmail"
err_has "0 seated and 0 wait-listed by this run"
err_has "sent 0 seat confirmations, 3 sent before"
(
	export MENTORCTL_DB="$T/other.db"
	"$MENTORCTL" init >/dev/null 2>&1
	"$MENTORCTL" program add "$T/lead.yaml" >/dev/null 2>&1
	"$MENTORCTL" people import "$T/people.csv" >/dev/null 2>&1
	"$MENTORCTL" --today 2027-01-04 session add lead-2027 --leader vp@ex.org \
		--on 2027-02-04 --at 12:30 >/dev/null 2>&1
	for w in f e d c b a; do
		"$MENTORCTL" --today 2027-01-10 session signup 1 $w@ex.org >/dev/null 2>&1
	done
	"$MENTORCTL" --today 2027-01-20 --format csv session seat 1 --no-mail 2>/dev/null
) >"$T/other.csv"
other=$(tr -d '\r' <"$T/other.csv" | awk -F, '$3 == "seated" { print $1 }' | sort)
check '[ "$other" = "$seated" ]' "the same sign-ups seat differently: $other vs $seated"

# ---- cancellations promote the first one waiting ----
first=$(printf '%s\n' "$waiting" | sed -n 's/^1://p')
gone=$(printf '%s\n' "$seated" | head -1)
expect 0 --today 2027-01-25 session cancel 1 "$gone"
err_has "cancelled the seat of '$gone' in session 1; '$first' takes it from the waiting list"
expect 0 --today 2027-01-25 session cancel 1 "$gone"
err_has "had cancelled their place in session 1 already"
expect 0 --today 2027-01-26 session seat 1 --sendmail "$T/sendmail"
err_has "sent 1 seat confirmation, 2 sent before"
check '[ "$(nmail)" -eq 16 ]' "the promoted person got no confirmation"
check '[ "$(grep -l "^Subject: Your seat" "$MAILDIR"/msg.* | xargs grep -l "^To: .*<$first>$" | wc -l)" -eq 1 ]' \
	"$first has not exactly one confirmation"
# a late sign-up goes to the end of the waiting list
expect 0 --today 2027-01-27 session signup 1 "$gone"
err_has "is number 3 on its waiting list"

# ---- attendance: after the day, all or nothing ----
set -- $(q "SELECT p.email FROM session_place x JOIN person p ON p.id = x.person_id WHERE x.session_id = 1 AND x.status = 'seated' ORDER BY p.email")
expect 65 --today 2027-02-03 session attend 1 "$@"
err_has "session 1 is on 2027-02-04, still to come"
before=$(db_dump)
expect 65 --today 2027-02-04 session attend 1 "$1" g@ex.org
err_has "'g@ex.org' has no place in session 1"
check '[ "$(db_dump)" = "$before" ]' "a refused attend marked someone"
expect 0 --today 2027-02-04 session attend 1 "$1" "$2"
err_has "session 1: 2 marked as attended; 2 of 3 seated came"
expect 65 --today 2027-02-05 session seat 1
err_has "session 1 was on 2027-02-04: seating is for sessions to come"
expect 65 --today 2027-02-05 session cancel 1 "$1"

# ---- a second session: who came goes last ----
expect 0 --today 2027-02-10 session add lead-2027 --leader vp@ex.org \
	--on 2027-05-12 --seats 2 --title 'Listening lunch II'
err_has "it is vp@ex.org's session 2 of 2 this year"
for w in a b c d e f; do
	expect 0 --today 2027-02-11 session signup 3 $w@ex.org
done
expect 0 --today 2027-03-01 --format csv session seat 3 --no-mail
for w in "$1" "$2"; do
	check '[ "$(printf "%s\n" "$OUT" | tr -d "\r" | awk -F, -v w="$w" '"'"'$1 == w { print $3 "," $5 }'"'"')" = "waitlisted,1" ]' \
		"$w attended session 1 and still got a seat in session 3"
done
check '[ "$(nmail)" -eq 16 ]' "--no-mail sent mail"
expect 0 --today 2027-03-02 session seat 3 --sendmail "$T/sendmail"
err_has "sent 2 seat confirmations"

# ---- the report against per_leader_per_year, as of days of the year ----
expect 0 --today 2027-03-15 --format csv report lead-2027
out_has "sessions,sessions_held,all,2,"
out_has "sessions,sessions_planned,all,1,"
out_has "sessions,attendance_rate,all,0.6667,,,,2 of 3 seated attended (sessions with attendance recorded)"
out_has "sessions,sessions_without_attendance,all,1,"
out_has "sessions,leader_sessions,\"leader=cfo@ex.org,year=2027\",1,2,at risk,"
out_has "sessions,leader_sessions,\"leader=vp@ex.org,year=2027\",1,2,on track,"
out_has "sessions,reach,all,0.3333,,,,2 of 6 people of the audience attended a session"
out_has "sessions,reach_by_department,department=Engineering,"
out_has "sessions,reach_by_level,level=2,"
expect 0 --today 2028-01-03 --format csv report lead-2027
out_has "\"leader=cfo@ex.org,year=2027\",1,2,not met,"
out_has "\"leader=vp@ex.org,year=2027\",2,2,met,"
expect 0 --today 2027-03-15 report lead-2027
out_has "== Leader sessions =="
out_has "on track"
expect 0 --today 2027-03-15 report lead-2027 --format html --out "$T/r.html"
check 'grep -q "<h2>Leader sessions</h2>" "$T/r.html"' "html report lacks the sessions section"
expect 0 --today 2027-03-15 report plain
out_lacks "Leader sessions"

# help and the man page know the commands
expect 0 help session seat
out_has "mentorctl session seat 3"
check 'grep -q "^\.It Nm Cm session seat" "$TOP/docs/mentorctl.1"' "man page lacks session"

done_testing
