#include <stdio.h>

#include "cmd.h"
#include "store/db.h"

static int
cmd_init_exec(struct ctx *ctx, struct cmd_args *args)
{
	(void)args;
	if (db_warning(ctx->db) != NULL)
		cmd_warn("%s", db_warning(ctx->db));
	if (db_was_created(ctx->db))
		fprintf(stderr, "mentorctl: created database '%s' (schema %d)\n",
		    db_path(ctx->db), db_schema_version(ctx->db));
	else if (db_migrated_from(ctx->db) >= 0)
		fprintf(stderr, "mentorctl: upgraded database '%s' from schema %d "
		    "to %d\n", db_path(ctx->db), db_migrated_from(ctx->db),
		    db_schema_version(ctx->db));
	else
		fprintf(stderr, "mentorctl: database '%s' is up to date (schema "
		    "%d)\n", db_path(ctx->db), db_schema_version(ctx->db));
	return 0;
}

const struct cmd_entry cmd_init_entry = {
	.name = "init",
	.usage = "",
	.summary = "create the database, or upgrade it to this version's schema",
	.min_args = 0,
	.max_args = 0,
	.flags = CMD_NEEDS_DB | CMD_CREATES_DB,
	.legacy = cmd_init_exec,
};
