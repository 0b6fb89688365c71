#!/usr/bin/env python3
"""Fill a database made by `mentorctl init` + `program add` for the remind
benchmark: P active one-to-one pairings (two mentees per mentor) that have
met for a year, fortnightly give or take a few days, in cycle 2 of the
programme, whose re-up window is open on the benchmark's day; a tenth of
them stopped meeting at some point (overdue, then stalled), a third of the
partners have answered the re-up question, and a few thousand proposals
wait for an answer around their expiry.

    gen_remind.py DB PROGRAM_ID [--pairings P] [--lifecycle]
    gen_remind.py DB PROGRAM_ID --record < remind.json

--lifecycle makes the benchmark's day busy with life-cycle mails too: a
tenth of the pairings turned active in the last days (matched), a tenth
ended in the last days (closure), a tenth re-upped at the last cycle close
(outcome), and the proposals were made in the last days (introduction).

The second form records the reminders of a `remind --dry-run --format json`
run as sent, the way a daily cron job would have left them.

Rows go straight in with sqlite3 (the schema's CHECKs still apply), seeded
so that every run makes the same data.
"""
import argparse
import datetime
import json
import random
import sqlite3
import sys

TS = "2027-01-01T00:00:00Z"
START = datetime.date(2027, 1, 11)        # cycle 1 starts
CYCLE2 = datetime.date(2027, 7, 11)       # cycle 2: Jul 11 .. Jan 11
TODAY = datetime.date(2027, 12, 28)       # inside cycle 2's re-up window
DEPTS = ["Engineering", "Sales", "Finance", "Legal", "Marketing", "Support",
         "Operations", "Research", "HR", "Design"]


def iso(d):
    return d.isoformat()


def generate(db, pid, npairs, lifecycle=False):
    rnd = random.Random(2027)
    nmentors = (npairs + 1) // 2
    npeople = nmentors + npairs
    nprop = max(1, npairs // 50)
    db.execute("BEGIN")
    db.executemany(
        "INSERT INTO person (id, email, name, department, level, created_at,"
        " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        ((i, "p%d@example.org" % i, "Person %d" % i, DEPTS[i % len(DEPTS)],
          i % 7, TS, TS) for i in range(1, npeople + nprop * 2 + 1)))
    db.executemany(
        "INSERT INTO enrollment (id, program_id, person_id, role, status,"
        " enrolled_on, eligible_on) VALUES (?, ?, ?, ?, 'active', ?, ?)",
        ((i, pid, i, "mentor" if i <= nmentors or i > npeople + nprop
          else "mentee", "2027-01-04", "2027-01-05")
         for i in range(1, npeople + nprop * 2 + 1)))
    db.executemany(
        "INSERT INTO cycle (id, program_id, number, starts_on, ends_on,"
        " reup_opens_on, reup_closes_on, status, closed_on)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(1, pid, 1, iso(START), iso(CYCLE2), "2027-06-20", "2027-07-04",
          "closed", "2027-07-05"),
         (2, pid, 2, iso(CYCLE2), "2028-01-11", "2027-12-21", "2028-01-04",
          "open", None)])

    pairings, pcycles, checkins, reups = [], [], [], []
    for k in range(1, npairs + 1):
        mentor = 1 + (k - 1) // 2
        mentee = nmentors + k
        activated = START + datetime.timedelta(days=rnd.randrange(0, 14))
        life = rnd.random() if lifecycle else 1.0
        status, ended = "active", None
        if life < 0.1:
            # turned active in the last days: "you are matched"
            activated = TODAY - datetime.timedelta(days=rnd.randrange(0, 7))
        elif life < 0.2:
            # ended in the last days: the closure mail
            status = "ended"
            ended = TODAY - datetime.timedelta(days=rnd.randrange(0, 7))
        pairings.append((k, pid, mentor, mentee, 2, rnd.uniform(20, 90),
                         status, "2027-01-04", iso(activated),
                         "2027-01-05", "2027-01-05",
                         iso(ended) if ended else None))
        # a tenth re-upped at the last close, decided in the last days
        decided = "2027-07-05"
        if 0.2 <= life < 0.3:
            decided = iso(TODAY - datetime.timedelta(days=rnd.randrange(0, 7)))
        pcycles.append((k, 1, "continued", decided))
        pcycles.append((k, 2, None, None))
        # A tenth stop meeting somewhere in the year.
        stop = TODAY
        if rnd.random() < 0.10:
            stop = START + datetime.timedelta(days=rnd.randrange(30, 350))
        d = activated + datetime.timedelta(days=rnd.randrange(7, 16))
        while d < stop:
            checkins.append((k, iso(d), rnd.choice((30, 45, 60)),
                             rnd.randrange(3, 6), TS))
            d += datetime.timedelta(days=rnd.randrange(11, 18))
        for person in (mentor, mentee):
            if rnd.random() < 0.33:
                reups.append((k, 2, person, rnd.choice(("yes", "yes", "no")),
                              "2027-12-22"))
    db.executemany(
        "INSERT INTO pairing (id, program_id, mentor_enrollment_id,"
        " mentee_enrollment_id, cycle_id, score, status, proposed_on,"
        " activated_on, mentor_accepted_on, mentee_accepted_on, ended_on)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", pairings)
    db.executemany(
        "INSERT INTO pairing_cycle (pairing_id, cycle_id, outcome,"
        " decided_on) VALUES (?, ?, ?, ?)", pcycles)
    db.executemany(
        "INSERT INTO checkin (pairing_id, held_on, minutes, rating,"
        " recorded_at) VALUES (?, ?, ?, ?, ?)", checkins)
    db.executemany(
        "INSERT INTO reup (pairing_id, cycle_id, person_id, answer,"
        " answered_on) VALUES (?, ?, ?, ?, ?)", reups)
    # Proposals from the last match run, expiring over the next days.
    props = []
    for j in range(nprop):
        expires = TODAY + datetime.timedelta(days=rnd.randrange(-3, 6))
        if lifecycle:
            # proposed in the last days: the introduction
            expires = TODAY + datetime.timedelta(days=rnd.randrange(4, 10))
        props.append((npairs + 1 + j, pid, npeople + nprop + 1 + j,
                      npeople + 1 + j, "proposed",
                      iso(expires - datetime.timedelta(days=10)), iso(expires)))
    db.executemany(
        "INSERT INTO pairing (id, program_id, mentor_enrollment_id,"
        " mentee_enrollment_id, status, proposed_on, expires_on)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)", props)
    db.execute("COMMIT")
    return len(checkins)


def record(db, pid):
    rows = json.load(sys.stdin)
    db.execute("BEGIN")
    def key(r):
        if r.get("circle_id"):
            return "circle:%d" % r["circle_id"]
        if r.get("pairing_id"):
            return "pairing:%d" % r["pairing_id"]
        return "program"
    db.executemany(
        "INSERT OR IGNORE INTO reminder (program_id, pairing_id, subject_key,"
        " kind, due_on, recipient, state, claimed_at, claimed_by, sent_at,"
        " message_id) VALUES (?, ?, ?, ?, ?, ?, 'sent', ?, 'bench', ?, ?)",
        ((pid, r.get("pairing_id"), key(r), r["kind"], r["due_on"],
          r["recipient"], TS, TS, r["message_id"]) for r in rows))
    db.execute("COMMIT")
    return len(rows)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("db")
    ap.add_argument("program_id", type=int)
    ap.add_argument("--pairings", type=int, default=100_000)
    ap.add_argument("--record", action="store_true")
    ap.add_argument("--lifecycle", action="store_true")
    a = ap.parse_args()
    db = sqlite3.connect(a.db, isolation_level=None)
    db.execute("PRAGMA foreign_keys = ON")
    db.execute("PRAGMA synchronous = OFF")
    if a.record:
        print(record(db, a.program_id))
    else:
        print(generate(db, a.program_id, a.pairings, a.lifecycle))
    db.close()


if __name__ == "__main__":
    main()
