/*
 * A fast SMTP sink for the benchmarks (bench/inbox.sh): listens on
 * 127.0.0.1 (a free port, printed as "port N" on stdout), takes every
 * message and keeps none of it.  One connection at a time, which is what
 * `--smtp` makes.  It offers PIPELINING (unless -n), answers whatever
 * commands are in a read together with one write, and on SIGTERM prints
 * "connections C messages M octets O" and exits.
 *
 *	smtp_sink [-n]
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

static volatile sig_atomic_t stop;
static unsigned long connections, messages, octets;

static void
on_term(int sig)
{
	(void)sig;
	stop = 1;
}

static int
put(int fd, const char *s, size_t n)
{
	ssize_t w;

	while (n > 0) {
		w = write(fd, s, n);
		if (w < 0 && errno == EINTR && !stop)
			continue;
		if (w <= 0)
			return -1;
		s += w;
		n -= (size_t)w;
	}
	return 0;
}

static void
serve(int fd, int pipelining)
{
	static const char ehlo_p[] = "250-sink\r\n250-PIPELINING\r\n"
	    "250-8BITMIME\r\n250-SMTPUTF8\r\n250 SIZE 52428800\r\n";
	static const char ehlo_n[] = "250-sink\r\n250-8BITMIME\r\n"
	    "250-SMTPUTF8\r\n250 SIZE 52428800\r\n";
	char in[65536], out[8192];
	size_t have = 0, olen = 0, i, start;
	int data = 0, quit = 0;
	ssize_t n;

	if (put(fd, "220 sink ESMTP\r\n", 16) != 0)
		return;
	while (!stop && !quit) {
		n = read(fd, in + have, sizeof in - have);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		have += (size_t)n;
		start = 0;
		for (i = 0; i < have; i++) {
			const char *l = in + start;
			size_t len;

			if (in[i] != '\n')
				continue;
			len = i + 1 - start;
			start = i + 1;
			if (data) {
				if (len == 3 && l[0] == '.') {
					data = 0;
					messages++;
					memcpy(out + olen, "250 OK\r\n", 8);
					olen += 8;
				} else {
					octets += len;
				}
			} else if (len >= 4 && strncasecmp(l, "EHLO", 4) == 0) {
				const char *e = pipelining ? ehlo_p : ehlo_n;

				memcpy(out + olen, e, strlen(e));
				olen += strlen(e);
			} else if (len >= 4 && strncasecmp(l, "DATA", 4) == 0) {
				data = 1;
				memcpy(out + olen, "354 go\r\n", 8);
				olen += 8;
			} else if (len >= 4 && strncasecmp(l, "QUIT", 4) == 0) {
				memcpy(out + olen, "221 bye\r\n", 9);
				olen += 9;
				quit = 1;
			} else if (len >= 4 && (strncasecmp(l, "MAIL", 4) == 0 ||
			    strncasecmp(l, "RCPT", 4) == 0 ||
			    strncasecmp(l, "RSET", 4) == 0 ||
			    strncasecmp(l, "HELO", 4) == 0 ||
			    strncasecmp(l, "NOOP", 4) == 0)) {
				memcpy(out + olen, "250 OK\r\n", 8);
				olen += 8;
			} else {
				memcpy(out + olen, "500 what\r\n", 10);
				olen += 10;
			}
			if (olen > sizeof out - 128) {
				if (put(fd, out, olen) != 0)
					return;
				olen = 0;
			}
		}
		/* a line longer than the buffer: take it as data and go on */
		if (start == 0 && have == sizeof in) {
			octets += have;
			have = 0;
		} else {
			memmove(in, in + start, have - start);
			have -= start;
		}
		if (olen > 0 && put(fd, out, olen) != 0)
			return;
		olen = 0;
	}
}

int
main(int argc, char **argv)
{
	struct sockaddr_in sa;
	socklen_t len = sizeof sa;
	struct sigaction act;
	int ls, fd, one = 1, pipelining = !(argc > 1 &&
	    strcmp(argv[1], "-n") == 0);

	memset(&act, 0, sizeof act);
	act.sa_handler = on_term;   /* no SA_RESTART: accept and read stop */
	sigaction(SIGTERM, &act, NULL);
	sigaction(SIGINT, &act, NULL);
	signal(SIGPIPE, SIG_IGN);
	if ((ls = socket(AF_INET, SOCK_STREAM, 0)) < 0)
		return perror("socket"), 1;
	setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(ls, (struct sockaddr *)&sa, sizeof sa) != 0 ||
	    listen(ls, 16) != 0 ||
	    getsockname(ls, (struct sockaddr *)&sa, &len) != 0)
		return perror("bind"), 1;
	printf("port %d\n", ntohs(sa.sin_port));
	fflush(stdout);
	while (!stop) {
		fd = accept(ls, NULL, NULL);
		if (fd < 0)
			continue;
		connections++;
		serve(fd, pipelining);
		close(fd);
	}
	printf("connections %lu messages %lu octets %lu\n", connections,
	    messages, octets);
	return 0;
}
