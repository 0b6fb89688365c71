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
unset MENTORCTL_SENDMAIL MENTORCTL_SMTP
DATA="$TOP/data"
# Real datasets (tests/datasets/README.md), or where $MENTORCTL_DATASETS says.
DATASETS=${MENTORCTL_DATASETS:-$TOP/tests/datasets}
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

# Fixtures through the CLI (never raw SQL).
# propose PROGRAM MENTOR MENTEE [DAY]: a manual proposal made on DAY
# (default: $MENTORCTL_TODAY), forced past the scoring rules; its id in $PAIR.
propose() {
	"$MENTORCTL" --today "${4:-$MENTORCTL_TODAY}" --format csv pair "$1" \
		"$2" "$3" --force >"$T/.fx" 2>"$T/.fx.err" || {
		fail "fixture: pair $1 $2 $3: $(cat "$T/.fx.err")"
		return 1
	}
	PAIR=$(sed -n 2p "$T/.fx" | cut -d, -f4 | tr -d '\r')
}
# activate PROGRAM MENTOR MENTEE [PROPOSED_ON [ACCEPTED_ON]]: proposed and
# accepted for everyone consent needs, so active from ACCEPTED_ON (default:
# PROPOSED_ON); its id in $PAIR.
activate() {
	propose "$1" "$2" "$3" "${4:-}" || return 1
	"$MENTORCTL" --today "${5:-${4:-$MENTORCTL_TODAY}}" accept "$PAIR" \
		>/dev/null 2>"$T/.fx.err" || {
		fail "fixture: accept $PAIR: $(cat "$T/.fx.err")"
		return 1
	}
}

# ---- fixtures through the CLI (never raw SQL) ----

# q SQL: one read-only query, for assertions on what commands stored.
q() { sqlite3 "$MENTORCTL_DB" "$1"; }

# setup_ok CMD...: a fixture step; when it fails, the test fails loudly
# (on stderr, so that a helper whose output is captured still shows it).
setup_ok() {
	if ! "$MENTORCTL" "$@" >"$T/.setup.out" 2>"$T/.setup.err"; then
		fail "setup: mentorctl $* failed" >&2
		sed 's/^/  | /' "$T/.setup.err" >&2
		return 1
	fi
}

# sample_programme [SLUG]: a database with the sample people (data/people.csv),
# programme SLUG (eng-2027) from data/programs, its sample enrollment file
# and the sample trainings, as of $MENTORCTL_TODAY.
sample_programme() {
	_slug=${1:-eng-2027}
	setup_ok init
	setup_ok program add "$DATA/programs/$_slug.yaml"
	setup_ok people import "$DATA/people.csv"
	setup_ok enroll "$_slug" --csv "$DATA/enroll-$_slug.csv"
	if [ "$_slug" = eng-2027 ]; then
		setup_ok training add --csv "$DATA/trainings.csv"
	else
		setup_ok training add --csv "$DATA/trainings-formats.csv"
	fi
}

# people_csv: people import of the CSV text on stdin (header first).
people_csv() {
	cat >"$T/.people.csv"
	setup_ok people import "$T/.people.csv"
}

# pairing_of PROGRAM MENTOR MENTEE [--force]: a proposal made with `pair`;
# prints its id.
pairing_of() {
	_p=$1 _m=$2 _e=$3
	shift 3
	setup_ok --format csv pair "$_p" "$_m" "$_e" "$@" &&
		tr -d '\r' <"$T/.setup.out" | awk -F, 'NR == 2 { print $4 }'
}

# active_pairing PROGRAM MENTOR MENTEE [--force]: a pairing proposed and
# accepted (by the coordinator, for both sides); prints its id.
active_pairing() {
	_id=$(pairing_of "$@") || return 1
	setup_ok accept "$_id" && printf '%s\n' "$_id"
}
