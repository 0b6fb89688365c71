#!/bin/sh
# The manual pages (issue 17, item 3): mentorctl(1) and mentorctl-program(5)
# format without a single troff or mandoc warning, fit 80 columns, and cannot
# drift from the program: every command of `mentorctl --help` has its entry
# in mentorctl(1), every option of every command (`mentorctl help CMD`) is
# described in that entry, every entry names a command that exists, and every
# environment variable the sources read is in ENVIRONMENT.
. "$TOP/tests/cli/lib.sh"

MAN1="$TOP/docs/mentorctl.1"
MAN5="$TOP/docs/mentorctl-program.5"

# Columns a rendered line takes (wide characters 2), for the 80-column check.
too_wide() { # FILE: lines wider than 80 columns, with their width
	/usr/bin/python3 - "$1" <<'PY'
import sys, unicodedata
for n, line in enumerate(open(sys.argv[1], encoding='utf-8'), 1):
    line = line.rstrip('\n').expandtabs()
    w = sum(0 if unicodedata.combining(c) else
            2 if unicodedata.east_asian_width(c) in 'WF' else 1 for c in line)
    if w > 80:
        print('%d columns: %s' % (w, line.strip()))
PY
}

for page in "$MAN1" "$MAN5"; do
	name=$(basename "$page")
	# man(1) as a user runs it: groff's warnings go to stderr.
	MANWIDTH=80 MAN_KEEP_FORMATTING= man -l "$page" >"$T/man.txt" 2>"$T/man.err"
	check '[ ! -s "$T/man.err" ]' "man -l $name warns: $(head -5 "$T/man.err")"
	check '[ -s "$T/man.txt" ]' "man -l $name printed nothing"
	# groff with every warning category on.
	groff -ww -z -mdoc -Tutf8 "$page" >/dev/null 2>"$T/groff.err"
	check '[ ! -s "$T/groff.err" ]' "groff -ww $name warns: $(head -5 "$T/groff.err")"
	too_wide "$T/man.txt" >"$T/wide"
	check '[ ! -s "$T/wide" ]' "man $name has lines over 80 columns: $(head -3 "$T/wide")"
	# mandoc (BSD, macOS): lint at warning level, and its own rendering.
	mandoc -Tlint -Wwarning "$page" >"$T/lint" 2>&1
	check '[ ! -s "$T/lint" ]' "mandoc -Tlint -Wwarning $name: $(head -5 "$T/lint")"
	mandoc -Tutf8 "$page" | col -b >"$T/mandoc.txt"
	too_wide "$T/mandoc.txt" >"$T/wide"
	check '[ ! -s "$T/wide" ]' "mandoc $name has lines over 80 columns: $(head -3 "$T/wide")"
done

# mandoc's STYLE level with our pages in a manual tree of their own, so that
# they find each other; a page of another package (sqlite3, crontab, jq) may
# be missing from this machine and is not our concern.
mkdir -p "$T/mp/man1" "$T/mp/man5"
cp "$MAN1" "$T/mp/man1/" && cp "$MAN5" "$T/mp/man5/"
"$(command -v makewhatis || echo /usr/sbin/makewhatis)" "$T/mp"
MANPATH="$T/mp" mandoc -Tlint -Wstyle "$T/mp/man1/mentorctl.1" \
	"$T/mp/man5/mentorctl-program.5" 2>&1 |
	grep -v 'referenced manual not found: Xr \(sqlite3\|crontab\|jq\) ' |
	grep -v 'outdated mandoc.db' >"$T/style"
check '[ ! -s "$T/style" ]' "mandoc -Tlint -Wstyle: $(head -5 "$T/style")"

# The commands of `mentorctl --help` ("  name[ sub]" in 18 columns).
expect 0 --help
printf '%s\n' "$OUT" | sed -n '/^commands:/,/^$/p' |
	sed -n 's/^  \([a-z][a-z-]*\( [a-z][a-z-]*\)\{0,1\}\) .*/\1/p' >"$T/cmds"
check '[ "$(wc -l <"$T/cmds")" -ge 40 ]' "found only $(wc -l <"$T/cmds") commands in --help"

# The entry of a command in mentorctl(1): from each ".It Nm Cm CMD" line to
# the next command entry or section.
man_entry() {
	awk -v c="$1" '
		BEGIN { h = ".It Nm Cm " c }
		index($0, h) == 1 && (length($0) == length(h) ||
		    substr($0, length(h) + 1, 1) == " ") { on = 1; print; next }
		on && (/^\.It Nm Cm / || /^\.S[hs] /) { on = 0 }
		on' "$MAN1"
}

while read -r cmd; do
	man_entry "$cmd" >"$T/entry"
	check '[ -s "$T/entry" ]' "mentorctl(1) has no entry '.It Nm Cm $cmd'"
	[ -s "$T/entry" ] || continue
	# The options: the usage line and the options block, not the example.
	"$MENTORCTL" help $cmd >"$T/help" 2>&1
	check 'head -1 "$T/help" | grep -q "^usage: mentorctl $cmd "' \
		"'mentorctl help $cmd' shows another command: $(head -1 "$T/help")"
	sed '/^example:/,$d' "$T/help" | grep -oE -- '--[a-z][a-z-]*' | sort -u |
	while read -r opt; do
		grep -qE -- "Fl -${opt#--}([^a-z-]|\$)" "$T/entry" ||
			echo "$cmd $opt"
	done >"$T/missing"
	check '[ ! -s "$T/missing" ]' "mentorctl(1) does not describe option $(cat "$T/missing")"
done <"$T/cmds"

# Every command entry of the page names a command that exists.
sed -n 's/^\.It Nm Cm //p' "$MAN1" | awk '{
	w = $1; if ($2 ~ /^[a-z][a-z-]*$/) w = w " " $2; print w }' |
	sort -u >"$T/documented"
while read -r doc; do
	grep -qx -- "$doc" "$T/cmds" || grep -qx -- "${doc%% *}" "$T/cmds" ||
		echo "$doc"
done <"$T/documented" >"$T/stale"
check '[ ! -s "$T/stale" ]' "mentorctl(1) documents commands that do not exist: $(cat "$T/stale")"

# Every environment variable the program reads is in ENVIRONMENT.
sed -n '/^\.Sh ENVIRONMENT/,/^\.Sh /p' "$MAN1" >"$T/env"
grep -rhoE 'getenv\("[A-Z_]+"\)' "$TOP/src" | sed 's/getenv("\(.*\)")/\1/' |
	sort -u | while read -r var; do
		grep -qE "^\.It Ev $var( |\$)" "$T/env" || echo "$var"
	done >"$T/undoc"
check '[ ! -s "$T/undoc" ]' "ENVIRONMENT lacks: $(cat "$T/undoc")"
# The sections issue 17 asks for.
for sh in ENVIRONMENT FILES EXAMPLES "EXIT STATUS" "SEE ALSO"; do
	check 'grep -q "^\.Sh $sh\$" "$MAN1"' "mentorctl(1) has no $sh section"
done

done_testing
