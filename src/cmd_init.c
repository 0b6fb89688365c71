/*
 * init: create the database, or bring it to this version's schema.
 * db_open (CMD_CREATES_DB) does the work; this says what it did.
 */
#include "cmd.h"
#include "ops/mail.h"
#include "store/db.h"

static int
cmd_init_exec(struct ctx *ctx, const struct cmd_args *args, struct error *err)
{
	struct ops_ctx o = { ctx->db, ctx->today, ctx->now, ctx->actor };
	bool made;

	(void)args;
	/* The reply tokens' key: made once, kept in the database. */
	if (ops_mail_secret(&o, &made, err) != 0)
		return -1;
	if (made && !db_was_created(ctx->db))
		cmd_note(ctx, "made the secret of the reply tokens");
	if (db_warning(ctx->db) != NULL)
		cmd_warn("%s", db_warning(ctx->db));
	if (db_was_created(ctx->db))
		cmd_note(ctx, "created database '%s' (schema %d)",
		    db_path(ctx->db), db_schema_version(ctx->db));
	else if (db_migrated_from(ctx->db) >= 0)
		cmd_note(ctx, "upgraded database '%s' from schema %d to %d",
		    db_path(ctx->db), db_migrated_from(ctx->db),
		    db_schema_version(ctx->db));
	else
		cmd_note(ctx, "database '%s' is up to date (schema %d)",
		    db_path(ctx->db), db_schema_version(ctx->db));
	return 0;
}

const struct cmd_entry cmd_init_entry = {
	.name = "init",
	.usage = "",
	.summary = "create the database, or upgrade it to this version's schema",
	.example = "mentorctl --db ~/mentoring.db init",
	.min_args = 0,
	.max_args = 0,
	.flags = CMD_NEEDS_DB | CMD_CREATES_DB | CMD_WRITES,
	.exec = cmd_init_exec,
};
