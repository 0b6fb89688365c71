/*
 * Time-zone offsets.  Fixed offsets are parsed here; IANA names are resolved
 * by the C library with TZ pointed at the zone for the duration of one
 * localtime_r call, so that the system's tz database (and its updates) is
 * the authority on daylight saving rules.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "util/tz.h"
#include "util/xmalloc.h"

#define TZ_NAME_MAX 128

static int
prefix_ci(const char *s, const char *p)
{
	for (; *p != '\0'; s++, p++)
		if (tolower((unsigned char)*s) != *p)
			return 0;
	return 1;
}

/*
 * "UTC", "Z", "GMT", optionally followed by (or just) a signed offset:
 * +H, +HH, +H:MM, +HH:MM, +HHMM.  1 parsed, 0 not this syntax, -1 bad.
 */
static int
parse_fixed(const char *s, int *minutes)
{
	int h = 0, m = 0, sign, nd = 0;

	if (prefix_ci(s, "utc") || prefix_ci(s, "gmt"))
		s += 3;
	else if (s[0] == 'Z' || s[0] == 'z') {
		if (s[1] != '\0')
			return 0;
		*minutes = 0;
		return 1;
	} else if (s[0] != '+' && s[0] != '-')
		return 0;
	if (*s == '\0') {
		*minutes = 0;
		return 1;
	}
	if (*s != '+' && *s != '-')
		return 0;
	sign = *s++ == '-' ? -1 : 1;
	while (isdigit((unsigned char)*s) && nd < 4) {
		h = h * 10 + (*s++ - '0');
		nd++;
	}
	if (nd == 0)
		return -1;
	if (nd == 3 || nd == 4) {          /* HHMM */
		m = h % 100;
		h /= 100;
		if (nd == 3 && h >= 10)
			return -1;
	} else if (*s == ':') {
		s++;
		if (!isdigit((unsigned char)s[0]) ||
		    !isdigit((unsigned char)s[1]))
			return -1;
		m = (s[0] - '0') * 10 + (s[1] - '0');
		s += 2;
	}
	if (*s != '\0' || m >= 60 || h * 60 + m > 14 * 60)
		return -1;
	*minutes = sign * (h * 60 + m);
	return 1;
}

/* Howard Hinnant's days_from_civil: util/ stays independent of core/. */
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

static int
iana_name_ok(const char *s)
{
	char path[sizeof(TZ_ZONEINFO) + TZ_NAME_MAX + 2];
	unsigned char magic[4];
	struct stat st;
	const char *p;
	FILE *fp;
	size_t len = strlen(s);
	int n;

	if (len == 0 || len > TZ_NAME_MAX || s[0] == '/' || s[0] == '.' ||
	    strstr(s, "..") != NULL || strstr(s, "//") != NULL)
		return 0;
	for (p = s; *p != '\0'; p++)
		if (!isalnum((unsigned char)*p) && strchr("/_+-", *p) == NULL)
			return 0;
	n = snprintf(path, sizeof path, "%s/%s", TZ_ZONEINFO, s);
	if (n < 0 || (size_t)n >= sizeof path)
		return 0;
	if (stat(path, &st) == -1 || !S_ISREG(st.st_mode))
		return 0;
	if ((fp = fopen(path, "rb")) == NULL)
		return 0;
	n = fread(magic, 1, sizeof magic, fp) == sizeof magic &&
	    memcmp(magic, "TZif", 4) == 0;
	fclose(fp);
	return n;
}

static int
iana_offset(const char *name, int day, int *minutes)
{
	char *saved = NULL, *tzval;
	const char *old;
	struct tm lt;
	time_t t;
	long long local;
	int ok;

	/* years 1..9999, as everywhere in mentorctl */
	if (day < -719162 || day > 2932896)
		return -1;
	if ((old = getenv("TZ")) != NULL)
		saved = xstrdup(old);
	tzval = xasprintf(":%s", name);
	setenv("TZ", tzval, 1);
	tzset();
	t = (time_t)day * 86400 + 12 * 3600;
	ok = localtime_r(&t, &lt) != NULL;
	if (saved != NULL) {
		setenv("TZ", saved, 1);
		free(saved);
	} else
		unsetenv("TZ");
	tzset();
	free(tzval);
	if (!ok)
		return -1;
	local = days_from_civil(lt.tm_year + 1900LL, lt.tm_mon + 1,
	    lt.tm_mday) * 86400 + lt.tm_hour * 3600 + lt.tm_min * 60 +
	    lt.tm_sec;
	*minutes = (int)((local - (long long)t) / 60);
	return 0;
}

int
tz_offset(const char *zone, int day, int *minutes)
{
	char buf[TZ_NAME_MAX + 1];
	size_t b, e;
	int r;

	if (zone == NULL)
		return -1;
	/* people type " Europe/Paris " into spreadsheets */
	b = 0;
	e = strlen(zone);
	while (b < e && isspace((unsigned char)zone[b]))
		b++;
	while (e > b && isspace((unsigned char)zone[e - 1]))
		e--;
	if (e - b == 0 || e - b > TZ_NAME_MAX)
		return -1;
	memcpy(buf, zone + b, e - b);
	buf[e - b] = '\0';
	r = parse_fixed(buf, minutes);
	if (r != 0)
		return r == 1 ? 0 : -1;
	if (!iana_name_ok(buf))
		return -1;
	return iana_offset(buf, day, minutes);
}

bool
tz_valid(const char *zone)
{
	int m;

	return tz_offset(zone, 10957, &m) == 0;    /* 2000-01-01 */
}

struct tz_entry {
	char *zone;
	int day;
	int ok;
	int minutes;
};

struct tz_cache {
	struct tz_entry *v;
	size_t n, cap;
};

struct tz_cache *
tz_cache_new(void)
{
	return xcalloc(1, sizeof(struct tz_cache));
}

int
tz_cache_offset(struct tz_cache *c, const char *zone, int day, int *minutes)
{
	struct tz_entry *en;
	size_t i;

	if (zone == NULL)
		return -1;
	/* a handful of distinct zones: a linear scan beats hashing */
	for (i = 0; i < c->n; i++) {
		en = &c->v[i];
		if (en->day == day && strcmp(en->zone, zone) == 0) {
			if (en->ok)
				*minutes = en->minutes;
			return en->ok ? 0 : -1;
		}
	}
	XGROW(c->v, c->n + 1, c->cap);
	en = &c->v[c->n++];
	en->zone = xstrdup(zone);
	en->day = day;
	en->minutes = 0;
	en->ok = tz_offset(zone, day, &en->minutes) == 0;
	if (en->ok)
		*minutes = en->minutes;
	return en->ok ? 0 : -1;
}

void
tz_cache_free(struct tz_cache *c)
{
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; i < c->n; i++)
		free(c->v[i].zone);
	free(c->v);
	free(c);
}
