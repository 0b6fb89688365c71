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

/* ops_program_cache: the parsed programmes, by id and the YAML they came from. */
#define PROGRAM_CACHE 16

static struct {
	bool on;
	size_t n;
	struct {
		long long id;
		char *yaml;
		struct program *p;
	} v[PROGRAM_CACHE];
} cache;

static void
cache_free(void)
{
	size_t i;

	for (i = 0; i < cache.n; i++) {
		cache.v[i].p->shared = 0;
		program_free(cache.v[i].p);
		free(cache.v[i].yaml);
	}
	cache.n = 0;
}

void
ops_program_cache(void)
{
	if (!cache.on)
		atexit(cache_free);
	cache.on = true;
}

/* The cached copy of programme id from exactly this YAML, shared once more. */
static struct program *
cache_get(long long id, const char *yaml)
{
	size_t i;

	for (i = 0; i < cache.n; i++)
		if (cache.v[i].id == id && strcmp(cache.v[i].yaml, yaml) == 0) {
			cache.v[i].p->shared++;
			return cache.v[i].p;
		}
	return NULL;
}

static void
cache_put(long long id, const char *yaml, struct program *p)
{
	if (cache.n == PROGRAM_CACHE)
		return;
	cache.v[cache.n].id = id;
	cache.v[cache.n].yaml = xstrdup(yaml);
	cache.v[cache.n].p = p;
	p->shared++;            /* the cache's own hold */
	cache.n++;
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
	if (cache.on && (*p = cache_get(*id, yaml)) != NULL) {
		free(yaml);
		return 0;
	}
	name = xstrfmt("programme %s (stored)", slug);
	*p = cfg_program_parse(name, yaml, strlen(yaml), &d);
	free(name);
	if (*p == NULL) {
		free(yaml);
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
	if (cache.on)
		cache_put(*id, yaml, *p);
	free(yaml);
	return 0;
}

int
ops_program_load_as_of(const struct ops_ctx *o, long long program_id,
    int day, struct program **p, int *version, struct error *err)
{
	struct diags d = DIAGS_INIT;
	char *yaml = NULL, *name, *first;

	*p = NULL;
	if (store_program_yaml_as_of(o->db, program_id, day, &yaml, version,
	    err) != 0)
		return -1;
	name = xstrfmt("programme %lld (version %d)", program_id, *version);
	*p = cfg_program_parse(name, yaml, strlen(yaml), &d);
	free(name);
	free(yaml);
	if (*p == NULL) {
		first = d.n > 0 ? diag_format(&d.v[0]) : xstrdup("invalid");
		error_set(err, EX_DATAERR, "version %d of programme %lld no "
		    "longer validates (%s)", *version, program_id, first);
		free(first);
	}
	diags_free(&d);
	return *p == NULL ? -1 : 0;
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
	rc = store_program_add_on(o->db, res->program, copy, name, o->today,
	    &res->id, err);
	free(copy);
	if (rc != 0)
		return -1;
	res->version = 1;
	res->changed = true;
	return 0;
}

/*
 * A format is how the pairings were made (one-to-one, circles, rounds):
 * changing it under open pairings would leave them meaning something
 * else.  Refused while any pairing is proposed or active.
 */
static int
check_format_change(const struct ops_ctx *o, const struct program *p,
    struct error *err)
{
	struct program *cur;
	long long id, open;
	enum program_format was;
	int rc;

	if (store_program_id(o->db, p->slug, &id, err) != 0) {
		if (err->code != EX_DATAERR)
			return -1;
		return error_set(err, EX_DATAERR, "unknown programme '%s' (use "
		    "'mentorctl program add')", p->slug);
	}
	if (ops_program_load(o, p->slug, &id, &cur, err) != 0) {
		/* A stored version that no longer validates may be replaced. */
		if (err->code == EX_DATAERR) {
			error_clear(err);
			return 0;
		}
		return -1;
	}
	was = cur->format;
	program_free(cur);
	if (was == p->format)
		return 0;
	if ((rc = store_program_open_pairings(o->db, id, &open, err)) != 0)
		return -1;
	if (open == 0)
		return 0;
	return error_set(err, EX_DATAERR, "programme '%s' has %lld open "
	    "pairing%s (proposed or active): its format cannot change from %s "
	    "to %s; end them first, or add the new format as a programme of its "
	    "own", p->slug, open, open == 1 ? "" : "s",
	    program_format_name(was), program_format_name(p->format));
}

int
ops_program_update(const struct ops_ctx *o, const char *name,
    const char *text, size_t len, struct ops_program *res, struct error *err)
{
	char *copy;
	int rc, changed;

	if (ops_program_check(name, text, len, res, err) != 0)
		return -1;
	if (check_format_change(o, res->program, err) != 0)
		return -1;
	copy = xstrndup(text, len);
	rc = store_program_update(o->db, res->program, copy, name, o->today,
	    &res->id, &res->version, &changed, err);
	free(copy);
	if (rc != 0)
		return -1;
	res->changed = changed != 0;
	if (store_enrollment_reevaluate(o->db, res->id, res->program, o->today,
	    NULL, 0, &res->elig, err) != 0)
		return -1;
	/* A lower default capacity leaves pairings above it: they stay. */
	return store_enrollment_overloaded(o->db, res->id,
	    res->program->mentor.capacity, NULL, 0, &res->overloads,
	    &res->noverloads, err);
}

void
ops_program_free(struct ops_program *res)
{
	if (res == NULL)
		return;
	program_free(res->program);
	res->program = NULL;
	enrollment_overloads_free(res->overloads, res->noverloads);
	res->overloads = NULL;
	res->noverloads = 0;
	diags_free(&res->problems);
}
