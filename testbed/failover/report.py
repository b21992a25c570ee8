"""The failover benchmark's outputs: trials.csv, the per-run statistics and verdicts (summary.json / summary.md)
and failover.png. ``report.py DIR...`` recomputes them from each DIR's trials.csv (parameters kept from its
summary.json)."""

import csv
import math
import os
import platform
import subprocess
import sys

COLUMNS = ["net", "mode", "fault", "trial", "error", "rto_ms", "existing_first_ms", "existing_all_ms",
           "new_first_ms", "new_max_wait_ms", "max_latency_ms", "existing_conns", "existing_served_again",
           "new_opened_after_fault", "new_total", "new_ok", "errors", "errors_by_kind", "acked_writes", "pairs_per_s",
           "driver_cpu_s", "checked",
           "lost", "lost_detail", "digest_equal", "keys_promoted", "keys_other", "failovers", "promoted", "fenced",
           "mb_detectMillis", "mb_promoteMillis", "mb_firstAnswerMillis", "mb_first_miss_after_fault_ms",
           "mb_detect_after_fault_ms", "mb_promote_after_fault_ms", "mb_first_answer_after_fault_ms",
           "mb_down_to_promote_ms",
           "mb_sessionsCarried", "mb_sessionsReset", "mb_unreceivedBytes", "mb_unansweredBytes", "mb_reason",
           "load1_start", "load1_end", "busy_pct", "seconds", "note"]

# (column, label, judged against the RTO goal)
CLIENT_METRICS = [
    ("rto_ms", "client: first answer from the promoted replica (any connection)", True),
    ("existing_first_ms", "client: first answer on an existing connection", False),
    ("existing_all_ms", "client: every existing connection answered again", True),
    ("new_first_ms", "client: first answer on a new connection", True),
    ("new_max_wait_ms", "client: longest wait of a new connection (open to answer)", False),
]
MB_METRICS = [
    ("mb_first_miss_after_fault_ms", "middlebox: first missed probe, after the fault", False),
    ("mb_detect_after_fault_ms", "middlebox: primary declared down, after the fault", False),
    ("mb_promote_after_fault_ms", "middlebox: replica promoted, after the fault", False),
    ("mb_first_answer_after_fault_ms", "middlebox: first answer from the new primary, after the fault", False),
    ("mb_down_to_promote_ms", "middlebox: declared down -> promoted (promoteMillis - detectMillis)", False),
    ("mb_detectMillis", "middlebox /stats detectMillis (from its first missed probe)", False),
    ("mb_firstAnswerMillis", "middlebox /stats firstAnswerMillis (from its first missed probe)", False),
]


def write_csv(rows, path):
    with open(path, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=COLUMNS, extrasaction="ignore")
        w.writeheader()
        for r in rows:
            w.writerow(r)


def read_csv(path):
    with open(path) as f:
        rows = list(csv.DictReader(f))
    for r in rows:
        for k, v in list(r.items()):
            if v in ("", None):
                r[k] = None
                continue
            try:
                r[k] = int(v)
            except ValueError:
                try:
                    r[k] = float(v)
                except ValueError:
                    r[k] = {"True": True, "False": False}.get(v, v)
    return rows


def one_line(r):
    if r.get("error"):
        return "%s %s #%d: TRIAL FAILED: %s" % (r["mode"], r["fault"], r["trial"], r["error"])
    return ("%s %s #%d: rto %s ms (existing first/all %s/%s, new %s), mb detect %s first-answer %s ms after the "
            "fault; errors %s (%s), lost %s of %s, digests %s, carried %s reset %s, load %s"
            % (r["mode"], r["fault"], r["trial"], r.get("rto_ms"), r.get("existing_first_ms"), r.get("existing_all_ms"),
               r.get("new_first_ms"), r.get("mb_detect_after_fault_ms"), r.get("mb_first_answer_after_fault_ms"),
               r.get("errors"), r.get("errors_by_kind"), r.get("lost"), r.get("acked_writes"),
               "equal" if r.get("digest_equal") else "DIFFER", r.get("mb_sessionsCarried"),
               r.get("mb_sessionsReset"), r.get("load1_end")))


def measured(r):
    """The trial ran to the end with exactly one failover: its figures count (whatever its data checks said)."""
    return not r.get("error") and r.get("failovers") == 1


def trial_ok(r):
    return not r.get("error") and r.get("failovers") == 1 and r.get("promoted") in ("r1", "r2") and \
        bool(r.get("digest_equal")) and r.get("rto_ms") is not None


def why_not_ok(r):
    if r.get("error"):
        return "trial failed: %s" % r["error"]
    if r.get("failovers") != 1:
        return "%s failover(s)" % r.get("failovers")
    if r.get("promoted") not in ("r1", "r2"):
        return "no replica promoted"
    if not r.get("digest_equal"):
        return ("the other replica's digest differs from the promoted one's (keys: promoted %s, other %s); "
                "client errors: %s%s" % (r.get("keys_promoted"), r.get("keys_other"), r.get("errors_by_kind"),
                                         "; %s" % r["note"] if r.get("note") else ""))
    return "no client figure"


def stat(values):
    v = sorted(x for x in values if x is not None)
    if not v:
        return {"n": 0}
    n = len(v)
    med = v[n // 2] if n % 2 else (v[n // 2 - 1] + v[n // 2]) / 2.0
    p90 = v[max(0, int(math.ceil(0.9 * n)) - 1)]
    return {"n": n, "min": v[0], "median": round(med, 1), "p90": p90, "max": v[-1]}


def machine(root):
    def first(argv):
        try:
            res = subprocess.run(argv, text=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=60)
            return (res.stdout.strip().splitlines() or [""])[0]
        except (OSError, subprocess.TimeoutExpired):
            return "?"
    with open("/proc/meminfo") as f:
        mem = int(f.readline().split()[1])
    return {"cpus": os.cpu_count(), "memory_gib": round(mem / 1048576.0, 1), "kernel": platform.release(),
            "java": first(["java", "-version"]), "redis": first(["redis-server", "--version"]),
            # a frozen copy (git archive) is no repository: NCPT_COMMIT names the commit it came from
            "commit": (os.environ.get("NCPT_COMMIT")
                       or first(["git", "-C", root, "log", "-1", "--format=%h %s"]))[:100],
            "dirty": not os.environ.get("NCPT_COMMIT") and bool(first(["git", "-C", root, "status", "--porcelain",
                                                                         "--untracked-files=no"]))}


def derive(rows):
    """Figures computed from others (also for rows read back from an older trials.csv)."""
    for r in rows:
        if r.get("mb_down_to_promote_ms") is None and r.get("mb_promoteMillis") is not None \
                and r.get("mb_detectMillis") is not None:
            r["mb_down_to_promote_ms"] = r["mb_promoteMillis"] - r["mb_detectMillis"]
    return rows


def summarize(a, rows, environment, started, seconds):
    derive(rows)
    groups = []
    for mode in a.modes:
        for fault in a.faults:
            rs = [r for r in rows if r["mode"] == mode and r["fault"] == fault]
            if not rs:
                continue
            ran = [r for r in rs if trial_ok(r)]
            figs = [r for r in rs if measured(r)]
            g = {"mode": mode, "fault": fault, "trials": len(rs), "ran": len(ran), "measured": len(figs),
                 "failed": ["#%d: %s" % (r["trial"], why_not_ok(r)) for r in rs if not trial_ok(r)],
                 "metrics": {}, "goals": []}
            for col, label, _ in CLIENT_METRICS + MB_METRICS:
                g["metrics"][col] = dict(stat([r.get(col) for r in figs]), label=label)
            g["errors_total"] = sum(r.get("errors") or 0 for r in rs)
            g["trials_with_errors"] = sum(1 for r in rs if r.get("errors"))
            kinds = {}
            for r in rs:
                for kv in (r.get("errors_by_kind") or "-").split():
                    if "=" in kv:
                        k, v = kv.split("=")
                        kinds[k] = kinds.get(k, 0) + int(v)
            g["errors_by_kind"] = kinds
            g["lost_total"] = sum(r.get("lost") or 0 for r in rs)
            g["trials_with_loss"] = sum(1 for r in rs if r.get("lost"))
            g["acked_total"] = sum(r.get("acked_writes") or 0 for r in rs)
            g["digests_equal"] = sum(1 for r in rs if r.get("digest_equal"))
            g["carried"] = sum(r.get("mb_sessionsCarried") or 0 for r in rs)
            g["reset"] = sum(r.get("mb_sessionsReset") or 0 for r in rs)
            g["existing_conns"] = sum(r.get("existing_conns") or 0 for r in rs)
            g["unreceived_bytes"] = sum(r.get("mb_unreceivedBytes") or 0 for r in rs)
            g["load1"] = stat([r.get("load1_end") for r in rs])
            g["busy_pct"] = stat([r.get("busy_pct") for r in rs])
            g["pairs_per_s"] = stat([r.get("pairs_per_s") for r in rs])
            g["driver_cpu_s"] = stat([r.get("driver_cpu_s") for r in rs])
            for col, label, judged in CLIENT_METRICS:
                if not judged:
                    continue
                m = g["metrics"][col]
                ok = m["n"] == len(rs) and m["median"] <= a.goal_median_ms and m["max"] <= a.goal_max_ms
                g["goals"].append({"goal": "%s: median <= %g ms, max <= %g ms (every trial measured)"
                                   % (label, a.goal_median_ms, a.goal_max_ms), "ok": ok,
                                   "value": "median %s, max %s ms, %d of %d trials" % (
                                       m.get("median"), m.get("max"), m["n"], len(rs))})
            if mode == "lockstep":
                checked = sum(1 for r in rs if r.get("lost") is not None)
                g["goals"].append({"goal": "lockstep: 0 acknowledged writes lost (every trial checked)",
                                   "ok": g["lost_total"] == 0 and checked == len(rs),
                                   "value": "%d lost of %d acknowledged, %d of %d trials checked" % (
                                       g["lost_total"], g["acked_total"], checked, len(rs))})
            g["goals"].append({"goal": "every trial ran, one failover, the other replica's digest equal to the "
                                       "promoted one's", "ok": len(ran) == len(rs),
                               "value": "%d of %d" % (len(ran), len(rs))})
            g["ok"] = all(x["ok"] for x in g["goals"])
            groups.append(g)
    ok = bool(groups) and all(g["ok"] for g in groups)
    missed = ["%s/%s: %s" % (g["mode"], g["fault"], x["goal"]) for g in groups for x in g["goals"] if not x["ok"]]
    return {"ok": ok, "verdict_line": "ALL GOALS MET" if ok else "GOAL MISSED: " + "; ".join(missed),
            "started": started, "seconds": round(seconds), "out": a.out, "net": a.net,
            "environment": environment.description,
            "params": {k: getattr(a, k, None) for k in ("trials", "faults", "modes", "conns", "rate", "new_rate",
                                                        "warmup", "after", "resume_after", "threads", "interval",
                                                        "timeout", "misses", "hold", "tcp_congestion", "goal_median_ms",
                                                        "goal_max_ms", "java_opts")},
            "machine": machine(os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))),
            "groups": groups}


def _f(v):
    if v is None:
        return "-"
    return ("%.0f" % v) if isinstance(v, float) else str(v)


def markdown(s):
    p, m = s["params"], s["machine"]
    fo = ", ".join("%s %s" % (k, p[k] if p[k] is not None else "(middlebox default)")
                   for k in ("interval", "timeout", "misses", "hold"))
    lines = ["# Failover benchmark: %s" % s["verdict_line"], "",
             "Run %s, %d s, %s; results in `%s`." % (s["started"], s["seconds"], s["environment"], s["out"]), "",
             "Load per trial: %d long-lived connections x %g SET+INCR pairs/s, %g new short connections/s (SET), "
             "%g s before the fault, %g s after%s. Middlebox: %d shards, failover probes PING/+PONG, %s; JVM `%s`."
             % (p["conns"], p["rate"], p["new_rate"], p["warmup"], p["after"],
                "; paused: SIGCONT %g s after the SIGSTOP" % p["resume_after"] if "paused" in p["faults"] else "",
                p["threads"], fo, p["java_opts"]), "",
             "Machine: %s CPUs shared with other developers' builds and tests, %s GiB, kernel %s, %s, %s; commit "
             "`%s`%s." % (m["cpus"], m["memory_gib"], m["kernel"], m["java"], m["redis"], m["commit"],
                          " (dirty tree)" if m["dirty"] else ""), "",
             "Times are ms after the fault (the driver's clock: just before its kill(2) of the primary). Client "
             "figures are measured by the client; middlebox figures come from /stats (its own intervals count from "
             "its first missed probe; placed on the fault's time line with the failover record's wall-clock `at`).",
             ""]
    for g in s["groups"]:
        lines += ["## %s, %s primary: %s" % (g["mode"], g["fault"], "goals met" if g["ok"] else "**GOAL MISSED**"),
                  "", "| goal | met | measured |", "|---|---|---|"]
        for x in g["goals"]:
            lines.append("| %s | %s | %s |" % (x["goal"], "yes" if x["ok"] else "**NO**", x["value"]))
        lines += ["", "| figure (ms after the fault) | n | min | median | p90 | max |", "|---|---|---|---|---|---|"]
        for col, st in g["metrics"].items():
            lines.append("| %s | %d | %s | %s | %s | %s |" % (st["label"], st["n"], _f(st.get("min")),
                                                            _f(st.get("median")), _f(st.get("p90")), _f(st.get("max"))))
        lines += ["", "Client-visible errors: %d in %d of %d trials %s. Acknowledged writes lost: %d of %d (%d "
                  "trials with a loss). Other replica's digest equal to the promoted one's: %d of %d. Sessions carried "
                  "over / reset by the middlebox: %d / %d (client connections open at the fault: %d). Bytes the "
                  "promoted replica had not received at promotion (sum): %d. Load average (1 min, at each trial's "
                  "end): median %s, max %s; machine busy during a trial: median %s %%. Load "
                  "achieved: median %s SET+INCR pairs/s over all long-lived connections (target %g); driver CPU per "
                  "trial: median %s s."
                  % (g["errors_total"], g["trials_with_errors"], g["trials"],
                     "(%s)" % ", ".join("%s %d" % kv for kv in sorted(g["errors_by_kind"].items()))
                     if g["errors_by_kind"] else "", g["lost_total"], g["acked_total"], g["trials_with_loss"],
                     g["digests_equal"], g["trials"], g["carried"], g["reset"], g["existing_conns"],
                     g["unreceived_bytes"], g["load1"].get("median"), g["load1"].get("max"),
                     g["busy_pct"].get("median"), g["pairs_per_s"].get("median"), p["conns"] * p["rate"],
                     g["driver_cpu_s"].get("median"))]
        if g["failed"]:
            lines += ["", "Trials that did not run to the end or failed a check:", ""] + \
                ["- %s" % x for x in g["failed"]]
        lines.append("")
    lines += ["![failover](failover.png)", ""]
    return "\n".join(lines)


def median_trial(rs, col):
    """The trial whose ``col`` is the median (lower middle) of the group's."""
    v = sorted((r[col], r["trial"]) for r in rs if r.get(col) is not None)
    return v[(len(v) - 1) // 2][1] if v else None


def timeline(out, mode, fault, index):
    """[(t_ms, answers/s)] of one trial's driver.json (50 ms buckets), or None."""
    import json
    path = os.path.join(out, "trials", "%s-%s-%02d" % (mode, fault, index), "driver.json")
    try:
        with open(path) as f:
            b = json.load(f).get("buckets_50ms", [])
    except (OSError, ValueError):
        return None
    if not b:
        return None
    counts = dict((k, n) for k, n in b)
    return [(k * 50.0, counts.get(k, 0) / 0.05) for k in range(b[0][0], b[-1][0] + 1)]  # empty buckets: 0


def plot(s, rows, path):
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    groups = s["groups"]
    if not groups:
        return False
    cols = [("mb_detect_after_fault_ms", "mb: down"), ("mb_promote_after_fault_ms", "mb: promoted"),
            ("mb_first_answer_after_fault_ms", "mb: 1st answer"), ("rto_ms", "client: 1st answer"),
            ("existing_all_ms", "client: all existing"), ("new_first_ms", "client: 1st new conn")]
    fig, axes = plt.subplots(2, len(groups), figsize=(4.4 * len(groups), 7.6), squeeze=False,
                             gridspec_kw={"height_ratios": [3, 2]})
    p = s["params"]
    top = max([r.get(c) or 0 for r in rows for c, _ in cols] + [p["goal_max_ms"]]) * 1.08
    for k, g in enumerate(groups):
        ax = axes[0][k]
        rs = [r for r in rows if r["mode"] == g["mode"] and r["fault"] == g["fault"] and measured(r)]
        for i, (col, _) in enumerate(cols):
            v = [r[col] for r in rs if r.get(col) is not None]
            xs = [i + 0.25 * ((j % 5) - 2) / 2.0 for j in range(len(v))]
            ax.scatter(xs, v, s=12, alpha=0.7, color="C%d" % i)
            if v:
                ax.hlines(stat(v)["median"], i - 0.3, i + 0.3, color="black", linewidth=1.5)
        ax.axhline(p["goal_median_ms"], color="green", linestyle="--", linewidth=0.8)
        ax.axhline(p["goal_max_ms"], color="red", linestyle="--", linewidth=0.8)
        ax.set_ylim(0, top)
        ax.set_xticks(range(len(cols)))
        ax.set_xticklabels([c[1] for c in cols], rotation=35, ha="right", fontsize=8)
        ax.set_title("%s, %s primary (%d trials)" % (g["mode"], g["fault"], len(rs)), fontsize=9)
        ax.grid(axis="y", alpha=0.3)
        if k == 0:
            ax.set_ylabel("ms after the fault (bar: median;\ngoal lines: median %g, max %g)"
                          % (p["goal_median_ms"], p["goal_max_ms"]), fontsize=8)
        ax2 = axes[1][k]
        idx = median_trial(rs, "rto_ms")
        tl = timeline(s["out"], g["mode"], g["fault"], idx) if idx else None
        if tl:
            ax2.step([t for t, _ in tl], [n for _, n in tl], where="post", linewidth=0.9)
            r = next(x for x in rs if x["trial"] == idx)
            for col, color in (("mb_detect_after_fault_ms", "C0"), ("mb_promote_after_fault_ms", "C1"),
                               ("rto_ms", "C3")):
                if r.get(col) is not None:
                    ax2.axvline(r[col], color=color, linestyle=":", linewidth=1)
            ax2.axvline(0, color="black", linewidth=0.8)
            ax2.set_xlim(-1000, 3000)
            ax2.set_title("trial #%d (median RTO): answers/s the clients got" % idx, fontsize=8)
            ax2.set_xlabel("ms after the fault (dotted: mb down, promoted, client 1st answer)", fontsize=8)
            ax2.grid(alpha=0.3)
    fig.suptitle("NCP failover benchmark, %s: %s" % (s["net"], "every goal met" if s["ok"] else
                                                      "goal(s) missed (summary.md)"), fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return True


def resummarize(d):
    """Recomputes summary.json / summary.md / failover.png of results directory ``d`` from its trials.csv (the run's
    parameters and machine facts are kept from the old summary.json)."""
    import json
    import types
    with open(os.path.join(d, "summary.json")) as f:
        old = json.load(f)
    rows = read_csv(os.path.join(d, "trials.csv"))
    a = types.SimpleNamespace(net=old["net"], out=d, **old["params"])
    env = types.SimpleNamespace(description=old["environment"])
    s = summarize(a, rows, env, old["started"], old["seconds"])
    s["machine"] = old["machine"]
    with open(os.path.join(d, "summary.json"), "w") as f:
        json.dump(s, f, indent=1, default=str)
    with open(os.path.join(d, "summary.md"), "w") as f:
        f.write(markdown(s))
    plot(s, rows, os.path.join(d, "failover.png"))
    return s


if __name__ == "__main__":
    for directory in sys.argv[1:]:
        print("%s: %s" % (directory, resummarize(os.path.abspath(directory))["verdict_line"]))
