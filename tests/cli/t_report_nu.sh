#!/bin/sh
# report --format html checked by the W3C Nu HTML checker (issue 17.8), the
# checker of validator.w3.org/nu.  Debian has no package of it:
# scripts/deps.sh test fetches its vnu.jar from npm (vnu-jar, pinned) into
# .deps/vnu/, or VNU_JAR names another copy; it runs on Java 17 or later.
# Without the checker this test fails: it never passes unchecked.
#
# One run of the checker (a JVM start is seconds) over a deliberately broken
# page, which must get errors, so that the checker is proved to be running,
# and over every report made here, which must get no message at all: no
# error, no warning, no information.  Language detection is off: the
# report's own words are English (lang="en") but the names, comments and
# goals in it are the programme's, in any language.
. "$TOP/tests/cli/lib.sh"
export MENTORCTL_TODAY=2027-04-01

VNU_JAR=${VNU_JAR:-$TOP/.deps/vnu/vnu.jar}
if [ ! -s "$VNU_JAR" ]; then
	fail "the Nu checker is missing: '$VNU_JAR' (scripts/deps.sh test installs it)"
	done_testing
	exit 1
fi
if ! command -v java >/dev/null 2>&1; then
	fail "java is missing (scripts/deps.sh test installs default-jre-headless)"
	done_testing
	exit 1
fi

# at DAY ARGS...: mentorctl --today DAY ARGS..., which must succeed.
at() {
	day=$1
	shift
	expect 0 --today "$day" "$@"
}

# A one-to-one programme whose texts need escaping and are not all ASCII,
# with goals met, missed, on track, at risk and without data.
cat >"$T/nu.yaml" <<'YAML'
slug: nu
name: Mentoría <Ingeniería> & "Crecimiento" — Zürich 2027
purpose: engagement
format: one-to-one
owner: Équipe <RH> & Talent
contact: coord@example.org
sponsor: Ærøskøbing "VP" & Co
description: |
  Pairs across Zürich, Kraków and 東京: a < b && c > d, "quoted" & 'single'.
goals:
  - { id: g-match, statement: "Match <all> mentees & more — früh", metric: match_rate, target: 0.5, due: 2027-01-20 }
  - { id: g-first, statement: "First meeting within 3 days (ambitious)", metric: days_to_first_meeting, target: 3, due: 2027-02-01 }
  - { id: g-sat, statement: "Rated ≥ 4 by \"everyone\"", metric: satisfaction, target: 4, due: 2027-12-31 }
  - { id: g-checkins, statement: Check-ins held 95% of the time, metric: checkin_adherence, target: 0.95, due: 2027-12-31 }
  - { id: g-reup, statement: Half the pairs re-up, metric: reup_rate, target: 0.5, due: 2027-12-31 }
  - { id: g-keep, statement: "Keep ½ of the mentees", metric: retention, target: 0.5, due: 2027-12-31 }
  - { id: g-vague, statement: "Be <em>great</em> (no metric yet)" }
cycle:
  start: 2027-01-04
  length: 12 weeks
checkins:
  every: 2 weeks
  stalled_after: 2 missed
YAML
cat >"$T/people.csv" <<'CSV'
email,name,department,role,capacity
zoe@example.org,Zoë Ångström,R&D <Labs>,mentor,3
soren@example.org,Søren Ødegaard-Ñúñez,"Sales & ""Ops""",mentor,2
lucja@example.org,Łucja Wąsowska,R&D <Labs>,mentor,1
li@example.org,李雷 (Li Lei),营销 & 市场,mentee,
minh@example.org,Nguyễn Thị Minh Khai,"Sales & ""Ops""",mentee,
jose@example.org,"José ""Pepe"" <Núñez>",R&D <Labs>,mentee,
obrien@example.org,Siobhán O'Brien & Sons,Finance,mentee,
amira@example.org,أميرة حداد,Finance,mentee,
dmitri@example.org,Дмитрий Иванов,"Sales & ""Ops""",mentee,
CSV
at 2027-01-02 init
at 2027-01-02 program add "$T/nu.yaml"
at 2027-01-02 enroll nu --csv "$T/people.csv"
# active, with check-ins and feedback
at 2027-01-04 pair nu zoe@example.org li@example.org
at 2027-01-04 pair nu zoe@example.org minh@example.org
at 2027-01-04 pair nu soren@example.org jose@example.org
at 2027-01-05 accept 1
at 2027-01-06 accept 2
at 2027-01-07 accept 3
# declined, then proposed again elsewhere and left waiting
at 2027-01-08 pair nu lucja@example.org obrien@example.org
at 2027-01-09 decline 4 --reason "Zeitplan passt nicht <leider> & sorry"
at 2027-01-10 pair nu soren@example.org obrien@example.org
# ended early
at 2027-01-08 pair nu lucja@example.org amira@example.org
at 2027-01-09 accept 6
at 2027-01-12 checkin 1 --on 2027-01-12 --notes "première séance"
at 2027-01-14 checkin 3 --on 2027-01-14
at 2027-01-20 checkin 2 --on 2027-01-20
at 2027-01-22 checkin 6 --on 2027-01-22
at 2027-02-01 end 6 --reason "Moved to 東京 & left <the> programme"
at 2027-02-12 checkin 1 --on 2027-02-12
at 2027-02-20 feedback 1 --by li@example.org --rating 5 --comment "非常好 — très bien & <b>merci</b>"
at 2027-02-21 feedback 2 --by minh@example.org --rating 4 --comment "Cảm ơn \"thầy\" 👍"
at 2027-02-22 feedback 3 --by jose@example.org --rating 2 --comment "a < b > c & d"
at 2027-03-05 feedback --program nu --by dmitri@example.org --rating 3 --comment "Спасибо, но пары нет"
at 2027-03-20 checkin 2 --on 2027-03-20

expect 0 --format html report nu --out "$T/nu.html"
expect 0 --format html report nu --as-of 2027-02-21 --out "$T/nu-early.html"
expect 0 --format html report nu --as-of 2027-01-03 --out "$T/nu-empty.html"
# the texts really are in the page, escaped: the checker sees them
H="$T/nu.html"
check 'grep -qF "Mentoría &lt;Ingeniería&gt; &amp; &quot;Crecimiento&quot; — Zürich 2027" "$H"' "the programme name is not in the page, escaped"
check 'grep -qF "José &quot;Pepe&quot; &lt;Núñez&gt;" "$H"' "a name with quotes and <> is not in the page, escaped"
check 'grep -qF "Cảm ơn &quot;thầy&quot; 👍" "$H"' "a comment outside the BMP is not in the page"
check 'grep -qF "营销 &amp; 市场" "$H"' "a department in Chinese is not in the page"
for g in g-match g-first g-sat g-checkins g-reup g-keep g-vague; do
	check "grep -qF '>$g</th>' \"\$H\"" "goal $g is not in the page"
done

# The sample programme (60 people, 25 proposals), and a group programme
# with nothing matched yet and no ratings.
export MENTORCTL_DB="$T/sample.db" MENTORCTL_TODAY=2027-01-04
sample_programme eng-2027
at 2027-01-11 match eng-2027
at 2027-03-01 --format html report eng-2027 --out "$T/eng.html"
sample_programme leadership-circles-2027
at 2027-03-01 --format html report leadership-circles-2027 --out "$T/circles.html"
# The other models' sections: a network programme after its introductions,
# leader sessions with sign-ups and seats, a flash session with attendance.
sample_programme network-2027
at 2027-01-11 match network-2027
at 2027-03-01 --format html report network-2027 --out "$T/network.html"
setup_ok program add "$DATA/programs/listening-sessions-2027.yaml"
at 2027-01-04 --format csv session add listening-sessions-2027 \
	--leader isolberg@fjordline.example --on 2027-02-10 --at 12:30 \
	--title "Listening <lunch> & \"questions\""
sid=$(tail -n +2 "$T/.out" | cut -d, -f1 | tr -d '\r')
for w in arao nkim ydemir vpopescu; do
	at 2027-01-05 session signup "$sid" "$w@fjordline.example"
done
at 2027-01-06 session seat "$sid" --sendmail "cat >/dev/null"
at 2027-03-01 --format html report listening-sessions-2027 --out "$T/sessions.html"
sample_programme speed-mentoring-2027
at 2027-03-01 --format html report speed-mentoring-2027 --out "$T/flash.html"
for p in network sessions flash; do
	check "grep -q '<section' \"\$T/\$p.html\"" "no $p report"
done
check 'grep -qF "<h2>Network introductions</h2>" "$T/network.html"' "the network section is not in its report"
check 'grep -qF "<h2>Leader sessions</h2>" "$T/sessions.html"' "the sessions section is not in its report"
# Beyond what the checker asks: every table has a caption, every header
# cell a scope (what a screen reader reads out with each cell).
for p in nu nu-early eng circles network sessions flash; do
	check "[ \"\$(grep -o '<table>' \"\$T/\$p.html\" | wc -l)\" = \"\$(grep -o '<caption>' \"\$T/\$p.html\" | wc -l)\" ]" \
		"$p.html: a table without a caption"
	check "! grep -q '<th>' \"\$T/\$p.html\"" "$p.html: a <th> without scope"
done

# The page that must fail: a duplicate id, a stray end tag, an obsolete
# element, an <img> without alt and a <th scope> of no such value.
cat >"$T/broken.html" <<'HTML'
<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>broken</title></head>
<body>
<p id="x">one</p><p id="x">two</p>
<table><tr><th scope="column">head</th></tr></table>
</span>
<blink>old</blink>
<img src="x.png">
</body>
</html>
HTML

pages="broken nu nu-early nu-empty eng circles network sessions flash"
files=""
for p in $pages; do
	check '[ -s "$T/$p.html" ]' "no $p.html written"
	files="$files $T/$p.html"
done
# shellcheck disable=SC2086
timeout 300 java -jar "$VNU_JAR" --format json --stdout --no-langdetect \
	$files >"$T/vnu.json" 2>"$T/vnu.err"
rc=$?
# 1: errors found (in broken.html); anything else is the checker failing
if [ "$rc" -ne 1 ] ||
    ! python3 -c 'import json, sys; json.load(open(sys.argv[1]))' "$T/vnu.json" 2>/dev/null; then
	fail "the checker exited $rc, expected 1 with JSON on stdout: $(head -c 600 "$T/vnu.err")"
	done_testing
	exit 1
fi
check 'python3 - "$T/vnu.json" $pages <<"PY"
import json, os, sys
doc = json.load(open(sys.argv[1], encoding="utf-8"))
msgs = {}
for m in doc["messages"]:
    name = os.path.basename(m.get("url", "")).rsplit(".html", 1)[0]
    msgs.setdefault(name, []).append(m)
bad = False
def show(name, m):
    where = "%s:%s:%s" % (name, m.get("lastLine", "?"), m.get("firstColumn", "?"))
    kind = m.get("subType", m["type"])
    print("  %s: %s: %s" % (where, kind, m.get("message", "")))
    if m.get("extract"):
        print("    | %s" % m["extract"].replace("\n", " "))
# the broken page: proved to be checked, each defect found
got = " ".join(m.get("message", "") for m in msgs.pop("broken", []))
for want in ("Duplicate ID “x”", "Stray end tag “span”", "“blink”",
             "“alt”", "“scope”"):
    if want not in got:
        print("the checker missed %r in broken.html; it said: %s" % (want, got[:400]))
        bad = True
# every report: no message at all
for name in sys.argv[2:]:
    for m in msgs.get(name, []):
        show(name, m)
        bad = True
for name in set(msgs) - set(sys.argv[2:]):
    for m in msgs[name]:
        show(name or "(no file)", m)
        bad = True
sys.exit(1 if bad else 0)
PY' "the Nu checker has messages on the reports (above)"
printf 'checked by %s\n' "$(java -jar "$VNU_JAR" --version 2>&1)"

done_testing
