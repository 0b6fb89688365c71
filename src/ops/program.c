#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/program_yaml.h"
#include "core/program.h"
#include "ops/program.h"
#include "store/enrollment_store.h"
#include "store/program_store.h"
#include "util/suggest.h"
#include "util/xmalloc.h"

/* "unknown programme 'x'", with the nearest stored slug when one is close. */
static int
unknown_program(const struct ops_ctx *o, const char *slug, struct error *err)
{
	struct error lerr = ERROR_INIT;
	struct program_row *rows = NULL;
	const char **slugs;
	const char *near = NULL;
	size_t n = 0, i;

	if (store_program_list(o->db, &rows, &n, &lerr) == 0 && n > 0) {
		slugs = xcalloc(n, sizeof *slugs);
		for (i = 0; i < n; i++)
			slugs[i] = rows[i].slug;
		near = suggest_nearest(slug, slugs, n);
		if (near)
			error_set(err, EX_DATAERR, "unknown programme '%s'; did "
			    "you mean '%s'?", slug, near);
		free(slugs);
	}
	error_clear(&lerr);
	if (near == NULL)
		error_set(err, EX_DATAERR, "unknown programme '%s' (see "
		    "'mentorctl program list')", slug);
	program_rows_free(rows, n);
	return -1;
}

int
ops_program_id(const struct ops_ctx *o, const char *slug, long long *id,
    struct error *err)
{
	if (store_program_id(o->db, slug, id, err) == 0)
		return 0;
	if (err->code != EX_DATAERR)
		return -1;
	return unknown_program(o, slug, err);
}

int
ops_program_load(const struct ops_ctx *o, const char *slug, long long *id,
    struct program **p, struct error *err)
{
	struct diags d = DIAGS_INIT;
	char *yaml = NULL, *first;
	char *name;

	*p = NULL;
	if (store_program_id(o->db, slug, id, err) != 0) {
		if (err->code != EX_DATAERR)
			return -1;
		return unknown_program(o, slug, err);
	}
	if (store_program_yaml(o->db, *id, 0, &yaml, err) != 0)
		return -1;
	name = xstrfmt("programme %s (stored)", slug);
	*p = cfg_program_parse(name, yaml, strlen(yaml), &d);
	free(name);
	free(yaml);
	if (*p == NULL) {
		/* Stored YAML was valid when stored; a newer loader may be stricter. */
		first = d.n > 0 ? diag_format(&d.v[0]) : xstrdup("invalid");
		error_set(err, EX_DATAERR, "stored programme '%s' no longer "
		    "validates (%s%s); fix it with 'mentorctl program update'",
		    slug, first, d.n > 1 ? ", ..." : "");
		free(first);
		diags_free(&d);
		return -1;
	}
	diags_free(&d);
	return 0;
}

/* ---- check, add, update ---- */

/* Move the last diag into err, the others stay for the caller to print. */
static int
diags_to_error(struct diags *d, struct error *err)
{
	struct diag *last;
	char *line;

	if (d->n == 0)
		return error_set(err, EX_DATAERR, "invalid programme");
	last = &d->v[--d->n];
	line = diag_format(last);
	error_set(err, EX_DATAERR, "%s", line);
	free(line);
	free(last->file);
	free(last->msg);
	return -1;
}

int
ops_program_check(const char *name, const char *text, size_t len,
    struct ops_program *res, struct error *err)
{
	memset(res, 0, sizeof *res);
	if (memchr(text, '\0', len) != NULL)
		return error_set(err, EX_DATAERR, "%s: not a text file (it "
		    "holds a NUL byte)", name);
	if ((res->program = cfg_program_parse(name, text, len,
	    &res->problems)) == NULL)
		return diags_to_error(&res->problems, err);
	diags_free(&res->problems);
	return 0;
}

int
ops_program_add(const struct ops_ctx *o, const char *name, const char *text,
    size_t len, struct ops_program *res, struct error *err)
{
	char *copy;
	int rc;

	if (ops_program_check(name, text, len, res, err) != 0)
		return -1;
	copy = xstrndup(text, len);
	rc = store_program_add(o->db, res->program, copy, name, &res->id, err);
	free(copy);
	if (rc != 0)
		return -1;
	res->version = 1;
	res->changed = true;
	return 0;
}

int
ops_program_update(const struct ops_ctx *o, const char *name,
    const char *text, size_t len, struct ops_program *res, struct error *err)
{
	char *copy;
	int rc, changed;

	if (ops_program_check(name, text, len, res, err) != 0)
		return -1;
	copy = xstrndup(text, len);
	rc = store_program_update(o->db, res->program, copy, name, &res->id,
	    &res->version, &changed, err);
	free(copy);
	if (rc != 0)
		return -1;
	res->changed = changed != 0;
	return store_enrollment_reevaluate(o->db, res->id, res->program,
	    o->today, NULL, 0, &res->elig, err);
}

void
ops_program_free(struct ops_program *res)
{
	if (res == NULL)
		return;
	program_free(res->program);
	res->program = NULL;
	diags_free(&res->problems);
}
