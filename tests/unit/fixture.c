/*
 * The unit tests' temporary database (fixture.h).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fixture.h"

#include "core/date.h"
#include "core/program.h"
#include "io/csv.h"
#include "ops/enroll.h"
#include "ops/pairing.h"
#include "ops/people.h"
#include "ops/program.h"
#include "ops/training.h"
#include "store/db.h"
#include "../../src/store/db_int.h"
#include "util/xmalloc.h"

const char FIXTURE_PROGRAM[] =
    "slug: fixture\n"
    "name: Fixture Mentoring\n"
    "purpose: knowledge-transfer\n"
    "format: one-to-one\n"
    "owner: People Development\n"
    "contact: mentoring@example.org\n"
    "goals:\n"
    "  - id: match-rate\n"
    "    statement: Match 90% of eligible mentees\n"
    "    metric: match_rate\n"
    "    target: 0.9\n"
    "    due: 2027-02-01\n"
    "roles:\n"
    "  mentor:\n"
    "    capacity: 2\n"
    "    eligibility: { min_tenure_years: 1, trainings: [mentor-basics] }\n"
    "  mentee:\n"
    "    capacity: 1\n"
    "cycle:\n"
    "  start: 2027-01-11\n"
    "  length: 6 months\n"
    "  reup: { opens: 21 days before end, closes: 7 days before end, "
    "default: exit }\n"
    "checkins:\n"
    "  every: 2 weeks\n"
    "  remind: 2 days before\n"
    "  overdue_after: 5 days\n"
    "  stalled_after: 2 missed\n"
    "matching:\n"
    "  consent: both\n"
    "  respond_within: 10 days\n"
    "  objective: coverage\n"
    "  min_score: 0\n"
    "  criteria:\n"
    "    - { attribute: department, compare: different, weight: 2 }\n"
    "    - { attribute: level, compare: mentor_above, min_gap: 1, weight: 3 }\n";

/* Fail the test with the error's message (and free it). */
static void
fail_error(const char *what, struct error *err, const struct diags *d)
{
	size_t i;

	for (i = 0; d && i < d->n; i++)
		print_error("%s: %s\n", what, d->v[i].msg);
	fail_msg("%s: %s (exit %d)", what, err->msg ? err->msg : "?",
	    err->code);
}

int
fixture_day(const char *ymd)
{
	int day;

	if (date_parse(ymd, &day) != 0)
		fail_msg("fixture_day: bad date '%s'", ymd);
	return day;
}

struct ops_ctx
fixture_ops(const struct fixture *f, int day)
{
	struct ops_ctx o = { f->db, day == DATE_NONE ? f->today : day, f->now,
	    f->actor };

	return o;
}

int
fixture_setup(void **state)
{
	struct error err = ERROR_INIT;
	struct fixture *f = xcalloc(1, sizeof *f);
	char tmpl[] = "/tmp/mentorctl-unit.XXXXXX";
	const char *tmp = getenv("TMPDIR");

	if (tmp && *tmp) {
		f->dir = xasprintf("%s/mentorctl-unit.XXXXXX", tmp);
	} else {
		f->dir = xstrdup(tmpl);
	}
	if (mkdtemp(f->dir) == NULL) {
		print_error("fixture: mkdtemp %s failed\n", f->dir);
		free(f->dir);
		free(f);
		return -1;
	}
	f->path = xasprintf("%s/test.db", f->dir);
	if ((f->db = db_open(f->path, DB_OPEN_CREATE, &err)) == NULL) {
		print_error("fixture: %s\n", err.msg ? err.msg : "db_open");
		error_clear(&err);
		rmdir(f->dir);
		free(f->path);
		free(f->dir);
		free(f);
		return -1;
	}
	f->today = fixture_day(FIXTURE_TODAY);
	f->now = (time_t)f->today * 86400 + 9 * 3600;
	f->actor = "fixture";
	db_set_command(f->db, "fixture", f->actor, f->now);
	*state = f;
	return 0;
}

/* Remove every file in dir (the database, its -wal and -shm), then dir. */
static void
remove_dir(const char *dir)
{
	struct dirent *e;
	DIR *d;
	char *p;

	if ((d = opendir(dir)) != NULL) {
		while ((e = readdir(d)) != NULL) {
			if (strcmp(e->d_name, ".") == 0 ||
			    strcmp(e->d_name, "..") == 0)
				continue;
			p = xasprintf("%s/%s", dir, e->d_name);
			unlink(p);
			free(p);
		}
		closedir(d);
	}
	rmdir(dir);
}

int
fixture_teardown(void **state)
{
	struct fixture *f = *state;

	if (f == NULL)
		return 0;
	db_close(f->db);
	remove_dir(f->dir);
	free(f->path);
	free(f->dir);
	free(f);
	*state = NULL;
	return 0;
}

static void
begin(struct fixture *f)
{
	struct error err = ERROR_INIT;

	if (db_begin(f->db, &err) != 0)
		fail_error("fixture: begin", &err, NULL);
}

static void
commit(struct fixture *f)
{
	struct error err = ERROR_INIT;

	if (db_commit(f->db, &err) != 0)
		fail_error("fixture: commit", &err, NULL);
}

long long
fixture_program(struct fixture *f, const char *yaml)
{
	struct error err = ERROR_INIT;
	struct ops_ctx o = fixture_ops(f, DATE_NONE);
	struct ops_program res;
	long long id;

	begin(f);
	if (ops_program_add(&o, "fixture.yaml", yaml, strlen(yaml), &res,
	    &err) != 0) {
		db_rollback(f->db);
		fail_error("fixture_program", &err, &res.problems);
	}
	commit(f);
	id = res.id;
	ops_program_free(&res);
	return id;
}

size_t
fixture_people(struct fixture *f, const char *csv)
{
	struct error err = ERROR_INIT;
	struct ops_ctx o = fixture_ops(f, DATE_NONE);
	struct csv_reader *r = csv_open_mem("people.csv", csv, strlen(csv));
	struct ops_import res;
	size_t n;

	begin(f);
	if (ops_people_import(&o, r, &res, &err) != 0) {
		db_rollback(f->db);
		csv_close(r);
		fail_error("fixture_people", &err, &res.problems);
	}
	commit(f);
	csv_close(r);
	n = res.rows;
	ops_import_free(&res);
	return n;
}

void
fixture_training(struct fixture *f, const char *email, const char *name,
    const char *on)
{
	struct error err = ERROR_INIT;
	struct ops_ctx o = fixture_ops(f, DATE_NONE);
	struct ops_training req;

	memset(&req, 0, sizeof req);
	req.email = email;
	req.name = name;
	req.on = on ? fixture_day(on) : f->today;
	begin(f);
	if (ops_training_add(&o, &req, &err) != 0) {
		db_rollback(f->db);
		fail_error("fixture_training", &err, NULL);
	}
	commit(f);
	ops_training_free(&req);
}

long long
fixture_enroll(struct fixture *f, const char *slug, const char *email,
    const char *role, int capacity, const char *goal)
{
	struct error err = ERROR_INIT;
	struct ops_ctx o = fixture_ops(f, DATE_NONE);
	struct ops_enroll req;
	struct program *p = NULL;
	long long program_id, id;
	int r;

	if ((r = enrollment_role_parse(role)) < 0)
		fail_msg("fixture_enroll: role '%s'", role);
	memset(&req, 0, sizeof req);
	req.email = email;
	req.role = (enum program_role)r;
	req.set_capacity = capacity > 0;
	req.capacity = capacity;
	req.set_goal = goal != NULL;
	req.goal = goal;
	begin(f);
	if (ops_program_load(&o, slug, &program_id, &p, &err) != 0 ||
	    ops_enroll(&o, program_id, p, &req, &err) != 0) {
		db_rollback(f->db);
		program_free(p);
		fail_error("fixture_enroll", &err, NULL);
	}
	commit(f);
	program_free(p);
	id = req.done.id;
	ops_enroll_free(&req);
	return id;
}

long long
fixture_count(struct fixture *f, const char *sql)
{
	struct error err = ERROR_INIT;
	long long v = 0;

	if (db_query_int(f->db, sql, NULL, 0, &v, &err) != 0)
		fail_error("fixture_count", &err, NULL);
	return v;
}

void
fixture_begin(struct fixture *f)
{
	begin(f);
}

void
fixture_commit(struct fixture *f)
{
	commit(f);
}

long long
fixture_world(struct fixture *f, long long *enrollment)
{
	static const struct {
		const char *email, *role;
	} who[FIXTURE_NWHO] = {
		{ "ana@example.org", "mentor" }, { "cy@example.org", "mentor" },
		{ "bo@example.org", "mentee" }, { "di@example.org", "mentee" },
		{ "ed@example.org", "mentee" },
	};
	long long id = fixture_program(f, FIXTURE_PROGRAM), e;
	size_t i;

	fixture_people(f, "email,name,department,level,hired_on\n"
	    "ana@example.org,Ana,Eng,6,2015-01-01\n"
	    "cy@example.org,Cy,Ops,5,2018-03-01\n"
	    "bo@example.org,Bo,Ops,2,2024-01-01\n"
	    "di@example.org,Di,Eng,1,2025-06-01\n"
	    "ed@example.org,Ed,Sales,2,2023-09-01\n");
	fixture_training(f, "ana@example.org", "mentor-basics", "2026-05-01");
	fixture_training(f, "cy@example.org", "mentor-basics", "2026-05-01");
	for (i = 0; i < FIXTURE_NWHO; i++) {
		e = fixture_enroll(f, "fixture", who[i].email, who[i].role, 0,
		    NULL);
		if (enrollment != NULL)
			enrollment[i] = e;
	}
	return id;
}

long long
fixture_pair(struct fixture *f, const char *slug, const char *mentor,
    const char *mentee, bool accept)
{
	struct error err = ERROR_INIT;
	struct ops_ctx o = fixture_ops(f, DATE_NONE);
	struct program *p = NULL;
	struct ops_pair req;
	struct ops_answer a;
	long long program_id, id;

	memset(&req, 0, sizeof req);
	req.mentor_email = mentor;
	req.mentee_email = mentee;
	req.force = true;
	begin(f);
	if (ops_program_load(&o, slug, &program_id, &p, &err) != 0 ||
	    ops_pair(&o, program_id, p, &req, &err) != 0) {
		db_rollback(f->db);
		program_free(p);
		fail_error("fixture_pair", &err, NULL);
	}
	id = req.made.id;
	ops_pair_free(&req);
	program_free(p);
	if (accept && ops_accept(&o, id, NULL, &a, &err) != 0) {
		db_rollback(f->db);
		fail_error("fixture_pair: accept", &err, NULL);
	}
	if (accept)
		ops_answer_free(&a);
	commit(f);
	return id;
}
