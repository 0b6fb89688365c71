#ifndef MENTORCTL_CORE_PROGRAM_TEMPLATE_H
#define MENTORCTL_CORE_PROGRAM_TEMPLATE_H

/*
 * `program new --template FORMAT`: a commented starting file for each
 * format, every key of mentorctl-program(5) the format uses with a value
 * that works and a comment saying what to change.  Pure: dates count from
 * the day passed in (the cycle starts on the Monday two weeks later).
 */

/* The template names, NULL-terminated: the formats plus "network". */
extern const char *const program_template_names[];

/*
 * The YAML text for template name with the given slug, or NULL for a
 * name that is not a template.  The caller frees it.  Every template
 * passes `program check` (tests/cli/t_program_new.sh), except "network",
 * which the caller refuses while the format is not supported.
 */
char *program_template(const char *name, const char *slug, int today);

#endif
