#!/bin/sh
# backup (issue 18 items 3 and 12, issue 17 item 9): the requested name never
# holds a partial copy: 20 SIGKILLs at random moments leave no bad file and
# every retry works; a full disk and a file size limit fail with 74, naming
# the file, and leave nothing behind (no copy, no -journal, no temporary
# file); `backup -` writes the copy to standard output, never a file "-".
. "$TOP/tests/cli/lib.sh"

mode() { stat -c %a "$1"; }
# leftovers DIR NAME: what a backup to DIR/NAME left there
leftovers() { ls -A "$1" | grep -F "$2" || true; }

expect 0 init
expect 0 program add "$DATA/programs/eng-2027.yaml"
expect 0 people import "$DATA/people.csv"

# --- a plain backup: complete, standalone, private, ours
expect 0 backup "$T/copy.db"
err_has "backed up"
check '[ "$(sqlite3 "$T/copy.db" "PRAGMA integrity_check")" = ok ]' "backup integrity_check"
check '[ "$(sqlite3 "$T/copy.db" .dump)" = "$(db_dump)" ]' "the backup holds other data"
check '[ "$(sqlite3 "$T/copy.db" "PRAGMA journal_mode")" = delete ]' "the backup is not standalone"
check '[ "$(sqlite3 "$T/copy.db" "PRAGMA application_id")" = 1296979026 ]' \
	"the backup lacks mentorctl's application_id"
check '[ "$(mode "$T/copy.db")" = 600 ]' "backup mode $(mode "$T/copy.db")"
check '[ -z "$(ls -A "$T" | grep "^\.copy\.db\.")" ]' "a temporary file left beside the backup"
expect 73 backup "$T/copy.db"
err_has "file exists"
err_lines 1

# --- backup -: the copy on standard output, no file named "-"
mkdir "$T/cwd"
(cd "$T/cwd" && "$MENTORCTL" backup - >"$T/stdout.db" 2>"$T/.err")
RC=$?
CHECKS=$((CHECKS + 1))
[ $RC -eq 0 ] || fail "backup - exited $RC: $(cat "$T/.err")"
check '[ ! -e "$T/cwd/-" ]' "backup - made a file named '-'"
check '[ -z "$(ls -A "$T/cwd")" ]' "backup - left files in the working directory"
check '[ "$(sqlite3 "$T/stdout.db" "PRAGMA integrity_check")" = ok ]' "backup - integrity_check"
check '[ "$(sqlite3 "$T/stdout.db" .dump)" = "$(db_dump)" ]' "backup - holds other data"
err_has "to standard output"
# through a pipe, too
"$MENTORCTL" backup - 2>/dev/null | cat >"$T/piped.db"
check 'cmp -s "$T/piped.db" "$T/stdout.db"' "backup - through a pipe differs"
# and never to a terminal, when there is one to try
if command -v script >/dev/null 2>&1; then
	script -qec "\"$MENTORCTL\" backup -" /dev/null >"$T/tty.out" 2>&1
	check 'grep -q "terminal" "$T/tty.out"' "backup - to a terminal was not refused"
	check '! grep -q "SQLite format" "$T/tty.out"' "backup - wrote a database to a terminal"
fi

# --- a file size limit (ulimit -f): 74 naming the file, nothing left
mkdir "$T/lim"
(ulimit -f 64 && exec "$MENTORCTL" backup "$T/lim/big.db") >"$T/.out" 2>"$T/.err"
RC=$?
CHECKS=$((CHECKS + 1))
[ $RC -eq 74 ] || fail "backup past ulimit -f exited $RC, expected 74: $(cat "$T/.err")"
err_has "$T/lim/big.db"
err_lines 1
check '[ -z "$(ls -A "$T/lim")" ]' "backup past ulimit -f left: $(ls -A "$T/lim")"
expect 0 backup "$T/lim/big.db"

# --- a full disk (a 64 KiB tmpfs, when we may mount one): 74, nothing left
mkdir "$T/full"
if mount -t tmpfs -o size=64k tmpfs "$T/full" 2>/dev/null; then
	expect 74 backup "$T/full/copy.db"
	err_has "$T/full/copy.db"
	err_has "full"
	err_lines 1
	check '[ -z "$(ls -A "$T/full")" ]' "backup to a full disk left: $(ls -A "$T/full")"
	umount "$T/full"
else
	echo "# no tmpfs (not root?): the full-disk case is skipped"
fi

# --- SIGKILLs at random moments during a backup of 20,000 people
command -v python3 >/dev/null || { echo "python3 missing"; exit 1; }
python3 "$TOP/tests/cli/kill_files.py" backup "$T/kill" "${BACKUP_KILLS:-20}" \
	>"$T/kill.log" 2>&1
rc=$?
cat "$T/kill.log"
CHECKS=$((CHECKS + 1))
[ $rc -eq 0 ] || fail "kill_files.py backup exited $rc"
check 'grep -q "^backup: .* [0-9]* kills: 0 bad files" "$T/kill.log"' "a killed backup left a bad file"

done_testing
