#!/bin/sh
# Reproducible runs (issue 17, item 9): with --today and SOURCE_DATE_EPOCH,
# the calendar's DTSTAMP and the mails' Date: are the epoch's time, and two
# runs on the same database give the same bytes: the calendar, every mail
# through a real mail program, and the database afterwards (stored
# timestamps, the reminder log).  Not the claim's owner (reminder.claimed_by):
# it is the run's process id, which keeps a late outcome of one run from
# overwriting a later run's claim, so it is a process's identity, not a
# clock, and differs from run to run by design.
. "$TOP/tests/cli/lib.sh"
. "$TOP/tests/cli/remind_lib.sh"

# dump DB: every table's rows, sorted, less the claims' owners.
dump() {
	python3 - "$1" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'"
                          " ORDER BY name"):
    cols = [c[1] for c in db.execute("PRAGMA table_info(\"%s\")" % name)
            if c[1] != "claimed_by"]
    q = "SELECT %s FROM \"%s\"" % (", ".join('"%s"' % c for c in cols), name)
    for row in sorted(repr(r) for r in db.execute(q)):
        print(name, row)
PY
}

DAY=2027-01-11
fixture_pairs 2 $DAY
# The epoch on the run's day: the mails' Date is the epoch's time of day on
# the --today day (mentorctl(1)), so here it is the epoch itself.
EPOCH=$(date -u -d "$DAY 09:30:15" +%s)
STAMP=20270111T093015Z
DATE="Mon, 11 Jan 2027 09:30:15 +0000"

# ---- schedule --ics: DTSTAMP is the epoch, the same bytes twice ----
export SOURCE_DATE_EPOCH="$EPOCH"
expect 0 --today $DAY schedule eng-2027 --ics "$T/a.ics"
expect 0 --today $DAY schedule eng-2027 --ics "$T/b.ics"
expect 0 --today $DAY schedule eng-2027 --ics -
cp "$T/.out" "$T/c.ics"
n=$(grep -c '^DTSTAMP' "$T/a.ics")
check '[ "$n" -gt 0 ]' "the calendar has no DTSTAMP"
check '[ "$(grep -c "^DTSTAMP:$STAMP"'"$(printf '\r')"'\$ "$T/a.ics")" -eq "$n" ]' \
	"DTSTAMP is not SOURCE_DATE_EPOCH's $STAMP: $(grep -m1 '^DTSTAMP' "$T/a.ics")"
check 'cmp -s "$T/a.ics" "$T/b.ics"' "two calendars with SOURCE_DATE_EPOCH differ"
check 'cmp -s "$T/a.ics" "$T/c.ics"' "the calendar on stdout differs from the file"
# Not a coincidence: another epoch, another DTSTAMP.
SOURCE_DATE_EPOCH=$((EPOCH + 60)) \
	expect 0 --today $DAY schedule eng-2027 --ics "$T/d.ics"
check 'grep -q "^DTSTAMP:20270111T093115Z" "$T/d.ics"' \
	"DTSTAMP does not follow SOURCE_DATE_EPOCH: $(grep -m1 '^DTSTAMP' "$T/d.ics")"

# ---- remind: two runs on copies of one database, through a mail program ----
expect 0 --today $DAY backup "$T/copy.db"
capture_program "$T/capture"
for run in 1 2; do
	db="$MENTORCTL_DB"
	[ $run = 2 ] && db="$T/copy.db"
	MAILDIR="$T/mail$run"
	export MAILDIR
	mkdir -p "$MAILDIR"
	MENTORCTL_DB="$db" expect 0 --today $DAY remind --sendmail "$T/capture"
	# the messages in the order sent, each whole
	cat "$MAILDIR/.log" >"$T/order$run"
	for f in "$MAILDIR"/msg.*; do
		[ -f "$f" ] && sha256sum <"$f"
	done | sort >"$T/sums$run"
	dump "$db" >"$T/dump$run"
done
n=$(ls "$T/mail1" | wc -l)
check '[ "$n" -gt 0 ]' "remind sent no mail"
check '[ "$(cat "$T/mail1"/msg.* | grep -c "^Date: $DATE\$")" -eq "$n" ]' \
	"a Date is not SOURCE_DATE_EPOCH's: $(cat "$T/mail1"/msg.* | grep '^Date:' | sort | uniq -c)"
check 'cmp -s "$T/order1" "$T/order2"' "the two runs sent in another order"
check 'cmp -s "$T/sums1" "$T/sums2"' "the two runs' mails differ: $(cat "$T"/mail1/msg.* | sort >"$T/l1"; cat "$T"/mail2/msg.* | sort >"$T/l2"; diff "$T/l1" "$T/l2" | head -6)"
check 'grep -q "^reminder .*'"'2027-01-11T09:30:15Z'"'" "$T/dump1"' \
	"the reminder log's timestamps are not SOURCE_DATE_EPOCH's"
check 'cmp -s "$T/dump1" "$T/dump2"' "the databases differ after the two runs: $(diff "$T/dump1" "$T/dump2" | head -6)"

done_testing
