#!/bin/sh
# init creates (0600, WAL), is idempotent, refuses a newer schema and a non-database.
. "$TOP/tests/cli/lib.sh"

expect 0 init
err_has "created database"
check '[ "$(stat -c %a "$MENTORCTL_DB")" = 600 ]' "database is not 0600"
check '[ "$(sqlite3 "$MENTORCTL_DB" "PRAGMA journal_mode")" = wal ]' "database is not in WAL mode"
check '[ "$(sqlite3 "$MENTORCTL_DB" "PRAGMA user_version")" -ge 1 ]' "user_version not set"
for t in person training program program_version enrollment cycle \
    pairing pairing_cycle reup checkin reminder feedback audit; do
	check "sqlite3 '$MENTORCTL_DB' \"SELECT 1 FROM sqlite_master WHERE type='table' AND name='$t'\" | grep -q 1" \
		"table $t missing"
done
# a person's free attributes: one JSON object, read row by row through a view
check "sqlite3 '$MENTORCTL_DB' \"SELECT 1 FROM sqlite_master WHERE type='view' AND name='person_attr'\" | grep -q 1" \
	"view person_attr missing"
check "sqlite3 '$MENTORCTL_DB' \"SELECT attrs FROM person LIMIT 0\"" "person.attrs missing"
check '[ "$(sqlite3 "$MENTORCTL_DB" "PRAGMA foreign_key_check" | wc -l)" -eq 0 ]' "foreign key problems"
expect 0 init
err_has "up to date"
# WAL and SHM files beside an open database are private too
expect 0 program list
for f in "$MENTORCTL_DB"-wal "$MENTORCTL_DB"-shm; do
	if [ -e "$f" ]; then
		check "[ \"\$(stat -c %a '$f')\" = 600 ]" "$f is not 0600"
	fi
done

# A database from a newer mentorctl is refused with 78, and left alone.
cp "$MENTORCTL_DB" "$T/newer.db"
sqlite3 "$T/newer.db" "PRAGMA user_version = 999"
expect 78 --db "$T/newer.db" program list
err_has "newer mentorctl"
err_lines 1
expect 78 --db "$T/newer.db" init
check '[ "$(sqlite3 "$T/newer.db" "PRAGMA user_version")" = 999 ]' "newer database was modified"

# An empty file is not made a database by a read: only init does that.
: >"$T/empty.db"
expect 66 --db "$T/empty.db" program list
err_has "is empty (run 'mentorctl init')"
check '[ ! -s "$T/empty.db" ]' "a read wrote a schema into an empty file"
# An older (version 0, empty) database is upgraded by init.
expect 0 --db "$T/empty.db" init
check '[ "$(sqlite3 "$T/empty.db" "PRAGMA user_version")" -ge 1 ]' "empty file was not initialised"

# Not a database: a clear error, exit 74, the file untouched.
printf 'hello, world\n' >"$T/text.db"
expect 74 --db "$T/text.db" program list
err_has "is not a mentorctl database"
check '[ "$(cat "$T/text.db")" = "hello, world" ]' "text file was modified"
mkdir "$T/dir.db"
expect 66 --db "$T/dir.db" init
err_has "is a directory"

# Cannot create: a path under a file.
expect 73 --db "$T/text.db/sub/x.db" init
err_lines 1

# backup: a standalone copy that passes integrity_check; never overwrites.
expect 0 backup "$T/copy.db"
check '[ "$(sqlite3 "$T/copy.db" "PRAGMA integrity_check")" = ok ]' "backup fails integrity_check"
check '[ "$(stat -c %a "$T/copy.db")" = 600 ]' "backup is not 0600"
expect 73 backup "$T/copy.db"
err_has "file exists"

done_testing
