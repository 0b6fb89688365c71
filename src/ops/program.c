#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/program_yaml.h"
#include "core/program.h"
#include "ops/ops.h"
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
ops_program_load(const struct ops_ctx *o, const char *slug, long long *id,
    struct program **p, struct error *err)
{
	struct diags d = DIAGS_INIT;
	char *yaml = NULL, *first;
	char name[96];

	*p = NULL;
	if (store_program_id(o->db, slug, id, err) != 0) {
		if (err->code != EX_DATAERR)
			return -1;
		return unknown_program(o, slug, err);
	}
	if (store_program_yaml(o->db, *id, 0, &yaml, err) != 0)
		return -1;
	snprintf(name, sizeof name, "programme %s (stored)", slug);
	*p = cfg_program_parse(name, yaml, strlen(yaml), &d);
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
