#!/bin/sh
# Network mentoring over the calendar (issue 16 item 1): from meeting
# `introductions_from` on, remind asks the mentor for a new contact before
# each meeting, once per meeting, until the mentee has reached the target.
. "$TOP/tests/cli/lib.sh"

sample_programme network-2027
cat >"$T/sendmail" <<'SH'
#!/bin/sh
cat >>"$(dirname "$0")/sent.txt"
SH
chmod +x "$T/sendmail"
export MENTORCTL_SENDMAIL="$T/sendmail"
setup_ok match network-2027
for id in $(q "SELECT id FROM pairing WHERE status = 'proposed'"); do
	setup_ok accept "$id"
done
setup_ok --today 2027-01-11 cycle start network-2027
P=$(q "SELECT min(id) FROM pairing WHERE status = 'active'")
setup_ok --today 2027-01-12 checkin "$P" --on 2027-01-12
setup_ok --today 2027-01-26 checkin "$P" --on 2027-01-26

asks() { grep -c "a new contact for .* at meeting $1" "$T/sent.txt" 2>/dev/null || true; }
for d in 2027-02-01 2027-02-05 2027-02-06; do
	expect 0 --today "$d" remind
done
check '[ "$(asks 3)" -eq 0 ]' "asked for a contact before the reminder window"
for d in 2027-02-07 2027-02-08 2027-02-09; do
	expect 0 --today "$d" remind
done
check '[ "$(asks 3)" -eq 1 ]' "asked $(asks 3) times for meeting 3, expected once"
check 'grep -q "has met 0 of the 6 contacts" "$T/sent.txt"' "the request does not say how far the mentee is"

# meeting 3 held with an introduction; the request for meeting 4 follows
setup_ok --today 2027-02-09 checkin "$P" --on 2027-02-09
setup_ok --today 2027-02-09 introduce "$P" ada@partner.example --name "Ada Lovelace"
for d in 2027-02-20 2027-02-21 2027-02-22 2027-02-23; do
	expect 0 --today "$d" remind
done
check '[ "$(asks 4)" -eq 1 ]' "asked $(asks 4) times for meeting 4, expected once"
check 'grep -q "has met 1 of the 6 contacts" "$T/sent.txt"' "the count of contacts did not move"

# at the target the requests stop
setup_ok --today 2027-02-23 checkin "$P" --on 2027-02-23
for c in b c d e f; do
	setup_ok --today 2027-02-23 introduce "$P" "$c@partner.example"
done
for d in 2027-03-06 2027-03-07 2027-03-08 2027-03-09; do
	expect 0 --today "$d" remind
done
check '[ "$(asks 5)" -eq 0 ]' "asked for a contact after the target was reached"
done_testing
