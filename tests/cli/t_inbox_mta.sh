#!/bin/sh
# inbox behind a real MTA (issue 14): OpenSMTPD listens on loopback, its
# alias action pipes every message for the programme's domain to
# `mentorctl inbox` as an unprivileged user, and mail is sent to it by SMTP
# (swaks), as a participant's mail client or a remote MTA would.  What the
# messages did must be in the database afterwards: a delivery report marks
# the address as bouncing, an auto-reply is recorded and ignored, the same
# message delivered twice is handled once.  Needs root (to run smtpd and
# switch users); skipped, saying why, when that or smtpd is not available.
. "$TOP/tests/cli/lib.sh"

skip() { echo "SKIP: $*"; exit 0; }
[ "$(id -u)" -eq 0 ] || skip "not root"
command -v smtpd >/dev/null 2>&1 || skip "no smtpd (apt-get install opensmtpd)"
command -v swaks >/dev/null 2>&1 || skip "no swaks (apt-get install swaks)"
if pgrep -x smtpd >/dev/null 2>&1; then
	skip "another smtpd runs on this machine; its queue and socket are shared"
fi

R="$TOP/tests/mail/replies"
user=nobody
# The mail system's user must reach the binary, the plugin and the database.
chmod 755 "$T"
mkdir -p "$T/db"
export MENTORCTL_DB="$T/db/test.db"
sample_programme eng-2027
chown -R "$user" "$T/db"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')

cat >"$T/vusers" <<EOF2
mentoring@example.org $user
EOF2
cat >"$T/smtpd.conf" <<EOF2
table vusers file:$T/vusers
listen on 127.0.0.1 port $port
action "inbox" mda "env MENTORCTL_DB=$MENTORCTL_DB MENTORCTL_TODAY=2027-01-25 MENTORCTL_SENDMAIL=/bin/true $MENTORCTL inbox" virtual <vusers>
match from any for domain "example.org" action "inbox"
EOF2
smtpd -n -f "$T/smtpd.conf" >/dev/null 2>&1 || { fail "smtpd.conf does not parse"; done_testing; exit 1; }
smtpd -d -f "$T/smtpd.conf" >"$T/smtpd.log" 2>&1 &
smtpd_pid=$!
trap 'kill $smtpd_pid 2>/dev/null; wait $smtpd_pid 2>/dev/null; rm -rf "$T"' EXIT
i=0
until python3 -c "import socket; socket.create_connection(('127.0.0.1', $port), 1)" 2>/dev/null; do
	i=$((i + 1)); [ $i -lt 100 ] || { fail "smtpd did not start: $(tail -3 "$T/smtpd.log")"; break; }
	sleep 0.1
done

# send FILE: the message as it is, by SMTP, to the programme's address.
send() {
	# as it arrives from outside: no Delivered-To of ours yet (a loop, else)
	grep -v '^Delivered-To:' "$1" >"$T/msg.eml"
	swaks --server 127.0.0.1:"$port" --from "$2" \
		--to mentoring@example.org --data "$T/msg.eml" >"$T/swaks.log" 2>&1 ||
		fail "swaks could not send $1: $(tail -2 "$T/swaks.log")"
}
# handled N: wait until the database has N handled messages.
handled() {
	i=0
	while [ "$(q "SELECT count(*) FROM mail_handled" 2>/dev/null)" != "$1" ]; do
		i=$((i + 1))
		[ $i -lt 200 ] || { fail "expected $1 handled messages, have $(q "SELECT count(*) FROM mail_handled"); smtpd: $(tail -3 "$T/smtpd.log")"; return 1; }
		sleep 0.1
	done
}

send "$R/dsn-postfix-permanent.eml" "<>"
handled 1
check '[ "$(q "SELECT count(*) FROM mail_bounce WHERE address = '"'"'bo.chen@example.net'"'"'")" -eq 1 ]' \
	"the delivery report did not mark the address as bouncing"
send "$R/auto-gmail-vacation.eml" bo.chen.dev@gmail.com
handled 2
check '[ "$(q "SELECT count(*) FROM mail_handled WHERE outcome = '"'"'auto-reply'"'"'")" -eq 1 ]' \
	"the auto-reply was not recorded as one"
# The same message again, as an MTA retry would bring it: handled once.
send "$R/dsn-postfix-permanent.eml" "<>"
sleep 1
check '[ "$(q "SELECT count(*) FROM mail_handled")" -eq 2 ]' "a message delivered twice was handled twice"
check 'grep -q "result=Ok" "$T/smtpd.log"' "smtpd delivered nothing to inbox"
check '! grep -q "result=PermFail\|result=TempFail" "$T/smtpd.log"' \
	"inbox failed a delivery: $(grep -h 'result=' "$T/smtpd.log" | tail -2)"
done_testing
