#!/bin/sh
# `report` at scale (issue 6): 100,000 enrollments, 50,000 pairings and
# 1,000,000 check-ins generated straight into a database made by `mentorctl
# init` + `program add`.  Target on the 2-core build machine: `report` under
# 2 s end to end in every format.  Prints the median of 3 runs and the peak
# RSS of each format, then `report --as-of` and `diagnose`.  The database is
# generated once (about 20 s, mostly Python inserting a million rows).
#   MENTORCTL=build/mentorctl TOP=. sh bench/report.sh [ENROLLMENTS PAIRINGS CHECKINS]
set -eu
: "${MENTORCTL:?MENTORCTL must name the binary}"
: "${TOP:?TOP must name the source tree}"
nenr=${1:-100000}
npair=${2:-50000}
nck=${3:-1000000}
dir=$(mktemp -d "${TMPDIR:-/tmp}/mentorctl-bench.XXXXXX")
trap 'rm -rf "$dir"' EXIT
export MENTORCTL_DB="$dir/bench.db" MENTORCTL_TODAY=2028-01-15

"$MENTORCTL" init 2>/dev/null
"$MENTORCTL" program add "$TOP/data/programs/eng-2027.yaml" 2>/dev/null
pid=$(sqlite3 "$MENTORCTL_DB" "SELECT id FROM program WHERE slug = 'eng-2027'")
t0=$(date +%s.%N)
python3 "$TOP/bench/gen_report.py" "$MENTORCTL_DB" "$pid" --enrollments "$nenr" \
	--pairings "$npair" --checkins "$nck"
t1=$(date +%s.%N)
echo "generated $nenr enrollments, $npair pairings, $nck check-ins in" \
	"$(echo "$t0 $t1" | awk '{ printf "%.1f", $2 - $1 }') s" \
	"($(du -m "$MENTORCTL_DB" | cut -f1) MB)"

python3 - "$MENTORCTL" "$dir" <<'PY'
import os, resource, statistics, subprocess, sys, time
bin, dir = sys.argv[1], sys.argv[2]

def run(args):
    # Peak RSS of this child alone: fork a watcher per run.
    pid = os.fork()
    if pid == 0:
        t = time.perf_counter()
        r = subprocess.run([bin] + args, stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE)
        if r.returncode != 0:
            sys.stderr.write(r.stderr.decode())
            os._exit(1)
        ru = resource.getrusage(resource.RUSAGE_CHILDREN)
        with open(os.path.join(dir, "fig"), "w") as f:
            f.write("%f %f %d" % (time.perf_counter() - t,
                                  ru.ru_utime + ru.ru_stime, ru.ru_maxrss))
        os._exit(0)
    _, status = os.waitpid(pid, 0)
    if status != 0:
        sys.exit("mentorctl %s failed" % " ".join(args))
    secs, cpu, rss = open(os.path.join(dir, "fig")).read().split()
    return float(secs), float(cpu), int(rss)

cases = [
    ("report --format table", ["report", "eng-2027"]),
    ("report --format csv", ["--format", "csv", "report", "eng-2027"]),
    ("report --format json", ["--format", "json", "report", "eng-2027"]),
    ("report --format html --out", ["--format", "html", "report", "eng-2027",
                                    "--out", os.path.join(dir, "r.html")]),
    ("report --as-of 2027-06-30 --format csv",
     ["--format", "csv", "report", "eng-2027", "--as-of", "2027-06-30"]),
    ("diagnose", ["diagnose", "eng-2027"]),
]
# Wall time is the target; CPU time (user + sys) says what it would be on an
# idle machine when others share this one (load average shown).
print("load average %.1f on %d cores" % (os.getloadavg()[0], os.cpu_count()))
for name, args in cases:
    figs = [run(args) for _ in range(3)]
    secs = statistics.median(f[0] for f in figs)
    cpu = statistics.median(f[1] for f in figs)
    rss = max(f[2] for f in figs)
    target = " (target < 2 s)" if name.startswith("report") else ""
    print("%-40s median %.3f s wall, %.3f s CPU, peak RSS %d MB%s" %
          (name, secs, cpu, rss // 1024, target))
PY
