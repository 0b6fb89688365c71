#!/bin/sh
# checkin --csv FILE / feedback --csv FILE --program SLUG: the exports of
# Microsoft Forms and Google Forms (BOM, CRLF, their timestamps, quoted
# answers with commas and line breaks, UTF-8 names) and plain files become
# check-ins and feedback through the single commands' rules; a file with
# bad rows names every one of them and changes nothing; the same file
# again changes nothing.
. "$TOP/tests/cli/lib.sh"

cat >"$T/f.yaml" <<'YAML'
slug: f
name: Forms
purpose: engagement
format: one-to-one
roles: { mentor: { capacity: 3 } }
YAML
expect 0 init
expect 0 program add "$T/f.yaml"
printf '%s\n' 'email,name' 'm1@example.org,Mia One' 'e1@example.org,Eve One' \
	'e2@example.org,Eli Two' 'm2@example.org,Max Two' \
	'zoe@example.org,Zoë Ñúñez' 'lonely@example.org,Lo Nely' |
	people_csv
printf '%s\n' 'email,role' 'm1@example.org,mentor' 'e1@example.org,mentee' \
	'e2@example.org,mentee' 'm2@example.org,mentor' 'zoe@example.org,mentee' \
	'lonely@example.org,mentee' >"$T/enroll.csv"
expect 0 enroll f --csv "$T/enroll.csv"
# m1 mentors e1 and e2; m2 mentors Zoë; lonely has no pairing
activate f m1@example.org e1@example.org 2027-01-04 2027-01-05
P1=$PAIR
activate f m1@example.org e2@example.org 2027-01-04 2027-01-05
P2=$PAIR
activate f m2@example.org zoe@example.org 2027-01-04 2027-01-06
P3=$PAIR
checkins() { q "SELECT count(*) FROM checkin"; }

# ---- a Microsoft Forms export (en-US: M/D/YY times), UTF-8 BOM and CRLF
printf '\357\273\277' >"$T/ms.csv"
printf '%s\r\n' \
	'ID,Start time,Completion time,Email,Name,When did you meet?,Duration (minutes),Topic,Notes,Partner’s e-mail' \
	'1,1/25/27 14:01:02,1/25/27 14:03:11,e1@example.org,Eve One,1/25/2027,45,Career goals,"Talked about goals, and' \
	'the next steps",' \
	'2,1/25/27 15:00:00,1/25/27 15:02:40,m1@example.org,Mia One,1/25/2027,45 min,,,e1@example.org' \
	'3,1/26/27 9:00:00,1/26/27 9:01:00,m1@example.org,Mia One,1/22/2027,1 h,Networking,,e2@example.org' \
	'4,1/26/27 10:00:00,1/26/27 10:04:00,zoe@example.org,Zoë Ñúñez,,30,,,' >>"$T/ms.csv"
expect 0 --today 2027-01-26 checkin --csv "$T/ms.csv" --program f
err_has "ms.csv (a Microsoft Forms export): imported 3 check-ins (1 already recorded)"
err_has "ms.csv:4: already recorded: pairing $P1 met on 2027-01-25"
check '[ -z "$OUT" ]' "an import printed to stdout"
check '[ "$(checkins)" -eq 3 ]' "three check-ins expected"
check '[ "$(q "SELECT minutes || '"'"'|'"'"' || topic || '"'"'|'"'"' || recorded_by FROM checkin WHERE pairing_id = $P1")" = "45|Career goals|e1@example.org" ]' "check-in of pairing $P1"
check '[ "$(q "SELECT notes FROM checkin WHERE pairing_id = $P1")" = "$(printf "Talked about goals, and\nthe next steps")" ]' "a quoted answer with a comma and a line break"
check '[ "$(q "SELECT held_on || '"'"'|'"'"' || minutes FROM checkin WHERE pairing_id = $P2")" = "2027-01-22|60" ]' "the partner column picks m1's pairing with e2"
check '[ "$(q "SELECT held_on FROM checkin WHERE pairing_id = $P3")" = "2027-01-26" ]' "no meeting date: the completion time's"
expect 0 --today 2027-01-26 export checkins --program f
out_has ",2027-01-25,"
out_has "Career goals"
expect 0 --today 2027-01-26 pairing show "$P1"
out_has "2027-01-25"

# the same file again: nothing changes
before=$(db_dump)
expect 0 --today 2027-01-27 checkin --csv "$T/ms.csv" --program f
err_has "imported 0 check-ins (4 already recorded)"
check '[ "$(db_dump)" = "$before" ]' "a second import changed the database"

# ---- a Microsoft Forms export of a day-first locale: 25/01/2027 14:03
printf '%s\r\n' 'ID,Start time,Completion time,Email,Name,Minutes' \
	'1,02/02/2027 14:00,02/02/2027 14:03,e2@example.org,Eli Two,40' \
	'2,13/02/2027 09:00,13/02/2027 09:05,zoe@example.org,Zoë,50' >"$T/uk.csv"
expect 0 --today 2027-02-14 checkin --csv "$T/uk.csv" --program f
err_has "imported 2 check-ins (0 already recorded)"
check '[ "$(q "SELECT group_concat(held_on, '"'"' '"'"') FROM (SELECT held_on FROM checkin WHERE minutes IN (40, 50) ORDER BY held_on)")" = "2027-02-02 2027-02-13" ]' "day-first dates read by the file's evidence"

# ---- a Google Forms feedback export: Timestamp, Email Address, M/D/YYYY
printf '\357\273\277' >"$T/google.csv"
printf '%s\r\n' 'Timestamp,Email Address,Rating,Comment' \
	'2/20/2027 9:15:02,e1@example.org,4 - Good,"Very helpful, thanks!' \
	'She listens."' \
	'2/20/2027 10:00:00,zoe@example.org,5,Merci beaucoup — génial' \
	'2027-02-21 08:00:00,m2@example.org,3,' >>"$T/google.csv"
expect 0 --today 2027-02-22 feedback --csv "$T/google.csv" --program f
err_has "google.csv (a Google Forms export): imported 3 feedback responses (0 already recorded)"
check '[ "$(q "SELECT rating || '"'"'|'"'"' || given_on FROM feedback WHERE pairing_id = $P1")" = "4|2027-02-20" ]' "feedback of e1: rating of '4 - Good' on the response's day"
check '[ "$(q "SELECT comment FROM feedback WHERE pairing_id = $P1")" = "$(printf "Very helpful, thanks!\nShe listens.")" ]' "a comment with a comma and a line break"
check '[ "$(q "SELECT comment FROM feedback WHERE pairing_id = $P3 AND rating = 5")" = "Merci beaucoup — génial" ]' "a UTF-8 comment"
# the report publishes February's feedback once the month has closed
expect 0 --today 2027-03-02 report f
check 'printf "%s\n" "$OUT" | grep -Eq "^responses +all +3 "' "the report counts the 3 responses"
check 'printf "%s\n" "$OUT" | grep -Eq "^checkins_in_month +month=2027-01 +3 "' "the report counts January's 3 check-ins"
expect 0 --today 2027-02-22 export feedback --program f
out_has ",4,"
before=$(db_dump)
expect 0 --today 2027-02-23 feedback --csv "$T/google.csv" --program f
err_has "imported 0 feedback responses (3 already recorded)"
err_has "google.csv:2: already recorded: feedback of e1@example.org about pairing $P1 (given on 2027-02-20)"
check '[ "$(db_dump)" = "$before" ]' "a second feedback import changed the database"

# ---- a plain file with pairing ids
printf '%s\n' 'email,pairing,date,minutes,topic' \
	"m1@example.org,$P2,2027-02-10,30,Feedback" >"$T/plain.csv"
expect 0 --today 2027-02-23 checkin --csv "$T/plain.csv" --program f
err_has "plain.csv (a file): imported 1 check-in (0 already recorded)"

# ---- every bad row named, nothing written
printf '%s\n' 'Timestamp,Email Address,Met on,Minutes,Rating' \
	'2/24/2027 9:00:00,nobody@example.org,2/23/2027,30,4' \
	'2/24/2027 9:01:00,e1@example.org,2/30/2027,30,4' \
	'2/24/2027 9:02:00,zoe@example.org,2/23/2027,30,7' \
	'2/24/2027 9:03:00,lonely@example.org,2/23/2027,30,' \
	'2/24/2027 9:04:00,m1@example.org,2/23/2027,30,' \
	'2/24/2027 9:05:00,e2@example.org,2/23/2027,ninety,' \
	'2/24/2027 9:06:00,e2@example.org,2/24/2027,45,5' >"$T/bad.csv"
before=$(db_dump)
expect 65 --today 2027-02-24 checkin --csv "$T/bad.csv" --program f
err_has "bad.csv:2: Email Address: unknown person 'nobody@example.org'"
err_has "bad.csv:3: Met on: '2/30/2027' is not a month/day/year date"
err_has "bad.csv:4: Rating: 7 is not between 1 and 5"
err_has "bad.csv:5: Email Address: 'lonely@example.org' has no active pairing in programme 'f'"
err_has "bad.csv:6: Email Address: 'm1@example.org' has 2 active pairings in programme 'f' ($P1, $P2): add a column 'pairing' or 'partner_email' to say which"
err_has "bad.csv:7: Minutes: 'ninety' is not a duration"
err_lines 6
check '[ "$(db_dump)" = "$before" ]' "a file with bad rows changed the database"

# ambiguous dates: refused, unless --date-order says
printf '%s\n' 'email,partner_email,met on' \
	'e1@example.org,m1@example.org,3/4/2027' >"$T/amb.csv"
expect 65 --today 2027-04-10 checkin --csv "$T/amb.csv" --program f
err_has "amb.csv:2: met on: '3/4/2027' is ambiguous: March 4 or 3 April; give --date-order mdy (month first) or dmy (day first)"
expect 0 --today 2027-04-10 checkin --csv "$T/amb.csv" --program f --date-order dmy
check '[ "$(q "SELECT count(*) FROM checkin WHERE pairing_id = $P1 AND held_on = '"'"'2027-04-03'"'"'")" -eq 1 ]' "--date-order dmy: 3 April"
expect 64 checkin --csv "$T/amb.csv" --program f --date-order ymd
err_has "unknown --date-order 'ymd'"
expect 64 checkin --csv "$T/amb.csv"
err_has "--csv needs --program SLUG"
expect 64 checkin 1 --csv "$T/amb.csv" --program f
expect 64 checkin
err_has "missing argument; usage: mentorctl checkin"

# header problems: one line
printf '%s\n' 'Timestamp,Name,Rating' '2/24/2027 9:00:00,Eve,4' >"$T/anon.csv"
expect 65 feedback --csv "$T/anon.csv" --program f
err_has "anon.csv:1: no column of the respondent's e-mail"
err_lines 1
printf '%s\n' 'email;rating' 'e1@example.org;4' >"$T/semi.csv"
expect 65 feedback --csv "$T/semi.csv" --program f
err_has "semi.csv:1:"
err_lines 1
printf '%s\n' 'Email,Rating' 'anonymous,4' >"$T/anon2.csv"
expect 65 feedback --csv "$T/anon2.csv" --program f
err_has "anon2.csv:2: Email: the response is anonymous"
expect 66 feedback --csv "$T/missing.csv" --program f
expect 65 feedback --csv "$T/google.csv" --program nope
err_has "unknown programme 'nope'"

done_testing
