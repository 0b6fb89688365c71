/*
 * Cells of form tools' exports: dates in their formats, ratings as text,
 * durations, loose question headers.
 */
#include "core/form.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/date.h"

static const char *const months[] = {
	"January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December",
};

/* Digits at *p (at most max): their value, advancing *p; -1 when none. */
static int
digits(const char **p, int max, int *ndigits)
{
	int v = 0, n = 0;

	while (n < max && isdigit((unsigned char)**p)) {
		v = v * 10 + (**p - '0');
		(*p)++;
		n++;
	}
	if (ndigits != NULL)
		*ndigits = n;
	return n > 0 ? v : -1;
}

/* A time after a date: " HH:MM[:SS][ AM|PM]" or "THH:MM...", or nothing. */
static int
time_tail(const char *p)
{
	int n;

	if (*p == '\0')
		return 0;
	if (*p != ' ' && *p != 'T')
		return -1;
	while (*p == ' ' || *p == 'T')
		p++;
	if (*p == '\0')
		return 0;
	if (digits(&p, 2, &n) < 0 || *p++ != ':' || digits(&p, 2, &n) < 0 ||
	    n != 2)
		return -1;
	if (*p == ':') {
		p++;
		if (digits(&p, 2, &n) < 0 || n != 2)
			return -1;
		if (*p == '.' || *p == ',') {      /* fractions of a second */
			p++;
			if (digits(&p, 9, &n) < 0)
				return -1;
		}
	}
	if (*p == 'Z')
		p++;
	while (*p == ' ')
		p++;
	if ((p[0] == 'A' || p[0] == 'P' || p[0] == 'a' || p[0] == 'p') &&
	    (p[1] == 'M' || p[1] == 'm'))
		p += 2;
	while (*p == ' ')
		p++;
	return *p == '\0' ? 0 : -1;
}

int
form_date_scan(const char *s, struct form_date *d)
{
	const char *p = s;
	int n1, n2, n3;

	memset(d, 0, sizeof *d);
	while (*p == ' ')
		p++;
	d->a = digits(&p, 4, &n1);
	if (d->a < 0)
		return -1;
	if (n1 == 4 && *p == '-') {                 /* ISO */
		d->iso = true;
		d->year = d->a;
		p++;
		d->a = digits(&p, 2, &n2);
		if (d->a < 0 || n2 != 2 || *p++ != '-')
			return -1;
		d->b = digits(&p, 2, &n3);
		if (d->b < 0 || n3 != 2)
			return -1;
		return time_tail(p);
	}
	if (n1 > 2 || *p++ != '/')
		return -1;
	d->b = digits(&p, 2, &n2);
	if (d->b < 0 || *p++ != '/')
		return -1;
	d->year = digits(&p, 4, &n3);
	if (d->year < 0 || (n3 != 2 && n3 != 4))
		return -1;
	if (n3 == 2) {
		d->short_year = true;
		d->year += 2000;
	}
	return time_tail(p);
}

void
form_date_evidence(const struct form_date *d, bool *dmy, bool *mdy)
{
	if (d->iso)
		return;
	if (d->a > 12 && d->b >= 1 && d->b <= 12)
		*dmy = true;
	if (d->b > 12 && d->a >= 1 && d->a <= 12)
		*mdy = true;
}

static bool
ymd_ok(int y, int m, int day)
{
	return y >= DATE_MIN_YEAR && y <= DATE_MAX_YEAR &&
	    date_valid_ymd(y, m, day);
}

int
form_date_day(const struct form_date *d, enum form_date_order order,
    int *day, char *why, size_t whysz)
{
	bool md, dm;

	if (d->iso) {
		if (!ymd_ok(d->year, d->a, d->b)) {
			snprintf(why, whysz, "no such day");
			return -1;
		}
		*day = date_from_ymd(d->year, d->a, d->b);
		return 0;
	}
	md = ymd_ok(d->year, d->a, d->b);
	dm = ymd_ok(d->year, d->b, d->a);
	if (order == FORM_ORDER_AUTO && d->short_year)
		order = FORM_ORDER_MDY;
	switch (order) {
	case FORM_ORDER_MDY:
		if (!md) {
			snprintf(why, whysz, "not a month/day/year date%s",
			    dm ? " (give --date-order dmy for day first)" : "");
			return -1;
		}
		*day = date_from_ymd(d->year, d->a, d->b);
		return 0;
	case FORM_ORDER_DMY:
		if (!dm) {
			snprintf(why, whysz, "not a day/month/year date%s",
			    md ? " (give --date-order mdy for month first)" : "");
			return -1;
		}
		*day = date_from_ymd(d->year, d->b, d->a);
		return 0;
	case FORM_ORDER_AUTO:
		break;
	}
	if (md && dm && d->a != d->b) {
		snprintf(why, whysz, "ambiguous: %s %d or %d %s; give "
		    "--date-order mdy (month first) or dmy (day first)",
		    months[d->a - 1], d->b, d->a, months[d->b - 1]);
		return -1;
	}
	if (md) {
		*day = date_from_ymd(d->year, d->a, d->b);
		return 0;
	}
	if (dm) {
		*day = date_from_ymd(d->year, d->b, d->a);
		return 0;
	}
	snprintf(why, whysz, "no such day");
	return -1;
}

int
form_date_order_parse(const char *s)
{
	if (s == NULL)
		return FORM_ORDER_AUTO;
	if (strcmp(s, "mdy") == 0)
		return FORM_ORDER_MDY;
	if (strcmp(s, "dmy") == 0)
		return FORM_ORDER_DMY;
	return -1;
}

int
form_number_lead(const char *s, long *n)
{
	const char *p = s;
	long v = 0;

	while (isspace((unsigned char)*p))
		p++;
	if (!isdigit((unsigned char)*p))
		return -1;
	while (isdigit((unsigned char)*p)) {
		if (v < 100000000)
			v = v * 10 + (*p - '0');
		p++;
	}
	/* "4.5" is not a rating of 4 */
	if (*p == '.' || *p == ',')
		if (isdigit((unsigned char)p[1]))
			return -1;
	*n = v;
	return 0;
}

/* Does the rest of p (blanks skipped) start with one of the words? */
static const char *
unit_word(const char *p, const char *const *words)
{
	size_t i, n;

	while (*p == ' ')
		p++;
	for (i = 0; words[i] != NULL; i++) {
		n = strlen(words[i]);
		if (strncasecmp(p, words[i], n) == 0 &&
		    !isalpha((unsigned char)p[n]))
			return p + n;
	}
	return NULL;
}

int
form_minutes(const char *s, long *minutes)
{
	static const char *const hours[] = { "hours", "hour", "hrs", "hr",
		"h", NULL };
	static const char *const mins[] = { "minutes", "minute", "mins",
		"min", "m", NULL };
	const char *p = s, *q;
	long whole = 0, tenths = 0;
	int n;

	while (*p == ' ')
		p++;
	if ((whole = digits(&p, 5, &n)) < 0)
		return -1;
	if (*p == '.' || *p == ',') {
		p++;
		tenths = digits(&p, 1, &n);
		if (tenths < 0)
			return -1;
		while (isdigit((unsigned char)*p))
			p++;
		if ((q = unit_word(p, hours)) == NULL)
			return -1;          /* "1.5" minutes is not a duration */
		p = q;
		whole = whole * 60 + tenths * 6;
	} else if ((q = unit_word(p, hours)) != NULL) {
		p = q;
		whole *= 60;
		while (*p == ' ')
			p++;
		if (isdigit((unsigned char)*p)) {    /* "1h30", "1 h 30 min" */
			long m = digits(&p, 2, &n);

			whole += m;
			if ((q = unit_word(p, mins)) != NULL)
				p = q;
		}
	} else if ((q = unit_word(p, mins)) != NULL) {
		p = q;
	}
	while (*p == ' ' || *p == '.')
		p++;
	if (*p != '\0')
		return -1;
	*minutes = whole;
	return 0;
}

void
form_header_key(const char *s, char *out, size_t outsz)
{
	size_t n = 0, i;
	bool space = false;
	char *e;

	if (outsz == 0)
		return;
	for (; *s != '\0' && n + 1 < outsz; s++) {
		unsigned char c = (unsigned char)*s;

		/* a typographic apostrophe (U+2019), as forms write it */
		if (c == 0xe2 && (unsigned char)s[1] == 0x80 &&
		    (unsigned char)s[2] == 0x99) {
			s += 2;
			c = '\'';
		}

		if (c == '_' || c == '-' || isspace(c)) {
			space = n > 0;
			continue;
		}
		if (space && n + 2 < outsz)
			out[n++] = ' ';
		space = false;
		out[n++] = (char)tolower(c);
	}
	out[n] = '\0';
	/* a trailing "(minutes)" says the unit, not the question */
	if (n > 0 && out[n - 1] == ')' && (e = strrchr(out, '(')) != NULL &&
	    e > out) {
		*e = '\0';
		n = (size_t)(e - out);
	}
	while (n > 0 && strchr("?:* .", out[n - 1]) != NULL)
		out[--n] = '\0';
	/* e-mail, e mail: email */
	for (i = 0; i + 6 <= n; i++)
		if (strncmp(out + i, "e mail", 6) == 0 &&
		    (i == 0 || out[i - 1] == ' ')) {
			memmove(out + i + 1, out + i + 2, n - i - 1);
			n--;
		}
}
