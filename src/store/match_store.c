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

/* A column's text owned by the pool; NULL for SQL NULL or "". */
static const char *
col_str(struct match_pool *pool, sqlite3_stmt *st, int col)
{
	const unsigned char *s = sqlite3_column_text(st, col);

	if (s == NULL || *s == '\0')
		return NULL;
	return match_pool_strdup(pool, (const char *)s);
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
	long long *manager_id;     /* per person: the manager's person id */
	size_t mgrcap;
};

/* The person of the row's columns at `at` (id, email, department, title,
 * level, hired_on, location, timezone, manager id, name, manager_email);
 * its index. */
static int
add_person(struct loader *ld, sqlite3_stmt *st, int at)
{
	struct match_pool *pool = ld->pool;
	struct score_person *p;
	long long id = sqlite3_column_int64(st, at);
	int k;

	if ((k = idmap_get(&ld->persons, id)) >= 0)
		return k;
	k = match_pool_add_person(pool);
	XGROW(ld->manager_id, (size_t)k + 1, ld->mgrcap);
	p = &pool->people[k];
	pool->emails[k] = col_str(pool, st, at + 1);
	p->department = col_str(pool, st, at + 2);
	p->title = col_str(pool, st, at + 3);
	p->has_level = sqlite3_column_type(st, at + 4) != SQLITE_NULL;
	p->level = sqlite3_column_int(st, at + 4);
	p->hired_on = db_col_date(st, at + 5);
	p->location = col_str(pool, st, at + 6);
	p->timezone = col_str(pool, st, at + 7);
	p->manager = -1;
	ld->manager_id[k] = sqlite3_column_int64(st, at + 8);
	pool->names[k] = col_str(pool, st, at + 9);
	p->manager_email = col_str(pool, st, at + 10);
	p->email = pool->emails[k];
	p->name = pool->names[k];
	idmap_put(&ld->persons, id, k);
	return k;
}

#define PERSON_COLS \
	"p.id, p.email, p.department, p.title, p.level, p.hired_on," \
	" p.location, p.timezone," \
	" (SELECT m.id FROM person m WHERE m.email = p.manager_email)," \
	" p.name, p.manager_email"

/* An open pairing on ?2 = today, of pairing `x`. */
#define OPEN_SQL \
	"(x.status = 'active' OR (x.status = 'proposed' AND" \
	" (x.expires_on IS NULL OR x.expires_on >= ?2)))"

/* v[n] as a JSON array of strings, for json_each(). */
static void
json_strings(struct strbuf *sb, const char *const *v, size_t n)
{
	const char *s;
	size_t i;

	strbuf_addch(sb, '[');
	for (i = 0; i < n; i++) {
		strbuf_addstr(sb, i ? ",\"" : "\"");
		for (s = v[i]; *s; s++) {
			if (*s == '"' || *s == '\\')
				strbuf_addch(sb, '\\');
			if ((unsigned char)*s >= 0x20)
				strbuf_addch(sb, *s);
		}
		strbuf_addch(sb, '"');
	}
	strbuf_addch(sb, ']');
}

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
	    "   x.mentee_enrollment_id = e.id AND " OPEN_SQL ") END,"
	    " e.enrolled_on, " PERSON_COLS
	    " FROM enrollment e JOIN person p ON p.id = e.person_id"
	    " WHERE e.program_id = ?1"
	    " AND (e.status IN ('eligible', 'active')"
	    "  OR (?3 AND e.status = 'pending') OR ?7)"
	    " AND (e.role <> 'mentor' OR ?4 IS NULL OR p.email = ?4)"
	    " AND (e.role <> 'mentee' OR ?5 IS NULL OR p.email = ?5)"
	    " AND (e.role <> 'mentee' OR ?6 IS NULL"
	    "  OR p.email IN (SELECT value FROM json_each(?6)))"
	    " ORDER BY p.email, e.role";
	const struct match_load *l = ld->l;
	struct match_pool *pool = ld->pool;
	struct strbuf list = STRBUF_INIT;
	struct match_cand c, *v;
	sqlite3_stmt *st;
	bool mentor;
	int rc, status, def;

	if ((st = db_prepare(ld->db, sql, err)) == NULL)
		return -1;
	db_bind_int(st, 1, l->program_id);
	db_bind_date(st, 2, l->today);
	db_bind_int(st, 3, (l->flags & MATCH_LOAD_PENDING) != 0);
	db_bind_text(st, 4, l->mentor_email);
	db_bind_text(st, 5, l->mentee_email);
	if (l->nmentees > 0) {
		json_strings(&list, l->mentees, l->nmentees);
		db_bind_text(st, 6, list.buf);
	}
	db_bind_int(st, 7, l->before_pairing != 0);
	while ((rc = db_step_row(ld->db, st, err)) == 1) {
		memset(&c, 0, sizeof c);
		mentor = strcmp(db_col_text(st, 1), "mentor") == 0;
		c.enrollment_id = sqlite3_column_int64(st, 0);
		def = mentor ? l->program->mentor.capacity :
		    l->program->mentee.capacity > 0 ?
		    l->program->mentee.capacity : 1;
		c.capacity = sqlite3_column_type(st, 4) == SQLITE_NULL ? def :
		    sqlite3_column_int(st, 4);
		c.used = sqlite3_column_int(st, 5);
		c.open_pairing = sqlite3_column_int64(st, 6);
		if (mentor && (l->flags & MATCH_LOAD_FREE) &&
		    match_cand_free_places(&c) == 0)
			continue;
		if (!mentor && (l->flags & MATCH_LOAD_UNMATCHED) &&
		    match_cand_free_places(&c) == 0)
			continue;
		status = enrollment_status_parse(db_col_text(st, 2));
		c.status = status < 0 ? ENROLLMENT_ELIGIBLE :
		    (enum enrollment_status)status;
		c.reason = col_str(pool, st, 3);
		c.enrolled_on = db_col_date(st, 7);
		c.person_id = sqlite3_column_int64(st, 8);
		c.person = add_person(ld, st, 8);
		c.email = pool->emails[c.person];
		v = match_pool_add_cand(pool, mentor);
		*v = c;
	}
	sqlite3_finalize(st);
	strbuf_release(&list);
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
		    ld->manager_id[k]);
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
		xqsort(v, n, sizeof *v, cmp_attr_tmp);
	attrs = match_pool_attrs(pool, n);
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

/* Exclude the pair of these people (person indexes) when both are candidates. */
static void
add_excl(struct match_pool *pool, const struct positions *pos,
    int mentor_person, int mentee_person, enum match_excl_kind kind,
    long long pairing_id)
{
	if (mentor_person < 0 || mentee_person < 0 ||
	    pos->mentor[mentor_person] < 0 || pos->mentee[mentee_person] < 0)
		return;
	match_pool_add_excl(pool, pos->mentee[mentee_person],
	    pos->mentor[mentor_person], kind, pairing_id);
}

static bool
wants_compare(const struct program *p, enum match_compare cmp)
{
	size_t i;

	for (i = 0; i < p->matching.ncriteria; i++)
		if (p->matching.criteria[i].compare == cmp)
			return true;
	return false;
}

static void
add_partner(struct match_pool *pool, const struct positions *pos,
    int mentor_person, int mentee_person)
{
	if (mentor_person < 0 || mentee_person < 0 ||
	    pos->mentor[mentor_person] < 0 || pos->mentee[mentee_person] < 0)
		return;
	match_pool_add_partner(pool, pos->mentee[mentee_person],
	    pos->mentor[mentor_person]);
}

/* A pair of people (ids) as positions, or false when not both candidates. */
static bool
pair_of(struct loader *ld, const struct positions *pos, long long mentee_id,
    long long mentor_id, int *mentee, int *mentor)
{
	int a = idmap_get(&ld->persons, mentee_id);
	int b = idmap_get(&ld->persons, mentor_id);

	if (a < 0 || b < 0 || pos->mentee[a] < 0 || pos->mentor[b] < 0)
		return false;
	*mentee = pos->mentee[a];
	*mentor = pos->mentor[b];
	return true;
}

/*
 * Participants' preferences: ranks as positions among the mentee's ranked
 * mentors (all of them, in or out of the pool), ratings, choices; avoid
 * and veto exclude the pair.
 */
static int
load_preferences(struct loader *ld, const struct positions *pos,
    struct error *err)
{
	static const char sides_sql[] =
	    "SELECT EXISTS (SELECT 1 FROM preference WHERE program_id = ?1"
	    "  AND (rank IS NOT NULL OR rating IS NOT NULL"
	    "  OR mentee_choice = 'prefer')),"
	    " EXISTS (SELECT 1 FROM preference WHERE program_id = ?1"
	    "  AND mentor_choice = 'prefer')";
	static const char sql[] =
	    "SELECT mentee_id, mentor_id, rating, mentor_choice, mentee_choice,"
	    " CASE WHEN rank IS NULL THEN 0 ELSE row_number() OVER"
	    "  (PARTITION BY mentee_id, rank IS NULL ORDER BY rank, mentor_id)"
	    "  END,"
	    " count(rank) OVER (PARTITION BY mentee_id)"
	    " FROM preference WHERE program_id = ?1";
	struct match_pool *pool = ld->pool;
	struct match_pref q;
	sqlite3_stmt *st;
	const char *mc, *ec;
	int rc, i, j;

	if ((st = db_prepare(ld->db, sides_sql, err)) == NULL)
		return -1;
	db_bind_int(st, 1, ld->l->program_id);
	if ((rc = db_step_row(ld->db, st, err)) == 1)
		pool->pref_sides = (sqlite3_column_int(st, 0) ? 1U : 0U) |
		    (sqlite3_column_int(st, 1) ? 2U : 0U);
	sqlite3_finalize(st);
	if (rc < 0)
		return -1;
	if ((st = db_prepare(ld->db, sql, err)) == NULL)
		return -1;
	db_bind_int(st, 1, ld->l->program_id);
	while ((rc = db_step_row(ld->db, st, err)) == 1) {
		if (!pair_of(ld, pos, sqlite3_column_int64(st, 0),
		    sqlite3_column_int64(st, 1), &i, &j))
			continue;
		mc = db_col_text(st, 3);
		ec = db_col_text(st, 4);
		if (strcmp(mc, "avoid") == 0 || strcmp(mc, "veto") == 0)
			match_pool_add_excl(pool, i, j,
			    MATCH_EXCL_MENTOR_AVOIDS, 0);
		if (strcmp(ec, "avoid") == 0 || strcmp(ec, "veto") == 0)
			match_pool_add_excl(pool, i, j,
			    MATCH_EXCL_MENTEE_AVOIDS, 0);
		memset(&q, 0, sizeof q);
		q.mentee = i;
		q.mentor = j;
		q.rating = sqlite3_column_int(st, 2);
		q.mentor_prefers = strcmp(mc, "prefer") == 0;
		q.rank_pos = sqlite3_column_int(st, 5);
		q.rank_count = sqlite3_column_int(st, 6);
		/* a mentee's plain "prefer" counts as a top rating */
		if (q.rank_pos == 0 && q.rating == 0 && strcmp(ec, "prefer") == 0)
			q.rating = 5;
		if (q.rank_pos > 0 || q.rating > 0 || q.mentor_prefers)
			match_pool_add_pref(pool, &q);
	}
	sqlite3_finalize(st);
	return rc < 0 ? -1 : 0;
}

/* Never-pair lists of this programme and of every programme, either role. */
static int
load_conflicts(struct loader *ld, const struct positions *pos,
    struct error *err)
{
	static const char sql[] =
	    "SELECT person_a, person_b FROM conflict"
	    " WHERE program_id IS NULL OR program_id = ?1";
	sqlite3_stmt *st;
	long long a, b;
	int rc, i, j;

	if ((st = db_prepare(ld->db, sql, err)) == NULL)
		return -1;
	db_bind_int(st, 1, ld->l->program_id);
	while ((rc = db_step_row(ld->db, st, err)) == 1) {
		a = sqlite3_column_int64(st, 0);
		b = sqlite3_column_int64(st, 1);
		if (pair_of(ld, pos, a, b, &i, &j))
			match_pool_add_excl(ld->pool, i, j, MATCH_EXCL_CONFLICT, 0);
		if (pair_of(ld, pos, b, a, &i, &j))
			match_pool_add_excl(ld->pool, i, j, MATCH_EXCL_CONFLICT, 0);
	}
	sqlite3_finalize(st);
	return rc < 0 ? -1 : 0;
}

/* The coordinator's overrides: bonuses, vetoes, fixed pairs. */
static int
load_overrides(struct loader *ld, const struct positions *pos,
    struct error *err)
{
	static const char sql[] =
	    "SELECT mentee_id, mentor_id, coalesce(bonus, 0), veto, fixed"
	    " FROM pair_override WHERE program_id = ?1"
	    " ORDER BY mentee_id, mentor_id";
	struct match_pool *pool = ld->pool;
	sqlite3_stmt *st;
	int rc, i, j;

	if ((st = db_prepare(ld->db, sql, err)) == NULL)
		return -1;
	db_bind_int(st, 1, ld->l->program_id);
	while ((rc = db_step_row(ld->db, st, err)) == 1) {
		if (!pair_of(ld, pos, sqlite3_column_int64(st, 0),
		    sqlite3_column_int64(st, 1), &i, &j))
			continue;
		if (sqlite3_column_int(st, 2) != 0)
			match_pool_add_bonus(pool, i, j, sqlite3_column_int(st, 2));
		if (sqlite3_column_int(st, 3))
			match_pool_add_excl(pool, i, j, MATCH_EXCL_VETO, 0);
		if (sqlite3_column_int(st, 4))
			match_pool_add_fixed(pool, i, j);
	}
	sqlite3_finalize(st);
	return rc < 0 ? -1 : 0;
}

/* What people and the coordinator said about pairs. */
static int
load_said(struct loader *ld, struct error *err)
{
	struct positions pos;
	int rc;

	if (ld->pool->nmentors == 0 || ld->pool->nmentees == 0)
		return 0;
	positions_init(ld->pool, &pos);
	rc = load_preferences(ld, &pos, err) == 0 &&
	    load_conflicts(ld, &pos, err) == 0 &&
	    load_overrides(ld, &pos, err) == 0 ? 0 : -1;
	free(pos.mentor);
	free(pos.mentee);
	return rc;
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
	    " WHERE (x.program_id = ?1 OR (?3 AND x.activated_on IS NOT NULL"
	    "  AND me.person_id IN (SELECT person_id FROM enrollment"
	    "   WHERE program_id = ?1)"
	    "  AND te.person_id IN (SELECT person_id FROM enrollment"
	    "   WHERE program_id = ?1)))"
	    " AND (?4 = 0 OR x.id < ?4)"
	    " ORDER BY x.id";
	struct match_pool *pool = ld->pool;
	bool exclude = (ld->l->program->matching.exclude &
	    EXCLUDE_PREVIOUS_PARTNERS) != 0;
	bool bonus = wants_compare(ld->l->program, COMPARE_PREVIOUS_PARTNER);
	bool previous = exclude || bonus;
	struct positions pos;
	sqlite3_stmt *st;
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
	db_bind_int(st, 4, ld->l->before_pairing);
	while ((rc = db_step_row(ld->db, st, err)) == 1) {
		id = sqlite3_column_int64(st, 0);
		a = idmap_get(&ld->persons, sqlite3_column_int64(st, 1));
		b = idmap_get(&ld->persons, sqlite3_column_int64(st, 2));
		here = sqlite3_column_int(st, 3) != 0;
		status = db_col_text(st, 4);
		was_active = sqlite3_column_int(st, 5) != 0;
		if (here && strcmp(status, "declined") == 0)
			add_excl(pool, &pos, a, b, MATCH_EXCL_DECLINED, id);
		else if (here && strcmp(status, "expired") == 0)
			add_excl(pool, &pos, a, b, MATCH_EXCL_EXPIRED, id);
		else if (here && (strcmp(status, "proposed") == 0 ||
		    strcmp(status, "active") == 0))
			add_excl(pool, &pos, a, b, MATCH_EXCL_PAIRED, id);
		if (exclude && was_active && !(here &&
		    strcmp(status, "active") == 0)) {
			/* partners are partners whichever of them mentored */
			add_excl(pool, &pos, a, b, MATCH_EXCL_PREVIOUS, id);
			add_excl(pool, &pos, b, a, MATCH_EXCL_PREVIOUS, id);
		}
		if (bonus && was_active) {
			add_partner(pool, &pos, a, b);
			add_partner(pool, &pos, b, a);
		}
	}
	sqlite3_finalize(st);
	free(pos.mentor);
	free(pos.mentee);
	return rc < 0 ? -1 : 0;
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
		match_pool_add_member(pool, k, col_str(pool, st, 1));
	}
	sqlite3_finalize(st);
	idmap_free(&mentors);
	return rc < 0 ? -1 : 0;
}

int
store_match_load(struct db *db, const struct match_load *l,
    struct match_pool *pool, struct error *err)
{
	struct loader ld;
	int rc = -1;

	memset(pool, 0, sizeof *pool);
	memset(&ld, 0, sizeof ld);
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
	    load_said(&ld, err) != 0 || load_members(&ld, err) != 0)
		goto out;
	match_pool_finish(pool);
	rc = 0;
out:
	idmap_free(&ld.persons);
	free(ld.manager_id);
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

int
store_match_waitlist(struct db *db, long long program_id, int today,
    int (*fn)(const struct waitlist_row *, void *), void *arg,
    struct error *err)
{
	static const char sql[] =
	    "SELECT p.email, p.name, p.department, e.enrolled_on,"
	    " (SELECT CAST(trim(a.value) AS REAL) FROM person_attr a"
	    "  WHERE a.person_id = p.id AND a.name = 'priority'"
	    "  AND (trim(a.value) GLOB '[0-9]*'"
	    "  OR trim(a.value) GLOB '[-+][0-9]*')),"
	    " (SELECT count(*) FROM pairing x WHERE x.mentee_enrollment_id = e.id)"
	    " FROM enrollment e JOIN person p ON p.id = e.person_id"
	    " WHERE e.program_id = ?1 AND e.role = 'mentee'"
	    " AND e.status IN ('eligible', 'active')"
	    " AND NOT EXISTS (SELECT 1 FROM pairing x"
	    "  WHERE x.mentee_enrollment_id = e.id AND " OPEN_SQL ")"
	    " ORDER BY 5 IS NULL, 5 DESC, e.enrolled_on, p.email";
	struct waitlist_row r;
	sqlite3_stmt *st;
	int rc, pos = 0;

	if ((st = db_prepare(db, sql, err)) == NULL)
		return -1;
	db_bind_int(st, 1, program_id);
	db_bind_date(st, 2, today);
	while ((rc = db_step_row(db, st, err)) == 1) {
		memset(&r, 0, sizeof r);
		r.position = ++pos;
		r.email = db_col_text(st, 0);
		r.name = *db_col_text(st, 1) ? db_col_text(st, 1) : NULL;
		r.department = db_col_text_or_null(st, 2);
		r.enrolled_on = db_col_date(st, 3);
		r.has_priority = sqlite3_column_type(st, 4) != SQLITE_NULL;
		r.priority = sqlite3_column_double(st, 4);
		r.ever_paired = sqlite3_column_int64(st, 5);
		if (fn(&r, arg) != 0) {
			rc = -1;
			break;
		}
	}
	sqlite3_finalize(st);
	return rc < 0 ? -1 : 0;
}

int
store_mentor_lapses(struct db *db, long long program_id, int today,
    int min, struct mentor_lapse **v, size_t *n, struct error *err)
{
	static const char sql[] =
	    "SELECT g.slug, p.email, p.name, count(*), max(x.expires_on),"
	    " group_concat(x.id, ', ')"
	    " FROM pairing x JOIN enrollment me ON me.id = x.mentor_enrollment_id"
	    " JOIN person p ON p.id = me.person_id"
	    " JOIN program g ON g.id = x.program_id"
	    " WHERE (?1 = 0 OR x.program_id = ?1)"
	    " AND (x.status = 'expired' OR (x.status = 'proposed'"
	    "  AND x.expires_on < ?2))"
	    " AND x.mentor_accepted_on IS NULL"
	    " GROUP BY x.program_id, me.id HAVING count(*) >= ?3"
	    " ORDER BY count(*) DESC, g.slug, p.email";
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc;

	*v = NULL;
	*n = 0;
	if ((st = db_prepare(db, sql, err)) == NULL)
		return -1;
	db_bind_int(st, 1, program_id);
	db_bind_date(st, 2, today);
	db_bind_int(st, 3, min);
	while ((rc = db_step_row(db, st, err)) == 1) {
		struct mentor_lapse *m;

		XGROW(*v, *n + 1, cap);
		m = &(*v)[(*n)++];
		m->program = xstrdup(db_col_text(st, 0));
		m->email = xstrdup(db_col_text(st, 1));
		m->name = xstrdup(db_col_text(st, 2));
		m->lapsed = sqlite3_column_int(st, 3);
		m->last_expired_on = db_col_date(st, 4);
		m->pairings = xstrdup(db_col_text(st, 5));
	}
	sqlite3_finalize(st);
	if (rc < 0) {
		mentor_lapses_free(*v, *n);
		*v = NULL;
		*n = 0;
		return -1;
	}
	return 0;
}

void
mentor_lapses_free(struct mentor_lapse *v, size_t n)
{
	size_t i;

	for (i = 0; v != NULL && i < n; i++) {
		free(v[i].program);
		free(v[i].email);
		free(v[i].name);
		free(v[i].pairings);
	}
	free(v);
}
