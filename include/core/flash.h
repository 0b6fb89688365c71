#ifndef MENTORCTL_CORE_FLASH_H
#define MENTORCTL_CORE_FLASH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/program.h"
#include "core/rounds.h"
#include "util/error.h"

/*
 * Flash sessions (format flash), pure.  A session is flash.rounds timed
 * rounds; in each round every mentor hosts a table of up to
 * flash.table_size mentees and a mentee meets a different mentor each
 * round.  The plan is core/rounds.h's exact plan; a deterministic function
 * of the people (sorted by e-mail) and their scores, so it can be printed
 * or put in a calendar again and again.  Hosts stay at their table, mentees
 * move: tables are numbered 1.. over the mentors who host anyone, in
 * mentor order.
 */

struct flash_session {
	int nmentees;
	int nmentors;
	int nrounds;
	struct rounds_plan plan;   /* meetings by round, mentor, seat */
	int *table;                /* per mentor: its table, 0 when it hosts nobody */
};

/*
 * Plan p's session for nmentees mentees and nmentors mentors with
 * score[i * nmentors + j] (match.h's layout).  Free with
 * flash_session_free.
 */
int flash_plan(const struct program *p, int nmentees, int nmentors,
    const int16_t *score, struct flash_session *s, struct error *err);
void flash_session_free(struct flash_session *s);

/* Mentees with a meeting in every round. */
int flash_full(const struct flash_session *s);

/*
 * Minutes after midnight (local time in flash.timezone) when round r
 * (0-based) starts and ends; -1 when the programme sets no flash.start.
 */
int flash_round_start(const struct program *p, int round);
int flash_round_end(const struct program *p, int round);

/* "HH:MM" of minutes after midnight into buf (at least 6 bytes). */
char *flash_clock(int minutes, char *buf);

#endif
