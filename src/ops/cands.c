#include "ops_int.h"

#include <string.h>

#include "core/program.h"

int
ops_cands_load(const struct ops_ctx *o, long long program_id,
    const struct program *p, unsigned flags, struct ops_cands *c,
    struct error *err)
{
	struct match_load ld;
	struct score_input in;

	memset(c, 0, sizeof *c);
	memset(&ld, 0, sizeof ld);
	ld.program_id = program_id;
	ld.program = p;
	ld.today = o->today;
	ld.flags = flags;
	if (store_match_load(o->db, &ld, &c->pool, err) != 0)
		return -1;
	match_pool_input(&c->pool, p, o->today, &in);
	return score_build(&in, &c->t, err);
}

void
ops_cands_free(struct ops_cands *c)
{
	score_table_free(&c->t);
	match_pool_free(&c->pool);
}

int
ops_blank(const char *s)
{
	if (s == NULL)
		return 1;
	for (; *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\r' && *s != '\n' &&
		    *s != '\v' && *s != '\f')
			return 0;
	return 1;
}
