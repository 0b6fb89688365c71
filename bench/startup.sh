#!/bin/sh
# Start-up time of a command (target: under 10 ms): the median of 50 runs of
# `mentorctl --version` and of `mentorctl program list` on an empty database.
set -eu
work=$(mktemp -d "${TMPDIR:-/tmp}/mentorctl-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
export MENTORCTL_DB="$work/b.db"
"$MENTORCTL" init 2>/dev/null
python3 - "$MENTORCTL" <<'PY'
import statistics, subprocess, sys, time
bin = sys.argv[1]
for args in (["--version"], ["program", "list"]):
    times = []
    for _ in range(50):
        t = time.perf_counter()
        subprocess.run([bin] + args, stdout=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - t)
    print("startup %-14s median %.2f ms (target < 10 ms)" %
          (" ".join(args), statistics.median(times) * 1000))
PY
