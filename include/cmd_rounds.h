#ifndef MENTORCTL_CMD_ROUNDS_H
#define MENTORCTL_CMD_ROUNDS_H

#include <stdbool.h>

#include "cmd.h"

/*
 * The formats beyond one-to-one (src/cmd_rounds.c): the commands that own
 * them call these.  Each returns an exit status after printing, like an
 * exec function.
 */

struct program;

/* schedule PROGRAM of a flash or rotational programme; fmt as cmd_out_format. */
int cmd_rounds_schedule(struct ctx *ctx, struct cmd_args *args,
    long long program_id, const struct program *p, int fmt);

/* match PROGRAM of a rotational programme: plan and store the rotation. */
int cmd_rounds_match(struct ctx *ctx, struct cmd_args *args,
    long long program_id, const struct program *p, int fmt);

/*
 * cycle start (close false) or cycle close (close true) of PROGRAM when it
 * is rotational: its cycles are the rotation's periods.  -1 when the
 * programme is not rotational (the caller goes on), else the exit status.
 */
int cmd_rounds_cycle(struct ctx *ctx, struct cmd_args *args, bool close);

/* checkin PAIRING_ID --group ...: the meeting of a whole circle. */
int cmd_rounds_checkin_group(struct ctx *ctx, struct cmd_args *args);

#endif
