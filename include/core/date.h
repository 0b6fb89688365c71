#ifndef MENTORCTL_CORE_DATE_H
#define MENTORCTL_CORE_DATE_H

#include <limits.h>
#include <stdbool.h>
#include <time.h>

/*
 * Calendar days in the proleptic Gregorian calendar, counted as days since
 * 1970-01-01 (which is day 0).  Plain ints so that differences are day counts
 * and comparisons are integer comparisons.  DATE_NONE marks "no date".
 */
#define DATE_NONE INT_MIN
#define DATE_BUFSZ 11 /* "YYYY-MM-DD" + NUL */
#define TIMESTAMP_BUFSZ 21 /* "YYYY-MM-DDTHH:MM:SSZ" + NUL */
#define DATE_MIN_YEAR 1
#define DATE_MAX_YEAR 9999
/*
 * The day counts of 0001-01-01 and 9999-12-31.  Arithmetic whose result falls
 * outside them returns DATE_NONE (and DATE_NONE in gives DATE_NONE out);
 * date_format() and timestamp_format() write "" for what they cannot show.
 */
#define DATE_MIN_DAY (-719162)
#define DATE_MAX_DAY 2932896

enum date_unit {
	DATE_UNIT_DAY,
	DATE_UNIT_WEEK,
	DATE_UNIT_MONTH,
	DATE_UNIT_YEAR,
};

/* "6 months", "2 weeks", "10 days": n >= 0 units. */
struct duration {
	int n;
	enum date_unit unit;
};

bool date_is_leap(int year);
int date_days_in_month(int year, int month);
bool date_valid_ymd(int year, int month, int day);
/* No validation: callers check with date_valid_ymd first. */
int date_from_ymd(int year, int month, int day);
void date_to_ymd(int days, int *year, int *month, int *day);

/* Strict ISO 8601 calendar date "YYYY-MM-DD"; 0 on success, -1 if malformed or impossible. */
int date_parse(const char *s, int *days);
/* Writes "YYYY-MM-DD" into buf (DATE_BUFSZ bytes); returns buf. */
char *date_format(int days, char *buf);

/* ISO weekday: 1 = Monday ... 7 = Sunday. */
int date_weekday(int days);

/*
 * Calendar arithmetic.  Adding months keeps the day of month and clamps to the
 * month's end (Jan 31 + 1 month = Feb 28/29; Feb 29 + 1 year = Feb 28).
 * n may be negative.
 */
int date_add_days(int days, int n);
int date_add_months(int days, int n);
int date_add_years(int days, int n);
/* Apply a duration sign times (sign is +1 or -1). */
int date_add_duration(int days, struct duration d, int sign);

/* Tenure-style difference: whole years plus the fraction of the year after them (>= 0 only when to >= from). */
double date_years_between(int from, int to);

/* The UTC calendar day of a time_t. */
int date_from_time(time_t t);
/* "YYYY-MM-DDTHH:MM:SSZ" in UTC into buf (TIMESTAMP_BUFSZ bytes); returns buf. */
char *timestamp_format(time_t t, char *buf);

#endif
