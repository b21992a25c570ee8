"""The soak's summary: machine facts, the middlebox log scan, and summary.md from summary.json's content."""

import os
import platform
import re
import subprocess

LOG_PATTERNS = [
    ("leak", re.compile(r"LEAK:")),
    ("emfile", re.compile(r"Too many open files|EMFILE", re.I)),
    ("exception", re.compile(r"Exception|^\s+at [\w$.]+\(", re.M)),
    ("error", re.compile(r"\bERROR\b")),
    ("warn", re.compile(r"\bWARN(ING)?\b")),
]


def _first_line(argv):
    try:
        res = subprocess.run(argv, text=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=60)
        return (res.stdout.strip().splitlines() or [""])[0]
    except (OSError, subprocess.TimeoutExpired):
        return "?"


def machine(root):
    with open("/proc/meminfo") as f:
        mem_kib = int(f.readline().split()[1])
    return {"cpus": os.cpu_count(), "memory_gib": round(mem_kib / 1048576, 1), "kernel": platform.release(),
            "java": _first_line(["java", "-version"]), "redis": _first_line(["redis-server", "--version"]),
            "python": platform.python_version(),
            "commit": _first_line(["git", "-C", root, "log", "-1", "--format=%h %s"])[:100],
            "dirty": bool(_first_line(["git", "-C", root, "status", "--porcelain", "--untracked-files=no"]))}


def scan_log(path, keep=12):
    """{pattern: {'count': n, 'lines': first ``keep`` matching lines}} over the middlebox log."""
    out = {name: {"count": 0, "lines": []} for name, _ in LOG_PATTERNS}
    if not os.path.exists(path):
        return out
    with open(path, errors="replace") as f:
        for line in f:
            for name, pat in LOG_PATTERNS:
                if pat.search(line):
                    out[name]["count"] += 1
                    if len(out[name]["lines"]) < keep:
                        out[name]["lines"].append(line.rstrip("\n")[:400])
    return out


def _fmt(v, unit=""):
    if v is None:
        return "-"
    return ("%.1f" % v if isinstance(v, float) else str(v)) + (" " + unit if unit else "")


def markdown(s):
    """summary.md from the summary dict written by soak.py."""
    p, m, d = s["params"], s["machine"], s.get("driver") or {}
    lines = ["# Middlebox soak: %s" % s["verdict_line"], "",
             "Run %s, %s s of hold after the ramp-up; results in `%s`." % (s["started"], p["duration"], s["out"]),
             "", "## Load", "",
             "| setting | value |", "|---|---|"]
    for k in ("sessions", "active", "rate", "pipeline", "value_size", "active_period", "ramp_rate", "interval",
              "threads", "java_opts", "ncp_args"):
        lines.append("| %s | %s |" % (k, p.get(k)))
    lines += ["", "Machine: %s CPUs (shared with other users), %s GiB, kernel %s, %s, %s, commit `%s`%s; "
              "mean load average over the hold phase %s, machine busy %s %%." % (
                  m["cpus"], m["memory_gib"], m["kernel"], m["java"], m["redis"], m["commit"],
                  " (dirty tree)" if m["dirty"] else "", _fmt(s.get("hold_load1")), _fmt(s.get("hold_busy_pct"))),
              "", "Descriptor limits: %s" % s.get("fd_note", "-"), "",
              "## Driver", "",
              "%s of %s sessions opened in %s s; %s requests checked during %s s of hold: %s req/s achieved "
              "(target %s), %s batches behind schedule; wrong %s, missing %s, dropped sessions %s; final PING %s "
              "ok / %s bad; closed cleanly %s; batch RTT p50/p99 at the end of the hold %s / %s ms; driver CPU "
              "%s %% of one core (mean over the hold)." % (
                  d.get("opened"), p["sessions"], d.get("ramp_seconds"), d.get("requests"), d.get("hold_seconds"),
                  d.get("achieved_rate"), p["rate"], d.get("late"), d.get("wrong"), d.get("missing"),
                  d.get("dropped"), d.get("pings_ok"), d.get("pings_bad"), d.get("closed_clean"),
                  s.get("hold_rtt_p50"), s.get("hold_rtt_p99"), _fmt(s.get("hold_driver_cpu")))]
    if d.get("errors"):
        lines += ["", "Driver errors (first %d):" % len(d["errors"]), "", "```"] + d["errors"] + ["```"]
    lines += ["", "## Resources (trend over the second half of the hold)", "",
              "Tolerance: %s." % s["tolerance"], "",
              "| resource | samples | mean | min | max | slope /min | growth over window | allowed | verdict |",
              "|---|---|---|---|---|---|---|---|---|"]
    for r in s["trends"]:
        lines.append("| %s%s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
            r["label"], " (%s)" % r["unit"] if r["unit"] else "", r["samples"], _fmt(r.get("mean")),
            _fmt(r.get("min")), _fmt(r.get("max")), _fmt(r.get("slope_per_min")), _fmt(r.get("growth")),
            _fmt(r.get("allowed")), r["verdict"]))
    lines += ["", "Direct memory source: %s." % s.get("direct_source"), "", "## Checks", "",
              "| check | ok | detail |", "|---|---|---|"]
    for name, ok, detail in s["checks"]:
        lines.append("| %s | %s | %s |" % (name, "yes" if ok else "**NO**", str(detail).replace("|", "/")))
    lines += ["", "## Middlebox log", ""]
    for name, v in s["log"].items():
        lines.append("- %s: %d line(s)" % (name, v["count"]))
    shown = [l for name in ("leak", "emfile", "exception", "error", "warn") for l in s["log"][name]["lines"]]
    if shown:
        lines += ["", "```"] + shown[:30] + ["```"]
    lines += ["", "![soak](soak.png)", ""]
    return "\n".join(lines)
