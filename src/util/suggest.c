#include "util/suggest.h"

#include <stdlib.h>
#include <string.h>

#include "util/xmalloc.h"

size_t
suggest_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j, d;
	size_t *row0, *row1, *row2, *t;

	row0 = xcalloc(lb + 1, sizeof *row0);
	row1 = xcalloc(lb + 1, sizeof *row1);
	row2 = xcalloc(lb + 1, sizeof *row2);
	for (j = 0; j <= lb; j++)
		row1[j] = j;
	for (i = 1; i <= la; i++) {
		row2[0] = i;
		for (j = 1; j <= lb; j++) {
			d = row1[j - 1] + (a[i - 1] != b[j - 1]);
			if (row1[j] + 1 < d)
				d = row1[j] + 1;
			if (row2[j - 1] + 1 < d)
				d = row2[j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && row0[j - 2] + 1 < d)
				d = row0[j - 2] + 1;
			row2[j] = d;
		}
		t = row0;
		row0 = row1;
		row1 = row2;
		row2 = t;
	}
	d = row1[lb];
	free(row0);
	free(row1);
	free(row2);
	return d;
}

/*
 * A word that is the start of a candidate ("pairs" for "pairings") counts
 * as close too: people shorten names they half remember.
 */
const char *
suggest_nearest(const char *word, const char *const *cands, size_t n)
{
	const char *best = NULL;
	size_t bestd = (size_t)-1, d, len = strlen(word), i;

	for (i = 0; i < n; i++) {
		if (cands[i] == NULL)
			continue;
		if (strcmp(cands[i], word) == 0)
			return NULL;
		d = suggest_distance(word, cands[i]);
		if (len >= 3 && strncmp(cands[i], word, len - 1) == 0 && d > 1)
			d = 1;
		if (d < bestd) {
			bestd = d;
			best = cands[i];
		}
	}
	if (best == NULL || bestd > (len + 2) / 3)
		return NULL;
	return best;
}
