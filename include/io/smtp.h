#ifndef MENTORCTL_IO_SMTP_H
#define MENTORCTL_IO_SMTP_H

#include <stdbool.h>
#include <stddef.h>

#include "core/delivery.h"
#include "util/error.h"
#include "util/strbuf.h"

/*
 * A small SMTP client (RFC 5321) for the mail of one run: `--smtp
 * HOST[:PORT]` sends every message of a run over one session to a relay
 * on the organisation's own machine (Postfix or OpenSMTPD on loopback, the
 * null client), instead of starting a mail program per message.  Plain
 * SMTP only: for TLS or AUTH to a remote submission server, `--sendmail
 * 'msmtp -t'` stays the way.
 *
 * Per message: MAIL FROM the From header's address (the programme's
 * contact, so that bounces come back to the coordinators), RCPT TO each
 * address of To and Cc (as `sendmail -t` reads them; mentorctl writes no
 * Bcc), DATA with CRLF line ends and dot-stuffing.  The composed messages
 * are 7bit or quoted-printable (io/mail.h), so BODY=8BITMIME is declared
 * only for a message that has 8-bit octets after all, and SMTPUTF8 only
 * for one whose addresses or headers are not ASCII; a server that does not
 * offer what a message needs gets no transaction for it.  PIPELINING, when
 * offered, sends MAIL, RCPT and DATA in one write.
 *
 * The session opens with the first message (EHLO, HELO when EHLO is not
 * understood) and ends with smtp_free (QUIT).  A refusal ends the
 * transaction (RSET), not the session.  A connection that breaks, times
 * out or is closed by the server (421) is closed; the next message opens a
 * new one.  Two failures in a row, with no message taken in between (a
 * refused connection tried twice, or a new connection lost again), and the
 * session is down for the rest of the run: smtp_down, and smtp_send tries
 * nothing more.  A message is never sent twice: the one in flight when the
 * connection broke is judged (core/delivery.h: before its final dot it was
 * not delivered, after it the outcome is unknown) and not sent again.
 */

#define SMTP_PORT_DEFAULT "25"

struct smtp;

/*
 * "HOST", "HOST:PORT", "[IPV6]" or "[IPV6]:PORT" (a bare IPv6 address has
 * no port): the host and the port (SMTP_PORT_DEFAULT when none), which the
 * caller frees.  -1 with EX_USAGE ("'SPEC': expected HOST[:PORT] ...")
 * when it is malformed.
 */
int smtp_target_parse(const char *spec, char **host, char **port,
    struct error *err);

/* A session, not yet connected; timeout: seconds per reply (and connect). */
struct smtp *smtp_new(const char *host, const char *port, int timeout);
/* QUIT when connected, then close and free; NULL-safe. */
void smtp_free(struct smtp *s);
/* "host:port" ("[::1]:25"), for messages; valid while s is. */
const char *smtp_name(const struct smtp *s);
/* The session gave up for this run (see above). */
bool smtp_down(const struct smtp *s);
/* Connections opened (or tried) so far. */
int smtp_connections(const struct smtp *s);

/*
 * Send one message (RFC 5322, LF or CRLF line ends) and say how it ended,
 * for delivery_judge: end->smtp_step, ->smtp_code, ->output (the reply's
 * lines, or what went wrong; valid until the next smtp_send or smtp_free).
 */
void smtp_send(struct smtp *s, const char *msg, size_t len,
    struct delivery_end *end);

/* The pieces, for the tests. */

/*
 * One reply at buf: 1 when it is complete (*code its code, *used the
 * octets it takes, text, when not NULL, its lines without the CRLF, each
 * ending in LF), 0 when more is needed, -1 when it is not an SMTP reply
 * (a line not "DDD", "DDD text" or "DDD-text" with D 2-5 first, or lines
 * of different codes).  LF alone ends a line too.
 */
int smtp_reply_parse(const char *buf, size_t len, int *code, size_t *used,
    struct strbuf *text);

/* The extensions an EHLO reply's text offers, and SIZE's limit (0: none). */
#define SMTP_EXT_8BITMIME   (1u << 0)
#define SMTP_EXT_SMTPUTF8   (1u << 1)
#define SMTP_EXT_PIPELINING (1u << 2)
#define SMTP_EXT_SIZE       (1u << 3)
unsigned smtp_ehlo_parse(const char *text, unsigned long *size);

/*
 * The message as DATA carries it: CRLF line ends (a CR or LF alone ends a
 * line too), a line that starts with "." gets one more, a last line
 * without an end gets one, then ".\r\n".
 */
void smtp_data_encode(const char *msg, size_t len, struct strbuf *out);

/*
 * The envelope, as `sendmail -t` reads it from the header: the From
 * address and every address of To and Cc (angle-addrs, or bare addr-specs;
 * display names, quoted strings, comments and groups skipped), each valid
 * by mail_addr_valid.  -1 when there is no valid From or no recipient, or
 * an address is invalid.  Caller frees with smtp_envelope_free.
 */
struct smtp_envelope {
	char *from;
	char **to;
	size_t nto;
	bool utf8;            /* an address or a header field is not ASCII */
	bool body8;           /* the body has 8-bit octets */
};
int smtp_envelope_parse(const char *msg, size_t len,
    struct smtp_envelope *env);
void smtp_envelope_free(struct smtp_envelope *env);

#endif
