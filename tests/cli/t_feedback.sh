#!/bin/sh
# feedback PAIRING_ID|--program SLUG --by EMAIL --rating 1-5 [--comment TEXT]:
# only partners (or enrolled people) give it, one per person and subject
# (again replaces), bad ratings and unknown subjects refused without a change.
. "$TOP/tests/cli/lib.sh"
export MENTORCTL_TODAY=2027-03-01

cat >"$T/f.yaml" <<'YAML'
slug: f
name: F
purpose: engagement
format: one-to-one
roles: { mentor: { capacity: 3 } }
YAML
cat >"$T/g.yaml" <<'YAML'
slug: g
name: G
purpose: engagement
format: one-to-one
YAML
expect 0 init
expect 0 program add "$T/f.yaml"
expect 0 program add "$T/g.yaml"
# people 1-4; in f: m1 mentors e1 (pairing 1, active), mentored e2
# (pairing 2, ended) and proposed again (pairing 3, declined when e2
# withdrew); x is enrolled in g only.
printf 'email,name\nm1@example.org,M1\ne1@example.org,E1\ne2@example.org,E2\nx@example.org,X\n' >"$T/people.csv"
expect 0 --today 2027-01-01 people import "$T/people.csv"
printf 'email,role\nm1@example.org,mentor\ne1@example.org,mentee\ne2@example.org,mentee\n' >"$T/f.csv"
expect 0 --today 2027-01-02 enroll f --csv "$T/f.csv"
expect 0 --today 2027-01-02 enroll g x@example.org --role mentee
activate f m1@example.org e1@example.org 2027-01-03 2027-01-04
activate f m1@example.org e2@example.org 2027-01-03 2027-01-05
expect 0 --today 2027-02-01 end 2 --reason left
propose f m1@example.org e2@example.org 2027-02-02
expect 0 --today 2027-02-03 withdraw f e2@example.org --reason moved
rows() { sqlite3 "$MENTORCTL_DB" "SELECT count(*) FROM feedback"; }

# a partner rates the pairing
expect 0 feedback 1 --by e1@example.org --rating 4 --comment "Very helpful, thanks"
err_has "recorded the feedback of e1@example.org about pairing 1"
check '[ -z "$OUT" ]' "feedback printed to stdout"
check '[ "$(sqlite3 "$MENTORCTL_DB" "SELECT program_id, pairing_id, person_id, rating, comment, given_on FROM feedback")" = "1|1|2|4|Very helpful, thanks|2027-03-01" ]' "feedback row"
check '[ "$(sqlite3 "$MENTORCTL_DB" "SELECT count(*) FROM audit WHERE entity = '"'"'feedback'"'"' AND action = '"'"'add'"'"'")" -eq 1 ]' "no audit row"
check '! sqlite3 "$MENTORCTL_DB" "SELECT detail FROM audit" | grep -q "helpful"' "the audit copies the comment"
# the mentor too; e-mails compare without case; an ended pairing can be rated
expect 0 feedback 1 --by M1@Example.ORG --rating 5
expect 0 feedback 2 --by e2@example.org --rating 2 --comment "=cmd|' /C calc'!A0"
check '[ "$(rows)" -eq 3 ]' "three rows expected"
check '[ "$(sqlite3 "$MENTORCTL_DB" "SELECT comment FROM feedback WHERE pairing_id = 2")" = "=cmd|'"'"' /C calc'"'"'!A0" ]' "a comment is stored as given"

# again: replaces, says so
expect 0 --today 2027-03-05 feedback 1 --by e1@example.org --rating 2
err_has "replaced the feedback e1@example.org gave on 2027-03-01 about pairing 1"
check '[ "$(rows)" -eq 3 ]' "a second feedback added a row"
check '[ "$(sqlite3 "$MENTORCTL_DB" "SELECT rating, comment IS NULL, given_on FROM feedback WHERE pairing_id = 1 AND person_id = 2")" = "2|1|2027-03-05" ]' "not replaced"
check '[ "$(sqlite3 "$MENTORCTL_DB" "SELECT count(*) FROM audit WHERE entity = '"'"'feedback'"'"' AND action = '"'"'replace'"'"'")" -eq 1 ]' "no audit row for the replacement"

# about the programme: anyone enrolled (even withdrawn); once per person too
expect 0 feedback --program f --by e2@example.org --rating 3 --comment "ok"
err_has "about programme 'f'"
expect 0 feedback --program f --by e2@example.org --rating 4
err_has "replaced"
check '[ "$(sqlite3 "$MENTORCTL_DB" "SELECT count(*) FROM feedback WHERE pairing_id IS NULL")" -eq 1 ]' "programme feedback not replaced"
# the same person about another subject is another feedback
expect 0 feedback --program g --by x@example.org --rating 5
check '[ "$(rows)" -eq 5 ]' "five rows expected"

# the database itself refuses a second row for the same subject
check '! sqlite3 "$MENTORCTL_DB" "INSERT INTO feedback (program_id, pairing_id, person_id, rating, given_on, recorded_at) VALUES (1, NULL, 3, 1, '"'"'2027-03-01'"'"', '"'"'2027-03-01T00:00:00Z'"'"')" 2>/dev/null' "feedback_once does not hold"

# refused, one line, nothing changed
before=$(db_dump)
expect 65 feedback 1 --by x@example.org --rating 4
err_has "'x@example.org' is not a partner in pairing 1"
err_lines 1
expect 65 feedback 1 --by nobody@example.org --rating 4
err_has "unknown person 'nobody@example.org'"
expect 65 feedback 99 --by e1@example.org --rating 4
err_has "unknown pairing 99"
expect 65 feedback 3 --by e2@example.org --rating 4
err_has "never turned active"
expect 65 feedback --program g --by e1@example.org --rating 4
err_has "not enrolled in programme 'g'"
expect 65 feedback --program nosuch --by e1@example.org --rating 4
err_has "nosuch"
expect 65 feedback 1 --by e1@example.org --rating 6
err_has "between 1 and 5"
expect 65 feedback 1 --by e1@example.org --rating 0
expect 65 feedback 1 --by e1@example.org --rating -1
expect 64 feedback 1 --by e1@example.org --rating four
err_lines 1
expect 64 feedback 1 --by e1@example.org --rating 4.5
expect 64 feedback 1 --by e1@example.org --rating ""
expect 64 feedback 1 --by e1@example.org
err_has "--rating"
expect 64 feedback 1 --rating 4
err_has "--by"
expect 64 feedback --by e1@example.org --rating 4
err_has "missing pairing id"
expect 64 feedback 1 --program f --by e1@example.org --rating 4
err_has "not both"
expect 64 feedback abc --by e1@example.org --rating 4
err_has "invalid pairing id 'abc'"
expect 64 feedback 0 --by e1@example.org --rating 4
expect 64 feedback 1 2 --by e1@example.org --rating 4
long=$(python3 -c 'print("x" * 4001)')
expect 65 feedback 1 --by e1@example.org --rating 4 --comment "$long"
err_has "longer than"
check '[ "$(db_dump)" = "$before" ]' "a refused feedback changed the database"

expect 0 feedback --help
out_has "--rating N"

done_testing
