/*
 * A small SMTP client for a run's mail (io/smtp.h).  Blocking in effect,
 * non-blocking underneath: every wait is a poll() with the session's
 * timeout, so a silent server costs at most that long per step.
 */
#include "io/smtp.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include "io/mail.h"
#include "util/xmalloc.h"

#define SMTP_REPLY_MAX (64 * 1024)   /* a longer reply is not SMTP */
#define SMTP_QUIT_WAIT 5             /* seconds for QUIT's reply at the end */
#define SMTP_FAILS_DOWN 2            /* failed connections in a row */

struct smtp {
	char *host;
	char *port;
	char *name;                  /* "host:port" */
	int timeout;
	int fd;                      /* -1: no connection */
	unsigned ext;                /* SMTP_EXT_* of this connection */
	unsigned long size_max;
	int connections;
	int fails;                   /* connections failed since a message
	                                was last taken */
	bool down;
	struct strbuf in;            /* read, not yet parsed */
	struct strbuf text;          /* the last reply's lines, or an error */
	struct strbuf out;           /* what goes out next */
	int code;                    /* the last reply's code, 0: none */
	bool timed_out;              /* the last wait ran out of time */
};

/* ---- the pieces ---- */

int
smtp_target_parse(const char *spec, char **host, char **port,
    struct error *err)
{
	const char *p, *colon = NULL, *hs, *he;
	size_t i;
	char *end;
	long v;

	*host = *port = NULL;
	if (spec == NULL || *spec == '\0')
		return error_set(err, EX_USAGE, "'': expected HOST[:PORT]");
	for (p = spec; *p != '\0'; p++)
		if ((unsigned char)*p <= ' ' || *p == 0x7f || *p == '/' ||
		    *p == '@')
			goto bad;
	if (spec[0] == '[') {
		if ((p = strchr(spec, ']')) == NULL || p == spec + 1)
			goto bad;
		hs = spec + 1;
		he = p;
		if (p[1] == ':')
			colon = p + 1;
		else if (p[1] != '\0')
			goto bad;
	} else {
		hs = spec;
		colon = strchr(spec, ':');
		/* two colons or more, unbracketed: an IPv6 address, no port */
		if (colon != NULL && strchr(colon + 1, ':') != NULL)
			colon = NULL;
		he = colon != NULL ? colon : spec + strlen(spec);
		for (p = hs; p < he; p++)
			if (*p == '[' || *p == ']')
				goto bad;
	}
	if (he == hs)
		goto bad;
	if (colon != NULL) {
		for (i = 1; colon[i] != '\0'; i++)
			if (colon[i] < '0' || colon[i] > '9')
				goto bad;
		errno = 0;
		v = strtol(colon + 1, &end, 10);
		if (i == 1 || i > 6 || errno != 0 || *end != '\0' || v < 1 ||
		    v > 65535)
			goto bad;
		*port = xasprintf("%ld", v);
	} else {
		*port = xstrdup(SMTP_PORT_DEFAULT);
	}
	*host = xstrndup(hs, (size_t)(he - hs));
	return 0;
bad:
	free(*port);
	*port = NULL;
	return error_set(err, EX_USAGE, "'%.100s': expected HOST[:PORT] (an "
	    "IPv6 address in brackets: [::1]:25)", spec);
}

static bool
smtp_digit(char c, char lo)
{
	return c >= lo && c <= '9';
}

int
smtp_reply_parse(const char *buf, size_t len, int *code, size_t *used,
    struct strbuf *text)
{
	size_t at = 0, n, k;
	const char *l, *nl;
	int first = 0, c;

	if (text != NULL)
		strbuf_reset(text);
	while (at < len) {
		l = buf + at;
		nl = memchr(l, '\n', len - at);
		if (nl == NULL)
			break;
		n = (size_t)(nl - l);
		k = n > 0 && l[n - 1] == '\r' ? n - 1 : n;
		if (k < 3 || !smtp_digit(l[0], '2') || !smtp_digit(l[1], '0') ||
		    !smtp_digit(l[2], '0') || (k > 3 && l[3] != ' ' &&
		    l[3] != '-'))
			return -1;
		c = (l[0] - '0') * 100 + (l[1] - '0') * 10 + (l[2] - '0');
		if (first != 0 && c != first)
			return -1;
		first = c;
		if (text != NULL) {
			strbuf_add(text, l, k);
			strbuf_addch(text, '\n');
		}
		at += n + 1;
		if (k == 3 || l[3] == ' ') {
			*code = c;
			*used = at;
			return 1;
		}
	}
	return 0;
}

unsigned
smtp_ehlo_parse(const char *text, unsigned long *size)
{
	static const struct {
		const char *word;
		unsigned bit;
	} words[] = {
		{ "8BITMIME", SMTP_EXT_8BITMIME },
		{ "SMTPUTF8", SMTP_EXT_SMTPUTF8 },
		{ "PIPELINING", SMTP_EXT_PIPELINING },
		{ "SIZE", SMTP_EXT_SIZE },
	};
	const char *l, *e, *kw;
	unsigned ext = 0;
	size_t i, n;
	bool greeting = true;

	*size = 0;
	for (l = text; l != NULL && *l != '\0'; l = *e ? e + 1 : e) {
		e = strchr(l, '\n');
		if (e == NULL)
			e = l + strlen(l);
		/* the first line greets; the others name one keyword each */
		if (greeting || (size_t)(e - l) < 4) {
			greeting = false;
			continue;
		}
		kw = l + 4;
		n = strcspn(kw, " \n");
		for (i = 0; i < sizeof words / sizeof words[0]; i++) {
			if (n != strlen(words[i].word) ||
			    strncasecmp(kw, words[i].word, n) != 0)
				continue;
			ext |= words[i].bit;
			if (words[i].bit == SMTP_EXT_SIZE && kw[n] == ' ')
				*size = strtoul(kw + n + 1, NULL, 10);
		}
	}
	return ext;
}

void
smtp_data_encode(const char *msg, size_t len, struct strbuf *out)
{
	size_t i = 0, j;

	while (i < len) {
		for (j = i; j < len && msg[j] != '\n' && msg[j] != '\r'; j++)
			;
		if (j > i && msg[i] == '.')
			strbuf_addch(out, '.');
		strbuf_add(out, msg + i, j - i);
		strbuf_add(out, "\r\n", 2);
		if (j < len && msg[j] == '\r' && j + 1 < len && msg[j + 1] == '\n')
			j++;
		i = j + 1;
	}
	strbuf_add(out, ".\r\n", 3);
}

/* ---- the envelope ---- */

static void
env_add(struct smtp_envelope *env, const char *s, size_t n, bool *bad)
{
	char *a;

	while (n > 0 && (*s == ' ' || *s == '\t'))
		s++, n--;
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (n == 0)
		return;
	a = xstrndup(s, n);
	if (!mail_addr_valid(a)) {
		*bad = true;
		free(a);
		return;
	}
	env->to = xreallocarray(env->to, env->nto + 1, sizeof *env->to);
	env->to[env->nto++] = a;
}

/*
 * The addresses of one unfolded field value: per comma-separated mailbox
 * its angle-addr, else what is left once quoted strings and comments are
 * taken out; a group's display name ("name:") is skipped, its ";" ends it.
 */
static void
env_addresses(struct smtp_envelope *env, const char *v, bool *bad)
{
	struct strbuf bare = STRBUF_INIT;
	const char *p, *angle = NULL;
	int depth;
	bool got = false;

	for (p = v;; p++) {
		if (*p == '"') {
			for (p++; *p != '\0' && *p != '"'; p++)
				if (*p == '\\' && p[1] != '\0')
					p++;
			if (*p == '\0')
				break;
			continue;
		}
		if (*p == '(') {
			for (depth = 1, p++; *p != '\0' && depth > 0; p++) {
				if (*p == '\\' && p[1] != '\0')
					p++;
				else if (*p == '(')
					depth++;
				else if (*p == ')')
					depth--;
			}
			if (*p == '\0')
				break;
			p--;
			continue;
		}
		if (*p == '<') {
			angle = p + 1;
			continue;
		}
		if (*p == '>' && angle != NULL) {
			env_add(env, angle, (size_t)(p - angle), bad);
			angle = NULL;
			got = true;
			continue;
		}
		if (angle != NULL && *p != '\0')
			continue;
		if (*p == ':') {
			strbuf_reset(&bare);    /* a group's name */
			continue;
		}
		if (*p == ',' || *p == ';' || *p == '\0') {
			if (!got)
				env_add(env, bare.buf, bare.len, bad);
			strbuf_reset(&bare);
			got = false;
			if (*p == '\0')
				break;
			continue;
		}
		strbuf_addch(&bare, *p);
	}
	strbuf_release(&bare);
}

static bool
env_is_ascii(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] >= 0x80)
			return false;
	return true;
}

int
smtp_envelope_parse(const char *msg, size_t len, struct smtp_envelope *env)
{
	struct strbuf field = STRBUF_INIT;
	const char *p = msg, *end = msg + len, *nl, *body;
	struct smtp_envelope from = { NULL, NULL, 0, false, false };
	size_t i, n;
	bool bad = false, more;

	memset(env, 0, sizeof *env);
	/* the header: up to the first empty line */
	for (body = p; body < end; body = nl + 1) {
		nl = memchr(body, '\n', (size_t)(end - body));
		if (nl == NULL) {
			body = end;
			break;
		}
		if (nl == body || (nl == body + 1 && *body == '\r')) {
			body = nl + 1;
			break;
		}
	}
	env->utf8 = !env_is_ascii(msg, (size_t)(body - msg));
	env->body8 = !env_is_ascii(body, (size_t)(end - body));
	while (p < body) {
		/* one field, unfolded */
		strbuf_reset(&field);
		do {
			nl = memchr(p, '\n', (size_t)(body - p));
			n = nl != NULL ? (size_t)(nl - p) : (size_t)(body - p);
			if (n > 0 && p[n - 1] == '\r')
				n--;
			strbuf_add(&field, p, n);
			p = nl != NULL ? nl + 1 : body;
			more = p < body && (*p == ' ' || *p == '\t');
		} while (more);
		if (strncasecmp(field.buf, "from:", 5) == 0 && from.nto == 0)
			env_addresses(&from, field.buf + 5, &bad);
		else if (strncasecmp(field.buf, "to:", 3) == 0)
			env_addresses(env, field.buf + 3, &bad);
		else if (strncasecmp(field.buf, "cc:", 3) == 0)
			env_addresses(env, field.buf + 3, &bad);
	}
	strbuf_release(&field);
	if (from.nto > 0) {
		env->from = from.to[0];
		for (i = 1; i < from.nto; i++)
			free(from.to[i]);
	}
	free(from.to);
	if (bad || env->from == NULL || env->nto == 0) {
		smtp_envelope_free(env);
		return -1;
	}
	if (!env_is_ascii(env->from, strlen(env->from)))
		env->utf8 = true;
	for (i = 0; i < env->nto; i++)
		if (!env_is_ascii(env->to[i], strlen(env->to[i])))
			env->utf8 = true;
	return 0;
}

void
smtp_envelope_free(struct smtp_envelope *env)
{
	size_t i;

	free(env->from);
	for (i = 0; i < env->nto; i++)
		free(env->to[i]);
	free(env->to);
	memset(env, 0, sizeof *env);
}

/* ---- the session ---- */

struct smtp *
smtp_new(const char *host, const char *port, int timeout)
{
	struct smtp *s = xcalloc(1, sizeof *s);

	s->host = xstrdup(host);
	s->port = xstrdup(port ? port : SMTP_PORT_DEFAULT);
	s->name = strchr(host, ':') != NULL ?
	    xasprintf("[%s]:%s", host, s->port) :
	    xasprintf("%s:%s", host, s->port);
	s->timeout = timeout > 0 ? timeout : MAIL_TIMEOUT_DEFAULT;
	s->fd = -1;
	strbuf_init(&s->in);
	strbuf_init(&s->text);
	strbuf_init(&s->out);
	return s;
}

const char *
smtp_name(const struct smtp *s)
{
	return s->name;
}

bool
smtp_down(const struct smtp *s)
{
	return s->down;
}

int
smtp_connections(const struct smtp *s)
{
	return s->connections;
}

static double
smtp_clock(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Why the last step failed, in words, as the reply text. */
static void
smtp_why(struct smtp *s, const char *why)
{
	strbuf_reset(&s->text);
	strbuf_addstr(&s->text, why);
	strbuf_addch(&s->text, '\n');
	s->code = 0;
}

/* The connection is over: no QUIT, it is broken or we gave up on it. */
static void
smtp_drop(struct smtp *s)
{
	if (s->fd != -1)
		close(s->fd);
	s->fd = -1;
	strbuf_reset(&s->in);
	strbuf_reset(&s->out);      /* unsent commands die with it */
	if (++s->fails >= SMTP_FAILS_DOWN)
		s->down = true;
}

/* Wait for fd to be ready for ev until deadline: 1, 0 timed out, -1. */
static int
smtp_wait(int fd, short ev, double deadline)
{
	struct pollfd pfd;
	double left;
	int r;

	for (;;) {
		left = deadline - smtp_clock();
		if (left <= 0)
			return 0;
		pfd.fd = fd;
		pfd.events = ev;
		pfd.revents = 0;
		r = poll(&pfd, 1, left > 1e6 ? 1000000000 : (int)(left * 1000) +
		    1);
		if (r > 0)
			return 1;
		if (r == -1 && errno != EINTR)
			return -1;
	}
}

/* Write all of s->out; -1 with s->text saying why. */
static int
smtp_flush(struct smtp *s)
{
	double deadline = smtp_clock() + s->timeout;
	size_t off = 0;
	ssize_t n;
	int r;

	while (off < s->out.len) {
		n = send(s->fd, s->out.buf + off, s->out.len - off,
		    MSG_NOSIGNAL);
		if (n > 0) {
			off += (size_t)n;
			continue;
		}
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			if ((r = smtp_wait(s->fd, POLLOUT, deadline)) > 0)
				continue;
			s->timed_out = r == 0;
			smtp_why(s, r == 0 ? "could not write within the "
			    "timeout" : strerror(errno));
			return -1;
		}
		smtp_why(s, n == 0 ? "connection closed" :
		    strerror(errno));
		return -1;
	}
	strbuf_reset(&s->out);
	return 0;
}

/*
 * Read one reply into s->code and s->text; -1 when none came (the
 * connection broke, the time ran out, or it was not SMTP), s->text saying
 * why.
 */
static int
smtp_read(struct smtp *s)
{
	double deadline = smtp_clock() + s->timeout;
	char buf[4096];
	size_t used;
	ssize_t n;
	int r, code;

	s->timed_out = false;
	for (;;) {
		r = smtp_reply_parse(s->in.buf, s->in.len, &code, &used,
		    &s->text);
		if (r > 0) {
			memmove(s->in.buf, s->in.buf + used, s->in.len - used);
			strbuf_setlen(&s->in, s->in.len - used);
			s->code = code;
			return 0;
		}
		if (r < 0 || s->in.len > SMTP_REPLY_MAX) {
			smtp_why(s, "the server's reply is not SMTP");
			return -1;
		}
		n = recv(s->fd, buf, sizeof buf, 0);
		if (n > 0) {
			strbuf_add(&s->in, buf, (size_t)n);
			continue;
		}
		if (n == 0) {
			smtp_why(s, "the server closed the connection");
			return -1;
		}
		if (errno == EINTR)
			continue;
		if (errno == EAGAIN || errno == EWOULDBLOCK) {
			if ((r = smtp_wait(s->fd, POLLIN, deadline)) > 0)
				continue;
			if (r == 0) {
				s->timed_out = true;
				strbuf_reset(&s->text);
				strbuf_addf(&s->text, "no reply within %d s\n",
				    s->timeout);
				s->code = 0;
			} else {
				smtp_why(s, strerror(errno));
			}
			return -1;
		}
		smtp_why(s, strerror(errno));
		return -1;
	}
}

/* Send s->out, then read a reply: -1 when the connection failed. */
static int
smtp_cmd(struct smtp *s)
{
	if (smtp_flush(s) != 0)
		return -1;
	return smtp_read(s);
}

/* One TCP connection to one of the host's addresses, or -1. */
static int
smtp_dial(struct smtp *s)
{
	struct addrinfo hints, *ai = NULL, *a;
	double deadline = smtp_clock() + s->timeout;
	socklen_t elen;
	int fd = -1, rc, e, one = 1;

	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	/*
	 * No AI_ADDRCONFIG: the relay is most often on loopback, which that
	 * flag ignores; every address is tried in turn ("localhost" is ::1
	 * and 127.0.0.1, and the MTA may listen on one of them only).
	 */
	if ((rc = getaddrinfo(s->host, s->port, &hints, &ai)) != 0) {
		smtp_why(s, gai_strerror(rc));
		return -1;
	}
	smtp_why(s, "no address");
	for (a = ai; a != NULL; a = a->ai_next) {
		fd = socket(a->ai_family, a->ai_socktype, a->ai_protocol);
		if (fd == -1) {
			smtp_why(s, strerror(errno));
			continue;
		}
		if (fcntl(fd, F_SETFD, FD_CLOEXEC) == -1 ||
		    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) == -1) {
			smtp_why(s, strerror(errno));
			close(fd);
			fd = -1;
			continue;
		}
		if (connect(fd, a->ai_addr, a->ai_addrlen) == 0)
			break;
		if (errno == EINPROGRESS) {
			rc = smtp_wait(fd, POLLOUT, deadline);
			elen = sizeof e;
			if (rc > 0 && getsockopt(fd, SOL_SOCKET, SO_ERROR, &e,
			    &elen) == 0 && e == 0)
				break;
			smtp_why(s, rc == 0 ? "no connection within the "
			    "timeout" : strerror(rc > 0 ? e : errno));
		} else {
			smtp_why(s, strerror(errno));
		}
		close(fd);
		fd = -1;
	}
	freeaddrinfo(ai);
	if (fd != -1)
		/* commands are small and each waits for its reply */
		(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one,
		    sizeof one);
	return fd;
}

/*
 * Our name for EHLO: the host name when it is a domain (has a dot), else
 * the address literal of our end of the connection (RFC 5321 4.1.3).
 */
static void
smtp_helo_name(int fd, struct strbuf *out)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof ss;
	char host[256], addr[INET6_ADDRSTRLEN];
	const char *p;
	bool ok;

	if (gethostname(host, sizeof host) == 0) {
		host[sizeof host - 1] = '\0';
		ok = strchr(host, '.') != NULL && host[0] != '.' &&
		    host[0] != '-';
		for (p = host; ok && *p != '\0'; p++)
			ok = (*p >= 'a' && *p <= 'z') || (*p >= 'A' &&
			    *p <= 'Z') || (*p >= '0' && *p <= '9') ||
			    *p == '-' || (*p == '.' && p[1] != '.' &&
			    p[1] != '\0');
		if (ok) {
			strbuf_addstr(out, host);
			return;
		}
	}
	if (getsockname(fd, (struct sockaddr *)&ss, &len) == 0) {
		if (ss.ss_family == AF_INET && inet_ntop(AF_INET,
		    &((struct sockaddr_in *)&ss)->sin_addr, addr, sizeof addr)) {
			strbuf_addf(out, "[%s]", addr);
			return;
		}
		if (ss.ss_family == AF_INET6 && inet_ntop(AF_INET6,
		    &((struct sockaddr_in6 *)&ss)->sin6_addr, addr,
		    sizeof addr)) {
			strbuf_addf(out, "[IPv6:%s]", addr);
			return;
		}
	}
	strbuf_addstr(out, "[127.0.0.1]");
}

/*
 * A new session: connect, the greeting, EHLO (HELO when EHLO is not
 * understood).  0, or -1 with s->code and s->text saying why and
 * *connected whether a connection was made at all.
 */
static int
smtp_open(struct smtp *s, bool *connected)
{
	struct strbuf name = STRBUF_INIT;

	*connected = false;
	s->connections++;
	s->ext = 0;
	s->size_max = 0;
	strbuf_reset(&s->in);
	if ((s->fd = smtp_dial(s)) == -1)
		return -1;
	*connected = true;
	if (smtp_read(s) != 0 || s->code != 220)
		goto fail;
	smtp_helo_name(s->fd, &name);
	strbuf_addf(&s->out, "EHLO %s\r\n", name.buf);
	if (smtp_cmd(s) != 0)
		goto fail;
	if (s->code == 250) {
		s->ext = smtp_ehlo_parse(s->text.buf, &s->size_max);
	} else if (s->code >= 500 && s->code != 554) {
		strbuf_addf(&s->out, "HELO %s\r\n", name.buf);
		if (smtp_cmd(s) != 0 || s->code != 250)
			goto fail;
	} else {
		goto fail;
	}
	strbuf_release(&name);
	return 0;
fail:
	/* a refusal is not a broken connection: say goodbye, keep its words */
	if (s->code != 0 && s->code != 421) {
		int code = s->code;

		strbuf_reset(&name);
		strbuf_add(&name, s->text.buf, s->text.len);
		strbuf_reset(&s->out);
		strbuf_addstr(&s->out, "QUIT\r\n");
		(void)smtp_flush(s);
		strbuf_reset(&s->text);
		strbuf_add(&s->text, name.buf, name.len);
		s->code = code;
	}
	strbuf_release(&name);
	strbuf_reset(&s->out);
	return -1;
}

/* The end of one message's transaction, for delivery_judge. */
static void
smtp_end(struct smtp *s, struct delivery_end *end,
    enum delivery_smtp_step step, bool replied)
{
	end->smtp_step = step;
	end->smtp_code = replied ? s->code : 0;
	end->smtp_lost = !replied;
	end->timed_out = !replied && s->timed_out;
	end->output = s->text.buf;
}

/*
 * After a refusal inside a transaction: RSET ends it and the session goes
 * on.  A 421 (the server is closing), or an RSET that fails, ends the
 * connection.  s->code and s->text keep the refusal.
 */
static void
smtp_reset(struct smtp *s)
{
	struct strbuf keep = STRBUF_INIT;
	int code = s->code;

	if (s->fd == -1)
		return;
	if (code == 421) {
		smtp_drop(s);
		return;
	}
	strbuf_add(&keep, s->text.buf, s->text.len);
	strbuf_addstr(&s->out, "RSET\r\n");
	if (smtp_cmd(s) != 0 || s->code != 250)
		smtp_drop(s);
	strbuf_reset(&s->text);
	strbuf_add(&s->text, keep.buf, keep.len);
	s->code = code;
	strbuf_release(&keep);
}

/* MAIL FROM's parameters for what the message holds; -1: cannot go. */
static int
smtp_params(struct smtp *s, const struct smtp_envelope *env, size_t wire,
    struct strbuf *par)
{
	if (env->utf8 && !(s->ext & SMTP_EXT_SMTPUTF8)) {
		smtp_why(s, "the server does not take internationalised "
		    "addresses or headers (no SMTPUTF8)");
		return -1;
	}
	if (env->body8 && !(s->ext & (SMTP_EXT_8BITMIME | SMTP_EXT_SMTPUTF8))) {
		smtp_why(s, "the server does not take 8-bit text (no "
		    "8BITMIME)");
		return -1;
	}
	if (s->ext & SMTP_EXT_SIZE)
		strbuf_addf(par, " SIZE=%zu", wire);
	if ((env->body8 || env->utf8) && (s->ext & SMTP_EXT_8BITMIME))
		strbuf_addstr(par, " BODY=8BITMIME");
	if (env->utf8)
		strbuf_addstr(par, " SMTPUTF8");
	return 0;
}

/* The step of the i-th reply to MAIL, nto RCPTs and DATA. */
static enum delivery_smtp_step
smtp_step_of(size_t i, size_t nto)
{
	return i == 0 ? DELIVERY_SMTP_MAIL : i <= nto ? DELIVERY_SMTP_RCPT :
	    DELIVERY_SMTP_DATA;
}

/* Whether the i-th reply is the one hoped for. */
static bool
smtp_good(int code, size_t i, size_t nto)
{
	if (i == 0)
		return code == 250;
	if (i <= nto)
		return code == 250 || code == 251;
	return code == 354;
}

/*
 * MAIL, RCPT and DATA, each waiting for its reply, or all in one write
 * when the server offers PIPELINING (RFC 2920: the replies come in order,
 * and a refused RCPT leaves DATA without a recipient, which the server
 * refuses).  0 when DATA was answered 354, else -1 with end filled: the
 * first refusal, or the step where the connection was lost.
 */
static int
smtp_transaction(struct smtp *s, const struct smtp_envelope *env,
    const char *par, struct delivery_end *end)
{
	struct strbuf refusal = STRBUF_INIT;
	size_t i, n = env->nto + 2, sent = 0;
	bool pipe = (s->ext & SMTP_EXT_PIPELINING) != 0;
	enum delivery_smtp_step step = DELIVERY_SMTP_MAIL;
	int code = 0;

	for (i = 0; i < n && code == 0; i++) {
		if (i == 0)
			strbuf_addf(&s->out, "MAIL FROM:<%s>%s\r\n", env->from,
			    par);
		else if (i <= env->nto)
			strbuf_addf(&s->out, "RCPT TO:<%s>\r\n", env->to[i - 1]);
		else
			strbuf_addstr(&s->out, "DATA\r\n");
		if (pipe && i + 1 < n)
			continue;
		if (smtp_flush(s) != 0) {
			step = smtp_step_of(sent, env->nto);
			goto lost;
		}
		/* the replies to everything written so far, in order */
		for (; sent <= i; sent++) {
			if (smtp_read(s) != 0) {
				if (code != 0) {
					/* the refusal stands; the link is gone */
					smtp_drop(s);
					break;
				}
				step = smtp_step_of(sent, env->nto);
				goto lost;
			}
			if (code == 0 && !smtp_good(s->code, sent, env->nto)) {
				code = s->code;
				step = smtp_step_of(sent, env->nto);
				strbuf_add(&refusal, s->text.buf, s->text.len);
			} else if (code != 0 && s->code == 354) {
				/*
				 * DATA taken although a recipient was
				 * refused: never to a part of them.  Closing
				 * without the final dot drops it.
				 */
				smtp_drop(s);
				break;
			}
		}
	}
	if (code == 0) {
		strbuf_release(&refusal);
		return 0;
	}
	strbuf_reset(&s->text);
	strbuf_add(&s->text, refusal.buf, refusal.len);
	s->code = code;
	smtp_reset(s);
	smtp_end(s, end, step, true);
	strbuf_release(&refusal);
	return -1;
lost:
	smtp_drop(s);
	smtp_end(s, end, step, false);
	strbuf_release(&refusal);
	return -1;
}

void
smtp_send(struct smtp *s, const char *msg, size_t len,
    struct delivery_end *end)
{
	struct smtp_envelope env;
	struct strbuf wire = STRBUF_INIT, par = STRBUF_INIT;
	bool connected;

	memset(end, 0, sizeof *end);
	end->smtp_step = DELIVERY_SMTP_CONNECT;
	if (smtp_envelope_parse(msg, len, &env) != 0) {
		smtp_why(s, "the message has no valid sender or "
		    "recipient to give the server");
		end->started = true;
		smtp_end(s, end, DELIVERY_SMTP_MAIL, false);
		end->smtp_lost = false;
		return;
	}
	/*
	 * No connection: open one.  A failure is tried once more at once
	 * (nothing of this message went out), unless the last connection
	 * failed already: then the session is down for the run.
	 */
	while (s->fd == -1) {
		if (s->down) {
			smtp_why(s, "not tried again after two failed "
			    "connections in a row");
			smtp_end(s, end, DELIVERY_SMTP_CONNECT, false);
			goto out;
		}
		if (smtp_open(s, &connected) == 0)
			break;
		end->started = connected;
		smtp_drop(s);
		smtp_end(s, end, DELIVERY_SMTP_CONNECT, s->code != 0);
		if (s->down)
			goto out;
	}
	end->started = true;
	smtp_data_encode(msg, len, &wire);
	if (smtp_params(s, &env, wire.len, &par) != 0) {
		smtp_end(s, end, DELIVERY_SMTP_MAIL, false);
		end->smtp_lost = false;
		goto out;
	}
	if (smtp_transaction(s, &env, par.buf, end) != 0)
		goto out;
	/* From here the server may have the whole message. */
	strbuf_add(&s->out, wire.buf, wire.len);
	if (smtp_flush(s) != 0) {
		/* the final dot did not all go: no message */
		smtp_drop(s);
		smtp_end(s, end, DELIVERY_SMTP_DATA, false);
		goto out;
	}
	if (smtp_read(s) != 0) {
		smtp_drop(s);
		smtp_end(s, end, DELIVERY_SMTP_DOT, false);
		goto out;
	}
	if (s->code >= 200 && s->code < 300) {
		s->fails = 0;
		smtp_end(s, end, DELIVERY_SMTP_DONE, true);
		goto out;
	}
	if (s->code == 421)
		smtp_drop(s);
	smtp_end(s, end, DELIVERY_SMTP_DOT, true);
out:
	strbuf_release(&wire);
	strbuf_release(&par);
	smtp_envelope_free(&env);
}

void
smtp_free(struct smtp *s)
{
	if (s == NULL)
		return;
	if (s->fd != -1) {
		s->timeout = s->timeout < SMTP_QUIT_WAIT ? s->timeout :
		    SMTP_QUIT_WAIT;
		strbuf_addstr(&s->out, "QUIT\r\n");
		(void)smtp_cmd(s);
		close(s->fd);
	}
	free(s->host);
	free(s->port);
	free(s->name);
	strbuf_release(&s->in);
	strbuf_release(&s->text);
	strbuf_release(&s->out);
	free(s);
}
