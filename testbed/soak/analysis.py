"""Soak samples -> trends and verdicts, CSV, PNG plot.

The steady state is the second half of the ``hold`` phase (every session open, ``--active`` of them busy): a
least-squares line is fitted to each resource over it, and its growth over that window (slope x window length)
must stay within the tolerance: max(relative x the window's mean, an absolute floor). A resource that keeps
growing under a constant load (a leak) fails; one that plateaus (pools, caches, a JIT-warmed heap) passes.
"""

import csv

# key, label, unit, tolerance key (see Tolerances), checked (False: reported only)
TRENDS = [
    ("mb_rss_mib", "RSS", "MiB", "rss", True),
    ("mb_fds", "open descriptors", "", "fds", True),
    ("direct_mib", "direct memory", "MiB", "direct", True),
    ("heap_used_mib", "heap used", "MiB", None, False),
    ("nmt_committed_mib", "JVM committed (NMT total)", "MiB", None, False),
]
MIN_SAMPLES = 4


class Tolerances:
    """Allowed growth over the trend window: memory max(rel x mean, absolute floor); descriptors an absolute
    count (sessions are held open for the whole hold: their number, hence the descriptors', does not change)."""

    def __init__(self, rel=0.02, rss_mib=32.0, direct_mib=8.0, fds=16):
        self.rel = rel
        self.floor = {"rss": rss_mib, "direct": direct_mib, "fds": fds}

    def allowed(self, key, mean):
        return self.floor[key] if key == "fds" else max(self.rel * abs(mean), self.floor[key])

    def describe(self):
        return ("growth over the window <= max(%g %% of the window's mean, floor) with floors RSS %g MiB, direct "
                "memory %g MiB; descriptors <= %g" % (100 * self.rel, self.floor["rss"], self.floor["direct"],
                                                      self.floor["fds"]))


def linear_fit(xs, ys):
    """(slope, intercept) of the least-squares line."""
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sxx if sxx else 0.0
    return slope, my - slope * mx


def hold_window(samples):
    """(start, end) in run seconds of the hold phase, and of its second half; None without a hold phase."""
    ts = [s["t"] for s in samples if s.get("phase") == "hold"]
    if not ts:
        return None, None
    start, end = min(ts), max(ts)
    return (start, end), (start + (end - start) / 2.0, end)


def trends(samples, tol):
    """One dict per TRENDS entry: mean, slope per minute, growth over the window, allowed, verdict."""
    hold, window = hold_window(samples)
    out = []
    for key, label, unit, tkey, checked in TRENDS:
        row = {"key": key, "label": label, "unit": unit, "checked": checked}
        pts = [(s["t"], float(s[key])) for s in samples if window and window[0] <= s["t"] <= window[1]
               and s.get("phase") == "hold" and s.get(key) not in (None, "")]
        row["samples"] = len(pts)
        if len(pts) < MIN_SAMPLES:
            row["verdict"] = "too few samples" if checked else "n/a"
            out.append(row)
            continue
        xs, ys = [p[0] for p in pts], [p[1] for p in pts]
        slope, icpt = linear_fit(xs, ys)
        span = xs[-1] - xs[0]
        mean = sum(ys) / len(ys)
        row.update({"window": [round(xs[0], 1), round(xs[-1], 1)], "mean": round(mean, 2),
                    "min": round(min(ys), 2), "max": round(max(ys), 2), "slope_per_min": round(slope * 60, 4),
                    "growth": round(slope * span, 2), "fit": [slope, icpt]})
        if checked:
            row["allowed"] = round(tol.allowed(tkey, mean), 2)
            row["verdict"] = "ok" if slope * span <= row["allowed"] else "GROWS"
        else:
            row["verdict"] = "info"
        out.append(row)
    return out


def write_csv(samples, path):
    cols = []
    for s in samples:
        for k in s:
            if k not in cols:
                cols.append(k)
    with open(path, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=cols, extrasaction="ignore")
        w.writeheader()
        for s in samples:
            w.writerow(s)


def plot(samples, trend_rows, path, title):
    """RSS, descriptors, direct memory, heap, sessions, request rate and CPU over time; the fitted lines drawn over
    the trend window (shaded)."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    def series(key):
        pts = [(s["t"], float(s[key])) for s in samples if s.get(key) not in (None, "")]
        return [p[0] for p in pts], [p[1] for p in pts]

    fits = {r["key"]: r for r in trend_rows if "fit" in r}
    hold, window = hold_window(samples)
    fig, axes = plt.subplots(7, 1, figsize=(9, 13), sharex=True, dpi=80)
    panels = [
        (axes[0], [("mb_rss_mib", "RSS"), ("nmt_committed_mib", "JVM committed (NMT total)")], "MiB"),
        (axes[1], [("mb_fds", "open descriptors")], "descriptors"),
        (axes[2], [("direct_mib", "direct memory")], "MiB"),
        (axes[3], [("heap_used_mib", "heap used")], "MiB"),
        (axes[4], [("svc_active", "middlebox: open sessions"), ("drv_open_now", "driver: open"),
                   ("drv_active", "driver: active")], "sessions"),
        (axes[5], [("drv_rate", "driver: checked answers/s")], "requests/s"),
        (axes[6], [("mb_cpu_pct", "middlebox"), ("driver_cpu_pct", "driver"), ("redis_cpu_pct", "3 redis"),
                   ("machine_busy_pct", "machine busy (2 cores = 100)")], "CPU % of one core"),
    ]
    for ax, keys, ylabel in panels:
        for key, label in keys:
            xs, ys = series(key)
            if xs:
                line, = ax.plot(xs, ys, label=label, linewidth=1.2)
                if key in fits:
                    slope, icpt = fits[key]["fit"]
                    w = fits[key]["window"]
                    ax.plot(w, [slope * w[0] + icpt, slope * w[1] + icpt], "--", color="black", linewidth=1)
        if window:
            ax.axvspan(window[0], window[1], color="0.9", zorder=0)
        ax.set_ylabel(ylabel)
        ax.grid(True, alpha=0.3)
        ax.legend(loc="upper left", fontsize=7)
    if hold:
        for ax in axes:
            ax.axvline(hold[0], color="0.5", linewidth=0.8)
            ax.axvline(hold[1], color="0.5", linewidth=0.8)
    axes[-1].set_xlabel("seconds since start (shaded: trend window = second half of the hold phase)")
    fig.suptitle(title, fontsize=9)
    fig.tight_layout()
    fig.canvas.draw()
    from PIL import Image
    img = Image.frombuffer("RGBA", fig.canvas.get_width_height(), fig.canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
    img.convert("RGB").quantize(128).save(path, optimize=True)  # a 128-colour palette: small enough to commit
    plt.close(fig)


def read_csv(path):
    """samples.csv back into sample dicts (numbers as floats, empty cells dropped)."""
    out = []
    with open(path) as f:
        for row in csv.DictReader(f):
            s = {}
            for k, v in row.items():
                if v == "":
                    continue
                try:
                    s[k] = float(v)
                except ValueError:
                    s[k] = v
            out.append(s)
    return out


def main(argv):
    """``analysis.py RESULTS_DIR [TITLE]``: recomputes the trends from samples.csv and redraws soak.png."""
    import json
    import os
    samples = read_csv(os.path.join(argv[0], "samples.csv"))
    with open(os.path.join(argv[0], "summary.json")) as f:
        s = json.load(f)
    p = s["params"]
    tol = Tolerances(p["tolerance"], p["tolerance_rss_mib"], p["tolerance_direct_mib"], p["tolerance_fds"])
    rows = trends(samples, tol)
    for r in rows:
        print("%-32s %-16s growth %s allowed %s" % (r["label"], r["verdict"], r.get("growth"), r.get("allowed")))
    title = argv[1] if len(argv) > 1 else "NCP middlebox soak: %d sessions (%d active, %g req/s target), 2 replicas, " \
        "%g s hold, %s" % (p["sessions"], p["active"], p["rate"], p["duration"], s["verdict"])
    plot(samples, rows, os.path.join(argv[0], "soak.png"), title)
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(main(sys.argv[1:]))
