#!/usr/bin/python3
"""A local SMTP sink for the CLI tests: accepts every message on
127.0.0.1:PORT (0: a free port, written to DIR/.port) and writes each to
DIR/msg.N, envelope sender and recipients to DIR/msg.N.env.  DIR/.ready
appears once it listens.  It exits on SIGTERM or after LIFETIME seconds
(default 120), so that a test that dies cannot leave it behind.

    /usr/bin/python3 tests/cli/smtp_sink.py PORT DIR [LIFETIME]

Needs aiosmtpd (Debian: python3-aiosmtpd; scripts/deps.sh test).
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

    async def handle_DATA(self, server, session, envelope):
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
        ctl = Controller(Sink(outdir), hostname="127.0.0.1", port=want,
                         ready_timeout=10)
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
