#ifndef MENTORCTL_STORE_SCHEMA_H
#define MENTORCTL_STORE_SCHEMA_H

/* The schema version this build writes (PRAGMA user_version). */
#define SCHEMA_VERSION 2

/* SQL that takes a database from to_version - 1 to to_version; NULL past the end. */
const char *schema_migration(int to_version);

#endif
