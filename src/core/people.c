#include "core/people.h"

#include <stdalign.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "util/strbuf.h"
#include "util/suggest.h"
#include "util/xmalloc.h"

const char *const people_fields[PEOPLE_NFIELDS] = {
	[PEOPLE_EMAIL] = "email",
	[PEOPLE_NAME] = "name",
	[PEOPLE_DEPARTMENT] = "department",
	[PEOPLE_TITLE] = "title",
	[PEOPLE_LEVEL] = "level",
	[PEOPLE_HIRED_ON] = "hired_on",
	[PEOPLE_LOCATION] = "location",
	[PEOPLE_TIMEZONE] = "timezone",
	[PEOPLE_MANAGER_EMAIL] = "manager_email",
};

#define QUOTE_MAX 60

static int
ascii_lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static bool
ascii_alnum(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9');
}

static bool
ascii_space(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' ||
	    c == '\f';
}

/* RFC 5322 atext: ASCII letters, digits and !#$%&'*+/=?^_`{|}~- */
static bool
email_atext(unsigned char c)
{
	/* Bit c of the 128 ASCII codes (checked against the list in tests). */
	static const uint64_t atext[2] = {
		0xa3ffacfa00000000ULL, 0x7fffffffc7fffffeULL,
	};

	return c < 128 && (atext[c >> 6] >> (c & 63) & 1);
}

static bool
email_local_valid(const char *s, size_t len)
{
	size_t i;

	if (len == 0 || len > 64 || s[0] == '.' || s[len - 1] == '.')
		return false;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '.') {
			if (s[i + 1] == '.')
				return false;
			continue;
		}
		if (!email_atext(c))
			return false;
	}
	return true;
}

static bool
email_domain_valid(const char *s)
{
	size_t label = 0, labels = 0;
	const char *p;

	for (p = s;; p++) {
		if (*p == '.' || *p == '\0') {
			if (label == 0 || label > 63 || p[-1] == '-')
				return false;
			labels++;
			label = 0;
			if (*p == '\0')
				break;
			continue;
		}
		if (*p == '-' && label == 0)
			return false;
		if (!ascii_alnum((unsigned char)*p) && *p != '-')
			return false;
		label++;
	}
	return labels >= 2;
}

bool
people_email_valid(const char *s)
{
	const char *at;

	if (s == NULL || strlen(s) > PEOPLE_EMAIL_MAX)
		return false;
	if ((at = strchr(s, '@')) == NULL || strchr(at + 1, '@') != NULL)
		return false;
	return email_local_valid(s, (size_t)(at - s)) &&
	    email_domain_valid(at + 1);
}

int
people_email_cmp(const char *a, const char *b)
{
	int ca, cb;

	do {
		ca = ascii_lower((unsigned char)*a++);
		cb = ascii_lower((unsigned char)*b++);
	} while (ca == cb && ca != '\0');
	return ca - cb;
}

char *
people_trim(char *s)
{
	size_t len;

	while (ascii_space((unsigned char)*s))
		s++;
	len = strlen(s);
	while (len > 0 && ascii_space((unsigned char)s[len - 1]))
		len--;
	s[len] = '\0';
	return s;
}

char *
people_header_name(const char *s)
{
	char *copy = xstrdup(s), *t = people_trim(copy), *p, *name;

	for (p = t; *p; p++) {
		if (*p == ' ' || *p == '-' || *p == '\t')
			*p = '_';
		else
			*p = (char)ascii_lower((unsigned char)*p);
	}
	name = xstrdup(t);
	free(copy);
	return name;
}

/*
 * Headers as HR systems and spreadsheets spell the standard fields
 * (normalised by people_header_name): read as those fields.
 */
static const struct {
	const char *alias;
	enum people_field field;
} field_aliases[] = {
	{ "e_mail", PEOPLE_EMAIL }, { "email_address", PEOPLE_EMAIL },
	{ "e_mail_address", PEOPLE_EMAIL }, { "work_email", PEOPLE_EMAIL },
	{ "work_e_mail", PEOPLE_EMAIL }, { "business_email", PEOPLE_EMAIL },
	{ "email_work", PEOPLE_EMAIL }, { "mail", PEOPLE_EMAIL },
	{ "full_name", PEOPLE_NAME }, { "display_name", PEOPLE_NAME },
	{ "employee_name", PEOPLE_NAME }, { "preferred_name", PEOPLE_NAME },
	{ "dept", PEOPLE_DEPARTMENT }, { "department_name", PEOPLE_DEPARTMENT },
	{ "job_title", PEOPLE_TITLE }, { "position", PEOPLE_TITLE },
	{ "position_title", PEOPLE_TITLE }, { "business_title", PEOPLE_TITLE },
	{ "job_level", PEOPLE_LEVEL }, { "seniority_level", PEOPLE_LEVEL },
	{ "hire_date", PEOPLE_HIRED_ON }, { "start_date", PEOPLE_HIRED_ON },
	{ "date_of_hire", PEOPLE_HIRED_ON }, { "hired", PEOPLE_HIRED_ON },
	{ "date_hired", PEOPLE_HIRED_ON }, { "hiring_date", PEOPLE_HIRED_ON },
	{ "joined_on", PEOPLE_HIRED_ON }, { "join_date", PEOPLE_HIRED_ON },
	{ "original_hire_date", PEOPLE_HIRED_ON },
	{ "office", PEOPLE_LOCATION }, { "work_location", PEOPLE_LOCATION },
	{ "office_location", PEOPLE_LOCATION },
	{ "time_zone", PEOPLE_TIMEZONE }, { "tz", PEOPLE_TIMEZONE },
	{ "manager_e_mail", PEOPLE_MANAGER_EMAIL },
	{ "manager_email_address", PEOPLE_MANAGER_EMAIL },
	{ "supervisor_email", PEOPLE_MANAGER_EMAIL },
	{ "line_manager_email", PEOPLE_MANAGER_EMAIL },
};

/*
 * Headers that may or may not be a standard field ("Manager" may hold a
 * name): refused, saying which field they could be, so that nothing is
 * silently stored as a free attribute that the rules never read.
 */
static const struct {
	const char *name;
	enum people_field field;
	const char *what;
} field_ambiguous[] = {
	{ "manager", PEOPLE_MANAGER_EMAIL, "the manager's e-mail address" },
	{ "supervisor", PEOPLE_MANAGER_EMAIL, "the manager's e-mail address" },
	{ "line_manager", PEOPLE_MANAGER_EMAIL, "the manager's e-mail address" },
	{ "reports_to", PEOPLE_MANAGER_EMAIL, "the manager's e-mail address" },
	{ "grade", PEOPLE_LEVEL, "the seniority level as a whole number" },
	{ "job_grade", PEOPLE_LEVEL, "the seniority level as a whole number" },
	{ "seniority", PEOPLE_LEVEL, "the seniority level as a whole number" },
};

int
people_field_alias(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof field_aliases / sizeof field_aliases[0]; i++)
		if (strcmp(field_aliases[i].alias, name) == 0)
			return (int)field_aliases[i].field;
	return -1;
}

char *
people_header_doubt(const char *name)
{
	size_t i, d, best = (size_t)-1, len = strlen(name);
	const char *near = NULL;
	int f;

	for (i = 0; i < sizeof field_ambiguous / sizeof field_ambiguous[0];
	    i++)
		if (strcmp(field_ambiguous[i].name, name) == 0)
			return xasprintf("column '%s' may be %s: name it '%s' if "
			    "it is, or something else (e.g. '%s_name') to keep "
			    "it as a free attribute", name,
			    field_ambiguous[i].what,
			    people_fields[field_ambiguous[i].field], name);
	/* A typing slip of a standard field or alias: one edit, two if long. */
	for (f = 0; f < PEOPLE_NFIELDS; f++) {
		d = suggest_distance(name, people_fields[f]);
		if (d < best) {
			best = d;
			near = people_fields[f];
		}
	}
	for (i = 0; i < sizeof field_aliases / sizeof field_aliases[0]; i++) {
		d = suggest_distance(name, field_aliases[i].alias);
		if (d < best) {
			best = d;
			near = people_fields[field_aliases[i].field];
		}
	}
	if (best == 0 || best > (len >= 8 ? 2u : 1u) || len < 4)
		return NULL;
	return xasprintf("unknown column '%s'; did you mean '%s'? (rename it; "
	    "to keep it as a free attribute, give it a name less like a "
	    "standard field)", name, near);
}

int
people_field_parse(const char *name)
{
	int i;

	for (i = 0; i < PEOPLE_NFIELDS; i++)
		if (strcmp(people_fields[i], name) == 0)
			return i;
	return -1;
}

int
people_parse_level(const char *s, int *level)
{
	const char *p = s;
	long v = 0;

	if (*p == '+' || *p == '-')
		p++;
	if (*p == '\0')
		return -1;
	for (; *p; p++) {
		if (*p < '0' || *p > '9')
			return -1;
		v = v * 10 + (*p - '0');
		if (v > PEOPLE_LEVEL_MAX + 1)
			return -1;
	}
	if (s[0] == '-')
		v = -v;
	if (v < PEOPLE_LEVEL_MIN || v > PEOPLE_LEVEL_MAX)
		return -1;
	*level = (int)v;
	return 0;
}

/* [+-]H, [+-]HH, [+-]HHMM or [+-]HH:MM, at most 14 hours. */
static bool
tz_offset_valid(const char *s)
{
	int h = 0, m = 0, nh = 0;

	if (*s != '+' && *s != '-')
		return false;
	for (s++; *s >= '0' && *s <= '9' && nh < 2; s++, nh++)
		h = h * 10 + (*s - '0');
	if (nh == 0)
		return false;
	if (*s == ':')
		s++;
	if (*s != '\0') {
		if (s[0] < '0' || s[0] > '5' || s[1] < '0' || s[1] > '9' ||
		    s[2] != '\0')
			return false;
		m = (s[0] - '0') * 10 + (s[1] - '0');
	}
	return h < 14 || (h == 14 && m == 0);
}

bool
people_timezone_valid(const char *s)
{
	bool start = true;

	if (strncmp(s, "UTC", 3) == 0 && (s[3] == '+' || s[3] == '-'))
		return tz_offset_valid(s + 3);
	if (strncmp(s, "GMT", 3) == 0 && (s[3] == '+' || s[3] == '-'))
		return tz_offset_valid(s + 3);
	if (*s == '+' || *s == '-')
		return tz_offset_valid(s);
	/* Area/Location[/Sublocation], e.g. America/Port-au-Prince, Etc/GMT+5. */
	for (; *s; s++) {
		if (start) {
			if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z')))
				return false;
			start = false;
		} else if (*s == '/') {
			start = true;
		} else if (!ascii_alnum((unsigned char)*s) &&
		    strchr("_+-", *s) == NULL) {
			return false;
		}
	}
	return !start;
}

char *
people_quote(const char *s)
{
	struct strbuf sb = STRBUF_INIT;
	size_t chars = 0;

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		/* Count code points by their lead bytes; never cut inside one. */
		if ((c & 0xC0) != 0x80 && chars++ == QUOTE_MAX) {
			strbuf_addstr(&sb, "...");
			break;
		}
		strbuf_addch(&sb, c < 0x20 || c == 0x7F ? '?' : c);
	}
	return strbuf_detach(&sb, NULL);
}

const char *
people_training_name(char *name, char **out)
{
	char *t = people_trim(name), *p;

	*out = t;
	if (*t == '\0')
		return "empty training name";
	if (strlen(t) > PEOPLE_TRAINING_MAX)
		return "training name longer than 100 bytes";
	for (p = t; *p; p++) {
		if ((unsigned char)*p < 0x20 || *p == 0x7F)
			return "control character in a training name";
		*p = (char)ascii_lower((unsigned char)*p);
	}
	return NULL;
}

/*
 * Strings of a sheet live in large blocks: a 100,000-row file has over a
 * million cells, and one allocation each would cost more than parsing them.
 */
#define ARENA_BLOCK (256 * 1024)

struct arena_block {
	struct arena_block *next;
	size_t used;
	size_t cap;
	alignas(max_align_t) unsigned char data[];
};

struct people_arena {
	struct arena_block *head;
	/*
	 * Blocks of earlier batches, kept for the next: freed and allocated
	 * again, each batch's blocks were fresh pages to fault in.
	 */
	struct arena_block *spare;
};

static void *
arena_alloc_align(struct people_arena *a, size_t n, size_t align)
{
	struct arena_block *b = a->head;
	size_t off;

	off = b ? (b->used + align - 1) & ~(align - 1) : 0;
	if (b == NULL || off + n > b->cap) {
		size_t cap = n > ARENA_BLOCK ? n : ARENA_BLOCK;

		if (n <= ARENA_BLOCK && a->spare != NULL) {
			b = a->spare;
			a->spare = b->next;
		} else {
			b = xmalloc(offsetof(struct arena_block, data) + cap);
			b->cap = cap;
		}
		b->used = 0;
		off = 0;
		/* An oversized block goes second so the current one stays open. */
		if (n > ARENA_BLOCK && a->head != NULL) {
			b->next = a->head->next;
			a->head->next = b;
		} else {
			b->next = a->head;
			a->head = b;
		}
	}
	b->used = off + n;
	return b->data + off;
}

static void *
arena_alloc(struct people_arena *a, size_t n)
{
	return arena_alloc_align(a, n, alignof(max_align_t));
}

/* Bytes of a string: no alignment, so e-mails pack tightly. */
static char *
arena_chars(struct people_arena *a, size_t n)
{
	return arena_alloc_align(a, n, 1);
}

/* A trimmed copy, without trimming s in place (it is the reader's). */
static char *
arena_trimdup(struct people_arena *a, const char *s)
{
	size_t len;
	char *t;

	while (ascii_space((unsigned char)*s))
		s++;
	len = strlen(s);
	while (len > 0 && ascii_space((unsigned char)s[len - 1]))
		len--;
	t = arena_chars(a, len + 1);
	memcpy(t, s, len);
	t[len] = '\0';
	return t;
}

static void
blocks_free(struct arena_block *b)
{
	struct arena_block *next;

	for (; b; b = next) {
		next = b->next;
		free(b);
	}
}

static void
arena_free(struct people_arena *a)
{
	if (a == NULL)
		return;
	blocks_free(a->head);
	blocks_free(a->spare);
	free(a);
}

/* Empty the arena, keeping its blocks of the usual size for reuse. */
static void
arena_reset(struct people_arena *a)
{
	struct arena_block *b, *next;

	for (b = a->head; b; b = next) {
		next = b->next;
		if (b->cap != ARENA_BLOCK) {
			free(b);
			continue;
		}
		b->next = a->spare;
		a->spare = b;
	}
	a->head = NULL;
}

/*
 * E-mails to what the sheet knows of them; keys compared as NOCASE does.
 * 16 bytes an entry: a file of a million people keeps a million of these,
 * probed at random, so their size is the cache misses of a large import.
 * The hash is kept whole, so that growing never reads the keys again.
 */
struct set_entry {
	uint32_t hash;		/* 0: free slot */
	uint32_t key;		/* offset of the key in the set's keys */
	int32_t line;
	int32_t row;		/* -1: seen on a rejected row; managers: 1 known */
};

struct people_set {
	struct set_entry *v;
	size_t cap;		/* a power of two */
	size_t n;
	char *keys;		/* the keys, each NUL-terminated */
	size_t keylen;
	size_t keycap;
};

static uint32_t
set_hash(const char *s)
{
	uint64_t h = 14695981039346656037ULL;

	for (; *s; s++) {
		h ^= (unsigned char)ascii_lower((unsigned char)*s);
		h *= 1099511628211ULL;
	}
	/* FNV's low bits mix poorly, and the mask keeps only those. */
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return (uint32_t)h | 1;		/* never 0, the free slot */
}

static const char *
set_key(const struct people_set *s, const struct set_entry *e)
{
	return s->keys + e->key;
}

static struct set_entry *
set_slot(const struct people_set *s, const char *key, uint32_t h)
{
	size_t i = h & (s->cap - 1);

	while (s->v[i].hash != 0 && (s->v[i].hash != h ||
	    people_email_cmp(set_key(s, &s->v[i]), key) != 0))
		i = (i + 1) & (s->cap - 1);
	return &s->v[i];
}

static struct set_entry *
set_find(const struct people_set *s, const char *key)
{
	struct set_entry *e;

	if (s->cap == 0)
		return NULL;
	e = set_slot(s, key, set_hash(key));
	return e->hash ? e : NULL;
}

static void
set_grow(struct people_set *s)
{
	size_t cap = s->cap ? s->cap * 2 : 1024, i, j;
	struct set_entry *v = xcalloc(cap, sizeof *v);

	for (i = 0; i < s->cap; i++) {
		if (s->v[i].hash == 0)
			continue;
		for (j = s->v[i].hash & (cap - 1); v[j].hash != 0;
		    j = (j + 1) & (cap - 1))
			;
		v[j] = s->v[i];
	}
	free(s->v);
	s->v = v;
	s->cap = cap;
}

/*
 * The entry for key, added with a copy of the key (and *added set) when
 * missing: one probe both asks and adds.  The entry is valid until the
 * next set_add.
 */
static struct set_entry *
set_add(struct people_set *s, const char *key, bool *added)
{
	struct set_entry *e;
	size_t len;
	uint32_t h;

	if ((s->n + 1) * 2 > s->cap)
		set_grow(s);
	h = set_hash(key);
	e = set_slot(s, key, h);
	*added = e->hash == 0;
	if (*added) {
		len = strlen(key) + 1;
		/* Offsets are 32 bits: past 4 GiB of e-mails, memory is out. */
		if (s->keylen + len > UINT32_MAX)
			xmalloc(SIZE_MAX);
		XGROW(s->keys, s->keylen + len, s->keycap);
		memcpy(s->keys + s->keylen, key, len);
		e->hash = h;
		e->key = (uint32_t)s->keylen;
		e->line = 0;
		e->row = -1;
		s->keylen += len;
		s->n++;
	}
	return e;
}

static void
set_free(struct people_set *s)
{
	if (s == NULL)
		return;
	free(s->v);
	free(s->keys);
	free(s);
}

/* A row's manager not seen in the file yet: settled after the last row. */
struct people_ref {
	const char *email;      /* in the keep arena */
	long line;
};

static char *
arena_strdup(struct people_arena *a, const char *s)
{
	size_t len = strlen(s);
	char *t = arena_chars(a, len + 1);

	memcpy(t, s, len + 1);
	return t;
}

static void
vproblem(struct people_sheet *s, long line, const char *field,
    const char *fmt, va_list ap)
{
	struct strbuf sb = STRBUF_INIT;
	struct people_problem *p;

	strbuf_vaddf(&sb, fmt, ap);
	XGROW(s->problems, s->nproblems + 1, s->probcap);
	p = &s->problems[s->nproblems];
	p->line = line;
	p->field = field ? xstrdup(field) : NULL;
	p->msg = strbuf_detach(&sb, NULL);
	p->seq = s->nproblems++;
}

void
people_sheet_problem(struct people_sheet *s, long line, const char *field,
    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vproblem(s, line, field, fmt, ap);
	va_end(ap);
}

static bool
is_reserved(const char *name, const char *const *reserved)
{
	for (; reserved && *reserved; reserved++)
		if (strcmp(*reserved, name) == 0)
			return true;
	return false;
}

struct people_sheet *
people_sheet_new(const char *name, long line, const char *const *header,
    size_t n, const char *const *reserved, bool allow_repeats)
{
	struct people_sheet *s = xcalloc(1, sizeof *s);
	char *doubt;
	size_t i, j;
	int f;

	s->name = xstrdup(name);
	s->allow_repeats = allow_repeats;
	s->arena = xcalloc(1, sizeof *s->arena);
	s->keep = xcalloc(1, sizeof *s->keep);
	s->emails = xcalloc(1, sizeof *s->emails);
	s->managers = xcalloc(1, sizeof *s->managers);
	s->ncols = n;
	s->cols = xcalloc(n + 1, sizeof *s->cols);
	s->kind = xcalloc(n + 1, sizeof *s->kind);
	s->attr_col = xcalloc(n + 1, sizeof *s->attr_col);
	for (f = 0; f < PEOPLE_NFIELDS; f++)
		s->field_col[f] = -1;
	for (i = 0; i < n; i++) {
		s->cols[i] = people_header_name(header[i]);
		if (s->cols[i][0] == '\0') {
			people_sheet_problem(s, line, NULL, "column %zu has no "
			    "name in the header", i + 1);
			s->kind[i] = PEOPLE_COL_IGNORED;
			continue;
		}
		for (j = 0; j < i; j++)
			if (strcmp(s->cols[j], s->cols[i]) == 0)
				break;
		if (j < i) {
			people_sheet_problem(s, line, NULL, "column '%s' appears "
			    "twice (columns %zu and %zu)", s->cols[i], j + 1,
			    i + 1);
			s->kind[i] = PEOPLE_COL_IGNORED;
			continue;
		}
		if (is_reserved(s->cols[i], reserved)) {
			s->kind[i] = PEOPLE_COL_RESERVED;
		} else if ((f = people_field_parse(s->cols[i])) >= 0 ||
		    (f = people_field_alias(s->cols[i])) >= 0) {
			if (s->field_col[f] >= 0) {
				people_sheet_problem(s, line, NULL, "columns '%s' "
				    "and '%s' both mean %s (columns %d and %zu)",
				    s->cols[s->field_col[f]], s->cols[i],
				    people_fields[f], s->field_col[f] + 1, i + 1);
				s->kind[i] = PEOPLE_COL_IGNORED;
				continue;
			}
			s->kind[i] = f;
			s->field_col[f] = (int)i;
			if (f != PEOPLE_EMAIL)
				s->has_person_columns = true;
		} else if ((doubt = people_header_doubt(s->cols[i])) != NULL) {
			people_sheet_problem(s, line, NULL, "%s", doubt);
			free(doubt);
			s->kind[i] = PEOPLE_COL_IGNORED;
		} else {
			s->kind[i] = PEOPLE_COL_ATTR;
			s->attr_col[s->nattr++] = i;
			s->has_person_columns = true;
		}
	}
	if (s->field_col[PEOPLE_EMAIL] < 0)
		people_sheet_problem(s, 0, NULL, "no 'email' column (the first "
		    "line must name the columns, one of them 'email')");
	s->usable = s->nproblems == 0;
	return s;
}

void
people_sheet_free(struct people_sheet *s)
{
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; i < s->ncols; i++)
		free(s->cols[i]);
	for (i = 0; i < s->nproblems; i++) {
		free(s->problems[i].field);
		free(s->problems[i].msg);
	}
	free(s->problems);
	free(s->cols);
	free(s->kind);
	free(s->attr_col);
	free(s->rows);
	free(s->refs);
	arena_free(s->arena);
	arena_free(s->keep);
	set_free(s->emails);
	set_free(s->managers);
	free(s->name);
	free(s);
}

int
people_sheet_column(const struct people_sheet *s, const char *name)
{
	size_t i;

	for (i = 0; i < s->ncols; i++)
		if (s->kind[i] != PEOPLE_COL_IGNORED &&
		    strcmp(s->cols[i], name) == 0)
			return (int)i;
	return -1;
}

/* A problem with a field of a row, which makes the row bad. */
static void
field_problem(struct people_sheet *s, struct people_row *r, int f,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void
field_problem(struct people_sheet *s, struct people_row *r, int f,
    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vproblem(s, r->line, people_fields[f], fmt, ap);
	va_end(ap);
	r->bad = true;
}

const char *
people_cell(const struct people_sheet *s, const char *cell)
{
	if (!s->keep_empty)
		return cell;
	if (*cell == '\0')
		return NULL;
	return strcmp(cell, PEOPLE_CLEAR) == 0 ? "" : cell;
}

static const char *check_cells(struct people_sheet *s, struct people_row *r);
static const char *row_manager(const struct people_sheet *s,
    const struct people_row *r);
static void note_manager(struct people_sheet *s, const struct people_row *r,
    const char *manager);

/*
 * The cells a repeated row gives for its person must be the first row's;
 * where "empty" means "no change", an empty cell agrees with anything and
 * a value fills the first row's empty cell.
 */
static void
check_repeat(struct people_sheet *s, long line, char *const *cells,
    struct people_row *first)
{
	bool filled = false;
	size_t i;

	for (i = 0; i < s->ncols; i++) {
		char *q;

		if (s->kind[i] < 0 && s->kind[i] != PEOPLE_COL_ATTR)
			continue;
		if (s->kind[i] == PEOPLE_EMAIL ||
		    strcmp(cells[i], first->cells[i]) == 0)
			continue;
		if (s->keep_empty && *cells[i] == '\0')
			continue;
		if (s->keep_empty && *first->cells[i] == '\0') {
			first->cells[i] = cells[i];
			filled = true;
			continue;
		}
		q = people_quote(cells[i]);
		people_sheet_problem(s, line, s->cols[i], "'%s' differs from "
		    "line %ld for the same person", q, first->line);
		free(q);
	}
	/* The values taken over are checked as the first row's own. */
	if (filled && !first->bad)
		check_cells(s, first);
	if (filled)
		note_manager(s, first, row_manager(s, first));
}

/* A cell as a value to check: "" when it changes or clears nothing. */
static const char *
cell_value(const struct people_sheet *s, const struct people_row *r, int col)
{
	const char *c = people_cell(s, r->cells[col]);

	return c ? c : "";
}

/* Records the problems of a row's cells; returns its manager when valid. */
static const char *
check_cells(struct people_sheet *s, struct people_row *r)
{
	const char *c;
	char *q;
	int col;

	if ((col = s->field_col[PEOPLE_LEVEL]) >= 0 && *(c = cell_value(s, r, col)) &&
	    people_parse_level(c, &r->level) != 0) {
		q = people_quote(c);
		field_problem(s, r, PEOPLE_LEVEL, "'%s' is not a whole number "
		    "between %d and %d", q, PEOPLE_LEVEL_MIN, PEOPLE_LEVEL_MAX);
		free(q);
	} else if (col >= 0 && *c) {
		r->has_level = true;
	}
	if ((col = s->field_col[PEOPLE_HIRED_ON]) >= 0 && *(c = cell_value(s, r, col)) &&
	    date_parse(c, &r->hired_on) != 0) {
		q = people_quote(c);
		field_problem(s, r, PEOPLE_HIRED_ON, "invalid date '%s' "
		    "(expected an existing day as YYYY-MM-DD)", q);
		free(q);
	}
	if ((col = s->field_col[PEOPLE_TIMEZONE]) >= 0 &&
	    *(c = cell_value(s, r, col)) && s->zone_problem != NULL) {
		if ((q = s->zone_problem(s->zone_arg, c)) != NULL) {
			field_problem(s, r, PEOPLE_TIMEZONE, "%s", q);
			free(q);
		}
	} else if (col >= 0 && *c && !people_timezone_valid(c)) {
		q = people_quote(c);
		field_problem(s, r, PEOPLE_TIMEZONE, "'%s' is not a time zone "
		    "(expected an IANA name such as Europe/Berlin, or an offset "
		    "such as +05:30)", q);
		free(q);
	}
	if ((col = s->field_col[PEOPLE_MANAGER_EMAIL]) >= 0 &&
	    *(c = cell_value(s, r, col))) {
		if (!people_email_valid(c)) {
			q = people_quote(c);
			field_problem(s, r, PEOPLE_MANAGER_EMAIL, "'%s' is not an "
			    "e-mail address", q);
			free(q);
		} else if (people_email_cmp(c, r->email) == 0) {
			field_problem(s, r, PEOPLE_MANAGER_EMAIL, "a person cannot "
			    "be their own manager");
		} else {
			return c;
		}
	}
	return NULL;
}

int
people_sheet_add(struct people_sheet *s, long line, const char *const *fields,
    size_t n, size_t *row)
{
	struct people_row *r;
	struct set_entry *e;
	char **cells, *tmp;
	size_t i, ecol;
	bool added, valid;

	if (!s->usable)
		return -1;
	ecol = (size_t)s->field_col[PEOPLE_EMAIL];
	if (n != s->ncols) {
		people_sheet_problem(s, line, NULL, "expected %zu field%s, found "
		    "%zu", s->ncols, s->ncols == 1 ? "" : "s", n);
		/* Still a person that other rows may name as their manager. */
		if (ecol < n) {
			tmp = arena_trimdup(s->arena, fields[ecol]);
			if (people_email_valid(tmp)) {
				e = set_add(s->emails, tmp, &added);
				if (added)
					e->line = (int32_t)line;
			}
		}
		return -1;
	}

	cells = arena_alloc(s->arena, n * sizeof *cells);
	for (i = 0; i < n; i++)
		cells[i] = arena_trimdup(s->arena, fields[i]);
	valid = *cells[ecol] != '\0' && people_email_valid(cells[ecol]);
	if (valid) {
		e = set_add(s->emails, cells[ecol], &added);
		if (!added && s->allow_repeats && e->row >= (long)s->row_base) {
			*row = (size_t)e->row - s->row_base;
			check_repeat(s, line, cells, &s->rows[*row]);
			return 1;
		}
		if (!added) {
			people_sheet_problem(s, line, "email", "'%s' appears "
			    "already on line %ld", cells[ecol], (long)e->line);
			return -1;
		}
		e->line = (int32_t)line;
		e->row = (int32_t)(s->row_base + s->nrows);
	}

	XGROW(s->rows, s->nrows + 1, s->rowcap);
	r = &s->rows[s->nrows];
	memset(r, 0, sizeof *r);
	r->line = line;
	r->cells = cells;
	r->email = cells[ecol];
	r->hired_on = DATE_NONE;
	r->attr = s->nattr ? arena_alloc(s->arena, s->nattr) : NULL;
	if (s->nattr)
		memset(r->attr, PEOPLE_ATTR_NONE, s->nattr);
	if (*r->email == '\0') {
		people_sheet_problem(s, line, "email", "empty (every row needs "
		    "an e-mail address)");
		r->bad = true;
	} else if (!valid) {
		tmp = people_quote(r->email);
		field_problem(s, r, PEOPLE_EMAIL, "'%s' is not an e-mail address",
		    tmp);
		free(tmp);
	}
	note_manager(s, r, check_cells(s, r));
	*row = s->nrows++;
	return r->bad ? -1 : 0;
}

void
people_sheet_next_batch(struct people_sheet *s)
{
	s->row_base += s->nrows;
	s->nrows = 0;
	arena_reset(s->arena);
}

bool
people_sheet_ok(const struct people_sheet *s)
{
	return s->nproblems == 0;
}

long
people_sheet_find(const struct people_sheet *s, const char *email)
{
	struct set_entry *e = set_find(s->emails, email);

	if (e == NULL || e->row < (long)s->row_base ||
	    e->row >= (long)(s->row_base + s->nrows))
		return -1;
	return e->row - (long)s->row_base;
}

/* The manager cell of a row when it names someone other than the row. */
static const char *
row_manager(const struct people_sheet *s, const struct people_row *r)
{
	int col = s->field_col[PEOPLE_MANAGER_EMAIL];
	const char *m;

	if (col < 0 || *(m = r->cells[col]) == '\0' || !people_email_valid(m) ||
	    people_email_cmp(m, r->email) == 0)
		return NULL;
	return m;
}

/* A manager the file has not shown yet: remembered with the row's line. */
static void
note_manager(struct people_sheet *s, const struct people_row *r,
    const char *m)
{
	if (m == NULL || set_find(s->emails, m) != NULL)
		return;
	XGROW(s->refs, s->nrefs + 1, s->refcap);
	s->refs[s->nrefs].email = arena_strdup(s->keep, m);
	s->refs[s->nrefs++].line = r->line;
}

const char **
people_sheet_outside_managers(struct people_sheet *s, size_t *n)
{
	const char **v = NULL, *m;
	size_t i, cap = 0;
	bool added;

	*n = 0;
	for (i = 0; i < s->nrefs; i++) {
		m = s->refs[i].email;
		if (set_find(s->emails, m) != NULL)
			continue;
		set_add(s->managers, m, &added);
		if (added) {
			XGROW(v, *n + 1, cap);
			v[(*n)++] = m;
		}
	}
	return v;
}

void
people_sheet_manager_exists(struct people_sheet *s, const char *email)
{
	struct set_entry *e = set_find(s->managers, email);

	if (e)
		e->row = 1;
}

void
people_sheet_check_managers(struct people_sheet *s)
{
	struct set_entry *e;
	const char *m;
	size_t i;

	for (i = 0; i < s->nrefs; i++) {
		m = s->refs[i].email;
		if (set_find(s->emails, m) != NULL)
			continue;
		if ((e = set_find(s->managers, m)) != NULL && e->row == 1)
			continue;
		people_sheet_problem(s, s->refs[i].line, "manager_email", "'%s' "
		    "is nobody (not in this file or the database)", m);
	}
}

static int
problem_cmp(const void *a, const void *b)
{
	const struct people_problem *p = a, *q = b;

	if (p->line != q->line)
		return p->line < q->line ? -1 : 1;
	return p->seq < q->seq ? -1 : p->seq > q->seq;
}

void
people_sheet_sort_problems(struct people_sheet *s)
{
	if (s->nproblems > 1)
		xqsort(s->problems, s->nproblems, sizeof *s->problems,
		    problem_cmp);
}

char *
people_problem_text(const struct people_sheet *s,
    const struct people_problem *p)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_addstr(&sb, s->name);
	if (p->line > 0)
		strbuf_addf(&sb, ":%ld", p->line);
	strbuf_addstr(&sb, ": ");
	if (p->field)
		strbuf_addf(&sb, "%s: ", p->field);
	strbuf_addstr(&sb, p->msg);
	return strbuf_detach(&sb, NULL);
}
