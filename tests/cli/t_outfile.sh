#!/bin/sh
# Output files (issue 18 items 4 and 12): report --out and schedule --ics
# write through to character devices and FIFOs (a null device stays a
# device, /dev/fd/1 is standard output), never follow or replace a symbolic link
# (73, the link and its target untouched, dangling or not), and replace a
# regular file atomically with a private one.  Past a file size limit
# (ulimit -f) every file we write (report --out, schedule --ics, export to a
# redirected stdout, the database itself) fails with 74 and one line naming
# it, instead of dying of SIGXFSZ.
. "$TOP/tests/cli/lib.sh"

mode() { stat -c %a "$1"; }
export MENTORCTL_TODAY=2027-01-11
expect 0 init
expect 0 program add "$DATA/programs/eng-2027.yaml"
expect 0 people import "$DATA/people.csv"
expect 0 training add --csv "$DATA/trainings.csv"
expect 0 enroll eng-2027 --csv "$DATA/enroll-eng-2027.csv"
expect 0 match eng-2027
expect 0 accept 1
expect 0 cycle start eng-2027

# --- character devices: written through, left devices.  As root, a device
# node of our own (1,3: the null device) stands in for /dev/null, so that a
# regression cannot replace the system's (unit/test_fileio opens /dev/null
# and /dev/stdout themselves and stops before anything could be renamed).
if mknod -m 666 "$T/null" c 1 3 2>/dev/null; then
	NULLDEV=$T/null
else
	NULLDEV=/dev/null # not root: nobody may replace it
fi
for out in "report eng-2027 --out" "schedule eng-2027 --ics"; do
	# shellcheck disable=SC2086
	expect 0 $out "$NULLDEV"
	check '[ -c "$NULLDEV" ] && [ "$(mode "$NULLDEV")" = 666 ]' "$out replaced the null device"
done
check '[ -z "$(ls -A "$T" | grep "null\.tmp")" ]' "a temporary file beside the device"
# standard output by name (/dev/fd/1: a regression cannot create files in /proc)
expect 0 report eng-2027 --format csv --out /dev/fd/1
out_has "section,metric,group,value"
expect 0 schedule eng-2027 --ics /dev/fd/1
out_has "BEGIN:VCALENDAR"

# --- a FIFO: its reader gets the output; it stays a FIFO
mkfifo "$T/fifo"
timeout 20 cat "$T/fifo" >"$T/from-fifo" &
reader=$!
expect 0 report eng-2027 --format csv --out "$T/fifo"
wait $reader
check '[ -p "$T/fifo" ]' "report --out replaced a FIFO"
check 'grep -q "section,metric" "$T/from-fifo"' "the FIFO's reader got no report"

# --- symbolic links: refused with 73, never followed, never replaced
echo "theirs" >"$T/target"
chmod 644 "$T/target"
ln -s "$T/target" "$T/link"
ln -s "$T/nowhere" "$T/dangling"
for out in "report eng-2027 --out" "schedule eng-2027 --ics"; do
	for l in link dangling; do
		# shellcheck disable=SC2086
		expect 73 $out "$T/$l"
		err_has "symbolic link"
		err_lines 1
		check '[ -L "$T/$l" ]' "$out replaced the symbolic link '$l'"
	done
done
check '[ "$(cat "$T/target")" = theirs ] && [ "$(mode "$T/target")" = 644 ]' \
	"a symbolic link's target was written"
check '[ ! -e "$T/nowhere" ]' "a dangling symbolic link was followed"
check '[ -z "$(ls -A "$T" | grep "\.tmp")" ]' "a temporary file was left: $(ls -A "$T" | grep "\.tmp")"

# --- a directory: 73
mkdir "$T/adir"
expect 73 report eng-2027 --out "$T/adir"
err_lines 1

# --- a regular file: replaced by a complete, private one
echo "old" >"$T/r.csv"
chmod 644 "$T/r.csv"
expect 0 report eng-2027 --format csv --out "$T/r.csv"
check 'grep -q "section,metric" "$T/r.csv"' "report --out did not replace a regular file"
check '[ "$(mode "$T/r.csv")" = 600 ]' "report --out left mode $(mode "$T/r.csv")"
expect 0 schedule eng-2027 --ics "$T/new.ics"
check '[ "$(mode "$T/new.ics")" = 600 ]' "schedule --ics made mode $(mode "$T/new.ics")"

# --- a file size limit: 74 and the file's name, not death by SIGXFSZ.  The
# database stays open in another process meanwhile, so that its -shm
# exists and a read needs to grow no file of the database's.
python3 - "$MENTORCTL_DB" "$T/held" <<'EOF' &
import os, sqlite3, sys, time
con = sqlite3.connect(sys.argv[1])
con.execute("SELECT count(*) FROM person").fetchall()
open(sys.argv[2], "w").close()
while os.path.exists(sys.argv[2]):
    time.sleep(0.05)
EOF
holder=$!
i=0
while [ ! -e "$T/held" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
# limited NAME FILE CMD...: run mentorctl under `ulimit -f 2` (1 KiB in
# dash, 2 KiB in bash), stdout to FILE
limited() {
	name=$1 file=$2
	shift 2
	(ulimit -f 2 && exec "$MENTORCTL" "$@") >"$file" 2>"$T/.err"
	RC=$?
	CHECKS=$((CHECKS + 1))
	[ $RC -eq 74 ] || fail "$name past ulimit -f exited $RC, expected 74: $(cat "$T/.err")"
}
mkdir "$T/lim"
limited "report --out" /dev/null report eng-2027 --format html --out "$T/lim/r.html"
err_has "$T/lim/r.html"
err_lines 1
limited "schedule --ics" /dev/null schedule eng-2027 --ics "$T/lim/s.ics"
err_has "$T/lim/s.ics"
err_lines 1
check '[ -z "$(ls -A "$T/lim")" ]' "output past ulimit -f left: $(ls -A "$T/lim")"
limited "export people >FILE" "$T/export.csv" export people
err_has "standard output"
err_lines 1
limited "export people --format json >FILE" "$T/export.json" export people --format json
err_has "standard output"
err_lines 1
rm -f "$T/held"
wait $holder

# The database itself: an import that makes it grow past the limit.
python3 "$TOP/bench/gen_people.py" 3000 5 >"$T/many.csv"
before=$(db_dump | cksum)
limited "people import" /dev/null people import "$T/many.csv"
err_has "$MENTORCTL_DB"
err_has "File too large"
err_lines 1
check '[ "$(db_dump | cksum)" = "$before" ]' "a failed import changed the database"
expect 0 people list

done_testing
