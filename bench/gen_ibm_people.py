#!/usr/bin/env python3
"""Write N people made from the IBM HR attrition sample, as a wide CSV.

    gen_ibm_people.py DATASET N > people.csv

Every row of the sample in turn (again from the top after its 1,470),
each with a made-up e-mail and name: the standard fields department,
title (JobRole), level (JobLevel) and hired_on (from YearsAtCompany), and
its 31 other columns as free attributes, headers as the export has them.
Starts with a byte-order mark and uses CRLF, as the sample does: the shape
of a real HR export, much wider than gen_people.py's.
"""
import csv
import sys

FIRST = ["Ada", "Ben", "Chen", "Dara", "Eli", "Fatima", "Goran", "Hana"]
LAST = ["Okafor", "Schmidt", "Garcia", "Tanaka", "Novak", "Silva", "Khan"]
MAPPED = ("Department", "JobRole", "JobLevel", "YearsAtCompany")


def main():
    src, n = sys.argv[1], int(sys.argv[2])
    with open(src, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    cols = [c for c in rows[0].keys() if c not in MAPPED]
    out = csv.writer(sys.stdout, lineterminator="\r\n")
    sys.stdout.write("\ufeff")
    out.writerow(["Email", "Name", "Department", "Title", "Level",
                  "Hired On"] + cols)
    for i in range(n):
        r = rows[i % len(rows)]
        out.writerow(["e%d@example.org" % i,
                      "%s %s" % (FIRST[i % len(FIRST)], LAST[i % len(LAST)]),
                      r["Department"], r["JobRole"], r["JobLevel"],
                      "%04d-01-04" % (2027 - int(r["YearsAtCompany"]))] +
                     [r[c] for c in cols])


if __name__ == "__main__":
    main()
