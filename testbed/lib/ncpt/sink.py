"""A TCP sink for replicas of one-shot protocols (iperf3): accepts any number of connections, reads and
discards everything, never answers, never closes first. Run inside a host:
``/usr/bin/python3 sink.py IP PORT [COUNTS_FILE]``; prints totals on SIGTERM.

Why not ``iperf3 -s`` as the replica: the replayed control session can tell the replica's iperf3 that the test
is over while data streams are still being replayed to it (sessions are replayed independently); it then resets
them, the middlebox counts the copies damaged and backs the replica off as DOWN, and the next test runs
without replication. A sink receives every replayed byte.

Application bytes: the sink counts what it read from its sockets (``bytes``: every byte of every connection)
and, knowing iperf3's framing, the iperf3 payload (``data_bytes``): every connection starts with the test's
37-byte cookie; the control connection then sends a 4-byte length and a JSON object (``{``), a data stream
sends payload. ``data_bytes`` is the sum over data streams of their bytes after the cookie, i.e. the same bytes
iperf3's own server counts as received. With COUNTS_FILE the counters are written there as JSON (atomically,
every 0.2 s while they change, and at exit), so the benchmark reads them without entering the namespace.
"""

import json
import os
import selectors
import signal
import socket
import sys
import time

COOKIE = 37  # iperf3's COOKIE_SIZE: 36 characters and a NUL
HEADER = COOKIE + 5  # cookie + 4-byte length + '{' decides control vs data


class Conn:
    """Bytes read on one connection and, once HEADER bytes are in, whether it is an iperf3 data stream."""

    __slots__ = ("bytes", "head", "kind")

    def __init__(self):
        self.bytes = 0
        self.head = b""
        self.kind = None  # None until classified, then "data" or "control"


class Counts:
    """Totals over all connections; ``data_bytes`` includes classified open data streams."""

    def __init__(self, path):
        self.path = path
        self.bytes = 0
        self.connections = 0
        self.data_bytes = 0
        self.data_connections = 0
        self.control_connections = 0
        self._written = None
        self._last = 0.0

    def classify(self, conn):
        head = conn.head
        control = len(head) >= HEADER and int.from_bytes(head[COOKIE:COOKIE + 4], "big") < (1 << 20) \
            and head[COOKIE + 4:COOKIE + 5] == b"{"
        conn.kind = "control" if control or len(head) < HEADER else "data"
        if conn.kind == "data":
            self.data_connections += 1
            self.data_bytes += conn.bytes - COOKIE
        else:
            self.control_connections += 1
        conn.head = b""

    def add(self, conn, chunk):
        n = len(chunk)
        self.bytes += n
        conn.bytes += n
        if conn.kind is None:
            conn.head += bytes(chunk[:HEADER - len(conn.head)])
            if len(conn.head) >= HEADER:
                self.classify(conn)
        elif conn.kind == "data":
            self.data_bytes += n

    def closed(self, conn):
        if conn.kind is None:
            self.classify(conn)

    def snapshot(self):
        return {"bytes": self.bytes, "connections": self.connections, "data_bytes": self.data_bytes,
                "data_connections": self.data_connections, "control_connections": self.control_connections}

    def write(self, force=False):
        now = time.monotonic()
        if self.path is None or (not force and now - self._last < 0.2):
            return
        self._last = now
        snap = self.snapshot()
        if snap == self._written and not force:
            return
        tmp = self.path + ".tmp"
        with open(tmp, "w") as f:
            json.dump(snap, f)
        os.replace(tmp, self.path)
        self._written = snap


def main(ip, port, counts_path=None):
    sel = selectors.DefaultSelector()
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind((ip, port))
    srv.listen(1024)
    srv.setblocking(False)
    sel.register(srv, selectors.EVENT_READ)
    buf = bytearray(1 << 20)
    view = memoryview(buf)
    counts = Counts(counts_path)
    counts.write(force=True)
    running = [True]
    signal.signal(signal.SIGTERM, lambda *a: running.__setitem__(0, False))
    print("sink listening on %s:%d" % (ip, port), flush=True)
    while running[0]:
        for key, _ in sel.select(timeout=0.2):
            s = key.fileobj
            if s is srv:
                try:
                    c, _ = srv.accept()
                except BlockingIOError:
                    continue
                c.setblocking(False)
                c.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
                sel.register(c, selectors.EVENT_READ, Conn())
                counts.connections += 1
                continue
            try:
                n = s.recv_into(view)
            except BlockingIOError:
                continue
            except OSError:
                n = 0
            if n:
                counts.add(key.data, view[:n])
            else:
                counts.closed(key.data)
                sel.unregister(s)
                s.close()
        counts.write()
    counts.write(force=True)
    print("sink: %(bytes)d bytes in %(connections)d connections, iperf3 payload %(data_bytes)d bytes in "
          "%(data_connections)d data stream(s), %(control_connections)d control connection(s)" % counts.snapshot(),
          flush=True)


if __name__ == "__main__":
    if len(sys.argv) not in (3, 4):
        sys.stderr.write("usage: sink.py IP PORT [COUNTS_FILE]\n")
        sys.exit(2)
    main(sys.argv[1], int(sys.argv[2]), sys.argv[3] if len(sys.argv) == 4 else None)
