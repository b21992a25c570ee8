#!/usr/bin/env python3
"""Naive TCP tee, the baseline NCP must beat: each client byte is written to the primary, then to every
replica, with blocking sendall (a slow replica slows the client); replica answers are read and dropped.
usage: naive_tee.py LISTEN_HOST:PORT PRIMARY_HOST:PORT [REPLICA_HOST:PORT[@BIND_ADDR] ...]"""
import socket
import sys
import threading

BUF = 65536


def addr(text):
    host, port = text.rsplit(":", 1)
    return host, int(port)


def pump(src, dsts, done):
    """Copies src to every socket in dsts (none: read and drop) until EOF, then half-closes them."""
    try:
        while True:
            data = src.recv(BUF)
            if not data:
                break
            for dst in dsts:
                dst.sendall(data)
    except OSError:
        pass
    for dst in dsts:
        try:
            dst.shutdown(socket.SHUT_WR)
        except OSError:
            pass
    done()


def session(client, primary, replicas):
    outs = [socket.create_connection(primary)]
    outs += [socket.create_connection(t, source_address=(b, 0) if b else None) for t, b in replicas]
    for s in [client] + outs:
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    left, lock = [len(outs) + 1], threading.Lock()

    def done():  # the last pump to finish closes every socket of the session
        with lock:
            left[0] -= 1
            if left[0] == 0:
                for s in [client] + outs:
                    s.close()
    threading.Thread(target=pump, args=(outs[0], [client], done), daemon=True).start()
    for r in outs[1:]:
        threading.Thread(target=pump, args=(r, [], done), daemon=True).start()
    pump(client, outs, done)


def main():
    listen, primary = addr(sys.argv[1]), addr(sys.argv[2])
    replicas = [(addr(r.split("@")[0]), r.split("@")[1] if "@" in r else None) for r in sys.argv[3:]]
    srv = socket.create_server(listen, reuse_port=True, backlog=1024)
    while True:
        client, _ = srv.accept()
        threading.Thread(target=session, args=(client, primary, replicas), daemon=True).start()


if __name__ == "__main__":
    main()
