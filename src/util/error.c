#include "util/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "util/strbuf.h"
#include "util/xmalloc.h"

int
error_set(struct error *err, int code, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	if (err == NULL)
		return -1;
	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	free(err->msg);
	err->msg = strbuf_detach(&sb, NULL);
	err->code = code;
	return -1;
}

void
error_prefix(struct error *err, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	if (err == NULL)
		return;
	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	strbuf_addstr(&sb, err->msg ? err->msg : "");
	free(err->msg);
	err->msg = strbuf_detach(&sb, NULL);
}

void
error_clear(struct error *err)
{
	if (err == NULL)
		return;
	free(err->msg);
	err->msg = NULL;
	err->code = 0;
}

void
diags_add(struct diags *d, const char *file, int line, int col,
    const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	struct diag *dg;
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	XGROW(d->v, d->n + 1, d->cap);
	dg = &d->v[d->n++];
	dg->file = file ? xstrdup(file) : NULL;
	dg->line = line;
	dg->col = col;
	dg->msg = strbuf_detach(&sb, NULL);
}

char *
diag_format(const struct diag *dg)
{
	struct strbuf sb = STRBUF_INIT;

	if (dg->file) {
		strbuf_addstr(&sb, dg->file);
		if (dg->line > 0) {
			strbuf_addf(&sb, ":%d", dg->line);
			if (dg->col > 0)
				strbuf_addf(&sb, ":%d", dg->col);
		}
		strbuf_addstr(&sb, ": ");
	}
	strbuf_addstr(&sb, dg->msg);
	return strbuf_detach(&sb, NULL);
}

void
diags_free(struct diags *d)
{
	size_t i;

	for (i = 0; i < d->n; i++) {
		free(d->v[i].file);
		free(d->v[i].msg);
	}
	free(d->v);
	d->v = NULL;
	d->n = d->cap = 0;
}
