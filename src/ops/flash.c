#include "ops/flash.h"

#include <stdlib.h>
#include <string.h>

#include "core/program.h"
#include "ops_int.h"
#include "util/xmalloc.h"

int
ops_flash_plan(const struct ops_ctx *o, long long program_id,
    const struct program *p, struct ops_flash *f, struct error *err)
{
	struct ops_cands *c;
	int i;

	memset(f, 0, sizeof *f);
	c = xcalloc(1, sizeof *c);
	f->priv = c;
	/* every eligible enrollment, matched elsewhere or not */
	if (ops_cands_load(o, program_id, p, 0, c, err) != 0)
		return -1;
	if (flash_plan(p, c->pool.nmentees, c->pool.nmentors, c->t.score,
	    &f->s, err) != 0)
		return -1;
	f->mentor_email = xcalloc((size_t)c->pool.nmentors + 1,
	    sizeof *f->mentor_email);
	f->mentee_email = xcalloc((size_t)c->pool.nmentees + 1,
	    sizeof *f->mentee_email);
	for (i = 0; i < c->pool.nmentors; i++)
		f->mentor_email[i] = c->pool.mentors[i].email;
	for (i = 0; i < c->pool.nmentees; i++)
		f->mentee_email[i] = c->pool.mentees[i].email;
	return 0;
}

void
ops_flash_free(struct ops_flash *f)
{
	if (f == NULL)
		return;
	flash_session_free(&f->s);
	free(f->mentor_email);
	free(f->mentee_email);
	if (f->priv != NULL) {
		ops_cands_free(f->priv);
		free(f->priv);
	}
	memset(f, 0, sizeof *f);
}
