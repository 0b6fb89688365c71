/*
 * Write a competitive matching instance for bench/match_solve:
 *
 *	gen_match N M [SEED [KIND]] > instance.txt
 *
 * Scores depend on the mentee's strength a, the mentor's quality b, a pair
 * affinity and noise: clamp(40 + 25ab + 15 affinity + noise, 0, 100) with two
 * decimals, so that everybody wants the same few mentors, unlike uniform
 * random scores.  About 5% of pairs are excluded (-1); capacities are
 * uniform in 1..3.  The same arguments always give the same file.
 *
 * KIND varies the shape for robustness runs: "competitive" (the default),
 * "uniform" (independent uniform scores), "ties" (five distinct scores).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t rng_state;

static uint64_t
rng_next(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static double
rng_unit(void)
{
	return (double)(rng_next() >> 11) / 9007199254740992.0;
}

int
main(int argc, char **argv)
{
	long n, m, i, j;
	double *a, *b, *ta, *tb, sc, noise, aff;
	char buf[32];
	int v, len, kind = 0;

	if (argc < 3 || argc > 5) {
		fprintf(stderr, "usage: gen_match N M [SEED [KIND]]\n");
		return 64;
	}
	if (argc == 5) {
		if (strcmp(argv[4], "uniform") == 0)
			kind = 1;
		else if (strcmp(argv[4], "ties") == 0)
			kind = 2;
		else if (strcmp(argv[4], "competitive") != 0) {
			fprintf(stderr, "gen_match: unknown kind %s\n", argv[4]);
			return 64;
		}
	}
	n = strtol(argv[1], NULL, 10);
	m = strtol(argv[2], NULL, 10);
	rng_state = argc >= 4 ? strtoull(argv[3], NULL, 10) : 1;
	if (n < 0 || m < 0) {
		fprintf(stderr, "gen_match: bad size\n");
		return 64;
	}
	a = malloc((n + 1) * sizeof *a);
	ta = malloc((n + 1) * sizeof *ta);
	b = malloc((m + 1) * sizeof *b);
	tb = malloc((m + 1) * sizeof *tb);
	if (a == NULL || b == NULL || ta == NULL || tb == NULL)
		return 70;
	for (i = 0; i < n; i++) {
		a[i] = rng_unit();
		ta[i] = rng_unit();    /* a position on a "topic" circle */
	}
	for (j = 0; j < m; j++) {
		b[j] = rng_unit();
		tb[j] = rng_unit();
	}
	printf("%ld %ld\n", n, m);
	for (j = 0; j < m; j++)
		printf("%s%d", j ? " " : "", 1 + (int)(rng_next() % 3));
	printf("\n");
	for (i = 0; i < n; i++) {
		for (j = 0; j < m; j++) {
			if (rng_next() % 20 == 0) {
				fputs(j ? " -1" : "-1", stdout);
				continue;
			}
			/* affinity: closeness of topics on a circle, 1 = same */
			aff = ta[i] - tb[j];
			if (aff < 0)
				aff = -aff;
			if (aff > 0.5)
				aff = 1 - aff;
			aff = 1 - 2 * aff;
			noise = (rng_unit() + rng_unit() + rng_unit() - 1.5) * 10;
			sc = 40 + 25 * a[i] * b[j] + 15 * aff + noise;
			if (kind == 1)
				sc = 100 * rng_unit();
			else if (kind == 2)
				sc = 20 * (int)(rng_next() % 5) + 10;
			if (sc < 0)
				sc = 0;
			if (sc > 100)
				sc = 100;
			v = (int)(sc * 4 + 0.5) * 25;   /* quarter points */
			len = snprintf(buf, sizeof buf, "%s%d.%02d",
			    j ? " " : "", v / 100, v % 100);
			if (len < 0 || (size_t)len >= sizeof buf)
				return 70;
			fwrite(buf, 1, len, stdout);
		}
		putchar('\n');
	}
	free(a);
	free(b);
	free(ta);
	free(tb);
	return ferror(stdout) ? 74 : 0;
}
