#include "store/network_store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "db_int.h"
#include "util/xmalloc.h"

/* The mentee (person) and programme of a pairing, as SQL fragments. */
#define MENTEE_OF(p) \
	"(SELECT e.person_id FROM pairing q JOIN enrollment e" \
	" ON e.id = q.mentee_enrollment_id WHERE q.id = " p ")"
#define PROGRAM_OF(p) "(SELECT program_id FROM pairing WHERE id = " p ")"

int
store_intro_add(struct db *db, const struct intro_in *in, long long *id,
    struct error *err)
{
	static const char sql[] =
	    "INSERT INTO introduction (pairing_id, contact_email, contact_name,"
	    " introduced_on, meet_on, meet_at, note, recorded_by, recorded_at)"
	    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
	char day[DATE_BUFSZ], *detail;
	sqlite3_stmt *st;
	int rc;

	if ((st = db_prepare(db, sql, err)) == NULL)
		return -1;
	db_bind_int(st, 1, in->pairing_id);
	db_bind_text(st, 2, in->contact_email);
	db_bind_text(st, 3, in->contact_name);
	db_bind_date(st, 4, in->introduced_on);
	db_bind_date(st, 5, in->meet_on);
	if (in->meet_at >= 0)
		db_bind_int(st, 6, in->meet_at);
	db_bind_text(st, 7, in->note);
	db_bind_text(st, 8, in->recorded_by);
	db_bind_text(st, 9, db_now(db));
	rc = db_step_done(db, st, err);
	sqlite3_finalize(st);
	if (rc != 0)
		return -1;
	*id = sqlite3_last_insert_rowid(db->h);
	detail = xasprintf("pairing %lld: %s introduced on %s", in->pairing_id,
	    in->contact_email, date_format(in->introduced_on, day));
	rc = db_audit(db, "introduction", *id, "add", detail, err);
	free(detail);
	return rc;
}

int
store_intro_find(struct db *db, long long pairing_id,
    const char *contact_email, struct intro_found *found, struct error *err)
{
	static const char sql[] =
	    "SELECT i.id, i.pairing_id, i.introduced_on FROM introduction i"
	    " JOIN pairing p ON p.id = i.pairing_id"
	    " JOIN enrollment e ON e.id = p.mentee_enrollment_id"
	    " WHERE i.contact_email = ?2 AND p.program_id = " PROGRAM_OF("?1")
	    " AND e.person_id = " MENTEE_OF("?1")
	    " ORDER BY i.introduced_on, i.id LIMIT 1";
	sqlite3_stmt *st;
	int rc;

	memset(found, 0, sizeof *found);
	if ((st = db_prepare(db, sql, err)) == NULL)
		return -1;
	db_bind_int(st, 1, pairing_id);
	db_bind_text(st, 2, contact_email);
	if ((rc = db_step_row(db, st, err)) == 1) {
		found->id = sqlite3_column_int64(st, 0);
		found->pairing_id = sqlite3_column_int64(st, 1);
		found->introduced_on = db_col_date(st, 2);
	}
	sqlite3_finalize(st);
	return rc;
}

int
store_intro_count(struct db *db, long long pairing_id, int *n,
    struct error *err)
{
	static const char sql[] =
	    "SELECT count(*) FROM introduction i"
	    " JOIN pairing p ON p.id = i.pairing_id"
	    " JOIN enrollment e ON e.id = p.mentee_enrollment_id"
	    " WHERE p.program_id = " PROGRAM_OF("?1")
	    " AND e.person_id = " MENTEE_OF("?1");
	sqlite3_stmt *st;
	int rc;

	*n = 0;
	if ((st = db_prepare(db, sql, err)) == NULL)
		return -1;
	db_bind_int(st, 1, pairing_id);
	if ((rc = db_step_row(db, st, err)) == 1)
		*n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return rc < 0 ? -1 : 0;
}

int
store_intro_contact(struct db *db, const char *email, struct intro_contact *c,
    struct error *err)
{
	static const char sql[] =
	    "SELECT nullif(name, ''), department, level, timezone FROM person"
	    " WHERE email = ?";
	sqlite3_stmt *st;
	int rc;

	memset(c, 0, sizeof *c);
	if ((st = db_prepare(db, sql, err)) == NULL)
		return -1;
	db_bind_text(st, 1, email);
	if ((rc = db_step_row(db, st, err)) == 1) {
		c->is_person = true;
		c->name = db_col_strdup(st, 0);
		c->department = db_col_strdup(st, 1);
		c->has_level = sqlite3_column_type(st, 2) != SQLITE_NULL;
		c->level = sqlite3_column_int(st, 2);
		c->timezone = db_col_strdup(st, 3);
	}
	sqlite3_finalize(st);
	return rc < 0 ? -1 : 0;
}

void
intro_contact_free(struct intro_contact *c)
{
	if (c == NULL)
		return;
	free(c->name);
	free(c->department);
	free(c->timezone);
	memset(c, 0, sizeof *c);
}

/* ---- the report ---- */

struct mentee_key {
	long long person_id;
	size_t index;
};

static int
mentee_key_cmp(const void *a, const void *b)
{
	const struct mentee_key *x = a, *y = b;

	return (x->person_id > y->person_id) - (x->person_id < y->person_id);
}

static int
facts_mentees(struct db *db, long long program_id, int as_of,
    struct network_facts *f, struct mentee_key **keys, struct error *err)
{
	static const char sql[] =
	    "SELECT e.person_id, pe.email, nullif(pe.name, ''),"
	    " min(p.activated_on) FROM pairing p"
	    " JOIN enrollment e ON e.id = p.mentee_enrollment_id"
	    " JOIN person pe ON pe.id = e.person_id"
	    " WHERE p.program_id = ?1 AND p.activated_on IS NOT NULL"
	    " AND p.activated_on <= ?2"
	    " GROUP BY e.person_id ORDER BY pe.email";
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc;

	if ((st = db_prepare(db, sql, err)) == NULL)
		return -1;
	db_bind_int(st, 1, program_id);
	db_bind_date(st, 2, as_of);
	while ((rc = db_step_row(db, st, err)) == 1) {
		struct network_mentee_fact *m;

		if (f->nmentees + 1 > cap) {
			XGROW(f->mentees, f->nmentees + 1, cap);
			*keys = xreallocarray(*keys, cap, sizeof **keys);
		}
		(*keys)[f->nmentees].person_id = sqlite3_column_int64(st, 0);
		(*keys)[f->nmentees].index = f->nmentees;
		m = &f->mentees[f->nmentees++];
		m->email = db_col_strdup(st, 1);
		m->name = db_col_strdup(st, 2);
		m->active_from = db_col_date(st, 3);
	}
	sqlite3_finalize(st);
	return rc;
}

static int
facts_intros(struct db *db, long long program_id, int as_of,
    struct network_facts *f, const struct mentee_key *keys,
    struct error *err)
{
	static const char sql[] =
	    "SELECT e.person_id, i.contact_email, c.id IS NOT NULL,"
	    " c.department, c.level, i.introduced_on FROM introduction i"
	    " JOIN pairing p ON p.id = i.pairing_id"
	    " JOIN enrollment e ON e.id = p.mentee_enrollment_id"
	    " LEFT JOIN person c ON c.email = i.contact_email"
	    " WHERE p.program_id = ?1 AND i.introduced_on <= ?2";
	struct mentee_key key, *k;
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc;

	if ((st = db_prepare(db, sql, err)) == NULL)
		return -1;
	db_bind_int(st, 1, program_id);
	db_bind_date(st, 2, as_of);
	while ((rc = db_step_row(db, st, err)) == 1) {
		struct network_intro_fact *it;

		key.person_id = sqlite3_column_int64(st, 0);
		k = f->nmentees ? xbsearch(&key, keys, f->nmentees, sizeof *keys,
		    mentee_key_cmp) : NULL;
		if (k == NULL)
			continue;
		XGROW(f->intros, f->nintros + 1, cap);
		it = &f->intros[f->nintros++];
		memset(it, 0, sizeof *it);
		it->mentee = k->index;
		it->contact_email = db_col_strdup(st, 1);
		it->is_person = sqlite3_column_int(st, 2) != 0;
		it->department = db_col_strdup(st, 3);
		it->has_level = sqlite3_column_type(st, 4) != SQLITE_NULL;
		it->level = sqlite3_column_int(st, 4);
		it->introduced_on = db_col_date(st, 5);
	}
	sqlite3_finalize(st);
	return rc;
}

int
store_network_facts(struct db *db, long long program_id, int as_of,
    struct network_facts *f, struct error *err)
{
	struct mentee_key *keys = NULL;
	int rc;

	memset(f, 0, sizeof *f);
	f->as_of = as_of;
	rc = facts_mentees(db, program_id, as_of, f, &keys, err);
	if (rc == 0) {
		if (f->nmentees > 0)
			xqsort(keys, f->nmentees, sizeof *keys, mentee_key_cmp);
		rc = facts_intros(db, program_id, as_of, f, keys, err);
	}
	free(keys);
	if (rc != 0)
		network_facts_free(f);
	return rc;
}

/* ---- the roster for remind ---- */

static const char *
roster_keep(struct network_roster *r, size_t *cap, sqlite3_stmt *st, int col)
{
	char *s = db_col_strdup(st, col);

	if (s == NULL)
		return NULL;
	XGROW(r->strings, r->nstrings + 1, *cap);
	r->strings[r->nstrings++] = s;
	return s;
}

int
store_network_roster(struct db *db, long long program_id,
    struct network_roster *r, struct error *err)
{
	static const char sql[] =
	    "SELECT p.id, nullif(me.name, ''), me.email, nullif(te.name, ''),"
	    " te.email,"
	    " max(p.activated_on, coalesce(c.starts_on, p.activated_on)),"
	    " (SELECT count(*) FROM checkin k WHERE k.pairing_id = p.id),"
	    " (SELECT max(k.held_on) FROM checkin k WHERE k.pairing_id = p.id),"
	    " (SELECT count(*) FROM introduction i JOIN pairing p2"
	    "   ON p2.id = i.pairing_id JOIN enrollment e2"
	    "   ON e2.id = p2.mentee_enrollment_id"
	    "   WHERE p2.program_id = p.program_id"
	    "   AND e2.person_id = ee.person_id),"
	    " (SELECT max(i.introduced_on) FROM introduction i JOIN pairing p2"
	    "   ON p2.id = i.pairing_id JOIN enrollment e2"
	    "   ON e2.id = p2.mentee_enrollment_id"
	    "   WHERE p2.program_id = p.program_id"
	    "   AND e2.person_id = ee.person_id)"
	    " FROM pairing p"
	    " JOIN enrollment em ON em.id = p.mentor_enrollment_id"
	    " JOIN person me ON me.id = em.person_id"
	    " JOIN enrollment ee ON ee.id = p.mentee_enrollment_id"
	    " JOIN person te ON te.id = ee.person_id"
	    " LEFT JOIN cycle c ON c.id = p.cycle_id"
	    " WHERE p.program_id = ?1 AND p.status = 'active'"
	    " ORDER BY p.id";
	sqlite3_stmt *st;
	size_t cap = 0, scap = 0;
	int rc;

	memset(r, 0, sizeof *r);
	if ((st = db_prepare(db, sql, err)) == NULL)
		return -1;
	db_bind_int(st, 1, program_id);
	while ((rc = db_step_row(db, st, err)) == 1) {
		struct network_pairing *np;

		XGROW(r->v, r->n + 1, cap);
		np = &r->v[r->n++];
		memset(np, 0, sizeof *np);
		np->pairing_id = sqlite3_column_int64(st, 0);
		np->mentor_name = roster_keep(r, &scap, st, 1);
		np->mentor_email = roster_keep(r, &scap, st, 2);
		np->mentee_name = roster_keep(r, &scap, st, 3);
		np->mentee_email = roster_keep(r, &scap, st, 4);
		np->anchor = db_col_date(st, 5);
		np->held = sqlite3_column_int(st, 6);
		np->last_meeting = db_col_date(st, 7);
		np->introductions = sqlite3_column_int(st, 8);
		np->last_introduction = db_col_date(st, 9);
	}
	sqlite3_finalize(st);
	if (rc != 0)
		network_roster_free(r);
	return rc;
}

void
network_roster_free(struct network_roster *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->nstrings; i++)
		free(r->strings[i]);
	free(r->strings);
	free(r->v);
	memset(r, 0, sizeof *r);
}

/* ---- export ---- */

struct intro_cursor {
	struct db *db;
	sqlite3_stmt *st;
	bool with_note;
	struct intro_row row;
};

struct intro_cursor *
store_intro_cursor(struct db *db, long long program_id, bool with_note,
    struct error *err)
{
	static const char sql[] =
	    "SELECT i.id, g.slug, i.pairing_id, me.email, te.email,"
	    " i.contact_email, coalesce(i.contact_name, nullif(c.name, '')),"
	    " c.department, c.level, i.introduced_on, i.meet_on, i.meet_at,"
	    " i.recorded_by, CASE WHEN ?2 THEN i.note END"
	    " FROM introduction i"
	    " JOIN pairing p ON p.id = i.pairing_id"
	    " JOIN program g ON g.id = p.program_id"
	    " JOIN enrollment em ON em.id = p.mentor_enrollment_id"
	    " JOIN person me ON me.id = em.person_id"
	    " JOIN enrollment ee ON ee.id = p.mentee_enrollment_id"
	    " JOIN person te ON te.id = ee.person_id"
	    " LEFT JOIN person c ON c.email = i.contact_email"
	    " WHERE ?1 = 0 OR p.program_id = ?1"
	    " ORDER BY i.id";
	struct intro_cursor *c;

	c = xcalloc(1, sizeof *c);
	c->db = db;
	c->with_note = with_note;
	if ((c->st = db_prepare(db, sql, err)) == NULL) {
		free(c);
		return NULL;
	}
	db_bind_int(c->st, 1, program_id);
	db_bind_int(c->st, 2, with_note ? 1 : 0);
	return c;
}

int
store_intro_next(struct intro_cursor *c, const struct intro_row **row,
    struct error *err)
{
	struct intro_row *r = &c->row;
	sqlite3_stmt *st = c->st;
	int rc;

	if ((rc = db_step_row(c->db, st, err)) != 1)
		return rc;
	memset(r, 0, sizeof *r);
	r->id = sqlite3_column_int64(st, 0);
	r->program = db_col_text_or_null(st, 1);
	r->pairing_id = sqlite3_column_int64(st, 2);
	r->mentor_email = db_col_text_or_null(st, 3);
	r->mentee_email = db_col_text_or_null(st, 4);
	r->contact_email = db_col_text_or_null(st, 5);
	r->contact_name = db_col_text_or_null(st, 6);
	r->contact_department = db_col_text_or_null(st, 7);
	r->has_level = sqlite3_column_type(st, 8) != SQLITE_NULL;
	r->contact_level = sqlite3_column_int(st, 8);
	r->introduced_on = db_col_date(st, 9);
	r->meet_on = db_col_date(st, 10);
	r->meet_at = sqlite3_column_type(st, 11) == SQLITE_NULL ? -1 :
	    sqlite3_column_int(st, 11);
	r->recorded_by = db_col_text_or_null(st, 12);
	r->note = c->with_note ? db_col_text_or_null(st, 13) : NULL;
	*row = r;
	return 1;
}

void
store_intro_cursor_free(struct intro_cursor *c)
{
	if (c == NULL)
		return;
	sqlite3_finalize(c->st);
	free(c);
}
