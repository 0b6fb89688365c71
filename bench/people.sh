#!/bin/sh
# People at scale (issues 3 and 15).  N generated people (default 100,000)
# in 14 columns (9 standard fields, 5 free attributes).
#
# The anchor: `sqlite3 .import` of the same file into a bare table of 14
# TEXT columns, measured side by side in this run (the machine is shared:
# only a ratio measured together means anything).  Target: `people import`
# at most 3x the anchor's CPU time.  Each figure is the best of three runs
# (noise only ever adds), all three shown; imports run on a fresh database
# every time.  Then BIG rows (default 1,000,000) once, with the time and
# the peak memory (maximum resident set size) beside those of N rows: the
# import streams, so memory stays flat.
#   MENTORCTL=build/mentorctl TOP=. sh bench/people.sh [N [BIG]]
set -eu
: "${MENTORCTL:?MENTORCTL must name the binary}"
: "${TOP:?TOP must name the source tree}"
n=${1:-100000}
big=${2:-1000000}
runs=3
dir=$(mktemp -d "${TMPDIR:-/tmp}/mentorctl-bench.XXXXXX")
trap 'rm -rf "$dir"' EXIT
export MENTORCTL_DB="$dir/bench.db" MENTORCTL_TODAY=2027-01-04

now() { date +%s.%N; }

# CPU seconds (user + system) and peak RSS (KiB) of a command, when
# /usr/bin/time can say: on a busy machine they show what the wall clock
# cannot.
cpu_of() {
	if [ -x /usr/bin/time ]; then
		/usr/bin/time -f '%U %S %M' -o "$dir/cpu" "$@"
	else
		echo "? ? ?" >"$dir/cpu"
		"$@"
	fi
}

# time_it LABEL TARGET SETUP CMD...: SETUP (a shell command) before each
# run; sets $best (wall), $best_cpu and $peak_kib.
time_it() {
	label=$1 target=$2 setup=$3
	shift 3
	times="" cpus="" peak_kib=0
	for i in $(seq "$runs"); do
		eval "$setup"
		t0=$(now)
		cpu_of "$@" >"$dir/out" 2>"$dir/err" || { cat "$dir/err"; exit 1; }
		t1=$(now)
		times="$times $(echo "$t0 $t1" | awk '{ printf "%.3f", $2 - $1 }')"
		cpus="$cpus $(awk '{ if ($1 == "?") print "?"; else printf "%.2f", $1 + $2 }' "$dir/cpu")"
		peak_kib=$(awk -v p="$peak_kib" '{ print ($3 > p) ? $3 : p }' "$dir/cpu")
	done
	best=$(echo $times | tr ' ' '\n' | sort -n | head -1)
	best_cpu=$(echo $cpus | tr ' ' '\n' | sort -n | head -1)
	printf '%-42s %6s s  cpu %5s s  (runs:%s; cpu:%s)%s\n' "$label" "$best" \
	    "$best_cpu" "$times" "$cpus" "${target:+  target < $target s}"
}

fresh() {
	rm -f "$MENTORCTL_DB" "$MENTORCTL_DB-wal" "$MENTORCTL_DB-shm"
	"$MENTORCTL" init 2>/dev/null
}

anchor_fresh() {
	rm -f "$dir/anchor.db" "$dir/anchor.db-journal"
	sqlite3 "$dir/anchor.db" "CREATE TABLE people (email TEXT, name TEXT,
	    department TEXT, title TEXT, level TEXT, hired_on TEXT,
	    location TEXT, timezone TEXT, manager_email TEXT, skills TEXT,
	    wants TEXT, interests TEXT, languages TEXT, years_experience TEXT)"
}

python3 "$TOP/bench/gen_people.py" "$n" >"$dir/people.csv"
echo "people: $n generated rows x 14 columns, $(wc -c <"$dir/people.csv") bytes"

if command -v sqlite3 >/dev/null 2>&1; then
	time_it "anchor: sqlite3 .import (bare table)" "" anchor_fresh \
	    sqlite3 "$dir/anchor.db" ".mode csv" \
	    ".import --skip 1 $dir/people.csv people"
	anchor_cpu=$best_cpu anchor_wall=$best
else
	echo "anchor: sqlite3 not installed (scripts/deps.sh test installs it)"
	anchor_cpu=? anchor_wall=?
fi
time_it "people import (new database)" "" fresh \
    "$MENTORCTL" people import "$dir/people.csv"
sed 's/^/  /' "$dir/err"
import_cpu=$best_cpu import_wall=$best small_kib=$peak_kib
awk -v a="$anchor_cpu" -v b="$import_cpu" -v aw="$anchor_wall" \
    -v bw="$import_wall" 'BEGIN {
	if (a == "?" || a + 0 == 0) { print "ratio: no anchor"; exit }
	printf "ratio people import / sqlite3 .import: %.2fx cpu, %.2fx wall " \
	    "(target <= 3x)\n", b / a, bw / aw }'
time_it "people import again (nothing changes)" "" : \
    "$MENTORCTL" people import "$dir/people.csv"
sed 's/^/  /' "$dir/err"
time_it "people list --format csv" 1 : \
    "$MENTORCTL" --format csv people list
echo "  $(($(wc -l <"$dir/out") - 1)) rows"
time_it "export people (with the 5 attributes)" "" : \
    "$MENTORCTL" export people

# The big file, once: time and peak memory against N rows'.
if [ "$big" -gt 0 ]; then
	python3 "$TOP/bench/gen_people.py" "$big" >"$dir/big.csv"
	runs=1
	time_it "people import of $big rows" "" fresh \
	    "$MENTORCTL" people import "$dir/big.csv"
	sed 's/^/  /' "$dir/err"
	awk -v s="$small_kib" -v b="$peak_kib" -v n="$n" -v m="$big" 'BEGIN {
		printf "peak memory: %.1f MiB for %d rows, %.1f MiB for %d rows\n",
		    s / 1024, n, b / 1024, m }'
	rm -f "$dir/big.csv"
fi
