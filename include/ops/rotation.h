#ifndef MENTORCTL_OPS_ROTATION_H
#define MENTORCTL_OPS_ROTATION_H

#include <stdbool.h>

#include "ops/ops.h"

/*
 * Rotations (format rotational): a mentee meets a different mentor every
 * period; the periods are the programme's cycles.
 */

struct program;

/*
 * Accepting a pairing: *activate stays true only when the pairing may turn
 * active now (a rotation period's pairing waits until its period is open).
 */
int ops_rotation_accept_gate(const struct ops_ctx *o, const struct program *p,
    long long program_id, int slot, bool *activate, struct error *err);

#endif
