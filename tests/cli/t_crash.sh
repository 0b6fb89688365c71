#!/bin/sh
# Crash safety: `people import`, `enroll --csv` and `match` killed with
# SIGKILL at random moments (32 kills each, delays spread over the
# command's measured run time) leave a database that passes integrity_check
# and holds all or none of the command's changes; a killed database takes
# the command again.  The work is in crash.py; it prints the counts.
. "$TOP/tests/cli/lib.sh"

command -v python3 >/dev/null || { echo "python3 missing"; exit 1; }
python3 "$TOP/tests/cli/crash.py" "$T/crash" "${CRASH_KILLS:-32}" >"$T/crash.log" 2>&1
rc=$?
cat "$T/crash.log"
CHECKS=$((CHECKS + 1))
[ $rc -eq 0 ] || fail "crash.py exited $rc"
for c in "people import" "enroll --csv" "match"; do
	check 'grep -q "^$c .* [0-9][0-9]* kills" "$T/crash.log"' "no counts for $c"
done
check '! grep -q "^not ok" "$T/crash.log"' "crash.py found failures"
check '! grep -q "runtime error\|AddressSanitizer\|LeakSanitizer" "$T/crash.log"' \
	"a sanitizer report"

done_testing
