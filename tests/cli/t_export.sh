#!/bin/sh
# export pairings|checkins|feedback|reminders: the documented columns, csv
# that Python's csv module parses back (CRLF, quoting, --bom), json keyed by
# the header, check-in notes and feedback comments only with
# --include-notes, the formula guard, --program, and the refusals.  The
# data is made by the real commands: match, accept, decline, cycle start,
# checkin, feedback, end, remind.
. "$TOP/tests/cli/lib.sh"

q() { sqlite3 "$MENTORCTL_DB" "$1"; }

PAIRINGS_H="id,program,mentor_email,mentee_email,status,score,group_id,slot,cycle,origin,proposed_on,expires_on,mentor_accepted_on,mentee_accepted_on,activated_on,declined_on,declined_by,decline_reason,ended_on,end_reason"
CHECKINS_H="id,program,pairing_id,mentor_email,mentee_email,held_on,minutes,rating,topic,recorded_by"
FEEDBACK_H="id,program,pairing_id,email,role,rating,given_on"
REMINDERS_H="id,program,pairing_id,kind,due_on,recipient,state,claimed_at,sent_at,message_id"

# Python's csv and json modules read each export back: rows as dicts keyed
# by the header, which must be exactly the documented one.
cat >"$T/chk.py" <<'PY'
import csv, json, sys

def read_csv(path, header):
    raw = open(path, "rb").read()
    assert not raw.startswith(b"\xef\xbb\xbf"), "BOM without --bom"
    assert raw.endswith(b"\r\n"), "last line not ended by CRLF"
    # Every line break outside quotes is CRLF: count them against the rows.
    rows = list(csv.reader(open(path, encoding="utf-8", newline="")))
    assert rows[0] == header.split(","), "header %r" % rows[0]
    assert all(len(r) == len(rows[0]) for r in rows), "ragged rows"
    return [dict(zip(rows[0], r)) for r in rows[1:]]

def read_json(path, header):
    d = json.load(open(path, encoding="utf-8"))
    assert isinstance(d, list), type(d)
    for r in d:
        assert list(r) == header.split(","), "keys %r" % list(r)
    return d
PY
# pycheck NAME <<'PY' ... PY: run the checks (chk.py loaded) and expect "ok".
pycheck() {
	name=$1
	shift
	{ cat "$T/chk.py"; cat; } >"$T/check.py"
	python3 "$T/check.py" "$@" >"$T/py.out" 2>&1
	check 'grep -qx ok "$T/py.out"' "$name: $(tail -n 3 "$T/py.out")"
}

# ---- the fixture, through the commands ----
expect 0 init
expect 0 program add "$DATA/programs/eng-2027.yaml"
expect 0 people import "$DATA/people.csv"
expect 0 training add --csv "$DATA/trainings.csv"
expect 0 enroll eng-2027 --csv "$DATA/enroll-eng-2027.csv"

# Before anything happened: a header alone, an empty json array.
expect 0 export pairings
out_is "$(printf '%s\r' "$PAIRINGS_H")"
expect 0 --format json export checkins
out_is "[]"
expect 0 export feedback --include-notes
out_is "$(printf '%s,comment\r' "$FEEDBACK_H")"

expect 0 match eng-2027
check '[ "$(q "SELECT count(*) FROM pairing")" -ge 8 ]' "match proposed fewer than 8 pairings"
export MENTORCTL_TODAY=2027-01-08
for i in 1 2 3 4 5; do
	expect 0 accept $i
done
expect 0 accept 6 --by "$(q "SELECT p.email FROM pairing x JOIN enrollment e ON e.id = x.mentee_enrollment_id JOIN person p ON p.id = e.person_id WHERE x.id = 6")"
expect 0 decline 7 --reason '=HYPERLINK("http://evil.example")'
expect 0 cycle start eng-2027

export MENTORCTL_TODAY=2027-01-20
M1=$(q "SELECT p.email FROM pairing x JOIN enrollment e ON e.id = x.mentor_enrollment_id JOIN person p ON p.id = e.person_id WHERE x.id = 1")
E1=$(q "SELECT p.email FROM pairing x JOIN enrollment e ON e.id = x.mentee_enrollment_id JOIN person p ON p.id = e.person_id WHERE x.id = 1")
expect 0 checkin 1 --on 2027-01-19 --minutes 45 --rating 4 \
	--topic "=SUM(A1:A9)" --notes "secret: the reorg" --by "$M1"
expect 0 checkin 2 --on 2027-01-18 --notes 'line one
line two, "quoted"'
expect 0 checkin 3 --on 2027-01-20 --minutes 30
expect 0 feedback 1 --by "$E1" --rating 5 --comment "+1 would recommend"
expect 0 feedback 1 --by "$M1" --rating 4
expect 0 feedback --program eng-2027 --by "$M1" --rating 3 \
	--comment "confidential remark"

# A second programme, for --program: consent none, so matched is active.
cat >"$T/side.yaml" <<'YAML'
slug: side
name: Side Programme
purpose: engagement
format: one-to-one
matching:
  consent: none
YAML
printf 'email,name,role\nsam@example.org,Sam Mentor,mentor\neve@example.org,=Eve Mentee,mentee\n' >"$T/side.csv"
expect 0 program add "$T/side.yaml"
expect 0 enroll side --csv "$T/side.csv"
expect 0 match side
SIDE=$(q "SELECT x.id FROM pairing x JOIN program p ON p.id = x.program_id WHERE p.slug = 'side'")
expect 0 checkin "$SIDE" --on 2027-01-20 --topic "@here" --notes "-side secret" \
	--by sam@example.org
expect 0 end "$SIDE" --reason "@reorg"

export MENTORCTL_TODAY=2027-01-23
# Programme 'side' has no contact: its closure mails cannot go (65).
run remind --sendmail "cat >/dev/null"
NREM=$(q "SELECT count(*) FROM reminder")
check '[ "$NREM" -gt 0 ]' "remind recorded no reminder"
NPAIR=$(q "SELECT count(*) FROM pairing")

# ---- pairings ----
"$MENTORCTL" export pairings >"$T/p.csv"
pycheck "export pairings csv" "$T/p.csv" "$PAIRINGS_H" "$NPAIR" "$SIDE" <<'PY'
rows = read_csv(sys.argv[1], sys.argv[2])
assert len(rows) == int(sys.argv[3]), len(rows)
assert [int(r["id"]) for r in rows] == sorted(int(r["id"]) for r in rows)
p = {r["id"]: r for r in rows}
a = p["1"]
assert (a["program"], a["status"], a["cycle"], a["origin"]) == \
    ("eng-2027", "active", "1", "match"), a
assert a["proposed_on"] == "2027-01-04" and a["activated_on"] == "2027-01-08", a
assert a["mentor_accepted_on"] == a["mentee_accepted_on"] == "2027-01-08", a
assert a["score"].count(".") == 1 and len(a["score"].split(".")[1]) == 2, a
assert a["group_id"] == a["slot"] == a["ended_on"] == "", a
h = p["6"]
# Half accepted, then left to lapse: expired by the later commands.
assert h["status"] == "expired" and h["mentee_accepted_on"] == "2027-01-08", h
assert h["mentor_accepted_on"] == "" and h["expires_on"] == "2027-01-14", h
d = p["7"]
assert (d["status"], d["declined_on"]) == ("declined", "2027-01-08"), d
assert d["decline_reason"] == "'=HYPERLINK(\"http://evil.example\")", d
s = p[sys.argv[4]]
assert (s["program"], s["status"], s["ended_on"]) == ("side", "ended", "2027-01-20"), s
assert s["end_reason"] == "'@reorg" and s["cycle"] == "", s
assert s["mentee_email"] == "eve@example.org", s
print("ok")
PY
"$MENTORCTL" --format json export pairings >"$T/p.json"
pycheck "export pairings json" "$T/p.json" "$PAIRINGS_H" "$NPAIR" <<'PY'
rows = read_json(sys.argv[1], sys.argv[2])
assert len(rows) == int(sys.argv[3]), len(rows)
a = rows[0]
assert a["id"] == 1 and a["cycle"] == 1 and isinstance(a["score"], float), a
assert a["group_id"] is None and a["ended_on"] is None, a
d = [r for r in rows if r["id"] == 7][0]
assert d["decline_reason"] == "=HYPERLINK(\"http://evil.example\")", d
print("ok")
PY

# ---- checkins: notes only when asked ----
expect 0 export checkins
out_lacks "secret"
out_lacks "notes"
out_lacks "line two"
"$MENTORCTL" export checkins >"$T/c.csv"
pycheck "export checkins csv" "$T/c.csv" "$CHECKINS_H" "$M1" "$SIDE" <<'PY'
rows = read_csv(sys.argv[1], sys.argv[2])
assert len(rows) == 4, len(rows)
c = rows[0]
assert (c["id"], c["program"], c["pairing_id"], c["mentor_email"]) == \
    ("1", "eng-2027", "1", sys.argv[3]), c
assert (c["held_on"], c["minutes"], c["rating"]) == ("2027-01-19", "45", "4"), c
assert c["topic"] == "'=SUM(A1:A9)" and c["recorded_by"] == sys.argv[3], c
# No topic given: the programme's prompt for the first meeting.
assert rows[1]["topic"].startswith("Explore each other"), rows[1]
assert rows[1]["minutes"] == rows[1]["rating"] == "", rows[1]
assert rows[1]["recorded_by"] == "tester", rows[1]
s = rows[3]
assert (s["program"], s["pairing_id"], s["topic"]) == ("side", sys.argv[4], "'@here"), s
print("ok")
PY
"$MENTORCTL" export checkins --include-notes >"$T/cn.csv"
pycheck "export checkins --include-notes csv" "$T/cn.csv" "$CHECKINS_H,notes" <<'PY'
rows = read_csv(sys.argv[1], sys.argv[2])
assert len(rows) == 4, len(rows)
assert rows[0]["notes"] == "secret: the reorg", rows[0]
assert rows[1]["notes"] == "line one\nline two, \"quoted\"", repr(rows[1]["notes"])
assert rows[2]["notes"] == "", rows[2]
assert rows[3]["notes"] == "'-side secret", rows[3]
# With or without notes the other columns are the same bytes.
plain = read_csv(sys.argv[1].replace("cn.csv", "c.csv"), sys.argv[2].rsplit(",", 1)[0])
assert [{k: v for k, v in r.items() if k != "notes"} for r in rows] == plain
print("ok")
PY
# A note with a line break is quoted: the file has one CRLF per row and a
# lone LF inside the quotes.
check '[ "$(tr -cd "\r" <"$T/cn.csv" | wc -c)" -eq 5 ]' "checkins --include-notes: not 5 CRLF"
check '[ "$(tr -cd "\r" <"$T/c.csv" | wc -c)" -eq "$(wc -l <"$T/c.csv")" ]' "checkins: a line not ended by CRLF"

"$MENTORCTL" --format json export checkins >"$T/c.json"
pycheck "export checkins json" "$T/c.json" "$CHECKINS_H" <<'PY'
rows = read_json(sys.argv[1], sys.argv[2])
assert len(rows) == 4
assert rows[0]["topic"] == "=SUM(A1:A9)" and rows[0]["minutes"] == 45, rows[0]
assert rows[1]["minutes"] is None and rows[1]["rating"] is None, rows[1]
assert "secret" not in open(sys.argv[1]).read()
print("ok")
PY
"$MENTORCTL" --format json export checkins --include-notes >"$T/cn.json"
pycheck "export checkins --include-notes json" "$T/cn.json" "$CHECKINS_H,notes" <<'PY'
rows = read_json(sys.argv[1], sys.argv[2])
assert [r["notes"] for r in rows] == ["secret: the reorg",
    "line one\nline two, \"quoted\"", None, "-side secret"], rows
print("ok")
PY

# ---- feedback: ratings always, comments only when asked ----
expect 0 export feedback
out_lacks "recommend"
out_lacks "confidential"
out_lacks "comment"
"$MENTORCTL" export feedback >"$T/f.csv"
pycheck "export feedback csv" "$T/f.csv" "$FEEDBACK_H" "$M1" "$E1" <<'PY'
rows = read_csv(sys.argv[1], sys.argv[2])
got = [(r["id"], r["program"], r["pairing_id"], r["email"], r["role"],
        r["rating"], r["given_on"]) for r in rows]
assert got == [
    ("1", "eng-2027", "1", sys.argv[4], "mentee", "5", "2027-01-20"),
    ("2", "eng-2027", "1", sys.argv[3], "mentor", "4", "2027-01-20"),
    ("3", "eng-2027", "", sys.argv[3], "mentor", "3", "2027-01-20"),
], got
print("ok")
PY
"$MENTORCTL" --format json export feedback --include-notes >"$T/f.json"
pycheck "export feedback --include-notes json" "$T/f.json" "$FEEDBACK_H,comment" <<'PY'
rows = read_json(sys.argv[1], sys.argv[2])
assert [r["comment"] for r in rows] == ["+1 would recommend", None,
    "confidential remark"], rows
assert rows[2]["pairing_id"] is None and rows[0]["rating"] == 5, rows
print("ok")
PY
expect 0 export feedback --include-notes
out_has "'+1 would recommend"

# ---- reminders ----
"$MENTORCTL" export reminders >"$T/r.csv"
pycheck "export reminders csv" "$T/r.csv" "$REMINDERS_H" "$NREM" <<'PY'
import re
rows = read_csv(sys.argv[1], sys.argv[2])
assert len(rows) == int(sys.argv[3]), len(rows)
for r in rows:
    assert r["program"] == "eng-2027" and r["state"] == "sent", r
    assert r["kind"] and "@" in r["recipient"] and r["message_id"], r
    assert re.fullmatch(r"\d{4}-\d\d-\d\d", r["due_on"]), r
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", r["sent_at"]), r
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", r["claimed_at"]), r
print("ok")
PY
"$MENTORCTL" --format json export reminders >"$T/r.json"
pycheck "export reminders json" "$T/r.json" "$REMINDERS_H" "$NREM" <<'PY'
rows = read_json(sys.argv[1], sys.argv[2])
assert len(rows) == int(sys.argv[3])
# The coordinators' digest is about the programme, not a pairing.
assert all(isinstance(r["id"], int) and (isinstance(r["pairing_id"], int)
           or (r["pairing_id"] is None and r["kind"] == "digest"))
           for r in rows), rows
print("ok")
PY

# ---- --bom: three bytes, then the same csv ----
"$MENTORCTL" export checkins --include-notes --bom >"$T/bom.csv"
check '[ "$(head -c 3 "$T/bom.csv" | od -An -tx1 | tr -d " ")" = efbbbf ]' "--bom: no BOM"
check 'tail -c +4 "$T/bom.csv" | cmp -s - "$T/cn.csv"' "--bom changes more than the first bytes"

# ---- --program ----
"$MENTORCTL" export pairings --program side >"$T/ps.csv"
pycheck "export pairings --program side" "$T/ps.csv" "$PAIRINGS_H" "$SIDE" <<'PY'
rows = read_csv(sys.argv[1], sys.argv[2])
assert [r["id"] for r in rows] == [sys.argv[3]], rows
print("ok")
PY
"$MENTORCTL" export checkins --program eng-2027 >"$T/ce.csv"
pycheck "export checkins --program eng-2027" "$T/ce.csv" "$CHECKINS_H" <<'PY'
rows = read_csv(sys.argv[1], sys.argv[2])
assert [r["id"] for r in rows] == ["1", "2", "3"], rows
print("ok")
PY
expect 0 export feedback --program side
out_is "$(printf '%s\r' "$FEEDBACK_H")"
expect 0 --format json export reminders --program side
out_is "[]"
expect 0 export enrollments --program side
out_has "'=Eve Mentee"

# ---- refusals: one line each ----
expect 65 export checkins --program nope
err_has "unknown programme 'nope'"
err_lines 1
check '[ -z "$OUT" ]' "unknown programme: something on stdout"
expect 64 export pairing
err_has "unknown export 'pairing' (expected people, enrollments, pairings, checkins, feedback, reminders or introductions)"
err_lines 1
expect 64 export pairings --include-notes
err_has "--include-notes is for the exports that hold notes, not 'pairings'"
err_lines 1
expect 64 export reminders --include-notes
err_lines 1
expect 64 --format table export checkins
err_lines 1
expect 64 --format json export feedback --bom
err_has "--bom is for csv output"
err_lines 1
expect 64 export checkins feedback
err_lines 1

# Exporting writes nothing.
before=$(db_dump)
"$MENTORCTL" export checkins --include-notes >/dev/null
check '[ "$(db_dump)" = "$before" ]' "export changed the database"

done_testing
