#!/usr/bin/env python3
"""Turns JMH's JSON results (sample-time mode) into the markdown table of docs/perf/jmh.md (called by scripts/jmh.sh).

  jmhreport.py RESULTS.json OUT.md STARTED LOAD_BEFORE LOAD_AFTER CORES JMH_ARGS
"""
import json
import sys

UNIT_NS = {"ns/op": 1.0, "us/op": 1e3, "ms/op": 1e6}


def derived(name, params, ns):
    if name.startswith("DigestBenchmark"):
        return "%.0f MB/s" % (int(params["size"]) / ns * 1e3)
    if name.startswith("RingBenchmark"):
        return "%.1f M events/s (payloads pass by reference)" % (1e3 / ns)
    if name.startswith("ReassemblyBenchmark"):
        return "%.0f MB/s of client payload (64 x 256 KiB per op)" % (64 * 256 * 1024 / ns * 1e3)
    return ""


def main(argv):
    if len(argv) != 7:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    src, dst, started, before, after, cores, extra = argv
    rows = json.load(open(src))
    out = ["# JMH microbenchmarks (%s)" % started, "",
           "`scripts/jmh.sh %s`; %s cores shared with other jobs, 1-min load %s before, %s after. Sample-time mode: "
           "every invocation is timed, so the median (p50) is an invocation that was not descheduled, even on a "
           "loaded machine; the mean includes the time the thread waited for a core. Rates are derived from p50."
           % (extra, cores, before, after), "",
           "| benchmark | params | p50 | p90 | mean | unit | derived from p50 |", "|---|---|---|---|---|---|---|"]
    for r in rows:
        name = r["benchmark"].rsplit(".", 2)[-2] + "." + r["benchmark"].rsplit(".", 1)[-1]
        params = r.get("params", {})
        m = r["primaryMetric"]
        pct = m.get("scorePercentiles", {})
        unit = m["scoreUnit"]
        p50, p90 = pct.get("50.0", m["score"]), pct.get("90.0", float("nan"))
        out.append("| %s | %s | %.1f | %.1f | %.1f | %s | %s |" % (
            name, ", ".join("%s=%s" % kv for kv in params.items()), p50, p90, m["score"], unit,
            derived(name, params, p50 * UNIT_NS.get(unit, float("nan")))))
    with open(dst, "w") as f:
        f.write("\n".join(out) + "\n")
    print("\n".join(out))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
