#!/usr/bin/python3
"""Failover benchmark (docs/failover-benchmark.md): the primary Redis behind the NCP middlebox fails while clients
write, ``--trials`` times per fault and mode; each trial starts a fresh Redis primary + 2 replicas and a fresh
middlebox (``run --config``, one service with PING/+PONG failover probes, the other failover settings at their
defaults unless given).

Faults: ``refusing`` = kill -9 of the primary (its port refuses connections), ``silent`` = SIGSTOP of the primary
(connections are still accepted by its kernel, nothing answers: the probes time out), ``paused`` = SIGSTOP and
SIGCONT ``--resume-after`` s later (the fenced old primary comes back while clients still write).

Per trial (driver.py, verify.py): the time from the fault to the first answer from the promoted replica on an
existing connection and on a new one (client clock), every client-visible error, every acknowledged write checked
on the promoted replica afterwards, the other replica's DEBUG DIGEST compared with the promoted one's, and the
middlebox's own figures from /stats (detectMillis, promoteMillis, firstAnswerMillis, sessions carried/reset).

Writes trials.csv, summary.json, summary.md and failover.png to the results directory (default
testbed/results/failover/<tag>/), one sub-directory of logs per trial. Run as testbed/failover/failover.sh (bench
lock, cleanup by PID; with ``--net mininet`` also the testbed lock). Exit 0 = every trial ran and every goal was
met, 1 = a trial failed or a goal was missed (summary.md says which), 2 = bad arguments.
"""

import argparse
import datetime
import json
import os
import shutil
import signal
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "testbed", "lib"))
sys.path.insert(0, HERE)

MODES = ("lockstep", "async")


def parse_args(argv):
    p = argparse.ArgumentParser(prog="testbed/failover/failover.sh", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--trials", type=int, default=20, help="trials per fault and mode (default 20)")
    p.add_argument("--faults", default="refusing,silent",
                   help="comma list of refusing, silent, paused (default refusing,silent)")
    p.add_argument("--resume-after", type=float, default=3,
                   help="paused: seconds between the SIGSTOP and the SIGCONT of the primary (default 3)")
    p.add_argument("--mode", default="lockstep", help="lockstep (default), async, or both: lockstep,async")
    p.add_argument("--net", default="loopback", choices=["loopback", "mininet"])
    p.add_argument("--conns", type=int, default=8, help="long-lived client connections (default 8)")
    p.add_argument("--rate", type=float, default=100, help="SET+INCR pairs/s per long-lived connection (default 100)")
    p.add_argument("--new-rate", type=float, default=20, help="new short connections per second (default 20)")
    p.add_argument("--warmup", type=float, default=3, help="seconds of load before the fault (default 3)")
    p.add_argument("--after", type=float, default=6, help="seconds of load after the fault (default 6)")
    p.add_argument("--threads", type=int, default=2, help="middlebox shards (default 2)")
    p.add_argument("--interval", help="failover.interval (default: the middlebox's, 200ms)")
    p.add_argument("--timeout", help="failover.timeout (default: the middlebox's, 400ms)")
    p.add_argument("--misses", type=int, help="failover.misses (default: the middlebox's, 3)")
    p.add_argument("--hold", help="failover.holdNewSessions (default: the middlebox's, 3s)")
    p.add_argument("--tcp-congestion", default=os.environ.get("NCPT_MB_CC", "cubic"),
                   help="middlebox tcpCongestion (default cubic as in the testbed; empty = host default)")
    p.add_argument("--goal-median-ms", type=float, default=1000)
    p.add_argument("--goal-max-ms", type=float, default=2000)
    p.add_argument("--rate-mininet", default="1gbit", help="Mininet link rate (default 1gbit)")
    p.add_argument("--mtu", type=int, default=9000, help="Mininet MTU (default 9000, as the testbed)")
    p.add_argument("--planner", default="onos", choices=["onos", "stand-in"])
    p.add_argument("--jar", default=os.path.join(ROOT, "middlebox", "target", "ncp-middlebox.jar"))
    p.add_argument("--java-opts", default=None, help="middlebox JVM flags (default: trial.JAVA_OPTS)")
    p.add_argument("--out", default=None, help="results directory (default testbed/results/failover/<tag>)")
    p.add_argument("--tag", default=None)
    a = p.parse_args(argv)
    a.faults = [f.strip() for f in a.faults.split(",") if f.strip()]
    for f in a.faults:
        if f not in ("refusing", "silent", "paused"):
            p.error("--faults: unknown fault %r (refusing, silent, paused)" % f)
    a.modes = [m.strip() for m in a.mode.split(",") if m.strip()]
    for m in a.modes:
        if m not in MODES:
            p.error("--mode: unknown mode %r (lockstep, async)" % m)
    for k in ("trials", "conns", "rate", "new_rate", "warmup", "after", "threads"):
        if getattr(a, k) <= 0:
            p.error("--%s must be > 0" % k.replace("_", "-"))
    if not os.path.exists(a.jar):
        p.error("middlebox jar %s not found: build it with mvn -q -B -DskipTests package" % a.jar)
    import trial
    a.java_opts = a.java_opts or trial.JAVA_OPTS
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    a.tag = a.tag or "%s-%s-%dx-%s" % (a.net, "+".join(a.modes), a.trials, stamp)
    a.out = os.path.abspath(a.out or os.path.join(ROOT, "testbed", "results", "failover", a.tag))
    return a


def main(argv):
    a = parse_args(argv)
    if a.net == "mininet" and os.geteuid() != 0:
        print("failover: --net mininet needs root", file=sys.stderr)
        return 2
    for tool in ("redis-server", "redis-cli", "java"):
        if shutil.which(tool) is None:
            print("failover: %s not found (apt-get install redis-server openjdk-17-jdk-headless)" % tool,
                  file=sys.stderr)
            return 2
    os.makedirs(a.out, exist_ok=True)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    import env
    import report
    import trial
    t0 = time.time()

    def log(text):
        print("[failover %5.0fs] %s" % (time.time() - t0, text), flush=True)
    environment = env.Mininet(tempfile.mkdtemp(prefix="ncp-failover-plan."), a.rate_mininet, a.mtu, a.planner) \
        if a.net == "mininet" else env.Loopback()
    rows = []
    started = datetime.datetime.now().isoformat(timespec="seconds")
    try:
        environment.start(log)
        for mode in a.modes:
            for i in range(1, a.trials + 1):
                for fault in a.faults:  # interleaved: both faults see the same stretch of machine load
                    d = os.path.join(a.out, "trials", "%s-%s-%02d" % (mode, fault, i))
                    row = trial.run_trial(a, environment, mode, fault, i, d, log)
                    rows.append(row)
                    report.write_csv(rows, os.path.join(a.out, "trials.csv"))
                    log(report.one_line(row))
    finally:
        environment.stop()
    s = report.summarize(a, rows, environment, started, time.time() - t0)
    with open(os.path.join(a.out, "summary.json"), "w") as f:
        json.dump(s, f, indent=1, default=str)
    with open(os.path.join(a.out, "summary.md"), "w") as f:
        f.write(report.markdown(s))
    report.plot(s, rows, os.path.join(a.out, "failover.png"))
    log("%s (%s)" % (s["verdict_line"], os.path.join(a.out, "summary.md")))
    return 0 if s["ok"] else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
