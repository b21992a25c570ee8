#!/usr/bin/env bash
# JMH microbenchmarks of the data path (jmh/ module): ring publish/poll, block digest, TCP reassembly.
#
#   scripts/jmh.sh [--out PREFIX] [--quick] [JMH ARGS...]
#
# Builds jmh/target/ncp-benchmarks.jar (reactor build, nothing installed), runs it, and writes PREFIX.json (JMH's
# results) and PREFIX.md (a table with the derived rates and the 1-min load average before and after); PREFIX
# defaults to docs/perf/jmh. --quick: 1 warm-up and 2 measurement iterations of 1 s (a smoke run, not figures).
# Extra arguments go to JMH (e.g. a benchmark regex: scripts/jmh.sh Digest). Exit 2 on usage errors.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$ROOT/docs/perf/jmh"
JMH_ARGS=()
while [[ $# -gt 0 ]]; do
    case $1 in
        --out) [[ $# -ge 2 ]] || { echo "jmh.sh: --out needs a PREFIX" >&2; exit 2; }; OUT=$2; shift 2 ;;
        --quick) JMH_ARGS+=(-wi 1 -i 2 -w 1s -r 1s); shift ;;
        -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
        *) JMH_ARGS+=("$1"); shift ;;
    esac
done
mkdir -p "$(dirname "$OUT")"
cd "$ROOT"
mvn -q -B -pl jmh -am package -DskipTests
LOAD_BEFORE=$(cut -d' ' -f1 /proc/loadavg)
STARTED=$(date -u '+%Y-%m-%d %H:%M UTC')
java -jar jmh/target/ncp-benchmarks.jar -rf json -rff "$OUT.json" ${JMH_ARGS[@]+"${JMH_ARGS[@]}"}
LOAD_AFTER=$(cut -d' ' -f1 /proc/loadavg)
/usr/bin/env python3 - "$OUT.json" "$OUT.md" "$STARTED" "$LOAD_BEFORE" "$LOAD_AFTER" "$(nproc)" "${JMH_ARGS[*]-}" <<'PY'
import json, sys
src, dst, started, before, after, cores, extra = sys.argv[1:8]
rows = json.load(open(src))
out = ["# JMH microbenchmarks (%s)" % started, "",
       "`scripts/jmh.sh %s`; %s cores shared with other jobs, 1-min load %s before, %s after. Sample-time mode: "
       "every invocation is timed, so the median (p50) is a run that was not descheduled, even on a loaded machine; "
       "the mean includes the time the thread waited for a core. Rates are derived from p50." % (
           extra, cores, before, after), "",
       "| benchmark | params | p50 | p90 | mean | unit | derived from p50 |", "|---|---|---|---|---|---|---|"]
for r in rows:
    name = r["benchmark"].rsplit(".", 2)[-2] + "." + r["benchmark"].rsplit(".", 1)[-1]
    params = r.get("params", {})
    m = r["primaryMetric"]
    pct = m.get("scorePercentiles", {})
    p50, p90, mean, unit = pct.get("50.0", m["score"]), pct.get("90.0", float("nan")), m["score"], m["scoreUnit"]
    ns = p50 * {"ns/op": 1, "us/op": 1e3, "ms/op": 1e6}.get(unit, float("nan"))
    derived = ""
    if name.startswith("DigestBenchmark"):
        derived = "%.0f MB/s" % (int(params["size"]) / ns * 1e3)
    elif name.startswith("RingBenchmark"):
        derived = "%.1f M events/s (%s-byte payloads: %.0f MB/s)" % (1e3 / ns, params["payload"],
                                                                     int(params["payload"]) / ns * 1e3)
    elif name.startswith("ReassemblyBenchmark"):
        derived = "%.0f MB/s of client payload (64 x 256 KiB per op)" % (64 * 256 * 1024 / ns * 1e3)
    out.append("| %s | %s | %.1f | %.1f | %.1f | %s | %s |" % (name, ", ".join("%s=%s" % kv for kv in params.items()),
                                                             p50, p90, mean, unit, derived))
open(dst, "w").write("\n".join(out) + "\n")
print("\n".join(out))
PY
