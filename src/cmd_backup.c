#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "store/db.h"

static int
cmd_backup_exec(struct ctx *ctx, const struct cmd_args *args,
    struct error *err)
{
	bool out = strcmp(args->pos[0], "-") == 0;

	if (out && isatty(STDOUT_FILENO))
		return error_set(err, EX_USAGE, "not writing a database to a "
		    "terminal; redirect standard output or give a file");
	if (db_backup(ctx->db, args->pos[0], err) != 0)
		return -1;
	cmd_note(ctx, "backed up '%s' to %s%s%s", db_path(ctx->db),
	    out ? "" : "'", out ? "standard output" : args->pos[0],
	    out ? "" : "'");
	return 0;
}

const struct cmd_entry cmd_backup_entry = {
	.name = "backup",
	.usage = "FILE|-",
	.summary = "write a consistent copy of the database to a new FILE or stdout",
	.min_args = 1,
	.max_args = 1,
	.flags = CMD_NEEDS_DB,
	.example = "mentorctl backup /srv/backup/mentoring-$(date +%F).db",
	.exec = cmd_backup_exec,
};
