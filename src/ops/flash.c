#include "ops/flash.h"

#include <stdlib.h>
#include <string.h>

#include "core/program.h"
#include "ops_int.h"
#include "store/rounds_store.h"
#include "util/xmalloc.h"

struct flash_priv {
	struct ops_cands c;
	struct enrolled_name *names;
	size_t nnames;
};

static int
name_cmp(const void *key, const void *elem)
{
	long long id = *(const long long *)key;
	const struct enrolled_name *e = elem;

	return (id > e->enrollment_id) - (id < e->enrollment_id);
}

static const char *
name_of(const struct flash_priv *fp, long long enrollment_id)
{
	const struct enrolled_name *e = bsearch(&enrollment_id, fp->names,
	    fp->nnames, sizeof *fp->names, name_cmp);

	return e != NULL ? e->name : NULL;
}

int
ops_flash_plan(const struct ops_ctx *o, long long program_id,
    const struct program *p, struct ops_flash *f, struct error *err)
{
	struct flash_priv *fp;
	struct ops_cands *c;
	int i;

	memset(f, 0, sizeof *f);
	fp = xcalloc(1, sizeof *fp);
	f->priv = fp;
	c = &fp->c;
	/* every eligible enrollment, matched elsewhere or not */
	if (ops_cands_load(o, program_id, p, 0, c, err) != 0 ||
	    store_enrolled_names(o->db, program_id, &fp->names, &fp->nnames,
	    err) != 0)
		return -1;
	if (flash_plan(p, c->pool.nmentees, c->pool.nmentors, c->t.score,
	    &f->s, err) != 0)
		return -1;
	f->mentor_email = xcalloc((size_t)c->pool.nmentors + 1,
	    sizeof *f->mentor_email);
	f->mentee_email = xcalloc((size_t)c->pool.nmentees + 1,
	    sizeof *f->mentee_email);
	f->mentor_name = xcalloc((size_t)c->pool.nmentors + 1,
	    sizeof *f->mentor_name);
	f->mentee_name = xcalloc((size_t)c->pool.nmentees + 1,
	    sizeof *f->mentee_name);
	f->mentor_enrollment = xcalloc((size_t)c->pool.nmentors + 1,
	    sizeof *f->mentor_enrollment);
	f->mentee_enrollment = xcalloc((size_t)c->pool.nmentees + 1,
	    sizeof *f->mentee_enrollment);
	for (i = 0; i < c->pool.nmentors; i++) {
		f->mentor_email[i] = c->pool.mentors[i].email;
		f->mentor_enrollment[i] = c->pool.mentors[i].enrollment_id;
		f->mentor_name[i] = name_of(fp, f->mentor_enrollment[i]);
	}
	for (i = 0; i < c->pool.nmentees; i++) {
		f->mentee_email[i] = c->pool.mentees[i].email;
		f->mentee_enrollment[i] = c->pool.mentees[i].enrollment_id;
		f->mentee_name[i] = name_of(fp, f->mentee_enrollment[i]);
	}
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
	free(f->mentor_name);
	free(f->mentee_name);
	free(f->mentor_enrollment);
	free(f->mentee_enrollment);
	if (f->priv != NULL) {
		struct flash_priv *fp = f->priv;

		ops_cands_free(&fp->c);
		enrolled_names_free(fp->names, fp->nnames);
		free(fp);
	}
	memset(f, 0, sizeof *f);
}
