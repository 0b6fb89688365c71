#ifndef MENTORCTL_OPS_ROTATION_H
#define MENTORCTL_OPS_ROTATION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/status.h"
#include "ops/ops.h"
#include "store/pairing_store.h"

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

/* One pairing of a rotation, stored or planned.  Strings are owned. */
struct ops_rotation_row {
	int period;
	long long mentor_enrollment_id;
	long long mentee_enrollment_id;
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

/*
 * Periods advance with the calendar: while the open period's last day has
 * passed, it is closed on its end day and the next one opened on that day
 * (as `cycle close` would have done then: its pairings active from that
 * day); a period closed early is followed by the next on that one's first
 * day.  A rotation nobody has started stays as it is.  Each period opens
 * once (the cycles are unique per programme).  *closed says how many
 * periods were closed (may be NULL).
 */
int ops_rotation_advance(const struct ops_ctx *o, long long program_id,
    const struct program *p, int *closed, struct error *err);

/*
 * For diagnose: the open period whose last day has passed (*period, with
 * *last_day), or *period 0.  Nothing changes.
 */
int ops_rotation_overdue(const struct ops_ctx *o, long long program_id,
    const struct program *p, int *period, int *last_day, struct error *err);

/*
 * ops_rotation_advance for every rotational programme (or only `slug`),
 * in a transaction of its own when the caller has none: what `remind` runs
 * before it plans.  *closed may be NULL.
 */
int ops_rotation_advance_all(const struct ops_ctx *o, const char *slug,
    int *closed, struct error *err);

/* pair PROGRAM MENTOR MENTEE --period K of a rotational programme. */
struct ops_rotation_pair {
	int period;
	struct pairing_new made;   /* emails borrowed from below */
	char *mentor;              /* the stored addresses */
	char *mentee;
	enum pairing_status status;  /* what it is now: active, proposed, planned */
	int proposed_on;
	int expires_on;            /* DATE_NONE: never */
};

/*
 * Set period k's mentor of a mentee by hand (a declined, expired or
 * withdrawn period refilled, or a newcomer's): a proposal of period k on
 * the rotation's terms.  EX_DATAERR when the period is over or unknown,
 * the mentee has a pairing in it, the two were paired before (a rotation
 * never pairs them twice), the mentor has no place left in that period,
 * or (without force) a scoring rule excludes the pair.  Free with
 * ops_rotation_pair_free.
 */
int ops_rotation_pair(const struct ops_ctx *o, long long program_id,
    const struct program *p, const char *mentor_email,
    const char *mentee_email, int period, bool force,
    struct ops_rotation_pair *r, struct error *err);
void ops_rotation_pair_free(struct ops_rotation_pair *r);

#endif
