#!/bin/sh
# Matching that listens: participants' preferences (preferences import and
# compare: preference), avoid and veto, never-pair lists (conflicts),
# not_in, the coordinator's overrides through a scores file edited and
# imported (bonus, veto, fixed), and what match --explain shows of them;
# bad files change nothing.
. "$TOP/tests/cli/lib.sh"

cat >"$T/p.yaml" <<'YAML'
slug: p-2027
name: Preferences
purpose: engagement
format: one-to-one
owner: People
contact: coord@ex.org
roles: { mentor: { capacity: 1 } }
matching:
  consent: both
  respond_within: 10 days
  min_score: 0
  criteria:
    - { compare: preference, weight: 4 }
    - { attribute: skills, mentee_attribute: wants, compare: overlap, weight: 1 }
    - { attribute: conflicts, compare: not_in }
YAML
cat >"$T/people.csv" <<'EOF'
email,name,department,skills,wants,conflicts
m1@ex.org,Mentor One,Eng,go;sql,,
m2@ex.org,Mentor Two,Sales,sql,,
m3@ex.org,Mentor Three,Legal,go,,e3@ex.org
e1@ex.org,Mentee One,Ops,,go,
e2@ex.org,Mentee Two,Ops,,sql,
e3@ex.org,Mentee Three,Ops,,go;sql,
x1@ex.org,Outsider,Ops,,,
EOF
expect 0 init
expect 0 program add "$T/p.yaml"
expect 0 people import "$T/people.csv"
for m in m1 m2 m3; do expect 0 enroll p-2027 $m@ex.org --role mentor; done
for e in e1 e2 e3; do expect 0 enroll p-2027 $e@ex.org --role mentee; done

# Without preferences the preference criterion gives 0, not_in excludes.
expect 0 --format csv scores p-2027 --mentee e3@ex.org
out_has "e3@ex.org,m3@ex.org,20.00,0.00,20.00,0.00,conflicts:not_in: the mentor's list names the mentee,"

# ---- preferences import ----
cat >"$T/prefs.csv" <<'EOF'
mentee_email,mentor_email,rank,rating,mentor_choice
e1@ex.org,m3@ex.org,1,,
e1@ex.org,M1@EX.ORG,2,,
e2@ex.org,m1@ex.org,,5,prefer
e3@ex.org,m2@ex.org,,,avoid
EOF
expect 0 preferences import p-2027 "$T/prefs.csv"
err_has "4 preferences recorded in 'p-2027'"
# ... and read back as stored: by mentee, ranks first, the file named
expect 0 --format csv preferences list p-2027
check '[ "$(tr -d "\r" <"$T/.out" | cut -d, -f1-7 | tr "\n" " ")" = "mentee_email,mentor_email,rank,rating,mentee_choice,mentor_choice,source e1@ex.org,m3@ex.org,1,,,,$T/prefs.csv e1@ex.org,m1@ex.org,2,,,,$T/prefs.csv e2@ex.org,m1@ex.org,,5,,prefer,$T/prefs.csv e3@ex.org,m2@ex.org,,,,avoid,$T/prefs.csv " ]' \
	"preferences list: $(cat "$T/.out")"
expect 0 --format csv preferences list p-2027 --for M1@ex.org
check '[ "$(tail -n +2 "$T/.out" | cut -d, -f1 | tr -d "\r" | tr "\n" " ")" = "e1@ex.org e2@ex.org " ]' \
	"preferences list --for m1: $(cat "$T/.out")"
expect 65 preferences list nope-2027
# e1: m3 first (rank 1 of 2: 1.0), m1 second (0.5); e2 rates m1 5 and m1
# prefers e2: (1 + 1) / 2; e1's ranks have no mentor side: (1 + 0) / 2.
expect 0 --format csv scores p-2027 --mentee e1@ex.org
out_has "e1@ex.org,m3@ex.org,60.00,40.00,20.00,0.00,allowed"
out_has "e1@ex.org,m1@ex.org,40.00,20.00,20.00,0.00,allowed"
expect 0 --format csv scores p-2027 --mentee e2@ex.org
out_has "e2@ex.org,m1@ex.org,100.00,80.00,20.00,0.00,allowed"
expect 0 --format csv scores p-2027 --mentee e3@ex.org
out_has "e3@ex.org,m2@ex.org,20.00,0.00,20.00,0.00,the mentor's preference: avoid,"
# Coverage first: e3 may only have m1 (m2 avoids e3, m3 lists e3), so e2
# gives way although e2 and m1 are each other's first choice.
expect 0 --format csv match p-2027 --dry-run
out_has "e1@ex.org,m3@ex.org,60.00,"
out_has "e2@ex.org,m2@ex.org,20.00,"
out_has "e3@ex.org,m1@ex.org,20.00,"
# A new ranking of e1 replaces the old one: m1 alone, first.
printf 'mentee_email,mentor_email,rank\ne1@ex.org,m1@ex.org,1\n' >"$T/rerank.csv"
expect 0 preferences import p-2027 "$T/rerank.csv"
expect 0 --format csv scores p-2027 --mentee e1@ex.org
out_has "e1@ex.org,m1@ex.org,60.00,40.00,20.00,0.00,allowed"
out_has "e1@ex.org,m3@ex.org,20.00,0.00,20.00,0.00,allowed"
# The programme in a column instead of an argument.
printf 'program,mentee_email,mentor_email,rating\np-2027,e3@ex.org,m1@ex.org,4\n' >"$T/col.csv"
expect 0 preferences import "$T/col.csv"
err_has "1 preference recorded in 'p-2027'"

# ---- bad files: one line naming file, line and column; nothing written ----
before=$(db_dump)
bad() { # CODE MESSAGE FILE-CONTENT [PROGRAM]
	printf '%b' "$3" >"$T/bad.csv"
	if [ -n "${4:-}" ]; then expect "$1" preferences import "$4" "$T/bad.csv"
	else expect "$1" preferences import "$T/bad.csv"; fi
	err_has "$2"
	err_lines 1
}
bad 65 "bad.csv:3: mentor_email: unknown person 'zz@ex.org'" \
	'mentee_email,mentor_email,rank\ne1@ex.org,m1@ex.org,1\ne2@ex.org,zz@ex.org,1\n' p-2027
bad 65 "bad.csv:2: mentor_email: 'e2@ex.org' is not enrolled in 'p-2027' as mentor" \
	'mentee_email,mentor_email,rank\ne1@ex.org,e2@ex.org,1\n' p-2027
bad 65 "bad.csv:3: rank: 1 given twice to one mentee (line 2)" \
	'mentee_email,mentor_email,rank\ne1@ex.org,m1@ex.org,1\ne1@ex.org,m2@ex.org,1\n' p-2027
bad 65 "bad.csv:2: rating: '6' is not a whole number 1..5" \
	'mentee_email,mentor_email,rating\ne1@ex.org,m1@ex.org,6\n' p-2027
bad 65 "bad.csv:2: mentor_choice: unknown choice 'maybe'" \
	'mentee_email,mentor_email,mentor_choice\ne1@ex.org,m1@ex.org,maybe\n' p-2027
bad 65 "bad.csv: no preference column" 'mentee_email,mentor_email\n' p-2027
bad 64 "which programme?" 'mentee_email,mentor_email,rank\ne1@ex.org,m1@ex.org,1\n'
bad 65 "bad.csv:2: program: unknown programme 'nope'" \
	'program,mentee_email,mentor_email,rank\nnope,e1@ex.org,m1@ex.org,1\n'
check '[ "$(db_dump)" = "$before" ]' "a refused preferences file changed the database"
expect 66 preferences import p-2027 "$T/missing.csv"
err_lines 1

# ---- never-pair lists ----
printf 'email,other_email,reason\nm1@ex.org,e2@ex.org,sister\n' >"$T/coi.csv"
expect 0 conflicts import "$T/coi.csv"
err_has "1 pair never to be paired in any programme (1 new)"
expect 0 conflicts import "$T/coi.csv"
err_has "(0 new)"
expect 0 --format csv conflicts list
out_has ",m1@ex.org,e2@ex.org,sister,"
expect 0 --format csv scores p-2027 --mentee e2@ex.org
out_has "e2@ex.org,m1@ex.org,100.00,80.00,20.00,0.00,never-pair list,"
expect 65 pair p-2027 m1@ex.org e2@ex.org
err_has "never-pair list"
printf 'email,other_email\nm1@ex.org,m1@ex.org\n' >"$T/coi-bad.csv"
expect 65 conflicts import "$T/coi-bad.csv" --program p-2027
err_has "coi-bad.csv:2: other_email: 'm1@ex.org' is the same person"
err_lines 1

# ---- scores import: edit the scores file, bring it back ----
expect 0 --format csv scores p-2027
cp "$T/.out" "$T/scores.csv"
out_has "mentee_email,mentor_email,score,preference,skills:wants:overlap,conflicts:not_in,rule,mentee_name,mentee_department,mentor_name,mentor_department,bonus,veto,fixed"
python3 - "$T/scores.csv" "$T/edited.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
out = csv.DictWriter(open(sys.argv[2], "w", newline=""), fieldnames=list(rows[0]))
out.writeheader()
for r in rows:
    pair = (r["mentee_email"], r["mentor_email"])
    if pair == ("e1@ex.org", "m3@ex.org"):
        r["bonus"] = "15.5"
    if pair == ("e1@ex.org", "m1@ex.org"):
        r["veto"] = "yes"
    if pair == ("e3@ex.org", "m1@ex.org"):
        r["fixed"] = "yes"
    out.writerow(r)
PY
expect 0 scores import p-2027 "$T/edited.csv"
err_has "pairs read, 3 overrides changed in 'p-2027'"
expect 0 --format csv scores p-2027
out_has "e1@ex.org,m3@ex.org,35.50,0.00,20.00,0.00,allowed,Mentee One,Ops,Mentor Three,Legal,15.50,,"
out_lacks "e1@ex.org,m1@ex.org"
out_has ",Mentee Three,Ops,Mentor One,Eng,,,yes"
# The same file again changes nothing.
expect 0 scores import p-2027 "$T/edited.csv"
err_has ", 0 overrides changed"
# match honours them and --explain shows them.
expect 0 --format csv match p-2027 --dry-run --explain
out_has "e1@ex.org,m3@ex.org,35.50,"
out_has ",15.50,allowed (bonus +15.50)"
out_has "e3@ex.org,m1@ex.org,"
out_has "fixed by the coordinator (allowed)"
err_has "stability:"
# An empty cell clears: the bonus goes.
python3 - "$T/edited.csv" "$T/cleared.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
out = csv.DictWriter(open(sys.argv[2], "w", newline=""), fieldnames=list(rows[0]))
out.writeheader()
for r in rows:
    r["bonus"] = ""
    out.writerow(r)
PY
expect 0 scores import p-2027 "$T/cleared.csv"
err_has ", 1 override changed"
# Bad cells: one line, nothing written.
before=$(db_dump)
printf 'mentee_email,mentor_email,bonus\ne1@ex.org,m3@ex.org,lots\n' >"$T/bad-scores.csv"
expect 65 scores import p-2027 "$T/bad-scores.csv"
err_has "bad-scores.csv:2: bonus: 'lots' is not a number of points -100..100"
err_lines 1
printf 'mentee_email,mentor_email,veto,fixed\ne1@ex.org,m3@ex.org,yes,yes\n' >"$T/bad-scores.csv"
expect 65 scores import p-2027 "$T/bad-scores.csv"
err_has "bad-scores.csv:2: fixed: a pair cannot be fixed and vetoed"
printf 'mentee_email,mentor_email,score\ne1@ex.org,m3@ex.org,1\n' >"$T/bad-scores.csv"
expect 65 scores import p-2027 "$T/bad-scores.csv"
err_has "no column bonus, veto or fixed"
check '[ "$(db_dump)" = "$before" ]' "a refused scores file changed the database"
# "scores import" is the subcommand; "scores PROGRAM" is still the listing.
expect 0 --format csv scores p-2027
expect 0 help scores import
out_has "usage: mentorctl scores import [PROGRAM] FILE.csv"

# ---- the real run: vetoed and avoided pairs never, the fixed pair first ----
expect 0 --format csv match p-2027
out_has "e3@ex.org,m1@ex.org,"
out_lacks "e1@ex.org,m1@ex.org"
out_lacks "e3@ex.org,m2@ex.org"

# ---- a file with many people: every one of them checked once ----
# (once more than 128 people had been looked up, the table of them moved
# while a row held a pointer into it: a crash on the next new mentor)
{
	echo "email,name,department"
	i=0
	while [ $i -lt 300 ]; do
		echo "be$i@ex.org,Big Mentee $i,Ops"
		echo "bm$i@ex.org,Big Mentor $i,Eng"
		i=$((i + 1))
	done
} >"$T/big-people.csv"
{
	echo "email,role"
	i=0
	while [ $i -lt 300 ]; do
		echo "be$i@ex.org,mentee"
		echo "bm$i@ex.org,mentor"
		i=$((i + 1))
	done
} >"$T/big-enroll.csv"
sed 's/^slug: p-2027/slug: big-2027/' "$T/p.yaml" >"$T/big.yaml"
expect 0 program add "$T/big.yaml"
expect 0 people import "$T/big-people.csv"
expect 0 enroll big-2027 --csv "$T/big-enroll.csv"
{
	echo "mentee_email,mentor_email,rank"
	i=0
	while [ $i -lt 300 ]; do
		echo "be$i@ex.org,bm$i@ex.org,1"
		echo "be$i@ex.org,bm$(( (i + 1) % 300 ))@ex.org,2"
		i=$((i + 1))
	done
} >"$T/big-prefs.csv"
expect 0 preferences import big-2027 "$T/big-prefs.csv"
err_has "600 preferences recorded in 'big-2027'"
# the same pair twice, far apart in the file
{ cat "$T/big-prefs.csv"; echo "be7@ex.org,bm7@ex.org,3"; } >"$T/big-dup.csv"
expect 65 preferences import big-2027 "$T/big-dup.csv"
err_has "big-dup.csv:602: the pair of line 16 again"
err_lines 1

done_testing
