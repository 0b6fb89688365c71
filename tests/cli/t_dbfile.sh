#!/bin/sh
# The database file itself (issue 18 items 7 and 8, issue 17 item 9, issue 12
# item 15): mentorctl's application_id ("MNTR") at creation and on the first
# write to a database of the previous release; another application's SQLite
# database refused with 65 and left untouched; every open makes a group- or
# world-readable file of ours 0600 and switches a rollback-journal database
# to WAL (an empty 0644 file included); --db naming a directory is 66 for
# every command; 20 inits killed at random moments all end, after another
# init, in a private WAL database that takes writes.
. "$TOP/tests/cli/lib.sh"

APP_ID=1296979026 # 0x4D4E5452, "MNTR"
mode() { stat -c %a "$1"; }
q() { sqlite3 "$1" "$2"; }
tables() { q "$1" "SELECT group_concat(name, ' ') FROM (SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name)"; }

# --- creation sets the application_id
expect 0 init
check '[ "$(q "$MENTORCTL_DB" "PRAGMA application_id")" = $APP_ID ]' \
	"a new database lacks the application_id"
expect 0 program add "$DATA/programs/eng-2027.yaml"
expect 0 people import "$DATA/people.csv"
cp "$MENTORCTL_DB" "$T/good.db"

# --- an empty 0644 file: init makes it private, WAL, ours
: >"$T/empty.db"
chmod 644 "$T/empty.db"
expect 66 --db "$T/empty.db" program list
check '[ ! -s "$T/empty.db" ]' "a read wrote into an empty file"
expect 0 --db "$T/empty.db" init
check '[ "$(mode "$T/empty.db")" = 600 ]' "init left an empty 0644 file $(mode "$T/empty.db")"
check '[ "$(q "$T/empty.db" "PRAGMA journal_mode")" = wal ]' "init left an empty file without WAL"
check '[ "$(q "$T/empty.db" "PRAGMA application_id")" = $APP_ID ]' "init left an empty file without the id"

# --- an existing 0644 database (and its -wal, -shm): private on any open
cp "$T/good.db" "$T/open.db"
chmod 644 "$T/open.db"
expect 0 --db "$T/open.db" program list
check '[ "$(mode "$T/open.db")" = 600 ]' "a read left a 0644 database $(mode "$T/open.db")"
cp "$T/good.db" "$T/side.db"
chmod 640 "$T/side.db"
python3 - "$T/side.db" "$MENTORCTL" <<'EOF'
# a -wal and -shm made 0640 by a process that holds the database open
import os, sqlite3, subprocess, sys
db, bin_ = sys.argv[1], sys.argv[2]
con = sqlite3.connect(db)
con.execute("SELECT count(*) FROM person").fetchall()
for s in ("-wal", "-shm"):
    os.chmod(db + s, 0o640)
r = subprocess.run([bin_, "--db", db, "program", "list"],
                   stdout=subprocess.DEVNULL)
modes = [oct(os.stat(db + s).st_mode & 0o777) for s in ("", "-wal", "-shm")]
con.close()
sys.exit(0 if r.returncode == 0 and modes == ["0o600"] * 3 else
         print("exit %d, modes %s" % (r.returncode, modes)) or 1)
EOF
check '[ $? -eq 0 ]' "the -wal and -shm of a 0640 database were not made private"
# someone else's: left alone, with a warning (init prints it)
cp "$T/good.db" "$T/theirs.db"
chmod 644 "$T/theirs.db"
if chown nobody "$T/theirs.db" 2>/dev/null && [ "$(id -u)" -eq 0 ]; then
	expect 0 --db "$T/theirs.db" init
	err_has "readable by others"
	check '[ "$(mode "$T/theirs.db")" = 644 ]' "another user's file was changed"
fi

# --- a rollback-journal database of ours switches to WAL on open
cp "$T/good.db" "$T/delete.db"
q "$T/delete.db" "PRAGMA journal_mode = DELETE" >/dev/null
expect 0 --db "$T/delete.db" people list
check '[ "$(q "$T/delete.db" "PRAGMA journal_mode")" = wal ]' "a read left the rollback journal"

# --- another application's SQLite databases: 65, one line, untouched
q "$T/foreign.db" "CREATE TABLE foo (x); INSERT INTO foo VALUES (1)"
chmod 644 "$T/foreign.db"
sum=$(cksum <"$T/foreign.db")
for args in "init" "program list" "people import $DATA/people.csv" "backup $T/f.copy"; do
	# shellcheck disable=SC2086
	expect 65 --db "$T/foreign.db" $args
	err_has "another application's SQLite database"
	err_lines 1
done
check '[ "$(tables "$T/foreign.db")" = foo ]' "init added tables to a foreign database: $(tables "$T/foreign.db")"
check '[ "$(cksum <"$T/foreign.db")" = "$sum" ]' "a foreign database was modified"
check '[ "$(mode "$T/foreign.db")" = 644 ]' "a foreign database's mode was changed"
check '[ ! -e "$T/f.copy" ]' "a foreign database was backed up"
# its own application_id, even with tables named like ours
q "$T/other-id.db" "PRAGMA application_id = 42; CREATE TABLE person (x); CREATE TABLE program (x)"
expect 65 --db "$T/other-id.db" init
err_has "application_id 0x2a"
check '[ "$(tables "$T/other-id.db")" = "person program" ]' "init added tables to another application's database"
# a user_version of its own (no id) is not "a newer mentorctl" (78)
q "$T/versioned.db" "PRAGMA user_version = 7; CREATE TABLE t (x)"
expect 65 --db "$T/versioned.db" program list
expect 65 --db "$T/versioned.db" init
check '[ "$(tables "$T/versioned.db")" = t ]' "init added tables to a versioned foreign database"
# a name clash with our tables is no internal error
q "$T/clash.db" "CREATE TABLE person (id INTEGER PRIMARY KEY, email TEXT)"
expect 65 --db "$T/clash.db" init

# --- a database of a newer mentorctl (78) is left exactly as it was: no
# WAL switch, no new mode
cp "$T/good.db" "$T/newer.db"
q "$T/newer.db" "PRAGMA journal_mode = DELETE; PRAGMA user_version = 99" >/dev/null
chmod 644 "$T/newer.db"
sum=$(cksum <"$T/newer.db")
expect 78 --db "$T/newer.db" program list
expect 78 --db "$T/newer.db" init
check '[ "$(cksum <"$T/newer.db")" = "$sum" ] && [ "$(mode "$T/newer.db")" = 644 ]' \
	"a newer database was modified"

# --- a database of the previous release (no id): stamped by a write, not a read
cp "$T/good.db" "$T/legacy.db"
q "$T/legacy.db" "PRAGMA application_id = 0"
expect 0 --db "$T/legacy.db" program list
out_has "eng-2027"
check '[ "$(q "$T/legacy.db" "PRAGMA application_id")" = 0 ]' "a read stamped the database"
expect 0 --db "$T/legacy.db" training add isolberg@fjordline.example mentor-basics --on 2026-12-01
check '[ "$(q "$T/legacy.db" "PRAGMA application_id")" = $APP_ID ]' "a write did not stamp a legacy database"
cp "$T/good.db" "$T/legacy2.db"
q "$T/legacy2.db" "PRAGMA application_id = 0"
expect 0 --db "$T/legacy2.db" init
err_has "up to date"
check '[ "$(q "$T/legacy2.db" "PRAGMA application_id")" = $APP_ID ]' "init did not stamp a legacy database"
# a failed write stamps nothing either: all or nothing
cp "$T/good.db" "$T/legacy3.db"
q "$T/legacy3.db" "PRAGMA application_id = 0"
expect 65 --db "$T/legacy3.db" training add nobody@example.org mentor-basics
check '[ "$(q "$T/legacy3.db" "PRAGMA application_id")" = 0 ]' "a failed write stamped the database"

# --- --db naming a directory: 66 for every command that opens the database
mkdir "$T/dir.db"
while IFS= read -r args; do
	# shellcheck disable=SC2086
	eval "set -- $args"
	expect 66 --db "$T/dir.db" "$@"
	err_has "is a directory"
	err_lines 1
done <<EOF
init
accept 1
backup $T/dir-copy.db
checkin 1 --on 2027-01-05
cycle close eng-2027
cycle list eng-2027
cycle start eng-2027
decline 1
diagnose eng-2027
end 1 --reason moved
enroll eng-2027 isolberg@fjordline.example --role mentee
export people
feedback 1 --by isolberg@fjordline.example --rating 4
match eng-2027
pair eng-2027 isolberg@fjordline.example mfeld@fjordline.example
pairings eng-2027
people import $DATA/people.csv
people list
people show isolberg@fjordline.example
program add $DATA/programs/eng-2027.yaml
program list
program show eng-2027
program update $DATA/programs/eng-2027.yaml
remind --dry-run
report eng-2027
reup 1 --by isolberg@fjordline.example yes
schedule eng-2027
scores eng-2027
suggest eng-2027 isolberg@fjordline.example
training add isolberg@fjordline.example mentor-basics
withdraw eng-2027 isolberg@fjordline.example
EOF
check '[ -z "$(ls -A "$T/dir.db")" ]' "a command wrote into the directory"

# --- 20 inits killed at random moments
command -v python3 >/dev/null || { echo "python3 missing"; exit 1; }
python3 "$TOP/tests/cli/kill_files.py" init "$T/kill" "${INIT_KILLS:-20}" \
	>"$T/kill.log" 2>&1
rc=$?
cat "$T/kill.log"
CHECKS=$((CHECKS + 1))
[ $rc -eq 0 ] || fail "kill_files.py init exited $rc"
check 'grep -q "^init: .* 0 without WAL after init" "$T/kill.log"' "a killed init ended without WAL"

done_testing
