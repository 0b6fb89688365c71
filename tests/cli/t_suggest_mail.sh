#!/bin/sh
# suggest --mail (issue 19, item 1): a mentee gets their top mentors by
# mail with a reply token bound to their enrollment; a plain Reply "1. Ana
# 2. Cy" (or "2, 1") goes through `inbox` into the preferences that a
# `compare: preference` criterion scores; names match only the mentors
# that mail listed; replay, a forged token and another From change nothing
# beyond the token's person.
. "$TOP/tests/cli/lib.sh"

cat >"$T/p.yaml" <<'YAML'
slug: s-2027
name: Suggestions
purpose: engagement
format: one-to-one
owner: People
contact: coord@ex.org
roles: { mentor: { capacity: 1 } }
matching:
  consent: none
  min_score: 0
  criteria:
    - { compare: preference, weight: 10 }
    - { attribute: skills, mentee_attribute: wants, compare: overlap, weight: 1 }
YAML
cat >"$T/people.csv" <<'CSV'
email,name,title,department,skills,wants
m1@ex.org,Ana Lopez,Staff Engineer,Eng,go;sql;rust,
m2@ex.org,Bo Berg,Analyst,Sales,sql,
m3@ex.org,Cy Ng,Architect,Legal,go,
m4@ex.org,Ana Berg,Engineer,Ops,rust,
e1@ex.org,Eva One,Intern,Ops,,go;sql;rust
e2@ex.org,Finn Two,Intern,Ops,,sql
CSV
mkdir -p "$T/md/new" "$T/md/cur" "$T/md/tmp"
cat >"$T/sendmail" <<'SH'
#!/bin/sh
{ echo "From mentorctl Thu Jan  1 00:00:00 1970"; sed 's/^From />From /'; echo; } >>"$(dirname "$0")/sent.mbox"
SH
chmod +x "$T/sendmail"
export MENTORCTL_SENDMAIL="$T/sendmail"
expect 0 init
expect 0 program add "$T/p.yaml"
expect 0 people import "$T/people.csv"
for m in m1 m2 m3 m4; do expect 0 enroll s-2027 $m@ex.org --role mentor; done
for e in e1 e2; do expect 0 enroll s-2027 $e@ex.org --role mentee; done

# reply TO BODY NAME [FROM [TOKENFIX]]: a top-posted reply to the latest
# mail to TO, quoting it; FROM another address; TOKENFIX alters the token.
reply() {
	python3 - "$T/sent.mbox" "$T/md/new" "$@" <<'PY'
import email.utils, mailbox, os, sys
box, new, to, body, name = sys.argv[1:6]
frm = sys.argv[6] if len(sys.argv) > 6 and sys.argv[6] else to
alter = len(sys.argv) > 7
last = [m for m in mailbox.mbox(box) if email.utils.parseaddr(m["To"])[1] == to
        and "which mentor" in (m["Subject"] or "")
        and not (m["Subject"] or "").startswith("Re:")][-1]
reply_to = email.utils.parseaddr(last["Reply-To"])[1]
mid = last["Message-ID"]
if alter:
    local, dom = reply_to.split("@")
    tok = local.split("+")[1]
    tok = tok[:-3] + ("aaa" if tok[-3:] != "aaa" else "bbb")
    reply_to = "coord+%s@%s" % (tok, dom)
    mid = "<%s.x@ex.org>" % tok
text = "\n".join("> " + l for l in last.get_payload(decode=True).decode().splitlines())
msg = ("From: %s\nTo: %s\nSubject: Re: %s\nDate: Tue, 5 Jan 2027 08:30:00 +0100\n"
       "Message-ID: <%s@client.example>\nIn-Reply-To: %s\nReferences: %s\n"
       "MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\n"
       "%s\n\nOn Monday, Suggestions wrote:\n%s\n" % (frm, reply_to, last["Subject"],
       name, mid, mid, body, text))
open(os.path.join(new, name), "w").write(msg)
PY
}

# ranks MENTEE: the mentors MENTEE ranked, best first (read-only).
ranks() {
	q "SELECT group_concat(email, ' ') FROM (SELECT p.email AS email
	   FROM preference f JOIN person p ON p.id = f.mentor_id
	   JOIN person e ON e.id = f.mentee_id WHERE e.email = '$1'
	   ORDER BY f.rank)"
}

# ---- bad use ----
expect 64 suggest s-2027
expect 64 suggest s-2027 e1@ex.org --force
expect 65 suggest nope-2027 --mail

# ---- dry run: what would go, nothing recorded ----
before=$(db_dump)
expect 0 --format csv suggest s-2027 --mail --dry-run --top 3
out_has "e1@ex.org,Eva One,would-send,"
out_has "e2@ex.org,Finn Two,would-send,"
err_has "dry run"
check '[ ! -e "$T/sent.mbox" ]' "a dry run sent mail"
check '[ "$(db_dump)" = "$before" ]' "a dry run changed the database"
expect 0 --format json suggest s-2027 e1@ex.org --mail --dry-run --top 3
out_has '"mentors":["m1@ex.org"'

# ---- the mails, once a day ----
expect 0 --format csv suggest s-2027 --mail --top 4
out_has "e1@ex.org,Eva One,sent,"
check '[ "$(grep -c "^To: " "$T/sent.mbox")" -eq 2 ]' "not two mails"
check 'grep -q "^Auto-Submitted: auto-generated" "$T/sent.mbox"' "no Auto-Submitted"
check 'grep -q "^X-Auto-Response-Suppress: All" "$T/sent.mbox"' "no X-Auto-Response-Suppress"
check 'grep -q "^Reply-To: .*coord+[a-z2-7]*@ex.org" "$T/sent.mbox"' "no Reply-To with a token"
check '! awk "length > 78" "$T/sent.mbox" | grep -q .' "a line over 78"
check 'grep -q "^1\. Ana Lopez, Staff Engineer, Eng" "$T/sent.mbox"' "the list lacks Ana Lopez"
check 'grep -q "shared skills" "$T/sent.mbox"' "no reasons in the list"
expect 0 --format csv suggest s-2027 --mail --top 3
out_lacks ",sent,"
err_has "0 suggestion mails (2 sent today before"
check '[ "$(grep -c "^To: " "$T/sent.mbox")" -eq 2 ]' "a second run sent again"
expect 0 --format csv suggest s-2027 e2@ex.org --mail --top 1 --force
out_has "e2@ex.org,Finn Two,sent,"
check '[ "$(grep -c "^To: " "$T/sent.mbox")" -eq 3 ]' "--force did not send again"

# ---- replies ----
# e1's list: 1. Ana Lopez, then Bo Berg, Cy Ng, Ana Berg (one skill each).
# "Ana" names two listed mentors: refused, with how to fix it.
reply e1@ex.org "1. Ana 2. Cy" r1
expect 0 --today 2027-01-05 inbox --maildir "$T/md" --format csv
out_has ",refused,"
check 'grep -q "names more than one of the" "$T/sent.mbox"' "no acknowledgement about the ambiguous name"
check '[ "$(q "SELECT count(*) FROM preference")" -eq 0 ]' "a refused reply recorded preferences"
# Cy is a mentor, but not in e2's (forced, latest) list of one.
reply e2@ex.org "1. Cy" r2
expect 0 --today 2027-01-05 inbox --maildir "$T/md" --format csv
out_has ",refused,"
check 'grep -q "is not one of the mentors" "$T/sent.mbox"' "no acknowledgement about the unlisted name"
# A good one, from the mentee's private address: recorded for e1.
reply e1@ex.org "1. Cy 2. Ana Lopez" r3 "Eva <eva@private.example>"
expect 0 --today 2027-01-05 inbox --maildir "$T/md" --format csv
out_has ",recorded,"
check '[ "$(ranks e1@ex.org)" = "m3@ex.org m1@ex.org" ]' "e1's ranks are not Cy, Ana Lopez: $(ranks e1@ex.org)"
# the coordinator sees them with preferences list, the mail named as source
expect 0 --format csv preferences list s-2027 --for e1@ex.org
check '[ "$(tail -n +2 "$T/.out" | cut -d, -f2,3 | tr -d "\r" | tr "\n" " ")" = "m3@ex.org,1 m1@ex.org,2 " ]' \
	"preferences list after the reply: $(cat "$T/.out")"
check 'grep -q "1. Cy Ng, 2. Ana Lopez" "$T/sent.mbox"' "the acknowledgement does not name the ranking"
check '! grep -q "^To: .*private.example" "$T/sent.mbox"' "an acknowledgement went to the From address"
# e2 by number: the position in the latest (forced) mail's list.
reply e2@ex.org "1" r4
expect 0 --today 2027-01-05 inbox --maildir "$T/md" --format csv
out_has ",recorded,"
check '[ -n "$(ranks e2@ex.org)" ]' "e2's number was not recorded"
e2ranks=$(ranks e2@ex.org)

# ---- match follows the preferences ----
expect 0 --format csv match s-2027 --dry-run
out_has "e1@ex.org,m3@ex.org"

# ---- replay, forgery, another person's token ----
before=$(db_dump)
cp "$T/md/cur/"* "$T/md/new/" 2>/dev/null
for f in "$T/md/new/"*; do mv "$f" "${f%:2,S}"; done
expect 0 --today 2027-01-05 inbox --maildir "$T/md" --format csv
out_lacks ",recorded,"
out_has ",duplicate,"
reply e1@ex.org "1. Ana Lopez" r5 "" alter
expect 0 --today 2027-01-05 inbox --maildir "$T/md" --format csv
out_has ",bad-token,"
check '[ "$(ranks e1@ex.org)" = "m3@ex.org m1@ex.org" ]' "a forged token changed e1's ranks"
# e2 replies with e1's token, by numbers: it counts for e1 only.
reply e1@ex.org "2, 1" r6 "Finn <e2@ex.org>"
expect 0 --today 2027-01-05 inbox --maildir "$T/md" --format csv
out_has ",recorded,"
check '[ "$(ranks e2@ex.org)" = "$e2ranks" ]' "e1's token changed e2's ranks"
check '[ "$(ranks e1@ex.org)" = "m2@ex.org m1@ex.org" ]' "the numbers in e1's token's reply: $(ranks e1@ex.org)"

done_testing
