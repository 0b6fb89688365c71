#!/bin/sh
# enroll PROGRAM --csv FILE: the sample files end to end, person columns
# creating people in the same transaction, every bad row reported.
. "$TOP/tests/cli/lib.sh"

expect 0 init
expect 0 program add "$DATA/programs/eng-2027.yaml"
expect 0 people import "$DATA/people.csv"
err_has "imported 60 people (60 created, 0 updated, 0 unchanged)"

# The sample enrollment: nobody has trainings yet, so all are pending.
expect 0 enroll eng-2027 --csv "$DATA/enroll-eng-2027.csv"
err_has "eng-2027: 45 enrollments (45 new, 0 updated, 0 re-enrolled, 0 unchanged); 0 eligible, 45 pending"
# ... and who is pending, and why: the coordinator's to-do list.
err_has "mentorctl: pending: 'ohaddad@fjordline.example' as mentor (missing training mentor-basics; tenure 2.8 < 3 years)"
err_has "mentorctl: pending: 'arao@fjordline.example' as mentee (missing training mentee-orientation)"
err_lines 46
expect 0 training add --csv "$DATA/trainings.csv"
err_has "recorded 50 trainings (50 added, 0 re-dated, 0 unchanged)"
expect 0 --format csv people list --program eng-2027 --role mentor --status eligible
check '[ "$(($(printf "%s\n" "$OUT" | wc -l) - 1))" -eq 13 ]' "not 13 eligible mentors"
expect 0 --format csv people list --program eng-2027 --role mentee --status pending
check '[ "$(($(printf "%s\n" "$OUT" | wc -l) - 1))" -eq 5 ]' "not 5 pending mentees"
expect 0 --format csv export enrollments --program eng-2027
out_has "eng-2027,ohaddad@fjordline.example,Omar Haddad,mentor,pending,missing training mentor-basics; tenure 2.8 < 3 years,1,"
out_has "eng-2027,ohaddad@fjordline.example,Omar Haddad,mentee,eligible,,1,Grow into a tech lead role within a year,"
out_has "eng-2027,arao@fjordline.example,Ananya Rao,mentee,pending,training mentee-orientation not completed until 2027-01-15,"
out_has "eng-2027,smarin@fjordline.example,Sofia Marin,mentor,eligible,,3,"
out_has "eng-2027,wzhang@fjordline.example,Wei Zhang,mentor,pending,missing training mentor-basics,2,"

# Again: nothing changes.
db_dump >"$T/dump-before"
expect 0 enroll eng-2027 --csv "$DATA/enroll-eng-2027.csv"
err_has "eng-2027: 45 enrollments (0 new, 0 updated, 0 re-enrolled, 45 unchanged); 38 eligible, 7 pending"
db_dump >"$T/dump-after"
check 'cmp -s "$T/dump-before" "$T/dump-after"' "an unchanged enroll --csv wrote something"

# Person columns: new people are created, known ones updated, in the same
# transaction; a person may come twice, once per role.
cat >"$T/new.csv" <<'EOF'
Email,Role,Name,Department,Level,Hired On,Skills,goal
newbie@fjordline.example,mentee,New Bie,Engineering,1,2026-11-02,go,Learn the codebase
newbie@fjordline.example,mentor,New Bie,Engineering,1,2026-11-02,go,
smarin@fjordline.example,mentor,Sofia Marin,Engineering,6,2015-08-03,go;rust,Teach Rust
EOF
expect 0 enroll eng-2027 --csv "$T/new.csv"
err_has "imported 2 people (1 created, 1 updated, 0 unchanged)"
err_has "eng-2027: 3 enrollments (2 new, 1 updated, 0 re-enrolled, 0 unchanged); 1 eligible, 2 pending"
expect 0 --format json people show newbie@fjordline.example
out_has '"name":"New Bie"'
out_has '"skills":"go"'
expect 0 --format csv export enrollments --program eng-2027
out_has "eng-2027,newbie@fjordline.example,New Bie,mentee,pending,missing training mentee-orientation,1,Learn the codebase,"
out_has "eng-2027,newbie@fjordline.example,New Bie,mentor,pending,missing training mentor-basics; tenure 0.1 < 3 years,2,,"
out_has "eng-2027,smarin@fjordline.example,Sofia Marin,mentor,eligible,,3,Teach Rust,"

# Without person columns the file may only name people who exist.
db_dump >"$T/dump-before"
{
	printf 'email,role,capacity,goal\r\n'
	printf 'ghost@fjordline.example,mentor,,\r\n'
	printf 'gliu@fjordline.example,mentr,,\r\n'
	printf 'kmensah@fjordline.example,mentee,2,\r\n'
	printf 'tlindqvist@fjordline.example,mentor,lots,\r\n'
	printf 'rdas@fjordline.example,mentee,,"Two\nlines"\r\n'
	printf 'RDAS@fjordline.example,mentee,,\r\n'
	printf 'bad-address,mentee,,\r\n'
	printf 'nsharma@fjordline.example,mentor\r\n'
} >"$T/bad.csv"
expect 65 enroll eng-2027 --csv "$T/bad.csv"
cat >"$T/want" <<EOF
mentorctl: $T/bad.csv:2: email: unknown person 'ghost@fjordline.example' (add a name column to create people from this file)
mentorctl: $T/bad.csv:3: role: unknown role 'mentr' (expected mentor or mentee)
mentorctl: $T/bad.csv:4: capacity: a mentee's capacity is 1, not 2
mentorctl: $T/bad.csv:5: capacity: 'lots' is not a whole number between 1 and 1000
mentorctl: $T/bad.csv:8: role: 'rdas@fjordline.example' is enrolled as mentee already on line 6
mentorctl: $T/bad.csv:9: email: 'bad-address' is not an e-mail address
mentorctl: $T/bad.csv:10: expected 4 fields, found 2
EOF
check 'diff -u "$T/want" "$T/.err"' "the problems reported differ"
db_dump >"$T/dump-after"
check 'cmp -s "$T/dump-before" "$T/dump-after"' "a failed enroll --csv changed the database"

# File-level errors.
printf 'email,capacity\nsmarin@fjordline.example,2\n' >"$T/norole.csv"
expect 65 enroll eng-2027 --csv "$T/norole.csv"
err_has "norole.csv: no 'role' column"
err_lines 1
expect 66 enroll eng-2027 --csv "$T/missing.csv"
err_lines 1
expect 65 enroll nope --csv "$DATA/enroll-eng-2027.csv"
err_has "unknown programme 'nope'"
expect 64 enroll eng-2027 --csv "$T/new.csv" --role mentor
err_lines 1
expect 64 enroll eng-2027 smarin@fjordline.example --csv "$T/new.csv"
err_lines 1

# Re-activation through a file says so.
expect 0 withdraw eng-2027 kmensah@fjordline.example
printf 'email,role\nkmensah@fjordline.example,mentee\n' >"$T/back.csv"
expect 0 --today 2027-02-01 enroll eng-2027 --csv "$T/back.csv"
err_has "re-enrolled 'kmensah@fjordline.example' in 'eng-2027' as mentee (withdrawn on 2027-01-04)"
err_has "(0 new, 0 updated, 1 re-enrolled, 0 unchanged); 1 eligible, 0 pending"

done_testing
