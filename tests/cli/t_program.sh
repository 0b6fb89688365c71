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

done_testing
