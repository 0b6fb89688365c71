#!/bin/sh
# `remind` at scale (issues 5 and 14): 100,000 active pairings that have
# met for a year (about 2.6 million check-ins), in a cycle whose re-up
# window is open, plus proposals about to expire, generated straight into a
# database made by `mentorctl init` + `program add`.  The reminder log is
# filled the way a daily cron job leaves it: the three previous mornings'
# mail is recorded as sent.  Two days are measured: a plain one (reminders,
# target under 1 s) and one busy with life-cycle mails too (a tenth of the
# pairings matched, a tenth ended, a tenth re-upped in the last days, and
# the proposals new: target under 2 s), `remind --dry-run` on the 2-core
# build machine.  Prints the median of 3 runs (wall clock and CPU time) and
# the peak RSS.
#   MENTORCTL=build/mentorctl TOP=. sh bench/remind.sh [PAIRINGS]
set -eu
: "${MENTORCTL:?MENTORCTL must name the binary}"
: "${TOP:?TOP must name the source tree}"
npair=${1:-100000}
dir=$(mktemp -d "${TMPDIR:-/tmp}/mentorctl-bench.XXXXXX")
trap 'rm -rf "$dir"' EXIT
export MENTORCTL_DB="$dir/bench.db"
unset MENTORCTL_SENDMAIL MENTORCTL_TODAY
today=2027-12-28

# setup NAME [--lifecycle]: a database $dir/NAME.db, as described above.
setup() {
	name=$1
	shift
	export MENTORCTL_DB="$dir/$name.db"
	"$MENTORCTL" init 2>/dev/null
	"$MENTORCTL" program add "$TOP/data/programs/eng-2027.yaml" 2>/dev/null
	pid=$(sqlite3 "$MENTORCTL_DB" "SELECT id FROM program WHERE slug = 'eng-2027'")
	t0=$(date +%s.%N)
	nck=$(python3 "$TOP/bench/gen_remind.py" "$MENTORCTL_DB" "$pid" \
		--pairings "$npair" "$@")
	for d in 2027-12-25 2027-12-26 2027-12-27; do
		"$MENTORCTL" --today "$d" --format json remind --dry-run 2>/dev/null |
			python3 "$TOP/bench/gen_remind.py" "$MENTORCTL_DB" "$pid" \
			--record >/dev/null
	done
	t1=$(date +%s.%N)
	nrem=$(sqlite3 "$MENTORCTL_DB" "SELECT count(*) FROM reminder")
	echo "$name: generated $npair pairings, $nck check-ins, $nrem mails sent" \
		"before in $(echo "$t0 $t1" | awk '{ printf "%.1f", $2 - $1 }') s" \
		"($(du -m "$MENTORCTL_DB" | cut -f1) MB)"
}
setup plain
setup lifecycle --lifecycle

python3 - "$MENTORCTL" "$dir" "$today" <<'PY'
import os, resource, statistics, subprocess, sys, time
bin, dir, today = sys.argv[1], sys.argv[2], sys.argv[3]

def run(db, args):
    # Peak RSS of this child alone: fork a watcher per run.
    pid = os.fork()
    if pid == 0:
        t = time.perf_counter()
        r = subprocess.run([bin, "--db", db, "--today", today] + args,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        if r.returncode != 0:
            sys.stderr.write(r.stderr.decode())
            os._exit(1)
        ru = resource.getrusage(resource.RUSAGE_CHILDREN)
        with open(os.path.join(dir, "fig"), "w") as f:
            f.write("%f %f %d %s" % (time.perf_counter() - t,
                                     ru.ru_utime + ru.ru_stime, ru.ru_maxrss,
                                     r.stderr.decode().strip().replace(" ", "_")))
        os._exit(0)
    _, status = os.waitpid(pid, 0)
    if status != 0:
        sys.exit("mentorctl %s failed" % " ".join(args))
    secs, cpu, rss, msg = open(os.path.join(dir, "fig")).read().split(" ", 3)
    return float(secs), float(cpu), int(rss), msg.replace("_", " ")

cases = [
    ("plain", 1, "remind --dry-run", ["remind", "--dry-run"]),
    ("plain", 1, "remind --dry-run --format json", ["--format", "json",
                                                    "remind", "--dry-run"]),
    ("lifecycle", 2, "remind --dry-run", ["remind", "--dry-run"]),
    ("lifecycle", 2, "remind --dry-run --format json", ["--format", "json",
                                                        "remind", "--dry-run"]),
]
for db, target, name, args in cases:
    figs = [run(os.path.join(dir, db + ".db"), args) for _ in range(3)]
    secs = statistics.median(f[0] for f in figs)
    cpu = statistics.median(f[1] for f in figs)
    rss = max(f[2] for f in figs)
    # CPU time too: on a busy machine the wall clock measures the others.
    print("%-9s %-31s median %.3f s (CPU %.3f s), peak RSS %d MB (target < %d s)"
          % (db, name, secs, cpu, rss // 1024, target))
    print("          (%s)" % figs[-1][3].replace("mentorctl: ", ""))
PY
