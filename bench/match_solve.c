/*
 * Time the matching solver on a plain-text instance (see bench/gen_match.c):
 *
 *	match_solve INSTANCE | --gen KIND N M SEED
 *	    [--objective coverage|score] [--assign FILE] [--classes C]
 *	    [--reference]
 *
 * INSTANCE: "N M", then M capacities, then N rows of M scores (0..100, up to
 * two decimals, or -1 for an excluded pair); --gen builds bench/gen_match.h's
 * instance in memory instead (the very scores lemon_solve solves).  Prints
 * "total=<points> matched=<count> seconds=<solve time>" and then, for
 * whoever tunes the solver, cpu=<solve CPU time, user and system>,
 * sys=<its system part, mostly page faults>, rounds=<r>, edges=<e> and
 * peak_mb=<the process's peak resident memory, the score matrix included>.
 * --classes C puts mentee i in class i % C with at most one mentee of a
 * class per mentor (the group format's department diversity).
 * --reference also solves with an independent dense Hungarian method on
 * replicated mentor places (slow: O(places^2 * (N + places))) and fails
 * unless both reach the same objective.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "core/match.h"
#include "util/error.h"
#include "util/fileio.h"
#include "util/xmalloc.h"

#include "gen_match.h"

static const char *p_cur;

static int
next_int(long *v)
{
	const char *q = p_cur;
	long x = 0;
	int neg = 0;

	while (*q == ' ' || *q == '\n' || *q == '\r' || *q == '\t')
		q++;
	if (*q == '-') {
		neg = 1;
		q++;
	}
	if (*q < '0' || *q > '9')
		return -1;
	while (*q >= '0' && *q <= '9')
		x = x * 10 + (*q++ - '0');
	p_cur = q;
	*v = neg ? -x : x;
	return 0;
}

/* A score in points with optional decimals, as rounded centi-points. */
static int
next_score(int *cp)
{
	long ip;
	int frac = 0, digits = 0, neg;

	while (*p_cur == ' ' || *p_cur == '\n' || *p_cur == '\r' ||
	    *p_cur == '\t')
		p_cur++;
	neg = *p_cur == '-';
	if (next_int(&ip) == -1)
		return -1;
	if (*p_cur == '.') {
		p_cur++;
		while (*p_cur >= '0' && *p_cur <= '9') {
			if (digits < 3)
				frac = frac * 10 + (*p_cur - '0');
			digits++;
			p_cur++;
		}
		while (digits < 3) {
			frac *= 10;
			digits++;
		}
	}
	if (neg) {
		if (ip != -1 || frac != 0)
			return -1;
		*cp = MATCH_EXCLUDED;
		return 0;
	}
	if (ip > 100)
		return -1;
	*cp = (int)(ip * 100 + (frac + 5) / 10);
	if (*cp > MATCH_SCORE_MAX)
		return -1;
	return 0;
}

static double
clock_seconds(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static double
now(void)
{
	return clock_seconds(CLOCK_MONOTONIC);
}

/*
 * Independent check: Kuhn-Munkres with potentials (the classic O(r^2 c)
 * form) where rows are mentor places and columns are mentees plus one empty
 * column per place.  Knows nothing of the fast solver's network.
 */
static void
reference(int n, int m, const int *cap, const int16_t *score,
    enum match_objective obj, int *matched, int64_t *total)
{
	int64_t places = 0, lim, wmul, wadd, INF = INT64_MAX / 4;
	int *slot_mentor, R, C, i, j, k, i0, j0, j1, *p, *way;
	int64_t *u, *v, *minv, delta, cur;
	char *used;

	for (j = 0; j < m; j++)
		places += cap[j] < n ? cap[j] : n;
	lim = places < n ? places : n;
	if (obj == OBJECTIVE_SCORE) {
		wmul = lim + 1;
		wadd = 1;
	} else {
		wmul = 1;
		wadd = (int64_t)MATCH_SCORE_MAX * lim + 1;
	}
	R = (int)places;
	C = n + R;
	slot_mentor = xmalloc(((size_t)R + 1) * sizeof *slot_mentor);
	for (k = 0, j = 0; j < m; j++)
		for (i = 0; i < cap[j] && i < n; i++)
			slot_mentor[1 + k++] = j;
	u = xcalloc((size_t)R + 1, sizeof *u);
	v = xcalloc((size_t)C + 1, sizeof *v);
	minv = xmalloc(((size_t)C + 1) * sizeof *minv);
	p = xcalloc((size_t)C + 1, sizeof *p);
	way = xcalloc((size_t)C + 1, sizeof *way);
	used = xmalloc((size_t)C + 1);
	for (i = 1; i <= R; i++) {
		p[0] = i;
		j0 = 0;
		for (j = 0; j <= C; j++)
			minv[j] = INF;
		memset(used, 0, (size_t)C + 1);
		do {
			used[j0] = 1;
			i0 = p[j0];
			delta = INF;
			j1 = 0;
			for (j = 1; j <= C; j++) {
				if (used[j])
					continue;
				if (j <= n) {
					int sc = score[(size_t)(j - 1) * m +
					    slot_mentor[i0]];
					cur = sc < 0 ? INF :
					    -((int64_t)sc * wmul + wadd);
				} else
					cur = 0;
				if (cur < INF) {
					cur = cur - u[i0] - v[j];
					if (cur < minv[j]) {
						minv[j] = cur;
						way[j] = j0;
					}
				}
				if (minv[j] < delta) {
					delta = minv[j];
					j1 = j;
				}
			}
			for (j = 0; j <= C; j++) {
				if (used[j]) {
					u[p[j]] += delta;
					v[j] -= delta;
				} else if (minv[j] < INF)
					minv[j] -= delta;
			}
			j0 = j1;
		} while (p[j0] != 0);
		do {
			j1 = way[j0];
			p[j0] = p[j1];
			j0 = j1;
		} while (j0);
	}
	*matched = 0;
	*total = 0;
	for (j = 1; j <= n; j++) {
		if (p[j] == 0)
			continue;
		(*matched)++;
		*total += score[(size_t)(j - 1) * m + slot_mentor[p[j]]];
	}
	free(slot_mentor);
	free(u);
	free(v);
	free(minv);
	free(p);
	free(way);
	free(used);
}

static double
sys_seconds(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	if (getenv("FAULTS"))
		fprintf(stderr, "faults %ld\n", ru.ru_minflt);
	return ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

static long
peak_rss_mb(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss / 1024;
}

/* The text instance at path into *n, *m, *cap, *score; 0 or an exit code. */
static int
read_instance(const char *path, long *n, long *m, int **cap, int16_t **score)
{
	struct error err = ERROR_INIT;
	size_t len, cells, c;
	char *buf;
	long v;
	int i, sc;

	if (file_read_all(path, (size_t)1 << 32, &buf, &len, &err) == -1) {
		fprintf(stderr, "match_solve: %s\n", err.msg);
		return err.code;
	}
	p_cur = buf;
	if (next_int(n) == -1 || next_int(m) == -1 || *n < 0 || *m < 0 ||
	    *n > 1000000 || *m > 1000000) {
		fprintf(stderr, "match_solve: %s: bad header\n", path);
		return 65;
	}
	*cap = xmalloc(((size_t)*m + 1) * sizeof **cap);
	for (i = 0; i < *m; i++) {
		if (next_int(&v) == -1 || v < 0 || v > 1000000) {
			fprintf(stderr, "match_solve: %s: bad capacity\n", path);
			return 65;
		}
		(*cap)[i] = (int)v;
	}
	cells = (size_t)*n * (size_t)*m;
	*score = xmalloc((cells ? cells : 1) * sizeof **score);
	for (c = 0; c < cells; c++) {
		if (next_score(&sc) == -1) {
			fprintf(stderr, "match_solve: %s: bad score in row %zu\n",
			    path, c / *m + 1);
			return 65;
		}
		(*score)[c] = (int16_t)sc;
	}
	free(buf);
	return 0;
}

int
main(int argc, char **argv)
{
	struct error err = ERROR_INIT;
	struct match_problem pb;
	struct match_result res = MATCH_RESULT_INIT;
	const char *path = NULL, *assign = NULL;
	enum match_objective obj = OBJECTIVE_COVERAGE;
	int16_t *score = NULL;
	int *cap = NULL, *cls = NULL, i, ref = 0, nclasses = 0, kind = -1, rc;
	long n = -1, m = -1;
	unsigned long long seed = 1;
	double t0, t1, c0, c1, s0, s1;
	FILE *fp;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--objective") == 0 && i + 1 < argc) {
			i++;
			if (strcmp(argv[i], "coverage") == 0)
				obj = OBJECTIVE_COVERAGE;
			else if (strcmp(argv[i], "score") == 0)
				obj = OBJECTIVE_SCORE;
			else
				goto usage;
		} else if (strcmp(argv[i], "--gen") == 0 && i + 4 < argc) {
			if ((kind = gen_kind(argv[i + 1])) < 0)
				goto usage;
			n = strtol(argv[i + 2], NULL, 10);
			m = strtol(argv[i + 3], NULL, 10);
			seed = strtoull(argv[i + 4], NULL, 10);
			if (n < 0 || m < 0 || n > 1000000 || m > 1000000)
				goto usage;
			i += 4;
		} else if (strcmp(argv[i], "--assign") == 0 && i + 1 < argc)
			assign = argv[++i];
		else if (strcmp(argv[i], "--reference") == 0)
			ref = 1;
		else if (strcmp(argv[i], "--classes") == 0 && i + 1 < argc) {
			nclasses = atoi(argv[++i]);
			if (nclasses < 1)
				goto usage;
		}
		else if (argv[i][0] == '-' && argv[i][1] != '\0')
			goto usage;
		else if (path == NULL)
			path = argv[i];
		else
			goto usage;
	}
	if ((path == NULL) == (kind < 0) || (ref && nclasses > 0))
		goto usage;

	if (path != NULL) {
		if ((rc = read_instance(path, &n, &m, &cap, &score)) != 0)
			return rc;
	} else {
		cap = xmalloc(((size_t)m + 1) * sizeof *cap);
		score = xmalloc(((size_t)n * (size_t)m + 1) * sizeof *score);
		gen_instance(kind, n, m, seed, cap, score);
	}

	memset(&pb, 0, sizeof pb);
	pb.nmentees = (int)n;
	pb.nmentors = (int)m;
	pb.capacity = cap;
	pb.score = score;
	pb.objective = obj;
	if (nclasses > 0) {
		cls = xmalloc(((size_t)n + 1) * sizeof *cls);
		for (i = 0; i < n; i++)
			cls[i] = i % nclasses;
		pb.mentee_class = cls;
		pb.max_per_class = 1;
	}
	s0 = sys_seconds();
	c0 = clock_seconds(CLOCK_PROCESS_CPUTIME_ID);
	t0 = now();
	if (match_solve(&pb, &res, &err) == -1) {
		fprintf(stderr, "match_solve: %s\n", err.msg);
		return err.code;
	}
	t1 = now();
	c1 = clock_seconds(CLOCK_PROCESS_CPUTIME_ID);
	s1 = sys_seconds();
	/* cpu= tells a busy machine's figures from the solver's own */
	printf("total=%lld.%02lld matched=%d seconds=%.3f cpu=%.3f sys=%.3f "
	    "rounds=%d edges=%zu peak_mb=%ld\n", (long long)(res.total / 100),
	    (long long)(res.total % 100), res.matched, t1 - t0, c1 - c0,
	    s1 - s0, res.rounds, res.edges, peak_rss_mb());

	if (assign != NULL) {
		if ((fp = fopen(assign, "w")) == NULL) {
			fprintf(stderr, "match_solve: %s: %s\n", assign,
			    strerror(errno));
			return 73;
		}
		for (i = 0; i < n; i++)
			if (res.mentor_of[i] >= 0)
				fprintf(fp, "%d,%d\n", i, res.mentor_of[i]);
		if (fclose(fp) != 0) {
			fprintf(stderr, "match_solve: %s: %s\n", assign,
			    strerror(errno));
			return 74;
		}
	}
	if (ref) {
		int rm;
		int64_t rt;

		t0 = now();
		reference((int)n, (int)m, cap, score, obj, &rm, &rt);
		t1 = now();
		printf("reference total=%lld.%02lld matched=%d seconds=%.3f\n",
		    (long long)(rt / 100), (long long)(rt % 100), rm, t1 - t0);
		if (rm != res.matched || rt != res.total) {
			fprintf(stderr, "match_solve: MISMATCH with reference\n");
			return 1;
		}
	}
	match_result_free(&res);
	free(score);
	free(cap);
	free(cls);
	return 0;

usage:
	fprintf(stderr, "usage: match_solve INSTANCE | --gen KIND N M SEED "
	    "[--objective coverage|score] [--assign FILE] "
	    "[--classes C | --reference]\n");
	return 64;
}
