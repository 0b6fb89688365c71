#!/bin/sh
# `export` at scale (issue 6): the report benchmark's database (100,000
# enrollments, 50,000 pairings, 1,000,000 check-ins, made by
# bench/gen_report.py) exported to /dev/null.  Target on the 2-core build
# machine: `export checkins --format csv` under 3 s, in constant memory: the
# peak RSS must not grow with the rows (compare the pairings export, 20
# times fewer rows, and the same export of a tenth of the check-ins).
# Prints the median wall time of 3 runs, the CPU time and the peak RSS of
# each case.
#   MENTORCTL=build/mentorctl TOP=. sh bench/export.sh [ENROLLMENTS PAIRINGS CHECKINS]
set -eu
: "${MENTORCTL:?MENTORCTL must name the binary}"
: "${TOP:?TOP must name the source tree}"
nenr=${1:-100000}
npair=${2:-50000}
nck=${3:-1000000}
dir=$(mktemp -d "${TMPDIR:-/tmp}/mentorctl-bench.XXXXXX")
trap 'rm -rf "$dir"' EXIT
export MENTORCTL_TODAY=2028-01-15

# gen DB CHECKINS: a database generated as bench/report.sh makes it.
gen() {
	MENTORCTL_DB=$1 "$MENTORCTL" init 2>/dev/null
	MENTORCTL_DB=$1 "$MENTORCTL" program add \
		"$TOP/data/programs/eng-2027.yaml" 2>/dev/null
	pid=$(sqlite3 "$1" "SELECT id FROM program WHERE slug = 'eng-2027'")
	python3 "$TOP/bench/gen_report.py" "$1" "$pid" --enrollments "$nenr" \
		--pairings "$npair" --checkins "$2"
}
t0=$(date +%s.%N)
gen "$dir/bench.db" "$nck"
gen "$dir/tenth.db" $((nck / 10))
t1=$(date +%s.%N)
echo "generated $nenr enrollments, $npair pairings, $nck (and $((nck / 10)))" \
	"check-ins in $(echo "$t0 $t1" | awk '{ printf "%.1f", $2 - $1 }') s" \
	"($(du -m "$dir/bench.db" | cut -f1) MB)"

# measure DB ARGS...: prints "wall cpu maxrss_kb" of one run to stdout.
# /usr/bin/time gives the child's own peak RSS.  Without it, VmHWM is read
# from /proc while the child runs (it only grows, so the last reading is
# the peak to within a millisecond's growth); the rusage of wait4() would
# count the forking Python's pages too.
if [ -x /usr/bin/time ]; then
	measure() {
		db=$1
		shift
		MENTORCTL_DB=$db /usr/bin/time -o "$dir/time" -f '%e %U %S %M' \
			"$MENTORCTL" "$@" >/dev/null 2>"$dir/err" || {
			cat "$dir/err" >&2
			return 1
		}
		awk '{ printf "%s %.2f %s\n", $1, $2 + $3, $4 }' "$dir/time"
	}
else
	measure() {
		db=$1
		shift
		MENTORCTL_DB=$db python3 -c '
import os, subprocess, sys, time
t, t0 = time.perf_counter(), os.times()
p = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL)
hwm = 0
while p.poll() is None:
    try:
        with open("/proc/%d/status" % p.pid) as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    hwm = max(hwm, int(line.split()[1]))
    except OSError:
        pass
    time.sleep(0.001)
t1 = os.times()
if p.returncode != 0:
    sys.exit(1)
print("%.2f %.2f %d" % (time.perf_counter() - t,
                        t1.children_user + t1.children_system -
                        t0.children_user - t0.children_system, hwm))
' "$MENTORCTL" "$@"
	}
fi

# case NAME DB ARGS...: three runs; the median wall and CPU, the largest RSS.
case_() {
	name=$1
	db=$2
	shift 2
	: >"$dir/figs"
	for _ in 1 2 3; do
		measure "$db" "$@" >>"$dir/figs" || {
			echo "$name: mentorctl $* failed" >&2
			return 1
		}
	done
	wall=$(cut -d' ' -f1 "$dir/figs" | sort -n | sed -n 2p)
	cpu=$(cut -d' ' -f2 "$dir/figs" | sort -n | sed -n 2p)
	rss=$(cut -d' ' -f3 "$dir/figs" | sort -n | tail -n 1)
	printf '%-48s median %.2f s wall, %.2f s CPU, peak RSS %.1f MB\n' \
		"$name" "$wall" "$cpu" "$(echo "$rss" | awk '{ print $1 / 1024 }')"
}

echo "load average $(cut -d' ' -f1 /proc/loadavg) on $(nproc) cores"
status=0
case_ "export checkins --format csv (target < 3 s)" "$dir/bench.db" \
	--format csv export checkins || status=1
case_ "export checkins --format csv --include-notes" "$dir/bench.db" \
	--format csv export checkins --include-notes || status=1
case_ "export checkins --format json" "$dir/bench.db" \
	--format json export checkins || status=1
case_ "export checkins --format json --include-notes" "$dir/bench.db" \
	--format json export checkins --include-notes || status=1
case_ "export checkins --program eng-2027" "$dir/bench.db" \
	export checkins --program eng-2027 || status=1
case_ "export checkins, a tenth of the rows" "$dir/tenth.db" \
	export checkins || status=1
case_ "export pairings" "$dir/bench.db" export pairings || status=1
case_ "export feedback --include-notes" "$dir/bench.db" \
	export feedback --include-notes || status=1
exit $status
