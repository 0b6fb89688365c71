#!/bin/sh
# training add: one at a time and from a CSV file (email,training,on), all
# or nothing, every bad row reported.
. "$TOP/tests/cli/lib.sh"

expect 0 init
printf 'email,name\nann@example.org,Ann\nbob@example.org,Bob\n' >"$T/people.csv"
expect 0 people import "$T/people.csv"

# One training; the date defaults to today; names are identifiers.
expect 0 training add ann@example.org "  Mentor-Basics "
err_has "recorded training mentor-basics for 'ann@example.org' on 2027-01-04"
err_lines 1
expect 0 training add ANN@example.org mentor-basics --on 2026-12-01
err_has "training mentor-basics of 'ann@example.org' is now dated 2026-12-01 (was 2027-01-04)"
expect 0 training add ann@example.org mentor-basics --on 2026-12-01
err_has "training mentor-basics of 'ann@example.org' was recorded already on 2026-12-01"
expect 0 people show ann@example.org
out_has "mentor-basics  2026-12-01"

# Errors.
expect 65 training add nobody@example.org mentor-basics
err_has "unknown person 'nobody@example.org'"
err_lines 1
expect 65 training add ann@example.org mentor-basics --on 2027-02-30
err_has "invalid date '2027-02-30'"
err_lines 1
expect 65 training add ann@example.org "   "
err_has "empty training name"
err_lines 1
expect 64 training add ann@example.org
err_lines 1
expect 64 training add --csv "$T/x.csv" ann@example.org
err_lines 1
expect 64 training add ann@example.org x --by nobody
err_has "option '--by' wants an e-mail address"

# --by is the audit's actor.
expect 0 training add bob@example.org ethics --by lead@example.org
check '[ "$(sqlite3 "$MENTORCTL_DB" "select actor || '"' '"' || detail from audit where entity = '"'training'"' order by id desc limit 1")" = "lead@example.org bob@example.org: ethics on 2027-01-04" ]' \
	"training audit row"

# A file: the on column is optional per row (today, or --on).
printf 'Email,Training,On\r\nann@example.org,coaching,2026-10-01\r\nbob@example.org,coaching,\r\nBOB@example.org,mentor-basics,2026-11-11\r\nann@example.org,mentor-basics,2026-12-01\r\n' >"$T/t.csv"
expect 0 training add --csv "$T/t.csv" --on 2026-12-24
err_has "recorded 4 trainings (3 added, 0 re-dated, 1 unchanged)"
check '[ "$(sqlite3 "$MENTORCTL_DB" "select completed_on from training where name = '"'coaching'"' and person_id = (select id from person where email = '"'bob@example.org'"')")" = 2026-12-24 ]' \
	"--on is not the default date of a file's rows"

# Every bad row, in line order, and nothing written.
db_dump >"$T/dump-before"
{
	printf 'email,training,on\n'
	printf 'ann@example.org,first-aid,2026-01-01\n'
	printf 'nobody@example.org,coaching,\n'
	printf 'ann@example.org,,2026-01-01\n'
	printf 'ann@example.org,first-aid,2026-02-30\n'
	printf 'not-an-address,coaching,\n'
	printf 'ANN@example.org,First-Aid,2026-03-01\n'
	printf 'bob@example.org,coaching\n'
} >"$T/bad.csv"
expect 65 training add --csv "$T/bad.csv"
cat >"$T/want" <<EOF
mentorctl: $T/bad.csv:3: email: unknown person 'nobody@example.org'
mentorctl: $T/bad.csv:4: training: empty training name
mentorctl: $T/bad.csv:5: on: invalid date '2026-02-30' (expected an existing day as YYYY-MM-DD)
mentorctl: $T/bad.csv:6: email: 'not-an-address' is not an e-mail address
mentorctl: $T/bad.csv:8: expected 3 fields, found 2
EOF
check 'diff -u "$T/want" "$T/.err"' "the problems reported differ"
db_dump >"$T/dump-after"
check 'cmp -s "$T/dump-before" "$T/dump-after"' "a failed training add --csv changed the database"
printf 'email,course\nann@example.org,x\n' >"$T/nocol.csv"
expect 65 training add --csv "$T/nocol.csv"
err_has "nocol.csv: no 'training' column"
err_lines 1
expect 66 training add --csv "$T/missing.csv"
err_lines 1

# An LMS export lists every attempt: a training repeated for one person is
# "already recorded", recorded once with its earliest date; never a failure.
printf 'email,training,completed_on\nbob@example.org,ethics,2027-01-02\nbob@example.org,Ethics,2026-12-20\nBob@example.org,ethics,2026-12-20\nann@example.org,first-aid,2026-11-01\n' >"$T/lms.csv"
expect 0 training add --csv "$T/lms.csv"
err_has "recorded 2 trainings (1 added, 1 re-dated, 0 unchanged)"
err_has "2 rows repeat a training of the same person (already recorded; the earliest date counts)"
check '[ "$(q "select completed_on from training where name = '"'ethics'"'")" = 2026-12-20 ]' \
	"a repeated training does not keep its earliest date"
expect 0 training add --csv "$T/lms.csv"
err_has "recorded 2 trainings (0 added, 0 re-dated, 2 unchanged)"

# training list: everyone, one person, one training; csv and json.
expect 0 --format csv training list
check '[ "$(printf "%s\n" "$OUT" | head -1 | tr -d "\r")" = "email,training,completed_on,recorded_at" ]' \
	"training list columns"
out_has "ann@example.org,first-aid,2026-11-01,"
out_has "bob@example.org,ethics,2026-12-20,"
expect 0 --format csv training list BOB@example.org
out_lacks "ann@example.org"
out_has "bob@example.org,coaching,2026-12-24,"
expect 0 --format json training list --training Mentor-Basics
printf '%s' "$OUT" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert sorted(r["email"] for r in d) == ["ann@example.org", "bob@example.org"], d
assert all(r["training"] == "mentor-basics" for r in d), d
' 2>"$T/py.err"
check '[ $? -eq 0 ]' "training list --training json: $(cat "$T/py.err")"
expect 0 training list
out_has "EMAIL"
expect 65 training list nobody@example.org
err_has "unknown person 'nobody@example.org'"
err_lines 1

# training remove: a mistake undone, eligibility judged again.
expect 0 program add "$DATA/programs/eng-2027.yaml"
people_csv <<'EOF'
email,name,hired_on
senior@example.org,Senior,2015-01-01
EOF
expect 0 training add senior@example.org mentor-basics --on 2026-12-01
expect 0 enroll eng-2027 senior@example.org --role mentor
err_has "as mentor: eligible"
expect 0 training remove senior@example.org Mentor-Basics --by lead@example.org
err_has "removed training mentor-basics of 'senior@example.org' (completed 2026-12-01)"
err_has "'senior@example.org' is pending as mentor in 'eng-2027' (missing training mentor-basics)"
check '[ "$(q "select actor || '"' '"' || action from audit where entity = '"'training'"' order by id desc limit 1")" = "lead@example.org remove" ]' \
	"no audit row for training remove"
db_dump >"$T/dump-before"
expect 65 training remove senior@example.org mentor-basics
err_has "'senior@example.org' has no training 'mentor-basics' (none is recorded)"
err_lines 1
expect 65 training remove ann@example.org first-aide
err_has "'ann@example.org' has no training 'first-aide'; did you mean 'first-aid'?"
err_lines 1
expect 65 training remove nobody@example.org first-aid
err_lines 1
expect 64 training remove ann@example.org
err_lines 1
db_dump >"$T/dump-after"
check 'cmp -s "$T/dump-before" "$T/dump-after"' "a failed training remove changed the database"

done_testing
