#ifndef MENTORCTL_CONFIG_PROGRAM_YAML_H
#define MENTORCTL_CONFIG_PROGRAM_YAML_H

#include <stddef.h>

#include "core/program.h"
#include "util/error.h"

/* Programme files larger than this are refused before parsing. */
#define CFG_PROGRAM_MAX_SIZE (1024 * 1024)

/*
 * Parse YAML text (docs/mentorctl-program.5) into a programme.  Every problem
 * goes into d as FILE:LINE:COL (1-based), lower-case, no full stop, problem
 * first, subject quoted, e.g. "unknown key 'capcity' in roles.mentor".
 * Returns NULL when there was any problem, after reporting all of them;
 * name is the file name used in the diags.  text need not be NUL-terminated.
 */
struct program *cfg_program_parse(const char *name, const char *text,
    size_t len, struct diags *d);

/*
 * Read path ("-" is stdin) and parse it.  A missing file: NULL, err->code
 * EX_NOINPUT, "PATH: No such file or directory".  Problems in the YAML: NULL,
 * err->code EX_DATAERR with a one-line summary, and d filled.
 */
struct program *cfg_program_load(const char *path, struct diags *d,
    struct error *err);

#endif
