#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/reply.h"
#include "util/strbuf.h"

/* Wednesday 27 January 2027, the day every reply here was written. */
#define WED "2027-01-27"

static int
day(const char *iso)
{
	int d = DATE_NONE;

	assert_int_equal(date_parse(iso, &d), 0);
	return d;
}

/*
 * A reply as one line: "met 2027-01-26 45; rate 5[very helpful]", or
 * "!bad-date" for an error.  Also checks what reply.h promises of every
 * result: a reason and a fix on one line for errors and no commands, no
 * reason with commands.
 */
static char *
dump(const struct reply *r)
{
	struct strbuf sb = STRBUF_INIT;
	char buf[DATE_BUFSZ];
	size_t i, k;

	assert_non_null(r->text);
	if (r->error != REPLY_OK) {
		assert_int_equal(r->ncmds, 0);
		assert_non_null(r->reason);
		assert_non_null(r->fix);
		assert_true(r->reason[0] != '\0' && r->fix[0] != '\0');
		assert_null(strchr(r->reason, '\n'));
		assert_null(strchr(r->fix, '\n'));
		strbuf_addf(&sb, "!%s", reply_error_name(r->error));
		return strbuf_detach(&sb, NULL);
	}
	assert_null(r->reason);
	assert_null(r->fix);
	assert_true(r->ncmds > 0);
	for (i = 0; i < r->ncmds; i++) {
		const struct reply_cmd *c = &r->cmds[i];

		if (i > 0)
			strbuf_addstr(&sb, "; ");
		strbuf_addstr(&sb, reply_kind_name(c->kind));
		switch (c->kind) {
		case REPLY_MET:
			strbuf_addf(&sb, " %s %d", date_format(c->day, buf),
			    c->minutes);
			break;
		case REPLY_RATE:
			strbuf_addf(&sb, " %d", c->rating);
			break;
		case REPLY_REUP:
			strbuf_addstr(&sb, c->yes ? " yes" : " no");
			break;
		case REPLY_RANKING:
			strbuf_addch(&sb, ' ');
			for (k = 0; k < c->nnames; k++)
				strbuf_addf(&sb, "%s%s", k ? "|" : "",
				    c->names[k]);
			break;
		default:
			break;
		}
		if (c->text != NULL)
			strbuf_addf(&sb, "[%s]", c->text);
	}
	return strbuf_detach(&sb, NULL);
}

static void
expect_on(const char *body, int mail_day, const char *want)
{
	struct reply *r = reply_parse(body, mail_day);
	char *got = dump(r);

	if (strcmp(got, want) != 0)
		fail_msg("reply '%s'\n  want: %s\n  got:  %s (%s; %s)", body,
		    want, got, r->reason ? r->reason : "",
		    r->fix ? r->fix : "");
	free(got);
	reply_free(r);
}

static void
expect(const char *body, const char *want)
{
	expect_on(body, day(WED), want);
}

/* The reason a reply is refused, to check its wording. */
static void
expect_reason(const char *body, const char *want)
{
	struct reply *r = reply_parse(body, day(WED));

	assert_non_null(r->reason);
	if (strstr(r->reason, want) == NULL)
		fail_msg("reply '%s': reason '%s' lacks '%s'", body, r->reason,
		    want);
	reply_free(r);
}

static void
expect_own(const char *body, const char *want)
{
	char *got = reply_own_text(body);

	if (strcmp(got, want) != 0)
		fail_msg("own text of '%s'\n  want: '%s'\n  got:  '%s'", body,
		    want, got);
	free(got);
}

static void
test_simple_answers(void **state)
{
	(void)state;
	expect("yes", "yes");
	expect("Yes!", "yes");
	expect("YES, happy to", "yes");
	expect("  accept", "yes");
	expect("*Yes*", "yes");
	expect("no", "no");
	expect("No, I am away until March", "no[I am away until March]");
	expect("decline - too busy this term", "no[too busy this term]");
	expect("No thanks, my team is moving", "no[my team is moving]");
	expect("no, thank you - not now", "no[not now]");
	expect("No thanks", "no");
	expect("no thanksgiving", "no[thanksgiving]");
	expect("pause", "pause");
	expect("Resume please", "resume");
	expect("help", "help");
	expect("help?", "help");
	expect("join", "join");
	expect("re-up yes", "re-up yes");
	expect("Reup: no", "re-up no");
	expect("re up YES", "re-up yes");
	expect("rate 5", "rate 5");
	expect("Rate 4/5 good first meeting", "rate 4[good first meeting]");
	expect("rating: 3 out of 5", "rate 3");
	expect("rate 5 stars - very helpful", "rate 5[very helpful]");
	/* Words that begin like a command are not one. */
	expect("Yesterday we met", "!unknown");
	expect("Nobody told me", "!unknown");
	expect("no-show", "!unknown");
	expect("rated", "!unknown");
}

static void
test_met(void **state)
{
	(void)state;
	expect("met", "met 2027-01-27 0");
	expect("met today", "met 2027-01-27 0");
	expect("we met yesterday", "met 2027-01-26 0");
	expect("We met yesterday for 45 minutes.", "met 2027-01-26 45");
	expect("I met on Tuesday", "met 2027-01-26 0");
	expect("met on Wednesday", "met 2027-01-27 0");
	expect("met last Wednesday", "met 2027-01-20 0");
	expect("met Thu", "met 2027-01-21 0");
	expect("met 3 days ago, 30 min", "met 2027-01-24 30");
	expect("met a week ago", "met 2027-01-20 0");
	expect("met 2027-01-25 45 min", "met 2027-01-25 45");
	expect("met 25 Jan 45m", "met 2027-01-25 45");
	expect("met Jan 25, 1h", "met 2027-01-25 60");
	expect("met Jan. 25th", "met 2027-01-25 0");
	expect("met 25th of January 2027", "met 2027-01-25 0");
	expect("met January 25, 2027 for 1 hour", "met 2027-01-25 60");
	expect("met 25 January 2027 90 minutes", "met 2027-01-25 90");
	expect("met 28 Dec", "met 2026-12-28 0");
	expect("met 25/01/2027", "met 2027-01-25 0");
	expect("met 01/25/2027", "met 2027-01-25 0");
	expect("met 25.01.2027", "met 2027-01-25 0");
	expect("met 2027/01/25", "met 2027-01-25 0");
	expect("met 25/1", "met 2027-01-25 0");
	expect("met 1/1", "met 2027-01-01 0");
	expect("met 4/4", "!bad-date");
	expect("met 1.5 h", "met 2027-01-27 90");
	expect("met 1,5h yesterday", "met 2027-01-26 90");
	expect("met 1h30", "met 2027-01-27 90");
	expect("met 1 h 30 min", "met 2027-01-27 90");
	expect("met 1 hour and 15 minutes", "met 2027-01-27 75");
	expect("met for an hour", "met 2027-01-27 60");
	expect("met for half an hour", "met 2027-01-27 30");
	expect("met for an hour and a half", "met 2027-01-27 90");
	expect("met 0.75 h", "met 2027-01-27 45");
	expect("met: yesterday, about 45 min", "met 2027-01-26 45");
	expect("met yesterday (45 min)", "met 2027-01-26 45");
	expect("Met yesterday. Great chat about promotions",
	    "met 2027-01-26 0");
	expect("met yesterday 45 min - lovely coffee", "met 2027-01-26 45");
	expect("met yesterday \xE2\x80\x94 lovely", "met 2027-01-26 0");
	expect("MET YESTERDAY 45 MIN", "met 2027-01-26 45");
	expect("met\xC2\xA0yesterday\xC2\xA0" "45\xC2\xA0min", "met 2027-01-26 45");
}

static void
test_met_refused(void **state)
{
	(void)state;
	expect("met 2027-02-30", "!bad-date");
	expect_reason("met 2027-02-30", "there is no 30 February 2027");
	expect("met 31 April", "!bad-date");
	expect_reason("met 31 April", "there is no 31 April");
	expect("met 29 Feb", "!bad-date");
	expect("met tomorrow", "!bad-met");
	expect("met 2027-01-28", "!bad-date");
	expect_reason("met 2027-01-28", "after the day you wrote");
	expect("met 30 Jan 2027", "!bad-date");
	/* Without a year: not the coming days, and not months back. */
	expect("met 30 Jan", "!bad-date");
	expect_reason("met 30 Jan", "without a year");
	expect("met 03/04", "!bad-date");
	expect_reason("met 03/04", "could be 3 April or 4 March");
	expect("met 03/04/2026", "!bad-date");
	expect("met 1.5", "!bad-date");
	expect("met 13/13", "!bad-date");
	expect("met 45", "!bad-met");
	expect_reason("met 45", "'45'");
	expect("met yesterday for a coffee", "!bad-met");
	expect_reason("met yesterday for a coffee", "'a'");
	expect("met yesterday, great chat", "!bad-met");
	expect("met yesterday today", "!bad-date");
	expect("met 45 min 1 h", "!bad-duration");
	expect("met 0 min", "!bad-duration");
	expect("met 13 h", "!bad-duration");
	expect("met 721 minutes", "!bad-duration");
	expect("met 45.5 min", "!bad-duration");
	expect("met Jan", "!bad-date");
	expect("met 25 Jan 999", "!bad-met");
	expect("met at 10am", "!bad-met");
	/* A refused command refuses the whole reply. */
	expect("yes\nmet 2027-02-30", "!bad-date");
	/* Without the mail's day, only explicit dates work. */
	expect_on("met", DATE_NONE, "!bad-date");
	expect_on("met yesterday", DATE_NONE, "!bad-date");
	expect_on("met 2027-01-25 1h", DATE_NONE, "met 2027-01-25 60");
}

static void
test_rate_refused(void **state)
{
	(void)state;
	expect("rate 7", "!bad-rating");
	expect_reason("rate 7", "'7' is not a rating from 1 to 5");
	expect("rate 0", "!bad-rating");
	expect("rate 4.5", "!bad-rating");
	expect("rate", "!bad-rating");
	expect("rate five", "!bad-rating");
	expect("rate 4/10", "!bad-rating");
	expect("rate 55", "!bad-rating");
	expect("rate 5x", "!bad-rating");
	expect("re-up", "!bad-reup");
	expect("re-up maybe", "!bad-reup");
}

static void
test_several(void **state)
{
	(void)state;
	expect("met yesterday 45 min\nrate 5 very helpful",
	    "met 2027-01-26 45; rate 5[very helpful]");
	expect("met yesterday 45 min\n\nrate 5\n\nThanks!\nAna",
	    "met 2027-01-26 45; rate 5");
	expect("met 2027-01-20 30 min\nmet 2027-01-26 1h",
	    "met 2027-01-20 30; met 2027-01-26 60");
	expect("yes\nI'm looking forward to it.\nno idea when though",
	    "yes");
	expect("yes\nno rush on the agenda", "!conflict");
	expect("pause\nresume", "!conflict");
	expect("rate 4\nrate 5", "!conflict");
	expect("re-up yes\nre-up no", "!conflict");
	expect("yes\nyes", "!conflict");
	expect("help\nyes", "help; yes");
	expect("met yesterday\n1. We discussed goals", "met 2027-01-26 0");
	expect("met\nmet\nmet\nmet\nmet\nmet\nmet\nmet\nmet\nmet",
	    "met 2027-01-27 0; met 2027-01-27 0; met 2027-01-27 0; "
	    "met 2027-01-27 0; met 2027-01-27 0; met 2027-01-27 0; "
	    "met 2027-01-27 0; met 2027-01-27 0; met 2027-01-27 0; "
	    "met 2027-01-27 0");
	expect("met\nmet\nmet\nmet\nmet\nmet\nmet\nmet\nmet\nmet\nmet",
	    "!too-many");
}

static void
test_greeting_and_unknown(void **state)
{
	(void)state;
	expect("Hi team,\n\nyes", "yes");
	expect("Hello!\nmet yesterday 30 min", "met 2027-01-26 30");
	expect("Thanks for the introduction!\n\nYes", "yes");
	expect("Dear Mentoring Programme,\nno", "no");
	expect("Hi,\n\nThanks", "!unknown");
	expect("Hi,", "!empty");
	expect("", "!empty");
	expect("\n\n   \n", "!empty");
	expect("> yes\n> quoted only", "!empty");
	expect("Sounds good", "!unknown");
	expect_reason("Sounds good to me", "we did not understand "
	    "'Sounds good to me'");
	expect_reason("Lorem ipsum dolor sit amet, consectetur adipiscing "
	    "elit, sed do eiusmod", "'Lorem ipsum dolor sit amet, consectetu"
	    "r ...'");
	expect("Hi there, how are you doing today my dear friend?\nyes",
	    "!unknown");
}

static void
test_ranking(void **state)
{
	(void)state;
	expect("1. Ana 2. Bo 3. Cy", "ranking Ana|Bo|Cy");
	expect("1) Ana Lima, 2) Bo Chen, 3) Cy", "ranking Ana Lima|Bo Chen|Cy");
	expect("1. Ana\n2. Bo\n3. Cy\n\nThanks", "ranking Ana|Bo|Cy");
	expect("rank: 1. Ana 2. Bo", "ranking Ana|Bo");
	expect("Preferences:\n1. Ana\n2. Bo", "ranking Ana|Bo");
	expect("1. José Álvarez 2. Zoë", "ranking José Álvarez|Zoë");
	expect("1. Ana 2. Bo 4. Cy", "ranking Ana|Bo 4. Cy");
	expect("1. Ana 2. ana", "!bad-ranking");
	expect("1. Ana 2.", "!bad-ranking");
	expect("1.  ", "!bad-ranking");
	expect("rank:", "!bad-ranking");
	expect("1. Ana\n1. Bo", "ranking Ana");
	expect("1. Ana\nyes", "ranking Ana; yes");
}

static void
test_own_text(void **state)
{
	(void)state;
	/* Top-posted, Gmail and Thunderbird attributions. */
	expect_own("yes\n\nOn Mon, 25 Jan 2027 at 10:00, Mentoring "
	    "<m+tok@example.org> wrote:\n> Are you in?\n> yes or no",
	    "yes");
	expect_own("yes\n\nOn Mon, Jan 25, 2027 at 10:00 AM Mentoring "
	    "Programme <\nmentoring+tok@example.org> wrote:\n\n> Hi\n",
	    "yes");
	expect_own("Ja\n\nAm 25.01.2027 um 10:00 schrieb Mentoring:\n> Hallo",
	    "Ja");
	expect_own("oui\n\nLe lun. 25 janv. 2027 à 10:00, Mentoring "
	    "<m@example.org> a écrit :\n> Bonjour", "oui");
	expect_own("sí\n\nEl lun, 25 ene 2027 a las 10:00, Mentoring "
	    "(<m@example.org>) escribió:\n> Hola", "sí");
	expect_own("ja\n\nOp ma 25 jan. 2027 om 10:00 schreef Mentoring "
	    "<m@example.org>:\n> Hallo", "ja");
	expect_own("no\n\n* Mentoring <m+tok@example.org> [2027-01-25 10:00]:\n"
	    "> Hello", "no");
	expect_own("write to x@example.org:\nplease", "write to x@example.org:"
	    "\nplease");
	/* Bottom-posted and interleaved. */
	expect_own("On 25/01/2027 10:00, Mentoring wrote:\n> Did you meet?\n"
	    "\nmet yesterday 45 min\n\n-- \nAna Lima\nEngineering",
	    "met yesterday 45 min");
	expect_own("> Did you meet?\nmet yesterday\n> Rate it\nrate 5\n",
	    "met yesterday\nrate 5");
	/* Outlook, plain text, in English and German. */
	expect_own("no, sorry\n\n________________________________\nFrom: "
	    "Mentoring <m@example.org>\nSent: Monday, January 25, 2027 10:00 "
	    "AM\nTo: Ana\nSubject: Introduction\n\nHello Ana", "no, sorry");
	expect_own("yes\n\nFrom: Mentoring <m@example.org>\nSent: Monday\n"
	    "To: Ana\nSubject: x\n\nHello", "yes");
	expect_own("yes\n\n*From:* Mentoring <m@example.org>\n*Sent:* Monday"
	    "\n", "yes");
	expect_own("ja\n\nVon: Mentoring <m@example.org>\nGesendet: Montag, "
	    "25. Januar 2027 10:00\nAn: Ana\nBetreff: x\n", "ja");
	expect_own("oui\n\nDe : Mentoring <m@example.org>\nEnvoyé : lundi\n"
	    "À : Ana\nObjet : x\n", "oui");
	expect_own("yes\n-----Original Message-----\nFrom: x\n", "yes");
	expect_own("yes\n----- Original Message -----\nhello", "yes");
	expect_own("FYI\n\n---------- Forwarded message ---------\nFrom: x\n",
	    "FYI");
	expect_own("see below\n\nBegin forwarded message:\n\nFrom: x", "see "
	    "below");
	/* Signatures and phones. */
	expect_own("yes\n\nSent from my iPhone\n\n> On ...", "yes");
	expect_own("yes\n\nGet Outlook for Android", "yes");
	expect_own("oui\n\nEnvoyé de mon iPhone", "oui");
	expect_own("ja\n\nVon meinem iPhone gesendet", "ja");
	expect_own("yes\n--\nAna", "yes");
	/* Not separators: a From: line alone, "wrote:" without a quote. */
	expect_own("From: now on, yes", "From: now on, yes");
	expect_own("Ana wrote: hello\nmore", "Ana wrote: hello\nmore");
	/* An attribution without quoted lines after it still ends the text. */
	expect_own("yes\nOn Mon, 25 Jan 2027, Mentoring wrote:\nHi Ana",
	    "yes");
	/* Cleaning. */
	expect_own("\r\n\r\n  yes\r\n\r\n", "  yes");
	expect_own("a\rb\r\nc", "a\nb\nc");
	expect_own("a\xFF" "b", "a\xEF\xBF\xBD" "b");
	expect_own("a\x01\x1B[31mb\xE2\x80\x8B" "c\xEF\xBB\xBF", "a[31mbc");
	expect_own("a\xE2\x80\xA8" "b", "a\nb");
	expect_own("x\t y  ", "x  y");
	expect_own(NULL, "");
}

static void
test_names(void **state)
{
	int i;

	(void)state;
	for (i = 0; i < REPLY_KIND_COUNT; i++)
		assert_string_not_equal(reply_kind_name((enum reply_kind)i),
		    "?");
	for (i = 0; i < REPLY_ERROR_COUNT; i++)
		assert_string_not_equal(reply_error_name((enum reply_error)i),
		    "?");
	assert_string_equal(reply_kind_name(REPLY_REUP), "re-up");
	reply_free(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_simple_answers),
		cmocka_unit_test(test_met),
		cmocka_unit_test(test_met_refused),
		cmocka_unit_test(test_rate_refused),
		cmocka_unit_test(test_several),
		cmocka_unit_test(test_greeting_and_unknown),
		cmocka_unit_test(test_ranking),
		cmocka_unit_test(test_own_text),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
