#!/bin/sh
# The consent flow of each `matching.consent` mode: both (proposed until
# both partners accepted), mentee (the mentee's acceptance activates), none
# (active at once); the coordinator answering for everyone; activation
# making both enrollments active and joining the open cycle.
. "$TOP/tests/cli/lib.sh"

cat >"$T/both.yaml" <<'YAML'
slug: both-2027
name: Consent Both
purpose: knowledge-transfer
format: one-to-one
owner: People
contact: coord@ex.org
roles:
  mentor:
    capacity: 2
cycle:
  start: 2027-01-04
  length: 6 months
  reup: { opens: 21 days before end, closes: 7 days before end, default: exit }
matching:
  consent: both
  respond_within: 10 days
  objective: coverage
  min_score: 0
  criteria:
    - { attribute: skills, mentee_attribute: wants, compare: overlap, weight: 1 }
YAML
sed -e 's/^slug: both-2027/slug: mentee-2027/' -e 's/consent: both/consent: mentee/' \
    "$T/both.yaml" >"$T/mentee.yaml"
sed -e 's/^slug: both-2027/slug: none-2027/' -e 's/consent: both/consent: none/' \
    "$T/both.yaml" >"$T/none.yaml"

cat >"$T/people.csv" <<'EOF'
email,name,department,level,skills,wants
m1@ex.org,Mentor One,Eng,6,go;sql,
e1@ex.org,Mentee One,Sales,2,,go
e2@ex.org,Mentee Two,Sales,2,,sql
EOF
expect 0 init
expect 0 people import "$T/people.csv"
for p in both mentee none; do
	expect 0 program add "$T/$p.yaml"
	expect 0 enroll $p-2027 m1@ex.org --role mentor
	expect 0 enroll $p-2027 e1@ex.org --role mentee
done
expect 0 enroll both-2027 e2@ex.org --role mentee

q() { sqlite3 "$MENTORCTL_DB" "$1"; }
status_of() { q "select status from pairing where id = $1"; }
enr_status() { # PROGRAM EMAIL ROLE
	q "select e.status from enrollment e join person p on p.id = e.person_id
	   join program g on g.id = e.program_id
	   where g.slug = '$1' and p.email = '$2' and e.role = '$3'"
}

# An open cycle for both-2027: activation must join it.
expect 0 cycle start both-2027

# ---- consent both ----
expect 0 --format csv match both-2027
out_has "mentee_email,mentor_email,score,pairing_id,status,group_id"
out_has "e1@ex.org,m1@ex.org,100.00,1,proposed,"
out_has "e2@ex.org,m1@ex.org,100.00,2,proposed,"
err_has "proposed 2 pairings (0 mentees unmatched; objective coverage; total score 200.00)"
err_lines 1
check '[ "$(status_of 1)" = proposed ]' "a new proposal is proposed"
check '[ "$(q "select expires_on from pairing where id = 1")" = 2027-01-14 ]' \
	"expires_on is today + respond_within"

# Only the pairing's partners answer for themselves.
expect 65 accept 1 --by e2@ex.org
err_has "'e2@ex.org' is neither the mentor nor the mentee of pairing 1 (mentor m1@ex.org, mentee e1@ex.org)"
err_lines 1
expect 64 accept 1 --by not-an-address
err_lines 1

# One partner accepts: still proposed.
expect 0 accept 1 --by m1@ex.org
err_has "recorded the mentor's acceptance of pairing 1; waiting for the mentee ('e1@ex.org')"
check '[ "$(status_of 1)" = proposed ]' "one acceptance of two activated pairing 1"
check '[ "$(q "select mentor_accepted_on, mentee_accepted_on from pairing where id = 1")" = "2027-01-04|" ]' \
	"the mentor's acceptance is not recorded alone"
check '[ "$(enr_status both-2027 e1@ex.org mentee)" = eligible ]' \
	"a proposal changed the mentee's enrollment"
# The same partner again: nothing new, still waiting.
expect 0 accept 1 --by M1@EX.ORG
err_has "already had the mentor's acceptance of pairing 1; waiting for the mentee"
check '[ "$(status_of 1)" = proposed ]' "a repeated acceptance activated pairing 1"
# The other partner: active, enrollments active, in the open cycle.
expect 0 --today 2027-01-06 accept 1 --by e1@ex.org
err_has "pairing 1 is active: mentor 'm1@ex.org', mentee 'e1@ex.org'"
check '[ "$(status_of 1)" = active ]' "both acceptances did not activate pairing 1"
check '[ "$(q "select activated_on, mentee_accepted_on from pairing where id = 1")" = "2027-01-06|2027-01-06" ]' \
	"activated_on / mentee_accepted_on are not the day of the answer"
check '[ "$(enr_status both-2027 e1@ex.org mentee)" = active ]' "mentee enrollment not active"
check '[ "$(enr_status both-2027 m1@ex.org mentor)" = active ]' "mentor enrollment not active"
check '[ "$(q "select count(*) from pairing p join cycle c on c.id = p.cycle_id where p.id = 1 and c.status = '"'open'"'")" = 1 ]' \
	"the activated pairing is not in the open cycle"
check '[ "$(q "select count(*) from pairing_cycle where pairing_id = 1")" = 1 ]' \
	"no pairing_cycle row for the activated pairing"
# Accepting an active pairing: said, exit 0, nothing changed.
before=$(db_dump)
expect 0 accept 1 --by e1@ex.org
err_has "pairing 1 is active already (since 2027-01-06); nothing changed"
check '[ "$(db_dump)" = "$before" ]' "accepting an active pairing changed the database"

# The coordinator answers for everyone consent needs: active at once.
expect 0 accept 2
err_has "pairing 2 is active"
check '[ "$(q "select mentor_accepted_on, mentee_accepted_on, status from pairing where id = 2")" = "2027-01-04|2027-01-04|active" ]' \
	"the coordinator's acceptance did not record both answers"
check '[ "$(q "select actor from audit where entity = '"'pairing'"' and entity_id = 2 and action = '"'accept'"'")" = tester ]' \
	"the coordinator's acceptance is not audited with \$USER"
check '[ "$(q "select actor from audit where entity = '"'pairing'"' and entity_id = 1 and action = '"'accept'"' order by id limit 1")" = m1@ex.org ]' \
	"a partner's acceptance is not audited with --by"

# Unknown and malformed ids.
expect 65 accept 99
err_has "unknown pairing 99"
err_lines 1
expect 64 accept abc
err_lines 1
expect 65 decline 99 --reason x
err_lines 1
expect 65 end 99 --reason x
err_lines 1

# ---- consent mentee ----
expect 0 --format csv match mentee-2027
out_has "e1@ex.org,m1@ex.org,100.00,"
id=$(q "select p.id from pairing p join program g on g.id = p.program_id where g.slug = 'mentee-2027'")
# The mentor's acceptance is recorded but does not activate.
expect 0 accept "$id" --by m1@ex.org
err_has "waiting for the mentee ('e1@ex.org')"
check '[ "$(status_of "$id")" = proposed ]' "consent mentee: the mentor's acceptance activated"
check '[ -n "$(q "select mentor_accepted_on from pairing where id = $id")" ]' \
	"consent mentee: the mentor's acceptance was not recorded"
expect 0 accept "$id" --by e1@ex.org
err_has "pairing $id is active"
check '[ "$(status_of "$id")" = active ]' "consent mentee: the mentee's acceptance did not activate"
# No open cycle in this programme: active all the same, in no cycle.
check '[ -z "$(q "select cycle_id from pairing where id = $id")" ]' \
	"a pairing joined a cycle of another programme"

# ---- consent none ----
expect 0 --format csv match none-2027
out_has ",m1@ex.org,100.00,"
out_has ",active,"
err_has "consent none: active at once"
id=$(q "select p.id from pairing p join program g on g.id = p.program_id where g.slug = 'none-2027'")
check '[ "$(q "select status, activated_on from pairing where id = $id")" = "active|2027-01-04" ]' \
	"consent none: not active at once"
check '[ "$(enr_status none-2027 e1@ex.org mentee)" = active ]' "consent none: mentee enrollment not active"
expect 0 accept "$id"
err_has "active already"

done_testing
