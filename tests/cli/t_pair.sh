#!/bin/sh
# The pairing lifecycle around `match`: decline with a reason and a re-run
# that never proposes the pair again; expiry (--today) refusing a late
# acceptance and re-matching the mentee elsewhere; re-runs keeping accepted
# pairings; manual pairs listing every rule they break, --force, and
# capacity never exceeded even with --force; end; pairings --status.
. "$TOP/tests/cli/lib.sh"

# Scores (weights 5 2 2 3 of 12) as `scores` shows them:
#   e1-m2 79.17   e2-m1 58.33  e2-m3 41.67  e3-m1 100  e3-m2 79.17
#   e3-m3 62.50   e4-m1 83.33  e4-m2 41.67  e4-m3 41.67
# Manager lines: e1 under m3 under m1; e2 and e5 under m2 and m3.
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
cat >"$T/people.csv" <<'EOF'
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
expect 0 init
expect 0 program add "$T/p.yaml"
expect 0 people import "$T/people.csv"
expect 0 training add --csv "$T/trainings.csv"
expect 0 enroll t-2027 --csv "$T/enroll.csv"
err_has "7 eligible, 1 pending"
q() { sqlite3 "$MENTORCTL_DB" "$1"; }

# The optimum (266.67), not the greedy choice of e3-m1 first (262.51).
expect 0 --format csv match t-2027
out_is "$(printf 'mentee_email,mentor_email,score,pairing_id,status,group_id,mentee_name,mentee_department,mentor_name,mentor_department\r
e1@ex.org,m2@ex.org,79.17,1,proposed,,Mentee One,Eng,Mentor Two,Sales\r
e2@ex.org,m3@ex.org,41.67,2,proposed,,Mentee Two,Sales,Mentor Three,Eng\r
e3@ex.org,m3@ex.org,62.50,3,proposed,,Mentee Three,Marketing,Mentor Three,Eng\r
e4@ex.org,m1@ex.org,83.33,4,proposed,,Mentee Four,Design,Mentor One,Eng\r')"
err_has "proposed 4 pairings (0 mentees unmatched; objective coverage; total score 266.67)"
check '[ "$(q "select count(*) from audit where entity = '"'pairing'"' and action = '"'propose'"'")" = 4 ]' \
	"not one audit row per proposal"

# ---- decline, and a re-run that never proposes the pair again ----
expect 0 accept 4
expect 0 decline 1 --by e1@ex.org --reason "prefers someone in Berlin"
err_has "declined pairing 1 (mentor 'm2@ex.org', mentee 'e1@ex.org')"
check '[ "$(q "select status, declined_on, declined_by, decline_reason from pairing where id = 1")" = "declined|2027-01-04|e1@ex.org|prefers someone in Berlin" ]' \
	"decline did not record when, who and why"
expect 0 decline 1
err_has "was declined already on 2027-01-04; nothing changed"
expect 65 accept 1
err_has "pairing 1 was declined on 2027-01-04 by e1@ex.org; it cannot be accepted"
err_lines 1
expect 65 decline 4
err_has "pairing 4 is active; end it with 'mentorctl end 4 --reason TEXT'"
# m2 has a place again, but e1's only allowed mentor is m2, declined.
expect 0 --format csv match t-2027 --explain
out_is "$(printf 'mentee_email,mentor_email,score,pairing_id,status,group_id,mentee_name,mentee_department,mentor_name,mentor_department,skills:wants:overlap,department:different,timezone:within_hours,level:mentor_above,bonus,rule\r
e1@ex.org,,,,,,Mentee One,Eng,,,,,,,,unmatched: no allowed mentor with a place left\r')"
err_has "proposed 0 pairings (1 mentee unmatched;"
check '[ "$(q "select count(*) from pairing")" = 4 ]' "a re-run proposed again"
check '[ "$(q "select status, activated_on from pairing where id = 4")" = "active|2027-01-04" ]' \
	"a re-run touched the accepted pairing"
expect 0 --format csv scores t-2027 --mentee e1@ex.org
out_has "e1@ex.org,m2@ex.org,79.17,20.83,16.67,16.67,25.00,declined before (pairing 1)"

# ---- expiry ----
# Pairings 2 and 3 are unanswered; their last day is 2027-01-14.
expect 0 --today 2027-01-14 --format csv pairings t-2027 --status proposed
out_has "2,m3@ex.org,e2@ex.org,proposed,41.67,,2027-01-04,2027-01-14,"
expect 0 --today 2027-01-15 --format csv pairings t-2027 --status expired
out_has "2,m3@ex.org,e2@ex.org,expired,41.67,,2027-01-04,2027-01-14,"
out_has "3,m3@ex.org,e3@ex.org,expired,62.50,"
expect 0 --today 2027-01-15 --format csv pairings t-2027 --status proposed
out_is "$(printf 'id,mentor_email,mentee_email,status,score,group_id,proposed_on,expires_on,activated_on,ended_on,end_reason,origin,mentor_accepted_on,mentee_accepted_on,declined_on,declined_by,decline_reason,mentor_name,mentor_department,mentee_name,mentee_department,mentor_reup,mentee_reup\r')"
before=$(db_dump)
expect 65 --today 2027-01-15 accept 2 --by e2@ex.org
err_has "proposal 2 expired on 2027-01-14 (unanswered); it cannot be accepted"
err_lines 1
check '[ "$(db_dump)" = "$before" ]' "a refused acceptance changed the database"
expect 65 --today 2027-01-15 decline 3
err_has "proposal 3 expired on 2027-01-14"
# A re-run marks them expired and re-matches e3 elsewhere, never with m3
# again; e2's other mentors are full (m1) or in its manager line (m2).
expect 0 --today 2027-01-15 --format csv match t-2027
out_is "$(printf 'mentee_email,mentor_email,score,pairing_id,status,group_id,mentee_name,mentee_department,mentor_name,mentor_department\r
e3@ex.org,m2@ex.org,79.17,5,proposed,,Mentee Three,Marketing,Mentor Two,Sales\r')"
err_has "proposed 1 pairing (2 mentees unmatched;"
check '[ "$(q "select group_concat(id) from pairing where status = '"'expired'"'")" = "2,3" ]' \
	"match did not persist the expiry"
check '[ "$(q "select count(*) from audit where action = '"'expire'"'")" = 2 ]' \
	"no audit row per expired proposal"
expect 0 --today 2027-01-15 --format csv pairings t-2027 --status active
out_has "4,m1@ex.org,e4@ex.org,active,83.33,,2027-01-04,2027-01-14,2027-01-04,,,match,2027-01-04,2027-01-04,,,"
expect 0 --today 2027-01-15 --format csv pairings t-2027 --status declined
out_has "1,m2@ex.org,e1@ex.org,declined,79.17,"
out_has ",prefers someone in Berlin"
expect 64 pairings t-2027 --status lost
err_has "unknown status 'lost'"
err_lines 1
export MENTORCTL_TODAY=2027-01-15

# ---- manual pairs ----
# Every rule it breaks, in one line, and nothing stored.
before=$(db_dump)
expect 65 pair t-2027 m3@ex.org e5@ex.org
err_has "cannot pair mentor 'm3@ex.org' with mentee 'e5@ex.org': mentee not eligible (pending: missing training orientation); same manager line (--force pairs them anyway)"
err_lines 1
expect 65 pair t-2027 m3@ex.org e2@ex.org
err_has "cannot pair mentor 'm3@ex.org' with mentee 'e2@ex.org': proposal expired before (pairing 2) (--force pairs them anyway)"
err_lines 1
# A full mentor is refused first: no rule list can make room.
expect 65 pair t-2027 m2@ex.org e1@ex.org
err_has "mentor 'm2@ex.org' has no place left (capacity 1, 1 open pairing)"
check '[ "$(db_dump)" = "$before" ]' "a refused pair changed the database"
# --force: proposed, with the breaches in a warning and the audit.
expect 0 --format csv pair t-2027 m3@ex.org e5@ex.org --force --by coord@ex.org
out_is "$(printf 'mentee_email,mentor_email,score,pairing_id,status,group_id\r
e5@ex.org,m3@ex.org,83.33,6,proposed,\r')"
err_has "warning: pairing mentor 'm3@ex.org' with mentee 'e5@ex.org' despite: mentee not eligible"
err_has "proposed pairing 6: mentor 'm3@ex.org', mentee 'e5@ex.org'; answers due by 2027-01-25"
check '[ "$(q "select origin, status, expires_on from pairing where id = 6")" = "manual|proposed|2027-01-25" ]' \
	"a manual pair is not a proposal of origin manual"
check '[ "$(q "select actor from audit where entity_id = 6 and action = '"'propose'"'")" = coord@ex.org ]' \
	"--by is not the audit actor of pair"
check 'q "select detail from audit where entity_id = 6 and action = '"'propose'"'" | grep -q "forced despite: mentee not eligible"' \
	"the audit does not say what was forced"
# A mentee with a pairing already: a rule (a second mentor is possible).
expect 65 pair t-2027 m3@ex.org e4@ex.org
err_has "cannot pair mentor 'm3@ex.org' with mentee 'e4@ex.org': mentee has pairing 4 already (--force"
# The same pair twice: refused, even with --force.
expect 65 pair t-2027 m3@ex.org e5@ex.org --force
err_has "pairing 6 pairs mentor 'm3@ex.org' with mentee 'e5@ex.org' already"
# m3 (capacity 2) has one place left: a second mentee fits, a third never.
expect 0 pair t-2027 m3@ex.org e2@ex.org --force
expect 65 pair t-2027 m3@ex.org e4@ex.org --force
err_has "mentor 'm3@ex.org' has no place left (capacity 2, 2 open pairings); capacity is never exceeded, even with --force"
err_lines 1
expect 65 pair t-2027 m1@ex.org e1@ex.org --force
err_has "mentor 'm1@ex.org' has no place left (capacity 1, 1 open pairing)"
check '[ "$(q "select count(*) from pairing p join enrollment e on e.id = p.mentor_enrollment_id join person x on x.id = e.person_id where x.email = '"'m3@ex.org'"' and p.status in ('"'proposed'"', '"'active'"')")" = 2 ]' \
	"m3 holds more open pairings than its capacity"
# Unknown people, roles, programmes: one line, 65.
expect 65 pair t-2027 nobody@ex.org e1@ex.org
err_has "unknown person 'nobody@ex.org'"
err_lines 1
expect 65 pair t-2027 e1@ex.org m1@ex.org
err_has "'e1@ex.org' is not enrolled in 't-2027' as mentor"
err_lines 1
expect 65 pair nope-2027 m1@ex.org e1@ex.org
err_lines 1
expect 65 pairings nope-2027
err_lines 1
expect 64 pair t-2027 m1@ex.org
err_lines 1

# ---- end ----
expect 64 end 4
err_has "end needs --reason TEXT"
err_lines 1
expect 0 end 4 --reason "mentor changed teams"
err_has "ended pairing 4 (mentor 'm1@ex.org', mentee 'e4@ex.org'); both enrollments are eligible again"
check '[ "$(q "select status, ended_on, end_reason from pairing where id = 4")" = "ended|2027-01-15|mentor changed teams" ]' \
	"end did not record when and why"
check '[ "$(q "select group_concat(e.status) from enrollment e where e.id in (select mentor_enrollment_id from pairing where id = 4 union all select mentee_enrollment_id from pairing where id = 4)")" = "eligible,eligible" ]' \
	"the enrollments of an ended pairing are not eligible again"
expect 0 end 4 --reason again
err_has "pairing 4 ended already on 2027-01-15; nothing changed"
expect 65 accept 4
err_has "pairing 4 ended on 2027-01-15; it cannot be accepted"
# Ending a proposal withdraws it: declined, never proposed again.
expect 0 end 6 --reason "coordinator changed her mind"
err_has "withdrew proposal 6"
check '[ "$(q "select status, declined_by, decline_reason from pairing where id = 6")" = "declined|tester|coordinator changed her mind" ]' \
	"ending a proposal did not decline it"
expect 65 end 1 --reason x
err_has "pairing 1 was declined on"
# previous_partners: m1 and e4 were partners (pairing 4 turned active).
expect 0 --format csv scores t-2027 --mentee e4@ex.org
out_has "e4@ex.org,m1@ex.org,83.33,41.67,16.67,0.00,25.00,previous partners (pairing 4)"
expect 0 --format csv match t-2027
out_lacks "e4@ex.org,m1@ex.org"

done_testing
