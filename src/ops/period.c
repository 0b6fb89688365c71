/*
 * The rotation period gate of an acceptance (ops_int.h): what ops/pairing.c
 * needs to know of rotations, kept below ops/rotation.c.
 */
#include "ops_int.h"

#include "core/program.h"
#include "store/cycle_store.h"

int
ops_period_gate(const struct ops_ctx *o, const struct program *p,
    long long program_id, int slot, bool *activate, struct error *err)
{
	struct cycle_row c;
	int rc;

	if (p->format != FORMAT_ROTATIONAL || slot <= 0 || !*activate)
		return 0;
	if ((rc = store_cycle_open(o->db, program_id, &c, err)) < 0)
		return -1;
	*activate = rc == 1 && c.d.number == slot;
	return 0;
}
