# Checks of calendar files with the real parsers, for the CLI tests that
# write them (source after lib.sh):
#   ics_valid FILE          python-icalendar, vobject, libical's
#                           icalrestriction_check (RFC 5546) and khal all
#                           read FILE without a complaint
#   ics_khal FILE FORMAT    khal's view of the events (one line each, in
#                           Europe/Paris unless KHAL_TZ says otherwise)
# Needs python3-icalendar, python3-vobject, libical-dev and khal
# (scripts/deps.sh test).

ics_restriction() {
	if [ ! -x "$T/.ical_restriction" ]; then
		cc -o "$T/.ical_restriction" "$TOP/tests/cli/ical_restriction.c" \
			$(pkg-config --cflags --libs libical) || return 1
	fi
	"$T/.ical_restriction" "$1"
}

ics_khal() {
	mkdir -p "$T/.khal/cal"
	cat >"$T/.khal/config" <<KHAL
[calendars]
[[test]]
path = $T/.khal/cal
type = calendar
[locale]
timeformat = %H:%M
dateformat = %Y-%m-%d
longdateformat = %Y-%m-%d
datetimeformat = %Y-%m-%d %H:%M
longdatetimeformat = %Y-%m-%d %H:%M
local_timezone = ${KHAL_TZ:-Europe/Paris}
default_timezone = ${KHAL_TZ:-Europe/Paris}
KHAL
	khal -c "$T/.khal/config" printics -f "$2" "$1" 2>&1 | tail -n +2
}

ics_valid() {
	CHECKS=$((CHECKS + 1))
	/usr/bin/python3 - "$1" <<'PY' || { fail "$1: python-icalendar or vobject"; return; }
import sys
import icalendar, vobject
raw = open(sys.argv[1], "rb").read()
cal = icalendar.Calendar.from_ical(raw)
n = len([c for c in cal.walk("VEVENT")])
v = vobject.readOne(raw.decode("utf-8"))
m = len(list(v.components()))
assert n == len(getattr(v, "vevent_list", [])), (n, m)
PY
	CHECKS=$((CHECKS + 1))
	out=$(ics_restriction "$1") || { fail "$1: libical: $out"; return; }
	CHECKS=$((CHECKS + 1))
	out=$(ics_khal "$1" "{start} {title}" 2>&1)
	case "$out" in
	*rror*|*arning*|*Traceback*) fail "$1: khal: $out" ;;
	esac
}
