#!/usr/bin/env python3
"""Write N generated people as CSV (standard fields + 5 free attributes).

    gen_people.py N [SEED] [--shape full|sparse|shuffled] > people.csv

Deterministic for a given N, SEED and shape.  Managers form chains (every
person after the first 1% reports to someone earlier in the file), so the
import's manager checks do real work.  Shapes: full (every cell filled but
a few interests), sparse (three in four optional cells empty), shuffled
(the full rows in random order: e-mails arrive in no order, managers may
come later in the file).
"""
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
          "analytics", "security", "sales", "coaching", "rust"]
LANGS = ["en", "de", "fr", "es", "pt", "hi", "zh", "ja"]
FIRST = ["Ada", "Ben", "Chen", "Dara", "Eli", "Fatima", "Goran", "Hana",
         "Ivan", "Jia", "Kofi", "Lena", "Mateo", "Nia", "Omar", "Priya"]
LAST = ["Okafor", "Schmidt", "Garcia", "Tanaka", "Novak", "Silva", "Khan",
        "Larsen", "Moreau", "Rossi", "Nguyen", "Kowalski", "Haddad"]


def pick(rng, items, lo, hi):
    return ";".join(rng.sample(items, rng.randint(lo, hi)))


def rows(n, rng):
    roots = max(1, n // 100)
    for i in range(n):
        manager = "" if i < roots else "p%d@example.org" % rng.randrange(i)
        yield [
            "p%d@example.org" % i,
            "%s %s" % (rng.choice(FIRST), rng.choice(LAST)),
            rng.choice(DEPARTMENTS), rng.choice(TITLES),
            "%d" % rng.randint(1, 7),
            "%04d-%02d-%02d" % (rng.randint(2000, 2026), rng.randint(1, 12),
                                rng.randint(1, 28)),
            "Site %d" % rng.randint(1, 40), rng.choice(ZONES), manager,
            pick(rng, SKILLS, 1, 4), pick(rng, SKILLS, 1, 3),
            pick(rng, SKILLS, 0, 2), pick(rng, LANGS, 1, 3),
            "%d" % rng.randint(0, 40)]


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    shape = "full"
    for a in sys.argv[1:]:
        if a.startswith("--shape="):
            shape = a.split("=", 1)[1]
    if "--shape" in sys.argv:
        shape = sys.argv[sys.argv.index("--shape") + 1]
        args = [a for a in args if a != shape]
    if shape not in ("full", "sparse", "shuffled"):
        sys.exit("gen_people.py: unknown shape %r" % shape)
    n = int(args[0])
    seed = int(args[1]) if len(args) > 1 else 1
    rng = random.Random(seed)
    out = sys.stdout
    out.write("email,name,department,title,level,hired_on,location,timezone,"
              "manager_email,skills,wants,interests,languages,"
              "years_experience\r\n")
    it = rows(n, rng)
    if shape == "shuffled":
        it = list(it)
        random.Random(seed + 1).shuffle(it)
    blank = random.Random(seed + 2)
    for r in it:
        if shape == "sparse":
            r = r[:2] + [c if blank.random() < 0.25 else "" for c in r[2:]]
        out.write(",".join(r) + "\r\n")


if __name__ == "__main__":
    main()
