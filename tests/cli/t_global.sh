#!/bin/sh
# Global options, help, version, usage errors and their exit codes.
. "$TOP/tests/cli/lib.sh"

expect 0 --version
out_has "mentorctl "
out_has "SQLite 3."
expect 0 --help
out_has "usage: mentorctl"
out_has "program add"
out_has "Exit status"
expect 64
err_has "usage: mentorctl"
expect 64 frobnicate
err_has "unknown command 'frobnicate'"
err_lines 1
expect 64 program
err_has "needs a subcommand"
expect 64 program frob x.yaml
err_has "unknown subcommand 'program frob'"
expect 64 program check
err_has "missing argument"
expect 64 program check a.yaml b.yaml
err_has "too many arguments"
expect 64 program list --frob
err_has "unknown option '--frob'"
err_lines 1
expect 64 program show x --rev
err_has "option '--rev' needs a value"
expect 64 --db
err_has "option '--db' needs a value"

# help per command, before or after it; a family lists its subcommands
expect 0 program add --help
out_has "usage: mentorctl program add FILE.yaml"
expect 0 --help program show
out_has "--yaml"
expect 0 program --help
out_has "usage: mentorctl program list"
out_has "usage: mentorctl program update"

# unambiguous prefixes
expect 0 init
expect 0 prog li
expect 64 p li
err_has "ambiguous command 'p'"

# --today: strict dates, from the option or the environment
expect 65 --today 2027-02-30 program list
err_has "invalid date '2027-02-30' for --today"
MENTORCTL_TODAY=2027-13-01 expect 65 program list
err_has "invalid date '2027-13-01'"

# --format: known names only
expect 64 program list --format xml
err_has "unknown format 'xml'"
expect 0 --format=json program list
out_is "[]"

# --db beats MENTORCTL_DB; the XDG default is used when neither is set
expect 0 --db "$T/other.db" init
check '[ -f "$T/other.db" ]' "--db did not create the named file"
expect 66 --db "$T/nowhere.db" program list
err_has "no database at '$T/nowhere.db'"
err_has "mentorctl init"
unset MENTORCTL_DB
expect 0 init
check '[ -f "$T/xdg/mentorctl/mentorctl.db" ]' "XDG default database not created"
check '[ "$(stat -c %a "$T/xdg/mentorctl")" = 700 ]' "XDG directory is not 0700"
check '[ "$(stat -c %a "$T/xdg/mentorctl/mentorctl.db")" = 600 ]' "database is not 0600"
XDG_DATA_HOME= expect 0 init
check '[ -f "$T/.local/share/mentorctl/mentorctl.db" ]' "HOME fallback database not created"

done_testing
