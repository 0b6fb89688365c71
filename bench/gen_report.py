#!/usr/bin/env python3
"""Fill a database made by `mentorctl init` + `program add` for the report
benchmark: N people each enrolled once (40% mentors), P pairings (most active
or ended, some declined or still proposed), C check-ins spread over the
activated pairings, feedback, two cycles and their re-up outcomes.

    gen_report.py DB PROGRAM_ID [--enrollments N] [--pairings P] [--checkins C]

Rows go straight in with sqlite3 (the schema's CHECKs still apply), seeded so
that every run makes the same data.
"""
import argparse
import datetime
import random
import sqlite3

TS = "2027-01-01T00:00:00Z"
DEPTS = ["Engineering", "Sales", "Finance", "Legal", "Marketing", "Support",
         "Operations", "Research", "HR", "Design"]
START = datetime.date(2027, 1, 11)


def day(n):
    return (START + datetime.timedelta(days=n)).isoformat()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("db")
    ap.add_argument("program_id", type=int)
    ap.add_argument("--enrollments", type=int, default=100_000)
    ap.add_argument("--pairings", type=int, default=50_000)
    ap.add_argument("--checkins", type=int, default=1_000_000)
    a = ap.parse_args()
    rnd = random.Random(2027)
    db = sqlite3.connect(a.db)
    db.execute("PRAGMA foreign_keys = ON")
    db.execute("PRAGMA synchronous = OFF")
    pid = a.program_id
    n = a.enrollments
    nmentors = n * 2 // 5

    db.execute("BEGIN")
    db.executemany(
        "INSERT INTO person (id, email, name, department, level, created_at,"
        " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        ((i, "p%d@example.org" % i, "Person %d" % i, DEPTS[i % len(DEPTS)],
          i % 7, TS, TS) for i in range(1, n + 1)))
    db.executemany(
        "INSERT INTO training (person_id, name, completed_on, recorded_at)"
        " VALUES (?, ?, ?, ?)",
        ((i, "mentor-basics" if i <= nmentors else "mentee-orientation",
          day(-30), TS) for i in range(1, n + 1)))

    def enrollment(i):
        role = "mentor" if i <= nmentors else "mentee"
        enrolled = rnd.randrange(-20, 30)
        r = rnd.random()
        if r < 0.05:
            return (i, pid, i, role, "withdrawn", day(enrolled), None,
                    day(enrolled + rnd.randrange(1, 100)))
        if r < 0.10:
            return (i, pid, i, role, "pending", day(enrolled), None, None)
        return (i, pid, i, role, "active", day(enrolled), day(enrolled + 1),
                None)
    db.executemany(
        "INSERT INTO enrollment (id, program_id, person_id, role, status,"
        " enrolled_on, eligible_on, withdrawn_on) VALUES (?,?,?,?,?,?,?,?)",
        (enrollment(i) for i in range(1, n + 1)))

    db.executemany(
        "INSERT INTO cycle (id, program_id, number, starts_on, ends_on,"
        " reup_opens_on, reup_closes_on, status, closed_on)"
        " VALUES (?,?,?,?,?,?,?,?,?)",
        [(1, pid, 1, day(0), day(181), day(160), day(174), "closed", day(181)),
         (2, pid, 2, day(181), day(365), day(344), day(358), "open", None)])

    pairings, active = [], []
    for k in range(1, a.pairings + 1):
        mentor = 1 + (k - 1) % nmentors
        mentee = nmentors + 1 + (k - 1) % (n - nmentors)
        proposed = rnd.randrange(0, 40)
        r = rnd.random()
        if r < 0.05:
            pairings.append((k, pid, mentor, mentee, 1, "declined",
                             day(proposed), None, None, day(proposed + 3),
                             None, None))
        elif r < 0.08:
            pairings.append((k, pid, mentor, mentee, 1, "proposed",
                             day(proposed), day(proposed + 10), None, None,
                             None, None))
        else:
            act = proposed + rnd.randrange(1, 10)
            if r < 0.30:
                end = act + rnd.randrange(20, 300)
                reason = rnd.choice(["completed", "moved teams", "left",
                                     None])
                pairings.append((k, pid, mentor, mentee, 1, "ended",
                                 day(proposed), None, day(act), None,
                                 day(end), reason))
                active.append((k, act, end))
            else:
                pairings.append((k, pid, mentor, mentee, 1, "active",
                                 day(proposed), None, day(act), None, None,
                                 None))
                active.append((k, act, 360))
    db.executemany(
        "INSERT INTO pairing (id, program_id, mentor_enrollment_id,"
        " mentee_enrollment_id, cycle_id, status, proposed_on, expires_on,"
        " activated_on, declined_on, ended_on, end_reason)"
        " VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", pairings)
    db.executemany(
        "INSERT INTO pairing_cycle (pairing_id, cycle_id, outcome, decided_on)"
        " VALUES (?, 1, ?, ?)",
        ((k, rnd.choice(["continued", "continued", "exited"]), day(170))
         for (k, act, end) in active if end >= 181))

    per = a.checkins // max(1, len(active))
    extra = a.checkins - per * len(active)

    def checkins():
        for idx, (k, act, end) in enumerate(active):
            count = per + (1 if idx < extra else 0)
            span = max(1, end - act)
            for j in range(count):
                yield (k, day(act + 1 + (j * span) // max(1, count)),
                       45, rnd.randrange(1, 6), "topic", "private notes",
                       TS)
    db.executemany(
        "INSERT INTO checkin (pairing_id, held_on, minutes, rating, topic,"
        " notes, recorded_at) VALUES (?,?,?,?,?,?,?)", checkins())

    db.executemany(
        "INSERT INTO feedback (program_id, pairing_id, person_id, rating,"
        " comment, given_on, recorded_at) VALUES (?,?,?,?,?,?,?)",
        ((pid, k, nmentors + 1 + (k - 1) % (n - nmentors),
          rnd.randrange(1, 6), "comment %d" % k if k % 10 == 0 else None,
          day(min(end, 360)), TS)
         for (k, act, end) in active[: len(active) // 3]))
    db.execute("COMMIT")
    # No ANALYZE: users' databases have no statistics either, so the planner
    # the benchmark measures is the one they get.
    db.close()


if __name__ == "__main__":
    main()
