#include "store/person_store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "db_int.h"
#include "sheet_table.h"
#include "util/strbuf.h"
#include "util/xmalloc.h"

/*
 * Sets of values go to SQLite as one JSON array bound to one parameter and
 * read back with json_each(): a join against the person table's e-mail index
 * instead of a query per row.
 */
static void
json_add_str(struct strbuf *sb, const char *s)
{
	strbuf_addch(sb, sb->len == 0 ? '[' : ',');
	db_json_str(sb, s);
}

static void
json_close(struct strbuf *sb)
{
	if (sb->len == 0)
		strbuf_addch(sb, '[');
	strbuf_addch(sb, ']');
}

static int
bind_json(sqlite3_stmt *st, int idx, struct strbuf *sb)
{
	return sqlite3_bind_text(st, idx, sb->buf, (int)sb->len, SQLITE_TRANSIENT);
}

/* ---- import ---- */

/* Columns of PERSON_FIELDS_SQL after the id: field f is COL_EMAIL + f. */
enum {
	COL_ID,
	COL_EMAIL,
	COL_ROW = COL_EMAIL + PEOPLE_NFIELDS,	/* the sheet's row */
};

#define PERSON_FIELDS_SQL \
	"p.email, p.name, p.department, p.title, p.level, p.hired_on," \
	" p.location, p.timezone, p.manager_email"

/* Whether the stored column (col) holds what the row's cell f says. */
static bool
field_same(sqlite3_stmt *st, int col, const struct people_row *r, int f,
    const char *cell)
{
	switch (f) {
	case PEOPLE_EMAIL:
		return strcmp(db_col_text(st, col), cell) == 0;
	case PEOPLE_LEVEL:
		if (sqlite3_column_type(st, col) == SQLITE_NULL)
			return !r->has_level;
		return r->has_level && sqlite3_column_int(st, col) == r->level;
	case PEOPLE_HIRED_ON:
		return db_col_date(st, col) == r->hired_on;
	default:
		/* NULL and '' are both "nothing", as an empty cell is. */
		return strcmp(db_col_text(st, col), cell) == 0;
	}
}

static void
compare_person(sqlite3_stmt *st, struct people_sheet *s, struct people_row *r)
{
	const char *cell;
	int f;

	r->id = sqlite3_column_int64(st, COL_ID);
	r->state = PEOPLE_ROW_SAME;
	r->changed = 0;
	for (f = 0; f < PEOPLE_NFIELDS; f++) {
		if (s->field_col[f] < 0)
			continue;
		/*
		 * A file that only names people (enroll) never respells them,
		 * and enrollment files keep the stored spelling.
		 */
		if (f == PEOPLE_EMAIL && (!s->has_person_columns ||
		    s->keep_empty))
			continue;
		if ((cell = people_cell(s, r->cells[s->field_col[f]])) == NULL)
			continue;
		if (!field_same(st, COL_EMAIL + f, r, f, cell))
			r->changed |= 1u << f;
	}
	if (r->changed)
		r->state = PEOPLE_ROW_CHANGED;
}

/* The sheet's row of column col of st (a sheet_rows row number). */
static struct people_row *
sheet_row_of(struct people_sheet *s, sqlite3_stmt *st, int col)
{
	long long i = sqlite3_column_int64(st, col);

	return i >= 0 && (size_t)i < s->nrows ? &s->rows[i] : NULL;
}

static int
load_people(struct db *db, struct people_sheet *s, const struct sheet_arg *a,
    bool must_exist, struct error *err)
{
	static const char sql[] =
	    "SELECT p.id, " PERSON_FIELDS_SQL ", b.row"
	    " FROM sheet_rows(?1, ?2) b JOIN person p ON p.email = b.email";
	struct people_row *r;
	sqlite3_stmt *st;
	size_t i;
	int rc;

	if ((st = db_prepare(db, sql, err)) == NULL)
		return -1;
	sheet_bind(st, 1, a);
	db_bind_int(st, 2, SHEET_GOOD);
	while ((rc = db_step_row(db, st, err)) == 1)
		if ((r = sheet_row_of(s, st, COL_ROW)) != NULL)
			compare_person(st, s, r);
	sqlite3_finalize(st);
	if (rc < 0)
		return -1;
	if (!must_exist)
		return 0;
	for (i = 0; i < s->nrows; i++) {
		r = &s->rows[i];
		if (r->bad || r->id != 0)
			continue;
		people_sheet_problem(s, r->line, "email", "unknown person '%s' "
		    "(add a name column to create people from this file)",
		    r->email);
		r->bad = true;
	}
	return 0;
}

static long
attr_index(const struct people_sheet *s, const char *name)
{
	size_t k;

	for (k = 0; k < s->nattr; k++)
		if (strcmp(s->cols[s->attr_col[k]], name) == 0)
			return (long)k;
	return -1;
}

static int
load_attrs(struct db *db, struct people_sheet *s, const struct sheet_arg *a,
    struct error *err)
{
	static const char sql[] =
	    "SELECT b.row, a.name, a.value FROM sheet_rows(?1, ?2) b"
	    " JOIN person_attr a ON a.person_id = b.id"
	    " WHERE a.name IN (SELECT value FROM json_each(?3))";
	struct strbuf names = STRBUF_INIT;
	struct people_row *r;
	sqlite3_stmt *st;
	size_t i, k;
	long ak;
	int rc;

	for (k = 0; k < s->nattr; k++)
		json_add_str(&names, s->cols[s->attr_col[k]]);
	json_close(&names);
	if ((st = db_prepare(db, sql, err)) == NULL) {
		strbuf_release(&names);
		return -1;
	}
	sheet_bind(st, 1, a);
	db_bind_int(st, 2, SHEET_STORED);
	bind_json(st, 3, &names);
	strbuf_release(&names);
	while ((rc = db_step_row(db, st, err)) == 1) {
		if ((r = sheet_row_of(s, st, 0)) == NULL ||
		    (ak = attr_index(s, db_col_text(st, 1))) < 0)
			continue;
		r->attr[ak] = strcmp(db_col_text(st, 2),
		    r->cells[s->attr_col[ak]]) == 0 ? PEOPLE_ATTR_SAME :
		    PEOPLE_ATTR_DIFFERS;
	}
	sqlite3_finalize(st);
	if (rc < 0)
		return -1;
	for (i = 0; i < s->nrows; i++) {
		r = &s->rows[i];
		if (r->bad || r->state == PEOPLE_ROW_NEW)
			continue;
		for (k = 0; k < s->nattr; k++) {
			const char *cell = people_cell(s,
			    r->cells[s->attr_col[k]]);

			if (cell == NULL)
				continue;
			if (*cell == '\0' ? r->attr[k] != PEOPLE_ATTR_NONE :
			    r->attr[k] != PEOPLE_ATTR_SAME)
				r->state = PEOPLE_ROW_CHANGED;
		}
	}
	return 0;
}

static int
check_managers(struct db *db, struct people_sheet *s, struct error *err)
{
	static const char sql[] =
	    "SELECT p.email FROM json_each(?1) j JOIN person p"
	    " ON p.email = j.value";
	struct strbuf sb = STRBUF_INIT;
	const char **v;
	sqlite3_stmt *st;
	size_t i, n;
	int rc = 0;

	v = people_sheet_outside_managers(s, &n);
	if (n > 0) {
		for (i = 0; i < n; i++)
			json_add_str(&sb, v[i]);
		json_close(&sb);
		if ((st = db_prepare(db, sql, err)) == NULL) {
			rc = -1;
			goto out;
		}
		bind_json(st, 1, &sb);
		while ((rc = db_step_row(db, st, err)) == 1)
			people_sheet_manager_exists(s, db_col_text(st, 0));
		sqlite3_finalize(st);
		if (rc < 0)
			goto out;
	}
	people_sheet_check_managers(s);
	rc = 0;
out:
	free(v);
	strbuf_release(&sb);
	return rc;
}

int
store_person_prepare(struct db *db, struct people_sheet *s, bool must_exist,
    struct error *err)
{
	struct sheet_arg a = { s, s->name };
	size_t i;

	if (sheet_tables(db, err) != 0)
		return -1;
	for (i = 0; i < s->nrows; i++) {
		s->rows[i].state = PEOPLE_ROW_NEW;
		s->rows[i].id = 0;
	}
	if (load_people(db, s, &a, must_exist, err) != 0)
		return -1;
	if (s->nattr > 0 && load_attrs(db, s, &a, err) != 0)
		return -1;
	return 0;
}

int
store_person_any(struct db *db, bool *any, struct error *err)
{
	long long v = 0;

	if (db_query_int(db, "SELECT EXISTS (SELECT 1 FROM person)", NULL, 0,
	    &v, err) != 0)
		return -1;
	*any = v != 0;
	return 0;
}

int
store_person_check_managers(struct db *db, struct people_sheet *s,
    struct error *err)
{
	return check_managers(db, s, err);
}

/*
 * A batch is written with one statement per kind of change, each reading
 * the sheet through sheet_rows: a statement per row cost SQLite more in
 * starting and stopping the statement than in storing the row.  Every
 * CHECK, the e-mail index and the foreign keys are enforced as for any
 * insert.  ?1 is the sheet, ?2 the view.  The free attributes are one
 * JSON object in the row (schema.c, schema_person_attrs); an update
 * merges the sheet's patch into it and keeps the names in order.
 */
static const char create_sql[] =
    "INSERT INTO person (id, email, name, department, title, level,"
    " hired_on, location, timezone, manager_email, created_at, updated_at,"
    " attrs)"
    " SELECT id, email, coalesce(name, ''), department, title, level,"
    " hired_on, location, timezone, manager_email, ?3, ?3,"
    " coalesce(attrs, '{}')"
    " FROM sheet_rows(?1, ?2)";
/* mask has bit (1 << field) for each field the row sets. */
static const char update_sql[] =
    "UPDATE person SET"
    " email = CASE WHEN b.mask & 1 THEN b.email ELSE person.email END,"
    " name = CASE WHEN b.mask & 2 THEN coalesce(b.name, '')"
    "   ELSE person.name END,"
    " department = CASE WHEN b.mask & 4 THEN b.department"
    "   ELSE person.department END,"
    " title = CASE WHEN b.mask & 8 THEN b.title ELSE person.title END,"
    " level = CASE WHEN b.mask & 16 THEN b.level ELSE person.level END,"
    " hired_on = CASE WHEN b.mask & 32 THEN b.hired_on"
    "   ELSE person.hired_on END,"
    " location = CASE WHEN b.mask & 64 THEN b.location"
    "   ELSE person.location END,"
    " timezone = CASE WHEN b.mask & 128 THEN b.timezone"
    "   ELSE person.timezone END,"
    " manager_email = CASE WHEN b.mask & 256 THEN b.manager_email"
    "   ELSE person.manager_email END,"
    " attrs = CASE WHEN b.attrs IS NULL THEN person.attrs ELSE"
    "   (SELECT coalesce(json_group_object(key, value), '{}') FROM"
    "    (SELECT key, value FROM json_each(json_patch(person.attrs, b.attrs))"
    "     ORDER BY key)) END,"
    " updated_at = ?3"
    " FROM sheet_rows(?1, ?2) b WHERE person.id = b.id";
/* One audit row per person updated, naming what changed. */
static const char audit_update_sql[] =
    "INSERT INTO audit (at, actor, command, entity, entity_id, action,"
    " detail) SELECT ?3, ?4, ?5, 'person', id, 'update', what"
    " FROM sheet_rows(?1, ?2)";

static int
write_view(struct db *db, const char *sql, const struct sheet_arg *a,
    enum sheet_view view, struct error *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((st = db_prepare(db, sql, err)) == NULL)
		return -1;
	sheet_bind(st, 1, a);
	db_bind_int(st, 2, view);
	db_bind_text(st, 3, db_now(db));
	if (sql == audit_update_sql) {
		db_bind_text(st, 4, db->actor ? db->actor : "unknown");
		db_bind_text(st, 5, db->command ? db->command : "");
	}
	rc = db_step_done(db, st, err);
	sqlite3_finalize(st);
	return rc;
}

static int
max_person_id(struct db *db, long long *id, struct error *err)
{
	return db_query_int(db, "SELECT coalesce(max(id), 0) FROM person", NULL,
	    0, id, err);
}

/*
 * The people created from this part of the file, in one audit row: their
 * e-mails, with the file and its lines.  One row per person was a third
 * of a large import's time; the list keeps who was created, and when and
 * by whom.
 */
static int
audit_created(struct db *db, const struct people_sheet *s, const char *source,
    struct error *err)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i;
	int rc;

	strbuf_addf(&sb, "%.120s lines %ld-%ld: ", source,
	    s->nrows ? s->rows[0].line : 0L,
	    s->nrows ? s->rows[s->nrows - 1].line : 0L);
	for (i = 0; i < s->nrows; i++) {
		if (s->rows[i].bad || s->rows[i].state != PEOPLE_ROW_NEW)
			continue;
		if (sb.buf[sb.len - 1] != ' ')
			strbuf_add(&sb, ", ", 2);
		strbuf_addstr(&sb, s->rows[i].email);
	}
	rc = db_audit(db, "person", 0, "create", sb.buf, err);
	strbuf_release(&sb);
	return rc;
}

int
store_person_audit_file(struct db *db, const char *source, size_t nrows,
    const struct person_counts *c, struct error *err)
{
	char detail[256];

	if (c->created + c->updated == 0)
		return 0;
	snprintf(detail, sizeof detail, "%.120s: %zu people (%zu created, "
	    "%zu updated, %zu unchanged)", source, nrows, c->created,
	    c->updated, c->unchanged);
	return db_audit(db, "person", 0, "import", detail, err);
}

int
store_person_apply(struct db *db, struct people_sheet *s, const char *source,
    struct person_counts *c, struct error *err)
{
	struct sheet_arg a = { s, source };
	long long last_id;
	size_t i, created = 0, updated = 0;

	if (!people_sheet_ok(s))
		return error_set(err, EX_SOFTWARE, "import of a sheet with "
		    "problems");
	/* The rule person_attr's CHECK kept, now person.attrs's names'. */
	for (i = 0; i < s->nattr; i++) {
		const char *name = s->cols[s->attr_col[i]], *p;

		for (p = name; *p && !(*p >= 'A' && *p <= 'Z'); p++)
			;
		if (*name == '\0' || *p != '\0')
			return error_set(err, EX_SOFTWARE, "attribute name '%s' "
			    "is not lower case", name);
	}
	if (sheet_tables(db, err) != 0 || max_person_id(db, &last_id, err) != 0)
		return -1;
	/*
	 * New people take the ids SQLite would give them (one above the
	 * largest), in file order, so that their attributes can be written
	 * by the same set statement.
	 */
	for (i = 0; i < s->nrows; i++) {
		struct people_row *r = &s->rows[i];

		switch (r->state) {
		case PEOPLE_ROW_SAME:
			c->unchanged++;
			break;
		case PEOPLE_ROW_NEW:
			r->id = ++last_id;
			created++;
			break;
		case PEOPLE_ROW_CHANGED:
			updated++;
			break;
		}
	}
	c->created += created;
	c->updated += updated;
	if (created > 0 && write_view(db, create_sql, &a, SHEET_NEW, err) != 0)
		return -1;
	if (updated > 0 && write_view(db, update_sql, &a, SHEET_CHANGED,
	    err) != 0)
		return -1;
	if (updated > 0 && write_view(db, audit_update_sql, &a, SHEET_CHANGED,
	    err) != 0)
		return -1;
	if (created > 0 && audit_created(db, s, source, err) != 0)
		return -1;
	return 0;
}

/* ---- listing ---- */

/*
 * The filter as SQL over "person p": every parameter NULL (or 0) is "no
 * filter", so one statement serves every combination.
 */
#define PERSON_FILTER_SQL \
	" WHERE (?1 IS NULL OR p.department = ?1 COLLATE NOCASE)" \
	" AND (?2 IS NULL OR instr(lower(p.email || ' ' || p.name || ' ' ||" \
	"   coalesce(p.department, '') || ' ' || coalesce(p.title, '') || ' ' ||" \
	"   coalesce(p.location, '')), lower(?2)) > 0)" \
	" AND (?3 = 0 OR EXISTS (SELECT 1 FROM enrollment e" \
	"   WHERE e.person_id = p.id AND (?4 = 0 OR e.program_id = ?4)" \
	"   AND (?5 IS NULL OR e.role = ?5) AND (?6 IS NULL OR e.status = ?6)))"

static void
bind_filter(sqlite3_stmt *st, const struct person_filter *f)
{
	db_bind_text(st, 1, f->department);
	db_bind_text(st, 2, f->search && *f->search ? f->search : NULL);
	db_bind_int(st, 3, f->program_id || f->role || f->status);
	db_bind_int(st, 4, f->program_id);
	db_bind_text(st, 5, f->role ? (*f->role == ROLE_MENTOR ? "mentor" :
	    "mentee") : NULL);
	db_bind_text(st, 6, f->status ? enrollment_status_name(*f->status) :
	    NULL);
}

struct person_cursor {
	struct db *db;
	sqlite3_stmt *people;
	sqlite3_stmt *attrs;       /* NULL without attribute columns */
	bool attr_pending;         /* attrs holds a row not yet consumed */
	bool attr_done;
	const char *const *names;
	size_t nnames;
	const char **cells;        /* PEOPLE_NFIELDS + nnames */
	char **owned;              /* attribute values of the current row */
	bool by_enrollment;
};

struct person_cursor *
store_person_cursor(struct db *db, const struct person_filter *f,
    const char *const *attrs, size_t nattrs, struct error *err)
{
	static const char people_sql[] =
	    "SELECT p.id, " PERSON_FIELDS_SQL " FROM person p"
	    PERSON_FILTER_SQL " ORDER BY p.email";
	/* The filter's EXISTS holds for the person; the join picks the rows. */
	static const char enrollments_sql[] =
	    "SELECT p.id, " PERSON_FIELDS_SQL ", e.role, e.status, e.reason"
	    " FROM person p JOIN enrollment e ON e.person_id = p.id"
	    "   AND e.program_id = ?4 AND (?5 IS NULL OR e.role = ?5)"
	    "   AND (?6 IS NULL OR e.status = ?6)"
	    PERSON_FILTER_SQL " ORDER BY p.email, e.role DESC";
	/*
	 * The same order as people_sql, so the two merge by person; within
	 * a person, names are looked up (name_index), so no sort is needed.
	 */
	static const char attrs_sql[] =
	    "SELECT a.person_id, a.name, a.value FROM person p"
	    " JOIN person_attr a ON a.person_id = p.id"
	    PERSON_FILTER_SQL " ORDER BY p.email";
	struct person_cursor *c = xcalloc(1, sizeof *c);

	c->db = db;
	c->names = attrs;
	c->nnames = nattrs;
	c->cells = xcalloc(PEOPLE_NFIELDS + nattrs + 1, sizeof *c->cells);
	c->owned = xcalloc(nattrs + 1, sizeof *c->owned);
	c->by_enrollment = f->by_enrollment;
	if ((c->people = db_prepare(db, f->by_enrollment ? enrollments_sql :
	    people_sql, err)) == NULL)
		goto fail;
	bind_filter(c->people, f);
	if (nattrs > 0) {
		if ((c->attrs = db_prepare(db, attrs_sql, err)) == NULL)
			goto fail;
		bind_filter(c->attrs, f);
	}
	return c;
fail:
	store_person_cursor_free(c);
	return NULL;
}

static long
name_index(const struct person_cursor *c, const char *name)
{
	size_t lo = 0, hi = c->nnames;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int cmp = strcmp(c->names[mid], name);

		if (cmp == 0)
			return (long)mid;
		if (cmp < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

/* Copy the attributes of person id from the merged attribute statement. */
static int
collect_attrs(struct person_cursor *c, long long id, struct error *err)
{
	long k;
	int rc;

	for (;;) {
		if (!c->attr_pending) {
			if (c->attr_done)
				return 0;
			if ((rc = db_step_row(c->db, c->attrs, err)) < 0)
				return -1;
			if (rc == 0) {
				c->attr_done = true;
				return 0;
			}
			c->attr_pending = true;
		}
		if (sqlite3_column_int64(c->attrs, 0) != id)
			return 0;
		c->attr_pending = false;
		if ((k = name_index(c, db_col_text(c->attrs, 1))) >= 0) {
			free(c->owned[k]);
			c->owned[k] = db_col_strdup(c->attrs, 2);
			c->cells[PEOPLE_NFIELDS + k] = c->owned[k];
		}
	}
}

int
store_person_next(struct person_cursor *c, const char *const **cells,
    struct error *err)
{
	size_t i;
	int rc, f;

	if ((rc = db_step_row(c->db, c->people, err)) <= 0)
		return rc;
	for (f = 0; f < PEOPLE_NFIELDS; f++) {
		const char *v = (const char *)sqlite3_column_text(c->people, 1 + f);

		c->cells[f] = v && *v ? v : NULL;
	}
	for (i = 0; i < c->nnames; i++) {
		free(c->owned[i]);
		c->owned[i] = NULL;
		c->cells[PEOPLE_NFIELDS + i] = NULL;
	}
	if (c->attrs && collect_attrs(c, sqlite3_column_int64(c->people, 0),
	    err) != 0)
		return -1;
	*cells = c->cells;
	return 1;
}

void
store_person_enrollment(const struct person_cursor *c,
    enum program_role *role, enum enrollment_status *status,
    const char **reason)
{
	const int col = 1 + PEOPLE_NFIELDS;
	int st;

	*role = strcmp(db_col_text(c->people, col), "mentor") == 0 ?
	    ROLE_MENTOR : ROLE_MENTEE;
	st = enrollment_status_parse(db_col_text(c->people, col + 1));
	*status = st < 0 ? ENROLLMENT_PENDING : (enum enrollment_status)st;
	*reason = (const char *)sqlite3_column_text(c->people, col + 2);
}

void
store_person_cursor_free(struct person_cursor *c)
{
	size_t i;

	if (c == NULL)
		return;
	sqlite3_finalize(c->people);
	sqlite3_finalize(c->attrs);
	for (i = 0; i < c->nnames; i++)
		free(c->owned[i]);
	free(c->owned);
	free(c->cells);
	free(c);
}

int
store_person_attr_names(struct db *db, const struct person_filter *f,
    char ***names, size_t *n, struct error *err)
{
	static const char sql[] =
	    "SELECT DISTINCT a.name FROM person p"
	    " JOIN person_attr a ON a.person_id = p.id"
	    PERSON_FILTER_SQL " ORDER BY a.name";
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc;

	*names = NULL;
	*n = 0;
	if ((st = db_prepare(db, sql, err)) == NULL)
		return -1;
	bind_filter(st, f);
	while ((rc = db_step_row(db, st, err)) == 1) {
		XGROW(*names, *n + 1, cap);
		(*names)[(*n)++] = db_col_strdup(st, 0);
	}
	sqlite3_finalize(st);
	if (rc < 0) {
		person_names_free(*names, *n);
		*names = NULL;
		*n = 0;
		return -1;
	}
	return 0;
}

void
person_names_free(char **names, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

/* ---- one person ---- */

int
store_person_get(struct db *db, const char *email, struct person_rec *p,
    struct error *err)
{
	static const char sql[] =
	    "SELECT p.id, " PERSON_FIELDS_SQL " FROM person p WHERE p.email = ?1";
	static const char attr_sql[] =
	    "SELECT name, value FROM person_attr WHERE person_id = ?1"
	    " ORDER BY name";
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc, f;

	memset(p, 0, sizeof *p);
	if ((st = db_prepare(db, sql, err)) == NULL)
		return -1;
	db_bind_text(st, 1, email);
	rc = db_step_row(db, st, err);
	if (rc == 1) {
		p->id = sqlite3_column_int64(st, 0);
		for (f = 0; f < PEOPLE_NFIELDS; f++)
			if (*db_col_text(st, 1 + f))
				p->fields[f] = db_col_strdup(st, 1 + f);
	}
	sqlite3_finalize(st);
	if (rc == 0)
		return error_set(err, EX_DATAERR, "unknown person '%s'", email);
	if (rc < 0)
		return -1;
	if ((st = db_prepare(db, attr_sql, err)) == NULL)
		goto fail;
	db_bind_int(st, 1, p->id);
	while ((rc = db_step_row(db, st, err)) == 1) {
		XGROW(p->attrs, p->nattrs + 1, cap);
		p->attrs[p->nattrs].name = db_col_strdup(st, 0);
		p->attrs[p->nattrs++].value = db_col_strdup(st, 1);
	}
	sqlite3_finalize(st);
	if (rc == 0)
		return 0;
fail:
	person_rec_free(p);
	return -1;
}

void
person_rec_free(struct person_rec *p)
{
	size_t i;
	int f;

	if (p == NULL)
		return;
	for (f = 0; f < PEOPLE_NFIELDS; f++)
		free(p->fields[f]);
	for (i = 0; i < p->nattrs; i++) {
		free(p->attrs[i].name);
		free(p->attrs[i].value);
	}
	free(p->attrs);
	memset(p, 0, sizeof *p);
}

int
store_person_ids(struct db *db, const char *const *emails, size_t n,
    long long *ids, struct error *err)
{
	static const char sql[] =
	    "SELECT j.key, p.id FROM json_each(?1) j JOIN person p"
	    " ON p.email = j.value";
	struct strbuf sb = STRBUF_INIT;
	sqlite3_stmt *st;
	size_t i;
	long long k;
	int rc;

	for (i = 0; i < n; i++) {
		ids[i] = 0;
		json_add_str(&sb, emails[i]);
	}
	json_close(&sb);
	if ((st = db_prepare(db, sql, err)) == NULL) {
		strbuf_release(&sb);
		return -1;
	}
	bind_json(st, 1, &sb);
	while ((rc = db_step_row(db, st, err)) == 1) {
		k = sqlite3_column_int64(st, 0);
		if (k >= 0 && (size_t)k < n)
			ids[k] = sqlite3_column_int64(st, 1);
	}
	sqlite3_finalize(st);
	strbuf_release(&sb);
	return rc < 0 ? -1 : 0;
}

/* ---- trainings ---- */

int
store_training_add(struct db *db, const struct training_in *v, size_t n,
    struct training_out *out, struct error *err)
{
	static const char get_sql[] =
	    "SELECT id, completed_on FROM training WHERE person_id = ?1"
	    " AND name = ?2";
	static const char add_sql[] =
	    "INSERT INTO training (person_id, name, completed_on, recorded_at)"
	    " VALUES (?1, ?2, ?3, ?4)";
	static const char redate_sql[] =
	    "UPDATE training SET completed_on = ?2, recorded_at = ?3"
	    " WHERE id = ?1";
	sqlite3_stmt *get = NULL, *add = NULL, *redate = NULL;
	char detail[200], d1[DATE_BUFSZ], d2[DATE_BUFSZ];
	size_t i;
	long long id;
	int rc = -1, found;

	if ((get = db_prepare(db, get_sql, err)) == NULL ||
	    (add = db_prepare(db, add_sql, err)) == NULL ||
	    (redate = db_prepare(db, redate_sql, err)) == NULL)
		goto out;
	for (i = 0; i < n; i++) {
		db_bind_int(get, 1, v[i].person_id);
		db_bind_text(get, 2, v[i].name);
		if ((found = db_step_row(db, get, err)) < 0)
			goto out;
		id = found ? sqlite3_column_int64(get, 0) : 0;
		out[i].was = found ? db_col_date(get, 1) : DATE_NONE;
		sqlite3_reset(get);
		if (!found) {
			out[i].action = TRAINING_ADDED;
			db_bind_int(add, 1, v[i].person_id);
			db_bind_text(add, 2, v[i].name);
			db_bind_date(add, 3, v[i].on);
			db_bind_text(add, 4, db_now(db));
			if (db_step_done(db, add, err) != 0)
				goto out;
			id = sqlite3_last_insert_rowid(db->h);
			snprintf(detail, sizeof detail, "%.100s: %s on %s",
			    v[i].email, v[i].name, date_format(v[i].on, d1));
		} else if (out[i].was != v[i].on) {
			out[i].action = TRAINING_REDATED;
			db_bind_int(redate, 1, id);
			db_bind_date(redate, 2, v[i].on);
			db_bind_text(redate, 3, db_now(db));
			if (db_step_done(db, redate, err) != 0)
				goto out;
			snprintf(detail, sizeof detail, "%.100s: %s on %s (was %s)",
			    v[i].email, v[i].name, date_format(v[i].on, d1),
			    date_format(out[i].was, d2));
		} else {
			out[i].action = TRAINING_SAME;
			continue;
		}
		if (db_audit(db, "training", id, out[i].action == TRAINING_ADDED ?
		    "add" : "redate", detail, err) != 0)
			goto out;
	}
	rc = 0;
out:
	sqlite3_finalize(get);
	sqlite3_finalize(add);
	sqlite3_finalize(redate);
	return rc;
}

int
store_training_list(struct db *db, long long person_id,
    struct training_row **rows, size_t *n, struct error *err)
{
	static const char sql[] =
	    "SELECT name, completed_on, recorded_at FROM training"
	    " WHERE person_id = ?1 ORDER BY completed_on, name";
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc;

	*rows = NULL;
	*n = 0;
	if ((st = db_prepare(db, sql, err)) == NULL)
		return -1;
	db_bind_int(st, 1, person_id);
	while ((rc = db_step_row(db, st, err)) == 1) {
		XGROW(*rows, *n + 1, cap);
		(*rows)[*n].email = NULL;
		(*rows)[*n].name = db_col_strdup(st, 0);
		(*rows)[*n].completed_on = db_col_date(st, 1);
		(*rows)[(*n)++].recorded_at = db_col_strdup(st, 2);
	}
	sqlite3_finalize(st);
	if (rc < 0) {
		training_rows_free(*rows, *n);
		*rows = NULL;
		*n = 0;
		return -1;
	}
	return 0;
}

int
store_training_find(struct db *db, long long person_id, const char *name,
    struct training_row **rows, size_t *n, struct error *err)
{
	static const char sql[] =
	    "SELECT p.email, t.name, t.completed_on, t.recorded_at"
	    " FROM training t JOIN person p ON p.id = t.person_id"
	    " WHERE (?1 = 0 OR t.person_id = ?1) AND (?2 IS NULL OR t.name = ?2)"
	    " ORDER BY p.email, t.completed_on, t.name";
	struct training_row *r;
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc;

	*rows = NULL;
	*n = 0;
	if ((st = db_prepare(db, sql, err)) == NULL)
		return -1;
	db_bind_int(st, 1, person_id);
	db_bind_text(st, 2, name);
	while ((rc = db_step_row(db, st, err)) == 1) {
		XGROW(*rows, *n + 1, cap);
		r = &(*rows)[(*n)++];
		r->email = db_col_strdup(st, 0);
		r->name = db_col_strdup(st, 1);
		r->completed_on = db_col_date(st, 2);
		r->recorded_at = db_col_strdup(st, 3);
	}
	sqlite3_finalize(st);
	if (rc < 0) {
		training_rows_free(*rows, *n);
		*rows = NULL;
		*n = 0;
		return -1;
	}
	return 0;
}

int
store_training_remove(struct db *db, long long person_id, const char *email,
    const char *name, int *was, struct error *err)
{
	static const char sql[] =
	    "DELETE FROM training WHERE person_id = ?1 AND name = ?2"
	    " RETURNING id, completed_on";
	char detail[200], d[DATE_BUFSZ];
	sqlite3_stmt *st;
	long long id = 0;
	int rc;

	if ((st = db_prepare(db, sql, err)) == NULL)
		return -1;
	db_bind_int(st, 1, person_id);
	db_bind_text(st, 2, name);
	if ((rc = db_step_row(db, st, err)) == 1) {
		id = sqlite3_column_int64(st, 0);
		*was = db_col_date(st, 1);
		rc = db_step_row(db, st, err);
	}
	sqlite3_finalize(st);
	if (rc < 0)
		return -1;
	if (id == 0)
		return error_set(err, EX_DATAERR, "'%s' has no training '%s'",
		    email, name);
	snprintf(detail, sizeof detail, "%.100s: %s (completed %s)", email,
	    name, date_format(*was, d));
	return db_audit(db, "training", id, "remove", detail, err);
}

void
training_rows_free(struct training_row *rows, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(rows[i].email);
		free(rows[i].name);
		free(rows[i].recorded_at);
	}
	free(rows);
}

/* ---- pairings, for people show ---- */

int
store_person_pairings(struct db *db, long long person_id,
    struct person_pairing_row **rows, size_t *n, struct error *err)
{
	static const char sql[] =
	    "SELECT q.id, pr.slug, e.role, op.email, q.status, q.score,"
	    " coalesce(q.activated_on, q.proposed_on),"
	    " coalesce(q.ended_on, q.declined_on)"
	    " FROM enrollment e"
	    " JOIN pairing q ON q.mentor_enrollment_id = e.id"
	    "   OR q.mentee_enrollment_id = e.id"
	    " JOIN enrollment oe ON oe.id = CASE WHEN q.mentor_enrollment_id ="
	    "   e.id THEN q.mentee_enrollment_id ELSE q.mentor_enrollment_id END"
	    " JOIN person op ON op.id = oe.person_id"
	    " JOIN program pr ON pr.id = q.program_id"
	    " WHERE e.person_id = ?1 ORDER BY q.id";
	struct person_pairing_row *r;
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc;

	*rows = NULL;
	*n = 0;
	if ((st = db_prepare(db, sql, err)) == NULL)
		return -1;
	db_bind_int(st, 1, person_id);
	while ((rc = db_step_row(db, st, err)) == 1) {
		XGROW(*rows, *n + 1, cap);
		r = &(*rows)[(*n)++];
		r->id = sqlite3_column_int64(st, 0);
		r->program = db_col_strdup(st, 1);
		r->role = strcmp(db_col_text(st, 2), "mentor") == 0 ?
		    ROLE_MENTOR : ROLE_MENTEE;
		r->partner = db_col_strdup(st, 3);
		r->status = (enum pairing_status)pairing_status_parse(
		    db_col_text(st, 4));
		r->score = sqlite3_column_double(st, 5);
		r->since = db_col_date(st, 6);
		r->until = db_col_date(st, 7);
	}
	sqlite3_finalize(st);
	if (rc < 0) {
		person_pairing_rows_free(*rows, *n);
		*rows = NULL;
		*n = 0;
		return -1;
	}
	return 0;
}

void
person_pairing_rows_free(struct person_pairing_row *rows, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(rows[i].program);
		free(rows[i].partner);
	}
	free(rows);
}
