#!/bin/sh
# Imports as files really arrive: European Excel (';'), TSV and UTF-16
# files get the real cause and the fix; HRIS header names are read as the
# standard fields or refused with a suggestion; time zones are checked
# against the system's tz database; what `export people` and `export
# enrollments` write imports back byte for byte; enrollment files leave
# empty cells alone.
. "$TOP/tests/cli/lib.sh"

expect 0 init
db_dump >"$T/empty"

# ---- separators and encodings: one line naming the cause and the fix ----
printf 'email;name;department\r\nann@example.org;Ann;Sales\r\n' >"$T/semi.csv"
expect 65 people import "$T/semi.csv"
err_has "semi.csv:1: the file is separated by semicolons, not commas (as Excel saves CSV in many European locales): save it as 'CSV UTF-8 (Comma delimited)'"
err_lines 1
printf 'email\tname\nann@example.org\tAnn\n' >"$T/tabs.tsv"
expect 65 people import "$T/tabs.tsv"
err_has "tabs.tsv:1: the file is separated by tabs, not commas"
err_lines 1
printf 'email,name\r\nann@example.org,Ann\r\n' | iconv -f UTF-8 -t UTF-16 >"$T/u16.csv"
expect 65 people import "$T/u16.csv"
err_has "u16.csv: the file is UTF-16 (Excel's 'Unicode Text'), not UTF-8: save it as 'CSV UTF-8 (Comma delimited)', or convert it with 'iconv -f UTF-16 -t UTF-8'"
err_lines 1
printf 'email,name\r\nann@example.org,Ann\r\n' | iconv -f UTF-8 -t UTF-16LE >"$T/u16le.csv"
expect 65 people import "$T/u16le.csv"
err_has "the file is UTF-16"
printf 'email;role\nann@example.org;mentee\n' >"$T/enroll-semi.csv"
expect 0 program add "$DATA/programs/eng-2027.yaml"
db_dump >"$T/before"
expect 65 enroll eng-2027 --csv "$T/enroll-semi.csv"
err_has "separated by semicolons"
err_lines 1
printf 'email\ttraining\nann@example.org\tx\n' >"$T/train.tsv"
expect 65 training add --csv "$T/train.tsv"
err_has "separated by tabs"
err_lines 1
check 'db_dump | cmp -s - "$T/before"' "a refused file changed the database"

# ---- header names from HR systems ----
cat >"$T/hris.csv" <<'EOF'
Work Email,Full Name,Dept,Job Title,Job Level,Start Date,Office,Time Zone,Manager Email Address,Skills
boss@example.org,Bo Boss,Exec,CEO,9,2010-01-04,Oslo,Europe/Oslo,,strategy
ann@example.org,Ann Lee,Sales,Rep,3,2024-05-02,Oslo,Europe/Oslo,boss@example.org,selling
EOF
expect 0 people import "$T/hris.csv"
err_has "imported 2 people (2 created, 0 updated, 0 unchanged)"
expect 0 --format json people show ann@example.org
out_has '"name":"Ann Lee","department":"Sales","title":"Rep","level":3,"hired_on":"2024-05-02","location":"Oslo","timezone":"Europe/Oslo","manager_email":"boss@example.org","skills":"selling"'
# Two columns for one field, typing slips and ambiguous names: refused,
# every one named, nothing stored.
db_dump >"$T/before"
printf 'Email,Work Email,Emial Address,Hire On,Manager,Grade,Team\nx@example.org,y@example.org,z,2020-01-01,m,5,t\n' >"$T/doubt.csv"
expect 65 people import "$T/doubt.csv"
err_has "doubt.csv:1: columns 'email' and 'work_email' both mean email (columns 1 and 2)"
err_has "doubt.csv:1: unknown column 'emial_address'; did you mean 'email'?"
err_has "doubt.csv:1: unknown column 'hire_on'; did you mean 'hired_on'?"
err_has "doubt.csv:1: column 'manager' may be the manager's e-mail address: name it 'manager_email' if it is, or something else (e.g. 'manager_name') to keep it as a free attribute"
err_has "doubt.csv:1: column 'grade' may be the seniority level as a whole number: name it 'level'"
err_lacks "team"
err_lines 5
check 'db_dump | cmp -s - "$T/before"' "a refused header changed the database"

# ---- time zones: the system's tz database, with a suggestion ----
cat >"$T/zones.csv" <<'EOF'
email,timezone
z1@example.org,Mars/Olympus
z2@example.org,PST
z3@example.org,europe/berlin
z4@example.org,Europe/Berln
z5@example.org,Foo
z6@example.org,+05:30
z7@example.org,America/Port-au-Prince
z8@example.org,UTC
z9@example.org,-03:00
z10@example.org,+25:00
EOF
expect 65 people import "$T/zones.csv"
err_has "zones.csv:2: timezone: 'Mars/Olympus' is not a time zone this system knows (expected an IANA name such as Europe/Berlin, or an offset such as +05:30)"
err_has "zones.csv:3: timezone: 'PST' is an abbreviation, not a time zone (it does not say when summer time applies): write an IANA name such as America/Los_Angeles, or an offset such as -08:00"
err_has "zones.csv:4: timezone: 'europe/berlin' is not a time zone this system knows; did you mean 'Europe/Berlin'? (names are case-sensitive)"
err_has "zones.csv:5: timezone: 'Europe/Berln' is not a time zone this system knows; did you mean 'Europe/Berlin'?"
err_has "zones.csv:6: timezone: 'Foo' is not a time zone this system knows"
err_has "zones.csv:11: timezone: '+25:00' is not a time zone this system knows"
err_lines 6
check 'db_dump | cmp -s - "$T/before"' "a file with bad time zones changed the database"
grep -v -e Mars -e PST -e europe -e Berln -e Foo -e '+25' "$T/zones.csv" >"$T/zones-ok.csv"
expect 0 people import "$T/zones-ok.csv"
err_has "imported 4 people (4 created"

# ---- the round trip: export -> import -> export, byte for byte ----
# Cells the export guards against formulas (= + - @, and text that already
# begins with apostrophes), header names too, come back as they were.
cat >"$T/hostile.csv" <<'EOF'
email,name,department,title,level,hired_on,location,timezone,manager_email,=cmd,notes,wants
h1@example.org,=HYPERLINK(1),+Ops,-lead,-3,2020-01-02,@home,+01:00,boss@example.org,=1+1,'=already,"a,b"
h2@example.org,'quoted,''=two,'-x,,,,-05:00,,@x,',plain
h3@example.org,Plain,Sales,Rep,0,,Oslo,Europe/Oslo,h1@example.org,,"multi
line",
EOF
expect 0 people import "$T/hostile.csv"
expect 0 --format csv export people
cp "$T/.out" "$T/export1.csv"
check 'grep -q "^h1@example.org,'"'"'=HYPERLINK(1),'"'"'+Ops," "$T/export1.csv"' \
	"the export does not guard formula cells: $(grep h1@ "$T/export1.csv")"
# A hand-made file is read the same way: "''=two" is a guarded "'=two".
expect 0 --format json people show h2@example.org
out_has "\"name\":\"'quoted\""
out_has "\"department\":\"'=two\""
out_has "\"title\":\"-x\""
out_has "\"timezone\":\"-05:00\""
out_has "\"=cmd\":\"@x\""
out_has "\"notes\":\"'\""
# Into a fresh database and out again: the same bytes.
export MENTORCTL_DB="$T/second.db"
expect 0 init
expect 0 people import "$T/export1.csv"
err_has "imported 9 people (9 created, 0 updated, 0 unchanged)"
expect 0 --format csv export people
cp "$T/.out" "$T/export2.csv"
check 'cmp -s "$T/export1.csv" "$T/export2.csv"' \
	"export -> import -> export differs: $(diff "$T/export1.csv" "$T/export2.csv" | head -5)"
# And back into the first: nothing changes.
export MENTORCTL_DB="$T/test.db"
expect 0 people import "$T/export2.csv"
err_has "imported 9 people (0 created, 0 updated, 9 unchanged)"
# With --bom, as Excel wants it: the same.
expect 0 --format csv --bom export people
cp "$T/.out" "$T/export-bom.csv"
expect 0 people import "$T/export-bom.csv"
err_has "(0 created, 0 updated, 9 unchanged)"

# Enrollments: the export reads back into the same programme unchanged.
cat >"$T/enr.csv" <<'EOF'
email,role,capacity,goal
h1@example.org,mentor,3,=teach
h3@example.org,mentor,,
h2@example.org,mentee,,+grow
boss@example.org,mentee,,
EOF
expect 0 enroll eng-2027 --csv "$T/enr.csv"
expect 0 withdraw eng-2027 boss@example.org
expect 0 --format csv export enrollments --program eng-2027
cp "$T/.out" "$T/enr1.csv"
db_dump >"$T/before"
expect 0 enroll eng-2027 --csv "$T/enr1.csv"
err_has "eng-2027: 3 enrollments (0 new, 0 updated, 0 re-enrolled, 3 unchanged)"
err_has "1 withdrawn enrollment in the file left as it is"
check 'db_dump | cmp -s - "$T/before"' "importing the enrollment export changed the database"
expect 0 --format csv export enrollments --program eng-2027
check 'cmp -s "$T/enr1.csv" "$T/.out"' "enrollments export -> import -> export differs"
expect 0 program add "$DATA/programs/leadership-circles-2027.yaml"
expect 65 enroll leadership-circles-2027 --csv "$T/enr1.csv"
err_has "enr1.csv:2: program: a row of programme 'eng-2027' in a file enrolled into 'leadership-circles-2027'"

# ---- enrollment files: empty changes nothing, '-' clears ----
cat >"$T/people2.csv" <<'EOF'
email,name,department,wants,timezone
Mixed.Case@Example.org,Mixed Case,Engineering,go;rust,Europe/Oslo
EOF
expect 0 people import "$T/people2.csv"
cat >"$T/enr2.csv" <<'EOF'
email,role,name,department,wants,timezone,goal
mixed.case@example.org,mentee,,,,,Learn Go
EOF
expect 0 enroll eng-2027 --csv "$T/enr2.csv"
err_lacks "imported"
expect 0 --format json people show mixed.case@example.org
out_has '"email":"Mixed.Case@Example.org","name":"Mixed Case","department":"Engineering"'
out_has '"timezone":"Europe/Oslo"'
out_has '"wants":"go;rust"'
# A value changes it; '-' clears it (the goal too); the address keeps its
# stored spelling.
cat >"$T/enr3.csv" <<'EOF'
email,role,name,department,wants,timezone,goal
MIXED.CASE@EXAMPLE.ORG,mentee,,Research,-,-,-
EOF
expect 0 enroll eng-2027 --csv "$T/enr3.csv"
err_has "imported 1 person (0 created, 1 updated, 0 unchanged)"
err_has "(0 new, 1 updated, 0 re-enrolled, 0 unchanged)"
expect 0 --format json people show mixed.case@example.org
out_has '"email":"Mixed.Case@Example.org","name":"Mixed Case","department":"Research"'
out_has '"timezone":null'
out_lacks '"wants"'
out_has '"goal":null'
# The same person on two rows: an empty cell agrees with anything.
cat >"$T/enr4.csv" <<'EOF'
email,role,department
mixed.case@example.org,mentee,
mixed.case@example.org,mentor,Design
EOF
expect 0 enroll eng-2027 --csv "$T/enr4.csv"
expect 0 --format json people show mixed.case@example.org
out_has '"department":"Design"'
# people import is an HR sync: there an empty cell clears.
printf 'email,department\nmixed.case@example.org,\n' >"$T/clear.csv"
expect 0 people import "$T/clear.csv"
expect 0 --format json people show mixed.case@example.org
out_has '"department":null'

done_testing
