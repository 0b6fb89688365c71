#!/usr/bin/env python3
"""Write N generated people as CSV (standard fields + 5 free attributes).

    gen_people.py N [SEED] > people.csv

Deterministic for a given N and SEED.  Managers form chains (every person
after the first 1% reports to someone earlier in the file), so the import's
manager checks do real work.
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


def main():
    n = int(sys.argv[1])
    rng = random.Random(int(sys.argv[2]) if len(sys.argv) > 2 else 1)
    out = sys.stdout
    out.write("email,name,department,title,level,hired_on,location,timezone,"
              "manager_email,skills,wants,interests,languages,"
              "years_experience\r\n")
    roots = max(1, n // 100)
    for i in range(n):
        manager = "" if i < roots else "p%d@example.org" % rng.randrange(i)
        out.write("p%d@example.org,%s %s,%s,%s,%d,%04d-%02d-%02d,%s,%s,%s,"
                  "%s,%s,%s,%s,%d\r\n" % (
                      i, rng.choice(FIRST), rng.choice(LAST),
                      rng.choice(DEPARTMENTS), rng.choice(TITLES),
                      rng.randint(1, 7), rng.randint(2000, 2026),
                      rng.randint(1, 12), rng.randint(1, 28),
                      "Site %d" % rng.randint(1, 40), rng.choice(ZONES),
                      manager, pick(rng, SKILLS, 1, 4),
                      pick(rng, SKILLS, 1, 3), pick(rng, SKILLS, 0, 2),
                      pick(rng, LANGS, 1, 3), rng.randint(0, 40)))


if __name__ == "__main__":
    main()
