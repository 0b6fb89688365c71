#ifndef MENTORCTL_OPS_SESSION_H
#define MENTORCTL_OPS_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/metrics.h"
#include "core/session.h"
#include "ops/ops.h"
#include "ops/remind.h"
#include "store/session_store.h"
#include "util/strbuf.h"

/*
 * Senior-leader sessions, by rule: `session add|invite|signup|cancel|seat|
 * attend` and the report's section are these, and so is a participant's
 * e-mail reply "join" (ops_session_signup with source "e-mail").
 *
 * Places.  Before its seats are allocated (`session seat`, the first
 * time) a session collects sign-ups.  The allocation seats the wait-listed
 * first (by rank) and then the sign-ups in the order of
 * core/session.h's session_seat_order (fewest sessions of the programme
 * attended before this one, then a lottery seeded by the session id), as
 * many as there are free seats; the rest are wait-listed in that order.
 * After it, a sign-up takes a free seat at once or joins the end of the
 * waiting list, and a seated person's cancellation seats the first one
 * waiting.  Running `session seat` again changes nothing unless a seat is
 * free and someone waits.
 */

struct program;

/* ---- add ---- */

struct ops_session_add {
	/* in */
	const char *leader_email;
	int on;
	int at;                   /* minutes after local midnight; -1: none */
	int seats;                /* 0: sessions.seats */
	int minutes;              /* 0: sessions.minutes */
	const char *title;        /* NULL: none */
	/* out */
	long long id;
	char *leader;             /* the stored address */
	char *leader_name;        /* NULL when empty */
	int seats_used;
	int minutes_used;
	int leader_year;          /* the leader's sessions in its year, with it */
};

/*
 * A session of programme p.  Refused (EX_DATAERR): a programme without a
 * sessions block, an unknown leader (a person of the people table), no
 * seats (neither --seats nor sessions.seats), a second session of the
 * leader on the same day at the same time.  Free with
 * ops_session_add_free.
 */
int ops_session_add(const struct ops_ctx *o, long long program_id,
    const struct program *p, struct ops_session_add *req, struct error *err);
void ops_session_add_free(struct ops_session_add *req);

/* ---- signup, cancel, attend ---- */

enum ops_place_outcome {
	OPS_PLACE_SIGNED_UP,      /* waits for the allocation */
	OPS_PLACE_SEATED,
	OPS_PLACE_WAITLISTED,
	OPS_PLACE_UNCHANGED,      /* had that place already */
	OPS_PLACE_CANCELLED,
};

struct ops_place {
	struct session_rec session;
	char *email;              /* the stored address */
	char *name;               /* NULL when empty */
	enum ops_place_outcome outcome;
	enum session_place_status status;  /* the place now */
	int rank;                 /* waitlisted: its position (1 is next) */
	char *outside;            /* signup --force: why not in the audience */
	/* cancel of a seat: who took it from the waiting list, or NULL */
	char *promoted;
	char *promoted_name;
};

/*
 * Sign email up for session_id.  source: "coordinator" or "e-mail".
 * Refused (EX_DATAERR): an unknown session or person, the leader, a
 * session whose day has passed, someone outside the audience (unless
 * force; r->outside then says why).  Signing up again is UNCHANGED.  This
 * is what inbox calls for a reply "join" to an invitation
 * (TOKEN_Q_SESSION: the token's session id and person's address, source
 * "e-mail", force false), inside its transaction; r says what to tell
 * them.  Free with ops_place_free.
 */
int ops_session_signup(const struct ops_ctx *o, long long session_id,
    const char *email, const char *source, bool force, struct ops_place *r,
    struct error *err);
/*
 * Cancel email's place in session_id; a seat goes to the first one
 * waiting (r->promoted).  Refused (EX_DATAERR): no place, or the session's
 * day has passed.  Cancelling again is UNCHANGED.
 */
int ops_session_cancel(const struct ops_ctx *o, long long session_id,
    const char *email, struct ops_place *r, struct error *err);
void ops_place_free(struct ops_place *r);

struct ops_attend {
	struct session_rec session;
	size_t marked;            /* newly marked as attended */
	size_t already;           /* were marked already */
	size_t walk_ins;          /* wait-listed or signed up: seated to attend */
};

/*
 * Mark emails[n] as having attended session_id, all or none.  Refused
 * (EX_DATAERR): a session still to come, an unknown person, one without a
 * place (or whose place was cancelled).  Someone wait-listed (or signed up
 * before the allocation) who came takes a seat: a walk-in.
 */
int ops_session_attend(const struct ops_ctx *o, long long session_id,
    const char *const *emails, size_t n, struct ops_attend *r,
    struct error *err);
void ops_attend_free(struct ops_attend *r);

/* ---- seat ---- */

struct ops_seat_row {
	char *email;
	char *name;
	enum session_place_status status;   /* after the allocation */
	int rank;
	int attended_before;      /* for the ones allocated now; else -1 */
	uint64_t lottery;         /* likewise */
	bool changed;             /* seated or wait-listed by this run */
};

struct ops_seating {
	struct session_rec session;   /* as it was before */
	struct ops_seat_row *v;       /* every place not cancelled, seat order */
	size_t n;
	size_t seated;                /* by this run */
	size_t waitlisted;            /* by this run */
};

/*
 * Allocate the seats of session_id as described above, inside the
 * caller's transaction (`session seat --dry-run` rolls it back).  Refused
 * (EX_DATAERR) for a session whose day has passed.
 */
int ops_session_seat(const struct ops_ctx *o, long long session_id,
    struct ops_seating *r, struct error *err);
void ops_seating_free(struct ops_seating *r);

/* ---- mails: invitations and seat confirmations ---- */

enum session_mail_kind {
	SESSION_MAIL_INVITE,      /* to the audience: "reply join" */
	SESSION_MAIL_SEAT,        /* to the seated: your seat */
};

/* "session_invite", "session_seat": the reminder log's kind. */
const char *session_mail_kind_name(enum session_mail_kind k);

struct session_mail_item {
	long long person_id;
	char *email;
	char *name;               /* NULL when empty */
	int attempts;             /* failed before (0: new) */
};

struct ops_session_mail {
	enum session_mail_kind kind;
	struct session_rec session;
	struct program *program;
	long long program_id;
	struct session_mail_item *v;   /* to send now, by e-mail */
	size_t n;
	size_t recorded;          /* sent (or handed) before: never again */
	size_t waiting;           /* failed, not yet due for a retry */
	size_t bouncing;          /* to addresses that bounce: held */
	uint8_t secret[32];       /* the reply tokens' key (invitations) */
	bool have_secret;
};

/*
 * Who gets the kind's mail of session_id now: the audience (invitations)
 * or the seated (confirmations), less those the log has (sent, handed, or
 * failed and not yet due again) and those whose address bounces.
 * Read-only.  Refused (EX_DATAERR): a session whose day has passed, a
 * programme without a valid contact address (the From and ORGANIZER).
 * Free with ops_session_mail_free.
 */
int ops_session_mail_plan(const struct ops_ctx *o, long long session_id,
    enum session_mail_kind kind, struct ops_session_mail *plan,
    struct error *err);
void ops_session_mail_free(struct ops_session_mail *plan);
/*
 * The reply tokens' secret, made (and committed in a transaction of its
 * own) when the database has none yet.  Call outside a transaction,
 * before composing invitations.
 */
int ops_session_mail_secret(const struct ops_ctx *o,
    struct ops_session_mail *plan, struct error *err);
/*
 * The item's whole message (RFC 5322, LF line ends): text, and the
 * session as an iTIP REQUEST (.ics, ORGANIZER the programme's contact),
 * From the programme, Reply-To the contact's address with the reply token
 * (invitations), its Message-ID the same on every attempt.
 */
int ops_session_mail_compose(const struct ops_ctx *o,
    const struct ops_session_mail *plan, const struct session_mail_item *it,
    struct strbuf *msg, struct error *err);
/* Its subject line (the caller frees). */
char *ops_session_mail_subject(const struct ops_session_mail *plan);
/*
 * Send it exactly once, as ops_remind_deliver: claimed in the reminder log
 * (committed) before the mail program starts, the outcome recorded after;
 * no transaction is open while it runs.  A failed delivery is a result;
 * -1 only when the log cannot be written.
 */
int ops_session_mail_deliver(const struct ops_ctx *o, struct remind_sender *s,
    const struct ops_session_mail *plan, const struct session_mail_item *it,
    const struct strbuf *msg, struct remind_result *res, struct error *err);

/* ---- the report ---- */

/*
 * The report's section "sessions" of programme p as of as_of, appended to
 * rows; nothing when the programme has no sessions block and no session.
 */
int ops_session_report(const struct ops_ctx *o, long long program_id,
    const struct program *p, int as_of, struct metrics_rows *rows,
    struct error *err);

#endif
