#ifndef MENTORCTL_CORE_FORM_H
#define MENTORCTL_CORE_FORM_H

#include <stdbool.h>
#include <stddef.h>

/*
 * The cells of a form tool's export (Microsoft Forms, Google Forms, or a
 * plain file), as `checkin --csv` and `feedback --csv` read them: dates
 * and timestamps in the tools' formats, ratings written as text, durations,
 * and question headers compared loosely.  Pure: no database, no printing.
 *
 * Dates.  Accepted: ISO "YYYY-MM-DD" with an optional time ("T" or a space,
 * then HH:MM or HH:MM:SS, the time ignored), and slash dates "A/B/YY" or
 * "A/B/YYYY" with an optional time (also "AM"/"PM").  A slash date is read
 * month first (M/D, the US order of both tools' English exports) or day
 * first (D/M) by an order: given (--date-order), or the file's (when one
 * of its slash dates has a first number above 12, and none a second above
 * 12, the file is day first; the other way round, month first), or else
 * per date: a two-digit year is month first (Microsoft Forms "1/25/27"),
 * a four-digit year is read only when one reading is a real date or both
 * give the same day; "3/4/2027" is then ambiguous and refused.
 */

enum form_date_order {
	FORM_ORDER_AUTO,
	FORM_ORDER_MDY,
	FORM_ORDER_DMY,
};

struct form_date {
	bool iso;          /* YYYY-MM-DD: a, b are month and day */
	int a, b;          /* a slash date's first and second numbers */
	int year;          /* four digits (a two-digit year + 2000) */
	bool short_year;   /* written with two digits */
};

/* Parse s: 0, or -1 when it is no date of these shapes. */
int form_date_scan(const char *s, struct form_date *d);

/*
 * What d says of the file's order: *dmy when it can only be day first,
 * *mdy when it can only be month first (both left alone otherwise).
 */
void form_date_evidence(const struct form_date *d, bool *dmy, bool *mdy);

/*
 * The day (core/date.h) of d read in order.  -1 with why (a phrase such as
 * "ambiguous: 3 April or March 4; give --date-order dmy or mdy") filled
 * when it is not a real date in that order, or ambiguous.
 */
int form_date_day(const struct form_date *d, enum form_date_order order,
    int *day, char *why, size_t whysz);

/* "mdy", "dmy": the order; -1 for anything else. */
int form_date_order_parse(const char *s);

/*
 * A rating cell: "4", "4 - Good", "4/5", "4 stars".  0 with *n the number
 * (any size: the caller checks the range), -1 when the cell does not start
 * with a number.
 */
int form_number_lead(const char *s, long *n);

/*
 * A duration cell in minutes: "45", "45 min", "45 minutes", "1 h",
 * "1.5 hours", "1h30".  0 with *minutes, -1 when unreadable.
 */
int form_minutes(const char *s, long *minutes);

/*
 * A header as compared with the aliases: lower case, '_' and '-' and runs
 * of blanks as one space, trailing '?', ':', '*' and blanks removed,
 * "e-mail" as "email".  Writes into out (at most outsz bytes, truncated).
 */
void form_header_key(const char *s, char *out, size_t outsz);

#endif
