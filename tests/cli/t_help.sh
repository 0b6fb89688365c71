#!/bin/sh
# Every command's help has an example line (issue 17, item 1): the walk goes
# over the command table as `mentorctl help` lists it, so a new command
# without `.example` fails here.  Each command, and each family (`scores`,
# `program`, `mail`...), through `mentorctl help CMD` and `mentorctl CMD
# --help`: exit 0, nothing on stderr, an example that runs that command.
. "$TOP/tests/cli/lib.sh"

expect 0 help
awk '/^commands:/ { on = 1; next } on && /^$/ { exit }
	on { sub(/^  /, ""); print substr($0, 1, 19) }' "$T/.out" |
	sed 's/ *$//' >"$T/commands"
n=$(wc -l <"$T/commands")
check '[ "$n" -ge 40 ]' "mentorctl help lists only $n commands"
awk '$2 != "" { print $1 }' "$T/commands" | sort -u >"$T/families"
check '[ -s "$T/families" ]' "mentorctl help lists no command family"

# example_of CMD: stdout has an example line that runs CMD (global options
# such as --db may stand before it).
example_of() {
	CHECKS=$((CHECKS + 1))
	sed -n '/^examples*:$/,$p' "$T/.out" |
		grep -Eq "^  mentorctl( --?[a-z]+( [^ -][^ ]*)?)* $1( |\$)" || {
		fail "help of '$1' has no example line that runs it"
		sed 's/^/  | /' "$T/.out"
	}
}

while read -r c; do
	# shellcheck disable=SC2086 # "program show" is two words
	expect 0 help $c
	err_lines 0
	example_of "$c"
	# shellcheck disable=SC2086
	expect 0 $c --help
	err_lines 0
	example_of "$c"
done <"$T/commands"

# A family lists every subcommand's usage and example.
while read -r f; do
	for how in "help $f" "$f --help"; do
		# shellcheck disable=SC2086
		expect 0 $how
		err_lines 0
		grep "^$f " "$T/commands" >"$T/subs"
		while read -r c; do
			out_has "usage: mentorctl $c"
			example_of "$c"
		done <"$T/subs"
	done
done <"$T/families"

# The hidden helper of the completion scripts has one too.
expect 0 help __complete
example_of __complete

done_testing
