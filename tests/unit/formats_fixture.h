/*
 * A real temporary database for the ops/ and store/ tests of cycles,
 * check-ins, re-ups, feedback, circles and rotations: a programme from
 * YAML text, people, enrollments and pairings made through the store and
 * ops functions the commands use (no raw SQL).  Included by one test file
 * each (everything is static).
 */
#ifndef FORMATS_FIXTURE_H
#define FORMATS_FIXTURE_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "config/program_yaml.h"
#include "core/date.h"
#include "core/people.h"
#include "core/program.h"
#include "ops/ops.h"
#include "ops/pairing.h"
#include "store/db.h"
#include "store/enrollment_store.h"
#include "store/person_store.h"
#include "store/program_store.h"
#include "util/error.h"
#include "util/xmalloc.h"

struct fx {
	char dir[64];
	char path[96];
	struct db *db;
	long long program_id;
	struct program *p;
	struct ops_ctx o;
};

static int
fx_day(const char *s)
{
	int d;

	assert_int_equal(date_parse(s, &d), 0);
	return d;
}

/* Fail the test with err's message when rc is not 0. */
static void
fx_ok(int rc, struct error *err)
{
	if (rc != 0)
		fail_msg("unexpected failure: %s", err->msg ? err->msg : "?");
	error_clear(err);
}

static void
fx_begin(struct fx *f)
{
	struct error err = ERROR_INIT;

	fx_ok(db_begin(f->db, &err), &err);
}

static void
fx_commit(struct fx *f)
{
	struct error err = ERROR_INIT;

	fx_ok(db_commit(f->db, &err), &err);
}

/* Open a fresh database in a temporary directory, today = `today`. */
static struct fx *
fx_new(const char *today)
{
	struct error err = ERROR_INIT;
	struct fx *f = xcalloc(1, sizeof *f);

	snprintf(f->dir, sizeof f->dir, "%s", "/tmp/mentorctl-ut.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof f->path, "%s/t.db", f->dir);
	f->db = db_open(f->path, DB_OPEN_CREATE, &err);
	if (f->db == NULL)
		fail_msg("db_open: %s", err.msg);
	db_set_command(f->db, "test", "tester", 0);
	f->o.db = f->db;
	f->o.today = fx_day(today);
	f->o.now = 1800000000;
	f->o.actor = "tester";
	return f;
}

static void
fx_free(struct fx *f)
{
	char cmd[160];

	if (f == NULL)
		return;
	db_close(f->db);
	program_free(f->p);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", f->dir);
	free(f);
}

static void
fx_today(struct fx *f, const char *today)
{
	f->o.today = fx_day(today);
}

/* Add the programme of this YAML text (f->program_id, f->p). */
static void
fx_program(struct fx *f, const char *yaml)
{
	struct error err = ERROR_INIT;
	struct diags d = DIAGS_INIT;

	f->p = cfg_program_parse("test.yaml", yaml, strlen(yaml), &d);
	if (f->p == NULL)
		fail_msg("yaml: %s", d.n ? d.v[0].msg : "?");
	diags_free(&d);
	fx_begin(f);
	fx_ok(store_program_add(f->db, f->p, yaml, "test.yaml",
	    &f->program_id, &err), &err);
	fx_commit(f);
}

/*
 * People from CSV-like rows: header "email,name,department,level,..."
 * then one string per row, fields separated by commas (no quoting).
 */
static void
fx_people(struct fx *f, const char *header, const char *const *rows,
    size_t n)
{
	struct error err = ERROR_INIT;
	struct people_sheet *s;
	struct person_counts counts;
	char *h = xstrdup(header), *tok, *save = NULL;
	const char *fields[32];
	size_t nf = 0, i;

	for (tok = strtok_r(h, ",", &save); tok && nf < 32;
	    tok = strtok_r(NULL, ",", &save))
		fields[nf++] = tok;
	s = people_sheet_new("people.csv", 1, fields, nf, NULL, false);
	for (i = 0; i < n; i++) {
		char *r = xstrdup(rows[i]), *p = r, *c;
		const char *cells[32];
		size_t nc = 0, row;

		while (nc < 32) {
			cells[nc++] = p;
			if ((c = strchr(p, ',')) == NULL)
				break;
			*c = '\0';
			p = c + 1;
		}
		people_sheet_add(s, (long)i + 2, cells, nc, &row);
		free(r);
	}
	assert_true(people_sheet_ok(s));
	fx_begin(f);
	fx_ok(store_person_prepare(f->db, s, false, &err), &err);
	fx_ok(store_person_apply(f->db, s, "people.csv", &counts, &err), &err);
	fx_commit(f);
	people_sheet_free(s);
	free(h);
}

/* Enroll email in role and evaluate the programme's rules for it. */
static long long
fx_enroll(struct fx *f, const char *email, enum program_role role)
{
	struct error err = ERROR_INIT;
	struct enrollment_in in;
	struct enrollment_out out;
	struct person_rec pr;

	fx_begin(f);
	fx_ok(store_person_get(f->db, email, &pr, &err), &err);
	memset(&in, 0, sizeof in);
	in.program_id = f->program_id;
	in.person_id = pr.id;
	in.email = email;
	in.role = role;
	fx_ok(store_enrollment_put(f->db, &in, 1, f->o.today, &out, &err), &err);
	fx_ok(store_enrollment_reevaluate(f->db, f->program_id, f->p,
	    f->o.today, &pr.id, 1, NULL, &err), &err);
	fx_commit(f);
	person_rec_free(&pr);
	return out.id;
}

/* A manual proposal (forced past the scoring rules), accepted by both. */
static long long
fx_pair(struct fx *f, const char *mentor, const char *mentee)
{
	struct error err = ERROR_INIT;
	struct ops_pair req;
	struct ops_answer a;
	long long id;

	memset(&req, 0, sizeof req);
	req.mentor_email = mentor;
	req.mentee_email = mentee;
	req.force = true;
	fx_begin(f);
	fx_ok(ops_pair(&f->o, f->program_id, f->p, &req, &err), &err);
	id = req.made.id;
	ops_pair_free(&req);
	if (f->p->matching.consent != CONSENT_NONE) {
		fx_ok(ops_accept(&f->o, id, NULL, &a, &err), &err);
		ops_answer_free(&a);
	}
	fx_commit(f);
	return id;
}

#endif
