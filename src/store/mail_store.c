#include "store/mail_store.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/date.h"
#include "db_int.h"
#include "util/xmalloc.h"

/* ---- bouncing addresses ---- */

int
store_bounce_mark(struct db *db, const char *address, const char *reason,
    enum bounce_source source, int today, time_t now, struct error *err)
{
	static const char sql[] =
	    "INSERT INTO mail_bounce (address, since, since_on, reason, source)"
	    " VALUES (?1, ?2, ?3, ?4, ?5)"
	    " ON CONFLICT (address) DO UPDATE SET failures = failures + 1,"
	    " reason = excluded.reason";
	char ts[TIMESTAMP_BUFSZ];
	sqlite3_stmt *st;
	int rc;

	if ((st = db_prepare(db, sql, err)) == NULL)
		return -1;
	db_bind_text(st, 1, address);
	db_bind_text(st, 2, timestamp_format(now, ts));
	db_bind_date(st, 3, today);
	db_bind_text(st, 4, reason);
	db_bind_text(st, 5, bounce_source_name(source));
	rc = db_step_done(db, st, err);
	sqlite3_finalize(st);
	if (rc != 0)
		return -1;
	return db_audit(db, "mail_bounce", 0, "bounce", address, err);
}

int
store_bounce_clear(struct db *db, const char *address, struct error *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((st = db_prepare(db, "DELETE FROM mail_bounce WHERE address = ?",
	    err)) == NULL)
		return -1;
	db_bind_text(st, 1, address);
	rc = db_step_done(db, st, err);
	sqlite3_finalize(st);
	if (rc != 0)
		return -1;
	if (sqlite3_changes(db->h) == 0)
		return 0;
	if (db_audit(db, "mail_bounce", 0, "clear", address, err) != 0)
		return -1;
	return 1;
}

int
store_bounce_list(struct db *db, long long program_id, struct bounce_row **v,
    size_t *n, struct error *err)
{
	static const char sql[] =
	    "SELECT b.address, b.since, b.since_on, b.reason, b.source,"
	    " b.failures, (SELECT p.name FROM person p WHERE p.email = b.address)"
	    " FROM mail_bounce b"
	    " WHERE ?1 = 0"
	    "  OR EXISTS (SELECT 1 FROM person p JOIN enrollment e"
	    "   ON e.person_id = p.id WHERE p.email = b.address"
	    "   AND e.program_id = ?1)"
	    "  OR EXISTS (SELECT 1 FROM program g WHERE g.id = ?1"
	    "   AND g.contact = b.address COLLATE NOCASE)"
	    " ORDER BY b.address";
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc, src;

	*v = NULL;
	*n = 0;
	if ((st = db_prepare(db, sql, err)) == NULL)
		return -1;
	db_bind_int(st, 1, program_id);
	while ((rc = db_step_row(db, st, err)) == 1) {
		struct bounce_row *b;

		XGROW(*v, *n + 1, cap);
		b = &(*v)[(*n)++];
		b->address = db_col_strdup(st, 0);
		b->since = db_col_strdup(st, 1);
		b->since_on = db_col_date(st, 2);
		b->reason = db_col_strdup(st, 3);
		src = bounce_source_parse(db_col_text(st, 4));
		b->source = src < 0 ? BOUNCE_SOURCE_REMIND :
		    (enum bounce_source)src;
		b->failures = sqlite3_column_int(st, 5);
		b->name = db_col_strdup(st, 6);
	}
	sqlite3_finalize(st);
	if (rc < 0) {
		bounce_rows_free(*v, *n);
		*v = NULL;
		*n = 0;
		return -1;
	}
	return 0;
}

void
bounce_rows_free(struct bounce_row *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].address);
		free(v[i].since);
		free(v[i].reason);
		free(v[i].name);
	}
	free(v);
}

static char *
lower_dup(const char *s)
{
	char *d = xstrdup(s ? s : ""), *p;

	for (p = d; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	return d;
}

static int
str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
store_bounce_set(struct db *db, struct bounce_set *s, struct error *err)
{
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc;

	memset(s, 0, sizeof *s);
	if ((st = db_prepare(db, "SELECT address FROM mail_bounce", err)) ==
	    NULL)
		return -1;
	while ((rc = db_step_row(db, st, err)) == 1) {
		XGROW(s->v, s->n + 1, cap);
		s->v[s->n++] = lower_dup(db_col_text(st, 0));
	}
	sqlite3_finalize(st);
	if (rc < 0) {
		bounce_set_free(s);
		return -1;
	}
	if (s->n > 1)
		xqsort(s->v, s->n, sizeof *s->v, str_cmp);
	return 0;
}

bool
bounce_set_has(const struct bounce_set *s, const char *address)
{
	size_t lo = 0, hi, mid;
	int c;

	if (s->n == 0 || address == NULL)
		return false;
	hi = s->n;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = strcasecmp(s->v[mid], address);
		if (c == 0)
			return true;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

void
bounce_set_free(struct bounce_set *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	memset(s, 0, sizeof *s);
}

/* ---- paused reminders ---- */

int
store_pause_set(struct db *db, long long pairing_id, long long person_id,
    int today, struct error *err)
{
	static const char sql[] =
	    "INSERT OR IGNORE INTO reminder_pause (pairing_id, person_id,"
	    " paused_on) VALUES (?, ?, ?)";
	sqlite3_stmt *st;
	int rc;

	if ((st = db_prepare(db, sql, err)) == NULL)
		return -1;
	db_bind_int(st, 1, pairing_id);
	db_bind_int(st, 2, person_id);
	db_bind_date(st, 3, today);
	rc = db_step_done(db, st, err);
	sqlite3_finalize(st);
	if (rc != 0)
		return -1;
	if (sqlite3_changes(db->h) == 0)
		return 0;
	if (db_audit(db, "pairing", pairing_id, "pause", NULL, err) != 0)
		return -1;
	return 1;
}

int
store_pause_clear(struct db *db, long long pairing_id, long long person_id,
    struct error *err)
{
	static const char sql[] =
	    "DELETE FROM reminder_pause WHERE pairing_id = ? AND person_id = ?";
	sqlite3_stmt *st;
	int rc;

	if ((st = db_prepare(db, sql, err)) == NULL)
		return -1;
	db_bind_int(st, 1, pairing_id);
	db_bind_int(st, 2, person_id);
	rc = db_step_done(db, st, err);
	sqlite3_finalize(st);
	if (rc != 0)
		return -1;
	if (sqlite3_changes(db->h) == 0)
		return 0;
	if (db_audit(db, "pairing", pairing_id, "resume", NULL, err) != 0)
		return -1;
	return 1;
}

static int
pause_cmp(const void *a, const void *b)
{
	const struct pause_key *x = a, *y = b;

	if (x->pairing_id != y->pairing_id)
		return x->pairing_id < y->pairing_id ? -1 : 1;
	return strcmp(x->address, y->address);
}

int
store_pause_set_load(struct db *db, long long program_id, struct pause_set *s,
    struct error *err)
{
	static const char sql[] =
	    "SELECT r.pairing_id, p.email FROM reminder_pause r"
	    " JOIN pairing g ON g.id = r.pairing_id"
	    " JOIN person p ON p.id = r.person_id WHERE g.program_id = ?";
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc;

	memset(s, 0, sizeof *s);
	if ((st = db_prepare(db, sql, err)) == NULL)
		return -1;
	db_bind_int(st, 1, program_id);
	while ((rc = db_step_row(db, st, err)) == 1) {
		XGROW(s->v, s->n + 1, cap);
		s->v[s->n].pairing_id = sqlite3_column_int64(st, 0);
		s->v[s->n].address = lower_dup(db_col_text(st, 1));
		s->n++;
	}
	sqlite3_finalize(st);
	if (rc < 0) {
		pause_set_free(s);
		return -1;
	}
	if (s->n > 1)
		xqsort(s->v, s->n, sizeof *s->v, pause_cmp);
	return 0;
}

bool
pause_set_has(const struct pause_set *s, long long pairing_id,
    const char *address)
{
	size_t i;

	/* Few rows: a participant's pause is rare. */
	for (i = 0; i < s->n; i++)
		if (s->v[i].pairing_id == pairing_id &&
		    strcasecmp(s->v[i].address, address) == 0)
			return true;
	return false;
}

void
pause_set_free(struct pause_set *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		free(s->v[i].address);
	free(s->v);
	memset(s, 0, sizeof *s);
}

/* ---- handled messages ---- */

int
store_mail_handled(struct db *db, const struct mail_handled_in *in,
    struct error *err)
{
	static const char sql[] =
	    "INSERT OR IGNORE INTO mail_handled (message_key, handled_at,"
	    " handled_on, program_id, pairing_id, sender, outcome, detail)"
	    " VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
	char ts[TIMESTAMP_BUFSZ];
	sqlite3_stmt *st;
	int rc;

	if ((st = db_prepare(db, sql, err)) == NULL)
		return -1;
	db_bind_text(st, 1, in->message_key);
	db_bind_text(st, 2, timestamp_format(in->now, ts));
	db_bind_date(st, 3, in->today);
	if (in->program_id > 0)
		db_bind_int(st, 4, in->program_id);
	if (in->pairing_id > 0)
		db_bind_int(st, 5, in->pairing_id);
	db_bind_text(st, 6, in->sender);
	db_bind_text(st, 7, in->outcome);
	db_bind_text(st, 8, in->detail);
	rc = db_step_done(db, st, err);
	sqlite3_finalize(st);
	if (rc != 0)
		return -1;
	return sqlite3_changes(db->h) > 0 ? 1 : 0;
}

static bool
word_in(const char *w, const char *const *list)
{
	for (; list != NULL && *list != NULL; list++)
		if (strcmp(*list, w) == 0)
			return true;
	return false;
}

int
store_mail_handled_list(struct db *db, long long program_id,
    bool with_unknown, int from, int to, const char *const *fine,
    struct mail_handled_row **v, size_t *n, struct error *err)
{
	static const char sql[] =
	    "SELECT message_key, handled_at, handled_on, pairing_id, sender,"
	    " outcome, detail FROM mail_handled"
	    " WHERE handled_on BETWEEN ?2 AND ?3"
	    " AND (program_id = ?1 OR (?4 AND program_id IS NULL))"
	    " ORDER BY handled_at, message_key";
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc;

	*v = NULL;
	*n = 0;
	if ((st = db_prepare(db, sql, err)) == NULL)
		return -1;
	db_bind_int(st, 1, program_id);
	db_bind_date(st, 2, from);
	db_bind_date(st, 3, to);
	db_bind_int(st, 4, with_unknown);
	while ((rc = db_step_row(db, st, err)) == 1) {
		struct mail_handled_row *h;

		if (word_in(db_col_text(st, 5), fine))
			continue;
		XGROW(*v, *n + 1, cap);
		h = &(*v)[(*n)++];
		h->message_key = db_col_strdup(st, 0);
		h->handled_at = db_col_strdup(st, 1);
		h->handled_on = db_col_date(st, 2);
		h->pairing_id = sqlite3_column_int64(st, 3);
		h->sender = db_col_strdup(st, 4);
		h->outcome = db_col_strdup(st, 5);
		h->detail = db_col_strdup(st, 6);
	}
	sqlite3_finalize(st);
	if (rc < 0) {
		mail_handled_rows_free(*v, *n);
		*v = NULL;
		*n = 0;
		return -1;
	}
	return 0;
}

void
mail_handled_rows_free(struct mail_handled_row *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].message_key);
		free(v[i].handled_at);
		free(v[i].sender);
		free(v[i].outcome);
		free(v[i].detail);
	}
	free(v);
}

/* ---- secrets ---- */

int
store_mail_secret_get(struct db *db, const char *name,
    uint8_t out[MAIL_SECRET_LEN], struct error *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((st = db_prepare(db, "SELECT secret FROM mail_secret WHERE name = ?",
	    err)) == NULL)
		return -1;
	db_bind_text(st, 1, name);
	rc = db_step_row(db, st, err);
	if (rc == 1) {
		if (sqlite3_column_bytes(st, 0) < MAIL_SECRET_LEN) {
			rc = error_set(err, EX_DATAERR, "the stored '%s' secret "
			    "is too short", name);
		} else {
			memcpy(out, sqlite3_column_blob(st, 0), MAIL_SECRET_LEN);
		}
	}
	sqlite3_finalize(st);
	return rc;
}

int
store_mail_secret_put(struct db *db, const char *name,
    uint8_t out[MAIL_SECRET_LEN], time_t now, struct error *err)
{
	static const char sql[] =
	    "INSERT OR IGNORE INTO mail_secret (name, secret, created_at)"
	    " VALUES (?, ?, ?)";
	char ts[TIMESTAMP_BUFSZ];
	sqlite3_stmt *st;
	int rc;

	if ((st = db_prepare(db, sql, err)) == NULL)
		return -1;
	db_bind_text(st, 1, name);
	sqlite3_bind_blob(st, 2, out, MAIL_SECRET_LEN, SQLITE_TRANSIENT);
	db_bind_text(st, 3, timestamp_format(now, ts));
	rc = db_step_done(db, st, err);
	sqlite3_finalize(st);
	if (rc != 0)
		return -1;
	if (sqlite3_changes(db->h) > 0 &&
	    db_audit(db, "mail_secret", 0, "create", name, err) != 0)
		return -1;
	rc = store_mail_secret_get(db, name, out, err);
	if (rc == 0)
		return error_set(err, EX_SOFTWARE, "the '%s' secret vanished",
		    name);
	return rc < 0 ? -1 : 0;
}

int
store_person_address(struct db *db, long long id, char **email, char **name,
    struct error *err)
{
	sqlite3_stmt *st;
	int rc;

	*email = *name = NULL;
	if ((st = db_prepare(db, "SELECT email, nullif(name, '') FROM person"
	    " WHERE id = ?", err)) == NULL)
		return -1;
	db_bind_int(st, 1, id);
	if ((rc = db_step_row(db, st, err)) == 1) {
		*email = db_col_strdup(st, 0);
		*name = db_col_strdup(st, 1);
	}
	sqlite3_finalize(st);
	return rc;
}

int
store_mail_handled_seen(struct db *db, const char *message_key,
    struct error *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((st = db_prepare(db, "SELECT 1 FROM mail_handled WHERE"
	    " message_key = ?", err)) == NULL)
		return -1;
	db_bind_text(st, 1, message_key);
	rc = db_step_row(db, st, err);
	sqlite3_finalize(st);
	return rc;
}
