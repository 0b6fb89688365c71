#!/usr/bin/env python3
"""Crash safety (issue 8, item 3), driven by tests/cli/t_crash.sh.

    crash.py WORKDIR [KILLS]

For each of `people import` (20,000 generated rows over 2,000 existing
people), `enroll --csv` (1,500 rows with person columns: it creates and
updates people in the same transaction) and `match` (1,000 mentees, 500
mentors): run it cleanly three times on a copy of its "before" database to
learn how long it takes (the median) and what it leaves ("after"); a run
slower than 1.5 x CRASH_TARGET (0.5 s; a sanitizer build, a busy machine)
scales the data down to about CRASH_TARGET and measures again.  Then start it on a fresh copy
and SIGKILL it after a random delay drawn uniformly from [0, 1.15 x its run
time] until KILLS (default 32) kills have hit a running process (the last
15% catch the commit, the checkpoint and the exit; a run that finished
first must have left "after").  After every kill the database must pass
`PRAGMA integrity_check` and its fingerprint (every table's row count and a
hash of its rows, wall-clock timestamp columns left out) must equal the
"before" or the "after" one: all of the command's changes or none.  A
killed database must also be usable: the command run again on it (with
the -wal and -shm the killed process left) succeeds and leaves "after".

The binary is $MENTORCTL (the ASan build under `make asan`); the day is
$MENTORCTL_TODAY.  Prints one line per command with the counts, "not ok: "
lines for failures, and exits 1 when anything failed.
"""
import hashlib
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time

BIN = os.environ["MENTORCTL"]
TOP = os.environ["TOP"]
WORK = sys.argv[1]
KILLS = int(sys.argv[2]) if len(sys.argv) > 2 else 32
TARGET = float(os.environ.get("CRASH_TARGET", "0.5"))  # seconds a run may take
DB = os.path.join(WORK, "crash.db")
SIDES = ("", "-wal", "-shm", "-journal")
FAILS = []
rng = random.Random(int(os.environ.get("CRASH_SEED", "0")) or None)


def fail(msg):
    FAILS.append(msg)
    print("not ok: " + msg, flush=True)


def mentorctl(db, *args, check=True):
    env = dict(os.environ, MENTORCTL_DB=db)
    r = subprocess.run([BIN] + list(args), env=env, stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE)
    if check and r.returncode != 0:
        sys.exit("setup: mentorctl %s exited %d: %s" % (
            " ".join(args), r.returncode, r.stderr.decode(errors="replace")))
    return r


def remove_db(path):
    for s in SIDES:
        try:
            os.remove(path + s)
        except FileNotFoundError:
            pass


def restore(base):
    remove_db(DB)
    shutil.copyfile(base, DB)


def snapshot_killed(dst):
    """Copy a killed database with its -wal and -shm, untouched."""
    remove_db(dst)
    for s in SIDES:
        if os.path.exists(DB + s):
            shutil.copyfile(DB + s, dst + s)


def is_timestamp(col):
    # Wall-clock columns (created_at, recorded_at, audit.at, ...) differ
    # between two runs of the same command; everything else must not.
    return col == "at" or col.endswith("_at")


def fingerprint(path):
    """(integrity_check result, {table: (rows, sha256)})."""
    con = sqlite3.connect(path)
    try:
        ic = [r[0] for r in con.execute("PRAGMA integrity_check")]
        fp = {}
        tables = [r[0] for r in con.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        for t in tables:
            cols = [r[1] for r in con.execute(
                "SELECT * FROM pragma_table_info(?)", (t,))]
            keep = [c for c in cols if not is_timestamp(c)]
            sel = ", ".join('"%s"' % c for c in keep)
            order = ", ".join(str(i + 1) for i in range(len(keep)))
            h = hashlib.sha256()
            n = 0
            for row in con.execute("SELECT %s FROM \"%s\" ORDER BY %s" %
                                   (sel, t, order)):
                h.update(repr(row).encode())
                n += 1
            fp[t] = (n, h.hexdigest()[:16])
        # the schema itself: a half-done migration would show here
        h = hashlib.sha256()
        for row in con.execute("SELECT type, name, sql FROM sqlite_master "
                               "ORDER BY type, name"):
            h.update(repr(row).encode())
        fp["<schema>"] = (0, h.hexdigest()[:16])
        return ";".join(ic), fp
    finally:
        con.close()


def diff(fp, ref):
    return ", ".join("%s %s/%s" % (t, fp.get(t, ("-",))[0], ref.get(t, ("-",))[0])
                     for t in sorted(set(fp) | set(ref)) if fp.get(t) != ref.get(t))


def clean_runs(label, base, args):
    """Three clean runs: the median time and the "after" fingerprint (all
    three must agree, so that a non-deterministic command cannot pass for a
    torn one)."""
    times = []
    after = None
    for i in range(3):
        restore(base)
        t0 = time.perf_counter()
        r = mentorctl(DB, *args, check=False)
        times.append(time.perf_counter() - t0)
        err = r.stderr.decode(errors="replace")
        if r.returncode != 0:
            sys.exit("%s: clean run exited %d: %s" % (label, r.returncode, err))
        if "runtime error" in err or "Sanitizer" in err:
            fail("%s: a sanitizer report: %s" % (label, err))
        ic, fp = fingerprint(DB)
        if ic != "ok":
            fail("%s: clean run left a damaged database: %s" % (label, ic))
        if after is None:
            after = fp
        elif fp != after:
            fail("%s: two clean runs differ: %s" % (label, diff(fp, after)))
    return sorted(times)[1], after


def crash(label, build, size, least):
    """build(size) -> (base, args).  A command much slower than TARGET
    seconds (a sanitizer build, a busy machine) is measured again on data
    scaled down to about TARGET, no smaller than least: 32 kills of each
    command must fit in the suite's time."""
    base, args = build(size)
    span, after = clean_runs(label, base, args)
    if span > 1.5 * TARGET and size > least:
        size = max(least, int(size * TARGET / span))
        base, args = build(size)
        span, after = clean_runs(label, base, args)
    ic, before = fingerprint(base)
    if ic != "ok":
        sys.exit("%s: the base database is damaged: %s" % (label, ic))
    if after == before:
        sys.exit("%s: the command changes nothing; the test proves nothing"
                 % label)

    env = dict(os.environ, MENTORCTL_DB=DB)
    killed = done = none = all_ = 0
    tries = 0
    rescue = os.path.join(WORK, "rescue.db")
    rescued = False
    delays = []
    while killed < KILLS and tries < 3 * KILLS:
        tries += 1
        restore(base)
        delay = rng.uniform(0, 1.15 * span)
        p = subprocess.Popen([BIN] + list(args), env=env,
                             stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
        time.sleep(delay)
        try:
            p.send_signal(signal.SIGKILL)
        except ProcessLookupError:
            pass
        rc = p.wait()
        if rc == -signal.SIGKILL:
            killed += 1
            delays.append(delay)
            if not rescued:
                snapshot_killed(rescue)
        elif rc == 0:
            done += 1
        else:
            fail("%s: exited %d instead of being killed or succeeding"
                 % (label, rc))
            continue
        ic, fp = fingerprint(DB)
        if ic != "ok":
            fail("%s: integrity_check after a kill at %.3f s: %s"
                 % (label, delay, ic))
        if rc == 0 and fp != after:
            fail("%s: a run that finished left other data than a clean "
                 "run (rows now/after: %s)" % (label, diff(fp, after)))
        elif rc == 0:
            pass
        elif fp == before:
            none += 1
        elif fp == after:
            all_ += 1
        else:
            fail("%s: a kill at %.3f s left neither none nor all of the "
                 "changes (rows now/after: %s)" % (label, delay,
                                                  diff(fp, after)))
        if rc == -signal.SIGKILL and not rescued:
            # The killed database, -wal and -shm as left, must take the
            # command again and end up as a clean run leaves it.
            rescued = True
            r = mentorctl(rescue, *args, check=False)
            ic2, fp2 = fingerprint(rescue)
            if r.returncode != 0 or ic2 != "ok" or fp2 != after:
                fail("%s: the command run again after a kill exited %d, "
                     "integrity %s, %s" % (label, r.returncode, ic2,
                                           diff(fp2, after) or "same"))
            remove_db(rescue)
    if killed < KILLS:
        fail("%s: only %d of %d tries killed a running process"
             % (label, killed, tries))
    print("%-14s size %d, clean run %.3f s; %d kills (delays %.3f..%.3f s), "
          "%d none, %d all; %d runs finished before their kill"
          % (label, size, span, killed, min(delays, default=0),
             max(delays, default=0), none, all_, done), flush=True)
    return killed, none, all_


GEN = os.path.join(TOP, "bench")


def gen_people(path, n, seed):
    with open(path, "w") as f:
        subprocess.run([sys.executable, os.path.join(GEN, "gen_people.py"),
                        str(n), str(seed)], stdout=f, check=True)


def fresh_base(name):
    base = os.path.join(WORK, name)
    remove_db(base)
    mentorctl(base, "init")
    return base


def no_wal(base):
    for s in ("-wal", "-shm"):
        if os.path.exists(base + s):
            sys.exit("setup: %s%s left behind" % (base, s))
    return base


def build_import(n):
    """people import: n generated rows, the first tenth of them (other
    values, another seed) already in the database: it updates and creates."""
    people = os.path.join(WORK, "people-%d.csv" % n)
    old = os.path.join(WORK, "old-%d.csv" % n)
    gen_people(people, n, 1)
    gen_people(old, max(1, n // 10), 7)
    base = fresh_base("base-import.db")
    mentorctl(base, "people", "import", old)
    return no_wal(base), ["people", "import", people]


def gen_match(n):
    """The match benchmark's generator: n mentees, n / 2 mentors."""
    mdir = os.path.join(WORK, "m-%d" % n)
    if not os.path.isdir(mdir):
        subprocess.run([sys.executable, os.path.join(GEN, "gen_match_people.py"),
                        mdir, str(n), str(n // 2), "3"],
                       stdout=subprocess.DEVNULL, check=True)
    return mdir


def build_enroll(n):
    """enroll --csv: the database has the managers and the mentors (without
    the new column); the file brings the mentees as new people and a new
    attribute for everyone, in one transaction with the enrollments."""
    mdir = gen_match(n)
    with open(os.path.join(mdir, "people.csv")) as f:
        rows = [line.rstrip("\n").split(",") for line in f]
    header, rows = rows[0], rows[1:]
    role = {}
    cap = {}
    with open(os.path.join(mdir, "enroll.csv")) as f:
        next(f)
        for line in f:
            e, r, c = line.rstrip("\n").split(",")
            role[e], cap[e] = r, c
    known = os.path.join(WORK, "known-%d.csv" % n)
    with open(known, "w") as f:
        f.write(",".join(header) + "\n")
        for r in rows:
            if role.get(r[0]) != "mentee":
                f.write(",".join(r) + "\n")
    enroll = os.path.join(WORK, "enroll-%d.csv" % n)
    with open(enroll, "w") as f:
        f.write("role,capacity,cohort," + ",".join(header) + "\n")
        for r in sorted(rows, key=lambda r: role.get(r[0]) != "mentor"):
            if r[0] in role:
                f.write("%s,%s,2027-spring,%s\n" % (role[r[0]], cap[r[0]],
                                                    ",".join(r)))
    base = fresh_base("base-enroll.db")
    mentorctl(base, "people", "import", known)
    mentorctl(base, "program", "add", os.path.join(mdir, "program.yaml"))
    return no_wal(base), ["enroll", "bench-match", "--csv", enroll]


def build_match(n):
    """match: n mentees and n / 2 mentors enrolled, nobody matched yet."""
    mdir = gen_match(n)
    base = fresh_base("base-match.db")
    mentorctl(base, "people", "import", os.path.join(mdir, "people.csv"))
    mentorctl(base, "program", "add", os.path.join(mdir, "program.yaml"))
    mentorctl(base, "enroll", "bench-match", "--csv",
              os.path.join(mdir, "enroll.csv"))
    return no_wal(base), ["match", "bench-match"]


def main():
    t0 = time.perf_counter()
    os.makedirs(WORK, exist_ok=True)
    total = [0, 0, 0]
    for label, build, size, least in (
            ("people import", build_import, 20000, 2000),
            ("enroll --csv", build_enroll, 1000, 200),
            ("match", build_match, 1000, 200)):
        k, n, a = crash(label, build, size, least)
        total = [total[0] + k, total[1] + n, total[2] + a]
    print("total: %d kills, %d none, %d all; %.1f s"
          % (total[0], total[1], total[2], time.perf_counter() - t0))
    return 1 if FAILS else 0


if __name__ == "__main__":
    sys.exit(main())
