#!/bin/sh
# Typed JSON (issue 17, item 5): every output that `--format json` can give
# is checked against its JSON Schema in docs/schema (draft 2020-12, with
# python3-jsonschema): numbers are numbers, days and timestamps strings of
# their ISO 8601 form, empty values null, structured values nested.  The
# programmes are built through the CLI; every command of `mentorctl --help`
# is either in the list of JSON outputs below or in the list of commands
# without one, so a new command cannot slip past, and every JSON output has
# its schema file.
. "$TOP/tests/cli/lib.sh"

SCHEMAS="$TOP/docs/schema"
J="$T/json"
mkdir -p "$J"

# Commands whose output is never JSON: they write, and say so on stderr.
NO_JSON='accept
backup
completion
conflicts import
cycle start
decline
end
enroll
feedback
flash attend
flash seat
init
mail bounce
mail clear
mail resend
people import
preferences import
program add
program check
program new
program update
reup
scores import
session attend
session cancel
session signup
training add
training remove
withdraw'

# has_output NAME: the test kept an output NAME.json or NAME-*.json.
has_output() {
	for _f in "$J/$1.json" "$J/$1"-*.json; do
		[ -f "$_f" ] && return 0
	done
	return 1
}

# json NAME CMD...: run mentorctl with --format json, keep stdout as NAME.
json() {
	_name=$1
	shift
	"$MENTORCTL" --format json "$@" >"$J/$_name.json" 2>"$T/.jerr"
	_rc=$?
	CHECKS=$((CHECKS + 1))
	if [ "$_rc" -ne 0 ]; then
		fail "mentorctl --format json $* exited $_rc: $(head -c 400 "$T/.jerr")"
		rm -f "$J/$_name.json"
	fi
}

# ---- the data: the sample people, trainings and programmes ----
setup_ok init
for f in "$DATA"/programs/*.yaml; do
	setup_ok program add "$f"
done
setup_ok people import "$DATA/people.csv"
# Someone HR knows only by address: every field but the e-mail null.
printf 'email\nnoname@fjordline.example\n' >"$T/noname.csv"
setup_ok people import "$T/noname.csv"
setup_ok training add --csv "$DATA/trainings.csv"
setup_ok training add --csv "$DATA/trainings-formats.csv"
for s in eng-2027 network-2027 speed-mentoring-2027 rotation-product-2027 \
    leadership-circles-2027; do
	setup_ok enroll "$s" --csv "$DATA/enroll-$s.csv"
done
printf 'email,other_email,reason\nsmarin@fjordline.example,cmartin@fjordline.example,same team\n' >"$T/conflicts.csv"
setup_ok conflicts import "$T/conflicts.csv" --program eng-2027

json program-list program list
json program-show program show eng-2027
json program-show-rotation program show rotation-product-2027
json people-list people list
json people-list-program people list --program eng-2027
json training-list training list
json conflicts-list conflicts list
printf 'mentee_email,mentor_email,rank,rating,mentee_choice\nabello@fjordline.example,anair@fjordline.example,1,5,prefer\nabello@fjordline.example,tlindqvist@fjordline.example,2,,\n' >"$T/preferences.csv"
setup_ok preferences import eng-2027 "$T/preferences.csv"
json preferences-list preferences list eng-2027

# Matching: a manual pair, what-if, the plan explained, then the real one.
json pair pair eng-2027 tlindqvist@fjordline.example jbrooks@fjordline.example --force
json match-compare match eng-2027 --compare-weights skills=1,department:different=6
json match-explain match eng-2027 --dry-run --explain
json scores scores eng-2027
# The coordinator's overrides: a bonus and a veto, read back by scores.
printf 'mentee_email,mentor_email,bonus,veto,fixed\nabello@fjordline.example,anair@fjordline.example,10,,\nzlaurent@fjordline.example,tlindqvist@fjordline.example,,yes,\n' >"$T/overrides.csv"
setup_ok scores import eng-2027 "$T/overrides.csv"
json scores-mentee scores eng-2027 --mentee zlaurent@fjordline.example
CHECKS=$((CHECKS + 1))
grep -q '"veto":true' "$J/scores-mentee.json" ||
	fail "scores --mentee: the veto is not the JSON true"
json suggest suggest eng-2027 zlaurent@fjordline.example
json suggest-mail suggest eng-2027 --mail --dry-run --top 3
json match match eng-2027
json match-rotation match rotation-product-2027
json match-group match leadership-circles-2027
json pairings pairings eng-2027

# Everyone accepts but the last proposal, which is declined.
ids=$("$MENTORCTL" --format csv pairings eng-2027 --status proposed | tr -d '\r' |
	awk -F, 'NR > 1 { print $1 }')
last=$(printf '%s\n' "$ids" | tail -1)
for id in $ids; do
	if [ "$id" = "$last" ]; then
		setup_ok decline "$id" --reason "schedule conflict"
	else
		setup_ok accept "$id"
	fi
done
first=$(printf '%s\n' "$ids" | head -1)
json pairings-waitlist pairings eng-2027 --waitlist
json pairings-rotation pairings rotation-product-2027
setup_ok cycle start eng-2027 --on 2027-01-11
json cycle-list cycle list eng-2027
json checkin --today 2027-01-26 checkin "$first" --on 2027-01-25 --minutes 45 \
	--rating 5 --notes "private"
json schedule --today 2027-01-26 schedule eng-2027 --until 2027-03-01
json schedule-flash schedule speed-mentoring-2027
# The session seated and attended: the report's flash section.
setup_ok flash seat speed-mentoring-2027
setup_ok --today 2027-03-18 flash attend speed-mentoring-2027 \
	hsato@fjordline.example tjohnson@fjordline.example
json report-flash --today 2027-03-19 report speed-mentoring-2027
setup_ok --today 2027-01-11 cycle start rotation-product-2027
# The first period's mentees accept, so that its close ends pairings.
for id in $("$MENTORCTL" --today 2027-01-11 --format csv pairings \
    rotation-product-2027 --status proposed | tr -d '\r' |
    awk -F, 'NR > 1 { print $1 }'); do
	setup_ok --today 2027-01-11 accept "$id"
done
json schedule-rotation --today 2027-01-11 schedule rotation-product-2027 --until 2027-03-10
setup_ok --today 2027-02-01 feedback "$first" --by "$(
	"$MENTORCTL" --format csv pairings eng-2027 | tr -d '\r' |
	awk -F, -v id="$first" '$1 == id { print $2 }')" --rating 4 --comment "good"

# The morning: reminders (one mail program that fails), replies, the screen.
json remind --today 2027-02-08 remind --dry-run --program eng-2027
"$MENTORCTL" --today 2027-02-08 remind --program eng-2027 --sendmail 'exit 75' \
	>/dev/null 2>&1
json mail-unsent mail unsent
setup_ok mail bounce gone@fjordline.example --reason "left the company"
json mail-bounces mail bounces
printf 'From: ana@fjordline.example\nTo: mentoring@example.org\nSubject: hello\nMessage-ID: <x1@fjordline.example>\nDate: Mon, 08 Feb 2027 09:00:00 +0000\n\nyes\n' >"$T/reply.eml"
json inbox --today 2027-02-08 inbox --dry-run <"$T/reply.eml"
json today --today 2027-02-08 today
json status --today 2027-02-08 status
json pairing-show --today 2027-02-08 pairing show "$first" --include-notes
json log log --pairing "$first"
json report --today 2027-03-01 report eng-2027
json diagnose --today 2027-03-01 diagnose eng-2027
json cycle-close --today 2027-06-25 cycle close eng-2027 --dry-run
json cycle-close-rotation --today 2027-02-11 cycle close rotation-product-2027

# A circle meets: one check-in for every member.
for id in $("$MENTORCTL" --format csv pairings leadership-circles-2027 |
    tr -d '\r' | awk -F, 'NR > 1 { print $1 }'); do
	setup_ok accept "$id"
	circle=$id
done
setup_ok --today 2027-03-01 cycle start leadership-circles-2027
json checkin-group --today 2027-03-03 checkin "$circle" --on 2027-03-02 \
	--minutes 60 --group

# Network mentoring: three meetings, then an introduction.
setup_ok --today 2027-01-11 match network-2027
net=$("$MENTORCTL" --format csv pairings network-2027 | tr -d '\r' |
	awk -F, 'NR == 2 { print $1 }')
setup_ok --today 2027-01-11 accept "$net"
for d in 2027-01-25 2027-02-08 2027-02-22; do
	setup_ok --today "$d" checkin "$net" --on "$d" --minutes 45
done
json introduce --today 2027-02-22 introduce "$net" jnovak@fjordline.example \
	--note "runs the graduate programme" --meet 2027-03-01 --at 12:30

# Leader sessions: add, invite, sign-ups beyond the seats, seat.
json session-add session add listening-sessions-2027 \
	--leader isolberg@fjordline.example --on 2027-02-10 --at 12:30 \
	--title "Listening lunch"
sid=$(sed -n 's/.*"id": *\([0-9]*\).*/\1/p' "$J/session-add.json" | head -1)
json session-invite session invite "$sid" --sendmail "cat >>'$T/outbox'"
for w in arao nkim ydemir vpopescu mlopez jnovak ohaddad; do
	setup_ok session signup "$sid" "$w@fjordline.example"
done
json session-seat session seat "$sid" --sendmail "cat >>'$T/outbox'"
json session-list session list listening-sessions-2027
json people-show people show smarin@fjordline.example

for e in people enrollments pairings checkins feedback reminders introductions; do
	json "export-$e" export "$e"
done
# With the private text: one more column.
for e in checkins feedback introductions; do
	json "export-$e-notes" export "$e" --include-notes
done

# ---- every command of --help is classified, every output has a schema ----
expect 0 --help
printf '%s\n' "$OUT" | sed -n '/^commands:/,/^$/p' |
	sed -n 's/^  \([a-z][a-z-]*\( [a-z][a-z-]*\)\{0,1\}\) .*/\1/p' >"$T/cmds"
while read -r cmd; do
	name=$(printf '%s' "$cmd" | tr ' ' -)
	if printf '%s\n' "$NO_JSON" | grep -qx -- "$cmd"; then
		has_output "$name" && fail "'$cmd' is in NO_JSON but has a JSON output"
		continue
	fi
	has_output "$name" ||
		fail "'$cmd' is neither run here with --format json nor listed in NO_JSON: run it here and write docs/schema/$name.schema.json, or list it in NO_JSON if it has no JSON output"
done <"$T/cmds"

# The schema of an output: its own (match-explain) or its command's (match);
# another name of a command has that command's (status is today).
schema_of() {
	_n=$1
	case $_n in status) _n=today ;; esac
	while [ -n "$_n" ]; do
		[ -f "$SCHEMAS/$_n.schema.json" ] && {
			echo "$SCHEMAS/$_n.schema.json"
			return 0
		}
		case $_n in *-*) _n=${_n%-*} ;; *) _n= ;; esac
	done
	return 1
}

for f in "$J"/*.json; do
	name=$(basename "$f" .json)
	CHECKS=$((CHECKS + 1))
	if ! s=$(schema_of "$name"); then
		fail "no schema for the JSON output '$name' (docs/schema/$name.schema.json)"
		continue
	fi
	printf '%s %s\n' "$s" "$f"
done >"$T/pairs"
grep '^not ok' "$T/pairs" && FAILS=$((FAILS + $(grep -c '^not ok' "$T/pairs")))

/usr/bin/python3 - "$T/pairs" >"$T/validate" 2>&1 <<'PY'
import json, sys
from jsonschema import Draft202012Validator as V

bad = 0
for line in open(sys.argv[1]):
    if line.startswith('not ok'):
        continue
    schema_path, out_path = line.split()
    schema = json.load(open(schema_path))
    V.check_schema(schema)
    data = json.load(open(out_path))
    errors = sorted(V(schema, format_checker=V.FORMAT_CHECKER).iter_errors(data),
                    key=lambda e: list(e.absolute_path))
    if not data:
        print('not ok: %s is empty: nothing was checked' % out_path)
        bad += 1
    for e in errors[:5]:
        print('not ok: %s: %s: %s' % (out_path.rsplit('/', 1)[1],
              '/'.join(map(str, e.absolute_path)), e.message[:300]))
        bad += 1
print('validated')
sys.exit(1 if bad else 0)
PY
vrc=$?
CHECKS=$((CHECKS + 1))
if [ "$vrc" -ne 0 ]; then
	FAILS=$((FAILS + 1))
	cat "$T/validate"
fi

# Every schema is used: a schema whose output is no longer produced is stale.
for s in "$SCHEMAS"/*.schema.json; do
	[ -f "$s" ] || continue
	n=$(basename "$s" .schema.json)
	CHECKS=$((CHECKS + 1))
	has_output "$n" ||
		fail "docs/schema/$n.schema.json checks no output of this test"
done

[ -n "${KEEP_JSON:-}" ] && cp "$J"/*.json "$KEEP_JSON"/
done_testing
