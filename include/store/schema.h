#ifndef MENTORCTL_STORE_SCHEMA_H
#define MENTORCTL_STORE_SCHEMA_H

/* The schema version this build writes (PRAGMA user_version). */
#define SCHEMA_VERSION 9

/* SQL that takes a database from to_version - 1 to to_version; NULL past the end. */
const char *schema_migration(int to_version);

/*
 * PRAGMA application_id of every mentorctl database: "MNTR" in ASCII, set at
 * creation and by the first write to a database of an earlier release, so
 * that file(1) and mentorctl tell ours from another application's.
 */
#define SCHEMA_APPLICATION_ID 0x4D4E5452

/* Tables of schema 1 that every mentorctl database has (NULL-terminated). */
extern const char *const schema_core_tables[];

#endif
