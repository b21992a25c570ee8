#!/usr/bin/python3
"""Replica completeness with and without the catch-up journal (issues 12 and 14), in application bytes.

Setting (b) of testbed/bench (namespaces, 10 Gbit/s tbf links, replica behind the middlebox's dedicated
replication NIC), one replica, iperf2 (``iperf``) streams, P parallel streams per point:

- ``direct``: client -> primary's ``iperf -s``, no middlebox (the reference rate);
- ``ncp-nojournal``: NCP with ``--journal-dir off`` (a copy that falls behind its in-memory backlog is dropped);
- ``ncp-journal``: NCP with a catch-up journal in the run's tmp dir (``--journal-max``, per replica and shard).

Scenario ``plain``: one ``--duration`` s run. Scenario ``sigstop``: a ``--stop-duration``-long run during which the
replica's sink is stopped (SIGSTOP) for ``--stop`` s from ``--stop-at`` s, then continued (SIGCONT).

Why iperf2 here, not iperf3: see ncpt.iperf2 (iperf2's server reads every stream to its end, so the bytes the
client wrote, the primary's application read and a complete replica's sink read are equal; checked on every
point: ``client_bytes`` vs ``primary_bytes``).

Per point: ``primary_bytes`` = bytes the primary's ``iperf -s`` read (its per-stream reports), ``replica_bytes``
= bytes the replica's sink read (testbed/lib/ncpt/sink.py, every byte of every connection), counted once the
middlebox has no active session, no replica backlog, the replica is not CATCHING_UP, and the sink has read
nothing for 2 s; ``completeness`` = replica / primary; ``ratio`` = the client's rate / direct's at the same P
(plain scenario). NCP's /stats for the replica (consistency, spills, spilled bytes, lagging, missed) go in the row.
A fresh middlebox (and journal) per point, with ``--compare none`` (the sink never answers, so answer comparison
would mark the replica divergent) and its defaults otherwise (``--backlog 64MiB`` per session copy, 2 shards).

Run as root: testbed/bench/completeness.sh [options]
"""

import argparse
import csv
import datetime
import json
import os
import shutil
import signal
import sys
import time
import traceback

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))

from ncpt import iperf2, names, proxies, runner, servers, settings  # noqa: E402

RESULTS = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "results"))
VARIANTS = ("direct", "ncp-nojournal", "ncp-journal")
PORT_PROXY, PORT_PRIMARY, PORT_REPLICA = 5200, 5201, 5202


def parse_args(argv):
    p = argparse.ArgumentParser(prog="testbed/bench/completeness.sh", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--setting", default="b", choices=["a", "b"], help="default b (10 Gbit/s)")
    p.add_argument("--parallel", default="1,16,64", help="streams per point (default 1,16,64)")
    p.add_argument("--variants", default=",".join(VARIANTS), help="default " + ",".join(VARIANTS))
    p.add_argument("--scenarios", default="plain,sigstop", help="plain,sigstop (default both)")
    p.add_argument("--duration", type=int, default=10, help="seconds of a plain point (default 10)")
    p.add_argument("--stop-duration", type=int, default=20, help="seconds of a sigstop point (default 20)")
    p.add_argument("--stop-at", type=float, default=5.0, help="SIGSTOP the replica at this second (default 5)")
    p.add_argument("--stop", type=float, default=10.0, help="seconds the replica stays stopped (default 10)")
    p.add_argument("--reps", type=int, default=1, help="repetitions per point (default 1)")
    p.add_argument("--journal-max", default="16GiB", help="--journal-max of ncp-journal (per replica and shard)")
    p.add_argument("--ncp-threads", type=int, default=2)
    p.add_argument("--ncp-args", default="", help="extra ncp-middlebox run flags (both NCP variants)")
    p.add_argument("--drain-timeout", type=float, default=300.0, help="seconds to wait for the replica to drain")
    p.add_argument("--tag", default=None, help="output name (default completeness-<setting>)")
    p.add_argument("--out", default=os.path.join(RESULTS, "completeness"))
    p.error = lambda msg: (sys.stderr.write("completeness: %s (see --help)\n" % msg), sys.exit(2))
    args = p.parse_args(argv)
    try:
        args.parallel = [int(x) for x in args.parallel.split(",") if x]
    except ValueError:
        p.error("--parallel: not a comma-separated list of integers: %r" % args.parallel)
    args.variants = [v for v in args.variants.split(",") if v]
    args.scenarios = [s for s in args.scenarios.split(",") if s]
    for v in args.variants:
        if v not in VARIANTS:
            p.error("--variants: unknown variant %r (known: %s)" % (v, ", ".join(VARIANTS)))
    for s in args.scenarios:
        if s not in ("plain", "sigstop"):
            p.error("--scenarios: unknown scenario %r (known: plain, sigstop)" % s)
    if args.stop_at + args.stop >= args.stop_duration:
        p.error("--stop-at + --stop must end before --stop-duration")
    args.tag = args.tag or "completeness-" + args.setting
    return args


def replica_stats(ncp):
    st = ncp.stats() if ncp is not None else None
    if not st or "services" not in st:
        return None, None
    svc = st["services"][0]
    return svc, (svc["replicas"][0] if svc.get("replicas") else None)


def wait_drained(ncp, sink, timeout):
    """Until the middlebox has no active session and no replica backlog, the replica is not CATCHING_UP, and the
    sink read nothing for 2 s (bounded by ``timeout``). Returns (sink bytes, seconds waited, last replica stats)."""
    t0 = time.time()
    last, stable_since, rep = None, time.time(), None
    while True:
        counts = sink.counts()
        if counts is None:
            raise RuntimeError("the replica's sink wrote no counters (%s)" % sink.counts_path)
        now = counts["bytes"]
        if now != last:
            last, stable_since = now, time.time()
        settled = True
        if ncp is not None:
            svc, rep = replica_stats(ncp)
            settled = svc is not None and rep is not None and svc["active"] == 0 and rep["backlogBytes"] == 0 \
                and rep["consistency"] != "CATCHING_UP"
        if settled and time.time() - stable_since >= 2.0:
            return last, time.time() - t0, rep
        if time.time() - t0 > timeout:
            raise RuntimeError("replica not drained after %.0f s (sink %d bytes, replica %s)" % (
                timeout, last, json.dumps({k: rep.get(k) for k in ("consistency", "backlogBytes")}) if rep else "?"))
        time.sleep(0.5)


def stopper(sink, at, length, events):
    """SIGSTOPs the sink ``at`` s from now for ``length`` s; SIGCONT always follows (also on errors)."""
    import threading

    def run():
        time.sleep(at)
        os.kill(sink.proc.pid, signal.SIGSTOP)
        events.append(("stop", time.time()))
        try:
            time.sleep(length)
        finally:
            os.kill(sink.proc.pid, signal.SIGCONT)
            events.append(("cont", time.time()))
    t = threading.Thread(target=run, daemon=True)
    t.start()
    return t


def point(args, roles, srv, sink, ncp, target, variant, scenario, parallel, rep):
    row = {"setting": args.setting, "variant": variant, "scenario": scenario, "parallel": parallel, "rep": rep,
           "time": datetime.datetime.now().isoformat(timespec="seconds"), "load1_before": runner.load1()}
    sink_before = wait_drained(ncp, sink, 60)[0]
    offset = srv.offset()
    dur = args.stop_duration if scenario == "sigstop" else args.duration
    events, thread = [], None
    if scenario == "sigstop":
        thread = stopper(sink, args.stop_at, args.stop, events)
    try:
        row.update(iperf2.client(roles.src.node, target[0], target[1], parallel, dur))
    finally:
        if thread is not None:
            thread.join(args.stop + args.stop_at + 5)
            try:
                os.kill(sink.proc.pid, signal.SIGCONT)  # idempotent: never leave it stopped
            except ProcessLookupError:
                pass
    row["load1_after"] = runner.load1()
    row["primary_bytes"] = srv.bytes_since(offset, parallel)
    if ncp is not None:
        sink_after, waited, rs = wait_drained(ncp, sink, args.drain_timeout)
        row["replica_bytes"] = sink_after - sink_before
        row["drain_s"] = round(waited, 1)
        row["completeness"] = round(row["replica_bytes"] / row["primary_bytes"], 4) if row["primary_bytes"] else 0
        svc, rs = replica_stats(ncp)
        if rs is not None:
            for k in ("consistency", "consistencyReason", "spills", "spilledBytes", "lagging", "missed", "stalled",
                      "damaged", "lost", "bytesSent"):
                row["mb_" + k] = rs.get(k)
            row["mb_ringMissed"] = svc.get("ringMissed")
    return row


def start_ncp(args, roles, variant, workdir, label):
    # --compare none: the replica is a sink that never answers, the primary's iperf -s answers its 28-byte server
    # header, so comparing answers would only mark the replica STALE (divergent) and hide its catch-up state
    extra = ["--compare", "none"] + args.ncp_args.split()
    if variant == "ncp-nojournal":
        extra += ["--journal-dir", "off"]
    else:
        jdir = os.path.join(workdir, "journal-" + label)
        shutil.rmtree(jdir, ignore_errors=True)
        extra += ["--journal-dir", jdir, "--journal-max", args.journal_max]
    ncp = proxies.Ncp(args.ncp_threads, extra)
    target = ncp.start(roles.mb, (roles.mb.ip, PORT_PROXY), (roles.primary.ip, PORT_PRIMARY),
                       [(roles.replicas[0].ip, PORT_REPLICA)], roles.replica_bind, workdir)
    return ncp, target


def run(args, rows, workdir):
    net, roles = settings.build(args.setting)
    srv = sink = None
    try:
        srv = iperf2.Server(roles.primary.node, roles.primary.ip, PORT_PRIMARY, workdir)
        sink = servers.Sink(roles.replicas[0].node, roles.replicas[0].ip, PORT_REPLICA, workdir, "replica1")
        for variant in args.variants:
            for scenario in (["plain"] if variant == "direct" else args.scenarios):
                for parallel in args.parallel:
                    for rep in range(args.reps):
                        label = "%s-%s-P%d-r%d" % (variant, scenario, parallel, rep)
                        ncp = None
                        try:
                            target = (roles.primary.ip, PORT_PRIMARY)
                            if variant != "direct":
                                ncp, target = start_ncp(args, roles, variant, workdir, label)
                                iperf2.client(roles.src.node, target[0], target[1], 4, 2)  # warm-up (JIT), untimed
                            row = point(args, roles, srv, sink, ncp, target, variant, scenario, parallel, rep)
                            row["status"] = "ok"
                            if ncp is not None:
                                with open(os.path.join(workdir, "stats-%s.json" % label), "w") as f:
                                    json.dump(ncp.stats(), f, indent=1)
                        except Exception as e:  # recorded, the run goes on
                            traceback.print_exc()
                            row = {"setting": args.setting, "variant": variant, "scenario": scenario,
                                   "parallel": parallel, "rep": rep, "status": "failed",
                                   "note": ("%s: %s" % (type(e).__name__, e)).replace("\n", " ")[:300]}
                        finally:
                            if ncp is not None:
                                ncp.stop()
                                shutil.rmtree(os.path.join(workdir, "journal-" + label), ignore_errors=True)
                        rows.append(row)
                        print("  %-14s %-8s P=%-3d rep %d  %s" % (variant, scenario, parallel, rep, brief(row)),
                              flush=True)
    finally:
        if sink is not None:
            sink.stop()
        if srv is not None:
            srv.stop()
        net.down()


def brief(row):
    if row.get("status") != "ok":
        return "%s: %s" % (row.get("status"), row.get("note", ""))
    text = "%.2f Gbit/s (load %.2f-%.2f)" % (row["bps"] / 1e9, row["load1_before"], row["load1_after"])
    if row["client_bytes"] != row["primary_bytes"]:
        text += " client %d != primary %d bytes" % (row["client_bytes"], row["primary_bytes"])
    if "completeness" in row:
        text += " completeness %.4f (%s, spilled %s B, lagging %s, drained in %.1f s)" % (
            row["completeness"], row.get("mb_consistency"), row.get("mb_spilledBytes"), row.get("mb_lagging"),
            row["drain_s"])
    return text


def add_ratios(rows):
    direct = {}
    for r in rows:
        if r.get("status") == "ok" and r["variant"] == "direct":
            direct.setdefault(r["parallel"], []).append(r["bps"])
    for r in rows:
        d = direct.get(r.get("parallel"))
        if r.get("status") == "ok" and d:
            r["ratio"] = round(r["bps"] / (sum(d) / len(d)), 4)


COLUMNS = ["setting", "variant", "scenario", "parallel", "rep", "status", "bps", "ratio", "client_bytes",
           "primary_bytes", "replica_bytes", "completeness", "drain_s", "seconds", "load1_before", "load1_after",
           "mb_consistency", "mb_consistencyReason", "mb_spills", "mb_spilledBytes", "mb_lagging", "mb_missed",
           "mb_stalled", "mb_damaged", "mb_lost", "mb_bytesSent", "mb_ringMissed", "time", "note"]


def write_outputs(args, rows, started, argv):
    os.makedirs(args.out, exist_ok=True)
    base = os.path.join(args.out, args.tag)
    with open(base + ".csv", "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=COLUMNS, extrasaction="ignore")
        w.writeheader()
        w.writerows(rows)
    loads = [r[k] for r in rows for k in ("load1_before", "load1_after") if k in r]
    lines = ["# Replica completeness, %s" % args.tag, "",
             "%s. Command: `testbed/bench/completeness.sh %s`. 1-min load average during the points: %s "
             "(2 cores shared with other jobs: rates are noisy). %d repetition(s) per point." % (
                 started.strftime("%Y-%m-%d %H:%M"), " ".join(argv),
                 "%.2f-%.2f" % (min(loads), max(loads)) if loads else "-", args.reps), "",
             "Completeness = bytes the replica's sink read / bytes the primary's `iperf -s` read (application "
             "bytes; iperf2 reads every stream to its end, and the client's written bytes equal the primary's on "
             "every point unless noted), counted after the middlebox reported no active session, no backlog and "
             "the replica not CATCHING_UP. Ratio = the client's rate / direct's at the same P. `sigstop`: a "
             "%d s run, the replica's sink stopped from %g s to %g s." % (args.stop_duration, args.stop_at,
                                                                        args.stop_at + args.stop), "",
             table(rows)]
    with open(base + ".md", "w") as f:
        f.write("\n".join(lines) + "\n")
    print("completeness: wrote %s.{csv,md}" % base)


def table(rows):
    out = ["| variant | scenario | P | Gbit/s | ratio to direct | completeness | replica state after | spilled | "
           "drain s | client = primary bytes |", "|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        if r.get("status") != "ok":
            out.append("| %s | %s | %s | failed: %s | | | | | | |" % (r["variant"], r["scenario"], r["parallel"],
                                                                     r.get("note", "")))
            continue
        out.append("| %s | %s | %d | %.2f | %s | %s | %s | %s | %s | %s |" % (
            r["variant"], r["scenario"], r["parallel"], r["bps"] / 1e9,
            "%.3f" % r["ratio"] if r.get("ratio") is not None else "-",
            "%.4f" % r["completeness"] if "completeness" in r else "-",
            r.get("mb_consistency", "-"), _size(r.get("mb_spilledBytes")), r.get("drain_s", "-"),
            "yes" if r["client_bytes"] == r["primary_bytes"] else "no (%d vs %d)" % (r["client_bytes"],
                                                                                   r["primary_bytes"])))
    return "\n".join(out)


def _size(n):
    return "-" if n in (None, "") else ("%.2f GB" % (n / 1e9) if n else "0")


def main(argv):
    args = parse_args(argv)
    if os.geteuid() != 0:
        sys.stderr.write("completeness: must run as root (namespaces, tc)\n")
        return 2
    if not proxies.Ncp.available() and any(v != "direct" for v in args.variants):
        sys.stderr.write("completeness: %s not built (mvn -B -q -pl middlebox -am package -DskipTests)\n"
                         % proxies.NCP_JAR)
        return 2
    names.ensure_state_dir()
    workdir = os.path.join(RESULTS, "tmp", args.tag)
    os.makedirs(workdir, exist_ok=True)
    rows, started = [], datetime.datetime.now()
    try:
        run(args, rows, workdir)
    finally:
        add_ratios(rows)
        write_outputs(args, rows, started, argv)
    return 1 if any(r.get("status") != "ok" for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
