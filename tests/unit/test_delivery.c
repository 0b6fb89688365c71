#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/date.h"
#include "core/delivery.h"

static enum delivery_verdict
judge(int status, const char *output, char reason[DELIVERY_REASON_BUFSZ])
{
	struct delivery_end e;

	memset(&e, 0, sizeof e);
	e.started = true;
	e.status = status;
	e.read_all = true;
	e.output = output;
	return delivery_judge(&e, reason);
}

static void
test_ok_and_sysexits(void **state)
{
	char r[DELIVERY_REASON_BUFSZ];
	struct delivery_end e;

	(void)state;
	assert_int_equal(judge(0, "", r), DELIVERY_OK);
	assert_string_equal(r, "");
	assert_int_equal(judge(67, NULL, r), DELIVERY_BOUNCE);
	assert_string_equal(r, "exited with status 67 (addressee unknown)");
	assert_int_equal(judge(68, "no such host\n", r), DELIVERY_BOUNCE);
	assert_string_equal(r, "exited with status 68 (host name unknown): "
	    "no such host");
	assert_int_equal(judge(75, NULL, r), DELIVERY_RETRY);
	assert_int_equal(judge(69, NULL, r), DELIVERY_RETRY);
	assert_int_equal(judge(1, NULL, r), DELIVERY_RETRY);
	assert_string_equal(r, "exited with status 1");
	/* Exit 0 without taking the message is no delivery. */
	memset(&e, 0, sizeof e);
	e.started = true;
	assert_int_equal(delivery_judge(&e, r), DELIVERY_RETRY);
	assert_string_equal(r, "exited before reading the whole message");
	/* It may have sent: never again by itself. */
	e.timed_out = true;
	e.signal = 15;
	assert_int_equal(delivery_judge(&e, r), DELIVERY_UNKNOWN);
	e.timed_out = false;
	e.signal = 9;
	assert_int_equal(delivery_judge(&e, r), DELIVERY_UNKNOWN);
	assert_string_equal(r, "was killed by signal 9");
	memset(&e, 0, sizeof e);
	e.output = "No such file or directory";
	assert_int_equal(delivery_judge(&e, r), DELIVERY_RETRY);
	assert_string_equal(r, "could not be started: No such file or "
	    "directory");
}

/* What msmtp, Postfix's sendmail and others say, as they say it. */
static void
test_smtp_replies(void **state)
{
	char r[DELIVERY_REASON_BUFSZ];

	(void)state;
	/* msmtp exits 65 when the recipient is refused */
	assert_int_equal(judge(65, "msmtp: recipient address bad@example.org "
	    "not accepted by the server\nmsmtp: server message: 550 5.1.1 "
	    "<bad@example.org>: Recipient address rejected: User unknown\n"
	    "msmtp: could not send mail (account default from rc)\n", r),
	    DELIVERY_BOUNCE);
	assert_string_equal(r, "exited with status 65 (data format error): "
	    "msmtp: server message: 550 5.1.1 <bad@example.org>: Recipient "
	    "address rejected: User unknown");
	/* 5.2.1 mailbox disabled; 550-continuation lines */
	assert_int_equal(judge(65, "550-5.2.1 The email account that you "
	    "tried to reach is disabled\n", r), DELIVERY_BOUNCE);
	/* ... and a temporary refusal: exit 69 from msmtp, retried */
	assert_int_equal(judge(69, "msmtp: recipient address tmp@example.org "
	    "not accepted by the server\nmsmtp: server message: 451 4.3.0 "
	    "try later\n", r), DELIVERY_RETRY);
	/* The sender's problem, not the address's: 5.1.7/5.1.8, 5.7.x */
	assert_int_equal(judge(65, "server message: 553 5.1.8 sender domain "
	    "does not exist\n", r), DELIVERY_RETRY);
	assert_int_equal(judge(65, "msmtp: recipient address x@example.org not "
	    "accepted by the server\nmsmtp: server message: 554 5.7.1 Relay "
	    "access denied\n", r), DELIVERY_RETRY);
	assert_int_equal(judge(77, "530 5.7.0 Authentication required\n", r),
	    DELIVERY_RETRY);
	/* A bare 550 about the recipient */
	assert_int_equal(judge(1, "RCPT TO:<x@example.org> failed: 550 no such "
	    "user here (recipient)\n", r), DELIVERY_BOUNCE);
	/* Numbers that only look like codes */
	assert_int_equal(judge(1, "msmtp version 1.5.1.2 at 10.5.1.1\n", r),
	    DELIVERY_RETRY);
	/* A DSN-style status line */
	assert_int_equal(judge(1, "Status: 5.1.2\n", r), DELIVERY_BOUNCE);
	/* Control characters never reach the reason */
	assert_int_equal(judge(75, "a\tb\x1b[31m\r\n", r), DELIVERY_RETRY);
	assert_null(strchr(r, '\x1b'));
	assert_null(strchr(r, '\t'));
}

/* Over SMTP (io/smtp.c): each reply judged where it came. */
static enum delivery_verdict
smtp(enum delivery_smtp_step step, int code, bool lost, const char *out,
    char reason[DELIVERY_REASON_BUFSZ])
{
	struct delivery_end e;

	memset(&e, 0, sizeof e);
	e.started = true;
	e.smtp_step = step;
	e.smtp_code = code;
	e.smtp_lost = lost;
	e.output = out;
	return delivery_judge(&e, reason);
}

static void
test_smtp_transactions(void **state)
{
	char r[DELIVERY_REASON_BUFSZ];
	struct delivery_end e;

	(void)state;
	assert_int_equal(smtp(DELIVERY_SMTP_DONE, 250, false, "250 ok\n", r),
	    DELIVERY_OK);
	assert_string_equal(r, "");
	/* The recipient refused: a bounce, whatever the words */
	assert_int_equal(smtp(DELIVERY_SMTP_RCPT, 550, false,
	    "550 5.1.1 <x@example.org>: Recipient address rejected\n", r),
	    DELIVERY_BOUNCE);
	assert_string_equal(r, "refused the recipient: 550 5.1.1 "
	    "<x@example.org>: Recipient address rejected");
	assert_int_equal(smtp(DELIVERY_SMTP_RCPT, 550, false,
	    "550 No such user here\n", r), DELIVERY_BOUNCE);
	assert_int_equal(smtp(DELIVERY_SMTP_RCPT, 553, false,
	    "553 mailbox name not allowed\n", r), DELIVERY_BOUNCE);
	assert_int_equal(smtp(DELIVERY_SMTP_RCPT, 552, false,
	    "552-5.2.2 The mailbox is full\n552 5.2.2 try later\n", r),
	    DELIVERY_BOUNCE);
	/* ... but not a policy refusal, which is the sender's to fix */
	assert_int_equal(smtp(DELIVERY_SMTP_RCPT, 554, false,
	    "554 5.7.1 <x@example.org>: Relay access denied\n", r),
	    DELIVERY_RETRY);
	assert_int_equal(smtp(DELIVERY_SMTP_RCPT, 550, false,
	    "550 5.7.1 Client host rejected\n", r), DELIVERY_RETRY);
	assert_int_equal(smtp(DELIVERY_SMTP_RCPT, 554, false,
	    "554 Transaction failed\n", r), DELIVERY_RETRY);
	/* temporary */
	assert_int_equal(smtp(DELIVERY_SMTP_RCPT, 451, false,
	    "451 4.3.0 try later\n", r), DELIVERY_RETRY);
	assert_string_equal(r, "refused the recipient: 451 4.3.0 try later");
	assert_int_equal(smtp(DELIVERY_SMTP_RCPT, 450, false,
	    "450 4.2.1 mailbox busy\n", r), DELIVERY_RETRY);
	/* the sender refused is never the recipient's bounce */
	assert_int_equal(smtp(DELIVERY_SMTP_MAIL, 550, false,
	    "550 5.1.0 sender rejected\n", r), DELIVERY_RETRY);
	assert_string_equal(r, "refused the sender: 550 5.1.0 sender rejected");
	assert_int_equal(smtp(DELIVERY_SMTP_DATA, 554, false,
	    "554 5.5.1 no valid recipients\n", r), DELIVERY_RETRY);
	/* after the dot: a bounce only when the reply says the address */
	assert_int_equal(smtp(DELIVERY_SMTP_DOT, 550, false,
	    "550 5.7.1 message looks like spam\n", r), DELIVERY_RETRY);
	assert_int_equal(smtp(DELIVERY_SMTP_DOT, 550, false,
	    "550 rejected\n", r), DELIVERY_RETRY);
	assert_int_equal(smtp(DELIVERY_SMTP_DOT, 550, false,
	    "550 5.1.1 user unknown\n", r), DELIVERY_BOUNCE);
	assert_int_equal(smtp(DELIVERY_SMTP_DOT, 452, false,
	    "452 4.3.1 insufficient storage\n", r), DELIVERY_RETRY);
	/* no reply: before the dot nothing went, after it anything may have */
	assert_int_equal(smtp(DELIVERY_SMTP_RCPT, 0, true,
	    "the server closed the connection\n", r), DELIVERY_RETRY);
	assert_string_equal(r, "was lost before the message was sent: the "
	    "server closed the connection");
	assert_int_equal(smtp(DELIVERY_SMTP_DATA, 0, true,
	    "Broken pipe\n", r), DELIVERY_RETRY);
	assert_int_equal(smtp(DELIVERY_SMTP_DOT, 0, true,
	    "no reply within 120 s\n", r), DELIVERY_UNKNOWN);
	assert_string_equal(r, "was lost after the whole message was sent (it "
	    "may have been delivered): no reply within 120 s");
	/* not offered at all (no SMTPUTF8): a retry */
	assert_int_equal(smtp(DELIVERY_SMTP_MAIL, 0, false,
	    "the server does not take internationalised addresses\n", r),
	    DELIVERY_RETRY);
	assert_string_equal(r, "was not given the message: the server does "
	    "not take internationalised addresses");
	/* no session */
	assert_int_equal(smtp(DELIVERY_SMTP_CONNECT, 554, false,
	    "554 5.3.2 not now\n", r), DELIVERY_RETRY);
	assert_string_equal(r, "refused the session: 554 5.3.2 not now");
	memset(&e, 0, sizeof e);
	e.smtp_step = DELIVERY_SMTP_CONNECT;
	e.output = "Connection refused\n";
	assert_int_equal(delivery_judge(&e, r), DELIVERY_RETRY);
	assert_string_equal(r, "could not be reached: Connection refused");
}

static void
test_retry_due(void **state)
{
	int d;
	time_t t = 1800000000;

	(void)state;
	assert_int_equal(date_parse("2027-03-01", &d), 0);
	/* A later morning: yes */
	assert_true(delivery_retry_due(1, d, t, d + 1, t));
	assert_true(delivery_retry_due(4, d, t, d + 1, t));
	/* The same day: after 15 min, 1 h, 4 h, 16 h */
	assert_false(delivery_retry_due(1, d, t, d, t + 14 * 60));
	assert_true(delivery_retry_due(1, d, t, d, t + 15 * 60));
	assert_false(delivery_retry_due(2, d, t, d, t + 59 * 60));
	assert_true(delivery_retry_due(2, d, t, d, t + 60 * 60));
	assert_false(delivery_retry_due(3, d, t, d, t + 3 * 3600));
	assert_true(delivery_retry_due(4, d, t, d, t + 16 * 3600));
	/* Never past the bound */
	assert_false(delivery_retry_due(DELIVERY_MAX_ATTEMPTS, d, t, d + 9,
	    t));
}

static void
test_names(void **state)
{
	(void)state;
	assert_string_equal(delivery_state_name(DELIVERY_GAVE_UP), "gave_up");
	assert_int_equal(delivery_state_parse("bounced"), DELIVERY_BOUNCED);
	assert_int_equal(delivery_state_parse("claimed"), -1);
	assert_string_equal(bounce_source_name(BOUNCE_SOURCE_INBOX), "inbox");
	assert_int_equal(bounce_source_parse("coordinator"),
	    BOUNCE_SOURCE_COORDINATOR);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ok_and_sysexits),
		cmocka_unit_test(test_smtp_replies),
		cmocka_unit_test(test_smtp_transactions),
		cmocka_unit_test(test_retry_due),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
