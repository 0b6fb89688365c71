#!/bin/sh
# --smtp HOST[:PORT] (issue 14): a run's mail over one SMTP session to a
# local relay, here the aiosmtpd sink (tests/cli/smtp_sink.py, which logs
# every connection and can refuse a recipient, answer 451 or drop the
# connection).  remind and inbox's acknowledgements: the same bytes as the
# --sendmail path, one connection a run; a refused address marked as
# bouncing while the rest go out; a temporary failure retried the next
# run, never twice; a connection lost after the final dot counts as sent
# and the rest go on over a new one; the server down stops the run; a body
# line starting with "." arrives intact (dot-stuffing).
. "$TOP/tests/cli/lib.sh"
. "$TOP/tests/cli/remind_lib.sh"

PY=/usr/bin/python3
SINKS=
trap 'for p in $SINKS; do kill "$p" 2>/dev/null; done; rm -rf "$T"' EXIT
if ! "$PY" -c 'import aiosmtpd' 2>/dev/null; then
	fail "python3-aiosmtpd missing: run 'sh scripts/deps.sh test'"
	done_testing
	exit 1
fi
# Both paths write the same Date header.
export SOURCE_DATE_EPOCH=1799000000

# start_sink DIR [pipelining]: a sink writing into DIR; its port in $PORT.
start_sink() {
	mkdir -p "$1"
	[ "${2:-}" = pipelining ] && : >"$1/.pipelining"
	"$PY" "$TOP/tests/cli/smtp_sink.py" 0 "$1" 90 >"$1.log" 2>&1 &
	SINKS="$SINKS $!"
	LAST_SINK=$!
	_i=0
	while [ ! -e "$1/.ready" ] && [ $_i -lt 100 ]; do
		sleep 0.1
		_i=$((_i + 1))
	done
	_d=$1
	check '[ -e "$_d/.ready" ]' "the SMTP sink did not start: $(cat "$_d.log")"
	PORT=$(cat "$1/.port")
}
# on DB MAILDIR RC CMD...: expect RC from CMD run on database DB, the
# capture program keeping its mail in MAILDIR.
on() {
	_db=$MENTORCTL_DB
	MENTORCTL_DB=$1
	MAILDIR=$2
	export MENTORCTL_DB MAILDIR
	shift 2
	expect "$@"
	MENTORCTL_DB=$_db
}
# smtp_env HOSTPORT RC CMD...: expect with MENTORCTL_SMTP set.
smtp_env() {
	MENTORCTL_SMTP=$1
	export MENTORCTL_SMTP
	shift
	expect "$@"
	unset MENTORCTL_SMTP
}
# connections DIR: how many connections the sink took so far.
connections() { grep -c '^connect ' "$1/.log" 2>/dev/null || echo 0; }
# sink_mails DIR: messages it kept.
sink_mails() { ls "$1" | grep -c '^msg\.[0-9]*$'; }
# wait_quits DIR N: until the sink has seen N QUITs (it may lag the run).
wait_quits() {
	_i=0
	while [ "$(grep -c '^quit$' "$1/.log" 2>/dev/null)" -lt "$2" ] &&
	    [ $_i -lt 50 ]; do
		sleep 0.1
		_i=$((_i + 1))
	done
}

# ---- a programme, three proposals, one mentee without a mentor ----
expect 0 init
expect 0 program add "$DATA/programs/eng-2027.yaml"
people_csv <<'CSV'
email,name,hired_on,level,department
m1@example.org,Mentor One,2015-01-01,5,Eng
m2@example.org,Mentor Two,2015-01-01,5,Eng
m3@example.org,Mentor Three,2015-01-01,5,Eng
m4@example.org,Mentor Four,2015-01-01,5,Eng
e1@example.org,Mentee One,2026-01-01,2,Ops
e2@example.org,Mentee Two,2026-01-01,2,Ops
e3@example.org,Mentee Three,2026-01-01,2,Ops
e4@example.org,Mentee Four,2026-01-01,2,Ops
CSV
{
	echo "email,training,on"
	for p in m1 m2 m3 m4; do echo "$p@example.org,mentor-basics,2026-12-01"; done
	for p in e1 e2 e3 e4; do echo "$p@example.org,mentee-orientation,2026-12-01"; done
} >"$T/training.csv"
expect 0 training add --csv "$T/training.csv"
# e1's goal wraps so that a line of the introduction starts with ".":
# dot-stuffing has something to do.
{
	echo "email,role,goal"
	for p in m1 m2 m3 m4; do echo "$p@example.org,mentor,"; done
	echo "e1@example.org,mentee,Grow into the staff engineer role with reviews .dotfiles and on-call"
	for p in e2 e3 e4; do echo "$p@example.org,mentee,"; done
} >"$T/enroll.csv"
expect 0 enroll eng-2027 --csv "$T/enroll.csv"
for i in 1 2 3; do
	propose eng-2027 m$i@example.org e$i@example.org
done
cp "$MENTORCTL_DB" "$T/twin.db"

# ---- remind: one connection, the same messages as through sendmail ----
start_sink "$T/s1"
S1=$PORT
expect 0 remind --smtp "127.0.0.1:$S1"
n=$(wc -l <"$T/.out")
check '[ "$n" -ge 6 ]' "remind sent $n mails, expected the 6 introductions"
wait_quits "$T/s1" 1
check '[ "$(connections "$T/s1")" -eq 1 ]' \
	"remind used $(connections "$T/s1") SMTP connections, expected 1"
check '[ "$(sink_mails "$T/s1")" -eq "$(q "SELECT count(*) FROM reminder WHERE state = '"'sent'"'")" ]' \
	"the sink kept $(sink_mails "$T/s1") messages; the log says otherwise"
check '[ "$(q "SELECT count(*) FROM reminder WHERE state <> '"'sent'"'")" -eq 0 ]' \
	"a mail over SMTP was not recorded as sent"

mkdir -p "$T/cap"
capture_program "$T/capture"
on "$T/twin.db" "$T/cap" 0 remind --sendmail "$T/capture"
check '[ "$(ls "$T/cap" | grep -c "^msg\.")" -eq "$(sink_mails "$T/s1")" ]' \
	"sendmail took $(ls "$T/cap" | grep -c '^msg\.') messages, SMTP $(sink_mails "$T/s1")"
# Byte for byte, less CRLF; the envelope as sendmail -t reads it.
check '"$PY" - "$T/s1" "$T/cap" <<"PY"
import glob, os, sys
sink, cap = sys.argv[1], sys.argv[2]
def norm(b):
    return b.replace(b"\r\n", b"\n")
got = {}
for f in glob.glob(os.path.join(sink, "msg.[0-9]*")):
    if f.endswith(".env"):
        continue
    raw = open(f, "rb").read()
    env = open(f + ".env").read().split("\n")
    assert "from mentoring@example.org" in env, env
    to = [l[3:] for l in env if l.startswith("to ")]
    assert len(to) == 1, to
    hdr = norm(raw).split(b"\n\n", 1)[0].decode()
    assert ("<%s>" % to[0]) in [l.split()[-1] for l in hdr.split("\n")
                               if l.startswith("To:")], (to, hdr)
    got[norm(raw)] = f
want = {}
for f in glob.glob(os.path.join(cap, "msg.*")):
    want[open(f, "rb").read()] = f
assert set(got) == set(want), "differ: %s / %s" % (
    sorted(got[k] for k in set(got) - set(want)),
    sorted(want[k] for k in set(want) - set(got)))
dotted = [k for k in got if b"\n.dotfiles" in k]
assert dotted, "no body line starts with a dot"
PY' "the messages over SMTP are not those handed to sendmail (see above)"

# ---- faults: a refused address, a temporary failure, a lost connection ----
for i in 1 2 3; do
	expect 0 --today 2027-01-05 accept "$i"
done
cat >"$T/s1/.faults" <<'F'
rcpt m2@example.org 550 5.1.1 <m2@example.org>: Recipient address rejected: User unknown
rcpt e2@example.org 451 4.3.0 <e2@example.org>: try again later
data e1@example.org drop
F
before=$(sink_mails "$T/s1")
conns=$(connections "$T/s1")
expect 69 --today 2027-01-05 remind --smtp "127.0.0.1:$S1"
# m1, then e1 lost after its final dot; a new connection for the rest
err_has "mail to m2@example.org refused for good: SMTP server '127.0.0.1:$S1' refused the recipient: 550 5.1.1"
err_has "mail to e2@example.org not delivered (attempt 1 of 5): SMTP server '127.0.0.1:$S1' refused the recipient: 451 4.3.0"
err_has "mail to e1@example.org: outcome unknown (SMTP server '127.0.0.1:$S1' was lost after the whole message was sent"
check '[ "$(grep -c "^mentorctl: warning:" "$T/.err")" -eq 3 ]' "not one warning per failed mail"
out_has "m1@example.org"
out_has "m3@example.org"
out_has "e3@example.org"
out_lacks "m2@example.org"
wait_quits "$T/s1" 2
check '[ "$(connections "$T/s1")" -eq $((conns + 2)) ]' \
	"after a lost connection: $(($(connections "$T/s1") - conns)) connections, expected 2"
check '[ "$(q "SELECT state FROM reminder WHERE recipient = '"'m2@example.org'"' AND due_on = '"'2027-01-05'"'")" = bounced ]' \
	"the refused address's mail is not 'bounced'"
check '[ "$(q "SELECT state FROM reminder WHERE recipient = '"'e2@example.org'"' AND due_on = '"'2027-01-05'"'")" = failed ]' \
	"the 451 is not kept for a retry"
check '[ "$(q "SELECT state FROM reminder WHERE recipient = '"'e1@example.org'"' AND due_on = '"'2027-01-05'"'")" = handed ]' \
	"the mail lost after its final dot does not count as sent (handed)"
expect 0 mail bounces --format csv
out_has "m2@example.org"

# The next morning, the faults gone: only e2's mail goes, once.
rm "$T/s1/.faults"
grep '^data ' "$T/s1/.log" | sort >"$T/data.before"
expect 0 --today 2027-01-06 remind --smtp "127.0.0.1:$S1"
wait_quits "$T/s1" 3
grep '^data ' "$T/s1/.log" | sort >"$T/data.after"
comm -13 "$T/data.before" "$T/data.after" >"$T/data.new"
check '[ "$(grep -c "e2@example.org" "$T/data.new")" -eq 1 ]' \
	"e2's retried mail did not arrive once: $(cat "$T/data.new")"
check '! grep -q -e "e1@example.org" -e "m2@example.org" -e "m1@example.org" "$T/data.new"' \
	"a mail went out twice: $(cat "$T/data.new")"
check '[ "$(grep -c "^data e1@example.org" "$T/s1/.log")" -eq 2 ]' \
	"e1's mails: $(grep "^data e1@example.org" "$T/s1/.log")"
expect 0 --today 2027-01-06 remind --smtp "127.0.0.1:$S1"
out_is ""

# ---- inbox: every acknowledgement over one connection (PIPELINING) ----
start_sink "$T/s2" pipelining
S2=$PORT
mkdir -p "$T/md/new" "$T/md/cur" "$T/md/tmp"
"$PY" - "$T/s1" "$T/md/new" <<'PY'
import email, email.policy, email.utils, glob, os, sys
sink, new = sys.argv[1], sys.argv[2]
n = 0
for f in sorted(glob.glob(os.path.join(sink, "msg.[0-9]*"))):
    if f.endswith(".env"):
        continue
    m = email.message_from_binary_file(open(f, "rb"), policy=email.policy.default)
    if m["Reply-To"] is None:
        continue
    to = m["To"].addresses[0].addr_spec
    open(os.path.join(new, "17000000%02d.%d.client" % (n, n)), "w").write(
        "From: <%s>\nTo: %s\nSubject: Re: %s\nDate: Wed, 6 Jan 2027 08:30:00 +0100\n"
        "Message-ID: <reply-%d@client.example>\nIn-Reply-To: %s\n"
        "MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\n"
        "met yesterday 45 min\n" % (to, m["Reply-To"], m["Subject"], n,
                                   m["Message-ID"]))
    n += 1
PY
nreplies=$(ls "$T/md/new" | wc -l)
check '[ "$nreplies" -ge 6 ]' "only $nreplies replies made"
cp "$MENTORCTL_DB" "$T/twin2.db"
cp "$MENTORCTL_DB" "$T/twin3.db"
cp -r "$T/md" "$T/md2"
cp -r "$T/md" "$T/md3"
expect 0 --today 2027-01-06 --format csv inbox --maildir "$T/md" --smtp "127.0.0.1:$S2"
err_has "$nreplies messages handled"
check '[ "$(grep -c ",yes," "$T/.out")" -eq "$nreplies" ]' \
	"not every reply was acknowledged: $(cat "$T/.out")"
wait_quits "$T/s2" 1
check '[ "$(connections "$T/s2")" -eq 1 ]' \
	"inbox used $(connections "$T/s2") connections for its acknowledgements"
check '[ "$(sink_mails "$T/s2")" -eq "$nreplies" ]' \
	"the sink kept $(sink_mails "$T/s2") acknowledgements, expected $nreplies"
mkdir -p "$T/cap2"
on "$T/twin2.db" "$T/cap2" 0 --today 2027-01-06 inbox --maildir "$T/md2" \
	--sendmail "$T/capture"
check '"$PY" - "$T/s2" "$T/cap2" <<"PY"
import glob, os, sys
sink, cap = sys.argv[1], sys.argv[2]
got = set(open(f, "rb").read().replace(b"\r\n", b"\n")
          for f in glob.glob(os.path.join(sink, "msg.[0-9]*"))
          if not f.endswith(".env"))
want = set(open(f, "rb").read() for f in glob.glob(os.path.join(cap, "msg.*")))
assert got == want, (len(got), len(want), len(got & want))
PY' "the acknowledgements over SMTP are not those handed to sendmail"

# One acknowledgement refused (pipelined): the others still go, inbox 0.
echo "rcpt e3@example.org 550 5.1.1 <e3@example.org>: no such user" >"$T/s2/.faults"
conns=$(connections "$T/s2")
on "$T/twin3.db" "$T/cap3" 0 --today 2027-01-06 --format csv inbox \
	--maildir "$T/md3" --smtp "127.0.0.1:$S2"
err_has "acknowledgement to e3@example.org not sent: SMTP server '127.0.0.1:$S2' refused the recipient: 550 5.1.1"
ne3=$(grep -l "^From: <e3@example.org>" "$T/md2/cur/"* | wc -l)
check '[ "$ne3" -ge 1 ] && [ "$(grep -c ",yes," "$T/.out")" -eq $((nreplies - ne3)) ]' \
	"the other acknowledgements did not go: $(cat "$T/.out")"
check '[ "$(grep -c ",failed," "$T/.out")" -eq "$ne3" ]' "the refused ones are not 'failed'"
wait_quits "$T/s2" 2
check '[ "$(connections "$T/s2")" -eq $((conns + 1)) ]' "a refusal cost a connection"
rm "$T/s2/.faults"

# ---- suggest --mail over SMTP; MENTORCTL_SMTP ----
conns=$(connections "$T/s2")
# by name: "localhost" may be ::1 too, the sink listens on 127.0.0.1 only
smtp_env "localhost:$S2" 0 suggest eng-2027 e4@example.org --mail --format csv
out_has "e4@example.org"
wait_quits "$T/s2" 3
check '[ "$(connections "$T/s2")" -eq $((conns + 1)) ]' "MENTORCTL_SMTP was not used"
check 'grep -q "^rcpt e4@example.org 250" "$T/s2/.log"' "the suggestion did not reach the sink"
# --sendmail on the command line goes before MENTORCTL_SMTP
mkdir -p "$T/cap4"
MAILDIR="$T/cap4"
export MAILDIR
smtp_env "127.0.0.1:$S2" 0 suggest eng-2027 e4@example.org --mail --force \
	--sendmail "$T/capture"
check '[ "$(ls "$T/cap4" | grep -c "^msg\.")" -eq 1 ]' "--sendmail did not win over MENTORCTL_SMTP"

# ---- usage ----
expect 64 remind --smtp "127.0.0.1:$S1" --sendmail "$T/capture"
err_lines 1
err_has "give --smtp or --sendmail, not both"
expect 64 inbox --smtp "bad host:25" </dev/null
err_lines 1
err_has "--smtp 'bad host:25': expected HOST[:PORT]"
smtp_env "localhost:99999" 64 remind
err_has "MENTORCTL_SMTP 'localhost:99999'"
expect 64 suggest eng-2027 e4@example.org --smtp "127.0.0.1:$S1"
err_has "go with --mail"
# --dry-run connects to nothing
conns=$(connections "$T/s1")
expect 0 --today 2027-01-26 remind --dry-run --smtp "127.0.0.1:$S1"
check '[ "$(connections "$T/s1")" -eq "$conns" ]' "--dry-run connected"

# ---- the server down: the run stops after one failed mail ----
kill $LAST_SINK 2>/dev/null
kill $(echo $SINKS | cut -d' ' -f1) 2>/dev/null
sleep 0.3
failed=$(q "SELECT count(*) FROM reminder WHERE state = 'failed'")
expect 69 --today 2027-01-26 remind --smtp "127.0.0.1:$S1"
err_has "SMTP server '127.0.0.1:$S1' could not be reached: Connection refused"
err_has "the connection to the SMTP server failed twice in a row, so"
check '[ "$(grep -c "^mentorctl: warning:" "$T/.err")" -eq 1 ]' "not one warning for the down server"
check '[ "$(q "SELECT count(*) FROM reminder WHERE state = '"'failed'"'")" -eq $((failed + 1)) ]' \
	"more than the first mail was tried with the server down: $(q "SELECT kind, recipient, due_on, state FROM reminder WHERE state <> 'sent'")"

done_testing
