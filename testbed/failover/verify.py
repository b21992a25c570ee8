#!/usr/bin/python3
"""Checks every acknowledged write of a driver run (driver.py's result JSON) on one Redis (the promoted replica):

- per connection generation ``c:g`` with pairs 1..n acknowledged: ``<p>:k:<c>:<g>:<i>`` must hold ``i`` for every
  i <= n (a missing or different value is a lost SET) and ``<p>:n:<c>:<g>`` must be >= n (each INCR short of n is
  a lost INCR; n + 1 is possible: the pair in flight when the driver stopped or failed may have been applied);
- every acknowledged short connection's ``<p>:s:<j>`` must hold ``j``.

Prints one JSON object: acknowledged writes checked, lost (total, SET, INCR, short), and the first few lost keys.
Reads only. Exit 0 when it could check (losses are results), 1 when Redis did not answer, 2 on bad arguments.
"""

import argparse
import json
import socket
import sys

BATCH = 500


class Resp:
    """A minimal blocking RESP client: one command at a time, replies parsed (bulk, integer, status, array)."""

    def __init__(self, host, port, timeout=30):
        self.sock = socket.create_connection((host, port), timeout)
        self.buf = b""

    def _line(self):
        while b"\r\n" not in self.buf:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise EOFError("Redis closed the connection")
            self.buf += chunk
        line, self.buf = self.buf.split(b"\r\n", 1)
        return line

    def _exact(self, n):
        while len(self.buf) < n + 2:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise EOFError("Redis closed the connection")
            self.buf += chunk
        data, self.buf = self.buf[:n], self.buf[n + 2:]
        return data

    def _reply(self):
        line = self._line()
        kind, rest = line[:1], line[1:]
        if kind == b"+":
            return rest.decode()
        if kind == b"-":
            raise RuntimeError(rest.decode())
        if kind == b":":
            return int(rest)
        if kind == b"$":
            n = int(rest)
            return None if n < 0 else self._exact(n).decode()
        if kind == b"*":
            return [self._reply() for _ in range(int(rest))]
        raise RuntimeError("unexpected reply %r" % line[:60])

    def call(self, *parts):
        out = [b"*%d\r\n" % len(parts)]
        for p in parts:
            p = str(p).encode()
            out.append(b"$%d\r\n%s\r\n" % (len(p), p))
        self.sock.sendall(b"".join(out))
        return self._reply()


def check(r, result, prefix):
    lost_set = lost_incr = lost_short = checked = 0
    examples = []
    for cg, n in sorted(result.get("acked", {}).items()):
        c, g = cg.split(":")
        for start in range(1, n + 1, BATCH):
            idx = list(range(start, min(n, start + BATCH - 1) + 1))
            vals = r.call("MGET", *["%s:k:%s:%s:%d" % (prefix, c, g, i) for i in idx])
            for i, v in zip(idx, vals):
                checked += 1
                if v != str(i):
                    lost_set += 1
                    if len(examples) < 10:
                        examples.append("%s:k:%s:%s:%d=%r" % (prefix, c, g, i, v))
        v = r.call("GET", "%s:n:%s:%s" % (prefix, c, g))
        have = int(v) if v is not None else 0
        checked += n
        if have < n:
            lost_incr += n - have
            if len(examples) < 10:
                examples.append("%s:n:%s:%s=%s (acknowledged %d)" % (prefix, c, g, v, n))
    short = result.get("new_acked", [])
    for start in range(0, len(short), BATCH):
        js = short[start:start + BATCH]
        vals = r.call("MGET", *["%s:s:%d" % (prefix, j) for j in js])
        for j, v in zip(js, vals):
            checked += 1
            if v != str(j):
                lost_short += 1
                if len(examples) < 10:
                    examples.append("%s:s:%d=%r" % (prefix, j, v))
    return {"checked": checked, "lost": lost_set + lost_incr + lost_short, "lost_set": lost_set,
            "lost_incr": lost_incr, "lost_short": lost_short, "examples": examples}


def main(argv):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--acked", required=True, help="driver.py's result JSON")
    p.add_argument("--prefix", default="fb")
    a = p.parse_args(argv)
    with open(a.acked) as f:
        result = json.load(f)
    try:
        r = Resp(a.host, a.port)
        out = check(r, result, a.prefix)
    except (OSError, EOFError, RuntimeError) as e:
        print(json.dumps({"error": "%s:%d: %r" % (a.host, a.port, e)}))
        return 1
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
