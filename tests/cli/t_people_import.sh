#!/bin/sh
# people import: a realistic HR export (the IBM attrition sample turned into
# people, with its BOM and CRLF), idempotent re-import, updates, clearing
# and untouched columns, stdin.
. "$TOP/tests/cli/lib.sh"

IBM="$DATASETS/ibm-hr-attrition.csv"
check '[ -f "$IBM" ]' "dataset $IBM is missing"

# The dataset has no names or e-mails: derive them, from EmployeeNumber or,
# where that cell is empty (164 rows), from the row's position.  Hire dates
# are today minus YearsAtCompany; free attributes come from a few more
# columns, with headers as people type them (normalised to education_field).
python3 - "$IBM" "$T/ibm.csv" "$T/ibm-departments" <<'PY'
import csv, sys, collections
src, dst, counts = sys.argv[1:4]
first = ["Ada", "Ben", "Chen", "Dara", "Eli", "Fatima", "Goran", "Hana",
         "Ivan", "Jia", "Kofi", "Lena", "Mateo", "Nia", "Omar", "Priya"]
last = ["Okafor", "Schmidt", "Garcia", "Tanaka", "Novak", "Silva", "Khan",
        "Larsen", "Moreau", "Rossi", "Nguyen", "Kowalski", "Haddad"]
with open(src, encoding="utf-8-sig", newline="") as f:
    rows = list(csv.DictReader(f))
per = collections.Counter(r["Department"] for r in rows)
with open(dst, "w", encoding="utf-8", newline="") as f:
    f.write("\ufeff")
    w = csv.writer(f, lineterminator="\r\n")
    w.writerow(["Email", "Name", "Department", "Title", "Level", "Hired On",
                "Education Field", "Business-Travel", "Over Time",
                "Total Working Years"])
    for i, r in enumerate(rows):
        n = int(r["EmployeeNumber"]) if r["EmployeeNumber"] else 10000 + i
        years = int(r["YearsAtCompany"])
        w.writerow(["e%d@example.org" % n,
                    "%s %s" % (first[n % len(first)], last[n % len(last)]),
                    r["Department"], r["JobRole"], r["JobLevel"],
                    "%04d-01-04" % (2027 - years), r["EducationField"],
                    r["BusinessTravel"], r["OverTime"],
                    r["TotalWorkingYears"]])
with open(counts, "w") as f:
    for d, c in sorted(per.items()):
        f.write("%s\t%d\n" % (d, c))
PY
check '[ "$(head -c 3 "$T/ibm.csv" | od -An -tx1 | tr -d " ")" = efbbbf ]' \
	"generated file lacks the BOM"
check 'grep -q "$(printf "\r")" "$T/ibm.csv"' "generated file lacks CRLF"

expect 0 init
expect 0 people import "$T/ibm.csv"
err_has "imported 1470 people (1470 created, 0 updated, 0 unchanged)"
err_lines 1
out_is ""

expect 0 --format csv people list
check '[ "$(printf "%s\n" "$OUT" | wc -l)" -eq 1471 ]' "people list: not 1470 rows"
check '[ "$(printf "%s\n" "$OUT" | head -1 | tr -d "\r")" = "email,name,department,title,level,hired_on,location,timezone,manager_email" ]' \
	"people list: header"

# Correct counts per department.
while IFS="$(printf '\t')" read -r dept n; do
	expect 0 --format csv people list --department "$dept"
	got=$(($(printf "%s\n" "$OUT" | wc -l) - 1))
	check "[ $got -eq $n ]" "department '$dept': $got people, expected $n"
done <"$T/ibm-departments"
# Department names match without case.
expect 0 --format csv people list --department "human resources"
check '[ "$(($(printf "%s\n" "$OUT" | wc -l) - 1))" -eq 63 ]' "--department ignores case"

# The stored person: fields, dates, normalised attribute names.
expect 0 --format json people show E1@Example.org
out_has '"email":"e1@example.org"'
out_has '"department":"Sales"'
out_has '"title":"Sales Executive"'
out_has '"level":2'
out_has '"hired_on":"2021-01-04"'
out_has '"education_field":"Life Sciences"'
out_has '"business_travel":"Travel_Rarely"'
out_has '"over_time":"Yes"'
out_has '"total_working_years":"8"'

# Re-import: nothing changes, the export is byte-for-byte the same.
expect 0 export people
printf '%s' "$OUT" >"$T/before.csv"
sqlite3 "$MENTORCTL_DB" "select count(*) from audit" >"$T/audit-before"
expect 0 people import "$T/ibm.csv"
err_has "imported 1470 people (0 created, 0 updated, 1470 unchanged)"
expect 0 export people
printf '%s' "$OUT" >"$T/after.csv"
check 'cmp -s "$T/before.csv" "$T/after.csv"' "export differs after re-import"
check '[ "$(sqlite3 "$MENTORCTL_DB" "select count(*) from audit")" = "$(cat "$T/audit-before")" ]' \
	"an unchanged re-import wrote audit rows"

# Every created person is named in an audit row of the import (one per
# 4096 rows of the file), and the file has one.
check '[ "$(sqlite3 "$MENTORCTL_DB" "select count(*) from audit where entity = '"'person'"' and action = '"'create'"' and actor = '"'tester'"'")" -eq 1 ]' \
	"not one audit row for the people created"
check '[ "$(sqlite3 "$MENTORCTL_DB" "select count(*) from person p where not exists (select 1 from audit a where a.action = '"'create'"' and instr(a.detail, p.email) > 0)")" -eq 0 ]' \
	"a created person is missing from the audit"
check '[ "$(sqlite3 "$MENTORCTL_DB" "select substr(detail, 1, length('"'$T/ibm.csv lines 2-1471: e'"')) from audit where entity = '"'person'"' and action = '"'create'"'")" = "$T/ibm.csv lines 2-1471: e" ]' \
	"the creation audit row does not name the file and its lines"
check '[ "$(sqlite3 "$MENTORCTL_DB" "select detail from audit where action = '"'import'"'")" = "$T/ibm.csv: 1470 people (1470 created, 0 updated, 0 unchanged)" ]' \
	"no audit row for the file"

# Updates: a changed level, an e-mail in other case, a cleared attribute;
# columns the file lacks stay as they are.
printf 'EMAIL,Level,Over Time\r\nE1@example.org,3,\r\ne2@example.org,4,Yes\r\n' >"$T/upd.csv"
expect 0 people import "$T/upd.csv"
err_has "imported 2 people (0 created, 2 updated, 0 unchanged)"
expect 0 --format json people show e1@example.org
out_has '"email":"E1@example.org"'
out_has '"level":3'
out_has '"department":"Sales"'
out_has '"education_field":"Life Sciences"'
out_lacks '"over_time"'
expect 0 --format json people show e2@example.org
out_has '"over_time":"Yes"'
out_has '"level":4'
check '[ "$(sqlite3 "$MENTORCTL_DB" "select detail from audit where action = '"'update'"' and entity_id = (select id from person where email = '"'e1@example.org'"')")" = "E1@example.org from $T/upd.csv: email, level, over_time" ]' \
	"the update's audit row does not name what changed"

# An empty cell in a present column clears the field.
printf 'email,department,title,name\ne2@example.org,,,\n' >"$T/clear.csv"
expect 0 people import "$T/clear.csv"
expect 0 --format json people show e2@example.org
out_has '"department":null'
out_has '"title":null'
out_has '"name":null'
out_has '"level":4'

# From standard input, LF line ends, no BOM; a manager already stored.
printf 'email,name,manager_email\nnew@example.org,New Person,e2@example.org\n' |
	"$MENTORCTL" people import - >"$T/.out" 2>"$T/.err"
check '[ $? -eq 0 ]' "import from stdin failed: $(cat "$T/.err")"
check 'grep -q "imported 1 person (1 created, 0 updated, 0 unchanged)" "$T/.err"' \
	"import from stdin: summary"
expect 0 --format csv people show new@example.org
out_has "new@example.org,New Person,"
out_has ",e2@example.org"

# A header-only file imports nobody; a missing file is 66.
printf 'email,name\r\n' >"$T/empty.csv"
expect 0 people import "$T/empty.csv"
err_has "imported 0 people (0 created, 0 updated, 0 unchanged)"
expect 66 people import "$T/missing.csv"
err_lines 1
: >"$T/zero.csv"
expect 65 people import "$T/zero.csv"
err_has "zero.csv: empty file"
err_lines 1

done_testing
