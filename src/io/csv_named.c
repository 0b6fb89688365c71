/*
 * Reading a CSV file by column name, for the imports whose columns are
 * named in the man page (preferences, conflicts, scores).
 */
#include "io/csv_named.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "io/csv.h"
#include "util/xmalloc.h"

struct csv_named {
	struct csv_reader *r;
	char **cols;
	size_t ncols;
	struct csv_record rec;
	long header_line;
	char **cells;              /* trimmed views of the current row */
	size_t cap;
};

/* s trimmed in place; its start. */
static char *
trim(char *s)
{
	size_t n;

	while (isspace((unsigned char)*s))
		s++;
	n = strlen(s);
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
	return s;
}

struct csv_named *
csv_named_open(const char *path, struct error *err)
{
	struct csv_named *r;
	size_t i;
	int rc;

	r = xcalloc(1, sizeof *r);
	if ((r->r = csv_open(path, err)) == NULL) {
		free(r);
		return NULL;
	}
	if ((rc = csv_next(r->r, &r->rec, err)) <= 0) {
		if (rc == 0)
			error_set(err, EX_DATAERR, "%s: empty file (expected a "
			    "header row first)", csv_name(r->r));
		csv_named_close(r);
		return NULL;
	}
	r->ncols = r->rec.nfields;
	r->header_line = r->rec.line;
	r->cols = xcalloc(r->ncols ? r->ncols : 1, sizeof *r->cols);
	for (i = 0; i < r->ncols; i++)
		r->cols[i] = xstrdup(trim(r->rec.fields[i]));
	return r;
}

size_t
csv_named_ncols(const struct csv_named *r)
{
	return r->ncols;
}

const char *
csv_named_header(const struct csv_named *r, size_t i)
{
	return i < r->ncols ? r->cols[i] : NULL;
}

long
csv_named_header_line(const struct csv_named *r)
{
	return r->header_line;
}

int
csv_named_col(const struct csv_named *r, const char *name)
{
	size_t i;

	for (i = 0; i < r->ncols; i++)
		if (strcasecmp(r->cols[i], name) == 0)
			return (int)i;
	return -1;
}

int
csv_named_next(struct csv_named *r, struct error *err)
{
	size_t i;
	int rc;

	if ((rc = csv_next(r->r, &r->rec, err)) != 1)
		return rc;
	if (r->rec.nfields > r->cap) {
		r->cap = r->rec.nfields;
		r->cells = xreallocarray(r->cells, r->cap, sizeof *r->cells);
	}
	for (i = 0; i < r->rec.nfields; i++) {
		char *c = trim(r->rec.fields[i]);

		/* our own formula guard, undone */
		if (c[0] == '\'' && c[1] != '\0' && strchr("=+-@\t\r", c[1]))
			c++;
		r->cells[i] = c;
	}
	return 1;
}

const char *
csv_named_get(struct csv_named *r, int col)
{
	if (col < 0 || (size_t)col >= r->rec.nfields)
		return NULL;
	return r->cells[col];
}

long
csv_named_line(const struct csv_named *r)
{
	return r->rec.line;
}

const char *
csv_named_name(const struct csv_named *r)
{
	return csv_name(r->r);
}

void
csv_named_close(struct csv_named *r)
{
	size_t i;

	if (r == NULL)
		return;
	csv_close(r->r);
	for (i = 0; i < r->ncols; i++)
		free(r->cols[i]);
	free(r->cols);
	free(r->cells);
	free(r);
}

int
csv_named_next_v(void *r, struct error *err)
{
	return csv_named_next(r, err);
}

const char *
csv_named_cell_v(void *r, const char *col)
{
	return csv_named_get(r, csv_named_col(r, col));
}

bool
csv_named_has_v(void *r, const char *col)
{
	return csv_named_col(r, col) >= 0;
}

long
csv_named_line_v(void *r)
{
	return csv_named_line(r);
}
