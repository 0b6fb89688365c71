// The anchor: LEMON's network simplex on the whole (dense) matching problem.
//
//   lemon_solve --gen KIND N M SEED [--objective coverage|score]
//
// builds the instance of bench/gen_match.h in memory (the same scores that
// `match_solve --gen KIND N M SEED` solves), every allowed pair as an arc
// (bench/lemon_model.hh), and prints
//   total=<points> matched=<mentees> cpu=<s> build=<s> arcs=<n> peak_mb=<MB>
// where cpu is the CPU time of NetworkSimplex (setting its maps and run()),
// build the CPU time of building the LEMON digraph, and peak_mb the
// process's peak resident memory (the score matrix included).  Bench only:
// `make bench` builds it when g++ and liblemon-dev are installed.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen_match.h"
#include "lemon_model.hh"

static int
usage(void)
{
	fprintf(stderr, "usage: lemon_solve --gen KIND N M SEED "
	    "[--objective coverage|score]\n");
	return 64;
}

int
main(int argc, char **argv)
{
	lm_problem p;
	lm_result r;
	long n = -1, m = -1;
	unsigned long long seed = 1;
	int kind = -1, i;
	bool score_obj = false;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--gen") == 0 && i + 4 < argc) {
			kind = gen_kind(argv[i + 1]);
			n = strtol(argv[i + 2], NULL, 10);
			m = strtol(argv[i + 3], NULL, 10);
			seed = strtoull(argv[i + 4], NULL, 10);
			i += 4;
		} else if (strcmp(argv[i], "--objective") == 0 && i + 1 < argc) {
			i++;
			if (strcmp(argv[i], "score") == 0)
				score_obj = true;
			else if (strcmp(argv[i], "coverage") != 0)
				return usage();
		} else
			return usage();
	}
	if (kind < 0 || n < 0 || m < 0 || n > 1000000 || m > 1000000)
		return usage();
	int *cap = (int *)malloc((m + 1) * sizeof *cap);
	int16_t *score = (int16_t *)malloc(((size_t)n * m + 1) *
	    sizeof *score);
	if (cap == NULL || score == NULL)
		return 70;
	gen_instance(kind, n, m, seed, cap, score);
	memset(&p, 0, sizeof p);
	p.n = (int)n;
	p.m = (int)m;
	p.cap = cap;
	p.score = score;
	p.score_objective = score_obj;
	lm_solve(&p, &r);
	if (!r.ok) {
		fprintf(stderr, "lemon_solve: no optimum\n");
		return 70;
	}
	printf("total=%lld.%02lld matched=%ld cpu=%.3f build=%.3f arcs=%lld "
	    "peak_mb=%ld\n", r.total / 100, r.total % 100, r.covered,
	    r.solve_cpu, r.build_cpu, r.arcs, lm_peak_rss_mb());
	free(cap);
	free(score);
	return 0;
}
