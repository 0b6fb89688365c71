#ifndef MENTORCTL_UTIL_TZ_H
#define MENTORCTL_UTIL_TZ_H

#include <stdbool.h>
#include <time.h>

/*
 * UTC offsets of the time-zone values people put in spreadsheets, on a given
 * calendar day (days since 1970-01-01, as in core/date.h), at noon UTC of
 * that day.  Accepted:
 *
 *	UTC, Z, GMT                      0
 *	UTC+5, UTC-03:30, GMT+1          fixed offsets (hours, optional :MM)
 *	+05:30, -0800, +5                the same without the prefix
 *	Europe/Paris, Asia/Kolkata       IANA names, from /usr/share/zoneinfo
 *
 * Names are case-sensitive like the tz database's files; prefixes are not.
 * An IANA name must be a TZif file under /usr/share/zoneinfo (nothing with
 * "..", no absolute path, no POSIX TZ rule strings).  Offsets are within
 * -14:00..+14:00.
 */

#define TZ_ZONEINFO "/usr/share/zoneinfo"

/*
 * Offset in minutes east of UTC of zone on day: 0, or -1 when the value is
 * not a zone.  IANA lookups set TZ for a moment and restore it: not for use
 * while another thread reads the local time.
 */
int tz_offset(const char *zone, int day, int *minutes);

/* Whether tz_offset would accept zone (on any day). */
bool tz_valid(const char *zone);

/*
 * Why zone is not a time zone this system knows, as one message with a
 * suggestion: the IANA name for a common abbreviation ("PST"), the right
 * spelling ("europe/berlin"), the nearest zone name, or the accepted
 * forms; NULL when tz_valid(zone).  The caller frees it.
 */
char *tz_problem(const char *zone);

/*
 * Callers with thousands of people and a handful of zones: a cache of
 * (value, day) -> offset, unknown values included.  The strings are copied.
 */
struct tz_cache;

struct tz_cache *tz_cache_new(void);
int tz_cache_offset(struct tz_cache *c, const char *zone, int day,
    int *minutes);
void tz_cache_free(struct tz_cache *c);

/*
 * The UTC instant of a wall-clock time: `minutes` after midnight of `day`
 * in zone (src/util/tzlocal.c), with the offset in force at that local
 * time, not at noon.  A local time skipped by a daylight-saving change is
 * read with the offset before the change (02:30 on the spring day in
 * Europe/Paris is 03:30 CEST); one that occurs twice is the first (02:30
 * on the autumn day is 02:30 CEST).  0, or -1 when zone is not a zone.
 */
int tz_local_to_utc(const char *zone, int day, int minutes, time_t *t);

/*
 * The other way: the wall-clock day and minutes after midnight in zone at
 * instant t, with the offset in force then.  0, or -1 when zone is not a
 * zone.
 */
int tz_utc_to_local(const char *zone, time_t t, int *day, int *minutes);

#endif
