#!/bin/sh
# People import and listing at scale (issue 3): 100,000 generated people
# with 5 free attributes.  Targets on the 2-core build machine: import under
# 2 s, `people list --format csv` under 1 s.  Prints the figures.
#   MENTORCTL=build/mentorctl TOP=. sh bench/people.sh [N]
set -eu
: "${MENTORCTL:?MENTORCTL must name the binary}"
: "${TOP:?TOP must name the source tree}"
n=${1:-100000}
dir=$(mktemp -d "${TMPDIR:-/tmp}/mentorctl-bench.XXXXXX")
trap 'rm -rf "$dir"' EXIT
export MENTORCTL_DB="$dir/bench.db" MENTORCTL_TODAY=2027-01-04

now() { date +%s.%N; }
elapsed() { echo "$1 $2" | awk '{ printf "%.3f", $2 - $1 }'; }

python3 "$TOP/bench/gen_people.py" "$n" >"$dir/people.csv"
"$MENTORCTL" init 2>/dev/null

t0=$(now)
"$MENTORCTL" people import "$dir/people.csv" 2>"$dir/import.err"
t1=$(now)
echo "people import $n people (5 attributes), new database: $(elapsed "$t0" "$t1") s (target < 2 s)"
sed 's/^/  /' "$dir/import.err"

t0=$(now)
"$MENTORCTL" people import "$dir/people.csv" 2>"$dir/import.err"
t1=$(now)
echo "people import again, nothing changes: $(elapsed "$t0" "$t1") s"
sed 's/^/  /' "$dir/import.err"

t0=$(now)
"$MENTORCTL" --format csv people list >"$dir/list.csv"
t1=$(now)
echo "people list --format csv, $(($(wc -l <"$dir/list.csv") - 1)) rows: $(elapsed "$t0" "$t1") s (target < 1 s)"

t0=$(now)
"$MENTORCTL" export people >"$dir/export.csv"
t1=$(now)
echo "export people (with attributes), $(($(wc -l <"$dir/export.csv") - 1)) rows: $(elapsed "$t0" "$t1") s"
