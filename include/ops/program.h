#ifndef MENTORCTL_OPS_PROGRAM_H
#define MENTORCTL_OPS_PROGRAM_H

#include <stdbool.h>
#include <stddef.h>

#include "core/program.h"
#include "ops/ops.h"
#include "store/enrollment_store.h"
#include "util/error.h"

/*
 * Programmes from their YAML files: checking, adding, updating (a new
 * version; every version is kept, and everyone pending or eligible is
 * judged again under the new rules).  ops_program_load is in ops/ops.h.
 */

/* The id of the stored programme SLUG; unknown: as ops_program_load. */
int ops_program_id(const struct ops_ctx *o, const char *slug, long long *id,
    struct error *err);

struct ops_program {
	long long id;
	int version;                /* the version now current */
	bool changed;               /* update: false when the text was the same */
	struct program *program;    /* the parsed definition */
	struct elig_counts elig;    /* update: the re-evaluation */
	struct diags problems;      /* on failure: the lines before err's */
};

/*
 * Parse and validate the YAML text (name is the file as messages name
 * it).  Every problem is a line "FILE:LINE:COL: message": the last in err,
 * the others in res->problems.  Nothing is stored.
 */
int ops_program_check(const char *name, const char *text, size_t len,
    struct ops_program *res, struct error *err);
/* Store a new programme (version 1).  A slug that exists: EX_DATAERR. */
int ops_program_add(const struct ops_ctx *o, const char *name,
    const char *text, size_t len, struct ops_program *res, struct error *err);
/*
 * Store a new version of the programme the file names, and re-evaluate
 * its pending and eligible enrollments as of o->today.
 */
int ops_program_update(const struct ops_ctx *o, const char *name,
    const char *text, size_t len, struct ops_program *res, struct error *err);
void ops_program_free(struct ops_program *res);

#endif
