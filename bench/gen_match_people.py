#!/usr/bin/env python3
"""Write the inputs of the `match` benchmark (bench/match.sh) into DIR.

    gen_match_people.py DIR [MENTEES [MENTORS [SEED]]]

Defaults: 5,000 mentees, 2,000 mentors, seed 1; deterministic for given
arguments.  Files:

  people.csv     everyone: a CEO, one VP per division, the mentors, the
                 mentees, with the standard fields and free attributes
                 (skills, wants, interests, languages, years_experience,
                 goal_area)
  enroll.csv     the benchmark programme's enrollments, mentor capacities
                 uniform in 1..3
  program.yaml   `bench-match`: ten criteria (three set overlaps), consent
                 both, objective coverage, same_manager_line and
                 previous_partners excluded
  past.yaml      `bench-past`: an earlier programme, consent none
  past.csv       its enrollments: every mentor and a fifth of the mentees,
                 so that matching it first leaves previous partners

Excluded pairs.  Each division's mentors form a management ladder (each
reports to the one before, the first to the division's VP) and every mentee
reports to a mentor near the bottom of its division's ladder, so that
same_manager_line excludes each mentee with the 81 to 100 mentors above it:
about 4.5% of all pairs.  The earlier programme adds its active pairings as
previous partners.  The exact share of manager-line pairs is printed.
"""
import os
import random
import sys

DEPARTMENTS = ["Engineering", "Sales", "Marketing", "Finance", "Operations",
               "Support", "Legal", "People", "Product", "Design"]
TITLES = ["Engineer", "Senior Engineer", "Analyst", "Manager", "Director",
          "Specialist", "Consultant", "Designer", "Coordinator", "Lead"]
ZONES = ["Europe/Berlin", "Europe/London", "America/New_York",
         "America/Los_Angeles", "Asia/Singapore", "Asia/Kolkata",
         "Australia/Sydney", "America/Sao_Paulo"]
SKILLS = ["python", "go", "sql", "negotiation", "design", "finance",
          "public speaking", "leadership", "kubernetes", "writing",
          "analytics", "security", "sales", "coaching", "rust", "hiring",
          "budgeting", "product strategy", "ux research", "data modelling",
          "incident response", "mentoring", "presentations", "contracts",
          "forecasting", "testing", "architecture", "marketing", "excel",
          "people management"]
INTERESTS = ["running", "music", "chess", "cooking", "photography", "yoga",
             "football", "reading", "travel", "gaming", "hiking", "film",
             "volunteering", "gardening", "cycling"]
LANGS = ["en", "de", "fr", "es", "pt", "hi", "zh", "ja"]
GOALS = ["career growth", "technical depth", "leadership", "networking",
         "visibility", "work-life balance", "new role", "confidence"]
DIVISIONS = 20
LADDER_TAIL = 20    # mentees report to one of the ladder's last 20 mentors

PROGRAM = """\
slug: bench-match
name: Benchmark Matching
purpose: knowledge-transfer
format: one-to-one
owner: Benchmarks
contact: bench@example.org
roles:
  mentor:
    capacity: 2
matching:
  consent: both
  respond_within: 10 days
  objective: coverage
  min_score: 10
  criteria:
    - { attribute: skills, mentee_attribute: wants, compare: overlap, weight: 6 }
    - { attribute: interests, compare: overlap, weight: 2 }
    - { attribute: languages, compare: overlap, weight: 3 }
    - { attribute: department, compare: different, weight: 2 }
    - { attribute: timezone, compare: within_hours, hours: 3, weight: 3 }
    - { attribute: level, compare: mentor_above, min_gap: 2, weight: 3 }
    - { attribute: location, compare: same, weight: 1 }
    - { attribute: years_experience, compare: close, scale: 15, weight: 1 }
    - { attribute: tenure, compare: mentor_above, min_gap: 3, weight: 1 }
    - { attribute: goal_area, compare: same, weight: 2 }
  exclude: [same_manager_line, previous_partners]
"""

PAST = """\
slug: bench-past
name: Benchmark Past Programme
purpose: engagement
format: one-to-one
owner: Benchmarks
contact: bench@example.org
roles:
  mentor:
    capacity: 1
matching:
  consent: none
  objective: coverage
  min_score: 0
  criteria:
    - { attribute: department, compare: different, weight: 1 }
"""


def pick(rng, items, lo, hi):
    return ";".join(rng.sample(items, rng.randint(lo, hi)))


def person(rng, email, name, manager, level, mentor):
    return [email, name, rng.choice(DEPARTMENTS), rng.choice(TITLES),
            str(level),
            "%04d-%02d-%02d" % (rng.randint(2000, 2025) if mentor
                                else rng.randint(2018, 2026),
                                rng.randint(1, 12), rng.randint(1, 28)),
            "Site %d" % rng.randint(1, 40), rng.choice(ZONES), manager,
            pick(rng, SKILLS, 2, 6) if mentor else "",
            "" if mentor else pick(rng, SKILLS, 1, 3),
            pick(rng, INTERESTS, 0, 3), pick(rng, LANGS, 1, 3),
            str(rng.randint(8, 35) if mentor else rng.randint(0, 12)),
            rng.choice(GOALS)]


def main():
    if len(sys.argv) < 2 or len(sys.argv) > 5:
        sys.exit("usage: gen_match_people.py DIR [MENTEES [MENTORS [SEED]]]")
    out = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 5000
    m = int(sys.argv[3]) if len(sys.argv) > 3 else 2000
    rng = random.Random(int(sys.argv[4]) if len(sys.argv) > 4 else 1)
    per = max(1, m // DIVISIONS)
    rows = [["ceo@bench.example", "Chief Executive", "Executive",
             "Chief Executive Officer", "10", "2005-01-01", "Site 1",
             "Europe/London", ""] + [""] * 6]
    for d in range(DIVISIONS):
        rows.append(["vp%02d@bench.example" % d, "Vice President %d" % d,
                     DEPARTMENTS[d % len(DEPARTMENTS)], "VP", "10",
                     "2008-01-01", "Site %d" % (d + 1), "Europe/London",
                     "ceo@bench.example"] + [""] * 6)
    mentors = ["m%05d@bench.example" % j for j in range(m)]
    caps = [rng.randint(1, 3) for _ in range(m)]
    for j, email in enumerate(mentors):
        d, k = divmod(j, per)
        d = min(d, DIVISIONS - 1)
        mgr = "vp%02d@bench.example" % d if k == 0 else mentors[j - 1]
        rows.append(person(rng, email, "Mentor %d" % j, mgr,
                           rng.randint(4, 9), True))
    mentees = ["e%05d@bench.example" % i for i in range(n)]
    above = 0
    for i, email in enumerate(mentees):
        d = i % DIVISIONS
        lo = d * per
        hi = m - 1 if d == DIVISIONS - 1 else lo + per - 1
        j = rng.randint(max(lo, hi - LADDER_TAIL + 1), hi)
        above += j - lo + 1
        rows.append(person(rng, email, "Mentee %d" % i, mentors[j],
                           rng.randint(1, 5), False))
    # rows in a shuffled order: the import must not depend on it
    head = rows[:DIVISIONS + 1]
    rest = rows[DIVISIONS + 1:]
    rng.shuffle(rest)
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "people.csv"), "w") as f:
        f.write("email,name,department,title,level,hired_on,location,"
                "timezone,manager_email,skills,wants,interests,languages,"
                "years_experience,goal_area\n")
        for r in head + rest:
            f.write(",".join(r) + "\n")
    with open(os.path.join(out, "enroll.csv"), "w") as f:
        f.write("email,role,capacity\n")
        for email, c in zip(mentors, caps):
            f.write("%s,mentor,%d\n" % (email, c))
        for email in mentees:
            f.write("%s,mentee,\n" % email)
    with open(os.path.join(out, "past.csv"), "w") as f:
        f.write("email,role,capacity\n")
        for email in mentors:
            f.write("%s,mentor,\n" % email)
        for email in mentees[::5]:
            f.write("%s,mentee,\n" % email)
    with open(os.path.join(out, "program.yaml"), "w") as f:
        f.write(PROGRAM)
    with open(os.path.join(out, "past.yaml"), "w") as f:
        f.write(PAST)
    print("%d mentees, %d mentors (%d places), %d people; manager-line "
          "pairs %.2f%%" % (n, m, sum(caps), len(rows),
                            100.0 * above / (n * m) if n and m else 0))


if __name__ == "__main__":
    main()
