#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/token.h"

static const uint8_t key[TOKEN_SECRET_LEN] = {
	1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
	17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32,
};

static int
day(const char *iso)
{
	int d = DATE_NONE;

	assert_int_equal(date_parse(iso, &d), 0);
	return d;
}

static void
make(long long person, long long subject, enum token_question q, int exp,
    char out[TOKEN_BUFSZ])
{
	struct token_claims c = { person, subject, q, exp };
	struct error err = ERROR_INIT;

	assert_int_equal(token_make(&c, key, out, &err), 0);
	assert_null(err.msg);
}

static void
test_roundtrip(void **state)
{
	static const long long ids[] = { 0, 1, 127, 128, 16383, 16384,
		2097151, 2097152, 1LL << 35, TOKEN_MAX_ID };
	char tok[TOKEN_BUFSZ];
	struct token_claims c;
	size_t i, j;
	int q, exp = day("2027-03-01");

	(void)state;
	for (i = 0; i < sizeof ids / sizeof ids[0]; i++)
		for (j = 0; j < sizeof ids / sizeof ids[0]; j++)
			for (q = 0; q < TOKEN_Q_COUNT; q++) {
				make(ids[i], ids[j], (enum token_question)q,
				    exp, tok);
				assert_true(strlen(tok) <= TOKEN_MAX_LEN);
				assert_true(strspn(tok, "abcdefghijklmnopqrstu"
				    "vwxyz234567") == strlen(tok));
				memset(&c, 0, sizeof c);
				assert_int_equal(token_verify(tok, strlen(tok),
				    key, exp, &c), TOKEN_OK);
				assert_int_equal(c.person_id, ids[i]);
				assert_int_equal(c.subject_id, ids[j]);
				assert_int_equal(c.question, q);
				assert_int_equal(c.expires_on, exp);
			}
}

static void
test_lengths(void **state)
{
	char tok[TOKEN_BUFSZ];

	(void)state;
	/* The promise in token.h: typical ids give at most 31 characters. */
	make(2097151, 2097151, TOKEN_Q_CHECKIN, day("2063-12-31"), tok);
	assert_true(strlen(tok) <= 31);
	make(TOKEN_MAX_ID, TOKEN_MAX_ID, TOKEN_Q_GENERIC, TOKEN_MAX_DAY, tok);
	assert_int_equal(strlen(tok), TOKEN_MAX_LEN);
	make(1, 1, TOKEN_Q_PROPOSAL, TOKEN_DAY_BASE, tok);
	assert_true(strlen(tok) >= 23);
}

static void
test_expiry(void **state)
{
	char tok[TOKEN_BUFSZ];
	struct token_claims c;
	int exp = day("2027-01-31");

	(void)state;
	make(7, 12, TOKEN_Q_REUP, exp, tok);
	assert_int_equal(token_verify(tok, strlen(tok), key, exp - 30, &c),
	    TOKEN_OK);
	assert_int_equal(token_verify(tok, strlen(tok), key, exp, &c),
	    TOKEN_OK);
	memset(&c, 0, sizeof c);
	assert_int_equal(token_verify(tok, strlen(tok), key, exp + 1, &c),
	    TOKEN_EXPIRED);
	/* An expired token is still genuine: its claims are for the log. */
	assert_int_equal(c.person_id, 7);
	assert_int_equal(c.subject_id, 12);
	assert_int_equal(c.question, TOKEN_Q_REUP);
}

static void
test_forgery(void **state)
{
	uint8_t other[TOKEN_SECRET_LEN];
	char tok[TOKEN_BUFSZ], bad[TOKEN_BUFSZ];
	struct token_claims c = { -5, -5, TOKEN_Q_GENERIC, -5 };
	size_t i, n;
	int exp = day("2027-06-01");

	(void)state;
	make(7, 12, TOKEN_Q_CHECKIN, exp, tok);
	n = strlen(tok);
	/* Another programme's secret. */
	memcpy(other, key, sizeof other);
	other[31] ^= 1;
	assert_int_equal(token_verify(tok, n, other, exp, &c), TOKEN_BAD_MAC);
	assert_int_equal(c.person_id, -5);	/* nothing written */
	/* Any one character changed: never accepted. */
	for (i = 0; i < n; i++) {
		const char *alpha = "abcdefghijklmnopqrstuvwxyz234567";
		size_t k;

		for (k = 0; k < 32; k++) {
			enum token_status st;

			if (alpha[k] == tok[i])
				continue;
			memcpy(bad, tok, n + 1);
			bad[i] = alpha[k];
			st = token_verify(bad, n, key, exp, &c);
			assert_true(st == TOKEN_MALFORMED ||
			    st == TOKEN_BAD_MAC);
		}
	}
	assert_int_equal(c.person_id, -5);
	/* Truncated, extended, or changed claims with the old tag. */
	assert_int_equal(token_verify(tok, n - 1, key, exp, &c),
	    TOKEN_MALFORMED);
	memcpy(bad, tok, n + 1);
	assert_int_equal(token_verify("", 0, key, exp, &c), TOKEN_MALFORMED);
	assert_int_equal(token_verify(NULL, 0, key, exp, &c), TOKEN_MALFORMED);
	assert_int_equal(token_verify("yes", 3, key, exp, &c),
	    TOKEN_MALFORMED);
	assert_int_equal(token_verify("0123456789abcdef0123456789", 26, key,
	    exp, &c), TOKEN_MALFORMED);
}

static void
test_case_insensitive(void **state)
{
	char tok[TOKEN_BUFSZ], up[TOKEN_BUFSZ];
	struct token_claims c;
	size_t i, n;

	(void)state;
	make(42, 4242, TOKEN_Q_FEEDBACK, day("2027-12-31"), tok);
	n = strlen(tok);
	for (i = 0; i <= n; i++)
		up[i] = (char)(tok[i] >= 'a' && tok[i] <= 'z' ?
		    tok[i] - 'a' + 'A' : tok[i]);
	assert_int_equal(token_verify(up, n, key, day("2027-01-01"), &c),
	    TOKEN_OK);
	assert_int_equal(c.subject_id, 4242);
}

static void
test_canonical(void **state)
{
	char tok[TOKEN_BUFSZ], alt[TOKEN_BUFSZ];
	struct token_claims c;
	size_t n;
	const char *alpha = "abcdefghijklmnopqrstuvwxyz234567";
	const char *p;
	int v;

	(void)state;
	/*
	 * 19 bytes are 31 characters with 3 unused bits in the last one:
	 * setting them would be a second spelling of the same token.
	 */
	make(20000, 30000, TOKEN_Q_CHECKIN, day("2027-03-01"), tok);
	n = strlen(tok);
	assert_int_equal(n, 31);
	p = strchr(alpha, tok[n - 1]);
	assert_non_null(p);
	v = (int)(p - alpha);
	memcpy(alt, tok, n + 1);
	assert_int_equal(v & 7, 0);
	alt[n - 1] = alpha[v | 1];
	assert_int_equal(token_verify(alt, n, key, 0, &c), TOKEN_MALFORMED);
	assert_int_equal(token_verify(tok, n, key, 0, &c), TOKEN_OK);
}

static void
test_make_refuses(void **state)
{
	struct token_claims c = { 1, 1, TOKEN_Q_CHECKIN, TOKEN_DAY_BASE - 1 };
	struct error err = ERROR_INIT;
	char tok[TOKEN_BUFSZ];

	(void)state;
	assert_int_equal(token_make(&c, key, tok, &err), -1);
	assert_int_equal(err.code, EX_SOFTWARE);
	error_clear(&err);
	c.expires_on = TOKEN_DAY_BASE;
	c.person_id = TOKEN_MAX_ID + 1;
	assert_int_equal(token_make(&c, key, tok, &err), -1);
	error_clear(&err);
	c.person_id = -1;
	assert_int_equal(token_make(&c, key, tok, &err), -1);
	error_clear(&err);
	c.person_id = 1;
	c.expires_on = TOKEN_MAX_DAY + 1;
	assert_int_equal(token_make(&c, key, tok, &err), -1);
	error_clear(&err);
	c.expires_on = TOKEN_MAX_DAY;
	c.question = (enum token_question)TOKEN_Q_COUNT;
	assert_int_equal(token_make(&c, key, tok, &err), -1);
	error_clear(&err);
}

static void
test_secret(void **state)
{
	uint8_t a[TOKEN_SECRET_LEN], b[TOKEN_SECRET_LEN];
	char hex[TOKEN_SECRET_HEX_BUFSZ];
	struct error err = ERROR_INIT;

	(void)state;
	assert_int_equal(token_secret_new(a, &err), 0);
	assert_int_equal(token_secret_new(b, &err), 0);
	assert_memory_not_equal(a, b, sizeof a);
	token_secret_format(a, hex);
	assert_int_equal(strlen(hex), 64);
	memset(b, 0, sizeof b);
	assert_int_equal(token_secret_parse(hex, b), 0);
	assert_memory_equal(a, b, sizeof a);
	assert_int_equal(token_secret_parse("abc", b), -1);
	hex[10] = 'g';
	assert_int_equal(token_secret_parse(hex, b), -1);
	assert_int_equal(token_secret_parse(NULL, b), -1);
}

static void
test_names(void **state)
{
	int q;

	(void)state;
	for (q = 0; q < TOKEN_Q_COUNT; q++)
		assert_int_equal(token_question_parse(token_question_name(
		    (enum token_question)q)), q);
	assert_int_equal(token_question_parse("Checkin"), -1);
	assert_int_equal(token_question_parse(NULL), -1);
	assert_string_equal(token_status_name(TOKEN_BAD_MAC), "bad-mac");
}

static void
test_extract(void **state)
{
	char tok[TOKEN_BUFSZ], got[TOKEN_BUFSZ], addr[200];
	char *a = NULL, *id;
	struct error err = ERROR_INIT;

	(void)state;
	make(5, 9, TOKEN_Q_PROPOSAL, day("2027-02-01"), tok);
	snprintf(addr, sizeof addr, "mentoring+%s@example.org", tok);
	assert_true(token_from_address(addr, got));
	assert_string_equal(got, tok);
	snprintf(addr, sizeof addr, " <Mentoring+%s@Example.ORG> ", tok);
	for (char *p = addr; *p; p++)
		if (*p >= 'a' && *p <= 'z')
			*p = (char)(*p - 'a' + 'A');
	assert_true(token_from_address(addr, got));
	assert_string_equal(got, tok);
	snprintf(addr, sizeof addr, "a+b+%s@example.org", tok);
	assert_true(token_from_address(addr, got));
	assert_string_equal(got, tok);
	assert_false(token_from_address("mentoring@example.org", got));
	assert_false(token_from_address("+abc@example.org", got));
	assert_false(token_from_address("mentoring+@example.org", got));
	assert_false(token_from_address("mentoring+ab-c@example.org", got));
	assert_false(token_from_address("mentoring+abc", got));
	assert_false(token_from_address(NULL, got));
	assert_false(token_from_address("", got));

	assert_int_equal(token_address("mentoring@example.org", tok, &a,
	    &err), 0);
	assert_true(token_from_address(a, got));
	assert_string_equal(got, tok);
	free(a);
	/* 64 octets: a 22-octet local part with a 42-character token is 65. */
	assert_int_equal(token_address("abcdefghijklmnopqrstu@x.org",
	    "abcdefghijklmnopqrstuvwxyzabcdefghijklmnop", &a, &err), 0);
	free(a);
	assert_int_equal(token_address("abcdefghijklmnopqrstuv@x.org",
	    "abcdefghijklmnopqrstuvwxyzabcdefghijklmnop", &a, &err), -1);
	assert_null(a);
	assert_int_equal(err.code, EX_DATAERR);
	error_clear(&err);
	assert_int_equal(token_address("nodomain", tok, &a, &err), -1);
	error_clear(&err);

	id = token_message_id(tok, "checkin.20270125", "example.org");
	assert_non_null(id);
	assert_true(token_from_message_id(id, got));
	assert_string_equal(got, tok);
	snprintf(addr, sizeof addr, "<%s>", id);
	assert_true(token_from_message_id(addr, got));
	assert_string_equal(got, tok);
	free(id);
	assert_null(token_message_id(tok, "a b", "example.org"));
	assert_null(token_message_id(tok, "x", "exa<mple"));
	assert_null(token_message_id(tok, "", "example.org"));
	assert_null(token_message_id("not-a-token", "x", "example.org"));
	assert_false(token_from_message_id("<CAF=x+y@mail.gmail.com>", got));
	assert_false(token_from_message_id("<abc.def>", got));
	assert_false(token_from_message_id(NULL, got));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_lengths),
		cmocka_unit_test(test_expiry),
		cmocka_unit_test(test_forgery),
		cmocka_unit_test(test_case_insensitive),
		cmocka_unit_test(test_canonical),
		cmocka_unit_test(test_make_refuses),
		cmocka_unit_test(test_secret),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_extract),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
