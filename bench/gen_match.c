/*
 * Write a matching instance for bench/match_solve as text:
 *
 *	gen_match N M [SEED [KIND]] > instance.txt
 *
 * "N M", then M capacities, then N rows of M scores in points with two
 * decimals (-1: excluded).  KIND is one of bench/gen_match.h's families
 * (competitive, the default, uniform, ties, additive, jaccard, sparse,
 * equal, hugecap).  The same arguments always give the same file, and the
 * same scores as `match_solve --gen KIND N M SEED` and `lemon_solve --gen
 * KIND N M SEED` build in memory.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen_match.h"

int
main(int argc, char **argv)
{
	long n, m, i, j;
	int16_t *score;
	int *cap, kind = GEN_COMPETITIVE, v, len;
	char buf[32];

	if (argc < 3 || argc > 5) {
		fprintf(stderr, "usage: gen_match N M [SEED [KIND]]\n");
		return 64;
	}
	if (argc == 5 && (kind = gen_kind(argv[4])) < 0) {
		fprintf(stderr, "gen_match: unknown kind %s\n", argv[4]);
		return 64;
	}
	n = strtol(argv[1], NULL, 10);
	m = strtol(argv[2], NULL, 10);
	if (n < 0 || m < 0 || n > 1000000 || m > 1000000) {
		fprintf(stderr, "gen_match: bad size\n");
		return 64;
	}
	cap = malloc((m + 1) * sizeof *cap);
	score = malloc(((size_t)n * (size_t)m + 1) * sizeof *score);
	if (cap == NULL || score == NULL)
		return 70;
	gen_instance(kind, n, m, argc >= 4 ? strtoull(argv[3], NULL, 10) : 1,
	    cap, score);
	printf("%ld %ld\n", n, m);
	for (j = 0; j < m; j++)
		printf("%s%d", j ? " " : "", cap[j]);
	printf("\n");
	for (i = 0; i < n; i++) {
		for (j = 0; j < m; j++) {
			v = score[(size_t)i * (size_t)m + j];
			if (v < 0) {
				fputs(j ? " -1" : "-1", stdout);
				continue;
			}
			len = snprintf(buf, sizeof buf, "%s%d.%02d",
			    j ? " " : "", v / 100, v % 100);
			if (len < 0 || (size_t)len >= sizeof buf)
				return 70;
			fwrite(buf, 1, len, stdout);
		}
		putchar('\n');
	}
	free(cap);
	free(score);
	return ferror(stdout) ? 74 : 0;
}
