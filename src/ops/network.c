/*
 * Network mentoring by rule: who may be introduced to whom, and when.
 */
#include "ops/network.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/date.h"
#include "core/people.h"
#include "core/program.h"
#include "ops/pairing.h"
#include "store/checkin_store.h"
#include "store/mail_store.h"
#include "util/tz.h"
#include "util/xmalloc.h"

static const char *
day_text(int day, char *buf)
{
	return day == DATE_NONE ? "?" : date_format(day, buf);
}

/* Why a pairing that is not active takes no introduction. */
static int
not_active(const struct pairing_rec *r, struct error *err)
{
	char d[DATE_BUFSZ];

	switch (r->status) {
	case PAIRING_ACTIVE:
		return 0;
	case PAIRING_ENDED:
		return error_set(err, EX_DATAERR, "pairing %lld ended on %s: "
		    "introductions are recorded for active pairings", r->id,
		    day_text(r->ended_on, d));
	case PAIRING_DECLINED:
		return error_set(err, EX_DATAERR, "pairing %lld was declined: "
		    "introductions are recorded for active pairings", r->id);
	case PAIRING_EXPIRED:
		return error_set(err, EX_DATAERR, "pairing %lld expired "
		    "unanswered: introductions are recorded for active "
		    "pairings", r->id);
	default:
		return error_set(err, EX_DATAERR, "pairing %lld is %s, not "
		    "active yet: introductions are recorded for active "
		    "pairings", r->id, pairing_status_name(r->status));
	}
}

/* The rules about the contact and the days, before anything is read more. */
static int
check_request(const struct ops_ctx *o, const struct ops_introduce *req,
    const struct pairing_rec *r, struct error *err)
{
	char d[DATE_BUFSZ], t[DATE_BUFSZ];

	if (!people_email_valid(req->contact_email))
		return error_set(err, EX_DATAERR, "invalid contact address "
		    "'%s' (expected an e-mail address such as "
		    "jo@example.org)", req->contact_email);
	if (people_email_cmp(req->contact_email, r->mentee_email) == 0)
		return error_set(err, EX_DATAERR, "'%s' is the mentee of pairing "
		    "%lld: an introduction is to a new contact",
		    req->contact_email, r->id);
	if (people_email_cmp(req->contact_email, r->mentor_email) == 0)
		return error_set(err, EX_DATAERR, "'%s' is the mentor of pairing "
		    "%lld: an introduction is to a new contact",
		    req->contact_email, r->id);
	if (req->introduced_on > o->today)
		return error_set(err, EX_DATAERR, "introduction date %s is in "
		    "the future (today is %s): record it once it happened",
		    date_format(req->introduced_on, d),
		    date_format(o->today, t));
	if (r->activated_on != DATE_NONE &&
	    req->introduced_on < r->activated_on)
		return error_set(err, EX_DATAERR, "introduction date %s is "
		    "before pairing %lld turned active (%s)",
		    date_format(req->introduced_on, d), r->id,
		    date_format(r->activated_on, t));
	if (req->meet_at >= 0 && req->meet_on == DATE_NONE)
		return error_set(err, EX_USAGE, "a time for the joint meeting "
		    "needs its day (--meet DATE)");
	if (req->meet_on != DATE_NONE && req->meet_on < req->introduced_on)
		return error_set(err, EX_DATAERR, "the joint meeting (%s) is "
		    "before the introduction (%s)",
		    date_format(req->meet_on, d),
		    date_format(req->introduced_on, t));
	return 0;
}

static int
load_names(const struct ops_ctx *o, struct ops_introduce *req,
    struct error *err)
{
	struct intro_contact m;

	if (store_intro_contact(o->db, req->pairing.mentor_email, &m,
	    err) != 0)
		return -1;
	req->mentor_name = m.name;
	req->mentor_zone = m.timezone;
	m.name = m.timezone = NULL;
	intro_contact_free(&m);
	if (store_intro_contact(o->db, req->pairing.mentee_email, &m,
	    err) != 0)
		return -1;
	req->mentee_name = m.name;
	m.name = NULL;
	intro_contact_free(&m);
	req->zone = req->mentor_zone && tz_valid(req->mentor_zone) ?
	    req->mentor_zone : "UTC";
	return 0;
}

int
ops_introduce(const struct ops_ctx *o, struct ops_introduce *req,
    struct error *err)
{
	struct pairing_rec *r = &req->pairing;
	struct intro_found found;
	struct intro_in in;
	long long program_id;
	char d[DATE_BUFSZ];
	int *days = NULL, rc;
	size_t ndays = 0;

	if (ops_expire(o, NULL, err) != 0)
		return -1;
	if (store_pairing_get(o->db, req->pairing_id, r, err) != 0)
		return -1;
	if (ops_program_load(o, r->program, &program_id, &req->program,
	    err) != 0)
		return -1;
	if (req->program->format != FORMAT_NETWORK)
		return error_set(err, EX_DATAERR, "programme '%s' has format %s: "
		    "introductions are for format network", r->program,
		    program_format_name(req->program->format));
	if (not_active(r, err) != 0)
		return -1;
	req->introduced_on = req->on != DATE_NONE ? req->on : o->today;
	if (check_request(o, req, r, err) != 0)
		return -1;
	if ((rc = store_intro_find(o->db, r->id, req->contact_email, &found,
	    err)) < 0)
		return -1;
	if (rc == 1)
		return error_set(err, EX_DATAERR, "'%s' was introduced to mentee "
		    "'%s' already on %s (introduction %lld, pairing %lld)",
		    req->contact_email, r->mentee_email,
		    day_text(found.introduced_on, d), found.id,
		    found.pairing_id);
	if (store_intro_contact(o->db, req->contact_email, &req->contact,
	    err) != 0)
		return -1;
	if (load_names(o, req, err) != 0)
		return -1;
	req->contact_shown = xstrdup(req->contact_name ? req->contact_name :
	    req->contact.name ? req->contact.name : "");
	memset(&in, 0, sizeof in);
	in.pairing_id = r->id;
	in.contact_email = req->contact_email;
	in.contact_name = req->contact_shown[0] ? req->contact_shown : NULL;
	in.introduced_on = req->introduced_on;
	in.meet_on = req->meet_on;
	in.meet_at = req->meet_on != DATE_NONE ? req->meet_at : -1;
	in.note = req->note;
	in.recorded_by = o->actor;
	if (store_intro_add(o->db, &in, &req->id, err) != 0)
		return -1;
	if (store_intro_count(o->db, r->id, &req->count, err) != 0)
		return -1;
	if (store_checkin_days(o->db, r->id, &days, &ndays, err) != 0)
		return -1;
	free(days);
	req->held = (int)ndays;
	return 0;
}

void
ops_introduce_free(struct ops_introduce *req)
{
	if (req == NULL)
		return;
	pairing_rec_free(&req->pairing);
	program_free(req->program);
	free(req->mentor_name);
	free(req->mentee_name);
	free(req->mentor_zone);
	free(req->contact_shown);
	intro_contact_free(&req->contact);
	req->program = NULL;
	req->mentor_name = req->mentee_name = req->mentor_zone = NULL;
	req->contact_shown = NULL;
}

int
ops_network_report(const struct ops_ctx *o, long long program_id,
    const struct program *p, int as_of, struct metrics_rows *rows,
    struct error *err)
{
	struct network_facts f;

	if (p->format != FORMAT_NETWORK)
		return 0;
	if (store_network_facts(o->db, program_id, as_of, &f, err) != 0)
		return -1;
	network_report_rows(p, &f, rows);
	network_facts_free(&f);
	return 0;
}

int
ops_network_due(const struct ops_ctx *o, long long program_id,
    const struct program *p, struct ops_network_due *due, struct error *err)
{
	struct network_intro_request req;
	size_t i;

	memset(due, 0, sizeof *due);
	if (p->format != FORMAT_NETWORK)
		return 0;
	if (store_network_roster(o->db, program_id, &due->roster, err) != 0)
		return -1;
	due->v = xcalloc(due->roster.n + 1, sizeof *due->v);
	for (i = 0; i < due->roster.n; i++) {
		if (!network_intro_due(p, &due->roster.v[i], o->today, &req))
			continue;
		due->v[due->n].pairing = &due->roster.v[i];
		due->v[due->n].req = req;
		due->n++;
	}
	return 0;
}

void
ops_network_due_free(struct ops_network_due *due)
{
	if (due == NULL)
		return;
	network_roster_free(&due->roster);
	free(due->v);
	memset(due, 0, sizeof *due);
}
