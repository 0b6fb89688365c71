#ifndef MENTORCTL_STORE_REPORT_STORE_H
#define MENTORCTL_STORE_REPORT_STORE_H

#include <stddef.h>

#include "core/metrics.h"
#include "util/error.h"

struct db;

/*
 * What `report` and `diagnose` compute from (core/metrics.h), for programme
 * program_id as of day as_of: enrollments enrolled on or before as_of (with
 * the person's e-mail and department), pairings proposed on or before it,
 * every cycle of the programme, the pairing_cycle records of those pairings,
 * feedback given on or before it, the flash session's seats of those
 * enrollments with who came, and the check-ins held on or before it,
 * folded as they stream by into each pairing's count, first and last meeting
 * inside its window and a per-month histogram.  Check-in notes and topics are
 * never read.
 *
 * Cost: one pass over each table's rows for the programme through its
 * indexes; the check-ins are never held in memory.  Returns NULL with err set
 * on a database error.
 */
struct metrics_input *report_store_load(struct db *db, long long program_id,
    int as_of, struct error *err);

/*
 * The same, and for each checkpoint day before as_of (at most
 * METRICS_MAX_CHECKPOINTS; goals' due dates) each pairing's check-ins as
 * they stood on that day, so that metrics_compute_at() can give the figures
 * of that day from the same facts (in->held).
 */
struct metrics_input *report_store_load_at(struct db *db, long long program_id,
    int as_of, const int *checkpoints, size_t n, struct error *err);

/*
 * The programme's definition in force at the end of day (issue 12.4): the
 * latest stored version added on or before it (by its UTC stamp), or the
 * first version when day comes before them all.  *yaml is the caller's.
 */
int report_store_program_at(struct db *db, long long program_id, int day,
    char **yaml, int *version, struct error *err);

/*
 * Add the completed trainings of everyone enrolled in the programme to in
 * (for diagnose: who was matched before their required training).
 */
int report_store_trainings(struct db *db, long long program_id,
    struct metrics_input *in, struct error *err);

#endif
