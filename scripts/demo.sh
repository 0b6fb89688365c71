#!/bin/sh
# `make demo`: a tour of mentorctl on the sample data in data/, in a
# temporary database, printing each command before its output.
set -eu
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
top=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/mentorctl-demo.XXXXXX")
trap 'rm -rf "$work"' EXIT
export MENTORCTL_DB="$work/demo.db"
export MENTORCTL_TODAY=2027-01-04
cd "$top"

step() {
	printf '\n$ mentorctl %s\n' "$*"
	"$bin" "$@"
}

echo "mentorctl demo: database $MENTORCTL_DB, today $MENTORCTL_TODAY"
step init
for f in data/programs/*.yaml; do
	step program check "$f"
done
for f in data/programs/*.yaml; do
	step program add "$f"
done
step program list
step program show eng-2027

if [ -f scripts/demo-more.sh ]; then
	. scripts/demo-more.sh
fi
echo
echo "demo finished: everything above ran against $MENTORCTL_DB"
