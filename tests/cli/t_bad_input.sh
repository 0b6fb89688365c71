#!/bin/sh
# The bad-input corpus (tests/cli/bad_input.tsv): malformed YAML, CSV, dates,
# ids, flags, huge and binary files, invalid UTF-8 and databases that are
# not ours, each with its exact exit status, its one-line message (or the
# exact number of lines when a file has several problems), nothing on
# standard output, no sanitizer report, the database unchanged (and a
# database given as input too), each in under 10 s.
. "$TOP/tests/cli/lib.sh"

TAB=$(printf '\t')
B="$T/bad"
mkdir -p "$B" "$T/gen"
export MENTORCTL_TODAY=2027-01-11

# The fixture: the sample programme, people, trainings and enrollments,
# matched; pairing 1 accepted (active), the others proposed; a cycle open.
expect 0 init
expect 0 program add "$DATA/programs/eng-2027.yaml"
expect 0 people import "$DATA/people.csv"
expect 0 training add --csv "$DATA/trainings.csv"
expect 0 enroll eng-2027 --csv "$DATA/enroll-eng-2027.csv"
expect 0 match eng-2027
expect 0 accept 1
expect 0 cycle start eng-2027
check '[ "$(sqlite3 "$MENTORCTL_DB" "SELECT status FROM pairing WHERE id = 1")" = active ]' \
	"fixture: pairing 1 is not active"
cp "$MENTORCTL_DB" "$T/fixture.db"
[ ! -e "$MENTORCTL_DB-wal" ] || fail "fixture: a -wal left after the commands"

# The inputs, from the table: NAME.EXT under $B.
python3 - "$TOP/tests/cli/bad_input.tsv" "$B" "$T/gen" "$MENTORCTL_DB" <<'EOF' || fail "cannot make the inputs"
import codecs, os, random, sqlite3, sys

table, out, cache, fixture = sys.argv[1:5]
BASE = "slug: bad-1\\nname: Bad\\npurpose: engagement\\nformat: one-to-one\\n"
rng = random.Random(8)


def gen(kind):
    if kind == "laughs":        # billion laughs: aliases of aliases
        s = ("slug: bad-1\nname: Bad\npurpose: engagement\nformat: one-to-one\n"
             "owner: T\ncontact: c@example.org\n"
             "x: &a0 [{ id: a, statement: s, metric: match_rate, target: 1,"
             " due: 2027-01-01 }]\n")
        for i in range(1, 9):
            s += "y%d: &a%d [%s]\n" % (i, i, ", ".join(["*a%d" % (i - 1)] * 9))
        return (s + "goals: *a8\n").encode()
    if kind == "deep":
        return b"a: " + b"[" * 10000 + b"]" * 10000 + b"\n"
    if kind == "big":           # 2 MB of valid YAML
        return (BASE.replace("\\n", "\n") + "description: |\n" +
                "  a line of description text, again and again\n" * 46000).encode()
    if kind == "random-small":  # random bytes, no NUL, under the size limit
        return bytes(b or 1 for b in rng.randbytes(3000))
    if kind == "zeros":
        return bytes(1000000)
    if kind == "bad150":
        return ("email,name,level\n" + "".join(
            "p%d@example.org,P,x%d\n" % (i, i) for i in range(150))).encode()
    if kind == "line50":
        return b"email,name\na@example.org," + b"x" * 50000000 + b"\n"
    if kind == "quoted50":      # one quoted field of 50 MB with line breaks
        return b'email,name\na@example.org,"' + b"x\n" * 25000000 + b'"\n'
    if kind == "wide":
        return ("email," + ",".join("c%d" % i for i in range(200000)) +
                "\n").encode()
    if kind == "random":
        return rng.randbytes(5000000)
    if kind == "enroll50":
        return (b"email,role,goal\nsmarin@fjordline.example,mentor," +
                b"g" * 50000000 + b"\n")
    if kind == "text":
        return b"hello, this is not a database\n"
    if kind == "garbage":
        return b"SQLite format 3\0" + rng.randbytes(100000)
    raise SystemExit("unknown generated input " + kind)


def gen_db(kind, path):
    if kind == "newer":
        src = sqlite3.connect(fixture)
        dst = sqlite3.connect(path)
        src.backup(dst)
        dst.execute("PRAGMA journal_mode = DELETE")
        dst.execute("PRAGMA user_version = 99")
        dst.close()
        src.close()
        return True
    if kind == "truncated":
        with open(fixture, "rb") as f:
            data = f.read()
        assert len(data) > 40000, "fixture too small to truncate"
        with open(path, "wb") as f:
            f.write(data[:len(data) // 2])
        return True
    return False


n = 0
for line in open(table, encoding="ascii"):
    if line.startswith("#") or not line.strip():
        continue
    name, rc, lines, msg, src, args = line.rstrip("\n").split("\t")
    n += 1
    if src == "-":
        continue
    kind, _, body = src.partition(":")
    if kind == "gen":
        what, ext = body.rsplit(".", 1)
        path = os.path.join(out, "%s.%s" % (name, ext))
        if gen_db(what, path):
            continue
        cached = os.path.join(cache, body)
        if not os.path.exists(cached):
            with open(cached, "wb") as f:
                f.write(gen(what))
        os.link(cached, path)
    else:
        data = codecs.escape_decode(body.replace("{BASE}", BASE))[0]
        with open(os.path.join(out, "%s.%s" % (name, kind)), "wb") as f:
            f.write(data)
print("%d cases" % n)
EOF

before=$(db_dump)
grep -v '^#' "$TOP/tests/cli/bad_input.tsv" | grep -v '^$' >"$T/cases"
ncases=0
slowest=0 # ms
while IFS="$TAB" read -r name want lines msg input args; do
	ncases=$((ncases + 1))
	fails=$FAILS
	IN=/dev/null
	if [ "$input" != - ]; then
		for IN in "$B/$name".*; do :; done
		[ -e "$IN" ] || { fail "$name: no input file"; continue; }
	fi
	# a database given as input must not change either
	sum=""
	case $IN in *.db) sum=$(cksum <"$IN") ;; esac
	eval "set -- $args"
	s0=$(date +%s%N)
	expect "$want" "$@" <"$IN"
	ms=$((($(date +%s%N) - s0) / 1000000))
	[ "$ms" -le "$slowest" ] || slowest=$ms
	err_lines "$lines"
	err_has "$msg"
	check '[ "$(grep -vc "^mentorctl: " "$T/.err")" -eq 0 ]' \
		"a stderr line without the 'mentorctl: ' prefix"
	err_lacks "Sanitizer"
	err_lacks "runtime error"
	check '[ ! -s "$T/.out" ]' "output on stdout: $(head -c 200 "$T/.out")"
	check '[ "$ms" -lt 10000 ]' "took $ms ms"
	if [ "$(db_dump)" != "$before" ]; then
		fail "the database changed"
		rm -f "$MENTORCTL_DB" "$MENTORCTL_DB-wal" "$MENTORCTL_DB-shm"
		cp "$T/fixture.db" "$MENTORCTL_DB"
	fi
	CHECKS=$((CHECKS + 1))
	[ -z "$sum" ] || [ "$(cksum <"$IN")" = "$sum" ] || fail "the input database changed"
	[ "$FAILS" -eq "$fails" ] || printf '  ^ case %s: mentorctl %s\n' "$name" "$args"
done <"$T/cases"
echo "bad inputs: $ncases cases, the slowest took $slowest ms"
check '[ "$ncases" -ge 60 ]' "only $ncases cases"

done_testing
