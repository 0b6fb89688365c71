#include "core/date.h"

#include <stdio.h>

/*
 * The civil <-> day-count conversions are Howard Hinnant's days_from_civil and
 * civil_from_days (http://howardhinnant.github.io/date_algorithms.html): they
 * count in 400-year eras starting on March 1st so that the leap day is the
 * last day of the computational year, and they floor correctly for negative
 * day counts.  They are exact for any year whose day count fits in an int,
 * which is why the public arithmetic checks the DATE_*_YEAR range only on its
 * results.
 */

static long long
days_from_civil(long long y, int m, int d)
{
	long long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void
civil_from_days(long long z, long long *yp, int *mp, int *dp)
{
	long long era, doe, yoe, y, doy, mq;
	int m;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mq = (5 * doy + 2) / 153;
	*dp = (int)(doy - (153 * mq + 2) / 5 + 1);
	m = (int)(mq < 10 ? mq + 3 : mq - 9);
	*mp = m;
	*yp = y + (m <= 2);
}

/* Results outside years 1..9999 become DATE_NONE rather than wrapping. */
static int
date_checked(long long days)
{
	if (days < DATE_MIN_DAY || days > DATE_MAX_DAY)
		return DATE_NONE;
	return (int)days;
}

static bool
date_in_range(int days)
{
	return days >= DATE_MIN_DAY && days <= DATE_MAX_DAY;
}

static bool
leap_ll(long long y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
days_in_month_ll(long long y, int m)
{
	static const int mdays[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};

	if (m < 1 || m > 12)
		return 0;
	if (m == 2 && leap_ll(y))
		return 29;
	return mdays[m - 1];
}

bool
date_is_leap(int year)
{
	return leap_ll(year);
}

int
date_days_in_month(int year, int month)
{
	return days_in_month_ll(year, month);
}

bool
date_valid_ymd(int year, int month, int day)
{
	if (year < DATE_MIN_YEAR || year > DATE_MAX_YEAR)
		return false;
	if (month < 1 || month > 12)
		return false;
	return day >= 1 && day <= date_days_in_month(year, month);
}

int
date_from_ymd(int year, int month, int day)
{
	return (int)days_from_civil(year, month, day);
}

void
date_to_ymd(int days, int *year, int *month, int *day)
{
	long long y;

	civil_from_days(days, &y, month, day);
	*year = (int)y;
}

static int
digits(const char *s, int n)
{
	int v = 0;

	while (n-- > 0) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (*s++ - '0');
	}
	return v;
}

int
date_parse(const char *s, int *days)
{
	int y, m, d;

	if (s == NULL)
		return -1;
	/* Checking each position before reading the next keeps short strings safe. */
	if ((y = digits(s, 4)) < 0 || s[4] != '-')
		return -1;
	if ((m = digits(s + 5, 2)) < 0 || s[7] != '-')
		return -1;
	if ((d = digits(s + 8, 2)) < 0 || s[10] != '\0')
		return -1;
	if (!date_valid_ymd(y, m, d))
		return -1;
	if (days != NULL)
		*days = date_from_ymd(y, m, d);
	return 0;
}

char *
date_format(int days, char *buf)
{
	int y, m, d;

	/* DATE_NONE and other days outside years 1..9999 would not fit. */
	if (!date_in_range(days)) {
		buf[0] = '\0';
		return buf;
	}
	date_to_ymd(days, &y, &m, &d);
	if (snprintf(buf, DATE_BUFSZ, "%04d-%02d-%02d", y, m, d) !=
	    DATE_BUFSZ - 1)
		buf[0] = '\0';
	return buf;
}

int
date_weekday(int days)
{
	int r = days % 7;

	if (r < 0)
		r += 7;
	/* Day 0, 1970-01-01, was a Thursday (ISO 4). */
	return (r + 3) % 7 + 1;
}

int
date_add_days(int days, int n)
{
	if (days == DATE_NONE)
		return DATE_NONE;
	return date_checked((long long)days + n);
}

static long long
add_months_raw(int days, long long n)
{
	long long y, total, ny;
	int m, d, nm, dim;

	civil_from_days(days, &y, &m, &d);
	total = y * 12 + (m - 1) + n;
	ny = total >= 0 ? total / 12 : -((-total + 11) / 12);
	nm = (int)(total - ny * 12) + 1;
	dim = days_in_month_ll(ny, nm);
	return days_from_civil(ny, nm, d < dim ? d : dim);
}

int
date_add_months(int days, int n)
{
	if (days == DATE_NONE)
		return DATE_NONE;
	if (n < -12 * 10000 || n > 12 * 10000)
		return DATE_NONE;
	return date_checked(add_months_raw(days, n));
}

int
date_add_years(int days, int n)
{
	if (days == DATE_NONE)
		return DATE_NONE;
	if (n < -10000 || n > 10000)
		return DATE_NONE;
	return date_checked(add_months_raw(days, 12LL * n));
}

int
date_add_duration(int days, struct duration d, int sign)
{
	long long n = (long long)d.n * (sign < 0 ? -1 : 1);

	if (days == DATE_NONE)
		return DATE_NONE;
	switch (d.unit) {
	case DATE_UNIT_DAY:
		return date_checked(days + n);
	case DATE_UNIT_WEEK:
		return date_checked(days + 7 * n);
	case DATE_UNIT_MONTH:
		if (n < -12 * 10000 || n > 12 * 10000)
			return DATE_NONE;
		return date_checked(add_months_raw(days, n));
	case DATE_UNIT_YEAR:
		if (n < -10000 || n > 10000)
			return DATE_NONE;
		return date_checked(add_months_raw(days, 12 * n));
	}
	return DATE_NONE;
}

/*
 * Anniversaries are always taken from the original date, not chained, so a
 * Feb 29 birthday falls on Feb 28 in common years and back on Feb 29 in leap
 * years.  The year after 9999 is still computed (raw) so that tenure up to
 * 9999-12-31 has a denominator.
 */
double
date_years_between(int from, int to)
{
	long long fy, ty, k, last, next;
	int fm, fd, tm, td;

	if (from == DATE_NONE || to == DATE_NONE)
		return 0.0;
	if (to < from)
		return -date_years_between(to, from);
	civil_from_days(from, &fy, &fm, &fd);
	civil_from_days(to, &ty, &tm, &td);
	k = ty - fy;
	last = add_months_raw(from, 12 * k);
	if (last > to) {
		k--;
		last = add_months_raw(from, 12 * k);
	}
	next = add_months_raw(from, 12 * (k + 1));
	return (double)k + (double)(to - last) / (double)(next - last);
}

int
date_from_time(time_t t)
{
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL)
		return DATE_NONE;
	if (tm.tm_year + 1900LL < DATE_MIN_YEAR ||
	    tm.tm_year + 1900LL > DATE_MAX_YEAR)
		return DATE_NONE;
	return date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

char *
timestamp_format(time_t t, char *buf)
{
	struct tm tm;

	buf[0] = '\0';
	if (gmtime_r(&t, &tm) == NULL)
		return buf;
	if (tm.tm_year + 1900LL < DATE_MIN_YEAR ||
	    tm.tm_year + 1900LL > DATE_MAX_YEAR)
		return buf;
	if (snprintf(buf, TIMESTAMP_BUFSZ, "%04d-%02d-%02dT%02d:%02d:%02dZ",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec) != TIMESTAMP_BUFSZ - 1)
		buf[0] = '\0';
	return buf;
}
