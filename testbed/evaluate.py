#!/usr/bin/python3
"""The paper's evaluation on the Mininet testbed (issue 5): Direct / NCP without replication / NCP with
replication on a shared NIC / on a dedicated NIC, under iperf3, httperf or RUBiS. Writes CSV, markdown and
PNG under testbed/results/<workload>-<rate>/. Run through testbed/run-iperf.sh, run-httperf.sh,
run-rubis.sh (root, lock, cleanup on exit)."""

import argparse
import datetime
import os
import shlex
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))

from ncpt import evaluation, mntopo, ovs, plan, report  # noqa: E402

RESULTS = os.environ.get("NCPT_RESULTS", os.path.join(os.path.dirname(os.path.abspath(__file__)), "results"))


def csv_list(conv=str):
    return lambda text: [conv(x) for x in text.split(",") if x]


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("workload", choices=["iperf", "httperf", "rubis"])
    p.add_argument("--rate", default="1gbit", help="link rate (tbf), default 1gbit; 10gbit as in the paper")
    p.add_argument("--switch-links", default="patch", choices=list(mntopo.SWITCH_LINKS),
                   help="switch-to-switch links: OVS patch ports (default) or shaped veths (see mntopo.py)")
    p.add_argument("--black-switch", default="linux", choices=list(mntopo.BLACK_SWITCHES),
                   help="replication network switch: Linux bridge (default) or OVS (see mntopo.py)")
    p.add_argument("--mtu", type=int, default=9000,
                   help="MTU of every link, default 9000: OVS's userspace datapath on 2 cores drops ~12 %% of "
                        "1500-byte packets at 1 Gbit/s (TCP then collapses); jumbo frames keep it below its "
                        "packet-rate limit. --mtu 1500 for the paper's frame size")
    p.add_argument("--configs", type=csv_list(), default=[c[0] for c in evaluation.CONFIGS],
                   help="subset of " + ",".join(c[0] for c in evaluation.CONFIGS))
    p.add_argument("--replicas", type=int, default=None, help="replicas in replicated configs "
                   "(default 1 for iperf/httperf, 2 for rubis)")
    p.add_argument("--middlebox", default="auto", choices=["auto", "ncp", "tee", "haproxy-t1", "haproxy-t2"],
                   help="auto = ncp; tee = the naive Python tee; haproxy-tN = HAProxy as a plain proxy (no "
                        "replication: configs direct,ncp-norep only; a diagnostic of the redirected path)")
    p.add_argument("--planner", default="onos", choices=list(plan.PLANNERS),
                   help="redirection rules: onos = the ONOS app's planner (ncp-plan jar, default); stand-in = "
                        "the testbed's own rules (explicit fallback, labelled in the results)")
    p.add_argument("--mode", default="tunnel", choices=["tunnel", "mirror"],
                   help="tunnel (default): redirection to ncp-middlebox run; mirror: the primary gets the "
                        "traffic directly, a switch rule copies it to ncp-middlebox mirror")
    p.add_argument("--ncp-args", type=shlex.split, default=[], help="extra ncp-middlebox run flags")
    p.add_argument("--duration", type=int, default=None, help="seconds per point (iperf 10, rubis 30)")
    p.add_argument("--warmup", type=int, default=None, help="warm-up seconds (iperf 2, rubis 5)")
    p.add_argument("--omit", type=int, default=1)
    p.add_argument("--parallel", type=csv_list(int), default=[1, 2, 4, 8, 16, 32, 64])
    p.add_argument("--sizes", type=csv_list(int), default=[1, 10, 30, 50, 70], help="httperf file sizes, KiB")
    p.add_argument("--conns", type=csv_list(int), default=[100, 200, 300, 400, 500], help="httperf connections")
    p.add_argument("--calls", type=int, default=5, help="httperf requests per connection")
    p.add_argument("--conn-rate", type=int, default=20, help="httperf new connections per second")
    p.add_argument("--warm-conns", type=int, default=10000,
                   help="httperf: connections (at 100/s, smallest file) before each configuration's points, so a "
                        "JIT-compiled middlebox is measured warm as a long-running one would be; 0 = none "
                        "(default 10000, 100 s: with 3000 NCP's lifetime still fell from one repetition to the next, "
                        "docs/middlebox-benchmark.md)")
    p.add_argument("--clients", type=csv_list(int), default=[16], help="RUBiS emulated clients")
    p.add_argument("--think-ms", type=float, default=0, help="RUBiS mean think time")
    p.add_argument("--users", type=int, default=5000)
    p.add_argument("--items", type=int, default=10000)
    p.add_argument("--tag", default=None)
    p.add_argument("--final", action="store_true", help="quiet machine: do not label figures provisional")
    args = p.parse_args(argv)
    defaults = {"iperf": (10, 2, 1), "httperf": (0, 0, 1), "rubis": (30, 5, 2)}[args.workload]
    args.duration = args.duration if args.duration is not None else defaults[0]
    args.warmup = args.warmup if args.warmup is not None else defaults[1]
    args.replicas = args.replicas if args.replicas is not None else defaults[2]
    return args


def main(argv):
    args = parse_args(argv)
    if os.geteuid() != 0:
        sys.exit("evaluate: must run as root (Mininet, Open vSwitch)")
    name = "%s-%s" % (args.workload, args.rate)
    args.tag = args.tag or name
    out = os.path.join(RESULTS, name)
    workdir = os.path.join(RESULTS, "tmp", args.tag)
    os.makedirs(out, exist_ok=True)
    os.makedirs(workdir, exist_ok=True)
    log = lambda m: print(m, flush=True)  # noqa: E731
    system = evaluation.system_for(args, log)
    started_ovs = ovs.ensure_running()
    args.ovs_tuned = ovs.malloc_tuned()
    if args.ovs_tuned is False:
        log("evaluate: WARNING: ovs-vswitchd was already running without the testbed's malloc settings "
            "(ncpt/ovs.py MALLOC_TUNABLES): its switch is slower per packet and the figures show it")
    setting = "mininet-%s" % args.rate
    tb = mntopo.Testbed(args.rate, replicas=max(1, args.replicas), mtu=args.mtu,
                         switch_links=args.switch_links, black_switch=args.black_switch)
    rows, t0 = [], datetime.datetime.now()
    try:
        tb.start()
        log("evaluate %s: Mininet testbed up (%s links, MTU %d), middlebox = %s, configs %s" % (
            args.workload, args.rate, args.mtu, system, ",".join(args.configs)))
        rows = getattr(evaluation, args.workload)(tb, args, setting, system, workdir, log)
    finally:
        tb.stop()
        ovs.stop_if_idle(started_ovs)
        report.add_ratios(rows)
        write(out, args, rows, t0, system, argv)
    return 1 if not rows or any(r["status"] != "ok" for r in rows) else 0


OVS_HEAP = {True: "ovs-vswitchd started with the testbed's malloc settings",
            False: "**ovs-vswitchd without the testbed's malloc settings: a slower switch** (ncpt/ovs.py)",
            None: "ovs-vswitchd's malloc settings unknown"}


def write(out, args, rows, t0, system, argv):
    base = os.path.join(out, args.tag)
    report.write_csv(rows, base + ".csv")
    png = report.plot(rows, base + ".png", title=args.tag + ("" if args.final else " (provisional)"))
    lines = ["# NCP evaluation on Mininet: %s" % args.tag, "",
             "%s, %s. Middlebox: %s%s. Command: `testbed/evaluate.py %s`" % (
                 t0.strftime("%Y-%m-%d %H:%M"), "final run" if args.final else "**provisional (shared CPU)**",
                 system, " (**naive tee standing in: NCP not merged yet**)" if system == "tee" else "",
                 " ".join(argv)),
             "", "Links: %s, MTU %d, switch-to-switch links: %s, replication switch: %s, OVS userspace datapath "
             "(Mininet, %s). Rules: %s planner, %s mode%s." % (
                 args.rate, args.mtu, args.switch_links, args.black_switch,
                 OVS_HEAP[args.ovs_tuned], args.planner, args.mode,
                 " (**stand-in rules, not the ONOS planner**)" if args.planner != "onos" else ""),
             "", "Configurations: " + "; ".join("`%s` = %s" % (k, v) for k, v in evaluation.TITLES.items()), "",
             report.markdown(rows, {r["setting"]: r["setting"] for r in rows})]
    if png:
        lines.append("![%s](%s)\n" % (args.tag, os.path.basename(png)))
    with open(base + ".md", "w") as f:
        f.write("\n".join(lines))
    print("evaluate: wrote %s.{csv,md%s} (%.0f s)" % (base, ",png" if png else "",
                                                      (datetime.datetime.now() - t0).total_seconds()))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
