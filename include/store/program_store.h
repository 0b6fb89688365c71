#ifndef MENTORCTL_STORE_PROGRAM_STORE_H
#define MENTORCTL_STORE_PROGRAM_STORE_H

#include <stddef.h>

#include "core/program.h"
#include "util/error.h"

struct db;

/* A stored programme's current row, with enrollment counts for listings. */
struct program_row {
	long long id;
	char *slug;
	char *name;
	char *purpose;
	char *format;
	char *owner;
	char *contact;
	int version;
	char *created_at;
	char *updated_at;
	long long mentors;      /* enrollments not withdrawn */
	long long mentees;
	long long active_pairings;
};

void program_row_free(struct program_row *r);
void program_rows_free(struct program_row *rows, size_t n);

/*
 * Store a new programme (version 1).  yaml is the file's text as given,
 * source its path.  A slug that exists already is EX_DATAERR.  It is in
 * force from day (store_program_add: the day it is stored).
 */
int store_program_add(struct db *db, const struct program *p, const char *yaml,
    const char *source, long long *id, struct error *err);
int store_program_add_on(struct db *db, const struct program *p,
    const char *yaml, const char *source, int day, long long *id,
    struct error *err);
/*
 * Store a new version of an existing programme, in force from day.
 * *changed is 0 (and nothing is written) when the YAML is byte-for-byte
 * the current version.  Every version is kept.
 */
int store_program_update(struct db *db, const struct program *p,
    const char *yaml, const char *source, int day, long long *id,
    int *version, int *changed, struct error *err);
int store_program_list(struct db *db, struct program_row **rows, size_t *n,
    struct error *err);
/* Unknown slug: EX_DATAERR "unknown programme 'x'". */
int store_program_get(struct db *db, const char *slug, struct program_row *row,
    struct error *err);
/* The id of SLUG, without the counts of store_program_get; unknown: EX_DATAERR. */
int store_program_id(struct db *db, const char *slug, long long *id,
    struct error *err);
/* The YAML of a version (0 = current); the caller frees *yaml. */
int store_program_yaml(struct db *db, long long program_id, int version,
    char **yaml, struct error *err);
/*
 * The YAML of the version in force on day (the latest one stored in force
 * from that day or before; before the first, the first) and its number
 * (version may be NULL): what a report as of a past date reads.  The
 * caller frees *yaml.
 */
int store_program_yaml_as_of(struct db *db, long long program_id, int day,
    char **yaml, int *version, struct error *err);

/* Pairings of the programme that are proposed or active. */
int store_program_open_pairings(struct db *db, long long program_id,
    long long *n, struct error *err);

#endif
