#!/bin/sh
# Corrections after a mistake, along the calendar: proposals expire, a
# `match` re-pairs their mentees, the coordinator withdraws its proposals
# and revives the expired ones from a CSV file (all or nothing, every bad
# row named, capacity counted with the rows above), one more by id and by
# e-mails; then an ended and a withdrawn pairing get their reasons
# corrected (--amend), which the audit trail shows with the old reason.
. "$TOP/tests/cli/lib.sh"

cat >"$T/p.yaml" <<'YAML'
slug: t-2027
name: Test Programme
purpose: knowledge-transfer
format: one-to-one
owner: People
contact: coord@ex.org
roles:
  mentor:
    capacity: 2
  mentee:
    eligibility: { trainings: [orientation] }
matching:
  consent: both
  respond_within: 10 days
  objective: coverage
  min_score: 20
  criteria:
    - { attribute: skills, mentee_attribute: wants, compare: overlap, weight: 5 }
    - { attribute: department, compare: different, weight: 2 }
    - { attribute: timezone, compare: within_hours, hours: 3, weight: 2 }
    - { attribute: level, compare: mentor_above, min_gap: 1, weight: 3 }
  exclude: [same_manager_line, previous_partners]
YAML
setup_ok init
people_csv <<'EOF'
email,name,department,level,hired_on,timezone,manager_email,skills,wants
boss@ex.org,Boss,Exec,9,2010-01-01,Europe/Berlin,,strategy,
m1@ex.org,Mentor One,Eng,6,2015-01-01,Europe/Berlin,boss@ex.org,go;sql;rust,
m2@ex.org,Mentor Two,Sales,6,2015-01-01,Europe/London,boss@ex.org,negotiation;sql,
m3@ex.org,Mentor Three,Eng,5,2016-01-01,America/New_York,m1@ex.org,go;kubernetes,
e1@ex.org,Mentee One,Eng,2,2024-01-01,Europe/Berlin,m3@ex.org,,go;sql
e2@ex.org,Mentee Two,Sales,2,2024-01-01,Europe/Berlin,m2@ex.org,,negotiation
e3@ex.org,Mentee Three,Marketing,3,2024-01-01,Europe/London,boss@ex.org,,sql;go
e4@ex.org,Mentee Four,Design,1,2024-01-01,Asia/Tokyo,boss@ex.org,,rust
e5@ex.org,Mentee Five,Sales,1,2024-01-01,Europe/Berlin,m3@ex.org,,go
EOF
cat >"$T/trainings.csv" <<'EOF'
email,training,on
e1@ex.org,orientation,2026-12-01
e2@ex.org,orientation,2026-12-01
e3@ex.org,orientation,2026-12-01
e4@ex.org,orientation,2026-12-01
EOF
cat >"$T/enroll.csv" <<'EOF'
email,role,capacity
m1@ex.org,mentor,1
m2@ex.org,mentor,1
m3@ex.org,mentor,
e1@ex.org,mentee,
e2@ex.org,mentee,
e3@ex.org,mentee,
e4@ex.org,mentee,
e5@ex.org,mentee,
EOF
setup_ok program add "$T/p.yaml"
setup_ok training add --csv "$T/trainings.csv"
setup_ok enroll t-2027 --csv "$T/enroll.csv"

# ---- 2027-01-04: four proposals by hand, answers due by 2027-01-14 ----
propose t-2027 m1@ex.org e3@ex.org && P1=$PAIR
propose t-2027 m2@ex.org e1@ex.org && P2=$PAIR
propose t-2027 m3@ex.org e4@ex.org && P3=$PAIR
propose t-2027 m3@ex.org e5@ex.org && P4=$PAIR
check '[ "$P1,$P2,$P3,$P4" = "1,2,3,4" ]' "the proposals are 1 to 4"

# Not expired yet: nothing to revive.
expect 65 --today 2027-01-10 pair t-2027 --revive "$P1"
err_has "pairing 1 is proposed, not an expired proposal"
err_lines 1

# ---- 2027-01-16: unanswered; match expires them and re-pairs the mentees ----
expect 0 --today 2027-01-16 --format csv match t-2027
check '[ "$(q "SELECT group_concat(status) FROM pairing WHERE id <= 4")" = "expired,expired,expired,expired" ]' \
	"match stored the expiry of proposals 1-4"
M5=$(q "SELECT x.id FROM pairing x JOIN enrollment e ON e.id = x.mentee_enrollment_id JOIN person p ON p.id = e.person_id WHERE x.status = 'proposed' AND p.email = 'e2@ex.org'")
M6=$(q "SELECT x.id FROM pairing x JOIN enrollment e ON e.id = x.mentee_enrollment_id JOIN person p ON p.id = e.person_id WHERE x.status = 'proposed' AND p.email = 'e3@ex.org'")
M7=$(q "SELECT x.id FROM pairing x JOIN enrollment e ON e.id = x.mentee_enrollment_id JOIN person p ON p.id = e.person_id WHERE x.status = 'proposed' AND p.email = 'e4@ex.org'")
check '[ -n "$M5" ] && [ -n "$M6" ] && [ -n "$M7" ]' "match proposed mentors to e2, e3 and e4"

# Revived now, they would clash with match's proposals: every row is named.
cat >"$T/bad.csv" <<EOF
mentor_email,mentee_email,pairing_id
m1@ex.org,e3@ex.org,
,,$P2
,,$M5
,,x
,,99
m1@ex.org,e2@ex.org,
m1@ex.org,,
EOF
before=$(db_dump)
expect 65 --today 2027-01-16 pair t-2027 --revive --csv "$T/bad.csv"
err_has "bad.csv:2: mentee_email: mentee 'e3@ex.org' has pairing $M6 already"
err_has "bad.csv:3: mentor_email: mentor 'm2@ex.org' has no place left for pairing 2 (capacity 1, 1 open pairing)"
err_has "bad.csv:4: pairing_id: pairing $M5 is proposed, not an expired proposal"
err_has "bad.csv:5: pairing_id: 'x' is not a pairing id"
err_has "bad.csv:6: pairing_id: unknown pairing 99"
err_has "bad.csv:7: mentee_email: no proposal of mentor 'm1@ex.org' to mentee 'e2@ex.org' in 't-2027'"
err_has "bad.csv:8: mentee_email: empty"
err_lines 7
out_is ""
check '[ "$(db_dump)" = "$before" ]' "a refused revive file wrote nothing"

# A file without the columns.
printf 'email\nm1@ex.org\n' >"$T/cols.csv"
expect 65 --today 2027-01-16 pair t-2027 --revive --csv "$T/cols.csv"
err_has "cols.csv:1: the columns must be mentor_email and mentee_email, or pairing_id"
err_lines 1
# Usage: --csv without --revive, --revive without proposals, --revive --force.
expect 64 --today 2027-01-16 pair t-2027 --csv "$T/bad.csv"
err_lines 1
expect 64 --today 2027-01-16 pair t-2027 --revive
err_lines 1
expect 64 --today 2027-01-16 pair t-2027 --revive "$P1" --force
err_lines 1

# The coordinator withdraws match's proposals for e3 and e4.
setup_ok --today 2027-01-16 end "$M6" --reason "match ran by mistake"
setup_ok --today 2027-01-16 end "$M7" --reason "match ran by mistake"

# m3 has match's pairing with e2 and 2 places: reviving 3 and 4 overfills.
cat >"$T/over.csv" <<EOF
mentor_email,mentee_email,pairing_id
m1@ex.org,e3@ex.org,
,,$P2
,,$P3
,,$P4
,,$P3
EOF
before=$(db_dump)
expect 65 --today 2027-01-16 pair t-2027 --revive --csv "$T/over.csv"
err_has "over.csv:5: mentor_email: mentor 'm3@ex.org' has no place left for pairing 4 (capacity 2, 2 open pairings with those revived above)"
err_has "over.csv:6: pairing_id: pairing 3 is named twice"
err_lines 2
check '[ "$(db_dump)" = "$before" ]' "a revive over capacity wrote nothing"

# ---- the good file: three proposals back, answers due by 2027-01-26 ----
printf 'mentor_email,mentee_email,pairing_id\nM1@EX.ORG,e3@ex.org,\n,,%s\n,,%s\n' \
	"$P2" "$P3" >"$T/good.csv"
expect 0 --today 2027-01-16 --format csv pair t-2027 --revive --csv "$T/good.csv"
out_is "$(printf 'mentee_email,mentor_email,score,pairing_id,status,group_id,expired_on,expires_on\r
e3@ex.org,m1@ex.org,100.00,1,proposed,,2027-01-14,2027-01-26\r
e1@ex.org,m2@ex.org,79.17,2,proposed,,2027-01-14,2027-01-26\r
e4@ex.org,m3@ex.org,41.67,3,proposed,,2027-01-14,2027-01-26\r')"
err_has "revived 3 proposals: answers due by 2027-01-26"
err_lines 1
expect 0 --today 2027-01-16 --format csv pairings t-2027 --status proposed
out_has "1,m1@ex.org,e3@ex.org,proposed,100.00,,2027-01-04,2027-01-26,"
expect 0 log --pairing "$P1"
out_has "revive"
out_has "expired on 2027-01-14; answers due by 2027-01-26"

# One more, by id: m3 is full now.
expect 65 --today 2027-01-16 pair t-2027 --revive "$P4"
err_has "mentor 'm3@ex.org' has no place left for pairing 4 (capacity 2, 2 open pairings)"
err_lacks "mentor_email:"
err_lines 1

# ---- 2027-01-18: e3 and m1 accept; the others let it expire again ----
expect 0 --today 2027-01-18 accept "$P1"
err_has "pairing 1 is active"
expect 0 --today 2027-01-27 --format csv pairings t-2027 --status expired
out_has "2,m2@ex.org,e1@ex.org,expired"
# By the pair's e-mails (any case) this time, and in JSON.
expect 0 --today 2027-01-28 --format json pair t-2027 --revive M2@ex.org \
	e1@ex.org
printf '%s\n' "$OUT" >"$T/revive.json"
out_has '"expired_on":"2027-01-26"'
out_has '"expires_on":"2027-02-07"'
err_has "revived proposal 2 (mentor 'm2@ex.org', mentee 'e1@ex.org'): answers due by 2027-02-07"
if /usr/bin/python3 -c 'import jsonschema' 2>/dev/null; then
	CHECKS=$((CHECKS + 1))
	/usr/bin/python3 - "$TOP/docs/schema/pair.schema.json" "$T/revive.json" <<'PY' ||
import json, sys
from jsonschema import Draft202012Validator as V
schema = json.load(open(sys.argv[1]))
V(schema, format_checker=V.FORMAT_CHECKER).validate(json.load(open(sys.argv[2])))
PY
	fail "pair --revive --format json does not fit docs/schema/pair.schema.json"
fi
expect 0 --today 2027-01-29 accept "$P2"

# ---- 2027-02-01: pairing 1 ends; its reason is corrected ----
expect 0 --today 2027-02-01 end "$P1" --reason "mentor left"
expect 0 --today 2027-02-02 end "$P1" --reason "mentor moved abroad" --amend
err_has "corrected the end reason of pairing 1: 'mentor moved abroad' (was 'mentor left')"
err_lines 1
out_is ""
expect 0 --format csv pairings t-2027 --status ended
out_has ",mentor moved abroad,"
out_lacks "mentor left,"
expect 0 --format csv log --pairing "$P1"
out_has ",end,pairing,1,amend,end reason: 'mentor moved abroad' (was 'mentor left')"
# The same reason again: nothing to correct.
before=$(db_dump)
expect 0 --today 2027-02-02 end "$P1" --reason "mentor moved abroad" --amend
err_has "nothing changed"
check '[ "$(db_dump)" = "$before" ]' "the same reason wrote nothing"

# ---- refused corrections: one line, nothing written ----
before=$(db_dump)
# pairing 2 is active: not ended
expect 65 --today 2027-02-02 end "$P2" --reason "x" --amend
err_has "pairing 2 is active, not ended"
err_lines 1
expect 65 --today 2027-02-02 decline "$P2" --reason "x" --amend
err_has "pairing 2 is active, not declined"
err_lines 1
# blank or missing reasons
expect 65 --today 2027-02-02 end "$P1" --reason "  " --amend
err_has "must not be blank"
err_lines 1
expect 64 --today 2027-02-02 end "$P1" --amend
err_has "--amend needs the corrected reason"
err_lines 1
expect 64 --today 2027-02-02 decline "$M6" --amend
err_lines 1
# ended, not declined (and the other way round): the right command is named
expect 65 --today 2027-02-02 decline "$P1" --reason "x" --amend
err_has "pairing 1 ended on 2027-02-01, it was not declined; correct its reason with 'mentorctl end 1 --reason TEXT --amend'"
err_lines 1
expect 65 --today 2027-02-02 end "$M6" --reason "x" --amend
err_has "correct its reason with 'mentorctl decline $M6 --reason TEXT --amend'"
err_lines 1
expect 65 --today 2027-02-02 end 99 --reason "x" --amend
err_has "unknown pairing 99"
check '[ "$(db_dump)" = "$before" ]' "refused corrections wrote nothing"

# ---- a withdrawn proposal's reason, by decline --amend ----
expect 0 --today 2027-02-02 decline "$M6" --reason "e3 was proposed twice" \
	--amend --by coord@ex.org
err_has "corrected the decline reason of pairing $M6: 'e3 was proposed twice' (was 'match ran by mistake')"
expect 0 --format csv log --pairing "$M6"
out_has "coord@ex.org,decline,pairing,$M6,amend,decline reason: 'e3 was proposed twice' (was 'match ran by mistake')"
expect 0 --format csv pairings t-2027 --status declined
out_has "e3 was proposed twice"

done_testing
