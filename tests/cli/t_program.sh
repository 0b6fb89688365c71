#!/bin/sh
# program check|add|update|list|show.
. "$TOP/tests/cli/lib.sh"

expect 0 init
for f in "$DATA"/programs/*.yaml; do
	expect 0 program check "$f"
	out_has ": ok (programme '"
done
check '[ "$(ls "$DATA"/programs/*.yaml | wc -l)" -ge 6 ]' "fewer than six sample programmes"

# check stores nothing, and works without a database
expect 0 --db "$T/none.db" program check "$DATA/programs/eng-2027.yaml"
check '[ ! -e "$T/none.db" ]' "program check created a database"

# missing file: 66
expect 66 program check "$T/missing.yaml"
err_has "missing.yaml"
err_lines 1
expect 66 program add "$T/missing.yaml"

# every problem reported, FILE:LINE:COL, exit 65
cat >"$T/bad.yaml" <<'YAML'
slug: Bad Slug
name: Broken
purpose: fun
format: one-to-one
cycle:
  start: 2027-02-30
  length: 6 fortnights
matching:
  min_score: 120
  critera: []
YAML
expect 65 program check "$T/bad.yaml"
err_has "bad.yaml:1:"
err_has "bad.yaml:3:"
err_has "bad.yaml:6:"
err_has "bad.yaml:7:"
err_has "bad.yaml:9:"
err_has "bad.yaml:10:"
err_has "2027-02-30"
err_has "critera"
check '[ "$(wc -l <"$T/.err")" -ge 6 ]' "not every problem was reported"
check '! grep -v "^mentorctl: $T/bad.yaml:[0-9]*:[0-9]*: " "$T/.err"' "a line is not FILE:LINE:COL: message"

# syntax errors and binary junk are clean errors
printf 'slug: [unclosed\n' >"$T/syntax.yaml"
expect 65 program check "$T/syntax.yaml"
err_has "syntax.yaml:"
printf 'slug: a\0b\n' >"$T/nul.yaml"
expect 65 program check "$T/nul.yaml"
head -c 4096 /dev/urandom >"$T/random.yaml"
run program check "$T/random.yaml"
check '[ "$RC" -eq 65 ]' "random bytes: exit $RC, expected 65"

# add, list, show
before=$(db_dump)
expect 65 program add "$T/bad.yaml"
check '[ "$(db_dump)" = "$before" ]' "a failed add changed the database"
expect 0 program add "$DATA/programs/eng-2027.yaml"
err_has "added programme 'eng-2027'"
expect 65 program add "$DATA/programs/eng-2027.yaml"
err_has "exists already"
for f in "$DATA"/programs/*.yaml; do
	case $f in *eng-2027*) continue ;; esac
	expect 0 program add "$f"
done
expect 0 program list
out_has "eng-2027"
out_has "SLUG"
expect 0 program list --format csv
check 'head -n1 "$T/.out" | grep -q "^slug,name,format,purpose,version,mentors,mentees,active_pairings,updated_at"' "list csv header"
check 'grep -q "$(printf "\r")" "$T/.out"' "csv has no CRLF"
expect 0 program list --format json
check 'python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert any(p[\"slug\"]==\"eng-2027\" and p[\"version\"]==1 for p in d)" "$T/.out"' "list json"
expect 0 program show eng-2027
out_has "Engineering Mentoring 2027"
out_has "one-to-one"
expect 0 program show eng-2027 --format json
check 'python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert d[0][\"slug\"]==\"eng-2027\" and d[0][\"min_score\"]==20" "$T/.out"' "show json"
expect 0 program show eng-2027 --format csv
check 'head -n1 "$T/.out" | grep -q "^slug,name,purpose,format,"' "show csv header"
expect 65 program show nosuch
err_has "unknown programme 'nosuch'"
expect 0 program show eng-2027 --yaml
check 'cmp -s "$T/.out" "$DATA/programs/eng-2027.yaml"' "stored YAML differs from the file"

# update: a new version, the old one kept; unchanged → no version
expect 0 program update "$DATA/programs/eng-2027.yaml"
err_has "unchanged"
sed 's/^name: .*/name: Engineering Mentoring 2027 (revised)/' "$DATA/programs/eng-2027.yaml" >"$T/eng.yaml"
expect 0 program update "$T/eng.yaml"
err_has "version 2"
expect 0 program show eng-2027 --format json
out_has "(revised)"
expect 0 program show eng-2027 --rev 1
check 'cmp -s "$T/.out" "$DATA/programs/eng-2027.yaml"' "version 1 not kept"
expect 65 program show eng-2027 --rev 9
expect 64 program show eng-2027 --rev x
sed 's/^slug: .*/slug: not-there/' "$DATA/programs/eng-2027.yaml" >"$T/other.yaml"
expect 65 program update "$T/other.yaml"
err_has "unknown programme 'not-there'"
check '[ "$(sqlite3 "$MENTORCTL_DB" "SELECT count(*) FROM audit WHERE entity = '"'"'program'"'"'")" -ge 7 ]' "audit rows missing"

# show: eligibility, exclusions, required criteria and the re-up window.
expect 0 program show eng-2027
out_has "mentor_eligibility  3 years of tenure; trainings mentor-basics"
out_has "mentee_eligibility  trainings mentee-orientation"
out_has "exclusions          same_manager_line, previous_partners"
out_has "reup_opens          21 days before the end"
out_has "reup_closes         7 days before the end"
out_has "reup_default        exit"
expect 0 program show peer-managers-2027
out_has "required_criteria   level within; department different"
out_has "mentor_eligibility  level 3 to 5; trainings new-manager-bootcamp"
# JSON: criteria and goals are arrays of objects, numbers are numbers.
expect 0 program show eng-2027 --format json
printf '%s' "$OUT" | python3 -c '
import json, sys
p = json.load(sys.stdin)[0]
c = p["criteria"]
assert [x["attribute"] for x in c] == ["skills", "department", "timezone", "level"], c
assert c[0]["mentee_attribute"] == "wants" and c[0]["weight"] == 5 and c[0]["required"] is False, c[0]
assert c[2]["compare"] == "within_hours" and c[2]["hours"] == 3, c[2]
assert c[3]["min_gap"] == 1, c[3]
g = p["goals"]
assert g[0]["id"] == "match-rate" and g[0]["target"] == 0.95 and g[0]["due"] == "2027-01-25", g[0]
assert p["version"] == 2 and p["min_score"] == 20 and p["cycle_start"] == "2027-01-11", p
assert p["exclusions"] == "same_manager_line, previous_partners", p
' 2>"$T/py.err"
check '[ $? -eq 0 ]' "program show json: $(cat "$T/py.err")"

# update: a format change under open pairings is refused, nothing stored.
people_csv <<'EOF'
email,name,department,hired_on
ma@example.org,Ma,Eng,2015-01-01
me@example.org,Me,Ops,2025-01-01
EOF
expect 0 training add ma@example.org mentor-basics --on 2026-01-01
expect 0 training add me@example.org mentee-orientation --on 2026-01-01
expect 0 enroll eng-2027 ma@example.org --role mentor
expect 0 enroll eng-2027 me@example.org --role mentee
P=$(active_pairing eng-2027 ma@example.org me@example.org --force)
sed 's/^format: one-to-one .*/format: group/' "$T/eng.yaml" >"$T/eng-group.yaml"
db_dump >"$T/before"
expect 65 program update "$T/eng-group.yaml"
err_has "programme 'eng-2027' has 1 open pairing (proposed or active): its format cannot change from one-to-one to group; end them first, or add the new format as a programme of its own"
err_lines 1
check 'db_dump | cmp -s - "$T/before"' "a refused format change wrote something"
expect 0 end "$P" --reason "moving to circles"
expect 0 program update "$T/eng-group.yaml"
err_has "to version 3"

# Every version is kept, with the day it came into force.
expect 0 --today 2027-03-01 program update "$T/eng.yaml"
err_has "to version 4"
check '[ "$(q "select group_concat(v.version || '"'='"' || v.in_force_from, '"' '"') from program_version v join program p on p.id = v.program_id where p.slug = '"'eng-2027'"'")" = "1=2027-01-04 2=2027-01-04 3=2027-01-04 4=2027-03-01" ]' \
	"versions and the days they came into force"

# new: a commented starting file for every format, each one valid.
for t in one-to-one group peer reverse flash rotational network; do
	expect 0 program new --template $t
	printf '%s\n' "$OUT" >"$T/new-$t.yaml"
	expect 0 program check "$T/new-$t.yaml"
	out_has "ok (programme '$t-2027', format $t)"
done
check 'grep -q "^  start: 2027-01-18 *# a Monday two weeks from today" "$T/new-one-to-one.yaml"' \
	"the template's cycle does not start two weeks from today"
expect 0 program new "$T/circles.yaml" --template group --slug circles-2027
err_has "wrote $T/circles.yaml"
expect 0 program add "$T/circles.yaml"
err_has "added programme 'circles-2027' (group, version 1)"
expect 73 program new "$T/circles.yaml" --template group
err_has "circles.yaml exists already; not overwritten"
expect 64 program new --template grup
err_has "unknown template 'grup'; did you mean 'group'?"
expect 64 program new
err_has "program new needs --template FORMAT"
expect 65 program new --template peer --slug "Not A Slug"
err_has "invalid slug 'Not A Slug'"

done_testing
