"""Benchmark rows -> CSV, markdown tables (with ratios to direct) and PNG plots.

A row is a flat dict: setting, workload, system, replicas, param, rep, status, the workload's metrics, and
``ratio`` (added here: metric / direct's median metric for the same setting, workload and param).
"""

import csv
import os
import statistics

# workload -> (headline metric, unit scale, unit label, higher is better)
HEADLINE = {
    "iperf3": ("bps", 1e9, "Gbit/s", True),
    "iperf2": ("bps", 1e9, "Gbit/s", True),
    "wrk": ("req_per_s", 1.0, "req/s", True),
    "httperf": ("conn_ms", 1.0, "ms connection lifetime", False),
    "rubis": ("pages_per_s", 1.0, "pages/s", True),
}
BASE_COLUMNS = ["setting", "workload", "system", "replicas", "variant", "param", "rep", "status", "ratio"]


def variant(system, replicas):
    return system if system == "direct" or system.startswith("haproxy") else "%s-r%d" % (system, replicas)


def _ok(rows):
    return [r for r in rows if r.get("status") == "ok"]


def median_metric(rows, setting, workload, variant_name, param):
    metric = HEADLINE[workload][0]
    vals = [float(r[metric]) for r in _ok(rows) if r["setting"] == setting and r["workload"] == workload
            and r["variant"] == variant_name and str(r["param"]) == str(param) and r.get(metric) not in (None, "")]
    return statistics.median(vals) if vals else None


def add_ratios(rows):
    for r in _ok(rows):
        base = median_metric(rows, r["setting"], r["workload"], "direct", r["param"])
        metric = HEADLINE[r["workload"]][0]
        if base and r.get(metric) not in (None, ""):
            r["ratio"] = round(float(r[metric]) / base, 4)
    return rows


def write_csv(rows, path):
    cols = list(BASE_COLUMNS)
    for r in rows:
        for k in r:
            if k not in cols:
                cols.append(k)
    with open(path, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=cols, extrasaction="ignore")
        w.writeheader()
        for r in rows:
            w.writerow(r)


def read_csv(path):
    with open(path) as f:
        return list(csv.DictReader(f))


def _ordered(values):
    seen = []
    for v in values:
        if v not in seen:
            seen.append(v)
    return seen


def _cell(rows, setting, workload, var, param):
    metric, scale, _, _ = HEADLINE[workload]
    sel = [r for r in rows if r["setting"] == setting and r["workload"] == workload and r["variant"] == var
           and str(r["param"]) == str(param)]
    ok = _ok(sel)
    if not ok:
        return (sel[0].get("status", "-") if sel else "-"), None
    val = statistics.median(float(r[metric]) for r in ok)
    ratios = [float(r["ratio"]) for r in ok if r.get("ratio") not in (None, "")]
    ratio = statistics.median(ratios) if ratios else None
    text = "%.3f" % (val / scale) if scale != 1 else "%.1f" % val
    if ratio is not None and var != "direct":
        text += " (%.3f)" % ratio
    return text, ratio


def replica_check(rows, setting, workload, var):
    """Worst replica completeness over the variant's runs, e.g. '1.000' (bytes or requests replica/primary)."""
    vals = [float(r["replica_ratio"]) for r in _ok(rows) if r["setting"] == setting and r["workload"] == workload
            and r["variant"] == var and r.get("replica_ratio") not in (None, "")]
    return "%.3f" % min(vals) if vals else "-"


def markdown(rows, titles=None):
    titles = titles or {}
    out = []
    for setting in _ordered(r["setting"] for r in rows):
        for workload in _ordered(r["workload"] for r in rows if r["setting"] == setting):
            sel = [r for r in rows if r["setting"] == setting and r["workload"] == workload]
            params = _ordered(str(r["param"]) for r in sel)
            _, _, unit, higher = HEADLINE[workload]
            out.append("### %s — %s, %s (ratio to direct)\n" % (titles.get(setting, setting), workload, unit))
            out.append("| variant | " + " | ".join(params) + " | ratio range | replica completeness |")
            out.append("|---" * (len(params) + 3) + "|")
            for var in _ordered(r["variant"] for r in sel):
                cells, ratios = [], []
                for p in params:
                    text, ratio = _cell(rows, setting, workload, var, p)
                    cells.append(text)
                    if ratio is not None:
                        ratios.append(ratio)
                rng = "%.3f-%.3f" % (min(ratios), max(ratios)) if ratios and var != "direct" else "-"
                out.append("| %s | %s | %s | %s |" % (var, " | ".join(cells), rng,
                                                      replica_check(rows, setting, workload, var)))
            out.append("")
    return "\n".join(out)


def ratio_range(rows, setting, workload, var):
    vals = [float(r["ratio"]) for r in _ok(rows) if r["setting"] == setting and r["workload"] == workload
            and r["variant"] == var and r.get("ratio") not in (None, "")]
    return (min(vals), max(vals)) if vals else None


def plot(rows, path, title=""):
    """One panel per (setting, workload): headline metric vs param, one line per variant."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    panels = _ordered((r["setting"], r["workload"]) for r in _ok(rows))
    if not panels:
        return None
    fig, axes = plt.subplots(1, len(panels), figsize=(5.5 * len(panels), 4), squeeze=False)
    for ax, (setting, workload) in zip(axes[0], panels):
        metric, scale, unit, _ = HEADLINE[workload]
        sel = [r for r in _ok(rows) if r["setting"] == setting and r["workload"] == workload]
        params = _ordered(str(r["param"]) for r in sel)
        for var in _ordered(r["variant"] for r in sel):
            ys = [median_metric(rows, setting, workload, var, p) for p in params]
            ax.plot(range(len(params)), [y / scale if y is not None else float("nan") for y in ys],
                    marker="o", label=var)
        ax.set_xticks(range(len(params)))
        ax.set_xticklabels(params, rotation=30 if max(len(p) for p in params) > 4 else 0)
        ax.set_ylabel(unit)
        ax.set_ylim(bottom=0)
        ax.set_title("%s: %s" % (setting, workload))
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


# Figures measured by the lead on this machine before NCP existed (issue 2 / issue 5 text).
ANCHORS = {
    ("a", "tee-r1"): "0.986-0.997 (naive tee, lead's measurement); NCP target >= 0.995 at every P",
    ("shared", "tee-r1"): "0.49-0.51 (naive tee, lead's measurement)",
    ("b", "haproxy-t1"): "0.31-0.64 (HAProxy 2.6 plain proxy, lead's measurement)",
    ("b", "haproxy-t2"): "0.31-0.64 (HAProxy 2.6 plain proxy, lead's measurement)",
    ("b", "tee-r1"): "0.38-0.61 (naive tee, lead's measurement); NCP should be well above both",
    ("loopback", "haproxy-t1"): "~7.5-8 Gbit/s with one thread (lead's measurement)",
    ("a", "ncp-r1"): "target >= 0.995 at every P (naive tee 0.986-0.997)",
    ("shared", "ncp-r1"): "naive tee 0.49-0.51",
    ("b", "ncp-r0"): "HAProxy plain proxy 0.31-0.64",
    ("b", "ncp-r1"): "well above HAProxy 0.31-0.64 and naive tee 0.38-0.61",
    ("loopback", "ncp-r0"): "HAProxy, one thread: ~7.5-8 Gbit/s",
}


def summary(rows, workload="iperf3"):
    """The quotable table: per setting and variant, the throughput ratio range over the parameters,
    replica completeness, and the anchor figure it is compared with."""
    out = ["| setting | variant | %s ratio to direct (min-max) | absolute (min-max) | replica completeness | "
           "anchor |" % workload, "|---|---|---|---|---|---|"]
    metric, scale, unit, _ = HEADLINE[workload]
    for setting in _ordered(r["setting"] for r in rows if r["workload"] == workload):
        for var in _ordered(r["variant"] for r in rows if r["setting"] == setting and r["workload"] == workload):
            if var == "direct":
                continue
            rng = ratio_range(rows, setting, workload, var)
            vals = [float(r[metric]) / scale for r in _ok(rows) if r["setting"] == setting
                    and r["workload"] == workload and r["variant"] == var]
            sel = [r for r in rows if r["setting"] == setting and r["workload"] == workload and r["variant"] == var]
            status = "" if rng else (sel[0].get("status", "-") if sel else "-")
            out.append("| %s | %s | %s | %s | %s | %s |" % (
                setting, var, "%.3f-%.3f" % rng if rng else status,
                "%.3f-%.3f %s" % (min(vals), max(vals), unit) if vals else "-",
                replica_check(rows, setting, workload, var), ANCHORS.get((setting, var), "")))
    return "\n".join(out)
