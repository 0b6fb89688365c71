#!/bin/sh
# Run the unit test binaries and the CLI tests; print one summary line,
# "check: N passed, N failed", and exit non-zero when anything failed.
#   scripts/run-tests.sh BUILD [unit|cli]
set -u
build=${1:-build}
what=${2:-all}
top=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "$top" && cd "$build" && pwd)
passed=0
failed=0
failures=""

run_one() { # name, command...
	name=$1
	shift
	log="$build/test-logs/$name.log"
	mkdir -p "$(dirname "$log")"
	if "$@" >"$log" 2>&1; then
		passed=$((passed + 1))
		printf 'PASS %s\n' "$name"
	else
		failed=$((failed + 1))
		failures="$failures $name"
		printf 'FAIL %s (log: %s)\n' "$name" "$log"
		tail -n 30 "$log" | sed 's/^/    /'
	fi
}

if [ "$what" = all ] || [ "$what" = unit ]; then
	for t in "$build"/tests/test_*; do
		[ -x "$t" ] || continue
		run_one "unit/$(basename "$t")" "$t"
	done
fi

if [ "$what" = all ] || [ "$what" = cli ]; then
	for t in "$top"/tests/cli/t_*.sh; do
		[ -f "$t" ] || continue
		run_one "cli/$(basename "$t" .sh)" env MENTORCTL="$build/mentorctl" \
			TOP="$top" sh "$t"
	done
fi

printf 'check: %d passed, %d failed\n' "$passed" "$failed"
[ "$failed" -eq 0 ]
