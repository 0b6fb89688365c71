#ifndef MENTORCTL_IO_HTML_H
#define MENTORCTL_IO_HTML_H

#include <stdio.h>

#include "core/metrics.h"
#include "core/program.h"
#include "util/strbuf.h"

/*
 * The HTML report: one self-contained file a coordinator can mail to a VP.
 * Inline CSS and inline SVG charts (funnel, check-ins per month, ratings),
 * no scripts, no external assets or links, and a Content-Security-Policy
 * that forbids both should anything slip through.  Every piece of text from
 * the data is escaped with html_escape().
 */

/*
 * Text for element content and attribute values: & < > " ' as entities,
 * invalid UTF-8 as U+FFFD, control characters other than tab and newline
 * dropped (they are not allowed in HTML text).
 */
void html_escape(struct strbuf *sb, const char *s);
void html_write_text(FILE *fp, const char *s);

/*
 * Write the whole document for report r of programme p (rows from
 * metrics_rows_build, in the facts it was computed from).  0, or -1 with
 * errno after a write error.
 */
int html_report_write(FILE *fp, const struct program *p,
    const struct metrics_input *in, const struct metrics_report *r,
    const struct metrics_rows *rows);

#endif
