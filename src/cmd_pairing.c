/*
 * The pairing lifecycle by hand: pair (a manual proposal), accept, decline,
 * end, and the pairings listing.  Who must accept is the programme's
 * `consent`; an unanswered proposal expires after `respond_within`, and
 * every writing command here first marks the proposals that have.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cmd.h"
#include "cmd_rounds.h"
#include "core/date.h"
#include "core/match.h"
#include "core/program.h"
#include "core/score.h"
#include "store/db.h"
#include "store/match_store.h"
#include "store/pairing_store.h"
#include "util/error.h"
#include "util/strbuf.h"
#include "util/xmalloc.h"

static int
expire(struct ctx *ctx)
{
	struct error err = ERROR_INIT;

	if (store_pairing_expire(ctx->db, ctx->today, NULL, &err) != 0)
		return cmd_fail(&err);
	return 0;
}

static const char *
fmt_date(int day, char *buf)
{
	return day == DATE_NONE ? "?" : date_format(day, buf);
}

/* ---- pair ---- */

/*
 * Every scoring rule the pair breaks, not only the first: score_explain
 * names the first rule in its order, so each one found is switched off in
 * a copy of the programme and the pair scored again (at most once per
 * rule).  *score is the formula's score.  0, or the exit status.
 */
static int
scoring_breaches(const struct match_pool *pool, const struct program *p,
    int day, const char *const *labels, struct strbuf *sb, int *score)
{
	struct error err = ERROR_INIT;
	struct match_criterion *crit;
	struct score_table t = SCORE_TABLE_INIT;
	struct score_detail d;
	struct score_input in;
	struct program q = *p;
	char *text;
	int round, rc = 0;

	crit = xcalloc(p->matching.ncriteria ? p->matching.ncriteria : 1,
	    sizeof *crit);
	if (p->matching.ncriteria > 0)
		memcpy(crit, p->matching.criteria, p->matching.ncriteria *
		    sizeof *crit);
	q.matching.criteria = crit;
	match_pool_input(pool, &q, day, &in);
	*score = 0;
	for (round = 0; round < 8 + (int)p->matching.ncriteria; round++) {
		if (score_build(&in, &t, &err) != 0) {
			rc = cmd_fail(&err);
			break;
		}
		score_explain(&t, 0, 0, NULL, &d);
		score_table_free(&t);
		if (round == 0)
			*score = d.score;
		if (d.verdict == SCORE_ALLOWED)
			break;
		text = match_rule_text(pool, p, labels, &d, 0, 0);
		strbuf_addf(sb, "%s%s", sb->len ? "; " : "", text);
		free(text);
		if (d.verdict == SCORE_EXCLUDED_PAIR)
			in.nexcluded = 0;
		else if (d.verdict == SCORE_MANAGER_LINE)
			q.matching.exclude &= ~(unsigned)EXCLUDE_SAME_MANAGER_LINE;
		else if (d.verdict == SCORE_SAME_DEPARTMENT)
			q.matching.exclude &= ~(unsigned)EXCLUDE_SAME_DEPARTMENT;
		else if (d.verdict == SCORE_FORMAT_RULE)
			q.format = FORMAT_ONE_TO_ONE;
		else if (d.verdict == SCORE_REQUIRED && d.criterion >= 0)
			crit[d.criterion].required = false;
		else if (d.verdict == SCORE_BELOW_MIN)
			q.matching.min_score = 0;
		else
			break;          /* the same person: check_pair refused it */
	}
	free(crit);
	return rc;
}

/* The rules a manual pair breaks, "; "-separated into sb.  0 or the exit status. */
static int
pair_breaches(const struct match_pool *pool, const struct program *p,
    int day, const char *const *labels, struct strbuf *sb, int *score)
{
	const struct match_cand *m = &pool->mentors[0], *e = &pool->mentees[0];
	int n, max, rc;

	if (strcmp(m->status, "pending") == 0)
		strbuf_addf(sb, "%smentor not eligible (pending%s%s)",
		    sb->len ? "; " : "", m->reason ? ": " : "",
		    m->reason ? m->reason : "");
	if (strcmp(e->status, "pending") == 0)
		strbuf_addf(sb, "%smentee not eligible (pending%s%s)",
		    sb->len ? "; " : "", e->reason ? ": " : "",
		    e->reason ? e->reason : "");
	if (e->open_pairing > 0)
		strbuf_addf(sb, "%smentee has pairing %lld already",
		    sb->len ? "; " : "", e->open_pairing);
	if ((rc = scoring_breaches(pool, p, day, labels, sb, score)) != 0)
		return rc;
	n = match_group_same_department(pool, p, 0, 0);
	max = p->group.max_per_department > 0 ? p->group.max_per_department : 1;
	if (n >= max)
		strbuf_addf(sb, "%sgroup rule (the group has %d mentee%s of "
		    "department '%s' already)", sb->len ? "; " : "", n,
		    n == 1 ? "" : "s", pool->people[e->person].department);
	return 0;
}

/* The listing match prints, for one new pairing. */
static int
print_new(struct ctx *ctx, const struct pairing_new *pn, const char *status)
{
	static const struct out_col cols[] = {
		{ "mentee_email", OUT_STR }, { "mentor_email", OUT_STR },
		{ "score", OUT_REAL }, { "pairing_id", OUT_INT },
		{ "status", OUT_STR }, { "group_id", OUT_INT },
	};
	char sbuf[MATCH_POINTS_BUFSZ], id[24], g[24];
	const char *cells[6];
	struct out *o;
	int fmt;

	if ((fmt = cmd_out_format(ctx)) < 0)
		return EX_USAGE;
	snprintf(id, sizeof id, "%lld", pn->id);
	snprintf(g, sizeof g, "%lld", pn->group_id);
	cells[0] = pn->mentee_email;
	cells[1] = pn->mentor_email;
	cells[2] = match_centi_str(pn->score, sbuf);
	cells[3] = id;
	cells[4] = status;
	cells[5] = pn->group_id > 0 ? g : NULL;
	o = out_new(stdout, (enum out_format)fmt, cols, 6, 0);
	out_row(o, cells);
	return cmd_out_done(o);
}

static int
check_pair(const struct match_pool *pool)
{
	const struct match_cand *m, *e;
	const struct match_excl *x;

	m = &pool->mentors[0];
	e = &pool->mentees[0];
	if (m->person == e->person)
		return cmd_error(EX_DATAERR, "cannot pair '%s' with themself",
		    m->email);
	for (x = match_pool_excl(pool, 0, 0); x && x < pool->excl + pool->nexcl &&
	    x->mentee == 0 && x->mentor == 0; x++)
		if (x->kind == MATCH_EXCL_PAIRED)
			return cmd_error(EX_DATAERR, "pairing %lld pairs mentor "
			    "'%s' with mentee '%s' already", x->pairing_id,
			    m->email, e->email);
	/* the one rule --force never breaks */
	if (match_cand_free_places(m) == 0)
		return cmd_error(EX_DATAERR, "mentor '%s' has no place left "
		    "(capacity %d, %d open pairing%s); capacity is never "
		    "exceeded, even with --force", m->email, m->capacity, m->used,
		    m->used == 1 ? "" : "s");
	return 0;
}

static int
cmd_pair_exec(struct ctx *ctx, struct cmd_args *args)
{
	struct error err = ERROR_INIT;
	struct match_pool pool = MATCH_POOL_INIT;
	struct strbuf breaches = STRBUF_INIT;
	struct pairing_propose pp;
	struct pairing_new pn;
	struct match_load ld;
	struct program *p = NULL;
	const char *slug = args->pos[0];
	bool force = cmd_flag(args, "force");
	char **labels = NULL, *note = NULL, due[DATE_BUFSZ];
	long long program_id;
	int rc, score;

	if ((rc = cmd_set_by(ctx, args)) != 0)
		return rc;
	if (cmd_out_format(ctx) < 0)
		return EX_USAGE;
	if ((rc = cmd_load_program(ctx, slug, &program_id, &p)) != 0)
		return rc;
	/* flash: a pair is a follow-up after the session, one-to-one */
	if (p->format == FORMAT_ROTATIONAL) {
		rc = cmd_error(EX_DATAERR, "programme '%s' has format %s: its "
		    "rotation is planned by 'mentorctl match %s', not paired",
		    slug, program_format_name(p->format), slug);
		goto out;
	}
	if ((rc = expire(ctx)) != 0)
		goto out;
	memset(&ld, 0, sizeof ld);
	ld.program_id = program_id;
	ld.program = p;
	ld.today = ctx->today;
	ld.flags = MATCH_LOAD_PENDING;
	ld.mentor_email = args->pos[1];
	ld.mentee_email = args->pos[2];
	if (store_match_load(ctx->db, &ld, &pool, &err) != 0) {
		rc = cmd_fail(&err);
		goto out;
	}
	if (pool.nmentors == 0 || pool.nmentees == 0) {
		store_match_why_not(ctx->db, program_id, slug, pool.nmentors ?
		    args->pos[2] : args->pos[1], pool.nmentors ? ROLE_MENTEE :
		    ROLE_MENTOR, &err);
		rc = cmd_fail(&err);
		goto out;
	}
	if ((rc = check_pair(&pool)) != 0)
		goto out;
	labels = match_labels(p);
	if ((rc = pair_breaches(&pool, p, ctx->today,
	    (const char *const *)labels, &breaches, &score)) != 0)
		goto out;
	if (breaches.len > 0 && !force) {
		rc = cmd_error(EX_DATAERR, "cannot pair mentor '%s' with mentee "
		    "'%s': %s (--force pairs them anyway)", pool.mentors[0].email,
		    pool.mentees[0].email, breaches.buf);
		goto out;
	}
	if (breaches.len > 0) {
		cmd_warn("pairing mentor '%s' with mentee '%s' despite: %s",
		    pool.mentors[0].email, pool.mentees[0].email, breaches.buf);
		note = xasprintf("forced despite: %s", breaches.buf);
	}
	memset(&pn, 0, sizeof pn);
	pn.mentor_enrollment_id = pool.mentors[0].enrollment_id;
	pn.mentee_enrollment_id = pool.mentees[0].enrollment_id;
	pn.mentor_email = pool.mentors[0].email;
	pn.mentee_email = pool.mentees[0].email;
	pn.group_id = p->format == FORMAT_GROUP ? pn.mentor_enrollment_id : 0;
	pn.score = score;
	memset(&pp, 0, sizeof pp);
	pp.program_id = program_id;
	pp.origin = PAIRING_ORIGIN_MANUAL;
	pp.today = ctx->today;
	pp.expires_on = date_add_duration(ctx->today,
	    p->matching.respond_within, 1);
	pp.activate = p->matching.consent == CONSENT_NONE;
	pp.note = note;
	if (store_pairing_propose(ctx->db, &pp, &pn, 1, &err) != 0) {
		rc = cmd_fail(&err);
		goto out;
	}
	if ((rc = print_new(ctx, &pn, pp.activate ? "active" : "proposed")) != 0)
		goto out;
	if (pp.activate)
		fprintf(stderr, "mentorctl: paired mentor '%s' with mentee '%s' "
		    "as pairing %lld, active at once (consent none)\n",
		    pn.mentor_email, pn.mentee_email, pn.id);
	else
		fprintf(stderr, "mentorctl: proposed pairing %lld: mentor '%s', "
		    "mentee '%s'; answers due by %s\n", pn.id, pn.mentor_email,
		    pn.mentee_email, date_format(pp.expires_on, due));
out:
	match_labels_free(labels, p ? p->matching.ncriteria : 0);
	strbuf_release(&breaches);
	free(note);
	match_pool_free(&pool);
	program_free(p);
	return rc;
}

/* ---- accept, decline, end ---- */

/* Load pairing ARG after marking expired proposals.  0 or the exit status. */
static int
load_pairing(struct ctx *ctx, const char *arg, bool do_expire,
    struct pairing_rec *r)
{
	struct error err = ERROR_INIT;
	long long id;
	int rc;

	memset(r, 0, sizeof *r);
	if ((rc = cmd_parse_pairing_id(arg, &id)) != 0)
		return rc;
	if (do_expire && (rc = expire(ctx)) != 0)
		return rc;
	if (store_pairing_get(ctx->db, id, r, &err) != 0)
		return cmd_fail(&err);
	return 0;
}

/* The side --by names: PAIRING_SIDE_*, 0 when none given, -1 after an error. */
static int
by_side(const struct pairing_rec *r, const char *by)
{
	if (by == NULL)
		return 0;
	if (strcasecmp(by, r->mentor_email) == 0)
		return PAIRING_SIDE_MENTOR;
	if (strcasecmp(by, r->mentee_email) == 0)
		return PAIRING_SIDE_MENTEE;
	cmd_error(EX_DATAERR, "'%s' is neither the mentor nor the mentee of "
	    "pairing %lld (mentor %s, mentee %s)", by, r->id, r->mentor_email,
	    r->mentee_email);
	return -1;
}

/* A pairing that is no longer a proposal: the error, or 0 for active. */
static int
not_proposed(const struct pairing_rec *r, const char *verb)
{
	char d[DATE_BUFSZ];

	if (strcmp(r->status, "expired") == 0)
		return cmd_error(EX_DATAERR, "proposal %lld expired on %s "
		    "(unanswered); it cannot be %s", r->id,
		    fmt_date(r->expires_on, d), verb);
	if (strcmp(r->status, "declined") == 0)
		return cmd_error(EX_DATAERR, "pairing %lld was declined on %s%s%s; "
		    "it cannot be %s", r->id, fmt_date(r->declined_on, d),
		    r->declined_by ? " by " : "", r->declined_by ?
		    r->declined_by : "", verb);
	if (strcmp(r->status, "ended") == 0)
		return cmd_error(EX_DATAERR, "pairing %lld ended on %s; it cannot "
		    "be %s", r->id, fmt_date(r->ended_on, d), verb);
	return 0;
}

static int
cmd_accept_exec(struct ctx *ctx, struct cmd_args *args)
{
	struct error err = ERROR_INIT;
	struct pairing_rec r;
	struct program *p = NULL;
	const char *by = cmd_opt(args, "by");
	unsigned sides = 0, now;
	bool mentor_ok, mentee_ok, activate, waiting;
	char d[DATE_BUFSZ];
	long long program_id;
	int rc, side;

	if ((rc = cmd_set_by(ctx, args)) != 0)
		return rc;
	if ((rc = load_pairing(ctx, args->pos[0], true, &r)) != 0)
		goto out;
	if (strcmp(r.status, "active") == 0) {
		fprintf(stderr, "mentorctl: pairing %lld is active already "
		    "(since %s); nothing changed\n", r.id,
		    fmt_date(r.activated_on, d));
		goto out;
	}
	if ((rc = not_proposed(&r, "accepted")) != 0)
		goto out;
	if ((side = by_side(&r, by)) < 0) {
		rc = EX_DATAERR;
		goto out;
	}
	if ((rc = cmd_load_program(ctx, r.program, &program_id, &p)) != 0)
		goto out;
	if (side > 0)
		sides = (unsigned)side;
	else if (p->matching.consent == CONSENT_BOTH)
		sides = PAIRING_SIDE_MENTOR | PAIRING_SIDE_MENTEE;
	else if (p->matching.consent == CONSENT_MENTEE)
		sides = PAIRING_SIDE_MENTEE;
	/* only the answers not recorded yet */
	now = sides;
	if (r.mentor_accepted_on != DATE_NONE)
		now &= ~(unsigned)PAIRING_SIDE_MENTOR;
	if (r.mentee_accepted_on != DATE_NONE)
		now &= ~(unsigned)PAIRING_SIDE_MENTEE;
	if (now != 0 && store_pairing_accept(ctx->db, r.id, now, ctx->today,
	    by ? by : ctx->actor, &err) != 0) {
		rc = cmd_fail(&err);
		goto out;
	}
	mentor_ok = r.mentor_accepted_on != DATE_NONE ||
	    (sides & PAIRING_SIDE_MENTOR);
	mentee_ok = r.mentee_accepted_on != DATE_NONE ||
	    (sides & PAIRING_SIDE_MENTEE);
	switch (p->matching.consent) {
	case CONSENT_BOTH:
		activate = mentor_ok && mentee_ok;
		break;
	case CONSENT_MENTEE:
		activate = mentee_ok;
		break;
	default:
		activate = true;
		break;
	}
	/* A later rotation period's pairing waits for its period. */
	waiting = activate;
	if (activate && (rc = cmd_rounds_accept_gate(ctx, p, program_id, r.slot,
	    &activate)) != 0)
		goto out;
	if (activate && store_pairing_activate(ctx->db, r.id, ctx->today,
	    &err) != 0) {
		rc = cmd_fail(&err);
		goto out;
	}
	if (waiting && !activate)
		fprintf(stderr, "mentorctl: pairing %lld is accepted: mentor "
		    "'%s', mentee '%s'; it turns active when period %d of the "
		    "rotation starts\n", r.id, r.mentor_email, r.mentee_email,
		    r.slot);
	else if (activate)
		fprintf(stderr, "mentorctl: pairing %lld is active: mentor '%s', "
		    "mentee '%s'\n", r.id, r.mentor_email, r.mentee_email);
	else
		fprintf(stderr, "mentorctl: %s %s's acceptance of pairing %lld; "
		    "waiting for the %s ('%s')\n", now == 0 ? "already had" :
		    "recorded", sides & PAIRING_SIDE_MENTOR ? "the mentor" :
		    "the mentee", r.id, mentor_ok ? "mentee" : "mentor",
		    mentor_ok ? r.mentee_email : r.mentor_email);
out:
	pairing_rec_free(&r);
	program_free(p);
	return rc;
}

static int
cmd_decline_exec(struct ctx *ctx, struct cmd_args *args)
{
	struct error err = ERROR_INIT;
	struct pairing_rec r;
	const char *by = cmd_opt(args, "by");
	const char *reason = cmd_opt(args, "reason");
	char d[DATE_BUFSZ];
	int rc, side;

	if ((rc = cmd_set_by(ctx, args)) != 0)
		return rc;
	if ((rc = load_pairing(ctx, args->pos[0], true, &r)) != 0)
		goto out;
	if (strcmp(r.status, "declined") == 0) {
		fprintf(stderr, "mentorctl: pairing %lld was declined already on "
		    "%s; nothing changed\n", r.id, fmt_date(r.declined_on, d));
		goto out;
	}
	if (strcmp(r.status, "active") == 0) {
		rc = cmd_error(EX_DATAERR, "pairing %lld is active; end it with "
		    "'mentorctl end %lld --reason TEXT'", r.id, r.id);
		goto out;
	}
	if ((rc = not_proposed(&r, "declined")) != 0)
		goto out;
	if ((side = by_side(&r, by)) < 0) {
		rc = EX_DATAERR;
		goto out;
	}
	if (store_pairing_decline(ctx->db, r.id, ctx->today, side ==
	    PAIRING_SIDE_MENTOR ? r.mentor_email : side == PAIRING_SIDE_MENTEE ?
	    r.mentee_email : ctx->actor, reason, &err) != 0) {
		rc = cmd_fail(&err);
		goto out;
	}
	fprintf(stderr, "mentorctl: declined pairing %lld (mentor '%s', mentee "
	    "'%s'); they will not be proposed again\n", r.id, r.mentor_email,
	    r.mentee_email);
out:
	pairing_rec_free(&r);
	return rc;
}

static int
cmd_end_exec(struct ctx *ctx, struct cmd_args *args)
{
	struct error err = ERROR_INIT;
	struct pairing_rec r;
	const char *reason = cmd_opt(args, "reason");
	char d[DATE_BUFSZ];
	size_t released = 0;
	int rc;

	if (reason == NULL || *reason == '\0')
		return cmd_error(EX_USAGE, "end needs --reason TEXT: why the "
		    "pairing ends");
	if ((rc = cmd_set_by(ctx, args)) != 0)
		return rc;
	if ((rc = load_pairing(ctx, args->pos[0], true, &r)) != 0)
		goto out;
	if (strcmp(r.status, "ended") == 0) {
		fprintf(stderr, "mentorctl: pairing %lld ended already on %s; "
		    "nothing changed\n", r.id, fmt_date(r.ended_on, d));
		goto out;
	}
	if (strcmp(r.status, "proposed") == 0) {
		/* never active, so not "ended": the proposal is withdrawn */
		if (store_pairing_decline(ctx->db, r.id, ctx->today,
		    cmd_actor(ctx, args), reason, &err) != 0) {
			rc = cmd_fail(&err);
			goto out;
		}
		fprintf(stderr, "mentorctl: withdrew proposal %lld (mentor '%s', "
		    "mentee '%s'): recorded as declined\n", r.id, r.mentor_email,
		    r.mentee_email);
		goto out;
	}
	if ((rc = not_proposed(&r, "ended")) != 0)
		goto out;
	if (store_pairing_end(ctx->db, r.id, ctx->today, reason, &released,
	    &err) != 0) {
		rc = cmd_fail(&err);
		goto out;
	}
	fprintf(stderr, "mentorctl: ended pairing %lld (mentor '%s', mentee "
	    "'%s')%s\n", r.id, r.mentor_email, r.mentee_email, released == 0 ?
	    "" : released == 1 ? "; 1 enrollment is eligible again" :
	    "; both enrollments are eligible again");
out:
	pairing_rec_free(&r);
	return rc;
}

/* ---- pairings ---- */

static int
cmd_pairings_exec(struct ctx *ctx, struct cmd_args *args)
{
	static const struct out_col cols[] = {
		{ "id", OUT_INT }, { "mentor_email", OUT_STR },
		{ "mentee_email", OUT_STR }, { "status", OUT_STR },
		{ "score", OUT_REAL }, { "group_id", OUT_INT },
		{ "proposed_on", OUT_STR }, { "expires_on", OUT_STR },
		{ "activated_on", OUT_STR }, { "ended_on", OUT_STR },
		{ "end_reason", OUT_STR }, { "origin", OUT_STR },
		{ "mentor_accepted_on", OUT_STR },
		{ "mentee_accepted_on", OUT_STR }, { "declined_on", OUT_STR },
		{ "declined_by", OUT_STR }, { "decline_reason", OUT_STR },
		{ "period", OUT_INT },
	};
	enum { NCOLS = sizeof cols / sizeof cols[0] };
	struct error err = ERROR_INIT;
	const struct pairing_row *r;
	struct pairing_cursor *c;
	struct program *p;
	struct out *o;
	const char *status = cmd_opt(args, "status");
	const char *cells[NCOLS];
	char id[24], score[32], g[24], slot[16];
	long long program_id;
	int fmt, rc;
	bool rotation;

	if ((fmt = cmd_out_format(ctx)) < 0)
		return EX_USAGE;
	if (status != NULL && !pairing_status_valid(status))
		return cmd_error(EX_USAGE, "unknown status '%s' (expected "
		    "proposed, planned, active, declined, expired or ended)",
		    status);
	if ((rc = cmd_load_program(ctx, args->pos[0], &program_id, &p)) != 0)
		return rc;
	/* a rotation's pairings say their period */
	rotation = p->format == FORMAT_ROTATIONAL;
	program_free(p);
	if ((c = store_pairing_cursor(ctx->db, program_id, ctx->today, status,
	    &err)) == NULL)
		return cmd_fail(&err);
	o = out_new(stdout, (enum out_format)fmt, cols, rotation ? NCOLS :
	    NCOLS - 1, 0);
	while ((rc = store_pairing_next(c, &r, &err)) == 1) {
		snprintf(id, sizeof id, "%lld", r->id);
		snprintf(score, sizeof score, "%.2f", r->score);
		snprintf(g, sizeof g, "%lld", r->group_id);
		cells[0] = id;
		cells[1] = r->mentor_email;
		cells[2] = r->mentee_email;
		cells[3] = r->status;
		cells[4] = score;
		cells[5] = r->group_id > 0 ? g : NULL;
		cells[6] = r->proposed_on;
		cells[7] = r->expires_on;
		cells[8] = r->activated_on;
		cells[9] = r->ended_on;
		cells[10] = r->end_reason;
		cells[11] = r->origin;
		cells[12] = r->mentor_accepted_on;
		cells[13] = r->mentee_accepted_on;
		cells[14] = r->declined_on;
		cells[15] = r->declined_by;
		cells[16] = r->decline_reason;
		snprintf(slot, sizeof slot, "%d", r->slot);
		cells[17] = r->slot > 0 ? slot : NULL;
		out_row(o, cells);
	}
	store_pairing_cursor_free(c);
	if (rc < 0) {
		out_free(o);
		return cmd_fail(&err);
	}
	return cmd_out_done(o);
}

static const struct cmd_opt pair_opts[] = {
	{ "force", false, "--force            pair despite the rules it breaks (never beyond capacity)" },
	{ "by", true, "--by EMAIL         who pairs them, for the audit" },
	{ NULL, false, NULL },
};

static const struct cmd_opt accept_opts[] = {
	{ "by", true, "--by EMAIL         the mentor or mentee who accepts (default: the coordinator, for everyone consent needs)" },
	{ NULL, false, NULL },
};

static const struct cmd_opt decline_opts[] = {
	{ "by", true, "--by EMAIL         the mentor or mentee who declines (default: the coordinator)" },
	{ "reason", true, "--reason TEXT      why" },
	{ NULL, false, NULL },
};

static const struct cmd_opt end_opts[] = {
	{ "reason", true, "--reason TEXT      why the pairing ends (required)" },
	{ "by", true, "--by EMAIL         who ends it, for the audit" },
	{ NULL, false, NULL },
};

static const struct cmd_opt pairings_opts[] = {
	{ "status", true, "--status STATUS    proposed, planned, active, declined, expired or ended" },
	{ NULL, false, NULL },
};

const struct cmd_entry cmd_pair_entry = {
	.name = "pair", .sub = NULL,
	.usage = "PROGRAM MENTOR_EMAIL MENTEE_EMAIL [--force] [--by EMAIL]",
	.summary = "propose a pairing by hand",
	.opts = pair_opts,
	.min_args = 3, .max_args = 3,
	.flags = CMD_NEEDS_DB | CMD_WRITES,
	.exec = cmd_pair_exec,
};

const struct cmd_entry cmd_accept_entry = {
	.name = "accept", .sub = NULL, .usage = "PAIRING_ID [--by EMAIL]",
	.summary = "accept a proposed pairing",
	.opts = accept_opts,
	.min_args = 1, .max_args = 1,
	.flags = CMD_NEEDS_DB | CMD_WRITES,
	.exec = cmd_accept_exec,
};

const struct cmd_entry cmd_decline_entry = {
	.name = "decline", .sub = NULL,
	.usage = "PAIRING_ID [--by EMAIL] [--reason TEXT]",
	.summary = "decline a proposed pairing",
	.opts = decline_opts,
	.min_args = 1, .max_args = 1,
	.flags = CMD_NEEDS_DB | CMD_WRITES,
	.exec = cmd_decline_exec,
};

const struct cmd_entry cmd_end_entry = {
	.name = "end", .sub = NULL, .usage = "PAIRING_ID --reason TEXT",
	.summary = "end a pairing",
	.opts = end_opts,
	.min_args = 1, .max_args = 1,
	.flags = CMD_NEEDS_DB | CMD_WRITES,
	.exec = cmd_end_exec,
};

const struct cmd_entry cmd_pairings_entry = {
	.name = "pairings", .sub = NULL, .usage = "PROGRAM [--status STATUS]",
	.summary = "list a programme's pairings",
	.opts = pairings_opts,
	.min_args = 1, .max_args = 1,
	.flags = CMD_NEEDS_DB,
	.exec = cmd_pairings_exec,
};
