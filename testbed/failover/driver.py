#!/usr/bin/python3
"""Failover benchmark client: Redis load through the middlebox, the fault itself, and what the clients saw.

Load (one asyncio loop, so every timestamp comes from one clock, ``time.monotonic``):
- ``--conns`` long-lived connections; each sends, ``--rate`` times a second, the pair ``SET <p>:k:<c>:<g>:<i> <i>``
  + ``INCR <p>:n:<c>:<g>`` in one write and must get back exactly ``+OK`` and ``:<i>``. A pair answered so is an
  acknowledged write (two writes); ``<g>`` (generation) changes when the connection had to be reopened after an
  error, so each generation's keys are known exactly.
- a stream of new short connections, ``--new-rate`` a second (each its own task: a held one does not delay the
  next): connect, ``SET <p>:s:<j> <j>``, ``+OK``, close.

At ``--warmup`` s the driver sends ``--fault-signal`` to ``--fault-pid`` (the primary Redis: SIGKILL = its port
refuses, SIGSTOP = it stays silent; with ``--resume-after`` a SIGCONT follows) and stamps that moment (t = 0); the
load goes on for ``--after`` s.

Client-side figures (ms after the fault):
- ``existing``: per connection open at the fault, the first answer to a pair *sent after* the fault (the dead or
  stopped primary cannot have produced it: it comes from the promoted replica); ``first`` = the earliest
  connection, ``all`` = the latest (every existing connection served again);
- ``new``: the earliest answer on a connection *opened after* the fault, and the longest any new connection waited;
- errors: every refused/reset/closed connection, timeout (no answer within ``--answer-timeout``) or wrong answer.

Writes ``--result`` (JSON: the figures, every error, the acknowledged writes for verify.py, answer counts per
50 ms around the fault). Exit 0 when the load ran (errors are results, not failures), 1 when it could not start,
2 on bad arguments.
"""

import argparse
import asyncio
import json
import os
import resource
import signal
import sys
import time

BUCKET = 0.05  # s, answer-count histogram around the fault


def cmd(*parts):
    out = [b"*%d\r\n" % len(parts)]
    for p in parts:
        p = p if isinstance(p, bytes) else str(p).encode()
        out.append(b"$%d\r\n%s\r\n" % (len(p), p))
    return b"".join(out)


class Run:
    """Shared state of one driver run (one thread: the event loop)."""

    def __init__(self, a):
        self.a = a
        self.t_fault = None
        self.t_resume = None
        self.fault_wall = None
        self.stop = False
        self.errors = []
        self.acked = {}  # "c:g" -> last acknowledged i (pairs 1..i all acknowledged)
        self.new_acked = []
        self.new_log = []  # (j, t_open, t_done, ok)
        self.answers = []  # monotonic time of every answer (acknowledged pair or short connection)
        self.conn_info = []
        self.new_inflight = 0
        self.new_skipped = 0

    def rel(self, t):
        return None if self.t_fault is None else round((t - self.t_fault) * 1000.0, 1)

    def error(self, who, kind, detail, t=None):
        t = time.monotonic() if t is None else t
        self.errors.append({"t_ms": self.rel(t), "who": who, "kind": kind, "detail": str(detail)[:200]})

    def answered(self, t):
        self.answers.append(t)


def classify(exc):
    if isinstance(exc, ConnectionRefusedError):
        return "refused"
    if isinstance(exc, ConnectionResetError):
        return "reset"
    if isinstance(exc, (asyncio.IncompleteReadError, EOFError)):
        return "closed"
    if isinstance(exc, (asyncio.TimeoutError, TimeoutError)):
        return "timeout"
    return type(exc).__name__


async def readline(reader, timeout):
    """One RESP line (with its CRLF), or TimeoutError after ``timeout`` s."""
    return await asyncio.wait_for(reader.readuntil(b"\r\n"), timeout)


async def long_lived(run, c):
    """Connection ``c``: paced SET+INCR pairs until ``run.stop``; reopened (next generation) after an error."""
    a = run.a
    info = {"c": c, "open_at_fault": False, "gen_at_fault": None, "first_post_ms": None, "last_pre_t": None,
            "errors": 0, "generations": 1, "max_latency_ms": 0.0, "connected": False}
    run.conn_info.append(info)
    g, i, reader, writer = 0, 0, None, None
    period = 1.0 / a.rate
    nxt = time.monotonic()
    while not run.stop:
        if writer is None:
            try:
                reader, writer = await asyncio.wait_for(asyncio.open_connection(a.host, a.port), a.answer_timeout)
                info["connected"], info["g"] = True, g
            except Exception as e:  # noqa: BLE001 - every failure is a client-visible error, recorded
                run.error("conn%d" % c, classify(e), "connect: %r" % e)
                info["errors"] += 1
                await asyncio.sleep(0.1)
                continue
        i += 1
        t_send = time.monotonic()
        writer.write(cmd("SET", "%s:k:%d:%d:%d" % (a.prefix, c, g, i), i)
                     + cmd("INCR", "%s:n:%d:%d" % (a.prefix, c, g)))
        try:
            l1 = await readline(reader, a.answer_timeout)
            l2 = await readline(reader, a.answer_timeout)
            ok = l1 == b"+OK\r\n" and l2 == b":%d\r\n" % i
            why = None if ok else "wrong answer to pair %d: %r %r" % (i, l1[:60], l2[:60])
        except Exception as e:  # noqa: BLE001
            ok, why = False, e
        t_ans = time.monotonic()
        if ok:
            run.acked["%d:%d" % (c, g)] = i
            run.answered(t_ans)
            info["max_latency_ms"] = max(info["max_latency_ms"], round((t_ans - t_send) * 1000.0, 1))
            if run.t_fault is None or t_ans < run.t_fault:
                info["last_pre_t"] = t_ans
            elif t_send >= run.t_fault and info["first_post_ms"] is None and g == info["gen_at_fault"]:
                info["first_post_ms"] = run.rel(t_ans)
        else:
            kind = classify(why) if isinstance(why, BaseException) else "wrong"
            run.error("conn%d" % c, kind, why if isinstance(why, str) else "pair %d: %r" % (i, why), t_ans)
            info["errors"] += 1
            writer.close()
            writer, g, i = None, g + 1, 0
            info["generations"] += 1
            info["connected"] = False
            continue
        nxt = max(time.monotonic(), nxt + period)
        await asyncio.sleep(max(0.0, nxt - time.monotonic()))
    if writer is not None:
        writer.close()


async def short_lived(run, j):
    a = run.a
    t_open = time.monotonic()
    run.new_inflight += 1
    ok = False
    try:
        async def exchange():
            reader, writer = await asyncio.open_connection(a.host, a.port)
            try:
                writer.write(cmd("SET", "%s:s:%d" % (a.prefix, j), j))
                line = await reader.readuntil(b"\r\n")
                if line != b"+OK\r\n":
                    raise ValueError("wrong answer %r" % line[:60])
            finally:
                writer.close()
        await asyncio.wait_for(exchange(), a.new_timeout)
        ok = True
    except Exception as e:  # noqa: BLE001
        run.error("new%d" % j, "wrong" if isinstance(e, ValueError) else classify(e), repr(e))
    t_done = time.monotonic()
    run.new_inflight -= 1
    if ok:
        run.new_acked.append(j)
        run.answered(t_done)
    run.new_log.append((j, t_open, t_done, ok))


async def new_stream(run, tasks):
    period = 1.0 / run.a.new_rate
    j, nxt = 0, time.monotonic()
    while not run.stop:
        if run.new_inflight >= run.a.new_max_inflight:
            run.new_skipped += 1
        else:
            j += 1
            tasks.append(asyncio.ensure_future(short_lived(run, j)))
        nxt += period
        await asyncio.sleep(max(0.0, nxt - time.monotonic()))


async def check_target(a):
    """The middlebox answers a PING before the load starts (bounded retries)."""
    deadline = time.monotonic() + a.start_timeout
    last = None
    while time.monotonic() < deadline:
        try:
            reader, writer = await asyncio.wait_for(asyncio.open_connection(a.host, a.port), 5)
            writer.write(cmd("PING"))
            line = await asyncio.wait_for(reader.readuntil(b"\r\n"), 5)
            writer.close()
            if line == b"+PONG\r\n":
                return None
            last = "answered %r" % line
        except Exception as e:  # noqa: BLE001
            last = repr(e)
        await asyncio.sleep(0.2)
    return last


def summarize(run):
    a = run.a
    for c in run.conn_info:
        t = c.pop("last_pre_t", None)
        c["last_pre_ms"] = run.rel(t) if t is not None else None
        c.pop("g", None)
    existing = [c for c in run.conn_info if c["open_at_fault"]]
    posts = [c["first_post_ms"] for c in existing]
    new_after = [(t_done - run.t_fault) * 1000.0 for j, t_open, t_done, ok in run.new_log
                 if ok and t_open >= run.t_fault]
    waits = [(t_done - t_open) * 1000.0 for j, t_open, t_done, ok in run.new_log if ok]
    errors_by_kind = {}
    for e in run.errors:
        errors_by_kind[e["kind"]] = errors_by_kind.get(e["kind"], 0) + 1
    pairs = sum(run.acked.values())
    usage = resource.getrusage(resource.RUSAGE_SELF)
    buckets = {}
    for t in run.answers:
        b = int((t - run.t_fault) // BUCKET)
        buckets[b] = buckets.get(b, 0) + 1
    return {
        "fault_signal": a.fault_signal, "fault_pid": a.fault_pid, "fault_wall": run.fault_wall,
        "resumed_ms": run.rel(run.t_resume) if run.t_resume else None,
        "existing_conns": len(existing),
        "existing_served_again": sum(1 for p in posts if p is not None),
        "existing_first_ms": min([p for p in posts if p is not None], default=None),
        "existing_all_ms": max(posts) if posts and all(p is not None for p in posts) else None,
        "new_first_ms": round(min(new_after), 1) if new_after else None,
        "new_opened_after_fault": sum(1 for x in run.new_log if x[1] >= run.t_fault),
        "new_max_wait_ms": round(max(waits), 1) if waits else None,
        "new_total": len(run.new_log), "new_ok": len(run.new_acked), "new_skipped": run.new_skipped,
        "max_latency_ms": max([c["max_latency_ms"] for c in run.conn_info], default=None),
        "errors": len(run.errors), "errors_by_kind": errors_by_kind,
        "errors_list": run.errors[:200],
        "acked_pairs": pairs, "acked_writes": 2 * pairs + len(run.new_acked),
        "pairs_per_s": round(pairs / (a.warmup + a.after), 1),
        "driver_cpu_s": round(usage.ru_utime + usage.ru_stime, 2),
        "acked": run.acked, "new_acked": sorted(run.new_acked),
        "conns": run.conn_info,
        "buckets_50ms": sorted(buckets.items()),
        "new_log": [[j, run.rel(t_open), run.rel(t_done), ok] for j, t_open, t_done, ok in run.new_log],
    }


async def main_async(a):
    why = await check_target(a)
    if why is not None:
        return None, "the middlebox at %s:%d did not answer PING within %.0f s: %s" % (a.host, a.port,
                                                                                       a.start_timeout, why)
    run = Run(a)
    tasks = []
    workers = [asyncio.ensure_future(long_lived(run, c)) for c in range(a.conns)]
    streamer = asyncio.ensure_future(new_stream(run, tasks))
    await asyncio.sleep(a.warmup)
    for info in run.conn_info:  # connected now: an existing connection at the fault (it must be carried over)
        info["open_at_fault"] = info["connected"]
        info["gen_at_fault"] = info.get("g") if info["connected"] else None
    t0 = time.monotonic()
    try:
        os.kill(a.fault_pid, getattr(signal, "SIG" + a.fault_signal))
    except ProcessLookupError:
        return None, "fault: no process %d" % a.fault_pid
    run.t_fault = t0
    run.fault_wall = time.time() - (time.monotonic() - t0)
    if a.resume_after > 0:  # "paused": the stopped primary comes back (a long GC pause, a frozen VM)
        def resume():
            try:
                os.kill(a.fault_pid, signal.SIGCONT)
                run.t_resume = time.monotonic()
            except ProcessLookupError:
                pass
        asyncio.get_running_loop().call_later(a.resume_after, resume)
    await asyncio.sleep(a.after)
    run.stop = True
    await asyncio.wait(workers + [streamer], timeout=a.answer_timeout + 5)
    if tasks:
        await asyncio.wait(tasks, timeout=a.new_timeout + 5)
    return run, None


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--host", required=True)
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--fault-pid", type=int, required=True)
    p.add_argument("--fault-signal", choices=["KILL", "STOP"], required=True)
    p.add_argument("--resume-after", type=float, default=0,
                   help="with STOP: send SIGCONT this many seconds after the fault (0: never)")
    p.add_argument("--result", required=True)
    p.add_argument("--conns", type=int, default=8)
    p.add_argument("--rate", type=float, default=100, help="SET+INCR pairs per second per connection")
    p.add_argument("--new-rate", type=float, default=20, help="new short connections per second")
    p.add_argument("--new-max-inflight", type=int, default=400)
    p.add_argument("--warmup", type=float, default=3)
    p.add_argument("--after", type=float, default=6)
    p.add_argument("--answer-timeout", type=float, default=10)
    p.add_argument("--new-timeout", type=float, default=10)
    p.add_argument("--start-timeout", type=float, default=30)
    p.add_argument("--prefix", default="fb")
    a = p.parse_args(argv)
    for k in ("conns", "rate", "new_rate", "warmup", "after", "answer_timeout", "new_timeout", "new_max_inflight"):
        if getattr(a, k) <= 0:
            p.error("--%s must be > 0" % k.replace("_", "-"))
    return a


def main(argv):
    a = parse_args(argv)
    run, why = asyncio.run(main_async(a))
    if run is None:
        print("driver: %s" % why, file=sys.stderr)
        with open(a.result, "w") as f:
            json.dump({"failed": why}, f)
        return 1
    s = summarize(run)
    with open(a.result, "w") as f:
        json.dump(s, f)
    print("driver: fault %s at t=0; existing conns first/all %s/%s ms, new first %s ms, errors %d, acked writes %d"
          % (a.fault_signal, s["existing_first_ms"], s["existing_all_ms"], s["new_first_ms"], s["errors"],
             s["acked_writes"]), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
