#!/bin/sh
# checkin: meeting numbers and default topics from the prompts, the next
# meeting's prompt and due day, refusals, --replace, private notes.
. "$TOP/tests/cli/lib.sh"

q() { sqlite3 "$MENTORCTL_DB" "$1"; }
P1="Explore each other's past - career paths and turning points"
P2="The mentee's ambitions, goals, needs and challenges"
P3="Agree how you will work together - cadence, confidentiality, what success looks like"
HDR="pairing,meeting,held_on,minutes,rating,topic,next_meeting,next_due_on,next_prompt"

export MENTORCTL_TODAY=2027-01-11
expect 0 init
expect 0 program add "$DATA/programs/eng-2027.yaml"
printf 'email,name,role\nann@example.org,Ann Mentor,mentor\nbob@example.org,Bob Mentee,mentee\ncat@example.org,Cat Mentor,mentor\ndan@example.org,Dan Mentee,mentee\n' >"$T/enroll.csv"
expect 0 enroll eng-2027 --csv "$T/enroll.csv"
# Pairing 1 proposed on 01-04 and active since 01-11; pairing 2 still
# proposed (answers due by 01-14).
activate eng-2027 ann@example.org bob@example.org 2027-01-04 2027-01-11
propose eng-2027 cat@example.org dan@example.org 2027-01-04
expect 0 cycle start eng-2027

# Meeting 1: prompt 1 is its topic; the next is meeting 2, two weeks on.
export MENTORCTL_TODAY=2027-01-21
expect 0 --format csv checkin 1 --on 2027-01-20 --minutes 45 --rating 4 \
	--notes "private: talked about the reorg" --by ann@example.org
out_is "$(printf '%s\r\n1,1,2027-01-20,45,4,%s,2,2027-02-03,"%s"\r' "$HDR" "$P1" "$P2")"
out_lacks "private"
err_lacks "private"
check '[ "$(q "SELECT notes FROM checkin WHERE id = 1")" = "private: talked about the reorg" ]' "notes not stored"
check '[ "$(q "SELECT recorded_by FROM checkin WHERE id = 1")" = ann@example.org ]' "--by not recorded"
check '[ "$(q "SELECT count(*) FROM audit WHERE detail LIKE '"'%private%'"'")" -eq 0 ]' "notes in the audit"
check '[ "$(q "SELECT detail FROM audit WHERE entity = '"'checkin'"'")" = "pairing 1 meeting 1 on 2027-01-20" ]' "audit of a check-in"

# The table shows the same as field/value lines; json has the header's keys.
expect 0 checkin 1 --on 2027-01-21 --topic "Our own topic"
out_has "next_prompt   $P3"
out_has "topic         Our own topic"
out_has "meeting       2"
expect 0 --format json checkin 1 --on 2027-01-15 --minutes 30
out_has "{\"pairing\":1,\"meeting\":1,\"held_on\":\"2027-01-15\",\"minutes\":30,\"rating\":null,\"topic\":\"$P1\",\"next_meeting\":4,\"next_due_on\":\"2027-02-04\",\"next_prompt\":\"A piece of the mentee's recent work - walk through it together\"}"

# Refused: the future, before activation, a day already recorded, a pairing
# that is not active, bad values.  Nothing changes.
before=$(db_dump)
expect 65 checkin 1 --on 2027-01-22
err_has "check-in date 2027-01-22 is in the future (today is 2027-01-21)"
err_lines 1
expect 65 checkin 1 --on 2027-01-10
err_has "before pairing 1 turned active on 2027-01-11"
expect 65 checkin 1 --on 2027-01-20
err_has "pairing 1 has a check-in on 2027-01-20 already; give --replace"
expect 65 checkin 2 --on 2027-01-20
err_has "pairing 2 is proposed, not active"
expect 65 checkin 9 --on 2027-01-20
err_has "unknown pairing 9"
expect 64 checkin 1
err_has "--on"
expect 65 checkin 1 --on 2027-02-30
expect 65 checkin 1 --on 2027-01-19 --rating 6
expect 64 checkin 1 --on 2027-01-19 --rating good
expect 65 checkin 1 --on 2027-01-19 --minutes 0
expect 64 checkin x --on 2027-01-19
check '[ "$(db_dump)" = "$before" ]' "a refused check-in changed the database"

# --replace overwrites the day's record (notes too) and keeps its number.
expect 0 --format csv checkin 1 --on 2027-01-20 --replace --minutes 50
out_has "1,2,2027-01-20,50,,\"$P2\",4,2027-02-04,"
check '[ "$(q "SELECT count(*) FROM checkin WHERE pairing_id = 1")" -eq 3 ]' "--replace added a row"
check '[ -z "$(q "SELECT notes FROM checkin WHERE held_on = '"'2027-01-20'"'")" ]' "--replace kept the old notes"

# Past the last prompt: no topic, no next prompt.
for d in 01-22 01-23 01-24 01-25 01-26 01-27; do
	expect 0 --today 2027-$d checkin 1 --on 2027-$d
done
expect 0 --today 2027-01-28 --format csv checkin 1 --on 2027-01-28
out_has "1,10,2027-01-28,,,,11,2027-02-11,"

done_testing
