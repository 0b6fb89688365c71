/*
 * Time the multi-round planner (core/rounds.c: the b-matching over all
 * rounds, then the edge colouring) on a generated instance:
 *
 *	rounds_solve --gen KIND N M SEED --rounds R [--places P]
 *	    [--objective coverage|score] [--no-balance]
 *
 * Scores come from bench/gen_match.h (the same families as match_solve);
 * mentor j meets up to places[j] mentees per round, by default the
 * generator's capacity (1..3), with --places P every mentor P (a flash
 * table size).  Balance (the even spread of rounds.h) is on unless
 * --no-balance.  The plan is checked with rounds_verify.  Prints
 * meetings=<n> met=<mentees> total=<points> squares=<n> cpu=<s> peak_mb=<MB>.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "core/rounds.h"
#include "util/error.h"
#include "util/xmalloc.h"

#include "gen_match.h"

static double
cpu_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static long
peak_rss_mb(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss / 1024;
}

int
main(int argc, char **argv)
{
	struct error err = ERROR_INIT;
	struct rounds_problem rp;
	struct rounds_plan plan = ROUNDS_PLAN_INIT;
	int16_t *score;
	int *places, kind = -1, R = 0, P = 0, i, balance = 1;
	long n = -1, m = -1;
	unsigned long long seed = 1;
	enum match_objective obj = OBJECTIVE_COVERAGE;
	double c0, c1;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--gen") == 0 && i + 4 < argc) {
			kind = gen_kind(argv[i + 1]);
			n = strtol(argv[i + 2], NULL, 10);
			m = strtol(argv[i + 3], NULL, 10);
			seed = strtoull(argv[i + 4], NULL, 10);
			i += 4;
		} else if (strcmp(argv[i], "--rounds") == 0 && i + 1 < argc) {
			R = atoi(argv[++i]);
		} else if (strcmp(argv[i], "--places") == 0 && i + 1 < argc) {
			P = atoi(argv[++i]);
		} else if (strcmp(argv[i], "--objective") == 0 && i + 1 < argc) {
			i++;
			if (strcmp(argv[i], "score") == 0)
				obj = OBJECTIVE_SCORE;
			else if (strcmp(argv[i], "coverage") != 0)
				goto usage;
		} else if (strcmp(argv[i], "--no-balance") == 0) {
			balance = 0;
		} else
			goto usage;
	}
	if (kind < 0 || n < 0 || m < 0 || n > 1000000 || m > 1000000 ||
	    R < 1)
		goto usage;
	places = xmalloc(((size_t)m + 1) * sizeof *places);
	score = xmalloc(((size_t)n * (size_t)m + 1) * sizeof *score);
	gen_instance(kind, n, m, seed, places, score);
	for (i = 0; P > 0 && i < m; i++)
		places[i] = P;
	memset(&rp, 0, sizeof rp);
	rp.nmentees = (int)n;
	rp.nmentors = (int)m;
	rp.score = score;
	rp.nrounds = R;
	rp.places = places;
	rp.objective = obj;
	rp.balance = balance;
	c0 = cpu_seconds();
	if (rounds_plan(&rp, &plan, &err) != 0) {
		fprintf(stderr, "rounds_solve: %s\n", err.msg);
		return 1;
	}
	c1 = cpu_seconds();
	if (rounds_verify(&rp, &plan, &err) != 0) {
		fprintf(stderr, "rounds_solve: plan fails its check: %s\n",
		    err.msg);
		return 1;
	}
	printf("meetings=%zu met=%d total=%lld.%02lld squares=%lld cpu=%.3f "
	    "peak_mb=%ld\n", plan.n, plan.mentees_met,
	    (long long)(plan.total / 100), (long long)(plan.total % 100),
	    (long long)plan.squares, c1 - c0, peak_rss_mb());
	rounds_plan_free(&plan);
	free(places);
	free(score);
	return 0;

usage:
	fprintf(stderr, "usage: rounds_solve --gen KIND N M SEED --rounds R "
	    "[--places P] [--objective coverage|score] [--no-balance]\n");
	return 64;
}
