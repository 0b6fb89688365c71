#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "cmd_table.h"
#include "config/program_yaml.h"
#include "core/people.h"
#include "core/program.h"
#include "store/db.h"
#include "store/enrollment_store.h"
#include "store/program_store.h"
#include "util/error.h"

int
cmd_load_program(struct ctx *ctx, const char *slug, long long *id,
    struct program **p)
{
	struct error err = ERROR_INIT;
	struct diags d = DIAGS_INIT;
	char *yaml = NULL;
	char name[96];

	*p = NULL;
	if (store_program_id(ctx->db, slug, id, &err) != 0)
		return cmd_fail(&err);
	if (store_program_yaml(ctx->db, *id, 0, &yaml, &err) != 0)
		return cmd_fail(&err);
	snprintf(name, sizeof name, "programme %s (stored)", slug);
	*p = cfg_program_parse(name, yaml, strlen(yaml), &d);
	free(yaml);
	if (*p == NULL) {
		/* Stored YAML was valid when stored; a newer loader may be stricter. */
		cmd_print_diags(&d);
		diags_free(&d);
		return cmd_error(EX_DATAERR, "stored programme '%s' no longer "
		    "validates; fix it with 'mentorctl program update'", slug);
	}
	diags_free(&d);
	return 0;
}

void
cmd_print_problems(const struct diags *d)
{
	size_t i;

	for (i = 0; i < d->n; i++) {
		char *line = diag_format(&d->v[i]);

		cmd_print_line(stderr, "", line);
		free(line);
	}
}

void
cmd_print_diags(const struct diags *d)
{
	size_t i;

	for (i = 0; i < d->n; i++) {
		char *line = diag_format(&d->v[i]);

		fprintf(stderr, "mentorctl: %s\n", line);
		free(line);
	}
}

int
cmd_out_done(struct out *o)
{
	int rc = out_finish(o);
	int saved = errno;

	out_free(o);
	if (rc != 0)
		return cmd_error(EX_IOERR, "cannot write to standard output: %s",
		    strerror(saved));
	return 0;
}

int
cmd_print_record(const struct ctx *ctx, const struct out_col *cols,
    const char *const *cells, size_t n)
{
	static const struct out_col kv[] = {
		{ "field", OUT_STR }, { "value", OUT_STR },
	};
	int fmt = cmd_out_format(ctx);
	struct out *o;
	size_t i;

	if (fmt < 0)
		return EX_USAGE;
	if (fmt != OUT_TABLE) {
		o = out_new(stdout, (enum out_format)fmt, cols, n, 0);
		out_row(o, cells);
		return cmd_out_done(o);
	}
	o = out_new(stdout, OUT_TABLE, kv, 2, OUT_NO_HEADER);
	for (i = 0; i < n; i++) {
		const char *row[2] = { cols[i].name, cells[i] };

		out_row(o, row);
	}
	return cmd_out_done(o);
}

int
cmd_parse_pairing_id(const char *s, long long *id)
{
	char *end;

	errno = 0;
	*id = strtoll(s, &end, 10);
	if (*s < '0' || *s > '9' || *end != '\0' || errno != 0 || *id <= 0)
		return cmd_error(EX_USAGE, "invalid pairing id '%s' (expected "
		    "the number 'mentorctl pairings' shows)", s);
	return 0;
}

void
cmd_note(struct ctx *ctx, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	strbuf_addstr(ctx->notes, "mentorctl: ");
	cmd_escape_line(ctx->notes, sb.buf);
	strbuf_addch(ctx->notes, '\n');
	strbuf_release(&sb);
}

struct out *
cmd_out_new(const struct ctx *ctx, const struct out_col *cols, size_t ncols)
{
	return out_new(ctx->out, ctx->fmt, cols, ncols, ctx->bom ? OUT_BOM : 0);
}

struct out *
cmd_record_new(const struct ctx *ctx, const struct out_col *cols,
    size_t ncols)
{
	return out_new(ctx->out, ctx->fmt, cols, ncols, ctx->fmt == OUT_TABLE ?
	    OUT_RECORD : ctx->bom ? OUT_BOM : 0);
}

int
cmd_out_end(struct out *o, struct error *err)
{
	int rc = out_finish(o);

	out_free(o);
	if (rc != 0)
		return error_set(err, EX_IOERR, "cannot write the output: %s",
		    strerror(errno));
	return 0;
}
