#!/bin/sh
# Install what mentorctl needs on a Debian machine, or say exactly what is missing.
#   scripts/deps.sh build   compiler, pkg-config, libsqlite3-dev, libyaml-dev,
#                           libgmime-3.0-dev, libsodium-dev
#   scripts/deps.sh test    build + libcmocka-dev and the real components the tests use
#                           (sqlite3 CLI, python3, msmtp, a local SMTP sink, chromium,
#                           man-db, groff and mandoc, python3-jsonschema, tidy,
#                           Java 17+ and the W3C Nu HTML checker from npm)
#   scripts/deps.sh fuzz    build + clang and its libFuzzer runtime (make fuzz)
#   scripts/deps.sh bench   build + g++ and liblemon-dev, the anchor of the
#                           solver benchmark (make bench)
set -eu

need=${1:-build}
pkgs=""
top=$(cd "$(dirname "$0")/.." && pwd)

have_pc() { pkg-config --exists "$1" 2>/dev/null; }
have_cmd() { command -v "$1" >/dev/null 2>&1; }
want() { pkgs="$pkgs $1"; }

# The W3C Nu HTML checker (t_report_nu).  Debian has no package of it; the npm
# package vnu-jar carries its vnu.jar, pinned here by version and by the
# sha512 of the package file.  `npm pack` fetches that file and runs none of
# the package's scripts (its postinstall would download a Java of its own);
# the jar runs on Debian's Java.  It goes to .deps/vnu/ (git-ignored), with a
# stamp naming what it is.  VNU_JAR=/path/to/vnu.jar uses another copy.
VNU_VERSION=26.9.27
VNU_SHA512=4e441de4315f39a582f5e6edbe8cd3b2b1f655aa1dde3620faface791133217c417b12f3f7ead2d8336d8e7efe44f5226618258b44a0860057e9125135e6b428
vnu_dir=$top/.deps/vnu
vnu_stamp="vnu-jar@$VNU_VERSION sha512:$VNU_SHA512"

vnu_ok() {
	if [ -n "${VNU_JAR:-}" ]; then
		[ -s "$VNU_JAR" ]
	else
		[ -s "$vnu_dir/vnu.jar" ] &&
		    [ "$(cat "$vnu_dir/stamp" 2>/dev/null)" = "$vnu_stamp" ]
	fi
}

vnu_fail() {
	echo "mentorctl: cannot install the W3C Nu HTML checker: $1" >&2
	echo "mentorctl: install it with: npm pack vnu-jar@$VNU_VERSION &&" \
	    "tar -xzf vnu-jar-$VNU_VERSION.tgz package/build/dist/vnu.jar," \
	    "then run the tests with VNU_JAR=\$PWD/package/build/dist/vnu.jar" >&2
	exit 1
}

vnu_install() {
	vnu_ok && return 0
	[ -z "${VNU_JAR:-}" ] || vnu_fail "VNU_JAR names no file: '$VNU_JAR'"
	have_cmd npm || vnu_fail "npm is missing"
	mkdir -p "$top/.deps"
	vnu_tmp=$(mktemp -d "$top/.deps/vnu.XXXXXX")
	trap 'rm -rf "$vnu_tmp"' EXIT
	echo "mentorctl: fetching the W3C Nu HTML checker (npm package vnu-jar@$VNU_VERSION)" >&2
	(cd "$vnu_tmp" && npm pack "vnu-jar@$VNU_VERSION" --ignore-scripts \
	    --cache "$vnu_tmp/cache" --fetch-retries 1 --fetch-timeout 60000 \
	    --no-update-notifier --loglevel error --logs-max 0 \
	    >/dev/null 2>"$vnu_tmp/npm.log") ||
	    vnu_fail "npm pack failed: $(head -n 4 "$vnu_tmp/npm.log" | tr '\n' ' ')"
	tgz=$vnu_tmp/vnu-jar-$VNU_VERSION.tgz
	sum=$(sha512sum "$tgz" | cut -d ' ' -f 1)
	[ "$sum" = "$VNU_SHA512" ] ||
	    vnu_fail "vnu-jar-$VNU_VERSION.tgz has sha512 $sum, not the pinned $VNU_SHA512"
	tar -xzf "$tgz" -C "$vnu_tmp" package/build/dist/vnu.jar package/LICENSE ||
	    vnu_fail "vnu-jar-$VNU_VERSION.tgz has no package/build/dist/vnu.jar"
	mkdir "$vnu_tmp/vnu"
	mv "$vnu_tmp/package/build/dist/vnu.jar" "$vnu_tmp/package/LICENSE" "$vnu_tmp/vnu/"
	printf '%s\n' "$vnu_stamp" >"$vnu_tmp/vnu/stamp"
	rm -rf "$vnu_dir"
	mv "$vnu_tmp/vnu" "$vnu_dir"
	rm -rf "$vnu_tmp"
	trap - EXIT
	echo "mentorctl: installed $vnu_dir/vnu.jar" >&2
}

# The major version of `java` (8 for "1.8.0"), or 0 without one.
java_major() {
	have_cmd java || { echo 0; return; }
	v=$(java -version 2>&1 | sed -n '1s/.*version "\([0-9]*\)\.*\([0-9]*\).*/\1 \2/p')
	# shellcheck disable=SC2086
	set -- $v 0 0
	if [ "$1" = 1 ]; then echo "$2"; else echo "${1:-0}"; fi
}

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
	# the HTML report is checked by HTML Tidy (t_report_html) and by the
	# W3C Nu HTML checker (t_report_nu): its vnu.jar comes from npm (above)
	# and needs Java 17 or later
	have_cmd tidy || want tidy
	[ "$(java_major)" -ge 17 ] || want default-jre-headless
	vnu_ok || have_cmd npm || want npm
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

# After the packages (npm may be one of them), the Nu checker.
test_tools() {
	if [ "$need" = test ] || [ "$need" = all ]; then
		vnu_install
	fi
}

[ -n "$pkgs" ] || { test_tools; exit 0; }

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
[ "${status:-0}" -eq 0 ] || exit "$status"
test_tools
