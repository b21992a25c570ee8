#!/usr/bin/python3
"""Writes SUMMARY.md from the CSVs of run-all.sh: end-to-end checks, the naive-tee anchor next to NCP
(namespaces + tbf), and the Mininet evaluation (four configurations) next to the paper's figures."""

import argparse
import glob
import os
import re
import statistics
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))

from ncpt import report  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
CONFIG_ORDER = ["direct", "ncp-norep", "ncp-shared", "ncp-dedicated"]
TITLES = {"direct": "Direct", "ncp-norep": "NCP, no replication", "ncp-shared": "NCP + replication, shared NIC",
          "ncp-dedicated": "NCP + replication, dedicated NIC"}
PAPER_TPUT = {"ncp-norep": "1-2 % slower", "ncp-shared": "4-5 % slower", "ncp-dedicated": "4-5 % slower"}
ANCHOR_TEE = {"shared": (0.49, 0.51), "a": (0.986, 0.997)}
TARGET_DEDICATED = 0.995


def load(results, pattern):
    rows = []
    for path in sorted(glob.glob(os.path.join(results, pattern))):
        rows += report.read_csv(path)
    return rows


def ok(rows):
    return [r for r in rows if r.get("status") == "ok"]


def pnum(param):
    try:
        return int(str(param).split("=")[-1])
    except ValueError:
        return param


def fmt(v, spec="%.3f"):
    return spec % v if v is not None else "-"


def med(vals):
    vals = [v for v in vals if v is not None]
    return statistics.median(vals) if vals else None


def val(rows, key, **match):
    vals = [float(r[key]) for r in ok(rows) if all(str(r.get(k)) == str(v) for k, v in match.items())
            and r.get(key) not in (None, "")]
    return med(vals)


def anchor_section(rows, title="## Anchor: naive Python tee vs NCP, 1 replica, 1 Gbit/s (namespaces + veths + "
                                "Linux bridges, tbf)"):
    out = [title, ""]
    if not ok(rows):
        return out + ["_not run_", ""]
    params = sorted({r["param"] for r in ok(rows)}, key=pnum)
    out += ["iperf3 throughput relative to direct in the same setting (receiver side). `a` = replicas behind "
            "the middlebox's dedicated replication NIC, `shared` = replicas on the production NIC. Lead's "
            "anchor for the tee: shared 0.49-0.51, dedicated 0.986-0.997; target for NCP on the dedicated NIC: "
            ">= %.3f at every P." % TARGET_DEDICATED, "",
            "| setting | system | " + " | ".join(str(p) for p in params) + " | min-max | anchor / target |",
            "|---|---|" + "---|" * (len(params) + 2)]
    verdict = []
    for setting, label in (("shared", "shared NIC"), ("a", "dedicated NIC")):
        for var in ("tee-r1", "ncp-r1"):
            ratios = [val(rows, "ratio", setting=setting, variant=var, param=p) for p in params]
            got = [x for x in ratios if x is not None]
            if not got and (var == "tee-r1" or not any(r["setting"] == setting for r in ok(rows))):
                continue  # this run did not measure the setting (or the tee)
            lo, hi = ANCHOR_TEE[setting]
            if var == "tee-r1":
                ref = "lead: %.3f-%.3f" % (lo, hi)
            elif setting == "a":
                meets = bool(got) and len(got) == len(params) and min(got) >= TARGET_DEDICATED
                ref = "target >= %.3f: **%s**" % (TARGET_DEDICATED, "met" if meets else "NOT met")
                verdict.append((meets, got, params, ratios))
            else:
                ref = "tee %.2f-%.2f" % (lo, hi)
            out.append("| %s | %s | %s | %s | %s |" % (label, var.replace("-r1", ""),
                                                        " | ".join(fmt(x) for x in ratios),
                                                        "%.3f-%.3f" % (min(got), max(got)) if got else "-", ref))
    direct = [val(rows, "bps", setting="a", variant="direct", param=p) for p in params]
    out += ["", "Direct, dedicated setting: " + ", ".join("%s %s Gbit/s" % (p, fmt(d / 1e9 if d else None))
                                                           for p, d in zip(params, direct)) + ".", ""]
    for setting, label in (("a", "dedicated"), ("shared", "shared")):
        for var in ("tee-r1", "ncp-r1"):
            sel = [r for r in ok(rows) if r.get("replica_ratio") and r["variant"] == var and r["setting"] == setting]
            comp = [float(r["replica_ratio"]) for r in sel]
            if comp:
                out.append("- %s, %s NIC, %s: %.3f-%.3f" % (completeness_measure(sel), label, var.replace("-r1", ""),
                                                          min(comp), max(comp)))
    for meets, got, ps, ratios in verdict:
        if not meets:
            short = ["%s: %s" % (p, fmt(x)) for p, x in zip(ps, ratios) if x is None or x < TARGET_DEDICATED]
            out.append("NCP falls short of %.3f on the dedicated NIC at %s (see Findings)." % (
                TARGET_DEDICATED, ", ".join(short)))
    return out + [""]


def completeness_measure(rows):
    """What replica_ratio measured in these rows: application bytes (runner.iperf3_point since the replica sinks
    count) or, in older CSVs, tbf wire bytes (retransmissions included, so not a completeness figure)."""
    if all(r.get("replica_app") for r in rows):
        return "replica completeness (application bytes: replica's sink / primary's iperf3 server)"
    return "replica wire-byte ratio (tbf counters, retransmissions included: not a completeness figure)"


def iperf_section(rows):
    out = ["## Mininet, iperf3 throughput (the paper's four configurations)", ""]
    if not ok(rows):
        return out + ["_not run_", ""]
    params = sorted({r["param"] for r in ok(rows)}, key=pnum)
    out += ["Ratio to Direct per parallel-stream count P (absolute Gbit/s for Direct). Paper: NCP without "
            "replication 1-2 % slower than Direct, with replication 4-5 % slower.", "",
            "| configuration | " + " | ".join(params) + " | min-max | %s | paper |" % (
                "replica completeness (application bytes)" if all(r.get("replica_app") for r in ok(rows)
                                                                   if r.get("replica_ratio"))
                else "replica wire-byte ratio (not completeness)"),
            "|---|" + "---|" * (len(params) + 3)]
    for var in CONFIG_ORDER:
        if not any(r["variant"] == var for r in rows):
            continue
        if var == "direct":
            cells = [fmt((val(rows, "bps", variant=var, param=p) or 0) / 1e9 or None) for p in params]
            out.append("| %s (Gbit/s) | %s | - | - | - |" % (TITLES[var], " | ".join(cells)))
            continue
        ratios = [val(rows, "ratio", variant=var, param=p) for p in params]
        got = [x for x in ratios if x is not None]
        comp = [float(r["replica_ratio"]) for r in ok(rows) if r["variant"] == var and r.get("replica_ratio")]
        out.append("| %s | %s | %s | %s | %s |" % (TITLES[var], " | ".join(fmt(x) for x in ratios),
                                                   "%.3f-%.3f" % (min(got), max(got)) if got else "-",
                                                   "%.3f" % min(comp) if comp else "-", PAPER_TPUT[var]))
    out += ["", "CPU during the points (median, % of one core; the machine has 2 cores = 200 %): ovs-vswitchd "
            "(all switches' forwarding runs in its one non-PMD thread in the userspace datapath), the middlebox "
            "JVM, the whole machine (includes other work on the shared machine).", "",
            "| configuration | ovs-vswitchd | middlebox | machine |", "|---|---|---|---|"]
    for var in CONFIG_ORDER:
        sel = [r for r in ok(rows) if r["variant"] == var]
        if sel:
            out.append("| %s | %s |" % (TITLES[var], " | ".join(
                fmt(med([float(r[k]) for r in sel if r.get(k) not in (None, "")]), "%.0f")
                for k in ("cpu_ovs", "cpu_mb", "cpu_all"))))
    failed = [r for r in rows if r.get("status") != "ok"]
    if failed:
        out.append("")
        out += ["- failed point: %s %s: %s" % (r["variant"], r["param"], r.get("note", "")) for r in failed]
    return out + [""]


def httperf_section(rows):
    out = ["## Mininet, httperf (files 1-70 KiB, 5 requests per connection, 20 connections/s)", ""]
    if not ok(rows):
        return out + ["_not run_", ""]
    out += ["Connection lifetime (httperf `Connection time` avg, ms) and reply time, median over all file sizes "
            "and connection counts; latency change = median over points of (NCP / Direct - 1). Paper: latency "
            "+10-20 %. Each configuration starts with untimed httperf connections (100/s, smallest file; "
            "`evaluate.py --warm-conns`: 1000 in runs before 2026-12-03, 10000 since, because NCP's lifetime still "
            "fell between repetitions after 3000): the points measure a warm middlebox, as a long-running one is.",
            "",
            "| configuration | connection ms (median) | latency change vs Direct: median (min..max) | "
            "reply ms (median) | errors | replicas served (min ratio) |", "|---|---|---|---|---|---|"]
    for var in CONFIG_ORDER:
        sel = [r for r in ok(rows) if r["variant"] == var]
        if not sel:
            continue
        conn = med([float(r["conn_ms"]) for r in sel])
        reply = med([float(r["reply_ms"]) for r in sel if r.get("reply_ms")])
        errs = sum(float(r.get("errors") or 0) for r in sel)
        changes = []
        for r in sel:
            base = val(rows, "conn_ms", variant="direct", param=r["param"])
            if base and var != "direct":
                changes.append(float(r["conn_ms"]) / base - 1)
        comp = [float(r["replica_ratio"]) for r in sel if r.get("replica_ratio")]
        out.append("| %s | %.2f | %s | %s | %d | %s |" % (
            TITLES[var], conn, "%+.1f %% (%+.1f .. %+.1f %%)" % (100 * med(changes), 100 * min(changes),
                                                                 100 * max(changes)) if changes else "-",
            fmt(reply, "%.2f"), errs, "%.3f" % min(comp) if comp else "-"))
    sizes = sorted({r["param"].split("/")[0] for r in ok(rows)}, key=lambda s: int(s.rstrip("k")))
    out += ["", "Per file size (connection ms, median over connection counts):", "",
            "| configuration | " + " | ".join(sizes) + " |", "|---|" + "---|" * len(sizes)]
    for var in CONFIG_ORDER:
        cells = []
        for s in sizes:
            cells.append(fmt(med([float(r["conn_ms"]) for r in ok(rows) if r["variant"] == var
                                  and r["param"].startswith(s + "/")]), "%.2f"))
        if any(c != "-" for c in cells):
            out.append("| %s | %s |" % (TITLES[var], " | ".join(cells)))
    return out + [""]


def rubis_section(rows):
    out = ["## Mininet, RUBiS-style bidding mix (MariaDB primary, replicated to two MariaDB instances)", ""]
    if not ok(rows):
        return out + ["_not run_", ""]
    out += ["| configuration | load | pages/s | ratio to Direct | latency p50 / p90 / p99 ms | latency change "
            "(mean) | replica tables, strict (every column) | replica tables, relaxed (ids and timestamps "
            "ignored) |", "|---|---|---|---|---|---|---|---|"]
    order = {v: i for i, v in enumerate(CONFIG_ORDER)}
    params = report._ordered(r["param"] for r in ok(rows))
    for r in sorted(ok(rows), key=lambda r: (params.index(r["param"]), order.get(r["variant"], 9))):
        var = r["variant"]
        if True:
            base = val(rows, "lat_mean_ms", variant="direct", param=r["param"])
            change = "%+.1f %%" % (100 * (float(r["lat_mean_ms"]) / base - 1)) if base and var != "direct" else "-"
            strict, relaxed = rubis_verdicts(r)
            out.append("| %s | %s | %.1f | %s | %.2f / %.2f / %.2f | %s | %s | %s |" % (
                TITLES[var], r["param"], float(r["pages_per_s"]),
                fmt(float(r["ratio"])) if r.get("ratio") else "-", float(r["lat_p50_ms"]), float(r["lat_p90_ms"]),
                float(r["lat_p99_ms"]), change, strict, relaxed))
    out += ["", "Replica tables are compared with the primary's as multisets of rows, two ways reported side by "
            "side: *strict* on every column, and *relaxed* on every column except auto-increment ids and "
            "timestamps set by the server (`NOW()`): concurrent sessions insert in a different interleaving on "
            "each replica, so the same row can carry another id or another second (the legitimate difference; "
            "rows that match except for their id are counted as *rows under another id*). Runs before the strict "
            "comparison existed (`ncp-rubis compare` without `strict_equal`) show the strict verdict derived "
            "from their counts: any row under another id already makes them strictly different; their "
            "timestamps were not compared.", ""]
    return out


def rubis_verdicts(r):
    """(strict, relaxed) verdict texts of one RUBiS row ('-' when the run had no replica)."""
    eq = r.get("replica_state_equal")
    if eq in (None, ""):
        return "-", "-"
    ids = r.get("id_only_rows", "?")
    relaxed = ("equal (%s rows under another auto-increment id)" % ids if eq == "True"
               else "DIFFER: %s" % r.get("tables_differing"))
    strict_eq = r.get("replica_strict_equal")
    if strict_eq not in (None, ""):
        strict = "equal" if strict_eq == "True" else "**NOT equal**: %s rows differ (%s)" % (
            r.get("strict_diff_rows", "?"), r.get("tables_differing_strict"))
    elif ids not in ("?", "", "0"):
        strict = "**NOT equal** (%s rows under another id; timestamps not compared in this run)" % ids
    else:
        strict = "not measured in this run"
    return strict, relaxed


def load_range(files):
    loads = [float(r[k]) for path in files for r in report.read_csv(path) for k in ("load1_before", "load1_after")
             if r.get(k) not in (None, "")]
    return "%.1f-%.1f" % (min(loads), max(loads)) if loads else "not recorded"


def ring_full_policy(md_path):
    """The run's ringFull policy, from the command its .md records (the CSVs predate the option)."""
    try:
        with open(md_path) as f:
            return "throttle" if "--ring-full throttle" in f.read() else "damage"
    except OSError:
        return "?"


def completeness_section(res):
    """testbed/bench/completeness.sh runs (``completeness/*.csv``): per run, variant and scenario, completeness in
    application bytes and the replica's state after, over the P values."""
    files = sorted(glob.glob(os.path.join(res, "completeness", "*.csv")))
    out = ["## Replica completeness with and without the catch-up journal (namespaces, `testbed/bench/"
           "completeness.sh`)", ""]
    if not files:
        return out + ["_not run_", ""]
    out += ["Completeness = bytes the replica's sink read / bytes the primary's `iperf -s` read (application bytes, "
            "exact: iperf2 reads every stream to its end), once the middlebox has no active session, no backlog "
            "and the replica is not CATCHING_UP. `sigstop`: the replica stopped mid-run (`--stop`, default 10 s; "
            "each run's `.md` states its command). 1-min load average over these runs' points: %s on 2 cores; "
            "client rates and ratios to direct are in the CSVs and in docs/middlebox-benchmark.md, \"Replica "
            "completeness\". `ringFull`: the middlebox's policy when a shard's ring is full (`damage`, the default, "
            "or `throttle`: `--ring-full throttle` in the run's command)." % load_range(files), "",
            "| run | variant | ringFull | scenario | P | completeness | replica state after | copies dropped | "
            "spilled (GB) | load |", "|---|---|---|---|---|---|---|---|---|---|"]
    for path in files:
        rows = [r for r in report.read_csv(path) if r.get("variant") != "direct"]
        policy = ring_full_policy(path[:-4] + ".md")
        for r in rows:
            if r.get("status") != "ok":
                out.append("| %s | %s | %s | %s | %s | failed | | | | |" % (
                    os.path.basename(path)[:-4], r["variant"], policy, r["scenario"], r["parallel"]))
                continue
            out.append("| %s | %s | %s | %s | %s | %.4f | %s | %s | %.2f | %s-%s |" % (
                os.path.basename(path)[:-4], r["variant"], policy, r["scenario"], r["parallel"],
                float(r["completeness"]),
                r.get("mb_consistency", "-"), r.get("mb_lagging", "-"), int(r.get("mb_spilledBytes") or 0) / 1e9,
                r.get("load1_before"), r.get("load1_after")))
    return out + [""]


def smoke_section(results):
    path = os.path.join(results, "smoke.md")
    if not os.path.exists(path):
        return ["## End-to-end checks", "", "_smoke not run_", ""]
    with open(path) as f:
        body = f.read().strip().splitlines()
    return ["## End-to-end checks (testbed/smoke.py: redirection, replication, replica state)", ""] + body[1:] + [""]


def anchor_reps(path):
    """N of ``anchor-a-repsN.csv`` (0 when not a number)."""
    name = os.path.basename(path)[len("anchor-a-reps"):-len(".csv")]
    return int(name) if name.isdigit() else 0


def repeated_anchor_files(res):
    return sorted(glob.glob(os.path.join(res, "anchor", "anchor-a-reps*.csv")), key=anchor_reps)


def ncp_reps(rows):
    """Most NCP repetitions at any one parameter of the dedicated setting (a)."""
    return max([len([r for r in ok(rows) if r["variant"] == "ncp-r1" and r["setting"] == "a" and r["param"] == p])
                for p in {r["param"] for r in ok(rows)}] or [0])


def verdict_row(rows, label):
    """One anchor run's verdict on the dedicated NIC: (table row, met) or None when it has no NCP point there."""
    params = sorted({r["param"] for r in ok(rows) if r["setting"] == "a"}, key=pnum)
    ratios = [(val(rows, "ratio", setting="a", variant="ncp-r1", param=p), p) for p in params]
    if not ratios or any(x is None for x, _ in ratios):
        return None
    low, at = min(ratios)
    singles = [float(r["ratio"]) for r in ok(rows) if r["setting"] == "a" and r["variant"] == "ncp-r1"
               and r.get("ratio") not in (None, "")]
    below = sum(1 for x in singles if x < TARGET_DEDICATED)
    met = low >= TARGET_DEDICATED
    n = ncp_reps(rows)
    return ("| %s | %d | %.3f at %s | %d of %d | %s |" % (
        label, n, low, at, below, len(singles),
        ("**met**" if met else "**NOT met**") + (" (median of %d)" % n if n > 1 else "")), met)


def headline(res, anchor):
    """The target's verdict for every anchor run and for the repeated runs pooled, side by side: the pooled
    verdict is on medians, so single runs and single points that miss the target stay visible next to it."""
    runs = [(anchor, "run-all's anchor (`anchor/anchor.csv`)")]
    pooled = []
    for path in repeated_anchor_files(res):
        rows = report.read_csv(path)
        pooled += rows
        runs.append((rows, "separate run, `anchor/%s`" % os.path.basename(path)))
    if len(runs) > 2:
        runs.append((pooled, "every separate run pooled"))
    table = [verdict_row(rows, label) for rows, label in runs]
    table = [t for t in table if t is not None]
    if not table:
        return []
    mets = [m for _, m in table]
    summary = ("met in every run" if all(mets) else "NOT met in any run" if not any(mets) else
               "met in %d of %d rows, NOT met in %d (below)" % (sum(mets), len(mets), len(mets) - sum(mets)))
    return ["**Target: NCP >= %.3f of direct on the dedicated NIC at every P (1 Gbit/s anchor): %s.** Each run's "
            "verdict is on its median ratio per P (each ratio to its own run's direct); a run of one repetition "
            "is judged on single points. *Points below* counts single repetitions under the target." % (
                TARGET_DEDICATED, summary), "",
            "| anchor run | NCP repetitions per point | lowest median ratio | points below %.3f | verdict |"
            % TARGET_DEDICATED, "|---|---|---|---|---|"] + [t for t, _ in table] + [""]


def repeated_anchor_sections(res):
    """One table per repeated anchor run (``anchor/anchor-a-repsN.csv``), then all of them pooled: each row's ratio
    is to its own run's direct median, the pooled table takes the median over every run's repetitions."""
    out, pooled = [], []
    files = repeated_anchor_files(res)
    for path in files:
        rows = report.read_csv(path)
        pooled += rows
        out += anchor_section(rows, "### Dedicated NIC again, %d repetitions per point (median of the ratios; "
                                    "`testbed/bench/run.sh --settings a --reps %d`, separate run)"
                              % (anchor_reps(path), anchor_reps(path)))
    if len(files) > 1 and ok(pooled):
        out += anchor_section(pooled, "### Dedicated NIC, every repeated run pooled (%d repetitions of NCP per point; "
                                      "median of the ratios, each to its own run's direct)" % ncp_reps(pooled))
    return out


def with_provenance(section, res, pattern):
    """``section`` with, under its title, where its figures come from: each run's date, command and testbed line
    (the first lines of the markdown file written beside each CSV), since the sections may come from other days."""
    runs = []
    for md in sorted(glob.glob(os.path.join(res, pattern))):
        with open(md) as f:
            head = [line.strip() for line in f.readlines()[:8]]
        stamp = next((line for line in head if re.match(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", line)), None)
        links = next((line for line in head if line.startswith("Links:")), None)
        if stamp:
            runs.append("Run `%s`: %s%s" % (os.path.relpath(md, res), stamp, " " + links if links else ""))
    if not runs or len(section) < 2:
        return section
    return section[:2] + runs + [""] + section[2:]


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--results", default=os.environ.get("NCPT_RESULTS", os.path.join(HERE, "results")))
    p.add_argument("--final", action="store_true", help="figures taken on a quiet machine")
    args = p.parse_args(argv)
    res = args.results
    anchor = load(res, "anchor/anchor.csv")
    iperf = load(res, "iperf-*/iperf-*.csv")
    httperf = load(res, "httperf-*/httperf-*.csv")
    rubis = load(res, "rubis-*/rubis-*.csv")
    loads = [float(r["load1"]) for r in anchor + iperf + httperf + rubis if r.get("load1")]
    lines = ["# NCP testbed results (`testbed/run-all.sh`)", "",
             ("Final run (run-all's steps, taken on a quiet machine); sections from separate runs state their "
              "own load." if args.final else "**Provisional**: the 2 cores were shared with other work during "
              "the run (1-min load average at the measurement points: median %s, max %s; the testbed itself "
              "accounts for ~2)." % (fmt(med(loads), "%.1f"), fmt(max(loads) if loads else None, "%.1f"))), "",
             "Testbed: Mininet, OVS userspace datapath (`datapath=user`), `ethtool -K tx off` in every host, "
             "tbf-shaped links, production (blue) tree of 4 switches + replication (black) switch; rules from the "
             "ONOS planner (`ncp-plan`) installed with `ovs-ofctl`; the NCP middlebox (`ncp-middlebox run`, "
             "tunnel mode) in the middlebox host. Logs: `run-all.log`; per-point rows in the CSVs.", ""]
    lines += headline(res, anchor)
    lines += smoke_section(res)
    lines += anchor_section(anchor)
    lines += repeated_anchor_sections(res)
    lines += with_provenance(iperf_section(iperf), res, "iperf-*/iperf-*.md")
    lines += with_provenance(httperf_section(httperf), res, "httperf-*/httperf-*.md")
    lines += rubis_section(rubis)
    lines += completeness_section(res)
    findings = os.path.join(res, "FINDINGS.md")
    if os.path.exists(findings):
        with open(findings) as f:
            lines += [f.read()]
    path = os.path.join(res, "SUMMARY.md")
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
    print("summarize: wrote %s" % path)


if __name__ == "__main__":
    main()
