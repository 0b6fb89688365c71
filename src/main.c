/*
 * mentorctl: global options, the context every command gets, and dispatch.
 * Global options may stand before or after the command; everything else is
 * the command's.
 */
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cmd_table.h"
#include "core/date.h"
#include "store/db.h"
#include "store/schema.h"
#include "util/strbuf.h"
#include "util/xmalloc.h"
#include "version.h"

struct globals {
	const char *db;
	const char *today;
	const char *format;
	bool help;
	bool version;
};

static void
usage(FILE *fp)
{
	const struct cmd_entry *const *e;

	fputs("usage: mentorctl [--db PATH] [--today YYYY-MM-DD] "
	    "[--format table|csv|json] COMMAND [ARGS]\n"
	    "       mentorctl --help | --version | COMMAND --help\n\n"
	    "A command-line manager for workplace mentoring programmes.\n\n"
	    "commands:\n", fp);
	for (e = cmd_entries(); *e; e++) {
		char name[64];

		snprintf(name, sizeof name, "%s%s%s", (*e)->name,
		    (*e)->sub ? " " : "", (*e)->sub ? (*e)->sub : "");
		fprintf(fp, "  %-18s %s\n", name, (*e)->summary);
	}
	fputs("\nglobal options:\n"
	    "  --db PATH          the database (else $MENTORCTL_DB, else\n"
	    "                     $XDG_DATA_HOME/mentorctl/mentorctl.db)\n"
	    "  --today DATE       run as of this day (else $MENTORCTL_TODAY, else the date)\n"
	    "  --format FORMAT    table (default), csv or json; some commands have more\n"
	    "  --help, --version\n\n"
	    "Exit status: 0 ok, 64 usage, 65 bad data, 66 no input, 69 mail failed,\n"
	    "70 internal, 73 cannot create output, 74 I/O or database error,\n"
	    "75 database busy, 78 database from a newer mentorctl.  See mentorctl(1).\n",
	    fp);
}

/* Take the global options out of argv wherever they stand, before "--". */
static int
take_globals(int *argcp, char **argv, struct globals *g)
{
	static const struct {
		const char *name;
		size_t off;
	} valued[] = {
		{ "--db", offsetof(struct globals, db) },
		{ "--today", offsetof(struct globals, today) },
		{ "--format", offsetof(struct globals, format) },
	};
	int argc = *argcp, i, j, n = 0;
	bool rest = false;

	for (i = 0; i < argc; i++) {
		const char *a = argv[i];
		bool taken = false;

		if (rest || a[0] != '-') {
			argv[n++] = argv[i];
			continue;
		}
		if (strcmp(a, "--") == 0) {
			rest = true;
			argv[n++] = argv[i];
			continue;
		}
		for (j = 0; j < (int)(sizeof valued / sizeof valued[0]); j++) {
			size_t len = strlen(valued[j].name);
			const char **slot = (const char **)((char *)g + valued[j].off);

			if (strncmp(a, valued[j].name, len) != 0)
				continue;
			if (a[len] == '=') {
				*slot = a + len + 1;
			} else if (a[len] == '\0') {
				if (i + 1 >= argc) {
					cmd_error(EX_USAGE, "option '%s' needs a value",
					    valued[j].name);
					return -1;
				}
				*slot = argv[++i];
			} else {
				continue;
			}
			taken = true;
			break;
		}
		if (taken)
			continue;
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0)
			g->help = true;
		else if (strcmp(a, "--version") == 0 || strcmp(a, "-V") == 0)
			g->version = true;
		else
			argv[n++] = argv[i];
	}
	argv[n] = NULL;
	*argcp = n;
	return 0;
}

static char *
default_db_path(void)
{
	const char *x = getenv("XDG_DATA_HOME");
	const char *home = getenv("HOME");

	if (x && x[0] == '/')
		return xasprintf("%s/mentorctl/mentorctl.db", x);
	if (home && *home)
		return xasprintf("%s/.local/share/mentorctl/mentorctl.db", home);
	return NULL;
}

static int
local_today(void)
{
	time_t t = time(NULL);
	struct tm tm;

	if (localtime_r(&t, &tm) == NULL)
		return date_from_time(t);
	return date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

static int
run(struct ctx *ctx, const struct cmd_entry *ce, struct cmd_args *args)
{
	struct error err = ERROR_INIT;
	enum db_open_mode mode;
	char name[64];
	int rc;

	if (ce->flags & CMD_NEEDS_DB) {
		mode = ce->flags & CMD_CREATES_DB ? DB_OPEN_CREATE : DB_OPEN_EXISTING;
		if ((ctx->db = db_open(ctx->db_path, mode, &err)) == NULL)
			return cmd_fail(&err);
		snprintf(name, sizeof name, "%s%s%s", ce->name,
		    ce->sub ? " " : "", ce->sub ? ce->sub : "");
		db_set_command(ctx->db, name, ctx->actor, ctx->now);
	}
	if (ce->flags & CMD_WRITES) {
		if (db_begin(ctx->db, &err) != 0) {
			rc = cmd_fail(&err);
			goto out;
		}
		rc = ce->exec(ctx, args);
		if (rc == 0) {
			if (db_commit(ctx->db, &err) != 0)
				rc = cmd_fail(&err);
		} else {
			db_rollback(ctx->db);
		}
	} else {
		rc = ce->exec(ctx, args);
	}
out:
	if (fflush(stdout) != 0 && rc == 0)
		rc = cmd_error(EX_IOERR, "cannot write to standard output");
	db_close(ctx->db);
	ctx->db = NULL;
	return rc;
}

int
main(int argc, char **argv)
{
	struct globals g = { 0 };
	struct ctx ctx = { 0 };
	struct cmd_args args = { 0 };
	const struct cmd_entry *ce = NULL;
	char *dbpath = NULL;
	const char *s;
	int used, rc;

	/* People's data: nothing we create is for anyone else to read. */
	umask(077);
	/* Past a file size limit, a write fails (EFBIG, exit 74) instead of killing us. */
	signal(SIGXFSZ, SIG_IGN);
	argc--;
	argv++;
	if (take_globals(&argc, argv, &g) != 0)
		return EX_USAGE;
	if (g.version) {
		printf("mentorctl %s (SQLite %s, schema %d)\n", MENTORCTL_VERSION,
		    db_sqlite_version(), SCHEMA_VERSION);
		return 0;
	}
	if (argc == 0) {
		usage(g.help ? stdout : stderr);
		return g.help ? 0 : EX_USAGE;
	}
	if ((used = cmd_lookup(argc, argv, &ce)) == 0) {
		/* "mentorctl program --help" lists the family. */
		if (g.help && argc >= 1) {
			const struct cmd_entry *const *e;

			for (e = cmd_entries(); *e; e++)
				if (strcmp((*e)->name, argv[0]) == 0) {
					cmd_family_usage(stdout, argv[0]);
					return 0;
				}
		}
		return EX_USAGE;
	}
	if (g.help) {
		cmd_usage(stdout, ce);
		return 0;
	}

	ctx.prog = "mentorctl";
	ctx.cmd = ce;
	ctx.format = g.format ? g.format : NULL;
	ctx.now = time(NULL);
	ctx.actor = (s = getenv("USER")) && *s ? s : "unknown";

	if (g.today == NULL && (s = getenv("MENTORCTL_TODAY")) && *s)
		g.today = s;
	if (g.today) {
		if (cmd_parse_date("--today", g.today, &ctx.today) != 0)
			return EX_DATAERR;
	} else {
		ctx.today = local_today();
	}

	if (g.db == NULL && (s = getenv("MENTORCTL_DB")) && *s)
		g.db = s;
	if (g.db == NULL) {
		if ((dbpath = default_db_path()) == NULL)
			return cmd_error(EX_USAGE, "no database path: give --db, "
			    "set MENTORCTL_DB or HOME");
		g.db = dbpath;
	}
	ctx.db_path = g.db;

	if ((rc = cmd_parse_args(ce, argc - used, argv + used, &args)) != 0) {
		cmd_args_free(&args);
		free(dbpath);
		return rc;
	}
	rc = run(&ctx, ce, &args);
	cmd_args_free(&args);
	free(dbpath);
	return rc;
}
