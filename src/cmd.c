/*
 * The command table and what every command shares: lookup by name with
 * unambiguous prefixes (tmux), option parsing, usage and error output.
 */
#include "cmd_table.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "io/out.h"
#include "util/xmalloc.h"

#define CMD_ENTRY(e) extern const struct cmd_entry e;
#include "cmd_list.h"
#undef CMD_ENTRY

#define CMD_ENTRY(e) &e,
static const struct cmd_entry *const cmd_table[] = {
#include "cmd_list.h"
	NULL
};
#undef CMD_ENTRY

const struct cmd_entry *const *
cmd_entries(void)
{
	return cmd_table;
}

static bool
is_prefix(const char *prefix, const char *name)
{
	return strncmp(prefix, name, strlen(prefix)) == 0;
}

/*
 * Resolve argv[0] (and argv[1] for two-word commands) to an entry.  Exact
 * names win; otherwise a prefix must name exactly one command.  Returns the
 * number of words used (1 or 2), 0 after printing why nothing matched.
 */
int
cmd_lookup(int argc, char **argv, const struct cmd_entry **out)
{
	const struct cmd_entry *const *e;
	const char *name = NULL;
	const struct cmd_entry *found = NULL;
	int nfound = 0;

	for (e = cmd_table; *e; e++) {
		if (strcmp((*e)->name, argv[0]) == 0) {
			name = (*e)->name;
			break;
		}
	}
	if (name == NULL) {
		for (e = cmd_table; *e; e++) {
			if (!is_prefix(argv[0], (*e)->name))
				continue;
			/* Entries of one family are adjacent: count names once. */
			if (name == NULL || strcmp(name, (*e)->name) != 0) {
				nfound++;
				name = (*e)->name;
			}
		}
		if (nfound > 1) {
			cmd_error(EX_USAGE, "ambiguous command '%s'; see "
			    "'mentorctl --help'", argv[0]);
			return 0;
		}
	}
	if (name == NULL) {
		cmd_error(EX_USAGE, "unknown command '%s'; see 'mentorctl --help'",
		    argv[0]);
		return 0;
	}

	for (e = cmd_table; *e; e++) {
		if (strcmp((*e)->name, name) != 0)
			continue;
		if ((*e)->sub == NULL) {
			*out = *e;
			return 1;
		}
	}
	if (argc < 2 || argv[1][0] == '-') {
		cmd_error(EX_USAGE, "'%s' needs a subcommand; see 'mentorctl %s --help'",
		    name, name);
		return 0;
	}
	nfound = 0;
	for (e = cmd_table; *e; e++) {
		if (strcmp((*e)->name, name) != 0)
			continue;
		if (strcmp((*e)->sub, argv[1]) == 0) {
			*out = *e;
			return 2;
		}
		if (is_prefix(argv[1], (*e)->sub)) {
			found = *e;
			nfound++;
		}
	}
	if (nfound == 1) {
		*out = found;
		return 2;
	}
	cmd_error(EX_USAGE, "%s subcommand '%s %s'; see 'mentorctl %s --help'",
	    nfound > 1 ? "ambiguous" : "unknown", name, argv[1], name);
	return 0;
}

static const struct cmd_opt *
find_opt(const struct cmd_opt *opts, const char *name, size_t len, int *idx)
{
	int i;

	for (i = 0; opts && opts[i].name; i++) {
		if (strlen(opts[i].name) == len &&
		    strncmp(opts[i].name, name, len) == 0) {
			*idx = i;
			return &opts[i];
		}
	}
	return NULL;
}

static int
nopts(const struct cmd_opt *opts)
{
	int n = 0;

	while (opts && opts[n].name)
		n++;
	return n;
}

static bool
valid_utf8(const char *s)
{
	size_t len = strlen(s), i = 0;
	unsigned long cp;
	int n;

	while (i < len) {
		if ((n = utf8_decode(s + i, len - i, &cp)) <= 0)
			return false;
		i += (size_t)n;
	}
	return true;
}

/*
 * Text from the command line ends up in the database, mail and exports, which
 * all promise UTF-8: refuse it here, once for every command, not per field.
 */
static int
check_utf8(const struct cmd_args *a)
{
	int i;

	for (i = 0; a->opts && a->opts[i].name; i++)
		if (a->values[i] && !valid_utf8(a->values[i]))
			return cmd_error(EX_DATAERR, "option '--%s' is not valid "
			    "UTF-8", a->opts[i].name);
	for (i = 0; i < a->npos; i++)
		if (!valid_utf8(a->pos[i]))
			return cmd_error(EX_DATAERR, "argument %d is not valid "
			    "UTF-8", i + 1);
	return 0;
}

int
cmd_parse_args(const struct cmd_entry *ce, int argc, char **argv,
    struct cmd_args *a)
{
	int i, idx;
	bool only_pos = false;

	a->opts = ce->opts;
	a->values = xcalloc((size_t)nopts(ce->opts) + 1, sizeof *a->values);
	a->pos = xcalloc((size_t)argc + 1, sizeof *a->pos);
	a->npos = 0;
	for (i = 0; i < argc; i++) {
		const char *arg = argv[i];
		const char *eq;
		const struct cmd_opt *o;
		size_t len;

		if (only_pos || arg[0] != '-' || strcmp(arg, "-") == 0) {
			a->pos[a->npos++] = argv[i];
			continue;
		}
		if (strcmp(arg, "--") == 0) {
			only_pos = true;
			continue;
		}
		if (arg[1] != '-')
			return cmd_error(EX_USAGE, "unknown option '%s' for '%s'; "
			    "see 'mentorctl %s%s%s --help'", arg, ce->name,
			    ce->name, ce->sub ? " " : "", ce->sub ? ce->sub : "");
		eq = strchr(arg + 2, '=');
		len = eq ? (size_t)(eq - (arg + 2)) : strlen(arg + 2);
		if ((o = find_opt(ce->opts, arg + 2, len, &idx)) == NULL)
			return cmd_error(EX_USAGE, "unknown option '%.*s' for '%s%s%s'; "
			    "see 'mentorctl %s%s%s --help'", (int)len + 2, arg,
			    ce->name, ce->sub ? " " : "", ce->sub ? ce->sub : "",
			    ce->name, ce->sub ? " " : "", ce->sub ? ce->sub : "");
		if (!o->takes_value) {
			if (eq)
				return cmd_error(EX_USAGE, "option '--%s' takes no value",
				    o->name);
			a->values[idx] = "";
		} else if (eq) {
			a->values[idx] = eq + 1;
		} else if (i + 1 < argc) {
			a->values[idx] = argv[++i];
		} else {
			return cmd_error(EX_USAGE, "option '--%s' needs a value",
			    o->name);
		}
	}
	if ((i = check_utf8(a)) != 0)
		return i;
	if (a->npos < ce->min_args || (ce->max_args >= 0 && a->npos > ce->max_args))
		return cmd_error(EX_USAGE, "%s; usage: mentorctl %s%s%s %s",
		    a->npos < ce->min_args ? "missing argument" : "too many arguments",
		    ce->name, ce->sub ? " " : "", ce->sub ? ce->sub : "",
		    ce->usage ? ce->usage : "");
	return 0;
}

void
cmd_args_free(struct cmd_args *a)
{
	free(a->values);
	free(a->pos);
	a->values = NULL;
	a->pos = NULL;
}

const char *
cmd_opt(const struct cmd_args *a, const char *name)
{
	int i;

	for (i = 0; a->opts && a->opts[i].name; i++)
		if (strcmp(a->opts[i].name, name) == 0)
			return a->values[i];
	return NULL;
}

bool
cmd_flag(const struct cmd_args *a, const char *name)
{
	return cmd_opt(a, name) != NULL;
}

int
cmd_error(int code, const char *fmt, ...)
{
	va_list ap;

	fputs("mentorctl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return code;
}

int
cmd_fail(struct error *err)
{
	int code = err->code ? err->code : EX_SOFTWARE;

	fprintf(stderr, "mentorctl: %s\n", err->msg ? err->msg : "internal error");
	error_clear(err);
	return code;
}

void
cmd_warn(const char *fmt, ...)
{
	va_list ap;

	fputs("mentorctl: warning: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int
cmd_opt_int(const struct cmd_args *a, const char *name, long min, long max,
    long *out)
{
	const char *s = cmd_opt(a, name);
	char *end;
	long v;

	if (s == NULL)
		return 0;
	errno = 0;
	v = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || errno != 0)
		return cmd_error(EX_USAGE, "option '--%s' wants a whole number, "
		    "not '%s'", name, s);
	if (v < min || v > max)
		return cmd_error(EX_DATAERR, "option '--%s' must be between %ld "
		    "and %ld, not %ld", name, min, max, v);
	*out = v;
	return 0;
}

int
cmd_parse_date(const char *what, const char *s, int *out)
{
	if (date_parse(s, out) != 0)
		return cmd_error(EX_DATAERR, "invalid date '%s' for %s (expected "
		    "an existing day as YYYY-MM-DD)", s, what);
	return 0;
}

int
cmd_opt_date(const struct cmd_args *a, const char *name, int *out)
{
	const char *s = cmd_opt(a, name);
	char what[64];

	if (s == NULL)
		return 0;
	snprintf(what, sizeof what, "--%s", name);
	return cmd_parse_date(what, s, out);
}

int
cmd_format(const struct ctx *ctx, const char *const *allowed)
{
	int i;

	if (ctx->format == NULL)
		return 0;
	for (i = 0; allowed[i]; i++)
		if (strcmp(allowed[i], ctx->format) == 0)
			return i;
	{
		char list[160] = "";
		size_t len = 0;

		for (i = 0; allowed[i]; i++) {
			int n = snprintf(list + len, sizeof list - len, "%s%s",
			    i ? ", " : "", allowed[i]);

			if (n < 0 || (size_t)n >= sizeof list - len)
				break;
			len += (size_t)n;
		}
		cmd_error(EX_USAGE, "unknown format '%s' for '%s' (expected %s)",
		    ctx->format, ctx->cmd ? ctx->cmd->name : "mentorctl", list);
	}
	return -1;
}

int
cmd_out_format(const struct ctx *ctx)
{
	static const char *const fmts[] = { "table", "csv", "json", NULL };
	static const int map[] = { OUT_TABLE, OUT_CSV, OUT_JSON };
	int i = cmd_format(ctx, fmts);

	return i < 0 ? -1 : map[i];
}

const char *
cmd_actor(const struct ctx *ctx, const struct cmd_args *a)
{
	const char *by = cmd_opt(a, "by");

	return by && *by ? by : ctx->actor;
}

static void
print_opts(FILE *fp, const struct cmd_opt *opts)
{
	int i;

	for (i = 0; opts && opts[i].name; i++)
		fprintf(fp, "  %s\n", opts[i].help ? opts[i].help : opts[i].name);
}

void
cmd_usage(FILE *fp, const struct cmd_entry *ce)
{
	const struct cmd_entry *const *e;

	if (ce->sub == NULL || ce->usage != NULL) {
		fprintf(fp, "usage: mentorctl %s%s%s %s\n", ce->name,
		    ce->sub ? " " : "", ce->sub ? ce->sub : "",
		    ce->usage ? ce->usage : "");
		fprintf(fp, "%s\n", ce->summary);
		if (ce->opts && ce->opts[0].name) {
			fputs("\noptions:\n", fp);
			print_opts(fp, ce->opts);
		}
		return;
	}
	for (e = cmd_table; *e; e++)
		if (strcmp((*e)->name, ce->name) == 0)
			fprintf(fp, "usage: mentorctl %s %s %s\n", (*e)->name,
			    (*e)->sub, (*e)->usage ? (*e)->usage : "");
}

/* Usage of every subcommand of a family, for "mentorctl program --help". */
void
cmd_family_usage(FILE *fp, const char *name)
{
	const struct cmd_entry *const *e;

	for (e = cmd_table; *e; e++)
		if (strcmp((*e)->name, name) == 0)
			fprintf(fp, "usage: mentorctl %s%s%s %s\n    %s\n",
			    (*e)->name, (*e)->sub ? " " : "",
			    (*e)->sub ? (*e)->sub : "",
			    (*e)->usage ? (*e)->usage : "", (*e)->summary);
}
