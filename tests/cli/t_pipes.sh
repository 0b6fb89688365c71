#!/bin/sh
# A write that was reported is committed (issue 12, item 1): output is printed
# after the commit, so a reader that goes away (`| head`, `| true`) cannot
# roll a write back, and a closed pipe after the commit is not a failure.
# Also: messages are one line each, control characters from input escaped.
. "$TOP/tests/cli/lib.sh"

cat >"$T/p.yaml" <<'YAML'
slug: pipes
name: Pipes
purpose: engagement
format: one-to-one
owner: People
contact: coord@ex.org
roles:
  mentor: { capacity: 3 }
matching:
  consent: both
  respond_within: 10 days
YAML
cat >"$T/people.csv" <<'CSV'
email,name,department,level
m1@ex.org,Mentor One,Eng,6
m2@ex.org,Mentor Two,Ops,6
e1@ex.org,Mentee One,Eng,2
e2@ex.org,Mentee Two,Ops,2
e3@ex.org,Mentee Three,Ops,2
CSV
expect 0 init
expect 0 program add "$T/p.yaml"
expect 0 people import "$T/people.csv"
for who in m1 m2; do expect 0 enroll pipes "$who@ex.org" --role mentor; done
for who in e1 e2 e3; do expect 0 enroll pipes "$who@ex.org" --role mentee; done

# pair | head -1: the table's header line is read, the pipe closes; the
# proposal must stand (pair prints after its commit).
( "$MENTORCTL" pair pipes m1@ex.org e1@ex.org --force; echo $? >"$T/rc" ) | (exec 0<&-; sleep 0.3)
status=$(cat "$T/rc")
check '[ "$status" -eq 0 ]' "pair | head exited $status, expected 0"
expect 0 pairings pipes --status proposed --format csv
out_has "m1@ex.org,e1@ex.org,proposed"

# accept/end with a closed stdout: `| true` closes it at once.
( "$MENTORCTL" accept 1 --by m1@ex.org; echo $? >"$T/rc" ) | (exec 0<&-; sleep 0.3)
check '[ "$(cat "$T/rc")" -eq 0 ]' "accept | true exited $(cat "$T/rc")"
( "$MENTORCTL" accept 1 --by e1@ex.org; echo $? >"$T/rc" ) | (exec 0<&-; sleep 0.3)
expect 0 pairings pipes --status active --format csv
out_has "1,m1@ex.org,e1@ex.org,active"
( "$MENTORCTL" end 1 --reason "moved team" --format csv; echo $? >"$T/rc" ) | (exec 0<&-; sleep 0.3)
check '[ "$(cat "$T/rc")" -eq 0 ]' "end | true exited $(cat "$T/rc")"
expect 0 pairings pipes --status ended --format csv
out_has "moved team"

# A failed write prints only its error: nothing on stdout, nothing noted.
expect 65 pair pipes m1@ex.org m1@ex.org
check '[ -z "$OUT" ]' "a refused pair printed '$OUT' on stdout"
err_lines 1

# Blank reasons are refused; a reason-less end is a usage error.
expect 65 end 1 --reason "   "
err_lines 1
expect 64 end 1
err_lines 1

# Control characters from input never reach the terminal raw (issue 18, item 9).
expect 64 accept 1 --by "$(printf 'a\033[31mb\nc@ex.org')"
err_lines 1
err_has 'a\x1b[31mb\nc@ex.org'
check '! grep -q "$(printf "\033")" "$T/.err"' "stderr carries a raw ESC"

# Help and did-you-mean (issue 17, item 1).
expect 0 people --help
check '[ ! -s "$T/.err" ]' "people --help wrote to stderr"
expect 0 help end
out_has "example:"
expect 64 remnd
err_has "did you mean 'remind'"
expect 65 pairings pipez
err_has "did you mean 'pipes'"

done_testing
