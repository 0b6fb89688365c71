#ifndef MENTORCTL_CMD_TABLE_H
#define MENTORCTL_CMD_TABLE_H

#include <stddef.h>
#include <stdio.h>

#include "util/strbuf.h"

#include "cmd.h"

/* For main.c: the table, lookup and parsing.  Commands use cmd.h. */
const struct cmd_entry *const *cmd_entries(void);
/* Words of argv used by the command name (1 or 2), or 0 after an error line. */
int cmd_lookup(int argc, char **argv, const struct cmd_entry **out);
/* 0, or the exit status (EX_USAGE, EX_DATAERR) after printing one error line. */
int cmd_parse_args(const struct cmd_entry *ce, int argc, char **argv,
    struct cmd_args *a);
void cmd_args_free(struct cmd_args *a);
void cmd_usage(FILE *fp, const struct cmd_entry *ce);
void cmd_family_usage(FILE *fp, const char *name);
/* The command (family NULL) or subcommand name nearest to word, or NULL. */
const char *cmd_nearest_name(const char *word, const char *family);
/* Append s to sb with control characters and invalid UTF-8 escaped. */
void cmd_escape_line(struct strbuf *sb, const char *s);
/* "mentorctl: PREFIX MSG\n" with MSG's control characters escaped. */
void cmd_print_line(FILE *fp, const char *prefix, const char *msg);
/* For the dispatcher: print "mentorctl: MSG" (escaped) and return code. */
int cmd_error(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Print err's message and return its code (EX_SOFTWARE when unset); clears err. */
int cmd_fail(struct error *err);
/* --today and the like: 0, or EX_DATAERR after an error line. */
int cmd_parse_date(const char *what, const char *s, int *out);

#endif
