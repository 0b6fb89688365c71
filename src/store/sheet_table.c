#include "sheet_table.h"

#include <stdlib.h>
#include <string.h>

#include "util/strbuf.h"
#include "util/xmalloc.h"

#define SHEET_POINTER "mentorctl-sheet"

enum rows_col {
	ROWS_ROW,
	ROWS_ID,
	ROWS_FIELD,                 /* PEOPLE_NFIELDS columns, email first */
	ROWS_MASK = ROWS_FIELD + PEOPLE_NFIELDS,
	ROWS_WHAT,
	ROWS_ATTRS,
	ROWS_NCOLS
};

struct sheet_cursor {
	sqlite3_vtab_cursor base;
	const struct sheet_arg *a;
	enum sheet_view view;
	size_t i;                   /* row */
	size_t *order;              /* the attributes by name */
	struct strbuf keys;         /* "name": of order[j] at key[j]..key[j + 1] */
	size_t *key;
	struct strbuf what;
	struct strbuf attrs;
};

static const char rows_decl[] =
    "CREATE TABLE x(row INTEGER, id INTEGER, email TEXT COLLATE NOCASE,"
    " name TEXT, department TEXT, title TEXT, level INTEGER, hired_on TEXT,"
    " location TEXT, timezone TEXT, manager_email TEXT COLLATE NOCASE,"
    " mask INTEGER, what TEXT, attrs TEXT, sheet HIDDEN, view HIDDEN)";

static int
sheet_connect(sqlite3 *h, void *aux, int argc, const char *const *argv,
    sqlite3_vtab **out, char **errmsg)
{
	int rc;

	(void)aux;
	(void)argc;
	(void)argv;
	(void)errmsg;
	if ((rc = sqlite3_declare_vtab(h, rows_decl)) != SQLITE_OK)
		return rc;
	sqlite3_vtab_config(h, SQLITE_VTAB_INNOCUOUS);
	*out = xcalloc(1, sizeof **out);
	return SQLITE_OK;
}

static int
sheet_disconnect(sqlite3_vtab *vt)
{
	free(vt);
	return SQLITE_OK;
}

/*
 * The hidden arguments follow the columns: sheet, view.  Both are required and used whole; every other
 * constraint is left to SQLite, so that a join puts the sheet in the
 * outer loop and finds the stored rows by their indexes.
 */
static int
sheet_best_index(sqlite3_vtab *vt, sqlite3_index_info *info)
{
	int i, sheet = -1, view = -1;

	(void)vt;
	for (i = 0; i < info->nConstraint; i++) {
		const struct sqlite3_index_constraint *c = &info->aConstraint[i];

		if (c->op != SQLITE_INDEX_CONSTRAINT_EQ)
			continue;
		if (c->iColumn == ROWS_NCOLS && c->usable)
			sheet = i;
		else if (c->iColumn == ROWS_NCOLS + 1 && c->usable)
			view = i;
	}
	if (sheet < 0 || view < 0)
		return SQLITE_CONSTRAINT;
	info->aConstraintUsage[sheet].argvIndex = 1;
	info->aConstraintUsage[sheet].omit = 1;
	info->aConstraintUsage[view].argvIndex = 2;
	info->aConstraintUsage[view].omit = 1;
	info->estimatedCost = 4096;
	info->estimatedRows = 4096;
	return SQLITE_OK;
}

static int
sheet_open(sqlite3_vtab *vt, sqlite3_vtab_cursor **out)
{
	struct sheet_cursor *c = xcalloc(1, sizeof *c);

	(void)vt;
	strbuf_init(&c->keys);
	strbuf_init(&c->what);
	strbuf_init(&c->attrs);
	*out = &c->base;
	return SQLITE_OK;
}

static int
sheet_close(sqlite3_vtab_cursor *cur)
{
	struct sheet_cursor *c = (struct sheet_cursor *)cur;

	strbuf_release(&c->keys);
	strbuf_release(&c->what);
	strbuf_release(&c->attrs);
	free(c->order);
	free(c->key);
	free(c);
	return SQLITE_OK;
}

static bool
row_in_view(const struct people_row *r, enum sheet_view view)
{
	if (r->bad)
		return false;
	switch (view) {
	case SHEET_NEW:
		return r->state == PEOPLE_ROW_NEW;
	case SHEET_CHANGED:
		return r->state == PEOPLE_ROW_CHANGED;
	case SHEET_GOOD:
		return true;
	case SHEET_STORED:
		return r->id != 0;
	}
	return false;
}

/* From row i on, the first row in the view. */
static void
sheet_seek(struct sheet_cursor *c)
{
	const struct people_sheet *s = c->a ? c->a->s : NULL;

	if (s == NULL)
		return;
	while (c->i < s->nrows && !row_in_view(&s->rows[c->i], c->view))
		c->i++;
}

/*
 * The attributes by name (person.attrs keeps its names in order), and
 * each name as a JSON key, escaped once for the whole batch.
 */
static void
order_by_name(struct sheet_cursor *c, const struct people_sheet *s)
{
	size_t i, j, v;

	free(c->order);
	free(c->key);
	c->order = xcalloc(s->nattr + 1, sizeof *c->order);
	c->key = xcalloc(s->nattr + 1, sizeof *c->key);
	for (i = 0; i < s->nattr; i++) {
		v = i;
		for (j = i; j > 0 && strcmp(s->cols[s->attr_col[c->order[j - 1]]],
		    s->cols[s->attr_col[v]]) > 0; j--)
			c->order[j] = c->order[j - 1];
		c->order[j] = v;
	}
	strbuf_reset(&c->keys);
	for (j = 0; j < s->nattr; j++) {
		c->key[j] = c->keys.len;
		db_json_str(&c->keys, s->cols[s->attr_col[c->order[j]]]);
		strbuf_addch(&c->keys, ':');
	}
	c->key[s->nattr] = c->keys.len;
}

static int
sheet_filter(sqlite3_vtab_cursor *cur, int idx, const char *idxstr, int argc,
    sqlite3_value **argv)
{
	struct sheet_cursor *c = (struct sheet_cursor *)cur;

	(void)idx;
	(void)idxstr;
	c->a = argc == 2 ? sqlite3_value_pointer(argv[0], SHEET_POINTER) : NULL;
	c->view = argc == 2 ? (enum sheet_view)sqlite3_value_int(argv[1]) :
	    SHEET_GOOD;
	c->i = 0;
	if (c->a != NULL && c->a->s != NULL)
		order_by_name(c, c->a->s);
	sheet_seek(c);
	return SQLITE_OK;
}

static int
sheet_next(sqlite3_vtab_cursor *cur)
{
	struct sheet_cursor *c = (struct sheet_cursor *)cur;

	c->i++;
	sheet_seek(c);
	return SQLITE_OK;
}

static int
sheet_eof(sqlite3_vtab_cursor *cur)
{
	const struct sheet_cursor *c = (const struct sheet_cursor *)cur;

	return c->a == NULL || c->a->s == NULL || c->i >= c->a->s->nrows;
}

static void
result_cell(sqlite3_context *ctx, const char *cell)
{
	if (cell == NULL || *cell == '\0')
		sqlite3_result_null(ctx);
	else
		sqlite3_result_text(ctx, cell, -1, SQLITE_STATIC);
}

/* A standard field as the row sets it (NULL: no value). */
static void
result_field(sqlite3_context *ctx, const struct people_sheet *s,
    const struct people_row *r, int f)
{
	const char *cell;

	if (f == PEOPLE_EMAIL) {
		result_cell(ctx, r->email);
		return;
	}
	if (s->field_col[f] < 0 ||
	    (cell = people_cell(s, r->cells[s->field_col[f]])) == NULL) {
		sqlite3_result_null(ctx);
		return;
	}
	if (f == PEOPLE_LEVEL) {
		if (r->has_level)
			sqlite3_result_int(ctx, r->level);
		else
			sqlite3_result_null(ctx);
		return;
	}
	/* hired_on was parsed strictly: the cell is the stored form. */
	result_cell(ctx, cell);
}

/* The fields a row sets: those the file has a cell for (empty clears). */
static unsigned
row_mask(const struct people_sheet *s, const struct people_row *r)
{
	unsigned mask = 0;
	int f;

	for (f = PEOPLE_NAME; f < PEOPLE_NFIELDS; f++)
		if (s->field_col[f] >= 0 &&
		    people_cell(s, r->cells[s->field_col[f]]) != NULL)
			mask |= 1u << f;
	/* A file that only names people never respells them. */
	if (s->has_person_columns && !s->keep_empty)
		mask |= 1u << PEOPLE_EMAIL;
	return mask;
}

/*
 * The cell of attribute k when the row changes that attribute -- a value
 * to add or change, or "" to clear a stored one -- else NULL.
 */
static const char *
attr_change(const struct people_sheet *s, const struct people_row *r,
    size_t k)
{
	const char *cell = people_cell(s, r->cells[s->attr_col[k]]);

	if (cell == NULL || (*cell ? r->attr[k] == PEOPLE_ATTR_SAME :
	    r->attr[k] == PEOPLE_ATTR_NONE))
		return NULL;
	return cell;
}

/* "a@x from people.csv: name, level, skills": what an update changes. */
static const char *
row_what(struct sheet_cursor *c, const struct people_row *r)
{
	const struct people_sheet *s = c->a->s;
	struct strbuf *sb = &c->what;
	size_t head, k;
	int f;

	strbuf_reset(sb);
	strbuf_addf(sb, "%s from %s: ", r->email, c->a->source);
	head = sb->len;
	for (f = 0; f < PEOPLE_NFIELDS; f++)
		if (r->changed & (1u << f))
			strbuf_addf(sb, "%s%s", sb->len > head ? ", " : "",
			    people_fields[f]);
	for (k = 0; k < s->nattr; k++)
		if (attr_change(s, r, k) != NULL)
			strbuf_addf(sb, "%s%s", sb->len > head ? ", " : "",
			    s->cols[s->attr_col[k]]);
	return sb->buf;
}

/*
 * The attributes the row writes, as JSON (NULL: none to write).  A new
 * person's is the whole object, {"name": "value", ...} in name order,
 * empty cells left out.  A stored person's is a merge patch (RFC 7396,
 * json_patch): each value the row adds or changes, and null for each
 * one its empty cell clears; attributes the file has no column for stay.
 */
static const char *
row_attrs(struct sheet_cursor *c, const struct people_row *r)
{
	const struct people_sheet *s = c->a->s;
	struct strbuf *sb = &c->attrs;
	size_t j, k;
	bool patch = r->state != PEOPLE_ROW_NEW;

	if (s->nattr == 0 || (c->view != SHEET_NEW && c->view != SHEET_CHANGED))
		return NULL;
	strbuf_reset(sb);
	for (j = 0; j < s->nattr; j++) {
		const char *cell;

		k = c->order[j];
		cell = patch ? attr_change(s, r, k) :
		    people_cell(s, r->cells[s->attr_col[k]]);
		if (cell == NULL || (!patch && *cell == '\0'))
			continue;
		strbuf_addch(sb, sb->len == 0 ? '{' : ',');
		strbuf_add(sb, c->keys.buf + c->key[j], c->key[j + 1] - c->key[j]);
		if (*cell)
			db_json_str(sb, cell);
		else
			strbuf_addstr(sb, "null");
	}
	if (sb->len == 0 && patch)
		return NULL;
	if (sb->len == 0)
		strbuf_addch(sb, '{');
	strbuf_addch(sb, '}');
	return sb->buf;
}

static int
sheet_column(sqlite3_vtab_cursor *cur, sqlite3_context *ctx, int col)
{
	struct sheet_cursor *c = (struct sheet_cursor *)cur;
	const struct people_sheet *s = c->a->s;
	const struct people_row *r = &s->rows[c->i];

	if (col == ROWS_ROW) {
		sqlite3_result_int64(ctx, (sqlite3_int64)c->i);
		return SQLITE_OK;
	}
	if (col == ROWS_ID) {
		if (r->id != 0)
			sqlite3_result_int64(ctx, r->id);
		else
			sqlite3_result_null(ctx);
		return SQLITE_OK;
	}
	if (col >= ROWS_FIELD && col < ROWS_FIELD + PEOPLE_NFIELDS)
		result_field(ctx, s, r, col - ROWS_FIELD);
	else if (col == ROWS_MASK)
		sqlite3_result_int(ctx, (int)row_mask(s, r));
	else if (col == ROWS_WHAT)
		sqlite3_result_text(ctx, row_what(c, r), -1, SQLITE_TRANSIENT);
	else if (col == ROWS_ATTRS && row_attrs(c, r) != NULL)
		sqlite3_result_text(ctx, c->attrs.buf, (int)c->attrs.len,
		    SQLITE_TRANSIENT);
	else if (col == ROWS_ATTRS)
		sqlite3_result_null(ctx);
	return SQLITE_OK;
}

static int
sheet_rowid(sqlite3_vtab_cursor *cur, sqlite_int64 *rowid)
{
	const struct sheet_cursor *c = (const struct sheet_cursor *)cur;

	*rowid = (sqlite_int64)c->i;
	return SQLITE_OK;
}

/* Eponymous only (no xCreate): there is no table to create, only calls. */
static const sqlite3_module sheet_module = {
	.iVersion = 0,
	.xConnect = sheet_connect,
	.xBestIndex = sheet_best_index,
	.xDisconnect = sheet_disconnect,
	.xOpen = sheet_open,
	.xClose = sheet_close,
	.xFilter = sheet_filter,
	.xNext = sheet_next,
	.xEof = sheet_eof,
	.xColumn = sheet_column,
	.xRowid = sheet_rowid,
};

int
sheet_tables(struct db *db, struct error *err)
{
	if (db->sheet_tables)
		return 0;
	if (sqlite3_create_module(db->h, "sheet_rows", &sheet_module,
	    NULL) != SQLITE_OK)
		return db_fail(db, err, "sheet tables");
	db->sheet_tables = true;
	return 0;
}

int
sheet_bind(sqlite3_stmt *st, int idx, const struct sheet_arg *a)
{
	return sqlite3_bind_pointer(st, idx, (void *)a, SHEET_POINTER, NULL);
}
