#ifndef MENTORCTL_OPS_FORMS_H
#define MENTORCTL_OPS_FORMS_H

#include <stddef.h>

#include "core/form.h"
#include "ops/ops.h"
#include "util/error.h"

/*
 * `checkin --csv FILE` and `feedback --csv FILE`: the responses of a form
 * (a Microsoft Forms or Google Forms export, or a plain file), each row
 * recorded through ops_checkin / ops_feedback as the single commands do.
 *
 * The respondent's e-mail column names the person; the pairing is their
 * active pairing in the programme, or the one a `pairing` or partner
 * e-mail column names (required when they have several).  Question columns
 * are found by their header (core/form.h's form_header_key, then the
 * aliases in ops/forms.c and the man page).
 *
 * All or nothing: every row is checked, every problem is reported ("FILE:
 * LINE: column: what is wrong"), and when there is one nothing is written
 * (the import is a savepoint of its own; each row's attempt another).  A
 * response recorded already (a check-in of that pairing on that day; the
 * person's feedback about that pairing in that cycle) is skipped and
 * counted, so that importing the same file again changes nothing.
 */

struct csv_named;

enum ops_form_kind {
	OPS_FORM_CHECKIN,
	OPS_FORM_FEEDBACK,
};

enum ops_form_source {
	OPS_FORM_PLAIN,
	OPS_FORM_MICROSOFT,        /* ID, Start time, Completion time, Email */
	OPS_FORM_GOOGLE,           /* Timestamp, Email Address */
};

struct ops_form_import {
	enum ops_form_source source;
	size_t rows;               /* responses read */
	size_t recorded;           /* check-ins or feedback written */
	size_t already;            /* recorded before: skipped */
	struct diags skipped;      /* "FILE:LINE: already recorded: ..." */
	struct diags problems;     /* on failure: the lines before err's */
};

/*
 * Import the responses of r (its header read) into programme slug.
 * order: how slash dates read (FORM_ORDER_AUTO: core/form.h).  On failure
 * err is the last line and res->problems the lines before it.  Free with
 * ops_form_import_free.
 */
int ops_form_import(const struct ops_ctx *o, enum ops_form_kind kind,
    const char *slug, struct csv_named *r, enum form_date_order order,
    struct ops_form_import *res, struct error *err);
void ops_form_import_free(struct ops_form_import *res);

/* "a Microsoft Forms export", "a Google Forms export", "a file". */
const char *ops_form_source_name(enum ops_form_source s);

#endif
