# Sourced by scripts/demo.sh: the main job on the sample data, step by step.
# Uses $bin, step() and the demo database from demo.sh.

echo
echo "== people, trainings and enrollment (Excel-style CSV: BOM, CRLF)"
step people import data/people.csv
step training add --csv data/trainings.csv
step enroll eng-2027 --csv data/enroll-eng-2027.csv
step --format csv export enrollments --program eng-2027 >"$work/out.txt"
grep -E 'pending|^program' "$work/out.txt" | head -6

echo
echo "== what if: the same candidates under other weights, side by side, nothing stored"
step match eng-2027 --compare-weights skills=1,department:different=6 >"$work/out.txt"
head -14 "$work/out.txt"

echo
echo "== optimal matching, with each criterion's contribution"
# Output to a file first: a reader that stops early (head) would kill the
# command before it commits, and a failed command changes nothing.
step match eng-2027 --explain >"$work/match.txt"
head -12 "$work/match.txt"
step scores eng-2027 --mentee gliu@fjordline.example >"$work/scores.txt"
head -6 "$work/scores.txt"
ids=$("$bin" pairings eng-2027 --status proposed --format csv | tail -n +2 | cut -d, -f1)
last=""
for id in $ids; do
	last=$id
done
for id in $ids; do
	[ "$id" = "$last" ] && break
	"$bin" accept "$id" 2>/dev/null
done
echo "(every proposal but the last accepted by the coordinator)"
step decline "$last" --reason "schedule conflict"
step pairings eng-2027 --status active | head -6

echo
echo "== matching that listens: rankings after trial chats, two mentors each, a stable match"
step enroll chats-2027 --csv data/enroll-chats-2027.csv
step preferences import chats-2027 data/preferences-chats-2027.csv
step match chats-2027 --explain >"$work/out.txt"
cut -c1-120 "$work/out.txt" | head -11

echo
echo "== a cycle, check-ins with discussion prompts, the reminder cron job"
step cycle start eng-2027 --on 2027-01-11
step --today 2027-01-26 checkin 1 --on 2027-01-25 --minutes 45 --rating 5 --notes "private: stays in the database"
step --today 2027-01-26 schedule eng-2027 --until 2027-03-01 >"$work/out.txt"
head -6 "$work/out.txt"
step --today 2027-02-08 remind --dry-run --program eng-2027 >"$work/out.txt"
head -6 "$work/out.txt"
step --today 2027-02-08 remind --dry-run --format mbox --program eng-2027 >"$work/out.txt"
sed -n '1,22p' "$work/out.txt"

echo
echo "== the coordinator's morning"
step --today 2027-02-08 today eng-2027 >"$work/out.txt"
head -12 "$work/out.txt"
step --today 2027-02-08 pairing show 1
step --today 2027-02-08 log --pairing 1 >"$work/out.txt"
head -6 "$work/out.txt"

echo
echo "== results"
step --today 2027-03-01 report eng-2027 >"$work/out.txt"
head -30 "$work/out.txt"
step --today 2027-03-01 report eng-2027 --format html --out "$work/report.html"
echo "(HTML report written: $(wc -c <"$work/report.html") bytes, self-contained)"
step --today 2027-03-01 diagnose eng-2027 >"$work/out.txt"
head -16 "$work/out.txt"
step --today 2027-03-01 export pairings --program eng-2027 >"$work/out.txt"
head -4 "$work/out.txt"

echo
echo "== the other formats: flash rounds, a rotation, circles, peer and reverse"
step training add --csv data/trainings-formats.csv
for s in speed-mentoring-2027 rotation-product-2027 leadership-circles-2027 \
    peer-managers-2027 reverse-digital-2027; do
	step enroll "$s" --csv "data/enroll-$s.csv"
done
step schedule speed-mentoring-2027 >"$work/out.txt"
head -16 "$work/out.txt"
step schedule speed-mentoring-2027 --ics "$work/speed.ics"
echo "($(grep -c BEGIN:VEVENT "$work/speed.ics") calendar events written)"
step match rotation-product-2027 >"$work/out.txt"
head -6 "$work/out.txt"
step --today 2027-01-11 cycle start rotation-product-2027
step --today 2027-01-11 schedule rotation-product-2027 --until 2027-03-10 >"$work/out.txt"
head -8 "$work/out.txt"
step match leadership-circles-2027 >"$work/out.txt"
head -8 "$work/out.txt"
step match peer-managers-2027
step match reverse-digital-2027
step program show reverse-digital-2027 >"$work/out.txt"
grep -E '^(format|format_rules) ' "$work/out.txt"
