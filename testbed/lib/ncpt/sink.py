"""A TCP sink for replicas of one-shot protocols (iperf3): accepts any number of connections, reads and
discards everything, never answers, never closes first. Run inside a host:
``/usr/bin/python3 sink.py IP PORT``; prints totals on SIGTERM.

Why not ``iperf3 -s`` as the replica: the replayed control session can tell the replica's iperf3 that the test
is over while data streams are still being replayed to it (sessions are replayed independently); it then resets
them, the middlebox counts the copies damaged and backs the replica off as DOWN, and the next test runs
without replication. A sink receives every replayed byte; completeness is measured on the wire (tc counters).
"""

import selectors
import signal
import socket
import sys


def main(ip, port):
    sel = selectors.DefaultSelector()
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind((ip, port))
    srv.listen(1024)
    srv.setblocking(False)
    sel.register(srv, selectors.EVENT_READ)
    buf = bytearray(1 << 20)
    view = memoryview(buf)
    total = [0, 0]  # bytes, connections
    running = [True]
    signal.signal(signal.SIGTERM, lambda *a: running.__setitem__(0, False))
    print("sink listening on %s:%d" % (ip, port), flush=True)
    while running[0]:
        for key, _ in sel.select(timeout=0.5):
            s = key.fileobj
            if s is srv:
                try:
                    c, _ = srv.accept()
                except BlockingIOError:
                    continue
                c.setblocking(False)
                c.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
                sel.register(c, selectors.EVENT_READ)
                total[1] += 1
                continue
            try:
                n = s.recv_into(view)
            except BlockingIOError:
                continue
            except OSError:
                n = 0
            if n:
                total[0] += n
            else:
                sel.unregister(s)
                s.close()
    print("sink: %d bytes in %d connections" % tuple(total), flush=True)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
