#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "store/db.h"

static int
cmd_backup_exec(struct ctx *ctx, struct cmd_args *args)
{
	struct error err = ERROR_INIT;
	bool out = strcmp(args->pos[0], "-") == 0;

	if (out && isatty(STDOUT_FILENO))
		return cmd_error(EX_USAGE, "not writing a database to a terminal; "
		    "redirect standard output or give a file");
	if (db_backup(ctx->db, args->pos[0], &err) != 0)
		return cmd_fail(&err);
	fprintf(stderr, "mentorctl: backed up '%s' to %s%s%s\n",
	    db_path(ctx->db), out ? "" : "'", out ? "standard output" :
	    args->pos[0], out ? "" : "'");
	return 0;
}

const struct cmd_entry cmd_backup_entry = {
	.name = "backup",
	.usage = "FILE|-",
	.summary = "write a consistent copy of the database to a new FILE or stdout",
	.min_args = 1,
	.max_args = 1,
	.flags = CMD_NEEDS_DB,
	.legacy = cmd_backup_exec,
};
