#include "store/calendar_store.h"

#include <stdio.h>
#include <string.h>

#include "db_int.h"
#include "util/xmalloc.h"

int
store_calendar_id(struct db *db, char **id, struct error *err)
{
	sqlite3_stmt *st;
	int rc;

	*id = NULL;
	if ((st = db_prepare(db, "SELECT value FROM instance"
	    " WHERE name = 'calendar-id'", err)) == NULL)
		return -1;
	if ((rc = db_step_row(db, st, err)) == 1)
		*id = db_col_strdup(st, 0);
	sqlite3_finalize(st);
	if (rc == 0)
		return error_set(err, EX_SOFTWARE, "the database has no "
		    "calendar id");
	return rc < 0 ? -1 : 0;
}

int
store_calendar_export(struct db *db, long long program_id,
    const char *const *uid, const char *const *digest, int *seq, size_t n,
    struct error *err)
{
	static const char get_sql[] =
	    "SELECT digest, sequence FROM calendar_event WHERE uid = ?1";
	static const char put_sql[] =
	    "INSERT INTO calendar_event (uid, program_id, digest, sequence,"
	    " exported_at) VALUES (?1, ?2, ?3, ?4, ?5)"
	    " ON CONFLICT (uid) DO UPDATE SET digest = excluded.digest,"
	    " sequence = excluded.sequence, exported_at = excluded.exported_at";
	sqlite3_stmt *get = NULL, *put = NULL;
	size_t i;
	int rc = -1, r;

	if ((get = db_prepare(db, get_sql, err)) == NULL ||
	    (put = db_prepare(db, put_sql, err)) == NULL)
		goto out;
	for (i = 0; i < n; i++) {
		bool same = false, known = false;

		db_bind_text(get, 1, uid[i]);
		if ((r = db_step_row(db, get, err)) < 0)
			goto out;
		seq[i] = 0;
		if (r == 1) {
			known = true;
			same = strcmp(db_col_text(get, 0), digest[i]) == 0;
			seq[i] = sqlite3_column_int(get, 1) + (same ? 0 : 1);
		}
		sqlite3_reset(get);
		if (known && same)
			continue;
		db_bind_text(put, 1, uid[i]);
		db_bind_int(put, 2, program_id);
		db_bind_text(put, 3, digest[i]);
		db_bind_int(put, 4, seq[i]);
		db_bind_text(put, 5, db_now(db));
		if (db_step_done(db, put, err) != 0)
			goto out;
		sqlite3_reset(put);
	}
	rc = 0;
out:
	sqlite3_finalize(get);
	sqlite3_finalize(put);
	return rc;
}
