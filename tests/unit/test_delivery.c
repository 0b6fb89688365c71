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
		cmocka_unit_test(test_retry_due),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
