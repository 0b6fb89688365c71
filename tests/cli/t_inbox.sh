#!/bin/sh
# inbox from the command line (issue 14): one message on stdin, a maildir, an
# mbox; exit statuses for an MTA (0 handled, 65 not a mail, 75 busy); a
# message handled once whatever the retries; delivery reports mark addresses
# as bouncing; auto-replies and mail without a token change nothing and get
# no answer; --dry-run changes nothing.  Replies with genuine tokens are
# carried out in test_ops_inbox (the whole reply corpus) and end to end in
# t_inbox_replies.sh.
. "$TOP/tests/cli/lib.sh"

R="$TOP/tests/mail/replies"
sample_programme eng-2027
# a mail program that keeps what it is given
cat >"$T/sendmail" <<'SH'
#!/bin/sh
cat >>"$(dirname "$0")/sent.mbox"
SH
chmod +x "$T/sendmail"
export MENTORCTL_SENDMAIL="$T/sendmail"

# Not a mail: 65 and one line; nothing recorded.
run inbox <"$R/not-mail-binary.bin"
check '[ "$RC" -eq 65 ]' "binary input exited $RC, expected 65"
err_lines 1
err_has "not an e-mail message"
run inbox </dev/null
check '[ "$RC" -eq 65 ]' "empty input exited $RC, expected 65"

# A delivery report: the address is marked as bouncing, nobody is answered.
expect 0 inbox --format csv <"$R/dsn-postfix-permanent.eml"
out_has ",bounce,"
out_has "bo.chen@example.net"
expect 0 mail bounces --format csv
out_has "bo.chen@example.net"
# The MTA delivers it again: handled once.
expect 0 inbox --format csv <"$R/dsn-postfix-permanent.eml"
out_has ",duplicate,"
check '[ "$(q "SELECT count(*) FROM mail_handled")" -eq 1 ]' "a retry was recorded twice"

# Auto-replies and mail without a token change nothing and get no answer.
before=$(db_dump | md5sum)
expect 0 inbox --format csv --dry-run <"$R/auto-outlook-automatic-reply.eml"
out_has ",auto-reply,"
check '[ "$(db_dump | md5sum)" = "$before" ]' "--dry-run changed the database"
expect 0 inbox --format csv <"$R/auto-outlook-automatic-reply.eml"
out_has ",auto-reply,"
expect 0 inbox --format csv <"$R/no-token.eml"
out_has ",no-token,"
# a forged token (the corpus placeholder, not a real token) is not trusted
sed 's/@FORGED@/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/' "$R/token-forged.eml" >"$T/forged.eml"
expect 0 inbox --format csv <"$T/forged.eml"
out_has ",bad-token,"
check '[ ! -e "$T/sent.mbox" ]' "a message without a genuine token was answered"

# A maildir: every message of new/ handled once, moved to cur/.
mkdir -p "$T/md/new" "$T/md/cur" "$T/md/tmp"
cp "$R/dsn-exchange-permanent.eml" "$T/md/new/1700000000.1.host"
cp "$R/auto-x-autoreply.eml" "$T/md/new/1700000001.2.host"
cp "$R/not-mail-plain-text.txt" "$T/md/new/1700000002.3.host"
expect 0 inbox --maildir "$T/md" --format csv
out_has "1700000000.1.host"
out_has ",bounce,"
err_has "2 messages handled, 1 not mail"
check '[ -z "$(ls "$T/md/new")" ]' "maildir new/ not emptied: $(ls "$T/md/new")"
check '[ -e "$T/md/cur/1700000000.1.host:2,S" ]' "handled message not in cur/ with its flags"
expect 0 inbox --maildir "$T/md"
err_has "0 messages handled"
expect 66 inbox --maildir "$T/nowhere"
err_lines 1

# An mbox of several messages, one quoted "From " line in a body.
{
	printf 'From MAILER-DAEMON Mon Jan 25 10:00:05 2027\n'
	cat "$R/dsn-gmail-two-recipients.eml"
	printf '\nFrom someone Mon Jan 25 11:00:00 2027\n'
	cat "$R/auto-gmail-vacation.eml"
	printf '\n>From the mbox: quoted\n'
} >"$T/box.mbox"
expect 0 inbox --mbox "$T/box.mbox" --format csv
out_has "1,mailer-daemon@googlemail.com,bounce"
out_has ",auto-reply,"
err_has "2 messages handled"

# Busy: another writer holds the database past the busy timeout: 75, so
# that the MTA tries again later; nothing half-done.
cp "$R/dsn-postfix-delayed.eml" "$T/late.eml"
python3 - "$MENTORCTL_DB" <<'PY' &
import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("BEGIN IMMEDIATE")
open(sys.argv[1] + ".locked", "w").close()
time.sleep(13)
c.execute("ROLLBACK")
PY
holder=$!
while [ ! -e "$MENTORCTL_DB.locked" ]; do sleep 0.1; done
run inbox <"$T/late.eml"
check '[ "$RC" -eq 75 ]' "inbox under a held lock exited $RC, expected 75"
err_lines 1
wait "$holder"
expect 0 inbox --format csv <"$T/late.eml"
out_has ",bounce,"

# Options
expect 64 inbox --maildir "$T/md" --mbox "$T/box.mbox"
err_lines 1
done_testing
