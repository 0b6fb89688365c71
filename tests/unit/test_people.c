#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/people.h"

static void
test_email_valid(void **state)
{
	static const char *const good[] = {
		"a@b.co", "first.last+tag@sub.example.org", "o'brien@x.io",
		"e1470@example.org", "A.B@EXAMPLE.ORG", "x_y-z@a-b.c9.org",
		"!#$%&*+/=?^_`{|}~@ex.com",
	};
	static const char *const bad[] = {
		"", "a", "a@", "@b.co", "a@b", "a@@b.co", "a@b@c.co", "a b@c.de",
		"a@b..co", ".a@b.co", "a.@b.co", "a..b@c.de", "a@-b.co",
		"a@b-.co", "a@b.co-", "a@b.co.", "a@.b.co", "\xc3\xa4@b.co",
		"a@b_c.de", "a,b@c.de", "a;b@c.de", "<a@b.co>", "\"a\"@b.co",
		"a@b.co ", "a\n@b.co",
	};
	char local[80], longest[300];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof good / sizeof good[0]; i++)
		if (!people_email_valid(good[i]))
			fail_msg("'%s' should be valid", good[i]);
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (people_email_valid(bad[i]))
			fail_msg("'%s' should be invalid", bad[i]);
	assert_false(people_email_valid(NULL));
	/* Local part at most 64 characters. */
	memset(local, 'a', 64);
	strcpy(local + 64, "@b.co");
	assert_true(people_email_valid(local));
	memset(local, 'a', 65);
	strcpy(local + 65, "@b.co");
	assert_false(people_email_valid(local));
	/* The whole address at most 254. */
	memset(longest, 'a', sizeof longest);
	longest[0] = 'x';
	longest[1] = '@';
	for (i = 2; i < 254; i += 50)
		longest[i] = 'b';
	for (i = 51; i < 254; i += 50)
		longest[i] = '.';
	strcpy(longest + 250, ".org");
	assert_int_equal(strlen(longest), 254);
	assert_true(people_email_valid(longest));
	strcpy(longest + 250, ".orgs");
	assert_false(people_email_valid(longest));
}

/* Every byte in a local part: accepted exactly when it is atext. */
static void
test_email_every_byte(void **state)
{
	const char *atext = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789!#$%&'*+/=?^_`{|}~-";
	char addr[16];
	int c;

	(void)state;
	for (c = 1; c < 256; c++) {
		bool want = c != '.' && strchr(atext, c) != NULL;

		snprintf(addr, sizeof addr, "a%cb@x.org", c);
		if (c == '.')
			want = true;	/* inside, not doubled */
		if (c == '@')
			want = false;
		if (people_email_valid(addr) != want)
			fail_msg("byte 0x%02x: expected %s", c,
			    want ? "valid" : "invalid");
	}
}

static void
test_email_cmp(void **state)
{
	(void)state;
	assert_int_equal(people_email_cmp("Ann@Example.ORG", "ann@example.org"), 0);
	assert_true(people_email_cmp("a@x.org", "b@x.org") < 0);
	assert_true(people_email_cmp("b@x.org", "A@x.org") > 0);
	assert_true(people_email_cmp("a@x.org", "a@x.org.uk") < 0);
	/* Only ASCII folds, as SQLite's NOCASE does. */
	assert_true(people_email_cmp("\xc3\x84", "\xc3\xa4") != 0);
}

static void
assert_header(const char *in, const char *want)
{
	char *got = people_header_name(in);

	assert_string_equal(got, want);
	free(got);
}

static void
test_header_name(void **state)
{
	(void)state;
	assert_header("email", "email");
	assert_header(" Email ", "email");
	assert_header("Hired On", "hired_on");
	assert_header("Manager-Email", "manager_email");
	assert_header("MANAGER EMAIL", "manager_email");
	assert_header("\tTime-Zone\r", "time_zone");
	assert_header("E-Mail", "e_mail");
	assert_header("Years At Company", "years_at_company");
	assert_header("", "");
	assert_header("   ", "");
	/* Non-ASCII is kept as it is. */
	assert_header("Sprachen \xc3\x9c", "sprachen_\xc3\x9c");
	assert_int_equal(people_field_parse("email"), PEOPLE_EMAIL);
	assert_int_equal(people_field_parse("hired_on"), PEOPLE_HIRED_ON);
	assert_int_equal(people_field_parse("manager_email"),
	    PEOPLE_MANAGER_EMAIL);
	assert_int_equal(people_field_parse("timezone"), PEOPLE_TIMEZONE);
	assert_int_equal(people_field_parse("time_zone"), -1);
	assert_int_equal(people_field_parse("e_mail"), -1);
	assert_int_equal(people_field_parse("skills"), -1);
}

static void
test_trim(void **state)
{
	char a[] = "  x y \t\r\n", b[] = "", c[] = " \t ";

	(void)state;
	assert_string_equal(people_trim(a), "x y");
	assert_string_equal(people_trim(b), "");
	assert_string_equal(people_trim(c), "");
}

static void
test_level(void **state)
{
	static const char *const bad[] = {
		"", "x", "3.0", "3 ", "1001", "-1001", "99999999999999999999",
		"+", "-", "1e3", "0x10",
	};
	size_t i;
	int v;

	(void)state;
	assert_int_equal(people_parse_level("3", &v), 0);
	assert_int_equal(v, 3);
	assert_int_equal(people_parse_level("-2", &v), 0);
	assert_int_equal(v, -2);
	assert_int_equal(people_parse_level("+4", &v), 0);
	assert_int_equal(v, 4);
	assert_int_equal(people_parse_level("1000", &v), 0);
	assert_int_equal(people_parse_level("-1000", &v), 0);
	assert_int_equal(v, -1000);
	assert_int_equal(people_parse_level("007", &v), 0);
	assert_int_equal(v, 7);
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (people_parse_level(bad[i], &v) == 0)
			fail_msg("'%s' should not be a level", bad[i]);
}

static void
test_timezone(void **state)
{
	static const char *const good[] = {
		"Europe/Berlin", "UTC", "America/Argentina/Buenos_Aires",
		"Etc/GMT+5", "America/Port-au-Prince", "+05:30", "-0800", "+5",
		"UTC+2", "GMT-03:00", "+14:00", "Asia/Kolkata",
	};
	static const char *const bad[] = {
		"", "Central European Time", "+25:00", "+14:30", "Europe/",
		"/Berlin", "5", "+05:60", "UTC+", "Europe//Berlin", "+0530x",
		"1Europe/Berlin",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof good / sizeof good[0]; i++)
		if (!people_timezone_valid(good[i]))
			fail_msg("'%s' should be a time zone", good[i]);
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (people_timezone_valid(bad[i]))
			fail_msg("'%s' should not be a time zone", bad[i]);
}

static void
test_quote(void **state)
{
	char *q, in[200];

	(void)state;
	q = people_quote("a\nb\tc\x7f");
	assert_string_equal(q, "a?b?c?");
	free(q);
	memset(in, 'x', 100);
	in[100] = '\0';
	q = people_quote(in);
	assert_int_equal(strlen(q), 63);
	assert_string_equal(q + 60, "...");
	free(q);
	/* 61 two-byte characters: cut after 60 of them, not inside one. */
	for (int i = 0; i < 61; i++)
		memcpy(in + 2 * i, "\xc3\xa4", 2);
	in[122] = '\0';
	q = people_quote(in);
	assert_int_equal(strlen(q), 123);
	assert_memory_equal(q + 118, "\xc3\xa4...", 5);
	free(q);
}

static void
test_training_name(void **state)
{
	char a[] = "  Mentor-Basics ", b[] = "   ", c[] = "x\x01y", d[200];
	char *out;

	(void)state;
	assert_null(people_training_name(a, &out));
	assert_string_equal(out, "mentor-basics");
	assert_non_null(people_training_name(b, &out));
	assert_non_null(people_training_name(c, &out));
	memset(d, 'a', 101);
	d[101] = '\0';
	assert_non_null(people_training_name(d, &out));
	d[100] = '\0';
	assert_null(people_training_name(d, &out));
}

/* ---- the sheet ---- */

#define ROW(...) ((const char *const[]){ __VA_ARGS__ })
#define NROW(...) (sizeof((const char *const[]){ __VA_ARGS__ }) / sizeof(char *))

static struct people_sheet *
sheet(const char *const *header, size_t n)
{
	return people_sheet_new("p.csv", 1, header, n, NULL, false);
}

/* Problem i as printed, "FILE:LINE: field: message". */
static void
assert_problem(struct people_sheet *s, size_t i, const char *want)
{
	char *text;

	assert_true(i < s->nproblems);
	text = people_problem_text(s, &s->problems[i]);
	assert_string_equal(text, want);
	free(text);
}

static void
test_sheet_header(void **state)
{
	struct people_sheet *s;

	(void)state;
	s = sheet(ROW("Phone", "Name"), 2);
	assert_false(s->usable);
	assert_int_equal(s->nproblems, 1);
	assert_problem(s, 0, "p.csv: no 'email' column (the first line must "
	    "name the columns, one of them 'email')");
	people_sheet_free(s);

	s = sheet(ROW("email", "Skills", "skills", ""), 4);
	assert_false(s->usable);
	assert_int_equal(s->nproblems, 2);
	assert_problem(s, 0, "p.csv:1: column 'skills' appears twice "
	    "(columns 2 and 3)");
	assert_problem(s, 1, "p.csv:1: column 4 has no name in the header");
	people_sheet_free(s);

	s = sheet(ROW(" Email", "Hired On", "Manager-Email", "Skills",
	    "Years At Company"), 5);
	assert_true(s->usable);
	assert_int_equal(s->field_col[PEOPLE_EMAIL], 0);
	assert_int_equal(s->field_col[PEOPLE_HIRED_ON], 1);
	assert_int_equal(s->field_col[PEOPLE_MANAGER_EMAIL], 2);
	assert_int_equal(s->field_col[PEOPLE_NAME], -1);
	assert_int_equal(s->nattr, 2);
	assert_string_equal(s->cols[s->attr_col[0]], "skills");
	assert_string_equal(s->cols[s->attr_col[1]], "years_at_company");
	assert_true(s->has_person_columns);
	people_sheet_free(s);

	/* Reserved columns are the caller's, not attributes. */
	s = people_sheet_new("e.csv", 1, ROW("email", "Role", "goal"), 3,
	    ROW("role", "capacity", "goal", NULL), true);
	assert_true(s->usable);
	assert_int_equal(s->nattr, 0);
	assert_false(s->has_person_columns);
	assert_int_equal(people_sheet_column(s, "role"), 1);
	assert_int_equal(people_sheet_column(s, "capacity"), -1);
	people_sheet_free(s);
}

static void
test_sheet_rows(void **state)
{
	struct people_sheet *s;
	size_t row = 99;

	(void)state;
	s = sheet(ROW("email", "name", "level", "hired_on", "timezone",
	    "manager_email", "skills"), 7);
	assert_int_equal(people_sheet_add(s, 2, ROW(" Ann@X.org ", " Ann ",
	    "5", "2020-02-29", "Europe/Berlin", "", " go;c "), 7, &row), 0);
	assert_int_equal(row, 0);
	assert_string_equal(s->rows[0].email, "Ann@X.org");
	assert_string_equal(s->rows[0].cells[1], "Ann");
	assert_string_equal(s->rows[0].cells[6], "go;c");
	assert_true(s->rows[0].has_level);
	assert_int_equal(s->rows[0].level, 5);
	assert_int_equal(s->rows[0].hired_on, date_from_ymd(2020, 2, 29));
	/* Empty cells: no level, no date. */
	assert_int_equal(people_sheet_add(s, 3, ROW("bob@x.org", "", "", "",
	    "", "ann@x.org", ""), 7, &row), 0);
	assert_false(s->rows[1].has_level);
	assert_int_equal(s->rows[1].hired_on, DATE_NONE);
	assert_true(people_sheet_ok(s));

	/* Each kind of problem, each naming its line and field. */
	assert_int_equal(people_sheet_add(s, 4, ROW("ANN@x.org", "", "", "",
	    "", "", ""), 7, &row), -1);
	assert_int_equal(people_sheet_add(s, 5, ROW("carl@x", "", "senior",
	    "2027-02-30", "CET zone", "carl@x", ""), 7, &row), -1);
	assert_int_equal(people_sheet_add(s, 6, ROW("dana@x.org", "", "2"),
	    3, &row), -1);
	assert_int_equal(people_sheet_add(s, 8, ROW("", "", "", "", "", "",
	    ""), 7, &row), -1);
	assert_int_equal(people_sheet_add(s, 9, ROW("eve@x.org", "", "", "",
	    "", "EVE@x.org", ""), 7, &row), -1);
	assert_int_equal(people_sheet_add(s, 10, ROW("fay@x.org", "", "", "",
	    "", "not-an-email", ""), 7, &row), -1);
	assert_false(people_sheet_ok(s));
	assert_int_equal(s->nproblems, 10);
	assert_problem(s, 0, "p.csv:4: email: 'ANN@x.org' appears already on "
	    "line 2");
	assert_problem(s, 1, "p.csv:5: email: 'carl@x' is not an e-mail "
	    "address");
	assert_problem(s, 2, "p.csv:5: level: 'senior' is not a whole number "
	    "between -1000 and 1000");
	assert_problem(s, 3, "p.csv:5: hired_on: invalid date '2027-02-30' "
	    "(expected an existing day as YYYY-MM-DD)");
	assert_problem(s, 4, "p.csv:5: timezone: 'CET zone' is not a time zone "
	    "(expected an IANA name such as Europe/Berlin, or an offset such "
	    "as +05:30)");
	assert_problem(s, 5, "p.csv:5: manager_email: 'carl@x' is not an "
	    "e-mail address");
	assert_problem(s, 6, "p.csv:6: expected 7 fields, found 3");
	assert_problem(s, 7, "p.csv:8: email: empty (every row needs an "
	    "e-mail address)");
	assert_problem(s, 8, "p.csv:9: manager_email: a person cannot be "
	    "their own manager");
	assert_problem(s, 9, "p.csv:10: manager_email: 'not-an-email' is not "
	    "an e-mail address");
	/* Bad rows are kept (marked) so that others can name them. */
	assert_int_equal(people_sheet_find(s, "EVE@X.ORG"), 4);
	assert_true(s->rows[4].bad);
	assert_int_equal(people_sheet_find(s, "nobody@x.org"), -1);
	people_sheet_free(s);
}

static void
test_sheet_managers(void **state)
{
	struct people_sheet *s;
	const char **outside;
	size_t n, row;

	(void)state;
	s = sheet(ROW("email", "manager_email"), 2);
	/* A manager later in the file is fine. */
	people_sheet_add(s, 2, ROW("a@x.org", "b@x.org"), 2, &row);
	people_sheet_add(s, 3, ROW("b@x.org", "boss@x.org"), 2, &row);
	people_sheet_add(s, 4, ROW("c@x.org", "ghost@x.org"), 2, &row);
	people_sheet_add(s, 5, ROW("d@x.org", "GHOST@x.org"), 2, &row);
	/* A row with the wrong column count still counts as a person. */
	people_sheet_add(s, 6, ROW("e@x.org", "", "extra"), 3, &row);
	people_sheet_add(s, 7, ROW("f@x.org", "e@x.org"), 2, &row);
	outside = people_sheet_outside_managers(s, &n);
	assert_int_equal(n, 2);
	assert_string_equal(outside[0], "boss@x.org");
	assert_string_equal(outside[1], "ghost@x.org");
	free(outside);
	people_sheet_manager_exists(s, "BOSS@x.org");
	people_sheet_check_managers(s);
	assert_int_equal(s->nproblems, 3);
	people_sheet_sort_problems(s);
	assert_problem(s, 0, "p.csv:4: manager_email: 'ghost@x.org' is nobody "
	    "(not in this file or the database)");
	assert_problem(s, 1, "p.csv:5: manager_email: 'GHOST@x.org' is nobody "
	    "(not in this file or the database)");
	assert_problem(s, 2, "p.csv:6: expected 2 fields, found 3");
	people_sheet_free(s);
}

static void
test_sheet_repeats(void **state)
{
	struct people_sheet *s;
	size_t row = 99;

	(void)state;
	s = people_sheet_new("e.csv", 1, ROW("email", "role", "name"), 3,
	    ROW("role", NULL), true);
	assert_int_equal(people_sheet_add(s, 2, ROW("a@x.org", "mentor", "Ann"),
	    3, &row), 0);
	assert_int_equal(people_sheet_add(s, 3, ROW("b@x.org", "mentee", "Bob"),
	    3, &row), 0);
	/* The same person again: fine when the person cells agree. */
	assert_int_equal(people_sheet_add(s, 4, ROW("A@X.org", "mentee", "Ann"),
	    3, &row), 1);
	assert_int_equal(row, 0);
	assert_true(people_sheet_ok(s));
	assert_int_equal(people_sheet_add(s, 5, ROW("b@x.org", "mentor",
	    "Robert"), 3, &row), 1);
	assert_int_equal(row, 1);
	assert_int_equal(s->nproblems, 1);
	assert_problem(s, 0, "e.csv:5: name: 'Robert' differs from line 3 for "
	    "the same person");
	assert_int_equal(s->nrows, 2);
	people_sheet_free(s);
}

/* Problems found late (managers, the database) still print in line order. */
static void
test_sheet_sort(void **state)
{
	struct people_sheet *s = sheet(ROW("email"), 1);

	(void)state;
	people_sheet_problem(s, 9, "email", "third");
	people_sheet_problem(s, 2, NULL, "first");
	people_sheet_problem(s, 9, "level", "fourth");
	people_sheet_problem(s, 5, "name", "second");
	people_sheet_sort_problems(s);
	assert_problem(s, 0, "p.csv:2: first");
	assert_problem(s, 1, "p.csv:5: name: second");
	assert_problem(s, 2, "p.csv:9: email: third");
	assert_problem(s, 3, "p.csv:9: level: fourth");
	people_sheet_free(s);
}

/* Many rows: the e-mail set grows and still finds everyone, in any case. */
static void
test_sheet_many(void **state)
{
	struct people_sheet *s = sheet(ROW("email"), 1);
	char email[64];
	size_t row, i;

	(void)state;
	for (i = 0; i < 50000; i++) {
		snprintf(email, sizeof email, "p%zu@example.org", i);
		assert_int_equal(people_sheet_add(s, (long)i + 2,
		    ROW(email), 1, &row), 0);
	}
	for (i = 0; i < 50000; i += 997) {
		snprintf(email, sizeof email, "P%zu@EXAMPLE.org", i);
		assert_int_equal(people_sheet_find(s, email), (long)i);
	}
	assert_int_equal(people_sheet_add(s, 60000, ROW("p123@example.org"), 1,
	    &row), -1);
	assert_problem(s, 0, "p.csv:60000: email: 'p123@example.org' appears "
	    "already on line 125");
	people_sheet_free(s);
}

/* HR systems' header names: aliases read as the fields, doubts refused. */
static void
test_sheet_aliases(void **state)
{
	struct people_sheet *s;
	char *why;

	(void)state;
	s = sheet(ROW("Work Email", "Full Name", "Start Date", "Time Zone",
	    "Manager Email Address", "Team"), 6);
	assert_true(s->usable);
	assert_int_equal(s->field_col[PEOPLE_EMAIL], 0);
	assert_int_equal(s->field_col[PEOPLE_NAME], 1);
	assert_int_equal(s->field_col[PEOPLE_HIRED_ON], 2);
	assert_int_equal(s->field_col[PEOPLE_TIMEZONE], 3);
	assert_int_equal(s->field_col[PEOPLE_MANAGER_EMAIL], 4);
	assert_int_equal(s->nattr, 1);
	people_sheet_free(s);

	s = sheet(ROW("email", "E-Mail", "Emial"), 3);
	assert_false(s->usable);
	assert_int_equal(s->nproblems, 2);
	assert_problem(s, 0, "p.csv:1: columns 'email' and 'e_mail' both mean "
	    "email (columns 1 and 2)");
	assert_problem(s, 1, "p.csv:1: unknown column 'emial'; did you mean "
	    "'email'? (rename it; to keep it as a free attribute, give it a "
	    "name less like a standard field)");
	people_sheet_free(s);

	assert_null(people_header_doubt("skills"));
	assert_null(people_header_doubt("team"));
	assert_null(people_header_doubt("wants"));
	assert_null(people_header_doubt("tz"));
	assert_non_null(why = people_header_doubt("manager"));
	free(why);
	assert_non_null(why = people_header_doubt("titel"));
	free(why);
	assert_non_null(why = people_header_doubt("hire_on"));
	free(why);
}

/* Enrollment files: empty is "no change", PEOPLE_CLEAR clears. */
static void
test_sheet_keep_empty(void **state)
{
	struct people_sheet *s;
	size_t row;

	(void)state;
	s = sheet(ROW("email", "level", "department"), 3);
	s->allow_repeats = true;
	s->keep_empty = true;
	assert_int_equal(people_sheet_add(s, 2, ROW("a@x.org", "", "-"), 3,
	    &row), 0);
	assert_null(people_cell(s, s->rows[0].cells[1]));
	assert_string_equal(people_cell(s, s->rows[0].cells[2]), "");
	/* "-" is not a level to check; a repeat fills an empty cell. */
	assert_false(s->rows[0].bad);
	assert_int_equal(people_sheet_add(s, 3, ROW("a@x.org", "7", ""), 3,
	    &row), 1);
	assert_true(people_sheet_ok(s));
	assert_string_equal(s->rows[0].cells[1], "7");
	assert_true(s->rows[0].has_level);
	assert_int_equal(s->rows[0].level, 7);
	people_sheet_free(s);
	/* In people import an empty cell is a value (nothing). */
	s = sheet(ROW("email", "level"), 2);
	assert_int_equal(people_sheet_add(s, 2, ROW("a@x.org", ""), 2, &row), 0);
	assert_string_equal(people_cell(s, s->rows[0].cells[1]), "");
	people_sheet_free(s);
}

static char *
zone_no_mars(void *arg, const char *zone)
{
	(void)arg;
	return strncmp(zone, "Mars/", 5) == 0 ? strdup("no such planet") : NULL;
}

/* The time-zone check is the caller's (ops plugs in the tz database). */
static void
test_sheet_zone_hook(void **state)
{
	struct people_sheet *s;
	size_t row;

	(void)state;
	s = sheet(ROW("email", "timezone"), 2);
	s->zone_problem = zone_no_mars;
	assert_int_equal(people_sheet_add(s, 2, ROW("a@x.org", "Mars/Olympus"),
	    2, &row), -1);
	assert_int_equal(people_sheet_add(s, 3, ROW("b@x.org", "Foo Bar"), 2,
	    &row), 0);
	assert_int_equal(s->nproblems, 1);
	assert_problem(s, 0, "p.csv:2: timezone: no such planet");
	people_sheet_free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_email_valid),
		cmocka_unit_test(test_email_every_byte),
		cmocka_unit_test(test_email_cmp),
		cmocka_unit_test(test_header_name),
		cmocka_unit_test(test_trim),
		cmocka_unit_test(test_level),
		cmocka_unit_test(test_timezone),
		cmocka_unit_test(test_sheet_aliases),
		cmocka_unit_test(test_sheet_keep_empty),
		cmocka_unit_test(test_sheet_zone_hook),
		cmocka_unit_test(test_quote),
		cmocka_unit_test(test_training_name),
		cmocka_unit_test(test_sheet_header),
		cmocka_unit_test(test_sheet_rows),
		cmocka_unit_test(test_sheet_managers),
		cmocka_unit_test(test_sheet_repeats),
		cmocka_unit_test(test_sheet_sort),
		cmocka_unit_test(test_sheet_many),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
