#include <stdio.h>

#include "cmd.h"
#include "store/db.h"

static int
cmd_backup_exec(struct ctx *ctx, struct cmd_args *args)
{
	struct error err = ERROR_INIT;

	if (db_backup(ctx->db, args->pos[0], &err) != 0)
		return cmd_fail(&err);
	fprintf(stderr, "mentorctl: backed up '%s' to '%s'\n", db_path(ctx->db),
	    args->pos[0]);
	return 0;
}

const struct cmd_entry cmd_backup_entry = {
	.name = "backup",
	.usage = "FILE",
	.summary = "write a consistent copy of the database to a new FILE",
	.min_args = 1,
	.max_args = 1,
	.flags = CMD_NEEDS_DB,
	.legacy = cmd_backup_exec,
};
