#include "core/digest.h"

#include <stdlib.h>
#include <string.h>

static bool
pairs_fresh(const struct digest_pair *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (v[i].fresh)
			return true;
	return false;
}

static bool
lines_fresh(const struct digest_line *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (v[i].fresh)
			return true;
	return false;
}

bool
digest_has_news(const struct remind_digest *d)
{
	return pairs_fresh(d->stalled, d->nstalled) ||
	    pairs_fresh(d->proposals, d->nproposals) ||
	    lines_fresh(d->pending, d->npending) ||
	    lines_fresh(d->bounces, d->nbounces) ||
	    lines_fresh(d->replies, d->nreplies) ||
	    lines_fresh(d->undelivered, d->nundelivered);
}

static void
pairs_free(struct digest_pair *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].mentor);
		free(v[i].mentee);
	}
	free(v);
}

static void
lines_free(struct digest_line *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].who);
		free(v[i].what);
		free(v[i].why);
	}
	free(v);
}

void
remind_digest_free(struct remind_digest *d)
{
	if (d == NULL)
		return;
	pairs_free(d->stalled, d->nstalled);
	pairs_free(d->proposals, d->nproposals);
	lines_free(d->pending, d->npending);
	lines_free(d->bounces, d->nbounces);
	lines_free(d->replies, d->nreplies);
	lines_free(d->undelivered, d->nundelivered);
	memset(d, 0, sizeof *d);
}
