#!/bin/sh
# A long randomized comparison with LEMON (issue 15): build/bench/lemon_check
# solves SOLVER_CHECK_COUNT (default 3000) random instances of every score
# family, small and medium, with every option of the solver (objectives,
# mentee capacities, min_first, spread, even, classes) and rotation plans,
# and fails at the first instance whose optimum differs from LEMON's.
set -eu
: "${TOP:=$(cd "$(dirname "$0")/.." && pwd)}"
BUILD=${BUILD:-$TOP/build}
"$BUILD/bench/lemon_check" "${SOLVER_CHECK_COUNT:-3000}" "${SOLVER_CHECK_SEED:-1}"
