#ifndef MENTORCTL_SCHEDULE_INT_H
#define MENTORCTL_SCHEDULE_INT_H

/*
 * What the files of the schedule command share (cmd_schedule.c and
 * cmd_schedule_flash.c): its options, its columns, one row of any format,
 * and the calendar writer.
 */

#include <stdbool.h>

#include "cmd.h"
#include "io/calendar.h"

struct schedule_opts {
	int from;
	int until;
	const char *ics;
	const char *who;
};

#define SCHEDULE_NCOLS 14
/* round (check-ins, flash) or period (rotation) first, the rest the same */
extern const struct out_col schedule_round_cols[SCHEDULE_NCOLS];
extern const struct out_col schedule_period_cols[SCHEDULE_NCOLS];

/* One row of any format; strings borrowed, absent values NULL / 0 / DATE_NONE. */
struct srow {
	int number;                /* round, meeting or period */
	const char *mentor_email;
	const char *mentee_email;
	int date;
	int until;
	int start;                 /* minutes after midnight, -1 none */
	int end;
	int table;
	long long pairing;
	const char *status;
	const char *topic;
	bool has_score;
	int score;
	const char *mentor_name;
	const char *mentee_name;
};

void schedule_srow_out(struct out *o, const struct srow *r,
    const char *first);
/* The name, or the address when there is none. */
const char *schedule_who(const char *name, const char *email);
/* Whether the row is for --for EMAIL (NULL and "all": every row). */
bool schedule_row_for(const char *email, const char *mentor,
    const char *mentee);
/* A calendar of the programme: its name, contact as organizer. */
void schedule_cal_open(struct ctx *ctx, struct calendar *cal,
    const char *prefix);
/* Sequences recorded, then the file ("-": the command's output). */
int schedule_cal_write(struct ctx *ctx, struct calendar *cal,
    const char *path, const char *what, struct error *err);

/* The flash format's schedule (cmd_schedule_flash.c). */
int schedule_flash(struct ctx *ctx, const struct schedule_opts *opt,
    const char *prefix, struct error *err);

#endif
