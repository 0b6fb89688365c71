/*
 * ops/inbox against a real temporary database (fixture.h): the reply corpus
 * of tests/mail/replies (Thunderbird, Outlook, Gmail, Apple Mail, phones,
 * auto-replies, delivery reports, forgeries) carried out on a pairing, each
 * file with its expected effect; then the rules that matter over time:
 * exactly once, all or nothing, tokens bound to their person and pairing,
 * the From header never trusted.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"

#include "core/date.h"
#include "core/program.h"
#include "core/token.h"
#include "ops/cycle.h"
#include "ops/inbox.h"
#include "ops/pairing.h"
#include "ops/program.h"
#include "store/db.h"
#include "store/mail_store.h"
#include "store/person_store.h"
#include "util/fileio.h"
#include "util/strbuf.h"
#include "util/xmalloc.h"

/* The day replies are handled: the corpus tokens are valid through it. */
#define TODAY "2027-03-31"

struct world {
	struct fixture *f;
	struct program *p;
	long long pid;
	long long mentor;          /* person ids */
	long long mentee;
	long long pairing;
	uint8_t secret[MAIL_SECRET_LEN];
};

static const char people_csv[] =
    "email,name,department,level,hired_on\n"
    "ana@example.org,Ana Lima,Engineering,6,2015-06-01\n"
    "bo@example.org,Bo Chen,Operations,2,2025-09-01\n";

static long long
person_id(struct fixture *f, const char *email)
{
	struct error err = ERROR_INIT;
	struct person_rec p;
	long long id;

	assert_int_equal(store_person_get(f->db, email, &p, &err), 0);
	id = p.id;
	person_rec_free(&p);
	return id;
}

/* Ana mentors Bo: proposed on 2027-01-04, active from then when active. */
static void
build(struct fixture *f, struct world *w, bool active)
{
	struct error err = ERROR_INIT;
	/* a proposal is made days before replies come; a pairing long before */
	struct ops_ctx o = fixture_ops(f, fixture_day(active ? "2027-01-04" :
	    "2027-03-25"));
	struct ops_pair r;
	struct ops_answer a;

	memset(w, 0, sizeof *w);
	w->f = f;
	fixture_program(f, FIXTURE_PROGRAM);
	fixture_people(f, people_csv);
	fixture_training(f, "ana@example.org", "mentor-basics", "2026-01-01");
	fixture_enroll(f, "fixture", "ana@example.org", "mentor", 0, NULL);
	fixture_enroll(f, "fixture", "bo@example.org", "mentee", 0, "Go");
	assert_int_equal(db_begin(f->db, &err), 0);
	assert_int_equal(ops_program_load(&o, "fixture", &w->pid, &w->p, &err),
	    0);
	memset(&r, 0, sizeof r);
	r.mentor_email = "ana@example.org";
	r.mentee_email = "bo@example.org";
	assert_int_equal(ops_pair(&o, w->pid, w->p, &r, &err), 0);
	w->pairing = r.made.id;
	ops_pair_free(&r);
	if (active) {
		assert_int_equal(ops_accept(&o, w->pairing, NULL, &a, &err), 0);
		ops_answer_free(&a);
	}
	assert_int_equal(store_mail_secret_put(f->db, MAIL_SECRET_REPLY_TOKEN,
	    w->secret, f->now, &err), 0);
	assert_int_equal(db_commit(f->db, &err), 0);
	w->mentor = person_id(f, "ana@example.org");
	w->mentee = person_id(f, "bo@example.org");
}

static void
world_free(struct world *w)
{
	program_free(w->p);
}

static char *
token(const struct world *w, long long person, enum token_question q,
    const char *expires, bool forged)
{
	struct error err = ERROR_INIT;
	struct token_claims c = { person, w->pairing, q, fixture_day(expires) };
	uint8_t other[TOKEN_SECRET_LEN];
	char buf[TOKEN_BUFSZ];

	memset(other, 0x5a, sizeof other);
	assert_int_equal(token_make(&c, forged ? other : w->secret, buf, &err),
	    0);
	return xstrdup(buf);
}

static void
replace_all(struct strbuf *sb, const char *from, const char *to)
{
	struct strbuf out = STRBUF_INIT;
	const char *p = sb->buf, *q;

	while ((q = strstr(p, from)) != NULL) {
		strbuf_add(&out, p, (size_t)(q - p));
		strbuf_addstr(&out, to);
		p = q + strlen(from);
	}
	strbuf_addstr(&out, p);
	strbuf_release(sb);
	*sb = out;
}

static char *
corpus_dir(void)
{
	const char *slash = strrchr(__FILE__, '/');

	return slash ? xasprintf("%.*s/../mail/replies",
	    (int)(slash - __FILE__), __FILE__) : xstrdup("../mail/replies");
}

/* A corpus file with its tokens made for this world (person: the mentee). */
static void
load(const struct world *w, const char *file, enum token_question q,
    struct strbuf *sb)
{
	char *dir = corpus_dir(), *path = xasprintf("%s/%s", dir, file);
	char *good = token(w, w->mentee, q, "2027-03-31", false);
	char *forged = token(w, w->mentee, q, "2027-03-31", true);
	char *old = token(w, w->mentee, q, "2027-01-20", false);
	FILE *fp = fopen(path, "rb");
	char buf[8192];
	size_t n;

	if (fp == NULL)
		fail_msg("cannot open %s", path);
	while ((n = fread(buf, 1, sizeof buf, fp)) > 0)
		strbuf_add(sb, buf, n);
	fclose(fp);
	replace_all(sb, "@TOKEN@", good);
	replace_all(sb, "@FORGED@", forged);
	replace_all(sb, "@EXPIRED@", old);
	free(good);
	free(forged);
	free(old);
	free(path);
	free(dir);
}

/* One message the way `inbox` handles it: its own transaction. */
static int
handle(struct fixture *f, const char *day, const char *raw, size_t len,
    struct inbox_result *r, struct error *err)
{
	struct ops_ctx o = fixture_ops(f, fixture_day(day));
	int rc;

	assert_int_equal(db_begin(f->db, err), 0);
	rc = ops_inbox_handle(&o, raw, len, r, err);
	if (rc == 0 && r->outcome != INBOX_DUPLICATE)
		assert_int_equal(db_commit(f->db, err), 0);
	else
		db_rollback(f->db);
	return rc;
}

/*
 * Each corpus file: the question its token asks, whether the pairing is
 * active (else proposed), and what inbox must do with it.  -1: not a mail.
 */
struct expect {
	const char *file;
	enum token_question q;
	bool active;
	int outcome;
	const char *effect;        /* a query that must give 1 after it, or NULL */
};

#define CHK "SELECT count(*) = 1 FROM checkin"
#define FB "SELECT count(*) = 1 FROM feedback"
#define ACC "SELECT count(*) = 1 FROM pairing WHERE mentee_accepted_on IS NOT NULL"
#define DEC "SELECT count(*) = 1 FROM pairing WHERE status = 'declined'"
#define PAUSED "SELECT count(*) = 1 FROM reminder_pause"
#define NOTHING "SELECT (SELECT count(*) FROM checkin) + (SELECT count(*) FROM feedback) = 0"
#define BOUNCED "SELECT count(*) >= 1 FROM mail_bounce"

#include "test_ops_inbox_corpus.h"

static void
test_corpus(void **state)
{
	size_t i, nfail = 0;

	(void)state;
	for (i = 0; i < sizeof corpus / sizeof corpus[0]; i++) {
		const struct expect *e = &corpus[i];
		struct error err = ERROR_INIT;
		struct strbuf raw = STRBUF_INIT;
		struct inbox_result r;
		struct world w;
		void *fs = NULL;
		struct fixture *f;
		int rc;

		assert_int_equal(fixture_setup(&fs), 0);
		f = fs;
		build(f, &w, e->active);
		load(&w, e->file, e->q, &raw);
		rc = handle(f, TODAY, raw.buf, raw.len, &r, &err);
		if (getenv("INBOX_CORPUS_SHOW"))
			printf("%-44s %-10s %s | %s\n", e->file, rc == 0 ?
			    inbox_outcome_name(r.outcome) : "not-a-mail",
			    rc == 0 ? (r.detail ? r.detail : "") :
			    (err.msg ? err.msg : ""), r.ack_body ?
			    strstr(r.ack_body, "\n\n") + 2 : "");
		if ((rc == 0 ? (int)r.outcome : -1) != e->outcome) {
			printf("%s: got %s (%s), want %s\n", e->file,
			    rc == 0 ? inbox_outcome_name(r.outcome) :
			    "not-a-mail", rc == 0 ? (r.detail ? r.detail : "") :
			    (err.msg ? err.msg : ""), e->outcome < 0 ?
			    "not-a-mail" : inbox_outcome_name(
			    (enum inbox_outcome)e->outcome));
			nfail++;
		} else if (e->effect && fixture_count(f, e->effect) != 1) {
			printf("%s: %s, but not: %s\n", e->file,
			    inbox_outcome_name(r.outcome), e->effect);
			nfail++;
		}
		/* the From header never gets an answer: the token's person does */
		if (rc == 0 && r.ack_to && strcmp(r.ack_to, "bo@example.org"))
			fail_msg("%s: acknowledgement to %s", e->file, r.ack_to);
		error_clear(&err);
		inbox_result_free(&r);
		strbuf_release(&raw);
		world_free(&w);
		fixture_teardown(&fs);
	}
	if (nfail)
		fail_msg("%zu corpus files did not do what they should", nfail);
}

static const char reply_fmt[] =
    "From: Bo Chen <bo.private@gmail.com>\n"
    "To: Mentoring <mentoring+%s@example.org>\n"
    "Subject: Re: Your check-in\n"
    "Date: %s\n"
    "Message-ID: <%s@mail.example.com>\n"
    "Content-Type: text/plain; charset=utf-8\n"
    "\n"
    "%s\n"
    "\n"
    "On Mon, 1 Mar 2027, Mentoring wrote:\n"
    "> Reply with: met [DATE] [N min]\n";

static char *
reply(const char *tok, const char *date, const char *id, const char *body)
{
	return xasprintf(reply_fmt, tok, date, id, body);
}

/* A retried delivery, and the same reply read twice, change nothing. */
static void
test_exactly_once(void **state)
{
	struct fixture *f = *state;
	struct error err = ERROR_INIT;
	struct inbox_result r;
	struct world w;
	char *tok, *msg;

	build(f, &w, true);
	tok = token(&w, w.mentee, TOKEN_Q_CHECKIN, "2027-03-31", false);
	msg = reply(tok, "Tue, 16 Feb 2027 08:00:00 +0100", "once-1",
	    "met yesterday 45 min");
	assert_int_equal(handle(f, "2027-02-16", msg, strlen(msg), &r, &err),
	    0);
	assert_int_equal(r.outcome, INBOX_RECORDED);
	assert_non_null(strstr(r.ack_body, "Monday 15 February 2027, 45 "
	    "minutes"));
	inbox_result_free(&r);
	assert_int_equal(handle(f, "2027-02-17", msg, strlen(msg), &r, &err),
	    0);
	assert_int_equal(r.outcome, INBOX_DUPLICATE);
	assert_null(r.ack_to);
	inbox_result_free(&r);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM checkin"), 1);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM mail_handled"),
	    1);
	free(msg);
	free(tok);
	world_free(&w);
}

/* One refused command leaves the others undone, and says why. */
static void
test_all_or_nothing(void **state)
{
	struct fixture *f = *state;
	struct error err = ERROR_INIT;
	struct inbox_result r;
	struct world w;
	char *tok, *msg;

	build(f, &w, true);
	tok = token(&w, w.mentee, TOKEN_Q_CHECKIN, "2027-03-31", false);
	/* the re-up window of the fixture's cycle is not open in February */
	msg = reply(tok, "Tue, 16 Feb 2027 08:00:00 +0100", "aon-1",
	    "met yesterday 30 min\nre-up yes");
	assert_int_equal(handle(f, "2027-02-16", msg, strlen(msg), &r, &err),
	    0);
	assert_int_equal(r.outcome, INBOX_REFUSED);
	assert_non_null(strstr(r.ack_body, "not recorded"));
	assert_non_null(strstr(r.ack_body, "Nothing was changed"));
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM checkin"), 0);
	/* still handled: a retry does not try again */
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM mail_handled "
	    "WHERE outcome = 'refused'"), 1);
	inbox_result_free(&r);
	free(msg);
	free(tok);
	world_free(&w);
}

/*
 * A token is its person's and its pairing's: the mentor's token cannot
 * decline for the mentee, a token for another database does nothing, and
 * an altered one does nothing and says nothing.
 */
static void
test_tokens_bound(void **state)
{
	struct fixture *f = *state;
	struct error err = ERROR_INIT;
	struct inbox_result r;
	struct world w;
	char *tok, *msg;
	size_t k;

	build(f, &w, false);
	/* the mentor accepts with her own token: only her side is recorded */
	tok = token(&w, w.mentor, TOKEN_Q_PROPOSAL, "2027-03-31", false);
	msg = reply(tok, "Fri, 26 Mar 2027 18:00:00 +0000", "b-1", "Yes!");
	assert_int_equal(handle(f, "2027-03-26", msg, strlen(msg), &r, &err),
	    0);
	assert_int_equal(r.outcome, INBOX_RECORDED);
	assert_string_equal(r.ack_to, "ana@example.org");
	assert_non_null(strstr(r.ack_body, "waiting for Bo Chen"));
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM pairing WHERE "
	    "mentor_accepted_on IS NOT NULL AND mentee_accepted_on IS NULL"),
	    1);
	inbox_result_free(&r);
	free(msg);
	/* one letter changed: nothing happens, nobody is answered */
	k = strlen(tok) / 2;
	tok[k] = tok[k] == 'a' ? 'b' : 'a';
	msg = reply(tok, "Fri, 26 Mar 2027 18:05:00 +0000", "b-2", "no");
	assert_int_equal(handle(f, "2027-03-26", msg, strlen(msg), &r, &err),
	    0);
	assert_true(r.outcome == INBOX_BAD_TOKEN);
	assert_null(r.ack_to);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM pairing WHERE "
	    "status = 'proposed'"), 1);
	inbox_result_free(&r);
	free(msg);
	free(tok);
	/* the mentee accepts: active */
	tok = token(&w, w.mentee, TOKEN_Q_PROPOSAL, "2027-03-31", false);
	msg = reply(tok, "Sat, 27 Mar 2027 08:00:00 +0100", "b-3", "accept");
	assert_int_equal(handle(f, "2027-03-27", msg, strlen(msg), &r, &err),
	    0);
	assert_int_equal(r.outcome, INBOX_RECORDED);
	assert_non_null(strstr(r.ack_body, "matched"));
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM pairing WHERE "
	    "status = 'active'"), 1);
	inbox_result_free(&r);
	free(msg);
	free(tok);
	world_free(&w);
}

/*
 * Over a cycle: the re-up question answered by a bare "yes" in June, changed
 * to "re-up no" a day later; a ranking of mentors by name.
 */
static void
test_reup_and_ranking(void **state)
{
	struct fixture *f = *state;
	struct error err = ERROR_INIT;
	struct ops_ctx o = fixture_ops(f, fixture_day("2027-01-11"));
	struct ops_cycle_start cs;
	struct inbox_result r;
	struct world w;
	char *tok, *msg;

	build(f, &w, true);
	memset(&cs, 0, sizeof cs);
	assert_int_equal(db_begin(f->db, &err), 0);
	assert_int_equal(ops_cycle_start(&o, w.pid, w.p, DATE_NONE, &cs, &err),
	    0);
	assert_int_equal(db_commit(f->db, &err), 0);
	/* the cycle's last day is 2027-07-10: the window opens 21 days before */
	tok = token(&w, w.mentee, TOKEN_Q_REUP, "2027-07-10", false);
	msg = reply(tok, "Mon, 21 Jun 2027 09:00:00 +0200", "r-1", "Yes");
	assert_int_equal(handle(f, "2027-06-21", msg, strlen(msg), &r, &err),
	    0);
	assert_int_equal(r.outcome, INBOX_RECORDED);
	assert_non_null(strstr(r.ack_body, "another cycle with Ana Lima: yes"));
	inbox_result_free(&r);
	free(msg);
	msg = reply(tok, "Tue, 22 Jun 2027 09:00:00 +0200", "r-2",
	    "re-up no");
	assert_int_equal(handle(f, "2027-06-22", msg, strlen(msg), &r, &err),
	    0);
	assert_int_equal(r.outcome, INBOX_RECORDED);
	inbox_result_free(&r);
	free(msg);
	free(tok);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM reup WHERE "
	    "answer = 'no'"), 1);
	/* a ranking names mentors of the programme */
	tok = token(&w, w.mentee, TOKEN_Q_PREFERENCES, "2027-07-10", false);
	msg = reply(tok, "Wed, 23 Jun 2027 09:00:00 +0200", "r-3",
	    "1. Ana Lima");
	assert_int_equal(handle(f, "2027-06-23", msg, strlen(msg), &r, &err),
	    0);
	assert_int_equal(r.outcome, INBOX_RECORDED);
	assert_int_equal(fixture_count(f, "SELECT count(*) FROM preference "
	    "WHERE rank = 1"), 1);
	inbox_result_free(&r);
	free(msg);
	free(tok);
	world_free(&w);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_corpus),
#define T(fn) cmocka_unit_test_setup_teardown(fn, fixture_setup, \
	fixture_teardown)
		T(test_exactly_once),
		T(test_all_or_nothing),
		T(test_tokens_bound),
		T(test_reup_and_ranking),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
