#!/bin/sh
# Security: private files (0600 database, -wal, -shm, backups and reports,
# 0700 directory) whatever the umask; hostile values (SQL, quotes, CR/LF,
# formulas, HTML) stored and given back as they are, never run: the schema
# survives, mail gets no injected header, CSV cells cannot become formulas,
# HTML escapes them; `backup` is a consistent private copy, refuses to
# overwrite, and works while others read or write.
. "$TOP/tests/cli/lib.sh"

umask 022
export MENTORCTL_TODAY=2027-01-11
q() { sqlite3 "$MENTORCTL_DB" "$1"; }
mode() { stat -c %a "$1"; }

# --- Private files, even under umask 022
expect 0 init
check '[ "$(mode "$MENTORCTL_DB")" = 600 ]' "database mode $(mode "$MENTORCTL_DB"), not 600"
MENTORCTL_DB='' "$MENTORCTL" init 2>/dev/null
check '[ -f "$XDG_DATA_HOME/mentorctl/mentorctl.db" ]' "no database at the XDG default"
check '[ "$(mode "$XDG_DATA_HOME/mentorctl")" = 700 ]' \
	"default directory mode $(mode "$XDG_DATA_HOME/mentorctl"), not 700"
check '[ "$(mode "$XDG_DATA_HOME/mentorctl/mentorctl.db")" = 600 ]' \
	"default database mode $(mode "$XDG_DATA_HOME/mentorctl/mentorctl.db"), not 600"
schema=$(sqlite3 "$MENTORCTL_DB" .schema)

# --- Hostile values everywhere a coordinator's data goes
SQL1="Robert'); DROP TABLE person;--"
SQL2='x" OR 1=1 --'
printf '%s\r\n' \
	"email,name,department,title,skills,$SQL1" \
	'ann@example.org,"Ann' \
	'Bcc: evil@example.org",Engineering,Engineer,go,a' \
	"bob@example.org,\"$SQL1\",\"x\"\" OR 1=1 --\",Analyst,\"=cmd|' /C calc'!A0\",b" \
	'cat@example.org,"=HYPERLINK(""http://evil.example/"")",+1+1,-2+3,@SUM(A1),c' \
	'dan@example.org,"Dan' \
	'Cc: evil2@example.org",Engineering,Lead,rust,d' \
	'eve@example.org,"Zoë, <evil3@example.org> ""q"" Ünï\",Sales,Rep,sql,e' \
	>"$T/people.csv"
expect 0 people import "$T/people.csv"
err_has "imported 5 people"

cat >"$T/hostile.yaml" <<'EOF'
slug: hostile
name: "Robert'); DROP TABLE person;-- <script>alert(1)</script>"
purpose: engagement
format: one-to-one
owner: x" OR 1=1 --
contact: coord@example.org
sponsor: "=HYPERLINK(\"http://evil.example/\")"
goals:
  - id: match-rate
    statement: "<script>alert('goal')</script> x\" OR 1=1 --"
    metric: match_rate
    target: 0.9
    due: 2027-12-01
roles:
  mentor:
    capacity: 3
cycle:
  start: 2027-01-11
  length: 6 months
  reup: { opens: 21 days before end, closes: 7 days before end, default: exit }
checkins:
  every: 1 week
  remind: 2 days before
  overdue_after: 2 days
  stalled_after: 2 missed
  prompts:
    - "=1+1 Robert'); DROP TABLE checkin;--"
    - "@SUM(1) <script>x</script>"
matching:
  consent: none
  objective: coverage
  min_score: 0
  criteria:
    - { attribute: department, compare: different, weight: 1 }
EOF
expect 0 program add "$T/hostile.yaml"
expect 0 program show hostile --yaml
check '[ "$OUT" = "$(cat "$T/hostile.yaml")" ]' "the stored YAML differs from the file"
# A line break in a programme name would reach the mail headers: refused.
sed 's/^name: .*/name: "Eng\\r\\nBcc: evil@example.org"/' "$T/hostile.yaml" >"$T/crlf.yaml"
expect 65 program check "$T/crlf.yaml"
err_lines 1

printf '%s\n' "email,role,goal" \
	"ann@example.org,mentor,\"$SQL1\"" \
	"dan@example.org,mentor,-x" \
	"bob@example.org,mentee,=2+2" \
	'cat@example.org,mentee,"x"" OR 1=1 --"' \
	"eve@example.org,mentee,@goal" >"$T/enroll.csv"
expect 0 enroll hostile --csv "$T/enroll.csv"
expect 0 match hostile
expect 0 cycle start hostile
check '[ "$(q "SELECT count(*) FROM pairing WHERE status = '"'active'"'")" -eq 3 ]' \
	"fixture: not 3 active pairings"
pid() { q "SELECT p.id FROM pairing p JOIN enrollment e ON e.id = p.mentee_enrollment_id
	JOIN person pe ON pe.id = e.person_id WHERE pe.email = '$1'"; }
P1=$(pid bob@example.org) P2=$(pid cat@example.org) P3=$(pid eve@example.org)
TAB=$(printf '\t')
CR=$(printf '\r')
expect 0 checkin "$P1" --on 2027-01-11 --topic "$SQL1" --notes "$SQL2"
expect 0 checkin "$P2" --on 2027-01-11 --topic "$TAB=cmd" --notes "=HYPERLINK(1)"
expect 0 checkin "$P3" --on 2027-01-11 --topic "${CR}CR+1" --notes "-1+1"
expect 0 feedback "$P1" --by bob@example.org --rating 5 --comment "+SUM(1) Robert'); DROP TABLE feedback;--"
expect 0 feedback "$P2" --by cat@example.org --rating 4 --comment "$CR=evil"
expect 0 feedback "$P1" --by ann@example.org --rating 3 --comment "<script>alert(2)</script>"
expect 0 feedback "$P3" --by eve@example.org --rating 4 --comment "$SQL2"
expect 0 feedback --program hostile --by dan@example.org --rating 3 --comment "@x"

# --- Mail: reminders to the people with CR/LF, quotes, commas and <addr> in
# their names, from a programme named with SQL and HTML.  The capturing mail
# program also looks at the -wal and -shm that remind has open meanwhile.
mkdir -p "$T/mail"
cat >"$T/capture" <<EOF
#!/bin/sh
f=\$(mktemp "$T/mail/msg.XXXXXX") || exit 75
cat >"\$f"
stat -c '%a %n' "$MENTORCTL_DB-wal" "$MENTORCTL_DB-shm" >>"$T/modes" 2>&1
EOF
chmod +x "$T/capture"
expect 0 --today 2027-01-16 remind --sendmail "$T/capture"
# six check-in reminders, and the six "you are matched" mails of pairings
# that turned active this week (each once)
check '[ "$(ls "$T/mail" | wc -l)" -eq 12 ]' "$(ls "$T/mail" | wc -l) messages, expected 12"
check '[ -s "$T/modes" ] && ! grep -qv "^600 " "$T/modes"' \
	"-wal/-shm not 0600 while remind ran: $(sort -u "$T/modes")"
python3 - "$T/mail" <<'EOF' >"$T/mail.check" 2>&1
import email, email.policy, os, re, sys
d = sys.argv[1]
people = {"ann@example.org", "bob@example.org", "cat@example.org",
          "dan@example.org", "eve@example.org"}
name = "Robert'); DROP TABLE person;-- <script>alert(1)</script>"
bad = 0
def no(msg, f):
    global bad
    bad += 1
    print("%s: %s" % (f, msg))
for f in sorted(os.listdir(d)):
    raw = open(os.path.join(d, f), "rb").read()
    head = raw.split(b"\n\n", 1)[0]
    if b"\r" in head.replace(b"\r\n", b"\n"):
        no("a bare CR in the header", f)
    try:
        head.decode("ascii")
    except UnicodeDecodeError:
        no("8-bit bytes in the header (RFC 2047 expected)", f)
    names = []
    for line in head.replace(b"\r\n", b"\n").split(b"\n"):
        if line[:1] in (b" ", b"\t"):
            continue
        m = re.match(rb"([A-Za-z][A-Za-z0-9-]*):( |$)", line)
        if not m:
            no("not a header line: %r" % line, f)
            continue
        names.append(m.group(1).decode().lower())
    for h in ("from", "to", "subject", "message-id", "date"):
        if names.count(h) != 1:
            no("%d %s headers" % (names.count(h), h), f)
    for h in ("bcc", "cc", "reply-to", "sender"):
        if h in names:
            no("an injected %s header" % h, f)
    if b"evil" in b"".join(l for l in head.split(b"\n")
                           if not l.lower().startswith((b"to:", b" ", b"\t", b"subject:"))):
        no("'evil' outside To and Subject", f)
    m = email.message_from_bytes(raw, policy=email.policy.default)
    to = m["To"].addresses
    if len(to) != 1 or to[0].addr_spec not in people:
        no("To is %r" % [a.addr_spec for a in to], f)
    fr = m["From"].addresses
    if len(fr) != 1 or fr[0].addr_spec != "coord@example.org":
        no("From is %r" % [a.addr_spec for a in fr], f)
    subj = str(m["Subject"])
    if "\r" in subj or "\n" in subj or not subj.startswith(name):
        no("Subject is %r" % subj, f)
print("%d problems" % bad)
sys.exit(1 if bad else 0)
EOF
check '[ $? -eq 0 ]' "mail headers: $(cat "$T/mail.check")"

expect 0 --today 2027-01-21 end "$P3" --reason "=1+END()"

# --- The values come back exactly as given (JSON), the schema is intact.
for k in people enrollments pairings reminders; do
	"$MENTORCTL" export "$k" --format json >"$T/$k.json" 2>>"$T/export.err"
done
for k in checkins feedback; do
	"$MENTORCTL" export "$k" --format json --include-notes >"$T/$k.json" 2>>"$T/export.err"
done
"$MENTORCTL" program show hostile --format json >"$T/program.json" 2>>"$T/export.err"
python3 - "$T" <<'EOF' >"$T/json.check" 2>&1
import json, sys
t = sys.argv[1]
def load(k):
    return json.load(open("%s/%s.json" % (t, k), encoding="utf-8"))
SQL1 = "Robert'); DROP TABLE person;--"
SQL2 = 'x" OR 1=1 --'
want = {
    ("people", "ann@example.org", "name"): "Ann\r\nBcc: evil@example.org",
    ("people", "bob@example.org", "name"): SQL1,
    ("people", "bob@example.org", "department"): SQL2,
    ("people", "bob@example.org", "skills"): "=cmd|' /C calc'!A0",
    ("people", "cat@example.org", "name"): '=HYPERLINK("http://evil.example/")',
    ("people", "dan@example.org", "name"): "Dan\r\nCc: evil2@example.org",
    ("people", "eve@example.org", "name"): 'Zoë, <evil3@example.org> "q" Ünï\\',
    ("people", "eve@example.org", "robert');_drop_table_person;__"): "e",
    ("enrollments", "ann@example.org", "goal"): "Robert'); DROP TABLE person;--",
    ("enrollments", "cat@example.org", "goal"): SQL2,
}
bad = 0
rows = {k: load(k) for k in ("people", "enrollments", "checkins", "feedback",
                             "pairings", "reminders")}
for (k, who, col), v in want.items():
    got = [r.get(col) for r in rows[k] if r.get("email") == who]
    if got != [v]:
        bad += 1
        print("%s %s %s: %r, not %r" % (k, who, col, got, v))
topics = sorted(r["topic"] for r in rows["checkins"])
if topics != sorted([SQL1.replace("person", "checkin"), "\t=cmd", "\rCR+1"]):
    bad += 1
    print("check-in topics: %r" % topics)
notes = sorted(r["notes"] for r in rows["checkins"])
if notes != sorted([SQL2, "=HYPERLINK(1)", "-1+1"]):
    bad += 1
    print("check-in notes: %r" % notes)
comments = sorted(r["comment"] for r in rows["feedback"])
if comments != sorted(["+SUM(1) Robert'); DROP TABLE feedback;--", "\r=evil",
                       "<script>alert(2)</script>", SQL2, "@x"]):
    bad += 1
    print("feedback comments: %r" % comments)
if [r["end_reason"] for r in rows["pairings"] if r["end_reason"]] != ["=1+END()"]:
    bad += 1
    print("end reasons: %r" % [r["end_reason"] for r in rows["pairings"]])
p = load("program")
p = p[0] if isinstance(p, list) else p
if p.get("name") != SQL1 + " <script>alert(1)</script>" or p.get("owner") != SQL2:
    bad += 1
    print("programme: %r" % p)
print("%d problems" % bad)
sys.exit(1 if bad else 0)
EOF
check '[ $? -eq 0 ]' "round trip: $(cat "$T/json.check")"
check '[ ! -s "$T/export.err" ]' "exports failed: $(head -3 "$T/export.err")"
check '[ "$(sqlite3 "$MENTORCTL_DB" .schema)" = "$schema" ]' "the schema changed"
check '[ "$(q "PRAGMA integrity_check")" = ok ]' "integrity_check"
check '[ "$(q "SELECT count(*) FROM person")" -eq 5 ]' "people lost"
check '[ "$(q "SELECT count(*) FROM checkin") $(q "SELECT count(*) FROM feedback")" = "3 5" ]' \
	"check-ins or feedback lost"
# Filters take values, not SQL or LIKE patterns.
expect 0 --format csv people list --search "x' OR 1=1 --"
check '[ "$(printf "%s\n" "$OUT" | wc -l)" -eq 1 ]' "--search ran as SQL: $OUT"
expect 0 --format csv people list --search "%"
check '[ "$(printf "%s\n" "$OUT" | wc -l)" -eq 1 ]' "--search % matched: $OUT"
expect 0 --format csv people list --department "$SQL2"
check '[ "$(printf "%s\n" "$OUT" | wc -l)" -eq 2 ] && printf "%s" "$OUT" | grep -q "^bob@"' \
	"--department with quotes: $OUT"
expect 65 people show "x' OR '1'='1"
err_lines 1

# --- No formula in any CSV cell: every text cell that begins with = + - @
# TAB or CR gets a leading quote, in every export and report.
mkdir -p "$T/csv"
for k in people enrollments pairings reminders; do
	"$MENTORCTL" export "$k" >"$T/csv/export-$k.csv" 2>>"$T/csv.err"
	"$MENTORCTL" export "$k" --bom >"$T/csv/export-bom-$k.csv" 2>>"$T/csv.err"
done
for k in checkins feedback; do
	"$MENTORCTL" export "$k" --include-notes >"$T/csv/export-$k.csv" 2>>"$T/csv.err"
	"$MENTORCTL" export "$k" >"$T/csv/export-plain-$k.csv" 2>>"$T/csv.err"
done
export MENTORCTL_TODAY=2027-01-21
"$MENTORCTL" --format csv report hostile >"$T/csv/report.csv" 2>>"$T/csv.err"
"$MENTORCTL" report hostile --format csv --out "$T/csv/report-out.csv" 2>/dev/null ||
	echo "report --out failed" >>"$T/csv.err"
"$MENTORCTL" --format csv people list >"$T/csv/people-list.csv" 2>>"$T/csv.err"
"$MENTORCTL" --format csv pairings hostile >"$T/csv/pairings.csv" 2>>"$T/csv.err"
"$MENTORCTL" --format csv program list >"$T/csv/program-list.csv" 2>>"$T/csv.err"
"$MENTORCTL" --format csv program show hostile >"$T/csv/program-show.csv" 2>>"$T/csv.err"
"$MENTORCTL" --format csv schedule hostile >"$T/csv/schedule.csv" 2>>"$T/csv.err"
"$MENTORCTL" --format csv people show bob@example.org >"$T/csv/people-show.csv" 2>>"$T/csv.err"
"$MENTORCTL" --format csv checkin "$P1" --on 2027-01-20 --topic "-@x" >"$T/csv/checkin.csv" 2>>"$T/csv.err"
check '[ ! -s "$T/csv.err" ]' "csv outputs failed: $(head -3 "$T/csv.err")"
python3 - "$T/csv" <<'EOF' >"$T/formula.check" 2>&1
import csv, io, os, re, sys
d = sys.argv[1]
NUM = re.compile(r"-?[0-9]+(\.[0-9]+)?$")
# hostile values that must come out neutralised (with a leading quote)
want = ['=HYPERLINK("http://evil.example/")', "+1+1", "-2+3", "@SUM(A1)",
        "=cmd|' /C calc'!A0", "=2+2", "-x", "@goal", "\t=cmd", "=HYPERLINK(1)",
        "\rCR+1", "-1+1", "+SUM(1) Robert'); DROP TABLE feedback;--",
        "\r=evil", "@x", "=1+END()", "@SUM(1) <script>x</script>", "-@x"]
seen = set()
bad = 0
for f in sorted(os.listdir(d)):
    raw = open(os.path.join(d, f), "rb").read()
    text = raw.decode("utf-8-sig")
    for row in csv.reader(io.StringIO(text, newline="")):
        for cell in row:
            if cell[:1] in ("=", "+", "-", "@", "\t", "\r") and not NUM.match(cell):
                bad += 1
                print("%s: a formula cell %r" % (f, cell))
            if cell.startswith("'") and cell[1:] in want:
                seen.add(cell[1:])
missing = [w for w in want if w not in seen]
if missing:
    bad += 1
    print("never seen neutralised: %r" % missing)
print("%d problems in %d files" % (bad, len(os.listdir(d))))
sys.exit(1 if bad else 0)
EOF
check '[ $? -eq 0 ]' "formula injection: $(cat "$T/formula.check")"

# --- HTML escapes every name: no script element, the text shown escaped.
expect 0 report hostile --format html --out "$T/report.html"
check '[ "$(mode "$T/report.html")" = 600 ]' "report --out mode $(mode "$T/report.html"), not 600"
check '! grep -qi "<script" "$T/report.html"' "a <script> element in the HTML report"
check 'grep -qF "&lt;script&gt;alert(1)&lt;/script&gt;" "$T/report.html"' \
	"the programme name is not shown escaped"
check 'grep -qF "&lt;script&gt;alert(" "$T/report.html" && grep -qF "x&quot; OR 1=1 --" "$T/report.html"' \
	"the goal statement is not shown escaped"
expect 0 schedule hostile --ics "$T/hostile.ics"
check '[ "$(mode "$T/hostile.ics")" = 600 ]' "schedule --ics mode $(mode "$T/hostile.ics"), not 600"

# --- backup: the SQLite backup API, a private, complete, consistent copy
expect 0 backup "$T/b1.db"
check '[ "$(mode "$T/b1.db")" = 600 ]' "backup mode $(mode "$T/b1.db"), not 600"
check '[ "$(sqlite3 "$T/b1.db" "PRAGMA integrity_check")" = ok ]' "backup integrity_check"
check '[ "$(sqlite3 "$T/b1.db" .dump)" = "$(db_dump)" ]' "the backup holds other data"
check '[ ! -e "$T/b1.db-wal" ] && [ "$(sqlite3 "$T/b1.db" "PRAGMA journal_mode")" = delete ]' \
	"the backup is not a standalone file"
sum=$(cksum <"$T/b1.db")
expect 73 backup "$T/b1.db"
err_lines 1
err_has "b1.db"
check '[ "$(cksum <"$T/b1.db")" = "$sum" ]' "a refused backup changed the file"
ln -s "$T/elsewhere.db" "$T/link.db"
expect 73 backup "$T/link.db"
check '[ ! -e "$T/elsewhere.db" ]' "backup followed a symbolic link"

# While another process holds a read transaction (on an older snapshot,
# with a commit in the WAL since) and while another holds uncommitted
# writes: the copy holds exactly what is committed.
hold() { # MODE FLAG: BEGIN (read) or BEGIN IMMEDIATE + an insert, for 4 s
	python3 - "$MENTORCTL_DB" "$1" "$2" <<'EOF' &
import sqlite3, sys, time
con = sqlite3.connect(sys.argv[1], isolation_level=None)
if sys.argv[2] == "read":
    con.execute("BEGIN")
    con.execute("SELECT count(*) FROM person").fetchall()
else:
    con.execute("BEGIN IMMEDIATE")
    con.execute("INSERT INTO audit (at, actor, command, entity, action)"
                " VALUES ('2027-01-01T00:00:00Z', 'x', 'x', 'x', 'x')")
open(sys.argv[3], "w").close()
time.sleep(4)
con.execute("ROLLBACK")
EOF
	holder=$!
	flag=$2
	i=0
	while [ ! -e "$flag" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
	check '[ -e "$flag" ]' "python did not begin its $1 transaction"
}
hold read "$T/r.flag"
expect 0 checkin "$P2" --on 2027-01-21 --topic "while a reader reads"
expect 0 backup "$T/b2.db"
wait $holder
check '[ "$(sqlite3 "$T/b2.db" "PRAGMA integrity_check")" = ok ]' "backup (reader) integrity_check"
check '[ "$(sqlite3 "$T/b2.db" .dump)" = "$(db_dump)" ]' "the backup taken beside a reader differs"
check 'sqlite3 "$T/b2.db" "SELECT topic FROM checkin" | grep -q "while a reader reads"' \
	"the backup lacks the commit still in the WAL"
check '[ "$(mode "$T/b2.db")" = 600 ]' "backup mode $(mode "$T/b2.db"), not 600"
hold write "$T/w.flag"
expect 0 backup "$T/b3.db"
wait $holder
check '[ "$(sqlite3 "$T/b3.db" "PRAGMA integrity_check")" = ok ]' "backup (writer) integrity_check"
check '[ "$(sqlite3 "$T/b3.db" .dump)" = "$(db_dump)" ]' "the backup taken beside a writer differs"

done_testing
