#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "cmd_table.h"
#include "util/error.h"

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
	bool to_stdout = out_stream(o) == stdout;
	int rc = out_finish(o);

	out_free(o);
	if (rc != 0)
		return error_set(err, EX_IOERR, "cannot write %s: %s",
		    to_stdout ? "to standard output" : "the output",
		    strerror(errno));
	return 0;
}
