/*
 * Eligibility as of today (ops/eligibility.h).
 */
#include "ops/eligibility.h"

#include <stdlib.h>
#include <string.h>

#include "core/program.h"
#include "ops/people.h"
#include "store/db.h"
#include "store/enrollment_store.h"
#include "store/program_store.h"

int
ops_eligibility_refresh(const struct ops_ctx *o, long long program_id,
    const struct program *p, struct elig_counts *counts, struct error *err)
{
	struct elig_counts local;
	size_t stale;
	bool own;

	if (counts == NULL)
		counts = &local;
	memset(counts, 0, sizeof *counts);
	/* Read first: most days nothing changed, and a read takes no lock. */
	if (store_enrollment_stale(o->db, program_id, p, o->today, &stale,
	    err) != 0)
		return -1;
	if (stale == 0)
		return 0;
	own = !db_in_transaction(o->db);
	if (!own)
		return store_enrollment_reevaluate(o->db, program_id, p,
		    o->today, NULL, 0, counts, err);
	/*
	 * A command that only reads (a listing, a report) writes the new
	 * statuses when it can; a database it may not write (read-only, or
	 * held by another writer past the timeout) is read as it is.
	 */
	if (db_begin(o->db, err) != 0 ||
	    store_enrollment_reevaluate(o->db, program_id, p, o->today, NULL,
	    0, counts, err) != 0 || db_commit(o->db, err) != 0) {
		if (db_in_transaction(o->db))
			db_rollback(o->db);
		if (err->code == EX_SOFTWARE)
			return -1;
		error_clear(err);
		memset(counts, 0, sizeof *counts);
	}
	return 0;
}

int
ops_eligibility_refresh_all(const struct ops_ctx *o, struct error *err)
{
	struct program_row *rows = NULL;
	struct program *p;
	size_t n = 0, i;
	long long id;
	int rc = 0;

	if (store_program_list(o->db, &rows, &n, err) != 0)
		return -1;
	for (i = 0; i < n && rc == 0; i++) {
		if (rows[i].mentors + rows[i].mentees == 0)
			continue;
		if ((rc = ops_program_load(o, rows[i].slug, &id, &p, err)) != 0)
			break;
		rc = ops_eligibility_refresh(o, id, p, NULL, err);
		program_free(p);
	}
	program_rows_free(rows, n);
	return rc;
}

int
ops_eligibility_refresh_people(const struct ops_ctx *o,
    const long long *person_ids, size_t n, struct error *err)
{
	if (db_in_transaction(o->db))
		return ops_reevaluate_people(o, person_ids, n, err);
	/* As above: a database that cannot be written is read as it is. */
	if (db_begin(o->db, err) != 0 ||
	    ops_reevaluate_people(o, person_ids, n, err) != 0 ||
	    db_commit(o->db, err) != 0) {
		if (db_in_transaction(o->db))
			db_rollback(o->db);
		if (err->code == EX_SOFTWARE)
			return -1;
		error_clear(err);
	}
	return 0;
}
