/*
 * Replays every file under tests/fuzz/regress/TARGET/ (inputs that once
 * crashed or broke a promise) and tests/fuzz/corpus/TARGET/ (the seeds)
 * through the fuzz targets' own bodies, so that `make check` with gcc keeps
 * each fixed crash fixed without clang or libFuzzer.  One cmocka test per
 * file, named after it.
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
#include <sys/stat.h>

#include "util/fileio.h"
#include "util/xmalloc.h"

/* A broken promise fails the test instead of aborting the binary. */
#define FUZZ_FAIL(msg) fail_msg("%s", (msg))
#include "../fuzz/targets.c"

#define REPLAY_MAX_SIZE (16 * 1024 * 1024)

struct replay {
	const struct fuzz_target *target;
	char *path;
};

static void
test_replay(void **state)
{
	struct replay *r = *state;
	struct error err = ERROR_INIT;
	char *buf = NULL, *exact;
	size_t len = 0;

	if (file_read_all(r->path, REPLAY_MAX_SIZE, &buf, &len, &err) == -1)
		fail_msg("%s", err.msg);
	/*
	 * Exactly len bytes, no NUL after them, as libFuzzer passes them:
	 * under `make asan` a read past the end is then caught here too.
	 */
	exact = xmalloc(len);
	memcpy(exact, buf, len);
	free(buf);
	r->target->fn((const uint8_t *)exact, len);
	free(exact);
}

struct tests {
	struct CMUnitTest *v;
	size_t n;
	size_t cap;
};

static int
skip_hidden(const struct dirent *de)
{
	return de->d_name[0] != '.';
}

/* Adds a test per regular file in dir; -1 when dir is missing. */
static int
add_dir(struct tests *t, const char *dir, const char *label,
    const struct fuzz_target *target)
{
	struct dirent **names;
	struct replay *r;
	struct stat st;
	char *path;
	int i, n;

	if ((n = scandir(dir, &names, skip_hidden, alphasort)) == -1)
		return -1;
	for (i = 0; i < n; i++) {
		path = xasprintf("%s/%s", dir, names[i]->d_name);
		if (stat(path, &st) == -1 || !S_ISREG(st.st_mode)) {
			free(path);
			free(names[i]);
			continue;
		}
		r = xcalloc(1, sizeof *r);
		r->target = target;
		r->path = path;
		XGROW(t->v, t->n + 1, t->cap);
		memset(&t->v[t->n], 0, sizeof t->v[t->n]);
		t->v[t->n].name = xasprintf("%s/%s/%s", label, target->name,
		    names[i]->d_name);
		t->v[t->n].test_func = test_replay;
		t->v[t->n].initial_state = r;
		t->n++;
		free(names[i]);
	}
	free(names);
	return 0;
}

/*
 * The files are found from the source's own path (make runs the tests at
 * the top of the tree) unless FUZZ_DIR says where tests/fuzz is.
 */
static char *
fuzz_dir(void)
{
	const char *env = getenv("FUZZ_DIR"), *slash;

	if (env != NULL && env[0] != '\0')
		return xstrdup(env);
	slash = strrchr(__FILE__, '/');
	if (slash == NULL)
		return xstrdup("../fuzz");
	return xasprintf("%.*s/../fuzz", (int)(slash - __FILE__), __FILE__);
}

int
main(void)
{
	struct tests t = { NULL, 0, 0 };
	char *top = fuzz_dir(), *dir;
	size_t i;
	int rc;

	for (i = 0; i < fuzz_ntargets; i++) {
		dir = xasprintf("%s/corpus/%s", top, fuzz_targets[i].name);
		/* The seeds are part of the tree: missing means lost. */
		if (add_dir(&t, dir, "corpus", &fuzz_targets[i]) == -1) {
			fprintf(stderr, "test_fuzz_regress: cannot read %s "
			    "(run from the top of the tree, or set "
			    "FUZZ_DIR)\n", dir);
			return 1;
		}
		free(dir);
		dir = xasprintf("%s/regress/%s", top, fuzz_targets[i].name);
		add_dir(&t, dir, "regress", &fuzz_targets[i]);
		free(dir);
	}
	rc = _cmocka_run_group_tests("fuzz_regress", t.v, t.n, NULL, NULL);
	for (i = 0; i < t.n; i++) {
		struct replay *r = (void *)t.v[i].initial_state;

		free(r->path);
		free(r);
		free((char *)t.v[i].name);
	}
	free(t.v);
	free(top);
	return rc;
}
