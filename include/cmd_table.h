#ifndef MENTORCTL_CMD_TABLE_H
#define MENTORCTL_CMD_TABLE_H

#include <stdio.h>

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

#endif
