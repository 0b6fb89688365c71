#ifndef MENTORCTL_UTIL_ERROR_H
#define MENTORCTL_UTIL_ERROR_H

#include <stddef.h>
#include <sysexits.h>

/*
 * One error on its way up to the command that prints it.  code is the exit
 * status the spec assigns (EX_DATAERR, EX_NOINPUT, ...); msg is one line,
 * lower-case, no full stop, already carrying "FILE:LINE: " when there is a
 * location.  Below cmd_*.c nothing prints: functions fill this and return -1.
 */
struct error {
	int code;
	char *msg;
};

#define ERROR_INIT { 0, NULL }

/* Set (replacing any earlier message) and return -1, for "return error_set(...)". */
int error_set(struct error *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Prefix the current message, e.g. with "people.csv:14: ". */
void error_prefix(struct error *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void error_clear(struct error *err);

/*
 * A list of located problems (YAML and CSV validation report all of them,
 * not just the first).  line/col are 1-based; 0 means unknown.
 */
struct diag {
	char *file;
	int line;
	int col;
	char *msg;
};

struct diags {
	struct diag *v;
	size_t n;
	size_t cap;
};

#define DIAGS_INIT { NULL, 0, 0 }

void diags_add(struct diags *d, const char *file, int line, int col,
    const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* "FILE:LINE:COL: msg" (parts that are unknown are left out); caller frees. */
char *diag_format(const struct diag *dg);
void diags_free(struct diags *d);

#endif
