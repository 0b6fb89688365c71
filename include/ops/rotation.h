#ifndef MENTORCTL_OPS_ROTATION_H
#define MENTORCTL_OPS_ROTATION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/status.h"
#include "ops/ops.h"

/*
 * Rotations (format rotational): a mentee meets a different mentor every
 * period; the periods are the programme's cycles (core/rotation.h).  The
 * life cycle:
 *
 *   match           plans the rotation of every mentee without one over the
 *                   periods left (the open one and those to come), exactly
 *                   optimal, and stores one pairing per (mentee, period)
 *                   with slot = the period.  The open period's pairings are
 *                   proposed today (active at once with consent none); a
 *                   later period's are proposals made respond_within before
 *                   the period and answered by its first day ("planned" in
 *                   listings until then; consent none: never expire).
 *                   accept records the answer early; the pairing turns
 *                   active when its period opens.
 *   cycle start     opens period 1 (or the next, after a gap): its
 *                   consented pairings turn active and join it; its
 *                   unanswered ones may still be accepted for
 *                   respond_within; later proposals follow the real dates.
 *                   Not before the period's first day.
 *   cycle close     on or after the period's end (or with force): its
 *                   pairings end ("rotation period N over"), its unanswered
 *                   proposals expire, and the next period opens on the end
 *                   day when that has come.
 *
 * So at any time each mentee's active pairing is the one of the current
 * period: check-ins, reminders and reports follow the rotation unchanged.
 */

struct program;

/*
 * Accepting a pairing: *activate stays true only when the pairing may turn
 * active now (a rotation period's pairing waits until its period is open).
 */
int ops_rotation_accept_gate(const struct ops_ctx *o, const struct program *p,
    long long program_id, int slot, bool *activate, struct error *err);

/* One pairing of a rotation, stored or planned.  Strings are owned. */
struct ops_rotation_row {
	int period;
	char *mentor_email;
	char *mentor_name;          /* NULL when unknown */
	char *mentee_email;
	char *mentee_name;
	enum pairing_status status; /* as of today; for a plan, what it gets */
	bool preview;               /* planned by nobody yet: what match would do */
	long long id;               /* 0 when not stored */
	int score;                  /* centi-points */
	int starts_on;              /* the period's first day, DATE_NONE */
	int last_day;               /* its last day, DATE_NONE */
};

struct ops_rotation_rows {
	struct ops_rotation_row *v;
	size_t n;
	size_t cap;
};

void ops_rotation_rows_free(struct ops_rotation_rows *r);

/* What match planned (and unless dry, stored). */
struct ops_rotation_match {
	int periods;                /* P */
	int first;                  /* the periods planned over: first..periods */
	struct ops_rotation_rows rows;  /* by period, mentor, mentee */
	int nmentees;               /* mentees planned for */
	int full;                   /* with a mentor in every period planned */
	int met;                    /* with a mentor in at least one */
	int64_t total;              /* centi-points */
};

/*
 * match PROGRAM of a rotational programme: plan (and unless dry, store) the
 * rotation of the mentees without one.  EX_DATAERR when every period has
 * run.  Free with ops_rotation_match_free.
 */
int ops_rotation_match(const struct ops_ctx *o, long long program_id,
    const struct program *p, bool dry, struct ops_rotation_match *r,
    struct error *err);
void ops_rotation_match_free(struct ops_rotation_match *r);

/* The rotation as schedule shows it: stored pairings, then a preview. */
struct ops_rotation_view {
	int periods;
	struct ops_rotation_rows rows;  /* by period, mentor e-mail, mentee */
	size_t npreview;            /* rows match would add */
	int preview_mentees;        /* the mentees they are for */
};

/*
 * The periods that overlap [from, to] (DATE_NONE: open): every stored
 * pairing not declined or expired, and what match would plan now.
 */
int ops_rotation_view(const struct ops_ctx *o, long long program_id,
    const struct program *p, int from, int to, struct ops_rotation_view *r,
    struct error *err);
void ops_rotation_view_free(struct ops_rotation_view *r);

/* What opening a period did. */
struct ops_period_open {
	int period;
	int periods;
	int starts_on;
	int last_day;
	size_t active;              /* pairings that turned active */
	size_t waiting;             /* still waiting for consent */
};

/*
 * cycle start PROGRAM of a rotational programme: open the next period on
 * `on` (DATE_NONE: its planned first day).  Refused (EX_DATAERR) while a
 * period is open, when all have run, before the day, or when the default
 * start lies a whole period back.
 */
int ops_rotation_start(const struct ops_ctx *o, long long program_id,
    const struct program *p, int on, struct ops_period_open *r,
    struct error *err);

struct ops_rotation_ended {
	long long pairing_id;
	char *mentor_email;
	char *mentee_email;
};

/* What closing a period did. */
struct ops_rotation_close {
	int period;
	int periods;
	struct ops_rotation_ended *v;   /* the pairings it ended, by id */
	size_t n;
	size_t expired;             /* unanswered proposals of the period */
	bool complete;              /* it was the last period */
	int next_starts_on;         /* the next period's day; DATE_NONE */
	bool next_opened;           /* the next period opened at once */
	struct ops_period_open next;
};

/*
 * cycle close PROGRAM of a rotational programme: close the open period
 * (before its end only with force) and open the next when its day has come.
 * Free with ops_rotation_close_free.
 */
int ops_rotation_close(const struct ops_ctx *o, long long program_id,
    const struct program *p, bool force, struct ops_rotation_close *r,
    struct error *err);
void ops_rotation_close_free(struct ops_rotation_close *r);

#endif
