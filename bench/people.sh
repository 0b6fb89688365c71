#!/bin/sh
# People at scale (issue 3): N generated people (default 100,000) with five
# free attributes.  Targets on the 2-core build machine: `people import`
# under 2 s, `people list --format csv` under 1 s.  Each figure is the best
# of three runs (a shared machine's noise only ever adds), with all three
# shown; the import runs on a fresh database every time.
#   MENTORCTL=build/mentorctl TOP=. sh bench/people.sh [N]
set -eu
: "${MENTORCTL:?MENTORCTL must name the binary}"
: "${TOP:?TOP must name the source tree}"
n=${1:-100000}
runs=3
dir=$(mktemp -d "${TMPDIR:-/tmp}/mentorctl-bench.XXXXXX")
trap 'rm -rf "$dir"' EXIT
export MENTORCTL_DB="$dir/bench.db" MENTORCTL_TODAY=2027-01-04

now() { date +%s.%N; }

# CPU seconds (user + system) of a command, when /usr/bin/time can say:
# on a busy machine they show what the wall clock cannot.
cpu_of() {
	if [ -x /usr/bin/time ]; then
		/usr/bin/time -f '%U %S' -o "$dir/cpu" "$@"
	else
		echo "? ?" >"$dir/cpu"
		"$@"
	fi
}

# time_it LABEL TARGET SETUP CMD...: SETUP (a shell command) before each run.
time_it() {
	label=$1 target=$2 setup=$3
	shift 3
	times="" cpus=""
	for i in $(seq "$runs"); do
		eval "$setup"
		t0=$(now)
		cpu_of "$@" >"$dir/out" 2>"$dir/err" || { cat "$dir/err"; exit 1; }
		t1=$(now)
		times="$times $(echo "$t0 $t1" | awk '{ printf "%.3f", $2 - $1 }')"
		cpus="$cpus $(awk '{ if ($1 == "?") print "?"; else printf "%.2f", $1 + $2 }' "$dir/cpu")"
	done
	best=$(echo $times | tr ' ' '\n' | sort -n | head -1)
	printf '%-42s %6s s  (runs:%s; cpu:%s)%s\n' "$label" "$best" "$times" \
	    "$cpus" "${target:+  target < $target s}"
}

fresh() {
	rm -f "$MENTORCTL_DB" "$MENTORCTL_DB-wal" "$MENTORCTL_DB-shm"
	"$MENTORCTL" init 2>/dev/null
}

python3 "$TOP/bench/gen_people.py" "$n" >"$dir/people.csv"
echo "people: $n generated rows, $(wc -c <"$dir/people.csv") bytes"

time_it "people import (new database)" 2 fresh \
    "$MENTORCTL" people import "$dir/people.csv"
sed 's/^/  /' "$dir/err"
time_it "people import again (nothing changes)" "" : \
    "$MENTORCTL" people import "$dir/people.csv"
sed 's/^/  /' "$dir/err"
time_it "people list --format csv" 1 : \
    "$MENTORCTL" --format csv people list
echo "  $(($(wc -l <"$dir/out") - 1)) rows"
time_it "export people (with the 5 attributes)" "" : \
    "$MENTORCTL" export people
