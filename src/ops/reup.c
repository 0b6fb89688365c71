#include "ops/reup.h"

#include <string.h>
#include <strings.h>

#include "core/date.h"
#include "core/status.h"
#include "store/cycle_store.h"

int
ops_reup(const struct ops_ctx *o, long long id, const char *by,
    enum cycle_answer answer, struct ops_reup *r, struct error *err)
{
	struct cycle_pairing pr;
	char b1[DATE_BUFSZ];
	long long person;
	int rc = -1;

	memset(r, 0, sizeof *r);
	r->pairing_id = id;
	r->answer = answer;
	if (by == NULL || *by == '\0')
		return error_set(err, EX_USAGE, "a re-up answer needs the partner "
		    "who gives it (--by EMAIL)");
	if (answer != CYCLE_ANSWER_YES && answer != CYCLE_ANSWER_NO)
		return error_set(err, EX_USAGE, "a re-up answer is yes or no");
	if (store_cycle_pairing(o->db, id, &pr, err) != 0)
		return -1;
	if (strcasecmp(by, pr.mentor_email) == 0) {
		person = pr.mentor_person_id;
	} else if (strcasecmp(by, pr.mentee_email) == 0) {
		person = pr.mentee_person_id;
	} else {
		error_set(err, EX_DATAERR, "'%s' is not a partner in pairing %lld "
		    "(mentor %s, mentee %s)", by, id, pr.mentor_email,
		    pr.mentee_email);
		goto out;
	}
	if (pr.status != PAIRING_ACTIVE) {
		error_set(err, EX_DATAERR, "pairing %lld is %s, not active: there "
		    "is nothing to re-up", id, pairing_status_name(pr.status));
		goto out;
	}
	if (!pr.in_cycle || !pr.cycle.open) {
		error_set(err, EX_DATAERR, "pairing %lld is in no open cycle "
		    "(start one with 'mentorctl cycle start %s')", id, pr.program);
		goto out;
	}
	switch (cycle_window_at(&pr.cycle.d, o->today)) {
	case CYCLE_WINDOW_BEFORE:
		error_set(err, EX_DATAERR, "re-up window for pairing %lld opens "
		    "on %s", id, date_format(pr.cycle.d.reup_opens_on, b1));
		goto out;
	case CYCLE_WINDOW_CLOSED:
		error_set(err, EX_DATAERR, "re-up window for pairing %lld closed "
		    "on %s", id, date_format(pr.cycle.d.reup_closes_on, b1));
		goto out;
	case CYCLE_WINDOW_OPEN:
		break;
	}
	if (store_reup_answer(o->db, id, pr.cycle.id, person, by, answer,
	    o->today, &r->before, err) != 0)
		goto out;
	r->cycle = pr.cycle.d.number;
	r->closes_on = pr.cycle.d.reup_closes_on;
	rc = 0;
out:
	cycle_pairing_free(&pr);
	return rc;
}
