#include "store/enrollment_store.h"
#include "store/pairing_store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/eligibility.h"
#include "db_int.h"
#include "util/strbuf.h"
#include "util/xmalloc.h"

const char *
enrollment_role_name(enum program_role role)
{
	return role == ROLE_MENTOR ? "mentor" : "mentee";
}

int
enrollment_role_parse(const char *s)
{
	if (strcmp(s, "mentor") == 0)
		return ROLE_MENTOR;
	if (strcmp(s, "mentee") == 0)
		return ROLE_MENTEE;
	return -1;
}

void
enrollment_row_free(struct enrollment_row *r)
{
	if (r == NULL)
		return;
	free(r->program);
	free(r->email);
	free(r->name);
	free(r->reason);
	free(r->goal);
	free(r->withdraw_reason);
	memset(r, 0, sizeof *r);
}

void
enrollment_rows_free(struct enrollment_row *rows, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		enrollment_row_free(&rows[i]);
	free(rows);
}

#define ENROLLMENT_SQL \
	"SELECT e.id, e.program_id, e.person_id, pr.slug, p.email, p.name," \
	" e.role, e.status, e.reason, e.capacity, e.goal, e.enrolled_on," \
	" e.eligible_on, e.withdrawn_on, e.withdraw_reason" \
	" FROM enrollment e JOIN person p ON p.id = e.person_id" \
	" JOIN program pr ON pr.id = e.program_id"

static void
read_row(sqlite3_stmt *st, struct enrollment_row *r)
{
	r->id = sqlite3_column_int64(st, 0);
	r->program_id = sqlite3_column_int64(st, 1);
	r->person_id = sqlite3_column_int64(st, 2);
	r->program = db_col_strdup(st, 3);
	r->email = db_col_strdup(st, 4);
	r->name = db_col_strdup(st, 5);
	r->role = strcmp(db_col_text(st, 6), "mentor") == 0 ? ROLE_MENTOR :
	    ROLE_MENTEE;
	r->status = (enum enrollment_status)enrollment_status_parse(
	    db_col_text(st, 7));
	r->reason = db_col_strdup(st, 8);
	r->has_capacity = sqlite3_column_type(st, 9) != SQLITE_NULL;
	r->capacity = sqlite3_column_int(st, 9);
	r->goal = db_col_strdup(st, 10);
	r->enrolled_on = db_col_date(st, 11);
	r->eligible_on = db_col_date(st, 12);
	r->withdrawn_on = db_col_date(st, 13);
	r->withdraw_reason = db_col_strdup(st, 14);
}

int
store_enrollment_of_person(struct db *db, long long person_id,
    long long program_id, struct enrollment_row **rows, size_t *n,
    struct error *err)
{
	static const char sql[] = ENROLLMENT_SQL
	    " WHERE e.person_id = ?1 AND (?2 = 0 OR e.program_id = ?2)"
	    " ORDER BY pr.slug, e.role DESC";
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc;

	*rows = NULL;
	*n = 0;
	if ((st = db_prepare(db, sql, err)) == NULL)
		return -1;
	db_bind_int(st, 1, person_id);
	db_bind_int(st, 2, program_id);
	while ((rc = db_step_row(db, st, err)) == 1) {
		XGROW(*rows, *n + 1, cap);
		memset(&(*rows)[*n], 0, sizeof **rows);
		read_row(st, &(*rows)[(*n)++]);
	}
	sqlite3_finalize(st);
	if (rc < 0) {
		enrollment_rows_free(*rows, *n);
		*rows = NULL;
		*n = 0;
		return -1;
	}
	return 0;
}

static void json_ids(struct strbuf *sb, const long long *ids, size_t n);

int
store_enrollment_list(struct db *db, long long program_id,
    const long long *person_ids, size_t n, int status,
    struct enrollment_row **rows, size_t *nrows, struct error *err)
{
	static const char sql[] = ENROLLMENT_SQL
	    " WHERE (?1 = 0 OR e.program_id = ?1)"
	    " AND (?2 IS NULL OR e.person_id IN (SELECT value FROM json_each(?2)))"
	    " AND (?3 IS NULL OR e.status = ?3)"
	    " ORDER BY pr.slug, p.email, e.role DESC";
	struct strbuf ids = STRBUF_INIT;
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc;

	*rows = NULL;
	*nrows = 0;
	if (person_ids && n == 0)
		return 0;
	if ((st = db_prepare(db, sql, err)) == NULL)
		return -1;
	db_bind_int(st, 1, program_id);
	if (person_ids) {
		json_ids(&ids, person_ids, n);
		sqlite3_bind_text(st, 2, ids.buf, (int)ids.len, SQLITE_TRANSIENT);
	}
	db_bind_text(st, 3, status >= 0 ?
	    enrollment_status_name((enum enrollment_status)status) : NULL);
	while ((rc = db_step_row(db, st, err)) == 1) {
		XGROW(*rows, *nrows + 1, cap);
		memset(&(*rows)[*nrows], 0, sizeof **rows);
		read_row(st, &(*rows)[(*nrows)++]);
	}
	sqlite3_finalize(st);
	strbuf_release(&ids);
	if (rc < 0) {
		enrollment_rows_free(*rows, *nrows);
		*rows = NULL;
		*nrows = 0;
		return -1;
	}
	return 0;
}

/* ---- create and update ---- */

struct put_stmts {
	sqlite3_stmt *get;
	sqlite3_stmt *add;
	sqlite3_stmt *update;
};

static void
put_stmts_free(struct put_stmts *q)
{
	sqlite3_finalize(q->get);
	sqlite3_finalize(q->add);
	sqlite3_finalize(q->update);
}

static int
put_stmts_prepare(struct db *db, struct put_stmts *q, struct error *err)
{
	static const char get_sql[] =
	    "SELECT id, capacity, goal, status,"
	    " coalesce(withdrawn_on, completed_on) FROM enrollment"
	    " WHERE program_id = ?1 AND person_id = ?2 AND role = ?3";
	static const char add_sql[] =
	    "INSERT INTO enrollment (program_id, person_id, role, capacity, goal,"
	    " status, enrolled_on) VALUES (?1, ?2, ?3, ?4, ?5, 'pending', ?6)";
	/*
	 * ?5: re-activate a withdrawn (or completed) enrollment as if enrolled
	 * today.
	 */
	static const char update_sql[] =
	    "UPDATE enrollment SET capacity = ?2, goal = ?3,"
	    " status = CASE WHEN ?5 THEN 'pending' ELSE status END,"
	    " reason = CASE WHEN ?5 THEN NULL ELSE reason END,"
	    " enrolled_on = CASE WHEN ?5 THEN ?4 ELSE enrolled_on END,"
	    " eligible_on = CASE WHEN ?5 THEN NULL ELSE eligible_on END,"
	    " withdrawn_on = CASE WHEN ?5 THEN NULL ELSE withdrawn_on END,"
	    " withdraw_reason = CASE WHEN ?5 THEN NULL ELSE withdraw_reason END,"
	    " completed_on = CASE WHEN ?5 THEN NULL ELSE completed_on END"
	    " WHERE id = ?1";

	memset(q, 0, sizeof *q);
	if ((q->get = db_prepare(db, get_sql, err)) == NULL ||
	    (q->add = db_prepare(db, add_sql, err)) == NULL ||
	    (q->update = db_prepare(db, update_sql, err)) == NULL) {
		put_stmts_free(q);
		return -1;
	}
	return 0;
}

static void
bind_capacity(sqlite3_stmt *st, int idx, int capacity)
{
	if (capacity < 0)
		sqlite3_bind_null(st, idx);
	else
		db_bind_int(st, idx, capacity);
}

static const char *
goal_or_null(const char *goal)
{
	return goal && *goal ? goal : NULL;
}

static int
put_new(struct db *db, struct put_stmts *q, const struct enrollment_in *in,
    int today, struct enrollment_out *out, struct error *err)
{
	sqlite3_stmt *st = q->add;

	db_bind_int(st, 1, in->program_id);
	db_bind_int(st, 2, in->person_id);
	db_bind_text(st, 3, enrollment_role_name(in->role));
	bind_capacity(st, 4, in->set_capacity ? in->capacity : -1);
	db_bind_text(st, 5, in->set_goal ? goal_or_null(in->goal) : NULL);
	db_bind_date(st, 6, today);
	if (db_step_done(db, st, err) != 0)
		return -1;
	out->id = sqlite3_last_insert_rowid(db->h);
	out->action = ENROLL_CREATED;
	return 0;
}

static bool
same_text(const char *a, const char *b)
{
	return a == NULL || b == NULL ? a == b : strcmp(a, b) == 0;
}

static int
put_one(struct db *db, struct put_stmts *q, const struct enrollment_in *in,
    int today, struct enrollment_out *out, struct error *err)
{
	sqlite3_stmt *st = q->get;
	int found, old_capacity, capacity;
	const char *goal;
	char *old_goal;
	bool withdrawn;
	int rc = 0;

	out->withdrawn_on = DATE_NONE;
	out->was_completed = false;
	db_bind_int(st, 1, in->program_id);
	db_bind_int(st, 2, in->person_id);
	db_bind_text(st, 3, enrollment_role_name(in->role));
	if ((found = db_step_row(db, st, err)) < 0)
		return -1;
	if (!found) {
		sqlite3_reset(st);
		return put_new(db, q, in, today, out, err);
	}
	out->id = sqlite3_column_int64(st, 0);
	old_capacity = sqlite3_column_type(st, 1) == SQLITE_NULL ? -1 :
	    sqlite3_column_int(st, 1);
	old_goal = db_col_strdup(st, 2);
	/* a completed enrollment comes back like a withdrawn one */
	out->was_completed = strcmp(db_col_text(st, 3), "completed") == 0;
	withdrawn = strcmp(db_col_text(st, 3), "withdrawn") == 0 ||
	    out->was_completed;
	out->withdrawn_on = db_col_date(st, 4);
	sqlite3_reset(st);

	capacity = !in->set_capacity ? old_capacity :
	    in->capacity < 0 ? -1 : in->capacity;
	if (old_capacity < 0 && in->default_capacity > 0 &&
	    capacity == in->default_capacity)
		capacity = -1;
	goal = in->set_goal ? goal_or_null(in->goal) : old_goal;
	if (!withdrawn && capacity == old_capacity && same_text(goal, old_goal)) {
		out->action = ENROLL_UNCHANGED;
		goto out;
	}
	st = q->update;
	db_bind_int(st, 1, out->id);
	bind_capacity(st, 2, capacity);
	db_bind_text(st, 3, goal);
	db_bind_date(st, 4, today);
	db_bind_int(st, 5, withdrawn);
	rc = db_step_done(db, st, err);
	out->action = withdrawn ? ENROLL_REACTIVATED : ENROLL_UPDATED;
out:
	free(old_goal);
	return rc;
}

int
store_enrollment_put(struct db *db, const struct enrollment_in *v, size_t n,
    int today, struct enrollment_out *out, struct error *err)
{
	static const char *const action[] = {
		[ENROLL_CREATED] = "enroll",
		[ENROLL_UPDATED] = "update",
		[ENROLL_REACTIVATED] = "reenroll",
	};
	struct put_stmts q;
	char detail[200];
	size_t i;
	int rc = -1;

	if (put_stmts_prepare(db, &q, err) != 0)
		return -1;
	for (i = 0; i < n; i++) {
		if (put_one(db, &q, &v[i], today, &out[i], err) != 0)
			goto out;
		if (out[i].action == ENROLL_UNCHANGED)
			continue;
		snprintf(detail, sizeof detail, "%.100s as %s",
		    v[i].email ? v[i].email : "?", enrollment_role_name(v[i].role));
		if (db_audit(db, "enrollment", out[i].id, action[out[i].action],
		    detail, err) != 0)
			goto out;
	}
	rc = 0;
out:
	put_stmts_free(&q);
	return rc;
}

/* ---- eligibility ---- */

/* A JSON array of ids, for json_each(): one set query, not one per id. */
static void
json_ids(struct strbuf *sb, const long long *ids, size_t n)
{
	char digits[24];
	size_t i, k;
	long long v;

	strbuf_addch(sb, '[');
	for (i = 0; i < n; i++) {
		/* By hand: printf would be most of the cost for 100,000 ids. */
		if (i > 0)
			strbuf_addch(sb, ',');
		if ((v = ids[i]) < 0) {
			strbuf_addch(sb, '-');
			v = -v;
		}
		k = sizeof digits;
		do {
			digits[--k] = (char)('0' + v % 10);
			v /= 10;
		} while (v > 0);
		strbuf_add(sb, digits + k, sizeof digits - k);
	}
	strbuf_addch(sb, ']');
}

/* A verdict to store once the reading statement is done. */
struct verdict {
	long long id;
	bool eligible;
	char *reason;
};

/*
 * The trainings column: name US date, records separated by RS.  Training
 * names hold no control characters (people_training_name), so the
 * separators cannot occur in them.
 */
static size_t
parse_trainings(char *s, struct elig_training **v, size_t *cap)
{
	size_t n = 0;
	char *rec, *us;

	while (s && *s) {
		rec = s;
		if ((s = strchr(s, '\x1e')) != NULL)
			*s++ = '\0';
		XGROW(*v, n + 1, *cap);
		(*v)[n].name = rec;
		(*v)[n].completed_on = DATE_NONE;
		if ((us = strchr(rec, '\x1f')) != NULL) {
			*us = '\0';
			if (date_parse(us + 1, &(*v)[n].completed_on) != 0)
				(*v)[n].completed_on = DATE_NONE;
		}
		n++;
	}
	return n;
}

static int
collect_verdicts(struct db *db, long long program_id, const struct program *p,
    int today, const long long *person_ids, size_t n, struct verdict **vv,
    size_t *nv, struct elig_counts *counts, struct error *err)
{
	static const char sql[] =
	    "SELECT e.id, e.role, e.status, e.reason, p.hired_on, p.level,"
	    " (SELECT group_concat(t.name || char(31) || t.completed_on, char(30))"
	    "   FROM training t WHERE t.person_id = p.id)"
	    " FROM enrollment e JOIN person p ON p.id = e.person_id"
	    " WHERE e.program_id = ?1 AND e.status IN ('pending', 'eligible')"
	    " AND (?2 IS NULL OR e.person_id IN (SELECT value FROM json_each(?2)))"
	    " ORDER BY e.id";
	struct strbuf ids = STRBUF_INIT;
	struct elig_training *tv = NULL;
	size_t tcap = 0, cap = 0;
	sqlite3_stmt *st;
	int rc;

	if ((st = db_prepare(db, sql, err)) == NULL)
		return -1;
	db_bind_int(st, 1, program_id);
	if (person_ids) {
		json_ids(&ids, person_ids, n);
		sqlite3_bind_text(st, 2, ids.buf, (int)ids.len, SQLITE_TRANSIENT);
	}
	while ((rc = db_step_row(db, st, err)) == 1) {
		const struct program_eligibility *rules;
		struct elig_person person;
		char *trainings = db_col_strdup(st, 6), *reason;
		const char *old = (const char *)sqlite3_column_text(st, 3);
		bool was_eligible = strcmp(db_col_text(st, 2), "eligible") == 0;
		int ok;

		rules = strcmp(db_col_text(st, 1), "mentor") == 0 ?
		    &p->mentor.eligibility : &p->mentee.eligibility;
		person.hired_on = db_col_date(st, 4);
		person.has_level = sqlite3_column_type(st, 5) != SQLITE_NULL;
		person.level = sqlite3_column_int(st, 5);
		person.ntrainings = parse_trainings(trainings, &tv, &tcap);
		person.trainings = tv;
		ok = elig_evaluate(rules, &person, today, &reason);
		free(trainings);
		counts->evaluated++;
		counts->eligible += ok;
		if (ok == was_eligible && (ok || (old && reason &&
		    strcmp(old, reason) == 0))) {
			free(reason);
			continue;
		}
		XGROW(*vv, *nv + 1, cap);
		(*vv)[*nv].id = sqlite3_column_int64(st, 0);
		(*vv)[*nv].eligible = ok;
		(*vv)[(*nv)++].reason = reason;
	}
	sqlite3_finalize(st);
	strbuf_release(&ids);
	free(tv);
	return rc < 0 ? -1 : 0;
}

int
store_enrollment_reevaluate(struct db *db, long long program_id,
    const struct program *p, int today, const long long *person_ids,
    size_t n, struct elig_counts *counts, struct error *err)
{
	static const char sql[] =
	    "UPDATE enrollment SET status = ?2, reason = ?3,"
	    " eligible_on = coalesce(eligible_on, ?4) WHERE id = ?1";
	struct elig_counts local = { 0, 0, 0 };
	struct verdict *vv = NULL;
	sqlite3_stmt *st = NULL;
	size_t nv = 0, i;
	int rc = -1;

	if (counts == NULL)
		counts = &local;
	memset(counts, 0, sizeof *counts);
	if (person_ids && n == 0)
		return 0;
	if (collect_verdicts(db, program_id, p, today, person_ids, n, &vv, &nv,
	    counts, err) != 0)
		goto out;
	if (nv > 0 && (st = db_prepare(db, sql, err)) == NULL)
		goto out;
	for (i = 0; i < nv; i++) {
		db_bind_int(st, 1, vv[i].id);
		db_bind_text(st, 2, vv[i].eligible ? "eligible" : "pending");
		db_bind_text(st, 3, vv[i].reason);
		db_bind_date(st, 4, vv[i].eligible ? today : DATE_NONE);
		if (db_step_done(db, st, err) != 0)
			goto out;
		if (db_audit(db, "enrollment", vv[i].id, vv[i].eligible ?
		    "eligible" : "pending", vv[i].reason, err) != 0)
			goto out;
	}
	counts->changed = nv;
	rc = 0;
out:
	sqlite3_finalize(st);
	for (i = 0; i < nv; i++)
		free(vv[i].reason);
	free(vv);
	return rc;
}

int
store_enrollment_stale(struct db *db, long long program_id,
    const struct program *p, int today, size_t *n, struct error *err)
{
	struct elig_counts counts = { 0, 0, 0 };
	struct verdict *vv = NULL;
	size_t nv = 0, i;
	int rc;

	rc = collect_verdicts(db, program_id, p, today, NULL, 0, &vv, &nv,
	    &counts, err);
	for (i = 0; i < nv; i++)
		free(vv[i].reason);
	free(vv);
	*n = nv;
	return rc;
}

int
store_enrollment_open(struct db *db, bool *any, struct error *err)
{
	long long v = 0;

	if (db_query_int(db, "SELECT EXISTS (SELECT 1 FROM enrollment"
	    " WHERE status IN ('pending', 'eligible'))", NULL, 0, &v, err) != 0)
		return -1;
	*any = v != 0;
	return 0;
}

int
store_enrollment_programs(struct db *db, const long long *person_ids,
    size_t n, char ***slugs, size_t *nslugs, struct error *err)
{
	static const char sql[] =
	    "SELECT DISTINCT pr.slug FROM enrollment e"
	    " JOIN program pr ON pr.id = e.program_id"
	    " WHERE e.status IN ('pending', 'eligible')"
	    " AND e.person_id IN (SELECT value FROM json_each(?1))"
	    " ORDER BY pr.slug";
	struct strbuf ids = STRBUF_INIT;
	sqlite3_stmt *st;
	size_t cap = 0;
	long long any;
	int rc;

	*slugs = NULL;
	*nslugs = 0;
	/* A large import into a database without enrollments: no set to build. */
	if (n == 0 || db_query_int(db, "SELECT EXISTS (SELECT 1 FROM enrollment"
	    " WHERE status IN ('pending', 'eligible'))", NULL, 0, &any, err) != 0)
		return n == 0 ? 0 : -1;
	if (!any)
		return 0;
	if ((st = db_prepare(db, sql, err)) == NULL)
		return -1;
	json_ids(&ids, person_ids, n);
	sqlite3_bind_text(st, 1, ids.buf, (int)ids.len, SQLITE_TRANSIENT);
	while ((rc = db_step_row(db, st, err)) == 1) {
		XGROW(*slugs, *nslugs + 1, cap);
		(*slugs)[(*nslugs)++] = db_col_strdup(st, 0);
	}
	sqlite3_finalize(st);
	strbuf_release(&ids);
	if (rc < 0) {
		enrollment_slugs_free(*slugs, *nslugs);
		*slugs = NULL;
		*nslugs = 0;
		return -1;
	}
	return 0;
}

void
enrollment_slugs_free(char **slugs, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(slugs[i]);
	free(slugs);
}

/* ---- capacity ---- */

int
store_enrollment_overloaded(struct db *db, long long program_id,
    int default_capacity, const long long *person_ids, size_t n,
    struct enrollment_overload **v, size_t *nv, struct error *err)
{
	static const char sql[] =
	    "SELECT email, places, load FROM (SELECT p.email AS email,"
	    " coalesce(e.capacity, ?2) AS places,"
	    " (SELECT count(*) FROM pairing q WHERE q.mentor_enrollment_id ="
	    "   e.id AND q.status IN ('proposed', 'active')) AS load"
	    " FROM enrollment e JOIN person p ON p.id = e.person_id"
	    " WHERE e.program_id = ?1 AND e.role = 'mentor'"
	    " AND e.status <> 'withdrawn'"
	    " AND (?3 IS NULL OR e.person_id IN (SELECT value FROM json_each(?3))))"
	    " WHERE load > places ORDER BY email";
	struct strbuf ids = STRBUF_INIT;
	struct enrollment_overload *o;
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc;

	*v = NULL;
	*nv = 0;
	if (person_ids && n == 0)
		return 0;
	if ((st = db_prepare(db, sql, err)) == NULL)
		return -1;
	db_bind_int(st, 1, program_id);
	db_bind_int(st, 2, default_capacity);
	if (person_ids) {
		json_ids(&ids, person_ids, n);
		sqlite3_bind_text(st, 3, ids.buf, (int)ids.len, SQLITE_TRANSIENT);
	}
	while ((rc = db_step_row(db, st, err)) == 1) {
		XGROW(*v, *nv + 1, cap);
		o = &(*v)[(*nv)++];
		o->email = db_col_strdup(st, 0);
		o->capacity = sqlite3_column_int(st, 1);
		o->load = sqlite3_column_int(st, 2);
	}
	sqlite3_finalize(st);
	strbuf_release(&ids);
	if (rc < 0) {
		enrollment_overloads_free(*v, *nv);
		*v = NULL;
		*nv = 0;
		return -1;
	}
	return 0;
}

void
enrollment_overloads_free(struct enrollment_overload *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i].email);
	free(v);
}

/* ---- withdraw ---- */

/* Run an UPDATE ... RETURNING id and audit each returned pairing. */
static int
close_pairings(struct db *db, const char *sql, long long enrollment_id,
    int today, const char *actor, const char *action, size_t *count,
    struct error *err)
{
	sqlite3_stmt *st;
	long long *ids = NULL;
	size_t n = 0, cap = 0, i;
	int rc;

	if ((st = db_prepare(db, sql, err)) == NULL)
		return -1;
	db_bind_int(st, 1, enrollment_id);
	db_bind_date(st, 2, today);
	if (sqlite3_bind_parameter_count(st) >= 3)
		db_bind_text(st, 3, actor);
	while ((rc = db_step_row(db, st, err)) == 1) {
		XGROW(ids, n + 1, cap);
		ids[n++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	for (i = 0; rc == 0 && i < n; i++)
		if (db_audit(db, "pairing", ids[i], action, "withdrawn", err) != 0)
			rc = -1;
	free(ids);
	*count = n;
	return rc < 0 ? -1 : 0;
}

int
store_enrollment_withdraw(struct db *db, long long enrollment_id,
    const char *reason, int today, const char *actor,
    struct withdraw_counts *c, struct error *err)
{
	static const char sql[] =
	    "UPDATE enrollment SET status = 'withdrawn', reason = NULL,"
	    " withdrawn_on = ?2, withdraw_reason = ?3 WHERE id = ?1";
	static const char decline_sql[] =
	    "UPDATE pairing SET status = 'declined', declined_on = ?2,"
	    " declined_by = ?3, decline_reason = 'withdrawn'"
	    " WHERE (mentor_enrollment_id = ?1 OR mentee_enrollment_id = ?1)"
	    " AND status = 'proposed' RETURNING id";
	static const char active_sql[] =
	    "SELECT id FROM pairing"
	    " WHERE (mentor_enrollment_id = ?1 OR mentee_enrollment_id = ?1)"
	    " AND status = 'active' ORDER BY id";
	long long *ids = NULL;
	size_t n = 0, cap = 0, i;
	sqlite3_stmt *st;
	int rc;

	memset(c, 0, sizeof *c);
	if ((st = db_prepare(db, sql, err)) == NULL)
		return -1;
	db_bind_int(st, 1, enrollment_id);
	db_bind_date(st, 2, today);
	db_bind_text(st, 3, reason && *reason ? reason : NULL);
	rc = db_step_done(db, st, err);
	sqlite3_finalize(st);
	if (rc != 0 || db_audit(db, "enrollment", enrollment_id, "withdraw",
	    reason && *reason ? reason : NULL, err) != 0)
		return -1;
	if (close_pairings(db, decline_sql, enrollment_id, today, actor,
	    "decline", &c->declined, err) != 0)
		return -1;
	/*
	 * Active pairings end the way `end` ends them, so that a partner left
	 * without an active pairing is eligible again.
	 */
	if ((st = db_prepare(db, active_sql, err)) == NULL)
		return -1;
	db_bind_int(st, 1, enrollment_id);
	while ((rc = db_step_row(db, st, err)) == 1) {
		XGROW(ids, n + 1, cap);
		ids[n++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	for (i = 0; rc == 0 && i < n; i++)
		if (store_pairing_end(db, ids[i], today, "withdrawn", NULL,
		    err) != 0)
			rc = -1;
	free(ids);
	c->ended = n;
	return rc < 0 ? -1 : 0;
}

/* ---- export ---- */

struct enrollment_cursor {
	struct db *db;
	sqlite3_stmt *st;
	struct enrollment_row row;
};

struct enrollment_cursor *
store_enrollment_cursor(struct db *db, long long program_id, struct error *err)
{
	static const char sql[] = ENROLLMENT_SQL
	    " WHERE ?1 = 0 OR e.program_id = ?1"
	    " ORDER BY pr.slug, p.email, e.role DESC";
	struct enrollment_cursor *c = xcalloc(1, sizeof *c);

	c->db = db;
	if ((c->st = db_prepare(db, sql, err)) == NULL) {
		free(c);
		return NULL;
	}
	db_bind_int(c->st, 1, program_id);
	return c;
}

int
store_enrollment_next(struct enrollment_cursor *c,
    const struct enrollment_row **row, struct error *err)
{
	int rc;

	enrollment_row_free(&c->row);
	if ((rc = db_step_row(c->db, c->st, err)) == 1) {
		read_row(c->st, &c->row);
		*row = &c->row;
	}
	return rc;
}

void
store_enrollment_cursor_free(struct enrollment_cursor *c)
{
	if (c == NULL)
		return;
	enrollment_row_free(&c->row);
	sqlite3_finalize(c->st);
	free(c);
}
