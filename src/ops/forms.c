/*
 * Form responses as check-ins and feedback (`checkin --csv`, `feedback
 * --csv`): columns by alias, the respondent's pairing, all or nothing.
 *
 * The file is read whole first (a form's responses, not a data warehouse):
 * its slash dates decide the date order before any row is judged.  Then
 * each row is checked, its pairing found, and recorded by the same ops
 * function as the single command, inside a savepoint of its own, so that a
 * row that fails leaves nothing behind for the rows after it to see.
 */
#include "ops/forms.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/date.h"
#include "core/people.h"
#include "core/program.h"
#include "core/status.h"
#include "io/csv.h"
#include "io/csv_named.h"
#include "ops/checkin.h"
#include "ops/feedback.h"
#include "ops/people.h"
#include "ops_int.h"
#include "store/checkin_store.h"
#include "store/db.h"
#include "store/pairing_store.h"
#include "store/person_store.h"
#include "util/strbuf.h"
#include "util/xmalloc.h"

enum role {
	R_EMAIL,
	R_PARTNER,
	R_PAIRING,
	R_DATE,          /* check-ins: the day they met; feedback: its day */
	R_STAMP,         /* the form's completion time */
	R_MINUTES,
	R_TOPIC,
	R_NOTES,
	R_RATING,
	R_COMMENT,
	NROLE,
};

/* Header keys (core/form.h's form_header_key) of each role. */
static const char *const email_keys[] = { "email", "email address",
	"respondent email", "your email", "your email address", NULL };
static const char *const partner_keys[] = { "partner email", "partner",
	"partner email address", "partner's email", "partners email",
	"your partner's email", NULL };
static const char *const pairing_keys[] = { "pairing", "pairing id", NULL };
static const char *const met_keys[] = { "met on", "date", "meeting date",
	"date of meeting", "when did you meet", NULL };
static const char *const given_keys[] = { "date", "given on", NULL };
static const char *const stamp_keys[] = { "completion time", "timestamp",
	NULL };
static const char *const minutes_keys[] = { "minutes", "duration",
	"how many minutes", NULL };
static const char *const topic_keys[] = { "topic", "topics", NULL };
static const char *const notes_keys[] = { "notes", "note", "private notes",
	NULL };
static const char *const rating_keys[] = { "rating", "score",
	"overall rating", NULL };
static const char *const comment_keys[] = { "comment", "comments", NULL };

struct frow {
	long line;
	char *cell[NROLE];         /* NULL: no such column or short row */
};

/* An active pairing of the programme, under each partner's address. */
struct fpair {
	long long id;
	char *mentor;
	char *mentee;
};

struct fkey {
	char *email;               /* lower case */
	size_t pair;               /* index in pairs */
};

struct run {
	const struct ops_ctx *o;
	enum ops_form_kind kind;
	const char *slug;
	const char *name;          /* the file */
	int col[NROLE];
	const char *head[NROLE];   /* the column names as written */
	struct frow *rows;
	size_t nrows;
	struct fpair *pairs;
	size_t npairs;
	struct fkey *keys;
	size_t nkeys;
	enum form_date_order order;
	struct ops_form_import *res;
};

static bool
key_in(const char *key, const char *const *keys)
{
	size_t i;

	for (i = 0; keys[i] != NULL; i++)
		if (strcmp(key, keys[i]) == 0)
			return true;
	return false;
}

static const char *const *
role_keys(enum ops_form_kind kind, enum role r)
{
	static const char *const none[] = { NULL };

	switch (r) {
	case R_EMAIL:
		return email_keys;
	case R_PARTNER:
		return partner_keys;
	case R_PAIRING:
		return pairing_keys;
	case R_DATE:
		return kind == OPS_FORM_CHECKIN ? met_keys : given_keys;
	case R_STAMP:
		return stamp_keys;
	case R_MINUTES:
		return kind == OPS_FORM_CHECKIN ? minutes_keys : none;
	case R_TOPIC:
		return kind == OPS_FORM_CHECKIN ? topic_keys : none;
	case R_NOTES:
		return kind == OPS_FORM_CHECKIN ? notes_keys : none;
	case R_RATING:
		return rating_keys;
	case R_COMMENT:
		return kind == OPS_FORM_FEEDBACK ? comment_keys : none;
	case NROLE:
		break;
	}
	return none;
}

static char *
keys_list(const char *const *keys)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	for (i = 0; keys[i] != NULL; i++)
		strbuf_addf(&sb, "%s'%s'", i ? ", " : "", keys[i]);
	return strbuf_detach(&sb, NULL);
}

/* The header: each role's column, the tool it came from. */
static int
read_header(struct run *run, struct csv_named *r, struct error *err)
{
	size_t i, n = csv_named_ncols(r);
	long line = csv_named_header_line(r);
	bool start = false;
	char key[128];
	int k;

	for (k = 0; k < NROLE; k++)
		run->col[k] = -1;
	if (n == 1) {
		struct csv_record rec;
		char *cells[1];

		cells[0] = (char *)csv_named_header(r, 0);
		rec.fields = cells;
		rec.nfields = 1;
		rec.line = line;
		if (csv_wrong_separator(&rec) != NULL)
			return error_set(err, EX_DATAERR, "%s:%ld: %s", run->name,
			    line, csv_wrong_separator(&rec));
	}
	for (i = 0; i < n; i++) {
		const char *h = csv_named_header(r, i);

		form_header_key(h, key, sizeof key);
		if (strcmp(key, "start time") == 0)
			start = true;
		for (k = 0; k < NROLE; k++) {
			if (!key_in(key, role_keys(run->kind, (enum role)k)))
				continue;
			if (run->col[k] >= 0)
				return error_set(err, EX_DATAERR, "%s:%ld: columns "
				    "'%s' and '%s' both say %s: keep one",
				    run->name, line, run->head[k], h,
				    role_keys(run->kind, (enum role)k)[0]);
			run->col[k] = (int)i;
			run->head[k] = h;
		}
	}
	if (run->col[R_STAMP] >= 0) {
		char key2[32];

		form_header_key(run->head[R_STAMP], key2, sizeof key2);
		run->res->source = strcmp(key2, "timestamp") == 0 ?
		    OPS_FORM_GOOGLE : start ? OPS_FORM_MICROSOFT :
		    OPS_FORM_PLAIN;
	}
	if (run->col[R_EMAIL] < 0) {
		char *l = keys_list(email_keys);

		error_set(err, EX_DATAERR, "%s:%ld: no column of the "
		    "respondent's e-mail (one of %s; Microsoft Forms: turn on "
		    "'Record name', Google Forms: 'Collect email addresses')",
		    run->name, line, l);
		free(l);
		return -1;
	}
	if (run->kind == OPS_FORM_FEEDBACK && run->col[R_RATING] < 0) {
		char *l = keys_list(rating_keys);

		error_set(err, EX_DATAERR, "%s:%ld: no rating column (one of "
		    "%s)", run->name, line, l);
		free(l);
		return -1;
	}
	if (run->kind == OPS_FORM_CHECKIN && run->col[R_DATE] < 0 &&
	    run->col[R_STAMP] < 0) {
		char *l = keys_list(met_keys);

		error_set(err, EX_DATAERR, "%s:%ld: no column of the day the "
		    "pair met (one of %s) and no form timestamp ('Completion "
		    "time', 'Timestamp')", run->name, line, l);
		free(l);
		return -1;
	}
	return 0;
}

/* A copy of the cell, its line breaks (CRLF in some exports) as LF. */
static char *
cell_dup(struct csv_named *r, int col)
{
	const char *c = col >= 0 ? csv_named_get(r, col) : NULL;
	char *d, *p, *q;

	if (c == NULL)
		return NULL;
	d = xstrdup(c);
	for (p = q = d; *p != '\0'; p++)
		if (!(p[0] == '\r' && p[1] == '\n'))
			*q++ = *p;
	*q = '\0';
	return d;
}

static bool
empty(const char *s)
{
	return s == NULL || *s == '\0';
}

/* Every row into memory; the slash dates' evidence of the order. */
static int
read_rows(struct run *run, struct csv_named *r, struct error *err)
{
	size_t cap = 0;
	bool dmy = false, mdy = false;
	int rc, k;

	while ((rc = csv_named_next(r, err)) == 1) {
		struct frow *fr;
		struct form_date d;

		if (run->nrows == cap) {
			cap = cap ? cap * 2 : 64;
			run->rows = xreallocarray(run->rows, cap,
			    sizeof *run->rows);
		}
		fr = &run->rows[run->nrows++];
		fr->line = csv_named_line(r);
		for (k = 0; k < NROLE; k++)
			fr->cell[k] = cell_dup(r, run->col[k]);
		if (!empty(fr->cell[R_DATE]) &&
		    form_date_scan(fr->cell[R_DATE], &d) == 0)
			form_date_evidence(&d, &dmy, &mdy);
		if (!empty(fr->cell[R_STAMP]) &&
		    form_date_scan(fr->cell[R_STAMP], &d) == 0)
			form_date_evidence(&d, &dmy, &mdy);
	}
	if (rc < 0)
		return -1;
	run->res->rows = run->nrows;
	if (run->order == FORM_ORDER_AUTO && dmy != mdy)
		run->order = dmy ? FORM_ORDER_DMY : FORM_ORDER_MDY;
	return 0;
}

static char *
lower(const char *s)
{
	char *l = xstrdup(s), *p;

	for (p = l; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return l;
}

static int
key_cmp(const void *a, const void *b)
{
	const struct fkey *p = a, *q = b;
	int c = strcmp(p->email, q->email);

	if (c != 0)
		return c;
	return p->pair < q->pair ? -1 : p->pair > q->pair;
}

/* The programme's active pairings, by each partner's address. */
static int
load_pairs(struct run *run, long long program_id, struct error *err)
{
	struct pairing_cursor *c;
	const struct pairing_row *row;
	size_t cap = 0;
	int rc;

	c = store_pairing_cursor(run->o->db, program_id, run->o->today,
	    PAIRING_ACTIVE, err);
	if (c == NULL)
		return -1;
	while ((rc = store_pairing_next(c, &row, err)) == 1) {
		struct fpair *p;

		if (run->npairs == cap) {
			cap = cap ? cap * 2 : 64;
			run->pairs = xreallocarray(run->pairs, cap,
			    sizeof *run->pairs);
		}
		p = &run->pairs[run->npairs++];
		p->id = row->id;
		p->mentor = xstrdup(row->mentor_email);
		p->mentee = xstrdup(row->mentee_email);
	}
	store_pairing_cursor_free(c);
	if (rc < 0)
		return -1;
	run->keys = xreallocarray(NULL, run->npairs ? run->npairs * 2 : 1,
	    sizeof *run->keys);
	for (size_t i = 0; i < run->npairs; i++) {
		run->keys[run->nkeys].email = lower(run->pairs[i].mentor);
		run->keys[run->nkeys++].pair = i;
		run->keys[run->nkeys].email = lower(run->pairs[i].mentee);
		run->keys[run->nkeys++].pair = i;
	}
	xqsort(run->keys, run->nkeys, sizeof *run->keys, key_cmp);
	return 0;
}

/* The person's active pairings: keys[*first .. *first + *n). */
static void
pairs_of(const struct run *run, const char *email, size_t *first, size_t *n)
{
	char *l = lower(email);
	size_t lo = 0, hi = run->nkeys;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(run->keys[mid].email, l) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*first = lo;
	for (*n = 0; lo + *n < run->nkeys &&
	    strcmp(run->keys[lo + *n].email, l) == 0; (*n)++)
		;
	free(l);
}

static const char *
partner_of(const struct fpair *p, const char *email)
{
	return strcasecmp(p->mentor, email) == 0 ? p->mentee : p->mentor;
}

static void
problem(struct run *run, const struct frow *fr, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
problem(struct run *run, const struct frow *fr, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	diags_add(&run->res->problems, run->name, (int)fr->line, 0, "%s",
	    sb.buf);
	strbuf_release(&sb);
}

/* The row's day: its date column, else the form's timestamp, else today. */
static int
row_day(struct run *run, const struct frow *fr, int *day)
{
	enum role r = !empty(fr->cell[R_DATE]) ? R_DATE : R_STAMP;
	struct form_date d;
	char why[160];

	if (empty(fr->cell[r])) {
		if (run->kind == OPS_FORM_FEEDBACK) {
			*day = run->o->today;
			return 0;
		}
		problem(run, fr, "%s: missing (the day the pair met)",
		    run->head[run->col[R_DATE] >= 0 ? R_DATE : R_STAMP]);
		return -1;
	}
	if (form_date_scan(fr->cell[r], &d) != 0) {
		problem(run, fr, "%s: '%s' is not a date (expected YYYY-MM-DD, "
		    "M/D/YYYY or D/M/YYYY, a time may follow)", run->head[r],
		    fr->cell[r]);
		return -1;
	}
	if (form_date_day(&d, run->order, day, why, sizeof why) != 0) {
		problem(run, fr, "%s: '%s' is %s", run->head[r], fr->cell[r],
		    why);
		return -1;
	}
	if (*day > run->o->today) {
		char b1[DATE_BUFSZ], b2[DATE_BUFSZ];

		problem(run, fr, "%s: %s is in the future (today is %s)",
		    run->head[r], date_format(*day, b1),
		    date_format(run->o->today, b2));
		return -1;
	}
	return 0;
}

/* The respondent's pairing: 0 with *pair, -1 with a problem added. */
static int
row_pairing(struct run *run, const struct frow *fr, const char *email,
    const struct fpair **pair)
{
	const char *pairing = fr->cell[R_PAIRING];
	const char *partner = fr->cell[R_PARTNER];
	size_t first, n, i;

	pairs_of(run, email, &first, &n);
	if (!empty(pairing)) {
		char *end;
		long long id = strtoll(pairing, &end, 10);

		for (i = 0; *end == '\0' && i < n; i++)
			if (run->pairs[run->keys[first + i].pair].id == id) {
				*pair = &run->pairs[run->keys[first + i].pair];
				return 0;
			}
		problem(run, fr, "%s: '%s' is not an active pairing of '%s' in "
		    "programme '%s'", run->head[R_PAIRING], pairing, email,
		    run->slug);
		return -1;
	}
	if (!empty(partner)) {
		for (i = 0; i < n; i++) {
			const struct fpair *p =
			    &run->pairs[run->keys[first + i].pair];

			if (strcasecmp(partner_of(p, email), partner) == 0) {
				*pair = p;
				return 0;
			}
		}
		problem(run, fr, "%s: '%s' is not the partner of '%s' in an "
		    "active pairing of programme '%s'", run->head[R_PARTNER],
		    partner, email, run->slug);
		return -1;
	}
	if (n == 1) {
		*pair = &run->pairs[run->keys[first].pair];
		return 0;
	}
	if (n == 0) {
		problem(run, fr, "%s: '%s' has no active pairing in programme "
		    "'%s'", run->head[R_EMAIL], email, run->slug);
		return -1;
	}
	{
		struct strbuf sb = STRBUF_INIT;

		for (i = 0; i < n; i++)
			strbuf_addf(&sb, "%s%lld", i ? ", " : "",
			    run->pairs[run->keys[first + i].pair].id);
		problem(run, fr, "%s: '%s' has %zu active pairings in programme "
		    "'%s' (%s): %s", run->head[R_EMAIL], email, n, run->slug,
		    sb.buf, run->col[R_PAIRING] >= 0 || run->col[R_PARTNER] >= 0
		    ? "fill in the pairing or the partner's e-mail" :
		    "add a column 'pairing' or 'partner_email' to say which");
		strbuf_release(&sb);
	}
	return -1;
}

/* An optional whole number cell in lo..hi: 0 (and *v 0 when empty) or -1. */
static int
row_rating(struct run *run, const struct frow *fr, int *v)
{
	const char *c = fr->cell[R_RATING];
	long n;

	*v = 0;
	if (empty(c)) {
		if (run->kind == OPS_FORM_CHECKIN)
			return 0;
		problem(run, fr, "%s: missing (1-5)", run->head[R_RATING]);
		return -1;
	}
	if (form_number_lead(c, &n) != 0) {
		problem(run, fr, "%s: '%s' is not a rating (expected 1-5, or "
		    "text that starts with it, such as '4 - Good')",
		    run->head[R_RATING], c);
		return -1;
	}
	if (n < 1 || n > 5) {
		problem(run, fr, "%s: %ld is not between 1 and 5",
		    run->head[R_RATING], n);
		return -1;
	}
	*v = (int)n;
	return 0;
}

static int
row_minutes(struct run *run, const struct frow *fr, int *v)
{
	const char *c = fr->cell[R_MINUTES];
	long n;

	*v = 0;
	if (empty(c))
		return 0;
	if (form_minutes(c, &n) != 0) {
		problem(run, fr, "%s: '%s' is not a duration (expected minutes "
		    "such as 45 or '45 min', or hours such as '1 h')",
		    run->head[R_MINUTES], c);
		return -1;
	}
	if (n < 1 || n > 1440) {
		problem(run, fr, "%s: %ld minutes is not between 1 and 1440",
		    run->head[R_MINUTES], n);
		return -1;
	}
	*v = (int)n;
	return 0;
}

static void
skipped(struct run *run, const struct frow *fr, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
skipped(struct run *run, const struct frow *fr, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	diags_add(&run->res->skipped, run->name, (int)fr->line, 0,
	    "already recorded: %s", sb.buf);
	strbuf_release(&sb);
	run->res->already++;
}

/* Record a row through the single command's ops function. */
static int
record(struct run *run, const struct frow *fr, const char *email,
    const struct fpair *pair, int day, int minutes, int rating,
    struct error *err)
{
	struct ops_ctx o = *run->o;
	char b1[DATE_BUFSZ];
	long long id;
	int has;

	o.actor = email;
	if (run->kind == OPS_FORM_CHECKIN) {
		struct ops_checkin_req req;
		struct ops_checkin r;

		if ((has = store_checkin_on(o.db, pair->id, day, &id,
		    err)) < 0)
			return -1;
		if (has == 1) {
			skipped(run, fr, "pairing %lld met on %s", pair->id,
			    date_format(day, b1));
			return 0;
		}
		memset(&req, 0, sizeof req);
		req.pairing_id = pair->id;
		req.on = day;
		req.minutes = minutes;
		req.rating = rating;
		req.topic = fr->cell[R_TOPIC];
		req.notes = empty(fr->cell[R_NOTES]) ? NULL : fr->cell[R_NOTES];
		has = ops_checkin(&o, &req, &r, err);
		ops_checkin_free(&r);
		if (has != 0)
			return -1;
	} else {
		struct ops_feedback_req req;
		struct ops_feedback r;

		/* feedback is given on the day of the response */
		o.today = day;
		memset(&req, 0, sizeof req);
		req.pairing_id = pair->id;
		req.by = email;
		req.rating = rating;
		req.comment = fr->cell[R_COMMENT];
		req.keep = true;
		if (ops_feedback(&o, &req, &r, err) != 0)
			return -1;
		if (r.already) {
			if (r.cycle > 0)
				skipped(run, fr, "feedback of %s about pairing "
				    "%lld in cycle %d (given on %s)", email,
				    pair->id, r.cycle,
				    date_format(r.replaced_on, b1));
			else
				skipped(run, fr, "feedback of %s about pairing "
				    "%lld (given on %s)", email, pair->id,
				    date_format(r.replaced_on, b1));
			return 0;
		}
	}
	run->res->recorded++;
	return 0;
}

static void
one_row(struct run *run, const struct frow *fr)
{
	const char *email = fr->cell[R_EMAIL];
	const struct fpair *pair = NULL;
	struct error err = ERROR_INIT;
	long long pid = 0;
	int day = DATE_NONE, minutes = 0, rating = 0, bad = 0;

	if (empty(email)) {
		problem(run, fr, "%s: missing (the respondent's e-mail)",
		    run->head[R_EMAIL]);
		bad = 1;
	} else if (strcasecmp(email, "anonymous") == 0) {
		problem(run, fr, "%s: the response is anonymous; the form must "
		    "record who answers", run->head[R_EMAIL]);
		bad = 1;
	} else if (!people_email_valid(email)) {
		problem(run, fr, "%s: '%s' is not an e-mail address",
		    run->head[R_EMAIL], email);
		bad = 1;
	} else if (store_person_ids(run->o->db, &email, 1, &pid, &err) != 0) {
		problem(run, fr, "%s", err.msg);
		bad = 1;
	} else if (pid == 0) {
		problem(run, fr, "%s: unknown person '%s'", run->head[R_EMAIL],
		    email);
		bad = 1;
	}
	bad |= row_day(run, fr, &day) != 0;
	if (run->kind == OPS_FORM_CHECKIN)
		bad |= row_minutes(run, fr, &minutes) != 0;
	bad |= row_rating(run, fr, &rating) != 0;
	if (!bad && row_pairing(run, fr, email, &pair) != 0)
		bad = 1;
	if (!bad) {
		if (db_begin(run->o->db, &err) != 0) {
			problem(run, fr, "%s", err.msg);
		} else if (record(run, fr, email, pair, day, minutes, rating,
		    &err) != 0) {
			db_rollback(run->o->db);
			problem(run, fr, "%s", err.msg);
		} else if (db_commit(run->o->db, &err) != 0) {
			db_rollback(run->o->db);
			problem(run, fr, "%s", err.msg);
		}
	}
	error_clear(&err);
}

const char *
ops_form_source_name(enum ops_form_source s)
{
	switch (s) {
	case OPS_FORM_MICROSOFT:
		return "a Microsoft Forms export";
	case OPS_FORM_GOOGLE:
		return "a Google Forms export";
	case OPS_FORM_PLAIN:
		break;
	}
	return "a file";
}

int
ops_form_import(const struct ops_ctx *o, enum ops_form_kind kind,
    const char *slug, struct csv_named *r, enum form_date_order order,
    struct ops_form_import *res, struct error *err)
{
	struct run run;
	struct program *p = NULL;
	long long program_id;
	size_t i;
	int rc = -1, k;

	memset(res, 0, sizeof *res);
	memset(&run, 0, sizeof run);
	run.o = o;
	run.kind = kind;
	run.slug = slug;
	run.name = csv_named_name(r);
	run.order = order;
	run.res = res;
	if (ops_program_load(o, slug, &program_id, &p, err) != 0)
		return -1;
	program_free(p);
	if (read_header(&run, r, err) != 0 || read_rows(&run, r, err) != 0 ||
	    load_pairs(&run, program_id, err) != 0)
		goto out;
	if (db_begin(o->db, err) != 0)
		goto out;
	for (i = 0; i < run.nrows; i++)
		one_row(&run, &run.rows[i]);
	if (res->problems.n == 0) {
		rc = db_commit(o->db, err);
		goto out;
	}
	db_rollback(o->db);
	res->recorded = 0;
	res->already = 0;
	ops_diags_fail(&res->problems, run.name, "imported", err);
out:
	for (i = 0; i < run.nrows; i++)
		for (k = 0; k < NROLE; k++)
			free(run.rows[i].cell[k]);
	free(run.rows);
	for (i = 0; i < run.npairs; i++) {
		free(run.pairs[i].mentor);
		free(run.pairs[i].mentee);
	}
	free(run.pairs);
	for (i = 0; i < run.nkeys; i++)
		free(run.keys[i].email);
	free(run.keys);
	return rc;
}

void
ops_form_import_free(struct ops_form_import *res)
{
	if (res == NULL)
		return;
	diags_free(&res->skipped);
	diags_free(&res->problems);
}
