#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/flash.h"
#include "core/match.h"
#include "core/program.h"

static struct program *
flash_program(int rounds, int minutes, int table)
{
	struct program *p = program_new();

	p->format = FORMAT_FLASH;
	p->flash.rounds = rounds;
	p->flash.minutes = minutes;
	p->flash.table_size = table;
	p->flash.date = date_from_ymd(2027, 3, 18);
	return p;
}

/* 5 mentees, 3 mentors, tables of 2, 3 rounds: everyone meets 3 mentors. */
static void
test_plan(void **state)
{
	enum { N = 5, M = 3 };
	struct program *p = flash_program(3, 12, 2);
	struct flash_session s;
	struct error err = ERROR_INIT;
	int16_t score[N * M];
	int seen[N][M], per[3][M];
	size_t e;
	int i;

	(void)state;
	for (i = 0; i < N * M; i++)
		score[i] = (int16_t)(100 * (i % 5));
	assert_int_equal(flash_plan(p, N, M, score, &s, &err), 0);
	assert_int_equal(s.nrounds, 3);
	assert_int_equal(flash_full(&s), N);
	assert_int_equal(s.plan.n, N * 3);
	memset(seen, 0, sizeof seen);
	memset(per, 0, sizeof per);
	for (e = 0; e < s.plan.n; e++) {
		const struct rounds_meeting *m = &s.plan.v[e];

		assert_int_equal(seen[m->mentee][m->mentor]++, 0);
		assert_true(++per[m->round][m->mentor] <= 2);
	}
	/* every mentor hosts: tables 1..3 in mentor order */
	assert_int_equal(s.table[0], 1);
	assert_int_equal(s.table[1], 2);
	assert_int_equal(s.table[2], 3);
	flash_session_free(&s);
	flash_session_free(&s);   /* twice is harmless */
	program_free(p);
}

/* A mentor nobody may meet hosts no table; the others are numbered on. */
static void
test_tables(void **state)
{
	enum { N = 2, M = 3 };
	struct program *p = flash_program(2, 10, 1);
	struct flash_session s;
	struct error err = ERROR_INIT;
	int16_t score[N * M] = {
		5000, MATCH_EXCLUDED, 5000,
		5000, MATCH_EXCLUDED, 5000,
	};

	(void)state;
	assert_int_equal(flash_plan(p, N, M, score, &s, &err), 0);
	assert_int_equal(s.table[0], 1);
	assert_int_equal(s.table[1], 0);
	assert_int_equal(s.table[2], 2);
	assert_int_equal(flash_full(&s), 2);
	flash_session_free(&s);
	program_free(p);
}

static void
test_times(void **state)
{
	struct program *p = flash_program(5, 12, 2);
	char b[8];

	(void)state;
	assert_int_equal(flash_round_start(p, 0), -1);
	assert_int_equal(flash_round_end(p, 0), -1);
	p->flash.has_start = true;
	p->flash.start = 14 * 60;
	assert_int_equal(flash_round_start(p, 0), 14 * 60);
	assert_int_equal(flash_round_end(p, 0), 14 * 60 + 12);
	assert_int_equal(flash_round_start(p, 4), 14 * 60 + 48);
	assert_string_equal(flash_clock(flash_round_end(p, 4), b), "15:00");
	assert_string_equal(flash_clock(23 * 60 + 59, b), "23:59");
	assert_string_equal(flash_clock(24 * 60 + 5, b), "00:05");
	program_free(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plan),
		cmocka_unit_test(test_tables),
		cmocka_unit_test(test_times),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
