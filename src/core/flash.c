#include "core/flash.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/xmalloc.h"

int
flash_plan(const struct program *p, int nmentees, int nmentors,
    const int16_t *score, struct flash_session *s, struct error *err)
{
	struct rounds_problem rp;
	int *places, j, next = 0;
	size_t e;
	int rc;

	memset(s, 0, sizeof *s);
	s->nmentees = nmentees;
	s->nmentors = nmentors;
	s->nrounds = p->flash.rounds;
	places = xcalloc((size_t)nmentors + 1, sizeof *places);
	for (j = 0; j < nmentors; j++)
		places[j] = p->flash.table_size;
	memset(&rp, 0, sizeof rp);
	rp.nmentees = nmentees;
	rp.nmentors = nmentors;
	rp.score = score;
	rp.nrounds = p->flash.rounds;
	rp.places = places;
	rp.objective = p->matching.objective;
	rp.balance = true;
	rc = rounds_plan(&rp, &s->plan, err);
	if (rc == 0 && (rc = rounds_verify(&rp, &s->plan, err)) != 0)
		rounds_plan_free(&s->plan);
	free(places);
	if (rc != 0)
		return -1;
	s->table = xcalloc((size_t)nmentors + 1, sizeof *s->table);
	for (e = 0; e < s->plan.n; e++)
		s->table[s->plan.v[e].mentor] = 1;
	for (j = 0; j < nmentors; j++)
		if (s->table[j])
			s->table[j] = ++next;
	return 0;
}

void
flash_session_free(struct flash_session *s)
{
	if (s == NULL)
		return;
	rounds_plan_free(&s->plan);
	free(s->table);
	memset(s, 0, sizeof *s);
}

int
flash_full(const struct flash_session *s)
{
	int i, full = 0;

	for (i = 0; i < s->nmentees; i++)
		if (s->plan.meetings_of && s->plan.meetings_of[i] == s->nrounds)
			full++;
	return full;
}

int
flash_round_start(const struct program *p, int round)
{
	if (!p->flash.has_start)
		return -1;
	return p->flash.start + round * p->flash.minutes;
}

int
flash_round_end(const struct program *p, int round)
{
	if (!p->flash.has_start)
		return -1;
	return flash_round_start(p, round) + p->flash.minutes;
}

char *
flash_clock(int minutes, char *buf)
{
	minutes %= 24 * 60;
	if (minutes < 0)
		minutes += 24 * 60;
	snprintf(buf, 6, "%02d:%02d", minutes / 60, minutes % 60);
	return buf;
}
