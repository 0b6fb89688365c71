/*
 * Matching instances for the benchmarks, shared by gen_match (text files),
 * match_solve (our solver) and lemon_solve (the LEMON anchor), so that both
 * solvers are timed on the very same scores without a file in between.
 *
 * Scores are centi-points 0..10000, -1 for an excluded pair, row-major by
 * mentee (match.h's layout).  The same (kind, n, m, seed) always gives the
 * same instance.  Families ("kinds"):
 *
 *   competitive  clamp(40 + 25ab + 15 affinity + noise): everybody wants
 *                the same few mentors; 5% excluded (the original gen_match)
 *   uniform      independent uniform scores; 5% excluded
 *   ties         five distinct scores (10, 30, 50, 70, 90); 5% excluded
 *   additive     round(40 b_i + 30 q_j + 30 f_ij) points, b, q, f uniform
 *                in [0,1): a mentee term, a mentor term and pair noise, what
 *                a weighted sum of criteria gives; 10% excluded
 *   jaccard      shared interests: 2..6 topics of 32 each (popular topics
 *                likelier), 100 |A n B| / |A u B|; 5% excluded
 *   sparse       competitive scores, 95% excluded
 *   equal        every allowed score 50; 5% excluded
 *   hugecap      competitive scores, mentor 0 takes n / 2 mentees
 *
 * Capacities are uniform in 1..3 (hugecap: mentor 0 excepted).
 *
 * Plain C that also compiles as C++ (lemon_solve.cc includes it).
 */
#ifndef BENCH_GEN_MATCH_H
#define BENCH_GEN_MATCH_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const char *const gen_kinds[] = { "competitive", "uniform", "ties",
	"additive", "jaccard", "sparse", "equal", "hugecap", NULL };

enum { GEN_COMPETITIVE, GEN_UNIFORM, GEN_TIES, GEN_ADDITIVE, GEN_JACCARD,
	GEN_SPARSE, GEN_EQUAL, GEN_HUGECAP };

static uint64_t gen_rng_state;

static uint64_t
gen_rng(void)
{
	uint64_t z = (gen_rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static double
gen_unit(void)
{
	return (double)(gen_rng() >> 11) / 9007199254740992.0;
}

/* The kind's number, or -1. */
static int
gen_kind(const char *name)
{
	int k;

	for (k = 0; gen_kinds[k] != NULL; k++)
		if (strcmp(gen_kinds[k], name) == 0)
			return k;
	return -1;
}

static uint64_t
gen_topics(void)
{
	uint64_t set = 0;
	int k = 2 + (int)(gen_rng() % 5), t;

	while (k > 0) {
		/* topic t with probability ~ 1 / (t + 1): a few are popular */
		t = (int)(32.0 * gen_unit() * gen_unit());
		if (!(set >> t & 1)) {
			set |= (uint64_t)1 << t;
			k--;
		}
	}
	return set;
}

static int
gen_popcount(uint64_t x)
{
	int c = 0;

	while (x) {
		x &= x - 1;
		c++;
	}
	return c;
}

/*
 * Fill cap (m entries) and score (n * m entries).  Returns 0, or -1 for an
 * unknown kind.
 */
static int
gen_instance(int kind, long n, long m, uint64_t seed, int *cap,
    int16_t *score)
{
	double *a, *b, *ta, *tb, sc, noise, aff;
	uint64_t *ia = NULL, *ib = NULL;
	long i, j;
	int v, excl_mod = 20, inter, uni;

	if (kind < 0 || kind > GEN_HUGECAP)
		return -1;
	gen_rng_state = seed;
	a = (double *)malloc((n + 1) * sizeof *a);
	ta = (double *)malloc((n + 1) * sizeof *ta);
	b = (double *)malloc((m + 1) * sizeof *b);
	tb = (double *)malloc((m + 1) * sizeof *tb);
	if (a == NULL || b == NULL || ta == NULL || tb == NULL)
		abort();
	for (i = 0; i < n; i++) {
		a[i] = gen_unit();
		ta[i] = gen_unit();    /* a position on a "topic" circle */
	}
	for (j = 0; j < m; j++) {
		b[j] = gen_unit();
		tb[j] = gen_unit();
	}
	for (j = 0; j < m; j++)
		cap[j] = 1 + (int)(gen_rng() % 3);
	if (kind == GEN_HUGECAP && m > 0)
		cap[0] = (int)(n / 2 > 1 ? n / 2 : 1);
	if (kind == GEN_ADDITIVE)
		excl_mod = 10;
	if (kind == GEN_JACCARD) {
		ia = (uint64_t *)malloc((n + 1) * sizeof *ia);
		ib = (uint64_t *)malloc((m + 1) * sizeof *ib);
		if (ia == NULL || ib == NULL)
			abort();
		for (i = 0; i < n; i++)
			ia[i] = gen_topics();
		for (j = 0; j < m; j++)
			ib[j] = gen_topics();
	}
	for (i = 0; i < n; i++) {
		int16_t *row = score + (size_t)i * (size_t)m;

		for (j = 0; j < m; j++) {
			if (kind == GEN_SPARSE ? gen_rng() % 20 != 0 :
			    gen_rng() % excl_mod == 0) {
				row[j] = -1;
				continue;
			}
			switch (kind) {
			case GEN_ADDITIVE:
				v = (int)(40 * a[i] + 30 * b[j] + 30 *
				    gen_unit() + 0.5) * 100;
				break;
			case GEN_JACCARD:
				inter = gen_popcount(ia[i] & ib[j]);
				uni = gen_popcount(ia[i] | ib[j]);
				v = (10000 * inter + uni / 2) / uni;
				break;
			case GEN_EQUAL:
				v = 5000;
				break;
			default:
				/* affinity: closeness on the circle, 1 = same */
				aff = ta[i] - tb[j];
				if (aff < 0)
					aff = -aff;
				if (aff > 0.5)
					aff = 1 - aff;
				aff = 1 - 2 * aff;
				noise = (gen_unit() + gen_unit() + gen_unit() -
				    1.5) * 10;
				sc = 40 + 25 * a[i] * b[j] + 15 * aff + noise;
				if (kind == GEN_UNIFORM)
					sc = 100 * gen_unit();
				else if (kind == GEN_TIES)
					sc = 20 * (int)(gen_rng() % 5) + 10;
				if (sc < 0)
					sc = 0;
				if (sc > 100)
					sc = 100;
				v = (int)(sc * 4 + 0.5) * 25;   /* quarter points */
				break;
			}
			row[j] = (int16_t)v;
		}
	}
	free(a);
	free(b);
	free(ta);
	free(tb);
	free(ia);
	free(ib);
	return 0;
}

#endif
