#!/bin/sh
# match --compare OTHER.yaml and --compare-weights: the same candidates
# under two definitions side by side (matched, totals, each criterion's
# mean points, the department and level mix, the mentees matched
# differently), as a table, CSV or JSON; nothing stored; errors.
. "$TOP/tests/cli/lib.sh"

S=eng-2027
expect 0 init
expect 0 program add "$DATA/programs/$S.yaml"
expect 0 people import "$DATA/people.csv"
expect 0 training add --csv "$DATA/trainings.csv"
expect 0 enroll $S --csv "$DATA/enroll-$S.csv"
# The other definition: skills matter less, departments must differ.
sed -e 's/weight: 5/weight: 1/' -e 's/exclude: \[/exclude: [same_department, /' \
	"$DATA/programs/$S.yaml" >"$T/other.yaml"
check 'grep -q same_department "$T/other.yaml"' "the other definition was not made"

before=$(db_dump)
expect 0 --format json match $S --compare "$T/other.yaml"
check '[ "$(db_dump)" = "$before" ]' "match --compare stored something"
err_has "'$S' as stored against $T/other.yaml on the same candidates:"
err_has "nothing stored"
printf '%s' "$OUT" >"$T/cmp.json"
expect 0 --format csv match $S --dry-run
printf '%s\n' "$OUT" >"$T/a.csv"
check 'python3 - "$T/cmp.json" "$T/a.csv" <<PY
import csv, json, sys
rows = json.load(open(sys.argv[1]))
assert list(rows[0]) == ["section", "item", "current", "other", "change",
    "current_mentors", "other_mentors"], list(rows[0])
by = {(r["section"], r["item"]): r for r in rows}
a = list(csv.DictReader(open(sys.argv[2], newline="")))
# the current column is the plan match --dry-run shows
assert by[("summary", "pairs")]["current"] == len(a), by[("summary", "pairs")]
total = sum(round(float(r["score"]) * 100) for r in a)
assert abs(by[("summary", "total_score")]["current"] * 100 - total) < 1
# criteria: the mean points add up to the mean score under each definition
for side in ("current", "other"):
    s = sum(r[side] for r in rows if r["section"] == "criterion" and r[side] is not None)
    assert abs(s - by[("summary", "mean_score")][side]) < 0.05, (side, s)
# no pair under the other definition within one department
assert by[("mix", "same_department_pairs")]["other"] == 0
assert by[("mix", "same_department_pairs")]["current"] > 0
# every mentee listed as different is so
mine = {}
for r in a:
    mine.setdefault(r["mentee_email"], []).append(r["mentor_email"])
for r in rows:
    if r["section"] != "pair":
        continue
    cur = ";".join(sorted(mine.get(r["item"], []))) or None
    assert cur == r["current_mentors"], r
    assert r["current_mentors"] != r["other_mentors"], r
assert any(r["section"] == "pair" for r in rows)
PY' "match --compare: the columns or figures are wrong"
# The same request twice gives the same answer.
expect 0 --format json match $S --compare "$T/other.yaml"
check '[ "$OUT" = "$(cat "$T/cmp.json")" ]' "match --compare is not reproducible"

# Weights alone: by label or by a name that picks one criterion.
expect 0 --format csv match $S --compare-weights skills=0,department:different=9
out_has "criterion,skills:wants:overlap,"
out_has ",0.00,"
expect 0 --format csv match $S --compare-weights level:mentor_above=3
out_has "summary,mentees_matched,"
# A definition compared with itself differs in nothing.
cp "$DATA/programs/$S.yaml" "$T/same.yaml"
expect 0 --format csv match $S --compare "$T/same.yaml"
out_lacks "pair,"
err_has ": 0 mentees matched differently"

# ---- errors: one line, the right status, nothing stored ----
expect 64 match $S --compare-weights bogus=1
err_has "'bogus' names no criterion"
err_lines 1
expect 64 match $S --compare-weights skills
err_has "'skills' is not NAME=WEIGHT"
expect 64 match $S --compare-weights skills=200
err_has "weight '200' for 'skills:wants:overlap' is not a number 0..100"
expect 66 match $S --compare "$T/missing.yaml"
err_lines 1
printf 'slug: x\nname: X\npurpose: engagement\nformat: one-to-one\nmatching: { objective: best }\n' >"$T/bad.yaml"
expect 65 match $S --compare "$T/bad.yaml"
err_has "bad.yaml:5:"
err_lines 1
expect 64 match $S --compare "$T/other.yaml" --explain
err_lines 1
check '[ "$(db_dump)" = "$before" ]' "a refused comparison stored something"

done_testing
