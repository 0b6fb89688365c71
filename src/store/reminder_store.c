#include "store/reminder_store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "db_int.h"
#include "util/xmalloc.h"

#define REMINDER_KEY_BUFSZ 32

static void
reminder_key(const struct reminder *r, char buf[REMINDER_KEY_BUFSZ])
{
	snprintf(buf, REMINDER_KEY_BUFSZ, "pairing:%lld", r->pairing_id);
}

/* Binds the unique key at ?1 .. ?5. */
static void
reminder_bind_key(sqlite3_stmt *st, long long program_id,
    const struct reminder *r)
{
	char key[REMINDER_KEY_BUFSZ];

	reminder_key(r, key);
	db_bind_int(st, 1, program_id);
	db_bind_text(st, 2, key);
	db_bind_text(st, 3, remind_kind_name(r->kind));
	db_bind_date(st, 4, r->due_on);
	db_bind_text(st, 5, r->to.email);
}

static void
reminder_cutoff(time_t now, char buf[TIMESTAMP_BUFSZ])
{
	timestamp_format(now - REMINDER_CLAIM_TTL, buf);
}

int
store_reminder_programs(struct db *db, char ***slugs, size_t *n,
    struct error *err)
{
	sqlite3_stmt *st;
	size_t cap = 0;
	char **v = NULL;
	int rc;

	*slugs = NULL;
	*n = 0;
	if ((st = db_prepare(db, "SELECT slug FROM program ORDER BY slug",
	    err)) == NULL)
		return -1;
	while ((rc = db_step_row(db, st, err)) == 1) {
		XGROW(v, *n + 1, cap);
		v[(*n)++] = xstrdup(db_col_text(st, 0));
	}
	sqlite3_finalize(st);
	if (rc < 0) {
		reminder_programs_free(v, *n);
		*n = 0;
		return -1;
	}
	*slugs = v;
	return 0;
}

void
reminder_programs_free(char **slugs, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(slugs[i]);
	free(slugs);
}

/* A claim older than the TTL and not sent: to be retried. */
struct reminder_stale {
	char *key;
	char *kind;
	char *day;
	char *recipient;
};

struct reminder_check {
	struct db *db;
	sqlite3_stmt *st;
	bool own;                 /* the read transaction is ours to end */
	struct reminder_stale *stale;
	size_t nstale;
	char key[REMINDER_KEY_BUFSZ];
	char day[DATE_BUFSZ];
};

static void
reminder_check_free(struct reminder_check *c)
{
	size_t i;

	for (i = 0; i < c->nstale; i++) {
		free(c->stale[i].key);
		free(c->stale[i].kind);
		free(c->stale[i].day);
		free(c->stale[i].recipient);
	}
	free(c->stale);
	sqlite3_finalize(c->st);
	free(c);
}

/* Through the partial index reminder_claimed: usually nothing at all. */
static int
reminder_load_stale(struct reminder_check *c, long long program_id,
    time_t now, struct error *err)
{
	static const char sql[] =
	    "SELECT subject_key, kind, due_on, recipient FROM reminder"
	    " WHERE program_id = ? AND state = 'claimed' AND claimed_at < ?";
	char cutoff[TIMESTAMP_BUFSZ];
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc;

	reminder_cutoff(now, cutoff);
	if ((st = db_prepare(c->db, sql, err)) == NULL)
		return -1;
	db_bind_int(st, 1, program_id);
	db_bind_text(st, 2, cutoff);
	while ((rc = db_step_row(c->db, st, err)) == 1) {
		struct reminder_stale *x;

		XGROW(c->stale, c->nstale + 1, cap);
		x = &c->stale[c->nstale++];
		x->key = xstrdup(db_col_text(st, 0));
		x->kind = xstrdup(db_col_text(st, 1));
		x->day = xstrdup(db_col_text(st, 2));
		x->recipient = xstrdup(db_col_text(st, 3));
	}
	sqlite3_finalize(st);
	return rc;
}

static bool
reminder_is_stale(const struct reminder_check *c, const char *kind,
    const char *recipient)
{
	size_t i;

	for (i = 0; i < c->nstale; i++)
		if (strcmp(c->stale[i].key, c->key) == 0 &&
		    strcmp(c->stale[i].kind, kind) == 0 &&
		    strcmp(c->stale[i].day, c->day) == 0 &&
		    sqlite3_stricmp(c->stale[i].recipient, recipient) == 0)
			return true;
	return false;
}

struct reminder_check *
store_reminder_check_begin(struct db *db, long long program_id, time_t now,
    struct error *err)
{
	/*
	 * A prefix of the UNIQUE index's key, asking only for what the index
	 * holds (the recipient): no table row is read.  Every row found is
	 * sent or claimed; the stale claims among them come from
	 * reminder_load_stale.
	 */
	static const char sql[] =
	    "SELECT recipient FROM reminder WHERE program_id = ?1"
	    " AND subject_key = ?2 AND kind = ?3 AND due_on = ?4";
	struct reminder_check *c;

	c = xcalloc(1, sizeof *c);
	c->db = db;
	/*
	 * One read transaction for all the lookups: outside one, SQLite takes
	 * and drops its shared lock (fcntl, fstat) around every single step,
	 * which costs more than the lookups themselves.  Deferred: it writes
	 * nothing and blocks no writer.
	 */
	c->own = !db_in_transaction(db);
	if (c->own && db_exec(db, "BEGIN DEFERRED", err) != 0) {
		free(c);
		return NULL;
	}
	if ((c->st = db_prepare(db, sql, err)) == NULL ||
	    reminder_load_stale(c, program_id, now, err) != 0) {
		store_reminder_check_end(c);
		return NULL;
	}
	db_bind_int(c->st, 1, program_id);
	return c;
}

/*
 * "pairing:<id>" and "YYYY-MM-DD" without printf: this runs for every
 * reminder due, recorded or not, on every run.
 */
static void
reminder_fmt_key(char buf[REMINDER_KEY_BUFSZ], long long id)
{
	char digits[24];
	int n = 0;

	memcpy(buf, "pairing:", 8);
	do {
		digits[n++] = (char)('0' + id % 10);
		id /= 10;
	} while (id > 0 && n < (int)sizeof digits);
	buf += 8;
	while (n > 0)
		*buf++ = digits[--n];
	*buf = '\0';
}

static void
reminder_fmt_day(char buf[DATE_BUFSZ], int day)
{
	int y, m, d;

	date_to_ymd(day, &y, &m, &d);
	buf[0] = (char)('0' + y / 1000 % 10);
	buf[1] = (char)('0' + y / 100 % 10);
	buf[2] = (char)('0' + y / 10 % 10);
	buf[3] = (char)('0' + y % 10);
	buf[4] = '-';
	buf[5] = (char)('0' + m / 10);
	buf[6] = (char)('0' + m % 10);
	buf[7] = '-';
	buf[8] = (char)('0' + d / 10);
	buf[9] = (char)('0' + d % 10);
	buf[10] = '\0';
}

static bool
reminder_same_event(const struct reminder *a, const struct reminder *b)
{
	return a->pairing_id == b->pairing_id && a->kind == b->kind &&
	    a->due_on == b->due_on;
}

int
store_reminder_check(struct reminder_check *c, const struct reminder *v,
    size_t n, bool *recorded, struct error *err)
{
	const char *who;
	size_t i, j, k;
	int rc;

	for (i = 0; i < n; i = j) {
		for (j = i; j < n && reminder_same_event(&v[i], &v[j]); j++)
			recorded[j] = false;
		if (v[i].due_on == DATE_NONE)
			continue;
		reminder_fmt_key(c->key, v[i].pairing_id);
		reminder_fmt_day(c->day, v[i].due_on);
		sqlite3_bind_text(c->st, 2, c->key, -1, SQLITE_STATIC);
		sqlite3_bind_text(c->st, 3, remind_kind_name(v[i].kind), -1,
		    SQLITE_STATIC);
		sqlite3_bind_text(c->st, 4, c->day, -1, SQLITE_STATIC);
		while ((rc = db_step_row(c->db, c->st, err)) == 1) {
			who = db_col_text(c->st, 0);
			if (c->nstale > 0 && reminder_is_stale(c,
			    remind_kind_name(v[i].kind), who))
				continue;
			/* recipient is COLLATE NOCASE: compare as it does */
			for (k = i; k < j; k++)
				if (v[k].to.email != NULL &&
				    sqlite3_stricmp(who, v[k].to.email) == 0)
					recorded[k] = true;
		}
		sqlite3_reset(c->st);
		if (rc < 0)
			return -1;
	}
	return 0;
}

void
store_reminder_check_end(struct reminder_check *c)
{
	if (c == NULL)
		return;
	if (c->own)
		sqlite3_exec(c->db->h, "COMMIT", NULL, NULL, NULL);
	reminder_check_free(c);
}

/* Run one statement in its own short write transaction; its changes(). */
static int
reminder_write(struct db *db, sqlite3_stmt *st, struct error *err)
{
	int changed;

	if (db_begin(db, err) != 0)
		return -1;
	if (db_step_done(db, st, err) != 0) {
		db_rollback(db);
		return -1;
	}
	changed = sqlite3_changes(db->h);
	if (db_commit(db, err) != 0)
		return -1;
	return changed;
}

int
store_reminder_claim(struct db *db, long long program_id,
    const struct reminder *r, time_t now, const char *by, struct error *err)
{
	/*
	 * One statement: a new row, or a stale claim taken over.  A sent row
	 * or a fresh claim make the upsert's WHERE false: nothing changes.
	 */
	static const char sql[] =
	    "INSERT INTO reminder (program_id, subject_key, kind, due_on,"
	    " recipient, pairing_id, state, claimed_at, claimed_by)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'claimed', ?7, ?8)"
	    " ON CONFLICT (program_id, subject_key, kind, due_on, recipient)"
	    " DO UPDATE SET claimed_at = excluded.claimed_at,"
	    " claimed_by = excluded.claimed_by"
	    " WHERE state = 'claimed' AND claimed_at < ?9";
	char ts[TIMESTAMP_BUFSZ], cutoff[TIMESTAMP_BUFSZ];
	sqlite3_stmt *st;
	int rc;

	reminder_cutoff(now, cutoff);
	if ((st = db_prepare(db, sql, err)) == NULL)
		return -1;
	reminder_bind_key(st, program_id, r);
	db_bind_int(st, 6, r->pairing_id);
	db_bind_text(st, 7, timestamp_format(now, ts));
	db_bind_text(st, 8, by);
	db_bind_text(st, 9, cutoff);
	rc = reminder_write(db, st, err);
	sqlite3_finalize(st);
	if (rc < 0)
		return -1;
	return rc > 0 ? 1 : 0;
}

int
store_reminder_sent(struct db *db, long long program_id,
    const struct reminder *r, const char *by, const char *message_id,
    time_t now, struct error *err)
{
	/*
	 * By key and state, not by claimant: should a send have outlived the
	 * claim's TTL and been claimed again, the mail still went out.
	 */
	static const char sql[] =
	    "UPDATE reminder SET state = 'sent', sent_at = ?6, message_id = ?7,"
	    " claimed_by = ?8 WHERE program_id = ?1 AND subject_key = ?2"
	    " AND kind = ?3 AND due_on = ?4 AND recipient = ?5"
	    " AND state = 'claimed'";
	char ts[TIMESTAMP_BUFSZ];
	sqlite3_stmt *st;
	int rc;

	if ((st = db_prepare(db, sql, err)) == NULL)
		return -1;
	reminder_bind_key(st, program_id, r);
	db_bind_text(st, 6, timestamp_format(now, ts));
	db_bind_text(st, 7, message_id);
	db_bind_text(st, 8, by);
	rc = reminder_write(db, st, err);
	sqlite3_finalize(st);
	return rc < 0 ? -1 : 0;
}

int
store_reminder_release(struct db *db, long long program_id,
    const struct reminder *r, const char *by, struct error *err)
{
	static const char sql[] =
	    "DELETE FROM reminder WHERE program_id = ?1 AND subject_key = ?2"
	    " AND kind = ?3 AND due_on = ?4 AND recipient = ?5"
	    " AND state = 'claimed' AND claimed_by = ?6";
	sqlite3_stmt *st;
	int rc;

	if ((st = db_prepare(db, sql, err)) == NULL)
		return -1;
	reminder_bind_key(st, program_id, r);
	db_bind_text(st, 6, by);
	rc = reminder_write(db, st, err);
	sqlite3_finalize(st);
	return rc < 0 ? -1 : 0;
}
