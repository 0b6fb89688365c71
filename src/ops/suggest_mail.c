/*
 * Suggestion mails (ops/suggest_mail.h): the mentors `suggest` ranks for a
 * mentee, mailed with a request for the mentee's own ranking.
 */
#include "ops/suggest_mail.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/date.h"
#include "core/delivery.h"
#include "core/match_pool.h"
#include "core/program.h"
#include "core/score.h"
#include "core/token.h"
#include "io/mail.h"
#include "ops/match.h"
#include "store/db.h"
#include "store/mail_store.h"
#include "store/suggest_store.h"
#include "util/xmalloc.h"

void
ops_suggest_mail_free(struct ops_suggest_mail *plan)
{
	size_t i, j, k;

	if (plan == NULL)
		return;
	for (i = 0; i < plan->n; i++) {
		struct suggest_mail_item *it = &plan->v[i];

		for (j = 0; j < it->n; j++)
			for (k = 0; k < it->v[j].nreasons; k++)
				free(it->v[j].reasons[k]);
		free(it->v);
		free(it->token);
		free(it->message_id);
	}
	free(plan->v);
	free(plan->nomentor);
	if (plan->s != NULL) {
		ops_scoring_free(plan->s);
		free(plan->s);
	}
	sodium_memzero(plan->secret, sizeof plan->secret);
	memset(plan, 0, sizeof *plan);
}

/* A person's value of a standard field or attribute, NULL when none. */
static const char *
value_of(const struct score_person *sp, const char *name)
{
	size_t i;

	if (name == NULL)
		return NULL;
	if (strcasecmp(name, "department") == 0)
		return sp->department;
	if (strcasecmp(name, "title") == 0)
		return sp->title;
	if (strcasecmp(name, "location") == 0)
		return sp->location;
	if (strcasecmp(name, "timezone") == 0)
		return sp->timezone;
	for (i = 0; i < sp->nattrs; i++)
		if (strcasecmp(sp->attrs[i].name, name) == 0)
			return sp->attrs[i].value;
	return NULL;
}

/* The ';'-separated values of b that a has too, ", " between them. */
static void
common(const char *a, const char *b, struct strbuf *out)
{
	char *bv, *p, *sb, *av, *q, *sa;
	bool first = true;

	if (a == NULL || b == NULL)
		return;
	bv = xstrdup(b);
	for (p = strtok_r(bv, ";", &sb); p; p = strtok_r(NULL, ";", &sb)) {
		while (*p == ' ')
			p++;
		if (*p == '\0')
			continue;
		av = xstrdup(a);
		for (q = strtok_r(av, ";", &sa); q; q = strtok_r(NULL, ";", &sa)) {
			while (*q == ' ')
				q++;
			if (strcasecmp(q, p) == 0)
				break;
		}
		if (q != NULL) {
			strbuf_addf(out, "%s%s", first ? "" : ", ", p);
			first = false;
		}
		free(av);
	}
	free(bv);
}

/* One reason in words: "shared skills: go, sql (20.8 points)". */
static char *
reason(const struct match_criterion *c, const char *label,
    const struct score_person *m, const struct score_person *e,
    double points)
{
	const char *ma = c->attribute;
	const char *ea = c->mentee_attribute ? c->mentee_attribute : ma;
	struct strbuf sb = STRBUF_INIT;
	const char *ev = value_of(e, ea);

	switch (c->compare) {
	case COMPARE_OVERLAP:
		strbuf_addf(&sb, "shared %s: ", ma);
		common(value_of(m, ma), ev, &sb);
		break;
	case COMPARE_SAME:
		strbuf_addf(&sb, "the same %s (%s)", ma, ev ? ev : "");
		break;
	case COMPARE_PREFERENCE:
		strbuf_addstr(&sb, "your own preferences");
		break;
	case COMPARE_PREVIOUS_PARTNER:
		strbuf_addstr(&sb, "you were partners before");
		break;
	default:
		strbuf_addstr(&sb, label ? label : (ma ? ma : "criterion"));
		break;
	}
	strbuf_addf(&sb, " (%.1f points)", points);
	return strbuf_detach(&sb, NULL);
}

static void
reasons_of(const struct ops_scoring *s, const struct program *p, int i,
    int j, double *contrib, struct suggest_choice *ch)
{
	const struct match_pool *pool = &s->pool;
	const struct program_matching *pm = &p->matching;
	struct score_detail d;
	bool used[64];
	size_t k, best, nc = s->nlabels < 64 ? s->nlabels : 64;
	double pts, bp;

	if (nc == 0 || nc > pm->ncriteria)
		return;
	memset(used, 0, sizeof used);
	score_explain(&s->t, i, j, contrib, &d);
	for (ch->nreasons = 0; ch->nreasons < SUGGEST_MAIL_REASONS;
	    ch->nreasons++) {
		best = nc;
		bp = 0;
		for (k = 0; k < nc; k++) {
			pts = match_points(p, k, contrib[k]);
			if (!used[k] && pts > 0.05 && (best == nc || pts > bp)) {
				best = k;
				bp = pts;
			}
		}
		if (best == nc)
			break;
		used[best] = true;
		ch->reasons[ch->nreasons] = reason(&pm->criteria[best],
		    s->labels[best], &pool->people[pool->mentors[j].person],
		    &pool->people[pool->mentees[i].person], bp);
	}
}

static int
plan_item(const struct ops_ctx *o, struct ops_suggest_mail *plan, int i,
    int top, struct match_ranked *row, double *contrib,
    const struct bounce_set *bounces, size_t *cap, struct error *err)
{
	const struct match_pool *pool = &plan->s->pool;
	const struct match_cand *e = &pool->mentees[i];
	const struct score_person *ep = &pool->people[e->person];
	struct suggest_mail_key k;
	struct reminder_log log;
	struct suggest_mail_item *it;
	int n, r;

	n = match_pool_rank(pool, plan->p, &plan->s->t, i, row);
	if (n == 0) {
		plan->nomentor = xreallocarray(plan->nomentor,
		    plan->nnomentor + 1, sizeof *plan->nomentor);
		plan->nomentor[plan->nnomentor++] = (char *)e->email;
		return 0;
	}
	memset(&log, 0, sizeof log);
	if (!plan->force) {
		memset(&k, 0, sizeof k);
		k.program_id = plan->program_id;
		k.enrollment_id = e->enrollment_id;
		k.due_on = o->today;
		k.recipient = e->email;
		if (store_suggest_mail_log(o->db, &k, &log, err) != 0)
			return -1;
		if (log.present && log.state != DELIVERY_FAILED) {
			plan->recorded++;
			return 0;
		}
		if (log.present && log.attempts >= DELIVERY_MAX_ATTEMPTS) {
			plan->waiting++;
			return 0;
		}
	}
	if (bounces->n > 0 && bounce_set_has(bounces, e->email)) {
		plan->bouncing++;
		return 0;
	}
	XGROW(plan->v, plan->n + 1, *cap);
	it = &plan->v[plan->n++];
	memset(it, 0, sizeof *it);
	it->person_id = e->person_id;
	it->enrollment_id = e->enrollment_id;
	it->email = e->email;
	it->name = ep->name && *ep->name ? ep->name : NULL;
	it->open_pairing = e->open_pairing;
	it->attempts = log.present ? log.attempts : 0;
	if (n > top)
		n = top;
	it->v = xcalloc((size_t)n, sizeof *it->v);
	it->n = (size_t)n;
	for (r = 0; r < n; r++) {
		const struct match_cand *m = &pool->mentors[row[r].mentor];
		const struct score_person *mp = &pool->people[m->person];
		struct suggest_choice *ch = &it->v[r];

		ch->person_id = m->person_id;
		ch->email = m->email;
		ch->name = mp->name && *mp->name ? mp->name : NULL;
		ch->title = mp->title && *mp->title ? mp->title : NULL;
		ch->department = mp->department && *mp->department ?
		    mp->department : NULL;
		ch->score = row[r].score;
		reasons_of(plan->s, plan->p, i, row[r].mentor, contrib, ch);
	}
	return 0;
}

int
ops_suggest_mail_plan(const struct ops_ctx *o, long long program_id,
    const struct program *p, const char *mentee, int top, bool force,
    struct ops_suggest_mail *plan, struct error *err)
{
	struct bounce_set bounces;
	struct match_ranked *row;
	double *contrib;
	size_t cap = 0;
	int i, rc = 0;

	memset(plan, 0, sizeof *plan);
	plan->p = p;
	plan->program_id = program_id;
	plan->force = force;
	plan->force_at = force ? (long long)o->now : 0;
	if (p->contact == NULL || !mail_addr_valid(p->contact))
		return error_set(err, EX_DATAERR, "programme '%s' has no valid "
		    "contact address (the sender of its mails and where "
		    "replies go): set 'contact:' in its YAML", p->slug);
	plan->s = xcalloc(1, sizeof *plan->s);
	if (ops_scores(o, program_id, p, mentee ? MATCH_LOAD_FREE :
	    MATCH_LOAD_UNMATCHED | MATCH_LOAD_FREE, mentee, plan->s, err) != 0)
		return -1;
	if (store_bounce_set(o->db, &bounces, err) != 0)
		return -1;
	row = xcalloc(plan->s->pool.nmentors ? (size_t)plan->s->pool.nmentors :
	    1, sizeof *row);
	contrib = xcalloc(plan->s->nlabels ? plan->s->nlabels : 1,
	    sizeof *contrib);
	for (i = 0; i < plan->s->pool.nmentees && rc == 0; i++)
		rc = plan_item(o, plan, i, top, row, contrib, &bounces, &cap,
		    err);
	free(row);
	free(contrib);
	bounce_set_free(&bounces);
	return rc;
}

int
ops_suggest_mail_secret(const struct ops_ctx *o,
    struct ops_suggest_mail *plan, struct error *err)
{
	int k;

	if ((k = store_mail_secret_get(o->db, MAIL_SECRET_REPLY_TOKEN,
	    plan->secret, err)) < 0)
		return -1;
	if (k == 1) {
		plan->have_secret = true;
		return 0;
	}
	if (token_secret_new(plan->secret, err) != 0)
		return -1;
	if (db_begin(o->db, err) != 0)
		return -1;
	if (store_mail_secret_put(o->db, MAIL_SECRET_REPLY_TOKEN, plan->secret,
	    o->now, err) != 0) {
		db_rollback(o->db);
		return -1;
	}
	if (db_commit(o->db, err) != 0)
		return -1;
	plan->have_secret = true;
	return 0;
}

char *
ops_suggest_mail_subject(const struct ops_suggest_mail *plan)
{
	const struct program *p = plan->p;

	return xstrfmt("%s: which mentor would you like?",
	    p->name && *p->name ? p->name : p->slug);
}

/* Words wrapped at width, each line prefixed by indent. */
static void
wrap(struct strbuf *out, const char *text, const char *indent, size_t width)
{
	const char *p = text, *w;
	size_t col = 0, len, il = strlen(indent);

	while (*p != '\0') {
		if (*p == ' ') {
			p++;
			continue;
		}
		for (w = p; *w != '\0' && *w != ' '; w++)
			;
		len = (size_t)(w - p);
		if (col > 0 && col + 1 + len > width) {
			strbuf_addch(out, '\n');
			col = 0;
		}
		if (col == 0) {
			strbuf_addstr(out, indent);
			col = il;
		} else {
			strbuf_addch(out, ' ');
			col++;
		}
		strbuf_add(out, p, len);
		col += len;
		p = w;
	}
	if (col > 0)
		strbuf_addch(out, '\n');
}

/* "Ana" of "Ana Lopez" (or of ana@...), at most size - 1 bytes. */
static void
first_name(const struct suggest_choice *ch, char *out, size_t size)
{
	const char *nm = ch->name ? ch->name : ch->email;
	size_t l = strcspn(nm, " @");

	if (l >= size)
		l = size - 1;
	memcpy(out, nm, l);
	out[l] = '\0';
}

static char *
body_of(const struct ops_ctx *o, const struct ops_suggest_mail *plan,
    const struct suggest_mail_item *it)
{
	const struct program *p = plan->p;
	struct strbuf sb = STRBUF_INIT, para = STRBUF_INIT;
	const char *n = it->name ? it->name : it->email, *sp = strchr(n, ' ');
	char d[DATE_BUFSZ], f1[64], f2[64];
	size_t j, k;

	strbuf_addf(&sb, "Hello %.*s,\n\n", sp ? (int)(sp - n) :
	    (int)strlen(n), n);
	strbuf_addf(&para, "These are the mentors of %s who suit you best "
	    "and have a place left, best match first:", p->name && *p->name ?
	    p->name : p->slug);
	wrap(&sb, para.buf, "", 72);
	strbuf_addch(&sb, '\n');
	for (j = 0; j < it->n; j++) {
		const struct suggest_choice *ch = &it->v[j];

		strbuf_reset(&para);
		strbuf_addf(&para, "%zu. %s", j + 1, ch->name ? ch->name :
		    ch->email);
		if (ch->title || ch->department)
			strbuf_addf(&para, ", %s%s%s", ch->title ? ch->title : "",
			    ch->title && ch->department ? ", " : "",
			    ch->department ? ch->department : "");
		wrap(&sb, para.buf, "", 72);
		for (k = 0; k < ch->nreasons; k++) {
			strbuf_reset(&para);
			strbuf_addf(&para, "- %s", ch->reasons[k]);
			wrap(&sb, para.buf, "     ", 72);
		}
	}
	strbuf_reset(&para);
	first_name(&it->v[0], f1, sizeof f1);
	if (it->n >= 2) {
		first_name(&it->v[1], f2, sizeof f2);
		strbuf_addf(&para, "Which of them would you like as your "
		    "mentor? Reply to this mail with your ranking on the first "
		    "line, most wanted first, by name or by number: for example "
		    "\"1. %s 2. %s\" or \"2, 1\". You may rank only some of "
		    "them.", f2, f1);
	} else {
		strbuf_addf(&para, "Would you like %s as your mentor? Reply to "
		    "this mail with \"1. %s\" (or \"1\") on the first line.",
		    it->v[0].name ? it->v[0].name : it->v[0].email, f1);
	}
	strbuf_addf(&para, " Your answer is one of the things the "
	    "coordinators weigh when they match; it does not promise a "
	    "pairing. Answers count until %s.",
	    date_format(o->today + SUGGEST_MAIL_DAYS, d));
	strbuf_addch(&sb, '\n');
	wrap(&sb, para.buf, "", 72);
	strbuf_addf(&sb, "\n-- \n%s\n%s\n", p->name && *p->name ? p->name :
	    p->slug, p->contact);
	strbuf_release(&para);
	return strbuf_detach(&sb, NULL);
}

int
ops_suggest_mail_compose(const struct ops_ctx *o,
    const struct ops_suggest_mail *plan, struct suggest_mail_item *it,
    struct strbuf *msg, struct error *err)
{
	const struct program *p = plan->p;
	const char *at = strrchr(p->contact, '@');
	struct token_claims c;
	struct mail_msg m;
	char tok[TOKEN_BUFSZ], d[DATE_BUFSZ], *unique, *reply_to = NULL;
	char *body, *subject;
	int rc;

	free(it->token);
	free(it->message_id);
	it->token = it->message_id = NULL;
	if (!plan->have_secret)
		return error_set(err, EX_SOFTWARE, "no reply token secret");
	memset(&c, 0, sizeof c);
	c.person_id = it->person_id;
	c.subject_id = it->enrollment_id;
	c.question = TOKEN_Q_SUGGEST;
	c.expires_on = o->today + SUGGEST_MAIL_DAYS;
	if (token_make(&c, plan->secret, tok, err) != 0)
		return -1;
	if (token_address(p->contact, tok, &reply_to, err) != 0) {
		/* a long local part: no Reply-To, the Message-ID still has it */
		error_clear(err);
		reply_to = NULL;
	}
	date_format(o->today, d);
	d[4] = d[7] = '-';
	if (plan->force_at > 0)
		unique = xstrfmt("suggest.%lld.%.4s%.2s%.2s.%lld",
		    it->enrollment_id, d, d + 5, d + 8, plan->force_at);
	else
		unique = xstrfmt("suggest.%lld.%.4s%.2s%.2s", it->enrollment_id,
		    d, d + 5, d + 8);
	it->message_id = at ? token_message_id(tok, unique, at + 1) : NULL;
	free(unique);
	if (it->message_id == NULL) {
		free(reply_to);
		return error_set(err, EX_DATAERR, "programme '%s': cannot make "
		    "a Message-ID from its contact address '%s'", p->slug,
		    p->contact);
	}
	it->token = xstrdup(tok);
	body = body_of(o, plan, it);
	subject = ops_suggest_mail_subject(plan);
	memset(&m, 0, sizeof m);
	m.from.name = p->name;
	m.from.email = p->contact;
	m.to.name = it->name;
	m.to.email = it->email;
	m.reply_to.email = reply_to;
	m.reply_to.name = reply_to ? p->name : NULL;
	m.subject = subject;
	m.date = o->now;
	m.message_id = it->message_id;
	m.body = body;
	rc = mail_compose(&m, msg, err);
	free(body);
	free(subject);
	free(reply_to);
	return rc;
}

static double
mono_clock(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static bool
try_again(struct error *err, double start, int patience)
{
	if (err->code != EX_TEMPFAIL || mono_clock() - start >= patience)
		return false;
	error_clear(err);
	return true;
}

static enum remind_outcome
verdict(enum delivery_verdict v, int attempts, struct reminder_outcome *out)
{
	switch (v) {
	case DELIVERY_OK:
		out->state = DELIVERY_SENT;
		return REMIND_OUT_SENT;
	case DELIVERY_BOUNCE:
		out->state = DELIVERY_BOUNCED;
		return REMIND_OUT_BOUNCED;
	case DELIVERY_UNKNOWN:
		out->state = DELIVERY_HANDED;
		return REMIND_OUT_UNKNOWN;
	case DELIVERY_RETRY:
	default:
		if (attempts >= DELIVERY_MAX_ATTEMPTS) {
			out->state = DELIVERY_GAVE_UP;
			return REMIND_OUT_GAVE_UP;
		}
		out->state = DELIVERY_FAILED;
		return REMIND_OUT_RETRY;
	}
}

int
ops_suggest_mail_deliver(const struct ops_ctx *o, struct remind_sender *s,
    const struct ops_suggest_mail *plan, const struct suggest_mail_item *it,
    const struct strbuf *msg, struct remind_result *res, struct error *err)
{
	struct suggest_mail_key k;
	struct suggest_mail_list_in l;
	struct reminder_outcome out;
	struct delivery_end end;
	struct mail_spool *sp = NULL;
	enum delivery_verdict v;
	long long *ids;
	double start;
	size_t i;
	int rc = -1;

	memset(res, 0, sizeof *res);
	for (i = 0; i < s->nbounced; i++)
		if (strcasecmp(s->bounced[i], it->email) == 0) {
			res->outcome = REMIND_OUT_HELD;
			return 0;
		}
	memset(&k, 0, sizeof k);
	k.program_id = plan->program_id;
	k.enrollment_id = it->enrollment_id;
	k.force_at = plan->force_at;
	k.due_on = o->today;
	k.recipient = it->email;
	ids = xcalloc(it->n ? it->n : 1, sizeof *ids);
	for (i = 0; i < it->n; i++)
		ids[i] = it->v[i].person_id;
	l.message_id = it->message_id;
	l.token = it->token;
	l.person_id = it->person_id;
	l.mentors = ids;
	l.n = it->n;
	if (mail_spool_new(&s->transport, msg->buf, msg->len, &sp,
	    err) != 0)
		goto out;
	start = mono_clock();
	while ((rc = store_suggest_mail_claim(o->db, &k, it->attempts, &l,
	    o->now, s->by, err)) < 0 &&
	    try_again(err, start, REMIND_CLAIM_PATIENCE))
		;
	if (rc < 0)
		goto out;
	if (rc == 0) {
		res->outcome = REMIND_OUT_TAKEN;
		goto out;
	}
	/* From here on the mail may be out, whatever happens to this run. */
	mail_spool_send(sp, &s->transport, &end);
	v = delivery_judge(&end, res->reason);
	res->attempts = it->attempts + 1;
	memset(&out, 0, sizeof out);
	res->outcome = verdict(v, res->attempts, &out);
	s->in_row = v == DELIVERY_OK || v == DELIVERY_BOUNCE ? 0 :
	    s->in_row + 1;
	out.error = res->reason[0] ? res->reason : NULL;
	out.today = o->today;
	out.now = o->now;
	start = mono_clock();
	while ((rc = store_suggest_mail_outcome(o->db, &k, s->by, &out,
	    err)) < 0 && try_again(err, start, REMIND_RECORD_PATIENCE))
		;
	if (rc == 0 && v == DELIVERY_BOUNCE) {
		s->bounced = xreallocarray(s->bounced, s->nbounced + 1,
		    sizeof *s->bounced);
		s->bounced[s->nbounced++] = xstrdup(it->email);
	}
	if (rc < 0)
		error_prefix(err, "the suggestion mail to %s was handed to the "
		    "mail program, but its outcome could not be recorded (it "
		    "counts as sent; see 'mentorctl mail unsent'): ", it->email);
out:
	mail_spool_free(sp);
	free(ids);
	return rc < 0 ? -1 : 0;
}
