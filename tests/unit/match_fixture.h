/*
 * A real temporary database for the matching tests (store/ and ops/): a
 * programme from YAML text, people from CSV lines, enrollments, made
 * through the same store functions the commands use.  Header-only so that
 * each test binary stays one file.  Every helper asserts success.
 */
#ifndef MATCH_FIXTURE_H
#define MATCH_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config/program_yaml.h"
#include "core/date.h"
#include "core/people.h"
#include "core/program.h"
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
	int today;
};

static inline void
fx_fail(const char *what, struct error *err)
{
	fprintf(stderr, "fixture: %s: %s\n", what, err->msg ? err->msg : "?");
	abort();
}

static inline struct fx *
fx_open(const char *today)
{
	struct fx *f = xcalloc(1, sizeof *f);
	struct error err = ERROR_INIT;

	snprintf(f->dir, sizeof f->dir, "/tmp/mentorctl-unit.XXXXXX");
	if (mkdtemp(f->dir) == NULL)
		abort();
	snprintf(f->path, sizeof f->path, "%s/t.db", f->dir);
	if ((f->db = db_open(f->path, DB_OPEN_CREATE, &err)) == NULL)
		fx_fail("open", &err);
	db_set_command(f->db, "test", "tester", 1800000000);
	if (date_parse(today, &f->today) != 0)
		abort();
	return f;
}

static inline void
fx_close(struct fx *f)
{
	char p[128];

	db_close(f->db);
	unlink(f->path);
	snprintf(p, sizeof p, "%s-wal", f->path);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", f->path);
	unlink(p);
	rmdir(f->dir);
	free(f);
}

/* A programme from YAML text: its id; *p (may be NULL) its definition. */
static inline long long
fx_program(struct fx *f, const char *yaml, struct program **p)
{
	struct diags d = DIAGS_INIT;
	struct error err = ERROR_INIT;
	struct program *prog;
	long long id;

	if ((prog = cfg_program_parse("t.yaml", yaml, strlen(yaml), &d)) == NULL) {
		fprintf(stderr, "fixture: yaml: %s\n", d.n ? d.v[0].msg : "?");
		abort();
	}
	diags_free(&d);
	if (store_program_add(f->db, prog, yaml, "t.yaml", &id, &err) != 0)
		fx_fail("program", &err);
	if (p)
		*p = prog;
	else
		program_free(prog);
	return id;
}

/* Split a CSV line without quotes into fields (modifies line). */
static inline size_t
fx_split(char *line, char **v, size_t max)
{
	size_t n = 0;
	char *s = line, *c;

	while (n < max) {
		v[n++] = s;
		if ((c = strchr(s, ',')) == NULL)
			break;
		*c = '\0';
		s = c + 1;
	}
	return n;
}

/* People from CSV lines (header first, no quoting), NULL-terminated. */
static inline void
fx_people(struct fx *f, const char *const *lines)
{
	struct error err = ERROR_INIT;
	struct people_sheet *s;
	struct person_counts c;
	char *buf, *v[32];
	size_t n, row;
	long k;

	buf = xstrdup(lines[0]);
	n = fx_split(buf, v, 32);
	s = people_sheet_new("people.csv", 1, (const char *const *)v, n, NULL,
	    false);
	free(buf);
	for (k = 1; lines[k]; k++) {
		buf = xstrdup(lines[k]);
		n = fx_split(buf, v, 32);
		if (people_sheet_add(s, k + 1, (const char *const *)v, n,
		    &row) < 0)
			abort();
		free(buf);
	}
	if (store_person_prepare(f->db, s, false, &err) != 0)
		fx_fail("people", &err);
	if (!people_sheet_ok(s)) {
		fprintf(stderr, "fixture: people: problems\n");
		abort();
	}
	if (store_person_apply(f->db, s, "people.csv", &c, &err) != 0)
		fx_fail("people", &err);
	people_sheet_free(s);
}

/* Enroll email as role (capacity < 0: the programme's), then qualify. */
static inline long long
fx_enroll(struct fx *f, long long pid, const struct program *p,
    const char *email, enum program_role role, int capacity)
{
	struct error err = ERROR_INIT;
	struct enrollment_in in;
	struct enrollment_out out;
	long long person;

	if (store_person_ids(f->db, &email, 1, &person, &err) != 0 ||
	    person == 0)
		fx_fail(email, &err);
	memset(&in, 0, sizeof in);
	in.program_id = pid;
	in.person_id = person;
	in.email = email;
	in.role = role;
	in.set_capacity = capacity >= 0;
	in.capacity = capacity;
	if (store_enrollment_put(f->db, &in, 1, f->today, &out, &err) != 0)
		fx_fail("enroll", &err);
	if (store_enrollment_reevaluate(f->db, pid, p, f->today, &person, 1,
	    NULL, &err) != 0)
		fx_fail("reevaluate", &err);
	return out.id;
}

#endif
