#!/usr/bin/python3
"""Soak driver: opens ``--sessions`` Redis client sessions to HOST:PORT (the middlebox), keeps them all open,
keeps ``--active`` of them busy at any moment (rotating which ones) and checks every answer byte.

Each session owns its keys (``<prefix>:<sid>:v`` and ``<prefix>:<sid>:n``), so every answer is known in
advance: a batch of ``--pipeline`` triples SET v / INCR n / GET v must be answered exactly ``+OK``, ``:<count>``,
``$<len> <value>``. Received bytes are compared with the expected ones as they arrive; a mismatch counts the
batch's answers as wrong, a batch not answered within ``--answer-timeout`` counts them as missing, a connection
closed by the other side counts as dropped (the session is then out of the run; it is never silently reused).

Phases: ``ramp`` (sessions opened at ``--ramp-rate``/s, each checked with PING, bounded by
``--ramp-timeout``), ``hold`` (``--duration`` s: ``--active`` sessions each send batches paced so that the sum
is ``--rate`` requests/s; an activation lasts 0.5-1.5 x ``--active-period`` s, then a random idle session takes
its place), ``final`` (every open session answers a PING), ``close`` (each session half-closes; the middlebox
must pass the server's close back: EOF within ``--close-timeout``).

Writes ``--status`` (JSON, replaced every second) and ``--result`` (JSON at the end); exit 0 when every
session opened, answered correctly and closed cleanly, 1 otherwise, 2 on bad arguments.
"""

import argparse
import asyncio
import json
import os
import random
import sys
import time

PONG = b"+PONG\r\n"
PING = b"*1\r\n$4\r\nPING\r\n"


def resp(*parts):
    """One RESP array command."""
    out = [b"*%d\r\n" % len(parts)]
    for p in parts:
        out.append(b"$%d\r\n%s\r\n" % (len(p), p))
    return b"".join(out)


class Counters:
    """Totals shared by every session (one thread: the event loop)."""

    def __init__(self):
        self.opened = self.open_now = self.connect_failures = self.dropped = 0
        self.requests = self.batches = self.wrong = self.missing = self.late = 0
        self.activations = self.pings_ok = self.pings_bad = self.closed_clean = 0
        self.rtts = []
        self.errors = []  # first few error descriptions, for the report

    def error(self, text):
        if len(self.errors) < 20:
            self.errors.append("%.1fs %s" % (time.monotonic() - T0, text))


T0 = time.monotonic()


class Session(asyncio.Protocol):
    """One client connection. ``exchange`` sends bytes and waits until exactly ``expect`` came back."""

    def __init__(self, sid, counters):
        self.sid, self.c = sid, counters
        self.transport = None
        self.expect, self.got, self.waiter = b"", 0, None
        self.closing = self.broken = self.eof = False
        self.failure, self.timer = None, None
        self.opened = False  # True once the opening PING was answered
        self.closed = asyncio.get_running_loop().create_future()
        self.count = 0  # INCR value the server must answer next time minus one
        self.seq = 0

    def connection_made(self, transport):
        self.transport = transport

    def data_received(self, data):
        end = self.got + len(data)
        if self.waiter is None or end > len(self.expect) or self.expect[self.got:end] != data:
            self._fail("wrong", "wrong answer: expected %r..., got %r..."
                       % (self.expect[self.got:self.got + 40], data[:40]))
            return
        self.got = end
        if end == len(self.expect):
            self._settle(True)

    def eof_received(self):
        self.eof = True
        if not self.closing:
            self.c.error("session %d: EOF from the middlebox" % self.sid)
        return False

    def connection_lost(self, exc):
        if not self.opened and not self.broken:
            self.broken, self.failure = True, "missing"
            self.c.error("session %d lost while opening: %s" % (self.sid, exc or "closed by peer"))
        elif not self.closing and not self.broken:
            self.broken, self.failure = True, "dropped"
            self.c.dropped += 1
            self.c.error("session %d dropped: %s" % (self.sid, exc or "closed by peer"))
        self._settle(False)
        if not self.closed.done():
            self.closed.set_result(self.eof)

    def _settle(self, ok):
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None
        w, self.waiter = self.waiter, None
        if w is not None and not w.done():
            w.set_result(ok)

    def _fail(self, failure, text):
        """Takes the session out of the run (never reused: its stream position is unknown) and says why."""
        self.c.error("session %d: %s" % (self.sid, text))
        self.broken, self.failure = True, failure
        self._settle(False)
        self.transport.abort()

    def _timeout(self, timeout):
        self.timer = None
        self._fail("missing", "no complete answer within %.0fs (%d of %d bytes)" % (timeout, self.got,
                                                                                     len(self.expect)))

    def exchange(self, data, expect, timeout):
        """A future: True when exactly ``expect`` was answered within ``timeout`` s, else False with
        ``failure`` = wrong | missing | dropped."""
        loop = asyncio.get_running_loop()
        self.waiter = loop.create_future()
        if self.broken:
            self.waiter.set_result(False)
            return self.waiter
        self.expect, self.got = expect, 0
        self.timer = loop.call_later(timeout, self._timeout, timeout)
        self.transport.write(data)
        return self.waiter

    def batch(self, prefix, pipeline, value_size):
        """The next batch: (requests bytes, expected answers bytes, request count)."""
        key_v = b"%s:%d:v" % (prefix, self.sid)
        key_n = b"%s:%d:n" % (prefix, self.sid)
        req, exp = [], []
        for _ in range(pipeline):
            self.seq += 1
            self.count += 1
            val = (b"%d:%d:" % (self.sid, self.seq)).ljust(value_size, b"x")
            req += [resp(b"SET", key_v, val), resp(b"INCR", key_n), resp(b"GET", key_v)]
            exp += [b"+OK\r\n", b":%d\r\n" % self.count, b"$%d\r\n%s\r\n" % (len(val), val)]
        return b"".join(req), b"".join(exp), 3 * pipeline


class Driver:
    def __init__(self, args):
        self.a = args
        self.c = Counters()
        self.sessions = []
        self.phase = "start"
        self.active = set()
        self.prefix = args.key_prefix.encode()
        self.interval = 3.0 * args.pipeline * args.active / args.rate  # s between one session's batches

    async def open_one(self, sid, sem):
        loop = asyncio.get_running_loop()
        async with sem:
            try:
                _, s = await asyncio.wait_for(loop.create_connection(lambda: Session(sid, self.c), self.a.host,
                                                                     self.a.port), self.a.answer_timeout)
            except (OSError, asyncio.TimeoutError) as e:
                self.c.connect_failures += 1
                self.c.error("session %d: connect failed: %s" % (sid, e or "timeout"))
                return
            if not await s.exchange(PING, PONG, self.a.answer_timeout):
                self.c.connect_failures += 1
                return
            s.opened = True
            self.c.opened += 1
            self.sessions.append(s)

    async def ramp(self):
        self.phase = "ramp"
        sem = asyncio.Semaphore(self.a.connect_concurrency)
        start = time.monotonic()
        tasks = []
        for sid in range(self.a.sessions):
            delay = start + sid / self.a.ramp_rate - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            if time.monotonic() - start > self.a.ramp_timeout:
                break
            tasks.append(asyncio.ensure_future(self.open_one(sid, sem)))
        left = max(1.0, self.a.ramp_timeout - (time.monotonic() - start))
        done, pending = await asyncio.wait(tasks, timeout=left) if tasks else (set(), set())
        for t in pending:
            t.cancel()
        self.unfinished = len(pending) + self.a.sessions - len(tasks)  # still opening or never tried at the deadline
        self.ramp_seconds = round(time.monotonic() - start, 1)
        if len(self.sessions) < self.a.sessions:
            self.c.error("ramp-up: %d of %d sessions open after %.0fs" % (len(self.sessions), self.a.sessions,
                                                                          self.ramp_seconds))

    async def activation(self, s, end_of_hold):
        """One active period of session ``s``: batches every ``interval`` s, first one at a random offset."""
        self.c.activations += 1
        loop = asyncio.get_running_loop()
        until = min(end_of_hold, loop.time() + random.uniform(0.5, 1.5) * self.a.active_period)
        nxt = loop.time() + random.uniform(0, self.interval)
        while not s.broken:
            now = loop.time()
            if nxt >= until:
                break
            if nxt > now:
                await asyncio.sleep(nxt - now)
            data, expect, n = s.batch(self.prefix, self.a.pipeline, self.a.value_size)
            t = loop.time()
            ok = await s.exchange(data, expect, self.a.answer_timeout)
            if ok:
                self.c.requests += n
                self.c.batches += 1
                self.c.rtts.append(loop.time() - t)
            elif s.failure == "wrong":
                self.c.wrong += n
            else:
                self.c.missing += n  # timed out, or the connection was lost before the whole answer
            nxt += self.interval
            if nxt < loop.time():
                self.c.late += 1  # behind schedule: the load generator (or the path) cannot keep the pace
                nxt = loop.time()

    async def hold(self):
        self.phase = "hold"
        loop = asyncio.get_running_loop()
        end = loop.time() + self.a.duration
        live = [s for s in self.sessions if not s.broken]
        running = set()
        for s in random.sample(live, min(self.a.active, len(live))):
            running.add(self._start(s, end))
        while running and loop.time() < end:
            done, running = await asyncio.wait(running, timeout=max(0.0, end - loop.time()),
                                               return_when=asyncio.FIRST_COMPLETED)
            for _ in done:
                if loop.time() >= end:
                    break
                s = self._pick_idle()
                if s is not None:
                    running.add(self._start(s, end))
        if running:
            await asyncio.wait(running, timeout=self.a.answer_timeout + 5)

    def _start(self, s, end):
        self.active.add(s.sid)
        t = asyncio.ensure_future(self.activation(s, end))
        t.add_done_callback(lambda _t, sid=s.sid: self.active.discard(sid))
        return t

    def _pick_idle(self):
        for _ in range(50):  # bounded: 10 % of the sessions are active, a random pick is idle 9 times out of 10
            s = random.choice(self.sessions)
            if s.sid not in self.active and not s.broken:
                return s
        return None

    async def final(self):
        self.phase = "final"
        live = [s for s in self.sessions if not s.broken]
        results = await asyncio.gather(*(s.exchange(PING, PONG, self.a.answer_timeout) for s in live))
        self.c.pings_ok = sum(1 for r in results if r)
        self.c.pings_bad = len(results) - self.c.pings_ok

    async def close(self):
        self.phase = "close"
        live = [s for s in self.sessions if not s.broken]
        for s in live:
            s.closing = True
            s.transport.write_eof()
        waits = [s.closed for s in live]
        if waits:
            await asyncio.wait(waits, timeout=self.a.close_timeout)
        for s in live:
            if s.closed.done() and s.closed.result():
                self.c.closed_clean += 1
            else:
                s.transport.abort()
        if self.c.closed_clean < len(live):
            self.c.error("close: %d of %d sessions got the server's EOF within %.0fs"
                         % (self.c.closed_clean, len(live), self.a.close_timeout))
        self.phase = "done"

    def status(self):
        c, rtts = self.c, sorted(self.c.rtts)
        self.c.rtts = []
        pct = (lambda q: round(1000 * rtts[min(len(rtts) - 1, int(q * len(rtts)))], 2)) if rtts else (lambda q: None)
        return {"time": time.time(), "phase": self.phase, "opened": c.opened,
                "open_now": sum(1 for s in self.sessions if not s.broken and not s.closed.done()),
                "active": len(self.active), "activations": c.activations, "requests": c.requests,
                "batches": c.batches, "wrong": c.wrong, "missing": c.missing, "dropped": c.dropped,
                "connect_failures": c.connect_failures, "late": c.late, "rtt_p50_ms": pct(0.5),
                "rtt_p99_ms": pct(0.99)}

    async def reporter(self):
        while True:
            write_json(self.a.status, self.status())
            await asyncio.sleep(1.0)

    async def run(self):
        rep = asyncio.ensure_future(self.reporter())
        t0 = time.monotonic()
        await self.ramp()
        hold_start = time.monotonic()
        await self.hold()
        hold_seconds = time.monotonic() - hold_start
        await self.final()
        await self.close()
        rep.cancel()
        st = self.status()
        st.update({"target_rate": self.a.rate, "hold_seconds": round(hold_seconds, 1),
                   "achieved_rate": round(self.c.requests / hold_seconds, 1) if hold_seconds else 0,
                   "ramp_seconds": self.ramp_seconds, "ramp_unfinished": self.unfinished,
                   "sessions": self.a.sessions, "pings_ok": self.c.pings_ok, "pings_bad": self.c.pings_bad, "closed_clean": self.c.closed_clean,
                   "total_seconds": round(time.monotonic() - t0, 1), "errors": self.c.errors})
        ok = (self.c.opened == self.a.sessions and not self.c.wrong and not self.c.missing and not self.c.dropped
              and self.c.pings_bad == 0 and self.c.pings_ok == self.c.opened
              and self.c.closed_clean == self.c.opened)
        st["ok"] = ok
        write_json(self.a.result, st)
        return ok


def write_json(path, obj):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(obj, f)
    os.replace(tmp, path)


def parse_args(argv):
    p = argparse.ArgumentParser(prog="driver.py", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--sessions", type=int, default=10000)
    p.add_argument("--active", type=int, default=1000)
    p.add_argument("--rate", type=float, default=5000, help="requests/s over all active sessions")
    p.add_argument("--pipeline", type=int, default=1, help="SET/INCR/GET triples per batch")
    p.add_argument("--value-size", type=int, default=64)
    p.add_argument("--duration", type=float, default=600, help="seconds of the hold phase")
    p.add_argument("--active-period", type=float, default=10, help="mean seconds a session stays active")
    p.add_argument("--ramp-rate", type=float, default=500, help="sessions opened per second")
    p.add_argument("--ramp-timeout", type=float, default=120)
    p.add_argument("--connect-concurrency", type=int, default=256)
    p.add_argument("--answer-timeout", type=float, default=30)
    p.add_argument("--close-timeout", type=float, default=60)
    p.add_argument("--key-prefix", default="soak")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--status", required=True)
    p.add_argument("--result", required=True)
    a = p.parse_args(argv)
    for name in ("sessions", "active", "rate", "pipeline", "value_size", "duration", "active_period", "ramp_rate",
                 "ramp_timeout", "connect_concurrency", "answer_timeout", "close_timeout"):
        if getattr(a, name) <= 0:
            p.error("--%s must be > 0" % name.replace("_", "-"))
    if a.active > a.sessions:
        p.error("--active (%d) must not exceed --sessions (%d)" % (a.active, a.sessions))
    return a


def main(argv):
    args = parse_args(argv)
    random.seed(args.seed)
    ok = asyncio.run(Driver(args).run())
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
