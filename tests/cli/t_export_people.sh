#!/bin/sh
# export people|enrollments: the pinned columns, csv that parses back, json,
# --bom, formula guard, --program.
. "$TOP/tests/cli/lib.sh"

expect 0 init
expect 0 program add "$DATA/programs/eng-2027.yaml"
expect 0 program add "$DATA/programs/peer-managers-2027.yaml"
expect 0 people import "$DATA/people.csv"
expect 0 enroll eng-2027 --csv "$DATA/enroll-eng-2027.csv"
expect 0 training add --csv "$DATA/trainings.csv"
# Awkward cells: a formula, a comma, a quote, a line break, non-ASCII.
cat >"$T/odd.csv" <<'EOF'
email,name,title,hobby
odd@fjordline.example,"=HYPERLINK(""http://x"")","Lead, ""Ops""","line one
line two"
minus@fjordline.example,-Minus,@title,+plus
EOF
expect 0 people import "$T/odd.csv"

# csv (the default): header, CRLF, parsed back by Python's csv module.
expect 0 export people
printf '%s' "$OUT" >"$T/people.csv"
"$MENTORCTL" export people >"$T/people.csv"
python3 - "$T/people.csv" >"$T/py.out" 2>&1 <<'PY'
import csv, sys
raw = open(sys.argv[1], "rb").read()
assert not raw.startswith(b"\xef\xbb\xbf"), "BOM without --bom"
assert raw.split(b"\n", 1)[0].endswith(b"\r") and raw.endswith(b"\r\n"), "not CRLF"
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8", newline="")))
head = rows[0]
std = ["email", "name", "department", "title", "level", "hired_on",
       "location", "timezone", "manager_email"]
assert head[:9] == std, head
assert head[9:] == sorted(head[9:]), head
assert head[9:] == ["hobby", "interests", "languages", "skills", "wants"], head
body = [dict(zip(head, r)) for r in rows[1:]]
assert all(len(r) == len(head) for r in rows), "ragged rows"
assert len(body) == 62, len(body)
assert [r["email"] for r in body] == sorted(r["email"] for r in body)
p = {r["email"]: r for r in body}
o = p["ohaddad@fjordline.example"]
assert o["name"] == "Omar Haddad" and o["level"] == "3", o
assert o["hired_on"] == "2024-02-29" and o["timezone"] == "Europe/Berlin", o
assert o["manager_email"] == "tlindqvist@fjordline.example", o
assert ";" in o["skills"] and o["hobby"] == "", o
s = p["tsilva@fjordline.example"]
assert s["name"] == "Tom\u00e1s Silva", s
odd = p["odd@fjordline.example"]
assert odd["name"] == "'=HYPERLINK(\"http://x\")", odd["name"]
assert odd["title"] == "Lead, \"Ops\"", odd["title"]
assert odd["hobby"] == "line one\nline two", repr(odd["hobby"])
m = p["minus@fjordline.example"]
assert (m["name"], m["title"], m["hobby"]) == ("'-Minus", "'@title", "'+plus"), m
print("ok")
PY
check 'grep -qx ok "$T/py.out"' "export people csv: $(cat "$T/py.out")"

# --bom: the three bytes first, then the same csv.
"$MENTORCTL" export people --bom >"$T/bom.csv"
check '[ "$(head -c 3 "$T/bom.csv" | od -An -tx1 | tr -d " ")" = efbbbf ]' "--bom: no BOM"
check '[ "$(tail -c +4 "$T/bom.csv" | cmp - "$T/people.csv" && echo same)" = same ]' \
	"--bom changes more than the first bytes"

# json: an array of objects keyed by the header names; null for nothing.
"$MENTORCTL" --format json export people >"$T/people.json"
python3 - "$T/people.json" >"$T/py.out" 2>&1 <<'PY'
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
assert len(d) == 62
o = [r for r in d if r["email"] == "ohaddad@fjordline.example"][0]
assert list(o)[:9] == ["email", "name", "department", "title", "level",
                       "hired_on", "location", "timezone", "manager_email"]
assert o["level"] == 3 and o["hobby"] is None, o
odd = [r for r in d if r["email"] == "odd@fjordline.example"][0]
assert odd["name"] == "=HYPERLINK(\"http://x\")", odd
assert odd["level"] is None and odd["department"] is None, odd
print("ok")
PY
check 'grep -qx ok "$T/py.out"' "export people json: $(cat "$T/py.out")"

# --program: the people enrolled there, with their attributes only.
expect 0 export people --program eng-2027
check '[ "$(($(printf "%s\n" "$OUT" | wc -l) - 1))" -eq 44 ]' "--program eng-2027: not 44 people"
out_lacks "hobby"
expect 0 export people --program peer-managers-2027
check '[ "$(printf "%s" "$OUT" | tr -d "\r")" = "email,name,department,title,level,hired_on,location,timezone,manager_email" ]' \
	"--program without enrollments: not the header alone"

# enrollments: the pinned columns.
"$MENTORCTL" export enrollments >"$T/enr.csv"
python3 - "$T/enr.csv" >"$T/py.out" 2>&1 <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8", newline="")))
cols = list(rows[0].keys())
assert cols[:11] == ["program", "email", "name", "role", "status", "reason",
    "capacity", "goal", "enrolled_on", "eligible_on", "withdrawn_on"], cols
assert len(rows) == 45, len(rows)
by = {(r["email"], r["role"]): r for r in rows}
w = by[("wzhang@fjordline.example", "mentor")]
assert (w["status"], w["reason"], w["capacity"]) == ("pending", "missing training mentor-basics", "2"), w
assert w["eligible_on"] == "" and w["enrolled_on"] == "2027-01-04", w
s = by[("smarin@fjordline.example", "mentor")]
assert (s["status"], s["capacity"], s["eligible_on"]) == ("eligible", "3", "2027-01-04"), s
g = by[("gliu@fjordline.example", "mentee")]
assert g["goal"] == "First year as an engineering manager: delegation and feedback", g
assert g["capacity"] == "1", g
print("ok")
PY
check 'grep -qx ok "$T/py.out"' "export enrollments: $(cat "$T/py.out")"
expect 0 --format json export enrollments --program peer-managers-2027
out_is "[]"

# Errors.
expect 64 export persons
err_has "unknown export 'persons' (expected people, enrollments, pairings, checkins, feedback, reminders or introductions)"
err_lines 1
expect 64 --format table export people
err_lines 1
expect 64 --format json export people --bom
err_has "--bom is for csv output"
expect 64 export people --include-notes
err_lines 1
expect 65 export enrollments --program nope
err_has "unknown programme 'nope'"
expect 64 export
err_lines 1

done_testing
