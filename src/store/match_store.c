/*
 * Matching's view of a programme, loaded with a handful of set queries:
 * enrollments with their people (one query, with each enrollment's open
 * pairings counted by index lookups), the criteria's attributes (one),
 * the manager chains (one recursive query), the excluded pairs (one) and,
 * for groups, the departments already in each group (one).
 */
#include "store/match_store.h"

#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/date.h"
#include "core/match.h"
#include "db_int.h"
#include "util/strbuf.h"
#include "util/xmalloc.h"

/* Every string of the pool, freed together. */
struct match_pool_mem {
	char **strs;
	size_t nstrs;
	size_t cap;
	struct score_attr *attrs;
	long long *manager_id;     /* per person while loading */
};

static const char *
pool_strdup(struct match_pool *pool, const char *s)
{
	struct match_pool_mem *m = pool->mem;

	if (s == NULL)
		return NULL;
	XGROW(m->strs, m->nstrs + 1, m->cap);
	return m->strs[m->nstrs++] = xstrdup(s);
}

/* A column's text owned by the pool; NULL for SQL NULL or "". */
static const char *
col_str(struct match_pool *pool, sqlite3_stmt *st, int col)
{
	const unsigned char *s = sqlite3_column_text(st, col);

	if (s == NULL || *s == '\0')
		return NULL;
	return pool_strdup(pool, (const char *)s);
}

int
match_cand_free_places(const struct match_cand *c)
{
	return c->capacity > c->used ? c->capacity - c->used : 0;
}

/* ---- person id -> index ---- */

struct idmap {
	long long *key;
	int *val;
	size_t cap;        /* power of two */
	size_t n;
};

static size_t
idmap_slot(const struct idmap *m, long long key)
{
	uint64_t h = (uint64_t)key * 0x9e3779b97f4a7c15ULL;

	return (size_t)(h >> 17) & (m->cap - 1);
}

static void idmap_put(struct idmap *m, long long key, int val);

static void
idmap_init(struct idmap *m, size_t want)
{
	m->cap = 64;
	while (m->cap < want * 2)
		m->cap *= 2;
	m->n = 0;
	m->key = xcalloc(m->cap, sizeof *m->key);
	m->val = xcalloc(m->cap, sizeof *m->val);
}

static void
idmap_free(struct idmap *m)
{
	free(m->key);
	free(m->val);
	memset(m, 0, sizeof *m);
}

/* Keys are row ids (> 0): 0 marks a free slot. */
static int
idmap_get(const struct idmap *m, long long key)
{
	size_t s;

	if (m->cap == 0 || key <= 0)
		return -1;
	for (s = idmap_slot(m, key); m->key[s] != 0; s = (s + 1) & (m->cap - 1))
		if (m->key[s] == key)
			return m->val[s];
	return -1;
}

static void
idmap_put(struct idmap *m, long long key, int val)
{
	struct idmap big;
	size_t s, i;

	if ((m->n + 1) * 2 > m->cap) {
		idmap_init(&big, m->cap);
		for (i = 0; i < m->cap; i++)
			if (m->key[i] != 0)
				idmap_put(&big, m->key[i], m->val[i]);
		idmap_free(m);
		*m = big;
	}
	for (s = idmap_slot(m, key); m->key[s] != 0; s = (s + 1) & (m->cap - 1))
		if (m->key[s] == key) {
			m->val[s] = val;
			return;
		}
	m->key[s] = key;
	m->val[s] = val;
	m->n++;
}

/* ---- loading ---- */

struct loader {
	struct db *db;
	const struct match_load *l;
	struct match_pool *pool;
	struct idmap persons;      /* person id -> index in pool->people */
	size_t pcap;
	size_t mcap, ecap;
};

/* The person of the row's columns at `at` (id, email, department, title,
 * level, hired_on, location, timezone, manager id); its index. */
static int
add_person(struct loader *ld, sqlite3_stmt *st, int at)
{
	struct match_pool *pool = ld->pool;
	struct score_person *p;
	long long id = sqlite3_column_int64(st, at);
	int k;

	if ((k = idmap_get(&ld->persons, id)) >= 0)
		return k;
	k = pool->npeople++;
	if ((size_t)pool->npeople > ld->pcap) {
		XGROW(pool->people, pool->npeople, ld->pcap);
		pool->emails = xreallocarray(pool->emails, ld->pcap,
		    sizeof *pool->emails);
		pool->mem->manager_id = xreallocarray(pool->mem->manager_id,
		    ld->pcap, sizeof *pool->mem->manager_id);
	}
	p = &pool->people[k];
	memset(p, 0, sizeof *p);
	pool->emails[k] = col_str(pool, st, at + 1);
	p->department = col_str(pool, st, at + 2);
	p->title = col_str(pool, st, at + 3);
	p->has_level = sqlite3_column_type(st, at + 4) != SQLITE_NULL;
	p->level = sqlite3_column_int(st, at + 4);
	p->hired_on = db_col_date(st, at + 5);
	p->location = col_str(pool, st, at + 6);
	p->timezone = col_str(pool, st, at + 7);
	p->manager = -1;
	pool->mem->manager_id[k] = sqlite3_column_int64(st, at + 8);
	idmap_put(&ld->persons, id, k);
	return k;
}

#define PERSON_COLS \
	"p.id, p.email, p.department, p.title, p.level, p.hired_on," \
	" p.location, p.timezone," \
	" (SELECT m.id FROM person m WHERE m.email = p.manager_email)"

/* An open pairing on ?2 = today, of pairing `x`. */
#define OPEN_SQL \
	"(x.status = 'active' OR (x.status = 'proposed' AND" \
	" (x.expires_on IS NULL OR x.expires_on >= ?2)))"

static int
load_enrollments(struct loader *ld, struct error *err)
{
	static const char sql[] =
	    "SELECT e.id, e.role, e.status, e.reason, e.capacity,"
	    " CASE e.role WHEN 'mentor' THEN"
	    "  (SELECT count(*) FROM pairing x WHERE x.mentor_enrollment_id ="
	    "   e.id AND " OPEN_SQL ")"
	    " ELSE (SELECT count(*) FROM pairing x WHERE"
	    "   x.mentee_enrollment_id = e.id AND " OPEN_SQL ") END,"
	    " CASE e.role WHEN 'mentor' THEN 0"
	    " ELSE (SELECT min(x.id) FROM pairing x WHERE"
	    "   x.mentee_enrollment_id = e.id AND " OPEN_SQL ") END, "
	    PERSON_COLS
	    " FROM enrollment e JOIN person p ON p.id = e.person_id"
	    " WHERE e.program_id = ?1"
	    " AND (e.status IN ('eligible', 'active')"
	    "  OR (?3 AND e.status = 'pending'))"
	    " AND (e.role <> 'mentor' OR ?4 IS NULL OR p.email = ?4)"
	    " AND (e.role <> 'mentee' OR ?5 IS NULL OR p.email = ?5)"
	    " ORDER BY p.email, e.role";
	const struct match_load *l = ld->l;
	struct match_pool *pool = ld->pool;
	struct match_cand c, *v;
	sqlite3_stmt *st;
	bool mentor;
	int rc;

	if ((st = db_prepare(ld->db, sql, err)) == NULL)
		return -1;
	db_bind_int(st, 1, l->program_id);
	db_bind_date(st, 2, l->today);
	db_bind_int(st, 3, (l->flags & MATCH_LOAD_PENDING) != 0);
	db_bind_text(st, 4, l->mentor_email);
	db_bind_text(st, 5, l->mentee_email);
	while ((rc = db_step_row(ld->db, st, err)) == 1) {
		memset(&c, 0, sizeof c);
		mentor = strcmp(db_col_text(st, 1), "mentor") == 0;
		c.enrollment_id = sqlite3_column_int64(st, 0);
		if (mentor)
			c.capacity = sqlite3_column_type(st, 4) == SQLITE_NULL ?
			    l->program->mentor.capacity : sqlite3_column_int(st, 4);
		else
			c.capacity = 1;
		c.used = sqlite3_column_int(st, 5);
		c.open_pairing = sqlite3_column_int64(st, 6);
		if (mentor && (l->flags & MATCH_LOAD_FREE) &&
		    match_cand_free_places(&c) == 0)
			continue;
		if (!mentor && (l->flags & MATCH_LOAD_UNMATCHED) && c.used > 0)
			continue;
		c.status = (enum enrollment_status)(enrollment_status_parse(
		    db_col_text(st, 2)) < 0 ? ENROLLMENT_ELIGIBLE :
		    enrollment_status_parse(db_col_text(st, 2)));
		c.reason = col_str(pool, st, 3);
		c.person_id = sqlite3_column_int64(st, 7);
		c.person = add_person(ld, st, 7);
		c.email = pool->emails[c.person];
		if (mentor) {
			XGROW(pool->mentors, pool->nmentors + 1, ld->mcap);
			v = &pool->mentors[pool->nmentors++];
		} else {
			XGROW(pool->mentees, pool->nmentees + 1, ld->ecap);
			v = &pool->mentees[pool->nmentees++];
		}
		*v = c;
	}
	sqlite3_finalize(st);
	return rc < 0 ? -1 : 0;
}

/*
 * Everyone above the candidates in the manager chains.  UNION stops at
 * people already seen, so a cycle in bad data ends the walk.
 */
static int
load_chains(struct loader *ld, struct error *err)
{
	static const char sql[] =
	    "WITH RECURSIVE chain(email) AS ("
	    " SELECT p.manager_email FROM enrollment e"
	    "  JOIN person p ON p.id = e.person_id"
	    "  WHERE e.program_id = ?1 AND e.status <> 'withdrawn'"
	    "  AND p.manager_email IS NOT NULL"
	    " UNION"
	    " SELECT p.manager_email FROM chain c"
	    "  JOIN person p ON p.email = c.email"
	    "  WHERE p.manager_email IS NOT NULL)"
	    " SELECT DISTINCT " PERSON_COLS
	    " FROM chain c JOIN person p ON p.email = c.email ORDER BY p.email";
	struct match_pool *pool = ld->pool;
	sqlite3_stmt *st;
	int rc, k;

	if ((st = db_prepare(ld->db, sql, err)) == NULL)
		return -1;
	db_bind_int(st, 1, ld->l->program_id);
	while ((rc = db_step_row(ld->db, st, err)) == 1)
		add_person(ld, st, 0);
	sqlite3_finalize(st);
	if (rc < 0)
		return -1;
	for (k = 0; k < pool->npeople; k++)
		pool->people[k].manager = idmap_get(&ld->persons,
		    pool->mem->manager_id[k]);
	return 0;
}

/* The free attributes the criteria name, lower-cased, as a JSON array. */
static void
attr_names_json(const struct program *p, struct strbuf *sb)
{
	const struct match_criterion *c;
	const char *names[2];
	const char *s;
	size_t i, j;

	strbuf_addch(sb, '[');
	for (i = 0; i < p->matching.ncriteria; i++) {
		c = &p->matching.criteria[i];
		names[0] = c->attribute;
		names[1] = c->mentee_attribute;
		for (j = 0; j < 2; j++) {
			if (names[j] == NULL)
				continue;
			strbuf_addstr(sb, sb->len > 1 ? ",\"" : "\"");
			for (s = names[j]; *s; s++) {
				if (*s == '"' || *s == '\\')
					strbuf_addch(sb, '\\');
				if ((unsigned char)*s < 0x20)
					continue;
				strbuf_addch(sb, tolower((unsigned char)*s));
			}
			strbuf_addch(sb, '"');
		}
	}
	strbuf_addch(sb, ']');
}

struct attr_tmp {
	int person;
	size_t seq;
	const char *name;
	const char *value;
};

static int
cmp_attr_tmp(const void *a, const void *b)
{
	const struct attr_tmp *x = a, *y = b;

	if (x->person != y->person)
		return x->person < y->person ? -1 : 1;
	return (x->seq > y->seq) - (x->seq < y->seq);
}

static int
load_attrs(struct loader *ld, struct error *err)
{
	static const char sql[] =
	    "SELECT a.person_id, a.name, a.value FROM person_attr a"
	    " WHERE a.name IN (SELECT value FROM json_each(?2))"
	    " AND a.person_id IN (SELECT person_id FROM enrollment"
	    "  WHERE program_id = ?1 AND status <> 'withdrawn')";
	struct match_pool *pool = ld->pool;
	struct strbuf names = STRBUF_INIT;
	struct attr_tmp *v = NULL;
	struct score_attr *attrs;
	size_t n = 0, cap = 0, i;
	sqlite3_stmt *st;
	int rc, k;

	attr_names_json(ld->l->program, &names);
	if (names.len <= 2) {
		strbuf_release(&names);
		return 0;
	}
	if ((st = db_prepare(ld->db, sql, err)) == NULL) {
		strbuf_release(&names);
		return -1;
	}
	db_bind_int(st, 1, ld->l->program_id);
	db_bind_text(st, 2, names.buf);
	while ((rc = db_step_row(ld->db, st, err)) == 1) {
		if ((k = idmap_get(&ld->persons, sqlite3_column_int64(st, 0))) < 0)
			continue;
		XGROW(v, n + 1, cap);
		v[n].person = k;
		v[n].seq = n;
		v[n].name = col_str(pool, st, 1);
		v[n].value = col_str(pool, st, 2);
		n++;
	}
	sqlite3_finalize(st);
	strbuf_release(&names);
	if (rc < 0) {
		free(v);
		return -1;
	}
	if (n > 1)
		qsort(v, n, sizeof *v, cmp_attr_tmp);
	attrs = pool->mem->attrs = xreallocarray(NULL, n ? n : 1, sizeof *attrs);
	for (i = 0; i < n; i++) {
		attrs[i].name = v[i].name;
		attrs[i].value = v[i].value;
		if (i == 0 || v[i - 1].person != v[i].person)
			pool->people[v[i].person].attrs = &attrs[i];
		pool->people[v[i].person].nattrs++;
	}
	free(v);
	return 0;
}

/* Positions by enrollment role: person index -> mentor / mentee position. */
struct positions {
	int *mentor;
	int *mentee;
};

static void
positions_init(const struct match_pool *pool, struct positions *pos)
{
	int k;

	pos->mentor = xreallocarray(NULL, pool->npeople ? pool->npeople : 1,
	    sizeof(int));
	pos->mentee = xreallocarray(NULL, pool->npeople ? pool->npeople : 1,
	    sizeof(int));
	for (k = 0; k < pool->npeople; k++)
		pos->mentor[k] = pos->mentee[k] = -1;
	for (k = 0; k < pool->nmentors; k++)
		pos->mentor[pool->mentors[k].person] = k;
	for (k = 0; k < pool->nmentees; k++)
		pos->mentee[pool->mentees[k].person] = k;
}

static void
add_excl(struct match_pool *pool, size_t *cap, const struct positions *pos,
    int mentor_person, int mentee_person, enum match_excl_kind kind,
    long long pairing_id)
{
	struct match_excl *x;

	if (mentor_person < 0 || mentee_person < 0 ||
	    pos->mentor[mentor_person] < 0 || pos->mentee[mentee_person] < 0)
		return;
	XGROW(pool->excl, pool->nexcl + 1, *cap);
	x = &pool->excl[pool->nexcl++];
	x->mentor = pos->mentor[mentor_person];
	x->mentee = pos->mentee[mentee_person];
	x->kind = kind;
	x->pairing_id = pairing_id;
}

static int
cmp_excl(const void *a, const void *b)
{
	const struct match_excl *x = a, *y = b;

	if (x->mentee != y->mentee)
		return x->mentee < y->mentee ? -1 : 1;
	if (x->mentor != y->mentor)
		return x->mentor < y->mentor ? -1 : 1;
	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	return (x->pairing_id > y->pairing_id) - (x->pairing_id < y->pairing_id);
}

static int
load_exclusions(struct loader *ld, struct error *err)
{
	/*
	 * The programme's own pairings, and with previous_partners (?3) those
	 * of other programmes that turned active between two of its people.
	 */
	static const char sql[] =
	    "SELECT x.id, me.person_id, te.person_id, x.program_id = ?1,"
	    " CASE WHEN x.status = 'proposed' AND x.expires_on < ?2"
	    "  THEN 'expired' ELSE x.status END,"
	    " x.activated_on IS NOT NULL"
	    " FROM pairing x"
	    " JOIN enrollment me ON me.id = x.mentor_enrollment_id"
	    " JOIN enrollment te ON te.id = x.mentee_enrollment_id"
	    " WHERE x.program_id = ?1 OR (?3 AND x.activated_on IS NOT NULL"
	    "  AND me.person_id IN (SELECT person_id FROM enrollment"
	    "   WHERE program_id = ?1)"
	    "  AND te.person_id IN (SELECT person_id FROM enrollment"
	    "   WHERE program_id = ?1))"
	    " ORDER BY x.id";
	struct match_pool *pool = ld->pool;
	bool previous = (ld->l->program->matching.exclude &
	    EXCLUDE_PREVIOUS_PARTNERS) != 0;
	struct positions pos;
	sqlite3_stmt *st;
	size_t cap = 0;
	const char *status;
	long long id;
	int rc, a, b;
	bool here, was_active;

	if (pool->nmentors == 0 || pool->nmentees == 0)
		return 0;
	if ((st = db_prepare(ld->db, sql, err)) == NULL)
		return -1;
	positions_init(pool, &pos);
	db_bind_int(st, 1, ld->l->program_id);
	db_bind_date(st, 2, ld->l->today);
	db_bind_int(st, 3, previous);
	while ((rc = db_step_row(ld->db, st, err)) == 1) {
		id = sqlite3_column_int64(st, 0);
		a = idmap_get(&ld->persons, sqlite3_column_int64(st, 1));
		b = idmap_get(&ld->persons, sqlite3_column_int64(st, 2));
		here = sqlite3_column_int(st, 3) != 0;
		status = db_col_text(st, 4);
		was_active = sqlite3_column_int(st, 5) != 0;
		if (here && strcmp(status, "declined") == 0)
			add_excl(pool, &cap, &pos, a, b, MATCH_EXCL_DECLINED, id);
		else if (here && strcmp(status, "expired") == 0)
			add_excl(pool, &cap, &pos, a, b, MATCH_EXCL_EXPIRED, id);
		else if (here && (strcmp(status, "proposed") == 0 ||
		    strcmp(status, "active") == 0))
			add_excl(pool, &cap, &pos, a, b, MATCH_EXCL_PAIRED, id);
		if (previous && was_active && !(here &&
		    strcmp(status, "active") == 0)) {
			/* partners are partners whichever of them mentored */
			add_excl(pool, &cap, &pos, a, b, MATCH_EXCL_PREVIOUS, id);
			add_excl(pool, &cap, &pos, b, a, MATCH_EXCL_PREVIOUS, id);
		}
	}
	sqlite3_finalize(st);
	free(pos.mentor);
	free(pos.mentee);
	if (rc < 0)
		return -1;
	if (pool->nexcl > 1)
		qsort(pool->excl, pool->nexcl, sizeof *pool->excl, cmp_excl);
	return 0;
}

static int
cmp_member(const void *a, const void *b)
{
	const struct match_member *x = a, *y = b;

	return (x->mentor > y->mentor) - (x->mentor < y->mentor);
}

/* Group format: the departments already in each mentor's open group. */
static int
load_members(struct loader *ld, struct error *err)
{
	static const char sql[] =
	    "SELECT x.mentor_enrollment_id, p.department FROM pairing x"
	    " JOIN enrollment te ON te.id = x.mentee_enrollment_id"
	    " JOIN person p ON p.id = te.person_id"
	    " WHERE x.program_id = ?1 AND " OPEN_SQL " ORDER BY x.id";
	struct match_pool *pool = ld->pool;
	struct idmap mentors;
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc, k;

	if (ld->l->program->format != FORMAT_GROUP || pool->nmentors == 0)
		return 0;
	if ((st = db_prepare(ld->db, sql, err)) == NULL)
		return -1;
	idmap_init(&mentors, (size_t)pool->nmentors);
	for (k = 0; k < pool->nmentors; k++)
		idmap_put(&mentors, pool->mentors[k].enrollment_id, k);
	db_bind_int(st, 1, ld->l->program_id);
	db_bind_date(st, 2, ld->l->today);
	while ((rc = db_step_row(ld->db, st, err)) == 1) {
		if ((k = idmap_get(&mentors, sqlite3_column_int64(st, 0))) < 0)
			continue;
		XGROW(pool->members, pool->nmembers + 1, cap);
		pool->members[pool->nmembers].mentor = k;
		pool->members[pool->nmembers].department = col_str(pool, st, 1);
		pool->nmembers++;
	}
	sqlite3_finalize(st);
	idmap_free(&mentors);
	if (rc < 0)
		return -1;
	if (pool->nmembers > 1)
		qsort(pool->members, pool->nmembers, sizeof *pool->members,
		    cmp_member);
	return 0;
}

/* score_build's arrays: people by position, each excluded pair once. */
static void
build_view(struct match_pool *pool)
{
	size_t i;
	int k;

	pool->mentor_people = xreallocarray(NULL, pool->nmentors ?
	    (size_t)pool->nmentors : 1, sizeof(int));
	pool->mentee_people = xreallocarray(NULL, pool->nmentees ?
	    (size_t)pool->nmentees : 1, sizeof(int));
	for (k = 0; k < pool->nmentors; k++)
		pool->mentor_people[k] = pool->mentors[k].person;
	for (k = 0; k < pool->nmentees; k++)
		pool->mentee_people[k] = pool->mentees[k].person;
	pool->pairs = xreallocarray(NULL, pool->nexcl ? pool->nexcl : 1,
	    sizeof *pool->pairs);
	pool->npairs = 0;
	for (i = 0; i < pool->nexcl; i++) {
		if (i > 0 && pool->excl[i - 1].mentee == pool->excl[i].mentee &&
		    pool->excl[i - 1].mentor == pool->excl[i].mentor)
			continue;
		pool->pairs[pool->npairs].mentee = pool->excl[i].mentee;
		pool->pairs[pool->npairs].mentor = pool->excl[i].mentor;
		pool->npairs++;
	}
}

int
store_match_load(struct db *db, const struct match_load *l,
    struct match_pool *pool, struct error *err)
{
	struct loader ld;
	int rc = -1;

	memset(pool, 0, sizeof *pool);
	memset(&ld, 0, sizeof ld);
	pool->mem = xcalloc(1, sizeof *pool->mem);
	ld.db = db;
	ld.l = l;
	ld.pool = pool;
	idmap_init(&ld.persons, 1024);
	if (load_enrollments(&ld, err) != 0)
		goto out;
	if ((l->program->matching.exclude & EXCLUDE_SAME_MANAGER_LINE) &&
	    load_chains(&ld, err) != 0)
		goto out;
	if (load_attrs(&ld, err) != 0 || load_exclusions(&ld, err) != 0 ||
	    load_members(&ld, err) != 0)
		goto out;
	build_view(pool);
	rc = 0;
out:
	idmap_free(&ld.persons);
	if (rc != 0)
		match_pool_free(pool);
	return rc;
}

int
store_match_why_not(struct db *db, long long program_id, const char *slug,
    const char *email, enum program_role role, struct error *err)
{
	static const char sql[] =
	    "SELECT p.email, e.status, e.reason, e.withdrawn_on FROM person p"
	    " LEFT JOIN enrollment e ON e.person_id = p.id"
	    "  AND e.program_id = ?2 AND e.role = ?3"
	    " WHERE p.email = ?1";
	const char *rname = role == ROLE_MENTOR ? "mentor" : "mentee";
	sqlite3_stmt *st;
	const char *status;
	int rc;

	if ((st = db_prepare(db, sql, err)) == NULL)
		return -1;
	db_bind_text(st, 1, email);
	db_bind_int(st, 2, program_id);
	db_bind_text(st, 3, rname);
	if ((rc = db_step_row(db, st, err)) == 1) {
		status = db_col_text(st, 1);
		if (*status == '\0')
			error_set(err, EX_DATAERR, "'%s' is not enrolled in '%s' "
			    "as %s", db_col_text(st, 0), slug, rname);
		else if (strcmp(status, "withdrawn") == 0)
			error_set(err, EX_DATAERR, "'%s' withdrew from '%s' as %s "
			    "on %s", db_col_text(st, 0), slug, rname,
			    db_col_text(st, 3));
		else
			error_set(err, EX_DATAERR, "'%s' is %s as %s in '%s'%s%s%s",
			    db_col_text(st, 0), status, rname, slug,
			    *db_col_text(st, 2) ? " (" : "", db_col_text(st, 2),
			    *db_col_text(st, 2) ? ")" : "");
	} else if (rc == 0)
		error_set(err, EX_DATAERR, "unknown person '%s'", email);
	sqlite3_finalize(st);
	return -1;
}

void
match_pool_free(struct match_pool *pool)
{
	size_t i;

	if (pool == NULL)
		return;
	if (pool->mem != NULL) {
		for (i = 0; i < pool->mem->nstrs; i++)
			free(pool->mem->strs[i]);
		free(pool->mem->strs);
		free(pool->mem->attrs);
		free(pool->mem->manager_id);
		free(pool->mem);
	}
	free(pool->people);
	free(pool->emails);
	free(pool->mentors);
	free(pool->mentees);
	free(pool->excl);
	free(pool->members);
	free(pool->mentor_people);
	free(pool->mentee_people);
	free(pool->pairs);
	memset(pool, 0, sizeof *pool);
}

void
match_pool_input(const struct match_pool *pool, const struct program *p,
    int day, struct score_input *in)
{
	memset(in, 0, sizeof *in);
	in->program = p;
	in->people = pool->people;
	in->npeople = pool->npeople;
	in->mentors = pool->mentor_people;
	in->nmentors = pool->nmentors;
	in->mentees = pool->mentee_people;
	in->nmentees = pool->nmentees;
	in->excluded = pool->pairs;
	in->nexcluded = pool->npairs;
	in->day = day;
}

const struct match_excl *
match_pool_excl(const struct match_pool *pool, int mentee, int mentor)
{
	size_t lo = 0, hi = pool->nexcl, mid;
	const struct match_excl *x;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		x = &pool->excl[mid];
		if (x->mentee < mentee || (x->mentee == mentee &&
		    x->mentor < mentor))
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < pool->nexcl && pool->excl[lo].mentee == mentee &&
	    pool->excl[lo].mentor == mentor)
		return &pool->excl[lo];
	return NULL;
}

/* Equal after trimming, ignoring ASCII case. */
static bool
dept_eq(const char *a, const char *b)
{
	size_t la, lb;

	while (isspace((unsigned char)*a))
		a++;
	while (isspace((unsigned char)*b))
		b++;
	la = strlen(a);
	lb = strlen(b);
	while (la > 0 && isspace((unsigned char)a[la - 1]))
		la--;
	while (lb > 0 && isspace((unsigned char)b[lb - 1]))
		lb--;
	return la == lb && la > 0 && strncasecmp(a, b, la) == 0;
}

int
match_group_same_department(const struct match_pool *pool,
    const struct program *p, int mentee, int mentor)
{
	const char *d = pool->people[pool->mentees[mentee].person].department;
	size_t lo = 0, hi = pool->nmembers, mid;
	int n = 0;

	if (p->format != FORMAT_GROUP || !p->group.department_diversity ||
	    d == NULL)
		return 0;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (pool->members[mid].mentor < mentor)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < pool->nmembers && pool->members[lo].mentor == mentor; lo++)
		if (pool->members[lo].department != NULL &&
		    dept_eq(pool->members[lo].department, d))
			n++;
	return n;
}

/* ---- what the listings show ---- */

char **
match_labels(const struct program *p)
{
	const struct match_criterion *c;
	size_t n = p->matching.ncriteria, i, j;
	char **v = xcalloc(n ? n : 1, sizeof *v);
	int dup;

	for (i = 0; i < n; i++) {
		c = &p->matching.criteria[i];
		if (c->mentee_attribute)
			v[i] = xasprintf("%s:%s:%s", c->attribute,
			    c->mentee_attribute, match_compare_name(c->compare));
		else
			v[i] = xasprintf("%s:%s", c->attribute,
			    match_compare_name(c->compare));
	}
	/* JSON keys must differ: number the repeats */
	for (i = 1; i < n; i++) {
		dup = 1;
		for (j = 0; j < i; j++)
			if (strcmp(v[i], v[j]) == 0 ||
			    (strncmp(v[i], v[j], strlen(v[i])) == 0 &&
			    v[j][strlen(v[i])] == '#'))
				dup++;
		if (dup > 1) {
			char *t = xasprintf("%s#%d", v[i], dup);

			free(v[i]);
			v[i] = t;
		}
	}
	return v;
}

void
match_labels_free(char **labels, size_t n)
{
	size_t i;

	if (labels == NULL)
		return;
	for (i = 0; i < n; i++)
		free(labels[i]);
	free(labels);
}

double
match_points(const struct program *p, size_t k, double contrib)
{
	double wsum = 0;
	size_t i;

	for (i = 0; i < p->matching.ncriteria; i++)
		if (p->matching.criteria[i].weight > 0)
			wsum += p->matching.criteria[i].weight;
	if (wsum <= 0 || p->matching.criteria[k].weight <= 0)
		return 0;
	return 100 * p->matching.criteria[k].weight * contrib / wsum;
}

/* Hand-made: `scores` writes ten million of these. */
char *
match_centi_str(int centi, char *buf)
{
	char tmp[MATCH_POINTS_BUFSZ];
	unsigned v = centi < 0 ? 0U - (unsigned)centi : (unsigned)centi;
	size_t n = 0, i = 0;

	tmp[n++] = (char)('0' + v % 10);
	v /= 10;
	tmp[n++] = (char)('0' + v % 10);
	v /= 10;
	tmp[n++] = '.';
	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v > 0);
	if (centi < 0)
		buf[i++] = '-';
	while (n > 0)
		buf[i++] = tmp[--n];
	buf[i] = '\0';
	return buf;
}

char *
match_points_str(double points, char *buf)
{
	double c = floor(points * 100 + 0.5);

	return match_centi_str(c > 1e8 ? 100000000 : c < -1e8 ? -100000000 :
	    (int)c, buf);
}

static const char *
excl_name(enum match_excl_kind k)
{
	switch (k) {
	case MATCH_EXCL_PAIRED:
		return "paired";
	case MATCH_EXCL_DECLINED:
		return "declined before";
	case MATCH_EXCL_EXPIRED:
		return "proposal expired before";
	case MATCH_EXCL_PREVIOUS:
		return "previous partners";
	}
	return "excluded pair";
}

char *
match_rule_text(const struct match_pool *pool, const struct program *p,
    const char *const *labels, const struct score_detail *d, int mentee,
    int mentor)
{
	struct strbuf sb = STRBUF_INIT;
	const struct match_excl *x;
	char buf[MATCH_POINTS_BUFSZ];
	size_t i;

	switch (d->verdict) {
	case SCORE_EXCLUDED_PAIR:
		x = match_pool_excl(pool, mentee, mentor);
		for (i = x ? (size_t)(x - pool->excl) : pool->nexcl;
		    i < pool->nexcl && pool->excl[i].mentee == mentee &&
		    pool->excl[i].mentor == mentor; i++) {
			/* one mention per kind, with its latest pairing */
			if (i + 1 < pool->nexcl &&
			    pool->excl[i + 1].mentee == mentee &&
			    pool->excl[i + 1].mentor == mentor &&
			    pool->excl[i + 1].kind == pool->excl[i].kind)
				continue;
			strbuf_addf(&sb, "%s%s (pairing %lld)", sb.len ? "; " :
			    "", excl_name(pool->excl[i].kind),
			    pool->excl[i].pairing_id);
		}
		if (sb.len == 0)
			strbuf_addstr(&sb, score_verdict_name(d->verdict));
		break;
	case SCORE_FORMAT_RULE:
		if (p->format == FORMAT_PEER)
			strbuf_addf(&sb, "format rule (peer: levels more than "
			    "%d apart or unknown)", p->peer.max_level_gap);
		else
			strbuf_addstr(&sb, "format rule (reverse: the mentor "
			    "is not junior to the mentee, or a level is "
			    "unknown)");
		break;
	case SCORE_REQUIRED:
		strbuf_addf(&sb, "required criterion %s gives 0",
		    d->criterion >= 0 && labels ? labels[d->criterion] : "");
		break;
	case SCORE_BELOW_MIN:
		strbuf_addf(&sb, "below min_score %g (score %s)",
		    p->matching.min_score, match_centi_str(d->score, buf));
		break;
	default:
		strbuf_addstr(&sb, score_verdict_name(d->verdict));
		break;
	}
	return strbuf_detach(&sb, NULL);
}
