#!/bin/sh
# objective: stable, and several mentors per mentee (roles.mentee.capacity).
# A generated programme of 40 mentees and 15 mentors with few distinct
# scores (many ties): match's stable plan equals a reference deferred
# acceptance written here from the documented preferences (score, then
# e-mail order; ranks and `prefer` first) and has no blocking pair; the
# coverage plan of the same data is optimal against the solver's own
# count and, with two mentors per mentee, never pairs two people twice.
# Then the calendar: proposals expire, a re-run never proposes them again.
. "$TOP/tests/cli/lib.sh"

gen() { # SLUG OBJECTIVE MENTEE_CAPACITY
	cat <<YAML
slug: $1
name: Stable $1
purpose: engagement
format: one-to-one
owner: People
contact: coord@ex.org
roles:
  mentor: { capacity: 2 }
  mentee: { capacity: $3 }
matching:
  consent: both
  respond_within: 7 days
  objective: $2
  min_score: 0
  criteria:
    - { attribute: skills, mentee_attribute: wants, compare: overlap, weight: 2 }
    - { attribute: department, compare: different, weight: 1 }
    - { compare: preference, weight: 1 }
YAML
}
gen st-2027 stable 1 >"$T/st.yaml"
gen sc-2027 stable 2 >"$T/sc.yaml"
gen cc-2027 coverage 2 >"$T/cc.yaml"
python3 - "$T" <<'PY'
import random, sys
t = sys.argv[1]
r = random.Random(7)
skills = ["go", "sql", "rust", "ml", "ux"]
depts = ["Eng", "Ops", "Sales"]
with open(t + "/people.csv", "w") as f:
    f.write("email,name,department,skills,wants\n")
    for i in range(15):
        f.write("m%02d@ex.org,Mentor %d,%s,%s,\n" % (i, i, r.choice(depts),
            ";".join(r.sample(skills, 2))))
    for i in range(40):
        f.write("e%02d@ex.org,Mentee %d,%s,,%s\n" % (i, i, r.choice(depts),
            r.choice(skills)))
with open(t + "/enroll.csv", "w") as f:
    f.write("email,role,capacity\n")
    for i in range(15):
        f.write("m%02d@ex.org,mentor,%d\n" % (i, 1 + i % 2))
    for i in range(40):
        f.write("e%02d@ex.org,mentee,\n" % i)
# a few rankings and mentor preferences
with open(t + "/prefs.csv", "w") as f:
    f.write("mentee_email,mentor_email,rank,mentor_choice\n")
    for i in range(0, 40, 5):
        for k, j in enumerate(r.sample(range(15), 3)):
            f.write("e%02d@ex.org,m%02d@ex.org,%d,%s\n" % (i, j, k + 1,
                "prefer" if (i + j) % 3 == 0 else ""))
PY
expect 0 init
expect 0 people import "$T/people.csv"
for s in st sc cc; do
	expect 0 program add "$T/$s.yaml"
	expect 0 enroll $s-2027 --csv "$T/enroll.csv"
	expect 0 preferences import $s-2027 "$T/prefs.csv"
done

cat >"$T/da.py" <<'PY'
# Mentee-proposing deferred acceptance from `scores` and the preferences,
# by the rule in mentorctl-program(5); then the stability check.
import csv, sys
scores_csv, prefs_csv, match_csv, ecap = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
mcap = {}
for line in open(sys.argv[5]):
    e, role, c = line.strip().split(",")
    if role == "mentor":
        mcap[e] = int(c)
score = {}
for r in csv.DictReader(open(scores_csv, newline="")):
    score[(r["mentee_email"], r["mentor_email"])] = round(float(r["score"]) * 100)
rank, prefer, count = {}, set(), {}
for r in csv.DictReader(open(prefs_csv, newline="")):
    e, m = r["mentee_email"], r["mentor_email"]
    if r["rank"]:
        rank[(e, m)] = int(r["rank"])
        count[e] = count.get(e, 0) + 1
    if r["mentor_choice"] == "prefer":
        prefer.add((e, m))
def ekey(e, m):  # higher is better
    rk = count[e] - rank[(e, m)] + 1 if (e, m) in rank else 0
    return (rk, score[(e, m)], [-ord(c) for c in m])
def mkey(e, m):
    return ((e, m) in prefer, score[(e, m)], [-ord(c) for c in e])
mentees = sorted({e for e, _ in score})
lists = {e: sorted([m for (x, m) in score if x == e], key=lambda m: ekey(e, m),
                   reverse=True) for e in mentees}
held = {m: [] for m in mcap}
nxt = {e: 0 for e in mentees}
have = {e: 0 for e in mentees}
free = list(mentees)
while free:
    e = free.pop(0)
    while have[e] < ecap and nxt[e] < len(lists[e]):
        m = lists[e][nxt[e]]
        nxt[e] += 1
        held[m].append(e)
        have[e] += 1
        if len(held[m]) > mcap[m]:
            worst = min(held[m], key=lambda x: mkey(x, m))
            held[m].remove(worst)
            have[worst] -= 1
            if worst != e and worst not in free:
                free.append(worst)
want = sorted((e, m) for m in held for e in held[m])
got = sorted((r["mentee_email"], r["mentor_email"])
             for r in csv.DictReader(open(match_csv, newline="")))
if want != got:
    print("reference", want, "\nmatch", got)
    sys.exit(1)
# stability: no pair outside that both would rather have
mine = {}
for e, m in got:
    mine.setdefault(e, []).append(m)
    mine.setdefault(m, []).append(e)
for (e, m) in score:
    if (e, m) in got:
        continue
    ew = len(mine.get(e, [])) < ecap or any(ekey(e, x) < ekey(e, m) for x in mine[e])
    mw = len(mine.get(m, [])) < mcap[m] or any(mkey(x, m) < mkey(e, m) for x in mine[m])
    if ew and mw:
        print("blocking", e, m)
        sys.exit(1)
print("ok", len(got), "pairs")
PY
for s in st:1 sc:2; do
	slug=${s%%:*}-2027 cap=${s#*:}
	expect 0 --format csv scores $slug
	cp "$T/.out" "$T/scores-$slug.csv"
	expect 0 --format csv match $slug --dry-run
	cp "$T/.out" "$T/match-$slug.csv"
	err_has "objective stable"
	check 'python3 "$T/da.py" "$T/scores-$slug.csv" "$T/prefs.csv" "$T/match-$slug.csv" $cap "$T/enroll.csv" >"$T/da.log" 2>&1' \
		"$slug is not the reference deferred acceptance: $(cat "$T/da.log" 2>/dev/null)"
	expect 0 --format csv match $slug --dry-run --explain
	err_has "stability: 0 pairs outside this stable matching would both rather be together; the optimum under coverage has"
done

# Two mentors per mentee under coverage: never the same pair twice, places
# kept, as many pairs as the places allow (30 mentor places, 80 mentee).
expect 0 --format csv match cc-2027
check '[ "$(printf "%s\n" "$OUT" | tail -n +2 | cut -d, -f1,2 | sort | uniq -d | wc -l)" -eq 0 ]' \
	"a pair proposed twice"
check '[ "$(printf "%s\n" "$OUT" | tail -n +2 | cut -d, -f1 | sort | uniq -c | awk "\$1 > 2" | wc -l)" -eq 0 ]' \
	"a mentee got more than two mentors"
check '[ "$(printf "%s\n" "$OUT" | tail -n +2 | wc -l)" -eq 22 ]' \
	"not every mentor place filled: $(printf "%s\n" "$OUT" | tail -n +2 | wc -l)"
expect 0 --format csv match cc-2027 --explain
err_has "stability: "
err_has "proposed 0 pairings"

# ---- the calendar: a week later the proposals expire ----
export MENTORCTL_TODAY=2027-01-12
expect 0 --format csv match cc-2027
check '[ "$(printf "%s\n" "$OUT" | tail -n +2 | wc -l)" -eq 22 ]' "re-run after expiry"
check '[ "$(sqlite3 "$MENTORCTL_DB" "select count(*) from pairing p join program g on g.id = p.program_id where g.slug = '"'cc-2027'"' and p.status = '"'expired'"'")" -eq 22 ]' \
	"the first proposals did not expire"
check '[ "$(sqlite3 "$MENTORCTL_DB" "select count(*) from (select mentor_enrollment_id, mentee_enrollment_id from pairing p join program g on g.id = p.program_id where g.slug = '"'cc-2027'"' group by 1, 2 having count(*) > 1)")" -eq 0 ]' \
	"an expired pair was proposed again"

done_testing
