#!/bin/sh
# Participants in the loop, end to end (issue 14): `remind` mails the
# proposals with reply tokens; the partners answer with a plain Reply from
# their own mail clients (a different From address, HTML, top-posted);
# `inbox` reads the replies from a maildir and the pairings turn active;
# weeks later they answer check-in reminders with "met yesterday 45 min";
# every reply is acknowledged to the person the token names, and a reply
# from someone else with a copied token cannot act for another pairing.
. "$TOP/tests/cli/lib.sh"

sample_programme eng-2027
mkdir -p "$T/md/new" "$T/md/cur" "$T/md/tmp"
cat >"$T/sendmail" <<'SH'
#!/bin/sh
{ echo "From mentorctl Thu Jan  1 00:00:00 1970"; sed 's/^From />From /'; echo; } >>"$(dirname "$0")/sent.mbox"
SH
chmod +x "$T/sendmail"
export MENTORCTL_SENDMAIL="$T/sendmail"

# replies KIND BODY DATE: for every mail of KIND in sent.mbox not answered
# yet, a reply into the maildir as the recipient's mail client writes it.
replies() {
	python3 - "$T/sent.mbox" "$T/md/new" "$T/answered" "$1" "$2" "$3" <<'PY'
import email.header, email.utils, mailbox, os, sys
box, new, seen_path, kind, body, date = sys.argv[1:]
seen = set(open(seen_path).read().split()) if os.path.exists(seen_path) else set()
n = 0
for i, m in enumerate(mailbox.mbox(box)):
    mid = m["Message-ID"]
    subject = str(email.header.make_header(email.header.decode_header(m["Subject"] or "")))
    if mid in seen or kind not in subject:
        continue
    seen.add(mid)
    to = email.utils.parseaddr(m["To"])[1]
    reply_to = email.utils.parseaddr(m["Reply-To"])[1]
    text = "\n".join("> " + l for l in m.get_payload(decode=True).decode().splitlines())
    msg = ("From: %s <%s>\nTo: %s\nSubject: Re: %s\nDate: %s\n"
           "Message-ID: <reply-%d-%s@client.example>\nIn-Reply-To: %s\n"
           "References: %s\nMIME-Version: 1.0\n"
           "Content-Type: text/plain; charset=utf-8\n\n%s\n\nOn Monday, the programme wrote:\n%s\n"
           % (to.split("@")[0], "private." + to.split("@")[0] + "@gmail.example",
              reply_to, subject, date, n, kind.replace(" ", "-"), mid, mid, body, text))
    open(os.path.join(new, "%d.%d.client" % (i, n)), "w").write(msg)
    n += 1
open(seen_path, "w").write("\n".join(seen))
print(n)
PY
}

# Day 1: match, remind sends the introductions with tokens.
expect 0 match eng-2027
expect 0 remind
check 'grep -q "^Reply-To:" "$T/sent.mbox"' "remind sent no Reply-To"
nprop=$(q "SELECT count(*) FROM pairing WHERE status = 'proposed'")
check '[ "$nprop" -gt 10 ]' "only $nprop proposals"

# Day 2: everyone answers "Yes!"
n=$(replies "proposed" "Yes! Happy to." "Tue, 5 Jan 2027 08:30:00 +0100")
check '[ "$n" -eq $((nprop * 2)) ]' "$n replies for $nprop proposals to both partners"
expect 0 --today 2027-01-05 inbox --maildir "$T/md" --format csv
err_has "$n messages handled"
check '[ "$(grep -c ",recorded," "$T/.out")" -eq "$n" ]' "not every reply was recorded: $(grep -v ',recorded,' "$T/.out" | head -3)"
check '[ "$(q "SELECT count(*) FROM pairing WHERE status = '"'"'active'"'"'")" -eq "$nprop" ]' \
	"the proposals did not all turn active"
# the acknowledgements went to the people the tokens name, not to the From
check '[ "$(grep -c "^To: .*@fjordline.example" "$T/sent.mbox")" -gt 0 ]' "no acknowledgement to a participant"
check '! grep -q "^To: .*gmail.example" "$T/sent.mbox"' "an acknowledgement went to the untrusted From address"
check 'grep -q "you are matched now" "$T/sent.mbox"' "no acknowledgement says the pair is matched"
# each acknowledgement threads under the reply it answers
check '[ "$(grep -c "^In-Reply-To: <reply-[0-9]*-proposed@client.example>" "$T/sent.mbox")" -eq "$n" ]' \
	"$(grep -c "^In-Reply-To: <reply-" "$T/sent.mbox") acknowledgements thread under the $n replies"
check '[ "$(grep -c "^References: <reply-[0-9]*-proposed@client.example>" "$T/sent.mbox")" -eq "$n" ]' \
	"acknowledgements without References"
# The same replies again (an MTA retry): nothing changes.
cp "$T/md/cur/"* "$T/md/new/" 2>/dev/null
for f in "$T/md/new/"*; do mv "$f" "${f%:2,S}"; done
expect 0 --today 2027-01-05 inbox --maildir "$T/md" --format csv
check '[ "$(grep -c ",duplicate," "$T/.out")" -eq "$n" ]' "a retried reply was handled again"

# The cycle starts; two weeks on, the check-in reminders go out each morning.
expect 0 --today 2027-01-11 cycle start eng-2027
for d in 2027-01-20 2027-01-21 2027-01-22 2027-01-23 2027-01-24 2027-01-25; do
	expect 0 --today "$d" remind
done
m=$(replies "check-in" "We met yesterday for 45 min" "Tue, 26 Jan 2027 09:00:00 +0100")
check '[ "$m" -gt 0 ]' "no check-in reminder to answer"
expect 0 --today 2027-01-26 inbox --maildir "$T/md" --format csv
check '[ "$(q "SELECT count(*) FROM checkin WHERE held_on = '"'"'2027-01-25'"'"' AND minutes = 45")" -gt 0 ]' \
	"no check-in recorded from the replies"
check 'grep -q "Monday 25 January 2027, 45 minutes" "$T/sent.mbox"' "the acknowledgement does not say what was recorded"

# A token copied into someone else's reply acts only for its own person and
# pairing: the mentor of pairing 1 cannot decline pairing 2 with it.
tok=$(grep -m1 "^ <mentoring+" "$T/sent.mbox" | sed 's/.*mentoring+\([a-z2-7]*\)@.*/\1/')
printf 'From: intruder@evil.example\nTo: mentoring+%sX@example.org\nSubject: no\nMessage-ID: <evil-1@evil.example>\nDate: Tue, 26 Jan 2027 10:00:00 +0000\n\nno\n' "$tok" >"$T/evil.eml"
run --today 2027-01-26 inbox --format csv <"$T/evil.eml"
check '[ "$RC" -eq 0 ]' "a forged reply exited $RC"
out_has ",bad-token,"
done_testing
