#!/bin/sh
# The matching solver against its anchor, LEMON's network simplex on the
# whole problem (issue 15): every score family of bench/gen_match.h, at
# every size, both objectives, run side by side on the same instance (built
# in memory from the same seed by both programs).  Per line: our CPU
# seconds, LEMON's, the ratio (target <= 0.40), both objectives (total
# score and mentees matched: they must be equal), our candidate-graph
# rounds and both peak memories (the score matrix included).  CPU time, not
# wall time: the build machine is shared.  Then, per family, the growth
# exponent of our time from the smallest to the largest size (time ~
# mentees^k, the matrix growing with mentees^2).
#
#   BUILD=build [SOLVER_SIZES="5000x2000 10000x4000 20000x8000"]
#   [SOLVER_FAMILIES="competitive ..."] sh bench/solver.sh
#
# LEMON needs about 60 bytes per allowed pair (9 GB at 20,000 x 8,000); a
# size for which the machine lacks the memory is reported and skipped.
set -eu
: "${TOP:=$(cd "$(dirname "$0")/.." && pwd)}"
BUILD=${BUILD:-$TOP/build}
sizes=${SOLVER_SIZES:-"5000x2000 10000x4000 20000x8000"}
families=${SOLVER_FAMILIES:-"competitive additive jaccard uniform ties sparse equal hugecap"}
ours=$BUILD/bench/match_solve
lemon=$BUILD/bench/lemon_solve
for b in "$ours" "$lemon"; do
	[ -x "$b" ] || { echo "solver.sh: $b is missing (make bench builds it)"; exit 1; }
done
out=$(mktemp "${TMPDIR:-/tmp}/mentorctl-solver.XXXXXX")
trap 'rm -f "$out"' EXIT

field() { # NAME LINE
	printf '%s\n' "$2" | tr ' ' '\n' | sed -n "s/^$1=//p"
}
avail_mb() {
	awk '/^MemAvailable:/ { print int($2 / 1024) }' /proc/meminfo 2>/dev/null || echo 0
}

printf '%-12s %-12s %-8s %8s %8s %6s %12s %12s %6s %6s %6s %7s %9s\n' \
    family size objective ours_s lemon_s ratio ours_total lemon_total \
    match lmatch rounds ours_mb lemon_mb
status=0
for size in $sizes; do
	n=${size%x*}
	m=${size#*x}
	need=$((n / 1000 * m / 1000 * 70 + 500))
	for fam in $families; do
		for obj in coverage score; do
			o=$("$ours" --gen "$fam" "$n" "$m" 1 --objective "$obj")
			if [ "$(avail_mb)" -lt "$need" ]; then
				l="total=n/a matched=n/a cpu=n/a peak_mb=n/a"
			else
				l=$("$lemon" --gen "$fam" "$n" "$m" 1 --objective "$obj") ||
				    l="total=failed matched=failed cpu=n/a peak_mb=n/a"
			fi
			oc=$(field cpu "$o")
			lc=$(field cpu "$l")
			ot=$(field total "$o")
			lt=$(field total "$l")
			om=$(field matched "$o")
			lm=$(field matched "$l")
			ratio=$(awk -v a="$oc" -v b="$lc" 'BEGIN {
			    if (b == "n/a" || b + 0 <= 0) print "n/a";
			    else printf "%.2f", a / b }')
			note=""
			if [ "$lt" != n/a ] && { [ "$ot" != "$lt" ] || [ "$om" != "$lm" ]; }; then
				note=" MISMATCH"
				status=1
			fi
			if [ "$ratio" != n/a ] && awk -v r="$ratio" 'BEGIN { exit !(r > 0.40) }'; then
				note="$note over 0.40"
			fi
			printf '%-12s %-12s %-8s %8s %8s %6s %12s %12s %6s %6s %6s %7s %9s%s\n' \
			    "$fam" "$size" "$obj" "$oc" "$lc" "$ratio" "$ot" "$lt" \
			    "$om" "$lm" "$(field rounds "$o")" "$(field peak_mb "$o")" \
			    "$(field peak_mb "$l")" "$note"
			echo "$fam $n $obj $oc" >>"$out"
		done
	done
done
# growth exponent: our time ~ n^k between the smallest and largest size
n0=$(awk 'NR == 1 { print $2 }' "$out")
n1=$(awk 'END { print $2 }' "$out")
if [ "$n0" != "$n1" ]; then
	echo "growth of our CPU time from $n0 to $n1 mentees (time ~ mentees^k; the matrix grows as mentees^2):"
	awk -v n0="$n0" -v n1="$n1" '$2 == n0 { t0[$1 " " $3] = $4 }
	    $2 == n1 { t1[$1 " " $3] = $4 }
	    END { for (k in t1) if (t0[k] > 0 && t1[k] > 0)
		printf "  %-22s k = %.2f\n", k, log(t1[k] / t0[k]) / log(n1 / n0) }' "$out" | sort
fi
exit $status
