#ifndef MENTORCTL_OPS_FLASH_H
#define MENTORCTL_OPS_FLASH_H

#include "core/flash.h"
#include "ops/ops.h"

/*
 * Flash sessions (format flash): the session is computed, never stored:
 * every eligible mentee and mentor, flash.rounds rounds, flash.table_size
 * mentees per mentor per round, no mentor twice (core/flash.h).  It is a
 * deterministic function of the data, so `schedule` prints it (or writes
 * the calendar) as often as asked once enrollment has closed.  Follow-up
 * pairings after the session are ordinary one-to-one pairings (`pair`).
 */

struct program;

/* A flash session with its people.  The strings belong to it. */
struct ops_flash {
	struct flash_session s;
	const char **mentor_email;  /* [s.nmentors], by e-mail */
	const char **mentee_email;  /* [s.nmentees], by e-mail */
	void *priv;
};

/* Plan p's session from its eligible people.  Free with ops_flash_free. */
int ops_flash_plan(const struct ops_ctx *o, long long program_id,
    const struct program *p, struct ops_flash *f, struct error *err);
void ops_flash_free(struct ops_flash *f);

#endif
