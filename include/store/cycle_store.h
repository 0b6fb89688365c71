#ifndef MENTORCTL_STORE_CYCLE_STORE_H
#define MENTORCTL_STORE_CYCLE_STORE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/cycle.h"
#include "core/status.h"
#include "util/error.h"

struct db;

/*
 * Cycles of a programme, the pairings' passage through them (pairing_cycle)
 * and the partners' re-up answers.  The dates are the ones stored when the
 * cycle started: a cycle never moves once started, whatever the YAML says
 * later (core/cycle.h).
 *
 * The contract with the pairing lifecycle (pairing_store.c): a pairing that
 * turns active joins the programme's open cycle (pairing.cycle_id and a
 * pairing_cycle row); store_cycle_start() attaches every active pairing that
 * is in no open cycle the same way.
 */

struct cycle_row {
	long long id;
	struct cycle_dates d;
	bool open;
	int closed_on;            /* DATE_NONE while open */
	long long pairings;       /* pairing_cycle rows: pairings that took part */
	long long continued;      /* outcomes so far */
	long long exited;
};

void cycle_rows_free(struct cycle_row *rows);

/* Every cycle of the programme by number. */
int store_cycle_list(struct db *db, long long program_id,
    struct cycle_row **rows, size_t *n, struct error *err);
/* The open cycle: 1 (row filled), 0 when none, -1 on error. */
int store_cycle_open(struct db *db, long long program_id,
    struct cycle_row *row, struct error *err);
/* The highest-numbered cycle, open or closed: 1, 0 when none, -1. */
int store_cycle_last(struct db *db, long long program_id,
    struct cycle_row *row, struct error *err);

/*
 * Store cycle cd (open) and attach every active pairing of the programme
 * that is in no open cycle: *attached says how many.  The caller has made
 * sure no cycle is open.
 */
int store_cycle_start(struct db *db, long long program_id,
    const struct cycle_dates *cd, long long *id, long long *attached,
    struct error *err);

/* A pairing as cycles, re-ups and check-ins see it. */
struct cycle_pairing {
	long long id;
	long long program_id;
	char *program;            /* slug */
	enum pairing_status status; /* as stored */
	long long group_id;       /* a circle's id, 0 for none */
	int slot;                 /* a rotation's period, 0 for none */
	int activated_on;         /* DATE_NONE before it turned active */
	long long mentor_person_id;
	long long mentee_person_id;
	char *mentor_email;
	char *mentor_name;
	char *mentee_email;
	char *mentee_name;
	bool in_cycle;            /* pairing.cycle_id is set */
	struct cycle_row cycle;   /* that cycle, when in_cycle (no counts) */
};

/* Unknown id: EX_DATAERR "unknown pairing N". */
int store_cycle_pairing(struct db *db, long long pairing_id,
    struct cycle_pairing *out, struct error *err);
void cycle_pairing_free(struct cycle_pairing *p);
/*
 * The day the pairing's check-in clock starts: its activation, or the start
 * of its cycle if later (core/schedule.h's anchor).
 */
int cycle_pairing_anchor(const struct cycle_pairing *p);

/*
 * Record (or change) a partner's re-up answer for the pairing's cycle;
 * *before is the answer it replaces (CYCLE_ANSWER_NONE for a first one).
 * The caller checks the window and who answers.
 */
int store_reup_answer(struct db *db, long long pairing_id, long long cycle_id,
    long long person_id, const char *email, enum cycle_answer answer,
    int today, enum cycle_answer *before, struct error *err);

/* An active pairing of a cycle at its close, with both answers. */
struct cycle_member {
	long long pairing_id;
	char *mentor_email;
	char *mentee_email;
	int activated_on;
	enum cycle_answer mentor;
	enum cycle_answer mentee;
	enum cycle_outcome outcome;  /* filled by the caller */
};

void cycle_members_free(struct cycle_member *v, size_t n);
/* The cycle's active pairings by id, with their answers. */
int store_cycle_members(struct db *db, long long cycle_id,
    struct cycle_member **v, size_t *n, struct error *err);

/*
 * Close cycle c on `today`: each member's outcome goes to pairing_cycle;
 * an exit ends the pairing (ended_on: the cycle's end, or today when that
 * is earlier; end_reason 'exit'); pairings of the cycle that had ended
 * before get the outcome 'ended'.  When next is not NULL, cycle next is
 * opened and the continuing pairings move into it (*next_id).
 */
int store_cycle_close(struct db *db, long long program_id,
    const struct cycle_row *c, const struct cycle_member *v, size_t n,
    int today, const struct cycle_dates *next, long long *next_id,
    struct error *err);

#endif
