#!/usr/bin/python3
"""CI smoke of the Mininet testbed (minutes): topology up, planner flows installed, Redis traffic from the
source to the primary's address redirected through the middlebox and replicated to two replicas, on the
dedicated and on the shared replication NIC; replica state compared; a short iperf3 through the
middlebox. Exits non-zero on any failed check. Run through testbed/smoke.sh (root, cleanup on exit)."""

import argparse
import os
import sys
import shutil
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))

from ncpt import e2e, evaluation, middlebox, mntopo, ovs, plan, proxies, runner  # noqa: E402



def iperf_check(tb, system, workdir, log, planner):
    """2 s of iperf2 (4 streams) from the source to the primary's address, redirected by the planner's rules
    through the middlebox, one replica on the dedicated NIC: the client gets throughput and the replica's sink
    reads exactly the bytes the primary's ``iperf -s`` read (application bytes; iperf2's server reads every stream
    to its end, unlike iperf3's, so the comparison is exact)."""
    cfg = evaluation.Configuration(tb, "ncp-dedicated", True, "dedicated", 1, 5201, workdir, system, log=log,
                                   planner=planner)
    servers = runner.IperfServers(cfg.roles, 1, workdir, primary="iperf2")
    try:
        cfg.start([5202])
        row = runner.iperf2_point(servers, cfg.roles, cfg.target, 1, 4, 2)
    finally:
        cfg.stop()
        servers.stop()
    ok = row["bps"] > 1e7 and row.get("replica_ratio") == 1.0
    detail = "%.0f Mbit/s through %s (iperf2), replica's sink read %s of the %d bytes the primary read (%.4f)" % (
        row["bps"] / 1e6, system, row.get("replica_app", "none"), row["primary_app"], row.get("replica_ratio", 0))
    log("  [%s] iperf2 through the middlebox, replica complete: %s" % ("PASS" if ok else "FAIL", detail))
    return [("iperf2 through the middlebox, replica complete", ok, detail)]


def write_report(path, system, args, results):
    with open(path, "w") as f:
        f.write("# smoke\n\nMiddlebox %s, rules from the %s planner, %s links, %s:\n\n| check | result | detail |\n"
                "|---|---|---|\n" % (system, args.planner, args.rate, time.strftime("%Y-%m-%d %H:%M"))
                + "".join("| %s | %s | %s |\n" % (n, "PASS" if ok else "**FAIL**", d) for n, ok, d in results))


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--middlebox", default="auto", choices=["auto", "ncp", "tee"])
    p.add_argument("--rate", default="1gbit")
    p.add_argument("--requests", type=int, default=20000)
    p.add_argument("--planner", default="onos", choices=list(plan.PLANNERS),
                   help="onos (default): ncp-plan's rules; stand-in: the testbed's own (explicit fallback)")
    p.add_argument("--mirror", default="auto", choices=["auto", "yes", "no"],
                   help="mirror-mode check: auto = when ncp-middlebox has the mirror subcommand")
    p.add_argument("--report", default=None, help="also write the checks as a markdown table here")
    p.add_argument("--switch-links", default="patch", choices=list(mntopo.SWITCH_LINKS),
                   help="switch-to-switch links: OVS patch ports (default) or shaped veths (see mntopo.py)")
    p.add_argument("--black-switch", default="linux", choices=list(mntopo.BLACK_SWITCHES),
                   help="replication network switch: Linux bridge (default) or OVS (see mntopo.py)")
    p.add_argument("--mtu", type=int, default=9000, help="link MTU (see evaluate.py --help)")
    args = p.parse_args()
    # scratch files (logs, server data) outside the work tree; kept only when a check fails
    workdir = tempfile.mkdtemp(prefix="ncpt-smoke-")
    os.chmod(workdir, 0o755)
    t0 = time.time()
    log = lambda m: print(m, flush=True)  # noqa: E731
    system = middlebox.choose(args.middlebox, log)
    started_ovs = ovs.ensure_running()
    results = []
    tb = mntopo.Testbed(args.rate, mtu=args.mtu, switch_links=args.switch_links,
                        black_switch=args.black_switch)
    try:
        tb.start()
        log("smoke: Mininet testbed up (%s links, OVS userspace datapath), middlebox = %s, rules = %s planner"
            % (args.rate, system, args.planner))
        for nic in ("dedicated", "shared"):
            log("smoke: Redis replication, %s replication NIC" % nic)
            tb.base_flows()
            results += e2e.redis_check(tb, workdir, system=system, nic=nic, requests=args.requests, log=log,
                                       planner=args.planner)
        tb.base_flows()
        log("smoke: iperf2")
        results += iperf_check(tb, system, workdir, log, args.planner)
        mirror = args.mirror == "yes" or (args.mirror == "auto" and system == "ncp"
                                          and middlebox.has_subcommand("mirror"))
        if mirror:
            log("smoke: mirror mode (switch copies client<->primary packets to ncp-middlebox mirror)")
            tb.base_flows()
            results += e2e.redis_check(tb, workdir, system=system, nic="dedicated", requests=args.requests,
                                       log=log, planner=args.planner, mode="mirror")
        else:
            log("smoke: mirror mode: ncp-middlebox has no 'mirror' subcommand yet; checking the copy rules alone")
            tb.base_flows()
            results += e2e.mirror_rules_check(tb, workdir, log=log)
    finally:
        tb.stop()
        ovs.stop_if_idle(started_ovs)
    failed = [r for r in results if not r[1]]
    if args.report:
        write_report(args.report, system, args, results)
    log("smoke: %d checks, %d failed, %.0f s (middlebox: %s)" % (len(results), len(failed), time.time() - t0,
                                                                system))
    if failed or not results:
        log("smoke: logs kept in %s" % workdir)
        return 1
    shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
