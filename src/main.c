/*
 * mentorctl: global options, the context every command gets, and dispatch.
 * Global options may stand before or after the command; everything else is
 * the command's.
 */
#include <errno.h>
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
#include "core/program.h"
#include "ops/eligibility.h"
#include "ops/ops.h"
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
	bool bom;
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

		if ((*e)->flags & CMD_HIDDEN)
			continue;
		snprintf(name, sizeof name, "%s%s%s", (*e)->name,
		    (*e)->sub ? " " : "", (*e)->sub ? (*e)->sub : "");
		fprintf(fp, "  %-18s %s\n", name, (*e)->summary);
	}
	fputs("\nglobal options:\n"
	    "  --db PATH          the database (else $MENTORCTL_DB, else\n"
	    "                     $XDG_DATA_HOME/mentorctl/mentorctl.db)\n"
	    "  --today DATE       run as of this day (else $MENTORCTL_TODAY, else the date)\n"
	    "  --format FORMAT    table (default), csv or json; some commands have more\n"
	    "  --bom              a UTF-8 byte-order mark before CSV output (for Excel)\n"
	    "  --help, --version\n\n"
	    "'mentorctl help COMMAND' shows a command's options and an example.\n\n"
	    "Exit status: 0 ok, 64 usage, 65 bad data, 66 no input, 69 mail failed,\n"
	    "70 internal, 73 cannot create output, 74 I/O or database error,\n"
	    "75 database busy, 78 database from a newer mentorctl.  See mentorctl(1).\n",
	    fp);
}

/* A family name alone ("people"), exactly or as an unambiguous prefix. */
static const char *
family_of(const char *word)
{
	const struct cmd_entry *const *e;
	const char *found = NULL;
	bool plain = false;

	/* An exact name wins over a prefix: "pair" is not "pairing". */
	for (e = cmd_entries(); *e; e++) {
		if (strcmp((*e)->name, word) != 0)
			continue;
		if ((*e)->sub != NULL)
			return (*e)->name;
		plain = true;
	}
	if (plain)
		return NULL;
	for (e = cmd_entries(); *e; e++) {
		if ((*e)->sub == NULL)
			continue;
		if (strncmp((*e)->name, word, strlen(word)) == 0) {
			if (found && strcmp(found, (*e)->name) != 0)
				return NULL;
			found = (*e)->name;
		}
	}
	return found;
}

/* `mentorctl help COMMAND`, `mentorctl COMMAND --help`: 0, or 64 after an error. */
static int
help(int argc, char **argv)
{
	const struct cmd_entry *ce;
	const char *fam = family_of(argv[0]);

	if (fam != NULL && (argc < 2 || argv[1][0] == '-')) {
		cmd_family_usage(stdout, fam);
		return 0;
	}
	if (cmd_lookup(argc, argv, &ce) == 0)
		return EX_USAGE;
	cmd_usage(stdout, ce);
	return 0;
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
		else if (strcmp(a, "--bom") == 0)
			g->bom = true;
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

/*
 * The wall clock for audit rows and mail, or SOURCE_DATE_EPOCH when it is
 * set (reproducible-builds.org): with --today it makes a demo or a test run
 * byte-for-byte reproducible.
 */
static time_t
wall_clock(void)
{
	const char *s = getenv("SOURCE_DATE_EPOCH");
	char *end;
	long long v;

	if (s && *s) {
		errno = 0;
		v = strtoll(s, &end, 10);
		if (*end == '\0' && errno == 0 && v >= 0 && v < 253402300800LL)
			return (time_t)v;
	}
	return time(NULL);
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

/* The option named "by", when the command has one and it was given. */
static const char *
given_by(const struct cmd_entry *ce, const struct cmd_args *args)
{
	int i;

	for (i = 0; ce->options && ce->options[i].name; i++)
		if (strcmp(ce->options[i].name, "by") == 0)
			return args->given[i];
	return NULL;
}

/* What the command prepared, before exec: format, targets, actor.  0 or -1. */
static int
prepare(struct ctx *ctx, const struct cmd_entry *ce, struct cmd_args *args,
    struct error *err)
{
	char *end;
	const char *by;
	int fmt;

	if (ce->flags & CMD_LISTING) {
		fmt = ctx->format ? out_format_parse(ctx->format) : OUT_TABLE;
		if (fmt < 0)
			return error_set(err, EX_USAGE, "unknown format '%s' for "
			    "'%s' (expected table, csv or json)", ctx->format,
			    ce->name);
		ctx->fmt = (enum out_format)fmt;
	}
	if ((ce->flags & CMD_PAIRING_ARG) && args->npos > 0) {
		const char *s = args->pos[0];

		errno = 0;
		ctx->pairing_id = strtoll(s, &end, 10);
		if (*s < '0' || *s > '9' || *end != '\0' || errno != 0 ||
		    ctx->pairing_id <= 0)
			return error_set(err, EX_USAGE, "invalid pairing id '%s' "
			    "(expected the number 'mentorctl pairings' shows)",
			    s);
	}
	if ((ce->flags & CMD_BY_ACTOR) && (by = given_by(ce, args)) != NULL) {
		char name[64];

		ctx->actor = by;
		snprintf(name, sizeof name, "%s%s%s", ce->name,
		    ce->sub ? " " : "", ce->sub ? ce->sub : "");
		db_set_command(ctx->db, name, by, ctx->now);
	}
	if ((ce->flags & CMD_PROGRAM_ARG) && args->npos > 0) {
		struct ops_ctx o = { ctx->db, ctx->today, ctx->now, ctx->actor };

		ctx->slug = args->pos[0];
		if (ops_program_load(&o, ctx->slug, &ctx->program_id,
		    &ctx->program, err) != 0)
			return -1;
		/* Whoever qualifies as of today is in the pool it reads. */
		if (ops_eligibility_refresh(&o, ctx->program_id, ctx->program,
		    NULL, err) != 0)
			return -1;
	}
	return 0;
}

/*
 * After the commit: what the command printed, then its notes.  A reader that
 * went away (EPIPE) is not a failure of a write that was made; any other
 * write error is reported (74), the change standing.
 */
static int
flush_after(const char *buf, size_t len, const struct strbuf *notes)
{
	int rc = 0;

	signal(SIGPIPE, SIG_IGN);
	if (len > 0 && fwrite(buf, 1, len, stdout) != len && errno != EPIPE)
		rc = cmd_error(EX_IOERR, "the change was saved, but writing "
		    "its output failed: %s", strerror(errno));
	if (rc == 0 && fflush(stdout) != 0 && errno != EPIPE)
		rc = cmd_error(EX_IOERR, "the change was saved, but writing "
		    "its output failed: %s", strerror(errno));
	if (notes->len > 0)
		fwrite(notes->buf, 1, notes->len, stderr);
	return rc;
}

static int
run(struct ctx *ctx, const struct cmd_entry *ce, struct cmd_args *args)
{
	struct error err = ERROR_INIT;
	struct strbuf notes = STRBUF_INIT;
	enum db_open_mode mode;
	char name[64], *buf = NULL;
	size_t len = 0;
	FILE *mem = NULL;
	int rc = 0;

	ctx->out = stdout;
	ctx->notes = &notes;
	if (ce->flags & CMD_NEEDS_DB) {
		mode = ce->flags & CMD_CREATES_DB ? DB_OPEN_CREATE : DB_OPEN_EXISTING;
		if ((ctx->db = db_open(ctx->db_path, mode, &err)) == NULL)
			return cmd_fail(&err);
		snprintf(name, sizeof name, "%s%s%s", ce->name,
		    ce->sub ? " " : "", ce->sub ? ce->sub : "");
		db_set_command(ctx->db, name, ctx->actor, ctx->now);
	}
	if (ce->flags & CMD_WRITES) {
		if ((mem = open_memstream(&buf, &len)) == NULL) {
			rc = cmd_error(EX_OSERR, "out of memory");
			goto out;
		}
		ctx->out = mem;
		if (db_begin(ctx->db, &err) != 0) {
			rc = cmd_fail(&err);
			goto out_mem;
		}
	}
	if (prepare(ctx, ce, args, &err) == 0 && ce->exec(ctx, args, &err) == 0) {
		if ((ce->flags & CMD_WRITES) && db_commit(ctx->db, &err) != 0)
			rc = cmd_fail(&err);
	} else {
		if (ce->flags & CMD_WRITES)
			db_rollback(ctx->db);
		rc = cmd_fail(&err);
	}
out_mem:
	if (mem != NULL) {
		fclose(mem);
		if (rc == 0)
			rc = flush_after(buf, len, &notes);
		free(buf);
		goto out_notes;
	}
	if (rc == 0 && notes.len > 0)
		fwrite(notes.buf, 1, notes.len, stderr);
out:
	if (fflush(stdout) != 0 && rc == 0)
		rc = cmd_error(EX_IOERR, "cannot write to standard output");
out_notes:
	program_free(ctx->program);
	ctx->program = NULL;
	strbuf_release(&notes);
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
	if (strcmp(argv[0], "help") == 0) {
		if (argc == 1) {
			usage(stdout);
			return 0;
		}
		return help(argc - 1, argv + 1);
	}
	if (g.help)
		return help(argc, argv);
	if ((used = cmd_lookup(argc, argv, &ce)) == 0)
		return EX_USAGE;

	ctx.prog = "mentorctl";
	ctx.cmd = ce;
	ctx.format = g.format ? g.format : NULL;
	ctx.bom = g.bom;
	ctx.now = wall_clock();
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
