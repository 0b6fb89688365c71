#!/bin/sh
# remind end to end through a real MTA path: msmtp delivering over SMTP to
# a local sink on 127.0.0.1 (tests/cli/smtp_sink.py, aiosmtpd).  Checks
# what arrived: the headers, the envelope, the next prompt in the body.
. "$TOP/tests/cli/lib.sh"

SINK=
trap '[ -n "$SINK" ] && kill "$SINK" 2>/dev/null; rm -rf "$T"' EXIT
PY=/usr/bin/python3
if ! command -v msmtp >/dev/null 2>&1 ||
    ! "$PY" -c 'import aiosmtpd' 2>/dev/null; then
	fail "msmtp or python3-aiosmtpd missing: run 'sh scripts/deps.sh test'"
	done_testing
	exit 1
fi

expect 0 init
expect 0 program add "$DATA/programs/eng-2027.yaml"
printf 'email,name\nann@example.org,Ann Mentor\nbob@example.org,Björn Mentee\ncat@example.org,Cat Newcomer\n' >"$T/people.csv"
expect 0 people import "$T/people.csv"
expect 0 enroll eng-2027 ann@example.org --role mentor
expect 0 enroll eng-2027 bob@example.org --role mentee
# Cat lacks mentee-orientation: pending, the coordinators' digest's news.
expect 0 enroll eng-2027 cat@example.org --role mentee
# An active pairing from 2027-01-11: proposed (forced past the rules they
# do not meet yet) and accepted.
activate eng-2027 ann@example.org bob@example.org 2027-01-11
expect 0 --today 2027-01-11 cycle start eng-2027
expect 0 --today 2027-01-12 checkin "$PAIR" --on 2027-01-12

# The sink picks a free port and says which; it dies by itself after 60 s.
"$PY" "$TOP/tests/cli/smtp_sink.py" 0 "$T/sink" 60 >"$T/sink.log" 2>&1 &
SINK=$!
i=0
while [ ! -e "$T/sink/.ready" ] && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
check '[ -e "$T/sink/.ready" ]' "the SMTP sink did not start: $(cat "$T/sink.log")"
port=$(cat "$T/sink/.port" 2>/dev/null)

cat >"$T/msmtprc" <<EOF
defaults
auth off
tls off
timeout 10
logfile $T/msmtp.log
account default
host 127.0.0.1
port $port
from mentoring@example.org
EOF
chmod 600 "$T/msmtprc"

# Meeting 2 is due 01-26; reminded from 01-24.
expect 0 --today 2027-01-24 remind --sendmail "msmtp --file=$T/msmtprc -t"
out_has "checkin_due 1 ann@example.org 2027-01-26"
out_has "checkin_due 1 bob@example.org 2027-01-26"
i=0
while [ "$(ls "$T/sink" | grep -c '^msg\.[0-9]*$')" -lt 3 ] && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
check '[ "$(ls "$T/sink" | grep -c "^msg\.[0-9]*$")" -eq 3 ]' \
	"the sink received $(ls "$T/sink" | grep -c '^msg\.[0-9]*$') messages, expected 3 (2 reminders, 1 digest)"

check '"$PY" - "$T/sink" <<"PY"
import email, email.policy, email.utils, glob, os, sys
d = sys.argv[1]
got = {}
for f in sorted(glob.glob(os.path.join(d, "msg.[0-9]*"))):
    if f.endswith(".env"):
        continue
    raw = open(f, "rb").read()
    m = email.message_from_bytes(raw, policy=email.policy.default)
    env = open(f + ".env").read().split("\n")
    assert "from mentoring@example.org" in env, env
    if "digest" in str(m["Subject"]):
        # The digest of the coordinators: pending enrollments are news.
        assert m["To"].addresses[0].addr_spec == "mentoring@example.org"
        assert "Pending eligibility: 1 (1 new)" in m.get_body().get_content()
        continue
    for h in ("From", "To", "Subject", "Message-ID", "Date"):
        assert len(m.get_all(h) or []) == 1, (h, m.get_all(h))
    assert m["From"].addresses[0].addr_spec == "mentoring@example.org", m["From"]
    assert m["From"].addresses[0].display_name == "Engineering Mentoring 2027"
    to = m["To"].addresses[0]
    assert "to " + to.addr_spec in env, (to, env)
    # the reply token, then the hash of the mail
    import re
    assert re.fullmatch(r"<[a-z2-7]+\.[0-9a-f]{16}@example\.org>",
                        m["Message-ID"]), m["Message-ID"]
    open(os.path.join(d, "ids"), "a").write(m["Message-ID"][1:-1] + "\n")
    assert email.utils.parsedate_to_datetime(m["Date"]) is not None
    body = m.get_body().get_content()
    assert "Suggested topic for meeting 2:" in body, body
    assert "ambitions, goals, needs and challenges" in body, body
    got[to.addr_spec] = (to.display_name, str(m["Subject"]))
assert got["ann@example.org"] == ("Ann Mentor",
    "Engineering Mentoring 2027: check-in with Björn Mentee due on 2027-01-26"), got
assert got["bob@example.org"][0] == "Björn Mentee", got
PY' "the messages the sink received are not the reminders (see above)"

# Both recorded as sent, with the Message-ID that went out.
check '[ "$(sqlite3 "$MENTORCTL_DB" "SELECT message_id FROM reminder WHERE state = '"'sent'"' AND kind = '"'checkin_due'"' ORDER BY 1")" = "$(sort "$T/sink/ids")" ]' \
	"the sent reminders are not recorded with their Message-ID"

# The MTA down: msmtp cannot connect, remind exits 69, one warning line
# per mail (msmtp's own words in it) and one error line; the failures are
# kept for a retry.
kill "$SINK" 2>/dev/null
wait "$SINK" 2>/dev/null
SINK=
expect 69 --today 2027-02-01 remind --sendmail "msmtp --file=$T/msmtprc -t"
err_has "mail program 'msmtp --file="
err_has "exited with status 75 (temporary failure): msmtp: cannot connect to 127.0.0.1"
check '[ "$(grep -c "^mentorctl: warning:" "$T/.err")" -eq 2 ]' "not one warning per mail"
check '[ "$(grep -vc "^mentorctl: warning:" "$T/.err")" -eq 1 ]' "more than one error line"
check '[ "$(sqlite3 "$MENTORCTL_DB" "SELECT count(*) FROM reminder WHERE state = '"'failed'"'")" -eq 2 ]' \
	"the failed deliveries are not kept for a retry"

done_testing
