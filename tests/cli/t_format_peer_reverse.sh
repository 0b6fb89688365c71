#!/bin/sh
# Peer (peer-managers-2027) and reverse (reverse-digital-2027) mentoring end
# to end: the level rules of the formats hold in every proposal (peer: levels
# at most max_level_gap apart; reverse: the mentor junior to the mentee),
# a pair that breaks them is refused by name, and `program show` and
# `report` say what the format means.
. "$TOP/tests/cli/lib.sh"

PEER=peer-managers-2027
REV=reverse-digital-2027
q() { sqlite3 "$MENTORCTL_DB" "$1"; }

cat >"$T/trainings.csv" <<'CSV'
email,training,on
tlindqvist@fjordline.example,new-manager-bootcamp,2026-09-14
nrahman@fjordline.example,new-manager-bootcamp,2026-09-14
ohughes@fjordline.example,new-manager-bootcamp,2026-09-14
scohen@fjordline.example,new-manager-bootcamp,2026-09-14
gliu@fjordline.example,new-manager-bootcamp,2026-09-14
kmensah@fjordline.example,new-manager-bootcamp,2026-09-14
eng@fjordline.example,new-manager-bootcamp,2026-09-14
leriksen@fjordline.example,new-manager-bootcamp,2026-09-14
pbyrne@fjordline.example,new-manager-bootcamp,2026-09-14
mschneider@fjordline.example,reverse-mentor-briefing,2026-12-07
jbrooks@fjordline.example,reverse-mentor-briefing,2026-12-07
slindgren@fjordline.example,reverse-mentor-briefing,2026-12-07
hsato@fjordline.example,reverse-mentor-briefing,2026-12-07
tjohnson@fjordline.example,reverse-mentor-briefing,2026-12-07
akowalska@fjordline.example,reverse-mentor-briefing,2026-12-07
icosta@fjordline.example,reverse-mentor-briefing,2026-12-07
CSV

# mentor level, mentee level, mentor dept, mentee dept of each pairing
levels() { q "SELECT m.level, t.level, m.department, t.department FROM pairing p
  JOIN enrollment a ON a.id = p.mentor_enrollment_id JOIN person m ON m.id = a.person_id
  JOIN enrollment b ON b.id = p.mentee_enrollment_id JOIN person t ON t.id = b.person_id
  JOIN program g ON g.id = p.program_id WHERE g.slug = '$1'"; }

export MENTORCTL_TODAY=2027-02-01
expect 0 init
expect 0 program add "$DATA/programs/$PEER.yaml"
expect 0 program add "$DATA/programs/$REV.yaml"
expect 0 people import "$DATA/people.csv"
expect 0 training add --csv "$DATA/trainings.csv"
expect 0 training add --csv "$T/trainings.csv"

# ---- peer ----
expect 0 enroll $PEER --csv "$DATA/enroll-$PEER.csv"
err_has "9 eligible, 0 pending"
expect 0 --format csv match $PEER --explain
err_has "proposed 4 pairings (1 mentee unmatched; objective score"
out_has "pbyrne@fjordline.example,,,,,,"
levels $PEER >"$T/peer"
check '[ "$(wc -l <"$T/peer")" -eq 4 ]' "peer pairs: $(cat "$T/peer")"
# levels at most 1 apart, always another department
check '[ -z "$(awk -F"|" "{ d = \$1 - \$2; if (d < 0) d = -d; if (d > 1) print }" "$T/peer")" ]' "a peer pair over the gap: $(cat "$T/peer")"
check '[ -z "$(awk -F"|" "\$3 == \$4" "$T/peer")" ]' "a peer pair in one department"
# pbyrne (level 3) with a level-5 mentor: the peer rule, named
P=$(q "SELECT p.id FROM pairing p JOIN enrollment a ON a.id = p.mentor_enrollment_id JOIN person m ON m.id = a.person_id WHERE m.email = 'tlindqvist@fjordline.example'")
expect 0 decline "$P" --reason "testing the peer rule"
expect 65 pair $PEER tlindqvist@fjordline.example pbyrne@fjordline.example
err_has "format rule (peer: levels more than 1 apart or unknown)"
err_lines 1
expect 0 program show $PEER
out_has "peer mentoring: partners at levels at most 1 apart"
expect 0 report $PEER
out_has "format: peer mentoring: partners at levels at most 1 apart"
expect 0 --format json report $PEER
out_has '"section":"programme","metric":"format","group":"all","value":null,"target":null,"status":null,"due":null,"detail":"peer"'
expect 0 --format csv program show $PEER
out_has "format_rules"

# ---- reverse ----
expect 0 enroll $REV --csv "$DATA/enroll-$REV.csv"
# the sample admits senior leaders from level 5: everyone qualifies
err_has "13 eligible, 0 pending"
expect 0 --format csv match $REV
err_has "proposed "
levels $REV >"$T/rev"
check '[ "$(wc -l <"$T/rev")" -ge 4 ]' "reverse pairs: $(cat "$T/rev")"
# the mentor is always the junior (mentee_above min_gap 4 too), never the same department
check '[ -z "$(awk -F"|" "\$1 >= \$2" "$T/rev")" ]' "a reverse pair with a senior mentor: $(cat "$T/rev")"
check '[ -z "$(awk -F"|" "\$2 - \$1 < 4" "$T/rev")" ]' "a reverse pair under the gap"
check '[ -z "$(awk -F"|" "\$3 == \$4" "$T/rev")" ]' "a reverse pair in one department"
# Engineering leaders have three juniors outside their department: one waits
err_has "1 mentee unmatched"
# a mentor senior to the mentee: the reverse rule, named
expect 0 enroll $REV jbrooks@fjordline.example --role mentee
expect 65 pair $REV mschneider@fjordline.example jbrooks@fjordline.example
err_has "format rule (reverse: the mentor is not junior to the mentee"
err_lines 1
expect 0 report $REV
out_has "format: reverse mentoring: the junior mentors the senior (the mentor's level is below the mentee's)"
expect 0 program show $REV
out_has "reverse mentoring: the junior mentors the senior"

# the life cycle goes on as one-to-one: accept, cycle, check-in, report
export MENTORCTL_TODAY=2027-02-05
id=$(q "SELECT min(p.id) FROM pairing p JOIN program g ON g.id = p.program_id WHERE g.slug = '$REV'")
expect 0 accept "$id"
err_has "pairing $id is active"
export MENTORCTL_TODAY=2027-04-05
expect 0 cycle start $REV
expect 0 checkin "$id" --on 2027-04-05
out_has "Ground rules - candour, confidentiality, and what each of you hopes to learn"

done_testing
