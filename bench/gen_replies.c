/*
 * gen_replies DB SLUG MAILDIR N DAY: N replies to the reminders of the
 * active pairings of programme SLUG, as four kinds of client write them
 * (plain text top-posted, Outlook HTML only, Gmail multipart/alternative,
 * quoted-printable from a phone), each with a genuine reply token made with
 * the database's secret (created when missing), written to MAILDIR/new for
 * `mentorctl inbox --maildir` (bench/inbox.sh).  Seeded: the same files every
 * run.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "core/date.h"
#include "core/token.h"
#include "store/db.h"
#include "store/mail_store.h"
#include "store/pairing_store.h"
#include "store/person_store.h"
#include "store/program_store.h"
#include "util/strbuf.h"
#include "util/xmalloc.h"

static void
die(struct error *err, const char *what)
{
	fprintf(stderr, "gen_replies: %s: %s\n", what, err && err->msg ?
	    err->msg : "failed");
	exit(1);
}

static const char *const bodies[] = {
	"met yesterday 30 min",
	"Hi,\n\nwe met yesterday for 45 minutes",
	"met today 1h",
	"rate 4 very helpful so far",
	"met 2 days ago 50 min\nrate 5",
};

static void
write_reply(const char *dir, size_t i, const char *tok, const char *day,
    int kind, const char *body)
{
	struct strbuf sb = STRBUF_INIT;
	char *path = xasprintf("%s/new/%010zu.%zu.bench", dir, i, i);
	FILE *fp;

	strbuf_addf(&sb, "From: Person %zu <someone%zu@mail.example.com>\n"
	    "To: Mentoring <mentoring+%s@example.org>\n"
	    "Subject: Re: Your check-in is due\n"
	    "Date: %s 09:%02zu:00 +0100\n"
	    "Message-ID: <bench.%zu@mail.example.com>\n"
	    "In-Reply-To: <%s.checkin@example.org>\n"
	    "MIME-Version: 1.0\n", i, i, tok, day, i % 60, i, tok);
	switch (kind) {
	case 0:
		strbuf_addf(&sb, "Content-Type: text/plain; charset=utf-8\n\n"
		    "%s\n\nOn Mon, 1 Mar 2027, Mentoring wrote:\n"
		    "> Your check-in is due.\n> Reply: met [DATE] [N min]\n",
		    body);
		break;
	case 1:
		strbuf_addf(&sb, "Content-Type: text/html; charset=utf-8\n\n"
		    "<html><body><div>%s</div><br><div id=\"divRplyFwdMsg\">"
		    "<b>From:</b> Mentoring<br><b>Sent:</b> Monday<br></div>"
		    "<div>Your check-in is due.</div></body></html>\n", body);
		break;
	case 2:
		strbuf_addf(&sb, "Content-Type: multipart/alternative; "
		    "boundary=\"b%zu\"\n\n--b%zu\nContent-Type: text/plain; "
		    "charset=UTF-8\n\n%s\n\nOn Mon, 1 Mar 2027 at 08:00, "
		    "Mentoring <mentoring@example.org> wrote:\n> Due.\n\n"
		    "--b%zu\nContent-Type: text/html; charset=UTF-8\n\n"
		    "<div dir=\"ltr\">%s</div><div class=\"gmail_quote\">"
		    "Due.</div>\n--b%zu--\n", i, i, body, i, body, i);
		break;
	default:
		strbuf_addf(&sb, "Content-Type: text/plain; charset=iso-8859-1\n"
		    "Content-Transfer-Encoding: quoted-printable\n\n%s\n\n"
		    "Envoy=E9 de mon iPhone\n", body);
		break;
	}
	if ((fp = fopen(path, "wb")) == NULL ||
	    fwrite(sb.buf, 1, sb.len, fp) != sb.len || fclose(fp) != 0) {
		fprintf(stderr, "gen_replies: %s: %s\n", path, strerror(errno));
		exit(1);
	}
	free(path);
	strbuf_release(&sb);
}

int
main(int argc, char **argv)
{
	struct error err = ERROR_INIT;
	struct pairing_cursor *c;
	const struct pairing_row *r;
	uint8_t secret[MAIL_SECRET_LEN];
	long long pid, *mentee = NULL;
	size_t n, np = 0, cap = 0, i;
	struct db *db;
	int day, rc;
	char *newdir;

	if (argc != 6 || date_parse(argv[5], &day) != 0) {
		fprintf(stderr, "usage: gen_replies DB SLUG MAILDIR N DAY\n");
		return 64;
	}
	n = strtoul(argv[4], NULL, 10);
	if ((db = db_open(argv[1], DB_OPEN_EXISTING, &err)) == NULL)
		die(&err, argv[1]);
	if (store_program_id(db, argv[2], &pid, &err) != 0)
		die(&err, argv[2]);
	if (db_begin(db, &err) != 0 || store_mail_secret_put(db,
	    MAIL_SECRET_REPLY_TOKEN, secret, time(NULL), &err) < 0 ||
	    db_commit(db, &err) != 0)
		die(&err, "secret");
	if ((c = store_pairing_cursor(db, pid, day, PAIRING_ACTIVE, &err)) ==
	    NULL)
		die(&err, "pairings");
	/* the mentee's person id and the pairing id, two per slot */
	while ((rc = store_pairing_next(c, &r, &err)) == 1) {
		struct person_rec p;

		if (store_person_get(db, r->mentee_email, &p, &err) != 0)
			die(&err, r->mentee_email);
		XGROW(mentee, np + 2, cap);
		mentee[np++] = p.id;
		mentee[np++] = r->id;
		person_rec_free(&p);
	}
	store_pairing_cursor_free(c);
	if (rc < 0 || np == 0)
		die(&err, "no active pairing");
	newdir = xasprintf("%s/new", argv[3]);
	mkdir(argv[3], 0700);
	mkdir(newdir, 0700);
	free(newdir);
	newdir = xasprintf("%s/cur", argv[3]);
	mkdir(newdir, 0700);
	free(newdir);
	for (i = 0; i < n; i++) {
		size_t k = (i * 7919) % (np / 2);
		struct token_claims tc = { mentee[2 * k], mentee[2 * k + 1],
		    TOKEN_Q_CHECKIN, date_add_days(day, 30) };
		char tok[TOKEN_BUFSZ], dd[DATE_BUFSZ];
		char when[48];
		int y, m, d;
		static const char *const mon[] = { "Jan", "Feb", "Mar", "Apr",
		    "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };

		if (token_make(&tc, secret, tok, &err) != 0)
			die(&err, "token");
		date_to_ymd(day, &y, &m, &d);
		snprintf(when, sizeof when, "%d %s %d", d, mon[m - 1], y);
		(void)dd;
		write_reply(argv[3], i, tok, when, (int)(i % 4),
		    bodies[(i / 4) % (sizeof bodies / sizeof bodies[0])]);
	}
	free(mentee);
	db_close(db);
	printf("%zu replies for %zu pairings\n", n, np / 2);
	return 0;
}
