#ifndef MENTORCTL_OPS_NETWORK_H
#define MENTORCTL_OPS_NETWORK_H

#include <stdbool.h>
#include <stddef.h>

#include "core/metrics.h"
#include "core/network.h"
#include "ops/ops.h"
#include "store/network_store.h"
#include "store/pairing_store.h"

/*
 * Network mentoring's use cases: an introduction (`introduce`), the
 * report's section, and the pairings due a request for an introduction
 * (for `remind`).
 */

struct program;

struct ops_introduce {
	/* in */
	long long pairing_id;
	const char *contact_email;
	const char *contact_name;   /* NULL: the person's name, or none */
	int on;                     /* DATE_NONE: today */
	const char *note;           /* NULL: none */
	int meet_on;                /* a joint meeting with the contact; DATE_NONE */
	int meet_at;                /* its local time in minutes; -1: all day */
	/* out */
	long long id;
	struct pairing_rec pairing;
	struct program *program;
	char *mentor_name;          /* NULL when unknown */
	char *mentee_name;
	struct intro_contact contact;  /* the contact as a person (is_person) */
	char *contact_shown;        /* the name recorded: given, else the person's */
	int introduced_on;
	int count;                  /* the mentee's contacts, this one included */
	int held;                   /* meetings held so far */
	const char *zone;           /* of meet_at: the mentor's time zone, else
	                               "UTC"; borrowed from this struct */
	char *mentor_zone;
};

/*
 * Record that the mentor of pairing req->pairing_id introduced its mentee
 * to contact_email.  Refused (EX_DATAERR, one line each): an unknown
 * pairing, a programme whose format is not network, a pairing that is not
 * active (proposed, declined, expired, ended), a malformed address, the
 * mentee or the mentor as the contact, a contact the mentee was introduced
 * to already in this programme, a day in the future or before the pairing
 * turned active, a joint meeting before the introduction.  Free with
 * ops_introduce_free, also after a failure.
 */
int ops_introduce(const struct ops_ctx *o, struct ops_introduce *req,
    struct error *err);
void ops_introduce_free(struct ops_introduce *req);

/*
 * The report's section "network" of programme p (core/network.h) as of
 * as_of, appended to rows; nothing for another format.
 */
int ops_network_report(const struct ops_ctx *o, long long program_id,
    const struct program *p, int as_of, struct metrics_rows *rows,
    struct error *err);

/*
 * For `remind`: the introduction requests due on o->today in programme p
 * (format network), one per pairing whose mentor is to be asked, in
 * pairing order.  Each item borrows from the roster: free both with
 * ops_network_due_free.  What remind does with them: see the report of
 * the network branch (a reminder kind "introduction_request" to the
 * mentor, keyed by pairing and due_on).
 */
struct ops_network_due {
	struct network_roster roster;
	struct {
		const struct network_pairing *pairing;
		struct network_intro_request req;
	} *v;
	size_t n;
};

int ops_network_due(const struct ops_ctx *o, long long program_id,
    const struct program *p, struct ops_network_due *due, struct error *err);
void ops_network_due_free(struct ops_network_due *due);

#endif
