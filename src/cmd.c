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
#include "core/people.h"
#include "io/out.h"
#include "util/strbuf.h"
#include "util/suggest.h"
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
		const char *near = cmd_nearest_name(argv[0], NULL);

		if (near)
			cmd_error(EX_USAGE, "unknown command '%s'; did you mean "
			    "'%s'? (see 'mentorctl help')", argv[0], near);
		else
			cmd_error(EX_USAGE, "unknown command '%s'; see "
			    "'mentorctl help'", argv[0]);
		return 0;
	}

	for (e = cmd_table; *e; e++) {
		if (strcmp((*e)->name, name) != 0)
			continue;
		if ((*e)->sub == NULL) {
			*out = *e;
			/* a family with a plain form too: "scores import" */
			for (e = cmd_table; argc > 1 && *e; e++)
				if (strcmp((*e)->name, name) == 0 && (*e)->sub &&
				    strcmp((*e)->sub, argv[1]) == 0) {
					*out = *e;
					return 2;
				}
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
	if (nfound == 0 && cmd_nearest_name(argv[1], name) != NULL)
		cmd_error(EX_USAGE, "unknown subcommand '%s %s'; did you mean "
		    "'%s %s'?", name, argv[1], name, cmd_nearest_name(argv[1],
		    name));
	else
		cmd_error(EX_USAGE, "%s subcommand '%s %s'; see 'mentorctl %s "
		    "--help'", nfound > 1 ? "ambiguous" : "unknown", name,
		    argv[1], name);
	return 0;
}

/*
 * The command (family NULL) or subcommand of family closest to word, when
 * it is close enough to be what was meant, else NULL.
 */
const char *
cmd_nearest_name(const char *word, const char *family)
{
	const struct cmd_entry *const *e;
	const char *cands[128];
	size_t n = 0;

	for (e = cmd_table; *e && n < sizeof cands / sizeof cands[0]; e++) {
		if ((*e)->flags & CMD_HIDDEN)
			continue;
		if (family == NULL) {
			if (n == 0 || strcmp(cands[n - 1], (*e)->name) != 0)
				cands[n++] = (*e)->name;
		} else if (strcmp((*e)->name, family) == 0 && (*e)->sub) {
			cands[n++] = (*e)->sub;
		}
	}
	return suggest_nearest(word, cands, n);
}

static const struct cmd_option *
find_option(const struct cmd_option *opts, const char *name, size_t len,
    int *idx)
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
noptions(const struct cmd_option *opts)
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

static bool
blank(const char *s)
{
	for (; *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\r' && *s != '\n')
			return false;
	return true;
}

/* Store option o's raw value v into the options struct.  0 or the exit status. */
static int
option_set(const struct cmd_option *o, const char *v, char *base)
{
	void *field = base + o->off;
	char *end;
	long n;
	int day;

	switch (o->type) {
	case OPTION_FLAG:
		*(bool *)field = true;
		return 0;
	case OPTION_STRING:
		*(const char **)field = v;
		return 0;
	case OPTION_TEXT:
		if (blank(v))
			return cmd_error(EX_DATAERR, "option '--%s' must not be "
			    "blank", o->name);
		*(const char **)field = v;
		return 0;
	case OPTION_EMAIL:
		if (!people_email_valid(v))
			return cmd_error(EX_USAGE, "option '--%s' wants an "
			    "e-mail address, not '%s'", o->name, v);
		*(const char **)field = v;
		return 0;
	case OPTION_INT:
		errno = 0;
		n = strtol(v, &end, 10);
		if (*v == '\0' || *end != '\0' || errno != 0)
			return cmd_error(EX_USAGE, "option '--%s' wants a whole "
			    "number, not '%s'", o->name, v);
		if (n < o->min || n > o->max)
			return cmd_error(EX_DATAERR, "option '--%s' must be "
			    "between %ld and %ld, not %ld", o->name, o->min,
			    o->max, n);
		*(long *)field = n;
		return 0;
	case OPTION_DATE:
		if (date_parse(v, &day) != 0)
			return cmd_error(EX_DATAERR, "invalid date '%s' for --%s "
			    "(expected an existing day as YYYY-MM-DD)", v,
			    o->name);
		*(int *)field = day;
		return 0;
	}
	return cmd_error(EX_SOFTWARE, "option '--%s' has an unknown type",
	    o->name);
}

static void
options_defaults(const struct cmd_option *opts, char *base)
{
	int i;

	for (i = 0; opts && opts[i].name; i++) {
		if (opts[i].type == OPTION_DATE)
			*(int *)(base + opts[i].off) = DATE_NONE;
		else if (opts[i].type == OPTION_INT)
			*(long *)(base + opts[i].off) = opts[i].def;
	}
}

static int
unknown_option(const struct cmd_entry *ce, const char *arg, size_t len)
{
	char full[64];
	int i;
	const char *near = NULL;
	size_t best = (size_t)-1, d;

	snprintf(full, sizeof full, "%.*s", (int)(len < 60 ? len : 60), arg + 2);
	for (i = 0; ce->options && ce->options[i].name; i++) {
		d = suggest_distance(full, ce->options[i].name);
		if (d < best) {
			best = d;
			near = ce->options[i].name;
		}
	}
	if (near && best > 0 && best <= (strlen(full) + 2) / 3)
		return cmd_error(EX_USAGE, "unknown option '%.*s' for '%s%s%s'; "
		    "did you mean '--%s'?", (int)len + 2, arg, ce->name,
		    ce->sub ? " " : "", ce->sub ? ce->sub : "", near);
	return cmd_error(EX_USAGE, "unknown option '%.*s' for '%s%s%s'; see "
	    "'mentorctl help %s%s%s'", (int)len + 2, arg, ce->name,
	    ce->sub ? " " : "", ce->sub ? ce->sub : "", ce->name,
	    ce->sub ? " " : "", ce->sub ? ce->sub : "");
}

static int
parse_options(const struct cmd_entry *ce, int argc, char **argv,
    struct cmd_args *a)
{
	const struct cmd_option *o;
	char *base;
	int i, idx, rc;
	bool only_pos = false;

	base = xcalloc(1, ce->options_size ? ce->options_size : 1);
	a->opts = base;
	a->given = xcalloc((size_t)noptions(ce->options) + 1, sizeof *a->given);
	a->pos = xcalloc((size_t)argc + 1, sizeof *a->pos);
	a->npos = 0;
	options_defaults(ce->options, base);
	for (i = 0; i < argc; i++) {
		const char *arg = argv[i], *eq, *v;
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
			return cmd_error(EX_USAGE, "unknown option '%s' for "
			    "'%s%s%s'; see 'mentorctl help %s%s%s'", arg, ce->name,
			    ce->sub ? " " : "", ce->sub ? ce->sub : "", ce->name,
			    ce->sub ? " " : "", ce->sub ? ce->sub : "");
		eq = strchr(arg + 2, '=');
		len = eq ? (size_t)(eq - (arg + 2)) : strlen(arg + 2);
		if ((o = find_option(ce->options, arg + 2, len, &idx)) == NULL)
			return unknown_option(ce, arg, len);
		if (o->type == OPTION_FLAG) {
			if (eq)
				return cmd_error(EX_USAGE, "option '--%s' takes no "
				    "value", o->name);
			v = "";
		} else if (eq) {
			v = eq + 1;
		} else if (i + 1 < argc) {
			v = argv[++i];
		} else {
			return cmd_error(EX_USAGE, "option '--%s' needs a value",
			    o->name);
		}
		a->given[idx] = v;
	}
	/* UTF-8 first: every later message may quote the value */
	for (i = 0; ce->options && ce->options[i].name; i++)
		if (a->given[i] && !valid_utf8(a->given[i]))
			return cmd_error(EX_DATAERR, "option '--%s' is not valid "
			    "UTF-8", ce->options[i].name);
	for (i = 0; i < a->npos; i++)
		if (!valid_utf8(a->pos[i]))
			return cmd_error(EX_DATAERR, "argument %d is not valid "
			    "UTF-8", i + 1);
	for (i = 0; ce->options && ce->options[i].name; i++)
		if (a->given[i] && (rc = option_set(&ce->options[i],
		    a->given[i], base)) != 0)
			return rc;
	return 0;
}

int
cmd_parse_args(const struct cmd_entry *ce, int argc, char **argv,
    struct cmd_args *a)
{
	int rc;

	if ((rc = parse_options(ce, argc, argv, a)) != 0)
		return rc;
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
	free((void *)a->opts);
	free(a->given);
	free(a->pos);
	memset(a, 0, sizeof *a);
}

/*
 * One message line as the spec promises it: one line, nothing that drives a
 * terminal.  Control characters (C0, DEL, C1) from input that a message
 * quotes are shown escaped (\n, \t, \x1b), invalid UTF-8 as \xNN.
 */
void
cmd_escape_line(struct strbuf *sb, const char *s)
{
	const char *end = s + strlen(s);
	unsigned long cp;
	int k;

	while (s < end) {
		unsigned char c = (unsigned char)*s;

		if (c >= 0x20 && c < 0x7F) {
			strbuf_addch(sb, c);
			s++;
		} else if (c == '\n' || c == '\r' || c == '\t') {
			strbuf_addstr(sb, c == '\n' ? "\\n" : c == '\r' ? "\\r" :
			    "\\t");
			s++;
		} else if (c < 0x80) {
			strbuf_addf(sb, "\\x%02x", c);
			s++;
		} else if ((k = utf8_decode(s, (size_t)(end - s), &cp)) > 0 &&
		    cp >= 0xA0) {
			strbuf_add(sb, s, (size_t)k);
			s += k;
		} else if (k > 0) {
			strbuf_addf(sb, "\\u%04lx", cp);
			s += k;
		} else {
			strbuf_addf(sb, "\\x%02x", c);
			s++;
		}
	}
}

void
cmd_print_line(FILE *fp, const char *prefix, const char *msg)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_addstr(&sb, "mentorctl: ");
	strbuf_addstr(&sb, prefix);
	cmd_escape_line(&sb, msg);
	strbuf_addch(&sb, '\n');
	fwrite(sb.buf, 1, sb.len, fp);
	strbuf_release(&sb);
}

static void
vprint(const char *prefix, const char *fmt, va_list ap)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_vaddf(&sb, fmt, ap);
	cmd_print_line(stderr, prefix, sb.buf);
	strbuf_release(&sb);
}

int
cmd_error(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprint("", fmt, ap);
	va_end(ap);
	return code;
}

int
cmd_fail(struct error *err)
{
	int code = err->code ? err->code : EX_SOFTWARE;

	cmd_print_line(stderr, "", err->msg ? err->msg : "internal error");
	error_clear(err);
	return code;
}

void
cmd_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprint("warning: ", fmt, ap);
	va_end(ap);
}

int
cmd_parse_date(const char *what, const char *s, int *out)
{
	if (date_parse(s, out) != 0)
		return cmd_error(EX_DATAERR, "invalid date '%s' for %s (expected "
		    "an existing day as YYYY-MM-DD)", s, what);
	return 0;
}

/* "  --reason TEXT      why it ends": help text from the options table. */
static void
print_options(FILE *fp, const struct cmd_option *opts)
{
	char head[64];
	int i;

	for (i = 0; opts && opts[i].name; i++) {
		snprintf(head, sizeof head, "--%s%s%s", opts[i].name,
		    opts[i].arg ? " " : "", opts[i].arg ? opts[i].arg : "");
		if (strlen(head) < 19)
			fprintf(fp, "  %-19s%s\n", head, opts[i].help);
		else
			fprintf(fp, "  %s\n  %19s%s\n", head, "", opts[i].help);
	}
}

void
cmd_usage(FILE *fp, const struct cmd_entry *ce)
{
	if (ce->sub == NULL || ce->usage != NULL) {
		fprintf(fp, "usage: mentorctl %s%s%s %s\n", ce->name,
		    ce->sub ? " " : "", ce->sub ? ce->sub : "",
		    ce->usage ? ce->usage : "");
		fprintf(fp, "%s\n", ce->summary);
		if (ce->options && ce->options[0].name) {
			fputs("\noptions:\n", fp);
			print_options(fp, ce->options);
		}
		if (ce->example) {
			const char *ex = ce->example, *nl;

			/* one example a line, each indented */
			fputs("\nexample:\n", fp);
			for (; (nl = strchr(ex, '\n')) != NULL; ex = nl + 1)
				fprintf(fp, "  %.*s\n", (int)(nl - ex), ex);
			fprintf(fp, "  %s\n", ex);
		}
		return;
	}
	cmd_family_usage(fp, ce->name);
}

/*
 * Usage of every subcommand of a family, for "mentorctl program --help",
 * then each subcommand's example.
 */
void
cmd_family_usage(FILE *fp, const char *name)
{
	const struct cmd_entry *const *e;
	bool head = false;

	for (e = cmd_table; *e; e++)
		if (strcmp((*e)->name, name) == 0)
			fprintf(fp, "usage: mentorctl %s%s%s %s\n    %s\n",
			    (*e)->name, (*e)->sub ? " " : "",
			    (*e)->sub ? (*e)->sub : "",
			    (*e)->usage ? (*e)->usage : "", (*e)->summary);
	for (e = cmd_table; *e; e++) {
		if (strcmp((*e)->name, name) != 0 || (*e)->example == NULL)
			continue;
		if (!head)
			fputs("\nexamples:\n", fp);
		head = true;
		fprintf(fp, "  %s\n", (*e)->example);
	}
}
