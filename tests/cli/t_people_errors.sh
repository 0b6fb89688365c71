#!/bin/sh
# people import of bad files: every bad row reported as FILE:LINE: field:
# what, with the right line numbers (a quoted field may span lines), exit
# 65, and the database byte-for-byte unchanged.
. "$TOP/tests/cli/lib.sh"

expect 0 init
printf 'email,name,department,manager_email,skills\r\nboss@example.org,Boss,Exec,,\r\nann@example.org,Ann,Sales,boss@example.org,"go;c"\r\n' >"$T/good.csv"
expect 0 people import "$T/good.csv"
db_dump >"$T/dump-before"

# One row of each kind of problem.  Line 5's name holds a line break, so
# everything after it is one physical line further down.
{
	printf 'email,name,level,hired_on,manager_email,timezone,skills\r\n'
	printf 'new@example.org,New,3,2020-01-01,boss@example.org,Europe/Berlin,go\r\n'
	printf 'not-an-email,Bad Mail,3,,,,\r\n'
	printf 'lev@example.org,Lev,senior,,,,\r\n'
	printf 'quoted@example.org,"Two\r\nLines",4,,,,"a, b"\r\n'
	printf 'date@example.org,Date,2,2027-02-30,,,\r\n'
	printf 'NEW@example.org,Again,1,,,,\r\n'
	printf 'orphan@example.org,Orphan,1,,ghost@example.org,,\r\n'
	printf 'self@example.org,Self,1,,SELF@example.org,,\r\n'
	printf 'short@example.org,Short,1\r\n'
	printf 'tz@example.org,Zone,1,,,Central European Time,\r\n'
	printf ',No Mail,1,,,,\r\n'
	printf 'last@example.org,Last,5,2019-06-30,ann@example.org,UTC,\r\n'
} >"$T/bad.csv"
expect 65 people import "$T/bad.csv"
cat >"$T/want" <<EOF
mentorctl: $T/bad.csv:3: email: 'not-an-email' is not an e-mail address
mentorctl: $T/bad.csv:4: level: 'senior' is not a whole number between -1000 and 1000
mentorctl: $T/bad.csv:7: hired_on: invalid date '2027-02-30' (expected an existing day as YYYY-MM-DD)
mentorctl: $T/bad.csv:8: email: 'NEW@example.org' appears already on line 2
mentorctl: $T/bad.csv:9: manager_email: 'ghost@example.org' is nobody (not in this file or the database)
mentorctl: $T/bad.csv:10: manager_email: a person cannot be their own manager
mentorctl: $T/bad.csv:11: expected 7 fields, found 3
mentorctl: $T/bad.csv:12: timezone: 'Central European Time' is not a time zone this system knows (expected an IANA name such as Europe/Berlin, or an offset such as +05:30)
mentorctl: $T/bad.csv:13: email: empty (every row needs an e-mail address)
EOF
check 'diff -u "$T/want" "$T/.err"' "the problems reported differ"
out_is ""
db_dump >"$T/dump-after"
check 'cmp -s "$T/dump-before" "$T/dump-after"' "a failed import changed the database"

# The same file with the bad rows removed imports.
sed -e '3,4d' -e '7,13d' "$T/bad.csv" >"$T/fixed.csv"
expect 0 people import "$T/fixed.csv"
err_has "imported 3 people (3 created, 0 updated, 0 unchanged)"
expect 0 --format json people show quoted@example.org
out_has '"name":"Two\r\nLines"'
out_has '"skills":"a, b"'

# A reader error (invalid UTF-8) stops reading: what was found before it
# is reported too, then the reader's line.
db_dump >"$T/dump-before"
printf 'email,name,level\nok@example.org,Ok,x\nbad@example.org,Caf\351,1\nlater@example.org,Later,1\n' >"$T/latin1.csv"
expect 65 people import "$T/latin1.csv"
err_has "latin1.csv:2: level: 'x' is not a whole number"
err_has "latin1.csv:3: invalid UTF-8"
err_lines 2
# A quote left open to the end of the file.
printf 'email,name\nok@example.org,"Open\n' >"$T/open.csv"
expect 65 people import "$T/open.csv"
err_has "open.csv:2: quoted field is not closed"
err_lines 1
db_dump >"$T/dump-after"
check 'cmp -s "$T/dump-before" "$T/dump-after"' "a reader error changed the database"

# No email column: one error naming the file.
printf 'Name,Phone\nAnn,555\n' >"$T/nomail.csv"
expect 65 people import "$T/nomail.csv"
err_has "mentorctl: $T/nomail.csv: no 'email' column"
err_lines 1
# Header problems are all reported.
printf 'email,skills,Skills,\nann@example.org,a,b,c\n' >"$T/header.csv"
expect 65 people import "$T/header.csv"
err_has "header.csv:1: column 'skills' appears twice (columns 2 and 3)"
err_has "header.csv:1: column 4 has no name in the header"
err_lines 2

# Past 100 problems: 100 lines, then one saying how many more.
{
	echo "email,level"
	i=1
	while [ $i -le 150 ]; do
		echo "p$i@example.org,L$i"
		i=$((i + 1))
	done
} >"$T/many.csv"
expect 65 people import "$T/many.csv"
err_lines 101
err_has "many.csv:101: level: 'L100' is not a whole number"
err_lacks "many.csv:102:"
err_has "mentorctl: $T/many.csv: 50 more problems not shown; nothing was imported"
db_dump >"$T/dump-after"
check 'cmp -s "$T/dump-before" "$T/dump-after"' "a failed import changed the database"

# A manager who is only in the database is someone.
printf 'email,manager_email\nzed@example.org,ANN@example.org\n' >"$T/mgr.csv"
expect 0 people import "$T/mgr.csv"

done_testing
