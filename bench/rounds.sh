#!/bin/sh
# Rotations and flash plans at scale (issue 15): core/rounds.c's planner
# (one b-matching over every round, then the edge colouring), timed in CPU
# seconds by build/bench/rounds_solve on competitive scores, the plan
# checked by rounds_verify.  Targets: a 12-period rotation of 10,000
# mentees over 4,000 mentors (places 1-3 per period) under 60 s, 3 periods
# under 15 s, a flash session of 1,000 attendees under 1 s.
set -eu
: "${TOP:=$(cd "$(dirname "$0")/.." && pwd)}"
BUILD=${BUILD:-$TOP/build}
run() { # LABEL TARGET ARGS...
	label=$1
	target=$2
	shift 2
	line=$("$BUILD/bench/rounds_solve" "$@")
	cpu=$(printf '%s\n' "$line" | tr ' ' '\n' | sed -n 's/^cpu=//p')
	verdict=$(awk -v c="$cpu" -v t="$target" 'BEGIN { print (c < t) ? "ok" : "OVER TARGET" }')
	printf '%-44s cpu %7.2f s (target < %s s) %s\n    %s\n' "$label" "$cpu" \
	    "$target" "$verdict" "$line"
}
run "rotation 10,000 x 4,000, 12 periods" 60 --gen competitive 10000 4000 1 --rounds 12
run "rotation 10,000 x 4,000, 3 periods" 15 --gen competitive 10000 4000 1 --rounds 3
run "rotation 10,000 x 4,000, 3 periods, score" 15 --gen competitive 10000 4000 1 --rounds 3 --objective score
run "rotation 2,000 x 1,000, 3 periods" 15 --gen competitive 2000 1000 1 --rounds 3
run "flash 500 + 500 attendees, 8 rounds, tables of 1" 1 --gen competitive 500 500 1 --rounds 8 --places 1
run "flash 700 + 300 attendees, 6 rounds, tables of 3" 1 --gen competitive 700 300 1 --rounds 6 --places 3
