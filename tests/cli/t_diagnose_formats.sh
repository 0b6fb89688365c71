#!/bin/sh
# diagnose advises only what the programme's format accepts (issue 12 item
# 13): for every sample programme, weeks after enrolment and before any
# matching, each 'mentorctl match' / 'mentorctl suggest' the findings advise
# is run and must not be refused for the format; a flash session has no
# "waited without a proposal" finding (it seats whoever comes), a rotation
# is told to run match, not suggest.
. "$TOP/tests/cli/lib.sh"

setup_ok init
setup_ok people import "$DATA/people.csv"
setup_ok training add --csv "$DATA/trainings.csv"
setup_ok training add --csv "$DATA/trainings-formats.csv"
for f in "$DATA"/programs/*.yaml; do
	slug=$(basename "$f" .yaml)
	setup_ok program add "$f"
	[ -f "$DATA/enroll-$slug.csv" ] && setup_ok enroll "$slug" --csv "$DATA/enroll-$slug.csv"
done

advised=0
for f in "$DATA"/programs/*.yaml; do
	slug=$(basename "$f" .yaml)
	expect 0 --today 2027-03-01 --format json diagnose "$slug"
	printf '%s' "$OUT" >"$T/d.json"
	python3 - "$T/d.json" >"$T/advice" <<'PY'
import json, re, sys
for r in json.load(open(sys.argv[1])):
    for cmd in re.findall(r"'mentorctl (match|suggest)\b[^']*'", r["action"]):
        subj = r["subjects"][0] if r["subjects"] else ""
        print(r["check"], cmd, subj)
PY
	while read -r check cmd subj; do
		advised=$((advised + 1))
		case $cmd in
		match)
			"$MENTORCTL" --today 2027-03-01 match "$slug" --dry-run >"$T/o" 2>"$T/e" ;;
		suggest)
			"$MENTORCTL" --today 2027-03-01 suggest "$slug" "${subj%% *}" >"$T/o" 2>"$T/e" ;;
		esac
		rc=$?
		check '! grep -q "has format" "$T/e"' \
			"$slug: diagnose ($check) advises '$cmd', which refuses the format: $(head -1 "$T/e")"
		check '[ $rc -ne 64 ]' "$slug: '$cmd' as advised exits 64: $(head -1 "$T/e")"
	done <"$T/advice"
	case $slug in
	speed-mentoring-2027)
		check '! grep -q "mentees-waiting" "$T/d.json"' \
			"flash: mentees 'waited without a proposal'" ;;
	rotation-product-2027)
		check 'grep -q "\"mentees-waiting\"" "$T/d.json"' "rotation: the waiting mentees are not reported"
		check '! grep -q "mentorctl suggest" "$T/d.json"' "rotation: suggest advised" ;;
	esac
done
check '[ $advised -gt 3 ]' "only $advised pieces of advice checked"
echo "diagnose formats: $advised commands advised, each run"

done_testing
