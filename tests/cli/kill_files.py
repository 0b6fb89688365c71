#!/usr/bin/env python3
"""Killed `backup` and `init` (issue 18, items 3 and 7), driven by
tests/cli/t_backup.sh and tests/cli/t_init_kill.sh.

    kill_files.py backup|init WORKDIR [KILLS]

backup: a database of BACKUP_PEOPLE (20,000) generated people is backed
up cleanly three times to learn how long that takes (the median); then
`backup copy.db` is started again and again and SIGKILLed after a random
delay drawn uniformly from [0, 1.15 x that time] until KILLS (default 20)
kills have hit a running process.  After every kill, copy.db is either
absent or a complete copy (integrity_check ok, every person, rollback
journal mode, 0600); a kill that left it absent is followed by a retry
that must succeed.  Temporary files the kills leave beside it are counted
(they never carry the requested name) and removed.

init: `init` on a new path, killed the same way (KILLS times).  After every
kill, `init` again must succeed and leave a database in WAL mode, 0600,
with mentorctl's application_id, that takes a write (`program add`) and
a read.

Prints one line with the counts, "not ok: " lines for failures, and exits
1 when anything failed.  The binary is $MENTORCTL, the tree $TOP.
"""
import glob
import os
import random
import signal
import sqlite3
import stat
import subprocess
import sys
import time

BIN = os.environ["MENTORCTL"]
TOP = os.environ["TOP"]
MODE = sys.argv[1]
WORK = sys.argv[2]
KILLS = int(sys.argv[3]) if len(sys.argv) > 3 else 20
APP_ID = 0x4D4E5452  # "MNTR"
FAILS = []
rng = random.Random(int(os.environ.get("CRASH_SEED", "0")) or None)


def fail(msg):
    FAILS.append(msg)
    print("not ok: " + msg, flush=True)


def run(db, *args):
    env = dict(os.environ, MENTORCTL_DB=db)
    return subprocess.run([BIN] + list(args), env=env,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def must(db, *args):
    r = run(db, *args)
    if r.returncode != 0:
        sys.exit("setup: mentorctl %s exited %d: %s" % (
            " ".join(args), r.returncode, r.stderr.decode(errors="replace")))


def timed(db, *args):
    t0 = time.perf_counter()
    r = run(db, *args)
    return time.perf_counter() - t0, r


def kill_after(db, delay, *args):
    """Start mentorctl, SIGKILL it after delay: its exit status."""
    env = dict(os.environ, MENTORCTL_DB=db)
    p = subprocess.Popen([BIN] + list(args), env=env,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(delay)
    try:
        p.send_signal(signal.SIGKILL)
    except ProcessLookupError:
        pass
    return p.wait()


def query(path, *sqls):
    con = sqlite3.connect("file:%s?mode=ro" % path, uri=True)
    try:
        return [con.execute(s).fetchone()[0] for s in sqls]
    finally:
        con.close()


def mode_of(path):
    return stat.S_IMODE(os.lstat(path).st_mode)


def check_copy(copy, people):
    """'' when copy is a complete standalone backup, else what is wrong."""
    try:
        ic, n, jm = query(copy, "PRAGMA integrity_check",
                          "SELECT count(*) FROM person", "PRAGMA journal_mode")
    except sqlite3.Error as e:
        return "unreadable: %s" % e
    if ic != "ok":
        return "integrity_check: %s" % ic
    if n != people:
        return "%d people instead of %d" % (n, people)
    if jm != "delete":
        return "journal mode %s" % jm
    if mode_of(copy) != 0o600:
        return "mode %o" % mode_of(copy)
    for s in ("-wal", "-shm", "-journal"):
        if os.path.exists(copy + s):
            return "a %s beside it" % s
    return ""


def strays(copy):
    d, name = os.path.split(copy)
    return glob.glob(os.path.join(d, "." + name + ".*"))


def backup():
    n = int(os.environ.get("BACKUP_PEOPLE", "20000"))
    db = os.path.join(WORK, "big.db")
    people = os.path.join(WORK, "people.csv")
    with open(people, "w") as f:
        subprocess.run([sys.executable, os.path.join(TOP, "bench",
                        "gen_people.py"), str(n), "1"], stdout=f, check=True)
    must(db, "init")
    must(db, "people", "import", people)
    copy = os.path.join(WORK, "copy.db")
    times = []
    for _ in range(3):
        t, r = timed(db, "backup", copy)
        if r.returncode != 0 or check_copy(copy, n):
            sys.exit("setup: clean backup exited %d: %s %s" % (
                r.returncode, r.stderr.decode(errors="replace"),
                check_copy(copy, n)))
        times.append(t)
        os.remove(copy)
    span = sorted(times)[1]
    killed = finished = absent = complete = bad = left = retried = 0
    tries = 0
    while killed < KILLS and tries < 4 * KILLS:
        tries += 1
        delay = rng.uniform(0, 1.15 * span)
        rc = kill_after(db, delay, "backup", copy)
        if rc == -signal.SIGKILL:
            killed += 1
        elif rc == 0:
            finished += 1
        else:
            fail("backup exited %d instead of being killed or succeeding"
                 % rc)
        if os.path.lexists(copy):
            why = check_copy(copy, n)
            if why:
                bad += 1
                fail("a kill at %.3f s left a bad '%s': %s"
                     % (delay, os.path.basename(copy), why))
            elif rc != 0:
                complete += 1
        elif rc == 0:
            fail("a backup that succeeded left no file")
        else:
            absent += 1
            r = run(db, "backup", copy)
            why = check_copy(copy, n) if os.path.exists(copy) else "no file"
            if r.returncode == 0 and not why:
                retried += 1
            else:
                fail("the retry after a kill at %.3f s exited %d: %s %s"
                     % (delay, r.returncode,
                        r.stderr.decode(errors="replace").strip(), why))
        s = strays(copy)
        left += len(s)
        for f in s:
            os.remove(f)
        for f in [copy] + [copy + x for x in ("-journal", "-wal", "-shm")]:
            if os.path.lexists(f):
                os.remove(f)
    if killed < KILLS:
        fail("only %d of %d tries killed a running backup" % (killed, tries))
    print("backup: %d people, clean run %.3f s; %d kills: %d bad files, "
          "%d absent (%d retries ok), %d complete; %d stray temporary files; "
          "%d runs finished first"
          % (n, span, killed, bad, absent, retried, complete, left,
             finished), flush=True)


def init():
    yaml = os.path.join(TOP, "data", "programs", "eng-2027.yaml")
    db = os.path.join(WORK, "init.db")

    def clear():
        for s in ("", "-wal", "-shm", "-journal"):
            if os.path.lexists(db + s):
                os.remove(db + s)

    times = []
    for _ in range(5):
        clear()
        t, r = timed(db, "init")
        if r.returncode != 0:
            sys.exit("setup: init exited %d" % r.returncode)
        times.append(t)
    span = min(times)  # short: the first runs pay for a cold cache
    killed = finished = nowal = 0
    states = {"absent": 0, "empty": 0, "made": 0}
    tries = 0
    while killed < KILLS and tries < 8 * KILLS:
        tries += 1
        clear()
        delay = rng.uniform(0, 1.15 * span)
        rc = kill_after(db, delay, "init")
        if rc == -signal.SIGKILL:
            killed += 1
        elif rc == 0:
            finished += 1
        else:
            fail("init exited %d instead of being killed or succeeding" % rc)
        if rc == -signal.SIGKILL:
            if not os.path.exists(db):
                states["absent"] += 1
            elif os.path.getsize(db) == 0:
                states["empty"] += 1
            else:
                states["made"] += 1
        r = run(db, "init")
        if r.returncode != 0:
            fail("init after a kill at %.3f s exited %d: %s" % (
                delay, r.returncode, r.stderr.decode(errors="replace")))
            continue
        jm, app = query(db, "PRAGMA journal_mode", "PRAGMA application_id")
        if jm != "wal":
            nowal += 1
            fail("init after a kill at %.3f s left journal mode %s"
                 % (delay, jm))
        if app != APP_ID:
            fail("init after a kill left application_id %#x" % app)
        if mode_of(db) != 0o600:
            fail("init after a kill left mode %o" % mode_of(db))
        for args in (("program", "add", yaml), ("program", "list")):
            r = run(db, *args)
            if r.returncode != 0:
                fail("%s after a killed init exited %d: %s" % (
                    " ".join(args), r.returncode,
                    r.stderr.decode(errors="replace")))
    if killed < KILLS:
        fail("only %d of %d tries killed a running init" % (killed, tries))
    print("init: clean run %.4f s; %d kills (%d left no file, %d an empty "
          "one, %d a database); %d without WAL after init; %d runs finished "
          "first" % (span, killed, states["absent"], states["empty"],
                     states["made"], nowal, finished), flush=True)


def main():
    os.makedirs(WORK, exist_ok=True)
    {"backup": backup, "init": init}[MODE]()
    return 1 if FAILS else 0


if __name__ == "__main__":
    sys.exit(main())
