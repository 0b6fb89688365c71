/* Suggestion mails: the log and the lists (store/suggest_store.h). */
#include "store/suggest_store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/delivery.h"
#include "db_int.h"
#include "store/mail_store.h"
#include "util/xmalloc.h"

#define KEY_BUFSZ 64

static void
bind_key(sqlite3_stmt *st, const struct suggest_mail_key *k,
    char key[KEY_BUFSZ])
{
	if (k->force_at > 0)
		snprintf(key, KEY_BUFSZ, "suggest:%lld:%lld", k->enrollment_id,
		    k->force_at);
	else
		snprintf(key, KEY_BUFSZ, "suggest:%lld", k->enrollment_id);
	db_bind_int(st, 1, k->program_id);
	db_bind_text(st, 2, key);
	db_bind_text(st, 3, "suggest");
	db_bind_date(st, 4, k->due_on);
	db_bind_text(st, 5, k->recipient);
}

int
store_suggest_mail_log(struct db *db, const struct suggest_mail_key *k,
    struct reminder_log *log, struct error *err)
{
	static const char sql[] =
	    "SELECT state, attempts, failed_on FROM reminder"
	    " WHERE program_id = ?1 AND subject_key = ?2 AND kind = ?3"
	    " AND due_on = ?4 AND recipient = ?5";
	sqlite3_stmt *st;
	char key[KEY_BUFSZ];
	int rc, s;

	memset(log, 0, sizeof *log);
	log->failed_on = DATE_NONE;
	if ((st = db_prepare(db, sql, err)) == NULL)
		return -1;
	bind_key(st, k, key);
	if ((rc = db_step_row(db, st, err)) == 1) {
		log->present = true;
		s = delivery_state_parse(db_col_text(st, 0));
		log->state = s < 0 ? DELIVERY_HANDED : (enum delivery_state)s;
		log->attempts = sqlite3_column_int(st, 1);
		log->failed_on = db_col_date(st, 2);
	}
	sqlite3_finalize(st);
	return rc < 0 ? -1 : 0;
}

static int
put_list(struct db *db, const struct suggest_mail_key *k,
    const struct suggest_mail_list_in *l, const char *ts, struct error *err)
{
	static const char mail_sql[] =
	    "INSERT OR REPLACE INTO suggest_mail (message_id, token, program_id,"
	    " enrollment_id, person_id, sent_on, sent_at)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
	static const char del_sql[] =
	    "DELETE FROM suggest_mail_mentor WHERE message_id = ?1";
	static const char mentor_sql[] =
	    "INSERT INTO suggest_mail_mentor (message_id, position, mentor_id)"
	    " VALUES (?1, ?2, ?3)";
	sqlite3_stmt *st;
	size_t i;
	int rc;

	if ((st = db_prepare(db, mail_sql, err)) == NULL)
		return -1;
	db_bind_text(st, 1, l->message_id);
	db_bind_text(st, 2, l->token);
	db_bind_int(st, 3, k->program_id);
	db_bind_int(st, 4, k->enrollment_id);
	db_bind_int(st, 5, l->person_id);
	db_bind_date(st, 6, k->due_on);
	db_bind_text(st, 7, ts);
	rc = db_step_done(db, st, err);
	sqlite3_finalize(st);
	if (rc != 0)
		return -1;
	if ((st = db_prepare(db, del_sql, err)) == NULL)
		return -1;
	db_bind_text(st, 1, l->message_id);
	rc = db_step_done(db, st, err);
	sqlite3_finalize(st);
	if (rc != 0)
		return -1;
	if ((st = db_prepare(db, mentor_sql, err)) == NULL)
		return -1;
	for (i = 0; i < l->n && rc == 0; i++) {
		sqlite3_reset(st);
		db_bind_text(st, 1, l->message_id);
		db_bind_int(st, 2, (long long)i + 1);
		db_bind_int(st, 3, l->mentors[i]);
		rc = db_step_done(db, st, err);
	}
	sqlite3_finalize(st);
	return rc;
}

int
store_suggest_mail_claim(struct db *db, const struct suggest_mail_key *k,
    int attempts, const struct suggest_mail_list_in *l, time_t now,
    const char *by, struct error *err)
{
	static const char sql[] =
	    "INSERT INTO reminder (program_id, subject_key, kind, due_on,"
	    " recipient, state, claimed_at, claimed_by, message_id, attempts)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, 'handed', ?6, ?7, ?8, 1)"
	    " ON CONFLICT (program_id, subject_key, kind, due_on, recipient)"
	    " DO UPDATE SET state = 'handed', claimed_at = excluded.claimed_at,"
	    " claimed_by = excluded.claimed_by,"
	    " message_id = excluded.message_id, attempts = attempts + 1"
	    " WHERE state = 'failed' AND attempts = ?9";
	char key[KEY_BUFSZ], ts[TIMESTAMP_BUFSZ];
	sqlite3_stmt *st;
	int changed;

	if ((st = db_prepare(db, sql, err)) == NULL)
		return -1;
	bind_key(st, k, key);
	db_bind_text(st, 6, timestamp_format(now, ts));
	db_bind_text(st, 7, by);
	db_bind_text(st, 8, l->message_id);
	db_bind_int(st, 9, attempts);
	if (db_begin(db, err) != 0) {
		sqlite3_finalize(st);
		return -1;
	}
	if (db_step_done(db, st, err) != 0)
		goto fail;
	changed = sqlite3_changes(db->h);
	sqlite3_finalize(st);
	st = NULL;
	if (changed > 0 && put_list(db, k, l, ts, err) != 0)
		goto fail;
	if (db_commit(db, err) != 0)
		return -1;
	return changed > 0 ? 1 : 0;
fail:
	sqlite3_finalize(st);
	db_rollback(db);
	return -1;
}

int
store_suggest_mail_outcome(struct db *db, const struct suggest_mail_key *k,
    const char *by, const struct reminder_outcome *out, struct error *err)
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
	char key[KEY_BUFSZ], ts[TIMESTAMP_BUFSZ];
	sqlite3_stmt *st;
	int rc = -1;

	if ((st = db_prepare(db, sql, err)) == NULL)
		return -1;
	bind_key(st, k, key);
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
	    store_bounce_mark(db, k->recipient, out->error ? out->error :
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

void
suggest_mail_list_free(struct suggest_mail_list *l)
{
	size_t i;

	if (l == NULL)
		return;
	for (i = 0; i < l->n; i++) {
		free(l->v[i].email);
		free(l->v[i].name);
	}
	free(l->v);
	free(l->message_id);
	free(l->program);
	memset(l, 0, sizeof *l);
}

int
store_suggest_mail_find(struct db *db, const char *token,
    const char *const *ids, size_t nids, struct suggest_mail_list *l,
    struct error *err)
{
	static const char mails_sql[] =
	    "SELECT m.message_id, m.program_id, p.slug, m.enrollment_id,"
	    " m.person_id FROM suggest_mail m JOIN program p ON p.id = m.program_id"
	    " WHERE m.token = ?1 ORDER BY m.sent_at DESC, m.rowid DESC";
	static const char list_sql[] =
	    "SELECT s.mentor_id, p.email, p.name FROM suggest_mail_mentor s"
	    " JOIN person p ON p.id = s.mentor_id"
	    " WHERE s.message_id = ?1 ORDER BY s.position";
	sqlite3_stmt *st;
	size_t i, cap = 0;
	int rc, found = 0;

	memset(l, 0, sizeof *l);
	if ((st = db_prepare(db, mails_sql, err)) == NULL)
		return -1;
	db_bind_text(st, 1, token);
	while ((rc = db_step_row(db, st, err)) == 1) {
		const char *mid = db_col_text(st, 0);
		bool named = false;

		for (i = 0; i < nids && !named; i++)
			named = ids[i] != NULL && strcmp(ids[i], mid) == 0;
		if (found && !named)
			continue;
		free(l->message_id);
		free(l->program);
		l->message_id = db_col_strdup(st, 0);
		l->program_id = sqlite3_column_int64(st, 1);
		l->program = db_col_strdup(st, 2);
		l->enrollment_id = sqlite3_column_int64(st, 3);
		l->person_id = sqlite3_column_int64(st, 4);
		found = 1;
		if (named)
			break;
	}
	sqlite3_finalize(st);
	if (rc < 0) {
		suggest_mail_list_free(l);
		return -1;
	}
	if (!found)
		return 0;
	if ((st = db_prepare(db, list_sql, err)) == NULL) {
		suggest_mail_list_free(l);
		return -1;
	}
	db_bind_text(st, 1, l->message_id);
	while ((rc = db_step_row(db, st, err)) == 1) {
		XGROW(l->v, l->n + 1, cap);
		l->v[l->n].person_id = sqlite3_column_int64(st, 0);
		l->v[l->n].email = db_col_strdup(st, 1);
		l->v[l->n].name = db_col_strdup(st, 2);
		if (l->v[l->n].name == NULL)
			l->v[l->n].name = xstrdup("");
		l->n++;
	}
	sqlite3_finalize(st);
	if (rc < 0) {
		suggest_mail_list_free(l);
		return -1;
	}
	return 1;
}
