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
def median_ms(argv):
    times = []
    for _ in range(100):
        t = time.perf_counter()
        subprocess.run(argv, stdout=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - t)
    return statistics.median(times) * 1000
# What spawning any program costs here, so the figures can be read against it.
base = median_ms(["/bin/true"])
print("startup %-14s median %.2f ms (process spawn alone)" % ("/bin/true", base))
for args in (["--version"], ["program", "list"]):
    m = median_ms([bin] + args)
    print("startup %-14s median %.2f ms (target < 10 ms; /bin/true took %.2f ms)" %
          (" ".join(args), m, base))
PY
