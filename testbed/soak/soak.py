#!/usr/bin/python3
"""Middlebox soak: a Redis primary + 2 replicas on loopback, the middlebox between them with Netty's paranoid leak
detection, ``driver.py`` holding ``--sessions`` client sessions open with ``--active`` of them busy for
``--duration`` s. Every ``--interval`` s the middlebox's RSS, descriptors, direct memory, heap and /stats
counters (sessions, bytes, per-replica backlog, damaged/lagging/divergent copies) are sampled.

After the run: the middlebox settles (no session, no backlog), a GC is forced and a short probe run makes the
leak detector report what was collected, the replicas' DEBUG DIGEST must equal the primary's, the log must hold
no ``LEAK:`` line, RSS / descriptors / direct memory must not grow over the second half of the hold (see
analysis.py). Writes samples.csv, summary.json, summary.md and soak.png to the results directory.

Run as testbed/soak/soak.sh (bench lock, descriptor limits, cleanup by PID). Exit 0 = every check passed,
1 = a check failed (one line says which), 2 = bad arguments or a machine that cannot run the soak.
"""

import argparse
import datetime
import os
import resource
import shutil
import signal
import socket
import sys
import tempfile
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "testbed", "lib"))  # ncpt.procs, for run.py


NETTY_OPTS = ("-Dio.netty.allocator.maxCachedBufferCapacity=2097152 -Dio.netty.tryReflectionSetAccessible=true "
              "--add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/jdk.internal.misc=ALL-UNNAMED")
# the ./ncp launcher's flags, with a fixed, pre-touched heap: the heap's pages are resident from the start, so RSS
# growth during the run is native growth (direct memory, stacks, metaspace, code, malloc), not the heap filling in
JAVA_OPTS = "-XX:+UseParallelGC -Xms1g -Xmx1g -XX:+AlwaysPreTouch " + NETTY_OPTS
SOAK_JVM = ["-Dio.netty.leakDetectionLevel=paranoid", "-XX:NativeMemoryTracking=summary"]
FD_BASE = 256  # the middlebox's descriptors besides sessions (jars, epoll/event fds, admin, stdio), rounded up


class UsageError(Exception):
    pass


def parse_args(argv):
    p = argparse.ArgumentParser(prog="testbed/soak/soak.sh", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--duration", type=float, default=600, help="seconds of the hold phase (default 600)")
    p.add_argument("--sessions", type=int, default=10000, help="client sessions held open (default 10000)")
    p.add_argument("--active", type=int, default=1000, help="sessions busy at any moment (default 1000)")
    p.add_argument("--rate", type=float, default=5000, help="requests/s over the active sessions (default 5000)")
    p.add_argument("--pipeline", type=int, default=1, help="SET/INCR/GET triples per batch (default 1)")
    p.add_argument("--value-size", type=int, default=64)
    p.add_argument("--active-period", type=float, default=10, help="mean seconds of one activation (default 10)")
    p.add_argument("--ramp-rate", type=float, default=500, help="sessions opened per second (default 500)")
    p.add_argument("--ramp-timeout", type=float, default=180)
    p.add_argument("--interval", type=float, default=5, help="seconds between samples (default 5)")
    p.add_argument("--threads", type=int, default=2, help="middlebox shards (default 2)")
    p.add_argument("--maxclients", type=int, default=20000, help="redis-server --maxclients (default 20000)")
    p.add_argument("--settle-timeout", type=float, default=120)
    p.add_argument("--tolerance", type=float, default=0.02,
                   help="allowed memory growth over the trend window, fraction of the mean (default 0.02)")
    p.add_argument("--tolerance-rss-mib", type=float, default=32)
    p.add_argument("--tolerance-direct-mib", type=float, default=8)
    p.add_argument("--tolerance-fds", type=float, default=16)
    p.add_argument("--jar", default=os.path.join(ROOT, "middlebox", "target", "ncp-middlebox.jar"))
    p.add_argument("--java-opts", default=os.environ.get("NCP_SOAK_JAVA_OPTS", JAVA_OPTS),
                   help="JVM flags (default: the ./ncp launcher's with a fixed 1 GiB pre-touched heap); paranoid "
                        "leak detection and NMT are added")
    p.add_argument("--ncp-args", default="", help="extra ncp-middlebox run flags")
    p.add_argument("--middlebox-nofile", type=int, default=None, metavar="N",
                   help="run the middlebox under RLIMIT_NOFILE N (prlimit; below the machine's limit): meets the "
                        "limit with fewer sessions")
    p.add_argument("--allow-fd-shortfall", action="store_true",
                   help="run even when the descriptor limit is below what the sessions need (to see how the "
                        "middlebox meets the limit)")
    p.add_argument("--out", default=None, help="results directory (default testbed/results/soak/<tag>)")
    p.add_argument("--tag", default=None)
    a = p.parse_args(argv)
    for name in ("duration", "sessions", "active", "rate", "pipeline", "value_size", "active_period", "ramp_rate",
                 "ramp_timeout", "interval", "threads", "maxclients", "settle_timeout"):
        if getattr(a, name) <= 0:
            p.error("--%s must be > 0" % name.replace("_", "-"))
    if a.active > a.sessions:
        p.error("--active (%d) must not exceed --sessions (%d)" % (a.active, a.sessions))
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    a.tag = a.tag or "soak-%ds-%dx%d-%s" % (a.duration, a.sessions, a.active, stamp)
    a.out = os.path.abspath(a.out or os.path.join(ROOT, "testbed", "results", "soak", a.tag))
    return a


def preflight(a):
    """Checks the tools, the jar and the descriptor limits; returns a note on the limits for the summary."""
    for tool in ("redis-server", "redis-cli", "jcmd", "java"):
        if shutil.which(tool) is None:
            raise UsageError("%s not found (apt-get install redis-server openjdk-17-jdk-headless)" % tool)
    if not os.path.exists(a.jar):
        raise UsageError("middlebox jar %s not found: build it with mvn -q -B -DskipTests package" % a.jar)
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))  # inherited by every process started here
    need_mb = 4 * a.sessions + FD_BASE
    need_redis = a.sessions + 64
    mb_limit = min(hard, a.middlebox_nofile or hard)
    fits = (mb_limit - FD_BASE) // 4
    note = ("the middlebox needs 4 descriptors per session (client, primary, 2 replicas): %d for %d sessions; "
            "each Redis one per session (%d) and maxclients + 32; the driver one per session. Hard limit here: %d "
            "(a process cannot raise it without CAP_SYS_RESOURCE)%s, enough for %d sessions."
            % (need_mb, a.sessions, need_redis, hard, "; the middlebox runs under %d (--middlebox-nofile)"
               % mb_limit if a.middlebox_nofile else "", fits))
    if a.middlebox_nofile is not None and not 64 <= a.middlebox_nofile <= hard:
        raise UsageError("--middlebox-nofile %d: must be between 64 and the hard limit %d" % (a.middlebox_nofile, hard))
    if mb_limit < need_mb and not a.allow_fd_shortfall:
        raise UsageError("--sessions %d needs ~%d descriptors in the middlebox but its RLIMIT_NOFILE is %d: raise the "
                         "hard limit (ulimit -Hn as root with CAP_SYS_RESOURCE), use --sessions <= %d, or pass "
                         "--allow-fd-shortfall to watch the middlebox meet the limit" % (a.sessions, need_mb, mb_limit,
                                                                                       fits))
    return note


def free_ports(n):
    socks = []
    for _ in range(n):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        socks.append(s)
    ports = [s.getsockname()[1] for s in socks]
    for s in socks:
        s.close()
    return ports


def main(argv):
    try:
        a = parse_args(argv)
        fd_note = preflight(a)
    except UsageError as e:
        print("soak: %s" % e, file=sys.stderr)
        return 2
    os.makedirs(a.out, exist_ok=True)
    if not os.environ.get("NCPT_STATE_DIR", "").startswith(tempfile.gettempdir() + "/ncp-soak."):
        # never the shared testbed state (/tmp/ncpt-state): its cleanup would stop another run's processes
        os.environ["NCPT_STATE_DIR"] = tempfile.mkdtemp(prefix="ncp-soak.")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    from run import Run  # after parse_args: --help needs neither ncpt nor matplotlib
    run = Run(a, fd_note)
    try:
        ok, reason = run.go()
    except Exception as e:  # a run that could not even be set up or judged fails with its first line
        traceback.print_exc()
        ok, reason = False, "%s: %s" % (type(e).__name__, (str(e).splitlines() or [""])[0])
    finally:
        run.stop_all()
        shutil.rmtree(os.environ["NCPT_STATE_DIR"], ignore_errors=True)
    where = os.path.join(a.out, "summary.md")
    print("soak: %s: %s (%s)" % ("PASS" if ok else "FAIL", reason, where if os.path.exists(where) else a.out),
          flush=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
