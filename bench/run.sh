#!/bin/sh
# `make bench`: every benchmark script bench/*.sh, each printing its figures.
set -eu
build=$(cd "${1:-build}" && pwd)
top=$(cd "$(dirname "$0")/.." && pwd)
export MENTORCTL="$build/mentorctl" BUILD="$build" TOP="$top"
status=0
for b in "$top"/bench/*.sh; do
	[ "$(basename "$b")" = run.sh ] && continue
	echo "== $(basename "$b" .sh)"
	sh "$b" || status=1
done
exit $status
