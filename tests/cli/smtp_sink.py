#!/usr/bin/python3
"""A local SMTP sink for the CLI tests: accepts every message on
127.0.0.1:PORT (0: a free port, written to DIR/.port) and writes each to
DIR/msg.N, envelope sender and recipients to DIR/msg.N.env.  DIR/.ready
appears once it listens.  It exits on SIGTERM or after LIFETIME seconds
(default 120), so that a test that dies cannot leave it behind.

    /usr/bin/python3 tests/cli/smtp_sink.py PORT DIR [LIFETIME]

Needs aiosmtpd (Debian: python3-aiosmtpd; scripts/deps.sh test).

For the tests of `--smtp` (t_smtp.sh) it also keeps a log, DIR/.log: a
line "connect N" for every connection, "rcpt ADDR CODE" for every RCPT,
"data ADDR... CODE" for every message, "quit" for every QUIT.  Faults
come from DIR/.faults, read at every command, so that a test can change
them between runs; a line each:

    rcpt ADDR CODE TEXT...   answer RCPT TO:<ADDR> with CODE TEXT
    rcpt ADDR drop           close the connection instead of answering
    data ADDR CODE TEXT...   answer the final dot of a message to ADDR so
    data ADDR drop           close the connection after the whole message
                             to ADDR arrived, before answering (not kept)

With DIR/.pipelining present when it starts, its EHLO offers PIPELINING.
"""
import os
import signal
import socket
import sys
import threading

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, outdir):
        self.outdir = outdir
        self.n = 0
        self.lock = threading.Lock()
        self.pipelining = os.path.exists(os.path.join(outdir, ".pipelining"))

    def log(self, line):
        with self.lock:
            with open(os.path.join(self.outdir, ".log"), "a") as f:
                f.write(line + "\n")

    def fault(self, kind, addresses):
        try:
            with open(os.path.join(self.outdir, ".faults")) as f:
                lines = f.read().splitlines()
        except FileNotFoundError:
            return None
        for line in lines:
            w = line.split(None, 2)
            if len(w) >= 3 and w[0] == kind and w[1].lower() in addresses:
                return w[2]
        return None

    async def handle_EHLO(self, server, session, envelope, hostname,
                          responses):
        session.host_name = hostname
        if self.pipelining:
            responses.insert(-1, "250-PIPELINING")
        return responses

    async def handle_QUIT(self, server, session, envelope):
        self.log("quit")
        return "221 Bye"

    async def handle_RCPT(self, server, session, envelope, address,
                          rcpt_options):
        f = self.fault("rcpt", [address.lower()])
        if f == "drop":
            self.log("rcpt %s drop" % address)
            server.transport.close()
            return "421 4.3.0 dropped"
        if f is not None:
            self.log("rcpt %s %s" % (address, f.split()[0]))
            return f
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.extend(rcpt_options)
        self.log("rcpt %s 250" % address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        rcpts = " ".join(envelope.rcpt_tos)
        f = self.fault("data", [a.lower() for a in envelope.rcpt_tos])
        if f == "drop":
            self.log("data %s drop" % rcpts)
            server.transport.close()
            return "421 4.3.0 dropped"
        if f is not None:
            self.log("data %s %s" % (rcpts, f.split()[0]))
            return f
        self.log("data %s 250" % rcpts)
        with self.lock:
            self.n += 1
            base = os.path.join(self.outdir, "msg.%d" % self.n)
        data = envelope.original_content or envelope.content
        if isinstance(data, str):
            data = data.encode("utf-8", "surrogateescape")
        tmp = base + ".tmp"
        with open(tmp, "wb") as f:
            f.write(data)
        with open(base + ".env", "w") as f:
            f.write("from %s\n" % envelope.mail_from)
            for rcpt in envelope.rcpt_tos:
                f.write("to %s\n" % rcpt)
        os.rename(tmp, base)
        return "250 OK"


class CountingController(Controller):
    """A log line per connection: aiosmtpd makes a server per connection."""

    def __init__(self, sink, **kw):
        super().__init__(sink, **kw)
        self.sink = sink
        self.connections = 0

    def factory(self):
        self.connections += 1
        # the first call is the controller's own readiness check
        if self.connections > 1:
            self.sink.log("connect %d" % (self.connections - 1))
        return super().factory()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    if len(sys.argv) < 3:
        sys.exit("usage: smtp_sink.py PORT DIR [LIFETIME]")
    port, outdir = int(sys.argv[1]), sys.argv[2]
    lifetime = float(sys.argv[3]) if len(sys.argv) > 3 else 120.0
    os.makedirs(outdir, exist_ok=True)
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    signal.signal(signal.SIGINT, lambda *_: done.set())
    # aiosmtpd cannot listen on port 0 itself: ask the kernel for a free
    # port, and try another should someone take it in between.
    for attempt in range(5):
        want = port or free_port()
        ctl = CountingController(Sink(outdir), hostname="127.0.0.1",
                                 port=want, ready_timeout=10)
        try:
            ctl.start()
            break
        except OSError:
            if port or attempt == 4:
                raise
    with open(os.path.join(outdir, ".port"), "w") as f:
        f.write("%d\n" % want)
    open(os.path.join(outdir, ".ready"), "w").close()
    done.wait(lifetime)
    ctl.stop()


if __name__ == "__main__":
    main()
