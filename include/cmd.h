#ifndef MENTORCTL_CMD_H
#define MENTORCTL_CMD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <time.h>

#include "io/out.h"
#include "util/error.h"

struct db;

/*
 * What main.c prepares for every command: the resolved database path, the
 * day the command runs as (--today), the output format, and for CMD_NEEDS_DB
 * commands an open database.
 */
struct ctx {
	const char *prog;          /* "mentorctl" */
	const char *db_path;
	int today;                 /* days since 1970-01-01 (core/date.h) */
	time_t now;                /* wall clock, for audit and mail timestamps */
	const char *format;        /* --format as given, NULL when not given */
	const char *actor;         /* $USER (or "unknown"); commands may override with --by */
	struct db *db;             /* open when the command has CMD_NEEDS_DB */
	const struct cmd_entry *cmd;
};

enum cmd_flags {
	CMD_NEEDS_DB = 1 << 0,    /* open the database (it must exist) */
	CMD_WRITES = 1 << 1,      /* run exec inside BEGIN IMMEDIATE ... COMMIT/ROLLBACK */
	CMD_CREATES_DB = 1 << 2,  /* init: create the database when missing */
};

struct cmd_opt {
	const char *name;     /* long name without "--"; NULL ends the list */
	bool takes_value;
	const char *help;     /* "--name VALUE  what it does", for --help */
};

/* Parsed arguments: options by name, then positional arguments in order. */
struct cmd_args {
	const struct cmd_opt *opts;
	const char **values;  /* one per opts[] entry; "" for a flag that was given, NULL if absent */
	char **pos;
	int npos;
};

struct cmd_entry {
	const char *name;      /* "program" */
	const char *sub;       /* "add", or NULL for a single-word command */
	const char *usage;     /* arguments after the name, e.g. "FILE.yaml" */
	const char *summary;   /* one line for `mentorctl --help` */
	const struct cmd_opt *opts;
	int min_args;
	int max_args;          /* -1: no limit */
	unsigned flags;
	/* Returns an exit status: 0, or EX_* after printing one error line. */
	int (*exec)(struct ctx *ctx, struct cmd_args *args);
};

/* Option lookup: the value, "" for a given flag, NULL when absent. */
const char *cmd_opt(const struct cmd_args *a, const char *name);
bool cmd_flag(const struct cmd_args *a, const char *name);

/* Print "mentorctl: MSG" to stderr and return code. */
int cmd_error(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Print err's message and return its code (EX_SOFTWARE when unset); clears err. */
int cmd_fail(struct error *err);
/* Print "mentorctl: warning: MSG". */
void cmd_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Option values: each returns 0, or prints one error line and returns the exit
 * status (EX_USAGE for malformed numbers, EX_DATAERR for impossible dates).
 * When the option is absent *out is left untouched.
 */
int cmd_opt_int(const struct cmd_args *a, const char *name, long min, long max, long *out);
int cmd_opt_date(const struct cmd_args *a, const char *name, int *out);
int cmd_parse_date(const char *what, const char *s, int *out);

/*
 * The output format from --format among the allowed ones (a NULL-terminated
 * list of names, first is the default); -1 after printing a usage error.
 */
int cmd_format(const struct ctx *ctx, const char *const *allowed);
/* For listings: table/csv/json (table default) -> enum out_format, or -1. */
int cmd_out_format(const struct ctx *ctx);

/* The actor of a change: --by when the command has it and it was given, else ctx->actor. */
const char *cmd_actor(const struct ctx *ctx, const struct cmd_args *a);



/* ---- shared by several commands (src/cmd_util.c) ---- */

struct program;
struct diags;

/*
 * The stored programme SLUG: its id and its current YAML parsed.  Prints one
 * error and returns its exit status (unknown programme: EX_DATAERR).
 */
int cmd_load_program(struct ctx *ctx, const char *slug, long long *id,
    struct program **p);
/* One line per problem, "mentorctl: FILE:LINE:COL: message". */
void cmd_print_diags(const struct diags *d);
/*
 * One record: for table as aligned "field  value" lines, for csv and json as
 * a one-row listing.  Returns 0 or the exit status after an error line.
 */
int cmd_print_record(const struct ctx *ctx, const struct out_col *cols,
    const char *const *cells, size_t n);
/* Finish and free a listing; EX_IOERR after an error line when writing failed. */
int cmd_out_done(struct out *o);

struct people_sheet;

/* Re-evaluate these people's pending and eligible enrollments in every programme. */
int cmd_reevaluate_people(struct ctx *ctx, const long long *ids, size_t n);
/* A pairing id as `pairings` prints it: a positive whole number, else EX_USAGE. */
int cmd_parse_pairing_id(const char *s, long long *id);
/*
 * checkin's arguments, for one pairing or a whole circle: PAIRING_ID,
 * --on DATE (required), --minutes, --rating.  0 or the exit status.
 */
int cmd_checkin_args(struct cmd_args *args, long long *id, int *on,
    long *minutes, long *rating);
/* --by EMAIL: record that person as the actor of this command's audit rows. */
int cmd_set_by(struct ctx *ctx, struct cmd_args *args);
/*
 * Every problem of a people sheet, in line order (at most PEOPLE_MAX_SHOWN),
 * then reader_error; "nothing was <done>" when some are not shown.
 * Returns EX_DATAERR.
 */
int cmd_print_sheet_problems(struct people_sheet *s, const char *reader_error,
    const char *done);
#endif
