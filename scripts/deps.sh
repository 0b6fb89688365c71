#!/bin/sh
# Install what mentorctl needs on a Debian machine, or say exactly what is missing.
#   scripts/deps.sh build   compiler, pkg-config, libsqlite3-dev, libyaml-dev,
#                           libgmime-3.0-dev, libsodium-dev
#   scripts/deps.sh test    build + libcmocka-dev and the real components the tests use
#                           (sqlite3 CLI, python3, msmtp, a local SMTP sink, chromium,
#                           man-db, groff and mandoc, python3-jsonschema, tidy)
#   scripts/deps.sh fuzz    build + clang and its libFuzzer runtime (make fuzz)
#   scripts/deps.sh bench   build + g++ and liblemon-dev, the anchor of the
#                           solver benchmark (make bench)
set -eu

need=${1:-build}
pkgs=""

have_pc() { pkg-config --exists "$1" 2>/dev/null; }
have_cmd() { command -v "$1" >/dev/null 2>&1; }
want() { pkgs="$pkgs $1"; }

have_cmd cc || want gcc
have_cmd make || want make
have_cmd pkg-config || want pkg-config
have_pc sqlite3 || want libsqlite3-dev
have_pc yaml-0.1 || want libyaml-dev
have_pc gmime-3.0 || want libgmime-3.0-dev
have_pc libsodium || want libsodium-dev

if [ "$need" = test ] || [ "$need" = all ]; then
	have_pc cmocka || want libcmocka-dev
	have_cmd sqlite3 || want sqlite3
	[ -x /usr/bin/python3 ] || want python3
	have_cmd msmtp || want msmtp
	# Debian's python3 (not a pyenv one on PATH) is the one that sees python3-aiosmtpd.
	/usr/bin/python3 -c 'import aiosmtpd' 2>/dev/null || want python3-aiosmtpd
	have_cmd chromium || want chromium
	have_cmd flock || want util-linux
	[ -d /usr/share/zoneinfo/Europe ] || want tzdata
	# calendars are checked with the real parsers (tests/cli/ics.sh)
	/usr/bin/python3 -c 'import icalendar' 2>/dev/null || want python3-icalendar
	/usr/bin/python3 -c 'import vobject' 2>/dev/null || want python3-vobject
	have_pc libical || want libical-dev
	have_cmd khal || want khal
	# the completion test checks the zsh and fish scripts with the real shells
	have_cmd zsh || want zsh
	have_cmd fish || want fish
	# the manual pages are checked with man-db + groff and with mandoc (t_man)
	have_cmd man || want man-db
	have_cmd groff || want groff-base
	have_cmd mandoc || want mandoc
	have_cmd col || want bsdextrautils
	# every JSON output is validated against its schema (t_json_schema)
	/usr/bin/python3 -c 'import jsonschema' 2>/dev/null || want python3-jsonschema
	# the HTML report is checked by HTML Tidy (t_report_html); Debian has
	# no package of the W3C Nu checker
	have_cmd tidy || want tidy
	# inbox behind a real MTA: OpenSMTPD on loopback, mail sent with swaks
	[ -x /usr/sbin/smtpd ] || want opensmtpd
	have_cmd swaks || want swaks
fi

if [ "$need" = bench ]; then
	have_cmd g++ || want g++
	[ -f /usr/include/lemon/network_simplex.h ] || want liblemon-dev
fi

if [ "$need" = fuzz ]; then
	# Debian ships libFuzzer apart from clang: try to link a fuzz target.
	fuzzer_links() {
		printf 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n)
		    { (void)d; (void)n; return 0; }\n' |
		    clang -x c -fsanitize=fuzzer -o /dev/null - 2>/dev/null
	}
	if ! have_cmd clang; then
		want clang
		want libclang-rt-dev
	elif ! fuzzer_links; then
		want libclang-rt-dev
	fi
fi

[ -n "$pkgs" ] || exit 0

if [ "$(id -u)" -ne 0 ] || ! have_cmd apt-get; then
	echo "mentorctl: missing packages:$pkgs" >&2
	echo "mentorctl: install them with: sudo apt-get install$pkgs" >&2
	exit 1
fi

echo "mentorctl: installing$pkgs" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2
# The tests start their own mail server on loopback; a package's own service
# (opensmtpd) must not start on port 25 meanwhile: policy-rc.d says so for
# the time of the install, as Debian's tools do in chroots.
policy=""
if [ ! -e /usr/sbin/policy-rc.d ]; then
	printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
	chmod 755 /usr/sbin/policy-rc.d
	policy=/usr/sbin/policy-rc.d
fi
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $pkgs >&2 || status=$?
[ -z "$policy" ] || rm -f "$policy"
exit "${status:-0}"
