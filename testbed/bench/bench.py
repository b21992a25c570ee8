#!/usr/bin/python3
"""Issue 2 benchmark: iperf3 / wrk / httperf, direct vs HAProxy vs naive tee vs NCP (0, 1, 2 replicas),
in namespaced settings with tbf-shaped links (see ncpt.settings). Writes CSV + markdown + PNG.

Run as root: testbed/bench/run.sh [options]   (run.sh --help for options)
"""

import argparse
import datetime
import json
import os
import shlex
import sys
import time
import traceback

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))

from ncpt import names, proxies, report, runner, settings, workloads  # noqa: E402

RESULTS = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "results"))


def csv_list(conv=str):
    return lambda text: [conv(x) for x in text.split(",") if x]


def parse_args(argv):
    p = argparse.ArgumentParser(prog="testbed/bench/run.sh", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--settings", type=csv_list(), default=["a"], help="a,b,shared,loopback (default a)")
    p.add_argument("--workloads", type=csv_list(), default=["iperf3"],
                   help="iperf3,iperf2,wrk,httperf (default iperf3; iperf2: exact replica completeness in "
                        "application bytes, see ncpt.iperf2)")
    p.add_argument("--systems", type=csv_list(), default=["direct", "haproxy-t1", "tee", "ncp"],
                   help="direct,haproxy-tN,tee,ncp (default all; haproxy-t1 = one thread)")
    p.add_argument("--replicas", type=csv_list(int), default=[0, 1, 2], help="replica counts for tee/ncp")
    p.add_argument("--parallel", type=csv_list(int), default=[1, 4, 16, 64], help="iperf3 -P / wrk -c values")
    p.add_argument("--duration", type=int, default=5, help="seconds per point (iperf3 -t, wrk -d)")
    p.add_argument("--omit", type=int, default=1, help="iperf3 -O warm-up seconds inside each point")
    p.add_argument("--warmup", type=int, default=2, help="seconds of untimed traffic when a proxy starts")
    p.add_argument("--reps", type=int, default=1, help="repetitions of each point (median reported)")
    p.add_argument("--http-size", type=int, default=50, help="KiB per wrk request")
    p.add_argument("--httperf-sizes", type=csv_list(int), default=[10], help="KiB files for httperf")
    p.add_argument("--httperf-conns", type=csv_list(int), default=[100])
    p.add_argument("--httperf-calls", type=int, default=5)
    p.add_argument("--httperf-rate", type=int, default=20)
    p.add_argument("--httperf-warm", type=int, default=10000,
                   help="httperf warm-up connections when a system starts, opened at 200/s (default 10000, 50 s; "
                        "0: --warmup seconds at --httperf-rate): the same shape as the points, so a JIT-compiled "
                        "proxy (NCP) is measured warm. Measured: NCP's lifetime in setting a was 1.9/1.4/1.3 ms in "
                        "three repetitions after 200 warm-up connections, 1.0 after 15000, HAProxy's 0.8-1.0")
    p.add_argument("--client-cc", default=workloads.IPERF3_CLIENT_CC,
                   help="congestion control of the iperf3 client's streams (iperf3 -C; default: the host's, "
                        "or $NCPT_CLIENT_CC)")
    p.add_argument("--ncp-threads", type=int, default=2)
    p.add_argument("--ncp-args", default="", help="extra flags for ncp-middlebox run (tuning)")
    p.add_argument("--tag", default=None, help="output name (default bench-<settings>)")
    p.add_argument("--out", default=os.path.join(RESULTS, "bench"))
    p.add_argument("--final", action="store_true", help="quiet machine: do not label figures provisional")
    return p.parse_args(argv)


def variants(args):
    out = []
    for system in args.systems:
        if system == "direct" or system.startswith("haproxy"):
            out.append((system, 0))
        else:
            out.extend((system, n) for n in args.replicas)
    return out


def base_row(setting, workload, system, n, param, rep):
    return {"setting": setting, "workload": workload, "system": system, "replicas": n,
            "variant": report.variant(system, n), "param": param, "rep": rep, "load1": runner.load1(),
            "time": datetime.datetime.now().isoformat(timespec="seconds")}


def measure(rows, base, fn):
    row = dict(base)
    try:
        row.update(fn())
        row["status"] = "ok"
    except Exception as e:  # a failed point is recorded, the run goes on
        row["status"] = "failed"
        row["note"] = str(e).replace("\n", " ")[:300]
    rows.append(row)
    print("  %-10s %-8s %-12s %-10s %s" % (row["setting"], row["workload"], row["variant"], row["param"],
                                           _brief(row)), flush=True)
    return row


def _brief(row):
    if row["status"] != "ok":
        return "%s: %s" % (row["status"], row.get("note", ""))
    metric, scale, unit, _ = report.HEADLINE[row["workload"]]
    extra = " replicas %.3f" % row["replica_ratio"] if "replica_ratio" in row else ""
    return "%.3f %s%s (load %.2f)" % (row[metric] / scale, unit, extra, row["load1"])


def run_variant(args, rows, setting, roles, http, workload, system, n, workdir):
    ports = settings.PORTS["http" if workload in ("wrk", "httperf") else "iperf3"]
    ncp_args = shlex.split(args.ncp_args)
    if workload in ("iperf3", "iperf2") and "--compare" not in ncp_args:
        # the replicas are sinks that never answer while the primary's iperf server sends its reports: comparing
        # answers would make every replica STALE ("diverged at answer byte 0") and hide why a replica really is
        ncp_args = ["--compare", "none"] + ncp_args
    sysobj = proxies.make(system, args.ncp_threads, ncp_args)
    listen = (roles.mb.ip, ports["proxy"])
    primary = (roles.primary.ip, ports["primary"])
    reps = [(roles.replicas[i].ip, ports["replicas"][i]) for i in range(n)]
    params = _params(args, workload)
    iperf = None
    try:
        if workload in ("iperf3", "iperf2"):
            iperf = runner.IperfServers(roles, n, workdir, primary=workload)
        try:
            target = sysobj.start(roles.mb, listen, primary, reps, roles.replica_bind, workdir)
        except proxies.Unavailable as e:
            for param, rep in params:
                rows.append(dict(base_row(setting, workload, system, n, param[0], rep), status="skipped",
                                 note=str(e)))
            print("  %-10s %-8s %-12s skipped: %s" % (setting, workload, report.variant(system, n), e))
            return
        if args.warmup:
            try:
                _point(args, roles, http, workload, target, n, params[0][0], workdir, warm=True, iperf=iperf)
            except RuntimeError as e:
                print("  warm-up failed (%s)" % e)
                if iperf is not None:
                    iperf.restart()
        for param, rep in params:
            base = base_row(setting, workload, system, n, param[0], rep)
            row = measure(rows, base, lambda: _point(args, roles, http, workload, target, n, param, workdir,
                                                     iperf=iperf))
            if row["status"] != "ok" and iperf is not None:
                iperf.restart()
        stats = sysobj.stats()
        if stats is not None:
            with open(os.path.join(workdir, "stats-%s-%s-%s.json" % (setting, workload,
                                                                     report.variant(system, n))), "w") as f:
                json.dump(stats, f, indent=1)
            for svc in stats.get("services", [stats]):
                for r in svc.get("replicas", []):
                    print("  %-10s %-8s %-12s replica %s ended %s%s (ring full %s, spilled %s B, lagging %s)" % (
                        setting, workload, report.variant(system, n), r.get("address"), r.get("consistency"),
                        ": " + r["consistencyReason"] if r.get("consistencyReason") else "", svc.get("ringFull"),
                        r.get("spilledBytes"), r.get("lagging")))
    finally:
        sysobj.stop()
        if iperf is not None:
            iperf.stop()


def _params(args, workload):
    if workload in ("iperf3", "iperf2"):
        ps = [("P=%d" % p, p) for p in args.parallel]
    elif workload == "wrk":
        ps = [("c=%d" % c, c) for c in args.parallel]
    else:
        ps = [("%dk/%d" % (s, c), (s, c)) for s in args.httperf_sizes for c in args.httperf_conns]
    return [(p, rep) for p in ps for rep in range(args.reps)]


def _point(args, roles, http, workload, target, n, param, workdir, warm=False, iperf=None):
    if workload == "iperf2":
        dur = args.warmup if warm else args.duration
        return runner.iperf2_point(iperf, roles, target, n, 4 if warm else param[1], dur)
    if workload == "iperf3":
        dur, omit = (args.warmup, 0) if warm else (args.duration, args.omit)
        return runner.iperf3_point(roles, target, n, 4 if warm else param[1], dur, omit)
    if workload == "wrk":
        url = "http://%s:%d/%dk" % (target[0], target[1], args.http_size)
        conns, dur = (4, args.warmup) if warm else (param[1], args.duration)
        return runner.http_point(http, n, lambda: workloads.wrk(roles.src.node, url, conns, dur, workdir))
    size, conns = param[1]
    rate = args.httperf_rate
    if warm:
        conns, rate = (args.httperf_warm, 200) if args.httperf_warm else (max(1, args.warmup * rate), rate)
    return runner.http_point(http, n, lambda: workloads.httperf(
        roles.src.node, target[0], target[1], "/%dk" % size, conns, args.httperf_calls, rate))


def run_setting(args, rows, setting):
    workdir = os.path.join(RESULTS, "tmp", "%s-%s" % (args.tag, setting))
    os.makedirs(workdir, exist_ok=True)
    print("setting %s: %s" % (setting, settings.SETTINGS[setting]["title"]), flush=True)
    net, roles = settings.build(setting)
    http = None
    try:
        if any(w in ("wrk", "httperf") for w in args.workloads):
            http = runner.HttpServers(roles, workdir, sorted(set([args.http_size] + args.httperf_sizes)))
        for workload in args.workloads:
            for system, n in variants(args):
                try:
                    run_variant(args, rows, setting, roles, http, workload, system, n, workdir)
                except Exception as e:
                    traceback.print_exc()
                    for param, rep in _params(args, workload):
                        rows.append(dict(base_row(setting, workload, system, n, param[0], rep), status="failed",
                                         note=("%s: %s" % (type(e).__name__, e)).replace("\n", " ")[:300]))
    finally:
        if http is not None:
            http.stop()
        net.down()


def main(argv):
    args = parse_args(argv)
    workloads.IPERF3_CLIENT_CC = args.client_cc
    if os.geteuid() != 0:
        sys.exit("bench: must run as root (namespaces, tc)")
    args.tag = args.tag or "bench-" + "-".join(args.settings)
    os.makedirs(args.out, exist_ok=True)
    names.ensure_state_dir()
    rows = []
    started = datetime.datetime.now()
    try:
        for setting in args.settings:
            run_setting(args, rows, setting)
    finally:
        report.add_ratios(rows)
        write_outputs(args, rows, started, argv)
    failed = [r for r in rows if r["status"] == "failed"]
    return 1 if failed else 0


def write_outputs(args, rows, started, argv):
    base = os.path.join(args.out, args.tag)
    report.write_csv(rows, base + ".csv")
    titles = {k: v["title"] for k, v in settings.SETTINGS.items()}
    png = report.plot(rows, base + ".png", title=args.tag)
    loads = [r["load1"] for r in rows if "load1" in r]
    lines = ["# NCP benchmark %s" % args.tag, "",
             "%s, %s. Command: `testbed/bench/run.sh %s`" % (started.strftime("%Y-%m-%d %H:%M"),
                                                            "final run" if args.final else
                                                            "**provisional (shared CPU)**", " ".join(argv)),
             "1-min load average during the points: %.2f-%.2f (2 cores)." % (min(loads), max(loads))
             if loads else "",
             "TCP congestion control: NCP's connections `%s`; the iperf3 client `%s`; everything else the host's "
             "default `%s`." % (proxies.NCP_TCP_CONGESTION or "host default", args.client_cc or "host default",
                                _host_cc()), "",
             "Ratios are to direct at the same parameter. *Replica completeness* is the worst replica's share "
             "of the primary's input in application bytes: iperf2 = bytes the replica's sink read / bytes the "
             "primary's `iperf -s` read (it reads every stream to its end: exact), iperf3 = payload the "
             "replica's sink read / payload "
             "the primary's iperf3 server read (its JSON), once no sink has read a byte for 3 s (iperf3's "
             "server stops reading when the test ends, so a complete replica can exceed 1 by what was in flight "
             "then, several % through a relay at P=16: not exact, use iperf2 for completeness; "
             "`replica_sent_ratio` in the CSV compares with what the client wrote; the former tbf wire "
             "counters, retransmissions included, stay in `primary_wire`/`replica_wire`), HTTP = requests "
             "served (nginx stub_status).", "",
             "## Summary\n"] + ["%s\n" % report.summary(rows, w) for w in args.workloads
                                 if w in ("iperf3", "iperf2")] + [
             "",
             "## Details\n", report.markdown(rows, titles)]
    if png:
        lines.append("![%s](%s)\n" % (args.tag, os.path.basename(png)))
    with open(base + ".md", "w") as f:
        f.write("\n".join(lines))
    print("bench: wrote %s.{csv,md%s}" % (base, ",png" if png else ""))


def _host_cc():
    with open("/proc/sys/net/ipv4/tcp_congestion_control") as f:
        return f.read().strip()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
