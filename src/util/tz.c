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

#include "util/suggest.h"
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

/* ---- tz_problem ---- */

/* Abbreviations people write for a zone: where they are most often meant. */
static const struct {
	const char *abbr;
	const char *zone;
	const char *offset;
} tz_abbrevs[] = {
	{ "PST", "America/Los_Angeles", "-08:00" },
	{ "PDT", "America/Los_Angeles", "-07:00" },
	{ "PT", "America/Los_Angeles", "-08:00" },
	{ "MDT", "America/Denver", "-06:00" },
	{ "MT", "America/Denver", "-07:00" },
	{ "CST", "America/Chicago", "-06:00" },
	{ "CDT", "America/Chicago", "-05:00" },
	{ "CT", "America/Chicago", "-06:00" },
	{ "EDT", "America/New_York", "-04:00" },
	{ "ET", "America/New_York", "-05:00" },
	{ "BST", "Europe/London", "+01:00" },
	{ "CEST", "Europe/Paris", "+02:00" },
	{ "EEST", "Europe/Helsinki", "+03:00" },
	{ "MSK", "Europe/Moscow", "+03:00" },
	{ "IST", "Asia/Kolkata", "+05:30" },
	{ "SGT", "Asia/Singapore", "+08:00" },
	{ "HKT", "Asia/Hong_Kong", "+08:00" },
	{ "JST", "Asia/Tokyo", "+09:00" },
	{ "KST", "Asia/Seoul", "+09:00" },
	{ "AEST", "Australia/Sydney", "+10:00" },
	{ "AEDT", "Australia/Sydney", "+11:00" },
	{ "NZST", "Pacific/Auckland", "+12:00" },
	{ "BRT", "America/Sao_Paulo", "-03:00" },
	{ "WAT", "Africa/Lagos", "+01:00" },
	{ "EAT", "Africa/Nairobi", "+03:00" },
	{ "SAST", "Africa/Johannesburg", "+02:00" },
};

/* The zone names of the tz database's tables, read once. */
static char **tz_names;
static size_t tz_nnames;

static void
tz_read_table(const char *file, size_t *cap)
{
	char path[sizeof(TZ_ZONEINFO) + 32], line[512], *f, *end;
	FILE *fp;
	size_t i;
	int k;

	snprintf(path, sizeof path, "%s/%s", TZ_ZONEINFO, file);
	if ((fp = fopen(path, "r")) == NULL)
		return;
	while (fgets(line, sizeof line, fp) != NULL) {
		if (line[0] == '#')
			continue;
		/* code(s) TAB coordinates TAB name [TAB comment] */
		for (f = line, k = 0; k < 2 && f != NULL; k++)
			if ((f = strchr(f, '\t')) != NULL)
				f++;
		if (f == NULL)
			continue;
		end = f + strcspn(f, "\t\r\n");
		*end = '\0';
		if (*f == '\0')
			continue;
		for (i = 0; i < tz_nnames; i++)
			if (strcmp(tz_names[i], f) == 0)
				break;
		if (i < tz_nnames)
			continue;
		XGROW(tz_names, tz_nnames + 1, *cap);
		tz_names[tz_nnames++] = xstrdup(f);
	}
	fclose(fp);
}

static void
tz_load_names(void)
{
	static int loaded;
	size_t cap = 0;

	if (loaded)
		return;
	loaded = 1;
	tz_read_table("zone1970.tab", &cap);
	tz_read_table("zone.tab", &cap);
	XGROW(tz_names, tz_nnames + 1, cap);
	tz_names[tz_nnames++] = xstrdup("UTC");
}

static int
ci_equal(const char *a, const char *b)
{
	for (; *a && *b; a++, b++)
		if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
			return 0;
	return *a == *b;
}

char *
tz_problem(const char *zone)
{
	const char *near = NULL;
	size_t i;

	if (tz_valid(zone))
		return NULL;
	for (i = 0; i < sizeof tz_abbrevs / sizeof tz_abbrevs[0]; i++)
		if (ci_equal(zone, tz_abbrevs[i].abbr))
			return xasprintf("'%s' is an abbreviation, not a time "
			    "zone (it does not say when summer time applies): "
			    "write an IANA name such as %s, or an offset such "
			    "as %s", zone, tz_abbrevs[i].zone,
			    tz_abbrevs[i].offset);
	tz_load_names();
	for (i = 0; i < tz_nnames; i++)
		if (ci_equal(zone, tz_names[i]))
			return xasprintf("'%s' is not a time zone this system "
			    "knows; did you mean '%s'? (names are "
			    "case-sensitive)", zone, tz_names[i]);
	near = suggest_nearest(zone, (const char *const *)tz_names, tz_nnames);
	if (near == NULL) {
		/* "berlin" for Europe/Berlin: match the part after the slash. */
		for (i = 0; i < tz_nnames && near == NULL; i++) {
			const char *city = strrchr(tz_names[i], '/');

			if (city && ci_equal(zone, city + 1))
				near = tz_names[i];
		}
	}
	if (near != NULL)
		return xasprintf("'%s' is not a time zone this system knows; "
		    "did you mean '%s'?", zone, near);
	return xasprintf("'%s' is not a time zone this system knows (expected "
	    "an IANA name such as Europe/Berlin, or an offset such as "
	    "+05:30)", zone);
}
