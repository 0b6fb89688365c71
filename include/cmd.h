#ifndef MENTORCTL_CMD_H
#define MENTORCTL_CMD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <time.h>

#include "io/out.h"
#include "util/error.h"
#include "util/strbuf.h"

struct db;
struct program;

/*
 * What main.c prepares for every command: the resolved database path, the
 * day the command runs as (--today), the output format, and for CMD_NEEDS_DB
 * commands an open database; for CMD_PROGRAM_ARG the programme, for
 * CMD_PAIRING_ARG the pairing id.
 *
 * Output: data goes to ctx->out and messages through cmd_note(); for a
 * CMD_WRITES command both are held until the transaction has committed, so
 * nothing is reported that did not happen, and a reader that goes away
 * (`| head`) cannot undo a write that was made.
 */
struct ctx {
	const char *prog;          /* "mentorctl" */
	const char *db_path;
	int today;                 /* days since 1970-01-01 (core/date.h) */
	time_t now;                /* wall clock, for audit and mail timestamps */
	const char *format;        /* --format as given, NULL when not given */
	enum out_format fmt;       /* CMD_LISTING: --format resolved (table default) */
	bool bom;                  /* --bom: a UTF-8 byte-order mark before CSV */
	const char *actor;         /* $USER (or "unknown"); --by of CMD_BY_ACTOR commands */
	struct db *db;             /* open when the command has CMD_NEEDS_DB */
	const struct cmd_entry *cmd;
	FILE *out;                 /* where data goes (see above) */
	struct strbuf *notes;      /* cmd_note()'s lines, printed last */

	/* CMD_PROGRAM_ARG: the programme named by the first argument */
	const char *slug;
	long long program_id;
	struct program *program;   /* its current definition, parsed */

	/* CMD_PAIRING_ARG: the pairing id the first argument names */
	long long pairing_id;
};

enum cmd_flags {
	CMD_NEEDS_DB = 1 << 0,    /* open the database (it must exist) */
	CMD_WRITES = 1 << 1,      /* run exec inside BEGIN IMMEDIATE ... COMMIT/ROLLBACK */
	CMD_CREATES_DB = 1 << 2,  /* init: create the database when missing */
	CMD_PROGRAM_ARG = 1 << 3, /* argument 1 is a programme slug: load it */
	CMD_PAIRING_ARG = 1 << 4, /* argument 1 is a pairing id: parse it */
	CMD_LISTING = 1 << 5,     /* --format table|csv|json into ctx->fmt */
	CMD_BY_ACTOR = 1 << 6,    /* option --by EMAIL is the audit actor */
	CMD_HIDDEN = 1 << 7,      /* not listed in help or completion */
};

/*
 * Options are declared with the variable they set (git's OPT_STRING): a
 * command has a struct of its options, and each entry names a field of it,
 * checked by the compiler for its type, so a misspelt option cannot build
 * and help is generated from the table.
 *
 *	struct end_opts { const char *reason; const char *by; };
 *	static const struct cmd_option end_options[] = {
 *		OPT_TEXT("reason", "TEXT", struct end_opts, reason, "why it ends"),
 *		OPT_EMAIL("by", struct end_opts, by, "who ends it"),
 *		OPT_END,
 *	};
 *
 * The dispatcher fills the struct (strings NULL, flags false, dates
 * DATE_NONE, numbers their default when absent) and checks the values: a
 * malformed number exits 64, an impossible date, a blank OPT_TEXT or an
 * invalid OPT_EMAIL 65, each with one line naming the option.
 */
enum cmd_option_type {
	OPTION_FLAG,       /* bool */
	OPTION_STRING,     /* const char * */
	OPTION_TEXT,       /* const char *, not blank */
	OPTION_INT,        /* long, within [min, max] */
	OPTION_DATE,       /* int day (core/date.h), DATE_NONE when absent */
	OPTION_EMAIL,      /* const char *, an e-mail address */
};

struct cmd_option {
	const char *name;          /* long name without "--"; NULL ends the list */
	enum cmd_option_type type;
	size_t off;                /* offset of the field in the options struct */
	const char *arg;           /* "TEXT" in "--reason TEXT"; NULL for flags */
	const char *help;
	long min, max, def;        /* OPTION_INT */
};

/* 0, and a compile error unless field f of T has type ctype. */
#define CMD_FIELD_(T, f, ctype) (0 * sizeof(&((T *)0)->f == (ctype *)0))
#define OPT_FLAG(n, T, f, h) \
	{ n, OPTION_FLAG, offsetof(T, f) + CMD_FIELD_(T, f, bool), NULL, h, 0, 0, 0 }
#define OPT_STRING(n, a, T, f, h) \
	{ n, OPTION_STRING, offsetof(T, f) + CMD_FIELD_(T, f, const char *), a, h, 0, 0, 0 }
#define OPT_TEXT(n, a, T, f, h) \
	{ n, OPTION_TEXT, offsetof(T, f) + CMD_FIELD_(T, f, const char *), a, h, 0, 0, 0 }
#define OPT_EMAIL(n, T, f, h) \
	{ n, OPTION_EMAIL, offsetof(T, f) + CMD_FIELD_(T, f, const char *), "EMAIL", h, 0, 0, 0 }
#define OPT_DATE(n, T, f, h) \
	{ n, OPTION_DATE, offsetof(T, f) + CMD_FIELD_(T, f, int), "DATE", h, 0, 0, 0 }
#define OPT_INT(n, a, T, f, lo, hi, d, h) \
	{ n, OPTION_INT, offsetof(T, f) + CMD_FIELD_(T, f, long), a, h, lo, hi, d }
#define OPT_END { NULL, OPTION_FLAG, 0, NULL, NULL, 0, 0, 0 }

/* The options table of a command and the size of the struct it fills. */
#define CMD_OPTIONS(T, table) .options = (table), .options_size = sizeof(T)

/* Parsed arguments: the options struct, then positional arguments in order. */
struct cmd_args {
	const void *opts;     /* the command's options struct (CMD_OPTIONS) */
	const char **given;   /* per options[] entry: the raw value, "" for a flag, NULL */
	char **pos;
	int npos;

};

struct cmd_entry {
	const char *name;      /* "program" */
	const char *sub;       /* "add", or NULL for a single-word command */
	const char *usage;     /* arguments after the name, e.g. "FILE.yaml" */
	const char *summary;   /* one line for `mentorctl --help` */
	const char *example;   /* one example command line for help, or NULL */
	const struct cmd_option *options;
	size_t options_size;
	int min_args;
	int max_args;          /* -1: no limit */
	unsigned flags;
	/*
	 * Returns 0, or -1 with err set (its code is the exit status); only
	 * main.c prints the error.
	 */
	int (*exec)(struct ctx *ctx, const struct cmd_args *args,
	    struct error *err);
};

/*
 * A message for the person at the terminal ("proposed pairing 12 ..."),
 * printed to stderr as "mentorctl: MSG" after the command has succeeded
 * (after the commit for CMD_WRITES).
 */
void cmd_note(struct ctx *ctx, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* A listing on ctx->out in ctx->fmt (with ctx->bom); finish with cmd_out_end. */
struct out *cmd_out_new(const struct ctx *ctx, const struct out_col *cols,
    size_t ncols);
/* Finish and free a listing; -1 with EX_IOERR when writing failed. */
int cmd_out_end(struct out *o, struct error *err);
/*
 * One record: for table as aligned "field  value" lines, for csv and json as
 * a one-row listing, from typed cells set with out_*() on the returned
 * writer; finish with cmd_out_end.
 */
struct out *cmd_record_new(const struct ctx *ctx, const struct out_col *cols,
    size_t ncols);
/*
 * The problems of an input file that an ops function returned with its
 * error (struct diags, all but the last line, which is the error): one
 * "mentorctl: ..." line each, at once, before main.c prints the error.
 */
struct diags;
void cmd_print_problems(const struct diags *d);

/*
 * `checkin --csv FILE` and `feedback --csv FILE` (feedback true): the
 * responses of a form export recorded in programme slug (ops/forms.h), a
 * note for each response recorded already and a summary note; date_order
 * is --date-order (NULL, "mdy" or "dmy").
 */
int cmd_form_import(struct ctx *ctx, bool feedback, const char *file,
    const char *slug, const char *date_order, struct error *err);

/*
 * A leader session's id as `session list` prints it (a positive whole
 * number) from argument s; -1 with EX_USAGE otherwise.  The session
 * commands of cmd_session.c and cmd_session_mail.c share it.
 */
int cmd_session_id(const char *s, long long *id, struct error *err);

/*
 * How a command's mail leaves: --smtp HOST[:PORT] or --sendmail CMD as
 * given (both at once: 64), else $MENTORCTL_SMTP, else $MENTORCTL_SENDMAIL,
 * else MAIL_SENDMAIL_DEFAULT.  The SMTP session opens with the first
 * message; mail_transport_close ends it.  -1 with EX_USAGE when both
 * options are given or HOST[:PORT] is malformed.  Every command with
 * --sendmail has --smtp (OPT_SMTP) and calls this.
 */
struct mail_transport;
int cmd_mail_transport(const char *sendmail, const char *smtp, long timeout,
    struct mail_transport *t, struct error *err);
/* --sendmail CMD, as every command that sends mail offers it. */
#define OPT_SENDMAIL(T, f) \
	OPT_STRING("sendmail", "CMD", T, f, "mail program reading a message " \
	    "on stdin (default: $MENTORCTL_SENDMAIL, else 'sendmail -t -oi')")
/* The user of OPT_MAIL_TIMEOUT includes io/mail.h (MAIL_TIMEOUT_DEFAULT). */
#define OPT_MAIL_TIMEOUT(T, f) \
	OPT_INT("timeout", "SECONDS", T, f, 1, 3600, MAIL_TIMEOUT_DEFAULT, \
	    "time the mail " \
	    "program may take per message before it is killed, or the SMTP " \
	    "server per reply (default 120)")
#define OPT_SMTP(T, f) \
	OPT_STRING("smtp", "HOST[:PORT]", T, f, "send over SMTP to this relay " \
	    "(port 25 by default), one session for the whole run, instead of " \
	    "a mail program (else $MENTORCTL_SMTP, which goes before " \
	    "$MENTORCTL_SENDMAIL)")

/* Print "mentorctl: warning: MSG" at once (control characters escaped). */
void cmd_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
