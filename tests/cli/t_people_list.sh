#!/bin/sh
# people list (filters, formats) and people show, on the sample data.
. "$TOP/tests/cli/lib.sh"

expect 0 init
expect 0 program add "$DATA/programs/eng-2027.yaml"
expect 0 people import "$DATA/people.csv"
expect 0 enroll eng-2027 --csv "$DATA/enroll-eng-2027.csv"
expect 0 training add --csv "$DATA/trainings.csv"

count() { # the data rows of a csv listing in $OUT
	echo $(($(printf '%s\n' "$OUT" | wc -l) - 1))
}

expect 0 --format csv people list
check '[ "$(count)" -eq 60 ]' "not 60 people"
check '[ "$(printf "%s\n" "$OUT" | head -1 | tr -d "\r")" = "email,name,department,title,level,hired_on,location,timezone,manager_email" ]' \
	"list columns"
# Sorted by e-mail.
printf '%s\n' "$OUT" | tail -n +2 | cut -d, -f1 >"$T/emails"
check 'LC_ALL=C sort -c "$T/emails"' "people list is not sorted by e-mail"
# Free attributes are for export and show, not list.
out_lacks "go;"

expect 0 --format csv people list --department engineering
check '[ "$(count)" -eq 27 ]' "not 27 engineers"
expect 0 --format csv people list --department Finance
check '[ "$(count)" -eq 3 ]' "not 3 in finance"
# With --program, one row per enrollment (Omar is mentor and mentee: two),
# with its role, status and the reason when pending.
expect 0 --format csv people list --program eng-2027
check '[ "$(count)" -eq 45 ]' "not 45 enrollments in eng-2027 (Omar is there twice)"
check '[ "$(printf "%s\n" "$OUT" | head -1 | tr -d "\r")" = "email,name,department,title,level,hired_on,location,timezone,manager_email,role,status,reason" ]' \
	"people list --program: columns"
expect 0 --format csv people list --program eng-2027 --status pending
out_has "ohaddad@fjordline.example,Omar Haddad,"
out_has ",mentor,pending,missing training mentor-basics; tenure 2.8 < 3 years"
out_lacks ",mentee,eligible"
expect 0 people list --program eng-2027 --status pending
out_has "REASON"
out_has "missing training mentor-basics; tenure 2.8 < 3 years"
expect 65 people list --program eng2027
err_has "unknown programme 'eng2027'; did you mean 'eng-2027'?"
err_lines 1
expect 0 --format csv people list --program eng-2027 --role mentor
check '[ "$(count)" -eq 15 ]' "not 15 mentors"
expect 0 --format csv people list --program eng-2027 --role mentee --department Sales
check '[ "$(count)" -eq 5 ]' "not 5 mentees in sales"
expect 0 --format csv people list --status pending
check '[ "$(count)" -eq 7 ]' "not 7 people with a pending enrollment"
out_has "ohaddad@fjordline.example"
out_has "wzhang@fjordline.example"
expect 0 --format csv people list --role mentee --status eligible --program eng-2027
check '[ "$(count)" -eq 25 ]' "not 25 eligible mentees"
expect 0 --format csv people list --search "data engineer"
check '[ "$(count)" -eq 2 ]' "search by title"
expect 0 --format csv people list --search LISBON
check '[ "$(count)" -eq 9 ]' "search by location, any case"
expect 0 --format csv people list --search nobody-at-all
check '[ "$(count)" -eq 0 ]' "search without a match"

# Formats: table (default) and json.
expect 0 people list --department Finance
out_has "EMAIL"
out_has "scohen@fjordline.example"
expect 0 --format json people list --department Finance
out_has '"email":"rmehta@fjordline.example"'
out_has '"level":7'
printf '%s' "$OUT" | python3 -c 'import json,sys; d=json.load(sys.stdin); assert len(d) == 3, d' 2>"$T/py.err"
check '[ $? -eq 0 ]' "people list json does not parse: $(cat "$T/py.err")"

# Bad filters.
expect 64 people list --role boss
err_has "unknown role 'boss' (expected mentor or mentee)"
err_lines 1
expect 64 people list --status asleep
err_lines 1
expect 65 people list --program nope
err_has "unknown programme 'nope'"
expect 64 --format xml people list
err_lines 1

# people show: the record, attributes, enrollments, trainings, pairings.
expect 0 people show OHADDAD@fjordline.example
out_has "email          ohaddad@fjordline.example"
out_has "manager_email  tlindqvist@fjordline.example"
out_has "skills"
out_has "languages"
out_has "enrollments:"
out_has "eng-2027  mentor  pending   missing training mentor-basics; tenure 2.8 < 3 years"
out_has "eng-2027  mentee  eligible"
out_has "Grow into a tech lead role within a year"
out_has "trainings:"
out_has "mentee-orientation"
out_has "pairings: none"
# csv and json: the record only.
expect 0 --format csv people show ohaddad@fjordline.example
check '[ "$(printf "%s\n" "$OUT" | wc -l)" -eq 2 ]' "people show csv is not one record"
out_has "email,name,department,title,level,hired_on,location,timezone,manager_email,interests,languages,skills,wants"
out_lacks "enrollments"
# json: the record with its enrollments, trainings and pairings nested.
expect 0 --format json people show ohaddad@fjordline.example
out_has '"hired_on":"2024-02-29"'
printf '%s' "$OUT" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert len(d) == 1, d
p = d[0]
assert p["email"] == "ohaddad@fjordline.example", p
assert p["level"] == 5 or isinstance(p["level"], int), p
roles = sorted((e["program"], e["role"], e["status"]) for e in p["enrollments"])
assert roles == [("eng-2027", "mentee", "eligible"), ("eng-2027", "mentor", "pending")], roles
mentor = [e for e in p["enrollments"] if e["role"] == "mentor"][0]
assert mentor["reason"].startswith("missing training mentor-basics"), mentor
assert mentor["enrolled_on"] == "2027-01-04", mentor
assert any(t["training"] == "mentee-orientation" for t in p["trainings"]), p["trainings"]
assert p["pairings"] == [], p["pairings"]
' 2>"$T/py.err"
check '[ $? -eq 0 ]' "people show json: $(cat "$T/py.err")"
expect 65 people show nobody@fjordline.example
err_has "mentorctl: unknown person 'nobody@fjordline.example'"
err_lines 1
expect 64 people show
err_lines 1

done_testing
