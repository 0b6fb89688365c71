#include "store/reminder_store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "db_int.h"
#include "store/mail_store.h"
#include "util/xmalloc.h"

/* Binds the unique key at ?1 .. ?5. */
static void
reminder_bind_key(sqlite3_stmt *st, long long program_id,
    const struct reminder *r, char key[REMIND_KEY_BUFSZ])
{
	remind_subject_key(r, key);
	db_bind_int(st, 1, program_id);
	sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC);
	db_bind_text(st, 3, remind_kind_name(r->kind));
	db_bind_date(st, 4, r->due_on);
	db_bind_text(st, 5, r->to.email);
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

/* A row not plainly sent. */
struct reminder_open {
	char *key;
	char *kind;
	char *day;
	char *recipient;
	struct reminder_log log;
};

struct reminder_check {
	struct db *db;
	sqlite3_stmt *st;
	bool own;                 /* the read transaction is ours to end */
	struct reminder_open *open;
	size_t nopen;
	char key[REMIND_KEY_BUFSZ];
	char day[DATE_BUFSZ];
};

static void
reminder_check_free(struct reminder_check *c)
{
	size_t i;

	for (i = 0; i < c->nopen; i++) {
		free(c->open[i].key);
		free(c->open[i].kind);
		free(c->open[i].day);
		free(c->open[i].recipient);
	}
	free(c->open);
	sqlite3_finalize(c->st);
	free(c);
}

/* A 'YYYY-MM-DDTHH:MM:SSZ' column (the schema's CHECK) as a time; 0 for NULL. */
static time_t
reminder_col_time(sqlite3_stmt *st, int col)
{
	const char *s = (const char *)sqlite3_column_text(st, col);
	int y, mo, d, h, mi, se;

	if (s == NULL || sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2dZ", &y, &mo, &d, &h,
	    &mi, &se) != 6 || !date_valid_ymd(y, mo, d))
		return 0;
	return (time_t)date_from_ymd(y, mo, d) * 86400 + h * 3600 + mi * 60 +
	    se;
}

/* Through the partial index reminder_open: a handful of rows. */
static int
reminder_load_open(struct reminder_check *c, long long program_id,
    struct error *err)
{
	static const char sql[] =
	    "SELECT subject_key, kind, due_on, recipient, state, attempts,"
	    " failed_on, failed_at FROM reminder"
	    " WHERE program_id = ? AND state <> 'sent'";
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc, state;

	if ((st = db_prepare(c->db, sql, err)) == NULL)
		return -1;
	db_bind_int(st, 1, program_id);
	while ((rc = db_step_row(c->db, st, err)) == 1) {
		struct reminder_open *x;

		XGROW(c->open, c->nopen + 1, cap);
		x = &c->open[c->nopen++];
		x->key = xstrdup(db_col_text(st, 0));
		x->kind = xstrdup(db_col_text(st, 1));
		x->day = xstrdup(db_col_text(st, 2));
		x->recipient = xstrdup(db_col_text(st, 3));
		state = delivery_state_parse(db_col_text(st, 4));
		x->log.present = true;
		x->log.state = state < 0 ? DELIVERY_HANDED :
		    (enum delivery_state)state;
		x->log.attempts = sqlite3_column_int(st, 5);
		x->log.failed_on = db_col_date(st, 6);
		x->log.failed_at = reminder_col_time(st, 7);
	}
	sqlite3_finalize(st);
	return rc;
}

static const struct reminder_log *
reminder_find_open(const struct reminder_check *c, const char *kind,
    const char *recipient)
{
	size_t i;

	for (i = 0; i < c->nopen; i++)
		if (strcmp(c->open[i].key, c->key) == 0 &&
		    strcmp(c->open[i].kind, kind) == 0 &&
		    strcmp(c->open[i].day, c->day) == 0 &&
		    sqlite3_stricmp(c->open[i].recipient, recipient) == 0)
			return &c->open[i].log;
	return NULL;
}

struct reminder_check *
store_reminder_check_begin(struct db *db, long long program_id,
    struct error *err)
{
	/*
	 * A prefix of the UNIQUE index's key, asking only for what the index
	 * holds (the recipient): no table row is read.  Every row found is in
	 * the log; those not plainly sent come from reminder_load_open.
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
	    reminder_load_open(c, program_id, err) != 0) {
		store_reminder_check_end(c);
		return NULL;
	}
	db_bind_int(c->st, 1, program_id);
	return c;
}

/* "YYYY-MM-DD" without printf: this runs for every mail due on every run. */
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

int
store_reminder_check(struct reminder_check *c, const struct reminder *v,
    size_t n, struct reminder_log *log, struct error *err)
{
	static const struct reminder_log sent = { true, DELIVERY_SENT, 1,
	    DATE_NONE, 0 };
	const struct reminder_log *o;
	const char *who, *kind;
	size_t i, j, k;
	int rc;

	for (i = 0; i < n; i = j) {
		for (j = i; j < n && remind_same_event(&v[i], &v[j]); j++)
			memset(&log[j], 0, sizeof log[j]);
		if (v[i].due_on == DATE_NONE)
			continue;
		kind = remind_kind_name(v[i].kind);
		remind_subject_key(&v[i], c->key);
		reminder_fmt_day(c->day, v[i].due_on);
		sqlite3_bind_text(c->st, 2, c->key, -1, SQLITE_STATIC);
		sqlite3_bind_text(c->st, 3, kind, -1, SQLITE_STATIC);
		sqlite3_bind_text(c->st, 4, c->day, -1, SQLITE_STATIC);
		while ((rc = db_step_row(c->db, c->st, err)) == 1) {
			who = db_col_text(c->st, 0);
			o = c->nopen > 0 ? reminder_find_open(c, kind, who) :
			    NULL;
			/* recipient is COLLATE NOCASE: compare as it does */
			for (k = i; k < j; k++)
				if (v[k].to.email != NULL &&
				    sqlite3_stricmp(who, v[k].to.email) == 0)
					log[k] = o ? *o : sent;
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
    const struct reminder *r, int attempts, const char *message_id,
    int today, time_t now, const char *by, struct error *err)
{
	/*
	 * One statement: a new row, or a failed one taken over for a retry.
	 * Any other row, or a failed one another run has tried since the
	 * caller looked (its attempts moved on), makes the upsert's WHERE
	 * false: nothing changes.
	 */
	static const char sql[] =
	    "INSERT INTO reminder (program_id, subject_key, kind, due_on,"
	    " recipient, pairing_id, state, claimed_at, claimed_by,"
	    " message_id, attempts, claimed_on)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'handed', ?7, ?8, ?9, 1, ?11)"
	    " ON CONFLICT (program_id, subject_key, kind, due_on, recipient)"
	    " DO UPDATE SET state = 'handed', claimed_at = excluded.claimed_at,"
	    " claimed_on = excluded.claimed_on,"
	    " claimed_by = excluded.claimed_by,"
	    " message_id = excluded.message_id, attempts = attempts + 1"
	    " WHERE state = 'failed' AND attempts = ?10";
	char key[REMIND_KEY_BUFSZ], ts[TIMESTAMP_BUFSZ];
	sqlite3_stmt *st;
	int rc;

	if ((st = db_prepare(db, sql, err)) == NULL)
		return -1;
	reminder_bind_key(st, program_id, r, key);
	if (r->pairing_id > 0)
		db_bind_int(st, 6, r->pairing_id);
	db_bind_text(st, 7, timestamp_format(now, ts));
	db_bind_text(st, 8, by);
	db_bind_text(st, 9, message_id);
	db_bind_int(st, 10, attempts);
	db_bind_date(st, 11, today);
	rc = reminder_write(db, st, err);
	sqlite3_finalize(st);
	if (rc < 0)
		return -1;
	return rc > 0 ? 1 : 0;
}

int
store_reminder_outcome(struct db *db, long long program_id,
    const struct reminder *r, const char *by,
    const struct reminder_outcome *out, struct error *err)
{
	static const char sql[] =
	    "UPDATE reminder SET state = ?6,"
	    " sent_at = CASE WHEN ?6 = 'sent' THEN ?7 END,"
	    " failed_on = CASE WHEN ?6 IN ('failed','gave_up','bounced')"
	    "   THEN ?8 ELSE failed_on END,"
	    " failed_at = CASE WHEN ?6 IN ('failed','gave_up','bounced')"
	    "   THEN ?7 ELSE failed_at END,"
	    " error = CASE WHEN ?6 = 'sent' THEN NULL ELSE ?9 END"
	    " WHERE program_id = ?1 AND subject_key = ?2 AND kind = ?3"
	    " AND due_on = ?4 AND recipient = ?5 AND state = 'handed'"
	    " AND claimed_by = ?10";
	char key[REMIND_KEY_BUFSZ], ts[TIMESTAMP_BUFSZ];
	sqlite3_stmt *st;
	int rc = -1;

	if ((st = db_prepare(db, sql, err)) == NULL)
		return -1;
	reminder_bind_key(st, program_id, r, key);
	db_bind_text(st, 6, delivery_state_name(out->state));
	db_bind_text(st, 7, timestamp_format(out->now, ts));
	db_bind_date(st, 8, out->today);
	db_bind_text(st, 9, out->error);
	db_bind_text(st, 10, by);
	if (db_begin(db, err) != 0)
		goto out;
	if (db_step_done(db, st, err) != 0)
		goto fail;
	if (out->state == DELIVERY_BOUNCED && sqlite3_changes(db->h) > 0 &&
	    store_bounce_mark(db, r->to.email, out->error ? out->error :
	    "refused", BOUNCE_SOURCE_REMIND, out->today, out->now, err) != 0)
		goto fail;
	rc = db_commit(db, err);
	goto out;
fail:
	db_rollback(db);
out:
	sqlite3_finalize(st);
	return rc;
}

int
store_reminder_unsent(struct db *db, long long program_id,
    const char *claimed_before, struct reminder_unsent **v, size_t *n,
    struct error *err)
{
	static const char sql[] =
	    "SELECT r.id, g.slug, r.pairing_id, r.kind, r.due_on, r.recipient,"
	    " r.state, r.attempts, r.claimed_at, r.error, r.message_id"
	    " FROM reminder r JOIN program g ON g.id = r.program_id"
	    " WHERE r.state <> 'sent' AND (?1 = 0 OR r.program_id = ?1)"
	    " AND (?2 IS NULL OR r.state <> 'handed' OR r.claimed_at < ?2)"
	    " ORDER BY r.id";
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc, state;

	*v = NULL;
	*n = 0;
	if ((st = db_prepare(db, sql, err)) == NULL)
		return -1;
	db_bind_int(st, 1, program_id);
	db_bind_text(st, 2, claimed_before);
	while ((rc = db_step_row(db, st, err)) == 1) {
		struct reminder_unsent *u;

		XGROW(*v, *n + 1, cap);
		u = &(*v)[(*n)++];
		u->id = sqlite3_column_int64(st, 0);
		u->slug = db_col_strdup(st, 1);
		u->pairing_id = sqlite3_column_int64(st, 2);
		u->kind = db_col_strdup(st, 3);
		u->due_on = db_col_date(st, 4);
		u->recipient = db_col_strdup(st, 5);
		state = delivery_state_parse(db_col_text(st, 6));
		u->state = state < 0 ? DELIVERY_HANDED :
		    (enum delivery_state)state;
		u->attempts = sqlite3_column_int(st, 7);
		u->claimed_at = db_col_strdup(st, 8);
		u->error = db_col_strdup(st, 9);
		u->message_id = db_col_strdup(st, 10);
	}
	sqlite3_finalize(st);
	if (rc < 0) {
		reminder_unsent_free(*v, *n);
		*v = NULL;
		*n = 0;
		return -1;
	}
	return 0;
}

void
reminder_unsent_free(struct reminder_unsent *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].slug);
		free(v[i].kind);
		free(v[i].recipient);
		free(v[i].claimed_at);
		free(v[i].error);
		free(v[i].message_id);
	}
	free(v);
}

int
store_reminder_requeue(struct db *db, long long id, struct error *err)
{
	static const char sql[] =
	    "DELETE FROM reminder WHERE id = ? AND state <> 'sent'";
	sqlite3_stmt *st;
	int rc;

	if ((st = db_prepare(db, sql, err)) == NULL)
		return -1;
	db_bind_int(st, 1, id);
	rc = db_step_done(db, st, err);
	sqlite3_finalize(st);
	if (rc != 0)
		return -1;
	if (sqlite3_changes(db->h) == 0)
		return 0;
	if (db_audit(db, "reminder", id, "requeue", NULL, err) != 0)
		return -1;
	return 1;
}
