#include "ops/feedback.h"

#include <string.h>

#include "core/date.h"
#include "store/feedback_store.h"
#include "store/program_store.h"
#include "ops_int.h"

int
ops_feedback(const struct ops_ctx *o, const struct ops_feedback_req *req,
    struct ops_feedback *r, struct error *err)
{
	struct feedback_giver g;
	const char *comment = req->comment;
	long long pid;
	int replaced;

	memset(r, 0, sizeof *r);
	r->replaced_on = DATE_NONE;
	if (req->by == NULL || *req->by == '\0')
		return error_set(err, EX_USAGE, "feedback needs who gives it "
		    "(--by EMAIL)");
	if (req->rating < 1 || req->rating > 5)
		return error_set(err, EX_DATAERR, "a rating is between 1 and 5, "
		    "not %d", req->rating);
	if (comment != NULL && strlen(comment) > FEEDBACK_COMMENT_MAX)
		return error_set(err, EX_DATAERR, "comment is longer than %d "
		    "bytes", FEEDBACK_COMMENT_MAX);
	/* an empty or blank comment is no comment */
	if (ops_blank(comment))
		comment = NULL;
	if (req->pairing_id > 0) {
		if (feedback_store_pairing_giver(o->db, req->pairing_id, req->by,
		    &g, err) != 0)
			return -1;
	} else {
		if (req->program == NULL)
			return error_set(err, EX_USAGE, "feedback is about a "
			    "pairing or a programme");
		if (store_program_id(o->db, req->program, &pid, err) != 0 ||
		    feedback_store_program_giver(o->db, pid, req->program,
		    req->by, &g, err) != 0)
			return -1;
	}
	if (feedback_store_cycle(o->db, &g, o->today, err) != 0)
		return -1;
	r->cycle = g.cycle;
	if (req->keep) {
		long long old;

		if (feedback_store_earlier(o->db, &g, &old, &r->replaced_on,
		    err) != 0)
			return -1;
		if (old != 0) {
			r->id = old;
			r->already = true;
			return 0;
		}
	}
	if (feedback_store_put(o->db, &g, req->rating, comment, o->today,
	    &r->id, &replaced, err) != 0)
		return -1;
	r->replaced = replaced != DATE_NONE;
	r->replaced_on = replaced;
	return 0;
}
