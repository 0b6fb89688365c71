# Shared helpers for the black-box CLI tests.  Each t_*.sh sources this file,
# runs the real binary ($MENTORCTL) in a fresh temporary directory with
# MENTORCTL_DB and MENTORCTL_TODAY set, and checks stdout, stderr and the exit
# status.  A failed expectation prints what differed and exits 1 at the end.
set -u

: "${MENTORCTL:?MENTORCTL must name the binary}"
: "${TOP:?TOP must name the source tree}"
T=$(mktemp -d "${TMPDIR:-/tmp}/mentorctl-cli.XXXXXX")
trap 'rm -rf "$T"' EXIT
cd "$T" || exit 1
export MENTORCTL_DB="$T/test.db"
export MENTORCTL_TODAY=2027-01-04
export HOME="$T" XDG_DATA_HOME="$T/xdg" USER=tester
unset MENTORCTL_SENDMAIL
DATA="$TOP/data"
# The shared datasets (read-only, outside the repository): beside the tree
# in the main checkout, two levels up from a worktree under wt/, or where
# $MENTORCTL_DATASETS says.
DATASETS=${MENTORCTL_DATASETS:-}
if [ -z "$DATASETS" ]; then
	for d in "$TOP/../shared/datasets" "$TOP/../../shared/datasets"; do
		if [ -d "$d" ]; then DATASETS=$d; break; fi
	done
fi
: "${DATASETS:=$TOP/../shared/datasets}"
FAILS=0
CHECKS=0

fail() {
	FAILS=$((FAILS + 1))
	printf 'not ok: %s\n' "$*"
}

# run CMD...: runs mentorctl, keeps $OUT, $ERR and $RC.
run() {
	"$MENTORCTL" "$@" >"$T/.out" 2>"$T/.err"
	RC=$?
	OUT=$(cat "$T/.out")
	ERR=$(cat "$T/.err")
}

# expect RC CMD...: runs mentorctl and checks its exit status.
expect() {
	want=$1
	shift
	run "$@"
	CHECKS=$((CHECKS + 1))
	if [ "$RC" -ne "$want" ]; then
		fail "mentorctl $* exited $RC, expected $want"
		printf '  stdout: %s\n  stderr: %s\n' "$(head -c 600 "$T/.out")" \
			"$(head -c 600 "$T/.err")"
	fi
}

# out_has TEXT / err_has TEXT: a fixed substring of the last stdout/stderr.
out_has() {
	CHECKS=$((CHECKS + 1))
	grep -qF -- "$1" "$T/.out" || {
		fail "stdout lacks '$1'"
		head -c 800 "$T/.out" | sed 's/^/  | /'
	}
}
err_has() {
	CHECKS=$((CHECKS + 1))
	grep -qF -- "$1" "$T/.err" || {
		fail "stderr lacks '$1'"
		head -c 800 "$T/.err" | sed 's/^/  | /'
	}
}
out_lacks() {
	CHECKS=$((CHECKS + 1))
	if grep -qF -- "$1" "$T/.out"; then fail "stdout has '$1'"; fi
}
err_lacks() {
	CHECKS=$((CHECKS + 1))
	if grep -qF -- "$1" "$T/.err"; then fail "stderr has '$1'"; fi
}
# out_is TEXT: stdout equals TEXT exactly (trailing newlines ignored).
out_is() {
	CHECKS=$((CHECKS + 1))
	[ "$OUT" = "$1" ] || {
		fail "stdout differs"
		printf '  want: %s\n  got:  %s\n' "$1" "$OUT"
	}
}
# err_lines N: stderr has exactly N lines (errors are one line each).
err_lines() {
	CHECKS=$((CHECKS + 1))
	n=$(wc -l <"$T/.err")
	[ "$n" -eq "$1" ] || {
		fail "stderr has $n lines, expected $1"
		head -c 800 "$T/.err" | sed 's/^/  | /'
	}
}
# check COND DESCRIPTION: a shell test.
check() {
	CHECKS=$((CHECKS + 1))
	if ! eval "$1"; then fail "$2"; fi
}

# A fingerprint of every table's contents, to prove a failed command changed nothing.
db_dump() {
	sqlite3 "$MENTORCTL_DB" .dump
}

done_testing() {
	printf '%d checks, %d failed\n' "$CHECKS" "$FAILS"
	[ "$FAILS" -eq 0 ]
}
