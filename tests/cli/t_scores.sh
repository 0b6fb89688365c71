#!/bin/sh
# scores and suggest: pinned columns, the order of rows, one mentee against
# every eligible mentor with the rule that excludes a pair, suggest --top
# with ranks and places left, and their errors.
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
matching:
  consent: both
  respond_within: 10 days
  objective: coverage
  min_score: 45
  criteria:
    - { attribute: skills, mentee_attribute: wants, compare: overlap, weight: 5 }
    - { attribute: department, compare: different, weight: 2 }
    - { attribute: timezone, compare: within_hours, hours: 3, weight: 2 }
    - { attribute: level, compare: mentor_above, min_gap: 1, weight: 3 }
    - { attribute: languages, compare: overlap, weight: 0.5, required: true }
  exclude: [same_manager_line, previous_partners]
YAML
cat >"$T/people.csv" <<'EOF'
email,name,department,level,hired_on,timezone,manager_email,skills,wants,languages
boss@ex.org,Boss,Exec,9,2010-01-01,Europe/Berlin,,strategy,,en
m1@ex.org,Mentor One,Eng,6,2015-01-01,Europe/Berlin,boss@ex.org,go;sql;rust,,en;de
m2@ex.org,Mentor Two,Sales,6,2015-01-01,Europe/London,boss@ex.org,negotiation;sql,,en
m3@ex.org,Mentor Three,Eng,5,2016-01-01,America/New_York,m1@ex.org,go;kubernetes,,en
m4@ex.org,Mentor Four,Legal,7,2012-01-01,Europe/Berlin,boss@ex.org,go;sql,,fr
e1@ex.org,Mentee One,Eng,2,2024-01-01,Europe/Berlin,m3@ex.org,,go;sql,en
e3@ex.org,Mentee Three,Marketing,3,2024-01-01,Europe/London,boss@ex.org,,sql;go,en
e4@ex.org,Mentee Four,Design,1,2024-01-01,Asia/Tokyo,boss@ex.org,,rust,de;en
EOF
cat >"$T/enroll.csv" <<'EOF'
email,role,capacity
m1@ex.org,mentor,1
m2@ex.org,mentor,1
m3@ex.org,mentor,
m4@ex.org,mentor,
e1@ex.org,mentee,
e3@ex.org,mentee,
e4@ex.org,mentee,
EOF
expect 0 init
expect 0 program add "$T/p.yaml"
expect 0 people import "$T/people.csv"
expect 0 enroll t-2027 --csv "$T/enroll.csv"

# Every allowed pair: by mentee, score descending, mentor e-mail.
# (weights 5 2 2 3 0.5 of 12.5: e3-m1 is 5 + 2 + 2 + 3 + 0.5 = 100)
expect 0 --format csv scores t-2027
out_is "$(printf 'mentee_email,mentor_email,score,skills:wants:overlap,department:different,timezone:within_hours,level:mentor_above,languages:overlap,rule,mentee_name,mentee_department,mentor_name,mentor_department,bonus,veto,fixed\r
e1@ex.org,m2@ex.org,80.00,20.00,16.00,16.00,24.00,4.00,allowed,Mentee One,Eng,Mentor Two,Sales,,,\r
e3@ex.org,m1@ex.org,100.00,40.00,16.00,16.00,24.00,4.00,allowed,Mentee Three,Marketing,Mentor One,Eng,,,\r
e3@ex.org,m2@ex.org,80.00,20.00,16.00,16.00,24.00,4.00,allowed,Mentee Three,Marketing,Mentor Two,Sales,,,\r
e3@ex.org,m3@ex.org,64.00,20.00,16.00,0.00,24.00,4.00,allowed,Mentee Three,Marketing,Mentor Three,Eng,,,\r
e4@ex.org,m1@ex.org,84.00,40.00,16.00,0.00,24.00,4.00,allowed,Mentee Four,Design,Mentor One,Eng,,,\r')"
err_lines 0
expect 0 --format json scores t-2027
check 'printf "%s" "$OUT" | python3 -c "
import json, sys
rows = json.load(sys.stdin)
assert len(rows) == 5 and rows[0][\"score\"] == 80.0 and rows[0][\"languages:overlap\"] == 4.0, rows[0]
"' "scores JSON is not typed as its columns"

# One mentee against every eligible mentor, with why a pair is excluded.
expect 0 --format csv scores t-2027 --mentee E1@EX.ORG
out_is "$(printf 'mentee_email,mentor_email,score,skills:wants:overlap,department:different,timezone:within_hours,level:mentor_above,languages:overlap,rule,mentee_name,mentee_department,mentor_name,mentor_department,bonus,veto,fixed\r
e1@ex.org,m4@ex.org,96.00,40.00,16.00,16.00,24.00,0.00,required criterion languages:overlap gives 0,Mentee One,Eng,Mentor Four,Legal,,,\r
e1@ex.org,m1@ex.org,84.00,40.00,0.00,16.00,24.00,4.00,same manager line,Mentee One,Eng,Mentor One,Eng,,,\r
e1@ex.org,m2@ex.org,80.00,20.00,16.00,16.00,24.00,4.00,allowed,Mentee One,Eng,Mentor Two,Sales,,,\r
e1@ex.org,m3@ex.org,48.00,20.00,0.00,0.00,24.00,4.00,same manager line,Mentee One,Eng,Mentor Three,Eng,,,\r')"
expect 0 --format csv scores t-2027 --mentee e4@ex.org
out_has "e4@ex.org,m1@ex.org,84.00,40.00,16.00,0.00,24.00,4.00,allowed,Mentee Four,Design,Mentor One,Eng,,,"
out_has "e4@ex.org,m2@ex.org,44.00,0.00,16.00,0.00,24.00,4.00,below min_score 45 (score 44.00)"
out_has "e4@ex.org,m4@ex.org,40.00,0.00,16.00,0.00,24.00,0.00,required criterion languages:overlap gives 0"

# suggest: allowed mentors with a place left, ranked.
expect 0 --format csv suggest t-2027 e3@ex.org --top 2
out_is "$(printf 'mentee_email,mentor_email,score,rank,remaining_capacity,skills:wants:overlap,department:different,timezone:within_hours,level:mentor_above,languages:overlap,mentee_name,mentee_department,mentor_name,mentor_department\r
e3@ex.org,m1@ex.org,100.00,1,1,40.00,16.00,16.00,24.00,4.00,Mentee Three,Marketing,Mentor One,Eng\r
e3@ex.org,m2@ex.org,80.00,2,1,20.00,16.00,16.00,24.00,4.00,Mentee Three,Marketing,Mentor Two,Sales\r')"
expect 0 --format csv suggest t-2027 e3@ex.org
check '[ "$(printf "%s\n" "$OUT" | wc -l)" -eq 4 ]' "suggest without --top lists all three allowed mentors"
expect 0 suggest t-2027 e3@ex.org --top 1
out_has "RANK"
out_has "m1@ex.org"
out_lacks "m2@ex.org"
expect 65 suggest t-2027 e3@ex.org --top 0
err_lines 1
expect 64 suggest t-2027 e3@ex.org --top many
err_lines 1

# A hand-made pair that breaks nothing needs no --force; then m1 is full.
expect 0 --format csv pair t-2027 m1@ex.org e3@ex.org
out_has "e3@ex.org,m1@ex.org,100.00,1,proposed,"
expect 0 --format csv scores t-2027 --mentee e4@ex.org
out_has "e4@ex.org,m1@ex.org,84.00,40.00,16.00,0.00,24.00,4.00,no place left (capacity 1)"
expect 0 --format csv suggest t-2027 e4@ex.org
out_lacks "m1@ex.org"
err_has "no allowed mentor with a place left for 'e4@ex.org'"
# scores without --mentee leaves out the matched mentee and the full mentor.
expect 0 --format csv scores t-2027
out_lacks "e3@ex.org"
out_lacks "m1@ex.org"
# A matched mentee: suggest still answers, and warns.
expect 0 --format csv suggest t-2027 e3@ex.org
err_has "warning: 'e3@ex.org' has pairing 1 in 't-2027' already"
expect 0 --format csv scores t-2027 --mentee e3@ex.org
out_has "e3@ex.org,m1@ex.org,100.00,40.00,16.00,16.00,24.00,4.00,paired (pairing 1)"

# Errors: one line, 65 for unknown or ineligible people and programmes.
expect 65 scores t-2027 --mentee nobody@ex.org
err_has "unknown person 'nobody@ex.org'"
err_lines 1
expect 65 scores t-2027 --mentee m1@ex.org
err_has "'m1@ex.org' is not enrolled in 't-2027' as mentee"
err_lines 1
expect 0 withdraw t-2027 e4@ex.org
expect 65 suggest t-2027 e4@ex.org
err_has "'e4@ex.org' withdrew from 't-2027' as mentee on 2027-01-04"
err_lines 1
expect 65 suggest nope-2027 e3@ex.org
err_lines 1
expect 65 scores nope-2027
err_lines 1
expect 64 suggest t-2027
err_lines 1

done_testing
