#include "core/status.h"

#include <stddef.h>
#include <string.h>

static const char *const pairing_words[] = {
	[PAIRING_PROPOSED] = "proposed",
	[PAIRING_ACTIVE] = "active",
	[PAIRING_DECLINED] = "declined",
	[PAIRING_EXPIRED] = "expired",
	[PAIRING_ENDED] = "ended",
	[PAIRING_PLANNED] = "planned",
};

static const char *const origin_words[] = {
	[PAIRING_ORIGIN_MATCH] = "match",
	[PAIRING_ORIGIN_MANUAL] = "manual",
	[PAIRING_ORIGIN_SUGGEST] = "suggest",
};

static const char *const enrollment_words[] = {
	[ENROLLMENT_PENDING] = "pending",
	[ENROLLMENT_ELIGIBLE] = "eligible",
	[ENROLLMENT_ACTIVE] = "active",
	[ENROLLMENT_WITHDRAWN] = "withdrawn",
	[ENROLLMENT_COMPLETED] = "completed",
};

#define NWORDS(v) (sizeof v / sizeof v[0])

static const char *
word(const char *const *v, size_t n, int i)
{
	return i >= 0 && (size_t)i < n && v[i] ? v[i] : "unknown";
}

static int
parse(const char *const *v, size_t n, const char *s)
{
	size_t i;

	if (s == NULL)
		return -1;
	for (i = 0; i < n; i++)
		if (v[i] && strcmp(v[i], s) == 0)
			return (int)i;
	return -1;
}

const char *
pairing_status_name(enum pairing_status s)
{
	return word(pairing_words, NWORDS(pairing_words), (int)s);
}

int
pairing_status_parse(const char *s)
{
	return parse(pairing_words, NWORDS(pairing_words), s);
}

int
pairing_status_open(enum pairing_status s)
{
	return s == PAIRING_PROPOSED || s == PAIRING_ACTIVE ||
	    s == PAIRING_PLANNED;
}

const char *
pairing_origin_name(enum pairing_origin o)
{
	return word(origin_words, NWORDS(origin_words), (int)o);
}

int
pairing_origin_parse(const char *s)
{
	return parse(origin_words, NWORDS(origin_words), s);
}

const char *
enrollment_status_name(enum enrollment_status s)
{
	return word(enrollment_words, NWORDS(enrollment_words), (int)s);
}

int
enrollment_status_parse(const char *s)
{
	return parse(enrollment_words, NWORDS(enrollment_words), s);
}
