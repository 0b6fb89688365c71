#!/bin/sh
# What each of issue 19's objectives and constraints costs at scale: the
# bench/match.sh programme (5,000 mentees, 2,000 mentors with capacities
# 1-3, ten criteria) matched with --dry-run (load, score, plan) under each
# variant, best of three runs, CPU seconds (user + system) of the best.
#
#   MENTORCTL=build/mentorctl TOP=. sh bench/match_listens.sh [MENTEES MENTORS]
set -eu
: "${MENTORCTL:?MENTORCTL must name the binary}"
: "${TOP:?TOP must name the source tree}"
n=${1:-5000}
m=${2:-2000}
dir=$(mktemp -d "${TMPDIR:-/tmp}/mentorctl-bench.XXXXXX")
trap 'rm -rf "$dir"' EXIT
export MENTORCTL_DB="$dir/base.db" MENTORCTL_TODAY=2027-01-04
quiet() { "$@" >/dev/null 2>"$dir/err" || { cat "$dir/err"; exit 1; }; }

python3 "$TOP/bench/gen_match_people.py" "$dir" "$n" "$m"
quiet "$MENTORCTL" init
quiet "$MENTORCTL" people import "$dir/people.csv"
quiet "$MENTORCTL" program add "$dir/past.yaml"
quiet "$MENTORCTL" enroll bench-past --csv "$dir/past.csv"
quiet "$MENTORCTL" match bench-past

# variant SLUG SED-EXPRESSION...: the bench programme changed by sed
variant() {
	slug=$1
	shift
	sed -e "s/^slug: bench-match/slug: $slug/" "$@" "$dir/program.yaml" >"$dir/$slug.yaml"
	quiet "$MENTORCTL" program add "$dir/$slug.yaml"
	quiet "$MENTORCTL" enroll "$slug" --csv "$dir/enroll.csv"
}
variant base
variant stable -e 's/objective: coverage/objective: stable/'
variant several -e 's/^    capacity: 2$/    capacity: 2\n  mentee:\n    capacity: 3/'
variant vocab -e 's/^  exclude: \[same_manager_line, previous_partners\]/  exclude: [same_manager_line]/' \
	-e 's/^  criteria:$/  criteria:\n    - { attribute: level, compare: gap, points: {1: 9, 2: 12, 3: 4}, weight: 3 }\n    - { attribute: manager_email, compare: not_in }\n    - { compare: waited, days: 60 }\n    - { compare: previous_partner, weight: 2 }/'
variant prefs -e 's/^  criteria:$/  criteria:\n    - { compare: preference, weight: 5 }/'
variant said
python3 - "$dir" "$n" "$m" <<'PY'
import random, sys
d, n, m = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
r = random.Random(19)
rows = [l.split(",") for l in open(d + "/enroll.csv").read().splitlines()[1:]]
mentees = [x[0] for x in rows if x[1] == "mentee"]
mentors = [x[0] for x in rows if x[1] == "mentor"]
with open(d + "/prefs.csv", "w") as f:
    f.write("mentee_email,mentor_email,rank,mentor_choice\n")
    for e in mentees:
        for k, j in enumerate(r.sample(mentors, 5)):
            f.write("%s,%s,%d,%s\n" % (e, j, k + 1,
                "prefer" if r.random() < 0.2 else ("avoid" if r.random() < 0.05 else "")))
with open(d + "/coi.csv", "w") as f:
    f.write("email,other_email\n")
    for e, j in set((r.choice(mentees), r.choice(mentors)) for _ in range(10000)):
        f.write("%s,%s\n" % (e, j))
with open(d + "/over.csv", "w") as f:
    f.write("mentee_email,mentor_email,bonus,veto,fixed\n")
    for i in range(10000):
        f.write("%s,%s,%s,%s,\n" % (r.choice(mentees), r.choice(mentors),
            r.choice(["5", "-5", "10"]), "yes" if i % 10 == 0 else ""))
    for e in r.sample(mentees, 300):
        f.write("%s,%s,,,yes\n" % (e, r.choice(mentors)))
PY
if true; then
	quiet "$MENTORCTL" preferences import prefs "$dir/prefs.csv"
	quiet "$MENTORCTL" preferences import stable "$dir/prefs.csv"
	quiet "$MENTORCTL" conflicts import "$dir/coi.csv" --program said
	python3 - "$dir/over.csv" <<'PY'
import sys
# a pair twice in the file would be refused: keep the first of each
seen, out = set(), []
lines = open(sys.argv[1]).read().splitlines()
for l in lines[1:]:
    k = tuple(l.split(",")[:2])
    if k not in seen:
        seen.add(k)
        out.append(l)
open(sys.argv[1], "w").write(lines[0] + "\n" + "\n".join(out) + "\n")
PY
	quiet "$MENTORCTL" scores import said "$dir/over.csv"
fi

python3 - "$dir" <<'PY'
import os, shutil, subprocess, sys
d = sys.argv[1]
bin = os.environ["MENTORCTL"]
def run(label, args):
    best = None
    for i in range(3):
        c0 = os.times()
        r = subprocess.run([bin] + args, stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE)
        c1 = os.times()
        if r.returncode != 0:
            sys.stderr.write(r.stderr.decode())
            sys.exit(1)
        cpu = (c1.children_user - c0.children_user) + \
              (c1.children_system - c0.children_system)
        if best is None or cpu < best[0]:
            best = (cpu, r.stderr.decode().strip().splitlines()[0])
    print("%-58s cpu %5.2f s" % (label, best[0]))
    print("  " + best[1])
run("coverage (the bench programme)", ["match", "base", "--dry-run"])
run("objective: stable", ["match", "stable", "--dry-run"])
run("objective: stable, --explain (audit + optimum)", ["match", "stable", "--dry-run", "--explain"])
run("roles.mentee.capacity: 3", ["match", "several", "--dry-run"])
run("gap, not_in, waited, previous_partner added", ["match", "vocab", "--dry-run"])
run("preference (25,000 ranks, prefer, avoid)", ["match", "prefs", "--dry-run"])
run("10,000 never-pair entries, 10,000 overrides, 300 fixed", ["match", "said", "--dry-run"])
run("--compare-weights (two plans)", ["match", "base", "--compare-weights", "skills=1"])
PY
