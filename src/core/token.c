#include "core/token.h"

#include <sodium.h>
#include <string.h>

#include "util/xmalloc.h"

#define TOKEN_VERSION 1
/* Domain separation: these MACs are for reply tokens and nothing else. */
#define TOKEN_CONTEXT "mentorctl reply token v1"
/* Version/question byte, two 42-bit ids, a day offset below 2^21, the tag. */
#define TOKEN_MAX_BYTES (1 + 6 + 6 + 3 + TOKEN_TAG_LEN)
#define TOKEN_MIN_BYTES (1 + 1 + 1 + 1 + TOKEN_TAG_LEN)

static const char b32_alphabet[] = "abcdefghijklmnopqrstuvwxyz234567";

static const char *const question_names[TOKEN_Q_COUNT] = {
	[TOKEN_Q_PROPOSAL] = "proposal",
	[TOKEN_Q_CHECKIN] = "checkin",
	[TOKEN_Q_REUP] = "reup",
	[TOKEN_Q_FEEDBACK] = "feedback",
	[TOKEN_Q_SESSION] = "session",
	[TOKEN_Q_PREFERENCES] = "preferences",
	[TOKEN_Q_GENERIC] = "generic",
	[TOKEN_Q_SUGGEST] = "suggest",
};

const char *
token_question_name(enum token_question q)
{
	if ((unsigned)q >= TOKEN_Q_COUNT)
		return "?";
	return question_names[q];
}

int
token_question_parse(const char *s)
{
	int i;

	if (s == NULL)
		return -1;
	for (i = 0; i < TOKEN_Q_COUNT; i++)
		if (strcmp(s, question_names[i]) == 0)
			return i;
	return -1;
}

const char *
token_status_name(enum token_status s)
{
	switch (s) {
	case TOKEN_OK:
		return "ok";
	case TOKEN_MALFORMED:
		return "malformed";
	case TOKEN_BAD_MAC:
		return "bad-mac";
	case TOKEN_EXPIRED:
		return "expired";
	}
	return "?";
}

static int
sodium_ready(struct error *err)
{
	static int ready;

	if (ready)
		return 0;
	if (sodium_init() < 0) {
		if (err != NULL)
			error_set(err, EX_SOFTWARE,
			    "libsodium could not be initialised");
		return -1;
	}
	ready = 1;
	return 0;
}

/* ---- bytes ---------------------------------------------------------------- */

static size_t
put_varint(uint8_t *p, unsigned long long v)
{
	size_t n = 0;

	while (v >= 0x80) {
		p[n++] = (uint8_t)(v | 0x80);
		v >>= 7;
	}
	p[n++] = (uint8_t)v;
	return n;
}

/*
 * A minimal varint of at most maxbytes bytes from p[*i..n); -1 when
 * truncated, too long, or not minimal (a final 0x00 after a continuation).
 */
static int
get_varint(const uint8_t *p, size_t n, size_t *i, size_t maxbytes,
    unsigned long long *v)
{
	unsigned long long r = 0;
	size_t k;

	for (k = 0; k < maxbytes && *i < n; k++) {
		uint8_t b = p[(*i)++];

		r |= (unsigned long long)(b & 0x7F) << (7 * k);
		if (!(b & 0x80)) {
			if (b == 0 && k > 0)
				return -1;
			*v = r;
			return 0;
		}
	}
	return -1;
}

static void
mac(const uint8_t *payload, size_t n, const uint8_t key[TOKEN_SECRET_LEN],
    uint8_t tag[TOKEN_TAG_LEN])
{
	crypto_auth_hmacsha256_state st;
	uint8_t full[crypto_auth_hmacsha256_BYTES];

	crypto_auth_hmacsha256_init(&st, key, TOKEN_SECRET_LEN);
	crypto_auth_hmacsha256_update(&st, (const uint8_t *)TOKEN_CONTEXT,
	    sizeof TOKEN_CONTEXT);
	crypto_auth_hmacsha256_update(&st, payload, n);
	crypto_auth_hmacsha256_final(&st, full);
	memcpy(tag, full, TOKEN_TAG_LEN);
	sodium_memzero(full, sizeof full);
	sodium_memzero(&st, sizeof st);
}

/* ---- base32 --------------------------------------------------------------- */

static size_t
b32_encode(const uint8_t *p, size_t n, char *out)
{
	unsigned acc = 0;
	int bits = 0;
	size_t i, k = 0;

	for (i = 0; i < n; i++) {
		acc = (acc << 8) | p[i];
		bits += 8;
		while (bits >= 5) {
			bits -= 5;
			out[k++] = b32_alphabet[(acc >> bits) & 31];
		}
	}
	if (bits > 0)
		out[k++] = b32_alphabet[(acc << (5 - bits)) & 31];
	out[k] = '\0';
	return k;
}

static int
b32_value(char c)
{
	if (c >= 'a' && c <= 'z')
		return c - 'a';
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= '2' && c <= '7')
		return c - '2' + 26;
	return -1;
}

/*
 * Decode exactly; -1 for a character outside the alphabet, a length no
 * encoding produces, or leftover bits that are not zero (non-canonical).
 */
static int
b32_decode(const char *s, size_t len, uint8_t *out, size_t cap, size_t *n)
{
	unsigned acc = 0;
	int bits = 0, v;
	size_t i, k = 0;

	for (i = 0; i < len; i++) {
		if ((v = b32_value(s[i])) < 0)
			return -1;
		acc = (acc << 5) | (unsigned)v;
		bits += 5;
		if (bits >= 8) {
			bits -= 8;
			if (k == cap)
				return -1;
			out[k++] = (uint8_t)(acc >> bits);
		}
		acc &= (1u << bits) - 1;
	}
	if (bits >= 5 || acc != 0)
		return -1;
	*n = k;
	return 0;
}

/* ---- make and verify ------------------------------------------------------ */

static bool
claims_valid(const struct token_claims *c)
{
	return c->person_id >= 0 && c->person_id <= TOKEN_MAX_ID &&
	    c->subject_id >= 0 && c->subject_id <= TOKEN_MAX_ID &&
	    (unsigned)c->question < TOKEN_Q_COUNT &&
	    c->expires_on >= TOKEN_DAY_BASE && c->expires_on <= TOKEN_MAX_DAY;
}

int
token_make(const struct token_claims *c,
    const uint8_t secret[TOKEN_SECRET_LEN], char out[TOKEN_BUFSZ],
    struct error *err)
{
	uint8_t buf[TOKEN_MAX_BYTES];
	size_t n = 0;

	out[0] = '\0';
	if (!claims_valid(c))
		return error_set(err, EX_SOFTWARE, "reply token claims out of "
		    "range (person %lld, id %lld, question %d, day %d)",
		    c->person_id, c->subject_id, (int)c->question,
		    c->expires_on);
	if (sodium_ready(err) == -1)
		return -1;
	buf[n++] = (uint8_t)(TOKEN_VERSION << 4 | (unsigned)c->question);
	n += put_varint(buf + n, (unsigned long long)c->person_id);
	n += put_varint(buf + n, (unsigned long long)c->subject_id);
	n += put_varint(buf + n,
	    (unsigned long long)(c->expires_on - TOKEN_DAY_BASE));
	mac(buf, n, secret, buf + n);
	n += TOKEN_TAG_LEN;
	b32_encode(buf, n, out);
	return 0;
}

enum token_status
token_verify(const char *s, size_t len, const uint8_t secret[TOKEN_SECRET_LEN],
    int today, struct token_claims *out)
{
	uint8_t buf[TOKEN_MAX_BYTES], tag[TOKEN_TAG_LEN];
	unsigned long long person, subject, day;
	struct token_claims c;
	size_t n, i = 1, body;
	int rc;

	if (s == NULL || len > TOKEN_MAX_LEN ||
	    b32_decode(s, len, buf, sizeof buf, &n) == -1 ||
	    n < TOKEN_MIN_BYTES)
		return TOKEN_MALFORMED;
	body = n - TOKEN_TAG_LEN;
	if (buf[0] >> 4 != TOKEN_VERSION || (buf[0] & 15) >= TOKEN_Q_COUNT)
		return TOKEN_MALFORMED;
	if (get_varint(buf, body, &i, 6, &person) == -1 ||
	    get_varint(buf, body, &i, 6, &subject) == -1 ||
	    get_varint(buf, body, &i, 3, &day) == -1 || i != body)
		return TOKEN_MALFORMED;
	c.person_id = (long long)person;
	c.subject_id = (long long)subject;
	c.question = (enum token_question)(buf[0] & 15);
	c.expires_on = TOKEN_DAY_BASE + (int)day;
	if (!claims_valid(&c))
		return TOKEN_MALFORMED;
	if (sodium_ready(NULL) == -1)
		return TOKEN_BAD_MAC;
	mac(buf, body, secret, tag);
	rc = sodium_memcmp(tag, buf + body, TOKEN_TAG_LEN);
	sodium_memzero(tag, sizeof tag);
	if (rc != 0)
		return TOKEN_BAD_MAC;
	if (out != NULL)
		*out = c;
	return today > c.expires_on ? TOKEN_EXPIRED : TOKEN_OK;
}

/* ---- the secret ----------------------------------------------------------- */

int
token_secret_new(uint8_t secret[TOKEN_SECRET_LEN], struct error *err)
{
	if (sodium_ready(err) == -1)
		return -1;
	randombytes_buf(secret, TOKEN_SECRET_LEN);
	return 0;
}

void
token_secret_format(const uint8_t secret[TOKEN_SECRET_LEN],
    char out[TOKEN_SECRET_HEX_BUFSZ])
{
	sodium_bin2hex(out, TOKEN_SECRET_HEX_BUFSZ, secret, TOKEN_SECRET_LEN);
}

int
token_secret_parse(const char *hex, uint8_t secret[TOKEN_SECRET_LEN])
{
	size_t n = 0;
	const char *end = NULL;

	if (hex == NULL || strlen(hex) != 2 * TOKEN_SECRET_LEN)
		return -1;
	if (sodium_hex2bin(secret, TOKEN_SECRET_LEN, hex, strlen(hex), NULL,
	    &n, &end) != 0 || n != TOKEN_SECRET_LEN || *end != '\0')
		return -1;
	return 0;
}

/* ---- where tokens travel -------------------------------------------------- */

/* Copy s[0..n) lowercased when it is 1..TOKEN_MAX_LEN base32 characters. */
static bool
candidate(const char *s, size_t n, char out[TOKEN_BUFSZ])
{
	size_t i;

	if (n == 0 || n > TOKEN_MAX_LEN)
		return false;
	for (i = 0; i < n; i++) {
		int v = b32_value(s[i]);

		if (v < 0)
			return false;
		out[i] = b32_alphabet[v];
	}
	out[n] = '\0';
	return true;
}

/* s without surrounding spaces and one pair of <>: [*b, *e). */
static void
strip_brackets(const char *s, const char **b, const char **e)
{
	const char *p = s, *q = s + strlen(s);

	while (p < q && (*p == ' ' || *p == '\t'))
		p++;
	while (q > p && (q[-1] == ' ' || q[-1] == '\t'))
		q--;
	if (q - p >= 2 && *p == '<' && q[-1] == '>') {
		p++;
		q--;
	}
	*b = p;
	*e = q;
}

bool
token_from_address(const char *addr, char out[TOKEN_BUFSZ])
{
	const char *b, *e, *at, *plus = NULL, *p;

	out[0] = '\0';
	if (addr == NULL)
		return false;
	strip_brackets(addr, &b, &e);
	for (at = e; at > b && at[-1] != '@'; at--)
		;
	if (at == b)
		return false;
	at--;
	for (p = b; p < at; p++)
		if (*p == '+')
			plus = p;
	if (plus == NULL || plus == b)
		return false;
	if (!candidate(plus + 1, (size_t)(at - plus - 1), out)) {
		out[0] = '\0';
		return false;
	}
	return true;
}

bool
token_from_message_id(const char *msgid, char out[TOKEN_BUFSZ])
{
	const char *b, *e, *p;

	out[0] = '\0';
	if (msgid == NULL)
		return false;
	strip_brackets(msgid, &b, &e);
	for (p = b; p < e && *p != '.' && *p != '@'; p++)
		;
	if (p == e || memchr(p, '@', (size_t)(e - p)) == NULL ||
	    !candidate(b, (size_t)(p - b), out)) {
		out[0] = '\0';
		return false;
	}
	return true;
}

int
token_address(const char *contact, const char *token, char **out,
    struct error *err)
{
	const char *at = contact ? strrchr(contact, '@') : NULL;
	size_t local;

	*out = NULL;
	if (at == NULL || at == contact || at[1] == '\0')
		return error_set(err, EX_DATAERR, "contact address '%s' has "
		    "no local part or domain", contact ? contact : "");
	local = (size_t)(at - contact);
	if (local + 1 + strlen(token) > TOKEN_LOCAL_PART_MAX)
		return error_set(err, EX_DATAERR, "contact address '%s': its "
		    "local part is too long to carry a reply token (at most "
		    "%d octets with '+' and the token)", contact,
		    TOKEN_LOCAL_PART_MAX);
	*out = xasprintf("%.*s+%s%s", (int)local, contact, token, at);
	return 0;
}

static bool
atext_or_dot(const char *s, bool dots)
{
	static const char specials[] = "!#$%&'*+-/=?^_`{|}~";

	if (*s == '\0')
		return false;
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || (dots && c == '.') ||
		    (c != '\0' && strchr(specials, c) != NULL))
			continue;
		return false;
	}
	return true;
}

char *
token_message_id(const char *token, const char *unique, const char *domain)
{
	char tok[TOKEN_BUFSZ];

	if (token == NULL || unique == NULL || domain == NULL ||
	    !candidate(token, strlen(token), tok) ||
	    !atext_or_dot(unique, true) || !atext_or_dot(domain, true) ||
	    unique[0] == '.' || domain[0] == '.' ||
	    unique[strlen(unique) - 1] == '.' ||
	    domain[strlen(domain) - 1] == '.' || strstr(unique, "..") ||
	    strstr(domain, ".."))
		return NULL;
	return xasprintf("%s.%s@%s", tok, unique, domain);
}
