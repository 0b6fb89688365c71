#include "io/calendar.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/xmalloc.h"

static char *
dup_or_null(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

void
calendar_init(struct calendar *c, const char *name, const char *uid_prefix,
    const char *organizer_name, const char *organizer_email)
{
	memset(c, 0, sizeof *c);
	c->name = dup_or_null(name);
	c->uid_prefix = xstrdup(uid_prefix ? uid_prefix : "");
	if (organizer_email != NULL && *organizer_email != '\0') {
		c->organizer.email = xstrdup(organizer_email);
		c->organizer.name = dup_or_null(organizer_name);
	}
}

void
calendar_free(struct calendar *c)
{
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; i < c->n; i++) {
		free(c->v[i].uid);
		free(c->v[i].summary);
		free(c->v[i].description);
		free(c->v[i].location);
	}
	free(c->v);
	free(c->name);
	free(c->uid_prefix);
	free((char *)c->organizer.email);
	free((char *)c->organizer.name);
	memset(c, 0, sizeof *c);
}

struct calendar_event *
calendar_add(struct calendar *c, const char *key, const char *summary,
    const char *description, const char *location)
{
	struct calendar_event *e;

	XGROW(c->v, c->n + 1, c->cap);
	e = &c->v[c->n++];
	memset(e, 0, sizeof *e);
	e->uid = xasprintf("%s%s", c->uid_prefix, key);
	e->summary = dup_or_null(summary);
	e->description = dup_or_null(description);
	e->location = dup_or_null(location);
	return e;
}

/* The event as written, pointers fixed up (the array may have moved). */
static void
event_of(const struct calendar *c, const struct calendar_event *e,
    struct ics_event *ev)
{
	*ev = e->ev;
	ev->uid = e->uid;
	ev->summary = e->summary;
	ev->description = e->description;
	ev->location = e->location;
	ev->attendees = NULL;
	ev->nattendees = 0;
	ev->organizer = c->organizer.email ? &c->organizer : NULL;
}

/* FNV-1a, 64 bits: a change detector, not a secret. */
static uint64_t
fnv1a(const char *s, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

void
calendar_digest(struct calendar *c)
{
	struct strbuf sb = STRBUF_INIT;
	struct ics_event ev;
	size_t i;

	for (i = 0; i < c->n; i++) {
		event_of(c, &c->v[i], &ev);
		ev.sequence = 0;
		strbuf_reset(&sb);
		/* DTSTAMP fixed, so that only the content counts */
		if (ics_event(&sb, &ev, 0, NULL) != 0)
			strbuf_addstr(&sb, "?");
		snprintf(c->v[i].digest, sizeof c->v[i].digest, "%016llx",
		    (unsigned long long)fnv1a(sb.buf, sb.len));
	}
	strbuf_release(&sb);
}

int
calendar_render(const struct calendar *c, const char *version, time_t dtstamp,
    struct strbuf *out, struct error *err)
{
	struct ics_event ev;
	size_t i;

	ics_begin_method(out, version, c->name, c->organizer.email ?
	    "PUBLISH" : NULL);
	for (i = 0; i < c->n; i++) {
		event_of(c, &c->v[i], &ev);
		if (ics_event(out, &ev, dtstamp, err) != 0)
			return -1;
	}
	ics_end(out);
	return 0;
}
