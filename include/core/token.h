#ifndef MENTORCTL_CORE_TOKEN_H
#define MENTORCTL_CORE_TOKEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/error.h"

/*
 * Reply tokens: what lets a plain "Reply" from any mail client act on the
 * programme without the From header being trusted.  A token binds a person,
 * a pairing (or a leader session), the question the mail asked and the last
 * day on which an answer is accepted, and carries an HMAC-SHA256 tag
 * (libsodium's crypto_auth_hmacsha256, keyed with the programme database's
 * 32-byte secret) truncated to TOKEN_TAG_LEN bytes (80 bits).
 *
 * Encoding.  A version/question byte, then the person id, the pairing id
 * and the expiry day (as days after 2020-01-01) as minimal LEB128 varints,
 * then the tag; the bytes are written in RFC 4648 base32, lowercase,
 * without padding: only a-z and 2-7, which survive every mail system, may
 * be case-folded by one (input is case-insensitive), and need no quoting
 * in a local part or a Message-ID.  The encoding is canonical: one set of
 * claims has exactly one token, anything else is TOKEN_MALFORMED.
 *
 * Length.  At most TOKEN_MAX_LEN (42) characters, reached only with ids of
 * 2^35 and more; with ids below 2^21 (two million) and an expiry before
 * 2064 a token has at most 31.  RFC 5321 allows 64 octets in a local part,
 * so "local+TOKEN@domain" always fits for a contact local part of up to
 * 21 octets ("mentoring", "mentoring-eng-2027") and in practice for up to
 * 32; token_address() checks.
 *
 * Where tokens travel:
 *   Reply-To:    local+TOKEN@domain
 *   Message-ID:  <TOKEN.UNIQUE@domain>
 * A reply's In-Reply-To and References carry the original's Message-ID, so
 * a client that drops Reply-To (or a person who types the bare contact
 * address) still brings the token back, and a bounce names it in its
 * report.  The order tests/unit/test_mime.c uses on the reply corpus, and
 * the one to use: a bounce's original Message-ID; the delivery and
 * recipient addresses (io/mime's recipients, in their order); In-Reply-To;
 * References from the newest.  The first candidate that token_verify does
 * not call TOKEN_MALFORMED decides (a plus-address like "ana+news@..." is
 * a candidate but malformed).
 *
 * Pure apart from libsodium: no time() (the day is passed in), no I/O.
 */

#define TOKEN_SECRET_LEN 32
#define TOKEN_SECRET_HEX_BUFSZ (2 * TOKEN_SECRET_LEN + 1)
#define TOKEN_TAG_LEN 10
/* Ids are 0 .. TOKEN_MAX_ID; 0 means "none" (a generic question). */
#define TOKEN_MAX_ID ((1LL << 42) - 1)
#define TOKEN_MAX_LEN 42
#define TOKEN_BUFSZ (TOKEN_MAX_LEN + 1)
/* RFC 5321 4.5.3.1.1 */
#define TOKEN_LOCAL_PART_MAX 64
/* The expiry days a token can carry: 2020-01-01 to 7761-10-21. */
#define TOKEN_DAY_BASE 18262
#define TOKEN_MAX_DAY (TOKEN_DAY_BASE + (1 << 21) - 1)

enum token_question {
	TOKEN_Q_PROPOSAL,	/* accept or decline a proposed pairing */
	TOKEN_Q_CHECKIN,	/* "met ...", "rate ..." */
	TOKEN_Q_REUP,		/* re-up yes|no */
	TOKEN_Q_FEEDBACK,	/* closure feedback: rate N [comment] */
	TOKEN_Q_SESSION,	/* join a leader session; the id is the session */
	TOKEN_Q_PREFERENCES,	/* a ranking of proposed partners */
	TOKEN_Q_GENERIC,	/* pause, resume, help */
	/*
	 * A ranking of the mentors a `suggest --mail` listed; the id is the
	 * mentee's enrollment (no pairing yet).  Added last: the codes of the
	 * questions before it, and so every token already sent, are unchanged.
	 */
	TOKEN_Q_SUGGEST,
};
#define TOKEN_Q_COUNT 8

/* "proposal", "checkin", ...; token_question_parse gives -1 when unknown. */
const char *token_question_name(enum token_question q);
int token_question_parse(const char *s);

struct token_claims {
	long long person_id;
	long long subject_id;	/* pairing id, session id for TOKEN_Q_SESSION,
				   enrollment id for TOKEN_Q_SUGGEST */
	enum token_question question;
	int expires_on;		/* the last day (core/date.h) it is accepted */
};

enum token_status {
	TOKEN_OK,
	TOKEN_MALFORMED,	/* not a token at all, or not canonical */
	TOKEN_BAD_MAC,		/* well-formed, but not made with this secret */
	TOKEN_EXPIRED,		/* genuine, but today is after expires_on */
};

/* "ok", "malformed", "bad-mac", "expired": for logs and the digest. */
const char *token_status_name(enum token_status s);

/*
 * Make the token for c into out.  -1 with EX_SOFTWARE when a claim is out
 * of range (ids outside 0..TOKEN_MAX_ID, an unknown question, an expiry
 * before TOKEN_DAY_BASE or after 9999-12-31) or libsodium cannot start.
 */
int token_make(const struct token_claims *c,
    const uint8_t secret[TOKEN_SECRET_LEN], char out[TOKEN_BUFSZ],
    struct error *err);

/*
 * Check the len characters of s (upper or lower case) against secret as of
 * day today.  The tag is compared in constant time (sodium_memcmp).  The
 * claims are written to *out for TOKEN_OK and TOKEN_EXPIRED only: a forged
 * token's claims are never returned.  The distinction is for the caller's
 * log; the sender of a bad token is told nothing about which it was.
 */
enum token_status token_verify(const char *s, size_t len,
    const uint8_t secret[TOKEN_SECRET_LEN], int today,
    struct token_claims *out);

/* 32 bytes from libsodium's randombytes_buf.  -1 (EX_SOFTWARE) if it cannot start. */
int token_secret_new(uint8_t secret[TOKEN_SECRET_LEN], struct error *err);
/* 64 lowercase hex digits, for storing the secret as text. */
void token_secret_format(const uint8_t secret[TOKEN_SECRET_LEN],
    char out[TOKEN_SECRET_HEX_BUFSZ]);
/* Exactly 64 hex digits (either case); -1 for anything else. */
int token_secret_parse(const char *hex, uint8_t secret[TOKEN_SECRET_LEN]);

/*
 * Where a token may be.  Each copies a token-shaped candidate (1 to
 * TOKEN_MAX_LEN base32 characters, lowercased) into out and returns true,
 * or returns false; the candidate still has to pass token_verify.
 *   token_from_address:    "local+TOKEN@domain", with or without <>; the
 *                          text after the last '+' of the local part
 *   token_from_message_id: "<TOKEN.anything@domain>" (or "TOKEN@domain"),
 *                          with or without <>
 */
bool token_from_address(const char *addr, char out[TOKEN_BUFSZ]);
bool token_from_message_id(const char *msgid, char out[TOKEN_BUFSZ]);

/*
 * "local+TOKEN@domain" from the contact address "local@domain"; caller
 * frees.  -1 with EX_DATAERR when contact has no local part or domain, or
 * when the local part would exceed TOKEN_LOCAL_PART_MAX octets.
 */
int token_address(const char *contact, const char *token, char **out,
    struct error *err);

/*
 * "TOKEN.UNIQUE@DOMAIN" (without <>) for a Message-ID; unique tells apart
 * two mails with the same token (e.g. the kind and the due day) and must
 * be made of atext characters and dots.  NULL when a part is empty or
 * unique/domain hold characters a Message-ID cannot.  Caller frees.
 */
char *token_message_id(const char *token, const char *unique,
    const char *domain);

#endif
