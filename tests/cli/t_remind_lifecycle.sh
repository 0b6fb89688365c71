#!/bin/sh
# Participants in the loop (issue 14.1, 13.2): three programmes walked
# through twelve weeks of mornings, `remind` twice every morning (a cron
# job run twice), every mail through a real mail path (msmtp to a local
# SMTP sink).  Checked over the whole run: each life-cycle mail once, to
# the right people, with what it must say; a circle's mentor gets one
# reminder per circle meeting and every circle mail names the circle and
# its members; a rotation announces each period's mentor; one digest a day
# at most to each programme's contact; nothing private in any mail; every
# line within 78 octets and the auto-reply headers on every message.
. "$TOP/tests/cli/lib.sh"
. "$TOP/tests/cli/remind_lib.sh"

SINK=
trap '[ -n "$SINK" ] && kill "$SINK" 2>/dev/null; rm -rf "$T"' EXIT
PY=/usr/bin/python3
if ! command -v msmtp >/dev/null 2>&1 ||
    ! "$PY" -c 'import aiosmtpd' 2>/dev/null; then
	fail "msmtp or python3-aiosmtpd missing: run 'sh scripts/deps.sh test'"
	done_testing
	exit 1
fi
"$PY" "$TOP/tests/cli/smtp_sink.py" 0 "$T/sink" 900 >"$T/sink.log" 2>&1 &
SINK=$!
i=0
while [ ! -e "$T/sink/.ready" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
check '[ -e "$T/sink/.ready" ]' "the SMTP sink did not start: $(cat "$T/sink.log")"
cat >"$T/msmtprc" <<EOF
defaults
auth off
tls off
timeout 10
account default
host 127.0.0.1
port $(cat "$T/sink/.port")
from mentoring@example.org
EOF
chmod 600 "$T/msmtprc"
export MENTORCTL_SENDMAIL="msmtp --file=$T/msmtprc -t"

# ---- the programmes ----
cat >"$T/one.yaml" <<'EOF'
slug: one
name: One to One
purpose: knowledge-transfer
format: one-to-one
owner: People
contact: one@example.org
roles:
  mentor: { capacity: 2 }
  mentee: {}
cycle:
  start: 2027-01-11
  length: 10 weeks
  reup: { opens: 3 weeks before end, closes: 1 week before end, default: exit }
checkins:
  every: 2 weeks
  remind: 2 days before
  overdue_after: 5 days
  stalled_after: 2 missed
  prompts: [Your stories, Your goals, Your plan]
matching:
  consent: both
  respond_within: 10 days
  objective: coverage
  min_score: 10
  criteria:
    - { attribute: skills, mentee_attribute: wants, compare: overlap, weight: 5 }
    - { attribute: department, compare: different, weight: 2 }
    - { attribute: level, compare: mentor_above, min_gap: 1, weight: 3 }
EOF
cat >"$T/circle.yaml" <<'EOF'
slug: circle
name: Circles
purpose: leadership
format: group
owner: People
contact: circles@example.org
roles:
  mentor: { capacity: 3 }
  mentee: {}
group: { department_diversity: false }
cycle:
  start: 2027-01-11
  length: 6 months
  reup: { opens: 3 weeks before end, closes: 1 week before end, default: exit }
checkins:
  every: 2 weeks
  remind: 2 days before
  overdue_after: 5 days
  stalled_after: 3 missed
  prompts: [Circle stories, Circle cases]
matching:
  consent: none
  respond_within: 10 days
  objective: coverage
  min_score: 0
EOF
cat >"$T/rot.yaml" <<'EOF'
slug: rot
name: Rotation
purpose: knowledge-transfer
format: rotational
owner: People
contact: rot@example.org
roles:
  mentor: { capacity: 1 }
  mentee: {}
rotation: { periods: 2, every: 1 month }
cycle:
  start: 2027-01-11
checkins:
  every: 2 weeks
  remind: 2 days before
  overdue_after: 5 days
  stalled_after: 2 missed
  prompts: [The leader's area, A decision]
matching:
  consent: none
  respond_within: 10 days
  objective: coverage
  min_score: 0
EOF
expect 0 init
for p in one circle rot; do expect 0 program add "$T/$p.yaml"; done
cat >"$T/people.csv" <<'EOF'
email,name,department,level,title,location,timezone,skills,wants
m1@example.org,Mara Senior,Eng,6,Staff Engineer,Lisbon,Europe/Lisbon,go;sql;kubernetes,
m2@example.org,Milo Senior,Sales,6,Sales Director,Paris,Europe/Paris,negotiation,
m3@example.org,Mina Senior,Ops,6,Ops Lead,Berlin,Europe/Berlin,sql;python,
e1@example.org,Ezra Junior,Ops,2,Engineer,Porto,Europe/Lisbon,,SQL; Go; design
e2@example.org,Emil Junior,Eng,2,Engineer,Oslo,Europe/Oslo,,negotiation
e3@example.org,Enya Junior,Eng,2,Engineer,Rome,Europe/Rome,,kubernetes
e4@example.org,Eda Junior,Eng,2,Analyst,Madrid,Europe/Madrid,,python
c1@example.org,Cora Circle,Exec,8,Director,London,Europe/London,,
d1@example.org,Dev One,Eng,4,Manager,London,Europe/London,,
d2@example.org,Dev Two,Sales,4,Manager,London,Europe/London,,
d3@example.org,Dev Three,Ops,4,Manager,London,Europe/London,,
l1@example.org,Lea Leader,Product,7,VP Product,NYC,America/New_York,,
l2@example.org,Lou Leader,Product,7,Head of Product,NYC,America/New_York,,
a1@example.org,Ava Associate,Product,1,APM,NYC,America/New_York,,
EOF
expect 0 people import "$T/people.csv"
printf 'email,role,goal\nm1@example.org,mentor,\nm2@example.org,mentor,\nm3@example.org,mentor,\ne1@example.org,mentee,Learn to design systems that scale\ne2@example.org,mentee,Close bigger deals\ne3@example.org,mentee,Run clusters\n' >"$T/one.csv"
expect 0 --today 2027-01-04 enroll one --csv "$T/one.csv"
for x in c1:mentor d1:mentee d2:mentee d3:mentee; do
	expect 0 --today 2027-01-04 enroll circle ${x%%:*}@example.org --role ${x#*:}
done
for x in l1:mentor l2:mentor a1:mentee; do
	expect 0 --today 2027-01-04 enroll rot ${x%%:*}@example.org --role ${x#*:}
done

# pid PROGRAMME MENTOR MENTEE: the pairing's id ("m1" for m1@example.org).
pid() {
	sqlite3 "$MENTORCTL_DB" "SELECT p.id FROM pairing p
	  JOIN program g ON g.id = p.program_id AND g.slug = '$1'
	  JOIN enrollment a ON a.id = p.mentor_enrollment_id
	  JOIN person x ON x.id = a.person_id AND x.email = '$2@example.org'
	  JOIN enrollment b ON b.id = p.mentee_enrollment_id
	  JOIN person y ON y.id = b.person_id AND y.email = '$3@example.org'"
}

# what DAY: the coordinators' actions of that morning (before cron).
what() {
	case $1 in
	2027-01-04)
		expect 0 --today $1 match one
		expect 0 --today $1 match circle
		expect 0 --today $1 match rot
		P1=$(pid one m1 e1)
		P2=$(pid one m2 e2)
		P3=$(pid one m1 e3)
		# Reproducible: one database, one SOURCE_DATE_EPOCH, the same bytes.
		SOURCE_DATE_EPOCH=1800000000 "$MENTORCTL" --today $1 --format mbox \
			remind --dry-run >"$T/a.mbox" 2>/dev/null
		SOURCE_DATE_EPOCH=1800000000 "$MENTORCTL" --today $1 --format mbox \
			remind --dry-run >"$T/b.mbox" 2>/dev/null
		check '[ -s "$T/a.mbox" ] && cmp -s "$T/a.mbox" "$T/b.mbox"' \
			"two dry runs with SOURCE_DATE_EPOCH differ"
		check 'grep -q "^Date: Mon, 4 Jan 2027 08:00:00 +0000$" "$T/a.mbox"' \
			"the Date is not the day of the run at SOURCE_DATE_EPOCH's time: $(grep -m1 '^Date:' "$T/a.mbox")" ;;
	2027-01-05)
		expect 0 --today $1 accept $P1 --by e1@example.org
		expect 0 --today $1 accept $P1 --by m1@example.org ;;
	2027-01-06)
		expect 0 --today $1 accept $P2 --by m2@example.org
		expect 0 --today $1 decline $P3 --by e3@example.org --reason "SECRET-REASON too busy"
		expect 0 --today $1 enroll one e4@example.org --role mentee --goal "Automate reports"
		expect 0 --today $1 pair one m3@example.org e4@example.org
		P7=$(pid one m3 e4)
		expect 0 --today $1 accept $P7 ;;
	2027-01-11)
		for p in one circle rot; do expect 0 --today $1 cycle start $p; done ;;
	2027-01-18)
		expect 0 --today $1 checkin $P1 --on $1 --rating 5 --minutes 45 \
			--notes "SECRET-NOTE-one: Ezra thinks about leaving"
		expect 0 --today $1 checkin $P7 --on $1 --rating 2 --notes "SECRET-NOTE-two" ;;
	2027-01-25)
		expect 0 --today $1 checkin $(pid circle c1 d1) --group --on $1 \
			--notes "SECRET-NOTE-circle" ;;
	2027-02-01)
		expect 0 --today $1 checkin $P1 --on $1 ;;
	2027-02-11)
		expect 0 --today $1 cycle close rot ;;
	2027-03-02)
		expect 0 --today $1 reup $P1 --by m1@example.org yes
		expect 0 --today $1 reup $P7 --by m3@example.org yes
		expect 0 --today $1 reup $P7 --by e4@example.org yes ;;
	2027-03-15)
		expect 0 --today $1 feedback $P7 --by e4@example.org --rating 1 \
			--comment "SECRET-COMMENT: Mina never listens" ;;
	2027-03-22)
		expect 0 --today $1 cycle close one ;;
	esac
}

# Twelve weeks of mornings: the coordinators' actions, then cron twice.
: >"$T/rc"
for d in $(days 2027-01-04 2027-03-28); do
	what "$d"
	for run in 1 2; do
		run --today "$d" remind
		echo "$d $run $RC" >>"$T/rc"
		cat "$T/.out" >>"$T/sent.$run"
		[ "$RC" -eq 0 ] || cat "$T/.err"
	done
done
check '[ "$(awk "\$3 != 0" "$T/rc" | wc -l)" -eq 0 ]' "mornings failed: $(awk '$3 != 0' "$T/rc" | head -3)"
check '[ ! -s "$T/sent.2" ]' "the second run of a morning sent: $(head -3 "$T/sent.2")"
n=$(wc -l <"$T/sent.1")
i=0
while [ "$(ls "$T/sink" | grep -c '^msg\.[0-9]*$')" -lt "$n" ] && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
echo "lifecycle: $n mails over 84 mornings (168 runs): $(cut -d' ' -f1 "$T/sent.1" | sort | uniq -c | tr -s ' ' | tr '\n' ',')"

# ---- what arrived ----
cat >"$T/check.py" <<'PY'
import collections, email, email.policy, glob, os, re, sqlite3, sys

sink, sent = sys.argv[1], sys.argv[2]
P1, P2, P3, P7 = sys.argv[3:7]
# What each Message-ID was, from the log (ids carry a reply token, not
# the kind).
db = sqlite3.connect(sys.argv[7])
KIND = {"<%s>" % mid: (kind, str(pid or "")) for mid, kind, pid in
        db.execute("SELECT message_id, kind, pairing_id FROM reminder")}
msgs = []
for f in sorted(glob.glob(os.path.join(sink, "msg.[0-9]*"))):
    if f.endswith(".env"):
        continue
    raw = open(f, "rb").read()
    for line in raw.split(b"\n"):
        assert len(line.rstrip(b"\r")) <= 78, (f, line)
    m = email.message_from_bytes(raw, policy=email.policy.default)
    assert m["Auto-Submitted"] == "auto-generated", f
    assert m["X-Auto-Response-Suppress"] == "All", f
    body = m.get_body().get_content()
    msgs.append((m["Message-ID"], m["To"].addresses[0].addr_spec,
                 str(m["Subject"]), " ".join(body.split()), raw))

def fail(what):
    print("FAIL:", what)
    sys.exit(1)

ids = [x[0] for x in msgs]
dup = [i for i, n in collections.Counter(ids).items() if n > 1]
if dup:
    fail("sent twice: %s" % dup[:3])
lines = [l.split() for l in open(sent) if l.strip()]
if len(lines) != len(msgs):
    fail("%d reported, %d arrived" % (len(lines), len(msgs)))

def kind(k):
    return [l for l in lines if l[0] == k]

def mails(k, to=None):
    kind, _, pid = k.partition(".")
    return [m for m in msgs if KIND.get(m[0], ("?", ""))[0] == kind
            and (not pid or KIND[m[0]][1] == pid)
            and (to is None or m[1] == to)]

# Nothing private leaves: notes, ratings' comments, the decline reason.
for m in msgs:
    for secret in ("SECRET", "too busy", "Mina never listens"):
        if secret in m[3] or secret.encode() in m[4]:
            fail("%s in %s to %s" % (secret, m[0], m[1]))

# Introductions: the match's three proposals (e3 with m1: kubernetes),
# both partners each, once; the manual pair accepted the same morning is
# "matched" at once, not introduced.
intro = sorted((l[1], l[2]) for l in kind("introduction"))
want = sorted([(P1, "m1@example.org"), (P1, "e1@example.org"),
               (P2, "m2@example.org"), (P2, "e2@example.org"),
               (P3, "m1@example.org"), (P3, "e3@example.org")])
if intro != want:
    fail("introductions %s" % intro)
m = mails("introduction." + P1, "e1@example.org")[0]
for words in ("You have been proposed a mentor: Mara Senior",
              "Title: Staff Engineer", "Department: Eng",
              "Location: Lisbon", "Time zone: Europe/Lisbon",
              "shared skills / wants: SQL, Go", "Shared interests: SQL, Go",
              'Your goal: "Learn to design systems that scale"',
              'Reply to this mail with "yes" to accept'):
    if words not in m[3]:
        fail("e1's introduction lacks %r: %s" % (words, m[3]))
if "m1@example.org" in m[3]:
    fail("an introduction shows the partner's address")
m = mails("introduction." + P1, "m1@example.org")[0]
if "The mentee's goal: \"Learn to design systems that scale\"" not in m[3]:
    fail("m1's introduction lacks the mentee's goal")

# Matched: pairings 1 (01-05) and 7 (01-06), each partner once, with the
# partner's address and the first topic.
got = sorted((l[1], l[2], l[3]) for l in kind("matched"))
if got != sorted([(P1, "m1@example.org", "2027-01-05"),
                  (P1, "e1@example.org", "2027-01-05"),
                  (P7, "m3@example.org", "2027-01-06"),
                  (P7, "e4@example.org", "2027-01-06")]):
    fail("matched %s" % got)
m = mails("matched." + P1, "e1@example.org")[0]
for words in ("Address: m1@example.org", "Suggested topic for meeting 1: Your stories"):
    if words not in m[3]:
        fail("e1's matched mail lacks %r: %s" % (words, m[3]))

# The proposal e2 never answered: reminded, then it expired.
got = sorted((l[1], l[2]) for l in kind("proposal_expiring"))
if got != [(P2, "e2@example.org")]:
    fail("proposal_expiring %s" % got)

# Stalled: pairing 7 never met after 01-18, pairing 1 after 02-01; both
# hear every week while it lasts.
st = collections.Counter((l[1], l[2]) for l in kind("stalled"))
for p, who in ((P7, "m3@example.org"), (P7, "e4@example.org")):
    if st[(p, who)] < 3:
        fail("pairing %s's stalled mail to %s came %d times, not weekly"
             % (p, who, st[(p, who)]))
if any(l[2] in ("one@example.org",) for l in kind("stalled")):
    fail("a per-pair stalled mail to the contact")

# Re-up: open to both partners of 1 and 7, closing only to e1 (m1 and
# both of 7 answered), the outcome to pairing 7, the closure to pairing 1.
got = sorted((l[1], l[2]) for l in kind("reup_open"))
if got != sorted([(P1, "m1@example.org"), (P1, "e1@example.org"),
                  (P7, "m3@example.org"), (P7, "e4@example.org")]):
    fail("reup_open %s" % got)
if sorted((l[1], l[2]) for l in kind("reup_closing")) != [(P1, "e1@example.org")]:
    fail("reup_closing %s" % kind("reup_closing"))
if sorted((l[1], l[2]) for l in kind("reup_outcome")) != \
        [(P7, "e4@example.org"), (P7, "m3@example.org")]:
    fail("reup_outcome %s" % kind("reup_outcome"))
clo = sorted((l[1], l[2]) for l in kind("closure") if l[1] == P1)
if clo != [(P1, "e1@example.org"), (P1, "m1@example.org")]:
    fail("closure of pairing 1: %s" % clo)
m = mails("closure." + P1, "e1@example.org")[0]
if 'Reply to this mail with "rate"' not in m[3] or "at the end of its cycle" not in m[3]:
    fail("e1's closure mail: %s" % m[3])

# The circle: one roster mail to its mentor and each member, naming all.
ro = kind("circle_roster")
if sorted(l[2] for l in ro) != ["c1@example.org", "d1@example.org",
                                "d2@example.org", "d3@example.org"]:
    fail("circle_roster %s" % ro)
circle = ro[0][1]
for m in mails("circle_roster"):
    for who in ("Cora Circle", "Dev One", "Dev Two", "Dev Three"):
        if who not in m[3]:
            fail("roster to %s lacks %s" % (m[1], who))
# The circle's mentor: one reminder per circle meeting, not per member.
mentor = [l for l in lines if l[2] == "c1@example.org"
          and l[0].startswith(("checkin_", "stalled"))]
per = collections.Counter((l[0], l[3]) for l in mentor)
if not mentor or any(n > 1 for n in per.values()):
    fail("the circle mentor's reminders: %s" % mentor)
if any(l[1] != circle for l in mentor):
    fail("a circle mentor's reminder not about the circle: %s" % mentor)
for m in msgs:
    if m[1] in ("c1@example.org", "d1@example.org", "d2@example.org",
                "d3@example.org") and "digest" not in m[0]:
        if "Cora Circle's circle" not in m[3] and "Cora Circle's circle" not in m[2]:
            fail("a circle mail does not name the circle: %s" % m[0])
        for who in ("Dev One", "Dev Two", "Dev Three"):
            if who not in m[3]:
                fail("circle mail %s to %s lacks member %s" % (m[0], m[1], who))
for l in lines:
    if l[2] in ("d1@example.org", "d2@example.org", "d3@example.org") \
            and l[0] == "checkin_due":
        pass

# The rotation: a new mentor each period, to both, once.
nm = sorted((l[2], l[3]) for l in kind("new_mentor"))
if nm != sorted([("l1@example.org", "2027-01-11"), ("a1@example.org", "2027-01-11"),
                 ("l2@example.org", "2027-02-11"), ("a1@example.org", "2027-02-11")]):
    fail("new_mentor %s" % nm)
m = [x for x in mails("new_mentor", "a1@example.org") if "period 2" in x[2]]
if not m or "Lou Leader" not in m[0][2] or "2027-02-11 to 2027-03-10" not in m[0][3]:
    fail("a1's period 2 mail: %s" % (m[0][2:4] if m else None))

# Digests: at most one a day per programme, to its contact only.
dg = collections.Counter((l[2], l[3]) for l in kind("digest"))
if any(n > 1 for n in dg.values()):
    fail("two digests a day: %s" % dg)
if any(l[2] not in ("one@example.org", "circles@example.org", "rot@example.org")
       for l in kind("digest")):
    fail("a digest to someone else")
one = [m for m in mails("digest", "one@example.org")]
if not any("Stalled pairs" in m[3] and ("NEW %s: Mina Senior" % P7) in m[3] and "Mina Senior <m3@example.org> with Eda Junior <e4@example.org>" in m[3] for m in one):
    fail("no digest reports pairing 7 as newly stalled")
if not any("Unanswered proposals" in m[3] and "waiting for the mentee" in m[3] for m in one):
    fail("no digest reports the unanswered proposal")
print("ok: %d mails, %d introductions, %d digests" % (len(msgs), len(intro), len(kind("digest"))))
PY
"$PY" "$T/check.py" "$T/sink" "$T/sent.1" "$P1" "$P2" "$P3" "$P7" \
	"$MENTORCTL_DB" >"$T/check.out" 2>&1
prc=$?
check '[ $prc -eq 0 ]' "$(cat "$T/check.out")"
cat "$T/check.out"

done_testing
