#!/bin/sh
# Build the libFuzzer targets (tests/fuzz/fuzz_*.c) with clang, AddressSanitizer
# and UndefinedBehaviorSanitizer against the library compiled the same way in
# build-fuzz/, then run each for a bounded time from a scratch copy of its seed
# corpus (tests/fuzz/corpus/TARGET: new inputs never land in the tree).
# Prints executions, exec/s and coverage per target; exits 1 when a target
# crashed, leaked, timed out or broke one of its checks, naming the input.
#
#   FUZZ_SECONDS  seconds per target (default 60)
#   FUZZ_TARGETS  targets to run, e.g. "yaml csv" (default: all)
#   FUZZ_JOBS     targets run at the same time (default 1)
#   FUZZ_KEEP     1: keep the scratch directory even when all went well
#   CLANG         the compiler (default clang)
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

seconds=${FUZZ_SECONDS:-60}
jobs=${FUZZ_JOBS:-1}
clang=${CLANG:-clang}
build=build-fuzz
san="-fsanitize=address,undefined -fno-sanitize-recover=all"
# -Wno-error: clang warns about things gcc does not; the gcc build is the lint.
libflags="-O1 -g -fno-omit-frame-pointer -fsanitize=fuzzer-no-link $san -Wno-error"
warn="-std=c11 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Wshadow \
-Wmissing-prototypes -Wstrict-prototypes -Wformat=2 -Werror"

case $seconds in
''|*[!0-9]*) echo "fuzz: FUZZ_SECONDS must be a number of seconds" >&2; exit 64 ;;
esac
case $jobs in
''|0|*[!0-9]*) echo "fuzz: FUZZ_JOBS must be a positive number" >&2; exit 64 ;;
esac

if ! command -v "$clang" >/dev/null 2>&1; then
	echo "fuzz: $clang not found; install it with:" \
	    "sudo apt-get install clang libclang-rt-dev" >&2
	exit 1
fi

if [ -z "${FUZZ_TARGETS:-}" ]; then
	FUZZ_TARGETS=$(for f in tests/fuzz/fuzz_*.c; do
		f=${f##*/fuzz_}
		echo "${f%.c}"
	done)
fi
for t in $FUZZ_TARGETS; do
	if [ ! -f "tests/fuzz/fuzz_$t.c" ]; then
		echo "fuzz: no target '$t' (tests/fuzz/fuzz_$t.c)" >&2
		exit 64
	fi
done

# The library as the Makefile builds it, with clang and the instrumentation.
# Objects built with other flags would link but not be instrumented.
mkdir -p "$build"
if [ "$(cat "$build/.flags" 2>/dev/null)" != "$clang $libflags" ]; then
	rm -rf "$build/src" "$build/libmentorctl.a"
	echo "$clang $libflags" > "$build/.flags"
fi
echo "fuzz: building the library in $build/ with $clang"
${MAKE:-make} --no-print-directory -s BUILD="$build" CC="$clang" \
    CFLAGS="$libflags" "$build/libmentorctl.a" "$build/src/io/mime.o"

libs=$(pkg-config --libs sqlite3 yaml-0.1 gmime-3.0 libsodium)
mkdir -p "$build/fuzz"
for t in $FUZZ_TARGETS; do
	# shellcheck disable=SC2086
	"$clang" $warn -Iinclude -I"$build/gen" -O1 -g \
	    -fno-omit-frame-pointer -fsanitize=fuzzer $san \
	    -o "$build/fuzz/fuzz_$t" "tests/fuzz/fuzz_$t.c" \
	    "$build/src/io/mime.o" "$build/libmentorctl.a" $libs -lm
done

scratch=$(mktemp -d "${TMPDIR:-/tmp}/mentorctl-fuzz.XXXXXX")
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"

run_one() { # target
	t=$1
	d="$scratch/$t"
	mkdir -p "$d/corpus" "$d/artifacts"
	if [ -d "tests/fuzz/corpus/$t" ]; then
		cp -pR "tests/fuzz/corpus/$t/." "$d/corpus/"
	fi
	set -- -max_total_time="$seconds" -print_final_stats=1 \
	    -timeout=10 -rss_limit_mb=2048 \
	    -artifact_prefix="$d/artifacts/"
	[ -f "tests/fuzz/dict/$t.dict" ] && set -- "$@" \
	    -dict="tests/fuzz/dict/$t.dict"
	rc=0
	TMPDIR="$d" "$build/fuzz/fuzz_$t" "$@" "$d/corpus" \
	    >"$d/log" 2>&1 || rc=$?
	echo "$rc" > "$d/rc"
}

echo "fuzz: running $(echo $FUZZ_TARGETS | wc -w) target(s) for ${seconds}s" \
    "each, $jobs at a time; scratch in $scratch"
n=0
for t in $FUZZ_TARGETS; do
	run_one "$t" &
	n=$((n + 1))
	if [ "$n" -ge "$jobs" ]; then
		wait
		n=0
	fi
done
wait

# libFuzzer's last status line ("#N DONE cov: C ft: F corp: U/S ...") and
# its final stats give the numbers.
stat() { # key log
	sed -n "s/^stat::$1: *//p" "$2" | tail -n 1
}

failed=0
printf '%-6s %12s %9s %7s %8s %7s  %s\n' target execs exec/s cov features \
    corpus result
for t in $FUZZ_TARGETS; do
	d="$scratch/$t"
	execs=$(stat number_of_executed_units "$d/log")
	rate=$(stat average_exec_per_sec "$d/log")
	last=$(grep -E '^#[0-9]+.*cov: ' "$d/log" | tail -n 1)
	cov=$(echo "$last" | sed -n 's/.* cov: \([0-9]*\).*/\1/p')
	ft=$(echo "$last" | sed -n 's/.* ft: \([0-9]*\).*/\1/p')
	corp=$(echo "$last" | sed -n 's/.* corp: \([0-9]*\).*/\1/p')
	found=$(ls "$d/artifacts" 2>/dev/null | grep -E \
	    '^(crash|leak|timeout|oom)-' || true)
	if [ "$(cat "$d/rc")" -eq 0 ] && [ -z "$found" ]; then
		result=ok
	else
		result=FAILED
		failed=1
	fi
	printf '%-6s %12s %9s %7s %8s %7s  %s\n' "$t" "${execs:--}" \
	    "${rate:--}" "${cov:--}" "${ft:--}" "${corp:--}" "$result"
done

for t in $FUZZ_TARGETS; do
	d="$scratch/$t"
	found=$(ls "$d/artifacts" 2>/dev/null | grep -E \
	    '^(crash|leak|timeout|oom)-' || true)
	[ "$(cat "$d/rc")" -eq 0 ] && [ -z "$found" ] && continue
	echo
	echo "fuzz: $t failed (exit $(cat "$d/rc")); log: $d/log"
	grep -E '^(fuzz: |==[0-9]+==ERROR|SUMMARY: |.*runtime error: )' \
	    "$d/log" | head -n 5 | sed 's/^/    /'
	for a in $found; do
		echo "    input: $d/artifacts/$a"
		echo "    reproduce: $build/fuzz/fuzz_$t $d/artifacts/$a"
		echo "    minimise:  $build/fuzz/fuzz_$t -minimize_crash=1" \
		    "-runs=100000 $d/artifacts/$a"
		echo "    then keep it as tests/fuzz/regress/$t/NAME for make check"
	done
done

if [ "$failed" -eq 0 ] && [ "${FUZZ_KEEP:-0}" != 1 ]; then
	rm -rf "$scratch"
else
	echo
	echo "fuzz: scratch kept in $scratch"
fi
exit "$failed"
