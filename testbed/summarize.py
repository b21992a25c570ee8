#!/usr/bin/python3
"""Writes testbed/results/SUMMARY.md from the CSVs of the last run-all.sh: the issue 2 benchmark next to
the anchor figures measured before NCP existed, and the Mininet evaluation next to the paper's figures."""

import glob
import os
import statistics
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))

from ncpt import report  # noqa: E402

RESULTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "results")
PAPER = {
    "ncp-norep": "1-2 % slower than direct",
    "ncp-shared": "4-5 % slower than direct",
    "ncp-dedicated": "4-5 % slower than direct",
}


def load(pattern):
    rows = []
    for path in sorted(glob.glob(os.path.join(RESULTS, pattern))):
        rows += report.read_csv(path)
    return rows


def pct(ratio, higher_better=True):
    change = (ratio - 1) * 100
    return "%+.1f %%" % change


def mininet_section(rows, workload, title):
    ok = [r for r in rows if r["workload"] == workload and r["status"] == "ok"]
    if not ok:
        return ["### %s\n" % title, "_not run_", ""]
    metric, scale, unit, higher = report.HEADLINE[workload]
    out = ["### %s\n" % title,
           "| setting | configuration | %s (median over points) | change vs direct (range over points) | "
           "replicas complete | paper |" % unit, "|---|---|---|---|---|---|"]
    for setting in report._ordered(r["setting"] for r in ok):
        for var in report._ordered(r["variant"] for r in ok if r["setting"] == setting):
            sel = [r for r in ok if r["setting"] == setting and r["variant"] == var]
            med = statistics.median(float(r[metric]) / scale for r in sel)
            ratios = [float(r["ratio"]) for r in sel if r.get("ratio")]
            rng = "-" if var == "direct" or not ratios else "%s .. %s" % (pct(min(ratios)), pct(max(ratios)))
            paper = PAPER.get(var, "")
            if workload in ("httperf", "rubis") and var != "direct":
                paper = "latency +10-20 %" if workload == "httperf" else paper
            out.append("| %s | %s | %.3f | %s | %s | %s |" % (setting, var, med, rng,
                                                             report.replica_check(rows, setting, workload, var),
                                                             paper))
    if workload == "rubis":
        out += ["", "RUBiS replica comparison (ids/timestamps ignored, reported):", ""]
        for r in ok:
            if r.get("replica_state_equal") not in (None, ""):
                out.append("- %s, %s: replicas %s; %s rows sit under another auto-increment id%s; "
                           "SQL page latency p50 %.2f ms, p99 %.2f ms" % (
                               r["variant"], r["param"], "EQUAL the primary" if r["replica_state_equal"] == "True"
                               else "DIFFER (%s)" % r.get("tables_differing"), r.get("id_only_rows", "?"),
                               "" if r["replica_state_equal"] == "True" else "", float(r["lat_p50_ms"]),
                               float(r["lat_p99_ms"])))
    return out + [""]


def main():
    bench = load("bench/bench*.csv")
    mininet = load("iperf-*/*.csv") + load("httperf-*/*.csv") + load("rubis-*/*.csv")
    provisional = any(True for _ in [1]) and not os.path.exists(os.path.join(RESULTS, ".final"))
    lines = ["# NCP testbed results", "",
             "**Provisional (shared CPU)**: measured while other work ran on the same 2 cores." if provisional
             else "Final run on a quiet machine.", "",
             "## Issue 2 benchmark (namespaces + veths + Linux bridges, tbf-shaped links)", "",
             "Throughput through each system relative to direct, over iperf3 -P 1/4/16/64; "
             "details, wrk and httperf in [bench/](bench/).", "",
             report.summary(bench) if bench else "_not run_", "",
             "## Mininet evaluation (OVS userspace datapath, the paper's four configurations)", "",
             "Paper: NCP without replication 1-2 % slower than direct, with replication 4-5 % slower, "
             "latency +10-20 %. Details per point in the per-workload directories.", ""]
    lines += mininet_section(mininet, "iperf3", "iperf3 throughput")
    lines += mininet_section(mininet, "httperf", "httperf connection lifetime (lower is better)")
    lines += mininet_section(mininet, "rubis", "RUBiS bidding mix (MariaDB, 2 replicas)")
    path = os.path.join(RESULTS, "SUMMARY.md")
    with open(path, "w") as f:
        f.write("\n".join(lines))
    print("summarize: wrote %s" % path)


if __name__ == "__main__":
    main()
