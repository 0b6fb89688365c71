#!/bin/sh
# People at scale (issues 3 and 15).  N generated people (default 100,000)
# in 14 columns (9 standard fields, 5 free attributes).
#
# The anchor: `sqlite3 .import` of the same file into a bare table of as
# many TEXT columns, measured side by side in this run (the machine is
# shared: only a ratio measured together means anything).  Target: `people
# import` at most 3x the anchor's CPU time.  Each figure is the best of
# three runs (noise only ever adds), all three shown; imports run on a
# fresh database every time.  The same comparison follows for other
# shapes of file, so that the ratio is not one file's: the rows in random
# order, three in four optional cells empty, and a wide real export (the
# IBM HR sample, 37 columns).  Then BIG rows (default 1,000,000) once, with
# the time and the peak memory (maximum resident set size) beside those of
# N rows: the import streams, so memory stays flat.
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

# A bare table with one TEXT column per column of the file $anchor_csv.
anchor_fresh() {
	rm -f "$dir/anchor.db" "$dir/anchor.db-journal"
	sqlite3 "$dir/anchor.db" "CREATE TABLE people ($(head -1 "$anchor_csv" |
	    tr -d '\r' | awk -F, '{ for (i = 1; i <= NF; i++)
		printf "%sc%d TEXT", (i > 1 ? ", " : ""), i }'))"
}

# versus LABEL FILE: the anchor and people import of FILE, best CPU of
# each side by side; sets $anchor_cpu, $import_cpu (and their walls).
versus() {
	anchor_csv=$2
	if command -v sqlite3 >/dev/null 2>&1; then
		time_it "anchor: sqlite3 .import ($1)" "" anchor_fresh \
		    sqlite3 "$dir/anchor.db" ".mode csv" \
		    ".import --skip 1 $2 people"
		anchor_cpu=$best_cpu anchor_wall=$best
	else
		echo "anchor: sqlite3 not installed (scripts/deps.sh test installs it)"
		anchor_cpu=? anchor_wall=?
	fi
	time_it "people import ($1)" "" fresh "$MENTORCTL" people import "$2"
	sed 's/^/  /' "$dir/err"
	import_cpu=$best_cpu import_wall=$best
	awk -v l="$1" -v a="$anchor_cpu" -v b="$import_cpu" -v aw="$anchor_wall" \
	    -v bw="$import_wall" 'BEGIN {
		if (a == "?" || a + 0 == 0) { print "ratio: no anchor"; exit }
		printf "%-20s cpu: people import %.2f s, sqlite3 .import %.2f s, " \
		    "ratio %.2fx (target <= 3x); wall ratio %.2fx\n", l ":", b, a,
		    b / a, bw / aw }'
}

python3 "$TOP/bench/gen_people.py" "$n" >"$dir/people.csv"
echo "people: $n generated rows x 14 columns, $(wc -c <"$dir/people.csv") bytes"
versus "$n rows" "$dir/people.csv"
small_kib=$peak_kib
summary=$(awk -v a="$anchor_cpu" -v b="$import_cpu" -v n="$n" 'BEGIN {
	if (a == "?" || a + 0 == 0) exit
	printf "%d rows x 14 columns: people import %.2f s CPU, sqlite3 .import " \
	    "%.2f s CPU, ratio %.2fx, target <= 3x", n, b, a, b / a }')
time_it "people import again (nothing changes)" "" : \
    "$MENTORCTL" people import "$dir/people.csv"
sed 's/^/  /' "$dir/err"
time_it "people list --format csv" 1 : \
    "$MENTORCTL" --format csv people list
echo "  $(($(wc -l <"$dir/out") - 1)) rows"
time_it "export people (with the 5 attributes)" "" : \
    "$MENTORCTL" export people

# Other shapes of file, each against its own anchor.
python3 "$TOP/bench/gen_people.py" "$n" --shape shuffled >"$dir/shape.csv"
versus "shuffled" "$dir/shape.csv"
python3 "$TOP/bench/gen_people.py" "$n" --shape sparse >"$dir/shape.csv"
versus "sparse" "$dir/shape.csv"
if [ -f "$TOP/tests/datasets/ibm-hr-attrition.csv" ]; then
	python3 "$TOP/bench/gen_ibm_people.py" \
	    "$TOP/tests/datasets/ibm-hr-attrition.csv" "$n" >"$dir/shape.csv"
	versus "IBM sample, 37 cols" "$dir/shape.csv"
fi
rm -f "$dir/shape.csv"

# The big file, once: time and peak memory against N rows'.
if [ "$big" -gt 0 ]; then
	python3 "$TOP/bench/gen_people.py" "$big" >"$dir/big.csv"
	runs=1
	versus "$big rows" "$dir/big.csv"
	awk -v s="$small_kib" -v b="$peak_kib" -v n="$n" -v m="$big" 'BEGIN {
		printf "peak memory: %.1f MiB for %d rows, %.1f MiB for %d rows\n",
		    s / 1024, n, b / 1024, m }'
	rm -f "$dir/big.csv"
fi
if [ -n "$summary" ]; then
	echo "summary: $summary"
fi
