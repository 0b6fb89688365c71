#!/bin/sh
# Shell completion (issue 17, item 2): scripts generated from the command
# table; bash's completion function driven the way bash drives it (COMP_WORDS,
# COMP_CWORD, then COMPREPLY), with programme slugs and pairing ids read from
# the database; zsh and fish scripts are valid for their shells.
. "$TOP/tests/cli/lib.sh"

cat >"$T/p.yaml" <<'YAML'
slug: comp-2027
name: Completion
purpose: engagement
format: one-to-one
owner: People
contact: coord@ex.org
roles:
  mentor: { capacity: 2 }
matching: { consent: both }
YAML
printf 'email,name\nm@ex.org,M\ne@ex.org,E\n' >"$T/people.csv"
expect 0 init
expect 0 program add "$T/p.yaml"
expect 0 people import "$T/people.csv"
expect 0 enroll comp-2027 m@ex.org --role mentor
expect 0 enroll comp-2027 e@ex.org --role mentee
expect 0 pair comp-2027 m@ex.org e@ex.org

expect 0 completion bash
printf '%s\n' "$OUT" >"$T/c.bash"
cat >"$T/drive.bash" <<DRIVE
mentorctl() { "$MENTORCTL" "\$@"; }
. "$T/c.bash"
t() { COMP_WORDS=("\$@"); COMP_CWORD=\$(( \$# - 1 )); COMPREPLY=(); _mentorctl; echo "\${COMPREPLY[*]}"; }
echo "1:\$(t mentorctl remi)"
echo "2:\$(t mentorctl people '')"
echo "3:\$(t mentorctl pairings '')"
echo "4:\$(t mentorctl accept '')"
echo "5:\$(t mentorctl end 1 --re)"
echo "6:\$(t mentorctl --format c)"
echo "7:\$(t mentorctl program sh)"
echo "8:\$(t mentorctl pair comp-2027 --)"
DRIVE
bash "$T/drive.bash" >"$T/got" 2>"$T/err"
check 'grep -qx "1:remind" "$T/got"' "bash: 'remi' does not complete to remind: $(cat "$T/got" "$T/err")"
check 'grep -qx "2:import list show" "$T/got"' "bash: people subcommands"
check 'grep -qx "3:comp-2027" "$T/got"' "bash: programme slugs from the database"
check 'grep -qx "4:1" "$T/got"' "bash: open pairing ids from the database"
check 'grep -qx "5:--reason" "$T/got"' "bash: end's options"
check 'grep -qx "6:csv" "$T/got"' "bash: --format values"
check 'grep -qx "7:show" "$T/got"' "bash: program subcommand prefix"
check 'grep -q "^8:.*--force" "$T/got"' "bash: pair's options"

# Without a database completion stays quiet (nothing on stderr).
MENTORCTL_DB="$T/none.db" bash "$T/drive.bash" >"$T/got2" 2>"$T/err2"
check 'grep -qx "3:" "$T/got2" && [ ! -s "$T/err2" ]' "bash: no database must mean no candidates and no noise"

expect 0 completion zsh
if command -v zsh >/dev/null 2>&1; then
	printf '%s\n' "$OUT" >"$T/c.zsh"
	check 'zsh -n "$T/c.zsh"' "zsh script does not parse"
fi
expect 0 completion fish
if command -v fish >/dev/null 2>&1; then
	printf '%s\n' "$OUT" >"$T/c.fish"
	check 'fish --no-execute "$T/c.fish"' "fish script does not parse"
	out_has "__fish_seen_subcommand_from end' -l reason"
fi
expect 64 completion tcsh
err_lines 1
done_testing
