/*
 * A participant's reply by e-mail, carried out (ops/inbox.h).  The rules of
 * what each answer does live in the ops functions the coordinator's
 * commands use; this file finds who is answering what, in which words, and
 * what to tell them.
 */
#include "ops/inbox.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/cycle.h"
#include "core/date.h"
#include "core/program.h"
#include "core/reply.h"
#include "core/token.h"
#include "io/mime.h"
#include "ops/checkin.h"
#include "ops/feedback.h"
#include "ops/pairing.h"
#include "ops/preferences.h"
#include "ops/reup.h"
#include "ops/session.h"
#include "store/db.h"
#include "store/mail_store.h"
#include "store/pairing_store.h"
#include "store/person_store.h"
#include "store/session_store.h"
#include "store/suggest_store.h"
#include "util/strbuf.h"
#include "util/xmalloc.h"

static const char *const outcome_words[] = {
	[INBOX_RECORDED] = "recorded",
	[INBOX_REFUSED] = "refused",
	[INBOX_HELP] = "help",
	[INBOX_DUPLICATE] = "duplicate",
	[INBOX_AUTO_REPLY] = "auto-reply",
	[INBOX_BOUNCE] = "bounce",
	[INBOX_NO_TOKEN] = "no-token",
	[INBOX_BAD_TOKEN] = "bad-token",
	[INBOX_EXPIRED] = "expired",
};

const char *
inbox_outcome_name(enum inbox_outcome o)
{
	if ((size_t)o < sizeof outcome_words / sizeof outcome_words[0])
		return outcome_words[o];
	return "unknown";
}

void
inbox_result_free(struct inbox_result *r)
{
	if (r == NULL)
		return;
	free(r->message_key);
	free(r->sender);
	free(r->detail);
	free(r->ack_to);
	free(r->ack_to_name);
	free(r->ack_from);
	free(r->ack_from_name);
	free(r->ack_subject);
	free(r->ack_body);
	free(r->ack_in_reply_to);
	memset(r, 0, sizeof *r);
}

/* The Message-ID, or a digest of the bytes for a message without one. */
static char *
message_key(const struct mime_msg *m, const char *raw, size_t len)
{
	unsigned char h[crypto_generichash_BYTES];
	char hex[2 * crypto_generichash_BYTES + 1];

	if (m->message_id != NULL && *m->message_id != '\0')
		return xstrdup(m->message_id);
	crypto_generichash(h, sizeof h, (const unsigned char *)raw, len, NULL,
	    0);
	sodium_bin2hex(hex, sizeof hex, h, sizeof h);
	return xstrfmt("blake2b:%s", hex);
}

/*
 * The best token of the message: the recipients' plus-addresses first (a
 * plain Reply goes to the Reply-To), then the ids it replies to, newest
 * first.  TOKEN_OK beats an expired one, which beats a forgery; with no
 * candidate at all *any is false.
 */
static enum token_status
find_token(const struct mime_msg *m, const uint8_t *secret, int today,
    struct token_claims *c, char winner[TOKEN_BUFSZ], bool *any)
{
	enum token_status best = TOKEN_MALFORMED, st;
	struct token_claims got;
	char tok[TOKEN_BUFSZ];
	size_t i, n = m->nrecipients + m->nreferences + 1;

	*any = false;
	for (i = 0; i < n; i++) {
		bool found;

		if (i < m->nrecipients)
			found = token_from_address(m->recipients[i], tok);
		else if (i == m->nrecipients)
			found = m->in_reply_to != NULL &&
			    token_from_message_id(m->in_reply_to, tok);
		else
			found = token_from_message_id(m->references[
			    m->nreferences - 1 - (i - m->nrecipients - 1)], tok);
		if (!found)
			continue;
		*any = true;
		if (secret == NULL)
			continue;
		st = token_verify(tok, strlen(tok), secret, today, &got);
		if (st == TOKEN_OK) {
			*c = got;
			memcpy(winner, tok, TOKEN_BUFSZ);
			return TOKEN_OK;
		}
		if (st == TOKEN_EXPIRED && best != TOKEN_EXPIRED) {
			*c = got;
			best = TOKEN_EXPIRED;
		} else if (st == TOKEN_BAD_MAC && best == TOKEN_MALFORMED) {
			best = TOKEN_BAD_MAC;
		}
	}
	return best;
}

/* "Monday 25 January 2027" */
static void
add_day(struct strbuf *sb, int day)
{
	static const char *const wd[] = { "Monday", "Tuesday", "Wednesday",
	    "Thursday", "Friday", "Saturday", "Sunday" };
	static const char *const mo[] = { "January", "February", "March",
	    "April", "May", "June", "July", "August", "September", "October",
	    "November", "December" };
	int y, m, d, w = date_weekday(day);

	date_to_ymd(day, &y, &m, &d);
	strbuf_addf(sb, "%s %d %s %d", w >= 1 && w <= 7 ? wd[w - 1] : "", d,
	    mo[(m - 1) % 12], y);
}

/* Everything one reply needs while its commands run. */
struct reply_run {
	const struct ops_ctx *o;
	struct ops_ctx as;           /* o, acting as the person */
	struct token_claims c;
	char *email;                 /* the token's person */
	char *name;
	struct pairing_rec pr;       /* the token's pairing, when it has one */
	bool has_pairing;
	struct session_rec session;  /* the token's leader session, when it is one */
	bool has_session;
	char *partner;               /* the other partner's name or address */
	const char *token;           /* the token, as the reply brought it */
	const struct mime_msg *m;
	struct suggest_mail_list list;   /* what a suggestion mail listed */
	bool has_list;
	struct program *p;           /* the pairing's programme */
	long long program_id;
	struct strbuf said;          /* what was recorded, for the person */
	struct strbuf help;          /* what they can write */
	bool want_help;
};

static void
run_free(struct reply_run *x)
{
	free(x->email);
	free(x->name);
	free(x->partner);
	pairing_rec_free(&x->pr);
	suggest_mail_list_free(&x->list);
	if (x->has_session)
		session_rec_free(&x->session);
	program_free(x->p);
	strbuf_release(&x->said);
	strbuf_release(&x->help);
}

/* The other partner of the pairing, as the person knows them. */
static char *
partner_of(struct db *db, const struct pairing_rec *pr, const char *me)
{
	struct error err = ERROR_INIT;
	struct person_rec p;
	const char *other = strcasecmp(pr->mentor_email, me) == 0 ?
	    pr->mentee_email : pr->mentor_email;
	char *s;

	if (store_person_get(db, other, &p, &err) != 0) {
		error_clear(&err);
		return xstrdup(other);
	}
	s = xstrdup(p.fields[PEOPLE_NAME] && *p.fields[PEOPLE_NAME] ?
	    p.fields[PEOPLE_NAME] : other);
	person_rec_free(&p);
	return s;
}

static void
help_text(struct strbuf *sb, enum token_question q)
{
	strbuf_addstr(sb, "What you can write at the top of a reply (one "
	    "answer a line):\n");
	if (q == TOKEN_Q_SUGGEST) {
		strbuf_addstr(sb, "  1. Ana 2. Bo          the mentors the mail "
		    "listed, most wanted first,\n"
		    "                        by first name, full name or "
		    "e-mail address\n"
		    "  2, 1, 3               the same by their numbers in the "
		    "list\n"
		    "  help                  this list\n");
		return;
	}
	if (q == TOKEN_Q_PROPOSAL)
		strbuf_addstr(sb, "  yes                   accept the proposal\n"
		    "  no [reason]           decline it\n");
	if (q == TOKEN_Q_REUP)
		strbuf_addstr(sb, "  re-up yes | re-up no  another cycle "
		    "together, or not\n");
	if (q == TOKEN_Q_PREFERENCES)
		strbuf_addstr(sb, "  1. Ana 2. Bo 3. Cy    your preferred "
		    "mentors, best first\n");
	if (q == TOKEN_Q_SESSION) {
		strbuf_addstr(sb, "  join | yes            a place at the "
		    "session\n  no                    cancel your place\n");
		return;
	}
	strbuf_addstr(sb, "  met [DATE] [N min]    you met (\"met "
	    "yesterday 45 min\", \"met 25 Jan\")\n"
	    "  rate N [comment]      rate your mentoring, 1 to 5\n"
	    "  pause | resume        stop or restart the check-in "
	    "reminders\n"
	    "  help                  this list\n");
}

/* The reason an ops function gave, for a person: no "mentorctl ..." advice. */
static void
refusal(struct reply_run *x, struct error *e, const char *what,
    struct strbuf *reason)
{
	strbuf_addf(reason, "%s: %s", what, e->msg ? e->msg : "refused");
	(void)x;
}

static int
do_accept(struct reply_run *x, struct strbuf *reason, struct error *err)
{
	struct ops_answer a;
	int rc;

	rc = ops_accept(&x->as, x->pr.id, x->email, &a, err);
	if (rc == 0) {
		switch (a.outcome) {
		case OPS_ANSWER_ACTIVE:
			strbuf_addf(&x->said, "You accepted the pairing with "
			    "%s: you are matched now.  %s will hear from us "
			    "too.\n", x->partner, x->partner);
			break;
		case OPS_ANSWER_WAITING:
			strbuf_addf(&x->said, "You accepted the pairing with "
			    "%s; it starts with period %d of the rotation.\n",
			    x->partner, x->pr.slot);
			break;
		case OPS_ANSWER_UNCHANGED:
			strbuf_addf(&x->said, "You had accepted the pairing "
			    "with %s already; nothing changed.\n", x->partner);
			break;
		default:
			strbuf_addf(&x->said, "You accepted the pairing with "
			    "%s.  We are waiting for %s's answer.\n", x->partner,
			    x->partner);
			break;
		}
	} else {
		refusal(x, err, "your acceptance was not recorded", reason);
	}
	ops_answer_free(&a);
	return rc;
}

static int
do_decline(struct reply_run *x, const char *why, struct strbuf *reason,
    struct error *err)
{
	struct ops_answer a;
	int rc;

	rc = ops_decline(&x->as, x->pr.id, x->email, why, &a, err);
	if (rc == 0)
		strbuf_addf(&x->said, "You declined the pairing with %s; you "
		    "will not be proposed to each other again.%s\n", x->partner,
		    a.outcome == OPS_ANSWER_UNCHANGED ? " (It was declined "
		    "already.)" : "");
	else
		refusal(x, err, "your answer was not recorded", reason);
	ops_answer_free(&a);
	return rc;
}

static int
do_met(struct reply_run *x, const struct reply_cmd *c, struct strbuf *reason,
    struct error *err)
{
	struct ops_checkin_req req;
	struct ops_checkin r;
	int rc;

	memset(&req, 0, sizeof req);
	memset(&r, 0, sizeof r);
	req.pairing_id = x->pr.id;
	req.on = c->day;
	req.minutes = c->minutes;
	if ((rc = ops_checkin(&x->as, &req, &r, err)) != 0) {
		refusal(x, err, "your meeting was not recorded", reason);
		ops_checkin_free(&r);
		return rc;
	}
	strbuf_addf(&x->said, "You met %s on ", x->partner);
	add_day(&x->said, r.held_on);
	if (r.minutes > 0)
		strbuf_addf(&x->said, ", %d minutes", r.minutes);
	strbuf_addf(&x->said, " (meeting %d%s).\n", r.meeting,
	    r.replaced ? ", replacing what was recorded for that day" : "");
	if (r.has_next) {
		strbuf_addstr(&x->said, "Next meeting due ");
		add_day(&x->said, r.next_due_on);
		if (r.next_prompt)
			strbuf_addf(&x->said, ": \"%s\"", r.next_prompt);
		strbuf_addstr(&x->said, ".\n");
	}
	ops_checkin_free(&r);
	return 0;
}

static int
do_rate(struct reply_run *x, const struct reply_cmd *c, struct strbuf *reason,
    struct error *err)
{
	struct ops_feedback_req req;
	struct ops_feedback r;

	memset(&req, 0, sizeof req);
	memset(&r, 0, sizeof r);
	req.pairing_id = x->pr.id;
	req.by = x->email;
	req.rating = c->rating;
	req.comment = c->text;
	if (ops_feedback(&x->as, &req, &r, err) != 0) {
		refusal(x, err, "your rating was not recorded", reason);
		return -1;
	}
	strbuf_addf(&x->said, "Your rating: %d of 5%s.  Thank you; it is "
	    "confidential, and only shown with at least two others.\n",
	    c->rating, r.replaced ? " (it replaces your earlier one)" : "");
	return 0;
}

static int
do_reup(struct reply_run *x, bool yes, struct strbuf *reason,
    struct error *err)
{
	struct ops_reup r;
	char d[DATE_BUFSZ];

	memset(&r, 0, sizeof r);
	if (ops_reup(&x->as, x->pr.id, x->email, yes ? CYCLE_ANSWER_YES :
	    CYCLE_ANSWER_NO, &r, err) != 0) {
		refusal(x, err, "your re-up answer was not recorded", reason);
		return -1;
	}
	strbuf_addf(&x->said, "Your answer for another cycle with %s: %s.  "
	    "You can change it until %s.\n", x->partner, yes ? "yes" : "no",
	    r.closes_on == DATE_NONE ? "the window closes" :
	    date_format(r.closes_on, d));
	return 0;
}

static int
do_pause(struct reply_run *x, bool pause, struct error *err)
{
	int rc;

	rc = pause ? store_pause_set(x->o->db, x->pr.id, x->c.person_id,
	    x->o->today, err) : store_pause_clear(x->o->db, x->pr.id,
	    x->c.person_id, err);
	if (rc < 0)
		return -1;
	if (pause)
		strbuf_addf(&x->said, "Check-in reminders for your pairing with "
		    "%s are paused%s.  Reply \"resume\" to restart them.\n",
		    x->partner, rc == 0 ? " (they were already)" : "");
	else
		strbuf_addf(&x->said, "Check-in reminders for your pairing with "
		    "%s are on again%s.\n", x->partner, rc == 0 ?
		    " (they were not paused)" : "");
	return 0;
}

static void
session_words(struct strbuf *sb, const struct session_rec *s)
{
	strbuf_addf(sb, "the session %s%s%swith %s on ", s->title ? "\"" : "",
	    s->title ? s->title : "", s->title ? "\" " : "",
	    s->leader_name ? s->leader_name : s->leader_email);
	add_day(sb, s->held_on);
}

static int
do_session(struct reply_run *x, bool join, struct strbuf *reason,
    struct error *err)
{
	struct ops_place r;
	int rc;

	memset(&r, 0, sizeof r);
	rc = join ? ops_session_signup(&x->as, x->session.id, x->email,
	    "e-mail", false, &r, err) : ops_session_cancel(&x->as,
	    x->session.id, x->email, &r, err);
	if (rc != 0) {
		refusal(x, err, join ? "you were not signed up" :
		    "your place was not cancelled", reason);
		ops_place_free(&r);
		return -1;
	}
	switch (r.outcome) {
	case OPS_PLACE_SEATED:
		strbuf_addstr(&x->said, "You have a seat at ");
		break;
	case OPS_PLACE_WAITLISTED:
		strbuf_addf(&x->said, "You are on the waiting list (number %d) "
		    "for ", r.rank);
		break;
	case OPS_PLACE_CANCELLED:
		strbuf_addstr(&x->said, "Your place is cancelled at ");
		break;
	case OPS_PLACE_UNCHANGED:
		strbuf_addstr(&x->said, "Nothing changed: you had answered "
		    "already for ");
		break;
	default:
		strbuf_addstr(&x->said, "You are signed up (seats are given "
		    "out when the sign-up closes) for ");
		break;
	}
	session_words(&x->said, &x->session);
	strbuf_addstr(&x->said, ".\n");
	ops_place_free(&r);
	return 0;
}

static int
do_ranking(struct reply_run *x, const struct reply_cmd *c,
    struct strbuf *reason, struct error *err)
{
	size_t i;

	if (ops_preferences_set(&x->as, x->program_id, x->p, x->email,
	    (const char *const *)c->names, c->nnames, "e-mail reply",
	    err) != 0) {
		refusal(x, err, "your preferences were not recorded", reason);
		return -1;
	}
	strbuf_addstr(&x->said, "Your preferences, best first:");
	for (i = 0; i < c->nnames; i++)
		strbuf_addf(&x->said, "%s %zu. %s", i ? "," : "", i + 1,
		    c->names[i]);
	strbuf_addstr(&x->said, ".\n");
	return 0;
}

/* Whether name is only digits: a position in the list. */
static bool
all_digits(const char *s)
{
	if (*s == '\0')
		return false;
	for (; *s != '\0'; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

/* Whether w is a word of name (its first, last or any part), any case. */
static bool
name_has_word(const char *name, const char *w)
{
	size_t n = strlen(w);
	const char *p = name;

	while (*p != '\0') {
		while (*p == ' ' || *p == '-')
			p++;
		if (strncasecmp(p, w, n) == 0 && (p[n] == '\0' || p[n] == ' ' ||
		    p[n] == '-'))
			return true;
		while (*p != '\0' && *p != ' ' && *p != '-')
			p++;
	}
	return false;
}

/* Whether the entry names listed mentor l: number aside, name or address. */
static bool
names_listed(const struct suggest_listed *l, const char *e)
{
	const char *at = strchr(l->email, '@');

	if (strcasecmp(l->email, e) == 0 || strcasecmp(l->name, e) == 0)
		return true;
	if (at != NULL && strlen(e) == (size_t)(at - l->email) &&
	    strncasecmp(l->email, e, (size_t)(at - l->email)) == 0)
		return true;
	return strchr(e, ' ') == NULL && name_has_word(l->name, e);
}

static void
listed_words(struct strbuf *sb, const struct suggest_mail_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		strbuf_addf(sb, "%s%zu. %s", i ? ", " : "", i + 1,
		    *l->v[i].name ? l->v[i].name : l->v[i].email);
}

/*
 * A ranking of the mentors a suggestion mail listed: each entry a number
 * of the list, or a name or address that names exactly one of them.
 */
static int
do_suggest_ranking(struct reply_run *x, const struct reply_cmd *c,
    struct strbuf *reason, struct error *err)
{
	const struct suggest_mail_list *l = &x->list;
	const char **emails = xcalloc(c->nnames ? c->nnames : 1,
	    sizeof *emails);
	size_t i, j, hits, pick = 0;
	int rc = -1;

	for (i = 0; i < c->nnames; i++) {
		const char *e = c->names[i];

		if (all_digits(e)) {
			unsigned long v = strtoul(e, NULL, 10);

			if (v < 1 || v > l->n) {
				strbuf_addf(reason, "choice %zu is number %s, and "
				    "the list had %zu (", i + 1, e, l->n);
				listed_words(reason, l);
				strbuf_addstr(reason, ")");
				goto out;
			}
			pick = v - 1;
		} else {
			for (j = 0, hits = 0; j < l->n; j++)
				if (names_listed(&l->v[j], e)) {
					hits++;
					pick = j;
				}
			if (hits != 1) {
				strbuf_addf(reason, "\"%s\" %s; write the number, "
				    "the full name or the address of one of ",
				    e, hits == 0 ? "is not one of the mentors "
				    "we listed" : "names more than one of the "
				    "mentors we listed");
				listed_words(reason, l);
				goto out;
			}
		}
		for (j = 0; j < i; j++)
			if (strcasecmp(emails[j], l->v[pick].email) == 0) {
				strbuf_addf(reason, "%s is in your ranking twice "
				    "(choices %zu and %zu)", *l->v[pick].name ?
				    l->v[pick].name : l->v[pick].email, j + 1,
				    i + 1);
				goto out;
			}
		emails[i] = l->v[pick].email;
	}
	if (ops_preferences_set(&x->as, x->program_id, x->p, x->email,
	    emails, c->nnames, "e-mail reply", err) != 0) {
		refusal(x, err, "your preferences were not recorded", reason);
		goto out;
	}
	strbuf_addstr(&x->said, "Your preferences, best first:");
	for (i = 0; i < c->nnames; i++) {
		for (j = 0; j < l->n; j++)
			if (strcasecmp(l->v[j].email, emails[i]) == 0)
				break;
		strbuf_addf(&x->said, "%s %zu. %s", i ? "," : "", i + 1,
		    j < l->n && *l->v[j].name ? l->v[j].name : emails[i]);
	}
	strbuf_addstr(&x->said, ".\n");
	rc = 0;
out:
	if (rc != 0 && err->code == 0)
		error_set(err, EX_DATAERR, "%s", reason->buf);
	free(emails);
	return rc;
}

/*
 * One command.  0 when carried out; -1 with the person's reason in
 * *reason (err cleared) when refused, or -1 with err set when the database
 * failed (reason empty): the caller tells them apart.
 */
static int
run_cmd(struct reply_run *x, const struct reply_cmd *c, struct strbuf *reason,
    struct error *err)
{
	enum token_question q = x->c.question;
	int rc;

	if (c->kind == REPLY_HELP) {
		x->want_help = true;
		return 0;
	}
	if (q == TOKEN_Q_SUGGEST) {
		if (c->kind != REPLY_RANKING) {
			strbuf_addf(reason, "\"%s\" does not answer this mail: "
			    "it asked for your ranking of the mentors it listed",
			    reply_kind_name(c->kind));
			return -1;
		}
		rc = do_suggest_ranking(x, c, reason, err);
		goto judged;
	}
	if (x->has_session && (c->kind == REPLY_JOIN || c->kind == REPLY_YES ||
	    c->kind == REPLY_NO)) {
		rc = do_session(x, c->kind != REPLY_NO, reason, err);
		goto judged;
	}
	if (c->kind == REPLY_JOIN) {
		strbuf_addstr(reason, "\"join\" answers an invitation to a "
		    "leader session, and this mail was not one");
		return -1;
	}
	if (!x->has_pairing) {
		strbuf_addf(reason, "\"%s\" needs a mail about your pairing, "
		    "and this one was not", reply_kind_name(c->kind));
		return -1;
	}
	switch (c->kind) {
	case REPLY_YES:
	case REPLY_NO:
		if (q == TOKEN_Q_PROPOSAL)
			rc = c->kind == REPLY_YES ? do_accept(x, reason, err) :
			    do_decline(x, c->text, reason, err);
		else if (q == TOKEN_Q_REUP)
			rc = do_reup(x, c->kind == REPLY_YES, reason, err);
		else {
			strbuf_addf(reason, "\"%s\" answers a proposal or a "
			    "re-up question, and this mail asked neither",
			    c->kind == REPLY_YES ? "yes" : "no");
			return -1;
		}
		break;
	case REPLY_MET:
		rc = do_met(x, c, reason, err);
		break;
	case REPLY_RATE:
		rc = do_rate(x, c, reason, err);
		break;
	case REPLY_REUP:
		rc = do_reup(x, c->yes, reason, err);
		break;
	case REPLY_PAUSE:
	case REPLY_RESUME:
		return do_pause(x, c->kind == REPLY_PAUSE, err);
	case REPLY_RANKING:
		rc = do_ranking(x, c, reason, err);
		break;
	default:
		strbuf_addstr(reason, "that answer is not understood here");
		return -1;
	}
judged:
	/* a refusal by rule (65) is for the person; anything else is ours */
	if (rc != 0 && (err->code == EX_DATAERR || err->code == EX_USAGE)) {
		error_clear(err);
		return -1;
	}
	if (rc != 0)
		strbuf_reset(reason);
	return rc;
}

static void
ack_set(struct inbox_result *r, struct reply_run *x, const char *subject,
    const struct mime_msg *m, struct strbuf *body)
{
	r->ack_to = xstrdup(x->email);
	r->ack_to_name = x->name ? xstrdup(x->name) : NULL;
	if (x->p && x->p->contact) {
		r->ack_from = xstrdup(x->p->contact);
		r->ack_from_name = x->p->name ? xstrdup(x->p->name) : NULL;
	}
	/* "Re:" the person's own subject keeps the answer in their thread */
	if (m->subject && *m->subject)
		r->ack_subject = strncasecmp(m->subject, "re:", 3) == 0 ?
		    xstrdup(m->subject) : xstrfmt("Re: %s", m->subject);
	else
		r->ack_subject = xstrdup(subject);
	r->ack_body = strbuf_detach(body, NULL);
	r->ack_in_reply_to = m->message_id ? xstrdup(m->message_id) : NULL;
}

static void
greet(struct strbuf *b, const struct reply_run *x)
{
	const char *n = x->name ? x->name : x->email;
	const char *sp = strchr(n, ' ');

	strbuf_addf(b, "Hello %.*s,\n\n", sp ? (int)(sp - n) : (int)strlen(n),
	    n);
}

static void
sign(struct strbuf *b, const struct reply_run *x)
{
	strbuf_addf(b, "\n-- \n%s\nThis is an automatic answer to your "
	    "reply.\n", x->p && x->p->name ? x->p->name : "mentorctl");
}

/* A Message-ID without spaces and <>; caller frees. */
static char *
strip_id(const char *s)
{
	size_t n;

	while (*s == ' ' || *s == '\t' || *s == '<')
		s++;
	n = strcspn(s, "> \t");
	return xstrndup(s, n);
}

/* Load the token's person, pairing and programme.  0, or -1 (err set). */
static int
load_subject(struct reply_run *x, struct error *err)
{
	int rc;

	if ((rc = store_person_address(x->o->db, x->c.person_id, &x->email,
	    &x->name, err)) <= 0) {
		if (rc == 0)
			error_set(err, EX_DATAERR, "the person of the token "
			    "(id %lld) is gone", x->c.person_id);
		return -1;
	}
	x->as = *x->o;
	x->as.actor = x->email;
	db_set_command(x->o->db, "inbox", x->email, x->o->now);
	if (x->c.subject_id <= 0)
		return 0;
	if (x->c.question == TOKEN_Q_SUGGEST) {
		const char *ids[65];
		size_t nids = 0, i;

		if (x->m->in_reply_to != NULL)
			ids[nids++] = strip_id(x->m->in_reply_to);
		for (i = x->m->nreferences; i > 0 && nids < 64; i--)
			ids[nids++] = strip_id(x->m->references[i - 1]);
		rc = store_suggest_mail_find(x->o->db, x->token, ids, nids,
		    &x->list, err);
		for (i = 0; i < nids; i++)
			free((char *)ids[i]);
		if (rc < 0)
			return -1;
		if (rc == 0 || x->list.person_id != x->c.person_id ||
		    x->list.enrollment_id != x->c.subject_id)
			return error_set(err, EX_DATAERR, "no suggestion mail of "
			    "this token (enrollment %lld)", x->c.subject_id);
		x->has_list = true;
		return ops_program_load(x->o, x->list.program, &x->program_id,
		    &x->p, err);
	}
	if (x->c.question == TOKEN_Q_SESSION) {
		if (store_session_get(x->o->db, x->c.subject_id, &x->session,
		    err) != 0)
			return -1;
		x->has_session = true;
		return ops_program_load(x->o, x->session.program,
		    &x->program_id, &x->p, err);
	}
	if (store_pairing_get(x->o->db, x->c.subject_id, &x->pr, err) != 0)
		return -1;
	if (strcasecmp(x->pr.mentor_email, x->email) != 0 &&
	    strcasecmp(x->pr.mentee_email, x->email) != 0)
		return error_set(err, EX_DATAERR, "%s is not a partner of "
		    "pairing %lld", x->email, x->pr.id);
	x->has_pairing = true;
	x->partner = partner_of(x->o->db, &x->pr, x->email);
	return ops_program_load(x->o, x->pr.program, &x->program_id, &x->p,
	    err);
}

/*
 * The commands of a genuine reply, all or nothing (a savepoint), and the
 * acknowledgement.  0, or -1 when the database failed.
 */
static int
handle_reply(const struct ops_ctx *o, const struct mime_msg *m,
    const struct token_claims *c, const char *token, struct inbox_result *r,
    struct error *err)
{
	struct reply_run x;
	struct reply *rp = NULL;
	struct strbuf reason = STRBUF_INIT, body = STRBUF_INIT;
	size_t i;
	int rc = -1;

	memset(&x, 0, sizeof x);
	x.o = o;
	x.c = *c;
	x.token = token;
	x.m = m;
	strbuf_init(&x.said);
	strbuf_init(&x.help);
	r->person_id = c->person_id;
	if (c->question != TOKEN_Q_SESSION && c->question != TOKEN_Q_SUGGEST)
		r->pairing_id = c->subject_id;
	if (load_subject(&x, err) != 0) {
		if (err->code != EX_DATAERR)
			goto out;
		/* a token whose pairing or person is gone: nothing to do */
		r->outcome = INBOX_BAD_TOKEN;
		r->detail = xstrdup(err->msg ? err->msg : "subject gone");
		error_clear(err);
		rc = 0;
		goto out;
	}
	r->program_id = x.program_id;
	rp = reply_parse(m->text ? m->text : "", m->day != DATE_NONE ?
	    m->day : o->today);
	greet(&body, &x);
	if (rp->error != REPLY_OK) {
		strbuf_addstr(&body, "Your reply was not recorded.\n\n");
		r->outcome = INBOX_REFUSED;
		r->detail = xstrfmt("%s: %s", reply_error_name(rp->error),
		    rp->reason ? rp->reason : "");
		strbuf_addf(&body, "We could not read your reply: %s.\n",
		    rp->reason ? rp->reason : "it is not one of the answers "
		    "we know");
		if (rp->fix)
			strbuf_addf(&body, "How to fix it: %s.\n", rp->fix);
		strbuf_addstr(&body, "Nothing was changed.\n\n");
		help_text(&body, c->question);
		sign(&body, &x);
		ack_set(r, &x, "Your reply was not recorded", m, &body);
		rc = 0;
		goto out;
	}
	if (db_begin(o->db, err) != 0)
		goto out;
	for (i = 0; i < rp->ncmds; i++) {
		if (run_cmd(&x, &rp->cmds[i], &reason, err) != 0)
			break;
	}
	if (i < rp->ncmds && reason.len == 0) {
		db_rollback(o->db);       /* the database failed */
		goto out;
	}
	if (i < rp->ncmds) {
		db_rollback(o->db);
		r->outcome = INBOX_REFUSED;
		r->detail = xstrdup(reason.buf);
		strbuf_addstr(&body, "Your reply was not recorded.\n\n");
		strbuf_addf(&body, "We could not record your reply: %s.\n",
		    reason.buf);
		strbuf_addstr(&body, "Nothing was changed; please reply again "
		    "with what can be recorded.\n\n");
		help_text(&body, c->question);
		sign(&body, &x);
		ack_set(r, &x, "Your reply was not recorded", m, &body);
		rc = 0;
		goto out;
	}
	if (db_commit(o->db, err) != 0)
		goto out;
	if (x.said.len == 0 && x.want_help) {
		r->outcome = INBOX_HELP;
		r->detail = xstrdup("help");
		help_text(&body, c->question);
		sign(&body, &x);
		ack_set(r, &x, "How to answer by e-mail", m, &body);
		rc = 0;
		goto out;
	}
	r->outcome = INBOX_RECORDED;
	r->detail = xstrndup(x.said.buf, strcspn(x.said.buf, "\n"));
	strbuf_addstr(&body, "Recorded:\n");
	strbuf_addstr(&body, x.said.buf);
	if (x.want_help) {
		strbuf_addch(&body, '\n');
		help_text(&body, c->question);
	}
	sign(&body, &x);
	ack_set(r, &x, "Recorded: thank you", m, &body);
	rc = 0;
out:
	reply_free(rp);
	strbuf_release(&reason);
	strbuf_release(&body);
	run_free(&x);
	return rc;
}

/* An expired token: tell its person (never the From address) what to do. */
static int
handle_expired(const struct ops_ctx *o, const struct mime_msg *m,
    const struct token_claims *c, struct inbox_result *r, struct error *err)
{
	struct reply_run x;
	struct strbuf body = STRBUF_INIT;
	char d[DATE_BUFSZ];
	int rc;

	memset(&x, 0, sizeof x);
	x.o = o;
	x.c = *c;
	strbuf_init(&x.said);
	strbuf_init(&x.help);
	r->person_id = c->person_id;
	r->detail = xstrfmt("token expired on %s",
	    date_format(c->expires_on, d));
	rc = store_person_address(o->db, c->person_id, &x.email, &x.name, err);
	if (rc <= 0) {
		run_free(&x);
		return rc < 0 ? -1 : 0;
	}
	if (c->subject_id > 0 && c->question != TOKEN_Q_SESSION &&
	    c->question != TOKEN_Q_SUGGEST && store_pairing_get(o->db, c->subject_id, &x.pr, err) == 0) {
		long long pid;

		if (ops_program_load(o, x.pr.program, &pid, &x.p, err) != 0)
			error_clear(err);
		r->program_id = x.p ? pid : 0;
	}
	error_clear(err);
	greet(&body, &x);
	strbuf_addstr(&body, "Your reply answered a mail that is too old to "
	    "be answered any more, so nothing was recorded.\nPlease reply to "
	    "the latest mail you had from us, or write to the programme's "
	    "coordinators.\n");
	sign(&body, &x);
	ack_set(r, &x, "Your reply was not recorded", m, &body);
	run_free(&x);
	strbuf_release(&body);
	return 0;
}

static int
handle_dsn(const struct ops_ctx *o, const struct mime_msg *m,
    struct inbox_result *r, struct error *err)
{
	struct strbuf d = STRBUF_INIT;
	size_t i;

	for (i = 0; i < m->ndsn; i++) {
		const struct mime_dsn_rcpt *x = &m->dsn[i];
		char *why;

		if (!x->permanent || x->address == NULL)
			continue;
		why = xstrfmt("delivery report %s%s%s", x->status ? x->status :
		    "failed", x->diagnostic ? ": " : "", x->diagnostic ?
		    x->diagnostic : "");
		if (store_bounce_mark(o->db, x->address, why,
		    BOUNCE_SOURCE_INBOX, o->today, o->now, err) != 0) {
			free(why);
			strbuf_release(&d);
			return -1;
		}
		free(why);
		strbuf_addf(&d, "%s%s", r->bounced ? ", " : "", x->address);
		r->bounced++;
	}
	r->detail = r->bounced ? strbuf_detach(&d, NULL) :
	    xstrdup("transient or no failed recipient");
	strbuf_release(&d);
	return 0;
}

int
ops_inbox_handle(const struct ops_ctx *o, const char *raw, size_t len,
    struct inbox_result *r, struct error *err)
{
	struct mail_handled_in h;
	struct mime_msg *m = NULL;
	struct token_claims c;
	uint8_t secret[MAIL_SECRET_LEN];
	enum token_status st;
	char tok[TOKEN_BUFSZ];
	bool any, have_secret;
	int rc = -1, k;

	memset(r, 0, sizeof *r);
	if (mime_parse(raw, len, &m, err) != 0)
		return -1;
	r->message_key = message_key(m, raw, len);
	r->sender = m->from_addr ? xstrdup(m->from_addr) : NULL;
	if ((k = store_mail_handled_seen(o->db, r->message_key, err)) != 0) {
		if (k < 0)
			goto out;
		r->outcome = INBOX_DUPLICATE;
		r->detail = xstrdup("handled before");
		rc = 0;
		goto out;
	}
	if (m->kind == MIME_AUTO_REPLY) {
		r->outcome = INBOX_AUTO_REPLY;
		r->detail = xstrdup(m->auto_reason ? m->auto_reason :
		    "automatic reply");
	} else if (m->kind == MIME_DSN) {
		r->outcome = INBOX_BOUNCE;
		if (handle_dsn(o, m, r, err) != 0)
			goto out;
	} else {
		if ((k = store_mail_secret_get(o->db, MAIL_SECRET_REPLY_TOKEN,
		    secret, err)) < 0)
			goto out;
		have_secret = k == 1;
		memset(&c, 0, sizeof c);
		st = find_token(m, have_secret ? secret : NULL, o->today, &c,
		    tok, &any);
		sodium_memzero(secret, sizeof secret);
		if (!any) {
			r->outcome = INBOX_NO_TOKEN;
			r->detail = xstrdup("no reply token");
		} else if (st == TOKEN_OK) {
			if (handle_reply(o, m, &c, tok, r, err) != 0)
				goto out;
		} else if (st == TOKEN_EXPIRED) {
			r->outcome = INBOX_EXPIRED;
			if (handle_expired(o, m, &c, r, err) != 0)
				goto out;
		} else {
			r->outcome = INBOX_BAD_TOKEN;
			r->detail = xstrdup(have_secret ? token_status_name(st) :
			    "no secret in this database (run 'mentorctl init')");
		}
	}
	memset(&h, 0, sizeof h);
	h.message_key = r->message_key;
	h.program_id = r->program_id;
	h.pairing_id = r->outcome == INBOX_RECORDED ||
	    r->outcome == INBOX_REFUSED ? r->pairing_id : 0;
	h.sender = r->sender;
	h.outcome = inbox_outcome_name(r->outcome);
	h.detail = r->detail;
	h.today = o->today;
	h.now = o->now;
	if ((k = store_mail_handled(o->db, &h, err)) < 0)
		goto out;
	if (k == 0) {
		/* handled before: the caller rolls back whatever this did */
		inbox_result_free(r);
		r->outcome = INBOX_DUPLICATE;
		r->message_key = message_key(m, raw, len);
		r->sender = m->from_addr ? xstrdup(m->from_addr) : NULL;
		r->detail = xstrdup("handled before");
	}
	rc = 0;
out:
	mime_msg_free(m);
	return rc;
}
