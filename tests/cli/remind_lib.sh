# Helpers for the remind tests (sourced after lib.sh): fixtures made
# through the CLI, mail programs that capture or fail, and Message-ID
# counting.

# capture_program PATH [SLEEP]: a mail program that keeps each message in
# $MAILDIR/msg.* (written under a temporary name, then renamed: a killed
# program leaves no half message) and appends its To: to $MAILDIR/.log.
capture_program() {
	cat >"$1" <<PROG
#!/bin/sh
t=\$(mktemp "\$MAILDIR/.tmp.XXXXXX") || exit 75
cat >"\$t" || exit 75
${2:+sleep $2}
to=\$(sed -n 's/^To: .*<\(.*\)>\$/\1/p;/^\$/q' "\$t")
echo "sent \$to" >>"\$MAILDIR/.log"
mv "\$t" "\$(mktemp -u "\$MAILDIR/msg.XXXXXX")"
PROG
	chmod +x "$1"
}

# reject_program PATH ADDRESS STATUS: like capture_program, but a message
# to ADDRESS is refused with exit STATUS (after reading it, as an MTA does).
reject_program() {
	cat >"$1" <<PROG
#!/bin/sh
t=\$(mktemp "\$MAILDIR/.tmp.XXXXXX") || exit 75
cat >"\$t" || exit 75
to=\$(sed -n 's/^To: .*<\(.*\)>\$/\1/p;/^\$/q' "\$t")
if [ "\$to" = "$2" ]; then
	echo "refused \$to" >>"\$MAILDIR/.log"
	rm -f "\$t"
	echo "$2: user unknown" >&2
	exit $3
fi
echo "sent \$to" >>"\$MAILDIR/.log"
mv "\$t" "\$(mktemp -u "\$MAILDIR/msg.XXXXXX")"
PROG
	chmod +x "$1"
}

# flaky_program PATH SEED: fails (exit 75) about half the time, by a
# pseudo-random sequence fixed by SEED and the number of calls so far.
flaky_program() {
	cat >"$1" <<PROG
#!/bin/sh
t=\$(mktemp "\$MAILDIR/.tmp.XXXXXX") || exit 75
cat >"\$t" || exit 75
n=\$(( \$(cat "\$MAILDIR/.calls" 2>/dev/null || echo 0) + 1 ))
echo \$n >"\$MAILDIR/.calls"
if [ "\$(awk -v s=\$n 'BEGIN { srand($2 * 100000 + s); print (rand() < 0.5) }')" = 1 ]; then
	echo "fail" >>"\$MAILDIR/.log"
	rm -f "\$t"
	echo "connection lost" >&2
	exit 75
fi
echo "sent" >>"\$MAILDIR/.log"
mv "\$t" "\$(mktemp -u "\$MAILDIR/msg.XXXXXX")"
PROG
	chmod +x "$1"
}

# message_id FILE: its Message-ID (a long one is folded onto the next line).
message_id() {
	awk '/^$/ { exit } /^Message-ID:/ { id = $2; if (id == "") { getline; id = $1 }; print id }' "$1"
}
# message_ids DIR: every Message-ID in DIR/msg.*, sorted (repeats kept).
message_ids() {
	for f in "$1"/msg.*; do
		[ -f "$f" ] && message_id "$f"
	done | sort
}
# mail_key ID...: "<TOKEN.HASH@domain>" as "<HASH@domain>" (see pairing_ids).
mail_key() {
	sed 's/^<[a-z2-7]*\.\([0-9a-f]\{16\}@\)/<\1/'
}
# mail_text FILE: the decoded body on one line, white space runs as one.
mail_text() {
	/usr/bin/python3 - "$1" <<'PY'
import email, email.policy, signal, sys
signal.signal(signal.SIGPIPE, signal.SIG_DFL)
with open(sys.argv[1], "rb") as fp:
    m = email.message_from_binary_file(fp, policy=email.policy.default)
print(" ".join(m.get_body().get_content().split()))
PY
}

# pairing_ids DIR: the same, less the coordinators' digests, each as the
# mail's own hash: "<TOKEN.HASH@domain>" becomes "<HASH@domain>", for the
# reply token is made with the database's own secret and two databases
# never share it.
pairing_ids() {
	message_ids "$1" | grep -v '^<digest\.' | mail_key | sort
}

# fixture_pairs N DAY: programme eng-2027 with N mentors m1..mN and N
# mentees e1..eN, all eligible, pairing i = mI with eI proposed and
# accepted on DAY, and the first cycle started on DAY.
fixture_pairs() {
	_n=$1
	_day=$2
	expect 0 init
	expect 0 program add "$DATA/programs/eng-2027.yaml"
	{
		echo "email,name,hired_on,level,department"
		_i=1
		while [ $_i -le $_n ]; do
			echo "m$_i@example.org,Mentor $_i,2015-01-01,5,Eng"
			echo "e$_i@example.org,Mentee $_i,2026-01-01,2,Ops"
			_i=$((_i + 1))
		done
	} >"$T/people.csv"
	{
		echo "email,role"
		_i=1
		while [ $_i -le $_n ]; do
			echo "m$_i@example.org,mentor"
			echo "e$_i@example.org,mentee"
			_i=$((_i + 1))
		done
	} >"$T/enroll.csv"
	{
		echo "email,training,on"
		_i=1
		while [ $_i -le $_n ]; do
			echo "m$_i@example.org,mentor-basics,2026-12-01"
			echo "e$_i@example.org,mentee-orientation,2026-12-01"
			_i=$((_i + 1))
		done
	} >"$T/training.csv"
	expect 0 --today 2027-01-04 people import "$T/people.csv"
	expect 0 --today 2027-01-04 training add --csv "$T/training.csv"
	expect 0 --today 2027-01-04 enroll eng-2027 --csv "$T/enroll.csv"
	_i=1
	while [ $_i -le $_n ]; do
		run --today "$_day" pair eng-2027 m$_i@example.org e$_i@example.org
		run --today "$_day" accept $_i
		_i=$((_i + 1))
	done
	expect 0 --today "$_day" cycle start eng-2027
	check '[ "$(sqlite3 "$MENTORCTL_DB" "SELECT count(*) FROM pairing WHERE status = '"'active'"'")" -eq $_n ]' \
		"fixture: not $_n active pairings"
}

# days FROM TO: every day from FROM to TO, one per line.
days() {
	python3 -c 'import datetime, sys
d = datetime.date.fromisoformat(sys.argv[1])
e = datetime.date.fromisoformat(sys.argv[2])
while d <= e:
    print(d.isoformat())
    d += datetime.timedelta(days=1)' "$1" "$2"
}
