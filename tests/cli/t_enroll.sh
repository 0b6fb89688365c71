#!/bin/sh
# enroll and withdraw: eligibility reasons for each rule, end to end, and
# their re-evaluation when trainings are added or the programme changes.
. "$TOP/tests/cli/lib.sh"

expect 0 init
expect 0 program add "$DATA/programs/eng-2027.yaml"
# Levels rule: a copy of eng-2027 whose mentors need level 4 to 6.
sed -e 's/^slug: eng-2027/slug: levels-2027/' \
    -e 's/eligibility: { min_tenure_years: 3, trainings: \[mentor-basics\] }/eligibility: { min_level: 4, max_level: 6 }/' \
    "$DATA/programs/eng-2027.yaml" >"$T/levels.yaml"
check 'grep -q "min_level: 4" "$T/levels.yaml"' "levels.yaml was not made"
expect 0 program add "$T/levels.yaml"

cat >"$T/people.csv" <<'EOF'
email,name,department,level,hired_on
senior@example.org,Senior,Engineering,5,2015-06-01
fresh@example.org,Fresh,Engineering,2,2025-08-01
nodate@example.org,No Date,Engineering,,
leap@example.org,Leap,Engineering,7,2024-02-29
EOF
expect 0 people import "$T/people.csv"

# Each rule: trainings, tenure (and no hire date), both together.
expect 0 enroll eng-2027 senior@example.org --role mentor
err_has "enrolled 'senior@example.org' in 'eng-2027' as mentor: pending (missing training mentor-basics)"
err_lines 1
expect 0 enroll eng-2027 fresh@example.org --role mentor
err_has "as mentor: pending (missing training mentor-basics; tenure 1.4 < 3 years)"
expect 0 enroll eng-2027 nodate@example.org --role mentor
err_has "as mentor: pending (missing training mentor-basics; no hire date)"
expect 0 enroll eng-2027 fresh@example.org --role mentee --goal "Learn Go"
err_has "enrolled 'fresh@example.org' in 'eng-2027' as mentee: pending (missing training mentee-orientation)"
# Levels: too low, too high, missing, within.
expect 0 enroll levels-2027 fresh@example.org --role mentor
err_has "as mentor: pending (level 2 < 4)"
expect 0 enroll levels-2027 leap@example.org --role mentor
err_has "as mentor: pending (level 7 > 6)"
expect 0 enroll levels-2027 nodate@example.org --role mentor
err_has "as mentor: pending (no level)"
expect 0 enroll levels-2027 senior@example.org --role mentor --capacity 3
err_has "as mentor: eligible"
# A mentee role without rules is eligible at once.
expect 0 enroll levels-2027 senior@example.org --role mentee
err_has "as mentee: pending (missing training mentee-orientation)"

# training add flips pending to eligible (and says so), date by date.
expect 0 training add senior@example.org Mentor-Basics --on 2026-12-01
err_has "recorded training mentor-basics for 'senior@example.org' on 2026-12-01"
err_has "'senior@example.org' is eligible as mentor in 'eng-2027'"
expect 0 --format csv export enrollments --program eng-2027
out_has "eng-2027,senior@example.org,Senior,mentor,eligible,,2,,2027-01-04,2027-01-04,,"
# A training dated after today does not count yet.
expect 0 training add fresh@example.org mentee-orientation --on 2027-01-10
err_has "'fresh@example.org' is pending as mentee in 'eng-2027' (training mentee-orientation not completed until 2027-01-10)"
expect 0 --today 2027-01-10 training add fresh@example.org mentee-orientation --on 2027-01-10
err_has "was recorded already on 2027-01-10"
err_has "'fresh@example.org' is eligible as mentee in 'eng-2027'"
# The day it became eligible is kept.
check '[ "$(sqlite3 "$MENTORCTL_DB" "select eligible_on from enrollment e join person p on p.id = e.person_id where p.email = '"'fresh@example.org'"' and e.role = '"'mentee'"'")" = 2027-01-10 ]' \
	"eligible_on is not the day it became eligible"
# Back to today: a corrected date.
expect 0 training add fresh@example.org mentee-orientation --on 2026-12-15
err_has "training mentee-orientation of 'fresh@example.org' is now dated 2026-12-15 (was 2027-01-10)"
err_has "'fresh@example.org' is eligible as mentee in 'eng-2027'"

# A Feb 29 hire reaches three years on Feb 28 of a common year.
expect 0 training add leap@example.org mentor-basics --on 2026-01-01
expect 0 enroll eng-2027 leap@example.org --role mentor
err_has "as mentor: pending (tenure 2.8 < 3 years)"
expect 0 --today 2027-02-27 enroll eng-2027 leap@example.org --role mentor
err_has "is enrolled already in 'eng-2027' as mentor: pending (tenure 2.9 < 3 years)"
expect 0 --today 2027-02-28 enroll eng-2027 leap@example.org --role mentor
err_has "is enrolled already in 'eng-2027' as mentor: eligible"

# program update changes the rules: everyone pending or eligible is
# re-evaluated; active and withdrawn enrollments are left alone.
# nodate's mentor enrollment turns active the way it does in life: paired
# (despite the rules, by hand) and accepted.
people_csv <<'EOF'
email,name,department,level,hired_on
pal@example.org,Pal,Sales,1,2026-01-05
EOF
expect 0 enroll eng-2027 pal@example.org --role mentee
check '[ -n "$(active_pairing eng-2027 nodate@example.org pal@example.org --force)" ]' \
	"no active pairing for nodate"
sed -e 's/min_tenure_years: 3, trainings: \[mentor-basics\]/min_tenure_years: 1/' \
    "$DATA/programs/eng-2027.yaml" >"$T/eng-v2.yaml"
expect 0 program update "$T/eng-v2.yaml"
expect 0 --format csv export enrollments --program eng-2027
out_has "eng-2027,fresh@example.org,Fresh,mentor,eligible,,2,"
out_has "eng-2027,nodate@example.org,No Date,mentor,active,,"
expect 0 program update "$DATA/programs/eng-2027.yaml"
expect 0 --format csv export enrollments --program eng-2027
out_has "eng-2027,fresh@example.org,Fresh,mentor,pending,missing training mentor-basics; tenure 1.4 < 3 years,2,,2027-01-04,2027-01-04,,"
# People import changes a hire date: re-evaluated too.
printf 'email,hired_on\nfresh@example.org,2020-01-01\n' >"$T/rehire.csv"
expect 0 people import "$T/rehire.csv"
expect 0 --format csv export enrollments --program eng-2027
out_has "eng-2027,fresh@example.org,Fresh,mentor,pending,missing training mentor-basics,2,"

# Re-enrolling updates capacity and goal; unchanged says so.
expect 0 enroll eng-2027 fresh@example.org --role mentee --goal "Learn Rust"
err_has "updated the mentee enrollment of 'fresh@example.org' in 'eng-2027': eligible"
expect 0 enroll eng-2027 fresh@example.org --role mentee --goal "Learn Rust"
err_has "'fresh@example.org' is enrolled already in 'eng-2027' as mentee: eligible"
expect 0 enroll eng-2027 senior@example.org --role mentor --capacity 4
err_has "updated the mentor enrollment"
expect 0 --format csv export enrollments --program eng-2027
out_has "eng-2027,senior@example.org,Senior,mentor,eligible,,4,"
out_has "eng-2027,fresh@example.org,Fresh,mentee,eligible,,1,Learn Rust,"

# Errors: one line each, with their exit codes.
expect 65 enroll no-such-programme senior@example.org --role mentor
err_has "mentorctl: unknown programme 'no-such-programme'"
err_lines 1
expect 65 enroll eng-2027 nobody@example.org --role mentor
err_has "mentorctl: unknown person 'nobody@example.org'"
err_lines 1
expect 64 enroll eng-2027 senior@example.org --role mentr
err_has "mentorctl: unknown role 'mentr' (expected mentor or mentee)"
err_lines 1
expect 64 enroll eng-2027 senior@example.org
err_has "missing option '--role'"
err_lines 1
# Several mentors at once for a mentee of a one-to-one programme.
expect 0 enroll eng-2027 fresh@example.org --role mentee --capacity 2
err_lines 1
expect 0 enroll eng-2027 fresh@example.org --role mentee --capacity 1
expect 64 enroll eng-2027 senior@example.org --role mentor --capacity two
err_lines 1
expect 65 enroll eng-2027 senior@example.org --role mentor --capacity 0
err_lines 1
expect 64 enroll eng-2027 --role mentor
err_lines 1
expect 64 enroll eng-2027 senior@example.org --role mentor --by "not a mail"
err_has "option '--by' wants an e-mail address"

# --by is the audit's actor; $USER otherwise.
expect 0 enroll eng-2027 nodate@example.org --role mentee --by coordinator@example.org
check '[ "$(sqlite3 "$MENTORCTL_DB" "select actor from audit where action = '"'enroll'"' order by id desc limit 1")" = coordinator@example.org ]' \
	"--by is not the audit actor"
check '[ "$(sqlite3 "$MENTORCTL_DB" "select actor from audit where action = '"'enroll'"' order by id limit 1")" = tester ]' \
	"\$USER is not the audit actor"

# withdraw: proposed pairings are declined, active ones ended.
P1=$(active_pairing eng-2027 senior@example.org fresh@example.org)
P2=$(pairing_of eng-2027 leap@example.org fresh@example.org --force)
check '[ -n "$P1" ] && [ -n "$P2" ]' "pairings were not set up"
# The active pairing made the mentor's enrollment active.
check '[ "$(q "select status from enrollment where id = (select mentor_enrollment_id from pairing where id = $P1)")" = active ]' \
	"the mentor's enrollment is not active"
expect 0 people show fresh@example.org
out_has "pairings:"
out_has "senior@example.org"
# fresh is mentor and mentee in eng-2027: which one?
expect 64 withdraw eng-2027 fresh@example.org
err_has "'fresh@example.org' is both mentor and mentee in 'eng-2027'; give --role"
err_lines 1
# a blank reason is refused, as everywhere (issue 12 item 12), nothing changed
before=$(db_dump)
expect 65 withdraw eng-2027 fresh@example.org --role mentee --reason "   "
err_lines 1
err_has "reason"
check '[ "$(db_dump)" = "$before" ]' "a refused withdraw changed the database"
expect 0 withdraw eng-2027 fresh@example.org --role mentee --reason "changed teams" --by lead@example.org
err_has "withdrew 'fresh@example.org' from 'eng-2027' as mentee; 1 proposed pairing declined; 1 active pairing ended"
check '[ "$(sqlite3 "$MENTORCTL_DB" "select status || '"'/'"' || decline_reason || '"'/'"' || declined_on || '"'/'"' || declined_by from pairing where status = '"'declined'"'")" = "declined/withdrawn/2027-01-04/lead@example.org" ]' \
	"the proposed pairing was not declined"
check '[ "$(sqlite3 "$MENTORCTL_DB" "select status || '"'/'"' || end_reason || '"'/'"' || ended_on from pairing where status = '"'ended'"'")" = "ended/withdrawn/2027-01-04" ]' \
	"the active pairing was not ended"
check '[ "$(sqlite3 "$MENTORCTL_DB" "SELECT status FROM enrollment WHERE id = (SELECT mentor_enrollment_id FROM pairing WHERE status = '"'ended'"')")" = eligible ]' \
	"the partner left without an active pairing is not eligible again"
expect 0 --format csv export enrollments --program eng-2027
out_has "eng-2027,fresh@example.org,Fresh,mentee,withdrawn,,1,Learn Rust,2027-01-04,2027-01-10,2027-01-04,changed teams"
# Withdrawn enrollments are not re-evaluated.
expect 0 training add fresh@example.org mentor-basics
expect 0 --format csv export enrollments --program eng-2027
out_has "eng-2027,fresh@example.org,Fresh,mentee,withdrawn,"
# Twice: nothing to do.
expect 0 withdraw eng-2027 fresh@example.org --role mentee
err_has "was withdrawn already from 'eng-2027' as mentee on 2027-01-04"
expect 65 withdraw eng-2027 leap@example.org --role mentee
err_has "'leap@example.org' is not enrolled in 'eng-2027' as mentee"
err_lines 1
expect 65 withdraw eng-2027 nobody@example.org
err_has "unknown person 'nobody@example.org'"
expect 65 withdraw nope leap@example.org
err_has "unknown programme 'nope'"
# Re-enrolling a withdrawn enrollment re-activates it and says so.
expect 0 --today 2027-01-20 enroll eng-2027 fresh@example.org --role mentee
err_has "re-enrolled 'fresh@example.org' in 'eng-2027' as mentee (withdrawn on 2027-01-04): eligible"
expect 0 --format csv export enrollments --program eng-2027
out_has "eng-2027,fresh@example.org,Fresh,mentee,eligible,,1,Learn Rust,2027-01-20,2027-01-20,,"

# people show lists the enrollments and trainings of a person.
expect 0 people show fresh@example.org
out_has "enrollments:"
out_has "eng-2027"
out_has "levels-2027"
out_has "trainings:"
out_has "mentee-orientation"
# Every change left an audit row.
check '[ "$(sqlite3 "$MENTORCTL_DB" "select count(*) from audit where entity = '"'pairing'"' and command = '"'withdraw'"'")" -eq 2 ]' \
	"no audit rows for the pairings withdraw closed"
check '[ "$(sqlite3 "$MENTORCTL_DB" "select count(*) from audit where action = '"'withdraw'"'")" -eq 1 ]' \
	"no audit row for withdraw"

done_testing
