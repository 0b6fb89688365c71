/*
 * Imports of what people and the coordinator say about pairs.  Each file
 * is checked row by row against the programme's enrollments (people are
 * looked up once each) and written only when every row is good.
 */
#include "ops/preferences.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/program.h"
#include "store/preference_store.h"
#include "util/strbuf.h"
#include "util/xmalloc.h"

void
ops_pairs_import_free(struct ops_pairs_import *r)
{
	if (r == NULL)
		return;
	free(r->slug);
	r->slug = NULL;
}

/* ---- people by e-mail, looked up once each ---- */

struct who {
	char *key;                 /* the e-mail as looked up */
	struct pref_person *p;     /* its own allocation: stays put when the table grows */
};

struct people {
	struct ops_ctx o;
	long long program_id;
	struct who *v;
	size_t cap;                /* power of two */
	size_t n;
};

static uint64_t
hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *s; s++) {
		h ^= (unsigned char)tolower((unsigned char)*s);
		h *= 1099511628211ULL;
	}
	return h;
}

static void
people_init(struct people *pp, const struct ops_ctx *o, long long program_id)
{
	memset(pp, 0, sizeof *pp);
	pp->o = *o;
	pp->program_id = program_id;
	pp->cap = 256;
	pp->v = xcalloc(pp->cap, sizeof *pp->v);
}

static void
people_free(struct people *pp)
{
	size_t i;

	for (i = 0; i < pp->cap; i++)
		if (pp->v[i].key) {
			free(pp->v[i].key);
			pref_people_free(pp->v[i].p, 1);
			free(pp->v[i].p);
		}
	free(pp->v);
}

static void
people_grow(struct people *pp)
{
	struct who *old = pp->v;
	size_t oldcap = pp->cap, i, s;

	pp->cap *= 2;
	pp->v = xcalloc(pp->cap, sizeof *pp->v);
	for (i = 0; i < oldcap; i++) {
		if (old[i].key == NULL)
			continue;
		for (s = hash(old[i].key) & (pp->cap - 1); pp->v[s].key;
		    s = (s + 1) & (pp->cap - 1))
			;
		pp->v[s] = old[i];
	}
	free(old);
}

/* Who has this address (person_id 0: nobody); NULL on a database error. */
static const struct pref_person *
people_get(struct people *pp, const char *email, struct error *err)
{
	size_t s;
	char *key;

	struct pref_person *w;

	for (s = hash(email) & (pp->cap - 1); pp->v[s].key;
	    s = (s + 1) & (pp->cap - 1))
		if (strcasecmp(pp->v[s].key, email) == 0)
			return pp->v[s].p;
	w = xcalloc(1, sizeof *w);
	if (store_pref_people(pp->o.db, pp->program_id, &email, 1, w,
	    err) != 0) {
		free(w);
		return NULL;
	}
	key = xstrdup(email);
	pp->v[s].key = key;
	pp->v[s].p = w;
	if (++pp->n * 2 > pp->cap)
		people_grow(pp);
	return w;
}

/* ---- cells ---- */

struct rowctx {
	struct ops_rows *rows;
	const char *slug;          /* of the programme, for messages */
};

/* "FILE:LINE: " of the current row, for error_set's first two arguments. */
#define AT(rc) (rc)->rows->name, (rc)->rows->line((rc)->rows->arg)

/* A cell that must hold an address. */
static const char *
need(struct rowctx *rc, const char *col, struct error *err)
{
	const char *v = rc->rows->get(rc->rows->arg, col);

	if (v == NULL || *v == '\0') {
		error_set(err, EX_DATAERR, "%s:%ld: %s: empty (every row names "
		    "the pair)", AT(rc), col);
		return NULL;
	}
	return v;
}

/* The person of a cell in a role ('r' mentor, 'e' mentee, 0 any). */
static const struct pref_person *
person_of(struct rowctx *rc, struct people *pp, const char *col, int role,
    struct error *err)
{
	const struct pref_person *w;
	const char *v;

	if ((v = need(rc, col, err)) == NULL)
		return NULL;
	if ((w = people_get(pp, v, err)) == NULL)
		return NULL;
	if (w->person_id == 0) {
		error_set(err, EX_DATAERR, "%s:%ld: %s: unknown person '%s'",
		    AT(rc), col, v);
		return NULL;
	}
	if ((role == 'r' && !w->mentor) || (role == 'e' && !w->mentee)) {
		error_set(err, EX_DATAERR, "%s:%ld: %s: '%s' is not enrolled in "
		    "'%s' as %s", AT(rc), col, w->email, rc->slug ? rc->slug :
		    "?", role == 'r' ? "mentor" : "mentee");
		return NULL;
	}
	return w;
}

/* A whole number lo..hi into *v; empty: *v = 0 (leave). */
static int
whole(struct rowctx *rc, const char *col, long lo, long hi, int *v,
    struct error *err)
{
	const char *s = rc->rows->get(rc->rows->arg, col);
	char *end;
	long x;

	*v = 0;
	if (s == NULL || *s == '\0')
		return 0;
	errno = 0;
	x = strtol(s, &end, 10);
	if (*end != '\0' || errno != 0 || x < lo || x > hi)
		return error_set(err, EX_DATAERR, "%s:%ld: %s: '%s' is not a "
		    "whole number %ld..%ld", AT(rc), col, s, lo, hi);
	*v = (int)x;
	return 0;
}

static int
choice(struct rowctx *rc, const char *col, enum pref_choice *v,
    struct error *err)
{
	const char *s = rc->rows->get(rc->rows->arg, col);
	int c;

	*v = PREF_CHOICE_KEEP;
	if (s == NULL || *s == '\0')
		return 0;
	if ((c = pref_choice_parse(s)) < 0)
		return error_set(err, EX_DATAERR, "%s:%ld: %s: unknown choice "
		    "'%s' (expected prefer, avoid, veto or none)", AT(rc), col,
		    s);
	*v = (enum pref_choice)c;
	return 0;
}

/* yes/no; *set false for an empty cell or a missing column. */
static int
yesno(struct rowctx *rc, const char *col, bool *set, bool *v,
    struct error *err)
{
	static const char *const yes[] = { "yes", "y", "true", "1", "x" };
	static const char *const no[] = { "no", "n", "false", "0" };
	const char *s = rc->rows->get(rc->rows->arg, col);
	size_t i;

	*set = rc->rows->has(rc->rows->arg, col);
	*v = false;
	if (s == NULL || *s == '\0')
		return 0;
	for (i = 0; i < sizeof yes / sizeof yes[0]; i++)
		if (strcasecmp(s, yes[i]) == 0) {
			*v = true;
			return 0;
		}
	for (i = 0; i < sizeof no / sizeof no[0]; i++)
		if (strcasecmp(s, no[i]) == 0)
			return 0;
	return error_set(err, EX_DATAERR, "%s:%ld: %s: '%s' is not yes or no",
	    AT(rc), col, s);
}

/* Points -100..100 with at most two decimals, as centi-points. */
static int
points(struct rowctx *rc, const char *col, bool *set, int *centi,
    struct error *err)
{
	const char *s = rc->rows->get(rc->rows->arg, col);
	char *end;
	double x;

	*set = rc->rows->has(rc->rows->arg, col);
	*centi = 0;
	if (s == NULL || *s == '\0')
		return 0;
	errno = 0;
	x = strtod(s, &end);
	if (*end != '\0' || errno != 0 || !isfinite(x) || x < -100 ||
	    x > 100 || fabs(x * 100 - floor(x * 100 + 0.5)) > 1e-6 ||
	    strchr(s, 'x') || strchr(s, 'X') || strchr(s, 'e') ||
	    strchr(s, 'E'))
		return error_set(err, EX_DATAERR, "%s:%ld: %s: '%s' is not a "
		    "number of points -100..100 (two decimals at most)", AT(rc),
		    col, s);
	*centi = (int)floor(x * 100 + 0.5);
	return 0;
}

/* The programme of the import: given, or the file's `program` column. */
static int
which_program(const struct ops_ctx *o, struct rowctx *rc, long long *id,
    struct ops_pairs_import *r, struct error *err)
{
	const char *s = rc->rows->get(rc->rows->arg, "program");
	struct program *p = NULL;
	long long pid;

	if (*id > 0) {
		if (s != NULL && *s != '\0' && r->slug != NULL &&
		    strcasecmp(s, r->slug) != 0)
			return error_set(err, EX_DATAERR, "%s:%ld: program: '%s' "
			    "is not the programme this import is for", AT(rc),
			    s);
		return 0;
	}
	if (s == NULL || *s == '\0')
		return error_set(err, EX_DATAERR, "%s:%ld: program: empty (name "
		    "the programme as an argument or in a 'program' column)",
		    AT(rc));
	if (ops_program_load(o, s, &pid, &p, err) != 0) {
		error_prefix(err, "%s:%ld: program: ", rc->rows->name,
		    rc->rows->line(rc->rows->arg));
		return -1;
	}
	r->slug = xstrdup(p->slug);
	program_free(p);
	*id = pid;
	r->program_id = pid;
	return 0;
}

/*
 * The programme named by slug into *id and r; without a slug the file
 * must name it in a `program` column (when need).
 */
static int
given_program(const struct ops_ctx *o, const char *slug,
    struct ops_rows *rows, struct ops_pairs_import *r, long long *id,
    bool need, struct error *err)
{
	struct program *p = NULL;

	memset(r, 0, sizeof *r);
	*id = 0;
	if (slug != NULL) {
		if (ops_program_load(o, slug, id, &p, err) != 0)
			return -1;
		r->slug = xstrdup(p->slug);
		r->program_id = *id;
		program_free(p);
		return 0;
	}
	if (need && !rows->has(rows->arg, "program"))
		return error_set(err, EX_USAGE, "%s: which programme? name it "
		    "(mentorctl ... import PROGRAM %s) or give the file a "
		    "'program' column", rows->name, rows->name);
	return 0;
}

/* ---- preferences ---- */

static int
pref_columns(struct ops_rows *rows, struct error *err)
{
	static const char *const any[] = { "rank", "rating", "mentor_choice",
	    "mentee_choice" };
	size_t i;

	if (!rows->has(rows->arg, "mentee_email") ||
	    !rows->has(rows->arg, "mentor_email"))
		return error_set(err, EX_DATAERR, "%s: missing column "
		    "mentee_email or mentor_email (expected mentee_email,"
		    "mentor_email and rank, rating, mentor_choice or "
		    "mentee_choice)", rows->name);
	for (i = 0; i < sizeof any / sizeof any[0]; i++)
		if (rows->has(rows->arg, any[i]))
			return 0;
	return error_set(err, EX_DATAERR, "%s: no preference column (expected "
	    "rank, rating, mentor_choice or mentee_choice)", rows->name);
}

/* Two rows for one pair, or one mentee's rank twice, are a mistake. */
struct dup_key {
	long long mentee;
	long long other;           /* the mentor, or the rank */
	size_t row;
};

static int
cmp_dup(const void *a, const void *b)
{
	const struct dup_key *x = a, *y = b;

	if (x->mentee != y->mentee)
		return x->mentee < y->mentee ? -1 : 1;
	if (x->other != y->other)
		return x->other < y->other ? -1 : 1;
	return (x->row > y->row) - (x->row < y->row);
}

static int
pref_duplicates(struct pref_in *v, long *lines, size_t n, const char *name,
    struct error *err)
{
	struct dup_key *k = xreallocarray(NULL, n ? n : 1, sizeof *k);
	size_t i, m;
	int rc = 0, pass;

	for (pass = 0; pass < 2 && rc == 0; pass++) {
		for (i = m = 0; i < n; i++) {
			if (pass == 1 && v[i].rank <= 0)
				continue;
			k[m].mentee = v[i].mentee_id;
			k[m].other = pass == 0 ? v[i].mentor_id : v[i].rank;
			k[m++].row = i;
		}
		if (m > 1)
			xqsort(k, m, sizeof *k, cmp_dup);
		for (i = 1; i < m && rc == 0; i++) {
			if (k[i].mentee != k[i - 1].mentee ||
			    k[i].other != k[i - 1].other)
				continue;
			if (pass == 0)
				rc = error_set(err, EX_DATAERR, "%s:%ld: the pair of "
				    "line %ld again", name, lines[k[i].row],
				    lines[k[i - 1].row]);
			else
				rc = error_set(err, EX_DATAERR, "%s:%ld: rank: %d "
				    "given twice to one mentee (line %ld)", name,
				    lines[k[i].row], v[k[i].row].rank,
				    lines[k[i - 1].row]);
		}
	}
	free(k);
	return rc;
}

int
ops_preferences_import(const struct ops_ctx *o, const char *slug,
    struct ops_rows *rows, struct ops_pairs_import *r, struct error *err)
{
	long long program_id;
	struct people pp;
	struct rowctx rc = { rows, NULL };
	const struct pref_person *e, *m;
	struct pref_in *v = NULL, in;
	long *lines = NULL;
	size_t n = 0, cap = 0, lcap = 0, i;
	int got, rv = -1;
	bool ranked;

	if (given_program(o, slug, rows, r, &program_id, true, err) != 0 ||
	    pref_columns(rows, err) != 0)
		return -1;
	people_init(&pp, o, program_id);
	while ((got = rows->next(rows->arg, err)) == 1) {
		if (which_program(o, &rc, &program_id, r, err) != 0)
			goto out;
		pp.program_id = program_id;
		rc.slug = r->slug;
		memset(&in, 0, sizeof in);
		if ((e = person_of(&rc, &pp, "mentee_email", 'e', err)) == NULL ||
		    (m = person_of(&rc, &pp, "mentor_email", 'r', err)) == NULL)
			goto out;
		if (e->person_id == m->person_id) {
			error_set(err, EX_DATAERR, "%s:%ld: mentor_email: '%s' is "
			    "the mentee too", AT(&rc), m->email);
			goto out;
		}
		in.mentee_id = e->person_id;
		in.mentor_id = m->person_id;
		if (whole(&rc, "rank", 1, 1000, &in.rank, err) != 0 ||
		    whole(&rc, "rating", 1, 5, &in.rating, err) != 0 ||
		    choice(&rc, "mentor_choice", &in.mentor_choice, err) != 0 ||
		    choice(&rc, "mentee_choice", &in.mentee_choice, err) != 0)
			goto out;
		if (in.mentor_choice == PREF_CHOICE_PREFER &&
		    in.mentee_choice >= PREF_CHOICE_AVOID) {
			error_set(err, EX_DATAERR, "%s:%ld: mentee_choice: avoid "
			    "while the mentor prefers the pair: ask them",
			    AT(&rc));
			goto out;
		}
		XGROW(v, n + 1, cap);
		if (n + 1 > lcap) {
			lcap = cap;
			lines = xreallocarray(lines, lcap, sizeof *lines);
		}
		lines[n] = rows->line(rows->arg);
		v[n++] = in;
	}
	if (got < 0)
		goto out;
	r->rows = n;
	if (pref_duplicates(v, lines, n, rows->name, err) != 0)
		goto out;
	if (n > 0 && store_pref_put(o->db, program_id, v, n, rows->name,
	    err) != 0)
		goto out;
	r->pairs = r->changed = n;
	for (i = 0; i < n; i++) {
		ranked = v[i].rank > 0;
		if (ranked && (i == 0 || v[i - 1].mentee_id != v[i].mentee_id))
			r->mentees++;
	}
	rv = 0;
out:
	people_free(&pp);
	free(v);
	free(lines);
	return rv;
}

/* A ranking entry: a mentor's e-mail, or the one mentor with this name. */
static const struct pref_mentor *
ranked_mentor(const struct pref_mentor *v, size_t n, const char *s,
    const char *slug, struct error *err)
{
	const struct pref_mentor *hit = NULL;
	size_t i, nhit = 0;

	for (i = 0; i < n; i++)
		if (strcasecmp(v[i].email, s) == 0)
			return &v[i];
	for (i = 0; i < n; i++)
		if (v[i].name[0] != '\0' && strcasecmp(v[i].name, s) == 0) {
			hit = &v[i];
			nhit++;
		}
	if (nhit == 1)
		return hit;
	if (nhit > 1)
		error_set(err, EX_DATAERR, "'%s' names %zu mentors of '%s': "
		    "give their e-mail address", s, nhit, slug);
	else
		error_set(err, EX_DATAERR, "'%s' is not a mentor of '%s'", s,
		    slug);
	return NULL;
}

int
ops_preferences_set(const struct ops_ctx *o, long long program_id,
    const struct program *p, const char *mentee, const char *const *mentors,
    size_t n, const char *source, struct error *err)
{
	struct pref_person e;
	struct pref_mentor *mv = NULL;
	const struct pref_mentor *m;
	struct pref_in *v;
	const char *slug = p->slug;
	size_t nm = 0, i, j;
	int rc = -1;

	memset(&e, 0, sizeof e);
	v = xcalloc(n ? n : 1, sizeof *v);
	if (store_pref_people(o->db, program_id, &mentee, 1, &e, err) != 0)
		goto out;
	if (store_pref_mentors(o->db, program_id, &mv, &nm, err) != 0)
		goto out;
	if (e.person_id == 0) {
		error_set(err, EX_DATAERR, "unknown person '%s'", mentee);
		goto out;
	}
	if (!e.mentee) {
		error_set(err, EX_DATAERR, "'%s' is not a mentee of '%s'",
		    e.email, slug);
		goto out;
	}
	if (n == 0) {
		error_set(err, EX_DATAERR, "an empty ranking: name the mentors "
		    "in order, the first choice first");
		goto out;
	}
	for (i = 0; i < n; i++) {
		if ((m = ranked_mentor(mv, nm, mentors[i], slug, err)) == NULL)
			goto out;
		if (m->person_id == e.person_id) {
			error_set(err, EX_DATAERR, "'%s' is the mentee", mentors[i]);
			goto out;
		}
		for (j = 0; j < i; j++)
			if (v[j].mentor_id == m->person_id) {
				error_set(err, EX_DATAERR, "'%s' is ranked twice "
				    "(%zu and %zu)", m->email, j + 1, i + 1);
				goto out;
			}
		v[i].mentee_id = e.person_id;
		v[i].mentor_id = m->person_id;
		v[i].rank = (int)i + 1;
		v[i].mentor_choice = PREF_CHOICE_KEEP;
		v[i].mentee_choice = PREF_CHOICE_KEEP;
	}
	rc = store_pref_put(o->db, program_id, v, n, source ? source : "reply",
	    err);
out:
	pref_people_free(&e, 1);
	pref_mentors_free(mv, nm);
	free(v);
	return rc;
}

/* ---- conflicts ---- */

int
ops_conflicts_import(const struct ops_ctx *o, const char *slug,
    struct ops_rows *rows, struct ops_pairs_import *r, struct error *err)
{
	long long program_id;
	struct people pp;
	struct rowctx rc = { rows, NULL };
	const struct pref_person *a, *b;
	struct conflict_in *v = NULL;
	char **reasons = NULL;
	const char *reason;
	size_t n = 0, cap = 0, rcap = 0, i;
	int got, rv = -1;

	if (given_program(o, slug, rows, r, &program_id, false, err) != 0)
		return -1;
	if (!rows->has(rows->arg, "email") ||
	    !rows->has(rows->arg, "other_email"))
		return error_set(err, EX_DATAERR, "%s: missing column email or "
		    "other_email (expected email,other_email[,reason])",
		    rows->name);
	people_init(&pp, o, program_id);
	while ((got = rows->next(rows->arg, err)) == 1) {
		if ((a = person_of(&rc, &pp, "email", 0, err)) == NULL ||
		    (b = person_of(&rc, &pp, "other_email", 0, err)) == NULL)
			goto out;
		if (a->person_id == b->person_id) {
			error_set(err, EX_DATAERR, "%s:%ld: other_email: '%s' is "
			    "the same person", AT(&rc), b->email);
			goto out;
		}
		XGROW(v, n + 1, cap);
		if (n + 1 > rcap) {
			rcap = cap;
			reasons = xreallocarray(reasons, rcap, sizeof *reasons);
		}
		reason = rows->get(rows->arg, "reason");
		reasons[n] = reason && *reason ? xstrdup(reason) : NULL;
		v[n].a = a->person_id;
		v[n].b = b->person_id;
		v[n].reason = reasons[n];
		n++;
	}
	if (got < 0)
		goto out;
	r->rows = r->pairs = n;
	if (n > 0 && store_conflict_put(o->db, program_id, v, n, &r->changed,
	    err) != 0)
		goto out;
	rv = 0;
out:
	people_free(&pp);
	for (i = 0; i < n; i++)
		free(reasons[i]);
	free(reasons);
	free(v);
	return rv;
}

/* ---- scores import ---- */

static int
cmp_opair(const void *a, const void *b)
{
	const struct override_pair *x = a, *y = b;

	if (x->mentee_id != y->mentee_id)
		return x->mentee_id < y->mentee_id ? -1 : 1;
	return (x->mentor_id > y->mentor_id) - (x->mentor_id < y->mentor_id);
}

/* Whether a row changes anything: a cell set, or a stored override to clear. */
static bool
row_matters(const struct override_in *in, const struct override_pair *have,
    size_t nhave)
{
	struct override_pair k = { in->mentee_id, in->mentor_id };

	if (in->bonus != 0 || in->veto || in->fixed)
		return true;
	return nhave > 0 && xbsearch(&k, have, nhave, sizeof *have,
	    cmp_opair) != NULL;
}

int
ops_scores_import(const struct ops_ctx *o, const char *slug,
    struct ops_rows *rows, struct ops_pairs_import *r, struct error *err)
{
	long long program_id;
	struct people pp;
	struct rowctx rc = { rows, NULL };
	const struct pref_person *e, *m;
	struct override_in *v = NULL, in;
	struct override_pair *have = NULL;
	size_t n = 0, cap = 0, nhave = 0;
	long long loaded = 0;
	int got, rv = -1;

	if (given_program(o, slug, rows, r, &program_id, true, err) != 0)
		return -1;
	if (!rows->has(rows->arg, "mentee_email") ||
	    !rows->has(rows->arg, "mentor_email"))
		return error_set(err, EX_DATAERR, "%s: missing column "
		    "mentee_email or mentor_email (a file from 'mentorctl "
		    "scores --format csv')", rows->name);
	if (!rows->has(rows->arg, "bonus") && !rows->has(rows->arg, "veto") &&
	    !rows->has(rows->arg, "fixed"))
		return error_set(err, EX_DATAERR, "%s: no column bonus, veto or "
		    "fixed: nothing to import", rows->name);
	people_init(&pp, o, program_id);
	while ((got = rows->next(rows->arg, err)) == 1) {
		if (which_program(o, &rc, &program_id, r, err) != 0)
			goto out;
		pp.program_id = program_id;
		rc.slug = r->slug;
		memset(&in, 0, sizeof in);
		if ((e = person_of(&rc, &pp, "mentee_email", 'e', err)) == NULL ||
		    (m = person_of(&rc, &pp, "mentor_email", 'r', err)) == NULL)
			goto out;
		in.mentee_id = e->person_id;
		in.mentor_id = m->person_id;
		if (points(&rc, "bonus", &in.set_bonus, &in.bonus, err) != 0 ||
		    yesno(&rc, "veto", &in.set_veto, &in.veto, err) != 0 ||
		    yesno(&rc, "fixed", &in.set_fixed, &in.fixed, err) != 0)
			goto out;
		if (in.veto && in.fixed) {
			error_set(err, EX_DATAERR, "%s:%ld: fixed: a pair cannot "
			    "be fixed and vetoed", AT(&rc));
			goto out;
		}
		r->rows++;
		/* a whole scores file is millions of rows: keep what matters */
		if (loaded != program_id) {
			free(have);
			if (store_override_pairs(o->db, program_id, &have, &nhave,
			    err) != 0)
				goto out;
			loaded = program_id;
		}
		if (!row_matters(&in, have, nhave))
			continue;
		XGROW(v, n + 1, cap);
		v[n++] = in;
	}
	if (got < 0)
		goto out;
	if (n > 0 && store_override_put(o->db, program_id, v, n, &r->changed,
	    err) != 0)
		goto out;
	r->pairs = n;
	rv = 0;
out:
	people_free(&pp);
	free(have);
	free(v);
	return rv;
}
