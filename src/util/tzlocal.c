/*
 * Wall-clock times to instants, for calendars: the offset is the one in
 * force at the event's own local time.  Fixed offsets never change; an
 * IANA zone is asked for its offset at two candidate instants, the local
 * time read with the offsets in force half a day before and half a day
 * after, and the candidate whose offset agrees with itself wins.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/tz.h"
#include "util/xmalloc.h"

/* Howard Hinnant's days_from_civil, as tz.c has it. */
static long long
days_from_civil(long long y, int m, int d)
{
	long long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* Offsets in minutes of zone at instants t[0..n-1], TZ set once. */
static int
offsets_at(const char *zone, const time_t *t, int *minutes, int n)
{
	char *saved = NULL, *tzval;
	const char *old;
	struct tm lt;
	long long local;
	int i, ok = 1;

	if ((old = getenv("TZ")) != NULL)
		saved = xstrdup(old);
	tzval = xasprintf(":%s", zone);
	setenv("TZ", tzval, 1);
	tzset();
	for (i = 0; i < n && ok; i++) {
		if (localtime_r(&t[i], &lt) == NULL) {
			ok = 0;
			break;
		}
		local = days_from_civil(lt.tm_year + 1900LL, lt.tm_mon + 1,
		    lt.tm_mday) * 86400 + lt.tm_hour * 3600 + lt.tm_min * 60 +
		    lt.tm_sec;
		minutes[i] = (int)((local - (long long)t[i]) / 60);
	}
	if (saved != NULL) {
		setenv("TZ", saved, 1);
		free(saved);
	} else
		unsetenv("TZ");
	tzset();
	free(tzval);
	return ok ? 0 : -1;
}

static int
prefix_ci(const char *s, const char *p)
{
	for (; *p != '\0'; s++, p++)
		if (tolower((unsigned char)*s) != *p)
			return 0;
	return 1;
}

/*
 * Whether zone (trimmed into buf) is an IANA name rather than a fixed
 * offset, as tz_offset tells them apart: UTC, Z, GMT and signed offsets
 * (with or without the prefix) are fixed.
 */
static int
is_iana(const char *zone, char *buf, size_t size)
{
	size_t b = 0, e = strlen(zone);
	const char *rest;

	while (b < e && isspace((unsigned char)zone[b]))
		b++;
	while (e > b && isspace((unsigned char)zone[e - 1]))
		e--;
	if (e - b == 0 || e - b >= size)
		return 0;
	memcpy(buf, zone + b, e - b);
	buf[e - b] = '\0';
	if (buf[0] == '+' || buf[0] == '-' || strcmp(buf, "Z") == 0 ||
	    strcmp(buf, "z") == 0)
		return 0;
	if (prefix_ci(buf, "utc") || prefix_ci(buf, "gmt")) {
		rest = buf + 3;
		if (*rest == '\0' || *rest == '+' || *rest == '-')
			return 0;
	}
	return 1;
}

int
tz_local_to_utc(const char *zone, int day, int minutes, time_t *t)
{
	char name[160];
	long long local = (long long)day * 86400 + (long long)minutes * 60;
	time_t probe[2], cand[2];
	int off[2], check[2], fixed;

	if (zone == NULL || tz_offset(zone, day, &fixed) != 0)
		return -1;
	if (!is_iana(zone, name, sizeof name)) {
		*t = (time_t)(local - (long long)fixed * 60);
		return 0;
	}
	probe[0] = (time_t)(local - 12 * 3600);
	probe[1] = (time_t)(local + 12 * 3600);
	if (offsets_at(name, probe, off, 2) != 0)
		return -1;
	cand[0] = (time_t)(local - (long long)off[0] * 60);
	cand[1] = (time_t)(local - (long long)off[1] * 60);
	if (offsets_at(name, cand, check, 2) != 0)
		return -1;
	/* both true (the autumn repeat): the earlier; neither (the gap): before */
	if (check[0] == off[0] || check[1] != off[1])
		*t = cand[0];
	else
		*t = cand[1];
	if (check[0] == off[0] && check[1] == off[1] && cand[1] < cand[0])
		*t = cand[1];
	return 0;
}

int
tz_utc_to_local(const char *zone, time_t t, int *day, int *minutes)
{
	char name[160];
	long long local, d;
	int off;

	if (zone == NULL || tz_offset(zone, (int)(t / 86400), &off) != 0)
		return -1;
	if (is_iana(zone, name, sizeof name) && offsets_at(name, &t, &off,
	    1) != 0)
		return -1;
	local = (long long)t + (long long)off * 60;
	d = local >= 0 ? local / 86400 : -((-local + 86399) / 86400);
	*day = (int)d;
	*minutes = (int)((local - d * 86400) / 60);
	return 0;
}
