/*
 * Preferences, never-pair lists and the coordinator's overrides: small
 * tables written by imports (prepared statements reused across rows) and
 * read by match_store.c when it loads a pool.
 */
#include "store/preference_store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "db_int.h"
#include "util/strbuf.h"
#include "util/xmalloc.h"

static const char *const choices[] = {
	[PREF_CHOICE_NONE] = "none",
	[PREF_CHOICE_PREFER] = "prefer",
	[PREF_CHOICE_AVOID] = "avoid",
	[PREF_CHOICE_VETO] = "veto",
};

const char *
pref_choice_name(enum pref_choice c)
{
	if ((int)c < 0 || (size_t)c >= sizeof choices / sizeof choices[0])
		return "keep";
	return choices[c];
}

int
pref_choice_parse(const char *s)
{
	size_t i;

	if (s == NULL || *s == '\0')
		return PREF_CHOICE_NONE;
	for (i = 0; i < sizeof choices / sizeof choices[0]; i++)
		if (strcasecmp(s, choices[i]) == 0)
			return (int)i;
	return -1;
}

int
store_pref_people(struct db *db, long long program_id,
    const char *const *emails, size_t n, struct pref_person *out,
    struct error *err)
{
	static const char sql[] =
	    "SELECT p.id, p.email,"
	    " EXISTS (SELECT 1 FROM enrollment e WHERE e.person_id = p.id"
	    "  AND e.program_id = ?2 AND e.role = 'mentor'"
	    "  AND e.status <> 'withdrawn'),"
	    " EXISTS (SELECT 1 FROM enrollment e WHERE e.person_id = p.id"
	    "  AND e.program_id = ?2 AND e.role = 'mentee'"
	    "  AND e.status <> 'withdrawn')"
	    " FROM person p WHERE p.email = ?1";
	sqlite3_stmt *st;
	size_t i;
	int rc = 0;

	memset(out, 0, n * sizeof *out);
	if ((st = db_prepare(db, sql, err)) == NULL)
		return -1;
	for (i = 0; i < n && rc >= 0; i++) {
		db_bind_text(st, 1, emails[i]);
		db_bind_int(st, 2, program_id);
		if ((rc = db_step_row(db, st, err)) == 1) {
			out[i].person_id = sqlite3_column_int64(st, 0);
			out[i].email = db_col_strdup(st, 1);
			out[i].mentor = sqlite3_column_int(st, 2) != 0;
			out[i].mentee = sqlite3_column_int(st, 3) != 0;
		}
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	return rc < 0 ? -1 : 0;
}

void
pref_people_free(struct pref_person *v, size_t n)
{
	size_t i;

	if (v == NULL)
		return;
	for (i = 0; i < n; i++)
		free(v[i].email);
}

int
store_pref_mentors(struct db *db, long long program_id,
    struct pref_mentor **v, size_t *n, struct error *err)
{
	static const char sql[] =
	    "SELECT p.id, p.email, p.name FROM enrollment e"
	    " JOIN person p ON p.id = e.person_id"
	    " WHERE e.program_id = ?1 AND e.role = 'mentor'"
	    " AND e.status <> 'withdrawn' ORDER BY p.email";
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc;

	*v = NULL;
	*n = 0;
	if ((st = db_prepare(db, sql, err)) == NULL)
		return -1;
	db_bind_int(st, 1, program_id);
	while ((rc = db_step_row(db, st, err)) == 1) {
		XGROW(*v, *n + 1, cap);
		(*v)[*n].person_id = sqlite3_column_int64(st, 0);
		(*v)[*n].email = xstrdup(db_col_text(st, 1));
		(*v)[*n].name = xstrdup(db_col_text(st, 2));
		(*n)++;
	}
	sqlite3_finalize(st);
	if (rc < 0) {
		pref_mentors_free(*v, *n);
		*v = NULL;
		*n = 0;
		return -1;
	}
	return 0;
}

void
pref_mentors_free(struct pref_mentor *v, size_t n)
{
	size_t i;

	for (i = 0; v != NULL && i < n; i++) {
		free(v[i].email);
		free(v[i].name);
	}
	free(v);
}

static int
cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return (x > y) - (x < y);
}

/* The mentees of v[n] (sorted, each once) whose ranks are set. */
static long long *
ranked_mentees(const struct pref_in *v, size_t n, size_t *nm)
{
	long long *m = xreallocarray(NULL, n ? n : 1, sizeof *m);
	size_t i, k = 0, j = 0;

	for (i = 0; i < n; i++)
		if (v[i].rank != 0)
			m[k++] = v[i].mentee_id;
	if (k > 1)
		xqsort(m, k, sizeof *m, cmp_ll);
	for (i = 0; i < k; i++)
		if (j == 0 || m[j - 1] != m[i])
			m[j++] = m[i];
	*nm = j;
	return m;
}

static void
bind_choice(sqlite3_stmt *st, int idx, enum pref_choice c)
{
	if (c <= PREF_CHOICE_NONE)
		sqlite3_bind_null(st, idx);
	else
		db_bind_text(st, idx, pref_choice_name(c));
}

int
store_pref_put(struct db *db, long long program_id,
    const struct pref_in *v, size_t n, const char *source,
    struct error *err)
{
	static const char clear_sql[] =
	    "UPDATE preference SET rank = NULL, updated_at = ?3"
	    " WHERE program_id = ?1 AND mentee_id = ?2 AND rank IS NOT NULL";
	/* ?4..?7: keep flags; the values follow */
	static const char put_sql[] =
	    "INSERT INTO preference (program_id, mentee_id, mentor_id, rank,"
	    " rating, mentor_choice, mentee_choice, source, updated_at)"
	    " VALUES (?1, ?2, ?3, ?8, ?9, ?10, ?11, ?12, ?13)"
	    " ON CONFLICT (program_id, mentee_id, mentor_id) DO UPDATE SET"
	    " rank = CASE WHEN ?4 THEN rank ELSE excluded.rank END,"
	    " rating = CASE WHEN ?5 THEN rating ELSE excluded.rating END,"
	    " mentor_choice = CASE WHEN ?6 THEN mentor_choice"
	    "  ELSE excluded.mentor_choice END,"
	    " mentee_choice = CASE WHEN ?7 THEN mentee_choice"
	    "  ELSE excluded.mentee_choice END,"
	    " source = excluded.source, updated_at = excluded.updated_at";
	static const char empty_sql[] =
	    "DELETE FROM preference WHERE program_id = ?1 AND rank IS NULL"
	    " AND rating IS NULL AND mentor_choice IS NULL"
	    " AND mentee_choice IS NULL";
	sqlite3_stmt *clear = NULL, *put = NULL, *empty = NULL;
	long long *mentees;
	size_t nmentees, i;
	char detail[160];
	int rc = -1;

	mentees = ranked_mentees(v, n, &nmentees);
	if ((clear = db_prepare(db, clear_sql, err)) == NULL ||
	    (put = db_prepare(db, put_sql, err)) == NULL ||
	    (empty = db_prepare(db, empty_sql, err)) == NULL)
		goto out;
	for (i = 0; i < nmentees; i++) {
		db_bind_int(clear, 1, program_id);
		db_bind_int(clear, 2, mentees[i]);
		db_bind_text(clear, 3, db_now(db));
		if (db_step_done(db, clear, err) != 0)
			goto out;
	}
	for (i = 0; i < n; i++) {
		db_bind_int(put, 1, program_id);
		db_bind_int(put, 2, v[i].mentee_id);
		db_bind_int(put, 3, v[i].mentor_id);
		db_bind_int(put, 4, v[i].rank == 0);
		db_bind_int(put, 5, v[i].rating == 0);
		db_bind_int(put, 6, v[i].mentor_choice == PREF_CHOICE_KEEP);
		db_bind_int(put, 7, v[i].mentee_choice == PREF_CHOICE_KEEP);
		if (v[i].rank > 0)
			db_bind_int(put, 8, v[i].rank);
		else
			sqlite3_bind_null(put, 8);
		if (v[i].rating > 0)
			db_bind_int(put, 9, v[i].rating);
		else
			sqlite3_bind_null(put, 9);
		bind_choice(put, 10, v[i].mentor_choice);
		bind_choice(put, 11, v[i].mentee_choice);
		db_bind_text(put, 12, source);
		db_bind_text(put, 13, db_now(db));
		if (db_step_done(db, put, err) != 0)
			goto out;
	}
	db_bind_int(empty, 1, program_id);
	if (db_step_done(db, empty, err) != 0)
		goto out;
	snprintf(detail, sizeof detail, "%zu pair%s from %.100s", n,
	    n == 1 ? "" : "s", source ? source : "?");
	rc = db_audit(db, "preference", program_id, "import", detail, err);
out:
	sqlite3_finalize(clear);
	sqlite3_finalize(put);
	sqlite3_finalize(empty);
	free(mentees);
	return rc;
}

int
store_conflict_put(struct db *db, long long program_id,
    const struct conflict_in *v, size_t n, size_t *added, struct error *err)
{
	static const char sql[] =
	    "INSERT INTO conflict (program_id, person_a, person_b, reason,"
	    " added_at) VALUES (?1, ?2, ?3, ?4, ?5)"
	    " ON CONFLICT (coalesce(program_id, 0), person_a, person_b)"
	    " DO UPDATE SET reason = coalesce(excluded.reason, reason)";
	static const char exists_sql[] =
	    "SELECT 1 FROM conflict WHERE coalesce(program_id, 0) = ?1"
	    " AND person_a = ?2 AND person_b = ?3";
	sqlite3_stmt *st = NULL, *ex = NULL;
	long long a, b;
	size_t i, k = 0;
	char detail[96];
	int rc = -1, r;

	if ((st = db_prepare(db, sql, err)) == NULL ||
	    (ex = db_prepare(db, exists_sql, err)) == NULL)
		goto out;
	for (i = 0; i < n; i++) {
		a = v[i].a < v[i].b ? v[i].a : v[i].b;
		b = v[i].a < v[i].b ? v[i].b : v[i].a;
		db_bind_int(ex, 1, program_id);
		db_bind_int(ex, 2, a);
		db_bind_int(ex, 3, b);
		if ((r = db_step_row(db, ex, err)) < 0)
			goto out;
		sqlite3_reset(ex);
		k += r == 0;
		if (program_id > 0)
			db_bind_int(st, 1, program_id);
		else
			sqlite3_bind_null(st, 1);
		db_bind_int(st, 2, a);
		db_bind_int(st, 3, b);
		db_bind_text(st, 4, v[i].reason && *v[i].reason ? v[i].reason :
		    NULL);
		db_bind_text(st, 5, db_now(db));
		if (db_step_done(db, st, err) != 0)
			goto out;
	}
	snprintf(detail, sizeof detail, "%zu pair%s (%zu new)", n,
	    n == 1 ? "" : "s", k);
	if (db_audit(db, "conflict", program_id > 0 ? program_id : 0,
	    "import", detail, err) != 0)
		goto out;
	if (added)
		*added = k;
	rc = 0;
out:
	sqlite3_finalize(st);
	sqlite3_finalize(ex);
	return rc;
}

int
store_preference_list(struct db *db, long long program_id, const char *email,
    int (*fn)(const struct preference_row *, void *), void *arg,
    struct error *err)
{
	static const char sql[] =
	    "SELECT t.email, m.email, p.rank, p.rating, p.mentee_choice,"
	    " p.mentor_choice, p.source, p.updated_at"
	    " FROM preference p JOIN person t ON t.id = p.mentee_id"
	    " JOIN person m ON m.id = p.mentor_id"
	    " WHERE p.program_id = ?1"
	    " AND (?2 IS NULL OR t.email = ?2 OR m.email = ?2)"
	    " ORDER BY t.email, p.rank IS NULL, p.rank, m.email";
	struct preference_row r;
	sqlite3_stmt *st;
	int rc;

	if ((st = db_prepare(db, sql, err)) == NULL)
		return -1;
	db_bind_int(st, 1, program_id);
	db_bind_text(st, 2, email);
	while ((rc = db_step_row(db, st, err)) == 1) {
		r.mentee = db_col_text(st, 0);
		r.mentor = db_col_text(st, 1);
		r.rank = sqlite3_column_int(st, 2);
		r.rating = sqlite3_column_int(st, 3);
		r.mentee_choice = db_col_text_or_null(st, 4);
		r.mentor_choice = db_col_text_or_null(st, 5);
		r.source = db_col_text_or_null(st, 6);
		r.updated_at = db_col_text(st, 7);
		if ((rc = fn(&r, arg)) != 0) {
			rc = -1;
			break;
		}
	}
	sqlite3_finalize(st);
	return rc < 0 ? -1 : 0;
}

int
store_conflict_list(struct db *db, long long program_id,
    int (*fn)(const struct conflict_row *, void *), void *arg,
    struct error *err)
{
	static const char sql[] =
	    "SELECT g.slug, a.email, b.email, c.reason, c.added_at"
	    " FROM conflict c JOIN person a ON a.id = c.person_a"
	    " JOIN person b ON b.id = c.person_b"
	    " LEFT JOIN program g ON g.id = c.program_id"
	    " WHERE ?1 = 0 OR c.program_id IS NULL OR c.program_id = ?1"
	    " ORDER BY g.slug IS NOT NULL, g.slug, a.email, b.email";
	struct conflict_row r;
	sqlite3_stmt *st;
	int rc;

	if ((st = db_prepare(db, sql, err)) == NULL)
		return -1;
	db_bind_int(st, 1, program_id);
	while ((rc = db_step_row(db, st, err)) == 1) {
		r.program = db_col_text_or_null(st, 0);
		r.a = db_col_text(st, 1);
		r.b = db_col_text(st, 2);
		r.reason = db_col_text_or_null(st, 3);
		r.added_at = db_col_text(st, 4);
		if ((rc = fn(&r, arg)) != 0) {
			rc = -1;
			break;
		}
	}
	sqlite3_finalize(st);
	return rc < 0 ? -1 : 0;
}

int
store_override_pairs(struct db *db, long long program_id,
    struct override_pair **v, size_t *n, struct error *err)
{
	static const char sql[] =
	    "SELECT mentee_id, mentor_id FROM pair_override WHERE program_id = ?1"
	    " ORDER BY mentee_id, mentor_id";
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc;

	*v = NULL;
	*n = 0;
	if ((st = db_prepare(db, sql, err)) == NULL)
		return -1;
	db_bind_int(st, 1, program_id);
	while ((rc = db_step_row(db, st, err)) == 1) {
		XGROW(*v, *n + 1, cap);
		(*v)[*n].mentee_id = sqlite3_column_int64(st, 0);
		(*v)[*n].mentor_id = sqlite3_column_int64(st, 1);
		(*n)++;
	}
	sqlite3_finalize(st);
	if (rc < 0) {
		free(*v);
		*v = NULL;
		*n = 0;
		return -1;
	}
	return 0;
}

int
store_override_put(struct db *db, long long program_id,
    const struct override_in *v, size_t n, size_t *changed,
    struct error *err)
{
	static const char get_sql[] =
	    "SELECT coalesce(bonus, 0), veto, fixed FROM pair_override"
	    " WHERE program_id = ?1 AND mentee_id = ?2 AND mentor_id = ?3";
	static const char put_sql[] =
	    "INSERT INTO pair_override (program_id, mentee_id, mentor_id,"
	    " bonus, veto, fixed, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
	    " ON CONFLICT (program_id, mentee_id, mentor_id) DO UPDATE SET"
	    " bonus = excluded.bonus, veto = excluded.veto,"
	    " fixed = excluded.fixed, updated_at = excluded.updated_at";
	static const char del_sql[] =
	    "DELETE FROM pair_override WHERE program_id = ?1 AND mentee_id = ?2"
	    " AND mentor_id = ?3";
	sqlite3_stmt *get = NULL, *put = NULL, *del = NULL;
	int bonus, veto, fixed, nb, nv, nf, r, rc = -1;
	size_t i, k = 0;
	char detail[64];

	if ((get = db_prepare(db, get_sql, err)) == NULL ||
	    (put = db_prepare(db, put_sql, err)) == NULL ||
	    (del = db_prepare(db, del_sql, err)) == NULL)
		goto out;
	for (i = 0; i < n; i++) {
		db_bind_int(get, 1, program_id);
		db_bind_int(get, 2, v[i].mentee_id);
		db_bind_int(get, 3, v[i].mentor_id);
		if ((r = db_step_row(db, get, err)) < 0)
			goto out;
		bonus = r ? sqlite3_column_int(get, 0) : 0;
		veto = r ? sqlite3_column_int(get, 1) : 0;
		fixed = r ? sqlite3_column_int(get, 2) : 0;
		sqlite3_reset(get);
		nb = v[i].set_bonus ? v[i].bonus : bonus;
		nv = v[i].set_veto ? v[i].veto : veto;
		nf = v[i].set_fixed ? v[i].fixed : fixed;
		if (nb == bonus && nv == veto && nf == fixed)
			continue;
		k++;
		if (nb == 0 && !nv && !nf) {
			db_bind_int(del, 1, program_id);
			db_bind_int(del, 2, v[i].mentee_id);
			db_bind_int(del, 3, v[i].mentor_id);
			if (db_step_done(db, del, err) != 0)
				goto out;
			continue;
		}
		db_bind_int(put, 1, program_id);
		db_bind_int(put, 2, v[i].mentee_id);
		db_bind_int(put, 3, v[i].mentor_id);
		if (nb != 0)
			db_bind_int(put, 4, nb);
		else
			sqlite3_bind_null(put, 4);
		db_bind_int(put, 5, nv);
		db_bind_int(put, 6, nf);
		db_bind_text(put, 7, db_now(db));
		if (db_step_done(db, put, err) != 0)
			goto out;
	}
	snprintf(detail, sizeof detail, "%zu pair%s, %zu changed", n,
	    n == 1 ? "" : "s", k);
	if (db_audit(db, "pair_override", program_id, "import", detail,
	    err) != 0)
		goto out;
	if (changed)
		*changed = k;
	rc = 0;
out:
	sqlite3_finalize(get);
	sqlite3_finalize(put);
	sqlite3_finalize(del);
	return rc;
}
