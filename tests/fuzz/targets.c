/*
 * Fuzz target bodies; see targets.h.  This file is #included, not linked,
 * so that the includer can define FUZZ_FAIL first (the cmocka test turns a
 * broken promise into a failed test instead of an abort).
 *
 * Each target checks what its module's header promises, against a small
 * independent reading of the same rule where one is cheap (a strict JSON
 * parser, RFC 2047 and quoted-printable decoders, a second day-count
 * formula): a sanitizer only sees crashes, these see wrong bytes.
 */

#include "targets.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "config/program_yaml.h"
#include "core/cycle.h"
#include "core/date.h"
#include "core/people.h"
#include "core/program.h"
#include "core/remind.h"
#include "core/reply.h"
#include "core/token.h"
#include "io/csv.h"
#include "io/ics.h"
#include "io/mail.h"
#include "io/mime.h"
#include "io/out.h"
#include "util/error.h"
#include "util/strbuf.h"
#include "util/xmalloc.h"

#ifndef FUZZ_FAIL
#define FUZZ_FAIL(msg) fz_abort(msg)

static void
fz_abort(const char *msg)
{
	fprintf(stderr, "fuzz: %s\n", msg);
	abort();
}
#endif

#define FZ_FFFD "\xEF\xBF\xBD"

static void fz_fail(int line, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void
fz_fail(int line, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	int n;

	n = snprintf(msg, sizeof msg, "targets.c:%d: ", line);
	if (n < 0 || (size_t)n >= sizeof msg)
		n = 0;
	va_start(ap, fmt);
	vsnprintf(msg + n, sizeof msg - (size_t)n, fmt, ap);
	va_end(ap);
	FUZZ_FAIL(msg);
}

#define FZ_CHECK(cond, ...) do {					\
	if (!(cond))							\
		fz_fail(__LINE__, __VA_ARGS__);				\
} while (0)

/* A value for a failure message: escaped, cut, from rotating buffers. */
static const char *
fz_show(const char *s, size_t n)
{
	static char bufs[4][200];
	static unsigned next;
	char *b = bufs[next++ % 4];
	size_t i, k = 0;
	unsigned char c;

	if (s == NULL)
		return "(null)";
	for (i = 0; i < n && k + 8 < sizeof bufs[0]; i++) {
		c = (unsigned char)s[i];
		if (c >= 0x20 && c < 0x7F && c != '\\') {
			b[k++] = (char)c;
		} else {
			b[k++] = '\\';
			b[k++] = 'x';
			b[k++] = "0123456789abcdef"[c >> 4];
			b[k++] = "0123456789abcdef"[c & 15];
		}
	}
	if (i < n) {
		memcpy(b + k, "...", 3);
		k += 3;
	}
	b[k] = '\0';
	return b;
}

#define FZ_SHOW(s) fz_show((s), (s) ? strlen(s) : 0)

/*
 * An error message is one line and goes to a terminal: no C0 control
 * (CR, LF, ESC) or DEL in it.
 */
static bool
fz_msg_ok(const char *s)
{
	for (; s != NULL && *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7F)
			return false;
	return s != NULL;
}

/* ---- reading the input -------------------------------------------------- */

struct fz {
	const uint8_t *p;
	size_t n;
	void **owned;
	size_t nowned;
	size_t ownedcap;
};

static void
fz_init(struct fz *f, const uint8_t *data, size_t size)
{
	memset(f, 0, sizeof *f);
	f->p = data;
	f->n = size;
}

static void *
fz_own(struct fz *f, void *p)
{
	XGROW(f->owned, f->nowned + 1, f->ownedcap);
	f->owned[f->nowned++] = p;
	return p;
}

static void
fz_done(struct fz *f)
{
	size_t i;

	for (i = 0; i < f->nowned; i++)
		free(f->owned[i]);
	free(f->owned);
}

/* Past the end of the input every read gives zeros and empty strings. */
static unsigned
fz_byte(struct fz *f)
{
	if (f->n == 0)
		return 0;
	f->n--;
	return *f->p++;
}

static uint32_t
fz_u32(struct fz *f)
{
	uint32_t v = 0;
	int i;

	for (i = 0; i < 4; i++)
		v |= (uint32_t)fz_byte(f) << (8 * i);
	return v;
}

static uint64_t
fz_u64(struct fz *f)
{
	uint64_t v = fz_u32(f);

	return v | (uint64_t)fz_u32(f) << 32;
}

static int
fz_int(struct fz *f)
{
	uint32_t v = fz_u32(f);
	int i;

	memcpy(&i, &v, sizeof i);
	return i;
}

/*
 * A time or count: mostly log-uniform magnitudes, so that both small and
 * huge values come up, plus the edges that break year arithmetic (the
 * first second of year INT_MAX + 1, where tm_year + 1900 overflows).
 */
static long long
fz_wide(struct fz *f)
{
	static const long long edges[] = {
		0, -1, 1, LLONG_MIN, LLONG_MAX, INT_MIN, INT_MAX,
		253402300799LL,          /* 9999-12-31T23:59:59Z */
		253402300800LL,          /* 10000-01-01 */
		-62135596800LL,          /* 0001-01-01 */
		-62135596801LL,
		67767976233532799LL,     /* last second of year INT_MAX */
		67767976233532800LL,     /* year INT_MAX + 1 */
		67768036191676799LL,     /* last second gmtime can show */
		1800000000LL,
		1798761600LL,            /* 2027-01-01 */
	};
	unsigned sel = fz_byte(f);
	uint64_t v = fz_u64(f);
	long long m;

	if (sel >= 0xF0)
		return edges[(sel - 0xF0) % (sizeof edges / sizeof edges[0])];
	m = (long long)((v >> 1) >> (sel % 64));
	return v & 1 ? -m : m;
}

#define FZ_DAY_2027 20819 /* 2027-01-01 */

static int
fz_day(struct fz *f)
{
	static const int edges[] = {
		DATE_NONE, DATE_MIN_DAY, DATE_MAX_DAY, DATE_MIN_DAY - 1,
		DATE_MAX_DAY + 1, 0, -1, INT_MAX, INT_MIN + 1,
		FZ_DAY_2027 + 424,  /* 2028-02-29 */
		FZ_DAY_2027 + 30,   /* 2027-01-31 */
	};
	unsigned sel = fz_byte(f);
	uint32_t v = fz_u32(f);
	int raw;

	switch (sel % 4) {
	case 0:
		return DATE_MIN_DAY +
		    (int)(v % (uint32_t)(DATE_MAX_DAY - DATE_MIN_DAY + 1));
	case 1:
		return FZ_DAY_2027 + (int)(v % 65536) - 32768;
	case 2:
		return edges[v % (sizeof edges / sizeof edges[0])];
	default:
		memcpy(&raw, &v, sizeof raw);
		return raw;
	}
}

/* Bytes up to the next NUL (or the end), as an owned C string. */
static char *
fz_str(struct fz *f)
{
	const uint8_t *nul = f->n ? memchr(f->p, 0, f->n) : NULL;
	size_t len = nul ? (size_t)(nul - f->p) : f->n;
	char *s = fz_own(f, xmalloc(len + 1));

	memcpy(s, f->p, len);
	s[len] = '\0';
	f->p += len;
	f->n -= len;
	if (nul != NULL) {
		f->p++;
		f->n--;
	}
	return s;
}

/* ---- text helpers ------------------------------------------------------- */

static bool
fz_utf8_ok(const char *s, size_t n)
{
	unsigned long cp;
	int k;

	while (n > 0) {
		if ((k = utf8_decode(s, n, &cp)) <= 0)
			return false;
		s += k;
		n -= (size_t)k;
	}
	return true;
}

static bool
fz_is_c1(unsigned long cp)
{
	return cp >= 0x80 && cp < 0xA0;
}

/*
 * Valid UTF-8 without C0 (but those in allow), DEL or C1 controls, and
 * without U+2028/U+2029 when no_seps.
 */
static bool
fz_text_ok(const char *s, size_t n, const char *allow, bool no_seps)
{
	unsigned long cp;
	int k;

	while (n > 0) {
		if ((k = utf8_decode(s, n, &cp)) <= 0)
			return false;
		if ((cp < 0x20 && (cp == 0 || strchr(allow, (int)cp) == NULL)) ||
		    cp == 0x7F || fz_is_c1(cp))
			return false;
		if (no_seps && (cp == 0x2028 || cp == 0x2029))
			return false;
		s += k;
		n -= (size_t)k;
	}
	return true;
}

/* Invalid UTF-8 subparts replaced with U+FFFD, as the writers promise. */
static void
fz_utf8_fix(const char *s, struct strbuf *out)
{
	size_t n = strlen(s);
	unsigned long cp;
	int k;

	while (n > 0) {
		k = utf8_decode(s, n, &cp);
		if (k < 0) {
			strbuf_addstr(out, FZ_FFFD);
			k = -k;
		} else {
			strbuf_add(out, s, (size_t)k);
		}
		s += k;
		n -= (size_t)k;
	}
}

static void
fz_put_utf8(struct strbuf *sb, unsigned long cp)
{
	if (cp < 0x80) {
		strbuf_addch(sb, (int)cp);
	} else if (cp < 0x800) {
		strbuf_addch(sb, (int)(0xC0 | cp >> 6));
		strbuf_addch(sb, (int)(0x80 | (cp & 0x3F)));
	} else if (cp < 0x10000) {
		strbuf_addch(sb, (int)(0xE0 | cp >> 12));
		strbuf_addch(sb, (int)(0x80 | (cp >> 6 & 0x3F)));
		strbuf_addch(sb, (int)(0x80 | (cp & 0x3F)));
	} else {
		strbuf_addch(sb, (int)(0xF0 | cp >> 18));
		strbuf_addch(sb, (int)(0x80 | (cp >> 12 & 0x3F)));
		strbuf_addch(sb, (int)(0x80 | (cp >> 6 & 0x3F)));
		strbuf_addch(sb, (int)(0x80 | (cp & 0x3F)));
	}
}

/* Code points, an invalid subpart counting as one. */
static size_t
fz_width(const char *s, size_t n)
{
	unsigned long cp;
	size_t w = 0;
	int k;

	while (n > 0) {
		k = utf8_decode(s, n, &cp);
		if (k < 0)
			k = -k;
		s += k;
		n -= (size_t)k;
		w++;
	}
	return w;
}

/* ---- programme YAML ----------------------------------------------------- */

#define FZ_YAML_NAME "fuzz.yaml"

/* Everything libyaml counts as a line break, and then some (NEL, LS, PS). */
static size_t
fz_line_breaks(const uint8_t *p, size_t n)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++)
		if (p[i] == '\n' || p[i] == '\r' || p[i] == 0x85 ||
		    p[i] == 0xA8 || p[i] == 0xA9)
			k++;
	return k;
}

static void
fz_yaml_line(const char *what, const char *s)
{
	FZ_CHECK(s == NULL || fz_text_ok(s, strlen(s), "", true),
	    "programme %s '%s': control character or invalid UTF-8 in a "
	    "single-line value", what, FZ_SHOW(s));
}

/*
 * The parser checks cycle.reup against the shortest and longest month so
 * that "no start date can break it"; with a start date, against that date.
 * Either way every later cycle (a re-up starts the next one where the last
 * ended) must work too, as long as it ends before year 10000.
 */
static void
fz_yaml_cycle(const struct program *p)
{
	static const int starts[] = {
		FZ_DAY_2027 + 30,   /* 2027-01-31 */
		FZ_DAY_2027 + 58,   /* 2027-02-28 */
		FZ_DAY_2027 + 424,  /* 2028-02-29 */
		FZ_DAY_2027 + 59,   /* 2027-03-01 */
		FZ_DAY_2027 + 364,  /* 2027-12-31 */
	};
	struct error err = ERROR_INIT;
	struct cycle_dates cd;
	size_t i, n = sizeof starts / sizeof starts[0];
	int s, k, rc;

	if (!p->cycle.present)
		return;
	FZ_CHECK(p->cycle.length.n > 0, "cycle.length of %d accepted",
	    p->cycle.length.n);
	if (p->cycle.start != DATE_NONE)
		n = 1;
	for (i = 0; i < n; i++) {
		s = p->cycle.start != DATE_NONE ? p->cycle.start : starts[i];
		for (k = 1; k <= 12; k++) {
			rc = cycle_nth(&p->cycle, s, k, &cd, &err);
			if (rc == -1 && date_add_duration(s, (struct duration){
			    p->cycle.length.n * k, p->cycle.length.unit }, 1) ==
			    DATE_NONE)
				break;
			FZ_CHECK(rc == 0, "programme accepted, but its cycle "
			    "%d from day %d fails: %s", k, s, FZ_SHOW(err.msg));
			FZ_CHECK(cd.number == k && cd.starts_on < cd.ends_on &&
			    cd.starts_on <= cd.reup_opens_on &&
			    cd.reup_opens_on <= cd.reup_closes_on &&
			    cd.reup_closes_on < cd.ends_on,
			    "cycle %d from day %d: starts %d ends %d re-up "
			    "%d..%d", k, s, cd.starts_on, cd.ends_on,
			    cd.reup_opens_on, cd.reup_closes_on);
			FZ_CHECK(k > 1 || cd.starts_on == s,
			    "cycle 1 from day %d starts on %d", s, cd.starts_on);
		}
		error_clear(&err);
	}
}

static void
fz_yaml_program(const struct program *p)
{
	const struct match_criterion *cr;
	size_t i, j;
	const char *s;

	FZ_CHECK(p->slug != NULL && p->name != NULL,
	    "programme accepted without slug or name");
	for (s = p->slug; *s != '\0'; s++)
		FZ_CHECK((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		    *s == '-', "slug '%s' accepted", FZ_SHOW(p->slug));
	FZ_CHECK(p->slug[0] != '\0' && p->slug[0] != '-' &&
	    s[-1] != '-' && strlen(p->slug) <= 64, "slug '%s' accepted",
	    FZ_SHOW(p->slug));
	fz_yaml_line("name", p->name);
	fz_yaml_line("owner", p->owner);
	fz_yaml_line("sponsor", p->sponsor);
	fz_yaml_line("contact", p->contact);
	FZ_CHECK(p->description == NULL ||
	    fz_text_ok(p->description, strlen(p->description), "\n\t", false),
	    "description '%s' accepted", FZ_SHOW(p->description));
	/* What `program check` accepts, `remind` must be able to send from. */
	FZ_CHECK(p->contact == NULL || mail_addr_valid(p->contact),
	    "contact '%s' accepted by the programme parser but refused by "
	    "mail_addr_valid: every reminder of this programme would fail",
	    FZ_SHOW(p->contact));
	for (i = 0; i < p->ngoals; i++) {
		fz_yaml_line("goal id", p->goals[i].id);
		fz_yaml_line("goal statement", p->goals[i].statement);
		FZ_CHECK(p->goals[i].metric == NULL ||
		    program_metric_valid(p->goals[i].metric),
		    "metric '%s' accepted", FZ_SHOW(p->goals[i].metric));
		for (j = 0; j < i; j++)
			FZ_CHECK(strcmp(p->goals[i].id, p->goals[j].id) != 0,
			    "duplicate goal id '%s' accepted",
			    FZ_SHOW(p->goals[i].id));
	}
	for (i = 0; i < p->checkins.nprompts; i++)
		fz_yaml_line("prompt", p->checkins.prompts[i]);
	for (i = 0; i < p->mentor.eligibility.ntrainings; i++)
		fz_yaml_line("training", p->mentor.eligibility.trainings[i]);
	for (i = 0; i < p->mentee.eligibility.ntrainings; i++)
		fz_yaml_line("training", p->mentee.eligibility.trainings[i]);
	FZ_CHECK(p->mentor.capacity >= 1, "mentor capacity %d accepted",
	    p->mentor.capacity);
	for (i = 0; i < p->matching.ncriteria; i++) {
		cr = &p->matching.criteria[i];
		fz_yaml_line("criterion attribute", cr->attribute);
		fz_yaml_line("criterion mentee_attribute", cr->mentee_attribute);
		FZ_CHECK(isfinite(cr->weight) && cr->weight > 0,
		    "criterion weight %g accepted", cr->weight);
		FZ_CHECK(cr->compare != COMPARE_CLOSE ||
		    (isfinite(cr->scale) && cr->scale > 0),
		    "criterion scale %g accepted", cr->scale);
	}
	FZ_CHECK(isfinite(p->matching.min_score), "min_score %g accepted",
	    p->matching.min_score);
	fz_yaml_cycle(p);
}

void
fuzz_yaml(const uint8_t *data, size_t size)
{
	struct diags d = DIAGS_INIT;
	struct program *p;
	const struct diag *dg;
	size_t i, lines;
	char *line;

	if (size > CFG_PROGRAM_MAX_SIZE)
		return;
	p = cfg_program_parse(FZ_YAML_NAME, (const char *)data, size, &d);
	FZ_CHECK((p == NULL) == (d.n > 0),
	    "programme %s with %zu problems", p ? "accepted" : "refused", d.n);
	/* 200 problems, "too many problems", and a parser error at worst. */
	FZ_CHECK(d.n <= 202, "%zu problems reported", d.n);
	lines = fz_line_breaks(data, size) + 1;
	for (i = 0; i < d.n; i++) {
		dg = &d.v[i];
		FZ_CHECK(dg->file != NULL && strcmp(dg->file, FZ_YAML_NAME) == 0,
		    "problem with file name '%s'", FZ_SHOW(dg->file));
		FZ_CHECK(dg->msg != NULL && dg->msg[0] != '\0',
		    "problem without a message");
		FZ_CHECK(fz_msg_ok(dg->msg), "message with a control "
		    "character: '%s'", FZ_SHOW(dg->msg));
		FZ_CHECK(dg->line >= 0 && (size_t)dg->line <= lines + 1 &&
		    dg->col >= 0 && (size_t)dg->col <= size + 2,
		    "problem at %d:%d in %zu lines: '%s'", dg->line, dg->col,
		    lines, FZ_SHOW(dg->msg));
		line = diag_format(dg);
		FZ_CHECK(line != NULL && strncmp(line, FZ_YAML_NAME ":",
		    sizeof FZ_YAML_NAME) == 0, "diag_format gave '%s'",
		    FZ_SHOW(line));
		free(line);
	}
	if (p != NULL)
		fz_yaml_program(p);
	program_free(p);
	diags_free(&d);
}

/* ---- CSV reader --------------------------------------------------------- */

#define FZ_CSV_NAME "fuzz.csv"

/*
 * Records flattened into one byte string so that two reads compare with one
 * memcmp: per record its line (when wanted), field count and fields with
 * their lengths.
 */
static void
fz_csv_flatten(struct strbuf *sb, const struct csv_record *rec, bool lines)
{
	size_t i;

	if (lines)
		strbuf_addf(sb, "@%ld", rec->line);
	strbuf_addf(sb, "#%zu", rec->nfields);
	for (i = 0; i < rec->nfields; i++) {
		strbuf_addf(sb, ":%zu:", strlen(rec->fields[i]));
		strbuf_addstr(sb, rec->fields[i]);
	}
}

static void
fz_csv_record(const struct csv_record *rec, long prev_line)
{
	size_t i, total = 0;

	FZ_CHECK(rec->nfields >= 1 && rec->nfields <= CSV_MAX_FIELDS,
	    "record with %zu fields", rec->nfields);
	FZ_CHECK(rec->line > prev_line, "record on line %ld after one on %ld",
	    rec->line, prev_line);
	FZ_CHECK(!(rec->nfields == 1 && rec->fields[0][0] == '\0'),
	    "blank line returned as a record (line %ld)", rec->line);
	for (i = 0; i < rec->nfields; i++) {
		total += strlen(rec->fields[i]) + 1;
		FZ_CHECK(fz_utf8_ok(rec->fields[i], strlen(rec->fields[i])),
		    "invalid UTF-8 in field %zu on line %ld: '%s'", i,
		    rec->line, FZ_SHOW(rec->fields[i]));
	}
	FZ_CHECK(total <= CSV_MAX_RECORD, "record of %zu bytes", total);
}

static void
fz_csv_error(const struct error *err, const char *name)
{
	size_t n = strlen(name);

	FZ_CHECK(err->msg != NULL && strncmp(err->msg, name, n) == 0 &&
	    err->msg[n] == ':', "error without the file name: '%s'",
	    FZ_SHOW(err->msg));
	FZ_CHECK(fz_msg_ok(err->msg), "error message with a control "
	    "character: '%s'", FZ_SHOW(err->msg));
	FZ_CHECK(err->code == EX_DATAERR, "error code %d for '%s'", err->code,
	    FZ_SHOW(err->msg));
}

/* Reads all of buf: 0 at the end, -1 on an error; flat gets the records. */
static int
fz_csv_read(const char *buf, size_t len, struct strbuf *flat, bool lines)
{
	struct csv_reader *r = csv_open_mem(FZ_CSV_NAME, buf, len);
	struct error err = ERROR_INIT;
	struct csv_record rec;
	char *first;
	long prev = 0;
	int rc;

	while ((rc = csv_next(r, &rec, &err)) == 1) {
		fz_csv_record(&rec, prev);
		prev = rec.line;
		fz_csv_flatten(flat, &rec, lines);
	}
	FZ_CHECK(rc == 0 || rc == -1, "csv_next returned %d", rc);
	if (rc == -1) {
		fz_csv_error(&err, FZ_CSV_NAME);
		/* Errors are sticky: the position in the stream is lost. */
		first = err.msg;
		err.msg = NULL;
		FZ_CHECK(csv_next(r, &rec, &err) == -1 && err.msg != NULL &&
		    strcmp(err.msg, first) == 0,
		    "a second csv_next after '%s' did not fail the same way",
		    FZ_SHOW(first));
		free(first);
	} else {
		FZ_CHECK(csv_next(r, &rec, &err) == 0,
		    "csv_next after the end did not return 0");
	}
	error_clear(&err);
	csv_close(r);
	return rc;
}

/* What was read, written back by csv_write_field, must read the same. */
static void
fz_csv_roundtrip(const char *buf, size_t len, const struct strbuf *flat)
{
	struct csv_reader *r = csv_open_mem(FZ_CSV_NAME, buf, len);
	struct error err = ERROR_INIT;
	struct csv_record rec;
	struct strbuf again = STRBUF_INIT;
	char *text = NULL;
	size_t tlen = 0, i;
	FILE *fp;

	fp = open_memstream(&text, &tlen);
	FZ_CHECK(fp != NULL, "open_memstream: %s", strerror(errno));
	/* A first cell that begins with U+FEFF must not pass for a BOM. */
	fputs("\xEF\xBB\xBF", fp);
	while (csv_next(r, &rec, &err) == 1) {
		for (i = 0; i < rec.nfields; i++) {
			if (i > 0)
				putc(',', fp);
			csv_write_field(fp, rec.fields[i], false);
		}
		fputs("\r\n", fp);
	}
	csv_close(r);
	FZ_CHECK(fclose(fp) == 0, "writing the CSV back failed");
	FZ_CHECK(fz_csv_read(text, tlen, &again, false) == 0,
	    "CSV written back does not read: '%s'", fz_show(text, tlen));
	FZ_CHECK(again.len == flat->len &&
	    memcmp(again.buf, flat->buf, flat->len) == 0,
	    "CSV written back reads differently: '%s' gave %s, then %s",
	    fz_show(text, tlen), fz_show(flat->buf, flat->len),
	    fz_show(again.buf, again.len));
	free(text);
	strbuf_release(&again);
	error_clear(&err);
}

/*
 * csv_open() streams through a 64 KiB block: a CRLF, a "" or a UTF-8
 * sequence may be cut by a refill.  Put the input behind a pad line so that
 * the block ends inside it, then the file and the memory reader must agree
 * record by record.
 */
#define FZ_CSV_BLOCK (64 * 1024)

static char fz_csv_path[256];

static void
fz_csv_unlink(void)
{
	unlink(fz_csv_path);
}

/* One scratch file for the whole run, rewritten for every input. */
static const char *
fz_csv_tmpfile(int *fdp)
{
	static int fd = -1;
	const char *dir;
	int n;

	if (fd == -1) {
		dir = getenv("TMPDIR");
		if (dir == NULL || dir[0] == '\0')
			dir = "/tmp";
		n = snprintf(fz_csv_path, sizeof fz_csv_path,
		    "%s/fuzz-csv.XXXXXX", dir);
		if (n < 0 || (size_t)n >= sizeof fz_csv_path)
			return NULL;
		if ((fd = mkstemp(fz_csv_path)) == -1)
			return NULL;
		atexit(fz_csv_unlink);
	}
	*fdp = fd;
	return fz_csv_path;
}

static bool
fz_csv_same(const struct csv_record *a, const struct csv_record *b)
{
	size_t i;

	if (a->line != b->line || a->nfields != b->nfields)
		return false;
	for (i = 0; i < a->nfields; i++)
		if (strcmp(a->fields[i], b->fields[i]) != 0)
			return false;
	return true;
}

static void
fz_csv_stream(const uint8_t *data, size_t size)
{
	struct error ea = ERROR_INIT, eb = ERROR_INIT;
	struct csv_reader *a, *b;
	struct csv_record ra, rb;
	struct strbuf fa = STRBUF_INIT, fb = STRBUF_INIT;
	const char *path;
	size_t cut, pad, total;
	char *buf;
	int fd, rca, rcb;

	if ((path = fz_csv_tmpfile(&fd)) == NULL)
		return;
	cut = size > 0 ? data[0] % (size + 1) : 0;
	pad = FZ_CSV_BLOCK - cut;
	total = pad + size;
	buf = xmalloc(total);
	memset(buf, 'p', pad - 1);
	buf[pad - 1] = '\n';
	memcpy(buf + pad, data, size);
	FZ_CHECK(pwrite(fd, buf, total, 0) == (ssize_t)total &&
	    ftruncate(fd, (off_t)total) == 0,
	    "writing %s: %s", path, strerror(errno));
	a = csv_open_mem(path, buf, total);
	b = csv_open(path, &eb);
	FZ_CHECK(b != NULL, "csv_open %s: %s", path, FZ_SHOW(eb.msg));
	do {
		rca = csv_next(a, &ra, &ea);
		rcb = csv_next(b, &rb, &eb);
		FZ_CHECK(rca == rcb, "memory reader %d, file reader %d (%s)",
		    rca, rcb, FZ_SHOW(rca == -1 ? ea.msg : eb.msg));
		if (rca == 1 && !fz_csv_same(&ra, &rb)) {
			fz_csv_flatten(&fa, &ra, true);
			fz_csv_flatten(&fb, &rb, true);
			fz_fail(__LINE__, "memory reader %s, file reader %s "
			    "(block cut %zu bytes in)", fz_show(fa.buf, fa.len),
			    fz_show(fb.buf, fb.len), cut);
		} else if (rca == -1) {
			FZ_CHECK(ea.code == eb.code &&
			    strcmp(ea.msg, eb.msg) == 0,
			    "memory reader '%s', file reader '%s'",
			    FZ_SHOW(ea.msg), FZ_SHOW(eb.msg));
		}
	} while (rca == 1);
	csv_close(a);
	csv_close(b);
	free(buf);
	strbuf_release(&fa);
	strbuf_release(&fb);
	error_clear(&ea);
	error_clear(&eb);
}

void
fuzz_csv(const uint8_t *data, size_t size)
{
	struct strbuf flat = STRBUF_INIT;

	if (fz_csv_read((const char *)data, size, &flat, true) == 0) {
		strbuf_reset(&flat);
		fz_csv_read((const char *)data, size, &flat, false);
		fz_csv_roundtrip((const char *)data, size, &flat);
	}
	strbuf_release(&flat);
	/* Costly (64 KiB through a file): one input in sixteen. */
	if (size % 16 == 0)
		fz_csv_stream(data, size);
}

/* ---- dates -------------------------------------------------------------- */

static bool
fz_leap(long long y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
fz_dim(long long y, int m)
{
	static const int mdays[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};

	return m == 2 && fz_leap(y) ? 29 : mdays[m - 1];
}

/*
 * Days since 1970-01-01 by counting from 0001-01-01 (day -719162), a
 * different formula from date.c's eras, for years >= 1.
 */
static long long
fz_days(long long y, int m, int d)
{
	static const int before[12] = {
		0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334
	};
	long long p = y - 1, n;

	n = 365 * p + p / 4 - p / 100 + p / 400 + before[m - 1] + d - 1;
	if (m > 2 && fz_leap(y))
		n++;
	return n - 719162;
}

static bool
fz_day_ok(long long d)
{
	return d >= DATE_MIN_DAY && d <= DATE_MAX_DAY;
}

/* y, m, d of an in-range day, found by search rather than arithmetic. */
static void
fz_ymd(int day, int *y, int *m, int *d)
{
	long long lo = 1, hi = 9999, mid;

	while (lo < hi) {
		mid = (lo + hi + 1) / 2;
		if (fz_days(mid, 1, 1) <= day)
			lo = mid;
		else
			hi = mid - 1;
	}
	*y = (int)lo;
	for (*m = 12; fz_days(lo, *m, 1) > day; (*m)--)
		;
	*d = (int)(day - fz_days(lo, *m, 1)) + 1;
}

/* date_add_months' rule without its range check: raw day count. */
static long long
fz_add_months_raw(int day, long long n)
{
	long long total, ny;
	int y, m, d, nm, dim;

	fz_ymd(day, &y, &m, &d);
	total = (long long)y * 12 + (m - 1) + n;
	ny = total >= 0 ? total / 12 : -((-total + 11) / 12);
	nm = (int)(total - ny * 12) + 1;
	if (ny < 1)
		return LLONG_MIN;
	dim = fz_dim(ny, nm);
	return fz_days(ny, nm, d < dim ? d : dim);
}

static int
fz_add_months(int day, long long n)
{
	long long r = fz_add_months_raw(day, n);

	return fz_day_ok(r) ? (int)r : DATE_NONE;
}

static void
fz_date_string(const char *s)
{
	char buf[DATE_BUFSZ];
	int days = 0, y = 0, m = 0, d = 0, i, rc;
	bool ok;

	ok = strlen(s) == 10 && s[4] == '-' && s[7] == '-';
	for (i = 0; ok && i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			ok = false;
	if (ok) {
		y = atoi(s);
		m = atoi(s + 5);
		d = atoi(s + 8);
		ok = y >= 1 && m >= 1 && m <= 12 && d >= 1 &&
		    d <= fz_dim(y, m);
	}
	rc = date_parse(s, &days);
	FZ_CHECK((rc == 0) == ok, "date_parse('%s') returned %d", FZ_SHOW(s),
	    rc);
	FZ_CHECK(date_parse(s, NULL) == rc, "date_parse('%s', NULL) differs",
	    FZ_SHOW(s));
	if (rc == 0) {
		FZ_CHECK(days == fz_days(y, m, d), "date_parse('%s') gave %d",
		    s, days);
		FZ_CHECK(strcmp(date_format(days, buf), s) == 0,
		    "date_format(date_parse('%s')) is '%s'", s, buf);
	}
}

static void
fz_date_day(int day)
{
	char buf[DATE_BUFSZ];
	int y, m, d, y2, m2, d2, back;

	date_format(day, buf);
	if (!fz_day_ok(day)) {
		FZ_CHECK(buf[0] == '\0', "date_format(%d) is '%s'", day, buf);
		return;
	}
	fz_ymd(day, &y, &m, &d);
	date_to_ymd(day, &y2, &m2, &d2);
	FZ_CHECK(y == y2 && m == m2 && d == d2,
	    "date_to_ymd(%d) = %d-%d-%d, want %d-%d-%d", day, y2, m2, d2, y, m,
	    d);
	FZ_CHECK(date_valid_ymd(y, m, d) && date_from_ymd(y, m, d) == day,
	    "date_from_ymd(%d, %d, %d) is not %d", y, m, d, day);
	FZ_CHECK(strlen(buf) == 10 && date_parse(buf, &back) == 0 &&
	    back == day, "date_format(%d) is '%s'", day, buf);
	/* 1970-01-01 was a Thursday. */
	FZ_CHECK(date_weekday(day) ==
	    (int)(((long long)day % 7 + 7 + 3) % 7) + 1,
	    "date_weekday(%d) is %d", day, date_weekday(day));
}

static void
fz_date_arith(int day, int n)
{
	struct duration du;
	long long want;
	int r, un;

	/* Out of range in: no undefined behaviour, nothing out of range out. */
	if (!fz_day_ok(day)) {
		int rs[3];

		rs[0] = date_add_days(day, n);
		rs[1] = date_add_months(day, n);
		rs[2] = date_add_years(day, n);
		for (un = 0; un < 3; un++)
			FZ_CHECK(rs[un] == DATE_NONE || (day != DATE_NONE &&
			    fz_day_ok(rs[un])), "date_add_*(%d, %d) #%d is %d",
			    day, n, un, rs[un]);
		date_weekday(day);
		return;
	}
	want = (long long)day + n;
	r = date_add_days(day, n);
	FZ_CHECK(r == (fz_day_ok(want) ? want : DATE_NONE),
	    "date_add_days(%d, %d) is %d", day, n, r);
	r = date_add_months(day, n);
	FZ_CHECK(r == fz_add_months(day, n), "date_add_months(%d, %d) is %d, "
	    "want %d", day, n, r, fz_add_months(day, n));
	r = date_add_years(day, n);
	FZ_CHECK(r == fz_add_months(day, 12LL * n),
	    "date_add_years(%d, %d) is %d, want %d", day, n, r,
	    fz_add_months(day, 12LL * n));

	du.n = n == INT_MIN ? INT_MAX : (n < 0 ? -n : n);
	for (un = DATE_UNIT_DAY; un <= DATE_UNIT_YEAR; un++) {
		du.unit = (enum date_unit)un;
		switch (du.unit) {
		case DATE_UNIT_DAY:
			want = date_add_days(day, -du.n);
			break;
		case DATE_UNIT_WEEK:
			want = fz_day_ok((long long)day - 7LL * du.n) ?
			    day - 7LL * du.n : DATE_NONE;
			break;
		case DATE_UNIT_MONTH:
			want = fz_add_months(day, -(long long)du.n);
			break;
		case DATE_UNIT_YEAR:
			want = fz_add_months(day, -12LL * du.n);
			break;
		}
		r = date_add_duration(day, du, -1);
		FZ_CHECK(r == want, "date_add_duration(%d, %d unit %d, -1) is "
		    "%d, want %lld", day, du.n, un, r, want);
	}
}

static void
fz_date_years(int from, int to)
{
	long long k, last, next;
	double y, want;

	if (!fz_day_ok(from) || !fz_day_ok(to)) {
		y = date_years_between(from, to);
		FZ_CHECK(!isnan(y), "date_years_between(%d, %d) is NaN", from,
		    to);
		return;
	}
	y = date_years_between(from, to);
	FZ_CHECK(isfinite(y), "date_years_between(%d, %d) is %g", from, to,
	    y);
	FZ_CHECK(y == -date_years_between(to, from),
	    "date_years_between(%d, %d) is not symmetric", from, to);
	if (to < from)
		return;
	/* The last anniversary on or before `to`, and the next one. */
	for (k = (to - from) / 366; fz_add_months_raw(from, 12 * (k + 1)) <= to;
	    k++)
		;
	last = fz_add_months_raw(from, 12 * k);
	next = fz_add_months_raw(from, 12 * (k + 1));
	want = (double)k + (double)(to - last) / (double)(next - last);
	FZ_CHECK(fabs(y - want) < 1e-9 && y >= (double)k &&
	    y < (double)(k + 1), "date_years_between(%d, %d) is %.17g, want "
	    "%.17g", from, to, y, want);
}

static void
fz_date_time(long long t)
{
	char ts[TIMESTAMP_BUFSZ], day[DATE_BUFSZ];
	time_t tt = (time_t)t;
	int d;

	timestamp_format(tt, ts);
	d = date_from_time(tt);
	FZ_CHECK((ts[0] == '\0') == (d == DATE_NONE),
	    "time %lld: timestamp '%s' but day %d", t, ts, d);
	if (d == DATE_NONE)
		return;
	FZ_CHECK(strlen(ts) == 20 && ts[10] == 'T' && ts[19] == 'Z' &&
	    strncmp(date_format(d, day), ts, 10) == 0,
	    "time %lld: timestamp '%s', day '%s'", t, ts, day);
	FZ_CHECK((long long)d * 86400 <= t && t < (long long)(d + 1) * 86400,
	    "time %lld is not on day %d", t, d);
}

/* Input: the whole of it as a date string; then two days and a count. */
void
fuzz_date(const uint8_t *data, size_t size)
{
	struct fz f;
	char *s;
	int a, b, n;

	/* The whole input as a string, then as numbers. */
	s = xmalloc(size + 1);
	memcpy(s, data, size);
	s[size] = '\0';
	fz_date_string(s);
	free(s);

	fz_init(&f, data, size);
	a = fz_day(&f);
	b = fz_day(&f);
	n = fz_byte(&f) & 1 ? fz_int(&f) : (int)(fz_u32(&f) % 400) - 200;
	fz_date_day(a);
	fz_date_day(b);
	fz_date_arith(a, n);
	fz_date_years(a, b);
	fz_date_time(fz_wide(&f));
	fz_done(&f);
}

/* ---- output writers ----------------------------------------------------- */

#define FZ_OUT_MAXCOLS 6
#define FZ_OUT_MAXROWS 40

struct fz_table {
	enum out_format fmt;
	unsigned flags;
	struct out_col cols[FZ_OUT_MAXCOLS];
	size_t ncols;
	const char **cells;     /* nrows * ncols; NULL cells allowed */
	size_t nrows;
};

/* Runs the writer over t into a memory stream; returns its output. */
static char *
fz_out_run(const struct fz_table *t, FILE *fp, size_t *len, int *rc)
{
	struct out *o;
	char *text = NULL;
	FILE *mem = NULL;
	size_t r;

	if (fp == NULL) {
		mem = fp = open_memstream(&text, len);
		FZ_CHECK(fp != NULL, "open_memstream: %s", strerror(errno));
	}
	o = out_new(fp, t->fmt, t->cols, t->ncols, t->flags);
	for (r = 0; r < t->nrows; r++)
		out_row(o, t->cells + r * t->ncols);
	errno = 0;
	*rc = out_finish(o);
	/* A second finish writes nothing more and says the same. */
	FZ_CHECK(out_finish(o) == *rc, "out_finish changed its mind");
	out_free(o);
	if (mem != NULL)
		FZ_CHECK(fclose(mem) == 0, "closing the memory stream");
	return text;
}

/* As csv_guard_needed: what begins like a formula, past any leading '. */
static bool
fz_formula(const char *s)
{
	while (*s == '\'')
		s++;
	return s[0] != '\0' && strchr("=+-@\t\r", s[0]) != NULL;
}

static void
fz_out_csv(const struct fz_table *t, const char *text, size_t len)
{
	struct strbuf want = STRBUF_INIT, got = STRBUF_INIT;
	const char *c;
	size_t r, i;
	bool utf8 = true;

	/* The reader refuses invalid UTF-8, which the writer passes on. */
	for (i = 0; i < t->ncols; i++)
		utf8 = utf8 && fz_utf8_ok(t->cols[i].name,
		    strlen(t->cols[i].name));
	for (i = 0; i < t->nrows * t->ncols; i++)
		utf8 = utf8 && (t->cells[i] == NULL ||
		    fz_utf8_ok(t->cells[i], strlen(t->cells[i])));
	if (!utf8)
		return;
	/* Without a BOM of ours, a header that begins with U+FEFF loses it. */
	if (!(t->flags & OUT_BOM) && t->ncols > 0 &&
	    strncmp(t->cols[0].name, "\xEF\xBB\xBF", 3) == 0)
		return;
	FZ_CHECK(!(t->flags & OUT_BOM) || (len >= 3 &&
	    memcmp(text, "\xEF\xBB\xBF", 3) == 0), "CSV without its BOM");
	FZ_CHECK(len >= 2 && memcmp(text + len - 2, "\r\n", 2) == 0,
	    "CSV does not end with CRLF: '%s'", fz_show(text, len));
	for (r = 0; r <= t->nrows; r++) {
		/* A record of one empty field is a blank line: skipped. */
		if (t->ncols == 0 || (t->ncols == 1 && (r == 0 ?
		    t->cols[0].name[0] == '\0' : (t->cells[r - 1] == NULL ||
		    t->cells[r - 1][0] == '\0'))))
			continue;
		strbuf_addf(&want, "#%zu", t->ncols);
		for (i = 0; i < t->ncols; i++) {
			c = r == 0 ? t->cols[i].name :
			    t->cells[(r - 1) * t->ncols + i];
			if (c == NULL)
				c = "";
			/*
			 * Guarded against formulas, a leading ': header names,
			 * text and nested (text too in CSV) cells.
			 */
			if ((r == 0 || t->cols[i].type == OUT_STR ||
			    t->cols[i].type == OUT_NESTED) && fz_formula(c)) {
				strbuf_addf(&want, ":%zu:'", strlen(c) + 1);
			} else {
				strbuf_addf(&want, ":%zu:", strlen(c));
			}
			strbuf_addstr(&want, c);
		}
	}
	FZ_CHECK(fz_csv_read(text, len, &got, false) == 0,
	    "CSV output does not read: '%s'", fz_show(text, len));
	FZ_CHECK(got.len == want.len && memcmp(got.buf, want.buf, got.len) == 0,
	    "CSV output '%s' reads as %s, want %s", fz_show(text, len),
	    fz_show(got.buf, got.len), fz_show(want.buf, want.len));
	strbuf_release(&want);
	strbuf_release(&got);
}

/*
 * A strict RFC 8259 reader for what the JSON writer produces: an array of
 * objects whose values are strings, numbers or null.
 */
struct fz_json {
	const char *p;
	const char *end;
};

static void
fz_json_ws(struct fz_json *j)
{
	while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' ||
	    *j->p == '\r' || *j->p == '\n'))
		j->p++;
}

static bool
fz_json_hex4(struct fz_json *j, unsigned long *v)
{
	int i;
	char c;

	if (j->end - j->p < 4)
		return false;
	*v = 0;
	for (i = 0; i < 4; i++) {
		c = *j->p++;
		*v <<= 4;
		if (c >= '0' && c <= '9')
			*v |= (unsigned long)(c - '0');
		else if (c >= 'a' && c <= 'f')
			*v |= (unsigned long)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			*v |= (unsigned long)(c - 'A' + 10);
		else
			return false;
	}
	return true;
}

/* A string at j->p (at its opening quote), decoded into out. */
static bool
fz_json_string(struct fz_json *j, struct strbuf *out)
{
	unsigned long cp, lo;
	unsigned char c;
	int k;

	if (j->p >= j->end || *j->p != '"')
		return false;
	j->p++;
	while (j->p < j->end) {
		c = (unsigned char)*j->p;
		if (c == '"') {
			j->p++;
			return true;
		}
		if (c < 0x20)
			return false;
		if (c >= 0x80) {
			k = utf8_decode(j->p, (size_t)(j->end - j->p), &cp);
			/* Raw U+2028/9 would end a JavaScript line. */
			if (k <= 0 || cp == 0x2028 || cp == 0x2029)
				return false;
			strbuf_add(out, j->p, (size_t)k);
			j->p += k;
			continue;
		}
		j->p++;
		if (c != '\\') {
			strbuf_addch(out, c);
			continue;
		}
		if (j->p >= j->end)
			return false;
		c = (unsigned char)*j->p++;
		switch (c) {
		case '"': case '\\': case '/':
			strbuf_addch(out, c);
			break;
		case 'b':
			strbuf_addch(out, '\b');
			break;
		case 'f':
			strbuf_addch(out, '\f');
			break;
		case 'n':
			strbuf_addch(out, '\n');
			break;
		case 'r':
			strbuf_addch(out, '\r');
			break;
		case 't':
			strbuf_addch(out, '\t');
			break;
		case 'u':
			if (!fz_json_hex4(j, &cp))
				return false;
			if (cp >= 0xDC00 && cp <= 0xDFFF)
				return false;
			if (cp >= 0xD800 && cp <= 0xDBFF) {
				if (j->end - j->p < 6 || j->p[0] != '\\' ||
				    j->p[1] != 'u')
					return false;
				j->p += 2;
				if (!fz_json_hex4(j, &lo) || lo < 0xDC00 ||
				    lo > 0xDFFF)
					return false;
				cp = 0x10000 + ((cp - 0xD800) << 10) +
				    (lo - 0xDC00);
			}
			fz_put_utf8(out, cp);
			break;
		default:
			return false;
		}
	}
	return false;
}

/* Length of the RFC 8259 number at s, 0 when there is none. */
static size_t
fz_json_number(const char *s, const char *end)
{
	const char *p = s;

#define FZ_DIGIT (p < end && *p >= '0' && *p <= '9')
	if (p < end && *p == '-')
		p++;
	if (p < end && *p == '0') {
		p++;
	} else if (FZ_DIGIT) {
		while (FZ_DIGIT)
			p++;
	} else {
		return 0;
	}
	if (p < end && *p == '.') {
		p++;
		if (!FZ_DIGIT)
			return 0;
		while (FZ_DIGIT)
			p++;
	}
	if (p < end && (*p == 'e' || *p == 'E')) {
		p++;
		if (p < end && (*p == '+' || *p == '-'))
			p++;
		if (!FZ_DIGIT)
			return 0;
		while (FZ_DIGIT)
			p++;
	}
#undef FZ_DIGIT
	return (size_t)(p - s);
}

/* One value, flattened as s:TEXT, n:TEXT or null for comparison. */
static bool
fz_json_value(struct fz_json *j, struct strbuf *flat)
{
	size_t n;

	if (j->end - j->p >= 4 && memcmp(j->p, "null", 4) == 0) {
		j->p += 4;
		strbuf_addstr(flat, "null");
		return true;
	}
	if (j->p < j->end && *j->p == '"') {
		strbuf_addstr(flat, "s:");
		return fz_json_string(j, flat);
	}
	if ((n = fz_json_number(j->p, j->end)) == 0)
		return false;
	strbuf_addstr(flat, "n:");
	strbuf_add(flat, j->p, n);
	j->p += n;
	return true;
}

/* The whole document, flattened: per object, per member "key=value;". */
static bool
fz_json_parse(const char *text, size_t len, struct strbuf *flat)
{
	struct fz_json j = { text, text + len };
	bool first;

	fz_json_ws(&j);
	if (j.p >= j.end || *j.p++ != '[')
		return false;
	fz_json_ws(&j);
	if (j.p < j.end && *j.p == ']') {
		j.p++;
		goto done;
	}
	for (;;) {
		fz_json_ws(&j);
		if (j.p >= j.end || *j.p++ != '{')
			return false;
		strbuf_addch(flat, '{');
		fz_json_ws(&j);
		first = true;
		while (j.p < j.end && *j.p != '}') {
			if (!first) {
				if (*j.p++ != ',')
					return false;
				fz_json_ws(&j);
			}
			first = false;
			if (!fz_json_string(&j, flat))
				return false;
			fz_json_ws(&j);
			if (j.p >= j.end || *j.p++ != ':')
				return false;
			strbuf_addch(flat, '=');
			fz_json_ws(&j);
			if (!fz_json_value(&j, flat))
				return false;
			strbuf_addch(flat, ';');
			fz_json_ws(&j);
		}
		if (j.p >= j.end)
			return false;
		j.p++;
		strbuf_addch(flat, '}');
		fz_json_ws(&j);
		if (j.p < j.end && *j.p == ',') {
			j.p++;
			continue;
		}
		if (j.p < j.end && *j.p == ']') {
			j.p++;
			break;
		}
		return false;
	}
done:
	fz_json_ws(&j);
	return j.p == j.end;
}

static void
fz_out_json(const struct fz_table *t, const char *text, size_t len)
{
	struct strbuf want = STRBUF_INIT, got = STRBUF_INIT;
	const char *c;
	size_t r, i;

	FZ_CHECK(fz_utf8_ok(text, len), "JSON output is not UTF-8: '%s'",
	    fz_show(text, len));
	FZ_CHECK(len > 0 && text[len - 1] == '\n',
	    "JSON output does not end with a newline");
	for (r = 0; r < t->nrows; r++) {
		strbuf_addch(&want, '{');
		for (i = 0; i < t->ncols; i++) {
			fz_utf8_fix(t->cols[i].name, &want);
			strbuf_addch(&want, '=');
			c = t->cells[r * t->ncols + i];
			if (c == NULL) {
				strbuf_addstr(&want, "null");
			} else if (t->cols[i].type != OUT_STR && c[0] != '\0' &&
			    fz_json_number(c, c + strlen(c)) == strlen(c)) {
				strbuf_addstr(&want, "n:");
				strbuf_addstr(&want, c);
			} else {
				strbuf_addstr(&want, "s:");
				fz_utf8_fix(c, &want);
			}
			strbuf_addch(&want, ';');
		}
		strbuf_addch(&want, '}');
	}
	FZ_CHECK(fz_json_parse(text, len, &got),
	    "JSON output does not parse: '%s'", fz_show(text, len));
	FZ_CHECK(got.len == want.len && memcmp(got.buf, want.buf, got.len) == 0,
	    "JSON output '%s' reads as %s, want %s", fz_show(text, len),
	    fz_show(got.buf, got.len), fz_show(want.buf, want.len));
	strbuf_release(&want);
	strbuf_release(&got);
}

/* A table cell as the terminal will show it, and its width. */
static size_t
fz_table_cell(const char *s, struct strbuf *out, bool upper)
{
	size_t n, w = 0;
	unsigned long cp;
	int k;

	if (s == NULL) {
		strbuf_addch(out, '-');
		return 1;
	}
	n = strlen(s);
	while (n > 0) {
		k = utf8_decode(s, n, &cp);
		if (k < 0) {
			strbuf_addstr(out, FZ_FFFD);
			k = -k;
		} else if (cp < 0x20 || cp == 0x7F || fz_is_c1(cp)) {
			strbuf_addch(out, ' ');
		} else if (upper && cp >= 'a' && cp <= 'z') {
			strbuf_addch(out, (int)(cp - 'a' + 'A'));
		} else {
			char one[5];

			/* display columns: wide characters 2, marks 0 */
			memcpy(one, s, (size_t)k);
			one[k] = '\0';
			strbuf_add(out, s, (size_t)k);
			w += utf8_width(one) - 1;
		}
		s += k;
		n -= (size_t)k;
		w++;
	}
	return w;
}

static void
fz_out_table_line(const struct fz_table *t, const char *const *cells,
    bool header, const size_t *widths, struct strbuf *want)
{
	struct strbuf cell = STRBUF_INIT;
	size_t i, w, start = want->len;

	for (i = 0; i < t->ncols; i++) {
		/* numbers are right-aligned under their header */
		bool right = !header && (t->cols[i].type == OUT_INT ||
		    t->cols[i].type == OUT_REAL);

		strbuf_reset(&cell);
		w = fz_table_cell(cells[i], &cell, header);
		if (right)
			for (; w < widths[i]; w++)
				strbuf_addch(want, ' ');
		strbuf_add(want, cell.buf, cell.len);
		if (i + 1 < t->ncols)
			for (; w < widths[i] + 2; w++)
				strbuf_addch(want, ' ');
	}
	while (want->len > start && want->buf[want->len - 1] == ' ')
		want->len--;
	strbuf_setlen(want, want->len);
	strbuf_addch(want, '\n');
	strbuf_release(&cell);
}

static void
fz_out_table(const struct fz_table *t, const char *text, size_t len)
{
	struct strbuf want = STRBUF_INIT, scratch = STRBUF_INIT;
	const char *names[FZ_OUT_MAXCOLS];
	size_t widths[FZ_OUT_MAXCOLS], i, r, w;
	bool header = !(t->flags & OUT_NO_HEADER);

	FZ_CHECK(fz_text_ok(text, len, "\n", false),
	    "table output with a control character or invalid UTF-8: '%s'",
	    fz_show(text, len));
	for (i = 0; i < t->ncols; i++) {
		names[i] = t->cols[i].name;
		widths[i] = header ? fz_table_cell(names[i], &scratch, true) : 0;
		for (r = 0; r < t->nrows; r++) {
			w = fz_table_cell(t->cells[r * t->ncols + i], &scratch,
			    false);
			if (w > widths[i])
				widths[i] = w;
		}
	}
	if (t->ncols > 0) {
		if (header)
			fz_out_table_line(t, names, true, widths, &want);
		for (r = 0; r < t->nrows; r++)
			fz_out_table_line(t, t->cells + r * t->ncols, false,
			    widths, &want);
	}
	FZ_CHECK(want.len == len && memcmp(want.buf, text, len) == 0,
	    "table output '%s', want '%s'", fz_show(text, len),
	    fz_show(want.buf, want.len));
	strbuf_release(&want);
	strbuf_release(&scratch);
}

/*
 * Input: format byte (% 3), flags byte (OUT_BOM, OUT_NO_HEADER), column
 * count byte (% 7), column types (u32, two bits a column), the size of a
 * too-small stream (byte * 4 + 1), then NUL-separated column names and
 * cells row by row ("\xFF" alone is a NULL cell).
 */
void
fuzz_out(const uint8_t *data, size_t size)
{
	static const char *const nul_cell = "\xFF";
	struct fz f;
	struct fz_table t;
	char small[1024], *text;
	size_t len, i, cap, ncells;
	uint32_t types;
	FILE *fp;
	int rc, arc;

	fz_init(&f, data, size);
	memset(&t, 0, sizeof t);
	t.fmt = (enum out_format)(fz_byte(&f) % 3);
	t.flags = fz_byte(&f) & (OUT_BOM | OUT_NO_HEADER);
	t.ncols = fz_byte(&f) % (FZ_OUT_MAXCOLS + 1);
	types = fz_u32(&f);
	cap = fz_byte(&f) * 4 + 1;
	for (i = 0; i < t.ncols; i++) {
		t.cols[i].name = fz_str(&f);
		t.cols[i].type = (enum out_type)((types >> (2 * i)) % 4 % 3);
	}
	/* The rest are the cells, row by row; "\xFF" alone is NULL. */
	ncells = 0;
	t.cells = fz_own(&f, xcalloc(FZ_OUT_MAXROWS * FZ_OUT_MAXCOLS,
	    sizeof *t.cells));
	while (t.ncols > 0 && f.n > 0 &&
	    ncells < FZ_OUT_MAXROWS * t.ncols) {
		t.cells[ncells] = fz_str(&f);
		if (strcmp(t.cells[ncells], nul_cell) == 0)
			t.cells[ncells] = NULL;
		ncells++;
	}
	t.nrows = t.ncols > 0 ? (ncells + t.ncols - 1) / t.ncols : 0;

	text = fz_out_run(&t, NULL, &len, &rc);
	FZ_CHECK(rc == 0, "out_finish on a memory stream: %s",
	    strerror(errno));
	FZ_CHECK(strlen(text) == len, "NUL byte in the output");
	switch (t.fmt) {
	case OUT_CSV:
		fz_out_csv(&t, text, len);
		break;
	case OUT_JSON:
		fz_out_json(&t, text, len);
		break;
	case OUT_TABLE:
		fz_out_table(&t, text, len);
		break;
	}

	/* The same into a full buffer: a write error must be reported. */
	if ((fp = fmemopen(small, cap, "w")) != NULL) {
		fz_out_run(&t, fp, NULL, &arc);
		FZ_CHECK(len <= cap || (arc == -1 && errno != 0),
		    "%zu bytes into a %zu-byte stream: out_finish %d", len,
		    cap, arc);
		FZ_CHECK(len >= cap || arc == 0,
		    "%zu bytes into a %zu-byte stream: out_finish %d (%s)",
		    len, cap, arc, strerror(errno));
		fclose(fp);
	}
	free(text);
	fz_done(&f);
}

/* ---- mail ----------------------------------------------------------------- */

/*
 * mail.h's cleaning rule for header text: controls and spaces become one
 * space, ends trimmed, invalid UTF-8 as U+FFFD.
 */
static void
fz_mail_clean(const char *s, struct strbuf *out)
{
	size_t n = s ? strlen(s) : 0, start = out->len;
	unsigned long cp;
	bool space = false;
	int k;

	while (n > 0) {
		k = utf8_decode(s, n, &cp);
		if (k > 0 && (cp == ' ' || cp < 0x20 || cp == 0x7F ||
		    fz_is_c1(cp) || cp == 0x2028 || cp == 0x2029)) {
			space = out->len > start;
		} else {
			if (space)
				strbuf_addch(out, ' ');
			space = false;
			if (k < 0)
				strbuf_addstr(out, FZ_FFFD);
			else
				strbuf_add(out, s, (size_t)k);
		}
		k = k < 0 ? -k : k;
		s += k;
		n -= (size_t)k;
	}
}

/* The body rule: LF line ends, controls but TAB gone, final LF. */
static void
fz_mail_body(const char *s, struct strbuf *out)
{
	size_t n = s ? strlen(s) : 0;
	unsigned long cp;
	int k;

	while (n > 0) {
		if (*s == '\r') {
			strbuf_addch(out, '\n');
			k = s[1] == '\n' ? 2 : 1;
		} else if ((k = utf8_decode(s, n, &cp)) < 0) {
			strbuf_addstr(out, FZ_FFFD);
			k = -k;
		} else if (cp == '\n' || cp == '\t' || !(cp < 0x20 ||
		    cp == 0x7F || fz_is_c1(cp) || cp == 0x2028 ||
		    cp == 0x2029)) {
			strbuf_add(out, s, (size_t)k);
		}
		s += k;
		n -= (size_t)k;
	}
	if (out->len == 0 || out->buf[out->len - 1] != '\n')
		strbuf_addch(out, '\n');
}

static int
fz_b64(int c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/*
 * One RFC 2047 "=?UTF-8?B?...?=" word at s (n bytes, the whole word):
 * decoded into out, which must then hold whole UTF-8 characters.
 */
static void
fz_mail_word(const char *s, size_t n, struct strbuf *out)
{
	size_t i, start = out->len;
	unsigned long v = 0;
	int bits = 0, x;

	FZ_CHECK(n >= 12 && n <= 75 && memcmp(s, "=?UTF-8?B?", 10) == 0 &&
	    memcmp(s + n - 2, "?=", 2) == 0 && (n - 12) % 4 == 0,
	    "malformed encoded-word '%s'", fz_show(s, n));
	for (i = 10; i < n - 2; i++) {
		if (s[i] == '=')
			break;
		x = fz_b64((unsigned char)s[i]);
		FZ_CHECK(x >= 0, "bad base64 in '%s'", fz_show(s, n));
		v = (v << 6 | (unsigned long)x) & 0xFFFFFF;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			strbuf_addch(out, (int)(v >> bits & 0xFF));
		}
	}
	FZ_CHECK(fz_utf8_ok(out->buf + start, out->len - start),
	    "encoded-word '%s' splits a character", fz_show(s, n));
}

/*
 * A header's value after unfolding (the LF of each fold removed), as the
 * phrase or unstructured text it encodes: all encoded-words, or plain
 * words.  For a mailbox, *addr gets what is between < and >.
 */
static void
fz_mail_decode(const char *v, size_t n, struct strbuf *text, bool mailbox,
    struct strbuf *addr, const char **rest)
{
	const char *p = v, *end = v + n, *q;
	bool words = false, plain = false;

	for (;;) {
		while (p < end && *p == ' ')
			p++;
		if (p >= end || (mailbox && *p == '<'))
			break;
		if (mailbox && *p == '"') {
			FZ_CHECK(!words && !plain, "quoted name after words");
			for (p++; p < end && *p != '"'; p++) {
				if (*p == '\\')
					p++;
				FZ_CHECK(p < end, "unterminated quoted-string");
				strbuf_addch(text, *p);
			}
			FZ_CHECK(p < end, "unterminated quoted-string");
			p++;
			plain = true;
			continue;
		}
		for (q = p; q < end && *q != ' '; q++)
			;
		if (q - p >= 2 && memcmp(p, "=?", 2) == 0) {
			FZ_CHECK(!plain, "encoded-word after plain text");
			fz_mail_word(p, (size_t)(q - p), text);
			words = true;
		} else {
			FZ_CHECK(!words && !mailbox,
			    "plain word '%s' among encoded-words or in a name",
			    fz_show(p, (size_t)(q - p)));
			if (plain)
				strbuf_addch(text, ' ');
			strbuf_add(text, p, (size_t)(q - p));
			plain = true;
		}
		p = q;
	}
	if (mailbox) {
		FZ_CHECK(p < end && *p == '<', "mailbox without <address>");
		for (q = ++p; q < end && *q != '>'; q++)
			;
		FZ_CHECK(q < end, "unterminated <address>");
		strbuf_add(addr, p, (size_t)(q - p));
		*rest = q + 1;
	}
}

static void
fz_mail_mailbox(const char *what, const char **pp, const char *end,
    const struct mail_addr *a, bool comma)
{
	struct strbuf name = STRBUF_INIT, want = STRBUF_INIT;
	struct strbuf addr = STRBUF_INIT;
	const char *rest;

	fz_mail_decode(*pp, (size_t)(end - *pp), &name, true, &addr, &rest);
	fz_mail_clean(a->name, &want);
	FZ_CHECK(strcmp(name.buf, want.buf) == 0,
	    "%s name '%s' reads back as '%s'", what, FZ_SHOW(a->name),
	    FZ_SHOW(name.buf));
	FZ_CHECK(strcmp(addr.buf, a->email) == 0, "%s address '%s' is '%s'",
	    what, FZ_SHOW(a->email), FZ_SHOW(addr.buf));
	if (comma) {
		FZ_CHECK(rest < end && *rest == ',', "%s: no comma", what);
		rest++;
	}
	*pp = rest;
	strbuf_release(&name);
	strbuf_release(&want);
	strbuf_release(&addr);
}

/* Upper-case only, as RFC 2045 wants them written. */
static int
fz_hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* quoted-printable with LF as the hard break. */
static void
fz_mail_unqp(const char *s, size_t n, struct strbuf *out)
{
	size_t i, col = 0;
	int hi, lo;

	for (i = 0; i < n; i++) {
		if (s[i] == '\n') {
			FZ_CHECK(col <= 76, "quoted-printable line of %zu", col);
			col = 0;
			strbuf_addch(out, '\n');
			continue;
		}
		col++;
		if (s[i] != '=') {
			FZ_CHECK(s[i] == '\t' || (s[i] >= 32 && s[i] <= 126),
			    "raw byte 0x%02x in quoted-printable",
			    (unsigned char)s[i]);
			FZ_CHECK(!((s[i] == ' ' || s[i] == '\t') &&
			    (i + 1 == n || s[i + 1] == '\n')),
			    "trailing white space in quoted-printable");
			strbuf_addch(out, s[i]);
			continue;
		}
		if (i + 1 < n && s[i + 1] == '\n') {
			i++;
			col = 0;
			continue;
		}
		FZ_CHECK(i + 2 < n, "truncated =XX in quoted-printable");
		hi = fz_hexval(s[i + 1]);
		lo = fz_hexval(s[i + 2]);
		FZ_CHECK(hi >= 0 && lo >= 0, "bad =XX in quoted-printable");
		strbuf_addch(out, hi << 4 | lo);
		i += 2;
		col += 2;
	}
}

static const char *const fz_mail_headers[] = {
	"Date", "From", "To", "Cc", "Subject", "Message-ID", "MIME-Version",
	"Content-Type", "Content-Transfer-Encoding", "Auto-Submitted",
	"X-Auto-Response-Suppress", "Reply-To",
};
#define FZ_MAIL_NHEADERS (sizeof fz_mail_headers / sizeof fz_mail_headers[0])

/*
 * The composed message m gave msg: only mail.c's own headers, each once,
 * lines within limits, and every text reads back as the cleaned input.
 */
static void
fz_mail_check(const struct mail_msg *m, const char *msg, size_t len)
{
	struct strbuf val[FZ_MAIL_NHEADERS], subj = STRBUF_INIT;
	struct strbuf want = STRBUF_INIT, body = STRBUF_INIT;
	const char *p, *eol, *hend, *colon, *end;
	int count[FZ_MAIL_NHEADERS] = { 0 }, cur = -1;
	size_t i, linelen;
	bool qp;

	FZ_CHECK(strlen(msg) == len && memchr(msg, '\r', len) == NULL,
	    "message with a NUL or CR");
	FZ_CHECK(fz_utf8_ok(msg, len), "message is not UTF-8");
	for (i = 0; i < FZ_MAIL_NHEADERS; i++)
		strbuf_init(&val[i]);
	hend = strstr(msg, "\n\n");
	FZ_CHECK(hend != NULL, "no end of header");
	for (p = msg; p <= hend; p = eol + 1) {
		eol = strchr(p, '\n');
		linelen = (size_t)(eol - p);
		FZ_CHECK(linelen > 0, "empty header line");
		if (*p == ' ') {
			FZ_CHECK(cur >= 0 && strspn(p, " ") < linelen,
			    "bad continuation line '%s'", fz_show(p, linelen));
			/* Only an address or a Message-ID may not fold. */
			FZ_CHECK(linelen <= 78 || (p[1] == '<' &&
			    memchr(p + 1, ' ', linelen - 1) == NULL),
			    "header line of %zu octets: '%s'", linelen,
			    fz_show(p, linelen));
			strbuf_add(&val[cur], p, linelen);
			continue;
		}
		colon = memchr(p, ':', linelen);
		FZ_CHECK(colon != NULL, "header line without a name: '%s'",
		    fz_show(p, linelen));
		for (cur = 0; cur < (int)FZ_MAIL_NHEADERS; cur++)
			if (strlen(fz_mail_headers[cur]) == (size_t)(colon - p) &&
			    memcmp(fz_mail_headers[cur], p, (size_t)(colon -
			    p)) == 0)
				break;
		/* A header mail.c did not write is an injection. */
		FZ_CHECK(cur < (int)FZ_MAIL_NHEADERS,
		    "injected header line '%s'", fz_show(p, linelen));
		FZ_CHECK(count[cur]++ == 0, "second %s header",
		    fz_mail_headers[cur]);
		FZ_CHECK(linelen <= 78 || strcmp(fz_mail_headers[cur],
		    "Message-ID") == 0, "header line of %zu octets: '%s'",
		    linelen, fz_show(p, linelen));
		strbuf_add(&val[cur], colon + 1, (size_t)(eol - colon - 1));
	}
	for (i = 0; i < FZ_MAIL_NHEADERS; i++) {
		if (strcmp(fz_mail_headers[i], "Cc") == 0)
			FZ_CHECK(count[i] == (m->ncc > 0), "Cc count %d",
			    count[i]);
		else if (strcmp(fz_mail_headers[i], "Message-ID") == 0)
			FZ_CHECK(count[i] == (m->message_id != NULL),
			    "Message-ID count %d", count[i]);
		else if (strcmp(fz_mail_headers[i], "Reply-To") == 0)
			FZ_CHECK(count[i] == (m->reply_to.email != NULL),
			    "Reply-To count %d", count[i]);
		else
			FZ_CHECK(count[i] == 1, "no %s header",
			    fz_mail_headers[i]);
	}

	/* From, To, Cc and Subject read back. */
	p = val[1].buf;
	fz_mail_mailbox("From", &p, p + val[1].len, &m->from, false);
	FZ_CHECK(*p == '\0', "From: trailing '%s'", FZ_SHOW(p));
	p = val[2].buf;
	fz_mail_mailbox("To", &p, p + val[2].len, &m->to, false);
	FZ_CHECK(*p == '\0', "To: trailing '%s'", FZ_SHOW(p));
	p = val[3].buf;
	end = p + val[3].len;
	for (i = 0; i < m->ncc; i++)
		fz_mail_mailbox("Cc", &p, end, &m->cc[i], i + 1 < m->ncc);
	FZ_CHECK(p == end, "Cc: trailing '%s'", FZ_SHOW(p));
	fz_mail_decode(val[4].buf, val[4].len, &subj, false, NULL, NULL);
	fz_mail_clean(m->subject, &want);
	FZ_CHECK(strcmp(subj.buf, want.buf) == 0,
	    "subject '%s' reads back as '%s'", FZ_SHOW(m->subject),
	    FZ_SHOW(subj.buf));
	if (m->message_id != NULL)
		FZ_CHECK(val[5].len == strlen(m->message_id) + 3 &&
		    strncmp(val[5].buf, " <", 2) == 0 &&
		    strncmp(val[5].buf + 2, m->message_id,
		    strlen(m->message_id)) == 0 && val[5].buf[val[5].len - 1] ==
		    '>', "Message-ID '%s'", FZ_SHOW(val[5].buf));

	/* The body: cleaned text, 7bit (ASCII, lines <= 78) or quoted-printable. */
	qp = strcmp(val[8].buf, " quoted-printable") == 0;
	FZ_CHECK(qp || strcmp(val[8].buf, " 7bit") == 0,
	    "Content-Transfer-Encoding '%s'", FZ_SHOW(val[8].buf));
	p = hend + 2;
	for (linelen = 0, i = (size_t)(p - msg); i < len; i++) {
		linelen = msg[i] == '\n' ? 0 : linelen + 1;
		FZ_CHECK(linelen <= 78, "body line longer than 78 octets");
		FZ_CHECK(qp || (unsigned char)msg[i] < 0x80, "8-bit byte in a "
		    "7bit body");
	}
	if (qp)
		fz_mail_unqp(p, len - (size_t)(p - msg), &body);
	else
		strbuf_add(&body, p, len - (size_t)(p - msg));
	strbuf_reset(&want);
	fz_mail_body(m->body, &want);
	FZ_CHECK(strcmp(body.buf, want.buf) == 0, "body '%s' reads back as "
	    "'%s'", FZ_SHOW(want.buf), FZ_SHOW(body.buf));

	for (i = 0; i < FZ_MAIL_NHEADERS; i++)
		strbuf_release(&val[i]);
	strbuf_release(&subj);
	strbuf_release(&want);
	strbuf_release(&body);
}

/* mboxrd: ">*From " lines get one more '>', and a blank line follows. */
static void
fz_mail_mbox(const char *msg, size_t len, time_t when)
{
	struct strbuf mb = STRBUF_INIT, back = STRBUF_INIT;
	const char *p, *eol, *q;

	mail_mbox_append(&mb, msg, len, when);
	FZ_CHECK(strncmp(mb.buf, "From mentorctl@localhost ", 25) == 0,
	    "mbox entry starts '%s'", FZ_SHOW(mb.buf));
	p = strchr(mb.buf, '\n');
	FZ_CHECK(p != NULL, "mbox entry without its From line");
	/* asctime's layout, year 1..9999: "Www Mmm dd hh:mm:ss YYYY" */
	for (q = p; q > mb.buf && q[-1] >= '0' && q[-1] <= '9'; q--)
		;
	FZ_CHECK(p - (mb.buf + 25) >= 21 && p - q >= 1 && p - q <= 4 &&
	    q[-1] == ' ' && *q != '0' && p - (mb.buf + 25) == 20 + (p - q),
	    "mbox From line in '%s'", FZ_SHOW(mb.buf));
	for (p++; *p != '\0'; p = eol + 1) {
		eol = strchr(p, '\n');
		FZ_CHECK(eol != NULL, "mbox entry without a final newline");
		FZ_CHECK(strncmp(p, "From ", 5) != 0,
		    "unquoted From line in the mbox");
		for (q = p; *q == '>'; q++)
			;
		if (q > p && strncmp(q, "From ", 5) == 0)
			p++;
		strbuf_add(&back, p, (size_t)(eol - p) + 1);
	}
	FZ_CHECK(back.len == len + 1 && memcmp(back.buf, msg, len) == 0 &&
	    back.buf[len] == '\n', "mbox entry does not unquote to the "
	    "message");
	strbuf_release(&mb);
	strbuf_release(&back);
}

static const char *
fz_mail_email(struct fz *f, bool fixed, const char *good)
{
	return fixed ? good : fz_str(f);
}

/*
 * A Message-ID as mail_reminder_id makes them.  The kind is one of
 * remind.h's names in real use: a short word.
 */
static const char *
fz_mail_id(struct fz *f)
{
	char *slug = fz_str(f), *kind = fz_str(f);
	long long id = fz_wide(f);
	int due = fz_day(f);
	char *to = fz_str(f), *contact = fz_str(f);

	if (strlen(kind) > 20)
		kind[20] = '\0';
	return fz_own(f, mail_message_id(slug, kind, id, due, to, contact));
}

static void
fz_mail_compose(struct fz *f)
{
	struct mail_addr cc[3];
	struct mail_msg m;
	struct strbuf out = STRBUF_INIT, longbody = STRBUF_INIT;
	struct error err = ERROR_INIT;
	char date[MAIL_DATE_BUFSZ];
	unsigned flags = fz_byte(f);
	bool fixed = flags & 8, valid;
	size_t i;
	int rc;

	memset(&m, 0, sizeof m);
	m.ncc = (flags >> 1) % 4;
	m.from.name = fz_str(f);
	m.from.email = fz_mail_email(f, fixed, "coord@example.org");
	m.to.name = fz_str(f);
	m.to.email = fz_mail_email(f, fixed, "ada@example.org");
	for (i = 0; i < m.ncc; i++) {
		cc[i].name = fz_str(f);
		cc[i].email = fz_mail_email(f, fixed, "bob@example.org");
	}
	m.cc = cc;
	m.subject = fz_str(f);
	m.date = (time_t)fz_wide(f);
	if (flags & 1)
		m.message_id = fz_str(f);
	else if (flags & 16)
		m.message_id = fz_mail_id(f);
	m.body = fz_str(f);
	/* Repeated past 998 octets a line: quoted-printable. */
	if ((flags & 64) && m.body[0] != '\0') {
		while (longbody.len < 1000)
			strbuf_addstr(&longbody, m.body);
		m.body = longbody.buf;
	}

	mail_date(m.date, date);
	FZ_CHECK(strlen(date) < MAIL_DATE_BUFSZ, "mail_date overflow");
	/* Whom `people import` takes, `remind` must be able to mail. */
	FZ_CHECK(!people_email_valid(m.to.email) ||
	    mail_addr_valid(m.to.email), "'%s' passes people_email_valid but "
	    "not mail_addr_valid", FZ_SHOW(m.to.email));
	strbuf_addstr(&out, "PREFIX\n");
	rc = mail_compose(&m, &out, &err);
	valid = mail_addr_valid(m.from.email) && mail_addr_valid(m.to.email);
	for (i = 0; i < m.ncc; i++)
		valid = valid && mail_addr_valid(cc[i].email);
	/* Generated IDs are always valid; arbitrary ones may not be. */
	FZ_CHECK(rc == 0 || !valid || (flags & 1),
	    "mail_compose refused valid addresses: %s", FZ_SHOW(err.msg));
	FZ_CHECK(rc == -1 || valid, "mail_compose took an invalid address");
	if (rc == -1) {
		FZ_CHECK(out.len == 7 && err.code == EX_DATAERR &&
		    fz_msg_ok(err.msg),
		    "failed mail_compose: out %zu bytes, code %d, '%s'",
		    out.len, err.code, FZ_SHOW(err.msg));
	} else {
		fz_mail_check(&m, out.buf + 7, out.len - 7);
		fz_mail_mbox(out.buf + 7, out.len - 7, m.date);
	}
	strbuf_release(&longbody);
	strbuf_release(&out);
	error_clear(&err);
}

static void
fz_mail_reminder(struct fz *f)
{
	struct program *p = program_new();
	struct reminder r;
	struct mail_msg m;
	struct strbuf out = STRBUF_INIT;
	struct error err = ERROR_INIT;
	const char *line, *eol, *s;
	char *subject, *body, *id;
	unsigned flags = fz_byte(f);
	time_t now;
	int rc;

	p->name = xstrdup(fz_str(f));
	p->slug = xstrdup(fz_str(f));
	if (!(flags & 1))
		p->contact = xstrdup(flags & 2 ? fz_str(f) : "hr@example.org");
	p->checkins.every.n = fz_int(f);
	p->checkins.every.unit = (enum date_unit)(fz_byte(f) % 4);
	p->cycle.reup_default = (enum reup_default)(fz_byte(f) % 2);
	memset(&r, 0, sizeof r);
	r.kind = (enum remind_kind)(fz_byte(f) % REMIND_NKINDS);
	r.role = (enum remind_role)(fz_byte(f) % 3);
	r.pairing_id = fz_wide(f);
	r.due_on = fz_day(f);
	r.mentor.name = fz_str(f);
	r.mentor.email = flags & 4 ? fz_str(f) : "mentor@example.org";
	r.mentee.name = fz_str(f);
	r.mentee.email = flags & 4 ? fz_str(f) : "mentee@example.org";
	r.to = r.role == REMIND_ROLE_MENTOR ? r.mentor :
	    r.role == REMIND_ROLE_MENTEE ? r.mentee :
	    (struct remind_person){ NULL, p->contact };
	r.meeting_number = fz_int(f);
	r.prompt = flags & 8 ? fz_str(f) : NULL;
	r.last_meeting = fz_day(f);
	r.since = fz_day(f);
	r.days_overdue = fz_int(f);
	r.missed = fz_int(f);
	r.proposed_on = fz_day(f);
	r.expires_on = fz_day(f);
	r.reup_closes_on = fz_day(f);
	r.cycle_ends_on = fz_day(f);
	now = (time_t)fz_wide(f);

	subject = mail_reminder_subject(p, &r);
	body = mail_reminder_body(p, &r);
	id = mail_reminder_id(p, &r);
	/*
	 * Addresses are printed as they are: the parser and the importer
	 * validate them, so the texts are only checked for the valid ones.
	 */
	if ((p->contact != NULL && !mail_addr_valid(p->contact)) ||
	    !mail_addr_valid(r.mentor.email) || !mail_addr_valid(r.mentee.email))
		goto send;
	FZ_CHECK(fz_text_ok(subject, strlen(subject), "", true),
	    "reminder subject '%s'", FZ_SHOW(subject));
	FZ_CHECK(fz_text_ok(body, strlen(body), "\n", true),
	    "reminder body '%s'", FZ_SHOW(body));
	/* Wrapped at 72 columns; only a single long word may pass. */
	for (line = body; *line != '\0'; line = eol + 1) {
		eol = strchr(line, '\n');
		FZ_CHECK(eol != NULL, "reminder body without a final newline");
		if (fz_width(line, (size_t)(eol - line)) <= 72)
			continue;
		for (s = line; *s == ' '; s++)
			;
		FZ_CHECK(memchr(s, ' ', (size_t)(eol - s)) == NULL,
		    "reminder body line of %zu columns: '%s'",
		    fz_width(line, (size_t)(eol - line)),
		    fz_show(line, (size_t)(eol - line)));
	}

send:
	rc = mail_reminder(p, &r, now, &out, &err);
	FZ_CHECK((rc == 0) == (p->contact != NULL &&
	    mail_addr_valid(p->contact) && mail_addr_valid(r.to.email)),
	    "mail_reminder returned %d: %s", rc, FZ_SHOW(err.msg));
	if (rc == 0) {
		memset(&m, 0, sizeof m);
		m.from.name = p->name[0] ? p->name : p->slug[0] ? p->slug :
		    "Mentoring programme";
		m.from.email = p->contact;
		m.to = (struct mail_addr){ r.to.name, r.to.email };
		m.subject = subject;
		m.body = body;
		m.message_id = id;
		m.date = now;
		fz_mail_check(&m, out.buf, out.len);
	}
	free(subject);
	free(body);
	free(id);
	strbuf_release(&out);
	error_clear(&err);
	program_free(p);
}

/* ---- iCalendar ------------------------------------------------------------ */

/* RFC 5545 TEXT as ics.h promises: line breaks as \n, controls dropped. */
static void
fz_ics_text(const char *s, struct strbuf *out)
{
	size_t n = strlen(s);
	unsigned long cp;
	int k;

	while (n > 0) {
		if (*s == '\r' || *s == '\n') {
			strbuf_addch(out, '\n');
			k = s[0] == '\r' && s[1] == '\n' ? 2 : 1;
		} else if ((k = utf8_decode(s, n, &cp)) < 0) {
			strbuf_addstr(out, FZ_FFFD);
			k = -k;
		} else if (cp == '\t' || !(cp < 0x20 || cp == 0x7F ||
		    fz_is_c1(cp))) {
			strbuf_add(out, s, (size_t)k);
		}
		s += k;
		n -= (size_t)k;
	}
}

static void
fz_ics_unescape(const char *s, size_t n, struct strbuf *out)
{
	size_t i;

	for (i = 0; i < n; i++) {
		FZ_CHECK(s[i] != ';' && s[i] != ',',
		    "unescaped '%c' in TEXT '%s'", s[i], fz_show(s, n));
		if (s[i] != '\\') {
			strbuf_addch(out, s[i]);
			continue;
		}
		FZ_CHECK(i + 1 < n && strchr("\\;,n", s[i + 1]) != NULL &&
		    s[i + 1] != '\0', "bad escape in TEXT '%s'", fz_show(s, n));
		i++;
		strbuf_addch(out, s[i] == 'n' ? '\n' : s[i]);
	}
}

/* What property NAME:VALUE (unfolded) must say about text s. */
static void
fz_ics_expect(const char *line, size_t n, const char *name, const char *s)
{
	struct strbuf got = STRBUF_INIT, want = STRBUF_INIT;
	size_t k = strlen(name);

	FZ_CHECK(n > k && memcmp(line, name, k) == 0 && line[k] == ':',
	    "expected %s, found '%s'", name, fz_show(line, n));
	fz_ics_unescape(line + k + 1, n - k - 1, &got);
	fz_ics_text(s, &want);
	FZ_CHECK(strcmp(got.buf, want.buf) == 0, "%s '%s' reads back as '%s'",
	    name, FZ_SHOW(s), FZ_SHOW(got.buf));
	strbuf_release(&got);
	strbuf_release(&want);
}

/*
 * Folding: CRLF line ends only, at most 75 octets a line, continuation
 * lines start with a space and never split a UTF-8 sequence.  Returns the
 * unfolded content lines, each ending in LF.
 */
static void
fz_ics_unfold(const char *s, size_t n, bool utf8, struct strbuf *lines)
{
	const char *p = s, *end = s + n, *eol;
	size_t len;

	FZ_CHECK(n == 0 || (n >= 2 && memcmp(end - 2, "\r\n", 2) == 0),
	    "calendar does not end with CRLF");
	while (p < end) {
		for (eol = p; eol + 1 < end &&
		    !(eol[0] == '\r' && eol[1] == '\n'); eol++)
			FZ_CHECK(*eol != '\r' && *eol != '\n',
			    "bare CR or LF in '%s'", fz_show(p, (size_t)(end -
			    p)));
		len = (size_t)(eol - p);
		FZ_CHECK(len <= 75, "calendar line of %zu octets: '%s'", len,
		    fz_show(p, len));
		FZ_CHECK(!utf8 || fz_utf8_ok(p, len),
		    "calendar line that is not UTF-8 on its own: '%s'",
		    fz_show(p, len));
		if (p > s && *p == ' ') {
			FZ_CHECK(lines->len > 0, "continuation first");
			lines->len--;	/* the LF of the line it continues */
			strbuf_add(lines, p + 1, len - 1);
		} else {
			strbuf_add(lines, p, len);
		}
		strbuf_addch(lines, '\n');
		p = eol + 2;
	}
}

/* ATTENDEE[;CN="name"]:mailto:address, percent-encoded. */
static void
fz_ics_attendee(const char *line, size_t n, const struct ics_attendee *a)
{
	struct strbuf addr = STRBUF_INIT;
	const char *p = line + 8, *end = line + n, *q;
	int hi, lo;

	FZ_CHECK(n > 8 && memcmp(line, "ATTENDEE", 8) == 0,
	    "ATTENDEE '%s'", fz_show(line, n));
	if (a->name != NULL && a->name[0] != '\0') {
		FZ_CHECK(end - p > 5 && memcmp(p, ";CN=\"", 5) == 0,
		    "ATTENDEE without CN: '%s'", fz_show(line, n));
		q = memchr(p + 5, '"', (size_t)(end - p - 5));
		FZ_CHECK(q != NULL, "CN not closed: '%s'", fz_show(line, n));
		p = q + 1;
	}
	FZ_CHECK(end - p > 8 && memcmp(p, ":mailto:", 8) == 0,
	    "ATTENDEE without mailto: '%s'", fz_show(line, n));
	for (p += 8; p < end; p++) {
		if (*p != '%') {
			FZ_CHECK(strchr(":;,\" <>", *p) == NULL,
			    "raw '%c' in a mailto URI", *p);
			strbuf_addch(&addr, *p);
			continue;
		}
		FZ_CHECK(end - p >= 3, "truncated %%XX");
		hi = fz_hexval(p[1]);
		lo = fz_hexval(p[2]);
		FZ_CHECK(hi >= 0 && lo >= 0, "bad %%XX in '%s'",
		    fz_show(line, n));
		strbuf_addch(&addr, hi << 4 | lo);
		p += 2;
	}
	FZ_CHECK(strcmp(addr.buf, a->email) == 0, "mailto '%s' for '%s'",
	    FZ_SHOW(addr.buf), FZ_SHOW(a->email));
	strbuf_release(&addr);
}

static bool
fz_ts_ok(long long t)
{
	char ts[TIMESTAMP_BUFSZ];

	return timestamp_format((time_t)t, ts)[0] != '\0';
}

static void
fz_ics(struct fz *f)
{
	struct ics_attendee att[3];
	struct ics_event ev;
	struct strbuf out = STRBUF_INIT, lines = STRBUF_INIT;
	struct strbuf want = STRBUF_INIT, got = STRBUF_INIT;
	struct error err = ERROR_INIT;
	const char *version, *calname, *p, *eol;
	unsigned flags = fz_byte(f);
	long long dtstamp;
	size_t i, before, k;
	bool ok;
	int rc;

	version = fz_str(f);
	calname = flags & 1 ? fz_str(f) : NULL;
	memset(&ev, 0, sizeof ev);
	ev.uid = fz_str(f);
	ev.timed = flags & 2;
	ev.date = fz_day(f);
	ev.start = (time_t)fz_wide(f);
	ev.minutes = fz_byte(f) & 1 ? fz_int(f) : (int)fz_byte(f) + 1;
	ev.summary = fz_str(f);
	ev.description = flags & 4 ? fz_str(f) : NULL;
	ev.nattendees = (flags >> 3) % 4;
	for (i = 0; i < ev.nattendees; i++) {
		att[i].name = fz_str(f);
		att[i].email = flags & 32 ? fz_str(f) : "ada@example.org";
	}
	ev.attendees = att;
	dtstamp = fz_wide(f);

	ics_begin(&out, version, calname);
	before = out.len;
	rc = ics_event(&out, &ev, (time_t)dtstamp, &err);
	ok = ev.uid[0] != '\0' && fz_ts_ok(dtstamp);
	if (ev.timed)
		ok = ok && ev.minutes > 0 && fz_ts_ok(ev.start) &&
		    ev.start <= LLONG_MAX - 60LL * ev.minutes &&
		    fz_ts_ok(ev.start + 60LL * ev.minutes);
	else
		ok = ok && ev.date >= DATE_MIN_DAY && ev.date < DATE_MAX_DAY;
	for (i = 0; i < ev.nattendees; i++)
		ok = ok && mail_addr_valid(att[i].email);
	FZ_CHECK((rc == 0) == ok, "ics_event returned %d: %s", rc,
	    FZ_SHOW(err.msg));
	if (rc == -1)
		FZ_CHECK(out.len == before && err.code == EX_DATAERR,
		    "failed ics_event changed the output or code %d", err.code);
	ics_end(&out);
	fz_ics_unfold(out.buf, out.len, true, &lines);
	FZ_CHECK(fz_text_ok(lines.buf, lines.len, "\t\n", false),
	    "control character in the calendar");

	/* Line by line, what each property must say. */
	p = lines.buf;
#define FZ_NEXT() (eol = strchr(p, '\n'), k = (size_t)(eol - p))
#define FZ_LINE(s) do {							\
	FZ_NEXT();							\
	FZ_CHECK(k == strlen(s) && memcmp(p, s, k) == 0,		\
	    "expected '%s', found '%s'", s, fz_show(p, k));		\
	p = eol + 1;							\
} while (0)
	FZ_LINE("BEGIN:VCALENDAR");
	FZ_LINE("VERSION:2.0");
	FZ_NEXT();
	strbuf_addstr(&want, "PRODID:-//mentorctl//mentorctl ");
	fz_ics_text(version, &want);
	strbuf_addstr(&want, "//EN");
	fz_ics_unescape(p, k, &got);
	FZ_CHECK(strcmp(got.buf, want.buf) == 0, "PRODID '%s'",
	    fz_show(p, k));
	p = eol + 1;
	FZ_LINE("CALSCALE:GREGORIAN");
	FZ_LINE("METHOD:PUBLISH");
	if (calname != NULL) {
		FZ_NEXT();
		fz_ics_expect(p, k, "X-WR-CALNAME", calname);
		p = eol + 1;
	}
	if (rc == 0) {
		FZ_LINE("BEGIN:VEVENT");
		FZ_NEXT();
		strbuf_reset(&want);
		strbuf_reset(&got);
		strbuf_addstr(&want, "UID:");
		fz_ics_text(ev.uid, &want);
		strbuf_addstr(&want, "@mentorctl");
		fz_ics_unescape(p, k, &got);
		FZ_CHECK(strcmp(got.buf, want.buf) == 0, "UID '%s'",
		    fz_show(p, k));
		p = eol + 1;
		FZ_NEXT();
		FZ_CHECK(k == 24 && memcmp(p, "DTSTAMP:", 8) == 0,
		    "DTSTAMP '%s'", fz_show(p, k));
		p = eol + 1;
		FZ_NEXT();
		FZ_CHECK(k == (ev.timed ? 24 : 27), "DTSTART '%s'",
		    fz_show(p, k));
		p = eol + 1;
		FZ_NEXT();
		FZ_CHECK(k == (ev.timed ? 22 : 25), "DTEND '%s'",
		    fz_show(p, k));
		p = eol + 1;
		FZ_NEXT();
		fz_ics_expect(p, k, "SUMMARY", ev.summary);
		p = eol + 1;
		if (ev.description != NULL) {
			FZ_NEXT();
			fz_ics_expect(p, k, "DESCRIPTION", ev.description);
			p = eol + 1;
		}
		for (i = 0; i < ev.nattendees; i++) {
			FZ_NEXT();
			fz_ics_attendee(p, k, &att[i]);
			p = eol + 1;
		}
		FZ_LINE("END:VEVENT");
	}
	FZ_LINE("END:VCALENDAR");
#undef FZ_LINE
#undef FZ_NEXT
	FZ_CHECK(*p == '\0', "more calendar lines: '%s'", FZ_SHOW(p));

	/* ics_fold on its own, with any bytes. */
	strbuf_reset(&out);
	strbuf_reset(&lines);
	ics_fold(&out, version, strlen(version));
	if (strpbrk(version, "\r\n") == NULL) {
		fz_ics_unfold(out.buf, out.len, fz_utf8_ok(version,
		    strlen(version)), &lines);
		FZ_CHECK(lines.len == strlen(version) + 1 &&
		    memcmp(lines.buf, version, lines.len - 1) == 0,
		    "ics_fold('%s') unfolds to '%s'", FZ_SHOW(version),
		    FZ_SHOW(lines.buf));
	}
	strbuf_release(&out);
	strbuf_release(&lines);
	strbuf_release(&want);
	strbuf_release(&got);
	error_clear(&err);
}

/*
 * Input: a mode byte (% 3: mail_compose, the reminder texts, iCalendar),
 * a flags byte, then the fields each mode reads in order: strings up to a
 * NUL, days and times as a selector byte and 4 or 8 bytes (fz_day,
 * fz_wide).  tests/fuzz/corpus/mail has an example of every path.
 */
void
fuzz_mail(const uint8_t *data, size_t size)
{
	struct fz f;

	fz_init(&f, data, size);
	switch (fz_byte(&f) % 3) {
	case 0:
		fz_mail_compose(&f);
		break;
	case 1:
		fz_mail_reminder(&f);
		break;
	default:
		fz_ics(&f);
		break;
	}
	fz_done(&f);
}

/* ---- received mail: mime, reply, token ------------------------------------ */

static const uint8_t fz_token_key[TOKEN_SECRET_LEN] = {
	0x6d, 0x65, 0x6e, 0x74, 0x6f, 0x72, 0x63, 0x74, 0x6c, 0x20, 0x66, 0x75,
	0x7a, 0x7a, 0x20, 0x6b, 0x65, 0x79, 0x20, 0x30, 0x31, 0x32, 0x33, 0x34,
	0x35, 0x36, 0x37, 0x38, 0x39, 0x61, 0x62, 0x63,
};

/* One value of a mime_msg: clean, one line, no doubled or edge spaces. */
static void
fz_mime_value(const char *what, const char *s)
{
	size_t n;

	if (s == NULL)
		return;
	n = strlen(s);
	FZ_CHECK(n <= MIME_MAX_VALUE && fz_text_ok(s, n, "", true) &&
	    strstr(s, "  ") == NULL && (n == 0 || (s[0] != ' ' &&
	    s[n - 1] != ' ')), "mime %s '%s'", what, fz_show(s, n));
}

static bool
fz_token_shaped(const char *t)
{
	size_t n = strlen(t);

	return n >= 1 && n <= TOKEN_MAX_LEN &&
	    strspn(t, "abcdefghijklmnopqrstuvwxyz234567") == n;
}

static void
fz_token_candidates(const struct mime_msg *m)
{
	struct token_claims c;
	char tok[TOKEN_BUFSZ];
	size_t i;

	for (i = 0; i < m->nrecipients; i++)
		if (token_from_address(m->recipients[i], tok)) {
			FZ_CHECK(fz_token_shaped(tok), "token '%s' from '%s'",
			    fz_show(tok, strlen(tok)), FZ_SHOW(m->recipients[i]));
			(void)token_verify(tok, strlen(tok), fz_token_key,
			    m->day, &c);
		}
	for (i = 0; i < m->nreferences; i++)
		if (token_from_message_id(m->references[i], tok))
			FZ_CHECK(fz_token_shaped(tok), "token '%s' from '%s'",
			    fz_show(tok, strlen(tok)), FZ_SHOW(m->references[i]));
	if (token_from_message_id(m->in_reply_to, tok))
		FZ_CHECK(fz_token_shaped(tok), "token '%s' from '%s'",
		    fz_show(tok, strlen(tok)), FZ_SHOW(m->in_reply_to));
}

static void
fz_mime_msg(const struct mime_msg *m)
{
	const struct mime_dsn_rcpt *r;
	size_t i, j;
	long long local;

	FZ_CHECK((m->kind == MIME_AUTO_REPLY) == (m->auto_reason != NULL),
	    "kind %d with auto_reason '%s'", (int)m->kind,
	    FZ_SHOW(m->auto_reason));
	FZ_CHECK(m->kind == MIME_DSN || (m->ndsn == 0 &&
	    m->dsn_original_id == NULL), "DSN fields on kind %d",
	    (int)m->kind);
	fz_mime_value("message-id", m->message_id);
	fz_mime_value("in-reply-to", m->in_reply_to);
	fz_mime_value("from", m->from_addr);
	fz_mime_value("from name", m->from_name);
	FZ_CHECK(m->subject != NULL, "no subject string");
	fz_mime_value("subject", m->subject);
	FZ_CHECK(m->nreferences <= MIME_MAX_LIST && m->nrecipients <=
	    MIME_MAX_LIST && m->ndsn <= MIME_MAX_LIST, "lists of %zu, %zu, "
	    "%zu", m->nreferences, m->nrecipients, m->ndsn);
	for (i = 0; i < m->nreferences; i++) {
		FZ_CHECK(m->references[i][0] != '\0', "empty reference");
		fz_mime_value("reference", m->references[i]);
	}
	for (i = 0; i < m->nrecipients; i++) {
		FZ_CHECK(m->recipients[i][0] != '\0', "empty recipient");
		fz_mime_value("recipient", m->recipients[i]);
		for (j = 0; j < i; j++)
			FZ_CHECK(strcasecmp(m->recipients[i],
			    m->recipients[j]) != 0, "recipient '%s' twice",
			    FZ_SHOW(m->recipients[i]));
	}
	if (m->has_date) {
		FZ_CHECK(m->day >= DATE_MIN_DAY && m->day <= DATE_MAX_DAY,
		    "date %lld gives day %d", m->date, m->day);
		local = m->date + 60LL * m->utc_offset;
		FZ_CHECK((local >= 0 ? local / 86400 : -((-local + 86399) /
		    86400)) == m->day, "date %lld at %+d min is day %d",
		    m->date, m->utc_offset, m->day);
	} else {
		FZ_CHECK(m->day == DATE_NONE, "day %d without a date", m->day);
	}
	FZ_CHECK(m->text != NULL && strlen(m->text) <= MIME_MAX_TEXT &&
	    fz_text_ok(m->text, strlen(m->text), "\n\t", true),
	    "mime text '%s'", FZ_SHOW(m->text));
	FZ_CHECK(m->text_source != MIME_TEXT_NONE || m->text[0] == '\0',
	    "text without a source");
	fz_mime_value("dsn original id", m->dsn_original_id);
	for (i = 0; i < m->ndsn; i++) {
		r = &m->dsn[i];
		FZ_CHECK(r->address != NULL && r->address[0] != '\0' &&
		    strchr(r->address, ' ') == NULL, "DSN address '%s'",
		    FZ_SHOW(r->address));
		fz_mime_value("dsn address", r->address);
		fz_mime_value("dsn original", r->original);
		fz_mime_value("dsn diagnostic", r->diagnostic);
		FZ_CHECK(r->status == NULL || (strlen(r->status) >= 5 &&
		    strchr("245", r->status[0]) != NULL && r->status[1] == '.'),
		    "DSN status '%s'", FZ_SHOW(r->status));
		FZ_CHECK(r->permanent == (r->status != NULL ?
		    r->status[0] == '5' : r->action == MIME_DSN_FAILED),
		    "DSN status '%s' action %d permanent %d",
		    FZ_SHOW(r->status), (int)r->action, (int)r->permanent);
	}
}

static void
fz_reply(const struct reply *r, int mail_day)
{
	const struct reply_cmd *c;
	size_t i, j, k;

	FZ_CHECK(r->text != NULL && fz_text_ok(r->text, strlen(r->text),
	    "\n", true), "reply own text '%s'", FZ_SHOW(r->text));
	if (r->error != REPLY_OK) {
		FZ_CHECK(r->ncmds == 0 && r->cmds == NULL, "error %s with "
		    "%zu commands", reply_error_name(r->error), r->ncmds);
		FZ_CHECK(r->reason != NULL && r->reason[0] != '\0' &&
		    fz_msg_ok(r->reason) && fz_utf8_ok(r->reason,
		    strlen(r->reason)), "reason '%s'", FZ_SHOW(r->reason));
		FZ_CHECK(r->fix != NULL && r->fix[0] != '\0' &&
		    fz_msg_ok(r->fix), "fix '%s'", FZ_SHOW(r->fix));
		return;
	}
	FZ_CHECK(r->reason == NULL && r->fix == NULL, "a reason for ok");
	FZ_CHECK(r->ncmds >= 1 && r->ncmds <= REPLY_MAX_CMDS, "%zu commands",
	    r->ncmds);
	for (i = 0; i < r->ncmds; i++) {
		c = &r->cmds[i];
		FZ_CHECK(c->text == NULL || (c->text[0] != '\0' &&
		    fz_text_ok(c->text, strlen(c->text), "", true)),
		    "command text '%s'", FZ_SHOW(c->text));
		switch (c->kind) {
		case REPLY_MET:
			FZ_CHECK(c->day >= DATE_MIN_DAY && c->day <=
			    DATE_MAX_DAY && (mail_day == DATE_NONE ||
			    c->day <= mail_day), "met on day %d, mail day %d",
			    c->day, mail_day);
			FZ_CHECK(c->minutes >= 0 && c->minutes <=
			    REPLY_MAX_MINUTES, "met for %d minutes",
			    c->minutes);
			break;
		case REPLY_RATE:
			FZ_CHECK(c->rating >= 1 && c->rating <= 5,
			    "rating %d", c->rating);
			break;
		case REPLY_RANKING:
			FZ_CHECK(c->nnames >= 1 && c->nnames <=
			    REPLY_MAX_RANKING, "ranking of %zu", c->nnames);
			for (k = 0; k < c->nnames; k++)
				FZ_CHECK(c->names[k][0] != '\0' &&
				    fz_text_ok(c->names[k],
				    strlen(c->names[k]), "", true),
				    "ranked name '%s'", FZ_SHOW(c->names[k]));
			break;
		default:
			FZ_CHECK(c->day == DATE_NONE && c->nnames == 0,
			    "%s with a day or names",
			    reply_kind_name(c->kind));
			break;
		}
		for (j = 0; j < i; j++)
			FZ_CHECK((c->kind != r->cmds[j].kind ||
			    c->kind == REPLY_MET) &&
			    !(c->kind == REPLY_YES && r->cmds[j].kind ==
			    REPLY_NO) && !(c->kind == REPLY_NO &&
			    r->cmds[j].kind == REPLY_YES),
			    "commands %s and %s together",
			    reply_kind_name(c->kind),
			    reply_kind_name(r->cmds[j].kind));
	}
}

/* Claims from the input: a genuine token verifies, a changed one never. */
static void
fz_token_roundtrip(const uint8_t *data, size_t size)
{
	struct token_claims c, got;
	struct error err = ERROR_INIT;
	char tok[TOKEN_BUFSZ];
	uint64_t a = 0, b = 0;
	size_t i, n;
	enum token_status st;

	for (i = 0; i < size && i < 16; i++) {
		if (i < 8)
			a = a << 8 | data[i];
		else
			b = b << 8 | data[i];
	}
	c.person_id = (long long)(a % ((uint64_t)TOKEN_MAX_ID + 1));
	c.subject_id = (long long)(b % ((uint64_t)TOKEN_MAX_ID + 1));
	c.question = (enum token_question)((a >> 50) % TOKEN_Q_COUNT);
	c.expires_on = TOKEN_DAY_BASE + (int)(b >> 40) % (TOKEN_MAX_DAY -
	    TOKEN_DAY_BASE + 1);
	FZ_CHECK(token_make(&c, fz_token_key, tok, &err) == 0,
	    "token_make: %s", FZ_SHOW(err.msg));
	n = strlen(tok);
	FZ_CHECK(n >= 1 && n <= TOKEN_MAX_LEN && fz_token_shaped(tok),
	    "token '%s'", fz_show(tok, strlen(tok)));
	memset(&got, 0, sizeof got);
	FZ_CHECK(token_verify(tok, n, fz_token_key, c.expires_on, &got) ==
	    TOKEN_OK && got.person_id == c.person_id && got.subject_id ==
	    c.subject_id && got.question == c.question && got.expires_on ==
	    c.expires_on, "token '%s' does not verify to its claims",
	    fz_show(tok, strlen(tok)));
	FZ_CHECK(token_verify(tok, n, fz_token_key, c.expires_on + 1, &got) ==
	    TOKEN_EXPIRED, "token '%s' not expired the day after", tok);
	i = size > 16 ? data[16] % n : 0;
	tok[i] = tok[i] == 'a' ? 'b' : 'a';
	st = token_verify(tok, n, fz_token_key, c.expires_on, &got);
	FZ_CHECK(st == TOKEN_MALFORMED || st == TOKEN_BAD_MAC,
	    "a changed token '%s' is %s", tok, token_status_name(st));
	/* The input itself, as a token, is never genuine by chance. */
	st = token_verify((const char *)data, size < TOKEN_MAX_LEN ? size :
	    TOKEN_MAX_LEN, fz_token_key, 0, &got);
	FZ_CHECK(st == TOKEN_MALFORMED || st == TOKEN_BAD_MAC,
	    "input verifies as a token");
}

/*
 * Input: one received message.  The same bytes also go, as text, through
 * reply_parse and mime_html_to_text, and seed a token round trip.
 * tests/fuzz/corpus/reply is the reply corpus of tests/mail/replies.
 */
void
fuzz_reply(const uint8_t *data, size_t size)
{
	struct error err = ERROR_INIT;
	struct mime_msg *m = NULL;
	struct reply *r;
	char *text, *html;
	int rc, day = FZ_DAY_2027 + 26;

	rc = mime_parse((const char *)data, size, &m, &err);
	if (rc == -1) {
		FZ_CHECK(m == NULL && err.code == EX_DATAERR &&
		    fz_msg_ok(err.msg), "mime_parse failed with code %d, "
		    "message '%s'", err.code, FZ_SHOW(err.msg));
		error_clear(&err);
	} else {
		FZ_CHECK(m != NULL && size > 0, "mime_parse accepted %zu "
		    "bytes", size);
		fz_mime_msg(m);
		fz_token_candidates(m);
		r = reply_parse(m->text, m->day);
		fz_reply(r, m->day);
		reply_free(r);
		mime_msg_free(m);
	}
	if (size > MIME_MAX_TEXT)
		return;
	text = xmalloc(size + 1);
	memcpy(text, data, size);
	text[size] = '\0';
	r = reply_parse(text, day);
	fz_reply(r, day);
	reply_free(r);
	html = mime_html_to_text((const char *)data, size);
	FZ_CHECK(strlen(html) <= MIME_MAX_TEXT + 64 &&
	    fz_text_ok(html, strlen(html), "\n\t", true), "html text '%s'",
	    FZ_SHOW(html));
	free(html);
	free(text);
	fz_token_roundtrip(data, size);
}

const struct fuzz_target fuzz_targets[] = {
	{ "yaml", fuzz_yaml },
	{ "csv", fuzz_csv },
	{ "date", fuzz_date },
	{ "out", fuzz_out },
	{ "mail", fuzz_mail },
	{ "reply", fuzz_reply },
};

const size_t fuzz_ntargets = sizeof fuzz_targets / sizeof fuzz_targets[0];
